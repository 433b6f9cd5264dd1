/* test-window.c: the main window against the in-process sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "qm-error.h"
#include "qm-item-row.h"
#include "qm-profile.h"
#include "qm-test-utils.h"
#include "qm-ui-util.h"
#include "qm-window.h"

/* XDG_DATA_DIRS before the test isolated it, for the program run by the tests. */
static char *system_data_dirs;

/* GTK starts inside the first test that needs it: the directories it looks
 * up then belong to the isolated test environment. */
static gboolean
require_display (void)
{
  static int have_display = -1;

  if (have_display < 0)
    {
      have_display = gtk_init_check ();
      if (have_display)
        adw_init ();
    }
  if (!have_display)
    g_test_skip ("no display to open windows on");
  return have_display;
}

#define REQUIRE_DISPLAY()         \
  G_STMT_START {                  \
    if (!require_display ())      \
      return;                     \
  } G_STMT_END

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
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (QM_IS_ITEM_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
on_rows_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The rows the list view has bound to an item, once it has drawn some. */
static GPtrArray *
wait_for_rows (QmWindow *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, on_rows_timeout_cb, &timed_out);

  while (!timed_out)
    {
      g_ptr_array_set_size (rows, 0);
      collect_rows (GTK_WIDGET (window), rows);
      if (rows->len > 0 && qm_item_row_get_item (g_ptr_array_index (rows, 0)) != NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
  return g_steal_pointer (&rows);
}

static void
close_window (QmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_window_signed_out (void)
{
  QmWindow *window;

  REQUIRE_DISPLAY ();

  window = qm_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (qm_window_get_page (window), ==, "signed-out");
  g_assert_null (qm_window_get_items (window));
  /* Nothing to refresh without an account. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_cmpstr (qm_window_get_page (window), ==, "signed-out");
  close_window (window);
}

static void
test_window_inventory (void)
{
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmProfile) expected = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  LoadState state = { 0 };
  QmWindow *window;
  GListModel *items;
  guint n_expected;

  REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  expected = parse_sandbox_profile (sandbox);
  n_expected = g_list_model_get_n_items (qm_profile_get_items (expected));
  g_assert_cmpuint (n_expected, >, 0);

  window = qm_window_new (NULL);
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

  /* The rows on screen show their item's name (or its "unknown" label). */
  rows = wait_for_rows (window);
  for (guint i = 0; i < rows->len; i++)
    {
      QmItemRow *row = g_ptr_array_index (rows, i);
      QmItem *item = qm_item_row_get_item (row);
      g_autofree char *name = NULL;

      if (item == NULL)
        continue;
      name = qm_ui_format_item_name (item);
      g_assert_cmpstr (qm_item_row_get_title (row), ==, name);
      g_assert_cmpstr (qm_item_row_get_title (row), !=, "");
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
  close_window (window);
}

static void
test_window_error (void)
{
  QmSandboxOptions options = { .faults = "maintenance" };
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  LoadState state = { 0 };
  QmWindow *window;

  REQUIRE_DISPLAY ();

  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL);
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
  close_window (window);
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

  REQUIRE_DISPLAY ();

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.quartermaster.Quartermaster", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_int (settings, "window-width", 900);
  window = qm_window_new (NULL);
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

static void
test_ui_describe_error (void)
{
  g_autoptr(GError) maintenance = g_error_new (QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED, "off");
  g_autoptr(GError) throttled = g_error_new (QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED, "slow");
  g_autoptr(GError) other = g_error_new (QM_PLATFORM_ERROR, 1618, "DestinyUnexpectedError text");
  g_autoptr(GError) network = g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK, "refused");
  g_autofree char *m1 = qm_ui_describe_error (maintenance);
  g_autofree char *m2 = qm_ui_describe_error (throttled);
  g_autofree char *m3 = qm_ui_describe_error (other);
  g_autofree char *m4 = qm_ui_describe_error (network);

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

  qm_item_set_definition (rifle, "Sweet Business", "Auto Rifle", "Exotic", 6, NULL, 3);
  qm_item_set_definition (glimmer, "Glimmer", "Currency", "Currency", 1, NULL, 3);
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

/* GTK 4.8 loses the name of some icons it looked up (a direct leak inside
 * gtk_icon_theme_lookup_icon); the program exits with LeakSanitizer on, so its
 * leak check runs with the project's suppressions plus that one. */
static void
set_child_lsan_options (GSubprocessLauncher *launcher)
{
  const char *source_root = g_getenv ("QM_SOURCE_ROOT");
  g_autofree char *project_supp = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *combined = NULL;
  g_autofree char *path = NULL;
  g_autofree char *options = NULL;
  g_autoptr(GError) error = NULL;

  if (source_root == NULL)
    return;
  project_supp = g_build_filename (source_root, "tests", "lsan.supp", NULL);
  if (!g_file_get_contents (project_supp, &contents, NULL, NULL))
    return;
  combined = g_strconcat (contents, "\nleak:gtk_icon_theme_lookup_icon\n", NULL);
  path = g_build_filename (g_get_tmp_dir (), "test-window-lsan.supp", NULL);
  g_file_set_contents (path, combined, -1, &error);
  g_assert_no_error (error);
  options = g_strdup_printf ("suppressions=%s:print_suppressions=0", path);
  g_subprocess_launcher_setenv (launcher, "LSAN_OPTIONS", options, TRUE);
}

/* The whole program: `quartermaster --sandbox` in its test mode. */
static char *
run_app (const char * const *args,
         int                *exit_status)
{
  const char *build_root = g_getenv ("QM_BUILD_ROOT");
  g_autofree char *program = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_nonnull (build_root);
  program = g_build_filename (build_root, "src", "quartermaster", NULL);
  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "QM_TEST_QUIT_AFTER_LOAD_MS", "200", TRUE);
  set_child_lsan_options (launcher);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_app_sandbox (void)
{
  static const char *args[] = { "--sandbox", NULL };
  QmProfile *expected;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;
  int status = -1;

  REQUIRE_DISPLAY ();

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

  REQUIRE_DISPLAY ();

  out = run_app (args, &status);
  g_assert_cmpstr (out, ==, "QM-SIGNED-OUT\n");
  g_assert_cmpint (status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  int status;

  /* Icons are recognised through the system's MIME database, which the
   * isolated test directories would hide. */
  if (data_dirs == NULL || *data_dirs == '\0')
    data_dirs = "/usr/local/share:/usr/share";
  system_data_dirs = g_strdup (data_dirs);
  dirs = g_strsplit (data_dirs, ":", -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  qm_test_init (&argc, &argv);

  g_test_add_func ("/ui/describe-error", test_ui_describe_error);
  g_test_add_func ("/ui/item-text", test_ui_item_text);
  g_test_add_func ("/ui/locations", test_ui_locations);
  g_test_add_func ("/window/signed-out", test_window_signed_out);
  g_test_add_func ("/window/inventory", test_window_inventory);
  g_test_add_func ("/window/error", test_window_error);
  g_test_add_func ("/window/saves-size", test_window_saves_size);
  g_test_add_func ("/app/sandbox", test_app_sandbox);
  g_test_add_func ("/app/signed-out", test_app_signed_out);

  status = g_test_run ();
  g_free (system_data_dirs);
  g_clear_object (&demo_profile);
  return status;
}
