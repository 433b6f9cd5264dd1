/* qm-cli.c: quartermaster-cli, the command line on qm-core
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "qm-auth-manager.h"
#include "qm-bungie-client.h"
#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-json.h"
#include "qm-manifest.h"
#include "qm-oauth2-flow.h"
#include "qm-psn-flow.h"
#include "qm-sandbox.h"
#include "qm-sandbox-approve.h"
#include "qm-xur.h"
#include "qm-xur-digest.h"

#define PROGRAM_NAME "quartermaster-cli"
/* Longer passwords are refused rather than cut. */
#define MAX_PASSWORD_LENGTH 1024

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
  char           *html_path;  /* xur --html FILE */
  gboolean        oauth;
  gboolean        psn;
  char           *user;
  char           *membership; /* inventory, xur --membership ID */
  char           *language;   /* manifest --language CODE */

  QmSandbox      *server;
  QmConfig       *config;
  QmTokenStore   *store;
  QmAuthManager  *auth;
  QmBungieClient *client;
  GMainLoop      *loop;
  GAsyncResult   *result;
  /* The OAuth sign-in; cancelled with launch_error when its page could not
   * be approved. */
  GCancellable   *cancellable;
  GError         *launch_error;
} Cli;

static Cli cli;

static void
cli_clear (Cli *self)
{
  g_clear_object (&self->client);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  g_clear_pointer (&self->config, qm_config_free);
  if (self->server != NULL)
    qm_sandbox_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->result);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->launch_error);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->record_path, g_free);
  g_clear_pointer (&self->html_path, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->membership, g_free);
  g_clear_pointer (&self->language, g_free);
}

static int
fail (int         status,
      const char *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return status;
}

/* A sentence for the errors a player can act on; the others as they are. */
static char *
describe_error (const GError *error)
{
  if (error->domain == QM_AUTH_ERROR)
    switch ((QmAuthError) error->code)
      {
      case QM_AUTH_ERROR_WRONG_CREDENTIALS:
        return g_strdup (_("Your PlayStation Network e-mail address or password is wrong"));
      case QM_AUTH_ERROR_STATE_MISMATCH:
        return g_strdup (_("The answer from Bungie.net does not match the sign-in started here, "
                           "so it was refused"));
      case QM_AUTH_ERROR_DENIED:
        return g_strdup (_("Bungie.net did not allow the sign-in"));
      case QM_AUTH_ERROR_EXPIRED:
        return g_strdup (_("Your sign-in has expired: sign in again"));
      case QM_AUTH_ERROR_MAINTENANCE:
        return g_strdup (_("Bungie.net is down for maintenance: try again later"));
      default:
        break;
      }
  if (g_error_matches (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED))
    return g_strdup (_("Bungie.net is down for maintenance: try again later"));
  if (g_error_matches (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK))
    /* Translators: %s says what the network failure was. */
    return g_strdup_printf (_("Could not reach Bungie.net: %s"), error->message);
  return g_strdup (error->message);
}

