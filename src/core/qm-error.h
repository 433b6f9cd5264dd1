/* qm-error.h
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * QM_PLATFORM_ERROR:
 *
 * Errors reported by Bungie.net in the response envelope. The error code is
 * the PlatformErrorCodes value of the envelope's ErrorCode (numbers and names
 * from Bungie's OpenAPI spec), e.g. 1642 DestinyNoRoomInDestination.
 */
#define QM_PLATFORM_ERROR (qm_platform_error_quark ())

/* The codes the app reacts to by name; every other code is carried as is. */
typedef enum
{
  QM_PLATFORM_ERROR_SUCCESS = 1,
  QM_PLATFORM_ERROR_UNHANDLED_EXCEPTION = 3,
  QM_PLATFORM_ERROR_SYSTEM_DISABLED = 5,
  QM_PLATFORM_ERROR_INVALID_PARAMETERS = 18,
  QM_PLATFORM_ERROR_WEB_AUTH_MODULE_ASYNC_FAILED = 22,
  QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED = 31,
  QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MINUTES = 35,
  QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_MOMENTARILY = 36,
  QM_PLATFORM_ERROR_THROTTLE_LIMIT_EXCEEDED_SECONDS = 37,
  QM_PLATFORM_ERROR_PER_ENDPOINT_REQUEST_THROTTLE_EXCEEDED = 51,
  QM_PLATFORM_ERROR_PER_APPLICATION_THROTTLE_EXCEEDED = 54,
  QM_PLATFORM_ERROR_PER_APPLICATION_ANONYMOUS_THROTTLE_EXCEEDED = 55,
  QM_PLATFORM_ERROR_PER_APPLICATION_AUTHENTICATED_THROTTLE_EXCEEDED = 56,
  QM_PLATFORM_ERROR_PER_USER_THROTTLE_EXCEEDED = 57,
  QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED = 99,
  QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND = 1601,
  QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND = 1623,
  QM_PLATFORM_ERROR_DESTINY_VENDOR_NOT_FOUND = 1627,
  QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND = 1620,
  QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER = 1634,
  QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE = 1640,
  QM_PLATFORM_ERROR_DESTINY_ITEM_UNIQUE_EQUIP_RESTRICTED = 1641,
  QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION = 1642,
  QM_PLATFORM_ERROR_DESTINY_UNIQUENESS_VIOLATION = 1648,
  QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_ON_EQUIPPED_ITEM = 1656,
  QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE = 1660,
  QM_PLATFORM_ERROR_DESTINY_ITEM_ACTION_FORBIDDEN = 1663,
  QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION = 1671,
  QM_PLATFORM_ERROR_DESTINY_THROTTLED_BY_GAME_SERVER = 1672,
  QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE_HAS_SIDE_EFFECTS = 1673,
  QM_PLATFORM_ERROR_API_INVALID_OR_EXPIRED_KEY = 2101,
  QM_PLATFORM_ERROR_API_KEY_MISSING_FROM_REQUEST = 2102,
  QM_PLATFORM_ERROR_AUTHORIZATION_CODE_INVALID = 2106,
  QM_PLATFORM_ERROR_ORIGIN_HEADER_DOES_NOT_MATCH_KEY = 2107,
  QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED = 2111,
  QM_PLATFORM_ERROR_REFRESH_TOKEN_EXPIRED = 2118,
  QM_PLATFORM_ERROR_AUTHORIZATION_CODE_STALE = 2122,
  QM_PLATFORM_ERROR_AUTHORIZATION_RECORD_EXPIRED = 2123,
  QM_PLATFORM_ERROR_AUTHORIZATION_RECORD_REVOKED = 2124,
} QmPlatformError;

/**
 * QM_CLIENT_ERROR:
 *
 * Errors of the exchange itself, before Bungie's envelope could say anything.
 */
#define QM_CLIENT_ERROR (qm_client_error_quark ())

typedef enum
{
  QM_CLIENT_ERROR_NETWORK,          /* connection refused, reset, DNS, TLS */
  QM_CLIENT_ERROR_TIMEOUT,          /* no answer in time */
  QM_CLIENT_ERROR_HTML_PAGE,        /* an HTML error page where JSON was expected */
  QM_CLIENT_ERROR_MALFORMED,        /* truncated or invalid JSON, or not an envelope */
  QM_CLIENT_ERROR_HTTP,             /* an HTTP failure status with no envelope */
  QM_CLIENT_ERROR_UNAUTHORIZED,     /* HTTP 401/403 with no envelope */
  QM_CLIENT_ERROR_INSECURE_ORIGIN,  /* credentials refused to a non-https, non-loopback origin */
} QmClientError;

/**
 * QM_AUTH_ERROR:
 *
 * Sign-in and token errors. Their messages are for logs: people read
 * qm_error_describe().
 */
#define QM_AUTH_ERROR (qm_auth_error_quark ())

typedef enum
{
  QM_AUTH_ERROR_NOT_SIGNED_IN,
  QM_AUTH_ERROR_WRONG_CREDENTIALS,   /* PSN: authentication_error */
  QM_AUTH_ERROR_STATE_MISMATCH,      /* OAuth redirect with a foreign state */
  QM_AUTH_ERROR_DENIED,              /* the user refused, or the authorize page said no */
  QM_AUTH_ERROR_EXPIRED,             /* refresh token expired/revoked: sign in again */
  QM_AUTH_ERROR_FOREIGN_REDIRECT,    /* a redirect to a host other than Bungie's or PSN's */
  QM_AUTH_ERROR_TOO_MANY_REDIRECTS,
  QM_AUTH_ERROR_PROTOCOL,            /* the chain did not go as expected */
  QM_AUTH_ERROR_MAINTENANCE,         /* SystemDisabled */
  QM_AUTH_ERROR_CODE_REFUSED,        /* the authorization code of a sign-in was not accepted */
} QmAuthError;

GQuark      qm_platform_error_quark        (void);
GQuark      qm_client_error_quark          (void);
GQuark      qm_auth_error_quark            (void);
const char *qm_platform_error_code_name    (int          code);
int         qm_platform_error_code_from_name (const char *name);
gboolean    qm_platform_error_is_throttle  (int          code);
gboolean    qm_platform_error_is_auth      (int          code);
gboolean    qm_platform_error_is_api_key   (int          code);
gboolean    qm_error_is_cancelled          (const GError *error);
char       *qm_error_describe              (const GError *error);

G_END_DECLS
