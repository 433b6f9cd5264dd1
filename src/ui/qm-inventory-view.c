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
 *
 * Moving: a GtkDragSource on the list picks the tile under the pointer and
 * offers its instance id, or the selection's (G_TYPE_STRV); GtkDropTargets
 * on the list (a column, or an equipped slot) and on the cards take them.
 * What a drop may do is worked out once per drag with the move controller's
 * check, so that the places it can go are highlighted while it goes and a
 * refused drop says why. The selection is a GtkMultiSelection over the
 * items shown.
 */

#define G_LOG_DOMAIN "qm-inventory-view"

#include "config.h"

#include <adwaita.h>
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

  /* Moving */
  QmMoveController   *moves;
  GtkMultiSelection  *selection;      /* over items */
  GHashTable         *selected_ids;   /* the selection's instance ids */
  char               *anchor_id;      /* where a Shift-click range starts */
  GtkDragSource      *drag_source;
  char              **drag_ids;       /* of the drag from here, while it goes */
  /* What the dragged items can do, worked out once per set of ids: per
   * column why a move there is refused (NULL: it is not; "": nothing to
   * do), per character why an equip is. */
  char              **checked_ids;
  GPtrArray          *move_refusals;
  GPtrArray          *equip_refusals;
  gint64              drag_slot_key;  /* the dragged items' slot row; 0: several */
  int                 hover_column;
  gboolean            hover_equipped;
  GListModel         *counted_items;  /* the profile's, its counts on the cards */
  gulong              counted_items_id;
  guint               counts_idle_id;
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

static void on_tile_made_cb (GtkWidget *tile,
                             gpointer   user_data);
static void apply_drop_state_to_row (QmInventoryView *self,
                                     QmBucketRow     *row);

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             QmInventoryView          *self)
{
  GtkWidget *row;

  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  row = qm_bucket_row_new (self->column_groups);
  qm_bucket_row_set_tile_func (QM_BUCKET_ROW (row), on_tile_made_cb, self);
  gtk_list_item_set_child (list_item, row);
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
  apply_drop_state_to_row (self, QM_BUCKET_ROW (gtk_list_item_get_child (list_item)));
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

/* A character's card: how many items they carry, and wait at their postmaster. */
static void
set_character_counts (QmCharacterCard *card,
                      const char      *character_id,
                      GListModel      *items,
                      QmManifest      *manifest)
{
  guint n_carried = count_items (items, is_carried_by, character_id);
  guint n_postmaster = count_items (items, is_at_postmaster_of, character_id);
  int capacity = bucket_capacity (manifest, QM_BUCKET_POSTMASTER);
  g_autofree char *count = NULL;
  g_autofree char *postmaster = NULL;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_carried),
                           n_carried);
  if (n_postmaster > 0 && capacity > 0)
    /* Translators: items at a character's postmaster, out of how many it holds. */
    postmaster = g_strdup_printf (_("Postmaster %u / %d"), n_postmaster, capacity);
  else if (n_postmaster > 0)
    /* Translators: how many items wait at a character's postmaster. */
    postmaster = g_strdup_printf (_("Postmaster %u"), n_postmaster);
  qm_character_card_set_counts (card, count, postmaster,
                                capacity > 0 && n_postmaster >= (guint) capacity);
}

static void
set_vault_counts (QmCharacterCard *card,
                  GListModel      *items,
                  QmManifest      *manifest)
{
  guint n_vault = count_items (items, is_in_vault, NULL);
  int capacity = bucket_capacity (manifest, QM_BUCKET_VAULT);
  g_autofree char *count = NULL;

  if (capacity > 0)
    /* Translators: items in the vault out of how many it holds, e.g. "329 / 700". */
    count = g_strdup_printf (_("%u / %d"), n_vault, capacity);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_vault),
                             n_vault);
  qm_character_card_set_counts (card, count, NULL, FALSE);
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
  g_autofree char *power = NULL;
  g_autofree char *tooltip = NULL;

  /* Translators: a character's power (light) level. */
  power = g_strdup_printf (_("Power %d"), character->light);

  qm_character_card_set_title (QM_CHARACTER_CARD (card), class_name);
  qm_character_card_set_power (QM_CHARACTER_CARD (card), power);
  qm_character_card_set_emblem (QM_CHARACTER_CARD (card), self->icons, character->emblem_path,
                                "avatar-default-symbolic");
  set_character_counts (QM_CHARACTER_CARD (card), character->id, items, manifest);

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
  GtkWidget *column;

  qm_character_card_set_title (QM_CHARACTER_CARD (card), _("Vault"));
  qm_character_card_set_emblem (QM_CHARACTER_CARD (card), NULL, NULL, "package-x-generic-symbolic");
  set_vault_counts (QM_CHARACTER_CARD (card), items, manifest);
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