static int
fail_with (int           status,
           const GError *error)
{
  g_autofree char *message = describe_error (error);

  return fail (status, message);
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

  g_printerr ("%s: %s: %s\n", PROGRAM_NAME, _("warning"), log_field (fields, n_fields, "MESSAGE"));
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
      N_("Talk to the Bungie.net service at URL"), N_("URL") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &cli.record_path,
      N_("With --sandbox: record every exchange into FILE as JSON lines"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json,
      N_("Print JSON instead of text (inventory, status, xur)"), NULL },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &cli.html_path,
      N_("xur: write his stock as an HTML page into FILE"), N_("FILE") },
    { "oauth", 0, 0, G_OPTION_ARG_NONE, &cli.oauth,
      N_("signin: with Bungie.net in the browser (OAuth)"), NULL },
    { "psn", 0, 0, G_OPTION_ARG_NONE, &cli.psn,
      N_("signin: with PlayStation Network (the password is read from standard input)"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &cli.user,
      N_("signin --psn: the PlayStation Network e-mail address"), N_("EMAIL") },
    { "membership", 0, 0, G_OPTION_ARG_STRING, &cli.membership,
      N_("inventory, xur: use the Destiny membership ID instead of the cross-save primary"),
      N_("ID") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &cli.language,
      N_("manifest: the language of the definitions, a Bungie code such as “de” (default: the desktop’s)"),
      N_("CODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND"));

  /* GOption would take the word after a bare --sandbox as its DIR: only
   * --sandbox=DIR names one. */
  for (int i = 1; i < *argc && g_strcmp0 ((*argv)[i], "--") != 0; i++)
    if (g_strcmp0 ((*argv)[i], "--sandbox") == 0)
      (*argv)[i] = (char *) "--sandbox=";

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Commands:\n"
                                           "  inventory    list every item of the account\n"
                                           "  manifest     check for new item definitions and download them\n"
                                           "  xur          Xûr’s stock this week, or when he returns\n"
                                           "  signin       sign in: --oauth, or --psn --user EMAIL\n"
                                           "  signout      sign out, and forget the sign-in\n"
                                           "  status       who is signed in, and until when"));
  g_option_context_set_description (context, _("The sign-in is kept in the system keyring. "
                                               "QM_ACCESS_TOKEN, when set, is used instead."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
usage_error (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return FALSE;
}

static gboolean
check_sign_in_options (const char  *command,
                       GError     **error)
{
  gboolean signin = g_str_equal (command, "signin");

  if (!signin && (cli.oauth || cli.psn || cli.user != NULL))
    return usage_error (error, _("--oauth, --psn and --user work only with “signin”"));
  if (cli.json && !g_str_equal (command, "inventory") && !g_str_equal (command, "status") &&
      !g_str_equal (command, "xur") && !g_str_equal (command, "manifest"))
    return usage_error (error, _("--json works only with “inventory”, “manifest”, “status” and “xur”"));
  if (cli.language != NULL && !g_str_equal (command, "manifest"))
    return usage_error (error, _("--language works only with “manifest”"));
  if (cli.html_path != NULL && !g_str_equal (command, "xur"))
    return usage_error (error, _("--html works only with “xur”"));
  if (cli.membership != NULL && !g_str_equal (command, "inventory") &&
      !g_str_equal (command, "xur"))
    return usage_error (error, _("--membership works only with “inventory” and “xur”"));
  if (!signin)
    return TRUE;
  if (cli.oauth == cli.psn)
    return usage_error (error, _("“signin” takes either --oauth or --psn"));
  if (cli.psn && (cli.user == NULL || *cli.user == '\0'))
    return usage_error (error, _("“signin --psn” needs --user EMAIL"));
  if (cli.oauth && cli.user != NULL)
    return usage_error (error, _("--user works only with --psn"));
  return TRUE;
}

static gboolean
check_arguments (int      argc,
                 char   **argv,
                 GError **error)
{
  static const char * const commands[] = { "inventory", "manifest", "signin", "signout", "status",
                                           "xur", NULL };

  if (argc < 2)
    return usage_error (error, _("No command given (try “inventory”, or --help)"));
  if (!g_strv_contains (commands, argv[1]))
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
    return usage_error (error, _("--sandbox and --origin cannot be used together"));
  if (cli.record_path != NULL && !cli.sandbox)
    return usage_error (error, _("--record works only with --sandbox"));
  if (cli.origin != NULL && !g_uri_is_valid (cli.origin, G_URI_FLAGS_NONE, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("“%s” is not a URL"), cli.origin);
      return FALSE;
    }
  return check_sign_in_options (argv[1], error);
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_set_object (&cli.result, result);
  g_main_loop_quit (cli.loop);
}

/* Run the main loop until the call given on_done_cb has ended. */
static GAsyncResult *
wait_result (void)
{
  while (cli.result == NULL)
    g_main_loop_run (cli.loop);
  return cli.result;
}

static void
clear_result (void)
{
  g_clear_object (&cli.result);
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
has_text (const char *value)
{
  return value != NULL && *value != '\0';
}

static gboolean
start_sandbox (GError **error)
{
  QmSandboxOptions options = { 0 };

  options.data_dir = cli.data_dir;
  options.record_path = cli.record_path;
  cli.server = qm_sandbox_new (&options, error);
  return cli.server != NULL && qm_sandbox_start (cli.server, error);
}

/* The built-in sandbox, signed in to its account by itself. */
static gboolean
connect_sandbox (GError **error)
{
  g_autofree char *token = NULL;

  if (!start_sandbox (error))
    return FALSE;

  cli.client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (cli.server), QM_SANDBOX_API_KEY);
  token = qm_sandbox_issue_access_token (cli.server);
  qm_bungie_client_set_access_token (cli.client, token);
  return TRUE;
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* The Bungie application and origins: the build's, the environment's, then
 * --origin's or the sandbox's. The sandbox's sign-ins stay in memory: it
 * starts afresh with every command. */
static gboolean
prepare_auth (GError **error)
{
  cli.config = qm_config_new_default ();
  if (cli.sandbox)
    {
      if (!start_sandbox (error))
        return FALSE;
      replace_string (&cli.config->origin, qm_sandbox_get_bungie_origin (cli.server));
      replace_string (&cli.config->psn_origin, qm_sandbox_get_psn_origin (cli.server));
      replace_string (&cli.config->api_key, QM_SANDBOX_API_KEY);
      replace_string (&cli.config->client_id, QM_SANDBOX_CLIENT_ID);
      replace_string (&cli.config->client_secret, QM_SANDBOX_CLIENT_SECRET);
      replace_string (&cli.config->redirect_uri, QM_SANDBOX_REDIRECT_URI);
      cli.auth = qm_auth_manager_new (cli.config, NULL);
      return TRUE;
    }

  if (cli.origin != NULL)
    replace_string (&cli.config->origin, cli.origin);
  if (!qm_origin_is_trusted (cli.config->origin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Refusing to sign in to %s: it is neither https nor this computer"),
                   cli.config->origin);
      return FALSE;
    }
  cli.store = qm_token_store_new ();
  cli.auth = qm_auth_manager_new (cli.config, cli.store);
  return TRUE;
}

/* The sign-in kept for the origin: TRUE when there is one. @error says why
 * there is none, when it is more than that nobody signed in. */
static gboolean
restore (GError **error)
{
  gboolean restored;

  clear_result ();
  qm_auth_manager_restore_async (cli.auth, NULL, on_done_cb, NULL);
  restored = qm_auth_manager_restore_finish (cli.auth, wait_result (), error);
  clear_result ();
  return restored;
}

/* --origin with the sign-in kept in the keyring, or QM_ACCESS_TOKEN. */
static gboolean
connect_service (GError **error)
{
  const char *token = getenv_nonempty ("QM_ACCESS_TOKEN");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;

  if (!prepare_auth (error))
    return FALSE;
  if (!has_text (cli.config->api_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No Bungie.net API key: set QM_API_KEY"));
      return FALSE;
    }

  cli.client = qm_bungie_client_new (cli.config->origin, cli.config->api_key);
  if (token != NULL)
    {
      qm_bungie_client_set_access_token (cli.client, token);
      return TRUE;
    }
  if (!restore (&local_error))
    {
      if (local_error != NULL)
        reason = describe_error (local_error);
      else
        /* Translators: %s is the Bungie.net origin, e.g. https://www.bungie.net. */
        reason = g_strdup_printf (_("Not signed in to %s"), cli.config->origin);
      g_set_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                   /* Translators: %s says why nobody is signed in. */
                   _("%s: run “quartermaster-cli signin --oauth” first (or set QM_ACCESS_TOKEN)"),
                   reason);
      return FALSE;
    }
  qm_bungie_client_set_auth_manager (cli.client, cli.auth);
  return TRUE;
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
  QmItemDefinition def;

  if (qm_item_get_location (item) != QM_ITEM_LOCATION_VAULT)
    return qm_item_get_bucket_hash (item);
  def = qm_manifest_get_item (manifest, qm_item_get_hash (item));
  return def.bucket_hash != 0 ? def.bucket_hash : qm_item_get_bucket_hash (item);
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
  return qm_item_is_held_by (item, character_id);
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
                                                qm_class_type_display_name (character->class_type),
                                                character->light);

      append_section (out, title, entries);
    }
  append_section (out, _("Vault"), vault);
  append_section (out, _("Account"), account);
  return write_stdout (out->str, error);
}

/* The account's inventory, of the membership --membership names if any. */
static QmInventory *
load_inventory (GError **error)
{
  g_autoptr(QmInventory) inventory = NULL;
  const char *chosen;

  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);

  /* The cached definitions serve when Bungie.net cannot be asked for new ones. */
  qm_manifest_open_cached (manifest, NULL);
  qm_inventory_load_for_membership_async (cli.client, manifest, cli.membership, NULL,
                                          on_done_cb, NULL);
  inventory = qm_inventory_load_finish (wait_result (), error);
  clear_result ();
  if (inventory == NULL)
    return NULL;
  chosen = qm_profile_get_membership_id (qm_inventory_get_profile (inventory));
  if (cli.membership != NULL && g_strcmp0 (chosen, cli.membership) != 0)
    {
      g_set_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND,
                   _("This account has no Destiny membership %s"), cli.membership);
      return NULL;
    }
  return g_steal_pointer (&inventory);
}

