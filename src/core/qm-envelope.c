/* qm-envelope.c: Bungie's response envelope, decoded from bytes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-envelope"

#include "config.h"

#include "qm-envelope.h"

#include <libsoup/soup.h>
#include <string.h>

#include "qm-error.h"
#include "qm-json.h"

/* Longest piece of server-provided text copied into an error message. */
#define MAX_TEXT_CHARS 200

void
qm_envelope_info_clear (QmEnvelopeInfo *info)
{
  g_return_if_fail (info != NULL);

  g_clear_pointer (&info->error_status, g_free);
  g_clear_pointer (&info->message, g_free);
  info->error_code = 0;
  info->throttle_seconds = 0;
}

static gboolean
status_is_success (guint http_status)
{
  return http_status >= 200 && http_status < 300;
}

/* "503 Service Unavailable", or just "503" for a status without a phrase. */
static char *
describe_status (guint http_status)
{
  const char *phrase = soup_status_get_phrase (http_status);

  if (phrase == NULL || *phrase == '\0' || http_status == 0)
    return g_strdup_printf ("%u", http_status);
  return g_strdup_printf ("%u %s", http_status, phrase);
}

/* Text from the network made fit for a message: valid UTF-8, no control
 * characters, runs of white space collapsed, at most MAX_TEXT_CHARS long. */
static char *
sanitize_text (const char *text,
               gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  guint n_chars = 0;
  const char *p;

  for (p = valid; *p != '\0' && n_chars < MAX_TEXT_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n_chars++;
    }
  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

static const char *
skip_space (const char *data,
            gsize      *size)
{
  /* A UTF-8 byte order mark is allowed before the document. */
  if (*size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      *size -= 3;
    }
  while (*size > 0 && g_ascii_isspace (*data))
    {
      data++;
      (*size)--;
    }
  return data;
}

/**
 * qm_content_type_is_html:
 *
 * Whether a Content-Type names an HTML page (an error page where data was
 * expected).
 */
gboolean
qm_content_type_is_html (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strncasecmp (content_type, "text/html", 9) == 0 ||
          g_ascii_strncasecmp (content_type, "application/xhtml", 17) == 0);
}

static const char *
find_ascii_nocase (const char *data,
                   gsize       size,
                   const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= size; i++)
    if (g_ascii_strncasecmp (data + i, needle, n) == 0)
      return data + i;
  return NULL;
}

/* The text of the page's <title>, sanitized, or NULL. */
static char *
html_title (const char *data,
            gsize       size)
{
  const char *end = data + size;
  const char *start = find_ascii_nocase (data, size, "<title");
  const char *stop;
  g_autofree char *title = NULL;

  if (start == NULL)
    return NULL;
  start = memchr (start, '>', end - start);
  if (start == NULL)
    return NULL;
  start++;
  stop = find_ascii_nocase (start, end - start, "</title");
  if (stop == NULL)
    stop = end;

  title = sanitize_text (start, stop - start);
  if (*title == '\0')
    return NULL;
  return g_steal_pointer (&title);
}

static void
set_html_error (const char *data,
                gsize       size,
                guint       http_status,
                GError    **error)
{
  g_autofree char *title = html_title (data, size);

  if (title != NULL)
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                 "Bungie.net answered with a web page instead of data (HTTP %u, “%s”): "
                 "the service may be down",
                 http_status, title);
  else
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                 "Bungie.net answered with a web page instead of data (HTTP %u): "
                 "the service may be down",
                 http_status);
}

static void
set_http_error (guint        http_status,
                const char  *detail,
                GError     **error)
{
  g_autofree char *status = describe_status (http_status);
  int code = QM_CLIENT_ERROR_HTTP;

  if (http_status == 401 || http_status == 403)
    code = QM_CLIENT_ERROR_UNAUTHORIZED;

  if (detail != NULL && *detail != '\0')
    g_set_error (error, QM_CLIENT_ERROR, code,
                 "Bungie.net answered HTTP %s: %s", status, detail);
  else if (code == QM_CLIENT_ERROR_UNAUTHORIZED)
    g_set_error (error, QM_CLIENT_ERROR, code,
                 "Bungie.net refused the request (HTTP %s): sign in again", status);
  else
    g_set_error (error, QM_CLIENT_ERROR, code,
                 "Bungie.net answered HTTP %s without data", status);
}

static gboolean
is_envelope (JsonObject *object)
{
  JsonNode *code = json_object_get_member (object, "ErrorCode");

  return code != NULL &&
         JSON_NODE_HOLDS_VALUE (code) &&
         json_node_get_value_type (code) == G_TYPE_INT64;
}

