/* qm-move-executor.c: planned moves, run against Bungie.net one step at a time
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local model is patched after each acknowledged step only, never
 * before (DIM's practice, peers.md §2.7); a failed or cancelled run reloads
 * the profile (bungie-api.md §2.2: act on the action results, read the
 * profile to learn what the server did). Recoveries follow DIM's
 * (peers.md §2.2, §2.6): 1656 dequip and retry once, 1642 on a move the
 * counts said had room: mark the bucket full and plan again.
 */

#define G_LOG_DOMAIN "qm-move-executor"

#include "config.h"

#include "qm-move-executor.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-profile.h"

/* Recoveries (1656, 1642) a run may make before it gives up. */
#define MAX_RECOVERIES 4

#define ITEM_STATE_LOCKED 1

struct _QmMoveExecutor
{
  GObject         parent_instance;

  QmBungieClient *client;
  QmInventory    *inventory;
  QmMoveState    *state;       /* the inventory as the planner sees it; lazily built */

  GQueue          queue;       /* GTasks waiting for their turn */
  GTask          *current;
  GArray         *steps;       /* the current or last run's */
  int             current_step;

  /* What the last finished run did, for undo. */
  QmMoveState    *undo_before;
  GArray         *undo_steps;
};

G_DEFINE_FINAL_TYPE (QmMoveExecutor, qm_move_executor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_INVENTORY,
  PROP_STEPS,
  PROP_CURRENT_STEP,
  PROP_RUNNING,
  PROP_CAN_UNDO,
  N_PROPS
};

enum {
  SIGNAL_STEP_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  GArray       *requests;      /* QmMoveRequest */
  QmMovePolicy  policy;
  GArray       *steps;         /* the plan being run */
  guint         index;
  QmMoveState  *before;        /* the account when the run started */
  GArray       *done;          /* the steps Bungie acknowledged */
  int           recoveries;
  GArray       *equipped_after_all; /* guint64: items a 1656 recovery was made for */
  guint         no_equip;      /* bit per character: not in orbit */
  GString      *notice;
  GError       *failure;       /* the run stopped: reported after the reload */
  gboolean      undo;
  gint64        sent_at;
  /* An action sent once the moves are done (an in-game loadout's
   * EquipLoadout), in the same turn of the queue; NULL for none. */
  char         *then_action;
  JsonNode     *then_body;
  gboolean      then_sent;
  GError       *then_error;    /* the action's refusal: the moves stand */
  GArray       *keep;          /* guint64: the policy's keep items, owned */
  /* EquipItems: the items, in order, and their answers (PlatformErrorCodes). */
  GArray       *bulk_ids;      /* guint64; NULL for a planned run */
  int           bulk_character;
  GArray       *bulk_results;  /* QmMoveEquipResult */
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->requests, g_array_unref);
  g_clear_pointer (&run->steps, g_array_unref);
  g_clear_pointer (&run->before, qm_move_state_free);
  g_clear_pointer (&run->done, g_array_unref);
  g_clear_pointer (&run->equipped_after_all, g_array_unref);
  g_clear_pointer (&run->keep, g_array_unref);
  g_clear_pointer (&run->bulk_ids, g_array_unref);
  g_clear_pointer (&run->bulk_results, g_array_unref);
  if (run->notice != NULL)
    g_string_free (run->notice, TRUE);
  g_clear_error (&run->failure);
  g_free (run->then_action);
  g_clear_pointer (&run->then_body, json_node_unref);
  g_clear_error (&run->then_error);
  g_free (run);
}

static void run_next (GTask *task);
static void start_next_run (QmMoveExecutor *self);
static gboolean finish_run (QmMoveExecutor *self, GAsyncResult *result, char **notice, GError **error);

/* ------------------------------------------------------------------------
 * The account for the planner
 * ------------------------------------------------------------------------ */

static gint64
parse_date (const char *iso)
{
  g_autoptr(GDateTime) date = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  return date != NULL ? g_date_time_to_unix (date) : 0;
}

static int
place_of (QmItemLocation location)
{
  switch (location)
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      return QM_MOVE_PLACE_EQUIPPED;
    case QM_ITEM_LOCATION_POSTMASTER:
      return QM_MOVE_PLACE_POSTMASTER;
    case QM_ITEM_LOCATION_VAULT:
      return QM_MOVE_PLACE_VAULT;
    case QM_ITEM_LOCATION_ACCOUNT:
      return QM_MOVE_PLACE_ACCOUNT;
    case QM_ITEM_LOCATION_INVENTORY:
    default:
      return QM_MOVE_PLACE_INVENTORY;
    }
}

static QmItemLocation
location_of (int place)
{
  switch (place)
    {
    case QM_MOVE_PLACE_EQUIPPED:
      return QM_ITEM_LOCATION_EQUIPPED;
    case QM_MOVE_PLACE_POSTMASTER:
      return QM_ITEM_LOCATION_POSTMASTER;
    case QM_MOVE_PLACE_VAULT:
      return QM_ITEM_LOCATION_VAULT;
    case QM_MOVE_PLACE_ACCOUNT:
      return QM_ITEM_LOCATION_ACCOUNT;
    case QM_MOVE_PLACE_INVENTORY:
    default:
      return QM_ITEM_LOCATION_INVENTORY;
    }
}

static guint64
parse_id (const char *id)
{
  return id != NULL ? g_ascii_strtoull (id, NULL, 10) : 0;
}

/* The definitions do not carry equippingBlock.uniqueLabel: exotic weapons
 * share one label and exotic armour another, as in the game. */
#define LABEL_EXOTIC_WEAPON 1
#define LABEL_EXOTIC_ARMOR  2

