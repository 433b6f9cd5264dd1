/* qm-sandbox-rules.c: the game's rules, applied to the sandbox world
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each action first validates everything it needs (item, character,
 * definitions, room at the destination) and only then edits the profile, so
 * an action that fails leaves the world exactly as it was.
 *
 * Where items live in a DestinyProfileResponse:
 *   characterEquipment.data[c].items     equipped items
 *   characterInventories.data[c].items   inventory, and the postmaster bucket
 *   profileInventory.data.items          the vault bucket, and account-wide
 *                                        buckets (consumables, modifications)
 * Stacks of uninstanced items have no itemInstanceId; a request names them
 * with itemId "0" plus itemReferenceHash and stackSize.
 */

#define G_LOG_DOMAIN "qm-sandbox-rules"

#include "config.h"

#include <string.h>

#include "qm-sandbox-rules.h"

#include "qm-error.h"
#include "qm-json.h"

/* PlatformErrorCodes the rules answer that qm-error.h does not name. */
#define DESTINY_INTERNAL_ERROR        1626
#define DESTINY_ITEM_BUCKET_NOT_FOUND 1629

#define SUCCESS                       QM_PLATFORM_ERROR_SUCCESS
#define INVALID_PARAMETERS            QM_PLATFORM_ERROR_INVALID_PARAMETERS
#define ITEM_NOT_FOUND                QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND
#define CHARACTER_NOT_FOUND           QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND

#define ITEM_STATE_LOCKED          1
#define TRANSFER_EQUIPPED          1
#define TRANSFER_NOT_TRANSFERRABLE 2
#define TIER_EXOTIC                6
#define CLASS_ANY                  3
#define SCOPE_ACCOUNT              1
#define LOCATION_INVENTORY         1
#define LOCATION_VAULT             2

#define ITEM_TABLE     "DestinyInventoryItemDefinition"
#define BUCKET_TABLE   "DestinyInventoryBucketDefinition"
#define LOADOUT_TABLE  "DestinyLoadoutConstantsDefinition"

/* Where an item sits. Masks of these select the places an action looks in. */
typedef enum
{
  PLACE_EQUIPPED   = 1 << 0,
  PLACE_INVENTORY  = 1 << 1,
  PLACE_POSTMASTER = 1 << 2,
  PLACE_VAULT      = 1 << 3,
  PLACE_ACCOUNT    = 1 << 4,
} Place;

#define PLACES_CHARACTER (PLACE_EQUIPPED | PLACE_INVENTORY | PLACE_POSTMASTER)
#define PLACES_PROFILE   (PLACE_VAULT | PLACE_ACCOUNT)

/* An item found in the profile: the array that holds it and its position. */
typedef struct
{
  Place       place;
  const char *character_id;   /* NULL for items of profileInventory */
  JsonArray  *array;
  guint       index;
  JsonObject *item;
} ItemRef;

typedef gboolean (*ItemVisitor) (const ItemRef *ref,
                                 gpointer       user_data);

/* Where a transfer or a pull puts what it moves. */
typedef struct
{
  JsonArray  *array;
  const char *character_id;   /* NULL for buckets of profileInventory */
  guint32     bucket_hash;
  int         location;
} Destination;

/* A validated move: the source items, the amount and where it goes. */
typedef struct
{
  GArray      *sources;       /* ItemRef in profile order */
  gint64       available;
  int          amount;
  gboolean     instanced;
  JsonObject  *definition;     /* nullable: recorded data may lack it */
  int          max_stack;
  JsonObject  *stack_template; /* owned copy of a source stack */
  Destination  dest;
} Move;

/* The equipped slots a loadout snapshot records, in the order it keeps them. */
static const guint32 snapshot_buckets[] = {
  QM_BUCKET_KINETIC, QM_BUCKET_ENERGY, QM_BUCKET_POWER,
  QM_BUCKET_HELMET, QM_BUCKET_GAUNTLETS, QM_BUCKET_CHEST, QM_BUCKET_LEGS,
  QM_BUCKET_CLASS_ARMOR, QM_BUCKET_SUBCLASS,
};

/* ------------------------------------------------------------------------
 * Profile and definition lookups
 * ------------------------------------------------------------------------ */

