/* test-xur-page.c: Xûr's view, his notification, the digest and the autostart entry
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-xur-page"

#include "config.h"

#include <string.h>

#include <locale.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "qm-application.h"
#include "qm-error.h"
#include "qm-preferences-window.h"
#include "qm-profile.h"
#include "qm-sale-row.h"
#include "qm-test-dbus.h"
#include "qm-test-ui.h"
#include "qm-window.h"
#include "qm-xur-page.h"
#include "qm-xur-share.h"

/* XDG_DATA_DIRS before the test isolated it, for the programs run by the tests. */
static char *system_data_dirs;

/* The page's loads */

typedef struct
{
  gboolean  done;
  gboolean  loaded;
  char     *message;
} PageState;

static void
page_state_clear (PageState *state)
{
  g_clear_pointer (&state->message, g_free);
  state->done = FALSE;
  state->loaded = FALSE;
}

static void
on_page_loaded_cb (QmXurPage *page,
                   QmXur     *xur,
                   PageState *state)
{
  g_assert_true (QM_IS_XUR (xur));
  state->done = TRUE;
  state->loaded = TRUE;
}

static void
on_page_load_failed_cb (QmXurPage  *page,
                        const char *message,
                        PageState  *state)
{
  state->done = TRUE;
  state->message = g_strdup (message);
}

static void
watch_page (QmXurPage *page,
            PageState *state)
{
  g_signal_connect (page, "loaded", G_CALLBACK (on_page_loaded_cb), state);
  g_signal_connect (page, "load-failed", G_CALLBACK (on_page_load_failed_cb), state);
}

static void
wait_for_page (PageState *state)
{
  qm_test_wait (&state->done, 120);
}

/* One sandbox, client and inventory for the tests that do not change the
 * account (building them takes a while under the sanitizers). */
static QmSandbox *shared_sandbox;
static QmBungieClient *shared_client;
static QmInventory *shared_inventory;

static void
ensure_sandbox (void)
{
  if (shared_sandbox != NULL)
    return;
  shared_sandbox = qm_test_sandbox_new (NULL);
  shared_client = qm_test_client_new (shared_sandbox, TRUE);
}

/* The shared sandbox, as it starts: Xûr there, no faults. */
static QmSandbox *
get_sandbox (void)
{
  ensure_sandbox ();
  g_assert_true (qm_sandbox_set_faults (shared_sandbox, "", NULL));
  qm_sandbox_set_xur_present (shared_sandbox, TRUE);
  return shared_sandbox;
}

static QmInventory *
get_inventory (void)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;

  if (shared_inventory != NULL)
    return shared_inventory;
  ensure_sandbox ();
  qm_inventory_load_async (shared_client, NULL, qm_test_result_cb, &res);
  shared_inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  return shared_inventory;
}

/* Xûr's page alone in a window, loaded with the shared inventory. */
static GtkWindow *
page_window_new (QmXurPage **page,
                 PageState  *state)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  QmInventory *inventory = get_inventory ();

  /* Tall enough for the list to make a row for every sale. */
  gtk_window_set_default_size (window, 1000, 4000);
  *page = QM_XUR_PAGE (qm_xur_page_new ());
  gtk_window_set_child (window, GTK_WIDGET (*page));
  watch_page (*page, state);
  /* Not on screen yet: the page waits for the inventory. */
  qm_xur_page_set_client (*page, shared_client);
  g_assert_cmpstr (qm_xur_page_get_state (*page), ==, "loading");
  qm_xur_page_set_inventory (*page, inventory);
  gtk_window_present (window);
  wait_for_page (state);
  return window;
}

/* What the sandbox itself says */

/* GetVendor's Response for @vendor_hash, straight from the sandbox (NULL when
 * the vendor is not there). */
static JsonNode *
get_raw_vendor (QmSandbox      *sandbox,
                QmBungieClient *client,
                QmProfile      *profile,
                guint32         vendor_hash)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  qm_bungie_client_get_vendor_async (client, qm_sandbox_get_membership_type (sandbox),
                                     qm_sandbox_get_membership_id (sandbox),
                                     qm_profile_get_character (profile, 0)->id,
                                     vendor_hash, QM_XUR_VENDOR_COMPONENTS, NULL,
                                     qm_test_result_cb, &res);
  node = qm_bungie_client_get_vendor_finish (client, qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  if (node == NULL)
    g_assert_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_VENDOR_NOT_FOUND);
  return node;
}

