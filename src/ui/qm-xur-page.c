/* qm-xur-page.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-xur-page"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-xur-page.h"

#include "qm-error.h"
#include "qm-icon-cache.h"
#include "qm-sale-row.h"
#include "qm-ui-util.h"
#include "qm-xur-digest.h"
#include "qm-xur-share.h"

struct _QmXurPage
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkLabel             *location_label;
  GtkLabel             *header_label;
  GtkListView          *list_view;
  AdwStatusPage        *absent_page;
  GtkLabel             *countdown_label;
  AdwStatusPage        *error_page;

  QmBungieClient       *client;
  QmInventory          *inventory;
  QmXur                *xur;
  GHashTable           *balances;
  QmIconCache          *icons;
  GCancellable         *cancellable;
  GCancellable         *share_cancellable;
  GtkFileChooserNative *chooser;
  char                 *error_message;
  char                 *return_text;
  gint64                reloaded_for;   /* the arrival or departure last reloaded for */
  guint                 tick_id;
  gboolean              loading;
};

G_DEFINE_FINAL_TYPE (QmXurPage, qm_xur_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  SIGNAL_LOADED,
  SIGNAL_LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void update_tick (QmXurPage *self);

/* Text helpers */

char *
qm_xur_format_date_time (GDateTime *time,
                         GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  local = g_date_time_to_timezone (time, tz);
  /* Translators: a date and time as g_date_time_format() takes it, e.g.
   * "Friday, November 27, 18:00"; put the parts in your language's order. */
  return g_date_time_format (local, _("%A, %B %-d, %H:%M"));
}

char *
qm_xur_format_day_time (GDateTime *time,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  local = g_date_time_to_timezone (time, tz);
  /* Translators: a weekday and time as g_date_time_format() takes it, e.g. "Tuesday 18:00". */
  return g_date_time_format (local, _("%A %H:%M"));
}

char *
qm_xur_format_relative (GDateTime *now,
                        GDateTime *target)
{
  int days;
  int hours;
  int minutes;

  g_return_val_if_fail (now != NULL && target != NULL, NULL);

  qm_xur_split_countdown (now, target, &days, &hours, &minutes, NULL);
  if (days > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", days), days);
  if (hours > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", hours), hours);
  if (minutes > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", minutes),
                            minutes);
  return g_strdup (_("in less than a minute"));
}

char *
qm_xur_format_countdown (GDateTime *now,
                         GDateTime *target)
{
  int days;
  int hours;
  int minutes;
  int seconds;

  g_return_val_if_fail (now != NULL && target != NULL, NULL);

  qm_xur_split_countdown (now, target, &days, &hours, &minutes, &seconds);
  if (days > 0)
    /* Translators: a countdown: days, then hours:minutes:seconds. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day, %02d:%02d:%02d",
                                         "%d days, %02d:%02d:%02d", days),
                            days, hours, minutes, seconds);
  return g_strdup_printf ("%02d:%02d:%02d", hours, minutes, seconds);
}

char *
qm_xur_week_id (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_strdup_printf ("%d-W%02d", g_date_time_get_week_numbering_year (utc),
                          g_date_time_get_week_of_year (utc));
}

/* States */

static void
set_state (QmXurPage  *self,
           const char *state)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), state) == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
add_toast (QmXurPage  *self,
           const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
  else
    g_message ("%s", text);
}

static void
update_header (QmXurPage *self,
               GDateTime *now)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  GDateTime *departs = qm_xur_get_departs (self->xur);
  const char *location = qm_xur_get_location (self->xur);
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *text = NULL;

  /* The place is in the line below: the heading stays the news itself. */
  gtk_label_set_text (self->location_label, _("Xûr Is Here"));
  if (departs == NULL)
    {
      gtk_label_set_text (self->header_label, "");
      return;
    }
  when = qm_xur_format_date_time (departs, tz);
  relative = qm_xur_format_relative (now, departs);
  /* Translators: when Xûr leaves, then how long until then, e.g.
   * "Leaves Tuesday, December 1, 18:00 (in 6 days)". */
  if (location != NULL)
    /* Translators: where Xûr is, when he leaves and how long until then, e.g.
     * "Xûr is in The Tower · Leaves Tuesday, December 1, 18:00 (in 6 days)". */
    text = g_strdup_printf (_("Xûr is in %s · Leaves %s (%s)"), location, when, relative);
  else
    text = g_strdup_printf (_("Leaves %s (%s)"), when, relative);
  gtk_label_set_text (self->header_label, text);
}

static void
update_countdown (QmXurPage *self,
                  GDateTime *now)
{
  g_autofree char *text = qm_xur_format_countdown (now, qm_xur_get_next_arrival (self->xur));

  gtk_label_set_text (self->countdown_label, text);
}

static void
show_present (QmXurPage *self,
              GDateTime *now)
{
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (qm_xur_get_sales (self->xur)));

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_header (self, now);
  set_state (self, "present");
}

