/* test-move-window.c: moving items from the window, on the sandbox's demo account
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The item menu (what it offers, how it opens: right-click with a real
 * pointer, Shift+F10, the Menu key), its actions, the same actions in the
 * details, the lock mark, the progress panel with the step list (items the
 * player did not name listed before they run), the result toast with Undo,
 * Preferences, and the notification a move sends when the window is not the
 * active one.
 */

#define G_LOG_DOMAIN "test-move-window"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "qm-application.h"
#include "qm-destiny.h"
#include "qm-item-details.h"
#include "qm-item-menu.h"
#include "qm-item-tile.h"
#include "qm-move-describe.h"
#include "qm-move-progress.h"
#include "qm-preferences-window.h"
#include "qm-test-moves.h"
#include "qm-test-dbus.h"
#include "qm-test-ui.h"
#include "qm-window.h"

/* One window on the demo account for the tests that share it. */
static QmSandbox      *sandbox;
static QmBungieClient *client;
static QmWindow       *window;

static void
on_painted_cb (QmWindow *self,
               gboolean *done)
{
  *done = TRUE;
}

static void
on_load_failed_cb (QmWindow   *self,
                   const char *message,
                   gboolean   *done)
{
  g_error ("The inventory did not load: %s", message);
}

static void
load_window (QmWindow *self)
{
  gboolean done = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);
  g_signal_connect (self, "inventory-painted", G_CALLBACK (on_painted_cb), &done);
  g_signal_connect (self, "load-failed", G_CALLBACK (on_load_failed_cb), &done);
  gtk_window_present (GTK_WINDOW (self));
  qm_window_set_client (self, client, "Sandbox");
  qm_test_wait (&done, 60);
  g_signal_handlers_disconnect_by_data (self, &done);
  qm_test_spin (200);
}

/* NULL (skipped) without a display or the settings schema. */
static QmWindow *
get_window (void)
{
  g_autoptr(GSettings) settings = NULL;

  if (!qm_test_require_display ())
    return NULL;
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return NULL;
  if (window != NULL)
    return window;
  qm_test_load_app_style ();
  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL, NULL);
  load_window (window);
  return window;
}

static QmProfile *
shown (QmWindow *self)
{
  return qm_inventory_get_profile (qm_window_get_inventory (self));
}

static const char *
character_id (guint index)
{
  return qm_profile_get_character (shown (window), index)->id;
}

/* Waiting for a run to end */

typedef struct
{
  guint    n_finished;
  gboolean ok;
  char    *message;
} Finished;

static void
on_finished_cb (QmMoveController *controller,
                gboolean          ok,
                const char       *message,
                Finished         *finished)
{
  finished->n_finished++;
  finished->ok = ok;
  g_free (finished->message);
  finished->message = g_strdup (message);
}

static gboolean
finished_once (gpointer data)
{
  return ((Finished *) data)->n_finished > 0;
}

static gboolean
details_shown (gpointer data)
{
  return qm_item_tile_get_details (QM_ITEM_TILE (data)) != NULL;
}

static gboolean
idle_again (gpointer data)
{
  return !qm_move_controller_get_busy (data);
}

static void
wait_idle (QmWindow *self)
{
  qm_test_wait_until (idle_again, qm_window_get_move_controller (self), 60, "the moves to finish");
  qm_test_spin (50);
}

static void
assert_model_is_sandbox (QmWindow *self)
{
  g_autofree char *model = qm_test_profile_signature (shown (self));
  g_autofree char *server = qm_test_sandbox_signature (sandbox);

  g_assert_cmpstr (model, ==, server);
}

/* Tiles */

typedef gboolean (*TileMatch) (QmItem *item, gpointer data);

static QmItemTile *
find_tile (GtkWidget *widget,
           TileMatch  match,
           gpointer   data)
{
  if (QM_IS_ITEM_TILE (widget) && gtk_widget_get_mapped (widget))
    {
      QmItem *item = qm_item_tile_get_item (QM_ITEM_TILE (widget));

      if (item != NULL && match (item, data))
        return QM_ITEM_TILE (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmItemTile *tile = find_tile (child, match, data);

      if (tile != NULL)
        return tile;
    }
  return NULL;
}

static gboolean
is_vault_weapon (QmItem   *item,
                 gpointer  data)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT && qm_item_get_instance_id (item) != NULL &&
         qm_item_get_slot_hash (item) == GPOINTER_TO_UINT (data) && !qm_item_get_locked (item);
}

