/* test-oauth2-flow.c: Bungie's OAuth2 flow against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "qm-auth-manager.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-oauth2-flow.h"
#include "qm-psn-flow.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

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
sandbox_config (QmSandbox *sandbox)
{
  QmConfig *config = g_new0 (QmConfig, 1);

  config->origin = g_strdup (qm_sandbox_get_bungie_origin (sandbox));
  config->psn_origin = g_strdup (qm_sandbox_get_psn_origin (sandbox));
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  return config;
}

static const char *
bungie_net_id (QmSandbox *sandbox)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);

  return world->bungie_net_id;
}

static char *
query_value (const char *uri,
             const char *name)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (parsed);
  if (g_uri_get_query (parsed) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  return g_strdup (g_hash_table_lookup (params, name));
}

/* The value of a hidden form field of @html. */
static char *
form_value (const char *html,
            const char *name)
{
  g_autofree char *needle = g_strdup_printf ("name=\"%s\" value=\"", name);
  const char *start = strstr (html, needle);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (needle);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
assert_described (const GError *error,
                  const char   *sentence)
{
  g_autofree char *described = qm_error_describe (error);

  g_assert_cmpstr (described, ==, sentence);
}

/* ---------------------------------------------------------------------- */
/* A browser for the sandbox's authorize page                              */

typedef enum
{
  BROWSER_APPROVE,
  BROWSER_DENY,
  BROWSER_FORGE_STATE,
  BROWSER_FORGE_CODE,   /* the right state with a code Bungie never issued */
  BROWSER_IGNORE,
} BrowserMode;

typedef struct
{
  BrowserMode   mode;
  SoupSession  *session;
  SoupMessage  *message;
  QmOAuth2Flow *flow;
  char         *uri;            /* the last one launched */
  char         *code;           /* the last one Bungie issued */
  guint         launches;
  gboolean      taken;          /* what handle_redirect said */
  GError       *error;
  gboolean      done;
} Browser;

static void
browser_init (Browser     *browser,
              BrowserMode  mode)
{
  memset (browser, 0, sizeof *browser);
  browser->mode = mode;
  browser->session = qm_test_soup_session_new ();
}

static void
browser_clear (Browser *browser)
{
  g_clear_object (&browser->session);
  g_clear_object (&browser->message);
  g_clear_pointer (&browser->uri, g_free);
  g_clear_pointer (&browser->code, g_free);
  g_clear_error (&browser->error);
}

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Browser *browser = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (browser->message), ==, 302);
  location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (browser->message),
                                                     "Location"));
  g_assert_true (g_str_has_prefix (location, QM_SANDBOX_REDIRECT_URI "?"));
  g_free (browser->code);
  browser->code = query_value (location, "code");
  if (browser->mode == BROWSER_FORGE_STATE)
    {
      forged = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=%s&state=forged-state", browser->code);
      g_free (location);
      location = g_steal_pointer (&forged);
    }
  else if (browser->mode == BROWSER_FORGE_CODE)
    {
      g_autofree char *state = query_value (location, "state");

      forged = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=not-a-code&state=%s", state);
      g_free (location);
      location = g_steal_pointer (&forged);
    }
  browser->taken = qm_oauth2_flow_handle_redirect (browser->flow, location, &browser->error);
  browser->done = TRUE;
}

static void
on_page_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Browser *browser = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *post_url = NULL;
  GUri *page = soup_message_get_uri (browser->message);

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (browser->message), ==, 200);
  html = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  client_id = form_value (html, "client_id");
  state = form_value (html, "state");

  post_url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (page), NULL, g_uri_get_host (page),
                         g_uri_get_port (page), "/en/OAuth/Authorize/", NULL, NULL);
  g_clear_object (&browser->message);
  browser->message = soup_message_new_from_encoded_form ("POST", post_url,
                                                         soup_form_encode ("client_id", client_id,
                                                                           "state", state,
                                                                           "approve",
                                                                           browser->mode == BROWSER_DENY ? "0" : "1",
                                                                           NULL));
  soup_message_add_flags (browser->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (browser->session, browser->message, G_PRIORITY_DEFAULT, NULL,
                                    on_approved_cb, browser);
}

