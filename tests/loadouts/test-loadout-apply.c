/* test-loadout-apply.c: saved loadouts applied and undone on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loadout: an exotic weapon from the Titan's inventory and the Titan's
 * equipped weapon of a third slot, applied to the Hunter, who wears an
 * exotic weapon in the slot the loadout leaves alone (the exotic conflict),
 * with the vault full (the hop through it needs room made).
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "qm-json.h"
#include "qm-loadout-apply.h"
#include "qm-profile.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

#define TITAN  0
#define HUNTER 1

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
  QmManifest     *manifest;
  QmInventory    *inventory;
  QmMoveExecutor *executor;
  QmLoadoutStore *store;
  char           *store_path;
} Fixture;

static void
set_vault_full (QmSandbox *sandbox)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  JsonNode *table = g_hash_table_lookup (world->definitions, "DestinyInventoryBucketDefinition");
  JsonArray *vault = qm_json_get_array (qm_json_path_object (json_node_get_object (world->profile),
                                                             "profileInventory", "data", NULL), "items");
  char key[16];
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (vault); i++)
    if (qm_json_get_hash (json_array_get_object_element (vault, i), "bucketHash") == QM_BUCKET_VAULT)
      count++;
  g_snprintf (key, sizeof key, "%u", QM_BUCKET_VAULT);
  json_object_set_int_member (qm_json_get_object (json_node_get_object (table), key), "itemCount", count);
  /* New content paths: the manifest reads the changed table. */
  qm_sandbox_world_set_content_version (world, "full-vault");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->sandbox = qm_test_sandbox_new (NULL);
  if (GPOINTER_TO_INT (data))
    set_vault_full (fixture->sandbox);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
  fixture->manifest = qm_manifest_new (NULL);
  qm_inventory_load_with_manifest_async (fixture->client, fixture->manifest, NULL, qm_test_result_cb, &res);
  fixture->inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  fixture->executor = qm_move_executor_new (fixture->client, fixture->inventory);
  fixture->store_path = g_build_filename (g_get_user_data_dir (), "apply-test.json", NULL);
  g_unlink (fixture->store_path);
  fixture->store = qm_loadout_store_new_for_path (fixture->store_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->store_path);
  g_clear_object (&fixture->executor);
  g_clear_object (&fixture->inventory);
  g_clear_object (&fixture->manifest);
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* ------------------------------------------------------------------------ */

/* The sandbox's own account, as the planner sees it (the truth). */
static QmMoveState *
sandbox_state (Fixture *fixture)
{
  g_autofree char *json = qm_sandbox_dup_profile_json (fixture->sandbox);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmProfile) profile = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  inventory = qm_inventory_new (profile, fixture->manifest);
  return qm_move_state_new_from_inventory (inventory);
}

static const QmMoveItem *
item_of (const QmMoveState *state,
         guint64            id)
{
  int index = qm_move_state_find_instance (state, id);

  g_assert_cmpint (index, >=, 0);
  return &g_array_index (state->items, QmMoveItem, index);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Every instance once, nothing lost or made. */
static char *
instances (const QmMoveState *state)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < state->items->len; i++)
    if (g_array_index (state->items, QmMoveItem, i).instance_id != 0)
      g_array_append_val (ids, g_array_index (state->items, QmMoveItem, i).instance_id);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT " ", g_array_index (ids, guint64, i));
  return g_string_free (out, FALSE);
}

static int
find_equipped (const QmMoveState *state,
               int                owner,
               guint32            slot)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->place == QM_MOVE_PLACE_EQUIPPED && item->owner == owner && item->slot == slot)
        return (int) i;
    }
  return -1;
}

static int
count_vault (const QmMoveState *state)
{
  int n = 0;

  for (guint i = 0; i < state->items->len; i++)
    n += g_array_index (state->items, QmMoveItem, i).place == QM_MOVE_PLACE_VAULT;
  return n;
}

typedef struct
{
  guint64 exotic;        /* the Titan's unequipped exotic weapon */
  guint64 legendary;     /* the Titan's equipped weapon of a third slot */
  guint32 conflict_slot; /* where the Hunter wears an exotic weapon */
  guint64 worn;          /* that exotic */
} Scenario;

static const guint32 weapon_slots[] = { QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER };

