/* qm-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-test-utils.h"

#include "qm-json.h"

void
qm_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
qm_test_wait (gboolean *done,
              guint     timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (timed_out)
    g_error ("timed out after %u s waiting for an async call", timeout_s);
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
  guint id = g_timeout_add_seconds (60, on_timeout_cb, &timed_out);

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
