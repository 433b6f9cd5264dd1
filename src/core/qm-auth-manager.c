/* qm-auth-manager.c: who is signed in, and keeping them signed in
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-auth-manager"

#include "config.h"

#include "qm-auth-manager.h"

#include <glib/gi18n-lib.h>

#include "qm-oauth2-flow.h"

struct _QmAuthManager
{
  GObject       parent_instance;

  QmConfig     *config;
  QmTokenStore *store;            /* nullable: memory only */
  QmToken      *token;            /* nullable: signed out */
  QmAuthState   state;
  guint         generation;       /* bumped whenever the credentials change */
  guint         refresh_count;
  GPtrArray    *refresh_waiters;  /* GTask; non-NULL while a refresh is in flight */
  GCancellable *refresh_cancellable;
  /* GTask; non-NULL while an expired sign-in is being removed from the
   * keyring: they fail with QM_AUTH_ERROR_EXPIRED once it is gone. */
  GPtrArray    *expiring;
};

G_DEFINE_FINAL_TYPE (QmAuthManager, qm_auth_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_MEMBERSHIP_ID,
  N_PROPS
};

enum {
  SIGNED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
qm_auth_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { QM_AUTH_STATE_SIGNED_OUT, "QM_AUTH_STATE_SIGNED_OUT", "signed-out" },
        { QM_AUTH_STATE_SIGNED_IN, "QM_AUTH_STATE_SIGNED_IN", "signed-in" },
        { QM_AUTH_STATE_EXPIRED, "QM_AUTH_STATE_EXPIRED", "expired" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("QmAuthState"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

static const char *
expired_message (void)
{
  return "The sign-in expired or was revoked: sign in again";
}

static void
qm_auth_manager_dispose (GObject *object)
{
  QmAuthManager *self = QM_AUTH_MANAGER (object);

  /* Refresh waiters hold a reference on the manager: none are left here. */
  g_assert (self->refresh_waiters == NULL);
  /* So do the callers waiting for an expired sign-in's removal. */
  g_assert (self->expiring == NULL);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (qm_auth_manager_parent_class)->dispose (object);
}

static void
qm_auth_manager_finalize (GObject *object)
{
  QmAuthManager *self = QM_AUTH_MANAGER (object);

  g_clear_pointer (&self->token, qm_token_free);
  g_clear_pointer (&self->config, qm_config_free);

  G_OBJECT_CLASS (qm_auth_manager_parent_class)->finalize (object);
}

static void
qm_auth_manager_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  QmAuthManager *self = QM_AUTH_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MEMBERSHIP_ID:
      g_value_set_string (value, self->token != NULL ? self->token->membership_id : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_auth_manager_class_init (QmAuthManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_auth_manager_dispose;
  object_class->finalize = qm_auth_manager_finalize;
  object_class->get_property = qm_auth_manager_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       QM_TYPE_AUTH_STATE, QM_AUTH_STATE_SIGNED_OUT,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MEMBERSHIP_ID] =
    g_param_spec_string ("membership-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QmAuthManager::signed-out:
   * @reason: (nullable): the message to show, e.g. after the sign-in expired
   *
   * The session ended: signed out by the player, or expired.
   */
  signals[SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
qm_auth_manager_init (QmAuthManager *self)
{
  self->state = QM_AUTH_STATE_SIGNED_OUT;
}

/**
 * qm_auth_manager_new:
 * @config: the Bungie application and origins (copied)
 * @store: (nullable): where sign-ins are kept; %NULL keeps them in memory
 */
QmAuthManager *
qm_auth_manager_new (const QmConfig *config,
                     QmTokenStore   *store)
{
  QmAuthManager *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (store == NULL || QM_IS_TOKEN_STORE (store), NULL);

  self = g_object_new (QM_TYPE_AUTH_MANAGER, NULL);
  self->config = qm_config_copy (config);
  if (store != NULL)
    self->store = g_object_ref (store);
  return self;
}

const QmConfig *
qm_auth_manager_get_config (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), NULL);

  return self->config;
}

QmAuthState
qm_auth_manager_get_state (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), QM_AUTH_STATE_SIGNED_OUT);

  return self->state;
}

const QmToken *
qm_auth_manager_get_token (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), NULL);

  return self->token;
}

const char *
qm_auth_manager_get_membership_id (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), NULL);

  return self->token != NULL ? self->token->membership_id : NULL;
}

guint
qm_auth_manager_get_refresh_count (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), 0);

  return self->refresh_count;
}

guint
qm_auth_manager_get_generation (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), 0);

  return self->generation;
}

