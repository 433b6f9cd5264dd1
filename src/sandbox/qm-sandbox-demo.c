/* qm-sandbox-demo.c: the seeded demo account, in Bungie's wire shapes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is derived from a GRand seeded with the account seed and
 * from fixed dates, so one seed always gives byte-identical JSON. The
 * definitions describe every item of the catalogue, so every hash the
 * profile or a vendor mentions resolves.
 */

#define G_LOG_DOMAIN "qm-sandbox-demo"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "qm-sandbox-world.h"
#include "qm-sandbox-world-private.h"
#include "qm-sandbox-demo-data.h"

/* Fixed clock: the account last played shortly before this moment. */
#define DEMO_BASE_UNIX        1795370400  /* 2026-11-21T18:00:00Z */
#define DEMO_MINTED_TIMESTAMP "2026-11-21T18:05:00.000Z"
#define DEMO_ENERGY_ANY       1198124803u
#define DEMO_PROGRESSION_LEVEL 1716568313u
#define DEMO_CHARACTER_RACE_HUMAN 3887404748u
#define DEMO_N_LOADOUT_SLOTS  9
#define DEMO_N_LOADOUTS       4
#define DEMO_N_LOADOUT_COLORS 10
#define DEMO_N_LOADOUT_ICONS  12

typedef enum
{
  KIND_WEAPON,
  KIND_ARMOR,
  KIND_GHOST,
  KIND_VEHICLE,
  KIND_SHIP,
  KIND_EMBLEM,
  KIND_SUBCLASS,
  KIND_ENGRAM,
  KIND_QUEST,
  KIND_PACKAGE,
  KIND_CONSUMABLE,
  KIND_MOD,
  KIND_CURRENCY,
  KIND_PLUG,
} DemoKind;

typedef struct
{
  DemoKind    kind;
  guint32     hash;
  char       *name;
  char       *type_name;
  char       *description;
  char       *icon;
  const char *flavor;
  int         slot;           /* DemoSlot, -1 when not equippable */
  guint32     bucket;         /* home bucket (inventory.bucketTypeHash) */
  int         item_type;
  int         sub_type;
  int         class_type;
  int         tier;
  int         damage;
  int         ammo;
  int         max_stack;
  const char *unique_label;
  const char *plug_category;
  gboolean    instanced;
  gboolean    nontransferrable;
  gboolean    side_effects;
  guint32     categories[4];
  guint       n_categories;
} DemoItem;

/* An instanced item the account owns, remembered for loadouts. */
typedef struct
{
  char       *id;
  DemoItem   *item;
  guint32     plugs[8];
  guint       n_plugs;
} DemoOwned;

typedef struct
{
  JsonObject *instances;
  JsonObject *stats;
  JsonObject *sockets;
  JsonObject *perks;
} DemoMaps;

typedef struct
{
  int         location;
  guint32     bucket;
  gboolean    equipped;
  int         quantity;
  int         power;
} DemoPlace;

typedef struct
{
  QmSandboxWorld *world;
  GRand          *rand;
  guint64         seed;
  GPtrArray      *catalog;                 /* DemoItem, owned */
  GHashTable     *by_hash;                 /* hash -> DemoItem */
  GHashTable     *by_name;                 /* name -> DemoItem */
  GPtrArray      *owned_all;               /* DemoOwned, owned */
  GPtrArray      *owned[3][DEMO_N_SLOTS];  /* per character, equipped first */
  GPtrArray      *vault[DEMO_N_SLOTS];
  DemoOwned      *equipped[3][DEMO_N_SLOTS];
  guint64         next_instance;
  int             power_floor;
  DemoMaps        maps;
  char           *character_ids[3];
  guint32         loadout_names[G_N_ELEMENTS (demo_loadout_names)];
  guint32         loadout_colors[DEMO_N_LOADOUT_COLORS];
  guint32         loadout_icons[DEMO_N_LOADOUT_ICONS];
  gint64          currency[G_N_ELEMENTS (demo_currencies)];
} DemoBuilder;

static const int demo_loadout_slot_order[DEMO_N_LOADOUT_SLOTS] = {
  DEMO_SLOT_SUBCLASS, DEMO_SLOT_KINETIC, DEMO_SLOT_ENERGY, DEMO_SLOT_POWER,
  DEMO_SLOT_HELMET, DEMO_SLOT_GAUNTLETS, DEMO_SLOT_CHEST, DEMO_SLOT_LEGS,
  DEMO_SLOT_CLASS_ARMOR,
};

/* JSON building helpers */

static JsonObject *
add_object (JsonObject *parent,
            const char *name)
{
  JsonObject *child = json_object_new ();

  json_object_set_object_member (parent, name, child);
  return child;
}

static JsonArray *
add_array (JsonObject *parent,
           const char *name)
{
  JsonArray *child = json_array_new ();

  json_object_set_array_member (parent, name, child);
  return child;
}

static void
add_empty_array (JsonObject *parent,
                 const char *name)
{
  add_array (parent, name);
}

static void
set_hash (JsonObject *object,
          const char *name,
          guint32     hash)
{
  json_object_set_int_member (object, name, hash);
}

static char *
hash_key (guint32 hash)
{
  return g_strdup_printf ("%u", hash);
}

static void
array_add_hash (JsonArray *array,
                guint32    hash)
{
  json_array_add_int_element (array, hash);
}

static char *
demo_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static JsonObject *
display_properties (JsonObject *parent,
                    const char *name,
                    const char *description,
                    const char *icon)
{
  JsonObject *dp = add_object (parent, "displayProperties");

  json_object_set_string_member (dp, "description", description);
  json_object_set_string_member (dp, "name", name);
  if (icon != NULL)
    json_object_set_string_member (dp, "icon", icon);
  json_object_set_boolean_member (dp, "hasIcon", icon != NULL);
  return dp;
}

static void
set_definition_footer (JsonObject *def,
                       guint32     hash,
                       int         index)
{
  set_hash (def, "hash", hash);
  json_object_set_int_member (def, "index", index);
  json_object_set_boolean_member (def, "redacted", FALSE);
}

static JsonObject *
table_add (JsonObject *table,
           guint32     hash)
{
  g_autofree char *key = hash_key (hash);
  JsonObject *def = json_object_new ();

  json_object_set_object_member (table, key, def);
  return def;
}

static JsonObject *
world_table (QmSandboxWorld *world,
             const char     *name)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  g_hash_table_replace (world->definitions, g_strdup (name), node);
  return json_node_get_object (node);
}

static const DemoDamageSpec *
damage_spec (int damage)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_damage_types); i++)
    if (demo_damage_types[i].damage == damage)
      return &demo_damage_types[i];
  return NULL;
}

static const DemoTierSpec *
tier_spec (int tier)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_tiers); i++)
    if (demo_tiers[i].tier == tier)
      return &demo_tiers[i];
  g_assert_not_reached ();
}

static const DemoWeaponType *
weapon_type (int sub_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_weapon_types); i++)
    if (demo_weapon_types[i].sub_type == sub_type)
      return &demo_weapon_types[i];
  g_assert_not_reached ();
}

static int
rand_range (DemoBuilder *b,
            int          low,
            int          high)
{
  return g_rand_int_range (b->rand, low, high + 1);
}

static gboolean
rand_chance (DemoBuilder *b,
             int          percent)
{
  return g_rand_int_range (b->rand, 0, 100) < percent;
}

static gpointer
rand_pick (DemoBuilder *b,
           GPtrArray   *array)
{
  g_assert (array->len > 0);
  return g_ptr_array_index (array, g_rand_int_range (b->rand, 0, array->len));
}

/* The catalogue */

static void
demo_item_free (gpointer data)
{
  DemoItem *item = data;

  g_free (item->name);
  g_free (item->type_name);
  g_free (item->description);
  g_free (item->icon);
  g_free (item);
}

static void
demo_owned_free (gpointer data)
{
  DemoOwned *owned = data;

  g_free (owned->id);
  g_free (owned);
}

static DemoItem *
catalog_add (DemoBuilder *b,
             DemoKind     kind,
             const char  *name,
             guint32      real_hash)
{
  g_autofree char *seed = g_strdup_printf ("sandbox.item.%s", name);
  DemoItem *item = g_new0 (DemoItem, 1);

  item->kind = kind;
  item->hash = real_hash != 0 ? real_hash : qm_sandbox_fnv1a (seed);
  item->name = g_strdup (name);
  item->icon = qm_sandbox_icon_path (seed);
  item->description = g_strdup ("");
  item->slot = -1;
  item->class_type = 3;
  item->max_stack = 1;
  item->tier = 5;
  g_assert (!g_hash_table_contains (b->by_hash, GUINT_TO_POINTER (item->hash)));
  g_assert (!g_hash_table_contains (b->by_name, item->name));
  g_hash_table_insert (b->by_hash, GUINT_TO_POINTER (item->hash), item);
  g_hash_table_insert (b->by_name, item->name, item);
  g_ptr_array_add (b->catalog, item);
  return item;
}

static void
item_add_category (DemoItem *item,
                   guint32   category)
{
  g_assert (item->n_categories < G_N_ELEMENTS (item->categories));
  item->categories[item->n_categories++] = category;
}

static void
item_set_slot (DemoItem *item,
               DemoSlot  slot)
{
  item->slot = slot;
  item->bucket = demo_buckets[slot].hash;
  item->instanced = TRUE;
}

static void
catalog_add_weapons (DemoBuilder *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_weapons); i++)
    {
      const DemoWeaponSpec *spec = &demo_weapons[i];
      const DemoWeaponType *type = weapon_type (spec->sub_type);
      DemoItem *item = catalog_add (b, KIND_WEAPON, spec->name, 0);

      item_set_slot (item, spec->slot);
      item->type_name = g_strdup (type->name);
      item->flavor = spec->flavor;
      item->item_type = 3;
      item->sub_type = spec->sub_type;
      item->tier = spec->tier;
      item->damage = spec->damage;
      item->ammo = spec->slot == DEMO_SLOT_POWER ? 3 : type->ammo;
      item_add_category (item, 1);
      item_add_category (item, 2 + spec->slot);
      item_add_category (item, type->category);
    }
}

static void
catalog_add_armor_piece (DemoBuilder *b,
                         const char  *name,
                         int          class_type,
                         int          piece,
                         int          tier)
{
  DemoItem *item = catalog_add (b, KIND_ARMOR, name, 0);

  item_set_slot (item, DEMO_SLOT_HELMET + piece);
  item->type_name = g_strdup (demo_armor_types[class_type][piece]);
  item->flavor = demo_flavor_lines[qm_sandbox_fnv1a (name) % G_N_ELEMENTS (demo_flavor_lines)];
  item->item_type = 2;
  item->sub_type = 26 + piece;
  item->class_type = class_type;
  item->tier = tier;
  item_add_category (item, 20);
  item_add_category (item, demo_class_categories[class_type]);
  item_add_category (item, 45 + piece);
}

static void
catalog_add_armor (DemoBuilder *b)
{
  for (int c = 0; c < 3; c++)
    {
      for (guint s = 0; s < G_N_ELEMENTS (demo_armor_sets); s++)
        for (int piece = 0; piece < 5; piece++)
          {
            g_autofree char *name = g_strdup_printf ("%s %s", demo_armor_sets[s],
                                                     demo_armor_pieces[c][piece]);

            catalog_add_armor_piece (b, name, c, piece, 5);
          }
      for (int piece = 0; piece < 4; piece++)
        catalog_add_armor_piece (b, demo_exotic_armor[c][piece], c, piece, 6);
    }
}

static void
catalog_add_cosmetics (DemoBuilder         *b,
                       const DemoNamedTier *specs,
                       guint                n_specs,
                       DemoKind             kind,
                       DemoSlot             slot,
                       int                  item_type,
                       guint32              category,
                       const char          *type_name)
{
  for (guint i = 0; i < n_specs; i++)
    {
      DemoItem *item = catalog_add (b, kind, specs[i].name, 0);

      item_set_slot (item, slot);
      item->type_name = g_strdup (type_name);
      item->flavor = demo_flavor_lines[i % G_N_ELEMENTS (demo_flavor_lines)];
      item->item_type = item_type;
      item->tier = specs[i].tier;
      item_add_category (item, category);
    }
}

static void
catalog_add_subclasses (DemoBuilder *b)
{
  for (int c = 0; c < 3; c++)
    for (int e = 0; e < 5; e++)
      {
        DemoItem *item = catalog_add (b, KIND_SUBCLASS, demo_subclasses[c][e], 0);

        item_set_slot (item, DEMO_SLOT_SUBCLASS);
        item->type_name = g_strdup_printf ("%s Subclass",
                                           damage_spec (demo_subclass_damage[e])->name);
        g_free (item->description);
        item->description = g_strdup_printf ("A %s subclass wielding %s.",
                                             demo_class_names[c],
                                             damage_spec (demo_subclass_damage[e])->name);
        item->item_type = 16;
        item->class_type = c;
        item->tier = 2;
        item->damage = demo_subclass_damage[e];
        item->nontransferrable = TRUE;
        item_add_category (item, 50);
        item_add_category (item, demo_class_categories[c]);
      }
}

static DemoItem *
catalog_add_stack (DemoBuilder         *b,
                   DemoKind             kind,
                   const DemoStackSpec *spec,
                   guint32              bucket,
                   int                  item_type,
                   const char          *type_name,
                   int                  tier)
{
  DemoItem *item = catalog_add (b, kind, spec->name, spec->real_hash);

  item->bucket = bucket;
  item->type_name = g_strdup (type_name);
  g_free (item->description);
  item->description = g_strdup (spec->description);
  item->item_type = item_type;
  item->max_stack = spec->max_stack;
  item->unique_label = spec->unique_label;
  item->tier = tier;
  return item;
}

static void
catalog_add_stacks (DemoBuilder *b)
{
  static const int consumable_tiers[] = { 4, 5, 6, 6, 6, 5, 4 };
  DemoItem *item;

  G_STATIC_ASSERT (G_N_ELEMENTS (consumable_tiers) == G_N_ELEMENTS (demo_consumables));
  for (guint i = 0; i < G_N_ELEMENTS (demo_consumables); i++)
    {
      item = catalog_add_stack (b, KIND_CONSUMABLE, &demo_consumables[i], QM_BUCKET_CONSUMABLES,
                                9, "Material", consumable_tiers[i]);
      item_add_category (item, 35);
    }
  for (guint i = 0; i < G_N_ELEMENTS (demo_mods); i++)
    {
      item = catalog_add_stack (b, KIND_MOD, &demo_mods[i], QM_BUCKET_MODIFICATIONS,
                                19, "General Armor Mod", 4);
      item_add_category (item, 59);
    }
  for (guint i = 0; i < G_N_ELEMENTS (demo_currencies); i++)
    {
      const DemoCurrencySpec *spec = &demo_currencies[i];
      DemoStackSpec stack = { spec->name, spec->hash, spec->max_stack, NULL, spec->description };

      item = catalog_add_stack (b, KIND_CURRENCY, &stack, spec->bucket, 1, "Currency", 1);
      item->nontransferrable = TRUE;
      item_add_category (item, 18);
    }
}

