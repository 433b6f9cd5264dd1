/* qm-application.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-application"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include "qm-application.h"

#include "qm-error.h"
#include "qm-preferences-window.h"
#include "qm-psn-dialog.h"
#include "qm-sandbox.h"
#include "qm-sandbox-approve.h"
#include "qm-sign-in-page.h"
#include "qm-ui-util.h"
#include "qm-window.h"
#include "qm-xur-notifier.h"

/* How long `--xur-check` stays after announcing him, so that clicking the
 * notification still finds it. */
#define XUR_CHECK_LINGER_S (10 * 60)

struct _QmApplication
{
  AdwApplication  parent_instance;

  /* --sandbox[=DIR]: every sign-in goes to the sandbox, started once. */
  gboolean        use_sandbox;
  char           *sandbox_dir;
  QmSandbox      *sandbox;
  char           *origin;

  GSettings      *settings;
  QmSession      *session;
  QmXurNotifier  *xur_notifier;
  gboolean        xur_check;

  /* The browser's stand-in for the Bungie.net sign-in page (tests). */
  QmUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;

  /* QM_TEST_QUIT_AFTER_LOAD_MS: quit this long after the first load (0: never). */
  guint           test_quit_ms;
  gboolean        test_reported;
};

G_DEFINE_FINAL_TYPE (QmApplication, qm_application, ADW_TYPE_APPLICATION)

