/* test-move-planner.c: the move planner over DIM's move matrix
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row builds a small account from a line of item specs, plans the
 * requests and asserts the exact step list (qm_move_steps_to_string()) or
 * the error. The account: a Titan c0 (played last, the active character), a
 * Hunter c1 and a Warlock c2; kinetic, energy and helmet buckets of three
 * slots each (equipped item included), an account-wide consumables bucket
 * of three stacks, and a vault of six.
 *
 * Item spec: ID:SLOT@WHERE[:FLAGS…]
 *   ID     an instance id (101), or hHASHxN for a stack of N (h500x5)
 *   SLOT   kin | energy | helm | cons
 *   WHERE  c0 c1 c2 (inventory), c0e (equipped), c0p (postmaster), v (vault),
 *          a (account-wide bucket)
 *   FLAGS  X exotic, L locked, N not transferable, S pull has side effects,
 *          U not lockable, T/H/W Titan/Hunter/Warlock only, sN sub type,
 *          pN power, tN tier, kLABEL stack label, mN max stack
 * F:SLOT@WHERE fills that place to its capacity with legendary filler
 * 900, 901, … (power 1000, 1001, …: the first is the least valuable).
 *
 * Requests, separated by ';': move ITEM TARGET [equip] [N] | equip ITEM C |
 * lock ITEM | unlock ITEM | pull ITEM, where ITEM is an instance id or
 * hHASH@WHERE and TARGET is c0, c1, c2 or vault.
 */

#include "config.h"

#include <string.h>

#include "qm-move-planner.h"
#include "qm-destiny.h"
#include "qm-test-utils.h"

#define SLOTS   3
#define VAULT   6

typedef struct
{
  const char *name;
  const char *items;
  const char *requests;
  gboolean    policy_off;
  const char *expect;        /* steps, when error_code < 0 */
  int         error_code;    /* QmMoveError, or -1 */
  const char *message;       /* a part of the error message, or NULL */
} Row;

#define OK(steps)      steps, -1, NULL
#define ERR(code, msg) NULL, QM_MOVE_ERROR_##code, msg