/* The object at @index, or NULL when that element is not an object. */
static JsonObject *
array_object (JsonArray *array,
              guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
profile_root (QmSandboxWorld *world)
{
  g_assert (world != NULL);

  if (world->profile == NULL || !JSON_NODE_HOLDS_OBJECT (world->profile))
    return NULL;
  return json_node_get_object (world->profile);
}

static JsonObject *
component_data (QmSandboxWorld *world,
                const char     *name)
{
  return qm_json_path_object (profile_root (world), name, "data", NULL);
}

static JsonObject *
lookup_definition (QmSandboxWorld *world,
                   const char     *table,
                   guint32         hash)
{
  JsonNode *node;
  char key[16];

  if (world->definitions == NULL)
    return NULL;
  node = g_hash_table_lookup (world->definitions, table);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  g_snprintf (key, sizeof key, "%u", hash);
  return qm_json_get_object (json_node_get_object (node), key);
}

static JsonObject *
item_definition (QmSandboxWorld *world,
                 JsonObject     *item)
{
  return lookup_definition (world, ITEM_TABLE, qm_json_get_hash (item, "itemHash"));
}

static JsonObject *
definition_block (JsonObject *definition,
                  const char *block)
{
  return qm_json_get_object (definition, block);
}

static const char *
definition_label (JsonObject *definition,
                  const char *block,
                  const char *member)
{
  const char *label = qm_json_get_string (definition_block (definition, block), member);

  return label != NULL && *label != '\0' ? label : NULL;
}

static int
definition_max_stack (JsonObject *definition)
{
  gint64 max = qm_json_get_int (definition_block (definition, "inventory"), "maxStackSize", 1);

  return (int) CLAMP (max, 1, G_MAXINT / 2);
}

static gboolean
definition_is_exotic (JsonObject *definition)
{
  return qm_json_get_int (definition_block (definition, "inventory"), "tierType", 0) == TIER_EXOTIC;
}

static JsonObject *
character_object (QmSandboxWorld *world,
                  const char     *character_id)
{
  return qm_json_get_object (component_data (world, "characters"), character_id);
}

static JsonArray *
character_items (QmSandboxWorld *world,
                 const char     *component,
                 const char     *character_id)
{
  return qm_json_get_array (qm_json_get_object (component_data (world, component), character_id),
                            "items");
}

static JsonArray *
profile_items (QmSandboxWorld *world)
{
  return qm_json_get_array (component_data (world, "profileInventory"), "items");
}

/* itemComponents.<component>.data[item_id] */
static JsonObject *
instance_component (QmSandboxWorld *world,
                    const char     *component,
                    const char     *item_id)
{
  JsonObject *data = qm_json_path_object (profile_root (world), "itemComponents", component, "data", NULL);

  return qm_json_get_object (data, item_id);
}

static int
bucket_capacity (QmSandboxWorld *world,
                 guint32         bucket_hash)
{
  JsonObject *bucket = lookup_definition (world, BUCKET_TABLE, bucket_hash);

  /* A bucket the content does not describe has no known limit. */
  if (bucket == NULL)
    return G_MAXINT;
  return (int) CLAMP (qm_json_get_int (bucket, "itemCount", 0), 0, G_MAXINT);
}

static gboolean
bucket_is_account_wide (QmSandboxWorld *world,
                        guint32         bucket_hash)
{
  JsonObject *bucket = lookup_definition (world, BUCKET_TABLE, bucket_hash);

  /* Without the bucket's definition: the two account-wide buckets an
   * inventory holds (bungie-api.md §2: consumables and modifications live in
   * profileInventory). */
  if (bucket == NULL)
    return bucket_hash == QM_BUCKET_CONSUMABLES || bucket_hash == QM_BUCKET_MODIFICATIONS;
  return qm_json_get_int (bucket, "scope", 0) == SCOPE_ACCOUNT;
}

/* ------------------------------------------------------------------------
 * Item helpers
 * ------------------------------------------------------------------------ */

static gboolean
is_instance_id (const char *item_id)
{
  return item_id != NULL && qm_json_is_id_string (item_id) && g_ascii_strtoll (item_id, NULL, 10) != 0;
}

static gboolean
item_is_instanced (JsonObject *item)
{
  g_autofree char *id = qm_json_dup_id (item, "itemInstanceId");

  return is_instance_id (id);
}

static gboolean
item_has_id (JsonObject *item,
             const char *item_id)
{
  g_autofree char *id = qm_json_dup_id (item, "itemInstanceId");

  return id != NULL && strcmp (id, item_id) == 0;
}

static int
item_quantity (JsonObject *item)
{
  return (int) CLAMP (qm_json_get_int (item, "quantity", 1), 0, G_MAXINT / 2);
}

static gboolean
item_in_bucket (JsonObject *item,
                guint32     bucket_hash)
{
  return qm_json_get_hash (item, "bucketHash") == bucket_hash;
}

static void
set_transfer_status (JsonObject *item,
                     gboolean    equipped)
{
  gint64 status = qm_json_get_int (item, "transferStatus", 0) & ~TRANSFER_EQUIPPED;

  json_object_set_int_member (item, "transferStatus", equipped ? status | TRANSFER_EQUIPPED : status);
}

static void
set_equipped (QmSandboxWorld *world,
              JsonObject     *item,
              gboolean        equipped)
{
  g_autofree char *id = qm_json_dup_id (item, "itemInstanceId");
  JsonObject *instance = id != NULL ? instance_component (world, "instances", id) : NULL;

  set_transfer_status (item, equipped);
  if (instance != NULL)
    json_object_set_boolean_member (instance, "isEquipped", equipped);
}

static void
place_item (JsonObject        *item,
            const Destination *dest)
{
  json_object_set_int_member (item, "bucketHash", dest->bucket_hash);
  json_object_set_int_member (item, "location", dest->location);
  set_transfer_status (item, FALSE);
}

static JsonNode *
node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (object, name, node_deep_copy (member));
      copy = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      JsonArray *array = json_array_sized_new (json_array_get_length (source));

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (array, node_deep_copy (json_array_get_element (source, i)));
      copy = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
    }
  else
    {
      copy = json_node_copy (node);
    }

  return copy;
}

static JsonObject *
object_deep_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = node_deep_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

/* JsonArray has no insert: rebuild the tail after @index around @node
 * (takes ownership of @node). Keeps the slot order Bungie sends. */
static void
array_replace_element (JsonArray *array,
                       guint      index,
                       JsonNode  *node)
{
  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_assert (index < json_array_get_length (array));

  for (guint i = index + 1; i < json_array_get_length (array); i++)
    g_ptr_array_add (tail, json_node_ref (json_array_get_element (array, i)));
  while (json_array_get_length (array) > index)
    json_array_remove_element (array, json_array_get_length (array) - 1);
  json_array_add_element (array, node);
  for (guint i = 0; i < tail->len; i++)
    json_array_add_element (array, json_node_ref (g_ptr_array_index (tail, i)));
}

/* ------------------------------------------------------------------------
 * Walking the profile
 * ------------------------------------------------------------------------ */

static Place
classify (Place       container,
          JsonObject *item)
{
  if (container == PLACE_INVENTORY && item_in_bucket (item, QM_BUCKET_POSTMASTER))
    return PLACE_POSTMASTER;
  if (container == PLACE_VAULT && !item_in_bucket (item, QM_BUCKET_VAULT))
    return PLACE_ACCOUNT;
  return container;
}

static gboolean
visit_array (JsonArray   *array,
             Place        container,
             const char  *character_id,
             ItemVisitor  visit,
             gpointer     user_data)
{
  ItemRef ref = { 0, character_id, array, 0, NULL };

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ref.index = i;
      ref.item = array_object (array, i);
      if (ref.item == NULL)
        continue;
      ref.place = classify (container, ref.item);
      if (visit (&ref, user_data))
        return TRUE;
    }

  return FALSE;
}

/* Visit the items of @character_id (may be NULL) and of the profile,
 * in profile order. Returns TRUE when @visit stopped the walk. */
