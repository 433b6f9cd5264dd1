/* test-window.c: the main window against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "qm-character-card.h"
#include "qm-error.h"
#include "qm-item-tile.h"
#include "qm-json.h"
#include "qm-profile.h"
#include "qm-sandbox-world.h"
#include "qm-test-ui.h"
#include "qm-test-utils.h"
#include "qm-ui-util.h"
#include "qm-window.h"

/* XDG_DATA_DIRS before the test isolated it, for the program run by the tests. */
static char *system_data_dirs;

typedef struct
{
  gboolean  done;
  gboolean  loaded;
  char     *message;
} LoadState;

static void
load_state_clear (LoadState *state)
{
  g_clear_pointer (&state->message, g_free);
  state->done = FALSE;
  state->loaded = FALSE;
}

static void
on_loaded_cb (QmWindow  *window,
              LoadState *state)
{
  state->done = TRUE;
  state->loaded = TRUE;
}

static void
on_load_failed_cb (QmWindow   *window,
                   const char *message,
                   LoadState  *state)
{
  state->done = TRUE;
  state->message = g_strdup (message);
}

/* Wait for the window's current load to end. */
static void
wait_for_load (QmWindow  *window,
               LoadState *state)
{
  gulong loaded_id = g_signal_connect (window, "loaded", G_CALLBACK (on_loaded_cb), state);
  gulong failed_id = g_signal_connect (window, "load-failed", G_CALLBACK (on_load_failed_cb), state);

  qm_test_wait (&state->done, 60);
  g_signal_handler_disconnect (window, loaded_id);
  g_signal_handler_disconnect (window, failed_id);
}

static QmProfile *demo_profile;

static QmProfile *parse_sandbox_profile (QmSandbox *sandbox);

/* The demo account's profile, read straight from a sandbox (once: it takes
 * a while under the sanitizers). */
static QmProfile *
get_demo_profile (void)
{
  if (demo_profile == NULL)
    {
      g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);

      demo_profile = parse_sandbox_profile (sandbox);
    }
  return demo_profile;
}

static QmProfile *
parse_sandbox_profile (QmSandbox *sandbox)
{
  g_autofree char *json = qm_sandbox_dup_profile_json (sandbox);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  QmProfile *profile;

  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  return profile;
}

static void
collect_tiles (GtkWidget *widget,
               GPtrArray *tiles)
{
  if (QM_IS_ITEM_TILE (widget))
    g_ptr_array_add (tiles, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tiles (child, tiles);
}

/* The tiles the inventory has bound to an item, once it has drawn some. */
static GPtrArray *
wait_for_tiles (QmWindow *window)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, qm_test_flag_cb, &timed_out);

  while (!timed_out)
    {
      g_ptr_array_set_size (tiles, 0);
      collect_tiles (GTK_WIDGET (window), tiles);
      if (tiles->len > 0 && gtk_widget_get_mapped (g_ptr_array_index (tiles, 0)))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
  return g_steal_pointer (&tiles);
}

/* Press @keyval with @modifiers on @window through its own shortcuts (the
 * class's bindings): what a key press does, without a keyboard. */
