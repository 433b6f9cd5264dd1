/* qm-sandbox-png.c: deterministic placeholder icons, encoded as PNG by hand
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox serves an icon for every path Bungie would: a 96×96 tile
 * whose colour, border and glyph come from the name's hash, so the same
 * name always gives the same bytes. The encoder writes the PNG chunks
 * itself and uses GZlibCompressor for the image data, so the sandbox needs
 * no image library.
 */

#define G_LOG_DOMAIN "qm-sandbox-png"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "qm-sandbox-world.h"
#include "qm-sandbox-world-private.h"

#define ICON_SIZE   96
#define ICON_BORDER 4

typedef struct
{
  guint8 r, g, b;
} Rgb;

/* CRC-32 as the PNG specification (annex D) defines it. */
static const guint32 *
crc_table (void)
{
  static guint32 table[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }
  return table;
}

static guint32
crc_update (guint32       crc,
            const guint8 *data,
            gsize         length)
{
  const guint32 *table = crc_table ();

  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, 4);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc = 0xffffffffu;

  append_be32 (out, length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, data, length);
  crc = crc_update (crc, (const guint8 *) type, 4);
  crc = crc_update (crc, data, length);
  append_be32 (out, crc ^ 0xffffffffu);
}

static GBytes *
zlib_compress (const guint8 *data,
               gsize         length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  GConverterResult result;
  guint8 buffer[16384];

  do
    {
      gsize read = 0;
      gsize written = 0;
      g_autoptr(GError) error = NULL;

      result = g_converter_convert (G_CONVERTER (compressor), data, length, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, &error);
      /* In-memory deflate of a known-size buffer cannot fail. */
      g_assert_no_error (error);
      g_byte_array_append (out, buffer, written);
      data += read;
      length -= read;
    }
  while (result != G_CONVERTER_FINISHED);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static Rgb
hue_to_rgb (guint hue,
            guint8 saturation,
            guint8 value)
{
  guint region = (hue % 360) / 60;
  guint remainder = ((hue % 360) - region * 60) * 255 / 60;
  guint8 p = value * (255 - saturation) / 255;
  guint8 q = value * (255 - saturation * remainder / 255) / 255;
  guint8 t = value * (255 - saturation * (255 - remainder) / 255) / 255;

  switch (region)
    {
    case 0: return (Rgb) { value, t, p };
    case 1: return (Rgb) { q, value, p };
    case 2: return (Rgb) { p, value, t };
    case 3: return (Rgb) { p, q, value };
    case 4: return (Rgb) { t, p, value };
    default: return (Rgb) { value, p, q };
    }
}

/* Whether pixel (x, y), relative to the centre, lies on the glyph. */
static gboolean
glyph_covers (guint shape,
              int   x,
              int   y)
{
  int ax = ABS (x);
  int ay = ABS (y);

  switch (shape)
    {
    case 0: /* ring */
      return x * x + y * y <= 28 * 28 && x * x + y * y >= 18 * 18;
    case 1: /* diamond */
      return ax + ay <= 30;
    case 2: /* cross */
      return (ax <= 7 && ay <= 30) || (ay <= 7 && ax <= 30);
    case 3: /* triangle, pointing up */
      return y >= -26 && y <= 22 && ax * 2 <= y + 26;
    default: /* square frame */
      return MAX (ax, ay) <= 26 && MAX (ax, ay) >= 16;
    }
}

static void
draw_pixel (guint8 *row,
            int     x,
            int     y,
            guint32 hash,
            Rgb     tile,
            Rgb     border,
            Rgb     glyph)
{
  guint8 *px = row + x * 4;
  gboolean on_border = x < ICON_BORDER || y < ICON_BORDER ||
                       x >= ICON_SIZE - ICON_BORDER || y >= ICON_SIZE - ICON_BORDER;
  /* Faint diagonal stripes whose spacing depends on the name. */
  gboolean stripe = ((x + y) / (4 + (hash >> 24) % 5)) % 2 == 0;
  Rgb colour = tile;

  if (on_border)
    colour = border;
  else if (glyph_covers ((hash >> 8) % 5, x - ICON_SIZE / 2, y - ICON_SIZE / 2))
    colour = glyph;
  else if (stripe)
    colour = (Rgb) { tile.r * 7 / 8, tile.g * 7 / 8, tile.b * 7 / 8 };
  px[0] = colour.r;
  px[1] = colour.g;
  px[2] = colour.b;
  px[3] = 255;
}

static guint8 *
draw_pixels (guint32  hash,
             gsize   *length)
{
  gsize stride = 1 + ICON_SIZE * 4;
  guint8 *pixels = g_malloc0 (stride * ICON_SIZE);
  Rgb tile = hue_to_rgb (hash % 360, 150, 190);
  Rgb border = hue_to_rgb (hash % 360, 200, 90);
  Rgb glyph = hue_to_rgb ((hash % 360) + 180, 40, 250);

  for (int y = 0; y < ICON_SIZE; y++)
    {
      guint8 *row = pixels + y * stride;

      row[0] = 0;  /* filter type None */
      for (int x = 0; x < ICON_SIZE; x++)
        draw_pixel (row + 1, x, y, hash, tile, border, glyph);
    }
  *length = stride * ICON_SIZE;
  return pixels;
}

GBytes *
qm_sandbox_world_draw_icon (const char *name)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GBytes) compressed = NULL;
  g_autofree guint8 *pixels = NULL;
  static const guint8 header_tail[5] = { 8, 6, 0, 0, 0 };  /* 8-bit RGBA, deflate, no interlace */
  gsize length = 0;
  gsize compressed_length = 0;
  const guint8 *compressed_data;

  g_return_val_if_fail (name != NULL, NULL);

  pixels = draw_pixels (qm_sandbox_fnv1a (name), &length);
  compressed = zlib_compress (pixels, length);
  compressed_data = g_bytes_get_data (compressed, &compressed_length);
  append_be32 (header, ICON_SIZE);
  append_be32 (header, ICON_SIZE);
  g_byte_array_append (header, header_tail, sizeof header_tail);
  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", header->data, header->len);
  append_chunk (png, "IDAT", compressed_data, compressed_length);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