static gboolean
visit_items (QmSandboxWorld *world,
             const char     *character_id,
             Place           places,
             ItemVisitor     visit,
             gpointer        user_data)
{
  if (character_id != NULL && (places & PLACE_EQUIPPED) != 0 &&
      visit_array (character_items (world, "characterEquipment", character_id),
                   PLACE_EQUIPPED, character_id, visit, user_data))
    return TRUE;
  if (character_id != NULL && (places & (PLACE_INVENTORY | PLACE_POSTMASTER)) != 0 &&
      visit_array (character_items (world, "characterInventories", character_id),
                   PLACE_INVENTORY, character_id, visit, user_data))
    return TRUE;
  if ((places & PLACES_PROFILE) != 0 &&
      visit_array (profile_items (world), PLACE_VAULT, NULL, visit, user_data))
    return TRUE;
  return FALSE;
}

/* Visit @places of the profile and of every character. */
static gboolean
visit_all_items (QmSandboxWorld *world,
                 Place           places,
                 ItemVisitor     visit,
                 gpointer        user_data)
{
  JsonObject *inventories = component_data (world, "characterInventories");
  JsonObjectIter iter;
  const char *character_id;
  JsonNode *node;

  if (visit_items (world, NULL, places & PLACES_PROFILE, visit, user_data))
    return TRUE;
  if (inventories == NULL)
    return FALSE;
  json_object_iter_init (&iter, inventories);
  while (json_object_iter_next (&iter, &character_id, &node))
    if (visit_items (world, character_id, places & ~PLACES_PROFILE, visit, user_data))
      return TRUE;
  return FALSE;
}

typedef struct
{
  const char *item_id;
  Place       places;
  ItemRef     found;
} FindInstance;

static gboolean
find_instance_cb (const ItemRef *ref,
                  gpointer       user_data)
{
  FindInstance *find = user_data;

  if ((ref->place & find->places) == 0 || !item_has_id (ref->item, find->item_id))
    return FALSE;
  find->found = *ref;
  return TRUE;
}

/* Find the instanced item @item_id among @places of @character_id and the profile. */
static gboolean
find_instance (QmSandboxWorld *world,
               const char     *character_id,
               Place           places,
               const char     *item_id,
               ItemRef        *out)
{
  FindInstance find = { item_id, places, { 0 } };

  if (!is_instance_id (item_id) || !visit_items (world, character_id, places, find_instance_cb, &find))
    return FALSE;
  *out = find.found;
  return TRUE;
}

typedef struct
{
  guint32  bucket_hash;
  ItemRef  found;
} FindEquipped;

static gboolean
find_equipped_cb (const ItemRef *ref,
                  gpointer       user_data)
{
  FindEquipped *find = user_data;

  if (ref->place != PLACE_EQUIPPED || !item_in_bucket (ref->item, find->bucket_hash))
    return FALSE;
  find->found = *ref;
  return TRUE;
}

static gboolean
find_equipped (QmSandboxWorld *world,
               const char     *character_id,
               guint32         bucket_hash,
               ItemRef        *out)
{
  FindEquipped find = { bucket_hash, { 0 } };

  if (!visit_items (world, character_id, PLACE_EQUIPPED, find_equipped_cb, &find))
    return FALSE;
  *out = find.found;
  return TRUE;
}

typedef struct
{
  guint32  item_hash;
  Place    places;
  GArray  *refs;
  gint64   total;
} CollectStacks;

static gboolean
collect_stacks_cb (const ItemRef *ref,
                   gpointer       user_data)
{
  CollectStacks *collect = user_data;

  if ((ref->place & collect->places) != 0 &&
      qm_json_get_hash (ref->item, "itemHash") == collect->item_hash &&
      !item_is_instanced (ref->item))
    {
      g_array_append_val (collect->refs, *ref);
      collect->total += item_quantity (ref->item);
    }
  return FALSE;
}

/* ------------------------------------------------------------------------
 * The destination of a move: room, merging, uniqueness
 * ------------------------------------------------------------------------ */

/* The items that occupy the destination bucket: for a character, the
 * equipped item of that bucket counts as one of its slots. */
static void
visit_destination (QmSandboxWorld    *world,
                   const Destination *dest,
                   ItemVisitor        visit,
                   gpointer           user_data)
{
  Place container = dest->character_id != NULL ? PLACE_INVENTORY : PLACE_VAULT;

  if (dest->character_id != NULL)
    visit_array (character_items (world, "characterEquipment", dest->character_id),
                 PLACE_EQUIPPED, dest->character_id, visit, user_data);
  visit_array (dest->array, container, dest->character_id, visit, user_data);
}

typedef struct
{
  const Destination *dest;
  guint32            item_hash;
  int                max_stack;
  const char        *unique_label;
  QmSandboxWorld    *world;
  int                count;
} DestinationScan;

static gboolean
count_slots_cb (const ItemRef *ref,
                gpointer       user_data)
{
  DestinationScan *scan = user_data;

  if (item_in_bucket (ref->item, scan->dest->bucket_hash))
    scan->count++;
  return FALSE;
}

static gboolean
merge_room_cb (const ItemRef *ref,
               gpointer       user_data)
{
  DestinationScan *scan = user_data;

  if (ref->place != PLACE_EQUIPPED &&
      item_in_bucket (ref->item, scan->dest->bucket_hash) &&
      qm_json_get_hash (ref->item, "itemHash") == scan->item_hash &&
      !item_is_instanced (ref->item))
    scan->count += MAX (0, scan->max_stack - item_quantity (ref->item));
  return FALSE;
}

static gboolean
same_label_cb (const ItemRef *ref,
               gpointer       user_data)
{
  DestinationScan *scan = user_data;
  JsonObject *definition;

  if (!item_in_bucket (ref->item, scan->dest->bucket_hash))
    return FALSE;
  definition = item_definition (scan->world, ref->item);
  if (g_strcmp0 (definition_label (definition, "inventory", "stackUniqueLabel"), scan->unique_label) == 0)
    scan->count++;
  return FALSE;
}

/* Slots the move needs at its destination once it has topped up the
 * non-full stacks of the same item already there. */
