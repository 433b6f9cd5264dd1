/* qm-icon-cache.h: item icons from the Bungie origin, fetched once each
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-bungie-client.h"

G_BEGIN_DECLS

#define QM_TYPE_ICON_CACHE (qm_icon_cache_get_type ())
G_DECLARE_FINAL_TYPE (QmIconCache, qm_icon_cache, QM, ICON_CACHE, GObject)

/* Signal "loaded" (const char *path): the icon at @path arrived; look it up
 * again. (Not detailed by the path: every detail would be a GQuark, kept
 * for the life of the process, for each of thousands of icons.) */

/* Icons are kept on disk under $XDG_CACHE_HOME/quartermaster/icons. */
QmIconCache  *qm_icon_cache_new    (QmBungieClient *client);
/* The same, with the files in @directory (for tests). */
QmIconCache  *qm_icon_cache_new_for_directory (QmBungieClient *client,
                                               const char     *directory);
const char   *qm_icon_cache_get_directory     (QmIconCache    *self);
/* The file the icon at @path is kept in (it may not exist yet). */
char         *qm_icon_cache_get_file_path     (QmIconCache    *self,
                                               const char     *path);
/* The icon at @path (a path on the client's origin) when it is at hand
 * (borrowed): one texture per path, shared by every caller. Otherwise NULL,
 * and, unless that ran already, the icon is read from disk off the main
 * thread or, when it is not there or is unreadable, downloaded once and
 * stored; "loaded" says when it is at hand. */
GdkPaintable *qm_icon_cache_lookup (QmIconCache    *self,
                                    const char     *path);
/* Stop the reads and downloads under way. */
void          qm_icon_cache_cancel (QmIconCache    *self);

G_END_DECLS
