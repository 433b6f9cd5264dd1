/* qm-move-describe.h: a planned step as a sentence for the player
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place for the words of a plan: the command line prints them, the
 * window's progress list shows them.
 */

#pragma once

#include "qm-move-planner.h"

G_BEGIN_DECLS

/* The item a step moves, by name ("Unknown item" when @state has none). */
const char *qm_move_step_item_name (const QmMoveState *state,
                                    const QmMoveStep  *step);

/* "Move Ace of Spades from the vault to your Hunter", with the reason when
 * the request did not name the step ("… — to make room"). Translated. */
char       *qm_move_step_describe  (const QmMoveState *state,
                                    const QmMoveStep  *step);

G_END_DECLS
