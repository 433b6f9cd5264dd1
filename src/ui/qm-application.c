/* qm-application.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-application"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "qm-application.h"

#include "qm-auth-manager.h"
#include "qm-bungie-client.h"
#include "qm-error.h"
#include "qm-psn-flow.h"
#include "qm-sandbox.h"
#include "qm-sandbox-approve.h"
#include "qm-sign-in-page.h"
#include "qm-ui-util.h"
#include "qm-window.h"
#include "qm-preferences-window.h"
#include "qm-profile-cache.h"
#include "qm-xur.h"
#include "qm-xur-page.h"

struct _QmApplication
{
  AdwApplication  parent_instance;

  gboolean        use_sandbox;
  char           *sandbox_dir;
  char           *origin;
  QmSandbox      *sandbox;
  QmBungieClient *client;
  char           *account_name;

  /* Who is signed in, to which origin; the sandbox's sign-ins stay in memory. */
  QmConfig       *config;
  QmTokenStore   *store;
  QmAuthManager  *auth;
  gboolean        auth_is_sandbox;
  /* The sign-in running (NULL: none), and the browser sign-in waiting for
   * its redirect. */
  GCancellable   *sign_in_cancellable;
  QmOAuth2Flow   *oauth_flow;
  QmUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;

  /* Xûr's arrival is announced once per week (xur-last-notified, or this
   * when the schema is not installed); --xur-check looks once and quits. */
  GSettings      *settings;
  char           *xur_last_notified;
  gboolean        xur_check;
  gboolean        xur_check_running;

  /* The definitions every view shares (see qm_application_get_manifest()). */
  QmManifest     *manifest;
  GCancellable   *manifest_cancellable;

  /* QM_TEST_QUIT_AFTER_LOAD_MS: quit this long after the first load (0: never). */
  guint           test_quit_ms;
  gboolean        test_reported;
};

G_DEFINE_FINAL_TYPE (QmApplication, qm_application, ADW_TYPE_APPLICATION)

/* One sign-in attempt; it is current while its cancellable is the app's. */
typedef struct
{
  QmApplication *app;
  GCancellable  *cancellable;
  char          *password;
} SignIn;

static void show_signed_in (QmApplication *self);
static void show_sign_in   (QmApplication *self,
                            const char    *message);
static void xur_check_signed_in (QmApplication *self);
static void xur_check_end       (QmApplication *self,
                                 gboolean       linger);

enum {
  SIGNAL_XUR_NOTIFIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static SignIn *
sign_in_new (QmApplication *self)
{
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->app = g_object_ref (self);
  sign_in->cancellable = g_object_ref (self->sign_in_cancellable);
  return sign_in;
}

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->app);
  g_clear_object (&sign_in->cancellable);
  g_clear_pointer (&sign_in->password, qm_secret_free);
  g_free (sign_in);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

static gboolean
sign_in_is_current (SignIn *sign_in)
{
  return sign_in->cancellable == sign_in->app->sign_in_cancellable &&
         !g_cancellable_is_cancelled (sign_in->cancellable);
}

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

  if (QM_IS_WINDOW (window))
    return QM_WINDOW (window);
  return NULL;
}

