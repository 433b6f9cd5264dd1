/* qm-item-tile.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hundreds of tiles are made at launch and recycled by list views, so a
 * tile has no child widgets and no template: its frame (tier colour,
 * equipped ring, focus ring) comes from CSS, and the icon, power strip,
 * damage dot and marks are drawn in snapshot(). Only a tile whose details
 * are opened gets a popover.
 */

#define G_LOG_DOMAIN "qm-item-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-item-tile.h"

#include "qm-item-details.h"
#include "qm-item-menu.h"
#include "qm-ui-util.h"

/* The content box; style.css adds a 2 px border in the tier colour. */
#define ICON_SIZE       60
#define STRIP_HEIGHT    16
#define INNER_RADIUS     3
#define DOT_SIZE         8
#define BADGE_SIZE      16
#define LOCK_ICON_SIZE  12
#define FRAME_WIDTH      2

struct _QmItemTile
{
  GtkWidget    parent_instance;

  QmItem      *item;
  QmIconCache *icons;
  QmManifest  *manifest;

  /* The icon path waited for, while the cache downloads it. */
  char        *pending_icon;
  gulong       loaded_handler;
  gulong       notify_handler;

  /* What snapshot() draws, worked out when the item changes. */
  char        *amount;          /* power, or ×N for stacks; NULL: none */
  PangoLayout *amount_layout;
  const char  *tier_class;
  GdkRGBA      damage_color;
  gboolean     show_damage;
  gboolean     locked;
  gboolean     masterwork;

  GtkIconPaintable *lock_icon;
  GtkWidget   *popover;         /* while the details were opened */

  /* Moving: asked for and not yet done; part of the selection. */
  gboolean     in_flight;
  gboolean     selected;
  GtkIconPaintable *moving_icon;
  /* A click waits for a second one (a double-click equips) before it
   * opens the details. */
  guint        click_timeout_id;
};

G_DEFINE_FINAL_TYPE (QmItemTile, qm_item_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_ICON_CACHE,
  PROP_MANIFEST,
  N_PROPS
};

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The game's tier colours, by inventory.tierType. */
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

/* The game's element colours; they sit on the dark power strip, the same
 * in the light and dark styles. */
static gboolean
damage_color (int      damage_type,
              GdkRGBA *color)
{
  const char *spec;

  switch (damage_type)
    {
    case QM_DAMAGE_KINETIC:
      spec = "#d8d8d8";
      break;
    case QM_DAMAGE_ARC:
      spec = "#7aecf3";
      break;
    case QM_DAMAGE_THERMAL:
      spec = "#f2721b";
      break;
    case QM_DAMAGE_VOID:
      spec = "#b185df";
      break;
    case QM_DAMAGE_STASIS:
      spec = "#4d88ff";
      break;
    case QM_DAMAGE_STRAND:
      spec = "#35e366";
      break;
    default:
      return FALSE;
    }
  return gdk_rgba_parse (color, spec);
}

static char *
describe_location (QmItem *item)
{
  const char *class_name = qm_ui_class_name (qm_item_get_owner_class (item));
  gboolean known_class = qm_item_get_owner_class (item) != 3;

  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      if (!known_class)
        return g_strdup (_("equipped"));
      /* Translators: part of an item's description for screen readers; %s is a class. */
      return g_strdup_printf (_("equipped on %s"), class_name);
    case QM_ITEM_LOCATION_INVENTORY:
      if (!known_class)
        return g_strdup (_("in a character's inventory"));
      /* Translators: part of an item's description for screen readers; %s is a class. */
      return g_strdup_printf (_("carried by %s"), class_name);
    case QM_ITEM_LOCATION_POSTMASTER:
      if (!known_class)
        return g_strdup (_("at the postmaster"));
      /* Translators: part of an item's description for screen readers; %s is a class. */
      return g_strdup_printf (_("at the %s's postmaster"), class_name);
    case QM_ITEM_LOCATION_VAULT:
      return g_strdup (_("in the vault"));
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return NULL;
    }
}

