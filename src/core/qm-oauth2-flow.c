/* qm-oauth2-flow.c: Bungie's OAuth2 authorization-code flow
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser is opened on Bungie's authorize page with a fresh random state;
 * the redirect comes back through GApplication::open on the custom scheme and
 * its code is exchanged at the token endpoint, on a SoupSession of its own
 * (no cookie jar, nothing shared with the API session).
 */

#define G_LOG_DOMAIN "qm-oauth2-flow"

#include "config.h"

#include "qm-oauth2-flow.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/random.h>

#include "qm-auth-manager.h"
#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"

#define STATE_BYTES       32
#define TOKEN_TIMEOUT_S   30
#define AUTHORIZE_PATH    "/en/OAuth/Authorize"
#define TOKEN_PATH        "/Platform/App/OAuth/token/"
#define MAX_DETAIL_CHARS  120

struct _QmOAuth2Flow
{
  GObject         parent_instance;

  QmConfig       *config;
  QmUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;
  char           *pending_state;   /* of the last authorize URI built */
  GTask          *current;         /* the sign-in under way, from launch to token */
};

G_DEFINE_FINAL_TYPE (QmOAuth2Flow, qm_oauth2_flow, G_TYPE_OBJECT)

/* One sign-in. Its own cancellable is cancelled when the caller's is, and
 * when a newer sign-in replaces it. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GSource      *cancel_source;   /* while waiting for the redirect */
  gboolean      waiting;         /* for the redirect */
  gboolean      returned;
} SignIn;

typedef struct
{
  SoupSession *session;
  SoupMessage *message;
} TokenRequest;

static const char * const expired_grants[] = {
  "AccessTokenHasExpired",
  "AuthorizationCodeInvalid",
  "AuthorizationCodeStale",
  "AuthorizationRecordExpired",
  "AuthorizationRecordRevoked",
  "ProvidedTokenNotValidRefreshToken",
  "RefreshTokenExpired",
  "RefreshTokenNotYetValid",
  NULL
};

/* ---------------------------------------------------------------------- */
/* The state                                                               */

static gboolean
read_urandom (guint8 *buffer,
              gsize   size)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/urandom");
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  gsize read = 0;

  return stream != NULL &&
         g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, size, &read, NULL, NULL) &&
         read == size;
}

static void
fill_random (guint8 *buffer,
             gsize   size)
{
  gsize filled = 0;

  while (filled < size)
    {
      gssize n = getrandom (buffer + filled, size - filled, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      filled += (gsize) n;
    }
  /* A guessable state would defeat its purpose: there is no weaker fallback. */
  if (filled < size && !read_urandom (buffer, size))
    g_error ("No source of secure random numbers for the sign-in state");
}

/* 32 random bytes as base64url without padding. */
static char *
random_state (void)
{
  guint8 bytes[STATE_BYTES];
  char *text;
  char *end;

  fill_random (bytes, sizeof bytes);
  text = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

/* Compares in a time that does not depend on where the strings differ. */
static gboolean
state_equal (const char *a,
             const char *b)
{
  guint8 diff = 0;
  gsize n;

  if (a == NULL || b == NULL || *a == '\0')
    return FALSE;
  n = strlen (a);
  if (strlen (b) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    diff |= (guint8) (a[i] ^ b[i]);
  return diff == 0;
}

static char *
origin_without_slash (const char *origin)
{
  char *text = g_strdup (origin);
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';
  return text;
}

/* ---------------------------------------------------------------------- */
/* The token endpoint's answer                                             */

static gboolean
status_is_success (guint http_status)
{
  return http_status >= 200 && http_status < 300;
}

static gboolean
status_is_refusal (guint http_status)
{
  return http_status == SOUP_STATUS_UNAUTHORIZED || http_status == SOUP_STATUS_FORBIDDEN;
}

static void
set_expired_error (GError **error)
{
  g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED,
                       "Bungie.net refused the grant: it expired or was revoked");
}

static void
set_maintenance_error (GError **error)
{
  g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_MAINTENANCE,
                       "Bungie.net is down for maintenance (SystemDisabled)");
}

/* The application's key was refused, not the grant: signing in again
 * cannot help. */
static void
set_api_key_error (int          code,
                   const char  *name,
                   GError     **error)
{
  g_set_error (error, QM_PLATFORM_ERROR, code,
               "Bungie.net refused the application's API key (%s, error %d)", name, code);
}

static void
set_status_error (guint    http_status,
                  GError **error)
{
  if (status_is_refusal (http_status))
    set_expired_error (error);
  else if (status_is_success (http_status))
    g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                         "Bungie.net's answer to the sign-in could not be read");
  else
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP,
                 "Bungie.net answered the sign-in with HTTP %u", http_status);
}

