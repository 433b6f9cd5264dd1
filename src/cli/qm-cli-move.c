/* qm-cli-move.c: quartermaster-cli move, and the plan-and-run the item commands share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"
#include "qm-move-describe.h"
#include "qm-move-executor.h"

int
qm_cli_find_item (const QmMoveState *state,
                  const char        *item_id,
                  GError           **error)
{
  guint64 id = 0;
  int index = -1;

  if (item_id != NULL && g_ascii_string_to_unsigned (item_id, 10, 1, G_MAXUINT64, &id, NULL))
    index = qm_move_state_find_instance (state, id);
  if (index < 0)
    g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                 _("This account has no item with the instance ID %s"), item_id);
  return index;
}

static const char *
step_action (const QmMoveStep *step)
{
  switch (step->kind)
    {
    case QM_MOVE_STEP_TO_VAULT:
    case QM_MOVE_STEP_FROM_VAULT:
      return "TransferItem";
    case QM_MOVE_STEP_PULL:
      return "PullFromPostmaster";
    case QM_MOVE_STEP_EQUIP:
      return "EquipItem";
    case QM_MOVE_STEP_LOCK:
    case QM_MOVE_STEP_UNLOCK:
    default:
      return "SetLockState";
    }
}

static const char *
reason_name (QmMoveReason reason)
{
  switch (reason)
    {
    case QM_MOVE_REASON_POSTMASTER:
      return "postmaster";
    case QM_MOVE_REASON_DEQUIP:
      return "dequip";
    case QM_MOVE_REASON_EXOTIC:
      return "exotic";
    case QM_MOVE_REASON_MAKE_SPACE:
      return "make-space";
    case QM_MOVE_REASON_REQUESTED:
    default:
      return "requested";
    }
}

/* {"plan": [STEP…], "dry_run", "ok", "error", "notice"}; STEP = {"action",
 * "item" (instance id, "0" for stacks), "hash", "name", "amount",
 * "character", "to_vault" (TransferItem), "state" (SetLockState), "reason",
 * "other_item", "text"} */
static JsonNode *
plan_to_json (const QmMoveState *state,
              const GArray      *steps,
              gboolean           dry_run,
              gboolean           ok,
              const char        *error,
              const char        *notice)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "plan");
  json_builder_begin_array (builder);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      g_autofree char *item = g_strdup_printf ("%" G_GUINT64_FORMAT, step->instance_id);
      g_autofree char *character = g_strdup_printf ("%" G_GUINT64_FORMAT, state->characters[step->character].id);
      g_autofree char *text = qm_move_step_describe (state, step);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, step_action (step));
      json_builder_set_member_name (builder, "item");
      json_builder_add_string_value (builder, item);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_int_value (builder, step->hash);
      qm_cli_set_optional_string (builder, "name", state->names != NULL ?
                                  g_hash_table_lookup (state->names, GUINT_TO_POINTER (step->hash)) : NULL);
      json_builder_set_member_name (builder, "amount");
      json_builder_add_int_value (builder, step->amount);
      json_builder_set_member_name (builder, "character");
      json_builder_add_string_value (builder, character);
      if (step->kind == QM_MOVE_STEP_TO_VAULT || step->kind == QM_MOVE_STEP_FROM_VAULT)
        {
          json_builder_set_member_name (builder, "to_vault");
          json_builder_add_boolean_value (builder, step->kind == QM_MOVE_STEP_TO_VAULT);
        }
      if (step->kind == QM_MOVE_STEP_LOCK || step->kind == QM_MOVE_STEP_UNLOCK)
        {
          json_builder_set_member_name (builder, "state");
          json_builder_add_boolean_value (builder, step->kind == QM_MOVE_STEP_LOCK);
        }
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason_name (step->reason));
      json_builder_set_member_name (builder, "other_item");
      json_builder_add_boolean_value (builder, step->aside);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  qm_cli_set_optional_string (builder, "error", error);
  qm_cli_set_optional_string (builder, "notice", notice);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
plan_to_text (const QmMoveState *state,
              const GArray      *steps)
{
  GString *out = g_string_new (NULL);
  guint n_other = 0;

  if (steps->len == 0)
    {
      g_string_append_printf (out, "%s\n", _("Nothing to do: it is already so."));
      return g_string_free (out, FALSE);
    }
  for (guint i = 0; i < steps->len; i++)
    n_other += g_array_index (steps, QmMoveStep, i).aside;
  if (n_other > 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%u step moves an item you did not name (marked *).\n",
                                              "%u steps move items you did not name (marked *).\n", n_other),
                            n_other);
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      g_autofree char *text = qm_move_step_describe (state, step);

      g_string_append_printf (out, "%2u.%s %s\n", i + 1, step->aside ? "*" : " ", text);
    }
  return g_string_free (out, FALSE);
}

