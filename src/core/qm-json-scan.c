/* qm-json-scan.c: a pull scanner over JSON bytes, for large documents
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-json-scan"

#include "config.h"

#include "qm-json-scan.h"

#include <math.h>
#include <string.h>

#include "qm-error.h"

/* gint64's range as doubles: [-2^63, 2^63). Both are exact. */
#define QM_JSON_INT64_LOWER (-0x1p63)
#define QM_JSON_INT64_UPPER (0x1p63)

/* Containers nest at most this deep: Bungie's documents stay under 16. */
#define MAX_DEPTH 256

static inline void
skip_space (QmJsonScan *scan)
{
  const char *p = scan->p;
  const char *end = scan->end;

  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  scan->p = p;
}

static void
fail_at (QmJsonScan *scan,
         const char *at,
         const char *message)
{
  if (scan->error != NULL)
    return;
  scan->error = g_strdup (message);
  scan->error_offset = (gsize) (MIN (at, scan->end) - scan->start);
  /* Nothing more is read after an error. */
  scan->p = scan->end;
}

static void
fail_expected (QmJsonScan *scan,
               const char *what)
{
  g_autofree char *message = NULL;

  if (scan->p >= scan->end)
    message = g_strdup_printf ("the data ends where %s was expected", what);
  else
    message = g_strdup_printf ("%s expected", what);
  fail_at (scan, scan->p, message);
}

void
qm_json_scan_init (QmJsonScan *scan,
                   const char *data,
                   gsize       size)
{
  g_return_if_fail (scan != NULL);
  g_return_if_fail (data != NULL || size == 0);

  memset (scan, 0, sizeof *scan);
  scan->start = data != NULL ? data : "";
  scan->end = scan->start + size;
  scan->p = scan->start;
}

void
qm_json_scan_clear (QmJsonScan *scan)
{
  g_return_if_fail (scan != NULL);

  if (scan->scratch != NULL)
    g_string_free (scan->scratch, TRUE);
  if (scan->key_scratch != NULL)
    g_string_free (scan->key_scratch, TRUE);
  g_free (scan->error);
  scan->scratch = NULL;
  scan->key_scratch = NULL;
  scan->error = NULL;
}

QmJsonType
qm_json_scan_peek (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, QM_JSON_INVALID);

  if (scan->error != NULL)
    return QM_JSON_INVALID;
  skip_space (scan);
  if (scan->p >= scan->end)
    return QM_JSON_INVALID;
  switch (*scan->p)
    {
    case '{':
      return QM_JSON_OBJECT;
    case '[':
      return QM_JSON_ARRAY;
    case '"':
      return QM_JSON_STRING;
    case 't':
    case 'f':
      return QM_JSON_BOOLEAN;
    case 'n':
      return QM_JSON_NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return QM_JSON_NUMBER;
    default:
      return QM_JSON_INVALID;
    }
}

static gboolean
enter (QmJsonScan *scan,
       char        open,
       const char *what)
{
  if (scan->error != NULL)
    return FALSE;
  skip_space (scan);
  if (scan->p >= scan->end || *scan->p != open)
    {
      fail_expected (scan, what);
      return FALSE;
    }
  if (scan->depth >= MAX_DEPTH)
    {
      fail_at (scan, scan->p, "the data nests too deeply");
      return FALSE;
    }
  scan->p++;
  scan->depth++;
  scan->first = TRUE;
  return TRUE;
}

gboolean
qm_json_scan_enter_object (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  return enter (scan, '{', "an object");
}

gboolean
qm_json_scan_enter_array (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  return enter (scan, '[', "an array");
}

/* After a value inside a container: ',' (TRUE) or the closing @close
 * (consumed, FALSE). */
