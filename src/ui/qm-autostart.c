/* qm-autostart.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qm-autostart.h"

#include "qm-ui-util.h"

#define PORTAL_NAME      "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE "org.freedesktop.portal.Background"
#define REQUEST_IFACE    "org.freedesktop.portal.Request"

gboolean
qm_xur_autostart_uses_portal (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
}

static char *
autostart_path_named (const char *suffix)
{
  g_autofree char *name = g_strconcat (APP_ID, suffix, NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

char *
qm_xur_autostart_path (void)
{
  return autostart_path_named (".desktop");
}

/* @program as one argument of a desktop entry's Exec: in double quotes when
 * it has a reserved character, and "%" doubled (the Desktop Entry
 * Specification, "The Exec key"). */
static char *
quote_exec_argument (const char *program)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean quote = program[0] == '\0' || strpbrk (program, " \t\n\"'\\><~|&;$*?#()`") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = program; *p != '\0'; p++)
    {
      if (quote && strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (out, '\\');
      if (*p == '%')
        g_string_append_c (out, '%');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
qm_xur_autostart_command_for (const char *program)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (program != NULL, NULL);

  quoted = quote_exec_argument (program);
  return g_strconcat (quoted, " --xur-check", NULL);
}

static char *
autostart_command (void)
{
  g_autofree char *program = NULL;
  g_autofree char *name = NULL;

  /* The program running, wherever it is (a build folder, a prefix not in
   * the session's PATH); from another program, the one in PATH. */
  program = qm_ui_dup_program_path ();
  if (program != NULL)
    name = g_path_get_basename (program);
  if (g_strcmp0 (name, "quartermaster") == 0)
    return qm_xur_autostart_command_for (program);
  return g_strdup ("quartermaster --xur-check");
}

static char *
autostart_entry (void)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = autostart_command ();
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_NAME, _("Quartermaster"));
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Tells you when Xûr arrives"));
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (entry, group, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_to_data (entry, NULL, NULL);
}

static gboolean
remove_autostart (const char  *path,
                  GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
qm_xur_autostart_set_enabled (gboolean   enabled,
                              GError   **error)
{
  g_autofree char *path = qm_xur_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  int saved_errno;

  /* The name older versions used. */
  g_autofree char *legacy = autostart_path_named ("-xur.desktop");

  if (!remove_autostart (legacy, error))
    return FALSE;
  if (!enabled)
    return remove_autostart (path, error);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  contents = autostart_entry ();
  return g_file_set_contents (path, contents, -1, error);
}



/* ---------------------------------------------------------------------- */
/* The Background portal                                                  */

typedef struct
{
  GDBusConnection *bus;
  char            *handle;     /* the request object the answer comes on */
  guint            signal_id;
  gboolean         enabled;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  if (request->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->signal_id);
  g_clear_object (&request->bus);
  g_free (request->handle);
  g_free (request);
}

static void
on_response_cb (GDBusConnection *connection,
                const char      *sender,
                const char      *object_path,
                const char      *interface_name,
                const char      *signal_name,
                GVariant        *parameters,
                gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart;
  guint response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  /* One answer: the task's last reference goes with the subscription. */
  g_object_ref (task);
  g_dbus_connection_signal_unsubscribe (request->bus, request->signal_id);
  request->signal_id = 0;

  autostart = !request->enabled;
  g_variant_lookup (results, "autostart", "b", &autostart);
  if (response == 0 && autostart == request->enabled)
    g_task_return_boolean (task, TRUE);
  else if (response == 0 || response == 1)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                             _("The system did not allow Quartermaster to start at log-in"));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The request to start at log-in was cancelled"));
  g_object_unref (task);
}

static void
subscribe (GTask      *task,
           const char *handle)
{
  Request *request = g_task_get_task_data (task);

  if (request->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->signal_id);
  g_free (request->handle);
  request->handle = g_strdup (handle);
  request->signal_id = g_dbus_connection_signal_subscribe (request->bus, PORTAL_NAME, REQUEST_IFACE,
                                                           "Response", handle, NULL,
                                                           G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                                           on_response_cb, g_object_ref (task),
                                                           g_object_unref);
}

static void
on_request_background_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_debug ("RequestBackground failed: %s", error->message);
      if (request->signal_id != 0)
        g_dbus_connection_signal_unsubscribe (request->bus, request->signal_id);
      request->signal_id = 0;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The desktop cannot start Quartermaster at log-in: %s"),
                               error->message);
      return;
    }
  /* Portals before version 0.9 choose the path themselves. */
  g_variant_get (reply, "(&o)", &handle);
  if (g_strcmp0 (handle, request->handle) != 0)
    subscribe (task, handle);
}

static char *
expected_handle (GDBusConnection *bus,
                 const char      *token)
{
  const char *unique = g_dbus_connection_get_unique_name (bus);
  g_autofree char *sender = g_strdup (unique != NULL && unique[0] == ':' ? unique + 1 : "");

  g_strdelimit (sender, ".", '_');
  return g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
}

static void
request_background (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autofree char *token = g_strdup_printf ("quartermaster%u", g_random_int ());
  g_autofree char *handle = expected_handle (request->bus, token);
  const char * const commandline[] = { "quartermaster", "--xur-check", NULL };
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Tells you when Xûr arrives")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (request->enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  /* Listen before asking: the answer may come before the call returns. */
  subscribe (task, handle);
  g_dbus_connection_call (request->bus, PORTAL_NAME, PORTAL_PATH, BACKGROUND_IFACE,
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), on_request_background_cb,
                          g_object_ref (task));
}

void
qm_xur_autostart_request_async (gboolean             enabled,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Request *request;

  g_task_set_source_tag (task, qm_xur_autostart_request_async);
  if (!qm_xur_autostart_uses_portal ())
    {
      if (qm_xur_autostart_set_enabled (enabled, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request = g_new0 (Request, 1);
  request->enabled = enabled;
  request->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &error);
  g_task_set_task_data (task, request, request_free);
  if (request->bus == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The desktop cannot start Quartermaster at log-in: %s"),
                               error->message);
      return;
    }
  request_background (task);
}

gboolean
qm_xur_autostart_request_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
