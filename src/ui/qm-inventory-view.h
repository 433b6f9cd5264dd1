/* qm-inventory-view.h: the characters, the vault and the postmaster, slot by slot
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-inventory.h"
#include "qm-item-tile.h"
#include "qm-move-controller.h"

G_BEGIN_DECLS

#define QM_TYPE_INVENTORY_VIEW (qm_inventory_view_get_type ())
G_DECLARE_FINAL_TYPE (QmInventoryView, qm_inventory_view, QM, INVENTORY_VIEW, GtkWidget)

/* A card per character (emblem, class, power, item and postmaster counts)
 * and the vault's (its count against its capacity) over one virtualized
 * GtkListView of slots in game order (QmInventorySlot rows): per character
 * the equipped item and the others, the vault's items of the slot, then the
 * postmaster and the account-wide items. Slots with nothing to show are
 * left out. Clicking a card selects the character ("selected-character",
 * a character id, nullable). Keyboard: arrows move between tiles (across
 * cells and rows), Tab and Shift+Tab between cells, Space opens a tile's
 * details, Enter (or a double-click) equips gear on the character shown.
 *
 * Moving (with a move controller): a tile drags onto a character's or the
 * vault's column or card to move there, onto its slot's equipped tile to
 * equip; the drag carries G_TYPE_STRV instance ids (the tile's, or the
 * selection's when the tile is selected). While it goes the places that
 * take it have the CSS class "drop-valid", those that refuse it
 * "drop-refused", the one under the pointer "drop-hover"; a refused drop
 * says why in a toast. Ctrl-click and Ctrl+Space toggle a tile in the
 * selection, Shift-click and Shift+arrows extend it, Ctrl+A selects all,
 * Shift+Ctrl+A and Escape none. Items moving show it (QmItemTile
 * "in-flight"). */
GtkWidget   *qm_inventory_view_new                    (void);
/* Show @inventory (NULL: nothing), icons from @icons. */
void         qm_inventory_view_set_inventory          (QmInventoryView *self,
                                                       QmInventory     *inventory,
                                                       QmIconCache     *icons);
/* The search: only items @filter matches are shown (NULL: every item). The
 * view follows the filter's changes. */
void         qm_inventory_view_set_filter             (QmInventoryView *self,
                                                       GtkFilter       *filter);
/* The items shown, after the search (NULL before an inventory). */
GListModel  *qm_inventory_view_get_items              (QmInventoryView *self);
/* The rows shown (QmInventorySlot), in order (NULL before an inventory). */
GListModel  *qm_inventory_view_get_slots              (QmInventoryView *self);
const char  *qm_inventory_view_get_selected_character (QmInventoryView *self);
/* Select the character with this id (NULL or unknown: none). */
void         qm_inventory_view_set_selected_character (QmInventoryView *self,
                                                       const char      *character_id);
/* The cards over the columns (QmCharacterCard): characters', then the vault's. */
guint        qm_inventory_view_get_n_cards            (QmInventoryView *self);
GtkWidget   *qm_inventory_view_get_card               (QmInventoryView *self,
                                                       guint            column);
/* Whether the view is narrow ("narrow", read-only): narrower than its
 * columns side by side need, it shows the selected character's cells, the
 * vault's under them, and the vault's card on a line of its own. */
gboolean     qm_inventory_view_get_narrow             (QmInventoryView *self);
/* While @searching, each card says how many of its column's items the
 * filter matches ("12 of 64"). */
void         qm_inventory_view_set_searching          (QmInventoryView *self,
                                                       gboolean         searching);
/* Scroll to the top and focus the first tile once it is laid out (on a
 * later frame); FALSE when there is none. */
gboolean     qm_inventory_view_focus_first_tile       (QmInventoryView *self);
/* Move the focus from the focused tile as the arrow keys (GTK_DIR_UP…),
 * Tab and Shift+Tab (GTK_DIR_TAB_FORWARD/BACKWARD) do. FALSE when the
 * focus is not on a tile or cannot move that way. */
gboolean     qm_inventory_view_move_focus             (QmInventoryView *self,
                                                       GtkDirectionType direction);

/* The window's moves go through @controller (NULL: no moving). */
void         qm_inventory_view_set_move_controller    (QmInventoryView  *self,
                                                       QmMoveController *controller);
QmMoveController *qm_inventory_view_get_move_controller (QmInventoryView *self);
/* The selection: a GtkMultiSelection over qm_inventory_view_get_items()
 * (NULL before an inventory). */
GtkSelectionModel *qm_inventory_view_get_selection    (QmInventoryView *self);
/* The instance ids selected, sorted. Returns: (transfer full) */
char       **qm_inventory_view_dup_selected_ids       (QmInventoryView *self);
/* What a drag from @tile carries: its instance id, or the selection's when
 * it is selected; NULL for a tile with no instance id (a stack).
 * Returns: (transfer full) (nullable) */
char       **qm_inventory_view_dup_drag_ids           (QmInventoryView *self,
                                                       QmItemTile      *tile);
/* What a drop of @instance_ids on @column (a character's, then the vault's;
 * @equip: on the equipped slot) does: the move asked for (the items marked
 * in flight before this returns) and TRUE, or FALSE with the reason shown
 * in a toast and returned in @refusal ("" when there is nothing to do). */
gboolean     qm_inventory_view_drop_items             (QmInventoryView    *self,
                                                       const char * const *instance_ids,
                                                       guint               column,
                                                       gboolean            equip,
                                                       QmMoveFlags         flags,
                                                       char              **refusal);
/* Whether a tile of the view is being dragged. */
gboolean     qm_inventory_view_get_dragging           (QmInventoryView *self);
/* The tile shown for @instance_id, when its row is (for tests). */
GtkWidget   *qm_inventory_view_find_tile              (QmInventoryView *self,
                                                       const char      *instance_id);

G_END_DECLS
