/* qm-cache-file.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cache-file"

#include "config.h"

#include "qm-cache-file.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "Could not %s %s: %s", what, display, g_strerror (saved_errno));
}

GBytes *
qm_cache_file_read (const char  *path,
                    gsize        max_size,
                    GError     **error)
{
  g_autofree char *display = NULL;
  g_autofree guint8 *data = NULL;
  struct stat st;
  gsize capacity;
  gsize size = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* O_NONBLOCK: a FIFO opens at once (and is refused below) instead of
   * waiting for a writer; it changes nothing for a regular file. */
  do
    fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    {
      set_errno_error (error, errno, "open", path);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, saved_errno, "read", path);
      return NULL;
    }
  display = g_filename_display_name (path);
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s is not a regular file", display);
      return NULL;
    }
  if (st.st_size < 0 || (guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "%s is larger than %" G_GSIZE_FORMAT " bytes", display, max_size);
      return NULL;
    }

  /* Read into memory rather than map: a file truncated by another process
   * under a mapping kills the reader with SIGBUS. One byte more than the
   * size seen, to notice a file that grew meanwhile. */
  capacity = (gsize) st.st_size + 1;
  data = g_malloc (capacity);
  for (;;)
    {
      gssize n = read (fd, data + size, capacity - size);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_errno_error (error, saved_errno, "read", path);
          return NULL;
        }
      if (n == 0)
        break;
      size += (gsize) n;
      if (size == capacity)
        {
          if (capacity > max_size)
            {
              close (fd);
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "%s is larger than %" G_GSIZE_FORMAT " bytes", display, max_size);
              return NULL;
            }
          capacity = MIN (capacity * 2, max_size + 1);
          data = g_realloc (data, capacity);
        }
    }
  close (fd);
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

static gboolean
make_private (const char  *dir,
              GError     **error)
{
  struct stat st;

  if (stat (dir, &st) != 0)
    {
      set_errno_error (error, errno, "look at", dir);
      return FALSE;
    }
  if ((st.st_mode & 0077) != 0 && st.st_uid == getuid () && chmod (dir, st.st_mode & 0700) != 0)
    {
      set_errno_error (error, errno, "protect", dir);
      return FALSE;
    }
  return TRUE;
}

/**
 * qm_cache_dir_ensure:
 * @dir: a directory of the app's own
 * @error: return location for a #GError
 *
 * Makes @dir (and the directories above it that are missing) readable by
 * the user only. Those already there (made by an earlier version, or by
 * hand) are made so too: @dir and, when it lies under $XDG_CACHE_HOME,
 * those between (not $XDG_CACHE_HOME itself). Errors are G_FILE_ERROR.
 */
gboolean
qm_cache_dir_ensure (const char  *dir,
                     GError     **error)
{
  const char *root = g_get_user_cache_dir ();
  gsize root_len = strlen (root);
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, errno, "create", dir);
      return FALSE;
    }
  if (!make_private (dir, error))
    return FALSE;
  path = g_path_get_dirname (dir);
  while (strncmp (path, root, root_len) == 0 && path[root_len] == G_DIR_SEPARATOR)
    {
      char *up;

      if (!make_private (path, error))
        return FALSE;
      up = g_path_get_dirname (path);
      g_free (path);
      path = up;
    }
  return TRUE;
}
