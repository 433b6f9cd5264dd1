/* qm-icon-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two layers: the textures in memory (one per path, shared by every tile)
 * and the files on disk, named after a hash of the path. Bungie never
 * changes the picture behind a path (a new picture gets a new path), so a
 * file on disk is never out of date and is never checked again. Reading
 * and decoding run in a worker thread; a file that does not decode is
 * deleted and the icon downloaded again.
 */

#define G_LOG_DOMAIN "qm-icon-cache"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "qm-icon-cache.h"

#include "qm-cache-file.h"

struct _QmIconCache
{
  GObject         parent_instance;

  QmBungieClient *client;
  GCancellable   *cancellable;
  char           *directory;
  /* path → GdkTexture, or NULL while it loads or after it failed: an icon
   * is asked for once. */
  GHashTable     *textures;
};

G_DEFINE_FINAL_TYPE (QmIconCache, qm_icon_cache, G_TYPE_OBJECT)

enum {
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char   *path;
  char   *file;
  GBytes *downloaded;
} Load;

static void
load_free (Load *load)
{
  g_free (load->path);
  g_free (load->file);
  g_clear_pointer (&load->downloaded, g_bytes_unref);
  g_free (load);
}

static void
texture_unref (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static gboolean
is_pending (gpointer key,
            gpointer value,
            gpointer user_data)
{
  return value == NULL;
}

/* The extension of the path's file name ("jpg", "png"), when it is a
 * plain one; NULL otherwise. */
static char *
path_extension (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *dot = strrchr (path, '.');
  gsize length;

  if (dot == NULL || (slash != NULL && dot < slash))
    return NULL;
  dot++;
  length = strlen (dot);
  if (length == 0 || length > 5)
    return NULL;
  for (const char *c = dot; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return NULL;
  return g_ascii_strdown (dot, -1);
}

char *
qm_icon_cache_get_file_path (QmIconCache *self,
                             const char  *path)
{
  g_autofree char *checksum = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (QM_IS_ICON_CACHE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  extension = path_extension (path);
  name = extension != NULL ? g_strconcat (checksum, ".", extension, NULL) : g_strdup (checksum);
  return g_build_filename (self->directory, name, NULL);
}

static void
finish_load (QmIconCache *self,
             Load        *load,
             GdkTexture  *texture)
{
  g_hash_table_replace (self->textures, g_strdup (load->path), g_object_ref (texture));
  g_signal_emit (self, signals[SIGNAL_LOADED], 0, load->path);
}

/* 3. The download arrived: decode it and keep it on disk (worker thread). */
static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *directory = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size = 0;

  texture = gdk_texture_new_from_bytes (load->downloaded, &error);
  if (texture == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Written to a temporary file renamed over the target: a crash leaves
   * no half icon behind. A failure only costs a download next time. */
  directory = g_path_get_dirname (load->file);
  data = g_bytes_get_data (load->downloaded, &size);
  if (!qm_cache_dir_ensure (directory, &error))
    g_debug ("Cannot keep the icon %s: %s", load->path, error->message);
  else if (!g_file_set_contents_full (load->file, data, size,
                                      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Cannot keep the icon %s: %s", load->path, error->message);

  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
on_icon_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  QmIconCache *self = QM_ICON_CACHE (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      /* Cancelled: the entry is gone, and may belong to a new load by now. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No icon at %s: %s", load->path, error->message);
      return;
    }
  finish_load (self, load, texture);
}

/* 2. Not on disk (or unreadable): download it. */
static void
on_icon_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  load->downloaded = qm_bungie_client_fetch_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (load->downloaded == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_run_in_thread (task, store_thread);
}

static void
start_fetch (QmIconCache *self,
             Load        *load,
             GCancellable *cancellable)
{
  GTask *task = g_task_new (self, cancellable, on_icon_stored_cb, NULL);

  g_task_set_source_tag (task, start_fetch);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  /* Icons are public content: the client sends no credentials with them. */
  qm_bungie_client_fetch_async (self->client, load->path, cancellable, on_icon_fetched_cb, task);
}

/* 1. Read the file kept on disk (worker thread). */
static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = qm_cache_file_read (load->file, QM_CACHE_FILE_MAX_ICON, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Cannot read the icon %s: %s", load->file, error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      g_debug ("The icon kept in %s does not decode (%s): downloading it again",
               load->file, error->message);
      if (g_unlink (load->file) != 0)
        g_debug ("Cannot delete %s: %s", load->file, g_strerror (errno));
    }
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
on_icon_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  QmIconCache *self = QM_ICON_CACHE (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  Load *fetch;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    return;   /* cancelled */
  if (texture != NULL)
    {
      finish_load (self, load, texture);
      return;
    }

  fetch = g_new0 (Load, 1);
  fetch->path = g_strdup (load->path);
  fetch->file = g_strdup (load->file);
  start_fetch (self, fetch, g_task_get_cancellable (G_TASK (result)));
}

GdkPaintable *
qm_icon_cache_lookup (QmIconCache *self,
                      const char  *path)
{
  gpointer texture = NULL;
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_val_if_fail (QM_IS_ICON_CACHE (self), NULL);

  if (path == NULL || *path == '\0')
    return NULL;
  if (g_hash_table_lookup_extended (self->textures, path, NULL, &texture))
    return texture;

  /* Asked for once: the tiles asking next wait for "loaded". */
  g_hash_table_insert (self->textures, g_strdup (path), NULL);
  load = g_new0 (Load, 1);
  load->path = g_strdup (path);
  load->file = qm_icon_cache_get_file_path (self, path);
  task = g_task_new (self, self->cancellable, on_icon_read_cb, NULL);
  g_task_set_source_tag (task, qm_icon_cache_lookup);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, read_thread);
  return NULL;
}

void
qm_icon_cache_cancel (QmIconCache *self)
{
  g_return_if_fail (QM_IS_ICON_CACHE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* Icons that were still on their way may be asked for again. */
  g_hash_table_foreach_remove (self->textures, is_pending, NULL);
}

const char *
qm_icon_cache_get_directory (QmIconCache *self)
{
  g_return_val_if_fail (QM_IS_ICON_CACHE (self), NULL);

  return self->directory;
}

static void
qm_icon_cache_dispose (GObject *object)
{
  QmIconCache *self = QM_ICON_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (qm_icon_cache_parent_class)->dispose (object);
}

static void
qm_icon_cache_finalize (GObject *object)
{
  QmIconCache *self = QM_ICON_CACHE (object);

  g_hash_table_unref (self->textures);
  g_free (self->directory);

  G_OBJECT_CLASS (qm_icon_cache_parent_class)->finalize (object);
}

static void
qm_icon_cache_class_init (QmIconCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_icon_cache_dispose;
  object_class->finalize = qm_icon_cache_finalize;

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
qm_icon_cache_init (QmIconCache *self)
{
  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, texture_unref);
}

QmIconCache *
qm_icon_cache_new_for_directory (QmBungieClient *client,
                                 const char     *directory)
{
  QmIconCache *self;

  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (client), NULL);
  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (QM_TYPE_ICON_CACHE, NULL);
  self->client = g_object_ref (client);
  self->directory = g_strdup (directory);
  return self;
}

QmIconCache *
qm_icon_cache_new (QmBungieClient *client)
{
  g_autofree char *directory = NULL;

  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (client), NULL);

  directory = g_build_filename (g_get_user_cache_dir (), "quartermaster", "icons", NULL);
  return qm_icon_cache_new_for_directory (client, directory);
}