static gboolean
next_in_container (QmJsonScan *scan,
                   char        close)
{
  if (scan->error != NULL)
    return FALSE;
  skip_space (scan);
  if (scan->p < scan->end && *scan->p == close)
    {
      scan->p++;
      scan->depth--;
      scan->first = FALSE;
      return FALSE;
    }
  if (scan->first)
    {
      scan->first = FALSE;
      return TRUE;
    }
  if (scan->p < scan->end && *scan->p == ',')
    {
      scan->p++;
      skip_space (scan);
      if (scan->p < scan->end && *scan->p == close)
        {
          fail_at (scan, scan->p, "a value expected after ','");
          return FALSE;
        }
      return TRUE;
    }
  fail_expected (scan, close == '}' ? "',' or '}'" : "',' or ']'");
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar value = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

/* Decode the string whose opening quote is at scan->p into @buffer when it
 * has escapes; else point into the data. Leaves scan->p after the closing
 * quote. */
static gboolean
read_string (QmJsonScan  *scan,
             GString    **buffer,
             const char **str,
             gsize       *length)
{
  const char *begin = scan->p + 1;
  const char *p = begin;
  const char *end = scan->end;
  GString *out;

  /* The common case: no escapes. */
  while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
    p++;
  if (p < end && *p == '"')
    {
      if (!g_utf8_validate_len (begin, (gsize) (p - begin), NULL))
        {
          fail_at (scan, begin, "a string is not valid UTF-8");
          return FALSE;
        }
      *str = begin;
      *length = (gsize) (p - begin);
      scan->p = p + 1;
      return TRUE;
    }

  if (*buffer == NULL)
    *buffer = g_string_sized_new (64);
  out = *buffer;
  g_string_truncate (out, 0);
  g_string_append_len (out, begin, p - begin);
  while (p < end && *p != '"')
    {
      if ((guchar) *p < 0x20)
        {
          fail_at (scan, p, "a control character in a string");
          return FALSE;
        }
      if (*p != '\\')
        {
          const char *run = p;

          while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
            p++;
          g_string_append_len (out, run, p - run);
          continue;
        }
      if (++p >= end)
        break;
      switch (*p)
        {
        case '"': g_string_append_c (out, '"'); p++; break;
        case '\\': g_string_append_c (out, '\\'); p++; break;
        case '/': g_string_append_c (out, '/'); p++; break;
        case 'b': g_string_append_c (out, '\b'); p++; break;
        case 'f': g_string_append_c (out, '\f'); p++; break;
        case 'n': g_string_append_c (out, '\n'); p++; break;
        case 'r': g_string_append_c (out, '\r'); p++; break;
        case 't': g_string_append_c (out, '\t'); p++; break;
        case 'u':
          {
            gunichar c = 0;

            if (!read_hex4 (p + 1, end, &c))
              {
                fail_at (scan, p, "an invalid \\u escape");
                return FALSE;
              }
            p += 5;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar low = 0;

                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    !read_hex4 (p + 2, end, &low) || low < 0xDC00 || low > 0xDFFF)
                  {
                    fail_at (scan, p, "a lone UTF-16 surrogate");
                    return FALSE;
                  }
                p += 6;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              {
                fail_at (scan, p, "a lone UTF-16 surrogate");
                return FALSE;
              }
            if (c == 0)
              {
                fail_at (scan, p, "a NUL character in a string");
                return FALSE;
              }
            g_string_append_unichar (out, c);
            break;
          }
        default:
          fail_at (scan, p, "an invalid escape in a string");
          return FALSE;
        }
    }
  if (p >= end)
    {
      fail_at (scan, end, "the data ends inside a string");
      return FALSE;
    }
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      fail_at (scan, begin, "a string is not valid UTF-8");
      return FALSE;
    }
  *str = out->str;
  *length = out->len;
  scan->p = p + 1;
  return TRUE;
}

gboolean
qm_json_scan_next_member (QmJsonScan *scan)
{
  const char *key = NULL;
  gsize key_len = 0;

  g_return_val_if_fail (scan != NULL, FALSE);

  if (!next_in_container (scan, '}'))
    return FALSE;
  if (scan->p >= scan->end || *scan->p != '"')
    {
      fail_expected (scan, "a member name");
      return FALSE;
    }
  if (!read_string (scan, &scan->key_scratch, &key, &key_len))
    return FALSE;
  skip_space (scan);
  if (scan->p >= scan->end || *scan->p != ':')
    {
      fail_expected (scan, "':'");
      return FALSE;
    }
  scan->p++;
  scan->key = key;
  scan->key_len = key_len;
  return TRUE;
}

gboolean
qm_json_scan_next_element (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  return next_in_container (scan, ']');
}

const char *
qm_json_scan_key (QmJsonScan *scan,
                  gsize      *length)
{
  g_return_val_if_fail (scan != NULL, NULL);

  if (length != NULL)
    *length = scan->key_len;
  return scan->key;
}

