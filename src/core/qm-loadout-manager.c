/* qm-loadout-manager.c: the account's in-game loadouts and their actions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadouts"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "qm-loadout-manager.h"

#include "qm-error.h"
#include "qm-move-executor.h"
#include "qm-session.h"

/* The one component a re-read needs. */
#define LOADOUT_COMPONENTS "200,206"

struct _QmLoadoutManager
{
  GObject     parent_instance;

  QmSession  *session;    /* weak: the session owns the manager */
  QmLoadouts *loadouts;
  guint       busy;
};

G_DEFINE_FINAL_TYPE (QmLoadoutManager, qm_loadout_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADOUTS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
qm_loadout_manager_finalize (GObject *object)
{
  QmLoadoutManager *self = QM_LOADOUT_MANAGER (object);

  if (self->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->session), (gpointer *) &self->session);
  g_clear_object (&self->loadouts);
  G_OBJECT_CLASS (qm_loadout_manager_parent_class)->finalize (object);
}

static void
qm_loadout_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QmLoadoutManager *self = QM_LOADOUT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_LOADOUTS:
      g_value_set_object (value, self->loadouts);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_loadout_manager_class_init (QmLoadoutManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_loadout_manager_finalize;
  object_class->get_property = qm_loadout_manager_get_property;

  properties[PROP_LOADOUTS] =
    g_param_spec_object ("loadouts", NULL, NULL, QM_TYPE_LOADOUTS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_loadout_manager_init (QmLoadoutManager *self)
{
}

QmLoadoutManager *
qm_loadout_manager_new (QmSession *session)
{
  QmLoadoutManager *self;

  g_return_val_if_fail (QM_IS_SESSION (session), NULL);

  self = g_object_new (QM_TYPE_LOADOUT_MANAGER, NULL);
  self->session = session;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &self->session);
  return self;
}

QmLoadouts *
qm_loadout_manager_get_loadouts (QmLoadoutManager *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_MANAGER (self), NULL);
  return self->loadouts;
}

gboolean
qm_loadout_manager_get_busy (QmLoadoutManager *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_MANAGER (self), FALSE);
  return self->busy > 0;
}

static void
set_loadouts (QmLoadoutManager *self,
              QmLoadouts       *loadouts)
{
  if (g_set_object (&self->loadouts, loadouts))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADOUTS]);
}

void
qm_loadout_manager_reset (QmLoadoutManager *self)
{
  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));
  set_loadouts (self, NULL);
}

static void
hold (QmLoadoutManager *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
release (QmLoadoutManager *self)
{
  g_assert (self->busy > 0);
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The account's inventory, or NULL with the error to show. */
static QmInventory *
account_inventory (QmLoadoutManager *self,
                   GError          **error)
{
  QmInventory *inventory = self->session != NULL ? qm_session_get_inventory (self->session) : NULL;

  if (inventory == NULL || qm_session_get_client (self->session) == NULL)
    g_set_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN,
                 _("Sign in and load your inventory first."));
  return inventory;
}

/* ------------------------------------------------------------------------
 * Reading component 206
 * ------------------------------------------------------------------------ */

typedef struct
{
  /* The action (NULL: a plain read) */
  char     *action;
  char     *character_id;
  int       index;
  guint32   name_hash;
  guint32   color_hash;
  guint32   icon_hash;
  /* What came of it */
  char     *notice;
  GError   *failure;
  gboolean  held;
} Op;

static void
op_free (Op *op)
{
  g_free (op->action);
  g_free (op->character_id);
  g_free (op->notice);
  g_clear_error (&op->failure);
  g_free (op);
}

static void
task_done (GTask *task)
{
  QmLoadoutManager *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (op->held)
    {
      op->held = FALSE;
      release (self);
    }
}

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QmLoadoutManager *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = qm_bungie_client_get_profile_bytes_finish (QM_BUNGIE_CLIENT (source), result, &error);
  g_autoptr(QmLoadouts) loadouts = NULL;

  if (bytes != NULL)
    loadouts = qm_loadouts_parse_bytes (bytes, &error);
  if (loadouts != NULL)
    set_loadouts (self, loadouts);
  task_done (task);

  /* An action's own failure comes first; the read is then only a bonus. */
  if (op->failure != NULL)
    g_task_return_error (task, g_steal_pointer (&op->failure));
  else if (loadouts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&loadouts), g_object_unref);
}

