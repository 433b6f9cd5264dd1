/* test-cli-loadout.c: quartermaster-cli loadout-save and loadout-apply end to end
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command runs its own in-process sandbox (the same demo account); the
 * loadouts file under the test's XDG data directory carries the loadout
 * from one to the next.
 */

#include "config.h"

#include <string.h>

#include "qm-loadout-store.h"
#include "qm-test-utils.h"

#define TITAN   "2305843009300000001"
#define HUNTER  "2305843009300000002"

/* GLib's isolated directories are given to child processes as /dev/null:
 * the command line gets this test's own. */
static char **
cli_environ (void)
{
  char **envp = qm_test_child_environ ();

  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  return g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
}

#define cli(run, ...) G_STMT_START { g_auto(GStrv) envp_ = cli_environ (); \
  qm_test_run_cli ((run), envp_, NULL, __VA_ARGS__); } G_STMT_END

static void
test_save_and_apply (void)
{
  g_auto(QmTestRun) run = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  QmSavedLoadout *loadout;

  cli (&run, "--sandbox", "loadout-save", "Titan gear", TITAN, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Saved “Titan gear” with"));
  qm_test_run_clear (&run);

  path = g_build_filename (g_get_user_data_dir (), "quartermaster", "loadouts", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    const char *name = g_dir_read_name (dir);
    g_autofree char *file = g_build_filename (path, name, NULL);

    store = qm_loadout_store_new_for_path (file);
  }
  loadout = qm_loadout_store_find (store, "Titan gear");
  g_assert_nonnull (loadout);
  g_assert_cmpint (qm_saved_loadout_get_class_type (loadout), ==, 0);
  g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), >=, 8);

  /* The same name again: refused. */
  cli (&run, "--sandbox", "loadout-save", "Titan gear", TITAN, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "already"));
  qm_test_run_clear (&run);

  /* On the Titan, everything is already there. */
  cli (&run, "--sandbox", "loadout-apply", "Titan gear", TITAN, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "0 equipped, 0 moved,"));
  g_assert_nonnull (strstr (run.out, "already there."));
  qm_test_run_clear (&run);

  /* A Titan loadout on the Hunter: refused before anything moves. */
  cli (&run, "--sandbox", "loadout-apply", "Titan gear", HUNTER, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "is a Titan loadout"));
}

static void
test_usage (void)
{
  g_auto(QmTestRun) run = { 0 };

  cli (&run, "--sandbox", "loadout-apply", "X", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "NAME CHARACTER_ID"));
  qm_test_run_clear (&run);

  cli (&run, "--sandbox", "loadout-save", "X", TITAN, "--dry-run", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--dry-run"));
  qm_test_run_clear (&run);

  cli (&run, "--sandbox", "loadout-apply", "Nothing saved", TITAN, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no saved loadout"));
  qm_test_run_clear (&run);

  cli (&run, "--sandbox", "loadout-apply", "X", "12", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no character"));
}

/* A damaged file: the command says so and leaves it alone. */
static void
test_damaged (void)
{
  g_auto(QmTestRun) run = { 0 };
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "quartermaster", "loadouts", NULL);
  g_autofree char *path = g_build_filename (dir, "4611686018400000001.json", NULL);
  g_autofree char *content = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, "{not json", -1, NULL));
  cli (&run, "--sandbox", "loadout-save", "X", TITAN, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot be read"));
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "{not json");
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/cli-loadout/save-and-apply", test_save_and_apply);
  g_test_add_func ("/cli-loadout/usage", test_usage);
  g_test_add_func ("/cli-loadout/damaged", test_damaged);

  return g_test_run ();
}
