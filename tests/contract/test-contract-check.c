/* test-contract-check.c: the contract check fails where Bungie's spec says no
 *
 * The sandbox's own traffic and tables conform; the same recordings, changed
 * in one place each (an invented property, a wrong type, a value outside its
 * enum, a path the spec lacks), do not. The properties named in
 * tests/contract/not-in-spec.json pass, with their type, on their schema only.
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "qm-json.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

#define ITEM_TABLE "DestinyInventoryItemDefinition"

typedef struct
{
  QmSandbox *sandbox;
  char *dir;
  JsonNode *profile;    /* the recorded GetProfile exchange */
  JsonNode *manifest;   /* the recorded GetManifest exchange */
} Fixture;

static JsonNode *
find_exchange (JsonNode  **lines,
               guint       n_lines,
               const char *path)
{
  for (guint i = 0; i < n_lines; i++)
    if (strstr (qm_json_get_string (json_node_get_object (lines[i]), "url"), path) != NULL)
      return json_node_ref (lines[i]);
  g_error ("no exchange on %s was recorded", path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *record = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  QmTestResult res = { 0 };
  JsonNode *node;

  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->dir = g_dir_make_tmp ("qm-contract-XXXXXX", &error);
  g_assert_no_error (error);
  record = g_build_filename (fixture->dir, "sandbox.jsonl", NULL);
  client = qm_test_client_new (fixture->sandbox, TRUE);

  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, record, &error));
  qm_bungie_client_get_manifest_async (client, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_manifest_finish (client, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  json_node_unref (node);
  qm_test_result_clear (&res);
  qm_bungie_client_get_profile_async (client, qm_sandbox_get_membership_type (fixture->sandbox),
                                      qm_sandbox_get_membership_id (fixture->sandbox),
                                      "100,102,200,201,205,300", NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_profile_finish (client, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  json_node_unref (node);
  qm_test_result_clear (&res);
  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, NULL, &error));

  g_file_get_contents (record, &text, NULL, &error);
  g_assert_no_error (error);
  g_unlink (record);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        g_ptr_array_add (nodes, json_from_string (lines[i], &error));
        g_assert_no_error (error);
      }
  fixture->manifest = find_exchange ((JsonNode **) nodes->pdata, nodes->len, "/Destiny2/Manifest/");
  fixture->profile = find_exchange ((JsonNode **) nodes->pdata, nodes->len, "/Profile/");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->profile, json_node_unref);
  g_clear_pointer (&fixture->manifest, json_node_unref);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_object (&fixture->sandbox);
}

/* Writes @exchanges (NULL-terminated) as a recording and checks it. */
static gboolean
check_exchanges (Fixture     *fixture,
                 char       **output,
                 JsonNode    *first,
                 ...)
{
  g_autofree char *path = g_build_filename (fixture->dir, "traffic.jsonl", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;
  va_list args;

  va_start (args, first);
  for (JsonNode *node = first; node != NULL; node = va_arg (args, JsonNode *))
    {
      g_autofree char *line = json_to_string (node, FALSE);

      g_string_append_printf (text, "%s\n", line);
    }
  va_end (args);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  ok = qm_test_contract_check (path, NULL, output);
  g_unlink (path);
  return ok;
}

static gboolean
check_one (Fixture    *fixture,
           JsonNode   *exchange,
           char      **output)
{
  return check_exchanges (fixture, output, exchange, NULL);
}

static gboolean
check_table (Fixture    *fixture,
             JsonObject *table,
             char      **output)
{
  g_autofree char *path = g_build_filename (fixture->dir, "table.json", NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  gboolean ok;

  json_node_set_object (node, table);
  qm_test_write_json (NULL, path, node);
  ok = qm_test_contract_check (path, ITEM_TABLE, output);
  g_unlink (path);
  return ok;
}

static void
assert_fails (gboolean    ok,
              const char *output,
              const char *expected)
{
  g_assert_false (ok);
  g_assert_nonnull (strstr (output, "contract: 1 checked, 1 failed"));
  if (strstr (output, expected) == NULL)
    g_error ("the checker did not say \"%s\":\n%s", expected, output);
}

static JsonObject *
response_of (JsonNode *exchange)
{
  return qm_json_get_object (json_node_get_object (exchange), "response");
}

/* The profile's first item in the vault, of @copy. */
static JsonObject *
first_item (JsonNode *copy)
{
  JsonArray *items = qm_json_get_array (qm_json_path_object (response_of (copy), "Response",
                                                             "profileInventory", "data", NULL),
                                        "items");

  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return json_array_get_object_element (items, 0);
}

static void
test_sandbox_conforms (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *output = NULL;

  g_assert_true (check_exchanges (fixture, &output, fixture->manifest, fixture->profile, NULL));
  g_assert_nonnull (strstr (output, "contract: 2 checked, 0 failed"));
}

static void
test_invented_property (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) copy = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) manifest = qm_json_node_deep_copy (fixture->manifest);
  g_autofree char *output = NULL;
  g_autofree char *more = NULL;
  gboolean ok;

  json_object_set_int_member (first_item (copy), "sparkle", 1);
  ok = check_one (fixture, copy, &output);
  assert_fails (ok, output, "'sparkle' was unexpected");
  g_assert_nonnull (strstr (output, "profileInventory/data/items/0"));

  /* In the envelope too. */
  json_object_set_boolean_member (response_of (manifest), "Cached", TRUE);
  ok = check_one (fixture, manifest, &more);
  assert_fails (ok, more, "'Cached' was unexpected");
}

