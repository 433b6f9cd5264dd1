/* test-json-scan.c: the pull scanner, against json-glib and on broken bytes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "qm-error.h"
#include "qm-json-scan.h"
#include "qm-test-utils.h"

static void
append_escaped (GString    *out,
                const char *str,
                gsize       length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) str[i];

      if (c == '"' || c == '\\' || c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* A canonical text of the next value, read entirely through the scanner. */
static gboolean
walk (QmJsonScan *scan,
      GString    *out)
{
  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_OBJECT:
      {
        gboolean first = TRUE;

        qm_json_scan_enter_object (scan);
        g_string_append_c (out, '{');
        while (qm_json_scan_next_member (scan))
          {
            gsize key_len = 0;
            const char *key = qm_json_scan_key (scan, &key_len);

            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_escaped (out, key, key_len);
            g_string_append_c (out, ':');
            if (!walk (scan, out))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return !qm_json_scan_failed (scan);
      }
    case QM_JSON_ARRAY:
      {
        gboolean first = TRUE;

        qm_json_scan_enter_array (scan);
        g_string_append_c (out, '[');
        while (qm_json_scan_next_element (scan))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            if (!walk (scan, out))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return !qm_json_scan_failed (scan);
      }
    case QM_JSON_STRING:
      {
        const char *str = NULL;
        gsize length = 0;

        if (!qm_json_scan_string (scan, &str, &length))
          return FALSE;
        append_escaped (out, str, length);
        return TRUE;
      }
    case QM_JSON_NUMBER:
      {
        double value = 0;

        if (!qm_json_scan_double (scan, &value))
          return FALSE;
        g_string_append_printf (out, "%.17g", value);
        return TRUE;
      }
    case QM_JSON_BOOLEAN:
      {
        gboolean value = FALSE;

        if (!qm_json_scan_boolean (scan, &value))
          return FALSE;
        g_string_append (out, value ? "true" : "false");
        return TRUE;
      }
    case QM_JSON_NULL:
      g_string_append (out, "null");
      return qm_json_scan_skip (scan);
    case QM_JSON_INVALID:
    default:
      qm_json_scan_skip (scan);
      return FALSE;
    }
}

/* The same canonical text from a json-glib tree. */
static void
canonical (JsonNode *node,
           GString  *out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_escaped (out, name, strlen (name));
            g_string_append_c (out, ':');
            canonical (member, out);
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            canonical (json_array_get_element (array, i), out);
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          {
            const char *str = json_node_get_string (node);

            append_escaped (out, str, strlen (str));
            break;
          }
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          g_string_append_printf (out, "%.17g", json_node_get_double (node));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Scan @data whole: its canonical text, or NULL and @error. */
static char *
scan_all (const char *data,
          gsize       size,
          GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  QmJsonScan scan;
  gboolean ok;

  qm_json_scan_init (&scan, data, size);
  ok = walk (&scan, out);
  ok = qm_json_scan_finish (&scan, error) && ok;
  qm_json_scan_clear (&scan);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED, "walk failed");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_same_as_json_glib (const char *data,
                          gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *ours = NULL;

  g_assert_true (json_parser_load_from_data (parser, data, (gssize) size, &error));
  canonical (json_parser_get_root (parser), expected);
  ours = scan_all (data, size, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ours, ==, expected->str);
}

static const char *fixtures[] = {
  "envelope-success.json",
  "envelope-ids.json",
  "manifest-items.json",
  "profile-ids-strings.json",
  "profile-ids-numbers.json",
  "xur-items.json",
  "xur-vendor.json",
  "rules-profile.json",
};

static void
test_fixtures_match_json_glib (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GBytes) bytes = qm_test_load_fixture (fixtures[i]);
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);

      assert_same_as_json_glib (data, size);
    }
}

