/* test-item-tile.c: item tiles, their details popover and the icon cache
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-item-tile"

#include "config.h"

#include <locale.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "qm-icon-cache.h"
#include "qm-inventory.h"
#include "qm-item-details.h"
#include "qm-item-tile.h"
#include "qm-test-ui.h"

/* GTK starts inside the first test that needs it: the directories it looks
 * up then belong to the isolated test environment. */
static gboolean
require_display (void)
{
  if (!qm_test_require_display ())
    return FALSE;
  qm_test_load_app_style ();
  return TRUE;
}

#define REQUIRE_DISPLAY()         \
  G_STMT_START {                  \
    if (!require_display ())      \
      return;                     \
  } G_STMT_END

/* Items made by hand, for the descriptions */

static QmItem *
item_new (const char     *name,
          const char     *tier_name,
          int             tier_type,
          const char     *type_name,
          QmItemLocation  location,
          int             owner_class,
          int             quantity,
          int             state,
          int             power,
          int             damage_type)
{
  QmItemDefinition def = {
    .hash = 1234,
    .known = TRUE,
    .name = name,
    .item_type_name = type_name,
    .tier_name = tier_name,
    .tier_type = tier_type,
    .class_type = 3,
    .default_damage_type = damage_type,
  };
  gboolean instanced = power >= 0;
  QmItem *item = qm_item_new (def.hash, instanced ? "6917529000000000001" : NULL, 1498876634,
                              location,
                              location == QM_ITEM_LOCATION_VAULT ? NULL : "2305843009000000001",
                              quantity, state, power, damage_type);

  qm_item_set_definition (item, &def);
  qm_item_set_owner_class (item, owner_class);
  return item;
}

static void
assert_description (QmItem     *item,
                    const char *label,
                    const char *description)
{
  g_autofree char *got_description = NULL;
  g_autofree char *got_label = qm_item_describe_for_a11y (item, &got_description);

  g_assert_cmpstr (got_label, ==, label);
  g_assert_cmpstr (got_description, ==, description);
}

static void
test_describe (void)
{
  g_autoptr(QmItem) weapon = NULL;
  g_autoptr(QmItem) solar = NULL;
  g_autoptr(QmItem) armor = NULL;
  g_autoptr(QmItem) stack = NULL;
  g_autoptr(QmItem) postmaster = NULL;
  g_autoptr(QmItem) unknown = NULL;
  g_autofree char *label = NULL;
  g_autofree char *where = NULL;

  /* The issue's own example. */
  weapon = item_new ("Ace of Spades", "Exotic", 6, "Hand Cannon", QM_ITEM_LOCATION_EQUIPPED,
                     1, 1, 1, 1810, 1);
  assert_description (weapon, "Ace of Spades",
                      "exotic hand cannon, 1810 power, equipped on Hunter, locked");

  /* Energy weapons say their element; a character's inventory its class. */
  solar = item_new ("Sunshot", "Exotic", 6, "Hand Cannon", QM_ITEM_LOCATION_INVENTORY,
                    2, 1, 0, 1795, 3);
  assert_description (solar, "Sunshot", "exotic hand cannon, solar, 1795 power, carried by Warlock");

  armor = item_new ("Iron Forerunner Plate", "Legendary", 5, "Chest Armor",
                    QM_ITEM_LOCATION_VAULT, 3, 1, 1 | 4, 1790, 0);
  assert_description (armor, "Iron Forerunner Plate",
                      "legendary chest armor, 1790 power, in the vault, masterworked, locked");

  stack = item_new ("Enhancement Core", "Rare", 4, "Material", QM_ITEM_LOCATION_ACCOUNT,
                    3, 25, 0, -1, 0);
  assert_description (stack, "Enhancement Core", "rare material, stack of 25");

  postmaster = item_new ("Exotic Engram", "Exotic", 6, "Exotic", QM_ITEM_LOCATION_POSTMASTER,
                         0, 1, 0, -1, 0);
  assert_description (postmaster, "Exotic Engram", "exotic, at the Titan's postmaster");

  unknown = qm_item_new (4242, NULL, 0, QM_ITEM_LOCATION_VAULT, NULL, 1, 0, -1, 0);
  assert_description (unknown, "Unknown item 4242", "in the vault");

  /* The label alone. */
  label = qm_item_describe_for_a11y (weapon, NULL);
  g_assert_cmpstr (label, ==, "Ace of Spades");

  where = qm_item_describe_location (postmaster);
  g_assert_cmpstr (where, ==, "At the Titan's postmaster");
}