static void
set_state (QmAuthManager *self,
           QmAuthState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Takes @token (nullable). */
static void
set_token (QmAuthManager *self,
           QmToken       *token)
{
  g_autofree char *old_id = NULL;

  if (self->token != NULL)
    old_id = g_strdup (self->token->membership_id);
  g_clear_pointer (&self->token, qm_token_free);
  self->token = token;
  self->generation++;
  if (g_strcmp0 (old_id, qm_auth_manager_get_membership_id (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBERSHIP_ID]);
}

static GError *new_expired_error (void);

/* Fails each of @tasks (nullable) with QM_AUTH_ERROR_EXPIRED. */
static void
fail_expired (GPtrArray *tasks)
{
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_error (g_ptr_array_index (tasks, i), new_expired_error ());
}

static void
on_store_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(QmAuthManager) self = user_data;
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->expiring);
  g_autoptr(GError) error = NULL;

  if (!qm_token_store_clear_finish (QM_TOKEN_STORE (source), result, &error))
    g_debug ("Could not remove the kept sign-in: %s", error->message);
  fail_expired (tasks);
}

/* The refresh token is no good: back to the sign-in page, with a message.
 * @tasks (taken, nullable) fail with QM_AUTH_ERROR_EXPIRED once the kept
 * sign-in is gone from the keyring, so that a caller that ends when told
 * (the CLI) leaves none behind. */
static void
expire_session (QmAuthManager *self,
                GPtrArray     *tasks)
{
  g_autoptr(GObject) guard = g_object_ref (G_OBJECT (self));
  g_autoptr(GPtrArray) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  g_debug ("The sign-in expired");
  set_token (self, NULL);
  if (self->store != NULL)
    {
      if (self->expiring == NULL)
        self->expiring = g_ptr_array_new_with_free_func (g_object_unref);
      if (tasks != NULL)
        g_ptr_array_extend_and_steal (self->expiring, tasks);
      qm_token_store_clear_async (self->store, self->config->origin, NULL,
                                  on_store_cleared_cb, g_object_ref (self));
    }
  else
    {
      now = tasks;
    }
  set_state (self, QM_AUTH_STATE_EXPIRED);
  error = new_expired_error ();
  reason = qm_error_describe (error);
  g_signal_emit (self, signals[SIGNED_OUT], 0, reason);
  fail_expired (now);
}

/* A list of one task (taken), for expire_session(). */
static GPtrArray *
task_list_new (GTask *task)
{
  GPtrArray *tasks = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (tasks, task);
  return tasks;
}

static GError *
new_expired_error (void)
{
  return g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED, expired_message ());
}

static GError *
new_not_signed_in_error (void)
{
  return g_error_new_literal (QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                              "Not signed in to Bungie.net");
}

/* A token that can no longer be refreshed, by the local clock. */
static gboolean
token_is_dead (const QmToken *token,
               gint64         now)
{
  if (token->kind != QM_TOKEN_KIND_OAUTH)
    return FALSE;
  if (token->refresh_token != NULL)
    return qm_token_refresh_expired (token, now);
  return qm_token_access_expired (token, now);
}

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---------------------------------------------------------------------- */
/* Restore                                                                 */

