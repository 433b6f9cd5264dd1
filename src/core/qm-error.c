/* qm-error.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
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
G_DEFINE_QUARK (qm-auth-error-quark, qm_auth_error)

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

/* The codes that mean the application's API key was refused: signing in
 * again cannot help. Bungie answers them with HTTP 401 too. */
gboolean
qm_platform_error_is_api_key (int code)
{
  switch (code)
    {
    case QM_PLATFORM_ERROR_API_INVALID_OR_EXPIRED_KEY:
    case QM_PLATFORM_ERROR_API_KEY_MISSING_FROM_REQUEST:
    case QM_PLATFORM_ERROR_ORIGIN_HEADER_DOES_NOT_MATCH_KEY:
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

/* The sentences people read. Each meaning has one sentence, here; the
 * messages of the errors themselves are for logs. */

static const char *
maintenance_sentence (void)
{
  return _("Bungie.net is down for maintenance. Try again later.");
}

static const char *
expired_sentence (void)
{
  return _("Your sign-in has expired. Sign in again.");
}

static char *
describe_platform_error (const GError *error)
{
  if (error->code == QM_PLATFORM_ERROR_SYSTEM_DISABLED)
    return g_strdup (maintenance_sentence ());
  if (qm_platform_error_is_throttle (error->code))
    return g_strdup (_("Bungie.net is busy right now. Wait a moment and try again."));
  if (qm_platform_error_is_api_key (error->code))
    return g_strdup (_("Bungie.net did not accept Quartermaster’s API key. Signing in again "
                       "does not help: check the API key."));
  if (qm_platform_error_is_auth (error->code))
    return g_strdup (expired_sentence ());
  if (error->code == QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND)
    return g_strdup (_("No Destiny 2 account was found for this Bungie.net account."));
  /* Translators: %s is Bungie.net's own explanation of the error. */
  return g_strdup_printf (_("Bungie.net reported an error: %s"), error->message);
}

static char *
describe_client_error (const GError *error)
{
  switch ((QmClientError) error->code)
    {
    case QM_CLIENT_ERROR_NETWORK:
      return g_strdup (_("Could not reach Bungie.net. Check your internet connection."));
    case QM_CLIENT_ERROR_TIMEOUT:
      return g_strdup (_("Bungie.net did not answer in time. Try again later."));
    case QM_CLIENT_ERROR_HTML_PAGE:
    case QM_CLIENT_ERROR_HTTP:
      return g_strdup (_("Bungie.net is having problems right now. Try again later."));
    case QM_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (expired_sentence ());
    case QM_CLIENT_ERROR_MALFORMED:
      /* A cut-off or garbled answer: the parser's own words help nobody. */
      g_debug ("Unreadable answer: %s", error->message);
      return g_strdup (_("Bungie.net sent an answer that could not be read. Try again later."));
    case QM_CLIENT_ERROR_INSECURE_ORIGIN:
    default:
      /* Translators: %s explains what went wrong. */
      return g_strdup_printf (_("Something went wrong: %s"), error->message);
    }
}

static char *
describe_auth_error (const GError *error)
{
  switch ((QmAuthError) error->code)
    {
    case QM_AUTH_ERROR_NOT_SIGNED_IN:
      return g_strdup (_("You are not signed in. Sign in to Bungie.net first."));
    case QM_AUTH_ERROR_WRONG_CREDENTIALS:
      return g_strdup (_("Your PlayStation Network e-mail address or password is wrong."));
    case QM_AUTH_ERROR_STATE_MISMATCH:
      return g_strdup (_("The answer from Bungie.net does not match the sign-in Quartermaster "
                         "started, so it was refused. Start the sign-in again."));
    case QM_AUTH_ERROR_DENIED:
      return g_strdup (_("Bungie.net did not allow the sign-in. To sign in, approve "
                         "Quartermaster on Bungie.net."));
    case QM_AUTH_ERROR_CODE_REFUSED:
      return g_strdup (_("Bungie.net refused the sign-in: it did not accept the sign-in code. "
                         "Start the sign-in again."));
    case QM_AUTH_ERROR_EXPIRED:
      return g_strdup (expired_sentence ());
    case QM_AUTH_ERROR_FOREIGN_REDIRECT:
      return g_strdup (_("The sign-in tried to send you to an unknown website, so Quartermaster "
                         "stopped it."));
    case QM_AUTH_ERROR_TOO_MANY_REDIRECTS:
      return g_strdup (_("The sign-in went through too many redirects. Try again later."));
    case QM_AUTH_ERROR_MAINTENANCE:
      return g_strdup (maintenance_sentence ());
    case QM_AUTH_ERROR_PROTOCOL:
    default:
      /* Translators: %s explains what went wrong. */
      return g_strdup_printf (_("The sign-in did not go as expected: %s"), error->message);
    }
}

/**
 * qm_error_describe:
 * @error: an error from the client, the sign-in flows or the services
 *
 * The sentence to show a person for @error, in the window and in the
 * command-line tool alike: what happened and, where there is one, what to
 * do. Errors of other domains are shown with their own message.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
qm_error_describe (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == QM_PLATFORM_ERROR)
    return describe_platform_error (error);
  if (error->domain == QM_CLIENT_ERROR)
    return describe_client_error (error);
  if (error->domain == QM_AUTH_ERROR)
    return describe_auth_error (error);
  return g_strdup (error->message);
}
