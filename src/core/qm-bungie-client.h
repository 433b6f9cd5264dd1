/* qm-bungie-client.h: the one path every Bungie.net Platform call takes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qm-auth-manager.h"

G_BEGIN_DECLS

#define QM_TYPE_BUNGIE_CLIENT (qm_bungie_client_get_type ())
G_DECLARE_FINAL_TYPE (QmBungieClient, qm_bungie_client, QM, BUNGIE_CLIENT, GObject)

typedef enum
{
  QM_REQUEST_NONE           = 0,
  QM_REQUEST_AUTH           = 1 << 0, /* send the access token */
  QM_REQUEST_ACTION_ITEM    = 1 << 1, /* item action: 0.1 s between calls */
  QM_REQUEST_ACTION_LOADOUT = 1 << 2, /* loadout action: 1 s between calls */
} QmRequestFlags;

QmBungieClient *qm_bungie_client_new              (const char      *origin,
                                                   const char      *api_key);
const char     *qm_bungie_client_get_origin       (QmBungieClient  *self);
const char     *qm_bungie_client_get_api_key      (QmBungieClient  *self);
/* A fixed bearer token sent with QM_REQUEST_AUTH calls when no auth manager
 * is set (NULL: none). */
void            qm_bungie_client_set_access_token (QmBungieClient  *self,
                                                   const char      *access_token);
/* Who is signed in (property "auth-manager"; NULL: none). When set, it
 * supplies the credentials of QM_REQUEST_AUTH calls instead of the fixed
 * access token: a token past its expiry is refreshed first (single-flight),
 * and a call refused with HTTP 401 or an auth ErrorCode (99, 22, 2111,
 * 2122-2124, 2106) is retried once after a refresh. An expired refresh token
 * fails the call with QM_AUTH_ERROR_EXPIRED (the manager signs out); a second
 * refusal with QM_AUTH_ERROR_NOT_SIGNED_IN (or EXPIRED). */
void            qm_bungie_client_set_auth_manager (QmBungieClient  *self,
                                                   QmAuthManager   *auth);
QmAuthManager  *qm_bungie_client_get_auth_manager (QmBungieClient  *self);
/* How many times a throttled call is retried after ThrottleSeconds (default 3). */
void            qm_bungie_client_set_max_throttle_retries (QmBungieClient *self,
                                                   guint            retries);
/* Seconds before a call without an answer fails with QM_CLIENT_ERROR_TIMEOUT (default 30). */
void            qm_bungie_client_set_timeout      (QmBungieClient  *self,
                                                   guint            seconds);

/* A Platform call. @path is relative to /Platform and ends in '/', e.g.
 * "/Destiny2/Manifest/"; @query has no leading '?'; @body (POST) may be NULL.
 * The result is the envelope's Response (a new reference; JSON null when the
 * payload is null). Errors: QM_PLATFORM_ERROR (the envelope's ErrorCode) or
 * QM_CLIENT_ERROR, or G_IO_ERROR_CANCELLED.
 * Every call carries X-API-Key; QM_REQUEST_AUTH adds the bearer token when one
 * is set. Credentials only go to an https or loopback origin (otherwise
 * QM_CLIENT_ERROR_INSECURE_ORIGIN, before any network use). Redirects are not
 * followed. Throttle codes are retried after ThrottleSeconds (1-60 s). */
void            qm_bungie_client_request_async    (QmBungieClient  *self,
                                                   const char      *method,
                                                   const char      *path,
                                                   const char      *query,
                                                   JsonNode        *body,
                                                   QmRequestFlags   flags,
                                                   GCancellable    *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer         user_data);
JsonNode       *qm_bungie_client_request_finish   (QmBungieClient  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);

/* The same, handing back the answer's body (an envelope with ErrorCode 1)
 * instead of the Response node, for answers read in place and cached as
 * they came. Every other outcome is the same as for
 * qm_bungie_client_request_async(). */
void            qm_bungie_client_request_bytes_async (QmBungieClient *self,
                                                   const char      *method,
                                                   const char      *path,
                                                   const char      *query,
                                                   JsonNode        *body,
                                                   QmRequestFlags   flags,
                                                   GCancellable    *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer         user_data);
