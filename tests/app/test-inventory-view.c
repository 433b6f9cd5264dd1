/* test-inventory-view.c: the inventory view on the sandbox's demo account:
 * what each cell and card shows, searching, and moving with the keyboard
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-inventory-view"

#include "config.h"

#include <adwaita.h>

#include "qm-bucket-row.h"
#include "qm-character-card.h"
#include "qm-inventory-slot.h"
#include "qm-inventory-view.h"
#include "qm-item-tile.h"
#include "qm-search-bar.h"
#include "qm-test-ui.h"
#include "qm-ui-util.h"
#include "qm-window.h"

#define BUCKET_VAULT      138197802u
#define BUCKET_POSTMASTER 215593132u

/* One window on the demo account for every test: loading it is slow under
 * the sanitizers. */
static QmSandbox      *sandbox;
static QmBungieClient *client;
static QmWindow       *window;

static void
on_painted_cb (QmWindow *self,
               gboolean *done)
{
  *done = TRUE;
}

static void
on_load_failed_cb (QmWindow   *self,
                   const char *message,
                   gboolean   *done)
{
  g_error ("The inventory did not load: %s", message);
}

/* The window on the demo account, loaded and drawn; NULL (skipped) without a display. */
static QmWindow *
get_window (void)
{
  gboolean done = FALSE;

  if (!qm_test_require_display ())
    return NULL;
  if (window != NULL)
    return window;

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  window = qm_window_new (NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  /* Drawn, not only loaded: the keyboard tests need the rows laid out. */
  g_signal_connect (window, "inventory-painted", G_CALLBACK (on_painted_cb), &done);
  g_signal_connect (window, "load-failed", G_CALLBACK (on_load_failed_cb), &done);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  qm_test_wait (&done, 60);
  g_signal_handlers_disconnect_by_data (window, &done);
  qm_test_spin (200);
  return window;
}

static QmProfile *
get_profile (void)
{
  return qm_inventory_get_profile (qm_window_get_inventory (window));
}

static QmInventoryView *
get_view (void)
{
  return qm_window_get_inventory_view (window);
}

/* Where the items belong, worked out here from the items alone. */

static guint
column_by_hand (QmProfile *profile,
                QmItem    *item)
{
  guint n_characters = qm_profile_get_n_characters (profile);

  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_VAULT:
    case QM_ITEM_LOCATION_ACCOUNT:
      return n_characters;
    case QM_ITEM_LOCATION_EQUIPPED:
    case QM_ITEM_LOCATION_INVENTORY:
    case QM_ITEM_LOCATION_POSTMASTER:
    default:
      for (guint i = 0; i < n_characters; i++)
        if (g_strcmp0 (qm_profile_get_character (profile, i)->id, qm_item_get_character_id (item)) == 0)
          return i;
      g_assert_not_reached ();
    }
}

/* The bucket an item is shown under: where it is for a character's, where
 * it would go for the vault's, the postmaster for the postmaster's. */
static guint32
bucket_by_hand (QmItem *item)
{
  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_POSTMASTER:
      return BUCKET_POSTMASTER;
    case QM_ITEM_LOCATION_VAULT:
      return qm_item_get_slot_hash (item);
    case QM_ITEM_LOCATION_EQUIPPED:
    case QM_ITEM_LOCATION_INVENTORY:
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return qm_item_get_bucket_hash (item);
    }
}

static gboolean
in_slot_by_hand (QmItem          *item,
                 QmInventorySlot *slot)
{
  /* Buckets under one heading (the currencies) share a sort key. */
  return qm_bucket_get_sort_key (bucket_by_hand (item)) == qm_inventory_slot_get_key (slot);
}

typedef gboolean (*ItemMatch) (QmItem *item);

static guint
count_by_hand (ItemMatch match)
{
  GListModel *items = qm_profile_get_items (get_profile ());
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (match == NULL || match (item))
        n++;
    }
  return n;
}

/* Every cell holds exactly the items of its column and slot (that @match
 * takes), equipped first then by power; no item is in two cells; empty slots
 * are not shown. Returns how many items the cells hold. */
