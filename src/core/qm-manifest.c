/* qm-manifest.c: Bungie's manifest: downloaded once, cached on disk, looked up fast
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GetDestinyManifest names, per language, one JSON file per definition
 * table (jsonWorldComponentContentPaths). The tables the app uses are
 * downloaded (the item table first: it is most of the bytes), each read with
 * the pull scanner into a QmManifestCacheBuilder as soon as it is complete,
 * and the result is written as one compact file (qm-manifest-cache.h) named
 * after the language and a hash of the content paths. Later runs read that
 * file back in a few milliseconds, even offline.
 *
 * Several callers may ask for an update at once (the window's load, the Xûr
 * view, a language change): they share the update running. It is cancelled
 * only when every caller has cancelled.
 */

#define G_LOG_DOMAIN "qm-manifest"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "qm-manifest.h"

#include "qm-error.h"
#include "qm-json.h"
#include "qm-cache-file.h"
#include "qm-manifest-cache.h"

#define FALLBACK_LANGUAGE "en"
#define CACHE_SUFFIX ".cache"
/* Progress is notified at most this often (µs). */
#define PROGRESS_INTERVAL_US (50 * 1000)
/* Bytes read from the network per call. */
#define READ_CHUNK (1024 * 1024)
/* A temporary file older than this was left by a crash. */
#define STALE_TEMP_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
/* Refuse to hold more than this for one table (the item table is ~100 MB). */
#define MAX_TABLE_BYTES ((gsize) 1 << 30)


typedef struct _Update Update;

struct _QmManifest
{
  GObject          parent_instance;

  char            *cache_dir;
  char            *language;            /* chosen; NULL follows the locale */
  guint            language_serial;     /* bumped on every change of choice */
  char            *effective_language;  /* of the definitions loaded */
  char            *version;
  char            *cache_path;
  char            *cache_key;
  guint64          cache_size;
  GStrv            languages;           /* offered by the manifest, sorted */

  /* Each table's definitions; one file's cache serves every table, a table
   * loaded with qm_manifest_load_table() has its own. */
  QmManifestCache *tables[QM_N_TABLES];
  /* Caches replaced by newer ones: the strings handed out point into them
   * and stay valid while the manifest lives (qm-definitions.h). */
  GPtrArray       *retired;

  QmManifestState  state;
  guint64          bytes_downloaded;
  guint64          bytes_total;
  double           fraction;

  Update          *update;              /* running, or NULL */
};

G_DEFINE_FINAL_TYPE (QmManifest, qm_manifest, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BYTES_DOWNLOADED,
  PROP_BYTES_TOTAL,
  PROP_FRACTION,
  PROP_VERSION,
  PROP_LANGUAGE,
  PROP_EFFECTIVE_LANGUAGE,
  PROP_CACHE_PATH,
  PROP_LANGUAGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------- */
/* Languages                                                               */

static int
compare_strv_entries (gconstpointer a,
                      gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
sort_strv (GStrv strv)
{
  qsort (strv, g_strv_length (strv), sizeof (char *), compare_strv_entries);
}

static const struct
{
  const char *code;
  const char *name;
} language_names[] = {
  { "de", "Deutsch" },
  { "en", "English" },
  { "es", "Español" },
  { "es-mx", "Español (México)" },
  { "fr", "Français" },
  { "it", "Italiano" },
  { "ja", "日本語" },
  { "ko", "한국어" },
  { "pl", "Polski" },
  { "pt-br", "Português (Brasil)" },
  { "ru", "Русский" },
  { "zh-chs", "简体中文" },
  { "zh-cht", "繁體中文" },
};

/**
 * qm_manifest_get_known_languages:
 *
 * Returns: (transfer none): the codes of the languages with a name here,
 *   sorted, %NULL-terminated
 */
const char * const *
qm_manifest_get_known_languages (void)
{
  static const char **codes = NULL;

  if (g_once_init_enter (&codes))
    {
      const char **list = g_new0 (const char *, G_N_ELEMENTS (language_names) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (language_names); i++)
        list[i] = language_names[i].code;
      g_once_init_leave (&codes, list);
    }
  return codes;
}

/**
 * qm_manifest_get_language_name:
 * @code: a Bungie language code ("de", "pt-br", …)
 *
 * Returns: (transfer none): the language's own name for itself ("Deutsch"),
 *   or @code for one it does not know
 */
const char *
qm_manifest_get_language_name (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (language_names); i++)
    if (g_str_equal (language_names[i].code, code))
      return language_names[i].name;
  return code;
}

/* Bungie's code for one of g_get_language_names()' entries ("de_DE.UTF-8",
 * "pt_BR", "zh_TW"), without the encoding and modifier. */
static char *
bungie_code (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *cut = strpbrk (lower, ".@");

  if (cut != NULL)
    *cut = '\0';
  g_strdelimit (lower, "_", '-');
  if (g_str_equal (lower, "zh-tw") || g_str_equal (lower, "zh-hk") || g_str_equal (lower, "zh-hant"))
    return g_strdup ("zh-cht");
  if (g_str_equal (lower, "zh-cn") || g_str_equal (lower, "zh-sg") || g_str_equal (lower, "zh-hans"))
    return g_strdup ("zh-chs");
  return g_steal_pointer (&lower);
}

/**
 * qm_manifest_pick_language:
 * @language_names: (nullable): the UI's languages, most preferred first, as
 *   g_get_language_names() lists them
 * @available: the languages the manifest offers
 *
 * Pure: the first of @language_names that the manifest offers, as its
 * Bungie code ("pt_BR" picks "pt-br", "de_DE.UTF-8" picks "de", "zh_TW"
 * "zh-cht"); English when none is offered.
 *
 * Returns: (transfer none): an entry of @available, or "en"
 */
const char *
qm_manifest_pick_language (const char * const *language_names,
                           const char * const *available)
{
  g_return_val_if_fail (available != NULL, FALLBACK_LANGUAGE);

  for (gsize i = 0; language_names != NULL && language_names[i] != NULL; i++)
    {
      g_autofree char *code = bungie_code (language_names[i]);

      for (gsize j = 0; available[j] != NULL; j++)
        if (g_ascii_strcasecmp (available[j], code) == 0)
          return available[j];
    }
  return FALLBACK_LANGUAGE;
}

/* A language code as it may appear in a file name. */
static gboolean
is_language_code (const char *code)
{
  gsize len = code != NULL ? strlen (code) : 0;

  if (len == 0 || len > 16)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (code[i]) && !g_ascii_isdigit (code[i]) && code[i] != '-')
      return FALSE;
  return TRUE;
}

