/* qm-cli-loadout-clear.c: quartermaster-cli loadout-clear CHARACTER_ID INDEX
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"
#include "qm-loadout-manager.h"

static int
run_loadout_clear (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = NULL;
  QmLoadoutManager *manager;
  const char *character_id;
  int index;

  if (!qm_cli_parse_slot (cli, &character_id, &index, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_USAGE, error);
  loadouts = qm_cli_load_loadouts (cli, &error);
  if (loadouts == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  g_clear_object (&loadouts);

  manager = qm_session_get_loadout_manager (cli->session);
  qm_loadout_manager_clear_async (manager, character_id, index, NULL, qm_cli_on_done_cb, cli);
  loadouts = qm_loadout_manager_action_finish (manager, qm_cli_wait (cli), NULL, &error);
  qm_cli_clear_result (cli);
  return qm_cli_finish_loadout_action (cli, loadouts, NULL, error);
}

const QmCliCommand qm_cli_command_loadout_clear = {
  .name = "loadout-clear",
  .summary = N_("CHARACTER_ID INDEX: empty an in-game loadout slot"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP,
  .arguments = N_("CHARACTER_ID INDEX"),
  .n_arguments = 2,
  .run = run_loadout_clear,
};
