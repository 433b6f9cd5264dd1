/* test-cli.c: quartermaster-cli end to end, on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "qm-json.h"
#include "qm-destiny.h"
#include "qm-sandbox.h"
#include "qm-sandbox-world.h"
#include "qm-xur.h"
#include "qm-test-utils.h"

#define run_cli(run, ...) qm_test_run_cli (run, NULL, NULL, __VA_ARGS__)

static guint
count_component_items (JsonObject *data)
{
  guint n = 0;
  g_autoptr(GList) values = data != NULL ? json_object_get_values (data) : NULL;

  for (GList *l = values; l != NULL; l = l->next)
    {
      JsonArray *items = JSON_NODE_HOLDS_OBJECT (l->data)
                         ? qm_json_get_array (json_node_get_object (l->data), "items") : NULL;

      n += items != NULL ? json_array_get_length (items) : 0;
    }
  return n;
}

static guint
count_profile_items (JsonObject *profile,
                     const char *component)
{
  JsonArray *items = qm_json_get_array (qm_json_path_object (profile, component, "data", NULL), "items");

  return items != NULL ? json_array_get_length (items) : 0;
}

/* Every item the demo account's full profile holds. */
static guint
count_demo_items_once (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autofree char *text = qm_sandbox_dup_profile_json (sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  JsonObject *profile;
  guint n;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  profile = json_node_get_object (root);

  n = count_component_items (qm_json_path_object (profile, "characterEquipment", "data", NULL));
  n += count_component_items (qm_json_path_object (profile, "characterInventories", "data", NULL));
  n += count_profile_items (profile, "profileInventory");
  n += count_profile_items (profile, "profileCurrencies");
  qm_sandbox_stop (sandbox);
  return n;
}

static guint
count_demo_items (void)
{
  static guint n_items = 0;

  if (n_items == 0)
    n_items = count_demo_items_once ();
  return n_items;
}

/* All items of the document, each as one compact JSON string. */
static GPtrArray *
collect_items (JsonObject *doc)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  JsonArray *characters = qm_json_get_array (doc, "characters");
  JsonArray *lists[2] = { qm_json_get_array (doc, "vault"), qm_json_get_array (doc, "account") };

  g_assert_nonnull (characters);
  g_assert_nonnull (lists[0]);
  g_assert_nonnull (lists[1]);
  for (guint i = 0; i < json_array_get_length (characters); i++)
    {
      JsonArray *list = qm_json_get_array (json_array_get_object_element (characters, i), "items");

      g_assert_nonnull (list);
      for (guint j = 0; j < json_array_get_length (list); j++)
        g_ptr_array_add (items, json_to_string (json_array_get_element (list, j), FALSE));
    }
  for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
    for (guint j = 0; j < json_array_get_length (lists[k]); j++)
      g_ptr_array_add (items, json_to_string (json_array_get_element (lists[k], j), FALSE));
  return items;
}

/* The names of the demo account's bucket definitions, by hash. */
static GHashTable *
dup_demo_bucket_names (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, "DestinyInventoryBucketDefinition");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  g_assert_nonnull (bytes);
  root = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &key, &node))
    {
      const char *name = qm_json_get_string (qm_json_get_object (json_node_get_object (node),
                                                                  "displayProperties"), "name");

      if (name != NULL && *name != '\0')
        g_hash_table_insert (names, GUINT_TO_POINTER ((guint32) g_ascii_strtoull (key, NULL, 10)),
                             g_strdup (name));
    }
  qm_sandbox_stop (sandbox);
  return names;
}

/* "bucket_name": the definition's name, or without definitions (@named
 * FALSE) the built-in one; null when neither knows the bucket
 * (qm_bucket_dup_name()). */
