/* test-pointer-drags.c: a real pointer dragging tiles, end to end
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * quartermaster-sandbox runs on its own (recording its traffic); the
 * inventory window signs in to it with the OAuth sign-in the sandbox
 * approves, and xdotool moves the X pointer as a player would
 * (headless-testing.md §3a: paced motion, two moves over the target, a
 * pause before the release). Each drag is checked against the sandbox
 * read with quartermaster-cli --origin, the way a second program sees it:
 *   1. a vault tile onto a character's column: the item is there;
 *   2. a character's item onto its slot's equipped tile: it is equipped;
 *   3. three vault tiles Ctrl-clicked, then one of them dragged onto
 *      another character's column: all three are there.
 * Then the recorded traffic must pass the contract check.
 * With QM_TEST_SHOTS set to a directory, a screenshot of each drag in
 * progress is saved there (import -window root).
 * Skips without a display or without xdotool.
 */

#define G_LOG_DOMAIN "test-pointer-drags"

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "qm-bucket-row.h"
#include "qm-inventory-slot.h"
#include "qm-inventory-view.h"
#include "qm-item-tile.h"
#include "qm-move-controller.h"
#include "qm-oauth2-flow.h"
#include "qm-sandbox-approve.h"
#include "qm-test-ui.h"
#include "qm-window.h"

/* The pauses between pointer events, longer when the program runs under
 * AddressSanitizer (several times slower): the drag's round trips must
 * finish between them. */
#if defined(__SANITIZE_ADDRESS__)
#define PACE 4
#else
#define PACE 1
#endif

typedef struct
{
  char        *dir;
  char        *record;
  GSubprocess *sandbox;
  char        *origin;
  char        *psn_origin;
  char        *token;
  QmWindow    *window;
  QmBungieClient *client;
  guint        n_finished;   /* runs the window's moves finished */
  guint        n_waited;
  guint        n_expected;   /* tiles selected, waited for */
} Fixture;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_sandbox (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *program = qm_test_build_path ("sandbox", "quartermaster-sandbox");
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Transfers answered after 300 ms, as over the network: the tiles are
   * seen in flight before they land. */
  fixture->sandbox = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0",
                                                  "--record", fixture->record,
                                                  "--faults", "delay:300,endpoint=TransferItem", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sandbox));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  fixture->origin = g_strdup (line + strlen ("listening on "));
  fixture->psn_origin = g_strconcat ("http://localhost:", strrchr (fixture->origin, ':') + 1, NULL);
}

/* The OAuth sign-in, the authorize page approved as a player would. */
typedef struct
{
  QmOAuth2Flow *flow;
} Browser;

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Browser *browser = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = qm_sandbox_approve_finish (result, &error);

  g_assert_no_error (error);
  g_assert_true (qm_oauth2_flow_handle_redirect (browser->flow, redirect, &error));
  g_assert_no_error (error);
}

static void
browser_launch (QmOAuth2Flow *flow,
                const char   *uri,
                gpointer      user_data)
{
  Browser *browser = user_data;

  browser->flow = flow;
  qm_sandbox_approve_async (uri, TRUE, NULL, on_approved_cb, browser);
}

static void
sign_in (Fixture *fixture)
{
  g_autoptr(QmConfig) config = g_new0 (QmConfig, 1);
  g_autoptr(QmOAuth2Flow) flow = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };
  Browser browser = { 0 };

  config->origin = g_strdup (fixture->origin);
  config->psn_origin = g_strdup (fixture->psn_origin);
  config->api_key = g_strdup (QM_SANDBOX_API_KEY);
  config->client_id = g_strdup (QM_SANDBOX_CLIENT_ID);
  config->client_secret = g_strdup (QM_SANDBOX_CLIENT_SECRET);
  config->redirect_uri = g_strdup (QM_SANDBOX_REDIRECT_URI);
  flow = qm_oauth2_flow_new (config);
  qm_oauth2_flow_set_launcher (flow, browser_launch, &browser, NULL);
  qm_oauth2_flow_sign_in_async (flow, NULL, qm_test_result_cb, &res);
  token = qm_oauth2_flow_sign_in_finish (flow, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  fixture->token = g_strdup (token->access_token);
}

