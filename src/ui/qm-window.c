/* qm-window.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-window.h"

#include "qm-error.h"
#include "qm-icon-cache.h"
#include "qm-inventory-view.h"
#include "qm-move-progress.h"
#include "qm-search-bar.h"
#include "qm-sign-in-page.h"
#include "qm-ui-util.h"
#include "qm-loadouts-view.h"
#include "qm-xur-page.h"

/* Shared by the stable and the development build. */

struct _QmWindow
{
  AdwApplicationWindow  parent_instance;

  AdwViewSwitcherTitle *window_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkMenuButton        *share_button;
  GtkToggleButton      *search_button;
  GtkDropDown          *membership_dropdown;
  GtkSearchBar         *search_bar;
  QmSearchBar          *search;
  QmXurPage            *xur_page;
  QmLoadoutsView       *loadouts_view;
  AdwToastOverlay      *toast_overlay;
  GtkOverlay           *move_overlay;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkRevealer          *loading_progress_revealer;
  GtkProgressBar       *loading_progress_bar;
  GtkLabel             *loading_progress_label;
  AdwStatusPage        *error_page;
  GtkButton            *retry_button;
  GtkRevealer          *banner_revealer;
  GtkRevealer          *privacy_revealer;
  GtkLabel             *privacy_label;
  GtkLabel             *banner_label;
  GtkProgressBar       *banner_progress_bar;
  QmInventoryView      *inventory_view;
  QmSignInPage         *sign_in_page;

  GSettings            *settings;
  GCancellable         *cancellable;
  QmBungieClient       *client;
  QmIconCache          *icons;
  QmInventory          *inventory;
  /* The account shown, its definitions and chosen membership. */
  QmSession            *session;
  QmMoveController     *moves;
  GtkWidget            *move_progress;
  /* Per run asked for and not finished, in order: whether it is an undo. */
  GQueue                move_runs;
  AdwToast             *move_toast;     /* the last run's result, while shown */
  /* The definitions whose download the window shows. */
  QmManifest           *watched_manifest;
  char                 *error_message;
  gboolean              updating_memberships;
  gboolean              loading;
  /* A refresh of its own accord: its failure is not shown. */
  gboolean              quiet;
  /* When the next quiet refresh is due, while the window is focused. */
  QmRefreshPolicy       refresh_policy;
  guint                 auto_refresh_id;
  /* Waiting for the first frame with the inventory. */
  GdkFrameClock        *paint_clock;
};

G_DEFINE_FINAL_TYPE (QmWindow, qm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  SIGNAL_LOADED,
  SIGNAL_LOAD_FAILED,
  SIGNAL_INVENTORY_PAINTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static QmManifest *get_manifest   (QmWindow *self);
static void start_refresh         (QmWindow *self,
                                   gboolean  quiet);
static void schedule_auto_refresh (QmWindow *self);

/* The bottom switcher stands in for the title's when the window is narrow,
 * and only while there are views to switch (not on the sign-in page). */
static void
update_switcher_bar (QmWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->window_title) &&
                                    adw_view_switcher_title_get_view_switcher_enabled (self->window_title));
}

static gboolean
showing_xur (QmWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "xur") == 0;
}

/* Search is for the inventory, while one is shown. */
static gboolean
can_search (QmWindow *self)
{
  return self->inventory != NULL && !showing_xur (self) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "inventory") == 0;
}

