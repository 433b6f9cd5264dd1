/* fuzz-search.c: the search language
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a query as typed (UTF-8). It is parsed, printed, matched against
 * the items of a small profile, and completed at every character.
 */

#include "config.h"

#include <string.h>

#include "fuzz-target.h"
#include "qm-item.h"
#include "qm-profile.h"
#include "qm-search.h"

static const char profile_text[] =
  "{\"profileInventory\":{\"data\":{\"items\":["
  "{\"itemHash\":1,\"itemInstanceId\":\"10\",\"quantity\":1,\"bucketHash\":138197802,\"location\":2,\"state\":1},"
  "{\"itemHash\":2,\"quantity\":250,\"bucketHash\":1469714392,\"location\":2},"
  "{\"itemHash\":3,\"itemInstanceId\":\"30\",\"bucketHash\":215593132,\"location\":4}]}},"
  "\"itemComponents\":{\"instances\":{\"data\":{\"10\":{\"primaryStat\":{\"value\":1810},\"damageType\":3},"
  "\"30\":{\"primaryStat\":{\"value\":1600},\"damageType\":1}}}}}";

static GListModel *
items (void)
{
  static QmProfile *profile;

  if (profile == NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (profile_text, strlen (profile_text));

      profile = qm_profile_parse_bytes (bytes, NULL);
      g_assert (profile != NULL);
    }
  return qm_profile_get_items (profile);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(QmSearchQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model = items ();
  int start = -1;
  int end = -1;
  gsize length;

  /* The entry only ever holds UTF-8 without NULs. */
  if (strlen (text) != size || !g_utf8_validate (text, -1, NULL))
    return 0;
  length = (gsize) g_utf8_strlen (text, -1);
  query = qm_search_query_parse (text, &start, &end, &error);
  if (query == NULL)
    {
      FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
      FUZZ_CHECK (start >= 0 && start <= end && (gsize) end <= length);
    }
  else
    {
      g_autofree char *canonical = qm_search_query_to_string (query);

      FUZZ_CHECK (canonical != NULL);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (model, i);

          (void) qm_search_query_matches (query, item);
        }
    }
  /* Completion at 8 cursors spread over the query, and at its end (each
   * completion reads the text and looks through the vocabulary: at every
   * cursor, an input cost the square of its length). Which cursor matters
   * is the fuzzer's to vary, through the text. */
  {
    gsize step = MAX (1, length / 8);
    gsize index = 0;

    for (const char *p = text;; p = g_utf8_next_char (p), index++)
      {
        gsize cursor = (gsize) (p - text);

        if (index % step == 0 || *p == '\0')
          {
            g_auto(GStrv) completions = qm_search_complete (text, cursor, 5);

            FUZZ_CHECK (qm_search_word_start (text, cursor) <= cursor);
            FUZZ_CHECK (completions != NULL);
          }
        if (*p == '\0')
          break;
      }
  }
  return 0;
}
