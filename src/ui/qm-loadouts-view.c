/* qm-loadouts-view.c: the Loadouts view, beside Inventory and Xûr
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadouts"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "qm-loadouts-view.h"

#include "qm-loadout-apply.h"
#include "qm-loadout-manager.h"
#include "qm-saved-loadouts-panel.h"

struct _QmLoadoutsView
{
  GtkWidget         parent_instance;

  QmSession        *session;
  QmLoadoutManager *manager;
  QmIconCache      *icons;
  GHashTable       *columns;      /* character id → QmLoadoutColumn */
  gboolean          loaded_once;

  AdwToastOverlay  *toasts;
  GtkStack         *stack;
  AdwStatusPage    *status_page;
  GtkBox           *columns_box;

  /* Our own loadouts, below the in-game ones, for the account shown. */
  QmSavedLoadoutsPanel *saved;
  char             *saved_membership;

  /* The dialog open and what it is for. */
  GtkWidget        *dialog;
  char             *dialog_character;
  GtkDropDown      *slot_choice;     /* save only */
  GtkDropDown      *name_choice;
  GtkFlowBox       *color_choice;
  GtkFlowBox       *icon_choice;
  GArray           *name_hashes;     /* guint32, the name choices' order */
};

G_DEFINE_FINAL_TYPE (QmLoadoutsView, qm_loadouts_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_COLUMN_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------
 * Showing the loadouts
 * ------------------------------------------------------------------------ */

static QmInventory *
shown_inventory (QmLoadoutsView *self)
{
  return self->session != NULL ? qm_session_get_inventory (self->session) : NULL;
}

/* The saved loadouts follow the account shown: its file and its move queue. */
static void
update_saved (QmLoadoutsView *self)
{
  QmInventory *inventory = shown_inventory (self);
  const char *membership = inventory != NULL ?
                           qm_profile_get_membership_id (qm_inventory_get_profile (inventory)) : NULL;

  qm_saved_loadouts_panel_set_executor (self->saved, inventory != NULL ?
                                        qm_session_get_executor (self->session) : NULL);
  if (g_strcmp0 (membership, self->saved_membership) != 0)
    {
      g_autoptr(QmLoadoutStore) store = membership != NULL ?
                                        qm_loadout_store_new_for_membership (membership) : NULL;

      g_free (self->saved_membership);
      self->saved_membership = g_strdup (membership);
      qm_saved_loadouts_panel_set_store (self->saved, store);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->saved), inventory != NULL);
}

static void
update_columns (QmLoadoutsView *self)
{
  QmLoadouts *loadouts = self->manager != NULL ? qm_loadout_manager_get_loadouts (self->manager) : NULL;
  QmInventory *inventory = shown_inventory (self);
  const char * const *ids;

  if (loadouts == NULL || inventory == NULL)
    {
      GHashTableIter iter;
      gpointer column;

      g_hash_table_iter_init (&iter, self->columns);
      while (g_hash_table_iter_next (&iter, NULL, &column))
        qm_loadout_column_set_loadouts (column, NULL, NULL, NULL);
      return;
    }

  ids = qm_loadouts_get_character_ids (loadouts);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      QmLoadoutColumn *column = g_hash_table_lookup (self->columns, ids[i]);
      const QmCharacter *character = qm_profile_find_character (qm_inventory_get_profile (inventory), ids[i]);

      if (column == NULL)
        {
          column = QM_LOADOUT_COLUMN (qm_loadout_column_new (ids[i]));
          g_hash_table_insert (self->columns, g_strdup (ids[i]), column);
          gtk_box_insert_child_after (self->columns_box, GTK_WIDGET (column),
                                      gtk_widget_get_prev_sibling (GTK_WIDGET (self->saved)));
          g_signal_emit (self, signals[SIGNAL_COLUMN_ADDED], 0, column);
        }
      qm_loadout_column_set_title (column, qm_class_type_display_name (character != NULL ?
                                                                       character->class_type : 3));
      qm_loadout_column_set_loadouts (column, qm_loadouts_get_for_character (loadouts, ids[i]),
                                      inventory, self->icons);
    }
  gtk_stack_set_visible_child_name (self->stack, "loadouts");
}