/* @chosen when offered, else the UI's language (else English). */
static const char *
choose_language (const char         *chosen,
                 const char * const *available)
{
  if (chosen != NULL)
    {
      for (gsize i = 0; available[i] != NULL; i++)
        if (g_str_equal (available[i], chosen))
          return available[i];
      g_message ("Bungie offers no definitions in “%s”: following the desktop's language", chosen);
    }
  return qm_manifest_pick_language (g_get_language_names (), available);
}

/* ---------------------------------------------------------------------- */
/* Cache files: <language>.<key>.cache in the cache directory              */

typedef struct
{
  char   *path;
  gint64  mtime;
} CacheFile;

static void
cache_file_free (gpointer data)
{
  CacheFile *file = data;

  g_free (file->path);
  g_free (file);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CacheFile *file_a = *(const CacheFile * const *) a;
  const CacheFile *file_b = *(const CacheFile * const *) b;

  if (file_a->mtime != file_b->mtime)
    return file_a->mtime < file_b->mtime ? 1 : -1;
  return g_strcmp0 (file_a->path, file_b->path);
}

/* The language of a cache file's name, or NULL for other files. */
static char *
cache_file_language (const char *name)
{
  const char *dot = strchr (name, '.');
  g_autofree char *language = NULL;

  if (dot == NULL || !g_str_has_suffix (name, CACHE_SUFFIX) ||
      strlen (dot) <= strlen (CACHE_SUFFIX) + 1)
    return NULL;
  language = g_strndup (name, dot - name);
  return is_language_code (language) ? g_steal_pointer (&language) : NULL;
}

/* The cache files of @language (every language when NULL), newest first. */
static GPtrArray *
list_cache_files (const char *cache_dir,
                  const char *language)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (cache_file_free);
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file_language = cache_file_language (name);
      GStatBuf st;
      CacheFile *file;

      if (file_language == NULL || (language != NULL && !g_str_equal (file_language, language)))
        continue;
      file = g_new0 (CacheFile, 1);
      file->path = g_build_filename (cache_dir, name, NULL);
      if (g_stat (file->path, &st) == 0)
        file->mtime = (gint64) st.st_mtime;
      g_ptr_array_add (files, file);
    }
  g_ptr_array_sort (files, compare_newest_first);
  return files;
}

/* The languages of the caches on disk, sorted. */
static GStrv
cached_languages (const char *cache_dir)
{
  g_autoptr(GPtrArray) files = list_cache_files (cache_dir, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) languages = NULL;

  for (guint i = 0; i < files->len; i++)
    {
      CacheFile *file = g_ptr_array_index (files, i);
      g_autofree char *name = g_path_get_basename (file->path);
      char *language = cache_file_language (name);

      if (g_hash_table_add (seen, language))
        g_strv_builder_add (builder, language);
    }
  languages = g_strv_builder_end (builder);
  sort_strv (languages);
  return g_steal_pointer (&languages);
}

/* The newest cache of @language that opens cleanly; damaged ones are
 * deleted on the way. */
static QmManifestCache *
open_newest_cache (const char  *cache_dir,
                   const char  *language,
                   char       **path)
{
  g_autoptr(GPtrArray) files = list_cache_files (cache_dir, language);

  for (guint i = 0; i < files->len; i++)
    {
      CacheFile *file = g_ptr_array_index (files, i);
      g_autoptr(GError) error = NULL;
      QmManifestCache *cache = qm_manifest_cache_open (file->path, &error);

      if (cache != NULL)
        {
          *path = g_strdup (file->path);
          return cache;
        }
      g_message ("Deleting %s: %s", file->path, error->message);
      g_unlink (file->path);
    }
  return NULL;
}

/* After @keep is in use: the other caches of its language, and temporary
 * files that a crash left behind. */
static void
delete_older_caches (const char *cache_dir,
                     const char *language,
                     const char *keep)
{
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  g_autofree char *prefix = g_strconcat (language, ".", NULL);
  gint64 now = g_get_real_time ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, prefix))
        continue;
      path = g_build_filename (cache_dir, name, NULL);
      if (g_strcmp0 (path, keep) == 0)
        continue;
      /* g_file_set_contents_full() writes "<name>.cache.XXXXXX" first: a
       * fresh one may be another instance's write in progress. */
      if (!g_str_has_suffix (name, CACHE_SUFFIX) &&
          (g_stat (path, &st) != 0 || now - (gint64) st.st_mtime * G_USEC_PER_SEC < STALE_TEMP_US))
        continue;
      if (g_unlink (path) == 0)
        g_debug ("Deleted %s", path);
    }
}

/* The file name's key: the language and the content paths of the tables
 * used. A new content version changes the paths; so does a table that
 * Bungie republishes under the same version. */
static char *
content_key (const char  *language,
             char       **paths)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) language, -1);
  for (guint i = 0; i < QM_N_TABLES; i++)
    {
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      g_checksum_update (checksum, (const guchar *) qm_table_get_name (i), -1);
      g_checksum_update (checksum, (const guchar *) "=", 1);
      if (paths[i] != NULL)
        g_checksum_update (checksum, (const guchar *) paths[i], -1);
    }
  return g_strndup (g_checksum_get_string (checksum), 16);
}

