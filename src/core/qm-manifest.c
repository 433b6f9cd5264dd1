/* qm-manifest.c: item definitions from Bungie's manifest
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-manifest"

#include "config.h"

#include <string.h>

#include "qm-manifest.h"

#include "qm-error.h"
#include "qm-json.h"

#define ITEM_TABLE "DestinyInventoryItemDefinition"
#define FALLBACK_LANGUAGE "en"

/* A loaded item table: compact definitions whose strings live in one chunk.
 * Built off the main thread, then handed over whole. */
typedef struct
{
  GHashTable       *by_hash;     /* GUINT_TO_POINTER (hash) -> QmItemDefinition* */
  QmItemDefinition *definitions;
  guint             n_definitions;
  GStringChunk     *strings;
} ItemTable;

struct _QmManifest
{
  GObject    parent_instance;

  ItemTable *items;
  char      *version;
  char      *table_path;  /* where the loaded item table came from */
};

G_DEFINE_FINAL_TYPE (QmManifest, qm_manifest, G_TYPE_OBJECT)

static void
item_table_free (ItemTable *table)
{
  g_hash_table_unref (table->by_hash);
  g_free (table->definitions);
  g_string_chunk_free (table->strings);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ItemTable, item_table_free)

static ItemTable *
item_table_new (guint n_definitions)
{
  ItemTable *table = g_new0 (ItemTable, 1);

  table->by_hash = g_hash_table_new (g_direct_hash, g_direct_equal);
  table->definitions = g_new0 (QmItemDefinition, MAX (n_definitions, 1));
  table->strings = g_string_chunk_new (64 * 1024);
  return table;
}

/* Interned copy of an optional string; empty strings count as absent. */
static const char *
intern (ItemTable  *table,
        const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  return g_string_chunk_insert_const (table->strings, text);
}

static guint32
definition_hash (const char *key,
                 JsonObject *definition)
{
  guint32 hash = qm_json_get_hash (definition, "hash");

  if (hash == 0 && qm_json_is_id_string (key))
    hash = (guint32) g_ascii_strtoull (key, NULL, 10);
  return hash;
}

static void
item_table_add (ItemTable  *table,
                const char *key,
                JsonObject *definition)
{
  JsonObject *display = qm_json_get_object (definition, "displayProperties");
  JsonObject *inventory = qm_json_get_object (definition, "inventory");
  QmItemDefinition *def = &table->definitions[table->n_definitions++];
  const char *name = qm_json_get_string (display, "name");

  def->hash = definition_hash (key, definition);
  /* A known definition always has a name, if only an empty one. */
  def->name = g_string_chunk_insert_const (table->strings, name != NULL ? name : "");
  def->item_type_name = intern (table, qm_json_get_string (definition, "itemTypeDisplayName"));
  def->tier_name = intern (table, qm_json_get_string (inventory, "tierTypeName"));
  def->tier_type = (int) qm_json_get_int (inventory, "tierType", 0);
  def->bucket_hash = qm_json_get_hash (inventory, "bucketTypeHash");
  def->class_type = (int) qm_json_get_int (definition, "classType", 3);
  def->item_type = (int) qm_json_get_int (definition, "itemType", 0);
  def->icon = intern (table, qm_json_get_string (display, "icon"));
  g_hash_table_insert (table->by_hash, GUINT_TO_POINTER (def->hash), def);
}

static gboolean
looks_like_html (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize i = 0;

  while (i < size && g_ascii_isspace (data[i]))
    i++;
  return i < size && data[i] == '<';
}

/* Pure: the hash-keyed table in @bytes as compact definitions. The JSON
 * tree is dropped once the needed fields are copied. */
static ItemTable *
item_table_load (GBytes  *bytes,
                 GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  ItemTable *table;
  JsonObject *object;

  if (looks_like_html (bytes))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                           "The item definitions came back as an HTML page instead of JSON");
      return NULL;
    }
  root = qm_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The item definitions are not a table keyed by hash");
      return NULL;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  table = item_table_new (json_object_get_size (object));
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *definition = qm_json_get_object (object, l->data);

      if (definition != NULL)
        item_table_add (table, l->data, definition);
    }
  return table;
}

static void
qm_manifest_finalize (GObject *object)
{
  QmManifest *self = QM_MANIFEST (object);

  g_clear_pointer (&self->items, item_table_free);
  g_free (self->version);
  g_free (self->table_path);

  G_OBJECT_CLASS (qm_manifest_parent_class)->finalize (object);
}

static void
qm_manifest_class_init (QmManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qm_manifest_finalize;
}

static void
qm_manifest_init (QmManifest *self)
{
}

QmManifest *
qm_manifest_new (void)
{
  return g_object_new (QM_TYPE_MANIFEST, NULL);
}

static void
replace_items (QmManifest *self,
               ItemTable  *table)
{
  g_clear_pointer (&self->items, item_table_free);
  self->items = table;
}

/**
 * qm_manifest_load_items:
 * @table: a DestinyInventoryItemDefinition table: a JSON object keyed by hash
 *
 * Pure: replaces the item definitions with those of @table. On error the
 * definitions held so far are kept.
 *
 * Returns: %TRUE on success; QM_CLIENT_ERROR_HTML_PAGE or _MALFORMED otherwise
 */
