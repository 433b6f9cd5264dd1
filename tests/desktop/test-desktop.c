/* test-desktop.c: the login item outside Flatpak, the actions other programs
 * call, and the postmaster notification
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Notifications go to a fake org.freedesktop.Notifications on the test's
 * session bus (tests/qm-test-dbus.h), as GLib sends them outside Flatpak.
 */

#define G_LOG_DOMAIN "test-desktop"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "qm-application.h"
#include "qm-autostart.h"
#include "qm-destiny.h"
#include "qm-json.h"
#include "qm-loadout-store.h"
#include "qm-loadouts.h"
#include "qm-move-executor.h"
#include "qm-preferences-window.h"
#include "qm-test-dbus.h"
#include "qm-test-ui.h"
#include "qm-window.h"

#define REFUSED    "Quartermaster could not do that"
#define NEARLY_FULL "Postmaster nearly full"

static char *system_data_dirs;

/* One notification server for the program: the application it shares
 * between tests may still announce something (Xûr) after a test ended.
 * Emptied for each test. */
static QmFakeNotifications *
fake_get (void)
{
  static QmFakeNotifications *fake;

  if (fake == NULL)
    return fake = qm_fake_notifications_new ();
  g_ptr_array_set_size (fake->notifications, 0);
  g_ptr_array_set_size (fake->summaries, 0);
  g_ptr_array_set_size (fake->bodies, 0);
  return fake;
}

/* ---------------------------------------------------------------------- */
/* The login item outside Flatpak: a real file                            */

