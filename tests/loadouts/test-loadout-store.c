/* test-loadout-store.c: the saved loadouts file: round trip, damage, crashes
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qm-loadout-store.h"
#include "qm-test-utils.h"

static char *
test_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "loadout-tests", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

static GPtrArray *
list_dir_matching (const char *path,
                   const char *infix)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, base) && strstr (name + strlen (base), infix) != NULL)
      g_ptr_array_add (found, g_build_filename (dir, name, NULL));
  return found;
}

static void
fill_store (QmLoadoutStore *store,
            guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Loadout %02u", i);
      QmLoadoutItem items[3] = {
        { 6917529100000000001 + i * 3, 1000 + i, TRUE },
        { 6917529100000000002 + i * 3, 2000 + i, TRUE },
        { 6917529100000000003 + i * 3, 3000 + i, FALSE },
      };
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (qm_loadout_store_create (store, name, i % 4, items, G_N_ELEMENTS (items), &error));
      g_assert_no_error (error);
    }
}

static void
test_round_trip (void)
{
  g_autofree char *path = test_path ("round-trip.json");
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(QmLoadoutStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmUndoEntry) entry = qm_undo_entry_new ("Raid", 1700000000);
  QmUndoItem undo_item = { 6917529100000000001, 77, QM_UNDO_PLACE_EQUIPPED, 2305843009300000001 };
  QmUndoItem vault_item = { 6917529100000000009, 78, QM_UNDO_PLACE_VAULT, 0 };
  QmSavedLoadout *loadout;
  GPtrArray *stack;
  GStatBuf st;
  g_autofree char *title = NULL;

  g_unlink (path);
  store = qm_loadout_store_new_for_path (path);
  g_assert_false (qm_loadout_store_get_damaged (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  fill_store (store, 3);

  /* Private: readable by its owner only. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_array_append_val (entry->items, undo_item);
  g_array_append_val (entry->items, vault_item);
  g_assert_true (qm_loadout_store_push_undo (store, 2305843009300000001, qm_undo_entry_copy (entry), &error));
  g_assert_no_error (error);

  /* A name is unique; a rename re-sorts. */
  g_assert_null (qm_loadout_store_create (store, "Loadout 01", 3, NULL, 0, &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (qm_loadout_store_create (store, "   ", 3, NULL, 0, &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_INVALID);
  g_clear_error (&error);
  loadout = qm_loadout_store_find (store, "Loadout 00");
  g_assert_true (qm_loadout_store_rename (store, loadout, "Zzz last", &error));
  g_assert_no_error (error);
  {
    g_autoptr(QmSavedLoadout) last = g_list_model_get_item (G_LIST_MODEL (store), 2);

    g_assert_true (last == loadout);
  }

  /* Read back from the file: the same. */
  again = qm_loadout_store_new_for_path (path);
  g_assert_false (qm_loadout_store_get_damaged (again));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  loadout = qm_loadout_store_find (again, "Zzz last");
  g_assert_nonnull (loadout);
  g_assert_cmpint (qm_saved_loadout_get_class_type (loadout), ==, 0);
  g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), ==, 3);
  g_assert_cmpuint (qm_saved_loadout_get_item (loadout, 0)->instance_id, ==, 6917529100000000001);
  g_assert_cmpuint (qm_saved_loadout_get_item (loadout, 0)->hash, ==, 1000);
  g_assert_true (qm_saved_loadout_get_item (loadout, 1)->equip);
  g_assert_false (qm_saved_loadout_get_item (loadout, 2)->equip);
  stack = qm_loadout_store_get_undo (again, 2305843009300000001);
  g_assert_nonnull (stack);
  g_assert_cmpuint (stack->len, ==, 1);
  title = qm_undo_entry_dup_title (g_ptr_array_index (stack, 0));
  g_assert_cmpstr (title, ==, "Before “Raid”");
  g_assert_cmpuint (((QmUndoEntry *) g_ptr_array_index (stack, 0))->items->len, ==, 2);
  g_assert_cmpint (g_array_index (((QmUndoEntry *) g_ptr_array_index (stack, 0))->items, QmUndoItem, 1).place,
                   ==, QM_UNDO_PLACE_VAULT);

  /* Edits: add (a drop), remove, delete. */
  {
    QmLoadoutItem more[] = { { 42, 7, TRUE }, { 6917529100000000001, 1000, TRUE } };

    g_assert_true (qm_loadout_store_add_items (again, loadout, more, G_N_ELEMENTS (more), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), ==, 4);   /* the duplicate is not added */
    g_assert_true (qm_loadout_store_remove_item (again, loadout, 42, &error));
    g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), ==, 3);
    g_assert_true (qm_loadout_store_delete (again, qm_loadout_store_find (again, "Loadout 01"), &error));
    g_assert_no_error (error);
  }
  g_clear_object (&store);
  store = qm_loadout_store_new_for_path (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_null (qm_loadout_store_find (store, "Loadout 01"));
}

