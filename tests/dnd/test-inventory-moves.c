/* test-inventory-moves.c: moving items from the inventory window, on the
 * sandbox's demo account: drops on columns and equipped slots, refusals,
 * the selection as one batch, equipping from a tile, the tiles in flight
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-inventory-moves"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "qm-bucket-row.h"
#include "qm-inventory-slot.h"
#include "qm-inventory-view.h"
#include "qm-item-tile.h"
#include "qm-move-controller.h"
#include "qm-test-ui.h"
#include "qm-window.h"

/* One window on the demo account for every test. */
static QmSandbox      *sandbox;
static QmBungieClient *client;
static QmWindow       *window;
static char           *record;

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

static QmWindow *
get_window (void)
{
  gboolean done = FALSE;
  QmSandboxOptions options = { 0 };

  if (!qm_test_require_display ())
    return NULL;
  if (window != NULL)
    return window;

  qm_test_load_app_style ();
  record = g_build_filename (g_get_tmp_dir (), "inventory-moves.jsonl", NULL);
  options.record_path = record;
  sandbox = qm_test_sandbox_new (&options);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_signal_connect (window, "inventory-painted", G_CALLBACK (on_painted_cb), &done);
  g_signal_connect (window, "load-failed", G_CALLBACK (on_load_failed_cb), &done);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  qm_test_wait (&done, 60);
  g_signal_handlers_disconnect_by_data (window, &done);
  qm_test_spin (200);
  return window;
}

static QmInventoryView *
get_view (void)
{
  return qm_window_get_inventory_view (window);
}

static QmProfile *
get_profile (void)
{
  return qm_inventory_get_profile (qm_window_get_inventory (window));
}

static const char *
character_id (guint column)
{
  return qm_profile_get_character (get_profile (), column)->id;
}

/* Where the sandbox has @instance_id: its location and holder. */
static QmItem *
served_item (const char *instance_id)
{
  g_autofree char *json = qm_sandbox_dup_profile_json (sandbox);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(QmProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *items;

  node = json_from_string (json, &error);
  g_assert_no_error (error);
  profile = qm_profile_parse (node, &error);
  g_assert_no_error (error);
  items = qm_profile_get_items (profile);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), instance_id) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static gboolean
moves_idle (gpointer data)
{
  return !qm_move_controller_get_busy (qm_window_get_move_controller (window));
}

static void
wait_for_moves (void)
{
  qm_test_wait_until (moves_idle, NULL, 60, "the moves to finish");
  /* The rows follow on the next frames. */
  qm_test_spin (100);
}

typedef gboolean (*ItemMatch) (QmItem *item);

/* The items of the first row's cell @column that @match takes, shown in
 * that order (up to @n). */
static GPtrArray *
cell_items (guint     column,
            ItemMatch match,
            guint     n)
{
  GListModel *slots = qm_inventory_view_get_slots (get_view ());
  g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, 0);
  GListModel *cell = qm_inventory_slot_get_cell (slot, column);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (cell) && found->len < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (cell, i);

      if (qm_item_get_instance_id (item) != NULL && match (item))
        g_ptr_array_add (found, g_steal_pointer (&item));
    }
  return found;
}

static gboolean
is_unequipped_gear (QmItem *item)
{
  return qm_item_get_equippable (item) && !qm_item_get_equipped (item) &&
         (qm_item_get_class_type (item) == 3);
}

/* The column and row @instance_id's tile is shown in (FALSE: none). */
static gboolean
tile_column (const char *instance_id,
             guint      *column)
{
  GtkWidget *tile = qm_inventory_view_find_tile (get_view (), instance_id);
  GtkWidget *row = tile != NULL ? gtk_widget_get_ancestor (tile, QM_TYPE_BUCKET_ROW) : NULL;

  return row != NULL && qm_bucket_row_locate_tile (QM_BUCKET_ROW (row), tile, column, NULL);
}

