/* qm-xur-digest.c: Xûr's week as a self-contained HTML page
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-xur-digest"

#include "config.h"

#include "qm-xur-digest.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define ICON_SIZE 48

/* Mail clients drop <style> in <head> less often than external sheets, and
 * the page must stand alone: one small inline sheet. */
static const char style_sheet[] =
  "body{margin:0;padding:24px;background:#f6f5f4;color:#241f31;"
  "font-family:Cantarell,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px}"
  ".digest{max-width:760px;margin:0 auto;background:#fff;border-radius:12px;padding:24px}"
  "h1{font-size:22px;margin:0 0 8px}"
  "h2{font-size:17px;margin:24px 0 8px}"
  ".when,.where,.note{margin:4px 0;color:#5e5c64}"
  "table{width:100%;border-collapse:collapse}"
  "th{text-align:left;font-size:13px;color:#5e5c64;border-bottom:1px solid #deddda;padding:6px}"
  "td{vertical-align:top;border-bottom:1px solid #f0efee;padding:6px}"
  "td.icon{width:" G_STRINGIFY (ICON_SIZE) "px}"
  "td.icon img{display:block;border-radius:4px;background:#3d3846}"
  ".name{font-weight:bold}"
  ".details{font-size:13px;color:#5e5c64}"
  ".mark{display:inline-block;font-size:12px;border-radius:8px;padding:0 6px;margin-left:6px}"
  ".owned{background:#dbeefb;color:#1c71d8}"
  ".unaffordable{background:#fbe3e3;color:#c01c28}"
  ".tier-6{color:#c88a1b}"
  ".tier-5{color:#813d9c}"
  ".footer{margin-top:24px;font-size:12px;color:#77767b}";

/* Appends @text HTML-escaped: &, <, >, " and ' become references HTML 4
 * parsers know too (not &apos;), and control characters, which HTML does not
 * allow, are dropped. */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          if ((guchar) *p >= 0x20 || *p == '\n' || *p == '\t')
            g_string_append_c (out, *p);
          else if (*p == '\r')
            g_string_append_c (out, ' ');
        }
    }
}

static void G_GNUC_PRINTF (2, 3)
append_escaped_printf (GString    *out,
                       const char *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  append_escaped (out, text);
}

static char *
format_in_zone (GDateTime  *instant,
                GTimeZone  *tz,
                const char *format)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);

  return g_date_time_format (local, format);
}

static char *
format_day (GDateTime *instant,
            GTimeZone *tz)
{
  /* Translators: a day in a strftime()-like format, e.g. "Friday, May 15, 2026". */
  return format_in_zone (instant, tz, _("%A, %B %-d, %Y"));
}

static char *
format_moment (GDateTime *instant,
               GTimeZone *tz)
{
  /* Translators: a day and time in a strftime()-like format, e.g. "Tuesday, May 19, 17:00 UTC". */
  return format_in_zone (instant, tz, _("%A, %B %-d, %H:%M %Z"));
}

static void
append_head (GString    *out,
             const char *title)
{
  g_string_append (out,
                   "<!DOCTYPE html>\n"
                   "<html>\n"
                   "<head>\n"
                   "<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
  append_escaped (out, title);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n<div class=\"digest\">\n",
                          style_sheet);
  g_string_append (out, "<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1>\n");
}

static void
append_tail (GString *out)
{
  g_string_append (out, "<p class=\"footer\">");
  append_escaped (out, _("Sent with Quartermaster. Data from Bungie.net."));
  g_string_append (out, "</p>\n</div>\n</body>\n</html>\n");
}

/* Only a path on @origin becomes a URL: nothing from the network picks the scheme. */
static void
append_icon_cell (GString    *out,
                  const char *icon,
                  const char *origin)
{
  g_string_append (out, "<td class=\"icon\">");
  if (icon != NULL && icon[0] == '/' && icon[1] != '/')
    {
      g_string_append (out, "<img src=\"");
      append_escaped (out, origin);
      append_escaped (out, icon);
      g_string_append_printf (out, "\" alt=\"\" width=\"%d\" height=\"%d\">", ICON_SIZE, ICON_SIZE);
    }
  g_string_append (out, "</td>");
}

static void
append_mark (GString    *out,
             const char *css_class,
             const char *text)
{
  g_string_append_printf (out, "<span class=\"mark %s\">", css_class);
  append_escaped (out, text);
  g_string_append (out, "</span>");
}

static void
append_details (GString      *out,
                QmVendorSale *sale)
{
  guint n_plugs = 0;
  const QmSalePlug *plugs = qm_vendor_sale_get_plugs (sale, &n_plugs);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < n_plugs; i++)
    if (plugs[i].name != NULL)
      g_ptr_array_add (names, plugs[i].name);
  g_ptr_array_add (names, NULL);
  if (qm_vendor_sale_get_power (sale) < 0 && names->len == 1)
    return;

  g_string_append (out, "<div class=\"details\">");
  if (qm_vendor_sale_get_power (sale) >= 0)
    /* Translators: an item's Power level. */
    append_escaped_printf (out, _("Power %d"), qm_vendor_sale_get_power (sale));
  if (qm_vendor_sale_get_power (sale) >= 0 && names->len > 1)
    g_string_append (out, " · ");
  if (names->len > 1)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) names->pdata);

      append_escaped (out, joined);
    }
  g_string_append (out, "</div>");
}

