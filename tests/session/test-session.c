/* test-session.c: the session's sign-ins, loads and states, against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No display: the session is the account's owner below the window and the
 * CLI. Each test starts an in-process sandbox and a session pointed at it,
 * and records every state the session passes through.
 */

#define G_LOG_DOMAIN "test-session"

#include "config.h"

#include <string.h>

#include "qm-destiny.h"
#include "qm-profile-cache.h"
#include "qm-sandbox-approve.h"
#include "qm-session.h"
#include "qm-test-utils.h"

#define WAIT_SECONDS 60

typedef struct
{
  QmSandbox  *sandbox;
  QmSession  *session;
  GSettings  *settings;
  GArray     *states;          /* QmSessionState, in the order notified */
  guint       n_inventory_changed;
  guint       n_errors;
  guint       n_signed_out;
  char       *signed_out_reason;
} Fixture;

static void
on_state_cb (QmSession  *session,
             GParamSpec *pspec,
             Fixture    *fixture)
{
  QmSessionState state = qm_session_get_state (session);

  g_array_append_val (fixture->states, state);
}

static void
on_inventory_changed_cb (QmSession *session,
                         Fixture   *fixture)
{
  fixture->n_inventory_changed++;
}

static void
on_error_cb (QmSession    *session,
             const GError *error,
             Fixture      *fixture)
{
  g_assert_nonnull (error);
  fixture->n_errors++;
}

static void
on_signed_out_cb (QmSession  *session,
                  const char *reason,
                  Fixture    *fixture)
{
  fixture->n_signed_out++;
  g_free (fixture->signed_out_reason);
  fixture->signed_out_reason = g_strdup (reason);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();

  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->settings = g_settings_new ("io.github.quartermaster.Quartermaster");
  fixture->session = qm_session_new (fixture->settings);
  fixture->states = g_array_new (FALSE, FALSE, sizeof (QmSessionState));
  config = qm_sandbox_dup_config (fixture->sandbox);
  qm_session_set_account (fixture->session, config, store, TRUE);
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_SIGNED_OUT);
  g_assert_true (qm_session_get_sandbox (fixture->session));
  g_signal_connect (fixture->session, "notify::state", G_CALLBACK (on_state_cb), fixture);
  g_signal_connect (fixture->session, "inventory-changed", G_CALLBACK (on_inventory_changed_cb), fixture);
  g_signal_connect (fixture->session, "error", G_CALLBACK (on_error_cb), fixture);
  g_signal_connect (fixture->session, "signed-out", G_CALLBACK (on_signed_out_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->session, fixture);
  g_clear_object (&fixture->session);
  /* Settings are per process: each test starts from the defaults. */
  g_settings_reset (fixture->settings, "shown-membership-id");
  g_settings_reset (fixture->settings, "membership-id");
  g_clear_object (&fixture->settings);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_array_unref (fixture->states);
  g_free (fixture->signed_out_reason);
}

/* The states passed through since the last call, then forgotten. */
static void
assert_states (Fixture              *fixture,
               const QmSessionState *expected,
               guint                 n_expected)
{
  g_autoptr(GString) seen = g_string_new (NULL);

  for (guint i = 0; i < fixture->states->len; i++)
    g_string_append_printf (seen, "%d ", g_array_index (fixture->states, QmSessionState, i));
  g_test_message ("states: %s", seen->str);
  g_assert_cmpuint (fixture->states->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (fixture->states, QmSessionState, i), ==, expected[i]);
  g_array_set_size (fixture->states, 0);
}

static gboolean
sign_in_psn (Fixture     *fixture,
             const char  *password,
             GError     **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_session_sign_in_psn_async (fixture->session, QM_SANDBOX_DEMO_PSN_USER, password, NULL,
                                qm_test_result_cb, &res);
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_SIGNING_IN);
  ok = qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

