/* qm-postmaster-notifier.h: "Postmaster nearly full", while the app runs
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-session.h"

G_BEGIN_DECLS

/* Items left free at a character's postmaster when the notification goes
 * out: 18 of 21. */
#define QM_POSTMASTER_WARN_FREE 3

#define QM_TYPE_POSTMASTER_NOTIFIER (qm_postmaster_notifier_get_type ())
G_DECLARE_FINAL_TYPE (QmPostmasterNotifier, qm_postmaster_notifier, QM, POSTMASTER_NOTIFIER, GObject)

/* Watches @session's inventory: when a character's postmaster holds its
 * capacity less QM_POSTMASTER_WARN_FREE items or more, @application sends
 * "Postmaster nearly full" with a "Pull all" button (app.pull-postmaster,
 * the character's id), once until that postmaster drops below the mark
 * again. Off when @settings (nullable) says notify-postmaster is false.
 * Signal: "notified" (const char *character_id). */
QmPostmasterNotifier *qm_postmaster_notifier_new (GApplication *application,
                                                  GSettings    *settings,
                                                  QmSession    *session);

G_END_DECLS
