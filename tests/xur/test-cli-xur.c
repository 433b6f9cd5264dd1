/* test-cli-xur.c: `quartermaster-cli xur` end to end, on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "qm-destiny.h"
#include "qm-json.h"
#include "qm-profile.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"
#include "qm-xur.h"

/* The components the data directory's vendors.json is recorded with. */
#define VENDORS_COMPONENTS "400,401,402,300,304,305"

typedef struct
{
  char *dir;
  char *record;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cli-xur-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->record = g_build_filename (fixture->dir, "record.jsonl", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  qm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->record);
}

/* The CLI under our environment, in Berlin's time zone. */
static char **
cli_environ (void)
{
  char **envp = qm_test_child_environ ();

  envp = g_environ_setenv (envp, "TZ", "Europe/Berlin", TRUE);
  return g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
}

#define run_cli(run, ...)                                          \
  G_STMT_START {                                                   \
    g_auto(GStrv) run_envp = cli_environ ();                       \
                                                                   \
    qm_test_run_cli (run, run_envp, NULL, __VA_ARGS__);            \
  } G_STMT_END

static void
assert_members (JsonObject         *object,
                const char * const *names)
{
  g_assert_cmpuint (json_object_get_size (object), ==, g_strv_length ((char **) names));
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, names[i]));
}

static GDateTime *
parse_utc (JsonObject *doc,
           const char *member)
{
  const char *text = qm_json_get_string (doc, member);
  GDateTime *date;

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "Z"));
  date = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (date);
  return date;
}

/* The sandbox's own count of Xûr's sales this week (both vendors). */
static guint
count_demo_sales (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  guint32 vendors[] = { QM_XUR_VENDOR_HASH, QM_XUR_STRANGE_GEAR_VENDOR_HASH };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", vendors[i]);
      JsonNode *response = g_hash_table_lookup (world->vendors, key);

      g_assert_nonnull (response);
      n += json_object_get_size (qm_json_path_object (json_node_get_object (response),
                                                      "sales", "data", NULL));
    }
  qm_sandbox_stop (sandbox);
  return n;
}

/* Where the sandbox puts Xûr this week: his definition's location at the
 * vendor component's vendorLocationIndex, named by its destination. */
static char *
dup_demo_location (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  g_autofree char *key = g_strdup_printf ("%u", QM_XUR_VENDOR_HASH);
  JsonObject *vendor = qm_json_path_object (json_node_get_object (g_hash_table_lookup (world->vendors, key)),
                                            "vendor", "data", NULL);
  JsonArray *locations = qm_json_get_array (qm_sandbox_world_definition (world, "DestinyVendorDefinition",
                                                                         QM_XUR_VENDOR_HASH),
                                            "locations");
  int index = (int) qm_json_get_int (vendor, "vendorLocationIndex", -1);
  JsonObject *destination;
  char *name;

  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (index, <, (int) json_array_get_length (locations));
  destination = qm_sandbox_world_definition (world, "DestinyDestinationDefinition",
                                             qm_json_get_hash (json_array_get_object_element (locations, index),
                                                               "destinationHash"));
  name = g_strdup (qm_json_get_string (qm_json_get_object (destination, "displayProperties"), "name"));
  qm_sandbox_stop (sandbox);
  g_assert_nonnull (name);
  return name;
}

