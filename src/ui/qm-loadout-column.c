/* qm-loadout-column.c: one character's loadouts in the Loadouts view
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadouts"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-loadout-column.h"

#include "qm-loadout-row.h"

struct _QmLoadoutColumn
{
  GtkWidget    parent_instance;

  char        *character_id;
  QmInventory *inventory;
  QmIconCache *icons;
  GtkLabel    *title;
  GtkListBox  *list;
};

G_DEFINE_FINAL_TYPE (QmLoadoutColumn, qm_loadout_column, GTK_TYPE_WIDGET)

static void
qm_loadout_column_dispose (GObject *object)
{
  QmLoadoutColumn *self = QM_LOADOUT_COLUMN (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->inventory);
  g_clear_object (&self->icons);
  G_OBJECT_CLASS (qm_loadout_column_parent_class)->dispose (object);
}

static void
qm_loadout_column_finalize (GObject *object)
{
  g_free (QM_LOADOUT_COLUMN (object)->character_id);
  G_OBJECT_CLASS (qm_loadout_column_parent_class)->finalize (object);
}

static void
qm_loadout_column_class_init (QmLoadoutColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_loadout_column_dispose;
  object_class->finalize = qm_loadout_column_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loadoutcolumn");
}

static void
qm_loadout_column_init (QmLoadoutColumn *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-4");
  gtk_widget_set_parent (GTK_WIDGET (self->title), GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));
}

GtkWidget *
qm_loadout_column_new (const char *character_id)
{
  QmLoadoutColumn *self;

  g_return_val_if_fail (character_id != NULL, NULL);

  self = g_object_new (QM_TYPE_LOADOUT_COLUMN, NULL);
  self->character_id = g_strdup (character_id);
  return GTK_WIDGET (self);
}

const char *
qm_loadout_column_get_character_id (QmLoadoutColumn *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_COLUMN (self), NULL);
  return self->character_id;
}

void
qm_loadout_column_set_title (QmLoadoutColumn *self,
                             const char      *title)
{
  g_return_if_fail (QM_IS_LOADOUT_COLUMN (self));
  gtk_label_set_text (self->title, title);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  QmLoadoutColumn *self = user_data;

  return qm_loadout_row_new (QM_LOADOUT (item), self->inventory, self->icons);
}

void
qm_loadout_column_set_loadouts (QmLoadoutColumn *self,
                                GListModel      *model,
                                QmInventory     *inventory,
                                QmIconCache     *icons)
{
  g_return_if_fail (QM_IS_LOADOUT_COLUMN (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  g_set_object (&self->inventory, inventory);
  g_set_object (&self->icons, icons);
  gtk_list_box_bind_model (self->list, inventory != NULL ? model : NULL, create_row_cb, self, NULL);
}

GtkListBox *
qm_loadout_column_get_list (QmLoadoutColumn *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_COLUMN (self), NULL);
  return self->list;
}

void
qm_loadout_column_add_section (QmLoadoutColumn *self,
                               GtkWidget       *section)
{
  g_return_if_fail (QM_IS_LOADOUT_COLUMN (self));
  g_return_if_fail (GTK_IS_WIDGET (section));

  gtk_widget_set_parent (section, GTK_WIDGET (self));
}
