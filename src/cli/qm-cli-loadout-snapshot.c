/* qm-cli-loadout-snapshot.c: quartermaster-cli loadout-snapshot CHARACTER_ID
 * INDEX [--name HASH --color HASH --icon HASH]
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"
#include "qm-loadout-manager.h"

static gboolean
parse_hash (const char  *text,
            const char  *option,
            guint32     *hash,
            GError     **error)
{
  guint64 value = 0;

  *hash = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    {
      /* Translators: the option, e.g. --name */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s takes a definition hash, a number (see “loadouts --json”)"), option);
      return FALSE;
    }
  *hash = (guint32) value;
  return TRUE;
}

static gboolean
check_loadout_snapshot (QmCli   *cli,
                        GError **error)
{
  guint32 hash;

  return parse_hash (cli->name_hash, "--name", &hash, error) &&
         parse_hash (cli->color_hash, "--color", &hash, error) &&
         parse_hash (cli->icon_hash, "--icon", &hash, error);
}

static int
run_loadout_snapshot (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = NULL;
  QmLoadoutManager *manager;
  const char *character_id;
  guint32 name = 0, color = 0, icon = 0;
  int index;

  if (!qm_cli_parse_slot (cli, &character_id, &index, &error) ||
      !parse_hash (cli->name_hash, "--name", &name, &error) ||
      !parse_hash (cli->color_hash, "--color", &color, &error) ||
      !parse_hash (cli->icon_hash, "--icon", &icon, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_USAGE, error);
  loadouts = qm_cli_load_loadouts (cli, &error);
  if (loadouts == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  g_clear_object (&loadouts);

  manager = qm_session_get_loadout_manager (cli->session);
  qm_loadout_manager_snapshot_async (manager, character_id, index, name, color, icon,
                                     NULL, qm_cli_on_done_cb, cli);
  loadouts = qm_loadout_manager_action_finish (manager, qm_cli_wait (cli), NULL, &error);
  qm_cli_clear_result (cli);
  return qm_cli_finish_loadout_action (cli, loadouts, NULL, error);
}

const QmCliCommand qm_cli_command_loadout_snapshot = {
  .name = "loadout-snapshot",
  .summary = N_("CHARACTER_ID INDEX: save what the character wears into an in-game loadout (--name, --color, --icon HASH)"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP | QM_CLI_OPTION_IDENTIFIERS,
  .arguments = N_("CHARACTER_ID INDEX"),
  .n_arguments = 2,
  .check = check_loadout_snapshot,
  .run = run_loadout_snapshot,
};
