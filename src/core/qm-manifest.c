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
#define VENDOR_TABLE "DestinyVendorDefinition"
#define DESTINATION_TABLE "DestinyDestinationDefinition"
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

  ItemTable  *items;
  char       *version;
  char       *table_path;  /* where the loaded item table came from */
  GHashTable *vendor_locations;  /* vendor hash -> GArray of destination hashes */
  GHashTable *destinations;      /* destination hash -> name */
  char       *vendor_path;
  char       *destination_path;
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
  g_clear_pointer (&self->vendor_locations, g_hash_table_unref);
  g_clear_pointer (&self->destinations, g_hash_table_unref);
  g_free (self->vendor_path);
  g_free (self->destination_path);

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

/* A hash-keyed definition table as a JSON object. */
static JsonNode *
definition_table_parse (GBytes     *bytes,
                        const char *what,
                        GError    **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (looks_like_html (bytes))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                   "The %s came back as an HTML page instead of JSON", what);
      return NULL;
    }
  root = qm_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The %s are not a table keyed by hash", what);
      return NULL;
    }
  return g_steal_pointer (&root);
}

static GArray *
vendor_location_hashes (JsonObject *definition)
{
  JsonArray *locations = qm_json_get_array (definition, "locations");
  guint n = locations != NULL ? json_array_get_length (locations) : 0;
  GArray *hashes = g_array_sized_new (FALSE, TRUE, sizeof (guint32), n);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (locations, i);
      JsonObject *location = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      guint32 hash = qm_json_get_hash (location, "destinationHash");

      g_array_append_val (hashes, hash);
    }
  return hashes;
}

static GHashTable *
vendor_table_load (GBytes  *bytes,
                   GError **error)
{
  g_autoptr(JsonNode) root = definition_table_parse (bytes, "vendor definitions", error);
  g_autoptr(GList) members = NULL;
  GHashTable *table;
  JsonObject *object;

  if (root == NULL)
    return NULL;
  table = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_array_unref);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *definition = qm_json_get_object (object, l->data);

      if (definition != NULL)
        g_hash_table_insert (table, GUINT_TO_POINTER (definition_hash (l->data, definition)),
                             vendor_location_hashes (definition));
    }
  return table;
}

static GHashTable *
destination_table_load (GBytes  *bytes,
                        GError **error)
{
  g_autoptr(JsonNode) root = definition_table_parse (bytes, "destination definitions", error);
  g_autoptr(GList) members = NULL;
  GHashTable *table;
  JsonObject *object;

  if (root == NULL)
    return NULL;
  table = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *definition = qm_json_get_object (object, l->data);
      const char *name = qm_json_get_string (qm_json_get_object (definition, "displayProperties"), "name");

      if (definition != NULL && name != NULL && *name != '\0')
        g_hash_table_insert (table, GUINT_TO_POINTER (definition_hash (l->data, definition)),
                             g_strdup (name));
    }
  return table;
}

/**
 * qm_manifest_load_vendors:
 * @table: a DestinyVendorDefinition table: a JSON object keyed by hash
 *
 * Pure: replaces the vendors' locations with those of @table. On error the
 * ones held so far are kept.
 */
gboolean
qm_manifest_load_vendors (QmManifest  *self,
                          GBytes      *table,
                          GError     **error)
{
  GHashTable *vendors;

  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  vendors = vendor_table_load (table, error);
  if (vendors == NULL)
    return FALSE;
  g_clear_pointer (&self->vendor_locations, g_hash_table_unref);
  self->vendor_locations = vendors;
  return TRUE;
}

/**
 * qm_manifest_load_destinations:
 * @table: a DestinyDestinationDefinition table: a JSON object keyed by hash
 *
 * Pure: replaces the destination names with those of @table. On error the
 * ones held so far are kept.
 */
gboolean
qm_manifest_load_destinations (QmManifest  *self,
                               GBytes      *table,
                               GError     **error)
{
  GHashTable *destinations;

  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  destinations = destination_table_load (table, error);
  if (destinations == NULL)
    return FALSE;
  g_clear_pointer (&self->destinations, g_hash_table_unref);
  self->destinations = destinations;
  return TRUE;
}

guint32
qm_manifest_lookup_vendor_location (QmManifest *self,
                                    guint32     vendor_hash,
                                    int         index)
{
  GArray *hashes;

  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);

  if (self->vendor_locations == NULL || index < 0)
    return 0;
  hashes = g_hash_table_lookup (self->vendor_locations, GUINT_TO_POINTER (vendor_hash));
  if (hashes == NULL || (guint) index >= hashes->len)
    return 0;
  return g_array_index (hashes, guint32, index);
}

/**
 * qm_manifest_lookup_destination_name:
 *
 * Returns: (nullable): the name of destination @hash
 */
const char *
qm_manifest_lookup_destination_name (QmManifest *self,
                                     guint32     hash)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);

  if (self->destinations == NULL || hash == 0)
    return NULL;
  return g_hash_table_lookup (self->destinations, GUINT_TO_POINTER (hash));
}

