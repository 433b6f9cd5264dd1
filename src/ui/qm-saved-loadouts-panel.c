/* qm-saved-loadouts-panel.c: the saved loadouts (ours), applied and undone
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-saved-loadouts"

#include "config.h"

#include "qm-saved-loadouts-panel.h"

#include <glib/gi18n.h>

#include "qm-destiny.h"
#include "qm-loadout-apply.h"

struct _QmSavedLoadoutsPanel
{
  GtkWidget        parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkWidget       *damage_box;
  GtkLabel        *damage_label;
  GtkMenuButton   *save_button;
  GtkCheckButton  *move_others_check;
  GtkListBox      *loadout_list;
  GtkWidget       *undo_heading;
  GtkListBox      *undo_list;

  QmMoveExecutor  *executor;
  QmLoadoutStore  *store;
  QmLoadoutApply  *running;
  gulong           undo_changed_id;
  gulong           damaged_id;
};

G_DEFINE_FINAL_TYPE (QmSavedLoadoutsPanel, qm_saved_loadouts_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXECUTOR,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void rebuild (QmSavedLoadoutsPanel *self);

/* ------------------------------------------------------------------------ */

static QmMoveState *
dup_state (QmSavedLoadoutsPanel *self)
{
  return self->executor != NULL ? qm_move_executor_dup_state (self->executor) : NULL;
}

static void
toast (QmSavedLoadoutsPanel *self,
       const char           *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast_error (QmSavedLoadoutsPanel *self,
             const GError         *error)
{
  toast (self, error->message);
}

static char *
class_subtitle (QmSavedLoadout *loadout)
{
  guint n = qm_saved_loadout_get_n_items (loadout);
  int class_type = qm_saved_loadout_get_class_type (loadout);

  if (class_type == QM_MOVE_CLASS_ANY)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item · any class", "%u items · any class", n), n);
  /* Translators: the number of items, then the class */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item · %s", "%u items · %s", n), n,
                          qm_class_type_display_name (class_type));
}

/* ------------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------------ */

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            gpointer       user_data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (gtk_widget_get_ancestor (row, QM_TYPE_SAVED_LOADOUTS_PANEL));
  QmSavedLoadout *loadout = g_object_get_data (G_OBJECT (row), "qm-loadout");
  const char * const *ids;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  if (self == NULL || loadout == NULL || !G_VALUE_HOLDS (value, G_TYPE_STRV) || self->executor == NULL)
    return FALSE;
  ids = g_value_get_boxed (value);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      guint64 id;

      if (g_ascii_string_to_unsigned (ids[i], 10, 1, G_MAXUINT64, &id, NULL))
        g_array_append_val (numbers, id);
    }
  state = dup_state (self);
  items = qm_loadout_items_from_instances (state, (const guint64 *) (gpointer) numbers->data, numbers->len, TRUE);
  before = qm_saved_loadout_get_n_items (loadout);
  if (!qm_loadout_store_add_items (self->store, loadout, (const QmLoadoutItem *) (gpointer) items->data, items->len,
                                   &error))
    {
      toast_error (self, error);
      return FALSE;
    }
  {
    guint added = qm_saved_loadout_get_n_items (loadout) - before;
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u item to “%s”",
                                                          "Added %u items to “%s”", added),
                                             added, qm_saved_loadout_get_name (loadout));

    toast (self, text);
  }
  return TRUE;
}

/* The loadout's items under its row, each with a button that takes it out. */
static void
fill_items (QmSavedLoadoutsPanel *self,
            AdwExpanderRow       *row,
            QmSavedLoadout       *loadout)
{
  g_autoptr(QmMoveState) state = dup_state (self);
  GPtrArray *children = g_object_get_data (G_OBJECT (row), "qm-item-rows");

  for (guint i = 0; children != NULL && i < children->len; i++)
    adw_expander_row_remove (row, g_ptr_array_index (children, i));
  children = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (row), "qm-item-rows", children, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < qm_saved_loadout_get_n_items (loadout); i++)
    {
      const QmLoadoutItem *item = qm_saved_loadout_get_item (loadout, i);
      int index = state != NULL ? qm_move_state_find_instance (state, item->instance_id) : -1;
      guint32 hash = index >= 0 ? g_array_index (state->items, QmMoveItem, index).hash : item->hash;
      const char *name = state != NULL && state->names != NULL ?
                         g_hash_table_lookup (state->names, GUINT_TO_POINTER (hash)) : NULL;
      g_autofree char *fallback = g_strdup_printf ("%" G_GUINT64_FORMAT, item->instance_id);
      g_autofree char *target = g_strdup_printf ("%s %s", qm_saved_loadout_get_id (loadout), fallback);
      GtkWidget *child = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), name != NULL ? name : fallback);
      if (index < 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (child), _("No longer on this account"));
      else if (item->equip)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (child), _("Equipped"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Take out of the loadout"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "saved.remove-item");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_string (target));
      adw_action_row_add_suffix (ADW_ACTION_ROW (child), remove);
      adw_expander_row_add_row (row, child);
      g_ptr_array_add (children, child);
    }
}

