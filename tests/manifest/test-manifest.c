/* test-manifest.c: downloading, caching and updating the definitions, on the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-json.h"
#include "qm-manifest.h"
#include "qm-sandbox-world.h"
#include "qm-test-utils.h"

#define ITEM_TABLE "DestinyInventoryItemDefinition"

typedef struct
{
  QmSandbox      *sandbox;
  QmBungieClient *client;
  QmSandboxWorld *world;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const QmSandboxOptions *options = data;

  fixture->sandbox = qm_test_sandbox_new (options);
  fixture->client = qm_test_client_new (fixture->sandbox, FALSE);
  fixture->world = qm_sandbox_get_world (fixture->sandbox);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  qm_sandbox_stop (fixture->sandbox);
  g_clear_object (&fixture->sandbox);
}

/* A file in the test's own (isolated) directory. */
static char *
test_file (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "quartermaster", "manifest", NULL);
}

static gboolean
update (QmManifest      *manifest,
        QmBungieClient  *client,
        GCancellable    *cancellable,
        gboolean        *downloaded,
        GError         **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_manifest_update_async (manifest, client, cancellable, qm_test_result_cb, &res);
  ok = qm_manifest_update_finish (manifest, qm_test_wait_result (&res), downloaded, error);
  qm_test_result_clear (&res);
  return ok;
}

/* Update and expect success; returns whether it downloaded. */
static gboolean
update_ok (QmManifest     *manifest,
           QmBungieClient *client)
{
  g_autoptr(GError) error = NULL;
  gboolean downloaded = FALSE;

  g_assert_true (update (manifest, client, NULL, &downloaded, &error));
  g_assert_no_error (error);
  return downloaded;
}

/* The hash of the definition of @table named @name in the sandbox. */
static guint32
find_hash (QmSandboxWorld *world,
           const char     *table,
           const char     *name)
{
  JsonObject *definitions = json_node_get_object (g_hash_table_lookup (world->definitions, table));
  g_autoptr(GList) members = json_object_get_members (definitions);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *definition = json_object_get_object_member (definitions, l->data);
      JsonObject *display = qm_json_get_object (definition, "displayProperties");

      if (g_strcmp0 (qm_json_get_string (display, "name"), name) == 0)
        return qm_json_get_hash (definition, "hash");
    }
  g_error ("no %s named %s", table, name);
}

static guint
count_cache_files (void)
{
  g_autofree char *dir = cache_dir ();
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static guint
n_tables (QmSandboxWorld *world)
{
  g_auto(GStrv) names = qm_sandbox_world_dup_table_names (world);
  guint n = 0;

  for (guint t = 0; t < QM_N_TABLES; t++)
    n += g_strv_contains ((const char * const *) names, qm_table_get_name (t));
  return n;
}

static void
test_fresh (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autofree char *dir = cache_dir ();
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");
  QmItemDefinition item;
  QmDefinition tower;

  qm_manifest_set_language (manifest, "en");
  g_assert_false (qm_manifest_is_loaded (manifest));
  g_assert_cmpint (qm_manifest_get_state (manifest), ==, QM_MANIFEST_STATE_EMPTY);
  g_assert_true (update_ok (manifest, fixture->client));

  g_assert_true (qm_manifest_is_loaded (manifest));
  g_assert_cmpint (qm_manifest_get_state (manifest), ==, QM_MANIFEST_STATE_READY);
  g_assert_cmpstr (qm_manifest_get_version (manifest), ==, fixture->world->content_version);
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "en");
  g_assert_true (g_strv_contains (qm_manifest_get_languages (manifest), "de"));
  g_assert_true (g_str_has_prefix (qm_manifest_get_cache_path (manifest), dir));
  g_assert_true (g_file_test (qm_manifest_get_cache_path (manifest), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (qm_manifest_get_cache_size (manifest), >, 10000);
  g_assert_cmpuint (count_cache_files (), ==, 1);
  /* Only the tables the app uses, each once. */
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Content"), ==, n_tables (fixture->world));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Manifest"), ==, 1);
  for (guint t = 0; t < QM_N_TABLES; t++)
    g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, t), >, 0);

  item = qm_manifest_get_item (manifest, thorn);
  g_assert_true (item.known);
  g_assert_cmpstr (item.name, ==, "Thorn");
  g_assert_cmpstr (item.tier_name, ==, "Exotic");
  g_assert_cmpint (item.tier_type, ==, 6);
  g_assert_cmpstr (item.item_type_name, ==, "Hand Cannon");
  g_assert_true (item.equippable);
  tower = qm_manifest_get_definition (manifest, QM_TABLE_DESTINATION,
                                      qm_manifest_lookup_vendor_location (manifest, 2190858386u, 0));
  g_assert_true (tower.known);

  /* Progress ended at the total. */
  g_assert_cmpuint (qm_manifest_get_bytes_total (manifest), >, 0);
  g_assert_cmpuint (qm_manifest_get_bytes_downloaded (manifest), ==, qm_manifest_get_bytes_total (manifest));
  g_assert_cmpfloat (qm_manifest_get_fraction (manifest), ==, 1.0);

  /* Current: no download. */
  g_assert_false (update_ok (manifest, fixture->client));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Content"), ==, n_tables (fixture->world));
}