typedef struct
{
  QmBungieClient *client;
  char           *language;
  char           *version;
  char           *table_path;
  char           *vendor_path;
  char           *destination_path;
  int             step;  /* the optional table being fetched */
} UpdateData;

static void
update_data_free (gpointer data)
{
  UpdateData *update = data;

  g_clear_object (&update->client);
  g_free (update->language);
  g_free (update->version);
  g_free (update->table_path);
  g_free (update->vendor_path);
  g_free (update->destination_path);
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

/* Optional tables: vendors (for their locations), then destinations. A
 * missing or broken one is skipped: locations are then unknown. */
enum { OPTIONAL_VENDORS, OPTIONAL_DESTINATIONS, N_OPTIONAL };

static void fetch_optional_tables (GTask *task);

static const char *
optional_path (QmManifest *self,
               UpdateData *update)
{
  const char *wanted = update->step == OPTIONAL_VENDORS ? update->vendor_path : update->destination_path;
  const char *loaded = update->step == OPTIONAL_VENDORS ? self->vendor_path : self->destination_path;

  return g_strcmp0 (wanted, loaded) != 0 ? wanted : NULL;
}

static void
load_optional_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  UpdateData *update = g_task_get_task_data (g_object_get_data (G_OBJECT (task), "update"));
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "bytes");
  GError *error = NULL;
  GHashTable *table;

  if (update->step == OPTIONAL_VENDORS)
    table = vendor_table_load (bytes, &error);
  else
    table = destination_table_load (bytes, &error);
  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) g_hash_table_unref);
}

static void
install_optional (QmManifest *self,
                  UpdateData *update,
                  GHashTable *table)
{
  GHashTable **slot = update->step == OPTIONAL_VENDORS ? &self->vendor_locations : &self->destinations;
  char **path = update->step == OPTIONAL_VENDORS ? &self->vendor_path : &self->destination_path;
  char *wanted = g_strdup (optional_path (self, update));

  g_clear_pointer (slot, g_hash_table_unref);
  *slot = table;
  g_free (*path);
  *path = wanted;
}

static void
on_optional_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmManifest *self = g_task_get_source_object (task);
  UpdateData *update = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GHashTable *table = g_task_propagate_pointer (G_TASK (result), &error);

  if (table == NULL)
    g_debug ("Skipping a definition table: %s", error->message);
  else
    install_optional (self, update, table);
  update->step++;
  fetch_optional_tables (g_steal_pointer (&task));
}

static void
on_optional_fetched_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UpdateData *update = g_task_get_task_data (task);
  g_autoptr(GTask) load = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = qm_bungie_client_fetch_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  if (bytes == NULL)
    {
      g_debug ("Skipping a definition table: %s", error->message);
      g_clear_error (&error);
      update->step++;
      fetch_optional_tables (g_steal_pointer (&task));
      return;
    }

  load = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                     on_optional_loaded_cb, g_object_ref (task));
  g_task_set_source_tag (load, on_optional_fetched_cb);
  g_object_set_data_full (G_OBJECT (load), "update", g_object_ref (task), g_object_unref);
  g_object_set_data_full (G_OBJECT (load), "bytes", g_steal_pointer (&bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (load, load_optional_thread);
}

static void
fetch_optional_tables (GTask *task)
{
  QmManifest *self = g_task_get_source_object (task);
  UpdateData *update = g_task_get_task_data (task);
  const char *path = NULL;

  while (update->step < N_OPTIONAL && (path = optional_path (self, update)) == NULL)
    update->step++;
  if (path == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  qm_bungie_client_fetch_async (update->client, path, g_task_get_cancellable (task),
                                on_optional_fetched_cb, task);
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
  fetch_optional_tables (g_steal_pointer (&task));
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

/* @table's path for @language (else English) in a DestinyManifest. */
static const char *
find_table_path (JsonObject *manifest,
                 const char *language,
                 const char *table)
{
  JsonObject *paths = qm_json_get_object (manifest, "jsonWorldComponentContentPaths");
  JsonObject *tables = qm_json_get_object (paths, language);
  const char *path = qm_json_get_string (tables, table);

  if (path == NULL)
    path = qm_json_get_string (qm_json_get_object (paths, FALLBACK_LANGUAGE), table);
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
  path = find_table_path (manifest, update->language, ITEM_TABLE);
  if (path == NULL)
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                               "The manifest lists no item definitions for language “%s”",
                               update->language);
      return;
    }

  update->version = g_strdup (qm_json_get_string (manifest, "version"));
  update->table_path = g_strdup (path);
  update->vendor_path = g_strdup (find_table_path (manifest, update->language, VENDOR_TABLE));
  update->destination_path = g_strdup (find_table_path (manifest, update->language, DESTINATION_TABLE));
  /* Content paths change with every content version: same path, same table. */
  if (self->items != NULL && g_strcmp0 (path, self->table_path) == 0)
    {
      fetch_optional_tables (g_steal_pointer (&task));
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
