/* test-inventory.c: memberships, profile and definitions in one call, on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-json.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

/* Seconds Bungie's profile cache keeps an answer, in the sandbox. */
#define PROFILE_CACHE_DELAY 5.0

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->sandbox = qm_test_sandbox_new (data);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static QmInventory *
load (Fixture     *fixture,
      QmManifest  *manifest,
      GError     **error)
{
  QmTestResult res = { 0 };
  QmInventory *inventory;

  qm_inventory_load_with_manifest_async (fixture->client, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return inventory;
}

static guint
count_named (QmInventory *inventory)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      n += qm_item_get_name (item) != NULL;
    }
  return n;
}

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmInventory) inventory = load (fixture, manifest, &error);
  g_autoptr(QmInventory) again = NULL;
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (fixture->sandbox);
  QmProfile *profile;
  GListModel *items;

  g_assert_no_error (error);
  profile = qm_inventory_get_profile (inventory);
  items = qm_profile_get_items (profile);
  g_assert_true (qm_inventory_get_manifest (inventory) == manifest);
  g_assert_cmpstr (qm_profile_get_membership_id (profile), ==,
                   qm_sandbox_get_membership_id (fixture->sandbox));
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, g_strv_length (ids));
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (qm_profile_find_character (profile, ids[i]));
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  g_assert_cmpuint (count_named (inventory), ==, g_list_model_get_n_items (items));
  g_assert_nonnull (qm_manifest_get_version (manifest));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 1);

  /* A second load with the same manifest does not fetch the table again. */
  again = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_named (again), ==, g_list_model_get_n_items (items));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 2);
}

static void
test_manifest_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  GListModel *items;

  qm_sandbox_set_faults (fixture->sandbox, "maintenance,endpoint=Manifest", &error);
  g_assert_no_error (error);
  inventory = load (fixture, NULL, &error);
  g_assert_no_error (error);
  /* The reason travels with the inventory, for the window and the CLI to show. */
  g_assert_nonnull (qm_inventory_get_manifest_error (inventory));
  g_assert_true (g_error_matches (qm_inventory_get_manifest_error (inventory),
                                  QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED));

  /* Not fatal: every item is there, unknown. */
  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  g_assert_cmpuint (count_named (inventory), ==, 0);
}

static void
test_content_html (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  QmTestResult res = { 0 };

  qm_sandbox_set_faults (fixture->sandbox, "html502,endpoint=Content", &error);
  g_assert_no_error (error);
  qm_manifest_update_async (manifest, fixture->client, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_manifest_update_finish (manifest, qm_test_wait_result (&res), NULL, &error));
  qm_test_result_clear (&res);
  g_assert_nonnull (error);
  g_assert_true (error->domain == QM_CLIENT_ERROR);
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 0);
}

static void
test_profile_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  qm_sandbox_set_faults (fixture->sandbox, "error:DestinyAccountNotFound,endpoint=GetProfile", &error);
  g_assert_no_error (error);
  inventory = load (fixture, NULL, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
  g_assert_null (inventory);
}

static void
test_signed_out (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  /* Without a token the memberships call fails: fatal, with Bungie's error. */
  qm_bungie_client_set_access_token (fixture->client, NULL);
  inventory = load (fixture, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (inventory);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 0);
}


static QmManifest *
test_manifest_new (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "test-manifest", NULL);

  return qm_manifest_new (dir);
}

static void
assert_same_inventory (QmInventory *a,
                       QmInventory *b)
{
  GListModel *items_a = qm_profile_get_items (qm_inventory_get_profile (a));
  GListModel *items_b = qm_profile_get_items (qm_inventory_get_profile (b));

  g_assert_cmpint (qm_profile_get_minted (qm_inventory_get_profile (a)), ==,
                   qm_profile_get_minted (qm_inventory_get_profile (b)));
  g_assert_cmpuint (g_list_model_get_n_items (items_a), ==, g_list_model_get_n_items (items_b));
  for (guint i = 0; i < g_list_model_get_n_items (items_a); i++)
    {
      g_autoptr(QmItem) ia = g_list_model_get_item (items_a, i);
      g_autoptr(QmItem) ib = g_list_model_get_item (items_b, i);

      g_assert_cmpuint (qm_item_get_hash (ia), ==, qm_item_get_hash (ib));
      g_assert_cmpstr (qm_item_get_instance_id (ia), ==, qm_item_get_instance_id (ib));
      g_assert_cmpint (qm_item_get_location (ia), ==, qm_item_get_location (ib));
      g_assert_cmpstr (qm_item_get_character_id (ia), ==, qm_item_get_character_id (ib));
      g_assert_cmpstr (qm_item_get_name (ia), ==, qm_item_get_name (ib));
    }
}