static void
on_loadouts_cb (QmLoadoutManager *manager,
                GParamSpec       *pspec,
                QmLoadoutsView   *self)
{
  update_columns (self);
}

static void
on_inventory_changed_cb (QmSession      *session,
                         QmLoadoutsView *self)
{
  update_saved (self);
  /* Another account (or a sign-in again): its loadouts are read when shown. */
  if (qm_loadout_manager_get_loadouts (self->manager) == NULL && shown_inventory (self) != NULL &&
      !qm_loadout_manager_get_busy (self->manager))
    {
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        qm_loadouts_view_refresh (self);
      else
        self->loaded_once = FALSE;
    }
  update_columns (self);
}

static void
on_busy_cb (QmLoadoutManager *manager,
            GParamSpec       *pspec,
            QmLoadoutsView   *self)
{
  gboolean busy = qm_loadout_manager_get_busy (manager);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "loadouts.equip", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "loadouts.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "loadouts.rename", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "loadouts.clear", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "loadouts.refresh", !busy);
}

static void
toast (QmLoadoutsView *self,
       const char     *text,
       guint           timeout)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
on_refreshed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(QmLoadoutsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = qm_loadout_manager_refresh_finish (QM_LOADOUT_MANAGER (source), result, &error);

  if (loadouts != NULL || self->stack == NULL)
    return;
  if (qm_loadout_manager_get_loadouts (QM_LOADOUT_MANAGER (source)) != NULL)
    {
      toast (self, error->message, 5);
      return;
    }
  adw_status_page_set_description (self->status_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
qm_loadouts_view_refresh (QmLoadoutsView *self)
{
  g_return_if_fail (QM_IS_LOADOUTS_VIEW (self));

  if (self->manager == NULL || shown_inventory (self) == NULL)
    return;
  self->loaded_once = TRUE;
  if (qm_loadout_manager_get_loadouts (self->manager) == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  qm_loadout_manager_refresh_async (self->manager, NULL, on_refreshed_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------
 * Equip and clear
 * ------------------------------------------------------------------------ */

typedef struct
{
  QmLoadoutsView *view;
  char           *done;     /* the toast on success */
} ActionData;

static void
action_data_free (ActionData *data)
{
  g_object_unref (data->view);
  g_free (data->done);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static void
on_action_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autoptr(QmLoadouts) loadouts = qm_loadout_manager_action_finish (QM_LOADOUT_MANAGER (source), result,
                                                                     &notice, &error);

  if (data->view->stack == NULL)
    return;
  if (notice != NULL)
    toast (data->view, notice, 8);
  if (loadouts != NULL)
    toast (data->view, data->done, 3);
  else if (g_error_matches (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT))
    toast (data->view, error->message, 0);   /* until dismissed: the player has to act */
  else
    toast (data->view, error->message, 8);
}

static ActionData *
action_data_new (QmLoadoutsView *self,
                 char           *done)
{
  ActionData *data = g_new0 (ActionData, 1);

  data->view = g_object_ref (self);
  data->done = done;
  return data;
}

static char *
loadout_title (QmLoadoutsView *self,
               QmLoadout      *loadout)
{
  QmManifest *manifest = qm_inventory_get_manifest (shown_inventory (self));
  QmDefinition name = { 0 };

  if (loadout != NULL && manifest != NULL && !qm_loadout_is_empty (loadout))
    name = qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_NAME, qm_loadout_get_name_hash (loadout));
  if (name.known)
    return g_strdup (name.name);
  /* Translators: an unnamed in-game loadout, by its slot number */
  return g_strdup_printf (_("Loadout %d"), loadout != NULL ? qm_loadout_get_index (loadout) + 1 : 0);
}

static QmLoadout *
find_loadout (QmLoadoutsView *self,
              const char     *character_id,
              int             index)
{
  QmLoadouts *loadouts = self->manager != NULL ? qm_loadout_manager_get_loadouts (self->manager) : NULL;

  return loadouts != NULL ? qm_loadouts_get_loadout (loadouts, character_id, index) : NULL;
}

static void
equip_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  QmLoadoutsView *self = QM_LOADOUTS_VIEW (widget);
  const char *character_id;
  g_autofree char *title = NULL;
  int index;

  g_variant_get (parameter, "(&si)", &character_id, &index);
  if (self->manager == NULL)
    return;
  title = loadout_title (self, find_loadout (self, character_id, index));
  qm_loadout_manager_equip_async (self->manager, character_id, index, NULL, on_action_done_cb,
                                  /* Translators: the loadout's name */
                                  action_data_new (self, g_strdup_printf (_("“%s” equipped"), title)));
}

/* Forget the dialog; @destroy it too (otherwise it is closing itself). */
static void
close_dialog (QmLoadoutsView *self,
              gboolean        destroy)
{
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dialog, self);
      if (destroy)
        gtk_window_destroy (GTK_WINDOW (self->dialog));
    }
  g_clear_object (&self->dialog);
  g_clear_pointer (&self->dialog_character, g_free);
  g_clear_pointer (&self->name_hashes, g_array_unref);
  self->slot_choice = NULL;
  self->name_choice = NULL;
  self->color_choice = NULL;
  self->icon_choice = NULL;
}

static void
on_clear_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      QmLoadoutsView   *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "index"));
  g_autofree char *character_id = g_strdup (self->dialog_character);

  close_dialog (self, FALSE);
  if (g_strcmp0 (response, "clear") != 0 || self->manager == NULL)
    return;
  qm_loadout_manager_clear_async (self->manager, character_id, index, NULL, on_action_done_cb,
                                  /* Translators: the slot's number */
                                  action_data_new (self, g_strdup_printf (_("Loadout %d cleared"), index + 1)));
}

