/* test-german.c: the inventory, Xûr and loadouts views in German
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LANGUAGE=de with the catalogue built in the build folder (po/de/…), the
 * app's own window on the sandbox's demo account: the labels a German
 * player reads.
 */

#define G_LOG_DOMAIN "test-german"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "qm-application.h"
#include "qm-test-dbus.h"
#include "qm-test-ui.h"
#include "qm-window.h"

static char *system_data_dirs;

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
shown_text (QmWindow *window)
{
  GString *out = g_string_new ("\n");

  collect_labels (GTK_WIDGET (window), out);
  return g_string_free (out, FALSE);
}

typedef struct
{
  QmWindow   *window;
  const char *wanted;
} Showing;

static gboolean
showing (gpointer data)
{
  Showing *s = data;
  g_autofree char *text = shown_text (s->window);

  return strstr (text, s->wanted) != NULL;
}

static void
assert_shows (QmWindow   *window,
              const char *line)
{
  g_autofree char *wanted = g_strdup_printf ("\n%s\n", line);
  Showing s = { window, wanted };

  if (g_getenv ("QM_TEST_SHOW_LABELS") != NULL)
    {
      g_autofree char *text = shown_text (window);
      g_printerr ("%s", text);
    }
  qm_test_wait_until (showing, &s, 60, line);
}

static void
assert_not_shown (QmWindow   *window,
                  const char *line)
{
  g_autofree char *text = shown_text (window);
  g_autofree char *unwanted = g_strdup_printf ("\n%s\n", line);

  if (strstr (text, unwanted) != NULL)
    g_error ("“%s” is shown in English among:%s", line, text);
}

static void
on_loaded_cb (QmWindow *window,
              gboolean *loaded)
{
  *loaded = TRUE;
}

static void
test_views (void)
{
  g_autoptr(QmFakeNotifications) fake = NULL;
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;
  QmWindow *window;

  QM_TEST_REQUIRE_DISPLAY ();
  /* Xûr's arrival is announced. */
  if ((fake = qm_fake_notifications_new ()) == NULL)
    return;
  /* The catalogue speaks German. */
  g_assert_cmpstr (_("Inventory"), ==, "Inventar");

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, TRUE);
  app = qm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = qm_window_new (GTK_APPLICATION (app), qm_application_get_session (app));
  g_signal_connect (window, "loaded", G_CALLBACK (on_loaded_cb), &loaded);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  qm_window_set_client (window, client, "Sandbox");
  qm_test_wait (&loaded, 60);

  /* Inventory: the view switcher, the vault's card, the app's own
   * headings; a slot's heading comes from Bungie's German definitions. */
  assert_shows (window, "Inventar");
  assert_shows (window, "Tresor");
  assert_shows (window, "Währungen");
  assert_shows (window, "Kinetische Waffen");
  assert_not_shown (window, "Vault");
  assert_not_shown (window, "Currencies");

  /* Xûr is here on the demo account. */
  qm_window_show_view (window, "xur");
  assert_shows (window, "Xûr ist da");
  assert_not_shown (window, "Xûr Is Here");

  /* Loadouts: the demo account's empty slots. */
  qm_window_show_view (window, "loadouts");
  assert_shows (window, "Leerer Platz");
  assert_not_shown (window, "Empty slot");

  qm_test_close_window (GTK_WINDOW (window));
  qm_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = g_build_filename (g_getenv ("QM_BUILD_ROOT"), "po", NULL);

  /* LANGUAGE needs a locale other than C: C.UTF-8 is one. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  system_data_dirs = qm_test_use_system_mime ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/german/views", test_views);
  return g_test_run ();
}