QmMoveState *
qm_move_state_new_from_inventory (QmInventory *inventory)
{
  QmProfile *profile;
  QmManifest *manifest;
  GListModel *items;
  QmMoveState *state;
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) slots = g_hash_table_new (NULL, NULL);   /* slot -> account-wide */
  guint n_characters;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (QM_IS_INVENTORY (inventory), NULL);

  profile = qm_inventory_get_profile (inventory);
  manifest = qm_inventory_get_manifest (inventory);
  items = qm_profile_get_items (profile);
  state = qm_move_state_new ();

  n_characters = MIN (qm_profile_get_n_characters (profile), QM_MOVE_MAX_CHARACTERS);
  for (guint i = 0; i < n_characters; i++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, i);

      qm_move_state_add_character (state, parse_id (character->id), character->class_type,
                                   parse_date (character->date_last_played));
    }

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      QmMoveItem record = { 0 };
      QmItemDefinition definition = { 0 };
      int type = qm_item_get_item_type (item);

      if (manifest != NULL)
        definition = qm_manifest_get_item (manifest, qm_item_get_hash (item));

      record.instance_id = parse_id (qm_item_get_instance_id (item));
      record.hash = qm_item_get_hash (item);
      record.slot = qm_item_get_slot_hash (item);
      if (record.slot == 0)
        record.slot = qm_item_get_bucket_hash (item);
      record.place = place_of (qm_item_get_location (item));
      record.owner = QM_MOVE_VAULT;
      if (record.place != QM_MOVE_PLACE_VAULT && record.place != QM_MOVE_PLACE_ACCOUNT)
        {
          record.owner = qm_move_state_find_character (state, parse_id (qm_item_get_character_id (item)));
          if (record.owner < 0)
            continue;
        }
      record.quantity = MAX (qm_item_get_quantity (item), 1);
      record.max_stack = record.instance_id != 0 ? 1 : MAX (MAX (definition.max_stack_size, 1), record.quantity);
      record.class_type = qm_item_get_class_type (item);
      record.tier_type = qm_item_get_tier_type (item);
      record.item_sub_type = qm_item_get_item_sub_type (item);
      record.power = qm_item_get_power (item);
      if (record.tier_type == QM_MOVE_TIER_EXOTIC && qm_item_get_equippable (item))
        record.equip_label = type == QM_ITEM_TYPE_WEAPON ? LABEL_EXOTIC_WEAPON :
                             type == QM_ITEM_TYPE_ARMOR ? LABEL_EXOTIC_ARMOR : 0;
      if (qm_item_get_equippable (item))
        record.flags |= QM_MOVE_ITEM_EQUIPPABLE;
      if (definition.known && definition.non_transferrable)
        record.flags |= QM_MOVE_ITEM_NOT_TRANSFERABLE;
      if (record.instance_id != 0)
        record.flags |= QM_MOVE_ITEM_LOCKABLE;
      if (qm_item_get_locked (item))
        record.flags |= QM_MOVE_ITEM_LOCKED;
      qm_move_state_add_item (state, &record);

      if (record.place != QM_MOVE_PLACE_VAULT)
        g_hash_table_insert (slots, GUINT_TO_POINTER (record.slot),
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (slots, GUINT_TO_POINTER (record.slot))) |
                                              (record.place == QM_MOVE_PLACE_ACCOUNT)));
      else if (!g_hash_table_contains (slots, GUINT_TO_POINTER (record.slot)))
        g_hash_table_insert (slots, GUINT_TO_POINTER (record.slot), GINT_TO_POINTER (0));
      if (qm_item_get_name (item) != NULL && !g_hash_table_contains (names, GUINT_TO_POINTER (record.hash)))
        g_hash_table_insert (names, GUINT_TO_POINTER (record.hash), g_strdup (qm_item_get_name (item)));
    }

  /* Consumables and mods are account-wide even when none are held. */
  g_hash_table_insert (slots, GUINT_TO_POINTER (QM_BUCKET_CONSUMABLES), GINT_TO_POINTER (1));
  g_hash_table_insert (slots, GUINT_TO_POINTER (QM_BUCKET_MODIFICATIONS), GINT_TO_POINTER (1));

  /* Capacities from the bucket definitions (itemCount); a bucket the
   * manifest does not describe has no known limit. */
  g_hash_table_iter_init (&iter, slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      QmDefinition bucket = { 0 };

      if (manifest != NULL)
        bucket = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, GPOINTER_TO_UINT (key));
      if (bucket.known && bucket.value > 0)
        qm_move_state_add_bucket (state, GPOINTER_TO_UINT (key), bucket.value, GPOINTER_TO_INT (value) != 0);
      else if (GPOINTER_TO_INT (value) != 0)
        qm_move_state_add_bucket (state, GPOINTER_TO_UINT (key), G_MAXINT, TRUE);
    }
  if (manifest != NULL)
    {
      QmDefinition vault = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, QM_BUCKET_VAULT);

      if (vault.known && vault.value > 0)
        state->vault_capacity = vault.value;
    }
  qm_move_state_set_names (state, names);
  return state;
}

/* ------------------------------------------------------------------------
 * Keeping the inventory's items in step with the state
 * ------------------------------------------------------------------------ */

static const char *
character_id_of (QmProfile *profile,
                 int        owner)
{
  const QmCharacter *character;

  if (owner < 0 || (guint) owner >= qm_profile_get_n_characters (profile))
    return NULL;
  character = qm_profile_get_character (profile, owner);
  return character->id;
}

static int
state_of (QmItem           *item,
          const QmMoveItem *record)
{
  int state = qm_item_get_state (item) & ~ITEM_STATE_LOCKED;

  return (record->flags & QM_MOVE_ITEM_LOCKED) != 0 ? state | ITEM_STATE_LOCKED : state;
}

