/* qm-cli-common.c: errors, waiting, connecting and output for the commands
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "qm-cli-private.h"
#include "qm-error.h"

int
qm_cli_fail (int         status,
             const char *message)
{
  g_printerr ("%s: %s\n", QM_CLI_PROGRAM_NAME, message);
  return status;
}

int
qm_cli_fail_with (int           status,
                  const GError *error)
{
  g_autofree char *message = qm_error_describe (error);

  return qm_cli_fail (status, message);
}

/* "quartermaster-cli: warning: MESSAGE" */
void
qm_cli_warn (const char *message)
{
  g_printerr ("%s: %s: %s\n", QM_CLI_PROGRAM_NAME, _("warning"), message);
}

gboolean
qm_cli_usage_error (GError     **error,
                    const char  *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Waiting                                                                 */

void
qm_cli_on_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QmCli *cli = user_data;

  g_set_object (&cli->result, result);
  g_main_loop_quit (cli->loop);
}

/* Run the main loop until the call given qm_cli_on_done_cb has ended. */
GAsyncResult *
qm_cli_wait (QmCli *cli)
{
  while (cli->result == NULL)
    g_main_loop_run (cli->loop);
  return cli->result;
}

void
qm_cli_clear_result (QmCli *cli)
{
  g_clear_object (&cli->result);
}

/* ---------------------------------------------------------------------- */
/* Connecting                                                              */

gboolean
qm_cli_has_text (const char *value)
{
  return value != NULL && *value != '\0';
}

static const char *
getenv_nonempty (const char *name)
{
  const char *value = g_getenv (name);

  return qm_cli_has_text (value) ? value : NULL;
}

/* The sandbox, and the config that talks to it. */
static gboolean
start_sandbox (QmCli   *cli,
               GError **error)
{
  QmSandboxOptions options = { 0 };

  options.data_dir = cli->data_dir;
  options.record_path = cli->record_path;
  cli->server = qm_sandbox_start_for_app (&options, &cli->config, error);
  return cli->server != NULL;
}

/* The account signed in elsewhere, with @client. */
static void
use_client (QmCli          *cli,
            QmBungieClient *client)
{
  if (cli->session == NULL)
    cli->session = qm_session_new (NULL);
  qm_session_set_client (cli->session, client);
  g_set_object (&cli->client, client);
}

