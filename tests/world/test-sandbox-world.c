/* test-sandbox-world.c: the demo account, recorded data and icons
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "qm-json.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

static const char * const equipment_buckets[] = {
  "1498876634", "2465295065", "953998645", "3448274439", "3551918588", "14239492",
  "20886954", "1585787867", "4023194814", "2025709351", "284967655", "4274335291",
  "3284755031",
};

static const char * const required_tables[] = {
  "DestinyInventoryItemDefinition", "DestinyInventoryBucketDefinition",
  "DestinyClassDefinition", "DestinyStatDefinition", "DestinyDamageTypeDefinition",
  "DestinyItemTierTypeDefinition", "DestinyVendorDefinition", "DestinyDestinationDefinition",
  "DestinyLoadoutNameDefinition", "DestinyLoadoutColorDefinition",
  "DestinyLoadoutIconDefinition", "DestinyLoadoutConstantsDefinition",
};

/* Building a world is the expensive part (every item is a JSON tree), so
 * the read-only tests share one per seed. */
static QmSandboxWorld *shared_worlds[2];

static QmSandboxWorld *
shared_world (guint64 seed)
{
  guint slot = seed == 0 ? 0 : 1;

  g_assert (seed == 0 || seed == 7);
  if (shared_worlds[slot] == NULL)
    shared_worlds[slot] = qm_sandbox_world_new_demo (seed, 0, TRUE);
  return shared_worlds[slot];
}

/* Helpers */

static char *
profile_json (QmSandboxWorld *world)
{
  return json_to_string (world->profile, FALSE);
}

static JsonObject *
item_definition (QmSandboxWorld *world,
                 JsonObject     *item)
{
  return qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition",
                                      qm_json_get_hash (item, "itemHash"));
}

static JsonArray *
component_items (QmSandboxWorld *world,
                 const char     *component,
                 const char     *character_id)
{
  JsonObject *data = qm_sandbox_world_component (world, component);

  if (character_id != NULL)
    data = qm_json_get_object (data, character_id);
  return qm_json_get_array (data, "items");
}

static GList *
character_ids (QmSandboxWorld *world)
{
  return json_object_get_members (qm_sandbox_world_component (world, "characters"));
}

/* Every DestinyItemComponent of the account, borrowed. */
static GPtrArray *
all_items (QmSandboxWorld *world)
{
  static const char * const per_character[] = { "characterEquipment", "characterInventories" };
  GPtrArray *items = g_ptr_array_new ();
  g_autoptr(GList) ids = character_ids (world);
  JsonArray *arrays[2] = {
    component_items (world, "profileInventory", NULL),
    component_items (world, "profileCurrencies", NULL),
  };

  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    for (guint i = 0; i < json_array_get_length (arrays[a]); i++)
      g_ptr_array_add (items, json_array_get_object_element (arrays[a], i));
  for (GList *l = ids; l != NULL; l = l->next)
    for (guint c = 0; c < G_N_ELEMENTS (per_character); c++)
      {
        JsonArray *array = component_items (world, per_character[c], l->data);

        for (guint i = 0; i < json_array_get_length (array); i++)
          g_ptr_array_add (items, json_array_get_object_element (array, i));
      }
  return items;
}

static gboolean
is_exotic (JsonObject *def,
           int         item_type)
{
  return qm_json_get_int (def, "itemType", -1) == item_type &&
         qm_json_get_int (qm_json_get_object (def, "inventory"), "tierType", 0) == 6;
}

static JsonObject *
owned_item_by_instance (QmSandboxWorld *world,
                        const char     *instance_id)
{
  g_autoptr(GPtrArray) items = all_items (world);

  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (qm_json_get_string (g_ptr_array_index (items, i), "itemInstanceId"), instance_id) == 0)
      return g_ptr_array_index (items, i);
  return NULL;
}

static JsonNode *
envelope (JsonNode *response)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonObject *message_data = json_object_new ();

  json_node_take_object (root, object);
  json_object_set_member (object, "Response", json_node_ref (response));
  json_object_set_int_member (object, "ErrorCode", 1);
  json_object_set_int_member (object, "ThrottleSeconds", 0);
  json_object_set_string_member (object, "ErrorStatus", "Success");
  json_object_set_string_member (object, "Message", "Ok");
  json_object_set_object_member (object, "MessageData", message_data);
  return root;
}

static void
write_envelope (const char *path,
                JsonNode   *response)
{
  g_autoptr(JsonNode) root = envelope (response);

  qm_test_write_json (NULL, path, root);
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("qm-world-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Runs the strict checker on one GET of @url answered with @response. */
static void
assert_exchange_conforms (const char *url,
                          JsonNode   *response)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "exchange.jsonl", NULL);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *output = NULL;
  JsonObject *exchange = json_object_new ();
  JsonObject *headers = json_object_new ();
  gboolean ok;

  json_node_take_object (root, exchange);
  json_object_set_string_member (exchange, "method", "GET");
  json_object_set_string_member (exchange, "url", url);
  json_object_set_string_member (headers, "X-API-Key", "k");
  json_object_set_object_member (exchange, "headers", headers);
  json_object_set_null_member (exchange, "request");
  json_object_set_int_member (exchange, "status", 200);
  json_object_set_member (exchange, "response", envelope (response));
  qm_test_write_json (NULL, path, root);
  ok = qm_test_contract_check (path, NULL, &output);
  qm_test_remove_tree (dir);
  if (!ok)
    g_test_message ("%s", output);
  g_assert_true (ok);
}

static void
assert_table_conforms (const char *table,
                       GBytes     *bytes)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "table.json", NULL);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  ok = qm_test_contract_check (path, table, &output);
  qm_test_remove_tree (dir);
  if (!ok)
    g_test_message ("%s: %s", table, output);
  g_assert_true (ok);
}

/* The demo account */

