/* qm-xur.h: Xûr's stock for the week, or when he comes back
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-manifest.h"
#include "qm-profile.h"

G_BEGIN_DECLS

#define QM_XUR_VENDOR_HASH              QM_VENDOR_XUR
#define QM_XUR_STRANGE_GEAR_VENDOR_HASH QM_VENDOR_XUR_STRANGE_GEAR
/* The components asked for with GetVendor. */
#define QM_XUR_VENDOR_COMPONENTS        "400,401,402,300,304,305"

/* VendorItemStatus flags (saleStatus). */
#define QM_VENDOR_ITEM_STATUS_NO_FUNDS 2
/* DestinyVendorItemState flags (augments). */
#define QM_VENDOR_ITEM_STATE_OWNED     128

/* One cost of a sale: an item (a currency is an item too). */
typedef struct
{
  guint32  hash;
  char    *name;     /* nullable: unknown definition */
  char    *icon;     /* nullable: a path on the Bungie origin */
  int      quantity;
} QmCost;

/* One stat of an instanced sale (itemComponents.stats). */
typedef struct
{
  guint32  stat_hash;
  char    *name;     /* nullable: a stat not known here (English, see qm_stat_get_name()) */
  int      value;
} QmSaleStat;

/* One plug in a socket of an instanced sale (itemComponents.sockets). */
typedef struct
{
  guint32  hash;     /* the plug item's hash */
  char    *name;     /* nullable: unknown definition */
  char    *icon;     /* nullable */
} QmSalePlug;

#define QM_TYPE_VENDOR_SALE (qm_vendor_sale_get_type ())
G_DECLARE_FINAL_TYPE (QmVendorSale, qm_vendor_sale, QM, VENDOR_SALE, GObject)

/* Properties (read-only, set by qm_xur_parse()):
 * "vendor-hash" (uint: the vendor selling it), "vendor-item-index" (int),
 * "hash" (uint), "quantity" (int), "name" (string, nullable = unknown),
 * "item-type-name", "tier-name", "icon" (strings, nullable), "tier-type" (int),
 * "power" (int, -1 = none), "owned" (boolean), "affordable" (boolean),
 * "sale-status" (int, VendorItemStatus flags), "augments" (int,
 * DestinyVendorItemState flags), "n-costs" (uint).
 * owned: the profile holds an item with this hash anywhere, or augments has
 * QM_VENDOR_ITEM_STATE_OWNED. affordable: the player holds at least each
 * cost's quantity (profile currencies, vault, character inventories) and
 * saleStatus does not say NoFunds. */
guint32           qm_vendor_sale_get_vendor_hash       (QmVendorSale *self);
int               qm_vendor_sale_get_vendor_item_index (QmVendorSale *self);
guint32           qm_vendor_sale_get_hash              (QmVendorSale *self);
int               qm_vendor_sale_get_quantity          (QmVendorSale *self);
const char       *qm_vendor_sale_get_name              (QmVendorSale *self);
const char       *qm_vendor_sale_get_item_type_name    (QmVendorSale *self);
const char       *qm_vendor_sale_get_tier_name         (QmVendorSale *self);
int               qm_vendor_sale_get_tier_type         (QmVendorSale *self);
const char       *qm_vendor_sale_get_icon              (QmVendorSale *self);
int               qm_vendor_sale_get_power             (QmVendorSale *self);
gboolean          qm_vendor_sale_get_owned             (QmVendorSale *self);
gboolean          qm_vendor_sale_get_affordable        (QmVendorSale *self);
int               qm_vendor_sale_get_sale_status       (QmVendorSale *self);
int               qm_vendor_sale_get_augments          (QmVendorSale *self);
/* Arrays owned by the sale; *n_out gets the length (may be 0, then NULL is returned). */
const QmCost     *qm_vendor_sale_get_costs             (QmVendorSale *self,
                                                        guint        *n_costs);
const QmSaleStat *qm_vendor_sale_get_stats             (QmVendorSale *self,
                                                        guint        *n_stats);
const QmSalePlug *qm_vendor_sale_get_plugs             (QmVendorSale *self,
                                                        guint        *n_plugs);
/* "120 Strange Coins" for each cost, joined with ", " (unknown names:
 * "120 × item 800069450"); "" for a free sale. Newly allocated. */
char             *qm_vendor_sale_dup_costs_text        (QmVendorSale *self);

#define QM_TYPE_XUR (qm_xur_get_type ())
G_DECLARE_FINAL_TYPE (QmXur, qm_xur, QM, XUR, GObject)

/* Properties (read-only): "present" (boolean), "arrives", "departs"
 * (GDateTime in UTC, NULL when absent), "next-arrival" (GDateTime in UTC,
 * NULL when present), "location" (string, nullable: not known),
 * "sales" (GListModel of QmVendorSale; empty when absent).
 * Times are instants: format them in the user's zone with
 * g_date_time_to_local() or g_date_time_to_timezone(). */
