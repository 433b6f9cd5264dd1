/* test-bungie-client.c: the Platform client against a small local server
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "qm-bungie-client.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-test-utils.h"

#define TEST_API_KEY "test-api-key-1234"
#define TEST_TOKEN   "test-access-token-5678"

#define SUCCESS_BODY  "{\"Response\":{\"ok\":true},\"ErrorCode\":1,\"ThrottleSeconds\":0," \
                      "\"ErrorStatus\":\"Success\",\"Message\":\"Ok\",\"MessageData\":{}}"
#define ACTION_BODY   "{\"Response\":0,\"ErrorCode\":1,\"ThrottleSeconds\":0," \
                      "\"ErrorStatus\":\"Success\",\"Message\":\"Ok\",\"MessageData\":{}}"
#define NO_ROOM_BODY  "{\"ErrorCode\":1642,\"ThrottleSeconds\":0," \
                      "\"ErrorStatus\":\"DestinyNoRoomInDestination\"," \
                      "\"Message\":\"There are no item slots available to transfer this item.\"," \
                      "\"MessageData\":{}}"
#define THROTTLE_BODY "{\"ErrorCode\":36,\"ThrottleSeconds\":1," \
                      "\"ErrorStatus\":\"ThrottleLimitExceededMomentarily\"," \
                      "\"Message\":\"This request exceeded the allowed rate limit.\"," \
                      "\"MessageData\":{}}"

/* One request as the server saw it. */
typedef struct
{
  char   *method;
  char   *path;
  char   *query;
  char   *api_key;
  char   *authorization;
  char   *origin;
  char   *user_agent;
  char   *content_type;
  GBytes *body;
  gint64  time;
} Record;

typedef struct
{
  SoupServer     *server;
  char           *origin;
  GPtrArray      *records;
  GPtrArray      *paused;        /* SoupServerMessage */
  guint           throttle_first; /* throttle this many calls to /Throttle/ */
  QmBungieClient *client;
  GString        *log;
  guint           log_handler;
} Fixture;

static void
record_free (Record *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->api_key);
  g_free (r->authorization);
  g_free (r->origin);
  g_free (r->user_agent);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}

static Record *
record_message (Fixture           *fixture,
                SoupServerMessage *msg,
                const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  Record *r = g_new0 (Record, 1);

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (uri));
  r->api_key = g_strdup (soup_message_headers_get_one (headers, "X-API-Key"));
  r->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->origin = g_strdup (soup_message_headers_get_one (headers, "Origin"));
  r->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  r->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  r->body = soup_message_body_flatten (body);
  r->time = g_get_monotonic_time ();
  g_ptr_array_add (fixture->records, r);
  return r;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *fixture = user_data;

  record_message (fixture, msg, path);

  if (g_str_equal (path, "/Platform/NoRoom/"))
    respond (msg, 500, "application/json; charset=utf-8", NO_ROOM_BODY);
  else if (g_str_equal (path, "/Platform/Html/"))
    respond (msg, 502, "text/html", "<html><head><title>502 Bad gateway</title></head></html>");
  else if (g_str_equal (path, "/Platform/Throttle/"))
    respond (msg, 200, "application/json",
             fixture->records->len <= fixture->throttle_first ? THROTTLE_BODY : SUCCESS_BODY);
  else if (g_str_equal (path, "/Platform/Drop/"))
    drop_connection (msg);
  else if (g_str_equal (path, "/Platform/Hang/"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
    }
  else if (g_str_has_prefix (path, "/Platform/Destiny2/Actions/"))
    respond (msg, 200, "application/json", ACTION_BODY);
  else if (g_str_has_prefix (path, "/Platform/"))
    respond (msg, 200, "application/json", SUCCESS_BODY);
  else if (g_str_equal (path, "/common/content.json"))
    respond (msg, 200, "application/json", "{\"content\":true}");
  else
    respond (msg, 404, "text/plain", "Not Found");
}

