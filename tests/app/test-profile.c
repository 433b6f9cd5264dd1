/* test-profile.c: the profile, manifest and membership parsers on fixtures
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-json.h"
#include "qm-manifest.h"
#include "qm-profile.h"
#include "qm-test-utils.h"

#define MEMBERSHIP "4611686018400000001"
#define TITAN      "2305843009300000001"
#define HUNTER     "2305843009300000002"
#define WARLOCK    "2305843009300000003"

/* What profile-ids-strings.json holds, in the order the parser must give. */
static const struct
{
  guint32         hash;
  const char     *instance_id;
  guint32         bucket;
  QmItemLocation  location;
  const char     *character_id;
  int             quantity;
  gboolean        locked;
  int             power;
  int             damage_type;
} expected_items[] = {
  { 3580904581u, "6917529100000000001", 1498876634u, QM_ITEM_LOCATION_EQUIPPED, TITAN, 1, TRUE, 1810, 1 },
  { 2591746970u, "6917529100000000002", 3448274439u, QM_ITEM_LOCATION_EQUIPPED, TITAN, 1, FALSE, 1805, 0 },
  { 2782847179u, "6917529100000000004", 2465295065u, QM_ITEM_LOCATION_INVENTORY, TITAN, 1, TRUE, 1790, 3 },
  { 1885944937u, NULL, 1345459588u, QM_ITEM_LOCATION_INVENTORY, TITAN, 3, FALSE, -1, 0 },
  { 19024058u, "6917529100000000005", 215593132u, QM_ITEM_LOCATION_POSTMASTER, TITAN, 1, FALSE, 1750, 4 },
  { 1345867570u, "6917529100000000003", 2465295065u, QM_ITEM_LOCATION_EQUIPPED, HUNTER, 1, FALSE, 1798, 2 },
  /* Location 4 (postmaster) in a weapon bucket: still the postmaster. */
  { 3856705927u, "6917529100000000006", 953998645u, QM_ITEM_LOCATION_POSTMASTER, HUNTER, 1, FALSE, 1700, 6 },
  { 1594120904u, "6917529100000000007", 138197802u, QM_ITEM_LOCATION_VAULT, NULL, 1, TRUE, 1777, 7 },
  { 3467984096u, NULL, 138197802u, QM_ITEM_LOCATION_VAULT, NULL, 5, FALSE, -1, 0 },
  { 2979281381u, NULL, 1469714392u, QM_ITEM_LOCATION_ACCOUNT, NULL, 20, FALSE, -1, 0 },
  { 3961599962u, NULL, 3313201758u, QM_ITEM_LOCATION_ACCOUNT, NULL, 2, FALSE, -1, 0 },
  { 3159615086u, NULL, 2689798308u, QM_ITEM_LOCATION_ACCOUNT, NULL, 250000, FALSE, -1, 0 },
};

static JsonNode *
parse_text (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  JsonNode *node = qm_json_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  return node;
}