/* A live load saves the answer; the next start reads it back. */
static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = test_manifest_new ();
  g_autoptr(QmInventory) live = NULL;
  g_autoptr(QmInventory) cached = NULL;
  const char *membership_id = qm_sandbox_get_membership_id (fixture->sandbox);
  g_autofree char *path = qm_profile_cache_get_path (membership_id);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  cached = qm_inventory_load_cached (membership_id, manifest, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  live = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_false (qm_inventory_is_cached (live));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  cached = qm_inventory_load_cached (membership_id, manifest, &error);
  g_assert_no_error (error);
  g_assert_true (qm_inventory_is_cached (cached));
  assert_same_inventory (live, cached);
  g_assert_cmpuint (count_named (cached), ==,
                    g_list_model_get_n_items (qm_profile_get_items (qm_inventory_get_profile (cached))));
  /* The live one, as old as the cached one shown, replaces it. */
  g_assert_cmpint (qm_inventory_judge_update (cached, live), ==, QM_PROFILE_FRESH);

  /* Damaged on disk: ignored with a message saying so; the next load mends it. */
  g_assert_true (g_file_set_contents (path, "{\"Response\":{\"profileInv", -1, NULL));
  g_clear_object (&cached);
  cached = qm_inventory_load_cached (membership_id, manifest, &error);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_null (cached);
  g_clear_error (&error);
  g_clear_object (&live);
  live = load (fixture, manifest, &error);
  g_assert_no_error (error);
  cached = qm_inventory_load_cached (membership_id, manifest, &error);
  g_assert_no_error (error);
  assert_same_inventory (live, cached);
}

/* An inventory item of @character_id's that can go to the vault. */
static QmItem *
find_movable (QmInventory *inventory,
              const char  *character_id,
              QmItem      *other)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == QM_ITEM_LOCATION_INVENTORY &&
          g_strcmp0 (qm_item_get_character_id (item), character_id) == 0 &&
          qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON &&
          (other == NULL || g_strcmp0 (qm_item_get_instance_id (item),
                                       qm_item_get_instance_id (other)) != 0))
        return g_steal_pointer (&item);
    }
  g_assert_not_reached ();
}

static QmItemLocation
location_of (QmInventory *inventory,
             QmItem      *wanted)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), qm_item_get_instance_id (wanted)) == 0)
        return qm_item_get_location (item);
    }
  g_assert_not_reached ();
}

