/* qm-manifest-cache.c: the manifest's definitions in a compact file of our own
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-manifest-cache"

#include "config.h"

#include <gio/gio.h>
#include <stddef.h>
#include <string.h>

#include "qm-manifest-cache.h"

#include "qm-cache-file.h"
#include "qm-error.h"
#include "qm-json-scan.h"

#define MAGIC "QMMANIF\n"
#define BYTE_ORDER_MARK 0x01020304u

/* Everything is in the byte order of the computer that wrote it (files are
 * not shared): a file from another byte order is refused and rebuilt. */
typedef struct
{
  char    magic[8];
  guint32 format;
  guint32 byte_order;
  guint64 file_size;
  guint64 checksum;          /* of the bytes from n_tables to the end */
  guint32 n_tables;
  guint32 strings_offset;
  guint32 strings_size;
  guint32 locations_offset;
  guint32 n_locations;
  guint32 language;          /* string offsets */
  guint32 version;
  guint32 key;
} Header;

#define CHECKED_FROM offsetof (Header, n_tables)

typedef struct
{
  guint32 table;             /* QmTable */
  guint32 record_size;
  guint32 offset;
  guint32 n_records;
} TableEntry;

#define ITEM_EQUIPPABLE        (1u << 0)
#define ITEM_NON_TRANSFERRABLE (1u << 1)

typedef struct
{
  guint32 hash;
  guint32 name;
  guint32 description;
  guint32 icon;
  guint32 watermark;
  guint32 flavor_text;
  guint32 item_type_name;
  guint32 tier_name;
  guint32 bucket_hash;
  gint32  tier_type;
  gint32  max_stack_size;
  gint32  class_type;
  gint32  item_type;
  gint32  item_sub_type;
  gint32  default_damage_type;
  guint32 flags;
} ItemRecord;

typedef struct
{
  guint32 hash;
  guint32 name;
  guint32 description;
  guint32 icon;
  gint32  value;
  guint32 locations;         /* first entry in the location pool */
  guint32 n_locations;
  guint32 reserved;
} DefinitionRecord;

G_STATIC_ASSERT (sizeof (Header) == 64);
G_STATIC_ASSERT (CHECKED_FROM == 32);
G_STATIC_ASSERT (sizeof (TableEntry) == 16);
G_STATIC_ASSERT (sizeof (ItemRecord) == 64);
G_STATIC_ASSERT (sizeof (DefinitionRecord) == 32);

static gsize
record_size (QmTable table)
{
  return table == QM_TABLE_ITEM ? sizeof (ItemRecord) : sizeof (DefinitionRecord);
}


/* ---------------------------------------------------------------------- */
/* Checksum                                                                */

/* xxHash64's round over four lanes: several GB/s, so checking a file of
 * some megabytes on every open costs a few milliseconds. It guards against
 * torn writes and disk corruption, not against tampering. */
#define PRIME1 G_GUINT64_CONSTANT (0x9E3779B185EBCA87)
#define PRIME2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)
#define PRIME3 G_GUINT64_CONSTANT (0x165667B19E3779F9)

static inline guint64
rotl64 (guint64 x,
        int     r)
{
  return (x << r) | (x >> (64 - r));
}

static inline guint64
read64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline guint64
mix_round (guint64 acc,
           guint64 input)
{
  acc += input * PRIME2;
  acc = rotl64 (acc, 31);
  return acc * PRIME1;
}

guint64
qm_manifest_cache_checksum (const void *data,
                            gsize       size)
{
  const guint8 *p = data;
  const guint8 *end = p + size;
  guint64 lanes[4] = { PRIME1 + PRIME2, PRIME2, 0, -PRIME1 };
  guint64 h;

  g_return_val_if_fail (data != NULL || size == 0, 0);

  while (end - p >= 32)
    {
      for (int i = 0; i < 4; i++)
        lanes[i] = mix_round (lanes[i], read64 (p + 8 * i));
      p += 32;
    }
  h = rotl64 (lanes[0], 1) + rotl64 (lanes[1], 7) + rotl64 (lanes[2], 12) + rotl64 (lanes[3], 18);
  h += (guint64) size;
  while (end - p >= 8)
    {
      h ^= mix_round (0, read64 (p));
      h = rotl64 (h, 27) * PRIME1 + PRIME3;
      p += 8;
    }
  while (p < end)
    {
      h ^= (*p++) * PRIME3;
      h = rotl64 (h, 11) * PRIME1;
    }
  h ^= h >> 33;
  h *= PRIME2;
  h ^= h >> 29;
  h *= PRIME3;
  h ^= h >> 32;
  return h;
}

