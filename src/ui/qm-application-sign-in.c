/* qm-application-sign-in.c: the sign-in actions, the sandbox mode, and what
 * the window shows of the session
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-application-private.h"

#include "qm-error.h"
#include "qm-psn-dialog.h"
#include "qm-sandbox.h"
#include "qm-sandbox-approve.h"
#include "qm-sign-in-page.h"
#include "qm-ui-util.h"

static void show_signed_in (QmApplication *self);
static void sign_in_failed (QmApplication *self,
                            const GError  *error);
static void show_sign_in   (QmApplication *self,
                            const char    *message);

static QmSignInPage *
get_sign_in_page (QmApplication *self)
{
  QmWindow *window = _qm_application_get_window (self);

  return window != NULL ? qm_window_get_sign_in_page (window) : NULL;
}

static void
set_page_message (QmApplication *self,
                  const char    *message)
{
  if (!qm_session_get_signed_in (self->session) && get_sign_in_page (self) != NULL)
    qm_sign_in_page_set_message (get_sign_in_page (self), message);
}

static void
report_failure (QmApplication *self,
                const char    *message)
{
  g_autofree char *line = g_strdup_printf ("QM-ERROR %s", message);

  _qm_application_test_report (self, line);
}

/* ---------------------------------------------------------------------- */
/* The account: the sandbox's, or the real one                           */

/* The sandbox, started once; the session on its account, whose sign-ins
 * are never kept in the keyring. */
static gboolean
use_sandbox_account (QmApplication  *self,
                     GError        **error)
{
  g_autoptr(QmConfig) config = NULL;

  if (self->sandbox == NULL)
    {
      QmSandboxOptions options = { 0 };
      const char *port = g_getenv ("QM_SANDBOX_PORT");
      guint64 number = 0;

      options.data_dir = self->sandbox_dir;
      /* A known port, so that quartermaster-cli --origin and scripts can
       * look at the account the app changes. */
      if (port != NULL && g_ascii_string_to_unsigned (port, 10, 1, 65535, &number, NULL))
        options.port = number;
      /* For trying the page that counts down to his return. */
      options.xur_absent = g_strcmp0 (g_getenv ("QM_SANDBOX_XUR_ABSENT"), "1") == 0;
      /* For watching moves step by step, and trying Cancel and failures:
       * the faults of quartermaster-sandbox --faults. */
      options.faults = g_getenv ("QM_SANDBOX_FAULTS");
      self->sandbox = G_OBJECT (qm_sandbox_start_for_app (&options, NULL, error));
      if (self->sandbox == NULL)
        return FALSE;
    }
  if (!qm_session_get_sandbox (self->session))
    {
      config = qm_sandbox_dup_config (QM_SANDBOX (self->sandbox));
      qm_session_set_account (self->session, config, NULL, TRUE);
    }
  return TRUE;
}

/* Where a sign-in goes: in sandbox mode always the sandbox. */
static gboolean
prepare_account (QmApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!self->use_sandbox)
    {
      qm_session_use_real_account (self->session);
      return TRUE;
    }
  if (use_sandbox_account (self, &error))
    return TRUE;
  /* Translators: %s says why the sandbox could not start. */
  message = g_strdup_printf (_("The sandbox could not start: %s"), error->message);
  g_message ("%s", message);
  if (_qm_application_get_window (self) != NULL)
    {
      qm_window_show_error (_qm_application_get_window (self), message);
      report_failure (self, message);
    }
  return FALSE;
}

static void
on_sandbox_approved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

  /* Given up meanwhile: nothing to say. */
  if (!qm_session_get_waiting_for_redirect (self->session))
    return;
  if (redirect == NULL)
    {
      sign_in_failed (self, error);
      return;
    }
  /* A refused redirect fails the flow, which then reports it. */
  if (!qm_session_handle_redirect (self->session, redirect, &error) && error != NULL)
    g_debug ("The sandbox's redirect was refused: %s", error->message);
}

/* The sandbox's authorize page, approved without a browser. */
static void
approve_in_sandbox (QmOAuth2Flow *flow,
                    const char   *uri,
                    gpointer      user_data)
{
  qm_sandbox_approve_async (uri, TRUE, NULL, on_sandbox_approved_cb, g_object_ref (user_data));
}

/* ---------------------------------------------------------------------- */
/* Signing in                                                             */

static void
update_sign_in_actions (QmApplication *self)
{
  QmAuthManager *auth = qm_session_get_auth_manager (self->session);
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  GAction *cancel = g_action_map_lookup_action (G_ACTION_MAP (self), "cancel-sign-in");

  if (sign_out != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out), auth != NULL &&
                                 qm_auth_manager_get_state (auth) == QM_AUTH_STATE_SIGNED_IN);
  if (cancel != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (cancel), qm_session_get_state (self->session) ==
                                 QM_SESSION_STATE_SIGNING_IN);
}

static void
show_progress (QmApplication *self,
               const char    *title,
               const char    *hint)
{
  if (get_sign_in_page (self) != NULL)
    qm_sign_in_page_show_progress (get_sign_in_page (self), title, hint);
}

