/* qm-sandbox-demo-data.h: the demo account's catalogue of items and names
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Static tables only; qm-sandbox-demo.c turns them into Bungie definitions.
 * Hashes are the real ones where the community relies on them (classes,
 * stats, damage types, currencies, buckets); item hashes are derived from
 * the names with FNV-1a, the way Bungie derives its own.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DEMO_SLOT_KINETIC,
  DEMO_SLOT_ENERGY,
  DEMO_SLOT_POWER,
  DEMO_SLOT_HELMET,
  DEMO_SLOT_GAUNTLETS,
  DEMO_SLOT_CHEST,
  DEMO_SLOT_LEGS,
  DEMO_SLOT_CLASS_ARMOR,
  DEMO_SLOT_GHOST,
  DEMO_SLOT_VEHICLE,
  DEMO_SLOT_SHIP,
  DEMO_SLOT_EMBLEM,
  DEMO_SLOT_SUBCLASS,
  DEMO_N_SLOTS,
} DemoSlot;

typedef struct
{
  guint32     hash;
  const char *name;
  const char *description;
  int         scope;          /* BucketScope */
  int         category;       /* BucketCategory */
  int         item_count;
  int         location;       /* ItemLocation */
  gboolean    has_transfer_destination;
  gboolean    fifo;
} DemoBucketSpec;

static const DemoBucketSpec demo_buckets[] = {
  /* equipment slots, in DemoSlot order */
  { 1498876634u, "Kinetic Weapons", "Weapons that deal kinetic damage. Start with these.", 0, 3, 10, 1, TRUE, FALSE },
  { 2465295065u, "Energy Weapons", "Weapons that deal elemental damage.", 0, 3, 10, 1, TRUE, FALSE },
  { 953998645u, "Power Weapons", "Weapons of last resort, fed by heavy ammunition.", 0, 3, 10, 1, TRUE, FALSE },
  { 3448274439u, "Helmet", "Protection for the head.", 0, 3, 10, 1, TRUE, FALSE },
  { 3551918588u, "Gauntlets", "Protection for the arms.", 0, 3, 10, 1, TRUE, FALSE },
  { 14239492u, "Chest Armor", "Protection for the torso.", 0, 3, 10, 1, TRUE, FALSE },
  { 20886954u, "Leg Armor", "Protection for the legs.", 0, 3, 10, 1, TRUE, FALSE },
  { 1585787867u, "Class Armor", "Cloaks, marks and bonds.", 0, 3, 10, 1, TRUE, FALSE },
  { 4023194814u, "Ghost", "Your Ghost's shell.", 0, 3, 10, 1, TRUE, FALSE },
  { 2025709351u, "Vehicle", "Sparrows for getting around.", 0, 3, 10, 1, TRUE, FALSE },
  { 284967655u, "Ships", "Jumpships for travelling between destinations.", 0, 3, 10, 1, TRUE, FALSE },
  { 4274335291u, "Emblems", "Emblems to show off your accomplishments.", 0, 3, 10, 1, TRUE, FALSE },
  { 3284755031u, "Subclass", "Your Light and Darkness subclasses.", 0, 3, 5, 1, FALSE, FALSE },
  /* everything else */
  { 375726501u, "Engrams", "Engrams waiting to be decrypted.", 0, 1, 10, 1, FALSE, FALSE },
  { 1345459588u, "Quests", "Quests and pursuits in progress.", 0, 1, 63, 1, FALSE, FALSE },
  { 215593132u, "Lost Items", "Items the Postmaster is holding for you.", 0, 1, 21, 4, FALSE, TRUE },
  { 138197802u, "General", "The Vault: storage shared by every character.", 1, 1, 700, 2, TRUE, FALSE },
  { 1469714392u, "Consumables", "Materials and consumables shared across your account.", 1, 1, 50, 1, TRUE, FALSE },
  { 3313201758u, "Modifications", "Mods shared across your account.", 1, 1, 50, 1, TRUE, FALSE },
  { 2689798308u, "Glimmer", "", 1, 2, 1, 0, FALSE, FALSE },
  { 2689798309u, "Legendary Shards", "", 1, 2, 1, 0, FALSE, FALSE },
  { 2689798311u, "Bright Dust", "", 1, 2, 1, 0, FALSE, FALSE },
  { 2689798310u, "Silver", "", 1, 2, 1, 0, FALSE, FALSE },
  { 2689798305u, "Strange Coin", "", 1, 2, 1, 0, FALSE, FALSE },
};

