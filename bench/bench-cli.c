/* bench-cli.c: `quartermaster-cli --sandbox inventory --json`, wall time and RSS
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole command as a user runs it, the built-in sandbox's start-up
 * included, with a warm manifest cache: one run to warm it (checked to
 * print the inventory), then the median wall time of N runs, and the
 * largest resident set of the process (its steady size: the CLI ends
 * holding everything it loaded). The caches live in a temporary
 * XDG_CACHE_HOME.
 *
 * bench-cli [--runs N] [--cli PATH]; PATH defaults to
 * $QM_BUILD_ROOT/src/cli/quartermaster-cli.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

/* One run: its wall time (s) and peak resident set (MiB). */
static void
run_once (const char * const *argv,
          char              **envp,
          double             *seconds,
          double             *rss_mib)
{
  g_autoptr(GError) error = NULL;
  struct rusage usage = { 0 };
  gint64 start = g_get_monotonic_time ();
  GPid pid;
  int status = 0;

  if (!g_spawn_async (NULL, (char **) argv, envp,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    g_error ("Cannot run %s: %s", argv[0], error->message);
  if (wait4 (pid, &status, 0, &usage) != pid)
    g_error ("wait4 failed");
  *seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s", argv[0], error->message);
  /* ru_maxrss is in KiB on Linux. */
  *rss_mib = (double) usage.ru_maxrss / 1024;
  g_spawn_close_pid (pid);
}

/* The warming run, whose output must be the inventory. */
static void
warm (const char * const *argv,
      char              **envp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *root;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err != NULL ? err : "");
  if (!json_parser_load_from_data (parser, out, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("The CLI printed no inventory: %s", error != NULL ? error->message : out);
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_array_get_length (json_object_get_array_member (root, "vault")) == 0)
    g_error ("The CLI printed an empty vault");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  int runs = 10;
  g_autofree char *cli = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs (default 10)", "N" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "The quartermaster-cli to run", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- quartermaster-cli benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *home = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *config = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *command[] = { NULL, "--sandbox", "inventory", "--json", NULL };
  double largest = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-cli: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (runs < 1)
    {
      g_printerr ("bench-cli: --runs takes 1 or more\n");
      return EXIT_FAILURE;
    }
  if (cli == NULL)
    {
      const char *root = g_getenv ("QM_BUILD_ROOT");

      if (root == NULL)
        {
          g_printerr ("bench-cli: give --cli PATH or set QM_BUILD_ROOT\n");
          return EXIT_FAILURE;
        }
      cli = g_build_filename (root, "src", "cli", "quartermaster-cli", NULL);
    }
  command[0] = cli;

  home = g_dir_make_tmp ("bench-cli-XXXXXX", &error);
  if (home == NULL)
    g_error ("No temporary directory: %s", error->message);
  cache = g_build_filename (home, "cache", NULL);
  config = g_build_filename (home, "config", NULL);
  envp = g_environ_setenv (envp, "HOME", home, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);

  warm (command, envp);
  for (int i = 0; i < runs; i++)
    {
      double seconds, rss;

      run_once (command, envp, &seconds, &rss);
      g_array_append_val (times, seconds);
      g_array_append_val (sizes, rss);
      largest = MAX (largest, rss);
    }
  remove_tree (home);

  g_print ("quartermaster-cli --sandbox inventory --json, warm manifest cache, %d runs\n", runs);
  g_print ("  wall time, median:        %8.1f ms\n", median (times) * 1000);
  g_print ("  resident set, median:     %8.1f MiB (largest %.1f MiB)\n", median (sizes), largest);
  return EXIT_SUCCESS;
}
