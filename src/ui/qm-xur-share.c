/* qm-xur-share.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-xur-share"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "qm-xur-share.h"

#include "qm-cache-file.h"

#define PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_EMAIL       "org.freedesktop.portal.Email"

/* How long xdg-email may take to say that it found no mail program; a mail
 * program it starts may keep running long after. */
#define XDG_EMAIL_GRACE_MS 2000

G_DEFINE_QUARK (qm-xur-share-error-quark, qm_xur_share_error)

static void
on_replace_contents_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_async (const char          *html,
            GFile               *file,
            GFileCreateFlags     flags,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GBytes *bytes;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_xur_share_save_async);
  bytes = g_bytes_new (html, strlen (html));
  g_task_set_task_data (task, bytes, (GDestroyNotify) g_bytes_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION | flags,
                                       cancellable, on_replace_contents_cb, g_steal_pointer (&task));
}

void
qm_xur_share_save_async (const char          *html,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (html != NULL);
  g_return_if_fail (G_IS_FILE (file));

  save_async (html, file, G_FILE_CREATE_NONE, cancellable, callback, user_data);
}

gboolean
qm_xur_share_save_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
qm_xur_share_attachment_path (const char *basename)
{
  g_return_val_if_fail (basename != NULL, NULL);

  return g_build_filename (g_get_user_cache_dir (), "quartermaster", basename, NULL);
}

typedef struct
{
  char   *path;
  char   *subject;
  char   *body;
  GPid    pid;
  guint   grace_id;
} EmailData;

static void
email_data_free (EmailData *data)
{
  g_clear_handle_id (&data->grace_id, g_source_remove);
  g_free (data->path);
  g_free (data->subject);
  g_free (data->body);
  g_free (data);
}

static void
return_no_mail_client (GTask *task)
{
  EmailData *data = g_task_get_task_data (task);

  /* Translators: %s is the path of the file that was saved. */
  g_task_return_new_error (task, QM_XUR_SHARE_ERROR, QM_XUR_SHARE_ERROR_NO_MAIL_CLIENT,
                           _("No e-mail program found; the digest was saved to %s"), data->path);
}

static void
on_xdg_email_exited_cb (GPid     pid,
                        int      status,
                        gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  EmailData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_spawn_close_pid (pid);
  if (data->grace_id == 0)
    return;  /* Reported already. */

  g_clear_handle_id (&data->grace_id, g_source_remove);
  if (g_spawn_check_wait_status (status, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_message ("xdg-email failed: %s", error->message);
  return_no_mail_client (task);
}

static gboolean
on_xdg_email_grace_cb (gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  EmailData *data = g_task_get_task_data (task);

  /* Still running: a mail program took the message. */
  data->grace_id = 0;
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
compose_with_xdg_email (GTask *task)
{
  EmailData *data = g_task_get_task_data (task);
  const char *argv[] = { "xdg-email", "--utf8", "--subject", data->subject,
                         "--body", data->body, "--attach", data->path, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      NULL, NULL, &data->pid, &error))
    {
      g_debug ("Could not run xdg-email: %s", error->message);
      return_no_mail_client (task);
      return;
    }
  data->grace_id = g_timeout_add (XDG_EMAIL_GRACE_MS, on_xdg_email_grace_cb, task);
  g_child_watch_add (data->pid, on_xdg_email_exited_cb, g_object_ref (task));
}

static void
on_compose_email_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (source), NULL,
                                                           result, &error);
  if (reply != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("No Email portal: %s", error->message);
  compose_with_xdg_email (task);
}

static GVariant *
compose_parameters (EmailData *data)
{
  GVariantBuilder options;
  GVariantBuilder fds;

  g_variant_builder_init (&fds, G_VARIANT_TYPE ("ah"));
  g_variant_builder_add (&fds, "h", 0);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "subject", g_variant_new_string (data->subject));
  g_variant_builder_add (&options, "{sv}", "body", g_variant_new_string (data->body));
  g_variant_builder_add (&options, "{sv}", "attachment_fds", g_variant_builder_end (&fds));
  return g_variant_new ("(sa{sv})", "", &options);
}

static void
compose_with_portal (GTask           *task,
                     GDBusConnection *bus)
{
  EmailData *data = g_task_get_task_data (task);
  g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new ();
  g_autoptr(GError) error = NULL;
  int fd = g_open (data->path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || g_unix_fd_list_append (fd_list, fd, &error) < 0)
    {
      g_debug ("Could not hand %s to the portal: %s", data->path,
               error != NULL ? error->message : g_strerror (errno));
      if (fd >= 0)
        g_close (fd, NULL);
      compose_with_xdg_email (task);
      return;
    }
  g_close (fd, NULL);  /* The list holds a duplicate. */
  g_dbus_connection_call_with_unix_fd_list (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                                            PORTAL_EMAIL, "ComposeEmail",
                                            compose_parameters (data), G_VARIANT_TYPE ("(o)"),
                                            G_DBUS_CALL_FLAGS_NONE, -1, fd_list,
                                            g_task_get_cancellable (task),
                                            on_compose_email_cb, g_object_ref (task));
}

static void
on_bus_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_finish (result, &error);
  if (bus != NULL)
    compose_with_portal (task, bus);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    compose_with_xdg_email (task);
}

static void
on_attachment_saved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!qm_xur_share_save_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), on_bus_cb, g_object_ref (task));
}

void
qm_xur_share_email_async (const char          *html,
                          const char          *basename,
                          const char          *subject,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;
  EmailData *data;

  g_return_if_fail (html != NULL);
  g_return_if_fail (basename != NULL && strchr (basename, '/') == NULL);
  g_return_if_fail (subject != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_xur_share_email_async);
  data = g_new0 (EmailData, 1);
  data->path = qm_xur_share_attachment_path (basename);
  data->subject = g_strdup (subject);
  data->body = g_strdup (_("Xûr’s stock for this week is attached as a web page."));
  g_task_set_task_data (task, data, (GDestroyNotify) email_data_free);

  dir = g_path_get_dirname (data->path);
  if (!qm_cache_dir_ensure (dir, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  file = g_file_new_for_path (data->path);
  /* In the user's cache: readable by the user only, like the rest of it. */
  save_async (html, file, G_FILE_CREATE_PRIVATE, cancellable, on_attachment_saved_cb, g_steal_pointer (&task));
}

gboolean
qm_xur_share_email_finish (GAsyncResult  *result,
                           char         **path,
                           GError       **error)
{
  EmailData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (path != NULL)
    *path = g_file_test (data->path, G_FILE_TEST_EXISTS) ? g_strdup (data->path) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}
