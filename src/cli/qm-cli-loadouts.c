/* qm-cli-loadouts.c: quartermaster-cli loadouts [--json], and what the
 * loadout-* commands share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include "qm-cli-private.h"
#include "qm-loadout-manager.h"

/* The account and its loadouts, read afresh; NULL with the error. */
QmLoadouts *
qm_cli_load_loadouts (QmCli   *cli,
                      GError **error)
{
  g_autoptr(QmInventory) inventory = NULL;
  QmLoadoutManager *manager;
  QmLoadouts *loadouts;

  if (!qm_cli_connect_account (cli, error))
    return NULL;
  inventory = qm_cli_load_inventory (cli, error);
  if (inventory == NULL)
    return NULL;
  manager = qm_session_get_loadout_manager (cli->session);
  qm_loadout_manager_refresh_async (manager, NULL, qm_cli_on_done_cb, cli);
  loadouts = qm_loadout_manager_refresh_finish (manager, qm_cli_wait (cli), error);
  qm_cli_clear_result (cli);
  return loadouts;
}

/* CHARACTER_ID INDEX of the loadout-* commands: INDEX counts from 1, as
 * the game shows the slots. */
gboolean
qm_cli_parse_slot (QmCli       *cli,
                   const char **character_id,
                   int         *index,
                   GError     **error)
{
  guint64 id = 0;
  guint64 number = 0;

  if (!g_ascii_string_to_unsigned (cli->arguments[0], 10, 1, G_MAXUINT64, &id, NULL))
    return qm_cli_usage_error (error, _("The character ID is a number (see “inventory”)"));
  if (!g_ascii_string_to_unsigned (cli->arguments[1], 10, 1, 64, &number, NULL))
    return qm_cli_usage_error (error, _("The loadout index is a number from 1"));
  *character_id = cli->arguments[0];
  *index = (int) number - 1;
  return TRUE;
}

static const char *
status_name (QmLoadoutStatus status)
{
  switch (status)
    {
    case QM_LOADOUT_STATUS_EQUIPPED:
      return "equipped";
    case QM_LOADOUT_STATUS_READY:
      return "ready";
    case QM_LOADOUT_STATUS_MISSING:
      return "missing";
    case QM_LOADOUT_STATUS_EMPTY:
    default:
      return "empty";
    }
}

static const char *
status_text (QmLoadoutStatus status,
             guint           n_missing)
{
  static char buffer[128];

  switch (status)
    {
    case QM_LOADOUT_STATUS_EQUIPPED:
      return _("Equipped");
    case QM_LOADOUT_STATUS_READY:
      return _("Ready");
    case QM_LOADOUT_STATUS_MISSING:
      g_snprintf (buffer, sizeof buffer,
                  g_dngettext (GETTEXT_PACKAGE, "%u item missing", "%u items missing", n_missing), n_missing);
      return buffer;
    case QM_LOADOUT_STATUS_EMPTY:
    default:
      return _("Empty");
    }
}

static const char *
item_place_name (QmLoadoutItemPlace place)
{
  switch (place)
    {
    case QM_LOADOUT_ITEM_EQUIPPED:
      return "equipped";
    case QM_LOADOUT_ITEM_ON_CHARACTER:
      return "character";
    case QM_LOADOUT_ITEM_ELSEWHERE:
      return "elsewhere";
    case QM_LOADOUT_ITEM_STUCK:
      return "stuck";
    case QM_LOADOUT_ITEM_GONE:
    default:
      return "gone";
    }
}

static void
add_choices (JsonBuilder *builder,
             QmManifest  *manifest,
             const char  *member,
             QmTable      table)
{
  guint n = manifest != NULL ? qm_manifest_get_n_definitions (manifest, table) : 0;

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      QmDefinition def = qm_manifest_get_definition_at (manifest, table, i);

      if (!def.known)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_int_value (builder, def.hash);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, def.value);
      if (table == QM_TABLE_LOADOUT_NAME)
        qm_cli_set_optional_string (builder, "name", def.name);
      else
        qm_cli_set_optional_string (builder, "image", def.icon);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static const char *
identifier_name (QmManifest *manifest,
                 guint32     hash)
{
  QmDefinition def;

  if (manifest == NULL || hash == 0)
    return NULL;
  def = qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_NAME, hash);
  return def.known ? def.name : NULL;
}

/* {"characters": [{"id", "class", "loadouts": [{"index" (from 1), "name",
 * "name_hash", "color_hash", "icon_hash", "status", "missing", "items":
 * [{"id", "hash", "name", "where"}]}]}], "names", "colors", "icons": the
 * choices [{"hash", "index", "name"|"image"}]} */
