/* test-manifest-cache.c: the definitions cache's builder and reader, pure
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-error.h"
#include "qm-manifest.h"
#include "qm-manifest-cache.h"
#include "qm-test-utils.h"

#define THORN      3580904581u
#define EYE        2591746970u
#define GLIMMER    3159615086u
#define XUR        2190858386u
#define STRANGE    3751514131u
#define TOWER      333898048u

static void
add_fixture (QmManifestCacheBuilder *builder,
             QmTable                 table,
             const char             *name)
{
  g_autoptr(GBytes) bytes = qm_test_load_fixture (name);
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_true (qm_manifest_cache_builder_add_table (builder, table, data, size, &error));
  g_assert_no_error (error);
}

static void
add_text (QmManifestCacheBuilder *builder,
          QmTable                 table,
          const char             *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_manifest_cache_builder_add_table (builder, table, text, strlen (text), &error));
  g_assert_no_error (error);
}

/* A cache of the fixtures' items, vendors and destinations, and a few
 * small tables written here. */
static GBytes *
build_fixture_cache (void)
{
  g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new ("en", "1.2.3", "abc");

  add_fixture (builder, QM_TABLE_ITEM, "manifest-items.json");
  add_fixture (builder, QM_TABLE_VENDOR, "xur-vendors.json");
  add_fixture (builder, QM_TABLE_DESTINATION, "xur-destinations.json");
  add_text (builder, QM_TABLE_CLASS,
            "{\"3655393761\": {\"classType\": 0, \"displayProperties\": {\"name\": \"Titan\"},"
            " \"hash\": 3655393761, \"index\": 0, \"redacted\": false},"
            " \"671679327\": {\"classType\": 1, \"displayProperties\": {\"name\": \"Hunter\"},"
            " \"hash\": 671679327}}");
  add_text (builder, QM_TABLE_DAMAGE_TYPE,
            "{\"2303181850\": {\"enumValue\": 2, \"displayProperties\": {\"name\": \"Arc\","
            " \"description\": \"\", \"icon\": \"/i/arc.png\"}, \"hash\": 2303181850}}");
  add_text (builder, QM_TABLE_BUCKET,
            "{\"138197802\": {\"itemCount\": 700, \"displayProperties\": {\"name\": \"General\"},"
            " \"hash\": 138197802}}");
  return qm_manifest_cache_builder_end (builder);
}