static void
test_demo_deterministic (void)
{
  QmSandboxWorld *a = shared_world (0);
  g_autoptr(QmSandboxWorld) b = qm_sandbox_world_new_demo (0, 0, TRUE);
  QmSandboxWorld *c = shared_world (7);
  g_autofree char *ja = profile_json (a);
  g_autofree char *jb = profile_json (b);
  g_autofree char *jc = profile_json (c);
  g_autoptr(GBytes) ta = qm_sandbox_world_get_table_bytes (a, "DestinyInventoryItemDefinition");
  g_autoptr(GBytes) tb = qm_sandbox_world_get_table_bytes (b, "DestinyInventoryItemDefinition");

  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
  g_assert_true (g_bytes_equal (ta, tb));
  g_assert_cmpstr (a->membership_id, ==, "4611686018400000001");
  g_assert_cmpstr (a->membership_id, !=, c->membership_id);
  g_assert_cmpint (a->membership_type, ==, 3);
  g_assert_cmpstr (a->display_name, ==, "Sandbox Guardian");
  g_assert_true (qm_json_is_id_string (a->bungie_net_id));
  g_assert_cmpstr (a->content_version, ==, "sandbox.0.0");
  g_assert_false (a->recorded);
}

static void
test_demo_characters (void)
{
  QmSandboxWorld *world = shared_world (0);
  JsonObject *characters = qm_sandbox_world_component (world, "characters");
  g_autoptr(GList) ids = character_ids (world);
  gboolean seen[3] = { FALSE, FALSE, FALSE };

  g_assert_cmpuint (g_list_length (ids), ==, 3);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonObject *character = qm_json_get_object (characters, l->data);
      int class_type = qm_json_get_int (character, "classType", -1);
      JsonObject *class_def = qm_sandbox_world_definition (world, "DestinyClassDefinition",
                                                           qm_json_get_hash (character, "classHash"));

      g_assert_cmpint (class_type, >=, 0);
      g_assert_cmpint (class_type, <=, 2);
      g_assert_false (seen[class_type]);
      seen[class_type] = TRUE;
      g_assert_nonnull (class_def);
      g_assert_cmpint (qm_json_get_int (class_def, "classType", -1), ==, class_type);
      g_assert_cmpstr (qm_json_get_string (character, "characterId"), ==, l->data);
      g_assert_true (qm_json_is_id_string (l->data));
      g_assert_cmpint (qm_json_get_int (character, "light", 0), >, 1900);
      g_assert_true (g_str_has_prefix (qm_json_get_string (character, "emblemPath"),
                                       "/common/destiny2_content/icons/"));
      g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition",
                                                     qm_json_get_hash (character, "emblemHash")));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (world->locations, l->data)), ==,
                       QM_SANDBOX_LOCATION_ORBIT);
      g_assert_true (g_hash_table_contains (world->locations, l->data));
    }
}

static void
test_demo_equipment (void)
{
  QmSandboxWorld *world = shared_world (0);
  JsonObject *instances = qm_sandbox_world_component (world, "itemComponents.instances");
  g_autoptr(GList) ids = character_ids (world);

  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonArray *equipped = component_items (world, "characterEquipment", l->data);
      g_autoptr(GHashTable) buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      int exotic_weapons = 0;
      int exotic_armor = 0;

      g_assert_cmpuint (json_array_get_length (equipped), ==, G_N_ELEMENTS (equipment_buckets));
      for (guint i = 0; i < json_array_get_length (equipped); i++)
        {
          JsonObject *item = json_array_get_object_element (equipped, i);
          JsonObject *def = item_definition (world, item);
          const char *id = qm_json_get_string (item, "itemInstanceId");

          g_assert_nonnull (def);
          g_assert_true (g_hash_table_add (buckets, g_strdup_printf ("%u", qm_json_get_hash (item, "bucketHash"))));
          g_assert_cmpint (qm_json_get_int (item, "transferStatus", 0) & 1, ==, 1);
          g_assert_true (qm_json_get_bool (qm_json_get_object (instances, id), "isEquipped", FALSE));
          g_assert_cmpuint (qm_json_get_hash (qm_json_get_object (def, "inventory"), "bucketTypeHash"), ==,
                            qm_json_get_hash (item, "bucketHash"));
          exotic_weapons += is_exotic (def, 3);
          exotic_armor += is_exotic (def, 2);
        }
      for (guint i = 0; i < G_N_ELEMENTS (equipment_buckets); i++)
        g_assert_true (g_hash_table_contains (buckets, equipment_buckets[i]));
      g_assert_cmpint (exotic_weapons, <=, 1);
      g_assert_cmpint (exotic_armor, <=, 1);
    }
}

static void
test_demo_items (void)
{
  QmSandboxWorld *world = shared_world (0);
  JsonObject *instances = qm_sandbox_world_component (world, "itemComponents.instances");
  g_autoptr(GPtrArray) items = all_items (world);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint locked = 0, masterwork = 0, stacks = 0, exotics = 0, bound = 0, unique = 0;

  g_assert_cmpuint (items->len, >, 400);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      JsonObject *def = item_definition (world, item);
      JsonObject *inventory = qm_json_get_object (def, "inventory");
      const char *id = qm_json_get_string (item, "itemInstanceId");
      int state = qm_json_get_int (item, "state", 0);

      g_assert_nonnull (def);
      g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition",
                                                     qm_json_get_hash (item, "bucketHash")));
      g_assert_cmpint (qm_json_get_bool (inventory, "isInstanceItem", FALSE), ==, id != NULL);
      if (id != NULL)
        {
          JsonObject *instance = qm_json_get_object (instances, id);

          g_assert_true (qm_json_is_id_string (id));
          g_assert_true (g_hash_table_add (seen, (gpointer) id));
          g_assert_nonnull (instance);
          g_assert_cmpint (qm_json_get_int (item, "quantity", 0), ==, 1);
          g_assert_cmpint (qm_json_get_bool (instance, "isEquipped", FALSE), ==,
                           (qm_json_get_int (item, "transferStatus", 0) & 1) != 0);
        }
      g_assert_cmpint (qm_json_get_int (item, "quantity", 0), <=, qm_json_get_int (inventory, "maxStackSize", 0));
      if (qm_json_get_bool (def, "nonTransferrable", FALSE))
        {
          g_assert_cmpint (qm_json_get_int (item, "transferStatus", 0) & 2, ==, 2);
          bound++;
        }
      locked += (state & 1) != 0;
      masterwork += (state & 4) != 0;
      stacks += qm_json_get_int (item, "quantity", 0) > 1;
      exotics += qm_json_get_int (inventory, "tierType", 0) == 6;
      unique += qm_json_get_string (inventory, "stackUniqueLabel") != NULL;
    }
  g_assert_cmpuint (locked, >, 10);
  g_assert_cmpuint (masterwork, >, 10);
  g_assert_cmpuint (stacks, >, 5);
  g_assert_cmpuint (exotics, >, 10);
  g_assert_cmpuint (bound, >, 3);
  g_assert_cmpuint (unique, >=, 2);
}

