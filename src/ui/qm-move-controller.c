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
  GListModel   *selection;       /* nullable: QmItem selected in the view */
};

G_DEFINE_FINAL_TYPE (QmMoveController, qm_move_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SETTINGS,
  PROP_BUSY,
  PROP_SELECTION,
  N_PROPS
};

enum {
  SIGNAL_IN_FLIGHT_CHANGED,
  SIGNAL_STARTED,
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
  char             *summary;     /* what a run that went through did */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_ptr_array_unref (run->ids);
  g_free (run->summary);
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
    {
      g_autofree char *message = NULL;

      if (run->summary != NULL && notice != NULL)
        message = g_strdup_printf ("%s\n%s", run->summary, notice);
      else
        message = g_strdup (notice != NULL ? notice : run->summary);
      run_end (run, TRUE, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run_end (run, FALSE, _("Move cancelled"));
  else
    {
      g_autofree char *message = qm_error_describe (error);

      run_end (run, FALSE, message);
    }
}

/* ---------------------------------------------------------------------- */
/* What a run did, in words                                                */

static QmProfile *
shown_profile (QmMoveController *self)
{
  QmInventory *inventory = qm_session_get_inventory (self->session);

  return inventory != NULL ? qm_inventory_get_profile (inventory) : NULL;
}

static const char *
request_item_name (QmProfile           *profile,
                   const QmMoveRequest *request)
{
  GListModel *items = profile != NULL ? qm_profile_get_items (profile) : NULL;
  guint n = items != NULL ? g_list_model_get_n_items (items) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      const char *id = qm_item_get_instance_id (item);
      gboolean match = request->instance_id != 0 ?
                       id != NULL && g_ascii_strtoull (id, NULL, 10) == request->instance_id :
                       id == NULL && qm_item_get_hash (item) == request->hash;

      if (match)
        return qm_item_get_name (item) != NULL ? qm_item_get_name (item) : _("Unknown item");
    }
  return _("Unknown item");
}

static const char *
target_class_name (QmProfile *profile,
                   int        target)
{
  if (profile == NULL || target < 0 || (guint) target >= qm_profile_get_n_characters (profile))
    return qm_class_type_display_name (3);
  return qm_class_type_display_name (qm_profile_get_character (profile, target)->class_type);
}

/* "Ace of Spades moved to your Hunter", "3 items locked"… */
static char *
summarize (QmMoveController    *self,
           const QmMoveRequest *requests,
           guint                n_requests)
{
  QmProfile *profile = shown_profile (self);
  const QmMoveRequest *first = &requests[0];
  gboolean equip = first->kind == QM_MOVE_REQUEST_EQUIP ||
                   (first->kind == QM_MOVE_REQUEST_MOVE && first->equip);
  const char *name;
  const char *who;

  for (guint i = 1; i < n_requests; i++)
    {
      const QmMoveRequest *other = &requests[i];
      gboolean other_equip = other->kind == QM_MOVE_REQUEST_EQUIP ||
                             (other->kind == QM_MOVE_REQUEST_MOVE && other->equip);

      if ((other->kind == QM_MOVE_REQUEST_EQUIP ? QM_MOVE_REQUEST_MOVE : other->kind) !=
          (first->kind == QM_MOVE_REQUEST_EQUIP ? QM_MOVE_REQUEST_MOVE : first->kind) ||
          other_equip != equip || other->target != first->target)
        return g_strdup_printf (ngettext ("%u change done", "%u changes done", n_requests), n_requests);
    }

  name = request_item_name (profile, first);
  who = target_class_name (profile, first->target);
  switch (first->kind)
    {
    case QM_MOVE_REQUEST_MOVE:
    case QM_MOVE_REQUEST_EQUIP:
      if (equip)
        return n_requests == 1 ?
               /* Translators: the item, then the class */
               g_strdup_printf (_("%s equipped on your %s"), name, who) :
               /* Translators: the number of items, then the class */
               g_strdup_printf (ngettext ("%u item equipped on your %s", "%u items equipped on your %s",
                                          n_requests), n_requests, who);
      if (first->target == QM_MOVE_VAULT)
        return n_requests == 1 ?
               g_strdup_printf (_("%s moved to the vault"), name) :
               g_strdup_printf (ngettext ("%u item moved to the vault", "%u items moved to the vault",
                                          n_requests), n_requests);
      return n_requests == 1 ?
             /* Translators: the item, then the class */
             g_strdup_printf (_("%s moved to your %s"), name, who) :
             /* Translators: the number of items, then the class */
             g_strdup_printf (ngettext ("%u item moved to your %s", "%u items moved to your %s",
                                        n_requests), n_requests, who);
    case QM_MOVE_REQUEST_LOCK:
      return n_requests == 1 ?
             g_strdup_printf (_("%s locked"), name) :
             g_strdup_printf (ngettext ("%u item locked", "%u items locked", n_requests), n_requests);
    case QM_MOVE_REQUEST_UNLOCK:
      return n_requests == 1 ?
             g_strdup_printf (_("%s unlocked"), name) :
             g_strdup_printf (ngettext ("%u item unlocked", "%u items unlocked", n_requests), n_requests);
    case QM_MOVE_REQUEST_PULL:
    default:
      return n_requests == 1 ?
             g_strdup_printf (_("%s pulled from the postmaster"), name) :
             g_strdup_printf (ngettext ("%u item pulled from the postmaster",
                                        "%u items pulled from the postmaster", n_requests), n_requests);
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
  if (undo)
    run->summary = g_strdup (_("The move was undone"));
  else if (n_requests > 0)
    run->summary = summarize (self, requests, n_requests);
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
  g_clear_object (&self->selection);

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
    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
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
    case PROP_SELECTION:
      qm_move_controller_set_selection (self, g_value_get_object (value));
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
  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_IN_FLIGHT_CHANGED] =
    g_signal_new ("in-flight-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
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
  g_signal_emit (self, signals[SIGNAL_STARTED], 0, FALSE);
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
  g_signal_emit (self, signals[SIGNAL_STARTED], 0, TRUE);
  qm_move_executor_undo_async (executor, self->cancellable, on_run_done_cb, run);
}

/* ---------------------------------------------------------------------- */
/* Items of the view                                                      */

static int
character_index (QmProfile  *profile,
                 const char *character_id)
{
  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    if (g_strcmp0 (qm_profile_get_character (profile, i)->id, character_id) == 0)
      return (int) i;
  return -1;
}

static int
place_of (QmItemLocation location)
{
  switch (location)
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      return QM_MOVE_PLACE_EQUIPPED;
    case QM_ITEM_LOCATION_POSTMASTER:
      return QM_MOVE_PLACE_POSTMASTER;
    case QM_ITEM_LOCATION_VAULT:
      return QM_MOVE_PLACE_VAULT;
    case QM_ITEM_LOCATION_ACCOUNT:
      return QM_MOVE_PLACE_ACCOUNT;
    case QM_ITEM_LOCATION_INVENTORY:
    default:
      return QM_MOVE_PLACE_INVENTORY;
    }
}

gboolean
qm_move_controller_make_request (QmMoveController  *self,
                                 QmItem            *item,
                                 QmMoveRequestKind  kind,
                                 const char        *target_id,
                                 gboolean           equip,
                                 QmMoveRequest     *request)
{
  QmProfile *profile;
  const char *instance_id;
  QmMoveRequest out = { 0 };

  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), FALSE);
  g_return_val_if_fail (QM_IS_ITEM (item), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  profile = shown_profile (self);
  if (profile == NULL)
    return FALSE;
  out.kind = kind;
  instance_id = qm_item_get_instance_id (item);
  if (instance_id != NULL)
    out.instance_id = g_ascii_strtoull (instance_id, NULL, 10);
  out.hash = qm_item_get_hash (item);
  out.place = place_of (qm_item_get_location (item));
  out.owner = QM_MOVE_VAULT;
  if (out.place != QM_MOVE_PLACE_VAULT && out.place != QM_MOVE_PLACE_ACCOUNT)
    {
      out.owner = character_index (profile, qm_item_get_character_id (item));
      if (out.owner < 0)
        return FALSE;
    }
  out.target = QM_MOVE_VAULT;
  if (target_id != NULL)
    {
      out.target = character_index (profile, target_id);
      if (out.target < 0)
        return FALSE;
    }
  else if (kind == QM_MOVE_REQUEST_EQUIP)
    return FALSE;
  out.equip = kind == QM_MOVE_REQUEST_MOVE && equip && target_id != NULL;
  *request = out;
  return TRUE;
}