static QmItem *
placed_copy (QmProfile        *profile,
             QmItem           *item,
             const QmMoveItem *record)
{
  QmItemLocation location = location_of (record->place);
  const char *character_id = record->place == QM_MOVE_PLACE_VAULT || record->place == QM_MOVE_PLACE_ACCOUNT ?
                             NULL : character_id_of (profile, record->owner);

  return qm_item_copy_placed (item, qm_profile_location_bucket (location, record->slot), location,
                              character_id, record->quantity, state_of (item, record));
}

static gboolean
item_matches (QmProfile        *profile,
              QmItem           *item,
              const QmMoveItem *record)
{
  QmItemLocation location = location_of (record->place);
  const char *character_id = record->place == QM_MOVE_PLACE_VAULT || record->place == QM_MOVE_PLACE_ACCOUNT ?
                             NULL : character_id_of (profile, record->owner);

  return qm_item_get_location (item) == location &&
         g_strcmp0 (qm_item_get_character_id (item), character_id) == 0 &&
         qm_item_get_quantity (item) == record->quantity &&
         qm_item_get_locked (item) == ((record->flags & QM_MOVE_ITEM_LOCKED) != 0);
}

/* After @step: every instanced item placed as the state says; the stacks
 * of the step's item rebuilt from the state. */
static void
sync_profile (QmMoveExecutor   *self,
              const QmMoveStep *step)
{
  QmProfile *profile = qm_inventory_get_profile (self->inventory);
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint first_stack = G_MAXUINT;
  g_autoptr(QmItem) template = NULL;

  for (guint i = 0; i < self->state->items->len; i++)
    {
      QmMoveItem *record = &g_array_index (self->state->items, QmMoveItem, i);

      if (record->instance_id != 0)
        g_hash_table_insert (index, &record->instance_id, record);
    }

  for (guint i = g_list_model_get_n_items (items); i > 0; i--)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i - 1);
      guint64 id = parse_id (qm_item_get_instance_id (item));
      const QmMoveItem *record;

      if (id == 0)
        {
          if (step->instance_id == 0 && qm_item_get_hash (item) == step->hash)
            {
              g_set_object (&template, item);
              first_stack = i - 1;
              qm_profile_remove_item (profile, i - 1);
            }
          continue;
        }
      record = g_hash_table_lookup (index, &id);
      if (record != NULL && !item_matches (profile, item, record))
        {
          g_autoptr(QmItem) copy = placed_copy (profile, item, record);

          qm_profile_replace_item (profile, i - 1, copy);
        }
    }

  if (template != NULL)
    for (guint i = 0; i < self->state->items->len; i++)
      {
        const QmMoveItem *record = &g_array_index (self->state->items, QmMoveItem, i);

        if (record->instance_id == 0 && record->hash == step->hash)
          {
            g_autoptr(QmItem) copy = placed_copy (profile, template, record);

            qm_profile_insert_item (profile, first_stack++, copy);
          }
      }
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
qm_move_executor_dispose (GObject *object)
{
  QmMoveExecutor *self = QM_MOVE_EXECUTOR (object);

  g_clear_object (&self->client);
  g_clear_object (&self->inventory);

  G_OBJECT_CLASS (qm_move_executor_parent_class)->dispose (object);
}

static void
qm_move_executor_finalize (GObject *object)
{
  QmMoveExecutor *self = QM_MOVE_EXECUTOR (object);

  g_clear_pointer (&self->state, qm_move_state_free);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->undo_before, qm_move_state_free);
  g_clear_pointer (&self->undo_steps, g_array_unref);
  g_queue_clear_full (&self->queue, g_object_unref);

  G_OBJECT_CLASS (qm_move_executor_parent_class)->finalize (object);
}

static void
qm_move_executor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QmMoveExecutor *self = QM_MOVE_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_INVENTORY:
      g_value_set_object (value, self->inventory);
      break;
    case PROP_STEPS:
      g_value_set_boxed (value, self->steps);
      break;
    case PROP_CURRENT_STEP:
      g_value_set_int (value, self->current_step);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->current != NULL);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, qm_move_executor_get_can_undo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_move_executor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QmMoveExecutor *self = QM_MOVE_EXECUTOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_INVENTORY:
      qm_move_executor_set_inventory (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_move_executor_class_init (QmMoveExecutorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_move_executor_dispose;
  object_class->finalize = qm_move_executor_finalize;
  object_class->get_property = qm_move_executor_get_property;
  object_class->set_property = qm_move_executor_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QM_TYPE_BUNGIE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVENTORY] =
    g_param_spec_object ("inventory", NULL, NULL, QM_TYPE_INVENTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEPS] =
    g_param_spec_boxed ("steps", NULL, NULL, G_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_STEP] =
    g_param_spec_int ("current-step", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STEP_DONE] =
    g_signal_new ("step-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
qm_move_executor_init (QmMoveExecutor *self)
{
  g_queue_init (&self->queue);
  self->current_step = -1;
}

/**
 * qm_move_executor_new:
 * @client: the account's client (signed in)
 * @inventory: the account as shown
 *
 * Returns: (transfer full): an executor for the account
 */
QmMoveExecutor *
qm_move_executor_new (QmBungieClient *client,
                      QmInventory    *inventory)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (client), NULL);
  g_return_val_if_fail (QM_IS_INVENTORY (inventory), NULL);

  return g_object_new (QM_TYPE_MOVE_EXECUTOR, "client", client, "inventory", inventory, NULL);
}

QmBungieClient *
qm_move_executor_get_client (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);
  return self->client;
}

QmInventory *
qm_move_executor_get_inventory (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);
  return self->inventory;
}

void
qm_move_executor_set_inventory (QmMoveExecutor *self,
                                QmInventory    *inventory)
{
  g_return_if_fail (QM_IS_MOVE_EXECUTOR (self));
  g_return_if_fail (QM_IS_INVENTORY (inventory));

  if (!g_set_object (&self->inventory, inventory))
    return;
  g_clear_pointer (&self->state, qm_move_state_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVENTORY]);
}

GArray *
qm_move_executor_get_steps (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);
  return self->steps;
}

