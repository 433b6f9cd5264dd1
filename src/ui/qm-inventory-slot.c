/* qm-inventory-slot.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-inventory-slot"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "qm-inventory-slot.h"

/* The slots a player looks for first, in the game's order. */
static const guint32 gear_buckets[] = {
  QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER,
  QM_BUCKET_HELMET, QM_BUCKET_GAUNTLETS, QM_BUCKET_CHEST, QM_BUCKET_LEGS, QM_BUCKET_CLASS_ARMOR,
  QM_BUCKET_GHOST,
};

/* Account-wide, shown last. */
static const guint32 account_buckets[] = {
  QM_BUCKET_CONSUMABLES, QM_BUCKET_MODIFICATIONS, QM_BUCKET_GLIMMER,
};

struct _QmInventorySlot
{
  GObject    parent_instance;

  gint64     key;
  guint32    bucket_hash;
  char      *title;
  gboolean   equippable;
  guint      n_characters;
  /* Per column: the cell, its equipped part and the rest (all GListModel). */
  GPtrArray *cells;
  GPtrArray *equipped;
  GPtrArray *unequipped;
};

G_DEFINE_FINAL_TYPE (QmInventorySlot, qm_inventory_slot, G_TYPE_OBJECT)

/* Which items of a column a cell takes. */
typedef enum
{
  PART_ALL,
  PART_EQUIPPED,
  PART_UNEQUIPPED,
} CellPart;

typedef struct
{
  gint64   key;
  CellPart part;
} CellFilter;

gint64
qm_inventory_slot_key_for_item (QmItem *item)
{
  g_return_val_if_fail (QM_IS_ITEM (item), 0);

  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_POSTMASTER:
      return qm_bucket_get_sort_key (QM_BUCKET_POSTMASTER);
    case QM_ITEM_LOCATION_VAULT:
      /* Its bucket is the vault's: it goes where its definition says. */
      return qm_bucket_get_sort_key (qm_item_get_slot_hash (item));
    case QM_ITEM_LOCATION_EQUIPPED:
    case QM_ITEM_LOCATION_INVENTORY:
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return qm_bucket_get_sort_key (qm_item_get_bucket_hash (item));
    }
}

static int
index_of_key (const guint32 *buckets,
              gsize          n_buckets,
              gint64         key)
{
  for (gsize i = 0; i < n_buckets; i++)
    if (qm_bucket_get_sort_key (buckets[i]) == key)
      return (int) i;
  return -1;
}

/* The group a key is shown in (gear, other, postmaster, account) and its
 * place in the group. */
static void
rank_key (gint64  key,
          int    *group,
          gint64 *place)
{
  int index;

  if ((index = index_of_key (gear_buckets, G_N_ELEMENTS (gear_buckets), key)) >= 0)
    {
      *group = 0;
      *place = index;
    }
  else if (key == qm_bucket_get_sort_key (QM_BUCKET_POSTMASTER))
    {
      *group = 2;
      *place = 0;
    }
  else if ((index = index_of_key (account_buckets, G_N_ELEMENTS (account_buckets), key)) >= 0)
    {
      *group = 3;
      *place = index;
    }
  else
    {
      *group = 1;
      *place = key;
    }
}

int
qm_inventory_slot_compare_keys (gint64 a,
                                gint64 b)
{
  int group_a;
  int group_b;
  gint64 place_a;
  gint64 place_b;

  rank_key (a, &group_a, &place_a);
  rank_key (b, &group_b, &place_b);
  if (group_a != group_b)
    return group_a < group_b ? -1 : 1;
  if (place_a != place_b)
    return place_a < place_b ? -1 : 1;
  return 0;
}

static gboolean
cell_filter_match (gpointer item,
                   gpointer user_data)
{
  CellFilter *filter = user_data;

  if (qm_inventory_slot_key_for_item (item) != filter->key)
    return FALSE;
  switch (filter->part)
    {
    case PART_EQUIPPED:
      return qm_item_get_equipped (item);
    case PART_UNEQUIPPED:
      return !qm_item_get_equipped (item);
    case PART_ALL:
    default:
      return TRUE;
    }
}

static GListModel *
cell_filter_model_new (GListModel *column,
                       gint64      key,
                       CellPart    part)
{
  CellFilter *data = g_new0 (CellFilter, 1);
  GtkCustomFilter *filter;

  data->key = key;
  data->part = part;
  filter = gtk_custom_filter_new (cell_filter_match, data, g_free);
  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (column), GTK_FILTER (filter)));
}