static void
test_demo_capacity (void)
{
  QmSandboxWorld *world = shared_world (0);
  JsonArray *profile_items = component_items (world, "profileInventory", NULL);
  g_autoptr(GList) ids = character_ids (world);
  guint vault = 0;
  gboolean full_bucket = FALSE;

  for (guint i = 0; i < json_array_get_length (profile_items); i++)
    {
      JsonObject *item = json_array_get_object_element (profile_items, i);

      if (qm_json_get_hash (item, "bucketHash") == QM_BUCKET_VAULT)
        {
          g_assert_cmpint (qm_json_get_int (item, "location", 0), ==, 2);
          vault++;
        }
      else
        g_assert_cmpint (qm_json_get_int (item, "location", 0), ==, 1);
    }
  g_assert_cmpuint (vault, >=, 200);
  g_assert_cmpuint (vault, <=, 400);
  g_assert_cmpuint (vault, <=, qm_json_get_int (qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition",
                                                                            QM_BUCKET_VAULT), "itemCount", 0));
  for (GList *l = ids; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
      const char *components[] = { "characterEquipment", "characterInventories" };
      GHashTableIter iter;
      gpointer key, value;

      for (guint c = 0; c < G_N_ELEMENTS (components); c++)
        {
          JsonArray *items = component_items (world, components[c], l->data);

          for (guint i = 0; i < json_array_get_length (items); i++)
            {
              guint32 bucket = qm_json_get_hash (json_array_get_object_element (items, i), "bucketHash");
              int n = GPOINTER_TO_INT (g_hash_table_lookup (counts, GUINT_TO_POINTER (bucket)));

              g_hash_table_insert (counts, GUINT_TO_POINTER (bucket), GINT_TO_POINTER (n + 1));
            }
        }
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          JsonObject *bucket = qm_sandbox_world_definition (world, "DestinyInventoryBucketDefinition",
                                                            GPOINTER_TO_UINT (key));
          int capacity = qm_json_get_int (bucket, "itemCount", 0);

          g_assert_nonnull (bucket);
          g_assert_cmpint (qm_json_get_int (bucket, "scope", -1), ==, 0);
          g_assert_cmpint (GPOINTER_TO_INT (value), <=, capacity);
          full_bucket |= GPOINTER_TO_INT (value) == capacity && capacity == 10;
        }
    }
  /* One weapon bucket is full, so moves into it need room first. */
  g_assert_true (full_bucket);
}

static void
test_demo_postmaster (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_autoptr(GList) ids = character_ids (world);
  guint characters_with_mail = 0;
  gboolean side_effects = FALSE;
  gboolean stack = FALSE;

  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonArray *items = component_items (world, "characterInventories", l->data);
      guint mail = 0;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          JsonObject *def = item_definition (world, item);

          if (qm_json_get_hash (item, "bucketHash") != QM_BUCKET_POSTMASTER)
            continue;
          g_assert_cmpint (qm_json_get_int (item, "location", 0), ==, 4);
          mail++;
          side_effects |= qm_json_get_bool (def, "doesPostmasterPullHaveSideEffects", FALSE);
          stack |= qm_json_get_int (item, "quantity", 0) > 1;
        }
      characters_with_mail += mail > 0;
    }
  g_assert_cmpuint (characters_with_mail, >=, 2);
  g_assert_true (side_effects);
  g_assert_true (stack);
}

static void
assert_loadout (QmSandboxWorld *world,
                JsonObject     *loadout,
                guint          *filled)
{
  JsonArray *items = qm_json_get_array (loadout, "items");
  int exotic_weapons = 0;
  int exotic_armor = 0;
  guint real = 0;

  g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyLoadoutNameDefinition",
                                                 qm_json_get_hash (loadout, "nameHash")));
  g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyLoadoutColorDefinition",
                                                 qm_json_get_hash (loadout, "colorHash")));
  g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyLoadoutIconDefinition",
                                                 qm_json_get_hash (loadout, "iconHash")));
  g_assert_cmpuint (json_array_get_length (items), ==, 9);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *entry = json_array_get_object_element (items, i);
      const char *id = qm_json_get_string (entry, "itemInstanceId");
      JsonObject *item;
      JsonObject *def;

      g_assert_nonnull (qm_json_get_array (entry, "plugItemHashes"));
      if (g_strcmp0 (id, "0") == 0)
        {
          g_assert_cmpuint (json_array_get_length (qm_json_get_array (entry, "plugItemHashes")), ==, 0);
          continue;
        }
      item = owned_item_by_instance (world, id);
      g_assert_nonnull (item);
      def = item_definition (world, item);
      exotic_weapons += is_exotic (def, 3);
      exotic_armor += is_exotic (def, 2);
      real++;
    }
  g_assert_cmpint (exotic_weapons, <=, 1);
  g_assert_cmpint (exotic_armor, <=, 1);
  *filled += real > 0;
}

static void
test_demo_loadouts (void)
{
  QmSandboxWorld *world = shared_world (0);
  JsonObject *loadouts = qm_sandbox_world_component (world, "characterLoadouts");
  g_autoptr(GList) ids = character_ids (world);
  guint empty = 0;

  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonArray *list = qm_json_get_array (qm_json_get_object (loadouts, l->data), "loadouts");
      guint filled = 0;

      g_assert_cmpuint (json_array_get_length (list), >=, 3);
      g_assert_cmpuint (json_array_get_length (list), <=, 4);
      for (guint i = 0; i < json_array_get_length (list); i++)
        assert_loadout (world, json_array_get_object_element (list, i), &filled);
      g_assert_cmpuint (filled, >=, 3);
      empty += json_array_get_length (list) - filled;
    }
  g_assert_cmpuint (empty, >=, 1);
}

