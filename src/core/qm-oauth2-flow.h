/* qm-oauth2-flow.h: Bungie's OAuth2 authorization-code flow
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-config.h"
#include "qm-token.h"

G_BEGIN_DECLS

#define QM_TYPE_OAUTH2_FLOW (qm_oauth2_flow_get_type ())
G_DECLARE_FINAL_TYPE (QmOAuth2Flow, qm_oauth2_flow, QM, OAUTH2_FLOW, GObject)

/* Opens @uri in the browser; the default launches it through GIO
 * (g_app_info_launch_default_for_uri_async: the portal in a Flatpak). The CLI
 * replaces it against a sandbox to complete the flow headlessly. */
typedef void (*QmUriLauncher) (QmOAuth2Flow *flow,
                               const char   *uri,
                               gpointer      user_data);

QmOAuth2Flow *qm_oauth2_flow_new                 (const QmConfig *config);
void          qm_oauth2_flow_set_launcher        (QmOAuth2Flow   *self,
                                                  QmUriLauncher   launcher,
                                                  gpointer        user_data,
                                                  GDestroyNotify  destroy);
/* GET /en/OAuth/Authorize?client_id=…&response_type=code&state=… (no scope),
 * with a fresh random state remembered for the redirect. */
char         *qm_oauth2_flow_build_authorize_uri (QmOAuth2Flow   *self);
/* Build the URI, launch it, wait for the redirect, exchange the code. */
void          qm_oauth2_flow_sign_in_async       (QmOAuth2Flow   *self,
                                                  GCancellable   *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer        user_data);
QmToken      *qm_oauth2_flow_sign_in_finish      (QmOAuth2Flow   *self,
                                                  GAsyncResult   *result,
                                                  GError        **error);
/* The redirect (quartermaster://oauth-callback?code=…&state=…), as
 * GApplication::open delivers it. A state that is not the pending one is
 * refused with QM_AUTH_ERROR_STATE_MISMATCH (the pending sign-in fails with
 * it too). Returns FALSE when @uri is not for this flow. TRUE when the code
 * was taken and is being exchanged; FALSE with @error set when the redirect
 * was refused or carried a refusal (error=access_denied:
 * QM_AUTH_ERROR_DENIED), and the pending sign-in then fails with the same
 * error. A redirect with no sign-in waiting is refused with
 * QM_AUTH_ERROR_STATE_MISMATCH. */
gboolean      qm_oauth2_flow_handle_redirect     (QmOAuth2Flow   *self,
                                                  const char     *uri,
                                                  GError        **error);
/* POST /Platform/App/OAuth/token/ (form: grant_type, code or refresh_token,
 * client_id, client_secret). Errors: QM_AUTH_ERROR_EXPIRED for expired or
 * revoked grants, QM_AUTH_ERROR_MAINTENANCE for SystemDisabled, transport
 * failures as QM_CLIENT_ERROR_NETWORK/TIMEOUT. */
void          qm_oauth2_token_request_async      (const QmConfig *config,
                                                  const char     *grant_type,
                                                  const char     *code_or_refresh_token,
                                                  GCancellable   *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer        user_data);
QmToken      *qm_oauth2_token_request_finish     (GAsyncResult   *result,
                                                  GError        **error);
/* Pure: judge the token endpoint's answer. A token on success (@now in unix
 * seconds); otherwise QM_AUTH_ERROR_MAINTENANCE (SystemDisabled),
 * QM_AUTH_ERROR_EXPIRED (an expired, revoked or unknown grant; HTTP 401/403),
 * QM_AUTH_ERROR_PROTOCOL (invalid_client: the application's id or secret was
 * refused), QM_CLIENT_ERROR_HTML_PAGE, QM_CLIENT_ERROR_HTTP or
 * QM_CLIENT_ERROR_MALFORMED. */
QmToken      *qm_oauth2_parse_token_response     (GBytes         *body,
                                                  guint           http_status,
                                                  const char     *content_type,
                                                  gint64          now,
                                                  GError        **error);

G_END_DECLS