static JsonNode *
loadouts_to_json (QmLoadouts  *loadouts,
                  QmInventory *inventory)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QmManifest *manifest = qm_inventory_get_manifest (inventory);
  QmProfile *profile = qm_inventory_get_profile (inventory);
  const char * const *ids = qm_loadouts_get_character_ids (loadouts);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "characters");
  json_builder_begin_array (builder);
  for (guint c = 0; ids[c] != NULL; c++)
    {
      const QmCharacter *character = qm_profile_find_character (profile, ids[c]);
      GListModel *model = qm_loadouts_get_for_character (loadouts, ids[c]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ids[c]);
      json_builder_set_member_name (builder, "class");
      json_builder_add_string_value (builder, qm_class_type_to_string (character != NULL ? character->class_type : 3));
      json_builder_set_member_name (builder, "loadouts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(QmLoadout) loadout = g_list_model_get_item (model, i);
          const char * const *items = qm_loadout_get_item_ids (loadout);
          guint n_missing = 0;
          QmLoadoutStatus status = qm_loadout_get_status (loadout, inventory, &n_missing);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "index");
          json_builder_add_int_value (builder, qm_loadout_get_index (loadout) + 1);
          qm_cli_set_optional_string (builder, "name",
                                      identifier_name (manifest, qm_loadout_get_name_hash (loadout)));
          json_builder_set_member_name (builder, "name_hash");
          json_builder_add_int_value (builder, qm_loadout_get_name_hash (loadout));
          json_builder_set_member_name (builder, "color_hash");
          json_builder_add_int_value (builder, qm_loadout_get_color_hash (loadout));
          json_builder_set_member_name (builder, "icon_hash");
          json_builder_add_int_value (builder, qm_loadout_get_icon_hash (loadout));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, status_name (status));
          json_builder_set_member_name (builder, "missing");
          json_builder_add_int_value (builder, n_missing);
          json_builder_set_member_name (builder, "items");
          json_builder_begin_array (builder);
          for (guint k = 0; items[k] != NULL; k++)
            {
              g_autoptr(QmItem) item = NULL;
              QmLoadoutItemPlace place = qm_loadout_locate_item (loadout, inventory, items[k], &item);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_string_value (builder, items[k]);
              if (item != NULL)
                {
                  json_builder_set_member_name (builder, "hash");
                  json_builder_add_int_value (builder, qm_item_get_hash (item));
                  qm_cli_set_optional_string (builder, "name", qm_item_get_name (item));
                }
              json_builder_set_member_name (builder, "where");
              json_builder_add_string_value (builder, item_place_name (place));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_choices (builder, manifest, "names", QM_TABLE_LOADOUT_NAME);
  add_choices (builder, manifest, "colors", QM_TABLE_LOADOUT_COLOR);
  add_choices (builder, manifest, "icons", QM_TABLE_LOADOUT_ICON);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
loadouts_to_text (QmLoadouts  *loadouts,
                  QmInventory *inventory)
{
  GString *out = g_string_new (NULL);
  QmManifest *manifest = qm_inventory_get_manifest (inventory);
  QmProfile *profile = qm_inventory_get_profile (inventory);
  const char * const *ids = qm_loadouts_get_character_ids (loadouts);

  for (guint c = 0; ids[c] != NULL; c++)
    {
      const QmCharacter *character = qm_profile_find_character (profile, ids[c]);
      GListModel *model = qm_loadouts_get_for_character (loadouts, ids[c]);

      /* Translators: the class, then the character ID */
      g_string_append_printf (out, _("%s (%s)\n"),
                              qm_class_type_display_name (character != NULL ? character->class_type : 3), ids[c]);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(QmLoadout) loadout = g_list_model_get_item (model, i);
          const char *name = identifier_name (manifest, qm_loadout_get_name_hash (loadout));
          guint n_missing = 0;
          QmLoadoutStatus status = qm_loadout_get_status (loadout, inventory, &n_missing);
          const char * const *items = qm_loadout_get_item_ids (loadout);

          g_string_append_printf (out, "  %2d  %-20s  %s\n", qm_loadout_get_index (loadout) + 1,
                                  status == QM_LOADOUT_STATUS_EMPTY ? "—" : (name != NULL ? name : _("Unnamed")),
                                  status_text (status, n_missing));
          for (guint k = 0; items[k] != NULL; k++)
            {
              g_autoptr(QmItem) item = NULL;
              QmLoadoutItemPlace place = qm_loadout_locate_item (loadout, inventory, items[k], &item);

              g_string_append_printf (out, "        %s%s\n",
                                      item != NULL && qm_item_get_name (item) != NULL ?
                                      qm_item_get_name (item) : items[k],
                                      place == QM_LOADOUT_ITEM_GONE ? _(" (no longer exists)") :
                                      place == QM_LOADOUT_ITEM_STUCK ? _(" (cannot leave its character)") : "");
            }
        }
    }
  return g_string_free (out, FALSE);
}

static int
run_loadouts (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = qm_cli_load_loadouts (cli, &error);
  QmInventory *inventory;

  if (loadouts == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  inventory = qm_session_get_inventory (cli->session);
  if (cli->json)
    {
      g_autoptr(JsonNode) root = loadouts_to_json (loadouts, inventory);

      if (!qm_cli_write_json (root, &error))
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  else
    {
      g_autofree char *text = loadouts_to_text (loadouts, inventory);

      if (!qm_cli_write_stdout (text, &error))
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  return 0;
}

/* After an action: "Done." (or the JSON listing), the notice on stderr. */
int
qm_cli_finish_loadout_action (QmCli        *cli,
                              QmLoadouts   *loadouts,
                              const char   *notice,
                              const GError *failure)
{
  g_autoptr(GError) error = NULL;

  if (notice != NULL)
    qm_cli_warn (notice);
  if (failure != NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, failure);
  if (cli->json)
    {
      g_autoptr(JsonNode) root = loadouts_to_json (loadouts, qm_session_get_inventory (cli->session));

      if (!qm_cli_write_json (root, &error))
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  else if (!qm_cli_write_stdout (_("Done.\n"), &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return 0;
}

const QmCliCommand qm_cli_command_loadouts = {
  .name = "loadouts",
  .summary = N_("the in-game loadouts of every character, with their status"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP,
  .run = run_loadouts,
};
