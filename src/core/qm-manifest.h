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
/* Fetch GetDestinyManifest, then the item table for @language ("en"). */
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
/* Copy an item's definition fields into it (or leave it unknown). */
void                    qm_manifest_apply            (QmManifest     *self,
                                                      QmItem         *item);

G_END_DECLS
