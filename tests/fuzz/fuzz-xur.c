/* fuzz-xur.c: the vendor (Xûr) parser
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte of flags, then a GetVendor(s) answer. Its envelope is
 * decoded as the client does; the Response is Xûr's vendor and, with bit 0,
 * his strange gear too. A parsed Xûr is written out as JSON.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-envelope.h"
#include "qm-json.h"
#include "qm-xur.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (1796000000 + 3600 * (size % 200));
  g_autoptr(QmXur) xur = NULL;
  JsonNode *vendor;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  response = qm_envelope_parse (body, 200, "application/json", NULL, NULL);
  if (response == NULL)
    {
      root = qm_json_parse_bytes (body, NULL);
      if (root == NULL)
        return 0;
      vendor = root;
    }
  else
    vendor = response;
  xur = qm_xur_parse (vendor, data[0] & 1 ? vendor : NULL, NULL, NULL, now, NULL);
  if (xur != NULL)
    {
      g_autoptr(JsonNode) out = qm_xur_to_json (xur);
      GListModel *sales = qm_xur_get_sales (xur);

      FUZZ_CHECK (out != NULL);
      for (guint i = 0; i < g_list_model_get_n_items (sales); i++)
        {
          g_autoptr(QmVendorSale) sale = g_list_model_get_item (sales, i);
          g_autofree char *costs = qm_vendor_sale_dup_costs_text (sale);
        }
    }
  return 0;
}
