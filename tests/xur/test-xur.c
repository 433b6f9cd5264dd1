/* test-xur.c: Xûr's stock and arrival: the parser on recorded answers, the
 * weekly times across zones, and loading from the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-error.h"
#include "qm-json.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"
#include "qm-xur.h"

#define STRANGE_COIN 800069450u

/* ---------------------------------------------------------------------- */
/* Fixtures: the sandbox's own answers, recorded                           */

static QmManifest *
load_manifest (const char *name)
{
  g_autoptr(GBytes) bytes = qm_test_load_fixture (name);
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;

  qm_manifest_load_table (manifest, QM_TABLE_ITEM, bytes, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&manifest);
}

static QmProfile *
parse_profile (JsonNode *response)
{
  g_autoptr(GError) error = NULL;
  QmProfile *profile = qm_profile_parse (response, &error);

  g_assert_no_error (error);
  return profile;
}

static GDateTime *
utc (const char *iso8601)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  GDateTime *date = g_date_time_new_from_iso8601 (iso8601, zone);

  g_assert_nonnull (date);
  return date;
}

static void
assert_instant (GDateTime  *actual,
                const char *expected_iso8601)
{
  g_autoptr(GDateTime) expected = utc (expected_iso8601);
  g_autofree char *text = NULL;

  g_assert_nonnull (actual);
  text = g_date_time_format_iso8601 (actual);
  if (!g_date_time_equal (actual, expected))
    g_error ("got %s, expected %s", text, expected_iso8601);
  /* The API hands out UTC: the caller picks the zone to show. */
  g_assert_cmpint (g_date_time_get_utc_offset (actual), ==, 0);
}

typedef struct
{
  JsonNode   *xur;
  JsonNode   *strange;
  JsonNode   *profile_json;
  QmProfile  *profile;
  QmManifest *manifest;
  GDateTime  *now;       /* Saturday of the recorded week */
} Parse;

static void
parse_set_up (Parse         *fixture,
              gconstpointer  data)
{
  fixture->xur = qm_test_load_json_fixture ("xur-vendor.json");
  fixture->strange = qm_test_load_json_fixture ("xur-strange-gear.json");
  fixture->profile_json = qm_test_load_json_fixture ("xur-profile.json");
  fixture->profile = parse_profile (fixture->profile_json);
  fixture->manifest = load_manifest ("xur-items.json");
  fixture->now = utc ("2026-11-28T12:00:00Z");
}

static void
parse_tear_down (Parse         *fixture,
                 gconstpointer  data)
{
  json_node_unref (fixture->xur);
  json_node_unref (fixture->strange);
  json_node_unref (fixture->profile_json);
  g_object_unref (fixture->profile);
  g_object_unref (fixture->manifest);
  g_date_time_unref (fixture->now);
}

static QmXur *
parse_fixture (Parse *fixture)
{
  g_autoptr(GError) error = NULL;
  QmXur *xur = qm_xur_parse (fixture->xur, fixture->strange, fixture->profile,
                             fixture->manifest, fixture->now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (xur);
  return xur;
}

static JsonObject *
sales_data (JsonNode *response)
{
  JsonObject *data = qm_json_path_object (json_node_get_object (response), "sales", "data", NULL);

  g_assert_nonnull (data);
  return data;
}

static JsonObject *
sale_component (JsonNode     *response,
                QmVendorSale *sale)
{
  g_autofree char *key = g_strdup_printf ("%d", qm_vendor_sale_get_vendor_item_index (sale));
  JsonObject *component = qm_json_get_object (sales_data (response), key);

  g_assert_nonnull (component);
  return component;
}

/* The sale's costs are the component's, in order. */
static void
assert_costs (QmVendorSale *sale,
              JsonObject   *component,
              gboolean      named)
{
  JsonArray *costs = qm_json_get_array (component, "costs");
  guint n = 0;
  const QmCost *parsed = qm_vendor_sale_get_costs (sale, &n);

  g_assert_nonnull (costs);
  g_assert_cmpuint (n, ==, json_array_get_length (costs));
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *cost = json_array_get_object_element (costs, i);

      g_assert_cmpuint (parsed[i].hash, ==, qm_json_get_hash (cost, "itemHash"));
      g_assert_cmpint (parsed[i].quantity, ==, qm_json_get_int (cost, "quantity", -1));
      g_assert_true ((parsed[i].name != NULL) == named);
    }
}

static QmVendorSale *
find_sale_by_name (QmXur      *xur,
                   const char *name)
{
  GListModel *sales = qm_xur_get_sales (xur);

  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      if (g_strcmp0 (qm_vendor_sale_get_name (sale), name) == 0)
        return sale;
    }
  return NULL;
}

/* Every item hash the profile JSON holds, read independently of QmProfile. */
static GHashTable *
profile_item_hashes (JsonNode *profile)
{
  GHashTable *hashes = g_hash_table_new (g_direct_hash, g_direct_equal);
  JsonObject *root = json_node_get_object (profile);
  const char *components[] = { "profileInventory", "profileCurrencies" };
  const char *per_character[] = { "characterInventories", "characterEquipment" };

  for (guint c = 0; c < G_N_ELEMENTS (components); c++)
    {
      JsonArray *items = qm_json_get_array (qm_json_path_object (root, components[c], "data", NULL),
                                            "items");

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        g_hash_table_add (hashes, GUINT_TO_POINTER (qm_json_get_hash (json_array_get_object_element (items, i),
                                                                      "itemHash")));
    }
  for (guint c = 0; c < G_N_ELEMENTS (per_character); c++)
    {
      JsonObject *data = qm_json_path_object (root, per_character[c], "data", NULL);
      g_autoptr(GList) values = json_object_get_values (data);

      for (GList *l = values; l != NULL; l = l->next)
        {
          JsonArray *items = qm_json_get_array (json_node_get_object (l->data), "items");

          for (guint i = 0; i < json_array_get_length (items); i++)
            g_hash_table_add (hashes, GUINT_TO_POINTER (qm_json_get_hash (json_array_get_object_element (items, i),
                                                                          "itemHash")));
        }
    }
  return hashes;
}

/* The profile's count of @hash in profileCurrencies. */
static JsonObject *
currency_entry (JsonNode *profile,
                guint32   hash)
{
  JsonArray *items = qm_json_get_array (qm_json_path_object (json_node_get_object (profile),
                                                             "profileCurrencies", "data", NULL),
                                        "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (qm_json_get_hash (item, "itemHash") == hash)
        return item;
    }
  g_assert_not_reached ();
}

