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
 * definitions applied. */
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