static void
test_values (void)
{
  static const char doc[] =
    " { \"id\": \"4611686018467284386\", \"hash\": 3159615086, \"neg\": -12,"
    " \"big\": 9223372036854775807, \"f\": 1.5e2, \"whole\": 2.0, \"s\": \"a\\u00e9\\ud83d\\ude00\\n\","
    " \"t\": true, \"n\": null, \"skip\": {\"a\": [1, {\"b\": \"}\\\"]\"}, []], \"c\": {}} } ";
  g_autoptr(GError) error = NULL;
  QmJsonScan scan;
  gint64 id = 0;
  guint32 hash = 0;
  gint64 neg = 0;
  gint64 big = 0;
  double f = 0;
  gint64 whole = 0;
  g_autofree char *s = NULL;
  gboolean t = FALSE;
  guint n_members = 0;

  qm_json_scan_init (&scan, doc, strlen (doc));
  g_assert_true (qm_json_scan_enter_object (&scan));
  while (qm_json_scan_next_member (&scan))
    {
      n_members++;
      if (qm_json_scan_key_is (&scan, "id"))
        g_assert_true (qm_json_scan_int64 (&scan, &id));
      else if (qm_json_scan_key_is (&scan, "hash"))
        g_assert_true (qm_json_scan_uint32 (&scan, &hash));
      else if (qm_json_scan_key_is (&scan, "neg"))
        g_assert_true (qm_json_scan_int64 (&scan, &neg));
      else if (qm_json_scan_key_is (&scan, "big"))
        g_assert_true (qm_json_scan_int64 (&scan, &big));
      else if (qm_json_scan_key_is (&scan, "f"))
        g_assert_true (qm_json_scan_double (&scan, &f));
      else if (qm_json_scan_key_is (&scan, "whole"))
        g_assert_true (qm_json_scan_int64 (&scan, &whole));
      else if (qm_json_scan_key_is (&scan, "s"))
        s = qm_json_scan_dup_string (&scan);
      else if (qm_json_scan_key_is (&scan, "t"))
        g_assert_true (qm_json_scan_boolean (&scan, &t));
      else if (qm_json_scan_key_is (&scan, "n"))
        {
          const char *str = (const char *) 1;

          /* null reads as no string, without an error */
          g_assert_false (qm_json_scan_string (&scan, &str, NULL));
          g_assert_null (str);
          g_assert_false (qm_json_scan_failed (&scan));
        }
      else
        g_assert_true (qm_json_scan_skip (&scan));
    }
  g_assert_true (qm_json_scan_finish (&scan, &error));
  g_assert_no_error (error);
  qm_json_scan_clear (&scan);

  g_assert_cmpuint (n_members, ==, 10);
  g_assert_cmpint (id, ==, G_GINT64_CONSTANT (4611686018467284386));
  g_assert_cmpuint (hash, ==, 3159615086u);
  g_assert_cmpint (neg, ==, -12);
  g_assert_cmpint (big, ==, G_MAXINT64);
  g_assert_cmpfloat (f, ==, 150.0);
  g_assert_cmpint (whole, ==, 2);
  g_assert_cmpstr (s, ==, "a\xc3\xa9\xf0\x9f\x98\x80\n");
  g_assert_true (t);
}

/* Numbers beyond gint64 are refused, with no out-of-range cast (UBSan's
 * float-cast-overflow stops the test if one happens). */