/* The --json document's shape, exactly; returns the sales. */
static JsonArray *
assert_xur_document (JsonObject *doc)
{
  static const char * const top[] = { "present", "arrives", "departs", "sales", NULL };
  static const char * const sale_members[] = { "hash", "name", "quantity", "vendor", "owned",
                                               "affordable", "costs", NULL };
  static const char * const cost_members[] = { "hash", "name", "quantity", NULL };
  JsonArray *sales;

  assert_members (doc, top);
  sales = qm_json_get_array (doc, "sales");
  g_assert_nonnull (sales);
  for (guint i = 0; i < json_array_get_length (sales); i++)
    {
      JsonObject *sale = json_array_get_object_element (sales, i);
      JsonArray *costs = qm_json_get_array (sale, "costs");

      g_assert_nonnull (sale);
      assert_members (sale, sale_members);
      g_assert_cmpint (qm_json_get_hash (sale, "hash"), !=, 0);
      g_assert_cmpint (qm_json_get_int (sale, "quantity", 0), >=, 1);
      g_assert_true (qm_json_get_int (sale, "vendor", 0) == QM_VENDOR_XUR ||
                     qm_json_get_int (sale, "vendor", 0) == QM_VENDOR_XUR_STRANGE_GEAR);
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (sale, "owned")));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (sale, "owned")), ==, G_TYPE_BOOLEAN);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (sale, "affordable")), ==,
                       G_TYPE_BOOLEAN);
      g_assert_nonnull (costs);
      for (guint c = 0; c < json_array_get_length (costs); c++)
        {
          JsonObject *cost = json_array_get_object_element (costs, c);

          assert_members (cost, cost_members);
          g_assert_cmpint (qm_json_get_hash (cost, "hash"), !=, 0);
          g_assert_cmpint (qm_json_get_int (cost, "quantity", 0), >, 0);
        }
    }
  return sales;
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) arrives = NULL;
  g_autoptr(GDateTime) departs = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *output = NULL;
  g_autofree char *recorded = NULL;
  JsonObject *doc;
  JsonArray *sales;

  run_cli (&run, "--sandbox", "--record", fixture->record, "xur", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  doc = qm_test_parse_document (run.out, &root);
  sales = assert_xur_document (doc);
  g_assert_true (qm_json_get_bool (doc, "present", FALSE));
  g_assert_cmpuint (json_array_get_length (sales), ==, count_demo_sales ());
  for (guint i = 0; i < json_array_get_length (sales); i++)
    g_assert_nonnull (qm_json_get_string (json_array_get_object_element (sales, i), "name"));

  /* From Friday 17:00 UTC to the Tuesday reset, and he is here now. */
  arrives = parse_utc (doc, "arrives");
  departs = parse_utc (doc, "departs");
  g_assert_cmpint (g_date_time_get_day_of_week (arrives), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (arrives), ==, 17);
  g_assert_cmpint (g_date_time_difference (departs, arrives), ==, 4 * G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_compare (departs, now), >, 0);

  /* What went over the wire conforms to Bungie's spec. */
  g_file_get_contents (fixture->record, &recorded, NULL, NULL);
  g_assert_nonnull (strstr (recorded, "/Vendors/2190858386/?components=" VENDORS_COMPONENTS));
  g_assert_nonnull (strstr (recorded, "/Vendors/3751514131/?components=" VENDORS_COMPONENTS));
  if (!qm_test_contract_check (fixture->record, NULL, &output))
    g_test_fail_printf ("the recorded traffic does not conform to the spec:\n%s", output);
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(QmTestRun) run = { 0 };
  g_auto(QmTestRun) json_run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) departs = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *first_line = NULL;
  g_autofree char *location = dup_demo_location ();
  g_autofree char *where = NULL;
  guint n_owned = 0;
  guint n_unaffordable = 0;
  JsonObject *doc;
  JsonArray *sales;

  run_cli (&json_run, "--sandbox", "xur", "--json", NULL);
  doc = qm_test_parse_document (json_run.out, &root);
  sales = qm_json_get_array (doc, "sales");

  /* His departure in the local zone (TZ=Europe/Berlin): the Tuesday reset
   * at 18:00 CET, or 19:00 in summer time. */
  run_cli (&run, "--sandbox", "xur", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (berlin);
  departs = parse_utc (doc, "departs");
  local = g_date_time_to_timezone (departs, berlin);
  first_line = g_date_time_format (local, "Xûr is here until %A, %B %-d, %H:%M %Z (in ");
  g_assert_true (g_str_has_prefix (run.out, first_line));
  g_assert_true (g_str_has_prefix (run.out, "Xûr is here until Tuesday, "));
  g_assert_nonnull (strstr (run.out, "\nStrange Gear Offers\n"));
  where = g_strdup_printf ("\nWhere: %s\n", location);
  g_assert_nonnull (strstr (run.out, where));
  /* Gjallarhorn costs more Strange Coins than the demo player has. */
  g_assert_nonnull (strstr (run.out, "120 Strange Coin  [owned]  [cannot afford]\n"));

  /* Every sale is listed with its costs. */
  for (guint i = 0; i < json_array_get_length (sales); i++)
    {
      JsonObject *sale = json_array_get_object_element (sales, i);
      JsonObject *cost = json_array_get_object_element (qm_json_get_array (sale, "costs"), 0);
      g_autofree char *name_line = g_strdup_printf ("  %s (", qm_json_get_string (sale, "name"));
      g_autofree char *cost_line = g_strdup_printf ("\n    %" G_GINT64_FORMAT " %s",
                                                    qm_json_get_int (cost, "quantity", 0),
                                                    qm_json_get_string (cost, "name"));

      g_assert_nonnull (strstr (run.out, name_line));
      g_assert_nonnull (strstr (run.out, cost_line));
      n_owned += qm_json_get_bool (sale, "owned", FALSE);
      n_unaffordable += !qm_json_get_bool (sale, "affordable", TRUE);
    }
  /* The JSON says what the text marks. */
  g_assert_cmpuint (n_owned, >=, 1);
  g_assert_cmpuint (n_unaffordable, >=, 1);
  g_assert_cmpuint (count_occurrences (run.out, "  [owned]"), ==, n_owned);
  g_assert_cmpuint (count_occurrences (run.out, "  [cannot afford]"), ==, n_unaffordable);
}