static void
on_loadout_changed_cb (QmSavedLoadout *loadout,
                       GParamSpec     *pspec,
                       AdwExpanderRow *row)
{
  g_autofree char *subtitle = class_subtitle (loadout);
  QmSavedLoadoutsPanel *self = g_object_get_data (G_OBJECT (row), "qm-panel");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), qm_saved_loadout_get_name (loadout));
  adw_expander_row_set_subtitle (row, subtitle);
  if (self != NULL && (pspec == NULL || g_strcmp0 (pspec->name, "n-items") == 0))
    fill_items (self, row, loadout);
}

static GMenuModel *
apply_menu (QmSavedLoadoutsPanel *self,
            QmSavedLoadout       *loadout)
{
  g_autoptr(QmMoveState) state = dup_state (self);
  GMenu *menu = g_menu_new ();

  for (guint i = 0; state != NULL && i < state->n_characters; i++)
    {
      g_autofree char *target = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (!qm_saved_loadout_fits_class (loadout, state->characters[i].class_type))
        continue;
      target = g_strdup_printf ("%s %" G_GUINT64_FORMAT, qm_saved_loadout_get_id (loadout), state->characters[i].id);
      item = g_menu_item_new (qm_class_type_display_name (state->characters[i].class_type), NULL);
      g_menu_item_set_action_and_target_value (item, "saved.apply", g_variant_new_string (target));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static GMenuModel *
more_menu (QmSavedLoadout *loadout)
{
  GMenu *menu = g_menu_new ();
  const char *id = qm_saved_loadout_get_id (loadout);
  g_autofree char *rename = g_strdup_printf ("saved.rename::%s", id);
  g_autofree char *export = g_strdup_printf ("saved.export::%s", id);
  g_autofree char *remove = g_strdup_printf ("saved.delete::%s", id);

  g_menu_append (menu, _("Rename…"), rename);
  g_menu_append (menu, _("Export…"), export);
  g_menu_append (menu, _("Delete"), remove);
  return G_MENU_MODEL (menu);
}

static GtkWidget *
create_loadout_row (gpointer item,
                    gpointer user_data)
{
  QmSavedLoadoutsPanel *self = user_data;
  QmSavedLoadout *loadout = item;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *apply = gtk_menu_button_new ();
  GtkWidget *more = gtk_menu_button_new ();
  g_autoptr(GMenuModel) apply_model = apply_menu (self, loadout);
  g_autoptr(GMenuModel) more_model = more_menu (loadout);
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRV, GDK_ACTION_COPY | GDK_ACTION_MOVE);

  g_object_set_data_full (G_OBJECT (row), "qm-loadout", g_object_ref (loadout), g_object_unref);
  g_object_set_data (G_OBJECT (row), "qm-panel", self);
  on_loadout_changed_cb (loadout, NULL, ADW_EXPANDER_ROW (row));
  g_signal_connect_object (loadout, "notify::name", G_CALLBACK (on_loadout_changed_cb), row, 0);
  g_signal_connect_object (loadout, "notify::n-items", G_CALLBACK (on_loadout_changed_cb), row, 0);

  /* Translators: a button opening the list of characters to apply to */
  gtk_menu_button_set_label (GTK_MENU_BUTTON (apply), _("Apply to"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (apply), apply_model);
  gtk_widget_set_valign (apply, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (apply, _("Apply this loadout to a character"));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), apply);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), more_model);
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (more, _("More"));
  gtk_widget_add_css_class (more, "flat");
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), more);

  /* Item tiles dropped here join the loadout. */
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), NULL);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
  return row;
}

/* ------------------------------------------------------------------------
 * Undo entries and the save menu
 * ------------------------------------------------------------------------ */