static void
on_log_cb (const char     *log_domain,
           GLogLevelFlags  log_level,
           const char     *message,
           gpointer        user_data)
{
  Fixture *fixture = user_data;

  g_string_append (fixture->log, message);
  g_string_append_c (fixture->log, '\n');
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->log = g_string_new (NULL);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, on_request_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  fixture->origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fixture->client = qm_bungie_client_new (fixture->origin, TEST_API_KEY);
  qm_bungie_client_set_access_token (fixture->client, TEST_TOKEN);
  fixture->log_handler = g_log_set_handler ("qm-bungie-client", G_LOG_LEVEL_DEBUG,
                                            on_log_cb, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_log_remove_handler ("qm-bungie-client", fixture->log_handler);
  g_clear_object (&fixture->client);

  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fixture->paused, i);

      respond (msg, 200, "application/json", SUCCESS_BODY);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_unref (fixture->paused);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_ptr_array_unref (fixture->records);
  g_string_free (fixture->log, TRUE);
  g_free (fixture->origin);
}

static Record *
record_at (Fixture *fixture,
           guint    index)
{
  g_assert_cmpuint (fixture->records->len, >, index);
  return g_ptr_array_index (fixture->records, index);
}

static JsonNode *
request (Fixture         *fixture,
         const char      *method,
         const char      *path,
         JsonNode        *body,
         QmRequestFlags   flags,
         GError         **error)
{
  QmTestResult res = { 0 };
  JsonNode *node;

  qm_bungie_client_request_async (fixture->client, method, path, NULL, body, flags,
                                  NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_request_finish (fixture->client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return node;
}

static void
wait_for_records (Fixture *fixture,
                  guint    n)
{
  while (fixture->records->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) body = json_from_string ("{\"itemId\":\"6917529602346342813\","
                                               "\"characterId\":\"2305843009301648414\","
                                               "\"membershipType\":3}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autofree char *item_id = NULL;
  Record *r;

  first = request (fixture, "GET", "/Test/Anonymous/", NULL, QM_REQUEST_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (qm_json_get_bool (json_node_get_object (first), "ok", FALSE));
  second = request (fixture, "GET", "/Test/Authenticated/", NULL, QM_REQUEST_AUTH, &error);
  g_assert_no_error (error);
  posted = request (fixture, "POST", "/Test/Post/", body, QM_REQUEST_AUTH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->records->len, ==, 3);

  r = record_at (fixture, 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/Platform/Test/Anonymous/");
  g_assert_cmpstr (r->api_key, ==, TEST_API_KEY);
  g_assert_null (r->authorization);
  g_assert_null (r->origin);
  g_assert_true (g_str_has_prefix (r->user_agent, "Quartermaster/" PACKAGE_VERSION " AppId/"));

  r = record_at (fixture, 1);
  g_assert_cmpstr (r->path, ==, "/Platform/Test/Authenticated/");
  g_assert_cmpstr (r->api_key, ==, TEST_API_KEY);
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);
  g_assert_null (r->origin);

  r = record_at (fixture, 2);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/Platform/Test/Post/");
  g_assert_cmpstr (r->api_key, ==, TEST_API_KEY);
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);
  g_assert_cmpstr (r->content_type, ==, "application/json");
  g_assert_null (r->origin);
  sent = qm_json_parse_bytes (r->body, &error);
  g_assert_no_error (error);
  item_id = qm_json_dup_id (json_node_get_object (sent), "itemId");
  g_assert_cmpstr (item_id, ==, "6917529602346342813");
  g_assert_cmpint (qm_json_get_int (json_node_get_object (sent), "membershipType", 0), ==, 3);

  /* Debug logs name the calls but never the credentials. */
  g_assert_nonnull (strstr (fixture->log->str, "/Test/Post/"));
  g_assert_null (strstr (fixture->log->str, TEST_API_KEY));
  g_assert_null (strstr (fixture->log->str, TEST_TOKEN));
}

/* Signed out: an authenticated call goes without Authorization. */
static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  qm_bungie_client_set_access_token (fixture->client, NULL);
  node = request (fixture, "GET", "/Test/Authenticated/", NULL, QM_REQUEST_AUTH, &error);
  g_assert_no_error (error);
  g_assert_null (record_at (fixture, 0)->authorization);
  g_assert_cmpstr (record_at (fixture, 0)->api_key, ==, TEST_API_KEY);
}

static void
test_trailing_slash (Fixture       *fixture,
                     gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      qm_bungie_client_request_async (fixture->client, "GET", "/Destiny2/Manifest", NULL, NULL,
                                      QM_REQUEST_NONE, NULL, NULL, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
  g_assert_cmpuint (fixture->records->len, ==, 0);
}

static void
test_http_500_envelope (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = request (fixture, "POST", "/NoRoom/", NULL, QM_REQUEST_AUTH, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION);
  g_assert_nonnull (strstr (error->message, "no item slots"));
}

static void
test_html_page (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = request (fixture, "GET", "/Html/", NULL, QM_REQUEST_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
  g_assert_nonnull (strstr (error->message, "502"));
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = request (fixture, "GET", "/Drop/", NULL, QM_REQUEST_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach Bungie.net"));
  g_assert_cmpuint (fixture->records->len, >=, 1);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };
  g_autofree char *origin = g_strdup (fixture->origin);

  /* Nobody listens on the port any more. */
  soup_server_disconnect (fixture->server);
  client = qm_bungie_client_new (origin, TEST_API_KEY);
  qm_bungie_client_request_async (client, "GET", "/Destiny2/Manifest/", NULL, NULL,
                                  QM_REQUEST_NONE, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_request_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  qm_bungie_client_set_timeout (fixture->client, 1);
  node = request (fixture, "GET", "/Hang/", NULL, QM_REQUEST_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_TIMEOUT);
  g_assert_cmpuint (fixture->paused->len, ==, 1);
}

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  qm_bungie_client_request_async (fixture->client, "GET", "/Hang/", NULL, NULL,
                                  QM_REQUEST_NONE, cancellable, qm_test_result_cb, &res);
  wait_for_records (fixture, 1);
  g_cancellable_cancel (cancellable);
  node = qm_bungie_client_request_finish (fixture->client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  g_cancellable_cancel (cancellable);
  qm_bungie_client_request_async (fixture->client, "GET", "/Test/", NULL, NULL,
                                  QM_REQUEST_NONE, cancellable, qm_test_result_cb, &res);
  node = qm_bungie_client_request_finish (fixture->client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->records->len, ==, 0);
}

static void
test_throttle_retry (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start = g_get_monotonic_time ();

  fixture->throttle_first = 1;
  node = request (fixture, "GET", "/Throttle/", NULL, QM_REQUEST_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (qm_json_get_bool (json_node_get_object (node), "ok", FALSE));
  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (record_at (fixture, 1)->time - record_at (fixture, 0)->time, >=,
                   G_USEC_PER_SEC);
}

static void
test_throttle_exhausted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture->throttle_first = G_MAXUINT;
  qm_bungie_client_set_max_throttle_retries (fixture->client, 1);
  node = request (fixture, "GET", "/Throttle/", NULL, QM_REQUEST_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MOMENTARILY);
  g_assert_cmpuint (fixture->records->len, ==, 2);
}

static void
test_throttle_no_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture->throttle_first = G_MAXUINT;
  qm_bungie_client_set_max_throttle_retries (fixture->client, 0);
  node = request (fixture, "GET", "/Throttle/", NULL, QM_REQUEST_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MOMENTARILY);
  g_assert_cmpuint (fixture->records->len, ==, 1);
}

/* Cancelled while waiting out ThrottleSeconds: no retry reaches the server. */
static void
test_throttle_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  fixture->throttle_first = G_MAXUINT;
  qm_bungie_client_request_async (fixture->client, "GET", "/Throttle/", NULL, NULL,
                                  QM_REQUEST_NONE, cancellable, qm_test_result_cb, &res);
  wait_for_records (fixture, 1);
  g_cancellable_cancel (cancellable);
  node = qm_bungie_client_request_finish (fixture->client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->records->len, ==, 1);
}

static JsonNode *
action_body (int index)
{
  g_autofree char *text = g_strdup_printf ("{\"itemId\":\"%d\",\"characterId\":\"1\","
                                           "\"membershipType\":3}", 1000 + index);

  return json_from_string (text, NULL);
}

static void
test_item_spacing (Fixture       *fixture,
                   gconstpointer  data)
{
  QmTestResult res[5] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    {
      g_autoptr(JsonNode) body = action_body (i);

      qm_bungie_client_action_async (fixture->client, "TransferItem", body, NULL,
                                     qm_test_result_cb, &res[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = qm_bungie_client_action_finish (fixture->client, qm_test_wait_result (&res[i]),
                                             &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_node_get_int (node), ==, 0);
      qm_test_result_clear (&res[i]);
    }

  g_assert_cmpuint (fixture->records->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      Record *r = record_at (fixture, i);
      g_autoptr(JsonNode) sent = qm_json_parse_bytes (r->body, NULL);
      g_autofree char *item_id = qm_json_dup_id (json_node_get_object (sent), "itemId");
      g_autofree char *expected = g_strdup_printf ("%u", 1000 + i);

      /* In order, one at a time, spaced. */
      g_assert_cmpstr (r->path, ==, "/Platform/Destiny2/Actions/Items/TransferItem/");
      g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);
      g_assert_cmpstr (item_id, ==, expected);
      if (i > 0)
        g_assert_cmpint (r->time - record_at (fixture, i - 1)->time, >=,
                         95 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
test_loadout_spacing (Fixture       *fixture,
                      gconstpointer  data)
{
  QmTestResult res[2] = { 0 };
  const char *names[2] = { "EquipLoadout", "ClearLoadout" };

  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    {
      g_autoptr(JsonNode) body = json_from_string ("{\"loadoutIndex\":0,\"characterId\":\"1\","
                                                   "\"membershipType\":3}", NULL);

      qm_bungie_client_action_async (fixture->client, names[i], body, NULL,
                                     qm_test_result_cb, &res[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = qm_bungie_client_action_finish (fixture->client, qm_test_wait_result (&res[i]),
                                             &error);
      g_assert_no_error (error);
      qm_test_result_clear (&res[i]);
    }

  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_cmpstr (record_at (fixture, 0)->path, ==,
                   "/Platform/Destiny2/Actions/Loadouts/EquipLoadout/");
  g_assert_cmpstr (record_at (fixture, 1)->path, ==,
                   "/Platform/Destiny2/Actions/Loadouts/ClearLoadout/");
  g_assert_cmpint (record_at (fixture, 1)->time - record_at (fixture, 0)->time, >=,
                   G_USEC_PER_SEC);
}

/* A queued action cancelled before its turn ends at once and the queue goes on. */
static void
test_cancel_queued (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  QmTestResult res[3] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    {
      g_autoptr(JsonNode) body = action_body (i);

      qm_bungie_client_action_async (fixture->client, "EquipItem", body,
                                     i == 1 ? cancellable : NULL,
                                     qm_test_result_cb, &res[i]);
    }
  g_cancellable_cancel (cancellable);

  qm_test_wait_result (&res[1]);
  /* The cancelled call finished while the last one was still waiting. */
  g_assert_null (res[2].result);
  node = qm_bungie_client_action_finish (fixture->client, res[1].result, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  for (guint i = 0; i < G_N_ELEMENTS (res); i += 2)
    {
      g_autoptr(GError) action_error = NULL;
      g_autoptr(JsonNode) result = NULL;

      result = qm_bungie_client_action_finish (fixture->client, qm_test_wait_result (&res[i]),
                                               &action_error);
      g_assert_no_error (action_error);
      g_assert_nonnull (result);
    }
  for (guint i = 0; i < G_N_ELEMENTS (res); i++)
    qm_test_result_clear (&res[i]);

  g_assert_cmpuint (fixture->records->len, ==, 2);
  g_assert_nonnull (strstr (g_bytes_get_data (record_at (fixture, 1)->body, NULL), "1002"));
}

static void
test_insecure_origin (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmBungieClient) client = qm_bungie_client_new ("http://example.invalid", TEST_API_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  qm_bungie_client_set_access_token (client, TEST_TOKEN);
  qm_bungie_client_request_async (client, "GET", "/Destiny2/Manifest/", NULL, NULL,
                                  QM_REQUEST_AUTH, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_request_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
  g_assert_null (strstr (error->message, TEST_API_KEY));
}

static void
test_insecure_origin_action (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(QmBungieClient) client = qm_bungie_client_new ("http://192.0.2.1:8080/", TEST_API_KEY);
  g_autoptr(JsonNode) body = action_body (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  g_assert_cmpstr (qm_bungie_client_get_origin (client), ==, "http://192.0.2.1:8080");
  qm_bungie_client_action_async (client, "TransferItem", body, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_action_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
}

static void
test_endpoints (Fixture       *fixture,
                gconstpointer  data)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  g_autoptr(JsonNode) memberships = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) vendor = NULL;
  g_autoptr(JsonNode) vendors = NULL;
  Record *r;

  qm_bungie_client_get_manifest_async (fixture->client, NULL, qm_test_result_cb, &res);
  manifest = qm_bungie_client_get_manifest_finish (fixture->client, qm_test_wait_result (&res),
                                                   &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  qm_bungie_client_get_memberships_async (fixture->client, NULL, qm_test_result_cb, &res);
  memberships = qm_bungie_client_get_memberships_finish (fixture->client,
                                                         qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  qm_bungie_client_get_profile_async (fixture->client, 3, "4611686018467284386",
                                      "100,102,200", NULL, qm_test_result_cb, &res);
  profile = qm_bungie_client_get_profile_finish (fixture->client, qm_test_wait_result (&res),
                                                 &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  qm_bungie_client_get_vendor_async (fixture->client, 3, "4611686018467284386",
                                     "2305843009301648414", 2190858386u, "400,402",
                                     NULL, qm_test_result_cb, &res);
  vendor = qm_bungie_client_get_vendor_finish (fixture->client, qm_test_wait_result (&res),
                                               &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  qm_bungie_client_get_vendor_async (fixture->client, 3, "4611686018467284386",
                                     "2305843009301648414", 0, "400",
                                     NULL, qm_test_result_cb, &res);
  vendors = qm_bungie_client_get_vendor_finish (fixture->client, qm_test_wait_result (&res),
                                                &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  g_assert_cmpuint (fixture->records->len, ==, 5);
  r = record_at (fixture, 0);
  g_assert_cmpstr (r->path, ==, "/Platform/Destiny2/Manifest/");
  g_assert_null (r->authorization);
  g_assert_cmpstr (r->api_key, ==, TEST_API_KEY);

  r = record_at (fixture, 1);
  g_assert_cmpstr (r->path, ==, "/Platform/User/GetMembershipsForCurrentUser/");
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);

  r = record_at (fixture, 2);
  g_assert_cmpstr (r->path, ==, "/Platform/Destiny2/3/Profile/4611686018467284386/");
  g_assert_cmpstr (r->query, ==, "components=100,102,200");
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);

  r = record_at (fixture, 3);
  g_assert_cmpstr (r->path, ==, "/Platform/Destiny2/3/Profile/4611686018467284386/"
                                "Character/2305843009301648414/Vendors/2190858386/");
  g_assert_cmpstr (r->query, ==, "components=400,402");
  g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);

  r = record_at (fixture, 4);
  g_assert_cmpstr (r->path, ==, "/Platform/Destiny2/3/Profile/4611686018467284386/"
                                "Character/2305843009301648414/Vendors/");
  g_assert_cmpstr (r->query, ==, "components=400");
}

static void
test_action_paths (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *names[] = {
    "PullFromPostmaster", "EquipItems", "SetLockState", "SnapshotLoadout",
    "UpdateLoadoutIdentifiers",
  };
  static const char *paths[] = {
    "/Platform/Destiny2/Actions/Items/PullFromPostmaster/",
    "/Platform/Destiny2/Actions/Items/EquipItems/",
    "/Platform/Destiny2/Actions/Items/SetLockState/",
    "/Platform/Destiny2/Actions/Loadouts/SnapshotLoadout/",
    "/Platform/Destiny2/Actions/Loadouts/UpdateLoadoutIdentifiers/",
  };
  QmTestResult res[G_N_ELEMENTS (names)] = { 0 };

  /* Item and loadout actions wait on separate queues, so this takes
   * about one loadout interval, not the sum. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonNode) body = action_body (i);

      qm_bungie_client_action_async (fixture->client, names[i], body, NULL,
                                     qm_test_result_cb, &res[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = qm_bungie_client_action_finish (fixture->client, qm_test_wait_result (&res[i]),
                                             &error);
      g_assert_no_error (error);
      qm_test_result_clear (&res[i]);
    }

  g_assert_cmpuint (fixture->records->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < fixture->records->len; j++)
        {
          Record *r = record_at (fixture, j);

          if (g_str_equal (r->path, paths[i]))
            {
              found = TRUE;
              g_assert_cmpstr (r->method, ==, "POST");
              g_assert_cmpstr (r->authorization, ==, "Bearer " TEST_TOKEN);
              g_assert_cmpstr (r->content_type, ==, "application/json");
            }
        }
      g_assert_true (found);
    }
}

static void
test_unknown_action (Fixture       *fixture,
                     gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(JsonNode) body = action_body (0);

      qm_bungie_client_action_async (fixture->client, "DeleteEverything", body, NULL, NULL, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

static GBytes *
fetch (Fixture     *fixture,
       const char  *path,
       GError     **error)
{
  QmTestResult res = { 0 };
  GBytes *bytes;

  qm_bungie_client_fetch_async (fixture->client, path, NULL, qm_test_result_cb, &res);
  bytes = qm_bungie_client_fetch_finish (fixture->client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return bytes;
}

static void
test_fetch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) missing = NULL;
  Record *r;

  content = fetch (fixture, "/common/content.json?v=42", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                   "{\"content\":true}", 16);

  missing = fetch (fixture, "/common/missing.json", &error);
  g_assert_null (missing);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "404"));

  r = record_at (fixture, 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/common/content.json");
  g_assert_cmpstr (r->query, ==, "v=42");
  g_assert_null (r->authorization);
  g_assert_null (r->api_key);
  g_assert_null (r->origin);
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  add_test ("/bungie-client/headers", test_headers);
  add_test ("/bungie-client/no-token", test_no_token);
  add_test ("/bungie-client/trailing-slash", test_trailing_slash);
  add_test ("/bungie-client/http-500-envelope", test_http_500_envelope);
  add_test ("/bungie-client/html-page", test_html_page);
  add_test ("/bungie-client/dropped-connection", test_dropped_connection);
  add_test ("/bungie-client/connection-refused", test_connection_refused);
  add_test ("/bungie-client/timeout", test_timeout);
  add_test ("/bungie-client/cancel/in-flight", test_cancel_in_flight);
  add_test ("/bungie-client/cancel/before-start", test_cancel_before_start);
  add_test ("/bungie-client/cancel/queued", test_cancel_queued);
  add_test ("/bungie-client/throttle/retry", test_throttle_retry);
  add_test ("/bungie-client/throttle/exhausted", test_throttle_exhausted);
  add_test ("/bungie-client/throttle/no-retry", test_throttle_no_retry);
  add_test ("/bungie-client/throttle/cancel", test_throttle_cancel);
  add_test ("/bungie-client/spacing/items", test_item_spacing);
  add_test ("/bungie-client/spacing/loadouts", test_loadout_spacing);
  add_test ("/bungie-client/insecure-origin/request", test_insecure_origin);
  add_test ("/bungie-client/insecure-origin/action", test_insecure_origin_action);
  add_test ("/bungie-client/endpoints", test_endpoints);
  add_test ("/bungie-client/actions", test_action_paths);
  add_test ("/bungie-client/unknown-action", test_unknown_action);
  add_test ("/bungie-client/fetch", test_fetch);

  return g_test_run ();
}
