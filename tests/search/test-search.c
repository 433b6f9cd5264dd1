/* test-search.c: the search language's parser, matcher and completion
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-sandbox-world.h"
#include "qm-search.h"
#include "qm-test-utils.h"

/* A small hand-made inventory covering every filter. */
typedef struct
{
  const char     *label;
  const char     *name;          /* NULL: no definition (unknown item) */
  int             tier;
  int             item_type;
  int             sub_type;
  int             damage;
  int             class_type;
  guint32         slot;
  QmItemLocation  location;
  const char     *character;
  int             state;         /* 1 locked, 4 masterwork */
  int             power;
  int             quantity;
  gboolean        instanced;
} ItemSpec;

#define LOCKED 1
#define MW     4

static const ItemSpec specs[] = {
  { "ace", "Ace of Spades", 6, 3, 9, 1, 3, QM_BUCKET_KINETIC,
    QM_ITEM_LOCATION_EQUIPPED, "c1", LOCKED | MW, 1810, 1, TRUE },
  { "gjally", "Gjallarhorn", 6, 3, 10, 3, 3, QM_BUCKET_POWER,
    QM_ITEM_LOCATION_VAULT, NULL, 0, 1790, 1, TRUE },
  { "fate", "Fatebringer", 5, 3, 9, 2, 3, QM_BUCKET_ENERGY,
    QM_ITEM_LOCATION_INVENTORY, "c1", LOCKED | MW, 1805, 1, TRUE },
  { "eclat", "Éclat d'Été", 5, 3, 13, 4, 3, QM_BUCKET_ENERGY,
    QM_ITEM_LOCATION_POSTMASTER, "c2", 0, 1600, 1, TRUE },
  { "helm", "Helm of Saint-14", 6, 2, 26, 0, 0, QM_BUCKET_HELMET,
    QM_ITEM_LOCATION_VAULT, NULL, LOCKED, 1800, 1, TRUE },
  { "ophidian", "Ophidian Aspect", 6, 2, 27, 0, 2, QM_BUCKET_GAUNTLETS,
    QM_ITEM_LOCATION_INVENTORY, "c2", 0, 1795, 1, TRUE },
  { "shell", "Fast Forward Shell", 4, 24, 0, 0, 3, QM_BUCKET_GHOST,
    QM_ITEM_LOCATION_EQUIPPED, "c1", 0, -1, 1, TRUE },
  { "prism", "Enhancement Prism", 3, 0, 0, 0, 3, QM_BUCKET_CONSUMABLES,
    QM_ITEM_LOCATION_VAULT, NULL, 0, -1, 5, FALSE },
  { "core", "Enhancement Core", 2, 0, 0, 0, 3, QM_BUCKET_CONSUMABLES,
    QM_ITEM_LOCATION_INVENTORY, "c1", 0, -1, 42, FALSE },
  { "cloak", "Cloak of Five Joyful Songs", 5, 2, 30, 0, 1, QM_BUCKET_CLASS_ARMOR,
    QM_ITEM_LOCATION_EQUIPPED, "c3", LOCKED, 1810, 1, TRUE },
  { "vex", "Vexcalibur", 6, 3, 33, 7, 3, QM_BUCKET_ENERGY,
    QM_ITEM_LOCATION_VAULT, NULL, MW, 1815, 1, TRUE },
  { "guillotine", "Falling Guillotine", 5, 3, 18, 6, 3, QM_BUCKET_POWER,
    QM_ITEM_LOCATION_INVENTORY, "c3", 0, 1790, 1, TRUE },
  { "boots", "Lucent Night Boots", 5, 2, 29, 0, 2, QM_BUCKET_LEGS,
    QM_ITEM_LOCATION_POSTMASTER, "c2", 0, 1780, 1, TRUE },
  { "plate", "Plate of the Great Hunt", 5, 2, 28, 0, 0, QM_BUCKET_CHEST,
    QM_ITEM_LOCATION_EQUIPPED, "c1", LOCKED, 1801, 1, TRUE },
  { "unknown", NULL, 0, 0, 0, 0, 3, 0,
    QM_ITEM_LOCATION_VAULT, NULL, 0, 1700, 1, TRUE },
};

