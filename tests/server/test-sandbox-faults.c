/* test-sandbox-faults.c: the fault spec parser and matcher, the recorder's lines
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "qm-sandbox-faults.h"
#include "qm-sandbox-recorder.h"

static QmSandboxFaults *
parse_ok (const char *spec)
{
  g_autoptr(GError) error = NULL;
  QmSandboxFaults *faults = qm_sandbox_faults_parse (spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (faults);
  return faults;
}

static void
test_parse_kinds (void)
{
  static const struct
  {
    const char  *spec;
    QmFaultKind  kind;
    int          code;
    int          seconds;
    guint        delay_ms;
  } cases[] = {
    { "maintenance", QM_FAULT_MAINTENANCE, 5, 0, 0 },
    { "throttle", QM_FAULT_THROTTLE, 36, 10, 0 },
    { "throttle:1672,seconds=1", QM_FAULT_THROTTLE, 1672, 1, 0 },
    { "throttle:PerUserThrottleExceeded", QM_FAULT_THROTTLE, 57, 10, 0 },
    { "html502", QM_FAULT_HTML502, 0, 0, 0 },
    { "http500", QM_FAULT_HTTP500, 1626, 0, 0 },
    { "http500:1618", QM_FAULT_HTTP500, 1618, 0, 0 },
    { "reset", QM_FAULT_RESET, 0, 0, 0 },
    { "delay:250", QM_FAULT_DELAY, 0, 0, 250 },
    { "timeout", QM_FAULT_TIMEOUT, 0, 0, 0 },
    { "truncate", QM_FAULT_TRUNCATE, 0, 0, 0 },
    { "token-expired", QM_FAULT_TOKEN_EXPIRED, 2111, 0, 0 },
    { " error:1642 ", QM_FAULT_ERROR, 1642, 0, 0 },
    { "error:DestinyItemNotFound", QM_FAULT_ERROR, 1623, 0, 0 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QmSandboxFaults) faults = parse_ok (cases[i].spec);
      QmFaultAction action;

      g_assert_cmpuint (qm_sandbox_faults_get_n_rules (faults), ==, 1);
      g_assert_true (qm_sandbox_faults_match (faults, "GetProfile", TRUE, rand, &action));
      g_assert_cmpint (action.kind, ==, cases[i].kind);
      g_assert_cmpint (action.error_code, ==, cases[i].code);
      g_assert_cmpint (action.throttle_seconds, ==, cases[i].seconds);
      g_assert_cmpuint (action.delay_ms, ==, cases[i].delay_ms);
    }
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const char *spec;
    const char *named;
  } cases[] = {
    { "meltdown", "meltdown" },
    { "delay", "delay" },
    { "delay:soon", "soon" },
    { "error", "error" },
    { "error:NoSuchCode", "NoSuchCode" },
    { "error:999999", "999999" },
    { "maintenance:3", "maintenance:3" },
    { "throttle,endpoint=GetProfil", "GetProfil" },
    { "throttle,calls=0", "0" },
    { "throttle,calls=3-2", "3-2" },
    { "throttle,rate=1.5", "1.5" },
    { "throttle,times=x", "x" },
    { "throttle,colour=red", "colour" },
    { "throttle,seconds", "seconds" },
    { "maintenance;reset;html502,bogus=1", "bogus" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmSandboxFaults) faults = qm_sandbox_faults_parse (cases[i].spec, &error);

      g_assert_null (faults);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].named) == NULL)
        g_error ("“%s”: the error “%s” does not name “%s”", cases[i].spec, error->message, cases[i].named);
    }
}

static void
test_empty (void)
{
  g_autoptr(QmSandboxFaults) none = parse_ok (NULL);
  g_autoptr(QmSandboxFaults) empty = parse_ok (" ; ;");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  QmFaultAction action;

  g_assert_cmpuint (qm_sandbox_faults_get_n_rules (none), ==, 0);
  g_assert_cmpuint (qm_sandbox_faults_get_n_rules (empty), ==, 0);
  g_assert_false (qm_sandbox_faults_match (empty, "GetProfile", TRUE, rand, &action));
  g_assert_cmpint (action.kind, ==, QM_FAULT_NONE);
}

static void
test_scope (void)
{
  g_autoptr(QmSandboxFaults) platform = parse_ok ("maintenance");
  g_autoptr(QmSandboxFaults) chosen = parse_ok ("html502,endpoint=Content|Token");
  g_autoptr(QmSandboxFaults) refresh = parse_ok ("refresh-expired");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  QmFaultAction action;

  /* The default scope is the Platform calls, which the caller tells. */
  g_assert_true (qm_sandbox_faults_match (platform, "TransferItem", TRUE, rand, &action));
  g_assert_false (qm_sandbox_faults_match (platform, "Token", FALSE, rand, &action));
  g_assert_false (qm_sandbox_faults_match (platform, "Content", FALSE, rand, &action));

  g_assert_true (qm_sandbox_faults_match (chosen, "Content", FALSE, rand, &action));
  g_assert_true (qm_sandbox_faults_match (chosen, "Token", FALSE, rand, &action));
  g_assert_false (qm_sandbox_faults_match (chosen, "GetProfile", TRUE, rand, &action));

  g_assert_false (qm_sandbox_faults_match (refresh, "GetProfile", TRUE, rand, &action));
  g_assert_true (qm_sandbox_faults_match (refresh, "Token", FALSE, rand, &action));
  g_assert_cmpint (action.kind, ==, QM_FAULT_REFRESH_EXPIRED);
}

