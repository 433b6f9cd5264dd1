/* test-settings.c: the settings of a program run from the build directory,
 * and the autostart entry naming the program that runs
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include "qm-preferences-window.h"
#include "qm-test-ui.h"
#include "qm-test-utils.h"
#include "qm-ui-util.h"
#include "qm-window.h"

/* GTK starts inside the first test that needs it, in the isolated dirs. */
static gboolean
require_display (void)
{
  static int have_display = -1;

  if (have_display < 0)
    {
      have_display = gtk_init_check ();
      if (have_display)
        adw_init ();
    }
  if (!have_display)
    g_test_skip ("no display to open windows on");
  return have_display;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_close (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* No GSETTINGS_SCHEMA_DIR (main() drops it), as when the README's first
 * command runs the program from the build directory. */
static void
test_build_schema (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *language = NULL;

  g_assert_null (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_assert_true (qm_ui_running_from_build_dir ());
  settings = qm_ui_settings_new ();
  g_assert_nonnull (settings);
  g_settings_set_string (settings, "manifest-language", "de");
  g_clear_object (&settings);
  settings = qm_ui_settings_new ();
  language = g_settings_get_string (settings, "manifest-language");
  g_assert_cmpstr (language, ==, "de");
  g_settings_reset (settings, "manifest-language");
}

/* The window's size is kept from one window to the next. */
static void
test_window_size_kept (void)
{
  QmWindow *window;
  int width = 0;
  int height = 0;

  if (!require_display ())
    return;

  window = qm_window_new (NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 666);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  close_window (GTK_WINDOW (window));

  window = qm_window_new (NULL, NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1111);
  g_assert_cmpint (height, ==, 666);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_label_with_prefix (GtkWidget  *widget,
                       const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_with_prefix (child, prefix))
      return TRUE;
  return FALSE;
}

/* Without a schema the window says that settings are not kept. */
static void
test_missing_schema_said (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-such-schema-dir", NULL);
  g_autoptr(GSettings) settings = NULL;
  QmWindow *window;

  if (!require_display ())
    return;

  qm_ui_settings_set_build_schema_dir (missing);
  settings = qm_ui_settings_new ();
  g_assert_null (settings);
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (has_label_with_prefix (GTK_WIDGET (window), "Settings are not kept"));
  gtk_window_destroy (GTK_WINDOW (window));
  qm_ui_settings_set_build_schema_dir (NULL);

  /* With one, nothing is said. */
  window = qm_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (has_label_with_prefix (GTK_WIDGET (window), "Settings are not kept"));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* What the session runs from the entry's Exec: the entry written and read
 * back, its Exec split as the Desktop Entry Specification says (quoting as
 * in the shell's double quotes; "%%" for "%"). */
static char *
exec_program (const char *exec)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GKeyFile) read = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autofree char *read_exec = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GError) error = NULL;

  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  data = g_key_file_to_data (entry, NULL, NULL);
  g_assert_true (g_key_file_load_from_data (read, data, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  read_exec = g_key_file_get_string (read, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_true (g_shell_parse_argv (read_exec, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (argv[1], ==, "--xur-check");
  g_assert_null (argv[2]);
  parts = g_strsplit (argv[0], "%%", -1);
  return g_strjoinv ("%", parts);
}

/* The login item names the program that runs, quoted where it must be. */
static void
test_autostart_exec (void)
{
  const char *programs[] = {
    "/usr/bin/quartermaster",
    "/home/guardian/src/quartermaster/_build/src/quartermaster",
    "/home/guardian/My Projects/qm \"dev\"/_build/src/quartermaster",
    "/tmp/100%/$HOME/`x`/back\\slash/quartermaster",
  };

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *exec = qm_xur_autostart_command_for (programs[i]);
      g_autofree char *program = exec_program (exec);

      g_test_message ("Exec=%s", exec);
      g_assert_cmpstr (program, ==, programs[i]);
    }
  {
    g_autofree char *exec = qm_xur_autostart_command_for (programs[1]);

    g_assert_cmpstr (exec, ==, "/home/guardian/src/quartermaster/_build/src/quartermaster --xur-check");
  }
}

int
main (int   argc,
      char *argv[])
{

  g_free (qm_test_use_system_mime ());

  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  /* The schemas installed on the system (the desktop's, which libadwaita
   * reads), as a run from the build directory sees them; GIO reads them
   * once, before the isolated dirs hide them. */
  (void) g_settings_schema_source_get_default ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/settings/build-schema", test_build_schema);
  g_test_add_func ("/settings/window-size-kept", test_window_size_kept);
  g_test_add_func ("/settings/missing-schema-said", test_missing_schema_said);
  g_test_add_func ("/settings/autostart-exec", test_autostart_exec);

  return g_test_run ();
}
