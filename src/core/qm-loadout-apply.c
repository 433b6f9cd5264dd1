/* qm-loadout-apply.c: a saved loadout applied to a character, and undone
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-loadout-apply"

#include "config.h"

#include "qm-loadout-apply.h"

#include <glib/gi18n-lib.h>

#include "qm-destiny.h"
#include "qm-error.h"

typedef enum
{
  PHASE_OUT,        /* undo: items leaving the character, unequipped, first (room) */
  PHASE_DEQUIP,     /* take the items off other characters */
  PHASE_MOVES,      /* to the character, one by one */
  PHASE_EXOTICS,    /* a non-exotic for a slot a conflicting exotic holds */
  PHASE_EQUIP,      /* one EquipItems */
  PHASE_OTHERS,     /* move other items away */
  PHASE_REST,       /* undo: the items back to the vault and other characters */
  PHASE_DONE,
} Phase;

struct _QmLoadoutApply
{
  GObject         parent_instance;

  QmMoveExecutor *executor;
  QmLoadoutStore *store;
  char           *name;
  guint64         character_id;
  gboolean        undo;
  guint           undo_index;
  gboolean        move_others;
  int             equip_label_weapon;

  GArray         *results;    /* QmLoadoutItemResult */
  GArray         *keep;       /* guint64: every item of the loadout */
  QmUndoEntry    *snapshot;   /* the undo entry being made */

  /* The run */
  GTask          *task;
  Phase           phase;
  guint           cursor;
  int             target;     /* the character's index */
  GArray         *pending;    /* guint64: what a phase works through */
  GArray         *bulk;       /* guint64: the EquipItems list */
  QmMoveState    *before;     /* the account before the executor run in flight */
  gboolean        fatal;      /* stop: maintenance, cancelled */
  char           *fatal_reason;
};

G_DEFINE_FINAL_TYPE (QmLoadoutApply, qm_loadout_apply, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_RUNNING,
  N_PROPS
};

enum {
  SIGNAL_ITEM_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void advance (QmLoadoutApply *self);

void
qm_loadout_failure_group_free (QmLoadoutFailureGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->reason);
  g_ptr_array_unref (group->names);
  g_free (group);
}

static void
clear_result (gpointer data)
{
  QmLoadoutItemResult *result = data;

  g_free (result->name);
  g_free (result->reason);
}

static void
qm_loadout_apply_dispose (GObject *object)
{
  QmLoadoutApply *self = QM_LOADOUT_APPLY (object);

  g_clear_object (&self->executor);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (qm_loadout_apply_parent_class)->dispose (object);
}

static void
qm_loadout_apply_finalize (GObject *object)
{
  QmLoadoutApply *self = QM_LOADOUT_APPLY (object);

  g_free (self->name);
  g_array_unref (self->results);
  g_array_unref (self->keep);
  g_clear_pointer (&self->snapshot, qm_undo_entry_free);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->bulk, g_array_unref);
  g_clear_pointer (&self->before, qm_move_state_free);
  g_free (self->fatal_reason);

  G_OBJECT_CLASS (qm_loadout_apply_parent_class)->finalize (object);
}

static void
qm_loadout_apply_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QmLoadoutApply *self = QM_LOADOUT_APPLY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->task != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_loadout_apply_class_init (QmLoadoutApplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_loadout_apply_dispose;
  object_class->finalize = qm_loadout_apply_finalize;
  object_class->get_property = qm_loadout_apply_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ITEM_CHANGED] =
    g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
qm_loadout_apply_init (QmLoadoutApply *self)
{
  self->results = g_array_new (FALSE, TRUE, sizeof (QmLoadoutItemResult));
  g_array_set_clear_func (self->results, clear_result);
  self->keep = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->target = -1;
}

/* ------------------------------------------------------------------------
 * Items
 * ------------------------------------------------------------------------ */

#define ITEM(s, i) (&g_array_index ((s)->items, QmMoveItem, (i)))

GArray *
qm_loadout_items_from_character (const QmMoveState *state,
                                 int                character,
                                 int               *class_type)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (QmLoadoutItem));
  gboolean restricted = FALSE;

  g_return_val_if_fail (state != NULL, items);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);
      QmLoadoutItem record = { item->instance_id, item->hash, TRUE };

      if (item->place != QM_MOVE_PLACE_EQUIPPED || item->owner != character || item->instance_id == 0 ||
          (item->flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0 || items->len >= QM_LOADOUT_MAX_ITEMS)
        continue;
      restricted |= item->class_type != QM_MOVE_CLASS_ANY;
      g_array_append_val (items, record);
    }
  if (class_type != NULL)
    *class_type = restricted && character >= 0 && (guint) character < state->n_characters ?
                  state->characters[character].class_type : QM_MOVE_CLASS_ANY;
  return items;
}

GArray *
qm_loadout_items_from_instances (const QmMoveState *state,
                                 const guint64     *instance_ids,
                                 guint              n_ids,
                                 gboolean           equip)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (QmLoadoutItem));

  g_return_val_if_fail (state != NULL, items);
  g_return_val_if_fail (instance_ids != NULL || n_ids == 0, items);

  for (guint i = 0; i < n_ids && items->len < QM_LOADOUT_MAX_ITEMS; i++)
    {
      int index = qm_move_state_find_instance (state, instance_ids[i]);
      QmLoadoutItem record = { instance_ids[i], 0, equip };
      gboolean seen = FALSE;

      if (index < 0)
        continue;
      for (guint j = 0; j < items->len; j++)
        seen |= g_array_index (items, QmLoadoutItem, j).instance_id == instance_ids[i];
      if (seen)
        continue;
      record.hash = ITEM (state, index)->hash;
      record.equip = equip && (ITEM (state, index)->flags & QM_MOVE_ITEM_EQUIPPABLE) != 0;
      g_array_append_val (items, record);
    }
  return items;
}