static GtkWindow *
parent_window (QmLoadoutsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  QmLoadoutsView *self = QM_LOADOUTS_VIEW (widget);
  const char *character_id;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  int index;

  g_variant_get (parameter, "(&si)", &character_id, &index);
  close_dialog (self, TRUE);
  title = loadout_title (self, find_loadout (self, character_id, index));
  /* Translators: the loadout's name */
  heading = g_strdup_printf (_("Clear “%s”?"), title);
  dialog = adw_message_dialog_new (parent_window (self), heading,
                                   _("The slot is emptied in the game. Its items stay where they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "index", GINT_TO_POINTER (index));
  self->dialog = g_object_ref_sink (dialog);
  self->dialog_character = g_strdup (character_id);
  g_signal_connect (dialog, "response", G_CALLBACK (on_clear_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------
 * Save as our loadout: the in-game loadout's items, under a name
 * ------------------------------------------------------------------------ */

static void
on_save_ours_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          QmLoadoutsView   *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "index"));
  g_autofree char *character_id = g_strdup (self->dialog_character);
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))));
  QmLoadoutStore *store = qm_saved_loadouts_panel_get_store (self->saved);
  QmMoveExecutor *executor = self->session != NULL ? qm_session_get_executor (self->session) : NULL;
  QmLoadout *loadout = find_loadout (self, character_id, index);
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  const char * const *item_ids;
  guint64 character = 0;
  int class_type = QM_MOVE_CLASS_ANY;
  int owner;

  close_dialog (self, FALSE);
  if (g_strcmp0 (response, "save") != 0 || loadout == NULL || store == NULL || executor == NULL)
    return;
  state = qm_move_executor_dup_state (executor);
  g_ascii_string_to_unsigned (character_id, 10, 1, G_MAXUINT64, &character, NULL);
  owner = state != NULL ? qm_move_state_find_character (state, character) : -1;
  if (owner < 0)
    return;

  ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  item_ids = qm_loadout_get_item_ids (loadout);
  for (guint i = 0; item_ids != NULL && item_ids[i] != NULL; i++)
    {
      guint64 id;

      if (g_ascii_string_to_unsigned (item_ids[i], 10, 1, G_MAXUINT64, &id, NULL))
        g_array_append_val (ids, id);
    }
  items = qm_loadout_items_from_instances (state, (const guint64 *) (gpointer) ids->data, ids->len, TRUE);
  /* Class items (armour) make it the character's class's loadout. */
  for (guint i = 0; i < items->len; i++)
    {
      int found = qm_move_state_find_instance (state, g_array_index (items, QmLoadoutItem, i).instance_id);

      if (found >= 0 && g_array_index (state->items, QmMoveItem, found).class_type != QM_MOVE_CLASS_ANY)
        class_type = state->characters[owner].class_type;
    }
  if (qm_loadout_store_create (store, g_strstrip (name), class_type,
                               (const QmLoadoutItem *) (gpointer) items->data, items->len, &error) == NULL)
    {
      toast (self, error->message, 8);
      return;
    }
  /* Translators: the saved loadout's name */
  done = g_strdup_printf (_("“%s” added to Saved Loadouts"), name);
  toast (self, done, 3);
}