int
qm_move_executor_get_current_step (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), -1);
  return self->current_step;
}

gboolean
qm_move_executor_get_running (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), FALSE);
  return self->current != NULL;
}

gboolean
qm_move_executor_get_can_undo (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), FALSE);
  return self->undo_steps != NULL && self->undo_steps->len > 0;
}

static QmMoveState *
ensure_state (QmMoveExecutor *self)
{
  if (self->state == NULL)
    self->state = qm_move_state_new_from_inventory (self->inventory);
  return self->state;
}

/**
 * qm_move_executor_dup_state:
 *
 * Returns: (transfer full): the account for the planner
 */
QmMoveState *
qm_move_executor_dup_state (QmMoveExecutor *self)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);
  return qm_move_state_copy (ensure_state (self));
}

/**
 * qm_move_executor_plan:
 *
 * Returns: (transfer full) (element-type QmMoveStep): the steps, or %NULL
 */
GArray *
qm_move_executor_plan (QmMoveExecutor      *self,
                       const QmMoveRequest *requests,
                       guint                n_requests,
                       const QmMovePolicy  *policy,
                       GError             **error)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);

  return qm_move_plan (ensure_state (self), requests, n_requests, policy, error);
}

static void
set_current_step (QmMoveExecutor *self,
                  int             index)
{
  if (self->current_step == index)
    return;
  self->current_step = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_STEP]);
}

static void
set_steps (QmMoveExecutor *self,
           GArray         *steps)
{
  g_clear_pointer (&self->steps, g_array_unref);
  self->steps = steps != NULL ? g_array_ref (steps) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS]);
}

/* ------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------ */

static const char *
step_item_name (QmMoveExecutor   *self,
                const QmMoveStep *step)
{
  const char *name = NULL;

  if (self->state != NULL && self->state->names != NULL)
    name = g_hash_table_lookup (self->state->names, GUINT_TO_POINTER (step->hash));
  return name != NULL ? name : _("The item");
}

static const char *
step_class_name (QmMoveExecutor   *self,
                 const QmMoveStep *step)
{
  QmProfile *profile = qm_inventory_get_profile (self->inventory);

  if (step->character < 0 || (guint) step->character >= qm_profile_get_n_characters (profile))
    return qm_class_type_display_name (3);
  return qm_class_type_display_name (qm_profile_get_character (profile, step->character)->class_type);
}

/* A step Bungie refused, in the words of what it does. */
static char *
step_failed_message (QmMoveExecutor   *self,
                     const QmMoveStep *step,
                     const char       *why)
{
  const char *name = step_item_name (self, step);

  switch (step->kind)
    {
    case QM_MOVE_STEP_EQUIP:
      /* Translators: the item, then why */
      return g_strdup_printf (_("%s could not be equipped: %s"), name, why);
    case QM_MOVE_STEP_LOCK:
      /* Translators: the item, then why */
      return g_strdup_printf (_("%s could not be locked: %s"), name, why);
    case QM_MOVE_STEP_UNLOCK:
      /* Translators: the item, then why */
      return g_strdup_printf (_("%s could not be unlocked: %s"), name, why);
    case QM_MOVE_STEP_PULL:
      /* Translators: the item, then why */
      return g_strdup_printf (_("%s could not be taken from the postmaster: %s"), name, why);
    case QM_MOVE_STEP_TO_VAULT:
    case QM_MOVE_STEP_FROM_VAULT:
    default:
      /* Translators: the item, then why */
      return g_strdup_printf (_("%s could not be moved: %s"), name, why);
    }
}

static JsonNode *
step_body (QmMoveExecutor   *self,
           const QmMoveStep *step,
           const char      **action)
{
  QmProfile *profile = qm_inventory_get_profile (self->inventory);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *item_id = g_strdup_printf ("%" G_GUINT64_FORMAT, step->instance_id);
  g_autofree char *character_id = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                   self->state->characters[step->character].id);

  json_builder_begin_object (builder);
  switch (step->kind)
    {
    case QM_MOVE_STEP_TO_VAULT:
    case QM_MOVE_STEP_FROM_VAULT:
    case QM_MOVE_STEP_PULL:
      *action = step->kind == QM_MOVE_STEP_PULL ? "PullFromPostmaster" : "TransferItem";
      json_builder_set_member_name (builder, "itemReferenceHash");
      json_builder_add_int_value (builder, step->hash);
      json_builder_set_member_name (builder, "stackSize");
      json_builder_add_int_value (builder, step->amount);
      if (step->kind != QM_MOVE_STEP_PULL)
        {
          json_builder_set_member_name (builder, "transferToVault");
          json_builder_add_boolean_value (builder, step->kind == QM_MOVE_STEP_TO_VAULT);
        }
      break;
    case QM_MOVE_STEP_EQUIP:
      *action = "EquipItem";
      break;
    case QM_MOVE_STEP_LOCK:
    case QM_MOVE_STEP_UNLOCK:
    default:
      *action = "SetLockState";
      json_builder_set_member_name (builder, "state");
      json_builder_add_boolean_value (builder, step->kind == QM_MOVE_STEP_LOCK);
      break;
    }
  json_builder_set_member_name (builder, "itemId");
  json_builder_add_string_value (builder, item_id);
  json_builder_set_member_name (builder, "characterId");
  json_builder_add_string_value (builder, character_id);
  json_builder_set_member_name (builder, "membershipType");
  json_builder_add_int_value (builder, qm_profile_get_membership_type (profile));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