enum {
  SIGNAL_XUR_NOTIFIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_signed_in (QmApplication *self);
static void sign_in_failed (QmApplication *self,
                            const GError  *error);
static void show_sign_in   (QmApplication *self,
                            const char    *message);

static gboolean
on_sandbox_option_cb (const char  *option_name,
                      const char  *value,
                      gpointer     data,
                      GError     **error)
{
  QmApplication *self = QM_APPLICATION (g_application_get_default ());

  self->use_sandbox = TRUE;
  g_free (self->sandbox_dir);
  self->sandbox_dir = g_strdup (value);
  return TRUE;
}

static const GOptionEntry option_entries[] = {
  { "sandbox", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_sandbox_option_cb,
    N_("Use the built-in sandbox and its demo account (or the data recorded in DIR)"), N_("DIR") },
  { "origin", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Talk to the Bungie.net API at URL"), N_("URL") },
  { "xur-check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Look for Xûr, announce his arrival, then quit"), NULL },
  { NULL }
};

static QmWindow *
get_window (QmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return QM_IS_WINDOW (window) ? QM_WINDOW (window) : NULL;
}

static QmSignInPage *
get_sign_in_page (QmApplication *self)
{
  QmWindow *window = get_window (self);

  return window != NULL ? qm_window_get_sign_in_page (window) : NULL;
}

static void
set_page_message (QmApplication *self,
                  const char    *message)
{
  if (!qm_session_get_signed_in (self->session) && get_sign_in_page (self) != NULL)
    qm_sign_in_page_set_message (get_sign_in_page (self), message);
}

/* ---------------------------------------------------------------------- */
/* Test mode: say what happened on stdout once, then quit after a while.  */

static gboolean
quit_cb (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_report (QmApplication *self,
             const char    *line)
{
  if (self->test_quit_ms == 0 || self->test_reported)
    return;

  self->test_reported = TRUE;
  g_print ("%s\n", line);
  fflush (stdout);
  g_timeout_add_full (G_PRIORITY_DEFAULT, self->test_quit_ms, quit_cb,
                      g_object_ref (self), g_object_unref);
}

static void
on_window_loaded_cb (QmWindow      *window,
                     QmApplication *self)
{
  QmProfile *profile = qm_inventory_get_profile (qm_window_get_inventory (window));
  g_autofree char *line = NULL;

  line = g_strdup_printf ("QM-LOADED items=%u characters=%u",
                          g_list_model_get_n_items (qm_profile_get_items (profile)),
                          qm_profile_get_n_characters (profile));
  test_report (self, line);
}

/* When the inventory was first drawn (a monotonic time in µs, comparable
 * with the launcher's), for the launch benchmark. */
static void
on_window_inventory_painted_cb (QmWindow      *window,
                                QmApplication *self)
{
  if (self->test_quit_ms == 0)
    return;
  g_print ("QM-PAINTED t=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
}

static void
on_window_load_failed_cb (QmWindow      *window,
                          const char    *message,
                          QmApplication *self)
{
  g_autofree char *line = g_strdup_printf ("QM-ERROR %s", message);

  test_report (self, line);
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

      options.data_dir = self->sandbox_dir;
      /* For trying the page that counts down to his return. */
      options.xur_absent = g_strcmp0 (g_getenv ("QM_SANDBOX_XUR_ABSENT"), "1") == 0;
      self->sandbox = qm_sandbox_start_for_app (&options, NULL, error);
      if (self->sandbox == NULL)
        return FALSE;
    }
  if (!qm_session_get_sandbox (self->session))
    {
      config = qm_sandbox_dup_config (self->sandbox);
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
  if (get_window (self) != NULL)
    {
      qm_window_show_error (get_window (self), message);
      on_window_load_failed_cb (get_window (self), message, self);
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
  test_report (self, line);
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
          get_window (self) != NULL)
        qm_window_show_toast (get_window (self), _("Your keyring is not available: you will need "
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
  QmWindow *window = get_window (self);
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
  QmWindow *window = get_window (self);
  QmSignInPage *page;

  update_sign_in_actions (self);
  if (window == NULL)
    return;

  page = qm_window_get_sign_in_page (window);
  qm_sign_in_page_show_choices (page);
  if (message != NULL)
    qm_sign_in_page_set_message (page, message);
  qm_window_show_sign_in (window);
  test_report (self, "QM-SIGNED-OUT");
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

  if (get_window (self) == NULL)
    return G_SOURCE_REMOVE;
  if (!use_sandbox_account (self, &error))
    {
      /* Translators: %s says why the sandbox could not start. */
      message = g_strdup_printf (_("The sandbox could not start: %s"), error->message);
      qm_window_show_error (get_window (self), message);
      on_window_load_failed_cb (get_window (self), message, self);
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

/* ---------------------------------------------------------------------- */
/* Actions                                                                */

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  static const char *developers[] = { "Quartermaster contributors", NULL };
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Quartermaster"),
                        "application-icon", "io.github.quartermaster.Quartermaster",
                        "developer-name", "Quartermaster contributors",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/quartermaster/quartermaster",
                        "issue-url", "https://github.com/quartermaster/quartermaster/issues",
                        "copyright", "© 2026 Quartermaster contributors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        "comments", _("Manage your Destiny 2 gear"),
                        NULL);
  adw_about_window_add_legal_section (about, _("Trademarks"), NULL, GTK_LICENSE_CUSTOM,
                                      _("Destiny is a trademark of Bungie, Inc. Quartermaster "
                                        "is not affiliated with or endorsed by Bungie."));
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Close rather than destroy, so that each window saves its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
try_sandbox_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  if (get_window (self) != NULL)
    schedule_sandbox (self, get_window (self));
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

static void
show_xur_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  g_application_activate (G_APPLICATION (self));
  if (get_window (self) != NULL)
    qm_window_show_view (get_window (self), "xur");
}

/* Sign in as the app would (the keyring, or the sandbox's demo account),
 * without a window; the notifier looks for him once signed in. */
static void
xur_check_start (QmApplication *self)
{
  if (qm_xur_notifier_get_checking (self->xur_notifier) || !prepare_account (self))
    return;
  if (!qm_session_get_signed_in (self->session))
    {
      if (qm_session_get_sandbox (self->session))
        start_oauth_sign_in (self);
      else
        qm_session_restore_async (self->session, NULL, on_restored_cb, g_object_ref (self));
    }
  qm_xur_notifier_check (self->xur_notifier, self->session,
                         self->test_quit_ms == 0 ? XUR_CHECK_LINGER_S : 0);
}

static void
xur_check_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmWindow *window = get_window (self);

  /* The page's load announces him when he is there. */
  if (window != NULL && qm_window_get_client (window) != NULL)
    qm_xur_page_load (qm_window_get_xur_page (window));
  else if (window == NULL)
    xur_check_start (self);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmPreferencesWindow *preferences;

  preferences = qm_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                           self->session);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "show-xur", show_xur_action, NULL, NULL, NULL },
  { "xur-check", xur_check_action, NULL, NULL, NULL },
  { "preferences", preferences_action, NULL, NULL, NULL },
  { "about", about_action, NULL, NULL, NULL },
  { "quit", quit_action, NULL, NULL, NULL },
  { "try-sandbox", try_sandbox_action, NULL, NULL, NULL },
  { "sign-in-bungie", sign_in_bungie_action, NULL, NULL, NULL },
  { "sign-in-psn", sign_in_psn_action, NULL, NULL, NULL },
  { "cancel-sign-in", cancel_sign_in_action, NULL, NULL, NULL },
  { "sign-out", sign_out_action, NULL, NULL, NULL },
};

/* ---------------------------------------------------------------------- */
/* Definitions                                                            */

static void
on_language_updated_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;

  if (!qm_session_set_language_finish (self->session, result, NULL))
    return;
  /* The items shown take the new names with the next load. */
  if (get_window (self) != NULL && qm_window_get_client (get_window (self)) != NULL)
    qm_window_refresh (get_window (self));
}

static void
on_manifest_language_changed_cb (GSettings     *settings,
                                 const char    *key,
                                 QmApplication *self)
{
  g_autofree char *language = g_settings_get_string (settings, key);

  qm_session_set_language_async (self->session, language, NULL, on_language_updated_cb,
                                 g_object_ref (self));
}

/* ---------------------------------------------------------------------- */
/* GApplication                                                           */

/* --xur-check: an instance already running does the check itself. */
static int
handle_xur_check_option (QmApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_application_register (G_APPLICATION (self), NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_application_get_is_remote (G_APPLICATION (self)))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "xur-check", NULL);
      return EXIT_SUCCESS;
    }
  self->xur_check = TRUE;
  return -1;
}

