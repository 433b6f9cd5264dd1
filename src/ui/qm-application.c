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

#include "qm-application-private.h"

#include "qm-preferences-window.h"
#include "qm-ui-util.h"

G_DEFINE_FINAL_TYPE (QmApplication, qm_application, ADW_TYPE_APPLICATION)

enum {
  SIGNAL_XUR_NOTIFIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


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
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

QmWindow *
_qm_application_get_window (QmApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return QM_IS_WINDOW (window) ? QM_WINDOW (window) : NULL;
}

/* ---------------------------------------------------------------------- */
/* Test mode: say what happened on stdout once, then quit after a while.  */

static gboolean
quit_cb (gpointer user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  self->test_quit_id = 0;
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
  return G_SOURCE_REMOVE;
}

void
_qm_application_test_report (QmApplication *self,
                             const char    *line)
{
  if (self->test_quit_ms == 0 || self->test_reported)
    return;

  self->test_reported = TRUE;
  g_print ("%s\n", line);
  fflush (stdout);
  self->test_quit_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->test_quit_ms, quit_cb,
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
  _qm_application_test_report (self, line);
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

  _qm_application_test_report (self, line);
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
show_xur_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);

  g_application_activate (G_APPLICATION (self));
  if (_qm_application_get_window (self) != NULL)
    qm_window_show_view (_qm_application_get_window (self), "xur");
}

/* Sign in as the app would (the keyring, or the sandbox's demo account),
 * without a window; the notifier looks for him once signed in. The check
 * quits once it has looked: clicking its notification later starts the app
 * again through D-Bus activation (DBusActivatable), which runs app.show-xur. */
static void
xur_check_start (QmApplication *self)
{
  if (qm_xur_notifier_get_checking (self->xur_notifier) || !_qm_application_sign_in_quietly (self))
    return;
  qm_xur_notifier_check (self->xur_notifier, self->session, 0);
}

static void
xur_check_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  QmWindow *window = _qm_application_get_window (self);

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

/* The sign-in actions are in qm-application-sign-in.c. */
static const GActionEntry app_actions[] = {
  { "show-xur", show_xur_action, NULL, NULL, NULL },
  { "xur-check", xur_check_action, NULL, NULL, NULL },
  { "preferences", preferences_action, NULL, NULL, NULL },
  { "about", about_action, NULL, NULL, NULL },
  { "quit", quit_action, NULL, NULL, NULL },
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
  if (_qm_application_get_window (self) != NULL && qm_window_get_client (_qm_application_get_window (self)) != NULL)
    qm_window_refresh (_qm_application_get_window (self));
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

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

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
  _qm_application_test_report (self, line);
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
  _qm_application_add_sign_in_actions (self);
  _qm_application_add_desktop_actions (self);
  self->xur_notifier = qm_xur_notifier_new (app, self->settings);
  g_signal_connect_object (self->xur_notifier, "notified", G_CALLBACK (on_xur_notified_cb), self, 0);
  g_signal_connect_object (self->xur_notifier, "checked", G_CALLBACK (on_xur_checked_cb), self, 0);
  self->postmaster_notifier = qm_postmaster_notifier_new (app, self->settings, self->session);
}

static void
qm_application_activate (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);
  QmWindow *window = _qm_application_get_window (self);

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
  /* QM_START_VIEW=xur (or loadouts) opens on that view (for screenshots). */
  if (g_strcmp0 (g_getenv ("QM_START_VIEW"), "xur") == 0 ||
      g_strcmp0 (g_getenv ("QM_START_VIEW"), "loadouts") == 0)
    qm_window_show_view (window, g_getenv ("QM_START_VIEW"));
  gtk_window_present (GTK_WINDOW (window));

  _qm_application_show_account (self, window);
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
        _qm_application_handle_redirect (self, uri);
      else
        g_debug ("Ignoring a file that is not a sign-in redirect");
    }
}

static void
qm_application_shutdown (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);

  /* --xur-check ends with its release, maybe before the quit it asked
   * for: g_application_run() still dispatches what is due after shutdown,
   * when the application is no longer registered to take actions. */
  g_clear_handle_id (&self->test_quit_id, g_source_remove);
  if (self->session != NULL)
    qm_session_cancel_sign_in (self->session);
  _qm_application_stop_sandbox (self);

  G_APPLICATION_CLASS (qm_application_parent_class)->shutdown (app);
}

static void
qm_application_finalize (GObject *object)
{
  QmApplication *self = QM_APPLICATION (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->xur_notifier);
  g_clear_object (&self->postmaster_notifier);
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

  /* Test runs must not hand their work to an instance already running,
   * unless the test's own bus is asked to reach them (QM_TEST_UNIQUE=1:
   * gapplication action on a private session bus). */
  if (g_getenv ("QM_TEST_QUIT_AFTER_LOAD_MS") != NULL && g_strcmp0 (g_getenv ("QM_TEST_UNIQUE"), "1") != 0)
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
  _qm_application_watch_session (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::manifest-language",
                             G_CALLBACK (on_manifest_language_changed_cb), self, 0);
  return self->session;
}
