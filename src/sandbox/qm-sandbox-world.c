/* qm-sandbox-world.c: the sandbox's state, and recorded data loaded from disk
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recorded data is taken as Bungie sent it: components may be missing or
 * carry only a privacy setting, ids may be strings or numbers. Whatever is
 * missing becomes empty, so the rules and the server always find every
 * component they serve.
 */

#define G_LOG_DOMAIN "qm-sandbox-world"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "qm-sandbox-world.h"
#include "qm-sandbox-world-private.h"
#include "qm-json.h"

#define RECORDED_BUNGIE_NET_ID "20000001"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
json_node_unref_cb (gpointer data)
{
  json_node_unref (data);
}

QmSandboxWorld *
qm_sandbox_world_alloc (void)
{
  QmSandboxWorld *world = g_new0 (QmSandboxWorld, 1);

  world->vendors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, json_node_unref_cb);
  world->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, json_node_unref_cb);
  world->table_bytes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_bytes_unref);
  world->localized_bytes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) g_bytes_unref);
  world->locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->home_buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  world->withheld = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return world;
}

void
qm_sandbox_world_free (QmSandboxWorld *world)
{
  if (world == NULL)
    return;
  g_free (world->membership_id);
  g_free (world->bungie_net_id);
  g_free (world->display_name);
  g_clear_pointer (&world->profile, json_node_unref);
  g_clear_pointer (&world->memberships, json_node_unref);
  g_hash_table_unref (world->vendors);
  g_hash_table_unref (world->definitions);
  g_hash_table_unref (world->table_bytes);
  g_hash_table_unref (world->localized_bytes);
  g_hash_table_unref (world->locations);
  g_hash_table_unref (world->home_buckets);
  g_hash_table_unref (world->withheld);
  g_free (world->content_version);
  g_free (world);
}

guint32
qm_sandbox_fnv1a (const char *text)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }
  return hash;
}

char *
qm_sandbox_icon_path (const char *seed)
{
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, seed, -1);

  return g_strdup_printf ("/common/destiny2_content/icons/%s.png", md5);
}

void
qm_sandbox_json_append_string (GString    *out,
                               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/* Accessors */

JsonObject *
qm_sandbox_world_component (QmSandboxWorld *world,
                            const char     *name)
{
  g_auto(GStrv) path = NULL;
  JsonObject *object;

  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (world->profile == NULL || !JSON_NODE_HOLDS_OBJECT (world->profile))
    return NULL;
  object = json_node_get_object (world->profile);
  path = g_strsplit (name, ".", -1);
  for (guint i = 0; path[i] != NULL && object != NULL; i++)
    object = qm_json_get_object (object, path[i]);
  return qm_json_get_object (object, "data");
}

JsonObject *
qm_sandbox_world_definition (QmSandboxWorld *world,
                             const char     *table,
                             guint32         hash)
{
  g_autofree char *key = NULL;
  JsonNode *node;

  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);

  node = g_hash_table_lookup (world->definitions, table);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  key = g_strdup_printf ("%u", hash);
  return qm_json_get_object (json_node_get_object (node), key);
}

GBytes *
qm_sandbox_world_get_table_bytes (QmSandboxWorld *world,
                                  const char     *table)
{
  GBytes *bytes;
  JsonNode *node;

  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);

  bytes = g_hash_table_lookup (world->table_bytes, table);
  if (bytes != NULL)
    return g_bytes_ref (bytes);
  node = g_hash_table_lookup (world->definitions, table);
  if (node == NULL)
    return NULL;
  bytes = qm_json_to_bytes (node);
  g_hash_table_replace (world->table_bytes, g_strdup (table), g_bytes_ref (bytes));
  return bytes;
}

/* Languages */

const char * const *
qm_sandbox_world_get_languages (void)
{
  static const char * const languages[] = { "en", "de", NULL };

  return languages;
}

