/* qm-manifest-cache.h: the manifest's definitions in a compact file of our own
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bungie's tables are JSON (the item table alone ~100 MB). They are read
 * once, with the pull scanner, into a file that is read whole into memory
 * when opened and searched in place:
 *
 *   header   magic, format, byte order, file size, checksum, string pool
 *            and location pool positions, language / version / key strings
 *   tables   one entry per table: record size, position, count
 *   records  per table, fixed-size records sorted by hash (binary search)
 *   pool     NUL-terminated UTF-8 strings, deduplicated; offset 0 is ""
 *   pool     uint32 destination hashes of the vendors' locations
 *
 * Opening checks the magic, format, byte order, sizes, a fast checksum of
 * everything after it, the bounds and alignment of every table and pool and
 * the records' order; lookups check each string offset and location range.
 * A file that fails any check is refused (the caller rebuilds it). Both the
 * builder and the reader are pure functions on bytes.
 */

#pragma once

#include <glib.h>

#include "qm-definitions.h"

G_BEGIN_DECLS

/* Bump when the layout or the meaning of a field changes: older files are
 * then refused and rebuilt. */
#define QM_MANIFEST_CACHE_FORMAT 2

typedef struct _QmManifestCache QmManifestCache;
typedef struct _QmManifestCacheBuilder QmManifestCacheBuilder;

/* @language, @version, @key: recorded in the file (nullable). */
QmManifestCacheBuilder *qm_manifest_cache_builder_new   (const char             *language,
                                                         const char             *version,
                                                         const char             *key);
void                    qm_manifest_cache_builder_free  (QmManifestCacheBuilder *self);
/* Pure: read Bungie's JSON for @table (an object keyed by hash) into the
 * builder, replacing what it held for @table. On error the builder keeps
 * what it had; QM_CLIENT_ERROR_HTML_PAGE for an HTML page,
 * QM_CLIENT_ERROR_MALFORMED for anything else (the message says where). */
gboolean                qm_manifest_cache_builder_add_table (QmManifestCacheBuilder *self,
                                                         QmTable                 table,
                                                         const char             *json,
                                                         gsize                   size,
                                                         GError                **error);
guint                   qm_manifest_cache_builder_get_n_definitions (QmManifestCacheBuilder *self,
                                                         QmTable                 table);
/* The file's bytes. The builder can be freed afterwards. */
GBytes                 *qm_manifest_cache_builder_end   (QmManifestCacheBuilder *self);

/* Pure: check @bytes (see above) and read them in place. Errors are
 * G_IO_ERROR_INVALID_DATA saying what is wrong. */
QmManifestCache        *qm_manifest_cache_new           (GBytes                 *bytes,
                                                         GError                **error);
/* The same on a file, mapped into memory. */
QmManifestCache        *qm_manifest_cache_open          (const char             *path,
                                                         GError                **error);
QmManifestCache        *qm_manifest_cache_ref           (QmManifestCache        *self);
void                    qm_manifest_cache_unref         (QmManifestCache        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmManifestCache, qm_manifest_cache_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmManifestCacheBuilder, qm_manifest_cache_builder_free)

/* The strings recorded by the builder ("" when none). */
const char             *qm_manifest_cache_get_language  (QmManifestCache        *self);
const char             *qm_manifest_cache_get_version   (QmManifestCache        *self);
const char             *qm_manifest_cache_get_key       (QmManifestCache        *self);
/* The size of the file's bytes. */
gsize                   qm_manifest_cache_get_size      (QmManifestCache        *self);
gboolean                qm_manifest_cache_has_table     (QmManifestCache        *self,
                                                         QmTable                 table);
guint                   qm_manifest_cache_get_n_definitions (QmManifestCache    *self,
                                                         QmTable                 table);
/* Fill @def for @hash: TRUE when found. The strings point into the cache's
 * bytes (valid while it lives). */
gboolean                qm_manifest_cache_lookup_item   (QmManifestCache        *self,
                                                         guint32                 hash,
                                                         QmItemDefinition       *def);
/* Any table; for the item table, the display properties only. */
gboolean                qm_manifest_cache_lookup        (QmManifestCache        *self,
                                                         QmTable                 table,
                                                         guint32                 hash,
                                                         QmDefinition           *def);
/* The hash of the @index-th definition of @table, in hash order (0 past
 * the end): with get_n_definitions, a walk over the table. */
guint32                 qm_manifest_cache_get_hash_at   (QmManifestCache        *self,
                                                         QmTable                 table,
                                                         guint                   index);
/* The destinationHash of the vendor's locations[@index]; 0 when unknown. */
guint32                 qm_manifest_cache_get_vendor_location (QmManifestCache  *self,
                                                         guint32                 vendor_hash,
                                                         int                     index);

/* The checksum the header carries: of @size bytes at @data. Exposed for
 * tests that alter a file and re-seal it to reach the structural checks. */
guint64                 qm_manifest_cache_checksum      (const void             *data,
                                                         gsize                   size);
/* Re-seal @data (a whole file) after an edit: recompute its checksum. */
void                    qm_manifest_cache_seal          (guint8                 *data,
                                                         gsize                   size);

G_END_DECLS