static gboolean
is_instance (QmItem   *item,
             gpointer  data)
{
  return g_strcmp0 (qm_item_get_instance_id (item), data) == 0;
}

static gboolean
is_locked_instance (QmItem   *item,
                    gpointer  data)
{
  return qm_item_get_instance_id (item) != NULL && qm_item_get_locked (item) &&
         qm_item_get_location (item) != QM_ITEM_LOCATION_EQUIPPED;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The menu's entries */

/* "Label=target" for each entry of @menu's @section, each submenu's as
 * "Label:[a,b]"; joined with "; ". */
static void
describe_menu (GMenuModel *menu,
               GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      if (section != NULL)
        {
          describe_menu (section, out);
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      if (out->len > 0 && out->str[out->len - 1] != '[')
        g_string_append (out, "; ");
      if (submenu != NULL)
        {
          g_string_append_printf (out, "%s:[", label);
          describe_menu (submenu, out);
          g_string_append (out, "]");
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_string_append_printf (out, "%s=%s", label, action);
      if (target != NULL)
        g_string_append_printf (out, "(%s)", g_variant_get_string (target, NULL));
    }
}

static char *
menu_text (QmProfile *profile,
           QmItem    *first,
           QmItem    *second)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GMenuModel) menu = NULL;
  GString *out = g_string_new (NULL);

  g_ptr_array_add (items, first);
  if (second != NULL)
    g_ptr_array_add (items, second);
  menu = qm_item_menu_new_model (profile, items);
  if (menu != NULL)
    describe_menu (menu, out);
  return g_string_free (out, FALSE);
}

/* What the menu offers, for items in different places. */
static void
test_menu_model (void)
{
  QmProfile *profile;
  g_autoptr(QmItem) vault = NULL;
  g_autoptr(QmItem) equipped = NULL;
  g_autoptr(QmItem) postmaster = NULL;
  g_autoptr(QmItem) locked = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  const char *titan, *hunter, *warlock;

  if (get_window () == NULL)
    return;
  profile = shown (window);
  titan = character_id (0);
  hunter = character_id (1);
  warlock = character_id (2);

  /* A vault weapon any class can use: to each character, equipped on each. */
  vault = qm_test_find_item (profile, QM_ITEM_LOCATION_VAULT, NULL, QM_BUCKET_KINETIC, TRUE, NULL);
  g_assert_cmpint (qm_item_get_class_type (vault), ==, 3);
  text = menu_text (profile, vault, NULL);
  expected = g_strdup_printf ("Move To:[Titan=item.move-to(%s); Hunter=item.move-to(%s); "
                              "Warlock=item.move-to(%s)]; "
                              "Equip On:[Titan=item.equip-on(%s); Hunter=item.equip-on(%s); "
                              "Warlock=item.equip-on(%s)]; Lock=item.lock",
                              titan, hunter, warlock, titan, hunter, warlock);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&expected, g_free);

  /* The Titan's equipped weapon: not to the Titan, and to the vault. */
  equipped = qm_test_find_item (profile, QM_ITEM_LOCATION_EQUIPPED, titan, QM_BUCKET_KINETIC, FALSE, NULL);
  text = menu_text (profile, equipped, NULL);
  g_assert_true (g_str_has_prefix (text, "Move To:[Hunter="));
  g_assert_nonnull (strstr (text, "Vault=item.move-to(vault)]"));
  g_assert_null (strstr (text, "Titan=item.equip-on"));
  g_clear_pointer (&text, g_free);

  /* A postmaster item can be pulled. */
  postmaster = qm_test_find_item (profile, QM_ITEM_LOCATION_POSTMASTER, titan, 0, FALSE, NULL);
  if (postmaster == NULL)
    postmaster = qm_test_find_item (profile, QM_ITEM_LOCATION_POSTMASTER, hunter, 0, FALSE, NULL);
  g_assert_nonnull (postmaster);
  text = menu_text (profile, postmaster, NULL);
  g_assert_true (g_str_has_suffix (text, "Pull from Postmaster=item.pull"));
  g_clear_pointer (&text, g_free);

  /* A locked item and an unlocked one: both offered. */
  {
    GListModel *items = qm_profile_get_items (profile);

    for (guint i = 0; i < g_list_model_get_n_items (items) && locked == NULL; i++)
      {
        g_autoptr(QmItem) item = g_list_model_get_item (items, i);

        if (qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT && qm_item_get_locked (item))
          locked = g_steal_pointer (&item);
      }
  }
  g_assert_nonnull (locked);
  g_assert_true (qm_item_get_locked (locked));
  text = menu_text (profile, locked, vault);
  g_assert_true (g_str_has_suffix (text, "Lock=item.lock; Unlock=item.unlock"));
  g_clear_pointer (&text, g_free);
}

