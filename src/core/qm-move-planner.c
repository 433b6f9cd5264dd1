/* qm-move-planner.c: what it takes to move, equip, lock or pull an item
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules the simulation applies are Bungie's (bungie-api.md §2.5, §3),
 * as the sandbox enforces them (src/sandbox/qm-sandbox-rules.c): transfers
 * only between a character and the vault (Bungie staff, Bungie-net/api
 * #1936); 1656 for an equipped item; 1660 non-transferable; 1642 when the
 * destination bucket (bucket definition itemCount, the equipped item
 * counted) or the vault is full; 1648 a second stack of a stackUniqueLabel;
 * 1640 another class's item or one not equippable; 1641 a second item of an
 * equippingBlock.uniqueLabel equipped; 1673 a postmaster pull with side
 * effects; 1663 an item that cannot be locked. The choices when something
 * must give way follow DIM's engine (peers.md §2.3-2.5).
 */

#define G_LOG_DOMAIN "qm-move-planner"

#include "config.h"

#include "qm-move-planner.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "qm-destiny.h"
#include "qm-error.h"
#include "qm-profile.h"

G_DEFINE_QUARK (qm-move-error-quark, qm_move_error)

#define SUCCESS              QM_PLATFORM_ERROR_SUCCESS
#define ITEM_NOT_FOUND       QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_FOUND
#define CHARACTER_NOT_FOUND  QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND
#define NO_ROOM              QM_PLATFORM_ERROR_DESTINY_NO_ROOM_IN_DESTINATION
#define UNIQUENESS           QM_PLATFORM_ERROR_DESTINY_UNIQUENESS_VIOLATION
#define EQUIPPED_ITEM        QM_PLATFORM_ERROR_DESTINY_CANNOT_PERFORM_ACTION_ON_EQUIPPED_ITEM
#define NOT_TRANSFERRABLE    QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE
#define UNEQUIPPABLE         QM_PLATFORM_ERROR_DESTINY_ITEM_UNEQUIPPABLE
#define UNIQUE_EQUIP         QM_PLATFORM_ERROR_DESTINY_ITEM_UNIQUE_EQUIP_RESTRICTED
#define SIDE_EFFECTS         QM_PLATFORM_ERROR_DESTINY_ITEM_NOT_TRANSFERRABLE_HAS_SIDE_EFFECTS
#define ACTION_FORBIDDEN     QM_PLATFORM_ERROR_DESTINY_ITEM_ACTION_FORBIDDEN
#define INVALID_PARAMETERS   QM_PLATFORM_ERROR_INVALID_PARAMETERS

/* How deep making room may go (room for the room-maker, …). */
#define MAX_DEPTH 6
/* Items moved aside for one bucket before giving up. */
#define MAX_ASIDE 12

#define ITEM(s, i) (&g_array_index ((s)->items, QmMoveItem, (i)))

typedef struct
{
  guint64 key;
  int     capacity;
} FullMark;

/* ------------------------------------------------------------------------
 * The state
 * ------------------------------------------------------------------------ */

QmMoveState *
qm_move_state_new (void)
{
  QmMoveState *state = g_new0 (QmMoveState, 1);

  state->vault_capacity = -1;
  state->items = g_array_new (FALSE, TRUE, sizeof (QmMoveItem));
  state->buckets = g_array_new (FALSE, TRUE, sizeof (QmMoveBucket));
  state->full = g_array_new (FALSE, TRUE, sizeof (FullMark));
  return state;
}

QmMoveState *
qm_move_state_copy (const QmMoveState *state)
{
  QmMoveState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = g_new0 (QmMoveState, 1);
  copy->n_characters = state->n_characters;
  memcpy (copy->characters, state->characters, sizeof copy->characters);
  copy->vault_capacity = state->vault_capacity;
  copy->items = g_array_copy (state->items);
  copy->buckets = g_array_copy (state->buckets);
  copy->full = g_array_copy (state->full);
  copy->names = state->names != NULL ? g_hash_table_ref (state->names) : NULL;
  return copy;
}

void
qm_move_state_free (QmMoveState *state)
{
  if (state == NULL)
    return;
  g_clear_pointer (&state->items, g_array_unref);
  g_clear_pointer (&state->buckets, g_array_unref);
  g_clear_pointer (&state->full, g_array_unref);
  g_clear_pointer (&state->names, g_hash_table_unref);
  g_free (state);
}

void
qm_move_state_add_character (QmMoveState *state,
                             guint64      id,
                             int          class_type,
                             gint64       last_played)
{
  QmMoveCharacter *character;

  g_return_if_fail (state != NULL);
  g_return_if_fail (state->n_characters < QM_MOVE_MAX_CHARACTERS);

  character = &state->characters[state->n_characters++];
  character->id = id;
  character->class_type = class_type;
  character->last_played = last_played;
}

void
qm_move_state_add_bucket (QmMoveState *state,
                          guint32      hash,
                          int          capacity,
                          gboolean     account_wide)
{
  QmMoveBucket bucket = { hash, capacity, account_wide };

  g_return_if_fail (state != NULL);

  for (guint i = 0; i < state->buckets->len; i++)
    if (g_array_index (state->buckets, QmMoveBucket, i).hash == hash)
      {
        g_array_index (state->buckets, QmMoveBucket, i) = bucket;
        return;
      }
  g_array_append_val (state->buckets, bucket);
}

void
qm_move_state_add_item (QmMoveState      *state,
                        const QmMoveItem *item)
{
  g_return_if_fail (state != NULL);
  g_return_if_fail (item != NULL);

  g_array_append_vals (state->items, item, 1);
}

void
qm_move_state_set_names (QmMoveState *state,
                         GHashTable  *names)
{
  g_return_if_fail (state != NULL);

  if (names != NULL)
    g_hash_table_ref (names);
  g_clear_pointer (&state->names, g_hash_table_unref);
  state->names = names;
}

int
qm_move_state_find_instance (const QmMoveState *state,
                             guint64            instance_id)
{
  g_return_val_if_fail (state != NULL, -1);

  if (instance_id == 0)
    return -1;
  for (guint i = 0; i < state->items->len; i++)
    if (ITEM (state, i)->instance_id == instance_id)
      return (int) i;
  return -1;
}

int
qm_move_state_find_stack (const QmMoveState *state,
                          guint32            hash,
                          int                place,
                          int                owner)
{
  g_return_val_if_fail (state != NULL, -1);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);

      if (item->instance_id == 0 && item->hash == hash && item->place == place &&
          (place == QM_MOVE_PLACE_VAULT || place == QM_MOVE_PLACE_ACCOUNT || item->owner == owner))
        return (int) i;
    }
  return -1;
}

int
qm_move_state_find_character (const QmMoveState *state,
                              guint64            id)
{
  g_return_val_if_fail (state != NULL, -1);

  for (guint i = 0; i < state->n_characters; i++)
    if (state->characters[i].id == id)
      return (int) i;
  return -1;
}

static const QmMoveBucket *
find_bucket (const QmMoveState *state,
             guint32            hash)
{
  for (guint i = 0; i < state->buckets->len; i++)
    if (g_array_index (state->buckets, QmMoveBucket, i).hash == hash)
      return &g_array_index (state->buckets, QmMoveBucket, i);
  return NULL;
}

static gboolean
is_account_wide (const QmMoveState *state,
                 guint32            slot)
{
  const QmMoveBucket *bucket = find_bucket (state, slot);

  return bucket != NULL && bucket->account_wide;
}

static int
active_character (const QmMoveState *state)
{
  int best = 0;

  for (guint i = 1; i < state->n_characters; i++)
    if (state->characters[i].last_played > state->characters[best].last_played)
      best = (int) i;
  return best;
}

