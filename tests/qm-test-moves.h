/* qm-test-moves.h: comparing what the app shows with what the sandbox holds
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qm-profile.h"
#include "qm-sandbox.h"
#include "qm-test-utils.h"

G_BEGIN_DECLS

/* Signatures of a profile and of the sandbox: qm-test-utils.h. */
/* The instance ids the sandbox holds, sorted, space-separated. */
char      *qm_test_sandbox_instances  (QmSandbox  *sandbox);
/* The first instanced item of @profile at @location (of @character_id,
 * NULL for the vault) in @slot (0: any), not locked when @unlocked, and
 * not @except. NULL when there is none. */
QmItem    *qm_test_find_item          (QmProfile      *profile,
                                       QmItemLocation  location,
                                       const char     *character_id,
                                       guint32         slot,
                                       gboolean        unlocked,
                                       QmItem         *except);
/* The item with @instance_id in @profile (NULL: none). */
QmItem    *qm_test_find_instance      (QmProfile      *profile,
                                       const char     *instance_id);

G_END_DECLS
