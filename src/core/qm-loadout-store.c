/* qm-loadout-store.c: the saved loadouts (ours) and the undo stacks, on disk
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadout-store"

#include "config.h"

#include "qm-loadout-store.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qm-cache-file.h"
#include "qm-json.h"

G_DEFINE_QUARK (qm-loadout-error-quark, qm_loadout_error)

#define FILE_VERSION 1

/* ------------------------------------------------------------------------
 * QmSavedLoadout
 * ------------------------------------------------------------------------ */

struct _QmSavedLoadout
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  int      class_type;
  GArray  *items;   /* QmLoadoutItem */
};

G_DEFINE_FINAL_TYPE (QmSavedLoadout, qm_saved_loadout, G_TYPE_OBJECT)

enum {
  LOADOUT_PROP_0,
  LOADOUT_PROP_ID,
  LOADOUT_PROP_NAME,
  LOADOUT_PROP_CLASS_TYPE,
  LOADOUT_PROP_N_ITEMS,
  LOADOUT_N_PROPS
};

enum {
  LOADOUT_SIGNAL_ITEMS_CHANGED,
  LOADOUT_N_SIGNALS
};

static GParamSpec *loadout_properties[LOADOUT_N_PROPS];
static guint loadout_signals[LOADOUT_N_SIGNALS];

static void
qm_saved_loadout_finalize (GObject *object)
{
  QmSavedLoadout *self = QM_SAVED_LOADOUT (object);

  g_free (self->id);
  g_free (self->name);
  g_array_unref (self->items);

  G_OBJECT_CLASS (qm_saved_loadout_parent_class)->finalize (object);
}

static void
qm_saved_loadout_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QmSavedLoadout *self = QM_SAVED_LOADOUT (object);

  switch (prop_id)
    {
    case LOADOUT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case LOADOUT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case LOADOUT_PROP_CLASS_TYPE:
      g_value_set_int (value, self->class_type);
      break;
    case LOADOUT_PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_saved_loadout_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QmSavedLoadout *self = QM_SAVED_LOADOUT (object);

  switch (prop_id)
    {
    case LOADOUT_PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case LOADOUT_PROP_NAME:
      if (g_strcmp0 (self->name, g_value_get_string (value)) != 0)
        {
          g_free (self->name);
          self->name = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case LOADOUT_PROP_CLASS_TYPE:
      if (self->class_type != g_value_get_int (value))
        {
          self->class_type = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_saved_loadout_class_init (QmSavedLoadoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_saved_loadout_finalize;
  object_class->get_property = qm_saved_loadout_get_property;
  object_class->set_property = qm_saved_loadout_set_property;

  loadout_properties[LOADOUT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  loadout_properties[LOADOUT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  loadout_properties[LOADOUT_PROP_CLASS_TYPE] =
    g_param_spec_int ("class-type", NULL, NULL, 0, 3, 3,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  loadout_properties[LOADOUT_PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, LOADOUT_N_PROPS, loadout_properties);

  loadout_signals[LOADOUT_SIGNAL_ITEMS_CHANGED] =
    g_signal_new ("items-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
qm_saved_loadout_init (QmSavedLoadout *self)
{
  self->class_type = 3;
  self->items = g_array_new (FALSE, TRUE, sizeof (QmLoadoutItem));
}

QmSavedLoadout *
qm_saved_loadout_new (const char *id,
                      const char *name,
                      int         class_type)
{
  g_autofree char *fresh = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (class_type >= 0 && class_type <= 3, NULL);

  if (id == NULL)
    id = fresh = g_uuid_string_random ();
  return g_object_new (QM_TYPE_SAVED_LOADOUT, "id", id, "name", name, "class-type", class_type, NULL);
}

const char *
qm_saved_loadout_get_id (QmSavedLoadout *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), NULL);
  return self->id;
}

const char *
qm_saved_loadout_get_name (QmSavedLoadout *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), NULL);
  return self->name;
}

int
qm_saved_loadout_get_class_type (QmSavedLoadout *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), 3);
  return self->class_type;
}

guint
qm_saved_loadout_get_n_items (QmSavedLoadout *self)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), 0);
  return self->items->len;
}

const QmLoadoutItem *
qm_saved_loadout_get_item (QmSavedLoadout *self,
                           guint           index)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, QmLoadoutItem, index);
}

gboolean
qm_saved_loadout_has_item (QmSavedLoadout *self,
                           guint64         instance_id)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), FALSE);

  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, QmLoadoutItem, i).instance_id == instance_id)
      return TRUE;
  return FALSE;
}