static gboolean
request (gboolean   enabled,
         GError   **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_xur_autostart_request_async (enabled, NULL, qm_test_result_cb, &res);
  ok = qm_xur_autostart_request_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

static void
test_autostart_file (void)
{
  g_autofree char *path = qm_xur_autostart_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "autostart",
                                                APP_ID ".desktop", NULL);
  g_autofree char *legacy = g_build_filename (g_get_user_config_dir (), "autostart",
                                              APP_ID "-xur.desktop", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;

  g_assert_false (qm_xur_autostart_uses_portal ());
  g_assert_cmpstr (path, ==, expected);
  /* An entry an older version wrote goes. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (legacy, "[Desktop Entry]\n", -1, NULL));

  g_assert_true (request (TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (legacy, G_FILE_TEST_EXISTS));
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (exec, " --xur-check"));
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL));

  g_assert_true (request (FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Off when it is off already: nothing to do, no error. */
  g_assert_true (request (FALSE, &error));
  g_assert_no_error (error);

  /* A folder that cannot be written: the error says where. */
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  if (access (dir, W_OK) == 0)
    {
      g_test_message ("running as a user who writes anywhere: the failure is not checked");
    }
  else
    {
      g_assert_false (request (TRUE, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "autostart"));
      g_clear_error (&error);
    }
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* The app in-process                                                     */

/* One for the program: an application stays exported on the bus for as
 * long as its notifications are sent. */
static QmApplication *
app_new (void)
{
  static QmApplication *app;
  g_autoptr(GError) error = NULL;

  if (app == NULL)
    {
      app = qm_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  return g_object_ref (app);
}

static const QmFakeNotification *
last_notification (QmFakeNotifications *fake)
{
  g_assert_cmpuint (fake->notifications->len, >, 0);
  return g_ptr_array_index (fake->notifications, fake->notifications->len - 1);
}

/* Nobody signed in: each action says so instead of doing nothing. */
static void
test_action_signed_out (void)
{
  QmFakeNotifications *fake = NULL;
  g_autoptr(QmApplication) app = NULL;
  const QmFakeNotification *notification;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((fake = fake_get ()) == NULL)
    return;
  app = app_new ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "move-item",
                                  g_variant_new ("(ss)", "6917529000000000001", "vault"));
  g_assert_true (qm_fake_notifications_wait (fake, 1, 10000));
  notification = last_notification (fake);
  g_assert_cmpstr (notification->summary, ==, REFUSED);
  g_assert_cmpstr (notification->body, ==, "Nobody is signed in. Open Quartermaster and sign in first.");

  g_action_group_activate_action (G_ACTION_GROUP (app), "refresh", NULL);
  g_assert_true (qm_fake_notifications_wait (fake, 2, 10000));
  g_assert_cmpstr (last_notification (fake)->summary, ==, REFUSED);

  g_action_group_activate_action (G_ACTION_GROUP (app), "pull-postmaster",
                                  g_variant_new_string ("2305843009000000001"));
  g_assert_true (qm_fake_notifications_wait (fake, 3, 10000));
  g_assert_cmpstr (last_notification (fake)->body, ==,
                   "Nobody is signed in. Open Quartermaster and sign in first.");
  g_assert_cmpuint (qm_fake_notifications_count (fake, REFUSED), ==, 3);
}

/* ---------------------------------------------------------------------- */
/* The postmaster notification                                            */

typedef struct
{
  QmWindow *window;
  gboolean  loaded;
} Loading;

static void
on_loaded_cb (QmWindow *window,
              Loading  *loading)
{
  loading->loaded = TRUE;
}

static gboolean
count_reached (QmFakeNotifications *fake,
               const char          *summary,
               guint                n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (10000, qm_test_flag_cb, &timed_out);

  while (qm_fake_notifications_count (fake, summary) < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return qm_fake_notifications_count (fake, summary) >= n;
}

static const QmFakeNotification *
find_notification (QmFakeNotifications *fake,
                   const char          *summary)
{
  for (guint i = fake->notifications->len; i > 0; i--)
    {
      const QmFakeNotification *notification = g_ptr_array_index (fake->notifications, i - 1);

      if (g_strcmp0 (notification->summary, summary) == 0)
        return notification;
    }
  g_assert_not_reached ();
}

static void
reload (Loading *loading)
{
  loading->loaded = FALSE;
  qm_window_refresh (loading->window);
  qm_test_wait (&loading->loaded, 60);
}

static JsonArray *
character_items (QmSandboxWorld *world,
                 const char     *character_id)
{
  return qm_json_get_array (qm_json_get_object (qm_sandbox_world_component (world, "characterInventories"),
                                                character_id), "items");
}

static guint
postmaster_count (QmSandboxWorld *world,
                  const char     *character_id)
{
  JsonArray *items = character_items (world, character_id);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    n += qm_json_get_hash (json_array_get_object_element (items, i), "bucketHash") == QM_BUCKET_POSTMASTER;
  return n;
}

/* Weapons from the vault sent to @character_id's postmaster, as the game
 * does with drops that find the inventory full (bungie-api.md: postmaster
 * items are in characterInventories with bucketHash 215593132 and
 * location 4), until it holds @count. */
static void
fill_postmaster (QmSandbox      *sandbox,
                 const char     *character_id,
                 guint           count)
{
  QmSandboxWorld *world = qm_sandbox_get_world (sandbox);
  JsonArray *vault = qm_json_get_array (qm_sandbox_world_component (world, "profileInventory"), "items");
  JsonArray *items = character_items (world, character_id);
  guint i = 0;

  while (postmaster_count (world, character_id) < count)
    {
      JsonObject *item;
      JsonObject *definition;

      g_assert_cmpuint (i, <, json_array_get_length (vault));
      item = json_array_get_object_element (vault, i);
      definition = qm_sandbox_world_definition (world, "DestinyInventoryItemDefinition",
                                                qm_json_get_hash (item, "itemHash"));
      if (qm_json_get_hash (item, "bucketHash") != QM_BUCKET_VAULT ||
          !json_object_has_member (item, "itemInstanceId") || definition == NULL ||
          qm_json_get_int (definition, "itemType", 0) != QM_ITEM_TYPE_WEAPON)
        {
          i++;
          continue;
        }
      json_object_ref (item);
      json_array_remove_element (vault, i);
      json_object_set_int_member (item, "bucketHash", QM_BUCKET_POSTMASTER);
      json_object_set_int_member (item, "location", 4);
      json_array_add_object_element (items, item);
    }
  qm_sandbox_note_world_changed (sandbox);
}

static gboolean
postmaster_emptied (gpointer data)
{
  gpointer *args = data;

  return postmaster_count (args[0], args[1]) < 5;
}

static gboolean
moves_done (gpointer data)
{
  QmMoveExecutor *executor = data;

  return !qm_move_executor_get_running (executor);
}

static void
test_postmaster (void)
{
  QmFakeNotifications *fake = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autofree char *expected_body = NULL;
  const QmFakeNotification *notification;
  QmSandboxOptions options = { .no_action_throttle = TRUE };
  QmSandboxWorld *world;
  QmProfile *profile;
  const QmCharacter *character;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Loading loading = { 0 };
  gpointer args[2];

  QM_TEST_REQUIRE_DISPLAY ();
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;
  if ((fake = fake_get ()) == NULL)
    return;
  g_settings_set_boolean (settings, "notify-postmaster", TRUE);

  sandbox = qm_test_sandbox_new (&options);
  world = qm_sandbox_get_world (sandbox);
  client = qm_test_client_new (sandbox, TRUE);
  app = app_new ();
  loading.window = qm_window_new (GTK_APPLICATION (app), qm_application_get_session (app));
  g_signal_connect (loading.window, "loaded", G_CALLBACK (on_loaded_cb), &loading);
  gtk_window_present (GTK_WINDOW (loading.window));
  qm_window_set_client (loading.window, client, "Sandbox");
  qm_test_wait (&loading.loaded, 60);

  /* The demo account's postmasters hold a few items: quiet. */
  qm_test_spin (200);
  g_assert_cmpuint (qm_fake_notifications_count (fake, NEARLY_FULL), ==, 0);

  profile = qm_inventory_get_profile (qm_window_get_inventory (loading.window));
  character = qm_profile_get_character (profile, 0);
  first = g_strdup (character->id);
  second = g_strdup (qm_profile_get_character (profile, 1)->id);
  expected_body = g_strdup_printf ("Your %s has 18 of 21 items at the postmaster. What arrives "
                                   "when it is full is lost.",
                                   qm_class_type_display_name (character->class_type));
  fill_postmaster (sandbox, first, 17);
  reload (&loading);
  qm_test_spin (200);
  g_assert_cmpuint (qm_fake_notifications_count (fake, NEARLY_FULL), ==, 0);

  /* 18 of 21: told once, however often it loads. */
  fill_postmaster (sandbox, first, 18);
  reload (&loading);
  g_assert_true (count_reached (fake, NEARLY_FULL, 1));
  reload (&loading);
  fill_postmaster (sandbox, first, 19);
  reload (&loading);
  qm_test_spin (200);
  g_assert_cmpuint (qm_fake_notifications_count (fake, NEARLY_FULL), ==, 1);
  notification = find_notification (fake, NEARLY_FULL);
  g_assert_cmpstr (notification->summary, ==, NEARLY_FULL);
  g_assert_cmpstr (notification->body, ==, expected_body);

  /* "Pull all" pulls through the move queue, as far as the rules allow. */
  g_assert_true (qm_fake_notifications_click (fake, notification, "Pull all"));
  args[0] = world;
  args[1] = first;
  qm_test_wait_until (postmaster_emptied, args, 120, "the postmaster pulled");
  qm_test_wait_until (moves_done, qm_session_get_executor (qm_application_get_session (app)), 60,
                      "the pulls to end");
  qm_test_spin (500);

  /* Below the mark, then full again: told again. */
  fill_postmaster (sandbox, first, 18);
  reload (&loading);
  g_assert_true (count_reached (fake, NEARLY_FULL, 2));

  /* Turned off in Preferences: quiet. */
  g_settings_set_boolean (settings, "notify-postmaster", FALSE);
  fill_postmaster (sandbox, second, 20);
  reload (&loading);
  qm_test_spin (300);
  g_assert_cmpuint (qm_fake_notifications_count (fake, NEARLY_FULL), ==, 2);

  g_settings_set_boolean (settings, "notify-postmaster", TRUE);
  qm_test_close_window (GTK_WINDOW (loading.window));
  qm_sandbox_stop (sandbox);
}

/* The switch in Preferences is the setting. */
static void
test_postmaster_preference (void)
{
  g_autoptr(GSettings) settings = NULL;
  QmPreferencesWindow *preferences;
  GtkSwitch *toggle;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;
  g_settings_set_boolean (settings, "notify-postmaster", TRUE);
  preferences = qm_preferences_window_new (NULL, NULL);
  toggle = qm_preferences_window_get_postmaster_switch (preferences);
  g_assert_true (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-postmaster"));
  g_settings_set_boolean (settings, "notify-postmaster", TRUE);
  g_assert_true (gtk_switch_get_active (toggle));
  qm_test_close_window (GTK_WINDOW (preferences));
}

/* ---------------------------------------------------------------------- */
/* gapplication action against `quartermaster --sandbox`                 */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GString          *said;
  gboolean          loaded;
  gboolean          ended;
} App;

static void on_line_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_line (App *app)
{
  g_data_input_stream_read_line_async (app->out, G_PRIORITY_DEFAULT, NULL, on_line_cb, app);
}

static void
on_line_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  App *app = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                                NULL, NULL);

  if (line == NULL)
    {
      app->ended = TRUE;
      return;
    }
  g_string_append_printf (app->said, "%s\n", line);
  if (g_str_has_prefix (line, "QM-LOADED"))
    app->loaded = TRUE;
  read_line (app);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
gapplication_action (const char *name,
                     const char *parameter)
{
  const char *argv[] = { "gapplication", "action", APP_ID, name, parameter, NULL };
  g_auto(QmTestRun) run = { 0 };

  qm_test_run (&run, argv, NULL, NULL);
  g_test_message ("gapplication action %s %s: %d %s", name, parameter ? parameter : "", run.status, run.err);
  g_assert_cmpint (run.status, ==, 0);
}

/* The account as the app's sandbox serves it, read by a session of the
 * test's own (the PSN sign-in of the demo account). */
static QmSession *
watcher_new (guint port)
{
  g_autoptr(QmConfig) config = qm_config_new_default ();
  g_autoptr(GError) error = NULL;
  QmSession *session = qm_session_new (NULL);
  QmTestResult res = { 0 };

  g_free (config->origin);
  config->origin = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_free (config->psn_origin);
  config->psn_origin = g_strdup_printf ("http://localhost:%u", port);
  g_free (config->api_key);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  g_free (config->client_id);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  g_free (config->client_secret);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  g_free (config->redirect_uri);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  qm_session_set_account (session, config, NULL, TRUE);
  qm_session_sign_in_psn_async (session, QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD,
                                NULL, qm_test_result_cb, &res);
  g_assert_true (qm_session_sign_in_finish (session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  return session;
}

static QmInventory *
watcher_read (QmSession *session)
{
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  QmInventory *inventory;

  qm_session_refresh_async (session, NULL, qm_test_result_cb, &res);
  inventory = qm_session_refresh_finish (session, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  return inventory;
}

static QmItem *
find_item (QmInventory *inventory,
           const char  *instance_id)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), instance_id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

typedef struct
{
  QmSession  *session;
  const char *instance_id;
  const char *character_id;   /* NULL: in the vault */
  gboolean    equipped;
} Expect;

static gboolean
item_arrived (gpointer data)
{
  Expect *expect = data;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmItem) item = NULL;

  g_usleep (200 * 1000);
  inventory = watcher_read (expect->session);
  item = find_item (inventory, expect->instance_id);
  if (item == NULL)
    return FALSE;
  if (expect->character_id == NULL)
    return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
  return qm_item_is_held_by (item, expect->character_id) &&
         qm_item_get_equipped (item) == expect->equipped;
}

typedef struct
{
  QmSession  *session;
  QmLoadout  *loadout;
} Worn;

static gboolean
loadout_worn (gpointer data)
{
  Worn *worn = data;
  const char * const *ids = qm_loadout_get_item_ids (worn->loadout);
  g_autoptr(QmInventory) inventory = NULL;

  g_usleep (200 * 1000);
  inventory = watcher_read (worn->session);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(QmItem) item = NULL;

      if (ids[i][0] == '\0' || g_strcmp0 (ids[i], "0") == 0)
        continue;
      item = find_item (inventory, ids[i]);
      if (item == NULL || !qm_item_is_held_by (item, qm_loadout_get_character_id (worn->loadout)) ||
          !qm_item_get_equipped (item))
        return FALSE;
    }
  return TRUE;
}

static void
equip_loadout (QmSession *watcher)
{
  QmLoadoutManager *manager = qm_session_get_loadout_manager (watcher);
  g_autoptr(QmInventory) inventory = watcher_read (watcher);
  g_autoptr(QmLoadouts) loadouts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parameter = NULL;
  const char * const *characters;
  QmTestResult res = { 0 };
  Worn worn = { watcher, NULL };

  qm_loadout_manager_refresh_async (manager, NULL, qm_test_result_cb, &res);
  loadouts = qm_loadout_manager_refresh_finish (manager, qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  characters = qm_loadouts_get_character_ids (loadouts);
  for (guint c = 0; characters[c] != NULL && worn.loadout == NULL; c++)
    {
      GListModel *list = qm_loadouts_get_for_character (loadouts, characters[c]);

      for (guint i = 0; i < g_list_model_get_n_items (list) && worn.loadout == NULL; i++)
        {
          g_autoptr(QmLoadout) loadout = g_list_model_get_item (list, i);

          if (qm_loadout_get_status (loadout, inventory, NULL) == QM_LOADOUT_STATUS_READY)
            worn.loadout = g_steal_pointer (&loadout);
        }
    }
  g_assert_nonnull (worn.loadout);
  g_assert_false (loadout_worn (&worn));
  parameter = g_strdup_printf ("('%s', %d)", qm_loadout_get_character_id (worn.loadout),
                               qm_loadout_get_index (worn.loadout));
  gapplication_action ("equip-loadout", parameter);
  qm_test_wait_until (loadout_worn, &worn, 60, "the loadout worn");
  g_object_unref (worn.loadout);
}

static gboolean
app_loaded (gpointer data)
{
  App *app = data;

  return app->loaded || app->ended;
}

static gboolean
app_ended (gpointer data)
{
  return ((App *) data)->ended;
}

/* @action refused: one more notification, with @body. */
static void
expect_refused (QmFakeNotifications *fake,
                const char          *action,
                const char          *parameter,
                const char          *body)
{
  guint n_refused = qm_fake_notifications_count (fake, REFUSED);
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);

  gapplication_action (action, parameter);
  while (qm_fake_notifications_count (fake, REFUSED) == n_refused && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_cmpuint (qm_fake_notifications_count (fake, REFUSED), ==, n_refused + 1);
  g_assert_cmpstr (find_notification (fake, REFUSED)->body, ==, body);
}

static void
test_gapplication_action (void)
{
  QmFakeNotifications *fake = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(QmSession) watcher = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = qm_test_build_path (NULL, "quartermaster");
  g_autofree char *port = NULL;
  g_autofree char *instance = NULL;
  g_autofree char *parameter = NULL;
  g_auto(GStrv) envp = NULL;
  App app = { 0 };
  Expect expect = { 0 };
  guint32 hash = 0;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((fake = fake_get ()) == NULL)
    return;

  port = g_strdup_printf ("%u", free_port ());
  envp = qm_test_environ_gtk_lsan (g_get_environ ());
  envp = g_environ_setenv (envp, "QM_SANDBOX_PORT", port, TRUE);
  /* Say when it has loaded, and stay (for ten minutes at most). */
  envp = g_environ_setenv (envp, "QM_TEST_QUIT_AFTER_LOAD_MS", "600000", TRUE);
  envp = g_environ_setenv (envp, "QM_TEST_UNIQUE", "1", TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  /* The saved loadouts this test writes (GLib gives children /dev/null). */
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  app.process = g_subprocess_launcher_spawn (launcher, &error, program, "--sandbox", NULL);
  g_assert_no_error (error);
  app.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app.process));
  app.said = g_string_new (NULL);
  read_line (&app);
  qm_test_wait_until (app_loaded, &app, 120, "quartermaster --sandbox to load");
  g_assert_true (app.loaded);

  watcher = watcher_new (atoi (port));
  inventory = watcher_read (watcher);
  state = qm_move_state_new_from_inventory (inventory);

  /* move-item: a weapon the first character carries, to the vault. */
  for (guint i = 0; i < state->items->len && instance == NULL; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->place == QM_MOVE_PLACE_INVENTORY && item->owner == 0 && item->instance_id != 0 &&
          (item->flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) == 0)
        {
          instance = g_strdup_printf ("%" G_GUINT64_FORMAT, item->instance_id);
          hash = item->hash;
        }
    }
  g_assert_nonnull (instance);
  parameter = g_strdup_printf ("('%s', 'vault')", instance);
  gapplication_action ("move-item", parameter);
  expect.session = watcher;
  expect.instance_id = instance;
  qm_test_wait_until (item_arrived, &expect, 60, "the item in the vault");

  /* And back to the second character, through the vault. */
  g_free (parameter);
  expect.character_id = qm_profile_get_character (qm_inventory_get_profile (inventory), 1)->id;
  parameter = g_strdup_printf ("('%s', '%s')", instance, expect.character_id);
  gapplication_action ("move-item", parameter);
  qm_test_wait_until (item_arrived, &expect, 60, "the item on the second character");

  /* An item the account does not have: a notification says so. */
  expect_refused (fake, "move-item", "('1', 'vault')",
                  "This account has no item with the instance ID 1");

  /* equip-loadout: an in-game loadout not worn now. */
  equip_loadout (watcher);

  /* apply-loadout: a saved loadout that equips the item (now on the
   * second character) on the first, saved to the file the app reads. */
  {
    QmProfile *profile = qm_inventory_get_profile (inventory);
    g_autoptr(QmInventory) now = watcher_read (watcher);
    g_autoptr(QmItem) item = find_item (now, instance);
    /* The in-game loadout may have taken it: then the other character. */
    guint target = item != NULL && qm_item_get_equipped (item) &&
                   qm_item_is_held_by (item, qm_profile_get_character (profile, 0)->id) ? 1 : 0;
    g_autoptr(QmLoadoutStore) store = qm_loadout_store_new_for_membership (qm_profile_get_membership_id (profile));
    QmLoadoutItem saved = { .instance_id = g_ascii_strtoull (instance, NULL, 10), .hash = hash, .equip = TRUE };

    g_assert_false (qm_loadout_store_get_damaged (store));
    g_assert_nonnull (qm_loadout_store_create (store, "Desktop test", 3, &saved, 1, &error));
    g_assert_no_error (error);
    expect_refused (fake, "apply-loadout", "('No such loadout', '1')",
                    "There is no saved loadout named “No such loadout”.");
    expect.character_id = qm_profile_get_character (profile, target)->id;
    expect.equipped = TRUE;
    g_free (parameter);
    parameter = g_strdup_printf ("('Desktop test', '%s')", expect.character_id);
    g_assert_false (item_arrived (&expect));
    gapplication_action ("apply-loadout", parameter);
    qm_test_wait_until (item_arrived, &expect, 60, "the saved loadout's item equipped on the first character");
  }

  gapplication_action ("quit", NULL);
  qm_test_wait_until (app_ended, &app, 60, "quartermaster to quit");
  g_subprocess_wait (app.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (app.process));
  g_assert_cmpint (g_subprocess_get_exit_status (app.process), ==, 0);
  g_string_free (app.said, TRUE);
  g_object_unref (app.out);
  g_object_unref (app.process);
}

/* Each of the desktop file's actions is an application action without a
 * parameter, which is how the shell activates them (DBusActivatable). */
static void
test_desktop_file_actions (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("QM_BUILD_ROOT"), "data", APP_ID ".desktop", NULL);
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) actions = NULL;

  QM_TEST_REQUIRE_DISPLAY ();
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  actions = g_key_file_get_string_list (entry, G_KEY_FILE_DESKTOP_GROUP, "Actions", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (actions), >=, 3);
  app = app_new ();
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *group = g_strconcat ("Desktop Action ", actions[i], NULL);

      g_assert_true (g_key_file_has_group (entry, group));
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), actions[i]));
      g_assert_null (g_action_group_get_action_parameter_type (G_ACTION_GROUP (app), actions[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_unsetenv ("GTK_USE_PORTAL");
  system_data_dirs = qm_test_use_system_mime ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/desktop/autostart-file", test_autostart_file);
  g_test_add_func ("/desktop/action-signed-out", test_action_signed_out);
  g_test_add_func ("/desktop/postmaster", test_postmaster);
  g_test_add_func ("/desktop/postmaster-preference", test_postmaster_preference);
  g_test_add_func ("/desktop/gapplication-action", test_gapplication_action);
  g_test_add_func ("/desktop/desktop-file-actions", test_desktop_file_actions);
  return g_test_run ();
}
