/* test-saved-loadouts-ui.c: the saved loadouts panel on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Apply from the panel and Undo from its "Before" entry; and a real drag
 * under X11 (Xvfb + xdotool, headless-testing.md §3a): a tile whose drag
 * content is a G_TYPE_STRV of instance ids, as the inventory's tiles give,
 * dropped on a saved loadout's row adds the item to it.
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qm-loadout-apply.h"
#include "qm-saved-loadouts-panel.h"
#include "qm-test-ui.h"

#define TITAN  0
#define HUNTER 1

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
  QmManifest     *manifest;
  QmInventory    *inventory;
  QmMoveExecutor *executor;
  QmLoadoutStore *store;
  GtkWindow      *window;
  QmSavedLoadoutsPanel *panel;
  GtkWidget      *tile;
  guint64         dragged;
  gboolean        applied;
} Fixture;

static GdkContentProvider *
on_prepare_cb (GtkDragSource *source,
               double         x,
               double         y,
               Fixture       *fixture)
{
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, fixture->dragged);
  const char *ids[] = { id, NULL };
  GValue value = G_VALUE_INIT;
  GdkContentProvider *provider;

  g_value_init (&value, G_TYPE_STRV);
  g_value_set_boxed (&value, ids);
  provider = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  return provider;
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  Fixture       *fixture)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (fixture->tile);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
on_applied_cb (QmSavedLoadoutsPanel *panel,
               QmLoadoutApply       *apply,
               Fixture              *fixture)
{
  fixture->applied = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWidget *box;
  GtkDragSource *source;

  if (!qm_test_require_display ())
    return;
  qm_test_load_app_style ();
  fixture->sandbox = qm_test_sandbox_new (NULL);
  fixture->client = qm_test_client_new (fixture->sandbox, TRUE);
  fixture->manifest = qm_manifest_new (NULL);
  qm_inventory_load_with_manifest_async (fixture->client, fixture->manifest, NULL, qm_test_result_cb, &res);
  fixture->inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  fixture->executor = qm_move_executor_new (fixture->client, fixture->inventory);
  path = g_build_filename (g_get_user_data_dir (), "ui-loadouts.json", NULL);
  g_unlink (path);
  fixture->store = qm_loadout_store_new_for_path (path);

  /* Undecorated: with no window manager the window sits at (0, 0). */
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (fixture->window, FALSE);
  gtk_window_set_default_size (fixture->window, 900, 700);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  fixture->tile = gtk_button_new_with_label ("Drag this item");
  gtk_widget_set_halign (fixture->tile, GTK_ALIGN_START);
  gtk_widget_set_margin_start (fixture->tile, 24);
  gtk_widget_set_margin_top (fixture->tile, 24);
  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare_cb), fixture);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), fixture);
  gtk_widget_add_controller (fixture->tile, GTK_EVENT_CONTROLLER (source));
  gtk_box_append (GTK_BOX (box), fixture->tile);
  fixture->panel = QM_SAVED_LOADOUTS_PANEL (qm_saved_loadouts_panel_new ());
  qm_saved_loadouts_panel_set_executor (fixture->panel, fixture->executor);
  qm_saved_loadouts_panel_set_store (fixture->panel, fixture->store);
  g_signal_connect (fixture->panel, "applied", G_CALLBACK (on_applied_cb), fixture);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->panel));
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
  qm_test_spin (300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->sandbox == NULL)
    return;
  qm_test_close_window (fixture->window);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->executor);
  g_clear_object (&fixture->inventory);
  g_clear_object (&fixture->manifest);
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

static const QmMoveItem *
find (const QmMoveState *state,
      int                owner,
      int                place,
      guint32            slot,
      gboolean           exotic)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->owner == owner && item->place == place && item->slot == slot && item->instance_id != 0 &&
          (item->equip_label != 0) == exotic)
        return item;
    }
  return NULL;
}

static gboolean
applied (gpointer data)
{
  return ((Fixture *) data)->applied;
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n += gtk_widget_get_visible (row);
  return n;
}

/* Apply to the Hunter from the panel, then Undo from its entry. */
static void
test_apply_and_undo (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *undo_target = NULL;
  QmLoadoutItem item = { 0 };
  const QmMoveItem *legendary;
  QmSavedLoadout *loadout;
  GtkWidget *undo_list;
  guint64 hunter;

  if (fixture->sandbox == NULL)
    return;
  state = qm_move_executor_dup_state (fixture->executor);
  hunter = state->characters[HUNTER].id;
  legendary = find (state, TITAN, QM_MOVE_PLACE_EQUIPPED, QM_BUCKET_POWER, FALSE);
  g_assert_nonnull (legendary);
  item = (QmLoadoutItem) { legendary->instance_id, legendary->hash, TRUE };
  loadout = qm_loadout_store_create (fixture->store, "Heavy", QM_MOVE_CLASS_ANY, &item, 1, &error);
  g_assert_no_error (error);
  qm_test_spin (100);
  g_assert_nonnull (qm_saved_loadouts_panel_get_row (fixture->panel, loadout));

  target = g_strdup_printf ("%s %" G_GUINT64_FORMAT, qm_saved_loadout_get_id (loadout), hunter);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "saved.apply", "s", target));
  g_assert_true (qm_saved_loadouts_panel_get_busy (fixture->panel));
  qm_test_wait_until (applied, fixture, 60, "the apply");
  after = qm_move_executor_dup_state (fixture->executor);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem,
                                  qm_move_state_find_instance (after, item.instance_id)).owner, ==, HUNTER);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem,
                                  qm_move_state_find_instance (after, item.instance_id)).place, ==,
                   QM_MOVE_PLACE_EQUIPPED);

  /* A look at it (QM_TEST_SCREENSHOT=FILE: the screen, with the toast). */
  if (g_getenv ("QM_TEST_SCREENSHOT") != NULL)
    {
      g_auto(QmTestRun) shot = { 0 };
      const char *argv[] = { "import", "-window", "root", g_getenv ("QM_TEST_SCREENSHOT"), NULL };

      qm_test_spin (500);
      qm_test_run (&shot, argv, NULL, NULL);
    }

  /* "Before “Heavy”" is listed; its Undo puts the weapon back. */
  undo_list = gtk_widget_get_last_child (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (fixture->panel))));
  g_assert_true (GTK_IS_LIST_BOX (undo_list));
  g_assert_cmpuint (count_rows (undo_list), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_first_child (undo_list))), ==,
                   "Before “Heavy”");

  fixture->applied = FALSE;
  undo_target = g_strdup_printf ("%" G_GUINT64_FORMAT " 0", hunter);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "saved.undo", "s", undo_target));
  qm_test_wait_until (applied, fixture, 60, "the undo");
  g_clear_pointer (&after, qm_move_state_free);
  after = qm_move_executor_dup_state (fixture->executor);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem,
                                  qm_move_state_find_instance (after, item.instance_id)).owner, ==, TITAN);
  g_assert_cmpint (g_array_index (after->items, QmMoveItem,
                                  qm_move_state_find_instance (after, item.instance_id)).place, ==,
                   QM_MOVE_PLACE_EQUIPPED);
  qm_test_spin (100);
  g_assert_cmpuint (count_rows (undo_list), ==, 0);
}