static Scenario
find_scenario (const QmMoveState *state)
{
  Scenario s = { 0 };
  guint32 exotic_slot = 0;

  for (gsize k = 0; k < G_N_ELEMENTS (weapon_slots) && s.worn == 0; k++)
    {
      int worn = find_equipped (state, HUNTER, weapon_slots[k]);

      if (worn >= 0 && g_array_index (state->items, QmMoveItem, worn).equip_label != 0)
        {
          s.worn = g_array_index (state->items, QmMoveItem, worn).instance_id;
          s.conflict_slot = weapon_slots[k];
        }
    }
  g_assert_cmpuint (s.worn, !=, 0);

  for (guint i = 0; i < state->items->len && s.exotic == 0; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->place == QM_MOVE_PLACE_INVENTORY && item->owner == TITAN && item->equip_label != 0 &&
          item->slot != s.conflict_slot && item->instance_id != 0 &&
          (item->slot == QM_BUCKET_KINETIC || item->slot == QM_BUCKET_ENERGY || item->slot == QM_BUCKET_POWER))
        {
          s.exotic = item->instance_id;
          exotic_slot = item->slot;
        }
    }
  g_assert_cmpuint (s.exotic, !=, 0);
  for (gsize k = 0; k < G_N_ELEMENTS (weapon_slots); k++)
    if (weapon_slots[k] != exotic_slot && weapon_slots[k] != s.conflict_slot)
      {
        int legendary = find_equipped (state, TITAN, weapon_slots[k]);

        g_assert_cmpint (legendary, >=, 0);
        g_assert_cmpuint (g_array_index (state->items, QmMoveItem, legendary).equip_label, ==, 0);
        s.legendary = g_array_index (state->items, QmMoveItem, legendary).instance_id;
      }
  g_assert_cmpuint (s.legendary, !=, 0);
  return s;
}

static QmSavedLoadout *
create_loadout (Fixture       *fixture,
                const guint64 *ids,
                guint          n_ids)
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (fixture->executor);
  g_autoptr(GArray) items = qm_loadout_items_from_instances (state, ids, n_ids, TRUE);
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *loadout;

  loadout = qm_loadout_store_create (fixture->store, "Crucible", QM_MOVE_CLASS_ANY,
                                     (const QmLoadoutItem *) (gpointer) items->data, items->len, &error);
  g_assert_no_error (error);
  return loadout;
}

static gboolean
run_apply (QmLoadoutApply *apply,
           GError        **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_loadout_apply_run_async (apply, NULL, qm_test_result_cb, &res);
  ok = qm_loadout_apply_run_finish (apply, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

static QmLoadoutResultState
state_of (QmLoadoutApply *apply,
          guint64         id)
{
  const GArray *results = qm_loadout_apply_get_results (apply);

  for (guint i = 0; i < results->len; i++)
    if (g_array_index (results, QmLoadoutItemResult, i).instance_id == id)
      return g_array_index (results, QmLoadoutItemResult, i).state;
  g_assert_not_reached ();
}

static guint64
hunter_id (Fixture *fixture)
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (fixture->executor);

  return state->characters[HUNTER].id;
}

/* ------------------------------------------------------------------------ */

static void
test_apply_across (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(QmMoveState) before = sandbox_state (fixture);
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids_before = instances (before);
  g_autofree char *ids_after = NULL;
  g_autofree char *summary = NULL;
  Scenario s = find_scenario (before);
  guint64 ids[2] = { s.exotic, s.legendary };
  QmSavedLoadout *loadout = create_loadout (fixture, ids, 2);
  int replaced;
  GPtrArray *stack;

  /* The vault is full, and the planner knows it. */
  if (GPOINTER_TO_INT (data))
    g_assert_cmpint (before->vault_capacity, ==, count_vault (before));

  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  g_assert_no_error (error);
  g_assert_true (run_apply (apply, &error));
  g_assert_no_error (error);

  summary = qm_loadout_apply_dup_summary (apply);
  g_test_message ("%s", summary);
  g_assert_cmpint (state_of (apply, s.exotic), ==, QM_LOADOUT_RESULT_EQUIPPED);
  g_assert_cmpint (state_of (apply, s.legendary), ==, QM_LOADOUT_RESULT_EQUIPPED);

  /* The server agrees: both equipped on the Hunter; the slot the exotic
   * held now has a non-exotic; nothing lost or duplicated. */
  after = sandbox_state (fixture);
  g_assert_cmpint (item_of (after, s.exotic)->place, ==, QM_MOVE_PLACE_EQUIPPED);
  g_assert_cmpint (item_of (after, s.exotic)->owner, ==, HUNTER);
  g_assert_cmpint (item_of (after, s.legendary)->place, ==, QM_MOVE_PLACE_EQUIPPED);
  g_assert_cmpint (item_of (after, s.legendary)->owner, ==, HUNTER);
  replaced = find_equipped (after, HUNTER, s.conflict_slot);
  g_assert_cmpint (replaced, >=, 0);
  g_assert_cmpuint (g_array_index (after->items, QmMoveItem, replaced).equip_label, ==, 0);
  g_assert_cmpint (item_of (after, s.worn)->place, !=, QM_MOVE_PLACE_EQUIPPED);
  /* The Titan still wears something in the legendary's slot. */
  g_assert_cmpint (find_equipped (after, TITAN, item_of (before, s.legendary)->slot), >=, 0);
  ids_after = instances (after);
  g_assert_cmpstr (ids_after, ==, ids_before);
  if (GPOINTER_TO_INT (data))
    g_assert_cmpint (count_vault (after), <=, after->vault_capacity);

  /* One bulk equip, no single ones. */
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "EquipItems"), ==, 1);

  /* The undo snapshot is on disk. */
  stack = qm_loadout_store_get_undo (fixture->store, hunter_id (fixture));
  g_assert_nonnull (stack);
  g_assert_cmpuint (stack->len, ==, 1);
  g_assert_cmpstr (((QmUndoEntry *) g_ptr_array_index (stack, 0))->name, ==, "Crucible");
}

