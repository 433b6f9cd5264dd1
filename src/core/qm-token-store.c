/* qm-token-store.c: sign-ins kept in the keyring (libsecret), and nowhere else
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-token-store"

#include "config.h"

#include "qm-token-store.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S 60
#define GENERATION        "1"

struct _QmTokenStore
{
  GObject     parent_instance;

  GHashTable *memory;       /* origin -> QmToken: the session when the keyring is missing */
  GError     *error;        /* why the keyring could not be used */
  gboolean    persistent;
  gboolean    use_keyring;  /* FALSE for a store made to live in memory */
  guint       timeout;      /* seconds a keyring call may take */
  GQueue      waiting;      /* GTask: operations run one at a time, in order */
  gboolean    busy;
};

typedef void (*OpRun) (GTask *task);

/* One operation. Its keyring call is bounded in time: the caller's
 * cancellable and a timer both cancel the call's own cancellable. */
typedef struct
{
  OpRun         run;
  char         *origin;
  QmToken      *token;         /* save */
  GCancellable *cancellable;   /* the keyring call's own */
  GCancellable *caller;        /* the caller's, nullable */
  gulong        caller_handler;
  GSource      *timer;
  gboolean      timed_out;
} Op;

G_DEFINE_FINAL_TYPE (QmTokenStore, qm_token_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PERSISTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema token_schema = {
  "io.github.quartermaster.Quartermaster.Token", SECRET_SCHEMA_NONE,
  {
    { "origin", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static void
op_stop (Op *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_clear_pointer (&op->timer, g_source_unref);
    }
  if (op->caller_handler != 0)
    {
      g_cancellable_disconnect (op->caller, op->caller_handler);
      op->caller_handler = 0;
    }
}

static void
op_free (Op *op)
{
  op_stop (op);
  g_free (op->origin);
  g_clear_pointer (&op->token, qm_token_free);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->caller);
  g_free (op);
}

static void
qm_token_store_finalize (GObject *object)
{
  QmTokenStore *self = QM_TOKEN_STORE (object);

  g_hash_table_unref (self->memory);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (qm_token_store_parent_class)->finalize (object);
}

static void
qm_token_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QmTokenStore *self = QM_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_token_store_class_init (QmTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_token_store_finalize;
  object_class->get_property = qm_token_store_get_property;

  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_token_store_init (QmTokenStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) qm_token_free);
  g_queue_init (&self->waiting);
  self->persistent = TRUE;
  self->use_keyring = TRUE;
  self->timeout = DEFAULT_TIMEOUT_S;
}

/**
 * qm_token_store_new:
 *
 * A store on the Secret Service, which falls back to memory when the
 * keyring turns out to be missing.
 */
QmTokenStore *
qm_token_store_new (void)
{
  return g_object_new (QM_TYPE_TOKEN_STORE, NULL);
}

/**
 * qm_token_store_new_in_memory:
 *
 * A store that never touches the keyring (sandbox sessions, tests): saves
 * succeed, and last as long as the process.
 */
QmTokenStore *
qm_token_store_new_in_memory (void)
{
  QmTokenStore *self = g_object_new (QM_TYPE_TOKEN_STORE, NULL);

  self->use_keyring = FALSE;
  self->persistent = FALSE;
  return self;
}

void
qm_token_store_set_timeout (QmTokenStore *self,
                            guint         seconds)
{
  g_return_if_fail (QM_IS_TOKEN_STORE (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

gboolean
qm_token_store_get_persistent (QmTokenStore *self)
{
  g_return_val_if_fail (QM_IS_TOKEN_STORE (self), FALSE);

  return self->persistent;
}

const GError *
qm_token_store_get_error (QmTokenStore *self)
{
  g_return_val_if_fail (QM_IS_TOKEN_STORE (self), NULL);

  return self->error;
}

static gboolean
keyring_in_use (QmTokenStore *self)
{
  return self->use_keyring && self->persistent;
}

static char *
normalize_origin (const char *origin)
{
  char *copy = g_strdup (origin);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}

static void
remember (QmTokenStore  *self,
          const char    *origin,
          const QmToken *token)
{
  g_hash_table_replace (self->memory, g_strdup (origin), qm_token_copy (token));
}

static QmToken *
recall (QmTokenStore *self,
        const char   *origin)
{
  QmToken *token = g_hash_table_lookup (self->memory, origin);

  return token != NULL ? qm_token_copy (token) : NULL;
}

/* From now on the session lives in memory; the error says why. */
static void
give_up_keyring (QmTokenStore *self,
                 const char   *detail)
{
  if (!self->persistent)
    return;

  g_debug ("Keyring unavailable: %s", detail);
  self->persistent = FALSE;
  g_clear_error (&self->error);
  self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("The keyring is not available: you will have to sign in again "
                               "next time (%s)"),
                             detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

static void
return_unavailable (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);

  g_assert (self->error != NULL);
  g_task_return_error (task, g_error_copy (self->error));
}

static gboolean
on_timer_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timed_out = TRUE;
  g_clear_pointer (&op->timer, g_source_unref);
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  GCancellable *own = user_data;

  g_cancellable_cancel (own);
}

static void run_next (QmTokenStore *self);

/* Every operation ends here, once its result was handed back. */
static void
op_done (GTask *task)
{
  QmTokenStore *self = g_object_ref (g_task_get_source_object (task));

  op_stop (g_task_get_task_data (task));
  g_object_unref (task);
  self->busy = FALSE;
  run_next (self);
  g_object_unref (self);
}

static void
run_next (QmTokenStore *self)
{
  GTask *task;
  Op *op;

  if (self->busy || g_queue_is_empty (&self->waiting))
    return;
  task = g_queue_pop_head (&self->waiting);
  op = g_task_get_task_data (task);
  self->busy = TRUE;
  op->run (task);
}

/* Operations run one at a time so that the keyring sees them in the order
 * they were asked for (a save, then a sign-out, must not cross). */
static void
enqueue (QmTokenStore        *self,
         OpRun                run,
         const char          *origin,
         const QmToken       *token,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->run = run;
  op->origin = normalize_origin (origin);
  op->token = token != NULL ? qm_token_copy (token) : NULL;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  g_queue_push_tail (&self->waiting, task);
  run_next (self);
}

/* Arms the timer and the caller's cancellable just before the keyring call. */
static void
op_arm (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  op->timer = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (op->timer, on_timer_cb, op, NULL);
  g_source_attach (op->timer, g_task_get_context (task));

  if (caller != NULL)
    {
      op->caller = g_object_ref (caller);
      op->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled_cb),
                                                  g_object_ref (op->cancellable),
                                                  g_object_unref);
    }
}

/* A failed keyring call: the caller's cancellation is handed back as is;
 * anything else means there is no usable keyring. Returns TRUE when the
 * store fell back to memory (the result is then still to be returned). */
static gboolean
op_failed (GTask  *task,
           GError *error)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *detail = NULL;

  op_stop (op);
  if (!op->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      op->caller != NULL && g_cancellable_is_cancelled (op->caller))
    {
      g_task_return_error (task, g_error_copy (error));
      return FALSE;
    }

  if (op->timed_out)
    detail = g_strdup_printf (_("no answer within %u seconds"), self->timeout);
  else
    detail = g_strdup (error->message);
  give_up_keyring (self, detail);
  return TRUE;
}

