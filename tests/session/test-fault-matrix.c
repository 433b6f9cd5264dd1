/* test-fault-matrix.c: every fault the sandbox can inject × every operation, through the session
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each cell starts a sandbox and a session signed in to it (or not, for
 * the sign-ins), injects one fault on the calls the operation makes, runs
 * the operation as the window and the command line do (through QmSession
 * and its move queue) and compares what happened with what the table says
 * should: the operation went through (a safe retry, or a fault it does not
 * mind), the cache was kept (the definitions or the inventory shown before),
 * or it failed with a given message (a part of qm_error_describe()'s
 * sentence), or the session signed out with it. Afterwards the inventory
 * shown is the sandbox's, no item was lost or made, and the operation
 * ended within its bound (the client's timeout is CALL_TIMEOUT seconds).
 *
 * One meson test per operation (-p /fault-matrix/OPERATION), so they run in
 * parallel. An operation is a row of `operations` (what it needs, what it
 * does, which calls the faults hit) with one expectation per fault; in-game
 * loadout equips and saved-loadout applies become rows of their own.
 */

#define G_LOG_DOMAIN "test-fault-matrix"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "qm-error.h"
#include "qm-item.h"
#include "qm-loadout-apply.h"
#include "qm-loadout-manager.h"
#include "qm-sandbox-approve.h"
#include "qm-session.h"
#include "qm-test-utils.h"
#include "qm-xur.h"

/* Seconds before a call without an answer fails. */
#define CALL_TIMEOUT 2
/* No cell takes longer: a throttle waits ThrottleSeconds (1 here) before
 * each of its three retries, a timeout CALL_TIMEOUT per attempt. The
 * sign-in flows and the token refresh wait 30 s for an answer
 * (qm-oauth2-flow.c, qm-psn-flow.c): their cells may take SIGN_IN_SECONDS. */
#define CELL_SECONDS 20
#define SIGN_IN_SECONDS 45

/* ------------------------------------------------------------------------
 * The faults (the columns)
 * ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  /* The rules, with @ for the operation's endpoints. */
  const char *spec;
} Fault;

static const Fault faults[] = {
  { "maintenance",     "maintenance,endpoint=@" },
  { "throttle",        "throttle,seconds=1,endpoint=@" },           /* every attempt */
  { "throttle-once",   "throttle,seconds=1,times=1,endpoint=@" },   /* the retry goes through */
  { "html502",         "html502,endpoint=@" },
  { "http500",         "http500,endpoint=@" },
  { "reset",           "reset,endpoint=@" },
  { "delay",           "delay:500,endpoint=@" },
  { "timeout",         "timeout,endpoint=@" },
  { "truncate",        "truncate,endpoint=@" },
  { "token-expired",   "token-expired,times=1,endpoint=@" },        /* refreshed, then retried */
  { "refresh-expired", "token-expired,times=1,endpoint=@;refresh-expired" },
  { "error",           "error:DestinyUnexpectedError,endpoint=@" },
};

/* ------------------------------------------------------------------------
 * A cell
 * ------------------------------------------------------------------------ */

typedef struct
{
  QmSandbox     *sandbox;
  QmSession     *session;
  QmInventory   *shown;        /* the inventory shown before the operation */
  QmMoveRequest  request;      /* for the move queue's operations */
  QmXur         *xur;
  /* In-game loadout equip: the loadout (character, index). */
  char          *character_id;
  int            index;
  /* Saved-loadout apply. */
  QmLoadoutApply *apply;
  char          *store_dir;
} Cell;

typedef struct
{
  const char *name;
  /* The calls a fault hits (endpoint=). */
  const char *endpoints;
  /* Seconds the operation may take at most. */
  guint       bound;
  /* Signed in and the inventory shown before the operation. */
  gboolean    signed_in;
  gboolean    loaded;
  /* Get ready (after signing in and loading); may be NULL. */
  void      (*prepare) (Cell *cell);
  gboolean  (*run)     (Cell *cell, GError **error);
  /* What each fault leads to, in the order of faults[]:
   *   "done"          the operation went through
   *   "kept:TEXT"     it failed, and what was shown is kept (the
   *                   inventory, or the definitions of the last run);
   *                   qm_error_describe() says TEXT (a part of it)
   *   "msg:TEXT"      it failed and says TEXT (for a load: the inventory
   *                   shows, its items unnamed)
   *   "out:TEXT"      the session signed out, saying TEXT */
  const char *expect[G_N_ELEMENTS (faults)];
} Operation;