static void
show_absent (QmXurPage *self,
             GDateTime *now)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *when = qm_xur_format_date_time (qm_xur_get_next_arrival (self->xur), tz);

  gtk_list_view_set_model (self->list_view, NULL);
  g_free (self->return_text);
  /* Translators: %s is a date and time, e.g. "Friday, November 27, 18:00". */
  self->return_text = g_strdup_printf (_("He returns on %s."), when);
  adw_status_page_set_description (self->absent_page, self->return_text);
  update_countdown (self, now);
  set_state (self, "absent");
}

static void
show_xur (QmXurPage *self,
          QmXur     *xur)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_set_object (&self->xur, xur);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->balances, g_hash_table_unref);
  if (self->inventory != NULL)
    self->balances = qm_sale_balances_new (qm_inventory_get_profile (self->inventory));
  if (qm_xur_get_present (xur))
    show_present (self, now);
  else
    show_absent (self, now);
  update_tick (self);
}

static void
show_failure (QmXurPage  *self,
              const char *message)
{
  g_autofree char *toast = NULL;

  if (self->xur != NULL)
    {
      /* Keep what is shown: it is still this week's. */
      /* Translators: %s says why Xûr's stock could not be refreshed. */
      toast = g_strdup_printf (_("Could not refresh Xûr’s stock: %s"), message);
      add_toast (self, toast);
      return;
    }
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  adw_status_page_set_description (self->error_page, message);
  set_state (self, "error");
}

/* The countdown and the departure line stay current while shown. */