static void
rebuild_undo (QmSavedLoadoutsPanel *self)
{
  g_autoptr(QmMoveState) state = dup_state (self);
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->undo_list))) != NULL)
    gtk_list_box_remove (self->undo_list, child);

  for (guint c = 0; state != NULL && self->store != NULL && c < state->n_characters; c++)
    {
      GPtrArray *stack = qm_loadout_store_get_undo (self->store, state->characters[c].id);

      for (guint i = stack != NULL ? stack->len : 0; i > 0; i--)
        {
          const QmUndoEntry *entry = g_ptr_array_index (stack, i - 1);
          g_autofree char *title = qm_undo_entry_dup_title (entry);
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (entry->time);
          g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %X") : g_strdup ("");
          /* Translators: the class, then when the loadout was applied */
          g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                                       qm_class_type_display_name (state->characters[c].class_type),
                                                       when);
          g_autofree char *target = g_strdup_printf ("%" G_GUINT64_FORMAT " %u", state->characters[c].id, i - 1);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *button = gtk_button_new_with_label (_("Undo"));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "saved.undo");
          gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (target));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          gtk_list_box_append (self->undo_list, row);
          n++;
        }
    }
  gtk_widget_set_visible (self->undo_heading, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->undo_list), n > 0);
}

static void
rebuild_save_menu (QmSavedLoadoutsPanel *self)
{
  g_autoptr(QmMoveState) state = dup_state (self);
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; state != NULL && i < state->n_characters; i++)
    {
      g_autofree char *target = g_strdup_printf ("%" G_GUINT64_FORMAT, state->characters[i].id);
      g_autoptr(GMenuItem) item = g_menu_item_new (qm_class_type_display_name (state->characters[i].class_type), NULL);

      g_menu_item_set_action_and_target_value (item, "saved.save-gear", g_variant_new_string (target));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->save_button, G_MENU_MODEL (menu));
}

static void
update_damage (QmSavedLoadoutsPanel *self)
{
  gboolean damaged = self->store != NULL && qm_loadout_store_get_damaged (self->store);

  gtk_widget_set_visible (self->damage_box, damaged);
  gtk_label_set_text (self->damage_label, damaged ? qm_loadout_store_get_damage_message (self->store) : "");
}

static void
rebuild (QmSavedLoadoutsPanel *self)
{
  gtk_list_box_bind_model (self->loadout_list, self->store != NULL ? G_LIST_MODEL (self->store) : NULL,
                           self->store != NULL ? create_loadout_row : NULL, self, NULL);
  rebuild_undo (self);
  rebuild_save_menu (self);
  update_damage (self);
}

/* ------------------------------------------------------------------------
 * Applying and undoing
 * ------------------------------------------------------------------------ */

/* One line: the counts, then each reason with its items. */
static char *
toast_text (QmLoadoutApply *apply)
{
  g_autofree char *summary = qm_loadout_apply_dup_summary (apply);
  g_auto(GStrv) lines = g_strsplit (summary, "\n", -1);
  g_autofree char *joined = g_strjoinv ("; ", lines);
  g_autofree char *escaped = g_markup_escape_text (joined, -1);
  g_autofree char *name = g_markup_escape_text (qm_loadout_apply_get_name (apply), -1);

  /* Translators: the loadout's name, then what became of its items */
  return g_strdup_printf (_("“%s”: %s"), name, escaped);
}

static void
set_running (QmSavedLoadoutsPanel *self,
             QmLoadoutApply       *apply)
{
  g_set_object (&self->running, apply);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "saved.apply", apply == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "saved.undo", apply == NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
on_applied_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(QmSavedLoadoutsPanel) self = user_data;
  QmLoadoutApply *apply = QM_LOADOUT_APPLY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = toast_text (apply);
  gboolean undo = g_object_get_data (G_OBJECT (apply), "qm-undo") != NULL;
  guint64 character = *(guint64 *) g_object_get_data (G_OBJECT (apply), "qm-character");
  AdwToast *message;

  qm_loadout_apply_run_finish (apply, result, &error);
  message = adw_toast_new (text);
  adw_toast_set_timeout (message, 10);
  /* Undo of an apply: the entry it just pushed. */
  if (!undo && self->store != NULL)
    {
      GPtrArray *stack = qm_loadout_store_get_undo (self->store, character);

      if (stack != NULL && stack->len > 0)
        {
          g_autofree char *target = g_strdup_printf ("%" G_GUINT64_FORMAT " %u", character, stack->len - 1);

          adw_toast_set_button_label (message, _("Undo"));
          adw_toast_set_action_name (message, "saved.undo");
          adw_toast_set_action_target_value (message, g_variant_new_string (target));
        }
    }
  adw_toast_overlay_add_toast (self->toast_overlay, message);
  set_running (self, NULL);
  rebuild_undo (self);
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, apply);
}