static guint
fired_mask (QmSandboxFaults *faults,
            guint            n_calls)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint mask = 0;

  for (guint i = 0; i < n_calls; i++)
    {
      QmFaultAction action;

      if (qm_sandbox_faults_match (faults, "GetProfile", TRUE, rand, &action))
        mask |= 1u << i;
    }
  return mask;
}

static void
test_selection (void)
{
  g_autoptr(QmSandboxFaults) second = parse_ok ("throttle,calls=2");
  g_autoptr(QmSandboxFaults) range = parse_ok ("throttle,calls=2-4");
  g_autoptr(QmSandboxFaults) twice = parse_ok ("throttle,times=2");
  g_autoptr(QmSandboxFaults) always = parse_ok ("throttle,rate=1.0");
  g_autoptr(QmSandboxFaults) never = parse_ok ("throttle,rate=0.0");
  g_autoptr(QmSandboxFaults) half = parse_ok ("throttle,rate=0.5");
  g_autoptr(QmSandboxFaults) half_again = parse_ok ("throttle,rate=0.5");
  guint half_mask;

  g_assert_cmphex (fired_mask (second, 8), ==, 0x02);
  g_assert_cmphex (fired_mask (range, 8), ==, 0x0e);
  g_assert_cmphex (fired_mask (twice, 8), ==, 0x03);
  g_assert_cmphex (fired_mask (always, 8), ==, 0xff);
  g_assert_cmphex (fired_mask (never, 8), ==, 0x00);

  /* Seeded: the same draws for the same seed, and some but not all fire. */
  half_mask = fired_mask (half, 24);
  g_assert_cmphex (half_mask, ==, fired_mask (half_again, 24));
  g_assert_cmphex (half_mask, !=, 0);
  g_assert_cmphex (half_mask, !=, 0xffffff);
}

static void
test_first_rule_wins (void)
{
  g_autoptr(QmSandboxFaults) faults = parse_ok ("error:1642,endpoint=TransferItem,calls=1;"
                                                "maintenance,calls=2");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  QmFaultAction action;

  /* Each rule counts the calls it selects on its own. */
  g_assert_true (qm_sandbox_faults_match (faults, "TransferItem", TRUE, rand, &action));
  g_assert_cmpint (action.kind, ==, QM_FAULT_ERROR);
  g_assert_cmpint (action.error_code, ==, 1642);
  g_assert_true (qm_sandbox_faults_match (faults, "GetProfile", TRUE, rand, &action));
  g_assert_cmpint (action.kind, ==, QM_FAULT_MAINTENANCE);
  g_assert_false (qm_sandbox_faults_match (faults, "TransferItem", TRUE, rand, &action));
}

