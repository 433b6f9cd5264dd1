/* bench-move-account.c: the 1,000-item account the planner benchmarks share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-move-account.h"

#include "qm-destiny.h"

const guint32 bench_slots[] = {
  QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER, QM_BUCKET_HELMET, QM_BUCKET_GAUNTLETS,
  QM_BUCKET_CHEST, QM_BUCKET_LEGS, QM_BUCKET_CLASS_ARMOR, QM_BUCKET_GHOST,
};

#define PER_SLOT 10
#define VAULT    700
#define N_ITEMS  1000

gint64
bench_clock_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

int
bench_compare_gint64 (gconstpointer a,
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
  item.slot = bench_slots[slot_index];
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

QmMoveState *
bench_build_state (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  QmMoveState *state = qm_move_state_new ();
  guint64 id = 6917529000000000000u;

  qm_move_state_add_character (state, 2305843009300000001u, 0, 300);
  qm_move_state_add_character (state, 2305843009300000002u, 1, 200);
  qm_move_state_add_character (state, 2305843009300000003u, 2, 100);
  for (guint s = 0; s < G_N_ELEMENTS (bench_slots); s++)
    qm_move_state_add_bucket (state, bench_slots[s], PER_SLOT, FALSE);
  qm_move_state_add_bucket (state, QM_BUCKET_CONSUMABLES, 50, TRUE);
  state->vault_capacity = VAULT;

  for (int c = 0; c < 3; c++)
    for (guint s = 0; s < G_N_ELEMENTS (bench_slots); s++)
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
      QmMoveItem item = make_item (id++, (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (bench_slots)),
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
guint64
bench_pick (const QmMoveState *state,
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