static GHashTable *
attributes_for (const char *origin,
                const char *kind)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (char *) "origin", (char *) origin);
  if (kind != NULL)
    {
      g_hash_table_insert (attributes, (char *) "kind", (char *) kind);
      g_hash_table_insert (attributes, (char *) "generation", (char *) GENERATION);
    }
  return attributes;
}

static const char *
kind_attribute (QmTokenKind kind)
{
  return kind == QM_TOKEN_KIND_PSN_COOKIES ? "psn" : "oauth";
}

/* Secrets we wrote must not linger in freed memory. */
static void
wipe_and_free (char *text)
{
  volatile char *p = text;

  if (text == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (text);
}

/* ---------------------------------------------------------------------- */
/* Save                                                                    */

static void
on_other_kind_cleared_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new item is saved; a leftover of the other kind is only clutter.
   * FALSE without an error means there was none. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not remove an older sign-in of another kind: %s", error->message);
  g_task_return_boolean (task, TRUE);
  op_done (task);
}

/* One item per origin: a sign-in of the other kind for the same origin goes. */
static void
clear_other_kind (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  QmTokenKind other = op->token->kind == QM_TOKEN_KIND_OAUTH ? QM_TOKEN_KIND_PSN_COOKIES
                                                              : QM_TOKEN_KIND_OAUTH;
  g_autoptr(GHashTable) attributes = attributes_for (op->origin, kind_attribute (other));

  secret_password_clearv (&token_schema, attributes, op->cancellable,
                          on_other_kind_cleared_cb, task);
}

