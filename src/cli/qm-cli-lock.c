/* qm-cli-lock.c: quartermaster-cli lock / unlock INSTANCE_ID
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"

static gboolean
build_lock_state (QmCli             *cli,
                  const QmMoveState *state,
                  QmMoveRequest     *request,
                  QmMoveRequestKind  kind,
                  GError           **error)
{
  int index = qm_cli_find_item (state, cli->item_id, error);

  if (index < 0)
    return FALSE;
  request->kind = kind;
  request->instance_id = g_array_index (state->items, QmMoveItem, index).instance_id;
  return TRUE;
}

static gboolean
build_lock (QmCli             *cli,
            const QmMoveState *state,
            QmMoveRequest     *request,
            GError           **error)
{
  return build_lock_state (cli, state, request, QM_MOVE_REQUEST_LOCK, error);
}

static gboolean
build_unlock (QmCli             *cli,
              const QmMoveState *state,
              QmMoveRequest     *request,
              GError           **error)
{
  return build_lock_state (cli, state, request, QM_MOVE_REQUEST_UNLOCK, error);
}

static int
run_lock (QmCli *cli)
{
  return qm_cli_run_move (cli, build_lock);
}

static int
run_unlock (QmCli *cli)
{
  return qm_cli_run_move (cli, build_unlock);
}

const QmCliCommand qm_cli_command_lock = {
  .name = "lock",
  .summary = N_("INSTANCE_ID: lock an item"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_ITEM,
  .run = run_lock,
};

const QmCliCommand qm_cli_command_unlock = {
  .name = "unlock",
  .summary = N_("INSTANCE_ID: unlock an item"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_ITEM,
  .run = run_unlock,
};
