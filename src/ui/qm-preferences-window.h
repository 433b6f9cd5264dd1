/* qm-preferences-window.h: the preferences, and the autostart entry behind one
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qm-autostart.h"
#include "qm-manifest.h"
#include "qm-session.h"

G_BEGIN_DECLS

#define QM_TYPE_PREFERENCES_WINDOW (qm_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (QmPreferencesWindow, qm_preferences_window, QM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

QmPreferencesWindow *qm_preferences_window_new                   (GtkWindow  *parent,
                                                                  QmSession  *session);
/* The "Tell me when Xûr arrives, even when Quartermaster is closed" switch. */
GtkSwitch           *qm_preferences_window_get_background_switch (QmPreferencesWindow *self);
/* "Make space automatically" (the "make-space" setting) and the
 * notification when a move finishes in the background ("notify-moves"). */
GtkSwitch           *qm_preferences_window_get_make_space_switch  (QmPreferencesWindow *self);
GtkSwitch           *qm_preferences_window_get_notify_moves_switch (QmPreferencesWindow *self);
/* The "Postmaster nearly full" switch (the notify-postmaster setting). */
GtkSwitch           *qm_preferences_window_get_postmaster_switch (QmPreferencesWindow *self);
/* The languages of @manifest's definitions are offered (with "Automatic")
 * for the manifest-language setting; set from the "session" property by
 * qm_preferences_window_new(). */
void                 qm_preferences_window_set_manifest          (QmPreferencesWindow *self,
                                                                  QmManifest          *manifest);
AdwComboRow         *qm_preferences_window_get_language_row      (QmPreferencesWindow *self);
/* Its rows' names: "Automatic…", then "Deutsch", "English", … */
GListModel          *qm_preferences_window_get_language_model    (QmPreferencesWindow *self);

G_END_DECLS
