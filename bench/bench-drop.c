/* bench-drop.c: a drop in the inventory window until its tile shows it is in flight
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window on the in-process sandbox's demo account, on $DISPLAY (Xvfb
 * in CI), with the app's style. A vault weapon is dropped on a character's
 * column, then back on the vault, N times each way; each drop is timed from
 * the drop (qm_inventory_view_drop_items(), what the drop targets call:
 * the check, the plan, the request) until its tile is marked in flight, and
 * until the next frame after that is drawn (the tile seen dimmed). The
 * sandbox answers transfers after 300 ms, as the network would; the move
 * itself runs between the timed drops. Reports the medians; target: drop to
 * marked ≤ 16 ms. For comparison, the next frame after one tile merely
 * asks to be redrawn. Exits 77 (skipped) without a display.
 *
 * bench-drop [--runs N]; BENCH_DROP_PHASES=1 prints when each frame phase
 * (update, layout, paint, drawn) began after each drop.
 */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "qm-inventory-slot.h"
#include "qm-inventory-view.h"
#include "qm-item-tile.h"
#include "qm-move-controller.h"
#include "qm-sandbox.h"
#include "qm-window.h"

#define EXIT_SKIP 77

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

static void
spin_until (gboolean *flag,
            guint     timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!*flag)
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out");
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
on_flag_cb (gpointer  instance,
            gboolean *flag)
{
  *flag = TRUE;
}

static void
on_failed_cb (QmWindow   *window,
              const char *message,
              gpointer    data)
{
  g_error ("The inventory did not load: %s", message);
}

typedef struct
{
  gint64 drawn;
  gint64 update;
  gint64 layout;
  gint64 paint;
} Frame;

static void
on_update_cb (GdkFrameClock *clock,
              Frame         *frame)
{
  if (frame->update == 0)
    frame->update = g_get_monotonic_time ();
}

static void
on_layout_cb (GdkFrameClock *clock,
              Frame         *frame)
{
  if (frame->layout == 0)
    frame->layout = g_get_monotonic_time ();
}

static void
on_paint_cb (GdkFrameClock *clock,
             Frame         *frame)
{
  if (frame->paint == 0)
    frame->paint = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Frame         *frame)
{
  if (frame->drawn == 0)
    frame->drawn = g_get_monotonic_time ();
}

static void
wait_idle (QmMoveController *moves)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (qm_move_controller_get_busy (moves))
    {
      if (g_get_monotonic_time () > end)
        g_error ("The move did not finish");
      g_main_context_iteration (NULL, TRUE);
    }
  /* The rows follow. */
  spin_ms (100);
}

