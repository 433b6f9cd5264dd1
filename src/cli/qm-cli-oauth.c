/* qm-cli-oauth.c: the OAuth sign-in, approved on this computer or in a browser
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <unistd.h>

#include "qm-cli-private.h"
#include "qm-oauth2-flow.h"
#include "qm-sandbox-approve.h"

/* An OAuth sign-in; cancelled with launch_error when its page could not be
 * approved. Shared (GRcBox) by the calls still under way. */
typedef struct
{
  QmCli        *cli;
  GCancellable *cancellable;
  GError       *launch_error;
} SignIn;

static void
sign_in_clear (gpointer data)
{
  SignIn *sign_in = data;

  g_clear_object (&sign_in->cancellable);
  g_clear_error (&sign_in->launch_error);
}

static SignIn *
sign_in_new (QmCli *cli)
{
  SignIn *sign_in = g_rc_box_new0 (SignIn);

  sign_in->cli = cli;
  sign_in->cancellable = g_cancellable_new ();
  return sign_in;
}

static void
sign_in_unref (SignIn *sign_in)
{
  g_rc_box_release_full (sign_in, sign_in_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_unref)

/* Give up the sign-in: the page to approve could not be handled. */
static void
abandon_sign_in (SignIn *sign_in,
                 GError *error)
{
  if (sign_in->launch_error == NULL)
    sign_in->launch_error = error;
  else
    g_error_free (error);
  g_cancellable_cancel (sign_in->cancellable);
}

/* What a launcher's callback needs: the flow and the sign-in it belongs to. */
typedef struct
{
  QmOAuth2Flow *flow;
  SignIn       *sign_in;
} Pending;

static Pending *
pending_new (QmOAuth2Flow *flow,
             SignIn       *sign_in)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->flow = g_object_ref (flow);
  pending->sign_in = g_rc_box_acquire (sign_in);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->flow);
  sign_in_unref (pending->sign_in);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
hand_over_redirect (Pending    *pending,
                    const char *redirect)
{
  g_autoptr(GError) error = NULL;

  /* A refused redirect fails the sign-in with the reason. */
  if (qm_oauth2_flow_handle_redirect (pending->flow, redirect, &error) || error != NULL)
    return;
  abandon_sign_in (pending->sign_in,
                   g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                        _("That is not the address Bungie.net sends you back to")));
}

static void
on_sandbox_approved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autofree char *redirect = NULL;
  GError *error = NULL;

  redirect = qm_sandbox_approve_finish (result, &error);
  if (redirect == NULL)
    abandon_sign_in (pending->sign_in, error);
  else
    hand_over_redirect (pending, redirect);
}

/* On this computer (a sandbox): approve its authorize page directly. */
static void
approve_on_loopback (QmOAuth2Flow *flow,
                     const char   *uri,
                     gpointer      user_data)
{
  SignIn *sign_in = user_data;

  g_debug ("Approving the sign-in on %s without a browser", sign_in->cli->config->origin);
  qm_sandbox_approve_async (uri, TRUE, sign_in->cancellable, on_sandbox_approved_cb,
                            pending_new (flow, sign_in));
}

static void
on_redirect_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autofree char *line = NULL;
  GError *error = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL && error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("No address was given: sign in with the Quartermaster app "
                                   "instead, it receives Bungie.net’s answer by itself"));
  if (line == NULL)
    {
      abandon_sign_in (pending->sign_in, error);
      return;
    }
  hand_over_redirect (pending, g_strstrip (line));
}

static void
on_browser_launched_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_printerr ("%s: %s\n", QM_CLI_PROGRAM_NAME, _("Could not open a browser: open the address yourself"));
}

/* Bungie.net itself: the browser, and the redirect pasted back here. */
static void
open_in_browser (QmOAuth2Flow *flow,
                 const char   *uri,
                 gpointer      user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (input);

  g_print (_("To sign in, open this address in your browser and approve Quartermaster:\n\n"
             "  %s\n\n"
             "Bungie.net then sends your browser to a quartermaster:// address. The Quartermaster "
             "app receives it when it is installed, and signs in there. To sign in here instead, "
             "paste that address and press Enter:\n"), uri);
  fflush (stdout);
  g_app_info_launch_default_for_uri_async (uri, NULL, sign_in->cancellable, on_browser_launched_cb, NULL);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, sign_in->cancellable,
                                       on_redirect_read_cb, pending_new (flow, sign_in));
}

/* Bungie.net's OAuth sign-in through the session, kept by it: on this
 * computer (a sandbox) its page is approved directly, elsewhere the browser
 * opens it and the address it is sent back to is pasted here. */
gboolean
qm_cli_sign_in_oauth (QmCli   *cli,
                      GError **error)
{
  g_autoptr(SignIn) sign_in = sign_in_new (cli);
  g_autoptr(GError) local_error = NULL;
  gboolean signed_in;

  if (qm_origin_is_loopback (cli->config->origin))
    qm_session_set_uri_launcher (cli->session, approve_on_loopback, g_rc_box_acquire (sign_in),
                                 (GDestroyNotify) sign_in_unref);
  else
    qm_session_set_uri_launcher (cli->session, open_in_browser, g_rc_box_acquire (sign_in),
                                 (GDestroyNotify) sign_in_unref);
  qm_cli_clear_result (cli);
  qm_session_sign_in_oauth_async (cli->session, sign_in->cancellable, qm_cli_on_done_cb, cli);
  signed_in = qm_session_sign_in_finish (cli->session, qm_cli_wait (cli), &local_error);
  qm_cli_clear_result (cli);
  qm_session_set_uri_launcher (cli->session, NULL, NULL, NULL);
  if (signed_in)
    return TRUE;
  /* Why the page could not be approved says more than the cancellation. */
  g_propagate_error (error, sign_in->launch_error != NULL ? g_steal_pointer (&sign_in->launch_error)
                                                          : g_steal_pointer (&local_error));
  return FALSE;
}