static QmProfile *
parse_fixture (const char *name)
{
  g_autoptr(JsonNode) node = qm_test_load_json_fixture (name);
  g_autoptr(GError) error = NULL;
  QmProfile *profile = qm_profile_parse (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static QmProfile *
parse_profile_text (const char *text)
{
  g_autoptr(JsonNode) node = parse_text (text);
  g_autoptr(GError) error = NULL;
  QmProfile *profile = qm_profile_parse (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static QmItem *
get_item (QmProfile *profile,
          guint      index)
{
  GListModel *items = qm_profile_get_items (profile);
  QmItem *item = g_list_model_get_item (items, index);

  g_assert_nonnull (item);
  /* The model keeps its own reference. */
  g_object_unref (item);
  return item;
}

static void
assert_character (QmProfile  *profile,
                  guint       index,
                  const char *id,
                  int         class_type,
                  int         light)
{
  const QmCharacter *character = qm_profile_get_character (profile, index);

  g_assert_nonnull (character);
  g_assert_cmpstr (character->id, ==, id);
  g_assert_cmpint (character->class_type, ==, class_type);
  g_assert_cmpint (character->light, ==, light);
  g_assert_true (qm_profile_find_character (profile, id) == character);
}

static void
test_profile_ids_strings (void)
{
  g_autoptr(QmProfile) profile = parse_fixture ("profile-ids-strings.json");
  /* 12:00:00.500: microseconds are kept. */
  g_autoptr(GDateTime) minted = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  GListModel *items = qm_profile_get_items (profile);

  /* The order of profile.data.characterIds, not of the ids. */
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, 3);
  assert_character (profile, 0, WARLOCK, 2, 1795);
  assert_character (profile, 1, TITAN, 0, 1810);
  assert_character (profile, 2, HUNTER, 1, 1801);
  g_assert_null (qm_profile_get_character (profile, 3));
  g_assert_null (qm_profile_find_character (profile, "1"));
  g_assert_cmpstr (qm_profile_get_character (profile, 1)->emblem_path, ==,
                   "/common/destiny2_content/icons/emblem1.jpg");
  g_assert_cmpstr (qm_profile_get_character (profile, 1)->date_last_played, ==,
                   "2026-02-28T20:00:00Z");

  g_assert_cmpstr (qm_profile_get_membership_id (profile), ==, MEMBERSHIP);
  g_assert_cmpint (qm_profile_get_membership_type (profile), ==, 3);
  g_assert_cmpint (qm_profile_get_minted (profile), ==,
                   g_date_time_to_unix (minted) * G_USEC_PER_SEC + 500000);

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, G_N_ELEMENTS (expected_items));
  for (guint i = 0; i < G_N_ELEMENTS (expected_items); i++)
    {
      QmItem *item = get_item (profile, i);

      g_test_message ("item %u", i);
      g_assert_cmpuint (qm_item_get_hash (item), ==, expected_items[i].hash);
      g_assert_cmpstr (qm_item_get_instance_id (item), ==, expected_items[i].instance_id);
      g_assert_cmpuint (qm_item_get_bucket_hash (item), ==, expected_items[i].bucket);
      g_assert_cmpint (qm_item_get_location (item), ==, expected_items[i].location);
      g_assert_cmpstr (qm_item_get_character_id (item), ==, expected_items[i].character_id);
      g_assert_cmpint (qm_item_get_quantity (item), ==, expected_items[i].quantity);
      g_assert_cmpint (qm_item_get_locked (item), ==, expected_items[i].locked);
      g_assert_cmpint (qm_item_get_power (item), ==, expected_items[i].power);
      g_assert_cmpint (qm_item_get_damage_type (item), ==, expected_items[i].damage_type);
      g_assert_null (qm_item_get_name (item));
    }
}

static void
assert_same_profile (QmProfile *a,
                     QmProfile *b)
{
  GListModel *items_a = qm_profile_get_items (a);
  GListModel *items_b = qm_profile_get_items (b);

  g_assert_cmpuint (qm_profile_get_n_characters (a), ==, qm_profile_get_n_characters (b));
  for (guint i = 0; i < qm_profile_get_n_characters (a); i++)
    {
      const QmCharacter *ca = qm_profile_get_character (a, i);
      const QmCharacter *cb = qm_profile_get_character (b, i);

      g_assert_cmpstr (ca->id, ==, cb->id);
      g_assert_cmpint (ca->class_type, ==, cb->class_type);
      g_assert_cmpint (ca->light, ==, cb->light);
    }
  g_assert_cmpstr (qm_profile_get_membership_id (a), ==, qm_profile_get_membership_id (b));
  g_assert_cmpuint (g_list_model_get_n_items (items_a), ==, g_list_model_get_n_items (items_b));
  for (guint i = 0; i < g_list_model_get_n_items (items_a); i++)
    {
      QmItem *ia = get_item (a, i);
      QmItem *ib = get_item (b, i);

      g_assert_cmpuint (qm_item_get_hash (ia), ==, qm_item_get_hash (ib));
      g_assert_cmpstr (qm_item_get_instance_id (ia), ==, qm_item_get_instance_id (ib));
      g_assert_cmpstr (qm_item_get_character_id (ia), ==, qm_item_get_character_id (ib));
      g_assert_cmpint (qm_item_get_location (ia), ==, qm_item_get_location (ib));
      g_assert_cmpint (qm_item_get_quantity (ia), ==, qm_item_get_quantity (ib));
      g_assert_cmpint (qm_item_get_state (ia), ==, qm_item_get_state (ib));
      g_assert_cmpint (qm_item_get_power (ia), ==, qm_item_get_power (ib));
    }
}

static void
test_profile_ids_numbers (void)
{
  g_autoptr(QmProfile) strings = parse_fixture ("profile-ids-strings.json");
  g_autoptr(QmProfile) numbers = parse_fixture ("profile-ids-numbers.json");

  assert_same_profile (strings, numbers);
  /* Numbers come back as the same decimal strings. */
  g_assert_cmpstr (qm_item_get_instance_id (get_item (numbers, 0)), ==, "6917529100000000001");
  g_assert_cmpstr (qm_profile_get_character (numbers, 0)->id, ==, WARLOCK);
}

static void
test_profile_privacy (void)
{
  g_autoptr(QmProfile) profile = parse_fixture ("profile-privacy.json");
  GListModel *items = qm_profile_get_items (profile);

  /* Inventories and instances are private: only the equipment is there,
   * without power. */
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      QmItem *item = get_item (profile, i);

      g_assert_cmpint (qm_item_get_location (item), ==, QM_ITEM_LOCATION_EQUIPPED);
      g_assert_cmpint (qm_item_get_power (item), ==, -1);
    }
  g_assert_cmpstr (qm_item_get_character_id (get_item (profile, 0)), ==, TITAN);
  g_assert_cmpstr (qm_item_get_character_id (get_item (profile, 2)), ==, HUNTER);
}

/* Components with privacy 2 and no data are reported as withheld; a missing
 * component or one with data is not. */
static void
test_profile_withheld (void)
{
  g_autoptr(QmProfile) privacy = parse_fixture ("profile-privacy.json");
  g_autoptr(QmProfile) open = parse_fixture ("profile-ids-strings.json");
  g_autoptr(QmProfile) empty = parse_profile_text ("{}");
  g_autoptr(QmProfile) public_empty = parse_profile_text ("{\"profileInventory\":{\"privacy\":1},"
                                                          "\"characterInventories\":{\"privacy\":2,\"data\":{}}}");
  g_autoptr(GBytes) bytes = qm_test_load_fixture ("profile-privacy.json");
  g_autoptr(QmProfile) scanned = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (qm_profile_get_withheld (privacy), ==,
                   QM_PROFILE_COMPONENT_PROFILE_INVENTORIES | QM_PROFILE_COMPONENT_CHARACTER_INVENTORIES |
                   QM_PROFILE_COMPONENT_ITEM_INSTANCES);
  scanned = qm_profile_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qm_profile_get_withheld (scanned), ==, qm_profile_get_withheld (privacy));
  text = qm_profile_describe_withheld (privacy);
  g_assert_nonnull (strstr (text, "(components 102, 201, 300)"));

  g_assert_cmpint (qm_profile_get_withheld (open), ==, 0);
  g_assert_null (qm_profile_describe_withheld (open));
  g_assert_cmpint (qm_profile_get_withheld (empty), ==, 0);
  g_assert_cmpint (qm_profile_get_withheld (public_empty), ==, 0);
}

