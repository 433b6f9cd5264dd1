/* qm-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-preferences-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qm-preferences-window.h"

#include "qm-ui-util.h"

/* Shared by the stable and the development build. */

struct _QmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *background_switch;
  GtkSwitch            *make_space_switch;
  GtkSwitch            *notify_moves_switch;
  AdwEntryRow          *api_key_row;
  AdwEntryRow          *client_id_row;
  AdwComboRow          *language_row;
  GtkStringList        *language_names;

  GSettings            *settings;
  QmManifest           *manifest;       /* nullable: its languages are offered */
  GPtrArray            *language_codes; /* of the rows; "" for Automatic */
  gboolean              filling;
};

G_DEFINE_FINAL_TYPE (QmPreferencesWindow, qm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

char *
qm_xur_autostart_path (void)
{
  g_autofree char *name = g_strconcat (APP_ID, "-xur.desktop", NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

/* @program as one argument of a desktop entry's Exec: in double quotes when
 * it has a reserved character, and "%" doubled (the Desktop Entry
 * Specification, "The Exec key"). */
static char *
quote_exec_argument (const char *program)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean quote = program[0] == '\0' || strpbrk (program, " \t\n\"'\\><~|&;$*?#()`") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  for (const char *p = program; *p != '\0'; p++)
    {
      if (quote && strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (out, '\\');
      if (*p == '%')
        g_string_append_c (out, '%');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
qm_xur_autostart_command_for (const char *program)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (program != NULL, NULL);

  quoted = quote_exec_argument (program);
  return g_strconcat (quoted, " --xur-check", NULL);
}

static char *
autostart_command (void)
{
  g_autofree char *program = NULL;
  g_autofree char *name = NULL;

  /* Inside Flatpak the session has to start the application through flatpak. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_strdup ("flatpak run --command=quartermaster " APP_ID " --xur-check");
  /* The program running, wherever it is (a build folder, a prefix not in
   * the session's PATH); from another program, the one in PATH. */
  program = qm_ui_dup_program_path ();
  if (program != NULL)
    name = g_path_get_basename (program);
  if (g_strcmp0 (name, "quartermaster") == 0)
    return qm_xur_autostart_command_for (program);
  return g_strdup ("quartermaster --xur-check");
}

static char *
autostart_entry (void)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *exec = autostart_command ();
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_NAME, _("Quartermaster"));
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Tells you when Xûr arrives"));
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, group, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (entry, group, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_to_data (entry, NULL, NULL);
}

static gboolean
remove_autostart (const char  *path,
                  GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0 || errno == ENOENT)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

gboolean
qm_xur_autostart_set_enabled (gboolean   enabled,
                              GError   **error)
{
  g_autofree char *path = qm_xur_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;
  int saved_errno;

  if (!enabled)
    return remove_autostart (path, error);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  contents = autostart_entry ();
  return g_file_set_contents (path, contents, -1, error);
}

static void
on_background_switch_active_cb (GtkSwitch           *background_switch,
                                GParamSpec          *pspec,
                                QmPreferencesWindow *self)
{
  gboolean enabled = gtk_switch_get_active (background_switch);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!qm_xur_autostart_set_enabled (enabled, &error))
    {
      g_warning ("Could not change the autostart entry: %s", error->message);
      /* Translators: %s says why the file could not be written or removed. */
      text = g_strdup_printf (_("Could not change the autostart entry: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
      return;
    }
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "xur-background-check", enabled);
}

/* The language chosen: the setting's, else the one shown. */
static char *
dup_chosen_language (QmPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->language_row);

  if (self->settings != NULL)
    return g_settings_get_string (self->settings, "manifest-language");
  if (selected < self->language_codes->len)
    return g_strdup (g_ptr_array_index (self->language_codes, selected));
  return g_strdup ("");
}

/* Automatic, then the languages Bungie offers (and the one chosen, even if
 * it is not among them). */
static void
fill_languages (QmPreferencesWindow *self)
{
  g_autofree char *chosen = dup_chosen_language (self);
  const char * const *offered = self->manifest != NULL ? qm_manifest_get_languages (self->manifest) : NULL;
  const char *effective = self->manifest != NULL ? qm_manifest_get_effective_language (self->manifest) : NULL;
  g_autofree char *automatic = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->language_names));
  guint selected = 0;

  if (effective != NULL && *chosen == '\0')
    /* Translators: the language followed, e.g. “Automatic (Deutsch)”. */
    automatic = g_strdup_printf (_("Automatic (%s)"), qm_manifest_get_language_name (effective));
  else
    automatic = g_strdup (_("Automatic"));

  self->filling = TRUE;
  g_ptr_array_set_size (self->language_codes, 0);
  g_ptr_array_add (self->language_codes, g_strdup (""));
  for (guint i = 0; offered != NULL && offered[i] != NULL; i++)
    g_ptr_array_add (self->language_codes, g_strdup (offered[i]));
  if (*chosen != '\0' && !g_ptr_array_find_with_equal_func (self->language_codes, chosen, g_str_equal, NULL))
    g_ptr_array_add (self->language_codes, g_strdup (chosen));
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();

    g_ptr_array_add (names, automatic);
    for (guint i = 1; i < self->language_codes->len; i++)
      {
        const char *code = g_ptr_array_index (self->language_codes, i);

        g_ptr_array_add (names, (gpointer) qm_manifest_get_language_name (code));
        if (g_str_equal (code, chosen))
          selected = i;
      }
    g_ptr_array_add (names, NULL);
    gtk_string_list_splice (self->language_names, 0, n, (const char * const *) names->pdata);
  }
  adw_combo_row_set_selected (self->language_row, selected);
  self->filling = FALSE;
}

