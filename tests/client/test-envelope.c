/* test-envelope.c: decoding Bungie's response envelope from bytes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-test-utils.h"

static JsonNode *
parse_fixture (const char     *name,
               guint           status,
               const char     *content_type,
               QmEnvelopeInfo *info,
               GError        **error)
{
  g_autoptr(GBytes) bytes = qm_test_load_fixture (name);

  return qm_envelope_parse (bytes, status, content_type, info, error);
}

static void
test_success_object (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *paths;

  node = parse_fixture ("envelope-success.json", 200, "application/json; charset=utf-8",
                        &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpstr (qm_json_get_string (json_node_get_object (node), "version"), ==,
                   "229185.25.09.26.1730-1-bnet.61270");
  paths = qm_json_path_object (json_node_get_object (node),
                               "jsonWorldComponentContentPaths", "en", NULL);
  g_assert_nonnull (paths);
  g_assert_true (g_str_has_prefix (qm_json_get_string (paths, "DestinyInventoryItemDefinition"),
                                   "/common/destiny2_content/json/en/"));

  g_assert_cmpint (info.error_code, ==, 1);
  g_assert_cmpint (info.throttle_seconds, ==, 0);
  g_assert_cmpstr (info.error_status, ==, "Success");
  g_assert_cmpstr (info.message, ==, "Ok");
}

/* The envelope is judged on its content, whatever the content type says. */
static void
test_success_html_content_type (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-success.json", 500, "text/html", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
}

static void
test_success_null (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-success-null.json", 200, "application/json", &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
  g_assert_cmpint (info.error_code, ==, 1);
}

static void
test_success_absent_response (void)
{
  const char *text = "{\"ErrorCode\":1,\"Message\":\"Ok\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_envelope_parse (bytes, 200, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
}

/* Bungie answers game errors with HTTP 500 and a valid envelope. */
static void
test_platform_error_500 (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-no-room.json", 500, "application/json", &info, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION);
  g_assert_nonnull (strstr (error->message, "There are no item slots available"));
  g_assert_nonnull (strstr (error->message, "DestinyNoRoomInDestination"));
  g_assert_cmpint (info.error_code, ==, 1642);
  g_assert_cmpstr (info.error_status, ==, "DestinyNoRoomInDestination");
  g_assert_cmpstr (info.message, ==, "There are no item slots available to transfer this item.");
}

static void
test_throttle (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-throttle.json", 200, "application/json", &info, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MOMENTARILY);
  g_assert_true (qm_platform_error_is_throttle (error->code));
  g_assert_cmpint (info.throttle_seconds, ==, 10);
  g_assert_cmpint (info.error_code, ==, 36);
}

/* An envelope with a code the spec does not know still carries the code. */
static void
test_unknown_code (void)
{
  const char *text = "{\"ErrorCode\":987654,\"ErrorStatus\":\"SomethingNew\",\"Message\":\"\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_envelope_parse (bytes, 200, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, 987654);
  g_assert_nonnull (strstr (error->message, "SomethingNew"));
}

static void
test_html_502 (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  info.error_code = 99; /* overwritten */
  node = parse_fixture ("envelope-cloudflare-502.html", 502, "text/html; charset=UTF-8",
                        &info, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  g_assert_nonnull (strstr (error->message, "HTTP 502"));
  /* The title, with its line break and tab collapsed. */
  g_assert_nonnull (strstr (error->message, "www.bungie.net | 502: Bad gateway"));
  g_assert_null (strchr (error->message, '\t'));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpint (info.error_code, ==, 0);
}

/* A page is a page even with HTTP 200 and a JSON content type. */
static void
test_html_200 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-page-200.html", 200, "application/json", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  g_assert_nonnull (strstr (error->message, "HTTP 200"));
  g_assert_nonnull (strstr (error->message, "Bungie.net - Maintenance"));
}

