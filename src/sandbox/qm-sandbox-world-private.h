/* qm-sandbox-world-private.h: helpers shared by the world's source files
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qm-sandbox-world.h"

G_BEGIN_DECLS

/* An empty world: every table allocated, nothing loaded. */
QmSandboxWorld *qm_sandbox_world_alloc             (void);
/* 32-bit FNV-1a, the hash family Bungie's identifiers come from. */
guint32         qm_sandbox_fnv1a                   (const char     *text);
/* "/common/destiny2_content/icons/<md5 of seed>.png" */
char           *qm_sandbox_icon_path               (const char     *seed);
/* Append @text as a quoted, escaped JSON string. */
void            qm_sandbox_json_append_string      (GString        *out,
                                                    const char     *text);
/* Serialize the world's DestinyInventoryItemDefinition entries followed by
 * filler entries up to @n_items, straight into table_bytes. */
void            qm_sandbox_world_grow_item_table   (QmSandboxWorld *world,
                                                    guint64         seed,
                                                    guint           n_items);
/* Make sure every component the sandbox serves exists with data. */
void            qm_sandbox_world_normalize_profile (QmSandboxWorld *world);

G_END_DECLS