/* Without component 100 (no userInfo) the membership is the one the
 * characters (200) name; both readers agree. */
static void
test_profile_membership_from_characters (void)
{
  static const char text[] =
    "{\"characters\":{\"privacy\":1,\"data\":{"
    "\"2305843009300000002\":{\"characterId\":\"2305843009300000002\",\"membershipId\":4611686018400000077,"
    "\"membershipType\":2,\"classType\":1,\"light\":1801}}}}";
  static const char with_user_info[] =
    "{\"profile\":{\"privacy\":1,\"data\":{\"userInfo\":{\"membershipId\":\"4611686018400000001\","
    "\"membershipType\":3}}},"
    "\"characters\":{\"privacy\":1,\"data\":{"
    "\"2305843009300000002\":{\"membershipId\":\"4611686018400000077\",\"membershipType\":2}}}}";
  g_autoptr(QmProfile) tree = parse_profile_text (text);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(QmProfile) scanned = NULL;
  g_autoptr(QmProfile) empty = parse_profile_text ("{}");
  g_autoptr(QmProfile) both = parse_profile_text (with_user_info);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (qm_profile_get_membership_id (tree), ==, "4611686018400000077");
  g_assert_cmpint (qm_profile_get_membership_type (tree), ==, 2);
  scanned = qm_profile_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qm_profile_get_membership_id (scanned), ==, "4611686018400000077");
  g_assert_cmpint (qm_profile_get_membership_type (scanned), ==, 2);
  g_assert_null (qm_profile_get_membership_id (empty));
  /* userInfo, when there, is the profile's own word. */
  g_assert_cmpstr (qm_profile_get_membership_id (both), ==, "4611686018400000001");
  g_assert_cmpint (qm_profile_get_membership_type (both), ==, 3);
}

static void
test_profile_missing_components (void)
{
  g_autoptr(QmProfile) empty = parse_profile_text ("{}");
  g_autoptr(QmProfile) sorted = NULL;

  g_assert_cmpuint (qm_profile_get_n_characters (empty), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (empty)), ==, 0);
  g_assert_cmpint (qm_profile_get_minted (empty), ==, 0);
  g_assert_null (qm_profile_get_membership_id (empty));

  /* Without characterIds: by id, numerically; a character known only by
   * its equipment is kept, of unknown class. */
  sorted = parse_profile_text ("{\"characters\":{\"data\":{"
                               "\"30\":{\"classType\":1,\"light\":10},"
                               "\"100\":{\"classType\":0,\"light\":20},"
                               "\"2\":{\"classType\":2,\"light\":30}}},"
                               "\"characterEquipment\":{\"data\":{"
                               "\"7\":{\"items\":[{\"itemHash\":5,\"bucketHash\":1498876634}]}},"
                               "\"privacy\":1},"
                               "\"characterInventories\":{\"privacy\":2},"
                               "\"profileInventory\":{\"data\":{}}}");
  g_assert_cmpuint (qm_profile_get_n_characters (sorted), ==, 4);
  assert_character (sorted, 0, "2", 2, 30);
  assert_character (sorted, 1, "7", 3, 0);
  assert_character (sorted, 2, "30", 1, 10);
  assert_character (sorted, 3, "100", 0, 20);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (sorted)), ==, 1);
  g_assert_cmpstr (qm_item_get_character_id (get_item (sorted, 0)), ==, "7");
  g_assert_cmpint (qm_item_get_quantity (get_item (sorted, 0)), ==, 1);
}

