/* qm-manifest.h: item definitions from Bungie's manifest
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-bungie-client.h"
#include "qm-item.h"

G_BEGIN_DECLS

typedef struct
{
  guint32     hash;
  const char *name;            /* never NULL for a known definition */
  const char *item_type_name;  /* itemTypeDisplayName, nullable */
  const char *tier_name;       /* inventory.tierTypeName, nullable */
  int         tier_type;       /* inventory.tierType */
  guint32     bucket_hash;     /* inventory.bucketTypeHash */
  int         class_type;
  int         item_type;
  const char *icon;            /* displayProperties.icon, nullable */
} QmItemDefinition;

#define QM_TYPE_MANIFEST (qm_manifest_get_type ())
G_DECLARE_FINAL_TYPE (QmManifest, qm_manifest, QM, MANIFEST, GObject)

QmManifest             *qm_manifest_new              (void);
/* Pure: load a hash-keyed DestinyInventoryItemDefinition table from bytes. */
gboolean                qm_manifest_load_items       (QmManifest     *self,
                                                      GBytes         *table,
                                                      GError        **error);
/* Fetch GetDestinyManifest, then the item table for @language ("en"), then
 * the vendor and destination tables (those two are optional: when missing or
 * broken, vendor locations stay unknown and the update still succeeds). */
void                    qm_manifest_update_async     (QmManifest     *self,
                                                      QmBungieClient *client,
                                                      const char     *language,
                                                      GCancellable   *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer        user_data);
gboolean                qm_manifest_update_finish    (QmManifest     *self,
                                                      GAsyncResult   *result,
                                                      GError        **error);
/* NULL when the definition is missing: the caller shows "unknown". */
const QmItemDefinition *qm_manifest_lookup_item      (QmManifest     *self,
                                                      guint32         hash);
guint                   qm_manifest_get_n_items      (QmManifest     *self);
const char             *qm_manifest_get_version      (QmManifest     *self);
/* Pure: load a DestinyVendorDefinition table (only its locations are kept). */
gboolean                qm_manifest_load_vendors     (QmManifest     *self,
                                                      GBytes         *table,
                                                      GError        **error);
/* Pure: load a DestinyDestinationDefinition table (only names are kept). */
gboolean                qm_manifest_load_destinations (QmManifest    *self,
                                                      GBytes         *table,
                                                      GError        **error);
/* The destinationHash of @vendor_hash's locations[@index]; 0 when unknown. */
guint32                 qm_manifest_lookup_vendor_location (QmManifest *self,
                                                      guint32         vendor_hash,
                                                      int             index);
/* A destination's displayProperties.name; NULL when unknown. */
const char             *qm_manifest_lookup_destination_name (QmManifest *self,
                                                      guint32         hash);
/* Copy an item's definition fields into it (or leave it unknown). */
void                    qm_manifest_apply            (QmManifest     *self,
                                                      QmItem         *item);

G_END_DECLS
