/* test-profile-bytes.c: the bytes profile reader against the tree reader, and fuzzed
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-profile.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

static const char envelope_tail[] =
  ",\"ErrorCode\":1,\"ThrottleSeconds\":0,\"ErrorStatus\":\"Success\",\"Message\":\"Ok\","
  "\"MessageData\":{}}";

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* {"Response": @response, "ErrorCode": 1, …}, as Bungie orders it. */
static GBytes *
wrap (GBytes *response)
{
  gsize size;
  const char *data = g_bytes_get_data (response, &size);
  GString *out = g_string_new ("{\"Response\":");

  g_string_append_len (out, data, (gssize) size);
  g_string_append (out, envelope_tail);
  return g_string_free_to_bytes (out);
}

static void
assert_same_items (QmItem *a,
                   QmItem *b)
{
  const QmItemStat *stats_a, *stats_b;
  const QmItemSocket *sockets_a, *sockets_b;
  guint n_a, n_b;

  g_assert_cmpuint (qm_item_get_hash (a), ==, qm_item_get_hash (b));
  g_assert_cmpstr (qm_item_get_instance_id (a), ==, qm_item_get_instance_id (b));
  g_assert_cmpuint (qm_item_get_bucket_hash (a), ==, qm_item_get_bucket_hash (b));
  g_assert_cmpint (qm_item_get_location (a), ==, qm_item_get_location (b));
  g_assert_cmpstr (qm_item_get_character_id (a), ==, qm_item_get_character_id (b));
  g_assert_cmpint (qm_item_get_quantity (a), ==, qm_item_get_quantity (b));
  g_assert_cmpint (qm_item_get_state (a), ==, qm_item_get_state (b));
  g_assert_cmpint (qm_item_get_power (a), ==, qm_item_get_power (b));
  g_assert_cmpint (qm_item_get_damage_type (a), ==, qm_item_get_damage_type (b));
  g_assert_cmpint (qm_item_get_owner_class (a), ==, qm_item_get_owner_class (b));

  stats_a = qm_item_get_stats (a, &n_a);
  stats_b = qm_item_get_stats (b, &n_b);
  g_assert_cmpmem (stats_a, n_a * sizeof *stats_a, stats_b, n_b * sizeof *stats_b);
  sockets_a = qm_item_get_sockets (a, &n_a);
  sockets_b = qm_item_get_sockets (b, &n_b);
  g_assert_cmpmem (sockets_a, n_a * sizeof *sockets_a, sockets_b, n_b * sizeof *sockets_b);
}

static void
assert_same_profile (QmProfile *a,
                     QmProfile *b)
{
  GListModel *items_a = qm_profile_get_items (a);
  GListModel *items_b = qm_profile_get_items (b);

  g_assert_cmpint (qm_profile_get_minted (a), ==, qm_profile_get_minted (b));
  g_assert_cmpstr (qm_profile_get_membership_id (a), ==, qm_profile_get_membership_id (b));
  g_assert_cmpint (qm_profile_get_membership_type (a), ==, qm_profile_get_membership_type (b));
  g_assert_cmpint (qm_profile_get_withheld (a), ==, qm_profile_get_withheld (b));
  g_assert_cmpuint (qm_profile_get_n_characters (a), ==, qm_profile_get_n_characters (b));
  for (guint i = 0; i < qm_profile_get_n_characters (a); i++)
    {
      const QmCharacter *ca = qm_profile_get_character (a, i);
      const QmCharacter *cb = qm_profile_get_character (b, i);

      g_assert_cmpstr (ca->id, ==, cb->id);
      g_assert_cmpint (ca->class_type, ==, cb->class_type);
      g_assert_cmpint (ca->light, ==, cb->light);
      g_assert_cmpstr (ca->emblem_path, ==, cb->emblem_path);
      g_assert_cmpstr (ca->date_last_played, ==, cb->date_last_played);
    }
  g_assert_cmpuint (g_list_model_get_n_items (items_a), ==, g_list_model_get_n_items (items_b));
  for (guint i = 0; i < g_list_model_get_n_items (items_a); i++)
    {
      g_autoptr(QmItem) ia = g_list_model_get_item (items_a, i);
      g_autoptr(QmItem) ib = g_list_model_get_item (items_b, i);

      assert_same_items (ia, ib);
    }
}