static GPtrArray *
make_items (void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      const ItemSpec *spec = &specs[i];
      g_autofree char *instance = g_strdup_printf ("69%u", i);
      QmItemDefinition def = {
        .hash = 1000 + i,
        .known = spec->name != NULL,
        .name = spec->name != NULL ? spec->name : "Unknown item",
        .tier_type = spec->tier,
        .bucket_hash = spec->slot,
        .max_stack_size = spec->instanced ? 1 : 999,
        .class_type = spec->class_type,
        .item_type = spec->item_type,
        .item_sub_type = spec->sub_type,
        .default_damage_type = spec->damage,
        .equippable = spec->instanced,
      };
      QmItem *item = qm_item_new (def.hash, spec->instanced ? instance : NULL,
                                  spec->slot, spec->location, spec->character,
                                  spec->quantity, spec->state, spec->power, spec->damage);

      qm_item_set_definition (item, &def);
      g_object_set_data (G_OBJECT (item), "label", (gpointer) spec->label);
      g_ptr_array_add (items, item);
    }
  return items;
}

/* The labels of the items @text matches, space-separated, in table order. */
static char *
match_labels (GPtrArray  *items,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSearchQuery) query = qm_search_query_parse (text, NULL, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (query);
  for (guint i = 0; i < items->len; i++)
    if (qm_search_query_matches (query, items->pdata[i]))
      {
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, g_object_get_data (items->pdata[i], "label"));
      }
  return g_string_free (out, FALSE);
}

static void
test_trees (void)
{
  static const struct { const char *text; const char *tree; } cases[] = {
    { "", "(all)" },
    { "   ", "(all)" },
    { "ace", "(text \"ace\")" },
    { "ACE", "(text \"ace\")" },
    { "Éclat", "(text \"eclat\")" },
    { "\"ace of\"", "(text \"ace of\")" },
    { "ace of", "(and (text \"ace\") (text \"of\"))" },
    { "is:exotic", "(is exotic)" },
    { "IS:Exotic", "(is exotic)" },
    { "-is:exotic", "(not (is exotic))" },
    { "not is:exotic", "(not (is exotic))" },
    { "NOT is:exotic", "(not (is exotic))" },
    { "not:locked", "(not (is locked))" },
    { "--ace", "(not (not (text \"ace\")))" },
    { "is:weapon is:exotic", "(and (is weapon) (is exotic))" },
    { "is:weapon and is:exotic", "(and (is weapon) (is exotic))" },
    { "is:weapon AND is:exotic", "(and (is weapon) (is exotic))" },
    { "a b c", "(and (text \"a\") (text \"b\") (text \"c\"))" },
    { "a or b or c", "(or (text \"a\") (text \"b\") (text \"c\"))" },
    { "a OR b", "(or (text \"a\") (text \"b\"))" },
    { "a b or c", "(or (and (text \"a\") (text \"b\")) (text \"c\"))" },
    { "a or b c", "(or (text \"a\") (and (text \"b\") (text \"c\")))" },
    { "a (b or c)", "(and (text \"a\") (or (text \"b\") (text \"c\")))" },
    { "(a b) c", "(and (text \"a\") (text \"b\") (text \"c\"))" },
    { "-(a or b)", "(not (or (text \"a\") (text \"b\")))" },
    { "not (a or b) c", "(and (not (or (text \"a\") (text \"b\"))) (text \"c\"))" },
    { "((a))", "(text \"a\")" },
    { "name:\"Ace of Spades\"", "(name \"ace of spades\")" },
    { "name:Gjallarhorn", "(name \"gjallarhorn\")" },
    { "power:>1800", "(power > 1800)" },
    { "power:>=1800", "(power >= 1800)" },
    { "power:<1800", "(power < 1800)" },
    { "power:<=1800", "(power <= 1800)" },
    { "power:=1800", "(power = 1800)" },
    { "power:1800", "(power = 1800)" },
    { "light:>10", "(power > 10)" },
    { "quantity:>=5", "(quantity >= 5)" },
    { "stack:2", "(quantity = 2)" },
    { "\"or\"", "(text \"or\")" },
    { "\"is:exotic\"", "(text \"is:exotic\")" },
    { "\"say \"\"hi\"", "(text \"say hi\")" },
    { "12:30", "(text \"12:30\")" },
    { "saint-14", "(text \"saint-14\")" },
    { "is:weapon -is:locked power:>1800 ace",
      "(and (is weapon) (not (is locked)) (power > 1800) (text \"ace\"))" },
    { "(is:handcannon or is:sidearm) is:arc",
      "(and (or (is handcannon) (is sidearm)) (is arc))" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmSearchQuery) query = qm_search_query_parse (cases[i].text, NULL, NULL, &error);
      g_autofree char *tree = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      tree = qm_search_query_to_string (query);
      g_assert_cmpstr (tree, ==, cases[i].tree);
    }
}

