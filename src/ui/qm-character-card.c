/* qm-character-card.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-character-card"

#include "config.h"

#include "qm-character-card.h"

#define EMBLEM_SIZE        48
#define FALLBACK_ICON_SIZE 24

struct _QmCharacterCard
{
  GtkWidget    parent_instance;

  GtkImage    *emblem;
  GtkLabel    *title_label;
  GtkLabel    *power_label;
  GtkLabel    *count_label;
  GtkLabel    *postmaster_label;
  GtkLabel    *match_label;

  QmIconCache *icons;
  char        *emblem_path;
  char        *fallback_icon_name;
};

G_DEFINE_FINAL_TYPE (QmCharacterCard, qm_character_card, GTK_TYPE_WIDGET)

static void
update_emblem (QmCharacterCard *self)
{
  GdkPaintable *paintable = NULL;

  if (self->icons != NULL && self->emblem_path != NULL)
    paintable = qm_icon_cache_lookup (self->icons, self->emblem_path);
  if (paintable != NULL)
    {
      gtk_image_set_from_paintable (self->emblem, paintable);
      gtk_image_set_pixel_size (self->emblem, EMBLEM_SIZE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->emblem), "fallback");
    }
  else
    {
      /* A symbolic icon, smaller, on a tile of the emblem's size (style.css). */
      gtk_image_set_from_icon_name (self->emblem, self->fallback_icon_name);
      gtk_image_set_pixel_size (self->emblem, FALLBACK_ICON_SIZE);
      gtk_widget_add_css_class (GTK_WIDGET (self->emblem), "fallback");
    }
}

static void
on_icon_loaded_cb (QmIconCache     *icons,
                   const char      *path,
                   QmCharacterCard *self)
{
  if (g_strcmp0 (path, self->emblem_path) == 0)
    update_emblem (self);
}

static void
qm_character_card_dispose (GObject *object)
{
  QmCharacterCard *self = QM_CHARACTER_CARD (object);
  GtkWidget *child;

  if (self->icons != NULL)
    g_signal_handlers_disconnect_by_data (self->icons, self);
  g_clear_object (&self->icons);
  gtk_widget_dispose_template (GTK_WIDGET (self), QM_TYPE_CHARACTER_CARD);
  /* The template's unnamed box is a direct child too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (qm_character_card_parent_class)->dispose (object);
}

static void
qm_character_card_finalize (GObject *object)
{
  QmCharacterCard *self = QM_CHARACTER_CARD (object);

  g_free (self->emblem_path);
  g_free (self->fallback_icon_name);

  G_OBJECT_CLASS (qm_character_card_parent_class)->finalize (object);
}

static void
qm_character_card_class_init (QmCharacterCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qm_character_card_dispose;
  object_class->finalize = qm_character_card_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/qm-character-card.ui");
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, emblem);
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, power_label);
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, count_label);
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, postmaster_label);
  gtk_widget_class_bind_template_child (widget_class, QmCharacterCard, match_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "qmcharactercard");
}

static void
qm_character_card_init (QmCharacterCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
qm_character_card_new (void)
{
  return g_object_new (QM_TYPE_CHARACTER_CARD, NULL);
}

void
qm_character_card_set_title (QmCharacterCard *self,
                             const char      *title)
{
  g_return_if_fail (QM_IS_CHARACTER_CARD (self));

  gtk_label_set_text (self->title_label, title != NULL ? title : "");
}

void
qm_character_card_set_power (QmCharacterCard *self,
                             const char      *power)
{
  g_return_if_fail (QM_IS_CHARACTER_CARD (self));

  gtk_label_set_text (self->power_label, power != NULL ? power : "");
  gtk_widget_set_visible (GTK_WIDGET (self->power_label), power != NULL);
}

void
qm_character_card_set_emblem (QmCharacterCard *self,
                              QmIconCache     *icons,
                              const char      *path,
                              const char      *fallback_icon_name)
{
  g_return_if_fail (QM_IS_CHARACTER_CARD (self));
  g_return_if_fail (icons == NULL || QM_IS_ICON_CACHE (icons));

  if (self->icons != icons)
    {
      if (self->icons != NULL)
        g_signal_handlers_disconnect_by_data (self->icons, self);
      g_set_object (&self->icons, icons);
      if (icons != NULL)
        g_signal_connect (icons, "loaded", G_CALLBACK (on_icon_loaded_cb), self);
    }
  g_free (self->emblem_path);
  self->emblem_path = path != NULL && *path != '\0' ? g_strdup (path) : NULL;
  g_free (self->fallback_icon_name);
  self->fallback_icon_name = g_strdup (fallback_icon_name);
  update_emblem (self);
}

void
qm_character_card_set_counts (QmCharacterCard *self,
                              const char      *count,
                              const char      *postmaster,
                              gboolean         full)
{
  g_return_if_fail (QM_IS_CHARACTER_CARD (self));

  gtk_label_set_text (self->count_label, count != NULL ? count : "");
  gtk_label_set_text (self->postmaster_label, postmaster != NULL ? postmaster : "");
  gtk_widget_set_visible (GTK_WIDGET (self->postmaster_label), postmaster != NULL);
  if (full)
    gtk_widget_add_css_class (GTK_WIDGET (self->postmaster_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->postmaster_label), "warning");
}

const char *
qm_character_card_get_title (QmCharacterCard *self)
{
  g_return_val_if_fail (QM_IS_CHARACTER_CARD (self), NULL);

  return gtk_label_get_text (self->title_label);
}

const char *
qm_character_card_get_count (QmCharacterCard *self)
{
  g_return_val_if_fail (QM_IS_CHARACTER_CARD (self), NULL);

  return gtk_label_get_text (self->count_label);
}

const char *
qm_character_card_get_postmaster (QmCharacterCard *self)
{
  g_return_val_if_fail (QM_IS_CHARACTER_CARD (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->postmaster_label)))
    return NULL;
  return gtk_label_get_text (self->postmaster_label);
}

void
qm_character_card_set_matches (QmCharacterCard *self,
                               const char      *matches)
{
  g_return_if_fail (QM_IS_CHARACTER_CARD (self));

  gtk_label_set_text (self->match_label, matches != NULL ? matches : "");
  gtk_widget_set_visible (GTK_WIDGET (self->match_label), matches != NULL);
}

const char *
qm_character_card_get_matches (QmCharacterCard *self)
{
  g_return_val_if_fail (QM_IS_CHARACTER_CARD (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->match_label)))
    return NULL;
  return gtk_label_get_text (self->match_label);
}