/* A place items are counted in against one capacity. */
typedef struct
{
  int     place;   /* VAULT, ACCOUNT, or INVENTORY for a character's bucket */
  int     owner;
  guint32 slot;    /* 0 for the vault */
} Store;

static guint64
store_key (const Store *store)
{
  return ((guint64) (guint32) (store->place == QM_MOVE_PLACE_INVENTORY ? store->owner : -1) << 32) |
         store->slot;
}

static gboolean
in_store (const QmMoveItem *item,
          const Store      *store)
{
  switch (store->place)
    {
    case QM_MOVE_PLACE_VAULT:
      return item->place == QM_MOVE_PLACE_VAULT;
    case QM_MOVE_PLACE_ACCOUNT:
      return item->place == QM_MOVE_PLACE_ACCOUNT && item->slot == store->slot;
    default:
      return (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY) &&
             item->owner == store->owner && item->slot == store->slot;
    }
}

static int
store_count (const QmMoveState *state,
             const Store       *store)
{
  int count = 0;

  for (guint i = 0; i < state->items->len; i++)
    if (in_store (ITEM (state, i), store))
      count++;
  return count;
}

static int
store_capacity (const QmMoveState *state,
                const Store       *store)
{
  const QmMoveBucket *bucket;
  guint64 key = store_key (store);
  int capacity;

  if (store->place == QM_MOVE_PLACE_VAULT)
    capacity = state->vault_capacity < 0 ? G_MAXINT : state->vault_capacity;
  else
    capacity = (bucket = find_bucket (state, store->slot)) != NULL ? bucket->capacity : G_MAXINT;

  for (guint i = 0; i < state->full->len; i++)
    if (g_array_index (state->full, FullMark, i).key == key)
      capacity = MIN (capacity, g_array_index (state->full, FullMark, i).capacity);
  return capacity;
}

static int
store_free (const QmMoveState *state,
            const Store       *store)
{
  int capacity = store_capacity (state, store);

  return capacity == G_MAXINT ? G_MAXINT : capacity - store_count (state, store);
}

void
qm_move_state_mark_full (QmMoveState *state,
                         int          owner,
                         guint32      hash)
{
  Store store;
  FullMark mark;

  g_return_if_fail (state != NULL);

  if (owner == QM_MOVE_VAULT && hash == 0)
    store = (Store) { QM_MOVE_PLACE_VAULT, QM_MOVE_VAULT, 0 };
  else if (owner == QM_MOVE_VAULT)
    store = (Store) { QM_MOVE_PLACE_ACCOUNT, QM_MOVE_VAULT, hash };
  else
    store = (Store) { QM_MOVE_PLACE_INVENTORY, owner, hash };
  mark.key = store_key (&store);
  mark.capacity = store_count (state, &store);
  g_array_append_val (state->full, mark);
}

/* Where an item of @slot lands when it comes out of the vault or the
 * postmaster onto @character. */
static Store
home_store (const QmMoveState *state,
            guint32            slot,
            int                character)
{
  if (is_account_wide (state, slot))
    return (Store) { QM_MOVE_PLACE_ACCOUNT, QM_MOVE_VAULT, slot };
  return (Store) { QM_MOVE_PLACE_INVENTORY, character, slot };
}

static Store
vault_store (void)
{
  return (Store) { QM_MOVE_PLACE_VAULT, QM_MOVE_VAULT, 0 };
}

/* Slots @amount of @item need in @store once the partial stacks of the
 * same item there are topped up. */
static int
slots_needed (const QmMoveState *state,
              const QmMoveItem  *item,
              int                amount,
              const Store       *store)
{
  int room = 0;
  int max = MAX (item->max_stack, 1);
  int left;

  if (item->instance_id != 0)
    return 1;
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *other = ITEM (state, i);

      if (other->instance_id == 0 && other->hash == item->hash && other->place != QM_MOVE_PLACE_EQUIPPED &&
          in_store (other, store))
        room += MAX (0, max - other->quantity);
    }
  left = amount - room;
  return left <= 0 ? 0 : (left + max - 1) / max;
}

static gboolean
unique_stack_conflict (const QmMoveState *state,
                       const QmMoveItem  *item,
                       const Store       *store)
{
  if (item->stack_label == 0)
    return FALSE;
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *other = ITEM (state, i);

      if (other->stack_label == item->stack_label && in_store (other, store))
        return TRUE;
    }
  return FALSE;
}

static int
check_room (const QmMoveState *state,
            const QmMoveItem  *item,
            int                amount,
            const Store       *store)
{
  int needed = slots_needed (state, item, amount, store);

  if (needed == 0)
    return SUCCESS;
  if (unique_stack_conflict (state, item, store))
    return UNIQUENESS;
  if (store_free (state, store) < needed)
    return NO_ROOM;
  return SUCCESS;
}

/* ------------------------------------------------------------------------
 * Applying a step as Bungie would
 * ------------------------------------------------------------------------ */

/* Uninstanced stacks of @hash matching @place/@owner, their total. */
static int
stack_total (const QmMoveState *state,
             guint32            hash,
             gboolean (*match) (const QmMoveItem *, int),
             int                character)
{
  int total = 0;

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);

      if (item->instance_id == 0 && item->hash == hash && match (item, character))
        total += item->quantity;
    }
  return total;
}

static gboolean
match_leaving_character (const QmMoveItem *item,
                         int               character)
{
  return (item->place == QM_MOVE_PLACE_INVENTORY && item->owner == character) ||
         item->place == QM_MOVE_PLACE_ACCOUNT;
}

static gboolean
match_vault (const QmMoveItem *item,
             int               character)
{
  return item->place == QM_MOVE_PLACE_VAULT;
}

static gboolean
match_postmaster (const QmMoveItem *item,
                  int               character)
{
  return item->place == QM_MOVE_PLACE_POSTMASTER && item->owner == character;
}

/* Move @amount of the stacks matching into @store: take from the last
 * stacks first, top up partial stacks there, then start new ones. */
static void
move_stacks (QmMoveState *state,
             const QmMoveItem *template,
             int          amount,
             gboolean (*match) (const QmMoveItem *, int),
             int          character,
             const Store *store)
{
  QmMoveItem model = *template;
  int left = amount;
  int max = MAX (template->max_stack, 1);

  for (guint i = state->items->len; i > 0 && left > 0; i--)
    {
      QmMoveItem *item = ITEM (state, i - 1);
      int take;

      if (item->instance_id != 0 || item->hash != template->hash || !match (item, character))
        continue;
      take = MIN (left, item->quantity);
      item->quantity -= take;
      left -= take;
      if (item->quantity == 0)
        g_array_remove_index (state->items, i - 1);
    }

  left = amount;
  for (guint i = 0; i < state->items->len && left > 0; i++)
    {
      QmMoveItem *item = ITEM (state, i);
      int add;

      if (item->instance_id != 0 || item->hash != template->hash || item->place == QM_MOVE_PLACE_EQUIPPED ||
          !in_store (item, store))
        continue;
      add = MIN (left, MAX (0, max - item->quantity));
      item->quantity += add;
      left -= add;
    }
  model.place = store->place;
  model.owner = store->place == QM_MOVE_PLACE_INVENTORY ? store->owner : QM_MOVE_VAULT;
  while (left > 0)
    {
      model.quantity = MIN (left, max);
      g_array_append_val (state->items, model);
      left -= model.quantity;
    }
}

static void
place_item (QmMoveItem  *item,
            const Store *store)
{
  item->place = store->place;
  item->owner = store->place == QM_MOVE_PLACE_INVENTORY ? store->owner : QM_MOVE_VAULT;
}

static int
find_equipped (const QmMoveState *state,
               int                character,
               guint32            slot)
{
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);

      if (item->place == QM_MOVE_PLACE_EQUIPPED && item->owner == character && item->slot == slot)
        return (int) i;
    }
  return -1;
}