static gboolean
xmllint_accepts (const char *path)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  const char *argv[] = { NULL, "--html", "--noout", path, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (xmllint == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("xmllint is missing (install libxml2-utils)");
      g_test_skip ("xmllint is not installed (libxml2-utils)");
      return TRUE;
    }
  argv[0] = xmllint;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("xmllint: %s", err);
  /* xmllint exits 0 on parser errors too: stderr tells. */
  return *err == '\0' && g_spawn_check_wait_status (status, NULL);
}

static void
test_html (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(QmTestRun) run = { 0 };
  g_auto(QmTestRun) both = { 0 };
  g_autofree char *path = g_build_filename (fixture->dir, "xur.html", NULL);
  g_autofree char *html = NULL;
  g_autoptr(GError) error = NULL;

  run_cli (&run, "--sandbox", "xur", "--html", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "<title>Xûr’s stock for the week of Friday, "));
  g_assert_nonnull (strstr (html, "Gjallarhorn"));
  /* The icons are in the page (the sandbox's PNGs), which needs nothing
   * from the origin, gone once the command has ended. */
  g_assert_nonnull (strstr (html, "<img src=\"data:image/png;base64,"));
  g_assert_null (strstr (html, "127.0.0.1"));
  g_assert_null (strstr (html, "src=\"http"));
  g_assert_true (xmllint_accepts (path));

  run_cli (&both, "--sandbox", "xur", "--json", "--html", path, NULL);
  g_assert_cmpint (both.status, ==, 2);
}

/* The response of the first recorded exchange whose URL holds @needle. */
static JsonNode *
find_recorded_response (const char *record,
                        const char *needle)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (record, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) line = NULL;
      JsonObject *exchange;

      if (*lines[i] == '\0' || strstr (lines[i], needle) == NULL)
        continue;
      line = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      exchange = json_node_get_object (line);
      if (strstr (qm_json_get_string (exchange, "url"), needle) != NULL &&
          json_object_has_member (exchange, "response"))
        return json_node_copy (json_object_get_member (exchange, "response"));
    }
  return NULL;
}

/* Records GetProfile, GetVendors and the item table from a sandbox into a
 * --sandbox=DIR data directory (@with_vendors FALSE: no vendors.json). */