static QmSignInPage *
get_sign_in_page (QmApplication *self)
{
  QmWindow *window = get_window (self);

  return window != NULL ? qm_window_get_sign_in_page (window) : NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Test mode: say what happened on stdout once, then quit after a while. */
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

/* Test mode: when the inventory was first drawn (a monotonic time in µs,
 * comparable with the launcher's), for the launch benchmark. */
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
/* Signing in                                                              */

static void
set_action_enabled (QmApplication *self,
                    const char    *name,
                    gboolean       enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_sign_in_actions (QmApplication *self)
{
  gboolean signed_in = self->auth != NULL &&
                       qm_auth_manager_get_state (self->auth) == QM_AUTH_STATE_SIGNED_IN;

  set_action_enabled (self, "sign-out", signed_in);
  set_action_enabled (self, "cancel-sign-in", self->sign_in_cancellable != NULL);
}

/* Stop the sign-in running, if any: its callbacks find themselves stale. */
static void
cancel_sign_in (QmApplication *self)
{
  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->oauth_flow);
  update_sign_in_actions (self);
}

static SignIn *
begin_sign_in (QmApplication *self,
               const char    *title,
               const char    *hint)
{
  QmSignInPage *page = get_sign_in_page (self);

  cancel_sign_in (self);
  self->sign_in_cancellable = g_cancellable_new ();
  update_sign_in_actions (self);
  if (page != NULL)
    qm_sign_in_page_show_progress (page, title, hint);
  return sign_in_new (self);
}

static void
sign_in_failed (QmApplication *self,
                const GError  *error)
{
  g_autofree char *message = qm_error_describe (error);
  g_autofree char *line = g_strdup_printf ("QM-ERROR %s", message);

  g_message ("Could not sign in: %s", error->message);
  cancel_sign_in (self);
  test_report (self, line);
  show_sign_in (self, message);
}

static void
on_signed_out_cb (QmAuthManager *auth,
                  const char    *reason,
                  QmApplication *self)
{
  g_debug ("Signed out%s", reason != NULL ? " by the service" : "");
  show_sign_in (self, reason);
}

static void
set_auth (QmApplication *self,
          QmConfig      *config,
          QmTokenStore  *store,
          gboolean       sandbox)
{
  cancel_sign_in (self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->client);
  g_clear_pointer (&self->config, qm_config_free);

  self->config = config;
  self->auth = qm_auth_manager_new (config, store);
  self->auth_is_sandbox = sandbox;
  g_signal_connect (self->auth, "signed-out", G_CALLBACK (on_signed_out_cb), self);
  update_sign_in_actions (self);
}

/* The Bungie application of the build, the preferences and the
 * environment; --origin wins. */
static QmConfig *
config_new_with_preferences (QmApplication *self)
{
  g_autofree char *api_key = NULL;
  g_autofree char *client_id = NULL;

  if (self->settings != NULL)
    {
      api_key = g_settings_get_string (self->settings, "api-key");
      client_id = g_settings_get_string (self->settings, "oauth-client-id");
    }
  return qm_config_new_with_preferences (api_key, client_id, NULL);
}

static void
use_real_account (QmApplication *self)
{
  QmConfig *config;

  if (self->auth != NULL && !self->auth_is_sandbox)
    return;

  config = config_new_with_preferences (self);
  if (self->origin != NULL)
    {
      g_free (config->origin);
      config->origin = g_strdup (self->origin);
    }
  if (self->store == NULL)
    self->store = qm_token_store_new ();
  set_auth (self, config, self->store, FALSE);
}

static void
on_kept_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  QmApplication *self = sign_in->app;
  QmWindow *window = get_window (self);
  g_autoptr(GError) error = NULL;
  gboolean kept;

  kept = qm_auth_manager_sign_in_finish (QM_AUTH_MANAGER (source), result, &error);
  if (!sign_in_is_current (sign_in))
    return;

  g_clear_object (&self->sign_in_cancellable);
  if (qm_auth_manager_get_state (self->auth) != QM_AUTH_STATE_SIGNED_IN)
    {
      if (error == NULL)
        g_set_error_literal (&error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                             "The sign-in was not taken");
      sign_in_failed (self, error);
      return;
    }
  show_signed_in (self);
  if (!kept && window != NULL)
    {
      g_message ("The sign-in is kept in memory only: %s", error->message);
      qm_window_show_toast (window, _("Your keyring is not available: you will need to sign in "
                                      "again next time"));
    }
}

/* A sign-in flow ended: keep its token, or say why there is none. */
static void
finish_sign_in (SignIn       *sign_in,
                QmToken      *token,
                const GError *error)
{
  QmApplication *self = sign_in->app;

  if (!sign_in_is_current (sign_in))
    {
      g_debug ("A sign-in ended after it was given up");
      return;
    }
  if (token == NULL)
    {
      sign_in_failed (self, error);
      return;
    }
  qm_auth_manager_sign_in_async (self->auth, token, sign_in->cancellable, on_kept_cb,
                                 sign_in_new (self));
}