static void
save_ours_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  QmLoadoutsView *self = QM_LOADOUTS_VIEW (widget);
  const char *character_id;
  g_autofree char *title = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;
  QmLoadout *loadout;
  int index;

  g_variant_get (parameter, "(&si)", &character_id, &index);
  loadout = find_loadout (self, character_id, index);
  if (loadout == NULL || qm_loadout_is_empty (loadout) || qm_saved_loadouts_panel_get_store (self->saved) == NULL)
    return;
  close_dialog (self, TRUE);
  title = loadout_title (self, loadout);
  dialog = adw_message_dialog_new (parent_window (self), _("Save as Our Loadout"),
                                   _("Its items are kept in Saved Loadouts, to be applied to any character of a fitting class."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), title);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "index", GINT_TO_POINTER (index));
  self->dialog = g_object_ref_sink (dialog);
  self->dialog_character = g_strdup (character_id);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_ours_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------
 * Save current gear here, and rename: slot, name, colour, icon
 * ------------------------------------------------------------------------ */

/* The choices of @table in the game's order (the definitions' index). */
static GArray *
choices (QmManifest *manifest,
         QmTable     table)
{
  GArray *defs = g_array_new (FALSE, FALSE, sizeof (QmDefinition));
  guint n = manifest != NULL ? qm_manifest_get_n_definitions (manifest, table) : 0;

  for (guint i = 0; i < n; i++)
    {
      QmDefinition def = qm_manifest_get_definition_at (manifest, table, i);

      if (def.known)
        g_array_append_val (defs, def);
    }
  for (guint i = 1; i < defs->len; i++)
    for (guint j = i; j > 0 && g_array_index (defs, QmDefinition, j - 1).value >
                               g_array_index (defs, QmDefinition, j).value; j--)
      {
        QmDefinition swap = g_array_index (defs, QmDefinition, j);

        g_array_index (defs, QmDefinition, j) = g_array_index (defs, QmDefinition, j - 1);
        g_array_index (defs, QmDefinition, j - 1) = swap;
      }
  return defs;
}

static GtkFlowBox *
image_choice (QmLoadoutsView *self,
              QmManifest     *manifest,
              QmTable         table,
              guint32         current,
              const char     *accessible_name)
{
  g_autoptr(GArray) defs = choices (manifest, table);
  GtkFlowBox *flow = GTK_FLOW_BOX (gtk_flow_box_new ());

  gtk_flow_box_set_selection_mode (flow, GTK_SELECTION_SINGLE);
  gtk_flow_box_set_min_children_per_line (flow, 4);
  gtk_flow_box_set_max_children_per_line (flow, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name, -1);
  for (guint i = 0; i < defs->len; i++)
    {
      const QmDefinition *def = &g_array_index (defs, QmDefinition, i);
      GtkWidget *picture = gtk_picture_new ();
      GtkWidget *child = gtk_flow_box_child_new ();
      GdkPaintable *paintable = def->icon != NULL && self->icons != NULL ?
                                qm_icon_cache_lookup (self->icons, def->icon) : NULL;

      gtk_picture_set_paintable (GTK_PICTURE (picture), paintable);
      gtk_widget_set_size_request (picture, 32, 32);
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), picture);
      g_object_set_data (G_OBJECT (child), "hash", GUINT_TO_POINTER (def->hash));
      gtk_flow_box_insert (flow, child, -1);
      if (def->hash == current || (current == 0 && i == 0))
        gtk_flow_box_select_child (flow, GTK_FLOW_BOX_CHILD (child));
    }
  return flow;
}