static void
test_profile_wrong_types (void)
{
  /* Wrong types where objects and arrays belong are skipped, not fatal. */
  g_autoptr(QmProfile) profile =
    parse_profile_text ("{\"characters\":5,\"profile\":{\"data\":{\"characterIds\":[\"x\",3,null]}},"
                        "\"characterEquipment\":{\"data\":[]},"
                        "\"characterInventories\":{\"data\":{\"3\":{\"items\":{}}}},"
                        "\"profileInventory\":{\"data\":{\"items\":[1,\"a\",null,"
                        "{\"itemHash\":\"12\",\"bucketHash\":138197802,\"itemInstanceId\":\"abc\"}]}},"
                        "\"itemComponents\":{\"instances\":{\"data\":{\"abc\":7}}},"
                        "\"responseMintedTimestamp\":\"yesterday\"}");

  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, 1);
  assert_character (profile, 0, "3", 3, 0);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (profile)), ==, 1);
  g_assert_cmpuint (qm_item_get_hash (get_item (profile, 0)), ==, 12);
  g_assert_null (qm_item_get_instance_id (get_item (profile, 0)));
  g_assert_cmpint (qm_item_get_location (get_item (profile, 0)), ==, QM_ITEM_LOCATION_VAULT);
  g_assert_cmpint (qm_profile_get_minted (profile), ==, 0);
}

static void
test_profile_malformed (void)
{
  const char *texts[] = { "[]", "\"profile\"", "null", "42" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = parse_text (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(QmProfile) profile = qm_profile_parse (node, &error);

      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      g_assert_null (profile);
      g_assert_nonnull (strstr (error->message, "profile"));
    }
}

static void
test_class_names (void)
{
  g_assert_cmpstr (qm_class_type_to_string (0), ==, "titan");
  g_assert_cmpstr (qm_class_type_to_string (1), ==, "hunter");
  g_assert_cmpstr (qm_class_type_to_string (2), ==, "warlock");
  g_assert_cmpstr (qm_class_type_to_string (3), ==, "unknown");
  g_assert_cmpstr (qm_class_type_to_string (-1), ==, "unknown");
}

static void
test_contract (const char *fixture)
{
  g_autoptr(JsonNode) response = qm_test_load_json_fixture (fixture);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *dir = g_dir_make_tmp ("qm-profile-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "GET");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, "/Platform/Destiny2/3/Profile/" MEMBERSHIP "/?components="
                                 QM_PROFILE_COMPONENTS);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 200);
  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Response");
  json_builder_add_value (builder, json_node_ref (response));
  json_builder_set_member_name (builder, "ErrorCode");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "ThrottleSeconds");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "ErrorStatus");
  json_builder_add_string_value (builder, "Success");
  json_builder_set_member_name (builder, "Message");
  json_builder_add_string_value (builder, "Ok");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  line = json_builder_get_root (builder);

  json = json_to_string (line, FALSE);
  text = g_strconcat (json, "\n", NULL);
  path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  if (!qm_test_contract_check (path, NULL, &output))
    g_test_fail_printf ("%s does not conform to the spec:\n%s", fixture, output);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_profile_fixtures_contract (void)
{
  test_contract ("profile-ids-strings.json");
  test_contract ("profile-ids-numbers.json");
  test_contract ("profile-privacy.json");
}

static gboolean
pick (const char  *text,
      int         *type,
      char       **id,
      GError     **error)
{
  g_autoptr(JsonNode) node = parse_text (text);

  return qm_memberships_pick (node, type, id, error);
}

static GPtrArray *
list_fixture (const char  *name,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = qm_test_fixture_path (name);
  g_autoptr(GError) parse_error = NULL;

  json_parser_load_from_file (parser, path, &parse_error);
  g_assert_no_error (parse_error);
  return qm_memberships_list (json_parser_get_root (parser), error);
}

static void
assert_membership (QmMembership *membership,
                   int           type,
                   const char   *id,
                   const char   *name,
                   gboolean      is_primary)
{
  g_assert_nonnull (membership);
  g_assert_cmpint (membership->membership_type, ==, type);
  g_assert_cmpstr (membership->membership_id, ==, id);
  g_assert_cmpstr (membership->display_name, ==, name);
  g_assert_cmpint (membership->is_primary, ==, is_primary);
}

/* Three platforms, one of them hidden by cross save, the primary listed last. */
static void
test_memberships_list_cross_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = list_fixture ("profile-memberships-cross-save.json", &error);
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  int type = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  assert_membership (g_ptr_array_index (list, 0), 3, "4611686018400000030", "Guardian", TRUE);
  assert_membership (g_ptr_array_index (list, 1), 1, "4611686018400000010", "Xbox Guardian",
                     FALSE);

  /* The pick is the head of the list. */
  node = json_from_string ("{\"destinyMemberships\":["
                           "{\"membershipType\":2,\"membershipId\":\"21\",\"crossSaveOverride\":3},"
                           "{\"membershipType\":1,\"membershipId\":\"11\",\"crossSaveOverride\":0},"
                           "{\"membershipType\":3,\"membershipId\":\"31\",\"crossSaveOverride\":3}]}",
                           NULL);
  g_assert_true (qm_memberships_pick (node, &type, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, 1);
  g_assert_cmpstr (id, ==, "11");
}

static void
test_memberships_list_no_primary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = list_fixture ("profile-memberships-several.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  assert_membership (g_ptr_array_index (list, 0), 2, "4611686018400000020", "PS Guardian", FALSE);
  assert_membership (g_ptr_array_index (list, 1), 3, "4611686018400000030", "Steam Guardian",
                     FALSE);
  assert_membership (g_ptr_array_index (list, 2), 6, "4611686018400000060", "Epic Guardian",
                     FALSE);
}

