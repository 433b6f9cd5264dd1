/* qm-bucket-row.h: one row of the inventory view: a slot's cells side by side
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-inventory-slot.h"
#include "qm-manifest.h"

G_BEGIN_DECLS

#define QM_TYPE_BUCKET_ROW (qm_bucket_row_get_type ())
G_DECLARE_FINAL_TYPE (QmBucketRow, qm_bucket_row, QM, BUCKET_ROW, GtkWidget)

/* The slot's title over its cells: per character the equipped tile, then
 * the others in a small grid; the vault's in a wrapping grid. The tiles are
 * bound to the slot's cell models (GtkFlowBox). The cells join
 * @column_groups (one GtkSizeGroup per character column, then the vault's,
 * shared with the cards above) so that columns line up from row to row;
 * it must have one group per column of the slots shown. */
GtkWidget       *qm_bucket_row_new                 (GPtrArray       *column_groups);
/* Show @slot (NULL: nothing), its tiles drawn with @icons and @manifest;
 * @selected_column is highlighted (-1: none). */
void             qm_bucket_row_bind                (QmBucketRow     *self,
                                                    QmInventorySlot *slot,
                                                    QmIconCache     *icons,
                                                    QmManifest      *manifest,
                                                    int              selected_column);
QmInventorySlot *qm_bucket_row_get_slot            (QmBucketRow     *self);
void             qm_bucket_row_set_selected_column (QmBucketRow     *self,
                                                    int              column);
/* Narrow: the selected character's cell alone, the vault's under it. */
void             qm_bucket_row_set_narrow          (QmBucketRow     *self,
                                                    gboolean         narrow);
gboolean         qm_bucket_row_get_narrow          (QmBucketRow     *self);
guint            qm_bucket_row_get_n_cells         (QmBucketRow     *self);
GtkWidget       *qm_bucket_row_get_cell            (QmBucketRow     *self,
                                                    guint            column);
/* The tiles (QmItemTile) of a cell in display order.
 * Returns: (transfer container) */
GPtrArray       *qm_bucket_row_get_tiles           (QmBucketRow     *self,
                                                    guint            column);
/* Where @tile is in the row. */
gboolean         qm_bucket_row_locate_tile         (QmBucketRow     *self,
                                                    GtkWidget       *tile,
                                                    guint           *column,
                                                    guint           *index);

/* Called with each tile the row makes, before it shows. */
typedef void (*QmBucketRowTileFunc) (GtkWidget *tile,
                                     gpointer   user_data);
void             qm_bucket_row_set_tile_func       (QmBucketRow     *self,
                                                    QmBucketRowTileFunc func,
                                                    gpointer         user_data);
/* While an item is dragged: the cells of @valid_columns (bit i: column
 * i) get the CSS class "drop-valid", those of @refused_columns
 * "drop-refused"; the cell at @hover_column (-1: none) "drop-hover", or
 * with @hover_equipped its equipped slot. */
void             qm_bucket_row_set_drop_state      (QmBucketRow     *self,
                                                    guint64          valid_columns,
                                                    guint64          refused_columns,
                                                    int              hover_column,
                                                    gboolean         hover_equipped);
/* The cell at (@x, @y) in the row's coordinates: side by side, the column
 * under @x (title included); narrow, the cell under @y. @equipped: the
 * point is on the cell's equipped slot. */
gboolean         qm_bucket_row_find_cell           (QmBucketRow     *self,
                                                    double           x,
                                                    double           y,
                                                    guint           *column,
                                                    gboolean        *equipped);

G_END_DECLS