static int
run_inventory (void)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  if (!(cli.sandbox ? connect_sandbox (&error) : connect_service (&error)))
    return fail_with (EXIT_FAILED, error);

  inventory = load_inventory (&error);
  if (inventory == NULL)
    return fail_with (EXIT_FAILED, error);
  if (qm_inventory_get_manifest_error (inventory) != NULL)
    /* Translators: %s says why the item definitions could not be loaded. */
    g_printerr ("%s: %s: %s\n", PROGRAM_NAME, _("warning"),
                qm_inventory_get_manifest_error (inventory)->message);
  if (!(cli.json ? print_json (inventory, &error) : print_text (inventory, &error)))
    return fail (EXIT_FAILED, error->message);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Signing in                                                              */


/* Give up the sign-in: the page to approve could not be handled. */
static void
abandon_sign_in (GError *error)
{
  if (cli.launch_error == NULL)
    cli.launch_error = error;
  else
    g_error_free (error);
  g_cancellable_cancel (cli.cancellable);
}

static void
hand_over_redirect (QmOAuth2Flow *flow,
                    const char   *redirect)
{
  g_autoptr(GError) error = NULL;

  /* A refused redirect fails the sign-in with the reason. */
  if (qm_oauth2_flow_handle_redirect (flow, redirect, &error) || error != NULL)
    return;
  abandon_sign_in (g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                                        _("That is not the address Bungie.net sends you back to")));
}

