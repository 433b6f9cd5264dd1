/* qm-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "qm-preferences-window.h"

#include "qm-autostart.h"

#include "qm-ui-util.h"

/* Shared by the stable and the development build. */

struct _QmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *background_switch;
  GtkSwitch            *make_space_switch;
  GtkSwitch            *notify_moves_switch;
  GtkSwitch            *postmaster_switch;
  AdwEntryRow          *api_key_row;
  AdwEntryRow          *client_id_row;
  AdwComboRow          *language_row;
  GtkStringList        *language_names;

  GSettings            *settings;
  QmManifest           *manifest;       /* nullable: its languages are offered */
  GPtrArray            *language_codes; /* of the rows; "" for Automatic */
  gboolean              filling;
  gboolean              requesting;           /* the portal is asked */
  gboolean              requested_background; /* for this */
};

G_DEFINE_FINAL_TYPE (QmPreferencesWindow, qm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
show_autostart_error (QmPreferencesWindow *self,
                      const GError        *error)
{
  g_autofree char *text = NULL;

  g_debug ("Could not change the login item: %s", error->message);
  /* Translators: %s says why the login item could not be changed. */
  text = g_strdup_printf (_("Could not change the autostart entry: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void on_background_switch_active_cb (GtkSwitch           *background_switch,
                                            GParamSpec          *pspec,
                                            QmPreferencesWindow *self);

/* The switch back to what is in force, without asking again. */
static void
reset_background_switch (QmPreferencesWindow *self,
                         gboolean             enabled)
{
  g_signal_handlers_block_by_func (self->background_switch, on_background_switch_active_cb, self);
  gtk_switch_set_active (self->background_switch, enabled);
  g_signal_handlers_unblock_by_func (self->background_switch, on_background_switch_active_cb, self);
}

static void
on_autostart_requested_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(QmPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enabled = self->requested_background;

  self->requesting = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->background_switch), TRUE);
  if (!qm_xur_autostart_request_finish (result, &error))
    {
      show_autostart_error (self, error);
      reset_background_switch (self, !enabled);
      return;
    }
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "xur-background-check", enabled);
}

static void
on_background_switch_active_cb (GtkSwitch           *background_switch,
                                GParamSpec          *pspec,
                                QmPreferencesWindow *self)
{
  gboolean enabled = gtk_switch_get_active (background_switch);
  g_autoptr(GError) error = NULL;

  /* Inside Flatpak the portal asks the user: wait for the answer. */
  if (qm_xur_autostart_uses_portal ())
    {
      self->requesting = TRUE;
      self->requested_background = enabled;
      gtk_widget_set_sensitive (GTK_WIDGET (background_switch), FALSE);
      qm_xur_autostart_request_async (enabled, NULL, on_autostart_requested_cb, g_object_ref (self));
      return;
    }
  if (!qm_xur_autostart_set_enabled (enabled, &error))
    {
      show_autostart_error (self, error);
      reset_background_switch (self, !enabled);
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
  gtk_widget_class_bind_template_child (widget_class, QmPreferencesWindow, postmaster_switch);
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
      g_settings_bind (self->settings, "notify-postmaster", self->postmaster_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
    }
  /* Inside Flatpak the portal keeps the entry out of reach: the setting
   * says what was granted. */
  if (qm_xur_autostart_uses_portal ())
    enabled = self->settings != NULL && g_settings_get_boolean (self->settings, "xur-background-check");
  else
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

GtkSwitch *
qm_preferences_window_get_postmaster_switch (QmPreferencesWindow *self)
{
  g_return_val_if_fail (QM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->postmaster_switch;
}
