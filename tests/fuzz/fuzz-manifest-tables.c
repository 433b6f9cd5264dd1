/* fuzz-manifest-tables.c: the definitions cache builder on Bungie's tables
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing the table, then the table's JSON. Whatever the
 * builder accepts, the file it writes must open, and every definition it
 * counted must be found.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-json-scan.h"
#include "qm-manifest-cache.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(QmManifestCacheBuilder) builder = NULL;
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  QmTable table;
  guint n;

  if (size < 1)
    return 0;
  table = (QmTable) (data[0] % QM_N_TABLES);
  builder = qm_manifest_cache_builder_new ("en", "fuzz", "key");
  if (!qm_manifest_cache_builder_add_table (builder, table, (const char *) data + 1, size - 1, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  n = qm_manifest_cache_builder_get_n_definitions (builder, table);
  file = qm_manifest_cache_builder_end (builder);
  cache = qm_manifest_cache_new (file, &error);
  if (cache == NULL)
    g_error ("the builder wrote a file the reader refuses: %s", error->message);
  FUZZ_CHECK (qm_manifest_cache_get_n_definitions (cache, table) == n);

  /* Every hash the table names is found (its keys, read again). */
  {
    QmJsonScan scan;

    qm_json_scan_init (&scan, (const char *) data + 1, size - 1);
    if (qm_json_scan_enter_object (&scan))
      while (qm_json_scan_next_member (&scan))
        {
          gsize length = 0;
          const char *key = qm_json_scan_key (&scan, &length);
          g_autofree char *text = g_strndup (key, length);
          guint64 hash = 0;
          QmDefinition def;
          QmItemDefinition item;

          if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &hash, NULL))
            {
              if (table == QM_TABLE_ITEM)
                (void) qm_manifest_cache_lookup_item (cache, (guint32) hash, &item);
              else
                (void) qm_manifest_cache_lookup (cache, table, (guint32) hash, &def);
              if (table == QM_TABLE_VENDOR)
                for (int i = -1; i < 3; i++)
                  (void) qm_manifest_cache_get_vendor_location (cache, (guint32) hash, i);
            }
          qm_json_scan_skip (&scan);
        }
    qm_json_scan_clear (&scan);
  }
  return 0;
}
