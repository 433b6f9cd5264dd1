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
qm_test_profile_signature (QmProfile *profile)
{
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GHashTable) stacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      const char *where = qm_item_location_to_string (qm_item_get_location (item));
      const char *owner = qm_item_get_character_id (item) != NULL ? qm_item_get_character_id (item) : "-";

      if (qm_item_get_instance_id (item) != NULL)
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %s%s", qm_item_get_instance_id (item), where, owner,
                                                 qm_item_get_locked (item) ? " locked" : ""));
      else
        {
          char *stack = g_strdup_printf ("h%u %s %s", qm_item_get_hash (item), where, owner);
          int total = GPOINTER_TO_INT (g_hash_table_lookup (stacks, stack)) + qm_item_get_quantity (item);

          g_hash_table_replace (stacks, stack, GINT_TO_POINTER (total));
        }
    }
  g_hash_table_iter_init (&iter, stacks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (lines, g_strdup_printf ("%s =%d", (char *) key, GPOINTER_TO_INT (value)));
  g_ptr_array_sort (lines, (GCompareFunc) compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

QmProfile *
qm_test_sandbox_profile (QmSandbox *sandbox)
{
  g_autofree char *json = qm_sandbox_dup_profile_json (sandbox);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  QmProfile *profile;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  return profile;
}

char *
qm_test_sandbox_signature (QmSandbox *sandbox)
{
  g_autoptr(QmProfile) profile = qm_test_sandbox_profile (sandbox);

  return qm_test_profile_signature (profile);
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
