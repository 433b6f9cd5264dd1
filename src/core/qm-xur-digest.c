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

#include "qm-error.h"

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

/* The MIME type of an image the digest embeds, from its first bytes; NULL
 * for anything else. */
static const char *
sniff_image_type (GBytes *bytes)
{
  gsize size = 0;
  const guchar *data = g_bytes_get_data (bytes, &size);

  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

/* Only a path can be an icon: nothing from the network names another
 * place. The picture is in the page (a data: URI), never fetched by it. */
static void
append_icon_cell (GString    *out,
                  const char *icon,
                  GHashTable *icons)
{
  GBytes *bytes = NULL;
  const char *type = NULL;

  g_string_append (out, "<td class=\"icon\">");
  if (icon != NULL && icon[0] == '/' && icon[1] != '/' && icons != NULL)
    bytes = g_hash_table_lookup (icons, icon);
  if (bytes != NULL && g_bytes_get_size (bytes) <= QM_XUR_DIGEST_MAX_ICON_BYTES)
    type = sniff_image_type (bytes);
  if (type != NULL)
    {
      gsize size = 0;
      const guchar *data = g_bytes_get_data (bytes, &size);
      g_autofree char *base64 = g_base64_encode (data, size);

      g_string_append_printf (out, "<img src=\"data:%s;base64,%s\" alt=\"\" width=\"%d\" height=\"%d\">",
                              type, base64, ICON_SIZE, ICON_SIZE);
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
                 GHashTable   *icons)
{
  g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);

  g_string_append (out, "<tr>");
  append_icon_cell (out, qm_vendor_sale_get_icon (sale), icons);
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
              GHashTable *icons)
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
      append_sale_row (out, sale, icons);
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
              GHashTable *icons)
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
  append_sales (out, qm_xur_get_sales (xur), icons);
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
 * @icons: (nullable) (element-type utf8 GBytes): the sales' icons by path
 *
 * Returns: (transfer full): the page
 */
char *
qm_xur_digest_html (QmXur      *xur,
                    GTimeZone  *tz,
                    GHashTable *icons)
{
  g_autoptr(GTimeZone) zone = NULL;

  g_return_val_if_fail (QM_IS_XUR (xur), NULL);

  zone = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  if (!qm_xur_get_present (xur))
    return absent_page (xur, zone);
  return present_page (xur, zone, icons);
}

/**
 * qm_xur_digest_dup_icon_paths:
 *
 * Returns: (transfer full): the icon paths of the sales, once each
 */
GStrv
qm_xur_digest_dup_icon_paths (QmXur *xur)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *sales;

  g_return_val_if_fail (QM_IS_XUR (xur), NULL);

  sales = qm_xur_get_sales (xur);
  for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
    {
      g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
      const char *icon = qm_vendor_sale_get_icon (sale);

      if (icon == NULL || icon[0] != '/' || icon[1] == '/' || !g_hash_table_add (seen, (gpointer) icon))
        continue;
      g_strv_builder_add (builder, icon);
    }
  return g_strv_builder_end (builder);
}

/* Fetching the icons */

typedef struct
{
  QmBungieClient *client;
  GStrv           paths;
  guint           next;
  GHashTable     *icons;
} FetchIcons;

static void
fetch_icons_free (gpointer data)
{
  FetchIcons *fetch = data;

  g_clear_object (&fetch->client);
  g_strfreev (fetch->paths);
  g_clear_pointer (&fetch->icons, g_hash_table_unref);
  g_free (fetch);
}

static void fetch_next_icon (GTask *task);

static void
on_icon_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchIcons *fetch = g_task_get_task_data (task);
  const char *path = fetch->paths[fetch->next - 1];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = qm_bungie_client_fetch_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (bytes == NULL && qm_error_is_cancelled (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An icon that does not come is left out, not the digest. */
  if (bytes == NULL)
    g_debug ("Icon %s left out of the digest: %s", path, error->message);
  else if (g_bytes_get_size (bytes) <= QM_XUR_DIGEST_MAX_ICON_BYTES)
    g_hash_table_insert (fetch->icons, g_strdup (path), g_steal_pointer (&bytes));
  else
    g_debug ("Icon %s left out of the digest: too large", path);
  fetch_next_icon (g_steal_pointer (&task));
}

static void
fetch_next_icon (GTask *task)
{
  FetchIcons *fetch = g_task_get_task_data (task);

  /* Those at hand already are not asked for again. */
  while (fetch->paths[fetch->next] != NULL &&
         g_hash_table_contains (fetch->icons, fetch->paths[fetch->next]))
    fetch->next++;
  if (fetch->paths[fetch->next] == NULL)
    {
      g_task_return_pointer (task, g_hash_table_ref (fetch->icons),
                             (GDestroyNotify) g_hash_table_unref);
      g_object_unref (task);
      return;
    }
  fetch->next++;
  qm_bungie_client_fetch_async (fetch->client, fetch->paths[fetch->next - 1],
                                g_task_get_cancellable (task), on_icon_fetched_cb, task);
}

/**
 * qm_xur_digest_fetch_icons_async:
 * @known: (nullable) (element-type utf8 GBytes): icons at hand already
 *
 * Fetches the icons of @xur's sales from @client's origin, one after the
 * other, for qm_xur_digest_html(); those in @known are taken from there.
 */
void
qm_xur_digest_fetch_icons_async (QmBungieClient      *client,
                                 QmXur               *xur,
                                 GHashTable          *known,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  FetchIcons *fetch;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (QM_IS_XUR (xur));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_xur_digest_fetch_icons_async);
  fetch = g_new0 (FetchIcons, 1);
  fetch->client = g_object_ref (client);
  fetch->paths = qm_xur_digest_dup_icon_paths (xur);
  fetch->icons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  if (known != NULL)
    {
      GHashTableIter iter;
      gpointer key;
      gpointer value;

      g_hash_table_iter_init (&iter, known);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (fetch->icons, g_strdup (key), g_bytes_ref (value));
    }
  g_task_set_task_data (task, fetch, fetch_icons_free);
  fetch_next_icon (task);
}

/**
 * qm_xur_digest_fetch_icons_finish:
 *
 * Returns: (transfer full) (element-type utf8 GBytes): the icons by path
 */
GHashTable *
qm_xur_digest_fetch_icons_finish (QmBungieClient  *client,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