static void
assert_bucket_name (JsonObject *item,
                    gboolean    named)
{
  static GHashTable *defined = NULL;
  guint32 bucket = (guint32) qm_json_get_int (item, "bucket", 0);
  JsonNode *node = json_object_get_member (item, "bucket_name");
  const char *expected;

  if (defined == NULL)
    defined = dup_demo_bucket_names ();
  /* The vault, the postmaster and the currencies keep the app's headings. */
  expected = named && !qm_bucket_has_own_heading (bucket)
             ? g_hash_table_lookup (defined, GUINT_TO_POINTER (bucket)) : NULL;
  if (expected == NULL)
    expected = qm_bucket_get_display_name (bucket);
  g_assert_nonnull (node);
  if (expected == NULL)
    g_assert_true (json_node_is_null (node));
  else
    g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_item_shape (JsonObject *item,
                   gboolean    named)
{
  static const char *locations[] = { "equipped", "inventory", "postmaster", "vault", "account" };
  JsonNode *name = json_object_get_member (item, "name");
  JsonNode *power = json_object_get_member (item, "power");
  JsonNode *tier = json_object_get_member (item, "tier");
  JsonNode *instance = json_object_get_member (item, "instance_id");

  g_assert_cmpuint (json_object_get_size (item), ==, 10);
  assert_bucket_name (item, named);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "hash")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "bucket")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "quantity")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "locked")), ==, G_TYPE_BOOLEAN);
  g_assert_true (g_strv_contains (locations, qm_json_get_string (item, "location")));
  g_assert_true (json_node_is_null (instance) || qm_json_is_id_string (json_node_get_string (instance)));
  g_assert_true (json_node_is_null (power) || json_node_get_value_type (power) == G_TYPE_INT64);
  g_assert_true (json_node_is_null (tier) || json_node_get_value_type (tier) == G_TYPE_STRING);
  if (named)
    g_assert_cmpint (json_node_get_value_type (name), ==, G_TYPE_STRING);
  else
    g_assert_true (json_node_is_null (name));
}

static void
assert_items_shape (JsonObject *doc,
                    gboolean    named)
{
  g_autoptr(GPtrArray) items = collect_items (doc);

  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) root = json_from_string (g_ptr_array_index (items, i), NULL);

      assert_item_shape (json_node_get_object (root), named);
    }
}

/* @text without its "bucket_name": the name depends on the definitions
 * served, the rest of the item does not. */
static char *
without_bucket_name (const char *text)
{
  g_autoptr(JsonNode) root = json_from_string (text, NULL);

  g_assert_nonnull (root);
  json_object_remove_member (json_node_get_object (root), "bucket_name");
  return json_to_string (root, FALSE);
}

static void
assert_same_items (JsonObject *a,
                   JsonObject *b)
{
  g_autoptr(GPtrArray) items_a = collect_items (a);
  g_autoptr(GPtrArray) items_b = collect_items (b);

  g_assert_cmpuint (items_a->len, ==, items_b->len);
  for (guint i = 0; i < items_a->len; i++)
    {
      g_autofree char *item_a = without_bucket_name (g_ptr_array_index (items_a, i));
      g_autofree char *item_b = without_bucket_name (g_ptr_array_index (items_b, i));

      g_assert_cmpstr (item_a, ==, item_b);
    }
}

typedef struct
{
  char *dir;
  char *record;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("qm-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->record = g_build_filename (fixture->dir, "record.jsonl", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  qm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->record);
}

/* The response of the first recorded exchange whose URL holds @needle. */
static JsonNode *
find_recorded_response (const char *record,
                        const char *needle)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (record, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) line = NULL;
      JsonObject *exchange;

      /* Parse only the candidates: some lines are megabytes long. */
      if (*lines[i] == '\0' || strstr (lines[i], needle) == NULL)
        continue;
      line = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      exchange = json_node_get_object (line);
      if (strstr (qm_json_get_string (exchange, "url"), needle) != NULL &&
          json_object_has_member (exchange, "response"))
        return json_node_copy (json_object_get_member (exchange, "response"));
    }
  return NULL;
}