#define DEMO_BUCKET_GLIMMER          2689798308u
#define DEMO_BUCKET_LEGENDARY_SHARDS 2689798309u
#define DEMO_BUCKET_BRIGHT_DUST      2689798311u
#define DEMO_BUCKET_SILVER           2689798310u
#define DEMO_BUCKET_STRANGE_COIN     2689798305u

/* DestinyItemSubType, display name, item category hash, default ammo */
typedef struct
{
  int         sub_type;
  const char *name;
  guint32     category;
  int         ammo;
} DemoWeaponType;

static const DemoWeaponType demo_weapon_types[] = {
  { 6, "Auto Rifle", 5, 1 },
  { 7, "Shotgun", 11, 2 },
  { 8, "Machine Gun", 12, 3 },
  { 9, "Hand Cannon", 6, 1 },
  { 10, "Rocket Launcher", 13, 3 },
  { 11, "Fusion Rifle", 9, 2 },
  { 12, "Sniper Rifle", 10, 2 },
  { 13, "Pulse Rifle", 7, 1 },
  { 14, "Scout Rifle", 8, 1 },
  { 17, "Sidearm", 14, 1 },
  { 18, "Sword", 54, 3 },
  { 22, "Linear Fusion Rifle", 1504945536u, 3 },
  { 23, "Grenade Launcher", 153950757u, 2 },
  { 24, "Submachine Gun", 3954685534u, 1 },
  { 25, "Trace Rifle", 2489664120u, 1 },
  { 31, "Combat Bow", 3317538576u, 1 },
  { 33, "Glaive", 3871742104u, 2 },
};

typedef struct
{
  const char *name;
  int         slot;           /* DEMO_SLOT_KINETIC..POWER */
  int         sub_type;
  int         damage;         /* DamageType */
  int         tier;           /* TierType: 5 Legendary, 6 Exotic */
  const char *flavor;
} DemoWeaponSpec;

