/* qm-inventory-view.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models: the profile's items → the search (a GtkFilterListModel) → one
 * filter per column (a character's items, the vault's and the account's) →
 * per slot and column a filter and a sorter (QmInventorySlot). The rows are
 * the slots with something to show. Everything follows the search filter's
 * changes by itself; only the rows' emptiness is looked at again after.
 */

#define G_LOG_DOMAIN "qm-inventory-view"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-inventory-view.h"

#include "qm-bucket-row.h"
#include "qm-character-card.h"
#include "qm-inventory-slot.h"
#include "qm-item-tile.h"
#include "qm-ui-util.h"

/* Room kept above and below a tile scrolled to by the keyboard: its row's title. */
#define SCROLL_MARGIN 36.0
/* Frames to wait for a row scrolled to before giving up on focusing it. */
#define PENDING_FOCUS_FRAMES 10

typedef enum
{
  LINE_FIRST,   /* the first line of tiles, nearest to x */
  LINE_LAST,    /* the last line, nearest to x */
  TILE_FIRST,   /* the first tile */
} FocusTarget;

struct _QmInventoryView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkWidget          *header_box;
  GtkWidget          *vault_line;
  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;

  GtkListItemFactory *factory;
  QmInventory        *inventory;
  QmIconCache        *icons;
  GtkFilter          *filter;
  gulong              filter_changed_id;

  GtkFilterListModel *items;          /* the profile's items, searched */
  gboolean            searching;      /* the cards say how many match */
  GtkFilterListModel *slots;          /* the rows with something to show */
  GtkFilter          *slot_filter;
  /* One GtkSizeGroup per column (the characters', then the vault's),
   * shared with the rows and made again for another number of characters. */
  GPtrArray          *column_groups;
  GPtrArray          *cards;          /* QmCharacterCard: characters', then the vault's */
  GPtrArray          *card_buttons;   /* the characters' GtkToggleButton */
  GtkWidget          *vault_column;   /* the vault's card, in the header or its own line */
  char               *selected_id;
  int                 selected_column;
  gboolean            updating_cards;

  /* Narrow: one character's cells at a time, then the vault's (below
   * the width the side-by-side columns need). */
  gboolean            narrow;
  int                 wide_min_width;  /* what the columns side by side need, last measured */
  int                 narrow_min_width;
  guint               layout_idle_id;

  /* Scrolling to the focused tile, on the next frame. */
  guint               scroll_tick_id;
  /* Keyboard focus waiting for a row to be built after scrolling to it. */
  guint               pending_tick_id;
  guint               pending_frames;
  guint               pending_position;
  guint               pending_column;
  double              pending_x;
  FocusTarget         pending_target;
};

G_DEFINE_FINAL_TYPE (QmInventoryView, qm_inventory_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_CHARACTER,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------- */
/* Models                                                                  */

static gboolean
held_by_match (gpointer item,
               gpointer user_data)
{
  return qm_item_is_held_by (item, user_data);
}

static gboolean
vault_match (gpointer item,
             gpointer user_data)
{
  QmItemLocation location = qm_item_get_location (item);

  return location == QM_ITEM_LOCATION_VAULT || location == QM_ITEM_LOCATION_ACCOUNT;
}

static gboolean
slot_not_empty_match (gpointer item,
                      gpointer user_data)
{
  return !qm_inventory_slot_is_empty (item);
}

static void
update_empty_state (QmInventoryView *self)
{
  gboolean empty = self->slots != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->slots)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "items");
}

static void update_matches (QmInventoryView *self);

/* After the search changed, when every cell has followed it. */
static void
on_filter_changed_after_cb (GtkFilter       *filter,
                            GtkFilterChange  change,
                            QmInventoryView *self)
{
  if (self->slot_filter == NULL)
    return;
  gtk_filter_changed (self->slot_filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
  update_matches (self);
}

/* ---------------------------------------------------------------------- */
/* Rows                                                                    */

static QmBucketRow *
row_of_list_item (GtkWidget *list_item_widget)
{
  GtkWidget *child = gtk_widget_get_first_child (list_item_widget);

  return QM_IS_BUCKET_ROW (child) ? QM_BUCKET_ROW (child) : NULL;
}

/* The row widget showing the slot at @position, when there is one. */
static QmBucketRow *
find_row (QmInventoryView *self,
          guint            position)
{
  g_autoptr(QmInventorySlot) slot = NULL;

  if (self->slots == NULL)
    return NULL;
  slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position);
  if (slot == NULL)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row != NULL && qm_bucket_row_get_slot (row) == slot && gtk_widget_get_mapped (GTK_WIDGET (row)))
        return row;
    }
  return NULL;
}

