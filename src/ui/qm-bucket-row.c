/* qm-bucket-row.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-bucket-row"

#include "config.h"

#include "qm-bucket-row.h"

#include "qm-item-tile.h"

/* Tiles per line next to a character's equipped tile, and without one. */
#define GRID_WIDTH_BESIDE_EQUIPPED 3
#define GRID_WIDTH_ALONE           4
/* The vault's grid wraps by the width it gets, never narrower than this:
 * narrow windows take room from the characters' grids first. */
#define GRID_WIDTH_VAULT         100
#define GRID_MIN_WIDTH_VAULT       4

typedef struct
{
  GtkWidget *box;
  GtkWidget *equipped;   /* NULL in the vault's column */
  GtkWidget *grid;
  GtkSizeGroup *group;   /* its column's */
} Cell;

struct _QmBucketRow
{
  GtkWidget        parent_instance;

  GtkWidget       *title_label;
  GtkWidget       *cells_box;
  GArray          *cells;            /* Cell */
  GPtrArray       *column_groups;    /* GtkSizeGroup, one per character column */

  QmInventorySlot *slot;
  QmIconCache     *icons;
  QmManifest      *manifest;
  /* Whether the cells show the slot's models: only once the row is mapped. */
  gboolean         models_bound;
  /* Narrow: the selected character's cell alone, the vault's under it. */
  gboolean         narrow;
  int              selected_column;
  guint            n_characters;

  /* Called for each tile made (the view marks it moving or selected). */
  QmBucketRowTileFunc tile_func;
  gpointer         tile_func_data;
  /* While an item is dragged: the columns it can go to and not, and
   * where it is over the row (-1: elsewhere). */
  guint64          drop_valid;
  guint64          drop_refused;
  int              drop_column;
  gboolean         drop_equipped;
};

G_DEFINE_FINAL_TYPE (QmBucketRow, qm_bucket_row, GTK_TYPE_WIDGET)

static GtkWidget *
create_tile_cb (gpointer item,
                gpointer user_data)
{
  QmBucketRow *self = QM_BUCKET_ROW (user_data);
  GtkWidget *child = gtk_flow_box_child_new ();
  GtkWidget *tile = qm_item_tile_new (self->icons, self->manifest);

  qm_item_tile_set_item (QM_ITEM_TILE (tile), item);
  if (self->tile_func != NULL)
    self->tile_func (tile, self->tile_func_data);
  /* The tile takes the focus, not its place in the grid. */
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), tile);
  return child;
}

static GtkWidget *
grid_new (guint min_per_line,
          guint max_per_line)
{
  GtkWidget *grid = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (grid), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (grid), TRUE);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (grid), 4);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (grid), min_per_line);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (grid), max_per_line);
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  gtk_widget_set_halign (grid, GTK_ALIGN_START);
  gtk_widget_add_css_class (grid, "item-grid");
  return grid;
}

static void
unbind_cells (QmBucketRow *self)
{
  self->models_bound = FALSE;
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (cell->equipped != NULL)
        gtk_flow_box_bind_model (GTK_FLOW_BOX (cell->equipped), NULL, NULL, NULL, NULL);
      gtk_flow_box_bind_model (GTK_FLOW_BOX (cell->grid), NULL, NULL, NULL, NULL);
    }
}

static void
clear_cells (QmBucketRow *self)
{
  unbind_cells (self);
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (cell->group != NULL && !self->narrow)
        gtk_size_group_remove_widget (cell->group, cell->box);
      gtk_box_remove (GTK_BOX (self->cells_box), cell->box);
    }
  g_array_set_size (self->cells, 0);
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
update_drop_classes (QmBucketRow *self)
{
  for (guint i = 0; i < self->cells->len && i < 64; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);
      gboolean hover = (int) i == self->drop_column;

      set_class (cell->box, "drop-valid", (self->drop_valid & (G_GUINT64_CONSTANT (1) << i)) != 0);
      set_class (cell->box, "drop-refused", (self->drop_refused & (G_GUINT64_CONSTANT (1) << i)) != 0);
      set_class (cell->box, "drop-hover", hover && !self->drop_equipped);
      if (cell->equipped != NULL)
        set_class (cell->equipped, "drop-hover", hover && self->drop_equipped);
    }
}