static QmManifestCache *
open_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  QmManifestCache *cache = qm_manifest_cache_new (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

static void
test_round_trip (void)
{
  g_autoptr(GBytes) bytes = build_fixture_cache ();
  g_autoptr(QmManifestCache) cache = open_bytes (bytes);
  QmItemDefinition item;
  QmDefinition def;

  g_assert_cmpstr (qm_manifest_cache_get_language (cache), ==, "en");
  g_assert_cmpstr (qm_manifest_cache_get_version (cache), ==, "1.2.3");
  g_assert_cmpstr (qm_manifest_cache_get_key (cache), ==, "abc");
  g_assert_cmpuint (qm_manifest_cache_get_size (cache), ==, g_bytes_get_size (bytes));
  g_assert_cmpuint (qm_manifest_cache_get_n_definitions (cache, QM_TABLE_ITEM), ==, 11);
  g_assert_cmpuint (qm_manifest_cache_get_n_definitions (cache, QM_TABLE_STAT), ==, 0);
  g_assert_false (qm_manifest_cache_has_table (cache, QM_TABLE_STAT));
  g_assert_true (qm_manifest_cache_has_table (cache, QM_TABLE_VENDOR));

  g_assert_true (qm_manifest_cache_lookup_item (cache, THORN, &item));
  g_assert_true (item.known);
  g_assert_cmpuint (item.hash, ==, THORN);
  g_assert_cmpstr (item.name, ==, "Thorn");
  g_assert_cmpstr (item.item_type_name, ==, "Hand Cannon");
  g_assert_cmpstr (item.tier_name, ==, "Exotic");
  g_assert_cmpint (item.tier_type, ==, 6);
  g_assert_cmpuint (item.bucket_hash, ==, 1498876634u);
  g_assert_cmpint (item.class_type, ==, 3);
  g_assert_cmpint (item.item_type, ==, 3);
  g_assert_cmpstr (item.icon, ==, "/common/destiny2_content/icons/d5704485.png");

  g_assert_true (qm_manifest_cache_lookup_item (cache, EYE, &item));
  g_assert_cmpint (item.class_type, ==, 2);
  g_assert_cmpint (item.item_type, ==, 2);
  g_assert_true (qm_manifest_cache_lookup_item (cache, GLIMMER, &item));
  g_assert_cmpstr (item.tier_name, ==, "Currency");
  g_assert_false (qm_manifest_cache_lookup_item (cache, 1885944937u, &item));
  g_assert_false (qm_manifest_cache_lookup_item (cache, 0, &item));

  /* The item table through the generic lookup: its display properties. */
  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_ITEM, THORN, &def));
  g_assert_cmpstr (def.name, ==, "Thorn");

  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_DESTINATION, TOWER, &def));
  g_assert_cmpstr (def.name, ==, "The Tower");
  g_assert_cmpint (def.table, ==, QM_TABLE_DESTINATION);
  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_CLASS, 671679327u, &def));
  g_assert_cmpstr (def.name, ==, "Hunter");
  g_assert_cmpint (def.value, ==, 1);
  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_DAMAGE_TYPE, 2303181850u, &def));
  g_assert_cmpint (def.value, ==, 2);
  g_assert_cmpstr (def.icon, ==, "/i/arc.png");
  /* An empty description is absent. */
  g_assert_null (def.description);
  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_BUCKET, 138197802u, &def));
  g_assert_cmpint (def.value, ==, 700);
  g_assert_false (qm_manifest_cache_lookup (cache, QM_TABLE_STAT, 1935470627u, &def));

  /* Every location keeps its index, an out-of-range hash included. */
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, XUR, 0), ==, TOWER);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, XUR, 2), ==, 3607432451u);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, XUR, 3), ==, G_MAXUINT32);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, XUR, 4), ==, 0);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, XUR, -1), ==, 0);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, STRANGE, 0), ==, 0);
  g_assert_cmpuint (qm_manifest_cache_get_vendor_location (cache, 1, 0), ==, 0);
}

/* What Bungie's tables may hold besides definitions: nulls, other types,
 * hashes as keys only, numbers as strings, repeated hashes. */
