/* qm-item-details.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-item-details"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-item-details.h"

#include "qm-ui-util.h"

#define PERK_ICON_SIZE 32
#define STAT_BAR_WIDTH 120

struct _QmItemDetails
{
  GtkWidget       parent_instance;

  GtkLabel       *name_label;
  GtkLabel       *kind_label;
  GtkWidget      *power_box;
  GtkLabel       *power_label;
  GtkWidget      *damage_box;
  GtkDrawingArea *damage_dot;
  GtkLabel       *damage_label;
  GtkImage       *location_icon;
  GtkLabel       *location_label;
  GtkImage       *lock_icon;
  GtkLabel       *lock_label;
  GtkGrid        *stats_grid;
  GtkBox         *perks_box;
  GtkLabel       *flavor_label;
  GtkFlowBox     *actions_box;

  QmItem         *item;
  QmIconCache    *icons;
  QmManifest     *manifest;

  const char     *tier_class;
  GdkRGBA         damage_color;
  /* Perk icons still downloading: path → the GtkImage waiting for it. */
  GHashTable     *pending_icons;
  gulong          loaded_handler;
};

G_DEFINE_FINAL_TYPE (QmItemDetails, qm_item_details, GTK_TYPE_WIDGET)

char *
qm_item_describe_location (QmItem *item)
{
  int owner_class;
  const char *class_name;

  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  owner_class = qm_item_get_owner_class (item);
  class_name = qm_ui_class_name (owner_class);
  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      if (owner_class == 3)
        return g_strdup (_("Equipped"));
      /* Translators: %s is a character's class. */
      return g_strdup_printf (_("Equipped on %s"), class_name);
    case QM_ITEM_LOCATION_INVENTORY:
      if (owner_class == 3)
        return g_strdup (_("In a character's inventory"));
      /* Translators: %s is a character's class. */
      return g_strdup_printf (_("Carried by %s"), class_name);
    case QM_ITEM_LOCATION_POSTMASTER:
      if (owner_class == 3)
        return g_strdup (_("At the postmaster"));
      /* Translators: %s is the class of the character whose postmaster holds the item. */
      return g_strdup_printf (_("At the %s's postmaster"), class_name);
    case QM_ITEM_LOCATION_VAULT:
      return g_strdup (_("In the vault"));
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return g_strdup (_("Shared by all characters"));
    }
}

static const char *
damage_color_spec (int damage_type)
{
  switch (damage_type)
    {
    case QM_DAMAGE_KINETIC:
      return "#c8c8c8";
    case QM_DAMAGE_ARC:
      return "#7aecf3";
    case QM_DAMAGE_THERMAL:
      return "#f2721b";
    case QM_DAMAGE_VOID:
      return "#b185df";
    case QM_DAMAGE_STASIS:
      return "#4d88ff";
    case QM_DAMAGE_STRAND:
      return "#35e366";
    default:
      return NULL;
    }
}

static void
draw_damage_dot (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  QmItemDetails *self = user_data;
  double radius = MIN (width, height) / 2.0;

  gdk_cairo_set_source_rgba (cr, &self->damage_color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_fill (cr);
}

static const char *
tier_css_class (int tier_type)
{
  switch (tier_type)
    {
    case 6:
      return "tier-exotic";
    case 5:
      return "tier-legendary";
    case 4:
      return "tier-rare";
    case 3:
      return "tier-uncommon";
    case 2:
      return "tier-common";
    default:
      return "tier-none";
    }
}

/* Filling the view */

static void
remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else
        gtk_box_remove (GTK_BOX (parent), child);
    }
}

static void
on_icon_loaded_cb (QmIconCache   *icons,
                   const char    *path,
                   QmItemDetails *self)
{
  GtkImage *image = g_hash_table_lookup (self->pending_icons, path);

  if (image == NULL)
    return;
  gtk_image_set_from_paintable (image, qm_icon_cache_lookup (icons, path));
  g_hash_table_remove (self->pending_icons, path);
}

static void
set_icon (QmItemDetails *self,
          GtkImage      *image,
          const char    *path)
{
  GdkPaintable *paintable;

  if (self->icons == NULL || path == NULL || *path == '\0')
    return;
  paintable = qm_icon_cache_lookup (self->icons, path);
  if (paintable != NULL)
    gtk_image_set_from_paintable (image, paintable);
  else
    g_hash_table_replace (self->pending_icons, g_strdup (path), g_object_ref (image));
}

