/* test-loadouts-view.c: the Loadouts view against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window with the view and a signed-in session on the demo account (three
 * characters, four loadout slots each, the last one empty, the first one
 * worn). The view's actions are activated as its buttons do, and the
 * confirmations answered as a click on their buttons would.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "qm-loadout-apply.h"
#include "qm-loadout-row.h"
#include "qm-loadouts-view.h"
#include "qm-test-ui.h"

#define TITAN "2305843009300000001"
#define WAIT_SECONDS 120

typedef struct
{
  QmSandbox      *sandbox;
  GSettings      *settings;
  QmSession      *session;
  QmIconCache    *icons;
  GtkWindow      *window;
  QmLoadoutsView *view;
  gboolean        applied;
} Fixture;

static gboolean
sign_in (Fixture *fixture)
{
  g_autoptr(QmConfig) config = qm_config_new_default ();
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  QmTestResult res = { 0 };

  fixture->settings = qm_test_settings_new_or_skip ();
  if (fixture->settings == NULL)
    return FALSE;
  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->session = qm_session_new (fixture->settings);
  g_free (config->origin);
  config->origin = g_strdup (qm_sandbox_get_bungie_origin (fixture->sandbox));
  g_free (config->psn_origin);
  config->psn_origin = g_strdup (qm_sandbox_get_psn_origin (fixture->sandbox));
  g_free (config->api_key);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  qm_session_set_account (fixture->session, config, store, TRUE);
  qm_session_sign_in_psn_async (fixture->session, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD,
                                NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (fixture->session, qm_test_wait_result (&res), &error));
  qm_test_result_clear (&res);
  qm_session_refresh_async (fixture->session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (fixture->session, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  fixture->icons = qm_icon_cache_new (qm_session_get_client (fixture->session));
  return TRUE;
}

static void
fixture_clear (Fixture *fixture)
{
  if (fixture->window != NULL)
    qm_test_close_window (fixture->window);
  g_clear_object (&fixture->icons);
  g_clear_object (&fixture->session);
  if (fixture->settings != NULL)
    {
      g_settings_reset (fixture->settings, "shown-membership-id");
      g_settings_reset (fixture->settings, "membership-id");
    }
  g_clear_object (&fixture->settings);
  if (fixture->sandbox != NULL)
    qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static QmLoadoutRow *
row_at (Fixture *fixture,
        int      index)
{
  QmLoadoutColumn *column = qm_loadouts_view_get_column (fixture->view, TITAN);
  GtkListBoxRow *row = column != NULL ? gtk_list_box_get_row_at_index (qm_loadout_column_get_list (column), index)
                                      : NULL;

  return row != NULL ? QM_LOADOUT_ROW (row) : NULL;
}

typedef struct
{
  Fixture    *fixture;
  int         index;
  const char *status;
} Expect;

static gboolean
row_shows_cb (gpointer data)
{
  Expect *expect = data;
  QmLoadoutManager *manager = qm_session_get_loadout_manager (expect->fixture->session);
  QmLoadoutRow *row = row_at (expect->fixture, expect->index);

  return !qm_loadout_manager_get_busy (manager) && row != NULL &&
         g_strcmp0 (qm_loadout_row_get_status_text (row), expect->status) == 0;
}

static void
wait_for_row (Fixture    *fixture,
              int         index,
              const char *status)
{
  Expect expect = { fixture, index, status };

  qm_test_wait_until (row_shows_cb, &expect, WAIT_SECONDS, status);
  g_assert_cmpstr (qm_loadout_row_get_status_text (row_at (fixture, index)), ==, status);
}

static void
answer_dialog (Fixture    *fixture,
               const char *response)
{
  GtkWidget *dialog = qm_loadouts_view_get_dialog (fixture->view);

  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_widget_get_visible (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  g_assert_null (qm_loadouts_view_get_dialog (fixture->view));
}

static void
on_applied_cb (QmSavedLoadoutsPanel *panel,
               QmLoadoutApply       *apply,
               Fixture              *fixture)
{
  fixture->applied = TRUE;
}

static gboolean
applied_cb (gpointer data)
{
  return ((Fixture *) data)->applied;
}

/* A weapon (not an exotic) that @owner wears in @slot. */
static const QmMoveItem *
find_equipped (const QmMoveState *state,
               int                owner,
               guint32            slot)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->owner == owner && item->place == QM_MOVE_PLACE_EQUIPPED && item->slot == slot &&
          item->instance_id != 0 && item->equip_label == 0)
        return item;
    }
  return NULL;
}

/* The saved loadouts are part of the view, for the account shown, and one
 * applied from there moves the weapon to the other character. */