static gboolean
press_window_shortcut (QmWindow        *window,
                       guint            keyval,
                       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 GTK_WIDGET (window),
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
test_window_signed_out (void)
{
  QmWindow *window;

  QM_TEST_REQUIRE_DISPLAY ();

  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (qm_window_get_page (window), ==, "signed-out");
  g_assert_null (qm_window_get_items (window));
  /* Nothing to refresh without an account. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_cmpstr (qm_window_get_page (window), ==, "signed-out");
  qm_test_close_window (GTK_WINDOW (window));
}

static void
test_window_inventory (void)
{
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmProfile) expected = NULL;
  g_autoptr(GPtrArray) tiles = NULL;
  LoadState state = { 0 };
  QmWindow *window;
  GListModel *items;
  guint n_expected;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  expected = parse_sandbox_profile (sandbox);
  n_expected = g_list_model_get_n_items (qm_profile_get_items (expected));
  g_assert_cmpuint (n_expected, >, 0);

  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  g_assert_cmpstr (qm_window_get_page (window), ==, "loading");
  wait_for_load (window, &state);
  g_assert_null (state.message);
  g_assert_true (state.loaded);

  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  items = qm_window_get_items (window);
  g_assert_nonnull (items);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, n_expected);
  g_assert_cmpuint (qm_profile_get_n_characters (qm_inventory_get_profile (qm_window_get_inventory (window))),
                    ==, qm_profile_get_n_characters (expected));

  /* The tiles on screen are named after their item for screen readers. */
  tiles = wait_for_tiles (window);
  for (guint i = 0; i < tiles->len; i++)
    {
      QmItemTile *tile = g_ptr_array_index (tiles, i);
      QmItem *item = qm_item_tile_get_item (tile);
      g_autofree char *name = NULL;
      g_autofree char *description = NULL;

      g_assert_nonnull (item);
      name = qm_item_describe_for_a11y (item, &description);
      g_assert_cmpstr (name, !=, "");
      g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (tile)));
    }

  /* A failed refresh keeps what is shown. */
  qm_sandbox_set_faults (sandbox, "maintenance", NULL);
  load_state_clear (&state);
  qm_window_refresh (window);
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  wait_for_load (window, &state);
  g_assert_false (state.loaded);
  g_assert_nonnull (state.message);
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (window)), ==, n_expected);

  load_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

/* The drawn label under @widget whose text holds @needle, or NULL. */
static GtkLabel *
find_drawn_label (GtkWidget  *widget,
                  const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_drawn_label (child, needle);

      if (label != NULL)
        return label;
    }
  return NULL;
}

/* Recorded data whose vault Bungie withheld for privacy: the window says so
 * above the inventory; an open account has no such banner. */
static void
test_window_withheld (void)
{
  g_autoptr(QmSandbox) demo = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(GError) error = NULL;
  QmSandboxOptions options = { 0 };
  LoadState state = { 0 };
  QmSandboxWorld *world;
  JsonObject *response;
  QmWindow *window;
  GtkLabel *label;

  QM_TEST_REQUIRE_DISPLAY ();

  demo = qm_test_sandbox_new (NULL);
  world = qm_sandbox_get_world (demo);
  json_object_set_member (envelope, "Response", qm_json_node_deep_copy (world->profile));
  json_object_set_int_member (envelope, "ErrorCode", 1);
  response = qm_json_get_object (envelope, "Response");
  json_object_set_object_member (response, "profileInventory", json_object_new ());
  json_object_set_int_member (qm_json_get_object (response, "profileInventory"), "privacy", 2);
  json_node_set_object (root, envelope);
  dir = g_dir_make_tmp ("qm-window-data-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "profile.json", NULL);
  text = json_to_string (root, FALSE);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  options.data_dir = dir;
  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);

  /* The demo account, open: no banner. */
  {
    g_autoptr(QmBungieClient) open = qm_test_client_new (demo, TRUE);

    window = qm_window_new (NULL, NULL);
    gtk_window_present (GTK_WINDOW (window));
    qm_window_set_client (window, open, "Sandbox");
    wait_for_load (window, &state);
    g_assert_true (state.loaded);
    qm_test_spin (500);
    g_assert_null (find_drawn_label (GTK_WIDGET (window), "withheld"));
    load_state_clear (&state);
    qm_test_close_window (GTK_WINDOW (window));
  }

  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  /* The live profile may follow the one saved by the window before. */
  for (guint i = 0; i < 100 && (label = find_drawn_label (GTK_WIDGET (window), "withheld")) == NULL; i++)
    qm_test_spin (200);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (label), "(components 102)"));
  load_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_window_error (void)
{
  QmSandboxOptions options = { .faults = "maintenance" };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  LoadState state = { 0 };
  QmWindow *window;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  wait_for_load (window, &state);

  g_assert_false (state.loaded);
  g_assert_cmpstr (qm_window_get_page (window), ==, "error");
  g_assert_nonnull (qm_window_get_error_message (window));
  g_assert_nonnull (strstr (qm_window_get_error_message (window), "maintenance"));
  g_assert_cmpstr (state.message, ==, qm_window_get_error_message (window));
  g_assert_null (qm_window_get_items (window));

  /* Retry once the service is back. */
  g_assert_true (qm_sandbox_set_faults (sandbox, "", NULL));
  load_state_clear (&state);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_cmpstr (qm_window_get_page (window), ==, "loading");
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  g_assert_null (qm_window_get_error_message (window));

  load_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

static void
test_window_saves_size (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  QmWindow *window;
  int width = 0;
  int height = 0;

  QM_TEST_REQUIRE_DISPLAY ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.quartermaster.Quartermaster", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_int (settings, "window-width", 900);
  window = qm_window_new (NULL, NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 720);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 812, 604);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 604);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A window showing the sandbox account's inventory. */