static const char *
name_of (const QmMoveState *state,
         guint32            hash)
{
  const char *name = state->names != NULL ? g_hash_table_lookup (state->names, GUINT_TO_POINTER (hash)) : NULL;

  return name != NULL ? name : NULL;
}

static void
add_result (QmLoadoutApply    *self,
            const QmMoveState *state,
            guint64            instance_id,
            guint32            hash,
            int                target,
            gboolean           equip,
            gboolean           other)
{
  QmLoadoutItemResult result = { 0 };
  int index = qm_move_state_find_instance (state, instance_id);
  const char *name;

  /* The account's word on what it is, when it still holds it. */
  if (index >= 0)
    hash = ITEM (state, index)->hash;
  name = name_of (state, hash);

  result.instance_id = instance_id;
  result.hash = hash;
  if (name != NULL)
    result.name = g_strdup (name);
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, instance_id);

      /* Translators: an item the account no longer holds, by its instance id */
      result.name = g_strdup_printf (_("Item %s"), id);
    }
  result.target = target;
  result.equip = equip;
  result.other = other;
  g_array_append_val (self->results, result);
  if (!other)
    g_array_append_val (self->keep, instance_id);
}

static QmLoadoutItemResult *
result_at (QmLoadoutApply *self,
           guint           index)
{
  return &g_array_index (self->results, QmLoadoutItemResult, index);
}

static int
find_result (QmLoadoutApply *self,
             guint64         instance_id)
{
  for (guint i = 0; i < self->results->len; i++)
    if (result_at (self, i)->instance_id == instance_id && !result_at (self, i)->other)
      return (int) i;
  return -1;
}

static void
set_state (QmLoadoutApply     *self,
           guint               index,
           QmLoadoutResultState  state,
           const char         *reason)
{
  QmLoadoutItemResult *result = result_at (self, index);

  result->state = state;
  g_free (result->reason);
  result->reason = g_strdup (reason);
  g_signal_emit (self, signals[SIGNAL_ITEM_CHANGED], 0, index);
}

/* Why a run failed, the same words for the same reason whatever the item
 * (the toast groups by them). */
static char *
reason_of_error (const GError *error)
{
  if (error->domain == QM_MOVE_ERROR)
    switch ((QmMoveError) error->code)
      {
      case QM_MOVE_ERROR_NOT_FOUND:
      case QM_MOVE_ERROR_GONE:
        return g_strdup (_("It is no longer where it was, or no longer exists."));
      case QM_MOVE_ERROR_NOT_TRANSFERABLE:
        return g_strdup (_("It cannot leave the character it is on."));
      case QM_MOVE_ERROR_NO_SPACE:
        return g_strdup (_("There is no room for it, and nothing could be moved aside."));
      case QM_MOVE_ERROR_CLASS:
        return g_strdup (_("It is for another class."));
      case QM_MOVE_ERROR_NOT_EQUIPPABLE:
        return g_strdup (_("It cannot be equipped."));
      case QM_MOVE_ERROR_NO_REPLACEMENT:
        return g_strdup (_("It is equipped, and nothing can take its place."));
      case QM_MOVE_ERROR_POSTMASTER:
        return g_strdup (_("The postmaster keeps it."));
      case QM_MOVE_ERROR_NOT_IN_ORBIT:
        return g_strdup (_("The character is not in orbit or a social space."));
      case QM_MOVE_ERROR_BUSY:
        return g_strdup (_("Bungie.net asked to slow down and is still busy."));
      case QM_MOVE_ERROR_MAINTENANCE:
        return g_strdup (_("Bungie.net is down for maintenance."));
      default:
        break;
      }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Cancelled."));
  return qm_error_describe (error);
}

static char *
reason_of_status (int status)
{
  switch (status)
    {
    case QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND:
      return g_strdup (_("It is no longer where it was, or no longer exists."));
    case QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE:
      return g_strdup (_("It cannot be equipped by this character."));
    case QM_PLATFORM_ERROR_DESTINY_ITEM_UNIQUE_EQUIP_RESTRICTED:
      return g_strdup (_("Only one exotic weapon and one exotic armour piece can be equipped."));
    case QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION:
      return g_strdup (_("There is no room for it, and nothing could be moved aside."));
    case QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_AT_THIS_LOCATION:
    case QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_IN_TOWER:
      return g_strdup (_("The character is not in orbit or a social space."));
    default:
      /* Translators: Bungie's name of the error code */
      return g_strdup_printf (_("Bungie.net refused to equip it (%s)."),
                              qm_platform_error_code_name (status) != NULL ?
                              qm_platform_error_code_name (status) : "?");
    }
}

/* ------------------------------------------------------------------------
 * Creating
 * ------------------------------------------------------------------------ */

static QmLoadoutApply *
apply_new (QmMoveExecutor *executor,
           QmLoadoutStore *store,
           guint64         character_id,
           const char     *name)
{
  QmLoadoutApply *self = g_object_new (QM_TYPE_LOADOUT_APPLY, NULL);

  self->executor = g_object_ref (executor);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->character_id = character_id;
  self->name = g_strdup (name);
  return self;
}

