/* qm-loadout-row.c: one in-game loadout slot in the Loadouts view
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadouts"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-loadout-row.h"

#include "qm-item-tile.h"

#define BADGE_SIZE 40

struct _QmLoadoutRow
{
  GtkListBoxRow    parent_instance;

  QmLoadout       *loadout;
  QmInventory     *inventory;
  QmIconCache     *icons;
  gulong           icons_handler;
  QmLoadoutStatus  status;
  char            *color_path;
  char            *icon_path;

  GtkPicture      *color_picture;
  GtkPicture      *icon_picture;
  GtkLabel        *status_label;
};

G_DEFINE_FINAL_TYPE (QmLoadoutRow, qm_loadout_row, GTK_TYPE_LIST_BOX_ROW)

static void
set_picture (GtkPicture  *picture,
             QmIconCache *icons,
             const char  *path)
{
  GdkPaintable *paintable = icons != NULL && path != NULL ? qm_icon_cache_lookup (icons, path) : NULL;

  gtk_picture_set_paintable (picture, paintable);
}

static void
on_icon_loaded_cb (QmIconCache  *icons,
                   const char   *path,
                   QmLoadoutRow *self)
{
  if (g_strcmp0 (path, self->color_path) == 0)
    set_picture (self->color_picture, icons, path);
  if (g_strcmp0 (path, self->icon_path) == 0)
    set_picture (self->icon_picture, icons, path);
}

static void
qm_loadout_row_dispose (GObject *object)
{
  QmLoadoutRow *self = QM_LOADOUT_ROW (object);

  if (self->icons != NULL)
    g_clear_signal_handler (&self->icons_handler, self->icons);
  g_clear_object (&self->icons);
  g_clear_object (&self->loadout);
  g_clear_object (&self->inventory);
  G_OBJECT_CLASS (qm_loadout_row_parent_class)->dispose (object);
}

static void
qm_loadout_row_finalize (GObject *object)
{
  QmLoadoutRow *self = QM_LOADOUT_ROW (object);

  g_free (self->color_path);
  g_free (self->icon_path);
  G_OBJECT_CLASS (qm_loadout_row_parent_class)->finalize (object);
}

static void
qm_loadout_row_class_init (QmLoadoutRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_loadout_row_dispose;
  object_class->finalize = qm_loadout_row_finalize;
}

static void
qm_loadout_row_init (QmLoadoutRow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "loadout-row");
}

static GtkWidget *
action_button (QmLoadoutRow *self,
               const char   *label,
               const char   *action)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(si)",
                                    qm_loadout_get_character_id (self->loadout),
                                    qm_loadout_get_index (self->loadout));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static GtkWidget *
menu_button (QmLoadoutRow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  const struct { const char *label; const char *action; } entries[] = {
    { N_("_Save Current Gear Here…"), "loadouts.save" },
    { N_("_Rename…"), "loadouts.rename" },
    { N_("Save as _Our Loadout…"), "loadouts.save-ours" },
    { N_("_Clear…"), "loadouts.clear" },
  };
  GtkWidget *button = gtk_menu_button_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(entries[i].label), NULL);

      g_menu_item_set_action_and_target (item, entries[i].action, "(si)",
                                         qm_loadout_get_character_id (self->loadout),
                                         qm_loadout_get_index (self->loadout));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("More actions"));
  return button;
}

static char *
status_text (QmLoadoutStatus status,
             guint           n_missing)
{
  switch (status)
    {
    case QM_LOADOUT_STATUS_EQUIPPED:
      return g_strdup (_("Equipped"));
    case QM_LOADOUT_STATUS_READY:
      return g_strdup (_("Ready"));
    case QM_LOADOUT_STATUS_MISSING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item missing", "%u items missing", n_missing),
                              n_missing);
    case QM_LOADOUT_STATUS_EMPTY:
    default:
      return g_strdup (_("Empty slot"));
    }
}

/* A placeholder tile for an item that is gone or cannot come. */
static GtkWidget *
missing_tile (const char *tooltip)
{
  GtkWidget *image = gtk_image_new_from_icon_name ("action-unavailable-symbolic");

  gtk_widget_set_size_request (image, 48, 48);
  gtk_widget_add_css_class (image, "loadout-missing");
  gtk_widget_add_css_class (image, "error");
  gtk_widget_set_tooltip_text (image, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  return image;
}

static GtkWidget *
build_items (QmLoadoutRow *self)
{
  GtkWidget *flow = gtk_flow_box_new ();
  const char * const *ids = qm_loadout_get_item_ids (self->loadout);
  QmManifest *manifest = qm_inventory_get_manifest (self->inventory);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 9);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 4);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(QmItem) item = NULL;
      QmLoadoutItemPlace place = qm_loadout_locate_item (self->loadout, self->inventory, ids[i], &item);
      GtkWidget *tile;

      if (item == NULL)
        tile = missing_tile (_("This item no longer exists"));
      else
        {
          tile = qm_item_tile_new (self->icons, manifest);
          qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
          if (place == QM_LOADOUT_ITEM_STUCK)
            {
              gtk_widget_add_css_class (tile, "loadout-stuck");
              gtk_widget_set_tooltip_text (tile, _("On another character and cannot leave it"));
            }
        }
      gtk_flow_box_insert (GTK_FLOW_BOX (flow), tile, -1);
    }
  return flow;
}

