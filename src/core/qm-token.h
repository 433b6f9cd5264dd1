/* qm-token.h: what a sign-in yields, and what the keyring keeps
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  QM_TOKEN_KIND_OAUTH,        /* Bungie OAuth2: access + refresh tokens */
  QM_TOKEN_KIND_PSN_COOKIES,  /* the classic PSN chain: Bungie's cookies */
} QmTokenKind;

typedef struct
{
  QmTokenKind kind;
  char       *access_token;      /* OAuth */
  gint64      access_expires;    /* unix seconds; 0 = unknown */
  char       *refresh_token;     /* OAuth, nullable */
  gint64      refresh_expires;   /* unix seconds; 0 = unknown */
  char       *membership_id;     /* the Bungie.net (254) membership id, nullable */
  char       *bungled;           /* PSN cookies: CSRF token, sent back as x-csrf */
  char       *bungleatk;         /* PSN cookies: the auth token */
  char       *bungledid;
} QmToken;

#define QM_TYPE_TOKEN (qm_token_get_type ())
GType     qm_token_get_type            (void) G_GNUC_CONST;
QmToken  *qm_token_new                 (QmTokenKind   kind);
QmToken  *qm_token_copy                (const QmToken *token);
void      qm_token_free                (QmToken      *token);
/* Pure: the token endpoint's JSON {access_token, token_type, expires_in,
 * refresh_token, refresh_expires_in, membership_id}; @now in unix seconds. */
QmToken  *qm_token_new_from_response   (GBytes       *body,
                                        gint64        now,
                                        GError      **error);
/* The keyring's form (a JSON object) and back. */
char     *qm_token_serialize           (const QmToken *token);
QmToken  *qm_token_deserialize         (const char   *text,
                                        GError      **error);
/* Expiry with a safety margin of 60 s. A token without an expiry never expires. */
gboolean  qm_token_access_expired      (const QmToken *token,
                                        gint64        now);
gboolean  qm_token_refresh_expired     (const QmToken *token,
                                        gint64        now);
/* Overwrite a secret string (password, token) with zeros, then free it. */
void      qm_secret_free               (char         *text);
/* Overwrite the secret strings with zeros before freeing them. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmToken, qm_token_free)

G_END_DECLS