char *
qm_item_describe_for_a11y (QmItem  *item,
                           char   **description)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *kind = NULL;
  const char *tier_name;
  const char *type_name;
  const char *element;
  int power;
  int quantity;
  char *location;

  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  if (description == NULL)
    return qm_ui_format_item_name (item);

  parts = g_ptr_array_new_with_free_func (g_free);
  tier_name = qm_item_get_tier_name (item);
  type_name = qm_item_get_item_type_name (item);
  /* The manifest's own words, lower-cased as the middle of a sentence
   * ("exotic hand cannon"); only a type that differs from the tier adds
   * anything ("Exotic Engram" has tier and type both "Exotic"…). */
  if (tier_name != NULL && *tier_name != '\0')
    kind = g_utf8_strdown (tier_name, -1);
  if (type_name != NULL && *type_name != '\0' && g_strcmp0 (type_name, tier_name) != 0)
    {
      g_autofree char *type_down = g_utf8_strdown (type_name, -1);
      char *joined = kind != NULL ? g_strdup_printf ("%s %s", kind, type_down)
                                  : g_steal_pointer (&type_down);

      g_free (kind);
      kind = joined;
    }
  if (kind != NULL)
    g_ptr_array_add (parts, g_steal_pointer (&kind));

  /* Kinetic is every other weapon's element: only the others are said. */
  element = qm_damage_type_get_name (qm_item_get_damage_type (item));
  if (element != NULL && qm_item_get_damage_type (item) != QM_DAMAGE_KINETIC)
    g_ptr_array_add (parts, g_utf8_strdown (element, -1));

  power = qm_item_get_power (item);
  quantity = qm_item_get_quantity (item);
  if (power >= 0)
    /* Translators: part of an item's description for screen readers. */
    g_ptr_array_add (parts, g_strdup_printf (_("%d power"), power));
  else if (quantity > 1)
    /* Translators: part of an item's description for screen readers. */
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("stack of %d", "stack of %d", quantity),
                                             quantity));

  location = describe_location (item);
  if (location != NULL)
    g_ptr_array_add (parts, location);
  if (qm_item_get_masterwork (item))
    g_ptr_array_add (parts, g_strdup (_("masterworked")));
  if (qm_item_get_locked (item))
    g_ptr_array_add (parts, g_strdup (_("locked")));

  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the parts of an item's description. */
  *description = g_strjoinv (_(", "), (char **) parts->pdata);
  return qm_ui_format_item_name (item);
}

/* The icon */

static void
stop_waiting_for_icon (QmItemTile *self)
{
  if (self->loaded_handler != 0)
    g_clear_signal_handler (&self->loaded_handler, self->icons);
  g_clear_pointer (&self->pending_icon, g_free);
}

static void
on_icon_loaded_cb (QmIconCache *icons,
                   const char  *path,
                   QmItemTile  *self)
{
  if (g_strcmp0 (path, self->pending_icon) != 0)
    return;
  stop_waiting_for_icon (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The item's icon when the cache holds it; otherwise wait for it. */
static GdkPaintable *
lookup_icon (QmItemTile *self)
{
  const char *path;
  GdkPaintable *paintable;

  if (self->item == NULL || self->icons == NULL)
    return NULL;
  path = qm_item_get_icon (self->item);
  if (path == NULL || *path == '\0')
    return NULL;
  paintable = qm_icon_cache_lookup (self->icons, path);
  if (paintable == NULL && g_strcmp0 (path, self->pending_icon) != 0)
    {
      stop_waiting_for_icon (self);
      self->pending_icon = g_strdup (path);
      /* Connected only while waiting: the tiles with their icon at hand
       * do not hear of every other icon that arrives. */
      self->loaded_handler = g_signal_connect (self->icons, "loaded",
                                               G_CALLBACK (on_icon_loaded_cb), self);
    }
  return paintable;
}

/* What the tile shows */

static void
update_accessible (QmItemTile *self)
{
  g_autofree char *description = NULL;
  g_autofree char *label = NULL;

  if (self->item == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
      return;
    }
  label = qm_item_describe_for_a11y (self->item, &description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), label);
}

static void
set_css_class (QmItemTile *self,
               const char *name,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (GTK_WIDGET (self), name);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), name);
}

