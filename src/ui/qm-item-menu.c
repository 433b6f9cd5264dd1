/* qm-item-menu.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-item-menu"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-item-menu.h"

#include "qm-item-details.h"
#include "qm-window.h"

#define VAULT_TARGET "vault"
#define POPUP_KEY    "qm-item-menu-popup"

/* ---------------------------------------------------------------------- */
/* The model                                                              */

static gboolean
held_by (QmItem     *item,
         const char *character_id,
         gboolean    equipped)
{
  QmItemLocation location = qm_item_get_location (item);

  if (g_strcmp0 (qm_item_get_character_id (item), character_id) != 0)
    return FALSE;
  if (equipped)
    return location == QM_ITEM_LOCATION_EQUIPPED;
  return location == QM_ITEM_LOCATION_EQUIPPED || location == QM_ITEM_LOCATION_INVENTORY;
}

static gboolean
all_held_by (GPtrArray  *items,
             const char *character_id,
             gboolean    equipped)
{
  for (guint i = 0; i < items->len; i++)
    if (!held_by (g_ptr_array_index (items, i), character_id, equipped))
      return FALSE;
  return TRUE;
}

static gboolean
all_in_vault (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      QmItemLocation location = qm_item_get_location (g_ptr_array_index (items, i));

      if (location != QM_ITEM_LOCATION_VAULT && location != QM_ITEM_LOCATION_ACCOUNT)
        return FALSE;
    }
  return TRUE;
}

/* Every item can be equipped by a character of @class_type. */
static gboolean
all_equippable_by (GPtrArray *items,
                   int        class_type)
{
  for (guint i = 0; i < items->len; i++)
    {
      QmItem *item = g_ptr_array_index (items, i);
      int item_class = qm_item_get_class_type (item);

      if (!qm_item_get_equippable (item) || (item_class != 3 && item_class != class_type))
        return FALSE;
    }
  return TRUE;
}

/* The character's name in a menu: its class, with its power when another
 * character has the same class. */
static char *
character_label (QmProfile         *profile,
                 const QmCharacter *character)
{
  guint same = 0;

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    same += qm_profile_get_character (profile, i)->class_type == character->class_type;
  if (same > 1)
    /* Translators: a character: its class, then its power */
    return g_strdup_printf (_("%s (%d)"), qm_class_type_display_name (character->class_type), character->light);
  return g_strdup (qm_class_type_display_name (character->class_type));
}

static void
append_target (GMenu      *menu,
               const char *label,
               const char *action,
               const char *target)
{
  g_autoptr(GMenuItem) entry = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (entry, action, g_variant_new_string (target));
  g_menu_append_item (menu, entry);
}