/* The week's vendorLocationIndex picks one of his locations, whose
 * destination is defined. */
static void
assert_vendor_location (QmSandboxWorld *world,
                        JsonObject     *definition,
                        JsonObject     *vendor)
{
  JsonArray *locations = qm_json_get_array (definition, "locations");
  int index = (int) qm_json_get_int (vendor, "vendorLocationIndex", -1);
  JsonObject *location;
  JsonObject *destination;

  g_assert_nonnull (locations);
  g_assert_cmpuint (json_array_get_length (locations), >=, 2);
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (index, <, (int) json_array_get_length (locations));
  location = json_array_get_object_element (locations, index);
  destination = qm_sandbox_world_definition (world, "DestinyDestinationDefinition",
                                             qm_json_get_hash (location, "destinationHash"));
  g_assert_nonnull (destination);
  g_assert_nonnull (qm_json_get_string (qm_json_get_object (destination, "displayProperties"), "name"));
}

static void
test_demo_vendors (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_autoptr(QmSandboxWorld) absent = qm_sandbox_world_new_demo (0, 0, FALSE);
  g_autofree char *xur_key = g_strdup_printf ("%u", QM_VENDOR_XUR);
  g_autofree char *strange_key = g_strdup_printf ("%u", QM_VENDOR_XUR_STRANGE_GEAR);
  JsonNode *xur = g_hash_table_lookup (world->vendors, xur_key);
  JsonObject *response;
  JsonObject *sales;
  JsonObject *instances;
  JsonObject *def;
  JsonArray *item_list;
  g_autoptr(GList) keys = NULL;
  gboolean unaffordable = FALSE;
  gboolean owned = FALSE;

  g_assert_nonnull (xur);
  g_assert_true (g_hash_table_contains (world->vendors, strange_key));
  g_assert_false (g_hash_table_contains (absent->vendors, xur_key));
  g_assert_nonnull (qm_sandbox_world_definition (absent, "DestinyVendorDefinition", QM_VENDOR_XUR));

  response = json_node_get_object (xur);
  g_assert_cmpuint (qm_json_get_hash (qm_json_path_object (response, "vendor", "data", NULL), "vendorHash"), ==,
                    QM_VENDOR_XUR);
  sales = qm_json_path_object (response, "sales", "data", NULL);
  instances = qm_json_path_object (response, "itemComponents", "instances", "data", NULL);
  def = qm_sandbox_world_definition (world, "DestinyVendorDefinition", QM_VENDOR_XUR);
  item_list = qm_json_get_array (def, "itemList");
  assert_vendor_location (world, def, qm_json_path_object (response, "vendor", "data", NULL));
  keys = json_object_get_members (sales);
  g_assert_cmpuint (g_list_length (keys), >=, 8);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *sale = qm_json_get_object (sales, l->data);
      int index = qm_json_get_int (sale, "vendorItemIndex", -1);
      JsonObject *entry;
      JsonArray *costs = qm_json_get_array (sale, "costs");
      JsonObject *item_def = item_definition (world, sale);
      g_autofree char *expected_key = g_strdup_printf ("%d", index);

      g_assert_cmpstr (l->data, ==, expected_key);
      g_assert_cmpint (index, >=, 0);
      g_assert_cmpint (index, <, (int) json_array_get_length (item_list));
      entry = json_array_get_object_element (item_list, index);
      g_assert_cmpint (qm_json_get_int (entry, "vendorItemIndex", -1), ==, index);
      g_assert_cmpuint (qm_json_get_hash (entry, "itemHash"), ==, qm_json_get_hash (sale, "itemHash"));
      g_assert_nonnull (item_def);
      g_assert_cmpuint (json_array_get_length (costs), >, 0);
      for (guint i = 0; i < json_array_get_length (costs); i++)
        g_assert_nonnull (item_definition (world, json_array_get_object_element (costs, i)));
      if (qm_json_get_bool (qm_json_get_object (item_def, "inventory"), "isInstanceItem", FALSE))
        g_assert_nonnull (qm_json_get_object (instances, l->data));
      unaffordable |= (qm_json_get_int (sale, "saleStatus", 0) & 2) != 0;
      owned |= (qm_json_get_int (sale, "augments", 0) & 128) != 0;
    }
  g_assert_true (unaffordable);
  g_assert_true (owned);
}

static void
test_demo_owned_sale (void)
{
  QmSandboxWorld *world = shared_world (7);
  g_autofree char *xur_key = g_strdup_printf ("%u", QM_VENDOR_XUR);
  JsonObject *sales = qm_json_path_object (json_node_get_object (g_hash_table_lookup (world->vendors, xur_key)),
                                           "sales", "data", NULL);
  g_autoptr(GPtrArray) items = all_items (world);
  g_autoptr(GList) keys = json_object_get_members (sales);
  gboolean found = FALSE;

  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *sale = qm_json_get_object (sales, l->data);

      if ((qm_json_get_int (sale, "augments", 0) & 128) == 0)
        continue;
      for (guint i = 0; i < items->len; i++)
        found |= qm_json_get_hash (g_ptr_array_index (items, i), "itemHash") == qm_json_get_hash (sale, "itemHash");
    }
  g_assert_true (found);
}

static void
test_demo_accessors (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_auto(GStrv) tables = qm_sandbox_world_dup_table_names (world);
  g_autoptr(GBytes) again = NULL;
  GBytes *bytes;

  for (guint i = 0; i < G_N_ELEMENTS (required_tables); i++)
    g_assert_true (g_strv_contains ((const char * const *) tables, required_tables[i]));
  for (guint i = 1; tables[i] != NULL; i++)
    g_assert_cmpint (strcmp (tables[i - 1], tables[i]), <, 0);
  g_assert_nonnull (qm_sandbox_world_component (world, "profileInventory"));
  g_assert_nonnull (qm_sandbox_world_component (world, "itemComponents.sockets"));
  g_assert_null (qm_sandbox_world_component (world, "nothingHere"));
  g_assert_null (qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition", 1));
  g_assert_null (qm_sandbox_world_definition (world, "NoSuchTable", QM_BUCKET_VAULT));
  g_assert_null (qm_sandbox_world_get_table_bytes (world, "NoSuchTable"));
  bytes = qm_sandbox_world_get_table_bytes (world, "DestinyClassDefinition");
  again = qm_sandbox_world_get_table_bytes (world, "DestinyClassDefinition");
  g_assert_true (bytes == again);
  g_bytes_unref (bytes);
}

/* Contracts */

static void
test_contract_definitions (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_auto(GStrv) tables = qm_sandbox_world_dup_table_names (world);

  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, tables[i]);

      assert_table_conforms (tables[i], bytes);
    }
}