static const Row rows[] = {
  /* Instanced item: every source × destination, with room. */
  { "inv-to-vault", "101:kin@c0", "move 101 vault", FALSE, OK ("c0>vault 101") },
  { "inv-to-other", "101:kin@c0", "move 101 c1", FALSE, OK ("c0>vault 101; vault>c1 101") },
  { "inv-to-same", "101:kin@c0", "move 101 c0", FALSE, OK ("") },
  { "vault-to-char", "101:kin@v", "move 101 c0", FALSE, OK ("vault>c0 101") },
  { "vault-to-vault", "101:kin@v", "move 101 vault", FALSE, OK ("") },
  { "other-to-char", "101:kin@c1", "move 101 c0", FALSE, OK ("c1>vault 101; vault>c0 101") },
  { "vault-to-char-equip", "101:kin@v", "move 101 c0 equip", FALSE,
    OK ("vault>c0 101; equip c0 101") },
  { "other-to-char-equip", "101:kin@c1", "move 101 c0 equip", FALSE,
    OK ("c1>vault 101; vault>c0 101; equip c0 101") },
  { "equip-in-place", "101:kin@c0 102:kin@c0e", "equip 101 c0", FALSE, OK ("equip c0 101") },
  { "equip-already", "101:kin@c0e", "equip 101 c0", FALSE, OK ("") },
  { "equip-from-vault", "101:kin@v", "equip 101 c2", FALSE, OK ("vault>c2 101; equip c2 101") },
  { "equip-to-vault", "101:kin@v", "equip 101 vault", FALSE, ERR (INVALID, NULL) },
  { "unknown-item", "101:kin@v", "move 999 c0", FALSE, ERR (NOT_FOUND, NULL) },
  { "unknown-character", "101:kin@v", "move 101 c5", FALSE, ERR (NOT_FOUND, "character") },

  /* Equipped items leave by equipping a replacement. */
  { "equipped-to-vault", "101:kin@c0e 102:kin@c0", "move 101 vault", FALSE,
    OK ("equip c0 102 *; c0>vault 101") },
  { "equipped-to-other", "101:kin@c0e 102:kin@c0", "move 101 c1", FALSE,
    OK ("equip c0 102 *; c0>vault 101; vault>c1 101") },
  { "equipped-to-same-dequips", "101:kin@c0e 102:kin@c0", "move 101 c0", FALSE,
    OK ("equip c0 102 *") },
  { "replacement-from-vault", "101:kin@c0e 103:kin@v", "move 101 vault", FALSE,
    OK ("vault>c0 103 *; equip c0 103 *; c0>vault 101") },
  { "replacement-from-other", "101:kin@c0e 104:kin@c1", "move 101 vault", FALSE,
    OK ("c1>vault 104 *; vault>c0 104 *; equip c0 104 *; c0>vault 101") },
  { "replacement-own-before-vault", "101:kin@c0e 102:kin@c0:p900 103:kin@v:p2000", "move 101 vault", FALSE,
    OK ("equip c0 102 *; c0>vault 101") },
  { "replacement-non-exotic-first", "101:kin@c0e 102:kin@c0:X:p2000 103:kin@c0:p1000", "move 101 vault", FALSE,
    OK ("equip c0 103 *; c0>vault 101") },
  { "replacement-same-type-first", "101:kin@c0e:s9 102:kin@c0:s6:p2000 103:kin@c0:s9:p1000", "move 101 vault",
    FALSE, OK ("equip c0 103 *; c0>vault 101") },
  { "replacement-higher-power", "101:kin@c0e 102:kin@c0:p1000 103:kin@c0:p2000", "move 101 vault", FALSE,
    OK ("equip c0 103 *; c0>vault 101") },
  { "replacement-class", "101:helm@c0e:T 102:helm@c0:H 103:helm@c0:T", "move 101 vault", FALSE,
    OK ("equip c0 103 *; c0>vault 101") },
  { "replacement-none", "101:kin@c0e 102:energy@c0", "move 101 vault", FALSE,
    ERR (NO_REPLACEMENT, "nothing can take its place") },
  { "replacement-only-other-class", "101:helm@c0e:T 102:helm@c0:H", "move 101 vault", FALSE,
    ERR (NO_REPLACEMENT, NULL) },
  { "replacement-never-named", "101:kin@c0e 102:kin@c0", "move 101 vault; move 102 c1", FALSE,
    ERR (NO_REPLACEMENT, NULL) },
  { "replacement-not-transferable-elsewhere", "101:kin@c0e 104:kin@c1:N", "move 101 vault", FALSE,
    ERR (NO_REPLACEMENT, NULL) },

  /* A full destination bucket: an item moves aside. */
  { "full-char-aside", "101:kin@v 110:kin@c0e F:kin@c0", "move 101 c0", FALSE,
    OK ("c0>vault 900 *; vault>c0 101") },
  { "full-char-policy-off", "101:kin@v 110:kin@c0e F:kin@c0", "move 101 c0", TRUE,
    ERR (NO_SPACE, "Kinetic Weapons on your Titan is full.") },
  { "full-char-unlocked-first", "101:kin@v 110:kin@c0e 111:kin@c0:L:p10 112:kin@c0:p2000", "move 101 c0", FALSE,
    OK ("c0>vault 112 *; vault>c0 101") },
  { "full-char-lower-tier-first", "101:kin@v 110:kin@c0e 111:kin@c0:t5:p10 112:kin@c0:t4:p2000",
    "move 101 c0", FALSE, OK ("c0>vault 112 *; vault>c0 101") },
  { "full-char-other-class-first", "101:helm@v 110:helm@c0e:T 111:helm@c0:T:p10 112:helm@c0:H:p2000",
    "move 101 c0", FALSE, OK ("c0>vault 112 *; vault>c0 101") },
  { "full-char-never-equipped", "101:kin@v 110:kin@c0e 111:kin@c0 112:kin@c0",
    "move 101 c0; move 111 c0; move 112 c0", FALSE, ERR (NO_SPACE, "Kinetic Weapons on your Titan is full.") },
  { "full-char-never-not-transferable", "101:kin@v 110:kin@c0e 111:kin@c0:N 112:kin@c0:N", "move 101 c0", FALSE,
    ERR (NO_SPACE, NULL) },
  { "full-char-other-slot-irrelevant", "101:kin@v F:energy@c0", "move 101 c0", FALSE, OK ("vault>c0 101") },
  { "full-char-equip", "101:kin@v 110:kin@c0e F:kin@c0", "move 101 c0 equip", FALSE,
    OK ("c0>vault 900 *; vault>c0 101; equip c0 101") },

  /* A full vault: an item leaves the vault for a character with room. */
  { "full-vault-aside", "101:kin@c0 F:kin@v", "move 101 vault", FALSE,
    OK ("vault>c2 900 *; c0>vault 101") },
  { "full-vault-policy-off", "101:kin@c0 F:kin@v", "move 101 vault", TRUE, ERR (NO_SPACE, "The vault is full.") },
  { "full-vault-own-class-first", "101:kin@c0 120:kin@v:H:t3 F:kin@v", "move 101 vault", FALSE,
    OK ("vault>c1 120 *; c0>vault 101") },
  { "full-vault-same-slot-first", "101:helm@c0 120:helm@v:p2000 F:kin@v", "move 101 vault", FALSE,
    OK ("vault>c2 120 *; c0>vault 101") },
  { "full-vault-skips-full-chars", "101:kin@c0 F:kin@c0 F:kin@v F:kin@c2 F:kin@c1", "move 101 vault", FALSE,
    ERR (NO_SPACE, "The vault is full.") },
  { "full-vault-char-to-char", "101:kin@c0 F:kin@v", "move 101 c1", FALSE,
    OK ("vault>c2 900 *; c0>vault 101; vault>c1 101") },
  { "full-vault-char-to-char-off", "101:kin@c0 F:kin@v", "move 101 c1", TRUE, ERR (NO_SPACE, "The vault is full.") },
  { "full-vault-vault-to-char", "101:kin@v F:kin@v", "move 101 c0", FALSE, OK ("vault>c0 101") },

  /* Full at both ends. */
  { "full-both-ends", "101:kin@c0 F:kin@c1", "move 101 c1", FALSE,
    OK ("c0>vault 101; c1>vault 900 *; vault>c1 101") },
  { "full-both-ends-and-vault", "101:kin@c0 F:kin@c1 F:kin@v", "move 101 c1", FALSE,
    OK ("vault>c2 903 *; c0>vault 101; vault>c2 904 *; c1>vault 900 *; vault>c1 101") },
  { "full-both-ends-off", "101:kin@c0 F:kin@c1", "move 101 c1", TRUE,
    ERR (NO_SPACE, "Kinetic Weapons on your Hunter is full.") },
  { "full-source-and-target", "101:kin@v 110:kin@c0e F:kin@c0 F:kin@v", "move 101 c0", FALSE,
    OK ("vault>c2 902 *; c0>vault 900 *; vault>c0 101") },
  { "full-target-and-vault", "101:kin@c1 110:kin@c0e F:kin@c0 F:kin@v", "move 101 c0", FALSE,
    OK ("vault>c2 902 *; c1>vault 101; vault>c2 903 *; c0>vault 900 *; vault>c0 101") },

  /* The postmaster. */
  { "pull", "101:kin@c0p", "pull 101", FALSE, OK ("pull c0 101") },
  { "pull-other-owner", "101:kin@c1p", "pull 101", FALSE, OK ("pull c1 101") },
  { "postmaster-to-vault", "101:kin@c0p", "move 101 vault", FALSE, OK ("pull c0 101; c0>vault 101") },
  { "postmaster-to-other", "101:kin@c0p", "move 101 c1", FALSE,
    OK ("pull c0 101; c0>vault 101; vault>c1 101") },
  { "postmaster-equip", "101:kin@c0p", "move 101 c0 equip", FALSE, OK ("pull c0 101; equip c0 101") },
  { "postmaster-owner-full", "101:kin@c0p 110:kin@c0e F:kin@c0", "pull 101", FALSE,
    OK ("c0>vault 900 *; pull c0 101") },
  { "postmaster-owner-full-off", "101:kin@c0p 110:kin@c0e F:kin@c0", "pull 101", TRUE,
    ERR (NO_SPACE, "Kinetic Weapons on your Titan is full.") },
  { "postmaster-side-effects", "101:kin@c0p:S", "pull 101", FALSE, ERR (POSTMASTER, "in the game") },
  { "pull-not-at-postmaster", "101:kin@c0", "pull 101", FALSE, ERR (INVALID, "postmaster") },
  { "postmaster-not-transferable", "101:kin@c0p:N", "pull 101", FALSE, OK ("pull c0 101") },
  { "postmaster-not-transferable-away", "101:kin@c0p:N", "move 101 c1", FALSE, ERR (NOT_TRANSFERABLE, NULL) },
  { "postmaster-stack", "h500x4:cons@c0p", "pull h500@c0p", FALSE, OK ("pull c0 h500 x4") },
  { "postmaster-stack-part", "h500x4:cons@c0p", "pull h500@c0p 3", FALSE, OK ("pull c0 h500 x3") },

  /* Not transferable: refused before any step. */
  { "not-transferable", "101:kin@c0:N", "move 101 vault", FALSE, ERR (NOT_TRANSFERABLE, "cannot leave") },
  { "not-transferable-in-batch", "102:kin@c0 101:kin@c0:N", "move 102 vault; move 101 vault", FALSE,
    ERR (NOT_TRANSFERABLE, NULL) },
  { "not-transferable-equip", "101:kin@c0:N 102:kin@c0e", "equip 101 c0", FALSE, OK ("equip c0 101") },

  /* Class restrictions: other classes may hold an item, not equip it. */
  { "class-equip", "101:helm@v:H", "equip 101 c0", FALSE, ERR (CLASS, "can only be equipped by a Hunter") },
  { "class-move", "101:helm@v:H", "move 101 c0", FALSE, OK ("vault>c0 101") },
  { "class-equip-own", "101:helm@v:H", "equip 101 c1", FALSE, OK ("vault>c1 101; equip c1 101") },
  { "class-before-any-step", "101:helm@c2:H", "move 101 c0 equip", FALSE, ERR (CLASS, NULL) },
  { "not-equippable", "h500x2:cons@a", "move h500@a c0 equip", FALSE, ERR (NOT_EQUIPPABLE, NULL) },

  /* The exotic rule. */
  { "exotic-conflict", "101:kin@v:X 120:energy@c0e:X 121:energy@c0", "equip 101 c0", FALSE,
    OK ("vault>c0 101; equip c0 121 *; equip c0 101") },
  { "exotic-conflict-replacement-not-exotic", "101:kin@c0:X 120:energy@c0e:X 121:energy@c0:X 122:energy@v",
    "equip 101 c0", FALSE, OK ("vault>c0 122 *; equip c0 122 *; equip c0 101") },
  { "exotic-conflict-no-replacement", "101:kin@c0:X 120:energy@c0e:X 121:energy@c0:X", "equip 101 c0", FALSE,
    ERR (NO_REPLACEMENT, "must come off first") },
  { "exotic-same-slot", "101:kin@c0:X 110:kin@c0e:X", "equip 101 c0", FALSE, OK ("equip c0 101") },
  { "exotic-weapon-and-armor", "101:kin@c0:X 130:helm@c0e:X", "equip 101 c0", FALSE, OK ("equip c0 101") },
  { "exotic-two-in-batch", "101:kin@c0:X 102:energy@c0:X 110:kin@c0e 120:energy@c0e",
    "equip 101 c0; equip 102 c0", FALSE, ERR (NO_REPLACEMENT, "cannot both be equipped") },
  { "exotic-replacement-skips-conflict", "101:kin@c0e 102:kin@c0:X:p2000 103:kin@c0:p1000 120:energy@c0e:X",
    "move 101 vault", FALSE, OK ("equip c0 103 *; c0>vault 101") },
  { "exotic-conflict-full-bucket", "101:kin@v:X 120:energy@c0e:X F:kin@c0 121:energy@c0", "equip 101 c0", FALSE,
    OK ("c0>vault 900 *; vault>c0 101; equip c0 121 *; equip c0 101") },

  /* Stacks (consumables live in an account-wide bucket). */
  { "stack-to-vault", "h500x5:cons@a", "move h500@a vault", FALSE, OK ("account>vault h500 x5") },
  { "stack-part-to-vault", "h500x5:cons@a", "move h500@a vault 2", FALSE, OK ("account>vault h500 x2") },
  { "stack-from-vault", "h500x5:cons@v", "move h500@v c1", FALSE, OK ("vault>c1 h500 x5") },
  { "stack-to-character-is-noop", "h500x5:cons@a", "move h500@a c2", FALSE, OK ("") },
  { "stack-merge-into-partial", "h500x8:cons@a:m10 h600x10:cons@a:m10 h700x10:cons@a:m10 h500x2:cons@v:m10",
    "move h500@v c0", FALSE, OK ("vault>c0 h500 x2") },
  { "stack-overflow-aside", "h500x8:cons@a:m10 h600x10:cons@a:m10 h700x10:cons@a:m10 h500x5:cons@v:m10",
    "move h500@v c0", FALSE, OK ("account>vault h600 x10 *; vault>c0 h500 x5") },
  { "stack-overflow-off", "h500x8:cons@a:m10 h600x10:cons@a:m10 h700x10:cons@a:m10 h500x5:cons@v:m10",
    "move h500@v c0", TRUE, ERR (NO_SPACE, "Consumables is full.") },
  { "stack-too-many", "h500x5:cons@a", "move h500@a vault 6", FALSE, ERR (INVALID, "only 5") },
  { "stack-merge-in-full-vault", "h500x5:cons@a:m10 h500x2:cons@v:m10 F:kin@v", "move h500@a vault 3", FALSE,
    OK ("account>vault h500 x3") },
  { "stack-unique", "h500x1:cons@a:kQ h501x1:cons@v:kQ", "move h501@v c0", FALSE,
    ERR (UNIQUE_STACK, "Only one stack") },
  { "instance-amount", "101:kin@v", "move 101 c0 2", FALSE, ERR (INVALID, "single item") },

  /* Locks. */
  { "lock", "101:kin@c1", "lock 101", FALSE, OK ("lock c1 101") },
  { "lock-vault", "101:kin@v", "lock 101", FALSE, OK ("lock c0 101") },
  { "lock-already", "101:kin@c1:L", "lock 101", FALSE, OK ("") },
  { "unlock", "101:kin@c1:L", "unlock 101", FALSE, OK ("unlock c1 101") },
  { "lock-not-lockable", "101:kin@c1:U", "lock 101", FALSE, ERR (NOT_LOCKABLE, "cannot be locked") },

  /* Batches. */
  { "batch", "101:kin@v 102:energy@c2", "move 101 c1; move 102 c1", FALSE,
    OK ("vault>c1 101; c2>vault 102; vault>c1 102") },
  { "batch-room-from-first", "101:kin@v 110:kin@c0e 111:kin@c0 112:kin@c0",
    "move 111 vault; move 101 c0", FALSE, OK ("c0>vault 111; vault>c0 101") },
  { "batch-move-and-lock", "101:kin@v", "move 101 c2 equip; lock 101", FALSE,
    OK ("vault>c2 101; equip c2 101; lock c2 101") },
  { "batch-aside-not-named", "101:kin@v 102:kin@v 110:kin@c0e 111:kin@c0 F:kin@c0",
    "move 101 c0; move 102 c0", FALSE, OK ("c0>vault 900 *; vault>c0 101; c0>vault 111 *; vault>c0 102") },
};