static void
on_oauth_signed_in_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = qm_oauth2_flow_sign_in_finish (QM_OAUTH2_FLOW (source), result, &error);
  if (sign_in->app->oauth_flow == QM_OAUTH2_FLOW (source))
    g_clear_object (&sign_in->app->oauth_flow);
  finish_sign_in (sign_in, token, error);
}

static void
on_sandbox_approved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  QmApplication *self = sign_in->app;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;

  redirect = qm_sandbox_approve_finish (result, &error);
  if (!sign_in_is_current (sign_in) || self->oauth_flow == NULL)
    return;
  if (redirect == NULL)
    {
      sign_in_failed (self, error);
      return;
    }
  /* A refused redirect fails the flow, which then reports it. */
  if (!qm_oauth2_flow_handle_redirect (self->oauth_flow, redirect, &error) && error != NULL)
    g_debug ("The sandbox's redirect was refused: %s", error->message);
}

/* The sandbox's authorize page, approved without a browser. */
static void
approve_in_sandbox (QmOAuth2Flow *flow,
                    const char   *uri,
                    gpointer      user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  if (self->sign_in_cancellable == NULL)
    return;
  qm_sandbox_approve_async (uri, TRUE, self->sign_in_cancellable, on_sandbox_approved_cb,
                            sign_in_new (self));
}

static gboolean
config_has (const char *value)
{
  return value != NULL && *value != '\0';
}

static void
start_oauth_sign_in (QmApplication *self,
                     gboolean       headless)
{
  g_autoptr(QmOAuth2Flow) flow = NULL;
  SignIn *sign_in;

  sign_in = begin_sign_in (self, _("Waiting for the browser…"),
                           headless ? NULL : _("Approve Quartermaster on Bungie.net in your "
                                               "browser. Quartermaster carries on by itself."));
  flow = qm_oauth2_flow_new (self->config);
  if (headless)
    qm_oauth2_flow_set_launcher (flow, approve_in_sandbox, self, NULL);
  else if (self->launcher != NULL)
    qm_oauth2_flow_set_launcher (flow, self->launcher, self->launcher_data, NULL);
  self->oauth_flow = g_object_ref (flow);
  qm_oauth2_flow_sign_in_async (flow, sign_in->cancellable, on_oauth_signed_in_cb, sign_in);
}

static void
on_psn_signed_in_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = qm_psn_flow_sign_in_finish (QM_PSN_FLOW (source), result, &error);
  /* Used once: gone before anything else happens. */
  g_clear_pointer (&sign_in->password, qm_secret_free);
  finish_sign_in (sign_in, token, error);
}

/* Takes @password, and wipes it once the flow is done with it. */
static void
start_psn_sign_in (QmApplication *self,
                   const char    *user,
                   char          *password)
{
  g_autoptr(QmPsnFlow) flow = NULL;
  SignIn *sign_in;

  use_real_account (self);
  sign_in = begin_sign_in (self, _("Signing in to PlayStation Network…"), NULL);
  sign_in->password = password;
  flow = qm_psn_flow_new (self->config);
  qm_psn_flow_sign_in_async (flow, user, password, sign_in->cancellable, on_psn_signed_in_cb, sign_in);
}

static void
on_restored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (qm_auth_manager_restore_finish (QM_AUTH_MANAGER (source), result, &error))
    {
      if (self->auth == QM_AUTH_MANAGER (source))
        show_signed_in (self);
      return;
    }
  /* Another sign-in began meanwhile: it decides what is shown. */
  if (self->auth != QM_AUTH_MANAGER (source) || self->sign_in_cancellable != NULL)
    return;

  if (error != NULL)
    {
      g_message ("No sign-in restored: %s", error->message);
      message = qm_error_describe (error);
    }
  else if (self->store != NULL && !qm_token_store_get_persistent (self->store))
    {
      message = g_strdup (_("Your keyring is not available, so Quartermaster cannot remember "
                            "your sign-in: you will need to sign in each time."));
    }
  show_sign_in (self, message);
}