static void
test_contract_profile (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_autofree char *url = g_strdup_printf ("/Platform/Destiny2/3/Profile/%s/", world->membership_id);

  assert_exchange_conforms (url, world->profile);
}

static void
test_contract_memberships (void)
{
  QmSandboxWorld *world = shared_world (0);

  assert_exchange_conforms ("/Platform/User/GetMembershipsForCurrentUser/", world->memberships);
}

static void
test_contract_vendors (void)
{
  QmSandboxWorld *world = shared_world (0);
  g_autoptr(GList) ids = character_ids (world);
  const guint32 vendors[] = { QM_VENDOR_XUR, QM_VENDOR_XUR_STRANGE_GEAR };

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", vendors[i]);
      g_autofree char *url = g_strdup_printf ("/Platform/Destiny2/3/Profile/%s/Character/%s/Vendors/%u/",
                                              world->membership_id, (char *) ids->data, vendors[i]);

      assert_exchange_conforms (url, g_hash_table_lookup (world->vendors, key));
    }
}

/* Grown item tables */

static guint
count_occurrences (GBytes     *bytes,
                   const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *end = data + size;
  gsize length = strlen (needle);
  guint count = 0;

  for (const char *p = data; (p = g_strstr_len (p, end - p, needle)) != NULL; p += length)
    count++;
  return count;
}

static void
test_items_grown (void)
{
  g_autoptr(QmSandboxWorld) world = qm_sandbox_world_new_demo (0, 500, TRUE);
  g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, "DestinyInventoryItemDefinition");
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "table.json", NULL);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_cmpstr (world->content_version, ==, "sandbox.0.500");
  g_assert_cmpuint (count_occurrences (bytes, "\"redacted\":false}"), ==, 500);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 500 * 2500);
  /* The account's own entries are served, and stay in the definitions the rules read. */
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                  "\"3159615086\":{\"displayProperties\""));
  g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition", QM_ITEM_GLIMMER));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (g_hash_table_lookup (world->definitions,
                                                                                     "DestinyInventoryItemDefinition"))),
                    <, 500);

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  ok = qm_test_contract_check (path, "DestinyInventoryItemDefinition", &output);
  g_assert_true (ok);
  /* The checker parsed the table and checked every entry. */
  g_assert_nonnull (strstr (output, "contract: 500 checked, 0 failed"));
  qm_test_remove_tree (dir);
}

static void
test_items_grown_large (void)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(QmSandboxWorld) world = qm_sandbox_world_new_demo (0, 30000, TRUE);
  g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, "DestinyInventoryItemDefinition");
  double seconds = (g_get_monotonic_time () - start) / 1e6;
  const char *data = g_bytes_get_data (bytes, NULL);
  gsize size = g_bytes_get_size (bytes);

  g_test_message ("30000 definitions: %" G_GSIZE_FORMAT " bytes in %.2f s", size, seconds);
  g_assert_cmpuint (size, >=, 95u * 1000 * 1000);
  g_assert_cmpint (data[0], ==, '{');
  g_assert_cmpint (data[size - 1], ==, '}');
  g_assert_cmpuint (count_occurrences (bytes, "\"redacted\":false}"), ==, 30000);
}

/* Recorded data */

static void
write_definitions (QmSandboxWorld *world,
                   const char     *dir)
{
  g_autofree char *def_dir = g_build_filename (dir, "definitions", NULL);
  g_auto(GStrv) tables = qm_sandbox_world_dup_table_names (world);

  g_assert_cmpint (g_mkdir (def_dir, 0700), ==, 0);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autoptr(GBytes) bytes = qm_sandbox_world_get_table_bytes (world, tables[i]);
      g_autofree char *name = g_strconcat (tables[i], ".json", NULL);
      g_autofree char *path = g_build_filename (def_dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
    }
}

static void
write_demo_dir (QmSandboxWorld *world,
                const char     *dir)
{
  g_autofree char *profile = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *memberships = g_build_filename (dir, "memberships.json", NULL);
  g_autofree char *vendor_dir = g_build_filename (dir, "vendors", NULL);
  GHashTableIter iter;
  gpointer key, value;

  write_envelope (profile, world->profile);
  write_envelope (memberships, world->memberships);
  write_definitions (world, dir);
  g_assert_cmpint (g_mkdir (vendor_dir, 0700), ==, 0);
  g_hash_table_iter_init (&iter, world->vendors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *name = g_strconcat (key, ".json", NULL);
      g_autofree char *path = g_build_filename (vendor_dir, name, NULL);

      write_envelope (path, value);
    }
}

static void
assert_same_vendors (QmSandboxWorld *a,
                     QmSandboxWorld *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a->vendors), ==, g_hash_table_size (b->vendors));
  g_hash_table_iter_init (&iter, a->vendors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonNode *other = g_hash_table_lookup (b->vendors, key);

      g_assert_nonnull (other);
      g_assert_true (json_node_equal (value, other));
    }
}