static void
test_undo_depth (void)
{
  g_autofree char *path = test_path ("depth.json");
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *stack;

  g_unlink (path);
  store = qm_loadout_store_new_for_path (path);
  for (int i = 0; i < QM_LOADOUT_UNDO_DEPTH + 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("L%d", i);

      g_assert_true (qm_loadout_store_push_undo (store, 7, qm_undo_entry_new (name, i), &error));
      g_assert_no_error (error);
    }
  stack = qm_loadout_store_get_undo (store, 7);
  g_assert_cmpuint (stack->len, ==, QM_LOADOUT_UNDO_DEPTH);
  g_assert_cmpstr (((QmUndoEntry *) g_ptr_array_index (stack, 0))->name, ==, "L3");
  g_assert_true (qm_loadout_store_drop_undo (store, 7, stack->len - 1, &error));
  g_clear_object (&store);
  store = qm_loadout_store_new_for_path (path);
  stack = qm_loadout_store_get_undo (store, 7);
  g_assert_cmpuint (stack->len, ==, QM_LOADOUT_UNDO_DEPTH - 1);
  g_assert_cmpstr (((QmUndoEntry *) g_ptr_array_index (stack, stack->len - 1))->name, ==, "L6");
}

static void
test_export_import (void)
{
  g_autofree char *path = test_path ("export.json");
  g_autofree char *file = test_path ("one-loadout.json");
  g_autofree char *bad = test_path ("not-a-loadout.json");
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  QmSavedLoadout *imported;

  g_unlink (path);
  store = qm_loadout_store_new_for_path (path);
  fill_store (store, 2);
  g_assert_true (qm_loadout_store_export (store, qm_loadout_store_find (store, "Loadout 01"), file, &error));
  g_assert_no_error (error);

  /* Imported under a free name; items and class kept. */
  imported = qm_loadout_store_import (store, file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qm_saved_loadout_get_name (imported), ==, "Loadout 01 (2)");
  g_assert_cmpint (qm_saved_loadout_get_class_type (imported), ==, 1);
  g_assert_cmpuint (qm_saved_loadout_get_n_items (imported), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);

  g_assert_true (g_file_set_contents (bad, "<html>502</html>", -1, NULL));
  g_assert_null (qm_loadout_store_import (store, bad, &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "imported"));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
}

/* A file that is not loadouts at all: a clear error, the file kept as it
 * was (and a copy aside), nothing written over it until the user decides. */
