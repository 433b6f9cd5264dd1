/* fuzz-profile.c: the profile's bytes reader and its tree reader
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a GetProfile answer (envelope or Response). Both readers run on
 * it; the minted time is read too.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-item.h"
#include "qm-json.h"
#include "qm-profile.h"

static void
touch (QmProfile *profile)
{
  GListModel *items = qm_profile_get_items (profile);

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    FUZZ_CHECK (qm_profile_get_character (profile, i) != NULL);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      guint n = 0;

      (void) qm_item_get_stats (item, &n);
      (void) qm_item_get_sockets (item, &n);
      (void) qm_item_get_instance_id (item);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(QmProfile) fast = NULL;
  g_autoptr(QmProfile) tree = NULL;
  g_autoptr(JsonNode) root = NULL;

  (void) qm_profile_answer_get_minted (bytes);
  fast = qm_profile_parse_bytes (bytes, NULL);
  if (fast != NULL)
    touch (fast);
  root = qm_json_parse_bytes (bytes, NULL);
  if (root != NULL)
    {
      tree = qm_profile_parse (root, NULL);
      if (tree != NULL)
        touch (tree);
    }
  return 0;
}
