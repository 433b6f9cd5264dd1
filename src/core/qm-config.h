/* qm-config.h: the Bungie application Quartermaster speaks as
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * API key, OAuth client id and secret come from the build options and can be
 * overridden at run time (environment QM_API_KEY, QM_OAUTH_CLIENT_ID,
 * QM_OAUTH_CLIENT_SECRET, QM_ORIGIN, QM_PSN_ORIGIN; then the preferences), so
 * a user can bring their own Bungie application.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *origin;          /* Bungie.net, default https://www.bungie.net */
  char *psn_origin;      /* PSN sign-in, default https://auth.api.sonyentertainmentnetwork.com */
  char *api_key;
  char *client_id;
  char *client_secret;
  char *redirect_uri;    /* quartermaster://oauth-callback */
} QmConfig;

/* Build options, then the environment. */
QmConfig *qm_config_new_default  (void);
/* Build options, then the preferences given (NULL or "": none), then the
 * environment: environment > preferences > build options. */
QmConfig *qm_config_new_with_preferences (const char *api_key,
                                          const char *client_id,
                                          const char *client_secret);
QmConfig *qm_config_copy         (const QmConfig *config);
void      qm_config_free         (QmConfig       *config);
/* Pure: replaces the Bungie application's values with those given that are
 * neither NULL nor empty (e.g. the preferences). */
void      qm_config_apply_overrides (QmConfig   *config,
                                     const char *api_key,
                                     const char *client_id,
                                     const char *client_secret);
/* True for https origins and for loopback (127.0.0.1, ::1, localhost). */
gboolean  qm_origin_is_trusted   (const char     *origin);
/* True for http(s) origins on this computer (127.0.0.1, ::1, localhost). */
gboolean  qm_origin_is_loopback  (const char     *origin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmConfig, qm_config_free)

G_END_DECLS
