/* qm-destiny.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "qm-destiny.h"

static const char * const table_names[QM_N_TABLES] = {
  [QM_TABLE_ITEM] = "DestinyInventoryItemDefinition",
  [QM_TABLE_BUCKET] = "DestinyInventoryBucketDefinition",
  [QM_TABLE_CLASS] = "DestinyClassDefinition",
  [QM_TABLE_STAT] = "DestinyStatDefinition",
  [QM_TABLE_DAMAGE_TYPE] = "DestinyDamageTypeDefinition",
  [QM_TABLE_VENDOR] = "DestinyVendorDefinition",
  [QM_TABLE_DESTINATION] = "DestinyDestinationDefinition",
  [QM_TABLE_LOADOUT_NAME] = "DestinyLoadoutNameDefinition",
  [QM_TABLE_LOADOUT_COLOR] = "DestinyLoadoutColorDefinition",
  [QM_TABLE_LOADOUT_ICON] = "DestinyLoadoutIconDefinition",
};

/**
 * qm_table_get_name:
 *
 * Returns: the manifest's name of @table, e.g. "DestinyInventoryItemDefinition"
 */
const char *
qm_table_get_name (QmTable table)
{
  g_return_val_if_fail (table < QM_N_TABLES, NULL);
  return table_names[table];
}

/* Known buckets; @order is the order they are shown in. Every currency has
 * its own bucket: they are shown together. */
static const struct
{
  guint32     hash;
  int         order;
  const char *name;
} buckets[] = {
  { QM_BUCKET_SUBCLASS, 0, N_("Subclass") },
  { QM_BUCKET_KINETIC, 1, N_("Kinetic Weapons") },
  { QM_BUCKET_ENERGY, 2, N_("Energy Weapons") },
  { QM_BUCKET_POWER, 3, N_("Power Weapons") },
  { QM_BUCKET_HELMET, 4, N_("Helmet") },
  { QM_BUCKET_GAUNTLETS, 5, N_("Gauntlets") },
  { QM_BUCKET_CHEST, 6, N_("Chest Armor") },
  { QM_BUCKET_LEGS, 7, N_("Leg Armor") },
  { QM_BUCKET_CLASS_ARMOR, 8, N_("Class Armor") },
  { QM_BUCKET_GHOST, 9, N_("Ghost") },
  { QM_BUCKET_VEHICLE, 10, N_("Vehicle") },
  { QM_BUCKET_SHIPS, 11, N_("Ships") },
  { QM_BUCKET_EMBLEMS, 12, N_("Emblems") },
  { QM_BUCKET_FINISHERS, 13, N_("Finishers") },
  { QM_BUCKET_EMOTES, 14, N_("Emotes") },
  { QM_BUCKET_ARTIFACT, 15, N_("Artifact") },
  { QM_BUCKET_CLAN_BANNERS, 16, N_("Clan Banners") },
  { QM_BUCKET_ENGRAMS, 17, N_("Engrams") },
  { QM_BUCKET_QUESTS, 18, N_("Quests") },
  { QM_BUCKET_CONSUMABLES, 19, N_("Consumables") },
  { QM_BUCKET_MODIFICATIONS, 20, N_("Modifications") },
  { QM_BUCKET_CURRENCY_FIRST + 0, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 1, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 2, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 3, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 4, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 5, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 6, 21, N_("Currencies") },
  { QM_BUCKET_CURRENCY_FIRST + 7, 21, N_("Currencies") },
  { QM_BUCKET_MESSAGES, 22, N_("Messages") },
  { QM_BUCKET_VAULT, 23, N_("Vault") },
  { QM_BUCKET_POSTMASTER, 24, N_("Postmaster") },
};

G_STATIC_ASSERT (QM_BUCKET_CURRENCY_LAST - QM_BUCKET_CURRENCY_FIRST == 7);

#define N_BUCKET_ORDERS 25

/**
 * qm_bucket_get_display_name:
 *
 * Returns: (nullable): the bucket's English name, to be translated with _(),
 *   or %NULL for a bucket not known here
 */
const char *
qm_bucket_get_display_name (guint32 bucket_hash)
{
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (buckets[i].hash == bucket_hash)
      return buckets[i].name;
  return NULL;
}

/**
 * qm_bucket_get_sort_key:
 *
 * Returns: a key that orders buckets for display: the known ones first,
 *   in game order, then the others by hash. Buckets shown together (the
 *   currencies) share a key.
 */
gint64
qm_bucket_get_sort_key (guint32 bucket_hash)
{
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (buckets[i].hash == bucket_hash)
      return buckets[i].order;
  return (gint64) N_BUCKET_ORDERS + bucket_hash;
}

/* The vault and the postmaster are places in the app (Bungie names their
 * buckets "General" and "Lost Items"), and the currencies share a heading. */
gboolean
qm_bucket_has_own_heading (guint32 bucket_hash)
{
  return bucket_hash == QM_BUCKET_VAULT || bucket_hash == QM_BUCKET_POSTMASTER ||
         (bucket_hash >= QM_BUCKET_CURRENCY_FIRST && bucket_hash <= QM_BUCKET_CURRENCY_LAST);
}

static const struct
{
  int         damage_type;
  guint32     hash;
} damage_types[] = {
  { QM_DAMAGE_KINETIC, 3373582085u },
  { QM_DAMAGE_ARC, 2303181850u },
  { QM_DAMAGE_THERMAL, 1847026933u },
  { QM_DAMAGE_VOID, 3454344768u },
  { QM_DAMAGE_STASIS, 151347233u },
  { QM_DAMAGE_STRAND, 3949783978u },
};

/**
 * qm_damage_type_get_hash:
 *
 * Returns: the DestinyDamageTypeDefinition hash of the DestinyDamageType
 *   value @damage_type, or 0 for a value not known here
 */
guint32
qm_damage_type_get_hash (int damage_type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (damage_types); i++)
    if (damage_types[i].damage_type == damage_type)
      return damage_types[i].hash;
  return 0;
}

/**
 * qm_damage_type_get_name:
 *
 * Returns: (nullable): the built-in, translated name of @damage_type, for a
 *   manifest without the damage type table; %NULL for a value not known here
 */
const char *
qm_damage_type_get_name (int damage_type)
{
  switch (damage_type)
    {
    case QM_DAMAGE_KINETIC:
      return C_("damage type name", "Kinetic");
    case QM_DAMAGE_ARC:
      return C_("damage type name", "Arc");
    case QM_DAMAGE_THERMAL:
      return C_("damage type name", "Solar");
    case QM_DAMAGE_VOID:
      return C_("damage type name", "Void");
    case QM_DAMAGE_STASIS:
      return C_("damage type name", "Stasis");
    case QM_DAMAGE_STRAND:
      return C_("damage type name", "Strand");
    default:
      return NULL;
    }
}