static void
items_changed (QmSavedLoadout *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), loadout_properties[LOADOUT_PROP_N_ITEMS]);
  g_signal_emit (self, loadout_signals[LOADOUT_SIGNAL_ITEMS_CHANGED], 0);
}

gboolean
qm_saved_loadout_add_item (QmSavedLoadout      *self,
                           const QmLoadoutItem *item)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (item->instance_id == 0 || qm_saved_loadout_has_item (self, item->instance_id) ||
      self->items->len >= QM_LOADOUT_MAX_ITEMS)
    return FALSE;
  g_array_append_vals (self->items, item, 1);
  items_changed (self);
  return TRUE;
}

gboolean
qm_saved_loadout_remove_item (QmSavedLoadout *self,
                              guint64         instance_id)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), FALSE);

  for (guint i = 0; i < self->items->len; i++)
    if (g_array_index (self->items, QmLoadoutItem, i).instance_id == instance_id)
      {
        g_array_remove_index (self->items, i);
        items_changed (self);
        return TRUE;
      }
  return FALSE;
}

gboolean
qm_saved_loadout_fits_class (QmSavedLoadout *self,
                             int             class_type)
{
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (self), FALSE);
  return self->class_type == 3 || self->class_type == class_type;
}

/* ------------------------------------------------------------------------
 * Undo entries
 * ------------------------------------------------------------------------ */

QmUndoEntry *
qm_undo_entry_new (const char *name,
                   gint64      time)
{
  QmUndoEntry *entry = g_new0 (QmUndoEntry, 1);

  entry->name = g_strdup (name != NULL ? name : "");
  entry->time = time;
  entry->items = g_array_new (FALSE, TRUE, sizeof (QmUndoItem));
  return entry;
}

QmUndoEntry *
qm_undo_entry_copy (const QmUndoEntry *entry)
{
  QmUndoEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = qm_undo_entry_new (entry->name, entry->time);
  g_array_append_vals (copy->items, entry->items->data, entry->items->len);
  return copy;
}

void
qm_undo_entry_free (QmUndoEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_array_unref (entry->items);
  g_free (entry);
}

char *
qm_undo_entry_dup_title (const QmUndoEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);
  /* Translators: an undo entry: where the items were before the loadout
   * of this name was applied */
  return g_strdup_printf (_("Before “%s”"), entry->name);
}

/* ------------------------------------------------------------------------
 * The file: parsing (pure) and writing
 * ------------------------------------------------------------------------ */

static guint64
parse_id (JsonObject *object,
          const char *member)
{
  g_autofree char *id = qm_json_dup_id (object, member);
  guint64 value = 0;

  if (id == NULL || !g_ascii_string_to_unsigned (id, 10, 0, G_MAXINT64, &value, NULL))
    return 0;
  return value;
}

static gboolean
valid_name (const char *name)
{
  return name != NULL && *name != '\0' && strlen (name) <= QM_LOADOUT_MAX_NAME &&
         g_utf8_validate (name, -1, NULL);
}

static QmSavedLoadout *
parse_loadout (JsonNode *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *id, *name;
  JsonArray *items;
  gint64 class_type;
  g_autoptr(QmSavedLoadout) loadout = NULL;

  if (object == NULL)
    return NULL;
  id = qm_json_get_string (object, "id");
  name = qm_json_get_string (object, "name");
  class_type = qm_json_get_int (object, "class", -1);
  items = qm_json_get_array (object, "items");
  if (!valid_name (id) || !valid_name (name) || class_type < 0 || class_type > 3 || items == NULL ||
      json_array_get_length (items) > QM_LOADOUT_MAX_ITEMS)
    return NULL;

  loadout = qm_saved_loadout_new (id, name, (int) class_type);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      QmLoadoutItem record = { 0 };

      if (item == NULL)
        return NULL;
      record.instance_id = parse_id (item, "id");
      record.hash = qm_json_get_hash (item, "hash");
      record.equip = qm_json_get_bool (item, "equip", FALSE);
      /* A duplicate is one item too many, not damage. */
      if (record.instance_id == 0)
        return NULL;
      if (!qm_saved_loadout_has_item (loadout, record.instance_id))
        g_array_append_val (loadout->items, record);
    }
  return g_steal_pointer (&loadout);
}

static const char * const place_names[] = { "equipped", "inventory", "vault" };