/* English → German, whole phrases of up to three words. */
static const char * const german[][2] = {
  /* tiers */
  { "Exotic", "Exotisch" }, { "Legendary", "Legendär" }, { "Rare", "Selten" },
  { "Uncommon", "Ungewöhnlich" }, { "Common", "Gewöhnlich" }, { "Basic", "Einfach" },
  { "Currency", "Währung" },
  /* item types */
  { "Auto Rifle", "Automatikgewehr" }, { "Hand Cannon", "Handfeuerwaffe" },
  { "Pulse Rifle", "Impulsgewehr" }, { "Scout Rifle", "Scout-Gewehr" },
  { "Sidearm", "Seitenwaffe" }, { "Submachine Gun", "Maschinenpistole" },
  { "Shotgun", "Schrotflinte" }, { "Sniper Rifle", "Scharfschützengewehr" },
  { "Fusion Rifle", "Fusionsgewehr" }, { "Linear Fusion Rifle", "Linear-Fusionsgewehr" },
  { "Rocket Launcher", "Raketenwerfer" }, { "Grenade Launcher", "Granatwerfer" },
  { "Machine Gun", "Maschinengewehr" }, { "Sword", "Schwert" }, { "Trace Rifle", "Spurgewehr" },
  { "Combat Bow", "Kampfbogen" }, { "Glaive", "Glefe" },
  { "Helmet", "Helm" }, { "Gauntlets", "Panzerhandschuhe" }, { "Chest Armor", "Brustschutz" },
  { "Leg Armor", "Beinschutz" }, { "Class Armor", "Klassengegenstand" },
  { "Titan Mark", "Titanen-Zeichen" }, { "Hunter Cloak", "Jäger-Umhang" },
  { "Warlock Bond", "Warlock-Band" }, { "Ghost Shell", "Geisthülle" },
  /* buckets, classes, damage types */
  { "Kinetic Weapons", "Kinetische Waffen" }, { "Energy Weapons", "Energiewaffen" },
  { "Power Weapons", "Powerwaffen" }, { "Ghost", "Geist" }, { "Vehicle", "Fahrzeug" },
  { "Ships", "Schiffe" }, { "Emblems", "Embleme" }, { "Subclass", "Unterklasse" },
  { "Engrams", "Engramme" }, { "Lost Items", "Verlorene Gegenstände" }, { "General", "Allgemein" },
  { "Consumables", "Verbrauchsgegenstände" }, { "Modifications", "Modifikationen" },
  { "Hunter", "Jäger" }, { "Kinetic", "Kinetisch" }, { "Arc", "Arkus" }, { "Void", "Leere" },
  { "Strand", "Strang" },
  /* a few items */
  { "Legendary Shards", "Legendäre Bruchstücke" }, { "Bright Dust", "Glanzstaub" },
  { "Silver", "Silber" }, { "Strange Coin", "Seltsame Münze" },
  { "Exotic Engram", "Exotisches Engramm" }, { "Exotic Cipher", "Exotische Chiffre" },
  { "Thorn", "Dorn" }, { "The Lament", "Die Wehklage" }, { "Sunshot", "Sonnenschuss" },
  { "Found Verdict", "Gefundenes Urteil" }, { "Dead Man's Tale", "Geschichte eines Toten" },
  /* the words of the filler definitions */
  { "Vigilant", "Wachsam" }, { "Silent", "Still" }, { "Restless", "Ruhelos" },
  { "Burning", "Brennend" }, { "Hollow", "Hohl" }, { "Crimson", "Purpur" },
  { "Gilded", "Vergoldet" }, { "Broken", "Gebrochen" }, { "Eternal", "Ewig" },
  { "Shattered", "Zerschmettert" }, { "Distant", "Fern" }, { "Fallen", "Gefallen" },
  { "Radiant", "Strahlend" }, { "Wandering", "Wandernd" }, { "Hungry", "Hungrig" },
  { "Sovereign", "Souverän" }, { "Patient", "Geduldig" }, { "Forgotten", "Vergessen" },
  { "Luminous", "Leuchtend" }, { "Oath", "Eid" }, { "Harbinger", "Vorbote" },
  { "Covenant", "Bund" }, { "Lantern", "Laterne" }, { "Verdict", "Urteil" },
  { "Spire", "Turmspitze" }, { "Tempest", "Sturm" }, { "Remnant", "Überrest" },
  { "Horizon", "Horizont" }, { "Ember", "Glut" }, { "Citadel", "Zitadelle" },
  { "Whisper", "Flüstern" }, { "Crown", "Krone" }, { "Tide", "Gezeit" },
  { "Ledger", "Kontobuch" }, { "Sentinel", "Wächter" },
};

/* The members whose text is translated. */
static gboolean
is_translated_member (const char *key,
                      gsize       len)
{
  static const char * const members[] = {
    "name", "itemTypeDisplayName", "itemTypeAndTierDisplayName", "tierTypeName",
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (len == strlen (members[i]) && memcmp (key, members[i], len) == 0)
      return TRUE;
  return FALSE;
}

static GHashTable *
german_dictionary (void)
{
  static GHashTable *dictionary;

  if (g_once_init_enter (&dictionary))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (german); i++)
        g_hash_table_insert (table, (gpointer) german[i][0], (gpointer) german[i][1]);
      g_once_init_leave (&dictionary, table);
    }
  return dictionary;
}