static int
character_index (QmMoveExecutor *executor,
                 const QmMoveState *state,
                 guint64         character_id,
                 GError        **error)
{
  int index = qm_move_state_find_character (state, character_id);

  if (index < 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, character_id);

      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND, _("This account has no character with the ID %s"), id);
    }
  return index;
}

QmLoadoutApply *
qm_loadout_apply_new (QmMoveExecutor *executor,
                      QmLoadoutStore *store,
                      QmSavedLoadout *loadout,
                      guint64         character_id,
                      GError        **error)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmLoadoutApply) self = NULL;
  int target;

  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (executor), NULL);
  g_return_val_if_fail (store == NULL || QM_IS_LOADOUT_STORE (store), NULL);
  g_return_val_if_fail (QM_IS_SAVED_LOADOUT (loadout), NULL);

  state = qm_move_executor_dup_state (executor);
  target = character_index (executor, state, character_id, error);
  if (target < 0)
    return NULL;
  if (!qm_saved_loadout_fits_class (loadout, state->characters[target].class_type))
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_CLASS,
                   /* Translators: the loadout's name, then the class it is for */
                   _("“%s” is a %s loadout."), qm_saved_loadout_get_name (loadout),
                   qm_class_type_display_name (qm_saved_loadout_get_class_type (loadout)));
      return NULL;
    }

  self = apply_new (executor, store, character_id, qm_saved_loadout_get_name (loadout));
  for (guint i = 0; i < qm_saved_loadout_get_n_items (loadout); i++)
    {
      const QmLoadoutItem *item = qm_saved_loadout_get_item (loadout, i);

      add_result (self, state, item->instance_id, item->hash, target, item->equip, FALSE);
    }
  return g_steal_pointer (&self);
}

QmLoadoutApply *
qm_loadout_apply_new_undo (QmMoveExecutor *executor,
                           QmLoadoutStore *store,
                           guint64         character_id,
                           guint           index,
                           GError        **error)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(QmLoadoutApply) self = NULL;
  g_autofree char *title = NULL;
  GPtrArray *stack;
  const QmUndoEntry *entry;
  int target;

  g_return_val_if_fail (QM_IS_MOVE_EXECUTOR (executor), NULL);
  g_return_val_if_fail (QM_IS_LOADOUT_STORE (store), NULL);

  stack = qm_loadout_store_get_undo (store, character_id);
  if (stack == NULL || index >= stack->len)
    {
      g_set_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_NOT_FOUND, _("There is nothing to undo."));
      return NULL;
    }
  entry = g_ptr_array_index (stack, index);
  state = qm_move_executor_dup_state (executor);
  target = character_index (executor, state, character_id, error);
  if (target < 0)
    return NULL;

  title = qm_undo_entry_dup_title (entry);
  self = apply_new (executor, store, character_id, title);
  self->undo = TRUE;
  self->undo_index = index;
  for (guint i = 0; i < entry->items->len; i++)
    {
      const QmUndoItem *item = &g_array_index (entry->items, QmUndoItem, i);
      int owner = item->place == QM_UNDO_PLACE_VAULT ? QM_MOVE_VAULT :
                  qm_move_state_find_character (state, item->owner);

      if (item->place != QM_UNDO_PLACE_VAULT && owner < 0)
        continue;
      add_result (self, state, item->instance_id, item->hash, owner, item->place == QM_UNDO_PLACE_EQUIPPED, FALSE);
    }
  return g_steal_pointer (&self);
}

const char *
qm_loadout_apply_get_name (QmLoadoutApply *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), NULL);
  return self->name;
}

void
qm_loadout_apply_set_move_others (QmLoadoutApply *self,
                                  gboolean        move_others)
{
  g_return_if_fail (QM_IS_LOADOUT_APPLY (self));
  self->move_others = move_others;
}

const GArray *
qm_loadout_apply_get_results (QmLoadoutApply *self)
{
  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), NULL);
  return self->results;
}

const char *
qm_loadout_item_state_to_string (QmLoadoutResultState state)
{
  switch (state)
    {
    case QM_LOADOUT_RESULT_ALREADY_THERE:
      return "already-there";
    case QM_LOADOUT_RESULT_MOVED:
      return "moved";
    case QM_LOADOUT_RESULT_EQUIPPED:
      return "equipped";
    case QM_LOADOUT_RESULT_FAILED:
      return "failed";
    case QM_LOADOUT_RESULT_PENDING:
    default:
      return "pending";
    }
}

/* ------------------------------------------------------------------------
 * What it would do
 * ------------------------------------------------------------------------ */

static gboolean
is_kept (QmLoadoutApply *self,
         guint64         instance_id)
{
  for (guint i = 0; i < self->keep->len; i++)
    if (g_array_index (self->keep, guint64, i) == instance_id)
      return TRUE;
  return FALSE;
}

static QmMovePolicy
policy_of (QmLoadoutApply *self)
{
  QmMovePolicy policy = QM_MOVE_POLICY_DEFAULT;

  policy.keep = (const guint64 *) (gpointer) self->keep->data;
  policy.n_keep = self->keep->len;
  return policy;
}