static void
on_painted_cb (QmWindow *window,
               gboolean *done)
{
  *done = TRUE;
}

static void
on_load_failed_cb (QmWindow   *window,
                   const char *message,
                   gpointer    data)
{
  g_error ("The inventory did not load: %s", message);
}

static void
on_finished_cb (QmMoveController *moves,
                gboolean          ok,
                const char       *message,
                Fixture          *fixture)
{
  g_test_message ("A move finished: %s%s%s", ok ? "done" : "failed",
                  message != NULL ? ": " : "", message != NULL ? message : "");
  g_assert_true (ok);
  fixture->n_finished++;
}

static void
open_window (Fixture *fixture)
{
  gboolean done = FALSE;

  /* As the app draws it: the highlights are the app's style. */
  qm_test_load_app_style ();
  fixture->client = qm_bungie_client_new (fixture->origin, QM_SANDBOX_API_KEY);
  qm_bungie_client_set_access_token (fixture->client, fixture->token);
  fixture->window = qm_window_new (NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  g_signal_connect (fixture->window, "inventory-painted", G_CALLBACK (on_painted_cb), &done);
  g_signal_connect (fixture->window, "load-failed", G_CALLBACK (on_load_failed_cb), NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  qm_window_set_client (fixture->window, fixture->client, "Sandbox");
  g_signal_connect (qm_window_get_move_controller (fixture->window), "finished",
                    G_CALLBACK (on_finished_cb), fixture);
  qm_test_wait (&done, 60);
  g_signal_handlers_disconnect_by_data (fixture->window, &done);
  /* Icons in, rows laid out. */
  qm_test_spin (500);
}

/* ---------------------------------------------------------------------- */
/* Where things are on the screen                                         */

static QmInventoryView *
get_view (Fixture *fixture)
{
  return qm_window_get_inventory_view (fixture->window);
}

static QmProfile *
get_profile (Fixture *fixture)
{
  return qm_inventory_get_profile (qm_window_get_inventory (fixture->window));
}

/* Run xdotool with @args (a string of its commands), the main loop running. */
static char *
xdotool (const char *args)
{
  g_autofree char *command = g_strconcat ("xdotool ", args, NULL);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_auto(QmTestRun) run = { 0 };

  qm_test_run (&run, argv, NULL, NULL);
  if (run.status != 0)
    g_error ("%s failed (%d): %s", command, run.status, run.err);
  return g_strdup (run.out);
}

/* The window's origin on the screen, from the X server. */
static void
window_origin (Fixture *fixture,
               double  *x,
               double  *y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  g_autofree char *args = g_strdup_printf ("getwindowgeometry --shell %lu",
                                           (unsigned long) gdk_x11_surface_get_xid (surface));
  g_autofree char *out = xdotool (args);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  double sx = 0;
  double sy = 0;

  *x = *y = -1;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "X="))
        *x = g_ascii_strtod (lines[i] + 2, NULL);
      else if (g_str_has_prefix (lines[i], "Y="))
        *y = g_ascii_strtod (lines[i] + 2, NULL);
    }
  g_assert_cmpfloat (*x, >=, 0);
  g_assert_cmpfloat (*y, >=, 0);
  /* The window's widgets start inside its client-side frame. */
  gtk_native_get_surface_transform (GTK_NATIVE (fixture->window), &sx, &sy);
  *x += sx;
  *y += sy;
}