/* The demo account */

static QmSandbox *shared_sandbox;
static QmBungieClient *shared_client;
static QmInventory *shared_inventory;
static JsonNode *shared_profile;

static QmInventory *
get_inventory (void)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (shared_inventory != NULL)
    return shared_inventory;
  shared_sandbox = qm_test_sandbox_new (NULL);
  shared_client = qm_test_client_new (shared_sandbox, TRUE);
  qm_inventory_load_async (shared_client, NULL, qm_test_result_cb, &res);
  shared_inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&res);

  /* What the sandbox serves, to check the details against. */
  json = qm_sandbox_dup_profile_json (shared_sandbox);
  shared_profile = json_from_string (json, &error);
  g_assert_no_error (error);
  return shared_inventory;
}

typedef gboolean (*ItemPredicate) (QmItem *item);

static QmItem *
find_item (ItemPredicate predicate)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (get_inventory ()));

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (predicate (item))
        return g_steal_pointer (&item);
    }
  g_assert_not_reached ();
}

static gboolean
is_locked_weapon (QmItem *item)
{
  return qm_item_get_locked (item) && !qm_item_get_masterwork (item)
         && qm_item_get_power (item) >= 0 && qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON;
}

static gboolean
is_unlocked_gear (QmItem *item)
{
  return !qm_item_get_locked (item) && !qm_item_get_masterwork (item)
         && qm_item_get_power (item) >= 0;
}

static gboolean
is_masterwork (QmItem *item)
{
  return qm_item_get_masterwork (item) && qm_item_get_power (item) >= 0;
}

static gboolean
is_single_without_power (QmItem *item)
{
  return qm_item_get_power (item) < 0 && qm_item_get_quantity (item) == 1;
}

static guint
count_sockets (QmItem *item)
{
  guint n = 0;

  qm_item_get_sockets (item, &n);
  return n;
}

static gboolean
has_stats_and_perks (QmItem *item)
{
  guint n_stats = 0;

  qm_item_get_stats (item, &n_stats);
  return n_stats > 0 && count_sockets (item) > 0
         && qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON;
}

/* Rendering a tile */

/* The tile alone in a window, shown. */
/* Spin the main loop until @widget is mapped (at most 30 s). */
static void
wait_until_mapped (GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);

  while (!gtk_widget_get_mapped (widget) && !timed_out)
    {
      /* Other test programs share the display: a window of theirs taking
       * the focus closes a popover; open it again. */
      if (GTK_IS_POPOVER (widget) && !gtk_widget_get_visible (widget))
        gtk_popover_popup (GTK_POPOVER (widget));
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
}

static GtkWindow *
tile_window_new (GtkWidget *tile)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_set_halign (tile, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (tile, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_box_append (GTK_BOX (box), tile);
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  wait_until_mapped (tile);
  while (gtk_widget_get_width (tile) == 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

typedef struct
{
  int     width;
  int     height;
  guchar *pixels;   /* RGBA, 8 bits each */
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->pixels, g_free);
}

/* The tile as drawn, its frame included: its parent holds only the tile
 * (see tile_window_new()). */
static void
render_tile (GtkWidget *tile,
             Image     *image)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (gtk_widget_get_parent (tile));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (tile));

  image->width = gdk_paintable_get_intrinsic_width (paintable);
  image->height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (image->width, ==, 64);
  g_assert_cmpint (image->height, ==, 64);
  gdk_paintable_snapshot (paintable, snapshot, image->width, image->height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
  image->pixels = g_malloc (image->width * image->height * 4);
  gdk_texture_download (texture, image->pixels, image->width * 4);
}

/* gdk_texture_download() gives native-endian ARGB32 (premultiplied). */
static void
pixel_at (const Image *image,
          int          x,
          int          y,
          int          rgb[3])
{
  guint32 argb = *(guint32 *) (image->pixels + (y * image->width + x) * 4);

  rgb[0] = (argb >> 16) & 0xff;
  rgb[1] = (argb >> 8) & 0xff;
  rgb[2] = argb & 0xff;
}

/* How many pixels of the box are near-white, and how many near-black. */
static void
count_extremes (const Image *image,
                int          x0,
                int          y0,
                int          x1,
                int          y1,
                int         *white,
                int         *black)
{
  *white = *black = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        int rgb[3];

        pixel_at (image, x, y, rgb);
        *white += rgb[0] > 200 && rgb[1] > 200 && rgb[2] > 200;
        *black += rgb[0] < 60 && rgb[1] < 60 && rgb[2] < 60;
      }
}