gboolean
qm_json_scan_key_is (QmJsonScan *scan,
                     const char *name)
{
  gsize len;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  return scan->key != NULL && scan->key_len == len && memcmp (scan->key, name, len) == 0;
}

gboolean
qm_json_scan_string (QmJsonScan  *scan,
                     const char **str,
                     gsize       *length)
{
  const char *value = NULL;
  gsize value_len = 0;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (str != NULL, FALSE);

  *str = NULL;
  if (length != NULL)
    *length = 0;
  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_STRING:
      if (!read_string (scan, &scan->scratch, &value, &value_len))
        return FALSE;
      *str = value;
      if (length != NULL)
        *length = value_len;
      return TRUE;
    case QM_JSON_NULL:
      return qm_json_scan_skip (scan) && FALSE;
    default:
      fail_expected (scan, "a string");
      return FALSE;
    }
}

char *
qm_json_scan_dup_string (QmJsonScan *scan)
{
  const char *str = NULL;
  gsize length = 0;

  g_return_val_if_fail (scan != NULL, NULL);

  if (!qm_json_scan_string (scan, &str, &length))
    return NULL;
  /* A string with an escaped NUL was refused: strndup keeps it whole. */
  return g_strndup (str, length);
}

/* Check the number at @p and return where it ends, or NULL. */
static const char *
number_end (const char *p,
            const char *end,
            gboolean   *integral)
{
  *integral = TRUE;
  if (p < end && *p == '-')
    p++;
  if (p >= end || !g_ascii_isdigit (*p))
    return NULL;
  if (*p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p < end && *p == '.')
    {
      *integral = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *integral = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  return p;
}

/* An integer in [@p, @end): optional '-' and digits only. */
static gboolean
parse_integer (const char *p,
               const char *end,
               gint64     *value)
{
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  guint64 limit;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end)
    return FALSE;
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; p < end; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = (guint) (*p - '0');
      if (magnitude > (limit - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }
  *value = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return TRUE;
}

gboolean
qm_json_scan_int64 (QmJsonScan *scan,
                    gint64     *value)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = 0;
  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_NUMBER:
      {
        gboolean integral;
        const char *begin = scan->p;
        const char *stop = number_end (begin, scan->end, &integral);

        if (stop == NULL)
          {
            fail_at (scan, begin, "an invalid number");
            return FALSE;
          }
        if (!integral)
          {
            double d = qm_json_number_value (begin, (gsize) (stop - begin));

            /* The range first: casting a double outside gint64's range is
             * undefined behaviour. */
            if (!(d >= QM_JSON_INT64_LOWER && d < QM_JSON_INT64_UPPER) || d != trunc (d))
              {
                fail_at (scan, begin, "a whole number expected");
                return FALSE;
              }
            *value = (gint64) d;
          }
        else if (!parse_integer (begin, stop, value))
          {
            fail_at (scan, begin, "a number out of range");
            return FALSE;
          }
        scan->p = stop;
        return TRUE;
      }
    case QM_JSON_STRING:
      {
        const char *begin = scan->p;
        const char *str = NULL;
        gsize length = 0;

        if (!read_string (scan, &scan->scratch, &str, &length))
          return FALSE;
        if (!parse_integer (str, str + length, value))
          {
            fail_at (scan, begin, "a whole number expected");
            return FALSE;
          }
        return TRUE;
      }
    default:
      fail_expected (scan, "a number");
      return FALSE;
    }
}

gboolean
qm_json_scan_uint32 (QmJsonScan *scan,
                     guint32    *value)
{
  const char *at;
  gint64 wide = 0;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = 0;
  skip_space (scan);
  at = scan->p;
  if (!qm_json_scan_int64 (scan, &wide))
    return FALSE;
  if (wide < 0 || wide > G_MAXUINT32)
    {
      fail_at (scan, at, "a hash out of range");
      return FALSE;
    }
  *value = (guint32) wide;
  return TRUE;
}

gboolean
qm_json_scan_double (QmJsonScan *scan,
                     double     *value)
{
  gboolean integral;
  const char *begin;
  const char *stop;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = 0;
  if (qm_json_scan_peek (scan) != QM_JSON_NUMBER)
    {
      fail_expected (scan, "a number");
      return FALSE;
    }
  begin = scan->p;
  stop = number_end (begin, scan->end, &integral);
  if (stop == NULL)
    {
      fail_at (scan, begin, "an invalid number");
      return FALSE;
    }
  *value = qm_json_number_value (begin, (gsize) (stop - begin));
  scan->p = stop;
  return TRUE;
}