static void
sign_in_failed (QmApplication *self,
                const GError  *error)
{
  g_autofree char *message = qm_error_describe (error);
  g_autofree char *line = g_strdup_printf ("QM-ERROR %s", message);

  qm_session_cancel_sign_in (self->session);
  _qm_application_test_report (self, line);
  show_sign_in (self, message);
}

static void
on_signed_in_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (qm_session_sign_in_finish (self->session, result, &error))
    {
      show_signed_in (self);
      if (!qm_session_get_remembered (self->session) && !qm_session_get_sandbox (self->session) &&
          _qm_application_get_window (self) != NULL)
        qm_window_show_toast (_qm_application_get_window (self), _("Your keyring is not available: you will need "
                                                   "to sign in again next time"));
      return;
    }
  if (!qm_error_is_cancelled (error))
    sign_in_failed (self, error);
}

static void
start_oauth_sign_in (QmApplication *self)
{
  gboolean headless = qm_session_get_sandbox (self->session);

  show_progress (self, _("Waiting for the browser…"),
                 headless ? NULL : _("Approve Quartermaster on Bungie.net in your "
                                     "browser. Quartermaster carries on by itself."));
  if (headless)
    qm_session_set_uri_launcher (self->session, approve_in_sandbox, self, NULL);
  else
    qm_session_set_uri_launcher (self->session, self->launcher, self->launcher_data, NULL);
  qm_session_sign_in_oauth_async (self->session, NULL, on_signed_in_cb, g_object_ref (self));
}

static void
on_psn_sign_in_cb (QmPsnDialog   *dialog,
                   const char    *user,
                   const char    *password,
                   QmApplication *self)
{
  if (!prepare_account (self))
    return;
  show_progress (self, _("Signing in to PlayStation Network…"), NULL);
  qm_session_sign_in_psn_async (self->session, user, password, NULL, on_signed_in_cb,
                                g_object_ref (self));
}

static void
on_restored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (qm_session_restore_finish (self->session, result, &error))
    {
      show_signed_in (self);
      return;
    }
  /* Another sign-in began meanwhile: it decides what is shown. */
  if (error != NULL && qm_error_is_cancelled (error))
    return;
  if (error != NULL)
    message = qm_error_describe (error);
  else if (!qm_session_get_persistent (self->session))
    message = g_strdup (_("Your keyring is not available, so Quartermaster cannot remember "
                          "your sign-in: you will need to sign in each time."));
  show_sign_in (self, message);
}

/* The account's inventory, through the session's client. */
static void
show_signed_in (QmApplication *self)
{
  QmAuthManager *auth = qm_session_get_auth_manager (self->session);
  const QmToken *token = auth != NULL ? qm_auth_manager_get_token (auth) : NULL;
  QmWindow *window = _qm_application_get_window (self);
  const char *account_name;

  update_sign_in_actions (self);
  if (window == NULL)
    return;

  if (qm_session_get_sandbox (self->session))
    account_name = _("Sandbox");
  else if (token != NULL && token->kind == QM_TOKEN_KIND_PSN_COOKIES)
    account_name = _("PlayStation Network");
  else
    account_name = _("Bungie.net");
  qm_sign_in_page_show_choices (qm_window_get_sign_in_page (window));
  qm_window_set_client (window, qm_session_get_client (self->session), account_name);
}

static void
show_sign_in (QmApplication *self,
              const char    *message)
{
  QmWindow *window = _qm_application_get_window (self);
  QmSignInPage *page;

  update_sign_in_actions (self);
  if (window == NULL)
    return;

  page = qm_window_get_sign_in_page (window);
  qm_sign_in_page_show_choices (page);
  if (message != NULL)
    qm_sign_in_page_set_message (page, message);
  qm_window_show_sign_in (window);
  _qm_application_test_report (self, "QM-SIGNED-OUT");
}

static void
on_session_signed_out_cb (QmSession     *session,
                          const char    *reason,
                          QmApplication *self)
{
  show_sign_in (self, reason);
}

/* The sandbox signs in to its demo account by itself, through Bungie's
 * OAuth flow; the window shows first, since starting it blocks a moment. */
static gboolean
load_sandbox_cb (gpointer user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (_qm_application_get_window (self) == NULL)
    return G_SOURCE_REMOVE;
  if (!use_sandbox_account (self, &error))
    {
      /* Translators: %s says why the sandbox could not start. */
      message = g_strdup_printf (_("The sandbox could not start: %s"), error->message);
      qm_window_show_error (_qm_application_get_window (self), message);
      report_failure (self, message);
      return G_SOURCE_REMOVE;
    }
  if (qm_session_get_signed_in (self->session))
    show_signed_in (self);
  else
    start_oauth_sign_in (self);
  return G_SOURCE_REMOVE;
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   QmApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint_cb, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_sandbox_cb, g_object_ref (self), g_object_unref);
}

