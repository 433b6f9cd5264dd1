/* qm-loadouts.c: the player's in-game loadouts (component 206)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadouts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "qm-loadouts.h"

#include "qm-destiny.h"
#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"

/* Bungie's loadouts have at most 20 slots (DIM: index "maxes out at 19");
 * a longer array is cut there, and each slot lists at most this many items. */
#define MAX_SLOTS 64
#define MAX_ITEMS 64

/* ------------------------------------------------------------------------
 * QmLoadout
 * ------------------------------------------------------------------------ */

struct _QmLoadout
{
  GObject   parent_instance;

  char     *character_id;
  int       index;
  guint32   name_hash;
  guint32   color_hash;
  guint32   icon_hash;
  GStrv     item_ids;
};

G_DEFINE_FINAL_TYPE (QmLoadout, qm_loadout, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHARACTER_ID,
  PROP_INDEX,
  PROP_NAME_HASH,
  PROP_COLOR_HASH,
  PROP_ICON_HASH,
  PROP_ITEM_IDS,
  PROP_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
qm_loadout_finalize (GObject *object)
{
  QmLoadout *self = QM_LOADOUT (object);

  g_free (self->character_id);
  g_strfreev (self->item_ids);
  G_OBJECT_CLASS (qm_loadout_parent_class)->finalize (object);
}

static void
qm_loadout_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  QmLoadout *self = QM_LOADOUT (object);

  switch (prop_id)
    {
    case PROP_CHARACTER_ID:
      g_value_set_string (value, self->character_id);
      break;
    case PROP_INDEX:
      g_value_set_int (value, self->index);
      break;
    case PROP_NAME_HASH:
      g_value_set_uint (value, self->name_hash);
      break;
    case PROP_COLOR_HASH:
      g_value_set_uint (value, self->color_hash);
      break;
    case PROP_ICON_HASH:
      g_value_set_uint (value, self->icon_hash);
      break;
    case PROP_ITEM_IDS:
      g_value_set_boxed (value, self->item_ids);
      break;
    case PROP_EMPTY:
      g_value_set_boolean (value, qm_loadout_is_empty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_loadout_class_init (QmLoadoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_loadout_finalize;
  object_class->get_property = qm_loadout_get_property;

  properties[PROP_CHARACTER_ID] =
    g_param_spec_string ("character-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEX] =
    g_param_spec_int ("index", NULL, NULL, 0, G_MAXINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME_HASH] =
    g_param_spec_uint ("name-hash", NULL, NULL, 0, G_MAXUINT32, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_HASH] =
    g_param_spec_uint ("color-hash", NULL, NULL, 0, G_MAXUINT32, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_HASH] =
    g_param_spec_uint ("icon-hash", NULL, NULL, 0, G_MAXUINT32, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_IDS] =
    g_param_spec_boxed ("item-ids", NULL, NULL, G_TYPE_STRV, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_loadout_init (QmLoadout *self)
{
}

const char *
qm_loadout_get_character_id (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), NULL);
  return self->character_id;
}

int
qm_loadout_get_index (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), 0);
  return self->index;
}

guint32
qm_loadout_get_name_hash (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), 0);
  return self->name_hash;
}

guint32
qm_loadout_get_color_hash (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), 0);
  return self->color_hash;
}

guint32
qm_loadout_get_icon_hash (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), 0);
  return self->icon_hash;
}

const char * const *
qm_loadout_get_item_ids (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), NULL);
  return (const char * const *) self->item_ids;
}

gboolean
qm_loadout_is_empty (QmLoadout *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT (self), TRUE);
  return self->item_ids == NULL || self->item_ids[0] == NULL;
}

static QmItem *
find_item (QmProfile  *profile,
           const char *item_id)
{
  GListModel *items = qm_profile_get_items (profile);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), item_id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

/**
 * qm_loadout_locate_item:
 * @item: (out) (optional) (transfer full): the item, NULL when gone
 */
