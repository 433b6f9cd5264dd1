/* test-move-controller.c: the window's move controller against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The policy (the "make-space" setting and Alt), the in-flight marks, the
 * messages a run ends with, batches, locks, cancel and undo; afterwards the
 * inventory shown equals what the sandbox holds, with the same instances.
 */

#define G_LOG_DOMAIN "test-move-controller"

#include "config.h"

#include "qm-destiny.h"
#include "qm-move-controller.h"
#include "qm-test-moves.h"
#include "qm-test-ui.h"

typedef struct
{
  QmSandbox        *sandbox;
  QmBungieClient   *client;
  QmSession        *session;
  GSettings        *settings;
  QmMoveController *controller;

  /* What the controller said. */
  GPtrArray        *marks;       /* "+ID" / "-ID", in order */
  guint             n_started;
  guint             n_finished;
  gboolean          finished_ok;
  char             *message;
  guint             n_steps_done;
} Fixture;

static void
on_in_flight_cb (QmMoveController *controller,
                 const char       *id,
                 gboolean          in_flight,
                 Fixture          *fixture)
{
  g_ptr_array_add (fixture->marks, g_strdup_printf ("%c%s", in_flight ? '+' : '-', id));
}

static void
on_started_cb (QmMoveController *controller,
               gboolean          undo,
               Fixture          *fixture)
{
  fixture->n_started++;
}

static void
on_finished_cb (QmMoveController *controller,
                gboolean          ok,
                const char       *message,
                Fixture          *fixture)
{
  fixture->n_finished++;
  fixture->finished_ok = ok;
  g_free (fixture->message);
  fixture->message = g_strdup (message);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *faults = data;
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  fixture->settings = qm_test_settings_new_or_skip ();
  if (fixture->settings == NULL)
    return;
  g_settings_reset (fixture->settings, "make-space");
  fixture->sandbox = qm_test_sandbox_new (NULL);
  if (faults != NULL)
    {
      g_assert_true (qm_sandbox_set_faults (fixture->sandbox, faults, &error));
      g_assert_no_error (error);
    }
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
  fixture->session = qm_session_new (NULL);
  qm_session_set_client (fixture->session, fixture->client);
  qm_session_refresh_async (fixture->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (fixture->session, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_nonnull (inventory);

  fixture->controller = qm_move_controller_new (fixture->session, fixture->settings);
  fixture->marks = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->controller, "in-flight-changed", G_CALLBACK (on_in_flight_cb), fixture);
  g_signal_connect (fixture->controller, "started", G_CALLBACK (on_started_cb), fixture);
  g_signal_connect (fixture->controller, "finished", G_CALLBACK (on_finished_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->settings == NULL)
    return;
  g_settings_reset (fixture->settings, "make-space");
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->marks, g_ptr_array_unref);
  g_clear_pointer (&fixture->message, g_free);
}

static QmProfile *
shown (Fixture *fixture)
{
  return qm_inventory_get_profile (qm_session_get_inventory (fixture->session));
}

static const char *
character_id (Fixture *fixture,
              guint    index)
{
  return qm_profile_get_character (shown (fixture), index)->id;
}

static gboolean
finished_n (gpointer data)
{
  Fixture *fixture = data;

  return fixture->n_finished >= fixture->n_started && !qm_move_controller_get_busy (fixture->controller);
}

static void
wait_finished (Fixture *fixture)
{
  qm_test_wait_until (finished_n, fixture, 60, "the run to finish");
}

static void
assert_model_is_sandbox (Fixture *fixture)
{
  g_autofree char *model = qm_test_profile_signature (shown (fixture));
  g_autofree char *server = qm_test_sandbox_signature (fixture->sandbox);

  g_assert_cmpstr (model, ==, server);
}

/* Items of the vault's kinetic weapons, @n of them. */
static GPtrArray *
vault_weapons (Fixture *fixture,
               guint    n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *all = qm_profile_get_items (shown (fixture));

  for (guint i = 0; i < g_list_model_get_n_items (all) && items->len < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (all, i);

      if (qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT && qm_item_get_instance_id (item) != NULL &&
          qm_item_get_slot_hash (item) == QM_BUCKET_KINETIC)
        g_ptr_array_add (items, g_steal_pointer (&item));
    }
  g_assert_cmpuint (items->len, ==, n);
  return items;
}

/* ------------------------------------------------------------------------ */

/* The setting, and Alt flipping it for one move. */
static void
test_policy (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmMoveController) plain = NULL;

  if (fixture->settings == NULL)
    return;
  g_assert_true (qm_move_controller_get_policy (fixture->controller, QM_MOVE_FLAGS_NONE).make_space);
  g_assert_false (qm_move_controller_get_policy (fixture->controller, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE).make_space);
  g_settings_set_boolean (fixture->settings, "make-space", FALSE);
  g_assert_false (qm_move_controller_get_policy (fixture->controller, QM_MOVE_FLAGS_NONE).make_space);
  g_assert_true (qm_move_controller_get_policy (fixture->controller, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE).make_space);

  g_assert_cmpint (qm_move_flags_from_modifiers (GDK_ALT_MASK), ==, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE);
  g_assert_cmpint (qm_move_flags_from_modifiers (GDK_ALT_MASK | GDK_SHIFT_MASK), ==,
                   QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE);
  g_assert_cmpint (qm_move_flags_from_modifiers (GDK_CONTROL_MASK | GDK_SHIFT_MASK), ==, QM_MOVE_FLAGS_NONE);

  /* Without settings: the default, make space. */
  plain = qm_move_controller_new (fixture->session, NULL);
  g_assert_true (qm_move_controller_get_policy (plain, QM_MOVE_FLAGS_NONE).make_space);
}