static JsonObject *
raw_sales (JsonNode *vendor)
{
  JsonObject *sales = json_object_get_object_member (json_node_get_object (vendor), "sales");

  return json_object_get_object_member (sales, "data");
}

/* Item hash → what can pay (not the postmaster), and the set of hashes held anywhere. */
static void
count_holdings (QmProfile   *profile,
                GHashTable **held,
                GHashTable **owned)
{
  GListModel *items = qm_profile_get_items (profile);

  *held = g_hash_table_new (g_direct_hash, g_direct_equal);
  *owned = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      gpointer key = GUINT_TO_POINTER (qm_item_get_hash (item));

      g_hash_table_add (*owned, key);
      if (qm_item_get_location (item) != QM_ITEM_LOCATION_POSTMASTER)
        g_hash_table_insert (*held, key,
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (*held, key))
                                              + qm_item_get_quantity (item)));
    }
}

/* Rows on screen */

static void
collect_sale_rows (GtkWidget  *widget,
                   GHashTable *rows)
{
  if (QM_IS_SALE_ROW (widget) && qm_sale_row_get_sale (QM_SALE_ROW (widget)) != NULL)
    g_hash_table_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_sale_rows (child, rows);
}

/* The rows bound to a sale, once there are @n_expected of them. */
static GPtrArray *
wait_for_sale_rows (QmXurPage *page,
                    guint      n_expected)
{
  g_autoptr(GHashTable) rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);
  GPtrArray *result = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer row;

  while (!timed_out)
    {
      g_hash_table_remove_all (rows);
      collect_sale_rows (GTK_WIDGET (page), rows);
      if (g_hash_table_size (rows) >= n_expected)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    g_ptr_array_add (result, row);
  return result;
}

/* The list is in two parts, each under its heading, as in the digest and
 * the CLI: Xûr's wares, then Strange Gear Offers. */