/* Names compare in the user's collation; the key is made once per item. */
static const char *
get_collate_key (QmItem *item)
{
  static GQuark quark;
  const char *key;

  if (quark == 0)
    quark = g_quark_from_static_string ("qm-inventory-slot-collate-key");
  key = g_object_get_qdata (G_OBJECT (item), quark);
  if (key == NULL)
    {
      const char *name = qm_item_get_name (item);
      char *new_key = g_utf8_collate_key (name != NULL ? name : "", -1);

      g_object_set_qdata_full (G_OBJECT (item), quark, new_key, g_free);
      key = new_key;
    }
  return key;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  QmItem *item_a = QM_ITEM ((gpointer) a);
  QmItem *item_b = QM_ITEM ((gpointer) b);
  gboolean equipped_a = qm_item_get_equipped (item_a);
  gboolean equipped_b = qm_item_get_equipped (item_b);
  int power_a = qm_item_get_power (item_a);
  int power_b = qm_item_get_power (item_b);
  int order;

  if (equipped_a != equipped_b)
    return equipped_a ? -1 : 1;
  if (power_a != power_b)
    return power_a > power_b ? -1 : 1;
  order = strcmp (get_collate_key (item_a), get_collate_key (item_b));
  if (order != 0)
    return order;
  return qm_item_get_hash (item_a) < qm_item_get_hash (item_b) ? -1
         : qm_item_get_hash (item_a) > qm_item_get_hash (item_b) ? 1 : 0;
}

static char *
title_for_bucket (guint32     bucket_hash,
                  QmManifest *manifest)
{
  char *name = qm_bucket_dup_name (manifest, bucket_hash);

  if (name != NULL)
    return name;
  /* Translators: the heading of items whose slot is not known. */
  return g_strdup (_("Other"));
}

static QmInventorySlot *
qm_inventory_slot_new (gint64      key,
                       guint32     bucket_hash,
                       GPtrArray  *columns,
                       guint       n_characters,
                       GtkSorter  *sorter,
                       QmManifest *manifest)
{
  QmInventorySlot *self = g_object_new (QM_TYPE_INVENTORY_SLOT, NULL);

  self->key = key;
  self->bucket_hash = bucket_hash;
  self->title = title_for_bucket (bucket_hash, manifest);
  self->n_characters = n_characters;

  for (guint i = 0; i < columns->len; i++)
    {
      GListModel *column = g_ptr_array_index (columns, i);
      GListModel *equipped;
      GListModel *unequipped;
      GListModel *cell;

      if (i < n_characters)
        {
          g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);

          equipped = cell_filter_model_new (column, key, PART_EQUIPPED);
          unequipped = G_LIST_MODEL (gtk_sort_list_model_new (cell_filter_model_new (column, key,
                                                                                     PART_UNEQUIPPED),
                                                              g_object_ref (sorter)));
          g_list_store_append (parts, equipped);
          g_list_store_append (parts, unequipped);
          cell = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts))));
        }
      else
        {
          /* Nothing is equipped in the vault. */
          equipped = G_LIST_MODEL (g_list_store_new (QM_TYPE_ITEM));
          unequipped = G_LIST_MODEL (gtk_sort_list_model_new (cell_filter_model_new (column, key,
                                                                                     PART_ALL),
                                                              g_object_ref (sorter)));
          cell = g_object_ref (unequipped);
        }
      g_ptr_array_add (self->equipped, equipped);
      g_ptr_array_add (self->unequipped, unequipped);
      g_ptr_array_add (self->cells, cell);
    }
  return self;
}

static int
compare_slots (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return qm_inventory_slot_compare_keys (QM_INVENTORY_SLOT ((gpointer) a)->key,
                                         QM_INVENTORY_SLOT ((gpointer) b)->key);
}

static guint32
bucket_of_item (QmItem *item)
{
  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_POSTMASTER:
      return QM_BUCKET_POSTMASTER;
    case QM_ITEM_LOCATION_VAULT:
      return qm_item_get_slot_hash (item);
    case QM_ITEM_LOCATION_EQUIPPED:
    case QM_ITEM_LOCATION_INVENTORY:
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return qm_item_get_bucket_hash (item);
    }
}