static void
test_html_long_title (void)
{
  g_autoptr(GString) page = g_string_new ("<html><title>");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (int i = 0; i < 1000; i++)
    g_string_append (page, "x\x01");
  g_string_append (page, "\xff\xfe</title></html>");
  bytes = g_bytes_new (page->str, page->len);

  node = qm_envelope_parse (bytes, 503, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\x01'));
  g_assert_cmpuint (strlen (error->message), <, 400);
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-truncated.json", 200, "application/json", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Cut short with a failure status: still bad JSON, not an HTTP status page. */
  node = parse_fixture ("envelope-truncated.json", 500, "application/json", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_empty_503 (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) blank = g_bytes_new_static (" \r\n", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_envelope_parse (empty, 503, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
  g_clear_error (&error);

  node = qm_envelope_parse (NULL, 503, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_clear_error (&error);

  /* Empty with a success status is malformed, not an HTTP failure. */
  node = qm_envelope_parse (blank, 200, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_plain_text_503 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-plain-503.txt", 503, "text/plain", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
}

static void
test_not_envelope (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-unauthorized-401.json", 401, "application/json", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  node = parse_fixture ("envelope-unauthorized-401.json", 403, "application/json", NULL, &error);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  node = parse_fixture ("envelope-unauthorized-401.json", 404, "application/json", NULL, &error);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);

  node = parse_fixture ("envelope-unauthorized-401.json", 200, "application/json", NULL, &error);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_null (node);
}

/* An ErrorCode that is not a number does not make an envelope. */
static void
test_not_envelope_code_type (void)
{
  const char *text = "{\"ErrorCode\":\"1\",\"Response\":{}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) array = g_bytes_new_static ("[1,2]", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_envelope_parse (bytes, 200, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  node = qm_envelope_parse (array, 200, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_maintenance (void)
{
  g_auto(QmEnvelopeInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = parse_fixture ("envelope-maintenance.json", 503, "application/json", &info, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED);
  g_assert_cmpint (info.error_code, ==, 0);
  g_clear_error (&error);

  node = parse_fixture ("envelope-oauth-error.json", 400, "application/json", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "AuthorizationCodeInvalid"));
}

static void
test_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *membership_id = NULL;
  g_autofree char *item0 = NULL;
  g_autofree char *item1 = NULL;
  g_autofree char *item2 = NULL;
  JsonObject *response;
  JsonArray *characters;
  JsonArray *items;
  g_autofree char *character0 = NULL;
  g_autofree char *character1 = NULL;

  node = parse_fixture ("envelope-ids.json", 200, "application/json", NULL, &error);
  g_assert_no_error (error);
  response = json_node_get_object (node);

  membership_id = qm_json_dup_id (response, "membershipId");
  g_assert_cmpstr (membership_id, ==, "4611686018467284386");
  g_assert_cmpint (qm_json_get_int (response, "membershipType", -1), ==, 3);

  characters = qm_json_get_array (response, "characterIds");
  g_assert_cmpuint (json_array_get_length (characters), ==, 2);
  character0 = qm_json_node_dup_id (json_array_get_element (characters, 0));
  character1 = qm_json_node_dup_id (json_array_get_element (characters, 1));
  g_assert_cmpstr (character0, ==, "2305843009301648414");
  g_assert_cmpstr (character1, ==, "2305843009301648415");

  items = qm_json_get_array (response, "items");
  item0 = qm_json_dup_id (json_array_get_object_element (items, 0), "itemInstanceId");
  item1 = qm_json_dup_id (json_array_get_object_element (items, 1), "itemInstanceId");
  item2 = qm_json_dup_id (json_array_get_object_element (items, 2), "itemInstanceId");
  g_assert_cmpstr (item0, ==, "6917529602346342813");
  g_assert_cmpstr (item1, ==, "6917529602346342814");
  g_assert_cmpstr (item2, ==, "18446744073709551615");
  g_assert_cmpuint (qm_json_get_hash (json_array_get_object_element (items, 1), "bucketHash"),
                    ==, 3075836810u);
}

static void
check_never_crashes (GBytes *bytes,
                     guint   status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_envelope_parse (bytes, status, NULL, NULL, &error);
  g_assert_true ((node == NULL) != (error == NULL));
  if (error != NULL)
    g_assert_true (error->domain == QM_CLIENT_ERROR || error->domain == QM_PLATFORM_ERROR);
}

/* Every prefix of an envelope gives a result or an error; every prefix
 * short of the closing brace is malformed, and the rest decode like the
 * whole document. */
static void
check_prefixes (const char *fixture)
{
  g_autoptr(GBytes) whole = qm_test_load_fixture (fixture);
  g_autoptr(GError) whole_error = NULL;
  g_autoptr(JsonNode) whole_node = qm_envelope_parse (whole, 200, NULL, NULL, &whole_error);
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);
  gsize complete = size;

  while (complete > 0 && data[complete - 1] != '}')
    complete--;
  g_assert_cmpuint (complete, >, 0);

  for (gsize len = 0; len <= size; len++)
    {
      g_autofree char *copy = g_memdup2 (data, len);
      g_autoptr(GBytes) prefix = g_bytes_new_take (g_steal_pointer (&copy), len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = qm_envelope_parse (prefix, 200, "application/json", NULL, &error);
      g_assert_true ((node == NULL) != (error == NULL));
      if (len < complete)
        g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      else if (whole_error != NULL)
        g_assert_error (error, whole_error->domain, whole_error->code);
      else
        g_assert_true (json_node_equal (node, whole_node));
      check_never_crashes (prefix, 500);
    }
}

static void
test_fuzz_prefixes (void)
{
  check_prefixes ("envelope-success.json");
  check_prefixes ("envelope-ids.json");
  check_prefixes ("envelope-no-room.json");
}

/* Seeded single-byte changes must not crash the decoder either. */
static void
test_fuzz_mutations (void)
{
  static const char replacements[] = "{}[]\":,0\\<\xff\x00 e-";
  g_autoptr(GBytes) whole = qm_test_load_fixture ("envelope-ids.json");
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  gsize size;
  const char *data = g_bytes_get_data (whole, &size);

  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) mutated = NULL;

      for (int n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        copy[g_rand_int_range (rand, 0, (int) size)] =
          replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
      mutated = g_bytes_new_take (g_steal_pointer (&copy), size);
      check_never_crashes (mutated, i % 2 == 0 ? 200 : 500);
    }
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/envelope/success/object", test_success_object);
  g_test_add_func ("/envelope/success/html-content-type", test_success_html_content_type);
  g_test_add_func ("/envelope/success/null", test_success_null);
  g_test_add_func ("/envelope/success/absent-response", test_success_absent_response);
  g_test_add_func ("/envelope/platform-error/http-500", test_platform_error_500);
  g_test_add_func ("/envelope/platform-error/throttle", test_throttle);
  g_test_add_func ("/envelope/platform-error/unknown-code", test_unknown_code);
  g_test_add_func ("/envelope/html/502", test_html_502);
  g_test_add_func ("/envelope/html/200", test_html_200);
  g_test_add_func ("/envelope/html/long-title", test_html_long_title);
  g_test_add_func ("/envelope/malformed/truncated", test_truncated);
  g_test_add_func ("/envelope/http/empty-503", test_empty_503);
  g_test_add_func ("/envelope/http/plain-text-503", test_plain_text_503);
  g_test_add_func ("/envelope/not-envelope/status", test_not_envelope);
  g_test_add_func ("/envelope/not-envelope/code-type", test_not_envelope_code_type);
  g_test_add_func ("/envelope/maintenance", test_maintenance);
  g_test_add_func ("/envelope/ids", test_ids);
  g_test_add_func ("/envelope/fuzz/prefixes", test_fuzz_prefixes);
  g_test_add_func ("/envelope/fuzz/mutations", test_fuzz_mutations);

  return g_test_run ();
}
