/* qm-loadout-manager.h: the account's in-game loadouts and their actions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owned by the session (qm_session_get_loadout_manager()). Every action goes
 * through the session's move queue (qm_move_executor_run_then_async()), so
 * it waits for the moves queued before it and the moves queued after wait
 * for it. The loadout actions answer no state (Bungie-net/api #1792): after
 * each, the profile and component 206 are read again.
 *
 * Equip (peers: DIM's "smart equip", loadouts-and-dnd.md §2):
 *   1. the loadout's items are moved onto the character, first from the
 *      other characters (EquipLoadout never takes those), then from the
 *      vault and the postmaster;
 *   2. EquipLoadout;
 *   3. the profile and 206 read again.
 * Outside orbit or a social space (1671) the items stay on the character and
 * the error (QM_MOVE_ERROR_NOT_IN_ORBIT) says to equip the loadout in the game.
 */

#pragma once

#include <gio/gio.h>

#include "qm-loadouts.h"

G_BEGIN_DECLS

typedef struct _QmSession QmSession;

#define QM_TYPE_LOADOUT_MANAGER (qm_loadout_manager_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutManager, qm_loadout_manager, QM, LOADOUT_MANAGER, GObject)

/* Properties: "loadouts" (QmLoadouts, nullable before the first read; a new
 * object after each), "busy" (boolean: an action or a read runs). */
QmLoadoutManager *qm_loadout_manager_new          (QmSession        *session);
QmLoadouts       *qm_loadout_manager_get_loadouts (QmLoadoutManager *self);
gboolean          qm_loadout_manager_get_busy     (QmLoadoutManager *self);
/* Forget the loadouts shown (sign-out, another account). */
void              qm_loadout_manager_reset        (QmLoadoutManager *self);

void              qm_loadout_manager_refresh_async  (QmLoadoutManager    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
QmLoadouts       *qm_loadout_manager_refresh_finish (QmLoadoutManager    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The equip described above. @notice (out, nullable): what the moves left
 * to say (qm_move_executor_run_finish()). */
void              qm_loadout_manager_equip_async    (QmLoadoutManager    *self,
                                                     const char          *character_id,
                                                     int                  index,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* SnapshotLoadout: what the character wears now into slot @index, with
 * these identifiers (0: the slot keeps its own). */
void              qm_loadout_manager_snapshot_async (QmLoadoutManager    *self,
                                                     const char          *character_id,
                                                     int                  index,
                                                     guint32              name_hash,
                                                     guint32              color_hash,
                                                     guint32              icon_hash,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* UpdateLoadoutIdentifiers: name, colour and icon (0: unchanged). */
void              qm_loadout_manager_update_async   (QmLoadoutManager    *self,
                                                     const char          *character_id,
                                                     int                  index,
                                                     guint32              name_hash,
                                                     guint32              color_hash,
                                                     guint32              icon_hash,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* ClearLoadout. */
void              qm_loadout_manager_clear_async    (QmLoadoutManager    *self,
                                                     const char          *character_id,
                                                     int                  index,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* The finish of the four actions: the loadouts read afterwards (also set as
 * "loadouts"), or NULL with the error. */
QmLoadouts       *qm_loadout_manager_action_finish  (QmLoadoutManager    *self,
                                                     GAsyncResult        *result,
                                                     char               **notice,
                                                     GError             **error);

G_END_DECLS