static GArray *
others_of (QmLoadoutApply    *self,
           const QmMoveState *state,
           int                target)
{
  GArray *others = g_array_new (FALSE, FALSE, sizeof (guint64));

  if (target < 0)
    return others;
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);
      gboolean slot_of_loadout = FALSE;

      if (item->place != QM_MOVE_PLACE_INVENTORY || item->owner != target || item->instance_id == 0 ||
          (item->flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0 || is_kept (self, item->instance_id))
        continue;
      /* Only the slots the loadout fills (DIM's clear-space, #8744). */
      for (guint j = 0; j < self->results->len && !slot_of_loadout; j++)
        {
          int index = qm_move_state_find_instance (state, result_at (self, j)->instance_id);

          slot_of_loadout = index >= 0 && ITEM (state, index)->slot == item->slot;
        }
      if (slot_of_loadout)
        g_array_append_val (others, item->instance_id);
    }
  return others;
}

GArray *
qm_loadout_apply_dup_others (QmLoadoutApply *self)
{
  g_autoptr(QmMoveState) state = NULL;

  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), NULL);

  state = qm_move_executor_dup_state (self->executor);
  return others_of (self, state, qm_move_state_find_character (state, self->character_id));
}

static gboolean
in_place (const QmMoveItem          *item,
          const QmLoadoutItemResult *result)
{
  if (result->target == QM_MOVE_VAULT)
    return item->place == QM_MOVE_PLACE_VAULT;
  if (item->owner != result->target)
    return FALSE;
  return result->equip ? item->place == QM_MOVE_PLACE_EQUIPPED :
         item->place == QM_MOVE_PLACE_INVENTORY || item->place == QM_MOVE_PLACE_EQUIPPED;
}

char *
qm_loadout_apply_dup_preview (QmLoadoutApply *self)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) others = NULL;
  QmMovePolicy policy;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), NULL);

  state = qm_move_executor_dup_state (self->executor);
  policy = policy_of (self);
  for (guint i = 0; i < self->results->len; i++)
    {
      const QmLoadoutItemResult *result = result_at (self, i);
      int index = qm_move_state_find_instance (state, result->instance_id);
      QmMoveRequest request = { 0 };
      g_autoptr(GArray) steps = NULL;
      g_autoptr(GError) error = NULL;

      if (index < 0)
        {
          g_string_append_printf (out, "%s: %s\n", result->name, _("no longer exists"));
          continue;
        }
      if (in_place (ITEM (state, index), result))
        {
          g_string_append_printf (out, "%s: %s\n", result->name, _("already there"));
          continue;
        }
      request.kind = QM_MOVE_REQUEST_MOVE;
      request.instance_id = result->instance_id;
      request.target = result->target;
      request.equip = result->equip;
      steps = qm_move_plan (state, &request, 1, &policy, &error);
      if (steps == NULL)
        {
          g_autofree char *why = reason_of_error (error);

          g_string_append_printf (out, "%s: %s %s\n", result->name, _("would fail:"), why);
          continue;
        }
      g_string_append_printf (out, "%s: %s\n", result->name,
                              result->equip ? _("moved and equipped") : _("moved"));
      for (guint s = 0; s < steps->len; s++)
        {
          g_autofree char *text = qm_move_step_to_string (&g_array_index (steps, QmMoveStep, s));

          g_string_append_printf (out, "    %s\n", text);
          qm_move_state_apply_step (state, &g_array_index (steps, QmMoveStep, s));
        }
    }
  if (self->move_others)
    {
      others = others_of (self, state, qm_move_state_find_character (state, self->character_id));
      for (guint i = 0; i < others->len; i++)
        {
          int index = qm_move_state_find_instance (state, g_array_index (others, guint64, i));
          const char *name = index >= 0 ? name_of (state, ITEM (state, index)->hash) : NULL;

          g_string_append_printf (out, "%s: %s\n", name != NULL ? name : "?", _("moved away to the vault"));
        }
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------
 * Running
 * ------------------------------------------------------------------------ */

/* The snapshot: where every item of the character is, and every item of
 * the loadout, before anything moves. */
static QmUndoEntry *
take_snapshot (QmLoadoutApply    *self,
               const QmMoveState *state)
{
  QmUndoEntry *entry = qm_undo_entry_new (self->name, g_get_real_time () / G_USEC_PER_SEC);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);
      QmUndoItem record = { item->instance_id, item->hash, 0, 0 };

      if (item->instance_id == 0)
        continue;
      if (!(item->owner == self->target &&
            (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY)) &&
          !is_kept (self, item->instance_id))
        continue;
      switch (item->place)
        {
        case QM_MOVE_PLACE_EQUIPPED:
          record.place = QM_UNDO_PLACE_EQUIPPED;
          record.owner = state->characters[item->owner].id;
          break;
        case QM_MOVE_PLACE_INVENTORY:
          record.place = QM_UNDO_PLACE_INVENTORY;
          record.owner = state->characters[item->owner].id;
          break;
        case QM_MOVE_PLACE_VAULT:
          record.place = QM_UNDO_PLACE_VAULT;
          break;
        default:
          /* The postmaster's and account-wide items are not put back. */
          continue;
        }
      g_array_append_val (entry->items, record);
    }
  return entry;
}

/* Items a run moved that the snapshot does not know yet (moved aside):
 * where they were before it. */