static void
test_odd_definitions (void)
{
  const char *text =
    "{\"17\": {\"hash\": 17},"
    " \"18\": {\"displayProperties\": {\"name\": \"Eighteen\", \"icon\": null}},"
    " \"19\": 5, \"20\": null, \"x\": {\"displayProperties\": {\"name\": \"No hash\"}},"
    " \"21\": {\"hash\": \"21\", \"displayProperties\": {\"name\": 21, \"description\": [1]},"
    "          \"inventory\": {\"tierTypeName\": \"T\\u00e9st\", \"tierType\": 99999999999,"
    "                          \"bucketTypeHash\": -5}, \"classType\": \"2\", \"equippable\": 1},"
    " \"22\": {\"hash\": 22, \"displayProperties\": {\"name\": \"First\"}},"
    " \"23\": {\"hash\": 22, \"displayProperties\": {\"name\": \"Second\"}},"
    " \"24\": {\"equippable\": true, \"nonTransferrable\": true, \"maxStackSize\": 5,"
    "          \"inventory\": {\"maxStackSize\": 9999}, \"defaultDamageType\": 3,"
    "          \"itemSubType\": 9, \"flavorText\": \"Say \\\"hi\\\"\", \"iconWatermark\": \"/w.png\"}}";
  g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new (NULL, NULL, NULL);
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GBytes) bytes = NULL;
  QmItemDefinition item;

  add_text (builder, QM_TABLE_ITEM, text);
  bytes = qm_manifest_cache_builder_end (builder);
  cache = open_bytes (bytes);
  g_assert_cmpstr (qm_manifest_cache_get_language (cache), ==, "");
  g_assert_cmpuint (qm_manifest_cache_get_n_definitions (cache, QM_TABLE_ITEM), ==, 5);

  /* Known, without a name: an empty one, never NULL. */
  g_assert_true (qm_manifest_cache_lookup_item (cache, 17, &item));
  g_assert_cmpstr (item.name, ==, "");
  g_assert_null (item.icon);
  g_assert_null (item.tier_name);
  g_assert_cmpint (item.class_type, ==, 3);
  g_assert_cmpint (item.max_stack_size, ==, 1);
  /* The hash comes from the key when the definition lacks it. */
  g_assert_true (qm_manifest_cache_lookup_item (cache, 18, &item));
  g_assert_cmpstr (item.name, ==, "Eighteen");
  g_assert_null (item.icon);
  g_assert_false (qm_manifest_cache_lookup_item (cache, 19, &item));
  g_assert_false (qm_manifest_cache_lookup_item (cache, 20, &item));
  /* Fields of the wrong type take their defaults; escapes are decoded. */
  g_assert_true (qm_manifest_cache_lookup_item (cache, 21, &item));
  g_assert_cmpstr (item.name, ==, "");
  g_assert_null (item.description);
  g_assert_cmpstr (item.tier_name, ==, "Tést");
  g_assert_cmpint (item.tier_type, ==, G_MAXINT32);
  g_assert_cmpuint (item.bucket_hash, ==, 0);
  g_assert_cmpint (item.class_type, ==, 3);
  g_assert_false (item.equippable);
  /* One definition per hash. */
  g_assert_true (qm_manifest_cache_lookup_item (cache, 22, &item));
  g_assert_true (g_str_equal (item.name, "First") || g_str_equal (item.name, "Second"));
  g_assert_false (qm_manifest_cache_lookup_item (cache, 23, &item));
  g_assert_true (qm_manifest_cache_lookup_item (cache, 24, &item));
  g_assert_true (item.equippable);
  g_assert_true (item.non_transferrable);
  g_assert_cmpint (item.max_stack_size, ==, 9999);
  g_assert_cmpint (item.default_damage_type, ==, 3);
  g_assert_cmpint (item.item_sub_type, ==, 9);
  g_assert_cmpstr (item.flavor_text, ==, "Say \"hi\"");
  g_assert_cmpstr (item.watermark, ==, "/w.png");
}

static void
test_bad_tables (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *message;   /* part of it */
  } tables[] = {
    { "<!DOCTYPE html><html><body>Bungie.net is down</body></html>", QM_CLIENT_ERROR_HTML_PAGE, "HTML" },
    { "\xEF\xBB\xBF  \n<html></html>", QM_CLIENT_ERROR_HTML_PAGE, "HTML" },
    { "[1, 2]", QM_CLIENT_ERROR_MALFORMED, "keyed by hash" },
    { "\"text\"", QM_CLIENT_ERROR_MALFORMED, "keyed by hash" },
    { "{\"1\": {\"displayProperties\": ", QM_CLIENT_ERROR_MALFORMED, "not valid JSON" },
    { "{\"1\": {\"hash\": 1}} trailing", QM_CLIENT_ERROR_MALFORMED, "not valid JSON" },
    { "{\"1\": {\"displayProperties\": {\"name\": \"\xff\"}}}", QM_CLIENT_ERROR_MALFORMED, "UTF-8" },
    { "{\"1\": {\"classType\": 1.5}}", QM_CLIENT_ERROR_MALFORMED, "not valid JSON" },
    { "", QM_CLIENT_ERROR_MALFORMED, "keyed by hash" },
  };
  g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new ("en", NULL, NULL);
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GBytes) bytes = NULL;
  QmItemDefinition item;

  add_fixture (builder, QM_TABLE_ITEM, "manifest-items.json");
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (qm_manifest_cache_builder_add_table (builder, QM_TABLE_ITEM, tables[i].text,
                                                           strlen (tables[i].text), &error));
      g_assert_error (error, QM_CLIENT_ERROR, tables[i].code);
      g_assert_nonnull (strstr (error->message, tables[i].message));
      g_assert_nonnull (strstr (error->message, "DestinyInventoryItemDefinition"));
      /* A failed table leaves the one before. */
      g_assert_cmpuint (qm_manifest_cache_builder_get_n_definitions (builder, QM_TABLE_ITEM), ==, 11);
    }
  bytes = qm_manifest_cache_builder_end (builder);
  cache = open_bytes (bytes);
  g_assert_true (qm_manifest_cache_lookup_item (cache, THORN, &item));
  g_assert_cmpstr (item.name, ==, "Thorn");
}