GMenuModel *
qm_item_menu_new_model (QmProfile *profile,
                        GPtrArray *items)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) places = g_menu_new ();
  g_autoptr(GMenu) move_to = g_menu_new ();
  g_autoptr(GMenu) equip_on = g_menu_new ();
  g_autoptr(GMenu) others = g_menu_new ();
  gboolean any_unlocked = FALSE;
  gboolean any_locked = FALSE;
  gboolean any_postmaster = FALSE;

  g_return_val_if_fail (QM_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  if (items->len == 0)
    return NULL;

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, i);
      g_autofree char *label = character_label (profile, character);

      if (!all_held_by (items, character->id, FALSE))
        append_target (move_to, label, "item.move-to", character->id);
      if (all_equippable_by (items, character->class_type) && !all_held_by (items, character->id, TRUE))
        append_target (equip_on, label, "item.equip-on", character->id);
    }
  if (!all_in_vault (items))
    append_target (move_to, _("Vault"), "item.move-to", VAULT_TARGET);

  if (g_menu_model_get_n_items (G_MENU_MODEL (move_to)) > 0)
    g_menu_append_submenu (places, _("Move To"), G_MENU_MODEL (move_to));
  if (g_menu_model_get_n_items (G_MENU_MODEL (equip_on)) > 0)
    g_menu_append_submenu (places, _("Equip On"), G_MENU_MODEL (equip_on));

  for (guint i = 0; i < items->len; i++)
    {
      QmItem *item = g_ptr_array_index (items, i);

      if (qm_item_get_instance_id (item) != NULL)
        {
          any_locked |= qm_item_get_locked (item);
          any_unlocked |= !qm_item_get_locked (item);
        }
      any_postmaster |= qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER;
    }
  if (any_unlocked)
    g_menu_append (others, _("Lock"), "item.lock");
  if (any_locked)
    g_menu_append (others, _("Unlock"), "item.unlock");
  if (any_postmaster)
    g_menu_append (others, _("Pull from Postmaster"), "item.pull");

  if (g_menu_model_get_n_items (G_MENU_MODEL (places)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (places));
  if (g_menu_model_get_n_items (G_MENU_MODEL (others)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (others));
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    return NULL;
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* ---------------------------------------------------------------------- */
/* The actions                                                            */

typedef struct
{
  QmMoveController *controller;
  GPtrArray        *items;
  /* Closed when an action is used (the details' popover), weak. */
  GtkWidget        *close;
} Actions;

static void
actions_free (gpointer data)
{
  Actions *actions = data;

  g_clear_object (&actions->controller);
  g_ptr_array_unref (actions->items);
  g_clear_weak_pointer (&actions->close);
  g_free (actions);
}

static void
actions_used (Actions *actions)
{
  GtkWidget *popover;

  if (actions->close == NULL)
    return;
  popover = gtk_widget_get_ancestor (actions->close, GTK_TYPE_POPOVER);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
request (Actions           *actions,
         QmMoveRequestKind  kind,
         const char        *target)
{
  g_autoptr(QmMoveController) controller = g_object_ref (actions->controller);
  g_autoptr(GPtrArray) items = g_ptr_array_ref (actions->items);
  QmMoveFlags flags = qm_move_flags_current (NULL);

  /* Closing the details may drop the group and these actions with it. */
  actions_used (actions);
  qm_move_controller_request_items (controller, kind, items, target, flags);
}

static void
move_to_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  const char *target = g_variant_get_string (parameter, NULL);

  request (user_data, QM_MOVE_REQUEST_MOVE, g_str_equal (target, VAULT_TARGET) ? NULL : target);
}

static void
equip_on_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  request (user_data, QM_MOVE_REQUEST_EQUIP, g_variant_get_string (parameter, NULL));
}

/* Lock and unlock act on the items that need it. */
static void
set_locked (Actions  *actions,
            gboolean  locked)
{
  g_autoptr(QmMoveController) controller = g_object_ref (actions->controller);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  for (guint i = 0; i < actions->items->len; i++)
    {
      QmItem *item = g_ptr_array_index (actions->items, i);

      if (qm_item_get_instance_id (item) != NULL && qm_item_get_locked (item) != locked)
        g_ptr_array_add (items, item);
    }
  for (guint i = 0; i < items->len; i++)
    g_object_ref (g_ptr_array_index (items, i));
  g_ptr_array_set_free_func (items, g_object_unref);
  actions_used (actions);
  if (items->len > 0)
    qm_move_controller_request_items (controller, locked ? QM_MOVE_REQUEST_LOCK : QM_MOVE_REQUEST_UNLOCK,
                                      items, NULL, QM_MOVE_FLAGS_NONE);
}

static void
lock_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  set_locked (user_data, TRUE);
}

static void
unlock_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  set_locked (user_data, FALSE);
}

static void
pull_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  Actions *actions = user_data;
  g_autoptr(QmMoveController) controller = g_object_ref (actions->controller);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  QmMoveFlags flags = qm_move_flags_current (NULL);

  for (guint i = 0; i < actions->items->len; i++)
    {
      QmItem *item = g_ptr_array_index (actions->items, i);

      if (qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER)
        g_ptr_array_add (items, g_object_ref (item));
    }
  actions_used (actions);
  if (items->len > 0)
    qm_move_controller_request_items (controller, QM_MOVE_REQUEST_PULL, items, NULL, flags);
}

static GActionGroup *
new_actions (QmMoveController *controller,
             GPtrArray        *items,
             GtkWidget        *close)
{
  static const GActionEntry entries[] = {
    { "move-to", move_to_activated, "s", NULL, NULL, { 0 } },
    { "equip-on", equip_on_activated, "s", NULL, NULL, { 0 } },
    { "lock", lock_activated, NULL, NULL, NULL, { 0 } },
    { "unlock", unlock_activated, NULL, NULL, NULL, { 0 } },
    { "pull", pull_activated, NULL, NULL, NULL, { 0 } },
  };
  GSimpleActionGroup *group = g_simple_action_group_new ();
  Actions *actions = g_new0 (Actions, 1);

  actions->controller = g_object_ref (controller);
  actions->items = g_ptr_array_ref (items);
  g_set_weak_pointer (&actions->close, close);
  g_object_set_data_full (G_OBJECT (group), "qm-item-actions", actions, actions_free);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), actions);
  return G_ACTION_GROUP (group);
}

GActionGroup *
qm_item_menu_new_actions (QmMoveController *controller,
                          GPtrArray        *items)
{
  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (controller), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  return new_actions (controller, items, NULL);
}

