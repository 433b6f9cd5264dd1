/* test-search-bar.c: the search bar: filtering, inline errors, completion
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-search-bar"

#include "config.h"

#include <gtk/gtk.h>

#include "qm-sandbox-world.h"
#include "qm-search-bar.h"
#include "qm-test-ui.h"

static QmItem *
make_item (const char *name,
           int         tier,
           int         item_type,
           int         state,
           int         power)
{
  QmItemDefinition def = {
    .hash = g_str_hash (name),
    .known = TRUE,
    .name = name,
    .tier_type = tier,
    .class_type = 3,
    .item_type = item_type,
    .bucket_hash = QM_BUCKET_KINETIC,
    .equippable = TRUE,
  };
  QmItem *item = qm_item_new (def.hash, name, QM_BUCKET_KINETIC, QM_ITEM_LOCATION_VAULT,
                              NULL, 1, state, power, 1);

  qm_item_set_definition (item, &def);
  return item;
}

static GListModel *
make_items (void)
{
  GListStore *store = g_list_store_new (QM_TYPE_ITEM);
  QmItem *items[] = {
    make_item ("Ace of Spades", 6, 3, 1, 1810),
    make_item ("Fatebringer", 5, 3, 0, 1805),
    make_item ("Gjallarhorn", 6, 3, 0, 1790),
    make_item ("Helm of Saint-14", 6, 2, 1, 1800),
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_list_store_append (store, items[i]);
      g_object_unref (items[i]);
    }
  return G_LIST_MODEL (store);
}

typedef struct
{
  GtkWindow   *window;
  QmSearchBar *bar;
  GtkEditable *entry;
  GtkPopover  *popover;
  GtkLabel    *error_label;
  GListModel  *filtered;
  guint        n_query_changed;
} Fixture;

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

static void
on_query_changed_cb (QmSearchBar *bar,
                     Fixture     *fixture)
{
  fixture->n_query_changed++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *items;

  if (!qm_test_require_display ())
    return;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 400, 300);
  fixture->bar = QM_SEARCH_BAR (qm_search_bar_new ());
  gtk_widget_set_valign (GTK_WIDGET (fixture->bar), GTK_ALIGN_START);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->bar));
  g_signal_connect (fixture->bar, "query-changed", G_CALLBACK (on_query_changed_cb), fixture);

  fixture->entry = GTK_EDITABLE (find_descendant (GTK_WIDGET (fixture->bar), GTK_TYPE_SEARCH_ENTRY));
  /* The error line is the entry's next sibling (the entry has labels of
   * its own, such as its placeholder). */
  fixture->error_label = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (fixture->entry)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fixture->bar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      fixture->popover = GTK_POPOVER (child);
  g_assert_nonnull (fixture->entry);
  g_assert_nonnull (fixture->error_label);
  g_assert_nonnull (fixture->popover);

  items = make_items ();
  fixture->filtered = G_LIST_MODEL (gtk_filter_list_model_new (items,
                                    g_object_ref (qm_search_bar_get_filter (fixture->bar))));
  gtk_window_present (fixture->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->bar)))
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window == NULL)
    return;
  g_clear_object (&fixture->filtered);
  gtk_window_destroy (fixture->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Spin the main loop until @widget's visibility is @visible (or the query
 * in force has been updated, for the search delay). */
