/* test-auth-manager.c: staying signed in, against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test signs in for real (the sandbox's authorize form and token
 * endpoint, or its PSN chain), then drives the client through expiries and
 * faults. All log output (debug included) is captured and must never hold a
 * token, a cookie or the password.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "qm-auth-manager.h"
#include "qm-error.h"
#include "qm-oauth2-flow.h"
#include "qm-psn-flow.h"
#include "qm-test-utils.h"

#define EXPIRED_MESSAGE "Your sign-in has expired. Sign in again."

typedef struct
{
  QmSandbox      *sandbox;
  QmConfig       *config;
  QmTokenStore   *store;
  QmAuthManager  *manager;
  QmBungieClient *client;
  guint           signed_out_count;
  char           *signed_out_reason;
  GPtrArray      *secrets;   /* values that must never be logged */
} Fixture;

/* Every message logged, whatever its level. */
static GMutex log_lock;
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].value != NULL)
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }
  g_mutex_unlock (&log_lock);

  if ((log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
remember_secrets (Fixture       *fixture,
                  const QmToken *token)
{
  const char *values[] = { token->access_token, token->refresh_token, token->bungled,
                           token->bungleatk };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i] != NULL)
      g_ptr_array_add (fixture->secrets, g_strdup (values[i]));
}

static void
on_signed_out_cb (QmAuthManager *manager,
                  const char    *reason,
                  Fixture       *fixture)
{
  fixture->signed_out_count++;
  g_free (fixture->signed_out_reason);
  fixture->signed_out_reason = g_strdup (reason);
}

static QmConfig *
sandbox_config (QmSandbox *sandbox)
{
  QmConfig *config = qm_config_new_default ();

  g_free (config->origin);
  g_free (config->psn_origin);
  g_free (config->api_key);
  g_free (config->client_id);
  g_free (config->client_secret);
  g_free (config->redirect_uri);
  config->origin = g_strdup (qm_sandbox_get_bungie_origin (sandbox));
  config->psn_origin = g_strdup (qm_sandbox_get_psn_origin (sandbox));
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  return config;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_mutex_lock (&log_lock);
  g_string_truncate (captured_log, 0);
  g_mutex_unlock (&log_lock);

  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->config = sandbox_config (fixture->sandbox);
  fixture->store = qm_token_store_new_in_memory ();
  fixture->manager = qm_auth_manager_new (fixture->config, fixture->store);
  fixture->client = qm_bungie_client_new (fixture->config->origin, fixture->config->api_key);
  qm_bungie_client_set_auth_manager (fixture->client, fixture->manager);
  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->manager, "signed-out", G_CALLBACK (on_signed_out_cb), fixture);
}

static void
assert_nothing_logged (Fixture *fixture)
{
  g_mutex_lock (&log_lock);
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (fixture->secrets, i);

      if (strstr (captured_log->str, secret) != NULL)
        g_error ("A secret was logged");
    }
  g_mutex_unlock (&log_lock);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_nothing_logged (fixture);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->config, qm_config_free);
  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->signed_out_reason, g_free);
  g_clear_pointer (&fixture->secrets, g_ptr_array_unref);
}

/* What the player does on the authorize page: approve, and get the code. */
static char *
approve_and_get_code (Fixture *fixture)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (fixture->config->origin, "/en/OAuth/Authorize/", NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  const char *form = "client_id=" QM_SANDBOX_CLIENT_ID "&state=test-state&approve=1";
  QmTestResult res = { 0 };

  soup_session_set_proxy_resolver (session, NULL);
  message = soup_message_new ("POST", uri);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = g_bytes_new_static (form, strlen (form));
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
  g_clear_pointer (&body, g_bytes_unref);
  /* The sandbox answers on this thread's main context: never block it. */
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                    qm_test_result_cb, &res);
  body = soup_session_send_and_read_finish (session, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_FOUND);

  location = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                        "Location"),
                          G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (location), ==, "quartermaster");
  params = g_uri_parse_params (g_uri_get_query (location), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, "test-state");
  return g_strdup (g_hash_table_lookup (params, "code"));
}

