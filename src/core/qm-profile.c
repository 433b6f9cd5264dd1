/* qm-profile.c: a player's profile (characters and items) from GetProfile
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two readers fill the same records: one walks a json-glib tree (the
 * client's JsonNode path), the other pulls the values it needs straight out
 * of the bytes (the fast path: a profile of a thousand items is a few MB of
 * JSON, and a tree of it costs several times that in memory and time). One
 * builder then turns the records into the characters and items, so both
 * readers order and combine things the same way; the tests hold them to
 * the same results.
 */

#define G_LOG_DOMAIN "qm-profile"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "qm-profile.h"

#include "qm-destiny.h"
#include "qm-envelope.h"
#include "qm-error.h"
#include "qm-json.h"
#include "qm-json-scan.h"

/* ItemLocation 4: the item waits at the postmaster. */
#define ITEM_LOCATION_POSTMASTER 4
#define CLASS_UNKNOWN 3

struct _QmProfile
{
  GObject     parent_instance;

  GPtrArray  *characters;   /* of QmCharacter */
  GListStore *items;        /* of QmItem */
  gint64      minted;       /* µs since the epoch */
  char       *membership_id;
  int        membership_type;
  QmProfileComponents withheld;
};

G_DEFINE_FINAL_TYPE (QmProfile, qm_profile, G_TYPE_OBJECT)

/* One DestinyItemComponent, as read. */
typedef struct
{
  guint32     hash;
  guint32     bucket_hash;
  int         quantity;
  int         state;
  gboolean    postmaster;    /* location 4, or the postmaster's bucket */
  const char *instance_id;   /* in the string chunk; nullable */
} ItemRecord;

/* What the item components (300, 304, 305) say about one instance. */
typedef struct
{
  gboolean has_instance;     /* listed in instances (300) */
  int      power;
  int      damage_type;
  gboolean has_stats;
  guint    stats_start;      /* into Records.stats */
  guint    n_stats;
  gboolean has_sockets;
  guint    sockets_start;    /* into Records.sockets */
  guint    n_sockets;
} InstanceRecord;

typedef struct
{
  int   class_type;
  int   light;
  char *emblem_path;
  char *date_last_played;
  char *membership_id;      /* the character's owner (component 200) */
  int   membership_type;
} CharacterRecord;

/* Everything either reader gathers from one DestinyProfileResponse. */
typedef struct
{
  GStringChunk *strings;         /* ids: instance and character */
  gint64        minted;
  char         *membership_id;
  int           membership_type;
  GPtrArray    *listed_ids;      /* profile.data.characterIds (chunk strings) */
  GHashTable   *characters;      /* id -> CharacterRecord */
  GHashTable   *equipment;       /* id -> GArray of ItemRecord, or NULL */
  GHashTable   *inventories;     /* id -> GArray of ItemRecord, or NULL */
  GArray       *profile_items;   /* profileInventory (ItemRecord), nullable */
  GArray       *currencies;      /* profileCurrencies (ItemRecord), nullable */
  GHashTable   *instances;       /* instance id -> InstanceRecord */
  GArray       *stats;           /* QmItemStat, sliced by InstanceRecord */
  GArray       *sockets;         /* QmItemSocket, sliced by InstanceRecord */
  QmProfileComponents withheld;  /* privacy 2 and no data */
} Records;

static void
character_free (gpointer data)
{
  QmCharacter *character = data;

  g_free (character->id);
  g_free (character->emblem_path);
  g_free (character->date_last_played);
  g_free (character);
}

static void
character_record_free (gpointer data)
{
  CharacterRecord *record = data;

  g_free (record->emblem_path);
  g_free (record->date_last_played);
  g_free (record->membership_id);
  g_free (record);
}

static void
item_array_free (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

static void
records_init (Records *records)
{
  memset (records, 0, sizeof *records);
  records->strings = g_string_chunk_new (4096);
  records->listed_ids = g_ptr_array_new ();
  records->characters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, character_record_free);
  records->equipment = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, item_array_free);
  records->inventories = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, item_array_free);
  records->instances = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  records->stats = g_array_new (FALSE, FALSE, sizeof (QmItemStat));
  records->sockets = g_array_new (FALSE, FALSE, sizeof (QmItemSocket));
}

static void
records_clear (Records *records)
{
  g_clear_pointer (&records->strings, g_string_chunk_free);
  g_clear_pointer (&records->membership_id, g_free);
  g_clear_pointer (&records->listed_ids, g_ptr_array_unref);
  g_clear_pointer (&records->characters, g_hash_table_unref);
  g_clear_pointer (&records->equipment, g_hash_table_unref);
  g_clear_pointer (&records->inventories, g_hash_table_unref);
  g_clear_pointer (&records->profile_items, g_array_unref);
  g_clear_pointer (&records->currencies, g_array_unref);
  g_clear_pointer (&records->instances, g_hash_table_unref);
  g_clear_pointer (&records->stats, g_array_unref);
  g_clear_pointer (&records->sockets, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Records, records_clear)

static const char *
records_intern (Records    *records,
                const char *text,
                gssize      length)
{
  return g_string_chunk_insert_len (records->strings, text, length);
}

static GArray *
item_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (ItemRecord));
}

/* The record of @instance_id; a member listed twice keeps the last
 * values, as a JSON tree would. */
static InstanceRecord *
records_instance (Records    *records,
                  const char *instance_id)
{
  InstanceRecord *record = g_hash_table_lookup (records->instances, instance_id);

  if (record == NULL)
    {
      record = g_new0 (InstanceRecord, 1);
      record->power = -1;
      g_hash_table_insert (records->instances,
                           (char *) records_intern (records, instance_id, -1), record);
    }
  return record;
}

static CharacterRecord *
character_record_new (void)
{
  CharacterRecord *record = g_new0 (CharacterRecord, 1);

  record->class_type = CLASS_UNKNOWN;
  return record;
}

static int
clamp_class (gint64 class_type)
{
  return class_type >= 0 && class_type <= 2 ? (int) class_type : CLASS_UNKNOWN;
}

static int
clamp_int (gint64 value,
           int    low)
{
  return (int) CLAMP (value, low, G_MAXINT);
}

static int
to_int (gint64 value)
{
  return (int) CLAMP (value, G_MININT, G_MAXINT);
}

/* Hashes are uint32; a signed-int32 form (SQLite ids) is folded back, as
 * qm_json_get_hash() does. */
static guint32
fold_hash (gint64 value)
{
  if (value < 0 && value >= G_MININT32)
    value += G_GINT64_CONSTANT (4294967296);
  if (value < 0 || value > G_MAXUINT32)
    return 0;
  return (guint32) value;
}

static gint64
parse_timestamp (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return 0;
  utc = g_time_zone_new_utc ();
  when = g_date_time_new_from_iso8601 (text, utc);
  if (when == NULL)
    return 0;
  return g_date_time_to_unix (when) * G_USEC_PER_SEC + g_date_time_get_microsecond (when);
}

/* ------------------------------------------------------------------ */
/* The tree reader                                                     */