/* The centre of @widget on the screen, or of its top band of @band px. */
static void
screen_point (Fixture   *fixture,
              GtkWidget *widget,
              double     band,
              int       *x,
              int       *y)
{
  graphene_rect_t bounds;
  double ox;
  double oy;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  window_origin (fixture, &ox, &oy);
  *x = (int) (ox + bounds.origin.x + bounds.size.width / 2);
  *y = (int) (oy + bounds.origin.y + (band > 0 ? MIN (band, bounds.size.height) / 2
                                               : bounds.size.height / 2));
}

/* The first row (kinetic weapons) as shown: the row of its first vault tile. */
static QmBucketRow *
first_row (Fixture *fixture)
{
  g_autoptr(QmInventorySlot) slot = g_list_model_get_item (qm_inventory_view_get_slots (get_view (fixture)), 0);
  GListModel *cell = qm_inventory_slot_get_cell (slot, qm_inventory_slot_get_n_columns (slot) - 1);
  g_autoptr(QmItem) item = g_list_model_get_item (cell, 0);
  GtkWidget *tile = qm_inventory_view_find_tile (get_view (fixture), qm_item_get_instance_id (item));

  g_assert_nonnull (tile);
  return QM_BUCKET_ROW (gtk_widget_get_ancestor (tile, QM_TYPE_BUCKET_ROW));
}

typedef gboolean (*ItemMatch) (QmItem *item);

static gboolean
is_unequipped_gear (QmItem *item)
{
  return qm_item_get_instance_id (item) != NULL && qm_item_get_equippable (item) &&
         !qm_item_get_equipped (item) && qm_item_get_class_type (item) == 3;
}

/* The instance ids of the first @n items @match takes in the first row's
 * @column, shown there. */
static GPtrArray *
pick_items (Fixture *fixture,
            guint    column,
            guint    n)
{
  g_autoptr(QmInventorySlot) slot = g_list_model_get_item (qm_inventory_view_get_slots (get_view (fixture)), 0);
  GListModel *cell = qm_inventory_slot_get_cell (slot, column);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (cell) && ids->len < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (cell, i);

      if (is_unequipped_gear (item) && qm_inventory_view_find_tile (get_view (fixture),
                                                                    qm_item_get_instance_id (item)) != NULL)
        g_ptr_array_add (ids, g_strdup (qm_item_get_instance_id (item)));
    }
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}

/* Where @instance_id's tile is on the screen, once the layout has
 * settled: the tile is what the window has at that point. */
static void
tile_point (Fixture    *fixture,
            const char *instance_id,
            int        *x,
            int        *y)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      GtkWidget *tile = qm_inventory_view_find_tile (get_view (fixture), instance_id);
      graphene_rect_t bounds;
      GtkWidget *picked;

      if (tile != NULL && gtk_widget_compute_bounds (tile, GTK_WIDGET (fixture->window), &bounds))
        {
          picked = gtk_widget_pick (GTK_WIDGET (fixture->window),
                                    bounds.origin.x + bounds.size.width / 2,
                                    bounds.origin.y + bounds.size.height / 2, GTK_PICK_DEFAULT);
          if (picked != NULL && (picked == tile || gtk_widget_is_ancestor (picked, tile)))
            {
              screen_point (fixture, tile, 0, x, y);
              return;
            }
        }
      qm_test_spin (100);
    }
  g_error ("The tile of %s is not shown", instance_id);
}

static void
save_shot (const char *name)
{
  const char *dir = g_getenv ("QM_TEST_SHOTS");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  g_auto(QmTestRun) run = { 0 };

  if (dir == NULL || *dir == '\0')
    return;
  /* Pictures for people: the system's icons, which the test's own data
   * folders do not have. */
  if (g_object_get_data (G_OBJECT (gdk_display_get_default ()), "qm-shot-icons") == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

      gtk_icon_theme_add_search_path (theme, "/usr/share/icons");
      g_object_set_data (G_OBJECT (gdk_display_get_default ()), "qm-shot-icons", GINT_TO_POINTER (1));
      qm_test_spin (200);
    }
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root '%s'", path);
  argv[2] = command;
  qm_test_run (&run, argv, NULL, NULL);
  g_test_message ("Screenshot %s: %d", path, run.status);
}

