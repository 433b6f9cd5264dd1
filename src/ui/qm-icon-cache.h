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

/* Signal "loaded" (const char *path): the icon at @path arrived; look it up again. */

QmIconCache  *qm_icon_cache_new    (QmBungieClient *client);
/* The icon at @path (a path on the client's origin) when it is at hand
 * (borrowed); otherwise NULL, and a download starts unless one ran already. */
GdkPaintable *qm_icon_cache_lookup (QmIconCache    *self,
                                    const char     *path);
/* Stop the downloads under way. */
void          qm_icon_cache_cancel (QmIconCache    *self);

G_END_DECLS