/* ------------------------------------------------------------------------
 * Building the account from a row
 * ------------------------------------------------------------------------ */

static guint32
slot_hash (const char *name)
{
  if (g_str_equal (name, "kin"))
    return QM_BUCKET_KINETIC;
  if (g_str_equal (name, "energy"))
    return QM_BUCKET_ENERGY;
  if (g_str_equal (name, "helm"))
    return QM_BUCKET_HELMET;
  if (g_str_equal (name, "cons"))
    return QM_BUCKET_CONSUMABLES;
  g_error ("unknown slot %s", name);
}

static void
parse_where (const char *where,
             int        *place,
             int        *owner)
{
  if (g_str_equal (where, "v"))
    {
      *place = QM_MOVE_PLACE_VAULT;
      *owner = QM_MOVE_VAULT;
      return;
    }
  if (g_str_equal (where, "a"))
    {
      *place = QM_MOVE_PLACE_ACCOUNT;
      *owner = QM_MOVE_VAULT;
      return;
    }
  g_assert_true (where[0] == 'c' && g_ascii_isdigit (where[1]));
  *owner = where[1] - '0';
  switch (where[2])
    {
    case '\0':
      *place = QM_MOVE_PLACE_INVENTORY;
      break;
    case 'e':
      *place = QM_MOVE_PLACE_EQUIPPED;
      break;
    case 'p':
      *place = QM_MOVE_PLACE_POSTMASTER;
      break;
    default:
      g_error ("bad place %s", where);
    }
}

