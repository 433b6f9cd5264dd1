/* qm-cli-pull.c: quartermaster-cli pull INSTANCE_ID, from the postmaster
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"

static gboolean
build_pull (QmCli             *cli,
            const QmMoveState *state,
            QmMoveRequest     *request,
            GError           **error)
{
  int index = qm_cli_find_item (state, cli->item_id, error);

  if (index < 0)
    return FALSE;
  request->kind = QM_MOVE_REQUEST_PULL;
  request->instance_id = g_array_index (state->items, QmMoveItem, index).instance_id;
  return TRUE;
}

static int
run_pull (QmCli *cli)
{
  return qm_cli_run_move (cli, build_pull);
}

const QmCliCommand qm_cli_command_pull = {
  .name = "pull",
  .summary = N_("INSTANCE_ID: take an item from the postmaster to its character"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_ITEM,
  .run = run_pull,
};
