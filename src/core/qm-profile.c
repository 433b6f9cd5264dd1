/* qm-profile.c: a player's profile (characters and items) from GetProfile
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-profile"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "qm-profile.h"

#include "qm-error.h"
#include "qm-json.h"

#define BUCKET_VAULT      138197802u
#define BUCKET_POSTMASTER 215593132u
/* ItemLocation 4: the item waits at the postmaster. */
#define ITEM_LOCATION_POSTMASTER 4

struct _QmProfile
{
  GObject     parent_instance;

  GPtrArray  *characters;   /* of QmCharacter */
  GListStore *items;        /* of QmItem */
  gint64      minted;
  char       *membership_id;
  int         membership_type;
};

G_DEFINE_FINAL_TYPE (QmProfile, qm_profile, G_TYPE_OBJECT)

/* The sources of the parser, gathered once. */
typedef struct
{
  JsonObject *root;
  JsonObject *instances;     /* itemComponents.instances.data, nullable */
  QmProfile  *profile;
} ParseContext;

static void
character_free (gpointer data)
{
  QmCharacter *character = data;

  g_free (character->id);
  g_free (character->emblem_path);
  g_free (character->date_last_played);
  g_free (character);
}

static void
qm_profile_finalize (GObject *object)
{
  QmProfile *self = QM_PROFILE (object);

  g_clear_pointer (&self->characters, g_ptr_array_unref);
  g_clear_object (&self->items);
  g_free (self->membership_id);

  G_OBJECT_CLASS (qm_profile_parent_class)->finalize (object);
}

static void
qm_profile_class_init (QmProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qm_profile_finalize;
}

static void
qm_profile_init (QmProfile *self)
{
  self->characters = g_ptr_array_new_with_free_func (character_free);
  self->items = g_list_store_new (QM_TYPE_ITEM);
}

/* The "data" of a component; NULL when it is missing or privacy-only. */
static JsonObject *
component_data (JsonObject *root,
                const char *name)
{
  return qm_json_get_object (qm_json_get_object (root, name), "data");
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const char *id_a = *(const char * const *) a;
  const char *id_b = *(const char * const *) b;
  gint64 value_a = g_ascii_strtoll (id_a, NULL, 10);
  gint64 value_b = g_ascii_strtoll (id_b, NULL, 10);

  if (value_a != value_b)
    return value_a < value_b ? -1 : 1;
  return strcmp (id_a, id_b);
}

/* Gather the character ids keying a dictionary component that are not
 * listed yet (borrowed strings). */
static void
gather_dictionary_ids (GPtrArray  *extra,
                       GHashTable *seen,
                       JsonObject *dictionary)
{
  g_autoptr(GList) keys = NULL;

  if (dictionary == NULL)
    return;
  keys = json_object_get_members (dictionary);
  for (GList *l = keys; l != NULL; l = l->next)
    if (qm_json_is_id_string (l->data) && !g_hash_table_contains (seen, l->data))
      {
        g_hash_table_add (seen, g_strdup (l->data));
        g_ptr_array_add (extra, l->data);
      }
}

/* Every character the profile speaks of: the order of profile.data.characterIds
 * first, then (sorted by id) any other character that has data or items. */
static GPtrArray *
collect_character_ids (JsonObject *root)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *listed = qm_json_get_array (component_data (root, "profile"), "characterIds");

  for (guint i = 0; listed != NULL && i < json_array_get_length (listed); i++)
    {
      char *id = qm_json_node_dup_id (json_array_get_element (listed, i));

      if (id == NULL || g_hash_table_contains (seen, id))
        {
          g_free (id);
          continue;
        }
      g_hash_table_add (seen, g_strdup (id));
      g_ptr_array_add (ids, id);
    }
  gather_dictionary_ids (extra, seen, component_data (root, "characters"));
  gather_dictionary_ids (extra, seen, component_data (root, "characterEquipment"));
  gather_dictionary_ids (extra, seen, component_data (root, "characterInventories"));
  g_ptr_array_sort (extra, compare_ids);
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (ids, g_strdup (g_ptr_array_index (extra, i)));
  return ids;
}