/* The tile of @item, drawn without its icon (the tier colour shows). */
static void
render_item (QmItem *item,
             Image  *image)
{
  GtkWidget *tile = qm_item_tile_new (NULL, NULL);
  GtkWindow *window;

  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  window = tile_window_new (tile);
  render_tile (tile, image);
  qm_test_close_window (window);
}

static void
test_tile_marks (void)
{
  g_autoptr(QmItem) locked = NULL;
  g_autoptr(QmItem) unlocked = NULL;
  g_autoptr(QmItem) masterwork = NULL;
  g_autoptr(QmItem) plain = NULL;
  Image image = { 0 };
  int white, black, rgb[3];
  /* The 2 px tier frame, then the 60 px content box. */
  const int o = 2;

  REQUIRE_DISPLAY ();

  locked = find_item (is_locked_weapon);
  unlocked = find_item (is_unlocked_gear);
  masterwork = find_item (is_masterwork);
  plain = find_item (is_single_without_power);

  /* Locked: the badge in the top right corner is dark with a white lock. */
  render_item (locked, &image);
  count_extremes (&image, o + 42, o + 2, o + 58, o + 18, &white, &black);
  g_assert_cmpint (white, >, 10);
  g_assert_cmpint (black, >, 40);
  /* Its power strip: white digits on black at the bottom. */
  count_extremes (&image, o, o + 44, o + 60, o + 60, &white, &black);
  g_assert_cmpint (white, >, 20);
  g_assert_cmpint (black, >, 300);
  image_clear (&image);

  /* Not locked: the corner is the plain tier colour. */
  render_item (unlocked, &image);
  count_extremes (&image, o + 42, o + 2, o + 58, o + 18, &white, &black);
  g_assert_cmpint (black, ==, 0);
  count_extremes (&image, o, o + 44, o + 60, o + 60, &white, &black);
  g_assert_cmpint (white, >, 20);
  image_clear (&image);

  /* Masterworked: a gold frame inside the tier frame. */
  render_item (masterwork, &image);
  pixel_at (&image, o, o + 30, rgb);
  g_assert_cmpint (rgb[0], >, 200);
  g_assert_cmpint (rgb[1], >, 190);
  g_assert_cmpint (rgb[2], <, 170);
  image_clear (&image);

  render_item (unlocked, &image);
  pixel_at (&image, o, o + 30, rgb);
  g_assert_false (rgb[0] > 200 && rgb[1] > 190 && rgb[2] < 170);
  image_clear (&image);

  /* No power, no stack: no strip. */
  render_item (plain, &image);
  count_extremes (&image, o, o + 44, o + 60, o + 60, &white, &black);
  g_assert_cmpint (black, ==, 0);
  image_clear (&image);
}

static void
test_tile_accessible (void)
{
  g_autoptr(QmItem) item = NULL;
  g_autoptr(QmItem) other = NULL;
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GtkWidget) tile = NULL;

  REQUIRE_DISPLAY ();

  item = find_item (is_locked_weapon);
  other = find_item (is_single_without_power);
  tile = g_object_ref_sink (qm_item_tile_new (NULL, NULL));
  g_assert_true (gtk_widget_get_focusable (tile));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (tile)), ==,
                   GTK_ACCESSIBLE_ROLE_BUTTON);

  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  label = qm_item_describe_for_a11y (item, &description);
  g_assert_nonnull (strstr (description, "locked"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (tile), ==, label);
  g_assert_true (qm_item_tile_get_item (QM_ITEM_TILE (tile)) == item);

  /* Recycled for another item: everything follows, the old item is let go. */
  qm_item_tile_set_item (QM_ITEM_TILE (tile), other);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (tile), ==, qm_item_get_name (other));
  g_assert_cmpuint (g_signal_handler_find (item, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, tile), ==, 0);
  g_assert_cmpuint (g_signal_handler_find (other, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, tile), !=, 0);
  qm_item_tile_set_item (QM_ITEM_TILE (tile), NULL);
  g_assert_null (gtk_widget_get_tooltip_text (tile));
  g_assert_cmpuint (g_signal_handler_find (other, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, tile), ==, 0);
}

/* The details */