/* The shortcut of @widget's class for @keyval with @modifiers, activated. */
static gboolean
activate_shortcut (GtkWidget       *widget,
                   guint            keyval,
                   GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* A real pointer (xdotool) at (@x, @y) of @widget: @button clicked. FALSE
 * (nothing done) when the display is not X11 or xdotool is missing. */
static gboolean
xdotool_click (GtkWidget *widget,
               double     x,
               double     y,
               int        button)
{
#ifdef GDK_WINDOWING_X11
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_autofree char *sx = NULL;
  g_autofree char *sy = NULL;
  g_autofree char *button_text = g_strdup_printf ("%d", button);
  g_auto(QmTestRun) run = { 0 };
  GtkEventController *motion;
  graphene_point_t point;
  double dx, dy;

  if (xdotool == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
  sx = g_strdup_printf ("%d", (int) (point.x + dx));
  sy = g_strdup_printf ("%d", (int) (point.y + dy));
  /* Other tests' windows share the display: raise ours, and click only
   * when the widget has the pointer. */
  motion = gtk_event_controller_motion_new ();
  gtk_widget_add_controller (widget, motion);
  for (guint attempt = 0; ; attempt++)
    {
      const char *argv[] = { xdotool, "windowraise", xid, "mousemove", "--window", xid, sx, sy, NULL };
      g_auto(QmTestRun) probe = { 0 };

      qm_test_run (&probe, argv, NULL, NULL);
      g_assert_cmpint (probe.status, ==, 0);
      qm_test_spin (150);
      if (gtk_event_controller_motion_contains_pointer (GTK_EVENT_CONTROLLER_MOTION (motion)))
        break;
      g_assert_cmpuint (attempt, <, 20);
      qm_test_spin (200);
    }
  gtk_widget_remove_controller (widget, motion);
  {
    const char *argv[] = { xdotool, "click", button_text, NULL };

    qm_test_run (&run, argv, NULL, NULL);
  }
  g_assert_cmpint (run.status, ==, 0);
  qm_test_spin (300);
  return TRUE;
#else
  return FALSE;
#endif
}

/* Progress seen by the test while a run goes. */
typedef struct
{
  QmMoveProgress *panel;
  gboolean        seen_visible;
  guint           n_listed;      /* rows when the plan was listed, before any step ran */
  guint           n_aside;
  guint           n_pending;
  char           *note;
  char           *first_text;
  char           *named_text;    /* the step of the item named */
  char           *title;
} Seen;

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->note, g_free);
  g_clear_pointer (&seen->first_text, g_free);
  g_clear_pointer (&seen->named_text, g_free);
  g_clear_pointer (&seen->title, g_free);
}

/* After the panel's own handler: what it lists once the plan is made. */
static void
on_steps_after_cb (QmMoveExecutor *executor,
                   GParamSpec     *pspec,
                   Seen           *seen)
{
  GArray *steps = qm_move_executor_get_steps (executor);

  if (steps == NULL || seen->n_listed > 0)
    return;
  seen->seen_visible = gtk_widget_get_visible (GTK_WIDGET (seen->panel));
  seen->n_listed = qm_move_progress_get_n_steps (seen->panel);
  for (guint i = 0; i < seen->n_listed; i++)
    {
      seen->n_aside += qm_move_progress_get_step_aside (seen->panel, i);
      if (!qm_move_progress_get_step_aside (seen->panel, i) && seen->named_text == NULL)
        seen->named_text = g_strdup (qm_move_progress_get_step_text (seen->panel, i));
      g_test_message ("step %u: %s", i, qm_move_progress_get_step_text (seen->panel, i));
      seen->n_pending += qm_move_progress_get_step_state (seen->panel, i) == QM_MOVE_PROGRESS_STEP_PENDING;
    }
  seen->note = g_strdup (qm_move_progress_get_note (seen->panel));
  if (seen->n_listed > 0)
    seen->first_text = g_strdup (qm_move_progress_get_step_text (seen->panel, 0));
  seen->title = g_strdup (qm_move_progress_get_title (seen->panel));
}

static void
watch_progress (Seen *seen)
{
  QmMoveExecutor *executor = qm_session_get_executor (qm_window_get_session (window));

  seen_clear (seen);
  memset (seen, 0, sizeof *seen);
  seen->panel = QM_MOVE_PROGRESS (qm_window_get_move_progress (window));
  g_signal_connect_after (executor, "notify::steps", G_CALLBACK (on_steps_after_cb), seen);
}