static char *
cache_path_for (QmManifest *self,
                const char *language,
                const char *key)
{
  g_autofree char *name = g_strdup_printf ("%s.%s" CACHE_SUFFIX, language, key);

  return g_build_filename (self->cache_dir, name, NULL);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
qm_manifest_finalize (GObject *object)
{
  QmManifest *self = QM_MANIFEST (object);

  /* An update holds a reference: none can be running. */
  g_assert (self->update == NULL);
  for (guint i = 0; i < QM_N_TABLES; i++)
    g_clear_pointer (&self->tables[i], qm_manifest_cache_unref);
  g_ptr_array_unref (self->retired);
  g_free (self->cache_dir);
  g_free (self->language);
  g_free (self->effective_language);
  g_free (self->version);
  g_free (self->cache_path);
  g_free (self->cache_key);
  g_strfreev (self->languages);

  G_OBJECT_CLASS (qm_manifest_parent_class)->finalize (object);
}

static void
qm_manifest_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QmManifest *self = QM_MANIFEST (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BYTES_DOWNLOADED:
      g_value_set_uint64 (value, self->bytes_downloaded);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_EFFECTIVE_LANGUAGE:
      g_value_set_string (value, self->effective_language);
      break;
    case PROP_CACHE_PATH:
      g_value_set_string (value, self->cache_path);
      break;
    case PROP_LANGUAGES:
      g_value_set_boxed (value, self->languages);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_manifest_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  QmManifest *self = QM_MANIFEST (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      qm_manifest_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qm_manifest_class_init (QmManifestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_manifest_finalize;
  object_class->get_property = qm_manifest_get_property;
  object_class->set_property = qm_manifest_set_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, QM_MANIFEST_STATE_EMPTY, QM_MANIFEST_STATE_READY,
                      QM_MANIFEST_STATE_EMPTY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_DOWNLOADED] =
    g_param_spec_uint64 ("bytes-downloaded", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EFFECTIVE_LANGUAGE] =
    g_param_spec_string ("effective-language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE_PATH] =
    g_param_spec_string ("cache-path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGES] =
    g_param_spec_boxed ("languages", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qm_manifest_init (QmManifest *self)
{
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) qm_manifest_cache_unref);
}

/**
 * qm_manifest_new:
 * @cache_dir: (nullable): where the caches live; %NULL for
 *   $XDG_CACHE_HOME/quartermaster/manifest
 *
 * Returns: (transfer full): a manifest with nothing loaded: see
 *   qm_manifest_open_cached() and qm_manifest_update_async()
 */
QmManifest *
qm_manifest_new (const char *cache_dir)
{
  QmManifest *self = g_object_new (QM_TYPE_MANIFEST, NULL);

  self->cache_dir = cache_dir != NULL
    ? g_strdup (cache_dir)
    : g_build_filename (g_get_user_cache_dir (), "quartermaster", "manifest", NULL);
  return self;
}

QmManifestState
qm_manifest_get_state (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), QM_MANIFEST_STATE_EMPTY);
  return self->state;
}

guint64
qm_manifest_get_bytes_downloaded (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);
  return self->bytes_downloaded;
}

/**
 * qm_manifest_get_bytes_total:
 *
 * Returns: the bytes of the download running (the tables whose size is
 *   known so far), 0 when unknown
 */
guint64
qm_manifest_get_bytes_total (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);
  return self->bytes_total;
}

/**
 * qm_manifest_get_fraction:
 *
 * Returns: how far the download running is, from 0 to 1; it never goes
 *   back during one download
 */
double
qm_manifest_get_fraction (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0.0);
  return self->fraction;
}

/**
 * qm_manifest_get_version:
 *
 * Returns: (nullable): the content version of the definitions loaded
 */
const char *
qm_manifest_get_version (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return self->version;
}

/**
 * qm_manifest_set_language:
 * @language: (nullable): a Bungie language code; %NULL or "" follows the UI
 *   locale
 *
 * The language of the next qm_manifest_open_cached() and
 * qm_manifest_update_async(); the definitions loaded stay until then.
 */
void
qm_manifest_set_language (QmManifest *self,
                          const char *language)
{
  g_return_if_fail (QM_IS_MANIFEST (self));

  if (language != NULL && *language == '\0')
    language = NULL;
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  self->language_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/**
 * qm_manifest_get_language:
 *
 * Returns: (nullable): the language chosen; %NULL follows the UI locale
 */
const char *
qm_manifest_get_language (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return self->language;
}

/**
 * qm_manifest_get_effective_language:
 *
 * Returns: (nullable): the language of the definitions loaded
 */
const char *
qm_manifest_get_effective_language (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return self->effective_language;
}

/**
 * qm_manifest_get_languages:
 *
 * Returns: (transfer none) (nullable): the languages Bungie offers, as of
 *   the last update (before one: those cached on disk)
 */
const char * const *
qm_manifest_get_languages (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return (const char * const *) self->languages;
}

/**
 * qm_manifest_get_cache_path:
 *
 * Returns: (nullable): the file the definitions loaded come from
 */
const char *
qm_manifest_get_cache_path (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), NULL);
  return self->cache_path;
}

/**
 * qm_manifest_get_cache_size:
 *
 * Returns: the size in bytes of the file the definitions come from (0 when
 *   none)
 */
guint64
qm_manifest_get_cache_size (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);

  return self->cache_size;
}

gboolean
qm_manifest_is_loaded (QmManifest *self)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  return self->tables[QM_TABLE_ITEM] != NULL;
}

static void
set_state (QmManifest      *self,
           QmManifestState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (QmManifest *self,
              guint64     downloaded,
              guint64     total)
{
  double fraction = total > 0 ? CLAMP ((double) downloaded / (double) total, 0.0, 1.0) : 0.0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->bytes_downloaded != downloaded)
    {
      self->bytes_downloaded = downloaded;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DOWNLOADED]);
    }
  if (self->bytes_total != total)
    {
      self->bytes_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  /* A table whose size arrives later grows the total: the bar holds still
   * rather than going back. */
  if (fraction > self->fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* A new download starts from nothing. */
static void
reset_progress (QmManifest *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, 0, 0);
  if (self->fraction != 0.0)
    {
      self->fraction = 0.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_string (QmManifest  *self,
            char       **field,
            const char  *value,
            int          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_languages (QmManifest *self,
               GStrv       languages)
{
  if (self->languages != NULL && g_strv_equal ((const char * const *) self->languages,
                                               (const char * const *) languages))
    {
      g_strfreev (languages);
      return;
    }
  g_strfreev (self->languages);
  self->languages = languages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGES]);
}

static void
replace_table (QmManifest      *self,
               QmTable          table,
               QmManifestCache *cache)
{
  if (self->tables[table] != NULL && self->tables[table] != cache)
    {
      /* The same cache may serve several tables: retire it once. */
      if (!g_ptr_array_find (self->retired, self->tables[table], NULL))
        g_ptr_array_add (self->retired, self->tables[table]);
      else
        qm_manifest_cache_unref (self->tables[table]);
      self->tables[table] = NULL;
    }
  if (self->tables[table] == NULL)
    self->tables[table] = qm_manifest_cache_ref (cache);
}

/* Use the definitions of a whole cache file. */
static void
install_cache (QmManifest      *self,
               QmManifestCache *cache,
               const char      *path)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < QM_N_TABLES; i++)
    replace_table (self, i, cache);
  set_string (self, &self->version, qm_manifest_cache_get_version (cache), PROP_VERSION);
  set_string (self, &self->effective_language, qm_manifest_cache_get_language (cache),
              PROP_EFFECTIVE_LANGUAGE);
  set_string (self, &self->cache_path, path, PROP_CACHE_PATH);
  g_free (self->cache_key);
  self->cache_key = g_strdup (qm_manifest_cache_get_key (cache));
  self->cache_size = path != NULL ? qm_manifest_cache_get_size (cache) : 0;
  set_state (self, QM_MANIFEST_STATE_READY);
  g_object_thaw_notify (G_OBJECT (self));
  g_debug ("Using %u item definitions (%s, version %s) from %s",
           qm_manifest_cache_get_n_definitions (cache, QM_TABLE_ITEM),
           self->effective_language, self->version, path != NULL ? path : "memory");
}