static guint32
chosen_image (GtkFlowBox *flow)
{
  GList *selected = flow != NULL ? gtk_flow_box_get_selected_children (flow) : NULL;
  guint32 hash = selected != NULL ? GPOINTER_TO_UINT (g_object_get_data (selected->data, "hash")) : 0;

  g_list_free (selected);
  return hash;
}

/* "Loadout 4 (empty)" or "Replace loadout 2". */
static char *
slot_label (QmLoadout *loadout)
{
  int number = qm_loadout_get_index (loadout) + 1;

  if (qm_loadout_is_empty (loadout))
    /* Translators: an empty in-game loadout slot */
    return g_strdup_printf (_("Loadout %d (empty)"), number);
  /* Translators: a taken in-game loadout slot */
  return g_strdup_printf (_("Replace loadout %d"), number);
}

static void
on_slot_chosen_cb (GtkDropDown    *slot_choice,
                   GParamSpec     *pspec,
                   QmLoadoutsView *self)
{
  QmLoadout *loadout = find_loadout (self, self->dialog_character, (int) gtk_drop_down_get_selected (slot_choice));
  g_autofree char *label = NULL;

  if (self->dialog == NULL || loadout == NULL)
    return;
  label = qm_loadout_is_empty (loadout) ? g_strdup (_("_Save")) :
          /* Translators: the slot's number */
          g_strdup_printf (_("_Replace Loadout %d"), qm_loadout_get_index (loadout) + 1);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self->dialog), "save", label);
}

static void
on_identifiers_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            QmLoadoutsView   *self)
{
  gboolean save = self->slot_choice != NULL;
  int index = save ? (int) gtk_drop_down_get_selected (self->slot_choice)
                   : GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "index"));
  guint name_index = gtk_drop_down_get_selected (self->name_choice);
  guint32 name = name_index < self->name_hashes->len ? g_array_index (self->name_hashes, guint32, name_index) : 0;
  guint32 color = chosen_image (self->color_choice);
  guint32 icon = chosen_image (self->icon_choice);
  g_autofree char *character_id = g_strdup (self->dialog_character);

  close_dialog (self, FALSE);
  if (g_strcmp0 (response, "save") != 0 || self->manager == NULL)
    return;
  if (save)
    qm_loadout_manager_snapshot_async (self->manager, character_id, index, name, color, icon, NULL,
                                       on_action_done_cb,
                                       /* Translators: the slot's number */
                                       action_data_new (self, g_strdup_printf (_("Current gear saved in loadout %d"),
                                                                               index + 1)));
  else
    qm_loadout_manager_update_async (self->manager, character_id, index, name, color, icon, NULL,
                                     on_action_done_cb,
                                     /* Translators: the slot's number */
                                     action_data_new (self, g_strdup_printf (_("Loadout %d changed"), index + 1)));
}

static GtkWidget *
labelled (const char *label,
          GtkWidget  *child)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new_with_mnemonic (label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), child);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), child);
  return box;
}