/* Two --sandbox=DIR data directories from the recorded exchanges: "data"
 * with the item definitions, "bare" without. */
static void
make_data_dirs (Fixture  *fixture,
                char    **data_dir,
                char    **bare_dir)
{
  g_autoptr(JsonNode) profile = find_recorded_response (fixture->record, "/Profile/");
  g_autoptr(JsonNode) table = find_recorded_response (fixture->record, "DestinyInventoryItemDefinition");

  g_assert_nonnull (profile);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (profile));
  g_assert_cmpint (qm_json_get_int (json_node_get_object (profile), "ErrorCode", 0), ==, 1);
  g_assert_nonnull (table);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (table));

  *data_dir = g_build_filename (fixture->dir, "data", NULL);
  qm_test_write_json (*data_dir, "profile.json", profile);
  qm_test_write_json (*data_dir, "definitions/DestinyInventoryItemDefinition.json", table);
  *bare_dir = g_build_filename (fixture->dir, "bare", NULL);
  qm_test_write_json (*bare_dir, "profile.json", profile);
}

static void
assert_demo_characters (JsonObject *doc)
{
  JsonArray *characters = qm_json_get_array (doc, "characters");
  const char *classes[4] = { NULL };

  g_assert_nonnull (characters);
  g_assert_cmpuint (json_array_get_length (characters), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *character = json_array_get_object_element (characters, i);

      classes[i] = qm_json_get_string (character, "class");
      g_assert_true (qm_json_is_id_string (qm_json_get_string (character, "id")));
      g_assert_cmpint (qm_json_get_int (character, "light", 0), >, 0);
    }
  g_assert_true (g_strv_contains (classes, "titan"));
  g_assert_true (g_strv_contains (classes, "hunter"));
  g_assert_true (g_strv_contains (classes, "warlock"));
}