static void
restore_sign_in (QmApplication *self,
                 QmWindow      *window)
{
  use_real_account (self);
  qm_window_show_loading (window);
  qm_auth_manager_restore_async (self->auth, NULL, on_restored_cb, g_object_ref (self));
}

/* The account's inventory, through the auth manager's credentials. */
static void
show_signed_in (QmApplication *self)
{
  const QmToken *token = qm_auth_manager_get_token (self->auth);
  QmWindow *window = get_window (self);

  g_clear_object (&self->client);
  self->client = qm_bungie_client_new (self->config->origin, self->config->api_key);
  qm_bungie_client_set_auth_manager (self->client, self->auth);
  g_free (self->account_name);
  if (self->auth_is_sandbox)
    self->account_name = g_strdup (_("Sandbox"));
  else if (token != NULL && token->kind == QM_TOKEN_KIND_PSN_COOKIES)
    self->account_name = g_strdup (_("PlayStation Network"));
  else
    self->account_name = g_strdup (_("Bungie.net"));
  update_sign_in_actions (self);
  if (self->xur_check_running)
    xur_check_signed_in (self);
  if (window == NULL)
    return;

  qm_sign_in_page_show_choices (qm_window_get_sign_in_page (window));
  qm_window_set_client (window, self->client, self->account_name);
}

static void
show_sign_in (QmApplication *self,
              const char    *message)
{
  QmWindow *window = get_window (self);
  QmSignInPage *page;

  g_clear_object (&self->client);
  update_sign_in_actions (self);
  if (self->xur_check_running)
    xur_check_end (self, FALSE);
  if (window == NULL)
    return;

  page = qm_window_get_sign_in_page (window);
  qm_sign_in_page_show_choices (page);
  if (message != NULL)
    qm_sign_in_page_set_message (page, message);
  qm_window_show_sign_in (window);
  test_report (self, "QM-SIGNED-OUT");
}

/* A redirect to quartermaster://, from the browser through GApplication::open. */
static void
handle_redirect (QmApplication *self,
                 const char    *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->oauth_flow == NULL)
    {
      /* Nothing asked for it: someone else's, or an old one. */
      g_set_error_literal (&error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH,
                           "No sign-in is waiting for this answer");
      message = qm_error_describe (error);
      g_message ("Refused a sign-in redirect: %s", error->message);
      if (self->client == NULL && get_sign_in_page (self) != NULL)
        qm_sign_in_page_set_message (get_sign_in_page (self), message);
      return;
    }
  /* A refused redirect fails the pending sign-in, which then says why. */
  if (!qm_oauth2_flow_handle_redirect (self->oauth_flow, uri, &error))
    {
      if (error != NULL)
        g_message ("Refused a sign-in redirect: %s", error->message);
      else
        g_debug ("Ignoring a redirect that is not for the sign-in");
    }
}

/* ---------------------------------------------------------------------- */
/* The sandbox                                                             */

/* The sandbox started, and its demo account signing in by itself, through
 * Bungie's OAuth flow, unless it is already. Its sign-ins are never kept in
 * the keyring. */
static gboolean
sign_in_to_sandbox (QmApplication  *self,
                    GError        **error)
{
  QmSandboxOptions options = { 0 };

  if (self->sandbox == NULL)
    {
      options.data_dir = self->sandbox_dir;
      /* For trying the page that counts down to his return. */
      options.xur_absent = g_strcmp0 (g_getenv ("QM_SANDBOX_XUR_ABSENT"), "1") == 0;
      self->sandbox = qm_sandbox_start_for_app (&options, NULL, error);
      if (self->sandbox == NULL)
        return FALSE;
    }
  if (self->auth_is_sandbox && qm_auth_manager_get_state (self->auth) == QM_AUTH_STATE_SIGNED_IN)
    {
      show_signed_in (self);
      return TRUE;
    }

  set_auth (self, qm_sandbox_dup_config (self->sandbox), NULL, TRUE);
  start_oauth_sign_in (self, TRUE);
  return TRUE;
}