static guint
check_cells (ItemMatch match)
{
  QmProfile *profile = get_profile ();
  GListModel *items = qm_profile_get_items (profile);
  GListModel *slots = qm_inventory_view_get_slots (get_view ());
  guint n_items = g_list_model_get_n_items (items);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) keys_expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint n_shown = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      gint64 key = qm_bucket_get_sort_key (bucket_by_hand (item));

      if (match == NULL || match (item))
        g_hash_table_add (keys_expected, g_memdup2 (&key, sizeof key));
    }
  g_assert_cmpuint (g_list_model_get_n_items (slots), ==, g_hash_table_size (keys_expected));

  for (guint s = 0; s < g_list_model_get_n_items (slots); s++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, s);
      guint n_in_slot = 0;

      g_assert_cmpuint (qm_inventory_slot_get_n_columns (slot), ==,
                        qm_profile_get_n_characters (profile) + 1);
      for (guint column = 0; column < qm_inventory_slot_get_n_columns (slot); column++)
        {
          GListModel *cell = qm_inventory_slot_get_cell (slot, column);
          guint n_cell = g_list_model_get_n_items (cell);
          guint expected = 0;

          for (guint i = 0; i < n_items; i++)
            {
              g_autoptr(QmItem) item = g_list_model_get_item (items, i);

              if ((match == NULL || match (item)) && column_by_hand (profile, item) == column &&
                  in_slot_by_hand (item, slot))
                expected++;
            }
          g_assert_cmpuint (n_cell, ==, expected);

          for (guint i = 0; i < n_cell; i++)
            {
              g_autoptr(QmItem) item = g_list_model_get_item (cell, i);

              g_assert_cmpuint (column_by_hand (profile, item), ==, column);
              g_assert_true (in_slot_by_hand (item, slot));
              g_assert_false (g_hash_table_contains (seen, item));
              g_hash_table_add (seen, item);
              if (i > 0)
                {
                  g_autoptr(QmItem) before = g_list_model_get_item (cell, i - 1);

                  g_assert_false (!qm_item_get_equipped (before) && qm_item_get_equipped (item));
                  if (qm_item_get_equipped (before) == qm_item_get_equipped (item))
                    g_assert_cmpint (qm_item_get_power (before), >=, qm_item_get_power (item));
                }
            }
          n_in_slot += n_cell;
        }
      g_assert_cmpuint (n_in_slot, >, 0);
      n_shown += n_in_slot;
    }
  return n_shown;
}

static gboolean
is_carried (QmItem *item)
{
  QmItemLocation location = qm_item_get_location (item);

  return location == QM_ITEM_LOCATION_EQUIPPED || location == QM_ITEM_LOCATION_INVENTORY;
}

static void
test_counts (void)
{
  QmProfile *profile;
  QmInventoryView *view;
  QmManifest *manifest;
  GListModel *items;
  GListModel *slots;
  guint n_characters;
  int vault_capacity;
  int postmaster_capacity;
  guint n_vault = 0;
  g_autofree char *vault_text = NULL;

  if (get_window () == NULL)
    return;
  profile = get_profile ();
  view = get_view ();
  manifest = qm_inventory_get_manifest (qm_window_get_inventory (window));
  items = qm_profile_get_items (profile);
  n_characters = qm_profile_get_n_characters (profile);
  g_assert_cmpuint (n_characters, >, 0);

  /* Every item is in exactly one cell, the right one. */
  g_assert_cmpuint (check_cells (NULL), ==, g_list_model_get_n_items (items));

  /* Each character's cards count what it carries and what waits at its postmaster. */
  postmaster_capacity = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, BUCKET_POSTMASTER).value;
  g_assert_cmpuint (qm_inventory_view_get_n_cards (view), ==, n_characters + 1);
  for (guint c = 0; c < n_characters; c++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, c);
      QmCharacterCard *card = QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c));
      guint n_carried = 0;
      guint n_postmaster = 0;
      g_autofree char *count = NULL;
      g_autofree char *postmaster = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (items, i);

          if (g_strcmp0 (qm_item_get_character_id (item), character->id) != 0)
            continue;
          if (is_carried (item))
            n_carried++;
          else if (qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER)
            n_postmaster++;
        }
      count = g_strdup_printf (n_carried == 1 ? "%u item" : "%u items", n_carried);
      g_assert_cmpstr (qm_character_card_get_count (card), ==, count);
      if (n_postmaster > 0)
        {
          g_assert_cmpint (postmaster_capacity, >, 0);
          postmaster = g_strdup_printf ("Postmaster %u / %d", n_postmaster, postmaster_capacity);
        }
      g_assert_cmpstr (qm_character_card_get_postmaster (card), ==, postmaster);
      g_assert_cmpstr (qm_character_card_get_title (card), ==, qm_ui_class_name (character->class_type));
    }

  /* The vault's card: its items against its capacity. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT)
        n_vault++;
    }
  g_assert_cmpuint (n_vault, >, 0);
  vault_capacity = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, BUCKET_VAULT).value;
  g_assert_cmpint (vault_capacity, >, 0);
  vault_text = g_strdup_printf ("%u / %d", n_vault, vault_capacity);
  g_assert_cmpstr (qm_character_card_get_count (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, n_characters))),
                   ==, vault_text);
  g_assert_cmpstr (qm_character_card_get_title (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, n_characters))),
                   ==, "Vault");

  /* The postmaster's row holds each character's postmaster. */
  slots = qm_inventory_view_get_slots (view);
  for (guint s = 0; s < g_list_model_get_n_items (slots); s++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, s);

      if (!qm_inventory_slot_is_postmaster (slot))
        continue;
      for (guint c = 0; c < n_characters; c++)
        {
          const char *text = qm_character_card_get_postmaster (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c)));
          guint n = g_list_model_get_n_items (qm_inventory_slot_get_cell (slot, c));
          g_autofree char *expected = n > 0 ? g_strdup_printf ("Postmaster %u / %d", n, postmaster_capacity) : NULL;

          g_assert_cmpstr (text, ==, expected);
        }
      g_assert_cmpuint (g_list_model_get_n_items (qm_inventory_slot_get_cell (slot, n_characters)), ==, 0);
    }
}

