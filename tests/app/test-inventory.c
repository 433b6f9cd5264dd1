/* test-inventory.c: memberships, profile and definitions in one call, on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-test-utils.h"

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static QmInventory *
load (Fixture     *fixture,
      QmManifest  *manifest,
      GError     **error)
{
  QmTestResult res = { 0 };
  QmInventory *inventory;

  qm_inventory_load_with_manifest_async (fixture->client, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return inventory;
}

static guint
count_named (QmInventory *inventory)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      n += qm_item_get_name (item) != NULL;
    }
  return n;
}

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = qm_manifest_new ();
  g_autoptr(QmInventory) inventory = load (fixture, manifest, &error);
  g_autoptr(QmInventory) again = NULL;
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (fixture->sandbox);
  QmProfile *profile;
  GListModel *items;

  g_assert_no_error (error);
  profile = qm_inventory_get_profile (inventory);
  items = qm_profile_get_items (profile);
  g_assert_true (qm_inventory_get_manifest (inventory) == manifest);
  g_assert_cmpstr (qm_profile_get_membership_id (profile), ==,
                   qm_sandbox_get_membership_id (fixture->sandbox));
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, g_strv_length (ids));
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (qm_profile_find_character (profile, ids[i]));
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  g_assert_cmpuint (count_named (inventory), ==, g_list_model_get_n_items (items));
  g_assert_nonnull (qm_manifest_get_version (manifest));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 1);

  /* A second load with the same manifest does not fetch the table again. */
  again = load (fixture, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_named (again), ==, g_list_model_get_n_items (items));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 2);
}

static void
test_manifest_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  GListModel *items;

  qm_sandbox_set_faults (fixture->sandbox, "maintenance,endpoint=Manifest", &error);
  g_assert_no_error (error);
  inventory = load (fixture, NULL, &error);
  g_assert_no_error (error);
  /* The reason travels with the inventory, for the window and the CLI to show. */
  g_assert_nonnull (qm_inventory_get_manifest_error (inventory));
  g_assert_true (g_error_matches (qm_inventory_get_manifest_error (inventory),
                                  QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED));

  /* Not fatal: every item is there, unknown. */
  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  g_assert_cmpuint (count_named (inventory), ==, 0);
}

static void
test_content_html (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmManifest) manifest = qm_manifest_new ();
  QmTestResult res = { 0 };

  qm_sandbox_set_faults (fixture->sandbox, "html502,endpoint=Content", &error);
  g_assert_no_error (error);
  qm_manifest_update_async (manifest, fixture->client, "en", NULL, qm_test_result_cb, &res);
  g_assert_false (qm_manifest_update_finish (manifest, qm_test_wait_result (&res), &error));
  qm_test_result_clear (&res);
  g_assert_nonnull (error);
  g_assert_true (error->domain == QM_CLIENT_ERROR);
  g_assert_cmpuint (qm_manifest_get_n_items (manifest), ==, 0);
}

static void
test_profile_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  qm_sandbox_set_faults (fixture->sandbox, "error:DestinyAccountNotFound,endpoint=GetProfile", &error);
  g_assert_no_error (error);
  inventory = load (fixture, NULL, &error);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
  g_assert_null (inventory);
}

static void
test_signed_out (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  /* Without a token the memberships call fails: fatal, with Bungie's error. */
  qm_bungie_client_set_access_token (fixture->client, NULL);
  inventory = load (fixture, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (inventory);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add ("/inventory/load", Fixture, NULL, fixture_set_up, test_load, fixture_tear_down);
  g_test_add ("/inventory/manifest-failure", Fixture, NULL, fixture_set_up, test_manifest_failure,
              fixture_tear_down);
  g_test_add ("/inventory/content-html", Fixture, NULL, fixture_set_up, test_content_html,
              fixture_tear_down);
  g_test_add ("/inventory/profile-failure", Fixture, NULL, fixture_set_up, test_profile_failure,
              fixture_tear_down);
  g_test_add ("/inventory/signed-out", Fixture, NULL, fixture_set_up, test_signed_out,
              fixture_tear_down);

  return g_test_run ();
}
