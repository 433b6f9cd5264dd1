/* qm-error.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-error"

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "qm-error.h"

typedef struct
{
  int         code;
  const char *name;
} CodeName;

static const CodeName platform_codes[] = {
#include "qm-platform-error-codes.inc"
};

G_DEFINE_QUARK (qm-platform-error-quark, qm_platform_error)
G_DEFINE_QUARK (qm-client-error-quark, qm_client_error)

static int
compare_code (const void *key,
              const void *elem)
{
  int code = *(const int *) key;
  const CodeName *cn = elem;

  return (code > cn->code) - (code < cn->code);
}

/**
 * qm_platform_error_code_name:
 * @code: a PlatformErrorCodes value
 *
 * Returns: (nullable): the spec's identifier for @code, e.g.
 *   "DestinyNoRoomInDestination", or %NULL for a code the spec does not know.
 */
const char *
qm_platform_error_code_name (int code)
{
  const CodeName *cn = bsearch (&code, platform_codes, G_N_ELEMENTS (platform_codes),
                                sizeof platform_codes[0], compare_code);

  return cn != NULL ? cn->name : NULL;
}

/**
 * qm_platform_error_code_from_name:
 * @name: a PlatformErrorCodes identifier such as "SystemDisabled"
 *
 * Returns: the numeric code, or -1 when the spec has no such name.
 */
int
qm_platform_error_code_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (platform_codes); i++)
    if (g_ascii_strcasecmp (platform_codes[i].name, name) == 0)
      return platform_codes[i].code;

  return -1;
}

/* The codes after which Bungie wants the client to wait ThrottleSeconds. */
gboolean
qm_platform_error_is_throttle (int code)
{
  switch (code)
    {
    case QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED:
    case QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MINUTES:
    case QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MOMENTARILY:
    case QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_SECONDS:
    case QM_PLATFORM_ERROR_PER_ENDPOINT_REQUEST_THROTTLE_EXCEEDED:
    case QM_PLATFORM_ERROR_PER_APPLICATION_THROTTLE_EXCEEDED:
    case QM_PLATFORM_ERROR_PER_APPLICATION_ANONYMOUS_THROTTLE_EXCEEDED:
    case QM_PLATFORM_ERROR_PER_APPLICATION_AUTHENTICATED_THROTTLE_EXCEEDED:
    case QM_PLATFORM_ERROR_PER_USER_THROTTLE_EXCEEDED:
    case QM_PLATFORM_ERROR_DESTINY_THROTTLED_BY_GAME_SERVER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The codes that mean "the access token is no good: refresh and retry once". */
gboolean
qm_platform_error_is_auth (int code)
{
  switch (code)
    {
    case QM_PLATFORM_ERROR_WEB_AUTH_MODULE_ASYNC_FAILED:
    case QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED:
    case QM_PLATFORM_ERROR_AUTHORIZATION_CODE_INVALID:
    case QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED:
    case QM_PLATFORM_ERROR_AUTHORIZATION_CODE_STALE:
    case QM_PLATFORM_ERROR_AUTHORIZATION_RECORD_EXPIRED:
    case QM_PLATFORM_ERROR_AUTHORIZATION_RECORD_REVOKED:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
qm_error_is_cancelled (const GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
