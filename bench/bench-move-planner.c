/* bench-move-planner.c: a batch of 10 moves over 1,000 items, buckets full
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account: three characters with nine slots of ten (the Titan's and
 * the Hunter's full, the Warlock's two-thirds full), a full vault of 700,
 * and consumable stacks: 1,000 items. The batch: vault → Titan (two of them
 * equipped), Hunter → Titan, Titan → vault, Hunter → Warlock equipped: every
 * move needs items moved aside, most of them out of the full vault too.
 * Prints the median and 95th percentile of qm_move_plan() for the batch
 * (target: median ≤ 1 ms), in wall-clock and in thread CPU time. Build without sanitizers (e.g.
 * --buildtype=release) for meaningful figures.
 *
 * Usage: bench-move-planner [--repeat R]
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

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
  QmMoveRequest requests[10];
  int repeat = 500;
  GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Plan the batch R times", "R" },
    { NULL }
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
  requests[0] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_VAULT, -1, QM_BUCKET_KINETIC, 0), .target = 0, .equip = TRUE };
  requests[1] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_VAULT, -1, QM_BUCKET_ENERGY, 0), .target = 0 };
  requests[2] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_VAULT, -1, QM_BUCKET_HELMET, 0), .target = 0, .equip = TRUE };
  requests[3] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_VAULT, -1, QM_BUCKET_GHOST, 0), .target = 0 };
  requests[4] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 1, QM_BUCKET_POWER, 0), .target = 0 };
  requests[5] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 1, QM_BUCKET_KINETIC, 0), .target = 0 };
  requests[6] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 1, QM_BUCKET_CHEST, 0), .target = 0 };
  requests[7] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 0, QM_BUCKET_LEGS, 0), .target = QM_MOVE_VAULT };
  requests[8] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 0, QM_BUCKET_GAUNTLETS, 0), .target = QM_MOVE_VAULT };
  requests[9] = (QmMoveRequest) { QM_MOVE_REQUEST_MOVE, bench_pick (state, QM_MOVE_PLACE_INVENTORY, 1, QM_BUCKET_ENERGY, 0), .target = 2, .equip = TRUE };

  first = qm_move_plan (state, requests, G_N_ELEMENTS (requests), NULL, &error);
  if (first == NULL)
    {
      g_printerr ("the batch could not be planned: %s\n", error->message);
      return 1;
    }

  for (int r = 0; r < MAX (repeat, 1); r++)
    {
      gint64 start = bench_clock_ns (CLOCK_MONOTONIC);
      gint64 cpu_start = bench_clock_ns (CLOCK_THREAD_CPUTIME_ID);
      g_autoptr(GArray) steps = qm_move_plan (state, requests, G_N_ELEMENTS (requests), NULL, NULL);
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
  g_print ("items: %u, requests: %zu, steps planned: %u (%u moving other items)\n",
           state->items->len, G_N_ELEMENTS (requests), first->len, n_aside);
  g_array_sort (cpu_times, bench_compare_gint64);
  g_print ("plan: median %.3f ms, p95 %.3f ms over %d runs (target: median <= 1 ms)\n",
           median / 1e6, p95 / 1e6, repeat);
  /* The CPU time alone, for figures taken on a busy machine. */
  g_print ("plan, thread CPU time: median %.3f ms, p95 %.3f ms\n",
           g_array_index (cpu_times, gint64, cpu_times->len / 2) / 1e6,
           g_array_index (cpu_times, gint64, MIN (cpu_times->len - 1, cpu_times->len * 95 / 100)) / 1e6);
  return 0;
}