void
qm_manifest_cache_seal (guint8 *data,
                        gsize   size)
{
  Header header;

  g_return_if_fail (data != NULL);
  g_return_if_fail (size >= sizeof header);

  memcpy (&header, data, sizeof header);
  header.checksum = qm_manifest_cache_checksum (data + CHECKED_FROM, size - CHECKED_FROM);
  memcpy (data, &header, sizeof header);
}

/* ---------------------------------------------------------------------- */
/* Builder                                                                 */

typedef struct
{
  gboolean  present;
  GArray   *records;    /* ItemRecord or DefinitionRecord */
  GArray   *locations;  /* guint32 destination hashes (vendors) */
} BuilderTable;

struct _QmManifestCacheBuilder
{
  /* The string pool: "" at offset 0, then NUL-terminated strings. */
  GString      *strings;
  /* Open addressing set of pool offsets (0: empty slot), for sharing equal
   * strings: tier and type names repeat across thousands of items. */
  guint32      *set;
  guint32       set_mask;
  guint32       set_used;
  BuilderTable  tables[QM_N_TABLES];
  char         *language;
  char         *version;
  char         *key;
};

static void
builder_table_clear (BuilderTable *table)
{
  g_clear_pointer (&table->records, g_array_unref);
  g_clear_pointer (&table->locations, g_array_unref);
  table->present = FALSE;
}

QmManifestCacheBuilder *
qm_manifest_cache_builder_new (const char *language,
                               const char *version,
                               const char *key)
{
  QmManifestCacheBuilder *self = g_new0 (QmManifestCacheBuilder, 1);

  self->strings = g_string_sized_new (1024 * 1024);
  g_string_append_c (self->strings, '\0');
  self->set_mask = 4096 - 1;
  self->set = g_new0 (guint32, self->set_mask + 1);
  self->language = g_strdup (language);
  self->version = g_strdup (version);
  self->key = g_strdup (key);
  return self;
}

void
qm_manifest_cache_builder_free (QmManifestCacheBuilder *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < QM_N_TABLES; i++)
    builder_table_clear (&self->tables[i]);
  g_string_free (self->strings, TRUE);
  g_free (self->set);
  g_free (self->language);
  g_free (self->version);
  g_free (self->key);
  g_free (self);
}

static inline guint32
string_hash (const char *str,
             gsize       len)
{
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < len; i++)
    {
      hash ^= (guchar) str[i];
      hash *= 16777619u;
    }
  return hash;
}

static void
set_insert (QmManifestCacheBuilder *self,
            guint32                 offset,
            guint32                 hash)
{
  guint32 slot = hash & self->set_mask;

  while (self->set[slot] != 0)
    slot = (slot + 1) & self->set_mask;
  self->set[slot] = offset;
  self->set_used++;
}

/* Refill the set with the pool's strings below @limit, at a size for
 * @capacity entries. */
static void
set_rebuild (QmManifestCacheBuilder *self,
             guint32                 capacity,
             gsize                   limit)
{
  guint32 size = 4096;

  while (size < capacity * 2)
    size *= 2;
  g_free (self->set);
  self->set = g_new0 (guint32, size);
  self->set_mask = size - 1;
  self->set_used = 0;
  for (gsize offset = 1; offset < limit;)
    {
      const char *str = self->strings->str + offset;
      gsize len = strlen (str);

      set_insert (self, (guint32) offset, string_hash (str, len));
      offset += len + 1;
    }
}

/* The pool offset of @str (not NUL-terminated, no NUL inside): 0 for "". */
static guint32
intern (QmManifestCacheBuilder *self,
        const char             *str,
        gsize                   len)
{
  guint32 hash;
  guint32 slot;
  guint32 offset;

  if (len == 0)
    return 0;
  hash = string_hash (str, len);
  for (slot = hash & self->set_mask; self->set[slot] != 0; slot = (slot + 1) & self->set_mask)
    {
      const char *candidate = self->strings->str + self->set[slot];

      if (memcmp (candidate, str, len) == 0 && candidate[len] == '\0')
        return self->set[slot];
    }
  offset = (guint32) self->strings->len;
  g_string_append_len (self->strings, str, len);
  g_string_append_c (self->strings, '\0');
  if ((self->set_used + 1) * 2 > self->set_mask + 1)
    set_rebuild (self, self->set_used + 1, self->strings->len);
  else
    set_insert (self, offset, hash);
  return offset;
}

#define KEY_IS(key, len, literal) \
  ((len) == sizeof (literal) - 1 && memcmp ((key), (literal), sizeof (literal) - 1) == 0)

/* Readers that skip a value of an unexpected type: a field Bungie sends as
 * null, or that a future version changes, does not break the table. */
static guint32
read_string (QmManifestCacheBuilder *self,
             QmJsonScan             *scan)
{
  const char *str = NULL;
  gsize len = 0;

  if (!qm_json_scan_string_or_skip (scan, &str, &len))
    return 0;
  return intern (self, str, len);
}