static void
read_info (JsonObject     *object,
           QmEnvelopeInfo *info)
{
  gint64 code = qm_json_get_int (object, "ErrorCode", 0);
  gint64 throttle = qm_json_get_int (object, "ThrottleSeconds", 0);
  const char *status = qm_json_get_string (object, "ErrorStatus");
  const char *message = qm_json_get_string (object, "Message");

  info->error_code = (int) CLAMP (code, G_MININT, G_MAXINT);
  info->throttle_seconds = (int) CLAMP (throttle, 0, G_MAXINT);
  info->error_status = status != NULL ? sanitize_text (status, -1) : NULL;
  info->message = message != NULL ? sanitize_text (message, -1) : NULL;
}

static void
set_platform_error (const QmEnvelopeInfo *info,
                    GError              **error)
{
  const char *name = qm_platform_error_code_name (info->error_code);
  const char *message = info->message;

  if (name == NULL)
    name = info->error_status;
  if (message == NULL || *message == '\0')
    message = "Bungie.net reported an error";

  if (name != NULL && *name != '\0')
    g_set_error (error, QM_PLATFORM_ERROR, info->error_code,
                 "%s (%s, error %d)", message, name, info->error_code);
  else
    g_set_error (error, QM_PLATFORM_ERROR, info->error_code,
                 "%s (error %d)", message, info->error_code);
}

static JsonNode *
decode_envelope (JsonObject     *object,
                 QmEnvelopeInfo *info,
                 GError        **error)
{
  JsonNode *response;

  read_info (object, info);
  if (info->error_code != QM_PLATFORM_ERROR_SUCCESS)
    {
      set_platform_error (info, error);
      return NULL;
    }

  response = json_object_get_member (object, "Response");
  if (response == NULL)
    return json_node_new (JSON_NODE_NULL);
  /* A shallow copy: containers are shared, not duplicated. */
  return json_node_copy (response);
}

/* The maintenance answer {error, error_description}, as DIM reads it. */
static gboolean
decode_error_object (JsonObject *object,
                     guint       http_status,
                     GError    **error)
{
  const char *kind = qm_json_get_string (object, "error");
  const char *description = qm_json_get_string (object, "error_description");
  g_autofree char *detail = NULL;

  if (kind == NULL && description == NULL)
    return FALSE;

  if (g_strcmp0 (description, "SystemDisabled") == 0)
    {
      g_set_error (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_SYSTEM_DISABLED,
                   "Bungie.net is down for maintenance (SystemDisabled, error %d)",
                   QM_PLATFORM_ERROR_SYSTEM_DISABLED);
      return TRUE;
    }

  detail = sanitize_text (description != NULL ? description : kind, -1);
  if (status_is_success (http_status))
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP,
                 "Bungie.net reported an error: %s", detail);
  else
    set_http_error (http_status, detail, error);
  return TRUE;
}

static void
decode_other_json (JsonNode *root,
                   guint     http_status,
                   GError  **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if (object != NULL && decode_error_object (object, http_status, error))
    return;
  if (!status_is_success (http_status))
    set_http_error (http_status, NULL, error);
  else
    g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                         "Bungie.net answered with data that is not a response envelope");
}

static void
decode_unparsable (const char *data,
                   guint       http_status,
                   GError     *parse_error,
                   GError    **error)
{
  /* Plain text with a failure status says more as an HTTP error than as bad JSON. */
  if (!status_is_success (http_status) && data[0] != '{' && data[0] != '[')
    set_http_error (http_status, NULL, error);
  else
    g_propagate_error (error, g_error_copy (parse_error));
}

JsonNode *
qm_envelope_parse (GBytes         *body,
                   guint           http_status,
                   const char     *content_type,
                   QmEnvelopeInfo *info,
                   GError        **error)
{
  QmEnvelopeInfo local_info = { 0 };
  g_autoptr(GBytes) trimmed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *start = NULL;
  const char *data = NULL;
  gsize size = 0;
  JsonNode *result = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info != NULL)
    memset (info, 0, sizeof *info);
  if (body != NULL)
    start = g_bytes_get_data (body, &size);
  if (start != NULL)
    data = skip_space (start, &size);

  if (size == 0)
    {
      if (!status_is_success (http_status))
        set_http_error (http_status, NULL, error);
      else
        g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                             "Bungie.net sent an empty response");
      return NULL;
    }
  if (data[0] == '<')
    {
      set_html_error (data, size, http_status, error);
      return NULL;
    }

  trimmed = g_bytes_new_from_bytes (body, data - start, size);
  root = qm_json_parse_bytes (trimmed, &parse_error);
  if (root == NULL && qm_content_type_is_html (content_type))
    set_html_error (data, size, http_status, error);
  else if (root == NULL)
    decode_unparsable (data, http_status, parse_error, error);
  else if (JSON_NODE_HOLDS_OBJECT (root) && is_envelope (json_node_get_object (root)))
    result = decode_envelope (json_node_get_object (root),
                              info != NULL ? info : &local_info, error);
  else
    decode_other_json (root, http_status, error);

  qm_envelope_info_clear (&local_info);
  return result;
}
