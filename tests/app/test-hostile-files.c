/* test-hostile-files.c: whatever lies at the cache paths, nothing blocks,
 * nothing reads without end, nothing dies of SIGBUS
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qm-cache-file.h"
#include "qm-manifest-cache.h"
#include "qm-profile-cache.h"
#include "qm-test-utils.h"

/* The demo account's Destiny membership (seed 0). */
#define DEMO_MEMBERSHIP "4611686018400000001"

/* Seconds a run may take before it counts as blocked. */
#define DEADLINE_S 120

/* ---------------------------------------------------------------------- */
/* The reader itself, in a thread that must come back                     */

typedef struct
{
  const char *path;
  gsize       max_size;
  GBytes     *bytes;
  GError     *error;
  gboolean    done;
} Read;

static gpointer
read_thread (gpointer data)
{
  Read *read = data;

  read->bytes = qm_cache_file_read (read->path, read->max_size, &read->error);
  g_atomic_int_set (&read->done, TRUE);
  return NULL;
}

/* qm_cache_file_read() on @path, failing the test if it does not return
 * within a few seconds (the blocked thread is left behind: the test
 * program aborts at once). */
static GBytes *
read_within_deadline (const char  *path,
                      gsize        max_size,
                      GError     **error)
{
  Read read = { path, max_size, NULL, NULL, FALSE };
  GThread *thread = g_thread_new ("read", read_thread, &read);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&read.done))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("reading %s did not return within 10 s", path);
      g_usleep (10000);
    }
  g_thread_join (thread);
  if (read.error != NULL)
    g_propagate_error (error, read.error);
  return read.bytes;
}

static void
test_read_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "file", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "0123456789", 10, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  bytes = read_within_deadline (path, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "0123456789", 10);
  g_assert_cmpuint ((guintptr) g_bytes_get_data (bytes, NULL) % 8, ==, 0);
  g_clear_pointer (&bytes, g_bytes_unref);

  bytes = read_within_deadline (empty, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);

  /* One byte over the limit. */
  none = read_within_deadline (path, 9, &error);
  g_assert_null (none);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (read_within_deadline (dir, 10, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);

  g_unlink (path);
  g_assert_null (read_within_deadline (path, 10, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_unlink (empty);
  g_rmdir (dir);
}

static void
test_read_fifo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "fifo", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_null (read_within_deadline (path, 1 << 20, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_read_dev_zero (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "zero", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  g_assert_null (read_within_deadline (path, 1 << 20, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_unlink (path);
  g_rmdir (dir);
}

/* The saved profile and the manifest cache's opener go through the reader. */
static void
test_profile_cache_fifo (void)
{
  g_autofree char *path = qm_profile_cache_get_path (DEMO_MEMBERSHIP);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  bytes = qm_profile_cache_load (DEMO_MEMBERSHIP, &error);
  g_assert_null (bytes);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_unlink (path);

  g_clear_error (&error);
  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  g_assert_null (qm_profile_cache_load (DEMO_MEMBERSHIP, &error));
  g_assert_nonnull (error);
  g_unlink (path);
}

static void
test_manifest_cache_fifo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "en.0.cache", NULL);
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  cache = qm_manifest_cache_open (path, &error);
  g_assert_null (cache);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_unlink (path);
  g_rmdir (dir);
}

/* A cache truncated by another process once opened: lookups go on (a mapped
 * file would kill the process with SIGBUS on the first page past the end). */
static void
test_manifest_cache_truncated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "en.0.cache", NULL);
  g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new ("en", "v1", "k");
  g_autoptr(GString) table = g_string_new ("{");
  g_autoptr(GBytes) file = NULL;
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  guint found = 0;

  /* Enough definitions for the file to span many pages. */
  for (guint i = 1; i <= 4000; i++)
    g_string_append_printf (table, "%s\"%u\":{\"hash\":%u,\"displayProperties\":{\"name\":"
                            "\"Item number %u with a name long enough\",\"icon\":\"/i/%u.png\"},"
                            "\"itemTypeDisplayName\":\"Hand Cannon\"}",
                            i > 1 ? "," : "", i, i, i, i);
  g_string_append_c (table, '}');
  g_assert_true (qm_manifest_cache_builder_add_table (builder, QM_TABLE_ITEM, table->str, table->len, &error));
  g_assert_no_error (error);
  file = qm_manifest_cache_builder_end (builder);
  g_assert_cmpuint (g_bytes_get_size (file), >, 64 * 1024);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (file, NULL), (gssize) g_bytes_get_size (file),
                                      &error));

  cache = qm_manifest_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cache);
  g_assert_cmpint (truncate (path, 0), ==, 0);

  for (guint32 hash = 4000; hash >= 1; hash--)
    {
      QmItemDefinition definition;

      if (qm_manifest_cache_lookup_item (cache, hash, &definition))
        found++;
    }
  g_assert_cmpuint (found, ==, 4000);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------------- */