static void
test_operation_names (void)
{
  const char * const *names = qm_sandbox_faults_operation_names ();

  g_assert_true (g_strv_contains (names, "GetProfile"));
  g_assert_true (g_strv_contains (names, "Token"));
  g_assert_true (qm_sandbox_faults_is_operation ("ClearLoadout"));
  g_assert_false (qm_sandbox_faults_is_operation ("clearloadout"));
  g_assert_cmpstr (qm_sandbox_fault_kind_name (QM_FAULT_REFRESH_EXPIRED), ==, "refresh-expired");
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_recorder_redacts (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) form = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonObject) line = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  QmSandboxExchange exchange = { 0 };
  static const char form_text[] = "grant_type=refresh_token&refresh_token=rt-secret&client_secret=cs-secret"
                                  "&j_username=guardian%40example.com&state=form-state";
  static const char token_text[] = "{\"access_token\":\"at-secret\",\"token_type\":\"Bearer\","
                                   "\"refresh_token\":\"rt-new\",\"expires_in\":3600}";

  soup_message_headers_append (headers, "X-API-Key", "key-secret");
  soup_message_headers_append (headers, "Authorization", "Basic Zm9vOmJhcg==");
  soup_message_headers_append (headers, "Cookie", "bungleatk=cookie-secret");
  soup_message_headers_append (headers, "x-csrf", "csrf-secret");
  soup_message_headers_append (headers, "User-Agent", "Quartermaster/0.1");
  form = g_bytes_new_static (form_text, strlen (form_text));
  response = g_bytes_new_static (token_text, strlen (token_text));

  exchange.method = "POST";
  exchange.path = "/Platform/App/OAuth/token/";
  exchange.query = "code=grant-secret&state=abc&lang=en";
  exchange.host = "127.0.0.1";
  exchange.headers = headers;
  exchange.request_body = form;
  exchange.request_type = "application/x-www-form-urlencoded";
  exchange.status = 200;
  exchange.response_body = response;
  exchange.response_type = "application/json; charset=utf-8";

  text = qm_sandbox_recorder_format (&exchange);
  g_assert_null (strstr (text, "-secret"));
  g_assert_null (strstr (text, "Zm9v"));
  g_assert_null (strstr (text, "rt-new"));
  g_assert_null (strchr (text, '\n'));
  line = parse_line (text);
  /* The OAuth state and the PSN e-mail address are private too. */
  g_assert_cmpstr (json_object_get_string_member (line, "url"), ==,
                   "/Platform/App/OAuth/token/?code=REDACTED&state=REDACTED&lang=en");
  g_assert_null (strstr (text, "guardian"));
  g_assert_null (strstr (text, "form-state"));
  object = json_object_get_object_member (line, "headers");
  g_assert_cmpstr (json_object_get_string_member (object, "X-API-Key"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "User-Agent"), ==, "Quartermaster/0.1");
  object = json_object_get_object_member (line, "request");
  g_assert_cmpstr (json_object_get_string_member (object, "grant_type"), ==, "refresh_token");
  g_assert_cmpstr (json_object_get_string_member (object, "refresh_token"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "j_username"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "REDACTED");
  object = json_object_get_object_member (line, "response");
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpstr (json_object_get_string_member (object, "access_token"), ==, "REDACTED");
  g_assert_cmpint (json_object_get_int_member (line, "status"), ==, 200);
}

static void
test_recorder_shapes (void)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) html = NULL;
  g_autoptr(JsonObject) json_line = NULL;
  g_autoptr(JsonObject) html_line = NULL;
  g_autoptr(JsonObject) reset_line = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  QmSandboxExchange exchange = { 0 };
  static const char body_text[] = "{\"itemId\":\"6917529\",\"membershipType\":3}";
  static const char html_text[] = "<html>502</html>";

  body = g_bytes_new_static (body_text, strlen (body_text));
  html = g_bytes_new_static (html_text, strlen (html_text));
  exchange.method = "POST";
  exchange.path = "/Platform/Destiny2/Actions/Items/EquipItem/";
  exchange.request_body = body;
  exchange.request_type = "application/json";
  exchange.status = 502;
  exchange.response_body = html;
  exchange.response_type = "text/html";
  text1 = qm_sandbox_recorder_format (&exchange);
  html_line = parse_line (text1);
  g_assert_false (json_object_has_member (html_line, "response"));
  g_assert_false (json_object_has_member (html_line, "host"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (html_line, "request"),
                                                  "itemId"), ==, "6917529");

  exchange.status = 0;
  exchange.response_body = NULL;
  exchange.response_type = NULL;
  text2 = qm_sandbox_recorder_format (&exchange);
  reset_line = parse_line (text2);
  g_assert_false (json_object_has_member (reset_line, "response"));
  g_assert_cmpint (json_object_get_int_member (reset_line, "status"), ==, 0);

  exchange.method = "GET";
  exchange.request_body = NULL;
  exchange.status = 200;
  exchange.response_body = body;
  exchange.response_type = "application/json";
  text3 = qm_sandbox_recorder_format (&exchange);
  json_line = parse_line (text3);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_line, "request")));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_line, "response"),
                                               "membershipType"), ==, 3);
  g_assert_cmpint (json_object_get_size (json_object_get_object_member (json_line, "headers")), ==, 0);
}