static void
test_parse_present (Parse         *fixture,
                    gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  g_autoptr(GHashTable) held = profile_item_hashes (fixture->profile_json);
  GListModel *sales = qm_xur_get_sales (xur);
  guint n_xur = json_object_get_size (sales_data (fixture->xur));
  guint n_strange = json_object_get_size (sales_data (fixture->strange));
  int last_index = -1;

  g_assert_true (qm_xur_get_present (xur));
  g_assert_null (qm_xur_get_next_arrival (xur));
  /* He stays until the recorded nextRefreshDate, from the Friday before. */
  assert_instant (qm_xur_get_departs (xur), "2026-12-01T17:00:00Z");
  assert_instant (qm_xur_get_arrives (xur), "2026-11-27T17:00:00Z");

  g_assert_cmpuint (n_xur, >, 0);
  g_assert_cmpuint (n_strange, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sales), ==, n_xur + n_strange);
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      gboolean is_xur = i < n_xur;
      JsonNode *response = is_xur ? fixture->xur : fixture->strange;
      JsonObject *component = sale_component (response, sale);
      int augments = (int) qm_json_get_int (component, "augments", 0);

      /* Xûr's own sales first, each vendor's by index. */
      g_assert_cmpuint (qm_vendor_sale_get_vendor_hash (sale), ==,
                        is_xur ? QM_XUR_VENDOR_HASH : QM_XUR_STRANGE_GEAR_VENDOR_HASH);
      if (i == n_xur)
        last_index = -1;
      g_assert_cmpint (qm_vendor_sale_get_vendor_item_index (sale), >, last_index);
      last_index = qm_vendor_sale_get_vendor_item_index (sale);

      g_assert_cmpuint (qm_vendor_sale_get_hash (sale), ==, qm_json_get_hash (component, "itemHash"));
      g_assert_cmpint (qm_vendor_sale_get_quantity (sale), ==, qm_json_get_int (component, "quantity", -1));
      g_assert_cmpint (qm_vendor_sale_get_augments (sale), ==, augments);
      g_assert_cmpint (qm_vendor_sale_get_sale_status (sale), ==, qm_json_get_int (component, "saleStatus", -1));
      g_assert_nonnull (qm_vendor_sale_get_name (sale));
      g_assert_nonnull (qm_vendor_sale_get_icon (sale));
      g_assert_nonnull (qm_vendor_sale_get_tier_name (sale));
      assert_costs (sale, component, TRUE);
      g_assert_true (qm_vendor_sale_get_owned (sale) ==
                     ((augments & QM_VENDOR_ITEM_STATE_OWNED) != 0 ||
                      g_hash_table_contains (held, GUINT_TO_POINTER (qm_vendor_sale_get_hash (sale)))));
    }
}

/* The demo Titan's equipped exotic armor is on sale, marked as owned. */
static void
test_parse_owned (Parse         *fixture,
                  gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  GListModel *sales = qm_xur_get_sales (xur);
  const QmCharacter *titan = qm_profile_get_character (fixture->profile, 0);
  GListModel *items = qm_profile_get_items (fixture->profile);
  guint n_marked = 0;

  g_assert_cmpint (titan->class_type, ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      gboolean equipped = FALSE;

      if ((qm_vendor_sale_get_augments (sale) & QM_VENDOR_ITEM_STATE_OWNED) == 0)
        continue;
      n_marked++;
      g_assert_true (qm_vendor_sale_get_owned (sale));
      g_assert_cmpint (qm_vendor_sale_get_tier_type (sale), ==, 6);
      for (guint j = 0; j < g_list_model_get_n_items (items); j++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (items, j);

          equipped |= qm_item_get_hash (item) == qm_vendor_sale_get_hash (sale) &&
                      qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED &&
                      g_strcmp0 (qm_item_get_character_id (item), titan->id) == 0;
        }
      g_assert_true (equipped);
    }
  g_assert_cmpuint (n_marked, ==, 1);

  /* Without the profile only the augments say so. */
  {
    g_autoptr(QmXur) bare = qm_xur_parse (fixture->xur, NULL, NULL, fixture->manifest,
                                          fixture->now, NULL);
    GListModel *bare_sales = qm_xur_get_sales (bare);
    guint n_owned = 0;

    for (guint i = 0; i < g_list_model_get_n_items (bare_sales); i++)
      {
        g_autoptr(QmVendorSale) sale = g_list_model_get_item (bare_sales, i);

        n_owned += qm_vendor_sale_get_owned (sale);
      }
    g_assert_cmpuint (n_owned, ==, 1);
  }
}

static void
test_parse_affordable (Parse         *fixture,
                       gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  QmVendorSale *gjallarhorn = find_sale_by_name (xur, "Gjallarhorn");
  gint64 coins = qm_json_get_int (currency_entry (fixture->profile_json, STRANGE_COIN), "quantity", -1);
  guint n_costs = 0;
  const QmCost *costs;
  guint n_affordable_exotics = 0;
  GListModel *sales = qm_xur_get_sales (xur);

  g_assert_nonnull (gjallarhorn);
  costs = qm_vendor_sale_get_costs (gjallarhorn, &n_costs);
  g_assert_cmpuint (n_costs, ==, 1);
  g_assert_cmpuint (costs[0].hash, ==, STRANGE_COIN);
  g_assert_cmpstr (costs[0].name, ==, "Strange Coin");
  g_assert_cmpint (costs[0].quantity, >, coins);
  g_assert_false (qm_vendor_sale_get_affordable (gjallarhorn));

  /* The exotics within the player's coins are affordable. */
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      const QmCost *cost = qm_vendor_sale_get_costs (sale, &n_costs);

      if (n_costs == 1 && cost[0].hash == STRANGE_COIN && cost[0].quantity <= coins)
        {
          g_assert_true (qm_vendor_sale_get_affordable (sale));
          n_affordable_exotics++;
        }
    }
  g_assert_cmpuint (n_affordable_exotics, >=, 3);
}

/* Affordable means holding at least the price: 22 coins buy nothing at 23,
 * 23 do; the NoFunds status says no whatever the balance. */
static void
test_parse_affordable_boundary (Parse         *fixture,
                                gconstpointer  data)
{
  JsonObject *coins = currency_entry (fixture->profile_json, STRANGE_COIN);
  JsonObject *component = qm_json_get_object (sales_data (fixture->xur), "5");
  const int balances[] = { 22, 23 };

  g_assert_nonnull (component);
  g_assert_cmpint (qm_json_get_int (json_array_get_object_element (qm_json_get_array (component, "costs"), 0),
                                    "quantity", -1), ==, 23);
  for (guint b = 0; b < G_N_ELEMENTS (balances); b++)
    {
      g_autoptr(QmProfile) profile = NULL;
      g_autoptr(QmXur) xur = NULL;
      g_autoptr(QmVendorSale) sale = NULL;

      json_object_set_int_member (coins, "quantity", balances[b]);
      profile = parse_profile (fixture->profile_json);
      xur = qm_xur_parse (fixture->xur, NULL, profile, fixture->manifest, fixture->now, NULL);
      sale = g_list_model_get_item (qm_xur_get_sales (xur), 2);
      g_assert_cmpint (qm_vendor_sale_get_vendor_item_index (sale), ==, 5);
      g_assert_true (qm_vendor_sale_get_affordable (sale) == (balances[b] >= 23));
    }

  json_object_set_int_member (component, "saleStatus", QM_VENDOR_ITEM_STATUS_NO_FUNDS);
  {
    g_autoptr(QmProfile) profile = parse_profile (fixture->profile_json);
    g_autoptr(QmXur) xur = qm_xur_parse (fixture->xur, NULL, profile, fixture->manifest, fixture->now, NULL);
    g_autoptr(QmVendorSale) sale = g_list_model_get_item (qm_xur_get_sales (xur), 2);

    g_assert_false (qm_vendor_sale_get_affordable (sale));
  }
}