/* The "data" of a component; NULL when it is missing or privacy-only. */
static JsonObject *
component_data (JsonObject *root,
                const char *name)
{
  return qm_json_get_object (qm_json_get_object (root, name), "data");
}

/* A component Bungie withheld: its wrapper has privacy 2 (Private) and no
 * data (bungie-api.md §2, Bungie-net/api #499). */
static void
tree_withheld (Records             *records,
               JsonObject          *parent,
               const char          *name,
               QmProfileComponents  component)
{
  JsonObject *wrapper = qm_json_get_object (parent, name);

  if (wrapper != NULL && !json_object_has_member (wrapper, "data") &&
      qm_json_get_int (wrapper, "privacy", 0) == 2)
    records->withheld |= component;
}

static void
tree_item (Records    *records,
           GArray     *array,
           JsonObject *data)
{
  g_autofree char *instance_id = qm_json_dup_id (data, "itemInstanceId");
  ItemRecord record = { 0 };

  record.hash = qm_json_get_hash (data, "itemHash");
  record.bucket_hash = qm_json_get_hash (data, "bucketHash");
  record.quantity = clamp_int (qm_json_get_int (data, "quantity", 1), 0);
  record.state = (int) CLAMP (qm_json_get_int (data, "state", 0), G_MININT, G_MAXINT);
  record.postmaster = record.bucket_hash == QM_BUCKET_POSTMASTER ||
                      qm_json_get_int (data, "location", 0) == ITEM_LOCATION_POSTMASTER;
  if (instance_id != NULL)
    record.instance_id = records_intern (records, instance_id, -1);
  g_array_append_val (array, record);
}

/* The DestinyItemComponents of an "items" array; NULL when it is not one. */
static GArray *
tree_items (Records   *records,
            JsonArray *items)
{
  GArray *array;

  if (items == NULL)
    return NULL;
  array = item_array_new ();
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        tree_item (records, array, json_node_get_object (node));
    }
  return array;
}

/* characterEquipment / characterInventories: id -> {items: […]} */
static void
tree_character_items (Records    *records,
                      GHashTable *table,
                      JsonObject *dictionary)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (dictionary == NULL)
    return;
  json_object_iter_init (&iter, dictionary);
  while (json_object_iter_next (&iter, &id, &node))
    {
      JsonArray *items = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        items = qm_json_get_array (json_node_get_object (node), "items");
      g_hash_table_replace (table, (char *) records_intern (records, id, -1),
                            tree_items (records, items));
    }
}

static void
tree_characters (Records    *records,
                 JsonObject *dictionary)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (dictionary == NULL)
    return;
  json_object_iter_init (&iter, dictionary);
  while (json_object_iter_next (&iter, &id, &node))
    {
      CharacterRecord *record = character_record_new ();

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *data = json_node_get_object (node);

          record->class_type = clamp_class (qm_json_get_int (data, "classType", CLASS_UNKNOWN));
          record->light = clamp_int (qm_json_get_int (data, "light", 0), 0);
          record->emblem_path = g_strdup (qm_json_get_string (data, "emblemPath"));
          record->date_last_played = g_strdup (qm_json_get_string (data, "dateLastPlayed"));
          record->membership_id = qm_json_dup_id (data, "membershipId");
          record->membership_type = (int) CLAMP (qm_json_get_int (data, "membershipType", 0),
                                                 G_MININT, G_MAXINT);
        }
      g_hash_table_replace (records->characters, (char *) records_intern (records, id, -1), record);
    }
}

static void
tree_profile (Records    *records,
              JsonObject *data)
{
  JsonObject *user_info = qm_json_get_object (data, "userInfo");
  JsonArray *ids = qm_json_get_array (data, "characterIds");

  records->membership_id = qm_json_dup_id (user_info, "membershipId");
  records->membership_type = (int) CLAMP (qm_json_get_int (user_info, "membershipType", 0),
                                          G_MININT, G_MAXINT);
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      g_autofree char *id = qm_json_node_dup_id (json_array_get_element (ids, i));

      if (id != NULL)
        g_ptr_array_add (records->listed_ids, (char *) records_intern (records, id, -1));
    }
}

static void
tree_instances (Records    *records,
                JsonObject *dictionary)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (dictionary == NULL)
    return;
  json_object_iter_init (&iter, dictionary);
  while (json_object_iter_next (&iter, &id, &node))
    {
      JsonObject *instance;
      JsonObject *primary_stat;
      InstanceRecord *record;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      instance = json_node_get_object (node);
      primary_stat = qm_json_get_object (instance, "primaryStat");
      record = records_instance (records, id);
      record->has_instance = TRUE;
      record->power = -1;
      if (primary_stat != NULL)
        record->power = (int) CLAMP (qm_json_get_int (primary_stat, "value", -1), -1, G_MAXINT);
      record->damage_type = (int) CLAMP (qm_json_get_int (instance, "damageType", 0),
                                         G_MININT, G_MAXINT);
    }
}

/* A stat's hash: its statHash, else the key it is listed under. */
static guint32
stat_hash_or_key (guint32     stat_hash,
                  const char *key)
{
  gint64 value;

  if (stat_hash != 0 || !qm_json_is_id_string (key))
    return stat_hash;
  value = g_ascii_strtoll (key, NULL, 10);
  return fold_hash (value);
}

static void
tree_stats (Records    *records,
            JsonObject *dictionary)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (dictionary == NULL)
    return;
  json_object_iter_init (&iter, dictionary);
  while (json_object_iter_next (&iter, &id, &node))
    {
      JsonObject *stats;
      InstanceRecord *record;
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      stats = qm_json_get_object (json_node_get_object (node), "stats");
      if (stats == NULL)
        continue;
      record = records_instance (records, id);
      record->has_stats = TRUE;
      record->stats_start = records->stats->len;
      /* In the order listed. */
      members = json_object_get_members (stats);
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *stat_node = json_object_get_member (stats, l->data);
          JsonObject *stat;
          QmItemStat entry;

          if (!JSON_NODE_HOLDS_OBJECT (stat_node))
            continue;
          stat = json_node_get_object (stat_node);
          entry.stat_hash = stat_hash_or_key (qm_json_get_hash (stat, "statHash"), l->data);
          entry.value = (int) CLAMP (qm_json_get_int (stat, "value", 0), G_MININT, G_MAXINT);
          g_array_append_val (records->stats, entry);
        }
      record->n_stats = records->stats->len - record->stats_start;
    }
}