static void
on_sandbox_approved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmOAuth2Flow) flow = user_data;
  g_autofree char *redirect = NULL;
  GError *error = NULL;

  redirect = qm_sandbox_approve_finish (result, &error);
  if (redirect == NULL)
    abandon_sign_in (error);
  else
    hand_over_redirect (flow, redirect);
}

/* On this computer (a sandbox): approve its authorize page directly. */
static void
approve_on_loopback (QmOAuth2Flow *flow,
                     const char   *uri,
                     gpointer      user_data)
{
  g_debug ("Approving the sign-in on %s without a browser", cli.config->origin);
  qm_sandbox_approve_async (uri, TRUE, cli.cancellable, on_sandbox_approved_cb, g_object_ref (flow));
}

static void
on_redirect_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(QmOAuth2Flow) flow = user_data;
  g_autofree char *line = NULL;
  GError *error = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL && error == NULL)
    error = g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_DENIED,
                                 _("No address was given: sign in with the Quartermaster app "
                                   "instead, it receives Bungie.net’s answer by itself"));
  if (line == NULL)
    {
      abandon_sign_in (error);
      return;
    }
  hand_over_redirect (flow, g_strstrip (line));
}

static void
on_browser_launched_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_printerr ("%s: %s\n", PROGRAM_NAME, _("Could not open a browser: open the address yourself"));
}

/* Bungie.net itself: the browser, and the redirect pasted back here. */
static void
open_in_browser (QmOAuth2Flow *flow,
                 const char   *uri,
                 gpointer      user_data)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (input);

  g_print (_("To sign in, open this address in your browser and approve Quartermaster:\n\n"
             "  %s\n\n"
             "Bungie.net then sends your browser to a quartermaster:// address. The Quartermaster "
             "app receives it when it is installed, and signs in there. To sign in here instead, "
             "paste that address and press Enter:\n"), uri);
  fflush (stdout);
  g_app_info_launch_default_for_uri_async (uri, NULL, cli.cancellable, on_browser_launched_cb, NULL);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cli.cancellable,
                                       on_redirect_read_cb, g_object_ref (flow));
}

static const char *
token_kind_name (const QmToken *token)
{
  return token->kind == QM_TOKEN_KIND_PSN_COOKIES ? _("PlayStation Network") : _("Bungie.net OAuth");
}

/* Hand @token to the auth manager, which keeps it in the keyring. */
static int
keep_sign_in (QmToken *token)
{
  const QmToken *kept;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean saved;

  clear_result ();
  qm_auth_manager_sign_in_async (cli.auth, token, NULL, on_done_cb, NULL);
  saved = qm_auth_manager_sign_in_finish (cli.auth, wait_result (), &error);
  clear_result ();
  if (!saved)
    {
      g_autofree char *reason = describe_error (error);

      /* Translators: %s says why the keyring could not keep the sign-in. */
      message = g_strdup_printf (_("Signed in, but the sign-in could not be kept: %s"), reason);
      return fail (EXIT_FAILED, message);
    }

  kept = qm_auth_manager_get_token (cli.auth);
  g_print (_("Signed in to %s with %s (Bungie.net membership %s).\n"), cli.config->origin,
           token_kind_name (kept), kept->membership_id != NULL ? kept->membership_id : _("unknown"));
  if (cli.sandbox)
    g_print ("%s\n", _("The built-in sandbox starts afresh with each command: this sign-in ends "
                       "with it. Run quartermaster-sandbox to keep one."));
  return EXIT_SUCCESS;
}

static int
sign_in_oauth (void)
{
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  if (!has_text (cli.config->client_id) || !has_text (cli.config->api_key))
    return fail (EXIT_FAILED, _("No Bungie.net application to sign in with: set QM_API_KEY, "
                                "QM_OAUTH_CLIENT_ID and QM_OAUTH_CLIENT_SECRET"));

  flow = qm_oauth2_flow_new (cli.config);
  if (qm_origin_is_loopback (cli.config->origin))
    qm_oauth2_flow_set_launcher (flow, approve_on_loopback, NULL, NULL);
  else
    qm_oauth2_flow_set_launcher (flow, open_in_browser, NULL, NULL);
  cli.cancellable = g_cancellable_new ();
  qm_oauth2_flow_sign_in_async (flow, cli.cancellable, on_done_cb, NULL);
  token = qm_oauth2_flow_sign_in_finish (flow, wait_result (), &error);
  clear_result ();
  if (token == NULL)
    return fail_with (EXIT_FAILED, cli.launch_error != NULL ? cli.launch_error : error);
  return keep_sign_in (token);
}

/* One line from standard input, read without stdio's buffer (which would
 * keep a copy of it). */
