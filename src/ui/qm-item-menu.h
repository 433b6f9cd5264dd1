/* qm-item-menu.h: what can be done with an item, as a menu and as actions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context menu of a tile (right-click, Shift+F10, the Menu key) and the
 * buttons of its details offer the same things, from one menu model and one
 * "item" action group: "Move to ▸ character / Vault", "Equip on ▸
 * character", "Lock" or "Unlock", "Pull from postmaster", each only where it
 * applies. A tile that is part of the view's selection acts for the whole
 * selection, as one batch. Everything goes through the window's move
 * controller.
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-item.h"
#include "qm-move-controller.h"
#include "qm-profile.h"

G_BEGIN_DECLS

/* The menu for @items (GPtrArray of QmItem, held in @profile): a "Move to"
 * submenu (each character that does not hold them all, and the vault),
 * an "Equip on" submenu (the characters of the items' class), "Lock",
 * "Unlock" and "Pull from postmaster", each only where it applies. NULL
 * when nothing applies. Its items name "item." actions. */
GMenuModel       *qm_item_menu_new_model        (QmProfile        *profile,
                                                 GPtrArray        *items);

/* The "item" group for @items through @controller: "move-to" and
 * "equip-on" (a character id, or "vault" for move-to), "lock", "unlock",
 * "pull". The keys held when one is activated count (Alt: the opposite of
 * "Make space automatically" for that move). */
GActionGroup     *qm_item_menu_new_actions      (QmMoveController *controller,
                                                 GPtrArray        *items);

/* The move controller of the window @widget is in (NULL: none). */
QmMoveController *qm_item_menu_find_controller  (GtkWidget        *widget);

/* Open the menu for @item (or the selection it is part of) on @parent,
 * pointing at (@x, @y) in @parent (negative: its middle). Returns the menu
 * (a GtkPopoverMenu parented to @parent until it closes), or NULL when
 * @parent is in no window with a move controller or nothing applies. */
GtkWidget        *qm_item_menu_popup            (GtkWidget        *parent,
                                                 QmItem           *item,
                                                 double            x,
                                                 double            y);
/* The menu open on @parent, or NULL. */
GtkWidget        *qm_item_menu_get_popup        (GtkWidget        *parent);
/* Close and drop the menu open on @parent (another item shown, or
 * @parent going away). */
void              qm_item_menu_close            (GtkWidget        *parent);

/* Give @details (a QmItemDetails opened from @source) the same actions as
 * buttons; an action used closes the popover the details are in. */
void              qm_item_menu_attach_to_details (GtkWidget       *source,
                                                  GtkWidget       *details,
                                                  QmItem          *item);

/* Lock or unlock @item (the lock mark clicked on @source). */
void              qm_item_menu_toggle_lock      (GtkWidget        *source,
                                                 QmItem           *item);

G_END_DECLS