static void
wait_visible (GtkWidget *widget,
              gboolean   visible)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, qm_test_flag_cb, &timed_out);

  while (gtk_widget_get_visible (widget) != visible && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
wait_query_changes (Fixture *fixture,
                    guint    n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, qm_test_flag_cb, &timed_out);

  while (fixture->n_query_changed < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* Idles (the completion update) run. */
static void
settle (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
press (Fixture *fixture,
       guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->entry));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller)
          && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  QmSearchQuery *good;

  QM_TEST_REQUIRE_DISPLAY ();

  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 4);
  g_assert_null (qm_search_bar_get_query (fixture->bar));

  qm_search_bar_set_text (fixture->bar, "is:exotic");
  g_assert_cmpstr (qm_search_bar_get_text (fixture->bar), ==, "is:exotic");
  g_assert_null (qm_search_bar_get_error (fixture->bar));
  g_assert_nonnull (qm_search_bar_get_query (fixture->bar));
  g_assert_cmpuint (fixture->n_query_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 3);

  qm_search_bar_set_text (fixture->bar, "is:exotic is:weapon");
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 2);
  good = qm_search_bar_get_query (fixture->bar);

  /* An invalid query says why and keeps the last good one in force. */
  qm_search_bar_set_text (fixture->bar, "is:exotic is:weap");
  g_assert_cmpstr (qm_search_bar_get_error (fixture->bar), ==, "Unknown filter “is:weap”");
  g_assert_true (qm_search_bar_get_query (fixture->bar) == good);
  g_assert_cmpuint (fixture->n_query_changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->error_label)));
  g_assert_cmpstr (gtk_label_get_text (fixture->error_label), ==, "Unknown filter “is:weap”");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->entry), "error"));

  qm_search_bar_set_text (fixture->bar, "(ace or gjallarhorn");
  g_assert_cmpstr (qm_search_bar_get_error (fixture->bar), ==, "Missing “)”");
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 2);

  qm_search_bar_set_text (fixture->bar, "(ace or gjallarhorn) -is:locked");
  g_assert_null (qm_search_bar_get_error (fixture->bar));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->error_label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->entry), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 1);

  /* Typing goes through the entry's "search-changed", after its delay. */
  gtk_editable_set_text (fixture->entry, "FATE");
  wait_query_changes (fixture, 4);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 1);
  {
    g_autoptr(QmItem) item = g_list_model_get_item (fixture->filtered, 0);

    g_assert_cmpstr (qm_item_get_name (item), ==, "Fatebringer");
  }

  gtk_editable_set_text (fixture->entry, "power:>abc");
  while (qm_search_bar_get_error (fixture->bar) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (qm_search_bar_get_error (fixture->bar), ==, "“abc” is not a number");
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 1);

  /* Blank: everything again. */
  qm_search_bar_set_text (fixture->bar, "  ");
  g_assert_null (qm_search_bar_get_query (fixture->bar));
  g_assert_null (qm_search_bar_get_error (fixture->bar));
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 4);
}

/* Select all, then type a query that is invalid once complete: the query
 * in force before stays, not the one of the first keystroke. */
static void
test_replace_with_invalid (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *typed = "power:>";
  QmSearchQuery *good;
  int position;

  QM_TEST_REQUIRE_DISPLAY ();

  qm_search_bar_set_text (fixture->bar, "is:exotic is:weapon");
  good = qm_search_bar_get_query (fixture->bar);
  g_assert_nonnull (good);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 2);

  /* Typing faster than the entry's delay, however slow this machine:
   * only the text typed last is searched for. */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (fixture->entry), 2000);
  /* As a keystroke over a selection: the selection goes, the letter comes,
   * in one go; then the main loop runs between keystrokes. */
  gtk_editable_select_region (fixture->entry, 0, -1);
  gtk_editable_delete_selection (fixture->entry);
  position = 0;
  gtk_editable_insert_text (fixture->entry, typed, 1, &position);
  for (const char *c = typed + 1; *c != '\0'; c++)
    {
      settle ();
      gtk_editable_insert_text (fixture->entry, c, 1, &position);
    }
  g_assert_cmpstr (qm_search_bar_get_text (fixture->bar), ==, typed);
  while (qm_search_bar_get_error (fixture->bar) == NULL)
    g_main_context_iteration (NULL, TRUE);
  settle ();

  g_assert_cmpstr (qm_search_bar_get_error (fixture->bar), !=, NULL);
  g_assert_true (qm_search_bar_get_query (fixture->bar) == good);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 2);
  g_assert_cmpuint (fixture->n_query_changed, ==, 1);
}

