/* qm-test-moves.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-test-moves.h"

static int
compare_strings (const char **a,
                 const char **b)
{
  return strcmp (*a, *b);
}

char *
qm_test_sandbox_instances (QmSandbox *sandbox)
{
  g_autoptr(QmProfile) profile = qm_test_sandbox_profile (sandbox);
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_instance_id (item) != NULL)
        g_ptr_array_add (ids, (gpointer) g_intern_string (qm_item_get_instance_id (item)));
    }
  g_ptr_array_sort (ids, (GCompareFunc) compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s ", (char *) g_ptr_array_index (ids, i));
  return g_strdup (out->str);
}

QmItem *
qm_test_find_item (QmProfile      *profile,
                   QmItemLocation  location,
                   const char     *character_id,
                   guint32         slot,
                   gboolean        unlocked,
                   QmItem         *except)
{
  GListModel *items = qm_profile_get_items (profile);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == location &&
          (slot == 0 || qm_item_get_slot_hash (item) == slot) &&
          g_strcmp0 (qm_item_get_character_id (item), character_id) == 0 &&
          qm_item_get_instance_id (item) != NULL &&
          (!unlocked || !qm_item_get_locked (item)) &&
          (except == NULL || g_strcmp0 (qm_item_get_instance_id (item), qm_item_get_instance_id (except)) != 0))
        return g_steal_pointer (&item);
    }
  return NULL;
}

QmItem *
qm_test_find_instance (QmProfile  *profile,
                       const char *instance_id)
{
  GListModel *items = qm_profile_get_items (profile);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), instance_id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}