static void
update_actions (QmWindow *self)
{
  gboolean searchable = can_search (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh",
                                 self->client != NULL && !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", searchable);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), searchable);
  if (!searchable)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
set_page_full (QmWindow   *self,
               const char *name,
               gboolean    animate)
{
  gtk_stack_set_visible_child_full (self->stack, name,
                                    animate ? GTK_STACK_TRANSITION_TYPE_CROSSFADE
                                            : GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  update_actions (self);
}

static void
set_page (QmWindow   *self,
          const char *name)
{
  set_page_full (self, name, TRUE);
}

static void
restore_window_state (QmWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (QmWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* The first frame drawn with the inventory in it. */
static void on_after_paint_cb (GdkFrameClock *clock,
                               QmWindow      *self);

static void
stop_waiting_for_paint (QmWindow *self)
{
  /* By function: a clock disposed with its surface has dropped its handlers. */
  if (self->paint_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->paint_clock, on_after_paint_cb, self);
  g_clear_object (&self->paint_clock);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   QmWindow      *self)
{
  stop_waiting_for_paint (self);
  g_signal_emit (self, signals[SIGNAL_INVENTORY_PAINTED], 0);
  /* Xûr's page looks for him once the inventory is up, not before. */
  qm_xur_page_set_inventory (self->xur_page, self->inventory);
}

static void
show_inventory (QmWindow    *self,
                QmInventory *inventory)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gboolean first = self->inventory == NULL;
  g_autofree char *withheld = qm_profile_describe_withheld (qm_inventory_get_profile (inventory));

  g_set_object (&self->inventory, inventory);
  qm_inventory_view_set_inventory (self->inventory_view, inventory, self->icons);
  qm_loadouts_view_set_session (self->loadouts_view, self->session, self->icons);
  /* Bungie withheld part of the account: say so above what it sent. */
  gtk_label_set_text (self->privacy_label, withheld != NULL ? withheld : "");
  gtk_revealer_set_reveal_child (self->privacy_revealer, withheld != NULL);
  g_clear_pointer (&self->error_message, g_free);
  /* Straight from the loading page: the inventory at once, not faded in. */
  set_page_full (self, "inventory", !first);
  if (clock != NULL && !showing_xur (self))
    {
      if (self->paint_clock == NULL)
        {
          self->paint_clock = g_object_ref (clock);
          g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
        }
    }
  else
    {
      qm_xur_page_set_inventory (self->xur_page, inventory);
    }
}

static void
show_failure (QmWindow   *self,
              const char *message)
{
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;

  if (self->inventory == NULL)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      adw_status_page_set_description (self->error_page, message);
      /* Without an account the failure was the sandbox's start: try it again. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button),
                                      self->client != NULL ? "win.refresh" : "app.try-sandbox");
      set_page (self, "error");
      return;
    }

  /* An inventory is shown already: keep it and say the refresh failed,
   * unless nobody asked for it. */
  if (self->quiet)
    return;
  escaped = g_markup_escape_text (message, -1);
  /* Translators: %s says why the refresh failed. */
  title = g_strdup_printf (_("Could not refresh: %s"), escaped);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* The items are shown, but some or all without names. */
static void
show_definitions_failure (QmWindow     *self,
                          const GError *error)
{
  g_autofree char *message = qm_error_describe (error);
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *title = NULL;

  /* Translators: %s says why the item definitions could not be loaded. */
  title = g_strdup_printf (_("Item names could not be loaded: %s"), escaped);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static const char *
platform_name (int membership_type)
{
  switch (membership_type)
    {
    case 1: return _("Xbox");
    case 2: return _("PlayStation");
    case 3: return _("Steam");
    case 4: return _("Battle.net");
    case 5: return _("Stadia");
    case 6: return _("Epic Games Store");
    default: return _("Other platform");
    }
}

static char *
membership_label (QmMembership *membership)
{
  if (membership->display_name == NULL)
    return g_strdup (platform_name (membership->membership_type));
  /* Translators: a Destiny account: its name, then its platform. */
  return g_strdup_printf (_("%s (%s)"), membership->display_name,
                          platform_name (membership->membership_type));
}

/* The switcher lists the account's memberships when it has several. */
static void
update_memberships (QmWindow    *self,
                    QmInventory *inventory)
{
  GPtrArray *memberships = qm_inventory_get_memberships (inventory);
  const char *shown = qm_profile_get_membership_id (qm_inventory_get_profile (inventory));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < memberships->len; i++)
    {
      QmMembership *membership = g_ptr_array_index (memberships, i);
      g_autofree char *label = membership_label (membership);

      gtk_string_list_append (labels, label);
      if (g_strcmp0 (membership->membership_id, shown) == 0)
        selected = i;
    }

  self->updating_memberships = TRUE;
  gtk_drop_down_set_model (self->membership_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->membership_dropdown, selected);
  self->updating_memberships = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->membership_dropdown), memberships->len > 1);
}

static void
on_membership_dropdown_selected_cb (QmWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->membership_dropdown);
  GPtrArray *memberships;
  QmMembership *membership;

  if (self->updating_memberships || self->inventory == NULL)
    return;
  memberships = qm_inventory_get_memberships (self->inventory);
  if (selected >= memberships->len)
    return;

  membership = g_ptr_array_index (memberships, selected);
  qm_session_set_membership_id (self->session, membership->membership_id);
  qm_window_refresh (self);
}

/* The profile saved by the last run, shown while the live one loads. */
static void
show_cached_inventory (QmWindow *self)
{
  g_autoptr(QmInventory) cached = NULL;
  g_autoptr(GError) error = NULL;

  if (self->settings == NULL || self->inventory != NULL)
    return;
  cached = qm_session_load_cached (self->session, &error);
  if (cached == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("No saved inventory shown: %s", error->message);
      return;
    }
  show_inventory (self, cached);
}

static void
on_inventory_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmWindow) self = user_data;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  inventory = qm_session_refresh_finish (self->session, result, &error);
  if (inventory == NULL && qm_error_is_cancelled (error))
    return;

  self->loading = FALSE;
  qm_refresh_policy_finished (&self->refresh_policy);
  schedule_auto_refresh (self);
  update_actions (self);
  if (inventory != NULL)
    {
      /* The session keeps what it holds when the profile fetched is older
       * (Bungie's cache answering); the tiles follow their items. */
      if (qm_session_get_inventory (self->session) != self->inventory)
        show_inventory (self, qm_session_get_inventory (self->session));
      update_memberships (self, inventory);
      if (qm_inventory_get_manifest_error (inventory) != NULL)
        show_definitions_failure (self, qm_inventory_get_manifest_error (inventory));
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
      return;
    }

  g_message ("Could not load the inventory: %s", error->message);
  message = qm_error_describe (error);
  show_failure (self, message);
  if (!self->quiet || self->inventory == NULL)
    g_signal_emit (self, signals[SIGNAL_LOAD_FAILED], 0, message);
}

