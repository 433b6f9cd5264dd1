/* fuzz-loadouts.c: component 206 (qm_loadouts_parse_bytes)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a GetProfile answer, the envelope or the Response alone.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-loadouts.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = qm_loadouts_parse_bytes (bytes, &error);

  /* Exactly one of loadouts and an error. */
  FUZZ_CHECK ((loadouts == NULL) != (error == NULL));
  if (loadouts != NULL)
    {
      const char * const *ids = qm_loadouts_get_character_ids (loadouts);

      for (guint c = 0; ids[c] != NULL; c++)
        {
          GListModel *model = qm_loadouts_get_for_character (loadouts, ids[c]);

          for (guint i = 0; i < g_list_model_get_n_items (model); i++)
            {
              g_autoptr(QmLoadout) loadout = g_list_model_get_item (model, i);

              FUZZ_CHECK (qm_loadout_get_index (loadout) == (int) i);
              FUZZ_CHECK (qm_loadout_get_item_ids (loadout) != NULL);
            }
        }
    }
  else
    FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
  return 0;
}