static void
test_memberships_list_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) hidden = NULL;
  g_autoptr(JsonNode) array = NULL;

  /* Every membership hidden by cross save: nothing to offer. */
  hidden = json_from_string ("{\"destinyMemberships\":["
                             "{\"membershipType\":2,\"membershipId\":\"21\",\"crossSaveOverride\":3}]}",
                             NULL);
  g_assert_null (qm_memberships_list (hidden, &error));
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
  g_clear_error (&error);

  array = json_from_string ("[]", NULL);
  g_assert_null (qm_memberships_list (array, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_memberships_choose (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = list_fixture ("profile-memberships-cross-save.json", &error);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();

  g_assert_no_error (error);
  g_assert_cmpstr (qm_memberships_choose (list, "4611686018400000010")->membership_id, ==,
                   "4611686018400000010");
  g_assert_cmpstr (qm_memberships_choose (list, NULL)->membership_id, ==, "4611686018400000030");
  /* Hidden or unknown: the primary. */
  g_assert_cmpstr (qm_memberships_choose (list, "4611686018400000020")->membership_id, ==,
                   "4611686018400000030");
  g_assert_cmpstr (qm_memberships_choose (list, "1")->membership_id, ==, "4611686018400000030");
  g_assert_null (qm_memberships_choose (empty, NULL));
}

static void
test_memberships_primary (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int type = 0;

  g_assert_true (pick ("{\"destinyMemberships\":["
                       "{\"membershipType\":1,\"membershipId\":\"4611686018400000010\"},"
                       "{\"membershipType\":3,\"membershipId\":\"4611686018400000020\"}],"
                       "\"primaryMembershipId\":\"4611686018400000020\"}",
                       &type, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, 3);
  g_assert_cmpstr (id, ==, "4611686018400000020");
  g_clear_pointer (&id, g_free);

  /* The same with ids as numbers. */
  g_assert_true (pick ("{\"destinyMemberships\":["
                       "{\"membershipType\":1,\"membershipId\":4611686018400000010},"
                       "{\"membershipType\":2,\"membershipId\":4611686018400000020}],"
                       "\"primaryMembershipId\":4611686018400000020}",
                       &type, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (type, ==, 2);
  g_assert_cmpstr (id, ==, "4611686018400000020");
}

static void
test_memberships_first (void)
{
  const char *texts[] = {
    /* No primary. */
    "{\"destinyMemberships\":[{\"membershipType\":2,\"membershipId\":\"11\"},"
    "{\"membershipType\":3,\"membershipId\":\"22\"}]}",
    /* A primary that is not listed. */
    "{\"destinyMemberships\":[{\"membershipType\":2,\"membershipId\":\"11\"},"
    "{\"membershipType\":3,\"membershipId\":\"22\"}],\"primaryMembershipId\":\"33\"}",
    /* A null primary, and an entry without an id first. */
    "{\"destinyMemberships\":[{\"membershipType\":1},{\"membershipType\":2,\"membershipId\":\"11\"}],"
    "\"primaryMembershipId\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      int type = 0;

      g_assert_true (pick (texts[i], &type, &id, &error));
      g_assert_no_error (error);
      g_assert_cmpint (type, ==, 2);
      g_assert_cmpstr (id, ==, "11");
    }
}

static void
test_memberships_none (void)
{
  const char *texts[] = {
    "{\"destinyMemberships\":[]}",
    "{\"bungieNetUser\":{}}",
    "{\"destinyMemberships\":[{\"membershipType\":3}],\"primaryMembershipId\":\"5\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      int type = -5;

      g_assert_false (pick (texts[i], &type, &id, &error));
      g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "Destiny"));
      g_assert_null (id);
      g_assert_cmpint (type, ==, -5);
    }
}

static void
test_memberships_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int type = 0;

  g_assert_false (pick ("[1,2]", &type, &id, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static QmManifest *
load_manifest (void)
{
  g_autoptr(GBytes) table = qm_test_load_fixture ("manifest-items.json");
  g_autoptr(GError) error = NULL;
  QmManifest *manifest = qm_manifest_new (NULL);

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_ITEM, table, &error));
  g_assert_no_error (error);
  return manifest;
}

static void
test_manifest_load (void)
{
  g_autoptr(QmManifest) manifest = load_manifest ();
  QmItemDefinition def;

  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 11);
  g_assert_null (qm_manifest_get_version (manifest));
  def = qm_manifest_get_item (manifest, 3580904581u);
  g_assert_true (def.known);
  g_assert_cmpuint (def.hash, ==, 3580904581u);
  g_assert_cmpstr (def.name, ==, "Thorn");
  g_assert_cmpstr (def.item_type_name, ==, "Hand Cannon");
  g_assert_cmpstr (def.tier_name, ==, "Exotic");
  g_assert_cmpint (def.tier_type, ==, 6);
  g_assert_cmpuint (def.bucket_hash, ==, 1498876634u);
  g_assert_cmpint (def.class_type, ==, 3);
  g_assert_cmpint (def.item_type, ==, 3);
  g_assert_cmpstr (def.icon, ==, "/common/destiny2_content/icons/d5704485.png");

  def = qm_manifest_get_item (manifest, 2591746970u);
  g_assert_cmpint (def.class_type, ==, 2);
  g_assert_cmpint (def.item_type, ==, 2);
  def = qm_manifest_get_item (manifest, 1885944937u);
  g_assert_false (def.known);
  g_assert_cmpuint (def.hash, ==, 1885944937u);
  g_assert_nonnull (def.name);
  g_assert_false (qm_manifest_get_item (manifest, 0).known);
}

static void
test_manifest_bad_tables (void)
{
  static const struct
  {
    const char *text;
    int         code;
  } tables[] = {
    { "<!DOCTYPE html><html><body>Bungie.net is down</body></html>", QM_CLIENT_ERROR_HTML_PAGE },
    { "  \n<html></html>", QM_CLIENT_ERROR_HTML_PAGE },
    { "[1, 2]", QM_CLIENT_ERROR_MALFORMED },
    { "{\"1\": {\"displayProperties\": ", QM_CLIENT_ERROR_MALFORMED },
    { "", QM_CLIENT_ERROR_MALFORMED },
  };
  g_autoptr(QmManifest) manifest = load_manifest ();

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (tables[i].text, strlen (tables[i].text));
      g_autoptr(GError) error = NULL;

      g_assert_false (qm_manifest_load_table (manifest, QM_TABLE_ITEM, bytes, &error));
      g_assert_error (error, QM_CLIENT_ERROR, tables[i].code);
      /* A failed load keeps what was there. */
      g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 11);
    }
}