/* Instanced sales carry power, stats and plugs from the item components. */
static void
test_parse_instances (Parse         *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  JsonObject *root = json_node_get_object (fixture->xur);
  GListModel *sales = qm_xur_get_sales (xur);
  guint n_instanced = 0;

  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      g_autofree char *key = g_strdup_printf ("%d", qm_vendor_sale_get_vendor_item_index (sale));
      JsonObject *instance = qm_json_path_object (root, "itemComponents", "instances", "data", key, NULL);
      JsonObject *stats = qm_json_path_object (root, "itemComponents", "stats", "data", key, "stats", NULL);
      JsonArray *sockets = qm_json_get_array (qm_json_path_object (root, "itemComponents", "sockets",
                                                                   "data", key, NULL), "sockets");
      guint n_stats = 0, n_plugs = 0;
      const QmSaleStat *stat;
      const QmSalePlug *plugs;

      if (qm_vendor_sale_get_vendor_hash (sale) != QM_XUR_VENDOR_HASH || instance == NULL)
        continue;
      n_instanced++;
      g_assert_cmpint (qm_vendor_sale_get_power (sale), ==,
                       qm_json_get_int (qm_json_get_object (instance, "primaryStat"), "value", -1));
      stat = qm_vendor_sale_get_stats (sale, &n_stats);
      g_assert_cmpuint (n_stats, ==, stats != NULL ? json_object_get_size (stats) : 0);
      for (guint s = 0; s < n_stats; s++)
        {
          g_autofree char *stat_key = g_strdup_printf ("%u", stat[s].stat_hash);
          JsonObject *entry = qm_json_get_object (stats, stat_key);

          g_assert_nonnull (entry);
          g_assert_cmpint (stat[s].value, ==, qm_json_get_int (entry, "value", -1));
          g_assert_cmpstr (stat[s].name, ==, qm_stat_get_name (stat[s].stat_hash));
          g_assert_nonnull (stat[s].name);
        }
      plugs = qm_vendor_sale_get_plugs (sale, &n_plugs);
      g_assert_cmpuint (n_plugs, ==, sockets != NULL ? json_array_get_length (sockets) : 0);
      for (guint p = 0; p < n_plugs; p++)
        {
          g_assert_cmpuint (plugs[p].hash, ==,
                            qm_json_get_hash (json_array_get_object_element (sockets, p), "plugHash"));
          g_assert_nonnull (plugs[p].name);
        }
    }
  g_assert_cmpuint (n_instanced, >=, 4);

  /* A sale that is not instanced has no power. */
  g_assert_cmpint (qm_vendor_sale_get_power (find_sale_by_name (xur, "Exotic Cipher")), ==, -1);
}

/* Missing definitions leave names unknown and crash nothing. */
static void
test_parse_unknown_definitions (Parse         *fixture,
                                gconstpointer  data)
{
  g_autoptr(QmManifest) empty = qm_manifest_new (NULL);
  QmManifest *manifests[] = { NULL, empty };

  for (guint m = 0; m < G_N_ELEMENTS (manifests); m++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmXur) xur = qm_xur_parse (fixture->xur, fixture->strange, fixture->profile,
                                           manifests[m], fixture->now, &error);
      GListModel *sales;

      g_assert_no_error (error);
      sales = qm_xur_get_sales (xur);
      g_assert_cmpuint (g_list_model_get_n_items (sales), >, 0);
      for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
        {
          g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
          JsonNode *response = qm_vendor_sale_get_vendor_hash (sale) == QM_XUR_VENDOR_HASH
                               ? fixture->xur : fixture->strange;
          guint n_plugs = 0;
          const QmSalePlug *plugs = qm_vendor_sale_get_plugs (sale, &n_plugs);
          g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);
          g_autofree char *unknown = NULL;

          g_assert_null (qm_vendor_sale_get_name (sale));
          g_assert_null (qm_vendor_sale_get_icon (sale));
          g_assert_null (qm_vendor_sale_get_item_type_name (sale));
          assert_costs (sale, sale_component (response, sale), FALSE);
          for (guint p = 0; p < n_plugs; p++)
            g_assert_null (plugs[p].name);
          unknown = g_strdup_printf ("item %u", qm_vendor_sale_get_costs (sale, NULL)[0].hash);
          g_assert_nonnull (strstr (costs, unknown));
        }
    }
}

static void
test_parse_costs_text (Parse         *fixture,
                       gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  g_autofree char *gjallarhorn = NULL;
  g_autofree char *cipher = NULL;

  gjallarhorn = qm_vendor_sale_dup_costs_text (find_sale_by_name (xur, "Gjallarhorn"));
  g_assert_cmpstr (gjallarhorn, ==, "120 Strange Coin");
  cipher = qm_vendor_sale_dup_costs_text (find_sale_by_name (xur, "Exotic Cipher"));
  g_assert_cmpstr (cipher, ==, "11 Strange Coin, 125000 Glimmer");
}

static void
set_enabled (JsonNode *response,
             gboolean  enabled)
{
  JsonObject *vendor = qm_json_path_object (json_node_get_object (response), "vendor", "data", NULL);

  g_assert_nonnull (vendor);
  json_object_set_boolean_member (vendor, "enabled", enabled);
}

static void
assert_absent (QmXur      *xur,
               const char *next_arrival)
{
  g_assert_false (qm_xur_get_present (xur));
  g_assert_null (qm_xur_get_arrives (xur));
  g_assert_null (qm_xur_get_departs (xur));
  g_assert_cmpuint (g_list_model_get_n_items (qm_xur_get_sales (xur)), ==, 0);
  assert_instant (qm_xur_get_next_arrival (xur), next_arrival);
}

static void
test_parse_absent (Parse         *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) tuesday = utc ("2026-12-02T09:00:00Z");
  g_autoptr(QmXur) missing = qm_xur_parse (NULL, NULL, fixture->profile, fixture->manifest,
                                           tuesday, NULL);
  g_autoptr(QmXur) disabled = NULL;
  g_autoptr(QmXur) disabled_no_date = NULL;
  JsonObject *vendor = qm_json_path_object (json_node_get_object (fixture->xur), "vendor", "data", NULL);

  /* 1627: not there, back on Friday. */
  assert_absent (missing, "2026-12-04T17:00:00Z");

  /* enabled false: the vendor's own date says when his stock turns over. */
  set_enabled (fixture->xur, FALSE);
  json_object_set_string_member (vendor, "nextRefreshDate", "2026-12-03T12:00:00Z");
  disabled = qm_xur_parse (fixture->xur, fixture->strange, fixture->profile, fixture->manifest,
                           tuesday, NULL);
  assert_absent (disabled, "2026-12-03T12:00:00Z");

  /* A placeholder far in the future, or no date at all: the next Friday. */
  json_object_set_string_member (vendor, "nextRefreshDate", "9999-12-31T23:59:59Z");
  g_clear_object (&disabled);
  disabled = qm_xur_parse (fixture->xur, NULL, NULL, NULL, tuesday, NULL);
  assert_absent (disabled, "2026-12-04T17:00:00Z");
  json_object_remove_member (vendor, "nextRefreshDate");
  disabled_no_date = qm_xur_parse (fixture->xur, NULL, NULL, NULL, tuesday, NULL);
  assert_absent (disabled_no_date, "2026-12-04T17:00:00Z");
}