gboolean      qm_xur_get_present      (QmXur *self);
GDateTime    *qm_xur_get_arrives      (QmXur *self);
GDateTime    *qm_xur_get_departs      (QmXur *self);
GDateTime    *qm_xur_get_next_arrival (QmXur *self);
const char   *qm_xur_get_location     (QmXur *self);
/* Xûr's own sales first (by vendor item index), then Strange Gear Offers. */
GListModel   *qm_xur_get_sales        (QmXur *self);
/* The heading of a vendor's part of the stock: "Xûr’s Wares" or "Strange
 * Gear Offers" (translated), as the window, the digest and the CLI show it. */
const char   *qm_xur_vendor_title     (guint32 vendor_hash);

/* Pure. @vendor_response: the Response of GetVendor for QM_XUR_VENDOR_HASH
 * (NULL: he is absent, as with 1627); @strange_gear_response: the same for
 * QM_XUR_STRANGE_GEAR_VENDOR_HASH (nullable); @profile (nullable) for the
 * owned and affordable marks; @manifest (nullable) for names and icons
 * (missing definitions leave names NULL); @now: the current instant.
 * A vendor whose "enabled" is false is absent. departs = vendor.nextRefreshDate
 * (else the next Tuesday 17:00 UTC), arrives = the last Friday 17:00 UTC
 * before it; when absent, next-arrival = qm_xur_next_arrival (now, NULL).
 * Errors: QM_CLIENT_ERROR_MALFORMED when @vendor_response is not an object. */
QmXur        *qm_xur_parse            (JsonNode    *vendor_response,
                                       JsonNode    *strange_gear_response,
                                       QmProfile   *profile,
                                       QmManifest  *manifest,
                                       GDateTime   *now,
                                       GError     **error);
/* Pure: the next Friday 17:00 UTC strictly after @now (a Friday at 17:00:00
 * UTC sharp gives the following week), or @next_refresh when it is given and
 * later than @now (the vendor says when his stock turns over). Computed in
 * UTC: the same instant whatever zone @now is expressed in. Returns UTC. */
GDateTime    *qm_xur_next_arrival     (GDateTime   *now,
                                       GDateTime   *next_refresh);
/* Pure: the last Friday 17:00 UTC at or before @departs (his arrival for a
 * stay that ends at @departs). Returns UTC. */
GDateTime    *qm_xur_arrival_before   (GDateTime   *departs);

/* Pure: the time from @now to @target split into whole days, hours, minutes
 * and seconds (all 0 when @target is not after @now). Any pointer may be NULL. */
void          qm_xur_split_countdown  (GDateTime   *now,
                                       GDateTime   *target,
                                       int         *days,
                                       int         *hours,
                                       int         *minutes,
                                       int         *seconds);

/* GetVendor for Xûr and his Strange Gear Offers with QM_XUR_VENDOR_COMPONENTS
 * for the profile's first character, as the membership the profile names. @inventory (nullable) gives the
 * membership, characters, profile and definitions; NULL loads one with
 * qm_inventory_load_async() first. 1627 DestinyVendorNotFound, or a vendor
 * that is not enabled, gives an absent QmXur (not an error); other errors
 * (maintenance 5, network, HTML pages …) are returned as they are. */
void          qm_xur_load_async       (QmBungieClient *client,
                                       QmInventory    *inventory,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
/* The same for the Destiny membership @membership_type/@membership_id (the
 * session's chosen one); a NULL @membership_id is the membership the
 * profile names (qm_profile_get_membership_id()). Finish with
 * qm_xur_load_finish(). */
void          qm_xur_load_for_membership_async (QmBungieClient *client,
                                       int             membership_type,
                                       const char     *membership_id,
                                       QmInventory    *inventory,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
QmXur        *qm_xur_load_finish      (GAsyncResult   *result,
                                       GError        **error);
/* The inventory used by the load that produced @result (loaded, or the one
 * given); NULL after a failure. A new reference. */
QmInventory  *qm_xur_load_dup_inventory (GAsyncResult *result);

/* The CLI's `xur --json` document:
 * {"present": bool, "arrives": "2026-05-15T17:00:00Z" | null, "departs": … | null,
 * (when absent: "arrives" is his next arrival, "departs" null)
 *  "sales": [{"hash", "name" (null = unknown), "quantity",
 *             "costs": [{"hash", "name", "quantity"}]}]} */
JsonNode     *qm_xur_to_json          (QmXur       *self);

/* Pure: an English name for a well-known stat hash (Mobility, Impact …), NULL otherwise. */
const char   *qm_stat_get_name        (guint32      stat_hash);

G_END_DECLS
