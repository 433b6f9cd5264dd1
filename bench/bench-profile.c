/* bench-profile.c: profile decode and model build against python3's json.loads
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the demo account and for a grown profile (1,000 items by default),
 * the GetProfile answer is fetched from the in-process sandbox exactly as
 * the app fetches it. Then, on those same bytes, the median of N runs of:
 *
 *   bytes:     qm_profile_parse_bytes() + qm_inventory_new() (definitions
 *              applied): what the app does;
 *   json-glib: qm_envelope_parse() + qm_profile_parse() + qm_inventory_new():
 *              the tree path, for comparison;
 *   python3:   json.loads() on the bytes, timed inside one python3 process
 *              (its start-up is not counted).
 *
 * Run a release build: meson test -C BUILD --benchmark profile --verbose,
 * or the program itself: bench-profile [--runs N] [--items N].
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>
#include <stdlib.h>

#include "qm-envelope.h"
#include "qm-inventory.h"
#include "qm-sandbox.h"
#include "qm-sandbox-world.h"

/* json.loads on the file argv[1], argv[2] times; prints one duration (s)
 * per line. */
static const char python_loop[] =
  "import json, sys, time\n"
  "data = open(sys.argv[1], 'rb').read()\n"
  "for _ in range(int(sys.argv[2])):\n"
  "    start = time.perf_counter()\n"
  "    json.loads(data)\n"
  "    print(time.perf_counter() - start)\n";

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_doubles);
  if (times->len % 2 == 1)
    return g_array_index (times, double, times->len / 2);
  return (g_array_index (times, double, times->len / 2 - 1) +
          g_array_index (times, double, times->len / 2)) / 2;
}

/* The GetProfile answer's body, as the app receives it. */
static GBytes *
fetch_profile (QmSandbox *sandbox)
{
  g_autoptr(QmBungieClient) client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox),
                                                           QM_SANDBOX_API_KEY);
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  GBytes *bytes;

  qm_bungie_client_set_access_token (client, token);
  qm_bungie_client_get_profile_bytes_async (client, qm_sandbox_get_membership_type (sandbox),
                                            qm_sandbox_get_membership_id (sandbox),
                                            QM_PROFILE_COMPONENTS, NULL, on_done_cb, &wait);
  g_main_loop_run (loop);
  bytes = qm_bungie_client_get_profile_bytes_finish (client, wait.result, &error);
  g_object_unref (wait.result);
  if (bytes == NULL)
    g_error ("GetProfile failed: %s", error->message);
  return bytes;
}

static QmManifest *
load_definitions (QmSandbox  *sandbox,
                  const char *cache_dir)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autoptr(GBytes) table = qm_sandbox_world_get_table_bytes (world, "DestinyInventoryItemDefinition");
  g_autoptr(QmManifest) manifest = qm_manifest_new (cache_dir);
  g_autoptr(GError) error = NULL;

  if (!qm_manifest_load_table (manifest, QM_TABLE_ITEM, table, &error))
    g_error ("The item definitions do not load: %s", error->message);
  return g_steal_pointer (&manifest);
}

static QmInventory *
decode_bytes (GBytes     *bytes,
              QmManifest *manifest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmProfile) profile = qm_profile_parse_bytes (bytes, &error);

  if (profile == NULL)
    g_error ("qm_profile_parse_bytes: %s", error->message);
  return qm_inventory_new (profile, manifest);
}

static QmInventory *
decode_tree (GBytes     *bytes,
             QmManifest *manifest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = qm_envelope_parse (bytes, 200, "application/json", NULL, &error);
  g_autoptr(QmProfile) profile = NULL;

  if (response == NULL)
    g_error ("qm_envelope_parse: %s", error->message);
  profile = qm_profile_parse (response, &error);
  if (profile == NULL)
    g_error ("qm_profile_parse: %s", error->message);
  return qm_inventory_new (profile, manifest);
}

typedef QmInventory *(*DecodeFunc) (GBytes     *bytes,
                                    QmManifest *manifest);

