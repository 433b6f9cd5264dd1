/* test-sandbox-server.c: the fake Bungie.net, through the client and raw HTTP
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "qm-test-utils.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-sandbox-world.h"

#define ITEM_DEFS "DestinyInventoryItemDefinition"

/* ---------------------------------------------------------------------- */
/* Waiting on the client                                                   */

typedef enum
{
  CALL_MANIFEST,
  CALL_MEMBERSHIPS,
  CALL_PROFILE,
  CALL_VENDOR,
} CallKind;

static QmSandbox *
sandbox_new (const QmSandboxOptions *options)
{
  return qm_test_sandbox_new (options);
}

/* Building the demo account is the costly part of a test under the
 * sanitizers, so tests share two sandboxes: one whose game state they only
 * read (they reset the faults they set), one the game-rule tests change.
 * Their clients follow each other closely, so the per-user action spacing
 * is only enforced in its own test. */
static QmSandbox *shared;
static QmSandbox *rules;

static QmSandbox *
shared_sandbox (void)
{
  QmSandboxOptions options = { .no_action_throttle = TRUE };

  if (shared == NULL)
    shared = sandbox_new (&options);
  return shared;
}

static QmSandbox *
rules_sandbox (void)
{
  QmSandboxOptions options = { .no_action_throttle = TRUE };

  if (rules == NULL)
    rules = sandbox_new (&options);
  return rules;
}

static JsonNode *
wait_call (QmBungieClient *client,
           QmSandbox      *sandbox,
           CallKind        kind,
           const char     *character_id,
           guint32         vendor_hash,
           const char     *components,
           GError        **error)
{
  QmTestResult res = { 0 };
  const char *id = sandbox != NULL ? qm_sandbox_get_membership_id (sandbox) : NULL;
  int type = sandbox != NULL ? qm_sandbox_get_membership_type (sandbox) : 0;
  JsonNode *node = NULL;

  switch (kind)
    {
    case CALL_MANIFEST:
      qm_bungie_client_get_manifest_async (client, NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_manifest_finish (client, qm_test_wait_result (&res), error);
      break;
    case CALL_MEMBERSHIPS:
      qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), error);
      break;
    case CALL_PROFILE:
      qm_bungie_client_get_profile_async (client, type, id, components, NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_profile_finish (client, qm_test_wait_result (&res), error);
      break;
    case CALL_VENDOR:
      qm_bungie_client_get_vendor_async (client, type, id, character_id, vendor_hash, components,
                                         NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_vendor_finish (client, qm_test_wait_result (&res), error);
      break;
    default:
      g_assert_not_reached ();
    }
  qm_test_result_clear (&res);
  return node;
}

static JsonNode *
get_profile (QmBungieClient *client,
             QmSandbox      *sandbox,
             const char     *components,
             GError        **error)
{
  return wait_call (client, sandbox, CALL_PROFILE, NULL, 0, components, error);
}

static JsonNode *
get_manifest (QmBungieClient *client,
              GError        **error)
{
  return wait_call (client, NULL, CALL_MANIFEST, NULL, 0, NULL, error);
}

static JsonNode *
wait_request (QmBungieClient *client,
              const char     *path,
              const char     *query,
              GError        **error)
{
  QmTestResult res = { 0 };
  JsonNode *node;

  qm_bungie_client_request_async (client, "GET", path, query, NULL, QM_REQUEST_AUTH, NULL,
                                  qm_test_result_cb, &res);
  node = qm_bungie_client_request_finish (client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return node;
}

static GBytes *
wait_fetch (QmBungieClient *client,
            const char     *path,
            GError        **error)
{
  QmTestResult res = { 0 };
  GBytes *bytes;

  qm_bungie_client_fetch_async (client, path, NULL, qm_test_result_cb, &res);
  bytes = qm_bungie_client_fetch_finish (client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return bytes;
}

static JsonNode *
wait_action (QmBungieClient *client,
             const char     *name,
             JsonNode       *body,
             GError        **error)
{
  QmTestResult res = { 0 };
  JsonNode *node;

  qm_bungie_client_action_async (client, name, body, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_action_finish (client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return node;
}

static JsonNode *
json_printf (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static JsonNode *
json_printf (const char *format,
             ...)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  JsonNode *node;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

/* An action that must fail with @code. */
static void
assert_action_fails (QmBungieClient *client,
                     const char     *name,
                     JsonNode       *body,
                     int             code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = wait_action (client, name, body, &error);

  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, code);
}

static void
assert_action_ok (QmBungieClient *client,
                  const char     *name,
                  JsonNode       *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = wait_action (client, name, body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
}

/* ---------------------------------------------------------------------- */
/* Looking around the world                                                */

typedef enum
{
  WHERE_EQUIPPED   = 1 << 0,
  WHERE_INVENTORY  = 1 << 1,
  WHERE_POSTMASTER = 1 << 2,
  WHERE_VAULT      = 1 << 3,
} Where;

typedef struct
{
  JsonObject *item;
  JsonObject *definition;
  const char *character_id;   /* NULL in the vault */
  Where       where;
} Found;

typedef gboolean (*ItemFilter) (QmSandboxWorld *world,
                                const Found    *found,
                                gpointer        user_data);

static gboolean
scan_items (QmSandboxWorld *world,
            JsonArray      *items,
            const char     *character_id,
            Where           where,
            Where           wanted,
            ItemFilter      filter,
            gpointer        user_data,
            Found          *out)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      guint32 bucket = qm_json_get_hash (item, "bucketHash");
      Found found = { item, NULL, character_id, where };

      if (where == WHERE_INVENTORY && bucket == QM_BUCKET_POSTMASTER)
        found.where = WHERE_POSTMASTER;
      if (where == WHERE_VAULT && bucket != QM_BUCKET_VAULT)
        continue;
      if ((found.where & wanted) == 0)
        continue;
      found.definition = qm_sandbox_world_definition (world, ITEM_DEFS, qm_json_get_hash (item, "itemHash"));
      if (filter (world, &found, user_data))
        {
          *out = found;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
find_item (QmSandbox  *sandbox,
           const char *only_character,
           Where       wanted,
           ItemFilter  filter,
           gpointer    user_data,
           Found      *out)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  JsonObject *characters = qm_sandbox_world_component (world, "characters");
  JsonObject *equipment = qm_sandbox_world_component (world, "characterEquipment");
  JsonObject *inventories = qm_sandbox_world_component (world, "characterInventories");
  JsonObject *profile_inventory = qm_sandbox_world_component (world, "profileInventory");
  /* The member names live as long as the world's characters do. */
  g_autoptr(GList) ids = json_object_get_members (characters);

  for (GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;

      if (only_character != NULL && !g_str_equal (only_character, id))
        continue;
      if (scan_items (world, qm_json_get_array (qm_json_get_object (equipment, id), "items"),
                      id, WHERE_EQUIPPED, wanted, filter, user_data, out) ||
          scan_items (world, qm_json_get_array (qm_json_get_object (inventories, id), "items"),
                      id, WHERE_INVENTORY, wanted, filter, user_data, out))
        return TRUE;
    }
  return scan_items (world, qm_json_get_array (profile_inventory, "items"), NULL, WHERE_VAULT,
                     wanted, filter, user_data, out);
}

static gboolean
is_instanced (const Found *found)
{
  g_autofree char *id = qm_json_dup_id (found->item, "itemInstanceId");

  return id != NULL && !g_str_equal (id, "0");
}

static int
tier_of (const Found *found)
{
  return (int) qm_json_get_int (qm_json_get_object (found->definition, "inventory"), "tierType", 0);
}

static guint32
home_bucket (const Found *found)
{
  return qm_json_get_hash (qm_json_get_object (found->definition, "inventory"), "bucketTypeHash");
}

static const char *
unique_label (const Found *found)
{
  return qm_json_get_string (qm_json_get_object (found->definition, "equippingBlock"), "uniqueLabel");
}

static gboolean
is_weapon_bucket (guint32 bucket)
{
  return bucket == QM_BUCKET_KINETIC || bucket == QM_BUCKET_ENERGY || bucket == QM_BUCKET_POWER;
}

static gboolean
is_armor_bucket (guint32 bucket)
{
  return bucket == QM_BUCKET_HELMET || bucket == QM_BUCKET_GAUNTLETS || bucket == QM_BUCKET_CHEST ||
         bucket == QM_BUCKET_LEGS || bucket == QM_BUCKET_CLASS_ARMOR;
}

static int
character_class (QmSandbox  *sandbox,
                 const char *character_id)
{
  JsonObject *characters = qm_sandbox_world_component (qm_sandbox_get_world (sandbox), "characters");

  return (int) qm_json_get_int (qm_json_get_object (characters, character_id), "classType", 3);
}

static char *
first_character (QmSandbox *sandbox)
{
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (sandbox);

  g_assert_nonnull (ids);
  g_assert_nonnull (ids[0]);
  return g_strdup (ids[0]);
}

static JsonNode *
transfer_body (QmSandbox   *sandbox,
               const Found *found,
               const char  *character_id,
               gboolean     to_vault)
{
  g_autofree char *id = qm_json_dup_id (found->item, "itemInstanceId");

  return json_printf ("{\"itemReferenceHash\":%u,\"stackSize\":%d,\"transferToVault\":%s,"
                      "\"itemId\":\"%s\",\"characterId\":\"%s\",\"membershipType\":%d}",
                      qm_json_get_hash (found->item, "itemHash"),
                      (int) qm_json_get_int (found->item, "quantity", 1),
                      to_vault ? "true" : "false", id != NULL ? id : "0", character_id,
                      qm_sandbox_get_membership_type (sandbox));
}

static JsonNode *
pull_body (QmSandbox   *sandbox,
           const Found *found)
{
  g_autofree char *id = qm_json_dup_id (found->item, "itemInstanceId");

  return json_printf ("{\"itemReferenceHash\":%u,\"stackSize\":%d,\"itemId\":\"%s\","
                      "\"characterId\":\"%s\",\"membershipType\":%d}",
                      qm_json_get_hash (found->item, "itemHash"),
                      (int) qm_json_get_int (found->item, "quantity", 1),
                      id != NULL ? id : "0", found->character_id,
                      qm_sandbox_get_membership_type (sandbox));
}

static JsonNode *
item_body (QmSandbox   *sandbox,
           const Found *found,
           const char  *character_id,
           const char  *extra)
{
  g_autofree char *id = qm_json_dup_id (found->item, "itemInstanceId");

  return json_printf ("{\"itemId\":\"%s\",\"characterId\":\"%s\",\"membershipType\":%d%s}",
                      id != NULL ? id : "0", character_id, qm_sandbox_get_membership_type (sandbox),
                      extra != NULL ? extra : "");
}

static JsonNode *
loadout_body (QmSandbox  *sandbox,
              const char *character_id,
              int         index,
              const char *extra)
{
  return json_printf ("{\"loadoutIndex\":%d,\"characterId\":\"%s\",\"membershipType\":%d%s}",
                      index, character_id, qm_sandbox_get_membership_type (sandbox),
                      extra != NULL ? extra : "");
}

/* ---------------------------------------------------------------------- */
/* Raw HTTP                                                                */

typedef struct
{
  guint       status;
  GBytes     *body;
  JsonObject *json;
} RawReply;

static void
raw_reply_clear (RawReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawReply, raw_reply_clear)

static void
raw_finish (SoupSession  *session,
            SoupMessage  *msg,
            GAsyncResult *result,
            RawReply     *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *type;

  reply->body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") == 0)
    {
      node = qm_json_parse_bytes (reply->body, &error);
      g_assert_no_error (error);
      if (JSON_NODE_HOLDS_OBJECT (node))
        reply->json = json_object_ref (json_node_get_object (node));
    }
}

static void
raw_send (SoupSession *session,
          SoupMessage *msg,
          RawReply    *reply)
{
  QmTestResult res = { 0 };

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, qm_test_result_cb, &res);
  raw_finish (session, msg, qm_test_wait_result (&res), reply);
  qm_test_result_clear (&res);
}

static SoupMessage *
platform_message (QmSandbox  *sandbox,
                  const char *method,
                  const char *path,
                  const char *token,
                  JsonNode   *body)
{
  g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/Platform", path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-API-Key", QM_SANDBOX_API_KEY);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = qm_json_to_bytes (body);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static const char *
location_of (SoupMessage *msg)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
}

static char *
query_value (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (uri);
  if (g_uri_get_query (uri) == NULL)
    return NULL;
  params = soup_form_decode (g_uri_get_query (uri));
  return g_strdup (g_hash_table_lookup (params, name));
}

/* ---------------------------------------------------------------------- */
/* Manifest, content, memberships, profile                                 */

static void
test_manifest_and_content (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, FALSE);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  guint manifests = qm_sandbox_get_call_count (sandbox, "Manifest");
  guint contents = qm_sandbox_get_call_count (sandbox, "Content");
  guint icons = qm_sandbox_get_call_count (sandbox, "Icon");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) manifest = get_manifest (client, &error);
  g_autoptr(GBytes) table = NULL;
  g_autoptr(GBytes) busted = NULL;
  g_autoptr(GBytes) icon = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autofree char *cache_busted = NULL;
  g_autofree char *stale = NULL;
  JsonObject *paths;
  const char *item_path;
  const char *icon_path = NULL;
  JsonObjectIter iter;
  JsonNode *value;
  const guchar *png;
  gsize size;

  g_assert_no_error (error);
  g_assert_cmpstr (qm_json_get_string (json_node_get_object (manifest), "version"), ==,
                   world->content_version);
  paths = qm_json_path_object (json_node_get_object (manifest), "jsonWorldComponentContentPaths", "en", NULL);
  item_path = qm_json_get_string (paths, ITEM_DEFS);
  g_assert_nonnull (item_path);
  g_assert_true (g_str_has_suffix (item_path, ".json"));

  table = wait_fetch (client, item_path, &error);
  g_assert_no_error (error);
  items = qm_json_parse_bytes (table, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (items)), >, 10);

  /* Query strings on content are cache-busting only. */
  cache_busted = g_strconcat (item_path, "?v=2", NULL);
  busted = wait_fetch (client, cache_busted, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (busted, table));

  stale = g_strdup_printf ("/common/destiny2_content/json/en/%s-stale.json", ITEM_DEFS);
  g_assert_null (wait_fetch (client, stale, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  json_object_iter_init (&iter, json_node_get_object (items));
  while (icon_path == NULL && json_object_iter_next (&iter, NULL, &value))
    icon_path = qm_json_get_string (qm_json_get_object (json_node_get_object (value), "displayProperties"),
                                    "icon");
  g_assert_nonnull (icon_path);
  icon = wait_fetch (client, icon_path, &error);
  g_assert_no_error (error);
  png = g_bytes_get_data (icon, &size);
  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (png, 4, "\x89PNG", 4);

  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Manifest"), ==, manifests + 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Content"), ==, contents + 3);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Icon"), ==, icons + 1);
}

static void
test_memberships (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(QmBungieClient) anonymous = qm_test_client_new (sandbox, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_autoptr(JsonNode) refused = NULL;
  JsonArray *memberships;
  gboolean found = FALSE;

  g_assert_no_error (error);
  memberships = qm_json_get_array (json_node_get_object (node), "destinyMemberships");
  g_assert_nonnull (memberships);
  for (guint i = 0; i < json_array_get_length (memberships); i++)
    {
      g_autofree char *id = qm_json_dup_id (json_array_get_object_element (memberships, i), "membershipId");

      found |= g_strcmp0 (id, qm_sandbox_get_membership_id (sandbox)) == 0;
    }
  g_assert_true (found);

  refused = wait_call (anonymous, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED);
}

static void
test_profile_components (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_profile (client, sandbox, "100,ProfileInventories,200", &error);
  JsonObject *profile;
  const char *minted;

  g_assert_no_error (error);
  profile = json_node_get_object (node);
  g_assert_nonnull (qm_json_path_object (profile, "profile", "data", NULL));
  g_assert_nonnull (qm_json_get_array (qm_json_path_object (profile, "profileInventory", "data", NULL), "items"));
  g_assert_nonnull (qm_json_path_object (profile, "characters", "data", NULL));
  g_assert_false (json_object_has_member (profile, "characterInventories"));
  g_assert_false (json_object_has_member (profile, "characterEquipment"));
  g_assert_false (json_object_has_member (profile, "itemComponents"));
  minted = qm_json_get_string (profile, "responseMintedTimestamp");
  g_assert_nonnull (minted);
  g_assert_true (g_str_has_suffix (minted, "Z"));
  g_clear_pointer (&node, json_node_unref);

  node = get_profile (client, sandbox, "300,ItemStats", &error);
  g_assert_no_error (error);
  g_assert_nonnull (qm_json_path_object (json_node_get_object (node), "itemComponents", "instances", "data", NULL));
  g_assert_nonnull (qm_json_path_object (json_node_get_object (node), "itemComponents", "stats", "data", NULL));
  g_assert_null (qm_json_path_object (json_node_get_object (node), "itemComponents", "sockets", NULL));
  g_clear_pointer (&node, json_node_unref);

  /* Bungie's answer to a missing or unknown components list. */
  node = get_profile (client, sandbox, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_INVALID_PARAMETERS);
  g_clear_error (&error);
  node = get_profile (client, sandbox, "100,Bogus", &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_INVALID_PARAMETERS);
  g_clear_error (&error);

  {
    g_autofree char *wrong_id = g_strdup_printf ("/Destiny2/%d/Profile/1/",
                                                 qm_sandbox_get_membership_type (sandbox));
    g_autofree char *wrong_type = g_strdup_printf ("/Destiny2/%d/Profile/%s/",
                                                   qm_sandbox_get_membership_type (sandbox) == 2 ? 1 : 2,
                                                   qm_sandbox_get_membership_id (sandbox));

    node = wait_request (client, wrong_id, "components=100", &error);
    g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
    g_clear_error (&error);
    node = wait_request (client, wrong_type, "components=100", &error);
    g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
    g_clear_error (&error);
  }
}

static gboolean
is_equipped_cb (QmSandboxWorld *world,
                const Found    *found,
                gpointer        user_data)
{
  return is_instanced (found);
}

static void
test_profile_privacy (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_profile (client, sandbox, "100,102,103,200,201,205,206,300", &error);
  g_autofree char *equipped_id = NULL;
  g_autofree char *character_id = first_character (sandbox);
  JsonObject *profile, *instances;
  Found equipped, unequipped;

  g_assert_no_error (error);
  profile = json_node_get_object (node);
  /* Public components come with data; private ones with privacy 2 and none. */
  g_assert_nonnull (qm_json_path_object (profile, "profile", "data", NULL));
  g_assert_nonnull (qm_json_path_object (profile, "characters", "data", NULL));
  g_assert_nonnull (qm_json_path_object (profile, "characterEquipment", "data", NULL));
  for (guint i = 0; i < 4; i++)
    {
      const char *member = (const char *[]) { "profileInventory", "profileCurrencies",
                                              "characterInventories", "characterLoadouts" }[i];
      JsonObject *wrapper = qm_json_get_object (profile, member);

      g_assert_nonnull (wrapper);
      g_assert_false (json_object_has_member (wrapper, "data"));
      g_assert_cmpint (qm_json_get_int (wrapper, "privacy", 0), ==, 2);
    }

  /* Item details only for what anyone can see: the equipped items. */
  instances = qm_json_path_object (profile, "itemComponents", "instances", "data", NULL);
  g_assert_nonnull (instances);
  g_assert_true (find_item (sandbox, character_id, WHERE_EQUIPPED, is_equipped_cb, NULL, &equipped));
  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, is_equipped_cb, NULL, &unequipped));
  equipped_id = qm_json_dup_id (equipped.item, "itemInstanceId");
  g_assert_true (json_object_has_member (instances, equipped_id));
  {
    g_autofree char *other = qm_json_dup_id (unequipped.item, "itemInstanceId");

    g_assert_false (json_object_has_member (instances, other));
  }
}

