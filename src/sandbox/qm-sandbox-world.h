/* qm-sandbox-world.h: the sandbox's state, kept in Bungie's own wire shapes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The world holds exactly what Bungie would serve: a full DestinyProfileResponse
 * (every component the sandbox serves, with data), vendor responses and the
 * definition tables. The game rules (qm-sandbox-rules.c) edit the profile in
 * place, so the demo account and recorded data behave the same way.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "qm-destiny.h"
#include "qm-sandbox.h"

G_BEGIN_DECLS

typedef struct
{
  char        *membership_id;      /* Destiny membership id (int64 as string) */
  int          membership_type;    /* BungieMembershipType, e.g. 3 Steam */
  char        *bungie_net_id;      /* the Bungie.net (254) membership id */
  char        *display_name;

  /* DestinyProfileResponse with every component below present with data:
   * profile, profileInventory, profileCurrencies, characters,
   * characterInventories, characterEquipment, characterLoadouts,
   * itemComponents {instances, stats, sockets, perks}, responseMintedTimestamp,
   * secondaryComponentsMintedTimestamp. */
  JsonNode    *profile;
  /* UserMembershipData for GetMembershipsForCurrentUser. */
  JsonNode    *memberships;
  /* vendor hash (string) -> DestinyVendorResponse (components 400,401,402,
   * itemComponents) as GetVendor serves it. Absent vendor = 1627. */
  GHashTable  *vendors;
  /* table name (e.g. "DestinyInventoryItemDefinition") -> JsonNode object keyed by hash string */
  GHashTable  *definitions;
  /* table name -> GBytes: serialized form served as content (filled lazily
   * by qm_sandbox_world_get_table_bytes(), or up front for --items tables). */
  GHashTable  *table_bytes;
  /* "LANGUAGE/table" -> GBytes: the tables in the other languages served
   * (see qm_sandbox_world_get_localized_table_bytes()), made on first use */
  GHashTable  *localized_bytes;
  /* content version string the manifest reports; changes when tables change */
  char        *content_version;
  /* character id -> GINT_TO_POINTER (QmSandboxLocation) */
  GHashTable  *locations;
  /* true when built from recorded data (--data) */
  gboolean     recorded;
  /* item instance id, or "#<itemHash>" for stacks -> GUINT_TO_POINTER (the
   * bucket it left for the vault): its way back when no definition names
   * its bucket */
  GHashTable  *home_buckets;
  /* DestinyProfileResponse members recorded withheld for privacy (privacy 2,
   * no data): served so, though the rules see them empty (a set of names) */
  GHashTable  *withheld;
} QmSandboxWorld;

/* The demo account: deterministic for a seed. n_items grows the item table
 * with realistic filler definitions (0 = only what the account needs). */
QmSandboxWorld *qm_sandbox_world_new_demo       (guint64      seed,
                                                 guint        n_items,
                                                 gboolean     xur_present);
/* The same with the profile grown to @profile_items items (0: as built):
 * more weapons and armor, real instances with stats and sockets, in the
 * vault and the characters' slots within each bucket's capacity (see
 * QM_SANDBOX_MAX_PROFILE_ITEMS). */
QmSandboxWorld *qm_sandbox_world_new_demo_sized (guint64     seed,
                                                 guint        n_items,
                                                 guint        profile_items,
                                                 gboolean     xur_present);
/* Recorded data in the layout documented in the README. */
QmSandboxWorld *qm_sandbox_world_new_from_dir   (const char  *dir,
                                                 GError     **error);
void            qm_sandbox_world_free           (QmSandboxWorld *world);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmSandboxWorld, qm_sandbox_world_free)

/* Convenience accessors on the profile. */
JsonObject     *qm_sandbox_world_component      (QmSandboxWorld *world,
                                                 const char     *name);   /* e.g. "characterInventories" -> its "data" object;
                                                                           * "itemComponents.instances" walks into itemComponents */
JsonObject     *qm_sandbox_world_definition     (QmSandboxWorld *world,
                                                 const char     *table,
                                                 guint32         hash);   /* NULL when missing */
/* A new reference to the serialized table (cached); NULL when no such table. */
GBytes         *qm_sandbox_world_get_table_bytes (QmSandboxWorld *world,
                                                 const char     *table);
/* The languages definitions are served in: "en" (the tables as built) and
 * "de" (derived from them, see qm_sandbox_translate_table()). */
const char * const *qm_sandbox_world_get_languages (void);
/* A new reference to @table in @language; NULL when there is no such table
 * or language. The first request in a language other than English
 * translates the table (about half a second for a 100 MB item table). */
GBytes         *qm_sandbox_world_get_localized_table_bytes (QmSandboxWorld *world,
                                                 const char     *table,
                                                 const char     *language);
/* The same, gzip-compressed (made on first use, then kept). */
GBytes         *qm_sandbox_world_get_compressed_table_bytes (QmSandboxWorld *world,
                                                 const char     *table,
                                                 const char     *language);
/* Pure: @english (a serialized definition table) in @language: the names,
 * item types and tiers found in a small dictionary are translated (a few
 * item names, the filler's words, every tier and weapon type); the rest
 * stays English, as Bungie's own tables do for untranslated text. NULL for
 * a language the dictionary does not have. */
GBytes         *qm_sandbox_translate_table      (GBytes         *english,
                                                 const char     *language);
/* Change the content version the manifest reports (the content paths
 * change with it, as Bungie's do). */
void            qm_sandbox_world_set_content_version (QmSandboxWorld *world,
                                                 const char     *version);
/* Remove a definition from a table (and the table's serialized forms: a
 * grown item table is served without its filler afterwards); FALSE when it
 * was not there. */
gboolean        qm_sandbox_world_remove_definition (QmSandboxWorld *world,
                                                 const char     *table,
                                                 guint32         hash);
/* Add (or replace) the definition @hash of @table, a table the world
 * serves; takes a reference on @definition. */
void            qm_sandbox_world_add_definition (QmSandboxWorld *world,
                                                 const char     *table,
                                                 guint32         hash,
                                                 JsonObject     *definition);
/* Every definition table the world serves, sorted (free with g_strfreev). */
GStrv           qm_sandbox_world_dup_table_names (QmSandboxWorld *world);
/* Draw the icon served at /common/destiny2_content/icons/<name>.png (a PNG). */
GBytes         *qm_sandbox_world_draw_icon      (const char     *name);

G_END_DECLS