static double
time_decode (DecodeFunc  decode,
             GBytes     *bytes,
             QmManifest *manifest,
             guint       runs,
             guint      *n_items)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(QmInventory) inventory = decode (bytes, manifest);
      double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

      g_array_append_val (times, seconds);
      *n_items = g_list_model_get_n_items (qm_profile_get_items (qm_inventory_get_profile (inventory)));
    }
  return median (times);
}

static double
time_python (GBytes *bytes,
             guint   runs)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *count = g_strdup_printf ("%u", runs);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  int fd = g_file_open_tmp ("bench-profile-XXXXXX.json", &path, &error);
  int status = 0;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *argv[] = { "python3", "-c", python_loop, NULL, NULL, NULL };

  if (fd < 0 || !g_file_set_contents (path, data, (gssize) size, &error))
    g_error ("Cannot write the profile for python3: %s", error->message);
  close (fd);
  argv[3] = path;
  argv[4] = count;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("python3 failed: %s", error->message);
  g_unlink (path);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        double seconds = g_ascii_strtod (lines[i], NULL);

        g_array_append_val (times, seconds);
      }
  if (times->len != runs)
    g_error ("python3 gave %u timings instead of %u", times->len, runs);
  return median (times);
}

static void
run_case (const char *label,
          guint       profile_items,
          guint       runs,
          const char *cache_dir)
{
  QmSandboxOptions options = { .profile_items = profile_items };
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSandbox) sandbox = qm_sandbox_new (&options, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(QmManifest) manifest = NULL;
  guint n_bytes_items = 0;
  guint n_tree_items = 0;
  double ours, tree, python;

  if (sandbox == NULL || !qm_sandbox_start (sandbox, &error))
    g_error ("The sandbox does not start: %s", error->message);
  bytes = fetch_profile (sandbox);
  manifest = load_definitions (sandbox, cache_dir);
  qm_sandbox_stop (sandbox);

  /* One untimed run of each warms the caches and the allocator. */
  g_object_unref (decode_bytes (bytes, manifest));
  g_object_unref (decode_tree (bytes, manifest));
  ours = time_decode (decode_bytes, bytes, manifest, runs, &n_bytes_items);
  tree = time_decode (decode_tree, bytes, manifest, runs, &n_tree_items);
  python = time_python (bytes, runs);
  if (n_bytes_items != n_tree_items)
    g_error ("The two decoders disagree: %u and %u items", n_bytes_items, n_tree_items);

  g_print ("%s: %u items, %" G_GSIZE_FORMAT " bytes, median of %u runs\n",
           label, n_bytes_items, g_bytes_get_size (bytes), runs);
  g_print ("  decode + model, bytes:     %8.3f ms  (%.2f× json.loads)\n",
           ours * 1000, ours / python);
  g_print ("  decode + model, json-glib: %8.3f ms  (%.2f× json.loads)\n",
           tree * 1000, tree / python);
  g_print ("  python3 json.loads:        %8.3f ms\n", python * 1000);
}

int
main (int    argc,
      char **argv)
{
  int runs = 25;
  int items = 1000;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs per decoder (default 25)", "N" },
    { "items", 0, 0, G_OPTION_ARG_INT, &items, "Items of the grown profile (default 1000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- profile decoding benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-profile: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (runs < 1 || items < 1 || items > QM_SANDBOX_MAX_PROFILE_ITEMS)
    {
      g_printerr ("bench-profile: --runs takes 1 or more, --items 1 to %d\n",
                  QM_SANDBOX_MAX_PROFILE_ITEMS);
      return EXIT_FAILURE;
    }

  cache_dir = g_dir_make_tmp ("bench-profile-XXXXXX", &error);
  if (cache_dir == NULL)
    g_error ("No temporary directory: %s", error->message);
  run_case ("demo account", 0, (guint) runs, cache_dir);
  run_case ("grown profile", (guint) items, (guint) runs, cache_dir);
  g_rmdir (cache_dir);
  return EXIT_SUCCESS;
}