static QmMoveState *
base_state (void)
{
  QmMoveState *state = qm_move_state_new ();

  qm_move_state_add_character (state, 2305843009300000001u, 0, 300);
  qm_move_state_add_character (state, 2305843009300000002u, 1, 200);
  qm_move_state_add_character (state, 2305843009300000003u, 2, 100);
  qm_move_state_add_bucket (state, QM_BUCKET_KINETIC, SLOTS, FALSE);
  qm_move_state_add_bucket (state, QM_BUCKET_ENERGY, SLOTS, FALSE);
  qm_move_state_add_bucket (state, QM_BUCKET_HELMET, SLOTS, FALSE);
  qm_move_state_add_bucket (state, QM_BUCKET_CONSUMABLES, SLOTS, TRUE);
  state->vault_capacity = VAULT;
  return state;
}

static QmMoveItem
item_template (guint32 slot)
{
  QmMoveItem item = { 0 };

  item.slot = slot;
  item.quantity = 1;
  item.max_stack = 1;
  item.class_type = QM_MOVE_CLASS_ANY;
  item.tier_type = 5;
  item.power = 1500;
  item.flags = QM_MOVE_ITEM_EQUIPPABLE | QM_MOVE_ITEM_LOCKABLE;
  return item;
}

static int
count_in (QmMoveState *state,
          int          place,
          int          owner,
          guint32      slot)
{
  int count = 0;

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (place == QM_MOVE_PLACE_VAULT)
        count += item->place == QM_MOVE_PLACE_VAULT;
      else if (place == QM_MOVE_PLACE_ACCOUNT)
        count += item->place == QM_MOVE_PLACE_ACCOUNT && item->slot == slot;
      else
        count += (item->place == QM_MOVE_PLACE_EQUIPPED || item->place == QM_MOVE_PLACE_INVENTORY) &&
                 item->owner == owner && item->slot == slot;
    }
  return count;
}

