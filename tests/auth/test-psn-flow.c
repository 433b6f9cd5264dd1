/* test-psn-flow.c: the classic PSN redirect chain against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "qm-auth-manager.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-psn-flow.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

#define SIGN_IN_PATH "/en/User/SignIn/Psnid"

static QmSandbox *the_sandbox;
static GString *captured_log;

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

static QmSandbox *
shared_sandbox (void)
{
  if (the_sandbox == NULL)
    the_sandbox = qm_test_sandbox_new (NULL);
  g_assert_true (qm_sandbox_set_faults (the_sandbox, "", NULL));
  return the_sandbox;
}

static QmConfig *
config_new (const char *origin,
            const char *psn_origin)
{
  QmConfig *config = g_new0 (QmConfig, 1);

  config->origin = g_strdup (origin);
  config->psn_origin = g_strdup (psn_origin);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  return config;
}

static QmConfig *
sandbox_config (QmSandbox *sandbox)
{
  return config_new (qm_sandbox_get_bungie_origin (sandbox), qm_sandbox_get_psn_origin (sandbox));
}

static const char *
bungie_net_id (QmSandbox *sandbox)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);

  return world->bungie_net_id;
}

static QmToken *
sign_in_full (const QmConfig *config,
              const char     *password,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(QmPsnFlow) flow = qm_psn_flow_new (config);
  QmTestResult res = { 0 };
  QmToken *token;

  qm_psn_flow_sign_in_async (flow, QM_SANDBOX_DEMO_PSN_USER, password, cancellable, qm_test_result_cb, &res);
  token = qm_psn_flow_sign_in_finish (flow, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

static QmToken *
sign_in (const QmConfig *config,
         const char     *password,
         GError        **error)
{
  return sign_in_full (config, password, NULL, error);
}

/* GetMembershipsForCurrentUser by hand, with the chain's cookies. */
static JsonObject *
memberships_with_cookies (QmSandbox     *sandbox,
                          const QmToken *token,
                          gboolean       with_csrf,
                          guint         *status)
{
  g_autofree char *url = g_strconcat (qm_sandbox_get_bungie_origin (sandbox),
                                      "/Platform/User/GetMembershipsForCurrentUser/", NULL);
  g_autofree char *cookie = g_strdup_printf ("bungled=%s; bungleatk=%s; bungledid=%s",
                                             token->bungled, token->bungleatk, token->bungledid);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  soup_session_set_proxy_resolver (session, NULL);
  soup_message_headers_append (headers, "X-API-Key", QM_SANDBOX_API_KEY);
  soup_message_headers_append (headers, "Cookie", cookie);
  if (with_csrf)
    soup_message_headers_append (headers, "x-csrf", token->bungled);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, qm_test_result_cb, &res);
  body = soup_session_send_and_read_finish (session, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  node = qm_json_parse_bytes (body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* ---------------------------------------------------------------------- */
/* Tiny servers that play a part in the chain                              */

typedef enum
{
  TINY_EVIL,       /* answers 200 to anything: it must never be asked */
  TINY_LOOP,       /* redirects to itself forever */
  TINY_REDIRECT,   /* redirects everything to @target */
  TINY_CHAIN,      /* plays Bungie and PSN on one origin; login.do leads to @target if set */
} TinyKind;

typedef struct
{
  TinyKind    kind;
  SoupServer *server;
  char       *origin;
  guint       requests;
  char       *target;
  gboolean    no_cookies;
  GHashTable *login;        /* the login form received */
} TinyServer;

static void
reply_redirect (SoupServerMessage *msg,
                const char        *location)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
}

static void
reply_page (SoupServerMessage *msg)
{
  static const char page[] = "<html><body>page</body></html>";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
}

static void
add_cookie (SoupServerMessage *msg,
            const char        *cookie)
{
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", cookie);
}

static void
serve_chain (TinyServer        *tiny,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  if (g_str_equal (path, SIGN_IN_PATH) && query != NULL && g_hash_table_contains (query, "code"))
    {
      add_cookie (msg, "bungled=tinycsrf1; Path=/");
      add_cookie (msg, "bungleatk=tinyatk12; Path=/; HttpOnly");
      if (!tiny->no_cookies)
        add_cookie (msg, "bungledid=7; Path=/");
      reply_redirect (msg, "/en/");
    }
  else if (g_str_equal (path, SIGN_IN_PATH))
    {
      add_cookie (msg, "JSESSIONID=tinysession; Path=/; HttpOnly");
      reply_redirect (msg, "/signin/?response_type=code&state=s+t");
    }
  else if (g_str_equal (path, "/login.do"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *form = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      g_clear_pointer (&tiny->login, g_hash_table_unref);
      tiny->login = soup_form_decode (form);
      reply_redirect (msg, tiny->target != NULL ? tiny->target : SIGN_IN_PATH "?code=grant1");
    }
  else
    reply_page (msg);
}

static void
on_tiny_request_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  TinyServer *tiny = user_data;

  tiny->requests++;
  switch (tiny->kind)
    {
    case TINY_EVIL:
      reply_page (msg);
      break;
    case TINY_LOOP:
      reply_redirect (msg, SIGN_IN_PATH);
      break;
    case TINY_REDIRECT:
      reply_redirect (msg, tiny->target);
      break;
    case TINY_CHAIN:
    default:
      serve_chain (tiny, msg, path, query);
      break;
    }
}

static TinyServer *
tiny_server_new (TinyKind    kind,
                 const char *target)
{
  TinyServer *tiny = g_new0 (TinyServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  tiny->kind = kind;
  tiny->target = g_strdup (target);
  tiny->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (tiny->server, NULL, on_tiny_request_cb, tiny, NULL);
  soup_server_listen_local (tiny->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (tiny->server);
  tiny->origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return tiny;
}

static void
tiny_server_free (TinyServer *tiny)
{
  soup_server_disconnect (tiny->server);
  g_clear_object (&tiny->server);
  g_clear_pointer (&tiny->login, g_hash_table_unref);
  g_free (tiny->origin);
  g_free (tiny->target);
  g_free (tiny);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TinyServer, tiny_server_free)

/* ---------------------------------------------------------------------- */
/* Against the sandbox                                                     */

static void
test_sign_in (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *membership_id = NULL;
  guint grants = qm_sandbox_get_call_count (sandbox, "PsnGrant");
  guint status = 0;

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_PSN_COOKIES);
  g_assert_nonnull (token->bungled);
  g_assert_nonnull (token->bungleatk);
  g_assert_cmpstr (token->bungledid, ==, bungie_net_id (sandbox));
  g_assert_null (token->access_token);
  g_assert_null (token->refresh_token);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnGrant"), ==, grants + 1);

  /* The cookies authenticate Platform calls, with the CSRF header. */
  reply = memberships_with_cookies (sandbox, token, TRUE, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (qm_json_get_int (reply, "ErrorCode", 0), ==, 1);
  membership_id = qm_json_dup_id (qm_json_path_object (reply, "Response", "bungieNetUser", NULL),
                                  "membershipId");
  g_assert_cmpstr (membership_id, ==, bungie_net_id (sandbox));

  refused = memberships_with_cookies (sandbox, token, FALSE, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (qm_json_get_int (refused, "ErrorCode", 0), ==, QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED);
}

static void
test_wrong_password (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  guint logins = qm_sandbox_get_call_count (sandbox, "PsnLogin");
  guint grants = qm_sandbox_get_call_count (sandbox, "PsnGrant");

  token = sign_in (config, "not the password", &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_WRONG_CREDENTIALS);
  described = qm_error_describe (error);
  g_assert_cmpstr (described, ==, "Your PlayStation Network e-mail address or password is wrong.");
  /* The failure redirect is read, not followed. */
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnLogin"), ==, logins + 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnGrant"), ==, grants);
}

/* Bungie's end sends the chain to a PSN host that is not the configured one:
 * refused, and nothing reaches that host or the configured one. */
static void
test_foreign_psn_host (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(TinyServer) configured = tiny_server_new (TINY_EVIL, NULL);
  g_autoptr(QmConfig) config = config_new (qm_sandbox_get_bungie_origin (sandbox), configured->origin);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strdup_printf ("localhost:%u", qm_sandbox_get_port (sandbox));
  guint starts = qm_sandbox_get_call_count (sandbox, "PsnSignIn");
  guint authorizes = qm_sandbox_get_call_count (sandbox, "PsnAuthorize");

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT);
  g_assert_nonnull (strstr (error->message, host));
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnSignIn"), ==, starts + 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnAuthorize"), ==, authorizes);
  g_assert_cmpuint (configured->requests, ==, 0);
}

