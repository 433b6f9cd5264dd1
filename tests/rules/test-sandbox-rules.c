/* test-sandbox-rules.c: the game's rules on a small hand-built world
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The world is built from tests/fixtures/rules-profile.json (a
 * DestinyProfileResponse) and rules-definitions.json (definition tables by
 * name), both in Bungie's shapes. Characters:
 *   Titan  2305843009300000001: kinetic/energy/power/helmet/chest/subclass
 *          equipped (an exotic energy weapon and an exotic chest), eight items
 *          in the inventory, three in the postmaster.
 *   Hunter 2305843009300000002.
 * The vault holds three instanced items and three stacks; the consumables
 * bucket (account-wide) holds two stacks.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "qm-json.h"
#include "qm-sandbox-rules.h"
#include "qm-test-utils.h"

#define TITAN   "2305843009300000001"
#define HUNTER  "2305843009300000002"
#define NOBODY  "2305843009399999999"
#define ID(n)   "691752900000000" n
#define NO_ITEM ID ("9999")

#define HASH_HAND_CANNON      1000000001u
#define HASH_AUTO_RIFLE       1000000002u
#define HASH_EXOTIC_KINETIC   1000000003u
#define HASH_TITAN_HELMET     1000000011u
#define HASH_HUNTER_HELMET    1000000012u
#define HASH_CORE             1000000031u
#define HASH_UNIQUE_TOKEN     1000000032u
#define HASH_SHADER           1000000033u
#define HASH_QUEST_ENGRAM     1000000041u
#define HASH_QUEST_WEAPON     1000000042u

/* ------------------------------------------------------------------------
 * Building the world
 * ------------------------------------------------------------------------ */

static JsonNode *
load_fixture (const char *name,
              gboolean    sealed)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(JsonParser) parser = sealed ? json_parser_new_immutable () : json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static QmSandboxWorld *
world_new (gboolean sealed)
{
  QmSandboxWorld *world = g_new0 (QmSandboxWorld, 1);
  g_autoptr(JsonNode) tables = load_fixture ("rules-definitions.json", FALSE);
  JsonObjectIter iter;
  const char *name;
  JsonNode *table;

  world->profile = load_fixture ("rules-profile.json", sealed);
  world->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) json_node_unref);
  json_object_iter_init (&iter, json_node_get_object (tables));
  while (json_object_iter_next (&iter, &name, &table))
    g_hash_table_insert (world->definitions, g_strdup (name), json_node_ref (table));
  world->locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->home_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return world;
}

static void
world_free (QmSandboxWorld *world)
{
  g_clear_pointer (&world->profile, json_node_unref);
  g_clear_pointer (&world->definitions, g_hash_table_unref);
  g_clear_pointer (&world->locations, g_hash_table_unref);
  g_clear_pointer (&world->home_buckets, g_hash_table_unref);
  g_free (world);
}

/* The world is built by hand here, so it has its own cleanup. */
typedef QmSandboxWorld TestWorld;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestWorld, world_free)

static void
set_location (QmSandboxWorld    *world,
              const char        *character_id,
              QmSandboxLocation  location)
{
  g_hash_table_insert (world->locations, g_strdup (character_id), GINT_TO_POINTER (location));
}

static void
set_capacity (QmSandboxWorld *world,
              guint32         bucket_hash,
              int             item_count)
{
  JsonNode *table = g_hash_table_lookup (world->definitions, "DestinyInventoryBucketDefinition");
  char key[16];

  g_snprintf (key, sizeof key, "%u", bucket_hash);
  json_object_set_int_member (qm_json_get_object (json_node_get_object (table), key), "itemCount", item_count);
}

static char *
profile_text (QmSandboxWorld *world)
{
  return json_to_string (world->profile, FALSE);
}

/* ------------------------------------------------------------------------
 * Reading the world back
 * ------------------------------------------------------------------------ */

static JsonObject *
component (QmSandboxWorld *world,
           const char     *name)
{
  return qm_json_path_object (json_node_get_object (world->profile), name, "data", NULL);
}

/* "equipment:<id>", "inventory:<id>" or "profile" -> the items array. */
static JsonArray *
items_at (QmSandboxWorld *world,
          const char     *where)
{
  if (g_str_has_prefix (where, "equipment:"))
    return qm_json_get_array (qm_json_get_object (component (world, "characterEquipment"), where + 10), "items");
  if (g_str_has_prefix (where, "inventory:"))
    return qm_json_get_array (qm_json_get_object (component (world, "characterInventories"), where + 10), "items");
  g_assert_cmpstr (where, ==, "profile");
  return qm_json_get_array (component (world, "profileInventory"), "items");
}

static int
index_of (JsonArray  *items,
          const char *item_id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *id = qm_json_dup_id (json_array_get_object_element (items, i), "itemInstanceId");

      if (g_strcmp0 (id, item_id) == 0)
        return (int) i;
    }
  return -1;
}

static const char * const all_places[] = {
  "equipment:" TITAN, "inventory:" TITAN, "equipment:" HUNTER, "inventory:" HUNTER, "profile",
};

/* Where @item_id is, and that it is there exactly once in the profile. */
static const char *
where_is (QmSandboxWorld *world,
          const char     *item_id,
          JsonObject    **out)
{
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all_places); i++)
    {
      JsonArray *items = items_at (world, all_places[i]);
      int index = index_of (items, item_id);

      if (index < 0)
        continue;
      g_assert_null (found);
      found = all_places[i];
      if (out != NULL)
        *out = json_array_get_object_element (items, index);
    }
  return found;
}

static void
assert_item (QmSandboxWorld *world,
             const char     *item_id,
             const char     *where,
             guint32         bucket_hash,
             int             location,
             int             transfer_status)
{
  JsonObject *item = NULL;

  g_assert_cmpstr (where_is (world, item_id, &item), ==, where);
  g_assert_cmpuint (qm_json_get_hash (item, "bucketHash"), ==, bucket_hash);
  g_assert_cmpint (qm_json_get_int (item, "location", -1), ==, location);
  g_assert_cmpint (qm_json_get_int (item, "transferStatus", -1), ==, transfer_status);
}

static JsonObject *
instance (QmSandboxWorld *world,
          const char     *item_id)
{
  return qm_json_path_object (json_node_get_object (world->profile),
                              "itemComponents", "instances", "data", item_id, NULL);
}

static void
assert_equipped (QmSandboxWorld *world,
                 const char     *item_id,
                 const char     *character_id,
                 gboolean        equipped)
{
  g_autofree char *where = g_strdup_printf ("%s:%s", equipped ? "equipment" : "inventory", character_id);
  JsonObject *item = NULL;

  g_assert_cmpstr (where_is (world, item_id, &item), ==, where);
  g_assert_cmpint (qm_json_get_int (item, "transferStatus", -1), ==, equipped ? 1 : 0);
  g_assert_cmpint (qm_json_get_bool (instance (world, item_id), "isEquipped", !equipped), ==, equipped);
}