static void
update_tile (QmItemTile *self)
{
  const char *tier_class = NULL;
  g_autofree char *amount = NULL;
  int power = -1;

  if (self->item != NULL)
    {
      int quantity = qm_item_get_quantity (self->item);

      power = qm_item_get_power (self->item);
      tier_class = tier_css_class (qm_item_get_tier_type (self->item));
      if (power >= 0)
        amount = g_strdup_printf ("%d", power);
      else if (quantity > 1)
        /* Translators: how many of an item are in a stack, with the digits grouped. */
        amount = g_strdup_printf (_("×%'d"), quantity);
    }

  if (g_strcmp0 (tier_class, self->tier_class) != 0)
    {
      if (self->tier_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self), self->tier_class);
      if (tier_class != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self), tier_class);
      self->tier_class = tier_class;
    }

  if (g_strcmp0 (amount, self->amount) != 0)
    {
      g_free (self->amount);
      self->amount = g_steal_pointer (&amount);
      g_clear_object (&self->amount_layout);
    }

  self->show_damage = self->item != NULL && power >= 0
                      && damage_color (qm_item_get_damage_type (self->item), &self->damage_color);
  self->locked = self->item != NULL && qm_item_get_locked (self->item);
  self->masterwork = self->item != NULL && qm_item_get_masterwork (self->item);
  set_css_class (self, "equipped", self->item != NULL && qm_item_get_equipped (self->item));

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_item_notify_cb (QmItem     *item,
                   GParamSpec *pspec,
                   QmItemTile *self)
{
  update_tile (self);
}

/* The details */

static void
on_popover_closed_cb (GtkPopover *popover,
                      QmItemTile *self)
{
  /* Focus back where the player was. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
drop_popover (QmItemTile *self)
{
  if (self->popover == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->popover, on_popover_closed_cb, self);
  gtk_widget_unparent (self->popover);
  self->popover = NULL;
}

/* Room for the details' popover around the tile, in the window: the
 * arrow, the popover's padding and its shadow. */
#define DETAILS_CHROME     96
#define DETAILS_MIN_HEIGHT 160

/* The side of the tile with more room in the window, and how tall the
 * details can be there: a tile near an edge opens them towards the other,
 * and they scroll rather than run off the screen. */
static int
details_room (QmItemTile      *self,
              GtkPositionType *side)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  graphene_rect_t bounds;
  double above;
  double below;

  *side = GTK_POS_BOTTOM;
  if (root == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (self), root, &bounds))
    return -1;
  above = bounds.origin.y;
  below = gtk_widget_get_height (root) - (bounds.origin.y + bounds.size.height);
  if (above > below)
    *side = GTK_POS_TOP;
  return MAX ((int) MAX (above, below) - DETAILS_CHROME, DETAILS_MIN_HEIGHT);
}

void
qm_item_tile_show_details (QmItemTile *self)
{
  GtkWidget *details;
  GtkWidget *scroller;
  GtkPositionType side;
  int room;

  g_return_if_fail (QM_IS_ITEM_TILE (self));

  if (self->item == NULL)
    return;
  if (self->popover == NULL)
    {
      self->popover = gtk_popover_new ();
      gtk_widget_add_css_class (self->popover, "item-details-popover");
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      g_signal_connect (self->popover, "closed", G_CALLBACK (on_popover_closed_cb), self);
    }
  details = qm_item_details_new (self->icons, self->manifest);
  qm_item_details_set_item (QM_ITEM_DETAILS (details), self->item);
  qm_item_menu_attach_to_details (GTK_WIDGET (self), details, self->item);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  room = details_room (self, &side);
  if (room > 0)
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), room);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), details);
  gtk_popover_set_position (GTK_POPOVER (self->popover), side);
  gtk_popover_set_child (GTK_POPOVER (self->popover), scroller);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