static void
read_loadouts (GTask *task)
{
  QmLoadoutManager *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  QmInventory *inventory = account_inventory (self, &error);
  Op *op = g_task_get_task_data (task);
  QmProfile *profile;

  if (inventory == NULL)
    {
      task_done (task);
      g_task_return_error (task, op->failure != NULL ? g_steal_pointer (&op->failure) : g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  profile = qm_inventory_get_profile (inventory);
  qm_bungie_client_get_profile_bytes_async (qm_session_get_client (self->session),
                                            qm_profile_get_membership_type (profile),
                                            qm_profile_get_membership_id (profile),
                                            LOADOUT_COMPONENTS, g_task_get_cancellable (task),
                                            on_read_cb, task);
}

static GTask *
op_task_new (QmLoadoutManager    *self,
             Op                  *op,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  op->held = TRUE;
  hold (self);
  return task;
}

void
qm_loadout_manager_refresh_async (QmLoadoutManager    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));

  read_loadouts (op_task_new (self, g_new0 (Op, 1), cancellable, callback, user_data,
                              qm_loadout_manager_refresh_async));
}

/**
 * qm_loadout_manager_refresh_finish:
 *
 * Returns: (transfer full): the loadouts read
 */
QmLoadouts *
qm_loadout_manager_refresh_finish (QmLoadoutManager  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (QM_IS_LOADOUT_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Actions, in the move queue
 * ------------------------------------------------------------------------ */

static char *
character_name (QmInventory *inventory,
                const char  *character_id)
{
  const QmCharacter *character = qm_profile_find_character (qm_inventory_get_profile (inventory), character_id);

  return g_strdup (qm_class_type_display_name (character != NULL ? character->class_type : 3));
}

/* The sentence for an action Bungie refused. */
static GError *
describe_failure (Op          *op,
                  QmInventory *inventory,
                  GError      *error)
{
  g_autofree char *who = character_name (inventory, op->character_id);
  g_autofree char *why = NULL;
  int code = error->domain == QM_PLATFORM_ERROR ? error->code : 0;
  GError *described;

  if (error->domain != QM_PLATFORM_ERROR)
    return g_error_copy (error);   /* the moves' own sentence, or the connection's */

  if (code == QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION ||
      code == QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER)
    {
      if (g_strcmp0 (op->action, "EquipLoadout") == 0)
        return g_error_new (QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT,
                            /* Translators: the class, twice */
                            _("The items are ready on your %s, but your %s is not in orbit or a social space: equip the loadout in the game."),
                            who, who);
      return g_error_new (QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_IN_ORBIT,
                          _("Your %s is not in orbit or a social space, so the loadout cannot be changed now."), who);
    }
  why = qm_error_describe (error);
  described = g_error_new (error->domain, error->code,
                           /* Translators: the loadout's number, then why */
                           _("Bungie.net refused the change to loadout %d: %s"), op->index + 1, why);
  return described;
}

static void
on_run_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  QmLoadoutManager *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  QmInventory *inventory;

  if (!qm_move_executor_run_then_finish (QM_MOVE_EXECUTOR (source), result, &op->notice, &error))
    {
      inventory = self->session != NULL ? qm_session_get_inventory (self->session) : NULL;
      op->failure = inventory != NULL ? describe_failure (op, inventory, error) : g_error_copy (error);
    }
  /* The action answered no state: read 206 again whatever happened. */
  read_loadouts (task);
}

static void
queue_action (GTask         *task,
              const GArray  *requests)
{
  QmLoadoutManager *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  QmInventory *inventory = account_inventory (self, &error);
  QmMoveExecutor *executor = inventory != NULL ? qm_session_get_executor (self->session) : NULL;

  if (executor == NULL)
    {
      if (error == NULL)
        g_set_error (&error, QM_AUTH_ERROR, QM_AUTH_ERROR_NOT_SIGNED_IN, _("Sign in and load your inventory first."));
      task_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  body = qm_bungie_client_loadout_body (qm_profile_get_membership_type (qm_inventory_get_profile (inventory)),
                                        op->character_id, op->index,
                                        op->color_hash, op->icon_hash, op->name_hash);
  qm_move_executor_run_then_async (executor,
                                   requests != NULL ? (const QmMoveRequest *) (gconstpointer) requests->data : NULL,
                                   requests != NULL ? requests->len : 0, NULL,
                                   op->action, body, g_task_get_cancellable (task), on_run_cb, task);
}

static gboolean
check_slot (QmLoadoutManager *self,
            const char       *character_id,
            int               index,
            GError          **error)
{
  QmInventory *inventory = account_inventory (self, error);

  if (inventory == NULL)
    return FALSE;
  if (qm_profile_find_character (qm_inventory_get_profile (inventory), character_id) == NULL)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                   _("This account has no character with the ID %s."), character_id);
      return FALSE;
    }
  if (self->loadouts != NULL &&
      qm_loadouts_get_loadout (self->loadouts, character_id, index) == NULL)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND,
                   /* Translators: the loadout's number */
                   _("There is no loadout %d: this character has %u loadout slots."), index + 1,
                   g_list_model_get_n_items (qm_loadouts_get_for_character (self->loadouts, character_id)));
      return FALSE;
    }
  return TRUE;
}