static void
on_language_selected_cb (AdwComboRow         *row,
                         GParamSpec          *pspec,
                         QmPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->filling || selected >= self->language_codes->len || self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "manifest-language",
                         g_ptr_array_index (self->language_codes, selected));
}

static void
on_manifest_languages_cb (QmManifest          *manifest,
                          GParamSpec          *pspec,
                          QmPreferencesWindow *self)
{
  fill_languages (self);
}

/**
 * qm_preferences_window_set_manifest:
 * @manifest: (nullable): whose languages to offer
 */
void
qm_preferences_window_set_manifest (QmPreferencesWindow *self,
                                    QmManifest          *manifest)
{
  g_return_if_fail (QM_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest));

  if (self->manifest != NULL)
    g_signal_handlers_disconnect_by_data (self->manifest, self);
  g_set_object (&self->manifest, manifest);
  if (manifest != NULL)
    {
      g_signal_connect_object (manifest, "notify::languages", G_CALLBACK (on_manifest_languages_cb),
                               self, 0);
      g_signal_connect_object (manifest, "notify::effective-language",
                               G_CALLBACK (on_manifest_languages_cb), self, 0);
    }
  fill_languages (self);
}

/* The rows for the languages offered, e.g. "Deutsch" for "de"; "" first. */
GListModel *
qm_preferences_window_get_language_model (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);
  return G_LIST_MODEL (self->language_names);
}

AdwComboRow *
qm_preferences_window_get_language_row (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);
  return self->language_row;
}

static void
qm_preferences_window_dispose (GObject *object)
{
  QmPreferencesWindow *self = QM_PREFERENCES_WINDOW (object);

  if (self->manifest != NULL)
    g_signal_handlers_disconnect_by_data (self->manifest, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->manifest);
  g_clear_pointer (&self->language_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (qm_preferences_window_parent_class)->dispose (object);
}

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
qm_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  QmPreferencesWindow *self = QM_PREFERENCES_WINDOW (object);
  QmSession *session;

  switch (prop_id)
    {
    case PROP_SESSION:
      session = g_value_get_object (value);
      if (session != NULL)
        qm_preferences_window_set_manifest (self, qm_session_get_manifest (session));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_preferences_window_class_init (QmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_preferences_window_dispose;
  object_class->set_property = qm_preferences_window_set_property;

  /* The languages of the session's definitions are offered. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, QM_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, make_space_switch);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, notify_moves_switch);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, language_names);
}

static void
qm_preferences_window_init (QmPreferencesWindow *self)
{
  g_autofree char *path = qm_xur_autostart_path ();
  gboolean enabled;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->language_codes = g_ptr_array_new_with_free_func (g_free);

  /* The entry on disk is what takes effect; the setting follows it. */
  self->settings = qm_ui_settings_new ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "api-key", self->api_key_row, "text",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "oauth-client-id", self->client_id_row, "text",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "make-space", self->make_space_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "notify-moves", self->notify_moves_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
    }
  enabled = g_file_test (path, G_FILE_TEST_EXISTS);
  if (self->settings != NULL && g_settings_get_boolean (self->settings, "xur-background-check") != enabled)
    g_settings_set_boolean (self->settings, "xur-background-check", enabled);
  gtk_switch_set_active (self->background_switch, enabled);
  g_signal_connect_object (self->background_switch, "notify::active",
                           G_CALLBACK (on_background_switch_active_cb), self, 0);
  fill_languages (self);
  g_signal_connect_object (self->language_row, "notify::selected",
                           G_CALLBACK (on_language_selected_cb), self, 0);
}

/**
 * qm_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @session: (nullable): the languages offered are those of its definitions
 */
QmPreferencesWindow *
qm_preferences_window_new (GtkWindow *parent,
                           QmSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session == NULL || QM_IS_SESSION (session), NULL);

  return g_object_new (QM_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "session", session,
                       NULL);
}

GtkSwitch *
qm_preferences_window_get_background_switch (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->background_switch;
}

GtkSwitch *
qm_preferences_window_get_make_space_switch (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->make_space_switch;
}

GtkSwitch *
qm_preferences_window_get_notify_moves_switch (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->notify_moves_switch;
}