/* A later run opens the cache, with and without the network. */
static void
test_reuse_offline (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(QmManifest) first = qm_manifest_new (NULL);
  g_autoptr(QmManifest) second = qm_manifest_new (NULL);
  g_autoptr(QmManifest) offline = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");
  guint calls;

  qm_manifest_set_language (first, "en");
  g_assert_true (update_ok (first, fixture->client));
  calls = qm_sandbox_get_call_count (fixture->sandbox, "Content");

  /* Online: the cache is current, nothing is downloaded. */
  qm_manifest_set_language (second, "en");
  g_assert_false (update_ok (second, fixture->client));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Content"), ==, calls);
  g_assert_cmpstr (qm_manifest_get_cache_path (second), ==, qm_manifest_get_cache_path (first));
  g_assert_cmpstr (qm_manifest_get_item (second, thorn).name, ==, "Thorn");

  /* Offline: opened from disk at once… */
  qm_sandbox_stop (fixture->sandbox);
  qm_manifest_set_language (offline, "en");
  g_assert_true (qm_manifest_open_cached (offline, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (qm_manifest_get_item (offline, thorn).name, ==, "Thorn");
  g_assert_cmpstr (qm_manifest_get_version (offline), ==, fixture->world->content_version);

  /* …and an update that cannot reach Bungie.net says so, keeping them. */
  g_assert_false (update (offline, fixture->client, NULL, NULL, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpstr (qm_manifest_get_item (offline, thorn).name, ==, "Thorn");
  g_assert_cmpint (qm_manifest_get_state (offline), ==, QM_MANIFEST_STATE_READY);

  /* Without opening the cache first, the failed update falls back to it. */
  g_clear_object (&second);
  second = qm_manifest_new (NULL);
  g_assert_false (update (second, fixture->client, NULL, NULL, &error));
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK);
  g_assert_true (qm_manifest_is_loaded (second));
  g_assert_cmpstr (qm_manifest_get_item (second, thorn).name, ==, "Thorn");
}

static void
test_version_change (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmManifest) german = qm_manifest_new (NULL);
  g_autofree char *old_path = NULL;
  g_autofree char *german_path = NULL;

  qm_manifest_set_language (manifest, "en");
  qm_manifest_set_language (german, "de");
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_true (update_ok (german, fixture->client));
  old_path = g_strdup (qm_manifest_get_cache_path (manifest));
  german_path = g_strdup (qm_manifest_get_cache_path (german));
  g_assert_cmpuint (count_cache_files (), ==, 2);

  qm_sandbox_world_set_content_version (fixture->world, "sandbox.next");
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpstr (qm_manifest_get_version (manifest), ==, "sandbox.next");
  g_assert_cmpstr (qm_manifest_get_cache_path (manifest), !=, old_path);
  /* The older cache of the language is gone; the other language's stays. */
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (german_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_cache_files (), ==, 2);
}

static void
flip_byte (const char *path,
           gsize       offset)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  g_assert_cmpuint (offset, <, size);
  contents[offset] ^= 0x20;
  g_assert_true (g_file_set_contents (path, contents, size, &error));
}

static void
truncate_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  g_assert_true (g_file_set_contents (path, contents, size / 3, &error));
}

