/* qm-psn-flow.h: the classic PSN redirect chain to Bungie's cookies
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bungie sign-in → PSN login form (JSESSIONID, base64 params) → POST login.do
 * (no automatic redirects; authentication_error = wrong credentials) → the
 * grant code → Bungie sign-in → cookies bungled, bungleatk, bungledid. Runs on
 * its own SoupSession and SoupCookieJar (apart from the API session), follows
 * redirects only to the configured Bungie and PSN origins, with a hop limit,
 * https except on loopback. The password is used once and never kept.
 */

#pragma once

#include <gio/gio.h>

#include "qm-config.h"
#include "qm-token.h"

G_BEGIN_DECLS

#define QM_TYPE_PSN_FLOW (qm_psn_flow_get_type ())
G_DECLARE_FINAL_TYPE (QmPsnFlow, qm_psn_flow, QM, PSN_FLOW, GObject)

QmPsnFlow *qm_psn_flow_new            (const QmConfig *config);
void       qm_psn_flow_sign_in_async  (QmPsnFlow      *self,
                                       const char     *user,
                                       const char     *password,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
/* A QM_TOKEN_KIND_PSN_COOKIES token. */
QmToken   *qm_psn_flow_sign_in_finish (QmPsnFlow      *self,
                                       GAsyncResult   *result,
                                       GError        **error);

/* The chain's replies, judged by pure functions (fuzzed):
 *
 * The Location of a redirect from @base: the target when it is on the
 * @bungie or @psn origin (scheme, host and port); otherwise NULL with
 * QM_AUTH_ERROR_PROTOCOL (unreadable) or QM_AUTH_ERROR_FOREIGN_REDIRECT. */
GUri      *qm_psn_check_redirect      (GUri           *bungie,
                                       GUri           *psn,
                                       GUri           *base,
                                       const char     *location,
                                       GError        **error);
/* login.do's answer: TRUE when it is a redirect onward (to the grant code);
 * QM_AUTH_ERROR_WRONG_CREDENTIALS for authentication_error, else
 * QM_AUTH_ERROR_PROTOCOL. */
gboolean   qm_psn_check_login_answer  (guint           status,
                                       const char     *location,
                                       GError        **error);
/* Bungie's cookies for its origin at the chain's end (a GSList of
 * SoupCookie): the token, or QM_AUTH_ERROR_PROTOCOL when one is missing. */
QmToken   *qm_psn_token_from_cookies  (GSList         *cookies,
                                       GError        **error);

G_END_DECLS
