/* qm-application.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-application"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "qm-application.h"

#include "qm-bungie-client.h"
#include "qm-sandbox.h"
#include "qm-window.h"

struct _QmApplication
{
  AdwApplication  parent_instance;

  gboolean        use_sandbox;
  char           *sandbox_dir;
  char           *origin;
  QmSandbox      *sandbox;
  QmBungieClient *client;
  char           *account_name;

  /* QM_TEST_QUIT_AFTER_LOAD_MS: quit this long after the first load (0: never). */
  guint           test_quit_ms;
  gboolean        test_reported;
};

G_DEFINE_FINAL_TYPE (QmApplication, qm_application, ADW_TYPE_APPLICATION)

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

static void
on_window_load_failed_cb (QmWindow      *window,
                          const char    *message,
                          QmApplication *self)
{
  g_autofree char *line = g_strdup_printf ("QM-ERROR %s", message);

  test_report (self, line);
}

static gboolean
start_sandbox (QmApplication  *self,
               GError        **error)
{
  QmSandboxOptions options = { 0 };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autofree char *token = NULL;

  if (self->client != NULL)
    return TRUE;

  options.data_dir = self->sandbox_dir;
  sandbox = qm_sandbox_new (&options, error);
  if (sandbox == NULL || !qm_sandbox_start (sandbox, error))
    return FALSE;

  /* The demo account signs in by itself: no browser involved. */
  token = qm_sandbox_issue_access_token (sandbox);
  self->client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox),
                                       QM_SANDBOX_API_KEY);
  qm_bungie_client_set_access_token (self->client, token);
  self->sandbox = g_steal_pointer (&sandbox);
  g_free (self->account_name);
  self->account_name = g_strdup (_("Sandbox"));
  g_debug ("Sandbox listening at %s", qm_sandbox_get_bungie_origin (self->sandbox));
  return TRUE;
}

static void
load_sandbox (QmApplication *self,
              QmWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!start_sandbox (self, &error))
    {
      /* Translators: %s says why the sandbox could not start. */
      message = g_strdup_printf (_("The sandbox could not start: %s"), error->message);
      qm_window_show_error (window, message);
      on_window_load_failed_cb (window, message, self);
      return;
    }
  qm_window_set_client (window, self->client, self->account_name);
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
      qm_window_show_loading (window);
      schedule_sandbox (self, window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL },
  { "quit", quit_action, NULL, NULL, NULL },
  { "try-sandbox", try_sandbox_action, NULL, NULL, NULL },
};

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
  return -1;
}

static void
qm_application_startup (GApplication *app)
{
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (qm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.refresh", refresh_accels);
}

static QmWindow *
create_window (QmApplication *self)
{
  QmWindow *window = qm_window_new (GTK_APPLICATION (self));

  g_signal_connect_object (window, "loaded", G_CALLBACK (on_window_loaded_cb), self, 0);
  g_signal_connect_object (window, "load-failed", G_CALLBACK (on_window_load_failed_cb), self, 0);
  return window;
}

static void
qm_application_activate (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);
  QmWindow *window = get_window (self);

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
  else
    {
      test_report (self, "QM-SIGNED-OUT");
    }
}

static void
qm_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  /* Sign-in redirects will arrive here. Their URIs carry an authorization
   * code, so they are never logged. */
  g_debug ("Ignoring %d sign-in redirect(s): sign-in is not available yet", n_files);
  g_application_activate (app);
}

static void
qm_application_shutdown (GApplication *app)
{
  QmApplication *self = QM_APPLICATION (app);

  if (self->sandbox != NULL)
    qm_sandbox_stop (self->sandbox);

  G_APPLICATION_CLASS (qm_application_parent_class)->shutdown (app);
}

static void
qm_application_finalize (GObject *object)
{
  QmApplication *self = QM_APPLICATION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->sandbox);
  g_free (self->sandbox_dir);
  g_free (self->origin);
  g_free (self->account_name);

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