static void
check_sections (QmXurPage *page,
                GPtrArray *rows)
{
  GListModel *sales = qm_xur_page_get_sales (page);
  guint n_headings = 0;
  gboolean seen_wares = FALSE;
  gboolean seen_offers = FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      QmVendorSale *sale = qm_sale_row_get_sale (QM_SALE_ROW (row));
      GtkWidget *heading = gtk_widget_get_prev_sibling (row);
      guint32 vendor = qm_vendor_sale_get_vendor_hash (sale);
      gboolean first = TRUE;

      for (guint j = 0; j < g_list_model_get_n_items (sales); j++)
        {
          g_autoptr(QmVendorSale) other = g_list_model_get_item (sales, j);

          if (qm_vendor_sale_get_vendor_hash (other) == vendor)
            {
              first = other == sale;
              break;
            }
        }
      g_assert_true (GTK_IS_LABEL (heading));
      g_assert_true (gtk_widget_has_css_class (heading, "sale-section-heading"));
      g_assert_cmpint (gtk_widget_get_visible (heading), ==, first);
      if (!first)
        continue;
      n_headings++;
      g_assert_true (gtk_widget_get_mapped (heading));
      if (vendor == QM_XUR_VENDOR_HASH)
        {
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, "Xûr’s Wares");
          seen_wares = TRUE;
        }
      else
        {
          g_assert_cmpuint (vendor, ==, QM_XUR_STRANGE_GEAR_VENDOR_HASH);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (heading)), ==, "Strange Gear Offers");
          seen_offers = TRUE;
        }
    }
  g_assert_cmpuint (n_headings, ==, 2);
  g_assert_true (seen_wares);
  g_assert_true (seen_offers);
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Until the digest has @n icons in it (the rows' icons have arrived). */
static void
wait_for_digest_icons (QmXurPage *page,
                       guint      n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);

  while (!timed_out)
    {
      g_autofree char *html = qm_xur_page_dup_digest (page);

      if (count_in (html, "<img ") >= n)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* One row against the sandbox's own answer: the owned mark, and which costs
 * say the player is short. Returns whether any cost is short. */
static gboolean
check_row (QmSaleRow  *row,
           JsonObject *raw_sale,
           GHashTable *held,
           GHashTable *owned)
{
  JsonArray *costs = json_object_get_array_member (raw_sale, "costs");
  guint32 hash = json_object_get_int_member (raw_sale, "itemHash");
  int augments = json_object_get_int_member (raw_sale, "augments");
  int status = json_object_get_int_member (raw_sale, "saleStatus");
  gboolean expect_owned = g_hash_table_contains (owned, GUINT_TO_POINTER (hash))
                          || (augments & QM_VENDOR_ITEM_STATE_OWNED) != 0;
  g_autofree gboolean *expect_short = g_new0 (gboolean, json_array_get_length (costs) + 1);
  gboolean any_short = FALSE;

  g_assert_cmpuint (qm_vendor_sale_get_hash (qm_sale_row_get_sale (row)), ==, hash);
  g_assert_cmpint (qm_sale_row_get_owned_shown (row), ==, expect_owned);
  g_assert_cmpuint (qm_sale_row_get_n_costs (row), ==, json_array_get_length (costs));
  for (guint i = 0; i < json_array_get_length (costs); i++)
    {
      JsonObject *cost = json_array_get_object_element (costs, i);
      guint32 cost_hash = json_object_get_int_member (cost, "itemHash");
      int quantity = json_object_get_int_member (cost, "quantity");

      expect_short[i] = GPOINTER_TO_INT (g_hash_table_lookup (held, GUINT_TO_POINTER (cost_hash))) < quantity;
      any_short = any_short || expect_short[i];
    }
  /* Bungie.net's NoFunds without a cost to blame marks them all. */
  for (guint i = 0; !any_short && (status & QM_VENDOR_ITEM_STATUS_NO_FUNDS) != 0
                    && i < json_array_get_length (costs); i++)
    expect_short[i] = TRUE;

  for (guint i = 0; i < json_array_get_length (costs); i++)
    {
      const char *shortfall = qm_sale_row_get_cost_shortfall (row, i);

      g_assert_cmpint (shortfall != NULL, ==, expect_short[i]);
      if (shortfall != NULL)
        g_assert_true (g_str_has_prefix (shortfall, "You don’t have enough "));
      any_short = any_short || expect_short[i];
    }
  return any_short;
}

/* Tests */

static void
test_format (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 24, 22, 0, 0);
  g_autoptr(GDateTime) friday = g_date_time_new_utc (2026, 11, 27, 17, 0, 0);
  g_autoptr(GDateTime) soon = g_date_time_new_utc (2026, 11, 24, 23, 30, 5);
  g_autoptr(GDateTime) before_dst = g_date_time_new_utc (2026, 3, 27, 17, 0, 0);
  g_autoptr(GDateTime) after_dst = g_date_time_new_utc (2026, 4, 3, 17, 0, 0);
  g_autoptr(GDateTime) after_us_dst = g_date_time_new_utc (2026, 11, 6, 17, 0, 0);
  g_autoptr(GDateTime) new_year = g_date_time_new_utc (2027, 1, 1, 17, 0, 0);
  struct { GDateTime *time; GTimeZone *tz; const char *expected; } dates[] = {
    { friday, utc, "Friday, November 27, 17:00" },
    { before_dst, berlin, "Friday, March 27, 18:00" },
    { after_dst, berlin, "Friday, April 3, 19:00" },
    { after_us_dst, new_york, "Friday, November 6, 12:00" },
  };
  g_autofree char *countdown = qm_xur_format_countdown (now, friday);
  g_autofree char *short_countdown = qm_xur_format_countdown (now, soon);
  g_autofree char *past = qm_xur_format_countdown (friday, now);
  g_autofree char *relative = qm_xur_format_relative (now, friday);
  g_autofree char *relative_soon = qm_xur_format_relative (now, soon);
  g_autofree char *week = qm_xur_week_id (friday);
  g_autofree char *week_53 = qm_xur_week_id (new_year);
  g_autofree char *day_time = NULL;

  if (berlin == NULL || new_york == NULL)
    {
      g_test_skip ("tzdata is not installed");
      return;
    }
  day_time = qm_xur_format_day_time (friday, berlin);
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *text = qm_xur_format_date_time (dates[i].time, dates[i].tz);

      g_assert_cmpstr (text, ==, dates[i].expected);
    }
  g_assert_cmpstr (countdown, ==, "2 days, 19:00:00");
  g_assert_cmpstr (short_countdown, ==, "01:30:05");
  g_assert_cmpstr (past, ==, "00:00:00");
  g_assert_cmpstr (relative, ==, "in 2 days");
  g_assert_cmpstr (relative_soon, ==, "in 1 hour");
  g_assert_cmpstr (day_time, ==, "Friday 18:00");
  g_assert_cmpstr (week, ==, "2026-W48");
  /* 1 January 2027 is a Friday of 2026's last ISO week. */
  g_assert_cmpstr (week_53, ==, "2026-W53");
}

