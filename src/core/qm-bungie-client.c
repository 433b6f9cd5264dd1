/* qm-bungie-client.c: the one path every Bungie.net Platform call takes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-bungie-client"

#include "config.h"

#include "qm-bungie-client.h"

#include <libsoup/soup.h>
#include <string.h>

#include "qm-config.h"
#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-json-scan.h"

#define DEFAULT_TIMEOUT_S         30
#define DEFAULT_THROTTLE_RETRIES  3
#define MAX_THROTTLE_WAIT_S       60
#define ITEM_ACTION_SPACING_US    (100 * G_TIME_SPAN_MILLISECOND)
#define LOADOUT_ACTION_SPACING_US (1 * G_TIME_SPAN_SECOND)

typedef enum
{
  QUEUE_ITEM,
  QUEUE_LOADOUT,
  N_QUEUES
} QueueKind;

/* Actions of one kind run one at a time, each starting a fixed interval
 * after the previous one finished (Bungie's ThrottleSecondsBetweenActionPerUser). */
typedef struct
{
  QmBungieClient *client;         /* back pointer, not a reference */
  GQueue          waiting;        /* GTask, owned */
  gboolean        busy;
  gint64          last_finished;  /* monotonic µs; 0 = none yet */
  gint64          interval;       /* µs */
  GSource        *timer;          /* until the next action may start */
} ActionQueue;

struct _QmBungieClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *origin;
  char        *api_key;
  char        *app_id;
  char        *access_token;   /* a fixed token, when there is no auth manager */
  QmAuthManager *auth;        /* nullable */
  guint        max_throttle_retries;
  guint        timeout;
  gboolean     origin_trusted;
  ActionQueue  queues[N_QUEUES];
};

typedef struct
{
  char           *method;
  char           *path;          /* as given, for messages and logs */
  GUri           *uri;
  GBytes         *body;
  QmRequestFlags  flags;
  gboolean        platform;      /* an enveloped Platform call, not content */
  gboolean        raw;           /* hand back the body, not the Response node */
  guint           retries;
  gboolean        auth_retried;  /* refused credentials were renewed once */
  guint           auth_generation; /* of the credentials sent */
  ActionQueue    *queue;
  gboolean        holds_slot;    /* the action in flight for its queue */
  SoupMessage    *message;
  GSource        *wait_source;   /* waiting out ThrottleSeconds */
  GSource        *cancel_source; /* watching the cancellable while not in flight */
} Request;