static QmCharacter *
character_new (const char *id,
               JsonObject *data)
{
  QmCharacter *character = g_new0 (QmCharacter, 1);
  gint64 class_type = qm_json_get_int (data, "classType", 3);

  character->id = g_strdup (id);
  character->class_type = class_type >= 0 && class_type <= 2 ? (int) class_type : 3;
  character->light = (int) CLAMP (qm_json_get_int (data, "light", 0), 0, G_MAXINT);
  character->emblem_path = g_strdup (qm_json_get_string (data, "emblemPath"));
  character->date_last_played = g_strdup (qm_json_get_string (data, "dateLastPlayed"));
  return character;
}

static void
read_instance (ParseContext *ctx,
               const char   *instance_id,
               int          *power,
               int          *damage_type)
{
  JsonObject *instance = qm_json_get_object (ctx->instances, instance_id);
  JsonObject *primary_stat = qm_json_get_object (instance, "primaryStat");

  *power = -1;
  *damage_type = 0;
  if (instance == NULL)
    return;
  if (primary_stat != NULL)
    *power = (int) CLAMP (qm_json_get_int (primary_stat, "value", -1), -1, G_MAXINT);
  *damage_type = (int) CLAMP (qm_json_get_int (instance, "damageType", 0), G_MININT, G_MAXINT);
}

static QmItem *
item_new (ParseContext   *ctx,
          JsonObject     *data,
          QmItemLocation  location,
          const char     *character_id)
{
  g_autofree char *instance_id = qm_json_dup_id (data, "itemInstanceId");
  gint64 quantity = qm_json_get_int (data, "quantity", 1);
  gint64 state = qm_json_get_int (data, "state", 0);
  int power = -1;
  int damage_type = 0;

  if (instance_id != NULL)
    read_instance (ctx, instance_id, &power, &damage_type);
  return qm_item_new (qm_json_get_hash (data, "itemHash"),
                      instance_id,
                      qm_json_get_hash (data, "bucketHash"),
                      location,
                      character_id,
                      (int) CLAMP (quantity, 0, G_MAXINT),
                      (int) CLAMP (state, G_MININT, G_MAXINT),
                      power,
                      damage_type);
}

static gboolean
is_postmaster (JsonObject *data)
{
  return qm_json_get_hash (data, "bucketHash") == BUCKET_POSTMASTER ||
         qm_json_get_int (data, "location", 0) == ITEM_LOCATION_POSTMASTER;
}

static gboolean
is_vault (JsonObject *data)
{
  return qm_json_get_hash (data, "bucketHash") == BUCKET_VAULT;
}

typedef gboolean (*ItemFilter) (JsonObject *data);

/* Append the items of @items (an array of DestinyItemComponent) that
 * @filter accepts (or, with @negate, rejects); NULL @filter takes all. */
static void
add_items (ParseContext   *ctx,
           JsonArray      *items,
           ItemFilter      filter,
           gboolean        negate,
           QmItemLocation  location,
           const char     *character_id)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autoptr(QmItem) item = NULL;
      JsonObject *data;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      data = json_node_get_object (node);
      if (filter != NULL && filter (data) == negate)
        continue;
      item = item_new (ctx, data, location, character_id);
      g_list_store_append (ctx->profile->items, item);
    }
}

static JsonArray *
character_items (JsonObject *root,
                 const char *component,
                 const char *character_id)
{
  return qm_json_get_array (qm_json_get_object (component_data (root, component), character_id),
                            "items");
}

static void
parse_character (ParseContext *ctx,
                 const char   *id)
{
  JsonObject *data = qm_json_get_object (component_data (ctx->root, "characters"), id);
  JsonArray *equipment = character_items (ctx->root, "characterEquipment", id);
  JsonArray *inventory = character_items (ctx->root, "characterInventories", id);

  g_ptr_array_add (ctx->profile->characters, character_new (id, data));
  add_items (ctx, equipment, NULL, FALSE, QM_ITEM_LOCATION_EQUIPPED, id);
  add_items (ctx, inventory, is_postmaster, TRUE, QM_ITEM_LOCATION_INVENTORY, id);
  add_items (ctx, inventory, is_postmaster, FALSE, QM_ITEM_LOCATION_POSTMASTER, id);
}