/* The tree reader on a Response document. */
static QmProfile *
parse_tree (GBytes *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = qm_json_parse_bytes (response, &error);
  QmProfile *profile;

  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  return profile;
}

static QmProfile *
parse_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  QmProfile *profile = qm_profile_parse_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

/* Both readers, on the Response alone and inside its envelope (then the
 * tree reader gets the Response the client's envelope parser hands on). */
static void
check_equivalent (GBytes *response)
{
  g_autoptr(QmProfile) tree = parse_tree (response);
  g_autoptr(QmProfile) bytes = parse_bytes (response);
  g_autoptr(GBytes) envelope = wrap (response);
  g_autoptr(QmProfile) enveloped = parse_bytes (envelope);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) client_node = qm_envelope_parse (envelope, 200, "application/json", NULL, &error);
  g_autoptr(QmProfile) client = NULL;

  g_assert_no_error (error);
  client = qm_profile_parse (client_node, &error);
  g_assert_no_error (error);

  assert_same_profile (tree, bytes);
  assert_same_profile (client, enveloped);
  g_assert_cmpint (qm_profile_answer_get_minted (response), ==, qm_profile_get_minted (tree));
  g_assert_cmpint (qm_profile_answer_get_minted (envelope), ==, qm_profile_get_minted (tree));
}

static void
test_fixtures (void)
{
  static const char * const fixtures[] = {
    "profile-ids-strings.json", "profile-ids-numbers.json", "profile-privacy.json",
    "rules-profile.json", "xur-profile.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = qm_test_load_fixture (fixtures[i]);

      g_test_message ("%s", fixtures[i]);
      check_equivalent (bytes);
    }
}

/* The demo account as built, or grown to 1,000 items; built once (it is
 * slow under the sanitizers). */
static QmSandboxWorld *worlds[2];

static QmSandboxWorld *
demo_world (gboolean grown)
{
  if (worlds[grown] == NULL)
    worlds[grown] = qm_sandbox_world_new_demo_sized (0, 0, grown ? 1000 : 0, TRUE);
  return worlds[grown];
}