static void
test_api_key_required (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) no_slash = NULL;
  g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/Platform/Destiny2/Manifest/", NULL);
  g_auto(RawReply) reply = { 0 };
  g_auto(RawReply) reply2 = { 0 };

  msg = soup_message_new ("GET", url);
  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, 401);
  g_assert_nonnull (reply.json);
  g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, 2102);
  g_assert_cmpstr (qm_json_get_string (reply.json, "ErrorStatus"), ==, "ApiKeyMissingFromRequest");
  g_assert_false (json_object_has_member (reply.json, "Response"));
  g_assert_true (json_object_has_member (reply.json, "MessageData"));

  /* Paths end in '/': Bungie does not serve the bare name. */
  no_slash = platform_message (sandbox, "GET", "/Destiny2/Manifest", NULL, NULL);
  raw_send (session, no_slash, &reply2);
  g_assert_cmpint (qm_json_get_int (reply2.json, "ErrorCode", 0), ==, 21);
}

/* ---------------------------------------------------------------------- */
/* Faults                                                                  */

static void
set_faults (QmSandbox  *sandbox,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_sandbox_set_faults (sandbox, spec, &error));
  g_assert_no_error (error);
}

static void
assert_manifest_fails (QmBungieClient *client,
                       GQuark          domain,
                       int             code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_manifest (client, &error);

  g_assert_null (node);
  g_assert_error (error, domain, code);
}