static gboolean
find_position (QmInventoryView *self,
               QmInventorySlot *slot,
               guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->slots));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QmInventorySlot) other = g_list_model_get_item (G_LIST_MODEL (self->slots), i);

      if (other == slot)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             QmInventoryView          *self)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, qm_bucket_row_new (self->column_groups));
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            QmInventoryView          *self)
{
  QmManifest *manifest = self->inventory != NULL ? qm_inventory_get_manifest (self->inventory) : NULL;

  qm_bucket_row_set_narrow (QM_BUCKET_ROW (gtk_list_item_get_child (list_item)), self->narrow);
  qm_bucket_row_bind (QM_BUCKET_ROW (gtk_list_item_get_child (list_item)),
                      gtk_list_item_get_item (list_item), self->icons, manifest,
                      self->selected_column);
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              QmInventoryView          *self)
{
  qm_bucket_row_bind (QM_BUCKET_ROW (gtk_list_item_get_child (list_item)), NULL, NULL, NULL, -1);
}

/* ---------------------------------------------------------------------- */
/* Cards and the selected character                                        */

static void
update_selection (QmInventoryView *self)
{
  QmProfile *profile = self->inventory != NULL ? qm_inventory_get_profile (self->inventory) : NULL;

  self->selected_column = -1;
  if (profile != NULL && self->selected_id != NULL)
    for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
      if (g_strcmp0 (qm_profile_get_character (profile, i)->id, self->selected_id) == 0)
        self->selected_column = (int) i;

  self->updating_cards = TRUE;
  for (guint i = 0; i < self->card_buttons->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->card_buttons, i),
                                  (int) i == self->selected_column);
  self->updating_cards = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row != NULL)
        qm_bucket_row_set_selected_column (row, self->selected_column);
    }
}

static void
on_card_toggled_cb (GtkToggleButton *button,
                    QmInventoryView *self)
{
  if (self->updating_cards || !gtk_toggle_button_get_active (button))
    return;
  qm_inventory_view_set_selected_character (self, g_object_get_data (G_OBJECT (button),
                                                                     "character-id"));
}

/* The cards are their columns' first members, while side by side. */
static void
set_cards_grouped (QmInventoryView *self,
                   gboolean         grouped)
{
  guint n_groups = self->column_groups->len;

  for (guint i = 0; i < self->card_buttons->len && i < n_groups; i++)
    {
      GtkSizeGroup *group = g_ptr_array_index (self->column_groups, i);

      if (grouped)
        gtk_size_group_add_widget (group, g_ptr_array_index (self->card_buttons, i));
      else
        gtk_size_group_remove_widget (group, g_ptr_array_index (self->card_buttons, i));
    }
  if (self->vault_column != NULL && n_groups > 0)
    {
      GtkSizeGroup *group = g_ptr_array_index (self->column_groups, n_groups - 1);

      if (grouped)
        gtk_size_group_add_widget (group, self->vault_column);
      else
        gtk_size_group_remove_widget (group, self->vault_column);
    }
}

static void
clear_cards (QmInventoryView *self)
{
  GtkWidget *child;

  if (!self->narrow)
    set_cards_grouped (self, FALSE);
  g_ptr_array_set_size (self->card_buttons, 0);
  g_ptr_array_set_size (self->cards, 0);
  while ((child = gtk_widget_get_first_child (self->header_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->header_box), child);
  while ((child = gtk_widget_get_first_child (self->vault_line)) != NULL)
    gtk_box_remove (GTK_BOX (self->vault_line), child);
  self->vault_column = NULL;
}

static guint
count_items (GListModel *items,
             gboolean  (*match) (QmItem *item, const char *character_id),
             const char *character_id)
{
  guint n_items = g_list_model_get_n_items (items);
  guint n = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (match (item, character_id))
        n++;
    }
  return n;
}

static gboolean
is_carried_by (QmItem     *item,
               const char *character_id)
{
  return qm_item_is_held_by (item, character_id) &&
         qm_item_get_location (item) != QM_ITEM_LOCATION_POSTMASTER;
}

static gboolean
is_at_postmaster_of (QmItem     *item,
                     const char *character_id)
{
  return qm_item_is_held_by (item, character_id) &&
         qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER;
}

static gboolean
is_in_vault (QmItem     *item,
             const char *character_id)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
}

/* How many items the bucket holds at most, from its definition; 0 when unknown. */
static int
bucket_capacity (QmManifest *manifest,
                 guint32     bucket_hash)
{
  QmDefinition definition;

  if (manifest == NULL)
    return 0;
  definition = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, bucket_hash);
  return definition.known ? MAX (definition.value, 0) : 0;
}

/* While searching, each card says how many of the items it counts match
 * ("12 of 64": the character's carried items, the vault's). */
static void
update_matches (QmInventoryView *self)
{
  QmProfile *profile = self->inventory != NULL ? qm_inventory_get_profile (self->inventory) : NULL;
  guint n_characters = profile != NULL ? qm_profile_get_n_characters (profile) : 0;

  for (guint i = 0; i < self->cards->len; i++)
    {
      QmCharacterCard *card = g_ptr_array_index (self->cards, i);
      g_autofree char *text = NULL;

      if (self->searching && profile != NULL && self->items != NULL && i <= n_characters)
        {
          const char *id = i < n_characters ? qm_profile_get_character (profile, i)->id : NULL;
          gboolean (*match) (QmItem *, const char *) = i < n_characters ? is_carried_by : is_in_vault;

          /* Translators: items of a character (or the vault) that match the
           * search, out of all of theirs, e.g. "12 of 64". */
          text = g_strdup_printf (_("%u of %u"),
                                  count_items (G_LIST_MODEL (self->items), match, id),
                                  count_items (qm_profile_get_items (profile), match, id));
        }
      qm_character_card_set_matches (card, text);
    }
}