static void
catalog_add_misc (DemoBuilder *b)
{
  static const DemoStackSpec package = {
    "Vanguard Reward Package", 0, 1, NULL,
    "Opening this package grants its rewards to the character who claims it."
  };
  static const DemoStackSpec quest = {
    "A Guardian's Sandbox", 0, 1, NULL,
    "Speak to the Vanguard about the strange readings near the Tower."
  };
  DemoItem *item;

  for (int tier = 5; tier <= 6; tier++)
    {
      item = catalog_add (b, KIND_ENGRAM, tier == 6 ? "Exotic Engram" : "Legendary Engram", 0);
      item->bucket = QM_BUCKET_ENGRAMS;
      item->type_name = g_strdup ("Engram");
      item->item_type = 8;
      item->tier = tier;
      item->instanced = TRUE;
      item->nontransferrable = TRUE;
      item_add_category (item, 34);
    }
  item = catalog_add_stack (b, KIND_PACKAGE, &package, QM_BUCKET_CONSUMABLES, 25, "Package", 5);
  item->side_effects = TRUE;
  item_add_category (item, 268598612);
  item = catalog_add_stack (b, KIND_QUEST, &quest, QM_BUCKET_QUESTS, 12, "Quest Step", 3);
  item->nontransferrable = TRUE;
  item_add_category (item, 53);
}

static void
catalog_add_plugs (DemoBuilder        *b,
                   const char * const *names,
                   guint               n_names,
                   const char         *category,
                   const char         *type_name)
{
  for (guint i = 0; i < n_names; i++)
    {
      DemoItem *item = catalog_add (b, KIND_PLUG, names[i], 0);

      item->type_name = g_strdup (type_name);
      g_free (item->description);
      item->description = g_strdup_printf ("%s: a %s for this item.", names[i], type_name);
      item->item_type = 19;
      item->tier = 2;
      item->plug_category = category;
    }
}

static void
catalog_build (DemoBuilder *b)
{
  static const char * const shader[] = { DEMO_PLUG_SHADER };

  catalog_add_weapons (b);
  catalog_add_armor (b);
  catalog_add_cosmetics (b, demo_ghosts, G_N_ELEMENTS (demo_ghosts), KIND_GHOST,
                         DEMO_SLOT_GHOST, 24, 39, "Ghost Shell");
  catalog_add_cosmetics (b, demo_vehicles, G_N_ELEMENTS (demo_vehicles), KIND_VEHICLE,
                         DEMO_SLOT_VEHICLE, 22, 43, "Vehicle");
  catalog_add_cosmetics (b, demo_ships, G_N_ELEMENTS (demo_ships), KIND_SHIP,
                         DEMO_SLOT_SHIP, 21, 42, "Ship");
  catalog_add_cosmetics (b, demo_emblems, G_N_ELEMENTS (demo_emblems), KIND_EMBLEM,
                         DEMO_SLOT_EMBLEM, 14, 19, "Emblem");
  ((DemoItem *) g_hash_table_lookup (b->by_name, "Tower Sentry"))->nontransferrable = TRUE;
  catalog_add_subclasses (b);
  catalog_add_stacks (b);
  catalog_add_misc (b);
  catalog_add_plugs (b, demo_plug_frames, G_N_ELEMENTS (demo_plug_frames), "intrinsics", "Intrinsic");
  catalog_add_plugs (b, demo_plug_barrels, G_N_ELEMENTS (demo_plug_barrels), "barrels", "Barrel");
  catalog_add_plugs (b, demo_plug_magazines, G_N_ELEMENTS (demo_plug_magazines), "magazines", "Magazine");
  catalog_add_plugs (b, demo_plug_traits1, G_N_ELEMENTS (demo_plug_traits1), "frames", "Trait");
  catalog_add_plugs (b, demo_plug_traits2, G_N_ELEMENTS (demo_plug_traits2), "frames", "Trait");
  catalog_add_plugs (b, demo_plug_weapon_masterworks, G_N_ELEMENTS (demo_plug_weapon_masterworks),
                     "v400.plugs.weapons.masterworks", "Masterwork");
  catalog_add_plugs (b, demo_plug_weapon_tiers, G_N_ELEMENTS (demo_plug_weapon_tiers),
                     "v400.plugs.weapons.masterworks", "Weapon Upgrade");
  catalog_add_plugs (b, demo_plug_armor_mods, G_N_ELEMENTS (demo_plug_armor_mods),
                     "enhancements.v2_general", "General Armor Mod");
  catalog_add_plugs (b, demo_plug_armor_energy, G_N_ELEMENTS (demo_plug_armor_energy),
                     "v400.plugs.armor.masterworks", "Armor Upgrade");
  catalog_add_plugs (b, shader, 1, "shader", "Shader");
}

static GPtrArray *
catalog_filter (DemoBuilder *b,
                DemoSlot     slot,
                int          class_type,
                int          tier)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < b->catalog->len; i++)
    {
      DemoItem *item = g_ptr_array_index (b->catalog, i);

      if (item->slot != (int) slot || item->kind == KIND_ENGRAM)
        continue;
      if (class_type != 3 && item->class_type != 3 && item->class_type != class_type)
        continue;
      if (tier != 0 && item->tier != tier)
        continue;
      g_ptr_array_add (out, item);
    }
  return out;
}

static DemoItem *
catalog_pick (DemoBuilder *b,
              DemoSlot     slot,
              int          class_type,
              int          tier)
{
  g_autoptr(GPtrArray) candidates = catalog_filter (b, slot, class_type, tier);

  if (candidates->len == 0)
    {
      g_ptr_array_unref (candidates);
      candidates = catalog_filter (b, slot, class_type, 0);
    }
  return rand_pick (b, candidates);
}

static DemoItem *
catalog_lookup (DemoBuilder *b,
                const char  *name)
{
  DemoItem *item = g_hash_table_lookup (b->by_name, name);

  g_assert (item != NULL);
  return item;
}

/* Item components (300, 302, 304, 305) */

static gboolean
slot_is_weapon (int slot)
{
  return slot >= DEMO_SLOT_KINETIC && slot <= DEMO_SLOT_POWER;
}

static gboolean
slot_is_armor (int slot)
{
  return slot >= DEMO_SLOT_HELMET && slot <= DEMO_SLOT_CLASS_ARMOR;
}

static guint32
plug_hash (DemoBuilder        *b,
           const char * const *names,
           guint               n_names)
{
  return catalog_lookup (b, names[g_rand_int_range (b->rand, 0, n_names)])->hash;
}

static void
owned_add_plug (DemoOwned *owned,
                guint32    hash)
{
  g_assert (owned->n_plugs < G_N_ELEMENTS (owned->plugs));
  owned->plugs[owned->n_plugs++] = hash;
}

static void
roll_weapon_plugs (DemoBuilder *b,
                   DemoOwned   *owned,
                   gboolean     masterwork)
{
  owned_add_plug (owned, plug_hash (b, demo_plug_frames, G_N_ELEMENTS (demo_plug_frames)));
  owned_add_plug (owned, plug_hash (b, demo_plug_barrels, G_N_ELEMENTS (demo_plug_barrels)));
  owned_add_plug (owned, plug_hash (b, demo_plug_magazines, G_N_ELEMENTS (demo_plug_magazines)));
  owned_add_plug (owned, plug_hash (b, demo_plug_traits1, G_N_ELEMENTS (demo_plug_traits1)));
  owned_add_plug (owned, plug_hash (b, demo_plug_traits2, G_N_ELEMENTS (demo_plug_traits2)));
  if (masterwork)
    owned_add_plug (owned, plug_hash (b, demo_plug_weapon_masterworks,
                                      G_N_ELEMENTS (demo_plug_weapon_masterworks)));
  else
    owned_add_plug (owned, plug_hash (b, demo_plug_weapon_tiers,
                                      G_N_ELEMENTS (demo_plug_weapon_tiers)));
  owned_add_plug (owned, catalog_lookup (b, DEMO_PLUG_SHADER)->hash);
}

static void
roll_armor_plugs (DemoBuilder *b,
                  DemoOwned   *owned,
                  gboolean     masterwork)
{
  owned_add_plug (owned, plug_hash (b, demo_plug_armor_mods, G_N_ELEMENTS (demo_plug_armor_mods)));
  owned_add_plug (owned, plug_hash (b, demo_plug_armor_mods, G_N_ELEMENTS (demo_plug_armor_mods)));
  owned_add_plug (owned, catalog_lookup (b, demo_plug_armor_energy[masterwork ? 1 : 0])->hash);
  owned_add_plug (owned, catalog_lookup (b, DEMO_PLUG_SHADER)->hash);
}

static void
add_stat (JsonObject *stats,
          guint32     stat_hash,
          int         value)
{
  g_autofree char *key = hash_key (stat_hash);
  JsonObject *stat = add_object (stats, key);

  set_hash (stat, "statHash", stat_hash);
  json_object_set_int_member (stat, "value", value);
}

static int
weapon_rpm (int sub_type)
{
  switch (sub_type)
    {
    case 6: return 600;
    case 7: return 65;
    case 8: return 450;
    case 9: return 140;
    case 10: return 15;
    case 11: return 20;
    case 12: return 90;
    case 13: return 390;
    case 14: return 180;
    case 17: return 300;
    case 18: return 0;
    case 22: return 20;
    case 23: return 120;
    case 24: return 900;
    case 25: return 1000;
    case 31: return 80;
    case 33: return 80;
    default: return 100;
    }
}

static void
describe_stats (DemoBuilder *b,
                DemoItem    *item,
                const char  *key,
                JsonObject  *target,
                gboolean     masterwork)
{
  JsonObject *entry = add_object (target, key);
  JsonObject *stats = add_object (entry, "stats");
  int bonus = masterwork ? 2 : 0;

  if (item->kind == KIND_WEAPON)
    {
      for (int i = 0; i < DEMO_N_WEAPON_STATS - 1; i++)
        add_stat (stats, demo_stats[1 + DEMO_N_ARMOR_STATS + i].hash,
                  MIN (100, rand_range (b, 25, 90) + bonus * 5));
      add_stat (stats, demo_stats[DEMO_N_ARMOR_STATS + DEMO_N_WEAPON_STATS].hash,
                weapon_rpm (item->sub_type));
    }
  else
    {
      for (int i = 0; i < DEMO_N_ARMOR_STATS; i++)
        add_stat (stats, demo_stats[1 + i].hash, rand_range (b, 2, 24) + bonus);
    }
}

static void
describe_sockets (DemoOwned  *owned,
                  const char *key,
                  JsonObject *target)
{
  JsonObject *entry = add_object (target, key);
  JsonArray *sockets = add_array (entry, "sockets");

  for (guint i = 0; i < owned->n_plugs; i++)
    {
      JsonObject *socket = json_object_new ();

      set_hash (socket, "plugHash", owned->plugs[i]);
      json_object_set_boolean_member (socket, "isEnabled", TRUE);
      json_object_set_boolean_member (socket, "isVisible", TRUE);
      json_array_add_object_element (sockets, socket);
    }
}

static void
describe_perks (DemoBuilder *b,
                DemoOwned   *owned,
                const char  *key,
                JsonObject  *target)
{
  JsonObject *entry = add_object (target, key);
  JsonArray *perks = add_array (entry, "perks");

  /* The intrinsic frame and both traits grant perks. */
  static const guint sockets[] = { 0, 3, 4 };

  for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
    {
      DemoItem *plug = g_hash_table_lookup (b->by_hash, GUINT_TO_POINTER (owned->plugs[sockets[i]]));
      g_autofree char *seed = g_strdup_printf ("sandbox.perk.%s", plug->name);
      JsonObject *perk = json_object_new ();

      set_hash (perk, "perkHash", qm_sandbox_fnv1a (seed));
      json_object_set_string_member (perk, "iconPath", plug->icon);
      json_object_set_boolean_member (perk, "isActive", TRUE);
      json_object_set_boolean_member (perk, "visible", TRUE);
      json_array_add_object_element (perks, perk);
    }
}

static void
describe_instance (DemoItem        *item,
                   const char      *key,
                   JsonObject      *target,
                   const DemoPlace *place,
                   gboolean         masterwork)
{
  JsonObject *instance = add_object (target, key);
  gboolean can_equip = item->slot >= 0 && place->location != 4;

  json_object_set_int_member (instance, "damageType",
                              item->kind == KIND_WEAPON || item->kind == KIND_SUBCLASS ? item->damage : 0);
  if (item->kind == KIND_WEAPON)
    set_hash (instance, "damageTypeHash", damage_spec (item->damage)->hash);
  if (place->power > 0)
    {
      JsonObject *primary = add_object (instance, "primaryStat");

      set_hash (primary, "statHash", QM_STAT_POWER);
      json_object_set_int_member (primary, "value", place->power);
    }
  json_object_set_int_member (instance, "itemLevel", place->power / 10);
  json_object_set_int_member (instance, "quality", 0);
  json_object_set_boolean_member (instance, "isEquipped", place->equipped);
  json_object_set_boolean_member (instance, "canEquip", can_equip);
  json_object_set_int_member (instance, "equipRequiredLevel", item->slot >= 0 ? 50 : 0);
  add_empty_array (instance, "unlockHashesRequiredToEquip");
  json_object_set_int_member (instance, "cannotEquipReason", item->slot >= 0 ? 0 : 1);
  if (item->kind == KIND_WEAPON)
    json_object_set_int_member (instance, "breakerType", 0);
  if (item->kind == KIND_ARMOR)
    {
      JsonObject *energy = add_object (instance, "energy");
      int capacity = masterwork ? 10 : 7;

      set_hash (energy, "energyTypeHash", DEMO_ENERGY_ANY);
      json_object_set_int_member (energy, "energyType", 0);
      json_object_set_int_member (energy, "energyCapacity", capacity);
      json_object_set_int_member (energy, "energyUsed", 3);
      json_object_set_int_member (energy, "energyUnused", capacity - 3);
    }
}

static gboolean
item_has_power (DemoItem *item)
{
  return item->kind == KIND_WEAPON || item->kind == KIND_ARMOR || item->kind == KIND_ENGRAM;
}

/* Rolls an instance of @item and describes it in @maps under @key. */
static DemoOwned *
describe_item (DemoBuilder     *b,
               DemoItem        *item,
               const char      *key,
               const DemoMaps  *maps,
               const DemoPlace *place,
               gboolean         masterwork)
{
  DemoOwned *owned = g_new0 (DemoOwned, 1);

  owned->id = g_strdup (key);
  owned->item = item;
  g_ptr_array_add (b->owned_all, owned);
  describe_instance (item, key, maps->instances, place, masterwork);
  if (item->kind == KIND_WEAPON)
    {
      roll_weapon_plugs (b, owned, masterwork);
      describe_stats (b, item, key, maps->stats, masterwork);
      describe_sockets (owned, key, maps->sockets);
      describe_perks (b, owned, key, maps->perks);
    }
  else if (item->kind == KIND_ARMOR)
    {
      roll_armor_plugs (b, owned, masterwork);
      describe_stats (b, item, key, maps->stats, masterwork);
      describe_sockets (owned, key, maps->sockets);
    }
  return owned;
}

