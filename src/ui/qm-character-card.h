/* qm-character-card.h: a character's (or the vault's) card above its column
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-icon-cache.h"

G_BEGIN_DECLS

#define QM_TYPE_CHARACTER_CARD (qm_character_card_get_type ())
G_DECLARE_FINAL_TYPE (QmCharacterCard, qm_character_card, QM, CHARACTER_CARD, GtkWidget)

/* An emblem, a title ("Hunter", "Vault"), a power line and up to two count
 * lines; the view lays it out and wraps it in a button when it selects. */
GtkWidget  *qm_character_card_new            (void);
void        qm_character_card_set_title      (QmCharacterCard *self,
                                              const char      *title);
/* NULL hides the power line. */
void        qm_character_card_set_power      (QmCharacterCard *self,
                                              const char      *power);
/* The emblem at @path (a path on the Bungie origin) from @icons, with
 * @fallback_icon_name until it arrives or when there is none. */
void        qm_character_card_set_emblem     (QmCharacterCard *self,
                                              QmIconCache     *icons,
                                              const char      *path,
                                              const char      *fallback_icon_name);
/* The count line ("68 items", "329 / 700") and the postmaster's (NULL
 * hides it; @full marks it as full). */
void        qm_character_card_set_counts     (QmCharacterCard *self,
                                              const char      *count,
                                              const char      *postmaster,
                                              gboolean         full);
/* While a search is under way, how many of the column's items match
 * ("12 of 64"); NULL hides the line. */
void        qm_character_card_set_matches    (QmCharacterCard *self,
                                              const char      *matches);
const char *qm_character_card_get_title      (QmCharacterCard *self);
const char *qm_character_card_get_count      (QmCharacterCard *self);
/* NULL when hidden. */
const char *qm_character_card_get_postmaster (QmCharacterCard *self);
/* NULL when hidden (no search). */
const char *qm_character_card_get_matches    (QmCharacterCard *self);

G_END_DECLS
