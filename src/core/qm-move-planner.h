/* qm-move-planner.h: what it takes to move, equip, lock or pull an item
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner is a pure function: (account state, requests, policy) → an
 * ordered list of steps, each one Bungie action, or an error that names the
 * reason. No IO, no clock. It simulates: every step it plans is applied to a
 * scratch copy of the state with qm_move_state_apply_step(), which answers
 * what Bungie would (the same game rules the sandbox enforces), so a plan is
 * valid against the state it was made from by construction.
 *
 * The state is plain data (fixed-size records in arrays, no pointers but
 * the item names), cheap to copy, and built from bytes as easily as from a
 * profile (see qm_move_state_new_from_bytes()).
 *
 * The rules (bungie-api.md §2.5, peers.md §2):
 *   - TransferItem moves between a character and the vault only: a move
 *     from one character to another goes through the vault.
 *   - An equipped item cannot move; it is dequipped by equipping a
 *     replacement (same slot, non-exotic first, same weapon or armour type
 *     first, never an item of the request).
 *   - A full bucket (a character's slot, the vault, an account-wide bucket)
 *     is made room in by moving an item aside: never an equipped item, never
 *     one the request names, the least valuable first. With the policy's
 *     make_space off, a full bucket is an error that names it.
 *   - One item per equip label (one exotic weapon, one exotic armour piece)
 *     equipped; class-restricted items equip only on their class; one stack
 *     per stack label in a place; non-transferable items and postmaster
 *     items whose pull has side effects are refused before any step;
 *     postmaster items are pulled to their owner first.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define QM_MOVE_ERROR (qm_move_error_quark ())

typedef enum
{
  QM_MOVE_ERROR_INVALID,            /* a request the planner cannot read */
  QM_MOVE_ERROR_NOT_FOUND,          /* the item (or character) is not there */
  QM_MOVE_ERROR_NOT_TRANSFERABLE,   /* cannot leave its character */
  QM_MOVE_ERROR_NO_SPACE,           /* a full bucket (policy off, or nothing to move aside) */
  QM_MOVE_ERROR_CLASS,              /* another class's item */
  QM_MOVE_ERROR_NOT_EQUIPPABLE,
  QM_MOVE_ERROR_NO_REPLACEMENT,     /* nothing can take an equipped item's place */
  QM_MOVE_ERROR_UNIQUE_STACK,       /* one stack of it per place */
  QM_MOVE_ERROR_NOT_LOCKABLE,
  QM_MOVE_ERROR_POSTMASTER,         /* the postmaster keeps it (pull has side effects) */
  /* Running a plan (qm-move-executor.h): */
  QM_MOVE_ERROR_STEP_FAILED,        /* Bungie refused a step */
  QM_MOVE_ERROR_NOT_IN_ORBIT,       /* equips need orbit or a social space */
  QM_MOVE_ERROR_GONE,               /* the item is no longer where it was */
  QM_MOVE_ERROR_BUSY,               /* throttled, and still after waiting */
  QM_MOVE_ERROR_MAINTENANCE,        /* Bungie.net is down for maintenance */
} QmMoveError;

GQuark qm_move_error_quark (void);

/* Where an item is. */
typedef enum
{
  QM_MOVE_PLACE_EQUIPPED,
  QM_MOVE_PLACE_INVENTORY,
  QM_MOVE_PLACE_POSTMASTER,
  QM_MOVE_PLACE_VAULT,
  QM_MOVE_PLACE_ACCOUNT,     /* an account-wide bucket (consumables, mods) */
} QmMovePlace;

/* The owner of items in the vault and account-wide buckets, and the
 * target of a move to the vault. */
#define QM_MOVE_VAULT (-1)

#define QM_MOVE_MAX_CHARACTERS 8

typedef enum
{
  QM_MOVE_ITEM_EQUIPPABLE        = 1 << 0,
  QM_MOVE_ITEM_NOT_TRANSFERABLE  = 1 << 1,
  QM_MOVE_ITEM_LOCKABLE          = 1 << 2,
  QM_MOVE_ITEM_LOCKED            = 1 << 3,
  QM_MOVE_ITEM_PULL_SIDE_EFFECTS = 1 << 4, /* doesPostmasterPullHaveSideEffects */
} QmMoveItemFlags;

#define QM_MOVE_TIER_EXOTIC 6
#define QM_MOVE_CLASS_ANY   3

