/* bench-move-account.h: the 1,000-item account the planner benchmarks share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three characters with nine slots of ten (the Titan's and the Hunter's
 * full, the Warlock's two-thirds full), a full vault of 700, and consumable
 * stacks: 1,000 items.
 */

#pragma once

#include <time.h>

#include "qm-move-planner.h"

/* The nine gear slots, in the order of the account's buckets. */
extern const guint32 bench_slots[9];

gint64       bench_clock_ns       (clockid_t          clock);
int          bench_compare_gint64 (gconstpointer      a,
                                   gconstpointer      b);
QmMoveState *bench_build_state    (void);
/* The instance id of the @n-th (from 0) unrestricted, non-exotic item at
 * @place of @owner in @slot. */
guint64      bench_pick           (const QmMoveState *state,
                                   int                place,
                                   int                owner,
                                   guint32            slot,
                                   int                n);
