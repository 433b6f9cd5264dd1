/* qm-token-store.h: sign-ins kept in the keyring (libsecret), and nowhere else
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One item per origin (account) holding the token set as JSON, schema
 * "io.github.quartermaster.Quartermaster.Token" with attributes
 * {origin, kind, generation}. Sandbox origins are loopback origins: they never
 * overwrite a real account's item. Without a Secret Service the store works in
 * memory only ("persistent" is FALSE, and the error says why); nothing is ever
 * written to disk instead.
 */

#pragma once

#include <gio/gio.h>

#include "qm-token.h"

G_BEGIN_DECLS

#define QM_TYPE_TOKEN_STORE (qm_token_store_get_type ())
G_DECLARE_FINAL_TYPE (QmTokenStore, qm_token_store, QM, TOKEN_STORE, GObject)

QmTokenStore *qm_token_store_new            (void);
/* A store that never touches the keyring (sandbox sessions, tests): saves
 * succeed without an error and last as long as the process. */
QmTokenStore *qm_token_store_new_in_memory  (void);
/* Seconds a keyring call may take (a prompt included) before the store gives
 * up on the keyring (default 60). */
void          qm_token_store_set_timeout    (QmTokenStore *self,
                                             guint         seconds);
/* FALSE once the keyring was found missing; the session then lives in memory
 * (property "persistent", notified when it changes). */
gboolean      qm_token_store_get_persistent (QmTokenStore *self);
/* Why the keyring could not be used (nullable). */
const GError *qm_token_store_get_error      (QmTokenStore *self);
void          qm_token_store_save_async     (QmTokenStore *self,
                                             const char   *origin,
                                             const QmToken *token,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
/* FALSE with an error when only the in-memory copy could be kept. */
gboolean      qm_token_store_save_finish    (QmTokenStore *self,
                                             GAsyncResult *result,
                                             GError      **error);
void          qm_token_store_load_async     (QmTokenStore *self,
                                             const char   *origin,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
/* NULL with no error when nobody is signed in for @origin. */
QmToken      *qm_token_store_load_finish    (QmTokenStore *self,
                                             GAsyncResult *result,
                                             GError      **error);
void          qm_token_store_clear_async    (QmTokenStore *self,
                                             const char   *origin,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
gboolean      qm_token_store_clear_finish   (QmTokenStore *self,
                                             GAsyncResult *result,
                                             GError      **error);

G_END_DECLS