static int
slots_needed (QmSandboxWorld *world,
              const Move     *move)
{
  DestinationScan scan = { &move->dest, 0, 0, NULL, world, 0 };
  int leftover;

  if (move->instanced)
    return 1;
  scan.item_hash = qm_json_get_hash (move->stack_template, "itemHash");
  scan.max_stack = move->max_stack;
  visit_destination (world, &move->dest, merge_room_cb, &scan);
  leftover = move->amount - scan.count;
  return leftover <= 0 ? 0 : (leftover + scan.max_stack - 1) / scan.max_stack;
}

static int
check_destination (QmSandboxWorld *world,
                   const Move     *move)
{
  DestinationScan scan = { &move->dest, 0, 0, NULL, world, 0 };
  int needed = slots_needed (world, move);

  scan.unique_label = definition_label (move->definition, "inventory", "stackUniqueLabel");
  if (scan.unique_label != NULL && needed > 0)
    {
      visit_destination (world, &move->dest, same_label_cb, &scan);
      if (scan.count > 0)
        return QM_PLATFORM_ERROR_DESTINY_UNIQUENESS_VIOLATION;
    }

  scan.count = 0;
  visit_destination (world, &move->dest, count_slots_cb, &scan);
  if (needed > 0 && scan.count > bucket_capacity (world, move->dest.bucket_hash) - needed)
    return QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION;
  return SUCCESS;
}

static void
destination_vault (QmSandboxWorld *world,
                   Destination    *dest)
{
  dest->array = profile_items (world);
  dest->character_id = NULL;
  dest->bucket_hash = QM_BUCKET_VAULT;
  dest->location = LOCATION_VAULT;
}

/* A bucket an item lives in when it is neither in the vault nor waiting at
 * the postmaster. */
static gboolean
is_home_bucket (guint32 bucket_hash)
{
  return bucket_hash != 0 && bucket_hash != QM_BUCKET_VAULT && bucket_hash != QM_BUCKET_POSTMASTER;
}

typedef struct
{
  guint32 item_hash;
  guint32 bucket_hash;
} FindHome;

static gboolean
find_home_cb (const ItemRef *ref,
              gpointer       user_data)
{
  FindHome *find = user_data;
  guint32 bucket_hash = qm_json_get_hash (ref->item, "bucketHash");

  if ((ref->place & (PLACE_EQUIPPED | PLACE_INVENTORY | PLACE_ACCOUNT)) == 0 ||
      !is_home_bucket (bucket_hash) ||
      qm_json_get_hash (ref->item, "itemHash") != find->item_hash)
    return FALSE;
  find->bucket_hash = bucket_hash;
  return TRUE;
}

static char *
home_key (JsonObject *item)
{
  char *id = qm_json_dup_id (item, "itemInstanceId");

  if (id != NULL && is_instance_id (id))
    return id;
  g_free (id);
  return g_strdup_printf ("#%u", qm_json_get_hash (item, "itemHash"));
}

/* What the profile says about @item's bucket when the definitions do not
 * (recorded data whose DestinyInventoryItemDefinition lacks
 * inventory.bucketTypeHash): the item's bucketHash when it is a home
 * bucket, the bucket it left for the vault, or the bucket another item of
 * the same itemHash is in. 0 when nothing says. */
static guint32
profile_home_bucket (QmSandboxWorld *world,
                     JsonObject     *item)
{
  guint32 bucket_hash = qm_json_get_hash (item, "bucketHash");
  g_autofree char *key = NULL;
  FindHome find = { qm_json_get_hash (item, "itemHash"), 0 };

  if (is_home_bucket (bucket_hash))
    return bucket_hash;
  key = home_key (item);
  bucket_hash = world->home_buckets != NULL
                ? GPOINTER_TO_UINT (g_hash_table_lookup (world->home_buckets, key)) : 0;
  if (bucket_hash != 0)
    return bucket_hash;
  if (visit_all_items (world, PLACE_EQUIPPED | PLACE_INVENTORY | PLACE_ACCOUNT, find_home_cb, &find))
    return find.bucket_hash;
  return 0;
}

/* Remember where @item lived before it goes to the vault, for the way back
 * when no definition says it. */
static void
remember_home_bucket (QmSandboxWorld *world,
                      JsonObject     *item)
{
  guint32 bucket_hash = qm_json_get_hash (item, "bucketHash");

  if (world->home_buckets != NULL && is_home_bucket (bucket_hash))
    g_hash_table_replace (world->home_buckets, home_key (item), GUINT_TO_POINTER (bucket_hash));
}

/* The item's own bucket: on @character_id, or in profileInventory for
 * account-wide buckets (consumables, modifications). The definition's
 * inventory.bucketTypeHash, else what the profile says about @item. */
static int
destination_home (QmSandboxWorld *world,
                  JsonObject     *definition,
                  JsonObject     *item,
                  const char     *character_id,
                  Destination    *dest)
{
  dest->bucket_hash = qm_json_get_hash (definition_block (definition, "inventory"), "bucketTypeHash");
  if (!is_home_bucket (dest->bucket_hash))
    dest->bucket_hash = profile_home_bucket (world, item);
  dest->location = LOCATION_INVENTORY;
  if (dest->bucket_hash == 0 || dest->bucket_hash == QM_BUCKET_VAULT)
    return DESTINY_ITEM_BUCKET_NOT_FOUND;

  if (bucket_is_account_wide (world, dest->bucket_hash))
    {
      dest->array = profile_items (world);
      dest->character_id = NULL;
    }
  else
    {
      dest->array = character_items (world, "characterInventories", character_id);
      dest->character_id = character_id;
    }
  return dest->array != NULL ? SUCCESS : DESTINY_INTERNAL_ERROR;
}

/* ------------------------------------------------------------------------
 * Moves (TransferItem, PullFromPostmaster)
 * ------------------------------------------------------------------------ */

static void
move_init (Move *move)
{
  memset (move, 0, sizeof *move);
  move->sources = g_array_new (FALSE, TRUE, sizeof (ItemRef));
}

static void
move_clear (Move *move)
{
  g_clear_pointer (&move->sources, g_array_unref);
  g_clear_pointer (&move->stack_template, json_object_unref);
}

static const ItemRef *
move_source (const Move *move,
             guint       i)
{
  return &g_array_index (move->sources, ItemRef, i);
}