int
qm_cli_run_move (QmCli            *cli,
                 QmCliMoveBuilder  build)
{
  g_autoptr(QmInventory) inventory = NULL;
  QmMoveExecutor *executor;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  QmMoveRequest request = { 0 };
  gboolean ok;

  if (!qm_cli_connect_account (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  inventory = qm_cli_load_inventory (cli, &error);
  if (inventory == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  /* The session's queue, as the window's moves use. */
  executor = qm_session_get_executor (cli->session);
  g_assert (executor != NULL);
  state = qm_move_executor_dup_state (executor);
  if (!build (cli, state, &request, &error) ||
      (steps = qm_move_executor_plan (executor, &request, 1, NULL, &error)) == NULL)
    {
      if (cli->json)
        {
          g_autoptr(JsonNode) root = plan_to_json (state, NULL, cli->dry_run, FALSE, error->message, NULL);

          qm_cli_write_json (root, NULL);
        }
      return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }

  if (!cli->json)
    {
      g_autofree char *text = plan_to_text (state, steps);

      if (!qm_cli_write_stdout (text, &error))
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  if (cli->dry_run || steps->len == 0)
    {
      if (cli->json)
        {
          g_autoptr(JsonNode) root = plan_to_json (state, steps, cli->dry_run, TRUE, NULL, NULL);

          if (!qm_cli_write_json (root, &error))
            return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
        }
      return EXIT_SUCCESS;
    }

  qm_move_executor_run_async (executor, &request, 1, NULL, NULL, qm_cli_on_done_cb, cli);
  ok = qm_move_executor_run_finish (executor, qm_cli_wait (cli), &notice, &error);
  qm_cli_clear_result (cli);
  g_clear_pointer (&steps, g_array_unref);
  /* What ran (the plan may have changed on the way). */
  if (qm_move_executor_get_steps (executor) != NULL)
    steps = g_array_ref (qm_move_executor_get_steps (executor));

  if (cli->json)
    {
      g_autoptr(JsonNode) root = plan_to_json (state, steps, FALSE, ok, ok ? NULL : error->message, notice);

      if (!qm_cli_write_json (root, NULL))
        return QM_CLI_EXIT_FAILED;
    }
  if (notice != NULL)
    qm_cli_warn (notice);
  if (!ok)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  if (!cli->json && !qm_cli_write_stdout (_("Done.\n"), &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * move INSTANCE_ID --to vault|CHARACTER_ID [--equip] [--amount N]
 * ------------------------------------------------------------------------ */

static gboolean
check_move (QmCli   *cli,
            GError **error)
{
  if (cli->to == NULL)
    return qm_cli_usage_error (error, _("“move” needs --to vault or --to CHARACTER_ID"));
  if (cli->amount < 0)
    return qm_cli_usage_error (error, _("--amount must be a positive number"));
  if (cli->equip && g_strcmp0 (cli->to, "vault") == 0)
    return qm_cli_usage_error (error, _("--equip needs a character to equip on, not the vault"));
  return TRUE;
}

static gboolean
build_move (QmCli             *cli,
            const QmMoveState *state,
            QmMoveRequest     *request,
            GError           **error)
{
  int index = qm_cli_find_item (state, cli->item_id, error);
  guint64 id = 0;

  if (index < 0)
    return FALSE;
  request->kind = QM_MOVE_REQUEST_MOVE;
  request->instance_id = g_array_index (state->items, QmMoveItem, index).instance_id;
  request->equip = cli->equip;
  request->amount = cli->amount;
  if (g_strcmp0 (cli->to, "vault") == 0)
    {
      request->target = QM_MOVE_VAULT;
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (cli->to, 10, 1, G_MAXUINT64, &id, NULL))
    request->target = qm_move_state_find_character (state, id);
  else
    request->target = -1;
  if (request->target < 0)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                   _("This account has no character with the ID %s"), cli->to);
      return FALSE;
    }
  return TRUE;
}

static int
run_move (QmCli *cli)
{
  return qm_cli_run_move (cli, build_move);
}

const QmCliCommand qm_cli_command_move = {
  .name = "move",
  .summary = N_("INSTANCE_ID --to vault|CHARACTER_ID: move an item (--equip, --amount N)"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_ITEM | QM_CLI_OPTION_TO,
  .check = check_move,
  .run = run_move,
};
