/* qm-loadout-row.h: one in-game loadout slot in the Loadouts view
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-loadouts.h"

G_BEGIN_DECLS

#define QM_TYPE_LOADOUT_ROW (qm_loadout_row_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutRow, qm_loadout_row, QM, LOADOUT_ROW, GtkListBoxRow)

/* The slot's icon on its colour, its name, its status ("Equipped",
 * "Ready" or what is missing) and its items as tiles (items that no longer
 * exist marked); an empty slot says so. Its buttons activate the view's
 * actions with the target (character id, index): "loadouts.equip",
 * "loadouts.save", "loadouts.rename", "loadouts.clear". */
GtkWidget       *qm_loadout_row_new          (QmLoadout   *loadout,
                                              QmInventory *inventory,
                                              QmIconCache *icons);
QmLoadout       *qm_loadout_row_get_loadout  (QmLoadoutRow *self);
QmLoadoutStatus  qm_loadout_row_get_status   (QmLoadoutRow *self);
/* The status as shown (for tests). */
const char      *qm_loadout_row_get_status_text (QmLoadoutRow *self);

G_END_DECLS