/* A redirect to another host on the first hop. */
static void
test_foreign_redirect (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(TinyServer) evil = tiny_server_new (TINY_EVIL, NULL);
  g_autofree char *steal = g_strconcat (evil->origin, "/steal?what=everything", NULL);
  g_autoptr(TinyServer) bungie = tiny_server_new (TINY_REDIRECT, steal);
  g_autoptr(QmConfig) config = config_new (bungie->origin, qm_sandbox_get_psn_origin (sandbox));
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT);
  g_assert_nonnull (strstr (error->message, evil->origin + strlen ("http://")));
  g_assert_cmpuint (bungie->requests, ==, 1);
  g_assert_cmpuint (evil->requests, ==, 0);
}

/* A redirect to another host after the password was sent: the grant is not
 * taken there. */
static void
test_foreign_redirect_after_login (void)
{
  g_autoptr(TinyServer) evil = tiny_server_new (TINY_EVIL, NULL);
  g_autofree char *steal = g_strconcat (evil->origin, SIGN_IN_PATH "?code=grant1", NULL);
  g_autoptr(TinyServer) chain = tiny_server_new (TINY_CHAIN, steal);
  g_autoptr(QmConfig) config = config_new (chain->origin, chain->origin);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT);
  g_assert_nonnull (chain->login);
  g_assert_cmpuint (evil->requests, ==, 0);
}