gboolean
qm_manifest_load_items (QmManifest  *self,
                        GBytes      *table,
                        GError     **error)
{
  ItemTable *items;

  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  items = item_table_load (table, error);
  if (items == NULL)
    return FALSE;
  replace_items (self, items);
  g_clear_pointer (&self->table_path, g_free);
  return TRUE;
}

typedef struct
{
  QmBungieClient *client;
  char           *language;
  char           *version;
  char           *table_path;
} UpdateData;

static void
update_data_free (gpointer data)
{
  UpdateData *update = data;

  g_clear_object (&update->client);
  g_free (update->language);
  g_free (update->version);
  g_free (update->table_path);
  g_free (update);
}

static void
load_table_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  ItemTable *table = item_table_load (task_data, &error);

  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) item_table_free);
}

static void
on_table_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmManifest *self = g_task_get_source_object (task);
  UpdateData *update = g_task_get_task_data (task);
  GError *error = NULL;
  ItemTable *table = g_task_propagate_pointer (G_TASK (result), &error);

  if (table == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  replace_items (self, table);
  g_free (self->version);
  self->version = g_steal_pointer (&update->version);
  g_free (self->table_path);
  self->table_path = g_steal_pointer (&update->table_path);
  g_debug ("Loaded %u item definitions (content version %s)",
           table->n_definitions, self->version);
  g_task_return_boolean (task, TRUE);
}

static void
on_table_fetched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) load = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = qm_bungie_client_fetch_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Parsing a table of tens of megabytes takes a while: keep the main loop free. */
  load = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                     on_table_loaded_cb, g_object_ref (task));
  g_task_set_source_tag (load, on_table_fetched_cb);
  g_task_set_task_data (load, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (load, load_table_thread);
}

/* The item table's path for @language (else English) in a DestinyManifest. */
static const char *
find_table_path (JsonObject *manifest,
                 const char *language)
{
  JsonObject *paths = qm_json_get_object (manifest, "jsonWorldComponentContentPaths");
  JsonObject *tables = qm_json_get_object (paths, language);
  const char *path = qm_json_get_string (tables, ITEM_TABLE);

  if (path == NULL)
    path = qm_json_get_string (qm_json_get_object (paths, FALLBACK_LANGUAGE), ITEM_TABLE);
  return path;
}

static void
on_manifest_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmManifest *self = g_task_get_source_object (task);
  UpdateData *update = g_task_get_task_data (task);
  g_autoptr(JsonNode) response = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  JsonObject *manifest;
  const char *path;

  response = qm_bungie_client_get_manifest_finish (update->client, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  manifest = JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  path = find_table_path (manifest, update->language);
  if (path == NULL)
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                               "The manifest lists no item definitions for language “%s”",
                               update->language);
      return;
    }

  update->version = g_strdup (qm_json_get_string (manifest, "version"));
  update->table_path = g_strdup (path);
  /* Content paths change with every content version: same path, same table. */
  if (self->items != NULL && g_strcmp0 (path, self->table_path) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  qm_bungie_client_fetch_async (update->client, path, cancellable,
                                on_table_fetched_cb, g_steal_pointer (&task));
}

/**
 * qm_manifest_update_async:
 * @language: (nullable): the definitions' language, e.g. "en" (the default)
 *
 * Asks for the manifest and downloads the item table when its content
 * version differs from the one loaded. The table is parsed in a worker thread.
 */
void
qm_manifest_update_async (QmManifest          *self,
                          QmBungieClient      *client,
                          const char          *language,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UpdateData *update;

  g_return_if_fail (QM_IS_MANIFEST (self));
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_manifest_update_async);
  update = g_new0 (UpdateData, 1);
  update->client = g_object_ref (client);
  update->language = g_strdup (language != NULL && *language != '\0' ? language : FALLBACK_LANGUAGE);
  g_task_set_task_data (task, update, update_data_free);

  qm_bungie_client_get_manifest_async (client, cancellable, on_manifest_cb, g_steal_pointer (&task));
}

gboolean
qm_manifest_update_finish (QmManifest    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * qm_manifest_lookup_item:
 *
 * Returns: (transfer none) (nullable): the definition of @hash, valid until
 *   the next load or update
 */
const QmItemDefinition *
qm_manifest_lookup_item (QmManifest *self,
                         guint32     hash)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);

  if (self->items == NULL)
    return NULL;
  return g_hash_table_lookup (self->items->by_hash, GUINT_TO_POINTER (hash));
}

guint
qm_manifest_get_n_items (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);

  return self->items != NULL ? g_hash_table_size (self->items->by_hash) : 0;
}

/**
 * qm_manifest_get_version:
 *
 * Returns: (nullable): the content version of the definitions loaded by
 *   qm_manifest_update_async()
 */
const char *
qm_manifest_get_version (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return self->version;
}

void
qm_manifest_apply (QmManifest *self,
                   QmItem     *item)
{
  const QmItemDefinition *def;

  g_return_if_fail (QM_IS_MANIFEST (self));
  g_return_if_fail (QM_IS_ITEM (item));

  def = qm_manifest_lookup_item (self, qm_item_get_hash (item));
  if (def == NULL)
    {
      qm_item_set_definition (item, NULL, NULL, NULL, 0, NULL, 3);
      return;
    }
  qm_item_set_definition (item, def->name, def->item_type_name, def->tier_name,
                          def->tier_type, def->icon, def->class_type);
}