static void
save_in_memory (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  remember (self, op->origin, op->token);
  if (self->use_keyring)
    return_unavailable (task);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_stored_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      clear_other_kind (task);
      return;
    }
  if (op_failed (task, error))
    save_in_memory (task);
  op_done (task);
}

static void
run_save (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  char *secret;

  if (!keyring_in_use (self))
    {
      save_in_memory (task);
      op_done (task);
      return;
    }

  attributes = attributes_for (op->origin, kind_attribute (op->token->kind));
  label = g_strdup_printf (_("Quartermaster sign-in (%s)"), op->origin);
  secret = qm_token_serialize (op->token);
  op_arm (task);
  secret_password_storev (&token_schema, attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          op->cancellable, on_stored_cb, task);
  wipe_and_free (secret);
}

/**
 * qm_token_store_save_async:
 *
 * Keep @token as the sign-in for @origin (replacing the one kept before).
 */
void
qm_token_store_save_async (QmTokenStore        *self,
                           const char          *origin,
                           const QmToken       *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (QM_IS_TOKEN_STORE (self));
  g_return_if_fail (origin != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue (self, run_save, origin, token, cancellable, callback, user_data,
           qm_token_store_save_async);
}

gboolean
qm_token_store_save_finish (QmTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (QM_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Load                                                                    */

static void
return_loaded (GTask *task,
               char  *secret)
{
  g_autoptr(GError) error = NULL;
  QmToken *token;

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  token = qm_token_deserialize (secret, &error);
  secret_password_free (secret);
  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, (GDestroyNotify) qm_token_free);
}

static void
on_looked_up_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error == NULL)
    return_loaded (task, secret);
  else if (op_failed (task, error))
    return_unavailable (task);
  op_done (task);
}

static void
run_load (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (!keyring_in_use (self))
    {
      g_task_return_pointer (task, recall (self, op->origin), (GDestroyNotify) qm_token_free);
      op_done (task);
      return;
    }

  attributes = attributes_for (op->origin, NULL);
  op_arm (task);
  secret_password_lookupv (&token_schema, attributes, op->cancellable, on_looked_up_cb, task);
}

/**
 * qm_token_store_load_async:
 *
 * The sign-in kept for @origin. A keyring call that does not answer in time
 * (a prompt nobody answers) is given up, and so is the keyring.
 */
void
qm_token_store_load_async (QmTokenStore        *self,
                           const char          *origin,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (QM_IS_TOKEN_STORE (self));
  g_return_if_fail (origin != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue (self, run_load, origin, NULL, cancellable, callback, user_data,
           qm_token_store_load_async);
}

/**
 * qm_token_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (with no error
 *   when nobody is signed in for the origin)
 */
QmToken *
qm_token_store_load_finish (QmTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (QM_IS_TOKEN_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Clear                                                                   */

static void
on_cleared_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  if (secret_password_clear_finish (result, &error) || error == NULL)
    g_task_return_boolean (task, TRUE);
  else if (op_failed (task, error))
    return_unavailable (task);
  op_done (task);
}

static void
run_clear (GTask *task)
{
  QmTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  g_hash_table_remove (self->memory, op->origin);
  if (!keyring_in_use (self))
    {
      g_task_return_boolean (task, TRUE);
      op_done (task);
      return;
    }

  attributes = attributes_for (op->origin, NULL);
  op_arm (task);
  secret_password_clearv (&token_schema, attributes, op->cancellable, on_cleared_cb, task);
}

/**
 * qm_token_store_clear_async:
 *
 * Forget the sign-in kept for @origin, in memory and in the keyring.
 */
void
qm_token_store_clear_async (QmTokenStore        *self,
                            const char          *origin,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (QM_IS_TOKEN_STORE (self));
  g_return_if_fail (origin != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  enqueue (self, run_clear, origin, NULL, cancellable, callback, user_data,
           qm_token_store_clear_async);
}

gboolean
qm_token_store_clear_finish (QmTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (QM_IS_TOKEN_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