static QmToken *
token_request (Fixture     *fixture,
               const char  *grant_type,
               const char  *value,
               GError     **error)
{
  QmTestResult res = { 0 };
  QmToken *token;

  qm_oauth2_token_request_async (fixture->config, grant_type, value, NULL, qm_test_result_cb, &res);
  token = qm_oauth2_token_request_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

static void
sign_in_with (Fixture       *fixture,
              const QmToken *token)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  remember_secrets (fixture, token);
  qm_auth_manager_sign_in_async (fixture->manager, token, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_in_finish (fixture->manager, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);
}

/* A real sign-in: the authorize form, then the code exchange. */
static QmToken *
oauth_token (Fixture *fixture)
{
  g_autofree char *code = approve_and_get_code (fixture);
  g_autoptr(GError) error = NULL;
  QmToken *token;

  g_assert_nonnull (code);
  token = token_request (fixture, "authorization_code", code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_OAUTH);
  g_assert_nonnull (token->refresh_token);
  return token;
}

static void
sign_in_oauth (Fixture *fixture)
{
  g_autoptr(QmToken) token = oauth_token (fixture);

  sign_in_with (fixture, token);
}

static void
remember_current (Fixture *fixture)
{
  const QmToken *token = qm_auth_manager_get_token (fixture->manager);

  if (token != NULL)
    remember_secrets (fixture, token);
}

static JsonNode *
get_memberships (Fixture  *fixture,
                 GError  **error)
{
  QmTestResult res = { 0 };
  JsonNode *node;

  qm_bungie_client_get_memberships_async (fixture->client, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_memberships_finish (fixture->client, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  remember_current (fixture);
  return node;
}

static void
assert_memberships_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_memberships (fixture, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), "destinyMemberships"));
}

static gboolean
refresh (Fixture  *fixture,
         GError  **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_auth_manager_refresh_async (fixture->manager, NULL, qm_test_result_cb, &res);
  ok = qm_auth_manager_refresh_finish (fixture->manager, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  remember_current (fixture);
  return ok;
}

static void
set_faults (Fixture    *fixture,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, spec, &error));
  g_assert_no_error (error);
}

static QmToken *
stored_token (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  QmToken *token;

  qm_token_store_load_async (fixture->store, fixture->config->origin, NULL, qm_test_result_cb, &res);
  token = qm_token_store_load_finish (fixture->store, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  return token;
}

/* ---------------------------------------------------------------------- */

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);
  g_autoptr(QmToken) kept = NULL;
  guint state_notifies = 0;
  guint membership_notifies = 0;

  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_OUT);
  g_assert_null (qm_auth_manager_get_membership_id (fixture->manager));
  g_signal_connect (fixture->manager, "notify::state", G_CALLBACK (on_notify_cb), &state_notifies);
  g_signal_connect (fixture->manager, "notify::membership-id", G_CALLBACK (on_notify_cb),
                    &membership_notifies);

  sign_in_with (fixture, token);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpuint (membership_notifies, ==, 1);
  g_assert_nonnull (token->membership_id);
  g_assert_cmpstr (qm_auth_manager_get_membership_id (fixture->manager), ==, token->membership_id);
  g_assert_false (qm_auth_manager_needs_refresh (fixture->manager));

  kept = stored_token (fixture);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->refresh_token, ==, token->refresh_token);

  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 0);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 1);

  /* The log scan sees debug output. */
  g_mutex_lock (&log_lock);
  g_assert_nonnull (strstr (captured_log->str, "GetMembershipsForCurrentUser"));
  g_mutex_unlock (&log_lock);
}

/* ApiInvalidOrExpiredKey comes with HTTP 401, but new credentials cannot
 * help: no refresh, no retry, still signed in, and words about the key. */
static void
test_api_key_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *described = NULL;

  sign_in_oauth (fixture);
  set_faults (fixture, "error:2101,endpoint=GetMembershipsForCurrentUser");
  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_API_INVALID_OR_EXPIRED_KEY);
  described = qm_error_describe (error);
  g_assert_null (strstr (described, "expired"));
  g_assert_cmpstr (described, ==, "Bungie.net did not accept Quartermaster’s API key. Signing in "
                   "again does not help: check the API key.");

  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 1);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 0);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);

  set_faults (fixture, "");
  assert_memberships_ok (fixture);
}