static void
run (QmSavedLoadoutsPanel *self,
     QmLoadoutApply       *apply,
     guint64               character,
     gboolean              undo)
{
  g_object_set_data_full (G_OBJECT (apply), "qm-character", g_memdup2 (&character, sizeof character), g_free);
  if (undo)
    g_object_set_data (G_OBJECT (apply), "qm-undo", GINT_TO_POINTER (1));
  set_running (self, apply);
  qm_loadout_apply_run_async (apply, NULL, on_applied_cb, g_object_ref (self));
}

static gboolean
parse_pair (const char  *text,
            char       **first,
            guint64     *second)
{
  const char *space = text != NULL ? strrchr (text, ' ') : NULL;

  if (space == NULL || !g_ascii_string_to_unsigned (space + 1, 10, 0, G_MAXUINT64, second, NULL))
    return FALSE;
  *first = g_strndup (text, (gsize) (space - text));
  return TRUE;
}

static void
on_others_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  QmSavedLoadoutsPanel *self = user_data;
  QmLoadoutApply *apply = g_object_get_data (G_OBJECT (dialog), "qm-apply");
  guint64 character = *(guint64 *) g_object_get_data (G_OBJECT (dialog), "qm-character");

  if (g_strcmp0 (response, "apply") == 0 && self->running == NULL)
    run (self, apply, character, FALSE);
}

/* "Move other items away" says what it will move before it runs. */
static void
confirm_others (QmSavedLoadoutsPanel *self,
                QmLoadoutApply       *apply,
                guint64               character,
                GArray               *others)
{
  g_autoptr(QmMoveState) state = dup_state (self);
  g_autoptr(GString) names = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < others->len; i++)
    {
      int index = qm_move_state_find_instance (state, g_array_index (others, guint64, i));
      const char *name = index >= 0 && state->names != NULL ?
                         g_hash_table_lookup (state->names,
                                              GUINT_TO_POINTER (g_array_index (state->items, QmMoveItem, index).hash)) :
                         NULL;

      g_string_append_printf (names, "%s%s", i > 0 ? "\n" : "", name != NULL ? name : "?");
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     g_dngettext (GETTEXT_PACKAGE, "Move %u Other Item to the Vault?",
                                                  "Move %u Other Items to the Vault?", others->len),
                                     others->len);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), names->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "apply", _("_Apply"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "qm-apply", g_object_ref (apply), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "qm-character", g_memdup2 (&character, sizeof character), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_others_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  g_autofree char *id = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *loadout;
  guint64 character;

  if (self->running != NULL || self->store == NULL || self->executor == NULL ||
      !parse_pair (g_variant_get_string (parameter, NULL), &id, &character))
    return;
  loadout = qm_loadout_store_find (self->store, id);
  if (loadout == NULL)
    return;
  apply = qm_loadout_apply_new (self->executor, self->store, loadout, character, &error);
  if (apply == NULL)
    {
      toast_error (self, error);
      return;
    }
  if (gtk_check_button_get_active (self->move_others_check))
    {
      g_autoptr(GArray) others = NULL;

      qm_loadout_apply_set_move_others (apply, TRUE);
      others = qm_loadout_apply_dup_others (apply);
      if (others->len > 0)
        {
          confirm_others (self, apply, character, others);
          return;
        }
    }
  run (self, apply, character, FALSE);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  g_autofree char *character_text = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  guint64 index, character;

  if (self->running != NULL || self->store == NULL || self->executor == NULL ||
      !parse_pair (g_variant_get_string (parameter, NULL), &character_text, &index) ||
      !g_ascii_string_to_unsigned (character_text, 10, 1, G_MAXUINT64, &character, NULL))
    return;
  apply = qm_loadout_apply_new_undo (self->executor, self->store, character, (guint) index, &error);
  if (apply == NULL)
    {
      toast_error (self, error);
      return;
    }
  run (self, apply, character, TRUE);
}

