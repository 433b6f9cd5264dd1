/* qm-cli-status.c: quartermaster-cli status, who is signed in
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"

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
describe_keeping (QmCli *cli)
{
  const GError *problem = qm_session_get_token_store (cli->session) != NULL ? qm_token_store_get_error (qm_session_get_token_store (cli->session)) : NULL;

  if (qm_session_get_token_store (cli->session) == NULL)
    return g_strdup (_("no (the sandbox’s sign-ins last as long as the command)"));
  if (qm_token_store_get_persistent (qm_session_get_token_store (cli->session)))
    return g_strdup (_("yes"));
  /* Translators: %s says why the keyring cannot be used. */
  return g_strdup_printf (_("no (%s)"), problem != NULL ? problem->message : _("no keyring"));
}

static char *
status_text (QmCli        *cli,
             gboolean      signed_in,
             const GError *problem)
{
  const QmToken *token = qm_auth_manager_get_token (qm_session_get_auth_manager (cli->session));
  g_autofree char *keeping = describe_keeping (cli);
  GString *out = g_string_new (NULL);

  if (!signed_in || token == NULL)
    {
      g_string_append_printf (out, _("Not signed in to %s.\n"), cli->config->origin);
      if (problem != NULL)
        {
          g_autofree char *reason = qm_error_describe (problem);

          g_string_append_printf (out, "  %s\n", reason);
        }
      else if (qm_session_get_token_store (cli->session) != NULL && !qm_token_store_get_persistent (qm_session_get_token_store (cli->session)))
        g_string_append_printf (out, "  %s: %s\n", _("Kept in the keyring"), keeping);
      return g_string_free (out, FALSE);
    }

  if (cli->sandbox)
    {
      /* Translators: %s is the sandbox's address, e.g. http://127.0.0.1:45909. */
      g_string_append_printf (out, _("Signed in to the built-in sandbox at %s\n"), cli->config->origin);
      g_string_append_printf (out, "  %s\n", _("Its demo account signs in by itself with each command."));
    }
  else
    {
      g_string_append_printf (out, _("Signed in to %s\n"), cli->config->origin);
    }
  g_string_append_printf (out, "  %s: %s\n", _("Bungie.net membership"),
                          token->membership_id != NULL ? token->membership_id : _("not known"));
  g_string_append_printf (out, "  %s: %s\n", _("Signed in with"), qm_cli_token_kind_name (token));
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

static char *
status_json (QmCli        *cli,
             gboolean      signed_in,
             const GError *problem)
{
  const QmToken *token = signed_in ? qm_auth_manager_get_token (qm_session_get_auth_manager (cli->session)) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *reason = problem != NULL ? qm_error_describe (problem) : NULL;
  g_autofree char *text = NULL;

  if (token != NULL)
    {
      access = format_iso8601 (token->access_expires);
      refresh = format_iso8601 (token->refresh_expires);
    }
  json_builder_begin_object (builder);
  qm_cli_set_optional_string (builder, "origin", cli->config->origin);
  json_builder_set_member_name (builder, "sandbox");
  json_builder_add_boolean_value (builder, cli->sandbox);
  json_builder_set_member_name (builder, "signed_in");
  json_builder_add_boolean_value (builder, token != NULL);
  qm_cli_set_optional_string (builder, "kind", token == NULL ? NULL
                       : token->kind == QM_TOKEN_KIND_PSN_COOKIES ? "psn" : "oauth");
  qm_cli_set_optional_string (builder, "membership_id", token != NULL ? token->membership_id : NULL);
  json_builder_set_member_name (builder, "keyring");
  json_builder_add_boolean_value (builder, qm_session_get_token_store (cli->session) != NULL && qm_token_store_get_persistent (qm_session_get_token_store (cli->session)));
  qm_cli_set_optional_string (builder, "access_expires", access);
  qm_cli_set_optional_string (builder, "refresh_expires", refresh);
  qm_cli_set_optional_string (builder, "problem", reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  return g_strconcat (text, "\n", NULL);
}

/* The built-in sandbox starts afresh with each command, and its demo
 * account signs in by itself, as the app's does. */
static gboolean
sign_in_to_sandbox (QmCli   *cli,
                    GError **error)
{
  return qm_cli_sign_in_oauth (cli, error);
}

static int
run_status (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean signed_in;

  if (!qm_cli_prepare_auth (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  if (cli->sandbox)
    signed_in = sign_in_to_sandbox (cli, &error);
  else
    signed_in = qm_cli_restore (cli, &error);
  text = cli->json ? status_json (cli, signed_in, error) : status_text (cli, signed_in, error);
  g_clear_error (&error);
  if (!qm_cli_write_stdout (text, &error))
    return qm_cli_fail_output (error);
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_status = {
  .name = "status",
  .summary = N_("who is signed in, and until when"),
  .options = QM_CLI_OPTION_JSON,
  .run = run_status,
};
