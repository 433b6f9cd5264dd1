/* qm-cli-signin.c: quartermaster-cli signin, with Bungie.net OAuth or PSN
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "qm-cli-private.h"
#include "qm-oauth2-flow.h"
#include "qm-psn-flow.h"
#include "qm-sandbox-approve.h"

/* Longer passwords are refused rather than cut. */
#define MAX_PASSWORD_LENGTH 1024

/* The session signed in: say so, or why the keyring did not keep it. */
static int
report_sign_in (QmCli *cli)
{
  const QmToken *kept = qm_auth_manager_get_token (qm_session_get_auth_manager (cli->session));
  const GError *error = qm_session_get_remember_error (cli->session);

  if (error != NULL)
    {
      g_autofree char *reason = qm_error_describe (error);
      g_autofree char *message = NULL;

      /* Translators: %s says why the keyring could not keep the sign-in. */
      message = g_strdup_printf (_("Signed in, but the sign-in could not be kept: %s"), reason);
      return qm_cli_fail (QM_CLI_EXIT_FAILED, message);
    }

  g_print (_("Signed in to %s with %s (Bungie.net membership %s).\n"), cli->config->origin,
           qm_cli_token_kind_name (kept), kept->membership_id != NULL ? kept->membership_id : _("unknown"));
  if (cli->sandbox)
    g_print ("%s\n", _("The built-in sandbox starts afresh with each command: this sign-in ends "
                       "with it. Run quartermaster-sandbox to keep one."));
  return EXIT_SUCCESS;
}

static int
sign_in_oauth (QmCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!qm_cli_has_text (cli->config->client_id) || !qm_cli_has_text (cli->config->api_key))
    return qm_cli_fail (QM_CLI_EXIT_FAILED, _("No Bungie.net application to sign in with: set QM_API_KEY, "
                                              "QM_OAUTH_CLIENT_ID and QM_OAUTH_CLIENT_SECRET"));

  if (!qm_cli_sign_in_oauth (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return report_sign_in (cli);
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
read_password (const char  *user,
               GError     **error)
{
  struct termios saved;
  struct termios quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char *password;

  if (terminal)
    {
      /* Translators: %s is the PlayStation Network e-mail address. */
      g_printerr (_("PlayStation Network password for %s: "), user);
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
sign_in_psn (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  gboolean signed_in;
  char *password;

  password = read_password (cli->user, &error);
  if (password == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  qm_cli_clear_result (cli);
  qm_session_sign_in_psn_async (cli->session, cli->user, password, NULL, qm_cli_on_done_cb, cli);
  /* Used once: the session wipes its own copy. */
  qm_secret_free (password);
  signed_in = qm_session_sign_in_finish (cli->session, qm_cli_wait (cli), &error);
  qm_cli_clear_result (cli);
  if (!signed_in)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return report_sign_in (cli);
}

static int
run_signin (QmCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!qm_cli_prepare_auth (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  return cli->oauth ? sign_in_oauth (cli) : sign_in_psn (cli);
}

static gboolean
check_signin (QmCli   *cli,
              GError **error)
{
  if (cli->oauth == cli->psn)
    return qm_cli_usage_error (error, _("“signin” takes either --oauth or --psn"));
  if (cli->psn && !qm_cli_has_text (cli->user))
    return qm_cli_usage_error (error, _("“signin --psn” needs --user EMAIL"));
  if (cli->oauth && cli->user != NULL)
    return qm_cli_usage_error (error, _("--user works only with --psn"));
  return TRUE;
}

const QmCliCommand qm_cli_command_signin = {
  .name = "signin",
  .summary = N_("sign in: --oauth, or --psn --user EMAIL"),
  .options = QM_CLI_OPTION_SIGN_IN,
  .check = check_signin,
  .run = run_signin,
};