/* A damaged cache is noticed when opened and rebuilt. */
static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");
  g_autofree char *path = NULL;

  qm_manifest_set_language (manifest, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  path = g_strdup (qm_manifest_get_cache_path (manifest));

  for (int round = 0; round < 3; round++)
    {
      g_autoptr(QmManifest) again = qm_manifest_new (NULL);
      gsize size = qm_manifest_get_cache_size (manifest);

      if (round == 0)
        flip_byte (path, size / 2);
      else if (round == 1)
        truncate_file (path);
      else
        flip_byte (path, 3);
      qm_manifest_set_language (again, "en");
      g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Rebuilding*");
      g_assert_true (update_ok (again, fixture->client));
      g_test_assert_expected_messages ();
      g_assert_cmpstr (qm_manifest_get_cache_path (again), ==, path);
      g_assert_cmpstr (qm_manifest_get_item (again, thorn).name, ==, "Thorn");
    }

  /* Opened offline, a damaged cache is deleted and not used. */
  {
    g_autoptr(QmManifest) offline = qm_manifest_new (NULL);
    g_autoptr(GError) error = NULL;

    flip_byte (path, 100);
    qm_manifest_set_language (offline, "en");
    g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Deleting*checksum*");
    g_assert_false (qm_manifest_open_cached (offline, &error));
    g_test_assert_expected_messages ();
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_false (qm_manifest_is_loaded (offline));
    g_assert_false (qm_manifest_get_item (offline, thorn).known);
  }
}

/* A download that breaks off leaves the definitions and the cache of the
 * version before, and says what went wrong. */
static void
test_interrupted (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    const char *fault;
    int         code;
  } faults[] = {
    { "reset,endpoint=Content", QM_CLIENT_ERROR_NETWORK },
    { "truncate,endpoint=Content", QM_CLIENT_ERROR_MALFORMED },
    { "html502,endpoint=Content", QM_CLIENT_ERROR_HTTP },
    /* The first table comes whole, the others break. */
    { "truncate,endpoint=Content,calls=2-99", QM_CLIENT_ERROR_MALFORMED },
  };
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;

  qm_manifest_set_language (manifest, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  path = g_strdup (qm_manifest_get_cache_path (manifest));
  version = g_strdup (qm_manifest_get_version (manifest));
  qm_sandbox_world_set_content_version (fixture->world, "sandbox.broken");

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(QmManifest) fresh = qm_manifest_new (NULL);
      g_autoptr(GError) error = NULL;
      gboolean downloaded = TRUE;

      g_assert_true (qm_sandbox_set_faults (fixture->sandbox, faults[i].fault, &error));
      g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Downloading * again*");
      g_assert_false (update (manifest, fixture->client, NULL, &downloaded, &error));
      g_test_assert_expected_messages ();
      g_assert_error (error, QM_CLIENT_ERROR, faults[i].code);
      g_assert_nonnull (strstr (error->message, "Could not download the definitions"));
      g_assert_false (downloaded);
      g_clear_error (&error);
      /* Still the version before, from the same file. */
      g_assert_cmpstr (qm_manifest_get_version (manifest), ==, version);
      g_assert_cmpstr (qm_manifest_get_cache_path (manifest), ==, path);
      g_assert_cmpstr (qm_manifest_get_item (manifest, thorn).name, ==, "Thorn");
      g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (count_cache_files (), ==, 1);

      /* A run that starts now uses that cache. */
      g_assert_true (qm_sandbox_set_faults (fixture->sandbox, faults[i].fault, &error));
      qm_manifest_set_language (fresh, "en");
      g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Downloading * again*");
      g_assert_false (update (fresh, fixture->client, NULL, NULL, &error));
      g_test_assert_expected_messages ();
      g_assert_true (qm_manifest_is_loaded (fresh));
      g_assert_cmpstr (qm_manifest_get_version (fresh), ==, version);
    }

  /* Once Bungie.net serves the files again, the new version comes. */
  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "", NULL));
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpstr (qm_manifest_get_version (manifest), ==, "sandbox.broken");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A broken file once: the second request, past the CDN's cache, succeeds. */
static void
test_retry (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const faults[] = {
    "truncate,endpoint=Content,times=1",
    "html502,endpoint=Content,times=1",
    "truncate,endpoint=Content,calls=2,times=1",
  };
  g_autofree char *record = test_file ("traffic.jsonl");
  g_autofree char *traffic = NULL;
  guint tables = n_tables (fixture->world);

  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, record, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
      g_autofree char *version = g_strdup_printf ("sandbox.retry%u", i);
      guint calls = qm_sandbox_get_call_count (fixture->sandbox, "Content");

      qm_sandbox_world_set_content_version (fixture->world, version);
      g_assert_true (qm_sandbox_set_faults (fixture->sandbox, faults[i], NULL));
      qm_manifest_set_language (manifest, "en");
      g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Downloading * again*");
      g_assert_true (update_ok (manifest, fixture->client));
      g_test_assert_expected_messages ();
      g_assert_cmpstr (qm_manifest_get_version (manifest), ==, version);
      g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Content") - calls, ==, tables + 1);
      g_assert_true (qm_manifest_get_item (manifest, find_hash (fixture->world, ITEM_TABLE, "Thorn")).known);
    }
  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, NULL, NULL));
  g_assert_true (g_file_get_contents (record, &traffic, NULL, NULL));
  g_assert_nonnull (strstr (traffic, ".json?cb="));
}

