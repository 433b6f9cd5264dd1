/* qm-inventory.h: sign-in-to-items in one call: memberships, profile, definitions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qm-bungie-client.h"
#include "qm-manifest.h"
#include "qm-profile.h"
#include "qm-profile-cache.h"

G_BEGIN_DECLS

#define QM_TYPE_INVENTORY (qm_inventory_get_type ())
G_DECLARE_FINAL_TYPE (QmInventory, qm_inventory, QM, INVENTORY, GObject)

/* One Destiny membership (GroupUserInfoCard) of the signed-in account. */
typedef struct
{
  int       membership_type;   /* BungieMembershipType */
  char     *membership_id;
  char     *display_name;      /* nullable */
  gboolean  is_primary;        /* the cross-save primary */
} QmMembership;

void          qm_membership_free (QmMembership *membership);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmMembership, qm_membership_free)

/* GetMembershipsForCurrentUser (cross-save primary first), GetProfile with
 * QM_PROFILE_COMPONENTS, and the manifest's item table; items get their
 * definitions applied. The profile answer is saved in the profile cache
 * (qm-profile-cache.h) for qm_inventory_load_cached(). */
void         qm_inventory_load_async    (QmBungieClient  *client,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
/* The same with a manifest to bring up to date and reuse (NULL: a new one);
 * finish with qm_inventory_load_finish(). */
void         qm_inventory_load_with_manifest_async (QmBungieClient *client,
                                         QmManifest      *manifest,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
/* The same for the membership @membership_id when the account has it (NULL,
 * or one it does not have: the cross-save primary, else the first). */
void         qm_inventory_load_for_membership_async (QmBungieClient *client,
                                         QmManifest      *manifest,
                                         const char      *membership_id,
                                         GCancellable    *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer         user_data);
QmInventory *qm_inventory_load_finish   (GAsyncResult    *result,
                                         GError         **error);

/*
 * Showing the profile at once, then keeping it current. The window:
 *
 *   at start-up:  inventory = qm_inventory_load_cached (membership_id,
 *                                                       manifest, &error);
 *                 shown at once when not NULL (else a loading page; a
 *                 damaged cache's error is worth a debug line, not a toast);
 *                 then a live load (qm_inventory_load_for_membership_async()),
 *                 which saves the cache for the next start;
 *   on each load: if (qm_inventory_judge_update (shown, fetched) ==
 *                     QM_PROFILE_FRESH) show fetched, else keep what is
 *                 shown (no flicker; the fetched memberships are current
 *                 either way);
 *   after an item action Bungie acknowledged, patched into the items shown:
 *                 qm_inventory_note_local_change (shown, sent_at);
 *   when to load: a QmRefreshPolicy (qm-profile-cache.h).
 */

/* The profile saved by the last live load of @membership_id, decoded, with
 * @manifest's definitions. NULL with G_IO_ERROR_NOT_FOUND (none saved),
 * another G_IO_ERROR, or QM_CLIENT_ERROR_MALFORMED (damaged, ignored). */
QmInventory *qm_inventory_load_cached   (const char      *membership_id,
                                         QmManifest      *manifest,
                                         GError         **error);
/* Whether this one came from the cache rather than a live load. */
gboolean     qm_inventory_is_cached     (QmInventory     *self);
/* The app changed an item of this inventory with an action sent at
 * @sent_at (g_get_real_time() before sending it) that Bungie acknowledged. */
void         qm_inventory_note_local_change (QmInventory *self,
                                         gint64           sent_at);
gint64       qm_inventory_get_last_local_change (QmInventory *self);
/* Whether @fetched may replace @self, shown (see qm_profile_judge_freshness();
 * a live profile as old as a cached one shown is fresh). */
QmProfileFreshness qm_inventory_judge_update (QmInventory *self,
                                         QmInventory     *fetched);
/* An inventory from a profile at hand (e.g. a cached one): applies @manifest's
 * definitions to the profile's items. */
QmInventory *qm_inventory_new           (QmProfile       *profile,
                                         QmManifest      *manifest);
QmProfile   *qm_inventory_get_profile   (QmInventory     *self);
QmManifest  *qm_inventory_get_manifest  (QmInventory     *self);
const GError *qm_inventory_get_manifest_error (QmInventory  *self);
/* The account's memberships seen on load, in display order (see
 * qm_memberships_list()); empty for an inventory made with qm_inventory_new(). */
GPtrArray   *qm_inventory_get_memberships (QmInventory   *self);
/* The CLI's `inventory --json` document:
 * {"characters":[{"id","class","light","items":[ITEM]}],"vault":[ITEM],"account":[ITEM]}
 * ITEM = {"hash","instance_id","name","bucket","location","quantity","locked","power","tier"} */
JsonNode    *qm_inventory_to_json       (QmInventory     *self);
/* Pure: pick the membership to use from a UserMembershipData node. */
gboolean     qm_memberships_pick        (JsonNode        *response,
                                         int             *membership_type,
                                         char           **membership_id,
                                         GError         **error);

/* Pure: the memberships of a UserMembershipData node to offer, in display
 * order: the cross-save primary first, then the others as listed; those that
 * cross save hides (crossSaveOverride set to another platform) are left out.
 * Returns: (transfer full) (element-type QmMembership): a non-empty array, or
 * NULL with the errors of qm_memberships_pick(). */
GPtrArray   *qm_memberships_list        (JsonNode        *response,
                                         GError         **error);
/* Pure: the membership of @memberships whose id is @membership_id, else the
 * first; NULL for an empty array. */
QmMembership *qm_memberships_choose     (GPtrArray       *memberships,
                                         const char      *membership_id);

G_END_DECLS
