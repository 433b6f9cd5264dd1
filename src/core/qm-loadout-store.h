/* qm-loadout-store.h: the saved loadouts (ours) and the undo stacks, on disk
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One JSON file per Destiny membership under the XDG data directory
 * ($XDG_DATA_HOME/quartermaster/loadouts/<membershipId>.json, 0600),
 * written atomically (a temporary file, fsync, rename): a crash leaves the
 * old file or the new one, whole. It holds the saved loadouts and, per
 * character, a short stack of "Before 'X'" snapshots taken before each
 * apply, so Undo survives a restart (DIM's lives in memory only).
 *
 * A damaged file: the loadouts that can be read are shown, the file is
 * copied aside as it was (<name>.json.damaged-<time>), and nothing is
 * written over it until the user decides (qm_loadout_store_resolve_damage()).
 *
 * The format (version 1):
 *   {"version": 1,
 *    "loadouts": [{"id": "…", "name": "…", "class": 0-3,
 *                  "items": [{"id": "INSTANCE_ID", "hash": N, "equip": bool}]}],
 *    "undo": {"CHARACTER_ID": [{"name": "X", "time": unix seconds,
 *              "items": [{"id": "INSTANCE_ID", "hash": N,
 *                         "place": "equipped"|"inventory"|"vault",
 *                         "owner": "CHARACTER_ID"|"0"}]}]}}
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QM_LOADOUT_ERROR (qm_loadout_error_quark ())

typedef enum
{
  QM_LOADOUT_ERROR_DAMAGED,     /* the file cannot be read, or some of it */
  QM_LOADOUT_ERROR_READ_ONLY,   /* a damaged file waits for the user's decision */
  QM_LOADOUT_ERROR_NOT_FOUND,   /* no loadout of that name or id */
  QM_LOADOUT_ERROR_EXISTS,      /* a loadout of that name exists */
  QM_LOADOUT_ERROR_INVALID,     /* an empty name, an unknown item … */
  QM_LOADOUT_ERROR_CLASS,       /* the loadout is for another class */
} QmLoadoutError;

GQuark qm_loadout_error_quark (void);

/* Limits of what is read (anything larger is refused as damaged). */
#define QM_LOADOUT_MAX_FILE    ((gsize) 8 << 20)
#define QM_LOADOUT_MAX_ITEMS   64
#define QM_LOADOUT_MAX_NAME    200
/* Undo snapshots kept per character. */
#define QM_LOADOUT_UNDO_DEPTH  5

typedef struct
{
  guint64  instance_id;
  guint32  hash;       /* for showing an item that is gone */
  gboolean equip;
} QmLoadoutItem;

/* ------------------------------------------------------------------------ */

#define QM_TYPE_SAVED_LOADOUT (qm_saved_loadout_get_type ())
G_DECLARE_FINAL_TYPE (QmSavedLoadout, qm_saved_loadout, QM, SAVED_LOADOUT, GObject)

/* Properties: "id" (construct-only), "name", "class-type" (0 Titan, 1
 * Hunter, 2 Warlock, 3 any), "n-items". Signal "items-changed" (). */
QmSavedLoadout *qm_saved_loadout_new            (const char          *id,
                                                 const char          *name,
                                                 int                  class_type);
const char     *qm_saved_loadout_get_id         (QmSavedLoadout      *self);
const char     *qm_saved_loadout_get_name       (QmSavedLoadout      *self);
int             qm_saved_loadout_get_class_type (QmSavedLoadout      *self);
guint           qm_saved_loadout_get_n_items    (QmSavedLoadout      *self);
const QmLoadoutItem *qm_saved_loadout_get_item  (QmSavedLoadout      *self,
                                                 guint                index);
/* FALSE when the item is already in it or the loadout is full. */
gboolean        qm_saved_loadout_add_item       (QmSavedLoadout      *self,
                                                 const QmLoadoutItem *item);
gboolean        qm_saved_loadout_remove_item    (QmSavedLoadout      *self,
                                                 guint64              instance_id);
gboolean        qm_saved_loadout_has_item       (QmSavedLoadout      *self,
                                                 guint64              instance_id);
/* Whether a character of @class_type can take it. */
gboolean        qm_saved_loadout_fits_class     (QmSavedLoadout      *self,
                                                 int                  class_type);

/* ------------------------------------------------------------------------ */

typedef enum
{
  QM_UNDO_PLACE_EQUIPPED,
  QM_UNDO_PLACE_INVENTORY,
  QM_UNDO_PLACE_VAULT,
} QmUndoPlace;

typedef struct
{
  guint64 instance_id;
  guint32 hash;
  int     place;       /* QmUndoPlace */
  guint64 owner;       /* character id; 0 in the vault */
} QmUndoItem;

/* "Before 'X'": where the items were before X was applied. */
typedef struct
{
  char   *name;        /* X, the loadout applied */
  gint64  time;        /* unix seconds */
  GArray *items;       /* QmUndoItem */
} QmUndoEntry;

QmUndoEntry    *qm_undo_entry_new               (const char          *name,
                                                 gint64               time);
QmUndoEntry    *qm_undo_entry_copy              (const QmUndoEntry   *entry);
void            qm_undo_entry_free              (QmUndoEntry         *entry);
/* The menu's text: "Before 'X'". */
char           *qm_undo_entry_dup_title         (const QmUndoEntry   *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmUndoEntry, qm_undo_entry_free)