/* A vault weapon dropped on a character's column: its tile is in flight at
 * once, the sandbox has it on that character after, and its tile shows in
 * that character's cell, no longer in flight. */
static void
test_drop_on_column (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmItem) served = NULL;
  g_autofree char *refusal = NULL;
  guint n_characters;
  const char *ids[2] = { NULL, NULL };
  GtkWidget *tile;
  guint column;

  if (get_window () == NULL)
    return;
  n_characters = qm_profile_get_n_characters (get_profile ());
  items = cell_items (n_characters, is_unequipped_gear, 1);
  g_assert_cmpuint (items->len, ==, 1);
  ids[0] = qm_item_get_instance_id (g_ptr_array_index (items, 0));
  tile = qm_inventory_view_find_tile (get_view (), ids[0]);
  g_assert_nonnull (tile);
  g_assert_false (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));

  g_assert_true (qm_inventory_view_drop_items (get_view (), ids, 1, FALSE, QM_MOVE_FLAGS_NONE, &refusal));
  g_assert_null (refusal);
  /* Marked before the drop returned: drawn so on the next frame. */
  g_assert_true (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));
  g_assert_true (gtk_widget_has_css_class (tile, "in-flight"));

  wait_for_moves ();
  served = served_item (ids[0]);
  g_assert_nonnull (served);
  g_assert_cmpint (qm_item_get_location (served), ==, QM_ITEM_LOCATION_INVENTORY);
  g_assert_cmpstr (qm_item_get_character_id (served), ==, character_id (1));
  g_assert_true (tile_column (ids[0], &column));
  g_assert_cmpuint (column, ==, 1);
  tile = qm_inventory_view_find_tile (get_view (), ids[0]);
  g_assert_false (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));
}

/* Dropped on its slot's equipped tile, a character's item is equipped. */
static void
test_drop_on_equipped (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmItem) served = NULL;
  g_autofree char *refusal = NULL;
  const char *ids[2] = { NULL, NULL };

  if (get_window () == NULL)
    return;
  items = cell_items (0, is_unequipped_gear, 1);
  g_assert_cmpuint (items->len, ==, 1);
  ids[0] = qm_item_get_instance_id (g_ptr_array_index (items, 0));
  g_assert_true (qm_inventory_view_drop_items (get_view (), ids, 0, TRUE, QM_MOVE_FLAGS_NONE, &refusal));
  wait_for_moves ();
  served = served_item (ids[0]);
  g_assert_cmpint (qm_item_get_location (served), ==, QM_ITEM_LOCATION_EQUIPPED);
  g_assert_cmpstr (qm_item_get_character_id (served), ==, character_id (0));
}

/* A double-click (the tile's "inventory.equip") equips on the character
 * shown, moving the item there first. */
static void
test_equip_from_tile (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(QmItem) served = NULL;
  guint n_characters;
  const char *id;
  GtkWidget *tile;

  if (get_window () == NULL)
    return;
  n_characters = qm_profile_get_n_characters (get_profile ());
  qm_inventory_view_set_selected_character (get_view (), character_id (2));
  items = cell_items (n_characters, is_unequipped_gear, 1);
  id = qm_item_get_instance_id (g_ptr_array_index (items, 0));
  tile = qm_inventory_view_find_tile (get_view (), id);
  g_assert_nonnull (tile);
  g_assert_true (gtk_widget_activate_action (tile, "inventory.equip", "s", id));
  g_assert_true (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));
  wait_for_moves ();
  served = served_item (id);
  g_assert_cmpint (qm_item_get_location (served), ==, QM_ITEM_LOCATION_EQUIPPED);
  g_assert_cmpstr (qm_item_get_character_id (served), ==, character_id (2));
}

static int refused_class;

static gboolean
is_other_class_armor (QmItem *item)
{
  int class_type = qm_item_get_class_type (item);

  return qm_item_get_equippable (item) && class_type != 3 && class_type != refused_class;
}

