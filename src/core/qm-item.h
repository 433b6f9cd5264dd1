/* qm-item.h: one item of the player's, with everything shown, sorted or filtered
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qm-definitions.h"

G_BEGIN_DECLS

typedef enum
{
  QM_ITEM_LOCATION_EQUIPPED,
  QM_ITEM_LOCATION_INVENTORY,
  QM_ITEM_LOCATION_POSTMASTER,
  QM_ITEM_LOCATION_VAULT,
  QM_ITEM_LOCATION_ACCOUNT,
} QmItemLocation;

#define QM_TYPE_ITEM (qm_item_get_type ())
G_DECLARE_FINAL_TYPE (QmItem, qm_item, QM, ITEM, GObject)

/* Properties (read-only, set at construction by the profile parser):
 * "hash" (uint), "instance-id" (string, nullable), "bucket-hash" (uint),
 * "location" (int, QmItemLocation), "character-id" (string, nullable: owner),
 * "quantity" (int), "locked" (boolean), "power" (int, -1 = none),
 * "state" (int, ItemState flags), "damage-type" (int),
 * and from the definitions: "name" (nullable = unknown), "tier-name"
 * (nullable), "tier-type" (int), "item-type-name" (nullable), "icon" (nullable),
 * "class-type" (int, 3 = any), "slot-hash" (uint), "item-type" (int),
 * "item-sub-type" (int), "equippable" (boolean); derived from "state" and
 * "location": "masterwork", "equipped" (boolean); "owner-class" (int,
 * writable, 3 = none). */

QmItem         *qm_item_new                (guint32         hash,
                                            const char     *instance_id,
                                            guint32         bucket_hash,
                                            QmItemLocation  location,
                                            const char     *character_id,
                                            int             quantity,
                                            int             state,
                                            int             power,
                                            int             damage_type);
guint32         qm_item_get_hash           (QmItem *self);
const char     *qm_item_get_instance_id    (QmItem *self);
guint32         qm_item_get_bucket_hash    (QmItem *self);
QmItemLocation  qm_item_get_location       (QmItem *self);
const char     *qm_item_get_character_id   (QmItem *self);
int             qm_item_get_quantity       (QmItem *self);
gboolean        qm_item_get_locked         (QmItem *self);
int             qm_item_get_state          (QmItem *self);
int             qm_item_get_power          (QmItem *self);
int             qm_item_get_damage_type    (QmItem *self);
const char     *qm_item_get_name           (QmItem *self);
const char     *qm_item_get_tier_name      (QmItem *self);
int             qm_item_get_tier_type      (QmItem *self);
const char     *qm_item_get_item_type_name (QmItem *self);
const char     *qm_item_get_icon           (QmItem *self);
int             qm_item_get_class_type     (QmItem *self);
/* Fill the definition-derived fields from @definition (NULL or not known:
 * the item is unknown, its name NULL). Each changed property is notified. */
void            qm_item_set_definition     (QmItem                 *self,
                                            const QmItemDefinition *definition);
/* Definition-derived: the slot (inventory.bucketTypeHash; for vault and
 * postmaster items this is where the item goes, not where it is), the
 * DestinyItemType and DestinyItemSubType, equippable. */
guint32         qm_item_get_slot_hash      (QmItem *self);
int             qm_item_get_item_type      (QmItem *self);
int             qm_item_get_item_sub_type  (QmItem *self);
gboolean        qm_item_get_equippable     (QmItem *self);
/* ItemState flag 4. */
gboolean        qm_item_get_masterwork     (QmItem *self);
gboolean        qm_item_get_equipped       (QmItem *self);

/* The class of the character holding the item (3 when none: vault,
 * account); set by whoever knows the characters. */
int             qm_item_get_owner_class    (QmItem *self);
void            qm_item_set_owner_class    (QmItem *self,
                                            int     class_type);

/* Instance stats (component 304) and sockets (component 305), in the
 * order the profile lists them. */
typedef struct
{
  guint32 stat_hash;
  int     value;
} QmItemStat;

typedef struct
{
  guint32  plug_hash;     /* 0: empty socket */
  gboolean is_enabled;
  gboolean is_visible;
} QmItemSocket;

const QmItemStat   *qm_item_get_stats      (QmItem             *self,
                                            guint              *n_stats);
void                qm_item_set_stats      (QmItem             *self,
                                            const QmItemStat   *stats,
                                            guint               n_stats);
const QmItemSocket *qm_item_get_sockets    (QmItem             *self,
                                            guint              *n_sockets);
void                qm_item_set_sockets    (QmItem             *self,
                                            const QmItemSocket *sockets,
                                            guint               n_sockets);
/* A copy of @self that sits elsewhere: everything the same (definition
 * fields, stats, sockets, owner class) but the bucket it is in, where, whose
 * (NULL for vault and account), how many and its ItemState flags. For the
 * local model after an action Bungie acknowledged. */
QmItem         *qm_item_copy_placed        (QmItem         *self,
                                            guint32         bucket_hash,
                                            QmItemLocation  location,
                                            const char     *character_id,
                                            int             quantity,
                                            int             state);
const char     *qm_item_location_to_string (QmItemLocation location);
/* Equipped, in the inventory or at the postmaster of @character_id. */
gboolean        qm_item_is_held_by         (QmItem         *self,
                                            const char     *character_id);

G_END_DECLS
