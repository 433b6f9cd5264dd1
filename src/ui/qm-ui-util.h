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
/* The app's settings: the installed schema, or in a program run from the
 * build directory the schema compiled there. NULL when there is none (said
 * once on the log; the window says so too): then nothing is remembered. */
GSettings  *qm_ui_settings_new        (void);
/* For tests: where a program of the build directory looks for the compiled
 * schema (NULL: QM_BUILD_SCHEMA_DIR). */
void        qm_ui_settings_set_build_schema_dir (const char *dir);
/* The running program's file (resolved), or NULL when it is not known. */
char       *qm_ui_dup_program_path    (void);
/* Whether the running program is one of the build directory's. */
gboolean    qm_ui_running_from_build_dir (void);

G_END_DECLS
