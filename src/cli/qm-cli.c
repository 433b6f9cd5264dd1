/* qm-cli.c: quartermaster-cli, the command line on qm-core
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-sandbox.h"

#define PROGRAM_NAME "quartermaster-cli"

enum {
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

typedef struct
{
  gboolean        sandbox;
  char           *data_dir;   /* --sandbox=DIR */
  char           *origin;
  char           *record_path;
  gboolean        json;

  QmSandbox      *server;
  QmBungieClient *client;
  GMainLoop      *loop;
  GAsyncResult   *result;
} Cli;

static Cli cli;

static void
cli_clear (Cli *self)
{
  g_clear_object (&self->client);
  if (self->server != NULL)
    qm_sandbox_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->result);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->record_path, g_free);
}

static int
fail (int         status,
      const char *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return status;
}

static gboolean
on_sandbox_option_cb (const char  *option_name,
                      const char  *value,
                      gpointer     data,
                      GError     **error)
{
  cli.sandbox = TRUE;
  g_free (cli.data_dir);
  cli.data_dir = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
  return TRUE;
}

/* Warnings are not failures: one readable line each, like the errors. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if ((log_level & G_LOG_LEVEL_MASK) != G_LOG_LEVEL_WARNING)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, _("warning"), (const char *) fields[i].value);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
parse_arguments (int      *argc,
                 char   ***argv,
                 GError  **error)
{
  const GOptionEntry entries[] = {
    { "sandbox", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_sandbox_option_cb,
      N_("Use the built-in sandbox: the demo account, or the recorded data in DIR"), N_("DIR") },
    { "origin", 0, 0, G_OPTION_ARG_STRING, &cli.origin,
      N_("Talk to the Bungie.net service at URL (with QM_API_KEY and QM_ACCESS_TOKEN)"), N_("URL") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &cli.record_path,
      N_("With --sandbox: record every exchange into FILE as JSON lines"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json,
      N_("Print JSON instead of text"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND"));

  /* GOption would take the word after a bare --sandbox as its DIR: only
   * --sandbox=DIR names one. */
  for (int i = 1; i < *argc && g_strcmp0 ((*argv)[i], "--") != 0; i++)
    if (g_strcmp0 ((*argv)[i], "--sandbox") == 0)
      (*argv)[i] = (char *) "--sandbox=";

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Commands:\n  inventory    list every item of the account"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
check_arguments (int      argc,
                 char   **argv,
                 GError **error)
{
  if (argc < 2)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("No command given (try “inventory”, or --help)"));
      return FALSE;
    }
  if (g_strcmp0 (argv[1], "inventory") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unknown command “%s” (try --help)"), argv[1]);
      return FALSE;
    }
  if (argc > 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”"), argv[2]);
      return FALSE;
    }
  if (cli.sandbox && cli.origin != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--sandbox and --origin cannot be used together"));
      return FALSE;
    }
  if (cli.record_path != NULL && !cli.sandbox)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--record works only with --sandbox"));
      return FALSE;
    }
  if (cli.origin != NULL && !g_uri_is_valid (cli.origin, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("“%s” is not a URL"), cli.origin);
      return FALSE;
    }
  return TRUE;
}

/* The built-in sandbox, signed in to its account by itself. */
static gboolean
connect_sandbox (GError **error)
{
  QmSandboxOptions options = { 0 };
  g_autofree char *token = NULL;

  options.data_dir = cli.data_dir;
  options.record_path = cli.record_path;
  cli.server = qm_sandbox_new (&options, error);
  if (cli.server == NULL || !qm_sandbox_start (cli.server, error))
    return FALSE;

  cli.client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (cli.server), QM_SANDBOX_API_KEY);
  token = qm_sandbox_issue_access_token (cli.server);
  qm_bungie_client_set_access_token (cli.client, token);
  return TRUE;
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
connect_service (GError **error)
{
  const char *origin = cli.origin != NULL ? cli.origin : QM_DEFAULT_ORIGIN;
  const char *api_key = getenv_nonempty ("QM_API_KEY");
  const char *token = getenv_nonempty ("QM_ACCESS_TOKEN");

  if (api_key == NULL && *QM_DEFAULT_API_KEY != '\0')
    api_key = QM_DEFAULT_API_KEY;
  if (token == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Not signed in: the “signin” command is not available yet; "
                             "set QM_ACCESS_TOKEN, or use --sandbox"));
      return FALSE;
    }
  if (api_key == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No Bungie.net API key: set QM_API_KEY"));
      return FALSE;
    }

  cli.client = qm_bungie_client_new (origin, api_key);
  qm_bungie_client_set_access_token (cli.client, token);
  return TRUE;
}

