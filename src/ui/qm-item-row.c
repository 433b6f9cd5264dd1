/* qm-item-row.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-item-row"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-item-row.h"

#include "qm-ui-util.h"

struct _QmItemRow
{
  GtkWidget  parent_instance;

  GtkImage  *location_icon;
  GtkLabel  *name_label;
  GtkLabel  *kind_label;
  GtkLabel  *power_label;
  GtkLabel  *location_label;
  GtkImage  *lock_icon;

  QmItem    *item;
};

G_DEFINE_FINAL_TYPE (QmItemRow, qm_item_row, GTK_TYPE_WIDGET)

static void
qm_item_row_dispose (GObject *object)
{
  QmItemRow *self = QM_ITEM_ROW (object);
  GtkWidget *child;

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_ITEM_ROW);
  /* The template's unnamed box is a direct child too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_item_row_parent_class)->dispose (object);
}

static void
qm_item_row_class_init (QmItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_item_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, location_icon);
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, power_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, location_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemRow, lock_icon);
  gtk_widget_class_set_css_name (widget_class, "qmitemrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
qm_item_row_init (QmItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
qm_item_row_new (void)
{
  return g_object_new (QM_TYPE_ITEM_ROW, NULL);
}

static char *
format_amount (QmItem *item)
{
  int power = qm_item_get_power (item);
  int quantity = qm_item_get_quantity (item);

  if (power >= 0)
    return g_strdup_printf ("%d", power);
  if (quantity > 1)
    /* Translators: how many of an item are in a stack, with the digits grouped. */
    return g_strdup_printf (_("×%'d"), quantity);
  return g_strdup ("");
}

static void
update_name (QmItemRow *self)
{
  g_autofree char *name = qm_ui_format_item_name (self->item);
  gboolean known = qm_item_get_name (self->item) != NULL;

  gtk_label_set_text (self->name_label, name);
  if (known)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
}

static void
update_kind (QmItemRow *self)
{
  g_autofree char *kind = qm_ui_format_item_kind (self->item);

  gtk_label_set_text (self->kind_label, kind != NULL ? kind : "");
  gtk_widget_set_visible (GTK_WIDGET (self->kind_label), kind != NULL);
}

static void
update_lock (QmItemRow *self)
{
  gboolean locked = qm_item_get_locked (self->item);

  /* Kept in the layout when unlocked so that the columns line up. */
  gtk_widget_set_opacity (GTK_WIDGET (self->lock_icon), locked ? 1.0 : 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->lock_icon),
                               GTK_ACCESSIBLE_STATE_HIDDEN, !locked,
                               -1);
}

static void
update_accessible_label (QmItemRow *self)
{
  g_autofree char *label = g_strdup_printf ("%s, %s",
                                            gtk_label_get_text (self->name_label),
                                            gtk_label_get_text (self->location_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
clear_row (QmItemRow *self)
{
  gtk_label_set_text (self->name_label, "");
  gtk_label_set_text (self->kind_label, "");
  gtk_label_set_text (self->power_label, "");
  gtk_label_set_text (self->location_label, "");
  gtk_image_clear (self->location_icon);
  gtk_widget_set_opacity (GTK_WIDGET (self->lock_icon), 0.0);
}

void
qm_item_row_set_item (QmItemRow *self,
                      QmItem    *item,
                      QmProfile *profile)
{
  g_autofree char *amount = NULL;
  g_autofree char *location = NULL;

  g_return_if_fail (QM_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || QM_IS_ITEM (item));

  g_set_object (&self->item, item);
  if (item == NULL)
    {
      clear_row (self);
      return;
    }

  amount = format_amount (item);
  location = qm_ui_format_location (item, profile);
  update_name (self);
  update_kind (self);
  gtk_label_set_text (self->power_label, amount);
  gtk_label_set_text (self->location_label, location);
  gtk_image_set_from_icon_name (self->location_icon,
                                qm_ui_location_icon_name (qm_item_get_location (item)));
  update_lock (self);
  update_accessible_label (self);
}

QmItem *
qm_item_row_get_item (QmItemRow *self)
{
  g_return_val_if_fail (QM_IS_ITEM_ROW (self), NULL);

  return self->item;
}

const char *
qm_item_row_get_title (QmItemRow *self)
{
  g_return_val_if_fail (QM_IS_ITEM_ROW (self), NULL);

  return gtk_label_get_text (self->name_label);
}