static gboolean
tick_cb (gpointer user_data)
{
  QmXurPage *self = QM_XUR_PAGE (user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean present = qm_xur_get_present (self->xur);
  GDateTime *change = present ? qm_xur_get_departs (self->xur) : qm_xur_get_next_arrival (self->xur);

  if (change != NULL && g_date_time_compare (now, change) >= 0 && !self->loading
      && self->reloaded_for != g_date_time_to_unix (change))
    {
      /* He came or went: look again (once, should Bungie.net not know yet). */
      self->reloaded_for = g_date_time_to_unix (change);
      self->tick_id = 0;
      qm_xur_page_load (self);
      return G_SOURCE_REMOVE;
    }
  if (present)
    update_header (self, now);
  else
    update_countdown (self, now);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (QmXurPage *self)
{
  const char *state = gtk_stack_get_visible_child_name (self->stack);
  gboolean wanted = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->xur != NULL
                    && (g_strcmp0 (state, "present") == 0 || g_strcmp0 (state, "absent") == 0);

  if (wanted && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* Loading */

static void
update_actions (QmXurPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "xur.reload",
                                 self->client != NULL && !self->loading);
}

static void
on_xur_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(QmXurPage) self = user_data;
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  xur = qm_xur_load_finish (result, &error);
  if (xur == NULL && qm_error_is_cancelled (error))
    return;

  self->loading = FALSE;
  update_actions (self);
  if (xur != NULL)
    {
      inventory = qm_xur_load_dup_inventory (result);
      if (self->inventory == NULL)
        g_set_object (&self->inventory, inventory);
      show_xur (self, xur);
      g_signal_emit (self, signals[SIGNAL_LOADED], 0, xur);
      return;
    }

  g_message ("Could not look for Xûr: %s", error->message);
  message = qm_error_describe (error);
  show_failure (self, message);
  g_signal_emit (self, signals[SIGNAL_LOAD_FAILED], 0, message);
}

void
qm_xur_page_load (QmXurPage *self)
{
  g_return_if_fail (QM_IS_XUR_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client == NULL)
    {
      self->loading = FALSE;
      update_actions (self);
      set_state (self, "signed-out");
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  update_actions (self);
  if (self->xur == NULL)
    set_state (self, "loading");
  qm_xur_load_async (self->client, self->inventory, self->cancellable,
                     on_xur_loaded_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  qm_xur_page_load (QM_XUR_PAGE (widget));
}

/* The list */

/* Each row: the heading of its vendor's part when it is the first of it
 * (GTK 4.8's list views have no sections), then the sale. */
static void
on_sale_factory_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "sale-section-heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_widget_set_visible (heading, FALSE);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), qm_sale_row_new ());
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static QmSaleRow *
sale_row_of (GtkListItem *list_item)
{
  return QM_SALE_ROW (gtk_widget_get_last_child (gtk_list_item_get_child (list_item)));
}

static void
on_sale_factory_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *list_item,
                         gpointer                  user_data)
{
  QmXurPage *self = QM_XUR_PAGE (user_data);
  QmVendorSale *sale = gtk_list_item_get_item (list_item);
  GtkWidget *heading = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  guint position = gtk_list_item_get_position (list_item);
  guint32 vendor = qm_vendor_sale_get_vendor_hash (sale);
  gboolean first = position == 0;

  if (!first && self->xur != NULL)
    {
      g_autoptr(QmVendorSale) before = g_list_model_get_item (qm_xur_get_sales (self->xur),
                                                              position - 1);

      first = before == NULL || qm_vendor_sale_get_vendor_hash (before) != vendor;
    }
  gtk_label_set_text (GTK_LABEL (heading), qm_xur_vendor_title (vendor));
  gtk_widget_set_visible (heading, first);
  if (position == 0)
    gtk_widget_remove_css_class (heading, "later");
  else
    gtk_widget_add_css_class (heading, "later");
  qm_sale_row_set_sale (sale_row_of (list_item), sale, self->balances, self->icons);
}

static void
on_sale_factory_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *list_item,
                           gpointer                  user_data)
{
  qm_sale_row_set_sale (sale_row_of (list_item), NULL, NULL, NULL);
}

/* Sharing */

/* The icons in the digest: as large as its rows show them, a few kilobytes each. */
#define DIGEST_ICON_SIZE 48

/* The sales' icons, from the files of the icon cache (the rows showed them),
 * made small for the digest: PNG when they have transparency, else JPEG. */
static GHashTable *
dup_digest_icons (QmXurPage *self)
{
  GHashTable *icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  g_auto(GStrv) paths = NULL;

  if (self->icons == NULL)
    return icons;
  paths = qm_xur_digest_dup_icon_paths (self->xur);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *file = qm_icon_cache_get_file_path (self->icons, paths[i]);
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      g_autoptr(GError) error = NULL;
      char *buffer = NULL;
      gsize size = 0;
      gboolean saved;

      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      pixbuf = gdk_pixbuf_new_from_file_at_scale (file, DIGEST_ICON_SIZE, DIGEST_ICON_SIZE, TRUE, &error);
      if (pixbuf == NULL)
        {
          g_debug ("Icon %s left out of the digest: %s", paths[i], error->message);
          continue;
        }
      if (gdk_pixbuf_get_has_alpha (pixbuf))
        saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL);
      else
        saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                           "quality", "85", NULL);
      if (!saved)
        {
          g_debug ("Icon %s left out of the digest: %s", paths[i], error->message);
          continue;
        }
      g_hash_table_insert (icons, g_strdup (paths[i]), g_bytes_new_take (buffer, size));
    }
  return icons;
}