static void
load_sandbox (QmApplication *self,
              QmWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!sign_in_to_sandbox (self, &error))
    {
      /* Translators: %s says why the sandbox could not start. */
      message = g_strdup_printf (_("The sandbox could not start: %s"), error->message);
      qm_window_show_error (window, message);
      on_window_load_failed_cb (window, message, self);
    }
}

static gboolean
load_sandbox_cb (gpointer user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmWindow *window = get_window (self);

  if (window != NULL)
    load_sandbox (self, window);
  return G_SOURCE_REMOVE;
}

static void
load_sandbox_when_idle (QmApplication *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_sandbox_cb,
                   g_object_ref (self), g_object_unref);
}

static void
on_first_paint_cb (GdkFrameClock *clock,
                   QmApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint_cb, self);
  load_sandbox_when_idle (self);
}

/* Setting the sandbox up blocks for a moment: show the window first. */
static void
schedule_sandbox (QmApplication *self,
                  QmWindow      *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint_cb), self, 0);
  else
    load_sandbox_when_idle (self);
}

/* ---------------------------------------------------------------------- */
/* Xûr                                                                     */

/* How long `--xur-check` stays after announcing him, so that clicking the
 * notification still finds it. */
#define XUR_CHECK_LINGER_S (10 * 60)

static char *
dup_xur_last_notified (QmApplication *self)
{
  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "xur-last-notified");
  return g_strdup (self->xur_last_notified);
}

static void
set_xur_last_notified (QmApplication *self,
                       const char    *week)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "xur-last-notified", week);
  g_free (self->xur_last_notified);
  self->xur_last_notified = g_strdup (week);
}

static GNotification *
xur_notification_new (QmXur *xur)
{
  guint n_sales = g_list_model_get_n_items (qm_xur_get_sales (xur));
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *until = qm_xur_format_day_time (qm_xur_get_departs (xur), tz);
  g_autofree char *body = NULL;
  GNotification *notification = g_notification_new (_("Xûr has arrived"));

  /* Translators: the second %s is a weekday and time, e.g. "Tuesday 18:00". */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Xûr is selling %u item until %s.",
                                       "Xûr is selling %u items until %s.", n_sales),
                          n_sales, until);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.show-xur");
  return notification;
}

/* Announce Xûr once per stay, keyed by the ISO week he arrived in. */
static gboolean
announce_xur (QmApplication *self,
              QmXur         *xur)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *week = NULL;
  g_autofree char *last = NULL;

  if (!qm_xur_get_present (xur) || qm_xur_get_arrives (xur) == NULL
      || qm_xur_get_departs (xur) == NULL)
    return FALSE;
  week = qm_xur_week_id (qm_xur_get_arrives (xur));
  last = dup_xur_last_notified (self);
  if (g_strcmp0 (week, last) == 0)
    return FALSE;
  if (!g_application_get_is_registered (G_APPLICATION (self)))
    {
      g_debug ("Not registered: cannot announce Xûr");
      return FALSE;
    }

  notification = xur_notification_new (xur);
  g_application_send_notification (G_APPLICATION (self), "xur-arrived", notification);
  set_xur_last_notified (self, week);
  g_signal_emit (self, signals[SIGNAL_XUR_NOTIFIED], 0, xur);
  return TRUE;
}

static void
on_xur_page_loaded_cb (QmXurPage     *page,
                       QmXur         *xur,
                       QmApplication *self)
{
  announce_xur (self, xur);
}

/* Every main window's Xûr page, whoever made the window. */
static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    gpointer        user_data)
{
  if (QM_IS_WINDOW (window))
    g_signal_connect_object (qm_window_get_xur_page (QM_WINDOW (window)), "loaded",
                             G_CALLBACK (on_xur_page_loaded_cb), app, 0);
}