static gint32
read_int (QmJsonScan *scan,
          gint32      fallback)
{
  gint64 value = 0;

  if (qm_json_scan_peek (scan) != QM_JSON_NUMBER)
    {
      qm_json_scan_skip (scan);
      return fallback;
    }
  if (!qm_json_scan_int64 (scan, &value))
    return fallback;
  return (gint32) CLAMP (value, G_MININT32, G_MAXINT32);
}

static gboolean
parse_hash_text (const char *text,
                 gsize       len,
                 guint32    *hash)
{
  guint64 value = 0;

  if (len == 0 || len > 10)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint64) (text[i] - '0');
    }
  if (value > G_MAXUINT32)
    return FALSE;
  *hash = (guint32) value;
  return TRUE;
}

/* A uint32 hash, as a number or a string of digits; 0 when it is not one. */
static guint32
read_hash (QmJsonScan *scan)
{
  QmJsonType type = qm_json_scan_peek (scan);
  guint32 hash = 0;

  if (type == QM_JSON_STRING)
    {
      const char *str = NULL;
      gsize len = 0;

      if (qm_json_scan_string (scan, &str, &len) && parse_hash_text (str, len, &hash))
        return hash;
      return 0;
    }
  if (type == QM_JSON_NUMBER)
    {
      gint64 value = 0;

      if (qm_json_scan_int64 (scan, &value) && value > 0 && value <= G_MAXUINT32)
        return (guint32) value;
      return 0;
    }
  qm_json_scan_skip (scan);
  return 0;
}


static void
parse_display_properties (QmManifestCacheBuilder *self,
                          QmJsonScan             *scan,
                          guint32                *name,
                          guint32                *description,
                          guint32                *icon)
{
  if (!qm_json_scan_enter_object_or_skip (scan))
    return;
  while (qm_json_scan_next_member (scan))
    {
      gsize len;
      const char *key = qm_json_scan_key (scan, &len);

      if (KEY_IS (key, len, "name"))
        *name = read_string (self, scan);
      else if (KEY_IS (key, len, "description"))
        *description = read_string (self, scan);
      else if (KEY_IS (key, len, "icon"))
        *icon = read_string (self, scan);
      else
        qm_json_scan_skip (scan);
    }
}

static void
parse_inventory (QmManifestCacheBuilder *self,
                 QmJsonScan             *scan,
                 ItemRecord             *record)
{
  if (!qm_json_scan_enter_object_or_skip (scan))
    return;
  while (qm_json_scan_next_member (scan))
    {
      gsize len;
      const char *key = qm_json_scan_key (scan, &len);

      if (KEY_IS (key, len, "tierTypeName"))
        record->tier_name = read_string (self, scan);
      else if (KEY_IS (key, len, "tierType"))
        record->tier_type = read_int (scan, 0);
      else if (KEY_IS (key, len, "bucketTypeHash"))
        record->bucket_hash = read_hash (scan);
      else if (KEY_IS (key, len, "maxStackSize"))
        record->max_stack_size = read_int (scan, 1);
      else
        qm_json_scan_skip (scan);
    }
}

/* One DestinyInventoryItemDefinition; returns its hash (the "hash" member,
 * else @key_hash). */
static guint32
parse_item (QmManifestCacheBuilder *self,
            QmJsonScan             *scan,
            guint32                 key_hash,
            ItemRecord             *record)
{
  guint32 hash = 0;

  *record = (ItemRecord) { .max_stack_size = 1, .class_type = 3 };
  qm_json_scan_enter_object (scan);
  while (qm_json_scan_next_member (scan))
    {
      gsize len;
      const char *key = qm_json_scan_key (scan, &len);

      if (KEY_IS (key, len, "displayProperties"))
        parse_display_properties (self, scan, &record->name, &record->description, &record->icon);
      else if (KEY_IS (key, len, "inventory"))
        parse_inventory (self, scan, record);
      else if (KEY_IS (key, len, "itemTypeDisplayName"))
        record->item_type_name = read_string (self, scan);
      else if (KEY_IS (key, len, "iconWatermark"))
        record->watermark = read_string (self, scan);
      else if (KEY_IS (key, len, "flavorText"))
        record->flavor_text = read_string (self, scan);
      else if (KEY_IS (key, len, "classType"))
        record->class_type = read_int (scan, 3);
      else if (KEY_IS (key, len, "itemType"))
        record->item_type = read_int (scan, 0);
      else if (KEY_IS (key, len, "itemSubType"))
        record->item_sub_type = read_int (scan, 0);
      else if (KEY_IS (key, len, "defaultDamageType"))
        record->default_damage_type = read_int (scan, 0);
      else if (KEY_IS (key, len, "equippable"))
        record->flags |= qm_json_scan_boolean_or (scan, FALSE) ? ITEM_EQUIPPABLE : 0;
      else if (KEY_IS (key, len, "nonTransferrable"))
        record->flags |= qm_json_scan_boolean_or (scan, FALSE) ? ITEM_NON_TRANSFERRABLE : 0;
      else if (KEY_IS (key, len, "hash"))
        hash = read_hash (scan);
      else
        qm_json_scan_skip (scan);
    }
  record->hash = hash != 0 ? hash : key_hash;
  return record->hash;
}