/* @text with every phrase of the dictionary translated, longest first. */
static void
append_translated (GString    *out,
                   GHashTable *dictionary,
                   const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint n = g_strv_length (words);
  g_autoptr(GString) translated = g_string_new (NULL);

  for (guint i = 0; i < n;)
    {
      const char *found = NULL;
      guint length;

      /* The longest phrase starting at word i that the dictionary has. */
      for (length = MIN (3, n - i); length > 1; length--)
        {
          g_autofree char *phrase = NULL;
          char *after = words[i + length];

          words[i + length] = NULL;
          phrase = g_strjoinv (" ", words + i);
          words[i + length] = after;
          if ((found = g_hash_table_lookup (dictionary, phrase)) != NULL)
            break;
        }
      if (found == NULL)
        {
          length = 1;
          found = g_hash_table_lookup (dictionary, words[i]);
        }
      if (translated->len > 0)
        g_string_append_c (translated, ' ');
      g_string_append (translated, found != NULL ? found : words[i]);
      i += length;
    }
  qm_sandbox_json_append_string (out, translated->str);
}

/* After the string whose opening quote is at @p, or NULL. */
static const char *
string_end (const char *p,
            const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p + 1;
    }
  return NULL;
}

GBytes *
qm_sandbox_translate_table (GBytes     *english,
                            const char *language)
{
  GHashTable *dictionary;
  gsize size = 0;
  const char *p;
  const char *end;
  GString *out;

  g_return_val_if_fail (english != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  if (!g_str_equal (language, "de"))
    return NULL;
  dictionary = german_dictionary ();
  p = g_bytes_get_data (english, &size);
  end = p + size;
  out = g_string_sized_new (size + size / 32 + 16);
  /* One pass over the text: each string that names a translated member
   * and is followed by ':' and a plain string has that string replaced. */
  while (p < end)
    {
      const char *quote = memchr (p, '"', (gsize) (end - p));
      const char *key_end;
      const char *value;
      const char *value_end;

      if (quote == NULL || (key_end = string_end (quote, end)) == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, key_end - p);
      p = key_end;
      if (!is_translated_member (quote + 1, (gsize) (key_end - quote - 2)))
        continue;
      value = p;
      while (value < end && g_ascii_isspace (*value))
        value++;
      if (value >= end || *value != ':')
        continue;
      value++;
      while (value < end && g_ascii_isspace (*value))
        value++;
      if (value >= end || *value != '"' || (value_end = string_end (value, end)) == NULL ||
          memchr (value, '\\', (gsize) (value_end - value)) != NULL)
        continue;
      {
        g_autofree char *text = g_strndup (value + 1, (gsize) (value_end - value - 2));

        g_string_append_len (out, p, value - p);
        append_translated (out, dictionary, text);
        p = value_end;
      }
    }
  return g_string_free_to_bytes (out);
}

GBytes *
qm_sandbox_world_get_localized_table_bytes (QmSandboxWorld *world,
                                            const char     *table,
                                            const char     *language)
{
  g_autoptr(GBytes) english = NULL;
  g_autofree char *key = NULL;
  GBytes *bytes;

  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  if (g_str_equal (language, "en"))
    return qm_sandbox_world_get_table_bytes (world, table);
  if (!g_strv_contains (qm_sandbox_world_get_languages (), language))
    return NULL;
  key = g_strconcat (language, "/", table, NULL);
  bytes = g_hash_table_lookup (world->localized_bytes, key);
  if (bytes != NULL)
    return g_bytes_ref (bytes);
  english = qm_sandbox_world_get_table_bytes (world, table);
  if (english == NULL)
    return NULL;
  bytes = qm_sandbox_translate_table (english, language);
  g_hash_table_replace (world->localized_bytes, g_steal_pointer (&key), g_bytes_ref (bytes));
  return bytes;
}

static GBytes *
gzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  gsize left = 0;
  const guint8 *in = g_bytes_get_data (bytes, &left);
  GByteArray *out = g_byte_array_new ();
  gsize length = 0;
  GConverterResult result;

  do
    {
      gsize read = 0;
      gsize written = 0;

      g_byte_array_set_size (out, length + MAX (left / 4, 64 * 1024));
      result = g_converter_convert (G_CONVERTER (compressor), in, left, out->data + length,
                                    out->len - length, G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
      in += read;
      left -= read;
      length += written;
    }
  while (result == G_CONVERTER_CONVERTED);
  g_assert (result == G_CONVERTER_FINISHED);
  g_byte_array_set_size (out, length);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
qm_sandbox_world_get_compressed_table_bytes (QmSandboxWorld *world,
                                             const char     *table,
                                             const char     *language)
{
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *key = NULL;
  GBytes *bytes;

  g_return_val_if_fail (world != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  key = g_strconcat (language, "/", table, ".gz", NULL);
  bytes = g_hash_table_lookup (world->localized_bytes, key);
  if (bytes != NULL)
    return g_bytes_ref (bytes);
  plain = qm_sandbox_world_get_localized_table_bytes (world, table, language);
  if (plain == NULL)
    return NULL;
  bytes = gzip_bytes (plain);
  g_hash_table_replace (world->localized_bytes, g_steal_pointer (&key), g_bytes_ref (bytes));
  return bytes;
}

void
qm_sandbox_world_set_content_version (QmSandboxWorld *world,
                                      const char     *version)
{
  g_return_if_fail (world != NULL);
  g_return_if_fail (version != NULL && *version != '\0');

  g_free (world->content_version);
  world->content_version = g_strdup (version);
}

/* The serialized forms of @table are made again on next use. */
static void
forget_table_bytes (QmSandboxWorld *world,
                    const char     *table)
{
  const char * const *languages = qm_sandbox_world_get_languages ();

  g_hash_table_remove (world->table_bytes, table);
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *localized = g_strconcat (languages[i], "/", table, NULL);
      g_autofree char *compressed = g_strconcat (localized, ".gz", NULL);

      g_hash_table_remove (world->localized_bytes, localized);
      g_hash_table_remove (world->localized_bytes, compressed);
    }
}

gboolean
qm_sandbox_world_remove_definition (QmSandboxWorld *world,
                                    const char     *table,
                                    guint32         hash)
{
  g_autofree char *key = NULL;
  JsonNode *node;

  g_return_val_if_fail (world != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  node = g_hash_table_lookup (world->definitions, table);
  key = g_strdup_printf ("%u", hash);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), key))
    return FALSE;
  json_object_remove_member (json_node_get_object (node), key);
  forget_table_bytes (world, table);
  return TRUE;
}