/* One cell per column: the characters' first, then the vault's. */
static void
ensure_cells (QmBucketRow *self,
              guint        n_columns,
              guint        n_characters)
{
  self->n_characters = n_characters;
  if (self->cells->len == n_columns)
    return;

  clear_cells (self);
  for (guint i = 0; i < n_columns; i++)
    {
      Cell cell = { 0 };

      cell.box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (cell.box, "inventory-cell");
      if (i < n_characters)
        {
          cell.equipped = grid_new (1, 1);
          gtk_widget_add_css_class (cell.equipped, "equipped");
          gtk_box_append (GTK_BOX (cell.box), cell.equipped);
          cell.grid = grid_new (1, GRID_WIDTH_BESIDE_EQUIPPED);
        }
      else
        {
          cell.grid = grid_new (GRID_MIN_WIDTH_VAULT, GRID_WIDTH_VAULT);
          gtk_widget_set_hexpand (cell.box, TRUE);
          gtk_widget_set_hexpand (cell.grid, TRUE);
          gtk_widget_set_halign (cell.grid, GTK_ALIGN_FILL);
          gtk_widget_add_css_class (cell.box, "vault");
        }
      /* The last group is the vault's. */
      if (MIN (i, n_characters) < self->column_groups->len)
        {
          cell.group = g_ptr_array_index (self->column_groups, MIN (i, n_characters));
          if (!self->narrow)
            gtk_size_group_add_widget (cell.group, cell.box);
        }
      gtk_box_append (GTK_BOX (cell.box), cell.grid);
      gtk_box_append (GTK_BOX (self->cells_box), cell.box);
      g_array_append_val (self->cells, cell);
    }
  update_drop_classes (self);
}

/* Wide: the cells side by side, lined up with the cards by their columns'
 * size groups. Narrow: the selected character's cell (its grid as wide as
 * the row), the vault's under it; the other characters' are hidden. */
static void
update_layout (QmBucketRow *self)
{
  gboolean equippable = self->slot != NULL && qm_inventory_slot_get_equippable (self->slot);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->cells_box),
                                  self->narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);
      gboolean character = cell->equipped != NULL;

      gtk_widget_set_visible (cell->box, !self->narrow || !character || (int) i == self->selected_column);
      if (!character)
        continue;
      if (self->narrow)
        gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (cell->grid), GRID_WIDTH_VAULT);
      else
        gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (cell->grid),
                                                equippable ? GRID_WIDTH_BESIDE_EQUIPPED
                                                           : GRID_WIDTH_ALONE);
      gtk_widget_set_hexpand (cell->grid, self->narrow);
      gtk_widget_set_halign (cell->grid, self->narrow ? GTK_ALIGN_FILL : GTK_ALIGN_START);
    }
}

/* The tiles of the slot's items. GTK 4.8's list views keep every row of a
 * short list bound, unmapping those out of sight: a row bound while out of
 * sight (say, again after a search) makes its tiles when it shows. */
static void
bind_models (QmBucketRow *self)
{
  gboolean equippable = qm_inventory_slot_get_equippable (self->slot);

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (cell->equipped != NULL)
        {
          /* Slots nothing is equipped in use the room for their grid. */
          gtk_widget_set_visible (cell->equipped, equippable);
          gtk_flow_box_bind_model (GTK_FLOW_BOX (cell->equipped),
                                   qm_inventory_slot_get_equipped (self->slot, i),
                                   create_tile_cb, self, NULL);
        }
      gtk_flow_box_bind_model (GTK_FLOW_BOX (cell->grid),
                               qm_inventory_slot_get_unequipped (self->slot, i),
                               create_tile_cb, self, NULL);
    }
  self->models_bound = TRUE;
  update_layout (self);
}

static void
qm_bucket_row_map (GtkWidget *widget)
{
  QmBucketRow *self = QM_BUCKET_ROW (widget);

  GTK_WIDGET_CLASS (qm_bucket_row_parent_class)->map (widget);
  if (self->slot != NULL && !self->models_bound)
    bind_models (self);
}

