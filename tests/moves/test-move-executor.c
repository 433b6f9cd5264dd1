/* test-move-executor.c: planned moves run against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The move: the Titan's equipped kinetic weapon to the Hunter, equipped
 * there (a replacement equipped on the Titan, through the vault, equipped on
 * the Hunter). Each fault the sandbox can inject hits each step in turn;
 * afterwards the items the executor shows are the sandbox's, and the
 * account holds the same instances as before.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "qm-move-executor.h"
#include "qm-profile.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

static QmManifest *manifest;
/* Every test's traffic, checked against Bungie's spec at the end. */
static char *record_path;

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
  QmInventory    *inventory;
  QmMoveExecutor *executor;
  guint           steps_done;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  QmSandboxOptions options = { .record_path = record_path };
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->sandbox = qm_test_sandbox_new (&options);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
  /* One manifest for every test (each sandbox serves the same content),
   * made once the test's own directories are set. */
  if (manifest == NULL)
    manifest = qm_manifest_new (NULL);
  qm_inventory_load_with_manifest_async (fixture->client, manifest, NULL, qm_test_result_cb, &res);
  fixture->inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  fixture->executor = qm_move_executor_new (fixture->client, fixture->inventory);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->executor);
  g_clear_object (&fixture->inventory);
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* ------------------------------------------------------------------------
 * Comparing the model with the sandbox
 * ------------------------------------------------------------------------ */

static void
assert_model_is_sandbox (Fixture *fixture)
{
  QmInventory *shown = qm_move_executor_get_inventory (fixture->executor);
  g_autofree char *model = qm_test_profile_signature (qm_inventory_get_profile (shown));
  g_autofree char *server = qm_test_sandbox_signature (fixture->sandbox);

  g_assert_cmpstr (model, ==, server);
}

/* ------------------------------------------------------------------------
 * The move
 * ------------------------------------------------------------------------ */

static QmItem *
find_item (QmInventory    *inventory,
           QmItemLocation  location,
           const char     *character_id,
           guint32         slot)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == location && qm_item_get_slot_hash (item) == slot &&
          g_strcmp0 (qm_item_get_character_id (item), character_id) == 0 &&
          qm_item_get_instance_id (item) != NULL)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static const char *
character_id (Fixture *fixture,
              guint    index)
{
  return qm_profile_get_character (qm_inventory_get_profile (fixture->inventory), index)->id;
}

/* The Titan's equipped kinetic weapon to the Hunter, equipped. */
static QmMoveRequest
the_move (Fixture *fixture,
          char   **instance_id)
{
  g_autoptr(QmItem) item = find_item (fixture->inventory, QM_ITEM_LOCATION_EQUIPPED, character_id (fixture, 0),
                                      QM_BUCKET_KINETIC);
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE, .target = 1, .equip = TRUE };

  g_assert_nonnull (item);
  request.instance_id = g_ascii_strtoull (qm_item_get_instance_id (item), NULL, 10);
  if (instance_id != NULL)
    *instance_id = g_strdup (qm_item_get_instance_id (item));
  return request;
}

static void
on_step_done_cb (QmMoveExecutor *executor,
                 guint           index,
                 gpointer        user_data)
{
  Fixture *fixture = user_data;

  g_assert_cmpuint (index, ==, fixture->steps_done);
  fixture->steps_done++;
}

static gboolean
run (Fixture             *fixture,
     const QmMoveRequest *requests,
     guint                n_requests,
     GCancellable        *cancellable,
     char               **notice,
     GError             **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_move_executor_run_async (fixture->executor, requests, n_requests, NULL, cancellable, qm_test_result_cb, &res);
  ok = qm_move_executor_run_finish (fixture->executor, qm_test_wait_result (&res), notice, error);
  qm_test_result_clear (&res);
  return ok;
}