typedef struct
{
  guint32 item_hash;
  int     largest;
} LargestStack;

static gboolean
largest_stack_cb (const ItemRef *ref,
                  gpointer       user_data)
{
  LargestStack *find = user_data;

  if (qm_json_get_hash (ref->item, "itemHash") == find->item_hash)
    find->largest = MAX (find->largest, item_quantity (ref->item));
  return FALSE;
}

/* The definition's inventory.maxStackSize; without one (recorded data with
 * sparse definitions), the largest stack of the item the profile holds:
 * no stack is larger than the limit. */
static int
move_max_stack (QmSandboxWorld *world,
                const Move     *move)
{
  LargestStack find = { qm_json_get_hash (move_source (move, 0)->item, "itemHash"), 1 };
  JsonObject *inventory = definition_block (move->definition, "inventory");

  if (inventory != NULL && json_object_has_member (inventory, "maxStackSize"))
    return definition_max_stack (move->definition);
  if (!move->instanced)
    visit_all_items (world, PLACES_CHARACTER | PLACES_PROFILE, largest_stack_cb, &find);
  return find.largest;
}

/* Find what the request names among @places. Equipped items are found so
 * the caller can answer 1656 rather than 1623. */
static int
move_find_sources (QmSandboxWorld          *world,
                   const QmTransferRequest *request,
                   Place                    places,
                   Move                    *move)
{
  ItemRef ref;

  if (is_instance_id (request->item_id))
    {
      if (!find_instance (world, request->character_id, places, request->item_id, &ref) ||
          qm_json_get_hash (ref.item, "itemHash") != request->item_hash)
        return ITEM_NOT_FOUND;
      g_array_append_val (move->sources, ref);
      move->instanced = TRUE;
      move->available = item_quantity (ref.item);
    }
  else
    {
      CollectStacks collect = { request->item_hash, places & ~PLACE_EQUIPPED, move->sources, 0 };

      visit_items (world, request->character_id, collect.places, collect_stacks_cb, &collect);
      if (move->sources->len == 0)
        return ITEM_NOT_FOUND;
      move->available = collect.total;
      move->stack_template = object_deep_copy (move_source (move, 0)->item);
    }

  move->amount = request->stack_size;
  move->definition = item_definition (world, move_source (move, 0)->item);
  move->max_stack = move_max_stack (world, move);
  return SUCCESS;
}

static int
check_request (QmSandboxWorld          *world,
               const QmTransferRequest *request)
{
  if (request->stack_size < 1)
    return INVALID_PARAMETERS;
  if (character_object (world, request->character_id) == NULL)
    return CHARACTER_NOT_FOUND;
  return SUCCESS;
}

static void
move_instance (const Move *move)
{
  const ItemRef *source = move_source (move, 0);
  JsonNode *node = json_node_ref (json_array_get_element (source->array, source->index));

  json_array_remove_element (source->array, source->index);
  place_item (json_node_get_object (node), &move->dest);
  json_array_add_element (move->dest.array, node);
}

/* Take the amount from the source stacks, last stack first. Sources were
 * collected in array order, so walking them backwards removes emptied
 * stacks without shifting the positions still to visit. */
static void
take_stacks (const Move *move)
{
  int left = move->amount;

  for (guint i = move->sources->len; i > 0 && left > 0; i--)
    {
      const ItemRef *source = move_source (move, i - 1);
      int quantity = item_quantity (source->item);
      int take = MIN (left, quantity);

      if (take == quantity)
        json_array_remove_element (source->array, source->index);
      else
        json_object_set_int_member (source->item, "quantity", quantity - take);
      left -= take;
    }
}

typedef struct
{
  const Move *move;
  int         left;
  int         max_stack;
} Deposit;

static gboolean
top_up_cb (const ItemRef *ref,
           gpointer       user_data)
{
  Deposit *deposit = user_data;
  guint32 item_hash = qm_json_get_hash (deposit->move->stack_template, "itemHash");
  int quantity = item_quantity (ref->item);
  int add;

  if (ref->place == PLACE_EQUIPPED ||
      !item_in_bucket (ref->item, deposit->move->dest.bucket_hash) ||
      qm_json_get_hash (ref->item, "itemHash") != item_hash ||
      item_is_instanced (ref->item))
    return FALSE;

  add = MIN (deposit->left, MAX (0, deposit->max_stack - quantity));
  if (add > 0)
    json_object_set_int_member (ref->item, "quantity", quantity + add);
  deposit->left -= add;
  return deposit->left == 0;
}

static void
deposit_stacks (QmSandboxWorld *world,
                const Move     *move)
{
  Deposit deposit = { move, move->amount, move->max_stack };

  visit_destination (world, &move->dest, top_up_cb, &deposit);
  while (deposit.left > 0)
    {
      JsonObject *stack = object_deep_copy (move->stack_template);
      int quantity = MIN (deposit.left, deposit.max_stack);

      json_object_set_int_member (stack, "quantity", quantity);
      place_item (stack, &move->dest);
      json_array_add_object_element (move->dest.array, stack);
      deposit.left -= quantity;
    }
}

static void
apply_move (QmSandboxWorld *world,
            const Move     *move)
{
  if (move->dest.bucket_hash == QM_BUCKET_VAULT)
    remember_home_bucket (world, move_source (move, 0)->item);
  if (move->instanced)
    {
      move_instance (move);
      return;
    }
  take_stacks (move);
  deposit_stacks (world, move);
}

static int
check_transfer_item (const Move *move)
{
  if (move_source (move, 0)->place == PLACE_EQUIPPED)
    return QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_ON_EQUIPPED_ITEM;
  if (qm_json_get_bool (move->definition, "nonTransferrable", FALSE) ||
      (qm_json_get_int (move_source (move, 0)->item, "transferStatus", 0) & TRANSFER_NOT_TRANSFERRABLE) != 0)
    return QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE;
  if (move->amount > move->available)
    return ITEM_NOT_FOUND;
  return SUCCESS;
}

