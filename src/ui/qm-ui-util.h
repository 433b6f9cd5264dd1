/* qm-ui-util.h: text the UI shows for items, characters and errors
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "qm-item.h"
#include "qm-profile.h"

G_BEGIN_DECLS

/* "Titan", "Hunter", "Warlock" or "Guardian", translated. */
const char *qm_ui_class_name          (int           class_type);
/* Where an item is, e.g. "Hunter · Equipped", "Vault", "Postmaster (Titan)". */
char       *qm_ui_format_location     (QmItem       *item,
                                       QmProfile    *profile);
/* "Auto Rifle · Legendary", "Legendary" or NULL when neither is known. */
char       *qm_ui_format_item_kind    (QmItem       *item);
/* The item's name, or "Unknown item <hash>". */
char       *qm_ui_format_item_name    (QmItem       *item);
/* A symbolic icon standing for the item's location. */
const char *qm_ui_location_icon_name  (QmItemLocation location);
/* A sentence a player can act on for a failed load or action. */
/* The app's settings, or NULL when the schema is not installed (running
 * from the build directory): then nothing is remembered. */
GSettings  *qm_ui_settings_new        (void);

G_END_DECLS
