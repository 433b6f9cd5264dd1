/* qm-cli-xur.c: quartermaster-cli xur, Xûr’s stock or when he returns
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>

#include "qm-cli-private.h"
#include "qm-xur.h"
#include "qm-xur-digest.h"

static char *
format_local (GDateTime *instant)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (instant);

  /* Translators: a day and time in a strftime()-like format, e.g. "Tuesday, May 19, 17:00 UTC". */
  return g_date_time_format (local, _("%A, %B %-d, %H:%M %Z"));
}

/* "in 2 days, 5 hours" from now. */
static char *
format_countdown (GDateTime *target)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *days_text = NULL;
  g_autofree char *hours_text = NULL;
  int days, hours;

  qm_xur_split_countdown (now, target, &days, &hours, NULL, NULL);
  days_text = g_strdup_printf (ngettext ("%d day", "%d days", days), days);
  hours_text = g_strdup_printf (ngettext ("%d hour", "%d hours", hours), hours);
  /* Translators: how long until then, e.g. "in 2 days, 5 hours". */
  return g_strdup_printf (_("in %s, %s"), days_text, hours_text);
}

static void
append_sale (GString      *out,
             QmVendorSale *sale)
{
  g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);
  const char *type = qm_vendor_sale_get_item_type_name (sale);
  const char *tier = qm_vendor_sale_get_tier_name (sale);

  if (qm_vendor_sale_get_name (sale) != NULL)
    g_string_append_printf (out, "  %s", qm_vendor_sale_get_name (sale));
  else
    g_string_append_printf (out, _("  Unknown item %u"), qm_vendor_sale_get_hash (sale));
  if (qm_vendor_sale_get_quantity (sale) > 1)
    g_string_append_printf (out, " x%d", qm_vendor_sale_get_quantity (sale));
  if (qm_cli_has_text (type) || qm_cli_has_text (tier))
    g_string_append_printf (out, " (%s%s%s)", qm_cli_has_text (type) ? type : "",
                            qm_cli_has_text (type) && qm_cli_has_text (tier) ? ", " : "", qm_cli_has_text (tier) ? tier : "");
  if (qm_vendor_sale_get_power (sale) >= 0)
    g_string_append_printf (out, "  %d", qm_vendor_sale_get_power (sale));
  g_string_append_printf (out, "\n    %s", *costs != '\0' ? costs : _("free"));
  if (qm_vendor_sale_get_owned (sale))
    g_string_append_printf (out, "  [%s]", _("owned"));
  if (!qm_vendor_sale_get_affordable (sale))
    g_string_append_printf (out, "  [%s]", _("cannot afford"));
  g_string_append_c (out, '\n');
}

static void
append_vendor_heading (GString *out,
                       guint32  vendor_hash)
{
  const char *title = qm_xur_vendor_title (vendor_hash);
  g_autofree char *underline = g_strnfill (g_utf8_strlen (title, -1), '=');

  g_string_append_printf (out, "\n%s\n%s\n", title, underline);
}

static char *
xur_text (QmXur *xur)
{
  GListModel *sales = qm_xur_get_sales (xur);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *countdown = NULL;
  guint32 vendor = 0;

  if (!qm_xur_get_present (xur))
    {
      when = format_local (qm_xur_get_next_arrival (xur));
      countdown = format_countdown (qm_xur_get_next_arrival (xur));
      /* Translators: the first %s is a day and time, the second how long until then. */
      g_string_append_printf (out, _("Xûr is not here. He returns %s (%s).\n"), when, countdown);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  when = format_local (qm_xur_get_departs (xur));
  countdown = format_countdown (qm_xur_get_departs (xur));
  /* Translators: the first %s is a day and time, the second how long until then. */
  g_string_append_printf (out, _("Xûr is here until %s (%s).\n"), when, countdown);
  if (qm_xur_get_location (xur) != NULL)
    g_string_append_printf (out, _("Where: %s\n"), qm_xur_get_location (xur));
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      if (i == 0 || qm_vendor_sale_get_vendor_hash (sale) != vendor)
        append_vendor_heading (out, qm_vendor_sale_get_vendor_hash (sale));
      vendor = qm_vendor_sale_get_vendor_hash (sale);
      append_sale (out, sale);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
print_xur (QmCli   *cli,
           QmXur   *xur,
           GError **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (cli->html_path != NULL)
    {
      g_autoptr(GHashTable) icons = NULL;

      /* The icons go into the page: it stands alone. */
      qm_xur_digest_fetch_icons_async (cli->client, xur, NULL, NULL, qm_cli_on_done_cb, cli);
      icons = qm_xur_digest_fetch_icons_finish (cli->client, qm_cli_wait (cli), error);
      qm_cli_clear_result (cli);
      if (icons == NULL)
        return FALSE;
      local = g_time_zone_new_local ();
      text = qm_xur_digest_html (xur, local, icons);
      /* Written whole or not at all. */
      return g_file_set_contents (cli->html_path, text, -1, error);
    }
  if (!cli->json)
    {
      text = xur_text (xur);
      return qm_cli_write_stdout (text, error);
    }
  root = qm_xur_to_json (xur);
  return qm_cli_write_json (root, error);
}

static int
run_xur (QmCli *cli)
{
  g_autoptr(QmXur) xur = NULL;
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->json && cli->html_path != NULL)
    return qm_cli_fail (QM_CLI_EXIT_USAGE, _("“xur” takes either --json or --html FILE"));
  if (!qm_cli_connect_account (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);

  if (cli->membership != NULL)
    {
      inventory = qm_cli_load_inventory (cli, &error);
      if (inventory == NULL)
        return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
    }
  qm_xur_load_async (cli->client, inventory, NULL, qm_cli_on_done_cb, cli);
  g_clear_object (&inventory);
  xur = qm_xur_load_finish (qm_cli_wait (cli), &error);
  inventory = qm_xur_load_dup_inventory (cli->result);
  qm_cli_clear_result (cli);
  if (xur == NULL)
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  if (inventory != NULL && qm_inventory_get_manifest_error (inventory) != NULL)
    qm_cli_warn (qm_inventory_get_manifest_error (inventory)->message);
  if (!print_xur (cli, xur, &error))
    return qm_cli_fail_output (error);
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_xur = {
  .name = "xur",
  .summary = N_("Xûr’s stock this week, or when he returns"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_HTML | QM_CLI_OPTION_MEMBERSHIP,
  .run = run_xur,
};
