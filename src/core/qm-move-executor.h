/* qm-move-executor.h: planned moves, run against Bungie.net one step at a time
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One executor per account: runs queue up and go one after another. A run
 * plans its requests (qm-move-planner.h) over the account as the inventory
 * shows it, then sends each step through the client (its action spacing,
 * ThrottleSeconds honoured). The inventory's items change only after Bungie
 * acknowledged a step. A run that is cancelled or fails stops and reloads
 * the profile, so the inventory shows what the server did. Known answers are
 * recovered from: 1656 (the item is equipped after all: equip something else,
 * then try once more), 1642 (the destination is fuller than it looked: plan
 * again, making room), 1671/1634 on an equip (not in orbit: the item is
 * moved, not equipped, and the run says so), 1623 (the item is gone: reload
 * and say so), throttles (waited for by the client, then a clear stop) and
 * maintenance (a clear stop).
 */

#pragma once

#include <gio/gio.h>

#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-move-planner.h"

G_BEGIN_DECLS

#define QM_TYPE_MOVE_EXECUTOR (qm_move_executor_get_type ())
G_DECLARE_FINAL_TYPE (QmMoveExecutor, qm_move_executor, QM, MOVE_EXECUTOR, GObject)

/* A run fails with a QM_MOVE_ERROR (the planner's, or STEP_FAILED,
 * NOT_IN_ORBIT, GONE, BUSY, MAINTENANCE) or G_IO_ERROR_CANCELLED. */

/* Properties: "client" (construct-only), "inventory" (the account shown;
 * replaced by a reload after a failure), "steps" (GArray of QmMoveStep of
 * the run in progress or the last one, boxed; NULL before the first),
 * "current-step" (int: the index of the step being sent, -1 when idle),
 * "running" (boolean), "can-undo" (boolean).
 * Signals: "step-done" (guint index): Bungie acknowledged that step. */

QmMoveExecutor *qm_move_executor_new            (QmBungieClient      *client,
                                                 QmInventory         *inventory);
QmBungieClient *qm_move_executor_get_client     (QmMoveExecutor      *self);
QmInventory    *qm_move_executor_get_inventory  (QmMoveExecutor      *self);
/* A newer inventory of the same account (after a reload elsewhere). */
void            qm_move_executor_set_inventory  (QmMoveExecutor      *self,
                                                 QmInventory         *inventory);
GArray         *qm_move_executor_get_steps      (QmMoveExecutor      *self);
int             qm_move_executor_get_current_step (QmMoveExecutor    *self);
gboolean        qm_move_executor_get_running    (QmMoveExecutor      *self);
gboolean        qm_move_executor_get_can_undo   (QmMoveExecutor      *self);

/* The account as the planner sees it (a new state). */
QmMoveState    *qm_move_executor_dup_state      (QmMoveExecutor      *self);
/* The plan for @requests over the inventory shown, without running it
 * (for confirmations and --dry-run). */
GArray         *qm_move_executor_plan           (QmMoveExecutor      *self,
                                                 const QmMoveRequest *requests,
                                                 guint                n_requests,
                                                 const QmMovePolicy  *policy,
                                                 GError             **error);

/* Plan and run @requests (after the runs queued before). @policy NULL: the
 * default. */
void            qm_move_executor_run_async      (QmMoveExecutor      *self,
                                                 const QmMoveRequest *requests,
                                                 guint                n_requests,
                                                 const QmMovePolicy  *policy,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* @notice (nullable out): what the user should know about a run that went
 * through (an equip left undone, …), or NULL. */
gboolean        qm_move_executor_run_finish     (QmMoveExecutor      *self,
                                                 GAsyncResult        *result,
                                                 char               **notice,
                                                 GError             **error);
/* The same, then @action (a Bungie action, e.g. EquipLoadout) in the same
 * turn of the queue, then the profile read again (the action returns no
 * state). The action is sent only when the moves went through; its refusal
 * is the run's error (the moves stand). */
void            qm_move_executor_run_then_async (QmMoveExecutor      *self,
                                                 const QmMoveRequest *requests,
                                                 guint                n_requests,
                                                 const QmMovePolicy  *policy,
                                                 const char          *action,
                                                 JsonNode            *body,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        qm_move_executor_run_then_finish (QmMoveExecutor     *self,
                                                 GAsyncResult        *result,
                                                 char               **notice,
                                                 GError             **error);
/* Put back everything the last finished run touched, as a planned run. */
void            qm_move_executor_undo_async     (QmMoveExecutor      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        qm_move_executor_undo_finish    (QmMoveExecutor      *self,
                                                 GAsyncResult        *result,
                                                 char               **notice,
                                                 GError             **error);

/* One item's answer in an EquipItems call. */
typedef struct
{
  guint64 instance_id;
  int     status;      /* PlatformErrorCodes: 1 equipped; 1623 when Bungie
                        * ignored it (not on the character) */
} QmMoveEquipResult;

/* EquipItems: equip @instance_ids (already on @character, an index into
 * the account's characters) in one call, after the runs queued before.
 * Bungie answers per item (bungie-api.md §2.5); the items equipped change
 * in the inventory. Fails only when the call itself failed (not in orbit:
 * QM_MOVE_ERROR_NOT_IN_ORBIT; maintenance, throttles, cancellation). */
void            qm_move_executor_equip_items_async  (QmMoveExecutor      *self,
                                                     int                  character,
                                                     const guint64       *instance_ids,
                                                     guint                n_items,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* Returns: (transfer full) (element-type QmMoveEquipResult): one per item,
 * in the order given. */
GArray         *qm_move_executor_equip_items_finish (QmMoveExecutor      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The account state of @inventory for the planner: its characters, items,
 * bucket capacities (from the manifest's bucket definitions) and names. */
QmMoveState    *qm_move_state_new_from_inventory (QmInventory        *inventory);

G_END_DECLS