/* The definitions being downloaded: their progress on the loading page, or
 * over the inventory while one is shown. */
static void
update_manifest_progress (QmWindow *self)
{
  QmManifestState state = QM_MANIFEST_STATE_EMPTY;
  g_autofree char *text = NULL;
  gboolean busy;
  double fraction = 0;

  if (self->watched_manifest != NULL)
    {
      state = qm_manifest_get_state (self->watched_manifest);
      fraction = qm_manifest_get_fraction (self->watched_manifest);
    }
  busy = state == QM_MANIFEST_STATE_DOWNLOADING || state == QM_MANIFEST_STATE_BUILDING;
  if (state == QM_MANIFEST_STATE_DOWNLOADING)
    {
      guint64 total = qm_manifest_get_bytes_total (self->watched_manifest);
      g_autofree char *done = g_format_size (qm_manifest_get_bytes_downloaded (self->watched_manifest));

      if (total > 0)
        {
          g_autofree char *all = g_format_size (total);

          /* Translators: how much of the game's item data has been downloaded,
           * e.g. "Downloading item definitions: 12.3 MB of 45.6 MB". */
          text = g_strdup_printf (_("Downloading item definitions: %s of %s"), done, all);
        }
      else
        {
          /* Translators: how much of the game's item data has been downloaded. */
          text = g_strdup_printf (_("Downloading item definitions: %s"), done);
        }
    }
  else if (state == QM_MANIFEST_STATE_BUILDING)
    {
      text = g_strdup (_("Preparing item definitions…"));
    }

  if (busy)
    {
      gtk_label_set_text (self->loading_progress_label, text);
      gtk_label_set_text (self->banner_label, text);
      gtk_progress_bar_set_fraction (self->loading_progress_bar, fraction);
      gtk_progress_bar_set_fraction (self->banner_progress_bar, fraction);
    }
  gtk_revealer_set_reveal_child (self->loading_progress_revealer, busy);
  gtk_revealer_set_reveal_child (self->banner_revealer, busy && self->inventory != NULL);
}

