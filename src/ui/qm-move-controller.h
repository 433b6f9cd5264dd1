/* qm-move-controller.h: what the window's moves go through
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drops, the context menu, the details popover and keyboard actions all ask
 * the controller. It applies the user's policy ("Make space automatically",
 * or its opposite for one move with a modifier key), plans through the
 * session's executor, marks the items in flight at once, and reports the
 * run's progress and result.
 */

#pragma once

#include <gio/gio.h>

#include "qm-move-planner.h"
#include "qm-session.h"

G_BEGIN_DECLS

typedef enum
{
  QM_MOVE_FLAGS_NONE = 0,
  /* The modifier key held: the opposite of the "make-space" setting for
   * this move. */
  QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE = 1 << 0,
} QmMoveFlags;

#define QM_TYPE_MOVE_CONTROLLER (qm_move_controller_get_type ())
G_DECLARE_FINAL_TYPE (QmMoveController, qm_move_controller, QM, MOVE_CONTROLLER, GObject)

/* Properties: "session" (construct-only), "settings" (construct-only,
 * nullable: the default policy then), "busy" (boolean: a run is queued or
 * going).
 * Signals:
 *   "in-flight-changed" (const char *instance_id, gboolean in_flight): an
 *     item's move was asked for (TRUE, before the request returns) or ended.
 *   "finished" (gboolean ok, const char *message): a run ended; @message is
 *     what to tell the user (NULL when there is nothing to say). */

QmMoveController *qm_move_controller_new          (QmSession           *session,
                                                   GSettings           *settings);
QmSession        *qm_move_controller_get_session  (QmMoveController    *self);
gboolean          qm_move_controller_get_busy     (QmMoveController    *self);

/* The policy for one move asked for with @flags. */
QmMovePolicy      qm_move_controller_get_policy   (QmMoveController    *self,
                                                   QmMoveFlags          flags);

/* Why @requests cannot be done (a sentence for a refused drop's tooltip or
 * a toast), or NULL when they can. Pure: plans over the account shown. */
char             *qm_move_controller_check        (QmMoveController    *self,
                                                   const QmMoveRequest *requests,
                                                   guint                n_requests,
                                                   QmMoveFlags          flags);

/* Plan and run @requests through the session's executor. The items named
 * are marked in flight before this returns. A refused plan emits
 * "finished" with FALSE and the reason. */
void              qm_move_controller_request      (QmMoveController    *self,
                                                   const QmMoveRequest *requests,
                                                   guint                n_requests,
                                                   QmMoveFlags          flags);
gboolean          qm_move_controller_is_in_flight (QmMoveController    *self,
                                                   const char          *instance_id);

/* Stop the run going (the executor re-reads the profile). */
void              qm_move_controller_cancel       (QmMoveController    *self);
/* Put back what the last run touched, as a planned run. */
void              qm_move_controller_undo         (QmMoveController    *self);

G_END_DECLS