/* Marked in flight before the request returns, unmarked at the end; the
 * message says what was done; the server and the model agree. */
static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmItem) moved = NULL;
  g_autoptr(QmProfile) server = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *plus = NULL;
  g_autofree char *minus = NULL;
  g_autofree char *expected = NULL;
  QmItem *item;
  const char *id;

  if (fixture->settings == NULL)
    return;
  items = vault_weapons (fixture, 1);
  item = g_ptr_array_index (items, 0);
  id = qm_item_get_instance_id (item);
  before = qm_test_sandbox_instances (fixture->sandbox);

  g_assert_null (qm_move_controller_check (fixture->controller, NULL, 0, QM_MOVE_FLAGS_NONE));
  qm_move_controller_request_items (fixture->controller, QM_MOVE_REQUEST_MOVE, items,
                                    character_id (fixture, 1), QM_MOVE_FLAGS_NONE);
  plus = g_strconcat ("+", id, NULL);
  minus = g_strconcat ("-", id, NULL);
  g_assert_true (qm_move_controller_is_in_flight (fixture->controller, id));
  g_assert_true (qm_move_controller_get_busy (fixture->controller));
  g_assert_cmpuint (fixture->marks->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->marks, 0), ==, plus);
  g_assert_cmpuint (fixture->n_started, ==, 1);

  wait_finished (fixture);
  g_assert_true (fixture->finished_ok);
  expected = g_strdup_printf ("%s moved to your Hunter", qm_item_get_name (item));
  g_assert_cmpstr (fixture->message, ==, expected);
  g_assert_false (qm_move_controller_is_in_flight (fixture->controller, id));
  g_assert_cmpuint (fixture->marks->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->marks, 1), ==, minus);

  server = qm_test_sandbox_profile (fixture->sandbox);
  moved = qm_test_find_instance (server, id);
  g_assert_cmpint (qm_item_get_location (moved), ==, QM_ITEM_LOCATION_INVENTORY);
  g_assert_cmpstr (qm_item_get_character_id (moved), ==, character_id (fixture, 1));
  assert_model_is_sandbox (fixture);
  after = qm_test_sandbox_instances (fixture->sandbox);
  g_assert_cmpstr (before, ==, after);
}

/* Three items as one batch: one run, one message. */
static void
test_batch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmProfile) server = NULL;

  if (fixture->settings == NULL)
    return;
  items = vault_weapons (fixture, 3);
  qm_move_controller_request_items (fixture->controller, QM_MOVE_REQUEST_MOVE, items,
                                    character_id (fixture, 0), QM_MOVE_FLAGS_NONE);
  for (guint i = 0; i < items->len; i++)
    g_assert_true (qm_move_controller_is_in_flight (fixture->controller,
                                                    qm_item_get_instance_id (g_ptr_array_index (items, i))));
  wait_finished (fixture);
  g_assert_cmpuint (fixture->n_started, ==, 1);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_true (fixture->finished_ok);
  g_assert_cmpstr (fixture->message, ==, "3 items moved to your Titan");

  server = qm_test_sandbox_profile (fixture->sandbox);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(QmItem) there = qm_test_find_instance (server, qm_item_get_instance_id (g_ptr_array_index (items, i)));

      g_assert_cmpstr (qm_item_get_character_id (there), ==, character_id (fixture, 0));
    }
  assert_model_is_sandbox (fixture);
}

