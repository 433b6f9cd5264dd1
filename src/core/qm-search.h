/* qm-search.h: the item search language (DIM's grammar) and its matcher
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Free text matches names anywhere, ignoring case and accents ("ace" matches
 * "Ace of Spades"; "quoted phrases" keep their spaces); name:"…" (quoted or
 * bare) matches a whole name, ignoring case and accents. is: filters: weapon,
 * armor, ghost; exotic, legendary, rare, uncommon, common; equipped, locked,
 * unlocked, masterwork; invault, inpostmaster, incharacter (equipped or in
 * a character's inventory); titan, hunter, warlock (the item's class; items
 * for any class match none); kinetic, arc, solar, void, stasis, strand (the
 * instance's damage); every weapon type (handcannon, autorifle, …, glaive);
 * kineticslot, energyslot, powerslot, helmet, gauntlets, chest, leg,
 * classitem (the item's slot); stackable (not instanced). not:X is
 * -is:X. power: and quantity: take >N, <N, >=N, <=N, =N or N. "-" and "not"
 * negate; juxtaposition (or "and") is "and"; "or" binds looser than "and";
 * parentheses group; the operators are case-insensitive. Pure: no I/O.
 */

#pragma once

#include <glib.h>

#include "qm-item.h"

G_BEGIN_DECLS

typedef struct _QmSearchQuery QmSearchQuery;

/* Compile @text. An empty or blank query matches everything. On a syntax
 * error or an unknown filter: NULL and QM_SEARCH_ERROR with a message
 * saying why ("Unknown filter “is:foo”", "Missing “)”") and the characters
 * at fault, [*error_start, *error_end) in characters (both optional). */
QmSearchQuery *qm_search_query_parse     (const char     *text,
                                          int            *error_start,
                                          int            *error_end,
                                          GError        **error);
gboolean       qm_search_query_matches   (QmSearchQuery  *query,
                                          QmItem         *item);
/* Canonical form, for tests and debugging: "(and (is exotic) (not (text \"ace\")))". */
char          *qm_search_query_to_string (QmSearchQuery  *query);
void           qm_search_query_free      (QmSearchQuery  *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmSearchQuery, qm_search_query_free)

/* Byte offset where the word ending at @cursor (a byte offset) begins: the
 * part of @text a completion replaces (a leading "-" is not part of it). */
gsize          qm_search_word_start      (const char     *text,
                                          gsize           cursor);

/* Completions for the word ending at @cursor (a byte offset) of @text: full
 * replacements of that word ("is:exotic", "power:"…), best first, at most
 * @max; the word itself is never proposed. A NULL-terminated array, empty
 * when there is nothing to propose. */
GStrv          qm_search_complete        (const char     *text,
                                          gsize           cursor,
                                          guint           max);

#define QM_SEARCH_ERROR (qm_search_error_quark ())
GQuark         qm_search_error_quark     (void);

typedef enum
{
  QM_SEARCH_ERROR_SYNTAX,
  QM_SEARCH_ERROR_UNKNOWN_FILTER,
  QM_SEARCH_ERROR_BAD_VALUE,
} QmSearchError;

G_END_DECLS
