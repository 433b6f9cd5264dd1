/* qm-xur-page.h: Xûr's stock, or when he comes back
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-xur.h"

G_BEGIN_DECLS

#define QM_TYPE_XUR_PAGE (qm_xur_page_get_type ())
G_DECLARE_FINAL_TYPE (QmXurPage, qm_xur_page, QM, XUR_PAGE, GtkWidget)

/* Signals: "loaded" (QmXur *xur) after a load, whether he is there or not;
 * "load-failed" (const char *message) with the message the page shows.
 * Property "state" (string, see qm_xur_page_get_state()). */

GtkWidget   *qm_xur_page_new                  (void);
/* The account to look for Xûr with (NULL: signed out). Nothing loads yet. */
void         qm_xur_page_set_client           (QmXurPage      *self,
                                               QmBungieClient *client);
/* The player's inventory, for the owned and affordable marks; the page
 * loads when it has not shown Xûr yet. */
void         qm_xur_page_set_inventory        (QmXurPage      *self,
                                               QmInventory    *inventory);
/* (Re)load now. A page that is shown without having loaded loads by itself. */
void         qm_xur_page_load                 (QmXurPage      *self);
/* "signed-out", "loading", "present", "absent" or "error". */
const char  *qm_xur_page_get_state            (QmXurPage      *self);
/* The last Xûr loaded (NULL before). */
QmXur       *qm_xur_page_get_xur              (QmXurPage      *self);
/* The sales the list shows (NULL unless present). */
GListModel  *qm_xur_page_get_sales            (QmXurPage      *self);
/* When absent: when he returns (UTC), and the countdown as shown. */
GDateTime   *qm_xur_page_get_countdown_target (QmXurPage      *self);
const char  *qm_xur_page_get_countdown_text   (QmXurPage      *self);
const char  *qm_xur_page_get_return_text      (QmXurPage      *self);
/* When present: the line with his location and departure. */
const char  *qm_xur_page_get_header_text      (QmXurPage      *self);
const char  *qm_xur_page_get_error_message    (QmXurPage      *self);

/* The digest of the Xûr shown (NULL before a load), with the icons the
 * rows showed in it. */
char        *qm_xur_page_dup_digest           (QmXurPage      *self);
/* Write the digest to @file. */
void         qm_xur_page_save_html_async      (QmXurPage      *self,
                                               GFile          *file,
                                               GCancellable   *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer        user_data);
gboolean     qm_xur_page_save_html_finish     (QmXurPage      *self,
                                               GAsyncResult   *result,
                                               GError        **error);
/* "Save as HTML…": a file chooser, then a toast with the outcome. */
void         qm_xur_page_choose_html_file     (QmXurPage      *self);
/* "Email…": the digest attached to a new e-mail in the desktop's mail program. */
void         qm_xur_page_share_email          (QmXurPage      *self);

/* Text helpers, pure (@tz: the zone to show times in). */
/* "Friday, November 27, 18:00" */
char        *qm_xur_format_date_time          (GDateTime      *time,
                                               GTimeZone      *tz);
/* "Tuesday 18:00" */
char        *qm_xur_format_day_time           (GDateTime      *time,
                                               GTimeZone      *tz);
/* "in 2 days", "in 5 hours", "in 12 minutes", "in less than a minute" */
char        *qm_xur_format_relative           (GDateTime      *now,
                                               GDateTime      *target);
/* "2 days, 03:12:05" or "03:12:05" */
char        *qm_xur_format_countdown          (GDateTime      *now,
                                               GDateTime      *target);
/* The ISO week of @time in UTC, e.g. "2026-W48". */
char        *qm_xur_week_id                   (GDateTime      *time);

G_END_DECLS