static GBytes *
world_profile_bytes (gboolean grown)
{
  char *text = json_to_string (demo_world (grown)->profile, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

/* Every instanced item of the demo account carries the stats and sockets
 * the profile lists for it, in order, and its holder's class. */
static void
test_item_components (void)
{
  QmSandboxWorld *world = demo_world (FALSE);
  g_autoptr(GBytes) bytes = world_profile_bytes (FALSE);
  g_autoptr(QmProfile) profile = parse_bytes (bytes);
  GListModel *items = qm_profile_get_items (profile);
  JsonObject *stats_data = qm_sandbox_world_component (world, "itemComponents.stats");
  JsonObject *sockets_data = qm_sandbox_world_component (world, "itemComponents.sockets");
  guint with_stats = 0;
  guint with_sockets = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      const char *id = qm_item_get_instance_id (item);
      const char *holder = qm_item_get_character_id (item);
      JsonObject *stats = id != NULL ? qm_json_path_object (stats_data, id, "stats", NULL) : NULL;
      JsonArray *sockets = NULL;
      const QmItemStat *item_stats;
      const QmItemSocket *item_sockets;
      guint n_stats, n_sockets;

      if (id != NULL && json_object_has_member (sockets_data, id))
        sockets = qm_json_get_array (json_object_get_object_member (sockets_data, id), "sockets");
      item_stats = qm_item_get_stats (item, &n_stats);
      item_sockets = qm_item_get_sockets (item, &n_sockets);
      g_assert_cmpuint (n_stats, ==, stats != NULL ? json_object_get_size (stats) : 0);
      g_assert_cmpuint (n_sockets, ==, sockets != NULL ? json_array_get_length (sockets) : 0);
      if (stats != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (stats);
          guint s = 0;

          for (GList *l = members; l != NULL; l = l->next, s++)
            {
              JsonObject *stat = json_object_get_object_member (stats, l->data);

              g_assert_cmpuint (item_stats[s].stat_hash, ==, qm_json_get_hash (stat, "statHash"));
              g_assert_cmpint (item_stats[s].value, ==, qm_json_get_int (stat, "value", -1));
            }
          with_stats++;
        }
      for (guint s = 0; sockets != NULL && s < n_sockets; s++)
        {
          JsonObject *socket = json_array_get_object_element (sockets, s);

          g_assert_cmpuint (item_sockets[s].plug_hash, ==, qm_json_get_hash (socket, "plugHash"));
          g_assert_true (item_sockets[s].is_enabled);
          g_assert_true (item_sockets[s].is_visible);
        }
      with_sockets += sockets != NULL;

      if (holder != NULL)
        g_assert_cmpint (qm_item_get_owner_class (item), ==,
                         qm_profile_find_character (profile, holder)->class_type);
      else
        g_assert_cmpint (qm_item_get_owner_class (item), ==, 3);
    }
  /* Weapons and armor: most of the account. */
  g_assert_cmpuint (with_stats, >, 300);
  g_assert_cmpuint (with_sockets, ==, with_stats);
}

/* Stats and sockets in unusual shapes: keys without statHash, sockets that
 * are not objects (they keep their index), wrong types. */
static void
test_components_shapes (void)
{
  static const char text[] =
    "{\"profileInventory\":{\"data\":{\"items\":["
    "{\"itemHash\":1,\"bucketHash\":138197802,\"itemInstanceId\":\"11\"},"
    "{\"itemHash\":2,\"bucketHash\":138197802,\"itemInstanceId\":12},"
    "{\"itemHash\":3,\"bucketHash\":138197802,\"itemInstanceId\":\"13\"}]}},"
    "\"itemComponents\":{"
    "\"stats\":{\"data\":{\"11\":{\"stats\":{\"4043523819\":{\"value\":70},"
    "\"155624089\":{\"statHash\":155624089,\"value\":\"55\"},\"x\":5}},"
    "\"12\":{\"stats\":[]},\"13\":7}},"
    "\"sockets\":{\"data\":{\"11\":{\"sockets\":[{\"plugHash\":9,\"isEnabled\":true,"
    "\"isVisible\":1},null,{\"isEnabled\":false}]},\"12\":{\"sockets\":{}}}},"
    "\"instances\":{\"data\":{\"11\":{\"primaryStat\":{\"value\":1800.7},\"damageType\":\"3\"},"
    "\"12\":{\"primaryStat\":5}}}}}";
  g_autoptr(GBytes) bytes = bytes_from_string (text);
  g_autoptr(QmProfile) profile = parse_bytes (bytes);
  g_autoptr(QmItem) first = g_list_model_get_item (qm_profile_get_items (profile), 0);
  g_autoptr(QmItem) second = g_list_model_get_item (qm_profile_get_items (profile), 1);
  const QmItemStat *stats;
  const QmItemSocket *sockets;
  guint n;

  check_equivalent (bytes);

  stats = qm_item_get_stats (first, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (stats[0].stat_hash, ==, 4043523819u);
  g_assert_cmpint (stats[0].value, ==, 70);
  g_assert_cmpuint (stats[1].stat_hash, ==, 155624089u);
  g_assert_cmpint (stats[1].value, ==, 55);
  sockets = qm_item_get_sockets (first, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (sockets[0].plug_hash, ==, 9);
  g_assert_true (sockets[0].is_enabled);
  g_assert_false (sockets[0].is_visible);
  g_assert_cmpuint (sockets[1].plug_hash, ==, 0);
  g_assert_cmpint (qm_item_get_power (first), ==, 1800);
  g_assert_cmpint (qm_item_get_damage_type (first), ==, 3);

  qm_item_get_stats (second, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (qm_item_get_power (second), ==, -1);
}

/* The texts test-profile.c reads, and a few more odd ones. */
static void
test_odd_documents (void)
{
  static const char * const texts[] = {
    "{}",
    " \n{ }\t",
    "{\"characters\":{\"data\":{\"30\":{\"classType\":1,\"light\":10},"
    "\"100\":{\"classType\":0,\"light\":20},\"2\":{\"classType\":2,\"light\":30}}},"
    "\"characterEquipment\":{\"data\":{\"7\":{\"items\":[{\"itemHash\":5,\"bucketHash\":1498876634}]}},"
    "\"privacy\":1},\"characterInventories\":{\"privacy\":2},\"profileInventory\":{\"data\":{}}}",
    "{\"characters\":5,\"profile\":{\"data\":{\"characterIds\":[\"x\",3,null]}},"
    "\"characterEquipment\":{\"data\":[]},"
    "\"characterInventories\":{\"data\":{\"3\":{\"items\":{}}}},"
    "\"profileInventory\":{\"data\":{\"items\":[1,\"a\",null,"
    "{\"itemHash\":\"12\",\"bucketHash\":138197802,\"itemInstanceId\":\"abc\"}]}},"
    "\"itemComponents\":{\"instances\":{\"data\":{\"abc\":7}}},"
    "\"responseMintedTimestamp\":\"yesterday\"}",
    /* Numbers of every kind where integers belong. */
    "{\"profileInventory\":{\"data\":{\"items\":[{\"itemHash\":-1,\"quantity\":2.9,"
    "\"state\":1e2,\"bucketHash\":1.38197802e8,\"location\":4.0},"
    "{\"itemHash\":4294967296,\"quantity\":-5,\"itemInstanceId\":-7},"
    "{\"itemHash\":true,\"quantity\":\"12\",\"state\":\"-3\",\"itemInstanceId\":1.5}]}}}",
    /* Numbers beyond gint64 and long ones: the nearest bound, every digit. */
    "{\"profileInventory\":{\"data\":{\"items\":[{\"itemHash\":1,\"quantity\":1e30,"
    "\"state\":-1e30,\"location\":1e300},{\"itemHash\":2,"
    "\"quantity\":1.000000000000000000000000000000000000000e2,\"state\":-1e400}]}}}",
    /* Character ids as numbers, listed twice, and characters only known by their items. */
    "{\"profile\":{\"data\":{\"characterIds\":[20,\"20\",\"10\"],\"userInfo\":"
    "{\"membershipId\":46,\"membershipType\":\"3\"}}},"
    "\"characterInventories\":{\"data\":{\"5\":{\"items\":[{\"itemHash\":1,\"location\":4}]},"
    "\"-2\":{\"items\":[{\"itemHash\":2}]},\"x\":{\"items\":[{\"itemHash\":3}]}}},"
    "\"characters\":{\"data\":{\"10\":{\"classType\":7,\"light\":-4,\"emblemPath\":5},"
    "\"20\":{\"classType\":1,\"emblemPath\":\"/e\\u00e9.jpg\",\"dateLastPlayed\":null}}}}",
    /* A component twice: the last one counts. */
    "{\"profileCurrencies\":{\"data\":{\"items\":[{\"itemHash\":1}]}},"
    "\"profileCurrencies\":{\"data\":{\"items\":[{\"itemHash\":2},{\"itemHash\":3}]}}}",
    /* Something that looks like an envelope without being one. */
    "{\"Response\":{\"profileCurrencies\":{\"data\":{\"items\":[{\"itemHash\":1}]}}},"
    "\"ErrorCode\":\"1\"}",
  };

  g_autoptr(GBytes) huge = bytes_from_string ("{\"profileCurrencies\":{\"data\":{\"items\":["
                                              "{\"itemHash\":99999999999999999999,"
                                              "\"quantity\":1e400}]}}}");
  g_autoptr(QmProfile) huge_profile = NULL;
  g_autoptr(QmItem) item = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (texts[i]);
      g_autoptr(QmProfile) tree = parse_tree (bytes);
      g_autoptr(QmProfile) fast = parse_bytes (bytes);

      g_test_message ("document %u", i);
      assert_same_profile (tree, fast);
    }

  /* Numbers past int64 (json-glib wraps them around): no hash, the
   * largest quantity. */
  huge_profile = parse_bytes (huge);
  item = g_list_model_get_item (qm_profile_get_items (huge_profile), 0);
  g_assert_cmpuint (qm_item_get_hash (item), ==, 0);
  g_assert_cmpint (qm_item_get_quantity (item), ==, G_MAXINT);
}

static void
test_sandbox_demo (void)
{
  g_autoptr(GBytes) demo = world_profile_bytes (FALSE);
  g_autoptr(GBytes) grown = world_profile_bytes (TRUE);
  g_autoptr(QmProfile) profile = NULL;

  check_equivalent (demo);
  check_equivalent (grown);
  profile = parse_bytes (grown);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (profile)), ==, 1000);
}

/* An envelope's ErrorCode, wherever it comes: errors as the client words
 * them, success only on 1 with a Response object. */
static void
test_envelopes (void)
{
  static const char * const fixtures[] = {
    "envelope-throttle.json", "envelope-no-room.json", "envelope-success-null.json",
    "envelope-truncated.json",
  };
  static const char code_first[] =
    "\xef\xbb\xbf {\"ErrorCode\":1,\"Response\":{\"profile\":{\"data\":{\"userInfo\":"
    "{\"membershipId\":\"4611686018400000001\"}}}},\"Message\":\"Ok\"}";
  g_autoptr(GBytes) first = bytes_from_string (code_first);
  g_autoptr(QmProfile) profile = parse_bytes (first);

  g_assert_cmpstr (qm_profile_get_membership_id (profile), ==, "4611686018400000001");

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = qm_test_load_fixture (fixtures[i]);
      g_autoptr(GError) client_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = qm_envelope_parse (bytes, 200, "application/json", NULL,
                                                    &client_error);
      g_autoptr(QmProfile) parsed = qm_profile_parse_bytes (bytes, &error);

      g_test_message ("%s", fixtures[i]);
      g_assert_null (parsed);
      g_assert_nonnull (error);
      if (node != NULL)
        {
          /* ErrorCode 1 with a null Response: no profile there. */
          g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
          g_assert_nonnull (strstr (error->message, "profile"));
        }
      else
        {
          /* The client's words for Bungie's errors; for bad JSON, the reader's. */
          g_assert_error (error, client_error->domain, client_error->code);
          if (error->domain == QM_PLATFORM_ERROR)
            g_assert_cmpstr (error->message, ==, client_error->message);
          else
            g_assert_nonnull (strstr (error->message, "profile"));
        }
    }
}

