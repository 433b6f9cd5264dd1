/* qm-item-details.h: everything about one item, for the tile's popover
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-item.h"
#include "qm-manifest.h"

G_BEGIN_DECLS

#define QM_TYPE_ITEM_DETAILS (qm_item_details_get_type ())
G_DECLARE_FINAL_TYPE (QmItemDetails, qm_item_details, QM, ITEM_DETAILS, GtkWidget)

/* Name, type and tier, power, damage type, instance stats with bars,
 * perks, lock state, where the item is and its flavor text. Stat, perk
 * and damage type names come from @manifest (built-in names stand in
 * without it); perk icons from @icons. */
GtkWidget  *qm_item_details_new      (QmIconCache   *icons,
                                      QmManifest    *manifest);
void        qm_item_details_set_item (QmItemDetails *self,
                                      QmItem        *item);
QmItem     *qm_item_details_get_item (QmItemDetails *self);
/* Buttons for what can be done with the item: one per entry of @menu (a
 * menu button for a submenu), whose "item." actions are @actions' (see
 * qm-item-menu.h). NULL: none. */
void        qm_item_details_set_actions (QmItemDetails *self,
                                         GMenuModel    *menu,
                                         GActionGroup  *actions);
/* The button of the entry labelled @label, or NULL (for tests). */
GtkWidget  *qm_item_details_get_action_button (QmItemDetails *self,
                                               const char    *label);

/* Where an item is, as a sentence start: "Equipped on Hunter", "In the
 * vault", "At the Titan's postmaster"… */
char       *qm_item_describe_location (QmItem       *item);

G_END_DECLS
