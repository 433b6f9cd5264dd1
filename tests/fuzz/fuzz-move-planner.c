/* fuzz-move-planner.c: the move planner's input
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: an account state in qm_move_state_new_from_bytes()'s form (its
 * length follows from its header), then one policy byte (bit 0: do not make
 * space), then up to 16 requests of 8 bytes: {u8 kind, u8 item (an index
 * into the state's items; 0xff: an instance the account does not hold), i8
 * target (character index, negative: the vault), u8 flags (bit 0: equip on
 * arrival), i32 amount (little-endian)}.
 *
 * The planner answers with steps or with an error, never both. Every step
 * it plans is one Bungie takes (qm_move_state_apply_step() answers
 * Success for each, in order); after them the account holds the same
 * instances and the same stack totals, and a character has at most one
 * item equipped per slot. The same holds for undoing the plan.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "qm-error.h"
#include "qm-move-planner.h"

#define MAX_REQUESTS 16
#define REQUEST_SIZE 8
#define NOT_HELD     G_GUINT64_CONSTANT (0xfffffffffff1)

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

static int
compare_hashes (gconstpointer a,
                gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (a);
  guint y = GPOINTER_TO_UINT (b);

  return (x > y) - (x < y);
}

/* What no plan may change: instance ids (sorted) and stack totals. */
static char *
holdings (const QmMoveState *state)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GHashTable) totals = g_hash_table_new (NULL, NULL);
  g_autoptr(GList) hashes = NULL;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->instance_id != 0)
        g_array_append_val (ids, item->instance_id);
      else
        {
          gint64 total = GPOINTER_TO_SIZE (g_hash_table_lookup (totals, GUINT_TO_POINTER (item->hash)));

          g_hash_table_insert (totals, GUINT_TO_POINTER (item->hash), GSIZE_TO_POINTER (total + item->quantity));
        }
    }
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT " ", g_array_index (ids, guint64, i));
  hashes = g_list_sort (g_hash_table_get_keys (totals), compare_hashes);
  for (GList *l = hashes; l != NULL; l = l->next)
    g_string_append_printf (out, "h%u=%" G_GSIZE_FORMAT " ", GPOINTER_TO_UINT (l->data),
                            GPOINTER_TO_SIZE (g_hash_table_lookup (totals, l->data)));
  return g_string_free (out, FALSE);
}

static void
check_equipped (const QmMoveState *state)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *a = &g_array_index (state->items, QmMoveItem, i);

      if (a->place != QM_MOVE_PLACE_EQUIPPED)
        continue;
      FUZZ_CHECK (a->instance_id != 0);
      for (guint j = i + 1; j < state->items->len; j++)
        {
          const QmMoveItem *b = &g_array_index (state->items, QmMoveItem, j);

          FUZZ_CHECK (!(b->place == QM_MOVE_PLACE_EQUIPPED && b->owner == a->owner && b->slot == a->slot));
        }
    }
}

/* Plans @requests over @state; on success applies the steps, checks them,
 * and returns the state after them. */
static QmMoveState *
plan_and_apply (const QmMoveState   *state,
                const QmMoveRequest *requests,
                guint                n_requests,
                const QmMovePolicy  *policy,
                GArray             **steps_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = qm_move_plan (state, requests, n_requests, policy, &error);
  g_autoptr(QmMoveState) after = NULL;
  g_autofree char *before_holdings = NULL;
  g_autofree char *after_holdings = NULL;
  g_autofree char *text = NULL;

  if (steps == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == QM_MOVE_ERROR);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL) && error->message[0] != '\0');
      return NULL;
    }
  FUZZ_CHECK (error == NULL);
  text = qm_move_steps_to_string (steps);
  FUZZ_CHECK (text != NULL);

  after = qm_move_state_copy (state);
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);

      FUZZ_CHECK (step->kind >= QM_MOVE_STEP_TO_VAULT && step->kind <= QM_MOVE_STEP_UNLOCK);
      FUZZ_CHECK (step->character >= 0 && (guint) step->character < state->n_characters);
      FUZZ_CHECK (qm_move_state_apply_step (after, step) == QM_PLATFORM_ERROR_SUCCESS);
    }
  before_holdings = holdings (state);
  after_holdings = holdings (after);
  FUZZ_CHECK (g_str_equal (before_holdings, after_holdings));
  check_equipped (after);
  if (steps_out != NULL)
    *steps_out = g_steal_pointer (&steps);
  return g_steal_pointer (&after);
}

static gsize
state_size (const uint8_t *data,
            size_t         size)
{
  if (size < 12)
    return 0;
  return 12 + (gsize) data[4] * 16 + (gsize) data[5] * 8 + (gsize) (data[6] | data[7] << 8) * 48;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize length = state_size (data, size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  QmMoveRequest requests[MAX_REQUESTS] = { { 0 } };
  QmMovePolicy policy = QM_MOVE_POLICY_DEFAULT;
  guint n_requests = 0;
  const uint8_t *p;

  if (length == 0 || length > size)
    return 0;
  bytes = g_bytes_new (data, length);
  state = qm_move_state_new_from_bytes (bytes, &error);
  if (state == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == QM_MOVE_ERROR);
      return 0;
    }
  FUZZ_CHECK (error == NULL);

  p = data + length;
  if (p < data + size)
    policy.make_space = (*p++ & 1) == 0;
  for (; p + REQUEST_SIZE <= data + size && n_requests < MAX_REQUESTS; p += REQUEST_SIZE)
    {
      QmMoveRequest *request = &requests[n_requests++];
      int target = (gint8) p[2];

      request->kind = p[0] % (QM_MOVE_REQUEST_PULL + 1);
      if (p[1] == 0xff || state->items->len == 0)
        {
          request->instance_id = NOT_HELD;
          request->hash = 1;
          request->place = QM_MOVE_PLACE_VAULT;
          request->owner = QM_MOVE_VAULT;
        }
      else
        {
          const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, p[1] % state->items->len);

          request->instance_id = item->instance_id;
          request->hash = item->hash;
          request->place = item->place;
          request->owner = item->owner;
        }
      /* Characters by index, the vault, and now and then one that is not there. */
      request->target = target < 0 ? QM_MOVE_VAULT : target % (int) (state->n_characters + 1);
      request->equip = (p[3] & 1) != 0;
      request->amount = (int) ((guint32) p[4] | (guint32) p[5] << 8 | (guint32) p[6] << 16 | (guint32) p[7] << 24);
    }

  after = plan_and_apply (state, requests, n_requests, &policy, &steps);
  if (after != NULL)
    {
      g_autoptr(GArray) undo = qm_move_undo_requests (state, steps);
      g_autoptr(QmMoveState) undone = NULL;

      FUZZ_CHECK (undo != NULL);
      undone = plan_and_apply (after, (QmMoveRequest *) undo->data, undo->len, NULL, NULL);
    }
  return 0;
}