static void
test_present (void)
{
  QmSandbox *sandbox;
  QmProfile *profile;
  g_autoptr(JsonNode) xur = NULL;
  g_autoptr(JsonNode) strange = NULL;
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GHashTable) owned = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  PageState state = { 0 };
  GtkWindow *window;
  QmXurPage *page;
  guint n_expected;
  guint n_owned = 0;
  guint n_short = 0;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = get_sandbox ();
  profile = qm_inventory_get_profile (get_inventory ());
  count_holdings (profile, &held, &owned);
  xur = get_raw_vendor (sandbox, shared_client, profile, QM_XUR_VENDOR_HASH);
  strange = get_raw_vendor (sandbox, shared_client, profile, QM_XUR_STRANGE_GEAR_VENDOR_HASH);
  g_assert_nonnull (xur);
  g_assert_nonnull (strange);
  n_expected = json_object_get_size (raw_sales (xur)) + json_object_get_size (raw_sales (strange));
  g_assert_cmpuint (n_expected, >, 0);

  window = page_window_new (&page, &state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "present");
  /* The sandbox says where he is. */
  g_assert_true (g_str_has_prefix (qm_xur_page_get_header_text (page), "Xûr is in "));
  g_assert_nonnull (g_strstr_len (qm_xur_page_get_header_text (page), -1, " · Leaves "));
  g_assert_null (qm_xur_page_get_countdown_target (page));
  g_assert_cmpuint (g_list_model_get_n_items (qm_xur_page_get_sales (page)), ==, n_expected);

  /* Every row's marks agree with what the sandbox says and the profile holds. */
  rows = wait_for_sale_rows (page, n_expected);
  g_assert_cmpuint (rows->len, ==, n_expected);
  for (guint i = 0; i < rows->len; i++)
    {
      QmSaleRow *row = g_ptr_array_index (rows, i);
      QmVendorSale *sale = qm_sale_row_get_sale (row);
      JsonNode *vendor = qm_vendor_sale_get_vendor_hash (sale) == QM_XUR_VENDOR_HASH ? xur : strange;
      g_autofree char *key = g_strdup_printf ("%d", qm_vendor_sale_get_vendor_item_index (sale));
      JsonObject *raw = json_object_get_object_member (raw_sales (vendor), key);

      g_assert_nonnull (raw);
      g_assert_cmpstr (qm_sale_row_get_title (row), ==, qm_vendor_sale_get_name (sale));
      if (check_row (row, raw, held, owned))
        n_short++;
      if (qm_sale_row_get_owned_shown (row))
        n_owned++;
    }
  check_sections (page, rows);
  /* The demo week has both marks, and not on every row. */
  g_assert_cmpuint (n_owned, >, 0);
  g_assert_cmpuint (n_short, >, 0);
  g_assert_cmpuint (n_short, <, n_expected);

  page_state_clear (&state);
  qm_test_close_window (window);
}

static void
test_absent (void)
{
  QmSandbox *sandbox;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expected = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *when = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *hidden = NULL;
  PageState state = { 0 };
  GtkWindow *window;
  QmXurPage *page;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = get_sandbox ();
  qm_sandbox_set_xur_present (sandbox, FALSE);
  window = page_window_new (&page, &state);
  now = g_date_time_new_now_utc ();
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "absent");
  g_assert_null (qm_xur_page_get_sales (page));
  expected = qm_xur_next_arrival (now, NULL);
  g_assert_nonnull (qm_xur_page_get_countdown_target (page));
  g_assert_true (g_date_time_equal (qm_xur_page_get_countdown_target (page), expected));
  when = qm_xur_format_date_time (expected, tz);
  g_assert_nonnull (strstr (qm_xur_page_get_return_text (page), when));

  /* The countdown runs while it is shown, and stops when it is not. */
  shown = g_strdup (qm_xur_page_get_countdown_text (page));
  g_assert_cmpstr (shown, !=, "");
  qm_test_spin (2100);
  g_assert_cmpstr (qm_xur_page_get_countdown_text (page), !=, shown);
  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  hidden = g_strdup (qm_xur_page_get_countdown_text (page));
  qm_test_spin (2100);
  g_assert_cmpstr (qm_xur_page_get_countdown_text (page), ==, hidden);

  /* He comes back. */
  qm_sandbox_set_xur_present (sandbox, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (page), TRUE);
  page_state_clear (&state);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "xur.reload", NULL));
  wait_for_page (&state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "present");
  g_assert_null (qm_xur_page_get_countdown_target (page));

  page_state_clear (&state);
  qm_test_close_window (window);
}

