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
QmInventory *qm_inventory_load_finish   (GAsyncResult    *result,
                                         GError         **error);
/* An inventory from a profile at hand (e.g. a cached one): applies @manifest's
 * definitions to the profile's items. */
QmInventory *qm_inventory_new           (QmProfile       *profile,
                                         QmManifest      *manifest);
QmProfile   *qm_inventory_get_profile   (QmInventory     *self);
QmManifest  *qm_inventory_get_manifest  (QmInventory     *self);
const GError *qm_inventory_get_manifest_error (QmInventory  *self);
/* The CLI's `inventory --json` document:
 * {"characters":[{"id","class","light","items":[ITEM]}],"vault":[ITEM],"account":[ITEM]}
 * ITEM = {"hash","instance_id","name","bucket","location","quantity","locked","power","tier"} */
JsonNode    *qm_inventory_to_json       (QmInventory     *self);
/* Pure: pick the membership to use from a UserMembershipData node. */
gboolean     qm_memberships_pick        (JsonNode        *response,
                                         int             *membership_type,
                                         char           **membership_id,
                                         GError         **error);

G_END_DECLS
