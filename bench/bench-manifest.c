/* bench-manifest.c: the manifest's first-run ingest and warm lookups, at real scale
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts `quartermaster-sandbox --items 30000` (a ~105 MB item table) as a
 * child process, then prints the medians of:
 *
 *   - first-run ingest: GetDestinyManifest, the download of every table the
 *     app uses over loopback and the cache build, into an empty cache
 *     directory, in a child process per run (this program with --ingest):
 *     wall time and peak resident set (wait4's rusage), 5 runs;
 *   - warm open of that cache and 1,000 random item lookups, 20 runs;
 *   - the reference, `node -e 'JSON.parse(fs.readFileSync(F))'` on the same
 *     item table's bytes, 5 runs (DIM's engine).
 *
 * Targets: ingest ≤ 1.0× node, peak RSS ≤ 250 MB, open + 1,000 lookups ≤ 20 ms.
 *
 * bench-manifest [--items N] [--runs N] [--sandbox PATH]; PATH defaults to
 * $QM_BUILD_ROOT/src/sandbox/quartermaster-sandbox.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qm-bungie-client.h"
#include "qm-json-scan.h"
#include "qm-manifest.h"
#include "qm-sandbox.h"

#define WARM_RUNS 20
#define LOOKUPS 1000

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Child mode: one ingest into @cache_dir, as the app's first run does. */
static int
ingest (const char *origin,
        const char *cache_dir)
{
  g_autoptr(QmBungieClient) client = qm_bungie_client_new (origin, QM_SANDBOX_API_KEY);
  g_autoptr(QmManifest) manifest = qm_manifest_new (cache_dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean downloaded = FALSE;

  qm_manifest_set_language (manifest, "en");
  qm_manifest_update_async (manifest, client, NULL, on_done_cb, &result);
  if (!qm_manifest_update_finish (manifest, wait_result (&result), &downloaded, &error))
    {
      g_printerr ("ingest failed: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (!downloaded || qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM) == 0)
    {
      g_printerr ("ingest: nothing was downloaded\n");
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}

/* Run @argv to its end: wall time (s) and peak resident set (MiB). */
static gboolean
run_measured (const char * const  *argv,
              double              *seconds,
              double              *rss_mib,
              GError             **error)
{
  struct rusage usage = { 0 };
  gint64 start = g_get_monotonic_time ();
  GPid pid;
  int status = 0;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, error))
    return FALSE;
  if (wait4 (pid, &status, 0, &usage) != pid)
    g_error ("wait4 failed");
  *seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_spawn_close_pid (pid);
  /* ru_maxrss is in KiB on Linux. */
  *rss_mib = (double) usage.ru_maxrss / 1024;
  return g_spawn_check_wait_status (status, error);
}

typedef struct
{
  GPid  pid;
  char *origin;
} Sandbox;

/* The sandbox ends with this program, even when it stops on an error. */
static void
end_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* The sandbox as a child process; its first line says where it listens. */
static void
start_sandbox (const char *path,
               guint       n_items,
               Sandbox    *sandbox)
{
  g_autofree char *items = g_strdup_printf ("%u", n_items);
  const char *argv[] = { path, "--items", items, "--port", "0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  int out = -1;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 end_with_parent, NULL, &sandbox->pid, NULL, &out, NULL, &error))
    g_error ("Cannot start %s: %s", path, error->message);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  if (g_io_channel_read_line (channel, &line, NULL, NULL, &error) != G_IO_STATUS_NORMAL ||
      !g_str_has_prefix (line, "listening on "))
    g_error ("%s did not start: %s", path, error != NULL ? error->message : line);
  g_strchomp (line);
  sandbox->origin = g_strdup (line + strlen ("listening on "));
}

static void
stop_sandbox (Sandbox *sandbox)
{
  kill (sandbox->pid, SIGTERM);
  waitpid (sandbox->pid, NULL, 0);
  g_spawn_close_pid (sandbox->pid);
  g_free (sandbox->origin);
}

/* The item table's bytes, as the ingest downloads them, into a file. */
static char *
download_item_table (const char *origin,
                     gsize      *size)
{
  g_autoptr(QmBungieClient) client = qm_bungie_client_new (origin, QM_SANDBOX_API_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *paths;
  const char *path;
  char *file;
  int fd;

  qm_bungie_client_get_manifest_async (client, NULL, on_done_cb, &result);
  response = qm_bungie_client_get_manifest_finish (client, wait_result (&result), &error);
  g_clear_object (&result);
  if (response == NULL)
    g_error ("GetDestinyManifest: %s", error->message);
  paths = json_object_get_object_member (json_object_get_object_member (json_node_get_object (response),
                                                                        "jsonWorldComponentContentPaths"),
                                         "en");
  path = json_object_get_string_member (paths, "DestinyInventoryItemDefinition");
  qm_bungie_client_fetch_async (client, path, NULL, on_done_cb, &result);
  bytes = qm_bungie_client_fetch_finish (client, wait_result (&result), &error);
  if (bytes == NULL)
    g_error ("%s: %s", path, error->message);
  fd = g_file_open_tmp ("bench-manifest-XXXXXX.json", &file, &error);
  if (fd < 0)
    g_error ("%s", error->message);
  close (fd);
  if (!g_file_set_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_error ("%s", error->message);
  *size = g_bytes_get_size (bytes);
  return file;
}

/* Warm open of the cache in @cache_dir and LOOKUPS lookups of random
 * hashes among @hashes; seconds. */
static double
open_and_look_up (const char *cache_dir,
                  GArray     *hashes,
                  GRand      *rand)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(QmManifest) manifest = qm_manifest_new (cache_dir);
  g_autoptr(GError) error = NULL;
  guint known = 0;
  double seconds;

  qm_manifest_set_language (manifest, "en");
  if (!qm_manifest_open_cached (manifest, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < LOOKUPS; i++)
    {
      guint32 hash = g_array_index (hashes, guint32, g_rand_int_range (rand, 0, (int) hashes->len));

      known += qm_manifest_get_item (manifest, hash).known;
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  if (known != LOOKUPS)
    g_error ("%u of %u lookups found their definition", known, LOOKUPS);
  return seconds;
}

/* The item hashes of the table in @file (the keys of its object). */
static GArray *
read_hashes (const char *file)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (file, FALSE, NULL);
  GArray *hashes = g_array_new (FALSE, FALSE, sizeof (guint32));
  QmJsonScan scan;

  qm_json_scan_init (&scan, g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped));
  if (qm_json_scan_enter_object (&scan))
    while (qm_json_scan_next_member (&scan))
      {
        gsize length = 0;
        const char *name = qm_json_scan_key (&scan, &length);
        g_autofree char *key = g_strndup (name, MIN (length, 16));
        guint64 hash = 0;

        if (g_ascii_string_to_unsigned (key, 10, 1, G_MAXUINT32, &hash, NULL))
          {
            guint32 value = (guint32) hash;

            g_array_append_val (hashes, value);
          }
        qm_json_scan_skip (&scan);
      }
  if (!qm_json_scan_finish (&scan, NULL))
    g_error ("%s is not a definition table", file);
  qm_json_scan_clear (&scan);
  return hashes;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "MISSED";
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sandbox_path = NULL;
  g_autofree char *self_path = NULL;
  g_autofree char *table_file = NULL;
  g_autofree char *node = NULL;
  g_autoptr(GArray) ingest_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ingest_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) node_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) node_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hashes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autofree char *last_cache = NULL;
  Sandbox sandbox = { 0 };
  int items = 30000;
  int runs = 5;
  gsize table_size = 0;
  double ingest_s, ingest_mib, warm_ms;
  const GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &items, "Item definitions the sandbox serves (30000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of the ingest and of node (5)", "N" },
    { "sandbox", 0, 0, G_OPTION_ARG_FILENAME, &sandbox_path, "The quartermaster-sandbox to run", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the manifest benchmark");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* The child: bench-manifest --ingest ORIGIN CACHE_DIR. */
  if (argc == 4 && g_str_equal (argv[1], "--ingest"))
    return ingest (argv[2], argv[3]);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || items < 1 || runs < 1)
    {
      g_printerr ("bench-manifest: %s\n", error != NULL ? error->message : "--items and --runs take positive numbers");
      return EXIT_FAILURE;
    }
  if (sandbox_path == NULL)
    {
      const char *root = g_getenv ("QM_BUILD_ROOT");
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : g_strdup (".");

      sandbox_path = root != NULL
        ? g_build_filename (root, "src", "sandbox", "quartermaster-sandbox", NULL)
        : g_build_filename (dir, "..", "src", "sandbox", "quartermaster-sandbox", NULL);
    }
  self_path = g_file_read_link ("/proc/self/exe", &error);
  if (self_path == NULL)
    g_error ("%s", error->message);

  start_sandbox (sandbox_path, (guint) items, &sandbox);
  table_file = download_item_table (sandbox.origin, &table_size);
  hashes = read_hashes (table_file);
  g_print ("Manifest benchmark: quartermaster-sandbox --items %d, item table %.1f MB (%u definitions)\n",
           items, table_size / 1e6, hashes->len);

  for (int i = 0; i < runs; i++)
    {
      g_autofree char *cache_dir = g_dir_make_tmp ("bench-manifest-XXXXXX", &error);
      const char *child[] = { self_path, "--ingest", sandbox.origin, cache_dir, NULL };
      double seconds, mib;

      if (cache_dir == NULL)
        g_error ("%s", error->message);
      if (!run_measured (child, &seconds, &mib, &error))
        g_error ("ingest: %s", error->message);
      g_array_append_val (ingest_times, seconds);
      g_array_append_val (ingest_rss, mib);
      g_print ("  ingest run %d: %.3f s, peak RSS %.1f MiB\n", i + 1, seconds, mib);
      if (last_cache != NULL)
        remove_dir (last_cache);
      g_free (last_cache);
      last_cache = g_steal_pointer (&cache_dir);
    }

  /* Warm: the file is in the page cache, as on any start but the first
   * after a reboot. */
  for (int i = 0; i < WARM_RUNS + 1; i++)
    {
      double seconds = open_and_look_up (last_cache, hashes, rand);

      if (i > 0)
        g_array_append_val (warm_times, seconds);
    }

  node = g_find_program_in_path ("node");
  if (node != NULL)
    {
      g_autofree char *script = g_strdup_printf ("JSON.parse(require('fs').readFileSync('%s'))", table_file);
      const char *child[] = { node, "-e", script, NULL };

      for (int i = 0; i < runs; i++)
        {
          double seconds, mib;

          if (!run_measured (child, &seconds, &mib, &error))
            g_error ("node: %s", error->message);
          g_array_append_val (node_times, seconds);
          g_array_append_val (node_rss, mib);
          g_print ("  node run %d: %.3f s, peak RSS %.1f MiB\n", i + 1, seconds, mib);
        }
    }

  stop_sandbox (&sandbox);
  ingest_s = median (ingest_times);
  ingest_mib = median (ingest_rss);
  warm_ms = median (warm_times) * 1000;
  g_print ("\n%-40s %12s %8s   %s\n", "medians", "", "runs", "target");
  g_print ("%-40s %10.3f s %8d   %s\n", "first-run ingest, wall time", ingest_s, runs,
           node_times->len > 0 ? "<= node" : "");
  g_print ("%-40s %8.1f MiB %8d   <= 250 MB: %s\n", "first-run ingest, peak RSS", ingest_mib, runs,
           verdict (ingest_mib * 1.048576 <= 250));
  g_print ("%-40s %9.2f ms %8d   <= 20 ms: %s\n", "warm open + 1,000 lookups", warm_ms, WARM_RUNS,
           verdict (warm_ms <= 20));
  if (node_times->len > 0)
    {
      double node_s = median (node_times);

      g_print ("%-40s %10.3f s %8d\n", "node JSON.parse, wall time", node_s, runs);
      g_print ("%-40s %8.1f MiB %8d\n", "node JSON.parse, peak RSS", median (node_rss), runs);
      g_print ("%-40s %11.2f× %8s   <= 1.0×: %s\n", "ingest / node", ingest_s / node_s, "",
               verdict (ingest_s <= node_s));
    }
  else
    g_print ("node not found: no reference figure\n");

  g_unlink (table_file);
  remove_dir (last_cache);
  return EXIT_SUCCESS;
}