/* One item, or one stack of an uninstanced item. */
typedef struct
{
  guint64 instance_id;   /* 0: an uninstanced stack */
  guint32 hash;          /* itemHash */
  guint32 slot;          /* home bucket (inventory.bucketTypeHash) */
  int     place;         /* QmMovePlace */
  int     owner;         /* character index; QM_MOVE_VAULT for vault and account */
  int     quantity;
  int     max_stack;     /* 1 for instanced items */
  int     class_type;    /* 0 Titan, 1 Hunter, 2 Warlock, 3 any */
  int     tier_type;     /* 6 exotic, 5 legendary, … */
  int     item_sub_type; /* DestinyItemSubType: same type replaces first */
  int     power;         /* -1: none */
  guint32 equip_label;   /* equippingBlock.uniqueLabel as an id; 0: none */
  guint32 stack_label;   /* inventory.stackUniqueLabel as an id; 0: none */
  guint32 flags;         /* QmMoveItemFlags */
} QmMoveItem;

typedef struct
{
  guint64 id;
  int     class_type;
  gint64  last_played;   /* seconds; the most recent is the active character */
} QmMoveCharacter;

/* A bucket's capacity: on each character (equipped item included) or,
 * account-wide, once. Buckets not listed have no known limit. */
typedef struct
{
  guint32  hash;
  int      capacity;
  gboolean account_wide;
} QmMoveBucket;

typedef struct
{
  guint            n_characters;
  QmMoveCharacter  characters[QM_MOVE_MAX_CHARACTERS];
  int              vault_capacity;   /* the vault is one pool; < 0: no limit */
  GArray          *items;            /* of QmMoveItem */
  GArray          *buckets;          /* of QmMoveBucket */
  /* Buckets Bungie found full that the counts say are not (a 1642 on a
   * stale view): (owner << 32 | bucket hash) as guint64 keys in a sorted
   * array; these have no free slot whatever the counts say. */
  GArray          *full;             /* of guint64 */
  /* Optional item names by hash, for messages (shared, not copied). */
  GHashTable      *names;            /* guint32 hash -> char * */
} QmMoveState;

QmMoveState *qm_move_state_new         (void);
QmMoveState *qm_move_state_copy        (const QmMoveState *state);
void         qm_move_state_free        (QmMoveState       *state);
void         qm_move_state_add_character (QmMoveState     *state,
                                          guint64          id,
                                          int              class_type,
                                          gint64           last_played);
void         qm_move_state_add_bucket  (QmMoveState       *state,
                                        guint32            hash,
                                        int                capacity,
                                        gboolean           account_wide);
void         qm_move_state_add_item    (QmMoveState       *state,
                                        const QmMoveItem  *item);
/* Names for messages: @names maps GUINT_TO_POINTER (hash) to a string; a
 * new reference is kept. */
void         qm_move_state_set_names   (QmMoveState       *state,
                                        GHashTable        *names);
/* Treat @owner's bucket @hash (owner QM_MOVE_VAULT and hash 0: the vault)
 * as full from now on. */
void         qm_move_state_mark_full   (QmMoveState       *state,
                                        int                owner,
                                        guint32            hash);
/* The index of @instance_id in state->items, or -1. */
int          qm_move_state_find_instance (const QmMoveState *state,
                                          guint64          instance_id);
/* The index of the first stack of @hash at @place of @owner, or -1. */
int          qm_move_state_find_stack  (const QmMoveState *state,
                                        guint32            hash,
                                        int                place,
                                        int                owner);
int          qm_move_state_find_character (const QmMoveState *state,
                                           guint64         id);
/* Pure: a state from bytes, for fuzzing and tests: a header
 * "QMMS" u8 n_characters, u8 n_buckets, u16 n_items, i32 vault_capacity,
 * then n_characters × {u64 id, u8 class, u8 pad[7]}, n_buckets × {u32 hash,
 * i32 capacity(high bit: account-wide)}, n_items × 48-byte records {u64
 * instance_id, u32 hash, u32 slot, u8 place, i8 owner, u8 class, u8 tier,
 * i32 quantity, i32 max_stack, i32 power, u32 equip_label, u32
 * stack_label, u32 flags, u32 item_sub_type} (little-endian). Any bytes give
 * a state or an error; values out of range are refused. */
QmMoveState *qm_move_state_new_from_bytes (GBytes         *bytes,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmMoveState, qm_move_state_free)

/* ------------------------------------------------------------------------ */

typedef enum
{
  QM_MOVE_REQUEST_MOVE,      /* to a character or the vault, optionally equipping */
  QM_MOVE_REQUEST_EQUIP,     /* on a character (moved there first) */
  QM_MOVE_REQUEST_LOCK,
  QM_MOVE_REQUEST_UNLOCK,
  QM_MOVE_REQUEST_PULL,      /* from the postmaster to its owner */
} QmMoveRequestKind;