static void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                GPtrArray  *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class)
      && gtk_widget_get_visible (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, texts);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

/* The instance's stats and plugs as the sandbox serves them. */
static JsonObject *
served_component (const char *component,
                  QmItem     *item)
{
  JsonObject *root = json_node_get_object (shared_profile);
  JsonObject *components = json_object_get_object_member (root, "itemComponents");
  JsonObject *data = json_object_get_object_member (json_object_get_object_member (components,
                                                                                   component),
                                                    "data");

  return json_object_get_object_member (data, qm_item_get_instance_id (item));
}

/* The shortcut the tile has for @keyval, activated as a key press would. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
test_details (void)
{
  g_autoptr(QmItem) item = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autoptr(GPtrArray) perks = g_ptr_array_new ();
  QmManifest *manifest;
  JsonObject *stats;
  JsonArray *sockets;
  g_autoptr(GList) members = NULL;
  GtkWidget *tile;
  GtkWidget *popover;
  GtkWindow *window;
  g_autofree char *where = NULL;
  g_autofree char *power = NULL;
  QmItemDefinition definition;
  guint n_named = 0;
  guint n_perks = 0;

  REQUIRE_DISPLAY ();

  item = find_item (has_stats_and_perks);
  manifest = qm_inventory_get_manifest (get_inventory ());
  tile = qm_item_tile_new (NULL, manifest);
  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  window = tile_window_new (tile);
  g_assert_null (qm_item_tile_get_details (QM_ITEM_TILE (tile)));

  g_assert_true (gtk_widget_activate (tile));
  popover = qm_item_tile_get_details (QM_ITEM_TILE (tile));
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_parent (popover) == tile);
  wait_until_mapped (popover);

  g_assert_true (has_label (popover, qm_item_get_name (item)));
  where = qm_item_describe_location (item);
  g_assert_true (has_label (popover, where));
  g_assert_true (has_label (popover, qm_item_get_locked (item) ? "Locked" : "Not locked"));
  power = g_strdup_printf ("%d Power", qm_item_get_power (item));
  g_assert_true (has_label (popover, power));
  definition = qm_manifest_get_item (manifest, qm_item_get_hash (item));
  if (definition.flavor_text != NULL && *definition.flavor_text != '\0')
    g_assert_true (has_label (popover, definition.flavor_text));

  /* Every named stat the sandbox serves, with its value. */
  collect_labels (popover, "stat-name", names);
  collect_labels (popover, "stat-value", values);
  g_assert_cmpuint (names->len, ==, values->len);
  stats = json_object_get_object_member (served_component ("stats", item), "stats");
  members = json_object_get_members (stats);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *stat = json_object_get_object_member (stats, l->data);
      guint32 hash = json_object_get_int_member (stat, "statHash");
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (stat, "value"));
      QmDefinition def = qm_manifest_get_definition (manifest, QM_TABLE_STAT, hash);
      gboolean found = FALSE;

      if (!def.known)
        continue;
      for (guint i = 0; i < names->len; i++)
        if (g_strcmp0 (g_ptr_array_index (names, i), def.name) == 0)
          {
            g_assert_cmpstr (g_ptr_array_index (values, i), ==, value);
            found = TRUE;
          }
      g_assert_true (found);
      n_named++;
    }
  g_assert_cmpuint (n_named, >, 0);
  g_assert_cmpuint (names->len, ==, n_named);

  /* Every visible plug the sandbox serves, by its name. */
  collect_labels (popover, "perk-name", perks);
  sockets = json_object_get_array_member (served_component ("sockets", item), "sockets");
  for (guint i = 0; i < json_array_get_length (sockets); i++)
    {
      JsonObject *socket = json_array_get_object_element (sockets, i);
      QmItemDefinition plug;
      gboolean found = FALSE;

      if (!json_object_get_boolean_member_with_default (socket, "isVisible", FALSE)
          || !json_object_has_member (socket, "plugHash"))
        continue;
      plug = qm_manifest_get_item (manifest, json_object_get_int_member (socket, "plugHash"));
      g_assert_true (plug.known);
      for (guint j = 0; j < perks->len; j++)
        found |= g_strcmp0 (g_ptr_array_index (perks, j), plug.name) == 0;
      g_assert_true (found);
      n_perks++;
    }
  g_assert_cmpuint (n_perks, >, 0);
  g_assert_cmpuint (perks->len, ==, n_perks);

  /* Closed, then opened from the keyboard. */
  qm_item_tile_hide_details (QM_ITEM_TILE (tile));
  g_assert_null (qm_item_tile_get_details (QM_ITEM_TILE (tile)));
  g_assert_true (press_key (tile, GDK_KEY_Return));
  g_assert_nonnull (qm_item_tile_get_details (QM_ITEM_TILE (tile)));
  qm_item_tile_hide_details (QM_ITEM_TILE (tile));
  g_assert_true (press_key (tile, GDK_KEY_space));
  g_assert_nonnull (qm_item_tile_get_details (QM_ITEM_TILE (tile)));

  /* Recycled for another item: the popover goes. */
  qm_item_tile_set_item (QM_ITEM_TILE (tile), NULL);
  g_assert_null (qm_item_tile_get_details (QM_ITEM_TILE (tile)));
  qm_test_close_window (window);
}

