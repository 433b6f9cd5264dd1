/* test-move-soak.c: random moves, equips, locks and pulls with faults, through the session
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session signed in to the sandbox (OAuth, so that refreshes happen) runs
 * random requests through its move queue while about one call in twenty
 * meets a fault: every kind the sandbox can inject (qm-sandbox-faults.h).
 * After every run the account holds the same instances and the same stack
 * totals as at the start, and the items the session shows are the
 * sandbox's. Afterwards the traffic passes the contract check.
 *
 * QM_SOAK_SEED sets the seed (printed either way; it also makes the demo
 * account and draws the sandbox's fault chances), QM_SOAK_RUNS the number of
 * runs (default 200; 2000 for the full soak). Each run must end within
 * RUN_SECONDS.
 */

#define G_LOG_DOMAIN "test-move-soak"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-sandbox-approve.h"
#include "qm-session.h"
#include "qm-test-utils.h"

#define DEFAULT_RUNS 200
/* A run with a few steps, a throttle wait and a timed-out call fits well
 * within this. */
#define RUN_SECONDS 60
/* Seconds before a call without an answer fails (the sandbox's timeout
 * fault never answers). */
#define CALL_TIMEOUT 2

/* About 5 % of calls in all: the Platform calls (GetProfile, the actions,
 * the manifest) meet each kind with the rate given, the token endpoint its
 * own refusal. The first rule that fires answers. */
static const char fault_spec[] =
  "maintenance,rate=0.004;"
  "throttle,seconds=1,rate=0.004;"
  "throttle:DestinyThrottledByGameServer,seconds=1,rate=0.002;"
  "html502,rate=0.004;"
  "http500,rate=0.004;"
  "reset,rate=0.004;"
  "delay:300,rate=0.004;"
  "timeout,rate=0.002;"
  "truncate,rate=0.004;"
  "token-expired,rate=0.004;"
  "error:1642,endpoint=TransferItem|PullFromPostmaster,rate=0.004;"
  "error:1656,endpoint=TransferItem,rate=0.004;"
  "error:1623,endpoint=TransferItem|EquipItem|SetLockState|PullFromPostmaster,rate=0.002;"
  "error:1671,endpoint=EquipItem,rate=0.004;"
  "error:1634,endpoint=EquipItem,rate=0.002;"
  "refresh-expired,rate=0.05";

typedef struct
{
  QmSandbox *sandbox;
  QmSession *session;
  GRand     *rand;
  char      *record;
  char      *holdings;      /* what the account held at the start */
  guint      n_reloads;     /* the executor replaced its inventory */
  /* Figures */
  guint      n_done;
  guint      n_refused;     /* by the planner, before any call */
  guint      n_failed;
  guint      n_steps;
  guint      n_notices;
  guint      n_sign_ins;
  guint      n_refreshes;   /* reloads the executor could not make itself */
  guint      n_concurrent;  /* refreshes started while a run went on */
  GHashTable *failures;     /* error message -> count, for the log */
} Soak;

/* ------------------------------------------------------------------------
 * Signing in and loading, as the window does
 * ------------------------------------------------------------------------ */

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QmSession) session = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

  /* A refused page or a dropped answer: the sign-in below times out and
   * is tried again. */
  if (redirect == NULL)
    {
      g_test_message ("approving failed: %s", error->message);
      qm_session_cancel_sign_in (session);
      return;
    }
  if (!qm_session_handle_redirect (session, redirect, &error))
    g_test_message ("redirect refused: %s", error->message);
}

static void
approve_launcher (QmOAuth2Flow *flow,
                  const char   *uri,
                  gpointer      user_data)
{
  qm_sandbox_approve_async (uri, TRUE, NULL, on_approved_cb, g_object_ref (user_data));
}

static void
on_executor_inventory_cb (QmMoveExecutor *executor,
                          GParamSpec     *pspec,
                          Soak           *soak)
{
  soak->n_reloads++;
}