/* ---------------------------------------------------------------------- */
/* Offline                                                                 */

/* The language to open from disk: the chosen one, else the UI's among
 * those cached. */
static char *
offline_language (QmManifest *self)
{
  g_auto(GStrv) cached = NULL;

  if (self->language != NULL)
    return g_strdup (self->language);
  cached = cached_languages (self->cache_dir);
  return g_strdup (qm_manifest_pick_language (g_get_language_names (),
                                              (const char * const *) cached));
}

/**
 * qm_manifest_open_cached:
 *
 * Loads the newest valid cache of the language (the chosen one, else the
 * UI's among those on disk) without using the network. Damaged caches are
 * deleted.
 *
 * Returns: %TRUE when definitions were loaded; else %FALSE with
 *   G_IO_ERROR_NOT_FOUND
 */
gboolean
qm_manifest_open_cached (QmManifest  *self,
                         GError     **error)
{
  g_autoptr(QmManifestCache) cache = NULL;
  g_autofree char *language = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->languages == NULL)
    {
      g_auto(GStrv) cached = cached_languages (self->cache_dir);

      if (cached[0] != NULL)
        set_languages (self, g_steal_pointer (&cached));
    }
  language = offline_language (self);
  cache = open_newest_cache (self->cache_dir, language, &path);
  if (cache == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No definitions in “%s” are cached in %s", language, self->cache_dir);
      return FALSE;
    }
  install_cache (self, cache, path);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Pure loading                                                            */

/**
 * qm_manifest_load_table:
 * @json: a hash-keyed definition table, as Bungie serves it
 *
 * Pure: replaces @table's definitions with those of @json (the other
 * tables stay). On error the definitions held so far are kept.
 *
 * Returns: %TRUE on success; QM_CLIENT_ERROR_HTML_PAGE or _MALFORMED otherwise
 */
gboolean
qm_manifest_load_table (QmManifest  *self,
                        QmTable      table,
                        GBytes      *json,
                        GError     **error)
{
  g_autoptr(QmManifestCacheBuilder) builder = NULL;
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (table < QM_N_TABLES, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (json, &size);
  builder = qm_manifest_cache_builder_new (self->effective_language, self->version, NULL);
  if (!qm_manifest_cache_builder_add_table (builder, table, data, size, error))
    return FALSE;
  bytes = qm_manifest_cache_builder_end (builder);
  cache = qm_manifest_cache_new (bytes, error);
  if (cache == NULL)
    return FALSE;
  replace_table (self, table, cache);
  if (table == QM_TABLE_ITEM)
    set_state (self, QM_MANIFEST_STATE_READY);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Updating                                                                */

/* A caller of qm_manifest_update_async() waiting for the update. */
typedef struct
{
  Update   *update;
  GTask    *task;
  GSource  *cancelled_source;  /* fires when the caller cancels */
  guint     serial;            /* the language choice when it asked */
} Waiter;

/* One table being downloaded. */
typedef struct
{
  QmTable             table;
  gboolean            retried;    /* asked again with a cache-busting query */
  GInputStream       *stream;
  GZlibDecompressor  *decoder;    /* for a gzip body, else NULL */
  guint8             *raw;        /* the compressed bytes read, with a decoder */
  guint8             *data;       /* the table's JSON */
  gsize               length;
  gsize               capacity;
  guint64             wire_bytes; /* read from the network */
  goffset             wire_total; /* announced, -1 when not */
} Download;

/* Tables are downloaded in two lanes side by side: the item table (most of
 * the bytes) in one, the others one after the other in the second. Every
 * table's size is then known early, for a progress that does not stall at
 * the end, and the small tables are read while the big one arrives. */
typedef struct
{
  Update   *update;
  QmTable   tables[QM_N_TABLES];
  guint     n_tables;
  guint     next;
  Download  download;
} Lane;

#define N_LANES 2

struct _Update
{
  QmManifest             *self;
  QmBungieClient         *client;
  /* Cancelled when no caller waits any more, or when a lane failed (the
   * other one then stops too). */
  GCancellable           *cancellable;
  GList                  *waiters;
  guint                   serial;
  GError                 *error;
  gboolean                downloaded;
  /* Every caller cancelled: the manifest is left alone while the steps
   * under way wind down. */
  gboolean                abandoned;

  char                   *chosen;       /* the language chosen when it started */
  char                   *language;
  char                   *version;
  char                   *key;
  char                   *path;
  char                   *paths[QM_N_TABLES];
  Lane                    lanes[N_LANES];
  guint                   pending;      /* asynchronous steps under way */
  /* The lanes' parses run in worker threads, one at a time. */
  GMutex                  builder_lock;
  QmManifestCacheBuilder *builder;
  guint64                 done_bytes;   /* of the tables complete */
  guint64                 known_total;  /* the sizes announced so far */
  gint64                  last_notify;
};

static void start_update (QmManifest *self, QmBungieClient *client, GList *waiters);
static void lane_next (Lane *lane);

static void
download_clear (Download *download)
{
  g_clear_object (&download->stream);
  g_clear_object (&download->decoder);
  g_clear_pointer (&download->raw, g_free);
  g_clear_pointer (&download->data, g_free);
  download->length = 0;
  download->capacity = 0;
  download->wire_bytes = 0;
  download->wire_total = -1;
}

static void
update_free (Update *update)
{
  g_assert (update->waiters == NULL);
  g_assert (update->pending == 0);
  for (guint i = 0; i < N_LANES; i++)
    download_clear (&update->lanes[i].download);
  g_clear_pointer (&update->builder, qm_manifest_cache_builder_free);
  g_mutex_clear (&update->builder_lock);
  g_clear_object (&update->cancellable);
  g_clear_object (&update->client);
  g_clear_object (&update->self);
  g_clear_error (&update->error);
  g_free (update->chosen);
  g_free (update->language);
  g_free (update->version);
  g_free (update->key);
  g_free (update->path);
  for (guint i = 0; i < QM_N_TABLES; i++)
    g_free (update->paths[i]);
  g_free (update);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancelled_source != NULL)
    {
      g_source_destroy (waiter->cancelled_source);
      g_source_unref (waiter->cancelled_source);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static gboolean
on_waiter_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  Waiter *waiter = user_data;
  Update *update = waiter->update;

  update->waiters = g_list_remove (update->waiters, waiter);
  g_task_return_error_if_cancelled (waiter->task);
  waiter_free (waiter);
  /* Nobody waits any more: stop. What was loaded stays, and the manifest
   * is ready for another update at once. */
  if (update->waiters == NULL)
    {
      QmManifest *self = update->self;

      update->abandoned = TRUE;
      g_cancellable_cancel (update->cancellable);
      self->update = NULL;
      set_state (self, qm_manifest_is_loaded (self) ? QM_MANIFEST_STATE_READY : QM_MANIFEST_STATE_EMPTY);
    }
  return G_SOURCE_REMOVE;
}

static void
add_waiter (Update *update,
            Waiter *waiter)
{
  GCancellable *cancellable = g_task_get_cancellable (waiter->task);

  waiter->update = update;
  update->waiters = g_list_append (update->waiters, waiter);
  if (cancellable != NULL && waiter->cancelled_source == NULL)
    {
      waiter->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancelled_source, G_SOURCE_FUNC (on_waiter_cancelled_cb),
                             waiter, NULL);
      g_source_attach (waiter->cancelled_source, g_task_get_context (waiter->task));
    }
}

/* The update is over: hand its result to the callers. Those who asked
 * after the language choice changed get another update. */
static void
finish_update (Update *update)
{
  g_autoptr(QmManifest) self = g_object_ref (update->self);
  GList *waiters = g_steal_pointer (&update->waiters);
  GList *again = NULL;

  if (update->abandoned)
    {
      update_free (update);
      return;
    }
  g_assert (self->update == update);
  self->update = NULL;
  set_state (self, qm_manifest_is_loaded (self) ? QM_MANIFEST_STATE_READY : QM_MANIFEST_STATE_EMPTY);
  if (update->error != NULL && !qm_error_is_cancelled (update->error))
    g_debug ("Update failed: %s", update->error->message);

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->serial != update->serial)
        {
          again = g_list_append (again, waiter);
          continue;
        }
      g_task_set_task_data (waiter->task, GINT_TO_POINTER (update->downloaded), NULL);
      if (update->error != NULL)
        g_task_return_error (waiter->task, g_error_copy (update->error));
      else
        g_task_return_boolean (waiter->task, TRUE);
      waiter_free (waiter);
    }
  g_list_free (waiters);
  if (again != NULL)
    start_update (self, update->client, again);
  update_free (update);
}