static GtkWidget *
find_scrolled_window (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scrolled_window (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A tile near the top of a short window: its details open downwards, fit
 * in the room under the tile, and scroll. */
static void
test_details_fit (void)
{
  g_autoptr(QmItem) item = NULL;
  QmManifest *manifest;
  GtkWindow *window;
  GtkWidget *tile;
  GtkWidget *popover;
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double below;
  double value;

  REQUIRE_DISPLAY ();

  item = find_item (has_stats_and_perks);
  manifest = qm_inventory_get_manifest (get_inventory ());
  tile = qm_item_tile_new (NULL, manifest);
  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 480);
  gtk_widget_set_halign (tile, GTK_ALIGN_START);
  gtk_widget_set_valign (tile, GTK_ALIGN_START);
  gtk_widget_set_margin_top (tile, 60);
  gtk_widget_set_margin_start (tile, 300);
  gtk_window_set_child (window, tile);
  gtk_window_present (window);
  wait_until_mapped (tile);
  while (gtk_widget_get_width (tile) == 0 || gtk_widget_get_height (GTK_WIDGET (window)) < 400)
    g_main_context_iteration (NULL, TRUE);

  qm_item_tile_show_details (QM_ITEM_TILE (tile));
  popover = qm_item_tile_get_details (QM_ITEM_TILE (tile));
  g_assert_nonnull (popover);
  wait_until_mapped (popover);
  while (gtk_widget_get_height (popover) == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (gtk_widget_compute_bounds (tile, GTK_WIDGET (window), &bounds));
  below = gtk_widget_get_height (GTK_WIDGET (window)) - (bounds.origin.y + bounds.size.height);
  g_assert_cmpint (gtk_popover_get_position (GTK_POPOVER (popover)), ==, GTK_POS_BOTTOM);
  g_test_message ("room below %.0f, details %d px tall", below, gtk_widget_get_height (popover));
  g_assert_cmpint (gtk_widget_get_height (popover), <=, (int) below);

  /* More than fits: the rest is a scroll away. */
  scroller = find_scrolled_window (popover);
  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (value, >, 0);
  g_assert_cmpfloat (value + gtk_adjustment_get_page_size (adjustment), ==,
                     gtk_adjustment_get_upper (adjustment));

  qm_item_tile_hide_details (QM_ITEM_TILE (tile));
  qm_test_close_window (window);
}

/* The icon cache */

#define ICON_PATH "/common/destiny2_content/icons/tile-test.png"

typedef struct
{
  guint  n_loaded;
  char  *path;
} Loaded;

static void
on_loaded_cb (QmIconCache *icons,
              const char  *path,
              Loaded      *loaded)
{
  loaded->n_loaded++;
  g_free (loaded->path);
  loaded->path = g_strdup (path);
}

static GdkPaintable *
wait_for_icon (QmIconCache *icons,
               const char  *path)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);
  GdkPaintable *paintable;

  while ((paintable = qm_icon_cache_lookup (icons, path)) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  return paintable;
}

static gboolean
file_decodes (const char *file)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GFile) gfile = g_file_new_for_path (file);

  texture = gdk_texture_new_from_file (gfile, NULL);
  return texture != NULL;
}

