/* bench-launch.c: `quartermaster --sandbox` from launch to the inventory painted, and its RSS
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app as a user starts it, on the display of $DISPLAY (Xvfb in CI),
 * with the built-in sandbox and warm caches (manifest and icons): one run
 * to warm them, then N timed runs. The app's test mode prints
 * "QM-PAINTED t=<µs>" on the first frame drawn with the inventory, t being
 * g_get_monotonic_time() (CLOCK_MONOTONIC, the same clock as here), so the
 * launch time is t minus the moment the process was spawned; the CPU time
 * the app has used by then is read too (on a busy machine the wall time
 * waits for the processor, the CPU time does not). A second after that
 * frame the process's VmRSS is read: its steady resident set. Reports the
 * medians. Exits 77 (skipped) without a display.
 *
 * bench-launch [--runs N] [--app PATH]; PATH defaults to
 * $QM_BUILD_ROOT/src/quartermaster. GSK_RENDERER defaults to cairo.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long the app stays after loading: long enough to be measured. */
#define LINGER_MS        1500
/* When its resident set is read, after the first frame. */
#define RSS_DELAY_MS     1000
#define EXIT_SKIP          77

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

/* VmRSS of @pid in MiB; 0 when it cannot be read. */
static double
read_rss_mib (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "status", NULL);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return 0;
  /* "VmRSS:   123456 kB" */
  return g_ascii_strtod (line + strlen ("\nVmRSS:"), NULL) / 1024;
}

/* User and system time @pid has used, in ms; 0 when it cannot be read. */
static double
read_cpu_ms (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "stat", NULL);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;
  /* "pid (comm) state ppid …": utime and stime are the 14th and 15th
   * fields, the 12th and 13th after the command's closing parenthesis. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000 /
         sysconf (_SC_CLK_TCK);
}

static gboolean
on_rss_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* One launch: from spawn to the first frame with the inventory (ms), the
 * CPU time used by then (ms), and the resident set a moment later (MiB). */
static void
run_once (const char * const *argv,
          char              **envp,
          double             *launch_ms,
          double             *cpu_ms,
          double             *rss_mib)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  gboolean elapsed = FALSE;
  gint64 start;
  gint64 painted = 0;
  char *line;

  g_subprocess_launcher_set_environ (launcher, envp);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("Cannot run %s: %s", argv[0], error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while (painted == 0 && (line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "QM-PAINTED t="))
        painted = g_ascii_strtoll (line + strlen ("QM-PAINTED t="), NULL, 10);
      else if (g_str_has_prefix (line, "QM-ERROR") || g_str_has_prefix (line, "QM-SIGNED-OUT"))
        g_error ("The app did not show the inventory: %s", line);
      g_free (line);
    }
  if (painted == 0)
    g_error ("The app never drew its inventory%s%s", error != NULL ? ": " : "",
             error != NULL ? error->message : "");
  *launch_ms = (double) (painted - start) / 1000;
  *cpu_ms = read_cpu_ms (g_subprocess_get_identifier (process));

  /* Settled: loaded, drawn, icons in. */
  g_timeout_add (RSS_DELAY_MS, on_rss_timeout_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
  *rss_mib = read_rss_mib (g_subprocess_get_identifier (process));
  if (*rss_mib == 0)
    g_error ("Could not read the app's resident set (did it quit early?)");

  if (!g_subprocess_wait_check (process, NULL, &error))
    g_error ("%s failed: %s", argv[0], error->message);
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
  g_autofree char *app = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs (default 10)", "N" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The quartermaster program to run", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- quartermaster launch benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *home = NULL;
  g_autofree char *linger = g_strdup_printf ("%d", LINGER_MS);
  g_auto(GStrv) envp = g_get_environ ();
  const char *command[] = { NULL, "--sandbox", NULL };
  double launch_ms;
  double cpu_ms;
  double rss;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-launch: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (runs < 1)
    {
      g_printerr ("bench-launch: --runs takes 1 or more\n");
      return EXIT_FAILURE;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("bench-launch: no display (run it under Xvfb): skipped\n");
      return EXIT_SKIP;
    }
  if (app == NULL)
    {
      const char *root = g_getenv ("QM_BUILD_ROOT");

      if (root == NULL)
        {
          g_printerr ("bench-launch: give --app PATH or set QM_BUILD_ROOT\n");
          return EXIT_FAILURE;
        }
      app = g_build_filename (root, "src", "quartermaster", NULL);
    }
  command[0] = app;

  home = g_dir_make_tmp ("bench-launch-XXXXXX", &error);
  if (home == NULL)
    g_error ("No temporary directory: %s", error->message);
  {
    g_autofree char *cache = g_build_filename (home, "cache", NULL);
    g_autofree char *config = g_build_filename (home, "config", NULL);
    g_autofree char *data = g_build_filename (home, "data", NULL);

    envp = g_environ_setenv (envp, "HOME", home, TRUE);
    envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache, TRUE);
    envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
    envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
  }
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", FALSE);
  envp = g_environ_setenv (envp, "GTK_A11Y", "none", FALSE);
  envp = g_environ_setenv (envp, "QM_TEST_QUIT_AFTER_LOAD_MS", linger, TRUE);

  /* Warm the manifest and icon caches. */
  run_once (command, envp, &launch_ms, &cpu_ms, &rss);
  g_print ("cold start (filling the caches): %.1f ms (CPU %.0f ms), %.1f MiB\n", launch_ms, cpu_ms, rss);
  for (int i = 0; i < runs; i++)
    {
      run_once (command, envp, &launch_ms, &cpu_ms, &rss);
      g_array_append_val (times, launch_ms);
      g_array_append_val (cpu_times, cpu_ms);
      g_array_append_val (sizes, rss);
    }
  remove_tree (home);

  /* (median() sorts: first and last are then the extremes.) */
  launch_ms = median (times);
  cpu_ms = median (cpu_times);
  rss = median (sizes);
  g_print ("quartermaster --sandbox, launch to inventory painted, warm caches, %d runs\n", runs);
  g_print ("  launch to painted, median:   %8.1f ms (fastest %.1f, slowest %.1f)\n", launch_ms,
           g_array_index (times, double, 0), g_array_index (times, double, times->len - 1));
  g_print ("  CPU time by then, median:    %8.1f ms\n", cpu_ms);
  g_print ("  steady resident set, median: %8.1f MiB (largest %.1f MiB)\n", rss,
           g_array_index (sizes, double, sizes->len - 1));
  return EXIT_SUCCESS;
}
