/* qm-item.c: one item of the player's
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-item"

#include "config.h"

#include "qm-item.h"

#include <glib/gi18n-lib.h>

/* ItemState flags: locked, masterwork. */
#define ITEM_STATE_LOCKED     1
#define ITEM_STATE_MASTERWORK 4

struct _QmItem
{
  GObject         parent_instance;

  guint32         hash;
  char           *instance_id;
  guint32         bucket_hash;
  QmItemLocation  location;
  char           *character_id;
  int             quantity;
  int             state;
  int             power;
  int             damage_type;

  char           *name;
  char           *tier_name;
  int             tier_type;
  char           *item_type_name;
  char           *icon;
  int             class_type;
  guint32         slot_hash;
  int             item_type;
  int             item_sub_type;
  gboolean        equippable;
  int             owner_class;

  QmItemStat     *stats;
  guint           n_stats;
  QmItemSocket   *sockets;
  guint           n_sockets;
};

G_DEFINE_FINAL_TYPE (QmItem, qm_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HASH,
  PROP_INSTANCE_ID,
  PROP_BUCKET_HASH,
  PROP_LOCATION,
  PROP_CHARACTER_ID,
  PROP_QUANTITY,
  PROP_LOCKED,
  PROP_POWER,
  PROP_STATE,
  PROP_DAMAGE_TYPE,
  PROP_NAME,
  PROP_TIER_NAME,
  PROP_TIER_TYPE,
  PROP_ITEM_TYPE_NAME,
  PROP_ICON,
  PROP_CLASS_TYPE,
  PROP_SLOT_HASH,
  PROP_ITEM_TYPE,
  PROP_ITEM_SUB_TYPE,
  PROP_EQUIPPABLE,
  PROP_MASTERWORK,
  PROP_EQUIPPED,
  PROP_OWNER_CLASS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
qm_item_finalize (GObject *object)
{
  QmItem *self = QM_ITEM (object);

  g_free (self->instance_id);
  g_free (self->character_id);
  g_free (self->name);
  g_free (self->tier_name);
  g_free (self->item_type_name);
  g_free (self->icon);
  g_free (self->stats);
  g_free (self->sockets);

  G_OBJECT_CLASS (qm_item_parent_class)->finalize (object);
}

static void
qm_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  QmItem *self = QM_ITEM (object);

  switch (prop_id)
    {
    case PROP_HASH:
      g_value_set_uint (value, self->hash);
      break;
    case PROP_INSTANCE_ID:
      g_value_set_string (value, self->instance_id);
      break;
    case PROP_BUCKET_HASH:
      g_value_set_uint (value, self->bucket_hash);
      break;
    case PROP_LOCATION:
      g_value_set_int (value, self->location);
      break;
    case PROP_CHARACTER_ID:
      g_value_set_string (value, self->character_id);
      break;
    case PROP_QUANTITY:
      g_value_set_int (value, self->quantity);
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, qm_item_get_locked (self));
      break;
    case PROP_POWER:
      g_value_set_int (value, self->power);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_DAMAGE_TYPE:
      g_value_set_int (value, self->damage_type);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TIER_NAME:
      g_value_set_string (value, self->tier_name);
      break;
    case PROP_TIER_TYPE:
      g_value_set_int (value, self->tier_type);
      break;
    case PROP_ITEM_TYPE_NAME:
      g_value_set_string (value, self->item_type_name);
      break;
    case PROP_ICON:
      g_value_set_string (value, self->icon);
      break;
    case PROP_CLASS_TYPE:
      g_value_set_int (value, self->class_type);
      break;
    case PROP_SLOT_HASH:
      g_value_set_uint (value, self->slot_hash);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_int (value, self->item_type);
      break;
    case PROP_ITEM_SUB_TYPE:
      g_value_set_int (value, self->item_sub_type);
      break;
    case PROP_EQUIPPABLE:
      g_value_set_boolean (value, self->equippable);
      break;
    case PROP_MASTERWORK:
      g_value_set_boolean (value, qm_item_get_masterwork (self));
      break;
    case PROP_EQUIPPED:
      g_value_set_boolean (value, qm_item_get_equipped (self));
      break;
    case PROP_OWNER_CLASS:
      g_value_set_int (value, self->owner_class);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_item_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  QmItem *self = QM_ITEM (object);

  switch (prop_id)
    {
    case PROP_HASH:
      self->hash = g_value_get_uint (value);
      break;
    case PROP_INSTANCE_ID:
      self->instance_id = g_value_dup_string (value);
      break;
    case PROP_BUCKET_HASH:
      self->bucket_hash = g_value_get_uint (value);
      break;
    case PROP_LOCATION:
      self->location = g_value_get_int (value);
      break;
    case PROP_CHARACTER_ID:
      self->character_id = g_value_dup_string (value);
      break;
    case PROP_QUANTITY:
      self->quantity = g_value_get_int (value);
      break;
    case PROP_POWER:
      self->power = g_value_get_int (value);
      break;
    case PROP_STATE:
      self->state = g_value_get_int (value);
      break;
    case PROP_DAMAGE_TYPE:
      self->damage_type = g_value_get_int (value);
      break;
    case PROP_OWNER_CLASS:
      qm_item_set_owner_class (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
construct_int (const char *name,
               int         minimum,
               int         maximum,
               int         fallback)
{
  return g_param_spec_int (name, NULL, NULL, minimum, maximum, fallback,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
construct_string (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
construct_uint (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT32, 0,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
definition_int (const char *name,
                int         fallback)
{
  return g_param_spec_int (name, NULL, NULL, G_MININT, G_MAXINT, fallback,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
definition_string (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
qm_item_class_init (QmItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_item_finalize;
  object_class->get_property = qm_item_get_property;
  object_class->set_property = qm_item_set_property;

  properties[PROP_HASH] = construct_uint ("hash");
  properties[PROP_INSTANCE_ID] = construct_string ("instance-id");
  properties[PROP_BUCKET_HASH] = construct_uint ("bucket-hash");
  properties[PROP_LOCATION] = construct_int ("location", QM_ITEM_LOCATION_EQUIPPED,
                                             QM_ITEM_LOCATION_ACCOUNT, QM_ITEM_LOCATION_INVENTORY);
  properties[PROP_CHARACTER_ID] = construct_string ("character-id");
  properties[PROP_QUANTITY] = construct_int ("quantity", 0, G_MAXINT, 1);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POWER] = construct_int ("power", -1, G_MAXINT, -1);
  properties[PROP_STATE] = construct_int ("state", G_MININT, G_MAXINT, 0);
  properties[PROP_DAMAGE_TYPE] = construct_int ("damage-type", G_MININT, G_MAXINT, 0);
  properties[PROP_NAME] = definition_string ("name");
  properties[PROP_TIER_NAME] = definition_string ("tier-name");
  properties[PROP_TIER_TYPE] = definition_int ("tier-type", 0);
  properties[PROP_ITEM_TYPE_NAME] = definition_string ("item-type-name");
  properties[PROP_ICON] = definition_string ("icon");
  properties[PROP_CLASS_TYPE] = definition_int ("class-type", 3);
  properties[PROP_SLOT_HASH] =
    g_param_spec_uint ("slot-hash", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] = definition_int ("item-type", 0);
  properties[PROP_ITEM_SUB_TYPE] = definition_int ("item-sub-type", 0);
  properties[PROP_EQUIPPABLE] =
    g_param_spec_boolean ("equippable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASTERWORK] =
    g_param_spec_boolean ("masterwork", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EQUIPPED] =
    g_param_spec_boolean ("equipped", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER_CLASS] =
    g_param_spec_int ("owner-class", NULL, NULL, 0, 3, 3,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_item_init (QmItem *self)
{
  self->quantity = 1;
  self->power = -1;
  self->class_type = 3;
  self->owner_class = 3;
}

/**
 * qm_item_new:
 *
 * Returns: (transfer full): a new item, without definition data (unknown)
 */
QmItem *
qm_item_new (guint32         hash,
             const char     *instance_id,
             guint32         bucket_hash,
             QmItemLocation  location,
             const char     *character_id,
             int             quantity,
             int             state,
             int             power,
             int             damage_type)
{
  return g_object_new (QM_TYPE_ITEM,
                       "hash", hash,
                       "instance-id", instance_id,
                       "bucket-hash", bucket_hash,
                       "location", (int) location,
                       "character-id", character_id,
                       "quantity", MAX (quantity, 0),
                       "state", state,
                       "power", MAX (power, -1),
                       "damage-type", damage_type,
                       NULL);
}

guint32
qm_item_get_hash (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->hash;
}

const char *
qm_item_get_instance_id (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->instance_id;
}

guint32
qm_item_get_bucket_hash (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->bucket_hash;
}

QmItemLocation
qm_item_get_location (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), QM_ITEM_LOCATION_INVENTORY);
  return self->location;
}

const char *
qm_item_get_character_id (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->character_id;
}

int
qm_item_get_quantity (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->quantity;
}

gboolean
qm_item_get_locked (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), FALSE);
  return (self->state & ITEM_STATE_LOCKED) != 0;
}

int
qm_item_get_state (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->state;
}

int
qm_item_get_power (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), -1);
  return self->power;
}

int
qm_item_get_damage_type (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->damage_type;
}

const char *
qm_item_get_name (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->name;
}

const char *
qm_item_get_tier_name (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->tier_name;
}

int
qm_item_get_tier_type (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->tier_type;
}

const char *
qm_item_get_item_type_name (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->item_type_name;
}

const char *
qm_item_get_icon (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  return self->icon;
}

int
qm_item_get_class_type (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 3);
  return self->class_type;
}

static void
update_string (QmItem      *self,
               char       **field,
               const char  *value,
               int          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_int (QmItem *self,
            int    *field,
            int     value,
            int     prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_uint (QmItem  *self,
             guint32 *field,
             guint32  value,
             int      prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * qm_item_set_definition:
 * @definition: (nullable): the item's definition; %NULL or not known marks
 *   the item as unknown (its name %NULL)
 *
 * Fills the fields that come from the item's definition. Each property
 * that changes is notified.
 */
void
qm_item_set_definition (QmItem                 *self,
                        const QmItemDefinition *definition)
{
  static const QmItemDefinition unknown = { .class_type = 3 };
  const QmItemDefinition *def = definition != NULL && definition->known ? definition : &unknown;

  g_return_if_fail (QM_IS_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  update_string (self, &self->name, def->name, PROP_NAME);
  update_string (self, &self->item_type_name, def->item_type_name, PROP_ITEM_TYPE_NAME);
  update_string (self, &self->tier_name, def->tier_name, PROP_TIER_NAME);
  update_int (self, &self->tier_type, def->tier_type, PROP_TIER_TYPE);
  update_string (self, &self->icon, def->icon, PROP_ICON);
  update_int (self, &self->class_type, def->class_type, PROP_CLASS_TYPE);
  update_uint (self, &self->slot_hash, def->bucket_hash, PROP_SLOT_HASH);
  update_int (self, &self->item_type, def->item_type, PROP_ITEM_TYPE);
  update_int (self, &self->item_sub_type, def->item_sub_type, PROP_ITEM_SUB_TYPE);
  update_int (self, &self->equippable, def->equippable != FALSE, PROP_EQUIPPABLE);
  g_object_thaw_notify (G_OBJECT (self));
}

guint32
qm_item_get_slot_hash (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->slot_hash;
}

int
qm_item_get_item_type (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->item_type;
}

int
qm_item_get_item_sub_type (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 0);
  return self->item_sub_type;
}

gboolean
qm_item_get_equippable (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), FALSE);
  return self->equippable;
}

gboolean
qm_item_get_masterwork (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), FALSE);
  return (self->state & ITEM_STATE_MASTERWORK) != 0;
}

gboolean
qm_item_get_equipped (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), FALSE);
  return self->location == QM_ITEM_LOCATION_EQUIPPED;
}

int
qm_item_get_owner_class (QmItem *self)
{
  g_return_val_if_fail (QM_IS_ITEM (self), 3);
  return self->owner_class;
}

void
qm_item_set_owner_class (QmItem *self,
                         int     class_type)
{
  g_return_if_fail (QM_IS_ITEM (self));
  update_int (self, &self->owner_class, CLAMP (class_type, 0, 3), PROP_OWNER_CLASS);
}

const QmItemStat *
qm_item_get_stats (QmItem *self,
                   guint  *n_stats)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  if (n_stats != NULL)
    *n_stats = self->n_stats;
  return self->stats;
}

void
qm_item_set_stats (QmItem           *self,
                   const QmItemStat *stats,
                   guint             n_stats)
{
  g_return_if_fail (QM_IS_ITEM (self));
  g_return_if_fail (stats != NULL || n_stats == 0);
  g_free (self->stats);
  self->stats = n_stats > 0 ? g_memdup2 (stats, sizeof *stats * n_stats) : NULL;
  self->n_stats = n_stats;
}

const QmItemSocket *
qm_item_get_sockets (QmItem *self,
                     guint  *n_sockets)
{
  g_return_val_if_fail (QM_IS_ITEM (self), NULL);
  if (n_sockets != NULL)
    *n_sockets = self->n_sockets;
  return self->sockets;
}

void
qm_item_set_sockets (QmItem             *self,
                     const QmItemSocket *sockets,
                     guint               n_sockets)
{
  g_return_if_fail (QM_IS_ITEM (self));
  g_return_if_fail (sockets != NULL || n_sockets == 0);
  g_free (self->sockets);
  self->sockets = n_sockets > 0 ? g_memdup2 (sockets, sizeof *sockets * n_sockets) : NULL;
  self->n_sockets = n_sockets;
}

/**
 * qm_item_copy_placed:
 *
 * Returns: (transfer full): a copy of @self in another place
 */
QmItem *
qm_item_copy_placed (QmItem         *self,
                     guint32         bucket_hash,
                     QmItemLocation  location,
                     const char     *character_id,
                     int             quantity,
                     int             state)
{
  QmItem *copy;

  g_return_val_if_fail (QM_IS_ITEM (self), NULL);

  copy = qm_item_new (self->hash, self->instance_id, bucket_hash, location, character_id,
                      quantity, state, self->power, self->damage_type);
  copy->name = g_strdup (self->name);
  copy->tier_name = g_strdup (self->tier_name);
  copy->tier_type = self->tier_type;
  copy->item_type_name = g_strdup (self->item_type_name);
  copy->icon = g_strdup (self->icon);
  copy->class_type = self->class_type;
  copy->slot_hash = self->slot_hash;
  copy->item_type = self->item_type;
  copy->item_sub_type = self->item_sub_type;
  copy->equippable = self->equippable;
  copy->owner_class = self->owner_class;
  qm_item_set_stats (copy, self->stats, self->n_stats);
  qm_item_set_sockets (copy, self->sockets, self->n_sockets);
  return copy;
}

/**
 * qm_item_location_to_string:
 *
 * Returns: the location's name as used in the CLI's JSON ("equipped", "inventory",
 *   "postmaster", "vault" or "account")
 */
const char *
qm_item_location_to_string (QmItemLocation location)
{
  switch (location)
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      return "equipped";
    case QM_ITEM_LOCATION_INVENTORY:
      return "inventory";
    case QM_ITEM_LOCATION_POSTMASTER:
      return "postmaster";
    case QM_ITEM_LOCATION_VAULT:
      return "vault";
    case QM_ITEM_LOCATION_ACCOUNT:
      return "account";
    default:
      return "unknown";
    }
}


gboolean
qm_item_is_held_by (QmItem     *self,
                    const char *character_id)
{
  QmItemLocation location;

  g_return_val_if_fail (QM_IS_ITEM (self), FALSE);

  location = qm_item_get_location (self);
  return location != QM_ITEM_LOCATION_VAULT && location != QM_ITEM_LOCATION_ACCOUNT &&
         g_strcmp0 (qm_item_get_character_id (self), character_id) == 0;
}