/* An equipped item of @character other than in @slot with @label. */
static int
find_label_conflict (const QmMoveState *state,
                     int                character,
                     guint32            label,
                     guint32            slot)
{
  if (label == 0)
    return -1;
  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);

      if (item->place == QM_MOVE_PLACE_EQUIPPED && item->owner == character && item->slot != slot &&
          item->equip_label == label)
        return (int) i;
    }
  return -1;
}

static gboolean
class_can_use (const QmMoveState *state,
               const QmMoveItem  *item,
               int                character)
{
  return item->class_type == QM_MOVE_CLASS_ANY || item->class_type == state->characters[character].class_type;
}

static int
apply_transfer (QmMoveState      *state,
                const QmMoveStep *step)
{
  gboolean to_vault = step->kind == QM_MOVE_STEP_TO_VAULT;
  gboolean pull = step->kind == QM_MOVE_STEP_PULL;
  gboolean (*match) (const QmMoveItem *, int) = pull ? match_postmaster :
                                                 to_vault ? match_leaving_character : match_vault;
  QmMoveItem template;
  Store store;
  int index = -1;
  int code;

  if (step->amount < 1)
    return INVALID_PARAMETERS;

  if (step->instance_id != 0)
    {
      QmMoveItem *item;

      index = qm_move_state_find_instance (state, step->instance_id);
      if (index < 0)
        return ITEM_NOT_FOUND;
      item = ITEM (state, index);
      if (item->hash != step->hash)
        return ITEM_NOT_FOUND;
      if (to_vault && item->place == QM_MOVE_PLACE_EQUIPPED && item->owner == step->character)
        return EQUIPPED_ITEM;
      if (!match (item, step->character) || step->amount > item->quantity)
        return ITEM_NOT_FOUND;
      template = *item;
    }
  else
    {
      int first = -1;

      for (guint i = 0; i < state->items->len && first < 0; i++)
        if (ITEM (state, i)->instance_id == 0 && ITEM (state, i)->hash == step->hash &&
            match (ITEM (state, i), step->character))
          first = (int) i;
      if (first < 0 || stack_total (state, step->hash, match, step->character) < step->amount)
        return ITEM_NOT_FOUND;
      template = *ITEM (state, first);
    }

  if (pull && (template.flags & QM_MOVE_ITEM_PULL_SIDE_EFFECTS) != 0)
    return SIDE_EFFECTS;
  if (!pull && (template.flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0)
    return NOT_TRANSFERRABLE;

  store = to_vault ? vault_store () : home_store (state, template.slot, step->character);
  if ((code = check_room (state, &template, step->amount, &store)) != SUCCESS)
    return code;

  if (index >= 0)
    place_item (ITEM (state, index), &store);
  else
    move_stacks (state, &template, step->amount, match, step->character, &store);
  return SUCCESS;
}

static int
apply_equip (QmMoveState      *state,
             const QmMoveStep *step)
{
  int index = qm_move_state_find_instance (state, step->instance_id);
  QmMoveItem *item;
  int current;

  if (index < 0)
    return ITEM_NOT_FOUND;
  item = ITEM (state, index);
  if (item->owner != step->character ||
      (item->place != QM_MOVE_PLACE_EQUIPPED && item->place != QM_MOVE_PLACE_INVENTORY))
    return ITEM_NOT_FOUND;
  if (item->place == QM_MOVE_PLACE_EQUIPPED)
    return SUCCESS;
  if ((item->flags & QM_MOVE_ITEM_EQUIPPABLE) == 0 || !class_can_use (state, item, step->character))
    return UNEQUIPPABLE;
  if (find_label_conflict (state, step->character, item->equip_label, item->slot) >= 0)
    return UNIQUE_EQUIP;

  current = find_equipped (state, step->character, item->slot);
  if (current >= 0)
    ITEM (state, current)->place = QM_MOVE_PLACE_INVENTORY;
  item->place = QM_MOVE_PLACE_EQUIPPED;
  return SUCCESS;
}

static int
apply_lock (QmMoveState      *state,
            const QmMoveStep *step)
{
  int index = qm_move_state_find_instance (state, step->instance_id);
  QmMoveItem *item;

  if (index < 0)
    return ITEM_NOT_FOUND;
  item = ITEM (state, index);
  /* The owner's id, or any character's for items of the vault. */
  if (item->place != QM_MOVE_PLACE_VAULT && item->place != QM_MOVE_PLACE_ACCOUNT &&
      item->owner != step->character)
    return ITEM_NOT_FOUND;
  if ((item->flags & QM_MOVE_ITEM_LOCKABLE) == 0)
    return ACTION_FORBIDDEN;
  if (step->kind == QM_MOVE_STEP_LOCK)
    item->flags |= QM_MOVE_ITEM_LOCKED;
  else
    item->flags &= ~QM_MOVE_ITEM_LOCKED;
  return SUCCESS;
}

int
qm_move_state_apply_step (QmMoveState      *state,
                          const QmMoveStep *step)
{
  g_return_val_if_fail (state != NULL, INVALID_PARAMETERS);
  g_return_val_if_fail (step != NULL, INVALID_PARAMETERS);

  if (step->character < 0 || (guint) step->character >= state->n_characters)
    return CHARACTER_NOT_FOUND;

  switch (step->kind)
    {
    case QM_MOVE_STEP_TO_VAULT:
    case QM_MOVE_STEP_FROM_VAULT:
    case QM_MOVE_STEP_PULL:
      return apply_transfer (state, step);
    case QM_MOVE_STEP_EQUIP:
      return apply_equip (state, step);
    case QM_MOVE_STEP_LOCK:
    case QM_MOVE_STEP_UNLOCK:
      return apply_lock (state, step);
    default:
      return INVALID_PARAMETERS;
    }
}

/* ------------------------------------------------------------------------
 * Words for messages
 * ------------------------------------------------------------------------ */

static const char *
item_name (const QmMoveState *state,
           const QmMoveItem  *item)
{
  const char *name = NULL;

  if (state->names != NULL)
    name = g_hash_table_lookup (state->names, GUINT_TO_POINTER (item->hash));
  return name != NULL ? name : _("The item");
}

static const char *
bucket_name (guint32 slot)
{
  const char *name = qm_bucket_get_display_name (slot);

  return name != NULL ? _(name) : _("Inventory");
}

static const char *
character_name (const QmMoveState *state,
                int                character)
{
  if (character < 0 || (guint) character >= state->n_characters)
    return _("Guardian");
  return qm_class_type_display_name (state->characters[character].class_type);
}

static void
set_no_space_error (const QmMoveState *state,
                    const Store       *store,
                    GError           **error)
{
  if (store->place == QM_MOVE_PLACE_VAULT)
    g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE, _("The vault is full."));
  else if (store->place == QM_MOVE_PLACE_ACCOUNT)
    g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE, _("%s is full."),
                 bucket_name (store->slot));
  else
    g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE,
                 /* Translators: "Kinetic Weapons on your Hunter is full." */
                 _("%s on your %s is full."),
                 bucket_name (store->slot), character_name (state, store->owner));
}

/* ------------------------------------------------------------------------
 * The planner
 * ------------------------------------------------------------------------ */

/* An item followed through the plan: an instance, or a stack by hash,
 * place and owner. */
typedef struct
{
  guint64 instance_id;
  guint32 hash;
  int     place;
  int     owner;
} ItemKey;

typedef struct
{
  QmMoveState        *state;     /* the scratch copy */
  const QmMovePolicy *policy;
  GArray             *steps;
  GArray             *named;     /* guint64: instance ids, STACK_KEY (hash) */
  GArray             *touched;   /* guint64: the same, for items this plan moved */
  GArray             *equipping; /* guint64: the items requests ask to be equipped */
  int                 depth;
} Planner;

#define STACK_KEY(hash) (G_GUINT64_CONSTANT (1) << 63 | (hash))