static void
unwatch_progress (Seen *seen)
{
  QmMoveExecutor *executor = qm_session_get_executor (qm_window_get_session (window));

  g_signal_handlers_disconnect_by_data (executor, seen);
}

/* Right-click (a real pointer) and Shift+F10 and Menu open the menu; its
 * "Move to ▸ Titan" moves the item, shown step by step, then a toast with
 * Undo; Undo puts it back. */
static void
test_context_menu (void)
{
  QmItemTile *tile;
  GtkWidget *menu;
  QmItem *item;
  g_autoptr(QmItem) kept = NULL;
  g_autoptr(QmItem) there = NULL;
  g_autoptr(QmItem) back = NULL;
  g_autoptr(QmProfile) server = NULL;
  g_autoptr(QmProfile) server_after = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;
  Finished finished = { 0 };
  Seen seen = { 0 };
  AdwToast *toast;
  QmMoveController *controller;

  if (get_window () == NULL)
    return;
  controller = qm_window_get_move_controller (window);
  tile = find_tile (GTK_WIDGET (window), is_vault_weapon, GUINT_TO_POINTER (QM_BUCKET_KINETIC));
  g_assert_nonnull (tile);
  item = qm_item_tile_get_item (tile);
  kept = g_object_ref (item);
  id = g_strdup (qm_item_get_instance_id (item));
  before = qm_test_sandbox_signature (sandbox);

  /* The keys. */
  g_assert_true (activate_shortcut (GTK_WIDGET (tile), GDK_KEY_F10, GDK_SHIFT_MASK));
  menu = qm_item_menu_get_popup (GTK_WIDGET (tile));
  g_assert_true (GTK_IS_POPOVER_MENU (menu));
  gtk_popover_popdown (GTK_POPOVER (menu));
  qm_test_spin (100);
  g_assert_null (qm_item_menu_get_popup (GTK_WIDGET (tile)));
  g_assert_true (activate_shortcut (GTK_WIDGET (tile), GDK_KEY_Menu, 0));
  g_assert_nonnull (qm_item_menu_get_popup (GTK_WIDGET (tile)));
  gtk_popover_popdown (GTK_POPOVER (qm_item_menu_get_popup (GTK_WIDGET (tile))));
  qm_test_spin (100);

  /* A real right-click. */
  if (xdotool_click (GTK_WIDGET (tile), 30, 30, 3))
    g_assert_nonnull (qm_item_menu_get_popup (GTK_WIDGET (tile)));
  else
    qm_item_menu_popup (GTK_WIDGET (tile), item, 30, 30);
  menu = qm_item_menu_get_popup (GTK_WIDGET (tile));
  g_assert_true (GTK_IS_POPOVER_MENU (menu));

  /* Move to ▸ Titan. */
  watch_progress (&seen);
  g_signal_connect (controller, "finished", G_CALLBACK (on_finished_cb), &finished);
  g_assert_true (gtk_widget_activate_action (menu, "item.move-to", "s", character_id (0)));
  g_assert_true (qm_move_controller_is_in_flight (controller, id));
  gtk_popover_popdown (GTK_POPOVER (menu));
  wait_idle (window);
  unwatch_progress (&seen);
  g_assert_true (seen.seen_visible);
  /* The Titan's kinetic weapons may be full: something goes aside first. */
  g_assert_cmpuint (seen.n_listed, >=, 1);
  g_assert_cmpuint (seen.n_aside, ==, seen.n_listed - 1);
  g_assert_cmpuint (seen.n_pending, ==, seen.n_listed);
  expected = g_strdup_printf ("Move %s from the vault to your Titan", qm_item_get_name (kept));
  g_assert_cmpstr (seen.named_text, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_false (gtk_widget_get_visible (qm_window_get_move_progress (window)));
  g_assert_cmpuint (finished.n_finished, ==, 1);
  g_assert_true (finished.ok);

  /* The toast: what was done, and Undo. */
  toast = qm_window_get_move_toast (window);
  g_assert_nonnull (toast);
  {
    g_autofree char *text = g_strdup_printf ("%s moved to your Titan", qm_item_get_name (kept));

    /* The toast's title is markup. */
    expected = g_markup_escape_text (text, -1);
  }
  g_assert_cmpstr (adw_toast_get_title (toast), ==, expected);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-move");
  server = qm_test_sandbox_profile (sandbox);
  there = qm_test_find_instance (server, id);
  g_assert_cmpstr (qm_item_get_character_id (there), ==, character_id (0));
  assert_model_is_sandbox (window);

  /* Undo: shown the same way, and the item is back. */
  watch_progress (&seen);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-move", NULL));
  wait_idle (window);
  unwatch_progress (&seen);
  g_assert_true (seen.seen_visible);
  g_assert_cmpuint (seen.n_listed, >=, 1);
  g_assert_true (g_str_has_prefix (seen.title, "Undoing"));
  g_assert_cmpuint (finished.n_finished, ==, 2);
  g_assert_true (finished.ok);
  g_assert_cmpstr (finished.message, ==, "The move was undone");
  toast = qm_window_get_move_toast (window);
  g_assert_nonnull (toast);
  g_assert_null (adw_toast_get_button_label (toast));
  /* No undo of the undo: the action is off. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-move", NULL);
  g_assert_false (qm_move_controller_get_busy (controller));
  server_after = qm_test_sandbox_profile (sandbox);
  back = qm_test_find_instance (server_after, id);
  g_assert_cmpint (qm_item_get_location (back), ==, QM_ITEM_LOCATION_VAULT);
  {
    g_autofree char *after = qm_test_sandbox_signature (sandbox);

    g_assert_cmpstr (after, ==, before);
  }
  assert_model_is_sandbox (window);

  g_signal_handlers_disconnect_by_data (controller, &finished);
  g_free (finished.message);
  seen_clear (&seen);
}

/* Filling the Hunter's kinetic weapons, then one more: the item moved aside
 * is listed, marked and counted before any step runs. */
static void
test_progress_aside (void)
{
  QmMoveController *controller;
  g_autoptr(QmItem) next = NULL;
  g_autofree char *reason = NULL;
  QmMoveRequest request;
  Seen seen = { 0 };
  guint n = 0;

  if (get_window () == NULL)
    return;
  controller = qm_window_get_move_controller (window);

  /* Fill the bucket (the policy off for the check only). */
  for (;;)
    {
      g_clear_object (&next);
      next = qm_test_find_item (shown (window), QM_ITEM_LOCATION_VAULT, NULL, QM_BUCKET_KINETIC, FALSE, NULL);
      g_assert_nonnull (next);
      g_assert_true (qm_move_controller_make_request (controller, next, QM_MOVE_REQUEST_MOVE, character_id (1),
                                                      FALSE, &request));
      g_clear_pointer (&reason, g_free);
      reason = qm_move_controller_check (controller, &request, 1, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE);
      if (reason != NULL)
        break;
      qm_move_controller_request (controller, &request, 1, QM_MOVE_FLAGS_NONE);
      wait_idle (window);
      g_assert_cmpuint (++n, <, 12);
    }

  watch_progress (&seen);
  qm_move_controller_request (controller, &request, 1, QM_MOVE_FLAGS_NONE);
  wait_idle (window);
  unwatch_progress (&seen);
  g_assert_true (seen.seen_visible);
  g_assert_cmpuint (seen.n_listed, >=, 2);
  g_assert_cmpuint (seen.n_aside, >=, 1);
  g_assert_cmpuint (seen.n_pending, ==, seen.n_listed);
  g_assert_true (g_str_has_prefix (seen.note, "This also moves"));
  g_assert_true (seen.n_aside > 1 || strstr (seen.note, "1 item you did not choose") != NULL);
  assert_model_is_sandbox (window);
  seen_clear (&seen);
}

/* The details offer the same actions: Lock locks, and closes them. */
static void
test_details_actions (void)
{
  QmItemTile *tile;
  GtkWidget *popover;
  GtkWidget *details;
  GtkWidget *button;
  g_autoptr(QmProfile) server = NULL;
  g_autoptr(QmItem) locked = NULL;
  g_autofree char *id = NULL;

  if (get_window () == NULL)
    return;
  tile = find_tile (GTK_WIDGET (window), is_vault_weapon, GUINT_TO_POINTER (QM_BUCKET_KINETIC));
  g_assert_nonnull (tile);
  id = g_strdup (qm_item_get_instance_id (qm_item_tile_get_item (tile)));
  qm_item_tile_show_details (tile);
  qm_test_spin (100);
  popover = qm_item_tile_get_details (tile);
  g_assert_nonnull (popover);
  details = find_descendant (popover, QM_TYPE_ITEM_DETAILS);
  g_assert_nonnull (details);
  g_assert_true (GTK_IS_MENU_BUTTON (qm_item_details_get_action_button (QM_ITEM_DETAILS (details), "Move To")));
  g_assert_true (GTK_IS_MENU_BUTTON (qm_item_details_get_action_button (QM_ITEM_DETAILS (details), "Equip On")));
  g_assert_null (qm_item_details_get_action_button (QM_ITEM_DETAILS (details), "Unlock"));
  button = qm_item_details_get_action_button (QM_ITEM_DETAILS (details), "Lock");
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (qm_move_controller_get_busy (qm_window_get_move_controller (window)));
  /* The details close at once (the tile may be replaced once it lands). */
  g_assert_false (gtk_widget_get_visible (popover));
  wait_idle (window);
  server = qm_test_sandbox_profile (sandbox);
  locked = qm_test_find_instance (server, id);
  g_assert_true (qm_item_get_locked (locked));
  assert_model_is_sandbox (window);
}

/* Clicking the lock mark (a real pointer) unlocks the item; elsewhere on
 * the tile opens its details. */
static void
test_lock_mark (void)
{
  QmItemTile *tile;
  g_autoptr(QmProfile) server = NULL;
  g_autoptr(QmItem) unlocked = NULL;
  g_autofree char *id = NULL;
  Finished finished = { 0 };
  int width;

  if (get_window () == NULL)
    return;
  tile = find_tile (GTK_WIDGET (window), is_locked_instance, NULL);
  g_assert_nonnull (tile);
  id = g_strdup (qm_item_get_instance_id (qm_item_tile_get_item (tile)));
  width = gtk_widget_get_width (GTK_WIDGET (tile));
  g_signal_connect (qm_window_get_move_controller (window), "finished", G_CALLBACK (on_finished_cb), &finished);
  if (!xdotool_click (GTK_WIDGET (tile), width - 10, 10, 1))
    {
      g_signal_handlers_disconnect_by_data (qm_window_get_move_controller (window), &finished);
      g_test_skip ("no X11 display or no xdotool");
      return;
    }
  /* Unlocking, not the details. */
  qm_test_wait_until (finished_once, &finished, 30, "the unlock to finish");
  wait_idle (window);
  g_assert_true (finished.ok);
  g_assert_true (g_str_has_suffix (finished.message, " unlocked"));
  server = qm_test_sandbox_profile (sandbox);
  unlocked = qm_test_find_instance (server, id);
  g_assert_false (qm_item_get_locked (unlocked));
  assert_model_is_sandbox (window);

  /* The tile (now unlocked: no mark) opens its details there. */
  tile = find_tile (GTK_WIDGET (window), is_instance, id);
  g_assert_nonnull (tile);
  g_assert_true (xdotool_click (GTK_WIDGET (tile), width - 10, 10, 1));
  /* A single click opens them once no second click can follow. */
  qm_test_wait_until (details_shown, tile, 10, "the details to open");
  qm_item_tile_hide_details (tile);
  qm_test_spin (100);
  g_assert_false (qm_move_controller_get_busy (qm_window_get_move_controller (window)));
  g_assert_cmpuint (finished.n_finished, ==, 1);
  g_signal_handlers_disconnect_by_data (qm_window_get_move_controller (window), &finished);
  g_free (finished.message);
}

/* A menu on a selected tile acts for the selection, as one run. */
static void
test_selection (void)
{
  QmMoveController *controller;
  g_autoptr(GListStore) selection = g_list_store_new (QM_TYPE_ITEM);
  g_autoptr(QmItem) first = NULL;
  g_autoptr(QmItem) second = NULL;
  g_autoptr(QmProfile) server = NULL;
  QmItemTile *tile;
  GtkWidget *menu;
  Finished finished = { 0 };

  if (get_window () == NULL)
    return;
  controller = qm_window_get_move_controller (window);
  tile = find_tile (GTK_WIDGET (window), is_vault_weapon, GUINT_TO_POINTER (QM_BUCKET_KINETIC));
  g_assert_nonnull (tile);
  first = g_object_ref (qm_item_tile_get_item (tile));
  second = qm_test_find_item (shown (window), QM_ITEM_LOCATION_VAULT, NULL, QM_BUCKET_KINETIC, TRUE, first);
  g_assert_nonnull (second);
  g_list_store_append (selection, first);
  g_list_store_append (selection, second);
  qm_move_controller_set_selection (controller, G_LIST_MODEL (selection));

  menu = qm_item_menu_popup (GTK_WIDGET (tile), first, -1, -1);
  g_assert_nonnull (menu);
  g_signal_connect (controller, "finished", G_CALLBACK (on_finished_cb), &finished);
  g_assert_true (gtk_widget_activate_action (menu, "item.move-to", "s", character_id (2)));
  gtk_popover_popdown (GTK_POPOVER (menu));
  g_assert_true (qm_move_controller_is_in_flight (controller, qm_item_get_instance_id (first)));
  g_assert_true (qm_move_controller_is_in_flight (controller, qm_item_get_instance_id (second)));
  wait_idle (window);
  g_assert_cmpuint (finished.n_finished, ==, 1);
  g_assert_true (finished.ok);
  g_assert_cmpstr (finished.message, ==, "2 items moved to your Warlock");
  server = qm_test_sandbox_profile (sandbox);
  {
    g_autoptr(QmItem) a = qm_test_find_instance (server, qm_item_get_instance_id (first));
    g_autoptr(QmItem) b = qm_test_find_instance (server, qm_item_get_instance_id (second));

    g_assert_cmpstr (qm_item_get_character_id (a), ==, character_id (2));
    g_assert_cmpstr (qm_item_get_character_id (b), ==, character_id (2));
  }
  assert_model_is_sandbox (window);
  qm_move_controller_set_selection (controller, NULL);
  g_signal_handlers_disconnect_by_data (controller, &finished);
  g_free (finished.message);
}

/* A refused move says why, in the toast. */
static void
test_refused (void)
{
  QmMoveController *controller;
  g_autoptr(QmItem) item = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  QmItem *armour = NULL;
  GListModel *all;
  AdwToast *toast;
  g_autofree char *expected = NULL;

  if (get_window () == NULL)
    return;
  controller = qm_window_get_move_controller (window);
  /* Another class's armour, equipped on a Titan: refused before any call. */
  all = qm_profile_get_items (shown (window));
  for (guint i = 0; i < g_list_model_get_n_items (all) && armour == NULL; i++)
    {
      g_autoptr(QmItem) candidate = g_list_model_get_item (all, i);

      if (qm_item_get_location (candidate) == QM_ITEM_LOCATION_VAULT && qm_item_get_class_type (candidate) == 1 &&
          qm_item_get_equippable (candidate) && qm_item_get_instance_id (candidate) != NULL)
        armour = item = g_steal_pointer (&candidate);
    }
  g_assert_nonnull (armour);
  g_ptr_array_add (items, armour);
  qm_move_controller_request_items (controller, QM_MOVE_REQUEST_EQUIP, items, character_id (0), QM_MOVE_FLAGS_NONE);
  wait_idle (window);
  toast = qm_window_get_move_toast (window);
  g_assert_nonnull (toast);
  g_assert_null (adw_toast_get_button_label (toast));
  {
    QmMoveRequest request;
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) steps = NULL;
    g_autofree char *escaped = NULL;

    g_assert_true (qm_move_controller_make_request (controller, armour, QM_MOVE_REQUEST_EQUIP, character_id (0),
                                                    FALSE, &request));
    steps = qm_move_executor_plan (qm_session_get_executor (qm_window_get_session (window)), &request, 1, NULL, &error);
    g_assert_null (steps);
    g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_CLASS);
    escaped = g_markup_escape_text (error->message, -1);
    expected = g_strdup (escaped);
  }
  g_assert_cmpstr (adw_toast_get_title (toast), ==, expected);
}