/* Kinetic, energy and power weapons, the armour, the ghost; the postmaster
 * after every other bucket; the account's consumables and mods last. */
static void
test_slot_order (void)
{
  static const guint32 gear[] = {
    1498876634u, 2465295065u, 953998645u, 3448274439u, 3551918588u, 14239492u, 20886954u,
    1585787867u, 4023194814u,
  };
  static const guint32 account[] = { 1469714392u, 3313201758u };
  GListModel *slots;
  guint n_slots;
  guint postmaster = G_MAXUINT;

  if (get_window () == NULL)
    return;
  slots = qm_inventory_view_get_slots (get_view ());
  n_slots = g_list_model_get_n_items (slots);
  g_assert_cmpuint (n_slots, >, G_N_ELEMENTS (gear) + 3);

  for (guint i = 0; i < G_N_ELEMENTS (gear); i++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, i);

      g_assert_cmpuint (qm_inventory_slot_get_bucket_hash (slot), ==, gear[i]);
      g_assert_cmpstr (qm_inventory_slot_get_title (slot), ==, qm_bucket_get_display_name (gear[i]));
    }
  for (guint i = 0; i < n_slots; i++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, i);

      if (qm_inventory_slot_is_postmaster (slot))
        postmaster = i;
    }
  g_assert_cmpuint (postmaster, <, n_slots - G_N_ELEMENTS (account));
  for (guint i = 0; i < G_N_ELEMENTS (account); i++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, postmaster + 1 + i);

      g_assert_cmpuint (qm_inventory_slot_get_bucket_hash (slot), ==, account[i]);
    }
}

/* The search table: each query and, worked out by hand, what it matches. */

static gboolean
match_exotic (QmItem *item)
{
  return qm_item_get_tier_type (item) == 6;
}

static gboolean
match_weapon (QmItem *item)
{
  return qm_item_get_item_type (item) == QM_ITEM_TYPE_WEAPON;
}

static gboolean
match_armor (QmItem *item)
{
  return qm_item_get_item_type (item) == QM_ITEM_TYPE_ARMOR;
}

static gboolean
match_locked (QmItem *item)
{
  return qm_item_get_locked (item);
}

static gboolean
match_unlocked (QmItem *item)
{
  return !qm_item_get_locked (item);
}

static gboolean
match_equipped (QmItem *item)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED;
}

static gboolean
match_vault (QmItem *item)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
}

static gboolean
match_postmaster (QmItem *item)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER;
}

static gboolean
match_power_above_1990 (QmItem *item)
{
  return qm_item_get_power (item) > 1990;
}

static gboolean
match_exotic_or_locked (QmItem *item)
{
  return match_exotic (item) || match_locked (item);
}