static void
parse_locations (QmJsonScan *scan,
                 GArray     *pool)
{
  if (qm_json_scan_peek (scan) != QM_JSON_ARRAY)
    {
      qm_json_scan_skip (scan);
      return;
    }
  qm_json_scan_enter_array (scan);
  while (qm_json_scan_next_element (scan))
    {
      guint32 destination = 0;

      /* Every location keeps its place: vendorLocationIndex counts them. */
      if (qm_json_scan_enter_object_or_skip (scan))
        while (qm_json_scan_next_member (scan))
          {
            if (qm_json_scan_key_is (scan, "destinationHash"))
              destination = read_hash (scan);
            else
              qm_json_scan_skip (scan);
          }
      g_array_append_val (pool, destination);
    }
}

/* The one number a table's definitions carry for the app. */
static const char *
value_member (QmTable table)
{
  switch (table)
    {
    case QM_TABLE_CLASS:
      return "classType";
    case QM_TABLE_DAMAGE_TYPE:
      return "enumValue";
    case QM_TABLE_BUCKET:
      return "itemCount";
    case QM_TABLE_LOADOUT_NAME:
    case QM_TABLE_LOADOUT_COLOR:
    case QM_TABLE_LOADOUT_ICON:
      return "index";     /* the game's order of the choices */
    default:
      return NULL;
    }
}

/* The loadout identifier tables carry no displayProperties: their name or
 * image is a top-level member (DestinyLoadoutNameDefinition.name,
 * DestinyLoadoutColorDefinition.colorImagePath,
 * DestinyLoadoutIconDefinition.iconImagePath). */
static gboolean
parse_loadout_identifier (QmManifestCacheBuilder *self,
                          QmJsonScan             *scan,
                          QmTable                 table,
                          DefinitionRecord       *record)
{
  if (table == QM_TABLE_LOADOUT_NAME && qm_json_scan_key_is (scan, "name"))
    record->name = read_string (self, scan);
  else if ((table == QM_TABLE_LOADOUT_COLOR && qm_json_scan_key_is (scan, "colorImagePath")) ||
           (table == QM_TABLE_LOADOUT_ICON && qm_json_scan_key_is (scan, "iconImagePath")))
    record->icon = read_string (self, scan);
  else
    return FALSE;
  return TRUE;
}

static guint32
parse_definition (QmManifestCacheBuilder *self,
                  QmJsonScan             *scan,
                  QmTable                 table,
                  guint32                 key_hash,
                  DefinitionRecord       *record,
                  GArray                 *locations)
{
  const char *value_key = value_member (table);
  gboolean has_locations = FALSE;
  guint32 hash = 0;

  *record = (DefinitionRecord) { .value = table == QM_TABLE_CLASS ? 3 : 0 };
  qm_json_scan_enter_object (scan);
  while (qm_json_scan_next_member (scan))
    {
      gsize len;
      const char *key = qm_json_scan_key (scan, &len);

      if (KEY_IS (key, len, "displayProperties"))
        parse_display_properties (self, scan, &record->name, &record->description, &record->icon);
      else if (KEY_IS (key, len, "hash"))
        hash = read_hash (scan);
      else if (value_key != NULL && qm_json_scan_key_is (scan, value_key))
        record->value = read_int (scan, record->value);
      else if (parse_loadout_identifier (self, scan, table, record))
        continue;
      else if (locations != NULL && KEY_IS (key, len, "locations"))
        {
          /* A repeated member replaces the earlier one. */
          if (has_locations)
            g_array_set_size (locations, record->locations);
          has_locations = TRUE;
          record->locations = locations->len;
          parse_locations (scan, locations);
          record->n_locations = locations->len - record->locations;
        }
      else
        qm_json_scan_skip (scan);
    }
  record->hash = hash != 0 ? hash : key_hash;
  return record->hash;
}

static gboolean
looks_like_html (const char *data,
                 gsize       size)
{
  gsize i = 0;

  /* A UTF-8 byte order mark, then blanks, then '<'. */
  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;
  return i < size && data[i] == '<';
}

static int
compare_hashes (gconstpointer a,
                gconstpointer b)
{
  guint32 hash_a = *(const guint32 *) a;
  guint32 hash_b = *(const guint32 *) b;

  return (hash_a > hash_b) - (hash_a < hash_b);
}

