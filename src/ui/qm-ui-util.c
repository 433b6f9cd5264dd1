/* qm-ui-util.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-ui-util"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "qm-ui-util.h"

/* The same id in every build profile. */
#define QM_SETTINGS_SCHEMA_ID "io.github.quartermaster.Quartermaster"

#include "qm-auth-manager.h"
#include "qm-error.h"

const char *
qm_ui_class_name (int class_type)
{
  return qm_class_type_display_name (class_type);
}

static const char *
owner_class_name (QmItem    *item,
                  QmProfile *profile)
{
  const char *character_id = qm_item_get_character_id (item);
  const QmCharacter *character = NULL;

  if (character_id != NULL && profile != NULL)
    character = qm_profile_find_character (profile, character_id);
  return qm_ui_class_name (character != NULL ? character->class_type : 3);
}

char *
qm_ui_format_location (QmItem    *item,
                       QmProfile *profile)
{
  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  switch (qm_item_get_location (item))
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      /* Translators: a character's class, then where the item is. */
      return g_strdup_printf (_("%s · Equipped"), owner_class_name (item, profile));
    case QM_ITEM_LOCATION_INVENTORY:
      return g_strdup (owner_class_name (item, profile));
    case QM_ITEM_LOCATION_POSTMASTER:
      /* Translators: %s is the class of the character whose postmaster holds the item. */
      return g_strdup_printf (_("Postmaster (%s)"), owner_class_name (item, profile));
    case QM_ITEM_LOCATION_VAULT:
      return g_strdup (_("Vault"));
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return g_strdup (_("Account"));
    }
}

char *
qm_ui_format_item_kind (QmItem *item)
{
  const char *type_name;
  const char *tier_name;

  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  type_name = qm_item_get_item_type_name (item);
  tier_name = qm_item_get_tier_name (item);
  if (type_name != NULL && *type_name == '\0')
    type_name = NULL;
  if (tier_name != NULL && *tier_name == '\0')
    tier_name = NULL;
  if (type_name != NULL && tier_name != NULL && g_strcmp0 (type_name, tier_name) != 0)
    return g_strdup_printf ("%s · %s", type_name, tier_name);
  return g_strdup (type_name != NULL ? type_name : tier_name);
}

char *
qm_ui_format_item_name (QmItem *item)
{
  const char *name;

  g_return_val_if_fail (QM_IS_ITEM (item), NULL);

  name = qm_item_get_name (item);
  if (name != NULL && *name != '\0')
    return g_strdup (name);
  /* Translators: %u is the item's hash, a number identifying its definition. */
  return g_strdup_printf (_("Unknown item %u"), qm_item_get_hash (item));
}

const char *
qm_ui_location_icon_name (QmItemLocation location)
{
  switch (location)
    {
    case QM_ITEM_LOCATION_EQUIPPED:
      return "emblem-ok-symbolic";
    case QM_ITEM_LOCATION_INVENTORY:
      return "avatar-default-symbolic";
    case QM_ITEM_LOCATION_POSTMASTER:
      return "mail-unread-symbolic";
    case QM_ITEM_LOCATION_VAULT:
      return "drive-harddisk-symbolic";
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return "system-users-symbolic";
    }
}

/* Where an uninstalled build looks for its compiled schema. */
static char *build_schema_dir = NULL;

void
qm_ui_settings_set_build_schema_dir (const char *dir)
{
  g_free (build_schema_dir);
  build_schema_dir = g_strdup (dir);
}

char *
qm_ui_dup_program_path (void)
{
  return g_file_read_link ("/proc/self/exe", NULL);
}

static char *
dup_real_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy;

  if (real == NULL)
    return NULL;
  copy = g_strdup (real);
  free (real);
  return copy;
}

gboolean
qm_ui_running_from_build_dir (void)
{
  g_autofree char *program = qm_ui_dup_program_path ();
  g_autofree char *root = dup_real_path (QM_BUILD_ROOT);
  g_autofree char *prefix = NULL;

  if (program == NULL || root == NULL)
    return FALSE;
  prefix = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);
  return g_str_has_prefix (program, prefix);
}

/* The installed schema, or, in a program of the build directory, the one
 * compiled there (before an installed one, which may be older). */
static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  GSettingsSchema *schema = NULL;

  if (qm_ui_running_from_build_dir ())
    {
      const char *dir = build_schema_dir != NULL ? build_schema_dir : QM_BUILD_SCHEMA_DIR;
      g_autoptr(GError) error = NULL;

      build_source = g_settings_schema_source_new_from_directory (dir, source, TRUE, &error);
      if (build_source == NULL)
        g_debug ("No compiled schema in %s: %s", dir, error->message);
      else
        source = build_source;
    }
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, QM_SETTINGS_SCHEMA_ID, TRUE);
  return schema;
}

GSettings *
qm_ui_settings_new (void)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema ();

  if (schema == NULL)
    {
      static gsize logged = 0;

      if (g_once_init_enter (&logged))
        {
          g_message ("The settings schema %s is not installed: settings are not kept",
                     QM_SETTINGS_SCHEMA_ID);
          g_once_init_leave (&logged, 1);
        }
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