/* The quantities of the stacks of @item_hash in @bucket_hash at @where, as "25,5". */
static char *
stacks (QmSandboxWorld *world,
        const char     *where,
        guint32         item_hash,
        guint32         bucket_hash)
{
  JsonArray *items = items_at (world, where);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (qm_json_get_hash (item, "itemHash") != item_hash || qm_json_get_hash (item, "bucketHash") != bucket_hash)
        continue;
      g_assert_false (json_object_has_member (item, "itemInstanceId"));
      g_assert_cmpint (qm_json_get_int (item, "location", -1), ==,
                       bucket_hash == QM_BUCKET_VAULT ? 2 : bucket_hash == QM_BUCKET_POSTMASTER ? 4 : 1);
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, text->len > 0 ? "," : "",
                              qm_json_get_int (item, "quantity", -1));
    }
  return g_string_free (text, FALSE);
}

static void
assert_stacks (QmSandboxWorld *world,
               const char     *where,
               guint32         item_hash,
               guint32         bucket_hash,
               const char     *expected)
{
  g_autofree char *actual = stacks (world, where, item_hash, bucket_hash);

  g_assert_cmpstr (actual, ==, expected);
}

static guint
count_in_bucket (QmSandboxWorld *world,
                 const char     *where,
                 guint32         bucket_hash)
{
  JsonArray *items = items_at (world, where);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (qm_json_get_hash (json_array_get_object_element (items, i), "bucketHash") == bucket_hash)
      count++;
  return count;
}

static JsonObject *
loadout (QmSandboxWorld *world,
         const char     *character_id,
         guint           index)
{
  JsonArray *loadouts = qm_json_get_array (qm_json_get_object (component (world, "characterLoadouts"),
                                                               character_id), "loadouts");

  return json_array_get_object_element (loadouts, index);
}

/* The loadout's item ids, as "id,0,id". */
static char *
loadout_ids (QmSandboxWorld *world,
             const char     *character_id,
             guint           index)
{
  JsonArray *items = qm_json_get_array (loadout (world, character_id, index), "items");
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *id = qm_json_dup_id (json_array_get_object_element (items, i), "itemInstanceId");

      g_string_append_printf (text, "%s%s", i > 0 ? "," : "", id);
    }
  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------
 * Refusals: every failure answers its code and changes nothing
 * ------------------------------------------------------------------------ */

typedef enum
{
  ACT_TRANSFER,
  ACT_PULL,
  ACT_EQUIP,
  ACT_EQUIP_ITEMS,
  ACT_LOCK,
  ACT_EQUIP_LOADOUT,
  ACT_SNAPSHOT_LOADOUT,
  ACT_UPDATE_LOADOUT,
  ACT_CLEAR_LOADOUT,
} Action;

typedef struct
{
  const char *name;
  Action      action;
  const char *character_id;
  const char *item_id;
  guint32     item_hash;
  int         stack_size;       /* TransferItem, PullFromPostmaster */
  gboolean    flag;             /* transferToVault, or the lock state */
  int         loadout_index;
  void      (*setup) (QmSandboxWorld *world);
  int         expected;
} Refusal;

static void
setup_activity (QmSandboxWorld *world)
{
  set_location (world, TITAN, QM_SANDBOX_LOCATION_ACTIVITY);
}

static void
setup_not_in_tower (QmSandboxWorld *world)
{
  set_location (world, TITAN, QM_SANDBOX_LOCATION_NOT_IN_TOWER);
}

static void
setup_vault_full (QmSandboxWorld *world)
{
  set_capacity (world, QM_BUCKET_VAULT, (int) count_in_bucket (world, "profile", QM_BUCKET_VAULT));
}

/* One equipped and three inventory kinetic weapons: the bucket holds 4. */
static void
setup_kinetic_full (QmSandboxWorld *world)
{
  g_assert_cmpuint (count_in_bucket (world, "equipment:" TITAN, QM_BUCKET_KINETIC) +
                    count_in_bucket (world, "inventory:" TITAN, QM_BUCKET_KINETIC), ==, 4);
  set_capacity (world, QM_BUCKET_KINETIC, 4);
}

/* The consumables bucket holds its two stacks, the cores' stack has 5 free. */
static void
setup_consumables_full (QmSandboxWorld *world)
{
  set_capacity (world, QM_BUCKET_CONSUMABLES, 2);
}

static void
setup_consumables_full_and_topped (QmSandboxWorld *world)
{
  JsonArray *items = items_at (world, "profile");

  setup_consumables_full (world);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (qm_json_get_hash (item, "itemHash") == HASH_CORE &&
          qm_json_get_hash (item, "bucketHash") == QM_BUCKET_CONSUMABLES)
        json_object_set_int_member (item, "quantity", 25);
    }
}

/* The item's own transferStatus says NotTransferrable (2). */
static void
setup_flagged_not_transferrable (QmSandboxWorld *world)
{
  JsonObject *item = NULL;

  g_assert_nonnull (where_is (world, ID ("0203"), &item));
  json_object_set_int_member (item, "transferStatus", 2);
}