static void
qm_bucket_row_dispose (GObject *object)
{
  QmBucketRow *self = QM_BUCKET_ROW (object);

  if (self->cells != NULL)
    clear_cells (self);
  g_clear_pointer (&self->title_label, gtk_widget_unparent);
  g_clear_pointer (&self->cells_box, gtk_widget_unparent);
  g_clear_object (&self->slot);
  g_clear_object (&self->icons);
  g_clear_object (&self->manifest);

  G_OBJECT_CLASS (qm_bucket_row_parent_class)->dispose (object);
}

static void
qm_bucket_row_finalize (GObject *object)
{
  QmBucketRow *self = QM_BUCKET_ROW (object);

  g_array_unref (self->cells);
  g_ptr_array_unref (self->column_groups);

  G_OBJECT_CLASS (qm_bucket_row_parent_class)->finalize (object);
}

static void
qm_bucket_row_class_init (QmBucketRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_bucket_row_dispose;
  object_class->finalize = qm_bucket_row_finalize;
  widget_class->map = qm_bucket_row_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "qmbucketrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
qm_bucket_row_init (QmBucketRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  self->selected_column = -1;
  self->drop_column = -1;
  self->title_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_widget_add_css_class (self->title_label, "caption-heading");
  gtk_widget_add_css_class (self->title_label, "bucket-title");
  gtk_widget_set_parent (self->title_label, GTK_WIDGET (self));
  self->cells_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (self->cells_box, GTK_WIDGET (self));
}

GtkWidget *
qm_bucket_row_new (GPtrArray *column_groups)
{
  QmBucketRow *self;

  g_return_val_if_fail (column_groups != NULL, NULL);

  self = g_object_new (QM_TYPE_BUCKET_ROW, NULL);
  self->column_groups = g_ptr_array_ref (column_groups);
  return GTK_WIDGET (self);
}

void
qm_bucket_row_bind (QmBucketRow     *self,
                    QmInventorySlot *slot,
                    QmIconCache     *icons,
                    QmManifest      *manifest,
                    int              selected_column)
{
  g_return_if_fail (QM_IS_BUCKET_ROW (self));
  g_return_if_fail (slot == NULL || QM_IS_INVENTORY_SLOT (slot));

  unbind_cells (self);
  g_set_object (&self->slot, slot);
  g_set_object (&self->icons, icons);
  g_set_object (&self->manifest, manifest);
  if (slot == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->title_label), "");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  gtk_label_set_text (GTK_LABEL (self->title_label), qm_inventory_slot_get_title (slot));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, qm_inventory_slot_get_title (slot),
                                  -1);
  ensure_cells (self, qm_inventory_slot_get_n_columns (slot),
                qm_inventory_slot_get_n_characters (slot));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    bind_models (self);
  qm_bucket_row_set_selected_column (self, selected_column);
}

QmInventorySlot *
qm_bucket_row_get_slot (QmBucketRow *self)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), NULL);

  return self->slot;
}

void
qm_bucket_row_set_narrow (QmBucketRow *self,
                          gboolean     narrow)
{
  g_return_if_fail (QM_IS_BUCKET_ROW (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;
  /* The columns line up only side by side. */
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (cell->group == NULL)
        continue;
      if (narrow)
        gtk_size_group_remove_widget (cell->group, cell->box);
      else
        gtk_size_group_add_widget (cell->group, cell->box);
    }
  if (narrow)
    gtk_widget_add_css_class (GTK_WIDGET (self), "narrow");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "narrow");
  update_layout (self);
}

gboolean
qm_bucket_row_get_narrow (QmBucketRow *self)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), FALSE);

  return self->narrow;
}

void
qm_bucket_row_set_selected_column (QmBucketRow *self,
                                   int          column)
{
  g_return_if_fail (QM_IS_BUCKET_ROW (self));

  self->selected_column = column;
  update_layout (self);

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if ((int) i == column)
        gtk_widget_add_css_class (cell->box, "selected");
      else
        gtk_widget_remove_css_class (cell->box, "selected");
    }
}