GBytes         *qm_bungie_client_request_bytes_finish (QmBungieClient *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);

/* Plain content from the origin (manifest tables, icons): @path like
 * "/common/destiny2_content/json/en/…", a query allowed. Returns the body of
 * a 2xx answer (otherwise QM_CLIENT_ERROR_HTTP); sends neither the API key
 * nor the token. */
void            qm_bungie_client_fetch_async      (QmBungieClient  *self,
                                                   const char      *path,
                                                   GCancellable    *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer         user_data);
GBytes         *qm_bungie_client_fetch_finish     (QmBungieClient  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);
/* The same as a stream, for large content read in pieces (the manifest's
 * tables): ready once a 2xx status arrived (otherwise QM_CLIENT_ERROR_HTTP).
 * gzip is asked for and not decoded: @gzipped says whether the body is
 * compressed, @content_length is its length on the wire (-1: unknown). */
void            qm_bungie_client_open_content_async (QmBungieClient *self,
                                                   const char      *path,
                                                   GCancellable    *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer         user_data);
GInputStream   *qm_bungie_client_open_content_finish (QmBungieClient *self,
                                                   GAsyncResult    *result,
                                                   goffset         *content_length,
                                                   gboolean        *gzipped,
                                                   GError         **error);

/* Endpoint wrappers; each _finish returns the Response node. */
void      qm_bungie_client_get_manifest_async     (QmBungieClient *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qm_bungie_client_get_manifest_finish    (QmBungieClient *self, GAsyncResult *result, GError **error);
void      qm_bungie_client_get_memberships_async  (QmBungieClient *self, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qm_bungie_client_get_memberships_finish (QmBungieClient *self, GAsyncResult *result, GError **error);
/* @components: comma-separated, e.g. "100,102,200". */
void      qm_bungie_client_get_profile_async      (QmBungieClient *self, int membership_type,
                                                   const char *membership_id, const char *components,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qm_bungie_client_get_profile_finish     (QmBungieClient *self, GAsyncResult *result, GError **error);
/* The same, handing back the answer's bytes (see
 * qm_bungie_client_request_bytes_async()) for qm_profile_parse_bytes(). */
void      qm_bungie_client_get_profile_bytes_async (QmBungieClient *self, int membership_type,
                                                   const char *membership_id, const char *components,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
GBytes   *qm_bungie_client_get_profile_bytes_finish (QmBungieClient *self, GAsyncResult *result,
                                                   GError **error);
/* vendor_hash 0 = GetVendors (all vendors). */
void      qm_bungie_client_get_vendor_async       (QmBungieClient *self, int membership_type,
                                                   const char *membership_id, const char *character_id,
                                                   guint32 vendor_hash, const char *components,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qm_bungie_client_get_vendor_finish      (QmBungieClient *self, GAsyncResult *result, GError **error);

/* Item and loadout actions (POST /Destiny2/Actions/…), spaced per Bungie's
 * ThrottleSecondsBetweenActionPerUser. @name is the action path's last part:
 * "TransferItem", "PullFromPostmaster", "EquipItem", "EquipItems",
 * "SetLockState", "EquipLoadout", "SnapshotLoadout",
 * "UpdateLoadoutIdentifiers", "ClearLoadout". @body is the request object
 * (membershipType included). */
void      qm_bungie_client_action_async           (QmBungieClient *self, const char *name,
                                                   JsonNode *body, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
JsonNode *qm_bungie_client_action_finish          (QmBungieClient *self, GAsyncResult *result, GError **error);

/* In-game loadouts (component 206): the four loadout actions. Hashes of 0
 * are left out of the body. */
JsonNode *qm_bungie_client_loadout_body           (int membership_type, const char *character_id,
                                                   int loadout_index, guint32 color_hash,
                                                   guint32 icon_hash, guint32 name_hash);
void      qm_bungie_client_loadout_action_async   (QmBungieClient *self, const char *action,
                                                   int membership_type, const char *character_id,
                                                   int loadout_index, guint32 color_hash,
                                                   guint32 icon_hash, guint32 name_hash,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean  qm_bungie_client_loadout_action_finish  (QmBungieClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