static void
extend_snapshot (QmLoadoutApply *self)
{
  GArray *steps = qm_move_executor_get_steps (self->executor);

  if (self->snapshot == NULL || self->before == NULL || steps == NULL)
    return;
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      int index = qm_move_state_find_instance (self->before, step->instance_id);
      const QmMoveItem *item;
      QmUndoItem record = { step->instance_id, step->hash, 0, 0 };
      gboolean known = FALSE;

      if (index < 0)
        continue;
      for (guint j = 0; j < self->snapshot->items->len && !known; j++)
        known = g_array_index (self->snapshot->items, QmUndoItem, j).instance_id == step->instance_id;
      if (known)
        continue;
      item = ITEM (self->before, index);
      if (item->place == QM_MOVE_PLACE_VAULT)
        record.place = QM_UNDO_PLACE_VAULT;
      else if (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY)
        {
          record.place = item->place == QM_MOVE_PLACE_EQUIPPED ? QM_UNDO_PLACE_EQUIPPED : QM_UNDO_PLACE_INVENTORY;
          record.owner = self->before->characters[item->owner].id;
        }
      else
        continue;
      g_array_append_val (self->snapshot->items, record);
    }
}

static void
fail_pending (QmLoadoutApply *self,
              const char     *reason)
{
  for (guint i = 0; i < self->results->len; i++)
    if (result_at (self, i)->state == QM_LOADOUT_RESULT_PENDING ||
        (result_at (self, i)->state == QM_LOADOUT_RESULT_MOVED && result_at (self, i)->equip))
      set_state (self, i, QM_LOADOUT_RESULT_FAILED, reason);
}

static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, QM_MOVE_ERROR, QM_MOVE_ERROR_MAINTENANCE) ||
         g_error_matches (error, QM_MOVE_ERROR, QM_MOVE_ERROR_BUSY) ||
         (error->domain == QM_PLATFORM_ERROR && qm_platform_error_is_auth (error->code)) ||
         error->domain == QM_AUTH_ERROR;
}

static void
set_fatal (QmLoadoutApply *self,
           const GError   *error)
{
  self->fatal = TRUE;
  g_free (self->fatal_reason);
  self->fatal_reason = reason_of_error (error);
}

/* Start one executor run of @requests; @callback gets self. */
static void
start_run (QmLoadoutApply       *self,
           const QmMoveRequest  *requests,
           guint                 n_requests,
           GAsyncReadyCallback   callback)
{
  QmMovePolicy policy = policy_of (self);

  g_clear_pointer (&self->before, qm_move_state_free);
  self->before = qm_move_executor_dup_state (self->executor);
  qm_move_executor_run_async (self->executor, requests, n_requests, &policy,
                              g_task_get_cancellable (self->task), callback, g_object_ref (self));
}

static void
on_dequip_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(QmLoadoutApply) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error))
    {
      g_autofree char *reason = reason_of_error (error);
      g_autofree char *why = g_strdup_printf (_("It could not be taken off another character: %s"), reason);

      /* The items of that character stay where they are. */
      for (guint i = 0; i < self->pending->len; i++)
        {
          int index = find_result (self, g_array_index (self->pending, guint64, i));

          if (index >= 0)
            set_state (self, (guint) index, QM_LOADOUT_RESULT_FAILED, why);
        }
      if (is_fatal (error))
        set_fatal (self, error);
    }
  else
    extend_snapshot (self);
  advance (self);
}

/* Step 1: per other character, the loadout's items equipped there get a
 * replacement equipped (never another loadout item). */
static gboolean
step_dequip (QmLoadoutApply *self)
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (self->executor);
  QmMovePolicy policy = policy_of (self);

  while (self->cursor < state->n_characters)
    {
      int character = (int) self->cursor++;
      g_autoptr(GArray) requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));

      g_array_set_size (self->pending, 0);
      for (guint i = 0; i < self->results->len; i++)
        {
          QmLoadoutItemResult *result = result_at (self, i);
          int index = qm_move_state_find_instance (state, result->instance_id);
          QmMoveRequest request = { 0 };
          guint64 replacement;

          if (result->state != QM_LOADOUT_RESULT_PENDING || index < 0 ||
              ITEM (state, index)->place != QM_MOVE_PLACE_EQUIPPED || ITEM (state, index)->owner != character ||
              result->target == character)
            continue;
          replacement = qm_move_find_replacement (state, result->instance_id, character, 0, &policy);
          if (replacement == 0)
            {
              g_autofree char *why = reason_of_error (&(GError) { QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT, NULL });

              set_state (self, i, QM_LOADOUT_RESULT_FAILED, why);
              continue;
            }
          request.kind = QM_MOVE_REQUEST_EQUIP;
          request.instance_id = replacement;
          request.target = character;
          g_array_append_val (requests, request);
          g_array_append_val (self->pending, result->instance_id);
        }
      if (requests->len > 0)
        {
          start_run (self, (QmMoveRequest *) (gpointer) requests->data, requests->len, on_dequip_cb);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_move_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QmLoadoutApply) self = user_data;
  g_autoptr(GError) error = NULL;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "qm-moving"));

  if (!qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error))
    {
      g_autofree char *reason = reason_of_error (error);

      set_state (self, index, QM_LOADOUT_RESULT_FAILED, reason);
      if (is_fatal (error))
        set_fatal (self, error);
    }
  else
    {
      QmLoadoutItemResult *item = result_at (self, index);

      extend_snapshot (self);
      /* Undo's items for other places are equipped in their own run. */
      set_state (self, index,
                 item->equip && (self->phase == PHASE_REST || self->phase == PHASE_OUT) ?
                 QM_LOADOUT_RESULT_EQUIPPED : QM_LOADOUT_RESULT_MOVED,
                 NULL);
    }
  advance (self);
}