static void
on_restore_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmAuthManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  QmToken *token;

  token = qm_token_store_load_finish (QM_TOKEN_STORE (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (token_is_dead (token, now_s ()))
    {
      qm_token_free (token);
      expire_session (self, task_list_new (g_steal_pointer (&task)));
      return;
    }

  set_token (self, token);
  set_state (self, QM_AUTH_STATE_SIGNED_IN);
  g_task_return_boolean (task, TRUE);
}

/**
 * qm_auth_manager_restore_async:
 *
 * Restore the sign-in kept for the configured origin. A kept sign-in whose
 * refresh token already expired is removed: the state becomes EXPIRED,
 * "signed-out" is emitted with a message, and the call fails with
 * QM_AUTH_ERROR_EXPIRED.
 */
void
qm_auth_manager_restore_async (QmAuthManager       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_AUTH_MANAGER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_auth_manager_restore_async);

  if (self->store == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  qm_token_store_load_async (self->store, self->config->origin, cancellable,
                             on_restore_loaded_cb, g_steal_pointer (&task));
}

gboolean
qm_auth_manager_restore_finish (QmAuthManager  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Sign in, sign out                                                       */

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (qm_token_store_save_finish (QM_TOKEN_STORE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* A new sign-in supersedes whatever refresh was under way. */
static void
cancel_refresh (QmAuthManager *self)
{
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
}

void
qm_auth_manager_sign_in_async (QmAuthManager       *self,
                               const QmToken       *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_AUTH_MANAGER (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_auth_manager_sign_in_async);

  set_token (self, qm_token_copy (token));
  cancel_refresh (self);
  set_state (self, QM_AUTH_STATE_SIGNED_IN);

  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  qm_token_store_save_async (self->store, self->config->origin, token, cancellable,
                             on_saved_cb, g_steal_pointer (&task));
}

/**
 * qm_auth_manager_sign_in_finish:
 *
 * Returns: %TRUE when the sign-in was kept in the keyring; %FALSE with an
 *   error when it could not be (the session goes on in memory)
 */
gboolean
qm_auth_manager_sign_in_finish (QmAuthManager  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_sign_out_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (qm_token_store_clear_finish (QM_TOKEN_STORE (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
qm_auth_manager_sign_out_async (QmAuthManager       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_AUTH_MANAGER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_auth_manager_sign_out_async);

  set_token (self, NULL);
  cancel_refresh (self);
  set_state (self, QM_AUTH_STATE_SIGNED_OUT);
  g_signal_emit (self, signals[SIGNED_OUT], 0, NULL);

  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  qm_token_store_clear_async (self->store, self->config->origin, cancellable,
                              on_sign_out_cleared_cb, g_steal_pointer (&task));
}

gboolean
qm_auth_manager_sign_out_finish (QmAuthManager  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Credentials on a message                                                */

/* The credentials belong to the configured origin: scheme, host and port. */
static gboolean
message_goes_to_origin (QmAuthManager *self,
                        SoupMessage   *message)
{
  GUri *target = soup_message_get_uri (message);
  g_autoptr(GUri) origin = g_uri_parse (self->config->origin, SOUP_HTTP_URI_FLAGS, NULL);

  if (target == NULL || origin == NULL)
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (target), g_uri_get_scheme (origin)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (target), g_uri_get_host (origin)) == 0 &&
         g_uri_get_port (target) == g_uri_get_port (origin);
}

static void
replace_secret_header (SoupMessageHeaders *headers,
                       const char         *name,
                       char               *value)
{
  volatile char *p = value;

  soup_message_headers_replace (headers, name, value);
  while (*p != '\0')
    *p++ = '\0';
  g_free (value);
}

static gboolean
add_bearer (const QmToken      *token,
            SoupMessageHeaders *headers)
{
  if (token->access_token == NULL || *token->access_token == '\0')
    return FALSE;
  replace_secret_header (headers, "Authorization",
                         g_strconcat ("Bearer ", token->access_token, NULL));
  return TRUE;
}

static gboolean
add_cookies (const QmToken      *token,
             SoupMessageHeaders *headers)
{
  GString *cookie;

  if (token->bungled == NULL || token->bungleatk == NULL)
    return FALSE;
  cookie = g_string_new (NULL);
  g_string_append_printf (cookie, "bungled=%s; bungleatk=%s", token->bungled, token->bungleatk);
  if (token->bungledid != NULL)
    g_string_append_printf (cookie, "; bungledid=%s", token->bungledid);
  replace_secret_header (headers, "Cookie", g_string_free (cookie, FALSE));
  soup_message_headers_replace (headers, "x-csrf", token->bungled);
  return TRUE;
}

/**
 * qm_auth_manager_authorize:
 * @message: a request to the configured origin
 *
 * Adds the credentials: a bearer token, or the PSN cookies with x-csrf.
 * Nothing is added for an untrusted origin (plain http off this computer),
 * nor for a message to another origin.
 *
 * Returns: %TRUE when credentials were added
 */
gboolean
qm_auth_manager_authorize (QmAuthManager *self,
                           SoupMessage   *message)
{
  SoupMessageHeaders *headers;

  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  if (self->token == NULL)
    return FALSE;
  if (!qm_origin_is_trusted (self->config->origin) || !message_goes_to_origin (self, message))
    return FALSE;

  headers = soup_message_get_request_headers (message);
  if (self->token->kind == QM_TOKEN_KIND_PSN_COOKIES)
    return add_cookies (self->token, headers);
  return add_bearer (self->token, headers);
}

gboolean
qm_auth_manager_needs_refresh (QmAuthManager *self)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);

  return self->token != NULL &&
         self->token->kind == QM_TOKEN_KIND_OAUTH &&
         qm_token_access_expired (self->token, now_s ());
}

/* ---------------------------------------------------------------------- */
/* Refresh                                                                 */

typedef struct
{
  QmAuthManager *self;
  guint          generation;   /* the credentials the refresh started from */
} Refresh;

/* Hands every waiter the same outcome; takes @error (nullable). */
static void
complete_waiters (QmAuthManager *self,
                  GError        *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);

  g_clear_object (&self->refresh_cancellable);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_clear_error (&error);
}

static void
on_refresh_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(QmAuthManager) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The session goes on with the new token either way. */
  if (!qm_token_store_save_finish (QM_TOKEN_STORE (source), result, &error))
    g_debug ("Could not keep the refreshed sign-in: %s", error->message);
  complete_waiters (self, NULL);
}

/* Tokens rotate; an answer without a new refresh token keeps the old one. */
static void
take_refreshed (QmAuthManager *self,
                QmToken       *fresh)
{
  const QmToken *old = self->token;

  if (fresh->refresh_token == NULL && old->refresh_token != NULL)
    {
      fresh->refresh_token = g_strdup (old->refresh_token);
      fresh->refresh_expires = old->refresh_expires;
    }
  if (fresh->membership_id == NULL)
    fresh->membership_id = g_strdup (old->membership_id);
  set_token (self, fresh);
}

/* The sign-in changed while the refresh was in flight: its outcome is moot. */
static void
finish_superseded (QmAuthManager *self)
{
  complete_waiters (self, self->token != NULL ? NULL : new_not_signed_in_error ());
}

static void
on_token_refreshed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autofree Refresh *refresh = user_data;
  g_autoptr(QmAuthManager) self = refresh->self;
  g_autoptr(GError) error = NULL;
  QmToken *fresh;

  fresh = qm_oauth2_token_request_finish (result, &error);
  if (refresh->generation != self->generation)
    {
      g_clear_pointer (&fresh, qm_token_free);
      finish_superseded (self);
      return;
    }

  if (fresh != NULL)
    {
      take_refreshed (self, fresh);
      if (self->store == NULL)
        {
          complete_waiters (self, NULL);
          return;
        }
      qm_token_store_save_async (self->store, self->config->origin, self->token, NULL,
                                 on_refresh_saved_cb, g_object_ref (self));
      return;
    }

  if (g_error_matches (error, QM_AUTH_ERROR, QM_AUTH_ERROR_EXPIRED))
    {
      g_debug ("The refresh token was refused: %s", error->message);
      g_clear_object (&self->refresh_cancellable);
      expire_session (self, g_steal_pointer (&self->refresh_waiters));
      return;
    }

  /* Offline is not signed out: the tokens stay for the next attempt. */
  g_debug ("Refreshing the sign-in failed: %s", error->message);
  complete_waiters (self, g_steal_pointer (&error));
}

static void
start_refresh (QmAuthManager *self)
{
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->self = g_object_ref (self);
  refresh->generation = self->generation;
  self->refresh_count++;
  self->refresh_cancellable = g_cancellable_new ();
  g_debug ("Refreshing the access token");
  qm_oauth2_token_request_async (self->config, "refresh_token", self->token->refresh_token,
                                 self->refresh_cancellable, on_token_refreshed_cb, refresh);
}

/**
 * qm_auth_manager_refresh_async:
 *
 * Single-flight: callers arriving while a refresh is in flight share it.
 */
void
qm_auth_manager_refresh_async (QmAuthManager       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (QM_IS_AUTH_MANAGER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_auth_manager_refresh_async);

  if (self->refresh_waiters != NULL)
    {
      g_ptr_array_add (self->refresh_waiters, task);
      return;
    }
  /* The expired sign-in is still being removed: its callers are told
   * together, once it is gone. */
  if (self->token == NULL && self->expiring != NULL)
    {
      g_ptr_array_add (self->expiring, task);
      return;
    }
  if (self->token == NULL)
    {
      g_task_return_error (task, self->state == QM_AUTH_STATE_EXPIRED ? new_expired_error ()
                                                                      : new_not_signed_in_error ());
      g_object_unref (task);
      return;
    }
  /* PSN cookies cannot be refreshed, nor can a token past its refresh expiry. */
  if (self->token->kind != QM_TOKEN_KIND_OAUTH || self->token->refresh_token == NULL ||
      qm_token_refresh_expired (self->token, now_s ()))
    {
      expire_session (self, task_list_new (task));
      return;
    }

  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->refresh_waiters, task);
  start_refresh (self);
}

gboolean
qm_auth_manager_refresh_finish (QmAuthManager  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (QM_IS_AUTH_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