static const Refusal refusals[] = {
  /* TransferItem */
  { "transfer/unknown-character", ACT_TRANSFER, NOBODY, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, 0, NULL, 1620 },
  { "transfer/stack-size-zero", ACT_TRANSFER, TITAN, ID ("0201"), HASH_AUTO_RIFLE, 0, TRUE, 0, NULL, 18 },
  { "transfer/other-characters-item", ACT_TRANSFER, TITAN, ID ("0601"), HASH_AUTO_RIFLE, 1, TRUE, 0, NULL, 1623 },
  { "transfer/postmaster-item", ACT_TRANSFER, TITAN, ID ("0301"), HASH_HAND_CANNON, 1, TRUE, 0, NULL, 1623 },
  { "transfer/vault-item-to-vault", ACT_TRANSFER, TITAN, ID ("0401"), HASH_HAND_CANNON, 1, TRUE, 0, NULL, 1623 },
  { "transfer/not-in-vault", ACT_TRANSFER, TITAN, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, 0, NULL, 1623 },
  { "transfer/wrong-hash", ACT_TRANSFER, TITAN, ID ("0201"), HASH_HAND_CANNON, 1, TRUE, 0, NULL, 1623 },
  { "transfer/unknown-item", ACT_TRANSFER, TITAN, NO_ITEM, HASH_AUTO_RIFLE, 1, TRUE, 0, NULL, 1623 },
  { "transfer/instanced-stack-size", ACT_TRANSFER, TITAN, ID ("0201"), HASH_AUTO_RIFLE, 2, TRUE, 0, NULL, 1623 },
  { "transfer/equipped", ACT_TRANSFER, TITAN, ID ("0101"), HASH_HAND_CANNON, 1, TRUE, 0, NULL, 1656 },
  { "transfer/equipped-subclass", ACT_TRANSFER, TITAN, ID ("0121"), 1000000021u, 1, TRUE, 0, NULL, 1656 },
  { "transfer/not-transferrable", ACT_TRANSFER, TITAN, ID ("0221"), HASH_QUEST_WEAPON, 1, TRUE, 0, NULL, 1660 },
  { "transfer/flagged-not-transferrable", ACT_TRANSFER, TITAN, ID ("0203"), 1000000005u, 1, TRUE, 0, setup_flagged_not_transferrable, 1660 },
  { "transfer/vault-full", ACT_TRANSFER, TITAN, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, 0, setup_vault_full, 1642 },
  { "transfer/vault-full-stack", ACT_TRANSFER, TITAN, "0", HASH_CORE, 6, TRUE, 0, setup_vault_full, 1642 },
  { "transfer/character-bucket-full", ACT_TRANSFER, TITAN, ID ("0401"), HASH_HAND_CANNON, 1, FALSE, 0, setup_kinetic_full, 1642 },
  { "transfer/account-bucket-full", ACT_TRANSFER, TITAN, "0", HASH_CORE, 20, FALSE, 0, setup_consumables_full, 1642 },
  { "transfer/unique-stack-to-vault", ACT_TRANSFER, TITAN, "0", HASH_UNIQUE_TOKEN, 1, TRUE, 0, NULL, 1648 },
  { "transfer/unique-stack-from-vault", ACT_TRANSFER, HUNTER, "0", HASH_UNIQUE_TOKEN, 1, FALSE, 0, NULL, 1648 },
  { "transfer/stack-more-than-owned", ACT_TRANSFER, TITAN, "0", HASH_CORE, 21, TRUE, 0, NULL, 1623 },
  { "transfer/stack-not-owned", ACT_TRANSFER, TITAN, "0", HASH_SHADER, 1, TRUE, 0, NULL, 1623 },
  { "transfer/stack-postmaster-only", ACT_TRANSFER, TITAN, "0", HASH_QUEST_ENGRAM, 1, TRUE, 0, NULL, 1623 },
  /* PullFromPostmaster */
  { "pull/unknown-character", ACT_PULL, NOBODY, ID ("0301"), HASH_HAND_CANNON, 1, FALSE, 0, NULL, 1620 },
  { "pull/stack-size-negative", ACT_PULL, TITAN, ID ("0301"), HASH_HAND_CANNON, -1, FALSE, 0, NULL, 18 },
  { "pull/not-in-postmaster", ACT_PULL, TITAN, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, 0, NULL, 1623 },
  { "pull/other-characters-postmaster", ACT_PULL, HUNTER, ID ("0301"), HASH_HAND_CANNON, 1, FALSE, 0, NULL, 1623 },
  { "pull/wrong-hash", ACT_PULL, TITAN, ID ("0301"), HASH_AUTO_RIFLE, 1, FALSE, 0, NULL, 1623 },
  { "pull/side-effects", ACT_PULL, TITAN, ID ("0302"), HASH_QUEST_ENGRAM, 1, FALSE, 0, NULL, 1673 },
  { "pull/bucket-full", ACT_PULL, TITAN, ID ("0301"), HASH_HAND_CANNON, 1, FALSE, 0, setup_kinetic_full, 1642 },
  { "pull/account-bucket-full", ACT_PULL, TITAN, "0", HASH_CORE, 5, FALSE, 0, setup_consumables_full_and_topped, 1642 },
  { "pull/stack-more-than-there", ACT_PULL, TITAN, "0", HASH_CORE, 6, FALSE, 0, NULL, 1623 },
  /* EquipItem */
  { "equip/unknown-character", ACT_EQUIP, NOBODY, ID ("0201"), 0, 0, FALSE, 0, NULL, 1620 },
  { "equip/in-activity", ACT_EQUIP, TITAN, ID ("0201"), 0, 0, FALSE, 0, setup_activity, 1671 },
  { "equip/not-in-tower", ACT_EQUIP, TITAN, ID ("0201"), 0, 0, FALSE, 0, setup_not_in_tower, 1634 },
  { "equip/location-before-item", ACT_EQUIP, TITAN, ID ("0401"), 0, 0, FALSE, 0, setup_activity, 1671 },
  { "equip/vault-item", ACT_EQUIP, TITAN, ID ("0401"), 0, 0, FALSE, 0, NULL, 1623 },
  { "equip/other-characters-item", ACT_EQUIP, TITAN, ID ("0601"), 0, 0, FALSE, 0, NULL, 1623 },
  { "equip/postmaster-item", ACT_EQUIP, TITAN, ID ("0301"), 0, 0, FALSE, 0, NULL, 1623 },
  { "equip/unknown-item", ACT_EQUIP, TITAN, NO_ITEM, 0, 0, FALSE, 0, NULL, 1623 },
  { "equip/wrong-class", ACT_EQUIP, TITAN, ID ("0212"), 0, 0, FALSE, 0, NULL, 1640 },
  { "equip/not-equippable", ACT_EQUIP, TITAN, ID ("0231"), 0, 0, FALSE, 0, NULL, 1640 },
  { "equip/exotic-weapon-conflict", ACT_EQUIP, TITAN, ID ("0202"), 0, 0, FALSE, 0, NULL, 1641 },
  { "equip/exotic-armor-conflict", ACT_EQUIP, TITAN, ID ("0211"), 0, 0, FALSE, 0, NULL, 1641 },
  /* EquipItems */
  { "equip-items/unknown-character", ACT_EQUIP_ITEMS, NOBODY, ID ("0201"), 0, 0, FALSE, 0, NULL, 1620 },
  { "equip-items/in-activity", ACT_EQUIP_ITEMS, TITAN, ID ("0201"), 0, 0, FALSE, 0, setup_activity, 1671 },
  { "equip-items/not-in-tower", ACT_EQUIP_ITEMS, TITAN, ID ("0201"), 0, 0, FALSE, 0, setup_not_in_tower, 1634 },
  /* SetLockState */
  { "lock/unknown-character", ACT_LOCK, NOBODY, ID ("0201"), 0, 0, TRUE, 0, NULL, 1620 },
  { "lock/not-lockable", ACT_LOCK, TITAN, ID ("0231"), 0, 0, TRUE, 0, NULL, 1663 },
  { "lock/other-characters-item", ACT_LOCK, TITAN, ID ("0601"), 0, 0, TRUE, 0, NULL, 1623 },
  { "lock/stack", ACT_LOCK, TITAN, "0", 0, 0, TRUE, 0, NULL, 1623 },
  /* Loadouts */
  { "loadout/equip-unknown-character", ACT_EQUIP_LOADOUT, NOBODY, NULL, 0, 0, FALSE, 0, NULL, 1620 },
  { "loadout/equip-index-out-of-range", ACT_EQUIP_LOADOUT, TITAN, NULL, 0, 0, FALSE, 3, NULL, 18 },
  { "loadout/equip-negative-index", ACT_EQUIP_LOADOUT, TITAN, NULL, 0, 0, FALSE, -1, NULL, 18 },
  { "loadout/equip-in-activity", ACT_EQUIP_LOADOUT, TITAN, NULL, 0, 0, FALSE, 0, setup_activity, 1671 },
  { "loadout/equip-not-in-tower", ACT_EQUIP_LOADOUT, TITAN, NULL, 0, 0, FALSE, 0, setup_not_in_tower, 1634 },
  { "loadout/snapshot-unknown-character", ACT_SNAPSHOT_LOADOUT, NOBODY, NULL, 0, 0, FALSE, 0, NULL, 1620 },
  { "loadout/snapshot-index-out-of-range", ACT_SNAPSHOT_LOADOUT, HUNTER, NULL, 0, 0, FALSE, 1, NULL, 18 },
  { "loadout/update-index-out-of-range", ACT_UPDATE_LOADOUT, TITAN, NULL, 0, 0, FALSE, 10, NULL, 18 },
  { "loadout/update-unknown-character", ACT_UPDATE_LOADOUT, NOBODY, NULL, 0, 0, FALSE, 0, NULL, 1620 },
  { "loadout/clear-index-out-of-range", ACT_CLEAR_LOADOUT, TITAN, NULL, 0, 0, FALSE, -2, NULL, 18 },
  { "loadout/clear-unknown-character", ACT_CLEAR_LOADOUT, NOBODY, NULL, 0, 0, FALSE, 0, NULL, 1620 },
};