static void
add_spec (QmMoveState *state,
          const char  *spec,
          guint64     *filler)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", -1);
  g_auto(GStrv) slot_where = NULL;
  QmMoveItem item;
  guint n = g_strv_length (parts);

  g_assert_cmpuint (n, >=, 2);
  slot_where = g_strsplit (parts[1], "@", 2);
  g_assert_nonnull (slot_where[1]);
  item = item_template (slot_hash (slot_where[0]));
  parse_where (slot_where[1], &item.place, &item.owner);

  if (g_str_equal (parts[0], "F"))
    {
      int capacity = item.place == QM_MOVE_PLACE_VAULT ? VAULT : SLOTS;

      while (count_in (state, item.place, item.owner, item.slot) < capacity)
        {
          QmMoveItem fill = item;

          fill.instance_id = *filler;
          fill.hash = 7000;
          fill.power = 1000 + (int) (*filler - 900);
          (*filler)++;
          if (fill.place == QM_MOVE_PLACE_EQUIPPED)
            fill.place = QM_MOVE_PLACE_INVENTORY;
          qm_move_state_add_item (state, &fill);
        }
      return;
    }

  if (parts[0][0] == 'h')
    {
      char *x = strchr (parts[0], 'x');

      g_assert_nonnull (x);
      item.hash = (guint32) g_ascii_strtoull (parts[0] + 1, NULL, 10);
      item.quantity = (int) g_ascii_strtoll (x + 1, NULL, 10);
      item.max_stack = 20;
      item.flags = 0;
      item.tier_type = 3;
      item.power = -1;
    }
  else
    {
      item.instance_id = g_ascii_strtoull (parts[0], NULL, 10);
      item.hash = 1000 + (guint32) item.instance_id;
    }

  for (guint i = 2; i < n; i++)
    {
      const char *f = parts[i];
      int value = (int) g_ascii_strtoll (f + 1, NULL, 10);

      switch (f[0])
        {
        case 'X':
          item.tier_type = QM_MOVE_TIER_EXOTIC;
          item.equip_label = item.slot == QM_BUCKET_HELMET ? 2 : 1;
          break;
        case 'L': item.flags |= QM_MOVE_ITEM_LOCKED; break;
        case 'N': item.flags |= QM_MOVE_ITEM_NOT_TRANSFERABLE; break;
        case 'S': item.flags |= QM_MOVE_ITEM_PULL_SIDE_EFFECTS; break;
        case 'U': item.flags &= ~QM_MOVE_ITEM_LOCKABLE; break;
        case 'T': item.class_type = 0; break;
        case 'H': item.class_type = 1; break;
        case 'W': item.class_type = 2; break;
        case 's': item.item_sub_type = value; break;
        case 'p': item.power = value; break;
        case 't': item.tier_type = value; break;
        case 'k': item.stack_label = g_str_hash (f + 1); break;
        case 'm': item.max_stack = value; break;
        default: g_error ("bad flag %s", f);
        }
    }
  qm_move_state_add_item (state, &item);
}

static QmMoveState *
build_state (const char *items)
{
  QmMoveState *state = base_state ();
  g_auto(GStrv) specs = g_strsplit (items, " ", -1);
  guint64 filler = 900;

  for (guint i = 0; specs[i] != NULL; i++)
    if (*specs[i] != '\0')
      add_spec (state, specs[i], &filler);
  return state;
}

static int
parse_target (const char *word)
{
  if (g_str_equal (word, "vault"))
    return QM_MOVE_VAULT;
  g_assert_true (word[0] == 'c');
  return (int) g_ascii_strtoll (word + 1, NULL, 10);
}

static void
parse_item_ref (const char    *word,
                QmMoveRequest *request)
{
  if (word[0] == 'h')
    {
      g_auto(GStrv) parts = g_strsplit (word + 1, "@", 2);

      request->hash = (guint32) g_ascii_strtoull (parts[0], NULL, 10);
      parse_where (parts[1], &request->place, &request->owner);
    }
  else
    {
      request->instance_id = g_ascii_strtoull (word, NULL, 10);
    }
}

static GArray *
parse_requests (const char *text)
{
  GArray *requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  g_auto(GStrv) lines = g_strsplit (text, ";", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto(GStrv) words = g_strsplit (line, " ", -1);
      QmMoveRequest request = { 0 };
      guint n = g_strv_length (words);

      g_assert_cmpuint (n, >=, 2);
      parse_item_ref (words[1], &request);
      if (g_str_equal (words[0], "move") || g_str_equal (words[0], "equip"))
        {
          request.kind = g_str_equal (words[0], "move") ? QM_MOVE_REQUEST_MOVE : QM_MOVE_REQUEST_EQUIP;
          g_assert_cmpuint (n, >=, 3);
          request.target = parse_target (words[2]);
          for (guint w = 3; w < n; w++)
            if (g_str_equal (words[w], "equip"))
              request.equip = TRUE;
            else
              request.amount = (int) g_ascii_strtoll (words[w], NULL, 10);
        }
      else if (g_str_equal (words[0], "lock"))
        request.kind = QM_MOVE_REQUEST_LOCK;
      else if (g_str_equal (words[0], "unlock"))
        request.kind = QM_MOVE_REQUEST_UNLOCK;
      else if (g_str_equal (words[0], "pull"))
        {
          request.kind = QM_MOVE_REQUEST_PULL;
          if (n >= 3)
            request.amount = (int) g_ascii_strtoll (words[2], NULL, 10);
        }
      else
        g_error ("bad request %s", line);
      g_array_append_val (requests, request);
    }
  return requests;
}

/* ------------------------------------------------------------------------
 * Invariants
 * ------------------------------------------------------------------------ */