/* The items moved: the counts on the cards follow, once per main loop turn. */
static gboolean
update_counts_idle_cb (gpointer user_data)
{
  QmInventoryView *self = user_data;
  QmProfile *profile = self->inventory != NULL ? qm_inventory_get_profile (self->inventory) : NULL;
  QmManifest *manifest = self->inventory != NULL ? qm_inventory_get_manifest (self->inventory) : NULL;
  guint n_characters;

  self->counts_idle_id = 0;
  if (profile == NULL)
    return G_SOURCE_REMOVE;
  n_characters = qm_profile_get_n_characters (profile);
  for (guint i = 0; i < self->cards->len; i++)
    {
      QmCharacterCard *card = g_ptr_array_index (self->cards, i);

      if (i < n_characters)
        set_character_counts (card, qm_profile_get_character (profile, i)->id,
                              qm_profile_get_items (profile), manifest);
      else
        set_vault_counts (card, qm_profile_get_items (profile), manifest);
    }
  update_matches (self);
  return G_SOURCE_REMOVE;
}

static void
on_profile_items_changed_cb (GListModel      *items,
                             guint            position,
                             guint            removed,
                             guint            added,
                             QmInventoryView *self)
{
  if (self->counts_idle_id == 0)
    self->counts_idle_id = g_idle_add (update_counts_idle_cb, self);
}

static void
watch_counts (QmInventoryView *self,
              GListModel      *items)
{
  if (self->counted_items == items)
    return;
  if (self->counted_items != NULL)
    g_clear_signal_handler (&self->counted_items_id, self->counted_items);
  g_set_object (&self->counted_items, items);
  if (items != NULL)
    self->counted_items_id = g_signal_connect (items, "items-changed",
                                               G_CALLBACK (on_profile_items_changed_cb), self);
}

static GtkDropTarget *drop_target_new (QmInventoryView *self,
                                       gboolean         card);

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
      gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (drop_target_new (self, TRUE)));
      gtk_box_append (GTK_BOX (self->header_box), button);
    }
  vault = vault_card_new (self, items, manifest);
  gtk_widget_add_controller (vault, GTK_EVENT_CONTROLLER (drop_target_new (self, TRUE)));
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

/* ---------------------------------------------------------------------- */
/* Moving: the selection, drag and drop, equipping                         */

static QmProfile *
get_profile (QmInventoryView *self)
{
  return self->inventory != NULL ? qm_inventory_get_profile (self->inventory) : NULL;
}

static guint
get_n_characters (QmInventoryView *self)
{
  QmProfile *profile = get_profile (self);

  return profile != NULL ? qm_profile_get_n_characters (profile) : 0;
}

/* The item with @instance_id among the profile's, and its place in the
 * items shown (G_MAXUINT: not shown). */
static QmItem *
find_item (QmInventoryView *self,
           const char      *instance_id,
           guint           *position)
{
  GListModel *items = self->items != NULL ? G_LIST_MODEL (self->items) : NULL;
  guint n = items != NULL ? g_list_model_get_n_items (items) : 0;

  if (position != NULL)
    *position = G_MAXUINT;
  if (instance_id == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (qm_item_get_instance_id (item), instance_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return g_steal_pointer (&item);
        }
    }
  if (get_profile (self) != NULL)
    {
      GListModel *all = qm_profile_get_items (get_profile (self));

      for (guint i = 0; i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (all, i);

          if (g_strcmp0 (qm_item_get_instance_id (item), instance_id) == 0)
            return g_steal_pointer (&item);
        }
    }
  return NULL;
}

/* The column @item is shown in. */
static guint
item_column (QmInventoryView *self,
             QmItem          *item)
{
  QmProfile *profile = get_profile (self);
  guint n_characters = get_n_characters (self);

  for (guint i = 0; i < n_characters; i++)
    if (qm_item_is_held_by (item, qm_profile_get_character (profile, i)->id))
      return i;
  return n_characters;
}

/* Every tile shown, with @func. */
static void
foreach_tile (QmInventoryView *self,
              void           (*func) (QmInventoryView *self, QmItemTile *tile))
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row == NULL)
        continue;
      for (guint column = 0; column < qm_bucket_row_get_n_cells (row); column++)
        {
          g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (row, column);

          for (guint i = 0; i < tiles->len; i++)
            func (self, g_ptr_array_index (tiles, i));
        }
    }
}

static const char *
tile_id (QmItemTile *tile)
{
  QmItem *item = qm_item_tile_get_item (tile);

  return item != NULL ? qm_item_get_instance_id (item) : NULL;
}

static void
mark_tile (QmInventoryView *self,
           QmItemTile      *tile)
{
  const char *id = tile_id (tile);

  qm_item_tile_set_in_flight (tile, self->moves != NULL && id != NULL &&
                                    qm_move_controller_is_in_flight (self->moves, id));
  qm_item_tile_set_selected (tile, id != NULL && self->selected_ids != NULL &&
                                   g_hash_table_contains (self->selected_ids, id));
}

