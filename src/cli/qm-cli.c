/* qm-cli.c: quartermaster-cli, the command line on qm-core
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options, the table of commands, and the dispatch to them. Each
 * command is a file of its own: qm-cli-COMMAND.c.
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "qm-cli-private.h"

extern const QmCliCommand qm_cli_command_equip;
extern const QmCliCommand qm_cli_command_inventory;
extern const QmCliCommand qm_cli_command_loadout_clear;
extern const QmCliCommand qm_cli_command_loadout_equip;
extern const QmCliCommand qm_cli_command_loadout_snapshot;
extern const QmCliCommand qm_cli_command_loadouts;
extern const QmCliCommand qm_cli_command_loadout_apply;
extern const QmCliCommand qm_cli_command_loadout_save;
extern const QmCliCommand qm_cli_command_lock;
extern const QmCliCommand qm_cli_command_manifest;
extern const QmCliCommand qm_cli_command_move;
extern const QmCliCommand qm_cli_command_pull;
extern const QmCliCommand qm_cli_command_unlock;
extern const QmCliCommand qm_cli_command_signin;
extern const QmCliCommand qm_cli_command_signout;
extern const QmCliCommand qm_cli_command_status;
extern const QmCliCommand qm_cli_command_xur;

/* The commands, in the order --help lists them. */
static const QmCliCommand * const commands[] = {
  &qm_cli_command_inventory,
  &qm_cli_command_move,
  &qm_cli_command_equip,
  &qm_cli_command_lock,
  &qm_cli_command_unlock,
  &qm_cli_command_pull,
  &qm_cli_command_loadouts,
  &qm_cli_command_loadout_equip,
  &qm_cli_command_loadout_snapshot,
  &qm_cli_command_loadout_clear,
  &qm_cli_command_loadout_save,
  &qm_cli_command_loadout_apply,
  &qm_cli_command_manifest,
  &qm_cli_command_xur,
  &qm_cli_command_signin,
  &qm_cli_command_signout,
  &qm_cli_command_status,
};

static const QmCliCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

static void
qm_cli_clear (QmCli *self)
{
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_pointer (&self->config, qm_config_free);
  if (self->server != NULL)
    qm_sandbox_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->result);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->record_path, g_free);
  g_clear_pointer (&self->html_path, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->membership, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->character, g_free);
  g_clear_pointer (&self->name_hash, g_free);
  g_clear_pointer (&self->color_hash, g_free);
  g_clear_pointer (&self->icon_hash, g_free);
  g_clear_pointer (&self->arguments, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QmCli, qm_cli_clear)

static gboolean
on_sandbox_option_cb (const char  *option_name,
                      const char  *value,
                      gpointer     data,
                      GError     **error)
{
  QmCli *cli = data;

  cli->sandbox = TRUE;
  g_free (cli->data_dir);
  cli->data_dir = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
  return TRUE;
}

static const char *
log_field (const GLogField *fields,
           gsize            n_fields,
           const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, key) == 0)
      return fields[i].value;
  return NULL;
}

/* Warnings are not failures: one readable line each, like the errors. The
 * libraries' messages are for G_MESSAGES_DEBUG: the commands say what
 * matters themselves. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  GLogLevelFlags level = log_level & G_LOG_LEVEL_MASK;

  if (level == G_LOG_LEVEL_MESSAGE &&
      g_log_writer_default_would_drop (G_LOG_LEVEL_INFO, log_field (fields, n_fields, "GLIB_DOMAIN")))
    return G_LOG_WRITER_HANDLED;
  if (level != G_LOG_LEVEL_WARNING)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  g_printerr ("%s: %s: %s\n", QM_CLI_PROGRAM_NAME, _("warning"), log_field (fields, n_fields, "MESSAGE"));
  return G_LOG_WRITER_HANDLED;
}

/* "Commands:" and a line for each, for --help. */
static char *
dup_summary (void)
{
  GString *summary = g_string_new (_("Commands:"));

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "\n  %-12s %s", commands[i]->name, _(commands[i]->summary));
  return g_string_free (summary, FALSE);
}