static void
test_expiry_mid_session (Fixture       *fixture,
                         gconstpointer  data)
{
  sign_in_oauth (fixture);
  assert_memberships_ok (fixture);

  /* The server says the access token expired: one refresh, one retry. */
  qm_sandbox_expire_access_tokens (fixture->sandbox);
  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, 2);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 3);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);

  /* The new token works without further refreshes. */
  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (fixture->signed_out_count, ==, 0);
}

static void
test_expired_locally (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);

  /* The local clock says the access token is past its expiry: refresh
   * before the call, so the call is not refused first. */
  token->access_expires = g_get_real_time () / G_USEC_PER_SEC - 10;
  sign_in_with (fixture, token);
  g_assert_true (qm_auth_manager_needs_refresh (fixture->manager));

  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 1);
  g_assert_false (qm_auth_manager_needs_refresh (fixture->manager));
}

static void
test_token_expired_fault (Fixture       *fixture,
                          gconstpointer  data)
{
  sign_in_oauth (fixture);
  set_faults (fixture, "token-expired,endpoint=GetMembershipsForCurrentUser,calls=1");

  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 2);
}

static void
test_refused_twice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  sign_in_oauth (fixture);
  set_faults (fixture, "error:WebAuthRequired,endpoint=GetMembershipsForCurrentUser,calls=1-2");

  /* One refresh and one retry, no more. */
  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetMembershipsForCurrentUser"), ==, 2);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);
}

typedef struct
{
  guint    pending;
  guint    failed;
  gboolean done;
} Concurrent;

static void
on_profile_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Concurrent *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = qm_bungie_client_get_profile_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (node == NULL)
    {
      g_test_message ("GetProfile failed: %s", error->message);
      state->failed++;
    }
  state->pending--;
  state->done = state->pending == 0;
}

static void
five_profiles (Fixture *fixture)
{
  Concurrent state = { 5, 0, FALSE };

  for (guint i = 0; i < 5; i++)
    qm_bungie_client_get_profile_async (fixture->client,
                                        qm_sandbox_get_membership_type (fixture->sandbox),
                                        qm_sandbox_get_membership_id (fixture->sandbox),
                                        "100,200", NULL, on_profile_cb, &state);
  qm_test_wait (&state.done, 60);
  g_assert_cmpuint (state.failed, ==, 0);
  remember_current (fixture);
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  sign_in_oauth (fixture);
  qm_sandbox_expire_access_tokens (fixture->sandbox);

  five_profiles (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, 2);
}

static void
test_concurrent_expired_locally (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);

  token->access_expires = g_get_real_time () / G_USEC_PER_SEC - 10;
  sign_in_with (fixture, token);

  five_profiles (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "GetProfile"), ==, 5);
}

static void
test_refresh_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QmToken) kept = NULL;
  g_autofree char *described = NULL;
  guint state_notifies = 0;

  sign_in_oauth (fixture);
  set_faults (fixture, "refresh-expired");
  qm_sandbox_expire_access_tokens (fixture->sandbox);
  g_signal_connect (fixture->manager, "notify::state", G_CALLBACK (on_notify_cb), &state_notifies);

  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
  g_assert_cmpstr (described = qm_error_describe (error), ==, EXPIRED_MESSAGE);

  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_EXPIRED);
  g_assert_cmpuint (state_notifies, ==, 1);
  g_assert_cmpuint (fixture->signed_out_count, ==, 1);
  g_assert_cmpstr (fixture->signed_out_reason, ==, EXPIRED_MESSAGE);
  g_assert_null (qm_auth_manager_get_token (fixture->manager));
  g_assert_null (qm_auth_manager_get_membership_id (fixture->manager));
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);

  /* The keyring item is gone. */
  kept = stored_token (fixture);
  g_assert_null (kept);

  /* Further calls fail the same way, without another refresh. */
  g_clear_error (&error);
  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
  g_assert_cmpuint (fixture->signed_out_count, ==, 1);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
}

static void
test_refresh_network_failure (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QmToken) before = NULL;

  sign_in_oauth (fixture);
  before = qm_token_copy (qm_auth_manager_get_token (fixture->manager));
  set_faults (fixture, "reset,endpoint=Token");
  qm_sandbox_expire_access_tokens (fixture->sandbox);

  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);

  /* Offline is not signed out: same tokens, still signed in. */
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);
  g_assert_cmpuint (fixture->signed_out_count, ==, 0);
  g_assert_cmpstr (qm_auth_manager_get_token (fixture->manager)->refresh_token, ==,
                   before->refresh_token);

  /* Back online, the kept refresh token still works. */
  set_faults (fixture, "");
  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 2);
}