static void
on_inventory_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  cli.result = g_object_ref (result);
  g_main_loop_quit (cli.loop);
}

static gboolean
write_stdout (const char  *text,
              GError     **error)
{
  if (fputs (text, stdout) < 0 || fflush (stdout) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not write the output"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
print_json (QmInventory  *inventory,
            GError      **error)
{
  g_autoptr(JsonNode) root = qm_inventory_to_json (inventory);
  g_autofree char *text = json_to_string (root, TRUE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  return write_stdout (line, error);
}

static const char *
class_display_name (int class_type)
{
  switch (class_type)
    {
    case 0:
      return _("Titan");
    case 1:
      return _("Hunter");
    case 2:
      return _("Warlock");
    default:
      return _("Unknown class");
    }
}

static void
append_bucket_header (GString *out,
                      guint32  bucket_hash)
{
  const char *name = qm_bucket_get_display_name (bucket_hash);

  if (name != NULL)
    g_string_append_printf (out, "%s:\n", _(name));
  else
    g_string_append_printf (out, _("Bucket %u:\n"), bucket_hash);
}

static void
append_item (GString *out,
             QmItem  *item)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_free);

  if (qm_item_get_name (item) != NULL)
    g_string_append_printf (out, "  %s", qm_item_get_name (item));
  else
    g_string_append_printf (out, _("  Unknown item %u"), qm_item_get_hash (item));
  if (qm_item_get_power (item) >= 0)
    g_string_append_printf (out, "  %d", qm_item_get_power (item));

  if (qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED)
    g_ptr_array_add (marks, g_strdup_printf ("[%s]", _("equipped")));
  if (qm_item_get_locked (item))
    g_ptr_array_add (marks, g_strdup_printf ("[%s]", _("locked")));
  if (qm_item_get_quantity (item) > 1)
    g_ptr_array_add (marks, g_strdup_printf ("x%d", qm_item_get_quantity (item)));
  g_ptr_array_add (marks, NULL);
  if (marks->len > 1)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) marks->pdata);

      g_string_append_printf (out, "  %s", joined);
    }
  g_string_append_c (out, '\n');
}

/* The slot an item is shown under: vault items by their home bucket. */
static guint32
display_bucket (QmItem     *item,
                QmManifest *manifest)
{
  const QmItemDefinition *def;

  if (qm_item_get_location (item) != QM_ITEM_LOCATION_VAULT)
    return qm_item_get_bucket_hash (item);
  def = qm_manifest_lookup_item (manifest, qm_item_get_hash (item));
  return def != NULL && def->bucket_hash != 0 ? def->bucket_hash : qm_item_get_bucket_hash (item);
}

typedef struct
{
  QmItem  *item;
  guint32  bucket;
  guint    position;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *entry_a = a;
  const Entry *entry_b = b;
  gint64 key_a = qm_bucket_get_sort_key (entry_a->bucket);
  gint64 key_b = qm_bucket_get_sort_key (entry_b->bucket);

  if (key_a != key_b)
    return key_a < key_b ? -1 : 1;
  return (entry_a->position > entry_b->position) - (entry_a->position < entry_b->position);
}