double
qm_json_number_value (const char *text,
                      gsize       length)
{
  char buffer[64];
  g_autofree char *long_text = NULL;
  char *copy = buffer;

  g_return_val_if_fail (text != NULL || length == 0, 0);

  /* Every digit counts: "1.000…0e2" with forty zeros is 100. */
  if (length >= sizeof buffer)
    copy = long_text = g_malloc (length + 1);
  memcpy (copy, text, length);
  copy[length] = '\0';
  return g_ascii_strtod (copy, NULL);
}

gint64
qm_json_double_to_int64 (double value)
{
  if (isnan (value))
    return 0;
  if (value < QM_JSON_INT64_LOWER)
    return G_MININT64;
  if (value >= QM_JSON_INT64_UPPER)
    return G_MAXINT64;
  return (gint64) value;
}

static gboolean
match_literal (QmJsonScan *scan,
               const char *literal,
               gsize       length)
{
  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, literal, length) != 0)
    {
      fail_at (scan, scan->p, "an invalid literal");
      return FALSE;
    }
  scan->p += length;
  return TRUE;
}

gboolean
qm_json_scan_boolean (QmJsonScan *scan,
                      gboolean   *value)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  *value = FALSE;
  if (qm_json_scan_peek (scan) != QM_JSON_BOOLEAN)
    {
      fail_expected (scan, "true or false");
      return FALSE;
    }
  if (*scan->p == 't')
    {
      *value = TRUE;
      return match_literal (scan, "true", 4);
    }
  return match_literal (scan, "false", 5);
}

/* Skip a string whose opening quote is at @p; return after the closing
 * quote, or NULL when it does not end. Escapes are checked for shape only:
 * strings read as values are decoded and checked fully. */
static const char *
skip_string (const char *p,
             const char *end)
{
  p++;
  for (;;)
    {
      const char *quote = memchr (p, '"', (gsize) (end - p));
      const char *q;
      gsize backslashes = 0;

      if (quote == NULL)
        return NULL;
      for (q = quote; q > p && q[-1] == '\\'; q--)
        backslashes++;
      if (backslashes % 2 == 0)
        return quote + 1;
      p = quote + 1;
    }
}

gboolean
qm_json_scan_skip (QmJsonScan *scan)
{
  char stack[MAX_DEPTH];
  guint depth = 0;
  const char *p;
  const char *end;
  gboolean expect_value = TRUE;

  g_return_val_if_fail (scan != NULL, FALSE);

  if (scan->error != NULL)
    return FALSE;
  skip_space (scan);
  p = scan->p;
  end = scan->end;

  /* A small state machine: after a value, inside a container, a ',' or the
   * container's end follows; inside an object a value is preceded by a
   * name and ':'. */
  for (;;)
    {
      while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
      if (p >= end)
        {
          scan->p = p;
          fail_expected (scan, expect_value ? "a value" : "',' or the end of a container");
          return FALSE;
        }
      if (expect_value)
        {
          switch (*p)
            {
            case '{':
            case '[':
              if (depth + scan->depth >= MAX_DEPTH)
                {
                  fail_at (scan, p, "the data nests too deeply");
                  return FALSE;
                }
              stack[depth++] = *p;
              p++;
              while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                p++;
              if (p < end && ((stack[depth - 1] == '{' && *p == '}') ||
                              (stack[depth - 1] == '[' && *p == ']')))
                {
                  p++;
                  depth--;
                  expect_value = FALSE;
                  break;
                }
              if (stack[depth - 1] == '{')
                {
                  if (p >= end || *p != '"' || (p = skip_string (p, end)) == NULL)
                    {
                      fail_at (scan, p != NULL ? p : end, "a member name expected");
                      return FALSE;
                    }
                  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                    p++;
                  if (p >= end || *p != ':')
                    {
                      fail_at (scan, p, "':' expected");
                      return FALSE;
                    }
                  p++;
                }
              continue;
            case '"':
              {
                const char *after = skip_string (p, end);

                if (after == NULL)
                  {
                    fail_at (scan, end, "the data ends inside a string");
                    return FALSE;
                  }
                p = after;
                break;
              }
            case 't':
              if ((gsize) (end - p) < 4 || memcmp (p, "true", 4) != 0)
                {
                  fail_at (scan, p, "an invalid literal");
                  return FALSE;
                }
              p += 4;
              break;
            case 'f':
              if ((gsize) (end - p) < 5 || memcmp (p, "false", 5) != 0)
                {
                  fail_at (scan, p, "an invalid literal");
                  return FALSE;
                }
              p += 5;
              break;
            case 'n':
              if ((gsize) (end - p) < 4 || memcmp (p, "null", 4) != 0)
                {
                  fail_at (scan, p, "an invalid literal");
                  return FALSE;
                }
              p += 4;
              break;
            default:
              {
                gboolean integral;
                const char *stop = number_end (p, end, &integral);

                if (stop == NULL)
                  {
                    fail_at (scan, p, "a value expected");
                    return FALSE;
                  }
                p = stop;
              }
            }
          expect_value = FALSE;
        }
      else
        {
          char open;

          if (depth == 0)
            break;
          open = stack[depth - 1];
          if (*p == ',')
            {
              p++;
              if (open == '{')
                {
                  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                    p++;
                  if (p >= end || *p != '"' || (p = skip_string (p, end)) == NULL)
                    {
                      fail_at (scan, p != NULL ? p : end, "a member name expected");
                      return FALSE;
                    }
                  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                    p++;
                  if (p >= end || *p != ':')
                    {
                      fail_at (scan, p, "':' expected");
                      return FALSE;
                    }
                  p++;
                }
              expect_value = TRUE;
            }
          else if ((open == '{' && *p == '}') || (open == '[' && *p == ']'))
            {
              p++;
              depth--;
            }
          else
            {
              fail_at (scan, p, open == '{' ? "',' or '}' expected" : "',' or ']' expected");
              return FALSE;
            }
        }
      if (!expect_value && depth == 0)
        break;
    }
  scan->p = p;
  return TRUE;
}