/* Bodies the server vouches for are copied in as they are, unless they hold tokens. */
static void
test_recorder_splice (void)
{
  static const char profile_text[] = "{\"Response\":{\"profile\":{\"privacy\":2}},\"ErrorCode\":1}";
  static const char token_text[] = "{\"access_token\":\"at-secret\",\"token_type\":\"Bearer\"}";
  g_autoptr(GBytes) profile = g_bytes_new_static (profile_text, strlen (profile_text));
  g_autoptr(GBytes) tokens = g_bytes_new_static (token_text, strlen (token_text));
  g_autofree char *spliced = NULL;
  g_autofree char *parsed = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(JsonObject) spliced_line = NULL;
  g_autoptr(JsonObject) parsed_line = NULL;
  QmSandboxExchange exchange = { .method = "GET", .path = "/Platform/Destiny2/3/Profile/1/",
                                 .status = 200, .response_type = "application/json" };

  exchange.response_body = profile;
  exchange.response_is_json = TRUE;
  spliced = qm_sandbox_recorder_format (&exchange);
  g_assert_true (g_str_has_suffix (spliced, ",\"response\":{\"Response\":{\"profile\":{\"privacy\":2}},\"ErrorCode\":1}}"));
  exchange.response_is_json = FALSE;
  parsed = qm_sandbox_recorder_format (&exchange);
  spliced_line = parse_line (spliced);
  parsed_line = parse_line (parsed);
  g_assert_true (json_node_equal (json_object_get_member (spliced_line, "response"),
                                  json_object_get_member (parsed_line, "response")));

  exchange.path = "/Platform/App/OAuth/token/";
  exchange.response_body = tokens;
  exchange.response_is_json = TRUE;
  redacted = qm_sandbox_recorder_format (&exchange);
  g_assert_null (strstr (redacted, "at-secret"));
  g_assert_nonnull (strstr (redacted, "Bearer"));
}

static void
test_recorder_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-recorder-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  QmSandboxExchange exchange = { .method = "GET", .path = "/Platform/Destiny2/Manifest/", .status = 200 };
  QmSandboxRecorder *recorder;

  recorder = qm_sandbox_recorder_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qm_sandbox_recorder_get_path (recorder), ==, path);
  g_assert_true (qm_sandbox_recorder_write (recorder, &exchange, &error));
  /* Flushed at once: readable before the recorder is closed. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "}\n"));
  g_assert_true (qm_sandbox_recorder_write (recorder, &exchange, &error));
  qm_sandbox_recorder_free (recorder);

  /* A second recorder appends. */
  recorder = qm_sandbox_recorder_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (qm_sandbox_recorder_write (recorder, &exchange, &error));
  qm_sandbox_recorder_free (recorder);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[3], ==, "");

  g_assert_null (qm_sandbox_recorder_new ("/nonexistent-dir/traffic.jsonl", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/faults/parse-kinds", test_parse_kinds);
  g_test_add_func ("/sandbox/faults/parse-errors", test_parse_errors);
  g_test_add_func ("/sandbox/faults/empty", test_empty);
  g_test_add_func ("/sandbox/faults/scope", test_scope);
  g_test_add_func ("/sandbox/faults/selection", test_selection);
  g_test_add_func ("/sandbox/faults/first-rule-wins", test_first_rule_wins);
  g_test_add_func ("/sandbox/faults/operation-names", test_operation_names);
  g_test_add_func ("/sandbox/recorder/redacts", test_recorder_redacts);
  g_test_add_func ("/sandbox/recorder/shapes", test_recorder_shapes);
  g_test_add_func ("/sandbox/recorder/splice", test_recorder_splice);
  g_test_add_func ("/sandbox/recorder/file", test_recorder_file);

  return g_test_run ();
}