/* With QM_TEST_SHOTS set to a directory: the screen, once drawn, as @name. */
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
  qm_test_spin (400);
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root '%s'", path);
  argv[2] = command;
  qm_test_run (&run, argv, NULL, NULL);
  g_test_message ("Screenshot %s: %d", path, run.status);
}

/* An item of another class refuses to be equipped, and says why; nothing
 * moves. A drop where the items are already has nothing to do. */
static void
test_refused (void)
{
  GListModel *slots;
  g_autoptr(QmItem) before = NULL;
  g_autoptr(QmItem) after = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *nothing = NULL;
  const char *ids[2] = { NULL, NULL };
  QmItem *armor = NULL;
  guint n_characters;
  guint column = 0;

  if (get_window () == NULL)
    return;
  n_characters = qm_profile_get_n_characters (get_profile ());
  slots = qm_inventory_view_get_slots (get_view ());
  /* Armour in the vault, of a class that is not the first character's. */
  refused_class = qm_profile_get_character (get_profile (), column)->class_type;
  for (guint s = 0; s < g_list_model_get_n_items (slots) && armor == NULL; s++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, s);
      GListModel *cell = qm_inventory_slot_get_cell (slot, n_characters);

      for (guint i = 0; i < g_list_model_get_n_items (cell) && armor == NULL; i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (cell, i);

          if (qm_item_get_instance_id (item) != NULL && is_other_class_armor (item))
            armor = g_steal_pointer (&item);
        }
    }
  g_assert_nonnull (armor);
  ids[0] = qm_item_get_instance_id (armor);
  before = served_item (ids[0]);

  g_assert_false (qm_inventory_view_drop_items (get_view (), ids, column, TRUE, QM_MOVE_FLAGS_NONE, &refusal));
  g_assert_nonnull (refusal);
  g_test_message ("Refused: %s", refusal);
  save_shot ("refused-toast.png");
  g_assert_cmpstr (refusal, !=, "");
  g_assert_false (qm_move_controller_is_in_flight (qm_window_get_move_controller (window), ids[0]));
  g_assert_false (qm_move_controller_get_busy (qm_window_get_move_controller (window)));

  /* To the vault, where it is: nothing to do, nothing said. */
  g_assert_false (qm_inventory_view_drop_items (get_view (), ids, n_characters, FALSE, QM_MOVE_FLAGS_NONE,
                                                &nothing));
  g_assert_cmpstr (nothing, ==, "");

  after = served_item (ids[0]);
  g_assert_cmpint (qm_item_get_location (after), ==, qm_item_get_location (before));
  g_assert_cmpstr (qm_item_get_character_id (after), ==, qm_item_get_character_id (before));
  g_object_unref (armor);
}

/* Three vault items selected (GtkMultiSelection) drag as one: the drag
 * carries the three, an unselected tile only itself; dropped, all three
 * arrive in one run. */
