/* qm-move-controller.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-move-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-move-controller.h"

#include "qm-error.h"
#include "qm-move-executor.h"

struct _QmMoveController
{
  GObject       parent_instance;

  QmSession    *session;
  GSettings    *settings;        /* nullable */
  GHashTable   *in_flight;       /* instance id → number of runs naming it */
  GCancellable *cancellable;     /* of the runs queued or going */
  guint         n_running;
};

G_DEFINE_FINAL_TYPE (QmMoveController, qm_move_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_IN_FLIGHT_CHANGED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One run asked for: the items it names, to clear their marks at its end. */
typedef struct
{
  QmMoveController *self;
  GPtrArray        *ids;
  gboolean          undo;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_ptr_array_unref (run->ids);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
set_n_running (QmMoveController *self,
               guint             n_running)
{
  gboolean was_busy = self->n_running > 0;

  self->n_running = n_running;
  if (was_busy != (n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
mark (QmMoveController *self,
      const char       *id,
      gboolean          in_flight)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->in_flight, id));

  if (in_flight)
    {
      g_hash_table_insert (self->in_flight, g_strdup (id), GUINT_TO_POINTER (n + 1));
      if (n == 0)
        g_signal_emit (self, signals[SIGNAL_IN_FLIGHT_CHANGED], 0, id, TRUE);
    }
  else if (n <= 1)
    {
      g_hash_table_remove (self->in_flight, id);
      if (n == 1)
        g_signal_emit (self, signals[SIGNAL_IN_FLIGHT_CHANGED], 0, id, FALSE);
    }
  else
    g_hash_table_insert (self->in_flight, g_strdup (id), GUINT_TO_POINTER (n - 1));
}

static void
run_end (Run          *run,
         gboolean      ok,
         const char   *message)
{
  QmMoveController *self = run->self;

  for (guint i = 0; i < run->ids->len; i++)
    mark (self, g_ptr_array_index (run->ids, i), FALSE);
  set_n_running (self, self->n_running - 1);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, ok, message);
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Run) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  gboolean ok;

  if (run->undo)
    ok = qm_move_executor_undo_finish (QM_MOVE_EXECUTOR (source), result, &notice, &error);
  else
    ok = qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, &notice, &error);
  if (ok)
    run_end (run, TRUE, notice);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run_end (run, FALSE, _("Move cancelled"));
  else
    {
      g_autofree char *message = qm_error_describe (error);

      run_end (run, FALSE, message);
    }
}

static Run *
run_new (QmMoveController    *self,
         const QmMoveRequest *requests,
         guint                n_requests,
         gboolean             undo)
{
  Run *run = g_new0 (Run, 1);

  run->self = g_object_ref (self);
  run->ids = g_ptr_array_new_with_free_func (g_free);
  run->undo = undo;
  for (guint i = 0; i < n_requests; i++)
    if (requests[i].instance_id != 0)
      g_ptr_array_add (run->ids, g_strdup_printf ("%" G_GUINT64_FORMAT, requests[i].instance_id));
  return run;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
qm_move_controller_dispose (GObject *object)
{
  QmMoveController *self = QM_MOVE_CONTROLLER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qm_move_controller_parent_class)->dispose (object);
}

static void
qm_move_controller_finalize (GObject *object)
{
  QmMoveController *self = QM_MOVE_CONTROLLER (object);

  g_hash_table_unref (self->in_flight);

  G_OBJECT_CLASS (qm_move_controller_parent_class)->finalize (object);
}

static void
qm_move_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QmMoveController *self = QM_MOVE_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, qm_move_controller_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_move_controller_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QmMoveController *self = QM_MOVE_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_move_controller_class_init (QmMoveControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_move_controller_dispose;
  object_class->finalize = qm_move_controller_finalize;
  object_class->get_property = qm_move_controller_get_property;
  object_class->set_property = qm_move_controller_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, QM_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_IN_FLIGHT_CHANGED] =
    g_signal_new ("in-flight-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
qm_move_controller_init (QmMoveController *self)
{
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

QmMoveController *
qm_move_controller_new (QmSession *session,
                        GSettings *settings)
{
  g_return_val_if_fail (QM_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (QM_TYPE_MOVE_CONTROLLER, "session", session, "settings", settings, NULL);
}

QmSession *
qm_move_controller_get_session (QmMoveController *self)
{
  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), NULL);

  return self->session;
}

gboolean
qm_move_controller_get_busy (QmMoveController *self)
{
  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), FALSE);

  return self->n_running > 0;
}

QmMovePolicy
qm_move_controller_get_policy (QmMoveController *self,
                               QmMoveFlags       flags)
{
  QmMovePolicy policy = QM_MOVE_POLICY_DEFAULT;

  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), policy);

  if (self->settings != NULL)
    policy.make_space = g_settings_get_boolean (self->settings, "make-space");
  if (flags & QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE)
    policy.make_space = !policy.make_space;
  return policy;
}

char *
qm_move_controller_check (QmMoveController    *self,
                          const QmMoveRequest *requests,
                          guint                n_requests,
                          QmMoveFlags          flags)
{
  QmMoveExecutor *executor;
  QmMovePolicy policy;
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), NULL);
  g_return_val_if_fail (requests != NULL || n_requests == 0, NULL);

  executor = qm_session_get_executor (self->session);
  if (executor == NULL)
    return g_strdup (_("Sign in to move items"));
  policy = qm_move_controller_get_policy (self, flags);
  steps = qm_move_executor_plan (executor, requests, n_requests, &policy, &error);
  if (steps == NULL)
    return qm_error_describe (error);
  return NULL;
}

void
qm_move_controller_request (QmMoveController    *self,
                            const QmMoveRequest *requests,
                            guint                n_requests,
                            QmMoveFlags          flags)
{
  QmMoveExecutor *executor;
  QmMovePolicy policy;
  Run *run;

  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));
  g_return_if_fail (requests != NULL && n_requests > 0);

  executor = qm_session_get_executor (self->session);
  if (executor == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE, _("Sign in to move items"));
      return;
    }

  run = run_new (self, requests, n_requests, FALSE);
  for (guint i = 0; i < run->ids->len; i++)
    mark (self, g_ptr_array_index (run->ids, i), TRUE);
  set_n_running (self, self->n_running + 1);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  policy = qm_move_controller_get_policy (self, flags);
  qm_move_executor_run_async (executor, requests, n_requests, &policy, self->cancellable,
                              on_run_done_cb, run);
}

gboolean
qm_move_controller_is_in_flight (QmMoveController *self,
                                 const char       *instance_id)
{
  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), FALSE);

  return instance_id != NULL && g_hash_table_contains (self->in_flight, instance_id);
}

void
qm_move_controller_cancel (QmMoveController *self)
{
  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
qm_move_controller_undo (QmMoveController *self)
{
  QmMoveExecutor *executor;
  Run *run;

  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));

  executor = qm_session_get_executor (self->session);
  if (executor == NULL || !qm_move_executor_get_can_undo (executor))
    return;
  run = run_new (self, NULL, 0, TRUE);
  set_n_running (self, self->n_running + 1);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  qm_move_executor_undo_async (executor, self->cancellable, on_run_done_cb, run);
}
