/* qm-test-dbus.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qm-test-dbus.h"
#include "qm-test-utils.h"

static GDBusConnection *
session_bus_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  if (bus == NULL)
    g_test_skip ("no session bus (run the tests with dbus-run-session)");
  return bus;
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Tests running at once share the session bus: a name another test owns is
 * waited for in the bus's queue. Losing it once owned is an error. */
static void
on_name_lost_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  if (connection == NULL)
    g_error ("No session bus to own %s on", name);
  if (*(gboolean *) user_data)
    g_error ("Lost %s on the test's session bus", name);
  g_test_message ("waiting for another test to release %s", name);
}

static guint
own_name (GDBusConnection *bus,
          const char      *name,
          gboolean        *acquired)
{
  guint id = g_bus_own_name_on_connection (bus, name, G_BUS_NAME_OWNER_FLAGS_NONE,
                                           on_name_acquired_cb, on_name_lost_cb,
                                           acquired, NULL);

  qm_test_wait (acquired, 600);
  return id;
}

/* ---------------------------------------------------------------------- */
/* org.freedesktop.Notifications                                          */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

static void
fake_notification_free (gpointer data)
{
  QmFakeNotification *notification = data;

  g_free (notification->app_name);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_free (notification);
}

static void
on_notifications_call_cb (GDBusConnection       *connection,
                          const char            *sender,
                          const char            *object_path,
                          const char            *interface_name,
                          const char            *method_name,
                          GVariant              *parameters,
                          GDBusMethodInvocation *invocation,
                          gpointer               user_data)
{
  QmFakeNotifications *fake = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      QmFakeNotification *notification = g_new0 (QmFakeNotification, 1);
      guint replaces = 0;

      g_variant_get (parameters, "(su&sss^as@a{sv}i)", &notification->app_name, &replaces,
                     NULL, &notification->summary, &notification->body,
                     &notification->actions, NULL, NULL);
      notification->id = replaces != 0 ? replaces : fake->notifications->len + 1;
      g_ptr_array_add (fake->notifications, notification);
      g_ptr_array_add (fake->summaries, g_strdup (notification->summary));
      g_ptr_array_add (fake->bodies, g_strdup (notification->body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new_parsed ("(@as ['body', 'actions'],)"));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "test", "Quartermaster", "1", "1.2"));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
}

static const GDBusInterfaceVTable notifications_vtable = { on_notifications_call_cb, NULL, NULL, { 0 } };

QmFakeNotifications *
qm_fake_notifications_new (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  QmFakeNotifications *fake;
  GDBusConnection *bus = session_bus_or_skip ();

  if (bus == NULL)
    return NULL;
  fake = g_new0 (QmFakeNotifications, 1);
  fake->bus = bus;
  fake->notifications = g_ptr_array_new_with_free_func (fake_notification_free);
  fake->summaries = g_ptr_array_new_with_free_func (g_free);
  fake->bodies = g_ptr_array_new_with_free_func (g_free);
  fake->object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &notifications_vtable,
                                                       fake, NULL, &error);
  g_assert_no_error (error);
  fake->owner_id = own_name (bus, "org.freedesktop.Notifications", &fake->acquired);
  return fake;
}

void
qm_fake_notifications_free (QmFakeNotifications *fake)
{
  /* Give up the name first, and answer what was sent before the bus
   * knew: a Notify must never find the name without the server. */
  g_bus_unown_name (fake->owner_id);
  qm_test_spin (200);
  g_dbus_connection_unregister_object (fake->bus, fake->object_id);
  g_ptr_array_unref (fake->notifications);
  g_ptr_array_unref (fake->summaries);
  g_ptr_array_unref (fake->bodies);
  g_object_unref (fake->bus);
  g_free (fake);
}

gboolean
qm_fake_notifications_wait (QmFakeNotifications *fake,
                            guint                n,
                            guint                timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, qm_test_flag_cb, &timed_out);

  while (fake->notifications->len < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return fake->notifications->len >= n;
}