static void
test_selection (void)
{
  g_autoptr(GPtrArray) items = NULL;
  GtkSelectionModel *selection;
  GListModel *shown;
  g_auto(GStrv) selected = NULL;
  g_auto(GStrv) carried = NULL;
  g_auto(GStrv) alone = NULL;
  g_autoptr(GPtrArray) others = NULL;
  guint n_characters;
  guint n_selected = 0;
  GtkWidget *tile;

  if (get_window () == NULL)
    return;
  n_characters = qm_profile_get_n_characters (get_profile ());
  items = cell_items (n_characters, is_unequipped_gear, 4);
  g_assert_cmpuint (items->len, ==, 4);
  selection = qm_inventory_view_get_selection (get_view ());
  g_assert_true (GTK_IS_MULTI_SELECTION (selection));
  shown = qm_inventory_view_get_items (get_view ());
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (shown, i);

      for (guint j = 0; j < 3; j++)
        if (item == g_ptr_array_index (items, j))
          {
            gtk_selection_model_select_item (selection, i, FALSE);
            n_selected++;
          }
    }
  g_assert_cmpuint (n_selected, ==, 3);

  selected = qm_inventory_view_dup_selected_ids (get_view ());
  g_assert_cmpuint (g_strv_length (selected), ==, 3);
  tile = qm_inventory_view_find_tile (get_view (), qm_item_get_instance_id (g_ptr_array_index (items, 1)));
  g_assert_true (qm_item_tile_get_selected (QM_ITEM_TILE (tile)));
  g_assert_true (gtk_widget_has_css_class (tile, "selected"));
  carried = qm_inventory_view_dup_drag_ids (get_view (), QM_ITEM_TILE (tile));
  g_assert_true (g_strv_equal ((const char * const *) carried, (const char * const *) selected));
  tile = qm_inventory_view_find_tile (get_view (), qm_item_get_instance_id (g_ptr_array_index (items, 3)));
  g_assert_false (qm_item_tile_get_selected (QM_ITEM_TILE (tile)));
  alone = qm_inventory_view_dup_drag_ids (get_view (), QM_ITEM_TILE (tile));
  g_assert_cmpuint (g_strv_length (alone), ==, 1);
  g_assert_cmpstr (alone[0], ==, qm_item_get_instance_id (g_ptr_array_index (items, 3)));
  /* The context menu of a selected tile acts on the whole selection; of
   * another tile, on that one alone. */
  {
    QmMoveController *moves = qm_window_get_move_controller (window);
    g_autoptr(GPtrArray) subject = qm_move_controller_dup_subject (moves, g_ptr_array_index (items, 1));
    g_autoptr(GPtrArray) single = qm_move_controller_dup_subject (moves, g_ptr_array_index (items, 3));

    g_assert_cmpuint (subject->len, ==, 3);
    g_assert_cmpuint (single->len, ==, 1);
    g_assert_true (g_ptr_array_index (single, 0) == g_ptr_array_index (items, 3));
  }

  g_assert_true (qm_inventory_view_drop_items (get_view (), (const char * const *) carried, 2, FALSE,
                                               QM_MOVE_FLAGS_NONE, NULL));
  for (guint i = 0; carried[i] != NULL; i++)
    g_assert_true (qm_move_controller_is_in_flight (qm_window_get_move_controller (window), carried[i]));
  wait_for_moves ();
  for (guint i = 0; carried[i] != NULL; i++)
    {
      g_autoptr(QmItem) served = served_item (carried[i]);
      guint column;

      g_assert_cmpint (qm_item_get_location (served), ==, QM_ITEM_LOCATION_INVENTORY);
      g_assert_cmpstr (qm_item_get_character_id (served), ==, character_id (2));
      g_assert_true (tile_column (carried[i], &column));
      g_assert_cmpuint (column, ==, 2);
    }
  /* The fourth stayed. */
  others = cell_items (n_characters, is_unequipped_gear, 10);
  g_assert_true (g_ptr_array_find (others, g_ptr_array_index (items, 3), NULL));
  gtk_selection_model_unselect_all (selection);
}

/* A move that fails (maintenance) reloads the profile: the window shows
 * the session's new inventory, the item where the server has it, no tile
 * left in flight. */
