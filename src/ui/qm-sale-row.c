/* qm-sale-row.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sale-row"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-sale-row.h"

typedef struct
{
  GtkImage *image;
  char     *icon;
  char     *shortfall;
} CostView;

struct _QmSaleRow
{
  GtkWidget     parent_instance;

  GtkImage     *icon_image;
  GtkLabel     *name_label;
  GtkLabel     *owned_label;
  GtkLabel     *kind_label;
  GtkLabel     *details_label;
  GtkBox       *costs_box;

  QmVendorSale *sale;
  QmIconCache  *icons;
  gulong        icons_handler;
  GArray       *costs;   /* of CostView */
};

G_DEFINE_FINAL_TYPE (QmSaleRow, qm_sale_row, GTK_TYPE_WIDGET)

static void
cost_view_clear (gpointer data)
{
  CostView *view = data;

  g_free (view->icon);
  g_free (view->shortfall);
}

static void
set_icon (GtkImage    *image,
          QmIconCache *icons,
          const char  *path,
          const char  *fallback)
{
  GdkPaintable *paintable = NULL;

  if (icons != NULL)
    paintable = qm_icon_cache_lookup (icons, path);
  if (paintable != NULL)
    gtk_image_set_from_paintable (image, paintable);
  else
    gtk_image_set_from_icon_name (image, fallback);
}

static void
on_icon_loaded_cb (QmIconCache *icons,
                   const char  *path,
                   QmSaleRow   *self)
{
  if (self->sale == NULL)
    return;
  if (g_strcmp0 (path, qm_vendor_sale_get_icon (self->sale)) == 0)
    set_icon (self->icon_image, icons, path, "image-missing-symbolic");
  for (guint i = 0; i < self->costs->len; i++)
    {
      CostView *view = &g_array_index (self->costs, CostView, i);

      if (g_strcmp0 (path, view->icon) == 0)
        set_icon (view->image, icons, path, "image-missing-symbolic");
    }
}

static void
set_icons (QmSaleRow   *self,
           QmIconCache *icons)
{
  if (self->icons == icons)
    return;
  if (self->icons != NULL)
    g_clear_signal_handler (&self->icons_handler, self->icons);
  g_set_object (&self->icons, icons);
  if (icons != NULL)
    self->icons_handler = g_signal_connect (icons, "loaded", G_CALLBACK (on_icon_loaded_cb), self);
}

static void
clear_costs (QmSaleRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->costs_box))) != NULL)
    gtk_box_remove (self->costs_box, child);
  g_array_set_size (self->costs, 0);
}

static char *
describe_shortfall (const QmCost *cost,
                    GHashTable   *balances)
{
  const char *name = cost->name != NULL ? cost->name : _("this currency");
  gpointer held;

  if (balances != NULL
      && g_hash_table_lookup_extended (balances, GUINT_TO_POINTER (cost->hash), NULL, &held))
    /* Translators: a currency's name, then how many of it the player holds and how many the sale costs. */
    return g_strdup_printf (_("You don’t have enough %s: you have %'d of %'d"),
                            name, GPOINTER_TO_INT (held), cost->quantity);
  /* Translators: %s is a currency's name, e.g. "Strange Coins". */
  return g_strdup_printf (_("You don’t have enough %s"), name);
}

static gboolean
cost_is_short (const QmCost *cost,
               GHashTable   *balances)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (balances, GUINT_TO_POINTER (cost->hash))) < cost->quantity;
}

/* Which costs the player cannot pay: from what they hold when that is known;
 * when it is not, or it does not explain why Bungie.net says the sale is out
 * of reach, every cost is marked. */
static gboolean *
find_short_costs (QmVendorSale *sale,
                  const QmCost *costs,
                  guint         n_costs,
                  GHashTable   *balances)
{
  gboolean *short_costs = g_new0 (gboolean, MAX (n_costs, 1));
  gboolean any = FALSE;

  for (guint i = 0; balances != NULL && i < n_costs; i++)
    {
      short_costs[i] = cost_is_short (&costs[i], balances);
      any = any || short_costs[i];
    }
  if (!any && !qm_vendor_sale_get_affordable (sale))
    for (guint i = 0; i < n_costs; i++)
      short_costs[i] = TRUE;
  return short_costs;
}