/* Sort by hash and keep one definition per hash. */
static void
sort_records (GArray *records)
{
  gsize size = g_array_get_element_size (records);
  guint kept = 0;

  g_array_sort (records, compare_hashes);
  for (guint i = 0; i < records->len; i++)
    {
      const guint8 *record = (const guint8 *) records->data + i * size;

      if (kept > 0 && compare_hashes (record, records->data + (kept - 1) * size) == 0)
        continue;
      if (kept != i)
        memcpy (records->data + kept * size, record, size);
      kept++;
    }
  g_array_set_size (records, kept);
}

static gboolean
parse_table (QmManifestCacheBuilder *self,
             QmTable                 table,
             QmJsonScan             *scan,
             BuilderTable           *out,
             GError                **error)
{
  if (qm_json_scan_peek (scan) != QM_JSON_OBJECT)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The %s table is not an object keyed by hash", qm_table_get_name (table));
      return FALSE;
    }

  out->records = g_array_new (FALSE, FALSE, record_size (table));
  if (table == QM_TABLE_VENDOR)
    out->locations = g_array_new (FALSE, FALSE, sizeof (guint32));
  qm_json_scan_enter_object (scan);
  while (qm_json_scan_next_member (scan))
    {
      gsize len;
      const char *key = qm_json_scan_key (scan, &len);
      guint32 key_hash = 0;

      parse_hash_text (key, len, &key_hash);
      /* Only objects are definitions; anything else is passed over. */
      if (qm_json_scan_peek (scan) != QM_JSON_OBJECT)
        {
          qm_json_scan_skip (scan);
          continue;
        }
      if (table == QM_TABLE_ITEM)
        {
          ItemRecord record;

          if (parse_item (self, scan, key_hash, &record) != 0)
            g_array_append_val (out->records, record);
        }
      else
        {
          DefinitionRecord record;

          if (parse_definition (self, scan, table, key_hash, &record, out->locations) != 0)
            g_array_append_val (out->records, record);
        }
    }
  if (!qm_json_scan_finish (scan, error))
    {
      g_prefix_error (error, "The %s table is not valid JSON: ", qm_table_get_name (table));
      return FALSE;
    }
  sort_records (out->records);
  out->present = TRUE;
  return TRUE;
}

/**
 * qm_manifest_cache_builder_add_table:
 * @json: (array length=size): a definition table as Bungie serves it
 *
 * Reads the fields the app uses from each definition of @json (see
 * qm-definitions.h) and skips the rest. Definitions that are not objects or
 * have no hash are left out; a field of an unexpected type takes its
 * default. Invalid JSON anywhere fails the whole table.
 */
gboolean
qm_manifest_cache_builder_add_table (QmManifestCacheBuilder  *self,
                                     QmTable                  table,
                                     const char              *json,
                                     gsize                    size,
                                     GError                 **error)
{
  BuilderTable parsed = { 0 };
  gsize pool_mark;
  QmJsonScan scan;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (table < QM_N_TABLES, FALSE);
  g_return_val_if_fail (json != NULL || size == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (looks_like_html (json, size))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE,
                   "The %s table came back as an HTML page instead of JSON", qm_table_get_name (table));
      return FALSE;
    }
  if (size >= G_MAXUINT32)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The %s table is too large (%" G_GSIZE_FORMAT " bytes)", qm_table_get_name (table), size);
      return FALSE;
    }

  pool_mark = self->strings->len;
  qm_json_scan_init (&scan, json, size);
  ok = parse_table (self, table, &scan, &parsed, error);
  qm_json_scan_clear (&scan);
  if (!ok)
    {
      /* Drop the strings of the failed table. */
      builder_table_clear (&parsed);
      if (self->strings->len != pool_mark)
        {
          g_string_truncate (self->strings, pool_mark);
          set_rebuild (self, self->set_used, pool_mark);
        }
      return FALSE;
    }
  builder_table_clear (&self->tables[table]);
  self->tables[table] = parsed;
  return TRUE;
}

guint
qm_manifest_cache_builder_get_n_definitions (QmManifestCacheBuilder *self,
                                             QmTable                 table)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (table < QM_N_TABLES, 0);

  return self->tables[table].present ? self->tables[table].records->len : 0;
}

static gsize
align8 (gsize offset)
{
  return (offset + 7) & ~(gsize) 7;
}

static guint32
intern_string (QmManifestCacheBuilder *self,
               const char             *str)
{
  return str != NULL ? intern (self, str, strlen (str)) : 0;
}

/**
 * qm_manifest_cache_builder_end:
 *
 * Returns: (transfer full): the cache file's bytes
 */