static void
test_fault_envelopes (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;

  qm_bungie_client_set_max_throttle_retries (client, 0);

  set_faults (sandbox, "maintenance");
  assert_manifest_fails (client, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
  set_faults (sandbox, "throttle:1672,seconds=1");
  assert_manifest_fails (client, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_THROTTLED_BY_GAME_SERVER);
  set_faults (sandbox, "http500");
  assert_manifest_fails (client, QM_PLATFORM_ERROR, 1626);
  set_faults (sandbox, "http500:DestinyUnexpectedError");
  assert_manifest_fails (client, QM_PLATFORM_ERROR, 1618);
  set_faults (sandbox, "html502");
  assert_manifest_fails (client, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  set_faults (sandbox, "truncate");
  assert_manifest_fails (client, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  set_faults (sandbox, "reset");
  assert_manifest_fails (client, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);

  set_faults (sandbox, "token-expired,endpoint=GetMembershipsForCurrentUser");
  node = wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED);
  g_clear_error (&error);

  /* A bad spec leaves the faults as they were. */
  g_assert_false (qm_sandbox_set_faults (sandbox, "maintenance,endpoint=Nope", &parse_error));
  g_assert_error (parse_error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (parse_error->message, "Nope"));

  set_faults (sandbox, "");
  node = get_manifest (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

/* The Message of an injected ErrorCode: Bungie's wording where it is on
 * record, a plainly generic one otherwise. */
static void
test_fault_messages (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  struct
  {
    const char *fault;
    int         code;
    const char *message;   /* NULL: generic */
  } cases[] = {
    { "error:DestinyServiceFailure", 1643,
      "We couldn't get your Destiny data right now, something funky's going on.  Try again later." },
    { "error:1642", 1642, "There are no item slots available to transfer this item." },
    { "error:DestinyCannotPerformActionOnEquippedItem", 1656,
      "You cannot perform this action on an equipped item." },
    { "error:DestinyItemLocked", 1674, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) msg = platform_message (sandbox, "GET", "/Destiny2/Manifest/", NULL, NULL);
      g_auto(RawReply) reply = { 0 };
      const char *message;

      set_faults (sandbox, cases[i].fault);
      raw_send (session, msg, &reply);
      g_assert_nonnull (reply.json);
      g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, cases[i].code);
      message = qm_json_get_string (reply.json, "Message");
      g_test_message ("%d: %s", cases[i].code, message);
      if (cases[i].message != NULL)
        g_assert_cmpstr (message, ==, cases[i].message);
      else
        {
          g_assert_true (g_str_has_prefix (message, "Bungie.net error 1674 (DestinyItemLocked)"));
          g_assert_nonnull (strstr (message, "no record of Bungie's message"));
        }
    }
  set_faults (sandbox, "");
}

static void
test_fault_throttle_retry (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint before = qm_sandbox_get_call_count (sandbox, "GetProfile");
  gint64 start;

  set_faults (sandbox, "throttle,endpoint=GetProfile,times=1,seconds=1");
  start = g_get_monotonic_time ();
  node = get_profile (client, sandbox, "100", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900000);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "GetProfile"), ==, before + 2);
  set_faults (sandbox, "");
}

static void
test_fault_timing (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  set_faults (sandbox, "delay:300,endpoint=Manifest");
  start = g_get_monotonic_time ();
  node = get_manifest (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290000);

  /* A fresh client: the session's timeout applies to the connections it opens. */
  set_faults (sandbox, "timeout,endpoint=Manifest");
  g_clear_object (&client);
  client = qm_test_client_new (sandbox, TRUE);
  qm_bungie_client_set_timeout (client, 1);
  start = g_get_monotonic_time ();
  assert_manifest_fails (client, QM_CLIENT_ERROR, QM_CLIENT_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  set_faults (sandbox, "");
}

static void
test_fault_selection (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  gboolean failed[3];

  set_faults (sandbox, "error:1626,endpoint=GetProfile,calls=2");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = get_profile (client, sandbox, "100", &error);

      failed[i] = node == NULL;
      if (failed[i])
        g_assert_error (error, QM_PLATFORM_ERROR, 1626);
    }
  g_assert_false (failed[0]);
  g_assert_true (failed[1]);
  g_assert_false (failed[2]);

  set_faults (sandbox, "error:DestinyInternalError,endpoint=GetProfile,rate=1.0");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = get_profile (client, sandbox, "100", &error);

      g_assert_error (error, QM_PLATFORM_ERROR, 1626);
    }
  set_faults (sandbox, "error:1626,endpoint=GetProfile,rate=0.0");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = get_profile (client, sandbox, "100", &error);

      g_assert_no_error (error);
    }
  set_faults (sandbox, "");
}

static gboolean
transferable_weapon_cb (QmSandboxWorld *world,
                        const Found    *found,
                        gpointer        user_data)
{
  return is_instanced (found) && is_weapon_bucket (home_bucket (found)) && tier_of (found) == 5 &&
         !qm_json_get_bool (found->definition, "nonTransferrable", FALSE);
}

static void
test_fault_on_action (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) body = NULL;
  Found weapon;

  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, transferable_weapon_cb, NULL, &weapon));
  body = transfer_body (sandbox, &weapon, character_id, TRUE);
  set_faults (sandbox, "error:1642,endpoint=TransferItem");
  before = qm_sandbox_dup_profile_json (sandbox);
  assert_action_fails (client, "TransferItem", body, QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION);
  after = qm_sandbox_dup_profile_json (sandbox);
  g_assert_cmpstr (before, ==, after);
  set_faults (sandbox, "");
}

static void
test_fault_refresh_expired (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/Platform/App/OAuth/token/", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_auto(RawReply) reply = { 0 };
  guint before = qm_sandbox_get_call_count (sandbox, "Token");

  set_faults (sandbox, "refresh-expired");
  msg = soup_message_new_from_encoded_form ("POST", url,
                                            soup_form_encode ("grant_type", "refresh_token",
                                                              "refresh_token", "whatever",
                                                              "client_id", QM_SANDBOX_CLIENT_ID,
                                                              "client_secret", QM_SANDBOX_CLIENT_SECRET,
                                                              NULL));
  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  g_assert_cmpstr (qm_json_get_string (reply.json, "error"), ==, "invalid_grant");
  g_assert_cmpstr (qm_json_get_string (reply.json, "error_description"), ==, "RefreshTokenExpired");
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Token"), ==, before + 1);
  set_faults (sandbox, "");
}

/* ---------------------------------------------------------------------- */
/* Tokens                                                                  */

static void
test_token_expiry (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  qm_sandbox_expire_access_tokens (sandbox);
  node = wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED);
  g_clear_error (&error);

  qm_bungie_client_set_access_token (client, "not-a-token");
  node = wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED);
}

/* ---------------------------------------------------------------------- */
/* Game rules through HTTP                                                 */


static void
test_ids_as_numbers (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autofree char *item_id = NULL;
  g_autoptr(JsonNode) body = NULL;
  Found weapon, moved;

  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, transferable_weapon_cb, NULL, &weapon));
  item_id = qm_json_dup_id (weapon.item, "itemInstanceId");
  body = json_printf ("{\"itemReferenceHash\":%u,\"stackSize\":1,\"transferToVault\":true,"
                      "\"itemId\":%s,\"characterId\":%s,\"membershipType\":%d}",
                      qm_json_get_hash (weapon.item, "itemHash"), item_id, character_id,
                      qm_sandbox_get_membership_type (sandbox));
  assert_action_ok (client, "TransferItem", body);

  /* The item is in the vault now. */
  g_assert_true (find_item (sandbox, NULL, WHERE_VAULT, transferable_weapon_cb, NULL, &moved));
  {
    gboolean in_vault = FALSE;
    QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
    JsonArray *items = qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"), "items");

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        g_autofree char *id = qm_json_dup_id (json_array_get_object_element (items, i), "itemInstanceId");

        in_vault |= g_strcmp0 (id, item_id) == 0;
      }
    g_assert_true (in_vault);
  }
}

static void
test_rule_equipped_transfer (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(JsonNode) body = NULL;
  Found equipped;

  g_assert_true (find_item (sandbox, character_id, WHERE_EQUIPPED, transferable_weapon_cb, NULL, &equipped) ||
                 find_item (sandbox, character_id, WHERE_EQUIPPED, is_equipped_cb, NULL, &equipped));
  body = transfer_body (sandbox, &equipped, character_id, TRUE);
  assert_action_fails (client, "TransferItem", body,
                       QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_ON_EQUIPPED_ITEM);
}

static gboolean
nontransferrable_cb (QmSandboxWorld *world,
                     const Found    *found,
                     gpointer        user_data)
{
  return qm_json_get_bool (found->definition, "nonTransferrable", FALSE);
}

static void
test_rule_not_transferrable (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(JsonNode) body = NULL;
  Found item;

  g_assert_true (find_item (sandbox, NULL, WHERE_INVENTORY, nontransferrable_cb, NULL, &item));
  body = transfer_body (sandbox, &item, item.character_id, TRUE);
  assert_action_fails (client, "TransferItem", body, QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE);
}

static gboolean
side_effects_cb (QmSandboxWorld *world,
                 const Found    *found,
                 gpointer        user_data)
{
  return qm_json_get_bool (found->definition, "doesPostmasterPullHaveSideEffects", FALSE);
}

static void
test_rule_postmaster_side_effects (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(JsonNode) body = NULL;
  Found item;

  g_assert_true (find_item (sandbox, NULL, WHERE_POSTMASTER, side_effects_cb, NULL, &item));
  body = pull_body (sandbox, &item);
  assert_action_fails (client, "PullFromPostmaster", body,
                       QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE_HAS_SIDE_EFFECTS);
}

static gboolean
not_lockable_cb (QmSandboxWorld *world,
                 const Found    *found,
                 gpointer        user_data)
{
  return is_instanced (found) && !qm_json_get_bool (found->item, "lockable", TRUE);
}

static gboolean
lockable_cb (QmSandboxWorld *world,
             const Found    *found,
             gpointer        user_data)
{
  return is_instanced (found) && qm_json_get_bool (found->item, "lockable", FALSE);
}

static void
test_rule_lock_forbidden (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) allowed = NULL;
  Found item, lockable;

  g_assert_true (find_item (sandbox, NULL, WHERE_INVENTORY | WHERE_EQUIPPED, not_lockable_cb, NULL, &item));
  refused = item_body (sandbox, &item, item.character_id, ",\"state\":true");
  assert_action_fails (client, "SetLockState", refused, QM_PLATFORM_ERROR_DESTINY_ITEM_ACTION_FORBIDDEN);

  g_assert_true (find_item (sandbox, NULL, WHERE_INVENTORY, lockable_cb, NULL, &lockable));
  allowed = item_body (sandbox, &lockable, lockable.character_id, ",\"state\":true");
  assert_action_ok (client, "SetLockState", allowed);
  g_assert_cmpint (qm_json_get_int (lockable.item, "state", 0) & 1, ==, 1);
}