static QmWindow *
open_loaded_window (QmBungieClient *client)
{
  LoadState state = { 0 };
  QmWindow *window = qm_window_new (NULL, NULL);

  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  load_state_clear (&state);
  return window;
}

static gboolean
focus_is_within (QmWindow  *window,
                 GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Ctrl+F opens the search and focuses it; Escape closes it and shows
 * everything again; Ctrl+R (and F5) load the inventory again. */
static void
test_window_shortcuts (void)
{
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  LoadState state = { 0 };
  QmWindow *window;
  QmSearchBar *search;
  GtkWidget *search_bar;
  guint n_all;
  guint n_calls;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  window = open_loaded_window (client);
  search = qm_window_get_search_bar (window);
  search_bar = gtk_widget_get_ancestor (GTK_WIDGET (search), GTK_TYPE_SEARCH_BAR);
  g_assert_nonnull (search_bar);
  n_all = g_list_model_get_n_items (qm_window_get_items (window));

  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_false (focus_is_within (window, GTK_WIDGET (search)));
  g_assert_true (press_window_shortcut (window, GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (search_bar)));
  g_assert_true (focus_is_within (window, GTK_WIDGET (search)));

  /* The search narrows the items; closing it brings them back. */
  qm_search_bar_set_text (search, "is:exotic");
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (window)), <, n_all);
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (search_bar), FALSE);
  qm_test_spin (50);
  g_assert_cmpstr (qm_search_bar_get_text (search), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (window)), ==, n_all);

  /* Each refresh is one more GetProfile. */
  n_calls = qm_sandbox_get_call_count (sandbox, "GetProfile");
  g_assert_cmpuint (n_calls, >=, 1);
  g_assert_true (press_window_shortcut (window, GDK_KEY_r, GDK_CONTROL_MASK));
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "GetProfile"), >, n_calls);
  load_state_clear (&state);

  n_calls = qm_sandbox_get_call_count (sandbox, "GetProfile");
  g_assert_true (press_window_shortcut (window, GDK_KEY_F5, 0));
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "GetProfile"), >, n_calls);
  load_state_clear (&state);

  qm_test_close_window (GTK_WINDOW (window));
}

static GSettings *
settings_or_skip (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.quartermaster.Quartermaster", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* The next start shows the profile the last one saved at once, then the
 * live one replaces it. */
static void
test_window_cached_profile (void)
{
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmProfile) expected = NULL;
  g_autofree char *shown = NULL;
  LoadState state = { 0 };
  QmWindow *window;
  guint n_expected;

  QM_TEST_REQUIRE_DISPLAY ();

  settings = settings_or_skip ();
  if (settings == NULL)
    return;
  g_settings_reset (settings, "shown-membership-id");
  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  expected = parse_sandbox_profile (sandbox);
  n_expected = g_list_model_get_n_items (qm_profile_get_items (expected));

  window = open_loaded_window (client);
  g_assert_false (qm_inventory_is_cached (qm_window_get_inventory (window)));
  shown = g_settings_get_string (settings, "shown-membership-id");
  g_assert_cmpstr (shown, ==, qm_profile_get_membership_id (expected));
  qm_test_close_window (GTK_WINDOW (window));

  /* A slow profile: what the window shows meanwhile is the saved one. */
  qm_sandbox_set_faults (sandbox, "delay:1500,endpoint=GetProfile", NULL);
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  g_assert_cmpstr (qm_window_get_page (window), ==, "inventory");
  g_assert_true (qm_inventory_is_cached (qm_window_get_inventory (window)));
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (window)), ==, n_expected);
  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_false (qm_inventory_is_cached (qm_window_get_inventory (window)));
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (window)), ==, n_expected);
  load_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