static gboolean
xur_check_linger_cb (gpointer user_data)
{
  g_application_release (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
xur_check_end (QmApplication *self,
               gboolean       linger)
{
  if (!self->xur_check_running)
    return;

  self->xur_check_running = FALSE;
  if (linger && self->test_quit_ms == 0)
    g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, XUR_CHECK_LINGER_S, xur_check_linger_cb,
                                g_object_ref (self), g_object_unref);
  else
    g_application_release (G_APPLICATION (self));
}

static void
on_xur_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gboolean announced = FALSE;

  xur = qm_xur_load_finish (result, &error);
  if (xur != NULL)
    announced = announce_xur (self, xur);
  else
    g_message ("Could not look for Xûr: %s", error->message);

  if (xur != NULL)
    line = g_strdup_printf ("QM-XUR present=%d notified=%d", qm_xur_get_present (xur), announced);
  else
    line = g_strdup_printf ("QM-ERROR %s", error->message);
  test_report (self, line);
  xur_check_end (self, announced);
}

static void
xur_check_signed_in (QmApplication *self)
{
  qm_xur_load_async (self->client, NULL, NULL, on_xur_checked_cb, g_object_ref (self));
}

/* Sign in as the app would (the keyring, or the sandbox's demo account),
 * without a window; the sign-in's outcome continues the check. */
static void
xur_check_start (QmApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->xur_check_running)
    return;
  self->xur_check_running = TRUE;
  g_application_hold (G_APPLICATION (self));
  if (!self->use_sandbox)
    {
      use_real_account (self);
      qm_auth_manager_restore_async (self->auth, NULL, on_restored_cb, g_object_ref (self));
      return;
    }
  if (!sign_in_to_sandbox (self, &error))
    {
      g_message ("The sandbox could not start: %s", error->message);
      xur_check_end (self, FALSE);
    }
}

/* An instance already running does the check itself. */
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

/* ---------------------------------------------------------------------- */
/* Actions                                                                 */

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  static const char *developers[] = { "Quartermaster contributors", NULL };
  GtkWidget *about;

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
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

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
  QmWindow *window = get_window (self);

  if (window != NULL)
    {
      cancel_sign_in (self);
      qm_window_show_loading (window);
      schedule_sandbox (self, window);
    }
}

static void
sign_in_bungie_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmSignInPage *page = get_sign_in_page (self);

  use_real_account (self);
  if (!config_has (self->config->client_id) || !config_has (self->config->api_key))
    {
      if (page != NULL)
        qm_sign_in_page_set_message (page, _("This copy of Quartermaster has no Bungie.net "
                                             "application to sign in with. Set QM_API_KEY, "
                                             "QM_OAUTH_CLIENT_ID and QM_OAUTH_CLIENT_SECRET, or "
                                             "try the sandbox."));
      return;
    }
  start_oauth_sign_in (self, FALSE);
}

static void
on_psn_fields_changed_cb (GtkEditable      *editable,
                          AdwMessageDialog *dialog)
{
  GtkEditable *user = g_object_get_data (G_OBJECT (dialog), "user-entry");
  GtkEditable *password = g_object_get_data (G_OBJECT (dialog), "password-entry");

  adw_message_dialog_set_response_enabled (dialog, "sign-in",
                                           *gtk_editable_get_text (user) != '\0' &&
                                           *gtk_editable_get_text (password) != '\0');
}

static void
on_psn_dialog_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           QmApplication    *self)
{
  GtkEditable *user = g_object_get_data (G_OBJECT (dialog), "user-entry");
  GtkEditable *password_entry = g_object_get_data (G_OBJECT (dialog), "password-entry");
  g_autofree char *user_name = NULL;
  char *password;

  if (!g_str_equal (response, "sign-in"))
    {
      gtk_editable_set_text (password_entry, "");
      return;
    }

  user_name = g_strstrip (g_strdup (gtk_editable_get_text (user)));
  password = g_strdup (gtk_editable_get_text (password_entry));
  /* The entry's buffer wipes its copy when it is cleared. */
  gtk_editable_set_text (password_entry, "");
  start_psn_sign_in (self, user_name, password);
}