/* The lock mark's toggle, both ways. */
static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(QmItem) item = NULL;
  g_autoptr(QmItem) locked = NULL;
  g_autoptr(QmItem) unlocked = NULL;
  g_autoptr(QmProfile) server = NULL;
  g_autoptr(QmProfile) server_after = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *id = NULL;

  if (fixture->settings == NULL)
    return;
  item = qm_test_find_item (shown (fixture), QM_ITEM_LOCATION_VAULT, NULL, 0, TRUE, NULL);
  g_assert_nonnull (item);
  id = g_strdup (qm_item_get_instance_id (item));

  qm_move_controller_toggle_lock (fixture->controller, item);
  wait_finished (fixture);
  g_assert_true (fixture->finished_ok);
  expected = g_strdup_printf ("%s locked", qm_item_get_name (item));
  g_assert_cmpstr (fixture->message, ==, expected);
  server = qm_test_sandbox_profile (fixture->sandbox);
  locked = qm_test_find_instance (server, id);
  g_assert_true (qm_item_get_locked (locked));
  assert_model_is_sandbox (fixture);

  /* The item shown now is the locked one: the toggle unlocks it. */
  g_clear_object (&item);
  item = qm_test_find_instance (shown (fixture), id);
  g_assert_true (qm_item_get_locked (item));
  qm_move_controller_toggle_lock (fixture->controller, item);
  wait_finished (fixture);
  g_assert_true (fixture->finished_ok);
  server_after = qm_test_sandbox_profile (fixture->sandbox);
  unlocked = qm_test_find_instance (server_after, id);
  g_assert_false (qm_item_get_locked (unlocked));
  assert_model_is_sandbox (fixture);
}

static void
on_step_done_cancel_cb (QmMoveExecutor *executor,
                        guint           index,
                        Fixture        *fixture)
{
  if (fixture->n_steps_done++ == 0)
    qm_move_controller_cancel (fixture->controller);
}

/* Cancelled after the first of three transfers: the run stops, says so, and
 * the inventory shows what the server did. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmProfile) server = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  QmMoveExecutor *executor;
  guint n_moved = 0;

  if (fixture->settings == NULL)
    return;
  items = vault_weapons (fixture, 3);
  before = qm_test_sandbox_instances (fixture->sandbox);
  executor = qm_session_get_executor (fixture->session);
  g_signal_connect (executor, "step-done", G_CALLBACK (on_step_done_cancel_cb), fixture);
  qm_move_controller_request_items (fixture->controller, QM_MOVE_REQUEST_MOVE, items,
                                    character_id (fixture, 2), QM_MOVE_FLAGS_NONE);
  wait_finished (fixture);
  g_signal_handlers_disconnect_by_data (executor, fixture);
  g_assert_false (fixture->finished_ok);
  g_assert_cmpstr (fixture->message, ==, "Move cancelled");
  for (guint i = 0; i < items->len; i++)
    g_assert_false (qm_move_controller_is_in_flight (fixture->controller,
                                                     qm_item_get_instance_id (g_ptr_array_index (items, i))));

  server = qm_test_sandbox_profile (fixture->sandbox);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(QmItem) there = qm_test_find_instance (server, qm_item_get_instance_id (g_ptr_array_index (items, i)));

      n_moved += g_strcmp0 (qm_item_get_character_id (there), character_id (fixture, 2)) == 0;
    }
  g_assert_cmpuint (n_moved, ==, 1);
  /* The executor reloaded; the session shows what it reloaded. */
  assert_model_is_sandbox (fixture);
  after = qm_test_sandbox_instances (fixture->sandbox);
  g_assert_cmpstr (before, ==, after);
}

/* Bungie says the item is gone: the run fails with that reason, and the
 * inventory is reloaded. */