static char *
read_secret_line (GError **error)
{
  char buffer[MAX_PASSWORD_LENGTH + 1];
  gsize length = 0;
  char *secret = NULL;

  while (length < sizeof buffer)
    {
      ssize_t n = read (STDIN_FILENO, buffer + length, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || buffer[length] == '\n')
        break;
      length++;
    }
  if (length > 0 && buffer[length - 1] == '\r')
    length--;
  if (length == sizeof buffer)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The password is too long"));
  else if (length == 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("No password given"));
  else
    secret = g_strndup (buffer, length);
  explicit_bzero (buffer, sizeof buffer);
  return secret;
}

/* From standard input; on a terminal, asked for without echo. */
static char *
read_password (GError **error)
{
  struct termios saved;
  struct termios quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char *password;

  if (terminal)
    {
      /* Translators: %s is the PlayStation Network e-mail address. */
      g_printerr (_("PlayStation Network password for %s: "), cli.user);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  password = read_secret_line (error);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  return password;
}

static int
sign_in_psn (void)
{
  g_autoptr(QmPsnFlow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  password = read_password (&error);
  if (password == NULL)
    return fail_with (EXIT_FAILED, error);

  flow = qm_psn_flow_new (cli.config);
  qm_psn_flow_sign_in_async (flow, cli.user, password, NULL, on_done_cb, NULL);
  token = qm_psn_flow_sign_in_finish (flow, wait_result (), &error);
  clear_result ();
  /* Used once. */
  qm_secret_free (password);
  if (token == NULL)
    return fail_with (EXIT_FAILED, error);
  return keep_sign_in (token);
}

static int
run_signin (void)
{
  g_autoptr(GError) error = NULL;

  if (!prepare_auth (&error))
    return fail_with (EXIT_FAILED, error);
  return cli.oauth ? sign_in_oauth () : sign_in_psn ();
}

static int
run_signout (void)
{
  g_autoptr(GError) error = NULL;
  gboolean was_signed_in;

  if (!prepare_auth (&error))
    return fail_with (EXIT_FAILED, error);
  was_signed_in = restore (NULL);

  qm_auth_manager_sign_out_async (cli.auth, NULL, on_done_cb, NULL);
  if (!qm_auth_manager_sign_out_finish (cli.auth, wait_result (), &error))
    {
      g_autofree char *reason = describe_error (error);
      /* Translators: %s says why the keyring item could not be removed. */
      g_autofree char *message = g_strdup_printf (_("Could not remove the sign-in from the keyring: %s"),
                                                  reason);

      return fail (EXIT_FAILED, message);
    }
  clear_result ();
  if (was_signed_in)
    g_print (_("Signed out of %s.\n"), cli.config->origin);
  else
    g_print (_("Nobody was signed in to %s.\n"), cli.config->origin);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Status                                                                  */

/* A date people read; NULL when unknown. */
static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return NULL;
  time = g_date_time_new_from_unix_local (unix_seconds);
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S %Z") : NULL;
}

static char *
format_iso8601 (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return NULL;
  time = g_date_time_new_from_unix_utc (unix_seconds);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
append_expiry (GString    *out,
               const char *label,
               gint64      unix_seconds)
{
  g_autofree char *date = format_time (unix_seconds);

  g_string_append_printf (out, "  %s: %s", label, date != NULL ? date : _("not known"));
  if (date != NULL && unix_seconds <= g_get_real_time () / G_USEC_PER_SEC)
    g_string_append_printf (out, " (%s)", _("expired"));
  g_string_append_c (out, '\n');
}

/* Whether the keyring keeps the sign-in, and if not, why. */
static char *
describe_keeping (void)
{
  const GError *problem = cli.store != NULL ? qm_token_store_get_error (cli.store) : NULL;

  if (cli.store == NULL)
    return g_strdup (_("no (the sandbox’s sign-ins last as long as the command)"));
  if (qm_token_store_get_persistent (cli.store))
    return g_strdup (_("yes"));
  /* Translators: %s says why the keyring cannot be used. */
  return g_strdup_printf (_("no (%s)"), problem != NULL ? problem->message : _("no keyring"));
}

static char *
status_text (gboolean      signed_in,
             const GError *problem)
{
  const QmToken *token = qm_auth_manager_get_token (cli.auth);
  g_autofree char *keeping = describe_keeping ();
  GString *out = g_string_new (NULL);

  if (!signed_in || token == NULL)
    {
      g_string_append_printf (out, _("Not signed in to %s.\n"), cli.config->origin);
      if (problem != NULL)
        {
          g_autofree char *reason = describe_error (problem);

          g_string_append_printf (out, "  %s\n", reason);
        }
      else if (cli.store != NULL && !qm_token_store_get_persistent (cli.store))
        g_string_append_printf (out, "  %s: %s\n", _("Kept in the keyring"), keeping);
      return g_string_free (out, FALSE);
    }

  g_string_append_printf (out, _("Signed in to %s\n"), cli.config->origin);
  g_string_append_printf (out, "  %s: %s\n", _("Bungie.net membership"),
                          token->membership_id != NULL ? token->membership_id : _("not known"));
  g_string_append_printf (out, "  %s: %s\n", _("Signed in with"), token_kind_name (token));
  g_string_append_printf (out, "  %s: %s\n", _("Kept in the keyring"), keeping);
  if (token->kind == QM_TOKEN_KIND_OAUTH)
    {
      append_expiry (out, _("Access token expires"), token->access_expires);
      append_expiry (out, _("Refresh token expires"), token->refresh_expires);
    }
  else
    {
      append_expiry (out, _("Sign-in expires"), token->access_expires);
    }
  return g_string_free (out, FALSE);
}

static void
set_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
status_json (gboolean      signed_in,
             const GError *problem)
{
  const QmToken *token = signed_in ? qm_auth_manager_get_token (cli.auth) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *reason = problem != NULL ? describe_error (problem) : NULL;
  g_autofree char *text = NULL;

  if (token != NULL)
    {
      access = format_iso8601 (token->access_expires);
      refresh = format_iso8601 (token->refresh_expires);
    }
  json_builder_begin_object (builder);
  set_optional_string (builder, "origin", cli.config->origin);
  json_builder_set_member_name (builder, "signed_in");
  json_builder_add_boolean_value (builder, token != NULL);
  set_optional_string (builder, "kind", token == NULL ? NULL
                       : token->kind == QM_TOKEN_KIND_PSN_COOKIES ? "psn" : "oauth");
  set_optional_string (builder, "membership_id", token != NULL ? token->membership_id : NULL);
  json_builder_set_member_name (builder, "keyring");
  json_builder_add_boolean_value (builder, cli.store != NULL && qm_token_store_get_persistent (cli.store));
  set_optional_string (builder, "access_expires", access);
  set_optional_string (builder, "refresh_expires", refresh);
  set_optional_string (builder, "problem", reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  return g_strconcat (text, "\n", NULL);
}

static int
run_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean signed_in;

  if (!prepare_auth (&error))
    return fail_with (EXIT_FAILED, error);
  signed_in = restore (&error);
  text = cli.json ? status_json (signed_in, error) : status_text (signed_in, error);
  g_clear_error (&error);
  if (!write_stdout (text, &error))
    return fail (EXIT_FAILED, error->message);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Xûr                                                                     */

static char *
format_local (GDateTime *instant)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (instant);

  /* Translators: a day and time in a strftime()-like format, e.g. "Tuesday, May 19, 17:00 UTC". */
  return g_date_time_format (local, _("%A, %B %-d, %H:%M %Z"));
}

/* "in 2 days, 5 hours" from now. */
static char *
format_countdown (GDateTime *target)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *days_text = NULL;
  g_autofree char *hours_text = NULL;
  int days, hours;

  qm_xur_split_countdown (now, target, &days, &hours, NULL, NULL);
  days_text = g_strdup_printf (ngettext ("%d day", "%d days", days), days);
  hours_text = g_strdup_printf (ngettext ("%d hour", "%d hours", hours), hours);
  /* Translators: how long until then, e.g. "in 2 days, 5 hours". */
  return g_strdup_printf (_("in %s, %s"), days_text, hours_text);
}

static void
append_sale (GString      *out,
             QmVendorSale *sale)
{
  g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);
  const char *type = qm_vendor_sale_get_item_type_name (sale);
  const char *tier = qm_vendor_sale_get_tier_name (sale);

  if (qm_vendor_sale_get_name (sale) != NULL)
    g_string_append_printf (out, "  %s", qm_vendor_sale_get_name (sale));
  else
    g_string_append_printf (out, _("  Unknown item %u"), qm_vendor_sale_get_hash (sale));
  if (qm_vendor_sale_get_quantity (sale) > 1)
    g_string_append_printf (out, " x%d", qm_vendor_sale_get_quantity (sale));
  if (has_text (type) || has_text (tier))
    g_string_append_printf (out, " (%s%s%s)", has_text (type) ? type : "",
                            has_text (type) && has_text (tier) ? ", " : "", has_text (tier) ? tier : "");
  if (qm_vendor_sale_get_power (sale) >= 0)
    g_string_append_printf (out, "  %d", qm_vendor_sale_get_power (sale));
  g_string_append_printf (out, "\n    %s", *costs != '\0' ? costs : _("free"));
  if (qm_vendor_sale_get_owned (sale))
    g_string_append_printf (out, "  [%s]", _("owned"));
  if (!qm_vendor_sale_get_affordable (sale))
    g_string_append_printf (out, "  [%s]", _("cannot afford"));
  g_string_append_c (out, '\n');
}

static void
append_vendor_heading (GString *out,
                       guint32  vendor_hash)
{
  const char *title = vendor_hash == QM_XUR_STRANGE_GEAR_VENDOR_HASH ? _("Strange Gear Offers")
                                                                      : _("Xûr’s Wares");
  g_autofree char *underline = g_strnfill (g_utf8_strlen (title, -1), '=');

  g_string_append_printf (out, "\n%s\n%s\n", title, underline);
}

static char *
xur_text (QmXur *xur)
{
  GListModel *sales = qm_xur_get_sales (xur);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *countdown = NULL;
  guint32 vendor = 0;

  if (!qm_xur_get_present (xur))
    {
      when = format_local (qm_xur_get_next_arrival (xur));
      countdown = format_countdown (qm_xur_get_next_arrival (xur));
      /* Translators: the first %s is a day and time, the second how long until then. */
      g_string_append_printf (out, _("Xûr is not here. He returns %s (%s).\n"), when, countdown);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  when = format_local (qm_xur_get_departs (xur));
  countdown = format_countdown (qm_xur_get_departs (xur));
  /* Translators: the first %s is a day and time, the second how long until then. */
  g_string_append_printf (out, _("Xûr is here until %s (%s).\n"), when, countdown);
  if (qm_xur_get_location (xur) != NULL)
    g_string_append_printf (out, _("Where: %s\n"), qm_xur_get_location (xur));
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      if (i == 0 || qm_vendor_sale_get_vendor_hash (sale) != vendor)
        append_vendor_heading (out, qm_vendor_sale_get_vendor_hash (sale));
      vendor = qm_vendor_sale_get_vendor_hash (sale);
      append_sale (out, sale);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
print_xur (QmXur   *xur,
           GError **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (cli.html_path != NULL)
    {
      local = g_time_zone_new_local ();
      text = qm_xur_digest_html (xur, local, qm_bungie_client_get_origin (cli.client));
      /* Written whole or not at all. */
      return g_file_set_contents (cli.html_path, text, -1, error);
    }
  if (!cli.json)
    {
      text = xur_text (xur);
      return write_stdout (text, error);
    }
  root = qm_xur_to_json (xur);
  text = json_to_string (root, TRUE);
  line = g_strconcat (text, "\n", NULL);
  return write_stdout (line, error);
}

static int
run_xur (void)
{
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  if (cli.json && cli.html_path != NULL)
    return fail (EXIT_USAGE, _("“xur” takes either --json or --html FILE"));
  if (!(cli.sandbox ? connect_sandbox (&error) : connect_service (&error)))
    return fail_with (EXIT_FAILED, error);

  if (cli.membership != NULL)
    {
      inventory = load_inventory (&error);
      if (inventory == NULL)
        return fail_with (EXIT_FAILED, error);
    }
  qm_xur_load_async (cli.client, inventory, NULL, on_done_cb, NULL);
  g_clear_object (&inventory);
  xur = qm_xur_load_finish (wait_result (), &error);
  inventory = qm_xur_load_dup_inventory (cli.result);
  clear_result ();
  if (xur == NULL)
    return fail_with (EXIT_FAILED, error);
  if (inventory != NULL && qm_inventory_get_manifest_error (inventory) != NULL)
    /* Translators: %s says why the item definitions could not be loaded. */
    g_printerr ("%s: %s: %s\n", PROGRAM_NAME, _("warning"),
                qm_inventory_get_manifest_error (inventory)->message);
  if (!print_xur (xur, &error))
    return fail (EXIT_FAILED, error->message);
  return EXIT_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Definitions                                                             */

/* Only the API key: definitions need no sign-in. */
static gboolean
connect_content (GError **error)
{
  if (cli.sandbox)
    {
      if (!start_sandbox (error))
        return FALSE;
      cli.client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (cli.server), QM_SANDBOX_API_KEY);
      return TRUE;
    }
  cli.config = qm_config_new_default ();
  if (cli.origin != NULL)
    replace_string (&cli.config->origin, cli.origin);
  if (!has_text (cli.config->api_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No Bungie.net API key: set QM_API_KEY"));
      return FALSE;
    }
  cli.client = qm_bungie_client_new (cli.config->origin, cli.config->api_key);
  return TRUE;
}

typedef struct
{
  gboolean tty;
  int      shown;     /* the percentage last shown, -1: none */
} Progress;

/* On a terminal, one line rewritten; elsewhere a line every 10 %. */
static void
on_download_progress_cb (QmManifest *manifest,
                         GParamSpec *pspec,
                         Progress   *progress)
{
  guint64 total = qm_manifest_get_bytes_total (manifest);
  int percent = (int) (qm_manifest_get_fraction (manifest) * 100.0);

  if (qm_manifest_get_state (manifest) != QM_MANIFEST_STATE_DOWNLOADING || total == 0)
    return;
  if (progress->tty)
    {
      g_autofree char *done = g_format_size (qm_manifest_get_bytes_downloaded (manifest));
      g_autofree char *size = g_format_size (total);

      g_printerr ("\r");
      /* Translators: a progress line; %d is the percentage, then sizes such as “41.2 MB”. */
      g_printerr (_("Downloading item definitions: %3d%% (%s of %s)"), percent, done, size);
      progress->shown = percent;
    }
  else if (percent / 10 != progress->shown / 10 || progress->shown < 0)
    {
      /* Translators: a progress line; %d is the percentage. */
      g_printerr (_("Downloading item definitions: %d%%"), percent / 10 * 10);
      g_printerr ("\n");
      progress->shown = percent;
    }
}

static gboolean
print_manifest_json (QmManifest  *manifest,
                     gboolean     downloaded,
                     gboolean     current,
                     GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char * const *languages = qm_manifest_get_languages (manifest);

  json_builder_begin_object (builder);
  set_optional_string (builder, "version", qm_manifest_get_version (manifest));
  set_optional_string (builder, "language", qm_manifest_get_effective_language (manifest));
  json_builder_set_member_name (builder, "languages");
  json_builder_begin_array (builder);
  for (guint i = 0; languages != NULL && languages[i] != NULL; i++)
    json_builder_add_string_value (builder, languages[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "downloaded");
  json_builder_add_boolean_value (builder, downloaded);
  json_builder_set_member_name (builder, "up_to_date");
  json_builder_add_boolean_value (builder, current);
  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint t = 0; t < QM_N_TABLES; t++)
    {
      json_builder_set_member_name (builder, qm_table_get_name (t));
      json_builder_add_int_value (builder, qm_manifest_get_n_definitions (manifest, t));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  set_optional_string (builder, "path", qm_manifest_get_cache_path (manifest));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) qm_manifest_get_cache_size (manifest));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = qm_json_to_string (root, TRUE);
  return write_stdout (text, error) && write_stdout ("\n", error);
}

static gboolean
print_manifest_text (QmManifest  *manifest,
                     gboolean     downloaded,
                     gboolean     current,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *language = qm_manifest_get_effective_language (manifest);
  const char *path = qm_manifest_get_cache_path (manifest);
  g_autofree char *size = g_format_size (qm_manifest_get_cache_size (manifest));
  const char *state = downloaded ? _("downloaded now") : current ? _("up to date") : _("cached");

  /* Translators: the content version, then whether it was downloaded now,
   * is up to date or could only be read from the cache. */
  g_string_append_printf (out, _("Version:  %s (%s)\n"), qm_manifest_get_version (manifest), state);
  g_string_append_printf (out, _("Language: %s (%s)\n"), language,
                          qm_manifest_get_language_name (language));
  if (path != NULL)
    /* Translators: the cache file, then its size such as “4.1 MB”. */
    g_string_append_printf (out, _("Cache:    %s (%s)\n"), path, size);
  g_string_append_printf (out, "%s\n", _("Definitions:"));
  for (guint t = 0; t < QM_N_TABLES; t++)
    g_string_append_printf (out, "  %-36s %7u\n", qm_table_get_name (t),
                            qm_manifest_get_n_definitions (manifest, t));
  return write_stdout (out->str, error);
}

/* Check for new definitions, download them if needed, say what is cached. */
static int
run_manifest (void)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) update_error = NULL;
  Progress progress = { .tty = isatty (STDERR_FILENO), .shown = -1 };
  gboolean downloaded = FALSE;
  gboolean current;

  if (!connect_content (&error))
    return fail_with (EXIT_FAILED, error);
  if (cli.language != NULL && *cli.language != '\0')
    qm_manifest_set_language (manifest, cli.language);
  g_signal_connect (manifest, "notify::fraction", G_CALLBACK (on_download_progress_cb), &progress);
  qm_manifest_update_async (manifest, cli.client, NULL, on_done_cb, NULL);
  current = qm_manifest_update_finish (manifest, wait_result (), &downloaded, &update_error);
  clear_result ();
  g_signal_handlers_disconnect_by_data (manifest, &progress);
  if (progress.tty && progress.shown >= 0)
    g_printerr ("\n");

  if (!current && !qm_manifest_is_loaded (manifest))
    return fail_with (EXIT_FAILED, update_error);
  if (!current)
    {
      g_autofree char *reason = describe_error (update_error);

      /* Translators: %s says why Bungie.net could not be asked. */
      g_printerr ("%s: %s: ", PROGRAM_NAME, _("warning"));
      g_printerr (_("%s: using the cached definitions"), reason);
      g_printerr ("\n");
    }
  if (!(cli.json ? print_manifest_json (manifest, downloaded, current, &error)
                 : print_manifest_text (manifest, downloaded, current, &error)))
    return fail (EXIT_FAILED, error->message);
  return EXIT_SUCCESS;
}

static int
run (int    argc,
     char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *command;

  if (!parse_arguments (&argc, &argv, &error) || !check_arguments (argc, argv, &error))
    return fail (EXIT_USAGE, error->message);

  cli.loop = g_main_loop_new (NULL, FALSE);
  command = argv[1];
  if (g_str_equal (command, "signin"))
    return run_signin ();
  if (g_str_equal (command, "signout"))
    return run_signout ();
  if (g_str_equal (command, "status"))
    return run_status ();
  if (g_str_equal (command, "xur"))
    return run_xur ();
  if (g_str_equal (command, "manifest"))
    return run_manifest ();
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
  /* Standard output is for the commands' results (--json) alone. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  status = run (argc, argv);
  cli_clear (&cli);
  return status;
}