static void
test_malformed (void)
{
  static const char * const texts[] = {
    "", "   ", "[]", "\"profile\"", "null", "42", "{", "{\"a\":}", "{\"a\":1}x",
    "{\"profileInventory\":{\"data\":{\"items\":[{\"itemHash\":\"\xff\"}]}}}",
    "{\"Response\":{\"a\":[1,2}, \"ErrorCode\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(QmProfile) profile = qm_profile_parse_bytes (bytes, &error);

      g_test_message ("“%s”", texts[i]);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      g_assert_null (profile);
      g_assert_nonnull (strstr (error->message, "profile"));
      g_assert_cmpint (qm_profile_answer_get_minted (bytes), ==, 0);
    }
}

static void
test_minted (void)
{
  g_autoptr(GBytes) late = bytes_from_string ("{\"a\":[{\"b\":\"}\"}],\"Response\":{\"x\":1,"
                                              "\"responseMintedTimestamp\":\"2026-11-21T18:05:00.25Z\"}}");
  g_autoptr(GBytes) absent = bytes_from_string ("{\"Response\":{\"x\":1}}");
  g_autoptr(GBytes) truncated = bytes_from_string ("{\"responseMintedTimestamp\":\"2026-11-21T18:05:00Z\","
                                                   "\"profile\":{\"da");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 21, 18, 5, 0);
  gint64 expected = g_date_time_to_unix (when) * G_USEC_PER_SEC;

  g_assert_cmpint (qm_profile_answer_get_minted (late), ==, expected + 250000);
  g_assert_cmpint (qm_profile_answer_get_minted (absent), ==, 0);
  /* Found first, as Bungie sends it: the rest is not read. */
  g_assert_cmpint (qm_profile_answer_get_minted (truncated), ==, expected);
}