static const DemoWeaponSpec demo_weapons[] = {
  { "Ace of Spades", DEMO_SLOT_KINETIC, 9, 1, 6, "\"Words fly. Bullets sing.\" —Cayde-6" },
  { "Thorn", DEMO_SLOT_KINETIC, 9, 1, 6, "\"To rend one's enemies is to see them not as equals, but objects.\"" },
  { "Hawkmoon", DEMO_SLOT_KINETIC, 9, 1, 6, "\"Fly on, ascendant. Fly home.\"" },
  { "Outbreak Perfected", DEMO_SLOT_KINETIC, 13, 1, 6, "\"For the glory of the Iron Lords.\"" },
  { "Izanagi's Burden", DEMO_SLOT_KINETIC, 12, 1, 6, "\"Shoulder the weight, or be crushed by it.\"" },
  { "Dead Man's Tale", DEMO_SLOT_KINETIC, 14, 1, 6, "\"Dead men tell no tales. This one talks.\"" },
  { "Fatebringer", DEMO_SLOT_KINETIC, 9, 1, 5, "\"Meet your fate.\"" },
  { "Vision of Confluence", DEMO_SLOT_KINETIC, 14, 1, 5, "\"The Vex see all times at once.\"" },
  { "Austringer", DEMO_SLOT_KINETIC, 9, 1, 5, "\"Every weapon has a story. This one has a flight plan.\"" },
  { "Eyasluna", DEMO_SLOT_KINETIC, 9, 1, 5, "\"A hunter's moon rises over the Cosmodrome.\"" },
  { "Chroma Rush", DEMO_SLOT_KINETIC, 6, 1, 5, "\"Every color of the spectrum, in a single magazine.\"" },
  { "Blast Furnace", DEMO_SLOT_KINETIC, 13, 1, 5, "\"Forged in the fires of the Iron Temple.\"" },
  { "Militia's Birthright", DEMO_SLOT_KINETIC, 23, 1, 5, "\"Built by the people of the Last City, for its defense.\"" },
  { "Bottom Dollar", DEMO_SLOT_KINETIC, 9, 1, 5, "\"Bet it all.\"" },
  { "Rose", DEMO_SLOT_KINETIC, 9, 1, 5, "\"A thorn by any other name.\"" },
  { "Mindbender's Ambition", DEMO_SLOT_KINETIC, 7, 1, 5, "\"Ambition is its own reward.\"" },
  { "Succession", DEMO_SLOT_KINETIC, 12, 1, 5, "\"Heirs to the throne, one shot at a time.\"" },
  { "Riskrunner", DEMO_SLOT_ENERGY, 24, 2, 6, "\"Never be afraid to ride the lightning.\"" },
  { "Sunshot", DEMO_SLOT_ENERGY, 9, 3, 6, "\"Let the whole world burn.\"" },
  { "Graviton Lance", DEMO_SLOT_ENERGY, 13, 4, 6, "\"A silent, black hole of a weapon.\"" },
  { "Trinity Ghoul", DEMO_SLOT_ENERGY, 31, 2, 6, "\"Oryx had many sons. Few remain.\"" },
  { "Le Monarque", DEMO_SLOT_ENERGY, 31, 4, 6, "\"A ruler needs no crown.\"" },
  { "Vex Mythoclast", DEMO_SLOT_ENERGY, 11, 3, 6, "\"The Vex do not forget.\"" },
  { "Found Verdict", DEMO_SLOT_ENERGY, 7, 4, 5, "\"The verdict is in.\"" },
  { "Praedyth's Revenge", DEMO_SLOT_ENERGY, 12, 3, 5, "\"Lost in time, but never forgotten.\"" },
  { "Calus Mini-Tool", DEMO_SLOT_ENERGY, 24, 3, 5, "\"A gift from the Emperor, for his favorite Guardians.\"" },
  { "Funnelweb", DEMO_SLOT_ENERGY, 24, 4, 5, "\"Patience. The web will hold.\"" },
  { "Zaouli's Bane", DEMO_SLOT_ENERGY, 9, 3, 5, "\"The Hive remember their fallen.\"" },
  { "Loaded Question", DEMO_SLOT_ENERGY, 11, 2, 5, "\"Ask it nicely.\"" },
  { "Trustee", DEMO_SLOT_ENERGY, 14, 3, 5, "\"Trust is earned, one round at a time.\"" },
  { "Beloved", DEMO_SLOT_ENERGY, 12, 3, 5, "\"Some things are too precious to lose.\"" },
  { "Riptide", DEMO_SLOT_ENERGY, 11, 6, 5, "\"The tide always turns.\"" },
  { "Perpetualis", DEMO_SLOT_ENERGY, 9, 7, 5, "\"Threads without end.\"" },
  { "Edge of Intent", DEMO_SLOT_ENERGY, 33, 2, 5, "\"Cut with purpose.\"" },
  { "Gjallarhorn", DEMO_SLOT_POWER, 10, 3, 6, "\"If there is beauty in destruction, why not also in its delivery?\" —Feizel Crux" },
  { "Sleeper Simulant", DEMO_SLOT_POWER, 22, 2, 6, "\"IKELOS Warmind weapons research.\"" },
  { "Xenophage", DEMO_SLOT_POWER, 8, 3, 6, "\"It hungers.\"" },
  { "The Lament", DEMO_SLOT_POWER, 18, 3, 6, "\"A song for those we lost.\"" },
  { "Thunderlord", DEMO_SLOT_POWER, 8, 2, 6, "\"Reap the storm.\"" },
  { "Leviathan's Breath", DEMO_SLOT_POWER, 31, 4, 6, "\"Hear the roar of the Leviathan.\"" },
  { "Corrective Measure", DEMO_SLOT_POWER, 8, 4, 5, "\"Some errors can only be corrected with overwhelming force.\"" },
  { "Hezen Vengeance", DEMO_SLOT_POWER, 10, 2, 5, "\"Vengeance across time.\"" },
  { "Cataclysmic", DEMO_SLOT_POWER, 22, 3, 5, "\"The end of all things.\"" },
  { "Apex Predator", DEMO_SLOT_POWER, 10, 3, 5, "\"Top of the food chain.\"" },
  { "Falling Guillotine", DEMO_SLOT_POWER, 18, 4, 5, "\"Heads will roll.\"" },
  { "Commemoration", DEMO_SLOT_POWER, 8, 2, 5, "\"Remember the fallen.\"" },
  { "Hothead", DEMO_SLOT_POWER, 10, 3, 5, "\"Keep a cool head. Or don't.\"" },
  { "Edge Transit", DEMO_SLOT_POWER, 23, 4, 5, "\"Delivery guaranteed.\"" },
  { "Stormchaser", DEMO_SLOT_POWER, 22, 2, 5, "\"Chase the storm, and catch it.\"" },
};