/* Cancel on the definitions' download stops it; the items load anyway,
 * unnamed, and nothing is cached. */
static void
test_window_cancel_download (void)
{
  QmSandboxOptions options = { .faults = "delay:2000,endpoint=Content" };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  LoadState state = { 0 };
  QmManifest *manifest;
  QmWindow *window;
  gboolean timed_out = FALSE;
  guint id;
  GListModel *items;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  manifest = qm_window_get_manifest (window);

  id = g_timeout_add_seconds (20, qm_test_flag_cb, &timed_out);
  while (qm_manifest_get_state (manifest) != QM_MANIFEST_STATE_DOWNLOADING && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-download", NULL));

  wait_for_load (window, &state);
  g_assert_true (state.loaded);
  g_assert_cmpint (qm_manifest_get_state (manifest), ==, QM_MANIFEST_STATE_EMPTY);
  g_assert_false (qm_manifest_is_loaded (manifest));
  items = qm_window_get_items (window);
  g_assert_cmpuint (g_list_model_get_n_items (items), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      g_assert_null (qm_item_get_name (item));
    }
  load_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

/* A click on a character's card selects its column, and the next window
 * starts with it selected. */
static void
test_window_selected_character (void)
{
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GSettings) settings = NULL;
  QmInventoryView *view;
  QmProfile *profile;
  QmWindow *window;
  GtkWidget *card;
  GtkWidget *button;
  g_autofree char *chosen = NULL;
  g_autofree char *stored = NULL;

  QM_TEST_REQUIRE_DISPLAY ();

  settings = settings_or_skip ();
  if (settings == NULL)
    return;
  g_settings_reset (settings, "selected-character");
  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  window = open_loaded_window (client);
  view = qm_window_get_inventory_view (window);
  profile = qm_inventory_get_profile (qm_window_get_inventory (window));
  g_assert_cmpuint (qm_profile_get_n_characters (profile), >=, 2);
  g_assert_cmpuint (qm_inventory_view_get_n_cards (view), ==, qm_profile_get_n_characters (profile) + 1);
  /* Without a choice: one of the account's characters. */
  g_assert_nonnull (qm_profile_find_character (profile,
                                               qm_inventory_view_get_selected_character (view)));

  /* Pick the second character's card. */
  chosen = g_strdup (qm_profile_get_character (profile, 1)->id);
  card = qm_inventory_view_get_card (view, 1);
  button = gtk_widget_get_ancestor (card, GTK_TYPE_TOGGLE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpstr (qm_inventory_view_get_selected_character (view), ==, chosen);
  stored = g_settings_get_string (settings, "selected-character");
  g_assert_cmpstr (stored, ==, chosen);
  /* Only one card is selected. */
  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    {
      GtkWidget *other = gtk_widget_get_ancestor (qm_inventory_view_get_card (view, i),
                                                  GTK_TYPE_TOGGLE_BUTTON);

      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (other)), ==, i == 1);
    }
  qm_test_close_window (GTK_WINDOW (window));

  /* The next start shows it selected. */
  window = open_loaded_window (client);
  view = qm_window_get_inventory_view (window);
  profile = qm_inventory_get_profile (qm_window_get_inventory (window));
  g_assert_cmpstr (qm_inventory_view_get_selected_character (view), ==, chosen);
  button = gtk_widget_get_ancestor (qm_inventory_view_get_card (view, 1), GTK_TYPE_TOGGLE_BUTTON);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpstr (qm_character_card_get_title (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, 1))),
                   ==, qm_ui_class_name (qm_profile_get_character (profile, 1)->class_type));
  qm_test_close_window (GTK_WINDOW (window));
}