static int
qm_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  QmApplication *self = QM_APPLICATION (app);

  g_clear_pointer (&self->origin, g_free);
  g_variant_dict_lookup (options, "origin", "s", &self->origin);
  if (self->origin != NULL && self->use_sandbox)
    g_warning ("--origin is ignored with --sandbox");
  else if (self->origin != NULL)
    g_debug ("Signing in to %s", self->origin);
  if (g_variant_dict_contains (options, "xur-check"))
    return handle_xur_check_option (self);
  return -1;
}

static void
on_xur_notified_cb (QmXurNotifier *notifier,
                    QmXur         *xur,
                    QmApplication *self)
{
  g_signal_emit (self, signals[SIGNAL_XUR_NOTIFIED], 0, xur);
}

static void
on_xur_checked_cb (QmXurNotifier *notifier,
                   const char    *line,
                   QmApplication *self)
{
  test_report (self, line);
}

static void
qm_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  QmApplication *self = QM_APPLICATION (app);

  G_APPLICATION_CLASS (qm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  qm_application_get_session (self);
  if (self->origin != NULL && !self->use_sandbox)
    qm_session_set_origin (self->session, self->origin);
  update_sign_in_actions (self);
  self->xur_notifier = qm_xur_notifier_new (app, self->settings);
  g_signal_connect_object (self->xur_notifier, "notified", G_CALLBACK (on_xur_notified_cb), self, 0);
  g_signal_connect_object (self->xur_notifier, "checked", G_CALLBACK (on_xur_checked_cb), self, 0);
}