G_DEFINE_FINAL_TYPE (QmBungieClient, qm_bungie_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ORIGIN,
  PROP_API_KEY,
  PROP_APP_ID,
  PROP_AUTH_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void send_request (GTask *task);
static void transmit (GTask *task);
static void renew_credentials (GTask *task);

static gboolean
replace_str (char       **slot,
             const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
request_free (Request *req)
{
  g_assert (req->wait_source == NULL);
  g_assert (req->cancel_source == NULL);

  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_object (&req->message);
  g_free (req);
}

static void
classify_origin (const char *origin,
                 gboolean   *trusted,
                 gboolean   *loopback)
{
  /* Plain http is only for this computer (the sandbox). */
  *trusted = qm_origin_is_trusted (origin);
  *loopback = qm_origin_is_loopback (origin);
}

static const char *
default_app_id (void)
{
  const char *id = g_getenv ("QM_OAUTH_CLIENT_ID");

#ifdef QM_OAUTH_CLIENT_ID
  if (id == NULL || *id == '\0')
    id = QM_OAUTH_CLIENT_ID;
#endif
  if (id == NULL || *id == '\0')
    id = APP_ID;
  return id;
}

static void
queue_init (ActionQueue    *queue,
            QmBungieClient *client,
            gint64          interval)
{
  queue->client = client;
  g_queue_init (&queue->waiting);
  queue->interval = interval;
}

static void
qm_bungie_client_constructed (GObject *object)
{
  QmBungieClient *self = QM_BUNGIE_CLIENT (object);
  g_autofree char *user_agent = NULL;
  gboolean loopback;
  gsize len;

  G_OBJECT_CLASS (qm_bungie_client_parent_class)->constructed (object);

  if (self->origin == NULL || *self->origin == '\0')
    replace_str (&self->origin, QM_DEFAULT_ORIGIN);
  len = strlen (self->origin);
  while (len > 0 && self->origin[len - 1] == '/')
    self->origin[--len] = '\0';
  classify_origin (self->origin, &self->origin_trusted, &loopback);

  if (self->app_id == NULL || *self->app_id == '\0')
    replace_str (&self->app_id, default_app_id ());

  user_agent = g_strdup_printf ("Quartermaster/%s AppId/%s (+https://github.com/quartermaster)",
                                PACKAGE_VERSION, self->app_id);
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", self->timeout,
                                                 NULL);
  /* No proxy between two ends of this computer. */
  if (loopback)
    soup_session_set_proxy_resolver (self->session, NULL);
}

static void
qm_bungie_client_dispose (GObject *object)
{
  QmBungieClient *self = QM_BUNGIE_CLIENT (object);

  /* Waiting tasks hold a reference on the client, so the queues are empty here. */
  for (guint i = 0; i < N_QUEUES; i++)
    destroy_source (&self->queues[i].timer);
  g_clear_object (&self->session);
  g_clear_object (&self->auth);

  G_OBJECT_CLASS (qm_bungie_client_parent_class)->dispose (object);
}

static void
qm_bungie_client_finalize (GObject *object)
{
  QmBungieClient *self = QM_BUNGIE_CLIENT (object);

  g_free (self->origin);
  g_free (self->api_key);
  g_free (self->app_id);
  g_free (self->access_token);

  G_OBJECT_CLASS (qm_bungie_client_parent_class)->finalize (object);
}

static void
qm_bungie_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QmBungieClient *self = QM_BUNGIE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    case PROP_AUTH_MANAGER:
      g_value_set_object (value, self->auth);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_bungie_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QmBungieClient *self = QM_BUNGIE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ORIGIN:
      replace_str (&self->origin, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      if (replace_str (&self->api_key, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_APP_ID:
      replace_str (&self->app_id, g_value_get_string (value));
      break;
    case PROP_AUTH_MANAGER:
      qm_bungie_client_set_auth_manager (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_bungie_client_class_init (QmBungieClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = qm_bungie_client_constructed;
  object_class->dispose = qm_bungie_client_dispose;
  object_class->finalize = qm_bungie_client_finalize;
  object_class->get_property = qm_bungie_client_get_property;
  object_class->set_property = qm_bungie_client_set_property;

  properties[PROP_ORIGIN] =
    g_param_spec_string ("origin", NULL, NULL,
                         QM_DEFAULT_ORIGIN,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The application's numeric id at Bungie, shown in the user agent. */
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Who is signed in: credentials, refresh and retry for QM_REQUEST_AUTH calls. */
  properties[PROP_AUTH_MANAGER] =
    g_param_spec_object ("auth-manager", NULL, NULL,
                         QM_TYPE_AUTH_MANAGER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_bungie_client_init (QmBungieClient *self)
{
  self->max_throttle_retries = DEFAULT_THROTTLE_RETRIES;
  self->timeout = DEFAULT_TIMEOUT_S;
  queue_init (&self->queues[QUEUE_ITEM], self, ITEM_ACTION_SPACING_US);
  queue_init (&self->queues[QUEUE_LOADOUT], self, LOADOUT_ACTION_SPACING_US);
}

/**
 * qm_bungie_client_new:
 * @origin: (nullable): the site origin such as "https://www.bungie.net"
 *   (%NULL: the build's default)
 * @api_key: (nullable): the application's API key
 *
 * Returns: (transfer full): a new client
 */
QmBungieClient *
qm_bungie_client_new (const char *origin,
                      const char *api_key)
{
  return g_object_new (QM_TYPE_BUNGIE_CLIENT,
                       "origin", origin != NULL ? origin : QM_DEFAULT_ORIGIN,
                       "api-key", api_key,
                       NULL);
}

const char *
qm_bungie_client_get_origin (QmBungieClient *self)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);

  return self->origin;
}

const char *
qm_bungie_client_get_api_key (QmBungieClient *self)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);

  return self->api_key;
}

void
qm_bungie_client_set_access_token (QmBungieClient *self,
                                   const char     *access_token)
{
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));

  replace_str (&self->access_token, access_token);
}

void
qm_bungie_client_set_auth_manager (QmBungieClient *self,
                                   QmAuthManager  *auth)
{
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));
  g_return_if_fail (auth == NULL || QM_IS_AUTH_MANAGER (auth));

  if (g_set_object (&self->auth, auth))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_MANAGER]);
}

