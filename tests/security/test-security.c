/* test-security.c: what an attacker would try, against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - No secret (token, cookie value, authorization or grant code, password,
 *   client secret) in any file under HOME and the XDG directories, nor in the
 *   debug log, after both sign-ins, a refresh and a sign-out through the
 *   session (the object below the window and the CLI).
 * - Files under the XDG cache and data directories readable by the user
 *   only: files 0600, directories 0700.
 * - Credentials never go to a third origin: a listener on loopback records
 *   every connection it gets, while the configured origin answers the PSN
 *   login, the token endpoint and API calls with every redirect trick.
 * - Plain http to anything but loopback refused in every spelling, before
 *   any connection.
 * - The OAuth state enforced: a replayed callback is refused, also while a
 *   later sign-in waits.
 */

#define G_LOG_DOMAIN "test-security"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qm-error.h"
#include "qm-oauth2-flow.h"
#include "qm-psn-flow.h"
#include "qm-sandbox-approve.h"
#include "qm-session.h"
#include "qm-test-utils.h"

#define SIGN_IN_PATH "/en/User/SignIn/Psnid"
#define TEST_API_KEY "security-test-api-key"
#define TEST_TOKEN   "security-test-access-token-5be1"

static GString *captured_log;

/* ---------------------------------------------------------------------- */
/* The third origin: a listener that records whatever reaches it           */

typedef struct
{
  GSocketService *service;
  guint           port;
  guint           connections;
  GString        *received;
} Listener;

static void
on_listener_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = user_data;
  Listener *listener = g_object_get_data (G_OBJECT (connection), "listener");
  char *buffer = g_object_get_data (G_OBJECT (connection), "buffer");
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0 && listener != NULL)
    g_string_append_len (listener->received, buffer, n);
  /* Whatever it was, nothing is answered. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
on_incoming_cb (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source,
                gpointer           user_data)
{
  Listener *listener = user_data;
  char *buffer = g_malloc (4096);

  listener->connections++;
  g_object_set_data (G_OBJECT (connection), "listener", listener);
  g_object_set_data_full (G_OBJECT (connection), "buffer", buffer, g_free);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, 4096,
                             G_PRIORITY_DEFAULT, NULL, on_listener_read_cb, g_object_ref (connection));
  return TRUE;
}

static Listener *
listener_new (void)
{
  Listener *listener = g_new0 (Listener, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  listener->received = g_string_new (NULL);
  listener->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (listener->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  listener->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (listener->service, "incoming", G_CALLBACK (on_incoming_cb), listener);
  g_socket_service_start (listener->service);
  return listener;
}

static void
listener_free (Listener *listener)
{
  g_socket_service_stop (listener->service);
  g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
  g_signal_handlers_disconnect_by_data (listener->service, listener);
  g_clear_object (&listener->service);
  /* Reads still pending find no listener. */
  qm_test_spin (20);
  g_string_free (listener->received, TRUE);
  g_free (listener);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Listener, listener_free)

static void
assert_nothing_received (Listener   *listener,
                         const char *trick)
{
  /* Give a connection on its way the time to arrive. */
  qm_test_spin (50);
  if (listener->connections != 0)
    g_error ("%s: the third origin got %u connection(s): %.200s", trick, listener->connections,
             listener->received->str);
}

/* Every way a Location can name the third origin (port @port on this
 * computer) while @own ("127.0.0.1:PORT") is the configured origin. */