static void
test_plain (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;
  QmMoveRequest request = the_move (fixture, &id);
  g_autofree char *before = qm_test_sandbox_holdings (fixture->sandbox);
  g_autofree char *after = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmItem) moved = NULL;
  g_autoptr(QmProfile) server = NULL;
  GArray *steps;

  g_signal_connect (fixture->executor, "step-done", G_CALLBACK (on_step_done_cb), fixture);
  g_assert_true (run (fixture, &request, 1, NULL, &notice, &error));
  g_assert_no_error (error);
  g_assert_null (notice);

  steps = qm_move_executor_get_steps (fixture->executor);
  text = qm_move_steps_to_string (steps);
  g_test_message ("steps: %s", text);
  g_assert_cmpuint (steps->len, >=, 4);
  g_assert_cmpuint (fixture->steps_done, ==, steps->len);
  g_assert_cmpint (qm_move_executor_get_current_step (fixture->executor), ==, -1);
  g_assert_false (qm_move_executor_get_running (fixture->executor));
  g_assert_true (qm_move_executor_get_can_undo (fixture->executor));
  g_assert_cmpint (g_array_index (steps, QmMoveStep, 0).kind, ==, QM_MOVE_STEP_EQUIP);
  g_assert_true (g_array_index (steps, QmMoveStep, 0).aside);

  /* The server has it equipped on the Hunter, and so does the model. */
  server = qm_test_sandbox_profile (fixture->sandbox);
  moved = find_item (fixture->inventory, QM_ITEM_LOCATION_EQUIPPED, character_id (fixture, 1), QM_BUCKET_KINETIC);
  g_assert_cmpstr (qm_item_get_instance_id (moved), ==, id);
  assert_model_is_sandbox (fixture);
  /* No reload was needed: the model is the one the run started with. */
  g_assert_true (qm_move_executor_get_inventory (fixture->executor) == fixture->inventory);
  after = qm_test_sandbox_holdings (fixture->sandbox);
  g_assert_cmpstr (before, ==, after);
}

/* ------------------------------------------------------------------------
 * Faults at every step
 * ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *spec;
} Fault;

static const Fault faults[] = {
  { "throttle", "throttle,seconds=1" },
  { "maintenance", "maintenance" },
  { "reset", "reset" },
  { "1642", "error:1642" },
  { "1656", "error:1656" },
  { "1623", "error:1623" },
  { "1671", "error:1671" },
  { "timeout", "timeout" },
};

static void
test_fault (gconstpointer data)
{
  const Fault *fault = data;
  guint n_steps = G_MAXUINT;

  /* Each step in turn, as many as the move takes on an untouched account. */
  for (guint call = 1; call <= n_steps; call++)
    {
      Fixture fixture = { 0 };
      g_autofree char *spec = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *notice = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) plan = NULL;
      QmMoveRequest request;
      QmMoveStep step;
      gboolean ok;

      fixture_set_up (&fixture, NULL);
      request = the_move (&fixture, NULL);
      plan = qm_move_executor_plan (fixture.executor, &request, 1, NULL, NULL);
      g_assert_nonnull (plan);
      n_steps = plan->len;
      g_assert_cmpuint (call, <=, n_steps);
      step = g_array_index (plan, QmMoveStep, call - 1);
      before = qm_test_sandbox_holdings (fixture.sandbox);

      spec = g_strdup_printf ("%s,endpoint=TransferItem|EquipItem|PullFromPostmaster|SetLockState,calls=%u",
                              fault->spec, call);
      g_assert_true (qm_sandbox_set_faults (fixture.sandbox, spec, NULL));
      /* A call with no answer fails after a few seconds, not thirty. */
      if (g_str_equal (fault->name, "timeout"))
        qm_bungie_client_set_timeout (fixture.client, 5);
      ok = run (&fixture, &request, 1, NULL, &notice, &error);
      g_test_message ("%s at step %u: %s%s%s", fault->name, call, ok ? "done" : error->message,
                      notice != NULL ? "; " : "", notice != NULL ? notice : "");

      /* What the model shows is what the server did, and nothing was lost
       * or made. */
      assert_model_is_sandbox (&fixture);
      after = qm_test_sandbox_holdings (fixture.sandbox);
      g_assert_cmpstr (before, ==, after);

      if (g_str_equal (fault->name, "throttle"))
        g_assert_no_error (error);
      else if (g_str_equal (fault->name, "maintenance"))
        g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_MAINTENANCE);
      else if (g_str_equal (fault->name, "1623"))
        g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_GONE);
      else if (g_str_equal (fault->name, "reset") || g_str_equal (fault->name, "timeout"))
        g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED);
      else if (g_str_equal (fault->name, "1656") && step.kind == QM_MOVE_STEP_TO_VAULT)
        g_assert_no_error (error);           /* equipped after all: dequipped, retried */
      else if (g_str_equal (fault->name, "1642") && step.kind != QM_MOVE_STEP_EQUIP)
        g_assert_no_error (error);           /* fuller than it looked: room made, retried */
      else if (g_str_equal (fault->name, "1671") && step.kind == QM_MOVE_STEP_EQUIP && !step.aside)
        {
          g_assert_no_error (error);         /* moved, not equipped, and said so */
          g_assert_nonnull (notice);
          g_assert_nonnull (strstr (notice, "not in orbit"));
        }
      else
        g_assert_nonnull (error);
      if (ok)
        g_assert_true (qm_move_executor_get_can_undo (fixture.executor));
      fixture_tear_down (&fixture, NULL);
    }
}