static int
run_refusal (QmSandboxWorld *world,
             const Refusal  *refusal)
{
  QmTransferRequest request = {
    refusal->item_hash, refusal->item_id, refusal->stack_size, refusal->flag, refusal->character_id,
  };
  const char *ids[] = { refusal->item_id, NULL };
  g_autoptr(JsonArray) results = json_array_new ();
  int code = 0;

  switch (refusal->action)
    {
    case ACT_TRANSFER:
      return qm_sandbox_rules_transfer (world, &request);
    case ACT_PULL:
      return qm_sandbox_rules_pull_from_postmaster (world, &request);
    case ACT_EQUIP:
      return qm_sandbox_rules_equip_item (world, refusal->item_id, refusal->character_id);
    case ACT_EQUIP_ITEMS:
      code = qm_sandbox_rules_equip_items (world, ids, refusal->character_id, results);
      g_assert_cmpuint (json_array_get_length (results), ==, 0);
      return code;
    case ACT_LOCK:
      return qm_sandbox_rules_set_lock_state (world, refusal->item_id, refusal->character_id, refusal->flag);
    case ACT_EQUIP_LOADOUT:
      return qm_sandbox_rules_equip_loadout (world, refusal->loadout_index, refusal->character_id);
    case ACT_SNAPSHOT_LOADOUT:
      return qm_sandbox_rules_snapshot_loadout (world, refusal->loadout_index, refusal->character_id, 6003, 5003, 4003);
    case ACT_UPDATE_LOADOUT:
      return qm_sandbox_rules_update_loadout_identifiers (world, refusal->loadout_index, refusal->character_id,
                                                          6003, 5003, 4003);
    case ACT_CLEAR_LOADOUT:
      return qm_sandbox_rules_clear_loadout (world, refusal->loadout_index, refusal->character_id);
    default:
      g_assert_not_reached ();
    }
}

static void
test_refusal (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (refusal->setup != NULL)
    refusal->setup (world);
  before = profile_text (world);

  g_assert_cmpint (run_refusal (world, refusal), ==, refusal->expected);

  after = profile_text (world);
  g_assert_cmpstr (after, ==, before);
}

/* ------------------------------------------------------------------------
 * TransferItem
 * ------------------------------------------------------------------------ */

static int
transfer (QmSandboxWorld *world,
          const char     *item_id,
          guint32         item_hash,
          int             stack_size,
          gboolean        to_vault,
          const char     *character_id)
{
  QmTransferRequest request = { item_hash, item_id, stack_size, to_vault, character_id };

  return qm_sandbox_rules_transfer (world, &request);
}

static int
pull (QmSandboxWorld *world,
      const char     *item_id,
      guint32         item_hash,
      int             stack_size,
      const char     *character_id)
{
  QmTransferRequest request = { item_hash, item_id, stack_size, FALSE, character_id };

  return qm_sandbox_rules_pull_from_postmaster (world, &request);
}

static void
test_transfer_vault_round_trip (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  guint vault_count = count_in_bucket (world, "profile", QM_BUCKET_VAULT);

  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1);
  assert_item (world, ID ("0201"), "profile", QM_BUCKET_VAULT, 2, 0);
  g_assert_cmpuint (count_in_bucket (world, "profile", QM_BUCKET_VAULT), ==, vault_count + 1);

  /* Out of the vault to another character, into the item's own bucket. */
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, HUNTER), ==, 1);
  assert_item (world, ID ("0201"), "inventory:" HUNTER, QM_BUCKET_KINETIC, 1, 0);
  g_assert_cmpuint (count_in_bucket (world, "profile", QM_BUCKET_VAULT), ==, vault_count);

  /* Now it is the hunter's: the titan cannot send it to the vault. */
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1623);
}

static void
test_transfer_class_item_anywhere (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  /* A hunter helmet may sit on a titan; only equipping it is refused. */
  g_assert_cmpint (transfer (world, ID ("0403"), HASH_HUNTER_HELMET, 1, FALSE, TITAN), ==, 1);
  assert_item (world, ID ("0403"), "inventory:" TITAN, QM_BUCKET_HELMET, 1, 0);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0403"), TITAN), ==, 1640);
}

static void
test_transfer_capacity_boundaries (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  guint vault_count = count_in_bucket (world, "profile", QM_BUCKET_VAULT);

  /* Four kinetic weapons including the equipped one: a fifth fits in 5. */
  set_capacity (world, QM_BUCKET_KINETIC, 5);
  g_assert_cmpint (transfer (world, ID ("0401"), HASH_HAND_CANNON, 1, FALSE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0601"), HASH_AUTO_RIFLE, 1, TRUE, HUNTER), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0601"), HASH_AUTO_RIFLE, 1, FALSE, TITAN), ==, 1642);

  /* The vault takes exactly its itemCount slots, stacks counted once each. */
  set_capacity (world, QM_BUCKET_VAULT, (int) vault_count + 1);
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0203"), 1000000005u, 1, TRUE, TITAN), ==, 1642);
  /* A stack that tops up an existing vault stack needs no slot. */
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 5, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 1, TRUE, TITAN), ==, 1642);
}