static void
test_hop_limit (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(TinyServer) loop = tiny_server_new (TINY_LOOP, NULL);
  g_autoptr(QmConfig) config = config_new (loop->origin, qm_sandbox_get_psn_origin (sandbox));
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_TOO_MANY_REDIRECTS);
  /* The first request and ten redirects followed. */
  g_assert_cmpuint (loop->requests, ==, 11);
}

/* Each sign-in has a cookie jar of its own, shared with nothing. */
static void
test_separate_jar (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) first = NULL;
  g_autoptr(QmToken) second = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  guint status = 0;

  first = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);
  second = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->bungleatk, !=, second->bungleatk);
  g_assert_cmpstr (first->bungled, !=, second->bungled);
  reply = memberships_with_cookies (sandbox, first, TRUE, &status);
  g_assert_cmpuint (status, ==, 200);

  /* The API client did not pick the cookies up: it is still anonymous. */
  client = qm_test_client_new (sandbox, FALSE);
  qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
  response = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (response);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED);
}

static void
test_insecure_origin (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = config_new (qm_sandbox_get_bungie_origin (sandbox), "http://psn.example.com");
  g_autoptr(QmConfig) insecure_bungie = config_new ("http://bungie.example.com", qm_sandbox_get_psn_origin (sandbox));
  g_autoptr(QmToken) token = NULL;
  g_autoptr(QmToken) other = NULL;
  g_autoptr(GError) error = NULL;
  guint starts = qm_sandbox_get_call_count (sandbox, "PsnSignIn");

  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
  g_clear_error (&error);
  other = sign_in (insecure_bungie, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (other);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "PsnSignIn"), ==, starts);
}