/* Preferences: the switch is the setting, and the setting is the policy. */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = NULL;
  QmPreferencesWindow *preferences;
  GtkSwitch *make_space;
  GtkSwitch *notify;
  AdwActionRow *row;
  QmMoveController *controller;

  if (get_window () == NULL)
    return;
  settings = qm_test_settings_new_or_skip ();
  controller = qm_window_get_move_controller (window);
  preferences = qm_preferences_window_new (GTK_WINDOW (window), NULL);
  make_space = qm_preferences_window_get_make_space_switch (preferences);
  notify = qm_preferences_window_get_notify_moves_switch (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  qm_test_spin (100);

  g_assert_true (gtk_switch_get_active (make_space));
  g_assert_true (gtk_switch_get_active (notify));
  row = ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (make_space), ADW_TYPE_ACTION_ROW));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Make space automatically");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Hold Alt while moving to do the opposite"));

  gtk_switch_set_active (make_space, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "make-space"));
  g_assert_false (qm_move_controller_get_policy (controller, QM_MOVE_FLAGS_NONE).make_space);
  g_assert_true (qm_move_controller_get_policy (controller, QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE).make_space);
  gtk_switch_set_active (make_space, TRUE);
  g_assert_true (qm_move_controller_get_policy (controller, QM_MOVE_FLAGS_NONE).make_space);

  gtk_switch_set_active (notify, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-moves"));
  gtk_switch_set_active (notify, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "notify-moves"));
  qm_test_close_window (GTK_WINDOW (preferences));
}

