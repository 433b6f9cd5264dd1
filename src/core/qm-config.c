/* qm-config.c: the Bungie application Quartermaster speaks as
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-config"

#include "config.h"

#include "qm-config.h"

#include <string.h>

#define DEFAULT_REDIRECT_URI "quartermaster://oauth-callback"

/* The environment wins over the build options; an empty variable does not count. */
static char *
setting (const char *variable,
         const char *build_default)
{
  const char *value = g_getenv (variable);

  if (value == NULL || *value == '\0')
    value = build_default;
  return g_strdup (value);
}

static char *
origin_setting (const char *variable,
                const char *build_default)
{
  char *origin = setting (variable, build_default);
  gsize len = strlen (origin);

  while (len > 0 && origin[len - 1] == '/')
    origin[--len] = '\0';
  return origin;
}

/**
 * qm_config_new_default:
 *
 * The build options (config.h), overridden by the environment: QM_ORIGIN,
 * QM_PSN_ORIGIN, QM_API_KEY, QM_OAUTH_CLIENT_ID, QM_OAUTH_CLIENT_SECRET.
 *
 * Returns: (transfer full): a new configuration
 */
QmConfig *
qm_config_new_default (void)
{
  return qm_config_new_with_preferences (NULL, NULL, NULL);
}

/**
 * qm_config_new_with_preferences:
 * @api_key: (nullable): the preferred API key; %NULL or "" for none
 * @client_id: (nullable): the preferred OAuth client id, likewise
 * @client_secret: (nullable): the preferred OAuth client secret, likewise
 *
 * Like qm_config_new_default() with the preferences between the build
 * options and the environment: environment > preferences > build options.
 *
 * Returns: (transfer full): a new configuration
 */
QmConfig *
qm_config_new_with_preferences (const char *api_key,
                                const char *client_id,
                                const char *client_secret)
{
  QmConfig *config = g_new0 (QmConfig, 1);

  config->origin = origin_setting ("QM_ORIGIN", QM_DEFAULT_ORIGIN);
  config->psn_origin = origin_setting ("QM_PSN_ORIGIN", QM_DEFAULT_PSN_ORIGIN);
  config->api_key = g_strdup (QM_DEFAULT_API_KEY);
  config->client_id = g_strdup (QM_DEFAULT_CLIENT_ID);
  config->client_secret = g_strdup (QM_DEFAULT_CLIENT_SECRET);
  config->redirect_uri = g_strdup (DEFAULT_REDIRECT_URI);
  qm_config_apply_overrides (config, api_key, client_id, client_secret);
  qm_config_apply_overrides (config, g_getenv ("QM_API_KEY"), g_getenv ("QM_OAUTH_CLIENT_ID"),
                             g_getenv ("QM_OAUTH_CLIENT_SECRET"));
  return config;
}

QmConfig *
qm_config_copy (const QmConfig *config)
{
  QmConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (QmConfig, 1);
  copy->origin = g_strdup (config->origin);
  copy->psn_origin = g_strdup (config->psn_origin);
  copy->api_key = g_strdup (config->api_key);
  copy->client_id = g_strdup (config->client_id);
  copy->client_secret = g_strdup (config->client_secret);
  copy->redirect_uri = g_strdup (config->redirect_uri);
  return copy;
}

void
qm_config_free (QmConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->origin);
  g_free (config->psn_origin);
  g_free (config->api_key);
  g_free (config->client_id);
  g_free (config->client_secret);
  g_free (config->redirect_uri);
  g_free (config);
}

static void
override (char       **value,
          const char  *replacement)
{
  if (replacement == NULL || *replacement == '\0')
    return;
  g_free (*value);
  *value = g_strdup (replacement);
}

/**
 * qm_config_apply_overrides:
 * @api_key: (nullable): an API key, or %NULL or "" to keep @config's
 * @client_id: (nullable): an OAuth client id, likewise
 * @client_secret: (nullable): an OAuth client secret, likewise
 *
 * Lays run-time settings (such as the preferences) over @config.
 */
void
qm_config_apply_overrides (QmConfig   *config,
                           const char *api_key,
                           const char *client_id,
                           const char *client_secret)
{
  g_return_if_fail (config != NULL);

  override (&config->api_key, api_key);
  override (&config->client_id, client_id);
  override (&config->client_secret, client_secret);
}

static gboolean
host_is_loopback (const char *host)
{
  return g_str_equal (host, "127.0.0.1") ||
         g_str_equal (host, "::1") ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

/* The scheme and host of @origin, or FALSE when it is not an http(s) address. */
static gboolean
parse_origin (const char  *origin,
              gboolean    *https,
              gboolean    *loopback)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* A backslash reads as a slash to browsers and as part of the user
   * information to GUri ("http://bungie.net\@127.0.0.1"): an origin that
   * two parsers read differently is no origin. */
  if (origin == NULL || strchr (origin, '\\') != NULL)
    return FALSE;
  uri = g_uri_parse (origin, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  /* Nor is one with user information: credentials of its own, or a host
   * dressed as another ("https://www.bungie.net@evil.example"). */
  if (uri == NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;

  *https = g_ascii_strcasecmp (scheme, "https") == 0;
  *loopback = host_is_loopback (host);
  return TRUE;
}

/**
 * qm_origin_is_trusted:
 * @origin: (nullable): an origin such as "https://www.bungie.net"
 *
 * Whether credentials may be sent to @origin: https anywhere, plain http
 * only to this computer (127.0.0.1, ::1, localhost: the sandbox).
 */
gboolean
qm_origin_is_trusted (const char *origin)
{
  gboolean https = FALSE;
  gboolean loopback = FALSE;

  if (!parse_origin (origin, &https, &loopback))
    return FALSE;
  return https || loopback;
}

/**
 * qm_origin_is_loopback:
 * @origin: (nullable): an origin
 *
 * Whether @origin is an http(s) address on this computer.
 */
gboolean
qm_origin_is_loopback (const char *origin)
{
  gboolean https = FALSE;
  gboolean loopback = FALSE;

  return parse_origin (origin, &https, &loopback) && loopback;
}