/* Class-specific words: [class][armor slot] */
static const char * const demo_armor_pieces[3][5] = {
  { "Helm", "Gauntlets", "Plate", "Greaves", "Mark" },
  { "Casque", "Grips", "Vest", "Strides", "Cloak" },
  { "Hood", "Gloves", "Robes", "Boots", "Bond" },
};
static const char * const demo_armor_types[3][5] = {
  { "Helmet", "Gauntlets", "Chest Armor", "Leg Armor", "Titan Mark" },
  { "Helmet", "Gauntlets", "Chest Armor", "Leg Armor", "Hunter Cloak" },
  { "Helmet", "Gauntlets", "Chest Armor", "Leg Armor", "Warlock Bond" },
};
static const char * const demo_armor_sets[] = {
  "Iron Truage", "Phoenix Strife", "Pyrrhic Ascent", "Dreambane", "Techeun Force",
};
/* Exotic armor: [class][helmet, gauntlets, chest, legs] */
static const char * const demo_exotic_armor[3][4] = {
  { "An Insurmountable Skullfort", "Synthoceps", "Heart of Inmost Light", "Lion Rampant" },
  { "Celestial Nighthawk", "Liar's Handshake", "Gyrfalcon's Hauberk", "St0mp-EE5" },
  { "Nezarec's Sin", "Sunbracers", "Phoenix Protocol", "Transversive Steps" },
};
static const char * const demo_class_names[3] = { "Titan", "Hunter", "Warlock" };
static const guint32 demo_class_hashes[3] = { 3655393761u, 671679327u, 2271682572u };
static const guint32 demo_class_categories[3] = { 22, 23, 21 };
static const char * const demo_subclasses[3][5] = {
  { "Striker", "Sunbreaker", "Sentinel", "Behemoth", "Berserker" },
  { "Arcstrider", "Gunslinger", "Nightstalker", "Revenant", "Threadrunner" },
  { "Stormcaller", "Dawnblade", "Voidwalker", "Shadebinder", "Broodweaver" },
};
/* DamageType of each subclass column above */
static const int demo_subclass_damage[5] = { 2, 3, 4, 6, 7 };

typedef struct
{
  const char *name;
  int         tier;
} DemoNamedTier;

static const DemoNamedTier demo_ghosts[] = {
  { "Sagira's Shell", 6 }, { "Harpy's Crown Shell", 5 }, { "Lost Signal Shell", 5 },
  { "Star Map Shell", 5 }, { "Ophiuchus Shell", 5 }, { "Fireteam Shell", 5 },
};
static const DemoNamedTier demo_vehicles[] = {
  { "Always on Time", 6 }, { "Sharp Tongue", 5 }, { "Tachyon Racer", 5 },
  { "Eos Rapture", 5 }, { "Serpent Stride", 5 },
};
static const DemoNamedTier demo_ships[] = {
  { "Death to Kells", 6 }, { "Arcadia Class Jumpship", 5 }, { "Bound Rendezvous", 5 },
  { "Ego and Squid", 5 }, { "Imperator", 5 },
};
static const DemoNamedTier demo_emblems[] = {
  { "Sandbox Pioneer", 5 }, { "Field Medic", 5 }, { "Vanguard Stalwart", 5 },
  { "Shadow of the Shard", 5 }, { "Lone Focus", 5 }, { "Tower Sentry", 4 },
};

typedef struct
{
  int         damage;         /* DamageType */
  guint32     hash;
  const char *name;
  guint8      rgb[3];
} DemoDamageSpec;

static const DemoDamageSpec demo_damage_types[] = {
  { 1, 3373582085u, "Kinetic", { 255, 255, 255 } },
  { 2, 2303181850u, "Arc", { 121, 187, 232 } },
  { 3, 1847026933u, "Solar", { 242, 114, 27 } },
  { 4, 3454344768u, "Void", { 177, 132, 197 } },
  { 6, 151347233u, "Stasis", { 77, 136, 255 } },
  { 7, 3949783978u, "Strand", { 53, 226, 124 } },
};