static void
on_notify_cancel_cb (QmManifest   *manifest,
                     GParamSpec   *pspec,
                     GCancellable *cancellable)
{
  if (qm_manifest_get_state (manifest) == QM_MANIFEST_STATE_DOWNLOADING)
    g_cancellable_cancel (cancellable);
}

/* Cancelled mid-download: the definitions and caches before stay. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  qm_manifest_set_language (manifest, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  path = g_strdup (qm_manifest_get_cache_path (manifest));

  qm_sandbox_world_set_content_version (fixture->world, "sandbox.cancelled");
  g_signal_connect (manifest, "notify::bytes-total", G_CALLBACK (on_notify_cancel_cb), cancellable);
  g_assert_false (update (manifest, fixture->client, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_signal_handlers_disconnect_by_data (manifest, cancellable);
  g_assert_cmpstr (qm_manifest_get_cache_path (manifest), ==, path);
  g_assert_cmpstr (qm_manifest_get_version (manifest), !=, "sandbox.cancelled");
  g_assert_cmpint (qm_manifest_get_state (manifest), ==, QM_MANIFEST_STATE_READY);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_cache_files (), ==, 1);

  /* Cancelled before it starts. */
  g_clear_error (&error);
  g_assert_false (update (manifest, fixture->client, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Not cancelled: it completes. */
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpstr (qm_manifest_get_version (manifest), ==, "sandbox.cancelled");
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gboolean  downloaded;
  GError   *error;
} Outcome;

static void
on_update_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = qm_manifest_update_finish (QM_MANIFEST (source), result, &outcome->downloaded,
                                           &outcome->error);
  outcome->done = TRUE;
}

/* Callers asking at once share one update; one cancelling does not stop
 * the others; a language chosen meanwhile gets its own update. */