/* ---------------------------------------------------------------------- */
/* On widgets                                                             */

QmMoveController *
qm_item_menu_find_controller (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  if (!QM_IS_WINDOW (root))
    return NULL;
  return qm_window_get_move_controller (QM_WINDOW (root));
}

static QmProfile *
shown_profile (QmMoveController *controller)
{
  QmInventory *inventory = qm_session_get_inventory (qm_move_controller_get_session (controller));

  return inventory != NULL ? qm_inventory_get_profile (inventory) : NULL;
}

/* A closed menu stays on its tile until the next one opens there or the
 * tile shows another item: unparenting it as it closes, while its item's
 * action runs, left the window deaf to clicks (GTK 4.8, X11). */
static void
on_popup_closed_cb (GtkPopover *menu,
                    GtkWidget  *parent)
{
  gtk_widget_grab_focus (parent);
}

GtkWidget *
qm_item_menu_popup (GtkWidget *parent,
                    QmItem    *item,
                    double     x,
                    double     y)
{
  QmMoveController *controller;
  QmProfile *profile;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GMenuModel) model = NULL;
  g_autoptr(GSimpleActionGroup) group = NULL;
  GtkWidget *menu;
  GdkRectangle rect;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  controller = qm_item_menu_find_controller (parent);
  profile = controller != NULL ? shown_profile (controller) : NULL;
  if (profile == NULL)
    return NULL;
  items = qm_move_controller_dup_subject (controller, item);
  model = qm_item_menu_new_model (profile, items);
  if (model == NULL)
    return NULL;

  qm_item_menu_close (parent);

  menu = gtk_popover_menu_new_from_model (model);
  gtk_widget_add_css_class (menu, "item-menu");
  gtk_widget_set_parent (menu, parent);
  group = G_SIMPLE_ACTION_GROUP (qm_item_menu_new_actions (controller, items));
  gtk_widget_insert_action_group (menu, "item", G_ACTION_GROUP (group));
  gtk_popover_set_has_arrow (GTK_POPOVER (menu), FALSE);
  gtk_widget_set_halign (menu, GTK_ALIGN_START);
  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (parent) / 2.0;
      y = gtk_widget_get_height (parent) / 2.0;
    }
  rect = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (menu), &rect);
  g_object_set_data (G_OBJECT (parent), POPUP_KEY, menu);
  g_signal_connect (menu, "closed", G_CALLBACK (on_popup_closed_cb), parent);
  gtk_popover_popup (GTK_POPOVER (menu));
  return menu;
}

GtkWidget *
qm_item_menu_get_popup (GtkWidget *parent)
{
  GtkWidget *menu;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);

  menu = g_object_get_data (G_OBJECT (parent), POPUP_KEY);
  return menu != NULL && gtk_widget_get_visible (menu) ? menu : NULL;
}

void
qm_item_menu_close (GtkWidget *parent)
{
  GtkWidget *menu;

  g_return_if_fail (GTK_IS_WIDGET (parent));

  menu = g_object_steal_data (G_OBJECT (parent), POPUP_KEY);
  if (menu == NULL)
    return;
  g_signal_handlers_disconnect_by_func (menu, on_popup_closed_cb, parent);
  gtk_widget_unparent (menu);
}

void
qm_item_menu_attach_to_details (GtkWidget *source,
                                GtkWidget *details,
                                QmItem    *item)
{
  QmMoveController *controller;
  QmProfile *profile;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GMenuModel) model = NULL;
  g_autoptr(GSimpleActionGroup) group = NULL;

  g_return_if_fail (GTK_IS_WIDGET (source));
  g_return_if_fail (QM_IS_ITEM_DETAILS (details));
  g_return_if_fail (QM_IS_ITEM (item));

  controller = qm_item_menu_find_controller (source);
  profile = controller != NULL ? shown_profile (controller) : NULL;
  if (profile == NULL)
    return;
  /* The details are about one item: they act on it alone. */
  items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (items, g_object_ref (item));
  model = qm_item_menu_new_model (profile, items);
  if (model == NULL)
    return;
  group = G_SIMPLE_ACTION_GROUP (new_actions (controller, items, details));
  qm_item_details_set_actions (QM_ITEM_DETAILS (details), model, G_ACTION_GROUP (group));
}

void
qm_item_menu_toggle_lock (GtkWidget *source,
                          QmItem    *item)
{
  QmMoveController *controller;

  g_return_if_fail (GTK_IS_WIDGET (source));
  g_return_if_fail (QM_IS_ITEM (item));

  controller = qm_item_menu_find_controller (source);
  if (controller != NULL)
    qm_move_controller_toggle_lock (controller, item);
}