static QmUndoEntry *
parse_undo_entry (JsonNode *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *name;
  JsonArray *items;
  g_autoptr(QmUndoEntry) entry = NULL;

  if (object == NULL)
    return NULL;
  name = qm_json_get_string (object, "name");
  items = qm_json_get_array (object, "items");
  if (!valid_name (name) || items == NULL || json_array_get_length (items) > 1000)
    return NULL;
  entry = qm_undo_entry_new (name, qm_json_get_int (object, "time", 0));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      QmUndoItem record = { 0 };
      const char *place;

      if (item == NULL)
        return NULL;
      record.instance_id = parse_id (item, "id");
      record.hash = qm_json_get_hash (item, "hash");
      record.owner = parse_id (item, "owner");
      place = qm_json_get_string (item, "place");
      record.place = -1;
      for (guint p = 0; p < G_N_ELEMENTS (place_names); p++)
        if (g_strcmp0 (place, place_names[p]) == 0)
          record.place = (int) p;
      if (record.instance_id == 0 || record.place < 0 ||
          (record.place == QM_UNDO_PLACE_VAULT) != (record.owner == 0))
        return NULL;
      g_array_append_val (entry->items, record);
    }
  return g_steal_pointer (&entry);
}

static void
free_stack (gpointer data)
{
  g_ptr_array_unref (data);
}

static GHashTable *
undo_table_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_stack);
}

static GPtrArray *
undo_stack_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) qm_undo_entry_free);
}

static gboolean
damaged (GError    **error,
         const char *why)
{
  /* Translators: why the loadouts file cannot be read */
  g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED, _("The saved loadouts cannot be read: %s"), why);
  if (error != NULL && *error != NULL && !g_str_has_suffix ((*error)->message, "."))
    {
      char *full = g_strconcat ((*error)->message, ".", NULL);

      g_free ((*error)->message);
      (*error)->message = full;
    }
  return FALSE;
}

gboolean
qm_loadout_file_parse (const guint8  *data,
                       gsize          size,
                       GPtrArray    **loadouts,
                       GHashTable   **undo,
                       guint         *n_damaged,
                       GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) stacks = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonArray *array;
  JsonObject *undo_object;
  guint bad = 0;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);
  g_return_val_if_fail (loadouts != NULL, FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (size > QM_LOADOUT_MAX_FILE)
    return damaged (error, _("the file is too large."));
  if (size == 0)
    return damaged (error, _("the file is empty."));
  if (!g_utf8_validate ((const char *) data, (gssize) size, NULL))
    return damaged (error, _("the file is not text."));

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &local_error))
    return damaged (error, local_error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return damaged (error, _("the file does not hold loadouts."));
  object = json_node_get_object (root);
  if (qm_json_get_int (object, "version", 0) != FILE_VERSION)
    return damaged (error, _("the file is of an unknown version."));
  array = qm_json_get_array (object, "loadouts");
  if (array == NULL)
    return damaged (error, _("the file does not hold loadouts."));

  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      QmSavedLoadout *loadout = parse_loadout (json_array_get_element (array, i));
      gboolean duplicate = FALSE;

      for (guint j = 0; loadout != NULL && j < list->len; j++)
        duplicate |= g_strcmp0 (qm_saved_loadout_get_id (g_ptr_array_index (list, j)), loadout->id) == 0;
      if (loadout == NULL || duplicate)
        {
          g_clear_object (&loadout);
          bad++;
          continue;
        }
      g_ptr_array_add (list, loadout);
    }

  stacks = undo_table_new ();
  undo_object = qm_json_get_object (object, "undo");
  if (undo_object != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, undo_object);
      while (json_object_iter_next (&iter, &key, &value))
        {
          guint64 character = 0;
          JsonArray *entries = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;
          GPtrArray *stack;

          if (!g_ascii_string_to_unsigned (key, 10, 1, G_MAXINT64, &character, NULL) || entries == NULL ||
              g_hash_table_contains (stacks, &character))
            {
              bad++;
              continue;
            }
          stack = undo_stack_new ();
          for (guint i = 0; i < json_array_get_length (entries); i++)
            {
              QmUndoEntry *entry = parse_undo_entry (json_array_get_element (entries, i));

              if (entry == NULL)
                bad++;
              else
                g_ptr_array_add (stack, entry);
            }
          while (stack->len > QM_LOADOUT_UNDO_DEPTH)
            g_ptr_array_remove_index (stack, 0);
          g_hash_table_insert (stacks, g_memdup2 (&character, sizeof character), stack);
        }
    }
  else if (json_object_has_member (object, "undo"))
    bad++;

  if (n_damaged != NULL)
    *n_damaged = bad;
  *loadouts = g_steal_pointer (&list);
  *undo = g_steal_pointer (&stacks);
  return TRUE;
}