static GtkWidget *
character_button_new (QmInventoryView   *self,
                      const QmCharacter *character,
                      GListModel        *items,
                      QmManifest        *manifest)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *card = qm_character_card_new ();
  const char *class_name = qm_ui_class_name (character->class_type);
  guint n_carried = count_items (items, is_carried_by, character->id);
  guint n_postmaster = count_items (items, is_at_postmaster_of, character->id);
  int capacity = bucket_capacity (manifest, QM_BUCKET_POSTMASTER);
  g_autofree char *power = NULL;
  g_autofree char *count = NULL;
  g_autofree char *postmaster = NULL;
  g_autofree char *tooltip = NULL;

  /* Translators: a character's power (light) level. */
  power = g_strdup_printf (_("Power %d"), character->light);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_carried),
                           n_carried);
  if (n_postmaster > 0 && capacity > 0)
    /* Translators: items at a character's postmaster, out of how many it holds. */
    postmaster = g_strdup_printf (_("Postmaster %u / %d"), n_postmaster, capacity);
  else if (n_postmaster > 0)
    /* Translators: how many items wait at a character's postmaster. */
    postmaster = g_strdup_printf (_("Postmaster %u"), n_postmaster);

  qm_character_card_set_title (QM_CHARACTER_CARD (card), class_name);
  qm_character_card_set_power (QM_CHARACTER_CARD (card), power);
  qm_character_card_set_emblem (QM_CHARACTER_CARD (card), self->icons, character->emblem_path,
                                "avatar-default-symbolic");
  qm_character_card_set_counts (QM_CHARACTER_CARD (card), count, postmaster,
                                capacity > 0 && n_postmaster >= (guint) capacity);

  gtk_button_set_child (GTK_BUTTON (button), card);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "character-button");
  /* Translators: the tooltip of a character's card, e.g. "Show Hunter First". */
  tooltip = g_strdup_printf (_("Select %s"), class_name);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "character-id", g_strdup (character->id), g_free);
  g_signal_connect (button, "toggled", G_CALLBACK (on_card_toggled_cb), self);
  g_ptr_array_add (self->cards, card);
  return button;
}

static GtkWidget *
vault_card_new (QmInventoryView *self,
                GListModel      *items,
                QmManifest      *manifest)
{
  GtkWidget *card = qm_character_card_new ();
  guint n_vault = count_items (items, is_in_vault, NULL);
  int capacity = bucket_capacity (manifest, QM_BUCKET_VAULT);
  g_autofree char *count = NULL;
  GtkWidget *column;

  if (capacity > 0)
    /* Translators: items in the vault out of how many it holds, e.g. "329 / 700". */
    count = g_strdup_printf (_("%u / %d"), n_vault, capacity);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_vault),
                             n_vault);

  qm_character_card_set_title (QM_CHARACTER_CARD (card), _("Vault"));
  qm_character_card_set_emblem (QM_CHARACTER_CARD (card), NULL, NULL, "package-x-generic-symbolic");
  qm_character_card_set_counts (QM_CHARACTER_CARD (card), count, NULL, FALSE);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "vault-card");
  gtk_widget_set_halign (card, GTK_ALIGN_START);
  g_ptr_array_add (self->cards, card);
  /* As wide as the vault's column, the card at its start. */
  column = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (column, TRUE);
  gtk_box_append (GTK_BOX (column), card);
  return column;
}

static void
build_cards (QmInventoryView *self,
             QmProfile       *profile,
             QmManifest      *manifest)
{
  GListModel *items = qm_profile_get_items (profile);
  guint n_characters = qm_profile_get_n_characters (profile);
  GtkToggleButton *first = NULL;
  GtkWidget *vault;

  clear_cards (self);
  if (self->column_groups->len != n_characters + 1)
    {
      /* Rows made for other columns go with their groups. */
      gtk_list_view_set_factory (self->list_view, NULL);
      g_ptr_array_unref (self->column_groups);
      self->column_groups = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i <= n_characters; i++)
        g_ptr_array_add (self->column_groups, gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL));
      gtk_list_view_set_factory (self->list_view, self->factory);
    }

  for (guint i = 0; i < n_characters; i++)
    {
      GtkWidget *button = character_button_new (self, qm_profile_get_character (profile, i),
                                                items, manifest);

      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      g_ptr_array_add (self->card_buttons, button);
      gtk_box_append (GTK_BOX (self->header_box), button);
    }
  vault = vault_card_new (self, items, manifest);
  self->vault_column = vault;
  gtk_box_append (GTK_BOX (self->narrow ? self->vault_line : self->header_box), vault);
  if (!self->narrow)
    set_cards_grouped (self, TRUE);
}