GBytes *
qm_manifest_cache_builder_end (QmManifestCacheBuilder *self)
{
  Header header = { .format = QM_MANIFEST_CACHE_FORMAT, .byte_order = BYTE_ORDER_MARK };
  TableEntry entries[QM_N_TABLES];
  GArray *locations;
  guint n_tables = 0;
  gsize offset;
  guint8 *data;

  g_return_val_if_fail (self != NULL, NULL);

  memcpy (header.magic, MAGIC, sizeof header.magic);
  header.language = intern_string (self, self->language);
  header.version = intern_string (self, self->version);
  header.key = intern_string (self, self->key);

  /* The directory has room for every table whatever the tables present:
   * n_tables says how many entries are used. */
  offset = sizeof header + sizeof (TableEntry) * QM_N_TABLES;
  for (guint i = 0; i < QM_N_TABLES; i++)
    {
      BuilderTable *table = &self->tables[i];

      if (!table->present)
        continue;
      offset = align8 (offset);
      entries[n_tables++] = (TableEntry) {
        .table = i,
        .record_size = (guint32) record_size (i),
        .offset = (guint32) offset,
        .n_records = table->records->len,
      };
      offset += (gsize) table->records->len * record_size (i);
    }
  locations = self->tables[QM_TABLE_VENDOR].locations;
  header.n_tables = n_tables;
  header.locations_offset = (guint32) align8 (offset);
  header.n_locations = locations != NULL ? locations->len : 0;
  header.strings_offset = header.locations_offset + header.n_locations * sizeof (guint32);
  header.strings_size = (guint32) self->strings->len;
  header.file_size = (guint64) header.strings_offset + header.strings_size;
  g_assert (header.file_size < G_MAXUINT32);

  data = g_malloc0 (header.file_size);
  memcpy (data + sizeof header, entries, sizeof (TableEntry) * n_tables);
  for (guint i = 0; i < n_tables; i++)
    {
      GArray *records = self->tables[entries[i].table].records;

      if (records->len > 0)
        memcpy (data + entries[i].offset, records->data, (gsize) records->len * entries[i].record_size);
    }
  if (header.n_locations > 0)
    memcpy (data + header.locations_offset, locations->data, header.n_locations * sizeof (guint32));
  memcpy (data + header.strings_offset, self->strings->str, self->strings->len);
  memcpy (data, &header, sizeof header);
  qm_manifest_cache_seal (data, header.file_size);
  return g_bytes_new_take (data, header.file_size);
}

/* ---------------------------------------------------------------------- */
/* Reader                                                                  */

typedef struct
{
  const guint8 *records;
  guint32       n_records;
  gboolean      present;
} ReaderTable;

struct _QmManifestCache
{
  gatomicrefcount  ref_count;
  GBytes          *bytes;
  const guint8    *data;
  gsize            size;
  const char      *strings;
  guint32          strings_size;
  const guint32   *locations;
  guint32          n_locations;
  guint32          language;
  guint32          version;
  guint32          key;
  ReaderTable      tables[QM_N_TABLES];
};

static gboolean G_GNUC_PRINTF (2, 3)
refuse (GError    **error,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "The definitions cache is unusable: %s", message);
  return FALSE;
}

static gboolean
within (gsize offset,
        gsize length,
        gsize size)
{
  return offset <= size && length <= size - offset;
}

static gboolean
check_header (QmManifestCache *self,
              Header          *header,
              GError         **error)
{
  if (self->size < sizeof *header)
    return refuse (error, "only %" G_GSIZE_FORMAT " bytes", self->size);
  memcpy (header, self->data, sizeof *header);
  if (memcmp (header->magic, MAGIC, sizeof header->magic) != 0)
    return refuse (error, "not a definitions cache");
  if (header->format != QM_MANIFEST_CACHE_FORMAT)
    return refuse (error, "format %u, this version reads format %u",
                   header->format, QM_MANIFEST_CACHE_FORMAT);
  if (header->byte_order != BYTE_ORDER_MARK)
    return refuse (error, "written with another byte order");
  if (header->file_size != self->size)
    return refuse (error, "%" G_GSIZE_FORMAT " bytes where %" G_GUINT64_FORMAT " were written",
                   self->size, header->file_size);
  if (qm_manifest_cache_checksum (self->data + CHECKED_FROM, self->size - CHECKED_FROM) != header->checksum)
    return refuse (error, "the checksum does not match (a damaged or partly written file)");
  return TRUE;
}

