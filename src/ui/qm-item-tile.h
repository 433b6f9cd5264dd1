/* qm-item-tile.h: one item as a square tile (icon, power, marks)
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

#define QM_TYPE_ITEM_TILE (qm_item_tile_get_type ())
G_DECLARE_FINAL_TYPE (QmItemTile, qm_item_tile, QM, ITEM_TILE, GtkWidget)

/* A focusable tile: the item's icon (from @icons, drawn on its tier
 * colour), power, damage type, locked and masterwork marks, quantity for
 * stacks; its accessible label and description say the same in words.
 * Enter, Space or a click opens the item's details in a popover (stats
 * and perks looked up in @manifest); a double-click activates the
 * "inventory.equip" action (the instance id) of the view it sits in. Properties: "item" (QmItem, nullable),
 * "icon-cache" (QmIconCache, nullable), "manifest" (QmManifest, nullable). */
GtkWidget *qm_item_tile_new            (QmIconCache *icons,
                                        QmManifest  *manifest);
void       qm_item_tile_set_item       (QmItemTile  *self,
                                        QmItem      *item);
QmItem    *qm_item_tile_get_item       (QmItemTile  *self);
void       qm_item_tile_set_icon_cache (QmItemTile  *self,
                                        QmIconCache *icons);
void       qm_item_tile_set_manifest   (QmItemTile  *self,
                                        QmManifest  *manifest);
/* Moving: the item's move was asked for and is not done yet (dimmed,
 * with a badge); the item is part of the view's selection. */
void       qm_item_tile_set_in_flight  (QmItemTile  *self,
                                        gboolean     in_flight);
gboolean   qm_item_tile_get_in_flight  (QmItemTile  *self);
void       qm_item_tile_set_selected   (QmItemTile  *self,
                                        gboolean     selected);
gboolean   qm_item_tile_get_selected   (QmItemTile  *self);
/* Open / close the details popover (also for tests). */
void       qm_item_tile_show_details   (QmItemTile  *self);
void       qm_item_tile_hide_details   (QmItemTile  *self);
/* The details popover while shown, else NULL (for tests). */
GtkWidget *qm_item_tile_get_details    (QmItemTile  *self);

/* The tile's accessible label and description, e.g. "Ace of Spades" and
 * "exotic hand cannon, 1810 power, equipped on Hunter, locked". */
char      *qm_item_describe_for_a11y   (QmItem      *item,
                                        char       **description);

G_END_DECLS