/* Server text made fit for a message: printable, one line, short. */
static char *
sanitize_detail (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  guint n_chars = 0;

  for (const char *p = valid; *p != '\0' && n_chars < MAX_DETAIL_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_isprint (c) ? c : ' ');
      n_chars++;
    }
  return g_string_free (out, FALSE);
}

static void
set_refused_error (const char  *detail,
                   guint        http_status,
                   GError     **error)
{
  g_autofree char *clean = sanitize_detail (detail);

  g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP,
               "Bungie.net refused the sign-in: %s (HTTP %u)", clean, http_status);
}

static gboolean
is_expired_grant (const char *kind,
                  const char *description)
{
  return g_strcmp0 (kind, "invalid_grant") == 0 ||
         (description != NULL && g_strv_contains (expired_grants, description));
}

/* A Platform envelope where the token answer was expected. */
static gboolean
classify_envelope (JsonObject  *object,
                   guint        http_status,
                   GError     **error)
{
  int code = (int) CLAMP (qm_json_get_int (object, "ErrorCode", 0), G_MININT, G_MAXINT);
  const char *name;

  if (code == 0 || code == QM_PLATFORM_ERROR_SUCCESS)
    return FALSE;
  name = qm_platform_error_code_name (code);
  if (code == QM_PLATFORM_ERROR_SYSTEM_DISABLED)
    set_maintenance_error (error);
  else if (qm_platform_error_is_api_key (code))
    set_api_key_error (code, name, error);
  else if (qm_platform_error_is_auth (code) || status_is_refusal (http_status) ||
           (name != NULL && g_strv_contains (expired_grants, name)))
    set_expired_error (error);
  else
    set_refused_error (name != NULL ? name : "an unknown error", http_status, error);
  return TRUE;
}

/* {error, error_description}: DIM's reading of Bungie's token errors. */
static gboolean
classify_error_object (JsonObject  *object,
                       guint        http_status,
                       GError     **error)
{
  const char *kind = qm_json_get_string (object, "error");
  const char *description = qm_json_get_string (object, "error_description");

  if (kind == NULL && description == NULL)
    return classify_envelope (object, http_status, error);

  if (g_strcmp0 (description, "SystemDisabled") == 0 || g_strcmp0 (kind, "SystemDisabled") == 0)
    set_maintenance_error (error);
  else if (description != NULL &&
           qm_platform_error_is_api_key (qm_platform_error_code_from_name (description)))
    set_api_key_error (qm_platform_error_code_from_name (description), description, error);
  else if (g_strcmp0 (kind, "invalid_client") == 0)
    /* Signing in again cannot help: the application itself was refused. */
    g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                         _("Bungie.net did not accept this application’s client id or secret."));
  else if (is_expired_grant (kind, description) || status_is_refusal (http_status))
    set_expired_error (error);
  else
    set_refused_error (description != NULL ? description : kind, http_status, error);
  return TRUE;
}

static const char *
skip_space (const char *data,
            gsize      *size)
{
  while (*size > 0 && g_ascii_isspace (*data))
    {
      data++;
      (*size)--;
    }
  return data;
}

static void
set_html_error (guint    http_status,
                GError **error)
{
  g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
               "Bungie.net answered the sign-in with a web page instead of data (HTTP %u): "
               "the service may be down",
               http_status);
}

QmToken *
qm_oauth2_parse_token_response (GBytes      *body,
                                guint        http_status,
                                const char  *content_type,
                                gint64       now,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) trimmed = NULL;
  const char *start = NULL;
  const char *data = NULL;
  gsize size = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (body != NULL)
    start = g_bytes_get_data (body, &size);
  if (start != NULL)
    data = skip_space (start, &size);
  if (size == 0)
    {
      set_status_error (http_status, error);
      return NULL;
    }
  if (data[0] == '<')
    {
      set_html_error (http_status, error);
      return NULL;
    }

  trimmed = g_bytes_new_from_bytes (body, data - start, size);
  root = qm_json_parse_bytes (trimmed, NULL);
  if (root == NULL && qm_content_type_is_html (content_type))
    set_html_error (http_status, error);
  else if (root == NULL)
    set_status_error (http_status, error);
  else if (JSON_NODE_HOLDS_OBJECT (root) &&
           classify_error_object (json_node_get_object (root), http_status, error))
    ;
  else if (!status_is_success (http_status))
    set_status_error (http_status, error);
  else
    return qm_token_new_from_response (trimmed, now, error);
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* The token request                                                       */

