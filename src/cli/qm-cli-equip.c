/* qm-cli-equip.c: quartermaster-cli equip INSTANCE_ID [--character ID]
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"

/* The character last played: the one at the screen. */
static int
active_character (const QmMoveState *state)
{
  int best = 0;

  for (guint i = 1; i < state->n_characters; i++)
    if (state->characters[i].last_played > state->characters[best].last_played)
      best = (int) i;
  return best;
}

static gboolean
build_equip (QmCli             *cli,
             const QmMoveState *state,
             QmMoveRequest     *request,
             GError           **error)
{
  int index = qm_cli_find_item (state, cli->item_id, error);
  const QmMoveItem *item;
  guint64 id = 0;

  if (index < 0)
    return FALSE;
  item = &g_array_index (state->items, QmMoveItem, index);
  request->kind = QM_MOVE_REQUEST_EQUIP;
  request->instance_id = item->instance_id;

  if (cli->character == NULL)
    {
      /* On the character holding it, else the one last played. */
      request->target = item->owner >= 0 ? item->owner : active_character (state);
      if (state->n_characters == 0)
        request->target = -1;
    }
  else if (g_ascii_string_to_unsigned (cli->character, 10, 1, G_MAXUINT64, &id, NULL))
    request->target = qm_move_state_find_character (state, id);
  else
    request->target = -1;
  if (request->target < 0)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                   _("This account has no character with the ID %s"),
                   cli->character != NULL ? cli->character : "");
      return FALSE;
    }
  return TRUE;
}

static int
run_equip (QmCli *cli)
{
  return qm_cli_run_move (cli, build_equip);
}

const QmCliCommand qm_cli_command_equip = {
  .name = "equip",
  .summary = N_("INSTANCE_ID: equip an item, moving it first (--character ID)"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_ITEM | QM_CLI_OPTION_CHARACTER,
  .run = run_equip,
};