static int
compare_u64 (gconstpointer a,
             gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_strings (const char **a,
                 const char **b)
{
  return strcmp (*a, *b);
}

/* The instance ids, sorted, and the total of each stack hash. */
static char *
inventory_signature (const QmMoveState *state)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) stacks = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);

      if (item->instance_id != 0)
        g_array_append_val (ids, item->instance_id);
      else
        {
          guint j;

          for (j = 0; j < stacks->len; j += 2)
            if (g_array_index (stacks, guint64, j) == item->hash)
              break;
          if (j == stacks->len)
            {
              guint64 hash = item->hash, zero = 0;

              g_array_append_val (stacks, hash);
              g_array_append_val (stacks, zero);
            }
          g_array_index (stacks, guint64, j + 1) += (guint64) item->quantity;
        }
    }
  g_array_sort (ids, compare_u64);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT " ", g_array_index (ids, guint64, i));
  for (guint i = 0; i < stacks->len; i += 2)
    g_ptr_array_add (totals, g_strdup_printf ("h%" G_GUINT64_FORMAT "=%" G_GUINT64_FORMAT " ",
                                              g_array_index (stacks, guint64, i),
                                              g_array_index (stacks, guint64, i + 1)));
  g_ptr_array_sort (totals, (GCompareFunc) compare_strings);
  for (guint i = 0; i < totals->len; i++)
    g_string_append (out, g_ptr_array_index (totals, i));
  return g_string_free (out, FALSE);
}

/* Where every instanced item is, and each character's equipped set. */
static char *
placement_signature (const QmMoveState *state)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < state->items->len; i++)
    if (g_array_index (state->items, QmMoveItem, i).instance_id != 0)
      g_array_append_val (ids, g_array_index (state->items, QmMoveItem, i).instance_id);
  g_array_sort (ids, compare_u64);
  for (guint i = 0; i < ids->len; i++)
    {
      guint64 id = g_array_index (ids, guint64, i);
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, qm_move_state_find_instance (state, id));

      g_string_append_printf (out, "%" G_GUINT64_FORMAT "@%d/%d%s ", id, item->place, item->owner,
                              (item->flags & QM_MOVE_ITEM_LOCKED) ? "L" : "");
    }
  return g_string_free (out, FALSE);
}

/* Apply @steps to a copy of @state: every one must go through. */
static QmMoveState *
apply_all (const QmMoveState *state,
           const GArray      *steps)
{
  QmMoveState *after = qm_move_state_copy (state);

  for (guint i = 0; i < steps->len; i++)
    g_assert_cmpint (qm_move_state_apply_step (after, &g_array_index (steps, QmMoveStep, i)), ==, 1);
  return after;
}

/* ------------------------------------------------------------------------
 * The table
 * ------------------------------------------------------------------------ */

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(QmMoveState) state = build_state (row->items);
  g_autoptr(GArray) requests = parse_requests (row->requests);
  QmMovePolicy policy = QM_MOVE_POLICY_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *before = inventory_signature (state);

  policy.make_space = !row->policy_off;
  steps = qm_move_plan (state, (QmMoveRequest *) requests->data, requests->len, &policy, &error);

  if (row->error_code >= 0)
    {
      g_assert_error (error, QM_MOVE_ERROR, row->error_code);
      g_assert_null (steps);
      if (row->message != NULL && strstr (error->message, row->message) == NULL)
        g_error ("%s: message \"%s\" lacks \"%s\"", row->name, error->message, row->message);
    }
  else
    {
      g_autofree char *text = NULL;
      g_autoptr(QmMoveState) after = NULL;
      g_autofree char *conserved = NULL;

      g_assert_no_error (error);
      text = qm_move_steps_to_string (steps);
      g_assert_cmpstr (text, ==, row->expect);

      /* The plan goes through step by step, and no item is lost or made. */
      after = apply_all (state, steps);
      conserved = inventory_signature (after);
      g_assert_cmpstr (conserved, ==, before);

      /* The plan does not change the state it was made from. */
      {
        g_autofree char *again = inventory_signature (state);
        g_assert_cmpstr (again, ==, before);
      }
    }
}

/* Steps that touch an item no request named are marked; the others not. */
static void
test_aside_marks (void)
{
  g_autoptr(QmMoveState) state = build_state ("101:kin@c0e 102:kin@c0 F:kin@c1 F:kin@v");
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE, .instance_id = 101, .target = 1 };
  g_autoptr(GArray) steps = qm_move_plan (state, &request, 1, NULL, NULL);

  g_assert_nonnull (steps);
  g_assert_cmpuint (steps->len, >, 3);
  for (guint i = 0; i < steps->len; i++)
    {
      const QmMoveStep *step = &g_array_index (steps, QmMoveStep, i);

      g_assert_cmpint (step->aside, ==, step->instance_id != 101);
      if (step->instance_id == 101)
        g_assert_cmpint (step->reason, ==, QM_MOVE_REASON_REQUESTED);
      else if (step->instance_id == 102)
        g_assert_cmpint (step->reason, ==, QM_MOVE_REASON_DEQUIP);
      else
        g_assert_cmpint (step->reason, ==, QM_MOVE_REASON_MAKE_SPACE);
    }
}

/* A bucket Bungie said is full (1642 on a stale view) gets room made. */
static void
test_marked_full (void)
{
  g_autoptr(QmMoveState) state = build_state ("101:kin@v 110:kin@c0e 111:kin@c0");
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE, .instance_id = 101, .target = 0 };
  QmMovePolicy off = { .make_space = FALSE };
  g_autoptr(GArray) blind = qm_move_plan (state, &request, 1, NULL, NULL);
  g_autoptr(GArray) careful = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = qm_move_steps_to_string (blind);
  g_assert_cmpstr (text, ==, "vault>c0 101");
  g_clear_pointer (&text, g_free);

  qm_move_state_mark_full (state, 0, QM_BUCKET_KINETIC);
  careful = qm_move_plan (state, &request, 1, NULL, NULL);
  text = qm_move_steps_to_string (careful);
  g_assert_cmpstr (text, ==, "c0>vault 111 *; vault>c0 101");

  g_assert_null (qm_move_plan (state, &request, 1, &off, &error));
  g_assert_error (error, QM_MOVE_ERROR, QM_MOVE_ERROR_NO_SPACE);
}