typedef enum
{
  MOVE_TO_TARGET,
  MOVE_ELSEWHERE,
  MOVE_OUT_FIRST,   /* elsewhere, from the character's inventory */
} MoveFilter;

/* Steps 2 and, for undo, the rest: the next item not in place, moved. */
static gboolean
step_move (QmLoadoutApply *self,
           MoveFilter      filter)
{
  gboolean to_target = filter == MOVE_TO_TARGET;

  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (self->executor);

  while (self->cursor < self->results->len)
    {
      guint i = self->cursor++;
      QmLoadoutItemResult *result = result_at (self, i);
      int index = qm_move_state_find_instance (state, result->instance_id);
      QmMoveRequest request = { 0 };

      if (result->state != QM_LOADOUT_RESULT_PENDING || result->other || (result->target == self->target) != to_target)
        continue;
      if (filter == MOVE_OUT_FIRST &&
          (index < 0 || ITEM (state, index)->owner != self->target || ITEM (state, index)->place != QM_MOVE_PLACE_INVENTORY))
        continue;
      if (index < 0)
        {
          g_autofree char *why = reason_of_error (&(GError) { QM_MOVE_ERROR, QM_MOVE_ERROR_GONE, NULL });

          set_state (self, i, QM_LOADOUT_RESULT_FAILED, why);
          continue;
        }
      if (in_place (ITEM (state, index), result))
        {
          set_state (self, i, QM_LOADOUT_RESULT_ALREADY_THERE, NULL);
          continue;
        }
      if (to_target && ITEM (state, index)->owner == result->target &&
          ITEM (state, index)->place == QM_MOVE_PLACE_INVENTORY)
        continue;   /* there, to be equipped */

      request.kind = QM_MOVE_REQUEST_MOVE;
      request.instance_id = result->instance_id;
      request.target = result->target;
      /* To the character: equipped together later; elsewhere (undo): now. */
      request.equip = !to_target && result->equip;
      g_object_set_data (G_OBJECT (self), "qm-moving", GUINT_TO_POINTER (i));
      start_run (self, &request, 1, on_move_cb);
      return TRUE;
    }
  return FALSE;
}

static void
on_exotic_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(QmLoadoutApply) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error))
    {
      /* The exotic's equip will say why it failed. */
      g_debug ("Bringing in a replacement for a conflicting exotic failed: %s", error->message);
      if (is_fatal (error))
        set_fatal (self, error);
    }
  else
    extend_snapshot (self);
  advance (self);
}

/* Step 3a: the list for EquipItems (exotics last); for an exotic whose
 * label is worn in a slot the list leaves alone, a non-exotic brought in
 * for that slot and equipped first (DIM's equipItems). */
static gboolean
step_exotics (QmLoadoutApply *self)
{
  g_autoptr(QmMoveState) state = qm_move_executor_dup_state (self->executor);
  QmMovePolicy policy = policy_of (self);

  if (self->cursor == 0)
    {
      g_array_set_size (self->bulk, 0);
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < self->results->len; i++)
          {
            QmLoadoutItemResult *result = result_at (self, i);
            int index = qm_move_state_find_instance (state, result->instance_id);
            gboolean exotic;

            if (!result->equip || result->target != self->target || result->other ||
                (result->state != QM_LOADOUT_RESULT_PENDING && result->state != QM_LOADOUT_RESULT_MOVED) || index < 0)
              continue;
            if (ITEM (state, index)->place == QM_MOVE_PLACE_EQUIPPED && ITEM (state, index)->owner == self->target)
              {
                if (result->state == QM_LOADOUT_RESULT_PENDING)
                  set_state (self, i, QM_LOADOUT_RESULT_ALREADY_THERE, NULL);
                continue;
              }
            if (ITEM (state, index)->owner != self->target || ITEM (state, index)->place != QM_MOVE_PLACE_INVENTORY)
              continue;
            exotic = ITEM (state, index)->equip_label != 0;
            if (exotic == (pass == 1))
              g_array_append_val (self->bulk, result->instance_id);
          }
    }

  /* Conflicts, one replacement run at a time. */
  while (self->cursor < self->bulk->len)
    {
      guint64 id = g_array_index (self->bulk, guint64, self->cursor++);
      int index = qm_move_state_find_instance (state, id);
      const QmMoveItem *item;
      gboolean covered = FALSE;
      guint64 replacement;
      int replacement_index;

      if (index < 0 || ITEM (state, index)->equip_label == 0)
        continue;
      item = ITEM (state, index);
      for (guint i = 0; i < state->items->len; i++)
        {
          const QmMoveItem *worn = ITEM (state, i);

          if (worn->place != QM_MOVE_PLACE_EQUIPPED || worn->owner != self->target ||
              worn->equip_label != item->equip_label || worn->slot == item->slot)
            continue;
          /* Another item of the list takes that slot: no conflict. */
          for (guint j = 0; j < self->bulk->len; j++)
            {
              int other = qm_move_state_find_instance (state, g_array_index (self->bulk, guint64, j));

              covered |= other >= 0 && ITEM (state, other)->slot == worn->slot &&
                         ITEM (state, other)->equip_label != item->equip_label;
            }
          if (covered)
            break;
          replacement = qm_move_find_replacement (state, worn->instance_id, self->target, item->equip_label, &policy);
          if (replacement == 0)
            break;
          replacement_index = qm_move_state_find_instance (state, replacement);
          g_array_prepend_val (self->bulk, replacement);
          self->cursor++;
          if (ITEM (state, replacement_index)->owner != self->target ||
              ITEM (state, replacement_index)->place != QM_MOVE_PLACE_INVENTORY)
            {
              QmMoveRequest request = { 0 };

              request.kind = QM_MOVE_REQUEST_MOVE;
              request.instance_id = replacement;
              request.target = self->target;
              start_run (self, &request, 1, on_exotic_cb);
              return TRUE;
            }
          break;
        }
    }
  return FALSE;
}

