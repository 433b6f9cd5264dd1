/* qm-xur-digest.h: Xûr's week as a self-contained HTML page
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "qm-xur.h"

G_BEGIN_DECLS

/* Pure: an HTML5 page (inline CSS, no scripts) titled "Xûr's stock for the
 * week of …": where and when (arrival and departure in @tz), then every sale
 * with its icon (an <img> on @icon_origin + the icon path, e.g.
 * "https://www.bungie.net"), name, type, tier and costs ("120 Strange Coins").
 * When he is absent, a page saying when he returns. Every text is
 * HTML-escaped. @tz NULL: UTC. Newly allocated, UTF-8. */
char *qm_xur_digest_html (QmXur      *xur,
                          GTimeZone  *tz,
                          const char *icon_origin);

G_END_DECLS