QmLoadoutItemPlace
qm_loadout_locate_item (QmLoadout   *self,
                        QmInventory *inventory,
                        const char  *item_id,
                        QmItem     **item)
{
  g_autoptr(QmItem) found = NULL;
  QmManifest *manifest;
  QmLoadoutItemPlace place;

  g_return_val_if_fail (QM_IS_LOADOUT (self), QM_LOADOUT_ITEM_GONE);
  g_return_val_if_fail (QM_IS_INVENTORY (inventory), QM_LOADOUT_ITEM_GONE);

  found = find_item (qm_inventory_get_profile (inventory), item_id);
  manifest = qm_inventory_get_manifest (inventory);
  if (found == NULL)
    place = QM_LOADOUT_ITEM_GONE;
  else if (qm_item_is_held_by (found, self->character_id) &&
           qm_item_get_location (found) != QM_ITEM_LOCATION_POSTMASTER)
    place = qm_item_get_equipped (found) ? QM_LOADOUT_ITEM_EQUIPPED : QM_LOADOUT_ITEM_ON_CHARACTER;
  else if (qm_item_get_character_id (found) != NULL &&
           g_strcmp0 (qm_item_get_character_id (found), self->character_id) != 0 &&
           manifest != NULL && qm_manifest_get_item (manifest, qm_item_get_hash (found)).non_transferrable)
    place = QM_LOADOUT_ITEM_STUCK;
  else
    place = QM_LOADOUT_ITEM_ELSEWHERE;

  if (item != NULL)
    *item = g_steal_pointer (&found);
  return place;
}

QmLoadoutStatus
qm_loadout_get_status (QmLoadout   *self,
                       QmInventory *inventory,
                       guint       *n_missing)
{
  gboolean all_equipped = TRUE;
  guint missing = 0;

  g_return_val_if_fail (QM_IS_LOADOUT (self), QM_LOADOUT_STATUS_EMPTY);
  g_return_val_if_fail (QM_IS_INVENTORY (inventory), QM_LOADOUT_STATUS_EMPTY);

  for (guint i = 0; self->item_ids != NULL && self->item_ids[i] != NULL; i++)
    switch (qm_loadout_locate_item (self, inventory, self->item_ids[i], NULL))
      {
      case QM_LOADOUT_ITEM_EQUIPPED:
        break;
      case QM_LOADOUT_ITEM_ON_CHARACTER:
      case QM_LOADOUT_ITEM_ELSEWHERE:
        all_equipped = FALSE;
        break;
      case QM_LOADOUT_ITEM_STUCK:
      case QM_LOADOUT_ITEM_GONE:
      default:
        all_equipped = FALSE;
        missing++;
        break;
      }

  if (n_missing != NULL)
    *n_missing = missing;
  if (qm_loadout_is_empty (self))
    return QM_LOADOUT_STATUS_EMPTY;
  if (missing > 0)
    return QM_LOADOUT_STATUS_MISSING;
  return all_equipped ? QM_LOADOUT_STATUS_EQUIPPED : QM_LOADOUT_STATUS_READY;
}

/* ------------------------------------------------------------------------
 * QmLoadouts
 * ------------------------------------------------------------------------ */

struct _QmLoadouts
{
  GObject     parent_instance;

  GPtrArray  *character_ids;   /* char *, NULL-terminated */
  GHashTable *by_character;    /* char * → GListStore of QmLoadout */
  GListStore *none;
};

G_DEFINE_FINAL_TYPE (QmLoadouts, qm_loadouts, G_TYPE_OBJECT)

static void
qm_loadouts_finalize (GObject *object)
{
  QmLoadouts *self = QM_LOADOUTS (object);

  g_ptr_array_unref (self->character_ids);
  g_hash_table_unref (self->by_character);
  g_object_unref (self->none);
  G_OBJECT_CLASS (qm_loadouts_parent_class)->finalize (object);
}

static void
qm_loadouts_class_init (QmLoadoutsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qm_loadouts_finalize;
}

