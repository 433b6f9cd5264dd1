/* qm-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "qm-item.h"
#include "qm-json.h"
#include "qm-test-utils.h"


void
qm_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

gboolean
qm_test_flag_cb (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

void
qm_test_wait (gboolean *done,
              guint     timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, qm_test_flag_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (timed_out)
    g_error ("timed out after %u s waiting for an async call", timeout_s);
}

void
qm_test_wait_until (gboolean    (*condition) (gpointer data),
                    gpointer      data,
                    guint         timeout_s,
                    const char   *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, qm_test_flag_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u s waiting for %s", timeout_s, what);
  g_source_remove (id);
}

void
qm_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, qm_test_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
qm_test_result_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QmTestResult *res = user_data;

  g_assert_null (res->result);
  res->result = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GAsyncResult *
qm_test_wait_result (QmTestResult *res)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, qm_test_flag_cb, &timed_out);

  while (res->result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for an async result");
  g_source_remove (id);
  return res->result;
}

void
qm_test_result_clear (QmTestResult *res)
{
  g_clear_object (&res->result);
}

QmSandbox *
qm_test_sandbox_new (const QmSandboxOptions *options)
{
  QmSandboxOptions defaults = { 0 };
  g_autoptr(GError) error = NULL;
  QmSandbox *sandbox;

  sandbox = qm_sandbox_new (options != NULL ? options : &defaults, &error);
  g_assert_no_error (error);
  qm_sandbox_start (sandbox, &error);
  g_assert_no_error (error);
  return sandbox;
}

QmBungieClient *
qm_test_client_new (QmSandbox *sandbox,
                    gboolean   signed_in)
{
  QmBungieClient *client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox),
                                                 QM_SANDBOX_API_KEY);

  if (signed_in)
    {
      g_autofree char *token = qm_sandbox_issue_access_token (sandbox);

      qm_bungie_client_set_access_token (client, token);
    }
  return client;
}

SoupSession *
qm_test_soup_session_new (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      {
        g_string_append_len (captured_log, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value) : fields[i].length);
        g_string_append_c (captured_log, ' ');
      }
  g_string_append_c (captured_log, '\n');
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

GString *
qm_test_capture_log (void)
{
  g_return_val_if_fail (captured_log == NULL, captured_log);

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  return captured_log;
}

char *
qm_test_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

GBytes *
qm_test_load_fixture (const char *name)
{
  g_autofree char *path = qm_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

JsonNode *
qm_test_load_json_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = qm_test_load_fixture (name);
  g_autoptr(GError) error = NULL;
  JsonNode *node = qm_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return node;
}

gboolean
qm_test_contract_check (const char  *path,
                        const char  *definition_table,
                        char       **output)
{
  const char *checker = g_getenv ("QM_CONTRACT_CHECK");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status = 0;

  if (checker == NULL)
    g_error ("QM_CONTRACT_CHECK is not set: run the tests with meson test");

  g_ptr_array_add (argv, (char *) checker);
  if (definition_table != NULL)
    {
      g_ptr_array_add (argv, (char *) "--definition");
      g_ptr_array_add (argv, (char *) definition_table);
    }
  g_ptr_array_add (argv, (char *) path);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  text = g_strconcat (out, err, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s", lines[i]);
  if (output != NULL)
    *output = g_steal_pointer (&text);
  return g_spawn_check_wait_status (status, NULL);
}

/* Serve a bucket definition named @name under @hash, shaped like the
 * definition of the bucket @like. */
void
qm_test_add_bucket_definition (QmSandboxWorld *world,
                               guint32         hash,
                               guint32         like,
                               const char     *name)
{
  JsonObject *model = qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition", like);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy = NULL;
  JsonObject *definition;

  g_assert_nonnull (model);
  node = json_node_init_object (json_node_alloc (), model);
  copy = qm_json_node_deep_copy (node);
  definition = json_node_get_object (copy);
  json_object_set_int_member (definition, "hash", hash);
  json_object_set_string_member (qm_json_get_object (definition, "displayProperties"), "name", name);
  qm_sandbox_world_add_definition (world, "DestinyInventoryBucketDefinition", hash, definition);
}

void
qm_test_write_json (const char *dir,
                    const char *name,
                    JsonNode   *node)
{
  g_autofree char *path = dir != NULL ? g_build_filename (dir, name, NULL) : g_strdup (name);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
qm_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          qm_test_remove_tree (child);
        }
    }
  g_remove (path);
}

JsonObject *
qm_test_parse_document (const char  *text,
                        JsonNode   **root)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_suffix (text, "}\n"));
  *root = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