static void
on_tile_made_cb (GtkWidget *tile,
                 gpointer   user_data)
{
  mark_tile (QM_INVENTORY_VIEW (user_data), QM_ITEM_TILE (tile));
}

static void
on_in_flight_changed_cb (QmMoveController *moves,
                         const char       *instance_id,
                         gboolean          in_flight,
                         QmInventoryView  *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row == NULL)
        continue;
      for (guint column = 0; column < qm_bucket_row_get_n_cells (row); column++)
        {
          g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (row, column);

          for (guint i = 0; i < tiles->len; i++)
            if (g_strcmp0 (tile_id (g_ptr_array_index (tiles, i)), instance_id) == 0)
              qm_item_tile_set_in_flight (g_ptr_array_index (tiles, i), in_flight);
        }
    }
}

/* The selection */

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         QmInventoryView   *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (model);
  g_autoptr(GListStore) items = g_list_store_new (QM_TYPE_ITEM);
  GtkBitsetIter iter;
  guint index;

  g_hash_table_remove_all (self->selected_ids);
  if (gtk_bitset_iter_init_first (&iter, selected, &index))
    do
      {
        g_autoptr(QmItem) item = g_list_model_get_item (G_LIST_MODEL (model), index);
        const char *id = item != NULL ? qm_item_get_instance_id (item) : NULL;

        if (id != NULL)
          {
            g_hash_table_add (self->selected_ids, g_strdup (id));
            g_list_store_append (items, item);
          }
      }
    while (gtk_bitset_iter_next (&iter, &index));
  foreach_tile (self, mark_tile);
  /* The context menu and the details act on the selection too. */
  if (self->moves != NULL)
    qm_move_controller_set_selection (self->moves, G_LIST_MODEL (items));
}

static void
on_selection_items_changed_cb (GListModel      *model,
                               guint            position,
                               guint            removed,
                               guint            added,
                               QmInventoryView *self)
{
  on_selection_changed_cb (GTK_SELECTION_MODEL (model), position, added, self);
}

static void
set_item_selected (QmInventoryView *self,
                   const char      *instance_id,
                   gboolean         selected)
{
  g_autoptr(QmItem) item = NULL;
  guint position;

  if (self->selection == NULL)
    return;
  item = find_item (self, instance_id, &position);
  if (item == NULL || position == G_MAXUINT)
    return;
  if (selected)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, FALSE);
  else
    gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (self->selection), position);
}

static void
toggle_tile (QmInventoryView *self,
             QmItemTile      *tile)
{
  const char *id = tile_id (tile);

  if (id == NULL)
    return;
  set_item_selected (self, id, !g_hash_table_contains (self->selected_ids, id));
  g_free (self->anchor_id);
  self->anchor_id = g_strdup (id);
}

/* Shift: from the anchor to @tile when both are in one cell, else @tile. */
static void
extend_to_tile (QmInventoryView *self,
                QmItemTile      *tile)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (tile), QM_TYPE_BUCKET_ROW);
  g_autoptr(GPtrArray) tiles = NULL;
  guint column;
  guint index;
  guint anchor = G_MAXUINT;

  if (tile_id (tile) == NULL)
    return;
  if (row == NULL || !qm_bucket_row_locate_tile (QM_BUCKET_ROW (row), GTK_WIDGET (tile), &column, &index))
    {
      set_item_selected (self, tile_id (tile), TRUE);
      return;
    }
  tiles = qm_bucket_row_get_tiles (QM_BUCKET_ROW (row), column);
  for (guint i = 0; i < tiles->len; i++)
    if (self->anchor_id != NULL && g_strcmp0 (tile_id (g_ptr_array_index (tiles, i)), self->anchor_id) == 0)
      anchor = i;
  if (anchor == G_MAXUINT)
    {
      set_item_selected (self, tile_id (tile), TRUE);
      g_free (self->anchor_id);
      self->anchor_id = g_strdup (tile_id (tile));
      return;
    }
  for (guint i = MIN (anchor, index); i <= MAX (anchor, index); i++)
    set_item_selected (self, tile_id (g_ptr_array_index (tiles, i)), TRUE);
}

static GtkWidget *
tile_at (QmInventoryView *self,
         double           x,
         double           y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);

  if (picked == NULL)
    return NULL;
  return QM_IS_ITEM_TILE (picked) ? picked : gtk_widget_get_ancestor (picked, QM_TYPE_ITEM_TILE);
}

/* Ctrl-click toggles a tile in the selection, Shift-click extends it. */
static void
on_select_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      QmInventoryView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *tile;

  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) == 0)
    return;
  tile = tile_at (self, x, y);
  if (tile == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (state & GDK_SHIFT_MASK)
    extend_to_tile (self, QM_ITEM_TILE (tile));
  else
    toggle_tile (self, QM_ITEM_TILE (tile));
  gtk_widget_grab_focus (tile);
}

/* What is dropped where */

