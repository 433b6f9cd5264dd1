/* qm-loadouts.h: the player's in-game loadouts (component 206)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * characterLoadouts.data[characterId].loadouts[] is one DestinyLoadoutComponent
 * per unlocked slot (Guardian Ranks unlock more, up to
 * DestinyLoadoutConstantsDefinition.loadoutCountPerCharacter): colorHash,
 * iconHash and nameHash (LoadoutColor/Icon/Name definitions) and items[],
 * each {itemInstanceId ("0": empty), plugItemHashes[]}. A slot's index in
 * that array is the loadoutIndex of the four loadout actions
 * (bungie-api.md §2.5, openapi.json).
 *
 * The parser is pure (bytes in, model out) and the move requests of an
 * equip are computed from the planner's state, so both can be fuzzed and
 * measured without a network.
 */

#pragma once

#include <gio/gio.h>

#include "qm-move-planner.h"
#include "qm-inventory.h"

G_BEGIN_DECLS

#define QM_TYPE_LOADOUT (qm_loadout_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadout, qm_loadout, QM, LOADOUT, GObject)

#define QM_TYPE_LOADOUTS (qm_loadouts_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadouts, qm_loadouts, QM, LOADOUTS, GObject)

/* Properties of QmLoadout (read-only): "character-id", "index",
 * "name-hash", "color-hash", "icon-hash", "item-ids" (GStrv: the items'
 * instance ids in the loadout's order, empty places left out), "empty". */
const char          *qm_loadout_get_character_id (QmLoadout *self);
int                  qm_loadout_get_index        (QmLoadout *self);
guint32              qm_loadout_get_name_hash    (QmLoadout *self);
guint32              qm_loadout_get_color_hash   (QmLoadout *self);
guint32              qm_loadout_get_icon_hash    (QmLoadout *self);
const char * const  *qm_loadout_get_item_ids     (QmLoadout *self);
gboolean             qm_loadout_is_empty         (QmLoadout *self);

typedef enum
{
  QM_LOADOUT_STATUS_EMPTY,     /* no items */
  QM_LOADOUT_STATUS_EQUIPPED,  /* every item equipped on the character */
  QM_LOADOUT_STATUS_READY,     /* every item on the character or movable there */
  QM_LOADOUT_STATUS_MISSING,   /* some items are gone or cannot come */
} QmLoadoutStatus;

/* Where a loadout's item is in @profile. */
typedef enum
{
  QM_LOADOUT_ITEM_EQUIPPED,    /* equipped on the loadout's character */
  QM_LOADOUT_ITEM_ON_CHARACTER,
  QM_LOADOUT_ITEM_ELSEWHERE,   /* vault, postmaster or another character: movable */
  QM_LOADOUT_ITEM_STUCK,       /* on another character and not transferable */
  QM_LOADOUT_ITEM_GONE,        /* no longer exists (dismantled) */
} QmLoadoutItemPlace;

/* Pure: where item @item_id of @self is (@item: its QmItem, or NULL when gone). */
QmLoadoutItemPlace   qm_loadout_locate_item      (QmLoadout   *self,
                                                  QmInventory *inventory,
                                                  const char  *item_id,
                                                  QmItem     **item);
/* Pure: the loadout's status over @profile; @n_missing (out, optional):
 * items gone or stuck. */
QmLoadoutStatus      qm_loadout_get_status       (QmLoadout   *self,
                                                  QmInventory *inventory,
                                                  guint       *n_missing);

/* Pure: a GetProfile answer (the envelope or the DestinyProfileResponse
 * alone) with component 206 → the loadouts. An envelope whose ErrorCode is
 * not 1 fails with its QM_PLATFORM_ERROR; anything malformed with
 * QM_CLIENT_ERROR_MALFORMED. Members it does not know are ignored. */
QmLoadouts          *qm_loadouts_parse_bytes     (GBytes      *bytes,
                                                  GError     **error);
/* The characters that have loadouts, in the answer's order. */
const char * const  *qm_loadouts_get_character_ids (QmLoadouts *self);
/* (element-type QmLoadout): the character's slots by index; an empty
 * model for a character not in the answer. */
GListModel          *qm_loadouts_get_for_character (QmLoadouts *self,
                                                    const char *character_id);
QmLoadout           *qm_loadouts_get_loadout     (QmLoadouts  *self,
                                                  const char  *character_id,
                                                  int          index);
/* The index of the first empty slot of the character, or -1. */
int                  qm_loadouts_first_empty     (QmLoadouts  *self,
                                                  const char  *character_id);

/* Pure: the move requests that bring @item_ids onto character @target of
 * @state before EquipLoadout (which takes nothing from other characters):
 * first the items on other characters, then those in the vault or the
 * postmaster, then the ones the character holds (named so that nothing of
 * the loadout is moved aside to make room; what it wears as an equip, so
 * that it stays worn). Items not in @state are counted in @n_missing
 * (optional). Returns: (transfer full) (element-type QmMoveRequest). */
GArray              *qm_loadout_equip_requests   (const QmMoveState  *state,
                                                  const char * const *item_ids,
                                                  int                 target,
                                                  guint              *n_missing);

G_END_DECLS