static void
check_saved (Fixture *fixture)
{
  QmSavedLoadoutsPanel *panel = qm_loadouts_view_get_saved_panel (fixture->view);
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  const char *membership;
  QmLoadoutStore *store;
  QmLoadoutItem item = { 0 };
  const QmMoveItem *weapon;
  QmSavedLoadout *loadout;
  int index;

  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (panel), GTK_WIDGET (fixture->view)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  store = qm_saved_loadouts_panel_get_store (panel);
  g_assert_nonnull (store);
  membership = qm_profile_get_membership_id (qm_inventory_get_profile (qm_session_get_inventory (fixture->session)));
  g_assert_nonnull (strstr (qm_loadout_store_get_path (store), membership));

  state = qm_move_executor_dup_state (qm_session_get_executor (fixture->session));
  weapon = find_equipped (state, 0, QM_BUCKET_POWER);
  g_assert_nonnull (weapon);
  item = (QmLoadoutItem) { weapon->instance_id, weapon->hash, TRUE };
  loadout = qm_loadout_store_create (store, "Heavy", QM_MOVE_CLASS_ANY, &item, 1, &error);
  g_assert_no_error (error);
  qm_test_spin (100);
  g_assert_nonnull (qm_saved_loadouts_panel_get_row (panel, loadout));
  g_assert_true (gtk_widget_is_ancestor (qm_saved_loadouts_panel_get_row (panel, loadout), GTK_WIDGET (panel)));

  g_signal_connect (panel, "applied", G_CALLBACK (on_applied_cb), fixture);
  target = g_strdup_printf ("%s %" G_GUINT64_FORMAT, qm_saved_loadout_get_id (loadout), state->characters[1].id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "saved.apply", "s", target));
  qm_test_wait_until (applied_cb, fixture, WAIT_SECONDS, "the apply");
  g_signal_handlers_disconnect_by_func (panel, on_applied_cb, fixture);
  after = qm_move_executor_dup_state (qm_session_get_executor (fixture->session));
  index = qm_move_state_find_instance (after, item.instance_id);
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem, index).owner, ==, 1);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem, index).place, ==, QM_MOVE_PLACE_EQUIPPED);
  g_assert_true (qm_loadout_store_delete (store, loadout, &error));
  g_assert_no_error (error);
}

/* "Save as Our Loadout…" on an in-game loadout: a saved loadout of its
 * items, named in the dialog, listed in the saved section. */