void
qm_sandbox_world_add_definition (QmSandboxWorld *world,
                                 const char     *table,
                                 guint32         hash,
                                 JsonObject     *definition)
{
  JsonNode *node;
  char key[16];

  g_return_if_fail (world != NULL);
  g_return_if_fail (table != NULL);
  g_return_if_fail (definition != NULL);

  node = g_hash_table_lookup (world->definitions, table);
  g_return_if_fail (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  g_snprintf (key, sizeof key, "%u", hash);
  json_object_set_object_member (json_node_get_object (node), key, json_object_ref (definition));
  forget_table_bytes (world, table);
}

GStrv
qm_sandbox_world_dup_table_names (QmSandboxWorld *world)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (world != NULL, NULL);

  g_hash_table_iter_init (&iter, world->definitions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (names, key);
  g_hash_table_iter_init (&iter, world->table_bytes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (names, key);
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (out, g_strdup (key));
  g_ptr_array_sort (out, compare_strings);
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Normalizing a profile */

static JsonObject *
ensure_object (JsonObject *parent,
               const char *name)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (parent, name, json_object_new ());
  return json_object_get_object_member (parent, name);
}

static void
ensure_array (JsonObject *parent,
              const char *name)
{
  JsonNode *node = json_object_get_member (parent, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    json_object_set_array_member (parent, name, json_array_new ());
}

/* A component wrapper {data, privacy}; returns its data object. */
static JsonObject *
ensure_component (JsonObject *parent,
                  const char *name,
                  int         privacy)
{
  JsonObject *component = ensure_object (parent, name);

  if (!json_object_has_member (component, "privacy"))
    json_object_set_int_member (component, "privacy", privacy);
  return ensure_object (component, "data");
}

static void
ensure_character_entries (JsonObject *profile,
                          const char *character_id)
{
  JsonObject *inventories = ensure_component (profile, "characterInventories", 2);
  JsonObject *equipment = ensure_component (profile, "characterEquipment", 1);
  JsonObject *loadouts = ensure_component (profile, "characterLoadouts", 2);

  ensure_array (ensure_object (inventories, character_id), "items");
  ensure_array (ensure_object (equipment, character_id), "items");
  ensure_array (ensure_object (loadouts, character_id), "loadouts");
}

static GPtrArray *
profile_character_ids (JsonObject *profile)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonObject *characters = qm_json_path_object (profile, "characters", "data", NULL);
  JsonObject *data = qm_json_path_object (profile, "profile", "data", NULL);
  JsonArray *listed = qm_json_get_array (data, "characterIds");

  if (characters != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (characters);

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (ids, g_strdup (l->data));
    }
  for (guint i = 0; listed != NULL && i < json_array_get_length (listed); i++)
    {
      char *id = qm_json_node_dup_id (json_array_get_element (listed, i));

      if (id != NULL && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, id);
      else
        g_free (id);
    }
  return ids;
}

void
qm_sandbox_world_normalize_profile (QmSandboxWorld *world)
{
  JsonObject *profile = json_node_get_object (world->profile);
  JsonObject *components;
  g_autoptr(GPtrArray) ids = NULL;

  ensure_component (profile, "profile", 1);
  ensure_array (ensure_component (profile, "profileInventory", 2), "items");
  ensure_array (ensure_component (profile, "profileCurrencies", 2), "items");
  ensure_component (profile, "characters", 1);
  ensure_component (profile, "characterInventories", 2);
  ensure_component (profile, "characterEquipment", 1);
  ensure_component (profile, "characterLoadouts", 2);
  components = ensure_object (profile, "itemComponents");
  ensure_component (components, "instances", 1);
  ensure_component (components, "perks", 1);
  ensure_component (components, "stats", 1);
  ensure_component (components, "sockets", 1);
  ids = profile_character_ids (profile);
  for (guint i = 0; i < ids->len; i++)
    {
      ensure_character_entries (profile, g_ptr_array_index (ids, i));
      if (!g_hash_table_contains (world->locations, g_ptr_array_index (ids, i)))
        g_hash_table_insert (world->locations, g_strdup (g_ptr_array_index (ids, i)),
                             GINT_TO_POINTER (QM_SANDBOX_LOCATION_ORBIT));
    }
}

/* Loading recorded data */

static JsonNode *
load_json (GBytes      *bytes,
           const char  *path,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  /* A mutable tree: the rules edit the profile in place. */
  if (!json_parser_load_from_data (parser, data, size, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not valid JSON: %s",
                   path, local_error != NULL ? local_error->message : "empty file");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static GBytes *
read_file (const char  *path,
           GError     **error)
{
  GMappedFile *mapped = g_mapped_file_new (path, FALSE, error);
  GBytes *bytes;

  if (mapped == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapped);
  g_mapped_file_unref (mapped);
  return bytes;
}

static JsonNode *
load_json_file (const char  *path,
                GError     **error)
{
  g_autoptr(GBytes) bytes = read_file (path, error);

  if (bytes == NULL)
    return NULL;
  return load_json (bytes, path, error);
}

/* The envelope's Response, or the document itself when it is no envelope. */
static JsonNode *
unwrap_envelope (JsonNode *root)
{
  JsonNode *response;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  response = json_object_get_member (json_node_get_object (root), "Response");
  if (response == NULL)
    return json_node_ref (root);
  return JSON_NODE_HOLDS_OBJECT (response) ? json_node_ref (response) : NULL;
}

/* Whether @response has @member of @type. A component withheld for
 * privacy ({"privacy": 2} without data) is still the component. */
static gboolean
has_member_of_type (JsonNode     *response,
                    const char   *member,
                    JsonNodeType  type)
{
  JsonNode *node = json_object_get_member (json_node_get_object (response), member);

  return node != NULL && JSON_NODE_TYPE (node) == type;
}

/* The answer recorded data files are sometimes taken from by mistake, named
 * by what sets it apart (openapi.json: DestinyVendorResponse,
 * DestinyVendorsResponse, DestinyLinkedProfilesResponse). */
static const char *
name_other_answer (JsonNode *response)
{
  if (has_member_of_type (response, "profiles", JSON_NODE_ARRAY) ||
      has_member_of_type (response, "bnetMembership", JSON_NODE_OBJECT))
    return "a GetLinkedProfiles answer";
  if (has_member_of_type (response, "vendor", JSON_NODE_OBJECT))
    return "a GetVendor answer";
  if (has_member_of_type (response, "vendors", JSON_NODE_OBJECT))
    return "a GetVendors answer";
  if (has_member_of_type (response, "destinyMemberships", JSON_NODE_ARRAY))
    return "a GetMembershipsForCurrentUser answer";
  if (has_member_of_type (response, "characters", JSON_NODE_OBJECT) ||
      has_member_of_type (response, "profileInventory", JSON_NODE_OBJECT))
    return "a GetProfile answer";
  if (json_object_get_size (json_node_get_object (response)) == 0)
    return "an empty Response";
  return "something else";
}

/* Refuse @response unless it has @member of @type: the file was meant to
 * hold @expected. */
static gboolean
check_shape (JsonNode      *response,
             const char    *path,
             const char    *member,
             JsonNodeType   type,
             const char    *expected,
             GError       **error)
{
  if (has_member_of_type (response, member, type))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s is %s, not %s: its Response has no \"%s\" %s", path,
               name_other_answer (response), expected, member,
               type == JSON_NODE_ARRAY ? "array" : "object");
  return FALSE;
}

static gboolean
load_profile (QmSandboxWorld  *world,
              const char      *dir,
              GError         **error)
{
  g_autofree char *path = g_build_filename (dir, "profile.json", NULL);
  g_autoptr(JsonNode) root = load_json_file (path, error);
  JsonNode *response;

  if (root == NULL)
    return FALSE;
  response = JSON_NODE_HOLDS_OBJECT (root)
             ? json_object_get_member (json_node_get_object (root), "Response") : NULL;
  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a GetProfile envelope (no Response object)", path);
      return FALSE;
    }
  if (!has_member_of_type (response, "characters", JSON_NODE_OBJECT) &&
      !has_member_of_type (response, "profile", JSON_NODE_OBJECT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is %s, not a GetProfile answer: its Response has neither a \"profile\" "
                   "nor a \"characters\" component", path, name_other_answer (response));
      return FALSE;
    }
  world->profile = json_node_ref (response);
  return TRUE;
}

/* The components recorded as Bungie withholds them for privacy: privacy 2
 * and no data (bungie-api.md §2). */
static void
note_withheld (QmSandboxWorld *world)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, json_node_get_object (world->profile));
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonObject *wrapper = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (wrapper != NULL && !json_object_has_member (wrapper, "data") &&
          qm_json_get_int (wrapper, "privacy", 0) == 2)
        g_hash_table_add (world->withheld, g_strdup (name));
    }
}