static void
clear_checks (QmInventoryView *self)
{
  g_clear_pointer (&self->checked_ids, g_strfreev);
  g_ptr_array_set_size (self->move_refusals, 0);
  g_ptr_array_set_size (self->equip_refusals, 0);
  self->drag_slot_key = 0;
}

/* The requests for @ids dropped on @column (a character's or the vault's),
 * @equip: on its equipped slot. */
static GArray *
requests_for (QmInventoryView    *self,
              const char * const *ids,
              guint               column,
              gboolean            equip)
{
  GArray *requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  guint n_characters = get_n_characters (self);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      QmMoveRequest request = { 0 };

      request.instance_id = g_ascii_strtoull (ids[i], NULL, 10);
      if (request.instance_id == 0)
        continue;
      request.kind = equip ? QM_MOVE_REQUEST_EQUIP : QM_MOVE_REQUEST_MOVE;
      request.target = column < n_characters ? (int) column : QM_MOVE_VAULT;
      g_array_append_val (requests, request);
    }
  return requests;
}

/* TRUE when every item of @ids is in @column already (and, with @equip,
 * equipped there): a drop there has nothing to do. */
static gboolean
already_there (QmInventoryView    *self,
               const char * const *ids,
               guint               column,
               gboolean            equip)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(QmItem) item = find_item (self, ids[i], NULL);

      if (item == NULL || item_column (self, item) != column ||
          (equip && !qm_item_get_equipped (item)) ||
          qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER)
        return FALSE;
    }
  return TRUE;
}

/* Why dropping @ids on @column is refused (NULL: it is not; "": nothing
 * to do there). */
static char *
check_drop (QmInventoryView    *self,
            const char * const *ids,
            guint               column,
            gboolean            equip,
            QmMoveFlags         flags)
{
  g_autoptr(GArray) requests = NULL;

  if (self->moves == NULL || ids == NULL || ids[0] == NULL)
    return g_strdup ("");
  if (equip && column >= get_n_characters (self))
    return g_strdup ("");
  if (already_there (self, ids, column, equip))
    return g_strdup ("");
  requests = requests_for (self, ids, column, equip);
  if (requests->len == 0)
    return g_strdup ("");
  return qm_move_controller_check (self->moves, (QmMoveRequest *) requests->data, requests->len, flags);
}

/* The slot row the items of @ids are shown in, when it is one. */
static gint64
common_slot_key (QmInventoryView    *self,
                 const char * const *ids)
{
  gint64 key = 0;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(QmItem) item = find_item (self, ids[i], NULL);
      gint64 item_key;

      if (item == NULL || !qm_item_get_equippable (item))
        return 0;
      item_key = qm_bucket_get_sort_key (qm_item_get_slot_hash (item));
      if (key != 0 && key != item_key)
        return 0;
      key = item_key;
    }
  return key;
}

static void
ensure_checks (QmInventoryView    *self,
               const char * const *ids)
{
  guint n_characters = get_n_characters (self);

  if (self->checked_ids != NULL && ids != NULL &&
      g_strv_equal ((const char * const *) self->checked_ids, ids))
    return;
  clear_checks (self);
  if (ids == NULL)
    return;
  self->checked_ids = g_strdupv ((char **) ids);
  for (guint column = 0; column <= n_characters; column++)
    g_ptr_array_add (self->move_refusals, check_drop (self, ids, column, FALSE, QM_MOVE_FLAGS_NONE));
  self->drag_slot_key = common_slot_key (self, ids);
  for (guint column = 0; column < n_characters; column++)
    g_ptr_array_add (self->equip_refusals,
                     self->drag_slot_key != 0 ? check_drop (self, ids, column, TRUE, QM_MOVE_FLAGS_NONE)
                                              : g_strdup (""));
}

static const char *
refusal_at (QmInventoryView *self,
            guint            column,
            gboolean         equipped)
{
  GPtrArray *refusals = equipped ? self->equip_refusals : self->move_refusals;

  if (column >= refusals->len)
    return "";
  return g_ptr_array_index (refusals, column);
}

/* Bit i set: column i takes the drop (or refuses it, @refused). */
static guint64
column_mask (QmInventoryView *self,
             gboolean         refused)
{
  guint64 mask = 0;

  if (self->checked_ids == NULL)
    return 0;
  for (guint i = 0; i < self->move_refusals->len && i < 64; i++)
    {
      const char *refusal = g_ptr_array_index (self->move_refusals, i);

      if (refused ? (refusal != NULL && *refusal != '\0') : refusal == NULL)
        mask |= G_GUINT64_CONSTANT (1) << i;
    }
  return mask;
}