/* ------------------------------------------------------------------------
 * The rest
 * ------------------------------------------------------------------------ */

static void
test_not_in_orbit (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  QmMoveRequest request = the_move (fixture, &id);
  g_autofree char *notice = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmItem) moved = NULL;

  qm_sandbox_set_character_location (fixture->sandbox, character_id (fixture, 1), QM_SANDBOX_LOCATION_ACTIVITY);
  g_assert_true (run (fixture, &request, 1, NULL, &notice, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (notice, "not in orbit"));
  moved = find_item (fixture->inventory, QM_ITEM_LOCATION_INVENTORY, character_id (fixture, 1), QM_BUCKET_KINETIC);
  g_assert_nonnull (moved);
  assert_model_is_sandbox (fixture);
}

static void
on_step_cancel_cb (QmMoveExecutor *executor,
                   guint           index,
                   gpointer        user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  QmMoveRequest request = the_move (fixture, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = qm_test_sandbox_holdings (fixture->sandbox);
  g_autofree char *after = NULL;

  g_signal_connect (fixture->executor, "step-done", G_CALLBACK (on_step_cancel_cb), cancellable);
  g_assert_false (run (fixture, &request, 1, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "EquipItem") +
                    qm_sandbox_get_call_count (fixture->sandbox, "TransferItem"), ==, 1);
  assert_model_is_sandbox (fixture);
  after = qm_test_sandbox_holdings (fixture->sandbox);
  g_assert_cmpstr (before, ==, after);
  /* A cancelled run leaves nothing to undo. */
  g_assert_false (qm_move_executor_get_can_undo (fixture->executor));
}

/* Refused before any call. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (fixture->inventory));
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_EQUIP, .target = 0 };
  g_autoptr(GError) error = NULL;

  /* A Hunter-only item, equipped on the Titan. */
  for (guint i = 0; i < g_list_model_get_n_items (items) && request.instance_id == 0; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_class_type (item) == 1 && qm_item_get_equippable (item) &&
          qm_item_get_instance_id (item) != NULL)
        request.instance_id = g_ascii_strtoull (qm_item_get_instance_id (item), NULL, 10);
    }
  g_assert_cmpuint (request.instance_id, !=, 0);
  g_assert_false (run (fixture, &request, 1, NULL, NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_CLASS);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "TransferItem"), ==, 0);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "EquipItem"), ==, 0);
}

/* A refused step is told in the words of what it does. */
static void
test_words (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (fixture->executor);
  QmMoveRequest lock = { .kind = QM_MOVE_REQUEST_LOCK };
  QmMoveRequest equip = the_move (fixture, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < state->items->len && lock.instance_id == 0; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->instance_id != 0 && (item->flags & QM_MOVE_ITEM_LOCKABLE) != 0 &&
          (item->flags & QM_MOVE_ITEM_LOCKED) == 0)
        lock.instance_id = item->instance_id;
    }
  g_assert_cmpuint (lock.instance_id, !=, 0);
  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "html502,endpoint=SetLockState|EquipItem", NULL));
  g_assert_false (run (fixture, &lock, 1, NULL, NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED);
  g_assert_nonnull (strstr (error->message, "could not be locked: Bungie.net is having problems"));
  g_clear_error (&error);

  /* The Titan's kinetic weapon equipped on him again after it left: the
   * equip of the replacement is the first step refused. */
  equip.kind = QM_MOVE_REQUEST_EQUIP;
  equip.target = 1;
  g_assert_false (run (fixture, &equip, 1, NULL, NULL, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED);
  g_assert_nonnull (strstr (error->message, "could not be equipped: "));
  assert_model_is_sandbox (fixture);
}

/* Undo after a move that made room and dequipped: every touched item goes
 * back where it was, on the server. */
static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  QmMoveRequest request = the_move (fixture, NULL);
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (fixture->executor);
  g_autoptr(GArray) fill = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  QmTestResult res = { 0 };
  int free_slots = 10;
  GArray *steps;
  gboolean ok;

  /* Fill the Hunter's kinetic bucket from the vault first, so the move
   * has to make room there. */
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if ((item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY) && item->owner == 1 &&
          item->slot == QM_BUCKET_KINETIC)
        free_slots--;
    }
  for (guint i = 0; i < state->items->len && free_slots > 0; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);
      QmMoveRequest move = { .kind = QM_MOVE_REQUEST_MOVE, .instance_id = item->instance_id, .target = 1 };

      if (item->place == QM_MOVE_PLACE_VAULT && item->slot == QM_BUCKET_KINETIC && item->instance_id != 0)
        {
          g_array_append_val (fill, move);
          free_slots--;
        }
    }
  g_assert_cmpint (free_slots, ==, 0);
  g_assert_true (run (fixture, (QmMoveRequest *) fill->data, fill->len, NULL, NULL, &error));
  g_assert_no_error (error);

  before = qm_test_sandbox_signature (fixture->sandbox);
  g_assert_true (run (fixture, &request, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  steps = qm_move_executor_get_steps (fixture->executor);
  text = qm_move_steps_to_string (steps);
  g_test_message ("move: %s", text);
  /* A dequip and an item moved aside off the Hunter. */
  g_assert_cmpint (g_array_index (steps, QmMoveStep, 0).reason, ==, QM_MOVE_REASON_DEQUIP);
  {
    gboolean made_room = FALSE;

    for (guint i = 0; i < steps->len; i++)
      made_room |= g_array_index (steps, QmMoveStep, i).reason == QM_MOVE_REASON_MAKE_SPACE;
    g_assert_true (made_room);
  }

  qm_move_executor_undo_async (fixture->executor, NULL, qm_test_result_cb, &res);
  ok = qm_move_executor_undo_finish (fixture->executor, qm_test_wait_result (&res), NULL, &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_pointer (&text, g_free);
  text = qm_move_steps_to_string (qm_move_executor_get_steps (fixture->executor));
  g_test_message ("undo: %s", text);

  after = qm_test_sandbox_signature (fixture->sandbox);
  g_assert_cmpstr (after, ==, before);
  assert_model_is_sandbox (fixture);
  g_assert_false (qm_move_executor_get_can_undo (fixture->executor));
}

static void
on_queued_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray *order = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error));
  g_ptr_array_add (order, source);
}