static JsonNode *
derive_memberships (QmSandboxWorld *world,
                    JsonObject     *user_info)
{
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *data = json_object_new ();
  JsonObject *card = json_object_new ();
  JsonObject *user = json_object_new ();
  JsonArray *memberships = json_array_new ();

  json_node_take_object (root, data);
  if (user_info != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (user_info);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (card, l->data,
                                json_node_copy (json_object_get_member (user_info, l->data)));
    }
  /* Without component 100 there is no userInfo: the card is built from the
   * identity the profile's characters (200) give, which carry membershipId
   * and membershipType (bungie-api.md §2); the card has the members of
   * GroupsV2.GroupUserInfoCard (openapi.json). */
  if (!json_object_has_member (card, "membershipId"))
    json_object_set_string_member (card, "membershipId", world->membership_id);
  if (!json_object_has_member (card, "membershipType"))
    json_object_set_int_member (card, "membershipType", world->membership_type);
  if (!json_object_has_member (card, "displayName"))
    json_object_set_string_member (card, "displayName", world->display_name);
  if (!json_object_has_member (card, "crossSaveOverride"))
    json_object_set_int_member (card, "crossSaveOverride", 0);
  if (!json_object_has_member (card, "applicableMembershipTypes"))
    {
      JsonArray *types = json_array_new ();

      json_array_add_int_element (types, world->membership_type);
      json_object_set_array_member (card, "applicableMembershipTypes", types);
    }
  if (!json_object_has_member (card, "isPublic"))
    json_object_set_boolean_member (card, "isPublic", FALSE);
  json_object_set_string_member (card, "LastSeenDisplayName", world->display_name);
  json_object_set_int_member (card, "LastSeenDisplayNameType", world->membership_type);
  json_array_add_object_element (memberships, card);
  json_object_set_array_member (data, "destinyMemberships", memberships);
  json_object_set_string_member (data, "primaryMembershipId", world->membership_id);
  json_object_set_string_member (user, "membershipId", world->bungie_net_id);
  json_object_set_string_member (user, "displayName", world->display_name);
  json_object_set_string_member (user, "cachedBungieGlobalDisplayName", world->display_name);
  json_object_set_object_member (data, "bungieNetUser", user);
  return root;
}