/* quartermaster-cli end to end: it must finish                            */

static char *
cli_path (void)
{
  const char *root = g_getenv ("QM_BUILD_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "src", "cli", "quartermaster-cli", NULL);
}

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out[0], &out[1], &error);
  g_assert_no_error (error);
  out[2] = (char *) 1;
  g_main_context_wakeup (NULL);
}

/* `quartermaster-cli --sandbox inventory --json`: its exit status; killed
 * and failed after DEADLINE_S. */
static int
run_inventory (char **out)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *cli = cli_path ();
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *results[3] = { NULL, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  /* The fast unwinder: the slow one makes the CLI ten times slower. */
  if (asan != NULL)
    {
      g_autofree char *options = g_strconcat (asan, ":fast_unwind_on_malloc=1", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  /* The test's own directories (isolated, but not in the environment). */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "--sandbox", "inventory", "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, results);
  while (results[2] == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_subprocess_force_exit (process);
          g_error ("quartermaster-cli did not finish within %d s", DEADLINE_S);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_test_message ("stderr: %s", results[1]);
  g_free (results[1]);
  *out = results[0];
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
only_file_in (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".cache") || g_str_has_suffix (name, ".json"))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

typedef enum
{
  REPLACE_FIFO,
  REPLACE_DEV_ZERO,
} Replacement;

static void
replace (const char  *path,
         Replacement  how)
{
  g_assert_cmpint (g_unlink (path), ==, 0);
  if (how == REPLACE_FIFO)
    g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  else
    g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
}

/* A first run leaves the manifest cache and the saved profile; the second
 * finds @what replaced and still prints the whole inventory. */
static void
check_cli_survives (const char  *what,
                    Replacement  how)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "quartermaster", what, NULL);
  g_autofree char *path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GStatBuf st;

  g_assert_cmpint (run_inventory (&first), ==, 0);
  path = only_file_in (dir);
  replace (path, how);

  g_assert_cmpint (run_inventory (&second), ==, 0);
  g_assert_cmpstr (second, ==, first);
  /* The hostile file has made way for a real cache. */
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
}

static void
test_cli_profile_fifo (void)
{
  check_cli_survives ("profiles", REPLACE_FIFO);
}

static void
test_cli_profile_dev_zero (void)
{
  check_cli_survives ("profiles", REPLACE_DEV_ZERO);
}

static void
test_cli_manifest_fifo (void)
{
  check_cli_survives ("manifest", REPLACE_FIFO);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/hostile-files/read/regular", test_read_regular);
  g_test_add_func ("/hostile-files/read/fifo", test_read_fifo);
  g_test_add_func ("/hostile-files/read/dev-zero", test_read_dev_zero);
  g_test_add_func ("/hostile-files/profile-cache", test_profile_cache_fifo);
  g_test_add_func ("/hostile-files/manifest-cache/fifo", test_manifest_cache_fifo);
  g_test_add_func ("/hostile-files/manifest-cache/truncated", test_manifest_cache_truncated);
  g_test_add_func ("/hostile-files/cli/profile-fifo", test_cli_profile_fifo);
  g_test_add_func ("/hostile-files/cli/profile-dev-zero", test_cli_profile_dev_zero);
  g_test_add_func ("/hostile-files/cli/manifest-fifo", test_cli_manifest_fifo);

  return g_test_run ();
}