static void
fail_update (Update *update,
             GError *error)
{
  g_clear_error (&update->error);
  update->error = error;
  finish_update (update);
}

/* Nothing usable came from the network: keep what is loaded, else the
 * newest cache of the language on disk (offline start). */
static void
fall_back_to_disk (Update     *update,
                   const char *language)
{
  QmManifest *self = update->self;
  g_autoptr(QmManifestCache) cache = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *path = NULL;

  if (qm_manifest_is_loaded (self))
    return;
  fallback = language != NULL ? g_strdup (language) : offline_language (self);
  cache = open_newest_cache (self->cache_dir, fallback, &path);
  if (cache != NULL)
    install_cache (self, cache, path);
}

static void
notify_progress (Update   *update,
                 gboolean  force)
{
  gint64 now = g_get_monotonic_time ();
  guint64 downloaded = update->done_bytes;

  if (update->abandoned || (!force && now - update->last_notify < PROGRESS_INTERVAL_US))
    return;
  update->last_notify = now;
  for (guint i = 0; i < N_LANES; i++)
    downloaded += update->lanes[i].download.wire_bytes;
  set_progress (update->self, downloaded, MAX (update->known_total, downloaded));
}

/* ----- building ----- */

typedef struct
{
  char                   *cache_dir;
  char                   *language;
  char                   *path;
  QmManifestCacheBuilder *builder;
  GError                 *write_error;
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *build = data;

  g_free (build->cache_dir);
  g_free (build->language);
  g_free (build->path);
  qm_manifest_cache_builder_free (build->builder);
  g_clear_error (&build->write_error);
  g_free (build);
}

/* Write the file atomically (a temporary file in the same directory,
 * fsync, rename: a crash leaves the old cache whole), then map it. When it
 * cannot be written, the definitions are used from memory. */
static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *build = task_data;
  g_autoptr(GBytes) bytes = qm_manifest_cache_builder_end (build->builder);
  g_autoptr(GError) error = NULL;
  QmManifestCache *cache = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_task_return_error_if_cancelled (task))
    return;
  qm_cache_dir_ensure (build->cache_dir, &error);
  if (error == NULL &&
      g_file_set_contents_full (build->path, data, size,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                0600, &error))
    cache = qm_manifest_cache_open (build->path, &error);
  if (cache == NULL)
    {
      build->write_error = g_steal_pointer (&error);
      g_clear_pointer (&build->path, g_free);
      cache = qm_manifest_cache_new (bytes, &error);
    }
  if (cache == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, cache, (GDestroyNotify) qm_manifest_cache_unref);
}

static void
on_built_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Update *update = user_data;
  BuildData *build = g_task_get_task_data (G_TASK (result));
  g_autoptr(QmManifestCache) cache = NULL;
  GError *error = NULL;

  update->pending--;
  cache = g_task_propagate_pointer (G_TASK (result), &error);
  if (cache == NULL)
    {
      fail_update (update, error);
      return;
    }
  /* Cancelled meanwhile: the new file stays for next time, the definitions
   * in use and the older caches stay too. */
  if (g_cancellable_set_error_if_cancelled (update->cancellable, &error))
    {
      fail_update (update, error);
      return;
    }
  if (build->write_error != NULL)
    g_message ("The definitions could not be cached: %s", build->write_error->message);
  else
    delete_older_caches (build->cache_dir, build->language, build->path);
  install_cache (update->self, cache, build->path);
  update->downloaded = TRUE;
  finish_update (update);
}

static void
build_cache (Update *update)
{
  g_autoptr(GTask) task = NULL;
  BuildData *build = g_new0 (BuildData, 1);

  if (!update->abandoned)
    set_state (update->self, QM_MANIFEST_STATE_BUILDING);
  notify_progress (update, TRUE);
  build->cache_dir = g_strdup (update->self->cache_dir);
  build->language = g_strdup (update->language);
  build->path = g_strdup (update->path);
  build->builder = g_steal_pointer (&update->builder);
  task = g_task_new (NULL, update->cancellable, on_built_cb, update);
  g_task_set_source_tag (task, build_cache);
  g_task_set_task_data (task, build, build_data_free);
  update->pending++;
  g_task_run_in_thread (task, build_thread);
}

/* A step ended: once nothing is under way, build, or report the failure. */
static void
check_done (Update *update)
{
  if (update->pending > 0)
    return;
  if (update->error != NULL)
    {
      if (!update->abandoned && !qm_error_is_cancelled (update->error))
        fall_back_to_disk (update, update->language);
      finish_update (update);
      return;
    }
  for (guint i = 0; i < N_LANES; i++)
    if (update->lanes[i].next < update->lanes[i].n_tables)
      return;
  build_cache (update);
}