static void
set_identity (QmSandboxWorld *world)
{
  JsonObject *profile = json_node_get_object (world->profile);
  JsonObject *info = qm_json_path_object (profile, "profile", "data", "userInfo", NULL);
  JsonObject *user = world->memberships != NULL
                     ? qm_json_get_object (json_node_get_object (world->memberships), "bungieNetUser") : NULL;
  const char *name = qm_json_get_string (info, "bungieGlobalDisplayName");

  if (name == NULL || *name == '\0')
    name = qm_json_get_string (info, "displayName");
  world->membership_id = qm_json_dup_id (info, "membershipId");
  world->membership_type = (int) qm_json_get_int (info, "membershipType", 3);
  world->display_name = g_strdup (name != NULL ? name : "Guardian");
  world->bungie_net_id = qm_json_dup_id (user, "membershipId");
  if (world->bungie_net_id == NULL)
    world->bungie_net_id = g_strdup (RECORDED_BUNGIE_NET_ID);
}

/* When the profile has no userInfo, take the first Destiny membership, or
 * the membership a character names. */
static void
identity_from_elsewhere (QmSandboxWorld *world)
{
  JsonObject *characters = qm_sandbox_world_component (world, "characters");
  g_autoptr(GList) ids = NULL;
  JsonArray *cards = NULL;
  JsonObject *character;

  if (world->membership_id != NULL)
    return;
  if (world->memberships != NULL)
    cards = qm_json_get_array (json_node_get_object (world->memberships), "destinyMemberships");
  if (cards != NULL && json_array_get_length (cards) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (cards, 0)))
    {
      JsonObject *card = json_array_get_object_element (cards, 0);

      world->membership_id = qm_json_dup_id (card, "membershipId");
      world->membership_type = (int) qm_json_get_int (card, "membershipType", world->membership_type);
      return;
    }
  ids = json_object_get_members (characters);
  if (ids == NULL)
    return;
  character = qm_json_get_object (characters, ids->data);
  world->membership_id = qm_json_dup_id (character, "membershipId");
  world->membership_type = (int) qm_json_get_int (character, "membershipType", world->membership_type);
}