static void
test_refresh_sandbox_stopped (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) before = NULL;

  sign_in_oauth (fixture);
  before = qm_token_copy (qm_auth_manager_get_token (fixture->manager));
  qm_sandbox_stop (fixture->sandbox);

  g_assert_false (refresh (fixture, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_IN);
  g_assert_cmpstr (qm_auth_manager_get_token (fixture->manager)->access_token, ==,
                   before->access_token);
  g_assert_cmpuint (fixture->signed_out_count, ==, 0);
}

static void
test_rotation_saved (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *old_refresh = NULL;
  g_autoptr(QmToken) kept = NULL;
  g_autoptr(QmToken) reused = NULL;
  g_autoptr(GError) error = NULL;
  const QmToken *current;

  sign_in_oauth (fixture);
  old_refresh = g_strdup (qm_auth_manager_get_token (fixture->manager)->refresh_token);

  g_assert_true (refresh (fixture, &error));
  g_assert_no_error (error);
  current = qm_auth_manager_get_token (fixture->manager);
  g_assert_cmpstr (current->refresh_token, !=, old_refresh);
  g_assert_nonnull (current->membership_id);

  /* The rotated token is the one kept. */
  kept = stored_token (fixture);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->refresh_token, ==, current->refresh_token);
  g_assert_cmpstr (kept->access_token, ==, current->access_token);

  /* The old one is spent at the token endpoint. */
  reused = token_request (fixture, "refresh_token", old_refresh, &error);
  g_assert_null (reused);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);

  assert_memberships_ok (fixture);
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 1);
}

static QmToken *
psn_token (Fixture *fixture)
{
  g_autoptr(QmPsnFlow) flow = qm_psn_flow_new (fixture->config);
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  QmToken *token;

  qm_psn_flow_sign_in_async (flow, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD, NULL,
                             qm_test_result_cb, &res);
  token = qm_psn_flow_sign_in_finish (flow, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_PSN_COOKIES);
  return token;
}

static void
test_psn_cookies (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(QmToken) token = psn_token (fixture);
  g_autofree char *uri = g_strconcat (fixture->config->origin,
                                      "/Platform/User/GetMembershipsForCurrentUser/", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *bungled = NULL;
  g_autofree char *bungleatk = NULL;
  g_autoptr(GHashTable) cookies = NULL;

  g_ptr_array_add (fixture->secrets, g_strdup (QM_SANDBOX_DEMO_PSN_PASSWORD));
  sign_in_with (fixture, token);

  g_assert_true (qm_auth_manager_authorize (fixture->manager, message));
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "x-csrf"), ==, token->bungled);
  cookies = soup_header_parse_semi_param_list (soup_message_headers_get_one (headers, "Cookie"));
  g_assert_cmpstr (g_hash_table_lookup (cookies, "bungled"), ==, token->bungled);
  g_assert_cmpstr (g_hash_table_lookup (cookies, "bungleatk"), ==, token->bungleatk);
  g_assert_cmpstr (g_hash_table_lookup (cookies, "bungledid"), ==, token->bungledid);

  /* The sandbox accepts the cookie session on an authenticated call. */
  assert_memberships_ok (fixture);
  g_assert_false (qm_auth_manager_needs_refresh (fixture->manager));
}

static void
test_psn_cannot_refresh (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(QmToken) token = psn_token (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  sign_in_with (fixture, token);
  qm_sandbox_expire_access_tokens (fixture->sandbox);

  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_EXPIRED);
  g_assert_cmpuint (fixture->signed_out_count, ==, 1);
  g_assert_cmpstr (fixture->signed_out_reason, ==, EXPIRED_MESSAGE);
  /* Nothing went to the token endpoint. */
  g_assert_cmpuint (qm_auth_manager_get_refresh_count (fixture->manager), ==, 0);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, 0);
}