/* The character played last, for a first start. */
static const char *
last_played_character (QmProfile *profile)
{
  const QmCharacter *last = NULL;

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, i);

      if (last == NULL || g_strcmp0 (character->date_last_played, last->date_last_played) > 0)
        last = character;
    }
  return last != NULL ? last->id : NULL;
}

/* ---------------------------------------------------------------------- */
/* Keyboard navigation                                                     */

typedef struct
{
  QmBucketRow *row;
  GtkWidget   *tile;
  guint        position;
  guint        column;
  guint        index;
} Place;

static gboolean
find_focused_place (QmInventoryView *self,
                    Place           *place)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  place->tile = NULL;
  /* Not when the focus is in a tile's details. */
  for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self);
       widget = gtk_widget_get_parent (widget))
    {
      if (GTK_IS_POPOVER (widget))
        return FALSE;
      if (QM_IS_ITEM_TILE (widget))
        {
          place->tile = widget;
          break;
        }
    }
  if (place->tile == NULL || self->slots == NULL)
    return FALSE;

  row = gtk_widget_get_ancestor (place->tile, QM_TYPE_BUCKET_ROW);
  if (row == NULL)
    return FALSE;
  place->row = QM_BUCKET_ROW (row);
  return qm_bucket_row_locate_tile (place->row, place->tile, &place->column, &place->index) &&
         qm_bucket_row_get_slot (place->row) != NULL &&
         find_position (self, qm_bucket_row_get_slot (place->row), &place->position);
}

/* Scroll so that @widget shows, with its row's title when there is room. */
static void
scroll_to_widget (QmInventoryView *self,
                  GtkWidget       *widget)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double height = gtk_widget_get_height (GTK_WIDGET (self->list_view));
  double value = gtk_adjustment_get_value (adjustment);
  graphene_rect_t bounds;
  double top;
  double bottom;

  if (!gtk_widget_compute_bounds (widget, GTK_WIDGET (self->list_view), &bounds))
    return;
  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  if (top < SCROLL_MARGIN)
    gtk_adjustment_set_value (adjustment, value + top - SCROLL_MARGIN);
  else if (bottom > height - SCROLL_MARGIN / 2)
    gtk_adjustment_set_value (adjustment, value + bottom - height + SCROLL_MARGIN / 2);
}

/* Where a tile is comes from the last layout, which a scroll since has not
 * updated yet: scroll once per frame, to where the focus is by then. */
static gboolean
scroll_to_focus_tick_cb (GtkWidget     *widget,
                         GdkFrameClock *clock,
                         gpointer       user_data)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  self->scroll_tick_id = 0;
  if (QM_IS_ITEM_TILE (focus) && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    scroll_to_widget (self, focus);
  return G_SOURCE_REMOVE;
}

static gboolean
focus_tile (QmInventoryView *self,
            GtkWidget       *tile)
{
  if (!gtk_widget_grab_focus (tile))
    return FALSE;
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_focus_tick_cb,
                                                         NULL, NULL);
  return TRUE;
}

static gboolean
cell_is_empty (QmInventoryView *self,
               guint            position,
               guint            column)
{
  g_autoptr(QmInventorySlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position);

  /* Narrow, the other characters' cells are not shown. */
  if (self->narrow && slot != NULL && column < qm_inventory_slot_get_n_characters (slot) &&
      (int) column != self->selected_column)
    return TRUE;
  return slot == NULL || column >= qm_inventory_slot_get_n_columns (slot) ||
         g_list_model_get_n_items (qm_inventory_slot_get_cell (slot, column)) == 0;
}

static guint
n_columns_at (QmInventoryView *self,
              guint            position)
{
  g_autoptr(QmInventorySlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), position);

  return slot != NULL ? qm_inventory_slot_get_n_columns (slot) : 0;
}

/* The horizontal centre of @tile and its top, in its cell. */
static gboolean
tile_position (GtkWidget *tile,
               GtkWidget *cell,
               double    *x,
               double    *y)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (tile, cell, &bounds))
    return FALSE;
  *x = bounds.origin.x + bounds.size.width / 2;
  *y = bounds.origin.y;
  return TRUE;
}

/* The tile of @tiles on the first (or last) line nearest to @x. */
static GtkWidget *
pick_tile (GPtrArray   *tiles,
           GtkWidget   *cell,
           FocusTarget  target,
           double       x)
{
  GtkWidget *best = NULL;
  double best_y = 0;
  double best_dx = 0;

  if (tiles->len == 0)
    return NULL;
  if (target == TILE_FIRST)
    return g_ptr_array_index (tiles, 0);

  for (guint i = 0; i < tiles->len; i++)
    {
      GtkWidget *tile = g_ptr_array_index (tiles, i);
      double tile_x;
      double tile_y;
      gboolean better;

      if (!tile_position (tile, cell, &tile_x, &tile_y))
        continue;
      if (best == NULL)
        better = TRUE;
      else if (tile_y != best_y)
        better = target == LINE_FIRST ? tile_y < best_y : tile_y > best_y;
      else
        better = ABS (tile_x - x) < best_dx;
      if (better)
        {
          best = tile;
          best_y = tile_y;
          best_dx = ABS (tile_x - x);
        }
    }
  /* Not laid out yet: its first tile. */
  return best != NULL ? best : g_ptr_array_index (tiles, 0);
}