/* What a browser does with the authorize page: GET it, submit the form, and
 * hand the redirect to the app. */
static void
browser_launch (QmOAuth2Flow *flow,
                const char   *uri,
                gpointer      user_data)
{
  Browser *browser = user_data;

  browser->flow = flow;
  browser->launches++;
  g_free (browser->uri);
  browser->uri = g_strdup (uri);
  browser->done = FALSE;
  if (browser->mode == BROWSER_IGNORE)
    return;

  g_clear_object (&browser->message);
  browser->message = soup_message_new ("GET", uri);
  g_assert_nonnull (browser->message);
  soup_session_send_and_read_async (browser->session, browser->message, G_PRIORITY_DEFAULT, NULL,
                                    on_page_cb, browser);
}

static QmOAuth2Flow *
flow_with_browser (QmSandbox *sandbox,
                   Browser   *browser)
{
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  QmOAuth2Flow *flow = qm_oauth2_flow_new (config);

  qm_oauth2_flow_set_launcher (flow, browser_launch, browser, NULL);
  return flow;
}

static QmToken *
sign_in (QmOAuth2Flow *flow,
         GCancellable *cancellable,
         GError      **error)
{
  QmTestResult res = { 0 };
  QmToken *token;

  qm_oauth2_flow_sign_in_async (flow, cancellable, qm_test_result_cb, &res);
  token = qm_oauth2_flow_sign_in_finish (flow, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

static QmToken *
token_request (const QmConfig *config,
               const char     *grant_type,
               const char     *value,
               GError        **error)
{
  QmTestResult res = { 0 };
  QmToken *token;

  qm_oauth2_token_request_async (config, grant_type, value, NULL, qm_test_result_cb, &res);
  token = qm_oauth2_token_request_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

/* GetMembershipsForCurrentUser through the Bungie client, with @access_token. */
static void
assert_token_works (QmSandbox  *sandbox,
                    const char *access_token)
{
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, FALSE);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  g_autofree char *membership_id = NULL;
  JsonObject *user;

  qm_bungie_client_set_access_token (client, access_token);
  qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
  response = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response));
  user = qm_json_get_object (json_node_get_object (response), "bungieNetUser");
  g_assert_nonnull (user);
  membership_id = qm_json_dup_id (user, "membershipId");
  g_assert_cmpstr (membership_id, ==, bungie_net_id (sandbox));
}

