/* qm-autostart.h: the login item that looks for Xûr when the session starts
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Outside Flatpak it is a desktop entry in $XDG_CONFIG_HOME/autostart that
 * runs `quartermaster --xur-check`. Inside Flatpak that folder is the
 * sandbox's own, which the session never reads: the Background portal
 * (org.freedesktop.portal.Background.RequestBackground, with "autostart"
 * and "commandline") writes the entry for the application instead, after
 * asking the user if it wants to.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether the portal is the way: inside Flatpak (/.flatpak-info), or with
 * GTK_USE_PORTAL=1 as GLib and GTK read it. */
gboolean  qm_xur_autostart_uses_portal     (void);
/* The entry written outside Flatpak:
 * $XDG_CONFIG_HOME/autostart/<app id>.desktop (the name the portal uses). */
char     *qm_xur_autostart_path            (void);
/* Its Exec: @program (the running quartermaster's file), quoted as the
 * Desktop Entry Specification asks, then --xur-check. */
char     *qm_xur_autostart_command_for     (const char *program);
/* Write or remove that entry (and the one older versions wrote,
 * <app id>-xur.desktop). */
gboolean  qm_xur_autostart_set_enabled     (gboolean    enabled,
                                            GError    **error);

/* The login item on or off: through the portal when
 * qm_xur_autostart_uses_portal(), else the entry above. Fails with
 * G_IO_ERROR_PERMISSION_DENIED when the user or the system said no. */
void      qm_xur_autostart_request_async   (gboolean             enabled,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  qm_xur_autostart_request_finish  (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