static void
test_apply_missing (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(QmMoveState) before = sandbox_state (fixture);
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  Scenario s = find_scenario (before);
  QmLoadoutItem gone = { 6917529199999999999, 12345, TRUE };
  guint64 ids[1] = { s.legendary };
  QmSavedLoadout *loadout = create_loadout (fixture, ids, 1);
  QmLoadoutFailureGroup *group;

  g_assert_true (qm_loadout_store_add_items (fixture->store, loadout, &gone, 1, &error));
  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  g_assert_no_error (error);
  g_assert_false (run_apply (apply, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED);
  g_test_message ("%s", error->message);

  /* The missing item does not stop the other. */
  g_assert_cmpint (state_of (apply, s.legendary), ==, QM_LOADOUT_RESULT_EQUIPPED);
  g_assert_cmpint (state_of (apply, gone.instance_id), ==, QM_LOADOUT_RESULT_FAILED);
  after = sandbox_state (fixture);
  g_assert_cmpint (item_of (after, s.legendary)->owner, ==, HUNTER);
  g_assert_cmpint (item_of (after, s.legendary)->place, ==, QM_MOVE_PLACE_EQUIPPED);

  groups = qm_loadout_apply_group_failures (apply);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (group->names->len, ==, 1);
  g_assert_nonnull (strstr (group->reason, "no longer"));
}

/* Out of orbit: the items move, the equips fail, grouped by that reason. */
static void
test_apply_not_in_orbit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(QmMoveState) before = sandbox_state (fixture);
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(QmMoveState) after = NULL;
  Scenario s = find_scenario (before);
  guint64 ids[2] = { s.exotic, s.legendary };
  QmSavedLoadout *loadout = create_loadout (fixture, ids, 2);
  g_autofree char *hunter = g_strdup_printf ("%" G_GUINT64_FORMAT, hunter_id (fixture));

  qm_sandbox_set_character_location (fixture->sandbox, hunter, QM_SANDBOX_LOCATION_ACTIVITY);
  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  g_assert_false (run_apply (apply, &error));
  g_assert_nonnull (error);
  groups = qm_loadout_apply_group_failures (apply);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (((QmLoadoutFailureGroup *) g_ptr_array_index (groups, 0))->names->len, ==, 2);
  g_assert_nonnull (strstr (((QmLoadoutFailureGroup *) g_ptr_array_index (groups, 0))->reason, "orbit"));
  after = sandbox_state (fixture);
  g_assert_cmpint (item_of (after, s.exotic)->owner, ==, HUNTER);
  g_assert_cmpint (item_of (after, s.legendary)->owner, ==, HUNTER);
}