static void
token_request_free (TokenRequest *request)
{
  g_clear_object (&request->message);
  g_clear_object (&request->session);
  g_free (request);
}

static GError *
map_transport_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_TIMEOUT,
                        "Bungie.net did not answer the sign-in within %u seconds", TOKEN_TIMEOUT_S);
  return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK,
                      "Could not reach Bungie.net: %s", error->message);
}

static void
on_token_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  QmToken *token;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_debug ("token request failed: %s", error->message);
      g_task_return_error (task, map_transport_error (error));
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  token = qm_oauth2_parse_token_response (body, soup_message_get_status (request->message),
                                          soup_message_headers_get_content_type (headers, NULL),
                                          g_get_real_time () / G_USEC_PER_SEC, &error);
  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) qm_token_free);
}

static SoupSession *
token_session_new (GUri *uri)
{
  g_autofree char *user_agent = g_strdup_printf ("Quartermaster/%s", PACKAGE_VERSION);
  SoupSession *session = soup_session_new_with_options ("user-agent", user_agent,
                                                        "timeout", TOKEN_TIMEOUT_S,
                                                        NULL);
  const char *host = g_uri_get_host (uri);

  /* No proxy between two ends of this computer. */
  if (g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 ||
      g_ascii_strcasecmp (host, "localhost") == 0)
    soup_session_set_proxy_resolver (session, NULL);
  return session;
}

static char *
token_form (const QmConfig *config,
            const char     *grant_type,
            const char     *value)
{
  const char *key = g_str_equal (grant_type, "refresh_token") ? "refresh_token" : "code";

  /* A confidential client authenticates in the form, as DIM does. */
  if (config->client_secret != NULL && *config->client_secret != '\0')
    return soup_form_encode ("grant_type", grant_type, key, value,
                             "client_id", config->client_id,
                             "client_secret", config->client_secret,
                             NULL);
  return soup_form_encode ("grant_type", grant_type, key, value,
                           "client_id", config->client_id,
                           NULL);
}

/* Credentials go only to https or loopback, for a configured client. */
static gboolean
check_config (const QmConfig *config,
              GTask          *task)
{
  if (config->origin == NULL || !qm_origin_is_trusted (config->origin))
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN,
                               "Refusing to send credentials to %s: only https "
                               "or this computer’s own address is allowed",
                               config->origin != NULL ? config->origin : "(none)");
      return FALSE;
    }
  if (config->client_id == NULL || *config->client_id == '\0')
    {
      g_task_return_new_error (task, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                               "No OAuth client id is configured for %s", config->origin);
      return FALSE;
    }
  return TRUE;
}

void
qm_oauth2_token_request_async (const QmConfig      *config,
                               const char          *grant_type,
                               const char          *code_or_refresh_token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;
  TokenRequest *request;

  g_return_if_fail (config != NULL);
  g_return_if_fail (grant_type != NULL);
  g_return_if_fail (code_or_refresh_token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_oauth2_token_request_async);

  if (!check_config (config, task))
    return;
  origin = origin_without_slash (config->origin);
  url = g_strconcat (origin, TOKEN_PATH, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK,
                               "Could not reach Bungie.net: “%s” is not a valid address", url);
      return;
    }

  request = g_new0 (TokenRequest, 1);
  g_task_set_task_data (task, request, (GDestroyNotify) token_request_free);
  request->session = token_session_new (uri);
  request->message = soup_message_new_from_encoded_form ("POST", url,
                                                         token_form (config, grant_type,
                                                                     code_or_refresh_token));
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (config->api_key != NULL && *config->api_key != '\0')
    soup_message_headers_replace (headers, "X-API-Key", config->api_key);

  g_debug ("POST %s (%s)", url, grant_type);
  soup_session_send_and_read_async (request->session, request->message, G_PRIORITY_DEFAULT,
                                    cancellable, on_token_sent_cb, g_steal_pointer (&task));
}

QmToken *
qm_oauth2_token_request_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_oauth2_token_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* The sign-in                                                             */

static void
sign_in_free (SignIn *sign_in)
{
  if (sign_in->caller_handler != 0)
    g_cancellable_disconnect (sign_in->caller_cancellable, sign_in->caller_handler);
  g_clear_object (&sign_in->caller_cancellable);
  if (sign_in->cancel_source != NULL)
    g_source_destroy (sign_in->cancel_source);
  g_clear_pointer (&sign_in->cancel_source, g_source_unref);
  g_clear_object (&sign_in->cancellable);
  g_free (sign_in);
}

