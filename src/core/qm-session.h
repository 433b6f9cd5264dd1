/* qm-session.h: the signed-in account and everything that belongs to it
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-auth-manager.h"
#include "qm-bungie-client.h"
#include "qm-config.h"
#include "qm-inventory.h"
#include "qm-loadout-manager.h"
#include "qm-manifest.h"
#include "qm-move-executor.h"
#include "qm-oauth2-flow.h"
#include "qm-token-store.h"

G_BEGIN_DECLS

typedef enum
{
  QM_SESSION_STATE_SIGNED_OUT,
  QM_SESSION_STATE_SIGNING_IN,   /* a sign-in or a restore from the keyring runs */
  QM_SESSION_STATE_LOADING,      /* signed in; the inventory is loading */
  QM_SESSION_STATE_READY,        /* signed in; nothing loading */
  QM_SESSION_STATE_ERROR,        /* signed in; the last load failed (see "error") */
} QmSessionState;

#define QM_TYPE_SESSION_STATE (qm_session_state_get_type ())
GType qm_session_state_get_type (void) G_GNUC_CONST;

#define QM_TYPE_SESSION (qm_session_get_type ())
G_DECLARE_FINAL_TYPE (QmSession, qm_session, QM, SESSION, GObject)

/* One account at a time: the Bungie application it talks to (config), where
 * its sign-in is kept (token store), the auth manager, the Bungie client, the
 * definitions (manifest), the chosen membership and the current inventory.
 * The window, the CLI and the Xûr check all go through it.
 *
 * Properties: "state" (QmSessionState), "client", "inventory",
 * "membership-id", "sandbox", "error" (the last load's, a GError).
 * Signals: "signed-out" (const char *reason, nullable: set when the service
 * ended the sign-in, e.g. it expired), "inventory-changed" () when the
 * current inventory was replaced, "error" (GError *) when a load failed.
 *
 * With @settings (nullable) the session reads the Bungie application's
 * preferences (api-key, oauth-client-id), the manifest language, and keeps
 * the chosen membership (membership-id) and the one shown last
 * (shown-membership-id) and the PSN sign-in's e-mail address (psn-email). */
QmSession      *qm_session_new                 (GSettings      *settings);

/* The account to talk to: @config's Bungie application (copied), sign-ins
 * kept in @store (NULL: in memory only). @sandbox marks the built-in
 * sandbox. Whoever was signed in is signed out, without touching the
 * keyring. */
void            qm_session_set_account         (QmSession      *self,
                                                const QmConfig *config,
                                                QmTokenStore   *store,
                                                gboolean        sandbox);
/* The real Bungie.net (or @origin, see qm_session_set_origin()) with the
 * preferences and the keyring; nothing happens when it is in use already.
 * Sign-ins use it when no account was set. */
void            qm_session_use_real_account    (QmSession      *self);
/* Talk to @origin instead of the configured Bungie.net (--origin). */
void            qm_session_set_origin          (QmSession      *self,
                                                const char     *origin);
gboolean        qm_session_get_sandbox         (QmSession      *self);
/* The Bungie application in use (NULL before any account was chosen). */
const QmConfig *qm_session_get_config          (QmSession      *self);

QmSessionState  qm_session_get_state           (QmSession      *self);
gboolean        qm_session_get_signed_in       (QmSession      *self);
QmAuthManager  *qm_session_get_auth_manager    (QmSession      *self);
/* The client of the account signed in (NULL when signed out). */
QmBungieClient *qm_session_get_client          (QmSession      *self);
/* The definitions, opened from the disk cache when first asked for. */
QmManifest     *qm_session_get_manifest        (QmSession      *self);
QmInventory    *qm_session_get_inventory       (QmSession      *self);
/* The account's move queue (made on first use; NULL until an inventory is
 * shown). The window, the command line and loadouts share it; it ends with
 * the account. */
QmMoveExecutor *qm_session_get_executor        (QmSession      *self);
QmLoadoutManager *qm_session_get_loadout_manager (QmSession    *self);
const GError   *qm_session_get_error           (QmSession      *self);
/* FALSE when the last sign-in could not be kept in the keyring and lasts
 * only as long as the program. */