static void
append_name_cell (GString      *out,
                  QmVendorSale *sale)
{
  g_string_append_printf (out, "<td><span class=\"name tier-%d\">", qm_vendor_sale_get_tier_type (sale));
  if (qm_vendor_sale_get_name (sale) != NULL)
    append_escaped (out, qm_vendor_sale_get_name (sale));
  else
    append_escaped_printf (out, _("Unknown item %u"), qm_vendor_sale_get_hash (sale));
  g_string_append (out, "</span>");
  if (qm_vendor_sale_get_quantity (sale) > 1)
    append_escaped_printf (out, " ×%d", qm_vendor_sale_get_quantity (sale));
  if (qm_vendor_sale_get_owned (sale))
    append_mark (out, "owned", _("Owned"));
  if (!qm_vendor_sale_get_affordable (sale))
    append_mark (out, "unaffordable", _("Not affordable"));
  append_details (out, sale);
  g_string_append (out, "</td>");
}

static void
append_text_cell (GString    *out,
                  const char *text)
{
  g_string_append (out, "<td>");
  append_escaped (out, text);
  g_string_append (out, "</td>");
}

static void
append_sale_row (GString      *out,
                 QmVendorSale *sale,
                 const char   *origin)
{
  g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);

  g_string_append (out, "<tr>");
  append_icon_cell (out, qm_vendor_sale_get_icon (sale), origin);
  append_name_cell (out, sale);
  append_text_cell (out, qm_vendor_sale_get_item_type_name (sale));
  append_text_cell (out, qm_vendor_sale_get_tier_name (sale));
  append_text_cell (out, costs);
  g_string_append (out, "</tr>\n");
}

static void
append_table_head (GString    *out,
                   const char *heading)
{
  g_string_append (out, "<h2>");
  append_escaped (out, heading);
  g_string_append (out, "</h2>\n<table>\n<thead><tr><th></th><th>");
  append_escaped (out, _("Item"));
  g_string_append (out, "</th><th>");
  append_escaped (out, _("Type"));
  g_string_append (out, "</th><th>");
  append_escaped (out, _("Rarity"));
  g_string_append (out, "</th><th>");
  append_escaped (out, _("Cost"));
  g_string_append (out, "</th></tr></thead>\n<tbody>\n");
}

/* One table per vendor, in the model's order. */
static void
append_sales (GString    *out,
              GListModel *sales,
              const char *origin)
{
  guint32 vendor = 0;
  gboolean open = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);

      if (!open || qm_vendor_sale_get_vendor_hash (sale) != vendor)
        {
          if (open)
            g_string_append (out, "</tbody>\n</table>\n");
          vendor = qm_vendor_sale_get_vendor_hash (sale);
          append_table_head (out, qm_xur_vendor_title (vendor));
          open = TRUE;
        }
      append_sale_row (out, sale, origin);
    }
  if (open)
    g_string_append (out, "</tbody>\n</table>\n");
  else
    {
      g_string_append (out, "<p class=\"note\">");
      append_escaped (out, _("Xûr has nothing for sale."));
      g_string_append (out, "</p>\n");
    }
}

static void
append_paragraph (GString    *out,
                  const char *css_class,
                  const char *text)
{
  g_string_append_printf (out, "<p class=\"%s\">", css_class);
  append_escaped (out, text);
  g_string_append (out, "</p>\n");
}

static char *
present_page (QmXur      *xur,
              GTimeZone  *tz,
              const char *origin)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *week = format_day (qm_xur_get_arrives (xur), tz);
  g_autofree char *arrived = format_moment (qm_xur_get_arrives (xur), tz);
  g_autofree char *departs = format_moment (qm_xur_get_departs (xur), tz);
  g_autofree char *title = g_strdup_printf (_("Xûr’s stock for the week of %s"), week);
  g_autofree char *when = g_strdup_printf (_("Here since %s; leaves %s."), arrived, departs);

  append_head (out, title);
  if (qm_xur_get_location (xur) != NULL)
    {
      g_autofree char *where = g_strdup_printf (_("Where: %s"), qm_xur_get_location (xur));

      append_paragraph (out, "where", where);
    }
  append_paragraph (out, "when", when);
  append_sales (out, qm_xur_get_sales (xur), origin);
  append_tail (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
absent_page (QmXur     *xur,
             GTimeZone *tz)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *returns = format_moment (qm_xur_get_next_arrival (xur), tz);
  g_autofree char *text = g_strdup_printf (_("Xûr is not here. He returns %s."), returns);

  append_head (out, _("Xûr is away"));
  append_paragraph (out, "when", text);
  append_tail (out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * qm_xur_digest_html:
 * @tz: (nullable): the zone to show times in (%NULL: UTC)
 * @icon_origin: the origin icon paths are relative to, without a final '/'
 *
 * Returns: (transfer full): the page
 */
char *
qm_xur_digest_html (QmXur      *xur,
                    GTimeZone  *tz,
                    const char *icon_origin)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *origin = NULL;

  g_return_val_if_fail (QM_IS_XUR (xur), NULL);
  g_return_val_if_fail (icon_origin != NULL, NULL);

  zone = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  origin = g_strdup (icon_origin);
  while (g_str_has_suffix (origin, "/"))
    origin[strlen (origin) - 1] = '\0';
  if (!qm_xur_get_present (xur))
    return absent_page (xur, zone);
  return present_page (xur, zone, origin);
}