static gboolean
focus_in_row (QmInventoryView *self,
              QmBucketRow     *row,
              guint            column,
              FocusTarget      target,
              double           x)
{
  g_autoptr(GPtrArray) tiles = NULL;
  GtkWidget *tile;

  if (column >= qm_bucket_row_get_n_cells (row))
    return FALSE;
  tiles = qm_bucket_row_get_tiles (row, column);
  tile = pick_tile (tiles, qm_bucket_row_get_cell (row, column), target, x);
  return tile != NULL && focus_tile (self, tile);
}

/* From the second frame on: the first one lays out what changed before. */
static gboolean
pending_focus_tick_cb (GtkWidget     *widget,
                       GdkFrameClock *clock,
                       gpointer       user_data)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (widget);
  QmBucketRow *row;

  if (self->pending_frames++ == 0)
    return G_SOURCE_CONTINUE;
  row = find_row (self, self->pending_position);
  if ((row != NULL && focus_in_row (self, row, self->pending_column, self->pending_target,
                                    self->pending_x))
      || self->pending_frames >= PENDING_FOCUS_FRAMES)
    {
      self->pending_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Focus a tile of the cell at @position and @column once its row is laid
 * out: the list view hides the rows out of sight, and the focus with them. */
static void
focus_cell_later (QmInventoryView *self,
                  guint            position,
                  guint            column,
                  FocusTarget      target,
                  double           x)
{
  self->pending_position = position;
  self->pending_column = column;
  self->pending_target = target;
  self->pending_x = x;
  self->pending_frames = 0;
  if (self->pending_tick_id == 0)
    self->pending_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), pending_focus_tick_cb,
                                                          NULL, NULL);
}

static gboolean
focus_cell (QmInventoryView *self,
            guint            position,
            guint            column,
            FocusTarget      target,
            double           x)
{
  QmBucketRow *row = find_row (self, position);

  if (row != NULL && focus_in_row (self, row, column, target, x))
    return TRUE;

  /* Out of sight: scroll to it, then focus it. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  focus_cell_later (self, position, column, target, x);
  return TRUE;
}

static gboolean
move_horizontally (QmInventoryView *self,
                   Place           *place,
                   int              step)
{
  g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (place->row, place->column);
  guint n_cells = qm_bucket_row_get_n_cells (place->row);

  if (step > 0 && place->index + 1 < tiles->len)
    return focus_tile (self, g_ptr_array_index (tiles, place->index + 1));
  if (step < 0 && place->index > 0)
    return focus_tile (self, g_ptr_array_index (tiles, place->index - 1));

  /* On into the next cell of the row that has something. */
  for (int column = (int) place->column + step; column >= 0 && column < (int) n_cells; column += step)
    {
      g_autoptr(GPtrArray) other = qm_bucket_row_get_tiles (place->row, column);

      if (other->len > 0)
        return focus_tile (self, g_ptr_array_index (other, step > 0 ? 0 : other->len - 1));
    }
  /* At the edge of the row the focus stays. */
  return TRUE;
}

