/* qm-cli-loadout-apply.c: quartermaster-cli loadout-apply NAME CHARACTER_ID [--dry-run]
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applies a saved loadout through the account's move queue in DIM's order
 * (qm-loadout-apply.h) and prints each item's end: already there, moved,
 * equipped, or failed with its reason; the failures grouped by reason.
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"
#include "qm-loadout-apply.h"
#include "qm-move-executor.h"

static const char *
state_text (QmLoadoutResultState state)
{
  switch (state)
    {
    case QM_LOADOUT_RESULT_ALREADY_THERE:
      return _("already there");
    case QM_LOADOUT_RESULT_MOVED:
      return _("moved");
    case QM_LOADOUT_RESULT_EQUIPPED:
      return _("equipped");
    case QM_LOADOUT_RESULT_FAILED:
      return _("failed");
    case QM_LOADOUT_RESULT_PENDING:
    default:
      return _("not done");
    }
}

static int
run_loadout_apply (QmCli *cli)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *summary = NULL;
  QmMoveExecutor *executor;
  QmSavedLoadout *loadout;
  const GArray *results;
  int character;
  gboolean ok;

  if (!qm_cli_connect_account (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  inventory = qm_cli_load_inventory (cli, &error);
  if (inventory == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  executor = qm_session_get_executor (cli->session);
  state = qm_move_executor_dup_state (executor);
  character = qm_cli_find_character (state, cli->arguments[1], &error);
  if (character < 0)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  store = qm_cli_open_loadouts (cli, &error);
  if (store == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  loadout = qm_loadout_store_find (store, cli->arguments[0]);
  if (loadout == NULL)
    {
      g_set_error (&error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_NOT_FOUND, _("There is no saved loadout named “%s”."),
                   cli->arguments[0]);
      return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  apply = qm_loadout_apply_new (executor, store, loadout, state->characters[character].id, &error);
  if (apply == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  if (cli->dry_run)
    {
      g_autofree char *preview = qm_loadout_apply_dup_preview (apply);

      if (!qm_cli_write_stdout (preview, &error))
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
      return EXIT_SUCCESS;
    }

  qm_loadout_apply_run_async (apply, NULL, qm_cli_on_done_cb, cli);
  ok = qm_loadout_apply_run_finish (apply, qm_cli_wait (cli), &error);
  qm_cli_clear_result (cli);

  results = qm_loadout_apply_get_results (apply);
  for (guint i = 0; i < results->len; i++)
    {
      const QmLoadoutItemResult *result = &g_array_index (results, QmLoadoutItemResult, i);

      g_string_append_printf (out, "%s%s: %s", result->other ? "* " : "", result->name, state_text (result->state));
      if (result->reason != NULL)
        g_string_append_printf (out, " (%s)", result->reason);
      g_string_append_c (out, '\n');
    }
  if (ok)
    {
      summary = qm_loadout_apply_dup_summary (apply);
      g_string_append_printf (out, "%s\n", summary);
    }
  if (!qm_cli_write_stdout (out->str, NULL))
    return QM_CLI_EXIT_FAILED;
  /* The failures by reason, on standard error. */
  return ok ? EXIT_SUCCESS : qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
}

const QmCliCommand qm_cli_command_loadout_apply = {
  .name = "loadout-apply",
  .summary = N_("NAME CHARACTER_ID: apply a saved loadout to a character (--dry-run)"),
  .options = QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_DRY_RUN,
  .arguments = "NAME CHARACTER_ID",
  .n_arguments = 2,
  .run = run_loadout_apply,
};