typedef struct
{
  QmMoveRequestKind kind;
  /* The item: an instance id, or for stacks 0 with the hash and the place
   * and owner of the stack. */
  guint64 instance_id;
  guint32 hash;
  int     place;
  int     owner;
  int     target;      /* character index or QM_MOVE_VAULT (MOVE, EQUIP) */
  gboolean equip;    /* MOVE: equip on arrival */
  int     amount;      /* stacks: how many (0: the whole stack) */
} QmMoveRequest;

typedef struct
{
  /* Move other items to make room ("Make space automatically"). */
  gboolean make_space;
  /* Items the plan must leave where they are unless a request names them:
   * never moved aside, never a replacement (a loadout's other items, DIM's
   * "involved items", peers.md §2.3). Borrowed; NULL when @n_keep is 0. */
  const guint64 *keep;
  guint          n_keep;
} QmMovePolicy;

#define QM_MOVE_POLICY_DEFAULT ((QmMovePolicy) { .make_space = TRUE })

typedef enum
{
  QM_MOVE_STEP_TO_VAULT,     /* TransferItem transferToVault=true */
  QM_MOVE_STEP_FROM_VAULT,   /* TransferItem transferToVault=false */
  QM_MOVE_STEP_PULL,         /* PullFromPostmaster */
  QM_MOVE_STEP_EQUIP,        /* EquipItem */
  QM_MOVE_STEP_LOCK,         /* SetLockState state=true */
  QM_MOVE_STEP_UNLOCK,       /* SetLockState state=false */
} QmMoveStepKind;

/* Why a step is there. */
typedef enum
{
  QM_MOVE_REASON_REQUESTED,  /* the request itself */
  QM_MOVE_REASON_POSTMASTER, /* the request's item, pulled to its owner first */
  QM_MOVE_REASON_DEQUIP,     /* a replacement equipped so an item can leave */
  QM_MOVE_REASON_EXOTIC,     /* the same, for the one-exotic rule */
  QM_MOVE_REASON_MAKE_SPACE, /* an item moved aside */
} QmMoveReason;

typedef struct
{
  QmMoveStepKind kind;
  guint64  instance_id;   /* 0: a stack, named by its hash */
  guint32  hash;
  int      amount;        /* stackSize */
  /* The character the call names (characterId): the owner when going to
   * the vault or pulling, the destination when coming from the vault, the
   * character equipping. */
  int      character;
  /* Where the item is before the step (place and owner). */
  int      from_place;
  int      from_owner;
  QmMoveReason reason;
  /* The step touches an item the requests did not name. */
  gboolean aside;
} QmMoveStep;

/* Pure: the steps for @requests, in order, over @state (not changed).
 * Returns: (transfer full) (element-type QmMoveStep): the steps (empty when
 * everything already is as asked), or NULL with a QM_MOVE_ERROR whose
 * message names the item, the bucket or the reason. */
GArray      *qm_move_plan              (const QmMoveState   *state,
                                        const QmMoveRequest *requests,
                                        guint                n_requests,
                                        const QmMovePolicy  *policy,
                                        GError             **error);

/* Apply one step to @state as Bungie would. Returns the PlatformErrorCodes
 * value Bungie would answer (1: done; nothing changes otherwise). */
int          qm_move_state_apply_step  (QmMoveState         *state,
                                        const QmMoveStep    *step);

/* Pure: the item that would take the equipped @leaving's place on
 * @character (DIM's ranking, as the planner dequips): not one of
 * @policy's keep items, none with @exclude_label (0: any). Returns its
 * instance id, or 0 when nothing can. */
guint64      qm_move_find_replacement  (const QmMoveState   *state,
                                        guint64              leaving,
                                        int                  character,
                                        guint32              exclude_label,
                                        const QmMovePolicy  *policy);

/* Pure: the requests that put back what @steps (planned over @before)
 * changed: every item they touched back to its place and owner, and what
 * was equipped before equipped again. Plan them with qm_move_plan() over
 * the state after the move. Returns: (transfer full) (element-type
 * QmMoveRequest). */
GArray      *qm_move_undo_requests     (const QmMoveState   *before,
                                        const GArray        *steps);

/* A short fixed form of a step for logs and tests:
 * "c0>vault 101", "vault>c1 101 x5", "pull c0 101", "equip c1 101",
 * "lock c0 101", "unlock c0 101"; a trailing " *" marks an aside step;
 * stacks show "h<hash>" instead of an instance id. */
char        *qm_move_step_to_string    (const QmMoveStep    *step);
/* All of @steps joined with "; ". */
char        *qm_move_steps_to_string   (const GArray        *steps);

G_END_DECLS