run_complete (GTask *task)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_assert (self->current == task);

  if (run->failure == NULL)
    {
      /* Undo puts back what this run did; undoing an undo is not offered. */
      g_clear_pointer (&self->undo_before, qm_move_state_free);
      g_clear_pointer (&self->undo_steps, g_array_unref);
      if (!run->undo && run->done->len > 0)
        {
          self->undo_before = g_steal_pointer (&run->before);
          self->undo_steps = g_array_ref (run->done);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }

  self->current = NULL;
  set_current_step (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (run->failure != NULL)
    g_task_return_error (task, g_steal_pointer (&run->failure));
  else if (run->then_error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->then_error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);

  start_next_run (self);
}

static void
on_reloaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmMoveExecutor *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = qm_bungie_client_get_profile_bytes_finish (QM_BUNGIE_CLIENT (source), result, &error);
  g_autoptr(QmProfile) profile = NULL;

  if (bytes != NULL)
    profile = qm_profile_parse_bytes (bytes, &error);
  if (profile != NULL)
    {
      g_autoptr(QmInventory) inventory = qm_inventory_new (profile, qm_inventory_get_manifest (self->inventory));

      qm_move_executor_set_inventory (self, inventory);
    }
  else
    {
      /* The items shown still follow every acknowledged step. */
      g_debug ("Reloading the profile after a move failed: %s", error->message);
    }
  run_complete (g_steal_pointer (&task));
}

/* Reload the profile, then complete the run. */
static void
reload_and_complete (GTask *task)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  QmProfile *profile = qm_inventory_get_profile (self->inventory);

  qm_bungie_client_get_profile_bytes_async (self->client, qm_profile_get_membership_type (profile),
                                            qm_profile_get_membership_id (profile), QM_PROFILE_COMPONENTS,
                                            NULL, on_reloaded_cb, task);
}

/* Stop the run with @error after reloading the profile. */
static void
run_fail (GTask  *task,
          GError *error)
{
  Run *run = g_task_get_task_data (task);

  g_clear_error (&run->failure);
  run->failure = error;
  reload_and_complete (task);
}

/* The action after the moves answered. It returns no state (Bungie-net/api
 * #1792), so the profile is read again whatever the answer. */
static void
on_then_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = qm_bungie_client_action_finish (QM_BUNGIE_CLIENT (source), result, &error);

  if (answer == NULL)
    run->then_error = g_steal_pointer (&error);
  reload_and_complete (task);
}

static gboolean
replan (GTask   *task,
        GError **error)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GArray) steps = NULL;

  steps = qm_move_plan (ensure_state (self), (QmMoveRequest *) run->requests->data, run->requests->len,
                        &run->policy, error);
  if (steps == NULL)
    return FALSE;
  g_clear_pointer (&run->steps, g_array_unref);
  run->steps = g_array_ref (steps);
  run->index = 0;
  run->no_equip = 0;
  set_steps (self, steps);
  return TRUE;
}

/* 1656 on a transfer: the server has the item equipped. Say so in the
 * state (what was equipped there comes off) and plan again, once. */
static gboolean
recover_equipped (GTask            *task,
                  const QmMoveStep *step)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  int index = qm_move_state_find_instance (self->state, step->instance_id);
  QmMoveItem *item;

  if (step->kind != QM_MOVE_STEP_TO_VAULT || index < 0 || run->recoveries >= MAX_RECOVERIES)
    return FALSE;
  for (guint i = 0; i < run->equipped_after_all->len; i++)
    if (g_array_index (run->equipped_after_all, guint64, i) == step->instance_id)
      return FALSE;
  g_array_append_val (run->equipped_after_all, step->instance_id);
  run->recoveries++;

  item = &g_array_index (self->state->items, QmMoveItem, index);
  for (guint i = 0; i < self->state->items->len; i++)
    {
      QmMoveItem *other = &g_array_index (self->state->items, QmMoveItem, i);

      if (other->place == QM_MOVE_PLACE_EQUIPPED && other->owner == item->owner && other->slot == item->slot)
        other->place = QM_MOVE_PLACE_INVENTORY;
    }
  item->place = QM_MOVE_PLACE_EQUIPPED;
  return TRUE;
}

/* 1642: the destination is fuller than the counts say (items gained in
 * the game). Mark it full and plan again. */
static gboolean
recover_no_room (GTask            *task,
                 const QmMoveStep *step)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  int index;
  guint32 slot;

  if (step->kind == QM_MOVE_STEP_EQUIP || step->kind == QM_MOVE_STEP_LOCK || step->kind == QM_MOVE_STEP_UNLOCK ||
      run->recoveries >= MAX_RECOVERIES)
    return FALSE;
  run->recoveries++;
  if (step->kind == QM_MOVE_STEP_TO_VAULT)
    {
      qm_move_state_mark_full (self->state, QM_MOVE_VAULT, 0);
      return TRUE;
    }
  index = step->instance_id != 0 ? qm_move_state_find_instance (self->state, step->instance_id) :
          qm_move_state_find_stack (self->state, step->hash, step->from_place, step->from_owner);
  if (index < 0)
    return FALSE;
  slot = g_array_index (self->state->items, QmMoveItem, index).slot;
  for (guint i = 0; i < self->state->buckets->len; i++)
    {
      const QmMoveBucket *bucket = &g_array_index (self->state->buckets, QmMoveBucket, i);

      if (bucket->hash == slot && bucket->account_wide)
        {
          qm_move_state_mark_full (self->state, QM_MOVE_VAULT, slot);
          return TRUE;
        }
    }
  qm_move_state_mark_full (self->state, step->character, slot);
  return TRUE;
}