static void
test_from_dir_roundtrip (void)
{
  QmSandboxWorld *demo = shared_world (7);
  g_autoptr(QmSandboxWorld) loaded = NULL;
  g_autofree char *dir = temp_dir ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tables = NULL;

  write_demo_dir (demo, dir);
  loaded = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_true (loaded->recorded);
  g_assert_true (json_node_equal (demo->profile, loaded->profile));
  g_assert_true (json_node_equal (demo->memberships, loaded->memberships));
  assert_same_vendors (demo, loaded);
  g_assert_cmpstr (loaded->membership_id, ==, demo->membership_id);
  g_assert_cmpint (loaded->membership_type, ==, demo->membership_type);
  g_assert_cmpstr (loaded->display_name, ==, demo->display_name);
  g_assert_cmpstr (loaded->bungie_net_id, ==, demo->bungie_net_id);
  g_assert_cmpuint (g_hash_table_size (loaded->locations), ==, 3);
  g_assert_true (g_str_has_prefix (loaded->content_version, "recorded."));
  tables = qm_sandbox_world_dup_table_names (demo);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_autoptr(GBytes) a = qm_sandbox_world_get_table_bytes (demo, tables[i]);
      g_autoptr(GBytes) b = qm_sandbox_world_get_table_bytes (loaded, tables[i]);

      g_assert_nonnull (b);
      g_assert_true (g_bytes_equal (a, b));
      g_assert_true (json_node_equal (g_hash_table_lookup (demo->definitions, tables[i]),
                                      g_hash_table_lookup (loaded->definitions, tables[i])));
    }
  g_assert_nonnull (qm_sandbox_world_definition (loaded, "DestinyInventoryBucketDefinition", QM_BUCKET_VAULT));
  qm_test_remove_tree (dir);
}

static const char sparse_profile[] =
  "{\"Response\":{"
  "\"responseMintedTimestamp\":\"2026-11-21T18:05:00.000Z\","
  "\"profileInventory\":{\"privacy\":2},"
  "\"profile\":{\"data\":{\"userInfo\":{\"membershipType\":2,\"membershipId\":\"4611686018499999999\","
  "\"displayName\":\"Recorded\",\"isPublic\":false,\"crossSaveOverride\":0,\"applicableMembershipTypes\":[2]},"
  "\"characterIds\":[\"2305843009400000001\",\"2305843009400000002\"],\"dateLastPlayed\":\"2026-11-20T10:00:00Z\"},"
  "\"privacy\":1},"
  "\"characters\":{\"data\":{\"2305843009400000001\":{\"membershipId\":\"4611686018499999999\","
  "\"membershipType\":2,\"characterId\":\"2305843009400000001\",\"light\":2000,\"classType\":1,"
  "\"minutesPlayedTotal\":\"1234\"}},\"privacy\":1},"
  "\"characterInventories\":{\"data\":{\"2305843009400000001\":{\"items\":[{\"itemHash\":3628991658,"
  "\"itemInstanceId\":\"6917529200000000001\",\"quantity\":1,\"bindStatus\":0,\"location\":1,"
  "\"bucketHash\":1498876634,\"transferStatus\":0,\"lockable\":true,\"state\":1}]}},\"privacy\":2}"
  "},\"ErrorCode\":1,\"ThrottleSeconds\":0,\"ErrorStatus\":\"Success\",\"Message\":\"Ok\",\"MessageData\":{}}";

/* The GetVendors response Bungie would send for the demo's vendors. */
static JsonNode *
build_get_vendors (QmSandboxWorld *world)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *response = json_object_new ();
  const char *wrappers[] = { "vendors", "categories", "sales" };
  const char *members[] = { "vendor", "categories", "sales" };
  JsonObject *data[3];
  JsonObject *components = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  json_node_take_object (root, response);
  for (guint w = 0; w < G_N_ELEMENTS (wrappers); w++)
    {
      JsonObject *wrapper = json_object_new ();

      data[w] = json_object_new ();
      json_object_set_object_member (wrapper, "data", data[w]);
      json_object_set_int_member (wrapper, "privacy", 1);
      json_object_set_object_member (response, wrappers[w], wrapper);
    }
  json_object_set_object_member (response, "itemComponents", components);
  g_hash_table_iter_init (&iter, world->vendors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *vendor = json_node_get_object (value);

      for (guint w = 0; w < G_N_ELEMENTS (members); w++)
        {
          JsonObject *entry = qm_json_path_object (vendor, members[w], "data", NULL);

          if (w == 2)
            {
              JsonObject *set = json_object_new ();

              json_object_set_object_member (set, "saleItems", json_object_ref (entry));
              entry = set;
            }
          else
            json_object_ref (entry);
          json_object_set_object_member (data[w], key, entry);
        }
      json_object_set_object_member (components, key,
                                     json_object_ref (json_object_get_object_member (vendor, "itemComponents")));
    }
  return root;
}

static void
test_from_dir_get_vendors (void)
{
  QmSandboxWorld *demo = shared_world (0);
  g_autoptr(QmSandboxWorld) loaded = NULL;
  g_autoptr(JsonNode) vendors = build_get_vendors (demo);
  g_autofree char *dir = temp_dir ();
  g_autofree char *vendors_path = g_build_filename (dir, "vendors.json", NULL);
  g_autofree char *profile_path = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GList) ids = character_ids (demo);
  g_autoptr(GError) error = NULL;

  url = g_strdup_printf ("/Platform/Destiny2/3/Profile/%s/Character/%s/Vendors/",
                         demo->membership_id, (char *) ids->data);
  assert_exchange_conforms (url, vendors);
  g_file_set_contents (profile_path, sparse_profile, -1, &error);
  g_assert_no_error (error);
  write_envelope (vendors_path, vendors);
  loaded = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  assert_same_vendors (demo, loaded);
  qm_test_remove_tree (dir);
}