static guint64
item_mark (const QmMoveItem *item)
{
  return item->instance_id != 0 ? item->instance_id : STACK_KEY (item->hash);
}

static gboolean
marks_contain (GArray  *marks,
               guint64  mark)
{
  for (guint i = 0; i < marks->len; i++)
    if (g_array_index (marks, guint64, i) == mark)
      return TRUE;
  return FALSE;
}

static void
marks_add (GArray  *marks,
           guint64  mark)
{
  if (!marks_contain (marks, mark))
    g_array_append_val (marks, mark);
}

static gboolean
is_kept (const QmMovePolicy *policy,
         const QmMoveItem   *item)
{
  for (guint i = 0; item->instance_id != 0 && i < policy->n_keep; i++)
    if (policy->keep[i] == item->instance_id)
      return TRUE;
  return FALSE;
}

static gboolean
is_named (Planner          *p,
          const QmMoveItem *item)
{
  return marks_contain (p->named, item_mark (item));
}

static ItemKey
key_of (const QmMoveItem *item)
{
  return (ItemKey) { item->instance_id, item->hash, item->place, item->owner };
}

static int
find_key (Planner       *p,
          const ItemKey *key)
{
  if (key->instance_id != 0)
    return qm_move_state_find_instance (p->state, key->instance_id);
  return qm_move_state_find_stack (p->state, key->hash, key->place, key->owner);
}

static void
set_step_error (Planner          *p,
                const QmMoveItem *item,
                int               code,
                GError          **error)
{
  const char *name = item_name (p->state, item);

  switch (code)
    {
    case NO_ROOM:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE, _("There is no room for %s."), name);
      break;
    case UNIQUENESS:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_UNIQUE_STACK,
                   _("Only one stack of %s can be there."), name);
      break;
    case UNIQUE_EQUIP:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT,
                   _("%s cannot be equipped next to the exotic already equipped."), name);
      break;
    case NOT_TRANSFERRABLE:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_TRANSFERABLE,
                   _("%s cannot leave the character that holds it."), name);
      break;
    case SIDE_EFFECTS:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_POSTMASTER,
                   _("%s can only be collected in the game."), name);
      break;
    case UNEQUIPPABLE:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_EQUIPPABLE, _("%s cannot be equipped."), name);
      break;
    case ACTION_FORBIDDEN:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_LOCKABLE, _("%s cannot be locked."), name);
      break;
    default:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND, _("%s is no longer there."), name);
      break;
    }
}

/* Append a step and apply it to the scratch state. */
static gboolean
emit (Planner          *p,
      QmMoveStepKind    kind,
      const QmMoveItem *item,
      int               amount,
      int               character,
      QmMoveReason      reason,
      GError          **error)
{
  QmMoveStep step = {
    .kind = kind,
    .instance_id = item->instance_id,
    .hash = item->hash,
    .amount = amount,
    .character = character,
    .from_place = item->place,
    .from_owner = item->owner,
    .reason = reason,
    .aside = !is_named (p, item),
  };
  QmMoveItem copy = *item;
  int code;

  code = qm_move_state_apply_step (p->state, &step);
  if (code != SUCCESS)
    {
      set_step_error (p, &copy, code, error);
      return FALSE;
    }
  g_array_append_val (p->steps, step);
  if (kind != QM_MOVE_STEP_LOCK && kind != QM_MOVE_STEP_UNLOCK)
    marks_add (p->touched, item_mark (&copy));
  return TRUE;
}

static gboolean move_item (Planner *p, ItemKey *key, int target, gboolean equip, int amount,
                           QmMoveReason reason, GError **error);

/* Least valuable first: unlocked before locked, lower tier, items the
 * holder's class cannot use, lower power; the request's own bucket first
 * in the vault. Negative when @a should go before @b. */
static int
compare_aside (const QmMoveState *state,
               const QmMoveItem  *a,
               const QmMoveItem  *b,
               guint32            prefer_slot)
{
  gboolean a_locked = (a->flags & QM_MOVE_ITEM_LOCKED) != 0;
  gboolean b_locked = (b->flags & QM_MOVE_ITEM_LOCKED) != 0;

  if ((a->slot == prefer_slot) != (b->slot == prefer_slot))
    return a->slot == prefer_slot ? -1 : 1;
  if (a_locked != b_locked)
    return a_locked ? 1 : -1;
  if (a->tier_type != b->tier_type)
    return a->tier_type < b->tier_type ? -1 : 1;
  if (a->owner >= 0 && b->owner >= 0)
    {
      gboolean a_usable = class_can_use (state, a, a->owner);
      gboolean b_usable = class_can_use (state, b, b->owner);

      if (a_usable != b_usable)
        return a_usable ? 1 : -1;
    }
  if (a->power != b->power)
    return a->power < b->power ? -1 : 1;
  if (a->instance_id != b->instance_id)
    return a->instance_id < b->instance_id ? -1 : 1;
  return a->hash < b->hash ? -1 : (a->hash > b->hash ? 1 : 0);
}

static gboolean
can_move_aside (Planner          *p,
                const QmMoveItem *item,
                const Store      *store)
{
  return in_store (item, store) &&
         item->place != QM_MOVE_PLACE_EQUIPPED &&
         (item->flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) == 0 &&
         !is_named (p, item) && !is_kept (p->policy, item) &&
         !marks_contain (p->touched, item_mark (item));
}

/* Characters by last played, least recent first. */
static void
characters_by_age (const QmMoveState *state,
                   int               *order)
{
  for (guint i = 0; i < state->n_characters; i++)
    order[i] = (int) i;
  for (guint i = 1; i < state->n_characters; i++)
    for (guint j = i; j > 0 && state->characters[order[j]].last_played <
                               state->characters[order[j - 1]].last_played; j--)
      {
        int t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
}

/* Where an item leaving the vault to make room goes: the least recently
 * played character with room for it, its own class first; -1: none. */
static int
aside_target_from_vault (Planner          *p,
                         const QmMoveItem *item,
                         int               avoid)
{
  int order[QM_MOVE_MAX_CHARACTERS];

  characters_by_age (p->state, order);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < p->state->n_characters; i++)
      {
        int c = order[i];
        Store store = home_store (p->state, item->slot, c);

        if (c == avoid || (pass == 0 && !class_can_use (p->state, item, c)))
          continue;
        if (unique_stack_conflict (p->state, item, &store) && slots_needed (p->state, item, item->quantity, &store) > 0)
          continue;
        if (store_free (p->state, &store) >= slots_needed (p->state, item, item->quantity, &store))
          return c;
      }
  return -1;
}

/* The item to move out of @store, least valuable first, and where it goes
 * (@target: a character for items leaving the vault, else the vault);
 * -1 when nothing can go. Out of the vault, the least valuable that fits on
 * a character: whether an instance fits depends on its slot only, so the
 * slots that did not are remembered and their items passed over. */
static int
choose_aside (Planner          *p,
              const QmMoveItem *incoming,
              const Store      *store,
              int               avoid,
              int              *target)
{
  guint32 no_room[64];
  guint n_no_room = 0;
  g_autoptr(GArray) tried = NULL;

  *target = QM_MOVE_VAULT;
  for (;;)
    {
      int best = -1;
      const QmMoveItem *item;
      gboolean simple;
      int c;

      for (guint i = 0; i < p->state->items->len; i++)
        {
          const QmMoveItem *candidate = ITEM (p->state, i);
          gboolean skip = FALSE;

          if (!can_move_aside (p, candidate, store))
            continue;
          if (store->place == QM_MOVE_PLACE_VAULT)
            {
              for (guint j = 0; j < n_no_room && !skip; j++)
                skip = no_room[j] == candidate->slot && candidate->instance_id != 0 && candidate->stack_label == 0;
              for (guint j = 0; tried != NULL && j < tried->len && !skip; j++)
                skip = g_array_index (tried, int, j) == (int) i;
              if (skip)
                continue;
            }
          if (best < 0 || compare_aside (p->state, candidate, ITEM (p->state, best), incoming->slot) < 0)
            best = (int) i;
        }
      if (best < 0 || store->place != QM_MOVE_PLACE_VAULT)
        return best;

      item = ITEM (p->state, best);
      c = aside_target_from_vault (p, item, avoid);
      if (c >= 0)
        {
          *target = c;
          return best;
        }
      simple = item->instance_id != 0 && item->stack_label == 0;
      if (simple && n_no_room < G_N_ELEMENTS (no_room))
        no_room[n_no_room++] = item->slot;
      else
        {
          if (tried == NULL)
            tried = g_array_new (FALSE, FALSE, sizeof (int));
          g_array_append_val (tried, best);
        }
    }
}