static char *
record_data_dir (Fixture    *fixture,
                 const char *name,
                 gboolean    with_vendors)
{
  g_autofree char *record = g_build_filename (fixture->dir, "data.jsonl", NULL);
  g_autofree char *dir = g_build_filename (fixture->dir, name, NULL);
  g_auto(GStrv) characters = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) vendors = NULL;
  g_autoptr(JsonNode) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  QmSandboxOptions options = { 0 };
  QmTestResult res = { 0 };

  options.record_path = record;
  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  characters = qm_sandbox_dup_character_ids (sandbox);

  qm_bungie_client_get_profile_async (client, qm_sandbox_get_membership_type (sandbox),
                                      qm_sandbox_get_membership_id (sandbox), QM_PROFILE_COMPONENTS,
                                      NULL, qm_test_result_cb, &res);
  profile = qm_bungie_client_get_profile_finish (client, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  qm_bungie_client_get_vendor_async (client, qm_sandbox_get_membership_type (sandbox),
                                     qm_sandbox_get_membership_id (sandbox), characters[0], 0,
                                     VENDORS_COMPONENTS, NULL, qm_test_result_cb, &res);
  vendors = qm_bungie_client_get_vendor_finish (client, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  bytes = qm_sandbox_world_get_table_bytes (qm_sandbox_get_world (sandbox), "DestinyInventoryItemDefinition");
  qm_sandbox_stop (sandbox);
  g_clear_object (&sandbox);  /* closes the record */

  /* The envelopes as they went over the wire. */
  g_clear_pointer (&profile, json_node_unref);
  profile = find_recorded_response (record, "/Profile/");
  g_assert_nonnull (profile);
  g_assert_cmpint (qm_json_get_int (json_node_get_object (profile), "ErrorCode", 0), ==, 1);
  qm_test_write_json (dir, "profile.json", profile);
  if (with_vendors)
    {
      g_clear_pointer (&vendors, json_node_unref);
      vendors = find_recorded_response (record, "/Vendors/?");
      g_assert_nonnull (vendors);
      g_assert_cmpint (qm_json_get_int (json_node_get_object (vendors), "ErrorCode", 0), ==, 1);
      qm_test_write_json (dir, "vendors.json", vendors);
    }
  table = qm_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  qm_test_write_json (dir, "definitions/DestinyInventoryItemDefinition.json", table);
  g_remove (record);
  return g_steal_pointer (&dir);
}

/* Recorded GetVendors data replays to the same sales as the demo account. */
static void
test_recorded_data (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = record_data_dir (fixture, "data", TRUE);
  g_autofree char *arg = g_strconcat ("--sandbox=", dir, NULL);
  g_autofree char *output = NULL;
  g_auto(QmTestRun) demo = { 0 };
  g_auto(QmTestRun) replay = { 0 };
  g_autoptr(JsonNode) demo_root = NULL;
  g_autoptr(JsonNode) replay_root = NULL;
  JsonObject *replay_doc;
  JsonObject *demo_doc;

  run_cli (&demo, "--sandbox", "xur", "--json", NULL);
  g_assert_cmpint (demo.status, ==, 0);
  run_cli (&replay, arg, "--record", fixture->record, "xur", "--json", NULL);
  g_assert_cmpint (replay.status, ==, 0);
  g_assert_cmpstr (replay.err, ==, "");
  replay_doc = qm_test_parse_document (replay.out, &replay_root);
  assert_xur_document (replay_doc);
  g_assert_true (qm_json_get_bool (replay_doc, "present", FALSE));
  g_assert_cmpuint (json_array_get_length (qm_json_get_array (replay_doc, "sales")), ==,
                    count_demo_sales ());
  demo_doc = qm_test_parse_document (demo.out, &demo_root);
  g_assert_true (json_node_equal (json_object_get_member (demo_doc, "sales"),
                                  json_object_get_member (replay_doc, "sales")));
  g_assert_cmpstr (qm_json_get_string (json_node_get_object (demo_root), "departs"), ==,
                   qm_json_get_string (replay_doc, "departs"));

  if (!qm_test_contract_check (fixture->record, NULL, &output))
    g_test_fail_printf ("the replayed traffic does not conform to the spec:\n%s", output);
}

/* Data without vendors: Xûr is away (1627), and the CLI says when he returns. */
static void
test_absent (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = record_data_dir (fixture, "away", FALSE);
  g_autofree char *arg = g_strconcat ("--sandbox=", dir, NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "away.html", NULL);
  g_autofree char *html = NULL;
  g_auto(QmTestRun) text = { 0 };
  g_auto(QmTestRun) json = { 0 };
  g_auto(QmTestRun) page = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) arrives = NULL;
  g_autoptr(GDateTime) expected = NULL;
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *sentence = NULL;
  JsonObject *doc;

  run_cli (&json, arg, "xur", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  doc = qm_test_parse_document (json.out, &root);
  assert_xur_document (doc);
  g_assert_false (qm_json_get_bool (doc, "present", TRUE));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (doc, "departs")));
  g_assert_cmpuint (json_array_get_length (qm_json_get_array (doc, "sales")), ==, 0);
  arrives = parse_utc (doc, "arrives");
  expected = qm_xur_next_arrival (now, NULL);
  /* The same Friday, unless the week turned over between the two clocks. */
  g_assert_cmpint (ABS (g_date_time_difference (expected, arrives)), <=, 7 * G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_get_day_of_week (arrives), ==, 5);

  /* The text in the local zone (TZ=Europe/Berlin): Friday 18:00 CET, or
   * 19:00 in summer time. */
  run_cli (&text, arg, "xur", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (berlin);
  local = g_date_time_to_timezone (arrives, berlin);
  sentence = g_date_time_format (local, "Xûr is not here. He returns %A, %B %-d, %H:%M %Z (in ");
  g_assert_true (g_str_has_prefix (text.out, sentence));
  g_assert_true (g_str_has_suffix (text.out, " hours).\n") || g_str_has_suffix (text.out, " hour).\n"));

  run_cli (&page, arg, "xur", "--html", path, NULL);
  g_assert_cmpint (page.status, ==, 0);
  g_file_get_contents (path, &html, NULL, NULL);
  g_assert_nonnull (strstr (html, "Xûr is away"));
  g_assert_true (xmllint_accepts (path));
}