static void
test_maintenance (void)
{
  QmSandbox *sandbox;
  PageState state = { 0 };
  QmWindow *window;
  QmXurPage *page;

  QM_TEST_REQUIRE_DISPLAY ();

  sandbox = get_sandbox ();
  g_assert_true (qm_sandbox_set_faults (sandbox, "maintenance", NULL));
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  page = qm_window_get_xur_page (window);
  watch_page (page, &state);
  qm_window_set_client (window, shared_client, "Sandbox");
  /* Shown, the page looks by itself. */
  qm_window_show_view (window, "xur");
  wait_for_page (&state);

  g_assert_false (state.loaded);
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "error");
  g_assert_nonnull (strstr (qm_xur_page_get_error_message (page), "maintenance"));
  g_assert_cmpstr (state.message, ==, qm_xur_page_get_error_message (page));
  g_assert_null (qm_xur_page_get_xur (page));

  /* Retry once the service is back. */
  g_assert_true (qm_sandbox_set_faults (sandbox, "", NULL));
  page_state_clear (&state);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "xur.reload", NULL));
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "loading");
  wait_for_page (&state);
  g_assert_true (state.loaded);
  g_assert_cmpstr (qm_xur_page_get_state (page), ==, "present");
  g_assert_null (qm_xur_page_get_error_message (page));

  page_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

static void
on_xur_notified_cb (QmApplication *app,
                    QmXur         *xur,
                    guint         *count)
{
  g_assert_true (qm_xur_get_present (xur));
  (*count)++;
}

static void
reload_page (QmXurPage *page,
             PageState *state)
{
  page_state_clear (state);
  qm_xur_page_load (page);
  wait_for_page (state);
  g_assert_true (state->loaded);
}

