/* replay.c: run a fuzz target over files and directories of inputs
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The normal suite's side of the fuzz targets: every seed and every input
 * that once crashed a target is run again on each build (ASan and UBSan
 * watch in the sanitizer build).
 */

#include "config.h"

#include <stdlib.h>

#include "fuzz-target.h"

static guint
run_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_build_filename (path, name, NULL));
      for (guint i = 0; i < names->len; i++)
        n += run_path (g_ptr_array_index (names, i));
      return n;
    }
  if (!g_file_get_contents (path, &contents, &size, &error))
    g_error ("%s", error->message);
  /* A private copy of the exact size: ASan sees any read past the end. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, size);

    LLVMFuzzerTestOneInput (copy, size);
  }
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
      n += run_path (argv[i]);
  if (n == 0)
    {
      g_printerr ("no inputs in the given paths\n");
      return EXIT_FAILURE;
    }
  g_print ("%u inputs ran\n", n);
  return EXIT_SUCCESS;
}