static gboolean
match_legendary_weapon_not_locked (QmItem *item)
{
  return match_weapon (item) && qm_item_get_tier_type (item) == 5 && !match_locked (item);
}

static gboolean
match_high_gear (QmItem *item)
{
  return (match_weapon (item) || match_armor (item)) && qm_item_get_power (item) >= 1995;
}

static gboolean
match_nothing (QmItem *item)
{
  return FALSE;
}

/* A name from the demo account and its lower-case form: free text. */
static char *name_word;

static gboolean
match_name_word (QmItem *item)
{
  g_autofree char *name = qm_item_get_name (item) != NULL ? g_utf8_strdown (qm_item_get_name (item), -1) : NULL;

  return name != NULL && strstr (name, name_word) != NULL;
}

static void
test_search (void)
{
  static const struct
  {
    const char *query;
    ItemMatch   match;
  } table[] = {
    { "is:exotic", match_exotic },
    { "is:weapon", match_weapon },
    { "is:armor", match_armor },
    { "is:locked", match_locked },
    { "-is:locked", match_unlocked },
    { "is:equipped", match_equipped },
    { "is:invault", match_vault },
    { "is:inpostmaster", match_postmaster },
    { "power:>1990", match_power_above_1990 },
    { "is:exotic or is:locked", match_exotic_or_locked },
    { "is:weapon is:legendary not is:locked", match_legendary_weapon_not_locked },
    { "(is:weapon or is:armor) power:>=1995", match_high_gear },
    { "power:>99999", match_nothing },
  };
  QmSearchBar *search;
  GListModel *items;
  g_autoptr(QmItem) first_weapon = NULL;
  g_autofree char *word_query = NULL;
  guint n_exotic;

  if (get_window () == NULL)
    return;
  search = qm_window_get_search_bar (window);
  items = qm_window_get_items (window);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      guint expected = count_by_hand (table[i].match);

      g_test_message ("%s: %u items", table[i].query, expected);
      qm_search_bar_set_text (search, table[i].query);
      g_assert_null (qm_search_bar_get_error (search));
      g_assert_cmpuint (g_list_model_get_n_items (items), ==, expected);
      g_assert_cmpuint (check_cells (table[i].match), ==, expected);
      /* The demo account has some of each, except the last. */
      if (table[i].match != match_nothing)
        g_assert_cmpuint (expected, >, 0);
      else
        g_assert_cmpuint (g_list_model_get_n_items (qm_inventory_view_get_slots (get_view ())), ==, 0);
    }

  /* Free text: part of a name, in any case. */
  for (guint i = 0; first_weapon == NULL; i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (qm_profile_get_items (get_profile ()), i);

      g_assert_nonnull (item);
      if (match_weapon (item) && qm_item_get_name (item) != NULL && strlen (qm_item_get_name (item)) > 4)
        first_weapon = g_steal_pointer (&item);
    }
  name_word = g_utf8_strdown (qm_item_get_name (first_weapon), 4);
  word_query = g_ascii_strup (name_word, -1);
  qm_search_bar_set_text (search, word_query);
  g_assert_null (qm_search_bar_get_error (search));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, count_by_hand (match_name_word));
  g_assert_cmpuint (check_cells (match_name_word), >, 0);
  g_clear_pointer (&name_word, g_free);

  /* An invalid query says why and keeps the last good result. */
  qm_search_bar_set_text (search, "is:exotic");
  n_exotic = g_list_model_get_n_items (items);
  qm_search_bar_set_text (search, "is:nosuchthing");
  g_assert_nonnull (qm_search_bar_get_error (search));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, n_exotic);
  g_assert_cmpuint (check_cells (match_exotic), ==, n_exotic);

  qm_search_bar_set_text (search, "");
  qm_test_spin (50);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, count_by_hand (NULL));
  check_cells (NULL);
}

/* How many items a card counts (a character's carried items, the vault's)
 * @match takes; all of them with NULL. */
static guint
count_column_by_hand (guint     column,
                      ItemMatch match)
{
  QmProfile *profile = get_profile ();
  GListModel *items = qm_profile_get_items (profile);
  guint n_characters = qm_profile_get_n_characters (profile);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      QmItemLocation location = qm_item_get_location (item);
      gboolean counted;

      if (column < n_characters)
        counted = location != QM_ITEM_LOCATION_POSTMASTER && location != QM_ITEM_LOCATION_VAULT &&
                  location != QM_ITEM_LOCATION_ACCOUNT &&
                  column_by_hand (profile, item) == column;
      else
        counted = location == QM_ITEM_LOCATION_VAULT;
      if (counted && (match == NULL || match (item)))
        n++;
    }
  return n;
}