static void
update_header (QmItemDetails *self)
{
  g_autofree char *name = qm_ui_format_item_name (self->item);
  g_autofree char *kind = qm_ui_format_item_kind (self->item);
  const char *tier_class = tier_css_class (qm_item_get_tier_type (self->item));

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->kind_label, kind != NULL ? kind : "");
  gtk_widget_set_visible (GTK_WIDGET (self->kind_label), kind != NULL);
  if (self->tier_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->kind_label), self->tier_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_label), tier_class);
  self->tier_class = tier_class;
}

/* DestinyDamageTypeDefinition is keyed by hash, the item gives the enum
 * value: the table is small, find the definition carrying that value. */
static const char *
lookup_damage_name (QmItemDetails *self,
                    int            damage_type)
{
  guint32 hash = qm_damage_type_get_hash (damage_type);

  if (self->manifest != NULL && hash != 0)
    {
      QmDefinition def = qm_manifest_get_definition (self->manifest, QM_TABLE_DAMAGE_TYPE, hash);

      if (def.known && def.value == damage_type && def.name[0] != '\0')
        return def.name;
    }
  return qm_damage_type_get_name (damage_type);
}

static void
update_power (QmItemDetails *self)
{
  int power = qm_item_get_power (self->item);
  int quantity = qm_item_get_quantity (self->item);
  int damage_type = qm_item_get_damage_type (self->item);
  const char *damage_name = lookup_damage_name (self, damage_type);
  const char *color = damage_color_spec (damage_type);
  g_autofree char *amount = NULL;

  if (power >= 0)
    /* Translators: an item's power level. */
    amount = g_strdup_printf (_("%d Power"), power);
  else if (quantity > 1)
    /* Translators: how many of an item are in a stack, with the digits grouped. */
    amount = g_strdup_printf (_("×%'d"), quantity);
  gtk_label_set_text (self->power_label, amount != NULL ? amount : "");
  gtk_widget_set_visible (GTK_WIDGET (self->power_label), amount != NULL);

  gtk_widget_set_visible (self->damage_box, damage_name != NULL);
  if (damage_name != NULL)
    gtk_label_set_text (self->damage_label, damage_name);
  gtk_widget_set_visible (GTK_WIDGET (self->damage_dot), color != NULL);
  if (color != NULL)
    {
      gdk_rgba_parse (&self->damage_color, color);
      gtk_widget_queue_draw (GTK_WIDGET (self->damage_dot));
    }
  gtk_widget_set_visible (self->power_box, amount != NULL || damage_name != NULL);
}