static void
test_manifest_minimal_definitions (void)
{
  const char *text = "{\"17\": {\"hash\": 17}, \"18\": {\"displayProperties\": {\"name\": \"Eighteen\"}},"
                     " \"19\": 5}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;
  QmItemDefinition def;

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_ITEM, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 2);
  /* Known, without a name: an empty one, never NULL. */
  def = qm_manifest_get_item (manifest, 17);
  g_assert_true (def.known);
  g_assert_cmpstr (def.name, ==, "");
  g_assert_null (def.tier_name);
  g_assert_null (def.icon);
  g_assert_cmpint (def.class_type, ==, 3);
  /* The hash comes from the key when the definition lacks it. */
  g_assert_cmpstr (qm_manifest_get_item (manifest, 18).name, ==, "Eighteen");
  g_assert_false (qm_manifest_get_item (manifest, 19).known);
}

static void
test_manifest_fixture_contract (void)
{
  g_autofree char *path = qm_test_fixture_path ("manifest-items.json");
  g_autofree char *output = NULL;

  if (!qm_test_contract_check (path, "DestinyInventoryItemDefinition", &output))
    g_test_fail_printf ("manifest-items.json does not conform to the spec:\n%s", output);
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_manifest_apply (void)
{
  g_autoptr(QmManifest) manifest = load_manifest ();
  g_autoptr(QmProfile) profile = parse_fixture ("profile-ids-strings.json");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  QmItem *thorn = get_item (profile, 0);
  QmItem *unknown = get_item (profile, 3);

  g_signal_connect (thorn, "notify", G_CALLBACK (on_notify_cb), names);
  qm_manifest_apply (manifest, thorn);
  qm_manifest_apply (manifest, unknown);
  g_assert_cmpstr (qm_item_get_name (thorn), ==, "Thorn");
  g_assert_cmpstr (qm_item_get_tier_name (thorn), ==, "Exotic");
  g_assert_cmpint (qm_item_get_tier_type (thorn), ==, 6);
  g_assert_cmpstr (qm_item_get_item_type_name (thorn), ==, "Hand Cannon");
  g_assert_nonnull (qm_item_get_icon (thorn));
  g_assert_cmpint (qm_item_get_class_type (thorn), ==, 3);
  g_assert_null (qm_item_get_name (unknown));
  g_assert_null (qm_item_get_tier_name (unknown));

  /* name, item-type-name, tier-name, tier-type, icon, slot-hash, item-type
   * changed; class-type did not. */
  g_assert_cmpuint (names->len, ==, 7);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "slot-hash", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "name", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (names, "class-type", g_str_equal, NULL));
  g_ptr_array_set_size (names, 0);
  qm_manifest_apply (manifest, thorn);
  g_assert_cmpuint (names->len, ==, 0);
  qm_item_set_definition (thorn, NULL);
  g_assert_null (qm_item_get_name (thorn));
  g_assert_cmpuint (names->len, ==, 7);
}

