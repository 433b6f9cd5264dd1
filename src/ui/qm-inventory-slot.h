/* qm-inventory-slot.h: one row of the inventory view: a slot and its items per column
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-item.h"
#include "qm-manifest.h"

G_BEGIN_DECLS

#define QM_TYPE_INVENTORY_SLOT (qm_inventory_slot_get_type ())
G_DECLARE_FINAL_TYPE (QmInventorySlot, qm_inventory_slot, QM, INVENTORY_SLOT, GObject)

/* A row of the inventory: a slot such as "Kinetic Weapons", or a group
 * (the postmaster, the currencies), with one cell per column: the
 * characters' columns, then the vault's (which also holds the account-wide
 * items). Each cell is a live GListModel of QmItem over the column's model:
 * filtered to the slot and sorted (equipped first, then power, then name). */

/* Where an item goes in the view: its slot's key. Characters' items go by
 * where they are (their bucket; the postmaster is one slot), vault items by
 * the slot of their definition, account items by their bucket; buckets
 * shown under one heading (the currencies) share a key. */
gint64           qm_inventory_slot_key_for_item     (QmItem          *item);
/* The order of the rows: kinetic, energy and power weapons, the armour
 * pieces, ghost, the other buckets, the postmaster, then the account-wide
 * consumables, modifications and currencies. */
int              qm_inventory_slot_compare_keys     (gint64           a,
                                                     gint64           b);

/* The rows for every slot the items of @all hold (in display order), with
 * cells over @columns (GListModels of QmItem, one per column: characters
 * first, the vault last). @manifest names buckets this build does not know
 * (nullable). Returns: (transfer full): a GListStore of QmInventorySlot. */
GListStore      *qm_inventory_slot_list_new         (GListModel      *all,
                                                     GPtrArray       *columns,
                                                     guint            n_characters,
                                                     QmManifest      *manifest);

gint64           qm_inventory_slot_get_key          (QmInventorySlot *self);
/* The bucket hash of the slot (the first of a group). */
guint32          qm_inventory_slot_get_bucket_hash  (QmInventorySlot *self);
const char      *qm_inventory_slot_get_title        (QmInventorySlot *self);
/* TRUE when a character has something equipped in the slot. */
gboolean         qm_inventory_slot_get_equippable   (QmInventorySlot *self);
gboolean         qm_inventory_slot_is_postmaster    (QmInventorySlot *self);
guint            qm_inventory_slot_get_n_columns    (QmInventorySlot *self);
guint            qm_inventory_slot_get_n_characters (QmInventorySlot *self);
/* Every item of the cell, in display order. */
GListModel      *qm_inventory_slot_get_cell         (QmInventorySlot *self,
                                                     guint            column);
/* The cell's equipped items and the others (the two parts of the cell). */
GListModel      *qm_inventory_slot_get_equipped     (QmInventorySlot *self,
                                                     guint            column);
GListModel      *qm_inventory_slot_get_unequipped   (QmInventorySlot *self,
                                                     guint            column);
/* TRUE when no cell holds an item (as filtered now). */
gboolean         qm_inventory_slot_is_empty         (QmInventorySlot *self);

G_END_DECLS
