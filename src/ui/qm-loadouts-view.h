/* qm-loadouts-view.h: the Loadouts view, beside Inventory and Xûr
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-loadout-column.h"
#include "qm-saved-loadouts-panel.h"
#include "qm-session.h"

G_BEGIN_DECLS

#define QM_TYPE_LOADOUTS_VIEW (qm_loadouts_view_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutsView, qm_loadouts_view, QM, LOADOUTS_VIEW, GtkWidget)

/* One column per character (QmLoadoutColumn), the in-game loadouts of the
 * session's account first. Actions (target "(si)": character id, index):
 *   loadouts.equip    the manager's equip; a toast says how it went
 *   loadouts.save     "Save current gear here": slot, name, colour, icon
 *   loadouts.rename   name, colour and icon
 *   loadouts.clear    after a confirmation
 *   loadouts.refresh  (no target) read the loadouts again
 * Signal "column-added" (QmLoadoutColumn *): a character's column was made;
 * other lists go in with qm_loadout_column_add_section(). */
GtkWidget       *qm_loadouts_view_new          (void);
void             qm_loadouts_view_set_session  (QmLoadoutsView *self,
                                                QmSession      *session,
                                                QmIconCache    *icons);
/* Read the loadouts (the view also does when it is first shown). */
void             qm_loadouts_view_refresh      (QmLoadoutsView *self);
QmLoadoutColumn *qm_loadouts_view_get_column   (QmLoadoutsView *self,
                                                const char     *character_id);
/* The dialog open (save, rename, clear), for tests; NULL when none is. */
GtkWidget       *qm_loadouts_view_get_dialog   (QmLoadoutsView *self);
/* Our own loadouts, below the in-game ones (the account shown). */
QmSavedLoadoutsPanel *qm_loadouts_view_get_saved_panel (QmLoadoutsView *self);

G_END_DECLS