/* Runs queue: the second starts when the first is done. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;
  QmMoveRequest first = the_move (fixture, &id);
  QmMoveRequest second = first;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(QmItem) moved = NULL;

  second.target = 2;
  second.equip = FALSE;
  qm_move_executor_run_async (fixture->executor, &first, 1, NULL, NULL, on_queued_cb, order);
  qm_move_executor_run_async (fixture->executor, &second, 1, NULL, NULL, on_queued_cb, order);
  g_assert_true (qm_move_executor_get_running (fixture->executor));
  while (order->len < 2)
    g_main_context_iteration (NULL, TRUE);

  moved = find_item (fixture->inventory, QM_ITEM_LOCATION_INVENTORY, character_id (fixture, 2), QM_BUCKET_KINETIC);
  g_assert_nonnull (moved);
  assert_model_is_sandbox (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *record_dir = NULL;
  gboolean fault_asked = FALSE;
  int status;

  /* The faults run as tests of their own (-p /move-executor/fault/NAME,
   * each within its own time limit); a run that asks for none has none,
   * rather than listing them as skipped. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "/move-executor/fault/"))
      fault_asked = TRUE;
  qm_test_init (&argc, &argv);

  g_test_add ("/move-executor/plain", Fixture, NULL, fixture_set_up, test_plain, fixture_tear_down);
  g_test_add ("/move-executor/not-in-orbit", Fixture, NULL, fixture_set_up, test_not_in_orbit, fixture_tear_down);
  g_test_add ("/move-executor/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/move-executor/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/move-executor/words", Fixture, NULL, fixture_set_up, test_words, fixture_tear_down);
  g_test_add ("/move-executor/undo", Fixture, NULL, fixture_set_up, test_undo, fixture_tear_down);
  g_test_add ("/move-executor/queue", Fixture, NULL, fixture_set_up, test_queue, fixture_tear_down);
  for (guint i = 0; fault_asked && i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strdup_printf ("/move-executor/fault/%s", faults[i].name);

      g_test_add_data_func (path, &faults[i], test_fault);
    }

  record_dir = g_dir_make_tmp ("qm-move-executor-XXXXXX", NULL);
  record_path = g_build_filename (record_dir, "traffic.jsonl", NULL);
  status = g_test_run ();
  g_clear_object (&manifest);

  /* What the executor sent, and what the sandbox answered (faults
   * included), is Bungie's. */
  if (status == 0 && g_file_test (record_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *output = NULL;

      if (!qm_test_contract_check (record_path, NULL, &output))
        {
          g_printerr ("contract check failed:\n%s", output);
          status = 1;
        }
      else
        g_print ("# %s", output);
    }
  g_unlink (record_path);
  g_rmdir (record_dir);
  g_free (record_path);
  return status;
}