QmAuthManager *
qm_bungie_client_get_auth_manager (QmBungieClient *self)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);

  return self->auth;
}

void
qm_bungie_client_set_max_throttle_retries (QmBungieClient *self,
                                           guint           retries)
{
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));

  self->max_throttle_retries = retries;
}

void
qm_bungie_client_set_timeout (QmBungieClient *self,
                              guint           seconds)
{
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

/* Transport failures, in words a user can act on. */
static GError *
map_transport_error (QmBungieClient *self,
                     GError         *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_TIMEOUT,
                        "Bungie.net did not answer within %u seconds", self->timeout);
  return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK,
                      "Could not reach Bungie.net: %s", error->message);
}

static gboolean
sends_credentials (QmBungieClient *self,
                   Request        *req)
{
  if (!req->platform)
    return FALSE;
  if (self->api_key != NULL && *self->api_key != '\0')
    return TRUE;
  if ((req->flags & QM_REQUEST_AUTH) == 0)
    return FALSE;
  if (self->auth != NULL)
    return qm_auth_manager_get_token (self->auth) != NULL;
  return self->access_token != NULL && *self->access_token != '\0';
}

static gboolean
uses_auth_manager (QmBungieClient *self,
                   Request        *req)
{
  return self->auth != NULL && req->platform && (req->flags & QM_REQUEST_AUTH) != 0;
}

static void
stop_watching_cancel (Request *req)
{
  destroy_source (&req->cancel_source);
}

static void
watch_cancel (GTask                  *task,
              GCancellableSourceFunc  func)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (req->cancel_source == NULL);
  if (cancellable == NULL)
    return;

  req->cancel_source = g_cancellable_source_new (cancellable);
  g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (func), task, NULL);
  g_source_attach (req->cancel_source, g_task_get_context (task));
}

static void pump_queue (ActionQueue *queue);

/* Every request ends here: frees its action slot, then hands back the result. */
static void
finish_request (GTask    *task,
                JsonNode *node,
                GBytes   *bytes,
                GError   *error)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(QmBungieClient) self = g_object_ref (g_task_get_source_object (task));
  ActionQueue *queue = req->queue;

  stop_watching_cancel (req);
  destroy_source (&req->wait_source);

  if (req->holds_slot)
    {
      g_assert (queue->busy);
      req->holds_slot = FALSE;
      queue->busy = FALSE;
      queue->last_finished = g_get_monotonic_time ();
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else if (node != NULL)
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);

  if (queue != NULL)
    pump_queue (queue);
}

static gboolean
on_queue_timer_cb (gpointer user_data)
{
  ActionQueue *queue = user_data;

  g_clear_pointer (&queue->timer, g_source_unref);
  pump_queue (queue);
  return G_SOURCE_REMOVE;
}

static void
pump_queue (ActionQueue *queue)
{
  gint64 now = g_get_monotonic_time ();
  gint64 ready = queue->last_finished + queue->interval;
  Request *req;
  GTask *task;

  if (queue->busy || queue->timer != NULL || g_queue_is_empty (&queue->waiting))
    return;

  if (queue->last_finished != 0 && now < ready)
    {
      guint delay_ms = (guint) ((ready - now + 999) / 1000);

      task = g_queue_peek_head (&queue->waiting);
      queue->timer = g_timeout_source_new (delay_ms);
      g_source_set_callback (queue->timer, on_queue_timer_cb, queue, NULL);
      g_source_attach (queue->timer, g_task_get_context (task));
      return;
    }

  task = g_queue_pop_head (&queue->waiting);
  req = g_task_get_task_data (task);
  stop_watching_cancel (req);
  req->holds_slot = TRUE;
  queue->busy = TRUE;
  send_request (task);
}

