/* qm-destiny.h: Destiny 2's fixed numbers, in one place
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hashes and enum values that are the same in every manifest version: the
 * inventory buckets (DestinyInventoryBucketDefinition), the damage types
 * (DestinyDamageType and DestinyDamageTypeDefinition), the item types the
 * app tells apart, the vendors and items it looks for, and the manifest
 * tables it reads. The app, the CLI and the sandbox all take them from here.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The plug hash in-game loadouts report for sockets they do not set. */
#define QM_LOADOUT_UNSET_PLUG_HASH 2166136261u

/* The itemInstanceId of an empty place in an in-game loadout. */
#define QM_LOADOUT_EMPTY_ITEM "0"

/* DestinyInventoryBucketDefinition hashes. */
#define QM_BUCKET_SUBCLASS      3284755031u
#define QM_BUCKET_KINETIC       1498876634u
#define QM_BUCKET_ENERGY        2465295065u
#define QM_BUCKET_POWER          953998645u
#define QM_BUCKET_HELMET        3448274439u
#define QM_BUCKET_GAUNTLETS     3551918588u
#define QM_BUCKET_CHEST           14239492u
#define QM_BUCKET_LEGS            20886954u
#define QM_BUCKET_CLASS_ARMOR   1585787867u
#define QM_BUCKET_GHOST         4023194814u
#define QM_BUCKET_VEHICLE       2025709351u
#define QM_BUCKET_SHIPS          284967655u
#define QM_BUCKET_EMBLEMS       4274335291u
#define QM_BUCKET_FINISHERS     3683254069u
#define QM_BUCKET_EMOTES        1107761855u
#define QM_BUCKET_ARTIFACT      1506418338u
#define QM_BUCKET_CLAN_BANNERS  4292445962u
#define QM_BUCKET_ENGRAMS        375726501u
#define QM_BUCKET_QUESTS        1345459588u
#define QM_BUCKET_CONSUMABLES   1469714392u
#define QM_BUCKET_MODIFICATIONS 3313201758u
#define QM_BUCKET_MESSAGES      3161908920u
#define QM_BUCKET_VAULT          138197802u
#define QM_BUCKET_POSTMASTER     215593132u
/* The postmaster's itemCount (DestinyInventoryBucketDefinition 215593132):
 * what it holds when the definitions are not at hand. */
#define QM_POSTMASTER_CAPACITY   21
/* Every currency has a bucket of its own, 2689798304 to 2689798311. */
#define QM_BUCKET_CURRENCY_FIRST 2689798304u
#define QM_BUCKET_CURRENCY_LAST  2689798311u
#define QM_BUCKET_GLIMMER        2689798308u

/* DestinyItemType values the app uses. */
#define QM_ITEM_TYPE_ARMOR   2
#define QM_ITEM_TYPE_WEAPON  3
#define QM_ITEM_TYPE_GHOST  24

/* DestinyDamageType values. */
#define QM_DAMAGE_KINETIC 1
#define QM_DAMAGE_ARC     2
#define QM_DAMAGE_THERMAL 3   /* solar */
#define QM_DAMAGE_VOID    4
#define QM_DAMAGE_STASIS  6
#define QM_DAMAGE_STRAND  7

/* DestinyStatDefinition hashes. */
#define QM_STAT_POWER 1935470627u

/* DestinyVendorDefinition hashes. */
#define QM_VENDOR_XUR              2190858386u  /* Xûr */
#define QM_VENDOR_XUR_STRANGE_GEAR 3751514131u  /* his "Strange Gear Offers" */

/* DestinyInventoryItemDefinition hashes of the currencies. */
#define QM_ITEM_GLIMMER          3159615086u
#define QM_ITEM_LEGENDARY_SHARDS 1022552290u
#define QM_ITEM_BRIGHT_DUST      2817410917u
#define QM_ITEM_SILVER           3147280338u
#define QM_ITEM_STRANGE_COIN      800069450u

/* The manifest tables the app reads. */
typedef enum
{
  QM_TABLE_ITEM,           /* DestinyInventoryItemDefinition */
  QM_TABLE_BUCKET,         /* DestinyInventoryBucketDefinition */
  QM_TABLE_CLASS,          /* DestinyClassDefinition */
  QM_TABLE_STAT,           /* DestinyStatDefinition */
  QM_TABLE_DAMAGE_TYPE,    /* DestinyDamageTypeDefinition */
  QM_TABLE_VENDOR,         /* DestinyVendorDefinition */
  QM_TABLE_DESTINATION,    /* DestinyDestinationDefinition */
  QM_TABLE_LOADOUT_NAME,   /* DestinyLoadoutNameDefinition */
  QM_TABLE_LOADOUT_COLOR,  /* DestinyLoadoutColorDefinition */
  QM_TABLE_LOADOUT_ICON,   /* DestinyLoadoutIconDefinition */
  QM_N_TABLES
} QmTable;

const char *qm_table_get_name          (QmTable  table);

/* Buckets (slots) by their inventory bucket hash: the English display name
 * (marked with N_(): translate it with _()), NULL for a bucket not known here;
 * and the order to show them in (known buckets first, the rest by hash;
 * buckets shown under one heading, such as the currencies, share a key).
 * Names for people come from qm_bucket_dup_name() (qm-manifest.h): these are its
 * fallback. */
const char *qm_bucket_get_display_name (guint32  bucket_hash);
gint64      qm_bucket_get_sort_key     (guint32  bucket_hash);
/* Whether the app shows @bucket_hash under a heading of its own (the vault,
 * the postmaster, the currencies) rather than under the bucket's name. */
gboolean    qm_bucket_has_own_heading  (guint32  bucket_hash);

/* The damage types: the DestinyDamageTypeDefinition hash of a
 * DestinyDamageType value (0 when unknown), and its built-in name,
 * translated (NULL when unknown). */
guint32     qm_damage_type_get_hash    (int      damage_type);
const char *qm_damage_type_get_name    (int      damage_type);

G_END_DECLS