static void
watch_manifest (QmWindow   *self,
                QmManifest *manifest)
{
  if (self->watched_manifest == manifest)
    return;
  if (self->watched_manifest != NULL)
    g_signal_handlers_disconnect_by_data (self->watched_manifest, self);
  g_set_object (&self->watched_manifest, manifest);
  if (manifest != NULL)
    {
      g_signal_connect_swapped (manifest, "notify::state", G_CALLBACK (update_manifest_progress), self);
      g_signal_connect_swapped (manifest, "notify::fraction", G_CALLBACK (update_manifest_progress), self);
      g_signal_connect_swapped (manifest, "notify::bytes-downloaded",
                                G_CALLBACK (update_manifest_progress), self);
    }
  update_manifest_progress (self);
}

/* The session's definitions (opened from the disk cache at start-up).
 * Reusing them skips their download while they are current. */
static QmManifest *
get_manifest (QmWindow *self)
{
  return qm_session_get_manifest (self->session);
}

static gboolean auto_refresh_cb (gpointer user_data);

/* A quiet refresh when the policy (qm-profile-cache.h) says one is due:
 * only while the window is focused, and not too often. */
static gboolean
maybe_auto_refresh (QmWindow *self)
{
  if (self->client == NULL || self->inventory == NULL ||
      !qm_refresh_policy_auto_due (&self->refresh_policy,
                                   gtk_window_is_active (GTK_WINDOW (self)),
                                   FALSE, g_get_monotonic_time ()))
    return FALSE;
  /* Not under a tile being dragged or a move being made: it would replace
   * the items they hold. A second later, then. */
  if (qm_inventory_view_get_dragging (self->inventory_view) || qm_move_controller_get_busy (self->moves))
    {
      g_clear_handle_id (&self->auto_refresh_id, g_source_remove);
      self->auto_refresh_id = g_timeout_add_seconds (1, auto_refresh_cb, self);
      return TRUE;
    }
  g_debug ("Refreshing the inventory by itself");
  start_refresh (self, TRUE);
  return TRUE;
}

static gboolean
auto_refresh_cb (gpointer user_data)
{
  QmWindow *self = QM_WINDOW (user_data);

  self->auto_refresh_id = 0;
  if (!maybe_auto_refresh (self))
    schedule_auto_refresh (self);
  return G_SOURCE_REMOVE;
}

/* Wake up when the next quiet refresh can be due; a load in flight
 * schedules it again when it ends. */
static void
schedule_auto_refresh (QmWindow *self)
{
  gint64 delay;

  g_clear_handle_id (&self->auto_refresh_id, g_source_remove);
  if (self->client == NULL || !gtk_window_is_active (GTK_WINDOW (self)))
    return;
  delay = qm_refresh_policy_next_due (&self->refresh_policy, g_get_monotonic_time ());
  if (delay == G_MAXINT64)
    return;
  self->auto_refresh_id = g_timeout_add ((guint) MIN (delay / 1000 + 1, G_MAXUINT), auto_refresh_cb, self);
}

static void
on_is_active_cb (QmWindow *self)
{
  if (!maybe_auto_refresh (self))
    schedule_auto_refresh (self);
}

void
qm_window_refresh (QmWindow *self)
{
  g_return_if_fail (QM_IS_WINDOW (self));

  start_refresh (self, FALSE);
}

