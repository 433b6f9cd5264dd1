/* qm-bungie-client-destiny.c: the Destiny 2 and User endpoints
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-bungie-client"

#include "config.h"

#include "qm-bungie-client.h"

#include "qm-json.h"

typedef struct
{
  const char     *name;
  const char     *family;
  QmRequestFlags  spacing;
} ActionInfo;

/* Spacing per Bungie's ThrottleSecondsBetweenActionPerUser: 0.1 s for item
 * actions, 1 s for loadout actions. */
static const ActionInfo actions[] = {
  { "TransferItem", "Items", QM_REQUEST_ACTION_ITEM },
  { "PullFromPostmaster", "Items", QM_REQUEST_ACTION_ITEM },
  { "EquipItem", "Items", QM_REQUEST_ACTION_ITEM },
  { "EquipItems", "Items", QM_REQUEST_ACTION_ITEM },
  { "SetLockState", "Items", QM_REQUEST_ACTION_ITEM },
  { "EquipLoadout", "Loadouts", QM_REQUEST_ACTION_LOADOUT },
  { "SnapshotLoadout", "Loadouts", QM_REQUEST_ACTION_LOADOUT },
  { "UpdateLoadoutIdentifiers", "Loadouts", QM_REQUEST_ACTION_LOADOUT },
  { "ClearLoadout", "Loadouts", QM_REQUEST_ACTION_LOADOUT },
};

static const ActionInfo *
find_action (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_strcmp0 (actions[i].name, name) == 0)
      return &actions[i];
  return NULL;
}

static char *
components_query (const char *components)
{
  if (components == NULL || *components == '\0')
    return NULL;
  return g_strconcat ("components=", components, NULL);
}

void
qm_bungie_client_get_manifest_async (QmBungieClient      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  qm_bungie_client_request_async (self, "GET", "/Destiny2/Manifest/", NULL, NULL,
                                  QM_REQUEST_NONE, cancellable, callback, user_data);
}

/**
 * qm_bungie_client_get_manifest_finish:
 *
 * Returns: (transfer full): a DestinyManifest
 */
JsonNode *
qm_bungie_client_get_manifest_finish (QmBungieClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  return qm_bungie_client_request_finish (self, result, error);
}

void
qm_bungie_client_get_memberships_async (QmBungieClient      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  qm_bungie_client_request_async (self, "GET", "/User/GetMembershipsForCurrentUser/", NULL,
                                  NULL, QM_REQUEST_AUTH, cancellable, callback, user_data);
}

/**
 * qm_bungie_client_get_memberships_finish:
 *
 * Returns: (transfer full): a UserMembershipData
 */
JsonNode *
qm_bungie_client_get_memberships_finish (QmBungieClient  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  return qm_bungie_client_request_finish (self, result, error);
}

void
qm_bungie_client_get_profile_async (QmBungieClient      *self,
                                    int                  membership_type,
                                    const char          *membership_id,
                                    const char          *components,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (qm_json_is_id_string (membership_id));

  path = g_strdup_printf ("/Destiny2/%d/Profile/%s/", membership_type, membership_id);
  query = components_query (components);
  qm_bungie_client_request_async (self, "GET", path, query, NULL, QM_REQUEST_AUTH,
                                  cancellable, callback, user_data);
}

/**
 * qm_bungie_client_get_profile_finish:
 *
 * Returns: (transfer full): a DestinyProfileResponse
 */
JsonNode *
qm_bungie_client_get_profile_finish (QmBungieClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return qm_bungie_client_request_finish (self, result, error);
}

void
qm_bungie_client_get_profile_bytes_async (QmBungieClient      *self,
                                          int                  membership_type,
                                          const char          *membership_id,
                                          const char          *components,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (qm_json_is_id_string (membership_id));

  path = g_strdup_printf ("/Destiny2/%d/Profile/%s/", membership_type, membership_id);
  query = components_query (components);
  qm_bungie_client_request_bytes_async (self, "GET", path, query, NULL, QM_REQUEST_AUTH,
                                        cancellable, callback, user_data);
}

/**
 * qm_bungie_client_get_profile_bytes_finish:
 *
 * Returns: (transfer full): the answer's body: an envelope with ErrorCode 1
 *   around a DestinyProfileResponse
 */
GBytes *
qm_bungie_client_get_profile_bytes_finish (QmBungieClient  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  return qm_bungie_client_request_bytes_finish (self, result, error);
}

