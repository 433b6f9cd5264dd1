/* qm-loadout-apply.h: a saved loadout applied to a character, and undone
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DIM's order (loadouts-and-dnd.md §1), through the account's move queue
 * (qm-move-executor.h):
 *   0. a snapshot of where the character's items (and the loadout's) are,
 *      pushed onto the character's undo stack ("Before 'X'"), kept on disk;
 *   1. the loadout's items equipped on other characters are taken off
 *      (a replacement equipped there, never another item of the loadout);
 *   2. each item moved, one run each: one that fails does not stop the rest;
 *   3. one EquipItems call for the items to equip, exotics last, with a
 *      non-exotic brought in for a slot the loadout leaves to a conflicting
 *      exotic; Bungie answers per item;
 *   4. optionally, the other items of the loadout's slots moved to the vault
 *      (off by default; qm_loadout_apply_dup_others() lists them first).
 * Each item ends in a named state; failures carry a reason shared by the
 * items that failed for it. Undo runs the same way with the snapshot's
 * places; an undo that fails keeps its entry (DIM #5454).
 */

#pragma once

#include <gio/gio.h>

#include "qm-loadout-store.h"
#include "qm-move-executor.h"

G_BEGIN_DECLS

typedef enum
{
  QM_LOADOUT_RESULT_PENDING,
  QM_LOADOUT_RESULT_ALREADY_THERE,
  QM_LOADOUT_RESULT_MOVED,
  QM_LOADOUT_RESULT_EQUIPPED,
  QM_LOADOUT_RESULT_FAILED,
} QmLoadoutResultState;

typedef struct
{
  guint64             instance_id;
  guint32             hash;
  char               *name;      /* the item's name, or a placeholder */
  int                 target;    /* character index, or QM_MOVE_VAULT */
  gboolean            equip;
  QmLoadoutResultState  state;
  char               *reason;    /* FAILED: why (the same text for the same reason) */
  gboolean            other;     /* moved away: not in the loadout */
} QmLoadoutItemResult;

typedef struct
{
  char      *reason;
  GPtrArray *names;              /* char *: the items that failed for it */
} QmLoadoutFailureGroup;

void qm_loadout_failure_group_free (QmLoadoutFailureGroup *group);

/* The loadout items of @character's current gear (the equipped items that
 * can leave the character), and the class the loadout is for (the
 * character's when one of them is class-restricted, else any). */
GArray         *qm_loadout_items_from_character (const QmMoveState *state,
                                                 int                character,
                                                 int               *class_type);
/* The loadout items of @instance_ids (an in-game loadout's, a drop's): the
 * ones the account holds, to be equipped when @equip. */
GArray         *qm_loadout_items_from_instances (const QmMoveState *state,
                                                 const guint64     *instance_ids,
                                                 guint              n_ids,
                                                 gboolean           equip);

#define QM_TYPE_LOADOUT_APPLY (qm_loadout_apply_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutApply, qm_loadout_apply, QM, LOADOUT_APPLY, GObject)

/* Properties: "name" (the loadout's, or the undo entry's title), "running".
 * Signal "item-changed" (guint index into the results). */

/* @loadout onto @character_id. @store (nullable) keeps the undo snapshot.
 * Fails when the character is not on the account or of another class. */
QmLoadoutApply *qm_loadout_apply_new            (QmMoveExecutor      *executor,
                                                 QmLoadoutStore      *store,
                                                 QmSavedLoadout      *loadout,
                                                 guint64              character_id,
                                                 GError             **error);
/* Undo: the entry at @index of @character_id's stack in @store. */
QmLoadoutApply *qm_loadout_apply_new_undo       (QmMoveExecutor      *executor,
                                                 QmLoadoutStore      *store,
                                                 guint64              character_id,
                                                 guint                index,
                                                 GError             **error);
const char     *qm_loadout_apply_get_name       (QmLoadoutApply      *self);
void            qm_loadout_apply_set_move_others (QmLoadoutApply     *self,
                                                 gboolean             move_others);
/* The items "move other items away" would move to the vault now
 * (instance ids). */
GArray         *qm_loadout_apply_dup_others     (QmLoadoutApply      *self);
/* What the apply would do, one line an item (for --dry-run). */
char           *qm_loadout_apply_dup_preview    (QmLoadoutApply      *self);

void            qm_loadout_apply_run_async      (QmLoadoutApply      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* TRUE when every item ended where it should; otherwise FALSE with a
 * QM_MOVE_ERROR naming the failures by reason (the results say which). */
gboolean        qm_loadout_apply_run_finish     (QmLoadoutApply      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* (element-type QmLoadoutItemResult): the items, in the loadout's order,
 * then the ones moved away. */
const GArray   *qm_loadout_apply_get_results    (QmLoadoutApply      *self);
/* (transfer full) (element-type QmLoadoutFailureGroup) */
GPtrArray      *qm_loadout_apply_group_failures (QmLoadoutApply      *self);
/* "N moved, N equipped, N already there" and the failures by reason. */
char           *qm_loadout_apply_dup_summary    (QmLoadoutApply      *self);
const char     *qm_loadout_item_state_to_string (QmLoadoutResultState   state);

G_END_DECLS
