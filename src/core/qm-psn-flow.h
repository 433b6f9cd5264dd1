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

G_END_DECLS