/* The browser's part: approving the sandbox's page. */
static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QmSession) session = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

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

/* Spin until @res has a result, failing after CELL_SECONDS. */
static guint bound = CELL_SECONDS;

static GAsyncResult *
wait_bounded (QmTestResult *res,
              const char   *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (bound, qm_test_flag_cb, &timed_out);

  while (res->result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("%s did not end within %u s", what, bound);
  g_source_remove (id);
  return res->result;
}

static void
set_timeouts (Cell *cell)
{
  QmBungieClient *client = qm_session_get_client (cell->session);

  if (client != NULL)
    qm_bungie_client_set_timeout (client, CALL_TIMEOUT);
}

static gboolean
sign_in_oauth (Cell    *cell,
               GError **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_session_sign_in_oauth_async (cell->session, NULL, qm_test_result_cb, &res);
  ok = qm_session_sign_in_finish (cell->session, wait_bounded (&res, "the OAuth sign-in"), error);
  qm_test_result_clear (&res);
  set_timeouts (cell);
  return ok;
}

static gboolean
sign_in_psn (Cell    *cell,
             GError **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_session_sign_in_psn_async (cell->session, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD, NULL,
                                qm_test_result_cb, &res);
  ok = qm_session_sign_in_finish (cell->session, wait_bounded (&res, "the PSN sign-in"), error);
  qm_test_result_clear (&res);
  set_timeouts (cell);
  return ok;
}

static gboolean
refresh (Cell    *cell,
         GError **error)
{
  g_autoptr(QmInventory) inventory = NULL;
  QmTestResult res = { 0 };

  qm_session_refresh_async (cell->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (cell->session, wait_bounded (&res, "the refresh"), error);
  qm_test_result_clear (&res);
  return inventory != NULL;
}

/* ------------------------------------------------------------------------
 * The operations (the rows)
 * ------------------------------------------------------------------------ */

static void
expire_tokens (Cell *cell)
{
  /* The next call refreshes the access token first. */
  qm_sandbox_expire_access_tokens (cell->sandbox);
}

static void
remove_manifest_cache (Cell *cell)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "quartermaster", "manifest", NULL);

  qm_test_remove_tree (dir);
}

/* The definitions on disk, as a run before this one left them. */
static void
fill_manifest_cache (Cell *cell)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  qm_manifest_update_async (manifest, qm_session_get_client (cell->session), NULL, qm_test_result_cb, &res);
  g_assert_true (qm_manifest_update_finish (manifest, qm_test_wait_result (&res), NULL, &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
}

static gboolean
run_xur (Cell    *cell,
         GError **error)
{
  QmInventory *inventory = qm_session_get_inventory (cell->session);
  QmProfile *profile = qm_inventory_get_profile (inventory);
  QmTestResult res = { 0 };

  qm_xur_load_for_membership_async (qm_session_get_client (cell->session), qm_profile_get_membership_type (profile),
                                    qm_session_get_membership_id (cell->session), inventory, NULL,
                                    qm_test_result_cb, &res);
  cell->xur = qm_xur_load_finish (wait_bounded (&res, "Xûr's load"), error);
  qm_test_result_clear (&res);
  return cell->xur != NULL;
}

/* An item of the account as the move queue sees it, by a test. */
static const QmMoveItem *
find_item (QmMoveState *state,
           gboolean   (*test) (QmMoveState *state, const QmMoveItem *item))
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (test (state, item))
        return item;
    }
  g_assert_not_reached ();
}

static int
held_in_slot (QmMoveState *state,
              int          owner,
              guint32      slot)
{
  int held = 0;

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      held += item->owner == owner && item->slot == slot &&
              (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY);
    }
  return held;
}

/* A vault weapon the first character has room for: one TransferItem. */
static gboolean
is_plain_transfer (QmMoveState      *state,
                   const QmMoveItem *item)
{
  return item->place == QM_MOVE_PLACE_VAULT && item->instance_id != 0 &&
         (item->flags & QM_MOVE_ITEM_EQUIPPABLE) != 0 && item->class_type == QM_MOVE_CLASS_ANY &&
         held_in_slot (state, 0, item->slot) < 9;
}