static void
test_shared (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome first = { 0 };
  Outcome second = { 0 };
  Outcome third = { 0 };
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");

  qm_manifest_set_language (manifest, "en");
  qm_manifest_update_async (manifest, fixture->client, cancellable, on_update_cb, &first);
  qm_manifest_update_async (manifest, fixture->client, NULL, on_update_cb, &second);
  g_cancellable_cancel (cancellable);
  qm_test_wait (&second.done, 60);
  qm_test_wait (&first.done, 5);
  g_assert_false (first.ok);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (second.ok);
  g_assert_no_error (second.error);
  g_assert_true (second.downloaded);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Manifest"), ==, 1);
  g_clear_error (&first.error);

  first = (Outcome) { 0 };
  second = (Outcome) { 0 };
  qm_manifest_update_async (manifest, fixture->client, NULL, on_update_cb, &first);
  qm_manifest_set_language (manifest, "de");
  qm_manifest_update_async (manifest, fixture->client, NULL, on_update_cb, &second);
  qm_manifest_update_async (manifest, fixture->client, NULL, on_update_cb, &third);
  qm_test_wait (&first.done, 60);
  qm_test_wait (&second.done, 60);
  qm_test_wait (&third.done, 60);
  g_assert_true (first.ok && second.ok && third.ok);
  g_assert_false (first.downloaded);
  g_assert_true (second.downloaded && third.downloaded);
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Manifest"), ==, 3);
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "de");
  g_assert_cmpstr (qm_manifest_get_item (manifest, thorn).name, ==, "Dorn");
}

/* Names, item types and tiers in the language chosen; the cache of each
 * language is kept. */
static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");
  guint32 kinetic = find_hash (fixture->world, "DestinyInventoryBucketDefinition", "Kinetic Weapons");
  guint32 hunter = find_hash (fixture->world, "DestinyClassDefinition", "Hunter");
  QmItemDefinition item;
  g_autofree char *english_path = NULL;
  guint calls;

  qm_manifest_set_language (manifest, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  english_path = g_strdup (qm_manifest_get_cache_path (manifest));
  item = qm_manifest_get_item (manifest, thorn);
  g_assert_cmpstr (item.name, ==, "Thorn");
  g_assert_cmpstr (item.tier_name, ==, "Exotic");

  qm_manifest_set_language (manifest, "de");
  g_assert_cmpstr (qm_manifest_get_language (manifest), ==, "de");
  /* Until updated, the definitions loaded stay. */
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "de");
  item = qm_manifest_get_item (manifest, thorn);
  g_assert_cmpstr (item.name, ==, "Dorn");
  g_assert_cmpstr (item.tier_name, ==, "Exotisch");
  g_assert_cmpstr (item.item_type_name, ==, "Handfeuerwaffe");
  g_assert_cmpstr (qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, kinetic).name, ==,
                   "Kinetische Waffen");
  g_assert_cmpstr (qm_manifest_get_definition (manifest, QM_TABLE_CLASS, hunter).name, ==, "Jäger");
  g_assert_true (g_file_test (english_path, G_FILE_TEST_EXISTS));

  /* Back to English: its cache is current, no download. */
  calls = qm_sandbox_get_call_count (fixture->sandbox, "Content");
  qm_manifest_set_language (manifest, NULL);
  qm_manifest_set_language (manifest, "en");
  g_assert_false (update_ok (manifest, fixture->client));
  g_assert_cmpuint (qm_sandbox_get_call_count (fixture->sandbox, "Content"), ==, calls);
  g_assert_cmpstr (qm_manifest_get_item (manifest, thorn).name, ==, "Thorn");

  /* A language Bungie does not offer falls back to the desktop's (here
   * English). */
  qm_manifest_set_language (manifest, "xx");
  g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "*no definitions in “xx”*");
  g_assert_false (update_ok (manifest, fixture->client));
  g_test_assert_expected_messages ();
  g_assert_cmpstr (qm_manifest_get_effective_language (manifest), ==, "en");

  /* Offline, each language opens its own cache. */
  qm_sandbox_stop (fixture->sandbox);
  {
    g_autoptr(QmManifest) offline = qm_manifest_new (NULL);

    qm_manifest_set_language (offline, "de");
    g_assert_true (qm_manifest_open_cached (offline, NULL));
    g_assert_cmpstr (qm_manifest_get_item (offline, thorn).tier_name, ==, "Exotisch");
    g_assert_true (g_strv_contains (qm_manifest_get_languages (offline), "en"));
  }
}