static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *expected = NULL;

  if (fixture->settings == NULL)
    return;
  items = vault_weapons (fixture, 1);
  qm_move_controller_request_items (fixture->controller, QM_MOVE_REQUEST_MOVE, items,
                                    character_id (fixture, 1), QM_MOVE_FLAGS_NONE);
  wait_finished (fixture);
  g_assert_false (fixture->finished_ok);
  expected = g_strdup_printf ("%s is no longer where it was; the inventory was reloaded.",
                              qm_item_get_name (g_ptr_array_index (items, 0)));
  g_assert_cmpstr (fixture->message, ==, expected);
  g_assert_false (qm_move_controller_is_in_flight (fixture->controller,
                                                   qm_item_get_instance_id (g_ptr_array_index (items, 0))));
  assert_model_is_sandbox (fixture);
}

/* The Titan's equipped kinetic weapon to the Hunter, equipped there (a
 * replacement equipped on the Titan first); Undo puts every item back. */
static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(QmItem) item = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autofree char *before = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *expected = NULL;

  if (fixture->settings == NULL)
    return;
  item = qm_test_find_item (shown (fixture), QM_ITEM_LOCATION_EQUIPPED, character_id (fixture, 0),
                            QM_BUCKET_KINETIC, FALSE, NULL);
  g_assert_nonnull (item);
  g_ptr_array_add (items, item);
  before = qm_test_sandbox_signature (fixture->sandbox);

  qm_move_controller_request_items (fixture->controller, QM_MOVE_REQUEST_EQUIP, items,
                                    character_id (fixture, 1), QM_MOVE_FLAGS_NONE);
  wait_finished (fixture);
  g_assert_true (fixture->finished_ok);
  expected = g_strdup_printf ("%s equipped on your Hunter", qm_item_get_name (item));
  g_assert_cmpstr (fixture->message, ==, expected);
  moved = qm_test_sandbox_signature (fixture->sandbox);
  g_assert_cmpstr (moved, !=, before);
  assert_model_is_sandbox (fixture);
  g_assert_true (qm_move_executor_get_can_undo (qm_session_get_executor (fixture->session)));

  qm_move_controller_undo (fixture->controller);
  g_assert_true (qm_move_controller_get_busy (fixture->controller));
  wait_finished (fixture);
  g_assert_cmpuint (fixture->n_started, ==, 2);
  g_assert_true (fixture->finished_ok);
  g_assert_cmpstr (fixture->message, ==, "The move was undone");
  undone = qm_test_sandbox_signature (fixture->sandbox);
  g_assert_cmpstr (undone, ==, before);
  assert_model_is_sandbox (fixture);
  /* Undoing an undo is not offered. */
  g_assert_false (qm_move_executor_get_can_undo (qm_session_get_executor (fixture->session)));
}

/* With "Make space automatically" off, a full bucket is an error that
 * names it; Alt makes space for that one move. */
static void
test_full_bucket (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) spare = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  QmMoveRequest request;
  guint n_moved = 0;

  if (fixture->settings == NULL)
    return;
  g_settings_set_boolean (fixture->settings, "make-space", FALSE);
  expected = g_strdup_printf ("%s on your Hunter is full.", qm_bucket_get_display_name (QM_BUCKET_KINETIC));

  /* Fill the Hunter's kinetic weapons from the vault, one at a time, until
   * the planner refuses. */
  for (;;)
    {
      g_autoptr(GPtrArray) one = vault_weapons (fixture, 1);

      g_assert_true (qm_move_controller_make_request (fixture->controller, g_ptr_array_index (one, 0),
                                                      QM_MOVE_REQUEST_MOVE, character_id (fixture, 1),
                                                      FALSE, &request));
      g_clear_pointer (&reason, g_free);
      reason = qm_move_controller_check (fixture->controller, &request, 1, QM_MOVE_FLAGS_NONE);
      if (reason != NULL)
        break;
      qm_move_controller_request (fixture->controller, &request, 1, QM_MOVE_FLAGS_NONE);
      wait_finished (fixture);
      g_assert_true (fixture->finished_ok);
      g_assert_cmpuint (++n_moved, <, 12);
    }
  g_test_message ("%u moved before the bucket was full", n_moved);
  g_assert_cmpstr (reason, ==, expected);
  /* Alt: space is made for this move. */
  g_clear_pointer (&reason, g_free);
  reason = qm_move_controller_check (fixture->controller, &request, 1, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE);
  g_assert_null (reason);

  /* Asked for anyway: refused before any call, with the bucket named. */
  before = qm_test_sandbox_signature (fixture->sandbox);
  qm_move_controller_request (fixture->controller, &request, 1, QM_MOVE_FLAGS_NONE);
  wait_finished (fixture);
  g_assert_false (fixture->finished_ok);
  g_assert_cmpstr (fixture->message, ==, expected);
  after = qm_test_sandbox_signature (fixture->sandbox);
  g_assert_cmpstr (after, ==, before);

  /* Alt held: it goes, and something else is moved aside. */
  qm_move_controller_request (fixture->controller, &request, 1, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE);
  wait_finished (fixture);
  g_assert_true (fixture->finished_ok);
  g_assert_cmpuint (qm_move_executor_get_steps (qm_session_get_executor (fixture->session))->len, >=, 2);
  assert_model_is_sandbox (fixture);
}