static void
transfer_to_vault (Fixture *fixture,
                   QmItem  *item)
{
  g_autofree char *text =
    g_strdup_printf ("{\"itemReferenceHash\":%u,\"stackSize\":1,\"transferToVault\":true,"
                     "\"itemId\":\"%s\",\"characterId\":\"%s\",\"membershipType\":%d}",
                     qm_item_get_hash (item), qm_item_get_instance_id (item),
                     qm_item_get_character_id (item),
                     qm_sandbox_get_membership_type (fixture->sandbox));
  g_autoptr(JsonNode) body = json_from_string (text, NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_bungie_client_action_async (fixture->client, "TransferItem", body, NULL,
                                 qm_test_result_cb, &res);
  response = qm_bungie_client_action_finish (fixture->client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
}

static void
get_profile (Fixture *fixture)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_bungie_client_get_profile_bytes_async (fixture->client,
                                            qm_sandbox_get_membership_type (fixture->sandbox),
                                            qm_sandbox_get_membership_id (fixture->sandbox),
                                            QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
  answer = qm_bungie_client_get_profile_bytes_finish (fixture->client, qm_test_wait_result (&res),
                                                      &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
}

static void
sleep_past_cache (void)
{
  g_usleep ((gulong) (PROFILE_CACHE_DELAY * G_USEC_PER_SEC) + 100000);
}

/* Bungie's cache serves a profile minted before the app's own move: it is
 * refused (the item would jump back); once the cache has expired, the
 * profile with the move is shown. */
static void
test_stale_ignored (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = test_manifest_new ();
  g_autoptr(QmInventory) shown = NULL;
  g_autoptr(QmInventory) stale = NULL;
  g_autoptr(QmInventory) fresh = NULL;
  g_autoptr(QmInventory) again = NULL;
  g_autoptr(QmItem) elsewhere = NULL;
  g_autoptr(QmItem) ours = NULL;
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (fixture->sandbox);
  gint64 sent_at;

  shown = load (fixture, manifest, &error);
  g_assert_no_error (error);

  /* Nothing changed: the same profile, kept. */
  sleep_past_cache ();
  again = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qm_inventory_judge_update (shown, again), ==, QM_PROFILE_UNCHANGED);

  /* A change made in the game, which a GetProfile then caches… */
  sleep_past_cache ();
  elsewhere = find_movable (shown, ids[1], NULL);
  transfer_to_vault (fixture, elsewhere);
  get_profile (fixture);
  /* …then the app's own move. */
  ours = find_movable (shown, ids[0], NULL);
  sent_at = g_get_real_time ();
  transfer_to_vault (fixture, ours);
  qm_inventory_note_local_change (shown, sent_at);

  /* Newer than the one shown, but minted before the move: refused. */
  stale = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qm_profile_get_minted (qm_inventory_get_profile (stale)), >,
                   qm_profile_get_minted (qm_inventory_get_profile (shown)));
  g_assert_cmpint (location_of (stale, elsewhere), ==, QM_ITEM_LOCATION_VAULT);
  g_assert_cmpint (location_of (stale, ours), ==, QM_ITEM_LOCATION_INVENTORY);
  g_assert_cmpint (qm_inventory_judge_update (shown, stale), ==, QM_PROFILE_BEFORE_LOCAL_CHANGE);

  /* Once Bungie's copy has expired: the move is there, and it is shown. */
  sleep_past_cache ();
  fresh = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (location_of (fresh, ours), ==, QM_ITEM_LOCATION_VAULT);
  g_assert_cmpint (qm_inventory_judge_update (shown, fresh), ==, QM_PROFILE_FRESH);
  /* And the stale one never comes back over it. */
  g_assert_cmpint (qm_inventory_judge_update (fresh, stale), ==, QM_PROFILE_OLDER);
}

/* The GetProfile bytes path fails, and retries, exactly as the JSON path. */
static void
test_profile_bytes_errors (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char * const faults[] = {
    "maintenance", "html502", "http500", "truncate", "error:DestinyAccountNotFound",
    "token-expired", "throttle,seconds=1",
  };
  int membership_type = qm_sandbox_get_membership_type (fixture->sandbox);
  const char *membership_id = qm_sandbox_get_membership_id (fixture->sandbox);

  qm_bungie_client_set_max_throttle_retries (fixture->client, 0);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *spec = g_strconcat (faults[i], ",endpoint=GetProfile", NULL);
      g_autoptr(GError) node_error = NULL;
      g_autoptr(GError) bytes_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) bytes = NULL;
      QmTestResult res = { 0 };

      g_test_message ("%s", spec);
      qm_sandbox_set_faults (fixture->sandbox, spec, &error);
      g_assert_no_error (error);
      qm_bungie_client_get_profile_async (fixture->client, membership_type, membership_id,
                                          QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_profile_finish (fixture->client, qm_test_wait_result (&res),
                                                  &node_error);
      qm_test_result_clear (&res);
      qm_bungie_client_get_profile_bytes_async (fixture->client, membership_type, membership_id,
                                                QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
      bytes = qm_bungie_client_get_profile_bytes_finish (fixture->client,
                                                         qm_test_wait_result (&res), &bytes_error);
      qm_test_result_clear (&res);

      g_assert_null (node);
      g_assert_null (bytes);
      g_assert_nonnull (node_error);
      g_assert_error (bytes_error, node_error->domain, node_error->code);
      g_assert_cmpstr (bytes_error->message, ==, node_error->message);
    }

  /* Throttled once: waited out and retried, then the answer. */
  qm_bungie_client_set_max_throttle_retries (fixture->client, 3);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(QmProfile) profile = NULL;
    QmTestResult res = { 0 };
    guint calls;

    qm_sandbox_set_faults (fixture->sandbox, "throttle,endpoint=GetProfile,times=1,seconds=1", &error);
    g_assert_no_error (error);
    calls = qm_sandbox_get_call_count (fixture->sandbox, "GetProfile");
    qm_bungie_client_get_profile_bytes_async (fixture->client, membership_type, membership_id,
                                              QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
    bytes = qm_bungie_client_get_profile_bytes_finish (fixture->client, qm_test_wait_result (&res),
                                                       &error);
    qm_test_result_clear (&res);
    g_assert_no_error (error);
    g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, calls + 2);
    profile = qm_profile_parse_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (qm_profile_get_membership_id (profile), ==, membership_id);
  }
}