static gboolean
check_pools (QmManifestCache *self,
             const Header    *header,
             GError         **error)
{
  if (!within (header->strings_offset, header->strings_size, self->size) || header->strings_size == 0)
    return refuse (error, "the string pool lies outside the file");
  self->strings = (const char *) self->data + header->strings_offset;
  self->strings_size = header->strings_size;
  /* Every offset below strings_size then reads a terminated string. */
  if (self->strings[0] != '\0' || self->strings[self->strings_size - 1] != '\0')
    return refuse (error, "the string pool is not terminated");
  if (header->locations_offset % sizeof (guint32) != 0 ||
      !within (header->locations_offset, (gsize) header->n_locations * sizeof (guint32), self->size))
    return refuse (error, "the location pool lies outside the file");
  self->locations = (const guint32 *) (gconstpointer) (self->data + header->locations_offset);
  self->n_locations = header->n_locations;
  if (header->language >= self->strings_size || header->version >= self->strings_size ||
      header->key >= self->strings_size)
    return refuse (error, "the header's strings lie outside the string pool");
  self->language = header->language;
  self->version = header->version;
  self->key = header->key;
  return TRUE;
}

static gboolean
check_tables (QmManifestCache *self,
              const Header    *header,
              GError         **error)
{
  if (header->n_tables > QM_N_TABLES ||
      !within (sizeof *header, sizeof (TableEntry) * QM_N_TABLES, self->size))
    return refuse (error, "%u tables", header->n_tables);

  for (guint i = 0; i < header->n_tables; i++)
    {
      TableEntry entry;
      ReaderTable *table;
      gsize size;

      memcpy (&entry, self->data + sizeof *header + i * sizeof entry, sizeof entry);
      if (entry.table >= QM_N_TABLES || self->tables[entry.table].present)
        return refuse (error, "table entry %u names table %u", i, entry.table);
      size = record_size (entry.table);
      if (entry.record_size != size || entry.offset % 8 != 0 ||
          !within (entry.offset, (gsize) entry.n_records * size, self->size))
        return refuse (error, "the %s records lie outside the file", qm_table_get_name (entry.table));
      table = &self->tables[entry.table];
      table->records = self->data + entry.offset;
      table->n_records = entry.n_records;
      table->present = TRUE;
      /* Binary search needs strictly increasing hashes. */
      for (guint32 r = 1; r < table->n_records; r++)
        if (*(const guint32 *) (gconstpointer) (table->records + r * size) <=
            *(const guint32 *) (gconstpointer) (table->records + (r - 1) * size))
          return refuse (error, "the %s records are not sorted", qm_table_get_name (entry.table));
    }
  return TRUE;
}

/**
 * qm_manifest_cache_new:
 * @bytes: a file written from qm_manifest_cache_builder_end()
 *
 * Returns: (transfer full) (nullable): the cache, or %NULL with
 *   G_IO_ERROR_INVALID_DATA
 */