static GtkWidget *
cost_widget_new (const QmCost *cost,
                 CostView     *view)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *image = gtk_image_new ();
  g_autofree char *amount = g_strdup_printf ("%'d", cost->quantity);
  GtkWidget *label = gtk_label_new (amount);
  g_autofree char *tooltip = NULL;

  gtk_image_set_pixel_size (GTK_IMAGE (image), 20);
  gtk_widget_add_css_class (image, "cost-icon");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "sale-cost");
  if (view->shortfall != NULL)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_tooltip_text (box, view->shortfall);
    }
  else
    {
      /* Translators: a cost, e.g. "23 Strange Coins". */
      tooltip = g_strdup_printf (_("%'d %s"), cost->quantity,
                                 cost->name != NULL ? cost->name : _("Unknown item"));
      gtk_widget_set_tooltip_text (box, tooltip);
    }
  view->image = GTK_IMAGE (image);
  return box;
}

static void
update_costs (QmSaleRow  *self,
              GHashTable *balances)
{
  guint n_costs = 0;
  const QmCost *costs = qm_vendor_sale_get_costs (self->sale, &n_costs);
  g_autofree gboolean *short_costs = find_short_costs (self->sale, costs, n_costs, balances);

  clear_costs (self);
  for (guint i = 0; i < n_costs; i++)
    {
      CostView view = { NULL, g_strdup (costs[i].icon), NULL };

      if (short_costs[i])
        view.shortfall = describe_shortfall (&costs[i], balances);
      gtk_box_append (self->costs_box, cost_widget_new (&costs[i], &view));
      g_array_append_val (self->costs, view);
      set_icon (view.image, self->icons, view.icon, "image-missing-symbolic");
    }
}

static char *
format_kind (QmVendorSale *sale)
{
  const char *type = qm_vendor_sale_get_item_type_name (sale);
  const char *tier = qm_vendor_sale_get_tier_name (sale);

  if (type != NULL && *type != '\0' && tier != NULL && *tier != '\0')
    /* Translators: an item's type, then its rarity, e.g. "Auto Rifle · Exotic". */
    return g_strdup_printf (_("%s · %s"), type, tier);
  if (type != NULL && *type != '\0')
    return g_strdup (type);
  return g_strdup (tier != NULL ? tier : "");
}

static void
append_separated (GString    *text,
                  const char *separator,
                  const char *part)
{
  if (text->len > 0)
    g_string_append (text, separator);
  g_string_append (text, part);
}

/* "Power 1810 · Mobility 20 · Recovery 10" then the perks, for instanced sales. */
static char *
format_details (QmVendorSale *sale)
{
  g_autoptr(GString) stats = g_string_new (NULL);
  g_autoptr(GString) perks = g_string_new (NULL);
  guint n_stats = 0;
  guint n_plugs = 0;
  const QmSaleStat *stat_list = qm_vendor_sale_get_stats (sale, &n_stats);
  const QmSalePlug *plugs = qm_vendor_sale_get_plugs (sale, &n_plugs);

  if (qm_vendor_sale_get_power (sale) >= 0)
    /* Translators: an item's power level. */
    g_string_append_printf (stats, _("Power %d"), qm_vendor_sale_get_power (sale));
  for (guint i = 0; i < n_stats; i++)
    if (stat_list[i].name != NULL)
      {
        g_autofree char *part = g_strdup_printf ("%s %d", stat_list[i].name, stat_list[i].value);

        append_separated (stats, " · ", part);
      }
  for (guint i = 0; i < n_plugs; i++)
    if (plugs[i].name != NULL && *plugs[i].name != '\0')
      append_separated (perks, ", ", plugs[i].name);
  if (perks->len > 0)
    append_separated (stats, "\n", perks->str);
  return g_string_free (g_steal_pointer (&stats), FALSE);
}

static void
update_accessible_label (QmSaleRow *self)
{
  g_autofree char *costs = qm_vendor_sale_dup_costs_text (self->sale);
  g_autoptr(GString) label = g_string_new (gtk_label_get_text (self->name_label));

  if (gtk_widget_get_visible (GTK_WIDGET (self->owned_label)))
    g_string_append_printf (label, ", %s", gtk_label_get_text (self->owned_label));
  if (costs != NULL && *costs != '\0')
    g_string_append_printf (label, ", %s", costs);
  if (!qm_vendor_sale_get_affordable (self->sale))
    g_string_append_printf (label, ", %s", _("not affordable"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

static void
update_text (QmSaleRow *self)
{
  const char *name = qm_vendor_sale_get_name (self->sale);
  g_autofree char *unknown = NULL;
  g_autofree char *kind = format_kind (self->sale);
  g_autofree char *details = format_details (self->sale);

  if (name == NULL)
    /* Translators: %u is the item's hash, a number. */
    name = unknown = g_strdup_printf (_("Unknown item %u"), qm_vendor_sale_get_hash (self->sale));
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->kind_label, kind);
  gtk_widget_set_visible (GTK_WIDGET (self->kind_label), *kind != '\0');
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), *details != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->owned_label), qm_vendor_sale_get_owned (self->sale));
}

