/* qm-move-describe.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "qm-move-describe.h"

#include "qm-profile.h"

const char *
qm_move_step_item_name (const QmMoveState *state,
                        const QmMoveStep  *step)
{
  const char *name = NULL;

  if (state->names != NULL)
    name = g_hash_table_lookup (state->names, GUINT_TO_POINTER (step->hash));
  return name != NULL ? name : _("Unknown item");
}

static const char *
class_name (const QmMoveState *state,
            int                character)
{
  return qm_class_type_display_name (character >= 0 && (guint) character < state->n_characters ?
                                     state->characters[character].class_type : 3);
}

char *
qm_move_step_describe (const QmMoveState *state,
                       const QmMoveStep  *step)
{
  const char *name = qm_move_step_item_name (state, step);
  const char *who = class_name (state, step->character);
  g_autofree char *what = NULL;
  const char *why = NULL;

  switch (step->kind)
    {
    case QM_MOVE_STEP_TO_VAULT:
      what = step->from_place == QM_MOVE_PLACE_ACCOUNT ?
             g_strdup_printf (_("Move %s to the vault"), name) :
             /* Translators: the item, then the class */
             g_strdup_printf (_("Move %s from your %s to the vault"), name, who);
      break;
    case QM_MOVE_STEP_FROM_VAULT:
      /* Translators: the item, then the class */
      what = g_strdup_printf (_("Move %s from the vault to your %s"), name, who);
      break;
    case QM_MOVE_STEP_PULL:
      /* Translators: the item, then the class */
      what = g_strdup_printf (_("Pull %s from the postmaster to your %s"), name, who);
      break;
    case QM_MOVE_STEP_EQUIP:
      /* Translators: the item, then the class */
      what = g_strdup_printf (_("Equip %s on your %s"), name, who);
      break;
    case QM_MOVE_STEP_LOCK:
      what = g_strdup_printf (_("Lock %s"), name);
      break;
    case QM_MOVE_STEP_UNLOCK:
    default:
      what = g_strdup_printf (_("Unlock %s"), name);
      break;
    }
  if (step->amount > 1)
    {
      char *counted = g_strdup_printf ("%s (×%d)", what, step->amount);

      g_free (what);
      what = counted;
    }

  switch (step->reason)
    {
    case QM_MOVE_REASON_DEQUIP:
      why = _("so that an equipped item can leave");
      break;
    case QM_MOVE_REASON_EXOTIC:
      why = _("only one exotic of a kind can be equipped");
      break;
    case QM_MOVE_REASON_MAKE_SPACE:
      why = _("to make room");
      break;
    case QM_MOVE_REASON_POSTMASTER:
      why = _("first out of the postmaster");
      break;
    case QM_MOVE_REASON_REQUESTED:
    default:
      break;
    }
  if (why != NULL)
    /* Translators: a step, then why it is there */
    return g_strdup_printf (_("%s — %s"), what, why);
  return g_steal_pointer (&what);
}