static void
test_notify (void)
{
  g_autoptr(QmFakeNotifications) fake = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *week = NULL;
  g_autofree char *expected_body = NULL;
  g_autofree char *until = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  PageState state = { 0 };
  guint n_notified = 0;
  QmWindow *window;
  QmXurPage *page;
  QmXur *xur;
  guint n_sales;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;
  if ((fake = qm_fake_notifications_new ()) == NULL)
    return;

  g_settings_set_string (settings, "xur-last-notified", "");
  get_sandbox ();
  app = qm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (app, "xur-notified", G_CALLBACK (on_xur_notified_cb), &n_notified);

  window = qm_window_new (GTK_APPLICATION (app), qm_application_get_session (app));
  gtk_window_present (GTK_WINDOW (window));
  page = qm_window_get_xur_page (window);
  watch_page (page, &state);
  /* The page loads once the window has the inventory. */
  qm_window_set_client (window, shared_client, "Sandbox");
  wait_for_page (&state);
  g_assert_true (state.loaded);
  g_assert_nonnull (qm_window_get_inventory (window));

  /* The first load of the week announces him, with the week kept. */
  xur = qm_xur_page_get_xur (page);
  g_assert_true (qm_xur_get_present (xur));
  week = qm_xur_week_id (qm_xur_get_arrives (xur));
  g_assert_cmpuint (n_notified, ==, 1);
  stored = g_settings_get_string (settings, "xur-last-notified");
  g_assert_cmpstr (stored, ==, week);
  g_assert_true (qm_fake_notifications_wait (fake, 1, 30000));
  n_sales = g_list_model_get_n_items (qm_xur_get_sales (xur));
  until = qm_xur_format_day_time (qm_xur_get_departs (xur), tz);
  expected_body = g_strdup_printf ("Xûr is selling %u items until %s.", n_sales, until);
  g_assert_cmpstr (g_ptr_array_index (fake->summaries, 0), ==, "Xûr has arrived");
  g_assert_cmpstr (g_ptr_array_index (fake->bodies, 0), ==, expected_body);

  /* The same week again: quiet. */
  reload_page (page, &state);
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_false (qm_fake_notifications_wait (fake, 2, 1000));

  /* A week that was announced before is not this one. */
  g_settings_set_string (settings, "xur-last-notified", "2000-W01");
  reload_page (page, &state);
  g_assert_cmpuint (n_notified, ==, 2);
  g_assert_true (qm_fake_notifications_wait (fake, 2, 30000));

  /* Clicking it opens his view. */
  qm_window_show_view (window, "inventory");
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-xur", NULL);
  g_assert_cmpstr (qm_window_get_view (window), ==, "xur");

  page_state_clear (&state);
  qm_test_close_window (GTK_WINDOW (window));
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qm_xur_page_save_html_finish (QM_XUR_PAGE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The page's text with the character references an escaper writes undone. */
static char *
html_text (const char *html)
{
  static const char *references[][2] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&apos;", "'" },
    { "&amp;", "&" },
  };
  g_autoptr(GString) text = g_string_new (html);

  for (guint i = 0; i < G_N_ELEMENTS (references); i++)
    g_string_replace (text, references[i][0], references[i][1], 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_digest_lists_sales (const char *html,
                           GListModel *sales)
{
  g_autofree char *text = html_text (html);

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      g_assert_nonnull (qm_vendor_sale_get_name (sale));
      if (strstr (text, qm_vendor_sale_get_name (sale)) == NULL)
        g_error ("The digest does not list %s", qm_vendor_sale_get_name (sale));
    }
}

/* A stand-in for xdg-email on PATH that writes down its arguments. */
static void
install_fake_xdg_email (const char *dir,
                        const char *log)
{
  g_autofree char *path = g_build_filename (dir, "xdg-email", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '%s'\n", log);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_mkdir_with_parents (dir, 0700) == 0);
  g_file_set_contents (path, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
}

/* Whether the bus lists @name through @method (ListNames, ListActivatableNames). */
static gboolean
bus_lists_name (GDBusConnection *bus,
                const char      *method,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", method, NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(^a&s)", &names);
  return g_strv_contains (names, name);
}

static gboolean
portal_on_bus (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  return bus != NULL && (bus_lists_name (bus, "ListNames", "org.freedesktop.portal.Desktop")
                         || bus_lists_name (bus, "ListActivatableNames", "org.freedesktop.portal.Desktop"));
}

static void
on_emailed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  QmTestResult *res = user_data;

  res->result = g_object_ref (result);
}

static void
test_share (void)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "digest.html", NULL);
  g_autofree char *html = NULL;
  g_autofree char *fake_dir = g_build_filename (g_get_user_data_dir (), "bin", NULL);
  g_autofree char *log = g_build_filename (g_get_user_data_dir (), "xdg-email.log", NULL);
  g_autofree char *args = NULL;
  g_autofree char *attachment = NULL;
  g_autofree char *sent_path = NULL;
  g_autofree char *attached = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *new_path = NULL;
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "quartermaster", NULL);
  QmTestResult res = { 0 };
  PageState state = { 0 };
  gboolean saved = FALSE;
  GtkWindow *window;
  QmXurPage *page;
  guint n_sales;

  QM_TEST_REQUIRE_DISPLAY ();

  get_sandbox ();
  window = page_window_new (&page, &state);
  g_assert_true (state.loaded);

  /* The rows show their icons; the digest then has each in it. */
  n_sales = g_list_model_get_n_items (qm_xur_get_sales (qm_xur_page_get_xur (page)));
  g_ptr_array_unref (wait_for_sale_rows (page, n_sales));
  wait_for_digest_icons (page, n_sales);

  /* Save as HTML, as the chooser's answer would. */
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  file = g_file_new_for_path (path);
  qm_xur_page_save_html_async (page, file, NULL, on_saved_cb, &saved);
  qm_test_wait (&saved, 30);
  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);
  assert_digest_lists_sales (html, qm_xur_get_sales (qm_xur_page_get_xur (page)));
  /* It stands alone: the icons are in it, small, and nothing is fetched. */
  g_assert_cmpuint (count_in (html, "<img "), ==, n_sales);
  g_assert_cmpuint (count_in (html, "<img src=\"data:image/"), ==, n_sales);
  g_assert_null (strstr (html, "src=\"http"));
  g_test_message ("digest: %zu bytes for %u sales", strlen (html), n_sales);
  g_assert_cmpuint (strlen (html), <, 16 * 1024 + n_sales * 8 * 1024);

  if (portal_on_bus ())
    {
      /* It would open a real e-mail. */
      g_test_message ("The Email portal is on the session bus: not composing an e-mail");
      page_state_clear (&state);
      qm_test_close_window (window);
      return;
    }

  /* No portal: xdg-email, with the digest kept in the cache and attached. */
  install_fake_xdg_email (fake_dir, log);
  new_path = g_strconcat (fake_dir, ":", old_path, NULL);
  g_setenv ("PATH", new_path, TRUE);
  g_free (html);
  html = qm_xur_page_dup_digest (page);
  qm_xur_share_email_async (html, "xur-stock-test.html", "Xûr’s stock", NULL, on_emailed_cb, &res);
  g_assert_true (qm_xur_share_email_finish (qm_test_wait_result (&res), &sent_path, &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  attachment = g_build_filename (cache_dir, "xur-stock-test.html", NULL);
  g_assert_cmpstr (sent_path, ==, attachment);
  g_file_get_contents (log, &args, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (args, "--subject\nXûr’s stock\n"));
  attached = g_strdup_printf ("--attach\n%s\n", attachment);
  g_assert_nonnull (strstr (args, attached));
  g_free (html);
  html = NULL;
  g_file_get_contents (attachment, &html, NULL, &error);
  g_assert_no_error (error);
  assert_digest_lists_sales (html, qm_xur_get_sales (qm_xur_page_get_xur (page)));
  /* Kept in the cache for the user only. */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (attachment, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_assert_cmpint (g_stat (cache_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  /* Without xdg-email: the digest is still saved, and the error says where. */
  g_setenv ("PATH", "/nonexistent", TRUE);
  g_clear_pointer (&sent_path, g_free);
  qm_xur_share_email_async (html, "xur-stock-test.html", "Xûr’s stock", NULL, on_emailed_cb, &res);
  g_assert_false (qm_xur_share_email_finish (qm_test_wait_result (&res), &sent_path, &error));
  g_setenv ("PATH", old_path, TRUE);
  g_assert_error (error, QM_XUR_SHARE_ERROR, QM_XUR_SHARE_ERROR_NO_MAIL_CLIENT);
  g_assert_nonnull (strstr (error->message, attachment));
  g_assert_cmpstr (sent_path, ==, attachment);
  qm_test_result_clear (&res);

  page_state_clear (&state);
  qm_test_close_window (window);
}

static void
test_autostart (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = qm_xur_autostart_path ();
  g_autofree char *expected = NULL;
  g_autofree char *exec = NULL;
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  QmPreferencesWindow *preferences;
  GtkSwitch *toggle;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;

  expected = g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  preferences = qm_preferences_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  toggle = qm_preferences_window_get_background_switch (preferences);
  g_assert_false (gtk_switch_get_active (toggle));

  gtk_switch_set_active (toggle, TRUE);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_settings_get_boolean (settings, "xur-background-check"));
  g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (exec, "quartermaster --xur-check"));
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);
  qm_test_close_window (GTK_WINDOW (preferences));

  /* A new window shows what is on disk, and switching off removes it. */
  preferences = qm_preferences_window_new (NULL, NULL);
  toggle = qm_preferences_window_get_background_switch (preferences);
  g_assert_true (gtk_switch_get_active (toggle));
  gtk_switch_set_active (toggle, FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_settings_get_boolean (settings, "xur-background-check"));
  qm_test_close_window (GTK_WINDOW (preferences));
}

/* `quartermaster --sandbox --xur-check`: the program itself. */

/* Runs with settings kept in a key file under @config_dir, so that a second
 * run sees what the first one stored. The main loop runs meanwhile (the fake
 * notification server answers from it). */
static char *
run_xur_check_full (const char *config_dir,
                    gboolean    absent,
                    gboolean    schema_dir_set,
                    int        *exit_status)
{
  g_autofree char *program = qm_test_build_path (NULL, "quartermaster");
  const char *argv[] = { program, "--sandbox", "--xur-check", NULL };
  g_auto(GStrv) envp = qm_test_environ_gtk_lsan (g_get_environ ());
  g_auto(QmTestRun) run = { 0 };

  /* The quit asked for at once: due while the check releases the
   * application and it shuts down. */
  envp = g_environ_setenv (envp, "QM_TEST_QUIT_AFTER_LOAD_MS", "1", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config_dir, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  if (absent)
    envp = g_environ_setenv (envp, "QM_SANDBOX_XUR_ABSENT", "1", TRUE);
  if (!schema_dir_set)
    envp = g_environ_unsetenv (envp, "GSETTINGS_SCHEMA_DIR");
  qm_test_run (&run, argv, envp, NULL);
  g_test_message ("stderr: %s", run.err);
  /* It ends as cleanly as it ran: no critical or warning on the way out
   * (a quit after the release once hit an unregistered application). */
  g_assert_null (strstr (run.err, "-CRITICAL"));
  g_assert_null (strstr (run.err, "-WARNING"));
  *exit_status = run.status;
  return g_steal_pointer (&run.out);
}

static char *
run_xur_check (const char *config_dir,
               gboolean    absent,
               int        *exit_status)
{
  return run_xur_check_full (config_dir, absent, TRUE, exit_status);
}

/* The program as the README's first command runs it: from the build
 * directory, without GSETTINGS_SCHEMA_DIR. It keeps its settings (here, the
 * week it announced Xûr) all the same. */
static void
test_xur_check_uninstalled (void)
{
  g_autoptr(QmFakeNotifications) fake = NULL;
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "xur-check-uninstalled", NULL);
  g_autofree char *keyfile_path = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *keyfile = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  int status = -1;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((fake = qm_fake_notifications_new ()) == NULL)
    return;

  first = run_xur_check_full (config_dir, FALSE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (first, ==, "QM-XUR present=1 notified=1\n");
  g_assert_true (g_file_get_contents (keyfile_path, &keyfile, NULL, NULL));
  g_assert_nonnull (strstr (keyfile, "xur-last-notified="));

  second = run_xur_check_full (config_dir, FALSE, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (second, ==, "QM-XUR present=1 notified=0\n");
}

static void
test_xur_check (void)
{
  g_autoptr(QmFakeNotifications) fake = NULL;
  g_autofree char *config_dir = g_build_filename (g_get_user_config_dir (), "xur-check", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *absent = NULL;
  g_autofree char *absent_dir = g_build_filename (g_get_user_config_dir (), "xur-check-absent", NULL);
  int status = -1;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((fake = qm_fake_notifications_new ()) == NULL)
    return;

  first = run_xur_check (config_dir, FALSE, &status);
  g_test_message ("first check: %s", first);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (first, ==, "QM-XUR present=1 notified=1\n");
  g_assert_true (qm_fake_notifications_wait (fake, 1, 10000));
  g_assert_cmpstr (g_ptr_array_index (fake->summaries, 0), ==, "Xûr has arrived");

  second = run_xur_check (config_dir, FALSE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (second, ==, "QM-XUR present=1 notified=0\n");
  g_assert_false (qm_fake_notifications_wait (fake, 2, 500));

  absent = run_xur_check (absent_dir, TRUE, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (absent, ==, "QM-XUR present=0 notified=0\n");
  g_assert_cmpuint (fake->summaries->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Dates and numbers in the tests are English. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  system_data_dirs = qm_test_use_system_mime ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/xur-ui/format", test_format);
  g_test_add_func ("/xur-ui/present", test_present);
  g_test_add_func ("/xur-ui/absent", test_absent);
  g_test_add_func ("/xur-ui/maintenance", test_maintenance);
  g_test_add_func ("/xur-ui/notify", test_notify);
  g_test_add_func ("/xur-ui/share", test_share);
  g_test_add_func ("/xur-ui/autostart", test_autostart);
  g_test_add_func ("/xur-ui/xur-check", test_xur_check);
  g_test_add_func ("/xur-ui/xur-check-uninstalled", test_xur_check_uninstalled);

  status = g_test_run ();
  g_clear_object (&shared_inventory);
  g_clear_object (&shared_client);
  if (shared_sandbox != NULL)
    qm_sandbox_stop (shared_sandbox);
  g_clear_object (&shared_sandbox);
  g_free (system_data_dirs);
  return status;
}