static void
apply_drop_state_to_row (QmInventoryView *self,
                         QmBucketRow     *row)
{
  QmInventorySlot *slot = qm_bucket_row_get_slot (row);
  gboolean here = slot != NULL && self->hover_equipped &&
                  qm_inventory_slot_get_key (slot) == self->drag_slot_key;

  if (self->drag_ids == NULL && self->hover_column < 0)
    {
      qm_bucket_row_set_drop_state (row, 0, 0, -1, FALSE);
      return;
    }
  qm_bucket_row_set_drop_state (row, column_mask (self, FALSE), column_mask (self, TRUE),
                                self->hover_column, here);
}

static void
set_widget_class (GtkWidget  *widget,
                  const char *name,
                  gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* The widget a card's drop target sits on: the character's button, the
 * vault's column. */
static GtkWidget *
card_target (QmInventoryView *self,
             guint            column)
{
  if (column < self->card_buttons->len)
    return g_ptr_array_index (self->card_buttons, column);
  return column == self->card_buttons->len ? self->vault_column : NULL;
}

static void
apply_drop_state (QmInventoryView *self)
{
  gboolean active = self->drag_ids != NULL || self->hover_column >= 0;
  guint64 valid = active ? column_mask (self, FALSE) : 0;
  guint64 refused = active ? column_mask (self, TRUE) : 0;

  set_widget_class (GTK_WIDGET (self), "dragging", self->drag_ids != NULL);
  for (guint i = 0; i <= self->card_buttons->len && i < 64; i++)
    {
      GtkWidget *target = card_target (self, i);

      if (target == NULL)
        continue;
      set_widget_class (target, "drop-valid", (valid & (G_GUINT64_CONSTANT (1) << i)) != 0);
      set_widget_class (target, "drop-refused", (refused & (G_GUINT64_CONSTANT (1) << i)) != 0);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row != NULL)
        apply_drop_state_to_row (self, row);
    }
}

static void
set_hover (QmInventoryView *self,
           int              column,
           gboolean         equipped)
{
  const char *refusal;

  if (self->hover_column == column && self->hover_equipped == equipped)
    return;
  self->hover_column = column;
  self->hover_equipped = equipped;
  refusal = column >= 0 && equipped ? refusal_at (self, column, TRUE) : NULL;
  set_widget_class (GTK_WIDGET (self), "drop-equip-refused", refusal != NULL && *refusal != '\0');
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row != NULL)
        apply_drop_state_to_row (self, row);
    }
}

static void
show_refusal (QmInventoryView *self,
              const char      *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;

  if (overlay == NULL || message == NULL || *message == '\0')
    return;
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

/* The modifier held at the drop: Alt flips "Make space automatically". */
static QmMoveFlags
flags_at_drop (QmInventoryView *self)
{
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (GTK_WIDGET (self)));
  GdkDevice *keyboard = seat != NULL ? gdk_seat_get_keyboard (seat) : NULL;

  if (keyboard != NULL && (gdk_device_get_modifier_state (keyboard) & GDK_ALT_MASK) != 0)
    return QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE;
  return QM_MOVE_FLAGS_NONE;
}

/* The ids a drop carries: the value when loaded, else the drag's own. */
static const char * const *
dropped_ids (QmInventoryView *self,
             GtkDropTarget   *target)
{
  const GValue *value = gtk_drop_target_get_value (target);

  if (value != NULL && G_VALUE_HOLDS (value, G_TYPE_STRV))
    return g_value_get_boxed (value);
  return (const char * const *) self->drag_ids;
}

/* Where (@x, @y) of the list is: a column, and whether it is the equipped
 * slot of the dragged items' own row. */
static gboolean
locate_drop (QmInventoryView *self,
             double           x,
             double           y,
             guint           *column,
             gboolean        *equipped)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = picked != NULL ? (QM_IS_BUCKET_ROW (picked) ? picked
                                                               : gtk_widget_get_ancestor (picked, QM_TYPE_BUCKET_ROW))
                                  : NULL;
  graphene_point_t point;
  QmInventorySlot *slot;

  if (row == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self->list_view), row, &GRAPHENE_POINT_INIT (x, y), &point) ||
      !qm_bucket_row_find_cell (QM_BUCKET_ROW (row), point.x, point.y, column, equipped))
    return FALSE;
  slot = qm_bucket_row_get_slot (QM_BUCKET_ROW (row));
  if (*equipped && (slot == NULL || qm_inventory_slot_get_key (slot) != self->drag_slot_key))
    *equipped = FALSE;
  return TRUE;
}

static GdkDragAction
hover_at (QmInventoryView    *self,
          const char * const *ids,
          int                 column,
          gboolean            equipped)
{
  const char *refusal;

  if (ids == NULL || column < 0)
    {
      set_hover (self, -1, FALSE);
      /* Not known yet (loading): asked again at the next motion. */
      return ids == NULL && column >= 0 ? GDK_ACTION_MOVE : 0;
    }
  ensure_checks (self, ids);
  refusal = refusal_at (self, column, equipped);
  /* Nothing to do: the place is not a target. */
  if (refusal != NULL && *refusal == '\0')
    {
      set_hover (self, -1, FALSE);
      return 0;
    }
  set_hover (self, column, equipped);
  /* A refused place takes the drop too, to say why it refuses it. */
  return GDK_ACTION_MOVE;
}

