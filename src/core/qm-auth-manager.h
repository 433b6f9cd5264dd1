/* qm-auth-manager.h: who is signed in, and keeping them signed in
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "qm-config.h"
#include "qm-error.h"
#include "qm-token.h"
#include "qm-token-store.h"

G_BEGIN_DECLS

typedef enum
{
  QM_AUTH_STATE_SIGNED_OUT,
  QM_AUTH_STATE_SIGNED_IN,
  QM_AUTH_STATE_EXPIRED,     /* the refresh token expired or was revoked: sign in again */
} QmAuthState;

#define QM_TYPE_AUTH_STATE (qm_auth_state_get_type ())
GType qm_auth_state_get_type (void) G_GNUC_CONST;

#define QM_TYPE_AUTH_MANAGER (qm_auth_manager_get_type ())
G_DECLARE_FINAL_TYPE (QmAuthManager, qm_auth_manager, QM, AUTH_MANAGER, GObject)

/* @store may be NULL (memory only). Properties: "state" (QmAuthState),
 * "membership-id" (string, nullable). Signal "signed-out" (const char *reason,
 * nullable: the message to show, e.g. after a refresh token expired). */
QmAuthManager  *qm_auth_manager_new             (const QmConfig *config,
                                                 QmTokenStore   *store);
const QmConfig *qm_auth_manager_get_config      (QmAuthManager  *self);
QmAuthState     qm_auth_manager_get_state       (QmAuthManager  *self);
/* The current token (borrowed; NULL when signed out). */
const QmToken  *qm_auth_manager_get_token       (QmAuthManager  *self);
/* Restore the sign-in kept in the keyring for the configured origin. A kept
 * sign-in whose refresh token already expired is removed: the state becomes
 * EXPIRED, "signed-out" is emitted with a message, and the call fails with
 * QM_AUTH_ERROR_EXPIRED. */
void            qm_auth_manager_restore_async   (QmAuthManager  *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
/* TRUE when a sign-in was restored. */
gboolean        qm_auth_manager_restore_finish  (QmAuthManager  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* After a sign-in flow: take @token, keep it in the keyring. */
void            qm_auth_manager_sign_in_async   (QmAuthManager  *self,
                                                 const QmToken  *token,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
/* FALSE with an error when the keyring could not keep it (the session goes on in memory). */
gboolean        qm_auth_manager_sign_in_finish  (QmAuthManager  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* Forget the token and remove the keyring item. */
void            qm_auth_manager_sign_out_async  (QmAuthManager  *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean        qm_auth_manager_sign_out_finish (QmAuthManager  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

/* For QmBungieClient. Add the credentials to @message (Bearer, or PSN cookies +
 * x-csrf); FALSE when signed out. Never to an untrusted origin. */
gboolean        qm_auth_manager_authorize       (QmAuthManager  *self,
                                                 SoupMessage    *message);
/* TRUE when the access token is past its expiry (refresh before calling). */
gboolean        qm_auth_manager_needs_refresh   (QmAuthManager  *self);
/* Single-flight: concurrent callers share one token-endpoint call. Rotated
 * refresh tokens are saved. A network failure keeps the tokens (offline is
 * not sign-out); an expired or revoked refresh token signs out with
 * QM_AUTH_ERROR_EXPIRED and emits "signed-out". PSN cookies cannot be
 * refreshed: QM_AUTH_ERROR_EXPIRED. */
void            qm_auth_manager_refresh_async   (QmAuthManager  *self,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
gboolean        qm_auth_manager_refresh_finish  (QmAuthManager  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* How many token-endpoint refreshes were made (for tests and diagnostics). */
guint           qm_auth_manager_get_refresh_count (QmAuthManager *self);
/* The "membership-id" property: the Bungie.net membership id of the token. */
const char     *qm_auth_manager_get_membership_id (QmAuthManager *self);
/* Changes whenever the credentials change (sign-in, refresh, sign-out): a
 * call refused with credentials of an older generation is retried without
 * another refresh. */
guint           qm_auth_manager_get_generation  (QmAuthManager  *self);

G_END_DECLS