static void
start_refresh (QmWindow *self,
               gboolean  quiet)
{
  QmManifest *manifest;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client == NULL)
    {
      self->loading = FALSE;
      qm_refresh_policy_finished (&self->refresh_policy);
      schedule_auto_refresh (self);
      update_actions (self);
      gtk_widget_set_visible (GTK_WIDGET (self->membership_dropdown), FALSE);
      set_page (self, "signed-out");
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  self->quiet = quiet;
  qm_refresh_policy_started (&self->refresh_policy, g_get_monotonic_time ());
  schedule_auto_refresh (self);
  update_actions (self);
  show_cached_inventory (self);
  if (self->inventory == NULL)
    set_page (self, "loading");
  manifest = get_manifest (self);
  watch_manifest (self, manifest);
  qm_session_refresh_async (self->session, self->cancellable, on_inventory_loaded_cb,
                            g_object_ref (self));
}

/* The Cancel of the definitions' download: the items load on, with the
 * definitions loaded before (or none: unknown items). */
static void
cancel_download_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QmWindow *self = QM_WINDOW (widget);

  if (self->watched_manifest == NULL)
    return;
  qm_manifest_cancel_update (self->watched_manifest);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Download of item definitions cancelled")));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  QmWindow *self = QM_WINDOW (widget);

  if (showing_xur (self))
    qm_xur_page_load (self->xur_page);
  else
    qm_window_refresh (self);
}

/* Xûr's view: the share menu while it shows a week's stock or his return */

static void
update_share_actions (QmWindow *self)
{
  const char *state = qm_xur_page_get_state (self->xur_page);
  gboolean shown = g_strcmp0 (state, "present") == 0 || g_strcmp0 (state, "absent") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.xur-share-email", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.xur-save-html", shown);
  gtk_widget_set_visible (GTK_WIDGET (self->share_button), shown && showing_xur (self));
}

static void
on_xur_page_state_cb (QmXurPage  *page,
                      GParamSpec *pspec,
                      QmWindow   *self)
{
  update_share_actions (self);
}

static void
on_view_stack_visible_child_cb (AdwViewStack *view_stack,
                                GParamSpec   *pspec,
                                QmWindow     *self)
{
  update_share_actions (self);
  update_actions (self);
}

static void
xur_share_email_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  qm_xur_page_share_email (QM_WINDOW (widget)->xur_page);
}

static void
xur_save_html_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  qm_xur_page_choose_html_file (QM_WINDOW (widget)->xur_page);
}

/* Search */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QmWindow *self = QM_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  qm_search_bar_focus (self->search);
}

/* Closing the search shows everything again. */
static void
on_search_mode_cb (QmWindow *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;
  qm_search_bar_set_text (self->search, "");
  if (can_search (self))
    qm_inventory_view_focus_first_tile (self->inventory_view);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *entry = find_search_entry (child);

      if (entry != NULL)
        return entry;
    }
  return NULL;
}

static void
on_query_changed_cb (QmWindow *self)
{
  qm_inventory_view_set_searching (self->inventory_view,
                                   qm_search_bar_get_query (self->search) != NULL);
}

static void
on_selected_character_cb (QmWindow *self)
{
  const char *id = qm_inventory_view_get_selected_character (self->inventory_view);

  if (self->settings != NULL && id != NULL)
    g_settings_set_string (self->settings, "selected-character", id);
}

/* Moves: the progress panel, the result toast with Undo, and a
 * notification when the window is not the one the player looks at. */

static void
on_move_toast_dismissed_cb (AdwToast *toast,
                            QmWindow *self)
{
  if (self->move_toast == toast)
    g_clear_object (&self->move_toast);
}

/* One toast for the moves: the one still shown says the newest result
 * (libadwaita 1.2 can crash when a toast is dismissed while it animates). */