static void
save_gear_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  g_autoptr(QmMoveState) state = dup_state (self);
  g_autoptr(GArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint64 character_id = 0;
  int character, class_type;

  if (state == NULL || self->store == NULL ||
      !g_ascii_string_to_unsigned (g_variant_get_string (parameter, NULL), 10, 1, G_MAXUINT64, &character_id, NULL) ||
      (character = qm_move_state_find_character (state, character_id)) < 0)
    return;
  items = qm_loadout_items_from_character (state, character, &class_type);
  /* Translators: the name of a new loadout: the class's current gear */
  name = g_strdup_printf (_("%s gear"), qm_class_type_display_name (state->characters[character].class_type));
  for (int n = 2; qm_loadout_store_find (self->store, name) != NULL && n < 100; n++)
    {
      g_free (name);
      name = g_strdup_printf (_("%s gear %d"), qm_class_type_display_name (state->characters[character].class_type), n);
    }
  if (qm_loadout_store_create (self->store, name, class_type, (const QmLoadoutItem *) (gpointer) items->data,
                               items->len, &error) == NULL)
    toast_error (self, error);
}

static void
on_rename_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  QmSavedLoadoutsPanel *self = user_data;
  QmSavedLoadout *loadout = g_object_get_data (G_OBJECT (dialog), "qm-loadout");
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || self->store == NULL)
    return;
  if (!qm_loadout_store_rename (self->store, loadout, gtk_editable_get_text (entry), &error))
    toast_error (self, error);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  QmSavedLoadout *loadout = self->store != NULL ?
                            qm_loadout_store_find (self->store, g_variant_get_string (parameter, NULL)) : NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (loadout == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Rename Loadout"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), qm_saved_loadout_get_name (loadout));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "qm-loadout", g_object_ref (loadout), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  QmSavedLoadoutsPanel *self = user_data;
  QmSavedLoadout *loadout = g_object_get_data (G_OBJECT (dialog), "qm-loadout");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") == 0 && self->store != NULL &&
      !qm_loadout_store_delete (self->store, loadout, &error))
    toast_error (self, error);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  QmSavedLoadout *loadout = self->store != NULL ?
                            qm_loadout_store_find (self->store, g_variant_get_string (parameter, NULL)) : NULL;
  GtkWidget *dialog;

  if (loadout == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Delete Loadout?"), NULL);
  /* Translators: the loadout's name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("“%s” is removed from this computer. Its items stay where they are."),
                                  qm_saved_loadout_get_name (loadout));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "qm-loadout", g_object_ref (loadout), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       gpointer         user_data)
{
  QmSavedLoadoutsPanel *self = user_data;
  QmSavedLoadout *loadout = g_object_get_data (G_OBJECT (chooser), "qm-loadout");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      if (loadout != NULL)
        {
          if (!qm_loadout_store_export (self->store, loadout, path, &error))
            toast_error (self, error);
        }
      else if (qm_loadout_store_import (self->store, path, &error) == NULL)
        toast_error (self, error);
    }
  g_object_unref (chooser);
}

static void
choose_file (QmSavedLoadoutsPanel *self,
             QmSavedLoadout       *loadout)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (loadout != NULL ? _("Export Loadout") : _("Import Loadout"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         loadout != NULL ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         loadout != NULL ? _("_Export") : _("_Import"), _("_Cancel"));
  if (loadout != NULL)
    {
      g_autofree char *name = g_strconcat (qm_saved_loadout_get_name (loadout), ".json", NULL);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
      g_object_set_data_full (G_OBJECT (chooser), "qm-loadout", g_object_ref (loadout), g_object_unref);
    }
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  QmSavedLoadout *loadout = self->store != NULL ?
                            qm_loadout_store_find (self->store, g_variant_get_string (parameter, NULL)) : NULL;

  if (loadout != NULL)
    choose_file (self, loadout);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);

  if (self->store != NULL)
    choose_file (self, NULL);
}

static void
remove_item_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *loadout;
  guint64 item;

  if (self->store == NULL || !parse_pair (g_variant_get_string (parameter, NULL), &id, &item) ||
      (loadout = qm_loadout_store_find (self->store, id)) == NULL)
    return;
  if (!qm_loadout_store_remove_item (self->store, loadout, item, &error))
    toast_error (self, error);
}

static void
keep_readable_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (widget);
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && !qm_loadout_store_resolve_damage (self->store, &error))
    toast_error (self, error);
  update_damage (self);
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
on_undo_changed_cb (QmLoadoutStore       *store,
                    guint64               character,
                    QmSavedLoadoutsPanel *self)
{
  rebuild_undo (self);
}

static void
on_damaged_cb (QmLoadoutStore       *store,
               GParamSpec           *pspec,
               QmSavedLoadoutsPanel *self)
{
  update_damage (self);
}

static void
on_executor_inventory_cb (QmMoveExecutor       *executor,
                          GParamSpec           *pspec,
                          QmSavedLoadoutsPanel *self)
{
  rebuild (self);
}

static void
qm_saved_loadouts_panel_dispose (GObject *object)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (object);

  qm_saved_loadouts_panel_set_store (self, NULL);
  qm_saved_loadouts_panel_set_executor (self, NULL);
  g_clear_object (&self->running);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_SAVED_LOADOUTS_PANEL);

  G_OBJECT_CLASS (qm_saved_loadouts_panel_parent_class)->dispose (object);
}

static void
qm_saved_loadouts_panel_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_EXECUTOR:
      g_value_set_object (value, self->executor);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->running != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_saved_loadouts_panel_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  QmSavedLoadoutsPanel *self = QM_SAVED_LOADOUTS_PANEL (object);

  switch (prop_id)
    {
    case PROP_EXECUTOR:
      qm_saved_loadouts_panel_set_executor (self, g_value_get_object (value));
      break;
    case PROP_STORE:
      qm_saved_loadouts_panel_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_saved_loadouts_panel_class_init (QmSavedLoadoutsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_saved_loadouts_panel_dispose;
  object_class->get_property = qm_saved_loadouts_panel_get_property;
  object_class->set_property = qm_saved_loadouts_panel_set_property;

  properties[PROP_EXECUTOR] =
    g_param_spec_object ("executor", NULL, NULL, QM_TYPE_MOVE_EXECUTOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, QM_TYPE_LOADOUT_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, QM_TYPE_LOADOUT_APPLY);

  gtk_widget_class_install_action (widget_class, "saved.apply", "s", apply_action);
  gtk_widget_class_install_action (widget_class, "saved.undo", "s", undo_action);
  gtk_widget_class_install_action (widget_class, "saved.save-gear", "s", save_gear_action);
  gtk_widget_class_install_action (widget_class, "saved.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "saved.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "saved.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "saved.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "saved.remove-item", "s", remove_item_action);
  gtk_widget_class_install_action (widget_class, "saved.keep-readable", NULL, keep_readable_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-saved-loadouts-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, damage_box);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, damage_label);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, save_button);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, move_others_check);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, loadout_list);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, undo_heading);
  gtk_widget_class_bind_template_child (widget_class, QmSavedLoadoutsPanel, undo_list);
}

static void
qm_saved_loadouts_panel_init (QmSavedLoadoutsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  rebuild (self);
}

GtkWidget *
qm_saved_loadouts_panel_new (void)
{
  return g_object_new (QM_TYPE_SAVED_LOADOUTS_PANEL, NULL);
}

void
qm_saved_loadouts_panel_set_executor (QmSavedLoadoutsPanel *self,
                                      QmMoveExecutor       *executor)
{
  g_return_if_fail (QM_IS_SAVED_LOADOUTS_PANEL (self));
  g_return_if_fail (executor == NULL || QM_IS_MOVE_EXECUTOR (executor));

  if (self->executor == executor)
    return;
  if (self->executor != NULL)
    g_signal_handlers_disconnect_by_func (self->executor, on_executor_inventory_cb, self);
  g_set_object (&self->executor, executor);
  if (executor != NULL)
    g_signal_connect_object (executor, "notify::inventory", G_CALLBACK (on_executor_inventory_cb), self, 0);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXECUTOR]);
}

void
qm_saved_loadouts_panel_set_store (QmSavedLoadoutsPanel *self,
                                   QmLoadoutStore       *store)
{
  g_return_if_fail (QM_IS_SAVED_LOADOUTS_PANEL (self));
  g_return_if_fail (store == NULL || QM_IS_LOADOUT_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->undo_changed_id, self->store);
      g_clear_signal_handler (&self->damaged_id, self->store);
    }
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->undo_changed_id = g_signal_connect (store, "undo-changed", G_CALLBACK (on_undo_changed_cb), self);
      self->damaged_id = g_signal_connect (store, "notify::damaged", G_CALLBACK (on_damaged_cb), self);
    }
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

QmLoadoutStore *
qm_saved_loadouts_panel_get_store (QmSavedLoadoutsPanel *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUTS_PANEL (self), NULL);
  return self->store;
}

gboolean
qm_saved_loadouts_panel_get_busy (QmSavedLoadoutsPanel *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUTS_PANEL (self), FALSE);
  return self->running != NULL;
}

GtkWidget *
qm_saved_loadouts_panel_get_row (QmSavedLoadoutsPanel *self,
                                 QmSavedLoadout       *loadout)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUTS_PANEL (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->loadout_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "qm-loadout") == loadout)
      return row;
  return NULL;
}