static QmInventory *
refresh (Fixture  *fixture,
         GError  **error)
{
  QmTestResult res = { 0 };
  QmInventory *inventory;

  qm_session_refresh_async (fixture->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (fixture->session, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return inventory;
}

static void
assert_ready_with_inventory (Fixture *fixture)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  static const QmSessionState loaded[] = { QM_SESSION_STATE_LOADING, QM_SESSION_STATE_READY };
  QmProfile *profile;

  inventory = refresh (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inventory);
  assert_states (fixture, loaded, G_N_ELEMENTS (loaded));
  g_assert_true (qm_session_get_inventory (fixture->session) == inventory);
  profile = qm_inventory_get_profile (inventory);
  g_assert_cmpstr (qm_profile_get_membership_id (profile), ==,
                   qm_sandbox_get_membership_id (fixture->sandbox));
  g_assert_cmpuint (qm_profile_get_n_characters (profile), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (profile)), >, 100);
}

static void
test_psn (Fixture       *fixture,
          gconstpointer  data)
{
  static const QmSessionState signed_in[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_READY };
  g_autoptr(GError) error = NULL;

  g_assert_null (qm_session_get_client (fixture->session));
  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_assert_no_error (error);
  assert_states (fixture, signed_in, G_N_ELEMENTS (signed_in));
  g_assert_true (qm_session_get_signed_in (fixture->session));
  g_assert_nonnull (qm_session_get_client (fixture->session));
  g_assert_cmpint (qm_auth_manager_get_token (qm_session_get_auth_manager (fixture->session))->kind,
                   ==, QM_TOKEN_KIND_PSN_COOKIES);
  g_assert_null (qm_session_get_inventory (fixture->session));

  assert_ready_with_inventory (fixture);
  g_assert_cmpuint (fixture->n_inventory_changed, ==, 1);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  static const QmSessionState failed[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_SIGNED_OUT };
  g_autoptr(GError) error = NULL;

  g_assert_false (sign_in_psn (fixture, "not the password", &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_WRONG_CREDENTIALS);
  assert_states (fixture, failed, G_N_ELEMENTS (failed));
  g_assert_null (qm_session_get_client (fixture->session));
  g_assert_false (qm_session_get_signed_in (fixture->session));
}

/* The browser's part, played by approving the sandbox's page. */
static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  QmSession *session = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

  g_assert_no_error (error);
  g_assert_true (qm_session_get_waiting_for_redirect (session));
  g_assert_true (qm_session_handle_redirect (session, redirect, &error));
  g_assert_no_error (error);
  g_object_unref (session);
}

static void
approve_launcher (QmOAuth2Flow *flow,
                  const char   *uri,
                  gpointer      user_data)
{
  QmSession *session = user_data;

  g_assert_true (g_str_has_prefix (uri, qm_sandbox_get_bungie_origin (
    g_object_get_data (G_OBJECT (session), "sandbox"))));
  qm_sandbox_approve_async (uri, TRUE, NULL, on_approved_cb, g_object_ref (session));
}

