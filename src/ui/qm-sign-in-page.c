/* qm-sign-in-page.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sign-in-page"

#include "config.h"

#include "qm-sign-in-page.h"

struct _QmSignInPage
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkStack   *stack;
  GtkLabel   *message_label;
  GtkSpinner *spinner;
  GtkLabel   *progress_label;
  GtkLabel   *hint_label;

  char       *message;
};

G_DEFINE_FINAL_TYPE (QmSignInPage, qm_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (QmSignInPage *self,
          gboolean      busy)
{
  if (busy == qm_sign_in_page_get_busy (self))
    return;

  gtk_stack_set_visible_child_name (self->stack, busy ? "progress" : "choices");
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
qm_sign_in_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  QmSignInPage *self = QM_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_string (value, qm_sign_in_page_get_message (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, qm_sign_in_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_sign_in_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  QmSignInPage *self = QM_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      qm_sign_in_page_set_message (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_sign_in_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), QM_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (qm_sign_in_page_parent_class)->dispose (object);
}

static void
qm_sign_in_page_finalize (GObject *object)
{
  QmSignInPage *self = QM_SIGN_IN_PAGE (object);

  g_free (self->message);

  G_OBJECT_CLASS (qm_sign_in_page_parent_class)->finalize (object);
}

static void
qm_sign_in_page_class_init (QmSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = qm_sign_in_page_get_property;
  object_class->set_property = qm_sign_in_page_set_property;
  object_class->dispose = qm_sign_in_page_dispose;
  object_class->finalize = qm_sign_in_page_finalize;

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QmSignInPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QmSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, QmSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, QmSignInPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, QmSignInPage, hint_label);
  gtk_widget_class_set_css_name (widget_class, "qmsigninpage");
}

static void
qm_sign_in_page_init (QmSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

QmSignInPage *
qm_sign_in_page_new (void)
{
  return g_object_new (QM_TYPE_SIGN_IN_PAGE, NULL);
}

void
qm_sign_in_page_show_choices (QmSignInPage *self)
{
  g_return_if_fail (QM_IS_SIGN_IN_PAGE (self));

  set_busy (self, FALSE);
}

void
qm_sign_in_page_show_progress (QmSignInPage *self,
                               const char   *title,
                               const char   *hint)
{
  g_return_if_fail (QM_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (title != NULL);

  gtk_label_set_text (self->progress_label, title);
  gtk_label_set_text (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
  /* A new attempt: the last one's failure is past. */
  qm_sign_in_page_set_message (self, NULL);
  set_busy (self, TRUE);
}

gboolean
qm_sign_in_page_get_busy (QmSignInPage *self)
{
  g_return_val_if_fail (QM_IS_SIGN_IN_PAGE (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "progress") == 0;
}

void
qm_sign_in_page_set_message (QmSignInPage *self,
                             const char   *message)
{
  g_return_if_fail (QM_IS_SIGN_IN_PAGE (self));

  if (message != NULL && *message == '\0')
    message = NULL;
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
qm_sign_in_page_get_message (QmSignInPage *self)
{
  g_return_val_if_fail (QM_IS_SIGN_IN_PAGE (self), NULL);

  return self->message;
}

const char *
qm_sign_in_page_get_progress (QmSignInPage *self)
{
  g_return_val_if_fail (QM_IS_SIGN_IN_PAGE (self), NULL);

  if (!qm_sign_in_page_get_busy (self))
    return NULL;
  return gtk_label_get_text (self->progress_label);
}