/* Every answer gives a profile or an error, and nothing breaks. */
static void
check_never_crashes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmProfile) profile = qm_profile_parse_bytes (bytes, &error);

  g_assert_true ((profile == NULL) != (error == NULL));
  if (error != NULL)
    g_assert_true (error->domain == QM_CLIENT_ERROR || error->domain == QM_PLATFORM_ERROR);
  else
    for (guint i = 0; i < g_list_model_get_n_items (qm_profile_get_items (profile)); i++)
      {
        g_autoptr(QmItem) item = g_list_model_get_item (qm_profile_get_items (profile), i);

        g_assert_cmpint (qm_item_get_quantity (item), >=, 0);
        g_assert_cmpint (qm_item_get_power (item), >=, -1);
      }
  qm_profile_answer_get_minted (bytes);
}

/* Prefixes of an envelope short of its closing brace are malformed: every
 * one of the first kilobytes, then every seventh. */
static void
test_fuzz_prefixes (void)
{
  g_autoptr(GBytes) response = qm_test_load_fixture ("profile-ids-strings.json");
  g_autoptr(GBytes) whole = wrap (response);
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);

  for (gsize len = 0; len < size; len += len < 2048 ? 1 : 7)
    {
      g_autoptr(GBytes) prefix = g_bytes_new (data, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(QmProfile) profile = qm_profile_parse_bytes (prefix, &error);

      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      g_assert_null (profile);
    }
}