static void
set_id_member (JsonBuilder *builder,
               const char  *name,
               guint64      id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
build_loadout (JsonBuilder    *builder,
               QmSavedLoadout *loadout)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, loadout->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, loadout->name);
  json_builder_set_member_name (builder, "class");
  json_builder_add_int_value (builder, loadout->class_type);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < loadout->items->len; i++)
    {
      const QmLoadoutItem *item = &g_array_index (loadout->items, QmLoadoutItem, i);

      json_builder_begin_object (builder);
      set_id_member (builder, "id", item->instance_id);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_int_value (builder, item->hash);
      json_builder_set_member_name (builder, "equip");
      json_builder_add_boolean_value (builder, item->equip);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  guint64 x = **(guint64 * const *) a, y = **(guint64 * const *) b;

  return x < y ? -1 : x > y;
}

GBytes *
qm_loadout_file_serialize (GPtrArray  *loadouts,
                           GHashTable *undo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (loadouts != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "loadouts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < loadouts->len; i++)
    build_loadout (builder, g_ptr_array_index (loadouts, i));
  json_builder_end_array (builder);

  if (undo != NULL)
    {
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key_pointer;

      g_hash_table_iter_init (&iter, undo);
      while (g_hash_table_iter_next (&iter, &key_pointer, NULL))
        g_ptr_array_add (keys, key_pointer);

      g_ptr_array_sort (keys, compare_ids);
      json_builder_set_member_name (builder, "undo");
      json_builder_begin_object (builder);
      for (guint k = 0; k < keys->len; k++)
        {
          guint64 *character = g_ptr_array_index (keys, k);
          GPtrArray *stack = g_hash_table_lookup (undo, character);
          g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT, *character);

          json_builder_set_member_name (builder, key);
          json_builder_begin_array (builder);
          for (guint i = 0; i < stack->len; i++)
            {
              const QmUndoEntry *entry = g_ptr_array_index (stack, i);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, entry->name);
              json_builder_set_member_name (builder, "time");
              json_builder_add_int_value (builder, entry->time);
              json_builder_set_member_name (builder, "items");
              json_builder_begin_array (builder);
              for (guint j = 0; j < entry->items->len; j++)
                {
                  const QmUndoItem *item = &g_array_index (entry->items, QmUndoItem, j);

                  json_builder_begin_object (builder);
                  set_id_member (builder, "id", item->instance_id);
                  json_builder_set_member_name (builder, "hash");
                  json_builder_add_int_value (builder, item->hash);
                  json_builder_set_member_name (builder, "place");
                  json_builder_add_string_value (builder, place_names[CLAMP (item->place, 0, 2)]);
                  set_id_member (builder, "owner", item->owner);
                  json_builder_end_object (builder);
                }
              json_builder_end_array (builder);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return qm_json_to_bytes (root);
}

/* ------------------------------------------------------------------------
 * QmLoadoutStore
 * ------------------------------------------------------------------------ */

struct _QmLoadoutStore
{
  GObject     parent_instance;

  char       *path;
  GPtrArray  *loadouts;   /* QmSavedLoadout, sorted by name */
  GHashTable *undo;       /* guint64 * -> GPtrArray of QmUndoEntry */
  gboolean    damaged;
  char       *damage_message;
};

static void qm_loadout_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QmLoadoutStore, qm_loadout_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, qm_loadout_store_list_model_init))

enum {
  STORE_PROP_0,
  STORE_PROP_PATH,
  STORE_PROP_DAMAGED,
  STORE_PROP_DAMAGE_MESSAGE,
  STORE_N_PROPS
};

enum {
  STORE_SIGNAL_UNDO_CHANGED,
  STORE_N_SIGNALS
};

static GParamSpec *store_properties[STORE_N_PROPS];
static guint store_signals[STORE_N_SIGNALS];

static GType
qm_loadout_store_get_item_type (GListModel *model)
{
  return QM_TYPE_SAVED_LOADOUT;
}

static guint
qm_loadout_store_get_n_items (GListModel *model)
{
  return QM_LOADOUT_STORE (model)->loadouts->len;
}

static gpointer
qm_loadout_store_get_list_item (GListModel *model,
                                guint       position)
{
  QmLoadoutStore *self = QM_LOADOUT_STORE (model);

  if (position >= self->loadouts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->loadouts, position));
}

static void
qm_loadout_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = qm_loadout_store_get_item_type;
  iface->get_n_items = qm_loadout_store_get_n_items;
  iface->get_item = qm_loadout_store_get_list_item;
}