gboolean
qm_json_scan_enter_object_or_skip (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, FALSE);

  if (qm_json_scan_peek (scan) == QM_JSON_OBJECT)
    return qm_json_scan_enter_object (scan);
  qm_json_scan_skip (scan);
  return FALSE;
}

gboolean
qm_json_scan_enter_array_or_skip (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, FALSE);

  if (qm_json_scan_peek (scan) == QM_JSON_ARRAY)
    return qm_json_scan_enter_array (scan);
  qm_json_scan_skip (scan);
  return FALSE;
}

gboolean
qm_json_scan_string_or_skip (QmJsonScan  *scan,
                             const char **str,
                             gsize       *length)
{
  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (str != NULL, FALSE);

  if (qm_json_scan_peek (scan) == QM_JSON_STRING)
    return qm_json_scan_string (scan, str, length);
  *str = NULL;
  if (length != NULL)
    *length = 0;
  qm_json_scan_skip (scan);
  return FALSE;
}

gboolean
qm_json_scan_boolean_or (QmJsonScan *scan,
                         gboolean    fallback)
{
  gboolean value = fallback;

  g_return_val_if_fail (scan != NULL, fallback);

  if (qm_json_scan_peek (scan) == QM_JSON_BOOLEAN)
    qm_json_scan_boolean (scan, &value);
  else
    qm_json_scan_skip (scan);
  return value;
}

void
qm_json_scan_fail (QmJsonScan *scan,
                   const char *message)
{
  g_return_if_fail (scan != NULL);
  g_return_if_fail (message != NULL);

  fail_at (scan, scan->p, message);
}

gboolean
qm_json_scan_failed (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, TRUE);
  return scan->error != NULL;
}

gboolean
qm_json_scan_finish (QmJsonScan  *scan,
                     GError     **error)
{
  g_return_val_if_fail (scan != NULL, FALSE);

  if (scan->error == NULL)
    {
      skip_space (scan);
      if (scan->p < scan->end)
        fail_at (scan, scan->p, "unexpected data after the end");
      else if (scan->depth > 0)
        fail_at (scan, scan->p, "the data ends inside an object or array");
    }
  if (scan->error != NULL)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "Invalid JSON at byte %" G_GSIZE_FORMAT ": %s",
                   scan->error_offset, scan->error);
      return FALSE;
    }
  return TRUE;
}

gsize
qm_json_scan_offset (QmJsonScan *scan)
{
  g_return_val_if_fail (scan != NULL, 0);
  return (gsize) (scan->p - scan->start);
}