static void
test_ui_describe_error (void)
{
  g_autoptr(GError) maintenance = g_error_new (QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED, "off");
  g_autoptr(GError) throttled = g_error_new (QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED, "slow");
  g_autoptr(GError) other = g_error_new (QM_PLATFORM_ERROR, 1618, "DestinyUnexpectedError text");
  g_autoptr(GError) network = g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK, "refused");
  g_autofree char *m1 = qm_error_describe (maintenance);
  g_autofree char *m2 = qm_error_describe (throttled);
  g_autofree char *m3 = qm_error_describe (other);
  g_autofree char *m4 = qm_error_describe (network);

  g_assert_nonnull (strstr (m1, "maintenance"));
  g_assert_nonnull (strstr (m2, "busy"));
  g_assert_null (strstr (m2, "maintenance"));
  g_assert_nonnull (strstr (m3, "DestinyUnexpectedError text"));
  g_assert_nonnull (strstr (m4, "reach Bungie.net"));
}

static void
test_ui_item_text (void)
{
  g_autoptr(QmItem) rifle = qm_item_new (1234u, "6917529000000000001", 1498876634u,
                                         QM_ITEM_LOCATION_VAULT, NULL, 1, 0, 1810, 1);
  g_autoptr(QmItem) glimmer = qm_item_new (3159615086u, NULL, 2689798308u,
                                           QM_ITEM_LOCATION_ACCOUNT, NULL, 250000, 0, -1, 0);
  g_autoptr(QmItem) unknown = qm_item_new (42u, NULL, 0, QM_ITEM_LOCATION_VAULT, NULL, 1, 0, -1, 0);
  g_autofree char *rifle_kind = NULL;
  g_autofree char *glimmer_kind = NULL;
  g_autofree char *unknown_kind = NULL;
  g_autofree char *rifle_name = NULL;
  g_autofree char *unknown_name = NULL;

  qm_item_set_definition (rifle, &(QmItemDefinition) { .known = TRUE, .name = "Sweet Business",
                                                       .item_type_name = "Auto Rifle",
                                                       .tier_name = "Exotic", .tier_type = 6,
                                                       .class_type = 3 });
  qm_item_set_definition (glimmer, &(QmItemDefinition) { .known = TRUE, .name = "Glimmer",
                                                         .item_type_name = "Currency",
                                                         .tier_name = "Currency", .tier_type = 1,
                                                         .class_type = 3 });
  rifle_kind = qm_ui_format_item_kind (rifle);
  glimmer_kind = qm_ui_format_item_kind (glimmer);
  unknown_kind = qm_ui_format_item_kind (unknown);
  rifle_name = qm_ui_format_item_name (rifle);
  unknown_name = qm_ui_format_item_name (unknown);

  g_assert_cmpstr (rifle_kind, ==, "Auto Rifle · Exotic");
  g_assert_cmpstr (glimmer_kind, ==, "Currency");
  g_assert_null (unknown_kind);
  g_assert_cmpstr (rifle_name, ==, "Sweet Business");
  g_assert_cmpstr (unknown_name, ==, "Unknown item 42");
}