static int
roll_power (DemoBuilder *b,
            DemoItem    *item)
{
  if (!item_has_power (item))
    return 0;
  return b->power_floor + rand_range (b, -30, 12);
}

static int
roll_state (DemoBuilder     *b,
            DemoItem        *item,
            const DemoPlace *place)
{
  int state = 0;

  if (item->kind != KIND_WEAPON && item->kind != KIND_ARMOR)
    return 0;
  if (rand_chance (b, item->tier == 6 ? 70 : (place->equipped ? 55 : 30)))
    state |= 1;
  if (rand_chance (b, 15))
    state |= 4;
  return state;
}

static gboolean
item_is_lockable (DemoItem *item)
{
  return item->instanced && item->kind != KIND_SUBCLASS && item->kind != KIND_ENGRAM &&
         item->kind != KIND_EMBLEM;
}

/* A DestinyItemComponent for @item at @place; instanced items get their
 * instance components too. */
static JsonObject *
place_item (DemoBuilder     *b,
            DemoItem        *item,
            const DemoPlace *place_in,
            DemoOwned      **out_owned)
{
  JsonObject *component = json_object_new ();
  DemoPlace place = *place_in;
  int transfer = 0;
  int state;

  place.power = roll_power (b, item);
  state = roll_state (b, item, &place);
  set_hash (component, "itemHash", item->hash);
  if (item->instanced)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, b->next_instance++);
      DemoOwned *owned;

      json_object_set_string_member (component, "itemInstanceId", id);
      owned = describe_item (b, item, id, &b->maps, &place, (state & 4) != 0);
      if (out_owned != NULL)
        *out_owned = owned;
    }
  if (place.equipped)
    transfer |= 1;
  if (item->nontransferrable)
    transfer |= 2;
  json_object_set_int_member (component, "quantity", item->instanced ? 1 : place.quantity);
  json_object_set_int_member (component, "bindStatus", 0);
  json_object_set_int_member (component, "location", place.location);
  set_hash (component, "bucketHash", place.bucket);
  json_object_set_int_member (component, "transferStatus", transfer);
  json_object_set_boolean_member (component, "lockable", item_is_lockable (item));
  json_object_set_int_member (component, "state", state);
  json_object_set_boolean_member (component, "isWrapper", FALSE);
  add_empty_array (component, "tooltipNotificationIndexes");
  if (item->kind == KIND_WEAPON || item->kind == KIND_ARMOR)
    json_object_set_int_member (component, "versionNumber", 0);
  return component;
}

static DemoOwned *
place_instanced (DemoBuilder     *b,
                 JsonArray       *items,
                 DemoItem        *item,
                 const DemoPlace *place)
{
  DemoOwned *owned = NULL;

  json_array_add_object_element (items, place_item (b, item, place, &owned));
  return owned;
}

static void
place_stack (DemoBuilder *b,
             JsonArray   *items,
             DemoItem    *item,
             int          location,
             guint32      bucket,
             int          quantity)
{
  DemoPlace place = { location, bucket, FALSE, MIN (quantity, item->max_stack), 0 };

  json_array_add_object_element (items, place_item (b, item, &place, NULL));
}

/* Characters (200, 201, 205) */

static DemoSlot
pick_exotic_slot (DemoBuilder *b,
                  DemoSlot     first,
                  int          n_slots,
                  gboolean     force)
{
  int roll = rand_range (b, 0, force ? n_slots - 1 : n_slots);

  return roll < n_slots ? (DemoSlot) (first + roll) : DEMO_N_SLOTS;
}

static DemoItem *
pick_equipped_item (DemoBuilder *b,
                    int          c,
                    DemoSlot     slot,
                    DemoSlot     exotic_weapon,
                    DemoSlot     exotic_armor)
{
  if (slot == DEMO_SLOT_SUBCLASS)
    return catalog_lookup (b, demo_subclasses[c][rand_range (b, 0, 4)]);
  if (slot_is_weapon (slot) || slot_is_armor (slot))
    return catalog_pick (b, slot, c, slot == exotic_weapon || slot == exotic_armor ? 6 : 5);
  return catalog_pick (b, slot, c, 0);
}

static void
build_equipment (DemoBuilder *b,
                 int          c,
                 JsonArray   *items)
{
  DemoSlot exotic_weapon = pick_exotic_slot (b, DEMO_SLOT_KINETIC, 3, FALSE);
  /* The Titan always wears an exotic, which Xûr also sells this week. */
  DemoSlot exotic_armor = pick_exotic_slot (b, DEMO_SLOT_HELMET, 4, c == 0);

  for (int slot = 0; slot < DEMO_N_SLOTS; slot++)
    {
      DemoItem *item = pick_equipped_item (b, c, slot, exotic_weapon, exotic_armor);
      DemoPlace place = { 1, demo_buckets[slot].hash, TRUE, 1, 0 };
      DemoOwned *owned = place_instanced (b, items, item, &place);

      b->equipped[c][slot] = owned;
      g_ptr_array_add (b->owned[c][slot], owned);
    }
}

static int
inventory_count (DemoBuilder *b,
                 int          c,
                 DemoSlot     slot)
{
  if (c == 0 && slot == DEMO_SLOT_KINETIC)
    return demo_buckets[slot].item_count - 1;  /* a full bucket */
  if (slot_is_weapon (slot))
    return rand_range (b, 4, 8);
  if (slot_is_armor (slot))
    return rand_range (b, 2, 6);
  if (slot == DEMO_SLOT_GHOST || slot == DEMO_SLOT_EMBLEM)
    return rand_range (b, 1, 3);
  return rand_range (b, 1, 2);
}

static void
build_slot_inventory (DemoBuilder *b,
                      int          c,
                      DemoSlot     slot,
                      JsonArray   *items)
{
  DemoPlace place = { 1, demo_buckets[slot].hash, FALSE, 1, 0 };

  if (slot == DEMO_SLOT_SUBCLASS)
    {
      for (int e = 0; e < 5; e++)
        {
          DemoItem *item = catalog_lookup (b, demo_subclasses[c][e]);

          if (item != b->equipped[c][slot]->item)
            g_ptr_array_add (b->owned[c][slot], place_instanced (b, items, item, &place));
        }
      return;
    }
  for (int n = inventory_count (b, c, slot); n > 0; n--)
    {
      int tier = (slot_is_weapon (slot) || slot_is_armor (slot)) && rand_chance (b, 20) ? 6 : 5;
      DemoItem *item = catalog_pick (b, slot, c, slot < DEMO_SLOT_GHOST ? tier : 0);

      g_ptr_array_add (b->owned[c][slot], place_instanced (b, items, item, &place));
    }
}

static void
build_postmaster (DemoBuilder *b,
                  int          c,
                  JsonArray   *items)
{
  DemoPlace place = { 4, QM_BUCKET_POSTMASTER, FALSE, 1, 0 };

  if (c == 0)
    {
      place_instanced (b, items, catalog_pick (b, DEMO_SLOT_ENERGY, c, 5), &place);
      place_stack (b, items, catalog_lookup (b, demo_consumables[DEMO_CONSUMABLE_PRISM].name),
                   4, QM_BUCKET_POSTMASTER, 3);
      place_stack (b, items, catalog_lookup (b, "Vanguard Reward Package"), 4, QM_BUCKET_POSTMASTER, 1);
      place_stack (b, items, catalog_lookup (b, demo_consumables[DEMO_CONSUMABLE_CIPHER].name),
                   4, QM_BUCKET_POSTMASTER, 1);
    }
  else if (c == 1)
    {
      place_instanced (b, items, catalog_pick (b, DEMO_SLOT_CHEST, c, 5), &place);
      place_instanced (b, items, catalog_lookup (b, "Exotic Engram"), &place);
      place_stack (b, items, catalog_lookup (b, demo_consumables[DEMO_CONSUMABLE_SHARD].name),
                   4, QM_BUCKET_POSTMASTER, 2);
    }
}

static void
build_inventory (DemoBuilder *b,
                 int          c,
                 JsonArray   *items)
{
  DemoPlace engram = { 1, QM_BUCKET_ENGRAMS, FALSE, 1, 0 };

  for (int slot = 0; slot < DEMO_N_SLOTS; slot++)
    build_slot_inventory (b, c, slot, items);
  for (int n = rand_range (b, 1, 2); n > 0; n--)
    place_instanced (b, items, catalog_lookup (b, "Legendary Engram"), &engram);
  place_stack (b, items, catalog_lookup (b, "A Guardian's Sandbox"), 1, QM_BUCKET_QUESTS, 1);
  build_postmaster (b, c, items);
}

static int
owned_power (DemoBuilder *b,
             DemoOwned   *owned)
{
  JsonObject *instance = json_object_get_object_member (b->maps.instances, owned->id);
  JsonObject *primary = json_object_get_object_member (instance, "primaryStat");

  return json_object_get_int_member (primary, "value");
}

static int
owned_stat (DemoBuilder *b,
            DemoOwned   *owned,
            guint32      stat_hash)
{
  g_autofree char *key = hash_key (stat_hash);
  JsonObject *entry = json_object_get_object_member (b->maps.stats, owned->id);
  JsonObject *stats = json_object_get_object_member (entry, "stats");

  if (!json_object_has_member (stats, key))
    return 0;
  return json_object_get_int_member (json_object_get_object_member (stats, key), "value");
}

static int
character_light (DemoBuilder *b,
                 int          c)
{
  int total = 0;

  for (int slot = DEMO_SLOT_KINETIC; slot <= DEMO_SLOT_CLASS_ARMOR; slot++)
    total += owned_power (b, b->equipped[c][slot]);
  return total / (DEMO_SLOT_CLASS_ARMOR + 1);
}

static void
character_stats (DemoBuilder *b,
                 int          c,
                 JsonObject  *character,
                 int          light)
{
  JsonObject *stats = add_object (character, "stats");
  g_autofree char *power_key = hash_key (QM_STAT_POWER);

  json_object_set_int_member (stats, power_key, light);
  for (int i = 0; i < DEMO_N_ARMOR_STATS; i++)
    {
      g_autofree char *key = hash_key (demo_stats[1 + i].hash);
      int total = 10;

      for (int slot = DEMO_SLOT_HELMET; slot <= DEMO_SLOT_CLASS_ARMOR; slot++)
        total += owned_stat (b, b->equipped[c][slot], demo_stats[1 + i].hash);
      json_object_set_int_member (stats, key, MIN (total, 100));
    }
}

static void
character_level (JsonObject *character)
{
  JsonObject *level = add_object (character, "levelProgression");

  set_hash (level, "progressionHash", DEMO_PROGRESSION_LEVEL);
  json_object_set_int_member (level, "dailyProgress", 0);
  json_object_set_int_member (level, "dailyLimit", 0);
  json_object_set_int_member (level, "weeklyProgress", 0);
  json_object_set_int_member (level, "weeklyLimit", 0);
  json_object_set_int_member (level, "currentProgress", 0);
  json_object_set_int_member (level, "level", 50);
  json_object_set_int_member (level, "levelCap", 50);
  json_object_set_int_member (level, "stepIndex", 50);
  json_object_set_int_member (level, "progressToNextLevel", 0);
  json_object_set_int_member (level, "nextLevelAt", 0);
  json_object_set_int_member (character, "baseCharacterLevel", 50);
  json_object_set_double_member (character, "percentToNextLevel", 12.5);
}

static void
character_emblem (DemoBuilder *b,
                  int          c,
                  JsonObject  *character)
{
  DemoItem *emblem = b->equipped[c][DEMO_SLOT_EMBLEM]->item;
  g_autofree char *seed = g_strdup_printf ("sandbox.item.%s.background", emblem->name);
  g_autofree char *background = qm_sandbox_icon_path (seed);
  JsonObject *color;

  json_object_set_string_member (character, "emblemPath", emblem->icon);
  json_object_set_string_member (character, "emblemBackgroundPath", background);
  set_hash (character, "emblemHash", emblem->hash);
  color = add_object (character, "emblemColor");
  json_object_set_int_member (color, "red", emblem->hash & 0x7f);
  json_object_set_int_member (color, "green", (emblem->hash >> 8) & 0x7f);
  json_object_set_int_member (color, "blue", (emblem->hash >> 16) & 0x7f);
  json_object_set_int_member (color, "alpha", 255);
}

static gint64
character_last_played (int c)
{
  static const int hours_ago[3] = { 2, 30, 75 };

  return DEMO_BASE_UNIX - hours_ago[c] * 3600;
}

static JsonObject *
build_character (DemoBuilder *b,
                 int          c)
{
  static const guint32 races[3] = { DEMO_CHARACTER_RACE_HUMAN, 2803282938u, 898834093u };
  static const guint32 genders[2] = { 3111576190u, 2204441813u };
  JsonObject *character = json_object_new ();
  g_autofree char *played = demo_date (character_last_played (c));
  g_autofree char *session = g_strdup_printf ("%d", c == 0 ? rand_range (b, 10, 120) : 0);
  g_autofree char *total = g_strdup_printf ("%d", rand_range (b, 20000, 90000));
  int race = rand_range (b, 0, 2);
  int gender = rand_range (b, 0, 1);
  int light = character_light (b, c);

  json_object_set_string_member (character, "membershipId", b->world->membership_id);
  json_object_set_int_member (character, "membershipType", b->world->membership_type);
  json_object_set_string_member (character, "characterId", b->character_ids[c]);
  json_object_set_string_member (character, "dateLastPlayed", played);
  json_object_set_string_member (character, "minutesPlayedThisSession", session);
  json_object_set_string_member (character, "minutesPlayedTotal", total);
  json_object_set_int_member (character, "light", light);
  character_stats (b, c, character, light);
  set_hash (character, "raceHash", races[race]);
  set_hash (character, "genderHash", genders[gender]);
  set_hash (character, "classHash", demo_class_hashes[c]);
  json_object_set_int_member (character, "raceType", race);
  json_object_set_int_member (character, "classType", c);
  json_object_set_int_member (character, "genderType", gender);
  character_emblem (b, c, character);
  character_level (character);
  return character;
}

/* Loadouts (206) */