/* The filler of a grown item table is translated too. */
static void
test_language_filler (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) english = qm_sandbox_world_get_localized_table_bytes (fixture->world, ITEM_TABLE, "en");
  g_autoptr(GBytes) german = qm_sandbox_world_get_localized_table_bytes (fixture->world, ITEM_TABLE, "de");
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autofree char *english_text = g_strndup (g_bytes_get_data (english, NULL), g_bytes_get_size (english));
  g_autofree char *german_text = g_strndup (g_bytes_get_data (german, NULL), g_bytes_get_size (german));

  g_assert_nonnull (strstr (english_text, "\"tierTypeName\":\"Legendary\""));
  g_assert_null (strstr (german_text, "\"tierTypeName\":\"Legendary\""));
  g_assert_nonnull (strstr (german_text, "\"tierTypeName\":\"Legendär\""));
  g_assert_nonnull (strstr (german_text, "\"itemTypeDisplayName\":\"Automatikgewehr\""));
  g_assert_nonnull (strstr (german_text, "\"name\":\"Wachsam "));
  g_assert_null (qm_sandbox_world_get_localized_table_bytes (fixture->world, ITEM_TABLE, "fr"));

  qm_manifest_set_language (manifest, "de");
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), >=, 2000);
}

/* A CDN that gzips the tables: progress counts the bytes on the wire; a
 * damaged compressed file is asked for again. */
static void
test_gzip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmManifest) retried = qm_manifest_new (NULL);
  g_autoptr(GBytes) plain = qm_sandbox_world_get_localized_table_bytes (fixture->world, ITEM_TABLE, "en");
  guint32 thorn = find_hash (fixture->world, ITEM_TABLE, "Thorn");

  qm_manifest_set_language (manifest, "en");
  g_assert_true (update_ok (manifest, fixture->client));
  g_assert_cmpstr (qm_manifest_get_item (manifest, thorn).name, ==, "Thorn");
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), >=, 2000);
  /* The whole download is smaller than the item table alone, unpacked. */
  g_assert_cmpuint (qm_manifest_get_bytes_total (manifest), <, g_bytes_get_size (plain) / 2);
  g_assert_cmpuint (qm_manifest_get_bytes_downloaded (manifest), ==, qm_manifest_get_bytes_total (manifest));

  qm_sandbox_world_set_content_version (fixture->world, "sandbox.gzip");
  g_assert_true (qm_sandbox_set_faults (fixture->sandbox, "truncate,endpoint=Content,times=1", NULL));
  qm_manifest_set_language (retried, "en");
  g_test_expect_message ("qm-manifest", G_LOG_LEVEL_MESSAGE, "Downloading * again*");
  g_assert_true (update_ok (retried, fixture->client));
  g_test_assert_expected_messages ();
  g_assert_cmpstr (qm_manifest_get_item (retried, thorn).name, ==, "Thorn");
}

static void
check_monotonic (GArray *values)
{
  for (guint i = 1; i < values->len; i++)
    g_assert_cmpfloat (g_array_index (values, double, i), >=, g_array_index (values, double, i - 1));
}

static void
on_progress_cb (QmManifest *manifest,
                GParamSpec *pspec,
                GArray    **values)
{
  double value;

  if (g_str_equal (pspec->name, "fraction"))
    value = qm_manifest_get_fraction (manifest);
  else if (g_str_equal (pspec->name, "bytes-downloaded"))
    value = (double) qm_manifest_get_bytes_downloaded (manifest);
  else
    value = (double) qm_manifest_get_state (manifest);
  g_array_append_val (values[g_str_equal (pspec->name, "fraction") ? 0
                             : g_str_equal (pspec->name, "bytes-downloaded") ? 1 : 2], value);
}