static void
test_refused_files (void)
{
  g_autoptr(GBytes) good = build_fixture_cache ();
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (good, &size);
  struct
  {
    gsize       offset;  /* the byte changed (G_MAXSIZE: none) */
    gsize       length;  /* the bytes kept */
    gboolean    reseal;
    const char *message;
  } cases[] = {
    { G_MAXSIZE, 0, FALSE, "only 0 bytes" },
    { G_MAXSIZE, 40, FALSE, "only 40 bytes" },
    { 0, size, FALSE, "not a definitions cache" },
    { 8, size, FALSE, "format" },
    { 12, size, FALSE, "byte order" },
    { G_MAXSIZE, size - 1, FALSE, "were written" },
    { size / 2, size, FALSE, "checksum" },
    { size - 1, size, FALSE, "checksum" },
    /* Past the checksum: the structure is checked too. */
    { 32, size, TRUE, "tables" },
    { size - 1, size, TRUE, "not terminated" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(QmManifestCache) cache = NULL;

      if (cases[i].offset != G_MAXSIZE)
        copy[cases[i].offset] ^= cases[i].offset == 32 ? 0x40 : 0x5a;
      if (cases[i].reseal)
        qm_manifest_cache_seal (copy, cases[i].length);
      bytes = g_bytes_new (copy, cases[i].length);
      cache = qm_manifest_cache_new (bytes, &error);
      g_assert_null (cache);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
    }
}

/* Records out of order, or a table that claims more than the file holds,
 * are refused even with a valid checksum. */
static void
test_refused_structure (void)
{
  g_autoptr(GBytes) good = build_fixture_cache ();
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (good, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint32 entry[4];
  guint32 first_hash;

  /* The first table entry (the item table): swap its first two records' hashes. */
  memcpy (entry, copy + 64, sizeof entry);
  g_assert_cmpuint (entry[0], ==, QM_TABLE_ITEM);
  memcpy (&first_hash, copy + entry[2], sizeof first_hash);
  memcpy (copy + entry[2], copy + entry[2] + entry[1], sizeof first_hash);
  memcpy (copy + entry[2] + entry[1], &first_hash, sizeof first_hash);
  qm_manifest_cache_seal (copy, size);
  bytes = g_bytes_new (copy, size);
  g_assert_null (qm_manifest_cache_new (bytes, &error));
  g_assert_nonnull (strstr (error->message, "not sorted"));
  g_clear_error (&error);
  g_clear_pointer (&bytes, g_bytes_unref);

  memcpy (copy, data, size);
  entry[3] = 1000000;
  memcpy (copy + 64, entry, sizeof entry);
  qm_manifest_cache_seal (copy, size);
  bytes = g_bytes_new (copy, size);
  g_assert_null (qm_manifest_cache_new (bytes, &error));
  g_assert_nonnull (strstr (error->message, "outside the file"));
}

/* Bytes at any alignment are read (copied when needed). */
static void
test_unaligned (void)
{
  g_autoptr(GBytes) good = build_fixture_cache ();
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (good, &size);
  g_autofree guint8 *buffer = g_malloc (size + 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(QmManifestCache) cache = NULL;
  QmItemDefinition item;

  memcpy (buffer + 1, data, size);
  bytes = g_bytes_new_static (buffer + 1, size);
  cache = open_bytes (bytes);
  g_assert_true (qm_manifest_cache_lookup_item (cache, THORN, &item));
  g_assert_cmpstr (item.name, ==, "Thorn");
}

static void
test_open_file (void)
{
  g_autoptr(GBytes) bytes = build_fixture_cache ();
  /* The test's own directory (isolated, empty). */
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "test.cache", NULL);
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  QmDefinition def;

  g_assert_null (qm_manifest_cache_open (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      &error));
  cache = qm_manifest_cache_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (qm_manifest_cache_lookup (cache, QM_TABLE_DESTINATION, 1199524104u, &def));
  g_assert_cmpstr (def.name, ==, "European Dead Zone");
}

/* Any edit to a file, resealed so that it passes the checksum, is refused
 * or read without reading out of bounds (ASan watches). */
static void
test_fuzz_cache (void)
{
  g_autoptr(GBytes) good = build_fixture_cache ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (good, &size);
  guint refused = 0;

  for (int i = 0; i < 2000; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(QmManifestCache) cache = NULL;
      /* Most edits where the structure is: the header and the directory. */
      gsize span = i % 2 == 0 ? MIN (size, 64 + 16 * QM_N_TABLES) : size;

      for (int n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        copy[g_rand_int_range (rand, 0, (int) span)] = (guint8) g_rand_int_range (rand, 0, 256);
      if (i % 5 != 0)
        qm_manifest_cache_seal (copy, size);
      bytes = g_bytes_new (copy, size);
      cache = qm_manifest_cache_new (bytes, NULL);
      if (cache == NULL)
        {
          refused++;
          continue;
        }
      for (guint t = 0; t < QM_N_TABLES; t++)
        {
          static const guint32 hashes[] = { THORN, EYE, GLIMMER, XUR, TOWER, 0, 1, G_MAXUINT32 };

          for (guint h = 0; h < G_N_ELEMENTS (hashes); h++)
            {
              QmDefinition def;
              QmItemDefinition item;

              /* Reading the strings whole: ASan stops any read past the file. */
              if (qm_manifest_cache_lookup (cache, t, hashes[h], &def))
                g_assert_cmpuint (strlen (def.name), <, size);
              if (t == QM_TABLE_ITEM && qm_manifest_cache_lookup_item (cache, hashes[h], &item))
                g_assert_cmpuint (strlen (item.name) + (item.icon != NULL ? strlen (item.icon) : 0), <, size);
            }
        }
      for (int index = -1; index < 6; index++)
        qm_manifest_cache_get_vendor_location (cache, XUR, index);
      g_assert_nonnull (qm_manifest_cache_get_language (cache));
      g_assert_nonnull (qm_manifest_cache_get_version (cache));
    }
  g_test_message ("%u of 2000 edited files refused", refused);
  g_assert_cmpuint (refused, >, 0);
}

/* Seeded changes to a table's JSON: a clear error or a table, never a
 * crash. */
static void
test_fuzz_tables (void)
{
  static const char replacements[] = "{}[]\":,0\\<\xff\x00 e-tn";
  g_autoptr(GBytes) whole = qm_test_load_fixture ("manifest-items.json");
  g_autoptr(GBytes) vendors = qm_test_load_fixture ("xur-vendors.json");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);

  for (int i = 0; i < 1000; i++)
    {
      QmTable table = i % 3 == 0 ? QM_TABLE_VENDOR : QM_TABLE_ITEM;
      GBytes *source = table == QM_TABLE_VENDOR ? vendors : whole;
      gsize size = 0;
      const char *data = g_bytes_get_data (source, &size);
      g_autofree char *copy = g_memdup2 (data, size);
      g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new ("en", "v", "k");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(QmManifestCache) cache = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = size;

      for (int n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        copy[g_rand_int_range (rand, 0, (int) size)] =
          replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
      if (i % 7 == 0)
        length = g_rand_int_range (rand, 0, (int) size);
      if (!qm_manifest_cache_builder_add_table (builder, table, copy, length, &error))
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == QM_CLIENT_ERROR);
          g_assert_cmpuint (qm_manifest_cache_builder_get_n_definitions (builder, table), ==, 0);
          continue;
        }
      g_assert_no_error (error);
      bytes = qm_manifest_cache_builder_end (builder);
      cache = qm_manifest_cache_new (bytes, &error);
      g_assert_no_error (error);
      for (int index = 0; index < 5; index++)
        qm_manifest_cache_get_vendor_location (cache, XUR, index);
    }
}

/* Every prefix of a table: refused with a message, never read past. */
static void
test_fuzz_prefixes (void)
{
  g_autoptr(GBytes) whole = qm_test_load_fixture ("xur-vendors.json");
  gsize size = 0;
  const char *data = g_bytes_get_data (whole, &size);

  for (gsize length = 0; length < size; length += 1 + length / 64)
    {
      g_autoptr(QmManifestCacheBuilder) builder = qm_manifest_cache_builder_new (NULL, NULL, NULL);
      g_autofree char *copy = g_memdup2 (data, length);
      g_autoptr(GError) error = NULL;

      g_assert_false (qm_manifest_cache_builder_add_table (builder, QM_TABLE_VENDOR, copy, length,
                                                           &error));
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
    }
}

/* The checksum sees every byte, at every alignment and length. */
static void
test_checksum (void)
{
  guint8 data[200];
  guint64 base;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7);
  base = qm_manifest_cache_checksum (data, sizeof data);
  g_assert_cmpuint (base, ==, qm_manifest_cache_checksum (data, sizeof data));
  for (guint i = 0; i < sizeof data; i++)
    {
      data[i] ^= 1;
      g_assert_cmpuint (qm_manifest_cache_checksum (data, sizeof data), !=, base);
      data[i] ^= 1;
    }
  for (guint length = 0; length < sizeof data; length++)
    g_assert_cmpuint (qm_manifest_cache_checksum (data, length), !=,
                      qm_manifest_cache_checksum (data, length + 1));
}

