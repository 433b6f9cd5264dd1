/* test-xur-digest.c: the HTML digest of Xûr's week
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "qm-json.h"
#include "qm-test-utils.h"
#include "qm-xur-digest.h"


/* Xûr's recorded week with the definitions of @items and, for his
 * location, of @destinations (nullable). */
static QmXur *
load_xur (const char *items,
          const char *destinations)
{
  g_autoptr(JsonNode) xur = qm_test_load_json_fixture ("xur-vendor.json");
  g_autoptr(JsonNode) strange = qm_test_load_json_fixture ("xur-strange-gear.json");
  g_autoptr(JsonNode) profile_json = qm_test_load_json_fixture ("xur-profile.json");
  g_autoptr(GBytes) table = qm_test_load_fixture (items);
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmProfile) profile = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 28, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  QmXur *result;

  qm_manifest_load_table (manifest, QM_TABLE_ITEM, table, &error);
  g_assert_no_error (error);
  if (destinations != NULL)
    {
      g_autoptr(GBytes) vendors = qm_test_load_fixture ("xur-vendors.json");
      g_autoptr(GBytes) places = qm_test_load_fixture (destinations);

      g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_VENDOR, vendors, &error));
      g_assert_true (qm_manifest_load_table (manifest, QM_TABLE_DESTINATION, places, &error));
    }
  profile = qm_profile_parse (profile_json, &error);
  g_assert_no_error (error);
  result = qm_xur_parse (xur, strange, profile, manifest, now, &error);
  g_assert_no_error (error);
  return result;
}

static QmXur *
absent_xur (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 12, 2, 9, 0, 0);

  return qm_xur_parse (NULL, NULL, NULL, NULL, now, NULL);
}

/* The escaped form the page uses: GLib's, with &#39; for HTML 4 parsers. */
static char *
escape (const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  g_auto(GStrv) parts = g_strsplit (markup, "&apos;", -1);

  return g_strjoinv ("&#39;", parts);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (haystack, -1);

  return strstr (lower, needle) != NULL;
}

/* xmllint --html --noout accepts @html with nothing to say. */
static void
assert_valid_html (const char *html)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (xmllint == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("xmllint is missing (install libxml2-utils)");
      g_test_skip ("xmllint is not installed (libxml2-utils)");
      return;
    }
  dir = g_dir_make_tmp ("xur-digest-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "digest.html", NULL);
  g_file_set_contents (path, html, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { xmllint, "--html", "--noout", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_remove (path);
  g_rmdir (dir);
  /* xmllint exits 0 even on parser errors: stderr tells. */
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
assert_page_frame (const char *html)
{
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  g_assert_true (g_str_has_suffix (html, "</html>\n"));
  g_assert_true (g_utf8_validate (html, -1, NULL));
  g_assert_false (contains_ci (html, "<script"));
  g_assert_false (contains_ci (html, "<link"));
  g_assert_cmpuint (count_occurrences (html, "<style>"), ==, 1);
}

/* A 1×1 PNG. */
#define TINY_PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="

/* Every icon of @xur's sales as a tiny PNG. */
static GHashTable *
icons_for (QmXur *xur)
{
  GHashTable *icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_auto(GStrv) paths = qm_xur_digest_dup_icon_paths (xur);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      gsize size = 0;
      guchar *data = g_base64_decode (TINY_PNG_BASE64, &size);

      g_hash_table_insert (icons, g_strdup (paths[i]), g_bytes_new_take (data, size));
    }
  return icons;
}

static void
test_present (void)
{
  g_autoptr(QmXur) xur = load_xur ("xur-items.json", "xur-destinations.json");
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *html = NULL;
  GListModel *sales = qm_xur_get_sales (xur);
  g_autoptr(GHashTable) icons = NULL;
  guint n_icons = 0;

  g_assert_nonnull (berlin);
  icons = icons_for (xur);
  html = qm_xur_digest_html (xur, berlin, icons);
  assert_page_frame (html);
  g_assert_nonnull (strstr (html, "<title>Xûr’s stock for the week of Friday, November 27, 2026</title>"));
  /* Departure at the Tuesday reset, 17:00 UTC, shown in Berlin (CET). */
  g_assert_nonnull (strstr (html, "Tuesday, December 1, 18:00 CET"));
  g_assert_nonnull (strstr (html, "Friday, November 27, 18:00 CET"));
  g_assert_nonnull (strstr (html, "Strange Gear Offers"));
  /* His location, from the vendor and destination definitions. */
  g_assert_nonnull (qm_xur_get_location (xur));
  {
    g_autofree char *where = g_strdup_printf ("Where: %s", qm_xur_get_location (xur));
    g_autofree char *escaped = escape (where);

    g_assert_nonnull (strstr (html, escaped));
  }

  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      g_autofree char *name = escape (qm_vendor_sale_get_name (sale));
      g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);
      g_autofree char *escaped_costs = escape (costs);

      g_assert_nonnull (strstr (html, name));
      g_assert_nonnull (strstr (html, escaped_costs));
      g_assert_nonnull (qm_vendor_sale_get_icon (sale));
      /* In the page, not a link to the origin. */
      g_assert_null (strstr (html, qm_vendor_sale_get_icon (sale)));
      n_icons++;
    }
  g_assert_cmpuint (n_icons, >, 10);
  g_assert_cmpuint (count_occurrences (html, "<img "), ==, n_icons);
  g_assert_cmpuint (count_occurrences (html, "<img src=\"data:image/png;base64," TINY_PNG_BASE64 "\""), ==, n_icons);
  g_assert_false (contains_ci (html, "http:"));
  g_assert_false (contains_ci (html, "https:"));
  g_assert_cmpuint (count_occurrences (html, "<tr>"), ==, n_icons + 2);  /* plus two header rows */
  g_assert_nonnull (strstr (html, "120 Strange Coin"));
  /* One sale is owned, Gjallarhorn is beyond the player's means. */
  g_assert_cmpuint (count_occurrences (html, "class=\"mark owned\""), >=, 1);
  g_assert_cmpuint (count_occurrences (html, "class=\"mark unaffordable\""), >=, 1);
  assert_valid_html (html);
}