static GPtrArray *
loadout_candidates (DemoBuilder *b,
                    int          c,
                    DemoSlot     slot)
{
  GPtrArray *out = g_ptr_array_new ();

  g_ptr_array_extend (out, b->owned[c][slot], NULL, NULL);
  if (b->vault[slot] == NULL)
    return out;
  for (guint i = 0; i < b->vault[slot]->len; i++)
    {
      DemoOwned *owned = g_ptr_array_index (b->vault[slot], i);

      if (owned->item->class_type == 3 || owned->item->class_type == c)
        g_ptr_array_add (out, owned);
    }
  return out;
}

static DemoOwned *
loadout_pick (DemoBuilder *b,
              int          c,
              DemoSlot     slot,
              gboolean    *exotic_weapon,
              gboolean    *exotic_armor)
{
  g_autoptr(GPtrArray) candidates = loadout_candidates (b, c, slot);
  gboolean *exotic = slot_is_weapon (slot) ? exotic_weapon : slot_is_armor (slot) ? exotic_armor : NULL;
  DemoOwned *owned;

  do
    owned = rand_pick (b, candidates);
  while (exotic != NULL && *exotic && owned->item->tier == 6 &&
         (g_ptr_array_remove_fast (candidates, owned), candidates->len > 0));
  /* Nothing fits next to the exotic already chosen: leave the slot empty. */
  if (exotic != NULL && *exotic && owned->item->tier == 6)
    return NULL;
  if (exotic != NULL && owned->item->tier == 6)
    *exotic = TRUE;
  return owned;
}

static void
loadout_add_item (JsonArray *items,
                  DemoOwned *owned)
{
  JsonObject *entry = json_object_new ();
  JsonArray *plugs;

  json_object_set_string_member (entry, "itemInstanceId", owned != NULL ? owned->id : "0");
  plugs = add_array (entry, "plugItemHashes");
  for (guint i = 0; owned != NULL && i < owned->n_plugs; i++)
    {
      /* Single-option sockets (the intrinsic frame) come back unset. */
      gboolean single = i == 0 && owned->item->kind == KIND_WEAPON;

      array_add_hash (plugs, single ? QM_LOADOUT_UNSET_PLUG_HASH : owned->plugs[i]);
    }
  json_array_add_object_element (items, entry);
}

static JsonObject *
build_loadout (DemoBuilder *b,
               int          c,
               int          index,
               gboolean     filled)
{
  JsonObject *loadout = json_object_new ();
  JsonArray *items;
  gboolean exotic_weapon = FALSE;
  gboolean exotic_armor = FALSE;

  set_hash (loadout, "colorHash", b->loadout_colors[filled ? rand_range (b, 0, DEMO_N_LOADOUT_COLORS - 1) : 0]);
  set_hash (loadout, "iconHash", b->loadout_icons[filled ? rand_range (b, 0, DEMO_N_LOADOUT_ICONS - 1) : 0]);
  set_hash (loadout, "nameHash",
            b->loadout_names[filled ? rand_range (b, 0, G_N_ELEMENTS (b->loadout_names) - 1) : 0]);
  items = add_array (loadout, "items");
  for (int i = 0; i < DEMO_N_LOADOUT_SLOTS; i++)
    {
      DemoSlot slot = demo_loadout_slot_order[i];
      DemoOwned *owned = NULL;

      if (filled && index == 0)
        owned = b->equipped[c][slot];
      else if (filled)
        owned = loadout_pick (b, c, slot, &exotic_weapon, &exotic_armor);
      loadout_add_item (items, owned);
    }
  return loadout;
}

static JsonObject *
build_loadouts (DemoBuilder *b,
                int          c)
{
  JsonObject *component = json_object_new ();
  JsonArray *loadouts = add_array (component, "loadouts");
  /* The Titan keeps a free slot for snapshots. */
  int filled = c == 0 ? 3 : rand_range (b, 3, 4);

  for (int i = 0; i < DEMO_N_LOADOUTS; i++)
    json_array_add_object_element (loadouts, build_loadout (b, c, i, i < filled));
  return component;
}

/* The profile */

static JsonObject *
add_component (JsonObject *profile,
               const char *name,
               int         privacy)
{
  JsonObject *component = add_object (profile, name);
  JsonObject *data = add_object (component, "data");

  json_object_set_int_member (component, "privacy", privacy);
  return data;
}

static void
build_vault (DemoBuilder *b,
             JsonArray   *items)
{
  int count = rand_range (b, 260, 340);

  for (int slot = 0; slot <= DEMO_SLOT_CLASS_ARMOR; slot++)
    b->vault[slot] = g_ptr_array_new ();
  for (int n = 0; n < count; n++)
    {
      DemoSlot slot = rand_chance (b, 55) ? rand_range (b, DEMO_SLOT_KINETIC, DEMO_SLOT_POWER)
                                          : rand_range (b, DEMO_SLOT_HELMET, DEMO_SLOT_CLASS_ARMOR);
      int class_type = rand_range (b, 0, 2);
      int tier = rand_chance (b, 15) ? 6 : 5;
      DemoItem *item = catalog_pick (b, slot, class_type, tier);
      DemoPlace place = { 2, QM_BUCKET_VAULT, FALSE, 1, 0 };

      g_ptr_array_add (b->vault[slot], place_instanced (b, items, item, &place));
    }
  place_stack (b, items, catalog_lookup (b, demo_consumables[DEMO_CONSUMABLE_MODULE].name),
               2, QM_BUCKET_VAULT, 10);
}

static void
build_account_buckets (DemoBuilder *b,
                       JsonArray   *items)
{
  static const int low[] = { 100, 5, 1, 1, 1, 5, 1 };
  static const int high[] = { 600, 30, 8, 5, 1, 40, 5 };

  G_STATIC_ASSERT (G_N_ELEMENTS (low) == G_N_ELEMENTS (demo_consumables));
  for (guint i = 0; i < G_N_ELEMENTS (demo_consumables); i++)
    place_stack (b, items, catalog_lookup (b, demo_consumables[i].name), 1,
                 QM_BUCKET_CONSUMABLES, rand_range (b, low[i], high[i]));
  for (guint i = 0; i < G_N_ELEMENTS (demo_mods); i++)
    place_stack (b, items, catalog_lookup (b, demo_mods[i].name), 1,
                 QM_BUCKET_MODIFICATIONS, rand_range (b, 1, 5));
}

static void
build_currencies (DemoBuilder *b,
                  JsonObject  *data)
{
  static const int low[] = { 50000, 800, 1000, 0, 20 };
  static const int high[] = { 249000, 4000, 12000, 2000, 60 };
  JsonArray *items = add_array (data, "items");

  G_STATIC_ASSERT (G_N_ELEMENTS (low) == G_N_ELEMENTS (demo_currencies));
  for (guint i = 0; i < G_N_ELEMENTS (demo_currencies); i++)
    {
      b->currency[i] = rand_range (b, low[i], high[i]);
      place_stack (b, items, catalog_lookup (b, demo_currencies[i].name), 0,
                   demo_currencies[i].bucket, b->currency[i]);
    }
}

static void
build_user_info (DemoBuilder *b,
                 JsonObject  *info,
                 gboolean     group_card)
{
  if (group_card)
    {
      json_object_set_string_member (info, "LastSeenDisplayName", b->world->display_name);
      json_object_set_int_member (info, "LastSeenDisplayNameType", b->world->membership_type);
    }
  json_object_set_string_member (info, "iconPath", "/img/theme/bungienet/icons/steamLogo.png");
  json_object_set_int_member (info, "crossSaveOverride", 0);
  json_array_add_int_element (add_array (info, "applicableMembershipTypes"), b->world->membership_type);
  json_object_set_boolean_member (info, "isPublic", TRUE);
  json_object_set_int_member (info, "membershipType", b->world->membership_type);
  json_object_set_string_member (info, "membershipId", b->world->membership_id);
  json_object_set_string_member (info, "displayName", b->world->display_name);
  json_object_set_string_member (info, "bungieGlobalDisplayName", b->world->display_name);
  json_object_set_int_member (info, "bungieGlobalDisplayNameCode", 1234);
}

static void
build_profile_component (DemoBuilder *b,
                         JsonObject  *data)
{
  static const guint32 seasons[] = { 2809059431u, 2809059432u, 2809059433u };
  g_autofree char *played = demo_date (character_last_played (0));
  JsonArray *ids;
  JsonArray *season_hashes;

  build_user_info (b, add_object (data, "userInfo"), FALSE);
  json_object_set_string_member (data, "dateLastPlayed", played);
  json_object_set_int_member (data, "versionsOwned", 2047);
  ids = add_array (data, "characterIds");
  for (int c = 0; c < 3; c++)
    json_array_add_string_element (ids, b->character_ids[c]);
  season_hashes = add_array (data, "seasonHashes");
  for (guint i = 0; i < G_N_ELEMENTS (seasons); i++)
    array_add_hash (season_hashes, seasons[i]);
  add_empty_array (data, "eventCardHashesOwned");
  set_hash (data, "currentSeasonHash", seasons[G_N_ELEMENTS (seasons) - 1]);
  json_object_set_int_member (data, "currentSeasonRewardPowerCap", 2010);
  json_object_set_int_member (data, "currentGuardianRank", 6);
  json_object_set_int_member (data, "lifetimeHighestGuardianRank", 7);
  json_object_set_int_member (data, "renewedGuardianRank", 0);
}

static void
build_characters (DemoBuilder *b,
                  JsonObject  *profile)
{
  JsonObject *characters = add_component (profile, "characters", 1);
  JsonObject *inventories = add_component (profile, "characterInventories", 2);
  JsonObject *equipment = add_component (profile, "characterEquipment", 1);

  for (int c = 0; c < 3; c++)
    {
      JsonObject *equipped = add_object (equipment, b->character_ids[c]);
      JsonObject *inventory = add_object (inventories, b->character_ids[c]);

      for (int slot = 0; slot < DEMO_N_SLOTS; slot++)
        b->owned[c][slot] = g_ptr_array_new ();
      build_equipment (b, c, add_array (equipped, "items"));
      build_inventory (b, c, add_array (inventory, "items"));
    }
  for (int c = 0; c < 3; c++)
    json_object_set_object_member (characters, b->character_ids[c], build_character (b, c));
}

static JsonObject *
build_item_components (DemoBuilder *b)
{
  JsonObject *components = json_object_new ();

  b->maps.instances = add_component (components, "instances", 1);
  b->maps.perks = add_component (components, "perks", 1);
  b->maps.stats = add_component (components, "stats", 1);
  b->maps.sockets = add_component (components, "sockets", 1);
  return components;
}

static JsonNode *
build_profile (DemoBuilder *b)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *profile = json_object_new ();
  JsonObject *inventory;
  JsonObject *loadouts;
  JsonObject *components;

  json_node_take_object (root, profile);
  json_object_set_string_member (profile, "responseMintedTimestamp", DEMO_MINTED_TIMESTAMP);
  json_object_set_string_member (profile, "secondaryComponentsMintedTimestamp", DEMO_MINTED_TIMESTAMP);
  inventory = add_component (profile, "profileInventory", 2);
  build_currencies (b, add_component (profile, "profileCurrencies", 2));
  build_profile_component (b, add_component (profile, "profile", 1));
  /* The item components are filled while items are placed, and go last. */
  components = build_item_components (b);
  build_characters (b, profile);
  build_vault (b, add_array (inventory, "items"));
  build_account_buckets (b, json_object_get_array_member (inventory, "items"));
  loadouts = add_component (profile, "characterLoadouts", 2);
  for (int c = 0; c < 3; c++)
    json_object_set_object_member (loadouts, b->character_ids[c], build_loadouts (b, c));
  json_object_set_object_member (profile, "itemComponents", components);
  return root;
}

/* A bigger profile (--profile-items): more real gear, placed where a
 * player keeps it: mostly the vault, the rest in the characters' slots,
 * each bucket within its capacity. */

static int
bucket_capacity (guint32 bucket_hash)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_buckets); i++)
    if (demo_buckets[i].hash == bucket_hash)
      return demo_buckets[i].item_count;
  g_assert_not_reached ();
}

static guint
count_items (JsonArray *items,
             guint32    bucket_hash)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      n += bucket_hash == 0 || (guint32) json_object_get_int_member (item, "bucketHash") == bucket_hash;
    }
  return n;
}

static JsonArray *
component_items (JsonObject *profile,
                 const char *component,
                 const char *character_id)
{
  JsonObject *data = json_object_get_object_member (json_object_get_object_member (profile, component),
                                                    "data");

  if (character_id != NULL)
    data = json_object_get_object_member (data, character_id);
  return json_object_get_array_member (data, "items");
}

static guint
count_profile_items (DemoBuilder *b,
                     JsonObject  *profile)
{
  guint n = count_items (component_items (profile, "profileInventory", NULL), 0) +
            count_items (component_items (profile, "profileCurrencies", NULL), 0);

  for (int c = 0; c < 3; c++)
    n += count_items (component_items (profile, "characterEquipment", b->character_ids[c]), 0) +
         count_items (component_items (profile, "characterInventories", b->character_ids[c]), 0);
  return n;
}

/* Free places: [0] the vault, then per character its gear slots (kinetic
 * to emblem) after the equipped item. */
#define GROW_N_SLOTS (DEMO_SLOT_EMBLEM + 1)

static void
grow_profile (DemoBuilder *b,
              guint        n_items)
{
  JsonObject *profile = json_node_get_object (b->world->profile);
  JsonArray *vault = component_items (profile, "profileInventory", NULL);
  JsonArray *inventories[3];
  int room_vault = bucket_capacity (QM_BUCKET_VAULT) - (int) count_items (vault, QM_BUCKET_VAULT);
  int room[3][GROW_N_SLOTS];
  int room_characters = 0;
  guint count = count_profile_items (b, profile);
  GRand *account_rand = b->rand;
  guint64 seeds = b->seed ^ G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  guint32 seed_array[2] = { (guint32) seeds, (guint32) (seeds >> 32) };

  for (int c = 0; c < 3; c++)
    {
      inventories[c] = component_items (profile, "characterInventories", b->character_ids[c]);
      for (int slot = 0; slot < GROW_N_SLOTS; slot++)
        {
          room[c][slot] = demo_buckets[slot].item_count - 1 -
                          (int) count_items (inventories[c], demo_buckets[slot].hash);
          room_characters += room[c][slot];
        }
    }

  /* A generator of its own: the account as built stays byte-identical. */
  b->rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));
  for (; count < n_items && room_vault + room_characters > 0; count++)
    {
      if (room_vault > 0 && (room_characters == 0 || rand_chance (b, 85)))
        {
          DemoSlot slot = rand_chance (b, 55) ? rand_range (b, DEMO_SLOT_KINETIC, DEMO_SLOT_POWER)
                                              : rand_range (b, DEMO_SLOT_HELMET, DEMO_SLOT_CLASS_ARMOR);
          int tier = rand_chance (b, 15) ? 6 : 5;
          DemoPlace place = { 2, QM_BUCKET_VAULT, FALSE, 1, 0 };

          place_instanced (b, vault, catalog_pick (b, slot, rand_range (b, 0, 2), tier), &place);
          room_vault--;
        }
      else
        {
          /* The n-th free place, counted across the characters' slots. */
          int nth = rand_range (b, 0, room_characters - 1);
          int c = 0;
          int slot = 0;

          while (nth >= room[c][slot])
            {
              nth -= room[c][slot];
              if (++slot == GROW_N_SLOTS)
                {
                  slot = 0;
                  c++;
                }
            }
          {
            gboolean gear = slot_is_weapon (slot) || slot_is_armor (slot);
            int tier = gear && rand_chance (b, 20) ? 6 : 5;
            DemoPlace place = { 1, demo_buckets[slot].hash, FALSE, 1, 0 };

            place_instanced (b, inventories[c], catalog_pick (b, slot, c, gear ? tier : 0), &place);
          }
          room[c][slot]--;
          room_characters--;
        }
    }
  g_rand_free (b->rand);
  b->rand = account_rand;
}