/* ------------------------------------------------------------------------ */

/* Pure: the loadouts and undo stacks of a file's bytes. Entries that cannot
 * be read are left out and counted in @n_damaged (nullable); the file as a
 * whole unreadable (not JSON, not the format, too large) is an error
 * (QM_LOADOUT_ERROR_DAMAGED) naming why.
 * @loadouts: (out) (element-type QmSavedLoadout)
 * @undo: (out) (element-type guint64 GPtrArray<QmUndoEntry>): character id
 *   (as a pointer to a guint64 key) to its stack, oldest first */
gboolean        qm_loadout_file_parse           (const guint8        *data,
                                                 gsize                size,
                                                 GPtrArray          **loadouts,
                                                 GHashTable         **undo,
                                                 guint               *n_damaged,
                                                 GError             **error);
/* The file's bytes for @loadouts and @undo (as qm_loadout_file_parse()
 * gives them). */
GBytes         *qm_loadout_file_serialize       (GPtrArray           *loadouts,
                                                 GHashTable          *undo);

/* ------------------------------------------------------------------------ */

#define QM_TYPE_LOADOUT_STORE (qm_loadout_store_get_type ())
G_DECLARE_FINAL_TYPE (QmLoadoutStore, qm_loadout_store, QM, LOADOUT_STORE, GObject)

/* A GListModel of QmSavedLoadout, sorted by name.
 * Properties: "path", "damaged" (boolean), "damage-message" (string: what
 * is wrong and where the copy is). Signal "undo-changed" (guint64
 * character id). */

/* The file of @membership_id (a decimal id; NULL when it is not one). */
char           *qm_loadout_store_get_default_path (const char        *membership_id);
/* The store of the file at @path, read now. A missing file is an empty
 * store; a damaged one is a store with "damaged" set (see above). */
QmLoadoutStore *qm_loadout_store_new_for_path   (const char          *path);
QmLoadoutStore *qm_loadout_store_new_for_membership (const char      *membership_id);
const char     *qm_loadout_store_get_path       (QmLoadoutStore      *self);
gboolean        qm_loadout_store_get_damaged    (QmLoadoutStore      *self);
const char     *qm_loadout_store_get_damage_message (QmLoadoutStore  *self);
/* The user keeps what was read: the copy aside stays, the file is written
 * anew from now on. */
gboolean        qm_loadout_store_resolve_damage (QmLoadoutStore      *self,
                                                 GError             **error);

QmSavedLoadout *qm_loadout_store_find           (QmLoadoutStore      *self,
                                                 const char          *name_or_id);
/* Changes: each written to the file at once (refused while damaged). */
QmSavedLoadout *qm_loadout_store_create         (QmLoadoutStore      *self,
                                                 const char          *name,
                                                 int                  class_type,
                                                 const QmLoadoutItem *items,
                                                 guint                n_items,
                                                 GError             **error);
gboolean        qm_loadout_store_rename         (QmLoadoutStore      *self,
                                                 QmSavedLoadout      *loadout,
                                                 const char          *name,
                                                 GError             **error);
gboolean        qm_loadout_store_delete         (QmLoadoutStore      *self,
                                                 QmSavedLoadout      *loadout,
                                                 GError             **error);
/* Add or remove items (the window's drops), then saved. */
gboolean        qm_loadout_store_add_items      (QmLoadoutStore      *self,
                                                 QmSavedLoadout      *loadout,
                                                 const QmLoadoutItem *items,
                                                 guint                n_items,
                                                 GError             **error);
gboolean        qm_loadout_store_remove_item    (QmLoadoutStore      *self,
                                                 QmSavedLoadout      *loadout,
                                                 guint64              instance_id,
                                                 GError             **error);
/* One loadout as a file of its own (the same format, no undo), and back:
 * an imported loadout whose name is taken gets " (2)" … */
gboolean        qm_loadout_store_export         (QmLoadoutStore      *self,
                                                 QmSavedLoadout      *loadout,
                                                 const char          *path,
                                                 GError             **error);
QmSavedLoadout *qm_loadout_store_import         (QmLoadoutStore      *self,
                                                 const char          *path,
                                                 GError             **error);

/* The undo stack of @character_id, oldest first (borrowed; NULL: none). */
GPtrArray      *qm_loadout_store_get_undo       (QmLoadoutStore      *self,
                                                 guint64              character_id);
/* Push @entry (taken) onto the stack, dropping the oldest beyond the depth. */
gboolean        qm_loadout_store_push_undo      (QmLoadoutStore      *self,
                                                 guint64              character_id,
                                                 QmUndoEntry         *entry,
                                                 GError             **error);
/* Replace the top entry's items (the snapshot completed after the apply). */
gboolean        qm_loadout_store_update_undo_top (QmLoadoutStore     *self,
                                                 guint64              character_id,
                                                 const QmUndoEntry   *entry,
                                                 GError             **error);
/* Remove the entry at @index of the stack (an undo that went through). */
gboolean        qm_loadout_store_drop_undo      (QmLoadoutStore      *self,
                                                 guint64              character_id,
                                                 guint                index,
                                                 GError             **error);

G_END_DECLS