/* The zone changes the words, not the instants: UTC by default. */
static void
test_time_zone (void)
{
  g_autoptr(QmXur) xur = load_xur ("xur-items.json", NULL);
  g_autoptr(GTimeZone) sydney = g_time_zone_new_identifier ("Australia/Sydney");
  g_autofree char *in_utc = qm_xur_digest_html (xur, NULL, NULL);
  g_autofree char *in_sydney = NULL;

  g_assert_nonnull (sydney);
  in_sydney = qm_xur_digest_html (xur, sydney, NULL);
  g_assert_nonnull (strstr (in_utc, "Tuesday, December 1, 17:00 UTC"));
  /* Friday 17:00 UTC is Saturday 04:00 in Sydney's summer. */
  g_assert_nonnull (strstr (in_sydney, "Saturday, November 28, 04:00 AEDT"));
  g_assert_nonnull (strstr (in_sydney, "week of Saturday, November 28, 2026"));
}

static void
test_escaping (void)
{
  g_autoptr(QmXur) xur = load_xur ("xur-items-hostile.json", "xur-destinations-hostile.json");
  g_autoptr(GHashTable) icons = icons_for (xur);
  g_autofree char *html = qm_xur_digest_html (xur, NULL, icons);
  g_autoptr(QmVendorSale) first = g_list_model_get_item (qm_xur_get_sales (xur), 0);

  g_assert_cmpstr (qm_vendor_sale_get_name (first), ==, "<script>&\"");
  g_assert_cmpstr (qm_xur_get_location (xur), ==, "<i>Tower</i> & \"Hangar\"");
  assert_page_frame (html);
  g_assert_nonnull (strstr (html, "Where: &lt;i&gt;Tower&lt;/i&gt; &amp; &quot;Hangar&quot;"));
  g_assert_null (strstr (html, "<i>"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;&amp;&quot;"));
  g_assert_nonnull (strstr (html, "&lt;b&gt;Machine Gun&lt;/b&gt;"));
  g_assert_nonnull (strstr (html, "Exotic&#39;&lt;"));
  g_assert_null (strstr (html, "&apos;"));
  g_assert_nonnull (strstr (html, "23 Strange &lt;Coin&gt;"));
  g_assert_null (strstr (html, "<b>"));
  /* Icon paths never reach the page; only the pictures do. */
  g_assert_null (strstr (html, "onerror"));
  g_assert_false (contains_ci (html, "javascript:"));
  assert_valid_html (html);
}

static void
test_absent (void)
{
  g_autoptr(QmXur) xur = absent_xur ();
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autofree char *html = NULL;

  g_assert_nonnull (new_york);
  html = qm_xur_digest_html (xur, new_york, NULL);
  assert_page_frame (html);
  g_assert_nonnull (strstr (html, "<title>Xûr is away</title>"));
  /* Friday 2026-12-04 17:00 UTC is noon in New York (EST). */
  g_assert_nonnull (strstr (html, "He returns Friday, December 4, 12:00 EST."));
  g_assert_null (strstr (html, "<table"));
  g_assert_null (strstr (html, "<img"));
  assert_valid_html (html);
}

/* No definitions: every sale is still there, by hash. */
static void
test_unknown (void)
{
  g_autoptr(JsonNode) vendor = qm_test_load_json_fixture ("xur-vendor.json");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 28, 12, 0, 0);
  g_autoptr(QmXur) xur = qm_xur_parse (vendor, NULL, NULL, NULL, now, NULL);
  g_autofree char *html = qm_xur_digest_html (xur, NULL, NULL);
  GListModel *sales = qm_xur_get_sales (xur);

  g_assert_cmpuint (g_list_model_get_n_items (sales), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      g_autofree char *name = g_strdup_printf ("Unknown item %u", qm_vendor_sale_get_hash (sale));

      g_assert_nonnull (strstr (html, name));
    }
  g_assert_null (strstr (html, "<img"));
  g_assert_null (qm_xur_get_location (xur));
  g_assert_null (strstr (html, "Where:"));
  assert_valid_html (html);
}

/* Only small pictures go in: not an HTML error page, not a large file;
 * without its picture a row has an empty icon cell, nothing fetched. */
static void
test_icons_kept_small (void)
{
  g_autoptr(QmXur) xur = load_xur ("xur-items.json", NULL);
  g_autoptr(GHashTable) icons = icons_for (xur);
  g_auto(GStrv) paths = qm_xur_digest_dup_icon_paths (xur);
  g_autofree char *html = NULL;
  g_autofree guchar *large = g_malloc0 (QM_XUR_DIGEST_MAX_ICON_BYTES + 1);
  guint n_paths = g_strv_length (paths);
  static const char page[] = "<html><body>502 Bad Gateway</body></html>";

  g_assert_cmpuint (n_paths, >=, 3);
  memcpy (large, "\xff\xd8\xff\xe0", 4);
  g_hash_table_insert (icons, g_strdup (paths[0]), g_bytes_new_static (page, sizeof page - 1));
  g_hash_table_insert (icons, g_strdup (paths[1]),
                       g_bytes_new (large, QM_XUR_DIGEST_MAX_ICON_BYTES + 1));
  g_hash_table_remove (icons, paths[2]);
  html = qm_xur_digest_html (xur, NULL, icons);
  g_assert_cmpuint (count_occurrences (html, "<img "), ==, n_paths - 3);
  g_assert_cmpuint (count_occurrences (html, "<img src=\"data:image/png;base64,"), ==, n_paths - 3);
  g_assert_null (strstr (html, "Bad Gateway"));
  g_assert_cmpuint (strlen (html), <, 64 * 1024);
  assert_valid_html (html);
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);
  /* The English strings and month names the assertions read. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  g_test_add_func ("/xur-digest/present", test_present);
  g_test_add_func ("/xur-digest/time-zone", test_time_zone);
  g_test_add_func ("/xur-digest/escaping", test_escaping);
  g_test_add_func ("/xur-digest/absent", test_absent);
  g_test_add_func ("/xur-digest/unknown", test_unknown);
  g_test_add_func ("/xur-digest/icons-kept-small", test_icons_kept_small);

  return g_test_run ();
}