static void
on_equip_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(QmLoadoutApply) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) statuses = qm_move_executor_equip_items_finish (QM_MOVE_EXECUTOR (source), result, &error);

  if (statuses == NULL)
    {
      g_autofree char *reason = reason_of_error (error);

      for (guint i = 0; i < self->bulk->len; i++)
        {
          int index = find_result (self, g_array_index (self->bulk, guint64, i));

          if (index >= 0)
            set_state (self, (guint) index, QM_LOADOUT_RESULT_FAILED, reason);
        }
      if (is_fatal (error))
        set_fatal (self, error);
      advance (self);
      return;
    }

  for (guint i = 0; i < statuses->len; i++)
    {
      const QmMoveEquipResult *status = &g_array_index (statuses, QmMoveEquipResult, i);
      int index = find_result (self, status->instance_id);

      if (index < 0)
        continue;   /* a replacement */
      if (status->status == QM_PLATFORM_ERROR_SUCCESS)
        set_state (self, (guint) index, QM_LOADOUT_RESULT_EQUIPPED, NULL);
      else
        {
          g_autofree char *reason = reason_of_status (status->status);

          set_state (self, (guint) index, QM_LOADOUT_RESULT_FAILED, reason);
        }
    }
  advance (self);
}

static void
on_other_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(QmLoadoutApply) self = user_data;
  g_autoptr(GError) error = NULL;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "qm-moving"));

  if (!qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, NULL, &error))
    {
      g_autofree char *reason = reason_of_error (error);

      set_state (self, index, QM_LOADOUT_RESULT_FAILED, reason);
      if (is_fatal (error))
        set_fatal (self, error);
    }
  else
    {
      extend_snapshot (self);
      set_state (self, index, QM_LOADOUT_RESULT_MOVED, NULL);
    }
  advance (self);
}

/* Step 4: the other items of the loadout's slots to the vault. */
static gboolean
step_others (QmLoadoutApply *self)
{
  g_autoptr(QmMoveState) state = NULL;

  if (!self->move_others || self->undo)
    return FALSE;
  if (self->cursor == 0)
    {
      state = qm_move_executor_dup_state (self->executor);
      g_array_unref (self->pending);
      self->pending = others_of (self, state, self->target);
      for (guint i = 0; i < self->pending->len; i++)
        {
          int index = qm_move_state_find_instance (state, g_array_index (self->pending, guint64, i));

          add_result (self, state, g_array_index (self->pending, guint64, i), ITEM (state, index)->hash,
                      QM_MOVE_VAULT, FALSE, TRUE);
        }
    }
  while (self->cursor < self->pending->len)
    {
      guint64 id = g_array_index (self->pending, guint64, self->cursor++);
      QmMoveRequest request = { 0 };
      int index = -1;

      for (guint i = 0; i < self->results->len; i++)
        if (result_at (self, i)->other && result_at (self, i)->instance_id == id)
          index = (int) i;
      request.kind = QM_MOVE_REQUEST_MOVE;
      request.instance_id = id;
      request.target = QM_MOVE_VAULT;
      g_object_set_data (G_OBJECT (self), "qm-moving", GUINT_TO_POINTER ((guint) index));
      start_run (self, &request, 1, on_other_cb);
      return TRUE;
    }
  return FALSE;
}

static guint
count_failures (QmLoadoutApply *self)
{
  guint n = 0;

  for (guint i = 0; i < self->results->len; i++)
    n += result_at (self, i)->state == QM_LOADOUT_RESULT_FAILED;
  return n;
}

static void
finish (QmLoadoutApply *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) store_error = NULL;
  guint failures;

  if (self->fatal)
    fail_pending (self, self->fatal_reason);
  /* Moved to the character but not equipped: named as such. */
  for (guint i = 0; i < self->results->len; i++)
    if (result_at (self, i)->state == QM_LOADOUT_RESULT_PENDING)
      set_state (self, i, QM_LOADOUT_RESULT_FAILED, _("It was not moved."));
  failures = count_failures (self);

  if (self->store != NULL)
    {
      if (self->undo && failures == 0)
        qm_loadout_store_drop_undo (self->store, self->character_id, self->undo_index, &store_error);
      else if (!self->undo && self->snapshot != NULL)
        qm_loadout_store_update_undo_top (self->store, self->character_id, self->snapshot, &store_error);
      if (store_error != NULL)
        g_warning ("%s", store_error->message);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (failures == 0)
    g_task_return_boolean (task, TRUE);
  else
    {
      g_autofree char *summary = qm_loadout_apply_dup_summary (self);

      g_task_return_new_error (task, QM_MOVE_ERROR, QM_MOVE_ERROR_STEP_FAILED, "%s", summary);
    }
}

