/* qm-cli-signout.c: quartermaster-cli signout, and the sign-in forgotten
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"

static int
run_signout (QmCli *cli)
{
  g_autoptr(GError) error = NULL;
  gboolean was_signed_in;

  if (!qm_cli_prepare_auth (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  was_signed_in = qm_cli_restore (cli, NULL);

  qm_session_sign_out_async (cli->session, NULL, qm_cli_on_done_cb, cli);
  if (!qm_session_sign_out_finish (cli->session, qm_cli_wait (cli), &error))
    {
      g_autofree char *reason = qm_error_describe (error);
      /* Translators: %s says why the keyring item could not be removed. */
      g_autofree char *message = g_strdup_printf (_("Could not remove the sign-in from the keyring: %s"),
                                                  reason);

      return qm_cli_fail (QM_CLI_EXIT_FAILED, message);
    }
  qm_cli_clear_result (cli);
  if (was_signed_in)
    g_print (_("Signed out of %s.\n"), cli->config->origin);
  else
    g_print (_("Nobody was signed in to %s.\n"), cli->config->origin);
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_signout = {
  .name = "signout",
  .summary = N_("sign out, and forget the sign-in"),
  .run = run_signout,
};