/* Seeded changes of a few bytes, on a small answer and on the demo's. */
static void
fuzz_mutations (GBytes  *whole,
                guint32  seed,
                int      rounds)
{
  static const char replacements[] = "{}[]\":,0123456789\\\xff\x00 e-.ntf";
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);

  for (int i = 0; i < rounds; i++)
    {
      g_autofree char *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) mutated = NULL;
      gsize length = size;

      for (int n = g_rand_int_range (rand, 1, 5); n > 0; n--)
        copy[g_rand_int_range (rand, 0, (int) size)] =
          replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
      /* Now and then, cut it short too. */
      if (g_rand_int_range (rand, 0, 8) == 0)
        length = (gsize) g_rand_int_range (rand, 0, (int) size);
      mutated = g_bytes_new (copy, length);
      check_never_crashes (mutated);
    }
}

static void
test_fuzz_mutations (void)
{
  g_autoptr(GBytes) response = qm_test_load_fixture ("profile-ids-strings.json");
  g_autoptr(GBytes) small = wrap (response);
  g_autoptr(GBytes) demo_response = world_profile_bytes (FALSE);
  g_autoptr(GBytes) demo = wrap (demo_response);

  fuzz_mutations (small, 20261121, 1500);
  fuzz_mutations (demo, 553, 20);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  qm_test_init (&argc, &argv);

  g_test_add_func ("/profile-bytes/fixtures", test_fixtures);
  g_test_add_func ("/profile-bytes/item-components", test_item_components);
  g_test_add_func ("/profile-bytes/components-shapes", test_components_shapes);
  g_test_add_func ("/profile-bytes/odd-documents", test_odd_documents);
  g_test_add_func ("/profile-bytes/sandbox-demo", test_sandbox_demo);
  g_test_add_func ("/profile-bytes/envelopes", test_envelopes);
  g_test_add_func ("/profile-bytes/malformed", test_malformed);
  g_test_add_func ("/profile-bytes/minted", test_minted);
  g_test_add_func ("/profile-bytes/fuzz/prefixes", test_fuzz_prefixes);
  g_test_add_func ("/profile-bytes/fuzz/mutations", test_fuzz_mutations);

  status = g_test_run ();
  g_clear_pointer (&worlds[0], qm_sandbox_world_free);
  g_clear_pointer (&worlds[1], qm_sandbox_world_free);
  return status;
}