static void
tree_sockets (Records    *records,
              JsonObject *dictionary)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *node;

  if (dictionary == NULL)
    return;
  json_object_iter_init (&iter, dictionary);
  while (json_object_iter_next (&iter, &id, &node))
    {
      JsonArray *sockets;
      InstanceRecord *record;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      sockets = qm_json_get_array (json_node_get_object (node), "sockets");
      if (sockets == NULL)
        continue;
      record = records_instance (records, id);
      record->has_sockets = TRUE;
      record->sockets_start = records->sockets->len;
      for (guint i = 0; i < json_array_get_length (sockets); i++)
        {
          JsonNode *socket_node = json_array_get_element (sockets, i);
          QmItemSocket entry = { 0 };

          /* Every socket keeps its index, even one that says nothing. */
          if (JSON_NODE_HOLDS_OBJECT (socket_node))
            {
              JsonObject *socket = json_node_get_object (socket_node);

              entry.plug_hash = qm_json_get_hash (socket, "plugHash");
              entry.is_enabled = qm_json_get_bool (socket, "isEnabled", FALSE);
              entry.is_visible = qm_json_get_bool (socket, "isVisible", FALSE);
            }
          g_array_append_val (records->sockets, entry);
        }
      record->n_sockets = records->sockets->len - record->sockets_start;
    }
}

static void
tree_read (Records    *records,
           JsonObject *root)
{
  JsonObject *components = qm_json_get_object (root, "itemComponents");

  records->minted = parse_timestamp (qm_json_get_string (root, "responseMintedTimestamp"));
  tree_profile (records, component_data (root, "profile"));
  tree_characters (records, component_data (root, "characters"));
  tree_character_items (records, records->equipment, component_data (root, "characterEquipment"));
  tree_character_items (records, records->inventories, component_data (root, "characterInventories"));
  records->profile_items = tree_items (records, qm_json_get_array (component_data (root, "profileInventory"),
                                                                   "items"));
  records->currencies = tree_items (records, qm_json_get_array (component_data (root, "profileCurrencies"),
                                                                "items"));
  tree_instances (records, component_data (components, "instances"));
  tree_stats (records, component_data (components, "stats"));
  tree_sockets (records, component_data (components, "sockets"));

  tree_withheld (records, root, "profile", QM_PROFILE_COMPONENT_PROFILES);
  tree_withheld (records, root, "profileInventory", QM_PROFILE_COMPONENT_PROFILE_INVENTORIES);
  tree_withheld (records, root, "profileCurrencies", QM_PROFILE_COMPONENT_PROFILE_CURRENCIES);
  tree_withheld (records, root, "characters", QM_PROFILE_COMPONENT_CHARACTERS);
  tree_withheld (records, root, "characterInventories", QM_PROFILE_COMPONENT_CHARACTER_INVENTORIES);
  tree_withheld (records, root, "characterEquipment", QM_PROFILE_COMPONENT_CHARACTER_EQUIPMENT);
  tree_withheld (records, components, "instances", QM_PROFILE_COMPONENT_ITEM_INSTANCES);
  tree_withheld (records, components, "stats", QM_PROFILE_COMPONENT_ITEM_STATS);
  tree_withheld (records, components, "sockets", QM_PROFILE_COMPONENT_ITEM_SOCKETS);
}

/* ------------------------------------------------------------------ */
/* The bytes reader                                                    */

/* The values are read as leniently as the qm_json_get_*() helpers read a
 * tree: a value of an unexpected type is skipped and the fallback used. */

static inline gboolean
key_is (const char *key,
        gsize       length,
        const char *name,
        gsize       name_length)
{
  return length == name_length && memcmp (key, name, length) == 0;
}

#define KEY_IS(scan_key, scan_len, literal) key_is (scan_key, scan_len, literal, sizeof literal - 1)

static gboolean
text_is_integer (const char *text,
                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (text[i] == '.' || text[i] == 'e' || text[i] == 'E')
      return FALSE;
  return length > 0;
}

/* json-glib keeps an integer's value exactly and turns other numbers into
 * doubles, which qm_json_get_int() truncates (the nearest bound when out of
 * range). */
static gint64
number_value (const char *text,
              gsize       length)
{
  if (text_is_integer (text, length))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      char *end = NULL;
      gint64 integer;

      if (length < sizeof buffer)
        {
          memcpy (buffer, text, length);
          buffer[length] = '\0';
          integer = g_ascii_strtoll (buffer, &end, 10);
          if (end != NULL && *end == '\0')
            return integer;
        }
    }
  return qm_json_double_to_int64 (qm_json_number_value (text, length));
}

/* The text of the number ahead (after a peek said NUMBER), consumed. */
static gboolean
scan_number_text (QmJsonScan  *scan,
                  const char  *data,
                  const char **text,
                  gsize       *length)
{
  gsize start = qm_json_scan_offset (scan);

  if (!qm_json_scan_skip (scan))
    return FALSE;
  *text = data + start;
  *length = qm_json_scan_offset (scan) - start;
  return TRUE;
}

/* qm_json_is_id_string() on a counted string. */
static gboolean
id_string_value (const char *text,
                 gsize       length,
                 gint64     *value)
{
  char buffer[32];

  if (length == 0 || length >= sizeof buffer)
    return FALSE;
  memcpy (buffer, text, length);
  buffer[length] = '\0';
  if (!qm_json_is_id_string (buffer))
    return FALSE;
  *value = g_ascii_strtoll (buffer, NULL, 10);
  return TRUE;
}

typedef struct
{
  QmJsonScan  scan;
  const char *data;
  Records    *records;
  QmProfileComponents component;  /* the one being read */
} Reader;

static gint64
read_int (Reader *reader,
          gint64  fallback)
{
  QmJsonScan *scan = &reader->scan;
  const char *text;
  gsize length;
  gint64 value;

  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_NUMBER:
      if (!scan_number_text (scan, reader->data, &text, &length))
        return fallback;
      return number_value (text, length);
    case QM_JSON_STRING:
      if (!qm_json_scan_string (scan, &text, &length))
        return fallback;
      return id_string_value (text, length, &value) ? value : fallback;
    default:
      qm_json_scan_skip (scan);
      return fallback;
    }
}

static guint32
read_hash (Reader *reader)
{
  return fold_hash (read_int (reader, 0));
}

static gboolean
read_bool (Reader   *reader,
           gboolean  fallback)
{
  return qm_json_scan_boolean_or (&reader->scan, fallback);
}

/* A string (NULL for anything else), valid until the next read. */
static const char *
read_string (Reader *reader,
             gsize  *length)
{
  const char *text = NULL;

  if (!qm_json_scan_string_or_skip (&reader->scan, &text, length))
    return NULL;
  return text;
}

static char *
read_dup_string (Reader *reader)
{
  gsize length;
  const char *text = read_string (reader, &length);

  return text != NULL ? g_strndup (text, length) : NULL;
}

/* An int64 id the way qm_json_node_dup_id() reads one: the digits of a
 * string as sent, or an integer printed; NULL otherwise. Interned. */
static const char *
read_id (Reader *reader)
{
  QmJsonScan *scan = &reader->scan;
  const char *text;
  gsize length;

  switch (qm_json_scan_peek (scan))
    {
    case QM_JSON_STRING:
      {
        gsize i = 0;

        if (!qm_json_scan_string (scan, &text, &length))
          return NULL;
        if (length > 0 && text[0] == '-')
          i++;
        if (i == length)
          return NULL;
        for (; i < length; i++)
          if (!g_ascii_isdigit (text[i]))
            return NULL;
        return records_intern (reader->records, text, length);
      }
    case QM_JSON_NUMBER:
      {
        char printed[32];

        if (!scan_number_text (scan, reader->data, &text, &length) ||
            !text_is_integer (text, length))
          return NULL;
        g_snprintf (printed, sizeof printed, "%" G_GINT64_FORMAT, number_value (text, length));
        return records_intern (reader->records, printed, -1);
      }
    default:
      qm_json_scan_skip (scan);
      return NULL;
    }
}

