/* qm-json-scan.h: a pull scanner over JSON bytes, for large documents
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the manifest's tables and the profile, where building a json-glib tree
 * costs several times the bytes in memory and time. The scanner walks the
 * bytes in place: the caller enters containers, reads the members it wants
 * and skips the rest. Pure: no I/O, no allocation beyond a scratch buffer
 * for strings with escapes. Any error is sticky: every call after it
 * returns FALSE / QM_JSON_INVALID, and qm_json_scan_finish() reports it with
 * the byte offset.
 *
 * Typical use:
 *
 *   QmJsonScan scan;
 *   qm_json_scan_init (&scan, data, size);
 *   if (qm_json_scan_enter_object (&scan))
 *     while (qm_json_scan_next_member (&scan))
 *       if (qm_json_scan_key_is (&scan, "name"))
 *         qm_json_scan_string (&scan, &str, &len);
 *       else
 *         qm_json_scan_skip (&scan);
 *   if (!qm_json_scan_finish (&scan, &error)) …
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  QM_JSON_INVALID,   /* error, or nothing left */
  QM_JSON_OBJECT,
  QM_JSON_ARRAY,
  QM_JSON_STRING,
  QM_JSON_NUMBER,
  QM_JSON_BOOLEAN,
  QM_JSON_NULL,
} QmJsonType;

typedef struct
{
  /*< private >*/
  const char *start;
  const char *end;
  const char *p;
  const char *key;         /* the current member's name (not NUL-terminated) */
  gsize       key_len;
  GString    *scratch;     /* decoded strings with escapes */
  GString    *key_scratch;
  guint       depth;
  gboolean    first;       /* next member/element is the container's first */
  char       *error;       /* the first error's message, or NULL */
  gsize       error_offset;
} QmJsonScan;

void        qm_json_scan_init          (QmJsonScan  *scan,
                                        const char  *data,
                                        gsize        size);
/* Frees the scratch buffers and the error (the scan can be reused after init). */
void        qm_json_scan_clear         (QmJsonScan  *scan);

/* The type of the next value, without consuming it. */
QmJsonType  qm_json_scan_peek          (QmJsonScan  *scan);

/* Consume '{' / '['. FALSE (and an error) when the next value is something
 * else. */
gboolean    qm_json_scan_enter_object  (QmJsonScan  *scan);
gboolean    qm_json_scan_enter_array   (QmJsonScan  *scan);
/* Move to the next member of the object entered last: TRUE with the key
 * set and the scanner before its value (which must then be read or
 * skipped); FALSE after consuming the closing '}' or on an error. */
gboolean    qm_json_scan_next_member   (QmJsonScan  *scan);
/* The same for arrays: TRUE before the next element, FALSE after ']'. */
gboolean    qm_json_scan_next_element  (QmJsonScan  *scan);
/* The current member's name (decoded; valid until the next member). */
const char *qm_json_scan_key           (QmJsonScan  *scan,
                                        gsize       *length);
gboolean    qm_json_scan_key_is        (QmJsonScan  *scan,
                                        const char  *name);

/* Read the next value. A value of another type is an error, except: null
 * for a string (FALSE, no error: *str NULL) and an integer held in a string
 * for the number readers (Bungie's int64 ids). The string is decoded and
 * UTF-8 checked; it is not NUL-terminated and is valid until the next call. */
gboolean    qm_json_scan_string        (QmJsonScan  *scan,
                                        const char **str,
                                        gsize       *length);
/* The string as a new NUL-terminated copy (NULL for null or on error). */
char       *qm_json_scan_dup_string    (QmJsonScan  *scan);
gboolean    qm_json_scan_int64         (QmJsonScan  *scan,
                                        gint64      *value);
/* A uint32 hash: a number or a numeric string in 0..G_MAXUINT32. */
gboolean    qm_json_scan_uint32        (QmJsonScan  *scan,
                                        guint32     *value);
gboolean    qm_json_scan_double        (QmJsonScan  *scan,
                                        double      *value);
gboolean    qm_json_scan_boolean       (QmJsonScan  *scan,
                                        gboolean    *value);
/* Lenient readers for fields that Bungie may send as null or change: a
 * value of another type is skipped (no error) and FALSE returned. */
gboolean    qm_json_scan_enter_object_or_skip (QmJsonScan *scan);
gboolean    qm_json_scan_enter_array_or_skip  (QmJsonScan *scan);
gboolean    qm_json_scan_string_or_skip (QmJsonScan  *scan,
                                        const char **str,
                                        gsize       *length);
/* The boolean read, or @fallback. */
gboolean    qm_json_scan_boolean_or     (QmJsonScan  *scan,
                                        gboolean     fallback);
/* Skip the next value, whatever it is (checking its syntax). */
gboolean    qm_json_scan_skip          (QmJsonScan  *scan);

/* The value of a JSON number's text (as the scanner accepts it), however
 * long. */
double      qm_json_number_value       (const char  *text,
                                        gsize        length);
/* A double as gint64, truncated toward zero; out of range, the nearest
 * bound (a plain cast would be undefined); NaN is 0. */
gint64      qm_json_double_to_int64    (double       value);

/* Set an error (e.g. a value of the right type but out of range). */
void        qm_json_scan_fail          (QmJsonScan  *scan,
                                        const char  *message);
gboolean    qm_json_scan_failed        (QmJsonScan  *scan);
/* TRUE when no error happened and only whitespace follows the value read;
 * else FALSE with QM_CLIENT_ERROR_MALFORMED (message with the offset). */
gboolean    qm_json_scan_finish        (QmJsonScan  *scan,
                                        GError     **error);
/* The byte offset reached. */
gsize       qm_json_scan_offset        (QmJsonScan  *scan);

G_END_DECLS