static void
test_huge_numbers (void)
{
  static const char * const refused[] = {
    "1e30", "-1e30", "1e300", "-1e300", "9.3e18", "9223372036854775808.0",
    "1e400", "2.5", "-0.25e1",
  };
  static const struct { const char *text; gint64 value; } accepted[] = {
    { "-9223372036854775808.0", G_MININT64 },
    { "9.2e18", G_GINT64_CONSTANT (9200000000000000000) },
    { "1e2", 100 },
    { "-0.0", 0 },
    { "4.0", 4 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      QmJsonScan scan;
      gint64 value = 7;
      guint32 hash = 7;

      g_test_message ("%s", refused[i]);
      qm_json_scan_init (&scan, refused[i], strlen (refused[i]));
      g_assert_false (qm_json_scan_int64 (&scan, &value));
      g_assert_cmpint (value, ==, 0);
      g_assert_false (qm_json_scan_finish (&scan, &error));
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      qm_json_scan_clear (&scan);

      qm_json_scan_init (&scan, refused[i], strlen (refused[i]));
      g_assert_false (qm_json_scan_uint32 (&scan, &hash));
      g_assert_cmpuint (hash, ==, 0);
      qm_json_scan_clear (&scan);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      QmJsonScan scan;
      gint64 value = 7;

      g_test_message ("%s", accepted[i].text);
      qm_json_scan_init (&scan, accepted[i].text, strlen (accepted[i].text));
      g_assert_true (qm_json_scan_int64 (&scan, &value));
      g_assert_true (qm_json_scan_finish (&scan, NULL));
      g_assert_cmpint (value, ==, accepted[i].value);
      qm_json_scan_clear (&scan);
    }

  g_assert_cmpint (qm_json_double_to_int64 (1e300), ==, G_MAXINT64);
  g_assert_cmpint (qm_json_double_to_int64 (-1e300), ==, G_MININT64);
  g_assert_cmpint (qm_json_double_to_int64 (0x1p63), ==, G_MAXINT64);
  g_assert_cmpint (qm_json_double_to_int64 (-0x1p63), ==, G_MININT64);
  g_assert_cmpint (qm_json_double_to_int64 (-2.9), ==, -2);
  g_assert_cmpint (qm_json_double_to_int64 (NAN), ==, 0);
}

/* Every digit of a long number counts, not the first 38. */
static void
test_long_numbers (void)
{
  static const char hundred[] = "1.000000000000000000000000000000000000000e2";
  g_autoptr(GString) long_double = g_string_new ("0.");
  QmJsonScan scan;
  gint64 value = 0;
  double d = 0;

  qm_json_scan_init (&scan, hundred, strlen (hundred));
  g_assert_true (qm_json_scan_int64 (&scan, &value));
  g_assert_true (qm_json_scan_finish (&scan, NULL));
  g_assert_cmpint (value, ==, 100);
  qm_json_scan_clear (&scan);

  qm_json_scan_init (&scan, hundred, strlen (hundred));
  g_assert_true (qm_json_scan_double (&scan, &d));
  g_assert_true (qm_json_scan_finish (&scan, NULL));
  g_assert_cmpfloat (d, ==, 100.0);
  qm_json_scan_clear (&scan);

  /* 0.000…0005e300 with 200 zeros: 5e99. */
  g_string_append_printf (long_double, "%0200d5e300", 0);
  qm_json_scan_init (&scan, long_double->str, long_double->len);
  g_assert_true (qm_json_scan_double (&scan, &d));
  g_assert_true (qm_json_scan_finish (&scan, NULL));
  g_assert_cmpfloat_with_epsilon (d, 5e99, 1e85);
  qm_json_scan_clear (&scan);

  g_assert_cmpfloat (qm_json_number_value (hundred, strlen (hundred)), ==, 100.0);
}

static void
test_wrong_type_is_an_error (void)
{
  static const char doc[] = "{\"hash\": \"abc\", \"more\": 1}";
  g_autoptr(GError) error = NULL;
  QmJsonScan scan;
  guint32 hash = 7;

  qm_json_scan_init (&scan, doc, strlen (doc));
  g_assert_true (qm_json_scan_enter_object (&scan));
  g_assert_true (qm_json_scan_next_member (&scan));
  g_assert_false (qm_json_scan_uint32 (&scan, &hash));
  g_assert_cmpuint (hash, ==, 0);
  /* The error is sticky. */
  g_assert_false (qm_json_scan_next_member (&scan));
  g_assert_false (qm_json_scan_finish (&scan, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "byte 9"));
  qm_json_scan_clear (&scan);
}

static void
test_invalid_documents (void)
{
  static const char *invalid[] = {
    "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{a:1}", "[1 2]",
    "\"abc", "\"a\\qb\"", "\"\\ud800\"", "\"\\u12\"", "tru", "nul", "01", "-", "1.", "1e",
    "{\"a\":1}}", "[[[]]", "{\"a\":[}", "\"a\x01b\"", "\"\xff\xfe\"", "[1]x", "+1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = scan_all (invalid[i], strlen (invalid[i]), &error);

      if (ours != NULL)
        g_error ("accepted %s as %s", invalid[i], ours);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
    }
}

/* skip checks the syntax of what it skips. */
static void
test_skip_invalid (void)
{
  static const char *invalid[] = {
    "{\"a\":[1,2}", "{\"a\" 1}", "[1,,2]", "{\"a\":tru}", "[\"abc]", "{\"a\":1,}", "[-]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      QmJsonScan scan;

      qm_json_scan_init (&scan, invalid[i], strlen (invalid[i]));
      if (qm_json_scan_skip (&scan) && qm_json_scan_finish (&scan, NULL))
        g_error ("skipped %s", invalid[i]);
      qm_json_scan_clear (&scan);
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  QmJsonScan scan;

  for (int i = 0; i < 10000; i++)
    g_string_append_c (doc, '[');
  qm_json_scan_init (&scan, doc->str, doc->len);
  g_assert_false (qm_json_scan_skip (&scan));
  g_assert_true (qm_json_scan_failed (&scan));
  qm_json_scan_clear (&scan);
}

/* Random edits of real documents: whatever the scanner accepts, json-glib
 * reads the same way; nothing crashes (ASan watches). */
static void
test_fuzz_mutations (void)
{
  GRand *rand = g_rand_new_with_seed (20261125);

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GBytes) bytes = qm_test_load_fixture (fixtures[i % G_N_ELEMENTS (fixtures)]);
      gsize size = 0;
      const char *data = g_bytes_get_data (bytes, &size);
      g_autofree char *copy = g_memdup2 (data, size);
      g_autofree char *ours = NULL;
      guint edits = 1 + g_rand_int_range (rand, 0, 4);

      for (guint e = 0; e < edits && size > 0; e++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) size);
          static const char bytes_pool[] = "{}[],:\"\\0123456789-.eEtfn \x80\xff";

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              copy[at] = bytes_pool[g_rand_int_range (rand, 0, sizeof bytes_pool - 1)];
              break;
            case 1:
              size = at;
              break;
            default:
              copy[at] = (char) g_rand_int_range (rand, 0, 256);
            }
        }
      ours = scan_all (copy, size, NULL);
      if (ours != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();
          g_autoptr(GString) expected = g_string_new (NULL);

          if (json_parser_load_from_data (parser, copy, (gssize) size, NULL))
            {
              canonical (json_parser_get_root (parser), expected);
              g_assert_cmpstr (ours, ==, expected->str);
            }
        }
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/json-scan/fixtures", test_fixtures_match_json_glib);
  g_test_add_func ("/json-scan/values", test_values);
  g_test_add_func ("/json-scan/huge-numbers", test_huge_numbers);
  g_test_add_func ("/json-scan/long-numbers", test_long_numbers);
  g_test_add_func ("/json-scan/wrong-type", test_wrong_type_is_an_error);
  g_test_add_func ("/json-scan/invalid", test_invalid_documents);
  g_test_add_func ("/json-scan/skip-invalid", test_skip_invalid);
  g_test_add_func ("/json-scan/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-scan/fuzz/mutations", test_fuzz_mutations);

  return g_test_run ();
}