/* Enter the object or array ahead; FALSE (having skipped the value) when
 * it is something else. */
static gboolean
enter_object (Reader *reader)
{
  return qm_json_scan_enter_object_or_skip (&reader->scan);
}

static gboolean
enter_array (Reader *reader)
{
  return qm_json_scan_enter_array_or_skip (&reader->scan);
}

static gboolean
next_member (Reader      *reader,
             const char **key,
             gsize       *length)
{
  if (!qm_json_scan_next_member (&reader->scan))
    return FALSE;
  *key = qm_json_scan_key (&reader->scan, length);
  return TRUE;
}

/* The current member's name, interned (valid after the value is read). */
static const char *
intern_key (Reader *reader)
{
  gsize length;
  const char *key = qm_json_scan_key (&reader->scan, &length);

  return records_intern (reader->records, key, length);
}

/* Enter a component wrapper's "data" of the expected kind and stop before
 * its first member or element: TRUE; FALSE when there is none (the
 * wrapper is then consumed). The members after "data" are skipped by
 * leave_component(). */
static gboolean
enter_component_data (Reader   *reader,
                      gboolean  array_data)
{
  const char *key;
  gsize length;
  gboolean has_data = FALSE;
  gint64 privacy = 0;

  if (!enter_object (reader))
    return FALSE;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "privacy"))
        {
          privacy = read_int (reader, 0);
          continue;
        }
      if (!KEY_IS (key, length, "data"))
        {
          qm_json_scan_skip (&reader->scan);
          continue;
        }
      has_data = TRUE;
      if (array_data ? enter_array (reader) : enter_object (reader))
        return TRUE;
    }
  /* Withheld for privacy (bungie-api.md §2). */
  if (!has_data && privacy == 2)
    reader->records->withheld |= reader->component;
  return FALSE;
}

static void
leave_component (Reader *reader)
{
  const char *key;
  gsize length;

  while (next_member (reader, &key, &length))
    qm_json_scan_skip (&reader->scan);
}

static void
read_item (Reader *reader,
           GArray *array)
{
  ItemRecord record = { .quantity = 1 };
  const char *key;
  gsize length;
  gint64 location = 0;

  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "itemHash"))
        record.hash = read_hash (reader);
      else if (KEY_IS (key, length, "itemInstanceId"))
        record.instance_id = read_id (reader);
      else if (KEY_IS (key, length, "bucketHash"))
        record.bucket_hash = read_hash (reader);
      else if (KEY_IS (key, length, "quantity"))
        record.quantity = clamp_int (read_int (reader, 1), 0);
      else if (KEY_IS (key, length, "state"))
        record.state = to_int (read_int (reader, 0));
      else if (KEY_IS (key, length, "location"))
        location = read_int (reader, 0);
      else
        qm_json_scan_skip (&reader->scan);
    }
  record.postmaster = record.bucket_hash == QM_BUCKET_POSTMASTER || location == ITEM_LOCATION_POSTMASTER;
  g_array_append_val (array, record);
}

/* The elements of the array ahead; the scanner is before its first one. */
static GArray *
read_item_elements (Reader *reader)
{
  GArray *array = item_array_new ();

  while (qm_json_scan_next_element (&reader->scan))
    {
      if (enter_object (reader))
        read_item (reader, array);
    }
  return array;
}

/* An object with an "items" array: the array's items, or NULL. */
static GArray *
read_items_holder (Reader *reader)
{
  GArray *array = NULL;
  const char *key;
  gsize length;

  if (!enter_object (reader))
    return NULL;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "items") && qm_json_scan_peek (&reader->scan) == QM_JSON_ARRAY)
        {
          g_clear_pointer (&array, g_array_unref);
          qm_json_scan_enter_array (&reader->scan);
          array = read_item_elements (reader);
        }
      else
        {
          /* An "items" of another type hides an earlier one, as in a tree. */
          if (KEY_IS (key, length, "items"))
            g_clear_pointer (&array, g_array_unref);
          qm_json_scan_skip (&reader->scan);
        }
    }
  return array;
}

/* profileInventory / profileCurrencies: {data: {items: […]}} */
static GArray *
read_profile_items (Reader *reader)
{
  GArray *array = NULL;
  const char *key;
  gsize length;
  gboolean has_data = FALSE;
  gint64 privacy = 0;

  if (!enter_object (reader))
    return NULL;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "data"))
        {
          has_data = TRUE;
          g_clear_pointer (&array, g_array_unref);
          array = read_items_holder (reader);
        }
      else if (KEY_IS (key, length, "privacy"))
        privacy = read_int (reader, 0);
      else
        qm_json_scan_skip (&reader->scan);
    }
  /* Withheld for privacy (bungie-api.md §2). */
  if (!has_data && privacy == 2)
    reader->records->withheld |= reader->component;
  return array;
}

/* characterEquipment / characterInventories */
static void
read_character_items (Reader     *reader,
                      GHashTable *table)
{
  /* A component listed twice: the last one counts. */
  g_hash_table_remove_all (table);
  if (!enter_component_data (reader, FALSE))
    return;
  while (qm_json_scan_next_member (&reader->scan))
    {
      const char *id = intern_key (reader);

      g_hash_table_replace (table, (char *) id, read_items_holder (reader));
    }
  leave_component (reader);
}

static void
read_character (Reader          *reader,
                CharacterRecord *record)
{
  const char *key;
  gsize length;

  if (!enter_object (reader))
    return;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "classType"))
        record->class_type = clamp_class (read_int (reader, CLASS_UNKNOWN));
      else if (KEY_IS (key, length, "light"))
        record->light = clamp_int (read_int (reader, 0), 0);
      else if (KEY_IS (key, length, "emblemPath"))
        {
          g_free (record->emblem_path);
          record->emblem_path = read_dup_string (reader);
        }
      else if (KEY_IS (key, length, "dateLastPlayed"))
        {
          g_free (record->date_last_played);
          record->date_last_played = read_dup_string (reader);
        }
      else if (KEY_IS (key, length, "membershipId"))
        {
          const char *id = read_id (reader);

          g_free (record->membership_id);
          record->membership_id = g_strdup (id);
        }
      else if (KEY_IS (key, length, "membershipType"))
        record->membership_type = to_int (read_int (reader, 0));
      else
        qm_json_scan_skip (&reader->scan);
    }
}

static void
read_characters (Reader *reader)
{
  g_hash_table_remove_all (reader->records->characters);
  if (!enter_component_data (reader, FALSE))
    return;
  while (qm_json_scan_next_member (&reader->scan))
    {
      const char *id = intern_key (reader);
      CharacterRecord *record = character_record_new ();

      read_character (reader, record);
      g_hash_table_replace (reader->records->characters, (char *) id, record);
    }
  leave_component (reader);
}

