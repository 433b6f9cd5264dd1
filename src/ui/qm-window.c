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
#include "qm-item-row.h"
#include "qm-sign-in-page.h"
#include "qm-ui-util.h"
#include "qm-xur-page.h"

/* Shared by the stable and the development build. */

struct _QmWindow
{
  AdwApplicationWindow  parent_instance;

  AdwViewSwitcherTitle *window_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *view_stack;
  GtkMenuButton        *share_button;
  GtkDropDown          *membership_dropdown;
  QmXurPage            *xur_page;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkButton            *retry_button;
  GtkBox               *characters_box;
  GtkLabel             *counts_label;
  GtkListView          *list_view;
  QmSignInPage         *sign_in_page;

  GSettings            *settings;
  GCancellable         *cancellable;
  QmBungieClient       *client;
  QmInventory          *inventory;
  char                 *error_message;
  char                 *membership_id;      /* the chosen one, nullable */
  gboolean              updating_memberships;
  gboolean              loading;
};

G_DEFINE_FINAL_TYPE (QmWindow, qm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  SIGNAL_LOADED,
  SIGNAL_LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The bottom switcher stands in for the title's when the window is narrow,
 * and only while there are views to switch (not on the sign-in page). */
static void
update_switcher_bar (QmWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->window_title) &&
                                    adw_view_switcher_title_get_view_switcher_enabled (self->window_title));
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
}

static void
set_page (QmWindow   *self,
          const char *name)
{
  set_page_full (self, name, TRUE);
}

static void
update_actions (QmWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh",
                                 self->client != NULL && !self->loading);
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

static GtkWidget *
character_card_new (const QmCharacter *character)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *class_label = gtk_label_new (qm_ui_class_name (character->class_type));
  /* Translators: a character's power (light) level. */
  g_autofree char *light = g_strdup_printf (_("Power %d"), character->light);
  GtkWidget *light_label = gtk_label_new (light);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "character-card");
  gtk_widget_add_css_class (class_label, "heading");
  gtk_widget_add_css_class (light_label, "numeric");
  gtk_widget_add_css_class (light_label, "character-light");
  gtk_label_set_xalign (GTK_LABEL (class_label), 0);
  gtk_label_set_xalign (GTK_LABEL (light_label), 0);
  gtk_box_append (GTK_BOX (card), class_label);
  gtk_box_append (GTK_BOX (card), light_label);
  return card;
}

static void
update_characters (QmWindow  *self,
                   QmProfile *profile)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->characters_box))) != NULL)
    gtk_box_remove (self->characters_box, child);

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    gtk_box_append (self->characters_box,
                    character_card_new (qm_profile_get_character (profile, i)));
}

static guint
count_items_at (GListModel     *items,
                QmItemLocation  location)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == location)
        n++;
    }
  return n;
}

static void
update_counts (QmWindow   *self,
               GListModel *items)
{
  guint n_vault = count_items_at (items, QM_ITEM_LOCATION_VAULT);
  guint n_postmaster = count_items_at (items, QM_ITEM_LOCATION_POSTMASTER);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE, "%u item in the vault",
                                       "%u items in the vault", n_vault),
                          n_vault);
  if (n_postmaster > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u item at the postmaster",
                                           "%u items at the postmaster", n_postmaster),
                              n_postmaster);
    }
  gtk_label_set_text (self->counts_label, text->str);
}

static void
show_inventory (QmWindow    *self,
                QmInventory *inventory)
{
  QmProfile *profile = qm_inventory_get_profile (inventory);
  GListModel *items = qm_profile_get_items (profile);
  g_autoptr(GtkNoSelection) selection = NULL;

  /* Set first: binding the new rows reads the owners' classes from it. */
  g_set_object (&self->inventory, inventory);
  selection = gtk_no_selection_new (g_object_ref (items));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_characters (self, profile);
  update_counts (self, items);
  g_clear_pointer (&self->error_message, g_free);
  set_page (self, "inventory");
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
  g_free (self->membership_id);
      self->error_message = g_strdup (message);
      adw_status_page_set_description (self->error_page, message);
      /* Without an account the failure was the sandbox's start: try it again. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button),
                                      self->client != NULL ? "win.refresh" : "app.try-sandbox");
      set_page (self, "error");
      return;
    }

  /* An inventory is shown already: keep it and say the refresh failed. */
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
  g_autofree char *message = qm_ui_describe_error (error);
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
  g_free (self->membership_id);
  self->membership_id = g_strdup (membership->membership_id);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "membership-id", self->membership_id);
  qm_window_refresh (self);
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

  inventory = qm_inventory_load_finish (result, &error);
  if (inventory == NULL && qm_error_is_cancelled (error))
    return;

  self->loading = FALSE;
  update_actions (self);
  if (inventory != NULL)
    {
      show_inventory (self, inventory);
      update_memberships (self, inventory);
      qm_xur_page_set_inventory (self->xur_page, inventory);
      if (qm_inventory_get_manifest_error (inventory) != NULL)
        show_definitions_failure (self, qm_inventory_get_manifest_error (inventory));
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
      return;
    }

  g_message ("Could not load the inventory: %s", error->message);
  message = qm_ui_describe_error (error);
  show_failure (self, message);
  g_signal_emit (self, signals[SIGNAL_LOAD_FAILED], 0, message);
}