static void
on_action_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const QmMoveStep *step = &g_array_index (run->steps, QmMoveStep, run->index);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = qm_bungie_client_action_finish (QM_BUNGIE_CLIENT (source), result, &error);
  int code;

  if (answer != NULL)
    {
      guint done = run->done->len;

      /* Acknowledged: now, and only now, the model follows. */
      code = qm_move_state_apply_step (ensure_state (self), step);
      if (code != QM_PLATFORM_ERROR_SUCCESS)
        g_debug ("Step %u went through but does not fit the model (%d); it is reloaded at the end",
                 run->index, code);
      sync_profile (self, step);
      qm_inventory_note_local_change (self->inventory, run->sent_at);
      g_array_append_val (run->done, *step);
      run->index++;
      g_signal_emit (self, signals[SIGNAL_STEP_DONE], 0, done);
      if (code != QM_PLATFORM_ERROR_SUCCESS)
        {
          g_clear_pointer (&self->state, qm_move_state_free);
          if (!replan (task, &error))
            {
              run_fail (g_steal_pointer (&task), g_steal_pointer (&error));
              return;
            }
        }
      run_next (g_steal_pointer (&task));
      return;
    }

  if (qm_error_is_cancelled (error))
    {
      run_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  code = error->domain == QM_PLATFORM_ERROR ? error->code : 0;
  switch (code)
    {
    case QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_ON_EQUIPPED_ITEM:
      if (recover_equipped (task, step))
        {
          g_clear_error (&error);
          if (!replan (task, &error))
            break;
          run_next (g_steal_pointer (&task));
          return;
        }
      g_clear_error (&error);
      g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED,
                   _("%s could not be moved: Bungie.net says it is equipped."), step_item_name (self, step));
      break;

    case QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION:
      if (recover_no_room (task, step))
        {
          g_clear_error (&error);
          if (!replan (task, &error))
            break;
          run_next (g_steal_pointer (&task));
          return;
        }
      g_clear_error (&error);
      g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE,
                   _("There is no room for %s."), step_item_name (self, step));
      break;

    case QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION:
    case QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER:
      if (step->kind == QM_MOVE_STEP_EQUIP && !step->aside)
        {
          /* The move is done; the equip waits for the player. */
          if (run->notice->len > 0)
            g_string_append_c (run->notice, '\n');
          g_string_append_printf (run->notice,
                                  /* Translators: the item, then the class */
                                  _("%s was moved but not equipped: your %s is not in orbit or a social space."),
                                  step_item_name (self, step), step_class_name (self, step));
          run->no_equip |= 1u << step->character;
          run->index++;
          run_next (g_steal_pointer (&task));
          return;
        }
      g_clear_error (&error);
      if (step->kind == QM_MOVE_STEP_EQUIP)
        g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT,
                     _("Your %s is not in orbit or a social space, so nothing can be equipped there; the rest was not moved."),
                     step_class_name (self, step));
      else
        g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT,
                     /* Translators: the item, then the class */
                     _("%s could not be moved where your %s is now; the rest was not moved."),
                     step_item_name (self, step), step_class_name (self, step));
      break;

    case QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND:
      g_clear_error (&error);
      g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_GONE,
                   _("%s is no longer where it was; the inventory was reloaded."), step_item_name (self, step));
      break;

    case QM_PLATFORM_ERROR_SYSTEM_DISABLED:
      g_clear_error (&error);
      g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_MAINTENANCE,
                   _("Bungie.net is down for maintenance; the rest was not moved."));
      break;

    default:
      if (code != 0 && qm_platform_error_is_throttle (code))
        {
          g_clear_error (&error);
          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_BUSY,
                       _("Bungie.net asked to slow down and is still busy; the rest was not moved. Try again in a minute."));
        }
      else
        {
          g_autoptr(GError) cause = g_steal_pointer (&error);
          g_autofree char *why = qm_error_describe (cause);
          g_autofree char *message = step_failed_message (self, step, why);

          g_set_error_literal (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED, message);
        }
      break;
    }

  run_fail (g_steal_pointer (&task), g_steal_pointer (&error));
}

static void
run_next (GTask *task)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;
  const QmMoveStep *step;
  const char *action = NULL;
  GError *error = NULL;

  /* Equips on a character not in orbit are left out. */
  while (run->index < run->steps->len &&
         g_array_index (run->steps, QmMoveStep, run->index).kind == QM_MOVE_STEP_EQUIP &&
         (run->no_equip & (1u << g_array_index (run->steps, QmMoveStep, run->index).character)) != 0 &&
         !g_array_index (run->steps, QmMoveStep, run->index).aside)
    run->index++;

  if (run->index >= run->steps->len && run->then_action != NULL && !run->then_sent)
    {
      run->then_sent = TRUE;
      set_current_step (self, -1);
      qm_bungie_client_action_async (self->client, run->then_action, run->then_body,
                                     g_task_get_cancellable (task), on_then_cb, task);
      return;
    }
  if (run->index >= run->steps->len)
    {
      run_complete (task);
      return;
    }
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      /* Stop before the next call, and reload what the server holds. */
      run_fail (task, error);
      return;
    }

  step = &g_array_index (run->steps, QmMoveStep, run->index);
  set_current_step (self, (int) run->index);
  body = step_body (self, step, &action);
  run->sent_at = g_get_real_time ();
  qm_bungie_client_action_async (self->client, action, body, g_task_get_cancellable (task), on_action_cb, task);
}

/* ------------------------------------------------------------------------
 * EquipItems: one call, an answer per item
 * ------------------------------------------------------------------------ */