static JsonNode *
build_memberships (DemoBuilder *b)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *data = json_object_new ();
  JsonObject *card = json_object_new ();
  JsonObject *user;
  g_autofree char *unique_name = g_strdup_printf ("%s#1234", b->world->display_name);

  json_node_take_object (root, data);
  build_user_info (b, card, TRUE);
  json_array_add_object_element (add_array (data, "destinyMemberships"), card);
  json_object_set_string_member (data, "primaryMembershipId", b->world->membership_id);
  user = add_object (data, "bungieNetUser");
  json_object_set_string_member (user, "membershipId", b->world->bungie_net_id);
  json_object_set_string_member (user, "uniqueName", unique_name);
  json_object_set_string_member (user, "displayName", b->world->display_name);
  json_object_set_int_member (user, "profilePicture", 70487);
  json_object_set_int_member (user, "profileTheme", 1156);
  json_object_set_int_member (user, "userTitle", 0);
  json_object_set_string_member (user, "successMessageFlags", "0");
  json_object_set_boolean_member (user, "isDeleted", FALSE);
  json_object_set_string_member (user, "about", "");
  json_object_set_string_member (user, "firstAccess", "2017-09-06T17:00:00Z");
  json_object_set_string_member (user, "lastUpdate", "2026-11-01T12:00:00Z");
  json_object_set_boolean_member (user, "showActivity", TRUE);
  json_object_set_string_member (user, "locale", "en");
  json_object_set_boolean_member (user, "localeInheritDefault", TRUE);
  json_object_set_boolean_member (user, "showGroupMessaging", TRUE);
  json_object_set_string_member (user, "profilePicturePath", "/img/profile/avatars/default_avatar.gif");
  json_object_set_string_member (user, "profileThemeName", "d2_26");
  json_object_set_string_member (user, "userTitleDisplay", "Newbie");
  json_object_set_string_member (user, "statusText", "");
  json_object_set_string_member (user, "statusDate", "0001-01-01T00:00:00Z");
  json_object_set_string_member (user, "steamDisplayName", b->world->display_name);
  json_object_set_string_member (user, "cachedBungieGlobalDisplayName", b->world->display_name);
  json_object_set_int_member (user, "cachedBungieGlobalDisplayNameCode", 1234);
  return root;
}

/* Definitions */

static void
def_weapon_blocks (DemoItem   *item,
                   JsonObject *def)
{
  JsonObject *stats = add_object (def, "stats");
  JsonObject *stat_map;
  JsonArray *investment = add_array (def, "investmentStats");

  json_object_set_boolean_member (stats, "disablePrimaryStatDisplay", FALSE);
  set_hash (stats, "statGroupHash", qm_sandbox_fnv1a (item->type_name));
  stat_map = add_object (stats, "stats");
  for (int i = 0; i < DEMO_N_WEAPON_STATS; i++)
    {
      const DemoStatSpec *spec = &demo_stats[1 + DEMO_N_ARMOR_STATS + i];
      g_autofree char *key = hash_key (spec->hash);
      JsonObject *stat = add_object (stat_map, key);
      JsonObject *invest = json_object_new ();
      int value = i == DEMO_N_WEAPON_STATS - 1 ? weapon_rpm (item->sub_type)
                                               : (int) (30 + (item->hash >> (i * 3)) % 50);

      set_hash (stat, "statHash", spec->hash);
      json_object_set_int_member (stat, "value", value);
      json_object_set_int_member (stat, "minimum", 0);
      json_object_set_int_member (stat, "maximum", i == DEMO_N_WEAPON_STATS - 1 ? 1000 : 100);
      json_object_set_int_member (stat, "displayMaximum", i == DEMO_N_WEAPON_STATS - 1 ? 1000 : 100);
      set_hash (invest, "statTypeHash", spec->hash);
      json_object_set_int_member (invest, "value", value);
      json_object_set_boolean_member (invest, "isConditionallyActive", FALSE);
      json_array_add_object_element (investment, invest);
    }
  json_object_set_boolean_member (stats, "hasDisplayableStats", TRUE);
  set_hash (stats, "primaryBaseStatHash", QM_STAT_POWER);
}

static void
def_socket_entry (JsonArray *entries,
                  guint32    socket_type,
                  guint32    initial_plug)
{
  JsonObject *entry = json_object_new ();

  set_hash (entry, "socketTypeHash", socket_type);
  set_hash (entry, "singleInitialItemHash", initial_plug);
  add_empty_array (entry, "reusablePlugItems");
  json_object_set_boolean_member (entry, "preventInitializationOnVendorPurchase", FALSE);
  json_object_set_boolean_member (entry, "hidePerksInItemTooltip", FALSE);
  json_object_set_int_member (entry, "plugSources", 2);
  json_object_set_boolean_member (entry, "defaultVisible", TRUE);
  json_array_add_object_element (entries, entry);
}

static void
def_sockets (DemoBuilder *b,
             DemoItem    *item,
             JsonObject  *def)
{
  static const char * const *weapon_columns[] = {
    demo_plug_frames, demo_plug_barrels, demo_plug_magazines, demo_plug_traits1,
    demo_plug_traits2, demo_plug_weapon_tiers,
  };
  static const char * const shader[] = { DEMO_PLUG_SHADER };
  JsonObject *sockets = add_object (def, "sockets");
  JsonArray *entries;
  JsonArray *categories;
  JsonArray *indexes;
  JsonObject *category;
  guint n = item->kind == KIND_WEAPON ? 7 : 4;

  json_object_set_string_member (sockets, "detail", "Sockets");
  entries = add_array (sockets, "socketEntries");
  for (guint i = 0; i < n; i++)
    {
      const char * const *column = i == n - 1 ? shader
                                   : item->kind == KIND_WEAPON ? weapon_columns[i]
                                   : i < 2 ? demo_plug_armor_mods : demo_plug_armor_energy;
      DemoItem *plug = catalog_lookup (b, column[0]);
      g_autofree char *socket_seed = g_strdup_printf ("sandbox.socket.%s", plug->plug_category);

      def_socket_entry (entries, qm_sandbox_fnv1a (socket_seed), plug->hash);
    }
  add_empty_array (sockets, "intrinsicSockets");
  categories = add_array (sockets, "socketCategories");
  category = json_object_new ();
  set_hash (category, "socketCategoryHash", item->kind == KIND_WEAPON ? 4241085061u : 590099826u);
  indexes = add_array (category, "socketIndexes");
  for (guint i = 0; i < n; i++)
    json_array_add_int_element (indexes, i);
  json_array_add_object_element (categories, category);
}

static void
def_equipping_block (DemoItem   *item,
                     JsonObject *def)
{
  JsonObject *block = add_object (def, "equippingBlock");
  JsonArray *strings;

  if (item->tier == 6 && (item->kind == KIND_WEAPON || item->kind == KIND_ARMOR))
    {
      const char *label = item->kind == KIND_WEAPON ? "exotic_weapon" : "exotic_armor";

      json_object_set_string_member (block, "uniqueLabel", label);
      set_hash (block, "uniqueLabelHash", qm_sandbox_fnv1a (label));
    }
  else
    set_hash (block, "uniqueLabelHash", 0);
  set_hash (block, "equipmentSlotTypeHash", item->bucket);
  json_object_set_int_member (block, "attributes", 0);
  json_object_set_int_member (block, "ammoType", item->ammo);
  strings = add_array (block, "displayStrings");
  json_array_add_string_element (strings, "");
}

static void
def_inventory_block (DemoItem   *item,
                     JsonObject *def)
{
  JsonObject *inventory = add_object (def, "inventory");
  const DemoTierSpec *tier = tier_spec (item->tier);

  if (item->unique_label != NULL)
    json_object_set_string_member (inventory, "stackUniqueLabel", item->unique_label);
  json_object_set_int_member (inventory, "maxStackSize", item->max_stack);
  set_hash (inventory, "bucketTypeHash", item->bucket);
  set_hash (inventory, "recoveryBucketTypeHash", item->kind == KIND_PLUG ? 0 : QM_BUCKET_POSTMASTER);
  set_hash (inventory, "tierTypeHash", tier->hash);
  json_object_set_boolean_member (inventory, "isInstanceItem", item->instanced);
  json_object_set_string_member (inventory, "tierTypeName", tier->name);
  json_object_set_int_member (inventory, "tierType", item->tier);
  json_object_set_string_member (inventory, "expirationTooltip", "");
  json_object_set_string_member (inventory, "expiredInActivityMessage", "");
  json_object_set_string_member (inventory, "expiredInOrbitMessage", "");
  json_object_set_boolean_member (inventory, "suppressExpirationWhenObjectivesComplete", TRUE);
}

static void
def_plug_block (DemoItem   *item,
                JsonObject *def)
{
  JsonObject *plug = add_object (def, "plug");

  add_empty_array (plug, "insertionRules");
  json_object_set_string_member (plug, "plugCategoryIdentifier", item->plug_category);
  set_hash (plug, "plugCategoryHash", qm_sandbox_fnv1a (item->plug_category));
  json_object_set_boolean_member (plug, "onActionRecreateSelf", FALSE);
  add_empty_array (plug, "enabledRules");
  json_object_set_string_member (plug, "uiPlugLabel", "");
  json_object_set_int_member (plug, "plugStyle", g_str_has_prefix (item->name, "Masterworked") ? 1 : 0);
  json_object_set_int_member (plug, "plugAvailability", 0);
  json_object_set_string_member (plug, "alternateUiPlugLabel", "");
  json_object_set_int_member (plug, "alternatePlugStyle", 0);
  json_object_set_boolean_member (plug, "isDummyPlug", FALSE);
}

static void
def_cosmetic_icons (DemoItem   *item,
                    JsonObject *def)
{
  g_autofree char *overlay_seed = g_strdup_printf ("sandbox.item.%s.overlay", item->name);
  g_autofree char *background_seed = g_strdup_printf ("sandbox.item.%s.background", item->name);
  g_autofree char *overlay = qm_sandbox_icon_path (overlay_seed);
  g_autofree char *background = qm_sandbox_icon_path (background_seed);
  JsonObject *color;

  json_object_set_string_member (def, "secondaryIcon", background);
  json_object_set_string_member (def, "secondaryOverlay", overlay);
  json_object_set_string_member (def, "secondarySpecial", background);
  color = add_object (def, "backgroundColor");
  json_object_set_int_member (color, "red", item->hash & 0x7f);
  json_object_set_int_member (color, "green", (item->hash >> 8) & 0x7f);
  json_object_set_int_member (color, "blue", (item->hash >> 16) & 0x7f);
  json_object_set_int_member (color, "alpha", 255);
}

static char *
item_type_and_tier (DemoItem *item)
{
  if (item->kind == KIND_CURRENCY || item->kind == KIND_PLUG)
    return g_strdup (item->type_name);
  return g_strdup_printf ("%s %s", tier_spec (item->tier)->name, item->type_name);
}

static void
def_display (DemoItem   *item,
             JsonObject *def)
{
  g_autofree char *watermark_seed = g_strdup_printf ("sandbox.watermark.%u", item->hash % 7);
  g_autofree char *watermark = qm_sandbox_icon_path (watermark_seed);
  g_autofree char *type_and_tier = item_type_and_tier (item);
  gboolean gear = item->kind == KIND_WEAPON || item->kind == KIND_ARMOR;

  display_properties (def, item->name, item->description, item->icon);
  add_empty_array (def, "tooltipNotifications");
  if (gear)
    {
      g_autofree char *screenshot = g_strdup_printf ("/common/destiny2_content/screenshots/%u.jpg",
                                                     item->hash);

      json_object_set_string_member (def, "iconWatermark", watermark);
      json_object_set_string_member (def, "iconWatermarkShelved", watermark);
      json_object_set_string_member (def, "screenshot", screenshot);
    }
  if (item->kind == KIND_EMBLEM)
    def_cosmetic_icons (item, def);
  json_object_set_boolean_member (def, "isFeaturedItem", FALSE);
  json_object_set_boolean_member (def, "isHolofoil", FALSE);
  json_object_set_boolean_member (def, "isAdept", FALSE);
  json_object_set_string_member (def, "itemTypeDisplayName", item->type_name);
  json_object_set_string_member (def, "flavorText", item->flavor != NULL ? item->flavor : "");
  json_object_set_string_member (def, "uiItemDisplayStyle", "");
  json_object_set_string_member (def, "itemTypeAndTierDisplayName", type_and_tier);
  json_object_set_string_member (def, "displaySource", "");
  json_object_set_string_member (def, "tooltipStyle", item->kind == KIND_PLUG ? "build" : "");
}

static void
def_damage (DemoItem   *item,
            JsonObject *def)
{
  JsonArray *hashes = add_array (def, "damageTypeHashes");
  JsonArray *types = add_array (def, "damageTypes");

  if (item->kind == KIND_WEAPON)
    {
      array_add_hash (hashes, damage_spec (item->damage)->hash);
      json_array_add_int_element (types, item->damage);
      json_object_set_int_member (def, "defaultDamageType", item->damage);
      set_hash (def, "defaultDamageTypeHash", damage_spec (item->damage)->hash);
    }
  else
    json_object_set_int_member (def, "defaultDamageType", 0);
}

static JsonObject *
def_item (DemoBuilder *b,
          DemoItem    *item,
          int          index)
{
  JsonObject *def = json_object_new ();
  JsonArray *categories;

  def_display (item, def);
  def_inventory_block (item, def);
  if (item->kind == KIND_WEAPON)
    def_weapon_blocks (item, def);
  if (item->slot >= 0)
    def_equipping_block (item, def);
  if (item->kind == KIND_WEAPON || item->kind == KIND_ARMOR)
    def_sockets (b, item, def);
  if (item->kind == KIND_PLUG)
    def_plug_block (item, def);
  add_empty_array (def, "perks");
  json_object_set_boolean_member (def, "allowActions", TRUE);
  json_object_set_boolean_member (def, "doesPostmasterPullHaveSideEffects", item->side_effects);
  json_object_set_boolean_member (def, "nonTransferrable", item->nontransferrable);
  categories = add_array (def, "itemCategoryHashes");
  for (guint i = 0; i < item->n_categories; i++)
    array_add_hash (categories, item->categories[i]);
  json_object_set_int_member (def, "specialItemType", 0);
  json_object_set_int_member (def, "itemType", item->item_type);
  json_object_set_int_member (def, "itemSubType", item->sub_type);
  json_object_set_int_member (def, "classType", item->class_type);
  json_object_set_int_member (def, "breakerType", 0);
  json_object_set_boolean_member (def, "equippable", item->slot >= 0);
  def_damage (item, def);
  json_object_set_boolean_member (def, "isWrapper", FALSE);
  add_empty_array (def, "traitIds");
  add_empty_array (def, "traitHashes");
  set_definition_footer (def, item->hash, index);
  return def;
}

