/* qm-envelope.h: Bungie's response envelope, decoded from bytes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  int       error_code;        /* PlatformErrorCodes; 0 when there was no envelope */
  int       throttle_seconds;
  char     *error_status;
  char     *message;
} QmEnvelopeInfo;

void      qm_envelope_info_clear (QmEnvelopeInfo *info);
gboolean  qm_content_type_is_html (const char *content_type);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QmEnvelopeInfo, qm_envelope_info_clear)

/* Decode a Platform response. Pure: no IO.
 * The envelope is judged before the HTTP status (Bungie answers game errors
 * as HTTP 500 with a valid envelope). Returns the Response node (JSON null if
 * absent/null; an immutable tree, share it freely) on ErrorCode 1; otherwise
 * NULL with QM_PLATFORM_ERROR (code = ErrorCode, message = the envelope's
 * Message followed by "(<spec name>, error <code>)") or QM_CLIENT_ERROR
 * (HTML_PAGE, MALFORMED, HTTP, UNAUTHORIZED). @info (nullable) is
 * overwritten (zeroed first, then filled with the envelope's fields when
 * there was one); release it with qm_envelope_info_clear(). */
JsonNode *qm_envelope_parse      (GBytes         *body,
                                  guint           http_status,
                                  const char     *content_type,
                                  QmEnvelopeInfo *info,
                                  GError        **error);

G_END_DECLS