/* Messages use the item's name when the state has one. */
static void
test_names (void)
{
  g_autoptr(QmMoveState) state = build_state ("101:helm@v:H");
  g_autoptr(GHashTable) names = g_hash_table_new (NULL, NULL);
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_EQUIP, .instance_id = 101, .target = 0 };
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (names, GUINT_TO_POINTER (1101), (gpointer) "Wormhusk Crown");
  qm_move_state_set_names (state, names);
  g_assert_null (qm_move_plan (state, &request, 1, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Wormhusk Crown can only be equipped by a Hunter.");
}

/* ------------------------------------------------------------------------
 * Undo
 * ------------------------------------------------------------------------ */

static void
check_undo (const char *items,
            const char *text,
            const char *expect_forward)
{
  g_autoptr(QmMoveState) state = build_state (items);
  g_autoptr(GArray) requests = parse_requests (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = qm_move_plan (state, (QmMoveRequest *) requests->data, requests->len, NULL, &error);
  g_autoptr(QmMoveState) after = NULL;
  g_autoptr(GArray) undo = NULL;
  g_autoptr(GArray) back = NULL;
  g_autoptr(QmMoveState) restored = NULL;
  g_autofree char *forward = NULL;
  g_autofree char *placed_before = placement_signature (state);
  g_autofree char *placed_after = NULL;

  g_assert_no_error (error);
  forward = qm_move_steps_to_string (steps);
  g_assert_cmpstr (forward, ==, expect_forward);
  after = apply_all (state, steps);

  undo = qm_move_undo_requests (state, steps);
  g_assert_cmpuint (undo->len, >, 0);
  back = qm_move_plan (after, (QmMoveRequest *) undo->data, undo->len, NULL, &error);
  g_assert_no_error (error);
  restored = apply_all (after, back);
  placed_after = placement_signature (restored);
  g_assert_cmpstr (placed_after, ==, placed_before);
}

static void
test_undo_dequip_and_space (void)
{
  /* 101 leaves c0 (a replacement equipped there) for c1, whose bucket is
   * full (an item moved aside) through a full vault (another moved aside). */
  check_undo ("101:kin@c0e 102:kin@c0 F:kin@c1 F:kin@v", "move 101 c1",
              "equip c0 102 *; vault>c2 903 *; c0>vault 101; vault>c2 904 *; c1>vault 900 *; vault>c1 101");
}

static void
test_undo_equip (void)
{
  /* The previous equip comes back, the exotic's replacement goes back. */
  check_undo ("101:kin@v:X 110:kin@c0e 120:energy@c0e:X 121:energy@v", "equip 101 c0",
              "vault>c0 101; vault>c0 121 *; equip c0 121 *; equip c0 101");
}

static void
test_undo_batch_and_lock (void)
{
  check_undo ("101:kin@c1 102:helm@v 110:kin@c2e 111:kin@c2 F:kin@v",
              "move 101 c2 equip; move 102 c2; lock 102",
              "vault>c1 900 *; c1>vault 101; vault>c2 101; equip c2 101; vault>c2 102; lock c2 102");
}

/* ------------------------------------------------------------------------
 * Random accounts: whatever the planner plans goes through and conserves
 * ------------------------------------------------------------------------ */

static const char *random_slots[] = { "kin", "energy", "helm" };

static QmMoveState *
random_state (GRand *rand)
{
  QmMoveState *state = base_state ();
  guint64 id = 100;

  for (int c = 0; c < 3; c++)
    for (guint s = 0; s < G_N_ELEMENTS (random_slots); s++)
      {
        int n = g_rand_int_range (rand, 0, SLOTS + 1);

        for (int k = 0; k < n; k++)
          {
            QmMoveItem item = item_template (slot_hash (random_slots[s]));

            item.instance_id = id++;
            item.hash = 5000 + (guint32) g_rand_int_range (rand, 0, 50);
            item.owner = c;
            item.place = k == 0 ? QM_MOVE_PLACE_EQUIPPED : QM_MOVE_PLACE_INVENTORY;
            item.power = g_rand_int_range (rand, 1000, 2000);
            if (g_rand_int_range (rand, 0, 6) == 0)
              {
                item.tier_type = QM_MOVE_TIER_EXOTIC;
                item.equip_label = s == 2 ? 2 : 1;
              }
            if (g_rand_int_range (rand, 0, 5) == 0)
              item.class_type = g_rand_int_range (rand, 0, 3);
            if (g_rand_int_range (rand, 0, 12) == 0)
              item.flags |= QM_MOVE_ITEM_NOT_TRANSFERABLE;
            /* Only legal equips: one per label, the right class. */
            if (item.place == QM_MOVE_PLACE_EQUIPPED &&
                (item.class_type != QM_MOVE_CLASS_ANY && item.class_type != state->characters[c].class_type))
              item.class_type = QM_MOVE_CLASS_ANY;
            if (item.place == QM_MOVE_PLACE_EQUIPPED && item.equip_label != 0)
              for (guint i = 0; i < state->items->len; i++)
                {
                  const QmMoveItem *other = &g_array_index (state->items, QmMoveItem, i);

                  if (other->owner == c && other->place == QM_MOVE_PLACE_EQUIPPED &&
                      other->equip_label == item.equip_label)
                    item.equip_label = 0, item.tier_type = 5;
                }
            qm_move_state_add_item (state, &item);
          }
      }
  for (int v = g_rand_int_range (rand, 0, VAULT + 1); v > 0; v--)
    {
      QmMoveItem item = item_template (slot_hash (random_slots[g_rand_int_range (rand, 0, 3)]));

      item.instance_id = id++;
      item.hash = 5000 + (guint32) g_rand_int_range (rand, 0, 50);
      item.place = QM_MOVE_PLACE_VAULT;
      item.owner = QM_MOVE_VAULT;
      item.power = g_rand_int_range (rand, 1000, 2000);
      qm_move_state_add_item (state, &item);
    }
  return state;
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  guint planned = 0, refused = 0;

  for (int round = 0; round < 2000; round++)
    {
      g_autoptr(QmMoveState) state = random_state (rand);
      QmMoveRequest requests[3] = { 0 };
      int n = g_rand_int_range (rand, 1, 4);
      QmMovePolicy policy = { .make_space = g_rand_boolean (rand) };
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) steps = NULL;

      if (state->items->len == 0)
        continue;
      for (int i = 0; i < n; i++)
        {
          const QmMoveItem *item = &g_array_index (state->items, QmMoveItem,
                                                   g_rand_int_range (rand, 0, state->items->len));

          requests[i].kind = g_rand_int_range (rand, 0, 4) == 0 ? QM_MOVE_REQUEST_EQUIP : QM_MOVE_REQUEST_MOVE;
          requests[i].instance_id = item->instance_id;
          requests[i].target = g_rand_int_range (rand, -1, 3);
          if (requests[i].kind == QM_MOVE_REQUEST_EQUIP && requests[i].target < 0)
            requests[i].target = 0;
          requests[i].equip = g_rand_boolean (rand) && requests[i].target >= 0;
        }

      steps = qm_move_plan (state, requests, n, &policy, &error);
      if (steps == NULL)
        {
          g_assert_error (error, QM_MOVE_ERROR, error->code);
          refused++;
          continue;
        }
      planned++;
      {
        g_autoptr(QmMoveState) after = apply_all (state, steps);
        g_autofree char *a = inventory_signature (state);
        g_autofree char *b = inventory_signature (after);

        g_assert_cmpstr (a, ==, b);
        /* Each request's item ends where it was asked to. */
        for (int i = 0; i < n; i++)
          {
            int index = qm_move_state_find_instance (after, requests[i].instance_id);
            const QmMoveItem *item = &g_array_index (after->items, QmMoveItem, index);
            gboolean later = FALSE;

            /* A later request may move it again, or equip another
             * item on the same character (in its slot, or its exotic's). */
            for (int j = i + 1; j < n; j++)
              later |= requests[j].instance_id == requests[i].instance_id ||
                       ((requests[j].equip || requests[j].kind == QM_MOVE_REQUEST_EQUIP) &&
                        requests[j].target == requests[i].target);
            if (later)
              continue;
            if (requests[i].target == QM_MOVE_VAULT)
              g_assert_cmpint (item->place, ==, QM_MOVE_PLACE_VAULT);
            else
              g_assert_cmpint (item->owner, ==, requests[i].target);
            if (requests[i].equip || requests[i].kind == QM_MOVE_REQUEST_EQUIP)
              g_assert_cmpint (item->place, ==, QM_MOVE_PLACE_EQUIPPED);
          }
      }
    }
  g_test_message ("%u planned, %u refused", planned, refused);
  g_assert_cmpuint (planned, >, 500);
  g_assert_cmpuint (refused, >, 10);
}

/* Any bytes give a state or an error. */
static void
test_from_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  static const guint8 good[] = {
    'Q', 'M', 'M', 'S', 1, 1, 1, 0, 10, 0, 0, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x9a, 0xb9, 0x4c, 0x59, 3, 0, 0, 0,
    101, 0, 0, 0, 0, 0, 0, 0, 0xe9, 3, 0, 0, 0x9a, 0xb9, 0x4c, 0x59, 1, 0, 3, 5,
    1, 0, 0, 0, 1, 0, 0, 0, 0xdc, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (good, sizeof good);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmMoveState) state = qm_move_state_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (state->n_characters, ==, 1);
  g_assert_cmpuint (state->items->len, ==, 1);
  g_assert_cmpint (g_array_index (state->items, QmMoveItem, 0).place, ==, QM_MOVE_PLACE_INVENTORY);

  for (int round = 0; round < 5000; round++)
    {
      guint8 copy[sizeof good];
      g_autoptr(GBytes) mutated = NULL;
      g_autoptr(QmMoveState) s = NULL;
      g_autoptr(GError) e = NULL;
      gsize len = g_rand_int_range (rand, 0, sizeof good + 1);

      memcpy (copy, good, sizeof good);
      copy[g_rand_int_range (rand, 0, sizeof good)] = (guint8) g_rand_int (rand);
      mutated = g_bytes_new (copy, len);
      s = qm_move_state_new_from_bytes (mutated, &e);
      g_assert_true ((s == NULL) != (e == NULL));
      if (s != NULL && s->items->len > 0)
        {
          QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE,
                                    .instance_id = g_array_index (s->items, QmMoveItem, 0).instance_id,
                                    .hash = g_array_index (s->items, QmMoveItem, 0).hash,
                                    .place = g_array_index (s->items, QmMoveItem, 0).place,
                                    .owner = g_array_index (s->items, QmMoveItem, 0).owner,
                                    .target = QM_MOVE_VAULT };
          g_autoptr(GArray) steps = qm_move_plan (s, &request, 1, NULL, NULL);

          if (steps != NULL)
            qm_move_state_free (apply_all (s, steps));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/move-planner/matrix/%s", rows[i].name);

      g_test_add_data_func (path, &rows[i], test_row);
    }
  g_test_add_func ("/move-planner/aside-marks", test_aside_marks);
  g_test_add_func ("/move-planner/marked-full", test_marked_full);
  g_test_add_func ("/move-planner/names", test_names);
  g_test_add_func ("/move-planner/undo/dequip-and-space", test_undo_dequip_and_space);
  g_test_add_func ("/move-planner/undo/equip", test_undo_equip);
  g_test_add_func ("/move-planner/undo/batch-and-lock", test_undo_batch_and_lock);
  g_test_add_func ("/move-planner/random", test_random);
  g_test_add_func ("/move-planner/from-bytes", test_from_bytes);
  return g_test_run ();
}