/* An unequipped non-exotic on the first character, of its class: one EquipItem. */
static gboolean
is_plain_equip (QmMoveState      *state,
                const QmMoveItem *item)
{
  return item->place == QM_MOVE_PLACE_INVENTORY && item->owner == 0 && item->instance_id != 0 &&
         (item->flags & QM_MOVE_ITEM_EQUIPPABLE) != 0 && item->tier_type != QM_MOVE_TIER_EXOTIC &&
         (item->class_type == QM_MOVE_CLASS_ANY || item->class_type == state->characters[0].class_type);
}

static gboolean
is_unlocked (QmMoveState      *state,
             const QmMoveItem *item)
{
  return item->instance_id != 0 && (item->flags & QM_MOVE_ITEM_LOCKABLE) != 0 &&
         (item->flags & QM_MOVE_ITEM_LOCKED) == 0;
}

/* A postmaster item whose owner has room: one PullFromPostmaster. */
static gboolean
is_plain_pull (QmMoveState      *state,
               const QmMoveItem *item)
{
  return item->place == QM_MOVE_PLACE_POSTMASTER && item->instance_id != 0 &&
         (item->flags & QM_MOVE_ITEM_PULL_SIDE_EFFECTS) == 0 && held_in_slot (state, item->owner, item->slot) < 9;
}

static void
prepare_move (Cell             *cell,
              QmMoveRequestKind kind,
              gboolean        (*test) (QmMoveState *state, const QmMoveItem *item))
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (qm_session_get_executor (cell->session));
  const QmMoveItem *item = find_item (state, test);
  g_autoptr(GArray) plan = NULL;

  cell->request = (QmMoveRequest) { .kind = kind, .instance_id = item->instance_id, .hash = item->hash,
                                    .place = item->place, .owner = item->owner,
                                    .target = kind == QM_MOVE_REQUEST_PULL ? item->owner : 0 };
  /* One call: the fault hits the step itself. */
  plan = qm_move_executor_plan (qm_session_get_executor (cell->session), &cell->request, 1, NULL, NULL);
  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->len, ==, 1);
}

static void
prepare_transfer (Cell *cell)
{
  prepare_move (cell, QM_MOVE_REQUEST_MOVE, is_plain_transfer);
}

static void
prepare_equip (Cell *cell)
{
  prepare_move (cell, QM_MOVE_REQUEST_EQUIP, is_plain_equip);
}

static void
prepare_lock (Cell *cell)
{
  prepare_move (cell, QM_MOVE_REQUEST_LOCK, is_unlocked);
}

static void
prepare_pull (Cell *cell)
{
  prepare_move (cell, QM_MOVE_REQUEST_PULL, is_plain_pull);
}

static gboolean
run_move (Cell    *cell,
          GError **error)
{
  QmMoveExecutor *executor = qm_session_get_executor (cell->session);
  QmTestResult res = { 0 };
  gboolean ok;

  qm_move_executor_run_async (executor, &cell->request, 1, NULL, NULL, qm_test_result_cb, &res);
  ok = qm_move_executor_run_finish (executor, wait_bounded (&res, "the move"), NULL, error);
  qm_test_result_clear (&res);
  return ok;
}

/* A loadout of the first character that is not worn and whose items can
 * all come to it: the moves first, then EquipLoadout, then the profile read
 * again. */
