/* qm-application.h: the application: options, actions and the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qm-auth-manager.h"
#include "qm-manifest.h"
#include "qm-oauth2-flow.h"

G_BEGIN_DECLS

#define QM_TYPE_APPLICATION (qm_application_get_type ())
G_DECLARE_FINAL_TYPE (QmApplication, qm_application, QM, APPLICATION, AdwApplication)

/* Signal "xur-notified" (QmXur *xur): Xûr's arrival was announced with a
 * notification (at most once per week he arrives in). */

QmApplication *qm_application_new              (void);
/* Open the Bungie.net sign-in page with @launcher instead of the browser
 * (for tests; the sandbox mode approves its own page regardless). */
void           qm_application_set_uri_launcher (QmApplication  *self,
                                                QmUriLauncher   launcher,
                                                gpointer        user_data,
                                                GDestroyNotify  destroy);
/* Who is signed in (NULL before the first window). */
QmAuthManager *qm_application_get_auth_manager (QmApplication  *self);
/* The item definitions every view uses: opened from the disk cache at
 * start-up, in the language of the manifest-language setting. */
QmManifest    *qm_application_get_manifest     (QmApplication  *self);

G_END_DECLS
