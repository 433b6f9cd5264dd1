/* test-loadouts.c: in-game loadouts through the session, against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo account: a Titan, a Hunter and a Warlock with four unlocked
 * loadout slots each, the last one empty; each character's first loadout
 * is what it wears.
 */

#include "config.h"

#include <string.h>

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-loadout-manager.h"
#include "qm-move-executor.h"
#include "qm-sandbox-world.h"
#include "qm-session.h"
#include "qm-test-utils.h"

#define TITAN  "2305843009300000001"
#define HUNTER "2305843009300000002"

typedef struct
{
  QmSandbox  *sandbox;
  GSettings  *settings;
  QmSession  *session;
  QmLoadoutManager *manager;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(QmConfig) config = qm_config_new_default ();
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->settings = g_settings_new ("io.github.quartermaster.Quartermaster");
  fixture->session = qm_session_new (fixture->settings);
  g_free (config->origin);
  config->origin = g_strdup (qm_sandbox_get_bungie_origin (fixture->sandbox));
  g_free (config->psn_origin);
  config->psn_origin = g_strdup (qm_sandbox_get_psn_origin (fixture->sandbox));
  g_free (config->api_key);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  qm_session_set_account (fixture->session, config, store, TRUE);

  qm_session_sign_in_psn_async (fixture->session, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD,
                                NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  qm_session_refresh_async (fixture->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (fixture->session, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  fixture->manager = qm_session_get_loadout_manager (fixture->session);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_settings_reset (fixture->settings, "shown-membership-id");
  g_settings_reset (fixture->settings, "membership-id");
  g_clear_object (&fixture->settings);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static QmLoadouts *
refresh (Fixture *fixture)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  QmLoadouts *loadouts;

  qm_loadout_manager_refresh_async (fixture->manager, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_loadout_manager_get_busy (fixture->manager));
  loadouts = qm_loadout_manager_refresh_finish (fixture->manager, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_false (qm_loadout_manager_get_busy (fixture->manager));
  g_assert_true (qm_loadout_manager_get_loadouts (fixture->manager) == loadouts);
  return loadouts;
}

static QmLoadouts *
finish (Fixture       *fixture,
        QmTestResult  *res,
        char         **notice,
        GError       **error)
{
  QmLoadouts *loadouts = qm_loadout_manager_action_finish (fixture->manager, qm_test_wait_result (res),
                                                           notice, error);

  qm_test_result_clear (res);
  return loadouts;
}

static QmInventory *
inventory (Fixture *fixture)
{
  return qm_session_get_inventory (fixture->session);
}

/* Move @item_id to @target (character id, or NULL: the vault) through the queue. */
static void
move_item (Fixture    *fixture,
           const char *item_id,
           const char *target)
{
  QmMoveExecutor *executor = qm_session_get_executor (fixture->session);
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (executor);
  QmMoveRequest request = {
    .kind = QM_MOVE_REQUEST_MOVE,
    .instance_id = g_ascii_strtoull (item_id, NULL, 10),
    .target = target != NULL ? qm_move_state_find_character (state, g_ascii_strtoull (target, NULL, 10))
                             : QM_MOVE_VAULT,
  };
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;

  qm_move_executor_run_async (executor, &request, 1, NULL, NULL, qm_test_result_cb, &res);
  qm_move_executor_run_finish (executor, qm_test_wait_result (&res), NULL, &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
}

/* The first item of loadout @index of @character that can go to any class
 * (a weapon), for a trip to another character. */
static const char *
shared_item (QmLoadout   *loadout,
             QmInventory *inv)
{
  const char * const *ids = qm_loadout_get_item_ids (loadout);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(QmItem) item = NULL;

      qm_loadout_locate_item (loadout, inv, ids[i], &item);
      if (item != NULL && qm_item_get_class_type (item) == 3 &&
          (qm_item_get_slot_hash (item) == QM_BUCKET_KINETIC || qm_item_get_slot_hash (item) == QM_BUCKET_ENERGY ||
           qm_item_get_slot_hash (item) == QM_BUCKET_POWER))
        return ids[i];
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(QmLoadouts) loadouts = refresh (fixture);
  const char * const *ids = qm_loadouts_get_character_ids (loadouts);
  QmManifest *manifest = qm_inventory_get_manifest (inventory (fixture));

  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 3);
  for (guint c = 0; ids[c] != NULL; c++)
    {
      GListModel *model = qm_loadouts_get_for_character (loadouts, ids[c]);
      g_autoptr(QmLoadout) first = g_list_model_get_item (model, 0);
      g_autoptr(QmLoadout) last = NULL;
      QmDefinition name;

      g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
      last = g_list_model_get_item (model, 3);
      g_assert_cmpint (qm_loadout_get_status (first, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_EQUIPPED);
      g_assert_cmpint (qm_loadout_get_status (last, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_EMPTY);
      g_assert_cmpint (qm_loadouts_first_empty (loadouts, ids[c]), ==, 3);
      /* The identifiers resolve through the manifest's loadout tables. */
      name = qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_NAME, qm_loadout_get_name_hash (first));
      g_assert_true (name.known);
      g_assert_true (qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_COLOR,
                                                 qm_loadout_get_color_hash (first)).icon != NULL);
      g_assert_true (qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_ICON,
                                                 qm_loadout_get_icon_hash (first)).icon != NULL);
    }
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_LOADOUT_COLOR), ==, 10);
  g_assert_true (qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_ICON, 0).known);
  g_assert_false (qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_ICON, 1000).known);
}