static gboolean
dragging (gpointer data)
{
  return qm_inventory_view_get_dragging (get_view (data));
}

/* Where a drag goes: the tile of @source, and the cell of the first row's
 * @column (or, @equipped, its equipped tile). */
typedef struct
{
  const char *source;
  guint       column;
  gboolean    equipped;
} DragPlan;

static void
drag_points (Fixture        *fixture,
             const DragPlan *plan,
             int            *x0,
             int            *y0,
             int            *x1,
             int            *y1)
{
  QmBucketRow *row;
  GtkWidget *target = NULL;

  tile_point (fixture, plan->source, x0, y0);
  row = first_row (fixture);
  if (plan->equipped)
    {
      g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (row, plan->column);

      for (guint i = 0; i < tiles->len; i++)
        if (qm_item_get_equipped (qm_item_tile_get_item (g_ptr_array_index (tiles, i))))
          target = g_ptr_array_index (tiles, i);
    }
  else
    target = qm_bucket_row_get_cell (row, plan->column);
  g_assert_nonnull (target);
  screen_point (fixture, target, 0, x1, y1);
}

/* Press on the source tile and move past the drag threshold; once the
 * view says the drag began, move in paced steps to the target, twice over
 * it with pauses, and release. A refresh landing under the press (the
 * window refreshes by itself every 30 s) can take the tile away: the
 * pointer lets go and tries again, as a player would. */
static void
drag (Fixture        *fixture,
      const DragPlan *plan,
      const char     *shot)
{
  g_autoptr(GString) args = g_string_new (NULL);
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  guint attempt;

  for (attempt = 0; attempt < 3; attempt++)
    {
      g_autofree char *start = NULL;
      gboolean timed_out = FALSE;
      guint timeout_id;

      drag_points (fixture, plan, &x0, &y0, &x1, &y1);
      start = g_strdup_printf ("mousemove %d %d sleep 0.2 mousedown 1 sleep %.2f mousemove %d %d sleep 0.1 "
                               "mousemove %d %d", x0, y0, 0.2 * PACE, x0 + 6, y0 + 6, x0 + 14, y0 + 14);
      g_free (xdotool (start));
      timeout_id = g_timeout_add_seconds (5 * PACE, qm_test_flag_cb, &timed_out);
      while (!dragging (fixture) && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (!timed_out)
        g_source_remove (timeout_id);
      if (dragging (fixture))
        break;
      g_test_message ("The drag did not begin; again");
      g_free (xdotool ("mouseup 1"));
      qm_test_spin (1000);
    }
  g_assert_cmpuint (attempt, <, 3);
  for (int i = 1; i <= 10; i++)
    g_string_append_printf (args, " mousemove %d %d sleep %.2f",
                            x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * i / 10, 0.04 * PACE);
  g_string_append_printf (args, " mousemove %d %d sleep %.2f mousemove %d %d sleep %.2f",
                          x1 + 2, y1 + 2, 0.3 * PACE, x1, y1, 0.3 * PACE);
  g_free (xdotool (args->str));
  /* The highlights of the drag going on, drawn. */
  qm_test_spin (150 * PACE);
  if (shot != NULL)
    save_shot (shot);
  g_free (xdotool ("mouseup 1"));
}

static gboolean
n_selected_is (gpointer data)
{
  Fixture *fixture = data;
  g_auto(GStrv) selected = qm_inventory_view_dup_selected_ids (get_view (fixture));

  return g_strv_length (selected) == fixture->n_expected;
}

static gboolean
in_flight (gpointer data)
{
  const char *instance_id = ((const char * const *) data)[1];
  Fixture *fixture = ((gpointer *) data)[0];

  return qm_move_controller_is_in_flight (qm_window_get_move_controller (fixture->window), instance_id);
}

/* After the release: the dropped tile is marked in flight, and drawn so. */
static void
check_in_flight (Fixture    *fixture,
                 const char *instance_id,
                 const char *shot)
{
  gpointer data[2] = { fixture, (gpointer) instance_id };
  GtkWidget *tile;

  qm_test_wait_until (in_flight, data, 10 * PACE, "the dropped tile in flight");
  tile = qm_inventory_view_find_tile (get_view (fixture), instance_id);
  g_assert_nonnull (tile);
  g_assert_true (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));
  qm_test_spin (60);
  if (shot != NULL)
    save_shot (shot);
}

