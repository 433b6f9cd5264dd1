/* qm-loadout-column.h: one character's loadouts in the Loadouts view
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-loadouts.h"

G_BEGIN_DECLS

#define QM_TYPE_LOADOUT_COLUMN (qm_loadout_column_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutColumn, qm_loadout_column, QM, LOADOUT_COLUMN, GtkWidget)

/* The character's heading, its in-game loadouts (a list built from the
 * character's GListModel of QmLoadout, a row per unlocked slot), then the
 * sections other kinds of loadouts add (qm_loadout_column_add_section()). */
GtkWidget   *qm_loadout_column_new          (const char      *character_id);
const char  *qm_loadout_column_get_character_id (QmLoadoutColumn *self);
void         qm_loadout_column_set_title    (QmLoadoutColumn *self,
                                             const char      *title);
/* @model (element-type QmLoadout), @inventory for the items and statuses. */
void         qm_loadout_column_set_loadouts (QmLoadoutColumn *self,
                                             GListModel      *model,
                                             QmInventory     *inventory,
                                             QmIconCache     *icons);
GtkListBox  *qm_loadout_column_get_list     (QmLoadoutColumn *self);
/* Another list below the in-game loadouts (saved loadouts). */
void         qm_loadout_column_add_section  (QmLoadoutColumn *self,
                                             GtkWidget       *section);

G_END_DECLS
