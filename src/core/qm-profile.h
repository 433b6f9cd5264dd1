/* qm-profile.h: a player's profile (characters and items) from GetProfile
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qm-item.h"

G_BEGIN_DECLS

/* The components the app asks for. */
#define QM_PROFILE_COMPONENTS "100,102,103,200,201,205,206,300,302,304,305"

typedef struct
{
  char    *id;
  int      class_type;     /* 0 Titan, 1 Hunter, 2 Warlock, 3 Unknown */
  int      light;
  char    *emblem_path;    /* nullable */
  char    *date_last_played; /* nullable, ISO 8601 */
} QmCharacter;

/* GetProfile components the profile reads, as flags. */
typedef enum
{
  QM_PROFILE_COMPONENT_PROFILES              = 1 << 0,  /* 100 */
  QM_PROFILE_COMPONENT_PROFILE_INVENTORIES   = 1 << 1,  /* 102: vault, account-wide items */
  QM_PROFILE_COMPONENT_PROFILE_CURRENCIES    = 1 << 2,  /* 103 */
  QM_PROFILE_COMPONENT_CHARACTERS            = 1 << 3,  /* 200 */
  QM_PROFILE_COMPONENT_CHARACTER_INVENTORIES = 1 << 4,  /* 201 */
  QM_PROFILE_COMPONENT_CHARACTER_EQUIPMENT   = 1 << 5,  /* 205 */
  QM_PROFILE_COMPONENT_ITEM_INSTANCES        = 1 << 6,  /* 300 */
  QM_PROFILE_COMPONENT_ITEM_STATS            = 1 << 7,  /* 304 */
  QM_PROFILE_COMPONENT_ITEM_SOCKETS          = 1 << 8,  /* 305 */
} QmProfileComponents;

#define QM_TYPE_PROFILE (qm_profile_get_type ())
G_DECLARE_FINAL_TYPE (QmProfile, qm_profile, QM, PROFILE, GObject)

/* Pure: parse a GetProfile Response (the envelope's payload). Components may
 * be missing or privacy-only; ids may be strings or numbers. Items carry
 * their instance's power, damage type, stats (304) and sockets (305), and
 * those a character holds its class as "owner-class". */
QmProfile         *qm_profile_parse               (JsonNode   *response,
                                                   GError    **error);
/* Pure: the same from the bytes of a GetProfile answer, read in place
 * without a JSON tree (several times faster on a large profile): the whole
 * envelope ({"Response": …, "ErrorCode": 1, …}, as
 * qm_bungie_client_get_profile_bytes_finish() and the profile cache give
 * it) or the DestinyProfileResponse alone. An envelope whose ErrorCode is
 * not 1 fails with the error the client reports for it. */
QmProfile         *qm_profile_parse_bytes         (GBytes     *bytes,
                                                   GError    **error);
/* Pure: the responseMintedTimestamp (µs) of a GetProfile answer (envelope
 * or Response), found without decoding the rest when it comes first, as
 * Bungie sends it; 0 when there is none or the bytes are not JSON. */
gint64             qm_profile_answer_get_minted   (GBytes     *bytes);
/* Characters in the order of profile.data.characterIds (else by id). */
guint              qm_profile_get_n_characters    (QmProfile  *self);
const QmCharacter *qm_profile_get_character       (QmProfile  *self,
                                                   guint       index);
const QmCharacter *qm_profile_find_character      (QmProfile  *self,
                                                   const char *character_id);
/* Every item the profile holds (GListModel of QmItem), in a stable order:
 * per character equipped then inventory then postmaster, then vault, then account. */
GListModel        *qm_profile_get_items           (QmProfile  *self);
/* The local model after an item action Bungie acknowledged: replace the
 * item at @position (with a qm_item_copy_placed() copy), remove it, or
 * insert one. Each changes the items list (items-changed). */
void               qm_profile_replace_item        (QmProfile  *self,
                                                   guint       position,
                                                   QmItem     *item);
void               qm_profile_remove_item         (QmProfile  *self,
                                                   guint       position);
void               qm_profile_insert_item         (QmProfile  *self,
                                                   guint       position,
                                                   QmItem     *item);
/* The bucket an item of @slot_hash is in at @location: the vault's, the
 * postmaster's, or its slot. */
guint32            qm_profile_location_bucket     (QmItemLocation location,
                                                   guint32     slot_hash);
/* responseMintedTimestamp in microseconds since the epoch, like
 * g_get_real_time() (0 when absent or unreadable). */
gint64             qm_profile_get_minted          (QmProfile  *self);
/* The components Bungie withheld for privacy: a wrapper with privacy 2
 * (Private) and no data (bungie-api.md §2). 0 when none was. */
QmProfileComponents qm_profile_get_withheld       (QmProfile  *self);
/* A translated sentence saying what was withheld, for the CLI and the
 * window; NULL when nothing was. */
char              *qm_profile_describe_withheld   (QmProfile  *self);
/* The Destiny membership the profile is of: profile.data.userInfo (100),
 * else the one its characters (200) name; NULL when it holds neither. */
const char        *qm_profile_get_membership_id   (QmProfile  *self);
int                qm_profile_get_membership_type (QmProfile  *self);
const char        *qm_class_type_to_string        (int         class_type); /* "titan", "hunter", "warlock", "unknown" */
const char        *qm_class_type_display_name     (int         class_type); /* "Titan", … translated */

G_END_DECLS