/* Items on the Hunter and in the vault come to the Titan first; then all of
 * the loadout is equipped. */
static void
test_equip_in_orbit (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  QmLoadout *loadout = qm_loadouts_get_loadout (before, TITAN, 1);
  const char * const *ids = qm_loadout_get_item_ids (loadout);
  g_autofree char *to_hunter = g_strdup (shared_item (loadout, inventory (fixture)));
  g_autofree char *to_vault = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  for (guint i = 0; ids[i] != NULL && to_vault == NULL; i++)
    {
      g_autoptr(QmItem) item = NULL;

      /* Not the subclass: it never leaves its character. */
      if (g_strcmp0 (ids[i], to_hunter) != 0 &&
          qm_loadout_locate_item (loadout, inventory (fixture), ids[i], &item) == QM_LOADOUT_ITEM_ON_CHARACTER &&
          qm_item_get_slot_hash (item) != QM_BUCKET_SUBCLASS)
        to_vault = g_strdup (ids[i]);
    }
  g_assert_nonnull (to_vault);
  move_item (fixture, to_hunter, HUNTER);
  move_item (fixture, to_vault, NULL);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), to_hunter, NULL), ==, QM_LOADOUT_ITEM_ELSEWHERE);
  g_assert_cmpint (qm_loadout_get_status (loadout, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_READY);

  qm_loadout_manager_equip_async (fixture->manager, TITAN, 1, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  loadout = qm_loadouts_get_loadout (after, TITAN, 1);
  /* Re-read after the action: every item is equipped on the Titan. */
  g_assert_cmpint (qm_loadout_get_status (loadout, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_EQUIPPED);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), to_hunter, NULL), ==, QM_LOADOUT_ITEM_EQUIPPED);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), to_vault, NULL), ==, QM_LOADOUT_ITEM_EQUIPPED);
  /* The first loadout is no longer what it wears. */
  g_assert_cmpint (qm_loadout_get_status (qm_loadouts_get_loadout (after, TITAN, 0), inventory (fixture), NULL),
                   !=, QM_LOADOUT_STATUS_EQUIPPED);
}

/* In an activity: the items come, the equip is left to the game, and the
 * error says so. */
