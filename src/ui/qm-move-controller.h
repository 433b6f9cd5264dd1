/* qm-move-controller.h: what the window's moves go through
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drops, the context menu, the details popover and keyboard actions all ask
 * the controller. It applies the user's policy ("Make space automatically",
 * or its opposite for one move with a modifier key), plans through the
 * session's executor, marks the items in flight at once, and reports the
 * run's progress and result.
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-item.h"
#include "qm-move-planner.h"
#include "qm-session.h"

G_BEGIN_DECLS

typedef enum
{
  QM_MOVE_FLAGS_NONE = 0,
  /* The modifier key held: the opposite of the "make-space" setting for
   * this move. */
  QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE = 1 << 0,
} QmMoveFlags;

/* The flags of a move asked for with @state held (Alt: the opposite of the
 * "make-space" setting). */
QmMoveFlags       qm_move_flags_from_modifiers    (GdkModifierType      state);
/* The same for the keys held now on @widget's display (NULL: the default
 * one), for menu items, whose activation carries no event. */
QmMoveFlags       qm_move_flags_current           (GtkWidget           *widget);

#define QM_TYPE_MOVE_CONTROLLER (qm_move_controller_get_type ())
G_DECLARE_FINAL_TYPE (QmMoveController, qm_move_controller, QM, MOVE_CONTROLLER, GObject)

/* Properties: "session" (construct-only), "settings" (construct-only,
 * nullable: the default policy then), "busy" (boolean: a run is queued or
 * going), "selection" (GListModel of QmItem, nullable: the items selected
 * in the view; a menu opened on one of them acts on them all).
 * Signals:
 *   "in-flight-changed" (const char *instance_id, gboolean in_flight): an
 *     item's move was asked for (TRUE, before the request returns) or ended.
 *   "started" (gboolean undo): a run was asked for (an undo: @undo).
 *   "finished" (gboolean ok, const char *message): a run ended; @message is
 *     what to tell the user: what was done ("Ace of Spades moved to your
 *     Hunter", and anything left undone), or why it stopped. */

QmMoveController *qm_move_controller_new          (QmSession           *session,
                                                   GSettings           *settings);
QmSession        *qm_move_controller_get_session  (QmMoveController    *self);
gboolean          qm_move_controller_get_busy     (QmMoveController    *self);

/* The policy for one move asked for with @flags. */
QmMovePolicy      qm_move_controller_get_policy   (QmMoveController    *self,
                                                   QmMoveFlags          flags);

/* Why @requests cannot be done (a sentence for a refused drop's tooltip or
 * a toast), or NULL when they can. Pure: plans over the account shown. */
char             *qm_move_controller_check        (QmMoveController    *self,
                                                   const QmMoveRequest *requests,
                                                   guint                n_requests,
                                                   QmMoveFlags          flags);

/* Plan and run @requests through the session's executor. The items named
 * are marked in flight before this returns. A refused plan emits
 * "finished" with FALSE and the reason. */
void              qm_move_controller_request      (QmMoveController    *self,
                                                   const QmMoveRequest *requests,
                                                   guint                n_requests,
                                                   QmMoveFlags          flags);
gboolean          qm_move_controller_is_in_flight (QmMoveController    *self,
                                                   const char          *instance_id);

/* The request for @item of the inventory shown: @kind, to the character
 * @target_id (NULL: the vault; MOVE and EQUIP only), @equip (MOVE).
 * FALSE when the item or the character is not in the inventory shown. */
gboolean          qm_move_controller_make_request (QmMoveController    *self,
                                                   QmItem              *item,
                                                   QmMoveRequestKind    kind,
                                                   const char          *target_id,
                                                   gboolean             equip,
                                                   QmMoveRequest       *request);
/* One run for @items (GPtrArray of QmItem) as one batch: each moved to
 * @target_id (NULL: the vault), equipped there, locked, unlocked or
 * pulled, as @kind says. */
void              qm_move_controller_request_items (QmMoveController   *self,
                                                    QmMoveRequestKind   kind,
                                                    GPtrArray          *items,
                                                    const char         *target_id,
                                                    QmMoveFlags         flags);
/* Lock @item if it is unlocked, unlock it if it is locked. */
void              qm_move_controller_toggle_lock  (QmMoveController    *self,
                                                   QmItem              *item);

void              qm_move_controller_set_selection (QmMoveController   *self,
                                                    GListModel         *selection);
GListModel       *qm_move_controller_get_selection (QmMoveController   *self);
/* What a menu opened on @item acts on: the selection when @item is part of
 * it, else @item alone. Returns: (transfer full) (element-type QmItem). */
GPtrArray        *qm_move_controller_dup_subject  (QmMoveController    *self,
                                                   QmItem              *item);

/* Stop the run going (the executor re-reads the profile). */
void              qm_move_controller_cancel       (QmMoveController    *self);
/* Put back what the last run touched, as a planned run. */
void              qm_move_controller_undo         (QmMoveController    *self);

G_END_DECLS
