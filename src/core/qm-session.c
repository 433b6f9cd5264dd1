/* qm-session.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-session"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "qm-session.h"

#include "qm-error.h"
#include "qm-move-executor.h"
#include "qm-profile-cache.h"
#include "qm-psn-flow.h"
#include "qm-token.h"

struct _QmSession
{
  GObject         parent_instance;

  GSettings      *settings;        /* nullable */
  char           *origin;          /* the real account's, instead of the configured one */
  char           *psn_user;        /* the e-mail address of the last PSN sign-in */

  /* The account: which Bungie application, where its sign-in is kept. */
  QmConfig       *config;
  QmTokenStore   *keyring;         /* the real account's store, made once */
  QmTokenStore   *store;           /* the account's (NULL: in memory) */
  QmAuthManager  *auth;
  gboolean        sandbox;
  gboolean        remembered;
  GError         *remember_error;  /* why the last sign-in was not kept */

  /* The sign-in running (NULL: none), and the browser sign-in waiting for
   * its redirect. */
  GCancellable   *sign_in_cancellable;
  QmOAuth2Flow   *oauth_flow;
  QmUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;

  /* What the signed-in account holds. */
  QmBungieClient *client;
  QmManifest     *manifest;
  GCancellable   *manifest_cancellable;
  char           *membership_id;
  QmInventory    *inventory;
  guint           n_loading;

  QmSessionState  state;
  GError         *error;

  /* Moves (and loadouts): one queue per account, made on first use, next
   * to the inventory it changes. */
  QmMoveExecutor *executor;
  QmLoadoutManager *loadouts;   /* created on first use */
};

G_DEFINE_FINAL_TYPE (QmSession, qm_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CLIENT,
  PROP_INVENTORY,
  PROP_MEMBERSHIP_ID,
  PROP_SANDBOX,
  PROP_ERROR,
  PROP_SETTINGS,
  N_PROPS
};

