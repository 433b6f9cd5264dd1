/* qm-sandbox-approve.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sandbox-approve"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "qm-sandbox-approve.h"

#define APPROVE_TIMEOUT_SECONDS 30

typedef struct
{
  SoupSession *session;
  char        *authorize_uri;
  gboolean     approve;
} Approval;

static void
approval_free (Approval *approval)
{
  g_clear_object (&approval->session);
  g_free (approval->authorize_uri);
  g_free (approval);
}

/* The entities g_markup_escape_text() writes, and numeric references. */
static char *
decode_entities (const char *text)
{
  static const struct { const char *entity; char c; } named[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
  };
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      gboolean decoded = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (named) && !decoded; i++)
        if (g_str_has_prefix (text, named[i].entity))
          {
            g_string_append_c (out, named[i].c);
            text += strlen (named[i].entity);
            decoded = TRUE;
          }
      if (!decoded && g_str_has_prefix (text, "&#"))
        {
          gboolean hex = text[2] == 'x' || text[2] == 'X';
          char *end = NULL;
          guint64 code = g_ascii_strtoull (text + (hex ? 3 : 2), &end, hex ? 16 : 10);

          if (end != NULL && *end == ';' && code > 0 && code <= 0x10FFFF)
            {
              g_string_append_unichar (out, (gunichar) code);
              text = end + 1;
              decoded = TRUE;
            }
        }
      if (!decoded)
        g_string_append_c (out, *text++);
    }
  return g_string_free (out, FALSE);
}

/* The value of attribute @name in the tag @tag, decoded (NULL when absent). */
static char *
tag_attribute (const char *tag,
               const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s\\s*=\\s*\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);
  return decode_entities (raw);
}

static void
collect_hidden_input (const char *tag,
                      GHashTable *fields)
{
  g_autofree char *type = tag_attribute (tag, "type");
  g_autofree char *name = tag_attribute (tag, "name");
  g_autofree char *value = tag_attribute (tag, "value");

  if (g_strcmp0 (type, "hidden") == 0 && name != NULL)
    g_hash_table_replace (fields, g_steal_pointer (&name),
                          value != NULL ? g_steal_pointer (&value) : g_strdup (""));
}

gboolean
qm_sandbox_parse_authorize_form (const char  *html,
                                 char       **action,
                                 GHashTable **fields)
{
  g_autoptr(GRegex) form_regex = NULL;
  g_autoptr(GRegex) input_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autofree char *form_tag = NULL;
  g_autofree char *form_body = NULL;

  g_return_val_if_fail (html != NULL, FALSE);
  g_return_val_if_fail (action != NULL && fields != NULL, FALSE);

  form_regex = g_regex_new ("(<form\\b[^>]*>)(.*?)</form>", G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  if (!g_regex_match (form_regex, html, 0, &match))
    return FALSE;
  form_tag = g_match_info_fetch (match, 1);
  form_body = g_match_info_fetch (match, 2);
  g_clear_pointer (&match, g_match_info_unref);

  found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  input_regex = g_regex_new ("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_regex_match (input_regex, form_body, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);

      collect_hidden_input (tag, found);
      g_match_info_next (match, NULL);
    }

  *action = tag_attribute (form_tag, "action");
  if (*action == NULL)
    *action = g_strdup ("");
  *fields = g_steal_pointer (&found);
  return TRUE;
}

static gboolean
is_loopback_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  if (host == NULL)
    return FALSE;
  return g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (!SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (msg)) || location == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "The sandbox did not redirect after the authorize form (HTTP %u)",
                               soup_message_get_status (msg));
      return;
    }
  g_task_return_pointer (task, g_strdup (location), g_free);
}

static SoupMessage *
approve_message_new (Approval    *approval,
                     const char  *action,
                     GHashTable  *fields,
                     GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;

  target = g_uri_resolve_relative (approval->authorize_uri, action, G_URI_FLAGS_NONE, error);
  if (target == NULL)
    return NULL;
  if (!is_loopback_uri (target))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "The authorize form posts to a host other than the sandbox");
      return NULL;
    }
  g_hash_table_replace (fields, g_strdup ("approve"), g_strdup (approval->approve ? "1" : "0"));
  msg = soup_message_new ("POST", target);
  if (msg == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "The authorize form has an invalid action");
      return NULL;
    }
  form = soup_form_encode_hash (fields);
  body = g_bytes_new (form, strlen (form));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  /* The redirect goes to quartermaster://: it is the answer, not a place to go. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return msg;
}

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Approval *approval = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  g_autofree char *html = NULL;
  g_autofree char *action = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  html = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (soup_message_get_status (msg) != SOUP_STATUS_OK ||
      !qm_sandbox_parse_authorize_form (html, &action, &fields))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "The sandbox did not show its authorize form (HTTP %u)",
                               soup_message_get_status (msg));
      return;
    }
  post = approve_message_new (approval, action, fields, &error);
  if (post == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  soup_session_send_and_read_async (approval->session, post, G_PRIORITY_DEFAULT, cancellable,
                                    on_approved_cb, g_steal_pointer (&task));
}

void
qm_sandbox_approve_async (const char          *authorize_uri,
                          gboolean             approve,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Approval *approval;

  g_return_if_fail (authorize_uri != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_sandbox_approve_async);
  if (!is_loopback_uri (authorize_uri) || (msg = soup_message_new ("GET", authorize_uri)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               "Only a sandbox on loopback can be approved without a browser");
      return;
    }

  approval = g_new0 (Approval, 1);
  approval->session = soup_session_new_with_options ("timeout", APPROVE_TIMEOUT_SECONDS,
                                                     "proxy-resolver", NULL,
                                                     NULL);
  approval->authorize_uri = g_strdup (authorize_uri);
  approval->approve = approve;
  g_task_set_task_data (task, approval, (GDestroyNotify) approval_free);
  soup_session_send_and_read_async (approval->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_page_loaded_cb, g_steal_pointer (&task));
}

char *
qm_sandbox_approve_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_sandbox_approve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