static void
read_user_info (Reader *reader)
{
  Records *records = reader->records;
  const char *key;
  gsize length;

  if (!enter_object (reader))
    return;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "membershipId"))
        {
          const char *id = read_id (reader);

          g_free (records->membership_id);
          records->membership_id = g_strdup (id);
        }
      else if (KEY_IS (key, length, "membershipType"))
        records->membership_type = to_int (read_int (reader, 0));
      else
        qm_json_scan_skip (&reader->scan);
    }
}

static void
read_profile (Reader *reader)
{
  Records *records = reader->records;
  const char *key;
  gsize length;

  g_clear_pointer (&records->membership_id, g_free);
  records->membership_type = 0;
  g_ptr_array_set_size (records->listed_ids, 0);
  if (!enter_component_data (reader, FALSE))
    return;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "userInfo"))
        {
          g_clear_pointer (&records->membership_id, g_free);
          records->membership_type = 0;
          read_user_info (reader);
        }
      else if (KEY_IS (key, length, "characterIds"))
        {
          g_ptr_array_set_size (records->listed_ids, 0);
          if (!enter_array (reader))
            continue;
          while (qm_json_scan_next_element (&reader->scan))
            {
              const char *id = read_id (reader);

              if (id != NULL)
                g_ptr_array_add (records->listed_ids, (char *) id);
            }
        }
      else
        qm_json_scan_skip (&reader->scan);
    }
  leave_component (reader);
}

static void
read_instance (Reader         *reader,
               InstanceRecord *record)
{
  const char *key;
  gsize length;

  record->has_instance = TRUE;
  record->power = -1;
  record->damage_type = 0;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "damageType"))
        record->damage_type = to_int (read_int (reader, 0));
      else if (KEY_IS (key, length, "primaryStat"))
        {
          const char *stat_key;
          gsize stat_length;

          record->power = -1;
          if (!enter_object (reader))
            continue;
          while (next_member (reader, &stat_key, &stat_length))
            {
              if (KEY_IS (stat_key, stat_length, "value"))
                record->power = clamp_int (read_int (reader, -1), -1);
              else
                qm_json_scan_skip (&reader->scan);
            }
        }
      else
        qm_json_scan_skip (&reader->scan);
    }
}

static void
read_stat_entries (Reader         *reader,
                   InstanceRecord *record)
{
  Records *records = reader->records;

  record->has_stats = TRUE;
  record->stats_start = records->stats->len;
  while (qm_json_scan_next_member (&reader->scan))
    {
      /* Only a short key can be a hash (stat_hash_or_key()). */
      char stat_key[32] = "";
      QmItemStat entry = { 0 };
      const char *key;
      gsize length;

      key = qm_json_scan_key (&reader->scan, &length);
      if (length < sizeof stat_key)
        {
          memcpy (stat_key, key, length);
          stat_key[length] = '\0';
        }
      if (!enter_object (reader))
        continue;
      while (next_member (reader, &key, &length))
        {
          if (KEY_IS (key, length, "statHash"))
            entry.stat_hash = read_hash (reader);
          else if (KEY_IS (key, length, "value"))
            entry.value = to_int (read_int (reader, 0));
          else
            qm_json_scan_skip (&reader->scan);
        }
      entry.stat_hash = stat_hash_or_key (entry.stat_hash, stat_key);
      g_array_append_val (records->stats, entry);
    }
  record->n_stats = records->stats->len - record->stats_start;
}

static void
read_socket_entries (Reader         *reader,
                     InstanceRecord *record)
{
  Records *records = reader->records;

  record->has_sockets = TRUE;
  record->sockets_start = records->sockets->len;
  while (qm_json_scan_next_element (&reader->scan))
    {
      QmItemSocket entry = { 0 };
      const char *key;
      gsize length;

      if (enter_object (reader))
        while (next_member (reader, &key, &length))
          {
            if (KEY_IS (key, length, "plugHash"))
              entry.plug_hash = read_hash (reader);
            else if (KEY_IS (key, length, "isEnabled"))
              entry.is_enabled = read_bool (reader, FALSE);
            else if (KEY_IS (key, length, "isVisible"))
              entry.is_visible = read_bool (reader, FALSE);
            else
              qm_json_scan_skip (&reader->scan);
          }
      g_array_append_val (records->sockets, entry);
    }
  record->n_sockets = records->sockets->len - record->sockets_start;
}

typedef enum
{
  COMPONENT_INSTANCES,
  COMPONENT_STATS,
  COMPONENT_SOCKETS,
} ItemComponent;

/* One entry of stats.data / sockets.data: {stats: {…}} / {sockets: […]}. */
static void
read_component_entry (Reader         *reader,
                      ItemComponent   component,
                      const char     *id)
{
  const char *key;
  gsize length;

  if (!enter_object (reader))
    return;
  while (next_member (reader, &key, &length))
    {
      if (component == COMPONENT_STATS && KEY_IS (key, length, "stats") &&
          qm_json_scan_peek (&reader->scan) == QM_JSON_OBJECT)
        {
          qm_json_scan_enter_object (&reader->scan);
          read_stat_entries (reader, records_instance (reader->records, id));
        }
      else if (component == COMPONENT_SOCKETS && KEY_IS (key, length, "sockets") &&
               qm_json_scan_peek (&reader->scan) == QM_JSON_ARRAY)
        {
          qm_json_scan_enter_array (&reader->scan);
          read_socket_entries (reader, records_instance (reader->records, id));
        }
      else
        qm_json_scan_skip (&reader->scan);
    }
}

static void
read_item_component (Reader        *reader,
                     ItemComponent  component)
{
  if (!enter_component_data (reader, FALSE))
    return;
  while (qm_json_scan_next_member (&reader->scan))
    {
      gsize length;
      const char *key = qm_json_scan_key (&reader->scan, &length);
      char buffer[64];
      g_autofree char *long_id = NULL;
      char *id = buffer;

      /* The key is only valid until the next member: copy it. */
      if (length >= sizeof buffer)
        id = long_id = g_strndup (key, length);
      else
        {
          memcpy (buffer, key, length);
          buffer[length] = '\0';
        }
      if (component != COMPONENT_INSTANCES)
        read_component_entry (reader, component, id);
      else if (qm_json_scan_peek (&reader->scan) == QM_JSON_OBJECT)
        {
          qm_json_scan_enter_object (&reader->scan);
          read_instance (reader, records_instance (reader->records, id));
        }
      else
        qm_json_scan_skip (&reader->scan);
    }
  leave_component (reader);
}

static void
read_item_components (Reader *reader)
{
  const char *key;
  gsize length;

  if (!enter_object (reader))
    return;
  while (next_member (reader, &key, &length))
    {
      if (KEY_IS (key, length, "instances"))
        {
          reader->component = QM_PROFILE_COMPONENT_ITEM_INSTANCES;
          read_item_component (reader, COMPONENT_INSTANCES);
        }
      else if (KEY_IS (key, length, "stats"))
        {
          reader->component = QM_PROFILE_COMPONENT_ITEM_STATS;
          read_item_component (reader, COMPONENT_STATS);
        }
      else if (KEY_IS (key, length, "sockets"))
        {
          reader->component = QM_PROFILE_COMPONENT_ITEM_SOCKETS;
          read_item_component (reader, COMPONENT_SOCKETS);
        }
      else
        qm_json_scan_skip (&reader->scan);
    }
}

