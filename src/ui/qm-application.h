/* qm-application.h: the application: options, actions and the sandbox mode
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qm-oauth2-flow.h"
#include "qm-session.h"

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
/* The account every window shows, with the item definitions they share
 * (opened from the disk cache at start-up, in the language of the
 * manifest-language setting). */
QmSession     *qm_application_get_session      (QmApplication  *self);

G_END_DECLS