static gboolean
on_queued_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  /* Still waiting for its turn: leave the queue without holding it up. */
  g_queue_remove (&req->queue->waiting, task);
  finish_request (task, NULL, NULL,
                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
enqueue_request (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_queue_push_tail (&req->queue->waiting, task);
  watch_cancel (task, on_queued_cancelled_cb);
  pump_queue (req->queue);
}

static gboolean
on_throttle_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  GTask *task = user_data;

  finish_request (task, NULL, NULL,
                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_throttle_waited_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  stop_watching_cancel (req);
  g_clear_pointer (&req->wait_source, g_source_unref);
  send_request (task);
  return G_SOURCE_REMOVE;
}

static void
wait_and_retry (GTask *task,
                int    throttle_seconds)
{
  Request *req = g_task_get_task_data (task);
  guint seconds = (guint) CLAMP (throttle_seconds, 1, MAX_THROTTLE_WAIT_S);

  g_debug ("%s %s throttled: retrying in %u s", req->method, req->path, seconds);
  req->retries++;
  req->wait_source = g_timeout_source_new (seconds * 1000);
  g_source_set_callback (req->wait_source, on_throttle_waited_cb, task, NULL);
  g_source_attach (req->wait_source, g_task_get_context (task));
  watch_cancel (task, on_throttle_cancelled_cb);
}

/* HTTP 401, or an ErrorCode that means the access token is no good. */
static gboolean
is_auth_failure (guint         status,
                 const GError *error)
{
  /* Bungie answers a refused API key with 401 too; new credentials cannot help. */
  if (error->domain == QM_PLATFORM_ERROR && qm_platform_error_is_api_key (error->code))
    return FALSE;
  return status == SOUP_STATUS_UNAUTHORIZED ||
         (error->domain == QM_PLATFORM_ERROR && qm_platform_error_is_auth (error->code));
}

/* Credentials refused again after renewing them: the player must sign in. */
static GError *
second_auth_failure (QmBungieClient *self,
                     GError         *error)
{
  GError *result;

  if (qm_auth_manager_get_state (self->auth) == QM_AUTH_STATE_EXPIRED)
    result = g_error_new (QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED,
                          "Your Bungie.net sign-in has expired (%s)", error->message);
  else
    result = g_error_new (QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                          "Bungie.net did not accept the sign-in (%s)", error->message);
  g_error_free (error);
  return result;
}

/* Refused credentials are renewed once and the call is sent again; when
 * they changed since the call went out (another call refreshed them), the
 * call is simply sent again. Returns FALSE when there is nothing to retry. */
static gboolean
retry_with_new_credentials (GTask  *task,
                            guint   status,
                            GError **error)
{
  QmBungieClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  if (!uses_auth_manager (self, req) || !is_auth_failure (status, *error))
    return FALSE;
  if (req->auth_retried)
    {
      *error = second_auth_failure (self, *error);
      return FALSE;
    }

  g_debug ("%s %s: credentials refused, renewing them", req->method, req->path);
  req->auth_retried = TRUE;
  g_clear_error (error);
  if (qm_auth_manager_get_generation (self->auth) != req->auth_generation)
    transmit (task);
  else
    renew_credentials (task);
  return TRUE;
}

/* Whether @body is an envelope with ErrorCode 1, read without building a
 * tree (the body of a large answer is handed on as bytes). Anything else,
 * or anything this cannot tell, is judged by qm_envelope_parse() as for
 * every other call, so errors and retries stay the same. */
static gboolean
envelope_succeeded (GBytes *body)
{
  QmJsonScan scan;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  gint64 code = 0;
  gboolean found = FALSE;
  gboolean valid;

  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      size -= 3;
    }
  qm_json_scan_init (&scan, data, size);
  if (qm_json_scan_enter_object (&scan))
    while (qm_json_scan_next_member (&scan))
      {
        /* qm_envelope_parse() wants an integer ErrorCode: "1", not "1.0". */
        if (qm_json_scan_key_is (&scan, "ErrorCode") &&
            qm_json_scan_peek (&scan) == QM_JSON_NUMBER)
          {
            gsize start = qm_json_scan_offset (&scan);

            found = qm_json_scan_int64 (&scan, &code);
            for (gsize i = start; found && i < qm_json_scan_offset (&scan); i++)
              found = data[i] != '.' && data[i] != 'e' && data[i] != 'E';
          }
        else if (qm_json_scan_key_is (&scan, "ErrorCode"))
          {
            found = FALSE;
            qm_json_scan_skip (&scan);
          }
        else
          qm_json_scan_skip (&scan);
      }
  valid = qm_json_scan_finish (&scan, NULL);
  qm_json_scan_clear (&scan);
  return valid && found && code == QM_PLATFORM_ERROR_SUCCESS;
}