static gboolean
parse_arguments (QmCli    *cli,
                 int      *argc,
                 char   ***argv,
                 GError  **error)
{
  const GOptionEntry entries[] = {
    { "origin", 0, 0, G_OPTION_ARG_STRING, &cli->origin,
      N_("Talk to the Bungie.net service at URL"), N_("URL") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &cli->record_path,
      N_("With --sandbox: record every exchange into FILE as JSON lines"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print JSON instead of text (inventory, status, xur, and the item commands)"), NULL },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &cli->html_path,
      N_("xur: write his stock as an HTML page into FILE"), N_("FILE") },
    { "oauth", 0, 0, G_OPTION_ARG_NONE, &cli->oauth,
      N_("signin: with Bungie.net in the browser (OAuth)"), NULL },
    { "psn", 0, 0, G_OPTION_ARG_NONE, &cli->psn,
      N_("signin: with PlayStation Network (the password is read from standard input)"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &cli->user,
      N_("signin --psn: the PlayStation Network e-mail address"), N_("EMAIL") },
    { "membership", 0, 0, G_OPTION_ARG_STRING, &cli->membership,
      N_("inventory, xur: use the Destiny membership ID instead of the cross-save primary"),
      N_("ID") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &cli->language,
      N_("manifest: the language of the definitions, a Bungie code such as “de” (default: the desktop’s)"),
      N_("CODE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &cli->to,
      N_("move: where to, “vault” or a character ID"), N_("WHERE") },
    { "equip", 0, 0, G_OPTION_ARG_NONE, &cli->equip,
      N_("move: equip the item on arrival"), NULL },
    { "amount", 0, 0, G_OPTION_ARG_INT, &cli->amount,
      N_("move: how many of a stack (default: all of it)"), N_("N") },
    { "character", 0, 0, G_OPTION_ARG_STRING, &cli->character,
      N_("equip: the character ID to equip it on (default: the one holding it, else the last played)"),
      N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &cli->name_hash,
      N_("loadout-snapshot: the loadout’s name, a DestinyLoadoutNameDefinition hash (see “loadouts --json”)"),
      N_("HASH") },
    { "color", 0, 0, G_OPTION_ARG_STRING, &cli->color_hash,
      N_("loadout-snapshot: the loadout’s colour, a DestinyLoadoutColorDefinition hash"), N_("HASH") },
    { "icon", 0, 0, G_OPTION_ARG_STRING, &cli->icon_hash,
      N_("loadout-snapshot: the loadout’s icon, a DestinyLoadoutIconDefinition hash"), N_("HASH") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &cli->dry_run,
      N_("move, equip, lock, unlock, pull, loadout-apply: print the plan without running it"), NULL },
    { NULL }
  };
  /* Its callback is given the group's data: the main group's is @cli. */
  const GOptionEntry sandbox_entry[] = {
    { "sandbox", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_sandbox_option_cb,
      N_("Use the built-in sandbox: the demo account, or the recorded data in DIR"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND"));
  GOptionGroup *main_group = g_option_group_new (NULL, NULL, NULL, cli, NULL);
  g_autofree char *summary = dup_summary ();

  /* GOption would take the word after a bare --sandbox as its DIR: only
   * --sandbox=DIR names one. */
  for (int i = 1; i < *argc && g_strcmp0 ((*argv)[i], "--") != 0; i++)
    if (g_strcmp0 ((*argv)[i], "--sandbox") == 0)
      (*argv)[i] = (char *) "--sandbox=";

  g_option_group_add_entries (main_group, sandbox_entry);
  g_option_group_add_entries (main_group, entries);
  g_option_context_set_main_group (context, main_group);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _("The sign-in is kept in the system keyring. "
                                               "QM_ACCESS_TOKEN, when set, is used instead."));
  return g_option_context_parse (context, argc, argv, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* “a”, “b” and “c”: the commands that take @option, by name. */
static char *
dup_commands_taking (QmCliOptions option)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *list = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i]->options & option)
      /* Translators: a command's name in a list such as “inventory”, “manifest” and “xur”. */
      g_ptr_array_add (names, g_strdup_printf (_("“%s”"), commands[i]->name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        /* Translators: between the names of a list, and before its last one. */
        g_string_append (list, i + 1 < names->len ? _(", ") : _(" and "));
      g_string_append (list, g_ptr_array_index (names, i));
    }
  return g_string_free (list, FALSE);
}

/* The options only some commands take: given to another one, an error. */
static gboolean
check_command_options (QmCli               *cli,
                       const QmCliCommand  *command,
                       GError             **error)
{
  const struct {
    QmCliOptions  option;
    gboolean      given;
    const char   *names;
  } options[] = {
    { QM_CLI_OPTION_SIGN_IN, cli->oauth, "--oauth" },
    { QM_CLI_OPTION_SIGN_IN, cli->psn, "--psn" },
    { QM_CLI_OPTION_SIGN_IN, cli->user != NULL, "--user" },
    { QM_CLI_OPTION_JSON, cli->json, "--json" },
    { QM_CLI_OPTION_LANGUAGE, cli->language != NULL, "--language" },
    { QM_CLI_OPTION_HTML, cli->html_path != NULL, "--html" },
    { QM_CLI_OPTION_MEMBERSHIP, cli->membership != NULL, "--membership" },
    { QM_CLI_OPTION_ITEM | QM_CLI_OPTION_DRY_RUN, cli->dry_run, "--dry-run" },
    { QM_CLI_OPTION_TO, cli->to != NULL, "--to" },
    { QM_CLI_OPTION_TO, cli->equip, "--equip" },
    { QM_CLI_OPTION_TO, cli->amount != 0, "--amount" },
    { QM_CLI_OPTION_CHARACTER, cli->character != NULL, "--character" },
    { QM_CLI_OPTION_IDENTIFIERS, cli->name_hash != NULL, "--name" },
    { QM_CLI_OPTION_IDENTIFIERS, cli->color_hash != NULL, "--color" },
    { QM_CLI_OPTION_IDENTIFIERS, cli->icon_hash != NULL, "--icon" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].given && !(command->options & options[i].option))
      {
        g_autofree char *takers = dup_commands_taking (options[i].option);

        /* Translators: the options, then the commands that take them, e.g.
         * “--json works only with “inventory” and “xur””. */
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("%s works only with %s"),
                     options[i].names, takers);
        return FALSE;
      }
  return command->check == NULL || command->check (cli, error);
}

static const QmCliCommand *
check_arguments (QmCli    *cli,
                 int       argc,
                 char    **argv,
                 GError  **error)
{
  const QmCliCommand *command;

  if (argc < 2)
    {
      qm_cli_usage_error (error, _("No command given (try “inventory”, or --help)"));
      return NULL;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unknown command “%s” (try --help)"), argv[1]);
      return NULL;
    }
  if (command->options & QM_CLI_OPTION_ITEM)
    {
      if (argc < 3)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("“%s” needs the instance ID of an item"), command->name);
          return NULL;
        }
      cli->item_id = g_strdup (argv[2]);
    }
  if (command->n_arguments > 0)
    {
      if ((guint) argc < 2 + command->n_arguments)
        {
          /* Translators: the command, then its arguments ("CHARACTER_ID INDEX") */
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("“%s” needs %s"), command->name, command->arguments);
          return NULL;
        }
      cli->arguments = g_new0 (char *, command->n_arguments + 1);
      for (guint i = 0; i < command->n_arguments; i++)
        cli->arguments[i] = g_strdup (argv[2 + i]);
    }
  if ((guint) argc > ((command->options & QM_CLI_OPTION_ITEM) ? 3 : 2 + command->n_arguments))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”"),
                   argv[(command->options & QM_CLI_OPTION_ITEM) ? 3 : 2 + command->n_arguments]);
      return NULL;
    }
  if (cli->sandbox && cli->origin != NULL)
    {
      qm_cli_usage_error (error, _("--sandbox and --origin cannot be used together"));
      return NULL;
    }
  if (cli->record_path != NULL && !cli->sandbox)
    {
      qm_cli_usage_error (error, _("--record works only with --sandbox"));
      return NULL;
    }
  if (cli->origin != NULL && !g_uri_is_valid (cli->origin, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("“%s” is not a URL"), cli->origin);
      return NULL;
    }
  return check_command_options (cli, command, error) ? command : NULL;
}

int
main (int    argc,
      char **argv)
{
  g_auto(QmCli) cli = { 0 };
  g_autoptr(GError) error = NULL;
  const QmCliCommand *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (QM_CLI_PROGRAM_NAME);
  /* Standard output is for the commands' results (--json) alone. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* A reader that stops early is told apart in qm_cli_write_stdout(), as
   * EPIPE, rather than ending the program mid-write. */
  signal (SIGPIPE, SIG_IGN);

  if (!parse_arguments (&cli, &argc, &argv, &error))
    return qm_cli_fail (QM_CLI_EXIT_USAGE, error->message);
  command = check_arguments (&cli, argc, argv, &error);
  if (command == NULL)
    return qm_cli_fail (QM_CLI_EXIT_USAGE, error->message);

  cli.loop = g_main_loop_new (NULL, FALSE);
  return command->run (&cli);
}
