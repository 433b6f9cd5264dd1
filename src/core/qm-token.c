/* qm-token.c: what a sign-in yields, and what the keyring keeps
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-token"

#include "config.h"

#include "qm-token.h"

#include <string.h>

#include "qm-error.h"
#include "qm-json.h"

/* The format of the keyring's JSON; bump it when the shape changes. */
#define TOKEN_GENERATION 1
/* Refresh a little before the server's deadline: clocks and requests take time. */
#define EXPIRY_MARGIN_S  60

G_DEFINE_BOXED_TYPE (QmToken, qm_token, qm_token_copy, qm_token_free)

/* A plain memset before free may be optimised away; a volatile write is not. */
void
qm_secret_free (char *text)
{
  volatile char *p = text;

  if (text == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (text);
}

static void
free_secret (char **slot)
{
  g_clear_pointer (slot, qm_secret_free);
}

QmToken *
qm_token_new (QmTokenKind kind)
{
  QmToken *token = g_new0 (QmToken, 1);

  token->kind = kind;
  return token;
}

QmToken *
qm_token_copy (const QmToken *token)
{
  QmToken *copy;

  g_return_val_if_fail (token != NULL, NULL);

  copy = qm_token_new (token->kind);
  copy->access_token = g_strdup (token->access_token);
  copy->access_expires = token->access_expires;
  copy->refresh_token = g_strdup (token->refresh_token);
  copy->refresh_expires = token->refresh_expires;
  copy->membership_id = g_strdup (token->membership_id);
  copy->bungled = g_strdup (token->bungled);
  copy->bungleatk = g_strdup (token->bungleatk);
  copy->bungledid = g_strdup (token->bungledid);
  return copy;
}

void
qm_token_free (QmToken *token)
{
  if (token == NULL)
    return;

  free_secret (&token->access_token);
  free_secret (&token->refresh_token);
  free_secret (&token->bungled);
  free_secret (&token->bungleatk);
  free_secret (&token->bungledid);
  g_free (token->membership_id);
  g_free (token);
}

static gboolean
looks_like_html (GBytes *body)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  gsize i = 0;

  while (i < size && g_ascii_isspace (data[i]))
    i++;
  return i < size && data[i] == '<';
}

static gint64
expiry_from (JsonObject *object,
             const char *member,
             gint64      now)
{
  gint64 seconds = qm_json_get_int (object, member, 0);

  /* Bounded so that a hostile answer cannot overflow the sum. */
  if (seconds <= 0)
    return 0;
  return now + MIN (seconds, G_MAXINT32);
}

static void
set_response_error (JsonObject  *object,
                    GError     **error)
{
  const char *code = qm_json_get_string (object, "error");
  const char *description = qm_json_get_string (object, "error_description");

  if (code != NULL)
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                 "The token endpoint refused: %s%s%s%s", code,
                 description != NULL ? " (" : "",
                 description != NULL ? description : "",
                 description != NULL ? ")" : "");
  else
    g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                         "The token endpoint's answer has no access token");
}

/* A credential goes into an HTTP header (Authorization: Bearer, Cookie) and
 * into the keyring's JSON. JSON escapes can smuggle in what neither takes:
 * control characters and line breaks (a header of its own), or bytes that
 * are not UTF-8 (json-glib reads "\\611" as the byte 0x89; such a token
 * could be read from the keyring but not written back). */
static gboolean
credential_is_valid (const char *value)
{
  if (value == NULL)
    return TRUE;
  if (*value == '\0' || !g_utf8_validate (value, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
credentials_are_valid (const QmToken *token)
{
  return credential_is_valid (token->access_token) && credential_is_valid (token->refresh_token) &&
         credential_is_valid (token->bungled) && credential_is_valid (token->bungleatk) &&
         credential_is_valid (token->bungledid);
}

/**
 * qm_token_new_from_response:
 * @body: the token endpoint's answer
 * @now: the current time, unix seconds
 * @error: return location for a #GError
 *
 * Pure: decodes {access_token, token_type, expires_in, refresh_token,
 * refresh_expires_in, membership_id}.
 *
 * Returns: (transfer full) (nullable): an OAuth token, or %NULL with
 *   QM_CLIENT_ERROR_MALFORMED (or HTML_PAGE for an HTML page)
 */
QmToken *
qm_token_new_from_response (GBytes  *body,
                            gint64   now,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(QmToken) token = NULL;
  JsonObject *object;
  const char *access;
  const char *type;

  g_return_val_if_fail (body != NULL, NULL);

  if (looks_like_html (body))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                           "The token endpoint answered with a web page instead of tokens");
      return NULL;
    }
  root = qm_json_parse_bytes (body, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The token endpoint's answer is not a JSON object");
      return NULL;
    }

  object = json_node_get_object (root);
  access = qm_json_get_string (object, "access_token");
  if (access == NULL || *access == '\0')
    {
      set_response_error (object, error);
      return NULL;
    }
  type = qm_json_get_string (object, "token_type");
  if (type != NULL && g_ascii_strcasecmp (type, "Bearer") != 0)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The token endpoint issued an unsupported token type “%s”", type);
      return NULL;
    }

  token = qm_token_new (QM_TOKEN_KIND_OAUTH);
  token->access_token = g_strdup (access);
  token->access_expires = expiry_from (object, "expires_in", now);
  token->refresh_token = g_strdup (qm_json_get_string (object, "refresh_token"));
  if (token->refresh_token != NULL)
    token->refresh_expires = expiry_from (object, "refresh_expires_in", now);
  token->membership_id = qm_json_dup_id (object, "membership_id");
  if (!credentials_are_valid (token))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The token endpoint issued a token with characters no token has");
      return NULL;
    }
  return g_steal_pointer (&token);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  if (value == 0)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static const char *