static GtkWidget *
psn_fields_new (AdwMessageDialog *dialog)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *user = gtk_entry_new ();
  GtkWidget *password = gtk_password_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (user), _("E-mail address"));
  gtk_entry_set_input_purpose (GTK_ENTRY (user), GTK_INPUT_PURPOSE_EMAIL);
  gtk_entry_set_activates_default (GTK_ENTRY (user), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (user), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("E-mail address"), -1);
  g_object_set (password,
                "placeholder-text", _("Password"),
                "show-peek-icon", TRUE,
                "activates-default", TRUE,
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (password), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Password"), -1);
  gtk_box_append (GTK_BOX (box), user);
  gtk_box_append (GTK_BOX (box), password);

  g_object_set_data (G_OBJECT (dialog), "user-entry", user);
  g_object_set_data (G_OBJECT (dialog), "password-entry", password);
  g_signal_connect_object (user, "changed", G_CALLBACK (on_psn_fields_changed_cb), dialog, 0);
  g_signal_connect_object (password, "changed", G_CALLBACK (on_psn_fields_changed_cb), dialog, 0);
  return box;
}

static void
sign_in_psn_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   _("Sign in with PlayStation Network"),
                                   _("The classic way in, as Bungie.net once offered it. Your "
                                     "password goes to PlayStation Network once and is never "
                                     "kept."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign-in", FALSE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog),
                                      psn_fields_new (ADW_MESSAGE_DIALOG (dialog)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_psn_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_sign_in_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  cancel_sign_in (self);
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

  if (qm_auth_manager_sign_out_finish (QM_AUTH_MANAGER (source), result, &error))
    return;

  g_message ("Signing out did not remove the sign-in from the keyring: %s", error->message);
  /* Translators: %s says why the keyring item could not be removed. */
  message = g_strdup_printf (_("You are signed out, but your keyring still keeps the sign-in: %s"),
                             error->message);
  if (self->client == NULL && get_sign_in_page (self) != NULL)
    qm_sign_in_page_set_message (get_sign_in_page (self), message);
}

/* The profile saved for the next start belongs to the account signing
 * out: it goes with it. */
static void
forget_shown_profile (QmApplication *self)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (self->settings == NULL)
    return;
  id = g_settings_get_string (self->settings, "shown-membership-id");
  g_settings_reset (self->settings, "shown-membership-id");
  if (*id == '\0')
    return;
  path = qm_profile_cache_get_path (id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_message ("Could not remove the saved profile %s: %s", path, g_strerror (errno));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  if (self->auth == NULL)
    return;

  cancel_sign_in (self);
  forget_shown_profile (self);
  qm_auth_manager_sign_out_async (self->auth, NULL, on_sign_out_done_cb, g_object_ref (self));
  show_sign_in (self, NULL);
}

static void
show_xur_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window != NULL)
    qm_window_show_view (window, "xur");
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

  preferences = qm_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)));
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
/* Definitions                                                             */

static void
on_language_updated_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  QmWindow *window;

  if (!qm_manifest_update_finish (QM_MANIFEST (source), result, NULL, &error))
    {
      if (!qm_error_is_cancelled (error))
        g_message ("Could not load the definitions in the chosen language: %s", error->message);
      return;
    }
  /* The items shown take the new names with the next load. */
  window = get_window (self);
  if (window != NULL && qm_window_get_client (window) != NULL)
    qm_window_refresh (window);
}

static void
on_manifest_language_changed_cb (GSettings     *settings,
                                 const char    *key,
                                 QmApplication *self)
{
  g_autofree char *language = g_settings_get_string (settings, key);

  qm_manifest_set_language (self->manifest, language);
  /* The cache of that language, when there is one, at once; then the
   * network. */
  if (!qm_manifest_open_cached (self->manifest, NULL))
    g_debug ("No cached definitions in “%s” yet", language);
  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->manifest_cancellable);
  g_clear_object (&self->manifest_cancellable);
  self->manifest_cancellable = g_cancellable_new ();
  qm_manifest_update_async (self->manifest, self->client, self->manifest_cancellable,
                            on_language_updated_cb, g_object_ref (self));
}