static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  GtkListView *list;
  GtkSelectionModel *model;

  QM_TEST_REQUIRE_DISPLAY ();

  qm_search_bar_focus (fixture->bar);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->popover)));

  /* Typing a filter's start shows its completions; Tab takes the first. */
  gtk_editable_set_text (fixture->entry, "is:ex");
  gtk_editable_set_position (fixture->entry, -1);
  wait_visible (GTK_WIDGET (fixture->popover), TRUE);
  list = GTK_LIST_VIEW (find_descendant (GTK_WIDGET (fixture->popover), GTK_TYPE_LIST_VIEW));
  model = gtk_list_view_get_model (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_true (press (fixture, GDK_KEY_Tab));
  g_assert_cmpstr (gtk_editable_get_text (fixture->entry), ==, "is:exotic ");
  g_assert_cmpint (gtk_editable_get_position (fixture->entry), ==, 10);
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->popover)));
  /* The entry kept the focus. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         GTK_WIDGET (fixture->entry)));
  wait_query_changes (fixture, 1);
  g_assert_cmpuint (g_list_model_get_n_items (fixture->filtered), ==, 3);

  /* Down/Up pick; Enter takes the pick. */
  gtk_editable_set_text (fixture->entry, "is:exotic po");
  gtk_editable_set_position (fixture->entry, -1);
  wait_visible (GTK_WIDGET (fixture->popover), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_true (press (fixture, GDK_KEY_Down));
  g_assert_true (press (fixture, GDK_KEY_Down));
  g_assert_true (press (fixture, GDK_KEY_Down));
  g_assert_true (press (fixture, GDK_KEY_Up));
  g_assert_true (gtk_selection_model_is_selected (model, 1));
  g_assert_true (press (fixture, GDK_KEY_Return));
  g_assert_cmpstr (gtk_editable_get_text (fixture->entry), ==, "is:exotic is:powerslot ");

  /* A key waits for its value: no space after it. */
  gtk_editable_set_text (fixture->entry, "is:exotic pow");
  gtk_editable_set_position (fixture->entry, -1);
  wait_visible (GTK_WIDGET (fixture->popover), TRUE);
  g_assert_true (press (fixture, GDK_KEY_Tab));
  g_assert_cmpstr (gtk_editable_get_text (fixture->entry), ==, "is:exotic power:");
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->popover)));

  /* In the middle of the text, the word at the cursor is replaced. */
  gtk_editable_set_text (fixture->entry, "is:leg ace");
  gtk_editable_set_position (fixture->entry, 6);
  wait_visible (GTK_WIDGET (fixture->popover), TRUE);
  g_assert_true (press (fixture, GDK_KEY_Tab));
  g_assert_cmpstr (gtk_editable_get_text (fixture->entry), ==, "is:legendary ace");

  /* Escape closes the list; Enter without a pick is the entry's own. */
  gtk_editable_set_text (fixture->entry, "is:");
  gtk_editable_set_position (fixture->entry, -1);
  wait_visible (GTK_WIDGET (fixture->popover), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >, 40);
  g_assert_false (press (fixture, GDK_KEY_Return));
  g_assert_true (press (fixture, GDK_KEY_Escape));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->popover)));
  g_assert_false (press (fixture, GDK_KEY_Escape));
  g_assert_cmpstr (gtk_editable_get_text (fixture->entry), ==, "is:");

  /* Without the focus, no list. */
  gtk_window_set_focus (fixture->window, NULL);
  gtk_editable_set_text (fixture->entry, "is:ex");
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->popover)));
}

/* The filter outlives the bar: it then matches everything. */
static void
test_filter_outlives_bar (void)
{
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GtkFilterListModel) filtered = NULL;
  GtkWidget *bar;

  QM_TEST_REQUIRE_DISPLAY ();

  items = make_items ();
  bar = g_object_ref_sink (qm_search_bar_new ());
  filtered = gtk_filter_list_model_new (g_object_ref (items),
                                        g_object_ref (qm_search_bar_get_filter (QM_SEARCH_BAR (bar))));
  qm_search_bar_set_text (QM_SEARCH_BAR (bar), "gjallarhorn");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 1);
  g_object_unref (bar);
  gtk_filter_changed (gtk_filter_list_model_get_filter (filtered), GTK_FILTER_CHANGE_DIFFERENT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  qm_test_init (&argc, &argv);

  g_test_add ("/search-bar/filter", Fixture, NULL, fixture_set_up, test_filter, fixture_tear_down);
  g_test_add ("/search-bar/replace-with-invalid", Fixture, NULL, fixture_set_up,
              test_replace_with_invalid, fixture_tear_down);
  g_test_add ("/search-bar/complete", Fixture, NULL, fixture_set_up, test_complete,
              fixture_tear_down);
  g_test_add_func ("/search-bar/filter-outlives-bar", test_filter_outlives_bar);

  return g_test_run ();
}