static void
on_equip_items_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = qm_bungie_client_action_finish (QM_BUNGIE_CLIENT (source), result, &error);
  JsonArray *results;

  if (answer == NULL)
    {
      int code = error->domain == QM_PLATFORM_ERROR ? error->code : 0;

      if (qm_error_is_cancelled (error))
        {
          run_fail (g_steal_pointer (&task), g_steal_pointer (&error));
          return;
        }
      if (code == QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION ||
          code == QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER)
        {
          g_clear_error (&error);
          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT,
                       _("Your %s is not in orbit or a social space, so nothing can be equipped there."),
                       qm_class_type_display_name (self->state->characters[run->bulk_character].class_type));
        }
      else if (code == QM_PLATFORM_ERROR_SYSTEM_DISABLED)
        {
          g_clear_error (&error);
          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_MAINTENANCE,
                       _("Bungie.net is down for maintenance; the rest was not moved."));
        }
      else if (code != 0 && qm_platform_error_is_throttle (code))
        {
          g_clear_error (&error);
          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_BUSY,
                       _("Bungie.net asked to slow down and is still busy; the rest was not moved. Try again in a minute."));
        }
      else
        {
          g_autoptr(GError) cause = g_steal_pointer (&error);
          g_autofree char *why = qm_error_describe (cause);

          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED,
                       /* Translators: why */
                       _("Nothing was equipped: %s"), why);
        }
      run_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  /* {equipResults: [{itemInstanceId, equipStatus}]}: the items Bungie did
   * not mention were ignored (not on the character, bungie-api.md §2.5). */
  results = JSON_NODE_HOLDS_OBJECT (answer) ? qm_json_get_array (json_node_get_object (answer), "equipResults") : NULL;
  for (guint i = 0; i < run->bulk_results->len; i++)
    {
      QmMoveEquipResult *out = &g_array_index (run->bulk_results, QmMoveEquipResult, i);
      g_autofree char *wanted = g_strdup_printf ("%" G_GUINT64_FORMAT, out->instance_id);

      out->status = QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND;
      for (guint j = 0; results != NULL && j < json_array_get_length (results); j++)
        {
          JsonNode *node = json_array_get_element (results, j);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *id = object != NULL ? qm_json_dup_id (object, "itemInstanceId") : NULL;

          if (g_strcmp0 (id, wanted) == 0)
            {
              out->status = (int) qm_json_get_int (object, "equipStatus", 0);
              break;
            }
        }
    }

  /* Acknowledged: the model follows, item by item, in Bungie's order
   * (exotics last, as sent). */
  for (guint i = 0; i < run->bulk_results->len; i++)
    {
      const QmMoveEquipResult *out = &g_array_index (run->bulk_results, QmMoveEquipResult, i);
      QmMoveStep step = { 0 };
      int index;

      if (out->status != QM_PLATFORM_ERROR_SUCCESS)
        continue;
      index = qm_move_state_find_instance (ensure_state (self), out->instance_id);
      if (index < 0)
        continue;
      step.kind = QM_MOVE_STEP_EQUIP;
      step.instance_id = out->instance_id;
      step.hash = g_array_index (self->state->items, QmMoveItem, index).hash;
      step.amount = 1;
      step.character = run->bulk_character;
      step.from_place = g_array_index (self->state->items, QmMoveItem, index).place;
      step.from_owner = g_array_index (self->state->items, QmMoveItem, index).owner;
      step.reason = QM_MOVE_REASON_REQUESTED;
      if (qm_move_state_apply_step (self->state, &step) != QM_PLATFORM_ERROR_SUCCESS)
        g_debug ("Equip of %" G_GUINT64_FORMAT " went through but does not fit the model", step.instance_id);
      sync_profile (self, &step);
      g_array_append_val (run->done, step);
    }
  if (run->done->len > 0)
    qm_inventory_note_local_change (self->inventory, run->sent_at);
  run->index = run->steps->len;
  run_complete (g_steal_pointer (&task));
}

static void
start_bulk_equip (GTask *task)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  QmProfile *profile = qm_inventory_get_profile (self->inventory);
  QmMoveState *state = ensure_state (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, TRUE, sizeof (QmMoveStep));
  g_autofree char *character_id = NULL;

  run->before = qm_move_state_copy (state);
  if (run->bulk_character < 0 || (guint) run->bulk_character >= state->n_characters)
    {
      g_set_error (&run->failure, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                   _("That character is not on this account."));
      run_complete (task);
      return;
    }
  character_id = g_strdup_printf ("%" G_GUINT64_FORMAT, state->characters[run->bulk_character].id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "itemIds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < run->bulk_ids->len; i++)
    {
      guint64 id = g_array_index (run->bulk_ids, guint64, i);
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
      int index = qm_move_state_find_instance (state, id);
      QmMoveStep step = { 0 };
      QmMoveEquipResult result = { id, 0 };

      json_builder_add_string_value (builder, text);
      g_array_append_val (run->bulk_results, result);
      step.kind = QM_MOVE_STEP_EQUIP;
      step.instance_id = id;
      step.hash = index >= 0 ? g_array_index (state->items, QmMoveItem, index).hash : 0;
      step.amount = 1;
      step.character = run->bulk_character;
      step.from_place = index >= 0 ? g_array_index (state->items, QmMoveItem, index).place : QM_MOVE_PLACE_INVENTORY;
      step.from_owner = index >= 0 ? g_array_index (state->items, QmMoveItem, index).owner : run->bulk_character;
      step.reason = QM_MOVE_REASON_REQUESTED;
      g_array_append_val (steps, step);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "characterId");
  json_builder_add_string_value (builder, character_id);
  json_builder_set_member_name (builder, "membershipType");
  json_builder_add_int_value (builder, qm_profile_get_membership_type (profile));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  run->steps = g_array_ref (steps);
  set_steps (self, steps);
  set_current_step (self, 0);
  run->sent_at = g_get_real_time ();
  qm_bungie_client_action_async (self->client, "EquipItems", body, g_task_get_cancellable (task),
                                 on_equip_items_cb, task);
}

static void
start_run (GTask *task)
{
  QmMoveExecutor *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->current = task;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (run->bulk_ids != NULL)
    {
      start_bulk_equip (task);
      return;
    }

  if (run->undo)
    {
      g_autoptr(GArray) requests = NULL;

      if (self->undo_steps == NULL)
        {
          g_set_error (&error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID, _("There is nothing to undo."));
          run->failure = g_steal_pointer (&error);
          run_complete (task);
          return;
        }
      requests = qm_move_undo_requests (self->undo_before, self->undo_steps);
      g_array_append_vals (run->requests, requests->data, requests->len);
    }

  run->before = qm_move_state_copy (ensure_state (self));
  if (!replan (task, &error))
    {
      /* Refused before any call: nothing to reload. */
      run->failure = g_steal_pointer (&error);
      run_complete (task);
      return;
    }
  run_next (task);
}