static void
qm_application_activate (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);
  QmWindow *window = get_window (self);

  /* --xur-check: no window, unless a later activation asks for one. */
  if (self->xur_check)
    {
      self->xur_check = FALSE;
      xur_check_start (self);
      return;
    }
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = qm_window_new (GTK_APPLICATION (self), self->session);
  g_signal_connect_object (window, "loaded", G_CALLBACK (on_window_loaded_cb), self, 0);
  g_signal_connect_object (window, "load-failed", G_CALLBACK (on_window_load_failed_cb), self, 0);
  g_signal_connect_object (window, "inventory-painted",
                           G_CALLBACK (on_window_inventory_painted_cb), self, 0);
  /* QM_START_VIEW=xur opens on Xûr's view (for screenshots). */
  if (g_strcmp0 (g_getenv ("QM_START_VIEW"), "xur") == 0)
    qm_window_show_view (window, "xur");
  gtk_window_present (GTK_WINDOW (window));

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

static void
qm_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  QmApplication *self = QM_APPLICATION (app);

  /* A window first, so that what the redirect brings can be shown. */
  g_application_activate (app);
  for (int i = 0; i < n_files; i++)
    {
      /* These URIs carry an authorization code: never logged. */
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      if (!g_str_has_prefix (uri, "quartermaster:"))
        {
          g_debug ("Ignoring a file that is not a sign-in redirect");
          continue;
        }
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
}

static void
qm_application_shutdown (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);

  if (self->session != NULL)
    qm_session_cancel_sign_in (self->session);
  if (self->sandbox != NULL)
    qm_sandbox_stop (self->sandbox);

  G_APPLICATION_CLASS (qm_application_parent_class)->shutdown (app);
}

static void
qm_application_finalize (GObject *object)
{
  QmApplication *self = QM_APPLICATION (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->xur_notifier);
  g_clear_object (&self->session);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->settings);
  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  g_free (self->sandbox_dir);
  g_free (self->origin);

  G_OBJECT_CLASS (qm_application_parent_class)->finalize (object);
}

static void
qm_application_class_init (QmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = qm_application_finalize;
  app_class->handle_local_options = qm_application_handle_local_options;
  app_class->startup = qm_application_startup;
  app_class->activate = qm_application_activate;
  app_class->open = qm_application_open;
  app_class->shutdown = qm_application_shutdown;

  signals[SIGNAL_XUR_NOTIFIED] =
    g_signal_new ("xur-notified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QM_TYPE_XUR);
}

static void
qm_application_init (QmApplication *self)
{
  const char *quit_ms = g_getenv ("QM_TEST_QUIT_AFTER_LOAD_MS");

  if (quit_ms != NULL)
    self->test_quit_ms = MAX (1, (guint) g_ascii_strtoull (quit_ms, NULL, 10));

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

QmApplication *
qm_application_new (void)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_OPEN;

  /* Test runs must not hand their work to an instance already running. */
  if (g_getenv ("QM_TEST_QUIT_AFTER_LOAD_MS") != NULL)
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (QM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

void
qm_application_set_uri_launcher (QmApplication  *self,
                                 QmUriLauncher   launcher,
                                 gpointer        user_data,
                                 GDestroyNotify  destroy)
{
  g_return_if_fail (QM_IS_APPLICATION (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

/**
 * qm_application_get_session:
 *
 * Returns: (transfer none): the account every window shows, with the
 *   definitions they share (opened from the disk cache at start-up)
 */
QmSession *
qm_application_get_session (QmApplication *self)
{
  g_return_val_if_fail (QM_IS_APPLICATION (self), NULL);

  if (self->session != NULL)
    return self->session;

  self->settings = qm_ui_settings_new ();
  self->session = qm_session_new (self->settings);
  g_signal_connect_object (self->session, "signed-out", G_CALLBACK (on_session_signed_out_cb),
                           self, 0);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (update_sign_in_actions),
                           self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::manifest-language",
                             G_CALLBACK (on_manifest_language_changed_cb), self, 0);
  return self->session;
}
