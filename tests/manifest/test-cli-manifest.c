/* test-cli-manifest.c: quartermaster-cli manifest, and the inventory's names from the cache
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-json.h"
#include "qm-sandbox.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

/* Run the CLI with @args while the main loop runs (a sandbox of this
 * process keeps answering). @env: extra NAME=VALUE pairs, or NULL. */
static void
run_cli (QmTestRun          *run,
         const char * const *env,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = qm_test_child_environ ();

  /* The test's own directories (GLib points the environment's elsewhere). */
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      envp = g_environ_setenv (envp, pair[0], pair[1], TRUE);
    }
  g_ptr_array_add (argv, qm_test_build_path ("cli", "quartermaster-cli"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  qm_test_run (run, (const char * const *) argv->pdata, envp, NULL);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  *root = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static void
test_manifest_command (void)
{
  g_auto(QmTestRun) first = { 0 };
  g_auto(QmTestRun) second = { 0 };
  g_auto(QmTestRun) german = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *object;
  JsonObject *tables;
  JsonObject *cache;

  run_cli (&first, NULL, (const char *[]) { "--sandbox", "manifest", "--json", NULL });
  g_assert_cmpint (first.status, ==, 0);
  object = parse_object (first.out, &root);
  g_assert_cmpstr (qm_json_get_string (object, "version"), ==, "sandbox.0.0");
  g_assert_cmpstr (qm_json_get_string (object, "language"), ==, "en");
  g_assert_true (qm_json_get_bool (object, "downloaded", FALSE));
  g_assert_true (qm_json_get_bool (object, "up_to_date", FALSE));
  tables = qm_json_get_object (object, "tables");
  g_assert_cmpint (qm_json_get_int (tables, "DestinyInventoryItemDefinition", 0), >, 100);
  g_assert_cmpint (qm_json_get_int (tables, "DestinyVendorDefinition", 0), ==, 2);
  cache = qm_json_get_object (object, "cache");
  g_assert_true (g_file_test (qm_json_get_string (cache, "path"), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (qm_json_get_int (cache, "size", 0), >, 10000);
  g_assert_true (g_str_has_prefix (qm_json_get_string (cache, "path"), g_get_user_cache_dir ()));
  /* Progress on stderr, as plain lines when it is not a terminal. */
  g_assert_nonnull (strstr (first.err, "Downloading item definitions: "));
  g_assert_null (strstr (first.err, "\r"));

  run_cli (&second, NULL, (const char *[]) { "--sandbox", "manifest", "--json", NULL });
  g_assert_cmpint (second.status, ==, 0);
  object = parse_object (second.out, &again);
  g_assert_false (qm_json_get_bool (object, "downloaded", TRUE));
  g_assert_cmpstr (second.err, ==, "");

  run_cli (&german, NULL, (const char *[]) { "--sandbox", "manifest", "--language", "de", NULL });
  g_assert_cmpint (german.status, ==, 0);
  g_assert_nonnull (strstr (german.out, "Language: de (Deutsch)"));
  g_assert_nonnull (strstr (german.out, "DestinyInventoryItemDefinition"));
  g_assert_nonnull (strstr (german.out, "downloaded now"));
}

/* Without the network, the cache answers, with a warning. */
static void
test_manifest_offline (void)
{
  static const char * const env[] = { "QM_API_KEY=sandbox-api-key", NULL };
  g_auto(QmTestRun) cached = { 0 };
  g_auto(QmTestRun) offline = { 0 };
  g_auto(QmTestRun) nothing = { 0 };

  run_cli (&nothing, env, (const char *[]) { "--origin", "http://127.0.0.1:9", "manifest", NULL });
  g_assert_cmpint (nothing.status, ==, 1);
  /* One sentence, said once (not "Could not reach Bungie.net: Could not reach …"). */
  g_assert_cmpstr (nothing.err, ==,
                   "quartermaster-cli: Could not reach Bungie.net. Check your internet connection.\n");

  run_cli (&cached, NULL, (const char *[]) { "--sandbox", "manifest", NULL });
  g_assert_cmpint (cached.status, ==, 0);
  run_cli (&offline, env, (const char *[]) { "--origin", "http://127.0.0.1:9", "manifest", NULL });
  g_assert_cmpint (offline.status, ==, 0);
  g_assert_cmpstr (offline.err, ==, "quartermaster-cli: warning: Could not reach Bungie.net. Check "
                   "your internet connection. Showing the cached definitions.\n");
  g_assert_nonnull (strstr (offline.out, "Version:  sandbox.0.0 (cached)"));
}

static void
test_usage (void)
{
  g_auto(QmTestRun) run = { 0 };

  run_cli (&run, NULL, (const char *[]) { "--sandbox", "--language", "de", "inventory", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--language works only with “manifest”"));
}

/* An unknown language is refused, with the known ones, before anything is
 * asked (here of an origin nobody answers on); one the manifest does not
 * offer is refused with the offered ones. */
static void
test_unknown_language (void)
{
  static const char * const env[] = { "QM_API_KEY=sandbox-api-key", NULL };
  g_auto(QmTestRun) unknown = { 0 };
  g_auto(QmTestRun) unknown_json = { 0 };
  g_auto(QmTestRun) not_offered = { 0 };
  g_auto(QmTestRun) empty = { 0 };

  run_cli (&unknown, env, (const char *[]) { "--origin", "http://127.0.0.1:9", "manifest",
                                              "--language", "xx", NULL });
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_nonnull (strstr (unknown.err, "“xx”"));
  g_assert_nonnull (strstr (unknown.err, "de, en, es, es-mx, fr, it, ja, ko, pl, pt-br, ru, zh-chs, zh-cht\n"));

  run_cli (&unknown_json, NULL, (const char *[]) { "--sandbox", "manifest", "--json", "--language", "klingon", NULL });
  g_assert_cmpint (unknown_json.status, ==, 2);
  g_assert_cmpstr (unknown_json.out, ==, "");

  /* The sandbox offers German and English only. */
  run_cli (&not_offered, NULL, (const char *[]) { "--sandbox", "manifest", "--language", "ja", NULL });
  g_assert_cmpint (not_offered.status, ==, 2);
  g_assert_cmpstr (not_offered.out, ==, "");
  g_assert_nonnull (strstr (not_offered.err, "“ja”: use one of de, en\n"));

  /* Empty: the desktop's language, as without the option. */
  run_cli (&empty, NULL, (const char *[]) { "--sandbox", "manifest", "--language", "", NULL });
  g_assert_cmpint (empty.status, ==, 0);
}

static guint
count_unnamed (JsonArray *items,
               guint32    hash,
               guint     *with_hash)
{
  guint unnamed = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gboolean named = qm_json_get_string (item, "name") != NULL;

      if (qm_json_get_hash (item, "hash") == hash)
        {
          (*with_hash)++;
          g_assert_false (named);
          g_assert_true (json_node_is_null (json_object_get_member (item, "tier")));
        }
      else if (!named)
        unnamed++;
      else
        g_assert_nonnull (qm_json_get_string (item, "tier"));
    }
  return unnamed;
}

/* `inventory --json` names every item from the cached definitions, and
 * still works when one definition is missing. */
static void
test_inventory_names (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autofree char *token_env = g_strconcat ("QM_ACCESS_TOKEN=", token, NULL);
  const char *env[] = { "QM_API_KEY=sandbox-api-key", token_env, NULL };
  const char *args[] = { "--origin", qm_sandbox_get_bungie_origin (sandbox), "inventory", "--json", NULL };
  g_auto(QmTestRun) named = { 0 };
  g_auto(QmTestRun) missing = { 0 };
  g_auto(QmTestRun) builtin = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) missing_root = NULL;
  g_autoptr(JsonNode) builtin_root = NULL;
  JsonObject *object;
  JsonArray *vault;
  guint32 hash;
  guint with_hash = 0;

  run_cli (&named, env, args);
  g_assert_cmpint (named.status, ==, 0);
  object = parse_object (named.out, &root);
  vault = qm_json_get_array (object, "vault");
  g_assert_cmpuint (json_array_get_length (vault), >, 10);
  g_assert_cmpuint (count_unnamed (vault, 0, &with_hash), ==, 0);

  /* A definition Bungie no longer has, in a new content version. */
  hash = qm_json_get_hash (json_array_get_object_element (vault, 0), "hash");
  g_assert_true (qm_sandbox_world_remove_definition (world, "DestinyInventoryItemDefinition", hash));
  qm_sandbox_world_set_content_version (world, "sandbox.missing");
  run_cli (&missing, env, args);
  g_assert_cmpint (missing.status, ==, 0);
  object = parse_object (missing.out, &missing_root);
  g_assert_cmpuint (count_unnamed (qm_json_get_array (object, "vault"), hash, &with_hash), ==, 0);
  g_assert_cmpuint (with_hash, >=, 1);
  qm_sandbox_stop (sandbox);

  /* The built-in sandbox: every name and tier. */
  run_cli (&builtin, NULL, (const char *[]) { "--sandbox", "inventory", "--json", NULL });
  g_assert_cmpint (builtin.status, ==, 0);
  object = parse_object (builtin.out, &builtin_root);
  with_hash = 0;
  g_assert_cmpuint (count_unnamed (qm_json_get_array (object, "vault"), 0, &with_hash), ==, 0);
  g_assert_cmpuint (count_unnamed (qm_json_get_array (object, "account"), 0, &with_hash), ==, 0);
}

/* `inventory` heads a bucket the built-in table lacks with the name its
 * definition gives, not "Bucket 4092644516:". */
static void
test_inventory_bucket_names (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autofree char *token_env = g_strconcat ("QM_ACCESS_TOKEN=", token, NULL);
  const char *env[] = { "QM_API_KEY=sandbox-api-key", token_env, NULL };
  const char *args[] = { "--origin", qm_sandbox_get_bungie_origin (sandbox), "inventory", NULL };
  JsonObject *inventories = qm_sandbox_world_component (world, "characterInventories");
  g_autoptr(GList) characters = json_object_get_values (inventories);
  JsonArray *items = qm_json_get_array (json_node_get_object (characters->data), "items");
  JsonObject *item;
  g_auto(QmTestRun) run = { 0 };

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  item = json_array_get_object_element (items, 0);
  json_object_set_int_member (item, "bucketHash", 4092644516u);
  qm_test_add_bucket_definition (world, 4092644516u, QM_BUCKET_ENGRAMS, "Seasonal Relics");
  qm_sandbox_world_set_content_version (world, "sandbox.buckets");

  run_cli (&run, env, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\nSeasonal Relics:\n"));
  g_assert_null (strstr (run.out, "Bucket 4092644516"));
  qm_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);
  g_setenv ("LANGUAGE", "en_US", TRUE);

  g_test_add_func ("/cli-manifest/manifest", test_manifest_command);
  g_test_add_func ("/cli-manifest/offline", test_manifest_offline);
  g_test_add_func ("/cli-manifest/usage", test_usage);
  g_test_add_func ("/cli-manifest/unknown-language", test_unknown_language);
  g_test_add_func ("/cli-manifest/inventory-names", test_inventory_names);
  g_test_add_func ("/cli-manifest/inventory-bucket-names", test_inventory_bucket_names);

  return g_test_run ();
}