static GdkDragAction
on_list_drop_motion_cb (GtkDropTarget   *target,
                        double           x,
                        double           y,
                        QmInventoryView *self)
{
  const char * const *ids = dropped_ids (self, target);
  guint column;
  gboolean equipped;

  if (ids != NULL)
    ensure_checks (self, ids);
  if (!locate_drop (self, x, y, &column, &equipped))
    return hover_at (self, ids, -1, FALSE);
  return hover_at (self, ids, (int) column, equipped);
}

static void
on_drop_leave_cb (GtkDropTarget   *target,
                  QmInventoryView *self)
{
  set_hover (self, -1, FALSE);
}

static gboolean
on_list_drop_cb (GtkDropTarget   *target,
                 const GValue    *value,
                 double           x,
                 double           y,
                 QmInventoryView *self)
{
  const char * const *ids = g_value_get_boxed (value);
  guint column;
  gboolean equipped;

  /* On X11 no "leave" comes with the drop. */
  set_hover (self, -1, FALSE);
  if (ids == NULL)
    return FALSE;
  ensure_checks (self, ids);
  if (!locate_drop (self, x, y, &column, &equipped))
    return FALSE;
  return qm_inventory_view_drop_items (self, ids, column, equipped, flags_at_drop (self), NULL);
}

static GdkDragAction
on_card_drop_motion_cb (GtkDropTarget   *target,
                        double           x,
                        double           y,
                        QmInventoryView *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  const char * const *ids = dropped_ids (self, target);

  for (guint i = 0; i <= self->card_buttons->len; i++)
    if (card_target (self, i) == widget)
      return hover_at (self, ids, (int) i, FALSE);
  return 0;
}

static gboolean
on_card_drop_cb (GtkDropTarget   *target,
                 const GValue    *value,
                 double           x,
                 double           y,
                 QmInventoryView *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  const char * const *ids = g_value_get_boxed (value);

  set_hover (self, -1, FALSE);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i <= self->card_buttons->len; i++)
    if (card_target (self, i) == widget)
      return qm_inventory_view_drop_items (self, ids, i, FALSE, flags_at_drop (self), NULL);
  return FALSE;
}

static GtkDropTarget *
drop_target_new (QmInventoryView *self,
                 gboolean         card)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRV, GDK_ACTION_MOVE);

  /* Within the app the value is at hand: no transfer. */
  gtk_drop_target_set_preload (target, TRUE);
  g_signal_connect (target, "motion",
                    card ? G_CALLBACK (on_card_drop_motion_cb) : G_CALLBACK (on_list_drop_motion_cb), self);
  g_signal_connect (target, "enter",
                    card ? G_CALLBACK (on_card_drop_motion_cb) : G_CALLBACK (on_list_drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave_cb), self);
  g_signal_connect (target, "drop", card ? G_CALLBACK (on_card_drop_cb) : G_CALLBACK (on_list_drop_cb), self);
  return target;
}

/* The drag source */

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource   *source,
                    double           x,
                    double           y,
                    QmInventoryView *self)
{
  GtkWidget *tile = tile_at (self, x, y);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GdkPaintable) icon = NULL;
  graphene_point_t point = GRAPHENE_POINT_INIT (0, 0);

  if (tile == NULL || self->moves == NULL)
    return NULL;
  ids = qm_inventory_view_dup_drag_ids (self, QM_ITEM_TILE (tile));
  if (ids == NULL)
    return NULL;
  icon = gtk_widget_paintable_new (tile);
  /* Held where it was taken. */
  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), tile, &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (0, 0);
  gtk_drag_source_set_icon (source, icon, (int) point.x, (int) point.y);
  g_strfreev (self->drag_ids);
  self->drag_ids = g_strdupv (ids);
  return gdk_content_provider_new_typed (G_TYPE_STRV, ids);
}

static void
on_drag_begin_cb (GtkDragSource   *source,
                  GdkDrag         *drag,
                  QmInventoryView *self)
{
  ensure_checks (self, (const char * const *) self->drag_ids);
  apply_drop_state (self);
}

static void
on_drag_end_cb (GtkDragSource   *source,
                GdkDrag         *drag,
                gboolean         delete_data,
                QmInventoryView *self)
{
  g_clear_pointer (&self->drag_ids, g_strfreev);
  self->hover_column = -1;
  self->hover_equipped = FALSE;
  clear_checks (self);
  apply_drop_state (self);
  /* The icon watches the tile: let it go. */
  gtk_drag_source_set_icon (source, NULL, 0, 0);
}