static void
clear_row (QmSaleRow *self)
{
  gtk_label_set_text (self->name_label, "");
  gtk_label_set_text (self->kind_label, "");
  gtk_label_set_text (self->details_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->owned_label), FALSE);
  gtk_image_set_from_icon_name (self->icon_image, "image-missing-symbolic");
  clear_costs (self);
}

void
qm_sale_row_set_sale (QmSaleRow    *self,
                      QmVendorSale *sale,
                      GHashTable   *balances,
                      QmIconCache  *icons)
{
  g_return_if_fail (QM_IS_SALE_ROW (self));
  g_return_if_fail (sale == NULL || QM_IS_VENDOR_SALE (sale));
  g_return_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons));

  g_set_object (&self->sale, sale);
  set_icons (self, sale != NULL ? icons : NULL);
  if (sale == NULL)
    {
      clear_row (self);
      return;
    }

  update_text (self);
  set_icon (self->icon_image, self->icons, qm_vendor_sale_get_icon (sale), "image-missing-symbolic");
  update_costs (self, balances);
  update_accessible_label (self);
}

QmVendorSale *
qm_sale_row_get_sale (QmSaleRow *self)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), NULL);

  return self->sale;
}

const char *
qm_sale_row_get_title (QmSaleRow *self)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), NULL);

  return gtk_label_get_text (self->name_label);
}

gboolean
qm_sale_row_get_owned_shown (QmSaleRow *self)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->owned_label));
}

guint
qm_sale_row_get_n_costs (QmSaleRow *self)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), 0);

  return self->costs->len;
}

const char *
qm_sale_row_get_cost_shortfall (QmSaleRow *self,
                                guint      index)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), NULL);
  g_return_val_if_fail (index < self->costs->len, NULL);

  return g_array_index (self->costs, CostView, index).shortfall;
}

const char *
qm_sale_row_get_details (QmSaleRow *self)
{
  g_return_val_if_fail (QM_IS_SALE_ROW (self), NULL);

  return gtk_label_get_text (self->details_label);
}

GHashTable *
qm_sale_balances_new (QmProfile *profile)
{
  GHashTable *balances = g_hash_table_new (g_direct_hash, g_direct_equal);
  GListModel *items;

  g_return_val_if_fail (QM_IS_PROFILE (profile), balances);

  items = qm_profile_get_items (profile);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      gpointer key = GUINT_TO_POINTER (qm_item_get_hash (item));
      gint64 held = GPOINTER_TO_INT (g_hash_table_lookup (balances, key));

      /* What waits at the postmaster cannot pay for anything. */
      if (qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER)
        continue;
      held += MAX (qm_item_get_quantity (item), 0);
      g_hash_table_insert (balances, key, GINT_TO_POINTER ((int) MIN (held, G_MAXINT)));
    }
  return balances;
}

static void
qm_sale_row_dispose (GObject *object)
{
  QmSaleRow *self = QM_SALE_ROW (object);
  GtkWidget *child;

  set_icons (self, NULL);
  g_clear_object (&self->sale);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_SALE_ROW);
  /* Unnamed template children are direct children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_sale_row_parent_class)->dispose (object);
}

static void
qm_sale_row_finalize (GObject *object)
{
  QmSaleRow *self = QM_SALE_ROW (object);

  g_array_unref (self->costs);

  G_OBJECT_CLASS (qm_sale_row_parent_class)->finalize (object);
}

static void
qm_sale_row_class_init (QmSaleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_sale_row_dispose;
  object_class->finalize = qm_sale_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-sale-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, icon_image);
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, owned_label);
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, QmSaleRow, costs_box);
  gtk_widget_class_set_css_name (widget_class, "qmsalerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
qm_sale_row_init (QmSaleRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->costs = g_array_new (FALSE, TRUE, sizeof (CostView));
  g_array_set_clear_func (self->costs, cost_view_clear);
}

GtkWidget *
qm_sale_row_new (void)
{
  return g_object_new (QM_TYPE_SALE_ROW, NULL);
}