/* The same profile through the client's JSON path and its bytes path. */
static void
test_paths_agree (Fixture       *fixture,
                  gconstpointer  data)
{
  int membership_type = qm_sandbox_get_membership_type (fixture->sandbox);
  const char *membership_id = qm_sandbox_get_membership_id (fixture->sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(QmProfile) tree = NULL;
  g_autoptr(QmProfile) fast = NULL;
  g_autoptr(QmManifest) manifest = test_manifest_new ();
  g_autoptr(QmInventory) a = NULL;
  g_autoptr(QmInventory) b = NULL;
  QmTestResult res = { 0 };

  qm_bungie_client_get_profile_async (fixture->client, membership_type, membership_id,
                                      QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_profile_finish (fixture->client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  qm_bungie_client_get_profile_bytes_async (fixture->client, membership_type, membership_id,
                                            QM_PROFILE_COMPONENTS, NULL, qm_test_result_cb, &res);
  bytes = qm_bungie_client_get_profile_bytes_finish (fixture->client, qm_test_wait_result (&res),
                                                     &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);

  tree = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  fast = qm_profile_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  a = qm_inventory_new (tree, manifest);
  b = qm_inventory_new (fast, manifest);
  assert_same_inventory (a, b);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (fast)), >, 500);
}

typedef struct
{
  guint equipped;
  guint inventory;
  guint postmaster;
} CharacterCounts;

static guint
array_length (JsonObject *object,
              const char *member)
{
  JsonArray *array = qm_json_get_array (object, member);

  return array != NULL ? json_array_get_length (array) : 0;
}

/* What the sandbox holds, straight from its JSON. */
static void
count_world (QmSandboxWorld  *world,
             char           **ids,
             CharacterCounts *characters,
             guint           *vault,
             guint           *account)
{
  JsonObject *equipment = qm_sandbox_world_component (world, "characterEquipment");
  JsonObject *inventories = qm_sandbox_world_component (world, "characterInventories");
  JsonArray *profile_items = qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"),
                                                "items");

  for (guint c = 0; ids[c] != NULL; c++)
    {
      JsonArray *items = qm_json_get_array (qm_json_get_object (inventories, ids[c]), "items");

      characters[c].equipped = array_length (qm_json_get_object (equipment, ids[c]), "items");
      characters[c].inventory = characters[c].postmaster = 0;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          if (qm_json_get_hash (item, "bucketHash") == 215593132u ||
              qm_json_get_int (item, "location", 0) == 4)
            characters[c].postmaster++;
          else
            characters[c].inventory++;
        }
    }
  *vault = *account = 0;
  for (guint i = 0; i < json_array_get_length (profile_items); i++)
    {
      if (qm_json_get_hash (json_array_get_object_element (profile_items, i), "bucketHash") == 138197802u)
        (*vault)++;
      else
        (*account)++;
    }
  *account += array_length (qm_sandbox_world_component (world, "profileCurrencies"), "items");
}

/* Every bucket within its capacity (DestinyInventoryBucketDefinition.itemCount). */
static void
assert_within_buckets (QmSandboxWorld  *world,
                       char           **ids)
{
  JsonObject *equipment = qm_sandbox_world_component (world, "characterEquipment");
  JsonObject *inventories = qm_sandbox_world_component (world, "characterInventories");
  JsonArray *profile_items = qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"),
                                                "items");
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);

  for (guint c = 0; ids[c] != NULL; c++)
    {
      JsonArray *lists[2] = {
        qm_json_get_array (qm_json_get_object (equipment, ids[c]), "items"),
        qm_json_get_array (qm_json_get_object (inventories, ids[c]), "items"),
      };
      GHashTableIter iter;
      gpointer bucket, count;

      g_hash_table_remove_all (counts);
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < json_array_get_length (lists[l]); i++)
          {
            guint32 hash = qm_json_get_hash (json_array_get_object_element (lists[l], i), "bucketHash");
            guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (hash)));

            g_hash_table_insert (counts, GUINT_TO_POINTER (hash), GUINT_TO_POINTER (n + 1));
          }
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &bucket, &count))
        {
          JsonObject *def = qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition",
                                                         GPOINTER_TO_UINT (bucket));

          g_assert_nonnull (def);
          g_assert_cmpuint (GPOINTER_TO_UINT (count), <=, qm_json_get_int (def, "itemCount", 0));
        }
    }
  {
    guint vault = 0;
    JsonObject *def = qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition",
                                                   138197802u);

    for (guint i = 0; i < json_array_get_length (profile_items); i++)
      vault += qm_json_get_hash (json_array_get_object_element (profile_items, i), "bucketHash") ==
               138197802u;
    g_assert_cmpint (qm_json_get_int (def, "itemCount", 0), ==, 700);
    g_assert_cmpuint (vault, <=, 700);
  }
}