/* Double-click or Enter: equip on the character shown. */
static gboolean
equip_on_selected (QmInventoryView *self,
                   const char      *instance_id)
{
  g_autoptr(QmItem) item = find_item (self, instance_id, NULL);
  const char *ids[] = { instance_id, NULL };
  guint column;

  if (item == NULL)
    return FALSE;
  column = self->selected_column >= 0 ? (guint) self->selected_column : item_column (self, item);
  return qm_inventory_view_drop_items (self, ids, column, TRUE, QM_MOVE_FLAGS_NONE, NULL);
}

static void
equip_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  equip_on_selected (QM_INVENTORY_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* The focused tile, when the focus is on one of the view's. */
static QmItemTile *
focused_tile (QmInventoryView *self)
{
  Place place;

  return find_focused_place (self, &place) ? QM_ITEM_TILE (place.tile) : NULL;
}

/* Keys of the selection and of moving; TRUE when handled. */
static gboolean
handle_move_key (QmInventoryView *self,
                 guint            keyval,
                 GdkModifierType  modifiers)
{
  QmItemTile *tile = focused_tile (self);

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_KP_Enter:
      /* Equippable gear equips; anything else opens its details. */
      if (modifiers != 0 || tile == NULL || qm_item_tile_get_item (tile) == NULL ||
          !qm_item_get_equippable (qm_item_tile_get_item (tile)) || tile_id (tile) == NULL)
        return FALSE;
      equip_on_selected (self, tile_id (tile));
      return TRUE;
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      if (modifiers != GDK_CONTROL_MASK || tile == NULL)
        return FALSE;
      toggle_tile (self, tile);
      return TRUE;
    case GDK_KEY_a:
    case GDK_KEY_A:
      if (self->selection == NULL || (modifiers & ~GDK_SHIFT_MASK) != GDK_CONTROL_MASK)
        return FALSE;
      if (modifiers & GDK_SHIFT_MASK)
        gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      else
        gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
      return TRUE;
    case GDK_KEY_Escape:
      if (modifiers != 0 || self->selection == NULL || g_hash_table_size (self->selected_ids) == 0)
        return FALSE;
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      return TRUE;
    default:
      return FALSE;
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
  gboolean extend = FALSE;

  if (handle_move_key (self, keyval, modifiers))
    return GDK_EVENT_STOP;

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
  /* Shift+arrows: the selection grows with the focus, as in a grid view. */
  if (modifiers == GDK_SHIFT_MASK && direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    {
      extend = TRUE;
      modifiers = 0;
    }
  if (modifiers != 0)
    return GDK_EVENT_PROPAGATE;

  if (extend)
    {
      QmItemTile *from = focused_tile (self);
      QmItemTile *to;

      if (from == NULL || !qm_inventory_view_move_focus (self, direction))
        return GDK_EVENT_PROPAGATE;
      if (tile_id (from) != NULL)
        set_item_selected (self, tile_id (from), TRUE);
      to = focused_tile (self);
      if (to != NULL && tile_id (to) != NULL)
        set_item_selected (self, tile_id (to), TRUE);
      return GDK_EVENT_STOP;
    }
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
  g_clear_handle_id (&self->counts_idle_id, g_source_remove);
  watch_counts (self, NULL);
  qm_inventory_view_set_move_controller (self, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
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
  g_clear_pointer (&self->drag_ids, g_strfreev);
  g_clear_pointer (&self->checked_ids, g_strfreev);

  G_OBJECT_CLASS (qm_inventory_view_parent_class)->dispose (object);
}

static void
qm_inventory_view_finalize (GObject *object)
{
  QmInventoryView *self = QM_INVENTORY_VIEW (object);

  g_free (self->selected_id);
  g_free (self->anchor_id);
  g_hash_table_unref (self->selected_ids);
  g_ptr_array_unref (self->move_refusals);
  g_ptr_array_unref (self->equip_refusals);

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
  /* A tile's double-click: equip the item (its instance id) on the
   * character shown. */
  gtk_widget_class_install_action (widget_class, "inventory.equip", "s", equip_action);
  widget_class->measure = qm_inventory_view_measure;
  widget_class->size_allocate = qm_inventory_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "qminventoryview");
}

static void
qm_inventory_view_init (QmInventoryView *self)
{
  GtkEventController *keys;
  GtkGesture *select_click;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Narrow for a frame, the columns side by side are clipped. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  self->column_groups = g_ptr_array_new_with_free_func (g_object_unref);
  self->cards = g_ptr_array_new ();
  self->card_buttons = g_ptr_array_new ();
  self->selected_column = -1;
  self->hover_column = -1;
  self->selected_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->move_refusals = g_ptr_array_new_with_free_func (g_free);
  self->equip_refusals = g_ptr_array_new_with_free_func (g_free);

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

  /* Before the tiles' own clicks: with Ctrl or Shift a click selects. */
  select_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (select_click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (select_click), GTK_PHASE_CAPTURE);
  g_signal_connect (select_click, "pressed", G_CALLBACK (on_select_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (select_click));

  /* One drag source for every tile: it picks the tile under the pointer. */
  self->drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (self->drag_source, GDK_ACTION_MOVE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drag_source), GTK_PHASE_CAPTURE);
  g_signal_connect (self->drag_source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (self->drag_source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (self->drag_source, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (self->drag_source));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (drop_target_new (self, FALSE)));
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
  g_autoptr(GHashTable) kept = NULL;
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
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  /* A newer profile of the account keeps what was selected. */
  kept = g_steal_pointer (&self->selected_ids);
  self->selected_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  clear_checks (self);
  g_clear_object (&self->slots);
  g_clear_object (&self->slot_filter);
  g_clear_object (&self->items);
  watch_counts (self, inventory != NULL ? qm_profile_get_items (qm_inventory_get_profile (inventory)) : NULL);
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
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  if (g_hash_table_size (kept) > 0)
    {
      g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
      g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->items)));

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
          const char *id = qm_item_get_instance_id (item);

          if (id != NULL && g_hash_table_contains (kept, id))
            {
              gtk_bitset_add (selected, i);
              g_hash_table_add (self->selected_ids, g_strdup (id));
            }
        }
      gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
    }
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self);
  /* Items replaced by a move are new items, not selected. */
  g_signal_connect (self->selection, "items-changed", G_CALLBACK (on_selection_items_changed_cb), self);
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