static void
qm_loadout_store_finalize (GObject *object)
{
  QmLoadoutStore *self = QM_LOADOUT_STORE (object);

  g_free (self->path);
  g_ptr_array_unref (self->loadouts);
  g_hash_table_unref (self->undo);
  g_free (self->damage_message);

  G_OBJECT_CLASS (qm_loadout_store_parent_class)->finalize (object);
}

static void
qm_loadout_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QmLoadoutStore *self = QM_LOADOUT_STORE (object);

  switch (prop_id)
    {
    case STORE_PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case STORE_PROP_DAMAGED:
      g_value_set_boolean (value, self->damaged);
      break;
    case STORE_PROP_DAMAGE_MESSAGE:
      g_value_set_string (value, self->damage_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_loadout_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QmLoadoutStore *self = QM_LOADOUT_STORE (object);

  switch (prop_id)
    {
    case STORE_PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void qm_loadout_store_load (QmLoadoutStore *self);

static void
qm_loadout_store_constructed (GObject *object)
{
  G_OBJECT_CLASS (qm_loadout_store_parent_class)->constructed (object);
  qm_loadout_store_load (QM_LOADOUT_STORE (object));
}

static void
qm_loadout_store_class_init (QmLoadoutStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_loadout_store_finalize;
  object_class->constructed = qm_loadout_store_constructed;
  object_class->get_property = qm_loadout_store_get_property;
  object_class->set_property = qm_loadout_store_set_property;

  store_properties[STORE_PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  store_properties[STORE_PROP_DAMAGED] =
    g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  store_properties[STORE_PROP_DAMAGE_MESSAGE] =
    g_param_spec_string ("damage-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, STORE_N_PROPS, store_properties);

  store_signals[STORE_SIGNAL_UNDO_CHANGED] =
    g_signal_new ("undo-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
qm_loadout_store_init (QmLoadoutStore *self)
{
  self->loadouts = g_ptr_array_new_with_free_func (g_object_unref);
  self->undo = undo_table_new ();
}

char *
qm_loadout_store_get_default_path (const char *membership_id)
{
  g_autofree char *name = NULL;

  if (!qm_json_is_id_string (membership_id) || membership_id[0] == '-')
    return NULL;
  name = g_strconcat (membership_id, ".json", NULL);
  return g_build_filename (g_get_user_data_dir (), "quartermaster", "loadouts", name, NULL);
}

QmLoadoutStore *
qm_loadout_store_new_for_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return g_object_new (QM_TYPE_LOADOUT_STORE, "path", path, NULL);
}

QmLoadoutStore *
qm_loadout_store_new_for_membership (const char *membership_id)
{
  g_autofree char *path = qm_loadout_store_get_default_path (membership_id);

  g_return_val_if_fail (path != NULL, NULL);
  return qm_loadout_store_new_for_path (path);
}

const char *
qm_loadout_store_get_path (QmLoadoutStore *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  return self->path;
}

gboolean
qm_loadout_store_get_damaged (QmLoadoutStore *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  return self->damaged;
}

const char *
qm_loadout_store_get_damage_message (QmLoadoutStore *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  return self->damage_message;
}

static int
compare_loadouts (gconstpointer a,
                  gconstpointer b)
{
  QmSavedLoadout *x = *(QmSavedLoadout * const *) a, *y = *(QmSavedLoadout * const *) b;
  g_autofree char *kx = g_utf8_collate_key (x->name, -1);
  g_autofree char *ky = g_utf8_collate_key (y->name, -1);
  int c = strcmp (kx, ky);

  return c != 0 ? c : strcmp (x->id, y->id);
}

/* Sort again and tell the views: everything may have moved. */
static void
resort (QmLoadoutStore *self,
        guint           old_n)
{
  g_ptr_array_sort (self->loadouts, compare_loadouts);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->loadouts->len);
}

/* Keep the damaged file as it was, next to it, and say where. */
static char *
copy_aside (QmLoadoutStore *self,
            const guint8   *data,
            gsize           size)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autoptr(GError) error = NULL;

  for (int n = 0; n < 100; n++)
    {
      g_autofree char *aside = n == 0 ? g_strdup_printf ("%s.damaged-%s", self->path, stamp) :
                               g_strdup_printf ("%s.damaged-%s-%d", self->path, stamp, n);

      if (g_file_test (aside, G_FILE_TEST_EXISTS))
        continue;
      if (g_file_set_contents_full (aside, (const char *) data, (gssize) size,
                                    G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &error))
        return g_steal_pointer (&aside);
      g_warning ("Could not keep a copy of the damaged loadouts file: %s", error->message);
      return NULL;
    }
  return NULL;
}

static void
set_damaged (QmLoadoutStore *self,
             const char     *message)
{
  self->damaged = message != NULL;
  g_free (self->damage_message);
  self->damage_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), store_properties[STORE_PROP_DAMAGED]);
  g_object_notify_by_pspec (G_OBJECT (self), store_properties[STORE_PROP_DAMAGE_MESSAGE]);
}

static void
qm_loadout_store_load (QmLoadoutStore *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loadouts = NULL;
  g_autoptr(GHashTable) undo = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *message = NULL;
  const guint8 *data;
  gsize size = 0;
  guint n_damaged = 0;

  bytes = qm_cache_file_read (self->path, QM_LOADOUT_MAX_FILE + 1, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return;
      /* Unreadable (not a regular file, no permission): leave it alone,
       * write nothing over it. */
      message = g_strdup_printf (_("The saved loadouts in %s cannot be read: %s. Nothing is written over "
                                   "the file until you decide."), self->path, error->message);
      set_damaged (self, message);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (!qm_loadout_file_parse (data, size, &loadouts, &undo, &n_damaged, &error))
    {
      aside = copy_aside (self, data, size);
      /* Translators: the error, then the path of the copy */
      message = g_strdup_printf (_("%s A copy of the file as it was is kept in %s. Nothing is written over "
                                   "the file until you decide."), error->message, aside != NULL ? aside : self->path);
      set_damaged (self, message);
      return;
    }

  g_ptr_array_extend_and_steal (self->loadouts, g_steal_pointer (&loadouts));
  g_hash_table_unref (self->undo);
  self->undo = g_steal_pointer (&undo);
  g_ptr_array_sort (self->loadouts, compare_loadouts);
  if (n_damaged > 0)
    {
      aside = copy_aside (self, data, size);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u entry of the saved loadouts cannot be read; the others are shown. "
                                              "A copy of the file as it was is kept in %s. Nothing is written over "
                                              "the file until you decide.",
                                              "%u entries of the saved loadouts cannot be read; the others are shown. "
                                              "A copy of the file as it was is kept in %s. Nothing is written over "
                                              "the file until you decide.", n_damaged),
                                 n_damaged, aside != NULL ? aside : self->path);
      set_damaged (self, message);
    }
}

static gboolean
check_writable (QmLoadoutStore *self,
                GError        **error)
{
  if (!self->damaged)
    return TRUE;
  g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_READ_ONLY, "%s", self->damage_message);
  return FALSE;
}