void
qm_move_controller_request_items (QmMoveController  *self,
                                  QmMoveRequestKind  kind,
                                  GPtrArray         *items,
                                  const char        *target_id,
                                  QmMoveFlags        flags)
{
  g_autoptr(GArray) requests = NULL;

  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));
  g_return_if_fail (items != NULL && items->len > 0);

  requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  for (guint i = 0; i < items->len; i++)
    {
      QmMoveRequest request;

      if (qm_move_controller_make_request (self, g_ptr_array_index (items, i), kind, target_id,
                                           FALSE, &request))
        g_array_append_val (requests, request);
    }
  if (requests->len == 0)
    {
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, FALSE,
                     _("The item is no longer in the inventory shown; refresh and try again."));
      return;
    }
  qm_move_controller_request (self, (QmMoveRequest *) requests->data, requests->len, flags);
}

void
qm_move_controller_toggle_lock (QmMoveController *self,
                                QmItem           *item)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));
  g_return_if_fail (QM_IS_ITEM (item));

  g_ptr_array_add (items, item);
  qm_move_controller_request_items (self, qm_item_get_locked (item) ? QM_MOVE_REQUEST_UNLOCK :
                                    QM_MOVE_REQUEST_LOCK, items, NULL, QM_MOVE_FLAGS_NONE);
}