static gboolean
load_memberships (QmSandboxWorld  *world,
                  const char      *dir,
                  GError         **error)
{
  g_autofree char *path = g_build_filename (dir, "memberships.json", NULL);
  g_autoptr(JsonNode) root = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  root = load_json_file (path, error);
  if (root == NULL)
    return FALSE;
  world->memberships = unwrap_envelope (root);
  if (world->memberships == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a UserMembershipData", path);
      return FALSE;
    }
  return check_shape (world->memberships, path, "destinyMemberships", JSON_NODE_ARRAY,
                      "a GetMembershipsForCurrentUser answer (UserMembershipData)", error);
}

static void
copy_dictionary_entry (JsonObject *response,
                       const char *name,
                       JsonObject *dictionary,
                       const char *key,
                       const char *inner)
{
  JsonObject *data = qm_json_get_object (dictionary, "data");
  JsonObject *entry = qm_json_get_object (data, key);
  JsonObject *component;

  if (entry == NULL)
    return;
  if (inner != NULL && (entry = qm_json_get_object (entry, inner)) == NULL)
    return;
  component = json_object_new ();
  json_object_set_object_member (component, "data", json_object_ref (entry));
  json_object_set_int_member (component, "privacy", qm_json_get_int (dictionary, "privacy", 1));
  json_object_set_object_member (response, name, component);
}

static void
copy_shared_member (JsonObject *response,
                    JsonObject *vendors,
                    const char *name)
{
  JsonNode *node = json_object_get_member (vendors, name);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_member (response, name, json_node_copy (node));
}

/* Cut one GetVendor response per vendor out of a GetVendors response. */
static void
split_vendors (QmSandboxWorld *world,
               JsonObject     *all)
{
  JsonObject *vendor_data = qm_json_path_object (all, "vendors", "data", NULL);
  JsonObject *item_components = qm_json_get_object (all, "itemComponents");
  g_autoptr(GList) hashes = vendor_data != NULL ? json_object_get_members (vendor_data) : NULL;

  for (GList *l = hashes; l != NULL; l = l->next)
    {
      const char *hash = l->data;
      JsonNode *root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *response = json_object_new ();
      JsonObject *components = qm_json_get_object (item_components, hash);

      json_node_take_object (root, response);
      copy_dictionary_entry (response, "vendor", qm_json_get_object (all, "vendors"), hash, NULL);
      copy_dictionary_entry (response, "categories", qm_json_get_object (all, "categories"), hash, NULL);
      copy_dictionary_entry (response, "sales", qm_json_get_object (all, "sales"), hash, "saleItems");
      if (components != NULL)
        json_object_set_object_member (response, "itemComponents", json_object_ref (components));
      copy_shared_member (response, all, "currencyLookups");
      copy_shared_member (response, all, "stringVariables");
      g_hash_table_replace (world->vendors, g_strdup (hash), root);
    }
}