typedef struct
{
  const char *label;
  guint32     not_bucket;
} LabelFilter;

static gboolean
unique_weapon_cb (QmSandboxWorld *world,
                  const Found    *found,
                  gpointer        user_data)
{
  LabelFilter *filter = user_data;

  return is_instanced (found) && is_weapon_bucket (home_bucket (found)) &&
         g_strcmp0 (unique_label (found), filter->label) == 0 &&
         home_bucket (found) != filter->not_bucket;
}

static gboolean
labelled_weapon_cb (QmSandboxWorld *world,
                    const Found    *found,
                    gpointer        user_data)
{
  return is_instanced (found) && is_weapon_bucket (home_bucket (found)) && unique_label (found) != NULL;
}

/* Bring @found to @character_id from the vault, if it is there. */
static void
bring_to_character (QmBungieClient *client,
                    QmSandbox      *sandbox,
                    Found          *found,
                    const char     *character_id)
{
  g_autoptr(JsonNode) body = NULL;

  if (found->where != WHERE_VAULT)
    return;
  body = transfer_body (sandbox, found, character_id, FALSE);
  assert_action_ok (client, "TransferItem", body);
  found->where = WHERE_INVENTORY;
  found->character_id = character_id;
}

static void
test_rule_unique_equip (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (sandbox);
  g_autoptr(JsonNode) body = NULL;
  LabelFilter filter = { NULL, 0 };
  const char *character_id = NULL;
  Found equipped, second;

  /* A character with an exotic weapon equipped, and another exotic weapon of
   * a different slot to equip next to it. */
  for (guint c = 0; ids[c] != NULL && character_id == NULL; c++)
    if (find_item (sandbox, ids[c], WHERE_EQUIPPED, labelled_weapon_cb, NULL, &equipped))
      {
        filter.label = unique_label (&equipped);
        filter.not_bucket = home_bucket (&equipped);
        if (find_item (sandbox, ids[c], WHERE_INVENTORY, unique_weapon_cb, &filter, &second) ||
            find_item (sandbox, NULL, WHERE_VAULT, unique_weapon_cb, &filter, &second))
          character_id = ids[c];
      }
  g_assert_nonnull (character_id);
  bring_to_character (client, sandbox, &second, character_id);
  body = item_body (sandbox, &second, character_id, NULL);
  assert_action_fails (client, "EquipItem", body, QM_PLATFORM_ERROR_DESTINY_ITEM_UNIQUE_EQUIP_RESTRICTED);
}

static gboolean
other_class_armor_cb (QmSandboxWorld *world,
                      const Found    *found,
                      gpointer        user_data)
{
  int class_type = GPOINTER_TO_INT (user_data);
  gint64 item_class = qm_json_get_int (found->definition, "classType", 3);

  return is_instanced (found) && is_armor_bucket (home_bucket (found)) &&
         item_class != 3 && item_class != class_type;
}

static void
test_rule_unequippable (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(JsonNode) body = NULL;
  int class_type = character_class (sandbox, character_id);
  Found armor;

  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, other_class_armor_cb,
                            GINT_TO_POINTER (class_type), &armor) ||
                 find_item (sandbox, NULL, WHERE_VAULT, other_class_armor_cb,
                            GINT_TO_POINTER (class_type), &armor));
  bring_to_character (client, sandbox, &armor, character_id);
  body = item_body (sandbox, &armor, character_id, NULL);
  assert_action_fails (client, "EquipItem", body, QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE);
}

static gboolean
plain_inventory_weapon_cb (QmSandboxWorld *world,
                           const Found    *found,
                           gpointer        user_data)
{
  return transferable_weapon_cb (world, found, user_data) && unique_label (found) == NULL;
}

static void
test_rule_location (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) loadout = NULL;
  Found weapon;

  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, plain_inventory_weapon_cb, NULL, &weapon));
  body = item_body (sandbox, &weapon, character_id, NULL);

  qm_sandbox_set_character_location (sandbox, character_id, QM_SANDBOX_LOCATION_ACTIVITY);
  assert_action_fails (client, "EquipItem", body, QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION);
  loadout = loadout_body (sandbox, character_id, 0, NULL);
  assert_action_fails (client, "EquipLoadout", loadout,
                       QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION);
  qm_sandbox_set_character_location (sandbox, character_id, QM_SANDBOX_LOCATION_NOT_IN_TOWER);
  assert_action_fails (client, "EquipItem", body, QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER);
  qm_sandbox_set_character_location (sandbox, character_id, QM_SANDBOX_LOCATION_ORBIT);
  assert_action_ok (client, "EquipItem", body);
}

typedef struct
{
  guint32     bucket;
  GHashTable *tried;
} BucketFilter;

static gboolean
vault_weapon_of_bucket_cb (QmSandboxWorld *world,
                           const Found    *found,
                           gpointer        user_data)
{
  BucketFilter *filter = user_data;
  g_autofree char *id = NULL;

  if (!is_instanced (found) || home_bucket (found) != filter->bucket ||
      qm_json_get_bool (found->definition, "nonTransferrable", FALSE))
    return FALSE;
  id = qm_json_dup_id (found->item, "itemInstanceId");
  return !g_hash_table_contains (filter->tried, id);
}

static void
test_rule_no_room (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(GHashTable) tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const guint32 buckets[] = { QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER };
  gboolean refused = FALSE;

  /* Fill one weapon slot of the character from the vault until it overflows. */
  for (guint b = 0; b < G_N_ELEMENTS (buckets) && !refused; b++)
    {
      BucketFilter filter = { buckets[b], tried };
      Found weapon;

      while (!refused && find_item (sandbox, NULL, WHERE_VAULT, vault_weapon_of_bucket_cb, &filter, &weapon))
        {
          g_autoptr(JsonNode) body = transfer_body (sandbox, &weapon, character_id, FALSE);
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) node = NULL;

          g_hash_table_add (tried, qm_json_dup_id (weapon.item, "itemInstanceId"));
          node = wait_action (client, "TransferItem", body, &error);
          if (error != NULL)
            {
              g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION);
              refused = TRUE;
            }
        }
    }
  g_assert_true (refused);
}

/* ---------------------------------------------------------------------- */
/* Recorded data without definitions                                       */

/* The bucket an item of @item_hash holds outside the vault and the
 * postmaster in @world, 0 when none does. */
static guint32
held_bucket (QmSandboxWorld *world,
             guint32         item_hash)
{
  const char *components[] = { "characterEquipment", "characterInventories" };
  JsonArray *profile_items = qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"), "items");
  g_autoptr(GPtrArray) arrays = g_ptr_array_new ();

  for (guint c = 0; c < G_N_ELEMENTS (components); c++)
    {
      g_autoptr(GList) holders = json_object_get_values (qm_sandbox_world_component (world, components[c]));

      for (GList *l = holders; l != NULL; l = l->next)
        g_ptr_array_add (arrays, qm_json_get_array (json_node_get_object (l->data), "items"));
    }
  g_ptr_array_add (arrays, profile_items);
  for (guint a = 0; a < arrays->len; a++)
    {
      JsonArray *items = g_ptr_array_index (arrays, a);

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          guint32 bucket = qm_json_get_hash (item, "bucketHash");

          if (qm_json_get_hash (item, "itemHash") == item_hash &&
              bucket != QM_BUCKET_VAULT && bucket != QM_BUCKET_POSTMASTER)
            return bucket;
        }
    }
  return 0;
}

static gboolean
held_elsewhere_cb (QmSandboxWorld *world,
                   const Found    *found,
                   gpointer        user_data)
{
  return held_bucket (world, qm_json_get_hash (found->item, "itemHash")) != 0;
}

static gboolean
inventory_weapon_cb (QmSandboxWorld *world,
                     const Found    *found,
                     gpointer        user_data)
{
  return is_instanced (found) && is_weapon_bucket (qm_json_get_hash (found->item, "bucketHash"));
}

typedef struct
{
  const char *item_id;
  Found       found;
} FindId;

static gboolean
has_id_cb (QmSandboxWorld *world,
           const Found    *found,
           gpointer        user_data)
{
  g_autofree char *id = qm_json_dup_id (found->item, "itemInstanceId");

  return g_strcmp0 (id, user_data) == 0;
}

/* The bucket of the item @item_id (instanced) in @sandbox, 0 when gone. */
static guint32
bucket_of (QmSandbox  *sandbox,
           const char *character_id,
           const char *item_id)
{
  Found found;

  if (!find_item (sandbox, character_id, WHERE_EQUIPPED | WHERE_INVENTORY | WHERE_POSTMASTER | WHERE_VAULT,
                  has_id_cb, (gpointer) item_id, &found))
    return 0;
  return qm_json_get_hash (found.item, "bucketHash");
}

/* Recorded data whose definitions are missing: moves follow what the
 * profile says about each item's bucket. */
static void
test_recorded_moves_without_definitions (void)
{
  QmSandbox *demo = shared_sandbox ();
  QmSandboxWorld *demo_world = qm_sandbox_get_world (demo);
  g_autofree char *dir = g_dir_make_tmp ("qm-sandbox-data-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  QmSandboxOptions options = { .no_action_throttle = TRUE };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_auto(GStrv) ids = NULL;
  QmSandboxWorld *world;
  Found weapon, vaulted, lost;
  guint32 home;

  json_object_set_member (envelope, "Response", json_node_copy (demo_world->profile));
  json_object_set_int_member (envelope, "ErrorCode", 1);
  json_node_set_object (root, envelope);
  text = json_to_string (root, FALSE);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  options.data_dir = dir;
  sandbox = sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  world = qm_sandbox_get_world (sandbox);
  ids = qm_sandbox_dup_character_ids (sandbox);
  g_assert_null (qm_sandbox_world_definition (world, ITEM_DEFS, qm_json_get_hash (
    json_array_get_object_element (qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"),
                                                      "items"), 0), "itemHash")));

  /* A weapon to the vault and out to another character: back to its bucket. */
  g_assert_true (find_item (sandbox, ids[0], WHERE_INVENTORY, inventory_weapon_cb, NULL, &weapon));
  {
    g_autofree char *id = qm_json_dup_id (weapon.item, "itemInstanceId");
    g_autoptr(JsonNode) to_vault = transfer_body (sandbox, &weapon, ids[0], TRUE);
    g_autoptr(JsonNode) back = NULL;

    home = qm_json_get_hash (weapon.item, "bucketHash");
    assert_action_ok (client, "TransferItem", to_vault);
    g_assert_cmpuint (bucket_of (sandbox, NULL, id), ==, QM_BUCKET_VAULT);
    g_assert_true (find_item (sandbox, NULL, WHERE_VAULT, has_id_cb, id, &weapon));
    back = transfer_body (sandbox, &weapon, ids[1], FALSE);
    assert_action_ok (client, "TransferItem", back);
    g_assert_cmpuint (bucket_of (sandbox, ids[1], id), ==, home);
  }

  /* A vault item goes to the bucket others of its kind are in. */
  g_assert_true (find_item (sandbox, NULL, WHERE_VAULT, held_elsewhere_cb, NULL, &vaulted));
  {
    g_autoptr(JsonNode) body = transfer_body (sandbox, &vaulted, ids[0], FALSE);
    g_autofree char *id = qm_json_dup_id (vaulted.item, "itemInstanceId");

    home = held_bucket (world, qm_json_get_hash (vaulted.item, "itemHash"));
    assert_action_ok (client, "TransferItem", body);
    if (id != NULL && !g_str_equal (id, "0"))
      g_assert_cmpuint (bucket_of (sandbox, ids[0], id), ==, home);
  }

  /* And so does a pull from the postmaster. */
  g_assert_true (find_item (sandbox, NULL, WHERE_POSTMASTER, held_elsewhere_cb, NULL, &lost));
  {
    g_autoptr(JsonNode) body = pull_body (sandbox, &lost);
    g_autofree char *id = qm_json_dup_id (lost.item, "itemInstanceId");
    const char *owner = lost.character_id;

    home = held_bucket (world, qm_json_get_hash (lost.item, "itemHash"));
    assert_action_ok (client, "PullFromPostmaster", body);
    if (id != NULL && !g_str_equal (id, "0"))
      g_assert_cmpuint (bucket_of (sandbox, owner, id), ==, home);
  }

  qm_sandbox_stop (sandbox);
  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  const char *label;
  Found      *exclude;
} StackLabel;