/* A menu opened on a selected item acts on the selection. */
static void
test_subject (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GListStore) selection = g_list_store_new (QM_TYPE_ITEM);
  g_autoptr(GPtrArray) subject = NULL;
  g_autoptr(QmItem) other = NULL;

  if (fixture->settings == NULL)
    return;
  items = vault_weapons (fixture, 3);
  other = qm_test_find_item (shown (fixture), QM_ITEM_LOCATION_EQUIPPED, character_id (fixture, 0), 0,
                             FALSE, NULL);
  g_list_store_append (selection, g_ptr_array_index (items, 0));
  g_list_store_append (selection, g_ptr_array_index (items, 1));

  /* No selection: the item alone. */
  subject = qm_move_controller_dup_subject (fixture->controller, g_ptr_array_index (items, 2));
  g_assert_cmpuint (subject->len, ==, 1);
  g_clear_pointer (&subject, g_ptr_array_unref);

  qm_move_controller_set_selection (fixture->controller, G_LIST_MODEL (selection));
  g_assert_true (qm_move_controller_get_selection (fixture->controller) == G_LIST_MODEL (selection));
  subject = qm_move_controller_dup_subject (fixture->controller, g_ptr_array_index (items, 1));
  g_assert_cmpuint (subject->len, ==, 2);
  g_assert_true (g_ptr_array_index (subject, 0) == g_ptr_array_index (items, 0));
  g_assert_true (g_ptr_array_index (subject, 1) == g_ptr_array_index (items, 1));
  g_clear_pointer (&subject, g_ptr_array_unref);
  /* Not part of it: alone. */
  subject = qm_move_controller_dup_subject (fixture->controller, other);
  g_assert_cmpuint (subject->len, ==, 1);
  g_assert_true (g_ptr_array_index (subject, 0) == other);
  g_clear_pointer (&subject, g_ptr_array_unref);

  qm_move_controller_set_selection (fixture->controller, NULL);
  subject = qm_move_controller_dup_subject (fixture->controller, g_ptr_array_index (items, 1));
  g_assert_cmpuint (subject->len, ==, 1);
}

/* Signed out: nothing to move, and it says why. */
static void
test_signed_out (void)
{
  g_autoptr(QmSession) session = qm_session_new (NULL);
  g_autoptr(QmMoveController) controller = qm_move_controller_new (session, NULL);
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_LOCK, .instance_id = 1 };
  Fixture fixture = { 0 };
  g_autofree char *reason = NULL;

  g_signal_connect (controller, "finished", G_CALLBACK (on_finished_cb), &fixture);
  reason = qm_move_controller_check (controller, &request, 1, QM_MOVE_FLAGS_NONE);
  g_assert_cmpstr (reason, ==, "Sign in to move items");
  qm_move_controller_request (controller, &request, 1, QM_MOVE_FLAGS_NONE);
  g_assert_cmpuint (fixture.n_finished, ==, 1);
  g_assert_false (fixture.finished_ok);
  g_assert_cmpstr (fixture.message, ==, "Sign in to move items");
  g_assert_false (qm_move_controller_get_busy (controller));
  g_free (fixture.message);
}

int
main (int   argc,
      char *argv[])
{
  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/move-controller/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("policy", test_policy, NULL);
  ADD ("move", test_move, NULL);
  ADD ("batch", test_batch, NULL);
  ADD ("lock", test_lock, NULL);
  /* Each transfer answered late, so that Cancel comes between them. */
  ADD ("cancel", test_cancel, "delay:300,endpoint=TransferItem");
  ADD ("failure", test_failure, "error:1623,endpoint=TransferItem");
  ADD ("undo", test_undo, NULL);
  ADD ("full-bucket", test_full_bucket, NULL);
  ADD ("subject", test_subject, NULL);
#undef ADD
  g_test_add_func ("/move-controller/signed-out", test_signed_out);

  return g_test_run ();
}