static void
prepare_loadout_equip (Cell *cell)
{
  QmLoadoutManager *manager = qm_session_get_loadout_manager (cell->session);
  QmInventory *inventory = qm_session_get_inventory (cell->session);
  const char *character_id = qm_profile_get_character (qm_inventory_get_profile (inventory), 0)->id;
  g_autoptr(QmLoadouts) loadouts = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  GListModel *list;

  qm_loadout_manager_refresh_async (manager, NULL, qm_test_result_cb, &res);
  loadouts = qm_loadout_manager_refresh_finish (manager, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  list = qm_loadouts_get_for_character (loadouts, character_id);
  g_assert_nonnull (list);
  for (guint i = 0; i < g_list_model_get_n_items (list) && cell->character_id == NULL; i++)
    {
      g_autoptr(QmLoadout) loadout = g_list_model_get_item (list, i);

      if (qm_loadout_get_status (loadout, inventory, NULL) == QM_LOADOUT_STATUS_READY)
        {
          cell->character_id = g_strdup (character_id);
          cell->index = qm_loadout_get_index (loadout);
        }
    }
  g_assert_nonnull (cell->character_id);
}

static gboolean
run_loadout_equip (Cell    *cell,
                   GError **error)
{
  QmLoadoutManager *manager = qm_session_get_loadout_manager (cell->session);
  g_autoptr(QmLoadouts) loadouts = NULL;
  g_autofree char *notice = NULL;
  QmTestResult res = { 0 };

  qm_loadout_manager_equip_async (manager, cell->character_id, cell->index, NULL, qm_test_result_cb, &res);
  loadouts = qm_loadout_manager_action_finish (manager, wait_bounded (&res, "the loadout equip"), &notice, error);
  qm_test_result_clear (&res);
  return loadouts != NULL;
}

/* A saved loadout of a vault weapon, equipped on the first character: one
 * TransferItem, then EquipItems. */
static void
prepare_loadout_apply (Cell *cell)
{
  QmMoveExecutor *executor = qm_session_get_executor (cell->session);
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (executor);
  const QmMoveItem *item = find_item (state, is_plain_transfer);
  QmLoadoutItem saved = { .instance_id = item->instance_id, .hash = item->hash, .equip = TRUE };
  g_autofree char *path = NULL;
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *loadout;

  cell->store_dir = g_dir_make_tmp ("qm-fault-matrix-loadouts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (cell->store_dir, "loadouts.json", NULL);
  store = qm_loadout_store_new_for_path (path);
  loadout = qm_loadout_store_create (store, "Fault", QM_MOVE_CLASS_ANY, &saved, 1, &error);
  g_assert_no_error (error);
  cell->apply = qm_loadout_apply_new (executor, store, loadout, state->characters[0].id, &error);
  g_assert_no_error (error);
}

static gboolean
run_loadout_apply (Cell    *cell,
                   GError **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_loadout_apply_run_async (cell->apply, NULL, qm_test_result_cb, &res);
  ok = qm_loadout_apply_run_finish (cell->apply, wait_bounded (&res, "the loadout apply"), error);
  qm_test_result_clear (&res);
  return ok;
}

/* Words of qm_error_describe()'s sentences (qm-error.c), and of the move
 * queue's (qm-move-executor.c). */
#define DOWN      "down for maintenance"
#define TROUBLE   "having problems right now"
#define BUSY      "busy right now"
#define UNREACHED "Could not reach Bungie.net"
#define NO_ANSWER "did not answer in time"
#define GARBLED   "Bungie.net sent an answer that could not be read"
#define EXPIRED   "Sign in again"
#define E1626     "DestinyInternalError"
#define E1618     "DestinyUnexpectedError"
#define CODE      "did not accept the sign-in code"
#define PSN_PAGE  "sign-in page did not open"
#define MOVE_DOWN "down for maintenance; the rest was not moved"
#define MOVE_BUSY "asked to slow down and is still busy"
/* A saved loadout's apply that did nothing: its count, then the failures. */
#define APPLY_NONE "0 equipped, 0 moved, 0 already there.\n"

/* The faults' order: maintenance, throttle, throttle-once, html502,
 * http500, reset, delay, timeout, truncate, token-expired,
 * refresh-expired, error. */
static const Operation operations[] = {
  /* Sign-ins: the authorization code's exchange and the memberships. A
   * failed exchange is not retried (the code is good once). */
  { "signin-oauth", "Token|GetMembershipsForCurrentUser", SIGN_IN_SECONDS, FALSE, FALSE, NULL, sign_in_oauth,
    { "msg:" DOWN, "msg:" TROUBLE, "msg:" TROUBLE, "msg:" TROUBLE, "msg:" TROUBLE, "msg:" UNREACHED, "done",
      "msg:" NO_ANSWER, "msg:" GARBLED, "msg:" CODE, "msg:" CODE, "msg:" TROUBLE } },
  /* The PSN chain follows redirects: a cut page body does not matter. */
  { "signin-psn", "PsnSignIn|PsnAuthorize|PsnSignInPage|PsnLogin|PsnGrant|GetMembershipsForCurrentUser",
    SIGN_IN_SECONDS, FALSE, FALSE, NULL, sign_in_psn,
    { "msg:" PSN_PAGE, "msg:" PSN_PAGE, "msg:" PSN_PAGE, "msg:" PSN_PAGE, "msg:" PSN_PAGE, "msg:" UNREACHED,
      "done", "msg:" NO_ANSWER, "done", "msg:" PSN_PAGE, "msg:" PSN_PAGE, "msg:" PSN_PAGE } },
  /* An expired access token refreshed before the load: a failed refresh
   * keeps the sign-in and the inventory shown, unless the refresh token
   * itself is refused. */
  { "token-refresh", "Token", SIGN_IN_SECONDS, TRUE, TRUE, expire_tokens, refresh,
    { "kept:" DOWN, "kept:" TROUBLE, "kept:" TROUBLE, "kept:" TROUBLE, "kept:" TROUBLE, "kept:" UNREACHED,
      "done", "kept:" NO_ANSWER, "kept:" GARBLED, "out:" EXPIRED, "out:" EXPIRED, "kept:" TROUBLE } },
  /* The definitions from the last run are used when the manifest cannot
   * be checked or its tables cannot be read. The manifest is asked for
   * without a token, so a 2111 there is not refreshed for (Bungie does not
   * answer it there; the words say "sign in again" all the same). */
  { "manifest-warm", "Manifest|Content", CELL_SECONDS, TRUE, FALSE, fill_manifest_cache, refresh,
    { "kept:" DOWN, "kept:" BUSY, "done", "kept:" TROUBLE, "kept:" E1626, "kept:" UNREACHED, "done",
      "kept:" NO_ANSWER, "kept:" GARBLED, "kept:" EXPIRED, "kept:" EXPIRED, "kept:" E1618 } },
  /* Without them, the inventory shows its items unnamed and says why. */
  { "manifest-cold", "Manifest|Content", CELL_SECONDS, TRUE, FALSE, remove_manifest_cache, refresh,
    { "msg:" DOWN, "msg:" BUSY, "done", "msg:" TROUBLE, "msg:" E1626, "msg:" UNREACHED, "done",
      "msg:" NO_ANSWER, "msg:" GARBLED, "msg:" EXPIRED, "msg:" EXPIRED, "msg:" E1618 } },
  /* A failed load keeps the inventory shown. */
  { "profile", "GetProfile", CELL_SECONDS, TRUE, TRUE, NULL, refresh,
    { "kept:" DOWN, "kept:" BUSY, "done", "kept:" TROUBLE, "kept:" E1626, "kept:" UNREACHED, "done",
      "kept:" NO_ANSWER, "kept:" GARBLED, "done", "out:" EXPIRED, "kept:" E1618 } },
  { "xur", "GetVendor|GetVendors", CELL_SECONDS, TRUE, TRUE, NULL, run_xur,
    { "msg:" DOWN, "msg:" BUSY, "done", "msg:" TROUBLE, "msg:" E1626, "msg:" UNREACHED, "done",
      "msg:" NO_ANSWER, "msg:" GARBLED, "done", "out:" EXPIRED, "msg:" E1618 } },
  /* The move queue: one step each, named in the words of what it does; a
   * failed step reloads the profile. */
  { "transfer", "TransferItem", CELL_SECONDS, TRUE, TRUE, prepare_transfer, run_move,
    { "msg:" MOVE_DOWN, "msg:" MOVE_BUSY, "done", "msg:could not be moved: Bungie.net is " TROUBLE,
      "msg:could not be moved: Bungie.net reported an error", "msg:could not be moved: " UNREACHED, "done",
      "msg:could not be moved: Bungie.net " NO_ANSWER, "msg:could not be moved: " GARBLED, "done",
      "out:could not be moved: Your sign-in has expired", "msg:could not be moved: Bungie.net reported an error" } },
  { "equip", "EquipItem", CELL_SECONDS, TRUE, TRUE, prepare_equip, run_move,
    { "msg:" MOVE_DOWN, "msg:" MOVE_BUSY, "done", "msg:could not be equipped: Bungie.net is " TROUBLE,
      "msg:could not be equipped: Bungie.net reported an error", "msg:could not be equipped: " UNREACHED, "done",
      "msg:could not be equipped: Bungie.net " NO_ANSWER, "msg:could not be equipped: " GARBLED, "done",
      "out:could not be equipped: Your sign-in has expired",
      "msg:could not be equipped: Bungie.net reported an error" } },
  { "lock", "SetLockState", CELL_SECONDS, TRUE, TRUE, prepare_lock, run_move,
    { "msg:" MOVE_DOWN, "msg:" MOVE_BUSY, "done", "msg:could not be locked: Bungie.net is " TROUBLE,
      "msg:could not be locked: Bungie.net reported an error", "msg:could not be locked: " UNREACHED, "done",
      "msg:could not be locked: Bungie.net " NO_ANSWER, "msg:could not be locked: " GARBLED, "done",
      "out:could not be locked: Your sign-in has expired", "msg:could not be locked: Bungie.net reported an error" } },
  { "pull", "PullFromPostmaster", CELL_SECONDS, TRUE, TRUE, prepare_pull, run_move,
    { "msg:" MOVE_DOWN, "msg:" MOVE_BUSY, "done", "msg:could not be taken from the postmaster: Bungie.net is " TROUBLE,
      "msg:could not be taken from the postmaster: Bungie.net reported an error",
      "msg:could not be taken from the postmaster: " UNREACHED, "done",
      "msg:could not be taken from the postmaster: Bungie.net " NO_ANSWER,
      "msg:could not be taken from the postmaster: " GARBLED, "done",
      "out:could not be taken from the postmaster: Your sign-in has expired",
      "msg:could not be taken from the postmaster: Bungie.net reported an error" } },
  /* In-game loadout equip: the items come first (unfaulted), then
   * EquipLoadout; a refused EquipLoadout names the loadout. The loadouts
   * and the profile are read again either way. */
  { "loadout-equip", "EquipLoadout", CELL_SECONDS, TRUE, TRUE, prepare_loadout_equip, run_loadout_equip,
    { "msg:" DOWN, "msg:" BUSY, "done", "msg:" TROUBLE, "msg:refused the change to loadout 2: Bungie.net reported an error",
      "msg:" UNREACHED, "done", "msg:" NO_ANSWER, "msg:" GARBLED, "done", "out:" EXPIRED,
      "msg:refused the change to loadout 2: Bungie.net reported an error" } },
  /* Saved-loadout apply: the item's TransferItem, then EquipItems. A
   * failed move leaves the item where it was and the apply says so, in
   * its count and by the item's name; nothing is equipped without it. */
  { "loadout-apply", "TransferItem|EquipItems", CELL_SECONDS, TRUE, TRUE, prepare_loadout_apply, run_loadout_apply,
    { "msg:" APPLY_NONE "1 failed: Bungie.net is " DOWN, "msg:" APPLY_NONE "1 failed: Bungie.net " MOVE_BUSY, "done",
      "msg:could not be moved: Bungie.net is " TROUBLE,
      "msg:could not be moved: Bungie.net reported an error",
      "msg:could not be moved: " UNREACHED, "done",
      "msg:could not be moved: Bungie.net " NO_ANSWER,
      "msg:could not be moved: " GARBLED, "done",
      "out:could not be moved: Your sign-in has expired",
      "msg:could not be moved: Bungie.net reported an error" } },
};

/* ------------------------------------------------------------------------
 * Running a row
 * ------------------------------------------------------------------------ */

static char *record_path;

static void
cell_set_up (Cell            *cell,
             const Operation *op)
{
  QmSandboxOptions options = { .record_path = record_path };
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  g_autoptr(GError) error = NULL;

  cell->sandbox = qm_test_sandbox_new (&options);
  cell->session = qm_session_new (NULL);
  config = qm_sandbox_dup_config (cell->sandbox);
  qm_session_set_account (cell->session, config, store, TRUE);
  qm_session_set_uri_launcher (cell->session, approve_launcher, cell->session, NULL);
  if (op->signed_in)
    {
      g_assert_true (sign_in_oauth (cell, &error));
      g_assert_no_error (error);
    }
  if (op->loaded)
    {
      g_assert_true (refresh (cell, &error));
      g_assert_no_error (error);
      cell->shown = g_object_ref (qm_session_get_inventory (cell->session));
    }
  if (op->prepare != NULL)
    op->prepare (cell);
}

static guint
count_named (QmInventory *inventory)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      n += qm_item_get_name (item) != NULL;
    }
  return n;
}