/* One member of a DestinyProfileResponse. */
static void
read_response_member (Reader     *reader,
                      const char *key,
                      gsize       length)
{
  Records *records = reader->records;

  if (KEY_IS (key, length, "responseMintedTimestamp"))
    {
      g_autofree char *text = read_dup_string (reader);

      records->minted = parse_timestamp (text);
    }
  else if (KEY_IS (key, length, "profile"))
    {
      reader->component = QM_PROFILE_COMPONENT_PROFILES;
      read_profile (reader);
    }
  else if (KEY_IS (key, length, "characters"))
    {
      reader->component = QM_PROFILE_COMPONENT_CHARACTERS;
      read_characters (reader);
    }
  else if (KEY_IS (key, length, "characterEquipment"))
    {
      reader->component = QM_PROFILE_COMPONENT_CHARACTER_EQUIPMENT;
      read_character_items (reader, records->equipment);
    }
  else if (KEY_IS (key, length, "characterInventories"))
    {
      reader->component = QM_PROFILE_COMPONENT_CHARACTER_INVENTORIES;
      read_character_items (reader, records->inventories);
    }
  else if (KEY_IS (key, length, "profileInventory"))
    {
      reader->component = QM_PROFILE_COMPONENT_PROFILE_INVENTORIES;
      g_clear_pointer (&records->profile_items, g_array_unref);
      records->profile_items = read_profile_items (reader);
    }
  else if (KEY_IS (key, length, "profileCurrencies"))
    {
      reader->component = QM_PROFILE_COMPONENT_PROFILE_CURRENCIES;
      g_clear_pointer (&records->currencies, g_array_unref);
      records->currencies = read_profile_items (reader);
    }
  else if (KEY_IS (key, length, "itemComponents"))
    read_item_components (reader);
  else
    qm_json_scan_skip (&reader->scan);
}

/* The members of a DestinyProfileResponse; the scanner is inside it. */
static void
read_response (Reader *reader)
{
  const char *key;
  gsize length;

  while (next_member (reader, &key, &length))
    read_response_member (reader, key, length);
}

/* ------------------------------------------------------------------ */
/* Building the profile from the records                               */

static void
qm_profile_finalize (GObject *object)
{
  QmProfile *self = QM_PROFILE (object);

  g_clear_pointer (&self->characters, g_ptr_array_unref);
  g_clear_object (&self->items);
  g_free (self->membership_id);

  G_OBJECT_CLASS (qm_profile_parent_class)->finalize (object);
}

static void
qm_profile_class_init (QmProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qm_profile_finalize;
}

static void
qm_profile_init (QmProfile *self)
{
  self->characters = g_ptr_array_new_with_free_func (character_free);
  self->items = g_list_store_new (QM_TYPE_ITEM);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const char *id_a = *(const char * const *) a;
  const char *id_b = *(const char * const *) b;
  gint64 value_a = g_ascii_strtoll (id_a, NULL, 10);
  gint64 value_b = g_ascii_strtoll (id_b, NULL, 10);

  if (value_a != value_b)
    return value_a < value_b ? -1 : 1;
  return strcmp (id_a, id_b);
}

/* Gather the character ids keying a dictionary component that are not
 * listed yet. */
static void
gather_dictionary_ids (GPtrArray  *extra,
                       GHashTable *seen,
                       GHashTable *dictionary)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, dictionary);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (qm_json_is_id_string (key) && g_hash_table_add (seen, key))
      g_ptr_array_add (extra, key);
}

/* Every character the profile speaks of: the order of profile.data.characterIds
 * first, then (sorted by id) any other character that has data or items. */
static GPtrArray *
collect_character_ids (Records *records)
{
  GPtrArray *ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < records->listed_ids->len; i++)
    {
      char *id = g_ptr_array_index (records->listed_ids, i);

      if (g_hash_table_add (seen, id))
        g_ptr_array_add (ids, id);
    }
  gather_dictionary_ids (extra, seen, records->characters);
  gather_dictionary_ids (extra, seen, records->equipment);
  gather_dictionary_ids (extra, seen, records->inventories);
  g_ptr_array_sort (extra, compare_ids);
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (extra, i));
  return ids;
}

static QmItem *
build_item (Records          *records,
            const ItemRecord *record,
            QmItemLocation    location,
            const char       *character_id,
            int               owner_class)
{
  InstanceRecord *instance = NULL;
  QmItem *item;

  if (record->instance_id != NULL)
    instance = g_hash_table_lookup (records->instances, record->instance_id);
  item = qm_item_new (record->hash, record->instance_id, record->bucket_hash, location,
                      character_id, record->quantity, record->state,
                      instance != NULL && instance->has_instance ? instance->power : -1,
                      instance != NULL && instance->has_instance ? instance->damage_type : 0);
  if (instance != NULL && instance->n_stats > 0)
    qm_item_set_stats (item, &g_array_index (records->stats, QmItemStat, instance->stats_start),
                       instance->n_stats);
  if (instance != NULL && instance->n_sockets > 0)
    qm_item_set_sockets (item, &g_array_index (records->sockets, QmItemSocket, instance->sockets_start),
                         instance->n_sockets);
  if (owner_class != CLASS_UNKNOWN)
    qm_item_set_owner_class (item, owner_class);
  return item;
}

typedef enum
{
  TAKE_ALL,
  TAKE_POSTMASTER,
  TAKE_NOT_POSTMASTER,
  TAKE_VAULT,
  TAKE_NOT_VAULT,
} Take;

static gboolean
takes (Take              take,
       const ItemRecord *record)
{
  switch (take)
    {
    case TAKE_POSTMASTER:
      return record->postmaster;
    case TAKE_NOT_POSTMASTER:
      return !record->postmaster;
    case TAKE_VAULT:
      return record->bucket_hash == QM_BUCKET_VAULT;
    case TAKE_NOT_VAULT:
      return record->bucket_hash != QM_BUCKET_VAULT;
    case TAKE_ALL:
    default:
      return TRUE;
    }
}

static void
build_items (Records        *records,
             GPtrArray      *out,
             GArray         *array,
             Take            take,
             QmItemLocation  location,
             const char     *character_id,
             int             owner_class)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    {
      const ItemRecord *record = &g_array_index (array, ItemRecord, i);

      if (takes (take, record))
        g_ptr_array_add (out, build_item (records, record, location, character_id, owner_class));
    }
}

