/* qm-sandbox-rules.h: the game's rules, applied to the sandbox world
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function edits the world's profile in place and returns the
 * PlatformErrorCodes value Bungie would answer (1 = Success). Nothing is
 * changed when the answer is not 1. No IO, no clock: unit-testable.
 */

#pragma once

#include "qm-sandbox-world.h"

G_BEGIN_DECLS

typedef struct
{
  guint32     item_hash;        /* itemReferenceHash */
  const char *item_id;          /* itemId: an instance id, or "0" for stacks */
  int         stack_size;
  gboolean    to_vault;         /* transferToVault */
  const char *character_id;
} QmTransferRequest;

int qm_sandbox_rules_transfer            (QmSandboxWorld          *world,
                                          const QmTransferRequest *request);
int qm_sandbox_rules_pull_from_postmaster (QmSandboxWorld         *world,
                                          const QmTransferRequest *request); /* to_vault ignored */
int qm_sandbox_rules_equip_item          (QmSandboxWorld          *world,
                                          const char              *item_id,
                                          const char              *character_id);
/* Fills @results with DestinyEquipItemResult objects {itemInstanceId, equipStatus}. */
int qm_sandbox_rules_equip_items         (QmSandboxWorld          *world,
                                          const char * const      *item_ids,
                                          const char              *character_id,
                                          JsonArray               *results);
int qm_sandbox_rules_set_lock_state      (QmSandboxWorld          *world,
                                          const char              *item_id,
                                          const char              *character_id,
                                          gboolean                 locked);
int qm_sandbox_rules_equip_loadout       (QmSandboxWorld          *world,
                                          int                      loadout_index,
                                          const char              *character_id);
/* color/icon/name hashes: 0 = leave as is (null in the request). */
int qm_sandbox_rules_snapshot_loadout    (QmSandboxWorld          *world,
                                          int                      loadout_index,
                                          const char              *character_id,
                                          guint32                  color_hash,
                                          guint32                  icon_hash,
                                          guint32                  name_hash);
int qm_sandbox_rules_update_loadout_identifiers (QmSandboxWorld   *world,
                                          int                      loadout_index,
                                          const char              *character_id,
                                          guint32                  color_hash,
                                          guint32                  icon_hash,
                                          guint32                  name_hash);
int qm_sandbox_rules_clear_loadout       (QmSandboxWorld          *world,
                                          int                      loadout_index,
                                          const char              *character_id);

G_END_DECLS