int
main (int    argc,
      char **argv)
{
  int runs = 20;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Drops each way (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- drop to tile in flight");
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) drawn = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) baseline = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = NULL;
  g_autofree char *id = NULL;
  QmSandboxOptions options = { 0 };
  QmInventoryView *view;
  QmMoveController *moves;
  GdkFrameClock *clock;
  QmWindow *window;
  gboolean painted = FALSE;
  guint n_characters;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_print ("No display: skipped\n");
      return EXIT_SKIP;
    }
  adw_init ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  sandbox = qm_sandbox_new (&options, &error);
  if (sandbox == NULL || !qm_sandbox_start (sandbox, &error))
    g_error ("sandbox: %s", error->message);
  client = qm_bungie_client_new (qm_sandbox_get_bungie_origin (sandbox), QM_SANDBOX_API_KEY);
  token = qm_sandbox_issue_access_token (sandbox);
  qm_bungie_client_set_access_token (client, token);

  window = qm_window_new (NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_signal_connect (window, "inventory-painted", G_CALLBACK (on_flag_cb), &painted);
  g_signal_connect (window, "load-failed", G_CALLBACK (on_failed_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  spin_until (&painted, 60);
  spin_ms (500);

  view = qm_window_get_inventory_view (window);
  moves = qm_window_get_move_controller (window);
  n_characters = qm_profile_get_n_characters (qm_inventory_get_profile (qm_window_get_inventory (window)));
  {
    g_autoptr(QmInventorySlot) slot = g_list_model_get_item (qm_inventory_view_get_slots (view), 0);
    GListModel *cell = qm_inventory_slot_get_cell (slot, n_characters);

    for (guint i = 0; i < g_list_model_get_n_items (cell) && id == NULL; i++)
      {
        g_autoptr(QmItem) item = g_list_model_get_item (cell, i);

        if (qm_item_get_instance_id (item) != NULL && qm_item_get_class_type (item) == 3 &&
            qm_item_get_equippable (item))
          id = g_strdup (qm_item_get_instance_id (item));
      }
  }
  if (id == NULL)
    g_error ("No vault weapon to drop");

  /* Bungie answers a transfer in a few hundred ms, not at once as the
   * in-process sandbox would: the frame after the drop is then the
   * frame that shows the tile in flight, not the one with the item
   * landed. */
  if (!qm_sandbox_set_faults (sandbox, "delay:300,endpoint=TransferItem", &error))
    g_error ("faults: %s", error->message);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  /* For comparison: the next frame after one tile asks to be redrawn. */
  for (int run = 0; run < runs; run++)
    {
      GtkWidget *tile = qm_inventory_view_find_tile (view, id);
      Frame frame = { 0 };
      gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frame);
      gint64 start = g_get_monotonic_time ();

      gtk_widget_queue_draw (tile);
      while (frame.drawn == 0)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, handler);
      g_array_append_val (baseline, (double) { (frame.drawn - start) / 1000.0 });
      spin_ms (50);
    }
  for (int run = 0; run < 2 * runs; run++)
    {
      const char *ids[] = { id, NULL };
      guint column = run % 2 == 0 ? 1 : n_characters;
      GtkWidget *tile = qm_inventory_view_find_tile (view, id);
      Frame frame = { 0 };
      gulong handler;
      gint64 start;
      gint64 done;

      if (tile == NULL)
        g_error ("The item's tile is not shown");
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frame);
      g_signal_connect (clock, "update", G_CALLBACK (on_update_cb), &frame);
      g_signal_connect (clock, "layout", G_CALLBACK (on_layout_cb), &frame);
      g_signal_connect (clock, "paint", G_CALLBACK (on_paint_cb), &frame);
      start = g_get_monotonic_time ();
      if (!qm_inventory_view_drop_items (view, ids, column, FALSE, QM_MOVE_FLAGS_NONE, NULL))
        g_error ("The drop was refused");
      done = g_get_monotonic_time ();
      if (!qm_item_tile_get_in_flight (QM_ITEM_TILE (tile)))
        g_error ("The tile is not marked in flight");
      while (frame.drawn == 0)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, handler);
      g_signal_handlers_disconnect_by_data (clock, &frame);
      if (g_getenv ("BENCH_DROP_PHASES") != NULL)
        g_print ("update %.1f layout %.1f paint %.1f drawn %.1f\n", (frame.update - start) / 1000.0,
                 (frame.layout - start) / 1000.0, (frame.paint - start) / 1000.0, (frame.drawn - start) / 1000.0);
      g_array_append_val (marked, (double) { (done - start) / 1000.0 });
      g_array_append_val (drawn, (double) { (frame.drawn - start) / 1000.0 });
      wait_idle (moves);
    }

  g_print ("drop → tile marked in flight: median %.2f ms (target ≤ 16 ms), %u drops\n",
           median (marked), marked->len);
  g_print ("drop → next frame drawn:      median %.2f ms\n", median (drawn));
  g_print ("a tile redrawn → next frame:  median %.2f ms (for comparison)\n", median (baseline));

  gtk_window_destroy (GTK_WINDOW (window));
  spin_ms (100);
  qm_sandbox_stop (sandbox);
  return median (marked) <= 16 ? 0 : 1;
}
