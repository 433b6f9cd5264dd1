/* qm-json.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-json"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qm-error.h"
#include "qm-json.h"
#include "qm-json-scan.h"

JsonNode *
qm_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The response was empty");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The response is not valid JSON (%s)", local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The response was empty");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

JsonObject *
qm_json_get_object (JsonObject *object,
                    const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
qm_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
qm_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
qm_json_get_int (JsonObject *object,
                 const char *name,
                 gint64      fallback)
{
  JsonNode *node = member (object, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return qm_json_double_to_int64 (json_node_get_double (node));
  if (qm_json_node_get_id (node, &value))
    return value;
  return fallback;
}

gboolean
qm_json_get_bool (JsonObject *object,
                  const char *name,
                  gboolean    fallback)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

double
qm_json_get_double (JsonObject *object,
                    const char *name,
                    double      fallback)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return fallback;
}

guint32
qm_json_get_hash (JsonObject *object,
                  const char *name)
{
  gint64 value = qm_json_get_int (object, name, 0);

  /* Hashes are uint32; a signed-int32 form (SQLite ids) is folded back. */
  if (value < 0 && value >= G_MININT32)
    value += G_GINT64_CONSTANT (4294967296);
  if (value < 0 || value > G_MAXUINT32)
    return 0;
  return (guint32) value;
}

gboolean
qm_json_is_id_string (const char *text)
{
  const char *p = text;
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*p == '-')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  errno = 0;
  (void) g_ascii_strtoll (text, &end, 10);
  return errno == 0 && end != NULL && *end == '\0';
}

gboolean
qm_json_node_get_id (JsonNode *node,
                     gint64   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_STRING:
      if (!qm_json_is_id_string (json_node_get_string (node)))
        return FALSE;
      *out = g_ascii_strtoll (json_node_get_string (node), NULL, 10);
      return TRUE;
    default:
      return FALSE;
    }
}

char *
qm_json_node_dup_id (JsonNode *node)
{
  gint64 value;

  /* Keep the digits Bungie sent: uint64-sized ids survive as strings. */
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      const char *p = text;

      if (*p == '-')
        p++;
      if (*p == '\0')
        return NULL;
      for (; *p; p++)
        if (!g_ascii_isdigit (*p))
          return NULL;
      return g_strdup (text);
    }
  if (!qm_json_node_get_id (node, &value))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

char *
qm_json_dup_id (JsonObject *object,
                const char *name)
{
  return qm_json_node_dup_id (member (object, name));
}

JsonObject *
qm_json_path_object (JsonObject *object,
                     ...)
{
  va_list args;
  const char *name;

  va_start (args, object);
  while (object != NULL && (name = va_arg (args, const char *)) != NULL)
    object = qm_json_get_object (object, name);
  va_end (args);

  return object;
}

char *
qm_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  return json_to_string (node, pretty);
}

GBytes *
qm_json_to_bytes (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static JsonNode *
deep_copy_array (JsonArray *array)
{
  guint n = json_array_get_length (array);
  JsonArray *copy = json_array_sized_new (n);
  JsonNode *node = json_node_alloc ();

  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, qm_json_node_deep_copy (json_array_get_element (array, i)));
  json_node_init_array (node, copy);
  json_array_unref (copy);
  return node;
}

/* A new mutable node: json_node_copy() keeps the source's immutability. */
static JsonNode *
copy_value (JsonNode *node)
{
  g_auto(GValue) value = G_VALUE_INIT;
  JsonNode *copy = json_node_init (json_node_alloc (), JSON_NODE_VALUE);

  json_node_get_value (node, &value);
  json_node_set_value (copy, &value);
  return copy;
}

static JsonNode *
deep_copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonNode *node = json_node_alloc ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, qm_json_node_deep_copy (member));
  json_node_init_object (node, copy);
  json_object_unref (copy);
  return node;
}

JsonNode *
qm_json_node_deep_copy (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return deep_copy_object (json_node_get_object (node));
    case JSON_NODE_ARRAY:
      return deep_copy_array (json_node_get_array (node));
    case JSON_NODE_VALUE:
      return copy_value (node);
    case JSON_NODE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}