static void
test_from_dir_sparse (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *def_dir = g_build_filename (dir, "definitions", NULL);
  g_autofree char *class_path = g_build_filename (def_dir, "DestinyClassDefinition.json", NULL);
  g_autoptr(QmSandboxWorld) world = NULL;
  g_autoptr(QmSandboxWorld) changed = NULL;
  g_autoptr(QmSandboxWorld) empty = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *cards;
  JsonObject *loadouts;

  g_file_set_contents (path, sparse_profile, -1, &error);
  g_assert_no_error (error);
  empty = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (def_dir, 0700), ==, 0);
  g_file_set_contents (class_path, "{\"3655393761\":{\"classType\":0,\"hash\":3655393761}}", -1, &error);
  g_assert_no_error (error);
  world = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (world->membership_id, ==, "4611686018499999999");
  g_assert_cmpint (world->membership_type, ==, 2);
  g_assert_cmpstr (world->display_name, ==, "Recorded");
  g_assert_true (g_str_has_prefix (world->content_version, "recorded."));
  /* Missing and privacy-only components become empty ones. */
  g_assert_cmpuint (json_array_get_length (component_items (world, "profileInventory", NULL)), ==, 0);
  g_assert_cmpuint (json_array_get_length (component_items (world, "profileCurrencies", NULL)), ==, 0);
  g_assert_cmpuint (json_array_get_length (component_items (world, "characterInventories",
                                                            "2305843009400000001")), ==, 1);
  g_assert_cmpuint (json_array_get_length (component_items (world, "characterEquipment",
                                                            "2305843009400000002")), ==, 0);
  loadouts = qm_sandbox_world_component (world, "characterLoadouts");
  g_assert_nonnull (qm_json_get_array (qm_json_get_object (loadouts, "2305843009400000001"), "loadouts"));
  g_assert_nonnull (qm_sandbox_world_component (world, "itemComponents.instances"));
  g_assert_cmpuint (g_hash_table_size (world->locations), ==, 2);
  g_assert_cmpuint (g_hash_table_size (world->vendors), ==, 0);
  g_assert_null (qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition", 3628991658u));
  /* The memberships come from the profile's userInfo. */
  cards = qm_json_get_array (json_node_get_object (world->memberships), "destinyMemberships");
  g_assert_cmpuint (json_array_get_length (cards), ==, 1);
  g_assert_cmpstr (qm_json_get_string (json_array_get_object_element (cards, 0), "membershipId"), ==,
                   "4611686018499999999");
  assert_exchange_conforms ("/Platform/User/GetMembershipsForCurrentUser/", world->memberships);
  assert_exchange_conforms ("/Platform/Destiny2/2/Profile/4611686018499999999/", world->profile);

  /* Definitions are served as recorded; changing them changes the content version. */
  g_assert_nonnull (qm_sandbox_world_definition (world, "DestinyClassDefinition", 3655393761u));
  g_assert_cmpstr (world->content_version, !=, empty->content_version);
  g_file_set_contents (class_path, "{}", -1, &error);
  g_assert_no_error (error);
  changed = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->content_version, !=, world->content_version);
  g_assert_null (qm_sandbox_world_definition (changed, "DestinyClassDefinition", 3655393761u));
  qm_test_remove_tree (dir);
}

/* DIM's recordings ask for 102, 103, 200, 201, 205, 300, 305 and 310 only:
 * no component 100, so no userInfo. */
static const char profile_without_100[] =
  "{\"Response\":{"
  "\"responseMintedTimestamp\":\"2026-11-21T18:05:00.000Z\","
  "\"profileInventory\":{\"data\":{\"items\":[]},\"privacy\":2},"
  "\"characters\":{\"data\":{\"2305843009400000007\":{\"membershipId\":\"4611686018499999977\","
  "\"membershipType\":1,\"characterId\":\"2305843009400000007\",\"light\":2000,\"classType\":2,"
  "\"minutesPlayedTotal\":\"1234\"}},\"privacy\":1}"
  "},\"ErrorCode\":1,\"ThrottleSeconds\":0,\"ErrorStatus\":\"Success\",\"Message\":\"Ok\",\"MessageData\":{}}";

static void
test_from_dir_without_profile_component (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(QmSandboxWorld) world = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data;
  JsonArray *cards;
  JsonObject *card;

  g_file_set_contents (path, profile_without_100, -1, &error);
  g_assert_no_error (error);
  world = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_no_error (error);
  /* The identity comes from the characters (200). */
  g_assert_cmpstr (world->membership_id, ==, "4611686018499999977");
  g_assert_cmpint (world->membership_type, ==, 1);
  /* And so does the membership card GetMembershipsForCurrentUser serves. */
  data = json_node_get_object (world->memberships);
  g_assert_cmpstr (qm_json_get_string (data, "primaryMembershipId"), ==, "4611686018499999977");
  cards = qm_json_get_array (data, "destinyMemberships");
  g_assert_cmpuint (json_array_get_length (cards), ==, 1);
  card = json_array_get_object_element (cards, 0);
  g_assert_cmpstr (qm_json_get_string (card, "membershipId"), ==, "4611686018499999977");
  g_assert_cmpint (qm_json_get_int (card, "membershipType", 0), ==, 1);
  g_assert_nonnull (qm_json_get_string (card, "displayName"));
  assert_exchange_conforms ("/Platform/User/GetMembershipsForCurrentUser/", world->memberships);
  qm_test_remove_tree (dir);
}

static void
assert_load_fails (const char *dir,
                   const char *profile_text)
{
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(QmSandboxWorld) world = NULL;
  g_autoptr(GError) error = NULL;

  if (profile_text != NULL)
    {
      g_file_set_contents (path, profile_text, -1, &error);
      g_assert_no_error (error);
    }
  world = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_null (world);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
}

/* Write @text as @name in @dir (a fresh directory with the sparse profile)
 * and check the load names the file and the shape it should have. */
static void
assert_wrong_shape (const char *name,
                    const char *text,
                    const char *expected)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *profile = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(QmSandboxWorld) world = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (name, "profile.json"))
    {
      g_file_set_contents (profile, sparse_profile, -1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  world = qm_sandbox_world_new_from_dir (dir, &error);
  g_assert_null (world);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, expected));
  qm_test_remove_tree (dir);
}