guint
qm_bucket_row_get_n_cells (QmBucketRow *self)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), 0);

  return self->cells->len;
}

GtkWidget *
qm_bucket_row_get_cell (QmBucketRow *self,
                        guint        column)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), NULL);
  g_return_val_if_fail (column < self->cells->len, NULL);

  return g_array_index (self->cells, Cell, column).box;
}

static void
append_tiles (GPtrArray *tiles,
              GtkWidget *grid)
{
  GtkFlowBoxChild *child;

  if (grid == NULL || !gtk_widget_get_visible (grid) ||
      !gtk_widget_get_visible (gtk_widget_get_parent (grid)))
    return;
  for (int i = 0; (child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (grid), i)) != NULL; i++)
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (child);

      if (tile != NULL && gtk_widget_get_visible (GTK_WIDGET (child)))
        g_ptr_array_add (tiles, tile);
    }
}

GPtrArray *
qm_bucket_row_get_tiles (QmBucketRow *self,
                         guint        column)
{
  GPtrArray *tiles;
  Cell *cell;

  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), NULL);
  g_return_val_if_fail (column < self->cells->len, NULL);

  tiles = g_ptr_array_new ();
  cell = &g_array_index (self->cells, Cell, column);
  append_tiles (tiles, cell->equipped);
  append_tiles (tiles, cell->grid);
  return tiles;
}

gboolean
qm_bucket_row_locate_tile (QmBucketRow *self,
                           GtkWidget   *tile,
                           guint       *column,
                           guint       *index)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (tile), FALSE);

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);
      g_autoptr(GPtrArray) tiles = NULL;
      guint found;

      if (!gtk_widget_is_ancestor (tile, cell->box))
        continue;
      tiles = qm_bucket_row_get_tiles (self, i);
      if (!g_ptr_array_find (tiles, tile, &found))
        return FALSE;
      if (column != NULL)
        *column = i;
      if (index != NULL)
        *index = found;
      return TRUE;
    }
  return FALSE;
}

void
qm_bucket_row_set_tile_func (QmBucketRow         *self,
                             QmBucketRowTileFunc  func,
                             gpointer             user_data)
{
  g_return_if_fail (QM_IS_BUCKET_ROW (self));

  self->tile_func = func;
  self->tile_func_data = user_data;
}

void
qm_bucket_row_set_drop_state (QmBucketRow *self,
                              guint64      valid_columns,
                              guint64      refused_columns,
                              int          hover_column,
                              gboolean     hover_equipped)
{
  g_return_if_fail (QM_IS_BUCKET_ROW (self));

  self->drop_valid = valid_columns;
  self->drop_refused = refused_columns;
  self->drop_column = hover_column;
  self->drop_equipped = !!hover_equipped;
  update_drop_classes (self);
}

gboolean
qm_bucket_row_find_cell (QmBucketRow *self,
                         double       x,
                         double       y,
                         guint       *column,
                         gboolean    *equipped)
{
  g_return_val_if_fail (QM_IS_BUCKET_ROW (self), FALSE);

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (cell->box) ||
          !gtk_widget_compute_bounds (cell->box, GTK_WIDGET (self), &bounds))
        continue;
      /* Narrow, the cells are stacked: the one under the point; side by
       * side, the column (its title above it too). */
      if (self->narrow ? (y < bounds.origin.y || y >= bounds.origin.y + bounds.size.height)
                       : (x < bounds.origin.x || x >= bounds.origin.x + bounds.size.width))
        continue;
      if (column != NULL)
        *column = i;
      if (equipped != NULL)
        {
          graphene_rect_t slot;

          *equipped = cell->equipped != NULL && gtk_widget_get_visible (cell->equipped) &&
                      gtk_widget_compute_bounds (cell->equipped, GTK_WIDGET (self), &slot) &&
                      graphene_rect_contains_point (&slot, &GRAPHENE_POINT_INIT (x, y));
        }
      return TRUE;
    }
  return FALSE;
}
