/* qm-sandbox-approve.h: approving Quartermaster on the sandbox's authorize page, without a browser
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a player does in the browser during Bungie's OAuth sign-in, done over
 * HTTP against a sandbox on loopback: load the authorize page, submit its
 * form, and take the redirect to quartermaster://oauth-callback. The
 * command line and the app's sandbox mode sign in this way, and so do tests.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Pure: the first form of the authorize page @html. @action is as written
 * in the page; @fields maps the names of its hidden inputs to their values
 * (HTML entities decoded). FALSE when the page has no form. */
gboolean  qm_sandbox_parse_authorize_form (const char    *html,
                                           char         **action,
                                           GHashTable   **fields);
/* GET @authorize_uri (loopback origins only), post its form back with
 * approve=1 (or 0: the player refuses) and return the Location the sandbox
 * redirects to, e.g. "quartermaster://oauth-callback?code=…&state=…". That
 * URI carries a one-time code: never log it. */
void      qm_sandbox_approve_async        (const char    *authorize_uri,
                                           gboolean       approve,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
char     *qm_sandbox_approve_finish       (GAsyncResult  *result,
                                           GError       **error);

G_END_DECLS