enum {
  SIGNAL_SIGNED_OUT,
  SIGNAL_INVENTORY_CHANGED,
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
qm_session_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { QM_SESSION_STATE_SIGNED_OUT, "QM_SESSION_STATE_SIGNED_OUT", "signed-out" },
        { QM_SESSION_STATE_SIGNING_IN, "QM_SESSION_STATE_SIGNING_IN", "signing-in" },
        { QM_SESSION_STATE_LOADING, "QM_SESSION_STATE_LOADING", "loading" },
        { QM_SESSION_STATE_READY, "QM_SESSION_STATE_READY", "ready" },
        { QM_SESSION_STATE_ERROR, "QM_SESSION_STATE_ERROR", "error" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("QmSessionState"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* ---------------------------------------------------------------------- */
/* Auxiliary methods                                                      */

static void
set_state (QmSession      *self,
           QmSessionState  state)
{
  if (self->state == state)
    return;
  g_debug ("State: %d → %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (QmSession    *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
drop_executor (QmSession *self)
{
  if (self->executor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->executor, self);
  g_clear_object (&self->executor);
}

static gboolean
same_account (QmInventory *a,
              QmInventory *b)
{
  return a != NULL && b != NULL &&
         g_strcmp0 (qm_profile_get_membership_id (qm_inventory_get_profile (a)),
                    qm_profile_get_membership_id (qm_inventory_get_profile (b))) == 0;
}

static void
set_inventory (QmSession   *self,
               QmInventory *inventory)
{
  if (self->inventory == inventory)
    return;

  /* The executor follows the account shown: a newer inventory of the same
   * account is handed to it; another account (or none) ends its queue. */
  if (self->executor != NULL)
    {
      if (same_account (qm_move_executor_get_inventory (self->executor), inventory))
        qm_move_executor_set_inventory (self->executor, inventory);
      else
        drop_executor (self);
    }
  /* Another account's (or no) loadouts. */
  if (self->loadouts != NULL && !same_account (self->inventory, inventory))
    qm_loadout_manager_reset (self->loadouts);

  g_set_object (&self->inventory, inventory);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVENTORY]);
  g_signal_emit (self, signals[SIGNAL_INVENTORY_CHANGED], 0);
}

static void
set_client (QmSession      *self,
            QmBungieClient *client)
{
  if (!g_set_object (&self->client, client))
    return;
  drop_executor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* What the state is when no sign-in runs. */
static QmSessionState
settled_state (QmSession *self)
{
  if (self->client == NULL)
    return QM_SESSION_STATE_SIGNED_OUT;
  if (self->n_loading > 0)
    return QM_SESSION_STATE_LOADING;
  if (self->error != NULL)
    return QM_SESSION_STATE_ERROR;
  return QM_SESSION_STATE_READY;
}

static void
update_state (QmSession *self)
{
  if (self->sign_in_cancellable != NULL)
    set_state (self, QM_SESSION_STATE_SIGNING_IN);
  else
    set_state (self, settled_state (self));
}

/* The account's items and client go; the definitions stay. */
static void
drop_account (QmSession *self)
{
  set_client (self, NULL);
  set_inventory (self, NULL);
  set_error (self, NULL);
}

static void
on_auth_signed_out_cb (QmAuthManager *auth,
                       const char    *reason,
                       QmSession     *self)
{
  g_debug ("Signed out%s", reason != NULL ? " by the service" : "");
  drop_account (self);
  update_state (self);
  g_signal_emit (self, signals[SIGNAL_SIGNED_OUT], 0, reason);
}

static void
cancel_sign_in (QmSession *self)
{
  if (self->sign_in_cancellable != NULL)
    g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_object (&self->oauth_flow);
}

static void
set_auth (QmSession      *self,
          const QmConfig *config,
          QmTokenStore   *store,
          gboolean        sandbox)
{
  cancel_sign_in (self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_pointer (&self->config, qm_config_free);
  drop_account (self);

  self->config = qm_config_copy (config);
  g_set_object (&self->store, store);
  self->auth = qm_auth_manager_new (self->config, store);
  g_signal_connect (self->auth, "signed-out", G_CALLBACK (on_auth_signed_out_cb), self);
  if (self->sandbox != sandbox)
    {
      self->sandbox = sandbox;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX]);
    }
  update_state (self);
}

static void
ensure_account (QmSession *self)
{
  if (self->auth == NULL)
    qm_session_use_real_account (self);
}

/* The account is signed in: its client. */
static void
become_signed_in (QmSession *self)
{
  g_autoptr(QmBungieClient) client = NULL;

  client = qm_bungie_client_new (self->config->origin, self->config->api_key);
  qm_bungie_client_set_auth_manager (client, self->auth);
  set_inventory (self, NULL);
  set_error (self, NULL);
  set_client (self, client);
  update_state (self);
}

/* One sign-in attempt: current while its cancellable is the session's. */
typedef struct
{
  GCancellable *cancellable;
  char         *password;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->cancellable);
  g_clear_pointer (&sign_in->password, qm_secret_free);
  g_free (sign_in);
}

static GTask *
begin_sign_in (QmSession           *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);

  g_task_set_source_tag (task, source_tag);
  ensure_account (self);
  cancel_sign_in (self);
  self->sign_in_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                           g_object_ref (self->sign_in_cancellable), g_object_unref);
  sign_in->cancellable = g_object_ref (self->sign_in_cancellable);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  update_state (self);
  return task;
}

/* Whether the task's sign-in is still the one the session waits for;
 * otherwise the task fails as cancelled. */
static gboolean
sign_in_is_current (GTask *task)
{
  QmSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);

  if (sign_in->cancellable == self->sign_in_cancellable &&
      !g_cancellable_is_cancelled (sign_in->cancellable))
    return TRUE;
  g_debug ("A sign-in ended after it was given up");
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The sign-in was given up");
  return FALSE;
}

static void
sign_in_failed (GTask        *task,
                const GError *error)
{
  QmSession *self = g_task_get_source_object (task);

  g_message ("Could not sign in: %s", error->message);
  cancel_sign_in (self);
  update_state (self);
  g_task_return_error (task, g_error_copy (error));
}