static void
test_wrong_type (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) quantity = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) id = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) lockable = qm_json_node_deep_copy (fixture->profile);
  g_autofree char *output = NULL;
  g_autofree char *output_id = NULL;
  g_autofree char *output_lockable = NULL;
  gboolean ok;

  json_object_set_string_member (first_item (quantity), "quantity", "1");
  ok = check_one (fixture, quantity, &output);
  assert_fails (ok, output, "items/0/quantity");

  /* int64 ids may be strings of digits, but nothing else. */
  json_object_set_string_member (first_item (id), "itemInstanceId", "6917529-abc");
  ok = check_one (fixture, id, &output_id);
  assert_fails (ok, output_id, "items/0/itemInstanceId");

  json_object_set_int_member (first_item (lockable), "lockable", 1);
  ok = check_one (fixture, lockable, &output_lockable);
  assert_fails (ok, output_lockable, "items/0/lockable");
}

static void
test_enum_values (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) location = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) state = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) hash = qm_json_node_deep_copy (fixture->profile);
  g_autofree char *output = NULL;
  g_autofree char *output_state = NULL;
  g_autofree char *output_hash = NULL;
  gboolean ok;

  /* ItemLocation is 0 to 4. */
  json_object_set_int_member (first_item (location), "location", 9);
  ok = check_one (fixture, location, &output);
  assert_fails (ok, output, "items/0/location");

  /* ItemState is flags: a bit it does not declare. */
  json_object_set_int_member (first_item (state), "state", 1 << 20);
  ok = check_one (fixture, state, &output_state);
  assert_fails (ok, output_state, "flags its enum does not declare");

  /* A uint32 hash in range. */
  json_object_set_int_member (first_item (hash), "itemHash", G_GINT64_CONSTANT (1) << 32);
  ok = check_one (fixture, hash, &output_hash);
  assert_fails (ok, output_hash, "items/0/itemHash");
}

/* The named exceptions pass with their type, where they are named, and
 * nowhere else. */
static void
test_not_in_spec (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) named = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) typed = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) elsewhere = qm_json_node_deep_copy (fixture->profile);
  JsonArray *items = qm_json_get_array (qm_json_path_object (response_of (named), "Response",
                                                             "profileInventory", "data", NULL),
                                        "items");
  JsonObject *characters;
  g_autoptr(GList) ids = NULL;
  g_autofree char *output = NULL;
  g_autofree char *output_typed = NULL;
  g_autofree char *output_elsewhere = NULL;
  gboolean ok;

  for (guint i = 0; i < json_array_get_length (items); i++)
    json_object_set_int_member (json_array_get_object_element (items, i), "dismantlePermission", 0);
  g_assert_true (check_one (fixture, named, &output));
  g_assert_nonnull (strstr (output, "contract: 1 checked, 0 failed"));

  json_object_set_string_member (first_item (typed), "dismantlePermission", "yes");
  ok = check_one (fixture, typed, &output_typed);
  assert_fails (ok, output_typed, "items/0/dismantlePermission");

  characters = qm_json_path_object (response_of (elsewhere), "Response", "characters", "data", NULL);
  g_assert_nonnull (characters);
  ids = json_object_get_members (characters);
  g_assert_nonnull (ids);
  json_object_set_int_member (json_object_get_object_member (characters, ids->data),
                              "dismantlePermission", 0);
  ok = check_one (fixture, elsewhere, &output_elsewhere);
  assert_fails (ok, output_elsewhere, "'dismantlePermission' was unexpected");
}