static void
cell_tear_down (Cell *cell)
{
  g_clear_object (&cell->xur);
  g_clear_object (&cell->apply);
  g_clear_pointer (&cell->character_id, g_free);
  if (cell->store_dir != NULL)
    qm_test_remove_tree (cell->store_dir);
  g_clear_pointer (&cell->store_dir, g_free);
  g_clear_object (&cell->shown);
  g_clear_object (&cell->session);
  qm_sandbox_stop (cell->sandbox);
  g_clear_object (&cell->sandbox);
}

static void
assert_shown_is_sandbox (Cell *cell)
{
  QmInventory *inventory = qm_session_get_inventory (cell->session);
  g_autofree char *model = NULL;
  g_autofree char *server = NULL;

  if (inventory == NULL)
    return;
  model = qm_test_profile_signature (qm_inventory_get_profile (inventory));
  server = qm_test_sandbox_signature (cell->sandbox);
  g_assert_cmpstr (model, ==, server);
}

static void
run_cell (const Operation *op,
          guint            column)
{
  const Fault *fault = &faults[column];
  const char *expect = op->expect[column];
  g_auto(GStrv) parts = g_strsplit (fault->spec, "@", -1);
  g_autofree char *spec = g_strjoinv (op->endpoints, parts);
  g_autofree char *holdings = NULL;
  g_autofree char *after = NULL;
  g_autofree char *said = NULL;
  g_autofree char *seen = NULL;
  g_autoptr(GError) error = NULL;
  Cell cell = { 0 };
  gint64 start;
  gboolean ok;
  gboolean kept;
  gboolean named = FALSE;

  cell_set_up (&cell, op);
  holdings = qm_test_sandbox_holdings (cell.sandbox);
  g_assert_true (qm_sandbox_set_faults (cell.sandbox, spec, NULL));

  g_test_message ("%s x %s: %s", op->name, fault->name, spec);
  start = g_get_monotonic_time ();
  bound = op->bound;
  ok = op->run (&cell, &error);
  bound = CELL_SECONDS;
  g_assert_true (ok == (error == NULL));
  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <, op->bound);
  g_assert_true (qm_sandbox_set_faults (cell.sandbox, "", NULL));

  if (error != NULL)
    said = qm_error_describe (error);
  /* A load that went through without fresh definitions says why. */
  if (ok && op->run == refresh && qm_inventory_get_manifest_error (qm_session_get_inventory (cell.session)))
    {
      QmInventory *inventory = qm_session_get_inventory (cell.session);

      said = qm_error_describe (qm_inventory_get_manifest_error (inventory));
      named = count_named (inventory) > 0;
      ok = FALSE;
    }
  /* What was shown before is still shown (the inventory), or the
   * definitions from the cache are used. */
  kept = !ok && ((cell.shown != NULL && qm_session_get_inventory (cell.session) == cell.shown) || named);
  if (ok)
    seen = g_strdup ("done");
  else if (!qm_session_get_signed_in (cell.session) && op->signed_in)
    seen = g_strdup_printf ("out:%s", said);
  else if (kept && op->run == refresh)
    seen = g_strdup_printf ("kept:%s", said);
  else
    seen = g_strdup_printf ("msg:%s", said);
  g_test_message ("%s x %s -> %s", op->name, fault->name, seen);

  if (g_str_equal (expect, "done"))
    g_assert_cmpstr (seen, ==, expect);
  else
    {
      const char *colon = strchr (expect, ':');
      g_autofree char *kind = g_strndup (expect, colon - expect + 1);

      if (!g_str_has_prefix (seen, kind) || strstr (seen, colon + 1) == NULL)
        g_error ("%s x %s: expected \"%s\", got \"%s\"", op->name, fault->name, expect, seen);
    }

  /* Nothing lost or made; what is shown is what the sandbox holds (once
   * the session can load again after a failed load). */
  after = qm_test_sandbox_holdings (cell.sandbox);
  g_assert_cmpstr (after, ==, holdings);
  assert_shown_is_sandbox (&cell);
  cell_tear_down (&cell);
}

static void
test_row (gconstpointer data)
{
  const Operation *op = data;

  for (guint column = 0; column < G_N_ELEMENTS (faults); column++)
    run_cell (op, column);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *record_dir = NULL;
  int status;

  qm_test_init (&argc, &argv);
  record_dir = g_dir_make_tmp ("qm-fault-matrix-XXXXXX", NULL);
  record_path = g_build_filename (record_dir, "traffic.jsonl", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fault-matrix/%s", operations[i].name);

      g_test_add_data_func (path, &operations[i], test_row);
    }
  status = g_test_run ();

  /* The traffic, faults included, is Bungie's. */
  if (status == 0 && g_file_test (record_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *output = NULL;

      if (!qm_test_contract_check (record_path, NULL, &output))
        {
          g_printerr ("contract check failed:\n%s", output);
          status = 1;
        }
    }
  g_unlink (record_path);
  g_rmdir (record_dir);
  g_free (record_path);
  return status;
}
