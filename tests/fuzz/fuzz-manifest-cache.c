/* fuzz-manifest-cache.c: the definitions cache reader on hostile files
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of flags, then a cache file. With bit 0 the file's
 * checksum is recomputed first, so that mutations reach the structural
 * checks behind it. Opened files are searched for hashes taken from the
 * input.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "qm-manifest-cache.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *copy;
  gsize n;

  if (size < 1)
    return 0;
  n = size - 1;
  copy = g_malloc (MAX (n, 1));
  memcpy (copy, data + 1, n);
  if (data[0] & 1)
    qm_manifest_cache_seal (copy, n);
  bytes = g_bytes_new_take (copy, n);
  cache = qm_manifest_cache_new (bytes, NULL);
  if (cache == NULL)
    return 0;

  (void) qm_manifest_cache_get_language (cache);
  (void) qm_manifest_cache_get_version (cache);
  (void) qm_manifest_cache_get_key (cache);
  for (gsize at = 0; at + 4 <= MIN (n, 1024); at += 4)
    {
      guint32 hash;
      QmDefinition def;
      QmItemDefinition item;

      memcpy (&hash, copy + at, sizeof hash);
      for (int t = 0; t < QM_N_TABLES; t++)
        if (t == QM_TABLE_ITEM)
          (void) qm_manifest_cache_lookup_item (cache, hash, &item);
        else if (qm_manifest_cache_lookup (cache, (QmTable) t, hash, &def))
          FUZZ_CHECK (def.name != NULL && g_utf8_validate (def.name, -1, NULL));
      (void) qm_manifest_cache_get_vendor_location (cache, hash, (int) (hash % 5));
    }
  for (int t = 0; t < QM_N_TABLES; t++)
    (void) qm_manifest_cache_get_n_definitions (cache, (QmTable) t);
  return 0;
}