static void
show_move_toast (QmWindow   *self,
                 const char *message,
                 gboolean    offer_undo,
                 gboolean    failed)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = self->move_toast;
  gboolean shown = toast != NULL;

  if (!shown)
    {
      toast = adw_toast_new (escaped);
      /* Dismissed: the window forgets it. */
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_move_toast_dismissed_cb), self, 0);
    }
  else
    adw_toast_set_title (toast, escaped);
  adw_toast_set_button_label (toast, offer_undo ? _("_Undo") : NULL);
  adw_toast_set_action_name (toast, offer_undo ? "win.undo-move" : NULL);
  adw_toast_set_timeout (toast, offer_undo || failed ? 10 : 5);
  if (!shown)
    {
      self->move_toast = g_object_ref (toast);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static gboolean
notify_moves_enabled (QmWindow *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "notify-moves");
}

static void
notify_move (QmWindow   *self,
             gboolean    ok,
             const char *message)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;

  if (gtk_window_is_active (GTK_WINDOW (self)) || !notify_moves_enabled (self) ||
      application == NULL || !g_application_get_is_registered (G_APPLICATION (application)))
    return;
  notification = g_notification_new (ok ? _("Move finished") : _("Move failed"));
  if (message != NULL)
    g_notification_set_body (notification, message);
  g_notification_set_priority (notification, ok ? G_NOTIFICATION_PRIORITY_NORMAL :
                               G_NOTIFICATION_PRIORITY_HIGH);
  /* One at a time: the latest result replaces the one before. */
  g_application_send_notification (G_APPLICATION (application), "move-finished", notification);
}

static void
on_move_started_cb (QmWindow *self,
                    gboolean  undo)
{
  g_queue_push_tail (&self->move_runs, GINT_TO_POINTER (undo));
}

static void
on_move_finished_cb (QmWindow   *self,
                     gboolean    ok,
                     const char *message)
{
  gboolean undo = GPOINTER_TO_INT (g_queue_pop_head (&self->move_runs));
  QmMoveExecutor *executor = qm_session_get_executor (self->session);
  gboolean offer_undo = ok && !undo && executor != NULL && qm_move_executor_get_can_undo (executor) &&
                        !qm_move_controller_get_busy (self->moves);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-move", offer_undo);
  if (message == NULL)
    message = ok ? _("Done") : _("The move failed");
  show_move_toast (self, message, offer_undo, !ok);
  notify_move (self, ok, message);
}

static void
undo_move_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  QmWindow *self = QM_WINDOW (widget);

  gtk_widget_action_set_enabled (widget, "win.undo-move", FALSE);
  qm_move_controller_undo (self->moves);
}

static gboolean
qm_window_close_request (GtkWindow *window)
{
  save_window_state (QM_WINDOW (window));

  return GTK_WINDOW_CLASS (qm_window_parent_class)->close_request (window);
}

static void
qm_window_dispose (GObject *object)
{
  QmWindow *self = QM_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->auto_refresh_id, g_source_remove);
  stop_waiting_for_paint (self);
  watch_manifest (self, NULL);
  if (self->icons != NULL)
    qm_icon_cache_cancel (self->icons);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->icons);
  g_clear_object (&self->inventory);
  if (self->moves != NULL)
    g_signal_handlers_disconnect_by_data (self->moves, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->move_toast);
  g_queue_clear (&self->move_runs);
  g_clear_object (&self->moves);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qm_window_parent_class)->dispose (object);
}

static void
qm_window_finalize (GObject *object)
{
  QmWindow *self = QM_WINDOW (object);

  g_free (self->error_message);

  G_OBJECT_CLASS (qm_window_parent_class)->finalize (object);
}