typedef struct
{
  int         tier;
  guint32     hash;
  const char *name;
} DemoTierSpec;

static const DemoTierSpec demo_tiers[] = {
  { 1, 1801258597u, "Currency" },
  { 2, 3340296461u, "Basic" },
  { 3, 2395677314u, "Common" },
  { 4, 2127292149u, "Rare" },
  { 5, 4008398120u, "Legendary" },
  { 6, 2759499571u, "Exotic" },
};

typedef struct
{
  guint32     hash;
  const char *name;
  const char *description;
  int         category;       /* DestinyStatCategory */
  int         aggregation;    /* DestinyStatAggregationType */
} DemoStatSpec;

#define DEMO_N_ARMOR_STATS 6
#define DEMO_N_WEAPON_STATS 7
static const DemoStatSpec demo_stats[] = {
  { 1935470627u, "Power", "Your overall Power, the average of your equipped gear.", 3, 1 },
  { 2996146975u, "Mobility", "Increases movement speed and jump height.", 2, 0 },
  { 392767087u, "Resilience", "Increases damage resistance and shield strength.", 2, 0 },
  { 1943323491u, "Recovery", "Increases the speed of health regeneration.", 2, 0 },
  { 1735777505u, "Discipline", "Decreases grenade cooldown.", 2, 0 },
  { 144602215u, "Intellect", "Decreases Super cooldown.", 2, 0 },
  { 4244567218u, "Strength", "Decreases melee cooldown.", 2, 0 },
  { 4043523819u, "Impact", "Increases the damage inflicted by each round.", 1, 2 },
  { 1240592695u, "Range", "Increases the effective range of this weapon.", 1, 2 },
  { 155624089u, "Stability", "How much or little recoil you will experience.", 1, 2 },
  { 943549884u, "Handling", "The speed with which the weapon can be readied and aimed.", 1, 2 },
  { 4188031367u, "Reload Speed", "The time it takes to reload this weapon.", 1, 2 },
  { 3871231066u, "Magazine", "The number of shots which can be fired before reloading.", 1, 2 },
  { 4284893193u, "Rounds Per Minute", "The number of shots per minute this weapon can fire.", 1, 2 },
};

/* Weapon plug columns: socket 0 intrinsic, 1 barrel, 2 magazine, 3 and 4 traits. */
static const char * const demo_plug_frames[] = {
  "Adaptive Frame", "Aggressive Frame", "Precision Frame", "Rapid-Fire Frame",
  "Lightweight Frame", "High-Impact Frame",
};
static const char * const demo_plug_barrels[] = {
  "Arrowhead Brake", "Full Bore", "Hammer-Forged Rifling", "Corkscrew Rifling",
  "Smallbore", "Polygonal Rifling",
};
static const char * const demo_plug_magazines[] = {
  "Accurized Rounds", "Tactical Mag", "Flared Magwell", "Appended Mag",
  "Ricochet Rounds", "Extended Mag",
};
static const char * const demo_plug_traits1[] = {
  "Outlaw", "Rapid Hit", "Perpetual Motion", "Feeding Frenzy", "Subsistence",
  "Threat Detector",
};
static const char * const demo_plug_traits2[] = {
  "Rampage", "Kill Clip", "Explosive Payload", "Kinetic Tremors", "Firefly",
  "Frenzy", "Golden Tricorn", "Vorpal Weapon",
};
static const char * const demo_plug_weapon_masterworks[] = {
  "Masterworked: Range", "Masterworked: Handling", "Masterworked: Stability",
  "Masterworked: Reload Speed",
};
static const char * const demo_plug_weapon_tiers[] = {
  "Tier 2: Range", "Tier 2: Handling", "Tier 2: Stability", "Tier 2: Reload Speed",
};
static const char * const demo_plug_armor_mods[] = {
  "Empty Mod Socket", "Recovery Mod", "Discipline Mod", "Intellect Mod",
  "Resilience Mod", "Mobility Mod",
};
static const char * const demo_plug_armor_energy[] = {
  "Upgrade Armor", "Masterworked Armor",
};
#define DEMO_PLUG_SHADER "Default Shader"

