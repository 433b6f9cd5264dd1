/* qm-definitions.h: typed views of manifest definitions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lookups return these by value. Their strings point into the manifest's
 * storage and stay valid while the QmManifest that returned them lives.
 * A missing definition is returned with known = FALSE and a placeholder
 * name ("Unknown item", "Unknown stat", …): never NULL.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

/* DestinyInventoryItemDefinition, the fields the app shows or filters on. */
typedef struct
{
  guint32     hash;
  gboolean    known;
  const char *name;                /* never NULL */
  const char *description;         /* displayProperties.description, nullable */
  const char *icon;                /* displayProperties.icon, nullable */
  const char *watermark;           /* iconWatermark, nullable */
  const char *flavor_text;         /* nullable */
  const char *item_type_name;      /* itemTypeDisplayName, nullable */
  const char *tier_name;           /* inventory.tierTypeName, nullable */
  int         tier_type;           /* inventory.tierType (6 exotic, 5 legendary, …) */
  guint32     bucket_hash;         /* inventory.bucketTypeHash: the slot */
  int         max_stack_size;      /* inventory.maxStackSize */
  int         class_type;          /* 0 Titan, 1 Hunter, 2 Warlock, 3 any */
  int         item_type;           /* DestinyItemType */
  int         item_sub_type;       /* DestinyItemSubType (9 hand cannon, …) */
  int         default_damage_type; /* defaultDamageType */
  gboolean    equippable;
  gboolean    non_transferrable;
} QmItemDefinition;

/* Any other table: the display properties and the one number it carries
 * (DestinyClassDefinition.classType, DestinyDamageTypeDefinition.enumValue,
 * DestinyInventoryBucketDefinition.itemCount, 0 otherwise). */
typedef struct
{
  QmTable     table;
  guint32     hash;
  gboolean    known;
  const char *name;          /* never NULL */
  const char *description;   /* nullable */
  const char *icon;          /* nullable */
  int         value;
} QmDefinition;

G_END_DECLS