static void
defs_items (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyInventoryItemDefinition");

  for (guint i = 0; i < b->catalog->len; i++)
    {
      DemoItem *item = g_ptr_array_index (b->catalog, i);
      g_autofree char *key = hash_key (item->hash);

      json_object_set_object_member (table, key, def_item (b, item, i));
    }
}

static void
defs_buckets (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyInventoryBucketDefinition");

  for (guint i = 0; i < G_N_ELEMENTS (demo_buckets); i++)
    {
      const DemoBucketSpec *spec = &demo_buckets[i];
      JsonObject *def = table_add (table, spec->hash);

      display_properties (def, spec->name, spec->description, NULL);
      json_object_set_int_member (def, "scope", spec->scope);
      json_object_set_int_member (def, "category", spec->category);
      json_object_set_int_member (def, "bucketOrder", (int) i * 10);
      json_object_set_int_member (def, "itemCount", spec->item_count);
      json_object_set_int_member (def, "location", spec->location);
      json_object_set_boolean_member (def, "hasTransferDestination", spec->has_transfer_destination);
      json_object_set_boolean_member (def, "enabled", TRUE);
      json_object_set_boolean_member (def, "fifo", spec->fifo);
      set_definition_footer (def, spec->hash, i);
    }
}

static void
defs_classes (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyClassDefinition");

  for (int c = 0; c < 3; c++)
    {
      JsonObject *def = table_add (table, demo_class_hashes[c]);
      JsonObject *gendered;
      JsonObject *by_hash;

      json_object_set_int_member (def, "classType", c);
      display_properties (def, demo_class_names[c], "", NULL);
      gendered = add_object (def, "genderedClassNames");
      json_object_set_string_member (gendered, "0", demo_class_names[c]);
      json_object_set_string_member (gendered, "1", demo_class_names[c]);
      by_hash = add_object (def, "genderedClassNamesByGenderHash");
      json_object_set_string_member (by_hash, "3111576190", demo_class_names[c]);
      json_object_set_string_member (by_hash, "2204441813", demo_class_names[c]);
      set_definition_footer (def, demo_class_hashes[c], c);
    }
}

static void
defs_stats (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyStatDefinition");

  for (guint i = 0; i < G_N_ELEMENTS (demo_stats); i++)
    {
      const DemoStatSpec *spec = &demo_stats[i];
      JsonObject *def = table_add (table, spec->hash);
      g_autofree char *seed = g_strdup_printf ("sandbox.stat.%s", spec->name);
      g_autofree char *icon = qm_sandbox_icon_path (seed);

      display_properties (def, spec->name, spec->description, spec->category == 2 ? icon : NULL);
      json_object_set_int_member (def, "aggregationType", spec->aggregation);
      json_object_set_boolean_member (def, "hasComputedBlock", FALSE);
      json_object_set_int_member (def, "statCategory", spec->category);
      set_definition_footer (def, spec->hash, i);
    }
}

static void
defs_damage_types (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyDamageTypeDefinition");

  for (guint i = 0; i < G_N_ELEMENTS (demo_damage_types); i++)
    {
      const DemoDamageSpec *spec = &demo_damage_types[i];
      JsonObject *def = table_add (table, spec->hash);
      g_autofree char *seed = g_strdup_printf ("sandbox.damage.%s", spec->name);
      g_autofree char *icon = qm_sandbox_icon_path (seed);
      JsonObject *color;

      display_properties (def, spec->name, "", icon);
      json_object_set_string_member (def, "transparentIconPath", icon);
      json_object_set_boolean_member (def, "showIcon", TRUE);
      json_object_set_int_member (def, "enumValue", spec->damage);
      color = add_object (def, "color");
      json_object_set_int_member (color, "red", spec->rgb[0]);
      json_object_set_int_member (color, "green", spec->rgb[1]);
      json_object_set_int_member (color, "blue", spec->rgb[2]);
      json_object_set_int_member (color, "alpha", 255);
      set_definition_footer (def, spec->hash, i);
    }
}

static void
defs_tiers (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyItemTierTypeDefinition");

  for (guint i = 0; i < G_N_ELEMENTS (demo_tiers); i++)
    {
      const DemoTierSpec *spec = &demo_tiers[i];
      JsonObject *def = table_add (table, spec->hash);
      JsonObject *infusion;

      display_properties (def, spec->name, "", NULL);
      infusion = add_object (def, "infusionProcess");
      json_object_set_double_member (infusion, "baseQualityTransferRatio", spec->tier >= 5 ? 0.75 : 0.5);
      json_object_set_int_member (infusion, "minimumQualityIncrement", 1);
      set_definition_footer (def, spec->hash, i);
    }
}

static void
defs_loadouts (DemoBuilder *b)
{
  JsonObject *names = world_table (b->world, "DestinyLoadoutNameDefinition");
  JsonObject *colors = world_table (b->world, "DestinyLoadoutColorDefinition");
  JsonObject *icons = world_table (b->world, "DestinyLoadoutIconDefinition");
  JsonObject *constants = world_table (b->world, "DestinyLoadoutConstantsDefinition");
  guint32 constants_hash = qm_sandbox_fnv1a ("sandbox.loadout.constants");
  JsonObject *def = table_add (constants, constants_hash);
  g_autofree char *white = qm_sandbox_icon_path ("sandbox.loadout.white");
  g_autofree char *black = qm_sandbox_icon_path ("sandbox.loadout.black");
  JsonArray *name_hashes;
  JsonArray *color_hashes;
  JsonArray *icon_hashes;

  display_properties (def, "Loadouts", "Save and equip sets of gear in game.", NULL);
  json_object_set_string_member (def, "whiteIconImagePath", white);
  json_object_set_string_member (def, "blackIconImagePath", black);
  json_object_set_int_member (def, "loadoutCountPerCharacter", 10);
  add_empty_array (def, "loadoutPreviewFilterOutSocketCategoryHashes");
  add_empty_array (def, "loadoutPreviewFilterOutSocketTypeHashes");
  name_hashes = add_array (def, "loadoutNameHashes");
  icon_hashes = add_array (def, "loadoutIconHashes");
  color_hashes = add_array (def, "loadoutColorHashes");
  set_definition_footer (def, constants_hash, 0);

  for (guint i = 0; i < G_N_ELEMENTS (demo_loadout_names); i++)
    {
      g_autofree char *seed = g_strdup_printf ("sandbox.loadout.name.%s", demo_loadout_names[i]);
      JsonObject *entry;

      b->loadout_names[i] = qm_sandbox_fnv1a (seed);
      entry = table_add (names, b->loadout_names[i]);
      json_object_set_string_member (entry, "name", demo_loadout_names[i]);
      set_definition_footer (entry, b->loadout_names[i], i);
      array_add_hash (name_hashes, b->loadout_names[i]);
    }
  for (guint i = 0; i < DEMO_N_LOADOUT_COLORS; i++)
    {
      g_autofree char *seed = g_strdup_printf ("sandbox.loadout.color.%u", i);
      g_autofree char *path = qm_sandbox_icon_path (seed);
      JsonObject *entry;

      b->loadout_colors[i] = qm_sandbox_fnv1a (seed);
      entry = table_add (colors, b->loadout_colors[i]);
      json_object_set_string_member (entry, "colorImagePath", path);
      set_definition_footer (entry, b->loadout_colors[i], i);
      array_add_hash (color_hashes, b->loadout_colors[i]);
    }
  for (guint i = 0; i < DEMO_N_LOADOUT_ICONS; i++)
    {
      g_autofree char *seed = g_strdup_printf ("sandbox.loadout.icon.%u", i);
      g_autofree char *path = qm_sandbox_icon_path (seed);
      JsonObject *entry;

      b->loadout_icons[i] = qm_sandbox_fnv1a (seed);
      entry = table_add (icons, b->loadout_icons[i]);
      json_object_set_string_member (entry, "iconImagePath", path);
      set_definition_footer (entry, b->loadout_icons[i], i);
      array_add_hash (icon_hashes, b->loadout_icons[i]);
    }
}

/* Vendors (400, 401, 402 and item components) */

typedef struct
{
  DemoItem   *item;
  int         category;        /* display category index */
  guint32     cost_hash[2];
  int         cost[2];
  int         augments;
} DemoSale;

typedef struct
{
  guint32     hash;
  const char *name;
  const char *subtitle;
  const char *description;
  const char *identifier;
  const char * const *category_names;
  guint       n_categories;
  const guint32 *location_hashes;  /* destinations he may stand at */
  guint       n_locations;
} DemoVendorSpec;

typedef struct
{
  guint32     hash;
  const char *name;
  const char *description;
  guint32     place_hash;
  guint32     bubble_hash;
  const char *bubble_name;
} DemoDestinationSpec;

/* Where Xûr may be found: one destination a week, in this order. */
static const DemoDestinationSpec demo_destinations[] = {
  { 333898048u, "The Tower", "The Last City's watchful guardian.", 3747705955u,
    1471404562u, "Hangar" },
  { 1199524104u, "European Dead Zone", "The wilds of Earth beyond the City walls.", 3747705955u,
    2975219233u, "Winding Cove" },
  { 3607432451u, "Nessus", "An unstable centaur planetoid, transformed by the Vex.", 2144433409u,
    3830394545u, "Watcher's Grave" },
};
static const guint32 xur_locations[] = { 333898048u, 1199524104u, 3607432451u };

static const char * const xur_categories[] = { "Exotic Gear", "Legendary Gear", "Material Exchange" };
static const char * const strange_gear_categories[] = { "Strange Gear Offers" };

static const DemoVendorSpec demo_vendor_xur = {
  QM_VENDOR_XUR, "Xûr", "Agent of the Nine",
  "A peddler of strange curios, Xûr's motives are not his own. He bows to his distant masters, the Nine.",
  "AGENT_OF_NINE", xur_categories, G_N_ELEMENTS (xur_categories),
  xur_locations, G_N_ELEMENTS (xur_locations),
};
static const DemoVendorSpec demo_vendor_strange_gear = {
  QM_VENDOR_XUR_STRANGE_GEAR, "Strange Gear Offers", "Agent of the Nine",
  "Legendary gear Xûr has acquired from across the system.",
  "AGENT_OF_NINE_STRANGE_GEAR", strange_gear_categories, G_N_ELEMENTS (strange_gear_categories),
  NULL, 0,
};

static char *
vendor_refresh_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day = g_date_time_new_utc (g_date_time_get_year (now),
                                                  g_date_time_get_month (now),
                                                  g_date_time_get_day_of_month (now),
                                                  17, 0, 0);
  /* Xûr leaves at the weekly reset, Tuesday 17:00 UTC. */
  int days = (2 - g_date_time_get_day_of_week (day) + 7) % 7;
  g_autoptr(GDateTime) reset = g_date_time_add_days (day, days);

  if (g_date_time_compare (reset, now) <= 0)
    {
      GDateTime *next = g_date_time_add_days (reset, 7);

      g_date_time_unref (reset);
      reset = next;
    }
  return g_date_time_format (reset, "%Y-%m-%dT%H:%M:%SZ");
}

/* The week's location: weeks since the epoch of his departure, so a given
 * week always finds him at the same place. */
static int
vendor_location_index (const DemoVendorSpec *spec,
                       const char           *refresh)
{
  g_autoptr(GDateTime) departs = g_date_time_new_from_iso8601 (refresh, NULL);

  if (spec->n_locations == 0 || departs == NULL)
    return 0;
  return (int) ((g_date_time_to_unix (departs) / (7 * 24 * 3600)) % spec->n_locations);
}

static void
vendor_definition_locations (JsonObject           *def,
                             const DemoVendorSpec *spec)
{
  JsonArray *locations = add_array (def, "locations");

  for (guint i = 0; i < spec->n_locations; i++)
    {
      JsonObject *location = json_object_new ();

      set_hash (location, "destinationHash", spec->location_hashes[i]);
      json_object_set_string_member (location, "backgroundImagePath",
                                     "/img/destiny_content/vendor/banners/agent_of_nine.jpg");
      json_array_add_object_element (locations, location);
    }
}

static void
add_cost (JsonArray *costs,
          guint32    hash,
          int        quantity)
{
  JsonObject *cost = json_object_new ();

  set_hash (cost, "itemHash", hash);
  json_object_set_int_member (cost, "quantity", quantity);
  json_object_set_boolean_member (cost, "hasConditionalVisibility", FALSE);
  json_array_add_object_element (costs, cost);
}

static gint64
player_balance (DemoBuilder *b,
                guint32      hash)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_currencies); i++)
    if (demo_currencies[i].hash == hash)
      return b->currency[i];
  return 0;
}

static int
sale_status (DemoBuilder    *b,
             const DemoSale *sale)
{
  int status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sale->cost); i++)
    if (sale->cost[i] > 0 && player_balance (b, sale->cost_hash[i]) < sale->cost[i])
      status |= 2;  /* NoFunds */
  /* The account already holds the one copy a unique single item allows
   * (the Exotic Cipher sits in its consumables). */
  if (sale->item->unique_label != NULL && sale->item->max_stack == 1)
    status |= 128;  /* UniquenessViolation */
  return status;
}

static JsonObject *
vendor_sale_component (DemoBuilder    *b,
                       const DemoSale *sale,
                       int             index)
{
  JsonObject *component = json_object_new ();
  JsonArray *costs;

  json_object_set_int_member (component, "saleStatus", sale_status (b, sale));
  add_empty_array (component, "requiredUnlocks");
  add_empty_array (component, "unlockStatuses");
  add_empty_array (component, "failureIndexes");
  json_object_set_int_member (component, "augments", sale->augments);
  json_object_set_int_member (component, "vendorItemIndex", index);
  set_hash (component, "itemHash", sale->item->hash);
  json_object_set_int_member (component, "quantity", 1);
  costs = add_array (component, "costs");
  for (guint i = 0; i < G_N_ELEMENTS (sale->cost); i++)
    if (sale->cost[i] > 0)
      add_cost (costs, sale->cost_hash[i], sale->cost[i]);
  json_object_set_boolean_member (component, "apiPurchasable", FALSE);
  return component;
}

