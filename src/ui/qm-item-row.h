/* qm-item-row.h: one row of the inventory list
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-item.h"
#include "qm-profile.h"

G_BEGIN_DECLS

#define QM_TYPE_ITEM_ROW (qm_item_row_get_type ())
G_DECLARE_FINAL_TYPE (QmItemRow, qm_item_row, QM, ITEM_ROW, GtkWidget)

GtkWidget  *qm_item_row_new       (void);
/* Show @item (NULL clears the row); @profile names the owning character. */
void        qm_item_row_set_item  (QmItemRow *self,
                                   QmItem    *item,
                                   QmProfile *profile);
QmItem     *qm_item_row_get_item  (QmItemRow *self);
/* The text of the name label, as shown. */
const char *qm_item_row_get_title (QmItemRow *self);

G_END_DECLS
