/* qm-sale-row.h: one sale of Xûr's list
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"
#include "qm-xur.h"

G_BEGIN_DECLS

#define QM_TYPE_SALE_ROW (qm_sale_row_get_type ())
G_DECLARE_FINAL_TYPE (QmSaleRow, qm_sale_row, QM, SALE_ROW, GtkWidget)

GtkWidget    *qm_sale_row_new               (void);
/* Show @sale (NULL clears the row). @balances (nullable: not known) maps an
 * item hash (GUINT_TO_POINTER) to how many of it the player holds
 * (GINT_TO_POINTER, see qm_sale_balances_new()); @icons (nullable) gives the icons. */
void          qm_sale_row_set_sale          (QmSaleRow    *self,
                                             QmVendorSale *sale,
                                             GHashTable   *balances,
                                             QmIconCache  *icons);
QmVendorSale *qm_sale_row_get_sale          (QmSaleRow    *self);
/* The name as shown, and whether the "Owned" mark is shown. */
const char   *qm_sale_row_get_title         (QmSaleRow    *self);
gboolean      qm_sale_row_get_owned_shown   (QmSaleRow    *self);
/* The costs shown; a cost the player cannot pay has a tooltip saying so
 * (NULL for one they can). */
guint         qm_sale_row_get_n_costs       (QmSaleRow    *self);
const char   *qm_sale_row_get_cost_shortfall (QmSaleRow   *self,
                                             guint         index);
/* The stats and perks line ("" when the sale has none). */
const char   *qm_sale_row_get_details       (QmSaleRow    *self);

/* What the player can pay with, per item hash in @profile (currencies, vault
 * and characters summed; not the postmaster): hash → count, for
 * qm_sale_row_set_sale(). */
GHashTable   *qm_sale_balances_new          (QmProfile    *profile);

G_END_DECLS