/* Make @store hold @needed more slots by moving items aside (or fail with
 * an error naming it). @avoid: a character an item leaving the vault must
 * not go to (the one the room is for). */
static gboolean
ensure_room (Planner          *p,
             const QmMoveItem *incoming,
             int               amount,
             const Store      *store,
             int               avoid,
             GError          **error)
{
  for (int round = 0; round <= MAX_ASIDE; round++)
    {
      int needed = slots_needed (p->state, incoming, amount, store);
      int best = -1;
      int target = QM_MOVE_VAULT;
      ItemKey key;
      gboolean ok;

      if (needed == 0)
        return TRUE;
      if (unique_stack_conflict (p->state, incoming, store))
        {
          set_step_error (p, incoming, UNIQUENESS, error);
          return FALSE;
        }
      if (store_free (p->state, store) >= needed)
        return TRUE;
      if (!p->policy->make_space || p->depth >= MAX_DEPTH || round == MAX_ASIDE)
        {
          set_no_space_error (p->state, store, error);
          return FALSE;
        }

      best = choose_aside (p, incoming, store, avoid, &target);
      if (best < 0)
        {
          set_no_space_error (p->state, store, error);
          return FALSE;
        }

      key = key_of (ITEM (p->state, best));
      p->depth++;
      ok = move_item (p, &key, target, FALSE, ITEM (p->state, best)->quantity,
                      QM_MOVE_REASON_MAKE_SPACE, error);
      p->depth--;
      if (!ok)
        return FALSE;
    }
  g_assert_not_reached ();
}

static int
store_rank (const QmMoveItem *item,
            int               character)
{
  if (item->owner == character)
    return 0;
  return item->place == QM_MOVE_PLACE_VAULT ? 1 : 2;
}

/* DIM's ranking of replacements: nearest store first, then non-exotic,
 * the same weapon or armour type, higher tier, higher power. */
static int
compare_replacement (const QmMoveItem *a,
                     const QmMoveItem *b,
                     const QmMoveItem *leaving,
                     int               character)
{
  gboolean a_exotic = a->tier_type == QM_MOVE_TIER_EXOTIC;
  gboolean b_exotic = b->tier_type == QM_MOVE_TIER_EXOTIC;
  gboolean a_same = a->item_sub_type == leaving->item_sub_type;
  gboolean b_same = b->item_sub_type == leaving->item_sub_type;

  if (store_rank (a, character) != store_rank (b, character))
    return store_rank (a, character) - store_rank (b, character);
  if (a_exotic != b_exotic)
    return a_exotic ? 1 : -1;
  if (a_same != b_same)
    return a_same ? -1 : 1;
  if (a->tier_type != b->tier_type)
    return a->tier_type > b->tier_type ? -1 : 1;
  if (a->power != b->power)
    return a->power > b->power ? -1 : 1;
  return a->instance_id < b->instance_id ? -1 : (a->instance_id > b->instance_id ? 1 : 0);
}

/* The best replacement for the equipped @leaving on @character, or -1.
 * @named: the request's items (NULL: none). */
static int
find_replacement (const QmMoveState  *state,
                  const QmMoveItem   *leaving,
                  int                 character,
                  guint32             exclude_label,
                  const QmMovePolicy *policy,
                  GArray             *named)
{
  int best = -1;

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = ITEM (state, i);

      if (item->instance_id == 0 || item->instance_id == leaving->instance_id || item->slot != leaving->slot ||
          (item->flags & QM_MOVE_ITEM_EQUIPPABLE) == 0 ||
          (named != NULL && marks_contain (named, item_mark (item))) || is_kept (policy, item) ||
          !class_can_use (state, item, character))
        continue;
      if (!(item->place == QM_MOVE_PLACE_INVENTORY ||
            item->place == QM_MOVE_PLACE_VAULT))
        continue;
      if (item->owner != character && (item->flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0)
        continue;
      if (exclude_label != 0 && item->equip_label == exclude_label)
        continue;
      if (find_label_conflict (state, character, item->equip_label, item->slot) >= 0)
        continue;
      if (best < 0 || compare_replacement (item, ITEM (state, best), leaving, character) < 0)
        best = (int) i;
    }
  return best;
}

guint64
qm_move_find_replacement (const QmMoveState  *state,
                          guint64             leaving,
                          int                 character,
                          guint32             exclude_label,
                          const QmMovePolicy *policy)
{
  QmMovePolicy default_policy = QM_MOVE_POLICY_DEFAULT;
  int index;
  int best;

  g_return_val_if_fail (state != NULL, 0);

  index = qm_move_state_find_instance (state, leaving);
  if (index < 0 || character < 0 || (guint) character >= state->n_characters)
    return 0;
  best = find_replacement (state, ITEM (state, index), character, exclude_label,
                           policy != NULL ? policy : &default_policy, NULL);
  return best >= 0 ? ITEM (state, best)->instance_id : 0;
}

/* Equip something else in the slot of the equipped @leaving on @character.
 * @exclude_label: a label the replacement must not have (the exotic rule). */
static gboolean
dequip (Planner      *p,
        const ItemKey *leaving_key,
        int           character,
        guint32       exclude_label,
        QmMoveReason  reason,
        GError      **error)
{
  int index = find_key (p, leaving_key);
  QmMoveItem leaving;
  int best;
  ItemKey key;

  g_assert (index >= 0);
  leaving = *ITEM (p->state, index);
  best = find_replacement (p->state, &leaving, character, exclude_label, p->policy, p->named);

  if (best < 0)
    {
      if (reason == QM_MOVE_REASON_EXOTIC)
        g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT,
                     /* Translators: the exotic already equipped, its slot, the class */
                     _("%s must come off first, and nothing can take its place in %s on your %s."),
                     item_name (p->state, &leaving), bucket_name (leaving.slot),
                     character_name (p->state, character));
      else
        g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT,
                     /* Translators: the equipped item, its slot, the class */
                     _("%s is equipped, and nothing can take its place in %s on your %s."),
                     item_name (p->state, &leaving), bucket_name (leaving.slot),
                     character_name (p->state, character));
      return FALSE;
    }

  key = key_of (ITEM (p->state, best));
  return move_item (p, &key, character, TRUE, 1, reason, error);
}

static gboolean
equip_on (Planner      *p,
          ItemKey      *key,
          int           character,
          QmMoveReason  reason,
          GError      **error)
{
  int index = find_key (p, key);
  QmMoveItem item = *ITEM (p->state, index);
  int conflict;

  if (item.place == QM_MOVE_PLACE_EQUIPPED)
    return TRUE;
  conflict = find_label_conflict (p->state, character, item.equip_label, item.slot);
  if (conflict >= 0)
    {
      ItemKey other = key_of (ITEM (p->state, conflict));

      if (marks_contain (p->equipping, item_mark (ITEM (p->state, conflict))))
        {
          g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_REPLACEMENT,
                       _("%s and %s cannot both be equipped."), item_name (p->state, &item),
                       item_name (p->state, ITEM (p->state, conflict)));
          return FALSE;
        }
      if (!dequip (p, &other, character, item.equip_label, QM_MOVE_REASON_EXOTIC, error))
        return FALSE;
      index = find_key (p, key);
      item = *ITEM (p->state, index);
    }
  if (!emit (p, QM_MOVE_STEP_EQUIP, &item, 1, character,
             reason == QM_MOVE_REASON_POSTMASTER ? QM_MOVE_REASON_REQUESTED : reason, error))
    return FALSE;
  key->place = QM_MOVE_PLACE_EQUIPPED;
  return TRUE;
}