/* qm_manifest_load_table(): one table replaced, the others kept, and the
 * strings handed out before stay valid. */
static void
test_load_table (void)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GBytes) items = qm_test_load_fixture ("manifest-items.json");
  g_autoptr(GBytes) vendors = qm_test_load_fixture ("xur-vendors.json");
  g_autoptr(GBytes) places = qm_test_load_fixture ("xur-destinations.json");
  static const char renamed_text[] = "{\"3580904581\": {\"displayProperties\": {\"name\": \"Dorn\"}}}";
  g_autoptr(GBytes) renamed = g_bytes_new_static (renamed_text, strlen (renamed_text));
  g_autoptr(GError) error = NULL;
  QmItemDefinition before;
  QmItemDefinition after;
  QmDefinition place;

  g_assert_false (qm_manifest_is_loaded (manifest));
  before = qm_manifest_get_item (manifest, THORN);
  g_assert_false (before.known);
  g_assert_cmpstr (before.name, ==, "Unknown item");
  g_assert_cmpint (before.class_type, ==, 3);
  place = qm_manifest_get_definition (manifest, QM_TABLE_DESTINATION, TOWER);
  g_assert_false (place.known);
  g_assert_nonnull (place.name);
  g_assert_cmpuint (qm_manifest_lookup_vendor_location (manifest, XUR, 0), ==, 0);

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_ITEM, items, &error));
  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_VENDOR, vendors, &error));
  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_DESTINATION, places, &error));
  g_assert_no_error (error);
  g_assert_true (qm_manifest_is_loaded (manifest));
  g_assert_cmpint (qm_manifest_get_state (manifest), ==, QM_MANIFEST_STATE_READY);
  before = qm_manifest_get_item (manifest, THORN);
  g_assert_cmpstr (before.name, ==, "Thorn");
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 11);
  place = qm_manifest_get_definition (manifest, QM_TABLE_DESTINATION,
                                      qm_manifest_lookup_vendor_location (manifest, XUR, 0));
  g_assert_cmpstr (place.name, ==, "The Tower");

  g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_ITEM, renamed, &error));
  after = qm_manifest_get_item (manifest, THORN);
  g_assert_cmpstr (after.name, ==, "Dorn");
  g_assert_cmpstr (before.name, ==, "Thorn");
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), ==, 1);
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_VENDOR), ==, 2);
  g_assert_cmpstr (qm_table_get_name (QM_TABLE_LOADOUT_ICON), ==, "DestinyLoadoutIconDefinition");
}

