/* qm-test-ui.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "qm-test-ui.h"
#include "qm-ui-util.h"

gboolean
qm_test_require_display (void)
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

void
qm_test_load_app_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) css = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
qm_test_close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GSettings *
qm_test_settings_new_or_skip (void)
{
  GSettings *settings = qm_ui_settings_new ();

  if (settings == NULL)
    g_test_skip ("the GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
  return settings;
}

char *
qm_test_use_system_mime (void)
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

  if (data_dirs == NULL || *data_dirs == '\0')
    data_dirs = "/usr/local/share:/usr/share";
  dirs = g_strsplit (data_dirs, ":", -1);
  for (guint i = 0; dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  return g_strdup (data_dirs);
}