void
qm_item_tile_hide_details (QmItemTile *self)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

GtkWidget *
qm_item_tile_get_details (QmItemTile *self)
{
  g_return_val_if_fail (QM_IS_ITEM_TILE (self), NULL);

  if (self->popover == NULL || !gtk_widget_get_visible (self->popover))
    return NULL;
  return self->popover;
}

static void
qm_item_tile_real_activate (QmItemTile *self)
{
  qm_item_tile_show_details (self);
}

/* The lock mark drawn in the top right corner (snapshot_lock()), with a
 * little room around it for the pointer. */
static gboolean
on_lock_mark (QmItemTile *self,
              double      x,
              double      y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return self->locked && x >= width - BADGE_SIZE - 4 && y <= BADGE_SIZE + 4;
}

static gboolean
click_timeout_cb (gpointer user_data)
{
  QmItemTile *self = QM_ITEM_TILE (user_data);

  self->click_timeout_id = 0;
  gtk_widget_activate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     QmItemTile      *self)
{
  const char *id;

  if (n_press != 2 || self->item == NULL)
    return;
  /* A double-click equips, where the tile sits in a view that can. */
  g_clear_handle_id (&self->click_timeout_id, g_source_remove);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  id = qm_item_get_instance_id (self->item);
  if (id == NULL || !gtk_widget_activate_action (GTK_WIDGET (self), "inventory.equip", "s", id))
    gtk_widget_activate (GTK_WIDGET (self));
}

static void
on_click_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      QmItemTile      *self)
{
  int double_click_ms = 400;

  if (n_press != 1 || !gtk_widget_contains (GTK_WIDGET (self), x, y))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* Clicking the lock mark unlocks the item. */
  if (self->item != NULL && on_lock_mark (self, x, y))
    {
      qm_item_menu_toggle_lock (GTK_WIDGET (self), self->item);
      return;
    }
  /* The details open once it is clear that no second click follows. */
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-double-click-time",
                &double_click_ms, NULL);
  g_clear_handle_id (&self->click_timeout_id, g_source_remove);
  self->click_timeout_id = g_timeout_add (MAX (double_click_ms, 1), click_timeout_cb, self);
}

/* The context menu: right-click, Shift+F10 or the Menu key. Opened on the
 * release: opened on the press, the menu took the release and the gesture
 * ignored every later right-click on the tile (GTK 4.8, X11). */
static void
on_secondary_released_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         QmItemTile      *self)
{
  if (self->item == NULL || !gtk_widget_contains (GTK_WIDGET (self), x, y))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  qm_item_menu_popup (GTK_WIDGET (self), self->item, x, y);
}

static gboolean
popup_menu_binding (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  QmItemTile *self = QM_ITEM_TILE (widget);

  if (self->item == NULL)
    return FALSE;
  return qm_item_menu_popup (widget, self->item, -1, -1) != NULL;
}

/* Drawing */

static PangoLayout *
get_amount_layout (QmItemTile *self)
{
  if (self->amount_layout == NULL && self->amount != NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      self->amount_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->amount);
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_size_new_absolute (11 * PANGO_SCALE));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_layout_set_attributes (self->amount_layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return self->amount_layout;
}

static GtkIconPaintable *
get_lock_icon (QmItemTile *self)
{
  if (self->lock_icon == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      self->lock_icon = gtk_icon_theme_lookup_icon (theme, "changes-prevent-symbolic", NULL,
                                                    LOCK_ICON_SIZE,
                                                    gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                    gtk_widget_get_direction (GTK_WIDGET (self)),
                                                    0);
    }
  return self->lock_icon;
}