static void
qm_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  QmWindow *self = QM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, qm_window_get_session (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  QmWindow *self = QM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The session replaced the inventory shown by a newer one of the same
 * account (a move's reload after it failed or was cancelled): show that. */
static void
on_session_inventory_changed_cb (QmWindow *self)
{
  QmInventory *inventory = qm_session_get_inventory (self->session);

  if (self->loading || self->inventory == NULL || inventory == NULL || inventory == self->inventory ||
      g_strcmp0 (qm_profile_get_membership_id (qm_inventory_get_profile (inventory)),
                 qm_profile_get_membership_id (qm_inventory_get_profile (self->inventory))) != 0)
    return;
  show_inventory (self, inventory);
}

/* A window given no session has one of its own (tests, tools). */
static void
qm_window_constructed (GObject *object)
{
  QmWindow *self = QM_WINDOW (object);

  G_OBJECT_CLASS (qm_window_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = qm_session_new (self->settings);
  self->moves = qm_move_controller_new (self->session, self->settings);
  g_signal_connect_object (self->moves, "started", G_CALLBACK (on_move_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->moves, "finished", G_CALLBACK (on_move_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "inventory-changed", G_CALLBACK (on_session_inventory_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->move_progress = qm_move_progress_new (self->moves);
  gtk_widget_set_halign (self->move_progress, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->move_progress, GTK_ALIGN_END);
  gtk_overlay_add_overlay (self->move_overlay, self->move_progress);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-move", FALSE);
  qm_inventory_view_set_move_controller (self->inventory_view, self->moves);
}

static void
qm_window_class_init (QmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = qm_window_constructed;
  object_class->dispose = qm_window_dispose;
  object_class->finalize = qm_window_finalize;
  object_class->get_property = qm_window_get_property;
  object_class->set_property = qm_window_set_property;
  window_class->close_request = qm_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, QM_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_INVENTORY_PAINTED] =
    g_signal_new ("inventory-painted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-download", NULL, cancel_download_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.undo-move", NULL, undo_move_action);
  /* The window's own, so that they work in any window (the menu and the
   * shortcuts window show them too). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.xur-share-email", NULL, xur_share_email_action);
  gtk_widget_class_install_action (widget_class, "win.xur-save-html", NULL, xur_save_html_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, share_button);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, membership_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, search);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, xur_page);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, loadouts_view);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, move_overlay);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, loading_progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, loading_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, loading_progress_label);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, privacy_revealer);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, privacy_label);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, banner_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, inventory_view);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, sign_in_page);
  gtk_widget_class_bind_template_callback (widget_class, on_membership_dropdown_selected_cb);

  g_type_ensure (QM_TYPE_INVENTORY_VIEW);
  g_type_ensure (QM_TYPE_SEARCH_BAR);
  g_type_ensure (QM_TYPE_XUR_PAGE);
  g_type_ensure (QM_TYPE_LOADOUTS_VIEW);
  g_type_ensure (QM_TYPE_SIGN_IN_PAGE);
}

static void
qm_window_init (QmWindow *self)
{
  GtkWidget *search_entry;

  gtk_widget_init_template (GTK_WIDGET (self));
  qm_refresh_policy_init (&self->refresh_policy);

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = qm_ui_settings_new ();
  if (self->settings != NULL)
    {
      g_autofree char *selected = g_settings_get_string (self->settings, "selected-character");

      if (*selected != '\0')
        qm_inventory_view_set_selected_character (self->inventory_view, selected);
    }
  else
    {
      /* Not quietly: the size, the character shown and the preferences
       * are forgotten at the end of the run. */
      AdwToast *toast = adw_toast_new (_("Settings are not kept: the settings schema is not "
                                         "installed. Install Quartermaster, or run it from "
                                         "its build folder."));

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  g_signal_connect_object (self->inventory_view, "notify::selected-character",
                           G_CALLBACK (on_selected_character_cb), self, G_CONNECT_SWAPPED);
  qm_inventory_view_set_filter (self->inventory_view, qm_search_bar_get_filter (self->search));
  g_signal_connect_object (self->search, "query-changed",
                           G_CALLBACK (on_query_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_search_mode_cb), self, G_CONNECT_SWAPPED);
  /* The entry is inside the bar's widget: the search bar closes on its
   * "stop-search" (Escape, once there are no completions to close). */
  search_entry = find_search_entry (GTK_WIDGET (self->search));
  if (search_entry != NULL)
    gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (search_entry));
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active_cb), NULL);
  restore_window_state (self);
  set_page_full (self, "signed-out", FALSE);
  update_actions (self);
  g_signal_connect_swapped (self->window_title, "notify::title-visible",
                            G_CALLBACK (update_switcher_bar), self);
  g_signal_connect_swapped (self->window_title, "notify::view-switcher-enabled",
                            G_CALLBACK (update_switcher_bar), self);
  update_switcher_bar (self);
  g_signal_connect_object (self->xur_page, "notify::state",
                           G_CALLBACK (on_xur_page_state_cb), self, 0);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_stack_visible_child_cb), self, 0);
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, FALSE);
  update_share_actions (self);
}

QmWindow *
qm_window_new (GtkApplication *application,
               QmSession      *session)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (session == NULL || QM_IS_SESSION (session), NULL);

  return g_object_new (QM_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

QmSession *
qm_window_get_session (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->session;
}

QmMoveController *
qm_window_get_move_controller (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->moves;
}

GtkWidget *
qm_window_get_move_progress (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->move_progress;
}

AdwToast *
qm_window_get_move_toast (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->move_toast;
}

void
qm_window_set_client (QmWindow       *self,
                      QmBungieClient *client,
                      const char     *account_name)
{
  g_return_if_fail (QM_IS_WINDOW (self));
  g_return_if_fail (client == NULL || QM_IS_BUNGIE_CLIENT (client));

  g_set_object (&self->client, client);
  /* A client of the caller's becomes the session's account. */
  if (client != NULL && client != qm_session_get_client (self->session))
    qm_session_set_client (self->session, client);
  g_clear_object (&self->inventory);
  if (self->icons != NULL)
    qm_icon_cache_cancel (self->icons);
  g_clear_object (&self->icons);
  if (client != NULL)
    self->icons = qm_icon_cache_new (client);
  qm_inventory_view_set_inventory (self->inventory_view, NULL, NULL);
  adw_view_switcher_title_set_subtitle (self->window_title, account_name);
  qm_xur_page_set_client (self->xur_page, client);
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, client != NULL);
  if (client == NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, "inventory");
  qm_window_refresh (self);
}

QmManifest *
qm_window_get_manifest (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return get_manifest (self);
}

QmBungieClient *
qm_window_get_client (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->client;
}

void
qm_window_show_loading (QmWindow *self)
{
  g_return_if_fail (QM_IS_WINDOW (self));

  /* At once: this is what the window's first frame shows. */
  set_page_full (self, "loading", FALSE);
}

void
qm_window_show_error (QmWindow   *self,
                      const char *message)
{
  g_return_if_fail (QM_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  show_failure (self, message);
}

const char *
qm_window_get_page (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
qm_window_get_error_message (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->error_message;
}

QmInventory *
qm_window_get_inventory (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->inventory;
}

GListModel *
qm_window_get_items (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return qm_inventory_view_get_items (self->inventory_view);
}

QmInventoryView *
qm_window_get_inventory_view (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->inventory_view;
}

QmSearchBar *
qm_window_get_search_bar (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->search;
}

QmSignInPage *
qm_window_get_sign_in_page (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->sign_in_page;
}

void
qm_window_show_sign_in (QmWindow *self)
{
  g_return_if_fail (QM_IS_WINDOW (self));

  qm_window_set_client (self, NULL, NULL);
}

void
qm_window_show_toast (QmWindow   *self,
                      const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (QM_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  escaped = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

QmXurPage *
qm_window_get_xur_page (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return self->xur_page;
}

void
qm_window_show_view (QmWindow   *self,
                     const char *view)
{
  g_return_if_fail (QM_IS_WINDOW (self));
  g_return_if_fail (g_strcmp0 (view, "inventory") == 0 || g_strcmp0 (view, "xur") == 0 ||
                    g_strcmp0 (view, "loadouts") == 0);

  adw_view_stack_set_visible_child_name (self->view_stack, view);
}

const char *
qm_window_get_view (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}