/* Signed in, with an inventory, faults or not: tries again until it is. */
static QmMoveExecutor *
ensure_ready (Soak *soak)
{
  QmMoveExecutor *executor;

  for (guint attempt = 0; qm_session_get_executor (soak->session) == NULL; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmInventory) inventory = NULL;
      QmTestResult res = { 0 };

      g_assert_cmpuint (attempt, <, 50);
      if (!qm_session_get_signed_in (soak->session))
        {
          soak->n_sign_ins++;
          qm_session_sign_in_oauth_async (soak->session, NULL, qm_test_result_cb, &res);
          if (!qm_session_sign_in_finish (soak->session, qm_test_wait_result (&res), &error))
            g_test_message ("sign-in failed: %s", error->message);
          qm_test_result_clear (&res);
          continue;
        }
      qm_bungie_client_set_timeout (qm_session_get_client (soak->session), CALL_TIMEOUT);
      qm_session_refresh_async (soak->session, NULL, qm_test_result_cb, &res);
      inventory = qm_session_refresh_finish (soak->session, qm_test_wait_result (&res), &error);
      qm_test_result_clear (&res);
      if (error != NULL)
        g_test_message ("load failed: %s", error->message);
    }
  executor = qm_session_get_executor (soak->session);
  qm_bungie_client_set_timeout (qm_session_get_client (soak->session), CALL_TIMEOUT);
  if (g_signal_handler_find (executor, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, soak) == 0)
    g_signal_connect (executor, "notify::inventory", G_CALLBACK (on_executor_inventory_cb), soak);
  return executor;
}

/* The session shows a fresh profile (after a run whose own reload met a
 * fault too, as the window's next refresh would). */
static void
refresh (Soak *soak)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmInventory) inventory = NULL;
      QmTestResult res = { 0 };

      g_assert_cmpuint (attempt, <, 50);
      ensure_ready (soak);
      qm_session_refresh_async (soak->session, NULL, qm_test_result_cb, &res);
      inventory = qm_session_refresh_finish (soak->session, qm_test_wait_result (&res), &error);
      qm_test_result_clear (&res);
      if (inventory != NULL && qm_session_get_inventory (soak->session) == inventory)
        return;
      g_test_message ("refresh: %s", error != NULL ? error->message : "the profile fetched is not newer");
    }
}

/* ------------------------------------------------------------------------
 * Random requests
 * ------------------------------------------------------------------------ */

static const QmMoveItem *
random_item (Soak        *soak,
             QmMoveState *state,
             gboolean     instanced,
             int          place)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if ((instanced && item->instance_id == 0) || (place >= 0 && item->place != place))
        continue;
      g_ptr_array_add (candidates, (gpointer) item);
    }
  if (candidates->len == 0)
    return NULL;
  return g_ptr_array_index (candidates, g_rand_int_range (soak->rand, 0, candidates->len));
}

static void
name_item (QmMoveRequest    *request,
           const QmMoveItem *item)
{
  request->instance_id = item->instance_id;
  request->hash = item->hash;
  request->place = item->place;
  request->owner = item->owner;
}

/* One to three requests: moves (whole or part of a stack, equipping on
 * arrival or not), equips, locks and unlocks, postmaster pulls. */
static GArray *
random_requests (Soak        *soak,
                 QmMoveState *state)
{
  GArray *requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  int n = g_rand_int_range (soak->rand, 0, 5) == 0 ? g_rand_int_range (soak->rand, 2, 4) : 1;

  while ((int) requests->len < n)
    {
      QmMoveRequest request = { 0 };
      int what = g_rand_int_range (soak->rand, 0, 100);
      int target = g_rand_int_range (soak->rand, -1, (int) state->n_characters);
      const QmMoveItem *item;

      if (what < 8 && (item = random_item (soak, state, FALSE, QM_MOVE_PLACE_POSTMASTER)) != NULL)
        {
          request.kind = QM_MOVE_REQUEST_PULL;
          name_item (&request, item);
        }
      else if (what < 30)
        {
          item = random_item (soak, state, TRUE, -1);
          request.kind = (item->flags & QM_MOVE_ITEM_LOCKED) != 0 ? QM_MOVE_REQUEST_UNLOCK : QM_MOVE_REQUEST_LOCK;
          name_item (&request, item);
        }
      else if (what < 50)
        {
          item = random_item (soak, state, TRUE, -1);
          request.kind = QM_MOVE_REQUEST_EQUIP;
          request.target = MAX (target, 0);
          name_item (&request, item);
        }
      else
        {
          item = random_item (soak, state, what < 85, -1);
          request.kind = QM_MOVE_REQUEST_MOVE;
          request.target = target;
          request.equip = target >= 0 && item->instance_id != 0 && g_rand_int_range (soak->rand, 0, 4) == 0;
          if (item->instance_id == 0 && item->quantity > 1 && g_rand_boolean (soak->rand))
            request.amount = g_rand_int_range (soak->rand, 1, item->quantity);
          name_item (&request, item);
        }
      g_array_append_val (requests, request);
    }
  return requests;
}

