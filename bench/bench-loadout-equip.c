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
#include "qm-move-planner.h"
#include "qm-destiny.h"

static const guint32 slots[] = {
  QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER, QM_BUCKET_HELMET, QM_BUCKET_GAUNTLETS,
  QM_BUCKET_CHEST, QM_BUCKET_LEGS, QM_BUCKET_CLASS_ARMOR, QM_BUCKET_GHOST,
};

#define PER_SLOT 10
#define VAULT    700
#define N_ITEMS  1000

static gint64
clock_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
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

static QmMoveItem
make_item (guint64 id,
           guint   slot_index,
           int     place,
           int     owner,
           GRand  *rand)
{
  QmMoveItem item = { 0 };

  item.instance_id = id;
  item.hash = 100000 + (guint32) g_rand_int_range (rand, 0, 400);
  item.slot = slots[slot_index];
  item.place = place;
  item.owner = owner;
  item.quantity = 1;
  item.max_stack = 1;
  item.class_type = slot_index >= 3 && slot_index <= 7 ? g_rand_int_range (rand, 0, 4) : QM_MOVE_CLASS_ANY;
  item.tier_type = g_rand_int_range (rand, 0, 10) == 0 ? QM_MOVE_TIER_EXOTIC : 5;
  item.item_sub_type = g_rand_int_range (rand, 6, 34);
  item.power = g_rand_int_range (rand, 1600, 2000);
  item.flags = QM_MOVE_ITEM_EQUIPPABLE | QM_MOVE_ITEM_LOCKABLE;
  if (g_rand_int_range (rand, 0, 3) == 0)
    item.flags |= QM_MOVE_ITEM_LOCKED;
  return item;
}

static QmMoveState *
build_state (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  QmMoveState *state = qm_move_state_new ();
  guint64 id = 6917529000000000000u;

  qm_move_state_add_character (state, 2305843009300000001u, 0, 300);
  qm_move_state_add_character (state, 2305843009300000002u, 1, 200);
  qm_move_state_add_character (state, 2305843009300000003u, 2, 100);
  for (guint s = 0; s < G_N_ELEMENTS (slots); s++)
    qm_move_state_add_bucket (state, slots[s], PER_SLOT, FALSE);
  qm_move_state_add_bucket (state, QM_BUCKET_CONSUMABLES, 50, TRUE);
  state->vault_capacity = VAULT;

  for (int c = 0; c < 3; c++)
    for (guint s = 0; s < G_N_ELEMENTS (slots); s++)
      for (int k = 0; k < (c == 2 ? 2 * PER_SLOT / 3 : PER_SLOT); k++)
        {
          QmMoveItem item = make_item (id++, s, k == 0 ? QM_MOVE_PLACE_EQUIPPED : QM_MOVE_PLACE_INVENTORY, c, rand);

          /* Equipped: legal for the class, at most one exotic. */
          if (k == 0)
            {
              item.class_type = QM_MOVE_CLASS_ANY;
              item.tier_type = 5;
            }
          else if (item.tier_type == QM_MOVE_TIER_EXOTIC)
            item.equip_label = s < 3 ? 1 : (s < 8 ? 2 : 0);
          qm_move_state_add_item (state, &item);
        }
  for (int v = 0; v < VAULT; v++)
    {
      QmMoveItem item = make_item (id++, (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (slots)),
                                   QM_MOVE_PLACE_VAULT, QM_MOVE_VAULT, rand);

      if (item.tier_type == QM_MOVE_TIER_EXOTIC)
        item.equip_label = item.slot == QM_BUCKET_KINETIC || item.slot == QM_BUCKET_ENERGY ||
                           item.slot == QM_BUCKET_POWER ? 1 : 2;
      qm_move_state_add_item (state, &item);
    }
  while (state->items->len < N_ITEMS)
    {
      QmMoveItem stack = { 0 };

      stack.hash = 200000 + state->items->len;
      stack.slot = QM_BUCKET_CONSUMABLES;
      stack.place = QM_MOVE_PLACE_ACCOUNT;
      stack.owner = QM_MOVE_VAULT;
      stack.quantity = 5;
      stack.max_stack = 99;
      stack.class_type = QM_MOVE_CLASS_ANY;
      stack.power = -1;
      qm_move_state_add_item (state, &stack);
    }
  return state;
}

/* The n-th unlocked, unequipped, non-exotic item of @place/@owner in @slot. */
static guint64
pick (const QmMoveState *state,
      int                place,
      int                owner,
      guint32            slot,
      int                n)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->place == place && item->owner == owner && item->slot == slot && item->instance_id != 0 &&
          item->tier_type != QM_MOVE_TIER_EXOTIC && item->class_type == QM_MOVE_CLASS_ANY && n-- == 0)
        return item->instance_id;
    }
  g_error ("no item to pick");
}

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

  state = build_state ();
  for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
    g_ptr_array_add (ids, g_strdup_printf ("%" G_GUINT64_FORMAT,
                                           pick (state, picks[i].place, picks[i].owner,
                                                 slots[picks[i].slot], picks[i].n)));
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
      gint64 start = clock_ns (CLOCK_MONOTONIC);
      gint64 cpu_start = clock_ns (CLOCK_THREAD_CPUTIME_ID);
      g_autoptr(GArray) requests = qm_loadout_equip_requests (state, (const char * const *) ids->pdata, 0, NULL);
      g_autoptr(GArray) steps = qm_move_plan (state, (const QmMoveRequest *) (gconstpointer) requests->data,
                                              requests->len, NULL, NULL);
      gint64 cpu = clock_ns (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      gint64 elapsed = clock_ns (CLOCK_MONOTONIC) - start;

      g_assert (steps != NULL && steps->len == first->len);
      g_array_append_val (times, elapsed);
      g_array_append_val (cpu_times, cpu);
    }
  g_array_sort (times, compare_gint64);
  median = g_array_index (times, gint64, times->len / 2);
  p95 = g_array_index (times, gint64, MIN (times->len - 1, times->len * 95 / 100));

  for (guint i = 0; i < first->len; i++)
    n_aside += g_array_index (first, QmMoveStep, i).aside;
  g_print ("items: %u, loadout items: %zu, requests: %u, steps planned: %u (%u moving other items)\n",
           state->items->len, G_N_ELEMENTS (picks), first_requests->len, first->len, n_aside);
  g_print ("loadout equip plan: median %.3f ms, p95 %.3f ms over %d runs (target: median <= 1 ms)\n",
           median / 1e6, p95 / 1e6, repeat);
  /* The CPU time alone, for figures taken on a busy machine. */
  g_array_sort (cpu_times, compare_gint64);
  g_print ("loadout equip plan, thread CPU time: median %.3f ms, p95 %.3f ms\n",
           g_array_index (cpu_times, gint64, cpu_times->len / 2) / 1e6,
           g_array_index (cpu_times, gint64, MIN (cpu_times->len - 1, cpu_times->len * 95 / 100)) / 1e6);
  return 0;
}