void
qm_move_controller_set_selection (QmMoveController *self,
                                  GListModel       *selection)
{
  g_return_if_fail (QM_IS_MOVE_CONTROLLER (self));
  g_return_if_fail (selection == NULL || G_IS_LIST_MODEL (selection));

  if (g_set_object (&self->selection, selection))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

GListModel *
qm_move_controller_get_selection (QmMoveController *self)
{
  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), NULL);

  return self->selection;
}

GPtrArray *
qm_move_controller_dup_subject (QmMoveController *self,
                                QmItem           *item)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean selected = FALSE;
  guint n;

  g_return_val_if_fail (QM_IS_MOVE_CONTROLLER (self), items);
  g_return_val_if_fail (QM_IS_ITEM (item), items);

  n = self->selection != NULL ? g_list_model_get_n_items (self->selection) : 0;
  for (guint i = 0; i < n; i++)
    {
      QmItem *selected_item = g_list_model_get_item (self->selection, i);

      selected |= selected_item == item;
      g_ptr_array_add (items, selected_item);
    }
  if (!selected)
    {
      g_ptr_array_set_size (items, 0);
      g_ptr_array_add (items, g_object_ref (item));
    }
  return items;
}

/* ---------------------------------------------------------------------- */
/* Modifier keys                                                          */

QmMoveFlags
qm_move_flags_from_modifiers (GdkModifierType state)
{
  return (state & GDK_ALT_MASK) != 0 ? QM_MOVE_FLAGS_TOGGLE_MAKE_SPACE : QM_MOVE_FLAGS_NONE;
}

QmMoveFlags
qm_move_flags_current (GtkWidget *widget)
{
  GdkDisplay *display;
  GdkSeat *seat;
  GdkDevice *keyboard;

  g_return_val_if_fail (widget == NULL || GTK_IS_WIDGET (widget), QM_MOVE_FLAGS_NONE);

  display = widget != NULL ? gtk_widget_get_display (widget) : gdk_display_get_default ();
  if (display == NULL)
    return QM_MOVE_FLAGS_NONE;
  seat = gdk_display_get_default_seat (display);
  keyboard = seat != NULL ? gdk_seat_get_keyboard (seat) : NULL;
  if (keyboard == NULL)
    return QM_MOVE_FLAGS_NONE;
  return qm_move_flags_from_modifiers (gdk_device_get_modifier_state (keyboard));
}