static void
handle_platform_answer (GTask       *task,
                        SoupMessage *message,
                        GBytes      *body)
{
  QmBungieClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (message);
  const char *content_type;
  g_auto(QmEnvelopeInfo) info = { 0 };
  GError *error = NULL;
  JsonNode *node;

  if (req->raw && envelope_succeeded (body))
    {
      g_debug ("%s %s → HTTP %u, ErrorCode 1", req->method, req->path, status);
      finish_request (task, NULL, g_bytes_ref (body), NULL);
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                        NULL);
  node = qm_envelope_parse (body, status, content_type, &info, &error);
  g_debug ("%s %s → HTTP %u, ErrorCode %d", req->method, req->path, status, info.error_code);

  if (error != NULL &&
      error->domain == QM_PLATFORM_ERROR &&
      qm_platform_error_is_throttle (error->code) &&
      req->retries < self->max_throttle_retries)
    {
      g_clear_error (&error);
      wait_and_retry (task, info.throttle_seconds);
      return;
    }
  if (error != NULL && retry_with_new_credentials (task, status, &error))
    return;

  if (req->raw && node != NULL)
    {
      json_node_unref (node);
      finish_request (task, NULL, g_bytes_ref (body), NULL);
      return;
    }
  finish_request (task, node, NULL, error);
}

static void
handle_content_answer (GTask       *task,
                       SoupMessage *message,
                       GBytes      *body)
{
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (message);

  g_debug ("%s %s → HTTP %u", req->method, req->path, status);
  if (status < 200 || status >= 300)
    {
      const char *phrase = soup_status_get_phrase (status);

      finish_request (task, NULL, NULL,
                      g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP,
                                   "Bungie.net answered HTTP %u %s for %s",
                                   status, phrase != NULL ? phrase : "", req->path));
      return;
    }
  finish_request (task, NULL, g_bytes_ref (body), NULL);
}

static void
on_send_and_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  QmBungieClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_debug ("%s %s failed: %s", req->method, req->path, error->message);
      finish_request (task, NULL, NULL, map_transport_error (self, error));
      return;
    }

  if (req->platform)
    handle_platform_answer (task, req->message, body);
  else
    handle_content_answer (task, req->message, body);
}

static void
add_credentials (QmBungieClient *self,
                 Request        *req,
                 SoupMessage    *message)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *bearer = NULL;

  if (self->auth != NULL)
    {
      req->auth_generation = qm_auth_manager_get_generation (self->auth);
      qm_auth_manager_authorize (self->auth, message);
      return;
    }
  if (self->access_token == NULL || *self->access_token == '\0')
    return;
  bearer = g_strconcat ("Bearer ", self->access_token, NULL);
  soup_message_headers_replace (headers, "Authorization", bearer);
}

