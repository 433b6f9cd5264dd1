/* qm-xur-digest.h: Xûr's week as a self-contained HTML page
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "qm-bungie-client.h"
#include "qm-xur.h"

G_BEGIN_DECLS

/* The largest icon embedded in the digest (a Bungie item icon is a 96×96
 * image of a few kilobytes); larger ones are left out. */
#define QM_XUR_DIGEST_MAX_ICON_BYTES (24 * 1024)

/* Pure: an HTML5 page (inline CSS, no scripts) titled "Xûr's stock for the
 * week of …": where and when (arrival and departure in @tz), then every sale
 * with its icon, name, type, tier and costs ("120 Strange Coins"). When he is
 * absent, a page saying when he returns. Every text is HTML-escaped. The page
 * stands alone: nothing in it is fetched from elsewhere; an icon is a data:
 * URI of its bytes in @icons (nullable; icon path → GBytes of a PNG, JPEG,
 * GIF or WebP of at most QM_XUR_DIGEST_MAX_ICON_BYTES), or left out. @tz
 * NULL: UTC. Newly allocated, UTF-8. */
char       *qm_xur_digest_html               (QmXur               *xur,
                                              GTimeZone           *tz,
                                              GHashTable          *icons);
/* The paths of the sales' icons the digest shows, once each. */
GStrv       qm_xur_digest_dup_icon_paths     (QmXur               *xur);
/* The icons for qm_xur_digest_html() from @client's origin, one request at
 * a time; @known (nullable) ones are not asked for. One that does not come
 * (or is too large) is left out; only cancelling fails. */
void        qm_xur_digest_fetch_icons_async  (QmBungieClient      *client,
                                              QmXur               *xur,
                                              GHashTable          *known,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GHashTable *qm_xur_digest_fetch_icons_finish (QmBungieClient      *client,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