static void
center_on_screen (GtkWidget *widget,
                  int       *x,
                  int       *y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double sx, sy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                                 gtk_widget_get_height (widget) / 2.f),
                                           &point));
  gtk_native_get_surface_transform (native, &sx, &sy);
  *x = (int) (point.x + sx);
  *y = (int) (point.y + sy);
}

static gboolean
loadout_grew (gpointer data)
{
  QmSavedLoadout *loadout = data;

  return qm_saved_loadout_get_n_items (loadout) == 2;
}

/* The real pointer: press on the tile, move past the threshold, two paced
 * motions over the row, release. */
static void
test_drag_into_loadout (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(QmTestRun) run = { 0 };
  g_autofree char *script = NULL;
  const QmMoveItem *kinetic, *power;
  QmLoadoutItem item;
  QmSavedLoadout *loadout;
  GtkWidget *row;
  int tx, ty, rx, ry;
  g_autofree char *xdotool = NULL;

  if (fixture->sandbox == NULL)
    return;
  xdotool = g_find_program_in_path ("xdotool");
  if (xdotool == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("a real drag needs X11 and xdotool");
      return;
    }
  state = qm_move_executor_dup_state (fixture->executor);
  power = find (state, TITAN, QM_MOVE_PLACE_EQUIPPED, QM_BUCKET_POWER, FALSE);
  kinetic = find (state, TITAN, QM_MOVE_PLACE_EQUIPPED, QM_BUCKET_KINETIC, FALSE);
  g_assert_nonnull (power);
  g_assert_nonnull (kinetic);
  item = (QmLoadoutItem) { power->instance_id, power->hash, TRUE };
  loadout = qm_loadout_store_create (fixture->store, "Drop here", QM_MOVE_CLASS_ANY, &item, 1, &error);
  g_assert_no_error (error);
  fixture->dragged = kinetic->instance_id;
  qm_test_spin (300);
  row = qm_saved_loadouts_panel_get_row (fixture->panel, loadout);
  g_assert_nonnull (row);

  center_on_screen (fixture->tile, &tx, &ty);
  center_on_screen (row, &rx, &ry);
  /* Away from the row's buttons, on its title. */
  rx = rx - gtk_widget_get_width (row) / 4;
  script = g_strdup_printf ("xdotool mousemove %d %d sleep 0.2 mousedown 1 sleep 0.2 "
                            "mousemove %d %d sleep 0.1 mousemove %d %d sleep 0.1 "
                            "mousemove %d %d sleep 0.2 mousemove %d %d sleep 0.3 mouseup 1",
                            tx, ty, tx + 10, ty + 10, (tx + rx) / 2, (ty + ry) / 2, rx, ry, rx + 5, ry + 2);
  {
    const char *argv[] = { "sh", "-c", script, NULL };

    qm_test_run (&run, argv, NULL, NULL);
  }
  g_assert_cmpint (run.status, ==, 0);
  qm_test_wait_until (loadout_grew, loadout, 10, "the dropped item in the loadout");
  g_assert_true (qm_saved_loadout_has_item (loadout, kinetic->instance_id));

  /* And on disk. */
  {
    g_autoptr(QmLoadoutStore) again = qm_loadout_store_new_for_path (qm_loadout_store_get_path (fixture->store));

    g_assert_cmpuint (qm_saved_loadout_get_n_items (qm_loadout_store_find (again, "Drop here")), ==, 2);
  }

  /* Taken out again with the button under the row. */
  {
    g_autofree char *target = g_strdup_printf ("%s %" G_GUINT64_FORMAT, qm_saved_loadout_get_id (loadout),
                                               kinetic->instance_id);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "saved.remove-item", "s", target));
    g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), ==, 1);
    g_assert_false (qm_saved_loadout_has_item (loadout, kinetic->instance_id));
  }
}

int
main (int    argc,
      char **argv)
{
  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add ("/saved-loadouts-ui/apply-and-undo", Fixture, NULL, fixture_set_up, test_apply_and_undo,
              fixture_tear_down);
  g_test_add ("/saved-loadouts-ui/drag-into-loadout", Fixture, NULL, fixture_set_up, test_drag_into_loadout,
              fixture_tear_down);

  return g_test_run ();
}