void
qm_window_refresh (QmWindow *self)
{
  QmManifest *manifest = NULL;

  g_return_if_fail (QM_IS_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client == NULL)
    {
      self->loading = FALSE;
      update_actions (self);
      gtk_widget_set_visible (GTK_WIDGET (self->membership_dropdown), FALSE);
      set_page (self, "signed-out");
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  update_actions (self);
  if (self->inventory == NULL)
    set_page (self, "loading");
  /* Reusing the definitions skips their download while they are current. */
  if (self->inventory != NULL)
    manifest = qm_inventory_get_manifest (self->inventory);
  qm_inventory_load_for_membership_async (self->client, manifest, self->membership_id,
                                          self->cancellable, on_inventory_loaded_cb,
                                          g_object_ref (self));
}

static gboolean
showing_xur (QmWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "xur") == 0;
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

static void
on_item_factory_setup_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, qm_item_row_new ());
}

static void
on_item_factory_bind_cb (GtkSignalListItemFactory *factory,
                         GtkListItem              *list_item,
                         gpointer                  user_data)
{
  QmWindow *self = QM_WINDOW (user_data);
  QmProfile *profile = NULL;

  if (self->inventory != NULL)
    profile = qm_inventory_get_profile (self->inventory);
  qm_item_row_set_item (QM_ITEM_ROW (gtk_list_item_get_child (list_item)),
                        gtk_list_item_get_item (list_item), profile);
}

static void
on_item_factory_unbind_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *list_item,
                           gpointer                  user_data)
{
  qm_item_row_set_item (QM_ITEM_ROW (gtk_list_item_get_child (list_item)), NULL, NULL);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->inventory);
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
qm_window_class_init (QmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = qm_window_dispose;
  object_class->finalize = qm_window_finalize;
  window_class->close_request = qm_window_close_request;

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.xur-share-email", NULL, xur_share_email_action);
  gtk_widget_class_install_action (widget_class, "win.xur-save-html", NULL, xur_save_html_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, share_button);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, membership_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, xur_page);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, characters_box);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, QmWindow, sign_in_page);
  gtk_widget_class_bind_template_callback (widget_class, on_item_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_membership_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_factory_unbind_cb);

  g_type_ensure (QM_TYPE_ITEM_ROW);
  g_type_ensure (QM_TYPE_XUR_PAGE);
  g_type_ensure (QM_TYPE_SIGN_IN_PAGE);
}

static void
qm_window_init (QmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = qm_ui_settings_new ();
  if (self->settings != NULL)
    {
      self->membership_id = g_settings_get_string (self->settings, "membership-id");
      if (*self->membership_id == '\0')
        g_clear_pointer (&self->membership_id, g_free);
    }
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
qm_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (QM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
qm_window_set_client (QmWindow       *self,
                      QmBungieClient *client,
                      const char     *account_name)
{
  g_return_if_fail (QM_IS_WINDOW (self));
  g_return_if_fail (client == NULL || QM_IS_BUNGIE_CLIENT (client));

  g_set_object (&self->client, client);
  g_clear_object (&self->inventory);
  gtk_list_view_set_model (self->list_view, NULL);
  adw_view_switcher_title_set_subtitle (self->window_title, account_name);
  qm_xur_page_set_client (self->xur_page, client);
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, client != NULL);
  if (client == NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, "inventory");
  qm_window_refresh (self);
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

  return G_LIST_MODEL (gtk_list_view_get_model (self->list_view));
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
  g_return_if_fail (g_strcmp0 (view, "inventory") == 0 || g_strcmp0 (view, "xur") == 0);

  adw_view_stack_set_visible_child_name (self->view_stack, view);
}

const char *
qm_window_get_view (QmWindow *self)
{
  g_return_val_if_fail (QM_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}