static void
test_inventory_json (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(QmTestRun) demo = { 0 };
  g_auto(QmTestRun) replay = { 0 };
  g_auto(QmTestRun) bare = { 0 };
  g_autoptr(JsonNode) demo_root = NULL;
  g_autoptr(JsonNode) replay_root = NULL;
  g_autoptr(JsonNode) bare_root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *output = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *bare_dir = NULL;
  g_autofree char *sandbox_arg = NULL;
  JsonObject *doc;

  run_cli (&demo, "--sandbox", "--record", fixture->record, "inventory", "--json", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  doc = qm_test_parse_document (demo.out, &demo_root);
  assert_demo_characters (doc);
  items = collect_items (doc);
  g_assert_cmpuint (items->len, ==, count_demo_items ());
  assert_items_shape (doc, TRUE);

  /* What went over the wire conforms to Bungie's spec. */
  if (!qm_test_contract_check (fixture->record, NULL, &output))
    g_test_fail_printf ("the recorded traffic does not conform to the spec:\n%s", output);

  /* The same account replayed from the recording. */
  make_data_dirs (fixture, &data_dir, &bare_dir);
  sandbox_arg = g_strconcat ("--sandbox=", data_dir, NULL);
  run_cli (&replay, sandbox_arg, "inventory", "--json", NULL);
  g_assert_cmpint (replay.status, ==, 0);
  assert_same_items (doc, qm_test_parse_document (replay.out, &replay_root));

  /* Without definitions: every item is there, unknown. */
  g_free (sandbox_arg);
  sandbox_arg = g_strconcat ("--sandbox=", bare_dir, NULL);
  run_cli (&bare, sandbox_arg, "inventory", "--json", NULL);
  g_assert_cmpint (bare.status, ==, 0);
  doc = qm_test_parse_document (bare.out, &bare_root);
  assert_demo_characters (doc);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = collect_items (doc);
  g_assert_cmpuint (items->len, ==, count_demo_items ());
  assert_items_shape (doc, FALSE);
}

static void
test_inventory_text (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(QmTestRun) run = { 0 };

  run_cli (&run, "--sandbox", "inventory", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Titan (Power "));
  g_assert_nonnull (strstr (run.out, "Hunter (Power "));
  g_assert_nonnull (strstr (run.out, "Warlock (Power "));
  /* The game's word, as in the window. */
  g_assert_null (strstr (run.out, "(Light "));
  g_assert_nonnull (strstr (run.out, "\nVault\n"));
  g_assert_nonnull (strstr (run.out, "\nAccount\n"));
  g_assert_nonnull (strstr (run.out, "Kinetic Weapons:\n"));
  g_assert_nonnull (strstr (run.out, "[equipped]"));
  g_assert_null (strstr (run.out, "Unknown item"));
  g_assert_cmpstr (run.err, ==, "");
}

/* The demo account has one membership: naming it works, naming another fails. */
static void
test_inventory_membership (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(QmTestRun) chosen = { 0 };
  g_auto(QmTestRun) unknown = { 0 };
  g_auto(QmTestRun) usage = { 0 };

  run_cli (&chosen, "--sandbox", "inventory", "--membership", "4611686018400000001", NULL);
  g_assert_cmpint (chosen.status, ==, 0);
  g_assert_nonnull (strstr (chosen.out, "Titan (Power "));

  run_cli (&unknown, "--sandbox", "inventory", "--membership", "4611686018400000999", NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_nonnull (strstr (unknown.err, "4611686018400000999"));

  run_cli (&usage, "--sandbox", "status", "--membership", "4611686018400000001", NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

static void
test_inventory_text_unknown (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(QmTestRun) demo = { 0 };
  g_auto(QmTestRun) bare = { 0 };
  g_autofree char *data_dir = NULL;
  g_autofree char *bare_dir = NULL;
  g_autofree char *sandbox_arg = NULL;

  run_cli (&demo, "--sandbox", "--record", fixture->record, "inventory", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  make_data_dirs (fixture, &data_dir, &bare_dir);
  sandbox_arg = g_strconcat ("--sandbox=", bare_dir, NULL);
  run_cli (&bare, sandbox_arg, "inventory", NULL);
  g_assert_cmpint (bare.status, ==, 0);
  g_assert_nonnull (strstr (bare.out, "Titan (Power "));
  g_assert_nonnull (strstr (bare.out, "  Unknown item "));
  /* The missing definitions are worth one warning line, not a failure. */
  g_assert_true (g_str_has_prefix (bare.err, "quartermaster-cli: "));
}

/* A recording made without component 100 (DIM's recordings ask for 102,
 * 103, 200, 201, 205, 300, 305 and 310 only): the demo's profile without
 * "profile", and Xûr's vendors as recorded. */
static char *
make_dir_without_profile_component (Fixture *fixture)
{
  g_autoptr(JsonNode) profile = find_recorded_response (fixture->record, "/Profile/");
  g_autoptr(JsonNode) xur = NULL;
  g_autoptr(JsonNode) strange = NULL;
  g_autofree char *xur_url = g_strdup_printf ("/Vendors/%u/", QM_XUR_VENDOR_HASH);
  g_autofree char *strange_url = g_strdup_printf ("/Vendors/%u/", QM_XUR_STRANGE_GEAR_VENDOR_HASH);
  g_autofree char *xur_name = g_strdup_printf ("vendors/%u.json", QM_XUR_VENDOR_HASH);
  g_autofree char *strange_name = g_strdup_printf ("vendors/%u.json", QM_XUR_STRANGE_GEAR_VENDOR_HASH);
  char *dir = g_build_filename (fixture->dir, "no-100", NULL);
  JsonObject *response;

  g_assert_nonnull (profile);
  response = qm_json_get_object (json_node_get_object (profile), "Response");
  g_assert_nonnull (qm_json_get_object (response, "profile"));
  json_object_remove_member (response, "profile");
  qm_test_write_json (dir, "profile.json", profile);
  xur = find_recorded_response (fixture->record, xur_url);
  strange = find_recorded_response (fixture->record, strange_url);
  g_assert_nonnull (xur);
  g_assert_nonnull (strange);
  qm_test_write_json (dir, xur_name, xur);
  qm_test_write_json (dir, strange_name, strange);
  return dir;
}

static void
test_recorded_without_profile_component (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_auto(QmTestRun) demo = { 0 };
  g_auto(QmTestRun) inventory = { 0 };
  g_auto(QmTestRun) xur = { 0 };
  g_autoptr(JsonNode) demo_root = NULL;
  g_autoptr(JsonNode) inventory_root = NULL;
  g_autoptr(JsonNode) xur_root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sandbox_arg = NULL;
  JsonObject *doc;

  run_cli (&demo, "--sandbox", "--record", fixture->record, "xur", "--json", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  dir = make_dir_without_profile_component (fixture);
  sandbox_arg = g_strconcat ("--sandbox=", dir, NULL);

  /* The membership comes from the characters: the account is found. */
  run_cli (&inventory, sandbox_arg, "inventory", "--json", NULL);
  g_assert_cmpint (inventory.status, ==, 0);
  g_assert_null (strstr (inventory.err, "no Destiny 2 account"));
  doc = qm_test_parse_document (inventory.out, &inventory_root);
  assert_demo_characters (doc);

  /* Xûr is visited with the account's membership, not profile.data.userInfo. */
  run_cli (&xur, sandbox_arg, "xur", "--json", NULL);
  g_assert_cmpint (xur.status, ==, 0);
  g_assert_null (strstr (xur.err, "no character to visit"));
  /* The same week as the demo's (names aside: no definitions were recorded). */
  {
    JsonObject *want = qm_test_parse_document (demo.out, &demo_root);
    JsonObject *got = qm_test_parse_document (xur.out, &xur_root);
    JsonArray *want_sales = qm_json_get_array (want, "sales");
    JsonArray *got_sales = qm_json_get_array (got, "sales");

    g_assert_true (json_object_get_boolean_member (want, "present"));
    g_assert_true (json_object_get_boolean_member (got, "present"));
    g_assert_cmpuint (json_array_get_length (want_sales), >, 0);
    g_assert_cmpuint (json_array_get_length (got_sales), ==, json_array_get_length (want_sales));
    for (guint i = 0; i < json_array_get_length (want_sales); i++)
      g_assert_cmpint (qm_json_get_int (json_array_get_object_element (got_sales, i), "hash", 0), ==,
                       qm_json_get_int (json_array_get_object_element (want_sales, i), "hash", 0));
  }
}

/* Recorded with components Bungie withheld for privacy: what is there is
 * printed, a warning says what is missing, and the exit status is 3. */
static void
test_inventory_withheld (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(QmTestRun) demo = { 0 };
  g_auto(QmTestRun) json = { 0 };
  g_auto(QmTestRun) text = { 0 };
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = g_build_filename (fixture->dir, "private", NULL);
  g_autofree char *sandbox_arg = g_strconcat ("--sandbox=", dir, NULL);
  JsonObject *response;
  JsonObject *doc;

  run_cli (&demo, "--sandbox", "--record", fixture->record, "inventory", "--json", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  g_assert_null (strstr (demo.err, "withheld"));
  profile = find_recorded_response (fixture->record, "/Profile/");
  response = qm_json_get_object (json_node_get_object (profile), "Response");
  json_object_set_object_member (response, "profileInventory", json_object_new ());
  json_object_set_int_member (qm_json_get_object (response, "profileInventory"), "privacy", 2);
  json_object_set_object_member (response, "characterInventories", json_object_new ());
  json_object_set_int_member (qm_json_get_object (response, "characterInventories"), "privacy", 2);
  qm_test_write_json (dir, "profile.json", profile);

  run_cli (&json, sandbox_arg, "inventory", "--json", NULL);
  g_assert_cmpint (json.status, ==, 3);
  doc = qm_test_parse_document (json.out, &root);
  assert_demo_characters (doc);
  g_assert_cmpuint (json_array_get_length (qm_json_get_array (doc, "vault")), ==, 0);
  g_assert_true (g_str_has_prefix (json.err, "quartermaster-cli: warning: "));
  g_assert_nonnull (strstr (json.err, "withheld"));
  g_assert_nonnull (strstr (json.err, "(components 102, 201)"));

  run_cli (&text, sandbox_arg, "inventory", NULL);
  g_assert_cmpint (text.status, ==, 3);
  g_assert_nonnull (strstr (text.out, "Vault"));
  g_assert_nonnull (strstr (text.err, "(components 102, 201)"));
}

static void
assert_one_line_error (QmTestRun        *run,
                       int         status,
                       const char *needle)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "quartermaster-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  /* One line. */
  g_assert_cmpint (strchr (run->err, '\n') - run->err, ==, (int) strlen (run->err) - 1);
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  struct
  {
    const char *args[5];
    const char *needle;
  } cases[] = {
    { { "--sandbox", NULL }, "command" },
    { { "--sandbox", "frobnicate", NULL }, "frobnicate" },
    { { "--sandbox", "inventory", "extra", NULL }, "extra" },
    { { "--record", "x.jsonl", "inventory", NULL }, "--record" },
    { { "--sandbox", "--origin", "http://127.0.0.1:1", "inventory", NULL }, "--origin" },
    { { "--origin", "not a url", "inventory", NULL }, "URL" },
    { { "--no-such-option", "inventory", NULL }, "no-such-option" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(QmTestRun) run = { 0 };
      const char **a = cases[i].args;

      run_cli (&run, a[0], a[1], a[2], a[3], a[4], NULL);
      assert_one_line_error (&run, 2, cases[i].needle);
    }
}

static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_auto(QmTestRun) run = { 0 };

  envp = g_environ_unsetenv (envp, "QM_ACCESS_TOKEN");
  envp = g_environ_setenv (envp, "QM_API_KEY", "some-key", TRUE);
  qm_test_run_cli (&run, envp, NULL, "--origin", "https://www.bungie.net", "inventory", NULL);
  assert_one_line_error (&run, 1, "signin");
}

static void
test_missing_data_dir (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "nowhere", NULL);
  g_autofree char *arg = g_strconcat ("--sandbox=", missing, NULL);
  g_auto(QmTestRun) run = { 0 };

  run_cli (&run, arg, "inventory", "--json", NULL);
  assert_one_line_error (&run, 1, NULL);
}

/* --origin with a token from the environment, against a sandbox of ours:
 * the path a real service takes. */
static void
test_origin (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  envp = g_environ_setenv (envp, "QM_API_KEY", QM_SANDBOX_API_KEY, TRUE);
  envp = g_environ_setenv (envp, "QM_ACCESS_TOKEN", token, TRUE);
  /* The sandbox answers from this main loop while the CLI runs. */
  qm_test_run_cli (&run, envp, NULL, "--origin", qm_sandbox_get_bungie_origin (sandbox),
                   "inventory", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_demo_characters (qm_test_parse_document (run.out, &root));
  qm_sandbox_stop (sandbox);
}

/* `--sandbox status`: the built-in sandbox, its demo account signed in
 * by itself (as `--sandbox inventory` uses it), not "Not signed in" to a
 * random port. */
static void
test_sandbox_status (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *membership = g_strdup_printf ("\n  Bungie.net membership: %s\n", world->bungie_net_id);
  g_auto(QmTestRun) text = { 0 };
  g_auto(QmTestRun) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *doc;

  run_cli (&text, "--sandbox", "status", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_cmpstr (text.err, ==, "");
  g_assert_true (g_str_has_prefix (text.out, "Signed in to the built-in sandbox at http://127.0.0.1:"));
  g_assert_nonnull (strstr (text.out, "demo account signs in by itself"));
  g_assert_nonnull (strstr (text.out, membership));
  g_assert_nonnull (strstr (text.out, "Signed in with: Bungie.net OAuth\n"));
  g_assert_nonnull (strstr (text.out, "Kept in the keyring: no (the sandbox"));
  g_assert_null (strstr (text.out, "Not signed in"));

  run_cli (&json, "--sandbox", "status", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  doc = qm_test_parse_document (json.out, &root);
  g_assert_true (qm_json_get_bool (doc, "sandbox", FALSE));
  g_assert_true (qm_json_get_bool (doc, "signed_in", FALSE));
  g_assert_false (qm_json_get_bool (doc, "keyring", TRUE));
  g_assert_cmpstr (qm_json_get_string (doc, "kind"), ==, "oauth");
  g_assert_cmpstr (qm_json_get_string (doc, "membership_id"), ==, world->bungie_net_id);
  g_assert_nonnull (qm_json_get_string (doc, "access_expires"));
  g_assert_true (json_node_is_null (json_object_get_member (doc, "problem")));
  qm_sandbox_stop (sandbox);
}

/* `inventory --json | head -c 600`: the reader has what it wanted and
 * closes the pipe while the CLI still writes. Not an error: no message,
 * exit 0. */
static void
test_reader_closes_early (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *program = qm_test_build_path ("cli", "quartermaster-cli");
  const char *argv[] = { program, "--sandbox", "inventory", "--json", NULL };
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) errors = NULL;
  g_autofree char *err = NULL;
  char head[600];
  gsize n_read = 0;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_subprocess_get_stdout_pipe (process), head, sizeof head, &n_read,
                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_read, ==, sizeof head);
  g_assert_cmpint (head[0], ==, '{');
  /* The document is far larger than a pipe holds: the CLI is still writing. */
  g_input_stream_close (g_subprocess_get_stdout_pipe (process), NULL, &error);
  g_assert_no_error (error);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  errors = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (errors, g_subprocess_get_stderr_pipe (process),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  err = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (errors)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (errors)));
  if (err == NULL)
    err = g_strdup ("");
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add ("/cli/inventory-json", Fixture, NULL, fixture_set_up, test_inventory_json, fixture_tear_down);
  g_test_add ("/cli/inventory-text", Fixture, NULL, fixture_set_up, test_inventory_text, fixture_tear_down);
  g_test_add ("/cli/inventory-text-unknown", Fixture, NULL, fixture_set_up, test_inventory_text_unknown,
              fixture_tear_down);
  g_test_add ("/cli/inventory-membership", Fixture, NULL, fixture_set_up, test_inventory_membership,
              fixture_tear_down);
  g_test_add ("/cli/recorded-without-profile-component", Fixture, NULL, fixture_set_up,
              test_recorded_without_profile_component, fixture_tear_down);
  g_test_add ("/cli/inventory-withheld", Fixture, NULL, fixture_set_up, test_inventory_withheld,
              fixture_tear_down);
  g_test_add ("/cli/usage-errors", Fixture, NULL, fixture_set_up, test_usage_errors, fixture_tear_down);
  g_test_add ("/cli/no-token", Fixture, NULL, fixture_set_up, test_no_token, fixture_tear_down);
  g_test_add ("/cli/missing-data-dir", Fixture, NULL, fixture_set_up, test_missing_data_dir,
              fixture_tear_down);
  g_test_add ("/cli/origin", Fixture, NULL, fixture_set_up, test_origin, fixture_tear_down);
  g_test_add ("/cli/sandbox-status", Fixture, NULL, fixture_set_up, test_sandbox_status, fixture_tear_down);
  g_test_add ("/cli/reader-closes-early", Fixture, NULL, fixture_set_up, test_reader_closes_early,
              fixture_tear_down);

  return g_test_run ();
}