static void
test_icon_cache (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autoptr(QmBungieClient) client = qm_test_client_new (sandbox, FALSE);
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "icon-test", NULL);
  g_autoptr(QmIconCache) icons = qm_icon_cache_new_for_directory (client, dir);
  g_autoptr(QmIconCache) again = NULL;
  g_autoptr(QmIconCache) repaired = NULL;
  g_autoptr(QmIconCache) offline = NULL;
  g_autoptr(QmBungieClient) offline_client = NULL;
  g_autofree char *file = qm_icon_cache_get_file_path (icons, ICON_PATH);
  g_autofree char *other_file = qm_icon_cache_get_file_path (icons, "/a/b.JPG");
  g_autoptr(QmItem) item = NULL;
  GdkPaintable *paintable;
  Loaded loaded = { 0 };
  GtkWidget *box;
  GtkWidget *tile;
  GtkWindow *window;
  Image image = { 0 };
  int first[3];
  gboolean varied = FALSE;

  REQUIRE_DISPLAY ();

  g_assert_cmpstr (qm_icon_cache_get_directory (icons), ==, dir);
  g_assert_true (g_str_has_prefix (file, dir));
  g_assert_true (g_str_has_suffix (file, ".png"));
  g_assert_true (g_str_has_suffix (other_file, ".jpg"));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* Many asking at once: one download, one texture, one "loaded". */
  g_signal_connect (icons, "loaded", G_CALLBACK (on_loaded_cb), &loaded);
  for (guint i = 0; i < 20; i++)
    g_assert_null (qm_icon_cache_lookup (icons, ICON_PATH));
  paintable = wait_for_icon (icons, ICON_PATH);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);
  g_assert_true (qm_icon_cache_lookup (icons, ICON_PATH) == paintable);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Icon"), ==, 1);
  g_assert_cmpuint (loaded.n_loaded, ==, 1);
  g_assert_cmpstr (loaded.path, ==, ICON_PATH);

  /* Kept on disk, whole. */
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (file_decodes (file));

  /* A second cache on the same directory reads it: no download. */
  again = qm_icon_cache_new_for_directory (client, dir);
  paintable = wait_for_icon (again, ICON_PATH);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Icon"), ==, 1);

  /* A corrupt file is thrown away and the icon downloaded again. */
  g_assert_true (g_file_set_contents (file, "<html>not a PNG</html>", -1, NULL));
  repaired = qm_icon_cache_new_for_directory (client, dir);
  paintable = wait_for_icon (repaired, ICON_PATH);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Icon"), ==, 2);
  g_assert_true (file_decodes (file));

  /* Tiles on screen ask for their icon once between them and draw it
   * when it arrives. */
  item = find_item (is_locked_weapon);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  for (guint i = 0; i < 5; i++)
    {
      tile = qm_item_tile_new (icons, NULL);
      qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
      gtk_box_append (GTK_BOX (box), tile);
    }
  window = tile_window_new (box);
  wait_for_icon (icons, qm_item_get_icon (item));
  g_assert_cmpuint (qm_sandbox_get_call_count (sandbox, "Icon"), ==, 3);
  qm_test_close_window (window);

  tile = qm_item_tile_new (icons, NULL);
  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  window = tile_window_new (tile);
  render_tile (tile, &image);
  /* The sandbox's icons are not the flat tier colour: many colours show. */
  pixel_at (&image, 10, 10, first);
  for (int y = 2; y < 44 && !varied; y++)
    for (int x = 2; x < 62 && !varied; x++)
      {
        int rgb[3];

        pixel_at (&image, x, y, rgb);
        varied = rgb[0] != first[0] || rgb[1] != first[1] || rgb[2] != first[2];
      }
  g_assert_true (varied);
  image_clear (&image);
  qm_test_close_window (window);

  /* With the sandbox gone, the disk alone serves. */
  offline_client = g_object_ref (client);
  qm_sandbox_stop (sandbox);
  offline = qm_icon_cache_new_for_directory (offline_client, dir);
  paintable = wait_for_icon (offline, ICON_PATH);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 96);

  g_free (loaded.path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Numbers and sentences in the tests are English. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/tiles/describe", test_describe);
  g_test_add_func ("/tiles/marks", test_tile_marks);
  g_test_add_func ("/tiles/accessible", test_tile_accessible);
  g_test_add_func ("/tiles/details", test_details);
  g_test_add_func ("/tiles/details-fit", test_details_fit);
  g_test_add_func ("/tiles/icon-cache", test_icon_cache);

  status = g_test_run ();
  g_clear_pointer (&shared_profile, json_node_unref);
  g_clear_object (&shared_inventory);
  g_clear_object (&shared_client);
  if (shared_sandbox != NULL)
    qm_sandbox_stop (shared_sandbox);
  g_clear_object (&shared_sandbox);
  return status;
}
