/* fuzz-json-scan.c: the pull scanner, every reader
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing how numbers and strings are read, then JSON.
 * The whole document is walked; whatever is read must be valid UTF-8.
 */

#include "config.h"

#include "fuzz-target.h"
#include "qm-json-scan.h"

static void
walk (QmJsonScan *scan,
      guint8      mode)
{
  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_OBJECT:
      if (mode & 0x10 ? qm_json_scan_enter_object_or_skip (scan) : qm_json_scan_enter_object (scan))
        while (qm_json_scan_next_member (scan))
          {
            gsize length = 0;
            const char *key = qm_json_scan_key (scan, &length);

            FUZZ_CHECK (g_utf8_validate (key, (gssize) length, NULL));
            (void) qm_json_scan_key_is (scan, "Response");
            walk (scan, mode);
          }
      break;
    case QM_JSON_ARRAY:
      if (mode & 0x20 ? qm_json_scan_enter_array_or_skip (scan) : qm_json_scan_enter_array (scan))
        while (qm_json_scan_next_element (scan))
          walk (scan, mode);
      break;
    case QM_JSON_STRING:
      {
        const char *str = NULL;
        gsize length = 0;
        gint64 id;

        if ((mode & 3) == 1)
          (void) qm_json_scan_int64 (scan, &id);
        else if ((mode & 3) == 2)
          g_free (qm_json_scan_dup_string (scan));
        else if (qm_json_scan_string_or_skip (scan, &str, &length))
          FUZZ_CHECK (g_utf8_validate (str, (gssize) length, NULL));
      }
      break;
    case QM_JSON_NUMBER:
      {
        gint64 i;
        guint32 u;
        double d;

        if ((mode & 3) == 0)
          (void) qm_json_scan_int64 (scan, &i);
        else if ((mode & 3) == 1)
          (void) qm_json_scan_uint32 (scan, &u);
        else
          (void) qm_json_scan_double (scan, &d);
      }
      break;
    case QM_JSON_BOOLEAN:
      (void) qm_json_scan_boolean_or (scan, FALSE);
      break;
    case QM_JSON_NULL:
    case QM_JSON_INVALID:
    default:
      (void) qm_json_scan_skip (scan);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  QmJsonScan scan;
  guint8 mode;

  if (size < 1)
    return 0;
  mode = data[0];
  qm_json_scan_init (&scan, (const char *) data + 1, size - 1);
  if (mode & 0x40)
    (void) qm_json_scan_skip (&scan);
  else
    walk (&scan, mode);
  if (!qm_json_scan_finish (&scan, &error))
    FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (qm_json_scan_offset (&scan) <= size - 1);
  qm_json_scan_clear (&scan);
  return 0;
}
