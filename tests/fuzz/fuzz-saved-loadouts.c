/* fuzz-saved-loadouts.c: the saved loadouts file (ours)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the file's bytes. Whatever is read must come back the same
 * through the serializer, and nothing that was read is damaged then.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-loadout-store.h"

static gboolean
same_loadout (QmSavedLoadout *a,
              QmSavedLoadout *b)
{
  if (g_strcmp0 (qm_saved_loadout_get_id (a), qm_saved_loadout_get_id (b)) != 0 ||
      g_strcmp0 (qm_saved_loadout_get_name (a), qm_saved_loadout_get_name (b)) != 0 ||
      qm_saved_loadout_get_class_type (a) != qm_saved_loadout_get_class_type (b) ||
      qm_saved_loadout_get_n_items (a) != qm_saved_loadout_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < qm_saved_loadout_get_n_items (a); i++)
    {
      const QmLoadoutItem *x = qm_saved_loadout_get_item (a, i);
      const QmLoadoutItem *y = qm_saved_loadout_get_item (b, i);

      if (x->instance_id != y->instance_id || x->hash != y->hash || x->equip != y->equip)
        return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) loadouts = NULL;
  g_autoptr(GHashTable) undo = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GHashTable) back_undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_damaged = 0, n_back_damaged = 0;
  const guint8 *text;
  gsize length = 0;
  gboolean ok;

  ok = qm_loadout_file_parse (data, size, &loadouts, &undo, &n_damaged, &error);
  FUZZ_CHECK (ok == (error == NULL));
  if (!ok)
    return 0;

  bytes = qm_loadout_file_serialize (loadouts, undo);
  text = g_bytes_get_data (bytes, &length);
  FUZZ_CHECK (qm_loadout_file_parse (text, length, &back, &back_undo, &n_back_damaged, NULL));
  FUZZ_CHECK (n_back_damaged == 0);
  FUZZ_CHECK (back->len == loadouts->len);
  FUZZ_CHECK (g_hash_table_size (back_undo) == g_hash_table_size (undo));
  for (guint i = 0; i < loadouts->len; i++)
    FUZZ_CHECK (same_loadout (g_ptr_array_index (loadouts, i), g_ptr_array_index (back, i)));
  return 0;
}