typedef struct
{
  const char *name;
  guint32     real_hash;      /* 0: derive from the name */
  int         max_stack;
  const char *unique_label;
  const char *description;
} DemoStackSpec;

static const DemoStackSpec demo_consumables[] = {
  { "Enhancement Core", 3853748946u, 9999, NULL, "Used to masterwork and upgrade gear." },
  { "Enhancement Prism", 0, 50, NULL, "A rare material used to upgrade Legendary gear." },
  { "Ascendant Shard", 0, 10, NULL, "An exceedingly rare material used to upgrade Exotic gear." },
  { "Ascendant Alloy", 0, 10, "v700.consumables.ascendant_alloy", "Used to craft Enhanced weapon perks. Only one stack can be held." },
  { "Exotic Cipher", 0, 1, "v700.consumables.exotic_cipher", "Used to acquire Exotic items from Collections. Only one can be held." },
  { "Upgrade Module", 0, 50, NULL, "Used to infuse Power into gear." },
  { "Raid Banner", 0, 10, NULL, "Plant it to prepare your fireteam for an encounter." },
};
#define DEMO_CONSUMABLE_PRISM   1
#define DEMO_CONSUMABLE_SHARD   2
#define DEMO_CONSUMABLE_ALLOY   3
#define DEMO_CONSUMABLE_CIPHER  4
#define DEMO_CONSUMABLE_MODULE  5

static const DemoStackSpec demo_mods[] = {
  { "Minor Intellect Mod", 0, 99, NULL, "+5 Intellect." },
  { "Major Recovery Mod", 0, 99, NULL, "+10 Recovery." },
  { "Backup Mag", 0, 99, NULL, "Increases magazine size." },
  { "Major Spec", 0, 99, NULL, "Increases damage against powerful enemies." },
  { "Hands-On", 0, 99, NULL, "Rapid final blows with melee attacks grant Super energy." },
};

typedef struct
{
  const char *name;
  guint32     hash;
  guint32     bucket;
  int         max_stack;
  const char *description;
} DemoCurrencySpec;

static const DemoCurrencySpec demo_currencies[] = {
  { "Glimmer", 3159615086u, 2689798308u, 250000, "Glimmer is a programmable material, the currency of the Last City." },
  { "Legendary Shards", 1022552290u, 2689798309u, 99999, "Used to purchase and upgrade Legendary gear." },
  { "Bright Dust", 2817410917u, 2689798311u, 99999, "Spent at the Eververse store on cosmetics." },
  { "Silver", 3147280338u, 2689798310u, 99999, "Premium currency for the Eververse store." },
  { "Strange Coin", 800069450u, 2689798305u, 9999, "Xûr accepts these in exchange for his wares." },
};
#define DEMO_CURRENCY_GLIMMER 0
#define DEMO_CURRENCY_SHARDS  1
#define DEMO_CURRENCY_COINS   4

static const char * const demo_loadout_names[] = {
  "Raid", "Dungeon", "Crucible", "Gambit", "Strikes", "Nightfall", "Solo",
  "Boss Damage", "Add Clear", "Exploration", "Trials", "Seasonal",
};

static const char * const demo_flavor_lines[] = {
  "Some things are worth fighting for.",
  "The Traveler's light shines on those who carry it.",
  "Forged in the City, tested beyond the Wall.",
  "Its maker left no name, only a warning etched along the grip.",
  "Every scratch on it is a story worth telling around a campfire.",
  "Built to outlast the darkness, or at least the next patrol.",
  "It has seen the fall of kings and the rise of gods.",
  "A gift from an old friend who never came back from the Moon.",
};

/* Word lists for the filler definitions of a grown item table. */
static const char * const demo_filler_first[] = {
  "Vigilant", "Silent", "Restless", "Burning", "Hollow", "Crimson", "Gilded",
  "Broken", "Eternal", "Shattered", "Distant", "Fallen", "Radiant", "Wandering",
  "Hungry", "Sovereign", "Patient", "Forgotten", "Bitter", "Luminous",
};
static const char * const demo_filler_second[] = {
  "Reprise", "Oath", "Harbinger", "Refrain", "Covenant", "Lantern", "Verdict",
  "Spire", "Tempest", "Remnant", "Requiem", "Horizon", "Ember", "Citadel",
  "Whisper", "Crown", "Tide", "Ledger", "Sentinel", "Gambit",
};

G_END_DECLS