/* No nextRefreshDate while present: he leaves at the coming reset. */
static void
test_parse_present_without_date (Parse         *fixture,
                                 gconstpointer  data)
{
  JsonObject *vendor = qm_json_path_object (json_node_get_object (fixture->xur), "vendor", "data", NULL);
  g_autoptr(QmXur) xur = NULL;

  json_object_remove_member (vendor, "nextRefreshDate");
  xur = qm_xur_parse (fixture->xur, NULL, NULL, NULL, fixture->now, NULL);
  g_assert_true (qm_xur_get_present (xur));
  assert_instant (qm_xur_get_departs (xur), "2026-12-01T17:00:00Z");
  assert_instant (qm_xur_get_arrives (xur), "2026-11-27T17:00:00Z");
}

static void
test_parse_malformed (Parse         *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) array = json_from_string ("[1,2]", NULL);
  g_autoptr(JsonNode) junk = json_from_string ("{\"vendor\":{\"data\":{\"enabled\":\"yes\","
                                               "\"nextRefreshDate\":\"soon\"}},"
                                               "\"sales\":{\"data\":{\"1\":{\"itemHash\":\"x\"},"
                                               "\"2\":[],\"3\":{\"itemHash\":7,\"costs\":[1,{},"
                                               "{\"itemHash\":8,\"quantity\":\"many\"}],"
                                               "\"quantity\":-4}}},"
                                               "\"itemComponents\":{\"stats\":{\"data\":{\"3\":"
                                               "{\"stats\":{\"1\":5}}}},\"sockets\":{\"data\":{\"3\":"
                                               "{\"sockets\":[7,{\"plugHash\":0},{\"plugHash\":9}]}}}}}",
                                               NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) none = qm_xur_parse (array, NULL, NULL, NULL, fixture->now, &error);
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(QmVendorSale) sale = NULL;
  guint n = 0;

  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_null (none);
  g_clear_error (&error);
  none = qm_xur_parse (fixture->xur, array, NULL, NULL, fixture->now, &error);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Wrong types: skipped or read as fallbacks, never a crash. */
  g_assert_nonnull (junk);
  xur = qm_xur_parse (junk, NULL, fixture->profile, fixture->manifest, fixture->now, &error);
  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (xur));
  g_assert_cmpuint (g_list_model_get_n_items (qm_xur_get_sales (xur)), ==, 1);
  sale = g_list_model_get_item (qm_xur_get_sales (xur), 0);
  g_assert_cmpuint (qm_vendor_sale_get_hash (sale), ==, 7);
  g_assert_cmpint (qm_vendor_sale_get_quantity (sale), ==, 0);
  g_assert_nonnull (qm_vendor_sale_get_costs (sale, &n));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (qm_vendor_sale_get_costs (sale, NULL)[0].quantity, ==, 0);
  g_assert_null (qm_vendor_sale_get_stats (sale, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (qm_vendor_sale_get_plugs (sale, &n)[0].hash, ==, 9);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (qm_xur_get_departs (xur));
}

static JsonObject *
vendor_component (JsonNode *response)
{
  return qm_json_path_object (json_node_get_object (response), "vendor", "data", NULL);
}

/* The name the fixture tables give Xûr's location @index, or NULL. */
static char *
fixture_location_name (int index)
{
  g_autoptr(JsonNode) vendors = qm_test_load_json_fixture ("xur-vendors.json");
  g_autoptr(JsonNode) destinations = qm_test_load_json_fixture ("xur-destinations.json");
  g_autofree char *key = g_strdup_printf ("%u", QM_XUR_VENDOR_HASH);
  JsonArray *locations = qm_json_get_array (qm_json_get_object (json_node_get_object (vendors), key),
                                            "locations");
  JsonObject *location = json_array_get_object_element (locations, index);
  g_autofree char *destination = g_strdup_printf ("%u", qm_json_get_hash (location, "destinationHash"));
  JsonObject *definition = qm_json_get_object (json_node_get_object (destinations), destination);

  return g_strdup (qm_json_get_string (qm_json_get_object (definition, "displayProperties"), "name"));
}

static void
load_location_tables (QmManifest *manifest)
{
  g_autoptr(GBytes) vendors = qm_test_load_fixture ("xur-vendors.json");
  g_autoptr(GBytes) destinations = qm_test_load_fixture ("xur-destinations.json");
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_VENDOR, vendors, &error));
  g_assert_no_error (error);
  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_DESTINATION, destinations, &error));
  g_assert_no_error (error);
}

/* vendorLocationIndex picks a location of his definition, named by its
 * destination; anything unknown along the way leaves the location NULL. */
static void
test_parse_location (Parse         *fixture,
                     gconstpointer  data)
{
  JsonObject *vendor = vendor_component (fixture->xur);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  {
    /* Item definitions alone: no location. */
    g_autoptr(QmXur) xur = parse_fixture (fixture);
    g_autoptr(QmXur) bare = qm_xur_parse (fixture->xur, NULL, NULL, NULL, fixture->now, NULL);

    g_assert_null (qm_xur_get_location (xur));
    g_assert_null (qm_xur_get_location (bare));
  }

  load_location_tables (fixture->manifest);
  for (int index = 0; index < 3; index++)
    {
      g_autofree char *expected = fixture_location_name (index);
      g_autoptr(QmXur) xur = NULL;

      json_object_set_int_member (vendor, "vendorLocationIndex", index);
      xur = parse_fixture (fixture);
      g_assert_nonnull (expected);
      g_assert_cmpstr (qm_xur_get_location (xur), ==, expected);
      g_assert_true (g_hash_table_add (seen, g_strdup (expected)));
    }

  /* A destination without a definition, an index past his locations, a
   * negative one, none at all. */
  for (int index = 3; index <= 6; index++)
    {
      g_autoptr(QmXur) xur = NULL;

      if (index == 6)
        json_object_remove_member (vendor, "vendorLocationIndex");
      else
        json_object_set_int_member (vendor, "vendorLocationIndex", index == 5 ? -1 : index);
      xur = parse_fixture (fixture);
      g_assert_true (qm_xur_get_present (xur));
      g_assert_null (qm_xur_get_location (xur));
    }
}

/* The name of destination @hash; NULL when unknown. */
static const char *
destination_name (QmManifest *manifest,
                  guint32     hash)
{
  QmDefinition place = qm_manifest_get_definition (manifest, QM_TABLE_DESTINATION, hash);

  g_assert_nonnull (place.name);
  return place.known ? place.name : NULL;
}