/* The built-in sandbox, signed in to its account by itself. */
static gboolean
connect_sandbox (QmCli   *cli,
                 GError **error)
{
  g_autoptr(QmBungieClient) client = NULL;
  g_autofree char *token = NULL;

  if (!start_sandbox (cli, error))
    return FALSE;

  client = qm_bungie_client_new (cli->config->origin, cli->config->api_key);
  token = qm_sandbox_issue_access_token (cli->server);
  qm_bungie_client_set_access_token (client, token);
  use_client (cli, client);
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
gboolean
qm_cli_prepare_auth (QmCli   *cli,
                     GError **error)
{
  g_autoptr(QmTokenStore) store = NULL;

  cli->session = qm_session_new (NULL);
  if (cli->sandbox)
    {
      if (!start_sandbox (cli, error))
        return FALSE;
      qm_session_set_account (cli->session, cli->config, NULL, TRUE);
      return TRUE;
    }

  cli->config = qm_config_new_default ();
  if (cli->origin != NULL)
    replace_string (&cli->config->origin, cli->origin);
  if (!qm_origin_is_trusted (cli->config->origin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Refusing to sign in to %s: it is neither https nor this computer"),
                   cli->config->origin);
      return FALSE;
    }
  store = qm_token_store_new ();
  qm_session_set_account (cli->session, cli->config, store, FALSE);
  return TRUE;
}

/* The sign-in kept for the origin: TRUE when there is one. @error says why
 * there is none, when it is more than that nobody signed in. */
gboolean
qm_cli_restore (QmCli   *cli,
                GError **error)
{
  gboolean restored;

  qm_cli_clear_result (cli);
  qm_session_restore_async (cli->session, NULL, qm_cli_on_done_cb, cli);
  restored = qm_session_restore_finish (cli->session, qm_cli_wait (cli), error);
  qm_cli_clear_result (cli);
  return restored;
}

/* --origin with the sign-in kept in the keyring, or QM_ACCESS_TOKEN. */
static gboolean
connect_service (QmCli   *cli,
                 GError **error)
{
  const char *token = getenv_nonempty ("QM_ACCESS_TOKEN");
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;

  if (!qm_cli_prepare_auth (cli, error))
    return FALSE;
  if (!qm_cli_has_text (cli->config->api_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No Bungie.net API key: set QM_API_KEY"));
      return FALSE;
    }

  if (token != NULL)
    {
      g_autoptr(QmBungieClient) client = qm_bungie_client_new (cli->config->origin,
                                                               cli->config->api_key);

      qm_bungie_client_set_access_token (client, token);
      use_client (cli, client);
      return TRUE;
    }
  if (!qm_cli_restore (cli, &local_error))
    {
      if (local_error != NULL)
        reason = qm_error_describe (local_error);
      else
        /* Translators: %s is the Bungie.net origin, e.g. https://www.bungie.net. */
        reason = g_strdup_printf (_("Not signed in to %s"), cli->config->origin);
      /* A sentence of its own: qm_error_describe() shows it as it is. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s says why nobody is signed in. */
                   _("%s: run “quartermaster-cli signin --oauth” first (or set QM_ACCESS_TOKEN)"),
                   reason);
      return FALSE;
    }
  g_set_object (&cli->client, qm_session_get_client (cli->session));
  return TRUE;
}

/* A client for the account's own data: the sandbox's demo account, or the
 * sign-in kept for the origin. */
gboolean
qm_cli_connect_account (QmCli   *cli,
                        GError **error)
{
  return cli->sandbox ? connect_sandbox (cli, error) : connect_service (cli, error);
}

/* Only the API key: definitions need no sign-in. */
gboolean
qm_cli_connect_content (QmCli   *cli,
                        GError **error)
{
  if (cli->sandbox)
    {
      if (!start_sandbox (cli, error))
        return FALSE;
      cli->client = qm_bungie_client_new (cli->config->origin, cli->config->api_key);
      return TRUE;
    }
  cli->config = qm_config_new_default ();
  if (cli->origin != NULL)
    replace_string (&cli->config->origin, cli->origin);
  if (!qm_cli_has_text (cli->config->api_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No Bungie.net API key: set QM_API_KEY"));
      return FALSE;
    }
  cli->client = qm_bungie_client_new (cli->config->origin, cli->config->api_key);
  return TRUE;
}

/* The account's inventory, of the membership --membership names if any,
 * loaded by the session as the window loads it. */
QmInventory *
qm_cli_load_inventory (QmCli   *cli,
                       GError **error)
{
  g_autoptr(QmInventory) inventory = NULL;
  const char *chosen;

  /* The cached definitions serve when Bungie.net cannot be asked for new
   * ones: the session opens them. */
  qm_cli_clear_result (cli);
  qm_session_switch_membership_async (cli->session, cli->membership, NULL, qm_cli_on_done_cb, cli);
  inventory = qm_session_switch_membership_finish (cli->session, qm_cli_wait (cli), error);
  qm_cli_clear_result (cli);
  if (inventory == NULL)
    return NULL;
  chosen = qm_profile_get_membership_id (qm_inventory_get_profile (inventory));
  if (cli->membership != NULL && g_strcmp0 (chosen, cli->membership) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("This account has no Destiny membership %s"), cli->membership);
      return NULL;
    }
  return g_steal_pointer (&inventory);
}

/* ---------------------------------------------------------------------- */
/* Output                                                                  */

/* A reader that closed the pipe early (`| head`) is G_IO_ERROR_BROKEN_PIPE:
 * see qm_cli_fail_output(). */
gboolean
qm_cli_write_stdout (const char  *text,
                     GError     **error)
{
  if (fputs (text, stdout) < 0 || fflush (stdout) != 0)
    {
      if (errno == EPIPE)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                               "The reader closed the output");
          /* What is still buffered cannot be written either. */
          clearerr (stdout);
          return FALSE;
        }
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not write the output"));
      return FALSE;
    }
  return TRUE;
}

/* The exit status after writing the output failed: a reader that has read
 * all it wanted is not an error, and worth no message. */
int
qm_cli_fail_output (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_debug ("%s", error->message);
      return EXIT_SUCCESS;
    }
  return qm_cli_fail (QM_CLI_EXIT_FAILED, error->message);
}

/* @root as indented JSON, and a newline. */
gboolean
qm_cli_write_json (JsonNode  *root,
                   GError   **error)
{
  g_autofree char *text = json_to_string (root, TRUE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  return qm_cli_write_stdout (line, error);
}

void
qm_cli_set_optional_string (JsonBuilder *builder,
                            const char  *name,
                            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

const char *
qm_cli_token_kind_name (const QmToken *token)
{
  return token->kind == QM_TOKEN_KIND_PSN_COOKIES ? _("PlayStation Network") : _("Bungie.net OAuth");
}
