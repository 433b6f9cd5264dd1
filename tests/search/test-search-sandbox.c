/* test-search-sandbox.c: the search matcher over the sandbox's demo account
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each query's count is checked against a count made here by walking the
 * items with the item's own getters, so the filters are checked on real
 * profile data rather than on items made for the purpose.
 */

#include "config.h"

#include <string.h>

#include "qm-inventory.h"
#include "qm-sandbox-world.h"
#include "qm-search.h"
#include "qm-test-utils.h"

typedef gboolean (*Predicate) (QmItem *item);

static gboolean
is_exotic (QmItem *item)
{
  return qm_item_get_tier_type (item) == 6;
}

static gboolean
is_unlocked_weapon (QmItem *item)
{
  return qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON && !qm_item_get_locked (item);
}

static gboolean
is_high_power (QmItem *item)
{
  return qm_item_get_power (item) >= 0 && qm_item_get_power (item) > 1800;
}

static gboolean
is_vault_or_postmaster (QmItem *item)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT
         || qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER;
}

static gboolean
is_equipped_armor (QmItem *item)
{
  return qm_item_get_item_type (item) == QM_ITEM_TYPE_ARMOR
         && qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED;
}

static gboolean
is_kinetic_slot_or_hand_cannon (QmItem *item)
{
  return qm_item_get_slot_hash (item) == QM_BUCKET_KINETIC || qm_item_get_item_sub_type (item) == 9;
}

static gboolean
is_not_legendary_weapon (QmItem *item)
{
  return !(qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON && qm_item_get_tier_type (item) == 5);
}

static gboolean
is_stack (QmItem *item)
{
  return qm_item_get_quantity (item) > 1;
}

static guint
count (GListModel *items,
       Predicate   predicate)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      n += predicate (item);
    }
  return n;
}

static guint
count_query (GListModel *items,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSearchQuery) query = qm_search_query_parse (text, NULL, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      n += qm_search_query_matches (query, item);
    }
  return n;
}

/* Items whose name contains @needle, compared case-insensitively by GLib's
 * casefolding (the demo names are plain ASCII). */
static guint
count_name_containing (GListModel *items,
                       const char *needle)
{
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      g_autofree char *folded = NULL;

      if (qm_item_get_name (item) == NULL)
        continue;
      folded = g_utf8_casefold (qm_item_get_name (item), -1);
      n += strstr (folded, folded_needle) != NULL;
    }
  return n;
}

static void
test_demo_account (void)
{
  static const struct { const char *text; Predicate predicate; } cases[] = {
    { "is:exotic", is_exotic },
    { "is:weapon -is:locked", is_unlocked_weapon },
    { "power:>1800", is_high_power },
    { "is:invault or is:inpostmaster", is_vault_or_postmaster },
    { "is:armor is:equipped", is_equipped_armor },
    { "is:kineticslot or is:handcannon", is_kinetic_slot_or_hand_cannon },
    { "not (is:weapon is:legendary)", is_not_legendary_weapon },
    { "quantity:>1", is_stack },
  };
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, TRUE);
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  GListModel *items;
  guint n_items;
  g_autoptr(QmItem) first = NULL;
  g_autofree char *word = NULL;
  const char *space;

  qm_inventory_load_with_manifest_async (client, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  n_items = g_list_model_get_n_items (items);
  g_assert_cmpuint (n_items, >, 0);

  /* The demo account has weapons, armor and exotics to find. */
  g_assert_cmpuint (count_query (items, "is:weapon"), >, 0);
  g_assert_cmpuint (count_query (items, "is:armor"), >, 0);
  g_assert_cmpuint (count_query (items, "is:exotic"), >, 0);
  g_assert_cmpuint (count_query (items, ""), ==, n_items);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_cmpuint (count_query (items, cases[i].text), ==, count (items, cases[i].predicate));
    }

  /* A word of the first item's name, in upper case, finds at least it. */
  first = g_list_model_get_item (items, 0);
  g_assert_nonnull (qm_item_get_name (first));
  space = strchr (qm_item_get_name (first), ' ');
  word = space != NULL ? g_strndup (qm_item_get_name (first), space - qm_item_get_name (first))
                       : g_strdup (qm_item_get_name (first));
  {
    g_autofree char *upper = g_utf8_strup (word, -1);
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", qm_item_get_name (first));
    g_autofree char *exact = g_strdup_printf ("name:\"%s\"", qm_item_get_name (first));
    g_autofree char *negated = g_strdup_printf ("-%s", word);

    g_assert_cmpuint (count_query (items, upper), >=, 1);
    g_assert_cmpuint (count_query (items, upper), ==, count_name_containing (items, word));
    g_assert_cmpuint (count_query (items, quoted), ==,
                      count_name_containing (items, qm_item_get_name (first)));
    g_assert_cmpuint (count_query (items, exact), >=, 1);
    g_assert_cmpuint (count_query (items, negated), ==,
                      n_items - count_name_containing (items, word));
  }

  qm_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/search/demo-account", test_demo_account);

  return g_test_run ();
}