static void
test_manifest_location_tables (void)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GBytes) html = g_bytes_new_static ("<!DOCTYPE html><html></html>", 28);
  g_autoptr(GBytes) array = g_bytes_new_static ("[]", 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *tower = fixture_location_name (0);

  g_assert_cmpuint (qm_manifest_lookup_vendor_location (manifest, QM_XUR_VENDOR_HASH, 0), ==, 0);
  g_assert_null (destination_name (manifest, 333898048));
  load_location_tables (manifest);
  g_assert_cmpuint (qm_manifest_lookup_vendor_location (manifest, QM_XUR_VENDOR_HASH, 0), !=, 0);
  g_assert_cmpuint (qm_manifest_lookup_vendor_location (manifest, QM_XUR_STRANGE_GEAR_VENDOR_HASH, 0), ==, 0);
  g_assert_cmpuint (qm_manifest_lookup_vendor_location (manifest, 1, 0), ==, 0);
  g_assert_cmpstr (destination_name (
                     manifest, qm_manifest_lookup_vendor_location (manifest, QM_XUR_VENDOR_HASH, 0)), ==, tower);
  g_assert_null (destination_name (manifest, 0));

  /* Broken tables are refused and the loaded ones kept. */
  g_assert_false (qm_manifest_load_table (manifest, QM_TABLE_VENDOR, html, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  g_clear_error (&error);
  g_assert_false (qm_manifest_load_table (manifest, QM_TABLE_DESTINATION, array, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_cmpstr (destination_name (
                     manifest, qm_manifest_lookup_vendor_location (manifest, QM_XUR_VENDOR_HASH, 0)), ==, tower);
}

static void
test_parse_json (Parse         *fixture,
                 gconstpointer  data)
{
  g_autoptr(QmXur) xur = parse_fixture (fixture);
  g_autoptr(QmXur) bare = qm_xur_parse (fixture->xur, NULL, NULL, NULL, fixture->now, NULL);
  g_autoptr(QmXur) absent = qm_xur_parse (NULL, NULL, NULL, NULL, fixture->now, NULL);
  g_autoptr(JsonNode) root = qm_xur_to_json (xur);
  g_autoptr(JsonNode) bare_root = qm_xur_to_json (bare);
  g_autoptr(JsonNode) absent_root = qm_xur_to_json (absent);
  JsonObject *doc = json_node_get_object (root);
  JsonArray *sales = qm_json_get_array (doc, "sales");
  JsonObject *first;
  JsonObject *cost;
  JsonObject *bare_first;

  g_assert_cmpuint (json_object_get_size (doc), ==, 4);
  g_assert_true (qm_json_get_bool (doc, "present", FALSE));
  g_assert_cmpstr (qm_json_get_string (doc, "arrives"), ==, "2026-11-27T17:00:00Z");
  g_assert_cmpstr (qm_json_get_string (doc, "departs"), ==, "2026-12-01T17:00:00Z");
  g_assert_cmpuint (json_array_get_length (sales), ==, g_list_model_get_n_items (qm_xur_get_sales (xur)));
  first = json_array_get_object_element (sales, 0);
  g_assert_cmpuint (json_object_get_size (first), ==, 7);
  g_assert_cmpstr (qm_json_get_string (first, "name"), ==, "Thunderlord");
  /* Whose stock, and the flags the text and the page show, for each sale. */
  for (guint i = 0; i < json_array_get_length (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (qm_xur_get_sales (xur), i);
      JsonObject *object = json_array_get_object_element (sales, i);

      g_assert_cmpint (qm_json_get_int (object, "vendor", 0), ==, qm_vendor_sale_get_vendor_hash (sale));
      g_assert_true (json_object_has_member (object, "owned"));
      g_assert_true (json_object_has_member (object, "affordable"));
      g_assert_cmpint (qm_json_get_bool (object, "owned", FALSE), ==, qm_vendor_sale_get_owned (sale));
      g_assert_cmpint (qm_json_get_bool (object, "affordable", FALSE), ==,
                       qm_vendor_sale_get_affordable (sale));
    }
  g_assert_cmpint (qm_json_get_int (first, "hash", 0), ==, 2837201498);
  g_assert_cmpint (qm_json_get_int (first, "quantity", 0), ==, 1);
  cost = json_array_get_object_element (qm_json_get_array (first, "costs"), 0);
  g_assert_cmpuint (json_object_get_size (cost), ==, 3);
  g_assert_cmpint (qm_json_get_int (cost, "hash", 0), ==, STRANGE_COIN);
  g_assert_cmpstr (qm_json_get_string (cost, "name"), ==, "Strange Coin");
  g_assert_cmpint (qm_json_get_int (cost, "quantity", 0), ==, 23);

  /* Unknown names are null, not missing. */
  bare_first = json_array_get_object_element (qm_json_get_array (json_node_get_object (bare_root), "sales"), 0);
  g_assert_true (json_object_has_member (bare_first, "name"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (bare_first, "name")));

  /* Absent: when he comes back, no departure, no sales. */
  doc = json_node_get_object (absent_root);
  g_assert_false (qm_json_get_bool (doc, "present", TRUE));
  g_assert_cmpstr (qm_json_get_string (doc, "arrives"), ==, "2026-12-04T17:00:00Z");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (doc, "departs")));
  g_assert_cmpuint (json_array_get_length (qm_json_get_array (doc, "sales")), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Times                                                                   */

typedef struct
{
  const char *zone;
  int         year, month, day, hour, minute, second;
  const char *expected;
} ArrivalCase;

static const ArrivalCase arrival_cases[] = {
  /* Berlin leaves summer time on 2026-10-25 at 03:00 CEST. */
  { "Europe/Berlin", 2026, 10, 25, 1, 30, 0, "2026-10-30T17:00:00Z" },
  { "Europe/Berlin", 2026, 10, 25, 3, 30, 0, "2026-10-30T17:00:00Z" },
  { "Europe/Berlin", 2026, 10, 30, 17, 59, 0, "2026-10-30T17:00:00Z" },  /* CET: 16:59 UTC */
  { "Europe/Berlin", 2026, 10, 30, 18, 0, 0, "2026-11-06T17:00:00Z" },   /* CET: 17:00 UTC */
  /* …and enters it on 2026-03-29 at 02:00 CET. */
  { "Europe/Berlin", 2026, 3, 29, 1, 30, 0, "2026-04-03T17:00:00Z" },
  { "Europe/Berlin", 2026, 3, 29, 3, 30, 0, "2026-04-03T17:00:00Z" },
  { "Europe/Berlin", 2026, 3, 27, 17, 59, 59, "2026-03-27T17:00:00Z" },  /* CET: 16:59:59 UTC */
  { "Europe/Berlin", 2026, 4, 3, 18, 59, 59, "2026-04-03T17:00:00Z" },   /* CEST: 16:59:59 UTC */
  { "Europe/Berlin", 2026, 4, 3, 19, 0, 0, "2026-04-10T17:00:00Z" },     /* CEST: 17:00 UTC */
  /* New York leaves summer time on 2026-11-01, enters it on 2026-03-08. */
  { "America/New_York", 2026, 10, 31, 23, 0, 0, "2026-11-06T17:00:00Z" },
  { "America/New_York", 2026, 11, 1, 3, 0, 0, "2026-11-06T17:00:00Z" },
  { "America/New_York", 2026, 11, 6, 11, 59, 0, "2026-11-06T17:00:00Z" }, /* EST: 16:59 UTC */
  { "America/New_York", 2026, 11, 6, 12, 0, 0, "2026-11-13T17:00:00Z" },  /* EST: 17:00 UTC */
  { "America/New_York", 2026, 3, 8, 3, 30, 0, "2026-03-13T17:00:00Z" },
  { "America/New_York", 2026, 3, 13, 12, 59, 0, "2026-03-13T17:00:00Z" }, /* EDT: 16:59 UTC */
  { "America/New_York", 2026, 3, 13, 13, 0, 0, "2026-03-20T17:00:00Z" },  /* EDT: 17:00 UTC */
  /* Sydney: summer time ends 2026-04-05, starts 2026-10-04; Friday 17:00 UTC
   * is Saturday morning there. */
  { "Australia/Sydney", 2026, 4, 4, 3, 59, 0, "2026-04-03T17:00:00Z" },   /* AEDT: Fri 16:59 UTC */
  { "Australia/Sydney", 2026, 4, 4, 4, 0, 0, "2026-04-10T17:00:00Z" },    /* AEDT: Fri 17:00 UTC */
  { "Australia/Sydney", 2026, 4, 5, 2, 30, 0, "2026-04-10T17:00:00Z" },
  { "Australia/Sydney", 2026, 4, 11, 2, 59, 0, "2026-04-10T17:00:00Z" },  /* AEST: Fri 16:59 UTC */
  { "Australia/Sydney", 2026, 4, 11, 3, 0, 0, "2026-04-17T17:00:00Z" },   /* AEST: Fri 17:00 UTC */
  { "Australia/Sydney", 2026, 10, 4, 2, 30, 0, "2026-10-09T17:00:00Z" },
  { "Australia/Sydney", 2026, 10, 31, 3, 59, 0, "2026-10-30T17:00:00Z" }, /* AEDT */
  /* UTC itself: one second either side of the hour. */
  { "UTC", 2026, 11, 27, 16, 59, 59, "2026-11-27T17:00:00Z" },
  { "UTC", 2026, 11, 27, 17, 0, 0, "2026-12-04T17:00:00Z" },
  { "UTC", 2026, 11, 27, 17, 0, 1, "2026-12-04T17:00:00Z" },
  { "UTC", 2026, 12, 31, 23, 0, 0, "2027-01-01T17:00:00Z" },
  { "UTC", 2027, 1, 1, 17, 0, 0, "2027-01-08T17:00:00Z" },
};

static GTimeZone *
zone_or_skip (const char *identifier)
{
  GTimeZone *zone = g_time_zone_new_identifier (identifier);

  if (zone == NULL)
    {
      g_autofree char *message = g_strdup_printf ("the time zone %s is not installed", identifier);

      g_test_skip (message);
    }
  return zone;
}

static void
test_time_next_arrival (void)
{
  const char *others[] = { "UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney" };

  for (guint i = 0; i < G_N_ELEMENTS (arrival_cases); i++)
    {
      const ArrivalCase *c = &arrival_cases[i];
      g_autoptr(GTimeZone) zone = zone_or_skip (c->zone);
      g_autoptr(GDateTime) now = NULL;
      g_autoptr(GDateTime) next = NULL;
      g_autofree char *text = NULL;

      if (zone == NULL)
        return;
      now = g_date_time_new (zone, c->year, c->month, c->day, c->hour, c->minute, c->second);
      g_assert_nonnull (now);
      text = g_date_time_format_iso8601 (now);
      g_test_message ("now %s in %s", text, c->zone);
      next = qm_xur_next_arrival (now, NULL);
      assert_instant (next, c->expected);
      g_assert_cmpint (g_date_time_get_day_of_week (next), ==, 5);

      /* The same instant expressed in any zone gives the same arrival. */
      for (guint z = 0; z < G_N_ELEMENTS (others); z++)
        {
          g_autoptr(GTimeZone) other = zone_or_skip (others[z]);
          g_autoptr(GDateTime) moved = NULL;
          g_autoptr(GDateTime) again = NULL;

          if (other == NULL)
            return;
          moved = g_date_time_to_timezone (now, other);
          again = qm_xur_next_arrival (moved, NULL);
          g_assert_true (g_date_time_equal (again, next));
        }
    }
}

static void
test_time_next_refresh (void)
{
  g_autoptr(GDateTime) now = utc ("2026-12-02T09:00:00Z");
  g_autoptr(GDateTime) soon = utc ("2026-12-03T12:00:00Z");
  g_autoptr(GDateTime) past = utc ("2026-12-01T17:00:00Z");
  g_autoptr(GDateTime) placeholder = utc ("9999-12-31T00:00:00Z");
  g_autoptr(GTimeZone) sydney = zone_or_skip ("Australia/Sydney");
  g_autoptr(GDateTime) soon_in_sydney = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (sydney == NULL)
    return;
  /* The vendor's date wins while it is ahead and plausible. */
  next = qm_xur_next_arrival (now, soon);
  assert_instant (next, "2026-12-03T12:00:00Z");
  g_clear_pointer (&next, g_date_time_unref);
  soon_in_sydney = g_date_time_to_timezone (soon, sydney);
  next = qm_xur_next_arrival (now, soon_in_sydney);
  assert_instant (next, "2026-12-03T12:00:00Z");
  g_clear_pointer (&next, g_date_time_unref);
  next = qm_xur_next_arrival (now, past);
  assert_instant (next, "2026-12-04T17:00:00Z");
  g_clear_pointer (&next, g_date_time_unref);
  next = qm_xur_next_arrival (now, placeholder);
  assert_instant (next, "2026-12-04T17:00:00Z");
}

static void
test_time_arrival_before (void)
{
  const struct { const char *departs, *arrives; } cases[] = {
    { "2026-12-01T17:00:00Z", "2026-11-27T17:00:00Z" },  /* Tuesday reset */
    { "2026-11-27T17:00:00Z", "2026-11-27T17:00:00Z" },  /* at the hour itself */
    { "2026-11-27T16:59:59Z", "2026-11-20T17:00:00Z" },
    { "2027-01-05T17:00:00Z", "2027-01-01T17:00:00Z" },  /* across the new year */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) departs = utc (cases[i].departs);
      g_autoptr(GDateTime) arrives = qm_xur_arrival_before (departs);

      assert_instant (arrives, cases[i].arrives);
    }
}

static void
test_time_countdown (void)
{
  g_autoptr(GDateTime) now = utc ("2026-11-24T10:00:00Z");
  g_autoptr(GDateTime) target = utc ("2026-11-27T17:03:04Z");
  int days, hours, minutes, seconds;

  qm_xur_split_countdown (now, target, &days, &hours, &minutes, &seconds);
  g_assert_cmpint (days, ==, 3);
  g_assert_cmpint (hours, ==, 7);
  g_assert_cmpint (minutes, ==, 3);
  g_assert_cmpint (seconds, ==, 4);
  qm_xur_split_countdown (target, now, &days, &hours, NULL, &seconds);
  g_assert_cmpint (days + hours + seconds, ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Loading from the sandbox                                                */

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
} Net;

static void
net_set_up (Net           *fixture,
            gconstpointer  data)
{
  QmSandboxOptions options = { 0 };

  options.no_action_throttle = TRUE;
  fixture->sandbox = qm_test_sandbox_new (&options);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
  qm_bungie_client_set_max_throttle_retries (fixture->client, 0);
}

static void
net_tear_down (Net           *fixture,
               gconstpointer  data)
{
  g_object_unref (fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_object_unref (fixture->sandbox);
}

static QmXur *
load (Net          *fixture,
      QmInventory  *inventory,
      GCancellable *cancellable,
      GError      **error)
{
  QmTestResult res = { 0 };
  QmXur *xur;

  qm_xur_load_async (fixture->client, inventory, cancellable, qm_test_result_cb, &res);
  xur = qm_xur_load_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return xur;
}

static QmInventory *
load_inventory (Net *fixture)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  QmInventory *inventory;

  qm_inventory_load_async (fixture->client, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  return inventory;
}

/* The sales the sandbox serves for @vendor, from its world. */
static JsonObject *
world_sales (QmSandbox *sandbox,
             guint32    vendor)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *key = g_strdup_printf ("%u", vendor);
  JsonNode *response = g_hash_table_lookup (world->vendors, key);

  g_assert_nonnull (response);
  return qm_json_path_object (json_node_get_object (response), "sales", "data", NULL);
}

static gint64
world_currency (QmSandbox *sandbox,
                guint32    hash)
{
  JsonArray *items = qm_json_get_array (qm_sandbox_world_component (qm_sandbox_get_world (sandbox),
                                                                    "profileCurrencies"), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (qm_json_get_hash (json_array_get_object_element (items, i), "itemHash") == hash)
      return qm_json_get_int (json_array_get_object_element (items, i), "quantity", 0);
  return 0;
}

static gboolean
titan_has_equipped (QmSandbox *sandbox,
                    guint32    hash)
{
  g_auto(GStrv) ids = qm_sandbox_dup_character_ids (sandbox);
  JsonObject *equipment = qm_sandbox_world_component (qm_sandbox_get_world (sandbox), "characterEquipment");
  JsonArray *items = qm_json_get_array (qm_json_get_object (equipment, ids[0]), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (qm_json_get_hash (json_array_get_object_element (items, i), "itemHash") == hash)
      return TRUE;
  return FALSE;
}

/* Where the sandbox puts him this week, from its world. */
static const char *
world_location (QmSandbox *sandbox)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *key = g_strdup_printf ("%u", QM_XUR_VENDOR_HASH);
  JsonObject *vendor = qm_json_path_object (json_node_get_object (g_hash_table_lookup (world->vendors, key)),
                                            "vendor", "data", NULL);
  JsonObject *definition = qm_sandbox_world_definition (world, "DestinyVendorDefinition", QM_XUR_VENDOR_HASH);
  JsonArray *locations = qm_json_get_array (definition, "locations");
  int index = (int) qm_json_get_int (vendor, "vendorLocationIndex", -1);
  JsonObject *destination;

  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (index, <, (int) json_array_get_length (locations));
  destination = qm_sandbox_world_definition (world, "DestinyDestinationDefinition",
                                             qm_json_get_hash (json_array_get_object_element (locations, index),
                                                               "destinationHash"));
  return qm_json_get_string (qm_json_get_object (destination, "displayProperties"), "name");
}

static void
test_sandbox_present (Net           *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = load (fixture, NULL, NULL, &error);
  JsonObject *xur_sales = world_sales (fixture->sandbox, QM_XUR_VENDOR_HASH);
  JsonObject *strange_sales = world_sales (fixture->sandbox, QM_XUR_STRANGE_GEAR_VENDOR_HASH);
  GListModel *sales;
  QmVendorSale *gjallarhorn;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint n_owned = 0;

  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (xur));
  g_assert_cmpint (g_date_time_compare (qm_xur_get_departs (xur), now), >, 0);
  g_assert_cmpint (g_date_time_compare (qm_xur_get_arrives (xur), qm_xur_get_departs (xur)), <, 0);
  g_assert_cmpint (g_date_time_get_day_of_week (qm_xur_get_arrives (xur)), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (qm_xur_get_arrives (xur)), ==, 17);

  sales = qm_xur_get_sales (xur);
  g_assert_cmpuint (g_list_model_get_n_items (sales), ==,
                    json_object_get_size (xur_sales) + json_object_get_size (strange_sales));
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      g_autofree char *key = g_strdup_printf ("%d", qm_vendor_sale_get_vendor_item_index (sale));
      JsonObject *served = qm_json_get_object (qm_vendor_sale_get_vendor_hash (sale) == QM_XUR_VENDOR_HASH
                                               ? xur_sales : strange_sales, key);
      guint n_costs = 0;

      g_assert_nonnull (served);
      g_assert_cmpuint (qm_vendor_sale_get_hash (sale), ==, qm_json_get_hash (served, "itemHash"));
      g_assert_nonnull (qm_vendor_sale_get_name (sale));
      qm_vendor_sale_get_costs (sale, &n_costs);
      g_assert_cmpuint (n_costs, ==, json_array_get_length (qm_json_get_array (served, "costs")));
      if ((qm_vendor_sale_get_augments (sale) & QM_VENDOR_ITEM_STATE_OWNED) != 0)
        {
          g_assert_true (qm_vendor_sale_get_owned (sale));
          g_assert_true (titan_has_equipped (fixture->sandbox, qm_vendor_sale_get_hash (sale)));
          n_owned++;
        }
    }
  g_assert_cmpuint (n_owned, ==, 1);

  gjallarhorn = find_sale_by_name (xur, "Gjallarhorn");
  g_assert_nonnull (gjallarhorn);
  g_assert_cmpint (qm_vendor_sale_get_costs (gjallarhorn, NULL)[0].quantity, >,
                   world_currency (fixture->sandbox, STRANGE_COIN));
  g_assert_false (qm_vendor_sale_get_affordable (gjallarhorn));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetVendor"), ==, 2);
  g_assert_nonnull (world_location (fixture->sandbox));
  g_assert_cmpstr (qm_xur_get_location (xur), ==, world_location (fixture->sandbox));
}

/* An inventory at hand is reused: no second profile read. */
static void
test_sandbox_with_inventory (Net           *fixture,
                             gconstpointer  data)
{
  g_autoptr(QmInventory) inventory = load_inventory (fixture);
  guint profiles = qm_sandbox_get_call_count (fixture->sandbox, "GetProfile");
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = load (fixture, inventory, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (xur));
  g_assert_nonnull (find_sale_by_name (xur, "Gjallarhorn"));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, profiles);
}

static void
assert_sandbox_absent (Net *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = load (fixture, NULL, NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expected = qm_xur_next_arrival (now, NULL);
  GDateTime *next;

  g_assert_no_error (error);
  g_assert_false (qm_xur_get_present (xur));
  g_assert_cmpuint (g_list_model_get_n_items (qm_xur_get_sales (xur)), ==, 0);
  next = qm_xur_get_next_arrival (xur);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_get_day_of_week (next), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (next), ==, 17);
  g_assert_cmpint (g_date_time_get_minute (next), ==, 0);
  g_assert_cmpint (g_date_time_compare (next, now), >, 0);
  g_assert_cmpint (g_date_time_difference (next, now), <=, 7 * G_TIME_SPAN_DAY);
  /* Unless the week turned over during the test, the same Friday. */
  g_assert_cmpint (g_date_time_difference (expected, next), <=, 7 * G_TIME_SPAN_DAY);
  /* No Strange Gear Offers asked for without Xûr. */
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetVendor"), ==, 1);
}

static void
test_sandbox_absent (Net           *fixture,
                     gconstpointer  data)
{
  qm_sandbox_set_xur_present (fixture->sandbox, FALSE);
  assert_sandbox_absent (fixture);
}

static void
set_faults (Net        *fixture,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  qm_sandbox_set_faults (fixture->sandbox, spec, &error);
  g_assert_no_error (error);
}

static void
test_sandbox_vendor_not_found (Net           *fixture,
                               gconstpointer  data)
{
  set_faults (fixture, "error:DestinyVendorNotFound,endpoint=GetVendor");
  assert_sandbox_absent (fixture);
}

/* Strange Gear Offers missing (1627) is not an error: Xûr's own sales stay. */
static void
test_sandbox_strange_gear_not_found (Net           *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = NULL;
  GListModel *sales;

  set_faults (fixture, "error:DestinyVendorNotFound,endpoint=GetVendor,calls=2");
  xur = load (fixture, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (xur));
  sales = qm_xur_get_sales (xur);
  g_assert_cmpuint (g_list_model_get_n_items (sales), ==,
                    json_object_get_size (world_sales (fixture->sandbox, QM_XUR_VENDOR_HASH)));
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      g_assert_cmpuint (qm_vendor_sale_get_vendor_hash (sale), ==, QM_XUR_VENDOR_HASH);
    }
}

static void
assert_load_fails (Net        *fixture,
                   const char *faults,
                   GQuark      domain,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = NULL;

  set_faults (fixture, faults);
  xur = load (fixture, NULL, NULL, &error);
  g_assert_error (error, domain, code);
  g_assert_null (xur);
}

static void
test_sandbox_maintenance (Net           *fixture,
                          gconstpointer  data)
{
  assert_load_fails (fixture, "maintenance,endpoint=GetVendor",
                     QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
}

static void
test_sandbox_maintenance_strange_gear (Net           *fixture,
                                       gconstpointer  data)
{
  assert_load_fails (fixture, "maintenance,endpoint=GetVendor,calls=2",
                     QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
}

static void
test_sandbox_html (Net           *fixture,
                   gconstpointer  data)
{
  assert_load_fails (fixture, "html502,endpoint=GetVendor", QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
}

static void
test_sandbox_profile_error (Net           *fixture,
                            gconstpointer  data)
{
  assert_load_fails (fixture, "maintenance,endpoint=GetProfile",
                     QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetVendor"), ==, 0);
}

static void
test_sandbox_cancelled (Net           *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(QmInventory) inventory = load_inventory (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmXur) xur = NULL;

  g_cancellable_cancel (cancellable);
  xur = load (fixture, inventory, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (xur);
}

static QmXur *
load_for_membership (Net         *fixture,
                     int          membership_type,
                     const char  *membership_id,
                     QmInventory *inventory,
                     GError     **error)
{
  QmTestResult res = { 0 };
  QmXur *xur;

  qm_xur_load_for_membership_async (fixture->client, membership_type, membership_id, inventory,
                                    NULL, qm_test_result_cb, &res);
  xur = qm_xur_load_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return xur;
}

/* A profile recorded without component 100 has no userInfo: Xûr is visited
 * as the chosen membership, or the one the characters (200) name. */
static void
test_sandbox_without_profile_component (Net           *fixture,
                                        gconstpointer  data)
{
  QmSandbox *sandbox = fixture->sandbox;
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autoptr(QmInventory) full = load_inventory (fixture);
  g_autoptr(JsonNode) response = qm_json_node_deep_copy (world->profile);
  g_autoptr(QmProfile) profile = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmXur) by_profile = NULL;
  g_autoptr(QmXur) chosen = NULL;
  g_autoptr(QmXur) other = NULL;
  g_autoptr(GError) error = NULL;

  json_object_remove_member (json_node_get_object (response), "profile");
  profile = qm_profile_parse (response, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, 3);
  inventory = qm_inventory_new (profile, qm_inventory_get_manifest (full));

  by_profile = load (fixture, inventory, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (by_profile));

  chosen = load_for_membership (fixture, qm_sandbox_get_membership_type (sandbox),
                                qm_sandbox_get_membership_id (sandbox), inventory, &error);
  g_assert_no_error (error);
  g_assert_true (qm_xur_get_present (chosen));
  g_assert_cmpuint (g_list_model_get_n_items (qm_xur_get_sales (chosen)), ==,
                    g_list_model_get_n_items (qm_xur_get_sales (by_profile)));

  /* The membership given is the one asked for: not one of this account. */
  other = load_for_membership (fixture, qm_sandbox_get_membership_type (sandbox),
                               "4611686018400000999", inventory, &error);
  g_assert_null (other);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

#define ADD_PARSE(path, func) \
  g_test_add (path, Parse, NULL, parse_set_up, func, parse_tear_down)
#define ADD_NET(path, func) \
  g_test_add (path, Net, NULL, net_set_up, func, net_tear_down)

  ADD_PARSE ("/xur/unit/parse-present", test_parse_present);
  ADD_PARSE ("/xur/unit/parse-owned", test_parse_owned);
  ADD_PARSE ("/xur/unit/parse-affordable", test_parse_affordable);
  ADD_PARSE ("/xur/unit/parse-affordable-boundary", test_parse_affordable_boundary);
  ADD_PARSE ("/xur/unit/parse-instances", test_parse_instances);
  ADD_PARSE ("/xur/unit/parse-unknown-definitions", test_parse_unknown_definitions);
  ADD_PARSE ("/xur/unit/parse-costs-text", test_parse_costs_text);
  ADD_PARSE ("/xur/unit/parse-absent", test_parse_absent);
  ADD_PARSE ("/xur/unit/parse-present-without-date", test_parse_present_without_date);
  ADD_PARSE ("/xur/unit/parse-malformed", test_parse_malformed);
  ADD_PARSE ("/xur/unit/parse-json", test_parse_json);
  ADD_PARSE ("/xur/unit/parse-location", test_parse_location);
  g_test_add_func ("/xur/unit/manifest-location-tables", test_manifest_location_tables);
  g_test_add_func ("/xur/unit/time-next-arrival", test_time_next_arrival);
  g_test_add_func ("/xur/unit/time-next-refresh", test_time_next_refresh);
  g_test_add_func ("/xur/unit/time-arrival-before", test_time_arrival_before);
  g_test_add_func ("/xur/unit/time-countdown", test_time_countdown);
  ADD_NET ("/xur/sandbox/present", test_sandbox_present);
  ADD_NET ("/xur/sandbox/with-inventory", test_sandbox_with_inventory);
  ADD_NET ("/xur/sandbox/absent", test_sandbox_absent);
  ADD_NET ("/xur/sandbox/vendor-not-found", test_sandbox_vendor_not_found);
  ADD_NET ("/xur/sandbox/strange-gear-not-found", test_sandbox_strange_gear_not_found);
  ADD_NET ("/xur/sandbox/maintenance", test_sandbox_maintenance);
  ADD_NET ("/xur/sandbox/maintenance-strange-gear", test_sandbox_maintenance_strange_gear);
  ADD_NET ("/xur/sandbox/html-page", test_sandbox_html);
  ADD_NET ("/xur/sandbox/profile-error", test_sandbox_profile_error);
  ADD_NET ("/xur/sandbox/cancelled", test_sandbox_cancelled);
  ADD_NET ("/xur/sandbox/without-profile-component", test_sandbox_without_profile_component);

  return g_test_run ();
}