/* The cell of the row at @position nearest to @column that has something. */
static gboolean
nearest_cell (QmInventoryView *self,
              guint            position,
              guint            column,
              guint           *found)
{
  guint n_columns = n_columns_at (self, position);

  for (guint distance = 0; distance < n_columns; distance++)
    {
      if (column >= distance && !cell_is_empty (self, position, column - distance))
        {
          *found = column - distance;
          return TRUE;
        }
      if (column + distance < n_columns && !cell_is_empty (self, position, column + distance))
        {
          *found = column + distance;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
move_vertically (QmInventoryView *self,
                 Place           *place,
                 int              step)
{
  g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (place->row, place->column);
  GtkWidget *cell = qm_bucket_row_get_cell (place->row, place->column);
  GtkWidget *best = NULL;
  double x = 0;
  double y = 0;
  double best_y = 0;
  double best_dx = 0;
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->slots));

  /* First the next line of a cell that wraps. */
  if (tile_position (place->tile, cell, &x, &y))
    for (guint i = 0; i < tiles->len; i++)
      {
        GtkWidget *tile = g_ptr_array_index (tiles, i);
        double tile_x;
        double tile_y;

        if (!tile_position (tile, cell, &tile_x, &tile_y) || (step > 0 ? tile_y <= y : tile_y >= y))
          continue;
        if (best == NULL || (step > 0 ? tile_y < best_y : tile_y > best_y)
            || (tile_y == best_y && ABS (tile_x - x) < best_dx))
          {
            best = tile;
            best_y = tile_y;
            best_dx = ABS (tile_x - x);
          }
      }
  if (best != NULL)
    return focus_tile (self, best);

  /* Then the same column in the next row (rows are never empty). */
  for (int position = (int) place->position + step; position >= 0 && position < (int) n_rows;
       position += step)
    {
      guint column;

      if (nearest_cell (self, position, place->column, &column))
        return focus_cell (self, position, column, step > 0 ? LINE_FIRST : LINE_LAST,
                           column == place->column ? x : 0);
    }
  return TRUE;
}

/* Tab: the first tile of the next cell with something, row after row. */
static gboolean
move_to_cell (QmInventoryView *self,
              Place           *place,
              int              step)
{
  int n_rows = (int) g_list_model_get_n_items (G_LIST_MODEL (self->slots));
  int position = (int) place->position;
  int column = (int) place->column + step;

  for (;;)
    {
      int n_columns = (int) n_columns_at (self, position);

      for (; column >= 0 && column < n_columns; column += step)
        if (!cell_is_empty (self, position, column))
          return focus_cell (self, position, column, TILE_FIRST, 0);
      position += step;
      /* Past the last cell: out of the view, the usual way. */
      if (position < 0 || position >= n_rows)
        return FALSE;
      column = step > 0 ? 0 : (int) n_columns_at (self, position) - 1;
    }
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   QmInventoryView       *self)
{
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();
  GtkDirectionType direction;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      direction = GTK_DIR_LEFT;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      direction = GTK_DIR_RIGHT;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      direction = GTK_DIR_UP;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      direction = GTK_DIR_DOWN;
      break;
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      direction = (modifiers & GDK_SHIFT_MASK) ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
      modifiers &= ~GDK_SHIFT_MASK;
      break;
    case GDK_KEY_ISO_Left_Tab:
      direction = GTK_DIR_TAB_BACKWARD;
      modifiers &= ~GDK_SHIFT_MASK;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  if (modifiers != 0)
    return GDK_EVENT_PROPAGATE;

  return qm_inventory_view_move_focus (self, direction) ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* ---------------------------------------------------------------------- */
/* Layout: wide or narrow                                                  */

/* What a narrow view needs at least before it has been measured. */
#define NARROW_MIN_WIDTH 360

static void
apply_narrow (QmInventoryView *self)
{
  GtkWidget *vault_parent;

  if (self->vault_column != NULL)
    {
      vault_parent = self->narrow ? self->vault_line : self->header_box;
      if (gtk_widget_get_parent (self->vault_column) != vault_parent)
        {
          g_object_ref (self->vault_column);
          gtk_box_remove (GTK_BOX (gtk_widget_get_parent (self->vault_column)), self->vault_column);
          gtk_box_append (GTK_BOX (vault_parent), self->vault_column);
          g_object_unref (self->vault_column);
        }
    }
  set_cards_grouped (self, !self->narrow);
  gtk_box_set_homogeneous (GTK_BOX (self->header_box), self->narrow);
  for (guint i = 0; i < self->card_buttons->len; i++)
    gtk_widget_set_hexpand (g_ptr_array_index (self->card_buttons, i), self->narrow);
  gtk_widget_set_visible (self->vault_line, self->narrow && self->vault_column != NULL);
  if (self->narrow)
    gtk_widget_add_css_class (GTK_WIDGET (self), "narrow");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "narrow");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row != NULL)
        qm_bucket_row_set_narrow (row, self->narrow);
    }
}

static void
set_narrow (QmInventoryView *self,
            gboolean         narrow)
{
  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  apply_narrow (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

/* The width the view got decides, from the next frame on: a layout is not
 * changed while it is being allocated. */
static gboolean
layout_idle_cb (gpointer data)
{
  QmInventoryView *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  self->layout_idle_id = 0;
  if (!self->narrow && width < self->wide_min_width)
    set_narrow (self, TRUE);
  else if (self->narrow && width >= self->wide_min_width)
    set_narrow (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
qm_inventory_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (widget);

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          *minimum = MAX (*minimum, child_min);
          *natural = MAX (*natural, child_nat);
        }
      else
        {
          int child_width_min = 0;
          int width = for_size;

          if (width >= 0)
            {
              gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_width_min, NULL, NULL, NULL);
              width = MAX (width, child_width_min);
            }
          gtk_widget_measure (child, orientation, width, &child_min, &child_nat, NULL, NULL);
          *minimum += child_min;
          *natural += child_nat;
        }
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Side by side the columns need their width; narrower, the view
       * shows one character at a time. */
      if (self->narrow)
        self->narrow_min_width = *minimum;
      else
        {
          self->wide_min_width = *minimum;
          *minimum = MIN (*minimum, self->narrow_min_width > 0 ? self->narrow_min_width : NARROW_MIN_WIDTH);
        }
      *natural = MAX (*natural, *minimum);
    }
}