static const char *
stack_label (const Found *found)
{
  return qm_json_get_string (qm_json_get_object (found->definition, "inventory"), "stackUniqueLabel");
}

static gboolean
labelled_postmaster_cb (QmSandboxWorld *world,
                        const Found    *found,
                        gpointer        user_data)
{
  const char *label = stack_label (found);

  return label != NULL && *label != '\0' &&
         !qm_json_get_bool (found->definition, "doesPostmasterPullHaveSideEffects", FALSE);
}

static gboolean
same_stack_label_cb (QmSandboxWorld *world,
                     const Found    *found,
                     gpointer        user_data)
{
  StackLabel *filter = user_data;

  return found->item != filter->exclude->item && g_strcmp0 (stack_label (found), filter->label) == 0;
}

static void
test_rule_uniqueness (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  StackLabel filter = { NULL, NULL };
  Found pulled, other;

  /* A unique stack in the Postmaster: pulling it where one already is
   * breaks its uniqueness. If none is there yet, the first pull puts one there. */
  g_assert_true (find_item (sandbox, NULL, WHERE_POSTMASTER, labelled_postmaster_cb, NULL, &pulled));
  filter.label = stack_label (&pulled);
  filter.exclude = &pulled;
  body = pull_body (sandbox, &pulled);
  if (!find_item (sandbox, NULL, WHERE_INVENTORY | WHERE_VAULT | WHERE_EQUIPPED, same_stack_label_cb,
                  &filter, &other))
    g_test_message ("no second %s: the account holds only the Postmaster's", filter.label);
  node = wait_action (client, "PullFromPostmaster", body, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_UNIQUENESS_VIOLATION);
}

static void
test_loadouts (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(JsonNode) update = NULL;
  g_autoptr(JsonNode) clear = NULL;
  g_autoptr(JsonNode) missing = NULL;
  JsonObject *loadouts;
  JsonArray *list;

  update = loadout_body (sandbox, character_id, 0, ",\"colorHash\":null,\"iconHash\":null,\"nameHash\":null");
  assert_action_ok (client, "UpdateLoadoutIdentifiers", update);
  clear = loadout_body (sandbox, character_id, 0, NULL);
  assert_action_ok (client, "ClearLoadout", clear);
  loadouts = qm_sandbox_world_component (qm_sandbox_get_world (sandbox), "characterLoadouts");
  list = qm_json_get_array (qm_json_get_object (loadouts, character_id), "loadouts");
  g_assert_nonnull (list);
  missing = loadout_body (sandbox, character_id, (int) json_array_get_length (list) + 5, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = wait_action (client, "EquipLoadout", missing, &error);

    g_assert_null (node);
    g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_INVALID_PARAMETERS);
  }
}

static void
test_action_validation (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autofree char *character_id = first_character (sandbox);
  static const struct
  {
    const char *body;
    int         code;
    guint       status;
  } cases[] = {
    { NULL, 26, 500 },
    { "{\"itemId\":", 30, 500 },
    { "[1,2]", 30, 500 },
    { "{\"itemId\":\"1\",\"membershipType\":3}", 18, 500 },
    { "{\"itemId\":\"1\",\"characterId\":\"1\",\"membershipType\":3,\"state\":true}", 0, 500 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupMessage) msg = platform_message (sandbox, "POST", "/Destiny2/Actions/Items/SetLockState/",
                                                     token, NULL);
      g_auto(RawReply) reply = { 0 };
      int code;

      if (cases[i].body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].body, strlen (cases[i].body));

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      raw_send (session, msg, &reply);
      code = (int) qm_json_get_int (reply.json, "ErrorCode", 0);
      /* The last case names a character the account does not have, or
       * another membership type: either way, not this account's. */
      if (cases[i].code == 0)
        g_assert_true (code == QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND ||
                       code == QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
      else
        g_assert_cmpint (code, ==, cases[i].code);
      g_assert_cmpuint (reply.status, ==, cases[i].status);
      g_usleep (110000);
    }

  /* No sign-in: WebAuthRequired with HTTP 401. */
  {
    g_autoptr(JsonNode) body = json_printf ("{\"itemId\":\"1\",\"characterId\":\"%s\",\"membershipType\":%d,"
                                            "\"state\":true}", character_id,
                                            qm_sandbox_get_membership_type (sandbox));
    g_autoptr(SoupMessage) msg = platform_message (sandbox, "POST", "/Destiny2/Actions/Items/SetLockState/",
                                                   NULL, body);
    g_auto(RawReply) reply = { 0 };

    raw_send (session, msg, &reply);
    g_assert_cmpuint (reply.status, ==, 401);
    g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, 99);
  }
}

/* ---------------------------------------------------------------------- */
/* Action spacing                                                          */

typedef struct
{
  SoupMessage  *msg;
  QmTestResult  res;
  RawReply      reply;
} Concurrent;

static void
test_action_throttle (void)
{
  QmSandboxOptions options = { .throttle_seconds = 7 };
  g_autoptr(QmSandbox) sandbox = sandbox_new (&options);
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autoptr(JsonNode) body = NULL;
  Concurrent calls[2] = { 0 };
  QmTestResult results[6] = { 0 };
  guint throttled = 0;
  Found item;

  g_assert_true (find_item (sandbox, NULL, WHERE_INVENTORY, lockable_cb, NULL, &item));
  body = item_body (sandbox, &item, item.character_id, ",\"state\":true");

  /* A client that ignores the spacing: two calls at once. */
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      calls[i].msg = platform_message (sandbox, "POST", "/Destiny2/Actions/Items/SetLockState/", token, body);
      soup_session_send_and_read_async (session, calls[i].msg, G_PRIORITY_DEFAULT, NULL,
                                        qm_test_result_cb, &calls[i].res);
    }
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      raw_finish (session, calls[i].msg, qm_test_wait_result (&calls[i].res), &calls[i].reply);
      if (qm_json_get_int (calls[i].reply.json, "ErrorCode", 0) == 36)
        {
          throttled++;
          g_assert_cmpint (qm_json_get_int (calls[i].reply.json, "ThrottleSeconds", 0), ==, 7);
          g_assert_cmpstr (qm_json_get_string (calls[i].reply.json, "ErrorStatus"), ==,
                           "ThrottleLimitExceededMomentarily");
        }
      else
        g_assert_cmpint (qm_json_get_int (calls[i].reply.json, "ErrorCode", 0), ==, 1);
      qm_test_result_clear (&calls[i].res);
      raw_reply_clear (&calls[i].reply);
      g_object_unref (calls[i].msg);
    }
  g_assert_cmpuint (throttled, ==, 1);

  /* QmBungieClient spaces its actions: never throttled. */
  g_usleep (150000);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    qm_bungie_client_action_async (client, "SetLockState", body, NULL, qm_test_result_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = qm_bungie_client_action_finish (client, qm_test_wait_result (&results[i]),
                                                                 &error);

      g_assert_no_error (error);
      qm_test_result_clear (&results[i]);
    }
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "SetLockState"), ==, 2 + G_N_ELEMENTS (results));
}

/* ---------------------------------------------------------------------- */
/* Vendors, freshness                                                      */

static void
test_vendors (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) xur = wait_call (client, sandbox, CALL_VENDOR, character_id, QM_VENDOR_XUR,
                                       "400,402,300,304,305", &error);
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) away = NULL;
  g_autoptr(JsonNode) all_away = NULL;
  g_autoptr(JsonNode) nobody = NULL;
  g_autofree char *xur_key = g_strdup_printf ("%u", QM_VENDOR_XUR);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_get_object (xur);
  g_assert_cmpint (qm_json_get_hash (qm_json_path_object (object, "vendor", "data", NULL), "vendorHash"), ==,
                   QM_VENDOR_XUR);
  g_assert_nonnull (qm_json_path_object (object, "sales", "data", NULL));
  g_assert_false (json_object_has_member (object, "categories"));

  all = wait_call (client, sandbox, CALL_VENDOR, character_id, 0, "400,401,402", &error);
  g_assert_no_error (error);
  object = json_node_get_object (all);
  g_assert_nonnull (qm_json_path_object (object, "vendors", "data", xur_key, NULL));
  g_assert_nonnull (qm_json_get_object (qm_json_path_object (object, "sales", "data", xur_key, NULL),
                                        "saleItems"));
  g_assert_nonnull (qm_json_path_object (object, "vendorGroups", "data", NULL));

  qm_sandbox_set_xur_present (sandbox, FALSE);
  away = wait_call (client, sandbox, CALL_VENDOR, character_id, QM_VENDOR_XUR, "400", &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_VENDOR_NOT_FOUND);
  g_clear_error (&error);
  all_away = wait_call (client, sandbox, CALL_VENDOR, character_id, 0, "400", &error);
  g_assert_no_error (error);
  g_assert_null (qm_json_path_object (json_node_get_object (all_away), "vendors", "data", xur_key, NULL));

  nobody = wait_call (client, sandbox, CALL_VENDOR, "2305843009200000000", 0, "400", &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND);
  qm_sandbox_set_xur_present (sandbox, TRUE);
}