static void
test_failed_move_reloads (void)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmItem) served = NULL;
  QmInventory *before;
  QmSession *session;
  const char *ids[2] = { NULL, NULL };
  GtkWidget *tile;
  guint n_characters;
  guint column;

  if (get_window () == NULL)
    return;
  session = qm_window_get_session (window);
  n_characters = qm_profile_get_n_characters (get_profile ());
  items = cell_items (n_characters, is_unequipped_gear, 1);
  ids[0] = qm_item_get_instance_id (g_ptr_array_index (items, 0));
  before = qm_window_get_inventory (window);
  g_assert_true (before == qm_session_get_inventory (session));

  g_assert_true (qm_sandbox_set_faults (sandbox, "maintenance,endpoint=TransferItem,times=1", &error));
  g_assert_no_error (error);
  g_assert_true (qm_inventory_view_drop_items (get_view (), ids, 1, FALSE, QM_MOVE_FLAGS_NONE, NULL));
  wait_for_moves ();
  g_assert_true (qm_sandbox_set_faults (sandbox, "", &error));

  g_assert_true (qm_window_get_inventory (window) == qm_session_get_inventory (session));
  g_assert_true (qm_window_get_inventory (window) != before);
  served = served_item (ids[0]);
  g_assert_cmpint (qm_item_get_location (served), ==, QM_ITEM_LOCATION_VAULT);
  qm_test_spin (300);
  g_assert_true (tile_column (ids[0], &column));
  g_assert_cmpuint (column, ==, n_characters);
  tile = qm_inventory_view_find_tile (get_view (), ids[0]);
  g_assert_false (qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)));
}

/* The inventory shown again (as a refresh does): the selection stays. */
static void
test_selection_kept (void)
{
  g_autoptr(GPtrArray) items = NULL;
  GtkSelectionModel *selection;
  GListModel *shown;
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_autoptr(GtkBitset) kept = NULL;
  guint n_characters;

  if (get_window () == NULL)
    return;
  n_characters = qm_profile_get_n_characters (get_profile ());
  items = cell_items (n_characters, is_unequipped_gear, 2);
  g_assert_cmpuint (items->len, ==, 2);
  selection = qm_inventory_view_get_selection (get_view ());
  shown = qm_inventory_view_get_items (get_view ());
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (shown, i);

      if (g_ptr_array_find (items, item, NULL))
        gtk_selection_model_select_item (selection, i, FALSE);
    }
  before = qm_inventory_view_dup_selected_ids (get_view ());
  g_assert_cmpuint (g_strv_length (before), ==, 2);

  qm_inventory_view_set_inventory (get_view (), qm_window_get_inventory (window), NULL);
  g_assert_true (qm_inventory_view_get_selection (get_view ()) != selection);
  after = qm_inventory_view_dup_selected_ids (get_view ());
  g_assert_true (g_strv_equal ((const char * const *) before, (const char * const *) after));
  kept = gtk_selection_model_get_selection (qm_inventory_view_get_selection (get_view ()));
  g_assert_cmpuint (gtk_bitset_get_size (kept), ==, 2);
  gtk_selection_model_unselect_all (qm_inventory_view_get_selection (get_view ()));
}

/* What the sandbox saw of all this holds to Bungie's contract. */
static void
test_contract (void)
{
  g_autofree char *output = NULL;

  if (get_window () == NULL)
    return;
  if (!qm_test_contract_check (record, NULL, &output))
    g_error ("The traffic breaks the contract:\n%s", output);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/inventory-moves/drop-on-column", test_drop_on_column);
  g_test_add_func ("/inventory-moves/drop-on-equipped", test_drop_on_equipped);
  g_test_add_func ("/inventory-moves/equip-from-tile", test_equip_from_tile);
  g_test_add_func ("/inventory-moves/refused", test_refused);
  g_test_add_func ("/inventory-moves/selection", test_selection);
  g_test_add_func ("/inventory-moves/failed-move-reloads", test_failed_move_reloads);
  g_test_add_func ("/inventory-moves/selection-kept", test_selection_kept);
  g_test_add_func ("/inventory-moves/contract", test_contract);

  status = g_test_run ();
  if (window != NULL)
    qm_test_close_window (GTK_WINDOW (window));
  if (sandbox != NULL)
    qm_sandbox_stop (sandbox);
  g_clear_object (&client);
  g_clear_object (&sandbox);
  if (record != NULL)
    g_unlink (record);
  g_free (record);
  return status;
}