static void
stop_waiting (SignIn *sign_in)
{
  sign_in->waiting = FALSE;
  if (sign_in->cancel_source != NULL)
    g_source_destroy (sign_in->cancel_source);
  g_clear_pointer (&sign_in->cancel_source, g_source_unref);
}

/* Ends @task once; later answers for it (a late launch failure, say) are dropped. */
static void
sign_in_return (GTask   *task,
                QmToken *token,
                GError  *error)
{
  QmOAuth2Flow *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GTask) current = NULL;

  if (sign_in->returned)
    {
      g_clear_pointer (&token, qm_token_free);
      g_clear_error (&error);
      return;
    }
  sign_in->returned = TRUE;
  stop_waiting (sign_in);
  if (self->current == task)
    {
      current = g_steal_pointer (&self->current);
      g_clear_pointer (&self->pending_state, g_free);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) qm_token_free);
}

static gboolean
on_sign_in_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  GTask *task = user_data;

  sign_in_return (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   "The sign-in was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

static void
on_token_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  QmToken *token = qm_oauth2_token_request_finish (result, &error);

  /* A refused grant here is the authorization code just received: the
   * sign-in was refused, nothing had expired. */
  if (g_error_matches (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED))
    {
      GError *refused = g_error_new (QM_AUTH_ERROR, QM_AUTH_ERROR_CODE_REFUSED,
                                     "Bungie.net did not accept the authorization code (%s)",
                                     error->message);

      g_error_free (error);
      error = refused;
    }
  sign_in_return (task, token, error);
}

static void
on_launch_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("could not open the browser: %s", error->message);
  sign_in_return (task, NULL,
                  g_error_new (error->domain, error->code,
                               _("Could not open the web browser for the Bungie.net sign-in: %s"),
                               error->message));
}

static void
launch (QmOAuth2Flow *self,
        GTask        *task,
        const char   *uri)
{
  SignIn *sign_in = g_task_get_task_data (task);

  if (self->launcher != NULL)
    {
      self->launcher (self, uri, self->launcher_data);
      return;
    }
  g_app_info_launch_default_for_uri_async (uri, NULL, sign_in->cancellable,
                                           on_launch_cb, g_object_ref (task));
}

static gboolean
is_for_flow (const char *redirect_uri,
             const char *uri)
{
  gsize n;

  if (redirect_uri == NULL || *redirect_uri == '\0')
    return FALSE;
  n = strlen (redirect_uri);
  return g_ascii_strncasecmp (uri, redirect_uri, n) == 0 &&
         (uri[n] == '\0' || uri[n] == '?' || uri[n] == '/' || uri[n] == '#');
}

static GHashTable *
redirect_params (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  const char *query = parsed != NULL ? g_uri_get_query (parsed) : NULL;
  GHashTable *params = NULL;

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    params = g_hash_table_new (g_str_hash, g_str_equal);
  return params;
}

static GError *
redirect_error (GHashTable *params)
{
  const char *refusal = g_hash_table_lookup (params, "error");
  const char *code = g_hash_table_lookup (params, "code");

  if (refusal != NULL && g_str_equal (refusal, "access_denied"))
    return g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_DENIED,
                                "The sign-in was not allowed on Bungie.net (access_denied)");
  if (refusal != NULL)
    {
      g_autofree char *clean = sanitize_detail (refusal);

      return g_error_new (QM_AUTH_ERROR, QM_AUTH_ERROR_DENIED,
                          "Bungie.net refused the sign-in (%s)", clean);
    }
  if (code == NULL || *code == '\0')
    return g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                                _("Bungie.net’s answer did not contain a sign-in code."));
  return NULL;
}

/* Sets up the task data of a sign-in waiting for its redirect. */
static void
sign_in_start (GTask        *task,
               GCancellable *caller)
{
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->cancellable = g_cancellable_new ();
  sign_in->waiting = TRUE;
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  /* The source keeps the task alive while it waits; stop_waiting() ends that. */
  sign_in->cancel_source = g_cancellable_source_new (sign_in->cancellable);
  g_source_set_callback (sign_in->cancel_source, G_SOURCE_FUNC (on_sign_in_cancelled_cb),
                         g_object_ref (task), g_object_unref);
  g_source_attach (sign_in->cancel_source, g_task_get_context (task));
  if (caller == NULL)
    return;
  sign_in->caller_cancellable = g_object_ref (caller);
  sign_in->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled_cb),
                                                   g_object_ref (sign_in->cancellable),
                                                   g_object_unref);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
qm_oauth2_flow_dispose (GObject *object)
{
  QmOAuth2Flow *self = QM_OAUTH2_FLOW (object);

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = NULL;
  self->launcher_data = NULL;
  self->launcher_destroy = NULL;

  G_OBJECT_CLASS (qm_oauth2_flow_parent_class)->dispose (object);
}