static QmProfile *
build_profile (Records *records)
{
  g_autoptr(QmProfile) self = g_object_new (QM_TYPE_PROFILE, NULL);
  g_autoptr(GPtrArray) ids = collect_character_ids (records);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      CharacterRecord *data = g_hash_table_lookup (records->characters, id);
      QmCharacter *character = g_new0 (QmCharacter, 1);

      character->id = g_strdup (id);
      character->class_type = data != NULL ? data->class_type : CLASS_UNKNOWN;
      character->light = data != NULL ? data->light : 0;
      character->emblem_path = data != NULL ? g_strdup (data->emblem_path) : NULL;
      character->date_last_played = data != NULL ? g_strdup (data->date_last_played) : NULL;
      g_ptr_array_add (self->characters, character);

      build_items (records, items, g_hash_table_lookup (records->equipment, id), TAKE_ALL,
                   QM_ITEM_LOCATION_EQUIPPED, character->id, character->class_type);
      build_items (records, items, g_hash_table_lookup (records->inventories, id),
                   TAKE_NOT_POSTMASTER, QM_ITEM_LOCATION_INVENTORY, character->id,
                   character->class_type);
      build_items (records, items, g_hash_table_lookup (records->inventories, id),
                   TAKE_POSTMASTER, QM_ITEM_LOCATION_POSTMASTER, character->id,
                   character->class_type);
    }
  build_items (records, items, records->profile_items, TAKE_VAULT, QM_ITEM_LOCATION_VAULT,
               NULL, CLASS_UNKNOWN);
  build_items (records, items, records->profile_items, TAKE_NOT_VAULT, QM_ITEM_LOCATION_ACCOUNT,
               NULL, CLASS_UNKNOWN);
  build_items (records, items, records->currencies, TAKE_ALL, QM_ITEM_LOCATION_ACCOUNT,
               NULL, CLASS_UNKNOWN);
  /* One insertion for the lot. */
  if (items->len > 0)
    g_list_store_splice (self->items, 0, 0, items->pdata, items->len);

  self->minted = records->minted;
  self->withheld = records->withheld;
  self->membership_id = g_steal_pointer (&records->membership_id);
  self->membership_type = records->membership_type;
  /* Without component 100 there is no userInfo; the characters (200) carry
   * their owner's membershipId and membershipType (bungie-api.md §2). */
  for (guint i = 0; self->membership_id == NULL && i < ids->len; i++)
    {
      CharacterRecord *data = g_hash_table_lookup (records->characters, g_ptr_array_index (ids, i));

      if (data != NULL && data->membership_id != NULL)
        {
          self->membership_id = g_strdup (data->membership_id);
          self->membership_type = data->membership_type;
        }
    }
  return g_steal_pointer (&self);
}

/**
 * qm_profile_parse:
 * @response: the Response of a GetProfile call (a DestinyProfileResponse)
 *
 * Pure: builds the characters and items from whatever components the
 * response holds. Missing and privacy-only components give no data.
 *
 * Returns: (transfer full): the profile, or %NULL with QM_CLIENT_ERROR_MALFORMED
 */
QmProfile *
qm_profile_parse (JsonNode  *response,
                  GError   **error)
{
  g_auto(Records) records = { 0 };

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The profile answer is not a JSON object");
      return NULL;
    }

  records_init (&records);
  tree_read (&records, json_node_get_object (response));
  return build_profile (&records);
}

/* Skip a UTF-8 byte order mark, as the envelope parser does. */
static const char *
skip_bom (const char *data,
          gsize      *size)
{
  if (*size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      *size -= 3;
      return data + 3;
    }
  return data;
}

/* An envelope's failure, worded exactly as the client words it. */
static void
set_envelope_error (GBytes  *bytes,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = qm_envelope_parse (bytes, 200, "application/json", NULL, &local_error);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                         "The profile answer is not a JSON object");
}

/**
 * qm_profile_parse_bytes:
 * @bytes: a GetProfile answer: the envelope (`{"Response": …, "ErrorCode":
 *   1, …}`) or the DestinyProfileResponse alone
 *
 * Pure: the same as qm_profile_parse() on the Response, read from the bytes
 * in place without building a JSON tree. An envelope whose ErrorCode is not
 * 1 fails with the error qm_envelope_parse() gives for it.
 *
 * Returns: (transfer full): the profile, or %NULL with QM_CLIENT_ERROR_MALFORMED
 *   (or the envelope's QM_PLATFORM_ERROR)
 */
QmProfile *
qm_profile_parse_bytes (GBytes  *bytes,
                        GError **error)
{
  g_auto(Records) top = { 0 };
  g_auto(Records) inner = { 0 };
  Reader reader = { 0 };
  const char *data;
  const char *key;
  gsize length;
  gsize size = 0;
  gboolean is_envelope = FALSE;
  gboolean has_response = FALSE;
  gint64 error_code = 0;
  GError *scan_error = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = skip_bom (g_bytes_get_data (bytes, &size), &size);
  records_init (&top);
  records_init (&inner);
  qm_json_scan_init (&reader.scan, data, size);
  reader.data = data;

  if (qm_json_scan_peek (&reader.scan) != QM_JSON_OBJECT)
    {
      gboolean valid = qm_json_scan_skip (&reader.scan) && qm_json_scan_finish (&reader.scan, NULL);

      qm_json_scan_clear (&reader.scan);
      if (!valid)
        g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                             size == 0 ? "The profile answer is empty"
                                       : "The profile answer is not valid JSON");
      else
        g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                             "The profile answer is not a JSON object");
      return NULL;
    }

  /* Whether this is an envelope shows only at its ErrorCode, which Bungie
   * sends after the Response: the top level is read both as a profile and
   * as an envelope, and one of the two is kept. */
  qm_json_scan_enter_object (&reader.scan);
  while (qm_json_scan_next_member (&reader.scan))
    {
      key = qm_json_scan_key (&reader.scan, &length);
      if (KEY_IS (key, length, "ErrorCode"))
        {
          const char *text;
          gsize text_length;

          /* An envelope's ErrorCode is an integer (qm_envelope_parse()). */
          is_envelope = FALSE;
          if (qm_json_scan_peek (&reader.scan) == QM_JSON_NUMBER &&
              scan_number_text (&reader.scan, data, &text, &text_length) &&
              text_is_integer (text, text_length))
            {
              is_envelope = TRUE;
              error_code = number_value (text, text_length);
            }
          else
            qm_json_scan_skip (&reader.scan);
        }
      else if (KEY_IS (key, length, "Response"))
        {
          records_clear (&inner);
          records_init (&inner);
          reader.records = &inner;
          has_response = qm_json_scan_peek (&reader.scan) == QM_JSON_OBJECT;
          if (has_response)
            {
              qm_json_scan_enter_object (&reader.scan);
              read_response (&reader);
            }
          else
            qm_json_scan_skip (&reader.scan);
        }
      else
        {
          reader.records = &top;
          read_response_member (&reader, key, length);
        }
    }
  if (!qm_json_scan_finish (&reader.scan, &scan_error))
    {
      qm_json_scan_clear (&reader.scan);
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The profile answer is not valid JSON (%s)", scan_error->message);
      g_error_free (scan_error);
      return NULL;
    }
  qm_json_scan_clear (&reader.scan);

  if (!is_envelope)
    return build_profile (&top);
  if (error_code != QM_PLATFORM_ERROR_SUCCESS)
    {
      set_envelope_error (bytes, error);
      return NULL;
    }
  if (!has_response)
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The profile answer is not a JSON object");
      return NULL;
    }
  return build_profile (&inner);
}