static void
test_item_properties (void)
{
  g_autoptr(QmItem) item = qm_item_new (42, "7", 1498876634u, QM_ITEM_LOCATION_VAULT, NULL,
                                        1, 1 | 4, 1800, 3);
  g_autofree char *instance_id = NULL;
  g_autofree char *name = NULL;
  guint hash = 0;
  int location = -1;
  int power = 0;
  gboolean locked = FALSE;

  g_object_get (item, "hash", &hash, "instance-id", &instance_id, "location", &location,
                "power", &power, "locked", &locked, "name", &name, NULL);
  g_assert_cmpuint (hash, ==, 42);
  g_assert_cmpstr (instance_id, ==, "7");
  g_assert_cmpint (location, ==, QM_ITEM_LOCATION_VAULT);
  g_assert_cmpint (power, ==, 1800);
  g_assert_true (locked);
  g_assert_null (name);
  g_assert_cmpstr (qm_item_location_to_string (QM_ITEM_LOCATION_EQUIPPED), ==, "equipped");
  g_assert_cmpstr (qm_item_location_to_string (QM_ITEM_LOCATION_INVENTORY), ==, "inventory");
  g_assert_cmpstr (qm_item_location_to_string (QM_ITEM_LOCATION_POSTMASTER), ==, "postmaster");
  g_assert_cmpstr (qm_item_location_to_string (QM_ITEM_LOCATION_VAULT), ==, "vault");
  g_assert_cmpstr (qm_item_location_to_string (QM_ITEM_LOCATION_ACCOUNT), ==, "account");
  g_assert_cmpstr (qm_bucket_get_display_name (1498876634u), ==, "Kinetic Weapons");
  g_assert_null (qm_bucket_get_display_name (1));
  g_assert_cmpint (qm_bucket_get_sort_key (1498876634u), <, qm_bucket_get_sort_key (953998645u));
  g_assert_cmpint (qm_bucket_get_sort_key (215593132u), <, qm_bucket_get_sort_key (1));
  g_assert_cmpint (qm_bucket_get_sort_key (1), <, qm_bucket_get_sort_key (2));
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonArray *array = qm_json_get_array (object, name);

  g_assert_nonnull (array);
  return array;
}

static void
test_inventory_json (void)
{
  g_autoptr(QmManifest) manifest = load_manifest ();
  g_autoptr(QmProfile) profile = parse_fixture ("profile-ids-strings.json");
  g_autoptr(QmInventory) inventory = qm_inventory_new (profile, manifest);
  g_autoptr(JsonNode) root = qm_inventory_to_json (inventory);
  JsonObject *doc = json_node_get_object (root);
  JsonArray *characters = member_array (doc, "characters");
  JsonObject *titan = json_array_get_object_element (characters, 1);
  JsonArray *titan_items = member_array (titan, "items");
  JsonObject *thorn = json_array_get_object_element (titan_items, 0);
  JsonObject *stack = json_array_get_object_element (titan_items, 3);
  JsonObject *glimmer;

  g_assert_cmpuint (json_object_get_size (doc), ==, 3);
  g_assert_cmpuint (json_array_get_length (characters), ==, 3);
  g_assert_cmpstr (qm_json_get_string (json_array_get_object_element (characters, 0), "class"), ==, "warlock");
  g_assert_cmpstr (qm_json_get_string (titan, "class"), ==, "titan");
  g_assert_cmpstr (qm_json_get_string (titan, "id"), ==, TITAN);
  g_assert_cmpint (qm_json_get_int (titan, "light", 0), ==, 1810);
  g_assert_cmpuint (json_array_get_length (member_array (json_array_get_object_element (characters, 0), "items")), ==, 0);
  g_assert_cmpuint (json_array_get_length (titan_items), ==, 5);
  g_assert_cmpuint (json_array_get_length (member_array (json_array_get_object_element (characters, 2), "items")), ==, 2);
  g_assert_cmpuint (json_array_get_length (member_array (doc, "vault")), ==, 2);
  g_assert_cmpuint (json_array_get_length (member_array (doc, "account")), ==, 3);

  g_assert_cmpuint (json_object_get_size (thorn), ==, 10);
  g_assert_cmpint (qm_json_get_int (thorn, "hash", 0), ==, 3580904581u);
  /* No bucket definitions loaded: the built-in name. */
  g_assert_cmpstr (qm_json_get_string (thorn, "bucket_name"), ==, "Kinetic Weapons");
  g_assert_cmpstr (qm_json_get_string (thorn, "instance_id"), ==, "6917529100000000001");
  g_assert_cmpstr (qm_json_get_string (thorn, "name"), ==, "Thorn");
  g_assert_cmpint (qm_json_get_int (thorn, "bucket", 0), ==, 1498876634);
  g_assert_cmpstr (qm_json_get_string (thorn, "location"), ==, "equipped");
  g_assert_cmpint (qm_json_get_int (thorn, "quantity", 0), ==, 1);
  g_assert_true (qm_json_get_bool (thorn, "locked", FALSE));
  g_assert_cmpint (qm_json_get_int (thorn, "power", 0), ==, 1810);
  g_assert_cmpstr (qm_json_get_string (thorn, "tier"), ==, "Exotic");

  /* The unknown stack: null name, instance, power and tier. */
  g_assert_true (json_node_is_null (json_object_get_member (stack, "instance_id")));
  g_assert_true (json_node_is_null (json_object_get_member (stack, "name")));
  g_assert_true (json_node_is_null (json_object_get_member (stack, "power")));
  g_assert_true (json_node_is_null (json_object_get_member (stack, "tier")));
  g_assert_false (qm_json_get_bool (stack, "locked", TRUE));
  g_assert_cmpint (qm_json_get_int (stack, "quantity", 0), ==, 3);
  g_assert_cmpstr (qm_json_get_string (json_array_get_object_element (titan_items, 4), "location"),
                   ==, "postmaster");

  glimmer = json_array_get_object_element (member_array (doc, "account"), 2);
  g_assert_cmpstr (qm_json_get_string (glimmer, "name"), ==, "Glimmer");
  g_assert_cmpint (qm_json_get_int (glimmer, "quantity", 0), ==, 250000);
  g_assert_cmpstr (qm_json_get_string (glimmer, "location"), ==, "account");
}