static void
on_kept_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean kept;

  kept = qm_auth_manager_sign_in_finish (QM_AUTH_MANAGER (source), result, &error);
  if (!sign_in_is_current (task))
    return;

  g_clear_object (&self->sign_in_cancellable);
  if (qm_auth_manager_get_state (self->auth) != QM_AUTH_STATE_SIGNED_IN)
    {
      if (error == NULL)
        g_set_error_literal (&error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                             "The sign-in was not taken");
      sign_in_failed (task, error);
      return;
    }
  if (!kept)
    g_message ("The sign-in is kept in memory only: %s", error->message);
  self->remembered = kept;
  g_clear_error (&self->remember_error);
  if (!kept)
    self->remember_error = g_steal_pointer (&error);
  become_signed_in (self);
  g_task_return_boolean (task, TRUE);
}

/* A sign-in flow ended: keep its token, or say why there is none. */
static void
finish_sign_in (GTask        *task,
                QmToken      *token,
                const GError *error)
{
  QmSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);

  if (!sign_in_is_current (task))
    {
      g_object_unref (task);
      return;
    }
  if (token == NULL)
    {
      sign_in_failed (task, error);
      g_object_unref (task);
      return;
    }
  qm_auth_manager_sign_in_async (self->auth, token, sign_in->cancellable, on_kept_cb, task);
}

static void
on_oauth_signed_in_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  QmSession *self = g_task_get_source_object (task);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = qm_oauth2_flow_sign_in_finish (QM_OAUTH2_FLOW (source), result, &error);
  if (self->oauth_flow == QM_OAUTH2_FLOW (source))
    g_clear_object (&self->oauth_flow);
  finish_sign_in (task, token, error);
}

static void
on_psn_signed_in_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(QmToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = qm_psn_flow_sign_in_finish (QM_PSN_FLOW (source), result, &error);
  /* Used once: gone before anything else happens. */
  g_clear_pointer (&sign_in->password, qm_secret_free);
  finish_sign_in (task, token, error);
}