QmManifestCache *
qm_manifest_cache_new (GBytes  *bytes,
                       GError **error)
{
  g_autoptr(QmManifestCache) self = NULL;
  Header header;
  gsize size = 0;
  gconstpointer data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (QmManifestCache, 1);
  g_atomic_ref_count_init (&self->ref_count);
  data = g_bytes_get_data (bytes, &size);
  /* Records are read in place: they need 8-byte alignment (mapped files and
   * g_malloc()'d buffers have it). */
  if (((guintptr) data % 8) != 0)
    self->bytes = g_bytes_new (data, size);
  else
    self->bytes = g_bytes_ref (bytes);
  self->data = g_bytes_get_data (self->bytes, &self->size);
  if (self->data == NULL)
    self->data = (const guint8 *) "";

  if (!check_header (self, &header, error) ||
      !check_pools (self, &header, error) ||
      !check_tables (self, &header, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * qm_manifest_cache_open:
 *
 * Reads the file into memory (qm_cache_file_read()): a mapping would die
 * with SIGBUS when another process truncates the file, and the checksum
 * reads every byte on open anyway.
 *
 * Returns: (transfer full) (nullable): the cache at @path, or %NULL with a
 *   G_FILE_ERROR (unreadable, not a regular file, too large) or
 *   G_IO_ERROR_INVALID_DATA
 */
QmManifestCache *
qm_manifest_cache_open (const char  *path,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  bytes = qm_cache_file_read (path, QM_CACHE_FILE_MAX_MANIFEST, error);
  if (bytes == NULL)
    return NULL;
  return qm_manifest_cache_new (bytes, error);
}

QmManifestCache *
qm_manifest_cache_ref (QmManifestCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
qm_manifest_cache_unref (QmManifestCache *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_bytes_unref (self->bytes);
  g_free (self);
}

/* The string at @offset ("" when out of bounds). */
static inline const char *
string_at (QmManifestCache *self,
           guint32          offset)
{
  return offset < self->strings_size ? self->strings + offset : "";
}

/* The same, NULL for "" (absent fields). */
static inline const char *
optional_string_at (QmManifestCache *self,
                    guint32          offset)
{
  const char *str = string_at (self, offset);

  return *str != '\0' ? str : NULL;
}

const char *
qm_manifest_cache_get_language (QmManifestCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return string_at (self, self->language);
}

const char *
qm_manifest_cache_get_version (QmManifestCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return string_at (self, self->version);
}

const char *
qm_manifest_cache_get_key (QmManifestCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return string_at (self, self->key);
}

gsize
qm_manifest_cache_get_size (QmManifestCache *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

gboolean
qm_manifest_cache_has_table (QmManifestCache *self,
                             QmTable          table)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (table < QM_N_TABLES, FALSE);
  return self->tables[table].present;
}

guint
qm_manifest_cache_get_n_definitions (QmManifestCache *self,
                                     QmTable          table)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (table < QM_N_TABLES, 0);
  return self->tables[table].n_records;
}

static const guint8 *
find_record (QmManifestCache *self,
             QmTable          table,
             guint32          hash)
{
  const ReaderTable *t = &self->tables[table];
  gsize size = record_size (table);
  guint32 low = 0;
  guint32 high = t->n_records;

  while (low < high)
    {
      guint32 middle = low + (high - low) / 2;
      const guint8 *record = t->records + (gsize) middle * size;
      guint32 found = *(const guint32 *) (gconstpointer) record;

      if (found == hash)
        return record;
      if (found < hash)
        low = middle + 1;
      else
        high = middle;
    }
  return NULL;
}

gboolean
qm_manifest_cache_lookup_item (QmManifestCache  *self,
                               guint32           hash,
                               QmItemDefinition *def)
{
  const ItemRecord *record;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (def != NULL, FALSE);

  record = (const ItemRecord *) (gconstpointer) find_record (self, QM_TABLE_ITEM, hash);
  if (record == NULL)
    return FALSE;
  *def = (QmItemDefinition) {
    .hash = record->hash,
    .known = TRUE,
    .name = string_at (self, record->name),
    .description = optional_string_at (self, record->description),
    .icon = optional_string_at (self, record->icon),
    .watermark = optional_string_at (self, record->watermark),
    .flavor_text = optional_string_at (self, record->flavor_text),
    .item_type_name = optional_string_at (self, record->item_type_name),
    .tier_name = optional_string_at (self, record->tier_name),
    .tier_type = record->tier_type,
    .bucket_hash = record->bucket_hash,
    .max_stack_size = record->max_stack_size,
    .class_type = record->class_type,
    .item_type = record->item_type,
    .item_sub_type = record->item_sub_type,
    .default_damage_type = record->default_damage_type,
    .equippable = (record->flags & ITEM_EQUIPPABLE) != 0,
    .non_transferrable = (record->flags & ITEM_NON_TRANSFERRABLE) != 0,
  };
  return TRUE;
}

gboolean
qm_manifest_cache_lookup (QmManifestCache *self,
                          QmTable          table,
                          guint32          hash,
                          QmDefinition    *def)
{
  const DefinitionRecord *record;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (table < QM_N_TABLES, FALSE);
  g_return_val_if_fail (def != NULL, FALSE);

  if (table == QM_TABLE_ITEM)
    {
      QmItemDefinition item;

      if (!qm_manifest_cache_lookup_item (self, hash, &item))
        return FALSE;
      *def = (QmDefinition) {
        .table = table,
        .hash = hash,
        .known = TRUE,
        .name = item.name,
        .description = item.description,
        .icon = item.icon,
      };
      return TRUE;
    }

  record = (const DefinitionRecord *) (gconstpointer) find_record (self, table, hash);
  if (record == NULL)
    return FALSE;
  *def = (QmDefinition) {
    .table = table,
    .hash = record->hash,
    .known = TRUE,
    .name = string_at (self, record->name),
    .description = optional_string_at (self, record->description),
    .icon = optional_string_at (self, record->icon),
    .value = record->value,
  };
  return TRUE;
}

/* The hash of the @index-th definition of @table (in hash order), 0 past the end. */
guint32
qm_manifest_cache_get_hash_at (QmManifestCache *self,
                               QmTable          table,
                               guint            index)
{
  const ReaderTable *t;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (table < QM_N_TABLES, 0);

  t = &self->tables[table];
  if (!t->present || index >= t->n_records)
    return 0;
  return *(const guint32 *) (gconstpointer) (t->records + (gsize) index * record_size (table));
}

guint32
qm_manifest_cache_get_vendor_location (QmManifestCache *self,
                                       guint32          vendor_hash,
                                       int              index)
{
  const DefinitionRecord *record;

  g_return_val_if_fail (self != NULL, 0);

  if (index < 0)
    return 0;
  record = (const DefinitionRecord *) (gconstpointer) find_record (self, QM_TABLE_VENDOR, vendor_hash);
  if (record == NULL || (guint32) index >= record->n_locations ||
      !within (record->locations, record->n_locations, self->n_locations))
    return 0;
  return self->locations[record->locations + (guint32) index];
}