static SoupMessage *
build_message (QmBungieClient *self,
               Request        *req)
{
  SoupMessage *message = soup_message_new_from_uri (req->method, req->uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  if (!req->platform)
    return message;

  /* A redirect would drop the Authorization header: report it instead. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->api_key != NULL && *self->api_key != '\0')
    soup_message_headers_replace (headers, "X-API-Key", self->api_key);
  if ((req->flags & QM_REQUEST_AUTH) != 0)
    add_credentials (self, req, message);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", req->body);

  return message;
}

static void
transmit (GTask *task)
{
  QmBungieClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  g_clear_object (&req->message);
  req->message = build_message (self, req);
  soup_session_send_and_read_async (self->session, req->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    on_send_and_read_cb, task);
}

static void
on_credentials_renewed_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  /* An expired sign-in (the manager signed out), offline, or cancelled. */
  if (!qm_auth_manager_refresh_finish (QM_AUTH_MANAGER (source), result, &error))
    {
      finish_request (task, NULL, NULL, error);
      return;
    }
  transmit (task);
}

static void
renew_credentials (GTask *task)
{
  QmBungieClient *self = g_task_get_source_object (task);

  qm_auth_manager_refresh_async (self->auth, g_task_get_cancellable (task),
                                 on_credentials_renewed_cb, task);
}

/* Refreshes a token known to be past its expiry before using it. */
static void
send_request (GTask *task)
{
  QmBungieClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  if (uses_auth_manager (self, req) && qm_auth_manager_needs_refresh (self->auth))
    renew_credentials (task);
  else
    transmit (task);
}

static GUri *
build_uri (QmBungieClient *self,
           const char     *prefix,
           const char     *path,
           const char     *query,
           GError        **error)
{
  g_autofree char *text = NULL;
  GUri *uri;

  text = g_strconcat (self->origin, prefix, path,
                      query != NULL && *query != '\0' ? "?" : "", query, NULL);
  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK,
                 "Could not reach Bungie.net: “%s” is not a valid address", text);
  return uri;
}

static void
start_request (QmBungieClient *self,
               GTask          *task,
               Request        *req,
               const char     *prefix,
               const char     *query)
{
  GError *error = NULL;

  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (sends_credentials (self, req) && !self->origin_trusted)
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN,
                               "Refusing to send credentials to %s: only https "
                               "or this computer's own address is allowed",
                               self->origin);
      g_object_unref (task);
      return;
    }

  req->uri = build_uri (self, prefix, req->path, query, &error);
  if (req->uri == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (req->queue != NULL)
    enqueue_request (task);
  else
    send_request (task);
}

static ActionQueue *
queue_for_flags (QmBungieClient *self,
                 QmRequestFlags  flags)
{
  if ((flags & QM_REQUEST_ACTION_LOADOUT) != 0)
    return &self->queues[QUEUE_LOADOUT];
  if ((flags & QM_REQUEST_ACTION_ITEM) != 0)
    return &self->queues[QUEUE_ITEM];
  return NULL;
}

static void
start_platform_request (QmBungieClient      *self,
                        const char          *method,
                        const char          *path,
                        const char          *query,
                        JsonNode            *body,
                        QmRequestFlags       flags,
                        gboolean             raw,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/' && g_str_has_suffix (path, "/"));
  g_return_if_fail (strchr (path, '?') == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, raw ? (gpointer) qm_bungie_client_request_bytes_async
                                   : (gpointer) qm_bungie_client_request_async);

  req = g_new0 (Request, 1);
  req->method = g_strdup (method);
  req->path = g_strdup (path);
  req->flags = flags;
  req->platform = TRUE;
  req->raw = raw;
  req->queue = queue_for_flags (self, flags);
  if (body != NULL)
    req->body = qm_json_to_bytes (body);

  start_request (self, task, req, "/Platform", query);
}

void
qm_bungie_client_request_async (QmBungieClient      *self,
                                const char          *method,
                                const char          *path,
                                const char          *query,
                                JsonNode            *body,
                                QmRequestFlags       flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  start_platform_request (self, method, path, query, body, flags, FALSE,
                          cancellable, callback, user_data);
}

