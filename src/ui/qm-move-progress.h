/* qm-move-progress.h: a run of moves as it goes, step by step, with Cancel
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-move-controller.h"

G_BEGIN_DECLS

typedef enum
{
  QM_MOVE_PROGRESS_STEP_PENDING,
  QM_MOVE_PROGRESS_STEP_CURRENT,
  QM_MOVE_PROGRESS_STEP_DONE,
} QmMoveProgressStepState;

#define QM_TYPE_MOVE_PROGRESS (qm_move_progress_get_type ())
G_DECLARE_FINAL_TYPE (QmMoveProgress, qm_move_progress, QM, MOVE_PROGRESS, GtkWidget)

/* A panel shown while @controller runs moves (the window puts it over the
 * bottom of the inventory, where toasts appear): a title ("Moving items",
 * "Step 2 of 5"), the whole plan as sentences as soon as it is made (steps
 * that touch items the player did not name are marked, and counted in a
 * note above the list, before they run), which step is being sent, and a
 * Cancel button. It hides when the controller is idle again. */
GtkWidget  *qm_move_progress_new            (QmMoveController *controller);

/* For tests and screenshots: the steps listed, their sentences and states. */
guint       qm_move_progress_get_n_steps    (QmMoveProgress   *self);
const char *qm_move_progress_get_step_text  (QmMoveProgress   *self,
                                             guint             index);
gboolean    qm_move_progress_get_step_aside (QmMoveProgress   *self,
                                             guint             index);
QmMoveProgressStepState qm_move_progress_get_step_state (QmMoveProgress *self,
                                                         guint           index);
const char *qm_move_progress_get_title      (QmMoveProgress   *self);
/* The note about items the player did not name ("" when none). */
const char *qm_move_progress_get_note       (QmMoveProgress   *self);
GtkWidget  *qm_move_progress_get_cancel_button (QmMoveProgress *self);

G_END_DECLS