static void
test_operations (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "/Platform/Destiny2/Manifest", "the trailing slash is missing" },
    { "/Platform/Destiny2/Manifest/Sparkle/", "no such operation" },
    { "/Platform/Destiny2/Manifest/?lc=en", "query lc: not a parameter" },
  };
  g_autoptr(JsonNode) post = qm_json_node_deep_copy (fixture->manifest);
  g_autoptr(JsonNode) origin = qm_json_node_deep_copy (fixture->manifest);
  g_autoptr(JsonNode) no_key = qm_json_node_deep_copy (fixture->manifest);
  g_autoptr(JsonNode) components = qm_json_node_deep_copy (fixture->profile);
  g_autoptr(JsonNode) membership = qm_json_node_deep_copy (fixture->profile);
  g_autofree char *output = NULL;
  g_autofree char *url = NULL;
  JsonObject *headers;
  gboolean ok;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) copy = qm_json_node_deep_copy (fixture->manifest);
      g_autofree char *out = NULL;

      json_object_set_string_member (json_node_get_object (copy), "url", cases[i].url);
      ok = check_one (fixture, copy, &out);
      assert_fails (ok, out, cases[i].expected);
    }

  json_object_set_string_member (json_node_get_object (post), "method", "POST");
  ok = check_one (fixture, post, &output);
  assert_fails (ok, output, "the spec has no POST");
  g_clear_pointer (&output, g_free);

  headers = qm_json_get_object (json_node_get_object (origin), "headers");
  g_assert_nonnull (headers);
  json_object_set_string_member (headers, "Origin", "https://www.bungie.net");
  ok = check_one (fixture, origin, &output);
  assert_fails (ok, output, "an Origin header");
  g_clear_pointer (&output, g_free);

  json_object_remove_member (qm_json_get_object (json_node_get_object (no_key), "headers"), "X-API-Key");
  ok = check_one (fixture, no_key, &output);
  assert_fails (ok, output, "no X-API-Key header");
  g_clear_pointer (&output, g_free);

  /* Components by number or by name, and nothing else. */
  url = g_strdup_printf ("/Platform/Destiny2/%d/Profile/%s/?components=100,ProfileInventories,Sparkles",
                         qm_sandbox_get_membership_type (fixture->sandbox),
                         qm_sandbox_get_membership_id (fixture->sandbox));
  json_object_set_string_member (json_node_get_object (components), "url", url);
  ok = check_one (fixture, components, &output);
  assert_fails (ok, output, "components=Sparkles: not an integer");
  g_clear_pointer (&output, g_free);
  g_clear_pointer (&url, g_free);

  url = g_strdup_printf ("/Platform/Destiny2/Steam/Profile/%s/?components=100",
                         qm_sandbox_get_membership_id (fixture->sandbox));
  json_object_set_string_member (json_node_get_object (membership), "url", url);
  ok = check_one (fixture, membership, &output);
  assert_fails (ok, output, "membershipType=Steam");
}

static void
test_definitions (Fixture       *fixture,
                  gconstpointer  data)
{
  QmSandboxWorld *world = qm_sandbox_get_world (fixture->sandbox);
  g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, ITEM_TABLE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;
  JsonObject *table, *definition;
  g_autofree char *output = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *key = NULL;
  gboolean ok;

  g_assert_nonnull (bytes);
  root = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  table = json_node_get_object (root);
  g_assert_true (check_table (fixture, table, &output));
  checked = g_strdup_printf ("contract: %u checked, 0 failed", json_object_get_size (table));
  g_assert_nonnull (strstr (output, checked));
  g_clear_pointer (&output, g_free);

  keys = json_object_get_members (table);
  key = g_strdup (keys->data);
  definition = json_object_get_object_member (table, key);

  json_object_set_int_member (qm_json_get_object (definition, "inventory"), "sparkle", 1);
  ok = check_table (fixture, table, &output);
  g_assert_false (ok);
  g_assert_nonnull (strstr (output, "'sparkle' was unexpected"));
  g_assert_nonnull (strstr (output, ", 1 failed"));
  json_object_remove_member (qm_json_get_object (definition, "inventory"), "sparkle");
  g_clear_pointer (&output, g_free);

  json_object_set_int_member (definition, "hash", 1);
  ok = check_table (fixture, table, &output);
  g_assert_false (ok);
  g_assert_nonnull (strstr (output, "under the key"));
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/contract/check/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sandbox-conforms", test_sandbox_conforms);
  ADD ("invented-property", test_invented_property);
  ADD ("wrong-type", test_wrong_type);
  ADD ("enum-values", test_enum_values);
  ADD ("not-in-spec", test_not_in_spec);
  ADD ("operations", test_operations);
  ADD ("definitions", test_definitions);
#undef ADD

  return g_test_run ();
}