static void
qm_loadouts_init (QmLoadouts *self)
{
  self->character_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->character_ids, NULL);
  self->by_character = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->none = g_list_store_new (QM_TYPE_LOADOUT);
}

static QmLoadout *
parse_loadout (const char *character_id,
               int         index,
               JsonNode   *node)
{
  QmLoadout *loadout = g_object_new (QM_TYPE_LOADOUT, NULL);
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonArray *items = qm_json_get_array (object, "items");
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint n_items = items != NULL ? MIN (json_array_get_length (items), MAX_ITEMS) : 0;

  loadout->character_id = g_strdup (character_id);
  loadout->index = index;
  loadout->name_hash = qm_json_get_hash (object, "nameHash");
  loadout->color_hash = qm_json_get_hash (object, "colorHash");
  loadout->icon_hash = qm_json_get_hash (object, "iconHash");
  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      g_autofree char *id = NULL;

      if (element != NULL && JSON_NODE_HOLDS_OBJECT (element))
        id = qm_json_dup_id (json_node_get_object (element), "itemInstanceId");
      /* "0" and anything that is not an id are empty places. */
      if (id != NULL && qm_json_is_id_string (id) && g_strcmp0 (id, QM_LOADOUT_EMPTY_ITEM) != 0)
        g_strv_builder_add (ids, id);
    }
  loadout->item_ids = g_strv_builder_end (ids);
  return loadout;
}

static JsonObject *
find_response (JsonNode  *root,
               GBytes    *bytes,
               JsonNode **response,
               GError   **error)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if (object == NULL)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   _("The loadouts answer is not a JSON object."));
      return NULL;
    }
  if (!json_object_has_member (object, "ErrorCode"))
    return object;
  *response = qm_envelope_parse (bytes, 200, "application/json", NULL, error);
  if (*response == NULL)
    return NULL;
  if (*response == NULL || !JSON_NODE_HOLDS_OBJECT (*response))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   _("The loadouts answer is not a JSON object."));
      return NULL;
    }
  return json_node_get_object (*response);
}

QmLoadouts *
qm_loadouts_parse_bytes (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(QmLoadouts) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *profile;
  JsonObject *data;
  JsonObjectIter iter;
  const char *character_id;
  JsonNode *node;
  gsize size;
  const char *text;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (bytes, &size);
  if (size > G_MAXSSIZE || !json_parser_load_from_data (parser, text != NULL ? text : "", (gssize) size, &local_error))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   _("The loadouts answer is not valid JSON."));
      return NULL;
    }
  profile = find_response (json_parser_get_root (parser), bytes, &response, error);
  if (profile == NULL)
    return NULL;

  self = g_object_new (QM_TYPE_LOADOUTS, NULL);
  data = qm_json_path_object (profile, "characterLoadouts", "data", NULL);
  if (data == NULL)
    return g_steal_pointer (&self);

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &character_id, &node))
    {
      JsonArray *slots;
      GListStore *store;
      guint n_slots;

      if (!qm_json_is_id_string (character_id) || !JSON_NODE_HOLDS_OBJECT (node) ||
          g_hash_table_contains (self->by_character, character_id))
        continue;
      slots = qm_json_get_array (json_node_get_object (node), "loadouts");
      n_slots = slots != NULL ? MIN (json_array_get_length (slots), MAX_SLOTS) : 0;
      store = g_list_store_new (QM_TYPE_LOADOUT);
      for (guint i = 0; i < n_slots; i++)
        {
          g_autoptr(QmLoadout) loadout = parse_loadout (character_id, (int) i, json_array_get_element (slots, i));

          g_list_store_append (store, loadout);
        }
      g_hash_table_insert (self->by_character, g_strdup (character_id), store);
      g_ptr_array_insert (self->character_ids, (int) self->character_ids->len - 1, g_strdup (character_id));
    }
  return g_steal_pointer (&self);
}

const char * const *
qm_loadouts_get_character_ids (QmLoadouts *self)
{
  g_return_val_if_fail (QM_IS_LOADOUTS (self), NULL);
  return (const char * const *) self->character_ids->pdata;
}