char *
qm_xur_page_dup_digest (QmXurPage *self)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GHashTable) icons = NULL;

  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  if (self->xur == NULL)
    return NULL;
  icons = dup_digest_icons (self);
  return qm_xur_digest_html (self->xur, tz, icons);
}

static void
on_digest_saved_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (qm_xur_share_save_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
qm_xur_page_save_html_async (QmXurPage           *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *html = NULL;

  g_return_if_fail (QM_IS_XUR_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_xur_page_save_html_async);
  html = qm_xur_page_dup_digest (self);
  if (html == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("Xûr’s stock has not been loaded yet"));
      return;
    }
  qm_xur_share_save_async (html, file, cancellable, on_digest_saved_cb, g_steal_pointer (&task));
}

gboolean
qm_xur_page_save_html_finish (QmXurPage     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* "xur-stock-2026-W48.html": the week he arrives (or comes back). */
static char *
digest_basename (QmXurPage *self)
{
  GDateTime *arrives = qm_xur_get_present (self->xur) ? qm_xur_get_arrives (self->xur)
                                                     : qm_xur_get_next_arrival (self->xur);
  g_autofree char *week = arrives != NULL ? qm_xur_week_id (arrives) : NULL;

  if (week == NULL)
    return g_strdup ("xur-stock.html");
  return g_strdup_printf ("xur-stock-%s.html", week);
}

static void
on_chosen_file_saved_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  QmXurPage *self = QM_XUR_PAGE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (qm_xur_page_save_html_finish (self, result, &error))
    /* Translators: %s is a file name. */
    text = g_strdup_printf (_("Xûr’s stock was saved as “%s”"), name);
  else if (!qm_error_is_cancelled (error))
    /* Translators: the first %s is a file name, the second says what went wrong. */
    text = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
  if (text != NULL)
    add_toast (self, text);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        QmXurPage       *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    qm_xur_page_save_html_async (self, file, self->share_cancellable,
                                 on_chosen_file_saved_cb, g_object_ref (file));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

void
qm_xur_page_choose_html_file (QmXurPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  g_return_if_fail (QM_IS_XUR_PAGE (self));

  if (self->xur == NULL || self->chooser != NULL)
    return;

  name = digest_basename (self);
  self->chooser = gtk_file_chooser_native_new (_("Save Xûr’s Stock"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Web pages"));
  gtk_file_filter_add_mime_type (filter, "text/html");
  gtk_file_filter_add_suffix (filter, "html");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_email_composed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(QmXurPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (qm_xur_share_email_finish (result, NULL, &error) || qm_error_is_cancelled (error))
    return;
  if (g_error_matches (error, QM_XUR_SHARE_ERROR, QM_XUR_SHARE_ERROR_NO_MAIL_CLIENT))
    {
      add_toast (self, error->message);
      return;
    }
  /* Translators: %s says what went wrong. */
  text = g_strdup_printf (_("Could not prepare the e-mail: %s"), error->message);
  add_toast (self, text);
}

void
qm_xur_page_share_email (QmXurPage *self)
{
  g_autofree char *html = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (QM_IS_XUR_PAGE (self));

  html = qm_xur_page_dup_digest (self);
  if (html == NULL)
    return;
  name = digest_basename (self);
  qm_xur_share_email_async (html, name, _("Xûr’s stock"), self->share_cancellable,
                            on_email_composed_cb, g_object_ref (self));
}

/* The widget */

static void
qm_xur_page_map (GtkWidget *widget)
{
  QmXurPage *self = QM_XUR_PAGE (widget);

  GTK_WIDGET_CLASS (qm_xur_page_parent_class)->map (widget);

  if (self->client != NULL && self->xur == NULL && !self->loading && self->error_message == NULL)
    qm_xur_page_load (self);
  update_tick (self);
}

static void
qm_xur_page_unmap (GtkWidget *widget)
{
  QmXurPage *self = QM_XUR_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (qm_xur_page_parent_class)->unmap (widget);
}

static void
qm_xur_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QmXurPage *self = QM_XUR_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, qm_xur_page_get_state (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_xur_page_dispose (GObject *object)
{
  QmXurPage *self = QM_XUR_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->share_cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->icons != NULL)
    qm_icon_cache_cancel (self->icons);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_XUR_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->share_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->inventory);
  g_clear_object (&self->xur);
  g_clear_object (&self->icons);
  g_clear_pointer (&self->balances, g_hash_table_unref);

  G_OBJECT_CLASS (qm_xur_page_parent_class)->dispose (object);
}

static void
qm_xur_page_finalize (GObject *object)
{
  QmXurPage *self = QM_XUR_PAGE (object);

  g_free (self->error_message);
  g_free (self->return_text);

  G_OBJECT_CLASS (qm_xur_page_parent_class)->finalize (object);
}

static void
qm_xur_page_class_init (QmXurPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = qm_xur_page_get_property;
  object_class->dispose = qm_xur_page_dispose;
  object_class->finalize = qm_xur_page_finalize;
  widget_class->map = qm_xur_page_map;
  widget_class->unmap = qm_xur_page_unmap;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "signed-out",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QM_TYPE_XUR);
  signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "xur.reload", NULL, reload_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-xur-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, location_label);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, header_label);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, absent_page);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, QmXurPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sale_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sale_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sale_factory_unbind_cb);
  gtk_widget_class_set_css_name (widget_class, "qmxurpage");

  g_type_ensure (QM_TYPE_SALE_ROW);
}

