/* qm-psn-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-psn-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-psn-dialog.h"

#include "qm-token.h"

struct _QmPsnDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEntry         *user_entry;
  GtkPasswordEntry *password_entry;

  guint             respond_id;
};

G_DEFINE_FINAL_TYPE (QmPsnDialog, qm_psn_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
fields_filled (QmPsnDialog *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->user_entry)) != '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) != '\0';
}

static void
on_fields_changed_cb (QmPsnDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "sign-in",
                                           fields_filled (self));
}

static gboolean
respond_cb (gpointer user_data)
{
  QmPsnDialog *self = QM_PSN_DIALOG (user_data);

  self->respond_id = 0;
  /* As the button does: the response, then the dialog goes. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "sign-in");
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

/* Enter in the password field. The dialog goes away with its response: a
 * password entry destroyed inside its own key handler, focused, leaves
 * GTK 4.8 calling into it afterwards (invalid casts and CRITICALs). So the
 * response waits until the key is handled, and the focus leaves first. */
static void
on_password_activate_cb (QmPsnDialog *self)
{
  if (!fields_filled (self) || self->respond_id != 0)
    return;
  self->respond_id = g_idle_add_full (G_PRIORITY_DEFAULT, respond_cb, g_object_ref (self),
                                      g_object_unref);
}

static void
on_response_cb (QmPsnDialog *self,
                const char  *response)
{
  g_autofree char *user = NULL;
  char *password;

  g_clear_handle_id (&self->respond_id, g_source_remove);
  /* Out of the password field before the dialog goes. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (!g_str_equal (response, "sign-in"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
      return;
    }

  user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_entry))));
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  /* The entry's buffer wipes its copy when it is cleared. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0, user, password);
  qm_secret_free (password);
}

static void
qm_psn_dialog_dispose (GObject *object)
{
  QmPsnDialog *self = QM_PSN_DIALOG (object);

  g_clear_handle_id (&self->respond_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_PSN_DIALOG);

  G_OBJECT_CLASS (qm_psn_dialog_parent_class)->dispose (object);
}

static void
qm_psn_dialog_class_init (QmPsnDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_psn_dialog_dispose;

  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-psn-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QmPsnDialog, user_entry);
  gtk_widget_class_bind_template_child (widget_class, QmPsnDialog, password_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activate_cb);
}

static void
qm_psn_dialog_init (QmPsnDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "response", G_CALLBACK (on_response_cb), NULL);
}

QmPsnDialog *
qm_psn_dialog_new (GtkWindow  *parent,
                   const char *user)
{
  QmPsnDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (QM_TYPE_PSN_DIALOG, "transient-for", parent, NULL);
  if (user != NULL && *user != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->user_entry), user);
      /* The address is there: straight to the password. */
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->password_entry));
    }
  return self;
}

GtkEditable *
qm_psn_dialog_get_user_entry (QmPsnDialog *self)
{
  g_return_val_if_fail (QM_IS_PSN_DIALOG (self), NULL);

  return GTK_EDITABLE (self->user_entry);
}

GtkEditable *
qm_psn_dialog_get_password_entry (QmPsnDialog *self)
{
  g_return_val_if_fail (QM_IS_PSN_DIALOG (self), NULL);

  return GTK_EDITABLE (self->password_entry);
}