static gboolean
drop_done (gpointer data)
{
  Fixture *fixture = data;

  return fixture->n_finished > fixture->n_waited &&
         !qm_move_controller_get_busy (qm_window_get_move_controller (fixture->window));
}

/* The move the drop asked for, finished. */
static void
wait_for_drop (Fixture *fixture)
{
  qm_test_wait_until (drop_done, fixture, 60, "the dropped move to finish");
  fixture->n_waited = fixture->n_finished;
  qm_test_spin (300 * PACE);
}

/* ---------------------------------------------------------------------- */
/* The state, as quartermaster-cli reads it                               */

/* Where the sandbox has @instance_id: "vault", or "<character id>
 * <location>". */
static char *
cli_place (Fixture    *fixture,
           const char *instance_id)
{
  g_autofree char *program = qm_test_build_path ("cli", "quartermaster-cli");
  const char *argv[] = { program, "--origin", fixture->origin, "inventory", "--json", NULL };
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *characters;
  JsonArray *vault;

  envp = g_environ_setenv (envp, "QM_ACCESS_TOKEN", fixture->token, TRUE);
  envp = g_environ_setenv (envp, "QM_API_KEY", QM_SANDBOX_API_KEY, TRUE);
  envp = g_environ_setenv (envp, "QM_PSN_ORIGIN", fixture->psn_origin, TRUE);
  qm_test_run (&run, argv, envp, NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = qm_test_parse_document (run.out, &root);
  characters = json_object_get_array_member (object, "characters");
  for (guint i = 0; i < json_array_get_length (characters); i++)
    {
      JsonObject *character = json_array_get_object_element (characters, i);
      JsonArray *items = json_object_get_array_member (character, "items");

      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);

          if (g_strcmp0 (json_object_get_string_member_with_default (item, "instance_id", NULL), instance_id) == 0)
            return g_strdup_printf ("%s %s", json_object_get_string_member (character, "id"),
                                    json_object_get_string_member (item, "location"));
        }
    }
  vault = json_object_get_array_member (object, "vault");
  for (guint j = 0; j < json_array_get_length (vault); j++)
    {
      JsonObject *item = json_array_get_object_element (vault, j);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "instance_id", NULL), instance_id) == 0)
        return g_strdup ("vault");
    }
  return g_strdup ("nowhere");
}

static char *
expected_place (Fixture    *fixture,
                guint       column,
                const char *location)
{
  return g_strdup_printf ("%s %s", qm_profile_get_character (get_profile (fixture), column)->id, location);
}

/* ---------------------------------------------------------------------- */