static gboolean
load_vendors_file (QmSandboxWorld  *world,
                   const char      *dir,
                   GError         **error)
{
  g_autofree char *path = g_build_filename (dir, "vendors.json", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) response = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  root = load_json_file (path, error);
  if (root == NULL)
    return FALSE;
  response = unwrap_envelope (root);
  if (response == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a GetVendors response", path);
      return FALSE;
    }
  if (!check_shape (response, path, "vendors", JSON_NODE_OBJECT,
                    "a GetVendors answer (DestinyVendorsResponse; a GetVendor answer goes in "
                    "vendors/<hash>.json)", error))
    return FALSE;
  split_vendors (world, json_node_get_object (response));
  return TRUE;
}

static gboolean
is_hash_name (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
load_vendor_dir (QmSandboxWorld  *world,
                 const char      *dir,
                 GError         **error)
{
  g_autofree char *vendor_dir = g_build_filename (dir, "vendors", NULL);
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (!g_file_test (vendor_dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  listing = g_dir_open (vendor_dir, 0, error);
  if (listing == NULL)
    return FALSE;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *hash = g_strndup (name, strlen (name) - (g_str_has_suffix (name, ".json") ? 5 : 0));
      g_autofree char *path = g_build_filename (vendor_dir, name, NULL);
      g_autoptr(JsonNode) root = NULL;
      JsonNode *response;

      if (!g_str_has_suffix (name, ".json") || !is_hash_name (hash))
        continue;
      root = load_json_file (path, error);
      if (root == NULL)
        return FALSE;
      response = unwrap_envelope (root);
      if (response == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s is not a GetVendor response", path);
          return FALSE;
        }
      if (!check_shape (response, path, "vendor", JSON_NODE_OBJECT,
                        "a Destiny 2 GetVendor answer (DestinyVendorResponse with component 400)", error))
        {
          json_node_unref (response);
          return FALSE;
        }
      g_hash_table_replace (world->vendors, g_steal_pointer (&hash), response);
    }
  return TRUE;
}

static GPtrArray *
sorted_json_files (const char  *dir,
                   GError     **error)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, error);
  GPtrArray *names;
  const char *name;

  if (listing == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  return names;
}

static gboolean
load_definition (QmSandboxWorld  *world,
                 const char      *path,
                 const char      *table,
                 GChecksum       *checksum,
                 GError         **error)
{
  g_autoptr(GBytes) bytes = read_file (path, error);
  g_autoptr(JsonNode) root = NULL;
  gsize size = 0;
  const guchar *data;

  if (bytes == NULL)
    return FALSE;
  root = load_json (bytes, path, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a hash-keyed definition table", path);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &size);
  g_checksum_update (checksum, (const guchar *) table, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, data, size);
  g_hash_table_replace (world->definitions, g_strdup (table), g_steal_pointer (&root));
  g_hash_table_replace (world->table_bytes, g_strdup (table), g_steal_pointer (&bytes));
  return TRUE;
}

static gboolean
load_definitions (QmSandboxWorld  *world,
                  const char      *dir,
                  GError         **error)
{
  g_autofree char *def_dir = g_build_filename (dir, "definitions", NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autoptr(GPtrArray) names = NULL;

  if (g_file_test (def_dir, G_FILE_TEST_IS_DIR))
    {
      names = sorted_json_files (def_dir, error);
      if (names == NULL)
        return FALSE;
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          g_autofree char *table = g_strndup (name, strlen (name) - 5);
          g_autofree char *path = g_build_filename (def_dir, name, NULL);

          if (!load_definition (world, path, table, checksum, error))
            return FALSE;
        }
    }
  world->content_version = g_strdup_printf ("recorded.%.16s", g_checksum_get_string (checksum));
  return TRUE;
}

QmSandboxWorld *
qm_sandbox_world_new_from_dir (const char  *dir,
                               GError     **error)
{
  g_autoptr(QmSandboxWorld) world = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  world = qm_sandbox_world_alloc ();
  world->recorded = TRUE;
  if (!load_profile (world, dir, error) ||
      !load_memberships (world, dir, error) ||
      !load_vendors_file (world, dir, error) ||
      !load_vendor_dir (world, dir, error) ||
      !load_definitions (world, dir, error))
    return NULL;
  note_withheld (world);
  qm_sandbox_world_normalize_profile (world);
  set_identity (world);
  identity_from_elsewhere (world);
  if (world->membership_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s names no Destiny membership (profile.data.userInfo or memberships.json)", dir);
      return NULL;
    }
  if (world->memberships == NULL)
    world->memberships = derive_memberships (world, qm_json_path_object (json_node_get_object (world->profile),
                                                                         "profile", "data", "userInfo",
                                                                         NULL));
  return g_steal_pointer (&world);
}