/* The progress properties go from 0 to the total, in a few steps. */
static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bytes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *values[] = { fractions, bytes, states };
  guint64 total;

  qm_manifest_set_language (manifest, "en");
  g_signal_connect (manifest, "notify::fraction", G_CALLBACK (on_progress_cb), values);
  g_signal_connect (manifest, "notify::bytes-downloaded", G_CALLBACK (on_progress_cb), values);
  g_signal_connect (manifest, "notify::state", G_CALLBACK (on_progress_cb), values);
  g_assert_true (update_ok (manifest, fixture->client));
  g_signal_handlers_disconnect_by_data (manifest, values);

  total = qm_manifest_get_bytes_total (manifest);
  g_assert_cmpuint (total, >, 5 * 1024 * 1024);
  g_assert_cmpuint (qm_manifest_get_bytes_downloaded (manifest), ==, total);
  g_assert_cmpuint (fractions->len, >=, 2);
  check_monotonic (fractions);
  check_monotonic (bytes);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
  g_assert_cmpfloat (g_array_index (fractions, double, 0), <, 1.0);
  g_assert_cmpfloat (g_array_index (bytes, double, bytes->len - 1), ==, (double) total);
  /* Throttled: far fewer notifications than chunks read. */
  g_assert_cmpuint (bytes->len, <, total / 8192);
  g_assert_cmpuint (states->len, ==, 4);
  g_assert_cmpfloat (g_array_index (states, double, 0), ==, QM_MANIFEST_STATE_CHECKING);
  g_assert_cmpfloat (g_array_index (states, double, 1), ==, QM_MANIFEST_STATE_DOWNLOADING);
  g_assert_cmpfloat (g_array_index (states, double, 2), ==, QM_MANIFEST_STATE_BUILDING);
  g_assert_cmpfloat (g_array_index (states, double, 3), ==, QM_MANIFEST_STATE_READY);
  g_assert_cmpuint (qm_manifest_get_n_definitions (manifest, QM_TABLE_ITEM), >=, 2000);
}

/* A definition Bungie does not have: the item shows as unknown, the rest
 * of the inventory is there. */
static void
test_missing_definition (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(QmBungieClient) signed_in = qm_test_client_new (fixture->sandbox, TRUE);
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QmItem) first = NULL;
  QmTestResult res = { 0 };
  GListModel *items;
  guint32 missing;
  guint named = 0;
  guint unknown = 0;

  qm_manifest_set_language (manifest, "en");
  qm_inventory_load_with_manifest_async (signed_in, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  first = g_list_model_get_item (items, 0);
  missing = qm_item_get_hash (first);
  g_clear_object (&inventory);

  g_assert_true (qm_sandbox_world_remove_definition (fixture->world, ITEM_TABLE, missing));
  qm_sandbox_world_set_content_version (fixture->world, "sandbox.missing");
  qm_inventory_load_with_manifest_async (signed_in, manifest, NULL, qm_test_result_cb, &res);
  inventory = qm_inventory_load_finish (qm_test_wait_result (&res), &error);
  qm_test_result_clear (&res);
  g_assert_no_error (error);
  g_assert_null (qm_inventory_get_manifest_error (inventory));
  g_assert_cmpstr (qm_manifest_get_version (manifest), ==, "sandbox.missing");

  items = qm_profile_get_items (qm_inventory_get_profile (inventory));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (qm_item_get_hash (item) == missing)
        {
          g_assert_null (qm_item_get_name (item));
          unknown++;
        }
      else
        {
          g_assert_nonnull (qm_item_get_name (item));
          named++;
        }
    }
  g_assert_cmpuint (unknown, >=, 1);
  g_assert_cmpuint (named, >, 10);
  g_assert_false (qm_manifest_get_item (manifest, missing).known);
  g_assert_cmpstr (qm_manifest_get_item (manifest, missing).name, ==, "Unknown item");
}

/* Bucket names come from the bucket definitions; the built-in names are
 * the fallback, and the vault, postmaster and currencies keep the app's
 * headings. */