/* "bucket_name" comes from the bucket definitions; the built-in names only
 * stand in when they have none; a bucket nobody knows is null. */
static void
test_inventory_json_bucket_names (void)
{
  static const char buckets[] =
    "{\"1498876634\":{\"hash\":1498876634,\"displayProperties\":{\"name\":\"Kinetic (defined)\"}},"
    " \"953998645\":{\"hash\":953998645,\"displayProperties\":{\"name\":\"\"}}}";
  g_autoptr(QmManifest) manifest = load_manifest ();
  g_autoptr(GBytes) table = g_bytes_new_static (buckets, sizeof buckets - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmProfile) profile = parse_fixture ("profile-ids-strings.json");
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  JsonObject *doc;
  JsonArray *characters;
  gboolean seen_defined = FALSE;

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_BUCKET, table, &error));
  g_assert_no_error (error);
  inventory = qm_inventory_new (profile, manifest);
  root = qm_inventory_to_json (inventory);
  doc = json_node_get_object (root);
  characters = member_array (doc, "characters");
  for (guint i = 0; i < json_array_get_length (characters); i++)
    {
      JsonArray *list = member_array (json_array_get_object_element (characters, i), "items");

      for (guint j = 0; j < json_array_get_length (list); j++)
        g_ptr_array_add (items, json_array_get_object_element (list, j));
    }
  for (guint j = 0; j < json_array_get_length (member_array (doc, "vault")); j++)
    g_ptr_array_add (items, json_array_get_object_element (member_array (doc, "vault"), j));
  for (guint j = 0; j < json_array_get_length (member_array (doc, "account")); j++)
    g_ptr_array_add (items, json_array_get_object_element (member_array (doc, "account"), j));
  g_assert_cmpuint (items->len, >, 0);

  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (items, i);
      guint32 bucket = (guint32) qm_json_get_int (item, "bucket", 0);
      JsonNode *name = json_object_get_member (item, "bucket_name");

      g_assert_nonnull (name);
      if (bucket == 1498876634u)
        {
          g_assert_cmpstr (json_node_get_string (name), ==, "Kinetic (defined)");
          seen_defined = TRUE;
        }
      else if (qm_bucket_get_display_name (bucket) != NULL)
        /* Not defined, or defined without a name: the built-in one. */
        g_assert_cmpstr (json_node_get_string (name), ==, qm_bucket_get_display_name (bucket));
      else
        g_assert_true (json_node_is_null (name));
    }
  g_assert_true (seen_defined);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/profile/ids-strings", test_profile_ids_strings);
  g_test_add_func ("/profile/ids-numbers", test_profile_ids_numbers);
  g_test_add_func ("/profile/privacy", test_profile_privacy);
  g_test_add_func ("/profile/withheld", test_profile_withheld);
  g_test_add_func ("/profile/membership-from-characters", test_profile_membership_from_characters);
  g_test_add_func ("/profile/missing-components", test_profile_missing_components);
  g_test_add_func ("/profile/wrong-types", test_profile_wrong_types);
  g_test_add_func ("/profile/malformed", test_profile_malformed);
  g_test_add_func ("/profile/class-names", test_class_names);
  g_test_add_func ("/profile/fixtures-contract", test_profile_fixtures_contract);
  g_test_add_func ("/memberships/primary", test_memberships_primary);
  g_test_add_func ("/memberships/list/cross-save", test_memberships_list_cross_save);
  g_test_add_func ("/memberships/list/no-primary", test_memberships_list_no_primary);
  g_test_add_func ("/memberships/list/errors", test_memberships_list_errors);
  g_test_add_func ("/memberships/choose", test_memberships_choose);
  g_test_add_func ("/memberships/first", test_memberships_first);
  g_test_add_func ("/memberships/none", test_memberships_none);
  g_test_add_func ("/memberships/malformed", test_memberships_malformed);
  g_test_add_func ("/manifest/load", test_manifest_load);
  g_test_add_func ("/manifest/bad-tables", test_manifest_bad_tables);
  g_test_add_func ("/manifest/minimal-definitions", test_manifest_minimal_definitions);
  g_test_add_func ("/manifest/fixture-contract", test_manifest_fixture_contract);
  g_test_add_func ("/manifest/apply", test_manifest_apply);
  g_test_add_func ("/item/properties", test_item_properties);
  g_test_add_func ("/inventory/json", test_inventory_json);
  g_test_add_func ("/inventory/json-bucket-names", test_inventory_json_bucket_names);

  return g_test_run ();
}
