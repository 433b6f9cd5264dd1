/* qm-xur-share.h: Xûr's digest to a file or into an e-mail
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QM_XUR_SHARE_ERROR (qm_xur_share_error_quark ())

typedef enum
{
  QM_XUR_SHARE_ERROR_NO_MAIL_CLIENT,  /* neither the Email portal nor xdg-email */
} QmXurShareError;

GQuark    qm_xur_share_error_quark      (void);

/* Write @html to @file (replaced; UTF-8). */
void      qm_xur_share_save_async       (const char          *html,
                                         GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  qm_xur_share_save_finish      (GAsyncResult        *result,
                                         GError             **error);

/* Where a digest to attach to an e-mail is kept:
 * $XDG_CACHE_HOME/quartermaster/@basename. */
char     *qm_xur_share_attachment_path  (const char          *basename);

/* Write @html to qm_xur_share_attachment_path (@basename), then open a new
 * e-mail with it attached and @subject through the Email portal, or else with
 * `xdg-email --subject SUBJECT --attach FILE` (found on PATH). Nothing is sent
 * by Quartermaster itself. */
void      qm_xur_share_email_async      (const char          *html,
                                         const char          *basename,
                                         const char          *subject,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* *path (nullable) gets the file written, also when no mail program could be
 * started (QM_XUR_SHARE_ERROR_NO_MAIL_CLIENT). */
gboolean  qm_xur_share_email_finish     (GAsyncResult        *result,
                                         char               **path,
                                         GError             **error);

G_END_DECLS