/* ---------------------------------------------------------------------- */
/* Moving                                                                  */

void
qm_inventory_view_set_move_controller (QmInventoryView  *self,
                                       QmMoveController *controller)
{
  g_return_if_fail (QM_IS_INVENTORY_VIEW (self));
  g_return_if_fail (controller == NULL || QM_IS_MOVE_CONTROLLER (controller));

  if (self->moves == controller)
    return;
  if (self->moves != NULL)
    g_signal_handlers_disconnect_by_data (self->moves, self);
  g_set_object (&self->moves, controller);
  if (controller != NULL)
    g_signal_connect (controller, "in-flight-changed", G_CALLBACK (on_in_flight_changed_cb), self);
  clear_checks (self);
  if (self->list_view != NULL)
    foreach_tile (self, mark_tile);
}

QmMoveController *
qm_inventory_view_get_move_controller (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  return self->moves;
}

GtkSelectionModel *
qm_inventory_view_get_selection (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
qm_inventory_view_dup_selected_ids (QmInventoryView *self)
{
  GPtrArray *ids;
  GHashTableIter iter;
  gpointer id;

  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);

  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->selected_ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, g_strdup (id));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

char **
qm_inventory_view_dup_drag_ids (QmInventoryView *self,
                                QmItemTile      *tile)
{
  const char *id;
  char *single[2] = { NULL, NULL };

  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);
  g_return_val_if_fail (QM_IS_ITEM_TILE (tile), NULL);

  /* Stacks have no instance id: they move through the menu, by amount. */
  id = tile_id (tile);
  if (id == NULL)
    return NULL;
  if (g_hash_table_contains (self->selected_ids, id))
    return qm_inventory_view_dup_selected_ids (self);
  single[0] = (char *) id;
  return g_strdupv (single);
}

gboolean
qm_inventory_view_drop_items (QmInventoryView    *self,
                              const char * const *instance_ids,
                              guint               column,
                              gboolean            equip,
                              QmMoveFlags         flags,
                              char              **refusal)
{
  g_autofree char *reason = NULL;
  g_autoptr(GArray) requests = NULL;

  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), FALSE);
  g_return_val_if_fail (instance_ids != NULL, FALSE);

  if (refusal != NULL)
    *refusal = NULL;
  reason = check_drop (self, instance_ids, column, equip, flags);
  if (reason != NULL)
    {
      show_refusal (self, reason);
      if (refusal != NULL)
        *refusal = g_steal_pointer (&reason);
      return FALSE;
    }
  requests = requests_for (self, instance_ids, column, equip);
  /* Marks the items in flight before it returns: the tiles say so on the
   * next frame. */
  qm_move_controller_request (self->moves, (QmMoveRequest *) requests->data, requests->len, flags);
  return TRUE;
}

GtkWidget *
qm_inventory_view_find_tile (QmInventoryView *self,
                             const char      *instance_id)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), NULL);
  g_return_val_if_fail (instance_id != NULL, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QmBucketRow *row = row_of_list_item (child);

      if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)))
        continue;
      for (guint column = 0; column < qm_bucket_row_get_n_cells (row); column++)
        {
          g_autoptr(GPtrArray) tiles = qm_bucket_row_get_tiles (row, column);

          for (guint i = 0; i < tiles->len; i++)
            if (g_strcmp0 (tile_id (g_ptr_array_index (tiles, i)), instance_id) == 0)
              return g_ptr_array_index (tiles, i);
        }
    }
  return NULL;
}

gboolean
qm_inventory_view_get_dragging (QmInventoryView *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY_VIEW (self), FALSE);

  return self->drag_ids != NULL;
}
