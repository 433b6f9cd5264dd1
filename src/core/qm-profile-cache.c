/* qm-profile-cache.c: the profile kept between runs, and kept fresh
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-profile-cache"

#include "config.h"

#include "qm-profile-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "qm-cache-file.h"
#include "qm-json.h"
#include "qm-profile.h"

/**
 * qm_profile_cache_get_path:
 * @membership_id: a Destiny membership id
 *
 * Returns: (transfer full) (nullable): the cache file of @membership_id;
 *   %NULL when @membership_id is not a plain decimal id (it names a file)
 */
char *
qm_profile_cache_get_path (const char *membership_id)
{
  g_autofree char *name = NULL;

  if (!qm_json_is_id_string (membership_id) || membership_id[0] == '-')
    return NULL;
  name = g_strconcat (membership_id, ".json", NULL);
  return g_build_filename (g_get_user_cache_dir (), "quartermaster", "profiles", name, NULL);
}

static char *
checked_path (const char  *membership_id,
              GError     **error)
{
  char *path = qm_profile_cache_get_path (membership_id);

  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "“%s” is not a Destiny membership id", membership_id != NULL ? membership_id : "");
  return path;
}

/**
 * qm_profile_cache_load:
 *
 * Returns: (transfer full): the saved answer, or %NULL with
 *   G_IO_ERROR_NOT_FOUND when none was saved, another G_IO_ERROR otherwise
 */
GBytes *
qm_profile_cache_load (const char  *membership_id,
                       GError     **error)
{
  g_autofree char *path = checked_path (membership_id, error);
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (path == NULL)
    return NULL;
  bytes = qm_cache_file_read (path, QM_CACHE_FILE_MAX_PROFILE, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "No profile of membership %s has been saved", membership_id);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                     "The saved profile cannot be read: %s", local_error->message);
      return NULL;
    }
  return bytes;
}

static gboolean
write_all (int           fd,
           const char   *data,
           gsize         size,
           const char   *path,
           GError      **error)
{
  while (size > 0)
    {
      gssize written = write (fd, data, size);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not write %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }
      data += written;
      size -= (gsize) written;
    }
  return TRUE;
}

/**
 * qm_profile_cache_save:
 * @answer: a GetProfile answer (envelope or Response)
 * @minted: its responseMintedTimestamp, µs (0: unknown)
 *
 * Written to a temporary file renamed over the old one: a reader, or the
 * next start after a crash, finds the old file or the new one, whole. It is
 * not synced to disk: after a power cut the file may be lost or damaged,
 * which only means one start without a saved profile (a damaged one is
 * refused by the parser), not worth stalling every load on.
 *
 * Returns: %TRUE when saved, or kept because the saved one is newer
 */
gboolean
qm_profile_cache_save (const char  *membership_id,
                       GBytes      *answer,
                       gint64       minted,
                       GError     **error)
{
  g_autofree char *path = checked_path (membership_id, error);
  g_autofree char *dir = NULL;
  g_autoptr(GError) dir_error = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(GBytes) saved = NULL;
  const char *data;
  gsize size = 0;
  int fd;

  g_return_val_if_fail (answer != NULL, FALSE);

  if (path == NULL)
    return FALSE;
  saved = qm_profile_cache_load (membership_id, NULL);
  if (saved != NULL && minted != 0 && qm_profile_answer_get_minted (saved) > minted)
    {
      g_debug ("Profile of %s not saved: the one saved is newer", membership_id);
      return TRUE;
    }

  dir = g_path_get_dirname (path);
  if (!qm_cache_dir_ensure (dir, &dir_error))
    {
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (dir_error->code),
                           dir_error->message);
      return FALSE;
    }

  /* Private data: readable by the user only. */
  temp = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create a file in %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  data = g_bytes_get_data (answer, &size);
  if (!write_all (fd, data, size, temp, error))
    {
      close (fd);
      g_unlink (temp);
      return FALSE;
    }
  if (close (fd) != 0 || g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not save %s: %s", path, g_strerror (saved_errno));
      g_unlink (temp);
      return FALSE;
    }
  return TRUE;
}

/**
 * qm_profile_judge_freshness:
 *
 * Reconciling as DIM and Little Light do (peers.md §2.7): never go back to
 * an older profile, and never show one minted before the last change the
 * app made itself, while Bungie's cache may still be serving such copies.
 */
QmProfileFreshness
qm_profile_judge_freshness (gint64 fetched_minted,
                            gint64 held_minted,
                            gint64 last_local_change,
                            gint64 now)
{
  if (fetched_minted == 0)
    return QM_PROFILE_FRESH;
  if (held_minted != 0 && fetched_minted < held_minted)
    return QM_PROFILE_OLDER;
  if (last_local_change != 0 && fetched_minted < last_local_change &&
      now - last_local_change < QM_PROFILE_LOCAL_CHANGE_GUARD)
    return QM_PROFILE_BEFORE_LOCAL_CHANGE;
  if (held_minted != 0 && fetched_minted == held_minted)
    return QM_PROFILE_UNCHANGED;
  return QM_PROFILE_FRESH;
}

void
qm_refresh_policy_init (QmRefreshPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->last_started = 0;
  policy->in_flight = FALSE;
}

void
qm_refresh_policy_started (QmRefreshPolicy *policy,
                           gint64           now)
{
  g_return_if_fail (policy != NULL);

  policy->last_started = now;
  policy->in_flight = TRUE;
}

void
qm_refresh_policy_finished (QmRefreshPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->in_flight = FALSE;
}

gint64
qm_refresh_policy_next_due (const QmRefreshPolicy *policy,
                            gint64                 now)
{
  g_return_val_if_fail (policy != NULL, G_MAXINT64);

  if (policy->in_flight)
    return G_MAXINT64;
  if (policy->last_started == 0)
    return 0;
  return MAX (0, policy->last_started + QM_REFRESH_INTERVAL - now);
}

gboolean
qm_refresh_policy_auto_due (const QmRefreshPolicy *policy,
                            gboolean               focused,
                            gboolean               actions_running,
                            gint64                 now)
{
  g_return_val_if_fail (policy != NULL, FALSE);

  /* An item action changes the profile under the load: wait for it. */
  return focused && !actions_running && qm_refresh_policy_next_due (policy, now) == 0;
}

gboolean
qm_refresh_policy_manual_allowed (const QmRefreshPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, FALSE);
  return !policy->in_flight;
}