static void
append_circle (GtkSnapshot   *snapshot,
               float          x,
               float          y,
               float          size,
               const GdkRGBA *color)
{
  GskRoundedRect circle;

  gsk_rounded_rect_init_from_rect (&circle, &GRAPHENE_RECT_INIT (x, y, size, size), size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_color (snapshot, color, &circle.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_amount (QmItemTile  *self,
                 GtkSnapshot *snapshot,
                 int          width,
                 int          height)
{
  static const GdkRGBA strip = { 0.0, 0.0, 0.0, 0.72 };
  static const GdkRGBA white = { 1.0, 1.0, 1.0, 1.0 };
  PangoLayout *layout = get_amount_layout (self);
  PangoRectangle extents;
  float top = height - STRIP_HEIGHT;

  if (layout == NULL && !self->show_damage)
    return;

  gtk_snapshot_append_color (snapshot, &strip, &GRAPHENE_RECT_INIT (0, top, width, STRIP_HEIGHT));
  if (self->show_damage)
    append_circle (snapshot, 4, top + (STRIP_HEIGHT - DOT_SIZE) / 2.0f, DOT_SIZE,
                   &self->damage_color);
  if (layout == NULL)
    return;

  pango_layout_get_pixel_extents (layout, NULL, &extents);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (width - 4 - extents.width - extents.x,
                                                top + (STRIP_HEIGHT - extents.height) / 2.0f
                                                - extents.y));
  gtk_snapshot_append_layout (snapshot, layout, &white);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_lock (QmItemTile  *self,
               GtkSnapshot *snapshot,
               int          width)
{
  static const GdkRGBA badge = { 0.0, 0.0, 0.0, 0.72 };
  /* Foreground, error, warning, success: all white on the dark badge. */
  static const GdkRGBA colors[4] = {
    { 1.0, 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0, 1.0 },
    { 1.0, 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0, 1.0 },
  };
  GtkIconPaintable *icon = get_lock_icon (self);
  float x = width - BADGE_SIZE - 2;
  float y = 2;

  append_circle (snapshot, x, y, BADGE_SIZE, &badge);
  if (icon == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (x + (BADGE_SIZE - LOCK_ICON_SIZE) / 2.0f,
                                                y + (BADGE_SIZE - LOCK_ICON_SIZE) / 2.0f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            LOCK_ICON_SIZE, LOCK_ICON_SIZE, colors, 4);
  gtk_snapshot_restore (snapshot);
}

static GtkIconPaintable *
get_moving_icon (QmItemTile *self)
{
  if (self->moving_icon == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      self->moving_icon = gtk_icon_theme_lookup_icon (theme, "emblem-synchronizing-symbolic", NULL,
                                                      LOCK_ICON_SIZE,
                                                      gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                      gtk_widget_get_direction (GTK_WIDGET (self)),
                                                      0);
    }
  return self->moving_icon;
}

/* In flight: a badge at the top left (the tile dims and pulses, style.css). */
static void
snapshot_moving (QmItemTile  *self,
                 GtkSnapshot *snapshot)
{
  static const GdkRGBA badge = { 0.0, 0.0, 0.0, 0.72 };
  static const GdkRGBA colors[4] = {
    { 1.0, 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0, 1.0 },
    { 1.0, 1.0, 1.0, 1.0 }, { 1.0, 1.0, 1.0, 1.0 },
  };
  GtkIconPaintable *icon = get_moving_icon (self);
  float x = 2;
  float y = 2;

  append_circle (snapshot, x, y, BADGE_SIZE, &badge);
  if (icon == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (x + (BADGE_SIZE - LOCK_ICON_SIZE) / 2.0f,
                                                y + (BADGE_SIZE - LOCK_ICON_SIZE) / 2.0f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            LOCK_ICON_SIZE, LOCK_ICON_SIZE, colors, 4);
  gtk_snapshot_restore (snapshot);
}

static void
qm_item_tile_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  QmItemTile *self = QM_ITEM_TILE (widget);
  /* The masterwork frame: the game's gold, bright on every tier. */
  static const GdkRGBA gold = { 0.918, 0.871, 0.545, 1.0 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkPaintable *icon;
  GskRoundedRect clip;

  if (self->item == NULL)
    return;

  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (0, 0, width, height), INNER_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);

  icon = lookup_icon (self);
  if (icon != NULL)
    gdk_paintable_snapshot (icon, snapshot, width, height);

  snapshot_amount (self, snapshot, width, height);
  if (self->locked)
    snapshot_lock (self, snapshot, width);
  if (self->in_flight)
    snapshot_moving (self, snapshot);
  /* Last, so that the power strip does not hide its bottom edge. */
  if (self->masterwork)
    {
      const float widths[4] = { FRAME_WIDTH, FRAME_WIDTH, FRAME_WIDTH, FRAME_WIDTH };
      const GdkRGBA colors[4] = { gold, gold, gold, gold };

      gtk_snapshot_append_border (snapshot, &clip, widths, colors);
    }

  gtk_snapshot_pop (snapshot);
}

static void
qm_item_tile_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
qm_item_tile_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  /* The details and the context menu. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

static void
qm_item_tile_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  QmItemTile *self = QM_ITEM_TILE (widget);

  GTK_WIDGET_CLASS (qm_item_tile_parent_class)->css_changed (widget, change);

  /* The font or the icon theme may have changed. */
  g_clear_object (&self->amount_layout);
  g_clear_object (&self->lock_icon);
  g_clear_object (&self->moving_icon);
}

static void
qm_item_tile_unrealize (GtkWidget *widget)
{
  QmItemTile *self = QM_ITEM_TILE (widget);

  /* These belong to the display the tile was on. */
  g_clear_object (&self->amount_layout);
  g_clear_object (&self->lock_icon);
  g_clear_object (&self->moving_icon);
  g_clear_handle_id (&self->click_timeout_id, g_source_remove);

  GTK_WIDGET_CLASS (qm_item_tile_parent_class)->unrealize (widget);
}

/* Properties */

void
qm_item_tile_set_item (QmItemTile *self,
                       QmItem     *item)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));
  g_return_if_fail (item == NULL || QM_IS_ITEM (item));

  if (self->item == item)
    return;

  drop_popover (self);
  qm_item_menu_close (GTK_WIDGET (self));
  g_clear_handle_id (&self->click_timeout_id, g_source_remove);
  stop_waiting_for_icon (self);
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect (item, "notify",
                                             G_CALLBACK (on_item_notify_cb), self);
  update_tile (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

QmItem *
qm_item_tile_get_item (QmItemTile *self)
{
  g_return_val_if_fail (QM_IS_ITEM_TILE (self), NULL);

  return self->item;
}

void
qm_item_tile_set_in_flight (QmItemTile *self,
                            gboolean    in_flight)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));

  in_flight = !!in_flight;
  if (self->in_flight == in_flight)
    return;
  self->in_flight = in_flight;
  set_css_class (self, "in-flight", in_flight);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, in_flight, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