static void
open_manifest (QmApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->manifest = qm_manifest_new (NULL);
  if (self->settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (self->settings, "manifest-language");

      qm_manifest_set_language (self->manifest, language);
      g_signal_connect_object (self->settings, "changed::manifest-language",
                               G_CALLBACK (on_manifest_language_changed_cb), self, 0);
    }
  /* Definitions from the last run at once, even offline; the first load
   * brings them up to date. */
  if (!qm_manifest_open_cached (self->manifest, &error))
    g_debug ("No cached definitions: %s", error->message);
}

/* ---------------------------------------------------------------------- */
/* GApplication                                                            */

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
qm_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (qm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  update_sign_in_actions (QM_APPLICATION (app));
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  QM_APPLICATION (app)->settings = qm_ui_settings_new ();
  if (QM_APPLICATION (app)->manifest == NULL)
    open_manifest (QM_APPLICATION (app));
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added_cb), NULL);
}

static QmWindow *
create_window (QmApplication *self)
{
  QmWindow *window = qm_window_new (GTK_APPLICATION (self));

  g_signal_connect_object (window, "loaded", G_CALLBACK (on_window_loaded_cb), self, 0);
  g_signal_connect_object (window, "load-failed", G_CALLBACK (on_window_load_failed_cb), self, 0);
  g_signal_connect_object (window, "inventory-painted",
                           G_CALLBACK (on_window_inventory_painted_cb), self, 0);
  /* QM_START_VIEW=xur opens on Xûr's view (for screenshots). */
  if (g_strcmp0 (g_getenv ("QM_START_VIEW"), "xur") == 0)
    qm_window_show_view (window, "xur");
  return window;
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

  window = create_window (self);
  gtk_window_present (GTK_WINDOW (window));
  if (self->use_sandbox)
    {
      qm_window_show_loading (window);
      schedule_sandbox (self, window);
    }
  else if (self->auth != NULL && qm_auth_manager_get_state (self->auth) == QM_AUTH_STATE_SIGNED_IN)
    {
      show_signed_in (self);
    }
  else
    {
      restore_sign_in (self, window);
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

      if (g_str_has_prefix (uri, "quartermaster:"))
        handle_redirect (self, uri);
      else
        g_debug ("Ignoring a file that is not a sign-in redirect");
    }
}

static void
qm_application_shutdown (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);

  cancel_sign_in (self);
  g_cancellable_cancel (self->manifest_cancellable);
  if (self->sandbox != NULL)
    qm_sandbox_stop (self->sandbox);

  G_APPLICATION_CLASS (qm_application_parent_class)->shutdown (app);
}

static void
qm_application_finalize (GObject *object)
{
  QmApplication *self = QM_APPLICATION (object);

  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->oauth_flow);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->client);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  g_clear_pointer (&self->config, qm_config_free);
  g_clear_object (&self->sandbox);
  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  g_free (self->sandbox_dir);
  g_free (self->origin);
  g_free (self->account_name);
  g_clear_object (&self->settings);
  g_free (self->xur_last_notified);
  g_clear_object (&self->manifest_cancellable);
  g_clear_object (&self->manifest);

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

QmAuthManager *
qm_application_get_auth_manager (QmApplication *self)
{
  g_return_val_if_fail (QM_IS_APPLICATION (self), NULL);

  return self->auth;
}

/**
 * qm_application_get_manifest:
 *
 * Returns: (transfer none): the definitions every view uses
 */
QmManifest *
qm_application_get_manifest (QmApplication *self)
{
  g_return_val_if_fail (QM_IS_APPLICATION (self), NULL);

  if (self->manifest == NULL)
    open_manifest (self);
  return self->manifest;
}