static void
start_next_run (QmMoveExecutor *self)
{
  GTask *task;

  if (self->current != NULL || g_queue_is_empty (&self->queue))
    return;
  task = g_queue_pop_head (&self->queue);
  start_run (task);
}

static void
queue_run (QmMoveExecutor      *self,
           Run                 *run,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_task_set_check_cancellable (task, FALSE);
  run->done = g_array_new (FALSE, TRUE, sizeof (QmMoveStep));
  run->equipped_after_all = g_array_new (FALSE, FALSE, sizeof (guint64));
  run->notice = g_string_new (NULL);
  g_queue_push_tail (&self->queue, task);
  start_next_run (self);
}

void
qm_move_executor_run_async (QmMoveExecutor      *self,
                            const QmMoveRequest *requests,
                            guint                n_requests,
                            const QmMovePolicy  *policy,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Run *run;

  g_return_if_fail (QM_IS_MOVE_EXECUTOR (self));
  g_return_if_fail (requests != NULL || n_requests == 0);

  run = g_new0 (Run, 1);
  run->requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  g_array_append_vals (run->requests, requests, n_requests);
  run->policy = policy != NULL ? *policy : QM_MOVE_POLICY_DEFAULT;
  /* The items to keep are the caller's: a copy lives as long as the run. */
  run->keep = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (run->policy.keep != NULL && run->policy.n_keep > 0)
    g_array_append_vals (run->keep, run->policy.keep, run->policy.n_keep);
  run->policy.keep = (const guint64 *) (gpointer) run->keep->data;
  run->policy.n_keep = run->keep->len;
  queue_run (self, run, cancellable, callback, user_data, qm_move_executor_run_async);
}

/**
 * qm_move_executor_run_then_async:
 * @action: a Bungie action name (qm_bungie_client_action_async())
 * @body: its request body
 *
 * Plan and run @requests like qm_move_executor_run_async(), then, in the
 * same turn of the queue, send @action, and read the profile again.
 */
void
qm_move_executor_run_then_async (QmMoveExecutor      *self,
                                 const QmMoveRequest *requests,
                                 guint                n_requests,
                                 const QmMovePolicy  *policy,
                                 const char          *action,
                                 JsonNode            *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Run *run;

  g_return_if_fail (QM_IS_MOVE_EXECUTOR (self));
  g_return_if_fail (requests != NULL || n_requests == 0);
  g_return_if_fail (action != NULL);
  g_return_if_fail (body != NULL);

  run = g_new0 (Run, 1);
  run->requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  g_array_append_vals (run->requests, requests, n_requests);
  run->policy = policy != NULL ? *policy : QM_MOVE_POLICY_DEFAULT;
  run->then_action = g_strdup (action);
  run->then_body = json_node_ref (body);
  queue_run (self, run, cancellable, callback, user_data, qm_move_executor_run_then_async);
}

/**
 * qm_move_executor_run_then_finish:
 *
 * Returns: %TRUE when the moves and the action went through; otherwise an
 *   error: the moves' (QM_MOVE_ERROR, the action was not sent), or the
 *   action's own (the moves stand)
 */
gboolean
qm_move_executor_run_then_finish (QmMoveExecutor  *self,
                                  GAsyncResult    *result,
                                  char           **notice,
                                  GError         **error)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_move_executor_run_then_async, FALSE);

  return finish_run (self, result, notice, error);
}

static gboolean
finish_run (QmMoveExecutor *self,
            GAsyncResult   *result,
            char          **notice,
            GError        **error)
{
  Run *run = g_task_get_task_data (G_TASK (result));

  if (notice != NULL)
    *notice = run->notice->len > 0 ? g_strdup (run->notice->str) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
qm_move_executor_run_finish (QmMoveExecutor  *self,
                             GAsyncResult    *result,
                             char           **notice,
                             GError         **error)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_move_executor_run_async, FALSE);

  return finish_run (self, result, notice, error);
}

void
qm_move_executor_undo_async (QmMoveExecutor      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Run *run;

  g_return_if_fail (QM_IS_MOVE_EXECUTOR (self));

  run = g_new0 (Run, 1);
  run->requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  run->policy = QM_MOVE_POLICY_DEFAULT;
  run->undo = TRUE;
  queue_run (self, run, cancellable, callback, user_data, qm_move_executor_undo_async);
}

void
qm_move_executor_equip_items_async (QmMoveExecutor      *self,
                                    int                  character,
                                    const guint64       *instance_ids,
                                    guint                n_items,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Run *run;

  g_return_if_fail (QM_IS_MOVE_EXECUTOR (self));
  g_return_if_fail (instance_ids != NULL || n_items == 0);

  run = g_new0 (Run, 1);
  run->requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  run->policy = QM_MOVE_POLICY_DEFAULT;
  run->bulk_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_array_append_vals (run->bulk_ids, instance_ids, n_items);
  run->bulk_character = character;
  run->bulk_results = g_array_new (FALSE, TRUE, sizeof (QmMoveEquipResult));
  queue_run (self, run, cancellable, callback, user_data, qm_move_executor_equip_items_async);
}

GArray *
qm_move_executor_equip_items_finish (QmMoveExecutor  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  Run *run;

  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_move_executor_equip_items_async, NULL);

  run = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_array_ref (run->bulk_results);
}

gboolean
qm_move_executor_undo_finish (QmMoveExecutor  *self,
                              GAsyncResult    *result,
                              char           **notice,
                              GError         **error)
{
  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_move_executor_undo_async, FALSE);

  return finish_run (self, result, notice, error);
}