static void
advance (QmLoadoutApply *self)
{
  for (;;)
    {
      gboolean started = FALSE;

      if (self->fatal && self->phase != PHASE_DONE)
        self->phase = PHASE_DONE;
      switch (self->phase)
        {
        case PHASE_OUT:
          started = self->undo && step_move (self, MOVE_OUT_FIRST);
          break;
        case PHASE_DEQUIP:
          started = step_dequip (self);
          break;
        case PHASE_MOVES:
          started = step_move (self, MOVE_TO_TARGET);
          break;
        case PHASE_EXOTICS:
          started = step_exotics (self);
          break;
        case PHASE_EQUIP:
          if (self->bulk->len > 0)
            {
              qm_move_executor_equip_items_async (self->executor, self->target,
                                                  (const guint64 *) (gpointer) self->bulk->data, self->bulk->len,
                                                  g_task_get_cancellable (self->task), on_equip_cb,
                                                  g_object_ref (self));
              self->phase++;
              self->cursor = 0;
              return;
            }
          break;
        case PHASE_OTHERS:
          started = step_others (self);
          break;
        case PHASE_REST:
          started = step_move (self, MOVE_ELSEWHERE);
          break;
        case PHASE_DONE:
        default:
          finish (self);
          return;
        }
      if (started)
        return;
      self->phase++;
      self->cursor = 0;
    }
}

void
qm_loadout_apply_run_async (QmLoadoutApply      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (QM_IS_LOADOUT_APPLY (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, qm_loadout_apply_run_async);
  g_task_set_check_cancellable (self->task, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  state = qm_move_executor_dup_state (self->executor);
  self->target = character_index (self->executor, state, self->character_id, &error);
  if (self->target < 0)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->pending = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->bulk = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->phase = PHASE_OUT;
  self->cursor = 0;

  /* Before anything moves: where everything was (DIM's "Before 'X'"),
   * kept on disk so Undo survives a restart. Applying an undo entry makes
   * none. */
  if (!self->undo && self->store != NULL)
    {
      self->snapshot = take_snapshot (self, state);
      if (!qm_loadout_store_push_undo (self->store, self->character_id, qm_undo_entry_copy (self->snapshot), &error))
        g_warning ("No undo for this loadout: %s", error->message);
    }
  advance (self);
}

gboolean
qm_loadout_apply_run_finish (QmLoadoutApply  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------
 * Summaries
 * ------------------------------------------------------------------------ */

GPtrArray *
qm_loadout_apply_group_failures (QmLoadoutApply *self)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) qm_loadout_failure_group_free);

  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), groups);

  for (guint i = 0; i < self->results->len; i++)
    {
      const QmLoadoutItemResult *result = result_at (self, i);
      QmLoadoutFailureGroup *group = NULL;

      if (result->state != QM_LOADOUT_RESULT_FAILED)
        continue;
      for (guint g = 0; g < groups->len && group == NULL; g++)
        if (g_strcmp0 (((QmLoadoutFailureGroup *) g_ptr_array_index (groups, g))->reason, result->reason) == 0)
          group = g_ptr_array_index (groups, g);
      if (group == NULL)
        {
          group = g_new0 (QmLoadoutFailureGroup, 1);
          group->reason = g_strdup (result->reason != NULL ? result->reason : "");
          group->names = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->names, g_strdup (result->name));
    }
  return groups;
}

char *
qm_loadout_apply_dup_summary (QmLoadoutApply *self)
{
  g_autoptr(GPtrArray) groups = NULL;
  guint counts[QM_LOADOUT_RESULT_FAILED + 1] = { 0 };
  guint moved_away = 0;
  g_autoptr(GPtrArray) away = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (QM_IS_LOADOUT_APPLY (self), g_string_free (out, FALSE));

  for (guint i = 0; i < self->results->len; i++)
    {
      const QmLoadoutItemResult *result = result_at (self, i);

      if (result->other && result->state == QM_LOADOUT_RESULT_MOVED)
        {
          moved_away++;
          g_ptr_array_add (away, result->name);
        }
      else
        counts[result->state]++;
    }
  /* Translators: the counts of a loadout's items, e.g. "3 equipped, 2 moved, 1 already there" */
  g_string_append_printf (out, _("%u equipped, %u moved, %u already there"),
                          counts[QM_LOADOUT_RESULT_EQUIPPED], counts[QM_LOADOUT_RESULT_MOVED],
                          counts[QM_LOADOUT_RESULT_ALREADY_THERE]);
  if (moved_away > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (away, NULL);
      names = g_strjoinv (", ", (char **) away->pdata);
      /* Translators: the count, then the items' names */
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", %u other item moved to the vault (%s)",
                                                ", %u other items moved to the vault (%s)", moved_away),
                              moved_away, names);
    }
  g_string_append (out, ".");
  groups = qm_loadout_apply_group_failures (self);
  for (guint g = 0; g < groups->len; g++)
    {
      QmLoadoutFailureGroup *group = g_ptr_array_index (groups, g);
      g_autofree char *names = NULL;

      g_ptr_array_add (group->names, NULL);
      names = g_strjoinv (", ", (char **) group->names->pdata);
      g_ptr_array_remove_index (group->names, group->names->len - 1);
      g_string_append_c (out, '\n');
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u failed: %s (%s)", "%u failed: %s (%s)",
                                                group->names->len),
                              group->names->len, group->reason, names);
    }
  return g_string_free (out, FALSE);
}
