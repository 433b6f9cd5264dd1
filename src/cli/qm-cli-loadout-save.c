/* qm-cli-loadout-save.c: quartermaster-cli loadout-save NAME CHARACTER_ID
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saves the character's current gear (the equipped items that can leave
 * it) as a loadout of ours, in the account's loadouts file.
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"
#include "qm-loadout-apply.h"
#include "qm-move-executor.h"
#include "qm-profile.h"

QmLoadoutStore *
qm_cli_open_loadouts (QmCli   *cli,
                      GError **error)
{
  QmInventory *inventory = qm_session_get_inventory (cli->session);
  const char *membership_id = inventory != NULL ? qm_profile_get_membership_id (qm_inventory_get_profile (inventory)) : NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autofree char *path = qm_loadout_store_get_default_path (membership_id);

  if (path == NULL)
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_INVALID,
                   _("The account has no Destiny membership to keep loadouts for."));
      return NULL;
    }
  store = qm_loadout_store_new_for_path (path);
  if (qm_loadout_store_get_damaged (store))
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED, "%s",
                   qm_loadout_store_get_damage_message (store));
      return NULL;
    }
  return g_steal_pointer (&store);
}

int
qm_cli_find_character (const QmMoveState *state,
                       const char        *character_id,
                       GError           **error)
{
  guint64 id = 0;
  int index = -1;

  if (g_ascii_string_to_unsigned (character_id, 10, 1, G_MAXUINT64, &id, NULL))
    index = qm_move_state_find_character (state, id);
  if (index < 0)
    g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                 _("This account has no character with the ID %s"), character_id);
  return index;
}

static int
run_loadout_save (QmCli *cli)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  QmSavedLoadout *loadout;
  int character, class_type;

  if (!qm_cli_connect_account (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  inventory = qm_cli_load_inventory (cli, &error);
  if (inventory == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  state = qm_move_executor_dup_state (qm_session_get_executor (cli->session));
  character = qm_cli_find_character (state, cli->arguments[1], &error);
  if (character < 0)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  store = qm_cli_open_loadouts (cli, &error);
  if (store == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  items = qm_loadout_items_from_character (state, character, &class_type);
  loadout = qm_loadout_store_create (store, cli->arguments[0], class_type,
                                     (const QmLoadoutItem *) (gpointer) items->data, items->len, &error);
  if (loadout == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved “%s” with %u item in %s.\n",
                                       "Saved “%s” with %u items in %s.\n", items->len),
                          qm_saved_loadout_get_name (loadout), items->len, qm_loadout_store_get_path (store));
  if (!qm_cli_write_stdout (text, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_loadout_save = {
  .name = "loadout-save",
  .summary = N_("NAME CHARACTER_ID: save the character’s current gear as a loadout"),
  .options = QM_CLI_OPTION_MEMBERSHIP,
  .arguments = "NAME CHARACTER_ID",
  .n_arguments = 2,
  .run = run_loadout_save,
};
