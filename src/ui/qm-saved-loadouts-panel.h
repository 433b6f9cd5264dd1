/* qm-saved-loadouts-panel.h: the saved loadouts (ours), applied and undone
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The saved-loadouts part of the Loadouts view: one list of the account's
 * saved loadouts, each with "Apply to ▸" (the characters of a fitting
 * class), Rename, Export and Delete; "Save Current Gear" per character and
 * Import; the undo entries ("Before 'X'") per character. Dropping item
 * tiles (G_TYPE_STRV of instance ids) on a loadout adds them. An apply ends
 * in a toast that groups the failures by reason and offers Undo.
 */

#pragma once

#include <adwaita.h>

#include "qm-loadout-store.h"
#include "qm-move-executor.h"

G_BEGIN_DECLS

#define QM_TYPE_SAVED_LOADOUTS_PANEL (qm_saved_loadouts_panel_get_type ())
G_DECLARE_FINAL_TYPE (QmSavedLoadoutsPanel, qm_saved_loadouts_panel, QM, SAVED_LOADOUTS_PANEL, GtkWidget)

/* Properties: "executor" (the account's move queue), "store" (its saved
 * loadouts), "busy" (an apply or undo runs). Signal "applied" (the
 * QmLoadoutApply that finished). */
GtkWidget      *qm_saved_loadouts_panel_new          (void);
void            qm_saved_loadouts_panel_set_executor (QmSavedLoadoutsPanel *self,
                                                      QmMoveExecutor       *executor);
void            qm_saved_loadouts_panel_set_store    (QmSavedLoadoutsPanel *self,
                                                      QmLoadoutStore       *store);
QmLoadoutStore *qm_saved_loadouts_panel_get_store    (QmSavedLoadoutsPanel *self);
gboolean        qm_saved_loadouts_panel_get_busy     (QmSavedLoadoutsPanel *self);
/* The row of @loadout (tests place the pointer on it). */
GtkWidget      *qm_saved_loadouts_panel_get_row      (QmSavedLoadoutsPanel *self,
                                                      QmSavedLoadout       *loadout);

G_END_DECLS