static gboolean
check_equippable (Planner          *p,
                  const QmMoveItem *item,
                  int               character,
                  GError          **error)
{
  if ((item->flags & QM_MOVE_ITEM_EQUIPPABLE) == 0)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_EQUIPPABLE, _("%s cannot be equipped."),
                   item_name (p->state, item));
      return FALSE;
    }
  if (!class_can_use (p->state, item, character))
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_CLASS,
                   /* Translators: the item, then the class it is for */
                   _("%s can only be equipped by a %s."), item_name (p->state, item),
                   qm_class_type_display_name (item->class_type));
      return FALSE;
    }
  return TRUE;
}

/* Move @amount of the item @key names to @target (a character or the
 * vault), equipping it there when asked. @key follows the item. */
static gboolean
move_item (Planner      *p,
           ItemKey      *key,
           int           target,
           gboolean      equip,
           int           amount,
           QmMoveReason  reason,
           GError      **error)
{
  int index = find_key (p, key);
  QmMoveItem item;
  gboolean account;
  Store store;

  if (index < 0)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND, _("The item is no longer there."));
      return FALSE;
    }
  item = *ITEM (p->state, index);
  account = is_account_wide (p->state, item.slot);
  if (item.instance_id != 0)
    amount = 1;

  if (target != QM_MOVE_VAULT && (target < 0 || (guint) target >= p->state->n_characters))
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND, _("That character is not on this account."));
      return FALSE;
    }
  if (equip && (target == QM_MOVE_VAULT || account))
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_EQUIPPABLE, _("%s cannot be equipped."),
                   item_name (p->state, &item));
      return FALSE;
    }
  if (equip && !check_equippable (p, &item, target, error))
    return FALSE;

  /* From the postmaster: only to its owner's inventory, first of all. */
  if (item.place == QM_MOVE_PLACE_POSTMASTER)
    {
      int owner = item.owner;

      if ((item.flags & QM_MOVE_ITEM_PULL_SIDE_EFFECTS) != 0)
        {
          set_step_error (p, &item, SIDE_EFFECTS, error);
          return FALSE;
        }
      if ((item.flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0 && target != owner &&
          !(account && target != QM_MOVE_VAULT))
        {
          set_step_error (p, &item, NOT_TRANSFERRABLE, error);
          return FALSE;
        }
      store = home_store (p->state, item.slot, owner);
      if (!ensure_room (p, &item, amount, &store, QM_MOVE_VAULT, error))
        return FALSE;
      if (!emit (p, QM_MOVE_STEP_PULL, &item, amount, owner,
                 (target == owner && !equip) || (account && target != QM_MOVE_VAULT) ?
                 reason : (reason == QM_MOVE_REASON_REQUESTED ? QM_MOVE_REASON_POSTMASTER : reason),
                 error))
        return FALSE;
      key->place = store.place;
      key->owner = store.place == QM_MOVE_PLACE_INVENTORY ? owner : QM_MOVE_VAULT;
      if ((target == owner && !equip) || (account && target != QM_MOVE_VAULT))
        return TRUE;
      index = find_key (p, key);
      item = *ITEM (p->state, index);
    }

  /* Consumables and mods: a character target means the account bucket. */
  if (account)
    {
      if (target == QM_MOVE_VAULT && item.place == QM_MOVE_PLACE_ACCOUNT)
        {
          if ((item.flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0)
            {
              set_step_error (p, &item, NOT_TRANSFERRABLE, error);
              return FALSE;
            }
          store = vault_store ();
          if (!ensure_room (p, &item, amount, &store, QM_MOVE_VAULT, error) ||
              !emit (p, QM_MOVE_STEP_TO_VAULT, &item, amount, active_character (p->state), reason, error))
            return FALSE;
          key->place = QM_MOVE_PLACE_VAULT;
        }
      else if (target != QM_MOVE_VAULT && item.place == QM_MOVE_PLACE_VAULT)
        {
          store = home_store (p->state, item.slot, target);
          if (!ensure_room (p, &item, amount, &store, target, error) ||
              !emit (p, QM_MOVE_STEP_FROM_VAULT, &item, amount, target, reason, error))
            return FALSE;
          key->place = QM_MOVE_PLACE_ACCOUNT;
        }
      key->owner = QM_MOVE_VAULT;
      return TRUE;
    }

  /* Already on the target character: equip or dequip there. */
  if (target != QM_MOVE_VAULT && item.owner == target &&
      (item.place == QM_MOVE_PLACE_EQUIPPED || item.place == QM_MOVE_PLACE_INVENTORY))
    {
      if (equip)
        return equip_on (p, key, target, reason, error);
      if (item.place == QM_MOVE_PLACE_EQUIPPED && reason == QM_MOVE_REASON_REQUESTED)
        return dequip (p, key, target, 0, QM_MOVE_REASON_DEQUIP, error);
      return TRUE;
    }
  if (target == QM_MOVE_VAULT && item.place == QM_MOVE_PLACE_VAULT)
    return TRUE;

  if ((item.flags & QM_MOVE_ITEM_NOT_TRANSFERABLE) != 0)
    {
      set_step_error (p, &item, NOT_TRANSFERRABLE, error);
      return FALSE;
    }

  /* Off the character it is on, into the vault. */
  if (item.place == QM_MOVE_PLACE_EQUIPPED || item.place == QM_MOVE_PLACE_INVENTORY)
    {
      int owner = item.owner;

      if (item.place == QM_MOVE_PLACE_EQUIPPED)
        {
          if (!dequip (p, key, owner, 0, QM_MOVE_REASON_DEQUIP, error))
            return FALSE;
          key->place = QM_MOVE_PLACE_INVENTORY;
          item = *ITEM (p->state, find_key (p, key));
        }
      store = vault_store ();
      if (!ensure_room (p, &item, amount, &store, target, error))
        return FALSE;
      item = *ITEM (p->state, find_key (p, key));
      if (!emit (p, QM_MOVE_STEP_TO_VAULT, &item, amount, owner, reason, error))
        return FALSE;
      key->place = QM_MOVE_PLACE_VAULT;
      key->owner = QM_MOVE_VAULT;
      if (target == QM_MOVE_VAULT)
        return TRUE;
      item = *ITEM (p->state, find_key (p, key));
    }

  /* Out of the vault onto the target. */
  store = home_store (p->state, item.slot, target);
  if (!ensure_room (p, &item, amount, &store, target, error))
    return FALSE;
  item = *ITEM (p->state, find_key (p, key));
  if (!emit (p, QM_MOVE_STEP_FROM_VAULT, &item, amount, target, reason, error))
    return FALSE;
  key->place = QM_MOVE_PLACE_INVENTORY;
  key->owner = target;
  if (equip)
    return equip_on (p, key, target, reason, error);
  return TRUE;
}

static gboolean
plan_lock (Planner             *p,
           const ItemKey       *key,
           gboolean             lock,
           GError             **error)
{
  int index = find_key (p, key);
  QmMoveItem item;
  int character;

  item = *ITEM (p->state, index);
  if ((item.flags & QM_MOVE_ITEM_LOCKABLE) == 0)
    {
      set_step_error (p, &item, ACTION_FORBIDDEN, error);
      return FALSE;
    }
  if (((item.flags & QM_MOVE_ITEM_LOCKED) != 0) == lock)
    return TRUE;
  character = item.owner >= 0 ? item.owner : active_character (p->state);
  return emit (p, lock ? QM_MOVE_STEP_LOCK : QM_MOVE_STEP_UNLOCK, &item, 1, character,
               QM_MOVE_REASON_REQUESTED, error);
}

static int
find_request (const QmMoveState   *state,
              const QmMoveRequest *request)
{
  if (request->instance_id != 0)
    return qm_move_state_find_instance (state, request->instance_id);
  return qm_move_state_find_stack (state, request->hash, request->place, request->owner);
}

static gboolean
plan_request (Planner             *p,
              const QmMoveRequest *request,
              GError             **error)
{
  int index = find_request (p->state, request);
  ItemKey key;
  int amount;

  if (index < 0)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NOT_FOUND, _("The item is no longer there."));
      return FALSE;
    }
  key = key_of (ITEM (p->state, index));

  amount = request->amount > 0 ? request->amount : ITEM (p->state, index)->quantity;
  if (key.instance_id == 0)
    {
      int total = 0;

      for (guint i = 0; i < p->state->items->len; i++)
        {
          const QmMoveItem *item = ITEM (p->state, i);

          if (item->instance_id == 0 && item->hash == key.hash && item->place == key.place &&
              item->owner == key.owner)
            total += item->quantity;
        }
      if (amount > total)
        {
          g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID,
                       g_dngettext (GETTEXT_PACKAGE, "There is only %d of %s there.",
                                    "There are only %d of %s there.", total),
                       total, item_name (p->state, ITEM (p->state, index)));
          return FALSE;
        }
    }
  else if (request->amount > 1)
    {
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID,
                   _("%s is a single item; it cannot be split."), item_name (p->state, ITEM (p->state, index)));
      return FALSE;
    }

  switch (request->kind)
    {
    case QM_MOVE_REQUEST_MOVE:
      return move_item (p, &key, request->target, request->equip, amount, QM_MOVE_REASON_REQUESTED, error);
    case QM_MOVE_REQUEST_EQUIP:
      if (request->target == QM_MOVE_VAULT)
        {
          g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID, _("Items are equipped on a character."));
          return FALSE;
        }
      return move_item (p, &key, request->target, TRUE, amount, QM_MOVE_REASON_REQUESTED, error);
    case QM_MOVE_REQUEST_LOCK:
    case QM_MOVE_REQUEST_UNLOCK:
      return plan_lock (p, &key, request->kind == QM_MOVE_REQUEST_LOCK, error);
    case QM_MOVE_REQUEST_PULL:
      if (key.place != QM_MOVE_PLACE_POSTMASTER)
        {
          g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID, _("%s is not at the postmaster."),
                       item_name (p->state, ITEM (p->state, index)));
          return FALSE;
        }
      return move_item (p, &key, key.owner, FALSE, amount, QM_MOVE_REASON_REQUESTED, error);
    default:
      g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID, _("Unknown request."));
      return FALSE;
    }
}