/* ------------------------------------------------------------------------
 * The soak
 * ------------------------------------------------------------------------ */

static void
count_failure (Soak         *soak,
               const GError *error)
{
  g_autofree char *key = g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (soak->failures, key));

  g_hash_table_replace (soak->failures, g_steal_pointer (&key), GUINT_TO_POINTER (n + 1));
}

/* The session's items against the sandbox's; the sandbox's profile is
 * read once for both checks. */
static gboolean
model_is_sandbox (Soak  *soak,
                  char **model_out,
                  char **server_out)
{
  g_autoptr(QmProfile) server_profile = qm_test_sandbox_profile (soak->sandbox);
  g_autofree char *holdings = qm_test_profile_holdings (server_profile);
  g_autofree char *model = qm_test_profile_signature (qm_inventory_get_profile (
                                                        qm_session_get_inventory (soak->session)));
  g_autofree char *server = qm_test_profile_signature (server_profile);
  gboolean same = g_str_equal (model, server);

  /* Nothing lost, nothing made, whatever happened. */
  g_assert_cmpstr (holdings, ==, soak->holdings);
  if (model_out != NULL)
    *model_out = g_steal_pointer (&model);
  if (server_out != NULL)
    *server_out = g_steal_pointer (&server);
  return same;
}

static void
on_concurrent_refresh_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(QmInventory) inventory = qm_session_refresh_finish (QM_SESSION (source), result, NULL);
}