static void
test_corrupt_whole (void)
{
  g_autofree char *path = test_path ("corrupt.json");
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  g_autofree char *content = NULL;
  g_autofree char *copy = NULL;
  const char *garbage = "{\"version\": 1, \"loadouts\": [{\"id\": \"a\", \"na";

  g_unlink (path);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = qm_loadout_store_new_for_path (path);
  g_assert_true (qm_loadout_store_get_damaged (store));
  g_assert_nonnull (strstr (qm_loadout_store_get_damage_message (store), "cannot be read"));
  g_assert_nonnull (strstr (qm_loadout_store_get_damage_message (store), ".damaged-"));

  g_assert_null (qm_loadout_store_create (store, "New", 3, NULL, 0, &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (qm_loadout_store_push_undo (store, 1, qm_undo_entry_new ("x", 0), &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, garbage);
  copies = list_dir_matching (path, ".damaged-");
  g_assert_cmpuint (copies->len, ==, 1);
  g_assert_true (g_file_get_contents (g_ptr_array_index (copies, 0), &copy, NULL, NULL));
  g_assert_cmpstr (copy, ==, garbage);

  /* The user decides to start over: the copy stays. */
  g_assert_true (qm_loadout_store_resolve_damage (store, &error));
  g_assert_no_error (error);
  g_assert_nonnull (qm_loadout_store_create (store, "New", 3, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (g_ptr_array_index (copies, 0), G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  store = qm_loadout_store_new_for_path (path);
  g_assert_false (qm_loadout_store_get_damaged (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

/* One damaged entry: the others are shown, the file is kept. */
static void
test_corrupt_entry (void)
{
  g_autofree char *path = test_path ("one-bad.json");
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  const char *text =
    "{\"version\":1,\"loadouts\":["
    "{\"id\":\"a\",\"name\":\"Good\",\"class\":3,\"items\":[{\"id\":\"101\",\"hash\":5,\"equip\":true}]},"
    "{\"id\":\"b\",\"name\":\"Bad\",\"class\":9,\"items\":[]},"
    "{\"id\":\"c\",\"name\":\"Also good\",\"class\":1,\"items\":[{\"id\":\"102\",\"hash\":6}]},"
    "{\"id\":\"d\",\"name\":\"Bad item\",\"class\":1,\"items\":[{\"id\":\"x\"}]}],"
    "\"undo\":{\"7\":[{\"name\":\"Good\",\"time\":1,\"items\":[{\"id\":\"101\",\"hash\":5,\"place\":\"nowhere\",\"owner\":\"7\"}]}]}}";

  g_unlink (path);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  store = qm_loadout_store_new_for_path (path);
  g_assert_true (qm_loadout_store_get_damaged (store));
  g_assert_nonnull (strstr (qm_loadout_store_get_damage_message (store), "3 entries"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (qm_loadout_store_find (store, "Good"));
  g_assert_nonnull (qm_loadout_store_find (store, "Also good"));
  g_assert_false (qm_loadout_store_delete (store, qm_loadout_store_find (store, "Good"), &error));
  g_assert_error (error, QM_LOADOUT_ERROR, QM_LOADOUT_ERROR_READ_ONLY);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, text);
}

static void
test_hostile_files (void)
{
  g_autofree char *path = test_path ("hostile.json");
  const char *texts[] = {
    "", "null", "[]", "{}", "{\"version\":2,\"loadouts\":[]}", "{\"version\":1}",
    "\xff\xfe{", "{\"version\":1,\"loadouts\":{}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(QmLoadoutStore) store = NULL;

      g_unlink (path);
      g_assert_true (g_file_set_contents (path, texts[i], -1, NULL));
      store = qm_loadout_store_new_for_path (path);
      g_assert_true (qm_loadout_store_get_damaged (store));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
    }

  /* A directory where the file should be: refused, left alone. */
  g_unlink (path);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  {
    g_autoptr(QmLoadoutStore) store = qm_loadout_store_new_for_path (path);
    g_autoptr(GError) error = NULL;

    g_assert_true (qm_loadout_store_get_damaged (store));
    g_assert_null (qm_loadout_store_create (store, "x", 3, NULL, 0, &error));
    g_assert_nonnull (error);
  }
  g_rmdir (path);
}

/* A writer killed at random moments: the file is always the old one or
 * the new one, whole. */
static void
test_crash_mid_write (void)
{
  g_autofree char *path = test_path ("crash.json");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  guint last_seen = 0;

  g_unlink (path);
  {
    g_autoptr(QmLoadoutStore) store = qm_loadout_store_new_for_path (path);

    fill_store (store, 40);   /* a file of some size: writes take a while */
  }

  for (int round = 0; round < 25; round++)
    {
      int ready[2];
      char byte;
      pid_t pid;
      int status = 0;

      g_assert_cmpint (pipe (ready), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          /* The writer: rename loadouts forever, saying when the first
           * write is done. */
          QmLoadoutStore *store = qm_loadout_store_new_for_path (path);

          close (ready[0]);
          for (guint n = 0;; n++)
            {
              QmSavedLoadout *loadout = g_list_model_get_item (G_LIST_MODEL (store), n % 40);
              g_autofree char *name = g_strdup_printf ("%s.", qm_saved_loadout_get_name (loadout));

              if (!qm_loadout_store_rename (store, loadout, name, NULL))
                _exit (3);
              g_object_unref (loadout);
              if (n == 0 && write (ready[1], "w", 1) != 1)
                _exit (4);
            }
        }
      close (ready[1]);
      /* Killed somewhere in a later write, at a random moment. */
      g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
      close (ready[0]);
      g_usleep (g_rand_int_range (rand, 0, 40000));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));

      {
        g_autoptr(QmLoadoutStore) store = qm_loadout_store_new_for_path (path);
        guint dots = 0;

        g_assert_false (qm_loadout_store_get_damaged (store));
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 40);
        for (guint i = 0; i < 40; i++)
          {
            g_autoptr(QmSavedLoadout) loadout = g_list_model_get_item (G_LIST_MODEL (store), i);
            const char *name = qm_saved_loadout_get_name (loadout);

            g_assert_true (g_str_has_prefix (name, "Loadout "));
            g_assert_cmpuint (qm_saved_loadout_get_n_items (loadout), ==, 3);
            dots += (guint) (strlen (name) - strlen ("Loadout 00"));
          }
        /* Progress is never lost once written. */
        g_assert_cmpuint (dots, >=, last_seen);
        last_seen = dots;
      }
    }
  g_test_message ("%u renames survived 25 kills", last_seen);
  g_assert_cmpuint (last_seen, >, 0);
}

static void
test_parse_pure (void)
{
  const char *text = "{\"version\":1,\"loadouts\":[{\"id\":\"a\",\"name\":\"N\",\"class\":2,"
                     "\"items\":[{\"id\":\"6917529100000000001\",\"hash\":4294967295,\"equip\":true},"
                     "{\"id\":\"6917529100000000001\",\"hash\":1}]}]}";
  g_autoptr(GPtrArray) loadouts = NULL;
  g_autoptr(GHashTable) undo = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GHashTable) back_undo = NULL;
  g_autoptr(GError) error = NULL;
  guint n_damaged = 99;
  gsize size;
  const guint8 *data;

  g_assert_true (qm_loadout_file_parse ((const guint8 *) text, strlen (text), &loadouts, &undo, &n_damaged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_damaged, ==, 0);
  g_assert_cmpuint (loadouts->len, ==, 1);
  g_assert_cmpuint (qm_saved_loadout_get_n_items (g_ptr_array_index (loadouts, 0)), ==, 1);
  g_assert_cmpuint (qm_saved_loadout_get_item (g_ptr_array_index (loadouts, 0), 0)->hash, ==, 4294967295u);

  bytes = qm_loadout_file_serialize (loadouts, undo);
  data = g_bytes_get_data (bytes, &size);
  g_assert_true (qm_loadout_file_parse (data, size, &back, &back_undo, NULL, &error));
  g_assert_cmpstr (qm_saved_loadout_get_name (g_ptr_array_index (back, 0)), ==, "N");
  g_assert_cmpint (qm_saved_loadout_get_class_type (g_ptr_array_index (back, 0)), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/loadout-store/parse", test_parse_pure);
  g_test_add_func ("/loadout-store/round-trip", test_round_trip);
  g_test_add_func ("/loadout-store/undo-depth", test_undo_depth);
  g_test_add_func ("/loadout-store/export-import", test_export_import);
  g_test_add_func ("/loadout-store/corrupt/whole", test_corrupt_whole);
  g_test_add_func ("/loadout-store/corrupt/entry", test_corrupt_entry);
  g_test_add_func ("/loadout-store/corrupt/hostile", test_hostile_files);
  g_test_add_func ("/loadout-store/crash-mid-write", test_crash_mid_write);

  return g_test_run ();
}