GArray *
qm_move_plan (const QmMoveState   *state,
              const QmMoveRequest *requests,
              guint                n_requests,
              const QmMovePolicy  *policy,
              GError             **error)
{
  QmMovePolicy default_policy = QM_MOVE_POLICY_DEFAULT;
  g_autoptr(QmMoveState) scratch = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autoptr(GArray) named = NULL;
  g_autoptr(GArray) touched = NULL;
  g_autoptr(GArray) equipping = NULL;
  Planner p;

  g_return_val_if_fail (state != NULL, NULL);
  g_return_val_if_fail (requests != NULL || n_requests == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scratch = qm_move_state_copy (state);
  steps = g_array_new (FALSE, TRUE, sizeof (QmMoveStep));
  named = g_array_new (FALSE, FALSE, sizeof (guint64));
  touched = g_array_new (FALSE, FALSE, sizeof (guint64));
  equipping = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint i = 0; i < n_requests; i++)
    {
      guint64 mark = requests[i].instance_id != 0 ? requests[i].instance_id : STACK_KEY (requests[i].hash);

      marks_add (named, mark);
      if (requests[i].kind == QM_MOVE_REQUEST_EQUIP ||
          (requests[i].kind == QM_MOVE_REQUEST_MOVE && requests[i].equip))
        marks_add (equipping, mark);
    }

  p = (Planner) { scratch, policy != NULL ? policy : &default_policy, steps, named, touched, equipping, 0 };
  for (guint i = 0; i < n_requests; i++)
    if (!plan_request (&p, &requests[i], error))
      return NULL;

  return g_steal_pointer (&steps);
}

/* ------------------------------------------------------------------------
 * Undo
 * ------------------------------------------------------------------------ */

typedef struct
{
  guint64 instance_id;
  int     place;
  int     owner;
  int     group;   /* 0 previous equips, 1 the request's items, 2 the others */
} Restore;

static void
add_restore (GArray           *restores,
             const QmMoveItem *before,
             int               group)
{
  Restore restore = { before->instance_id, before->place, before->owner, group };

  for (guint i = 0; i < restores->len; i++)
    {
      Restore *r = &g_array_index (restores, Restore, i);

      if (r->instance_id == before->instance_id)
        {
          r->group = MIN (r->group, group);
          return;
        }
    }
  g_array_append_val (restores, restore);
}

GArray *
qm_move_undo_requests (const QmMoveState *before,
                       const GArray      *steps)
{
  g_autoptr(QmMoveState) sim = NULL;
  g_autoptr(GArray) restores = g_array_new (FALSE, FALSE, sizeof (Restore));
  GArray *requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));

  g_return_val_if_fail (before != NULL, requests);
  g_return_val_if_fail (steps != NULL, requests);

  sim = qm_move_state_copy (before);
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      int index = qm_move_state_find_instance (before, step->instance_id);

      if (step->kind == QM_MOVE_STEP_EQUIP)
        {
          int moved = qm_move_state_find_instance (sim, step->instance_id);
          int current = moved >= 0 ? find_equipped (sim, step->character, ITEM (sim, moved)->slot) : -1;
          int original = current >= 0 ? qm_move_state_find_instance (before, ITEM (sim, current)->instance_id) : -1;

          if (original >= 0 && ITEM (before, original)->place == QM_MOVE_PLACE_EQUIPPED)
            add_restore (restores, ITEM (before, original), 0);
        }
      /* Stacks and the postmaster cannot be put back as they were. */
      if (index >= 0 && step->kind != QM_MOVE_STEP_LOCK && step->kind != QM_MOVE_STEP_UNLOCK &&
          ITEM (before, index)->place != QM_MOVE_PLACE_POSTMASTER)
        add_restore (restores, ITEM (before, index), step->aside ? 2 : 1);
      qm_move_state_apply_step (sim, step);
    }

  /* Undone in the reverse order they were done, what was equipped first
   * (it frees the slots of the items that came), then the items the move
   * was for, then the ones it moved aside. */
  for (int group = 0; group < 3; group++)
    for (guint i = restores->len; i > 0; i--)
      {
        const Restore *r = &g_array_index (restores, Restore, i - 1);
        QmMoveRequest request = { 0 };

        if (r->group != group)
          continue;
        request.kind = QM_MOVE_REQUEST_MOVE;
        request.instance_id = r->instance_id;
        request.target = r->place == QM_MOVE_PLACE_VAULT || r->place == QM_MOVE_PLACE_ACCOUNT ?
                         QM_MOVE_VAULT : r->owner;
        request.equip = r->place == QM_MOVE_PLACE_EQUIPPED;
        g_array_append_val (requests, request);
      }

  /* Locks are put back too. */
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);
      QmMoveRequest request = { 0 };

      if (step->kind != QM_MOVE_STEP_LOCK && step->kind != QM_MOVE_STEP_UNLOCK)
        continue;
      request.kind = step->kind == QM_MOVE_STEP_LOCK ? QM_MOVE_REQUEST_UNLOCK : QM_MOVE_REQUEST_LOCK;
      request.instance_id = step->instance_id;
      g_array_append_val (requests, request);
    }
  return requests;
}