static void
schedule_sandbox (QmApplication *self,
                  QmWindow      *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  qm_session_cancel_sign_in (self->session);
  qm_window_show_loading (window);
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint_cb), self, 0);
  else
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_sandbox_cb, g_object_ref (self), g_object_unref);
}

static void
try_sandbox_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  if (_qm_application_get_window (self) != NULL)
    schedule_sandbox (self, _qm_application_get_window (self));
}

static void
sign_in_bungie_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const QmConfig *config;

  if (!prepare_account (self))
    return;
  config = qm_session_get_config (self->session);
  if (!qm_session_get_sandbox (self->session) &&
      (config->client_id == NULL || *config->client_id == '\0' ||
       config->api_key == NULL || *config->api_key == '\0'))
    {
      set_page_message (self, _("This copy of Quartermaster has no Bungie.net application to "
                                "sign in with. Set QM_API_KEY, QM_OAUTH_CLIENT_ID and "
                                "QM_OAUTH_CLIENT_SECRET, or try the sandbox."));
      return;
    }
  start_oauth_sign_in (self);
}

static void
sign_in_psn_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmPsnDialog *dialog;

  dialog = qm_psn_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                              qm_session_get_psn_user (self->session));
  g_signal_connect_object (dialog, "sign-in", G_CALLBACK (on_psn_sign_in_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_sign_in_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  qm_session_cancel_sign_in (self->session);
  show_sign_in (self, NULL);
}

static void
on_sign_out_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (qm_session_sign_out_finish (self->session, result, &error))
    return;
  g_message ("Signing out did not remove the sign-in from the keyring: %s", error->message);
  /* Translators: %s says why the keyring item could not be removed. */
  message = g_strdup_printf (_("You are signed out, but your keyring still keeps the sign-in: %s"),
                             error->message);
  set_page_message (self, message);
}

static void
on_sign_out_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         QmApplication    *self)
{
  if (!g_str_equal (response, "sign-out") || qm_session_get_auth_manager (self->session) == NULL)
    return;
  /* The session says "signed-out" at once: the sign-in page shows. */
  qm_session_sign_out_async (self->session, NULL, on_sign_out_done_cb, g_object_ref (self));
}

/* Signing out drops the profile saved for the next start: ask first. */
static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   _("Sign Out?"),
                                   _("Quartermaster forgets your sign-in and the inventory it "
                                     "saved for the next start. You will need to sign in again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry sign_in_actions[] = {
  { "try-sandbox", try_sandbox_action, NULL, NULL, NULL },
  { "sign-in-bungie", sign_in_bungie_action, NULL, NULL, NULL },
  { "sign-in-psn", sign_in_psn_action, NULL, NULL, NULL },
  { "cancel-sign-in", cancel_sign_in_action, NULL, NULL, NULL },
  { "sign-out", sign_out_action, NULL, NULL, NULL },
};

void
_qm_application_add_sign_in_actions (QmApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), sign_in_actions,
                                   G_N_ELEMENTS (sign_in_actions), self);
  update_sign_in_actions (self);
}

void
_qm_application_watch_session (QmApplication *self)
{
  g_signal_connect_object (self->session, "signed-out", G_CALLBACK (on_session_signed_out_cb),
                           self, 0);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (update_sign_in_actions),
                           self, G_CONNECT_SWAPPED);
}

void
_qm_application_show_account (QmApplication *self,
                              QmWindow      *window)
{
  if (self->use_sandbox)
    {
      schedule_sandbox (self, window);
    }
  else if (qm_session_get_signed_in (self->session))
    {
      show_signed_in (self);
    }
  else
    {
      qm_session_use_real_account (self->session);
      qm_window_show_loading (window);
      qm_session_restore_async (self->session, NULL, on_restored_cb, g_object_ref (self));
    }
}

gboolean
_qm_application_sign_in_quietly (QmApplication *self)
{
  if (!prepare_account (self))
    return FALSE;
  if (qm_session_get_signed_in (self->session))
    return TRUE;
  if (qm_session_get_sandbox (self->session))
    start_oauth_sign_in (self);
  else
    qm_session_restore_async (self->session, NULL, on_restored_cb, g_object_ref (self));
  return TRUE;
}

void
_qm_application_handle_redirect (QmApplication *self,
                                 const char    *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!qm_session_get_waiting_for_redirect (self->session))
    {
      /* Nothing asked for it: someone else's, or an old one. */
      qm_session_handle_redirect (self->session, uri, &error);
      message = qm_error_describe (error);
      g_message ("Refused a sign-in redirect: %s", error->message);
      set_page_message (self, message);
    }
  /* A refused redirect fails the pending sign-in, which then says why. */
  else if (!qm_session_handle_redirect (self->session, uri, &error))
    {
      if (error != NULL)
        g_message ("Refused a sign-in redirect: %s", error->message);
      else
        g_debug ("Ignoring a redirect that is not for the sign-in");
    }
}

void
_qm_application_stop_sandbox (QmApplication *self)
{
  if (self->sandbox != NULL)
    qm_sandbox_stop (QM_SANDBOX (self->sandbox));
}