static void
test_pointer_drags (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  guint n_characters;
  int x0, y0;

  if (!qm_test_require_display ())
    return;
  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("xdotool drives an X11 display only");
      return;
    }

  fixture.dir = g_dir_make_tmp ("test-pointer-drags-XXXXXX", &error);
  g_assert_no_error (error);
  fixture.record = g_build_filename (fixture.dir, "record.jsonl", NULL);
  start_sandbox (&fixture);
  sign_in (&fixture);
  open_window (&fixture);
  n_characters = qm_profile_get_n_characters (get_profile (&fixture));
  g_assert_cmpuint (n_characters, >=, 3);

  /* 1. A vault tile onto the second character's column. */
  first = pick_items (&fixture, n_characters, 1);
  {
    g_autofree char *place = cli_place (&fixture, g_ptr_array_index (first, 0));

    g_assert_cmpstr (place, ==, "vault");
  }
  drag (&fixture, &(DragPlan) { g_ptr_array_index (first, 0), 1, FALSE }, "drag-to-column.png");
  check_in_flight (&fixture, g_ptr_array_index (first, 0), "dropped-in-flight.png");
  wait_for_drop (&fixture);
  {
    g_autofree char *place = cli_place (&fixture, g_ptr_array_index (first, 0));
    g_autofree char *expected = expected_place (&fixture, 1, "inventory");

    g_assert_cmpstr (place, ==, expected);
  }

  /* 2. The first character's item onto its equipped tile. */
  second = pick_items (&fixture, 0, 1);
  drag (&fixture, &(DragPlan) { g_ptr_array_index (second, 0), 0, TRUE }, "drag-to-equipped.png");
  wait_for_drop (&fixture);
  {
    g_autofree char *place = cli_place (&fixture, g_ptr_array_index (second, 0));
    g_autofree char *expected = expected_place (&fixture, 0, "equipped");

    g_assert_cmpstr (place, ==, expected);
  }

  /* 3. Three vault tiles Ctrl-clicked, dragged as one onto the third
   * character's column. */
  batch = pick_items (&fixture, n_characters, 3);
  for (guint i = 0; i < batch->len; i++)
    {
      g_autofree char *args = NULL;

      tile_point (&fixture, g_ptr_array_index (batch, i), &x0, &y0);
      args = g_strdup_printf ("mousemove %d %d sleep 0.1 keydown ctrl click 1 keyup ctrl sleep 0.2", x0, y0);
      g_free (xdotool (args));
      fixture.n_expected = i + 1;
      qm_test_wait_until (n_selected_is, &fixture, 10 * PACE, "the Ctrl-click to select");
    }
  {
    g_auto(GStrv) selected = qm_inventory_view_dup_selected_ids (get_view (&fixture));

    g_assert_cmpuint (g_strv_length (selected), ==, 3);
    for (guint i = 0; i < batch->len; i++)
      g_assert_true (g_strv_contains ((const char * const *) selected, g_ptr_array_index (batch, i)));
  }
  drag (&fixture, &(DragPlan) { g_ptr_array_index (batch, 1), 2, FALSE }, "drag-selection.png");
  for (guint i = 0; i < batch->len; i++)
    check_in_flight (&fixture, g_ptr_array_index (batch, i), NULL);
  save_shot ("selection-in-flight.png");
  wait_for_drop (&fixture);
  for (guint i = 0; i < batch->len; i++)
    {
      g_autofree char *place = cli_place (&fixture, g_ptr_array_index (batch, i));
      g_autofree char *expected = expected_place (&fixture, 2, "inventory");

      g_assert_cmpstr (place, ==, expected);
    }

  /* Everything the sandbox saw, held to Bungie's contract. */
  qm_test_close_window (GTK_WINDOW (fixture.window));
  g_subprocess_send_signal (fixture.sandbox, SIGTERM);
  g_subprocess_wait (fixture.sandbox, NULL, &error);
  g_assert_no_error (error);
  if (!qm_test_contract_check (fixture.record, NULL, &output))
    g_error ("The traffic breaks the contract:\n%s", output);

  g_clear_object (&fixture.sandbox);
  g_clear_object (&fixture.client);
  g_unlink (fixture.record);
  g_rmdir (fixture.dir);
  g_free (fixture.record);
  g_free (fixture.dir);
  g_free (fixture.origin);
  g_free (fixture.psn_origin);
  g_free (fixture.token);
}

int
main (int   argc,
      char *argv[])
{
  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/pointer-drags/column-equipped-selection", test_pointer_drags);

  return g_test_run ();
}