/* Notifications: a move that ends while the window is not the active one
 * is announced with its result; not while it is active, and not when
 * turned off. */

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

/* The moves' notifications among those sent (the app also announces Xûr):
 * their bodies. */
static guint
count_move_notifications (QmFakeNotifications *fake,
                          const char         **last_body)
{
  guint n = 0;

  for (guint i = 0; i < fake->summaries->len; i++)
    {
      const char *summary = g_ptr_array_index (fake->summaries, i);

      if (g_str_equal (summary, "Move finished") || g_str_equal (summary, "Move failed"))
        {
          n++;
          if (last_body != NULL)
            *last_body = g_ptr_array_index (fake->bodies, i);
        }
    }
  return n;
}

/* Spin until @n moves were announced; FALSE after @timeout_ms. */
static gboolean
wait_move_notifications (QmFakeNotifications *fake,
                         guint                n,
                         guint                timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, qm_test_flag_cb, &timed_out);

  while (count_move_notifications (fake, NULL) < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return count_move_notifications (fake, NULL) >= n;
}

static void
toggle_lock_and_wait (QmWindow *self,
                      QmItem   *item)
{
  qm_move_controller_toggle_lock (qm_window_get_move_controller (self), item);
  wait_idle (self);
}

static void
test_notify (void)
{
  g_autoptr(QmFakeNotifications) fake = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmItem) item = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  QmWindow *app_window;
  GtkWidget *other;
  const char *body = NULL;

  if (get_window () == NULL)
    return;
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;
  if ((fake = qm_fake_notifications_new ()) == NULL)
    return;

  app = qm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  app_window = qm_window_new (GTK_APPLICATION (app), qm_application_get_session (app));
  load_window (app_window);

  /* Another window takes the focus. */
  other = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (other), 200, 200);
  gtk_window_present (GTK_WINDOW (other));
  qm_test_wait_until (window_inactive, app_window, 10, "the window to lose the focus");

  item = qm_test_find_item (shown (app_window), QM_ITEM_LOCATION_VAULT, NULL, 0, TRUE, NULL);
  id = g_strdup (qm_item_get_instance_id (item));
  toggle_lock_and_wait (app_window, item);
  g_assert_true (wait_move_notifications (fake, 1, 30000));
  expected = g_strdup_printf ("%s locked", qm_item_get_name (item));
  g_assert_cmpuint (count_move_notifications (fake, &body), ==, 1);
  g_assert_cmpstr (body, ==, expected);

  /* Turned off: nothing. */
  g_settings_set_boolean (settings, "notify-moves", FALSE);
  g_clear_object (&item);
  item = qm_test_find_instance (shown (app_window), id);
  toggle_lock_and_wait (app_window, item);
  g_assert_false (wait_move_notifications (fake, 2, 1500));
  g_settings_reset (settings, "notify-moves");

  /* Active again: the toast is enough. */
  gtk_window_destroy (GTK_WINDOW (other));
  /* Without a window manager a window takes the focus when it is mapped. */
  gtk_widget_set_visible (GTK_WIDGET (app_window), FALSE);
  gtk_window_present (GTK_WINDOW (app_window));
  qm_test_wait_until (window_active, app_window, 10, "the window to get the focus back");
  g_clear_object (&item);
  item = qm_test_find_instance (shown (app_window), id);
  toggle_lock_and_wait (app_window, item);
  g_assert_false (wait_move_notifications (fake, 2, 1500));
  g_assert_nonnull (qm_window_get_move_toast (app_window));

  qm_test_close_window (GTK_WINDOW (app_window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/move-window/menu-model", test_menu_model);
  g_test_add_func ("/move-window/context-menu", test_context_menu);
  g_test_add_func ("/move-window/progress-aside", test_progress_aside);
  g_test_add_func ("/move-window/details-actions", test_details_actions);
  g_test_add_func ("/move-window/lock-mark", test_lock_mark);
  g_test_add_func ("/move-window/selection", test_selection);
  g_test_add_func ("/move-window/refused", test_refused);
  g_test_add_func ("/move-window/preferences", test_preferences);
  g_test_add_func ("/move-window/notify", test_notify);

  status = g_test_run ();
  if (window != NULL)
    qm_test_close_window (GTK_WINDOW (window));
  g_clear_object (&client);
  if (sandbox != NULL)
    qm_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  return status;
}