static GPtrArray *
redirect_tricks (const char *own,
                 guint       port)
{
  GPtrArray *tricks = g_ptr_array_new_with_free_func (g_free);

  /* User information: the configured host dressed as the third one. */
  g_ptr_array_add (tricks, g_strdup_printf ("http://%s@127.0.0.1:%u/steal", own, port));
  g_ptr_array_add (tricks, g_strdup_printf ("http://bungie:pw@127.0.0.1:%u/steal", port));
  /* Network-path reference: scheme of the page, host of the third. */
  g_ptr_array_add (tricks, g_strdup_printf ("//127.0.0.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("///127.0.0.1:%u/steal", port));
  /* Backslashes, which browsers read as slashes. */
  g_ptr_array_add (tricks, g_strdup_printf ("\\\\127.0.0.1:%u\\steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("/\\127.0.0.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http:\\\\127.0.0.1:%u\\steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http://%s\\@127.0.0.1:%u/steal", own, port));
  /* The same host on another port, and another spelling of it. */
  g_ptr_array_add (tricks, g_strdup_printf ("http://127.0.0.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http://localhost:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http://127.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http://2130706433:%u/steal", port));
  /* Another scheme. */
  g_ptr_array_add (tricks, g_strdup_printf ("https://127.0.0.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("HTTP://127.0.0.1:%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("ws://127.0.0.1:%u/steal", port));
  /* Encoded. */
  g_ptr_array_add (tricks, g_strdup_printf ("http://127.0.0.1%%3A%u/steal", port));
  g_ptr_array_add (tricks, g_strdup_printf ("http:%%2F%%2F127.0.0.1:%u/steal", port));
  return tricks;
}

/* ---------------------------------------------------------------------- */
/* The configured origin, answering with a trick                           */

typedef enum
{
  TRICKSTER_PSN,     /* a PSN chain whose login answers with the trick */
  TRICKSTER_ALL,     /* every request answered with the trick */
} TricksterKind;

typedef struct
{
  SoupServer    *server;
  TricksterKind  kind;
  char          *origin;      /* http://127.0.0.1:PORT */
  char          *host_port;   /* 127.0.0.1:PORT */
  const char    *location;    /* the trick of the moment */
  guint          status;      /* its status: 302 or 307 */
  guint          requests;
  guint          logins;
} Trickster;

static void
reply_redirect (SoupServerMessage *msg,
                guint              status,
                const char        *location)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  soup_server_message_set_status (msg, status, NULL);
}

static void
on_trickster_request_cb (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  Trickster *trickster = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  static const char page[] = "<html><body>page</body></html>";

  trickster->requests++;
  if (trickster->kind == TRICKSTER_ALL)
    {
      reply_redirect (msg, trickster->status, trickster->location);
      return;
    }
  /* The classic chain, as in test-psn-flow.c, up to the password. */
  if (g_str_equal (path, SIGN_IN_PATH))
    {
      soup_message_headers_append (headers, "Set-Cookie", "JSESSIONID=tricksession; Path=/; HttpOnly");
      reply_redirect (msg, SOUP_STATUS_FOUND, "/signin/?response_type=code&state=s");
    }
  else if (g_str_equal (path, "/login.do"))
    {
      trickster->logins++;
      reply_redirect (msg, trickster->status, trickster->location);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
    }
}

static Trickster *
trickster_new (TricksterKind kind)
{
  Trickster *trickster = g_new0 (Trickster, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  trickster->kind = kind;
  trickster->status = SOUP_STATUS_FOUND;
  trickster->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (trickster->server, NULL, on_trickster_request_cb, trickster, NULL);
  soup_server_listen_local (trickster->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (trickster->server);
  trickster->host_port = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  trickster->origin = g_strconcat ("http://", trickster->host_port, NULL);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return trickster;
}

static void
trickster_free (Trickster *trickster)
{
  soup_server_disconnect (trickster->server);
  g_clear_object (&trickster->server);
  g_free (trickster->origin);
  g_free (trickster->host_port);
  g_free (trickster);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Trickster, trickster_free)

static QmConfig *
config_new (const char *origin,
            const char *psn_origin)
{
  QmConfig *config = qm_config_new_default ();

  g_free (config->origin);
  config->origin = g_strdup (origin);
  g_free (config->psn_origin);
  config->psn_origin = g_strdup (psn_origin);
  g_free (config->api_key);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  g_free (config->client_id);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  g_free (config->client_secret);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  g_free (config->redirect_uri);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  return config;
}

/* ---------------------------------------------------------------------- */
/* Redirect tricks                                                         */

/* The PSN chain: the password went to the configured PSN origin, whose
 * answer sends the chain (and its grant code) elsewhere. */
static void
test_redirect_psn (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(Trickster) trickster = trickster_new (TRICKSTER_PSN);
  g_autoptr(GPtrArray) tricks = redirect_tricks (trickster->host_port, listener->port);
  g_autoptr(QmConfig) config = config_new (trickster->origin, trickster->origin);

  for (guint i = 0; i < tricks->len; i++)
    for (guint s = 0; s < 2; s++)
      {
        g_autoptr(QmPsnFlow) flow = qm_psn_flow_new (config);
        g_autoptr(QmToken) token = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *location = g_strconcat (tricks->pdata[i], "?code=grant1", NULL);
        QmTestResult res = { 0 };
        guint logins = trickster->logins;

        trickster->location = location;
        trickster->status = s == 0 ? SOUP_STATUS_FOUND : SOUP_STATUS_TEMPORARY_REDIRECT;
        qm_psn_flow_sign_in_async (flow, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD, NULL,
                                   qm_test_result_cb, &res);
        token = qm_psn_flow_sign_in_finish (flow, qm_test_wait_result (&res), &error);
        qm_test_result_clear (&res);
        g_test_message ("%u %s: %s", trickster->status, location, error != NULL ? error->message : "signed in");
        g_assert_null (token);
        g_assert_nonnull (error);
        g_assert_cmpuint (trickster->logins, ==, logins + 1);
        assert_nothing_received (listener, location);
      }
}

/* The token endpoint, for a code and for a refresh token: a redirect is
 * not followed (a 307 would carry the client secret along). */
static void
test_redirect_token (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(Trickster) trickster = trickster_new (TRICKSTER_ALL);
  g_autoptr(GPtrArray) tricks = redirect_tricks (trickster->host_port, listener->port);
  g_autoptr(QmConfig) config = config_new (trickster->origin, trickster->origin);
  static const char * const grants[] = { "authorization_code", "refresh_token" };

  for (guint i = 0; i < tricks->len; i++)
    for (guint s = 0; s < 2; s++)
      for (guint g = 0; g < G_N_ELEMENTS (grants); g++)
        {
          g_autoptr(QmToken) token = NULL;
          g_autoptr(GError) error = NULL;
          QmTestResult res = { 0 };
          guint requests = trickster->requests;

          trickster->location = tricks->pdata[i];
          trickster->status = s == 0 ? SOUP_STATUS_FOUND : SOUP_STATUS_TEMPORARY_REDIRECT;
          qm_oauth2_token_request_async (config, grants[g], "grant-value-8d1f", NULL, qm_test_result_cb, &res);
          token = qm_oauth2_token_request_finish (qm_test_wait_result (&res), &error);
          qm_test_result_clear (&res);
          g_assert_null (token);
          g_assert_nonnull (error);
          g_assert_cmpuint (trickster->requests, ==, requests + 1);
          assert_nothing_received (listener, trickster->location);
        }
}

/* API calls (the API key and the access token in the headers), reads and
 * actions alike. */
static void
test_redirect_api (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(Trickster) trickster = trickster_new (TRICKSTER_ALL);
  g_autoptr(GPtrArray) tricks = redirect_tricks (trickster->host_port, listener->port);
  g_autoptr(QmBungieClient) client = qm_bungie_client_new (trickster->origin, TEST_API_KEY);

  qm_bungie_client_set_access_token (client, TEST_TOKEN);
  for (guint i = 0; i < tricks->len; i++)
    for (guint s = 0; s < 2; s++)
      {
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(GError) error = NULL;
        QmTestResult res = { 0 };
        guint requests = trickster->requests;

        trickster->location = tricks->pdata[i];
        trickster->status = s == 0 ? SOUP_STATUS_FOUND : SOUP_STATUS_TEMPORARY_REDIRECT;
        qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
        node = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
        qm_test_result_clear (&res);
        g_assert_null (node);
        g_assert_nonnull (error);
        g_assert_null (strstr (error->message, TEST_TOKEN));
        g_assert_null (strstr (error->message, TEST_API_KEY));
        g_assert_cmpuint (trickster->requests, >, requests);
        assert_nothing_received (listener, trickster->location);
      }
}

/* ---------------------------------------------------------------------- */
/* Plain http                                                              */

/* Spellings of plain http that are not loopback to the origin check, though
 * some of them reach this computer (here: the listener) when connected to.
 * Each of the three ways credentials leave refuses them before connecting. */
static void
test_plain_http (void)
{
  g_autoptr(Listener) listener = listener_new ();
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func (g_free);
  guint port = listener->port;

  g_ptr_array_add (origins, g_strdup ("http://www.bungie.net"));
  g_ptr_array_add (origins, g_strdup ("HTTP://www.bungie.net"));
  g_ptr_array_add (origins, g_strdup ("hTtP://www.bungie.net:443"));
  g_ptr_array_add (origins, g_strdup_printf ("http://127.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://2130706433:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://0x7f000001:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://0177.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://127.000.000.001:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://127.0.0.2:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://[::ffff:127.0.0.1]:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://localhost.:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://www.bungie.net@127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://127.0.0.1:%u@www.bungie.net", port));
  g_ptr_array_add (origins, g_strdup_printf ("http://www.bungie.net\\@127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http:\\\\127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http:127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("http:/127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("//127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf (" http://127.0.0.1:%u", port));
  g_ptr_array_add (origins, g_strdup_printf ("ws://127.0.0.1:%u", port));

  for (guint i = 0; i < origins->len; i++)
    {
      const char *origin = origins->pdata[i];
      g_autoptr(QmConfig) config = config_new (origin, origin);
      g_autoptr(QmBungieClient) client = qm_bungie_client_new (origin, TEST_API_KEY);
      g_autoptr(QmPsnFlow) psn = qm_psn_flow_new (config);
      g_autoptr(QmToken) token = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      QmTestResult res = { 0 };

      g_test_message ("%s", origin);
      g_assert_false (qm_origin_is_trusted (origin));

      qm_bungie_client_set_access_token (client, TEST_TOKEN);
      qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
      node = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
      qm_test_result_clear (&res);
      g_assert_null (node);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
      g_clear_error (&error);

      qm_oauth2_token_request_async (config, "refresh_token", "grant-value-8d1f", NULL, qm_test_result_cb, &res);
      token = qm_oauth2_token_request_finish (qm_test_wait_result (&res), &error);
      qm_test_result_clear (&res);
      g_assert_null (token);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
      g_clear_error (&error);

      qm_psn_flow_sign_in_async (psn, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD, NULL,
                                 qm_test_result_cb, &res);
      token = qm_psn_flow_sign_in_finish (psn, qm_test_wait_result (&res), &error);
      qm_test_result_clear (&res);
      g_assert_null (token);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);

      assert_nothing_received (listener, origin);
    }
}

/* ---------------------------------------------------------------------- */
/* The session: sign-ins, refresh, sign-out                                */

typedef struct
{
  QmSandbox *sandbox;
  QmSession *session;
  GSettings *settings;
  char      *last_redirect;   /* the callback the browser last brought */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();

  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->settings = g_settings_new ("io.github.quartermaster.Quartermaster");
  fixture->session = qm_session_new (fixture->settings);
  config = qm_sandbox_dup_config (fixture->sandbox);
  qm_session_set_account (fixture->session, config, store, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_settings_reset (fixture->settings, "shown-membership-id");
  g_settings_reset (fixture->settings, "membership-id");
  g_clear_object (&fixture->settings);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_free (fixture->last_redirect);
}

typedef struct
{
  Fixture *fixture;
  gboolean deliver;    /* hand the callback to the session */
} Browser;

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Browser *browser = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

  g_assert_no_error (error);
  g_free (browser->fixture->last_redirect);
  browser->fixture->last_redirect = g_strdup (redirect);
  if (browser->deliver)
    {
      g_assert_true (qm_session_handle_redirect (browser->fixture->session, redirect, &error));
      g_assert_no_error (error);
    }
}

static void
approve_launcher (QmOAuth2Flow *flow,
                  const char   *uri,
                  gpointer      user_data)
{
  Browser *browser = user_data;

  g_assert_true (g_str_has_prefix (uri, qm_sandbox_get_bungie_origin (browser->fixture->sandbox)));
  qm_sandbox_approve_async (uri, TRUE, NULL, on_approved_cb, browser);
}

static void
sign_in_oauth (Fixture *fixture)
{
  Browser browser = { fixture, TRUE };
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_session_set_uri_launcher (fixture->session, approve_launcher, &browser, NULL);
  qm_session_sign_in_oauth_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  qm_session_set_uri_launcher (fixture->session, NULL, NULL, NULL);
}

static void
sign_in_psn (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_session_sign_in_psn_async (fixture->session, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD,
                                NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
}

static void
load (Fixture *fixture)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_session_refresh_async (fixture->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (fixture->session, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_nonnull (inventory);
}

static void
sign_out (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_session_sign_out_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_out_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_false (qm_session_get_signed_in (fixture->session));
}

/* Binary-safe: files may hold NUL bytes. */
static gboolean
contains (const char *text,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i + n <= length; i++)
    if (text[i] == needle[0] && memcmp (text + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_no_secret (GStrv       secrets,
                  const char *where,
                  const char *text,
                  gsize       length)
{
  for (guint i = 0; secrets[i] != NULL; i++)
    if (contains (text, length, secrets[i]))
      g_error ("secret #%u (%zu characters) found in %s", i, strlen (secrets[i]), where);
}

typedef struct
{
  GStrv secrets;
  guint n_files;
  guint n_private_checked;
} Scan;

/* Every regular file under @dir holds no secret; with @private, each is
 * 0600 and each directory below @dir 0700. */
static void
scan_tree (Scan       *scan,
           const char *dir,
           gboolean    private)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      g_assert_cmpint (g_lstat (path, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        {
          if (private && (st.st_mode & 0777) != 0700)
            g_error ("%s: mode %o, not 0700", path, st.st_mode & 0777);
          scan_tree (scan, path, private);
        }
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (private && (st.st_mode & 0777) != 0600)
            g_error ("%s: mode %o, not 0600", path, st.st_mode & 0777);
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          assert_no_secret (scan->secrets, path, contents, length);
          scan->n_files++;
        }
      if (private)
        scan->n_private_checked++;
    }
}

/* Both sign-ins, loads (profile and definitions written to the cache), a
 * refresh of the OAuth token and a sign-out, with a recording kept: then no
 * secret anywhere, and the caches private. */
static void
test_session_secrets (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *recording = g_build_filename (g_get_user_data_dir (), "recording.jsonl", NULL);
  g_autofree char *profiles = g_build_filename (g_get_user_cache_dir (), "quartermaster", "profiles", NULL);
  g_autofree char *manifest = g_build_filename (g_get_user_cache_dir (), "quartermaster", "manifest", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) issued = NULL;
  Scan scan = { 0 };
  guint refreshes;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  /* Directories left open by an earlier version are closed. */
  g_assert_cmpint (g_mkdir_with_parents (profiles, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (manifest, 0755), ==, 0);
  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, recording, &error));
  g_assert_no_error (error);
  g_string_truncate (captured_log, 0);

  sign_in_oauth (fixture);
  load (fixture);
  /* The access token expires: the next load refreshes it. */
  refreshes = qm_sandbox_get_call_count (fixture->sandbox, "Token");
  qm_sandbox_expire_access_tokens (fixture->sandbox);
  load (fixture);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), >, refreshes);
  /* The profile is kept until the sign-out: private meanwhile. */
  {
    Scan before = { (GStrv) (const char * const []) { QM_SANDBOX_DEMO_PSN_PASSWORD, NULL }, 0, 0 };

    g_assert_true (g_file_test (profiles, G_FILE_TEST_IS_DIR));
    scan_tree (&before, g_get_user_cache_dir (), TRUE);
    g_assert_cmpuint (before.n_files, >=, 2);
  }
  sign_out (fixture);

  sign_in_psn (fixture);
  load (fixture);
  sign_out (fixture);

  /* What the scan looks for: everything the sandbox handed out, and what
   * the app holds of its own. */
  issued = qm_sandbox_dup_issued_secrets (fixture->sandbox);
  for (guint i = 0; issued[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (issued[i]));
  g_ptr_array_add (all, g_strdup (QM_SANDBOX_DEMO_PSN_PASSWORD));
  g_ptr_array_add (all, g_strdup (QM_SANDBOX_CLIENT_SECRET));
  g_ptr_array_add (all, NULL);
  scan.secrets = (GStrv) all->pdata;
  /* An access and a refresh token, both rotated, a code, the PSN chain's. */
  g_assert_cmpuint (g_strv_length (issued), >=, 8);

  /* The scanner finds what it looks for. */
  g_assert_true (contains ("\0x\0 sandbox-demo", 16, QM_SANDBOX_DEMO_PSN_PASSWORD));

  assert_no_secret (scan.secrets, "the debug log", captured_log->str, captured_log->len);
  /* The debug log did run. */
  g_assert_nonnull (strstr (captured_log->str, "qm-"));

  /* The caches and the recording were written, privately. */
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (recording, G_FILE_TEST_IS_REGULAR));
  scan_tree (&scan, g_get_user_cache_dir (), TRUE);
  scan_tree (&scan, g_get_user_data_dir (), TRUE);
  scan_tree (&scan, g_get_user_state_dir (), TRUE);
  scan_tree (&scan, g_get_user_config_dir (), FALSE);
  scan_tree (&scan, g_get_home_dir (), FALSE);
  g_test_message ("%u files scanned, %u entries checked for their mode", scan.n_files, scan.n_private_checked);
  g_assert_cmpuint (scan.n_files, >=, 2);
}

/* A callback the browser brings back twice: the second time, and while a
 * later sign-in waits with a state of its own, it is refused and its code
 * not exchanged. */
static void
test_replayed_callback (Fixture       *fixture,
                        gconstpointer  data)
{
  Browser browser = { fixture, FALSE };
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  QmTestResult res = { 0 };
  guint exchanges;

  sign_in_oauth (fixture);
  first = g_strdup (fixture->last_redirect);
  g_assert_nonnull (strstr (first, "state="));
  exchanges = qm_sandbox_get_call_count (fixture->sandbox, "Token");

  /* Signed in, nobody waiting. */
  g_assert_false (qm_session_handle_redirect (fixture->session, first, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);

  /* A later sign-in waits for its own callback; the old one comes. */
  qm_session_set_uri_launcher (fixture->session, approve_launcher, &browser, NULL);
  qm_session_sign_in_oauth_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_get_waiting_for_redirect (fixture->session));
  while (g_strcmp0 (fixture->last_redirect, first) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (qm_session_handle_redirect (fixture->session, first, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
  g_clear_error (&error);
  qm_test_spin (50);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, exchanges);

  /* Its own callback, with the state it sent, still signs in. */
  if (qm_session_get_waiting_for_redirect (fixture->session))
    {
      g_assert_true (qm_session_handle_redirect (fixture->session, fixture->last_redirect, &error));
      g_assert_no_error (error);
      g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, exchanges + 1);
    }
  else
    {
      /* A state mismatch ends the sign-in that waited. */
      g_assert_false (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
      g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
    }
  qm_test_result_clear (&res);
  g_clear_error (&error);
  qm_session_set_uri_launcher (fixture->session, NULL, NULL, NULL);

  /* The first callback's code was spent with its state. */
  g_assert_false (qm_session_handle_redirect (fixture->session, first, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
}

int
main (int   argc,
      char *argv[])
{
  /* Debug output included: it must hold no secret either. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  qm_test_init (&argc, &argv);
  captured_log = qm_test_capture_log ();

  g_test_add_func ("/security/redirect/psn", test_redirect_psn);
  g_test_add_func ("/security/redirect/token", test_redirect_token);
  g_test_add_func ("/security/redirect/api", test_redirect_api);
  g_test_add_func ("/security/plain-http", test_plain_http);
  g_test_add ("/security/session/secrets-and-modes", Fixture, NULL, fixture_set_up, test_session_secrets,
              fixture_tear_down);
  g_test_add ("/security/session/replayed-callback", Fixture, NULL, fixture_set_up, test_replayed_callback,
              fixture_tear_down);
  return g_test_run ();
}