static void
qm_inventory_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (widget);
  GtkWidget *expanding = GTK_WIDGET (self->stack);
  int fixed = 0;
  int y = 0;

  if (self->layout_idle_id == 0 &&
      ((!self->narrow && width < self->wide_min_width) ||
       (self->narrow && width >= self->wide_min_width)))
    self->layout_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, layout_idle_cb, self, NULL);

  /* Top to bottom; the list takes what is left. A child needing more width
   * than there is (for a frame, until the layout changes) is clipped. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_width_min = 0;
      int child_height = 0;

      if (!gtk_widget_should_layout (child) || child == expanding)
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_width_min, NULL, NULL, NULL);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, child_width_min),
                          NULL, &child_height, NULL, NULL);
      fixed += child_height;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_width_min = 0;
      int child_height_min = 0;
      int child_height = 0;
      int child_width;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_width_min, NULL, NULL, NULL);
      child_width = MAX (width, child_width_min);
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, child_width,
                          &child_height_min, &child_height, NULL, NULL);
      if (child == expanding)
        child_height = MAX (height - fixed, child_height_min);
      gtk_widget_size_allocate (child,
                                &(GtkAllocation) { 0, y, child_width, child_height },
                                -1);
      y += child_height;
    }
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
qm_inventory_view_dispose (GObject *object)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->layout_idle_id, g_source_remove);
  if (self->pending_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->pending_tick_id);
  self->pending_tick_id = 0;
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  if (self->filter != NULL)
    g_clear_signal_handler (&self->filter_changed_id, self->filter);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->cards != NULL)
    clear_cards (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_INVENTORY_VIEW);
  /* The template's unnamed separator is a direct child too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->slots);
  g_clear_object (&self->slot_filter);
  g_clear_object (&self->items);
  g_clear_object (&self->filter);
  g_clear_object (&self->inventory);
  g_clear_object (&self->icons);
  g_clear_object (&self->factory);
  g_clear_pointer (&self->column_groups, g_ptr_array_unref);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->card_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (qm_inventory_view_parent_class)->dispose (object);
}

static void
qm_inventory_view_finalize (GObject *object)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (object);

  g_free (self->selected_id);

  G_OBJECT_CLASS (qm_inventory_view_parent_class)->finalize (object);
}

static void
qm_inventory_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_CHARACTER:
      g_value_set_string (value, qm_inventory_view_get_selected_character (self));
      break;
    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_inventory_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_CHARACTER:
      qm_inventory_view_set_selected_character (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_inventory_view_class_init (QmInventoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_inventory_view_dispose;
  object_class->finalize = qm_inventory_view_finalize;
  object_class->get_property = qm_inventory_view_get_property;
  object_class->set_property = qm_inventory_view_set_property;

  properties[PROP_SELECTED_CHARACTER] =
    g_param_spec_string ("selected-character", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-inventory-view.ui");
  gtk_widget_class_bind_template_child (widget_class, QmInventoryView, header_box);
  gtk_widget_class_bind_template_child (widget_class, QmInventoryView, vault_line);
  gtk_widget_class_bind_template_child (widget_class, QmInventoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, QmInventoryView, scroller);
  gtk_widget_class_bind_template_child (widget_class, QmInventoryView, list_view);
  widget_class->measure = qm_inventory_view_measure;
  widget_class->size_allocate = qm_inventory_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "qminventoryview");
}

static void
qm_inventory_view_init (QmInventoryView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Narrow for a frame, the columns side by side are clipped. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->column_groups = g_ptr_array_new_with_free_func (g_object_unref);
  self->cards = g_ptr_array_new ();
  self->card_buttons = g_ptr_array_new ();
  self->selected_column = -1;

  self->factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (self->factory, "setup", G_CALLBACK (on_setup_cb), self);
  g_signal_connect (self->factory, "bind", G_CALLBACK (on_bind_cb), self);
  g_signal_connect (self->factory, "unbind", G_CALLBACK (on_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, self->factory);

  /* Before the grids and the list, which have arrow bindings of their own. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                              */

GtkWidget *
qm_inventory_view_new (void)
{
  return g_object_new (QM_TYPE_INVENTORY_VIEW, NULL);
}

