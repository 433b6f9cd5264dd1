/* qm-xur-notifier.h: announcing Xûr's arrival, once per week, and --xur-check
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-session.h"
#include "qm-xur.h"

G_BEGIN_DECLS

#define QM_TYPE_XUR_NOTIFIER (qm_xur_notifier_get_type ())
G_DECLARE_FINAL_TYPE (QmXurNotifier, qm_xur_notifier, QM, XUR_NOTIFIER, GObject)

/* Signals: "notified" (QmXur *xur) once his arrival was announced;
 * "checked" (const char *line) when a check ended: "QM-XUR present=%d
 * notified=%d", or "QM-ERROR <message>".
 *
 * The week last announced is kept in xur-last-notified (@settings), or in
 * memory without settings. Every main window's Xûr page that loads him
 * announces him too. */
QmXurNotifier *qm_xur_notifier_new          (GApplication  *application,
                                             GSettings     *settings);
/* Announce @xur unless this week's stay was announced already. */
gboolean       qm_xur_notifier_announce     (QmXurNotifier *self,
                                             QmXur         *xur);
/* Look for him once @session is signed in (it is, or a sign-in runs), then
 * announce him. The application is held meanwhile, and @linger_s seconds
 * more after an announcement, so that clicking it finds the program. */
void           qm_xur_notifier_check        (QmXurNotifier *self,
                                             QmSession     *session,
                                             guint          linger_s);
gboolean       qm_xur_notifier_get_checking (QmXurNotifier *self);

G_END_DECLS