static void
test_equip_in_activity (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  QmLoadout *loadout = qm_loadouts_get_loadout (before, TITAN, 2);
  g_autofree char *to_hunter = g_strdup (shared_item (loadout, inventory (fixture)));
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  move_item (fixture, to_hunter, HUNTER);
  qm_sandbox_set_character_location (fixture->sandbox, TITAN, QM_SANDBOX_LOCATION_ACTIVITY);

  qm_loadout_manager_equip_async (fixture->manager, TITAN, 2, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_null (after);
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT);
  g_assert_nonnull (strstr (error->message, "equip the loadout in the game"));
  g_assert_nonnull (strstr (error->message, "Titan"));

  /* The loadouts and the items were read again all the same. */
  loadout = qm_loadouts_get_loadout (qm_loadout_manager_get_loadouts (fixture->manager), TITAN, 2);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), to_hunter, NULL), ==,
                   QM_LOADOUT_ITEM_ON_CHARACTER);
  g_assert_cmpint (qm_loadout_get_status (loadout, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_READY);
}

static void
on_move_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GArray *order = user_data;
  g_autoptr(GError) error = NULL;
  int done = 1;

  qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error);
  g_assert_no_error (error);
  g_array_append_val (order, done);
}

/* A move queued just before the equip runs first; the equip then brings the
 * item back: the two share the session's queue instead of racing. */
static void
test_equip_queues_after_moves (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (int));
  QmLoadout *loadout = qm_loadouts_get_loadout (before, TITAN, 1);
  g_autofree char *item_id = g_strdup (shared_item (loadout, inventory (fixture)));
  QmMoveExecutor *executor = qm_session_get_executor (fixture->session);
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (executor);
  QmMoveRequest request = {
    .kind = QM_MOVE_REQUEST_MOVE,
    .instance_id = g_ascii_strtoull (item_id, NULL, 10),
    .target = qm_move_state_find_character (state, g_ascii_strtoull (HUNTER, NULL, 10)),
  };
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  int equip_done = 2;

  qm_move_executor_run_async (executor, &request, 1, NULL, NULL, on_move_done_cb, order);
  qm_loadout_manager_equip_async (fixture->manager, TITAN, 1, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  g_array_append_val (order, equip_done);

  g_assert_cmpuint (order->len, ==, 2);
  g_assert_cmpint (g_array_index (order, int, 0), ==, 1);
  loadout = qm_loadouts_get_loadout (after, TITAN, 1);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), item_id, NULL), ==, QM_LOADOUT_ITEM_EQUIPPED);
  g_assert_cmpint (qm_loadout_get_status (loadout, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_EQUIPPED);
}

/* Dismantle @item_id in the sandbox: it leaves the character's inventory. */
static void
dismantle (Fixture    *fixture,
           const char *character_id,
           const char *item_id)
{
  JsonObject *inventories = qm_sandbox_world_component (qm_sandbox_get_world (fixture->sandbox),
                                                        "characterInventories");
  JsonArray *items = json_object_get_array_member (json_object_get_object_member (inventories, character_id),
                                                   "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (items, i),
                                                                "itemInstanceId", ""), item_id) == 0)
      {
        json_array_remove_element (items, i);
        return;
      }
  g_assert_not_reached ();
}

/* An item that no longer exists: the slot says one is missing, and the
 * equip brings and equips the rest. */