static void
test_authorize_untrusted (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);
  g_autoptr(QmConfig) plain = qm_config_copy (fixture->config);
  g_autoptr(QmAuthManager) manager = NULL;
  g_autoptr(SoupMessage) to_plain = soup_message_new ("GET", "http://bungie.example/Platform/User/");
  g_autoptr(SoupMessage) elsewhere = soup_message_new ("GET", "https://evil.example/Platform/User/");
  g_autoptr(SoupMessage) other_port = NULL;
  g_autofree char *uri = NULL;
  QmTestResult res = { 0 };

  remember_secrets (fixture, token);

  /* Plain http off this computer: no credentials, ever. */
  g_free (plain->origin);
  plain->origin = g_strdup ("http://bungie.example");
  manager = qm_auth_manager_new (plain, NULL);
  qm_auth_manager_sign_in_async (manager, token, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_in_finish (manager, qm_test_wait_result (&res), NULL));
  qm_test_result_clear (&res);
  g_assert_false (qm_auth_manager_authorize (manager, to_plain));
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (to_plain),
                                               "Authorization"));

  /* A trusted configuration still sends nothing to another origin. */
  sign_in_with (fixture, token);
  g_assert_false (qm_auth_manager_authorize (fixture->manager, elsewhere));
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (elsewhere),
                                               "Authorization"));
  uri = g_strdup_printf ("http://127.0.0.1:%u/Platform/User/",
                         qm_sandbox_get_port (fixture->sandbox) == 65535 ? 1 : qm_sandbox_get_port (fixture->sandbox) + 1);
  other_port = soup_message_new ("GET", uri);
  g_assert_false (qm_auth_manager_authorize (fixture->manager, other_port));
}

static void
test_authorize_https (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);
  g_autoptr(QmConfig) real = qm_config_copy (fixture->config);
  g_autoptr(QmAuthManager) manager = NULL;
  g_autoptr(SoupMessage) plain = soup_message_new ("GET", "https://www.bungie.net/Platform/User/");
  g_autoptr(SoupMessage) port = soup_message_new ("GET", "https://www.bungie.net:443/Platform/User/");
  g_autoptr(SoupMessage) downgraded = soup_message_new ("GET", "http://www.bungie.net/Platform/User/");
  g_autofree char *bearer = g_strconcat ("Bearer ", token->access_token, NULL);
  QmTestResult res = { 0 };

  remember_secrets (fixture, token);
  g_free (real->origin);
  real->origin = g_strdup ("https://www.bungie.net");
  manager = qm_auth_manager_new (real, NULL);
  qm_auth_manager_sign_in_async (manager, token, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_in_finish (manager, qm_test_wait_result (&res), NULL));
  qm_test_result_clear (&res);

  /* Nothing is sent here: only the headers are checked. */
  g_assert_true (qm_auth_manager_authorize (manager, plain));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (plain),
                                                 "Authorization"), ==, bearer);
  g_assert_true (qm_auth_manager_authorize (manager, port));
  g_assert_false (qm_auth_manager_authorize (manager, downgraded));
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (downgraded),
                                               "Authorization"));
}

static void
test_insecure_client (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);
  g_autoptr(QmConfig) plain = qm_config_copy (fixture->config);
  g_autoptr(QmAuthManager) manager = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  remember_secrets (fixture, token);
  g_free (plain->origin);
  plain->origin = g_strdup ("http://bungie.example");
  manager = qm_auth_manager_new (plain, NULL);
  qm_auth_manager_sign_in_async (manager, token, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_in_finish (manager, qm_test_wait_result (&res), NULL));
  qm_test_result_clear (&res);

  client = g_object_new (QM_TYPE_BUNGIE_CLIENT, "origin", plain->origin, "auth-manager", manager, NULL);
  g_assert_true (qm_bungie_client_get_auth_manager (client) == manager);
  qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN);
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QmToken) kept = NULL;
  g_autoptr(SoupMessage) message = NULL;
  QmTestResult res = { 0 };

  sign_in_oauth (fixture);
  qm_auth_manager_sign_out_async (fixture->manager, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_out_finish (fixture->manager, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_OUT);
  g_assert_cmpuint (fixture->signed_out_count, ==, 1);
  g_assert_null (fixture->signed_out_reason);
  kept = stored_token (fixture);
  g_assert_null (kept);

  message = soup_message_new ("GET", fixture->config->origin);
  g_assert_false (qm_auth_manager_authorize (fixture->manager, message));
  node = get_memberships (fixture, &error);
  g_assert_null (node);
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN);
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(QmAuthManager) restarted = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  sign_in_oauth (fixture);

  restarted = qm_auth_manager_new (fixture->config, fixture->store);
  qm_auth_manager_restore_async (restarted, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_restore_finish (restarted, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (restarted), ==, QM_AUTH_STATE_SIGNED_IN);
  g_assert_cmpstr (qm_auth_manager_get_token (restarted)->refresh_token, ==,
                   qm_auth_manager_get_token (fixture->manager)->refresh_token);

  /* The restored sign-in works with the client. */
  qm_bungie_client_set_auth_manager (fixture->client, restarted);
  assert_memberships_ok (fixture);
}