static void
test_bucket_names (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A real bucket of 2026 that the built-in table does not know. */
  const guint32 unknown_bucket = 4092644516u;
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autofree char *before = NULL;
  g_autofree char *added = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *vault = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *builtin = NULL;
  g_autofree char *neither = NULL;

  qm_manifest_set_language (manifest, "en");
  update_ok (manifest, fixture->client);
  g_assert_null (qm_bucket_get_display_name (unknown_bucket));
  before = qm_bucket_dup_name (manifest, unknown_bucket);
  g_assert_null (before);

  qm_test_add_bucket_definition (fixture->world, unknown_bucket, QM_BUCKET_ENGRAMS, "Seasonal Relics");
  qm_test_add_bucket_definition (fixture->world, QM_BUCKET_KINETIC, QM_BUCKET_KINETIC, "Primary Weapons");
  qm_sandbox_world_set_content_version (fixture->world, "sandbox.buckets");
  g_assert_true (update_ok (manifest, fixture->client));

  added = qm_bucket_dup_name (manifest, unknown_bucket);
  g_assert_cmpstr (added, ==, "Seasonal Relics");
  renamed = qm_bucket_dup_name (manifest, QM_BUCKET_KINETIC);
  g_assert_cmpstr (renamed, ==, "Primary Weapons");
  /* Bungie calls these "General" and "Glimmer": the app's headings stay. */
  vault = qm_bucket_dup_name (manifest, QM_BUCKET_VAULT);
  g_assert_cmpstr (vault, ==, "Vault");
  currency = qm_bucket_dup_name (manifest, QM_BUCKET_GLIMMER);
  g_assert_cmpstr (currency, ==, "Currencies");
  /* No definitions: the built-in names. */
  builtin = qm_bucket_dup_name (NULL, QM_BUCKET_KINETIC);
  g_assert_cmpstr (builtin, ==, "Kinetic Weapons");
  neither = qm_bucket_dup_name (NULL, unknown_bucket);
  g_assert_null (neither);
}

/* The sandbox's manifest and tables, English and German, are Bungie's
 * shapes. */
static void
test_contract (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *record = test_file ("manifest.jsonl");
  g_autofree char *german_path = test_file ("items-de.json");
  g_autoptr(GBytes) german = qm_sandbox_world_get_localized_table_bytes (fixture->world, ITEM_TABLE, "de");
  g_autofree char *output = NULL;
  g_auto(GStrv) names = qm_sandbox_world_dup_table_names (fixture->world);

  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, record, NULL));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);

      qm_manifest_set_language (manifest, i == 0 ? "en" : "de");
      g_assert_true (update_ok (manifest, fixture->client));
    }
  g_assert_true (qm_sandbox_set_record_path (fixture->sandbox, NULL, NULL));
  if (!qm_test_contract_check (record, NULL, &output))
    {
      if (!g_test_failed ())
        g_test_fail_printf ("the recorded traffic does not conform:\n%s", output);
      return;
    }
  g_clear_pointer (&output, g_free);

  for (guint t = 0; t < QM_N_TABLES; t++)
    {
      const char *table = qm_table_get_name (t);
      g_autoptr(GBytes) bytes = NULL;

      if (!g_strv_contains ((const char * const *) names, table))
        continue;
      bytes = qm_sandbox_world_get_localized_table_bytes (fixture->world, table, "de");
      g_assert_true (g_file_set_contents (german_path, g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), NULL));
      if (!qm_test_contract_check (german_path, table, &output))
        {
          g_test_fail_printf ("the German %s does not conform:\n%s", table, output);
          return;
        }
      g_clear_pointer (&output, g_free);
    }
  g_assert_nonnull (german);
}

int
main (int   argc,
      char *argv[])
{
  static const QmSandboxOptions grown = { .n_items = 2000 };
  static const QmSandboxOptions gzipped = { .n_items = 2000, .gzip_content = TRUE };

  qm_test_init (&argc, &argv);
  /* Tests that follow the desktop's language expect English. */
  g_setenv ("LANGUAGE", "en_US", TRUE);

#define ADD(path, func, options) \
  g_test_add ("/manifest/sandbox/" path, Fixture, options, fixture_set_up, func, fixture_tear_down)
  ADD ("fresh", test_fresh, NULL);
  ADD ("reuse-offline", test_reuse_offline, NULL);
  ADD ("version-change", test_version_change, NULL);
  ADD ("corrupt", test_corrupt, NULL);
  ADD ("interrupted", test_interrupted, NULL);
  ADD ("retry", test_retry, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("shared", test_shared, NULL);
  ADD ("language", test_language, NULL);
  ADD ("language-filler", test_language_filler, &grown);
  ADD ("progress", test_progress, &grown);
  ADD ("gzip", test_gzip, &gzipped);
  ADD ("missing-definition", test_missing_definition, NULL);
  ADD ("bucket-names", test_bucket_names, NULL);
  ADD ("contract", test_contract, NULL);
#undef ADD

  return g_test_run ();
}