/* While a query is in force, each card says how many of its items match. */
static void
test_search_counts (void)
{
  QmSearchBar *search;
  QmInventoryView *view;
  guint n_cards;

  if (get_window () == NULL)
    return;
  search = qm_window_get_search_bar (window);
  view = get_view ();
  n_cards = qm_inventory_view_get_n_cards (view);
  g_assert_cmpuint (n_cards, ==, qm_profile_get_n_characters (get_profile ()) + 1);

  for (guint c = 0; c < n_cards; c++)
    g_assert_null (qm_character_card_get_matches (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c))));

  qm_search_bar_set_text (search, "is:weapon");
  for (guint c = 0; c < n_cards; c++)
    {
      g_autofree char *expected = g_strdup_printf ("%u of %u", count_column_by_hand (c, match_weapon),
                                                   count_column_by_hand (c, NULL));

      g_test_message ("card %u: %s", c, expected);
      g_assert_cmpstr (qm_character_card_get_matches (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c))),
                       ==, expected);
    }

  /* The next query, and an invalid one keeping it. */
  qm_search_bar_set_text (search, "is:exotic");
  qm_search_bar_set_text (search, "is:exot");
  for (guint c = 0; c < n_cards; c++)
    {
      g_autofree char *expected = g_strdup_printf ("%u of %u", count_column_by_hand (c, match_exotic),
                                                   count_column_by_hand (c, NULL));

      g_assert_cmpstr (qm_character_card_get_matches (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c))),
                       ==, expected);
    }

  /* No query: no counts. */
  qm_search_bar_set_text (search, "");
  qm_test_spin (50);
  for (guint c = 0; c < n_cards; c++)
    g_assert_null (qm_character_card_get_matches (QM_CHARACTER_CARD (qm_inventory_view_get_card (view, c))));
}

/* Keys, as the view's key handler gets them. */
static gboolean
press (guint           keyval,
       GdkModifierType state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (get_view ()));
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  gboolean handled = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          found = TRUE;
        }
    }
  g_assert_true (found);
  /* A row that was out of sight is scrolled to, then focused on a later
   * frame: wait a little when the focus did not move at once. */
  if (gtk_root_get_focus (GTK_ROOT (window)) == focus)
    {
      gboolean timed_out = FALSE;
      guint id = g_timeout_add (300, qm_test_flag_cb, &timed_out);

      while (!timed_out && gtk_root_get_focus (GTK_ROOT (window)) == focus)
        g_main_context_iteration (NULL, TRUE);
      if (!timed_out)
        g_source_remove (id);
    }
  return handled;
}

/* qm_inventory_view_focus_first_tile() focuses once the rows are laid out. */
static void
focus_first_tile (void)
{
  gboolean timed_out = FALSE;
  guint id;

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  g_assert_true (qm_inventory_view_focus_first_tile (get_view ()));
  id = g_timeout_add_seconds (10, qm_test_flag_cb, &timed_out);
  while (!timed_out && !QM_IS_ITEM_TILE (gtk_root_get_focus (GTK_ROOT (window))))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static QmItemTile *
focused_tile (void)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_true (QM_IS_ITEM_TILE (focus));
  return QM_ITEM_TILE (focus);
}

static QmInventorySlot *
focused_slot (void)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (focused_tile ()), QM_TYPE_BUCKET_ROW);

  g_assert_nonnull (row);
  return qm_bucket_row_get_slot (QM_BUCKET_ROW (row));
}

static void
collect_tiles (GtkWidget *widget,
               guint     *n)
{
  if (QM_IS_ITEM_TILE (widget))
    (*n)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_tiles (child, n);
}

/* From the first tile, Left and Right go through each row and Down to the
 * next: every tile is reached once the bottom is. */