static JsonObject *
vendor_item_entry (const DemoSale *sale,
                   int             index)
{
  JsonObject *entry = json_object_new ();
  JsonArray *currencies;
  JsonObject *action;

  json_object_set_int_member (entry, "vendorItemIndex", index);
  set_hash (entry, "itemHash", sale->item->hash);
  json_object_set_int_member (entry, "quantity", 1);
  add_empty_array (entry, "failureIndexes");
  currencies = add_array (entry, "currencies");
  for (guint i = 0; i < G_N_ELEMENTS (sale->cost); i++)
    if (sale->cost[i] > 0)
      add_cost (currencies, sale->cost_hash[i], sale->cost[i]);
  json_object_set_int_member (entry, "refundPolicy", 0);
  json_object_set_int_member (entry, "refundTimeLimit", 0);
  json_object_set_int_member (entry, "displayCategoryIndex", sale->category);
  json_object_set_int_member (entry, "categoryIndex", sale->category);
  json_object_set_int_member (entry, "originalCategoryIndex", sale->category);
  json_object_set_int_member (entry, "minimumLevel", 1);
  json_object_set_int_member (entry, "maximumLevel", 999);
  action = add_object (entry, "action");
  json_object_set_double_member (action, "executeSeconds", 0.5);
  json_object_set_boolean_member (action, "isPositive", FALSE);
  json_object_set_string_member (entry, "displayCategory", "");
  set_hash (entry, "inventoryBucketHash", sale->item->bucket);
  json_object_set_int_member (entry, "visibilityScope", 3);
  json_object_set_int_member (entry, "purchasableScope", 3);
  json_object_set_int_member (entry, "exclusivity", 0);
  json_object_set_int_member (entry, "sortValue", index);
  json_object_set_string_member (entry, "expirationTooltip", "");
  add_empty_array (entry, "redirectToSaleIndexes");
  add_empty_array (entry, "socketOverrides");
  return entry;
}

static void
vendor_definition_categories (JsonObject           *def,
                              const DemoVendorSpec *spec,
                              const DemoSale       *sales,
                              guint                 n_sales)
{
  JsonArray *categories = add_array (def, "categories");
  JsonArray *display = add_array (def, "displayCategories");

  add_empty_array (def, "originalCategories");
  for (guint c = 0; c < spec->n_categories; c++)
    {
      JsonObject *entry = json_object_new ();
      JsonObject *shown = json_object_new ();
      g_autofree char *identifier = g_strdup_printf ("category_%u", c);
      JsonArray *indexes;

      json_object_set_int_member (entry, "categoryIndex", c);
      json_object_set_int_member (entry, "sortValue", c);
      set_hash (entry, "categoryHash", qm_sandbox_fnv1a (spec->category_names[c]));
      json_object_set_int_member (entry, "quantityAvailable", 0);
      json_object_set_boolean_member (entry, "showUnavailableItems", TRUE);
      json_object_set_boolean_member (entry, "hideIfNoCurrency", FALSE);
      json_object_set_boolean_member (entry, "hideFromRegularPurchase", FALSE);
      json_object_set_string_member (entry, "buyStringOverride", "");
      json_object_set_string_member (entry, "disabledDescription", "");
      json_object_set_string_member (entry, "displayTitle", spec->category_names[c]);
      indexes = add_array (entry, "vendorItemIndexes");
      for (guint i = 0; i < n_sales; i++)
        if (sales[i].category == (int) c)
          json_array_add_int_element (indexes, 2 * i + 1);
      json_object_set_boolean_member (entry, "isPreview", FALSE);
      json_object_set_boolean_member (entry, "isDisplayOnly", FALSE);
      json_object_set_int_member (entry, "resetIntervalMinutesOverride", 0);
      json_object_set_int_member (entry, "resetOffsetMinutesOverride", 0);
      json_array_add_object_element (categories, entry);

      json_object_set_int_member (shown, "index", c);
      json_object_set_string_member (shown, "identifier", identifier);
      set_hash (shown, "displayCategoryHash", qm_sandbox_fnv1a (identifier));
      display_properties (shown, spec->category_names[c], "", NULL);
      json_object_set_boolean_member (shown, "displayInBanner", FALSE);
      json_object_set_int_member (shown, "sortOrder", 0);
      json_array_add_object_element (display, shown);
    }
}

static void
vendor_definition_display (JsonObject           *def,
                           const DemoVendorSpec *spec)
{
  g_autofree char *seed = g_strdup_printf ("sandbox.vendor.%u", spec->hash);
  g_autofree char *icon = qm_sandbox_icon_path (seed);
  JsonObject *dp = add_object (def, "displayProperties");

  json_object_set_string_member (dp, "largeIcon", icon);
  json_object_set_string_member (dp, "subtitle", spec->subtitle);
  json_object_set_string_member (dp, "originalIcon", icon);
  add_empty_array (dp, "requirementsDisplay");
  json_object_set_string_member (dp, "smallTransparentIcon", icon);
  json_object_set_string_member (dp, "mapIcon", icon);
  json_object_set_string_member (dp, "largeTransparentIcon", icon);
  json_object_set_string_member (dp, "description", spec->description);
  json_object_set_string_member (dp, "name", spec->name);
  json_object_set_string_member (dp, "icon", icon);
  json_object_set_boolean_member (dp, "hasIcon", TRUE);
  json_object_set_int_member (def, "vendorProgressionType", 0);
  json_object_set_string_member (def, "buyString", "Purchase");
  json_object_set_string_member (def, "sellString", "");
  set_hash (def, "displayItemHash", 0);
  json_object_set_boolean_member (def, "inhibitBuying", FALSE);
  json_object_set_boolean_member (def, "inhibitSelling", TRUE);
  set_hash (def, "factionHash", 0);
  json_object_set_int_member (def, "resetIntervalMinutes", 10080);
  json_object_set_int_member (def, "resetOffsetMinutes", 0);
  json_array_add_string_element (add_array (def, "failureStrings"),
                                 "You do not have enough currency to purchase this item.");
  add_empty_array (def, "unlockRanges");
  json_object_set_string_member (def, "vendorIdentifier", spec->identifier);
  json_object_set_string_member (def, "vendorPortrait", icon);
  json_object_set_string_member (def, "vendorBanner", icon);
  json_object_set_boolean_member (def, "enabled", TRUE);
  json_object_set_boolean_member (def, "visible", TRUE);
  json_object_set_string_member (def, "vendorSubcategoryIdentifier", "");
  json_object_set_boolean_member (def, "consolidateCategories", FALSE);
  add_empty_array (def, "actions");
}

static JsonObject *
vendor_definition (DemoBuilder          *b,
                   const DemoVendorSpec *spec,
                   const DemoSale       *sales,
                   guint                 n_sales,
                   int                   index)
{
  JsonObject *def = json_object_new ();
  JsonArray *items;

  vendor_definition_display (def, spec);
  vendor_definition_categories (def, spec, sales, n_sales);
  add_empty_array (def, "interactions");
  add_empty_array (def, "inventoryFlyouts");
  /* Sales sit at odd indexes; the even ones are stock not offered this week. */
  items = add_array (def, "itemList");
  for (guint i = 0; i < n_sales; i++)
    {
      DemoSale other = sales[(i + 1) % n_sales];

      json_array_add_object_element (items, vendor_item_entry (&other, 2 * i));
      json_array_add_object_element (items, vendor_item_entry (&sales[i], 2 * i + 1));
    }
  add_empty_array (def, "services");
  add_empty_array (def, "acceptedItems");
  json_object_set_boolean_member (def, "returnWithVendorRequest", FALSE);
  vendor_definition_locations (def, spec);
  add_empty_array (def, "groups");
  add_empty_array (def, "ignoreSaleItemHashes");
  set_definition_footer (def, spec->hash, index);
  return def;
}

static JsonNode *
vendor_response (DemoBuilder          *b,
                 const DemoVendorSpec *spec,
                 const DemoSale       *sales,
                 guint                 n_sales)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *response = json_object_new ();
  JsonObject *vendor;
  JsonObject *sale_data;
  JsonObject *components;
  JsonArray *categories;
  DemoMaps maps;
  g_autofree char *refresh = vendor_refresh_date ();

  json_node_take_object (root, response);
  vendor = add_component (response, "vendor", 1);
  json_object_set_boolean_member (vendor, "canPurchase", TRUE);
  json_object_set_int_member (vendor, "vendorLocationIndex", vendor_location_index (spec, refresh));
  set_hash (vendor, "vendorHash", spec->hash);
  json_object_set_string_member (vendor, "nextRefreshDate", refresh);
  json_object_set_boolean_member (vendor, "enabled", TRUE);

  categories = add_array (add_component (response, "categories", 1), "categories");
  for (guint c = 0; c < spec->n_categories; c++)
    {
      JsonObject *category = json_object_new ();
      JsonArray *indexes;

      json_object_set_int_member (category, "displayCategoryIndex", c);
      indexes = add_array (category, "itemIndexes");
      for (guint i = 0; i < n_sales; i++)
        if (sales[i].category == (int) c)
          json_array_add_int_element (indexes, 2 * i + 1);
      json_array_add_object_element (categories, category);
    }

  sale_data = add_component (response, "sales", 1);
  components = add_object (response, "itemComponents");
  maps.instances = add_component (components, "instances", 1);
  maps.perks = add_component (components, "perks", 1);
  maps.stats = add_component (components, "stats", 1);
  maps.sockets = add_component (components, "sockets", 1);
  for (guint i = 0; i < n_sales; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", 2 * i + 1);
      DemoPlace place = { 3, sales[i].item->bucket, FALSE, 1, 0 };

      json_object_set_object_member (sale_data, key, vendor_sale_component (b, &sales[i], 2 * i + 1));
      if (sales[i].item->instanced)
        {
          place.power = roll_power (b, sales[i].item);
          describe_item (b, sales[i].item, key, &maps, &place, FALSE);
        }
    }
  return root;
}

static DemoItem *
pick_unsold_exotic_weapon (DemoBuilder *b)
{
  DemoItem *item;

  do
    item = catalog_pick (b, rand_range (b, DEMO_SLOT_KINETIC, DEMO_SLOT_POWER), 3, 6);
  while (strcmp (item->name, "Gjallarhorn") == 0);
  return item;
}

static DemoItem *
titan_exotic_armor (DemoBuilder *b)
{
  for (int slot = DEMO_SLOT_HELMET; slot <= DEMO_SLOT_LEGS; slot++)
    if (b->equipped[0][slot]->item->tier == 6)
      return b->equipped[0][slot]->item;
  g_assert_not_reached ();
}

static void
sale_set (DemoSale *sale,
          DemoItem *item,
          int       category,
          guint32   cost_hash,
          int       cost,
          guint32   extra_hash,
          int       extra,
          int       augments)
{
  sale->item = item;
  sale->category = category;
  sale->cost_hash[0] = cost_hash;
  sale->cost[0] = cost;
  sale->cost_hash[1] = extra_hash;
  sale->cost[1] = extra;
  sale->augments = augments;
}

/* Xûr's week: exotics for Strange Coins, one the Titan already owns, one
 * nobody can afford, legendaries for shards and a unique Exotic Cipher. */
static void
xur_sales (DemoBuilder *b,
           DemoSale    *sales)
{
  DemoItem *item;
  int slot;
  int class_type;

  sale_set (&sales[0], pick_unsold_exotic_weapon (b), 0, QM_ITEM_STRANGE_COIN, 23, 0, 0, 16);
  sale_set (&sales[1], titan_exotic_armor (b), 0, QM_ITEM_STRANGE_COIN, 23, 0, 0, 128);
  item = catalog_lookup (b, demo_exotic_armor[1][rand_range (b, 0, 3)]);
  sale_set (&sales[2], item, 0, QM_ITEM_STRANGE_COIN, 23, 0, 0, 0);
  item = catalog_lookup (b, demo_exotic_armor[2][rand_range (b, 0, 3)]);
  sale_set (&sales[3], item, 0, QM_ITEM_STRANGE_COIN, 23, 0, 0, 0);
  sale_set (&sales[4], catalog_lookup (b, "Exotic Engram"), 0, QM_ITEM_LEGENDARY_SHARDS, 97, 0, 0, 0);
  item = catalog_pick (b, DEMO_SLOT_KINETIC, 3, 5);
  sale_set (&sales[5], item, 1, QM_ITEM_LEGENDARY_SHARDS, 50, QM_ITEM_GLIMMER, 10000, 0);
  item = catalog_pick (b, DEMO_SLOT_ENERGY, 3, 5);
  sale_set (&sales[6], item, 1, QM_ITEM_LEGENDARY_SHARDS, 50, QM_ITEM_GLIMMER, 10000, 0);
  slot = rand_range (b, DEMO_SLOT_HELMET, DEMO_SLOT_LEGS);
  class_type = rand_range (b, 0, 2);
  sale_set (&sales[7], catalog_pick (b, slot, class_type, 5), 1, QM_ITEM_LEGENDARY_SHARDS, 40, 0, 0, 0);
  item = catalog_lookup (b, demo_consumables[DEMO_CONSUMABLE_CIPHER].name);
  sale_set (&sales[8], item, 2, QM_ITEM_STRANGE_COIN, 11, QM_ITEM_GLIMMER, 125000, 0);
  sale_set (&sales[9], catalog_lookup (b, "Gjallarhorn"), 0, QM_ITEM_STRANGE_COIN, 120, 0, 0, 16);
}

static void
strange_gear_sales (DemoBuilder *b,
                    DemoSale    *sales,
                    guint        n_sales)
{
  for (guint i = 0; i < n_sales; i++)
    {
      int slot = i < 3 ? (int) i : rand_range (b, DEMO_SLOT_HELMET, DEMO_SLOT_CLASS_ARMOR);
      int class_type = rand_range (b, 0, 2);
      DemoItem *item = catalog_pick (b, slot, class_type, 5);
      int coins = rand_range (b, 3, 8);

      sale_set (&sales[i], item, 0, QM_ITEM_STRANGE_COIN, coins, QM_ITEM_GLIMMER, 5000, 0);
    }
}

static void
build_vendors (DemoBuilder *b,
               gboolean     xur_present)
{
  DemoSale xur[10];
  DemoSale strange[6];
  JsonObject *table = world_table (b->world, "DestinyVendorDefinition");
  g_autofree char *xur_key = hash_key (QM_VENDOR_XUR);
  g_autofree char *strange_key = hash_key (QM_VENDOR_XUR_STRANGE_GEAR);

  xur_sales (b, xur);
  strange_gear_sales (b, strange, G_N_ELEMENTS (strange));
  json_object_set_object_member (table, xur_key,
                                 vendor_definition (b, &demo_vendor_xur, xur, G_N_ELEMENTS (xur), 0));
  json_object_set_object_member (table, strange_key,
                                 vendor_definition (b, &demo_vendor_strange_gear, strange,
                                                    G_N_ELEMENTS (strange), 1));
  if (!xur_present)
    return;
  g_hash_table_replace (b->world->vendors, g_strdup (xur_key),
                        vendor_response (b, &demo_vendor_xur, xur, G_N_ELEMENTS (xur)));
  g_hash_table_replace (b->world->vendors, g_strdup (strange_key),
                        vendor_response (b, &demo_vendor_strange_gear, strange, G_N_ELEMENTS (strange)));
}