/* The timestamp among the members of the object entered last; the
 * scanner stops right after it. */
static gint64
find_minted (QmJsonScan *scan)
{
  while (qm_json_scan_next_member (scan))
    {
      if (qm_json_scan_key_is (scan, "responseMintedTimestamp"))
        {
          g_autofree char *text = qm_json_scan_peek (scan) == QM_JSON_STRING
                                  ? qm_json_scan_dup_string (scan) : NULL;

          return parse_timestamp (text);
        }
      if (qm_json_scan_key_is (scan, "Response") && qm_json_scan_peek (scan) == QM_JSON_OBJECT)
        {
          gint64 minted;

          qm_json_scan_enter_object (scan);
          minted = find_minted (scan);
          if (minted != 0 || qm_json_scan_failed (scan))
            return minted;
        }
      else
        qm_json_scan_skip (scan);
    }
  return 0;
}

/**
 * qm_profile_answer_get_minted:
 *
 * Returns: the answer's responseMintedTimestamp, µs since the epoch; 0
 *   when it has none or is not a JSON object
 */
gint64
qm_profile_answer_get_minted (GBytes *bytes)
{
  QmJsonScan scan;
  gsize size = 0;
  const char *data;
  gint64 minted = 0;

  g_return_val_if_fail (bytes != NULL, 0);

  data = skip_bom (g_bytes_get_data (bytes, &size), &size);
  qm_json_scan_init (&scan, data, size);
  if (qm_json_scan_enter_object (&scan))
    minted = find_minted (&scan);
  qm_json_scan_clear (&scan);
  return minted;
}

guint
qm_profile_get_n_characters (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->characters->len;
}

/**
 * qm_profile_get_character:
 *
 * Returns: (transfer none) (nullable): the character at @index
 */
const QmCharacter *
qm_profile_get_character (QmProfile *self,
                          guint      index)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);

  if (index >= self->characters->len)
    return NULL;
  return g_ptr_array_index (self->characters, index);
}

/**
 * qm_profile_find_character:
 *
 * Returns: (transfer none) (nullable): the character with @character_id
 */
const QmCharacter *
qm_profile_find_character (QmProfile  *self,
                           const char *character_id)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);

  for (guint i = 0; character_id != NULL && i < self->characters->len; i++)
    {
      const QmCharacter *character = g_ptr_array_index (self->characters, i);

      if (g_strcmp0 (character->id, character_id) == 0)
        return character;
    }
  return NULL;
}

/**
 * qm_profile_get_items:
 *
 * Returns: (transfer none): every item of the profile, a #GListModel of #QmItem
 */
GListModel *
qm_profile_get_items (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);
  return G_LIST_MODEL (self->items);
}

void
qm_profile_replace_item (QmProfile *self,
                         guint      position,
                         QmItem    *item)
{
  g_return_if_fail (QM_IS_PROFILE (self));
  g_return_if_fail (QM_IS_ITEM (item));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->items)));

  g_list_store_splice (self->items, position, 1, (gpointer *) &item, 1);
}

void
qm_profile_remove_item (QmProfile *self,
                        guint      position)
{
  g_return_if_fail (QM_IS_PROFILE (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->items)));

  g_list_store_remove (self->items, position);
}

void
qm_profile_insert_item (QmProfile *self,
                        guint      position,
                        QmItem    *item)
{
  g_return_if_fail (QM_IS_PROFILE (self));
  g_return_if_fail (QM_IS_ITEM (item));

  g_list_store_insert (self->items, MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->items))),
                       item);
}

guint32
qm_profile_location_bucket (QmItemLocation location,
                            guint32        slot_hash)
{
  switch (location)
    {
    case QM_ITEM_LOCATION_VAULT:
      return QM_BUCKET_VAULT;
    case QM_ITEM_LOCATION_POSTMASTER:
      return QM_BUCKET_POSTMASTER;
    case QM_ITEM_LOCATION_EQUIPPED:
    case QM_ITEM_LOCATION_INVENTORY:
    case QM_ITEM_LOCATION_ACCOUNT:
    default:
      return slot_hash;
    }
}

gint64
qm_profile_get_minted (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->minted;
}

/**
 * qm_profile_get_withheld:
 *
 * Returns: the components Bungie withheld for privacy (a wrapper with
 *   privacy 2 and no data); 0 when it sent all it holds
 */
QmProfileComponents
qm_profile_get_withheld (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->withheld;
}

/**
 * qm_profile_describe_withheld:
 *
 * The sentence the CLI and the window show about withheld components.
 *
 * Returns: (transfer full) (nullable): translated text, or %NULL when
 *   nothing was withheld
 */
char *
qm_profile_describe_withheld (QmProfile *self)
{
  static const struct
  {
    QmProfileComponents component;
    int                 number;
  } numbers[] = {
    { QM_PROFILE_COMPONENT_PROFILES, 100 },
    { QM_PROFILE_COMPONENT_PROFILE_INVENTORIES, 102 },
    { QM_PROFILE_COMPONENT_PROFILE_CURRENCIES, 103 },
    { QM_PROFILE_COMPONENT_CHARACTERS, 200 },
    { QM_PROFILE_COMPONENT_CHARACTER_INVENTORIES, 201 },
    { QM_PROFILE_COMPONENT_CHARACTER_EQUIPMENT, 205 },
    { QM_PROFILE_COMPONENT_ITEM_INSTANCES, 300 },
    { QM_PROFILE_COMPONENT_ITEM_STATS, 304 },
    { QM_PROFILE_COMPONENT_ITEM_SOCKETS, 305 },
  };
  g_autoptr(GString) list = NULL;

  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);

  if (self->withheld == 0)
    return NULL;
  list = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if ((self->withheld & numbers[i].component) != 0)
      g_string_append_printf (list, "%s%d", list->len > 0 ? ", " : "", numbers[i].number);
  /* Translators: %s lists GetProfile component numbers, e.g. "102, 201". */
  return g_strdup_printf (_("Bungie.net withheld part of this account for privacy "
                            "(components %s): items may be missing."), list->str);
}

const char *
qm_profile_get_membership_id (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), NULL);
  return self->membership_id;
}

int
qm_profile_get_membership_type (QmProfile *self)
{
  g_return_val_if_fail (QM_IS_PROFILE (self), 0);
  return self->membership_type;
}

/* The class as players read it, translated. */
const char *
qm_class_type_display_name (int class_type)
{
  switch (class_type)
    {
    case 0:
      return _("Titan");
    case 1:
      return _("Hunter");
    case 2:
      return _("Warlock");
    default:
      return _("Guardian");
    }
}

const char *
qm_class_type_to_string (int class_type)
{
  switch (class_type)
    {
    case 0:
      return "titan";
    case 1:
      return "hunter";
    case 2:
      return "warlock";
    default:
      return "unknown";
    }
}