static void
test_keyboard_arrows (void)
{
  g_autoptr(GHashTable) items = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) slots = g_hash_table_new (NULL, NULL);
  g_autoptr(QmInventorySlot) first_slot = NULL;
  guint n_tiles = 0;
  guint n_items;

  if (get_window () == NULL)
    return;
  n_items = g_list_model_get_n_items (qm_window_get_items (window));
  collect_tiles (GTK_WIDGET (get_view ()), &n_tiles);
  /* GTK 4.8 builds up to 200 rows: every tile is there. */
  g_assert_cmpuint (n_tiles, ==, n_items);

  focus_first_tile ();
  for (;;)
    {
      QmInventorySlot *slot = focused_slot ();
      QmItemTile *before;

      g_hash_table_add (slots, slot);
      /* To the start of the row, then along it. */
      do
        before = focused_tile ();
      while (press (GDK_KEY_Left, 0) && focused_tile () != before);
      for (;;)
        {
          g_assert_true (focused_slot () == slot);
          g_hash_table_add (items, qm_item_tile_get_item (focused_tile ()));
          before = focused_tile ();
          g_assert_true (press (GDK_KEY_Right, 0));
          if (focused_tile () == before)
            break;
        }
      /* Down, through the lines of a cell that wraps, into the next row. */
      do
        {
          before = focused_tile ();
          g_assert_true (press (GDK_KEY_Down, 0));
        }
      while (focused_tile () != before && focused_slot () == slot);
      if (focused_slot () == slot)
        break;
    }
  g_assert_cmpuint (g_hash_table_size (slots), ==,
                    g_list_model_get_n_items (qm_inventory_view_get_slots (get_view ())));
  g_assert_cmpuint (g_hash_table_size (items), ==, n_items);

  /* Up goes back the same way, to the first row. */
  first_slot = g_list_model_get_item (qm_inventory_view_get_slots (get_view ()), 0);
  for (guint i = 0; i < 1000 && focused_slot () != first_slot; i++)
    g_assert_true (press (GDK_KEY_Up, 0));
  g_assert_true (focused_slot () == first_slot);
}

/* Tab and Shift+Tab go from cell to cell, row after row. */
static void
test_keyboard_tab (void)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(QmInventorySlot) first_slot = NULL;
  QmItemTile *first_tile;
  g_autofree char *first_id = NULL;
  GListModel *slots;
  guint n_cells = 0;

  if (get_window () == NULL)
    return;
  slots = qm_inventory_view_get_slots (get_view ());
  for (guint s = 0; s < g_list_model_get_n_items (slots); s++)
    {
      g_autoptr(QmInventorySlot) slot = g_list_model_get_item (slots, s);

      for (guint c = 0; c < qm_inventory_slot_get_n_columns (slot); c++)
        if (g_list_model_get_n_items (qm_inventory_slot_get_cell (slot, c)) > 0)
          n_cells++;
    }

  focus_first_tile ();
  first_tile = focused_tile ();
  /* By its item: a refresh (every 30 s, and a slow build takes that long
   * here) puts new tiles in place. */
  first_id = g_strdup (qm_item_get_instance_id (qm_item_tile_get_item (first_tile)));
  for (;;)
    {
      GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (focused_tile ()), QM_TYPE_BUCKET_ROW);
      guint column;
      guint index;

      g_assert_true (qm_bucket_row_locate_tile (QM_BUCKET_ROW (row), GTK_WIDGET (focused_tile ()),
                                                &column, &index));
      /* The first tile of each cell. */
      g_assert_cmpuint (index, ==, 0);
      /* (A row scrolled to may take longer than a key press waits.) */
      g_hash_table_add (visited, g_strdup_printf ("%p/%u", focused_slot (), column));
      if (!press (GDK_KEY_Tab, 0))
        break;
    }
  g_assert_cmpuint (g_hash_table_size (visited), ==, n_cells);

  /* Shift+Tab comes back to the first cell, then leaves the view. */
  first_slot = g_list_model_get_item (slots, 0);
  for (guint i = 1; i < n_cells; i++)
    g_assert_true (press (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_true (focused_slot () == first_slot);
  g_assert_cmpstr (qm_item_get_instance_id (qm_item_tile_get_item (focused_tile ())), ==, first_id);
  g_assert_false (press (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
}

static gboolean
wait_narrow (QmInventoryView *view,
             gboolean         narrow)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, qm_test_flag_cb, &timed_out);

  while (qm_inventory_view_get_narrow (view) != narrow && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_test_message ("view %d px wide, window surface %d px",
                  gtk_widget_get_width (GTK_WIDGET (view)),
                  gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))));
  /* The rows follow on the next frames. */
  qm_test_spin (300);
  return !timed_out;
}