static void
test_ui_locations (void)
{
  static const char *class_names[] = { "Titan", "Hunter", "Warlock" };
  QmProfile *profile = get_demo_profile ();
  GListModel *items = qm_profile_get_items (profile);
  guint seen[QM_ITEM_LOCATION_ACCOUNT + 1] = { 0 };

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      g_autofree char *location = qm_ui_format_location (item, profile);
      g_autofree char *expected = NULL;
      const QmCharacter *character = NULL;
      const char *class_name = NULL;

      if (qm_item_get_character_id (item) != NULL)
        character = qm_profile_find_character (profile, qm_item_get_character_id (item));
      if (character != NULL && character->class_type >= 0 && character->class_type < 3)
        class_name = class_names[character->class_type];

      switch (qm_item_get_location (item))
        {
        case QM_ITEM_LOCATION_EQUIPPED:
          g_assert_nonnull (class_name);
          expected = g_strdup_printf ("%s · Equipped", class_name);
          break;
        case QM_ITEM_LOCATION_INVENTORY:
          g_assert_nonnull (class_name);
          expected = g_strdup (class_name);
          break;
        case QM_ITEM_LOCATION_POSTMASTER:
          g_assert_nonnull (class_name);
          expected = g_strdup_printf ("Postmaster (%s)", class_name);
          break;
        case QM_ITEM_LOCATION_VAULT:
          expected = g_strdup ("Vault");
          break;
        case QM_ITEM_LOCATION_ACCOUNT:
        default:
          expected = g_strdup ("Account");
          break;
        }
      g_assert_cmpstr (location, ==, expected);
      seen[qm_item_get_location (item)]++;
    }
  /* The demo account has equipped gear and a vault. */
  g_assert_cmpuint (seen[QM_ITEM_LOCATION_EQUIPPED], >, 0);
  g_assert_cmpuint (seen[QM_ITEM_LOCATION_VAULT], >, 0);
}

/* The whole program: `quartermaster --sandbox` in its test mode. */
static char *
run_app (const char * const *args,
         int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = qm_test_environ_gtk_lsan (g_get_environ ());
  g_auto(QmTestRun) run = { 0 };

  g_ptr_array_add (argv, qm_test_build_path (NULL, "quartermaster"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "QM_TEST_QUIT_AFTER_LOAD_MS", "200", TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  qm_test_run (&run, (const char * const *) argv->pdata, envp, NULL);
  *exit_status = run.status;
  return g_steal_pointer (&run.out);
}

static void
test_app_sandbox (void)
{
  static const char *args[] = { "--sandbox", NULL };
  QmProfile *expected;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;
  int status = -1;

  QM_TEST_REQUIRE_DISPLAY ();

  expected = get_demo_profile ();
  line = g_strdup_printf ("QM-LOADED items=%u characters=%u\n",
                          g_list_model_get_n_items (qm_profile_get_items (expected)),
                          qm_profile_get_n_characters (expected));

  out = run_app (args, &status);
  g_test_message ("quartermaster said: %s", out);
  g_assert_nonnull (strstr (out, line));
  g_assert_cmpint (status, ==, 0);
}

static void
test_app_signed_out (void)
{
  static const char *args[] = { NULL };
  g_autofree char *out = NULL;
  int status = -1;

  QM_TEST_REQUIRE_DISPLAY ();

  out = run_app (args, &status);
  g_assert_cmpstr (out, ==, "QM-SIGNED-OUT\n");
  g_assert_cmpint (status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  system_data_dirs = qm_test_use_system_mime ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/ui/describe-error", test_ui_describe_error);
  g_test_add_func ("/ui/item-text", test_ui_item_text);
  g_test_add_func ("/ui/locations", test_ui_locations);
  g_test_add_func ("/window/signed-out", test_window_signed_out);
  g_test_add_func ("/window/inventory", test_window_inventory);
  g_test_add_func ("/window/error", test_window_error);
  g_test_add_func ("/window/withheld", test_window_withheld);
  g_test_add_func ("/window/saves-size", test_window_saves_size);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/window/selected-character", test_window_selected_character);
  g_test_add_func ("/window/cached-profile", test_window_cached_profile);
  g_test_add_func ("/window/cancel-download", test_window_cancel_download);
  g_test_add_func ("/app/sandbox", test_app_sandbox);
  g_test_add_func ("/app/signed-out", test_app_signed_out);

  status = g_test_run ();
  g_free (system_data_dirs);
  g_clear_object (&demo_profile);
  return status;
}
