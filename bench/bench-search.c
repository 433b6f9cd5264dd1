/* bench-search.c: a search keystroke over 1,000 items
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo account's items (from the in-process sandbox, with their
 * definitions) are copied and varied up to 1,000; then a query is typed one
 * character at a time, and each keystroke does what the search bar does:
 * parse the text and, when it parses, run it over every item. The median
 * and 95th percentile per keystroke are printed. Build without sanitizers
 * (e.g. --buildtype=release) for meaningful figures.
 *
 * Usage: bench-search [--items N] [--repeat R] [QUERY]
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "qm-inventory.h"
#include "qm-sandbox.h"
#include "qm-search.h"

static const char *default_query = "is:weapon -is:locked power:>1800 ace";

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A copy of @item, number @n, varied in where it is, its lock and its
 * power so that the filters do not all answer alike. */
static QmItem *
vary_item (QmItem *item,
           guint   n)
{
  static const QmItemLocation locations[] = {
    QM_ITEM_LOCATION_VAULT, QM_ITEM_LOCATION_INVENTORY, QM_ITEM_LOCATION_VAULT,
    QM_ITEM_LOCATION_POSTMASTER, QM_ITEM_LOCATION_VAULT,
  };
  g_autofree char *instance_id = NULL;
  QmItemDefinition def = {
    .hash = qm_item_get_hash (item),
    .known = qm_item_get_name (item) != NULL,
    .name = qm_item_get_name (item),
    .icon = qm_item_get_icon (item),
    .item_type_name = qm_item_get_item_type_name (item),
    .tier_name = qm_item_get_tier_name (item),
    .tier_type = qm_item_get_tier_type (item),
    .bucket_hash = qm_item_get_slot_hash (item),
    .class_type = qm_item_get_class_type (item),
    .item_type = qm_item_get_item_type (item),
    .item_sub_type = qm_item_get_item_sub_type (item),
    .default_damage_type = qm_item_get_damage_type (item),
    .equippable = qm_item_get_equippable (item),
  };
  QmItemLocation location = locations[n % G_N_ELEMENTS (locations)];
  int power = qm_item_get_power (item);
  int state = qm_item_get_state (item) ^ (n % 3 == 0 ? 1 : 0);
  QmItem *copy;

  if (qm_item_get_instance_id (item) != NULL)
    instance_id = g_strdup_printf ("%s%u", qm_item_get_instance_id (item), n);
  if (power >= 0)
    power += (int) (n % 41) - 20;
  copy = qm_item_new (qm_item_get_hash (item), instance_id, qm_item_get_bucket_hash (item),
                      location,
                      location == QM_ITEM_LOCATION_VAULT ? NULL : qm_item_get_character_id (item),
                      qm_item_get_quantity (item), state, power,
                      qm_item_get_damage_type (item));
  qm_item_set_definition (copy, def.known ? &def : NULL);
  return copy;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmManifest) manifest = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) times = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *token = NULL;
  QmSandboxOptions options = { 0 };
  GListModel *profile_items;
  const char *query_text;
  int n_items = 1000;
  int repeat = 200;
  gsize n_keys;
  gint64 first_pass = 0;
  guint n_matched = 0;
  GOptionEntry entries[] = {
    { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Number of items (1000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Times to type the query, after a first pass (200)", "R" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("[QUERY] — time search keystrokes");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_items < 1 || repeat < 1)
    {
      g_printerr ("--items and --repeat must be positive\n");
      return 2;
    }
  query_text = argc > 1 ? argv[1] : default_query;
  n_keys = strlen (query_text);
  if (n_keys == 0)
    {
      g_printerr ("The query is empty\n");
      return 2;
    }

  /* The demo account, with its definitions, from the in-process sandbox;
   * the manifest is cached in a directory of our own. */
  cache_dir = g_dir_make_tmp ("bench-search-XXXXXX", &error);
  if (cache_dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  sandbox = qm_sandbox_new (&options, &error);
  if (sandbox == NULL || !qm_sandbox_start (sandbox, &error))
    {
      g_printerr ("sandbox: %s\n", error->message);
      remove_tree (cache_dir);
      return 1;
    }
  client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox), QM_SANDBOX_API_KEY);
  token = qm_sandbox_issue_access_token (sandbox);
  qm_bungie_client_set_access_token (client, token);
  manifest = qm_manifest_new (cache_dir);
  qm_inventory_load_with_manifest_async (client, manifest, NULL, on_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  inventory = qm_inventory_load_finish (result, &error);
  qm_sandbox_stop (sandbox);
  remove_tree (cache_dir);
  if (inventory == NULL)
    {
      g_printerr ("inventory: %s\n", error->message);
      return 1;
    }

  profile_items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  if (g_list_model_get_n_items (profile_items) == 0)
    {
      g_printerr ("The demo account has no items\n");
      return 1;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; items->len < (guint) n_items; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (profile_items,
                                                      i % g_list_model_get_n_items (profile_items));

      g_ptr_array_add (items, vary_item (item, i));
    }

  /* Type the query: keystroke k sees its first k characters. Like the
   * search bar, a prefix that does not parse leaves the last good query
   * in force, and the items are filtered again with it. */
  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) repeat * n_keys);
  for (int r = 0; r <= repeat; r++)
    {
      g_autoptr(QmSearchQuery) in_force = NULL;

      for (gsize k = 1; k <= n_keys; k++)
        {
          g_autofree char *typed = g_strndup (query_text, k);
          gint64 start = now_ns ();
          QmSearchQuery *query = qm_search_query_parse (typed, NULL, NULL, NULL);
          gint64 elapsed;
          guint matched = 0;

          if (query != NULL)
            {
              g_clear_pointer (&in_force, qm_search_query_free);
              in_force = query;
            }
          for (guint i = 0; in_force != NULL && i < items->len; i++)
            matched += qm_search_query_matches (in_force, items->pdata[i]);
          elapsed = now_ns () - start;

          /* The first pass, not counted, also normalises every name once. */
          if (r == 0)
            first_pass += elapsed;
          else
            g_array_append_val (times, elapsed);
          if (k == n_keys)
            n_matched = matched;
        }
    }

  g_print ("items: %u (from %u on the demo account), query: \"%s\" (%" G_GSIZE_FORMAT " keystrokes), "
           "matches at the end: %u\n",
           items->len, g_list_model_get_n_items (profile_items), query_text, n_keys, n_matched);
  g_print ("first pass (names normalised): %.1f µs per keystroke\n",
           first_pass / 1000.0 / n_keys);
  if (times->len > 0)
    {
      g_array_sort (times, compare_gint64);
      g_print ("per keystroke over %d repetitions: median %.1f µs, p95 %.1f µs, max %.1f µs\n",
               repeat,
               g_array_index (times, gint64, times->len / 2) / 1000.0,
               g_array_index (times, gint64, (times->len * 95) / 100) / 1000.0,
               g_array_index (times, gint64, times->len - 1) / 1000.0);
    }
  return 0;
}