static int
plan_transfer (QmSandboxWorld          *world,
               const QmTransferRequest *request,
               Move                    *move)
{
  /* Account-wide items are reachable from every character. */
  Place places = request->to_vault ? PLACE_EQUIPPED | PLACE_INVENTORY | PLACE_ACCOUNT : PLACE_VAULT;
  int code;

  if ((code = check_request (world, request)) != SUCCESS ||
      (code = move_find_sources (world, request, places, move)) != SUCCESS ||
      (code = check_transfer_item (move)) != SUCCESS)
    return code;

  if (request->to_vault)
    destination_vault (world, &move->dest);
  else if ((code = destination_home (world, move->definition, move_source (move, 0)->item,
                                     request->character_id, &move->dest)) != SUCCESS)
    return code;
  if (move->dest.array == NULL)
    return DESTINY_INTERNAL_ERROR;
  return check_destination (world, move);
}

static int
plan_pull (QmSandboxWorld          *world,
           const QmTransferRequest *request,
           Move                    *move)
{
  int code;

  if ((code = check_request (world, request)) != SUCCESS ||
      (code = move_find_sources (world, request, PLACE_POSTMASTER, move)) != SUCCESS)
    return code;
  if (qm_json_get_bool (move->definition, "doesPostmasterPullHaveSideEffects", FALSE))
    return QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE_HAS_SIDE_EFFECTS;
  if (move->amount > move->available)
    return ITEM_NOT_FOUND;
  if ((code = destination_home (world, move->definition, move_source (move, 0)->item,
                                request->character_id, &move->dest)) != SUCCESS)
    return code;
  return check_destination (world, move);
}

/* ------------------------------------------------------------------------
 * Equipping
 * ------------------------------------------------------------------------ */

static int
check_character (QmSandboxWorld *world,
                 const char     *character_id)
{
  return character_object (world, character_id) != NULL ? SUCCESS : CHARACTER_NOT_FOUND;
}

static int
check_location (QmSandboxWorld *world,
                const char     *character_id)
{
  QmSandboxLocation location = QM_SANDBOX_LOCATION_ORBIT;

  if (world->locations != NULL)
    location = GPOINTER_TO_INT (g_hash_table_lookup (world->locations, character_id));

  switch (location)
    {
    case QM_SANDBOX_LOCATION_ACTIVITY:
      return QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION;
    case QM_SANDBOX_LOCATION_NOT_IN_TOWER:
      return QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER;
    case QM_SANDBOX_LOCATION_ORBIT:
    default:
      return SUCCESS;
    }
}

static int
check_equip_character (QmSandboxWorld *world,
                       const char     *character_id)
{
  int code = check_character (world, character_id);

  return code != SUCCESS ? code : check_location (world, character_id);
}

static int
check_equippable (QmSandboxWorld *world,
                  JsonObject     *definition,
                  const char     *character_id)
{
  gint64 item_class = qm_json_get_int (definition, "classType", CLASS_ANY);
  gint64 character_class = qm_json_get_int (character_object (world, character_id), "classType", CLASS_ANY);

  if (definition == NULL)
    return ITEM_NOT_FOUND;
  if (!qm_json_get_bool (definition, "equippable", FALSE))
    return QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE;
  if (item_class != CLASS_ANY && item_class != character_class)
    return QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE;
  return SUCCESS;
}

typedef struct
{
  QmSandboxWorld *world;
  const char     *label;
  guint32         bucket_hash;
} UniqueEquip;

static gboolean
unique_conflict_cb (const ItemRef *ref,
                    gpointer       user_data)
{
  UniqueEquip *unique = user_data;
  JsonObject *definition;

  /* The item being replaced does not count (see equippingBlock.uniqueLabel). */
  if (ref->place != PLACE_EQUIPPED || item_in_bucket (ref->item, unique->bucket_hash))
    return FALSE;
  definition = item_definition (unique->world, ref->item);
  return g_strcmp0 (definition_label (definition, "equippingBlock", "uniqueLabel"), unique->label) == 0;
}

static gboolean
has_unique_conflict (QmSandboxWorld *world,
                     JsonObject     *definition,
                     const char     *character_id,
                     guint32         bucket_hash)
{
  UniqueEquip unique = { world, definition_label (definition, "equippingBlock", "uniqueLabel"), bucket_hash };

  return unique.label != NULL &&
         visit_items (world, character_id, PLACE_EQUIPPED, unique_conflict_cb, &unique);
}

/* Put @ref in its bucket's equipment slot; the item that held the slot takes
 * @ref's place in the inventory. */
static void
swap_into_slot (QmSandboxWorld *world,
                const ItemRef  *ref,
                const char     *character_id)
{
  JsonNode *node = json_node_ref (json_array_get_element (ref->array, ref->index));
  ItemRef current;

  if (find_equipped (world, character_id, qm_json_get_hash (ref->item, "bucketHash"), &current))
    {
      JsonNode *previous = json_node_ref (json_array_get_element (current.array, current.index));

      array_replace_element (ref->array, ref->index, previous);
      array_replace_element (current.array, current.index, node);
      set_equipped (world, current.item, FALSE);
    }
  else
    {
      json_array_remove_element (ref->array, ref->index);
      json_array_add_element (character_items (world, "characterEquipment", character_id), node);
    }
  set_equipped (world, ref->item, TRUE);
}

/* EquipItem without the character and location checks. */
static int
equip_on_character (QmSandboxWorld *world,
                    const char     *item_id,
                    const char     *character_id)
{
  ItemRef ref;
  JsonObject *definition;
  int code;

  if (!find_instance (world, character_id, PLACE_EQUIPPED | PLACE_INVENTORY, item_id, &ref))
    return ITEM_NOT_FOUND;
  if (ref.place == PLACE_EQUIPPED)
    return SUCCESS;

  definition = item_definition (world, ref.item);
  if ((code = check_equippable (world, definition, character_id)) != SUCCESS)
    return code;
  if (character_items (world, "characterEquipment", character_id) == NULL)
    return DESTINY_INTERNAL_ERROR;
  if (has_unique_conflict (world, definition, character_id, qm_json_get_hash (ref.item, "bucketHash")))
    return QM_PLATFORM_ERROR_DESTINY_ITEM_UNIQUE_EQUIP_RESTRICTED;

  swap_into_slot (world, &ref, character_id);
  return SUCCESS;
}