/**
 * qm_loadouts_get_for_character:
 *
 * Returns: (transfer none): the character's slots
 */
GListModel *
qm_loadouts_get_for_character (QmLoadouts *self,
                               const char *character_id)
{
  GListStore *store;

  g_return_val_if_fail (QM_IS_LOADOUTS (self), NULL);

  store = character_id != NULL ? g_hash_table_lookup (self->by_character, character_id) : NULL;
  return G_LIST_MODEL (store != NULL ? store : self->none);
}

/**
 * qm_loadouts_get_loadout:
 *
 * Returns: (transfer none) (nullable): slot @index of the character
 */
QmLoadout *
qm_loadouts_get_loadout (QmLoadouts *self,
                         const char *character_id,
                         int         index)
{
  GListModel *model;
  g_autoptr(QmLoadout) loadout = NULL;

  g_return_val_if_fail (QM_IS_LOADOUTS (self), NULL);

  model = qm_loadouts_get_for_character (self, character_id);
  if (index < 0 || (guint) index >= g_list_model_get_n_items (model))
    return NULL;
  loadout = g_list_model_get_item (model, (guint) index);
  return loadout;   /* the model keeps it alive */
}

int
qm_loadouts_first_empty (QmLoadouts *self,
                         const char *character_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (QM_IS_LOADOUTS (self), -1);

  model = qm_loadouts_get_for_character (self, character_id);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QmLoadout) loadout = g_list_model_get_item (model, i);

      if (qm_loadout_is_empty (loadout))
        return (int) i;
    }
  return -1;
}

/* ------------------------------------------------------------------------
 * Equip: the moves before EquipLoadout
 * ------------------------------------------------------------------------ */

/* Which group a loadout item's request goes in: 0 other characters, 1 the
 * vault and the postmaster, 2 what the target holds. */
static int
request_group (const QmMoveItem *item,
               int               target)
{
  if (item->owner == target && (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY))
    return 2;
  if (item->owner != QM_MOVE_VAULT && item->owner != target &&
      (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY))
    return 0;
  return 1;
}

GArray *
qm_loadout_equip_requests (const QmMoveState  *state,
                           const char * const *item_ids,
                           int                 target,
                           guint              *n_missing)
{
  GArray *requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  QmMoveRequest *pending[3][MAX_ITEMS];
  guint counts[3] = { 0, 0, 0 };
  QmMoveRequest all[MAX_ITEMS];
  guint n_all = 0;
  guint missing = 0;

  g_return_val_if_fail (state != NULL, requests);

  for (guint i = 0; item_ids != NULL && item_ids[i] != NULL && n_all < MAX_ITEMS; i++)
    {
      guint64 id = g_ascii_strtoull (item_ids[i], NULL, 10);
      int index = id != 0 ? qm_move_state_find_instance (state, id) : -1;
      const QmMoveItem *item;
      int group;

      if (index < 0)
        {
          missing++;
          continue;
        }
      item = &g_array_index (state->items, QmMoveItem, index);
      group = request_group (item, target);
      /* What the target wears stays worn: asked as an equip (nothing to do
       * unless a move queued before takes it away), not as a move, which
       * would take it off. */
      all[n_all] = (QmMoveRequest) {
        .kind = item->owner == target && item->place == QM_MOVE_PLACE_EQUIPPED ?
                QM_MOVE_REQUEST_EQUIP : QM_MOVE_REQUEST_MOVE,
        .instance_id = id,
        .hash = item->hash,
        .place = item->place,
        .owner = item->owner,
        .target = target,
        .equip = FALSE,
      };
      pending[group][counts[group]++] = &all[n_all++];
    }

  for (guint g = 0; g < 3; g++)
    for (guint i = 0; i < counts[g]; i++)
      g_array_append_val (requests, *pending[g][i]);
  if (n_missing != NULL)
    *n_missing = missing;
  return requests;
}