static QmToken *
psn_sign_in (QmSandbox  *sandbox,
             const char *password,
             GError    **error)
{
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmPsnFlow) flow = qm_psn_flow_new (config);
  QmTestResult res = { 0 };
  QmToken *token;

  qm_psn_flow_sign_in_async (flow, QM_SANDBOX_DEMO_PSN_USER, password, NULL, qm_test_result_cb, &res);
  token = qm_psn_flow_sign_in_finish (flow, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

/* ---------------------------------------------------------------------- */
/* The authorize URI                                                       */

static void
test_authorize_uri (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmOAuth2Flow) flow = qm_oauth2_flow_new (config);
  g_autofree char *first = qm_oauth2_flow_build_authorize_uri (flow);
  g_autofree char *second = qm_oauth2_flow_build_authorize_uri (flow);
  g_autoptr(GUri) uri = g_uri_parse (first, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *other_state = query_value (second, "state");
  const char *state;

  g_assert_nonnull (uri);
  origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                       g_uri_get_port (uri), "", NULL, NULL);
  g_assert_cmpstr (origin, ==, qm_sandbox_get_bungie_origin (sandbox));
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/en/OAuth/Authorize");

  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpuint (g_hash_table_size (params), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (params, "client_id"), ==, QM_SANDBOX_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (params, "response_type"), ==, "code");
  g_assert_false (g_hash_table_contains (params, "scope"));

  /* 32 random bytes, base64url without padding; fresh every time. */
  state = g_hash_table_lookup (params, "state");
  g_assert_nonnull (state);
  g_assert_cmpuint (strlen (state), ==, 43);
  for (const char *p = state; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  g_assert_cmpstr (other_state, !=, state);
}

/* ---------------------------------------------------------------------- */
/* Sign-in                                                                 */

static void
test_sign_in (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *replay = NULL;
  g_autofree char *launched_state = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint token_calls = qm_sandbox_get_call_count (sandbox, "Token");

  browser_init (&browser, BROWSER_APPROVE);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_true (browser.taken);
  g_assert_no_error (browser.error);
  g_assert_cmpuint (browser.launches, ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Token"), ==, token_calls + 1);

  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_OAUTH);
  g_assert_nonnull (token->access_token);
  g_assert_nonnull (token->refresh_token);
  g_assert_cmpstr (token->membership_id, ==, bungie_net_id (sandbox));
  g_assert_cmpint (token->access_expires, >=, now + 3600 - 5);
  g_assert_cmpint (token->access_expires, <=, now + 3600 + 5);
  g_assert_cmpint (token->refresh_expires, >=, now + 7776000 - 5);
  assert_token_works (sandbox, token->access_token);

  /* The state is spent: the same redirect again is refused. */
  launched_state = query_value (browser.uri, "state");
  replay = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=%s&state=%s", browser.code, launched_state);
  g_assert_false (qm_oauth2_flow_handle_redirect (flow, replay, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Token"), ==, token_calls + 1);

  browser_clear (&browser);
}

static void
test_state_mismatch (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  guint token_calls = qm_sandbox_get_call_count (sandbox, "Token");

  browser_init (&browser, BROWSER_FORGE_STATE);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
  assert_described (error, "The answer from Bungie.net does not match the sign-in Quartermaster "
                    "started, so it was refused. Start the sign-in again.");

  /* Refused where the redirect arrived too, and the code was not exchanged. */
  g_assert_true (browser.done);
  g_assert_false (browser.taken);
  g_assert_error (browser.error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Token"), ==, token_calls);

  browser_clear (&browser);
}

/* The redirect carries the pending state but a code Bungie refuses: the
 * sign-in was refused, nothing expired. */
static void
test_refused_code (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  guint token_calls = qm_sandbox_get_call_count (sandbox, "Token");

  browser_init (&browser, BROWSER_FORGE_CODE);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_null (token);
  g_assert_true (browser.taken);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Token"), ==, token_calls + 1);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_CODE_REFUSED);
  assert_described (error, "Bungie.net refused the sign-in: it did not accept the sign-in code. "
                    "Start the sign-in again.");

  browser_clear (&browser);
}

static void
test_access_denied (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  browser_init (&browser, BROWSER_DENY);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_DENIED);
  g_assert_false (browser.taken);
  g_assert_error (browser.error, QM_AUTH_ERROR, QM_AUTH_ERROR_DENIED);

  browser_clear (&browser);
}

/* Redirects that are not for the flow are left alone; ours need a sign-in waiting. */
static void
test_redirect_without_sign_in (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmOAuth2Flow) flow = qm_oauth2_flow_new (config);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = qm_oauth2_flow_build_authorize_uri (flow);
  g_autofree char *state = query_value (uri, "state");
  g_autofree char *redirect = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=abc&state=%s", state);

  g_assert_false (qm_oauth2_flow_handle_redirect (flow, "https://example.com/?code=abc", &error));
  g_assert_no_error (error);
  g_assert_false (qm_oauth2_flow_handle_redirect (flow, QM_SANDBOX_REDIRECT_URI "x?code=abc", &error));
  g_assert_no_error (error);

  /* Even with the right state, nothing is waiting for it. */
  g_assert_false (qm_oauth2_flow_handle_redirect (flow, redirect, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
}

static void
test_cancel (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *late = NULL;
  QmTestResult res = { 0 };
  QmToken *token;

  browser_init (&browser, BROWSER_IGNORE);
  flow = flow_with_browser (sandbox, &browser);
  qm_oauth2_flow_sign_in_async (flow, cancellable, qm_test_result_cb, &res);
  g_assert_cmpuint (browser.launches, ==, 1);
  g_cancellable_cancel (cancellable);
  token = qm_oauth2_flow_sign_in_finish (flow, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A redirect arriving after the cancellation finds nothing waiting. */
  state = query_value (browser.uri, "state");
  late = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=abc&state=%s", state);
  g_assert_false (qm_oauth2_flow_handle_redirect (flow, late, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);

  browser_clear (&browser);
}

/* A second sign-in replaces the first, which ends as cancelled. */
static void
test_one_sign_in_at_a_time (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autofree char *first_state = NULL;
  QmTestResult first = { 0 };

  browser_init (&browser, BROWSER_IGNORE);
  flow = flow_with_browser (sandbox, &browser);
  qm_oauth2_flow_sign_in_async (flow, NULL, qm_test_result_cb, &first);
  first_state = query_value (browser.uri, "state");

  browser.mode = BROWSER_APPROVE;
  token = sign_in (flow, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpuint (browser.launches, ==, 2);

  g_assert_null (qm_oauth2_flow_sign_in_finish (flow, qm_test_wait_result (&first), &first_error));
  g_assert_error (first_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  qm_test_result_clear (&first);

  browser_clear (&browser);
}

/* Without a browser registered (the test's XDG dirs are empty), the sign-in
 * fails with a message instead of waiting forever. */
static void
test_launch_fails (void)
{
  g_autoptr(GAppInfo) handler = g_app_info_get_default_for_uri_scheme ("http");
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  if (handler != NULL)
    {
      g_test_skip ("a web browser is registered: the test would open it");
      return;
    }
  /* GIO would hand the URI to the OpenURI portal instead. */
  if (g_getenv ("GTK_USE_PORTAL") != NULL || g_getenv ("GIO_USE_PORTALS") != NULL ||
      g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the URI would go to the desktop portal");
      return;
    }
  config = sandbox_config (shared_sandbox ());
  flow = qm_oauth2_flow_new (config);
  token = sign_in (flow, NULL, &error);
  g_assert_null (token);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_true (g_str_has_prefix (error->message, "Could not open the web browser"));
}

static void
test_insecure_origin (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(GError) error = NULL;

  g_free (config->origin);
  config->origin = g_strdup ("http://bungie.example.com");
  browser_init (&browser, BROWSER_APPROVE);
  flow = qm_oauth2_flow_new (config);
  qm_oauth2_flow_set_launcher (flow, browser_launch, &browser, NULL);

  token = sign_in (flow, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
  g_assert_cmpuint (browser.launches, ==, 0);
  g_clear_error (&error);

  refreshed = token_request (config, "refresh_token", "anything", &error);
  g_assert_null (refreshed);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);

  browser_clear (&browser);
}

/* ---------------------------------------------------------------------- */
/* The token endpoint                                                      */

static QmToken *
signed_in_token (QmSandbox *sandbox)
{
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(GError) error = NULL;
  QmToken *token;

  browser_init (&browser, BROWSER_APPROVE);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_no_error (error);
  browser_clear (&browser);
  return token;
}

static void
test_refresh_rotates (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = signed_in_token (sandbox);
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(QmToken) replayed = NULL;
  g_autoptr(GError) error = NULL;

  refreshed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (refreshed->refresh_token);
  g_assert_cmpstr (refreshed->refresh_token, !=, token->refresh_token);
  g_assert_cmpstr (refreshed->access_token, !=, token->access_token);
  g_assert_cmpstr (refreshed->membership_id, ==, bungie_net_id (sandbox));
  assert_token_works (sandbox, refreshed->access_token);

  /* The old refresh token was spent by the rotation. */
  replayed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_null (replayed);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
  assert_described (error, "Your sign-in has expired. Sign in again.");
}

static void
test_used_code (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = token_request (config, "authorization_code", "not-a-code", &error);
  g_assert_null (token);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
}

static void
test_wrong_client_secret (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = signed_in_token (sandbox);
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(GError) error = NULL;

  g_free (config->client_secret);
  config->client_secret = g_strdup ("not-the-secret");
  refreshed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_null (refreshed);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL);
}

static void
assert_token_fault (const char *faults,
                    GQuark      domain,
                    int         code)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = signed_in_token (sandbox);
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(QmToken) later = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_sandbox_set_faults (sandbox, faults, NULL));
  refreshed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_null (refreshed);
  g_assert_error (error, domain, code);
  g_clear_error (&error);

  /* The fault answered instead of the endpoint: the refresh token still works. */
  g_assert_true (qm_sandbox_set_faults (sandbox, "", NULL));
  later = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (later);
}

static void
test_refresh_expired_fault (void)
{
  assert_token_fault ("refresh-expired,endpoint=Token", QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
}

static void
test_maintenance_fault (void)
{
  assert_token_fault ("maintenance,endpoint=Token", QM_AUTH_ERROR, QM_AUTH_ERROR_MAINTENANCE);
}

/* ApiInvalidOrExpiredKey (HTTP 401) is about the application's key, not
 * the grant: it is not an expired sign-in. */
static void
test_api_key_fault (void)
{
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = signed_in_token (sandbox);
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(GError) error = NULL;

  assert_token_fault ("error:2101,endpoint=Token", QM_PLATFORM_ERROR,
                      QM_PLATFORM_ERROR_API_INVALID_OR_EXPIRED_KEY);

  g_assert_true (qm_sandbox_set_faults (sandbox, "error:ApiInvalidOrExpiredKey,endpoint=Token", NULL));
  refreshed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_true (qm_sandbox_set_faults (sandbox, "", NULL));
  g_assert_null (refreshed);
  assert_described (error, "Bungie.net did not accept Quartermaster’s API key. Signing in again "
                    "does not help: check the API key.");
}

static void
test_reset_fault (void)
{
  assert_token_fault ("reset,endpoint=Token", QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
}

static void
test_html_fault (void)
{
  assert_token_fault ("html502,endpoint=Token", QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
}

static void
test_unreachable (void)
{
  g_autoptr(QmConfig) config = sandbox_config (shared_sandbox ());
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  /* A port that was free a moment ago and has no listener. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_free (config->origin);
  config->origin = g_strdup_printf ("http://127.0.0.1:%u",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  token = token_request (config, "refresh_token", "anything", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
}

/* ---------------------------------------------------------------------- */
/* The answer classifier, on fixtures                                      */

typedef struct
{
  const char *fixture;   /* NULL: an empty body */
  guint       status;
  const char *type;
  GQuark    (*domain) (void);
  int         code;
} Answer;

static void
test_classifier_errors (void)
{
  static const Answer answers[] = {
    { "oauth2-system-disabled.json", 503, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_MAINTENANCE },
    { "oauth2-envelope-system-disabled.json", 503, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_MAINTENANCE },
    { "oauth2-refresh-expired.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-code-invalid.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-not-refresh-token.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-record-revoked.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-record-expired.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-not-yet-valid.json", 400, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { "oauth2-invalid-client.json", 401, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_PROTOCOL },
    { "oauth2-unhandled.json", 500, "application/json", qm_client_error_quark, QM_CLIENT_ERROR_HTTP },
    { "oauth2-unhandled.json", 401, "application/json", qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { NULL, 401, NULL, qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { NULL, 403, NULL, qm_auth_error_quark, QM_AUTH_ERROR_EXPIRED },
    { NULL, 200, NULL, qm_client_error_quark, QM_CLIENT_ERROR_MALFORMED },
    { NULL, 502, NULL, qm_client_error_quark, QM_CLIENT_ERROR_HTTP },
    { "envelope-cloudflare-502.html", 502, "text/html", qm_client_error_quark, QM_CLIENT_ERROR_HTML_PAGE },
    { "envelope-page-200.html", 200, "text/html", qm_client_error_quark, QM_CLIENT_ERROR_HTML_PAGE },
    { "envelope-plain-503.txt", 503, "text/plain", qm_client_error_quark, QM_CLIENT_ERROR_HTTP },
    { "envelope-truncated.json", 200, "application/json", qm_client_error_quark, QM_CLIENT_ERROR_MALFORMED },
    { "envelope-success.json", 200, "application/json", qm_client_error_quark, QM_CLIENT_ERROR_MALFORMED },
    { "oauth2-token.json", 500, "application/json", qm_client_error_quark, QM_CLIENT_ERROR_HTTP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      const Answer *answer = &answers[i];
      g_autoptr(GBytes) body = answer->fixture != NULL ? qm_test_load_fixture (answer->fixture)
                                                       : g_bytes_new_static ("", 0);
      g_autoptr(QmToken) token = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s, HTTP %u", answer->fixture != NULL ? answer->fixture : "(empty)", answer->status);
      token = qm_oauth2_parse_token_response (body, answer->status, answer->type, 1000, &error);
      g_assert_null (token);
      g_assert_error (error, answer->domain (), answer->code);
    }
}

/* Error codes as huge doubles: an unknown refusal, with no out-of-range
 * cast (UBSan's float-cast-overflow stops the test if one happens). */
static void
test_classifier_huge_error_code (void)
{
  static const char * const bodies[] = {
    "{\"ErrorCode\":1e300}", "{\"ErrorCode\":-1e300}", "{\"ErrorCode\":4294967301}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(QmToken) token = NULL;

      g_test_message ("%s", bodies[i]);
      token = qm_oauth2_parse_token_response (body, 200, "application/json", 1000, &error);
      g_assert_null (token);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP);
      g_assert_nonnull (strstr (error->message, "an unknown error"));
    }
}

static void
test_classifier_token (void)
{
  g_autoptr(GBytes) body = qm_test_load_fixture ("oauth2-token.json");
  g_autoptr(GBytes) padded = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(QmToken) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  token = qm_oauth2_parse_token_response (body, 200, "application/json; charset=utf-8", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_OAUTH);
  g_assert_cmpstr (token->access_token, ==, "fake.access.token");
  g_assert_cmpstr (token->refresh_token, ==, "fake.refresh.token");
  g_assert_cmpstr (token->membership_id, ==, "20475826");
  g_assert_cmpint (token->access_expires, ==, 1000 + 3600);
  g_assert_cmpint (token->refresh_expires, ==, 1000 + 7776000);

  /* White space around the document changes nothing. */
  text = g_strdup_printf ("\n  %.*s\n", (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
  padded = g_bytes_new (text, strlen (text));
  again = qm_oauth2_parse_token_response (padded, 200, NULL, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->access_token, ==, token->access_token);
}

/* ---------------------------------------------------------------------- */
/* Recorded traffic                                                        */

static void
assert_absent (const char *text,
               const char *secret,
               const char *what)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 8);
  if (strstr (text, secret) != NULL)
    g_error ("%s found in the output", what);
}

/* Both flows, recorded: the traffic keeps to Bungie's contract, and neither
 * the record nor the log holds a token, a cookie or the password. */
static void
test_recorded_traffic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("qm-flows-record-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "traffic.jsonl", NULL);
  QmSandbox *sandbox = shared_sandbox ();
  g_autoptr(QmConfig) config = sandbox_config (sandbox);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(QmToken) refreshed = NULL;
  g_autoptr(QmToken) cookies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  Browser browser;
  g_autoptr(QmOAuth2Flow) flow = NULL;
  const char *log;
  gboolean passed;

  g_string_truncate (captured_log, 0);
  g_assert_true (qm_sandbox_set_record_path (sandbox, path, &error));
  g_assert_no_error (error);

  browser_init (&browser, BROWSER_APPROVE);
  flow = flow_with_browser (sandbox, &browser);
  token = sign_in (flow, NULL, &error);
  g_assert_no_error (error);
  refreshed = token_request (config, "refresh_token", token->refresh_token, &error);
  g_assert_no_error (error);
  assert_token_works (sandbox, refreshed->access_token);
  cookies = psn_sign_in (sandbox, QM_SANDBOX_DEMO_PSN_PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_true (qm_sandbox_set_record_path (sandbox, NULL, &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "/Platform/App/OAuth/token/"));
  g_assert_nonnull (strstr (text, "/en/OAuth/Authorize"));
  g_assert_nonnull (strstr (text, "/login.do"));

  passed = qm_test_contract_check (path, NULL, &output);
  if (!g_test_failed () && !passed)
    g_error ("contract check failed:\n%s", output);

  log = captured_log->str;
  g_assert_nonnull (strstr (log, "qm-psn-flow"));
  g_assert_nonnull (strstr (log, "qm-oauth2-flow"));
  for (guint i = 0; i < 2; i++)
    {
      const char *where = i == 0 ? text : log;

      assert_absent (where, token->access_token, "the access token");
      assert_absent (where, token->refresh_token, "the refresh token");
      assert_absent (where, refreshed->access_token, "the refreshed access token");
      assert_absent (where, refreshed->refresh_token, "the refreshed refresh token");
      assert_absent (where, browser.code, "the authorization code");
      assert_absent (where, cookies->bungleatk, "the bungleatk cookie");
      assert_absent (where, cookies->bungled, "the bungled cookie");
      assert_absent (where, QM_SANDBOX_DEMO_PSN_PASSWORD, "the password");
      assert_absent (where, QM_SANDBOX_CLIENT_SECRET, "the client secret");
    }

  browser_clear (&browser);
  g_unlink (path);
  g_rmdir (dir);
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

  g_test_add_func ("/oauth2/authorize-uri", test_authorize_uri);
  g_test_add_func ("/oauth2/sign-in", test_sign_in);
  g_test_add_func ("/oauth2/state-mismatch", test_state_mismatch);
  g_test_add_func ("/oauth2/access-denied", test_access_denied);
  g_test_add_func ("/oauth2/refused-code", test_refused_code);
  g_test_add_func ("/oauth2/redirect-without-sign-in", test_redirect_without_sign_in);
  g_test_add_func ("/oauth2/cancel", test_cancel);
  g_test_add_func ("/oauth2/one-sign-in-at-a-time", test_one_sign_in_at_a_time);
  g_test_add_func ("/oauth2/launch-fails", test_launch_fails);
  g_test_add_func ("/oauth2/insecure-origin", test_insecure_origin);
  g_test_add_func ("/oauth2/token/refresh-rotates", test_refresh_rotates);
  g_test_add_func ("/oauth2/token/used-code", test_used_code);
  g_test_add_func ("/oauth2/token/wrong-client-secret", test_wrong_client_secret);
  g_test_add_func ("/oauth2/token/refresh-expired", test_refresh_expired_fault);
  g_test_add_func ("/oauth2/token/maintenance", test_maintenance_fault);
  g_test_add_func ("/oauth2/token/api-key", test_api_key_fault);
  g_test_add_func ("/oauth2/token/reset", test_reset_fault);
  g_test_add_func ("/oauth2/token/html", test_html_fault);
  g_test_add_func ("/oauth2/token/unreachable", test_unreachable);
  g_test_add_func ("/oauth2/classifier/errors", test_classifier_errors);
  g_test_add_func ("/oauth2/classifier/huge-error-code", test_classifier_huge_error_code);
  g_test_add_func ("/oauth2/classifier/token", test_classifier_token);
  g_test_add_func ("/oauth2/recorded-traffic", test_recorded_traffic);

  status = g_test_run ();
  g_clear_object (&the_sandbox);
  return status;
}