static char *
minted_of (JsonNode *profile)
{
  return g_strdup (qm_json_get_string (json_node_get_object (profile), "responseMintedTimestamp"));
}

static char *
component_json (JsonNode   *profile,
                const char *name)
{
  JsonObject *component = qm_json_get_object (json_node_get_object (profile), name);

  g_assert_nonnull (component);
  return json_to_string (json_object_get_member (component, "data"), FALSE);
}

static void
test_profile_freshness (void)
{
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) cached = NULL;
  g_autoptr(JsonNode) fresh = NULL;
  g_autoptr(JsonNode) moved = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *t3 = NULL;
  g_autofree char *t4 = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *fresh_json = NULL;
  Found weapon;

  first = get_profile (client, sandbox, "100", &error);
  g_assert_no_error (error);
  t1 = minted_of (first);

  /* A write bumps the minted timestamp... */
  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, transferable_weapon_cb, NULL, &weapon));
  body = transfer_body (sandbox, &weapon, character_id, TRUE);
  assert_action_ok (client, "TransferItem", body);
  moved = get_profile (client, sandbox, "100", &error);
  g_assert_no_error (error);
  t2 = minted_of (moved);
  g_assert_cmpstr (t2, >, t1);

  /* ...but with a cache delay, the next write shows up late: neither the
   * timestamp nor the items change until the cached answer is old enough. */
  qm_sandbox_set_profile_cache_delay (sandbox, 60);
  cached = get_profile (client, sandbox, "100,102", &error);
  g_assert_no_error (error);
  before = component_json (cached, "profileInventory");
  g_clear_pointer (&body, json_node_unref);
  body = transfer_body (sandbox, &weapon, character_id, FALSE);
  assert_action_ok (client, "TransferItem", body);
  g_clear_pointer (&cached, json_node_unref);
  cached = get_profile (client, sandbox, "100,102", &error);
  g_assert_no_error (error);
  t3 = minted_of (cached);
  g_assert_cmpstr (t3, ==, t2);
  after = component_json (cached, "profileInventory");
  g_assert_cmpstr (after, ==, before);

  qm_sandbox_set_profile_cache_delay (sandbox, 0);
  fresh = get_profile (client, sandbox, "100,102", &error);
  g_assert_no_error (error);
  t4 = minted_of (fresh);
  g_assert_cmpstr (t4, >, t3);
  fresh_json = component_json (fresh, "profileInventory");
  g_assert_cmpstr (fresh_json, !=, before);
}

/* ---------------------------------------------------------------------- */
/* OAuth and the PSN sign-in                                               */

static JsonObject *
token_request (QmSandbox   *sandbox,
               SoupSession *session,
               const char  *grant_type,
               const char  *key,
               const char  *value,
               gboolean     basic,
               guint        expected_status)
{
  g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/Platform/App/OAuth/token/", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_auto(RawReply) reply = { 0 };

  if (basic)
    {
      g_autofree char *credentials = g_base64_encode ((const guchar *) QM_SANDBOX_CLIENT_ID ":"
                                                      QM_SANDBOX_CLIENT_SECRET,
                                                      strlen (QM_SANDBOX_CLIENT_ID ":" QM_SANDBOX_CLIENT_SECRET));
      g_autofree char *header = g_strconcat ("Basic ", credentials, NULL);

      msg = soup_message_new_from_encoded_form ("POST", url,
                                                soup_form_encode ("grant_type", grant_type, key, value,
                                                                  "client_id", QM_SANDBOX_CLIENT_ID, NULL));
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", header);
    }
  else
    msg = soup_message_new_from_encoded_form ("POST", url,
                                              soup_form_encode ("grant_type", grant_type, key, value,
                                                                "client_id", QM_SANDBOX_CLIENT_ID,
                                                                "client_secret", QM_SANDBOX_CLIENT_SECRET,
                                                                NULL));
  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, expected_status);
  g_assert_nonnull (reply.json);
  return json_object_ref (reply.json);
}

static char *
authorize (QmSandbox   *sandbox,
           SoupSession *session,
           const char  *state)
{
  const char *origin = qm_sandbox_get_bungie_origin (sandbox);
  g_autofree char *page_url = g_strdup_printf ("%s/en/OAuth/Authorize?client_id=%s&response_type=code&state=%s",
                                               origin, QM_SANDBOX_CLIENT_ID, state);
  g_autofree char *post_url = g_strconcat (origin, "/en/OAuth/Authorize/", NULL);
  g_autoptr(SoupMessage) page = soup_message_new ("GET", page_url);
  g_autoptr(SoupMessage) approve = NULL;
  g_autofree char *returned_state = NULL;
  g_auto(RawReply) reply = { 0 };
  g_auto(RawReply) approved = { 0 };
  g_autofree char *html = NULL;

  raw_send (session, page, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  html = g_strndup (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body));
  g_assert_nonnull (strstr (html, "Authorize Quartermaster"));
  g_assert_nonnull (strstr (html, "name=\"approve\""));

  approve = soup_message_new_from_encoded_form ("POST", post_url,
                                                soup_form_encode ("client_id", QM_SANDBOX_CLIENT_ID,
                                                                  "state", state, "approve", "1", NULL));
  raw_send (session, approve, &approved);
  g_assert_cmpuint (approved.status, ==, 302);
  g_assert_true (g_str_has_prefix (location_of (approve), QM_SANDBOX_REDIRECT_URI "?"));
  returned_state = query_value (location_of (approve), "state");
  g_assert_cmpstr (returned_state, ==, state);
  return query_value (location_of (approve), "code");
}

static void
assert_token_works (QmSandbox   *sandbox,
                    SoupSession *session,
                    const char  *token)
{
  g_autoptr(SoupMessage) msg = platform_message (sandbox, "GET", "/User/GetMembershipsForCurrentUser/", token, NULL);
  g_auto(RawReply) reply = { 0 };

  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, 1);
}

static void
test_oauth (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *code = authorize (sandbox, session, "st4te");
  g_autoptr(JsonObject) tokens = NULL;
  g_autoptr(JsonObject) reused = NULL;
  g_autoptr(JsonObject) refreshed = NULL;
  g_autoptr(JsonObject) replayed = NULL;
  g_autoptr(SoupMessage) scoped = NULL;
  g_auto(RawReply) scoped_reply = { 0 };
  g_autofree char *scoped_url = NULL;

  g_assert_nonnull (code);
  tokens = token_request (sandbox, session, "authorization_code", "code", code, TRUE, 200);
  g_assert_cmpstr (qm_json_get_string (tokens, "token_type"), ==, "Bearer");
  g_assert_cmpint (qm_json_get_int (tokens, "expires_in", 0), ==, 3600);
  g_assert_cmpint (qm_json_get_int (tokens, "refresh_expires_in", 0), ==, 7776000);
  g_assert_cmpstr (qm_json_get_string (tokens, "membership_id"), ==, world->bungie_net_id);
  assert_token_works (sandbox, session, qm_json_get_string (tokens, "access_token"));

  /* Codes are single use. */
  reused = token_request (sandbox, session, "authorization_code", "code", code, TRUE, 400);
  g_assert_cmpstr (qm_json_get_string (reused, "error"), ==, "invalid_grant");
  g_assert_cmpstr (qm_json_get_string (reused, "error_description"), ==, "AuthorizationCodeInvalid");

  /* Refresh tokens rotate: the old one is spent. */
  refreshed = token_request (sandbox, session, "refresh_token", "refresh_token",
                             qm_json_get_string (tokens, "refresh_token"), FALSE, 200);
  g_assert_cmpstr (qm_json_get_string (refreshed, "refresh_token"), !=,
                   qm_json_get_string (tokens, "refresh_token"));
  assert_token_works (sandbox, session, qm_json_get_string (refreshed, "access_token"));
  replayed = token_request (sandbox, session, "refresh_token", "refresh_token",
                            qm_json_get_string (tokens, "refresh_token"), FALSE, 400);
  g_assert_cmpstr (qm_json_get_string (replayed, "error"), ==, "invalid_grant");

  {
    g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/Platform/App/OAuth/token/", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new_from_encoded_form ("POST", url,
                                                                     soup_form_encode ("grant_type", "refresh_token",
                                                                                       "refresh_token", "x",
                                                                                       "client_id", QM_SANDBOX_CLIENT_ID,
                                                                                       "client_secret", "wrong",
                                                                                       NULL));
    g_auto(RawReply) reply = { 0 };

    raw_send (session, msg, &reply);
    g_assert_cmpuint (reply.status, ==, 401);
  }

  /* Bungie refuses a scope parameter. */
  scoped_url = g_strdup_printf ("%s/en/OAuth/Authorize?client_id=%s&response_type=code&state=s&scope=x",
                                qm_sandbox_get_bungie_origin (sandbox), QM_SANDBOX_CLIENT_ID);
  scoped = soup_message_new ("GET", scoped_url);
  raw_send (session, scoped, &scoped_reply);
  g_assert_cmpuint (scoped_reply.status, ==, 400);
  g_assert_null (scoped_reply.json);
}

static gboolean
has_cookie (SoupCookieJar *jar,
            const char    *origin,
            const char    *name,
            char         **value)
{
  g_autofree char *root = g_strconcat (origin, "/", NULL);
  g_autoptr(GUri) uri = g_uri_parse (root, G_URI_FLAGS_NONE, NULL);
  GSList *cookies = soup_cookie_jar_get_cookie_list (jar, uri, TRUE);
  gboolean found = FALSE;

  for (GSList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      {
        found = TRUE;
        if (value != NULL)
          *value = g_strdup (soup_cookie_get_value (l->data));
      }
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  return found;
}

/* Follow one hop of the sign-in chain: GET @url, expect @status. */
static SoupMessage *
hop (SoupSession *session,
     const char  *url,
     guint        status)
{
  SoupMessage *msg = soup_message_new ("GET", url);
  g_auto(RawReply) reply = { 0 };

  g_assert_nonnull (msg);
  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, status);
  return msg;
}

/* Steps 1 to 3: Bungie sends the browser to the PSN login form. Returns the form's action URL. */
static char *
psn_open_sign_in (QmSandbox   *sandbox,
                  SoupSession *session,
                  char       **params)
{
  g_autofree char *start = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/en/User/SignIn/Psnid", NULL);
  g_autoptr(SoupMessage) step1 = hop (session, start, 302);
  g_autoptr(SoupMessage) step2 = hop (session, location_of (step1), 302);
  g_autoptr(SoupMessage) step3 = NULL;
  g_autoptr(GUri) signin = NULL;

  g_assert_true (g_str_has_prefix (location_of (step1), qm_sandbox_get_psn_origin (sandbox)));
  g_assert_true (g_str_has_prefix (location_of (step2), qm_sandbox_get_psn_origin (sandbox)));
  step3 = hop (session, location_of (step2), 200);
  signin = g_uri_parse (location_of (step2), G_URI_FLAGS_NONE, NULL);
  *params = g_base64_encode ((const guchar *) g_uri_get_query (signin), strlen (g_uri_get_query (signin)));
  return g_strdup_printf ("%s/login.do?redirect_uri=%s%%2Fen%%2FUser%%2FSignIn%%2FPsnid",
                          qm_sandbox_get_psn_origin (sandbox), qm_sandbox_get_bungie_origin (sandbox));
}