/* Consumables live in profileInventory (account-wide) and the vault. */
static void
test_transfer_stack_split_and_merge (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "20");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "20");

  /* A split that merges into the vault stack. */
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 3, TRUE, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "17");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "23");

  /* Tops the stack up to maxStackSize (25), then opens a new one. */
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 10, TRUE, HUNTER), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "7");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "25,8");

  /* The whole remaining stack leaves the consumables bucket. */
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 7, TRUE, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "25,15");

  /* Back to the account bucket: taken from the last stack first, arriving
   * as full stacks plus a remainder. */
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 30, FALSE, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "10");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "25,5");
  assert_stacks (world, "inventory:" TITAN, HASH_CORE, QM_BUCKET_CONSUMABLES, "");
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 11, FALSE, TITAN), ==, 1623);
}

static void
test_transfer_account_bucket_from_vault (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  /* Modifications are account-wide: they go to profileInventory. */
  g_assert_cmpint (transfer (world, "0", HASH_SHADER, 2, FALSE, HUNTER), ==, 1);
  assert_stacks (world, "profile", HASH_SHADER, QM_BUCKET_VAULT, "1");
  assert_stacks (world, "profile", HASH_SHADER, QM_BUCKET_MODIFICATIONS, "2");
  assert_stacks (world, "inventory:" HUNTER, HASH_SHADER, QM_BUCKET_MODIFICATIONS, "");

  /* And any character may send them back. */
  g_assert_cmpint (transfer (world, "0", HASH_SHADER, 2, TRUE, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_SHADER, QM_BUCKET_VAULT, "3");
  assert_stacks (world, "profile", HASH_SHADER, QM_BUCKET_MODIFICATIONS, "");
}

static void
test_transfer_account_bucket_merge_when_full (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  /* A full consumables bucket still takes what fits in its core stack. */
  setup_consumables_full (world);
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 5, FALSE, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "25");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_VAULT, "15");
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 1, FALSE, TITAN), ==, 1642);
}

/* Recorded definitions may lack inventory.bucketTypeHash: what the profile
 * says about the item's bucket decides. */
static void
strip_bucket_types (QmSandboxWorld *world)
{
  JsonNode *table = g_hash_table_lookup (world->definitions, "DestinyInventoryItemDefinition");
  JsonObjectIter iter;
  const char *hash;
  JsonNode *definition;

  json_object_iter_init (&iter, json_node_get_object (table));
  while (json_object_iter_next (&iter, &hash, &definition))
    {
      JsonObject *inventory = qm_json_get_object (json_node_get_object (definition), "inventory");

      if (inventory != NULL)
        json_object_remove_member (inventory, "bucketTypeHash");
    }
}

static void
test_sparse_definitions (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  strip_bucket_types (world);
  /* Back from the vault to the bucket it left. */
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, HUNTER), ==, 1);
  assert_item (world, ID ("0201"), "inventory:" HUNTER, QM_BUCKET_KINETIC, 1, 0);
  /* A vault item goes where the profile holds others of its kind (the
   * equipped hand cannon). */
  g_assert_cmpint (transfer (world, ID ("0401"), HASH_HAND_CANNON, 1, FALSE, HUNTER), ==, 1);
  assert_item (world, ID ("0401"), "inventory:" HUNTER, QM_BUCKET_KINETIC, 1, 0);
  /* Pulls too: an instance, and a stack to its account-wide bucket. */
  g_assert_cmpint (pull (world, ID ("0301"), HASH_HAND_CANNON, 1, TITAN), ==, 1);
  assert_item (world, ID ("0301"), "inventory:" TITAN, QM_BUCKET_KINETIC, 1, 0);
  g_assert_cmpint (pull (world, "0", HASH_CORE, 2, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "22");
  /* When nothing says where it lives, the bucket is not found. */
  g_assert_cmpint (transfer (world, "0", HASH_SHADER, 1, FALSE, TITAN), ==, 1629);
  assert_stacks (world, "profile", HASH_SHADER, QM_BUCKET_VAULT, "3");
}

/* ------------------------------------------------------------------------
 * PullFromPostmaster
 * ------------------------------------------------------------------------ */

static void
test_pull_instanced (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  g_assert_cmpint (pull (world, ID ("0301"), HASH_HAND_CANNON, 1, TITAN), ==, 1);
  assert_item (world, ID ("0301"), "inventory:" TITAN, QM_BUCKET_KINETIC, 1, 0);
  g_assert_cmpuint (count_in_bucket (world, "inventory:" TITAN, QM_BUCKET_POSTMASTER), ==, 2);
  g_assert_cmpint (pull (world, ID ("0301"), HASH_HAND_CANNON, 1, TITAN), ==, 1623);
}

static void
test_pull_stack_to_account_bucket (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  /* Part of the stack: the rest stays with the postmaster. */
  g_assert_cmpint (pull (world, "0", HASH_CORE, 2, TITAN), ==, 1);
  assert_stacks (world, "inventory:" TITAN, HASH_CORE, QM_BUCKET_POSTMASTER, "3");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "22");

  g_assert_cmpint (pull (world, "0", HASH_CORE, 3, TITAN), ==, 1);
  assert_stacks (world, "inventory:" TITAN, HASH_CORE, QM_BUCKET_POSTMASTER, "");
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "25");
  assert_stacks (world, "inventory:" TITAN, HASH_CORE, QM_BUCKET_CONSUMABLES, "");
}

static void
test_pull_stack_new_slot (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  setup_consumables_full_and_topped (world);
  set_capacity (world, QM_BUCKET_CONSUMABLES, 3);
  g_assert_cmpint (pull (world, "0", HASH_CORE, 5, TITAN), ==, 1);
  assert_stacks (world, "profile", HASH_CORE, QM_BUCKET_CONSUMABLES, "25,5");
}

/* ------------------------------------------------------------------------
 * EquipItem and EquipItems
 * ------------------------------------------------------------------------ */

static void
test_equip_swap (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  JsonArray *equipment = items_at (world, "equipment:" TITAN);
  JsonArray *inventory = items_at (world, "inventory:" TITAN);
  int slot = index_of (equipment, ID ("0101"));
  int spot = index_of (inventory, ID ("0201"));
  guint n_equipment = json_array_get_length (equipment);
  guint n_inventory = json_array_get_length (inventory);

  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0201"), TITAN), ==, 1);

  assert_equipped (world, ID ("0201"), TITAN, TRUE);
  assert_equipped (world, ID ("0101"), TITAN, FALSE);
  /* The two items trade places: the slot order Bungie sends is kept. */
  g_assert_cmpint (index_of (equipment, ID ("0201")), ==, slot);
  g_assert_cmpint (index_of (inventory, ID ("0101")), ==, spot);
  g_assert_cmpuint (json_array_get_length (equipment), ==, n_equipment);
  g_assert_cmpuint (json_array_get_length (inventory), ==, n_inventory);
  /* The lock state travels with the item. */
  g_assert_cmpint (qm_json_get_int (json_array_get_object_element (inventory, spot), "state", -1), ==, 1);
}