static void
qm_oauth2_flow_finalize (GObject *object)
{
  QmOAuth2Flow *self = QM_OAUTH2_FLOW (object);

  g_assert (self->current == NULL);
  g_clear_pointer (&self->config, qm_config_free);
  g_clear_pointer (&self->pending_state, g_free);

  G_OBJECT_CLASS (qm_oauth2_flow_parent_class)->finalize (object);
}

static void
qm_oauth2_flow_class_init (QmOAuth2FlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_oauth2_flow_dispose;
  object_class->finalize = qm_oauth2_flow_finalize;
}

static void
qm_oauth2_flow_init (QmOAuth2Flow *self)
{
}

/* ---------------------------------------------------------------------- */
/* Public API                                                              */

QmOAuth2Flow *
qm_oauth2_flow_new (const QmConfig *config)
{
  QmOAuth2Flow *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (QM_TYPE_OAUTH2_FLOW, NULL);
  self->config = qm_config_copy (config);
  return self;
}

void
qm_oauth2_flow_set_launcher (QmOAuth2Flow   *self,
                             QmUriLauncher   launcher,
                             gpointer        user_data,
                             GDestroyNotify  destroy)
{
  g_return_if_fail (QM_IS_OAUTH2_FLOW (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

char *
qm_oauth2_flow_build_authorize_uri (QmOAuth2Flow *self)
{
  g_autofree char *origin = NULL;
  g_autofree char *client_id = NULL;

  g_return_val_if_fail (QM_IS_OAUTH2_FLOW (self), NULL);
  g_return_val_if_fail (self->config->origin != NULL, NULL);

  g_free (self->pending_state);
  self->pending_state = random_state ();
  origin = origin_without_slash (self->config->origin);
  client_id = g_uri_escape_string (self->config->client_id != NULL ? self->config->client_id : "",
                                   NULL, FALSE);
  /* No scope: Bungie takes the scopes from the application's registration
   * and refuses a request that names any. */
  return g_strdup_printf ("%s" AUTHORIZE_PATH "?client_id=%s&response_type=code&state=%s",
                          origin, client_id, self->pending_state);
}

void
qm_oauth2_flow_sign_in_async (QmOAuth2Flow        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (QM_IS_OAUTH2_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_oauth2_flow_sign_in_async);
  if (!check_config (self->config, task))
    return;

  /* One sign-in at a time: the one before ends as cancelled. */
  if (self->current != NULL)
    {
      SignIn *previous = g_task_get_task_data (self->current);

      g_cancellable_cancel (previous->cancellable);
      g_clear_object (&self->current);
    }
  sign_in_start (task, cancellable);
  self->current = g_object_ref (task);

  uri = qm_oauth2_flow_build_authorize_uri (self);
  g_debug ("opening the authorize page of %s", self->config->origin);
  launch (self, task, uri);
}

QmToken *
qm_oauth2_flow_sign_in_finish (QmOAuth2Flow  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (QM_IS_OAUTH2_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_oauth2_flow_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
qm_oauth2_flow_handle_redirect (QmOAuth2Flow  *self,
                                const char    *uri,
                                GError       **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;
  GError *refusal;
  const char *state;

  g_return_val_if_fail (QM_IS_OAUTH2_FLOW (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_for_flow (self->config->redirect_uri, uri))
    return FALSE;

  sign_in = self->current != NULL ? g_task_get_task_data (self->current) : NULL;
  if (sign_in == NULL || !sign_in->waiting)
    {
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH,
                           "No sign-in is waiting for this answer");
      return FALSE;
    }

  task = g_object_ref (self->current);
  params = redirect_params (uri);
  state = g_hash_table_lookup (params, "state");
  if (!state_equal (state, self->pending_state))
    refusal = g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH,
                                   "The sign-in answer's state does not match the request's");
  else
    refusal = redirect_error (params);
  if (refusal != NULL)
    {
      g_propagate_error (error, g_error_copy (refusal));
      sign_in_return (task, NULL, refusal);
      return FALSE;
    }

  /* The state is spent: a replay of this redirect finds no sign-in waiting. */
  stop_waiting (sign_in);
  g_clear_pointer (&self->pending_state, g_free);
  g_debug ("exchanging the authorization code");
  qm_oauth2_token_request_async (self->config, "authorization_code",
                                 g_hash_table_lookup (params, "code"),
                                 sign_in->cancellable, on_token_cb, g_steal_pointer (&task));
  return TRUE;
}