static gboolean
is_exotic_on_character (QmSandboxWorld *world,
                        const char     *item_id,
                        const char     *character_id)
{
  ItemRef ref;

  return find_instance (world, character_id, PLACE_EQUIPPED | PLACE_INVENTORY, item_id, &ref) &&
         definition_is_exotic (item_definition (world, ref.item));
}

/* Equip @item_ids in order, exotics last, the way Bungie applies a batch. */
static void
equip_in_order (QmSandboxWorld     *world,
                const char * const *item_ids,
                guint               n_items,
                const char         *character_id,
                int                *statuses)
{
  gboolean *exotic = g_new0 (gboolean, MAX (n_items, 1));

  for (guint i = 0; i < n_items; i++)
    exotic[i] = is_exotic_on_character (world, item_ids[i], character_id);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_items; i++)
      if (exotic[i] == (pass == 1))
        statuses[i] = equip_on_character (world, item_ids[i], character_id);
  g_free (exotic);
}

static JsonObject *
equip_result_new (const char *item_id,
                  int         status)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "itemInstanceId", item_id);
  json_object_set_int_member (result, "equipStatus", status);
  return result;
}

/* ------------------------------------------------------------------------
 * Loadouts
 * ------------------------------------------------------------------------ */

typedef int (*MovePlanner) (QmSandboxWorld          *world,
                            const QmTransferRequest *request,
                            Move                    *move);
static int plan_and_apply (QmSandboxWorld          *world,
                           const QmTransferRequest *request,
                           MovePlanner              planner);

static int
find_loadout (QmSandboxWorld *world,
              int             loadout_index,
              const char     *character_id,
              JsonObject    **out)
{
  JsonObject *loadouts = qm_json_get_object (component_data (world, "characterLoadouts"), character_id);
  JsonArray *slots = qm_json_get_array (loadouts, "loadouts");

  if (character_object (world, character_id) == NULL)
    return CHARACTER_NOT_FOUND;
  /* The spec has no loadout-specific code for a slot that does not exist. */
  if (slots == NULL || loadout_index < 0 || (guint) loadout_index >= json_array_get_length (slots))
    return INVALID_PARAMETERS;
  *out = array_object (slots, loadout_index);
  return *out != NULL ? SUCCESS : INVALID_PARAMETERS;
}

static GPtrArray *
loadout_item_ids (JsonObject *loadout)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items = qm_json_get_array (loadout, "items");

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      char *id = qm_json_dup_id (array_object (items, i), "itemInstanceId");

      if (is_instance_id (id))
        g_ptr_array_add (ids, id);
      else
        g_free (id);
    }
  g_ptr_array_add (ids, NULL);
  return ids;
}

static JsonArray *
plug_hashes (QmSandboxWorld *world,
             const char     *item_id)
{
  JsonArray *sockets = qm_json_get_array (instance_component (world, "sockets", item_id), "sockets");
  JsonArray *plugs = json_array_new ();

  for (guint i = 0; sockets != NULL && i < json_array_get_length (sockets); i++)
    {
      guint32 plug = qm_json_get_hash (array_object (sockets, i), "plugHash");

      json_array_add_int_element (plugs, plug != 0 ? plug : QM_LOADOUT_UNSET_PLUG_HASH);
    }
  return plugs;
}

static JsonObject *
loadout_item_new (const char *item_id,
                  JsonArray  *plugs)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "itemInstanceId", item_id);
  json_object_set_array_member (item, "plugItemHashes", plugs != NULL ? plugs : json_array_new ());
  return item;
}

static JsonArray *
snapshot_items (QmSandboxWorld *world,
                const char     *character_id)
{
  JsonArray *items = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (snapshot_buckets); i++)
    {
      ItemRef ref;
      g_autofree char *id = NULL;

      if (find_equipped (world, character_id, snapshot_buckets[i], &ref))
        id = qm_json_dup_id (ref.item, "itemInstanceId");
      if (is_instance_id (id))
        json_array_add_object_element (items, loadout_item_new (id, plug_hashes (world, id)));
      else
        json_array_add_object_element (items, loadout_item_new ("0", NULL));
    }
  return items;
}

static void
set_identifier (JsonObject *loadout,
                const char *member,
                guint32     hash)
{
  if (hash != 0)
    json_object_set_int_member (loadout, member, hash);
}

static void
set_identifiers (JsonObject *loadout,
                 guint32     color_hash,
                 guint32     icon_hash,
                 guint32     name_hash)
{
  set_identifier (loadout, "colorHash", color_hash);
  set_identifier (loadout, "iconHash", icon_hash);
  set_identifier (loadout, "nameHash", name_hash);
}

static guint32
first_hash (JsonObject *object,
            const char *member)
{
  JsonArray *hashes = qm_json_get_array (object, member);
  JsonNode *node;

  if (hashes == NULL || json_array_get_length (hashes) == 0)
    return 0;
  node = json_array_get_element (hashes, 0);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 ?
         (guint32) json_node_get_int (node) : 0;
}

/* A cleared slot shows the content's default identifiers: the first entries
 * of DestinyLoadoutConstantsDefinition. */