static void
on_restored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean restored;

  restored = qm_auth_manager_restore_finish (QM_AUTH_MANAGER (source), result, &error);
  if (self->auth != QM_AUTH_MANAGER (source))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The account changed meanwhile");
      return;
    }
  if (!sign_in_is_current (task))
    return;

  g_clear_object (&self->sign_in_cancellable);
  if (restored)
    {
      self->remembered = TRUE;
      become_signed_in (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  update_state (self);
  if (error != NULL)
    {
      g_message ("No sign-in restored: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, FALSE);
}

/* The profile saved for the next start belongs to the account signing
 * out: it goes with it. */
static void
forget_shown_profile (QmSession *self)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (self->settings == NULL)
    return;
  id = g_settings_get_string (self->settings, "shown-membership-id");
  g_settings_reset (self->settings, "shown-membership-id");
  if (*id == '\0')
    return;
  path = qm_profile_cache_get_path (id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_message ("Could not remove the saved profile %s: %s", path, g_strerror (errno));
}

static void
on_signed_out_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (qm_auth_manager_sign_out_finish (QM_AUTH_MANAGER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* The membership shown, so that the next start can show its saved profile
 * at once. */
static void
remember_shown_membership (QmSession   *self,
                           QmInventory *inventory)
{
  const char *id = qm_profile_get_membership_id (qm_inventory_get_profile (inventory));

  if (self->settings != NULL && id != NULL)
    g_settings_set_string (self->settings, "shown-membership-id", id);
}

static void
take_loaded_inventory (QmSession   *self,
                       QmInventory *inventory)
{
  /* A profile older than the one held or than our own last change is
   * Bungie's cache answering: keep the one held. */
  if (self->inventory == NULL ||
      g_strcmp0 (qm_profile_get_membership_id (qm_inventory_get_profile (self->inventory)),
                 qm_profile_get_membership_id (qm_inventory_get_profile (inventory))) != 0 ||
      qm_inventory_judge_update (self->inventory, inventory) == QM_PROFILE_FRESH)
    {
      set_inventory (self, inventory);
    }
  else
    {
      GListModel *items = qm_profile_get_items (qm_inventory_get_profile (self->inventory));
      QmManifest *manifest = qm_inventory_get_manifest (inventory);

      /* The same items, but the definitions may be new (another language,
       * a new manifest): the items held take them. */
      g_debug ("Keeping the inventory held: the one fetched is not newer");
      for (guint i = 0, n = g_list_model_get_n_items (items); i < n; i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (items, i);

          qm_manifest_apply (manifest, item);
        }
    }
  remember_shown_membership (self, inventory);
}

static void
on_inventory_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmSession *self = g_task_get_source_object (task);
  QmBungieClient *client = g_task_get_task_data (task);
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  inventory = qm_inventory_load_finish (result, &error);
  self->n_loading--;
  /* Signed out or in again meanwhile: nothing of it is kept. */
  if (client != self->client)
    {
      update_state (self);
      if (inventory != NULL)
        g_task_return_pointer (task, g_steal_pointer (&inventory), g_object_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (inventory != NULL)
    {
      set_error (self, NULL);
      take_loaded_inventory (self, inventory);
      update_state (self);
      g_task_return_pointer (task, g_steal_pointer (&inventory), g_object_unref);
      return;
    }
  if (!qm_error_is_cancelled (error))
    {
      g_message ("Could not load the inventory: %s", error->message);
      set_error (self, error);
      update_state (self);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
    }
  else
    {
      update_state (self);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_language_updated_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!qm_manifest_update_finish (QM_MANIFEST (source), result, NULL, &error))
    {
      if (!qm_error_is_cancelled (error))
        g_message ("Could not load the definitions in the chosen language: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Opened when first needed: a command that needs no definitions does not
 * read them. */
static QmManifest *
ensure_manifest (QmSession *self)
{
  g_autoptr(GError) error = NULL;

  if (self->manifest != NULL)
    return self->manifest;
  self->manifest = qm_manifest_new (NULL);
  if (self->settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (self->settings, "manifest-language");

      qm_manifest_set_language (self->manifest, language);
    }
  /* Definitions from the last run at once, even offline; the first load
   * brings them up to date. */
  if (!qm_manifest_open_cached (self->manifest, &error))
    g_debug ("No cached definitions: %s", error->message);
  return self->manifest;
}

/* ---------------------------------------------------------------------- */
/* GObject overrides                                                      */

static void
qm_session_constructed (GObject *object)
{
  QmSession *self = QM_SESSION (object);

  G_OBJECT_CLASS (qm_session_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      self->membership_id = g_settings_get_string (self->settings, "membership-id");
      if (*self->membership_id == '\0')
        g_clear_pointer (&self->membership_id, g_free);
      self->psn_user = g_settings_get_string (self->settings, "psn-email");
    }
}

static void
qm_session_dispose (GObject *object)
{
  QmSession *self = QM_SESSION (object);

  cancel_sign_in (self);
  if (self->manifest_cancellable != NULL)
    g_cancellable_cancel (self->manifest_cancellable);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  drop_executor (self);
  g_clear_object (&self->loadouts);
  g_clear_object (&self->client);
  g_clear_object (&self->inventory);
  g_clear_object (&self->auth);
  g_clear_object (&self->keyring);
  g_clear_object (&self->store);
  g_clear_object (&self->manifest_cancellable);
  g_clear_object (&self->manifest);
  g_clear_object (&self->settings);
  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher_destroy = NULL;
  self->launcher = NULL;

  G_OBJECT_CLASS (qm_session_parent_class)->dispose (object);
}

static void
qm_session_finalize (GObject *object)
{
  QmSession *self = QM_SESSION (object);

  g_clear_pointer (&self->config, qm_config_free);
  g_clear_error (&self->error);
  g_clear_error (&self->remember_error);
  g_free (self->membership_id);
  g_free (self->origin);
  g_free (self->psn_user);

  G_OBJECT_CLASS (qm_session_parent_class)->finalize (object);
}

static void
qm_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  QmSession *self = QM_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, qm_session_get_state (self));
      break;
    case PROP_CLIENT:
      g_value_set_object (value, qm_session_get_client (self));
      break;
    case PROP_INVENTORY:
      g_value_set_object (value, qm_session_get_inventory (self));
      break;
    case PROP_MEMBERSHIP_ID:
      g_value_set_string (value, qm_session_get_membership_id (self));
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, qm_session_get_sandbox (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, qm_session_get_error (self));
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  QmSession *self = QM_SESSION (object);

  switch (prop_id)
    {
    case PROP_MEMBERSHIP_ID:
      qm_session_set_membership_id (self, g_value_get_string (value));
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_session_class_init (QmSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = qm_session_constructed;
  object_class->dispose = qm_session_dispose;
  object_class->finalize = qm_session_finalize;
  object_class->get_property = qm_session_get_property;
  object_class->set_property = qm_session_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       QM_TYPE_SESSION_STATE, QM_SESSION_STATE_SIGNED_OUT,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QM_TYPE_BUNGIE_CLIENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_INVENTORY] =
    g_param_spec_object ("inventory", NULL, NULL, QM_TYPE_INVENTORY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MEMBERSHIP_ID] =
    g_param_spec_string ("membership-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_INVENTORY_CHANGED] =
    g_signal_new ("inventory-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
qm_session_init (QmSession *self)
{
  self->state = QM_SESSION_STATE_SIGNED_OUT;
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

QmSession *
qm_session_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (QM_TYPE_SESSION, "settings", settings, NULL);
}

void
qm_session_set_account (QmSession      *self,
                        const QmConfig *config,
                        QmTokenStore   *store,
                        gboolean        sandbox)
{
  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (config != NULL);
  g_return_if_fail (store == NULL || QM_IS_TOKEN_STORE (store));

  set_auth (self, config, store, sandbox);
}

void
qm_session_use_real_account (QmSession *self)
{
  g_autoptr(QmConfig) config = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *client_id = NULL;

  g_return_if_fail (QM_IS_SESSION (self));

  if (self->auth != NULL && !self->sandbox)
    return;

  /* The Bungie application of the build, the preferences and the
   * environment; the origin given wins. */
  if (self->settings != NULL)
    {
      api_key = g_settings_get_string (self->settings, "api-key");
      client_id = g_settings_get_string (self->settings, "oauth-client-id");
    }
  config = qm_config_new_with_preferences (api_key, client_id, NULL);
  if (self->origin != NULL)
    {
      g_free (config->origin);
      config->origin = g_strdup (self->origin);
    }
  if (self->keyring == NULL)
    self->keyring = qm_token_store_new ();
  set_auth (self, config, self->keyring, FALSE);
}

void
qm_session_set_origin (QmSession  *self,
                       const char *origin)
{
  g_return_if_fail (QM_IS_SESSION (self));

  g_free (self->origin);
  self->origin = g_strdup (origin);
}

gboolean
qm_session_get_sandbox (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);

  return self->sandbox;
}

const QmConfig *
qm_session_get_config (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->config;
}

QmSessionState
qm_session_get_state (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), QM_SESSION_STATE_SIGNED_OUT);

  return self->state;
}

gboolean
qm_session_get_signed_in (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);

  return self->client != NULL;
}

QmAuthManager *
qm_session_get_auth_manager (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->auth;
}

QmBungieClient *
qm_session_get_client (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->client;
}

QmManifest *
qm_session_get_manifest (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return ensure_manifest (self);
}

QmInventory *
qm_session_get_inventory (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->inventory;
}

/* The executor replaced its inventory (a reload after a failed or cancelled
 * run): the session shows that one. */
static void
on_executor_inventory_cb (QmMoveExecutor *executor,
                          GParamSpec     *pspec,
                          QmSession      *self)
{
  QmInventory *inventory = qm_move_executor_get_inventory (executor);

  if (inventory != self->inventory && same_account (inventory, self->inventory))
    set_inventory (self, inventory);
}

/**
 * qm_session_get_loadout_manager:
 *
 * Returns: (transfer none): the account's in-game loadouts; their actions
 *   go through qm_session_get_executor()'s queue
 */
QmLoadoutManager *
qm_session_get_loadout_manager (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  if (self->loadouts == NULL)
    self->loadouts = qm_loadout_manager_new (self);
  return self->loadouts;
}

QmMoveExecutor *
qm_session_get_executor (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  if (self->executor == NULL && self->client != NULL && self->inventory != NULL)
    {
      self->executor = qm_move_executor_new (self->client, self->inventory);
      g_signal_connect (self->executor, "notify::inventory",
                        G_CALLBACK (on_executor_inventory_cb), self);
    }
  return self->executor;
}

const GError *
qm_session_get_error (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->error;
}

gboolean
qm_session_get_remembered (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);

  return self->remembered;
}

const GError *
qm_session_get_remember_error (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->remember_error;
}

QmTokenStore *
qm_session_get_token_store (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->store;
}

gboolean
qm_session_get_persistent (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);

  return self->store != NULL && qm_token_store_get_persistent (self->store);
}

void
qm_session_set_uri_launcher (QmSession      *self,
                             QmUriLauncher   launcher,
                             gpointer        user_data,
                             GDestroyNotify  destroy)
{
  g_return_if_fail (QM_IS_SESSION (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

void
qm_session_sign_in_oauth_async (QmSession           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(QmOAuth2Flow) flow = NULL;
  GTask *task;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_sign_in (self, cancellable, callback, user_data, qm_session_sign_in_oauth_async);
  flow = qm_oauth2_flow_new (self->config);
  if (self->launcher != NULL)
    qm_oauth2_flow_set_launcher (flow, self->launcher, self->launcher_data, NULL);
  self->oauth_flow = g_object_ref (flow);
  qm_oauth2_flow_sign_in_async (flow, self->sign_in_cancellable, on_oauth_signed_in_cb, task);
}

void
qm_session_sign_in_psn_async (QmSession           *self,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(QmPsnFlow) flow = NULL;
  SignIn *sign_in;
  GTask *task;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Not a secret: offered again next time. */
  if (g_strcmp0 (self->psn_user, user) != 0)
    {
      g_free (self->psn_user);
      self->psn_user = g_strdup (user);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "psn-email", user);
    }
  task = begin_sign_in (self, cancellable, callback, user_data, qm_session_sign_in_psn_async);
  sign_in = g_task_get_task_data (task);
  sign_in->password = g_strdup (password);
  flow = qm_psn_flow_new (self->config);
  qm_psn_flow_sign_in_async (flow, user, sign_in->password, sign_in->cancellable,
                             on_psn_signed_in_cb, task);
}

const char *
qm_session_get_psn_user (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->psn_user != NULL && *self->psn_user != '\0' ? self->psn_user : NULL;
}

gboolean
qm_session_sign_in_finish (QmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
qm_session_restore_async (QmSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = begin_sign_in (self, cancellable, callback, user_data, qm_session_restore_async);
  qm_auth_manager_restore_async (self->auth, self->sign_in_cancellable, on_restored_cb, task);
}

gboolean
qm_session_restore_finish (QmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
qm_session_handle_redirect (QmSession   *self,
                            const char  *uri,
                            GError     **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (self->oauth_flow == NULL)
    {
      /* Nothing asked for it: someone else's, or an old one. */
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_STATE_MISMATCH,
                           "No sign-in is waiting for this answer");
      return FALSE;
    }
  /* A refused redirect fails the pending sign-in, which then says why. */
  return qm_oauth2_flow_handle_redirect (self->oauth_flow, uri, error);
}

gboolean
qm_session_get_waiting_for_redirect (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);

  return self->oauth_flow != NULL;
}

void
qm_session_cancel_sign_in (QmSession *self)
{
  g_return_if_fail (QM_IS_SESSION (self));

  cancel_sign_in (self);
  update_state (self);
}

void
qm_session_sign_out_async (QmSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_session_sign_out_async);

  cancel_sign_in (self);
  forget_shown_profile (self);
  if (self->auth == NULL)
    {
      drop_account (self);
      update_state (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* The auth manager says "signed-out" at once, which drops the account. */
  qm_auth_manager_sign_out_async (self->auth, cancellable, on_signed_out_cb,
                                  g_steal_pointer (&task));
}

gboolean
qm_session_sign_out_finish (QmSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
qm_session_set_client (QmSession      *self,
                       QmBungieClient *client)
{
  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (client == NULL || QM_IS_BUNGIE_CLIENT (client));

  if (self->client == client)
    return;
  cancel_sign_in (self);
  set_inventory (self, NULL);
  set_error (self, NULL);
  set_client (self, client);
  update_state (self);
}

void
qm_session_refresh_async (QmSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_session_refresh_async);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                               "Not signed in");
      return;
    }

  g_task_set_task_data (task, g_object_ref (self->client), g_object_unref);
  self->n_loading++;
  update_state (self);
  qm_inventory_load_for_membership_async (self->client, ensure_manifest (self), self->membership_id,
                                          cancellable, on_inventory_loaded_cb,
                                          g_steal_pointer (&task));
}

QmInventory *
qm_session_refresh_finish (QmSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

QmInventory *
qm_session_load_cached (QmSession  *self,
                        GError    **error)
{
  g_autoptr(QmInventory) cached = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  id = g_strdup (self->membership_id);
  if (id == NULL && self->settings != NULL)
    id = g_settings_get_string (self->settings, "shown-membership-id");
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No profile was saved");
      return NULL;
    }
  cached = qm_inventory_load_cached (id, ensure_manifest (self), error);
  if (cached != NULL && self->inventory == NULL)
    set_inventory (self, cached);
  return g_steal_pointer (&cached);
}

const char *
qm_session_get_membership_id (QmSession *self)
{
  g_return_val_if_fail (QM_IS_SESSION (self), NULL);

  return self->membership_id;
}

void
qm_session_set_membership_id (QmSession  *self,
                              const char *membership_id)
{
  g_return_if_fail (QM_IS_SESSION (self));

  if (membership_id != NULL && *membership_id == '\0')
    membership_id = NULL;
  if (g_strcmp0 (self->membership_id, membership_id) == 0)
    return;
  g_free (self->membership_id);
  self->membership_id = g_strdup (membership_id);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "membership-id", membership_id != NULL ? membership_id : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMBERSHIP_ID]);
}

void
qm_session_switch_membership_async (QmSession           *self,
                                    const char          *membership_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (QM_IS_SESSION (self));

  qm_session_set_membership_id (self, membership_id);
  qm_session_refresh_async (self, cancellable, callback, user_data);
}

QmInventory *
qm_session_switch_membership_finish (QmSession     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return qm_session_refresh_finish (self, result, error);
}

void
qm_session_set_language_async (QmSession           *self,
                               const char          *language,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QM_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_session_set_language_async);

  qm_manifest_set_language (ensure_manifest (self), language);
  /* The cache of that language, when there is one, at once; then the
   * network. */
  if (!qm_manifest_open_cached (self->manifest, NULL))
    g_debug ("No cached definitions in “%s” yet", language != NULL ? language : "");
  if (self->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->manifest_cancellable != NULL)
    g_cancellable_cancel (self->manifest_cancellable);
  g_clear_object (&self->manifest_cancellable);
  self->manifest_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  qm_manifest_update_async (self->manifest, self->client, self->manifest_cancellable,
                            on_language_updated_cb, g_steal_pointer (&task));
}

gboolean
qm_session_set_language_finish (QmSession     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (QM_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
