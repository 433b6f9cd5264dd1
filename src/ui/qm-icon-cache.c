/* qm-icon-cache.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-icon-cache"

#include "config.h"

#include "qm-icon-cache.h"

struct _QmIconCache
{
  GObject         parent_instance;

  QmBungieClient *client;
  GCancellable   *cancellable;
  /* path → GdkTexture, or NULL while it downloads or after it failed: an
   * icon is asked for once. */
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
  QmIconCache *cache;
  char        *path;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->cache);
  g_free (fetch->path);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

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

static void
on_icon_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  bytes = qm_bungie_client_fetch_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (bytes != NULL)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No icon at %s: %s", fetch->path, error->message);
      return;
    }

  g_hash_table_replace (fetch->cache->textures, g_strdup (fetch->path), g_object_ref (texture));
  g_signal_emit (fetch->cache, signals[SIGNAL_LOADED], 0, fetch->path);
}

static void
start_fetch (QmIconCache *self,
             const char  *path)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->cache = g_object_ref (self);
  fetch->path = g_strdup (path);
  g_hash_table_insert (self->textures, g_strdup (path), NULL);
  qm_bungie_client_fetch_async (self->client, path, self->cancellable,
                                on_icon_fetched_cb, fetch);
}

GdkPaintable *
qm_icon_cache_lookup (QmIconCache *self,
                      const char  *path)
{
  gpointer texture = NULL;

  g_return_val_if_fail (QM_IS_ICON_CACHE (self), NULL);

  if (path == NULL || *path == '\0')
    return NULL;
  if (g_hash_table_lookup_extended (self->textures, path, NULL, &texture))
    return texture;
  start_fetch (self, path);
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
qm_icon_cache_new (QmBungieClient *client)
{
  QmIconCache *self;

  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (client), NULL);

  self = g_object_new (QM_TYPE_ICON_CACHE, NULL);
  self->client = g_object_ref (client);
  return self;
}