static void
reset_identifiers (QmSandboxWorld *world,
                   JsonObject     *loadout)
{
  JsonNode *table = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (world->definitions != NULL)
    table = g_hash_table_lookup (world->definitions, LOADOUT_TABLE);
  if (table == NULL || !JSON_NODE_HOLDS_OBJECT (table))
    return;
  json_object_iter_init (&iter, json_node_get_object (table));
  if (!json_object_iter_next (&iter, &name, &node) || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  set_identifiers (loadout,
                   first_hash (json_node_get_object (node), "loadoutColorHashes"),
                   first_hash (json_node_get_object (node), "loadoutIconHashes"),
                   first_hash (json_node_get_object (node), "loadoutNameHashes"));
}

static JsonArray *
cleared_items (JsonObject *loadout)
{
  JsonArray *items = qm_json_get_array (loadout, "items");
  guint n_items = items != NULL ? json_array_get_length (items) : 0;
  JsonArray *cleared = json_array_sized_new (n_items);

  for (guint i = 0; i < n_items; i++)
    json_array_add_object_element (cleared, loadout_item_new ("0", NULL));
  return cleared;
}

/* ------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------ */

/* Check everything first; change the profile only when the answer is Success. */
static int
plan_and_apply (QmSandboxWorld          *world,
                const QmTransferRequest *request,
                MovePlanner              planner)
{
  Move move;
  int code;

  move_init (&move);
  code = planner (world, request, &move);
  if (code == SUCCESS)
    apply_move (world, &move);
  move_clear (&move);
  return code;
}

int
qm_sandbox_rules_transfer (QmSandboxWorld          *world,
                           const QmTransferRequest *request)
{
  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (request != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (request->character_id != NULL, INVALID_PARAMETERS);

  return plan_and_apply (world, request, plan_transfer);
}

int
qm_sandbox_rules_pull_from_postmaster (QmSandboxWorld          *world,
                                       const QmTransferRequest *request)
{
  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (request != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (request->character_id != NULL, INVALID_PARAMETERS);

  return plan_and_apply (world, request, plan_pull);
}

int
qm_sandbox_rules_equip_item (QmSandboxWorld *world,
                             const char     *item_id,
                             const char     *character_id)
{
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if ((code = check_equip_character (world, character_id)) != SUCCESS)
    return code;
  return equip_on_character (world, item_id, character_id);
}

int
qm_sandbox_rules_equip_items (QmSandboxWorld     *world,
                              const char * const *item_ids,
                              const char         *character_id,
                              JsonArray          *results)
{
  g_autofree int *statuses = NULL;
  guint n_items;
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (results != NULL, INVALID_PARAMETERS);

  if ((code = check_equip_character (world, character_id)) != SUCCESS)
    return code;

  n_items = item_ids != NULL ? g_strv_length ((char **) item_ids) : 0;
  statuses = g_new0 (int, MAX (n_items, 1));
  equip_in_order (world, item_ids, n_items, character_id, statuses);
  for (guint i = 0; i < n_items; i++)
    json_array_add_object_element (results, equip_result_new (item_ids[i], statuses[i]));
  return SUCCESS;
}

int
qm_sandbox_rules_set_lock_state (QmSandboxWorld *world,
                                 const char     *item_id,
                                 const char     *character_id,
                                 gboolean        locked)
{
  ItemRef ref;
  gint64 state;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if (character_object (world, character_id) == NULL)
    return CHARACTER_NOT_FOUND;
  /* The owner's id, or any character's for items of the vault. */
  if (!find_instance (world, character_id, PLACES_CHARACTER | PLACES_PROFILE, item_id, &ref))
    return ITEM_NOT_FOUND;
  if (!qm_json_get_bool (ref.item, "lockable", FALSE))
    return QM_PLATFORM_ERROR_DESTINY_ITEM_ACTION_FORBIDDEN;

  state = qm_json_get_int (ref.item, "state", 0);
  state = locked ? state | ITEM_STATE_LOCKED : state & ~ITEM_STATE_LOCKED;
  json_object_set_int_member (ref.item, "state", state);
  return SUCCESS;
}

int
qm_sandbox_rules_equip_loadout (QmSandboxWorld *world,
                                int             loadout_index,
                                const char     *character_id)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree int *statuses = NULL;
  JsonObject *loadout;
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if ((code = find_loadout (world, loadout_index, character_id, &loadout)) != SUCCESS ||
      (code = check_location (world, character_id)) != SUCCESS)
    return code;

  ids = loadout_item_ids (loadout);
  /* Items in the vault come along when the character has room for them
   * (loadouts-and-dnd.md §6: DIM #11850, Jul 2026); items on other
   * characters never do (DIM's itemCouldBeEquipped). What is left elsewhere
   * is skipped, and the rest equipped. */
  for (guint i = 0; i + 1 < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      ItemRef ref;

      if (find_instance (world, character_id, PLACE_VAULT, id, &ref))
        {
          QmTransferRequest request = {
            .item_hash = qm_json_get_hash (ref.item, "itemHash"),
            .item_id = id,
            .stack_size = 1,
            .to_vault = FALSE,
            .character_id = character_id,
          };

          /* No room (1642) or not transferable: it stays in the vault. */
          plan_and_apply (world, &request, plan_transfer);
        }
    }
  statuses = g_new0 (int, ids->len);
  equip_in_order (world, (const char * const *) ids->pdata, ids->len - 1, character_id, statuses);
  return SUCCESS;
}

int
qm_sandbox_rules_snapshot_loadout (QmSandboxWorld *world,
                                   int             loadout_index,
                                   const char     *character_id,
                                   guint32         color_hash,
                                   guint32         icon_hash,
                                   guint32         name_hash)
{
  JsonObject *loadout;
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if ((code = find_loadout (world, loadout_index, character_id, &loadout)) != SUCCESS)
    return code;

  json_object_set_array_member (loadout, "items", snapshot_items (world, character_id));
  set_identifiers (loadout, color_hash, icon_hash, name_hash);
  return SUCCESS;
}

int
qm_sandbox_rules_update_loadout_identifiers (QmSandboxWorld *world,
                                             int             loadout_index,
                                             const char     *character_id,
                                             guint32         color_hash,
                                             guint32         icon_hash,
                                             guint32         name_hash)
{
  JsonObject *loadout;
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if ((code = find_loadout (world, loadout_index, character_id, &loadout)) != SUCCESS)
    return code;

  set_identifiers (loadout, color_hash, icon_hash, name_hash);
  return SUCCESS;
}

int
qm_sandbox_rules_clear_loadout (QmSandboxWorld *world,
                                int             loadout_index,
                                const char     *character_id)
{
  JsonObject *loadout;
  int code;

  g_return_val_if_fail (world != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (character_id != NULL, INVALID_PARAMETERS);

  if ((code = find_loadout (world, loadout_index, character_id, &loadout)) != SUCCESS)
    return code;

  /* The slot keeps its length: an empty loadout is all "0" items. */
  json_object_set_array_member (loadout, "items", cleared_items (loadout));
  reset_identifiers (world, loadout);
  return SUCCESS;
}