static void
parse_profile_items (ParseContext *ctx)
{
  JsonArray *inventory = qm_json_get_array (component_data (ctx->root, "profileInventory"), "items");
  JsonArray *currencies = qm_json_get_array (component_data (ctx->root, "profileCurrencies"), "items");

  add_items (ctx, inventory, is_vault, FALSE, QM_ITEM_LOCATION_VAULT, NULL);
  add_items (ctx, inventory, is_vault, TRUE, QM_ITEM_LOCATION_ACCOUNT, NULL);
  add_items (ctx, currencies, NULL, FALSE, QM_ITEM_LOCATION_ACCOUNT, NULL);
}

static gint64
parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return 0;
  when = g_date_time_new_from_iso8601 (text, utc);
  return when != NULL ? g_date_time_to_unix (when) : 0;
}

static void
parse_user_info (QmProfile  *self,
                 JsonObject *root)
{
  JsonObject *user_info = qm_json_get_object (component_data (root, "profile"), "userInfo");

  self->membership_id = qm_json_dup_id (user_info, "membershipId");
  self->membership_type = (int) CLAMP (qm_json_get_int (user_info, "membershipType", 0),
                                       G_MININT, G_MAXINT);
}

/**
 * qm_profile_parse:
 * @response: the Response of a GetProfile call (a DestinyProfileResponse)
 *
 * Pure: builds the characters and items from whatever components the
 * response holds. Missing and privacy-only components give no data.
 *
 * Returns: (transfer full): the profile, or %NULL with QM_CLIENT_ERROR_MALFORMED
 */
QmProfile *
qm_profile_parse (JsonNode  *response,
                  GError   **error)
{
  g_autoptr(QmProfile) self = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  ParseContext ctx = { 0 };

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The profile answer is not a JSON object");
      return NULL;
    }

  self = g_object_new (QM_TYPE_PROFILE, NULL);
  ctx.root = json_node_get_object (response);
  ctx.instances = qm_json_get_object (qm_json_get_object (ctx.root, "itemComponents"), "instances");
  ctx.instances = qm_json_get_object (ctx.instances, "data");
  ctx.profile = self;

  ids = collect_character_ids (ctx.root);
  for (guint i = 0; i < ids->len; i++)
    parse_character (&ctx, g_ptr_array_index (ids, i));
  parse_profile_items (&ctx);
  parse_user_info (self, ctx.root);
  self->minted = parse_timestamp (qm_json_get_string (ctx.root, "responseMintedTimestamp"));

  return g_steal_pointer (&self);
}

guint
qm_profile_get_n_characters (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->characters->len;
}

/**
 * qm_profile_get_character:
 *
 * Returns: (transfer none) (nullable): the character at @index
 */
const QmCharacter *
qm_profile_get_character (QmProfile *self,
                          guint      index)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);

  if (index >= self->characters->len)
    return NULL;
  return g_ptr_array_index (self->characters, index);
}

/**
 * qm_profile_find_character:
 *
 * Returns: (transfer none) (nullable): the character with @character_id
 */
const QmCharacter *
qm_profile_find_character (QmProfile  *self,
                           const char *character_id)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);

  for (guint i = 0; character_id != NULL && i < self->characters->len; i++)
    {
      const QmCharacter *character = g_ptr_array_index (self->characters, i);

      if (g_strcmp0 (character->id, character_id) == 0)
        return character;
    }
  return NULL;
}

/**
 * qm_profile_get_items:
 *
 * Returns: (transfer none): every item of the profile, a #GListModel of #QmItem
 */
GListModel *
qm_profile_get_items (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);
  return G_LIST_MODEL (self->items);
}

gint64
qm_profile_get_minted (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->minted;
}

const char *
qm_profile_get_membership_id (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);
  return self->membership_id;
}

int
qm_profile_get_membership_type (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->membership_type;
}

/* The class as players read it, translated. */
const char *
qm_class_type_display_name (int class_type)
{
  switch (class_type)
    {
    case 0:
      return _("Titan");
    case 1:
      return _("Hunter");
    case 2:
      return _("Warlock");
    default:
      return _("Guardian");
    }
}

const char *
qm_class_type_to_string (int class_type)
{
  switch (class_type)
    {
    case 0:
      return "titan";
    case 1:
      return "hunter";
    case 2:
      return "warlock";
    default:
      return "unknown";
    }
}
