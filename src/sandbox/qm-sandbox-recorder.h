/* qm-sandbox-recorder.h: the sandbox's traffic log, one JSON line per exchange
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each line is what bungie-contract-check reads:
 *   {"method", "url" (path and query), "host", "headers" (request headers),
 *    "request" (JSON body, form fields as an object, or null), "status",
 *    "response" (the JSON body; absent when the body is not JSON)}
 * Secrets are replaced by "REDACTED": the Authorization, Cookie, X-API-Key
 * and x-csrf headers, the form fields and query parameters j_password,
 * client_secret, code, refresh_token and access_token, and the access_token
 * and refresh_token of token responses.
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define QM_SANDBOX_REDACTED "REDACTED"

typedef struct
{
  const char         *method;
  const char         *path;
  const char         *query;          /* nullable, without '?' */
  const char         *host;           /* nullable */
  SoupMessageHeaders *headers;        /* nullable: request headers */
  GBytes             *request_body;   /* nullable */
  const char         *request_type;   /* nullable: request Content-Type */
  guint               status;         /* 0: no answer was sent */
  GBytes             *response_body;  /* nullable */
  const char         *response_type;  /* nullable: response Content-Type */
  gboolean            response_is_json; /* the body is known to be valid compact
                                         * JSON: it is copied, not parsed */
} QmSandboxExchange;

typedef struct _QmSandboxRecorder QmSandboxRecorder;

QmSandboxRecorder *qm_sandbox_recorder_new        (const char              *path,
                                                   GError                 **error);
void               qm_sandbox_recorder_free       (QmSandboxRecorder       *recorder);
const char        *qm_sandbox_recorder_get_path   (QmSandboxRecorder       *recorder);
/* Append one line and flush it. */
gboolean           qm_sandbox_recorder_write      (QmSandboxRecorder       *recorder,
                                                   const QmSandboxExchange *exchange,
                                                   GError                 **error);
/* The redacted line for @exchange, without the newline. Pure. */
char              *qm_sandbox_recorder_format     (const QmSandboxExchange *exchange);
/* Whether a header, form field or query parameter holds a secret. */
gboolean           qm_sandbox_recorder_is_secret_header (const char        *name);
gboolean           qm_sandbox_recorder_is_secret_field  (const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmSandboxRecorder, qm_sandbox_recorder_free)

G_END_DECLS