static void
update_location (QmItemDetails *self)
{
  g_autofree char *location = qm_item_describe_location (self->item);
  gboolean locked = qm_item_get_locked (self->item);

  gtk_label_set_text (self->location_label, location);
  gtk_image_set_from_icon_name (self->location_icon,
                                qm_ui_location_icon_name (qm_item_get_location (self->item)));
  gtk_image_set_from_icon_name (self->lock_icon,
                                locked ? "changes-prevent-symbolic" : "changes-allow-symbolic");
  gtk_label_set_text (self->lock_label, locked ? _("Locked") : _("Not locked"));
  /* Only instanced gear can be locked. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->lock_label)),
                          qm_item_get_instance_id (self->item) != NULL);
}

static const char *
lookup_stat_name (QmItemDetails *self,
                  guint32        stat_hash)
{
  QmDefinition def;

  if (self->manifest == NULL)
    return NULL;
  def = qm_manifest_get_definition (self->manifest, QM_TABLE_STAT, stat_hash);
  return def.known ? def.name : NULL;
}

/* Stats the game shows as a number only: a count or a time, not 0–100. */
static gboolean
is_numeric_stat (guint32 stat_hash)
{
  switch (stat_hash)
    {
    case 4284893193u: /* Rounds Per Minute */
    case 3871231066u: /* Magazine */
    case 2961396640u: /* Charge Time */
    case 447667954u:  /* Draw Time */
    case 1931675084u: /* Inventory Size */
      return TRUE;
    default:
      return FALSE;
    }
}

static void
add_stat_row (QmItemDetails *self,
              int            row,
              guint32        stat_hash,
              const char    *name,
              int            value)
{
  GtkWidget *name_label = gtk_label_new (name);
  g_autofree char *number = g_strdup_printf ("%d", value);
  GtkWidget *value_label = gtk_label_new (number);
  GtkWidget *bar;

  gtk_label_set_xalign (GTK_LABEL (name_label), 1);
  gtk_widget_add_css_class (name_label, "stat-name");
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_grid_attach (self->stats_grid, name_label, 0, row, 1, 1);

  gtk_label_set_xalign (GTK_LABEL (value_label), 1);
  gtk_label_set_width_chars (GTK_LABEL (value_label), 4);
  gtk_widget_add_css_class (value_label, "stat-value");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_grid_attach (self->stats_grid, value_label, 2, row, 1, 1);

  if (is_numeric_stat (stat_hash))
    return;

  bar = gtk_level_bar_new_for_interval (0, 100);
  /* One colour for every value: a stat is not "low" or "full". */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (value, 0, 100));
  gtk_widget_set_size_request (bar, STAT_BAR_WIDTH, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_grid_attach (self->stats_grid, bar, 1, row, 1, 1);
}

static void
update_stats (QmItemDetails *self)
{
  guint n_stats = 0;
  const QmItemStat *stats = qm_item_get_stats (self->item, &n_stats);
  int row = 0;

  remove_children (GTK_WIDGET (self->stats_grid));
  for (guint i = 0; i < n_stats; i++)
    {
      const char *name = lookup_stat_name (self, stats[i].stat_hash);

      /* Hidden stats have no name: the game does not show them either. */
      if (name == NULL || *name == '\0')
        continue;
      add_stat_row (self, row++, stats[i].stat_hash, name, stats[i].value);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->stats_grid), row > 0);
}

static void
add_perk_row (QmItemDetails          *self,
              const QmItemDefinition *plug)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (plug->name);

  gtk_image_set_pixel_size (GTK_IMAGE (image), PERK_ICON_SIZE);
  gtk_widget_add_css_class (image, "perk-icon");
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, plug->name,
                                  -1);
  set_icon (self, GTK_IMAGE (image), plug->icon);
  gtk_box_append (GTK_BOX (row), image);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "perk-name");
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), name);
  if (plug->item_type_name != NULL && *plug->item_type_name != '\0')
    {
      GtkWidget *kind = gtk_label_new (plug->item_type_name);

      gtk_label_set_xalign (GTK_LABEL (kind), 0);
      gtk_label_set_ellipsize (GTK_LABEL (kind), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (kind, "caption");
      gtk_widget_add_css_class (kind, "dim-label");
      gtk_box_append (GTK_BOX (labels), kind);
    }
  gtk_box_append (GTK_BOX (row), labels);
  gtk_box_append (self->perks_box, row);
}

static void
update_perks (QmItemDetails *self)
{
  guint n_sockets = 0;
  const QmItemSocket *sockets = qm_item_get_sockets (self->item, &n_sockets);
  gboolean any = FALSE;

  remove_children (GTK_WIDGET (self->perks_box));
  for (guint i = 0; i < n_sockets && self->manifest != NULL; i++)
    {
      QmItemDefinition plug;

      /* What the game shows: visible sockets with something plugged in. */
      if (!sockets[i].is_visible || sockets[i].plug_hash == 0)
        continue;
      plug = qm_manifest_get_item (self->manifest, sockets[i].plug_hash);
      if (!plug.known || plug.name[0] == '\0')
        continue;
      add_perk_row (self, &plug);
      any = TRUE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->perks_box), any);
}

static void
update_flavor (QmItemDetails *self)
{
  const char *flavor = NULL;

  if (self->manifest != NULL)
    {
      QmItemDefinition def = qm_manifest_get_item (self->manifest, qm_item_get_hash (self->item));

      if (def.known)
        flavor = def.flavor_text;
    }
  if (flavor != NULL && *flavor == '\0')
    flavor = NULL;
  gtk_label_set_text (self->flavor_label, flavor != NULL ? flavor : "");
  gtk_widget_set_visible (GTK_WIDGET (self->flavor_label), flavor != NULL);
}