/**
 * qm_bungie_client_request_bytes_async:
 *
 * Like qm_bungie_client_request_async(), handing back the answer's body
 * instead of the Response node: for large answers read in place
 * (qm_profile_parse_bytes()) and for caches. The answer is judged the same
 * way: the same errors, throttle waits and sign-in retries.
 */
void
qm_bungie_client_request_bytes_async (QmBungieClient      *self,
                                      const char          *method,
                                      const char          *path,
                                      const char          *query,
                                      JsonNode            *body,
                                      QmRequestFlags       flags,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  start_platform_request (self, method, path, query, body, flags, TRUE,
                          cancellable, callback, user_data);
}

/**
 * qm_bungie_client_request_bytes_finish:
 *
 * Returns: (transfer full): the body of an answer whose envelope says
 *   ErrorCode 1
 */
GBytes *
qm_bungie_client_request_bytes_finish (QmBungieClient  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        qm_bungie_client_request_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * qm_bungie_client_request_finish:
 *
 * Returns: (transfer full): the envelope's Response (JSON null when absent)
 */
JsonNode *
qm_bungie_client_request_finish (QmBungieClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
qm_bungie_client_fetch_async (QmBungieClient      *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_bungie_client_fetch_async);

  /* Content is public: no API key, no token. */
  req = g_new0 (Request, 1);
  req->method = g_strdup ("GET");
  req->path = g_strdup (path);

  start_request (self, task, req, "", NULL);
}

/**
 * qm_bungie_client_fetch_finish:
 *
 * Returns: (transfer full): the body
 */
GBytes *
qm_bungie_client_fetch_finish (QmBungieClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_content_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmBungieClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error));
      return;
    }
  status = soup_message_get_status (message);
  g_debug ("GET %s → HTTP %u (streamed)", g_uri_get_path (soup_message_get_uri (message)), status);
  if (status < 200 || status >= 300)
    {
      const char *phrase = soup_status_get_phrase (status);

      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTTP,
                               "Bungie.net answered HTTP %u %s for %s", status,
                               phrase != NULL ? phrase : "", g_uri_get_path (soup_message_get_uri (message)));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

/**
 * qm_bungie_client_open_content_async:
 *
 * Like qm_bungie_client_fetch_async(), for large content read in pieces
 * (the manifest's tables): the body as a stream once a 2xx status arrived.
 * The body is not decoded: gzip is asked for, and
 * qm_bungie_client_open_content_finish() says whether it was used, so that
 * the caller can count the bytes on the wire.
 */
void
qm_bungie_client_open_content_async (QmBungieClient      *self,
                                     const char          *path,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessage *message;
  GError *error = NULL;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_bungie_client_open_content_async);
  uri = build_uri (self, "", path, NULL, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Content is public: no API key, no token. */
  message = soup_message_new_from_uri ("GET", uri);
  soup_message_disable_feature (message, SOUP_TYPE_CONTENT_DECODER);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept-Encoding", "gzip");
  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                           on_content_opened_cb, g_steal_pointer (&task));
}

/**
 * qm_bungie_client_open_content_finish:
 * @content_length: (out) (optional): the body's length on the wire, -1 when
 *   not announced
 * @gzipped: (out) (optional): whether the body is gzip-compressed
 *
 * Returns: (transfer full): the body, as sent
 */
GInputStream *
qm_bungie_client_open_content_finish (QmBungieClient  *self,
                                      GAsyncResult    *result,
                                      goffset         *content_length,
                                      gboolean        *gzipped,
                                      GError         **error)
{
  SoupMessageHeaders *headers;
  const char *encoding;

  g_return_val_if_fail (QM_IS_BUNGIE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  headers = soup_message_get_response_headers (g_task_get_task_data (G_TASK (result)));
  encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  if (content_length != NULL)
    *content_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                      ? soup_message_headers_get_content_length (headers) : -1;
  if (gzipped != NULL)
    *gzipped = encoding != NULL && (g_ascii_strcasecmp (encoding, "gzip") == 0 ||
                                    g_ascii_strcasecmp (encoding, "x-gzip") == 0);
  return g_task_propagate_pointer (G_TASK (result), error);
}
