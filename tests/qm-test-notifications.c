/* qm-test-notifications.c: a notification server on the test's session bus
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * org.freedesktop.Notifications, as GLib's GNotification sends to it outside
 * a sandbox when nothing owns org.gtk.Notifications. Tests running at the
 * same time on the same bus take turns: the name is queued for until the
 * other lets it go.
 */

#include "config.h"

#include "qm-test-notifications.h"

#include "qm-test-utils.h"

static const char fake_notifications_xml[] =
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
  "  </interface>"
  "</node>";

static void
on_fake_notifications_call_cb (GDBusConnection       *connection,
                               const char            *sender,
                               const char            *object_path,
                               const char            *interface_name,
                               const char            *method_name,
                               GVariant              *parameters,
                               GDBusMethodInvocation *invocation,
                               gpointer               user_data)
{
  QmTestNotifications *fake = user_data;
  const char *summary;
  const char *body;

  if (g_str_equal (method_name, "Notify"))
    {
      g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     NULL, NULL, NULL);
      g_ptr_array_add (fake->summaries, g_strdup (summary));
      g_ptr_array_add (fake->bodies, g_strdup (body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", fake->summaries->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
}

static void
on_fake_name_acquired_cb (GDBusConnection *connection,
                          const char      *name,
                          gpointer         user_data)
{
  ((QmTestNotifications *) user_data)->acquired = TRUE;
}

static void
on_fake_name_lost_cb (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  g_error ("Could not own %s on the test's session bus", name);
}

static const GDBusInterfaceVTable fake_notifications_vtable = { on_fake_notifications_call_cb, NULL, NULL, { 0 } };

QmTestNotifications *
qm_test_notifications_new (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (fake_notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  QmTestNotifications *fake;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  if (bus == NULL)
    {
      g_test_skip ("no session bus (run the tests with dbus-run-session)");
      return NULL;
    }
  fake = g_new0 (QmTestNotifications, 1);
  fake->bus = bus;
  fake->summaries = g_ptr_array_new_with_free_func (g_free);
  fake->bodies = g_ptr_array_new_with_free_func (g_free);
  fake->object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                       info->interfaces[0],
                                                       &fake_notifications_vtable, fake, NULL, &error);
  g_assert_no_error (error);
  fake->owner_id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 on_fake_name_acquired_cb, on_fake_name_lost_cb,
                                                 fake, NULL);
  qm_test_wait (&fake->acquired, 60);
  return fake;
}

void
qm_test_notifications_free (QmTestNotifications *fake)
{
  g_bus_unown_name (fake->owner_id);
  g_dbus_connection_unregister_object (fake->bus, fake->object_id);
  g_ptr_array_unref (fake->summaries);
  g_ptr_array_unref (fake->bodies);
  g_object_unref (fake->bus);
  g_free (fake);
}


gboolean
qm_test_notifications_wait (QmTestNotifications *fake,
                        guint              n,
                        guint              timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, qm_test_flag_cb, &timed_out);

  while (fake->summaries->len < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return fake->summaries->len >= n;
}
