/* test-cli-move.c: quartermaster-cli move, equip, lock, unlock, pull end to end
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built program (QM_BUILD_ROOT/src/cli/quartermaster-cli) on its
 * built-in sandbox: the demo account, the Titan's equipped kinetic weapon
 * 6917529100000000001 and the Hunter 2305843009300000002.
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "qm-json.h"
#include "qm-test-utils.h"

#define TITAN_KINETIC "6917529100000000001"
#define HUNTER        "2305843009300000002"

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* The CLI's leaks are still checked, with the fast unwinder. */
static char **
cli_environ (void)
{
  char **envp = g_get_environ ();
  const char *asan = g_environ_getenv (envp, "ASAN_OPTIONS");
  g_autofree char *options = NULL;

  if (asan == NULL || strstr (asan, "fast_unwind_on_malloc=0") == NULL)
    return envp;
  options = g_strconcat (asan, ":fast_unwind_on_malloc=1", NULL);
  return g_environ_setenv (envp, "ASAN_OPTIONS", options, TRUE);
}

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = cli_environ ();
  g_autoptr(GError) error = NULL;
  const char *root = g_getenv ("QM_BUILD_ROOT");
  const char *arg;
  va_list args;

  g_assert_nonnull (root);
  g_ptr_array_add (argv, g_build_filename (root, "src", "cli", "quartermaster-cli", NULL));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", run->out, run->err);
  run->status = WIFEXITED (run->status) ? WEXITSTATUS (run->status) : -1;
}

static JsonObject *
parse_document (const char *text,
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
assert_move_plan (JsonArray *plan)
{
  JsonObject *first, *last;

  /* A replacement equipped on the Titan (another item), through the
   * vault, equipped on the Hunter. */
  g_assert_cmpuint (json_array_get_length (plan), ==, 4);
  first = json_array_get_object_element (plan, 0);
  last = json_array_get_object_element (plan, 3);
  g_assert_cmpstr (json_object_get_string_member (first, "action"), ==, "EquipItem");
  g_assert_true (json_object_get_boolean_member (first, "other_item"));
  g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, "dequip");
  g_assert_cmpstr (json_object_get_string_member (last, "action"), ==, "EquipItem");
  g_assert_cmpstr (json_object_get_string_member (last, "item"), ==, TITAN_KINETIC);
  g_assert_cmpstr (json_object_get_string_member (last, "character"), ==, HUNTER);
  g_assert_false (json_object_get_boolean_member (last, "other_item"));
}

static void
test_dry_run (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *doc;

  run_cli (&run, "--sandbox", "move", TITAN_KINETIC, "--to", HUNTER, "--equip", "--dry-run", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  doc = parse_document (run.out, &root);
  g_assert_true (json_object_get_boolean_member (doc, "dry_run"));
  g_assert_true (json_object_get_boolean_member (doc, "ok"));
  assert_move_plan (json_object_get_array_member (doc, "plan"));

  run_cli (&text, "--sandbox", "move", TITAN_KINETIC, "--to", HUNTER, "--equip", "--dry-run", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "1 step moves an item you did not name"));
  g_assert_nonnull (strstr (text.out, " 1.* Equip "));
  g_assert_null (strstr (text.out, "Done."));
}

static void
test_move (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = g_dir_make_tmp ("qm-cli-move-XXXXXX", NULL);
  g_autofree char *record = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *output = NULL;
  JsonObject *doc;

  run_cli (&run, "--sandbox", "--record", record, "move", TITAN_KINETIC, "--to", HUNTER, "--equip", "--json",
           NULL);
  g_assert_cmpint (run.status, ==, 0);
  doc = parse_document (run.out, &root);
  g_assert_false (json_object_get_boolean_member (doc, "dry_run"));
  g_assert_true (json_object_get_boolean_member (doc, "ok"));
  g_assert_true (json_object_get_null_member (doc, "error"));
  assert_move_plan (json_object_get_array_member (doc, "plan"));

  /* What went over the wire conforms to Bungie's spec. */
  if (!qm_test_contract_check (record, NULL, &output))
    g_test_fail_printf ("the recorded traffic does not conform to the spec:\n%s", output);
  g_unlink (record);
  g_rmdir (dir);
}

static void
test_commands (void)
{
  g_auto(Run) lock = { 0 };
  g_auto(Run) equip = { 0 };
  g_auto(Run) vault = { 0 };

  run_cli (&lock, "--sandbox", "lock", "6917529100000000015", NULL);
  g_assert_cmpint (lock.status, ==, 0);
  g_assert_nonnull (strstr (lock.out, "Lock "));
  g_assert_nonnull (strstr (lock.out, "Done."));

  /* Thorn, on the Warlock: equipped there. */
  run_cli (&equip, "--sandbox", "equip", "6917529100000000152", NULL);
  g_assert_cmpint (equip.status, ==, 0);
  g_assert_nonnull (strstr (equip.out, "Equip Thorn on your Warlock"));

  run_cli (&vault, "--sandbox", "move", "6917529100000000015", "--to", "vault", NULL);
  g_assert_cmpint (vault.status, ==, 0);
  g_assert_nonnull (strstr (vault.out, "to the vault"));
}

static void
test_failures (void)
{
  g_auto(Run) unknown = { 0 };
  g_auto(Run) pull = { 0 };
  g_auto(Run) usage = { 0 };
  g_auto(Run) argument = { 0 };
  g_auto(Run) character = { 0 };
  g_auto(Run) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *doc;

  run_cli (&unknown, "--sandbox", "move", "999", "--to", "vault", NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "no item with the instance ID 999"));

  run_cli (&pull, "--sandbox", "pull", "6917529100000000015", NULL);
  g_assert_cmpint (pull.status, ==, 1);
  g_assert_nonnull (strstr (pull.err, "is not at the postmaster"));

  run_cli (&usage, "--sandbox", "move", TITAN_KINETIC, NULL);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_nonnull (strstr (usage.err, "--to"));

  run_cli (&argument, "--sandbox", "lock", NULL);
  g_assert_cmpint (argument.status, ==, 2);
  g_assert_nonnull (strstr (argument.err, "instance ID"));

  run_cli (&character, "--sandbox", "move", TITAN_KINETIC, "--to", "123", NULL);
  g_assert_cmpint (character.status, ==, 1);
  g_assert_nonnull (strstr (character.err, "no character with the ID 123"));

  /* --json still gives a document, with the reason. */
  run_cli (&json, "--sandbox", "pull", "6917529100000000015", "--json", NULL);
  g_assert_cmpint (json.status, ==, 1);
  doc = parse_document (json.out, &root);
  g_assert_false (json_object_get_boolean_member (doc, "ok"));
  g_assert_nonnull (strstr (json_object_get_string_member (doc, "error"), "postmaster"));
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/cli-move/dry-run", test_dry_run);
  g_test_add_func ("/cli-move/move", test_move);
  g_test_add_func ("/cli-move/commands", test_commands);
  g_test_add_func ("/cli-move/failures", test_failures);
  return g_test_run ();
}