/* ------------------------------------------------------------------------
 * Strings for logs and tests
 * ------------------------------------------------------------------------ */

static void
append_owner (GString *out,
              int      character)
{
  g_string_append_printf (out, "c%d", character);
}

char *
qm_move_step_to_string (const QmMoveStep *step)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (step != NULL, g_string_free (out, FALSE));

  switch (step->kind)
    {
    case QM_MOVE_STEP_TO_VAULT:
      if (step->from_place == QM_MOVE_PLACE_ACCOUNT)
        g_string_append (out, "account");
      else
        append_owner (out, step->character);
      g_string_append (out, ">vault");
      break;
    case QM_MOVE_STEP_FROM_VAULT:
      g_string_append (out, "vault>");
      append_owner (out, step->character);
      break;
    case QM_MOVE_STEP_PULL:
      g_string_append (out, "pull ");
      append_owner (out, step->character);
      break;
    case QM_MOVE_STEP_EQUIP:
      g_string_append (out, "equip ");
      append_owner (out, step->character);
      break;
    case QM_MOVE_STEP_LOCK:
      g_string_append (out, "lock ");
      append_owner (out, step->character);
      break;
    case QM_MOVE_STEP_UNLOCK:
      g_string_append (out, "unlock ");
      append_owner (out, step->character);
      break;
    default:
      g_string_append (out, "?");
      break;
    }

  if (step->instance_id != 0)
    g_string_append_printf (out, " %" G_GUINT64_FORMAT, step->instance_id);
  else
    g_string_append_printf (out, " h%u", step->hash);
  if (step->instance_id == 0 || step->amount != 1)
    g_string_append_printf (out, " x%d", step->amount);
  if (step->aside)
    g_string_append (out, " *");
  return g_string_free (out, FALSE);
}

char *
qm_move_steps_to_string (const GArray *steps)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (steps != NULL, g_string_free (out, FALSE));

  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *one = qm_move_step_to_string (&g_array_index (steps, QmMoveStep, i));

      if (i > 0)
        g_string_append (out, "; ");
      g_string_append (out, one);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------
 * From bytes
 * ------------------------------------------------------------------------ */

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         pos;
} Reader;

static gboolean
read_bytes (Reader *r,
            void   *out,
            gsize   n)
{
  if (r->size - r->pos < n)
    return FALSE;
  memcpy (out, r->data + r->pos, n);
  r->pos += n;
  return TRUE;
}

static gboolean
read_u8 (Reader *r, guint8 *v)
{
  return read_bytes (r, v, 1);
}

static gboolean
read_u16 (Reader *r, guint16 *v)
{
  guint8 b[2];

  if (!read_bytes (r, b, 2))
    return FALSE;
  *v = (guint16) (b[0] | b[1] << 8);
  return TRUE;
}

static gboolean
read_u32 (Reader *r, guint32 *v)
{
  guint8 b[4];

  if (!read_bytes (r, b, 4))
    return FALSE;
  *v = (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 | (guint32) b[3] << 24;
  return TRUE;
}

static gboolean
read_u64 (Reader *r, guint64 *v)
{
  guint32 lo, hi;

  if (!read_u32 (r, &lo) || !read_u32 (r, &hi))
    return FALSE;
  *v = (guint64) hi << 32 | lo;
  return TRUE;
}

static gboolean
read_item (Reader            *r,
           const QmMoveState *state,
           QmMoveItem        *item)
{
  guint8 place, owner, class_type, tier;
  guint32 quantity, max_stack, power, sub_type;

  if (!read_u64 (r, &item->instance_id) || !read_u32 (r, &item->hash) || !read_u32 (r, &item->slot) ||
      !read_u8 (r, &place) || !read_u8 (r, &owner) || !read_u8 (r, &class_type) || !read_u8 (r, &tier) ||
      !read_u32 (r, &quantity) || !read_u32 (r, &max_stack) || !read_u32 (r, &power) ||
      !read_u32 (r, &item->equip_label) || !read_u32 (r, &item->stack_label) ||
      !read_u32 (r, &item->flags) || !read_u32 (r, &sub_type))
    return FALSE;

  item->place = place;
  item->owner = (gint8) owner;
  item->class_type = class_type;
  item->tier_type = tier;
  item->quantity = (int) quantity;
  item->max_stack = (int) max_stack;
  item->power = (int) power;
  item->item_sub_type = (int) sub_type;
  if (place > QM_MOVE_PLACE_ACCOUNT || class_type > QM_MOVE_CLASS_ANY)
    return FALSE;
  if (place == QM_MOVE_PLACE_VAULT || place == QM_MOVE_PLACE_ACCOUNT)
    item->owner = QM_MOVE_VAULT;
  else if (item->owner < 0 || (guint) item->owner >= state->n_characters)
    return FALSE;
  if (item->instance_id != 0)
    item->max_stack = item->quantity = 1;
  if (item->quantity < 1 || item->max_stack < 1 || item->quantity > item->max_stack ||
      item->max_stack > 1000000)
    return FALSE;
  if (item->instance_id != 0 && qm_move_state_find_instance (state, item->instance_id) >= 0)
    return FALSE;
  if (item->place == QM_MOVE_PLACE_EQUIPPED &&
      (item->instance_id == 0 || find_equipped (state, item->owner, item->slot) >= 0))
    return FALSE;
  item->flags &= QM_MOVE_ITEM_EQUIPPABLE | QM_MOVE_ITEM_NOT_TRANSFERABLE | QM_MOVE_ITEM_LOCKABLE |
                 QM_MOVE_ITEM_LOCKED | QM_MOVE_ITEM_PULL_SIDE_EFFECTS;
  return TRUE;
}

QmMoveState *
qm_move_state_new_from_bytes (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(QmMoveState) state = qm_move_state_new ();
  Reader r = { 0 };
  char magic[4];
  guint8 n_characters, n_buckets;
  guint16 n_items;
  guint32 vault;

  g_return_val_if_fail (bytes != NULL, NULL);

  r.data = g_bytes_get_data (bytes, &r.size);
  if (!read_bytes (&r, magic, 4) || memcmp (magic, "QMMS", 4) != 0 ||
      !read_u8 (&r, &n_characters) || !read_u8 (&r, &n_buckets) || !read_u16 (&r, &n_items) ||
      !read_u32 (&r, &vault) || n_characters > QM_MOVE_MAX_CHARACTERS)
    goto bad;
  state->vault_capacity = (gint32) vault;

  for (guint i = 0; i < n_characters; i++)
    {
      guint64 id;
      guint8 class_type, pad[7];

      if (!read_u64 (&r, &id) || !read_u8 (&r, &class_type) || !read_bytes (&r, pad, 7) ||
          class_type > QM_MOVE_CLASS_ANY)
        goto bad;
      qm_move_state_add_character (state, id, class_type, i);
    }
  for (guint i = 0; i < n_buckets; i++)
    {
      guint32 hash, capacity;

      if (!read_u32 (&r, &hash) || !read_u32 (&r, &capacity))
        goto bad;
      qm_move_state_add_bucket (state, hash, (int) (capacity & 0x7fffffff), (capacity & 0x80000000u) != 0);
    }
  for (guint i = 0; i < n_items; i++)
    {
      QmMoveItem item = { 0 };

      if (!read_item (&r, state, &item))
        goto bad;
      qm_move_state_add_item (state, &item);
    }
  if (r.pos != r.size)
    goto bad;
  return g_steal_pointer (&state);

bad:
  g_set_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_INVALID, _("The account state is damaged."));
  return NULL;
}