static void
test_oauth (Fixture       *fixture,
            gconstpointer  data)
{
  static const QmSessionState signed_in[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_READY };
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  g_object_set_data (G_OBJECT (fixture->session), "sandbox", fixture->sandbox);
  qm_session_set_uri_launcher (fixture->session, approve_launcher, fixture->session, NULL);
  qm_session_sign_in_oauth_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  assert_states (fixture, signed_in, G_N_ELEMENTS (signed_in));
  g_assert_false (qm_session_get_waiting_for_redirect (fixture->session));
  g_assert_cmpint (qm_auth_manager_get_token (qm_session_get_auth_manager (fixture->session))->kind,
                   ==, QM_TOKEN_KIND_OAUTH);
  assert_ready_with_inventory (fixture);

  /* A second answer to the same sign-in finds nobody waiting. */
  g_assert_false (qm_session_handle_redirect (fixture->session,
                                              "quartermaster://oauth-callback?code=x&state=y",
                                              &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH);
}

static void
ignore_launcher (QmOAuth2Flow *flow,
                 const char   *uri,
                 gpointer      user_data)
{
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  static const QmSessionState cancelled[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_SIGNED_OUT };
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_session_set_uri_launcher (fixture->session, ignore_launcher, NULL, NULL);
  qm_session_sign_in_oauth_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_get_waiting_for_redirect (fixture->session));
  qm_session_cancel_sign_in (fixture->session);
  g_assert_false (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  qm_test_result_clear (&res);
  assert_states (fixture, cancelled, G_N_ELEMENTS (cancelled));
  g_assert_false (qm_session_get_waiting_for_redirect (fixture->session));
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  static const QmSessionState restored[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_READY };
  static const QmSessionState none[] = { QM_SESSION_STATE_SIGNING_IN, QM_SESSION_STATE_SIGNED_OUT };
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  g_autoptr(QmConfig) config = qm_sandbox_dup_config (fixture->sandbox);
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  /* Nothing kept yet: FALSE, no error. */
  qm_session_set_account (fixture->session, config, store, TRUE);
  g_array_set_size (fixture->states, 0);
  qm_session_restore_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_session_restore_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  assert_states (fixture, none, G_N_ELEMENTS (none));

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_assert_true (qm_session_get_remembered (fixture->session));

  /* The same account again (a new start): the kept sign-in comes back. */
  qm_session_set_account (fixture->session, config, store, TRUE);
  g_assert_null (qm_session_get_client (fixture->session));
  g_array_set_size (fixture->states, 0);
  qm_session_restore_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_restore_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  assert_states (fixture, restored, G_N_ELEMENTS (restored));
  assert_ready_with_inventory (fixture);
}

static void
test_sign_out (Fixture       *fixture,
               gconstpointer  data)
{
  static const QmSessionState signed_out[] = { QM_SESSION_STATE_SIGNED_OUT };
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *shown = NULL;
  QmTestResult res = { 0 };

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_array_set_size (fixture->states, 0);
  assert_ready_with_inventory (fixture);

  /* The profile shown is saved for the next start, and named in the settings. */
  saved = qm_profile_cache_get_path (qm_sandbox_get_membership_id (fixture->sandbox));
  g_assert_true (g_file_test (saved, G_FILE_TEST_EXISTS));
  shown = g_settings_get_string (fixture->settings, "shown-membership-id");
  g_assert_cmpstr (shown, ==, qm_sandbox_get_membership_id (fixture->sandbox));

  qm_session_sign_out_async (fixture->session, NULL, qm_test_result_cb, &res);
  /* At once, before the keyring answers. */
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_SIGNED_OUT);
  g_assert_true (qm_session_sign_out_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  assert_states (fixture, signed_out, G_N_ELEMENTS (signed_out));
  g_assert_cmpuint (fixture->n_signed_out, ==, 1);
  g_assert_null (fixture->signed_out_reason);
  g_assert_null (qm_session_get_client (fixture->session));
  g_assert_null (qm_session_get_inventory (fixture->session));
  g_assert_cmpint (qm_auth_manager_get_state (qm_session_get_auth_manager (fixture->session)), ==,
                   QM_AUTH_STATE_SIGNED_OUT);
  /* The saved profile goes with the account. */
  g_assert_false (g_file_test (saved, G_FILE_TEST_EXISTS));
  g_free (shown);
  shown = g_settings_get_string (fixture->settings, "shown-membership-id");
  g_assert_cmpstr (shown, ==, "");

  /* Signed out, a refresh is refused. */
  g_assert_null (refresh (fixture, &error));
  g_assert_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN);
}

/* Bungie down for maintenance: the load fails, the session says so and
 * stays signed in; the next refresh recovers. */
static void
test_maintenance (Fixture       *fixture,
                  gconstpointer  data)
{
  static const QmSessionState failed[] = { QM_SESSION_STATE_LOADING, QM_SESSION_STATE_ERROR };
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_array_set_size (fixture->states, 0);
  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "maintenance", NULL));

  inventory = refresh (fixture, &error);
  g_assert_null (inventory);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  assert_states (fixture, failed, G_N_ELEMENTS (failed));
  g_assert_cmpuint (fixture->n_errors, ==, 1);
  g_assert_nonnull (qm_session_get_error (fixture->session));
  g_assert_true (g_error_matches (qm_session_get_error (fixture->session), error->domain, error->code));
  g_assert_true (qm_session_get_signed_in (fixture->session));
  g_clear_error (&error);

  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "", NULL));
  assert_ready_with_inventory (fixture);
  g_assert_null (qm_session_get_error (fixture->session));
}

