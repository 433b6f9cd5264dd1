/* qm-xur-notifier.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-xur-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-xur-notifier.h"

#include "qm-window.h"
#include "qm-xur-page.h"

struct _QmXurNotifier
{
  GObject       parent_instance;

  GApplication *application;     /* weak */
  GSettings    *settings;        /* nullable */
  char         *last_notified;   /* without settings */

  /* The check running: the session it waits on. */
  QmSession    *session;
  guint         linger_s;
  gboolean      looking;
};

G_DEFINE_FINAL_TYPE (QmXurNotifier, qm_xur_notifier, G_TYPE_OBJECT)

enum {
  SIGNAL_NOTIFIED,
  SIGNAL_CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_last_notified (QmXurNotifier *self)
{
  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "xur-last-notified");
  return g_strdup (self->last_notified);
}

static void
set_last_notified (QmXurNotifier *self,
                   const char    *week)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "xur-last-notified", week);
  g_free (self->last_notified);
  self->last_notified = g_strdup (week);
}

static GNotification *
notification_new (QmXur *xur)
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

static void
on_xur_page_loaded_cb (QmXurPage     *page,
                       QmXur         *xur,
                       QmXurNotifier *self)
{
  qm_xur_notifier_announce (self, xur);
}

/* Every main window's Xûr page, whoever made the window. */
static void
on_window_added_cb (GtkApplication *app,
                    GtkWindow      *window,
                    QmXurNotifier  *self)
{
  if (QM_IS_WINDOW (window))
    g_signal_connect_object (qm_window_get_xur_page (QM_WINDOW (window)), "loaded",
                             G_CALLBACK (on_xur_page_loaded_cb), self, 0);
}

static gboolean
linger_cb (gpointer user_data)
{
  g_application_release (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
end_check (QmXurNotifier *self,
           gboolean       linger)
{
  if (self->session == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  self->looking = FALSE;
  if (self->application == NULL)
    return;
  if (linger && self->linger_s > 0)
    g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->linger_s, linger_cb,
                                g_object_ref (self->application), g_object_unref);
  else
    g_application_release (self->application);
}

static void
on_xur_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(QmXurNotifier) self = user_data;
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gboolean announced = FALSE;

  xur = qm_xur_load_finish (result, &error);
  if (xur != NULL)
    announced = qm_xur_notifier_announce (self, xur);
  else
    g_message ("Could not look for Xûr: %s", error->message);

  if (xur != NULL)
    line = g_strdup_printf ("QM-XUR present=%d notified=%d", qm_xur_get_present (xur), announced);
  else
    line = g_strdup_printf ("QM-ERROR %s", error->message);
  g_signal_emit (self, signals[SIGNAL_CHECKED], 0, line);
  end_check (self, announced);
}

/* Signed in: look; signed out before that: the check is over. */
static void
on_session_state_cb (QmSession     *session,
                     GParamSpec    *pspec,
                     QmXurNotifier *self)
{
  if (self->looking)
    return;
  if (qm_session_get_signed_in (session))
    {
      self->looking = TRUE;
      qm_xur_load_async (qm_session_get_client (session), NULL, NULL, on_xur_checked_cb,
                         g_object_ref (self));
    }
  else if (qm_session_get_state (session) != QM_SESSION_STATE_SIGNING_IN)
    {
      end_check (self, FALSE);
    }
}

static void
qm_xur_notifier_dispose (GObject *object)
{
  QmXurNotifier *self = QM_XUR_NOTIFIER (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qm_xur_notifier_parent_class)->dispose (object);
}

static void
qm_xur_notifier_finalize (GObject *object)
{
  QmXurNotifier *self = QM_XUR_NOTIFIER (object);

  g_free (self->last_notified);

  G_OBJECT_CLASS (qm_xur_notifier_parent_class)->finalize (object);
}

static void
qm_xur_notifier_class_init (QmXurNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_xur_notifier_dispose;
  object_class->finalize = qm_xur_notifier_finalize;

  signals[SIGNAL_NOTIFIED] =
    g_signal_new ("notified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QM_TYPE_XUR);
  signals[SIGNAL_CHECKED] =
    g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
qm_xur_notifier_init (QmXurNotifier *self)
{
}

QmXurNotifier *
qm_xur_notifier_new (GApplication *application,
                     GSettings    *settings)
{
  QmXurNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (QM_TYPE_XUR_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  g_set_object (&self->settings, settings);
  if (GTK_IS_APPLICATION (application))
    g_signal_connect_object (application, "window-added", G_CALLBACK (on_window_added_cb), self, 0);
  return self;
}

/* Once per stay, keyed by the ISO week he arrived in. */
gboolean
qm_xur_notifier_announce (QmXurNotifier *self,
                          QmXur         *xur)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *week = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (QM_IS_XUR_NOTIFIER (self), FALSE);
  g_return_val_if_fail (QM_IS_XUR (xur), FALSE);

  if (!qm_xur_get_present (xur) || qm_xur_get_arrives (xur) == NULL
      || qm_xur_get_departs (xur) == NULL)
    return FALSE;
  week = qm_xur_week_id (qm_xur_get_arrives (xur));
  last = dup_last_notified (self);
  if (g_strcmp0 (week, last) == 0)
    return FALSE;
  if (self->application == NULL || !g_application_get_is_registered (self->application))
    {
      g_debug ("Not registered: cannot announce Xûr");
      return FALSE;
    }

  notification = notification_new (xur);
  g_application_send_notification (self->application, "xur-arrived", notification);
  set_last_notified (self, week);
  g_signal_emit (self, signals[SIGNAL_NOTIFIED], 0, xur);
  return TRUE;
}

void
qm_xur_notifier_check (QmXurNotifier *self,
                       QmSession     *session,
                       guint          linger_s)
{
  g_return_if_fail (QM_IS_XUR_NOTIFIER (self));
  g_return_if_fail (QM_IS_SESSION (session));

  if (self->session != NULL || self->application == NULL)
    return;

  self->session = g_object_ref (session);
  self->linger_s = linger_s;
  g_application_hold (self->application);
  g_signal_connect (session, "notify::state", G_CALLBACK (on_session_state_cb), self);
  on_session_state_cb (session, NULL, self);
}

gboolean
qm_xur_notifier_get_checking (QmXurNotifier *self)
{
  g_return_val_if_fail (QM_IS_XUR_NOTIFIER (self), FALSE);

  return self->session != NULL;
}
