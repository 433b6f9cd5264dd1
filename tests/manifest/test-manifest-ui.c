/* test-manifest-ui.c: the language preference and the application's definitions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qm-application.h"
#include "qm-manifest.h"
#include "qm-preferences-window.h"
#include "qm-test-ui.h"
#include "qm-window.h"

static void
update (QmManifest     *manifest,
        QmBungieClient *client)
{
  QmTestResult res = { 0 };
  g_autoptr(GError) error = NULL;

  qm_manifest_update_async (manifest, client, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_manifest_update_finish (manifest, qm_test_wait_result (&res), NULL, &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
}

static char *
row_name (GListModel *model,
          guint       position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  return g_strdup (gtk_string_object_get_string (item));
}

/* Automatic and the languages Bungie offers; choosing one sets the setting. */
static void
test_preferences_languages (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmManifest) manifest = NULL;
  g_autofree char *automatic = NULL;
  g_autofree char *german = NULL;
  g_autofree char *chosen = NULL;
  QmPreferencesWindow *preferences;
  GListModel *model;
  AdwComboRow *row;

  if (!qm_test_require_display () || (settings = qm_test_settings_new_or_skip ()) == NULL)
    return;

  g_settings_set_string (settings, "manifest-language", "");
  preferences = qm_preferences_window_new (NULL, NULL);
  model = qm_preferences_window_get_language_model (preferences);
  row = qm_preferences_window_get_language_row (preferences);
  /* Nothing known yet: Automatic alone. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, FALSE);
  manifest = qm_manifest_new (NULL);
  qm_preferences_window_set_manifest (preferences, manifest);
  update (manifest, client);
  gtk_window_present (GTK_WINDOW (preferences));

  /* The list follows the manifest's languages. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  automatic = row_name (model, 0);
  german = row_name (model, 1);
  g_assert_cmpstr (automatic, ==, "Automatic (English)");
  g_assert_cmpstr (german, ==, "Deutsch");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  adw_combo_row_set_selected (row, 1);
  chosen = g_settings_get_string (settings, "manifest-language");
  g_assert_cmpstr (chosen, ==, "de");
  adw_combo_row_set_selected (row, 0);
  g_clear_pointer (&chosen, g_free);
  chosen = g_settings_get_string (settings, "manifest-language");
  g_assert_cmpstr (chosen, ==, "");
  qm_test_close_window (GTK_WINDOW (preferences));

  /* A new window shows the setting, even a language not offered. */
  g_settings_set_string (settings, "manifest-language", "xx");
  preferences = qm_preferences_window_new (NULL, NULL);
  qm_preferences_window_set_manifest (preferences, manifest);
  model = qm_preferences_window_get_language_model (preferences);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpuint (adw_combo_row_get_selected (qm_preferences_window_get_language_row (preferences)), ==, 3);
  qm_test_close_window (GTK_WINDOW (preferences));
  g_settings_set_string (settings, "manifest-language", "");
  qm_sandbox_stop (sandbox);
}

/* The mapped label showing @text under @widget, if any. */
static GtkLabel *
find_shown_label (GtkWidget  *widget,
                  const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_shown_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_assert_nonnull (clock);
  for (guint i = 0; i < n; i++)
    {
      gint64 counter = gdk_frame_clock_get_frame_counter (clock);

      gtk_widget_queue_draw (widget);
      while (gdk_frame_clock_get_frame_counter (clock) == counter)
        g_main_context_iteration (NULL, TRUE);
    }
}

/* The row says which language is chosen, in full (not "…"). */
static void
test_preferences_language_shown (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmManifest) manifest = NULL;
  QmPreferencesWindow *preferences;
  AdwComboRow *row;
  GtkLabel *label;

  if (!qm_test_require_display () || (settings = qm_test_settings_new_or_skip ()) == NULL)
    return;

  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, FALSE);
  manifest = qm_manifest_new (NULL);
  update (manifest, client);
  g_settings_set_string (settings, "manifest-language", "de");
  preferences = qm_preferences_window_new (NULL, NULL);
  qm_preferences_window_set_manifest (preferences, manifest);
  row = qm_preferences_window_get_language_row (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  while (!gtk_widget_get_mapped (GTK_WIDGET (row)))
    g_main_context_iteration (NULL, TRUE);
  wait_frames (GTK_WIDGET (preferences), 3);

  label = find_shown_label (GTK_WIDGET (row), "Deutsch");
  g_assert_nonnull (label);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), >, 0);

  qm_test_close_window (GTK_WINDOW (preferences));
  g_settings_set_string (settings, "manifest-language", "");
  qm_sandbox_stop (sandbox);
}

/* One manifest for the application: opened from the cache at start-up, in
 * the setting's language, and switched with it. */
static void
test_application_manifest (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmBungieClient) client = NULL;
  g_autoptr(QmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  QmManifest *manifest;

  if (!qm_test_require_display () || (settings = qm_test_settings_new_or_skip ()) == NULL)
    return;

  /* Caches of both languages, as an earlier run leaves them. */
  sandbox = qm_test_sandbox_new (NULL);
  client = qm_test_client_new (sandbox, FALSE);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(QmManifest) earlier = qm_manifest_new (NULL);

      qm_manifest_set_language (earlier, i == 0 ? "en" : "de");
      update (earlier, client);
    }
  qm_sandbox_stop (sandbox);

  g_settings_set_string (settings, "manifest-language", "de");
  app = qm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  manifest = qm_session_get_manifest (qm_application_get_session (app));
  g_assert_true (qm_session_get_manifest (qm_application_get_session (app)) == manifest);
  g_assert_cmpstr (qm_manifest_get_language (manifest), ==, "de");
  g_assert_true (qm_manifest_is_loaded (manifest));
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "de");

  /* Changing the setting switches the definitions (from the cache: the
   * application has no client to ask Bungie.net with). */
  g_settings_set_string (settings, "manifest-language", "en");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (qm_manifest_get_language (manifest), ==, "en");
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "en");
  g_settings_set_string (settings, "manifest-language", "");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (qm_manifest_get_language (manifest));
}

int
main (int   argc,
      char *argv[])
{

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);
  g_setenv ("LANGUAGE", "en_US", TRUE);

  g_test_add_func ("/manifest-ui/preferences-languages", test_preferences_languages);
  g_test_add_func ("/manifest-ui/preferences-language-shown", test_preferences_language_shown);
  g_test_add_func ("/manifest-ui/application-manifest", test_application_manifest);

  return g_test_run ();
}