static SoupMessage *
psn_login (SoupSession *session,
           const char  *action,
           const char  *password,
           const char  *params)
{
  SoupMessage *msg = soup_message_new_from_encoded_form ("POST", action,
                                                         soup_form_encode ("j_username", QM_SANDBOX_DEMO_PSN_USER,
                                                                           "j_password", password,
                                                                           "params", params, NULL));
  g_auto(RawReply) reply = { 0 };

  raw_send (session, msg, &reply);
  g_assert_cmpuint (reply.status, ==, 302);
  return msg;
}

static SoupSession *
browser_new (SoupCookieJar **jar)
{
  SoupSession *session = qm_test_soup_session_new ();

  *jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (*jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (*jar));
  return session;
}

static void
test_psn_sign_in (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupCookieJar) jar = NULL;
  g_autoptr(SoupSession) session = browser_new (&jar);
  const char *bungie = qm_sandbox_get_bungie_origin (sandbox);
  const char *psn = qm_sandbox_get_psn_origin (sandbox);
  g_autofree char *params = NULL;
  g_autofree char *action = psn_open_sign_in (sandbox, session, &params);
  g_autoptr(SoupMessage) login = NULL;
  g_autoptr(SoupMessage) grant = NULL;
  g_autoptr(SoupMessage) finish = NULL;
  g_autoptr(SoupMessage) home = NULL;
  g_autofree char *j0 = NULL;
  g_autofree char *j1 = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *code = NULL;
  const char *grant_header;

  g_assert_true (has_cookie (jar, psn, "JSESSIONID", &j0));
  g_assert_false (has_cookie (jar, bungie, "JSESSIONID", NULL));

  login = psn_login (session, action, QM_SANDBOX_DEMO_PSN_PASSWORD, params);
  g_assert_null (strstr (location_of (login), "authentication_error"));
  g_assert_true (g_str_has_prefix (location_of (login), psn));
  g_assert_true (has_cookie (jar, psn, "JSESSIONID", &j1));
  g_assert_cmpstr (j0, !=, j1);

  grant = hop (session, location_of (login), 302);
  grant_header = soup_message_headers_get_one (soup_message_get_response_headers (grant), "X-NP-GRANT-CODE");
  g_assert_nonnull (grant_header);
  code = query_value (location_of (grant), "code");
  g_assert_cmpstr (code, ==, grant_header);
  g_assert_true (g_str_has_prefix (location_of (grant), bungie));

  finish = hop (session, location_of (grant), 302);
  home = hop (session, location_of (finish), 200);

  /* Bungie's cookies belong to 127.0.0.1, PSN's to localhost. */
  g_assert_true (has_cookie (jar, bungie, "bungled", &csrf));
  g_assert_true (has_cookie (jar, bungie, "bungleatk", NULL));
  g_assert_true (has_cookie (jar, bungie, "bungledid", NULL));
  g_assert_false (has_cookie (jar, psn, "bungleatk", NULL));
  g_assert_false (has_cookie (jar, bungie, "JSESSIONID", NULL));

  /* Platform calls with the cookies and the x-csrf header. */
  {
    g_autoptr(SoupMessage) msg = platform_message (sandbox, "GET", "/User/GetMembershipsForCurrentUser/", NULL, NULL);
    g_autoptr(SoupMessage) no_csrf = platform_message (sandbox, "GET", "/User/GetMembershipsForCurrentUser/", NULL,
                                                       NULL);
    g_auto(RawReply) reply = { 0 };
    g_auto(RawReply) refused = { 0 };

    soup_message_headers_append (soup_message_get_request_headers (msg), "x-csrf", csrf);
    raw_send (session, msg, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, 1);

    raw_send (session, no_csrf, &refused);
    g_assert_cmpuint (refused.status, ==, 401);
    g_assert_cmpint (qm_json_get_int (refused.json, "ErrorCode", 0), ==, 99);
  }
}

static void
test_psn_wrong_password (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(SoupCookieJar) jar = NULL;
  g_autoptr(SoupSession) session = browser_new (&jar);
  const char *psn = qm_sandbox_get_psn_origin (sandbox);
  g_autofree char *params = NULL;
  g_autofree char *action = psn_open_sign_in (sandbox, session, &params);
  g_autoptr(SoupMessage) login = NULL;
  g_autoptr(SoupMessage) grant = NULL;
  g_autofree char *j0 = NULL;
  g_autofree char *after = NULL;
  g_autofree char *grant_url = g_strconcat (psn, "/2.0/oauth/authorize/grant?state=x", NULL);

  g_assert_true (has_cookie (jar, psn, "JSESSIONID", &j0));
  login = psn_login (session, action, "not-the-password", params);
  g_assert_nonnull (strstr (location_of (login), "authentication_error=true"));
  g_assert_true (has_cookie (jar, psn, "JSESSIONID", &after));
  g_assert_cmpstr (j0, ==, after);

  /* No grant without a signed-in session. */
  grant = hop (session, grant_url, 302);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (grant), "X-NP-GRANT-CODE"));
  g_assert_false (has_cookie (jar, qm_sandbox_get_bungie_origin (sandbox), "bungleatk", NULL));
}

/* ---------------------------------------------------------------------- */
/* The recorder                                                            */

static gboolean
legendary_inventory_weapon_cb (QmSandboxWorld *world,
                               const Found    *found,
                               gpointer        user_data)
{
  const Found *not = user_data;

  return plain_inventory_weapon_cb (world, found, NULL) && (not == NULL || not->item != found->item);
}

static gboolean
pullable_cb (QmSandboxWorld *world,
             const Found    *found,
             gpointer        user_data)
{
  return !qm_json_get_bool (found->definition, "doesPostmasterPullHaveSideEffects", FALSE) &&
         stack_label (found) == NULL;
}

static void
raw_loadout (QmSandbox   *sandbox,
             SoupSession *session,
             const char  *token,
             const char  *name,
             JsonNode    *body)
{
  g_autofree char *path = g_strdup_printf ("/Destiny2/Actions/Loadouts/%s/", name);
  g_autoptr(SoupMessage) msg = platform_message (sandbox, "POST", path, token, body);
  g_auto(RawReply) reply = { 0 };

  raw_send (session, msg, &reply);
  g_assert_cmpint (qm_json_get_int (reply.json, "ErrorCode", 0), ==, 1);
}

/* The OAuth state of the recorded sign-in: it must not reach the file. */
#define RECORDED_STATE "state-4be01f97c2"

static void
record_session (QmSandbox *sandbox)
{
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(QmBungieClient) anonymous = qm_test_client_new (sandbox, FALSE);
  g_autoptr(SoupSession) session = qm_test_soup_session_new ();
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autofree char *character_id = first_character (sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) manifest = get_manifest (client, &error);
  g_autofree char *code = NULL;
  g_autoptr(JsonObject) tokens = NULL;
  JsonObject *paths;
  Found weapon, other, lockable, postmaster;

  g_assert_no_error (error);
  paths = qm_json_path_object (json_node_get_object (manifest), "jsonWorldComponentContentPaths", "en", NULL);
  g_bytes_unref (wait_fetch (client, qm_json_get_string (paths, ITEM_DEFS), &error));
  g_assert_no_error (error);
  g_bytes_unref (wait_fetch (client, "/common/destiny2_content/icons/recorded.png", &error));
  g_assert_no_error (error);

  json_node_unref (wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  json_node_unref (get_profile (client, sandbox, "100,102,103,200,201,205,206,300,302,304,305", &error));
  g_assert_no_error (error);
  json_node_unref (get_profile (anonymous, sandbox, "100,102,103,200,201,205,206,300,302,304,305", &error));
  g_assert_no_error (error);
  json_node_unref (wait_call (client, sandbox, CALL_VENDOR, character_id, QM_VENDOR_XUR,
                              "400,401,402,300,302,304,305", &error));
  g_assert_no_error (error);
  json_node_unref (wait_call (client, sandbox, CALL_VENDOR, character_id, 0, "400,401,402,300,304,305", &error));
  g_assert_no_error (error);

  /* Every action, successful. */
  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, legendary_inventory_weapon_cb, NULL, &weapon));
  g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, legendary_inventory_weapon_cb, &weapon, &other));
  g_assert_true (find_item (sandbox, NULL, WHERE_INVENTORY, lockable_cb, NULL, &lockable));
  {
    g_autoptr(JsonNode) equip = item_body (sandbox, &weapon, character_id, NULL);
    g_autofree char *other_id = qm_json_dup_id (other.item, "itemInstanceId");
    g_autoptr(JsonNode) equip_items = json_printf ("{\"itemIds\":[\"%s\"],\"characterId\":\"%s\","
                                                   "\"membershipType\":%d}", other_id, character_id,
                                                   qm_sandbox_get_membership_type (sandbox));
    g_autoptr(JsonNode) lock = item_body (sandbox, &lockable, lockable.character_id, ",\"state\":false");
    g_autoptr(JsonNode) transfer = NULL;

    assert_action_ok (client, "EquipItem", equip);
    assert_action_ok (client, "EquipItems", equip_items);
    assert_action_ok (client, "SetLockState", lock);
    /* The weapon EquipItems replaced is back in the inventory. */
    g_assert_true (find_item (sandbox, character_id, WHERE_INVENTORY, legendary_inventory_weapon_cb, NULL, &weapon));
    transfer = transfer_body (sandbox, &weapon, character_id, TRUE);
    assert_action_ok (client, "TransferItem", transfer);
  }
  if (find_item (sandbox, NULL, WHERE_POSTMASTER, pullable_cb, NULL, &postmaster))
    {
      g_autoptr(JsonNode) pull = pull_body (sandbox, &postmaster);

      json_node_unref (wait_action (client, "PullFromPostmaster", pull, &error));
      g_clear_error (&error);
    }
  {
    g_autoptr(JsonNode) equip = loadout_body (sandbox, character_id, 0, NULL);
    g_autoptr(JsonNode) snapshot = loadout_body (sandbox, character_id, 1,
                                                 ",\"colorHash\":null,\"iconHash\":null,\"nameHash\":null");
    g_autoptr(JsonNode) update = loadout_body (sandbox, character_id, 1, ",\"colorHash\":null");
    g_autoptr(JsonNode) clear = loadout_body (sandbox, character_id, 1, NULL);

    raw_loadout (sandbox, session, token, "EquipLoadout", equip);
    raw_loadout (sandbox, session, token, "SnapshotLoadout", snapshot);
    raw_loadout (sandbox, session, token, "UpdateLoadoutIdentifiers", update);
    raw_loadout (sandbox, session, token, "ClearLoadout", clear);
  }

  /* Failures are envelopes too. */
  set_faults (sandbox, "error:1642,endpoint=TransferItem;maintenance,endpoint=Manifest");
  {
    g_autoptr(JsonNode) transfer = transfer_body (sandbox, &weapon, character_id, FALSE);

    assert_action_fails (client, "TransferItem", transfer, 1642);
    assert_manifest_fails (client, QM_PLATFORM_ERROR, 5);
  }
  set_faults (sandbox, NULL);

  /* Sign-in traffic: OAuth. */
  code = authorize (sandbox, session, RECORDED_STATE);
  tokens = token_request (sandbox, session, "authorization_code", "code", code, TRUE, 200);
  assert_token_works (sandbox, session, qm_json_get_string (tokens, "access_token"));
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_recorder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-sandbox-record-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  QmSandbox *sandbox = rules_sandbox ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  static const char * const operations[] = {
    "Manifest", "Content", "Icon", "GetMembershipsForCurrentUser", "GetProfile", "GetVendor", "GetVendors",
    "TransferItem", "EquipItem", "EquipItems", "SetLockState", "EquipLoadout", "SnapshotLoadout",
    "UpdateLoadoutIdentifiers", "ClearLoadout", "Token", "Authorize",
  };
  guint before[G_N_ELEMENTS (operations)];
  gboolean passed;

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    before[i] = qm_sandbox_get_call_count (sandbox, operations[i]);
  g_assert_true (qm_sandbox_set_record_path (sandbox, path, &error));
  g_assert_no_error (error);
  record_session (sandbox);
  g_assert_true (qm_sandbox_set_record_path (sandbox, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (qm_sandbox_get_call_count (sandbox, operations[i]) == before[i])
      g_error ("the recorded session never called %s", operations[i]);

  text = read_text (path);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 20);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);

      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
    }
  g_assert_null (strstr (text, QM_SANDBOX_API_KEY));
  g_assert_null (strstr (text, QM_SANDBOX_CLIENT_SECRET));
  g_assert_null (strstr (text, "Bearer "));
  g_assert_null (strstr (text, RECORDED_STATE));
  g_assert_nonnull (strstr (text, "REDACTED"));

  passed = qm_test_contract_check (path, NULL, &output);
  if (!passed)
    g_error ("contract check failed:\n%s", output);

  g_unlink (path);
  g_rmdir (dir);
}