static void
test_from_dir_wrong_shapes (void)
{
  /* A GetVendor answer where the GetVendors answer goes. */
  assert_wrong_shape ("vendors.json",
                      "{\"Response\":{\"vendor\":{\"data\":{\"vendorHash\":2190858386,\"enabled\":true},"
                      "\"privacy\":1},\"sales\":{\"data\":{},\"privacy\":1}},\"ErrorCode\":1}",
                      "is a GetVendor answer, not a GetVendors answer");
  /* A GetLinkedProfiles answer as memberships. */
  assert_wrong_shape ("memberships.json",
                      "{\"Response\":{\"profiles\":[{\"membershipId\":\"4611686018499999999\","
                      "\"membershipType\":2}],\"bnetMembership\":{\"membershipId\":\"20000001\","
                      "\"membershipType\":254},\"profilesWithErrors\":[]},\"ErrorCode\":1}",
                      "is a GetLinkedProfiles answer, not a GetMembershipsForCurrentUser answer");
  /* A Destiny 1 vendor emptied into a Response. */
  assert_wrong_shape ("vendors/2190858386.json", "{\"Response\":{},\"ErrorCode\":1}",
                      "is an empty Response, not a Destiny 2 GetVendor answer");
  assert_wrong_shape ("vendors/2190858386.json",
                      "{\"Response\":{\"data\":{\"vendorHash\":2796397637,\"saleItemCategories\":[]}},"
                      "\"ErrorCode\":1}",
                      "not a Destiny 2 GetVendor answer");
  /* And a vendor answer as the profile. */
  assert_wrong_shape ("profile.json",
                      "{\"Response\":{\"vendor\":{\"data\":{\"vendorHash\":2190858386},\"privacy\":1}},"
                      "\"ErrorCode\":1}",
                      "is a GetVendor answer, not a GetProfile answer");
}

static void
test_from_dir_errors (void)
{
  g_autofree char *dir = temp_dir ();

  assert_load_fails (dir, NULL);
  assert_load_fails (dir, "not json at all");
  assert_load_fails (dir, "{\"profile\":{\"data\":{}}}");
  assert_load_fails (dir, "{\"Response\":42,\"ErrorCode\":1}");
  assert_load_fails (dir, "{\"Response\":{},\"ErrorCode\":1}");
  qm_test_remove_tree (dir);
}

/* Icons */

static void
test_png (void)
{
  g_autoptr(GBytes) a = qm_sandbox_world_draw_icon ("0a1b2c3d4e5f");
  g_autoptr(GBytes) b = qm_sandbox_world_draw_icon ("0a1b2c3d4e5f");
  g_autoptr(GBytes) c = qm_sandbox_world_draw_icon ("another-icon");
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "icon.png", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *script =
    "import struct, sys, zlib\n"
    "d = open(sys.argv[1], 'rb').read()\n"
    "assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'\n"
    "pos, idat, types = 8, b'', []\n"
    "while pos < len(d):\n"
    "    n, = struct.unpack('>I', d[pos:pos + 4])\n"
    "    t, body = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + n]\n"
    "    crc, = struct.unpack('>I', d[pos + 8 + n:pos + 12 + n])\n"
    "    assert zlib.crc32(t + body) & 0xffffffff == crc, t\n"
    "    types.append(t)\n"
    "    if t == b'IHDR': w, h, depth, colour = struct.unpack('>IIBB', body[:10])\n"
    "    if t == b'IDAT': idat += body\n"
    "    pos += 12 + n\n"
    "assert types[0] == b'IHDR' and types[-1] == b'IEND'\n"
    "raw = zlib.decompress(idat)\n"
    "assert len(raw) == h * (1 + w * 4)\n"
    "rows = [raw[y * (1 + w * 4):(y + 1) * (1 + w * 4)] for y in range(h)]\n"
    "assert all(r[0] == 0 for r in rows)\n"
    "colours = {rows[y][1 + x * 4:5 + x * 4] for y in range(h) for x in range(w)}\n"
    "print(w, h, depth, colour, len(colours))\n";
  const char *argv[] = { python, "-c", script, path, NULL };

  g_assert_true (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));
  g_assert_cmpuint (g_bytes_get_size (a), >, 57);
  g_assert_cmpmem (g_bytes_get_data (a, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  if (python == NULL)
    {
      qm_test_remove_tree (dir);
      g_test_skip ("python3 is not installed");
      return;
    }
  g_file_set_contents (path, g_bytes_get_data (a, NULL), g_bytes_get_size (a), &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* 96x96, 8-bit RGBA, with a border, a tile, stripes and a glyph. */
  g_assert_true (g_str_has_prefix (out, "96 96 8 6 "));
  g_assert_cmpint (g_ascii_strtoll (out + strlen ("96 96 8 6 "), NULL, 10), >=, 3);
  qm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  qm_test_init (&argc, &argv);

  g_test_add_func ("/world/demo/deterministic", test_demo_deterministic);
  g_test_add_func ("/world/demo/characters", test_demo_characters);
  g_test_add_func ("/world/demo/equipment", test_demo_equipment);
  g_test_add_func ("/world/demo/items", test_demo_items);
  g_test_add_func ("/world/demo/capacity", test_demo_capacity);
  g_test_add_func ("/world/demo/postmaster", test_demo_postmaster);
  g_test_add_func ("/world/demo/loadouts", test_demo_loadouts);
  g_test_add_func ("/world/demo/vendors", test_demo_vendors);
  g_test_add_func ("/world/demo/owned-sale", test_demo_owned_sale);
  g_test_add_func ("/world/demo/accessors", test_demo_accessors);
  g_test_add_func ("/world/contract/definitions", test_contract_definitions);
  g_test_add_func ("/world/contract/profile", test_contract_profile);
  g_test_add_func ("/world/contract/memberships", test_contract_memberships);
  g_test_add_func ("/world/contract/vendors", test_contract_vendors);
  g_test_add_func ("/world/items/grown", test_items_grown);
  g_test_add_func ("/world/items/grown-large", test_items_grown_large);
  g_test_add_func ("/world/from-dir/roundtrip", test_from_dir_roundtrip);
  g_test_add_func ("/world/from-dir/get-vendors", test_from_dir_get_vendors);
  g_test_add_func ("/world/from-dir/sparse", test_from_dir_sparse);
  g_test_add_func ("/world/from-dir/without-profile-component", test_from_dir_without_profile_component);
  g_test_add_func ("/world/from-dir/wrong-shapes", test_from_dir_wrong_shapes);
  g_test_add_func ("/world/from-dir/errors", test_from_dir_errors);
  g_test_add_func ("/world/png", test_png);

  status = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (shared_worlds); i++)
    g_clear_pointer (&shared_worlds[i], qm_sandbox_world_free);
  return status;
}