/* ----- downloading ----- */

/* The update cannot succeed: keep the first reason, stop the other lane. */
static void
abandon (Update *update,
         GError *error)
{
  if (update->error == NULL || (qm_error_is_cancelled (update->error) && !qm_error_is_cancelled (error)))
    {
      g_clear_error (&update->error);
      update->error = error;
    }
  else
    g_error_free (error);
  g_cancellable_cancel (update->cancellable);
}

/* A table could not be had: ask once more past the CDN's cache, then give
 * up with what went wrong. */
static void
lane_failed (Lane   *lane,
             GError *error)
{
  Update *update = lane->update;
  Download *download = &lane->download;
  const char *name = qm_table_get_name (download->table);

  /* What was counted of this attempt is not progress. */
  if (download->wire_total > 0)
    update->known_total -= MIN (update->known_total, (guint64) download->wire_total);
  download_clear (download);

  if (!qm_error_is_cancelled (error) && update->error == NULL && !download->retried)
    {
      g_message ("Downloading %s again: %s", name, error->message);
      g_error_free (error);
      download->retried = TRUE;
      lane_next (lane);
      return;
    }
  if (!qm_error_is_cancelled (error))
    g_prefix_error (&error, "Could not download the definitions (%s): ", name);
  abandon (update, error);
  check_done (update);
}

typedef struct
{
  Update       *update;
  QmTable       table;
  const guint8 *data;
  gsize         length;
} ParseData;

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *parse = task_data;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&parse->update->builder_lock);
  ok = qm_manifest_cache_builder_add_table (parse->update->builder, parse->table,
                                            (const char *) parse->data, parse->length, &error);
  g_mutex_unlock (&parse->update->builder_lock);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_parsed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lane *lane = user_data;
  Update *update = lane->update;
  Download *download = &lane->download;
  GError *error = NULL;

  update->pending--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      lane_failed (lane, error);
      return;
    }
  g_debug ("%s: %" G_GUINT64_FORMAT " bytes read", qm_table_get_name (download->table), download->wire_bytes);
  update->done_bytes += download->wire_bytes;
  download_clear (download);
  download->retried = FALSE;
  lane->next++;
  lane_next (lane);
}

static void
parse_table (Lane *lane)
{
  Update *update = lane->update;
  Download *download = &lane->download;
  g_autoptr(GTask) task = NULL;
  ParseData *parse = g_new0 (ParseData, 1);

  notify_progress (update, TRUE);
  parse->update = update;
  parse->table = download->table;
  parse->data = download->data;
  parse->length = download->length;
  /* Not cancellable: the parse owns the builder until it ends. */
  task = g_task_new (NULL, NULL, on_parsed_cb, lane);
  g_task_set_source_tag (task, parse_table);
  g_task_set_task_data (task, parse, g_free);
  update->pending++;
  g_task_run_in_thread (task, parse_thread);
}

/* Room for @extra more bytes of JSON. */
static gboolean
reserve (Download  *download,
         gsize      extra,
         GError   **error)
{
  gsize wanted;

  if (download->capacity - download->length >= extra)
    return TRUE;
  if (extra > MAX_TABLE_BYTES - download->length)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The table is larger than %" G_GSIZE_FORMAT " MB", MAX_TABLE_BYTES >> 20);
      return FALSE;
    }
  wanted = MAX (download->capacity + download->capacity / 2, download->length + extra);
  download->capacity = MIN (wanted, MAX_TABLE_BYTES);
  download->data = g_realloc (download->data, download->capacity);
  return TRUE;
}

/* Decompress @n bytes of @download->raw (and the end, @at_end). */
static gboolean
inflate (Download  *download,
         gsize      n,
         gboolean   at_end,
         GError   **error)
{
  const guint8 *in = download->raw;
  gsize left = n;

  for (;;)
    {
      gsize read = 0;
      gsize written = 0;
      GConverterResult status;

      if (!reserve (download, MAX (left * 4, 64 * 1024), error))
        return FALSE;
      status = g_converter_convert (G_CONVERTER (download->decoder), in, left,
                                    download->data + download->length,
                                    download->capacity - download->length,
                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, error);
      if (status == G_CONVERTER_ERROR)
        {
          g_prefix_error (error, "The compressed table is damaged: ");
          return FALSE;
        }
      in += read;
      left -= read;
      download->length += written;
      if (status == G_CONVERTER_FINISHED || (left == 0 && !at_end))
        return TRUE;
    }
}

static void read_more (Lane *lane);

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Lane *lane = user_data;
  Update *update = lane->update;
  Download *download = &lane->download;
  GError *error = NULL;
  gssize n;

  update->pending--;
  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      lane_failed (lane, error);
      return;
    }
  download->wire_bytes += (guint64) n;
  if (download->decoder != NULL && !inflate (download, (gsize) n, n == 0, &error))
    {
      lane_failed (lane, error);
      return;
    }
  if (download->decoder == NULL)
    download->length += (gsize) n;
  if (n > 0)
    {
      notify_progress (update, FALSE);
      read_more (lane);
      return;
    }

  /* The end. A connection closed early may end the body without an error. */
  if (download->wire_total >= 0 && download->wire_bytes != (guint64) download->wire_total)
    {
      lane_failed (lane, g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                                      "The download stopped after %" G_GUINT64_FORMAT " of %"
                                      G_GINT64_FORMAT " bytes",
                                      download->wire_bytes, (gint64) download->wire_total));
      return;
    }
  g_clear_object (&download->stream);
  g_clear_pointer (&download->raw, g_free);
  parse_table (lane);
}

static void
read_more (Lane *lane)
{
  Download *download = &lane->download;
  g_autoptr(GError) error = NULL;
  guint8 *buffer = download->raw;
  gsize size = READ_CHUNK;

  if (download->decoder == NULL)
    {
      /* Into the table's buffer, sized from Content-Length when known. */
      if (download->capacity == download->length && !reserve (download, READ_CHUNK, &error))
        {
          lane_failed (lane, g_steal_pointer (&error));
          return;
        }
      buffer = download->data + download->length;
      size = MIN (size, download->capacity - download->length);
    }
  lane->update->pending++;
  g_input_stream_read_async (download->stream, buffer, size, G_PRIORITY_DEFAULT,
                             lane->update->cancellable, on_read_cb, lane);
}