kind_to_string (QmTokenKind kind)
{
  return kind == QM_TOKEN_KIND_PSN_COOKIES ? "psn" : "oauth";
}

/**
 * qm_token_serialize:
 * @token: a token
 *
 * The keyring's form: a JSON object with a "generation" member. The result
 * holds secrets: wipe it before freeing.
 *
 * Returns: (transfer full): the JSON text
 */
char *
qm_token_serialize (const QmToken *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (token != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generation");
  json_builder_add_int_value (builder, TOKEN_GENERATION);
  add_string (builder, "kind", kind_to_string (token->kind));
  add_string (builder, "access_token", token->access_token);
  add_int (builder, "access_expires", token->access_expires);
  add_string (builder, "refresh_token", token->refresh_token);
  add_int (builder, "refresh_expires", token->refresh_expires);
  add_string (builder, "membership_id", token->membership_id);
  add_string (builder, "bungled", token->bungled);
  add_string (builder, "bungleatk", token->bungleatk);
  add_string (builder, "bungledid", token->bungledid);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return qm_json_to_string (root, FALSE);
}

static gboolean
check_generation (JsonObject  *object,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, "generation");
  gint64 generation;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The saved sign-in has no format generation");
      return FALSE;
    }
  generation = json_node_get_int (node);
  if (generation != TOKEN_GENERATION)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The saved sign-in has format generation %" G_GINT64_FORMAT
                   ", this version of Quartermaster reads generation %d",
                   generation, TOKEN_GENERATION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_kind (JsonObject  *object,
            QmTokenKind *kind,
            GError     **error)
{
  const char *text = qm_json_get_string (object, "kind");

  if (g_strcmp0 (text, "oauth") == 0)
    *kind = QM_TOKEN_KIND_OAUTH;
  else if (g_strcmp0 (text, "psn") == 0)
    *kind = QM_TOKEN_KIND_PSN_COOKIES;
  else
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The saved sign-in is of an unknown kind");
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_complete (const QmToken *token)
{
  if (token->kind == QM_TOKEN_KIND_PSN_COOKIES)
    return token->bungled != NULL && token->bungleatk != NULL;
  return token->access_token != NULL;
}

/**
 * qm_token_deserialize:
 * @text: the keyring's JSON
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with
 *   QM_CLIENT_ERROR_MALFORMED (also for an unknown format generation)
 */
QmToken *
qm_token_deserialize (const char  *text,
                      GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(QmToken) token = NULL;
  JsonObject *object;
  QmTokenKind kind;

  g_return_val_if_fail (text != NULL, NULL);

  bytes = g_bytes_new_static (text, strlen (text));
  root = qm_json_parse_bytes (bytes, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The saved sign-in is not a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!check_generation (object, error) || !parse_kind (object, &kind, error))
    return NULL;

  token = qm_token_new (kind);
  token->access_token = g_strdup (qm_json_get_string (object, "access_token"));
  token->access_expires = qm_json_get_int (object, "access_expires", 0);
  token->refresh_token = g_strdup (qm_json_get_string (object, "refresh_token"));
  token->refresh_expires = qm_json_get_int (object, "refresh_expires", 0);
  token->membership_id = qm_json_dup_id (object, "membership_id");
  token->bungled = g_strdup (qm_json_get_string (object, "bungled"));
  token->bungleatk = g_strdup (qm_json_get_string (object, "bungleatk"));
  token->bungledid = g_strdup (qm_json_get_string (object, "bungledid"));
  if (!is_complete (token))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The saved sign-in is missing its credentials");
      return NULL;
    }
  if (!credentials_are_valid (token))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The saved sign-in holds credentials with characters no credential has");
      return NULL;
    }
  return g_steal_pointer (&token);
}

static gboolean
expired (gint64 expires,
         gint64 now)
{
  return expires != 0 && now + EXPIRY_MARGIN_S >= expires;
}

gboolean
qm_token_access_expired (const QmToken *token,
                         gint64         now)
{
  g_return_val_if_fail (token != NULL, TRUE);

  return expired (token->access_expires, now);
}

gboolean
qm_token_refresh_expired (const QmToken *token,
                          gint64         now)
{
  g_return_val_if_fail (token != NULL, TRUE);

  return expired (token->refresh_expires, now);
}