/* --profile-items 1000: real items, where they belong, all shown. */
static void
test_grown_profile (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-inventory-XXXXXX", NULL);
  g_autofree char *record = g_build_filename (dir, "traffic.jsonl", NULL);
  QmSandboxOptions options = { .profile_items = 1000, .record_path = record };
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (&options);
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(QmManifest) manifest = test_manifest_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (sandbox);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  CharacterCounts expected[3] = { 0 };
  CharacterCounts seen[3] = { 0 };
  guint expected_vault, expected_account;
  guint vault = 0, account = 0, with_stats = 0, gear = 0;
  g_autofree char *output = NULL;
  QmTestResult res = { 0 };
  GListModel *items;

  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  count_world (world, ids, expected, &expected_vault, &expected_account);
  assert_within_buckets (world, ids);

  qm_inventory_load_with_manifest_async (client, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1000);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      int type = qm_item_get_item_type (item);
      guint c;

      /* Every hash has a definition. */
      g_assert_nonnull (qm_item_get_name (item));
      if (type == QM_ITEM_TYPE_WEAPON || type == QM_ITEM_TYPE_ARMOR)
        {
          guint n_stats, n_sockets;

          gear++;
          qm_item_get_stats (item, &n_stats);
          qm_item_get_sockets (item, &n_sockets);
          g_assert_nonnull (qm_item_get_instance_id (item));
          with_stats += n_stats > 0 && n_sockets > 0;
        }
      switch (qm_item_get_location (item))
        {
        case QM_ITEM_LOCATION_VAULT:
          vault++;
          break;
        case QM_ITEM_LOCATION_ACCOUNT:
          account++;
          break;
        default:
          for (c = 0; c < 3 && !g_str_equal (ids[c], qm_item_get_character_id (item)); c++)
            ;
          g_assert_cmpuint (c, <, 3);
          g_assert_cmpint (qm_item_get_owner_class (item), ==,
                           qm_profile_find_character (qm_inventory_get_profile (inventory),
                                                      ids[c])->class_type);
          if (qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED)
            seen[c].equipped++;
          else if (qm_item_get_location (item) == QM_ITEM_LOCATION_INVENTORY)
            seen[c].inventory++;
          else
            seen[c].postmaster++;
        }
    }
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpuint (seen[c].equipped, ==, expected[c].equipped);
      g_assert_cmpuint (seen[c].inventory, ==, expected[c].inventory);
      g_assert_cmpuint (seen[c].postmaster, ==, expected[c].postmaster);
    }
  g_assert_cmpuint (vault, ==, expected_vault);
  g_assert_cmpuint (account, ==, expected_account);
  /* Grown mostly in the vault. */
  g_assert_cmpuint (vault, >, 600);
  g_assert_cmpuint (with_stats, ==, gear);

  /* Bungie's contract holds for the grown account's traffic. */
  g_assert_true (qm_sandbox_set_record_path (sandbox, NULL, &error));
  g_assert_no_error (error);
  if (!qm_test_contract_check (record, NULL, &output))
    g_error ("contract check failed:\n%s", output);
  g_unlink (record);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  static const QmSandboxOptions cached_profiles = { .profile_cache_delay = PROFILE_CACHE_DELAY };

  qm_test_init (&argc, &argv);

  g_test_add ("/inventory/load", Fixture, NULL, fixture_set_up, test_load, fixture_tear_down);
  g_test_add ("/inventory/manifest-failure", Fixture, NULL, fixture_set_up, test_manifest_failure,
              fixture_tear_down);
  g_test_add ("/inventory/content-html", Fixture, NULL, fixture_set_up, test_content_html,
              fixture_tear_down);
  g_test_add ("/inventory/profile-failure", Fixture, NULL, fixture_set_up, test_profile_failure,
              fixture_tear_down);
  g_test_add ("/inventory/signed-out", Fixture, NULL, fixture_set_up, test_signed_out,
              fixture_tear_down);
  g_test_add ("/inventory/cache", Fixture, NULL, fixture_set_up, test_cache, fixture_tear_down);
  g_test_add ("/inventory/stale-ignored", Fixture, &cached_profiles, fixture_set_up,
              test_stale_ignored, fixture_tear_down);
  g_test_add ("/inventory/profile-bytes-errors", Fixture, NULL, fixture_set_up,
              test_profile_bytes_errors, fixture_tear_down);
  g_test_add ("/inventory/paths-agree", Fixture, NULL, fixture_set_up, test_paths_agree,
              fixture_tear_down);
  g_test_add_func ("/inventory/grown-profile", test_grown_profile);

  return g_test_run ();
}