static void
check_save_ours (Fixture *fixture)
{
  QmSavedLoadoutsPanel *panel = qm_loadouts_view_get_saved_panel (fixture->view);
  QmLoadoutStore *store = qm_saved_loadouts_panel_get_store (panel);
  QmLoadout *loadout = qm_loadout_row_get_loadout (row_at (fixture, 1));
  const char * const *ids = qm_loadout_get_item_ids (loadout);
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *saved;
  GtkWidget *dialog;
  guint n_ids;

  g_assert_null (qm_loadout_store_find (store, "From the game"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "loadouts.save-ours", "(si)", TITAN, 1);
  dialog = qm_loadouts_view_get_dialog (fixture->view);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))),
                         "From the game");
  answer_dialog (fixture, "save");
  qm_test_spin (100);

  saved = qm_loadout_store_find (store, "From the game");
  g_assert_nonnull (saved);
  n_ids = ids != NULL ? g_strv_length ((char **) ids) : 0;
  g_assert_cmpuint (n_ids, >, 0);
  /* The ones the account holds (not the subclass, say). */
  g_assert_cmpuint (qm_saved_loadout_get_n_items (saved), >, 0);
  g_assert_cmpuint (qm_saved_loadout_get_n_items (saved), <=, n_ids);
  for (guint i = 0; i < qm_saved_loadout_get_n_items (saved); i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, qm_saved_loadout_get_item (saved, i)->instance_id);

      g_assert_true (g_strv_contains (ids, id));
    }
  g_assert_nonnull (qm_saved_loadouts_panel_get_row (panel, saved));

  /* Cancelled: nothing more is saved. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "loadouts.save-ours", "(si)", TITAN, 1);
  answer_dialog (fixture, "cancel");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_true (qm_loadout_store_delete (store, saved, &error));
  g_assert_no_error (error);
}

static void
test_view (void)
{
  Fixture fixture = { 0 };
  QmLoadoutColumn *column;
  GtkWidget *dialog;
  GtkWidget *name_box;
  GtkDropDown *names;
  GtkDropDown *slots;
  guint32 old_name;

  QM_TEST_REQUIRE_DISPLAY ();
  if (!sign_in (&fixture))
    return;

  fixture.view = QM_LOADOUTS_VIEW (qm_loadouts_view_new ());
  fixture.window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture.window, 600, 700);
  adw_window_set_content (ADW_WINDOW (fixture.window), GTK_WIDGET (fixture.view));
  qm_loadouts_view_set_session (fixture.view, fixture.session, fixture.icons);
  gtk_window_present (fixture.window);

  /* Shown: read, a column per character, a row per unlocked slot. */
  wait_for_row (&fixture, 0, "Equipped");
  column = qm_loadouts_view_get_column (fixture.view, TITAN);
  g_assert_nonnull (column);
  g_assert_nonnull (qm_loadouts_view_get_column (fixture.view, "2305843009300000002"));
  g_assert_nonnull (qm_loadouts_view_get_column (fixture.view, "2305843009300000003"));
  g_assert_nonnull (row_at (&fixture, 3));
  g_assert_null (row_at (&fixture, 4));
  g_assert_cmpstr (qm_loadout_row_get_status_text (row_at (&fixture, 1)), ==, "Ready");
  g_assert_cmpstr (qm_loadout_row_get_status_text (row_at (&fixture, 3)), ==, "Empty slot");
  g_assert_cmpint (qm_loadout_row_get_status (row_at (&fixture, 3)), ==, QM_LOADOUT_STATUS_EMPTY);

  /* Equip the second: it becomes what the Titan wears. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.equip", "(si)", TITAN, 1));
  wait_for_row (&fixture, 1, "Equipped");
  g_assert_cmpstr (qm_loadout_row_get_status_text (row_at (&fixture, 0)), ==, "Ready");

  /* Clear the third, after its confirmation; "Cancel" first changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.clear", "(si)", TITAN, 2);
  answer_dialog (&fixture, "cancel");
  qm_test_spin (200);
  g_assert_cmpstr (qm_loadout_row_get_status_text (row_at (&fixture, 2)), ==, "Ready");
  gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.clear", "(si)", TITAN, 2);
  answer_dialog (&fixture, "clear");
  wait_for_row (&fixture, 2, "Empty slot");

  /* Save current gear from a taken slot's menu: the first empty slot (the
   * third now) is offered; choosing a taken one says "Replace". */
  gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.save", "(si)", TITAN, 0);
  dialog = qm_loadouts_view_get_dialog (fixture.view);
  slots = GTK_DROP_DOWN (gtk_widget_get_last_child (gtk_widget_get_first_child (
                           adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)))));
  g_assert_cmpuint (gtk_drop_down_get_selected (slots), ==, 2);
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "save"), ==, "_Save");
  gtk_drop_down_set_selected (slots, 1);
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "save"), ==,
                   "_Replace Loadout 2");
  gtk_drop_down_set_selected (slots, 2);
  answer_dialog (&fixture, "save");
  wait_for_row (&fixture, 2, "Equipped");
  g_assert_cmpint (qm_loadout_row_get_status (row_at (&fixture, 3)), ==, QM_LOADOUT_STATUS_EMPTY);

  /* From an empty slot's own button: that slot. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.save", "(si)", TITAN, 3);
  dialog = qm_loadouts_view_get_dialog (fixture.view);
  slots = GTK_DROP_DOWN (gtk_widget_get_last_child (gtk_widget_get_first_child (
                           adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)))));
  g_assert_cmpuint (gtk_drop_down_get_selected (slots), ==, 3);
  answer_dialog (&fixture, "cancel");

  /* Rename the first: another name from the definitions. */
  old_name = qm_loadout_get_name_hash (qm_loadout_row_get_loadout (row_at (&fixture, 0)));
  gtk_widget_activate_action (GTK_WIDGET (fixture.view), "loadouts.rename", "(si)", TITAN, 0);
  dialog = qm_loadouts_view_get_dialog (fixture.view);
  name_box = gtk_widget_get_first_child (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)));
  names = GTK_DROP_DOWN (gtk_widget_get_last_child (name_box));
  gtk_drop_down_set_selected (names, (gtk_drop_down_get_selected (names) + 1) %
                              g_list_model_get_n_items (gtk_drop_down_get_model (names)));
  answer_dialog (&fixture, "save");
  wait_for_row (&fixture, 0, "Ready");
  g_assert_cmpuint (qm_loadout_get_name_hash (qm_loadout_row_get_loadout (row_at (&fixture, 0))), !=, old_name);

  check_saved (&fixture);
  check_save_ours (&fixture);

  /* The view fits the narrowest window. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture.view)), <=, 600);

  fixture_clear (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/loadouts/view", test_view);
  return g_test_run ();
}