static void
test_missing_item (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  g_autoptr(QmLoadouts) equipped = NULL;
  QmLoadout *loadout = qm_loadouts_get_loadout (before, TITAN, 1);
  g_autofree char *gone = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  guint n_missing = 0;

  /* One of its items in the Titan's inventory (not the subclass). */
  for (const char * const *id = qm_loadout_get_item_ids (loadout); *id != NULL && gone == NULL; id++)
    {
      g_autoptr(QmItem) item = NULL;

      if (qm_loadout_locate_item (loadout, inventory (fixture), *id, &item) == QM_LOADOUT_ITEM_ON_CHARACTER &&
          qm_item_get_slot_hash (item) != QM_BUCKET_SUBCLASS)
        gone = g_strdup (*id);
    }
  g_assert_nonnull (gone);
  dismantle (fixture, TITAN, gone);
  /* Any action then reads the profile again (and the sandbox answers one
   * minted after the change). */
  qm_loadout_manager_update_async (fixture->manager, TITAN, 1, 0, 0, 0, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);

  loadout = qm_loadouts_get_loadout (after, TITAN, 1);
  g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), gone, NULL), ==, QM_LOADOUT_ITEM_GONE);
  g_assert_cmpint (qm_loadout_get_status (loadout, inventory (fixture), &n_missing), ==, QM_LOADOUT_STATUS_MISSING);
  g_assert_cmpuint (n_missing, ==, 1);

  qm_loadout_manager_equip_async (fixture->manager, TITAN, 1, NULL, qm_test_result_cb, &res);
  equipped = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  loadout = qm_loadouts_get_loadout (equipped, TITAN, 1);
  for (const char * const *id = qm_loadout_get_item_ids (loadout); *id != NULL; id++)
    g_assert_cmpint (qm_loadout_locate_item (loadout, inventory (fixture), *id, NULL), ==,
                     g_strcmp0 (*id, gone) == 0 ? QM_LOADOUT_ITEM_GONE : QM_LOADOUT_ITEM_EQUIPPED);
}