static void
on_content_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Lane *lane = user_data;
  Update *update = lane->update;
  Download *download = &lane->download;
  GError *error = NULL;
  gboolean gzipped = FALSE;
  goffset length = -1;

  update->pending--;
  download->stream = qm_bungie_client_open_content_finish (QM_BUNGIE_CLIENT (source), result,
                                                           &length, &gzipped, &error);
  if (download->stream == NULL)
    {
      lane_failed (lane, error);
      return;
    }
  download->wire_total = length;
  if (length > 0)
    update->known_total += (guint64) length;
  if (gzipped)
    {
      download->decoder = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      download->raw = g_malloc (READ_CHUNK);
    }
  /* The whole table at once when its size is known: no copies. */
  if (!reserve (download, length > 0 && !gzipped ? (gsize) length + 1 : READ_CHUNK, &error))
    {
      lane_failed (lane, error);
      return;
    }
  notify_progress (update, TRUE);
  read_more (lane);
}

static void
lane_next (Lane *lane)
{
  Update *update = lane->update;
  Download *download = &lane->download;
  g_autofree char *path = NULL;

  if (update->error == NULL && g_cancellable_is_cancelled (update->cancellable))
    g_cancellable_set_error_if_cancelled (update->cancellable, &update->error);
  if (update->error != NULL || lane->next >= lane->n_tables)
    {
      check_done (update);
      return;
    }
  download->table = lane->tables[lane->next];
  path = g_strdup (update->paths[download->table]);
  /* A CDN that served a broken file may serve it again from its cache:
   * the second time, ask for a URL it cannot have cached. */
  if (download->retried)
    {
      g_autofree char *plain = g_steal_pointer (&path);

      path = g_strdup_printf ("%s%ccb=%08x%08x", plain, strchr (plain, '?') != NULL ? '&' : '?',
                              g_random_int (), g_random_int ());
    }
  g_debug ("Downloading %s", path);
  update->pending++;
  qm_bungie_client_open_content_async (update->client, path, update->cancellable,
                                       on_content_opened_cb, lane);
}

static void
start_downloads (Update *update)
{
  for (guint i = 0; i < N_LANES; i++)
    {
      update->lanes[i].update = update;
      update->lanes[i].download.wire_total = -1;
    }
  for (guint t = 0; t < QM_N_TABLES; t++)
    {
      Lane *lane = &update->lanes[t == QM_TABLE_ITEM ? 0 : 1];

      if (update->paths[t] != NULL)
        lane->tables[lane->n_tables++] = t;
    }
  for (guint i = 0; i < N_LANES; i++)
    lane_next (&update->lanes[i]);
}

/* ----- checking ----- */

static GStrv
offered_languages (JsonObject *paths)
{
  g_autoptr(GList) members = paths != NULL ? json_object_get_members (paths) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) languages = NULL;

  for (GList *l = members; l != NULL; l = l->next)
    if (is_language_code (l->data) && qm_json_get_object (paths, l->data) != NULL)
      g_strv_builder_add (builder, l->data);
  languages = g_strv_builder_end (builder);
  sort_strv (languages);
  return g_steal_pointer (&languages);
}

/* Read the DestinyManifest: the language and the tables' paths. */
static gboolean
read_manifest (Update      *update,
               JsonNode    *response,
               GError     **error)
{
  QmManifest *self = update->self;
  JsonObject *manifest = JSON_NODE_HOLDS_OBJECT (response) ? json_node_get_object (response) : NULL;
  JsonObject *paths = qm_json_get_object (manifest, "jsonWorldComponentContentPaths");
  const char * const *languages;
  JsonObject *tables;

  set_languages (self, offered_languages (paths));
  languages = (const char * const *) self->languages;
  if (languages[0] == NULL)
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The manifest lists no definition tables (jsonWorldComponentContentPaths)");
      return FALSE;
    }
  update->language = g_strdup (choose_language (update->chosen, languages));
  tables = qm_json_get_object (paths, update->language);
  for (guint i = 0; i < QM_N_TABLES; i++)
    {
      const char *path = qm_json_get_string (tables, qm_table_get_name (i));

      if (path != NULL && path[0] == '/' && strstr (path, "..") == NULL)
        update->paths[i] = g_strdup (path);
    }
  if (update->paths[QM_TABLE_ITEM] == NULL)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The manifest lists no item definitions in “%s”", update->language);
      return FALSE;
    }
  update->version = g_strdup (qm_json_get_string (manifest, "version"));
  update->key = content_key (update->language, update->paths);
  update->path = cache_path_for (self, update->language, update->key);
  return TRUE;
}

static void
on_manifest_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Update *update = user_data;
  QmManifest *self = update->self;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(QmManifestCache) cache = NULL;
  g_autoptr(GError) open_error = NULL;
  GError *error = NULL;

  response = qm_bungie_client_get_manifest_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (response != NULL && g_cancellable_set_error_if_cancelled (update->cancellable, &error))
    {
      fail_update (update, error);
      return;
    }
  if (response == NULL || !read_manifest (update, response, &error))
    {
      /* Offline, maintenance…: the cache on disk still serves. */
      if (!qm_error_is_cancelled (error))
        fall_back_to_disk (update, update->chosen);
      fail_update (update, error);
      return;
    }

  if (self->cache_key != NULL && g_str_equal (self->cache_key, update->key) &&
      self->cache_path != NULL)
    {
      finish_update (update);
      return;
    }
  cache = qm_manifest_cache_open (update->path, &open_error);
  if (cache != NULL)
    {
      install_cache (self, cache, update->path);
      delete_older_caches (self->cache_dir, update->language, update->path);
      finish_update (update);
      return;
    }
  if (!g_error_matches (open_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_message ("Rebuilding %s: %s", update->path, open_error->message);

  set_state (self, QM_MANIFEST_STATE_DOWNLOADING);
  reset_progress (self);
  update->builder = qm_manifest_cache_builder_new (update->language, update->version, update->key);
  start_downloads (update);
}

static void
start_update (QmManifest     *self,
              QmBungieClient *client,
              GList          *waiters)
{
  Update *update = g_new0 (Update, 1);

  g_assert (self->update == NULL);
  update->self = g_object_ref (self);
  update->client = g_object_ref (client);
  update->cancellable = g_cancellable_new ();
  update->serial = self->language_serial;
  update->chosen = g_strdup (self->language);
  g_mutex_init (&update->builder_lock);
  self->update = update;
  for (GList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      waiter->serial = update->serial;
      add_waiter (update, waiter);
    }
  g_list_free (waiters);
  set_state (self, QM_MANIFEST_STATE_CHECKING);
  qm_bungie_client_get_manifest_async (client, update->cancellable, on_manifest_cb, update);
}

/**
 * qm_manifest_cancel_update:
 *
 * Stops the update under way, whoever asked for it: the download's Cancel.
 * Its callers get %G_IO_ERROR_CANCELLED; what was loaded before stays.
 */
void
qm_manifest_cancel_update (QmManifest *self)
{
  g_return_if_fail (QM_IS_MANIFEST (self));

  if (self->update != NULL && !self->update->abandoned)
    g_cancellable_cancel (self->update->cancellable);
}

/**
 * qm_manifest_update_async:
 * @client: asks Bungie.net (API key only)
 *
 * GetDestinyManifest, then, when the cache of these content paths and this
 * language is missing or damaged, downloads the tables with progress,
 * builds the cache atomically, loads it and deletes older ones. A table
 * that comes back broken is asked for once more with a cache-busting query.
 *
 * On any failure the definitions loaded before stay (without any, the
 * newest valid cache on disk is loaded) and the error is returned: the
 * caller can say that cached definitions are in use. Callers asking while an
 * update runs share it.
 */
void
qm_manifest_update_async (QmManifest          *self,
                          QmBungieClient      *client,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Waiter *waiter;

  g_return_if_fail (QM_IS_MANIFEST (self));
  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, qm_manifest_update_async);
  if (g_task_return_error_if_cancelled (waiter->task))
    {
      waiter_free (waiter);
      return;
    }
  waiter->serial = self->language_serial;
  if (self->update != NULL)
    add_waiter (self->update, waiter);
  else
    start_update (self, client, g_list_append (NULL, waiter));
}