/* @entries sorted by bucket, each bucket under its heading. */
static void
append_section (GString    *out,
                const char *title,
                GArray     *entries)
{
  g_autofree char *underline = NULL;
  gint64 key = -1;

  g_array_sort (entries, compare_entries);
  underline = g_strnfill (g_utf8_strlen (title, -1), '=');
  g_string_append_printf (out, "%s%s\n%s\n", out->len > 0 ? "\n" : "", title, underline);
  if (entries->len == 0)
    g_string_append_printf (out, "%s\n", _("(no items)"));
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      /* Buckets shown together share a key: one heading for them. */
      if (qm_bucket_get_sort_key (entry->bucket) != key)
        append_bucket_header (out, entry->bucket);
      key = qm_bucket_get_sort_key (entry->bucket);
      append_item (out, entry->item);
    }
}

typedef gboolean (*ItemFilter) (QmItem *item, const char *character_id);

static gboolean
is_character_item (QmItem     *item,
                   const char *character_id)
{
  QmItemLocation location = qm_item_get_location (item);

  return location != QM_ITEM_LOCATION_VAULT && location != QM_ITEM_LOCATION_ACCOUNT &&
         g_strcmp0 (qm_item_get_character_id (item), character_id) == 0;
}

static gboolean
is_vault_item (QmItem     *item,
               const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
}

static gboolean
is_account_item (QmItem     *item,
                 const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_ACCOUNT;
}

static GArray *
collect_entries (QmInventory *inventory,
                 ItemFilter   filter,
                 const char  *character_id)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));

  /* The model holds the items for as long as the entries are used. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      Entry entry = { item, 0, i };

      if (!filter (item, character_id))
        continue;
      entry.bucket = display_bucket (item, qm_inventory_get_manifest (inventory));
      g_array_append_val (entries, entry);
    }
  return entries;
}

static gboolean
print_text (QmInventory  *inventory,
            GError      **error)
{
  QmProfile *profile = qm_inventory_get_profile (inventory);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) vault = collect_entries (inventory, is_vault_item, NULL);
  g_autoptr(GArray) account = collect_entries (inventory, is_account_item, NULL);

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, i);
      g_autoptr(GArray) entries = collect_entries (inventory, is_character_item, character->id);
      g_autofree char *title = g_strdup_printf (_("%s (Light %d)"),
                                                class_display_name (character->class_type),
                                                character->light);

      append_section (out, title, entries);
    }
  append_section (out, _("Vault"), vault);
  append_section (out, _("Account"), account);
  return write_stdout (out->str, error);
}

static int
run_inventory (void)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  cli.loop = g_main_loop_new (NULL, FALSE);
  qm_inventory_load_async (cli.client, NULL, on_inventory_loaded_cb, NULL);
  g_main_loop_run (cli.loop);

  inventory = qm_inventory_load_finish (cli.result, &error);
  if (inventory == NULL)
    return fail (EXIT_FAILED, error->message);
  if (qm_inventory_get_manifest_error (inventory) != NULL)
    /* Translators: %s says why the item definitions could not be loaded. */
    g_printerr ("%s: %s: %s\n", PROGRAM_NAME, _("warning"),
                qm_inventory_get_manifest_error (inventory)->message);
  if (!(cli.json ? print_json (inventory, &error) : print_text (inventory, &error)))
    return fail (EXIT_FAILED, error->message);
  return EXIT_SUCCESS;
}

static int
run (int    argc,
     char **argv)
{
  g_autoptr(GError) error = NULL;

  if (!parse_arguments (&argc, &argv, &error) || !check_arguments (argc, argv, &error))
    return fail (EXIT_USAGE, error->message);
  if (!(cli.sandbox ? connect_sandbox (&error) : connect_service (&error)))
    return fail (EXIT_FAILED, error->message);
  return run_inventory ();
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (PROGRAM_NAME);
  g_log_set_writer_func (log_writer, NULL, NULL);

  status = run (argc, argv);
  cli_clear (&cli);
  return status;
}