static void
test_pick_language (void)
{
  static const char * const offered[] = {
    "de", "en", "es", "es-mx", "fr", "it", "ja", "ko", "pl", "pt-br", "ru", "zh-chs", "zh-cht", NULL
  };
  static const char * const english_only[] = { "en", NULL };
  static const struct
  {
    const char *names[4];
    const char *expected;
  } cases[] = {
    { { "de_DE.UTF-8", "de_DE", "de", NULL }, "de" },
    { { "pt_BR.UTF-8", "pt_BR", "pt", NULL }, "pt-br" },
    { { "es_MX", "es", NULL }, "es-mx" },
    { { "es_ES.UTF-8", "es", NULL }, "es" },
    { { "zh_TW.UTF-8", "zh_TW", "zh", NULL }, "zh-cht" },
    { { "zh_CN", "zh", NULL }, "zh-chs" },
    { { "fr_CA@euro", "fr", NULL }, "fr" },
    { { "nl_NL", "nl", "C", NULL }, "en" },
    { { "C", NULL }, "en" },
    { { NULL }, "en" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (qm_manifest_pick_language (cases[i].names, offered), ==, cases[i].expected);
  g_assert_cmpstr (qm_manifest_pick_language (cases[0].names, english_only), ==, "en");
  g_assert_cmpstr (qm_manifest_pick_language (NULL, offered), ==, "en");
  g_assert_cmpstr (qm_manifest_get_language_name ("de"), ==, "Deutsch");
  g_assert_cmpstr (qm_manifest_get_language_name ("xx"), ==, "xx");
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/manifest-cache/round-trip", test_round_trip);
  g_test_add_func ("/manifest-cache/odd-definitions", test_odd_definitions);
  g_test_add_func ("/manifest-cache/bad-tables", test_bad_tables);
  g_test_add_func ("/manifest-cache/refused-files", test_refused_files);
  g_test_add_func ("/manifest-cache/refused-structure", test_refused_structure);
  g_test_add_func ("/manifest-cache/unaligned", test_unaligned);
  g_test_add_func ("/manifest-cache/open-file", test_open_file);
  g_test_add_func ("/manifest-cache/checksum", test_checksum);
  g_test_add_func ("/manifest-cache/fuzz/cache", test_fuzz_cache);
  g_test_add_func ("/manifest-cache/fuzz/tables", test_fuzz_tables);
  g_test_add_func ("/manifest-cache/fuzz/prefixes", test_fuzz_prefixes);
  g_test_add_func ("/manifest-cache/load-table", test_load_table);
  g_test_add_func ("/manifest-cache/pick-language", test_pick_language);

  return g_test_run ();
}
