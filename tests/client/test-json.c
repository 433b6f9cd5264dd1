/* test-json.c: checked access to JSON from the network
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-error.h"
#include "qm-json.h"
#include "qm-test-utils.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_parse_errors (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) bad = g_bytes_new_static ("{\"a\":", 5);
  g_autoptr(GError) error = NULL;

  g_assert_null (qm_json_parse_bytes (empty, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_null (qm_json_parse_bytes (bad, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_ids (void)
{
  g_autoptr(JsonNode) root = parse ("{\"s\":\"4611686018467284386\",\"n\":2305843009301648414,"
                                    "\"neg\":\"-12\",\"huge\":\"18446744073709551615\","
                                    "\"zero\":\"0\",\"word\":\"abc\",\"mixed\":\"12a\","
                                    "\"empty\":\"\",\"minus\":\"-\",\"float\":1.5,"
                                    "\"bool\":true,\"obj\":{}}");
  JsonObject *o = json_node_get_object (root);
  g_autofree char *s = qm_json_dup_id (o, "s");
  g_autofree char *n = qm_json_dup_id (o, "n");
  g_autofree char *neg = qm_json_dup_id (o, "neg");
  g_autofree char *huge = qm_json_dup_id (o, "huge");
  g_autofree char *zero = qm_json_dup_id (o, "zero");
  gint64 value = 0;

  g_assert_cmpstr (s, ==, "4611686018467284386");
  g_assert_cmpstr (n, ==, "2305843009301648414");
  g_assert_cmpstr (neg, ==, "-12");
  /* A uint64-sized id keeps its digits even though it does not fit gint64. */
  g_assert_cmpstr (huge, ==, "18446744073709551615");
  g_assert_cmpstr (zero, ==, "0");

  g_assert_null (qm_json_dup_id (o, "word"));
  g_assert_null (qm_json_dup_id (o, "mixed"));
  g_assert_null (qm_json_dup_id (o, "empty"));
  g_assert_null (qm_json_dup_id (o, "minus"));
  g_assert_null (qm_json_dup_id (o, "float"));
  g_assert_null (qm_json_dup_id (o, "bool"));
  g_assert_null (qm_json_dup_id (o, "obj"));
  g_assert_null (qm_json_dup_id (o, "absent"));
  g_assert_null (qm_json_dup_id (NULL, "s"));

  g_assert_true (qm_json_node_get_id (json_object_get_member (o, "s"), &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (4611686018467284386));
  g_assert_true (qm_json_node_get_id (json_object_get_member (o, "n"), &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (2305843009301648414));
  g_assert_false (qm_json_node_get_id (json_object_get_member (o, "huge"), &value));
  g_assert_false (qm_json_node_get_id (json_object_get_member (o, "word"), &value));
  g_assert_false (qm_json_node_get_id (NULL, &value));

  g_assert_cmpint (qm_json_get_int (o, "s", -1), ==, G_GINT64_CONSTANT (4611686018467284386));
  g_assert_cmpint (qm_json_get_int (o, "word", -1), ==, -1);
}

static void
test_id_strings (void)
{
  g_assert_true (qm_json_is_id_string ("0"));
  g_assert_true (qm_json_is_id_string ("-5"));
  g_assert_true (qm_json_is_id_string ("9223372036854775807"));
  g_assert_false (qm_json_is_id_string ("9223372036854775808"));
  g_assert_false (qm_json_is_id_string (""));
  g_assert_false (qm_json_is_id_string ("-"));
  g_assert_false (qm_json_is_id_string (" 1"));
  g_assert_false (qm_json_is_id_string ("1 "));
  g_assert_false (qm_json_is_id_string ("0x10"));
  g_assert_false (qm_json_is_id_string (NULL));
}

static void
test_array_ids (void)
{
  g_autoptr(JsonNode) root = parse ("[\"2305843009301648414\", 2305843009301648415, null, \"x\"]");
  JsonArray *array = json_node_get_array (root);
  g_autofree char *first = qm_json_node_dup_id (json_array_get_element (array, 0));
  g_autofree char *second = qm_json_node_dup_id (json_array_get_element (array, 1));

  g_assert_cmpstr (first, ==, "2305843009301648414");
  g_assert_cmpstr (second, ==, "2305843009301648415");
  g_assert_null (qm_json_node_dup_id (json_array_get_element (array, 2)));
  g_assert_null (qm_json_node_dup_id (json_array_get_element (array, 3)));
}

static void
test_hashes (void)
{
  g_autoptr(JsonNode) root = parse ("{\"plain\":3075836810,\"negative\":-1219130486,"
                                    "\"string\":\"1498876634\",\"min\":-2147483648,"
                                    "\"too_negative\":-2147483649,\"too_big\":4294967296,"
                                    "\"max\":4294967295,\"text\":\"abc\",\"float\":2.5,"
                                    "\"null\":null}");
  JsonObject *o = json_node_get_object (root);

  g_assert_cmpuint (qm_json_get_hash (o, "plain"), ==, 3075836810u);
  /* A signed 32-bit form folds back to the same uint32. */
  g_assert_cmpuint (qm_json_get_hash (o, "negative"), ==, 3075836810u);
  g_assert_cmpuint (qm_json_get_hash (o, "string"), ==, 1498876634u);
  g_assert_cmpuint (qm_json_get_hash (o, "min"), ==, 2147483648u);
  g_assert_cmpuint (qm_json_get_hash (o, "max"), ==, G_MAXUINT32);
  g_assert_cmpuint (qm_json_get_hash (o, "too_negative"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (o, "too_big"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (o, "text"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (o, "null"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (o, "absent"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (NULL, "plain"), ==, 0);
}

/* Numbers beyond gint64 give the nearest bound, with no out-of-range cast
 * (UBSan's float-cast-overflow stops the test if one happens). */
static void
test_huge_numbers (void)
{
  g_autoptr(JsonNode) root = parse ("{\"up\":1e300,\"down\":-1e300,\"quantity\":1e30,"
                                    "\"edge\":9223372036854775808.0,\"frac\":-2.9,"
                                    "\"long\":1.000000000000000000000000000000000000000e2}");
  JsonObject *object = json_node_get_object (root);

  g_assert_cmpint (qm_json_get_int (object, "up", 0), ==, G_MAXINT64);
  g_assert_cmpint (qm_json_get_int (object, "down", 0), ==, G_MININT64);
  g_assert_cmpint (qm_json_get_int (object, "quantity", 0), ==, G_MAXINT64);
  g_assert_cmpint (qm_json_get_int (object, "edge", 0), ==, G_MAXINT64);
  g_assert_cmpint (qm_json_get_int (object, "frac", 0), ==, -2);
  g_assert_cmpint (qm_json_get_int (object, "long", 0), ==, 100);
  /* Out of a hash's range: no hash. */
  g_assert_cmpuint (qm_json_get_hash (object, "up"), ==, 0);
  g_assert_cmpuint (qm_json_get_hash (object, "down"), ==, 0);
}

static void
test_wrong_types (void)
{
  g_autoptr(JsonNode) root = parse ("{\"s\":\"text\",\"i\":42,\"d\":2.5,\"b\":true,"
                                    "\"o\":{\"x\":1},\"a\":[1,2],\"n\":null}");
  JsonObject *o = json_node_get_object (root);

  g_assert_cmpstr (qm_json_get_string (o, "s"), ==, "text");
  g_assert_null (qm_json_get_string (o, "i"));
  g_assert_null (qm_json_get_string (o, "o"));
  g_assert_null (qm_json_get_string (o, "n"));
  g_assert_null (qm_json_get_string (o, "absent"));

  g_assert_cmpint (qm_json_get_int (o, "i", -1), ==, 42);
  g_assert_cmpint (qm_json_get_int (o, "d", -1), ==, 2);
  g_assert_cmpint (qm_json_get_int (o, "s", -1), ==, -1);
  g_assert_cmpint (qm_json_get_int (o, "b", -1), ==, -1);
  g_assert_cmpint (qm_json_get_int (o, "o", -1), ==, -1);
  g_assert_cmpint (qm_json_get_int (o, "n", -7), ==, -7);

  g_assert_true (qm_json_get_bool (o, "b", FALSE));
  g_assert_true (qm_json_get_bool (o, "i", TRUE));
  g_assert_false (qm_json_get_bool (o, "s", FALSE));

  g_assert_cmpfloat (qm_json_get_double (o, "d", 0), ==, 2.5);
  g_assert_cmpfloat (qm_json_get_double (o, "i", 0), ==, 42.0);
  g_assert_cmpfloat (qm_json_get_double (o, "s", -1.0), ==, -1.0);

  g_assert_nonnull (qm_json_get_object (o, "o"));
  g_assert_null (qm_json_get_object (o, "a"));
  g_assert_null (qm_json_get_object (o, "n"));
  g_assert_nonnull (qm_json_get_array (o, "a"));
  g_assert_null (qm_json_get_array (o, "o"));
  g_assert_null (qm_json_get_array (NULL, "a"));
}

static void
test_path (void)
{
  g_autoptr(JsonNode) root = parse ("{\"a\":{\"b\":{\"c\":{\"leaf\":7}},\"s\":\"x\"}}");
  JsonObject *o = json_node_get_object (root);
  JsonObject *c;

  c = qm_json_path_object (o, "a", "b", "c", NULL);
  g_assert_nonnull (c);
  g_assert_cmpint (qm_json_get_int (c, "leaf", 0), ==, 7);
  g_assert_true (qm_json_path_object (o, NULL) == o);
  g_assert_null (qm_json_path_object (o, "a", "missing", "c", NULL));
  g_assert_null (qm_json_path_object (o, "a", "s", NULL));
  g_assert_null (qm_json_path_object (NULL, "a", NULL));
}

static void
test_round_trip (void)
{
  g_autoptr(JsonNode) root = parse ("{\"itemId\":\"6917529602346342813\",\"hash\":1363886209}");
  g_autoptr(GBytes) bytes = qm_json_to_bytes (root);
  g_autofree char *text = qm_json_to_string (root, FALSE);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, strlen (text));
  again = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  id = qm_json_dup_id (json_node_get_object (again), "itemId");
  g_assert_cmpstr (id, ==, "6917529602346342813");
  g_assert_cmpuint (qm_json_get_hash (json_node_get_object (again), "hash"), ==, 1363886209u);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/json/parse-errors", test_parse_errors);
  g_test_add_func ("/json/ids", test_ids);
  g_test_add_func ("/json/id-strings", test_id_strings);
  g_test_add_func ("/json/array-ids", test_array_ids);
  g_test_add_func ("/json/hashes", test_hashes);
  g_test_add_func ("/json/huge-numbers", test_huge_numbers);
  g_test_add_func ("/json/wrong-types", test_wrong_types);
  g_test_add_func ("/json/path", test_path);
  g_test_add_func ("/json/round-trip", test_round_trip);

  return g_test_run ();
}