static void
open_identifiers_dialog (QmLoadoutsView *self,
                         const char     *character_id,
                         int             index,
                         gboolean        save)
{
  QmInventory *inventory = shown_inventory (self);
  QmManifest *manifest = inventory != NULL ? qm_inventory_get_manifest (inventory) : NULL;
  QmLoadouts *loadouts = self->manager != NULL ? qm_loadout_manager_get_loadouts (self->manager) : NULL;
  QmLoadout *loadout = find_loadout (self, character_id, index);
  g_autoptr(GArray) names = NULL;
  g_autoptr(GtkStringList) name_strings = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *box;
  guint selected_name = 0;

  if (loadouts == NULL || loadout == NULL)
    return;
  close_dialog (self, TRUE);
  self->dialog_character = g_strdup (character_id);
  dialog = adw_message_dialog_new (parent_window (self),
                                   save ? _("Save Current Gear") : _("Rename Loadout"),
                                   save ? _("The game saves what the character wears now, with its mods and "
                                            "cosmetics, into the slot.") : NULL);
  self->dialog = g_object_ref_sink (dialog);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  if (save)
    {
      GListModel *model = qm_loadouts_get_for_character (loadouts, character_id);
      g_autoptr(GtkStringList) slots = gtk_string_list_new (NULL);
      int first_empty = qm_loadouts_first_empty (loadouts, character_id);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(QmLoadout) slot = g_list_model_get_item (model, i);
          g_autofree char *label = slot_label (slot);

          gtk_string_list_append (slots, label);
        }
      self->slot_choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (slots)), NULL));
      gtk_drop_down_set_selected (self->slot_choice,
                                  qm_loadout_is_empty (loadout) || first_empty < 0 ? (guint) index : (guint) first_empty);
      gtk_box_append (GTK_BOX (box), labelled (_("_Slot"), GTK_WIDGET (self->slot_choice)));
    }

  names = choices (manifest, QM_TABLE_LOADOUT_NAME);
  self->name_hashes = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < names->len; i++)
    {
      const QmDefinition *def = &g_array_index (names, QmDefinition, i);

      gtk_string_list_append (name_strings, def->name);
      g_array_append_val (self->name_hashes, def->hash);
      if (def->hash == qm_loadout_get_name_hash (loadout))
        selected_name = i;
    }
  self->name_choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (name_strings)), NULL));
  gtk_drop_down_set_selected (self->name_choice, selected_name);
  gtk_box_append (GTK_BOX (box), labelled (_("_Name"), GTK_WIDGET (self->name_choice)));
  self->color_choice = image_choice (self, manifest, QM_TABLE_LOADOUT_COLOR,
                                     qm_loadout_get_color_hash (loadout), _("Colour"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Colour"), GTK_WIDGET (self->color_choice)));
  self->icon_choice = image_choice (self, manifest, QM_TABLE_LOADOUT_ICON,
                                    qm_loadout_get_icon_hash (loadout), _("Icon"));
  gtk_box_append (GTK_BOX (box), labelled (_("_Icon"), GTK_WIDGET (self->icon_choice)));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", save ? _("_Save") : _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "index", GINT_TO_POINTER (index));
  if (save)
    {
      g_signal_connect (self->slot_choice, "notify::selected", G_CALLBACK (on_slot_chosen_cb), self);
      on_slot_chosen_cb (self->slot_choice, NULL, self);
    }
  g_signal_connect (dialog, "response", G_CALLBACK (on_identifiers_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  const char *character_id;
  int index;

  g_variant_get (parameter, "(&si)", &character_id, &index);
  open_identifiers_dialog (QM_LOADOUTS_VIEW (widget), character_id, index, TRUE);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  const char *character_id;
  int index;

  g_variant_get (parameter, "(&si)", &character_id, &index);
  open_identifiers_dialog (QM_LOADOUTS_VIEW (widget), character_id, index, FALSE);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  qm_loadouts_view_refresh (QM_LOADOUTS_VIEW (widget));
}

/* ------------------------------------------------------------------------
 * The widget
 * ------------------------------------------------------------------------ */

static void
disconnect_session (QmLoadoutsView *self)
{
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->manager);
  g_clear_object (&self->session);
  if (self->saved != NULL)
    {
      qm_saved_loadouts_panel_set_executor (self->saved, NULL);
      qm_saved_loadouts_panel_set_store (self->saved, NULL);
    }
  g_clear_pointer (&self->saved_membership, g_free);
}

static void
qm_loadouts_view_map (GtkWidget *widget)
{
  QmLoadoutsView *self = QM_LOADOUTS_VIEW (widget);

  GTK_WIDGET_CLASS (qm_loadouts_view_parent_class)->map (widget);
  /* The first time it is shown: read the loadouts. */
  if (!self->loaded_once)
    qm_loadouts_view_refresh (self);
}

static void
qm_loadouts_view_dispose (GObject *object)
{
  QmLoadoutsView *self = QM_LOADOUTS_VIEW (object);

  close_dialog (self, TRUE);
  disconnect_session (self);
  g_clear_object (&self->icons);
  if (self->toasts != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->toasts));
  self->toasts = NULL;
  self->stack = NULL;
  self->saved = NULL;
  G_OBJECT_CLASS (qm_loadouts_view_parent_class)->dispose (object);
}

static void
qm_loadouts_view_finalize (GObject *object)
{
  g_hash_table_unref (QM_LOADOUTS_VIEW (object)->columns);
  G_OBJECT_CLASS (qm_loadouts_view_parent_class)->finalize (object);
}

static void
qm_loadouts_view_class_init (QmLoadoutsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_loadouts_view_dispose;
  object_class->finalize = qm_loadouts_view_finalize;
  widget_class->map = qm_loadouts_view_map;

  signals[SIGNAL_COLUMN_ADDED] =
    g_signal_new ("column-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, QM_TYPE_LOADOUT_COLUMN);

  gtk_widget_class_install_action (widget_class, "loadouts.equip", "(si)", equip_action);
  gtk_widget_class_install_action (widget_class, "loadouts.save", "(si)", save_action);
  gtk_widget_class_install_action (widget_class, "loadouts.rename", "(si)", rename_action);
  gtk_widget_class_install_action (widget_class, "loadouts.clear", "(si)", clear_action);
  gtk_widget_class_install_action (widget_class, "loadouts.save-ours", "(si)", save_ours_action);
  gtk_widget_class_install_action (widget_class, "loadouts.refresh", NULL, refresh_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loadoutsview");
}

static void
qm_loadouts_view_init (QmLoadoutsView *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Try Again"));

  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  self->stack = GTK_STACK (gtk_stack_new ());
  self->columns_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  gtk_widget_set_margin_top (GTK_WIDGET (self->columns_box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->columns_box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->columns_box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->columns_box), 12);
  self->saved = QM_SAVED_LOADOUTS_PANEL (qm_saved_loadouts_panel_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->saved), FALSE);
  gtk_box_append (self->columns_box, GTK_WIDGET (self->saved));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->columns_box));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);

  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  self->status_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->status_page, _("The Loadouts Could Not Be Read"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "loadouts.refresh");
  gtk_widget_set_halign (retry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (retry, "pill");
  adw_status_page_set_child (self->status_page, retry);

  gtk_stack_add_named (self->stack, spinner, "loading");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->status_page), "error");
  gtk_stack_add_named (self->stack, scrolled, "loadouts");
  gtk_stack_set_visible_child_name (self->stack, "loading");
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->stack));
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
}

