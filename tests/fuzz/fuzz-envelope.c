/* fuzz-envelope.c: Bungie's response envelope (qm_envelope_parse)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing the HTTP status and content type, then the body.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-envelope.h"
#include "qm-error.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 500, 502, 503, 401, 403, 404, 429 };
  static const char * const types[] = { "application/json", "text/html; charset=utf-8", NULL, "text/plain" };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_auto(QmEnvelopeInfo) info = { 0 };
  guint8 pick;

  if (size < 1)
    return 0;
  pick = data[0];
  body = g_bytes_new (data + 1, size - 1);
  response = qm_envelope_parse (body, statuses[pick % G_N_ELEMENTS (statuses)],
                                types[(pick >> 3) % G_N_ELEMENTS (types)], &info, &error);
  /* Exactly one of a response and an error. */
  FUZZ_CHECK ((response == NULL) != (error == NULL));
  if (error != NULL)
    FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
  if (info.message != NULL)
    FUZZ_CHECK (g_utf8_validate (info.message, -1, NULL));
  return 0;
}
