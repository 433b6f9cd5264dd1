/* qm-manifest.h: Bungie's manifest: downloaded once, cached on disk, looked up fast
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-bungie-client.h"
#include "qm-definitions.h"
#include "qm-item.h"

G_BEGIN_DECLS

typedef enum
{
  QM_MANIFEST_STATE_EMPTY,        /* nothing loaded yet */
  QM_MANIFEST_STATE_CHECKING,     /* GetDestinyManifest in flight */
  QM_MANIFEST_STATE_DOWNLOADING,  /* content tables downloading */
  QM_MANIFEST_STATE_BUILDING,     /* the cache is being built */
  QM_MANIFEST_STATE_READY,        /* definitions loaded (fresh or cached) */
} QmManifestState;

#define QM_TYPE_MANIFEST (qm_manifest_get_type ())
G_DECLARE_FINAL_TYPE (QmManifest, qm_manifest, QM, MANIFEST, GObject)

/* Properties (read-only unless said, notified on the main context that
 * started the update): "state" (QmManifestState), "bytes-downloaded"
 * (uint64), "bytes-total" (uint64, 0 when unknown), "fraction" (double,
 * 0..1), "version" (string, nullable), "language" (string, read-write: a
 * Bungie language code; NULL or "" follows the UI locale), "cache-path"
 * (string, nullable), "effective-language" (string, nullable), "languages"
 * (GStrv, nullable: the languages Bungie offers). */

/* @cache_dir: where caches live; NULL for $XDG_CACHE_HOME/quartermaster/manifest. */
QmManifest      *qm_manifest_new                (const char     *cache_dir);
QmManifestState  qm_manifest_get_state          (QmManifest     *self);
guint64          qm_manifest_get_bytes_downloaded (QmManifest   *self);
guint64          qm_manifest_get_bytes_total    (QmManifest     *self);
double           qm_manifest_get_fraction       (QmManifest     *self);
const char      *qm_manifest_get_version        (QmManifest     *self);
/* The chosen code ("" or NULL = follow the locale) and the one in use. */
void             qm_manifest_set_language       (QmManifest     *self,
                                                 const char     *language);
const char      *qm_manifest_get_language       (QmManifest     *self);
const char      *qm_manifest_get_effective_language (QmManifest *self);
/* The languages Bungie offers as of the last update (before one: those
 * cached on disk), sorted; NULL when unknown. */
const char * const *qm_manifest_get_languages   (QmManifest     *self);
/* Pure: the Bungie language codes known here, sorted ("de", "en", …,
 * "zh-cht"); each has a name from qm_manifest_get_language_name(). */
const char * const *qm_manifest_get_known_languages (void);
/* Pure: a language's own name for itself ("de" → "Deutsch"), else @code. */
const char      *qm_manifest_get_language_name  (const char     *code);
const char      *qm_manifest_get_cache_path     (QmManifest     *self);
guint64          qm_manifest_get_cache_size     (QmManifest     *self);
gboolean         qm_manifest_is_loaded          (QmManifest     *self);

/* Pure: the Bungie language code for the UI's language names (as
 * g_get_language_names() gives them) among @available ("en", "de",
 * "pt-br", "es-mx", "zh-chs", …); "en" when none matches. */
const char      *qm_manifest_pick_language      (const char * const *language_names,
                                                 const char * const *available);

/* Load the newest valid cache for the language from disk, no network
 * (offline start). FALSE with an error when there is none. */
gboolean         qm_manifest_open_cached        (QmManifest     *self,
                                                 GError        **error);
/* GetDestinyManifest (API key only), then, when the cache for these content
 * paths and language is missing or corrupt, download the tables with
 * progress, build the cache atomically, load it and delete older ones. On
 * any failure the definitions loaded before stay loaded (falling back to the
 * newest valid cache on disk) and the error is returned. Cancel with
 * @cancellable. */
void             qm_manifest_update_async       (QmManifest     *self,
                                                 QmBungieClient *client,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
/* Stop the update under way, for every caller (the Cancel of a progress
 * display): each gets G_IO_ERROR_CANCELLED, the definitions loaded before
 * stay loaded and the cache on disk is left as it was. */
void             qm_manifest_cancel_update      (QmManifest     *self);
/* @downloaded: (out) (optional): TRUE when new content was downloaded. */
gboolean         qm_manifest_update_finish      (QmManifest     *self,
                                                 GAsyncResult   *result,
                                                 gboolean       *downloaded,
                                                 GError        **error);

/* Pure, for tests and fuzzing: load one table from its JSON bytes
 * (hash-keyed object, as served in jsonWorldComponentContentPaths),
 * replacing that table only. */
gboolean         qm_manifest_load_table         (QmManifest     *self,
                                                 QmTable         table,
                                                 GBytes         *json,
                                                 GError        **error);

/* Lookups: never NULL, unknown definitions have known = FALSE. */
QmItemDefinition qm_manifest_get_item           (QmManifest     *self,
                                                 guint32         hash);
QmDefinition     qm_manifest_get_definition     (QmManifest     *self,
                                                 QmTable         table,
                                                 guint32         hash);
guint            qm_manifest_get_n_definitions  (QmManifest     *self,
                                                 QmTable         table);
QmDefinition     qm_manifest_get_definition_at  (QmManifest     *self,
                                                 QmTable         table,
                                                 guint           index);
/* The destinationHash of @vendor_hash's locations[@index]; 0 when unknown. */
guint32          qm_manifest_lookup_vendor_location (QmManifest *self,
                                                 guint32         vendor_hash,
                                                 int             index);
/* Copy an item's definition fields into it (or mark it unknown). */
void             qm_manifest_apply              (QmManifest     *self,
                                                 QmItem         *item);
/* The name people read for a bucket (@manifest nullable): the bucket
 * definition's displayProperties.name, or the built-in name when the
 * definitions lack it; the vault, the postmaster and the currencies keep
 * the app's own headings (qm_bucket_has_own_heading()). NULL when neither
 * knows the bucket. Translated; newly allocated. */
char            *qm_bucket_dup_name             (QmManifest     *manifest,
                                                 guint32         bucket_hash);

G_END_DECLS