qm_item_tile_get_in_flight (QmItemTile *self)
{
  g_return_val_if_fail (QM_IS_ITEM_TILE (self), FALSE);

  return self->in_flight;
}

void
qm_item_tile_set_selected (QmItemTile *self,
                           gboolean    selected)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));

  selected = !!selected;
  if (self->selected == selected)
    return;
  self->selected = selected;
  set_css_class (self, "selected", selected);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_SELECTED, selected, -1);
}

gboolean
qm_item_tile_get_selected (QmItemTile *self)
{
  g_return_val_if_fail (QM_IS_ITEM_TILE (self), FALSE);

  return self->selected;
}

void
qm_item_tile_set_icon_cache (QmItemTile  *self,
                             QmIconCache *icons)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));
  g_return_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons));

  if (self->icons == icons)
    return;
  stop_waiting_for_icon (self);
  g_set_object (&self->icons, icons);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_CACHE]);
}

void
qm_item_tile_set_manifest (QmItemTile *self,
                           QmManifest *manifest)
{
  g_return_if_fail (QM_IS_ITEM_TILE (self));
  g_return_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest));

  if (g_set_object (&self->manifest, manifest))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANIFEST]);
}

static void
qm_item_tile_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  QmItemTile *self = QM_ITEM_TILE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_ICON_CACHE:
      g_value_set_object (value, self->icons);
      break;
    case PROP_MANIFEST:
      g_value_set_object (value, self->manifest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_item_tile_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  QmItemTile *self = QM_ITEM_TILE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      qm_item_tile_set_item (self, g_value_get_object (value));
      break;
    case PROP_ICON_CACHE:
      qm_item_tile_set_icon_cache (self, g_value_get_object (value));
      break;
    case PROP_MANIFEST:
      qm_item_tile_set_manifest (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_item_tile_dispose (GObject *object)
{
  QmItemTile *self = QM_ITEM_TILE (object);

  drop_popover (self);
  qm_item_menu_close (GTK_WIDGET (self));
  stop_waiting_for_icon (self);
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_clear_object (&self->item);
  g_clear_object (&self->icons);
  g_clear_object (&self->manifest);
  g_clear_object (&self->amount_layout);
  g_clear_object (&self->lock_icon);
  g_clear_object (&self->moving_icon);
  g_clear_handle_id (&self->click_timeout_id, g_source_remove);

  G_OBJECT_CLASS (qm_item_tile_parent_class)->dispose (object);
}

static void
qm_item_tile_finalize (GObject *object)
{
  QmItemTile *self = QM_ITEM_TILE (object);

  g_free (self->amount);

  G_OBJECT_CLASS (qm_item_tile_parent_class)->finalize (object);
}

static void
add_activate_binding (GtkWidgetClass *widget_class,
                      guint           keyval)
{
  gtk_widget_class_add_binding_signal (widget_class, keyval, 0, "activate", NULL);
}

static void
qm_item_tile_class_init (QmItemTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = qm_item_tile_get_property;
  object_class->set_property = qm_item_tile_set_property;
  object_class->dispose = qm_item_tile_dispose;
  object_class->finalize = qm_item_tile_finalize;

  widget_class->snapshot = qm_item_tile_snapshot;
  widget_class->measure = qm_item_tile_measure;
  widget_class->size_allocate = qm_item_tile_size_allocate;
  widget_class->css_changed = qm_item_tile_css_changed;
  widget_class->unrealize = qm_item_tile_unrealize;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, QM_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_CACHE] =
    g_param_spec_object ("icon-cache", NULL, NULL, QM_TYPE_ICON_CACHE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANIFEST] =
    g_param_spec_object ("manifest", NULL, NULL, QM_TYPE_MANIFEST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted by Enter, Space, a click or gtk_widget_activate(): opens the details. */
  signals[SIGNAL_ACTIVATE] =
    g_signal_new_class_handler ("activate", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_FIRST | G_SIGNAL_ACTION,
                                G_CALLBACK (qm_item_tile_real_activate),
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[SIGNAL_ACTIVATE]);
  add_activate_binding (widget_class, GDK_KEY_Return);
  add_activate_binding (widget_class, GDK_KEY_ISO_Enter);
  add_activate_binding (widget_class, GDK_KEY_KP_Enter);
  add_activate_binding (widget_class, GDK_KEY_space);
  add_activate_binding (widget_class, GDK_KEY_KP_Space);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, popup_menu_binding, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, popup_menu_binding, NULL);

  gtk_widget_class_set_css_name (widget_class, "qmitemtile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
qm_item_tile_init (QmItemTile *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "released", G_CALLBACK (on_secondary_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
qm_item_tile_new (QmIconCache *icons,
                  QmManifest  *manifest)
{
  g_return_val_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons), NULL);
  g_return_val_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest), NULL);

  return g_object_new (QM_TYPE_ITEM_TILE,
                       "icon-cache", icons,
                       "manifest", manifest,
                       NULL);
}