static void
test_equip_already_equipped (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *before = profile_text (world);
  g_autofree char *after = NULL;

  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0101"), TITAN), ==, 1);
  after = profile_text (world);
  g_assert_cmpstr (after, ==, before);
}

static void
test_equip_empty_slot (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  JsonArray *equipment = items_at (world, "equipment:" HUNTER);
  guint n_equipment = json_array_get_length (equipment);

  /* The hunter has no energy weapon equipped: the slot is filled. */
  g_assert_cmpint (transfer (world, ID ("0203"), 1000000005u, 1, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0203"), 1000000005u, 1, FALSE, HUNTER), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0203"), HUNTER), ==, 1);
  assert_equipped (world, ID ("0203"), HUNTER, TRUE);
  g_assert_cmpuint (json_array_get_length (equipment), ==, n_equipment + 1);
  g_assert_cmpuint (count_in_bucket (world, "inventory:" HUNTER, QM_BUCKET_ENERGY), ==, 0);
}

static void
test_equip_exotic_after_replacing_the_other (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  /* The exotic chest blocks the exotic helmet until it is replaced. */
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0211"), TITAN), ==, 1641);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0213"), TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0211"), TITAN), ==, 1);
  assert_equipped (world, ID ("0211"), TITAN, TRUE);
  assert_equipped (world, ID ("0114"), TITAN, FALSE);

  /* An exotic weapon is blocked only by an exotic in another slot. */
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0203"), TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0202"), TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0102"), TITAN), ==, 1641);
}

static void
assert_equip_result (JsonArray  *results,
                     guint       index,
                     const char *item_id,
                     int         status)
{
  JsonObject *result = json_array_get_object_element (results, index);
  g_autofree char *id = qm_json_dup_id (result, "itemInstanceId");

  g_assert_cmpstr (id, ==, item_id);
  g_assert_cmpint (qm_json_get_int (result, "equipStatus", -1), ==, status);
}

static const char * const equip_batch[] = {
  ID ("0211"), ID ("0213"), NO_ITEM, ID ("0212"), ID ("0401"), NULL,
};

static void
test_equip_items_exotics_last (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autoptr(JsonArray) results = json_array_new ();

  g_assert_cmpint (qm_sandbox_rules_equip_items (world, equip_batch, TITAN, results), ==, 1);

  g_assert_cmpuint (json_array_get_length (results), ==, 5);
  assert_equip_result (results, 0, ID ("0211"), 1);
  assert_equip_result (results, 1, ID ("0213"), 1);
  assert_equip_result (results, 2, NO_ITEM, 1623);
  assert_equip_result (results, 3, ID ("0212"), 1640);
  assert_equip_result (results, 4, ID ("0401"), 1623);
  assert_equipped (world, ID ("0211"), TITAN, TRUE);
  assert_equipped (world, ID ("0213"), TITAN, TRUE);
  assert_equipped (world, ID ("0114"), TITAN, FALSE);
  g_assert_cmpstr (where_is (world, ID ("0401"), NULL), ==, "profile");
}

/* The same items one by one in request order: the exotic helmet comes
 * first and meets the exotic chest. */
static void
test_equip_items_order_matters (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  g_assert_cmpint (qm_sandbox_rules_equip_item (world, equip_batch[0], TITAN), ==, 1641);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, equip_batch[1], TITAN), ==, 1);
}

/* ------------------------------------------------------------------------
 * SetLockState
 * ------------------------------------------------------------------------ */

static gint64
item_state (QmSandboxWorld *world,
            const char     *item_id)
{
  JsonObject *item = NULL;

  g_assert_nonnull (where_is (world, item_id, &item));
  return qm_json_get_int (item, "state", -1);
}

static void
test_lock_state (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  JsonObject *item = NULL;

  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0201"), TITAN, TRUE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0201")), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0201"), TITAN, TRUE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0201")), ==, 1);

  /* Equipped items, and other state bits are kept (4 = Masterwork). */
  where_is (world, ID ("0101"), &item);
  json_object_set_int_member (item, "state", 5);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0101"), TITAN, FALSE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0101")), ==, 4);

  /* Vault items through any character; postmaster items through their owner. */
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0401"), HUNTER, TRUE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0401")), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0401"), TITAN, FALSE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0401")), ==, 0);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0301"), TITAN, TRUE), ==, 1);
  g_assert_cmpint (item_state (world, ID ("0301")), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0301"), HUNTER, FALSE), ==, 1623);
}

/* ------------------------------------------------------------------------
 * Loadouts
 * ------------------------------------------------------------------------ */

static void
test_loadout_equip (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *ids_before = loadout_ids (world, TITAN, 0);
  g_autofree char *ids_after = NULL;

  /* Loadout 0 lists an exotic helmet before the chest that frees the
   * exotic slot, a vault kinetic weapon (after the kinetic 0201) and one
   * of the hunter's. The vault item comes along (the kinetic bucket has
   * room) and is equipped after 0201; the hunter's stays where it is. */
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 0, TITAN), ==, 1);

  assert_equipped (world, ID ("0401"), TITAN, TRUE);
  assert_equipped (world, ID ("0201"), TITAN, FALSE);
  assert_equipped (world, ID ("0203"), TITAN, TRUE);
  assert_equipped (world, ID ("0211"), TITAN, TRUE);
  assert_equipped (world, ID ("0213"), TITAN, TRUE);
  assert_equipped (world, ID ("0101"), TITAN, FALSE);
  assert_equipped (world, ID ("0102"), TITAN, FALSE);
  assert_equipped (world, ID ("0111"), TITAN, FALSE);
  assert_equipped (world, ID ("0114"), TITAN, FALSE);
  g_assert_cmpstr (where_is (world, ID ("0401"), NULL), ==, "equipment:" TITAN);
  g_assert_cmpstr (where_is (world, ID ("0601"), NULL), ==, "inventory:" HUNTER);
  ids_after = loadout_ids (world, TITAN, 0);
  g_assert_cmpstr (ids_after, ==, ids_before);

  /* Back to loadout 1, which holds what was equipped at first. */
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 1, TITAN), ==, 1);
  assert_equipped (world, ID ("0101"), TITAN, TRUE);
  assert_equipped (world, ID ("0102"), TITAN, TRUE);
  assert_equipped (world, ID ("0111"), TITAN, TRUE);
  assert_equipped (world, ID ("0211"), TITAN, FALSE);
  assert_equipped (world, ID ("0213"), TITAN, TRUE);
}

