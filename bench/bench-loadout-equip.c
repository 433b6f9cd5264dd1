/* bench-loadout-equip.c: planning an in-game loadout's equip over 1,000 items
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account of bench-move-planner (three characters, the Titan's and the
 * Hunter's slots full, the Warlock's two-thirds full, a full vault of 700,
 * 1,000 items). The loadout: 17 items for the Titan spread over the Hunter,
 * the Warlock and the vault, so that every one needs room made on the Titan
 * and most of those need room in the full vault. Measures what the equip
 * plans before EquipLoadout: qm_loadout_equip_requests() then qm_move_plan()
 * (target: median <= 1 ms). Build without sanitizers for meaningful figures.
 *
 * Usage: bench-loadout-equip [--repeat R]
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "qm-loadouts.h"
#include "bench-move-account.h"
#include "qm-move-planner.h"
#include "qm-destiny.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) first = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) first_requests = NULL;
  int repeat = 500;
  GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Plan the equip R times", "R" },
    { NULL }
  };
  /* (place, owner, slot index, n): 6 from the Hunter, 5 from the Warlock, 6 from the vault. */
  const struct { int place; int owner; guint slot; int n; } picks[] = {
    { QM_MOVE_PLACE_INVENTORY, 1, 0, 0 }, { QM_MOVE_PLACE_INVENTORY, 1, 1, 0 },
    { QM_MOVE_PLACE_INVENTORY, 1, 2, 0 }, { QM_MOVE_PLACE_INVENTORY, 1, 8, 0 },
    { QM_MOVE_PLACE_INVENTORY, 1, 0, 1 }, { QM_MOVE_PLACE_INVENTORY, 1, 1, 1 },
    { QM_MOVE_PLACE_INVENTORY, 2, 0, 0 }, { QM_MOVE_PLACE_INVENTORY, 2, 1, 0 },
    { QM_MOVE_PLACE_INVENTORY, 2, 2, 0 }, { QM_MOVE_PLACE_INVENTORY, 2, 8, 0 },
    { QM_MOVE_PLACE_INVENTORY, 2, 2, 1 },
    { QM_MOVE_PLACE_VAULT, -1, 3, 0 }, { QM_MOVE_PLACE_VAULT, -1, 4, 0 },
    { QM_MOVE_PLACE_VAULT, -1, 5, 0 }, { QM_MOVE_PLACE_VAULT, -1, 6, 0 },
    { QM_MOVE_PLACE_VAULT, -1, 7, 0 }, { QM_MOVE_PLACE_VAULT, -1, 8, 0 },
  };
  gint64 median, p95;
  guint n_aside = 0;

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  state = bench_build_state ();
  for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
    g_ptr_array_add (ids, g_strdup_printf ("%" G_GUINT64_FORMAT,
                                           bench_pick (state, picks[i].place, picks[i].owner,
                                                 bench_slots[picks[i].slot], picks[i].n)));
  g_ptr_array_add (ids, NULL);

  first_requests = qm_loadout_equip_requests (state, (const char * const *) ids->pdata, 0, NULL);
  first = qm_move_plan (state, (const QmMoveRequest *) (gconstpointer) first_requests->data,
                        first_requests->len, NULL, &error);
  if (first == NULL)
    {
      g_printerr ("the equip could not be planned: %s\n", error->message);
      return 1;
    }

  for (int r = 0; r < MAX (repeat, 1); r++)
    {
      gint64 start = bench_clock_ns (CLOCK_MONOTONIC);
      gint64 cpu_start = bench_clock_ns (CLOCK_THREAD_CPUTIME_ID);
      g_autoptr(GArray) requests = qm_loadout_equip_requests (state, (const char * const *) ids->pdata, 0, NULL);
      g_autoptr(GArray) steps = qm_move_plan (state, (const QmMoveRequest *) (gconstpointer) requests->data,
                                              requests->len, NULL, NULL);
      gint64 cpu = bench_clock_ns (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      gint64 elapsed = bench_clock_ns (CLOCK_MONOTONIC) - start;

      g_assert (steps != NULL && steps->len == first->len);
      g_array_append_val (times, elapsed);
      g_array_append_val (cpu_times, cpu);
    }
  g_array_sort (times, bench_compare_gint64);
  median = g_array_index (times, gint64, times->len / 2);
  p95 = g_array_index (times, gint64, MIN (times->len - 1, times->len * 95 / 100));

  for (guint i = 0; i < first->len; i++)
    n_aside += g_array_index (first, QmMoveStep, i).aside;
  g_print ("items: %u, loadout items: %zu, requests: %u, steps planned: %u (%u moving other items)\n",
           state->items->len, G_N_ELEMENTS (picks), first_requests->len, first->len, n_aside);
  g_print ("loadout equip plan: median %.3f ms, p95 %.3f ms over %d runs (target: median <= 1 ms)\n",
           median / 1e6, p95 / 1e6, repeat);
  /* The CPU time alone, for figures taken on a busy machine. */
  g_array_sort (cpu_times, bench_compare_gint64);
  g_print ("loadout equip plan, thread CPU time: median %.3f ms, p95 %.3f ms\n",
           g_array_index (cpu_times, gint64, cpu_times->len / 2) / 1e6,
           g_array_index (cpu_times, gint64, MIN (cpu_times->len - 1, cpu_times->len * 95 / 100)) / 1e6);
  return 0;
}