static gboolean
write_file (QmLoadoutStore *self,
            GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  if (!check_writable (self, error))
    return FALSE;

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The loadouts could not be saved: %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  bytes = qm_loadout_file_serialize (self->loadouts, self->undo);
  data = g_bytes_get_data (bytes, &size);
  /* A temporary file, fsync, rename: the old file or the new, whole. */
  if (!g_file_set_contents_full (self->path, data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The loadouts could not be saved: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
qm_loadout_store_resolve_damage (QmLoadoutStore *self,
                                 GError        **error)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);

  if (!self->damaged)
    return TRUE;
  set_damaged (self, NULL);
  return write_file (self, error);
}

QmSavedLoadout *
qm_loadout_store_find (QmLoadoutStore *self,
                       const char     *name_or_id)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  g_return_val_if_fail (name_or_id != NULL, NULL);

  for (guint i = 0; i < self->loadouts->len; i++)
    {
      QmSavedLoadout *loadout = g_ptr_array_index (self->loadouts, i);

      if (g_strcmp0 (loadout->id, name_or_id) == 0)
        return loadout;
    }
  for (guint i = 0; i < self->loadouts->len; i++)
    {
      QmSavedLoadout *loadout = g_ptr_array_index (self->loadouts, i);

      if (g_strcmp0 (loadout->name, name_or_id) == 0)
        return loadout;
    }
  return NULL;
}