/* --origin: a service reached over the network, here an in-process sandbox
 * (so the CLI runs while this process keeps serving it). */
static void
test_origin (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autofree char *token = qm_sandbox_issue_access_token (sandbox);
  g_auto(GStrv) envp = cli_environ ();
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;

  envp = g_environ_setenv (envp, "QM_API_KEY", QM_SANDBOX_API_KEY, TRUE);
  envp = g_environ_setenv (envp, "QM_ACCESS_TOKEN", token, TRUE);
  qm_test_run_cli (&run, envp, NULL, "--origin", qm_sandbox_get_bungie_origin (sandbox), "xur", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);

  g_assert_true (qm_json_get_bool (qm_test_parse_document (run.out, &root), "present", FALSE));
  g_assert_cmpuint (json_array_get_length (assert_xur_document (json_node_get_object (root))), ==,
                    count_demo_sales ());
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "GetVendor"), ==, 2);
  qm_sandbox_stop (sandbox);
}

/* Usage errors, and a data directory that does not exist. */
static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(QmTestRun) extra = { 0 };
  g_auto(QmTestRun) html_elsewhere = { 0 };
  g_auto(QmTestRun) missing_dir = { 0 };
  g_autofree char *path = g_build_filename (fixture->dir, "x.html", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing", NULL);
  g_autofree char *arg = g_strconcat ("--sandbox=", missing, NULL);

  run_cli (&extra, "--sandbox", "xur", "now", NULL);
  g_assert_cmpint (extra.status, ==, 2);
  run_cli (&html_elsewhere, "--sandbox", "inventory", "--html", path, NULL);
  g_assert_cmpint (html_elsewhere.status, ==, 2);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  run_cli (&missing_dir, arg, "xur", NULL);
  g_assert_cmpint (missing_dir.status, ==, 1);
  g_assert_cmpstr (missing_dir.out, ==, "");
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli-xur/json", test_json);
  ADD ("/cli-xur/text", test_text);
  ADD ("/cli-xur/html", test_html);
  ADD ("/cli-xur/recorded-data", test_recorded_data);
  ADD ("/cli-xur/absent", test_absent);
  ADD ("/cli-xur/origin", test_origin);
  ADD ("/cli-xur/usage", test_usage);

  return g_test_run ();
}
