/* qm-ui-util.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-ui-util"

#include "config.h"

#include <glib/gi18n.h>

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

static char *
describe_platform_error (const GError *error)
{
  if (error->code == QM_PLATFORM_ERROR_SYSTEM_DISABLED)
    return g_strdup (_("Bungie.net is down for maintenance. Try again later."));
  if (qm_platform_error_is_throttle (error->code))
    return g_strdup (_("Bungie.net is busy right now. Wait a moment and try again."));
  if (qm_platform_error_is_auth (error->code))
    return g_strdup (_("Your Bungie.net sign-in has expired. Sign in again."));
  if (error->code == QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND)
    return g_strdup (_("No Destiny 2 account was found for this Bungie.net account."));
  /* Translators: %s is Bungie.net's own explanation of the error. */
  return g_strdup_printf (_("Bungie.net reported an error: %s"), error->message);
}

static char *
describe_client_error (const GError *error)
{
  switch ((QmClientError) error->code)
    {
    case QM_CLIENT_ERROR_NETWORK:
      return g_strdup (_("Could not reach Bungie.net. Check your internet connection."));
    case QM_CLIENT_ERROR_TIMEOUT:
      return g_strdup (_("Bungie.net did not answer in time. Try again later."));
    case QM_CLIENT_ERROR_HTML_PAGE:
    case QM_CLIENT_ERROR_HTTP:
      return g_strdup (_("Bungie.net is having problems right now. Try again later."));
    case QM_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("Your Bungie.net sign-in has expired. Sign in again."));
    case QM_CLIENT_ERROR_MALFORMED:
    case QM_CLIENT_ERROR_INSECURE_ORIGIN:
    default:
      /* Translators: %s explains what went wrong. */
      return g_strdup_printf (_("Something went wrong: %s"), error->message);
    }
}

static char *
describe_auth_error (const GError *error)
{
  switch ((QmAuthError) error->code)
    {
    case QM_AUTH_ERROR_NOT_SIGNED_IN:
      return g_strdup (_("You are not signed in. Sign in to Bungie.net first."));
    case QM_AUTH_ERROR_WRONG_CREDENTIALS:
      return g_strdup (_("Your PlayStation Network e-mail address or password is wrong."));
    case QM_AUTH_ERROR_STATE_MISMATCH:
      return g_strdup (_("The answer from Bungie.net does not match the sign-in Quartermaster "
                         "started, so it was refused. Start the sign-in again."));
    case QM_AUTH_ERROR_DENIED:
      return g_strdup (_("Bungie.net did not allow the sign-in. To sign in, approve "
                         "Quartermaster on Bungie.net."));
    case QM_AUTH_ERROR_EXPIRED:
      return g_strdup (_("Your sign-in has expired. Sign in again."));
    case QM_AUTH_ERROR_FOREIGN_REDIRECT:
      return g_strdup (_("The sign-in tried to send you to an unknown website, so Quartermaster "
                         "stopped it."));
    case QM_AUTH_ERROR_MAINTENANCE:
      return g_strdup (_("Bungie.net is down for maintenance. Try again later."));
    case QM_AUTH_ERROR_TOO_MANY_REDIRECTS:
    case QM_AUTH_ERROR_PROTOCOL:
    default:
      /* Translators: %s explains what went wrong. */
      return g_strdup_printf (_("The sign-in did not go as expected: %s"), error->message);
    }
}

char *
qm_ui_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == QM_PLATFORM_ERROR)
    return describe_platform_error (error);
  if (error->domain == QM_CLIENT_ERROR)
    return describe_client_error (error);
  if (error->domain == QM_AUTH_ERROR)
    return describe_auth_error (error);
  return g_strdup (error->message);
}

GSettings *
qm_ui_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, QM_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; settings are not remembered", QM_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