static void
update_details (QmItemDetails *self)
{
  g_hash_table_remove_all (self->pending_icons);
  if (self->item == NULL)
    return;
  update_header (self);
  update_power (self);
  update_location (self);
  update_stats (self);
  update_perks (self);
  update_flavor (self);
}

void
qm_item_details_set_item (QmItemDetails *self,
                          QmItem        *item)
{
  g_return_if_fail (QM_IS_ITEM_DETAILS (self));
  g_return_if_fail (item == NULL || QM_IS_ITEM (item));

  if (g_set_object (&self->item, item))
    update_details (self);
}

QmItem *
qm_item_details_get_item (QmItemDetails *self)
{
  g_return_val_if_fail (QM_IS_ITEM_DETAILS (self), NULL);

  return self->item;
}

static void
clear_actions (QmItemDetails *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box))) != NULL)
    gtk_flow_box_remove (self->actions_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), FALSE);
}

static void
add_action_buttons (QmItemDetails *self,
                    GMenuModel    *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      GtkWidget *button;

      if (section != NULL)
        {
          add_action_buttons (self, section);
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      if (submenu != NULL)
        {
          button = gtk_menu_button_new ();
          gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
          gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), submenu);
        }
      else
        {
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
          button = gtk_button_new_with_label (label);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
          if (target != NULL)
            gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
        }
      gtk_flow_box_append (self->actions_box, button);
    }
}

void
qm_item_details_set_actions (QmItemDetails *self,
                             GMenuModel    *menu,
                             GActionGroup  *actions)
{
  g_return_if_fail (QM_IS_ITEM_DETAILS (self));
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));
  g_return_if_fail (actions == NULL || G_IS_ACTION_GROUP (actions));

  clear_actions (self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "item", actions);
  if (menu == NULL)
    return;
  add_action_buttons (self, menu);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), TRUE);
}

GtkWidget *
qm_item_details_get_action_button (QmItemDetails *self,
                                   const char    *label)
{
  g_return_val_if_fail (QM_IS_ITEM_DETAILS (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      const char *text = GTK_IS_MENU_BUTTON (button) ? gtk_menu_button_get_label (GTK_MENU_BUTTON (button)) :
                         gtk_button_get_label (GTK_BUTTON (button));

      if (g_strcmp0 (text, label) == 0)
        return button;
    }
  return NULL;
}

static void
qm_item_details_dispose (GObject *object)
{
  QmItemDetails *self = QM_ITEM_DETAILS (object);
  GtkWidget *child;

  if (self->icons != NULL)
    g_clear_signal_handler (&self->loaded_handler, self->icons);
  g_clear_object (&self->icons);
  g_clear_object (&self->manifest);
  g_clear_object (&self->item);
  g_clear_pointer (&self->pending_icons, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_ITEM_DETAILS);
  /* The template's unnamed boxes are direct children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_item_details_parent_class)->dispose (object);
}

static void
qm_item_details_class_init (QmItemDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_item_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-item-details.ui");
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, kind_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, power_box);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, power_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, damage_box);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, damage_dot);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, damage_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, location_icon);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, location_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, lock_icon);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, lock_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, stats_grid);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, perks_box);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, flavor_label);
  gtk_widget_class_bind_template_child (widget_class, QmItemDetails, actions_box);
  gtk_widget_class_set_css_name (widget_class, "qmitemdetails");
}

static void
qm_item_details_init (QmItemDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pending_icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_drawing_area_set_draw_func (self->damage_dot, draw_damage_dot, self, NULL);
}

GtkWidget *
qm_item_details_new (QmIconCache *icons,
                     QmManifest  *manifest)
{
  QmItemDetails *self;

  g_return_val_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons), NULL);
  g_return_val_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest), NULL);

  self = g_object_new (QM_TYPE_ITEM_DETAILS, NULL);
  self->manifest = manifest != NULL ? g_object_ref (manifest) : NULL;
  if (icons != NULL)
    {
      self->icons = g_object_ref (icons);
      self->loaded_handler = g_signal_connect (icons, "loaded",
                                               G_CALLBACK (on_icon_loaded_cb), self);
    }
  return GTK_WIDGET (self);
}