static void
record_places (const QmMoveState *state,
               const QmUndoEntry *entry,
               GString           *out)
{
  for (guint i = 0; i < entry->items->len; i++)
    {
      const QmMoveItem *item = item_of (state, g_array_index (entry->items, QmUndoItem, i).instance_id);

      g_string_append_printf (out, "%" G_GUINT64_FORMAT ":%d:%d ", item->instance_id, item->place,
                              item->place == QM_MOVE_PLACE_VAULT ? -1 : item->owner);
    }
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(QmMoveState) before = sandbox_state (fixture);
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(QmLoadoutApply) undo = NULL;
  g_autoptr(QmLoadoutStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) places_before = g_string_new (NULL);
  g_autoptr(GString) places_after = g_string_new (NULL);
  g_autofree char *ids_before = instances (before);
  g_autofree char *ids_after = NULL;
  g_autofree char *hunter = g_strdup_printf ("%" G_GUINT64_FORMAT, hunter_id (fixture));
  Scenario s = find_scenario (before);
  guint64 ids[2] = { s.exotic, s.legendary };
  QmSavedLoadout *loadout = create_loadout (fixture, ids, 2);
  g_autoptr(QmUndoEntry) entry = NULL;
  GPtrArray *stack;

  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  g_assert_true (run_apply (apply, &error));
  g_assert_no_error (error);

  /* A restart: the stack is read back from the file. */
  reopened = qm_loadout_store_new_for_path (fixture->store_path);
  stack = qm_loadout_store_get_undo (reopened, hunter_id (fixture));
  g_assert_nonnull (stack);
  g_assert_cmpuint (stack->len, ==, 1);
  entry = qm_undo_entry_copy (g_ptr_array_index (stack, 0));
  record_places (before, entry, places_before);

  /* A failed undo (not in orbit) keeps its entry (DIM #5454). */
  qm_sandbox_set_character_location (fixture->sandbox, hunter, QM_SANDBOX_LOCATION_ACTIVITY);
  undo = qm_loadout_apply_new_undo (fixture->executor, reopened, hunter_id (fixture), 0, &error);
  g_assert_no_error (error);
  g_assert_false (run_apply (undo, &error));
  g_clear_error (&error);
  g_clear_object (&undo);
  g_assert_cmpuint (qm_loadout_store_get_undo (reopened, hunter_id (fixture))->len, ==, 1);

  /* In orbit again: everything back where it was, equips included. */
  qm_sandbox_set_character_location (fixture->sandbox, hunter, QM_SANDBOX_LOCATION_ORBIT);
  undo = qm_loadout_apply_new_undo (fixture->executor, reopened, hunter_id (fixture), 0, &error);
  g_assert_no_error (error);
  g_assert_true (run_apply (undo, &error));
  g_assert_no_error (error);

  after = sandbox_state (fixture);
  record_places (after, entry, places_after);
  g_assert_cmpstr (places_after->str, ==, places_before->str);
  g_assert_cmpint (item_of (after, s.worn)->place, ==, QM_MOVE_PLACE_EQUIPPED);
  g_assert_cmpint (item_of (after, s.legendary)->owner, ==, TITAN);
  g_assert_cmpint (item_of (after, s.legendary)->place, ==, QM_MOVE_PLACE_EQUIPPED);
  ids_after = instances (after);
  g_assert_cmpstr (ids_after, ==, ids_before);
  g_assert_cmpuint (qm_loadout_store_get_undo (reopened, hunter_id (fixture))->len, ==, 0);
}

/* "Move other items away": listed first, then moved to the vault; the
 * loadout's own items and the equipped ones stay. */
static void
test_move_others (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(QmMoveState) before = sandbox_state (fixture);
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GArray) others = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  Scenario s = find_scenario (before);
  guint64 ids[1] = { s.legendary };
  QmSavedLoadout *loadout = create_loadout (fixture, ids, 1);
  guint32 slot = item_of (before, s.legendary)->slot;
  guint expected = 0;

  for (guint i = 0; i < before->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (before->items, QmMoveItem, i);

      expected += item->owner == HUNTER && item->place == QM_MOVE_PLACE_INVENTORY && item->slot == slot;
    }
  g_assert_cmpuint (expected, >, 0);

  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  qm_loadout_apply_set_move_others (apply, TRUE);
  others = qm_loadout_apply_dup_others (apply);
  g_assert_cmpuint (others->len, ==, expected);
  g_assert_true (run_apply (apply, &error));
  g_assert_no_error (error);
  summary = qm_loadout_apply_dup_summary (apply);
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "moved to the vault ("));

  after = sandbox_state (fixture);
  for (guint i = 0; i < others->len; i++)
    g_assert_cmpint (item_of (after, g_array_index (others, guint64, i))->place, ==, QM_MOVE_PLACE_VAULT);
  g_assert_cmpint (item_of (after, s.legendary)->place, ==, QM_MOVE_PLACE_EQUIPPED);
  g_assert_cmpint (item_of (after, s.legendary)->owner, ==, HUNTER);
}

static void
test_wrong_class (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  QmSavedLoadout *loadout = qm_loadout_store_create (fixture->store, "Titan only", 0, NULL, 0, &error);

  g_assert_no_error (error);
  apply = qm_loadout_apply_new (fixture->executor, fixture->store, loadout, hunter_id (fixture), &error);
  g_assert_null (apply);
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_CLASS);
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

  g_test_add ("/loadout-apply/across-full-vault-exotic", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_apply_across, fixture_tear_down);
  g_test_add ("/loadout-apply/missing-item", Fixture, NULL, fixture_set_up, test_apply_missing, fixture_tear_down);
  g_test_add ("/loadout-apply/not-in-orbit", Fixture, NULL, fixture_set_up, test_apply_not_in_orbit,
              fixture_tear_down);
  g_test_add ("/loadout-apply/undo", Fixture, NULL, fixture_set_up, test_undo, fixture_tear_down);
  g_test_add ("/loadout-apply/move-others", Fixture, NULL, fixture_set_up, test_move_others, fixture_tear_down);
  g_test_add ("/loadout-apply/wrong-class", Fixture, NULL, fixture_set_up, test_wrong_class, fixture_tear_down);

  return g_test_run ();
}