static void
start_action (QmLoadoutManager    *self,
              const char          *action,
              const char          *character_id,
              int                  index,
              guint32              name_hash,
              guint32              color_hash,
              guint32              icon_hash,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  Op *op = g_new0 (Op, 1);
  GTask *task;
  g_autoptr(GError) error = NULL;

  op->action = g_strdup (action);
  op->character_id = g_strdup (character_id);
  op->index = index;
  op->name_hash = name_hash;
  op->color_hash = color_hash;
  op->icon_hash = icon_hash;
  task = op_task_new (self, op, cancellable, callback, user_data, source_tag);
  if (!check_slot (self, character_id, index, &error))
    {
      task_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  queue_action (task, NULL);
}

/* Equip, once 206 was read: the moves, then EquipLoadout. */
static void
on_equip_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  QmLoadoutManager *self = QM_LOADOUT_MANAGER (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmLoadouts) loadouts = qm_loadout_manager_refresh_finish (self, result, &error);
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) requests = NULL;
  QmMoveExecutor *executor;
  QmLoadout *loadout;
  int target;

  if (loadouts == NULL || !check_slot (self, op->character_id, op->index, &error))
    {
      task_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  loadout = qm_loadouts_get_loadout (loadouts, op->character_id, op->index);
  if (qm_loadout_is_empty (loadout))
    {
      task_done (task);
      g_task_return_new_error (task, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID,
                               /* Translators: the loadout's number */
                               _("Loadout %d is empty: there is nothing to equip."), op->index + 1);
      g_object_unref (task);
      return;
    }

  executor = qm_session_get_executor (self->session);
  if (executor == NULL)
    {
      queue_action (task, NULL);   /* says why */
      return;
    }
  state = qm_move_executor_dup_state (executor);
  target = qm_move_state_find_character (state, g_ascii_strtoull (op->character_id, NULL, 10));
  requests = qm_loadout_equip_requests (state, qm_loadout_get_item_ids (loadout), target, NULL);
  queue_action (task, requests);
}

void
qm_loadout_manager_equip_async (QmLoadoutManager    *self,
                                const char          *character_id,
                                int                  index,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Op *op;
  GTask *task;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));
  g_return_if_fail (character_id != NULL);

  op = g_new0 (Op, 1);
  op->action = g_strdup ("EquipLoadout");
  op->character_id = g_strdup (character_id);
  op->index = index;
  task = op_task_new (self, op, cancellable, callback, user_data, qm_loadout_manager_equip_async);
  if (!check_slot (self, character_id, index, &error))
    {
      task_done (task);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* The items as the game has them now. */
  qm_loadout_manager_refresh_async (self, cancellable, on_equip_read_cb, task);
}

void
qm_loadout_manager_snapshot_async (QmLoadoutManager    *self,
                                   const char          *character_id,
                                   int                  index,
                                   guint32              name_hash,
                                   guint32              color_hash,
                                   guint32              icon_hash,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));
  g_return_if_fail (character_id != NULL);

  start_action (self, "SnapshotLoadout", character_id, index, name_hash, color_hash, icon_hash,
                cancellable, callback, user_data, qm_loadout_manager_snapshot_async);
}

void
qm_loadout_manager_update_async (QmLoadoutManager    *self,
                                 const char          *character_id,
                                 int                  index,
                                 guint32              name_hash,
                                 guint32              color_hash,
                                 guint32              icon_hash,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));
  g_return_if_fail (character_id != NULL);

  start_action (self, "UpdateLoadoutIdentifiers", character_id, index, name_hash, color_hash, icon_hash,
                cancellable, callback, user_data, qm_loadout_manager_update_async);
}

void
qm_loadout_manager_clear_async (QmLoadoutManager    *self,
                                const char          *character_id,
                                int                  index,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (QM_IS_LOADOUT_MANAGER (self));
  g_return_if_fail (character_id != NULL);

  start_action (self, "ClearLoadout", character_id, index, 0, 0, 0,
                cancellable, callback, user_data, qm_loadout_manager_clear_async);
}

/**
 * qm_loadout_manager_action_finish:
 * @notice: (out) (optional) (transfer full): what the moves left to say
 *
 * Returns: (transfer full): the loadouts read after the action
 */
QmLoadouts *
qm_loadout_manager_action_finish (QmLoadoutManager  *self,
                                  GAsyncResult      *result,
                                  char             **notice,
                                  GError           **error)
{
  Op *op;

  g_return_val_if_fail (QM_IS_LOADOUT_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  op = g_task_get_task_data (G_TASK (result));
  if (notice != NULL)
    *notice = g_strdup (op->notice);
  return g_task_propagate_pointer (G_TASK (result), error);
}
