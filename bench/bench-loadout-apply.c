/* bench-loadout-apply.c: a saved loadout applied on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loadout: the Hunter's three equipped weapons (taken off her: a
 * replacement equipped for each) and two weapons of the vault, applied to
 * the Warlock: dequips, transfers through the vault, one EquipItems. The
 * in-process sandbox spaces item actions 0.1 s apart per user as Bungie
 * does (bungie-api.md §2.5), and the client keeps to that spacing. Prints,
 * over R runs (a new sandbox each), the median wall time of the apply, the
 * number of actions sent, and the ratio to the target: ≤ 1.1 × (actions ×
 * 0.1 s).
 *
 * Usage: bench-loadout-apply [--repeat R]
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#include "qm-destiny.h"
#include "qm-inventory.h"
#include "qm-loadout-apply.h"
#include "qm-sandbox.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static const char * const actions[] = { "TransferItem", "EquipItem", "EquipItems", "PullFromPostmaster" };

static guint
count_actions (QmSandbox *sandbox)
{
  guint n = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    n += qm_sandbox_get_call_count (sandbox, actions[i]);
  return n;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
run_once (const char *dir,
          guint       round,
          double     *seconds,
          guint      *n_actions)
{
  QmSandboxOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSandbox) sandbox = qm_sandbox_new (&options, &error);
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmManifest) manifest = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmMoveExecutor) executor = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) items = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = g_strdup_printf ("%s/loadouts-%u.json", dir, round);
  g_autofree char *cache = g_build_filename (dir, "manifest", NULL);
  const guint32 weapons[] = { QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER };
  QmSavedLoadout *loadout;
  Wait wait = { 0 };
  guint before;
  gint64 start;
  guint from_vault = 0;

  if (sandbox == NULL || !qm_sandbox_start (sandbox, &error))
    g_error ("The sandbox does not start: %s", error->message);
  client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox), QM_SANDBOX_API_KEY);
  token = qm_sandbox_issue_access_token (sandbox);
  qm_bungie_client_set_access_token (client, token);
  manifest = qm_manifest_new (cache);
  qm_inventory_load_with_manifest_async (client, manifest, NULL, on_done_cb, &wait);
  inventory = qm_inventory_load_finish (wait_for (&wait), &error);
  g_clear_object (&wait.result);
  if (inventory == NULL)
    g_error ("No inventory: %s", error->message);
  executor = qm_move_executor_new (client, inventory);
  state = qm_move_executor_dup_state (executor);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);
      gboolean weapon = item->slot == weapons[0] || item->slot == weapons[1] || item->slot == weapons[2];

      if (!weapon || item->instance_id == 0)
        continue;
      if (item->place == QM_MOVE_PLACE_EQUIPPED && item->owner == 1)
        g_array_append_val (ids, item->instance_id);
      else if (item->place == QM_MOVE_PLACE_VAULT && item->equip_label == 0 && from_vault < 2 &&
               item->slot == weapons[from_vault])
        {
          /* Unequipped extras: moved, not equipped. */
          g_array_append_val (ids, item->instance_id);
          from_vault++;
        }
    }
  items = qm_loadout_items_from_instances (state, (const guint64 *) (gpointer) ids->data, ids->len, TRUE);
  for (guint i = 3; i < items->len; i++)
    g_array_index (items, QmLoadoutItem, i).equip = FALSE;
  store = qm_loadout_store_new_for_path (path);
  loadout = qm_loadout_store_create (store, "Bench", 3, (const QmLoadoutItem *) (gpointer) items->data, items->len,
                                     &error);
  if (loadout == NULL)
    g_error ("%s", error->message);
  apply = qm_loadout_apply_new (executor, store, loadout, state->characters[2].id, &error);
  if (apply == NULL)
    g_error ("%s", error->message);

  before = count_actions (sandbox);
  start = g_get_monotonic_time ();
  qm_loadout_apply_run_async (apply, NULL, on_done_cb, &wait);
  if (!qm_loadout_apply_run_finish (apply, wait_for (&wait), &error))
    g_error ("The apply failed: %s", error->message);
  *seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  *n_actions = count_actions (sandbox) - before;
  g_clear_object (&wait.result);
  qm_sandbox_stop (sandbox);
}

int
main (int    argc,
      char **argv)
{
  guint repeat = 5;
  g_autofree char *dir = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_actions = 0;
  double median, ratio;

  if (argc == 3 && g_str_equal (argv[1], "--repeat"))
    repeat = MAX (1, (guint) atoi (argv[2]));
  dir = g_dir_make_tmp ("qm-bench-loadout-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  for (guint r = 0; r < repeat; r++)
    {
      double seconds, r_ratio;

      run_once (dir, r, &seconds, &n_actions);
      r_ratio = seconds / (n_actions * 0.1);
      g_array_append_val (times, seconds);
      g_array_append_val (ratios, r_ratio);
    }
  g_array_sort (times, compare_doubles);
  g_array_sort (ratios, compare_doubles);
  median = g_array_index (times, double, times->len / 2);
  ratio = g_array_index (ratios, double, ratios->len / 2);
  g_print ("loadout-apply: %u actions at 0.1 s spacing, median %.3f s of %u runs "
           "(bound 1.1 × %u × 0.1 s = %.3f s), median ratio to actions × 0.1 s: %.3f (target ≤ 1.1)\n",
           n_actions, median, repeat, n_actions, 1.1 * n_actions * 0.1, ratio);
  return ratio <= 1.1 ? EXIT_SUCCESS : EXIT_FAILURE;
}
