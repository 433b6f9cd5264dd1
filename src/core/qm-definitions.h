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

#include "qm-destiny.h"

G_BEGIN_DECLS


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