static void
test_cancel (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  token = sign_in_full (config, QM_SANDBOX_DEMO_PSN_PASSWORD, cancellable, &error);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_reset (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_sandbox_set_faults (sandbox, "reset,endpoint=PsnLogin", NULL));
  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
}

/* ---------------------------------------------------------------------- */
/* Against a tiny chain                                                    */

/* The login form carries the fields as given, whatever their characters,
 * and params is the login page's query in base64. */
static void
test_login_form (void)
{
  g_autoptr(TinyServer) chain = tiny_server_new (TINY_CHAIN, NULL);
  g_autoptr(QmConfig) config = config_new (chain->origin, chain->origin);
  static const char password[] = "p&ss=w rd+%ü/~\"'";
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *params = NULL;
  g_autofree char *query = NULL;
  gsize length = 0;

  token = sign_in (config, password, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->bungled, ==, "tinycsrf1");
  g_assert_cmpstr (token->bungleatk, ==, "tinyatk12");
  g_assert_cmpstr (token->bungledid, ==, "7");

  g_assert_nonnull (chain->login);
  g_assert_cmpuint (g_hash_table_size (chain->login), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (chain->login, "j_username"), ==, QM_SANDBOX_DEMO_PSN_USER);
  g_assert_cmpstr (g_hash_table_lookup (chain->login, "j_password"), ==, password);
  params = (char *) g_base64_decode (g_hash_table_lookup (chain->login, "params"), &length);
  query = g_strndup (params, length);
  g_assert_cmpstr (query, ==, "response_type=code&state=s+t");
}

static void
test_missing_cookies (void)
{
  g_autoptr(TinyServer) chain = tiny_server_new (TINY_CHAIN, NULL);
  g_autoptr(QmConfig) config = config_new (chain->origin, chain->origin);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  chain->no_cookies = TRUE;
  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL);
}

/* The debug log names the hops without their queries, and holds no secret. */
static void
test_log (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_hop = g_strdup_printf ("GET %s" SIGN_IN_PATH " ", qm_sandbox_get_bungie_origin (sandbox));
  g_autofree char *login = g_strdup_printf ("POST %s/login.do ", qm_sandbox_get_psn_origin (sandbox));

  g_string_truncate (captured_log, 0);
  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (captured_log->str, first_hop));
  g_assert_nonnull (strstr (captured_log->str, login));
  g_assert_null (strstr (captured_log->str, "code="));
  g_assert_null (strstr (captured_log->str, "state="));
  g_assert_null (strstr (captured_log->str, QM_SANDBOX_DEMO_PSN_PASSWORD));
  g_assert_null (strstr (captured_log->str, token->bungleatk));
  g_assert_null (strstr (captured_log->str, token->bungled));
}

/* The sandbox as the app and the CLI start it: its config signs in to it,
 * whatever Bungie application the environment names. */
static void
test_start_for_app (void)
{
  static const char * const overridden[] = { "QM_ORIGIN", "QM_PSN_ORIGIN", "QM_API_KEY",
                                             "QM_OAUTH_CLIENT_ID", "QM_OAUTH_CLIENT_SECRET" };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmConfig) again = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (overridden); i++)
    g_setenv (overridden[i], "https://elsewhere.example", TRUE);
  sandbox = qm_sandbox_start_for_app (NULL, &config, &error);
  for (gsize i = 0; i < G_N_ELEMENTS (overridden); i++)
    g_unsetenv (overridden[i]);
  g_assert_no_error (error);
  g_assert_nonnull (sandbox);
  g_assert_nonnull (config);

  g_assert_cmpstr (config->origin, ==, qm_sandbox_get_bungie_origin (sandbox));
  g_assert_cmpstr (config->psn_origin, ==, qm_sandbox_get_psn_origin (sandbox));
  g_assert_cmpstr (config->api_key, ==, QM_SANDBOX_API_KEY);
  g_assert_cmpstr (config->client_id, ==, QM_SANDBOX_CLIENT_ID);
  g_assert_cmpstr (config->client_secret, ==, QM_SANDBOX_CLIENT_SECRET);
  g_assert_cmpstr (config->redirect_uri, ==, QM_SANDBOX_REDIRECT_URI);

  /* Listening: the whole PSN chain runs on it. */
  token = sign_in (config, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpstr (token->bungledid, ==, bungie_net_id (sandbox));

  again = qm_sandbox_dup_config (sandbox);
  g_assert_cmpstr (again->origin, ==, config->origin);
  g_assert_cmpstr (again->psn_origin, ==, config->psn_origin);
  qm_sandbox_stop (sandbox);
}