void
qm_bungie_client_get_vendor_async (QmBungieClient      *self,
                                   int                  membership_type,
                                   const char          *membership_id,
                                   const char          *character_id,
                                   guint32              vendor_hash,
                                   const char          *components,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (qm_json_is_id_string (membership_id));
  g_return_if_fail (qm_json_is_id_string (character_id));

  if (vendor_hash != 0)
    path = g_strdup_printf ("/Destiny2/%d/Profile/%s/Character/%s/Vendors/%u/",
                            membership_type, membership_id, character_id, vendor_hash);
  else
    path = g_strdup_printf ("/Destiny2/%d/Profile/%s/Character/%s/Vendors/",
                            membership_type, membership_id, character_id);
  query = components_query (components);
  qm_bungie_client_request_async (self, "GET", path, query, NULL, QM_REQUEST_AUTH,
                                  cancellable, callback, user_data);
}

/**
 * qm_bungie_client_get_vendor_finish:
 *
 * Returns: (transfer full): a DestinyVendorResponse, or a
 *   DestinyVendorsResponse for vendor hash 0
 */
JsonNode *
qm_bungie_client_get_vendor_finish (QmBungieClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return qm_bungie_client_request_finish (self, result, error);
}

void
qm_bungie_client_action_async (QmBungieClient      *self,
                               const char          *name,
                               JsonNode            *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  const ActionInfo *action = find_action (name);
  g_autofree char *path = NULL;

  g_return_if_fail (action != NULL);
  g_return_if_fail (body != NULL && JSON_NODE_HOLDS_OBJECT (body));

  path = g_strdup_printf ("/Destiny2/Actions/%s/%s/", action->family, action->name);
  qm_bungie_client_request_async (self, "POST", path, NULL, body,
                                  QM_REQUEST_AUTH | action->spacing,
                                  cancellable, callback, user_data);
}

/**
 * qm_bungie_client_action_finish:
 *
 * Returns: (transfer full): the action's Response (an int32, or the
 *   EquipItems result object)
 */
JsonNode *
qm_bungie_client_action_finish (QmBungieClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return qm_bungie_client_request_finish (self, result, error);
}

/**
 * qm_bungie_client_loadout_body:
 * @color_hash, @icon_hash, @name_hash: LoadoutColor/Icon/Name definition
 *   hashes, 0 for none (left out of the body: Bungie keeps the slot's)
 *
 * Returns: (transfer full): the body of a loadout action
 *   (DestinyLoadoutActionRequest, or DestinyLoadoutUpdateActionRequest
 *   when a hash is given)
 */
JsonNode *
qm_bungie_client_loadout_body (int         membership_type,
                               const char *character_id,
                               int         loadout_index,
                               guint32     color_hash,
                               guint32     icon_hash,
                               guint32     name_hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const struct { const char *name; guint32 hash; } hashes[] = {
    { "colorHash", color_hash }, { "iconHash", icon_hash }, { "nameHash", name_hash },
  };

  g_return_val_if_fail (character_id != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "loadoutIndex");
  json_builder_add_int_value (builder, loadout_index);
  json_builder_set_member_name (builder, "characterId");
  json_builder_add_string_value (builder, character_id);
  json_builder_set_member_name (builder, "membershipType");
  json_builder_add_int_value (builder, membership_type);
  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    if (hashes[i].hash != 0)
      {
        json_builder_set_member_name (builder, hashes[i].name);
        json_builder_add_int_value (builder, hashes[i].hash);
      }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * qm_bungie_client_loadout_action_async:
 * @action: "EquipLoadout", "SnapshotLoadout", "UpdateLoadoutIdentifiers"
 *   or "ClearLoadout"
 *
 * One loadout action (1 s apart, per Bungie's spacing). It answers no
 * state: read component 206 again afterwards (Bungie-net/api #1792).
 */
void
qm_bungie_client_loadout_action_async (QmBungieClient      *self,
                                       const char          *action,
                                       int                  membership_type,
                                       const char          *character_id,
                                       int                  loadout_index,
                                       guint32              color_hash,
                                       guint32              icon_hash,
                                       guint32              name_hash,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  const ActionInfo *info = find_action (action);

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));
  g_return_if_fail (info != NULL && g_str_equal (info->family, "Loadouts"));
  g_return_if_fail (character_id != NULL);

  body = qm_bungie_client_loadout_body (membership_type, character_id, loadout_index,
                                        color_hash, icon_hash, name_hash);
  qm_bungie_client_action_async (self, action, body, cancellable, callback, user_data);
}

gboolean
qm_bungie_client_loadout_action_finish (QmBungieClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_autoptr(JsonNode) answer = qm_bungie_client_request_finish (self, result, error);

  return answer != NULL;
}