guint
qm_fake_notifications_count (QmFakeNotifications *fake,
                             const char          *summary)
{
  guint n = 0;

  for (guint i = 0; i < fake->notifications->len; i++)
    {
      QmFakeNotification *notification = g_ptr_array_index (fake->notifications, i);

      n += g_strcmp0 (notification->summary, summary) == 0;
    }
  return n;
}

gboolean
qm_fake_notifications_click (QmFakeNotifications      *fake,
                             const QmFakeNotification *notification,
                             const char               *label)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; notification->actions[i] != NULL && notification->actions[i + 1] != NULL; i += 2)
    {
      if (g_strcmp0 (notification->actions[i + 1], label) != 0)
        continue;
      g_dbus_connection_emit_signal (fake->bus, NULL, "/org/freedesktop/Notifications",
                                     "org.freedesktop.Notifications", "ActionInvoked",
                                     g_variant_new ("(us)", notification->id, notification->actions[i]),
                                     &error);
      g_assert_no_error (error);
      return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* org.freedesktop.portal.Desktop: Background and OpenURI                 */

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "  <interface name='org.freedesktop.portal.OpenURI'>"
  "    <method name='OpenURI'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='OpenFile'>"
  "      <arg type='s' direction='in'/><arg type='h' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

/* The request object a caller expects (the portal's documented rule):
 * /org/freedesktop/portal/desktop/request/SENDER/TOKEN, with the sender's
 * unique name without its ':' and its '.' as '_'. */
static char *
request_path (const char *sender,
              GVariant   *options)
{
  static guint serial;
  g_autofree char *token = NULL;
  g_autofree char *who = g_strdup (sender[0] == ':' ? sender + 1 : sender);

  if (!g_variant_lookup (options, "handle_token", "s", &token))
    token = g_strdup_printf ("fake%u", ++serial);
  g_strdelimit (who, ".", '_');
  return g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", who, token);
}

typedef struct
{
  GDBusConnection *bus;
  char            *sender;
  char            *path;
  guint            response;
  GVariant        *results;
} Answer;

static gboolean
answer_cb (gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (answer->bus, answer->sender, answer->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(u@a{sv})", answer->response, answer->results),
                                 &error);
  g_assert_no_error (error);
  g_object_unref (answer->bus);
  g_free (answer->sender);
  g_free (answer->path);
  g_variant_unref (answer->results);
  g_free (answer);
  return G_SOURCE_REMOVE;
}

/* Return the request's path, then answer on it (as the portal does, after
 * the dialog it may show). */
static void
answer_request (QmFakePortal          *fake,
                GDBusMethodInvocation *invocation,
                GVariant              *options,
                GVariant              *results)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  Answer *answer = g_new0 (Answer, 1);
  GSource *source;

  answer->bus = g_object_ref (fake->bus);
  answer->sender = g_strdup (sender);
  answer->path = request_path (sender, options);
  answer->response = fake->response;

  answer->results = g_variant_ref_sink (results);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", answer->path));
  source = g_timeout_source_new (10);
  g_source_set_callback (source, answer_cb, answer, NULL);
  g_source_attach (source, fake->context);
  g_source_unref (source);
}

static void
on_portal_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  QmFakePortal *fake = user_data;
  g_autoptr(GVariant) options = NULL;

  if (g_str_equal (method_name, "RequestBackground"))
    {
      g_autoptr(GVariantDict) results = g_variant_dict_new (NULL);
      gboolean autostart = FALSE;

      g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
      g_mutex_lock (&fake->lock);
      g_ptr_array_add (fake->background_requests, g_variant_ref (options));
      g_mutex_unlock (&fake->lock);
      g_variant_lookup (options, "autostart", "b", &autostart);
      g_variant_dict_insert (results, "background", "b", TRUE);
      g_variant_dict_insert (results, "autostart", "b", autostart);
      answer_request (fake, invocation, options, g_variant_dict_end (results));
    }
  else if (g_str_equal (method_name, "OpenURI"))
    {
      const char *uri;

      g_variant_get (parameters, "(&s&s@a{sv})", NULL, &uri, &options);
      g_mutex_lock (&fake->lock);
      g_ptr_array_add (fake->opened_uris, g_strdup (uri));
      g_mutex_unlock (&fake->lock);
      answer_request (fake, invocation, options, g_variant_new ("a{sv}", NULL));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED,
                                             "%s is not part of this portal", method_name);
    }
}