/* The chain's judgement of a Location, on every redirect trick: only the
 * two configured origins (scheme, host and port) pass. */
static void
test_check_redirect (void)
{
  static const char * const allowed[] = {
    "/en/User/SignIn/Psnid?code=x", "https://www.bungie.net/en/", "https://WWW.Bungie.NET:443/",
    "https://auth.api.sonyentertainmentnetwork.com/2.0/oauth/authorize", "?code=x",
  };
  static const char * const foreign[] = {
    "//evil.example/x", "https://www.bungie.net@evil.example/", "https://www.bungie.net:444/",
    "http://www.bungie.net/", "https://www.bungie.net./", "https://evil.example/",
    "http://auth.api.sonyentertainmentnetwork.com/", "https://auth.api.sonyentertainmentnetwork.com:8443/",
    "https://www.bungie.net%2F@evil.example/", "https://127.0.0.1/",
  };
  static const char * const refused[] = {
    "https:\\\\evil.example/", "javascript:alert(1)", "https://", "http://[::1", "file:///etc/passwd",
  };
  g_autoptr(GUri) bungie = g_uri_parse ("https://www.bungie.net", SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) psn = g_uri_parse ("https://auth.api.sonyentertainmentnetwork.com", SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) base = g_uri_parse ("https://www.bungie.net/en/User/SignIn/Psnid", SOUP_HTTP_URI_FLAGS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) target = qm_psn_check_redirect (bungie, psn, base, allowed[i], &error);

      g_test_message ("%s", allowed[i]);
      g_assert_no_error (error);
      g_assert_nonnull (target);
    }
  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) target = qm_psn_check_redirect (bungie, psn, base, foreign[i], &error);

      g_test_message ("%s", foreign[i]);
      g_assert_null (target);
      g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) target = qm_psn_check_redirect (bungie, psn, base, refused[i], &error);

      g_test_message ("%s", refused[i]);
      g_assert_null (target);
      g_assert_nonnull (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Every message, debug included, is kept so that tests can look for secrets in it. */
  captured_log = qm_test_capture_log ();
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  qm_test_init (&argc, &argv);

  g_test_add_func ("/psn/sign-in", test_sign_in);
  g_test_add_func ("/psn/wrong-password", test_wrong_password);
  g_test_add_func ("/psn/foreign-psn-host", test_foreign_psn_host);
  g_test_add_func ("/psn/foreign-redirect", test_foreign_redirect);
  g_test_add_func ("/psn/foreign-redirect-after-login", test_foreign_redirect_after_login);
  g_test_add_func ("/psn/hop-limit", test_hop_limit);
  g_test_add_func ("/psn/check-redirect", test_check_redirect);
  g_test_add_func ("/psn/separate-jar", test_separate_jar);
  g_test_add_func ("/psn/insecure-origin", test_insecure_origin);
  g_test_add_func ("/psn/cancel", test_cancel);
  g_test_add_func ("/psn/reset", test_reset);
  g_test_add_func ("/psn/login-form", test_login_form);
  g_test_add_func ("/psn/missing-cookies", test_missing_cookies);
  g_test_add_func ("/psn/log", test_log);
  g_test_add_func ("/psn/sandbox-start-for-app", test_start_for_app);

  status = g_test_run ();
  g_clear_object (&the_sandbox);
  return status;
}