void
qm_inventory_view_set_inventory (QmInventoryView *self,
                                 QmInventory     *inventory,
                                 QmIconCache     *icons)
{
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GListStore) slots = NULL;
  QmProfile *profile;
  QmManifest *manifest;
  GListModel *items;
  guint n_characters;

  g_return_if_fail (QM_IS_INVENTORY_VIEW (self));
  g_return_if_fail (inventory == NULL || QM_IS_INVENTORY (inventory));
  g_return_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons));

  /* Set first: the rows bound below read them. */
  g_set_object (&self->inventory, inventory);
  g_set_object (&self->icons, icons);
  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->slots);
  g_clear_object (&self->slot_filter);
  g_clear_object (&self->items);
  if (inventory == NULL)
    {
      clear_cards (self);
      update_empty_state (self);
      return;
    }

  profile = qm_inventory_get_profile (inventory);
  manifest = qm_inventory_get_manifest (inventory);
  items = qm_profile_get_items (profile);
  n_characters = qm_profile_get_n_characters (profile);

  self->items = gtk_filter_list_model_new (g_object_ref (items),
                                           self->filter != NULL ? g_object_ref (self->filter) : NULL);
  columns = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_characters; i++)
    {
      GtkCustomFilter *filter = gtk_custom_filter_new (held_by_match,
                                                       g_strdup (qm_profile_get_character (profile, i)->id),
                                                       g_free);

      g_ptr_array_add (columns, gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                                           GTK_FILTER (filter)));
    }
  g_ptr_array_add (columns,
                   gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              GTK_FILTER (gtk_custom_filter_new (vault_match, NULL, NULL))));
  slots = qm_inventory_slot_list_new (items, columns, n_characters, manifest);
  self->slot_filter = GTK_FILTER (gtk_custom_filter_new (slot_not_empty_match, NULL, NULL));
  self->slots = gtk_filter_list_model_new (G_LIST_MODEL (g_steal_pointer (&slots)),
                                           g_object_ref (self->slot_filter));

  build_cards (self, profile, manifest);
  /* Whom the last run showed, while it is one of this account's. */
  if (self->selected_id == NULL || qm_profile_find_character (profile, self->selected_id) == NULL)
    qm_inventory_view_set_selected_character (self, last_played_character (profile));
  else
    update_selection (self);

  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->slots)))));
  update_empty_state (self);
  update_matches (self);
}

void
qm_inventory_view_set_filter (QmInventoryView *self,
                              GtkFilter       *filter)
{
  g_return_if_fail (QM_IS_INVENTORY_VIEW (self));
  g_return_if_fail (filter == NULL || GTK_IS_FILTER (filter));

  if (self->filter == filter)
    return;
  if (self->filter != NULL)
    g_clear_signal_handler (&self->filter_changed_id, self->filter);
  g_set_object (&self->filter, filter);
  /* After the models the filter drives, so that the cells are up to date. */
  if (filter != NULL)
    self->filter_changed_id = g_signal_connect_after (filter, "changed",
                                                      G_CALLBACK (on_filter_changed_after_cb), self);
  if (self->items != NULL)
    {
      gtk_filter_list_model_set_filter (self->items, filter);
      on_filter_changed_after_cb (filter, GTK_FILTER_CHANGE_DIFFERENT, self);
    }
}

GListModel *
qm_inventory_view_get_items (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->items);
}

GListModel *
qm_inventory_view_get_slots (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  return G_LIST_MODEL (self->slots);
}

const char *
qm_inventory_view_get_selected_character (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  return self->selected_id;
}

void
qm_inventory_view_set_selected_character (QmInventoryView *self,
                                          const char      *character_id)
{
  g_return_if_fail (QM_IS_INVENTORY_VIEW (self));

  if (g_strcmp0 (self->selected_id, character_id) != 0)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (character_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CHARACTER]);
    }
  update_selection (self);
}

guint
qm_inventory_view_get_n_cards (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), 0);

  return self->cards->len;
}

GtkWidget *
qm_inventory_view_get_card (QmInventoryView *self,
                            guint            column)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);
  g_return_val_if_fail (column < self->cards->len, NULL);

  return g_ptr_array_index (self->cards, column);
}

gboolean
qm_inventory_view_get_narrow (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), FALSE);

  return self->narrow;
}

void
qm_inventory_view_set_searching (QmInventoryView *self,
                                 gboolean         searching)
{
  g_return_if_fail (QM_IS_INVENTORY_VIEW (self));

  searching = !!searching;
  if (self->searching == searching)
    return;
  self->searching = searching;
  update_matches (self);
}

gboolean
qm_inventory_view_focus_first_tile (QmInventoryView *self)
{
  guint n_rows;

  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), FALSE);

  if (self->slots == NULL)
    return FALSE;
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->slots));
  for (guint position = 0; position < n_rows; position++)
    {
      guint column;

      if (nearest_cell (self, position, 0, &column))
        {
          /* The rows may have just changed (a search): wait for them. */
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
          focus_cell_later (self, position, column, TILE_FIRST, 0);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
qm_inventory_view_move_focus (QmInventoryView  *self,
                              GtkDirectionType  direction)
{
  Place place;

  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), FALSE);

  if (!find_focused_place (self, &place))
    return FALSE;

  switch (direction)
    {
    case GTK_DIR_LEFT:
      return move_horizontally (self, &place, -1);
    case GTK_DIR_RIGHT:
      return move_horizontally (self, &place, 1);
    case GTK_DIR_UP:
      return move_vertically (self, &place, -1);
    case GTK_DIR_DOWN:
      return move_vertically (self, &place, 1);
    case GTK_DIR_TAB_FORWARD:
      return move_to_cell (self, &place, 1);
    case GTK_DIR_TAB_BACKWARD:
      return move_to_cell (self, &place, -1);
    default:
      return FALSE;
    }
}