/* EquipLoadout takes a vault item only when the character has room for it. */
static void
test_loadout_equip_vault_full_bucket (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);

  setup_kinetic_full (world);
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 0, TITAN), ==, 1);

  g_assert_cmpstr (where_is (world, ID ("0401"), NULL), ==, "profile");
  assert_equipped (world, ID ("0201"), TITAN, TRUE);
  assert_equipped (world, ID ("0211"), TITAN, TRUE);
  g_assert_cmpuint (count_in_bucket (world, "inventory:" TITAN, QM_BUCKET_KINETIC) +
                    count_in_bucket (world, "equipment:" TITAN, QM_BUCKET_KINETIC), ==, 4);
}

/* Items on other characters are never taken, equipped or not. */
static void
test_loadout_equip_other_character (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *hunter_before = NULL;
  g_autofree char *hunter_after = NULL;
  JsonObject *item;

  where_is (world, ID ("0601"), &item);
  hunter_before = json_to_string (json_object_get_member (component (world, "characterInventories"), HUNTER), FALSE);
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 0, TITAN), ==, 1);
  hunter_after = json_to_string (json_object_get_member (component (world, "characterInventories"), HUNTER), FALSE);
  g_assert_cmpstr (hunter_after, ==, hunter_before);
  g_assert_cmpstr (where_is (world, ID ("0601"), NULL), ==, "inventory:" HUNTER);
}

/* Outside orbit (1671) nothing moves, not even from the vault. */
static void
test_loadout_equip_in_activity (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *before = profile_text (world);
  g_autofree char *after = NULL;

  set_location (world, TITAN, QM_SANDBOX_LOCATION_ACTIVITY);
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 0, TITAN), ==, 1671);
  after = profile_text (world);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (where_is (world, ID ("0401"), NULL), ==, "profile");
}

static void
test_loadout_snapshot (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *ids = NULL;
  g_autofree char *plugs = NULL;
  JsonObject *slot;
  JsonArray *items;

  g_assert_cmpint (qm_sandbox_rules_snapshot_loadout (world, 2, TITAN, 6003, 0, 4003), ==, 1);

  /* kinetic, energy, power, helmet, gauntlets, chest, legs, class, subclass */
  ids = loadout_ids (world, TITAN, 2);
  g_assert_cmpstr (ids, ==, ID ("0101") "," ID ("0102") "," ID ("0103") "," ID ("0111") ",0,"
                   ID ("0114") ",0,0," ID ("0121"));
  slot = loadout (world, TITAN, 2);
  g_assert_cmpuint (qm_json_get_hash (slot, "colorHash"), ==, 6003);
  g_assert_cmpuint (qm_json_get_hash (slot, "iconHash"), ==, 5001);
  g_assert_cmpuint (qm_json_get_hash (slot, "nameHash"), ==, 4003);

  /* Plugs by socket index, unset sockets as Bungie's empty hash. */
  items = qm_json_get_array (slot, "items");
  plugs = json_to_string (json_object_get_member (json_array_get_object_element (items, 0), "plugItemHashes"), FALSE);
  g_assert_cmpstr (plugs, ==, "[3001,2166136261,3002]");
  g_assert_cmpuint (json_array_get_length (qm_json_get_array (json_array_get_object_element (items, 4),
                                                              "plugItemHashes")), ==, 0);

  /* A snapshot follows what is equipped now, on its own character. */
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0201"), TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_snapshot_loadout (world, 2, TITAN, 0, 0, 0), ==, 1);
  g_clear_pointer (&ids, g_free);
  ids = loadout_ids (world, TITAN, 2);
  g_assert_true (g_str_has_prefix (ids, ID ("0201") ","));
  g_assert_cmpuint (qm_json_get_hash (slot, "colorHash"), ==, 6003);
  g_assert_cmpint (qm_sandbox_rules_snapshot_loadout (world, 0, HUNTER, 0, 0, 0), ==, 1);
  g_clear_pointer (&ids, g_free);
  ids = loadout_ids (world, HUNTER, 0);
  g_assert_cmpstr (ids, ==, ID ("0501") ",0,0," ID ("0511") ",0,0,0,0,0");
}

static void
test_loadout_update_identifiers (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *items_before = json_to_string (json_object_get_member (loadout (world, TITAN, 0), "items"), FALSE);
  g_autofree char *items_after = NULL;
  JsonObject *slot;

  g_assert_cmpint (qm_sandbox_rules_update_loadout_identifiers (world, 0, TITAN, 0, 5003, 0), ==, 1);
  slot = loadout (world, TITAN, 0);
  g_assert_cmpuint (qm_json_get_hash (slot, "colorHash"), ==, 6002);
  g_assert_cmpuint (qm_json_get_hash (slot, "iconHash"), ==, 5003);
  g_assert_cmpuint (qm_json_get_hash (slot, "nameHash"), ==, 4002);
  g_assert_cmpint (qm_sandbox_rules_update_loadout_identifiers (world, 0, TITAN, 6001, 5001, 4001), ==, 1);
  g_assert_cmpuint (qm_json_get_hash (slot, "colorHash"), ==, 6001);
  g_assert_cmpuint (qm_json_get_hash (slot, "nameHash"), ==, 4001);

  items_after = json_to_string (json_object_get_member (loadout (world, TITAN, 0), "items"), FALSE);
  g_assert_cmpstr (items_after, ==, items_before);
}

static void
test_loadout_clear (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autofree char *ids = NULL;
  g_autofree char *items = NULL;
  JsonObject *slot;

  g_assert_cmpint (qm_sandbox_rules_clear_loadout (world, 1, TITAN), ==, 1);

  /* Same number of slots, all empty; identifiers back to the defaults. */
  ids = loadout_ids (world, TITAN, 1);
  g_assert_cmpstr (ids, ==, "0,0,0,0,0,0,0,0,0");
  slot = loadout (world, TITAN, 1);
  items = json_to_string (json_object_get_member (slot, "items"), FALSE);
  g_assert_nonnull (strstr (items, "{\"itemInstanceId\":\"0\",\"plugItemHashes\":[]}"));
  g_assert_cmpuint (qm_json_get_hash (slot, "colorHash"), ==, 6001);
  g_assert_cmpuint (qm_json_get_hash (slot, "iconHash"), ==, 5001);
  g_assert_cmpuint (qm_json_get_hash (slot, "nameHash"), ==, 4001);

  /* Equipping an empty loadout changes nothing. */
  g_clear_pointer (&items, g_free);
  items = profile_text (world);
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 1, TITAN), ==, 1);
  g_clear_pointer (&ids, g_free);
  ids = profile_text (world);
  g_assert_cmpstr (ids, ==, items);
}

/* ------------------------------------------------------------------------
 * The profile stays in Bungie's shapes, sealed nodes included
 * ------------------------------------------------------------------------ */