void
qm_test_run_clear (QmTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

char *
qm_test_build_path (const char *dir,
                    const char *name)
{
  const char *root = g_getenv ("QM_BUILD_ROOT");

  if (root == NULL)
    g_error ("QM_BUILD_ROOT is not set: run the tests with meson test");
  if (dir == NULL)
    return g_build_filename (root, "src", name, NULL);
  return g_build_filename (root, "src", dir, name, NULL);
}

char **
qm_test_child_environ (void)
{
  char **envp = g_get_environ ();
  const char *asan = g_environ_getenv (envp, "ASAN_OPTIONS");
  g_autofree char *options = NULL;

  if (asan == NULL || strstr (asan, "fast_unwind_on_malloc=0") == NULL)
    return envp;
  options = g_strconcat (asan, ":fast_unwind_on_malloc=1", NULL);
  return g_environ_setenv (envp, "ASAN_OPTIONS", options, TRUE);
}

char **
qm_test_environ_gtk_lsan (char **envp)
{
  const char *source_root = g_getenv ("QM_SOURCE_ROOT");
  g_autofree char *program = g_path_get_basename (g_get_prgname ());
  g_autofree char *project_supp = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *combined = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *options = NULL;
  g_autoptr(GError) error = NULL;

  if (source_root == NULL)
    return envp;
  project_supp = g_build_filename (source_root, "tests", "lsan.supp", NULL);
  if (!g_file_get_contents (project_supp, &contents, NULL, NULL))
    return envp;
  combined = g_strconcat (contents, "\nleak:gtk_icon_theme_lookup_icon\n", NULL);
  name = g_strdup_printf ("%s-lsan.supp", program);
  path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_file_set_contents (path, combined, -1, &error);
  g_assert_no_error (error);
  options = g_strdup_printf ("suppressions=%s:print_suppressions=0", path);
  return g_environ_setenv (envp, "LSAN_OPTIONS", options, TRUE);
}

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  QmTestRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

void
qm_test_run (QmTestRun           *run,
             const char * const  *argv,
             char               **envp,
             const char          *input)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_auto(GStrv) own_envp = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_return_if_fail (run != NULL && run->out == NULL && run->err == NULL);

  if (envp == NULL)
    envp = own_envp = qm_test_child_environ ();
  g_subprocess_launcher_set_environ (launcher, envp);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL, on_communicated_cb, run);
  while (run->out == NULL)
    g_main_context_iteration (NULL, TRUE);
  length = strlen (run->err);
  g_test_message ("%s → %d", argv[1] != NULL ? argv[1] : argv[0], run->status);
  /* A failure's reason: the end of what it wrote to stderr. */
  if (run->status != 0)
    g_test_message ("stderr ends: %s", run->err + (length > 2000 ? length - 2000 : 0));
}

void
qm_test_run_cli (QmTestRun   *run,
                 char       **envp,
                 const char  *input,
                 const char  *first,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  g_ptr_array_add (argv, qm_test_build_path ("cli", "quartermaster-cli"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  qm_test_run (run, (const char * const *) argv->pdata, envp, input);
}

/* ------------------------------------------------------------------------
 * Comparing accounts
 * ------------------------------------------------------------------------ */

static int
compare_strings (const char **a,
                 const char **b)
{
  return strcmp (*a, *b);
}

/* @lines sorted and joined, a newline after each; @stacks (char * ->
 * total) added as "KEY =TOTAL" lines first. */
static char *
join_sorted (GPtrArray  *lines,
             GHashTable *stacks)
{
  GHashTableIter iter;
  gpointer key, value;
  GString *out = g_string_new (NULL);

  g_hash_table_iter_init (&iter, stacks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (lines, g_strdup_printf ("%s =%d", (char *) key, GPOINTER_TO_INT (value)));
  g_ptr_array_sort (lines, (GCompareFunc) compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

static void
add_to_stack (GHashTable *stacks,
              char       *key,
              int         quantity)
{
  int total = GPOINTER_TO_INT (g_hash_table_lookup (stacks, key)) + quantity;

  g_hash_table_replace (stacks, key, GINT_TO_POINTER (total));
}

char *
qm_test_profile_signature (QmProfile *profile)
{
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GHashTable) stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      const char *where = qm_item_location_to_string (qm_item_get_location (item));
      const char *owner = qm_item_get_character_id (item) != NULL ? qm_item_get_character_id (item) : "-";

      if (qm_item_get_instance_id (item) != NULL)
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %s%s", qm_item_get_instance_id (item), where, owner,
                                                 qm_item_get_locked (item) ? " locked" : ""));
      else
        add_to_stack (stacks, g_strdup_printf ("h%u %s %s", qm_item_get_hash (item), where, owner),
                      qm_item_get_quantity (item));
    }
  return join_sorted (lines, stacks);
}

char *
qm_test_profile_holdings (QmProfile *profile)
{
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GHashTable) stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_instance_id (item) != NULL)
        g_ptr_array_add (lines, g_strdup (qm_item_get_instance_id (item)));
      else
        add_to_stack (stacks, g_strdup_printf ("h%u", qm_item_get_hash (item)), qm_item_get_quantity (item));
    }
  return join_sorted (lines, stacks);
}

QmProfile *
qm_test_sandbox_profile (QmSandbox *sandbox)
{
  g_autofree char *json = qm_sandbox_dup_profile_json (sandbox);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  QmProfile *profile;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  return profile;
}

char *
qm_test_sandbox_signature (QmSandbox *sandbox)
{
  g_autoptr(QmProfile) profile = qm_test_sandbox_profile (sandbox);

  return qm_test_profile_signature (profile);
}

char *
qm_test_sandbox_holdings (QmSandbox *sandbox)
{
  g_autoptr(QmProfile) profile = qm_test_sandbox_profile (sandbox);

  return qm_test_profile_holdings (profile);
}