static gboolean
check_name (QmLoadoutStore *self,
            QmSavedLoadout *except,
            const char     *name,
            GError        **error)
{
  QmSavedLoadout *other;
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (!valid_name (name) || stripped[0] == '\0')
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_INVALID, _("A loadout needs a name."));
      return FALSE;
    }
  for (guint i = 0; i < self->loadouts->len; i++)
    {
      other = g_ptr_array_index (self->loadouts, i);
      if (other != except && g_strcmp0 (other->name, name) == 0)
        {
          g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_EXISTS,
                       _("There is a loadout named “%s” already."), name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
owns (QmLoadoutStore *self,
      QmSavedLoadout *loadout,
      GError        **error)
{
  guint index;

  if (g_ptr_array_find (self->loadouts, loadout, &index))
    return TRUE;
  g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_NOT_FOUND, _("That loadout no longer exists."));
  return FALSE;
}

QmSavedLoadout *
qm_loadout_store_create (QmLoadoutStore      *self,
                         const char          *name,
                         int                  class_type,
                         const QmLoadoutItem *items,
                         guint                n_items,
                         GError             **error)
{
  g_autoptr(QmSavedLoadout) loadout = NULL;
  guint old_n;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  g_return_val_if_fail (items != NULL || n_items == 0, NULL);
  g_return_val_if_fail (class_type >= 0 && class_type <= 3, NULL);

  if (!check_writable (self, error) || !check_name (self, NULL, name, error))
    return NULL;
  if (n_items > QM_LOADOUT_MAX_ITEMS)
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_INVALID,
                   _("A loadout holds at most %d items."), QM_LOADOUT_MAX_ITEMS);
      return NULL;
    }
  loadout = qm_saved_loadout_new (NULL, name, class_type);
  for (guint i = 0; i < n_items; i++)
    if (items[i].instance_id != 0 && !qm_saved_loadout_has_item (loadout, items[i].instance_id))
      g_array_append_vals (loadout->items, &items[i], 1);

  old_n = self->loadouts->len;
  g_ptr_array_add (self->loadouts, g_object_ref (loadout));
  if (!write_file (self, error))
    {
      g_ptr_array_remove (self->loadouts, loadout);
      return NULL;
    }
  resort (self, old_n);
  return loadout;
}

gboolean
qm_loadout_store_rename (QmLoadoutStore *self,
                         QmSavedLoadout *loadout,
                         const char     *name,
                         GError        **error)
{
  g_autofree char *old = NULL;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), FALSE);

  if (!check_writable (self, error) || !owns (self, loadout, error) ||
      !check_name (self, loadout, name, error))
    return FALSE;
  old = g_steal_pointer (&loadout->name);
  loadout->name = g_strdup (name);
  if (!write_file (self, error))
    {
      g_free (loadout->name);
      loadout->name = g_steal_pointer (&old);
      return FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (loadout), loadout_properties[LOADOUT_PROP_NAME]);
  resort (self, self->loadouts->len);
  return TRUE;
}

gboolean
qm_loadout_store_delete (QmLoadoutStore *self,
                         QmSavedLoadout *loadout,
                         GError        **error)
{
  guint index;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), FALSE);

  if (!check_writable (self, error) || !owns (self, loadout, error))
    return FALSE;
  g_ptr_array_find (self->loadouts, loadout, &index);
  g_object_ref (loadout);
  g_ptr_array_remove_index (self->loadouts, index);
  if (!write_file (self, error))
    {
      g_ptr_array_insert (self->loadouts, (int) index, loadout);
      return FALSE;
    }
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
  g_object_unref (loadout);
  return TRUE;
}

gboolean
qm_loadout_store_add_items (QmLoadoutStore      *self,
                            QmSavedLoadout      *loadout,
                            const QmLoadoutItem *items,
                            guint                n_items,
                            GError             **error)
{
  guint old_len;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), FALSE);
  g_return_val_if_fail (items != NULL || n_items == 0, FALSE);

  if (!check_writable (self, error) || !owns (self, loadout, error))
    return FALSE;
  old_len = loadout->items->len;
  for (guint i = 0; i < n_items; i++)
    if (items[i].instance_id != 0 && !qm_saved_loadout_has_item (loadout, items[i].instance_id))
      {
        if (loadout->items->len >= QM_LOADOUT_MAX_ITEMS)
          {
            g_array_set_size (loadout->items, old_len);
            g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_INVALID,
                         _("A loadout holds at most %d items."), QM_LOADOUT_MAX_ITEMS);
            return FALSE;
          }
        g_array_append_vals (loadout->items, &items[i], 1);
      }
  if (loadout->items->len == old_len)
    return TRUE;
  if (!write_file (self, error))
    {
      g_array_set_size (loadout->items, old_len);
      return FALSE;
    }
  items_changed (loadout);
  return TRUE;
}

gboolean
qm_loadout_store_remove_item (QmLoadoutStore *self,
                              QmSavedLoadout *loadout,
                              guint64         instance_id,
                              GError        **error)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), FALSE);

  if (!check_writable (self, error) || !owns (self, loadout, error))
    return FALSE;
  for (guint i = 0; i < loadout->items->len; i++)
    {
      QmLoadoutItem item = g_array_index (loadout->items, QmLoadoutItem, i);

      if (item.instance_id != instance_id)
        continue;
      g_array_remove_index (loadout->items, i);
      if (!write_file (self, error))
        {
          g_array_insert_val (loadout->items, i, item);
          return FALSE;
        }
      items_changed (loadout);
      return TRUE;
    }
  return TRUE;
}