static void
destination_bubble (JsonArray                 *bubbles,
                    JsonArray                 *settings,
                    const DemoDestinationSpec *spec)
{
  JsonObject *bubble = json_object_new ();
  JsonObject *setting = json_object_new ();

  set_hash (bubble, "hash", spec->bubble_hash);
  display_properties (bubble, spec->bubble_name, "", NULL);
  json_array_add_object_element (bubbles, bubble);
  display_properties (setting, spec->bubble_name, "", NULL);
  json_array_add_object_element (settings, setting);
}

static void
defs_destinations (DemoBuilder *b)
{
  JsonObject *table = world_table (b->world, "DestinyDestinationDefinition");

  for (guint i = 0; i < G_N_ELEMENTS (demo_destinations); i++)
    {
      const DemoDestinationSpec *spec = &demo_destinations[i];
      JsonObject *def = table_add (table, spec->hash);

      display_properties (def, spec->name, spec->description, NULL);
      set_hash (def, "placeHash", spec->place_hash);
      set_hash (def, "defaultFreeroamActivityHash", 0);
      add_empty_array (def, "activityGraphEntries");
      destination_bubble (add_array (def, "bubbles"), add_array (def, "bubbleSettings"), spec);
      set_definition_footer (def, spec->hash, i);
    }
}

/* Filler definitions for a grown item table */

/* g_string_append_printf() allocates a scratch string per call; a grown
 * table is hundreds of thousands of fragments, so format on the stack. */
static void G_GNUC_PRINTF (2, 3)
append_format (GString    *out,
               const char *format,
               ...)
{
  char buffer[2048];
  va_list args;
  int length;

  va_start (args, format);
  length = g_vsnprintf (buffer, sizeof buffer, format, args);
  va_end (args);
  g_assert (length >= 0 && (gsize) length < sizeof buffer);
  g_string_append_len (out, buffer, length);
}

static void
filler_append_stats (GString *out,
                     GRand   *rand)
{
  g_string_append (out, "\"stats\":{\"disablePrimaryStatDisplay\":false,\"statGroupHash\":");
  append_format (out, "%u,\"stats\":{", g_rand_int (rand));
  for (int i = 0; i < 4; i++)
    {
      guint32 hash = demo_stats[1 + DEMO_N_ARMOR_STATS + i].hash;

      append_format (out, "%s\"%u\":{\"statHash\":%u,\"value\":%d,\"minimum\":0,"
                              "\"maximum\":100,\"displayMaximum\":100}",
                              i > 0 ? "," : "", hash, hash, g_rand_int_range (rand, 10, 100));
    }
  g_string_append (out, "},\"hasDisplayableStats\":true,\"primaryBaseStatHash\":1935470627},");
}

static void
filler_append_sockets (GString *out,
                       GRand   *rand)
{
  g_string_append (out, "\"sockets\":{\"detail\":\"Sockets\",\"socketEntries\":[");
  for (int i = 0; i < 3; i++)
    append_format (out, "%s{\"socketTypeHash\":%u,\"singleInitialItemHash\":%u,"
                            "\"reusablePlugItems\":[],\"preventInitializationOnVendorPurchase\":false,"
                            "\"hidePerksInItemTooltip\":false,\"plugSources\":%d,"
                            "\"defaultVisible\":true}",
                            i > 0 ? "," : "", g_rand_int (rand), g_rand_int (rand), i < 2 ? 2 : 6);
  g_string_append (out, "],\"intrinsicSockets\":[],\"socketCategories\":["
                          "{\"socketCategoryHash\":3956125808,\"socketIndexes\":[0]},"
                          "{\"socketCategoryHash\":4241085061,\"socketIndexes\":[1,2]}]},");
}

static void
filler_append_investment (GString *out,
                          GRand   *rand)
{
  g_string_append (out, "\"investmentStats\":[");
  for (int i = 0; i < 4; i++)
    append_format (out, "%s{\"statTypeHash\":%u,\"value\":%d,\"isConditionallyActive\":false}",
                            i > 0 ? "," : "", demo_stats[1 + DEMO_N_ARMOR_STATS + i].hash,
                            g_rand_int_range (rand, 0, 90));
  g_string_append (out, "],");
}

static void
filler_append_header (GString    *out,
                      GRand      *rand,
                      guint32     hash,
                      const char *name,
                      const DemoWeaponType *type)
{
  char icon[128];
  const char *flavor = demo_flavor_lines[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_flavor_lines))];

  g_snprintf (icon, sizeof icon, "/common/destiny2_content/icons/%08x%08x%08x%08x.png",
              g_rand_int (rand), g_rand_int (rand), g_rand_int (rand), hash);
  g_string_append (out, "{\"displayProperties\":{\"description\":\"\",\"name\":");
  qm_sandbox_json_append_string (out, name);
  append_format (out, ",\"icon\":\"%s\",\"hasIcon\":true},\"tooltipNotifications\":[],"
                          "\"collectibleHash\":%u,\"iconWatermark\":\"%s\","
                          "\"isFeaturedItem\":false,\"isHolofoil\":false,\"isAdept\":false,"
                          "\"screenshot\":\"/common/destiny2_content/screenshots/%u.jpg\","
                          "\"itemTypeDisplayName\":\"%s\",\"flavorText\":",
                          icon, g_rand_int (rand), icon, hash, type->name);
  qm_sandbox_json_append_string (out, flavor);
  append_format (out, ",\"uiItemDisplayStyle\":\"\",\"itemTypeAndTierDisplayName\":\"Legendary %s\","
                          "\"displaySource\":\"\","
                          "\"tooltipStyle\":\"\",",
                          type->name);
}

static void
filler_append_blocks (GString              *out,
                      GRand                *rand,
                      const DemoWeaponType *type,
                      int                   slot)
{
  append_format (out, "\"inventory\":{\"maxStackSize\":1,\"bucketTypeHash\":%u,"
                          "\"recoveryBucketTypeHash\":215593132,\"tierTypeHash\":4008398120,"
                          "\"isInstanceItem\":true,\"tierTypeName\":\"Legendary\",\"tierType\":5,"
                          "\"expirationTooltip\":\"\",\"expiredInActivityMessage\":\"\","
                          "\"expiredInOrbitMessage\":\"\",\"suppressExpirationWhenObjectivesComplete\":true},",
                          demo_buckets[slot].hash);
  filler_append_stats (out, rand);
  append_format (out, "\"equippingBlock\":{\"uniqueLabelHash\":0,\"equipmentSlotTypeHash\":%u,"
                          "\"attributes\":0,\"ammoType\":%d,\"displayStrings\":[\"\"]},",
                          demo_buckets[slot].hash, slot == DEMO_SLOT_POWER ? 3 : type->ammo);
  append_format (out, "\"quality\":{\"itemLevels\":[],\"qualityLevel\":0,"
                          "\"infusionCategoryName\":\"sandbox_%u\",\"infusionCategoryHash\":%u,"
                          "\"infusionCategoryHashes\":[%u],\"progressionLevelRequirementHash\":%u,"
                          "\"currentVersion\":0,\"versions\":[{\"powerCapHash\":2759499571}],"
                          "\"displayVersionWatermarkIcons\":[\"\"]},",
                          g_rand_int (rand), g_rand_int (rand), g_rand_int (rand), g_rand_int (rand));
  filler_append_sockets (out, rand);
  filler_append_investment (out, rand);
}

static void
filler_append_footer (GString              *out,
                      GRand                *rand,
                      const DemoWeaponType *type,
                      int                   slot,
                      guint32               hash,
                      guint                 index)
{
  const DemoDamageSpec *damage = &demo_damage_types[slot == DEMO_SLOT_KINETIC
                                                    ? 0 : g_rand_int_range (rand, 1, G_N_ELEMENTS (demo_damage_types))];

  append_format (out, "\"perks\":[],\"loreHash\":%u,\"allowActions\":true,"
                          "\"doesPostmasterPullHaveSideEffects\":false,\"nonTransferrable\":false,"
                          "\"itemCategoryHashes\":[1,%d,%u],\"specialItemType\":0,\"itemType\":3,"
                          "\"itemSubType\":%d,\"classType\":3,\"breakerType\":0,\"equippable\":true,"
                          "\"damageTypeHashes\":[%u],\"damageTypes\":[%d],\"defaultDamageType\":%d,"
                          "\"defaultDamageTypeHash\":%u,\"isWrapper\":false,"
                          "\"traitIds\":[\"item_type.weapon\",\"foundry.sandbox\"],\"traitHashes\":[%u,%u],"
                          "\"hash\":%u,\"index\":%u,\"redacted\":false}",
                          g_rand_int (rand), 2 + slot, type->category, type->sub_type,
                          damage->hash, damage->damage, damage->damage, damage->hash,
                          g_rand_int (rand), g_rand_int (rand), hash, index);
}

static void
filler_append_entry (GString *out,
                     GRand   *rand,
                     guint32  hash,
                     guint    index)
{
  const DemoWeaponType *type = &demo_weapon_types[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_weapon_types))];
  int slot = g_rand_int_range (rand, DEMO_SLOT_KINETIC, DEMO_SLOT_POWER + 1);
  const char *first = demo_filler_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_filler_first))];
  const char *second = demo_filler_second[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_filler_second))];
  char name[64];

  g_snprintf (name, sizeof name, "%s %s", first, second);

  append_format (out, "\"%u\":", hash);
  filler_append_header (out, rand, hash, name, type);
  filler_append_blocks (out, rand, type, slot);
  filler_append_footer (out, rand, type, slot, hash, index);
}

void
qm_sandbox_world_grow_item_table (QmSandboxWorld *world,
                                  guint64         seed,
                                  guint           n_items)
{
  JsonNode *node = g_hash_table_lookup (world->definitions, "DestinyInventoryItemDefinition");
  JsonObject *table = json_node_get_object (node);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32) ^ 0x5eed));
  g_autoptr(GList) members = json_object_get_members (table);
  guint n_real = json_object_get_size (table);
  GString *out = g_string_sized_new ((gsize) MAX (n_items, n_real) * 3600 + 4096);
  guint index = n_real;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *text = json_to_string (json_object_get_member (table, l->data), FALSE);

      if (!first)
        g_string_append_c (out, ',');
      qm_sandbox_json_append_string (out, l->data);
      g_string_append_c (out, ':');
      g_string_append (out, text);
      first = FALSE;
    }
  for (guint n = 0; index < n_items; n++)
    {
      char seed_text[64];
      char key[16];
      guint32 hash;

      g_snprintf (seed_text, sizeof seed_text, "sandbox.filler.%u", n);
      hash = qm_sandbox_fnv1a (seed_text);
      g_snprintf (key, sizeof key, "%u", hash);

      if (json_object_has_member (table, key))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      filler_append_entry (out, rand, hash, index++);
      first = FALSE;
    }
  g_string_append_c (out, '}');
  g_hash_table_replace (world->table_bytes, g_strdup ("DestinyInventoryItemDefinition"),
                        g_string_free_to_bytes (out));
}

/* The account */

static void
demo_builder_init (DemoBuilder    *b,
                   QmSandboxWorld *world,
                   guint64         seed)
{
  guint32 seeds[2] = { (guint32) seed, (guint32) (seed >> 32) };
  guint64 slot = seed % 100000;

  b->world = world;
  b->seed = seed;
  b->rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  b->catalog = g_ptr_array_new_with_free_func (demo_item_free);
  b->by_hash = g_hash_table_new (NULL, NULL);
  b->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  b->owned_all = g_ptr_array_new_with_free_func (demo_owned_free);
  b->next_instance = G_GUINT64_CONSTANT (6917529100000000001) + slot * 100000;
  b->power_floor = 1990 + rand_range (b, 0, 20);
  world->membership_type = 3;
  world->membership_id = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                          G_GUINT64_CONSTANT (4611686018400000001) + slot);
  world->bungie_net_id = g_strdup_printf ("%" G_GUINT64_FORMAT, G_GUINT64_CONSTANT (20000001) + slot);
  world->display_name = g_strdup ("Sandbox Guardian");
  for (int c = 0; c < 3; c++)
    b->character_ids[c] = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                           G_GUINT64_CONSTANT (2305843009300000001) + slot * 10 + c);
}

static void
demo_builder_clear (DemoBuilder *b)
{
  for (int c = 0; c < 3; c++)
    {
      g_free (b->character_ids[c]);
      for (int slot = 0; slot < DEMO_N_SLOTS; slot++)
        g_clear_pointer (&b->owned[c][slot], g_ptr_array_unref);
    }
  for (int slot = 0; slot < DEMO_N_SLOTS; slot++)
    g_clear_pointer (&b->vault[slot], g_ptr_array_unref);
  g_ptr_array_unref (b->owned_all);
  g_hash_table_unref (b->by_name);
  g_hash_table_unref (b->by_hash);
  g_ptr_array_unref (b->catalog);
  g_rand_free (b->rand);
}

QmSandboxWorld *
qm_sandbox_world_new_demo (guint64  seed,
                           guint    n_items,
                           gboolean xur_present)
{
  return qm_sandbox_world_new_demo_sized (seed, n_items, 0, xur_present);
}

QmSandboxWorld *
qm_sandbox_world_new_demo_sized (guint64  seed,
                                 guint    n_items,
                                 guint    profile_items,
                                 gboolean xur_present)
{
  QmSandboxWorld *world = qm_sandbox_world_alloc ();
  DemoBuilder b = { 0 };

  demo_builder_init (&b, world, seed);
  catalog_build (&b);
  defs_buckets (&b);
  defs_classes (&b);
  defs_stats (&b);
  defs_damage_types (&b);
  defs_tiers (&b);
  defs_loadouts (&b);
  defs_destinations (&b);
  world->profile = build_profile (&b);
  if (profile_items > 0)
    grow_profile (&b, MIN (profile_items, QM_SANDBOX_MAX_PROFILE_ITEMS));
  world->memberships = build_memberships (&b);
  build_vendors (&b, xur_present);
  defs_items (&b);
  if (n_items > 0)
    qm_sandbox_world_grow_item_table (world, seed, n_items);
  for (int c = 0; c < 3; c++)
    g_hash_table_insert (world->locations, g_strdup (b.character_ids[c]),
                         GINT_TO_POINTER (QM_SANDBOX_LOCATION_ORBIT));
  world->content_version = g_strdup_printf ("sandbox.%" G_GUINT64_FORMAT ".%u", seed, n_items);
  demo_builder_clear (&b);
  return world;
}