GtkWidget *
qm_loadouts_view_new (void)
{
  return g_object_new (QM_TYPE_LOADOUTS_VIEW, NULL);
}

void
qm_loadouts_view_set_session (QmLoadoutsView *self,
                              QmSession      *session,
                              QmIconCache    *icons)
{
  g_return_if_fail (QM_IS_LOADOUTS_VIEW (self));
  g_return_if_fail (session == NULL || QM_IS_SESSION (session));

  g_set_object (&self->icons, icons);
  if (session == self->session)
    {
      update_columns (self);
      return;
    }
  disconnect_session (self);
  if (session == NULL)
    return;
  self->session = g_object_ref (session);
  self->manager = g_object_ref (qm_session_get_loadout_manager (session));
  g_signal_connect (self->manager, "notify::loadouts", G_CALLBACK (on_loadouts_cb), self);
  g_signal_connect (self->manager, "notify::busy", G_CALLBACK (on_busy_cb), self);
  g_signal_connect (self->session, "inventory-changed", G_CALLBACK (on_inventory_changed_cb), self);
  on_busy_cb (self->manager, NULL, self);
  update_saved (self);
  update_columns (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    qm_loadouts_view_refresh (self);
}

/**
 * qm_loadouts_view_get_column:
 *
 * Returns: (transfer none) (nullable): the character's column
 */
QmLoadoutColumn *
qm_loadouts_view_get_column (QmLoadoutsView *self,
                             const char     *character_id)
{
  g_return_val_if_fail (QM_IS_LOADOUTS_VIEW (self), NULL);
  return g_hash_table_lookup (self->columns, character_id);
}

/**
 * qm_loadouts_view_get_saved_panel:
 *
 * Returns: (transfer none): the saved loadouts of the account shown
 */
QmSavedLoadoutsPanel *
qm_loadouts_view_get_saved_panel (QmLoadoutsView *self)
{
  g_return_val_if_fail (QM_IS_LOADOUTS_VIEW (self), NULL);
  return self->saved;
}

GtkWidget *
qm_loadouts_view_get_dialog (QmLoadoutsView *self)
{
  g_return_val_if_fail (QM_IS_LOADOUTS_VIEW (self), NULL);
  return self->dialog;
}
