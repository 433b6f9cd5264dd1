/* qm-cli-inventory.c: quartermaster-cli inventory, every item of the account
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"

static void
append_bucket_header (GString    *out,
                      guint32     bucket_hash,
                      QmManifest *manifest)
{
  g_autofree char *name = qm_bucket_dup_name (manifest, bucket_hash);

  if (name != NULL)
    g_string_append_printf (out, "%s:\n", name);
  else
    g_string_append_printf (out, _("Bucket %u:\n"), bucket_hash);
}

static void
append_item (GString *out,
             QmItem  *item)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_free);

  if (qm_item_get_name (item) != NULL)
    g_string_append_printf (out, "  %s", qm_item_get_name (item));
  else
    g_string_append_printf (out, _("  Unknown item %u"), qm_item_get_hash (item));
  if (qm_item_get_power (item) >= 0)
    g_string_append_printf (out, "  %d", qm_item_get_power (item));

  if (qm_item_get_location (item) == QM_ITEM_LOCATION_EQUIPPED)
    g_ptr_array_add (marks, g_strdup_printf ("[%s]", _("equipped")));
  if (qm_item_get_locked (item))
    g_ptr_array_add (marks, g_strdup_printf ("[%s]", _("locked")));
  if (qm_item_get_quantity (item) > 1)
    g_ptr_array_add (marks, g_strdup_printf ("x%d", qm_item_get_quantity (item)));
  g_ptr_array_add (marks, NULL);
  if (marks->len > 1)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) marks->pdata);

      g_string_append_printf (out, "  %s", joined);
    }
  g_string_append_c (out, '\n');
}

/* The slot an item is shown under: vault items by their home bucket. */
static guint32
display_bucket (QmItem     *item,
                QmManifest *manifest)
{
  QmItemDefinition def;

  if (qm_item_get_location (item) != QM_ITEM_LOCATION_VAULT)
    return qm_item_get_bucket_hash (item);
  def = qm_manifest_get_item (manifest, qm_item_get_hash (item));
  return def.bucket_hash != 0 ? def.bucket_hash : qm_item_get_bucket_hash (item);
}

typedef struct
{
  QmItem  *item;
  guint32  bucket;
  guint    position;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *entry_a = a;
  const Entry *entry_b = b;
  gint64 key_a = qm_bucket_get_sort_key (entry_a->bucket);
  gint64 key_b = qm_bucket_get_sort_key (entry_b->bucket);

  if (key_a != key_b)
    return key_a < key_b ? -1 : 1;
  return (entry_a->position > entry_b->position) - (entry_a->position < entry_b->position);
}

/* @entries sorted by bucket, each bucket under its heading. */
static void
append_section (GString    *out,
                const char *title,
                GArray     *entries,
                QmManifest *manifest)
{
  g_autofree char *underline = NULL;
  gint64 key = -1;

  g_array_sort (entries, compare_entries);
  underline = g_strnfill (g_utf8_strlen (title, -1), '=');
  g_string_append_printf (out, "%s%s\n%s\n", out->len > 0 ? "\n" : "", title, underline);
  if (entries->len == 0)
    g_string_append_printf (out, "%s\n", _("(no items)"));
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      /* Buckets shown together share a key: one heading for them. */
      if (qm_bucket_get_sort_key (entry->bucket) != key)
        append_bucket_header (out, entry->bucket, manifest);
      key = qm_bucket_get_sort_key (entry->bucket);
      append_item (out, entry->item);
    }
}

typedef gboolean (*ItemFilter) (QmItem *item, const char *character_id);

static gboolean
is_character_item (QmItem     *item,
                  const char *character_id)
{
  return qm_item_is_held_by (item, character_id);
}

static gboolean
is_vault_item (QmItem     *item,
               const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
}

static gboolean
is_account_item (QmItem     *item,
                 const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_ACCOUNT;
}

static GArray *
collect_entries (QmInventory *inventory,
                 ItemFilter   filter,
                 const char  *character_id)
{
  GListModel *items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));

  /* The model holds the items for as long as the entries are used. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);
      Entry entry = { item, 0, i };

      if (!filter (item, character_id))
        continue;
      entry.bucket = display_bucket (item, qm_inventory_get_manifest (inventory));
      g_array_append_val (entries, entry);
    }
  return entries;
}

static gboolean
print_text (QmInventory  *inventory,
            GError      **error)
{
  QmProfile *profile = qm_inventory_get_profile (inventory);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) vault = collect_entries (inventory, is_vault_item, NULL);
  g_autoptr(GArray) account = collect_entries (inventory, is_account_item, NULL);

  for (guint i = 0; i < qm_profile_get_n_characters (profile); i++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, i);
      g_autoptr(GArray) entries = collect_entries (inventory, is_character_item, character->id);
      g_autofree char *title = g_strdup_printf (_("%s (Power %d)"),
                                                qm_class_type_display_name (character->class_type),
                                                character->light);

      append_section (out, title, entries, qm_inventory_get_manifest (inventory));
    }
  append_section (out, _("Vault"), vault, qm_inventory_get_manifest (inventory));
  append_section (out, _("Account"), account, qm_inventory_get_manifest (inventory));
  return qm_cli_write_stdout (out->str, error);
}

static int
run_inventory (QmCli *cli)
{
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *withheld = NULL;

  if (!qm_cli_connect_account (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  inventory = qm_cli_load_inventory (cli, &error);
  if (inventory == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  if (qm_inventory_get_manifest_error (inventory) != NULL)
    qm_cli_warn (qm_inventory_get_manifest_error (inventory)->message);
  if (cli->json)
    root = qm_inventory_to_json (inventory);
  if (!(cli->json ? qm_cli_write_json (root, &error) : print_text (inventory, &error)))
    return qm_cli_fail_output (error);
  withheld = qm_profile_describe_withheld (qm_inventory_get_profile (inventory));
  if (withheld != NULL)
    {
      qm_cli_warn (withheld);
      return QM_CLI_EXIT_WITHHELD;
    }
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_inventory = {
  .name = "inventory",
  .summary = N_("list every item of the account"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_MEMBERSHIP,
  .run = run_inventory,
};