static void
play_session (QmSandboxWorld *world,
              JsonArray      *results)
{
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, ID ("0201"), HASH_AUTO_RIFLE, 1, FALSE, HUNTER), ==, 1);
  g_assert_cmpint (transfer (world, "0", HASH_CORE, 12, TRUE, TITAN), ==, 1);
  g_assert_cmpint (transfer (world, "0", HASH_SHADER, 3, FALSE, TITAN), ==, 1);
  g_assert_cmpint (pull (world, ID ("0301"), HASH_HAND_CANNON, 1, TITAN), ==, 1);
  g_assert_cmpint (pull (world, "0", HASH_CORE, 5, TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_item (world, ID ("0301"), TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_items (world, equip_batch, TITAN, results), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_set_lock_state (world, ID ("0402"), HUNTER, TRUE), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_equip_loadout (world, 1, TITAN), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_snapshot_loadout (world, 2, TITAN, 6002, 5002, 4002), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_update_loadout_identifiers (world, 2, TITAN, 6003, 0, 0), ==, 1);
  g_assert_cmpint (qm_sandbox_rules_clear_loadout (world, 0, HUNTER), ==, 1);
}

static void
test_sealed_profile (void)
{
  g_autoptr(TestWorld) world = world_new (TRUE);
  g_autoptr(JsonArray) results = json_array_new ();

  /* Profiles parsed with an immutable parser (qm_json_parse_bytes) work too. */
  g_assert_true (json_node_is_immutable (world->profile));
  play_session (world, results);
  assert_equipped (world, ID ("0101"), TITAN, TRUE);
  assert_equipped (world, ID ("0301"), TITAN, FALSE);
  assert_item (world, ID ("0201"), "inventory:" HUNTER, QM_BUCKET_KINETIC, 1, 0);
}

static JsonNode *
envelope_new (JsonNode *response)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Response");
  json_builder_add_value (builder, response);
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "ThrottleSeconds");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "ErrorStatus");
  json_builder_add_string_value (builder, "Success");
  json_builder_set_member_name (builder, "Message");
  json_builder_add_string_value (builder, "Ok");
  json_builder_set_member_name (builder, "MessageData");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* One exchange line of the checker's traffic format. */
static char *
exchange_line (const char *method,
               const char *url,
               JsonNode   *request,
               JsonNode   *response)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, request != NULL ? request : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 200);
  json_builder_set_member_name (builder, "response");
  json_builder_add_value (builder, envelope_new (response));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static JsonNode *
equip_items_request (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "itemIds");
  json_builder_begin_array (builder);
  for (guint i = 0; equip_batch[i] != NULL; i++)
    json_builder_add_string_value (builder, equip_batch[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "characterId");
  json_builder_add_string_value (builder, TITAN);
  json_builder_set_member_name (builder, "membershipType");
  json_builder_add_int_value (builder, 3);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
equip_items_response (JsonArray *results)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_array_member (object, "equipResults", json_array_ref (results));
  json_node_take_object (node, object);
  return node;
}

static void
test_contract_after_session (void)
{
  g_autoptr(TestWorld) world = world_new (FALSE);
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *profile_line = NULL;
  g_autofree char *equip_line = NULL;
  g_autofree char *traffic = NULL;
  g_autofree char *output = NULL;
  gboolean ok;
  int fd;

  play_session (world, results);
  profile_line = exchange_line ("GET", "/Platform/Destiny2/3/Profile/4611686018400000001/?components=100,102,200,201,205,206,300,305",
                                NULL, json_node_ref (world->profile));
  equip_line = exchange_line ("POST", "/Platform/Destiny2/Actions/Items/EquipItems/",
                              equip_items_request (), equip_items_response (results));
  traffic = g_strdup_printf ("%s\n%s\n", profile_line, equip_line);

  fd = g_file_open_tmp ("rules-contract-XXXXXX.jsonl", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, traffic, -1, &error);
  g_assert_no_error (error);

  ok = qm_test_contract_check (path, NULL, &output);
  g_unlink (path);
  g_assert_true (ok);
  g_assert_nonnull (strstr (output, "contract: 2 checked, 0 failed"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rules/refuse/%s", refusals[i].name);

      g_test_add_data_func (path, &refusals[i], test_refusal);
    }

  g_test_add_func ("/rules/transfer/vault-round-trip", test_transfer_vault_round_trip);
  g_test_add_func ("/rules/transfer/class-item-anywhere", test_transfer_class_item_anywhere);
  g_test_add_func ("/rules/transfer/capacity-boundaries", test_transfer_capacity_boundaries);
  g_test_add_func ("/rules/transfer/stack-split-and-merge", test_transfer_stack_split_and_merge);
  g_test_add_func ("/rules/transfer/account-bucket-from-vault", test_transfer_account_bucket_from_vault);
  g_test_add_func ("/rules/transfer/account-bucket-merge-when-full", test_transfer_account_bucket_merge_when_full);
  g_test_add_func ("/rules/transfer/sparse-definitions", test_sparse_definitions);
  g_test_add_func ("/rules/pull/instanced", test_pull_instanced);
  g_test_add_func ("/rules/pull/stack-to-account-bucket", test_pull_stack_to_account_bucket);
  g_test_add_func ("/rules/pull/stack-new-slot", test_pull_stack_new_slot);
  g_test_add_func ("/rules/equip/swap", test_equip_swap);
  g_test_add_func ("/rules/equip/already-equipped", test_equip_already_equipped);
  g_test_add_func ("/rules/equip/empty-slot", test_equip_empty_slot);
  g_test_add_func ("/rules/equip/exotic-after-replacing-the-other", test_equip_exotic_after_replacing_the_other);
  g_test_add_func ("/rules/equip-items/exotics-last", test_equip_items_exotics_last);
  g_test_add_func ("/rules/equip-items/order-matters", test_equip_items_order_matters);
  g_test_add_func ("/rules/lock/state", test_lock_state);
  g_test_add_func ("/rules/loadout/equip", test_loadout_equip);
  g_test_add_func ("/rules/loadout/equip-vault-full-bucket", test_loadout_equip_vault_full_bucket);
  g_test_add_func ("/rules/loadout/equip-other-character", test_loadout_equip_other_character);
  g_test_add_func ("/rules/loadout/equip-in-activity", test_loadout_equip_in_activity);
  g_test_add_func ("/rules/loadout/snapshot", test_loadout_snapshot);
  g_test_add_func ("/rules/loadout/update-identifiers", test_loadout_update_identifiers);
  g_test_add_func ("/rules/loadout/clear", test_loadout_clear);
  g_test_add_func ("/rules/profile/sealed", test_sealed_profile);
  g_test_add_func ("/rules/profile/contract-after-session", test_contract_after_session);

  return g_test_run ();
}