gboolean
qm_manifest_update_finish (QmManifest    *self,
                           GAsyncResult  *result,
                           gboolean      *downloaded,
                           GError       **error)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (downloaded != NULL)
    *downloaded = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Lookups                                                                 */

static const char *
unknown_name (QmTable table)
{
  switch (table)
    {
    case QM_TABLE_ITEM:
      return _("Unknown item");
    case QM_TABLE_BUCKET:
      return _("Unknown slot");
    case QM_TABLE_CLASS:
      return _("Unknown class");
    case QM_TABLE_STAT:
      return _("Unknown stat");
    case QM_TABLE_DAMAGE_TYPE:
      return _("Unknown damage type");
    case QM_TABLE_VENDOR:
      return _("Unknown vendor");
    case QM_TABLE_DESTINATION:
      return _("Unknown place");
    case QM_TABLE_LOADOUT_NAME:
      return _("Unknown loadout name");
    case QM_TABLE_LOADOUT_COLOR:
      return _("Unknown loadout color");
    case QM_TABLE_LOADOUT_ICON:
      return _("Unknown loadout icon");
    case QM_N_TABLES:
    default:
      return _("Unknown");
    }
}

/**
 * qm_manifest_get_item:
 *
 * Returns: the definition of item @hash; known = %FALSE with the name
 *   “Unknown item” when the manifest does not have it. Its strings stay
 *   valid while the manifest lives.
 */
QmItemDefinition
qm_manifest_get_item (QmManifest *self,
                      guint32     hash)
{
  QmItemDefinition def = {
    .hash = hash,
    .known = FALSE,
    .name = unknown_name (QM_TABLE_ITEM),
    .max_stack_size = 1,
    .class_type = 3,
  };

  g_return_val_if_fail (QM_IS_MANIFEST (self), def);

  if (self->tables[QM_TABLE_ITEM] != NULL && hash != 0)
    qm_manifest_cache_lookup_item (self->tables[QM_TABLE_ITEM], hash, &def);
  return def;
}

/**
 * qm_manifest_get_definition:
 *
 * Returns: the definition of @hash in @table (for the item table, its
 *   display properties); known = %FALSE with a placeholder name when
 *   missing
 */
QmDefinition
qm_manifest_get_definition (QmManifest *self,
                            QmTable     table,
                            guint32     hash)
{
  QmDefinition def = {
    .table = table,
    .hash = hash,
    .known = FALSE,
    .name = unknown_name (table),
    .value = table == QM_TABLE_CLASS ? 3 : 0,
  };

  g_return_val_if_fail (QM_IS_MANIFEST (self), def);
  g_return_val_if_fail (table < QM_N_TABLES, def);

  if (self->tables[table] != NULL && hash != 0)
    qm_manifest_cache_lookup (self->tables[table], table, hash, &def);
  return def;
}

guint
qm_manifest_get_n_definitions (QmManifest *self,
                               QmTable     table)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);
  g_return_val_if_fail (table < QM_N_TABLES, 0);

  return self->tables[table] != NULL
    ? qm_manifest_cache_get_n_definitions (self->tables[table], table) : 0;
}

/**
 * qm_manifest_get_definition_at:
 *
 * Returns: the @index-th definition of @table in hash order (with
 *   qm_manifest_get_n_definitions(), a walk over the table); known = %FALSE
 *   past the end
 */
QmDefinition
qm_manifest_get_definition_at (QmManifest *self,
                               QmTable     table,
                               guint       index)
{
  guint32 hash = 0;

  g_return_val_if_fail (QM_IS_MANIFEST (self), ((QmDefinition) { .table = table, .name = "" }));
  g_return_val_if_fail (table < QM_N_TABLES, ((QmDefinition) { .table = table, .name = "" }));

  if (self->tables[table] != NULL)
    hash = qm_manifest_cache_get_hash_at (self->tables[table], table, index);
  return qm_manifest_get_definition (self, table, hash);
}

guint32
qm_manifest_lookup_vendor_location (QmManifest *self,
                                    guint32     vendor_hash,
                                    int         index)
{
  g_return_val_if_fail (QM_IS_MANIFEST (self), 0);

  if (self->tables[QM_TABLE_VENDOR] == NULL)
    return 0;
  return qm_manifest_cache_get_vendor_location (self->tables[QM_TABLE_VENDOR], vendor_hash, index);
}

void
qm_manifest_apply (QmManifest *self,
                   QmItem     *item)
{
  QmItemDefinition def;

  g_return_if_fail (QM_IS_MANIFEST (self));
  g_return_if_fail (QM_IS_ITEM (item));

  def = qm_manifest_get_item (self, qm_item_get_hash (item));
  qm_item_set_definition (item, &def);
}

char *
qm_bucket_dup_name (QmManifest *manifest,
                    guint32     bucket_hash)
{
  const char *builtin = qm_bucket_get_display_name (bucket_hash);

  g_return_val_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest), NULL);

  if (manifest != NULL && bucket_hash != 0 && !qm_bucket_has_own_heading (bucket_hash))
    {
      QmDefinition def = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, bucket_hash);

      if (def.known && def.name != NULL && *def.name != '\0')
        return g_strdup (def.name);
    }
  return builtin != NULL ? g_strdup (_(builtin)) : NULL;
}