/* The refresh token expired: signed out by the service, with its reason. */
static void
test_refresh_expired (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  /* Only OAuth tokens are refreshed. */
  g_object_set_data (G_OBJECT (fixture->session), "sandbox", fixture->sandbox);
  qm_session_set_uri_launcher (fixture->session, approve_launcher, fixture->session, NULL);
  qm_session_sign_in_oauth_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  qm_test_result_clear (&res);
  g_array_set_size (fixture->states, 0);
  assert_ready_with_inventory (fixture);

  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "refresh-expired,endpoint=Token", NULL));
  qm_sandbox_expire_access_tokens (fixture->sandbox);
  inventory = refresh (fixture, &error);
  g_assert_null (inventory);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (fixture->n_signed_out, ==, 1);
  g_assert_nonnull (fixture->signed_out_reason);
  g_assert_nonnull (strstr (fixture->signed_out_reason, "expired"));
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_SIGNED_OUT);
  g_assert_null (qm_session_get_client (fixture->session));
  g_assert_null (qm_session_get_inventory (fixture->session));
}

static void
on_membership_notify_cb (QmSession  *session,
                         GParamSpec *pspec,
                         guint      *n_notified)
{
  (*n_notified)++;
}

static void
test_switch_membership (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *id = qm_sandbox_get_membership_id (fixture->sandbox);
  const char *unknown = "4611686018499999999";
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  QmTestResult res = { 0 };
  guint n_notified = 0;

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_signal_connect (fixture->session, "notify::membership-id", G_CALLBACK (on_membership_notify_cb),
                    &n_notified);

  /* A membership the account does not have: its primary is shown, the
   * choice is kept. */
  qm_session_switch_membership_async (fixture->session, unknown, NULL, qm_test_result_cb, &res);
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_LOADING);
  inventory = qm_session_switch_membership_finish (fixture->session, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpstr (qm_profile_get_membership_id (qm_inventory_get_profile (inventory)), ==, id);
  g_assert_cmpstr (qm_session_get_membership_id (fixture->session), ==, unknown);
  saved = g_settings_get_string (fixture->settings, "membership-id");
  g_assert_cmpstr (saved, ==, unknown);
  g_assert_cmpuint (n_notified, ==, 1);
  g_clear_object (&inventory);

  qm_session_switch_membership_async (fixture->session, id, NULL, qm_test_result_cb, &res);
  inventory = qm_session_switch_membership_finish (fixture->session, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpstr (qm_profile_get_membership_id (qm_inventory_get_profile (inventory)), ==, id);
  g_assert_cmpstr (qm_session_get_membership_id (fixture->session), ==, id);
  g_assert_cmpuint (n_notified, ==, 2);
  g_assert_cmpint (qm_session_get_state (fixture->session), ==, QM_SESSION_STATE_READY);

  /* Back to the primary: NULL, and "" in the settings. */
  qm_session_set_membership_id (fixture->session, NULL);
  g_free (saved);
  saved = g_settings_get_string (fixture->settings, "membership-id");
  g_assert_cmpstr (saved, ==, "");
  g_signal_handlers_disconnect_by_data (fixture->session, &n_notified);
}

/* The saved profile of the last run, before any network. */
static void
test_cached (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmSession) second = NULL;
  g_autoptr(QmInventory) cached = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  g_array_set_size (fixture->states, 0);
  assert_ready_with_inventory (fixture);

  second = qm_session_new (fixture->settings);
  cached = qm_session_load_cached (second, &error);
  g_assert_no_error (error);
  g_assert_true (qm_inventory_is_cached (cached));
  g_assert_true (qm_session_get_inventory (second) == cached);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (qm_inventory_get_profile (cached))), ==,
                    g_list_model_get_n_items (qm_profile_get_items (
                      qm_inventory_get_profile (qm_session_get_inventory (fixture->session)))));
}

static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  QmManifest *manifest = qm_session_get_manifest (fixture->session);
  QmTestResult res = { 0 };

  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  qm_session_set_language_async (fixture->session, "de", NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_set_language_finish (fixture->session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_true (qm_session_get_manifest (fixture->session) == manifest);
  g_assert_cmpstr (qm_manifest_get_language (manifest), ==, "de");
  g_assert_true (qm_manifest_is_loaded (manifest));
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "de");
}