static void
test_restore_nothing (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_auth_manager_restore_async (fixture->manager, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_auth_manager_restore_finish (fixture->manager, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_SIGNED_OUT);
  g_assert_cmpuint (fixture->signed_out_count, ==, 0);
}

static void
test_restore_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmToken) token = oauth_token (fixture);
  g_autoptr(QmToken) kept = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  remember_secrets (fixture, token);
  token->refresh_expires = g_get_real_time () / G_USEC_PER_SEC - 1;
  qm_token_store_save_async (fixture->store, fixture->config->origin, token, NULL,
                             qm_test_result_cb, &res);
  g_assert_true (qm_token_store_save_finish (fixture->store, qm_test_wait_result (&res), NULL));
  qm_test_result_clear (&res);

  qm_auth_manager_restore_async (fixture->manager, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_auth_manager_restore_finish (fixture->manager, qm_test_wait_result (&res), &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (fixture->manager), ==, QM_AUTH_STATE_EXPIRED);
  g_assert_cmpuint (fixture->signed_out_count, ==, 1);
  g_assert_cmpstr (fixture->signed_out_reason, ==, EXPIRED_MESSAGE);
  kept = stored_token (fixture);
  g_assert_null (kept);
}

static void
test_static_token_unchanged (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(QmBungieClient) client = qm_test_client_new (fixture->sandbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  QmTestResult res = { 0 };

  /* Without an auth manager, a refused fixed token is reported as is. */
  qm_sandbox_expire_access_tokens (fixture->sandbox);
  qm_bungie_client_get_memberships_async (client, NULL, qm_test_result_cb, &res);
  node = qm_bungie_client_get_memberships_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_null (node);
  g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Token"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Debug output included: it must hold no secret either. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  qm_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/auth-manager/sign-in", test_sign_in);
  ADD ("/auth-manager/expiry-mid-session", test_expiry_mid_session);
  ADD ("/auth-manager/api-key-refused", test_api_key_refused);
  ADD ("/auth-manager/expired-locally", test_expired_locally);
  ADD ("/auth-manager/token-expired-fault", test_token_expired_fault);
  ADD ("/auth-manager/refused-twice", test_refused_twice);
  ADD ("/auth-manager/concurrent", test_concurrent);
  ADD ("/auth-manager/concurrent-expired-locally", test_concurrent_expired_locally);
  ADD ("/auth-manager/refresh-expired", test_refresh_expired);
  ADD ("/auth-manager/refresh-network-failure", test_refresh_network_failure);
  ADD ("/auth-manager/refresh-sandbox-stopped", test_refresh_sandbox_stopped);
  ADD ("/auth-manager/rotation-saved", test_rotation_saved);
  ADD ("/auth-manager/psn-cookies", test_psn_cookies);
  ADD ("/auth-manager/psn-cannot-refresh", test_psn_cannot_refresh);
  ADD ("/auth-manager/authorize-untrusted", test_authorize_untrusted);
  ADD ("/auth-manager/authorize-https", test_authorize_https);
  ADD ("/auth-manager/insecure-client", test_insecure_client);
  ADD ("/auth-manager/sign-out", test_sign_out);
  ADD ("/auth-manager/restore", test_restore);
  ADD ("/auth-manager/restore-nothing", test_restore_nothing);
  ADD ("/auth-manager/restore-expired", test_restore_expired);
  ADD ("/auth-manager/static-token", test_static_token_unchanged);

#undef ADD

  return g_test_run ();
}