static void
test_snapshot (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  QmManifest *manifest = qm_inventory_get_manifest (inventory (fixture));
  QmDefinition name = qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_NAME, 2);
  QmDefinition color = qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_COLOR, 3);
  QmDefinition icon = qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_ICON, 4);
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  QmLoadout *slot;

  g_assert_true (qm_loadout_is_empty (qm_loadouts_get_loadout (before, TITAN, 3)));
  qm_loadout_manager_snapshot_async (fixture->manager, TITAN, 3, name.hash, color.hash, icon.hash,
                                     NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  slot = qm_loadouts_get_loadout (after, TITAN, 3);
  g_assert_false (qm_loadout_is_empty (slot));
  g_assert_cmpuint (qm_loadout_get_name_hash (slot), ==, name.hash);
  g_assert_cmpuint (qm_loadout_get_color_hash (slot), ==, color.hash);
  g_assert_cmpuint (qm_loadout_get_icon_hash (slot), ==, icon.hash);
  /* What the Titan wears now: the same items as its first loadout. */
  g_assert_cmpint (qm_loadout_get_status (slot, inventory (fixture), NULL), ==, QM_LOADOUT_STATUS_EQUIPPED);
  g_assert_cmpint (qm_loadouts_first_empty (after, TITAN), ==, -1);
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  QmManifest *manifest = qm_inventory_get_manifest (inventory (fixture));
  QmLoadout *old = qm_loadouts_get_loadout (before, HUNTER, 0);
  guint32 name = 0;
  guint32 icon = qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_ICON, 7).hash;
  g_auto(GStrv) items_before = g_strdupv ((char **) qm_loadout_get_item_ids (old));
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  QmLoadout *slot;

  for (guint i = 0; name == 0 || name == qm_loadout_get_name_hash (old); i++)
    name = qm_manifest_get_definition_at (manifest, QM_TABLE_LOADOUT_NAME, i).hash;
  qm_loadout_manager_update_async (fixture->manager, HUNTER, 0, name, 0, icon, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  slot = qm_loadouts_get_loadout (after, HUNTER, 0);
  g_assert_cmpuint (qm_loadout_get_name_hash (slot), ==, name);
  g_assert_cmpuint (qm_loadout_get_icon_hash (slot), ==, icon);
  g_assert_cmpuint (qm_loadout_get_color_hash (slot), ==, qm_loadout_get_color_hash (old));
  g_assert_true (g_strv_equal ((const char * const *) items_before, qm_loadout_get_item_ids (slot)));
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(QmLoadouts) before = refresh (fixture);
  g_autoptr(QmLoadouts) after = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  g_assert_false (qm_loadout_is_empty (qm_loadouts_get_loadout (before, TITAN, 1)));
  qm_loadout_manager_clear_async (fixture->manager, TITAN, 1, NULL, qm_test_result_cb, &res);
  after = finish (fixture, &res, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (qm_loadout_is_empty (qm_loadouts_get_loadout (after, TITAN, 1)));
  g_assert_cmpuint (g_list_model_get_n_items (qm_loadouts_get_for_character (after, TITAN)), ==, 4);
  g_assert_cmpint (qm_loadouts_first_empty (after, TITAN), ==, 1);

  /* A slot that is not unlocked, and an empty one to equip: clear errors. */
  qm_loadout_manager_clear_async (fixture->manager, TITAN, 9, NULL, qm_test_result_cb, &res);
  g_assert_null (finish (fixture, &res, NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  qm_loadout_manager_equip_async (fixture->manager, TITAN, 1, NULL, qm_test_result_cb, &res);
  g_assert_null (finish (fixture, &res, NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID);
}

/* The command line, end to end on its own sandbox. */
static void
test_cli (void)
{
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *characters;
  g_autofree char *name_hash = NULL;
  g_autofree char *record = NULL;
  g_autofree char *record_dir = NULL;
  g_autofree char *output = NULL;

  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "loadouts", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  characters = json_object_get_array_member (root, "characters");
  g_assert_cmpuint (json_array_get_length (characters), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_array_get_object_element (characters, 0), "loadouts")), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "names")), >, 0);
  name_hash = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (
                                 json_array_get_object_element (json_object_get_array_member (root, "names"), 1),
                                 "hash"));
  qm_test_run_clear (&run);

  /* Equip, snapshot, clear, recorded: what went over the wire (the
   * loadout actions' bodies, the reads of 206) conforms to Bungie's spec. */
  record_dir = g_dir_make_tmp ("loadouts-cli-XXXXXX", &error);
  g_assert_no_error (error);
  record = g_build_filename (record_dir, "traffic.jsonl", NULL);
  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "--record", record, "loadout-equip", TITAN, "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Done."));
  qm_test_run_clear (&run);
  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "--record", record, "loadout-snapshot", TITAN, "4",
                   "--name", name_hash, NULL);
  g_assert_cmpint (run.status, ==, 0);
  qm_test_run_clear (&run);
  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "--record", record, "loadout-clear", TITAN, "1", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonParser) cleared = json_parser_new ();
    JsonObject *titan;

    g_assert_true (json_parser_load_from_data (cleared, run.out, -1, &error));
    titan = json_array_get_object_element (json_object_get_array_member (
                                             json_node_get_object (json_parser_get_root (cleared)), "characters"), 0);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                       json_object_get_array_member (titan, "loadouts"), 0), "status"), ==, "empty");
  }
  qm_test_run_clear (&run);
  if (!qm_test_contract_check (record, NULL, &output))
    g_test_fail_printf ("the recorded traffic does not conform to the spec:\n%s", output);
  qm_test_remove_tree (record_dir);

  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "loadout-clear", TITAN, "0", NULL);
  g_assert_cmpint (run.status, ==, 2);
  qm_test_run_clear (&run);
  qm_test_run_cli (&run, NULL, NULL, "--sandbox", "loadout-snapshot", TITAN, "4", "--name", "abc", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--name"));
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/loadouts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list", test_list);
  ADD ("equip-in-orbit", test_equip_in_orbit);
  ADD ("equip-in-activity", test_equip_in_activity);
  ADD ("equip-queues-after-moves", test_equip_queues_after_moves);
  ADD ("missing-item", test_missing_item);
  ADD ("snapshot", test_snapshot);
  ADD ("rename", test_rename);
  ADD ("clear", test_clear);
#undef ADD
  g_test_add_func ("/loadouts/cli", test_cli);
  return g_test_run ();
}