GListStore *
qm_inventory_slot_list_new (GListModel *all,
                            GPtrArray  *columns,
                            guint       n_characters,
                            QmManifest *manifest)
{
  /* key → the first bucket seen with it, which names the row */
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  /* keys of slots something is equipped in */
  g_autoptr(GHashTable) equippable = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GtkSorter) sorter = NULL;
  GListStore *slots;
  GHashTableIter iter;
  gpointer key;
  gpointer bucket_hash;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (all), NULL);
  g_return_val_if_fail (columns != NULL && columns->len > n_characters, NULL);

  n_items = g_list_model_get_n_items (all);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (all, i);
      gint64 item_key = qm_inventory_slot_key_for_item (item);

      if (!g_hash_table_contains (buckets, &item_key))
        g_hash_table_insert (buckets, g_memdup2 (&item_key, sizeof item_key),
                             GUINT_TO_POINTER (bucket_of_item (item)));
      if (qm_item_get_equipped (item) && !g_hash_table_contains (equippable, &item_key))
        g_hash_table_add (equippable, g_memdup2 (&item_key, sizeof item_key));
    }

  slots = g_list_store_new (QM_TYPE_INVENTORY_SLOT);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, NULL, NULL));
  g_hash_table_iter_init (&iter, buckets);
  while (g_hash_table_iter_next (&iter, &key, &bucket_hash))
    {
      g_autoptr(QmInventorySlot) slot = NULL;

      slot = qm_inventory_slot_new (*(gint64 *) key, GPOINTER_TO_UINT (bucket_hash), columns,
                                    n_characters, sorter, manifest);
      slot->equippable = g_hash_table_contains (equippable, key);
      g_list_store_append (slots, slot);
    }
  g_list_store_sort (slots, compare_slots, NULL);
  return slots;
}

static void
qm_inventory_slot_finalize (GObject *object)
{
  QmInventorySlot *self = QM_INVENTORY_SLOT (object);

  g_free (self->title);
  g_ptr_array_unref (self->cells);
  g_ptr_array_unref (self->equipped);
  g_ptr_array_unref (self->unequipped);

  G_OBJECT_CLASS (qm_inventory_slot_parent_class)->finalize (object);
}

static void
qm_inventory_slot_class_init (QmInventorySlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_inventory_slot_finalize;
}

static void
qm_inventory_slot_init (QmInventorySlot *self)
{
  self->cells = g_ptr_array_new_with_free_func (g_object_unref);
  self->equipped = g_ptr_array_new_with_free_func (g_object_unref);
  self->unequipped = g_ptr_array_new_with_free_func (g_object_unref);
}

gint64
qm_inventory_slot_get_key (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), 0);

  return self->key;
}

guint32
qm_inventory_slot_get_bucket_hash (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), 0);

  return self->bucket_hash;
}

const char *
qm_inventory_slot_get_title (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), NULL);

  return self->title;
}

gboolean
qm_inventory_slot_get_equippable (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), FALSE);

  return self->equippable;
}

gboolean
qm_inventory_slot_is_postmaster (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), FALSE);

  return self->key == qm_bucket_get_sort_key (QM_BUCKET_POSTMASTER);
}

guint
qm_inventory_slot_get_n_columns (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), 0);

  return self->cells->len;
}

guint
qm_inventory_slot_get_n_characters (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), 0);

  return self->n_characters;
}

GListModel *
qm_inventory_slot_get_cell (QmInventorySlot *self,
                            guint            column)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), NULL);
  g_return_val_if_fail (column < self->cells->len, NULL);

  return g_ptr_array_index (self->cells, column);
}

GListModel *
qm_inventory_slot_get_equipped (QmInventorySlot *self,
                                guint            column)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), NULL);
  g_return_val_if_fail (column < self->equipped->len, NULL);

  return g_ptr_array_index (self->equipped, column);
}

GListModel *
qm_inventory_slot_get_unequipped (QmInventorySlot *self,
                                  guint            column)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), NULL);
  g_return_val_if_fail (column < self->unequipped->len, NULL);

  return g_ptr_array_index (self->unequipped, column);
}

gboolean
qm_inventory_slot_is_empty (QmInventorySlot *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_SLOT (self), TRUE);

  for (guint i = 0; i < self->cells->len; i++)
    if (g_list_model_get_n_items (g_ptr_array_index (self->cells, i)) > 0)
      return FALSE;
  return TRUE;
}