/* With no account set, sign-ins go to the configured Bungie.net. */
static void
test_real_account (void)
{
  g_autoptr(QmSession) session = qm_session_new (NULL);

  g_assert_null (qm_session_get_config (session));
  qm_session_set_origin (session, "https://bungie.invalid");
  qm_session_use_real_account (session);
  g_assert_false (qm_session_get_sandbox (session));
  g_assert_cmpstr (qm_session_get_config (session)->origin, ==, "https://bungie.invalid");
  g_assert_cmpint (qm_session_get_state (session), ==, QM_SESSION_STATE_SIGNED_OUT);
  g_assert_nonnull (qm_session_get_manifest (session));
}

/* The account's move queue is the session's: it follows the inventory
 * shown, hands a reloaded one back to the session after a failed run, and
 * ends with the account. */
static void
test_executor (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(QmInventory) first = NULL;
  g_autoptr(QmInventory) refreshed = NULL;
  g_autoptr(GError) error = NULL;
  QmMoveExecutor *executor;
  QmInventory *shown;
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE, .target = 1 };
  GListModel *items;
  QmTestResult res = { 0 };
  guint n_changed;

  g_assert_null (qm_session_get_executor (fixture->session));
  g_assert_true (sign_in_psn (fixture, QM_SANDBOX_DEMO_PSN_PASSWORD, &error));
  /* Signed in, nothing shown yet: nothing to move. */
  g_assert_null (qm_session_get_executor (fixture->session));
  first = refresh (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (qm_session_get_inventory (fixture->session) == first);
  executor = qm_session_get_executor (fixture->session);
  g_assert_nonnull (executor);
  g_assert_true (qm_session_get_executor (fixture->session) == executor);
  g_assert_true (qm_move_executor_get_inventory (executor) == qm_session_get_inventory (fixture->session));
  g_assert_true (qm_move_executor_get_client (executor) == qm_session_get_client (fixture->session));

  refreshed = refresh (fixture, &error);
  g_assert_no_error (error);
  g_assert_true (qm_session_get_executor (fixture->session) == executor);
  g_assert_true (qm_move_executor_get_inventory (executor) == qm_session_get_inventory (fixture->session));

  /* The Titan's equipped kinetic weapon to the Hunter; the connection drops
   * on the transfer, the executor reloads, and the session shows that. */
  items = qm_profile_get_items (qm_inventory_get_profile (qm_session_get_inventory (fixture->session)));
  for (guint i = 0; i < g_list_model_get_n_items (items) && request.instance_id == 0; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT && qm_item_get_instance_id (item) != NULL &&
          qm_item_get_slot_hash (item) == QM_BUCKET_KINETIC)
        request.instance_id = g_ascii_strtoull (qm_item_get_instance_id (item), NULL, 10);
    }
  g_assert_cmpuint (request.instance_id, !=, 0);
  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "reset,endpoint=TransferItem,calls=1", NULL));
  shown = qm_session_get_inventory (fixture->session);
  n_changed = fixture->n_inventory_changed;
  qm_move_executor_run_async (executor, &request, 1, NULL, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_move_executor_run_finish (executor, qm_test_wait_result (&res), NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED);
  g_clear_error (&error);
  qm_test_result_clear (&res);
  g_assert_true (qm_session_get_inventory (fixture->session) != shown);
  g_assert_true (qm_move_executor_get_inventory (executor) == qm_session_get_inventory (fixture->session));
  g_assert_cmpuint (fixture->n_inventory_changed, ==, n_changed + 1);

  /* The queue goes with the account. */
  qm_session_sign_out_async (fixture->session, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_out_finish (fixture->session, qm_test_wait_result (&res), &error));
  qm_test_result_clear (&res);
  g_assert_null (qm_session_get_executor (fixture->session));
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("psn", test_psn);
  ADD ("wrong-password", test_wrong_password);
  ADD ("oauth", test_oauth);
  ADD ("cancel", test_cancel);
  ADD ("restore", test_restore);
  ADD ("sign-out", test_sign_out);
  ADD ("maintenance", test_maintenance);
  ADD ("refresh-expired", test_refresh_expired);
  ADD ("switch-membership", test_switch_membership);
  ADD ("cached", test_cached);
  ADD ("language", test_language);
  ADD ("executor", test_executor);
#undef ADD
  g_test_add_func ("/session/real-account", test_real_account);

  return g_test_run ();
}