/* The access token the in-process client got must not be in the log either. */
static void
test_recorder_no_tokens (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-sandbox-record-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  QmSandbox *sandbox = shared_sandbox ();
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SoupCookieJar) jar = NULL;
  g_autoptr(SoupSession) browser = browser_new (&jar);
  g_autofree char *params = NULL;
  g_autofree char *action = NULL;
  g_autoptr(SoupMessage) login = NULL;
  g_autofree char *text = NULL;
  g_autofree char *atk = NULL;

  GStatBuf st;
  mode_t mask;

  /* A record file made for others to read, as 0644 was: appending makes it
   * private. */
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  mask = umask (022);
  g_assert_true (qm_sandbox_set_record_path (sandbox, path, &error));
  umask (mask);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  qm_bungie_client_set_access_token (client, token);
  node = wait_call (client, sandbox, CALL_MEMBERSHIPS, NULL, 0, NULL, &error);
  g_assert_no_error (error);

  action = psn_open_sign_in (sandbox, browser, &params);
  login = psn_login (browser, action, QM_SANDBOX_DEMO_PSN_PASSWORD, params);
  {
    g_autoptr(SoupMessage) grant = hop (browser, location_of (login), 302);
    g_autoptr(SoupMessage) finish = hop (browser, location_of (grant), 302);
  }
  g_assert_true (has_cookie (jar, qm_sandbox_get_bungie_origin (sandbox), "bungleatk", &atk));

  /* The recorder stops at once when asked. */
  g_assert_true (qm_sandbox_set_record_path (sandbox, NULL, &error));
  g_clear_pointer (&node, json_node_unref);
  node = get_manifest (client, &error);

  text = read_text (path);
  g_assert_null (strstr (text, token));
  g_assert_null (strstr (text, atk));
  g_assert_null (strstr (text, QM_SANDBOX_DEMO_PSN_PASSWORD));
  g_assert_null (strstr (text, QM_SANDBOX_DEMO_PSN_USER));
  g_assert_null (strstr (text, "/Destiny2/Manifest/"));
  g_assert_nonnull (strstr (text, "/login.do"));

  g_unlink (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------- */
/* The program                                                             */

/* quartermaster-sandbox refuses a data directory with a wrong-shaped file:
 * it says which file and what it should hold, and exits non-zero. */
static void
test_standalone_wrong_shape (void)
{
  const char *build_root = g_getenv ("QM_BUILD_ROOT");
  g_autofree char *binary = NULL;
  g_autofree char *dir = g_dir_make_tmp ("qm-sandbox-bin-XXXXXX", NULL);
  g_autofree char *profile = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *vendors = g_build_filename (dir, "vendors.json", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (build_root == NULL)
    {
      g_test_skip ("QM_BUILD_ROOT is not set");
      return;
    }
  binary = g_build_filename (build_root, "src", "sandbox", "quartermaster-sandbox", NULL);
  g_file_set_contents (profile, "{\"Response\":{\"characters\":{\"data\":{\"2305843009400000001\":"
                       "{\"membershipId\":\"4611686018499999999\",\"membershipType\":2}},\"privacy\":1}},"
                       "\"ErrorCode\":1}", -1, &error);
  g_assert_no_error (error);
  /* A GetVendor answer. */
  g_file_set_contents (vendors, "{\"Response\":{\"vendor\":{\"data\":{\"vendorHash\":2190858386},"
                       "\"privacy\":1}},\"ErrorCode\":1}", -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char *[]) { binary, "--port", "0", "--data", dir, NULL }, NULL,
                G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_str_has_prefix (err, "quartermaster-sandbox: "));
  g_assert_nonnull (strstr (err, vendors));
  g_assert_nonnull (strstr (err, "not a GetVendors answer"));
  g_unlink (profile);
  g_unlink (vendors);
  g_rmdir (dir);
}

static void
test_standalone (void)
{
  const char *build_root = g_getenv ("QM_BUILD_ROOT");
  g_autofree char *binary = NULL;
  g_autofree char *dir = g_dir_make_tmp ("qm-sandbox-bin-XXXXXX", NULL);
  g_autofree char *record = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  QmTestResult res = { 0 };

  if (build_root == NULL)
    {
      g_test_skip ("QM_BUILD_ROOT is not set");
      return;
    }
  binary = g_build_filename (build_root, "src", "sandbox", "quartermaster-sandbox", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, binary, "--port", "0", "--seed", "3",
                              "--record", record, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));

  client = qm_bungie_client_new (line + strlen ("listening on "), QM_SANDBOX_API_KEY);
  manifest = get_manifest (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (qm_json_get_string (json_node_get_object (manifest), "version"));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, qm_test_result_cb, &res);
  g_subprocess_wait_finish (process, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  text = read_text (record);
  g_assert_nonnull (strstr (text, "\"/Platform/Destiny2/Manifest/\""));
  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_unlink (record);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  qm_test_init (&argc, &argv);

  g_test_add_func ("/sandbox/server/manifest-and-content", test_manifest_and_content);
  g_test_add_func ("/sandbox/server/memberships", test_memberships);
  g_test_add_func ("/sandbox/server/profile-components", test_profile_components);
  g_test_add_func ("/sandbox/server/profile-privacy", test_profile_privacy);
  g_test_add_func ("/sandbox/server/api-key-required", test_api_key_required);
  g_test_add_func ("/sandbox/server/faults/envelopes", test_fault_envelopes);
  g_test_add_func ("/sandbox/server/faults/messages", test_fault_messages);
  g_test_add_func ("/sandbox/server/faults/throttle-retry", test_fault_throttle_retry);
  g_test_add_func ("/sandbox/server/faults/timing", test_fault_timing);
  g_test_add_func ("/sandbox/server/faults/selection", test_fault_selection);
  g_test_add_func ("/sandbox/server/faults/action", test_fault_on_action);
  g_test_add_func ("/sandbox/server/faults/refresh-expired", test_fault_refresh_expired);
  g_test_add_func ("/sandbox/server/token-expiry", test_token_expiry);
  g_test_add_func ("/sandbox/server/actions/ids-as-numbers", test_ids_as_numbers);
  g_test_add_func ("/sandbox/server/actions/validation", test_action_validation);
  g_test_add_func ("/sandbox/server/actions/throttle", test_action_throttle);
  g_test_add_func ("/sandbox/server/rules/equipped-transfer", test_rule_equipped_transfer);
  g_test_add_func ("/sandbox/server/rules/not-transferrable", test_rule_not_transferrable);
  g_test_add_func ("/sandbox/server/rules/postmaster-side-effects", test_rule_postmaster_side_effects);
  g_test_add_func ("/sandbox/server/rules/lock-forbidden", test_rule_lock_forbidden);
  g_test_add_func ("/sandbox/server/rules/unique-equip", test_rule_unique_equip);
  g_test_add_func ("/sandbox/server/rules/unequippable", test_rule_unequippable);
  g_test_add_func ("/sandbox/server/rules/location", test_rule_location);
  g_test_add_func ("/sandbox/server/rules/no-room", test_rule_no_room);
  g_test_add_func ("/sandbox/server/rules/uniqueness", test_rule_uniqueness);
  g_test_add_func ("/sandbox/server/rules/loadouts", test_loadouts);
  g_test_add_func ("/sandbox/server/recorded/moves-without-definitions", test_recorded_moves_without_definitions);
  g_test_add_func ("/sandbox/server/vendors", test_vendors);
  g_test_add_func ("/sandbox/server/profile-freshness", test_profile_freshness);
  g_test_add_func ("/sandbox/server/oauth", test_oauth);
  g_test_add_func ("/sandbox/server/psn/sign-in", test_psn_sign_in);
  g_test_add_func ("/sandbox/server/psn/wrong-password", test_psn_wrong_password);
  g_test_add_func ("/sandbox/server/recorder/contract", test_recorder);
  g_test_add_func ("/sandbox/server/recorder/no-secrets", test_recorder_no_tokens);
  g_test_add_func ("/sandbox/server/standalone", test_standalone);
  g_test_add_func ("/sandbox/server/standalone/wrong-shape", test_standalone_wrong_shape);

  status = g_test_run ();
  g_clear_object (&shared);
  g_clear_object (&rules);
  return status;
}
