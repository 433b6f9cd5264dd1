/* fuzz-token.c: the token endpoint's answer and the keyring's form
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing the reader and the HTTP status, then the bytes.
 * Every token read must come back unchanged through its serialization.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "qm-oauth2-flow.h"
#include "qm-token.h"

static void
check_round_trip (const QmToken *token)
{
  g_autofree char *text = qm_token_serialize (token);
  g_autoptr(QmToken) back = qm_token_deserialize (text, NULL);

  FUZZ_CHECK (back != NULL);
  FUZZ_CHECK (back->kind == token->kind);
  FUZZ_CHECK (g_strcmp0 (back->access_token, token->access_token) == 0);
  FUZZ_CHECK (g_strcmp0 (back->refresh_token, token->refresh_token) == 0);
  FUZZ_CHECK (g_strcmp0 (back->membership_id, token->membership_id) == 0);
  FUZZ_CHECK (g_strcmp0 (back->bungled, token->bungled) == 0);
  FUZZ_CHECK (g_strcmp0 (back->bungleatk, token->bungleatk) == 0);
  FUZZ_CHECK (g_strcmp0 (back->bungledid, token->bungledid) == 0);
  FUZZ_CHECK (back->access_expires == token->access_expires);
  FUZZ_CHECK (back->refresh_expires == token->refresh_expires);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 400, 401, 403, 500, 502, 503 };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = 1700000000;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  switch (data[0] % 3)
    {
    case 0:
      token = qm_oauth2_parse_token_response (body, statuses[(data[0] >> 2) % G_N_ELEMENTS (statuses)],
                                              data[0] & 0x80 ? "text/html" : "application/json", now, &error);
      break;
    case 1:
      token = qm_token_new_from_response (body, now, &error);
      break;
    default:
      {
        g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);

        /* The keyring hands back a string: one with a NUL inside ends there. */
        token = qm_token_deserialize (text, &error);
      }
    }
  FUZZ_CHECK ((token == NULL) != (error == NULL));
  if (token != NULL)
    check_round_trip (token);
  return 0;
}