static GVariant *
on_portal_get_property_cb (GDBusConnection  *connection,
                           const char       *sender,
                           const char       *object_path,
                           const char       *interface_name,
                           const char       *property_name,
                           GError          **error,
                           gpointer          user_data)
{
  return g_variant_new_uint32 (g_str_equal (interface_name, "org.freedesktop.portal.Background") ? 1 : 4);
}

static const GDBusInterfaceVTable portal_vtable = { on_portal_call_cb, on_portal_get_property_cb, NULL, { 0 } };

static void
on_portal_name_acquired_cb (GDBusConnection *connection,
                            const char      *name,
                            gpointer         user_data)
{
  QmFakePortal *fake = user_data;

  g_mutex_lock (&fake->lock);
  fake->acquired = TRUE;
  g_cond_signal (&fake->cond);
  g_mutex_unlock (&fake->lock);
}

static void
on_portal_name_lost_cb (GDBusConnection *connection,
                        const char      *name,
                        gpointer         user_data)
{
  QmFakePortal *fake = user_data;
  gboolean acquired;

  g_mutex_lock (&fake->lock);
  acquired = fake->acquired;
  g_mutex_unlock (&fake->lock);
  on_name_lost_cb (connection, name, &acquired);
}

static gpointer
portal_thread (gpointer user_data)
{
  QmFakePortal *fake = user_data;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (fake->context);
  for (guint i = 0; i < G_N_ELEMENTS (fake->object_id); i++)
    {
      fake->object_id[i] = g_dbus_connection_register_object (fake->bus, "/org/freedesktop/portal/desktop",
                                                              info->interfaces[i], &portal_vtable,
                                                              fake, NULL, &error);
      g_assert_no_error (error);
    }
  fake->owner_id = g_bus_own_name_on_connection (fake->bus, "org.freedesktop.portal.Desktop",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 on_portal_name_acquired_cb, on_portal_name_lost_cb,
                                                 fake, NULL);
  g_main_loop_run (fake->loop);
  g_bus_unown_name (fake->owner_id);
  for (guint i = 0; i < G_N_ELEMENTS (fake->object_id); i++)
    g_dbus_connection_unregister_object (fake->bus, fake->object_id[i]);
  /* What unregistering and unowning left to run. */
  while (g_main_context_iteration (fake->context, FALSE))
    ;
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

QmFakePortal *
qm_fake_portal_new (void)
{
  QmFakePortal *fake;
  GDBusConnection *bus = session_bus_or_skip ();

  if (bus == NULL)
    return NULL;
  fake = g_new0 (QmFakePortal, 1);
  fake->bus = bus;
  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  fake->background_requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fake->opened_uris = g_ptr_array_new_with_free_func (g_free);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->thread = g_thread_new ("fake-portal", portal_thread, fake);
  g_mutex_lock (&fake->lock);
  while (!fake->acquired)
    g_cond_wait (&fake->cond, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

guint
qm_fake_portal_n_opened (QmFakePortal *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->opened_uris->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
qm_fake_portal_free (QmFakePortal *fake)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_cb, fake->loop, NULL);
  g_source_attach (source, fake->context);
  g_source_unref (source);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_ptr_array_unref (fake->background_requests);
  g_ptr_array_unref (fake->opened_uris);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->cond);
  g_object_unref (fake->bus);
  g_free (fake);
}
