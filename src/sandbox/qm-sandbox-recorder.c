/* qm-sandbox-recorder.c: the sandbox's traffic log
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sandbox-recorder"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "qm-sandbox-recorder.h"

struct _QmSandboxRecorder
{
  char *path;
  FILE *file;
};

static const char * const secret_headers[] = {
  "Authorization", "Cookie", "X-API-Key", "x-csrf", NULL
};

/* Form fields and query parameters. Not secrets but private all the same:
 * the PSN e-mail address (j_username) and OAuth's state, which ties a
 * callback to the sign-in that asked for it. */
static const char * const secret_fields[] = {
  "j_password", "client_secret", "code", "refresh_token", "access_token",
  "j_username", "state", NULL
};

gboolean
qm_sandbox_recorder_is_secret_header (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; secret_headers[i] != NULL; i++)
    if (g_ascii_strcasecmp (secret_headers[i], name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
qm_sandbox_recorder_is_secret_field (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return g_strv_contains (secret_fields, name);
}

/**
 * qm_sandbox_recorder_new:
 * @path: the file to append to (created when missing)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a recorder, or %NULL when @path cannot be opened.
 */
QmSandboxRecorder *
qm_sandbox_recorder_new (const char  *path,
                         GError     **error)
{
  QmSandboxRecorder *recorder;
  struct stat st;
  FILE *file;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* The player's profile and the sign-in traffic: readable by the user
   * only, also when appending to a file made with looser permissions. */
  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0 ||
      (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 077) != 0 &&
       fchmod (fd, st.st_mode & 0700) != 0) ||
      (file = fdopen (fd, "a")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot open the record file %s: %s", path, g_strerror (saved));
      return NULL;
    }

  recorder = g_new0 (QmSandboxRecorder, 1);
  recorder->path = g_strdup (path);
  recorder->file = file;
  return recorder;
}

void
qm_sandbox_recorder_free (QmSandboxRecorder *recorder)
{
  if (recorder == NULL)
    return;
  fclose (recorder->file);
  g_free (recorder->path);
  g_free (recorder);
}

const char *
qm_sandbox_recorder_get_path (QmSandboxRecorder *recorder)
{
  g_return_val_if_fail (recorder != NULL, NULL);

  return recorder->path;
}

static JsonNode *
headers_node (SoupMessageHeaders *headers)
{
  g_autoptr(JsonObject) object = json_object_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;
  JsonNode *node;

  if (headers != NULL)
    {
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        json_object_set_string_member (object, name,
                                       qm_sandbox_recorder_is_secret_header (name)
                                       ? QM_SANDBOX_REDACTED : value);
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/* Form fields (or query parameters) as an object, secrets redacted. */
static JsonObject *
form_object (const char *encoded)
{
  g_autoptr(GHashTable) fields = soup_form_decode (encoded);
  g_autofree const char **keys = NULL;
  JsonObject *object = json_object_new ();
  guint n_keys = 0;

  keys = (const char **) g_hash_table_get_keys_as_array (fields, &n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *value = g_hash_table_lookup (fields, keys[i]);

      json_object_set_string_member (object, keys[i],
                                     qm_sandbox_recorder_is_secret_field (keys[i])
                                     ? QM_SANDBOX_REDACTED : value);
    }
  return object;
}

static gboolean
is_type (const char *content_type,
         const char *expected)
{
  return content_type != NULL &&
         g_ascii_strncasecmp (content_type, expected, strlen (expected)) == 0;
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonNode *
request_node (const QmSandboxExchange *exchange)
{
  gsize size = 0;
  const char *data;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (exchange->request_body == NULL)
    return json_node_new (JSON_NODE_NULL);
  data = g_bytes_get_data (exchange->request_body, &size);
  if (size == 0)
    return json_node_new (JSON_NODE_NULL);

  if (is_type (exchange->request_type, "application/x-www-form-urlencoded"))
    {
      text = g_strndup (data, size);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, form_object (text));
      return node;
    }
  node = parse_json (exchange->request_body);
  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

/* The token endpoint hands out secrets in its body. */
static void
redact_response (JsonNode *node)
{
  static const char * const members[] = { "access_token", "refresh_token", NULL };
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  for (guint i = 0; members[i] != NULL; i++)
    if (json_object_has_member (object, members[i]))
      json_object_set_string_member (object, members[i], QM_SANDBOX_REDACTED);
}

static char *
redacted_url (const QmSandboxExchange *exchange)
{
  g_autoptr(GString) url = g_string_new (exchange->path);
  g_auto(GStrv) pairs = NULL;

  if (exchange->query == NULL || *exchange->query == '\0')
    return g_string_free (g_steal_pointer (&url), FALSE);

  /* Keep the parameters in their order; only secret values change. */
  pairs = g_strsplit (exchange->query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *eq = strchr (pairs[i], '=');

      name = eq != NULL ? g_strndup (pairs[i], eq - pairs[i]) : g_strdup (pairs[i]);
      g_string_append_c (url, i == 0 ? '?' : '&');
      if (eq != NULL && qm_sandbox_recorder_is_secret_field (name))
        g_string_append_printf (url, "%s=%s", name, QM_SANDBOX_REDACTED);
      else
        g_string_append (url, pairs[i]);
    }
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static gboolean
holds_tokens (GBytes *body)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0)
    return FALSE;
  return g_strstr_len (data, size, "\"access_token\"") != NULL ||
         g_strstr_len (data, size, "\"refresh_token\"") != NULL;
}

/* A known-good JSON body goes into the line as it is: parsing and
 * serializing a whole profile again would only cost time. */
static gboolean
can_splice (const QmSandboxExchange *exchange)
{
  gsize size = 0;
  const char *data;

  if (!exchange->response_is_json || holds_tokens (exchange->response_body))
    return FALSE;
  data = g_bytes_get_data (exchange->response_body, &size);
  return size > 0 && memchr (data, '\n', size) == NULL;
}

static char *
splice_response (char   *line,
                 GBytes *body)
{
  GString *text = g_string_new (line);
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  g_assert (text->len > 0 && text->str[text->len - 1] == '}');
  g_string_truncate (text, text->len - 1);
  g_string_append (text, ",\"response\":");
  g_string_append_len (text, data, size);
  g_string_append_c (text, '}');
  g_free (line);
  return g_string_free (text, FALSE);
}

char *
qm_sandbox_recorder_format (const QmSandboxExchange *exchange)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  JsonNode *response = NULL;
  gboolean splice = FALSE;

  g_return_val_if_fail (exchange != NULL, NULL);
  g_return_val_if_fail (exchange->method != NULL && exchange->path != NULL, NULL);

  url = redacted_url (exchange);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, exchange->method);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  if (exchange->host != NULL)
    {
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, exchange->host);
    }
  json_builder_set_member_name (builder, "headers");
  json_builder_add_value (builder, headers_node (exchange->headers));
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, request_node (exchange));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, exchange->status);

  if (exchange->status != 0 && exchange->response_body != NULL &&
      is_type (exchange->response_type, "application/json"))
    {
      splice = can_splice (exchange);
      if (!splice)
        response = parse_json (exchange->response_body);
    }
  if (response != NULL)
    {
      redact_response (response);
      json_builder_set_member_name (builder, "response");
      json_builder_add_value (builder, response);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  if (splice)
    return splice_response (json_to_string (root, FALSE), exchange->response_body);
  return json_to_string (root, FALSE);
}

gboolean
qm_sandbox_recorder_write (QmSandboxRecorder       *recorder,
                           const QmSandboxExchange *exchange,
                           GError                 **error)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (recorder != NULL, FALSE);
  g_return_val_if_fail (exchange != NULL, FALSE);

  line = qm_sandbox_recorder_format (exchange);
  /* One write per line, flushed: a crash leaves only whole lines behind. */
  if (fprintf (recorder->file, "%s\n", line) < 0 || fflush (recorder->file) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot write to the record file %s: %s", recorder->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