/* Every row shown has one character's cell (the selected one's) and the
 * vault's under it; returns how many rows were looked at. */
static guint
check_narrow_rows (guint selected)
{
  guint n_rows = 0;

  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    GtkWidget *root = GTK_WIDGET (get_view ());
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, root);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *widget = g_queue_pop_head (&queue);

        if (QM_IS_BUCKET_ROW (widget))
          {
            if (gtk_widget_get_mapped (widget) && qm_bucket_row_get_slot (QM_BUCKET_ROW (widget)) != NULL)
              g_ptr_array_add (rows, widget);
            continue;
          }
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_queue_push_tail (&queue, child);
      }

    for (guint r = 0; r < rows->len; r++)
      {
        QmBucketRow *row = g_ptr_array_index (rows, r);
        QmInventorySlot *slot = qm_bucket_row_get_slot (row);
        guint n_characters = qm_inventory_slot_get_n_characters (slot);
        guint n_cells = qm_bucket_row_get_n_cells (row);
        GtkWidget *vault;
        GtkWidget *character;
        graphene_rect_t vault_bounds;
        graphene_rect_t character_bounds;

        if (n_cells <= n_characters)
          continue;
        for (guint c = 0; c < n_characters; c++)
          g_assert_cmpint (gtk_widget_get_visible (qm_bucket_row_get_cell (row, c)), ==, c == selected);
        character = qm_bucket_row_get_cell (row, selected);
        vault = qm_bucket_row_get_cell (row, n_characters);
        g_assert_true (gtk_widget_get_visible (vault));
        g_assert_true (gtk_widget_compute_bounds (character, GTK_WIDGET (row), &character_bounds));
        g_assert_true (gtk_widget_compute_bounds (vault, GTK_WIDGET (row), &vault_bounds));
        /* One column: the vault's under the character's, as wide. */
        g_assert_cmpfloat (vault_bounds.origin.y, >=, character_bounds.origin.y + character_bounds.size.height);
        g_assert_cmpfloat (vault_bounds.size.width, ==, character_bounds.size.width);
        n_rows++;
      }
  }
  return n_rows;
}

/* At 600 px the window fits: one character at a time, then the vault. */
static void
test_narrow (void)
{
  QmInventoryView *view;
  QmProfile *profile;
  g_autofree char *selected = NULL;
  int minimum = 0;
  guint first;

  if (get_window () == NULL)
    return;
  view = get_view ();
  profile = get_profile ();
  g_assert_false (qm_inventory_view_get_narrow (view));
  selected = g_strdup (qm_inventory_view_get_selected_character (view));
  for (first = 0; first < qm_profile_get_n_characters (profile); first++)
    if (g_strcmp0 (qm_profile_get_character (profile, first)->id, selected) == 0)
      break;
  g_assert_cmpuint (first, <, qm_profile_get_n_characters (profile));

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("the window needs %d px", minimum);
  g_assert_cmpint (minimum, <=, 600);

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
  g_assert_true (wait_narrow (view, TRUE));
  /* The window's surface is 600 px wide, its frame included. */
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), <=, 600);
  g_assert_cmpuint (check_narrow_rows (first), >, 0);

  /* Another character: its cells instead. */
  qm_inventory_view_set_selected_character (view, qm_profile_get_character (profile, (first + 1) % 3)->id);
  qm_test_spin (300);
  g_assert_cmpuint (check_narrow_rows ((first + 1) % 3), >, 0);
  qm_inventory_view_set_selected_character (view, selected);

  /* Wide again: every column side by side. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wait_narrow (view, FALSE));
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, 1280);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/inventory-view/counts", test_counts);
  g_test_add_func ("/inventory-view/slot-order", test_slot_order);
  g_test_add_func ("/inventory-view/search-counts", test_search_counts);
  g_test_add_func ("/inventory-view/search", test_search);
  g_test_add_func ("/inventory-view/keyboard-arrows", test_keyboard_arrows);
  g_test_add_func ("/inventory-view/keyboard-tab", test_keyboard_tab);
  g_test_add_func ("/inventory-view/narrow", test_narrow);

  status = g_test_run ();
  if (window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_clear_object (&client);
  g_clear_object (&sandbox);
  return status;
}