gboolean
qm_loadout_store_export (QmLoadoutStore *self,
                         QmSavedLoadout *loadout,
                         const char     *path,
                         GError        **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_ptr_array_add (one, loadout);
  bytes = qm_loadout_file_serialize (one, NULL);
  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents_full (path, data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                 &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The loadout could not be exported: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

QmSavedLoadout *
qm_loadout_store_import (QmLoadoutStore *self,
                         const char     *path,
                         GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) loadouts = NULL;
  g_autoptr(GHashTable) undo = NULL;
  g_autofree char *name = NULL;
  QmSavedLoadout *imported;
  const guint8 *data;
  gsize size = 0;
  guint n_damaged = 0;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!check_writable (self, error))
    return NULL;
  bytes = qm_cache_file_read (path, QM_LOADOUT_MAX_FILE + 1, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED, _("The loadout could not be imported: %s"),
                   local_error->message);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  if (!qm_loadout_file_parse (data, size, &loadouts, &undo, &n_damaged, &local_error))
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED, _("The loadout could not be imported: %s"),
                   local_error->message);
      return NULL;
    }
  if (loadouts->len != 1 || n_damaged > 0)
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED,
                   _("The loadout could not be imported: the file does not hold exactly one loadout."));
      return NULL;
    }

  imported = g_ptr_array_index (loadouts, 0);
  name = g_strdup (imported->name);
  for (int n = 2; qm_loadout_store_find (self, name) != NULL && n < 1000; n++)
    {
      g_free (name);
      /* Translators: a loadout's name made unique, e.g. "Raid (2)" */
      name = g_strdup_printf (_("%s (%d)"), imported->name, n);
    }
  return qm_loadout_store_create (self, name, imported->class_type, (const QmLoadoutItem *) imported->items->data,
                                  imported->items->len, error);
}

/* ------------------------------------------------------------------------
 * Undo stacks
 * ------------------------------------------------------------------------ */

GPtrArray *
qm_loadout_store_get_undo (QmLoadoutStore *self,
                           guint64         character_id)
{
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), NULL);
  return g_hash_table_lookup (self->undo, &character_id);
}

gboolean
qm_loadout_store_push_undo (QmLoadoutStore *self,
                            guint64         character_id,
                            QmUndoEntry    *entry,
                            GError        **error)
{
  g_autoptr(QmUndoEntry) owned = entry;
  GPtrArray *stack;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  stack = g_hash_table_lookup (self->undo, &character_id);
  if (stack == NULL)
    {
      stack = undo_stack_new ();
      g_hash_table_insert (self->undo, g_memdup2 (&character_id, sizeof character_id), stack);
    }
  g_ptr_array_add (stack, g_steal_pointer (&owned));
  while (stack->len > QM_LOADOUT_UNDO_DEPTH)
    g_ptr_array_remove_index (stack, 0);
  g_signal_emit (self, store_signals[STORE_SIGNAL_UNDO_CHANGED], 0, character_id);
  return write_file (self, error);
}

gboolean
qm_loadout_store_update_undo_top (QmLoadoutStore    *self,
                                  guint64            character_id,
                                  const QmUndoEntry *entry,
                                  GError           **error)
{
  GPtrArray *stack;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  stack = g_hash_table_lookup (self->undo, &character_id);
  if (stack == NULL || stack->len == 0)
    return qm_loadout_store_push_undo (self, character_id, qm_undo_entry_copy (entry), error);
  qm_undo_entry_free (g_ptr_array_index (stack, stack->len - 1));
  g_ptr_array_index (stack, stack->len - 1) = qm_undo_entry_copy (entry);
  g_signal_emit (self, store_signals[STORE_SIGNAL_UNDO_CHANGED], 0, character_id);
  return write_file (self, error);
}

gboolean
qm_loadout_store_drop_undo (QmLoadoutStore *self,
                            guint64         character_id,
                            guint           index,
                            GError        **error)
{
  GPtrArray *stack;

  g_return_val_if_fail (QM_IS_LOADOUT_STORE (self), FALSE);

  if (!check_writable (self, error))
    return FALSE;
  stack = g_hash_table_lookup (self->undo, &character_id);
  if (stack == NULL || index >= stack->len)
    return TRUE;
  g_ptr_array_remove_index (stack, index);
  g_signal_emit (self, store_signals[STORE_SIGNAL_UNDO_CHANGED], 0, character_id);
  return write_file (self, error);
}