static void
build (QmLoadoutRow *self)
{
  QmManifest *manifest = qm_inventory_get_manifest (self->inventory);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *badge = gtk_overlay_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title;
  g_autofree char *status = NULL;
  g_autofree char *title_text = NULL;
  guint n_missing = 0;
  QmDefinition name = { 0 };
  gboolean empty = qm_loadout_is_empty (self->loadout);

  self->status = qm_loadout_get_status (self->loadout, self->inventory, &n_missing);
  if (manifest != NULL)
    {
      name = qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_NAME, qm_loadout_get_name_hash (self->loadout));
      self->color_path = g_strdup (qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_COLOR,
                                                               qm_loadout_get_color_hash (self->loadout)).icon);
      self->icon_path = g_strdup (qm_manifest_get_definition (manifest, QM_TABLE_LOADOUT_ICON,
                                                              qm_loadout_get_icon_hash (self->loadout)).icon);
    }

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  /* The icon on its colour. */
  self->color_picture = GTK_PICTURE (gtk_picture_new ());
  self->icon_picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->color_picture, TRUE);
  gtk_picture_set_can_shrink (self->icon_picture, TRUE);
  gtk_widget_set_size_request (badge, BADGE_SIZE, BADGE_SIZE);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "loadout-badge");
  gtk_overlay_set_child (GTK_OVERLAY (badge), GTK_WIDGET (self->color_picture));
  gtk_overlay_add_overlay (GTK_OVERLAY (badge), GTK_WIDGET (self->icon_picture));
  gtk_widget_set_visible (badge, !empty);
  set_picture (self->color_picture, self->icons, self->color_path);
  set_picture (self->icon_picture, self->icons, self->icon_path);

  /* Translators: an unnamed in-game loadout, by its slot number */
  title_text = empty ? g_strdup_printf (_("Loadout %d"), qm_loadout_get_index (self->loadout) + 1) :
               name.known ? g_strdup (name.name) :
               g_strdup_printf (_("Loadout %d"), qm_loadout_get_index (self->loadout) + 1);
  title = gtk_label_new (title_text);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  status = status_text (self->status, n_missing);
  self->status_label = GTK_LABEL (gtk_label_new (status));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                            self->status == QM_LOADOUT_STATUS_MISSING ? "warning" :
                            self->status == QM_LOADOUT_STATUS_EQUIPPED ? "success" : "dim-label");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->status_label));
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (header), badge);
  gtk_box_append (GTK_BOX (header), texts);
  if (empty)
    gtk_box_append (GTK_BOX (header), action_button (self, _("_Save Current Gear…"), "loadouts.save"));
  else
    {
      GtkWidget *equip = action_button (self, _("_Equip"), "loadouts.equip");

      if (self->status == QM_LOADOUT_STATUS_EQUIPPED)
        gtk_widget_set_tooltip_text (equip, _("Equip it again: the game also applies its mods and cosmetics"));
      gtk_box_append (GTK_BOX (header), equip);
      gtk_box_append (GTK_BOX (header), menu_button (self));
    }
  gtk_box_append (GTK_BOX (box), header);
  if (!empty)
    gtk_box_append (GTK_BOX (box), build_items (self));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status, -1);
}

GtkWidget *
qm_loadout_row_new (QmLoadout   *loadout,
                    QmInventory *inventory,
                    QmIconCache *icons)
{
  QmLoadoutRow *self;

  g_return_val_if_fail (QM_IS_LOADOUT (loadout), NULL);
  g_return_val_if_fail (QM_IS_INVENTORY (inventory), NULL);

  self = g_object_new (QM_TYPE_LOADOUT_ROW, NULL);
  self->loadout = g_object_ref (loadout);
  self->inventory = g_object_ref (inventory);
  if (icons != NULL)
    {
      self->icons = g_object_ref (icons);
      self->icons_handler = g_signal_connect (icons, "loaded", G_CALLBACK (on_icon_loaded_cb), self);
    }
  build (self);
  return GTK_WIDGET (self);
}

QmLoadout *
qm_loadout_row_get_loadout (QmLoadoutRow *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_ROW (self), NULL);
  return self->loadout;
}

QmLoadoutStatus
qm_loadout_row_get_status (QmLoadoutRow *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_ROW (self), QM_LOADOUT_STATUS_EMPTY);
  return self->status;
}

const char *
qm_loadout_row_get_status_text (QmLoadoutRow *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_ROW (self), NULL);
  return gtk_label_get_text (self->status_label);
}