static void
one_run (Soak *soak,
         guint index)
{
  QmMoveExecutor *executor = ensure_ready (soak);
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (executor);
  g_autoptr(GArray) requests = random_requests (soak, state);
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *model = NULL;
  g_autofree char *server = NULL;
  gboolean timed_out = FALSE;
  guint reloads = soak->n_reloads;
  QmTestResult res = { 0 };
  guint timer;
  gboolean ok;

  g_object_ref (executor);
  timer = g_timeout_add_seconds (RUN_SECONDS, qm_test_flag_cb, &timed_out);
  qm_move_executor_run_async (executor, (QmMoveRequest *) requests->data, requests->len, NULL, NULL,
                              qm_test_result_cb, &res);
  /* Now and then the window refreshes while the run goes on (it does
   * every 30 s while focused). */
  if (g_rand_int_range (soak->rand, 0, 10) == 0)
    {
      soak->n_concurrent++;
      qm_session_refresh_async (soak->session, NULL, on_concurrent_refresh_cb, NULL);
    }
  while (res.result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("run %u (seed %s) did not end within %d s", index, g_getenv ("QM_SOAK_SEED"), RUN_SECONDS);
  g_source_remove (timer);
  ok = qm_move_executor_run_finish (executor, res.result, &notice, &error);
  qm_test_result_clear (&res);

  if (ok)
    {
      soak->n_done++;
      soak->n_steps += qm_move_executor_get_steps (executor)->len;
      soak->n_notices += notice != NULL;
    }
  else if (error->domain == QM_MOVE_ERROR && error->code < QM_MOVE_ERROR_STEP_FAILED)
    soak->n_refused++;
  else
    {
      soak->n_failed++;
      count_failure (soak, error);
    }

  /* A sign-out while the run went on (the session shows nothing then)
   * leaves the next sign-in to load. */
  if (qm_session_get_executor (soak->session) != executor)
    ensure_ready (soak);
  /* What the session shows is what the server holds. A failed run reloads
   * the profile; when that reload met a fault too, the window's next
   * refresh brings it in line. */
  else if (!ok && reloads == soak->n_reloads && !model_is_sandbox (soak, NULL, NULL))
    {
      soak->n_refreshes++;
      refresh (soak);
    }
  if (!model_is_sandbox (soak, &model, &server))
    {
      g_autofree char *text = qm_move_steps_to_string (qm_move_executor_get_steps (executor));

      g_test_message ("run %u: %s; steps: %s", index, ok ? "done" : error->message, text);
      g_assert_cmpstr (model, ==, server);
    }
  g_object_unref (executor);
}

static void
test_soak (void)
{
  const char *seed_text = g_getenv ("QM_SOAK_SEED");
  const char *runs_text = g_getenv ("QM_SOAK_RUNS");
  guint64 seed = seed_text != NULL ? g_ascii_strtoull (seed_text, NULL, 10) : (guint64) g_random_int ();
  guint runs = runs_text != NULL ? (guint) g_ascii_strtoull (runs_text, NULL, 10) : DEFAULT_RUNS;
  g_autofree char *dir = g_dir_make_tmp ("qm-soak-XXXXXX", NULL);
  g_autofree char *seed_string = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  QmSandboxOptions options = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  gint64 start = g_get_monotonic_time ();
  Soak soak = { 0 };

  g_test_message ("seed %" G_GUINT64_FORMAT " (QM_SOAK_SEED), %u runs (QM_SOAK_RUNS)", seed, runs);
  g_setenv ("QM_SOAK_SEED", seed_string, TRUE);
  soak.rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  soak.failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.record = g_build_filename (dir, "traffic.jsonl", NULL);
  options.seed = seed;
  options.record_path = soak.record;
  soak.sandbox = qm_test_sandbox_new (&options);
  soak.holdings = qm_test_sandbox_holdings (soak.sandbox);

  soak.session = qm_session_new (NULL);
  config = qm_sandbox_dup_config (soak.sandbox);
  qm_session_set_account (soak.session, config, store, TRUE);
  qm_session_set_uri_launcher (soak.session, approve_launcher, soak.session, NULL);
  ensure_ready (&soak);
  g_assert_true (qm_sandbox_set_faults (soak.sandbox, fault_spec, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < runs; i++)
    one_run (&soak, i);

  g_hash_table_iter_init (&iter, soak.failures);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (failures, " %s x%u", (char *) key, GPOINTER_TO_UINT (value));
  g_test_message ("%u runs in %.1f s: %u done (%u steps, %u with a notice), %u refused before any call, "
                  "%u failed (%s), %u sign-ins, %u reloads, %u refreshes after a failed reload, "
                  "%u refreshes during a run",
                  runs, (g_get_monotonic_time () - start) / 1e6, soak.n_done, soak.n_steps, soak.n_notices,
                  soak.n_refused, soak.n_failed, failures->len > 0 ? failures->str + 1 : "none",
                  soak.n_sign_ins, soak.n_reloads, soak.n_refreshes, soak.n_concurrent);
  /* The soak moved things, and faults were met. */
  g_assert_cmpuint (soak.n_done, >, runs / 4);
  g_assert_cmpuint (soak.n_failed, >, 0);

  /* What the session sent, and what the sandbox answered, is Bungie's. */
  g_assert_true (qm_sandbox_set_faults (soak.sandbox, "", NULL));
  g_assert_true (qm_sandbox_set_record_path (soak.sandbox, NULL, &error));
  g_assert_no_error (error);
  if (!qm_test_contract_check (soak.record, NULL, &output))
    g_error ("contract check failed:\n%s", output);

  g_clear_object (&soak.session);
  qm_sandbox_stop (soak.sandbox);
  g_clear_object (&soak.sandbox);
  g_rand_free (soak.rand);
  g_hash_table_unref (soak.failures);
  g_free (soak.holdings);
  g_unlink (soak.record);
  g_free (soak.record);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);
  g_test_add_func ("/move-soak", test_soak);
  return g_test_run ();
}