static void
test_every_is_filter (void)
{
  static const char * const keywords[] = {
    "weapon", "armor", "ghost", "exotic", "legendary", "rare", "uncommon", "common",
    "equipped", "locked", "unlocked", "masterwork", "invault", "inpostmaster",
    "incharacter", "titan", "hunter", "warlock", "kinetic", "arc", "solar", "void",
    "stasis", "strand", "handcannon", "autorifle", "pulserifle", "scoutrifle",
    "sidearm", "submachinegun", "bow", "shotgun", "sniperrifle", "fusionrifle",
    "linearfusionrifle", "tracerifle", "grenadelauncher", "rocketlauncher",
    "machinegun", "sword", "glaive", "kineticslot", "energyslot", "powerslot",
    "helmet", "gauntlets", "chest", "leg", "classitem", "stackable",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      g_autofree char *text = g_strconcat ("is:", keywords[i], NULL);
      g_autofree char *expected = g_strdup_printf ("(is %s)", keywords[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(QmSearchQuery) query = qm_search_query_parse (text, NULL, NULL, &error);
      g_autofree char *tree = NULL;

      g_assert_no_error (error);
      tree = qm_search_query_to_string (query);
      g_assert_cmpstr (tree, ==, expected);
    }
}

static void
test_matches (void)
{
  static const struct { const char *text; const char *labels; } cases[] = {
    { "", "ace gjally fate eclat helm ophidian shell prism core cloak vex guillotine boots plate unknown" },
    { "ace", "ace" },
    { "ACE", "ace" },
    { "spades", "ace" },
    { "of", "ace helm cloak plate" },
    { "\"ace of\"", "ace" },
    { "\"of ace\"", "" },
    { "ace of", "ace" },
    { "eclat", "eclat" },
    { "ÉCLAT D'ÉTÉ", "eclat" },
    { "ete", "eclat" },
    { "enhancement", "prism core" },
    { "name:\"ace of spades\"", "ace" },
    { "name:\"ACE OF SPADES\"", "ace" },
    { "name:ace", "" },
    { "name:gjallarhorn", "gjally" },
    { "name:\"eclat d'ete\"", "eclat" },
    { "is:weapon", "ace gjally fate eclat vex guillotine" },
    { "is:armor", "helm ophidian cloak boots plate" },
    { "is:ghost", "shell" },
    { "is:exotic", "ace gjally helm ophidian vex" },
    { "is:legendary", "fate eclat cloak guillotine boots plate" },
    { "is:rare", "shell" },
    { "is:uncommon", "prism" },
    { "is:common", "core" },
    { "is:equipped", "ace shell cloak plate" },
    { "is:locked", "ace fate helm cloak plate" },
    { "is:unlocked", "gjally eclat ophidian shell prism core vex guillotine boots unknown" },
    { "is:masterwork", "ace fate vex" },
    { "is:invault", "gjally helm prism vex unknown" },
    { "is:inpostmaster", "eclat boots" },
    { "is:incharacter", "ace fate ophidian shell core cloak guillotine plate" },
    { "is:titan", "helm plate" },
    { "is:hunter", "cloak" },
    { "is:warlock", "ophidian boots" },
    { "is:kinetic", "ace" },
    { "is:arc", "fate" },
    { "is:solar", "gjally" },
    { "is:void", "eclat" },
    { "is:stasis", "guillotine" },
    { "is:strand", "vex" },
    { "is:handcannon", "ace fate" },
    { "is:rocketlauncher", "gjally" },
    { "is:pulserifle", "eclat" },
    { "is:glaive", "vex" },
    { "is:sword", "guillotine" },
    { "is:bow", "" },
    { "is:kineticslot", "ace" },
    { "is:energyslot", "fate eclat vex" },
    { "is:powerslot", "gjally guillotine" },
    { "is:helmet", "helm" },
    { "is:gauntlets", "ophidian" },
    { "is:chest", "plate" },
    { "is:leg", "boots" },
    { "is:classitem", "cloak" },
    { "is:stackable", "prism core" },
    { "power:>1800", "ace fate cloak vex plate" },
    { "power:>=1800", "ace fate helm cloak vex plate" },
    { "power:1800", "helm" },
    { "power:=1800", "helm" },
    { "power:<1790", "eclat boots unknown" },
    { "power:<=1790", "gjally eclat guillotine boots unknown" },
    { "-power:>0", "shell prism core" },
    { "quantity:>1", "prism core" },
    { "quantity:42", "core" },
    { "-is:weapon", "helm ophidian shell prism core cloak boots plate unknown" },
    { "not is:weapon", "helm ophidian shell prism core cloak boots plate unknown" },
    { "not:weapon", "helm ophidian shell prism core cloak boots plate unknown" },
    { "-ace", "gjally fate eclat helm ophidian shell prism core cloak vex guillotine boots plate unknown" },
    { "is:weapon -is:locked", "gjally eclat vex guillotine" },
    { "is:weapon -is:locked power:>1800", "vex" },
    { "is:weapon -is:locked power:>1800 ace", "" },
    { "is:weapon power:>1800 ace", "ace" },
    { "is:exotic or is:masterwork", "ace gjally fate helm ophidian vex" },
    { "is:exotic is:weapon or is:hunter", "ace gjally cloak vex" },
    { "is:exotic (is:weapon or is:hunter)", "ace gjally vex" },
    { "is:hunter or is:exotic is:weapon", "ace gjally cloak vex" },
    { "-(is:weapon or is:armor) -is:stackable", "shell unknown" },
    { "(is:handcannon or is:glaive) (is:arc or is:strand)", "fate vex" },
    { "is:weapon and not is:locked and power:<1795", "gjally eclat guillotine" },
  };
  g_autoptr(GPtrArray) items = make_items ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *labels = NULL;

      g_test_message ("%s", cases[i].text);
      labels = match_labels (items, cases[i].text);
      g_assert_cmpstr (labels, ==, cases[i].labels);
    }
}

/* The name cache follows a change of definition. */
static void
test_renamed (void)
{
  g_autoptr(QmItem) item = qm_item_new (1, "1", QM_BUCKET_KINETIC, QM_ITEM_LOCATION_VAULT,
                                        NULL, 1, 0, 1800, 1);
  g_autoptr(QmSearchQuery) ace = qm_search_query_parse ("ace", NULL, NULL, NULL);
  g_autoptr(QmSearchQuery) thorn = qm_search_query_parse ("thorn", NULL, NULL, NULL);
  QmItemDefinition def = { .hash = 1, .known = TRUE, .name = "Ace of Spades", .class_type = 3 };

  g_assert_false (qm_search_query_matches (ace, item));
  qm_item_set_definition (item, &def);
  g_assert_true (qm_search_query_matches (ace, item));
  g_assert_false (qm_search_query_matches (thorn, item));
  def.name = "Thorn";
  qm_item_set_definition (item, &def);
  g_assert_false (qm_search_query_matches (ace, item));
  g_assert_true (qm_search_query_matches (thorn, item));
  qm_item_set_definition (item, NULL);
  g_assert_false (qm_search_query_matches (thorn, item));
}

static void
test_errors (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *message;
    int         start;
    int         end;
  } cases[] = {
    { "is:foo", QM_SEARCH_ERROR_UNKNOWN_FILTER, "Unknown filter “is:foo”", 0, 6 },
    { "ace is:foo", QM_SEARCH_ERROR_UNKNOWN_FILTER, "Unknown filter “is:foo”", 4, 10 },
    { "not:foo", QM_SEARCH_ERROR_UNKNOWN_FILTER, "Unknown filter “not:foo”", 0, 7 },
    { "foo:bar", QM_SEARCH_ERROR_UNKNOWN_FILTER, "Unknown filter “foo:”", 0, 4 },
    { "Éé is:foo", QM_SEARCH_ERROR_UNKNOWN_FILTER, "Unknown filter “is:foo”", 3, 9 },
    { "is:", QM_SEARCH_ERROR_BAD_VALUE, "Missing value after “is:”", 0, 3 },
    { "name:", QM_SEARCH_ERROR_BAD_VALUE, "Missing value after “name:”", 0, 5 },
    { "name:\"  \"", QM_SEARCH_ERROR_BAD_VALUE, "Missing value after “name:”", 0, 9 },
    { "power:", QM_SEARCH_ERROR_BAD_VALUE, "Missing value after “power:”", 0, 6 },
    { "power:>", QM_SEARCH_ERROR_BAD_VALUE, "Missing number after “power:>”", 0, 7 },
    { "power:>abc", QM_SEARCH_ERROR_BAD_VALUE, "“abc” is not a number", 7, 10 },
    { "power:18x0", QM_SEARCH_ERROR_BAD_VALUE, "“18x0” is not a number", 6, 10 },
    { "power:-5", QM_SEARCH_ERROR_BAD_VALUE, "“-5” is not a number", 6, 8 },
    { "quantity:<=9999999999", QM_SEARCH_ERROR_BAD_VALUE, "“9999999999” is too large", 11, 21 },
    { "(ace", QM_SEARCH_ERROR_SYNTAX, "Missing “)”", 0, 1 },
    { "(", QM_SEARCH_ERROR_SYNTAX, "Missing “)”", 0, 1 },
    { "a (b (c)", QM_SEARCH_ERROR_SYNTAX, "Missing “)”", 2, 3 },
    { "ace)", QM_SEARCH_ERROR_SYNTAX, "Unexpected “)”", 3, 4 },
    { ")", QM_SEARCH_ERROR_SYNTAX, "Unexpected “)”", 0, 1 },
    { "()", QM_SEARCH_ERROR_SYNTAX, "Nothing between the parentheses", 0, 2 },
    { "\"ace", QM_SEARCH_ERROR_SYNTAX, "Missing closing quote", 0, 4 },
    { "name:\"ace of", QM_SEARCH_ERROR_SYNTAX, "Missing closing quote", 5, 12 },
    { "\"\"", QM_SEARCH_ERROR_BAD_VALUE, "Nothing between the quotes", 0, 2 },
    { "or", QM_SEARCH_ERROR_SYNTAX, "“or” needs a filter on each side", 0, 2 },
    { "or ace", QM_SEARCH_ERROR_SYNTAX, "“or” needs a filter on each side", 0, 2 },
    { "ace or", QM_SEARCH_ERROR_SYNTAX, "“or” needs a filter on each side", 4, 6 },
    { "ace OR or b", QM_SEARCH_ERROR_SYNTAX, "“or” needs a filter on each side", 4, 6 },
    { "(ace or)", QM_SEARCH_ERROR_SYNTAX, "“or” needs a filter on each side", 5, 7 },
    { "ace and", QM_SEARCH_ERROR_SYNTAX, "“and” needs a filter on each side", 4, 7 },
    { "and ace", QM_SEARCH_ERROR_SYNTAX, "“and” needs a filter on each side", 0, 3 },
    { "not", QM_SEARCH_ERROR_SYNTAX, "“not” must be followed by a filter", 0, 3 },
    { "ace not", QM_SEARCH_ERROR_SYNTAX, "“not” must be followed by a filter", 4, 7 },
    { "not or ace", QM_SEARCH_ERROR_SYNTAX, "“not” must be followed by a filter", 0, 3 },
    { "-", QM_SEARCH_ERROR_SYNTAX, "“-” must be followed by a filter", 0, 1 },
    { "ace -", QM_SEARCH_ERROR_SYNTAX, "“-” must be followed by a filter", 4, 5 },
    { "(-)", QM_SEARCH_ERROR_SYNTAX, "“-” must be followed by a filter", 1, 2 },
    { "ace \xff", QM_SEARCH_ERROR_SYNTAX, "The query is not valid UTF-8 text", 4, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      QmSearchQuery *query;
      int start = -1;
      int end = -1;

      {
        g_autofree char *escaped = g_strescape (cases[i].text, NULL);

        g_test_message ("%s", escaped);
      }
      query = qm_search_query_parse (cases[i].text, &start, &end, &error);
      g_assert_null (query);
      g_assert_error (error, QM_SEARCH_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpint (start, ==, cases[i].start);
      g_assert_cmpint (end, ==, cases[i].end);
    }
}

static void
test_too_deep (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  QmSearchQuery *query;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, '(');
  query = qm_search_query_parse (text->str, NULL, NULL, &error);
  g_assert_null (query);
  g_assert_error (error, QM_SEARCH_ERROR, QM_SEARCH_ERROR_SYNTAX);
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "not ");
  g_string_append (text, "ace");
  query = qm_search_query_parse (text->str, NULL, NULL, &error);
  g_assert_null (query);
  g_assert_error (error, QM_SEARCH_ERROR, QM_SEARCH_ERROR_SYNTAX);
  g_clear_error (&error);

  /* Long flat queries are fine. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "(ace) or -is:exotic ");
  query = qm_search_query_parse (text->str, NULL, NULL, &error);
  g_assert_no_error (error);
  qm_search_query_free (query);
}

static char *
join_completions (const char *text,
                  gssize      cursor,
                  guint       max)
{
  g_auto(GStrv) candidates = qm_search_complete (text, cursor < 0 ? strlen (text) : (gsize) cursor, max);

  return g_strjoinv (" ", candidates);
}

static void
test_complete (void)
{
  static const struct
  {
    const char *text;
    gssize      cursor;   /* -1: at the end */
    guint       max;
    const char *expected;
  } cases[] = {
    { "is:ex", -1, 10, "is:exotic" },
    { "IS:EX", -1, 10, "is:exotic" },
    { "po", -1, 10, "power: is:powerslot" },
    { "p", -1, 10, "power: is:pulserifle is:powerslot" },
    { "i", -1, 10, "is: is:invault is:inpostmaster is:incharacter" },
    { "n", -1, 10, "not: name:" },
    { "q", -1, 10, "quantity:" },
    { "exo", -1, 10, "is:exotic" },
    { "is:", -1, 6, "is:weapon is:armor is:ghost is:exotic is:legendary is:rare" },
    { "is:", -1, 100,
      "is:weapon is:armor is:ghost is:exotic is:legendary is:rare is:uncommon is:common "
      "is:equipped is:locked is:unlocked is:masterwork is:invault is:inpostmaster "
      "is:incharacter is:titan is:hunter is:warlock is:kinetic is:arc is:solar is:void "
      "is:stasis is:strand is:handcannon is:autorifle is:pulserifle is:scoutrifle "
      "is:sidearm is:submachinegun is:bow is:shotgun is:sniperrifle is:fusionrifle "
      "is:linearfusionrifle is:tracerifle is:grenadelauncher is:rocketlauncher "
      "is:machinegun is:sword is:glaive is:kineticslot is:energyslot is:powerslot "
      "is:helmet is:gauntlets is:chest is:leg is:classitem is:stackable" },
    { "is:rifle", -1, 10, "is:autorifle is:pulserifle is:scoutrifle is:sniperrifle "
      "is:fusionrifle is:linearfusionrifle is:tracerifle" },
    { "is:kinetic", -1, 10, "is:kineticslot" },
    { "not:lo", -1, 10, "not:locked" },
    { "-is:ex", -1, 10, "is:exotic" },
    { "(is:ex", -1, 10, "is:exotic" },
    { "ace is:leg", -1, 10, "is:legendary" },
    { "is:exotic ace", 6, 10, "is:exotic" },
    { "is:legendary", -1, 10, "" },
    { "is:zzz", -1, 10, "" },
    { "power:", -1, 10, "" },
    { "name:a", -1, 10, "" },
    { "ace ", -1, 10, "" },
    { "", -1, 10, "" },
    { "\"is:ex", -1, 10, "" },
    { "is:ex", -1, 0, "" },
    { "is:ex", 1000, 10, "is:exotic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = NULL;

      g_test_message ("%s @%" G_GSSIZE_FORMAT, cases[i].text, cases[i].cursor);
      got = join_completions (cases[i].text, cases[i].cursor, cases[i].max);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  g_assert_cmpuint (qm_search_word_start ("ace -is:ex", 10), ==, 5);
  g_assert_cmpuint (qm_search_word_start ("(is:ex", 6), ==, 1);
  g_assert_cmpuint (qm_search_word_start ("ace ", 4), ==, 4);
  g_assert_cmpuint (qm_search_word_start ("ace", 99), ==, 0);
}

/* Whatever is typed, the parser answers with a query or an error (never
 * both, never neither), within the text's bounds; the matcher, printer and
 * completion take whatever the parser accepted. Under ASan this also checks
 * for overflows and leaks. */
static void
check_query (GPtrArray  *items,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSearchQuery) query = NULL;
  g_auto(GStrv) candidates = NULL;
  int start = -1;
  int end = -1;
  gsize len = strlen (text);

  query = qm_search_query_parse (text, &start, &end, &error);
  if (query != NULL)
    {
      g_autofree char *tree = qm_search_query_to_string (query);

      g_assert_no_error (error);
      g_assert_nonnull (tree);
      for (guint i = 0; i < items->len; i++)
        qm_search_query_matches (query, items->pdata[i]);
    }
  else
    {
      glong n_chars = g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : (glong) len;

      g_assert_nonnull (error);
      g_assert_true (error->domain == QM_SEARCH_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (start, >=, 0);
      g_assert_cmpint (start, <=, end);
      g_assert_cmpint (end, <=, n_chars);
    }

  candidates = qm_search_complete (text, g_test_rand_int_range (0, len + 2), 8);
  g_assert_nonnull (candidates);
  g_assert_cmpuint (g_strv_length (candidates), <=, 8);
  for (guint i = 0; candidates[i] != NULL; i++)
    g_assert_cmpstr (candidates[i], !=, "");
}

static void
test_fuzz (void)
{
  static const char * const seeds[] = {
    "is:weapon -is:locked power:>1800 ace",
    "(is:handcannon or is:sidearm) not is:arc",
    "name:\"Ace of Spades\" or quantity:>=5",
    "-(a or b) c and d",
    "Éclat d'Été not:masterwork",
  };
  static const char alphabet[] = "()-\":<>= orandtisxe:1\xc3\xa9\xff";
  g_autoptr(GPtrArray) items = make_items ();
  guint rounds = g_test_slow () ? 200000 : 20000;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GString) text = NULL;

      if (round % 4 == 0)
        {
          /* Random bytes. */
          guint n = g_test_rand_int_range (0, 40);

          text = g_string_new (NULL);
          for (guint i = 0; i < n; i++)
            g_string_append_c (text, (char) g_test_rand_int_range (1, 256));
        }
      else
        {
          /* Random edits of a valid query. */
          guint n_edits = g_test_rand_int_range (1, 6);

          text = g_string_new (seeds[g_test_rand_int_range (0, G_N_ELEMENTS (seeds))]);
          for (guint e = 0; e < n_edits; e++)
            {
              guint pos = g_test_rand_int_range (0, text->len + 1);
              char c = alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)];

              switch (g_test_rand_int_range (0, 3))
                {
                case 0:
                  g_string_insert_c (text, pos, c);
                  break;
                case 1:
                  if (pos < text->len)
                    g_string_erase (text, pos, 1);
                  break;
                default:
                  if (pos < text->len)
                    text->str[pos] = c;
                  break;
                }
            }
        }
      check_query (items, text->str);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  qm_test_init (&argc, &argv);

  g_test_add_func ("/search/trees", test_trees);
  g_test_add_func ("/search/every-is-filter", test_every_is_filter);
  g_test_add_func ("/search/matches", test_matches);
  g_test_add_func ("/search/renamed", test_renamed);
  g_test_add_func ("/search/errors", test_errors);
  g_test_add_func ("/search/too-deep", test_too_deep);
  g_test_add_func ("/search/complete", test_complete);
  g_test_add_func ("/search/fuzz", test_fuzz);

  return g_test_run ();
}