static void
qm_xur_page_init (QmXurPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->share_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_full (self->stack, "signed-out", GTK_STACK_TRANSITION_TYPE_NONE);
  update_actions (self);
}

GtkWidget *
qm_xur_page_new (void)
{
  return g_object_new (QM_TYPE_XUR_PAGE, NULL);
}

void
qm_xur_page_set_client (QmXurPage      *self,
                        QmBungieClient *client)
{
  g_return_if_fail (QM_IS_XUR_PAGE (self));
  g_return_if_fail (client == NULL || QM_IS_BUNGIE_CLIENT (client));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  g_set_object (&self->client, client);
  g_clear_object (&self->inventory);
  g_clear_object (&self->xur);
  g_clear_pointer (&self->balances, g_hash_table_unref);
  g_clear_pointer (&self->error_message, g_free);
  if (self->icons != NULL)
    qm_icon_cache_cancel (self->icons);
  g_clear_object (&self->icons);
  if (client != NULL)
    self->icons = qm_icon_cache_new (client);
  gtk_list_view_set_model (self->list_view, NULL);
  update_actions (self);
  set_state (self, client != NULL ? "loading" : "signed-out");
  /* A page already on screen looks at once. */
  if (client != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    qm_xur_page_load (self);
}

void
qm_xur_page_set_inventory (QmXurPage   *self,
                           QmInventory *inventory)
{
  g_return_if_fail (QM_IS_XUR_PAGE (self));
  g_return_if_fail (inventory == NULL || QM_IS_INVENTORY (inventory));

  g_set_object (&self->inventory, inventory);
  if (self->client != NULL && self->xur == NULL && !self->loading)
    qm_xur_page_load (self);
}

const char *
qm_xur_page_get_state (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

QmXur *
qm_xur_page_get_xur (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return self->xur;
}

GListModel *
qm_xur_page_get_sales (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
}

GDateTime *
qm_xur_page_get_countdown_target (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  if (self->xur == NULL || qm_xur_get_present (self->xur))
    return NULL;
  return qm_xur_get_next_arrival (self->xur);
}

const char *
qm_xur_page_get_countdown_text (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return gtk_label_get_text (self->countdown_label);
}

const char *
qm_xur_page_get_return_text (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return self->return_text;
}

const char *
qm_xur_page_get_header_text (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return gtk_label_get_text (self->header_label);
}

const char *
qm_xur_page_get_error_message (QmXurPage *self)
{
  g_return_val_if_fail (QM_IS_XUR_PAGE (self), NULL);

  return self->error_message;
}