gboolean        qm_session_get_remembered      (QmSession      *self);
/* Why the last sign-in could not be kept (NULL when it was). */
const GError   *qm_session_get_remember_error  (QmSession      *self);
/* Where the account's sign-ins are kept (NULL: in memory only). */
QmTokenStore   *qm_session_get_token_store     (QmSession      *self);
/* Whether the account's sign-ins can be kept for the next start (a store
 * that reaches the keyring). */
gboolean        qm_session_get_persistent      (QmSession      *self);

/* Open the Bungie.net sign-in page with @launcher instead of the browser
 * (tests; the sandbox approves its own page). */
void            qm_session_set_uri_launcher    (QmSession      *self,
                                                QmUriLauncher   launcher,
                                                gpointer        user_data,
                                                GDestroyNotify  destroy);

/* Bungie.net's OAuth sign-in: the launcher opens the authorize page, and
 * qm_session_handle_redirect() takes its answer. */
void            qm_session_sign_in_oauth_async (QmSession      *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
/* The classic PSN chain; @password is used once and wiped. */
void            qm_session_sign_in_psn_async   (QmSession      *self,
                                                const char     *user,
                                                const char     *password,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
/* The e-mail address of the last PSN sign-in (kept in psn-email), NULL
 * before the first. */
const char     *qm_session_get_psn_user        (QmSession      *self);
/* All three: TRUE once signed in. A sign-in given up for a newer one or by
 * qm_session_cancel_sign_in() fails with G_IO_ERROR_CANCELLED. */
gboolean        qm_session_sign_in_finish      (QmSession      *self,
                                                GAsyncResult   *result,
                                                GError        **error);
/* The sign-in kept in the keyring for the account's origin. FALSE without
 * an error when none was kept. */
void            qm_session_restore_async       (QmSession      *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
gboolean        qm_session_restore_finish      (QmSession      *self,
                                                GAsyncResult   *result,
                                                GError        **error);
/* A redirect to quartermaster:// for the OAuth sign-in waiting for it. */
gboolean        qm_session_handle_redirect     (QmSession      *self,
                                                const char     *uri,
                                                GError        **error);
gboolean        qm_session_get_waiting_for_redirect (QmSession *self);
void            qm_session_cancel_sign_in      (QmSession      *self);

/* Forget the sign-in (keyring included) and the profile saved for the next
 * start. Fails only when the keyring kept the item: signed out regardless. */
void            qm_session_sign_out_async      (QmSession      *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
gboolean        qm_session_sign_out_finish     (QmSession      *self,
                                                GAsyncResult   *result,
                                                GError        **error);

/* Use @client, signed in elsewhere, as the account's (tools and tests). */
void            qm_session_set_client          (QmSession      *self,
                                                QmBungieClient *client);

/* Load the inventory of the chosen membership. It becomes the current one
 * unless it is older than the one held (Bungie's cache answering; see
 * qm_inventory_judge_update()), which then takes its definitions. Returns
 * the inventory fetched (transfer full). */
void            qm_session_refresh_async       (QmSession      *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
QmInventory    *qm_session_refresh_finish      (QmSession      *self,
                                                GAsyncResult   *result,
                                                GError        **error);
/* The profile saved by the last run for the chosen (or last shown)
 * membership, made current when none is: shown while the live one loads. */
QmInventory    *qm_session_load_cached         (QmSession      *self,
                                                GError        **error);

/* The chosen Destiny membership (NULL: the account's primary). */
const char     *qm_session_get_membership_id   (QmSession      *self);
void            qm_session_set_membership_id   (QmSession      *self,
                                                const char     *membership_id);
/* Choose @membership_id and load its inventory (as qm_session_refresh_async()). */
void            qm_session_switch_membership_async (QmSession  *self,
                                                const char     *membership_id,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
QmInventory    *qm_session_switch_membership_finish (QmSession *self,
                                                GAsyncResult   *result,
                                                GError        **error);

/* The definitions in @language ("" or NULL: automatic): the disk cache at
 * once, then brought up to date when signed in. */
void            qm_session_set_language_async  (QmSession      *self,
                                                const char     *language,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
gboolean        qm_session_set_language_finish (QmSession      *self,
                                                GAsyncResult   *result,
                                                GError        **error);

G_END_DECLS
