/* test-profile-cache.c: the saved profile, freshness and the refresh policy
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "qm-error.h"
#include "qm-inventory.h"
#include "qm-profile-cache.h"
#include "qm-test-utils.h"

#define MEMBERSHIP "4611686018400000001"
#define SECOND     G_USEC_PER_SEC
/* 2026-11-21T18:05:00Z */
#define T0         (G_GINT64_CONSTANT (1795284300) * SECOND)

static GBytes *
answer_minted (const char *minted,
               const char *membership_id)
{
  g_autofree char *text =
    g_strdup_printf ("{\"Response\":{\"responseMintedTimestamp\":\"%s\","
                     "\"profile\":{\"data\":{\"userInfo\":{\"membershipId\":\"%s\"}}},"
                     "\"profileInventory\":{\"data\":{\"items\":[{\"itemHash\":1,"
                     "\"bucketHash\":138197802}]}}},"
                     "\"ErrorCode\":1,\"ThrottleSeconds\":0,\"ErrorStatus\":\"Success\","
                     "\"Message\":\"Ok\",\"MessageData\":{}}",
                     minted, membership_id);

  return g_bytes_new (text, strlen (text));
}

static void
test_freshness (void)
{
  static const struct
  {
    gint64             fetched;
    gint64             held;
    gint64             change;
    gint64             now;
    QmProfileFreshness expected;
  } cases[] = {
    /* Nothing shown yet. */
    { T0, 0, 0, T0, QM_PROFILE_FRESH },
    { T0 + 1, T0, 0, T0, QM_PROFILE_FRESH },
    { T0, T0, 0, T0, QM_PROFILE_UNCHANGED },
    { T0 - 1, T0, 0, T0, QM_PROFILE_OLDER },
    /* Minted before the app moved an item: Bungie's cache. */
    { T0 + 10 * SECOND, T0, T0 + 20 * SECOND, T0 + 30 * SECOND, QM_PROFILE_BEFORE_LOCAL_CHANGE },
    { T0 + 10 * SECOND, 0, T0 + 20 * SECOND, T0 + 30 * SECOND, QM_PROFILE_BEFORE_LOCAL_CHANGE },
    /* Older than the one shown and than the change: older says more. */
    { T0 - SECOND, T0, T0 + SECOND, T0 + 2 * SECOND, QM_PROFILE_OLDER },
    /* Minted after the change. */
    { T0 + 21 * SECOND, T0, T0 + 20 * SECOND, T0 + 30 * SECOND, QM_PROFILE_FRESH },
    /* Long after the change, a clock ahead of Bungie's holds nothing back. */
    { T0 + 10 * SECOND, T0, T0 + 20 * SECOND, T0 + 20 * SECOND + QM_PROFILE_LOCAL_CHANGE_GUARD,
      QM_PROFILE_FRESH },
    { T0 + 10 * SECOND, T0, T0 + 20 * SECOND, T0 + 19 * SECOND + QM_PROFILE_LOCAL_CHANGE_GUARD,
      QM_PROFILE_BEFORE_LOCAL_CHANGE },
    /* No timestamp: nothing to judge it by. */
    { 0, T0, T0 + SECOND, T0 + SECOND, QM_PROFILE_FRESH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (qm_profile_judge_freshness (cases[i].fetched, cases[i].held,
                                                   cases[i].change, cases[i].now),
                       ==, cases[i].expected);
    }
}

static void
test_refresh_policy (void)
{
  QmRefreshPolicy policy;
  gint64 now = 1000 * SECOND;

  qm_refresh_policy_init (&policy);
  /* Nothing loaded yet: due at once, when focused and idle. */
  g_assert_true (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now));
  g_assert_false (qm_refresh_policy_auto_due (&policy, FALSE, FALSE, now));
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, TRUE, now));
  g_assert_true (qm_refresh_policy_manual_allowed (&policy));
  g_assert_cmpint (qm_refresh_policy_next_due (&policy, now), ==, 0);

  /* In flight: nothing else starts, not even by hand. */
  qm_refresh_policy_started (&policy, now);
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 60 * SECOND));
  g_assert_false (qm_refresh_policy_manual_allowed (&policy));
  g_assert_cmpint (qm_refresh_policy_next_due (&policy, now), ==, G_MAXINT64);

  /* Done after 2 s: the next automatic one 30 s after the start. */
  qm_refresh_policy_finished (&policy);
  g_assert_true (qm_refresh_policy_manual_allowed (&policy));
  g_assert_cmpint (qm_refresh_policy_next_due (&policy, now + 2 * SECOND), ==, 28 * SECOND);
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 2 * SECOND));
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 30 * SECOND - 1));
  g_assert_true (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 30 * SECOND));
  g_assert_false (qm_refresh_policy_auto_due (&policy, FALSE, FALSE, now + 90 * SECOND));
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, TRUE, now + 90 * SECOND));

  /* A refresh by hand at 10 s moves the next automatic one. */
  qm_refresh_policy_started (&policy, now + 10 * SECOND);
  qm_refresh_policy_finished (&policy);
  g_assert_false (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 30 * SECOND));
  g_assert_true (qm_refresh_policy_auto_due (&policy, TRUE, FALSE, now + 40 * SECOND));
  g_assert_cmpint (qm_refresh_policy_next_due (&policy, now + 50 * SECOND), ==, 0);
}

static void
test_path (void)
{
  g_autofree char *path = qm_profile_cache_get_path (MEMBERSHIP);
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "quartermaster",
                                                "profiles", MEMBERSHIP ".json", NULL);
  static const char * const bad[] = { NULL, "", "../x", "12/34", "-5", "4611686018400000001.json",
                                      "99999999999999999999" };

  g_assert_cmpstr (path, ==, expected);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) answer = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);

      g_assert_null (qm_profile_cache_get_path (bad[i]));
      g_assert_null (qm_profile_cache_load (bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      g_assert_false (qm_profile_cache_save (bad[i], answer, T0, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

/* The files in the profiles folder. */
static guint
count_files (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "quartermaster", "profiles", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static void
test_save_load (void)
{
  g_autoptr(GBytes) first = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);
  g_autoptr(GBytes) later = answer_minted ("2026-11-21T18:06:00Z", MEMBERSHIP);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = qm_profile_cache_get_path (MEMBERSHIP);
  GStatBuf info;

  /* Nothing saved yet. */
  g_assert_null (qm_profile_cache_load (MEMBERSHIP, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (qm_profile_cache_save (MEMBERSHIP, first, qm_profile_answer_get_minted (first), &error));
  g_assert_no_error (error);
  loaded = qm_profile_cache_load (MEMBERSHIP, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, first));
  /* The user's own data: for the user only; no temporary file left. */
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (count_files (), ==, 1);

  /* A newer one replaces it; an older one does not. */
  g_assert_true (qm_profile_cache_save (MEMBERSHIP, later, qm_profile_answer_get_minted (later), &error));
  g_clear_pointer (&loaded, g_bytes_unref);
  loaded = qm_profile_cache_load (MEMBERSHIP, NULL);
  g_assert_true (g_bytes_equal (loaded, later));
  g_assert_true (qm_profile_cache_save (MEMBERSHIP, first, qm_profile_answer_get_minted (first), &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, g_bytes_unref);
  loaded = qm_profile_cache_load (MEMBERSHIP, NULL);
  g_assert_true (g_bytes_equal (loaded, later));
  g_assert_cmpuint (count_files (), ==, 1);
}

/* A file where the folder should be: a clear error, nothing else. */
static void
test_save_unwritable (void)
{
  g_autoptr(GBytes) answer = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);
  g_autofree char *base = g_build_filename (g_get_user_cache_dir (), "quartermaster", NULL);
  g_autofree char *blocker = g_build_filename (base, "profiles", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (base, 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  g_assert_false (qm_profile_cache_save (MEMBERSHIP, answer, T0, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, blocker));
}

static QmManifest *
empty_manifest (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "manifest-test", NULL);

  return qm_manifest_new (dir);
}

static void
test_load_cached (void)
{
  g_autoptr(GBytes) answer = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);
  g_autoptr(QmManifest) manifest = empty_manifest ();
  g_autoptr(QmInventory) inventory = NULL;
  g_autoptr(GError) error = NULL;
  QmProfile *profile;

  inventory = qm_inventory_load_cached (MEMBERSHIP, manifest, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (inventory);
  g_clear_error (&error);

  g_assert_true (qm_profile_cache_save (MEMBERSHIP, answer, T0, &error));
  inventory = qm_inventory_load_cached (MEMBERSHIP, manifest, &error);
  g_assert_no_error (error);
  g_assert_true (qm_inventory_is_cached (inventory));
  g_assert_true (qm_inventory_get_manifest (inventory) == manifest);
  g_assert_cmpuint (qm_inventory_get_memberships (inventory)->len, ==, 0);
  profile = qm_inventory_get_profile (inventory);
  g_assert_cmpint (qm_profile_get_minted (profile), ==, T0);
  g_assert_cmpuint (g_list_model_get_n_items (qm_profile_get_items (profile)), ==, 1);
}

/* A damaged file, or another membership's, is ignored with a clear message. */
static void
test_load_cached_damaged (void)
{
  static const char * const damaged[] = {
    "", "{\"Response\":{\"profile\":", "<html>Oops</html>", "\xff\xfe garbage",
    "{\"ErrorCode\":5,\"ErrorStatus\":\"SystemDisabled\",\"Message\":\"Down\"}",
  };
  g_autoptr(QmManifest) manifest = empty_manifest ();
  g_autofree char *path = qm_profile_cache_get_path (MEMBERSHIP);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) foreign = answer_minted ("2026-11-21T18:05:00Z", "4611686018400000002");
  g_autoptr(GError) error = NULL;
  g_autoptr(QmInventory) inventory = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(GBytes) answer = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);

      g_test_message ("“%s”", damaged[i]);
      g_assert_true (g_file_set_contents (path, damaged[i], -1, NULL));
      inventory = qm_inventory_load_cached (MEMBERSHIP, manifest, &error);
      g_assert_null (inventory);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "damaged"));
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);

      /* The next live load replaces it. */
      g_assert_true (qm_profile_cache_save (MEMBERSHIP, answer, T0, &error));
      g_assert_no_error (error);
      inventory = qm_inventory_load_cached (MEMBERSHIP, manifest, &error);
      g_assert_no_error (error);
      g_clear_object (&inventory);
    }

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (foreign, NULL),
                                      (gssize) g_bytes_get_size (foreign), NULL));
  inventory = qm_inventory_load_cached (MEMBERSHIP, manifest, &error);
  g_assert_null (inventory);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "4611686018400000002"));
}

/* The inventory's own view: local changes and cached profiles. */
static void
test_judge_update (void)
{
  g_autoptr(QmManifest) manifest = empty_manifest ();
  g_autoptr(GBytes) old_answer = answer_minted ("2026-11-21T18:05:00Z", MEMBERSHIP);
  g_autoptr(GBytes) new_answer = answer_minted ("2026-11-21T18:06:00Z", MEMBERSHIP);
  g_autoptr(QmProfile) old_profile = qm_profile_parse_bytes (old_answer, NULL);
  g_autoptr(QmProfile) new_profile = qm_profile_parse_bytes (new_answer, NULL);
  g_autoptr(QmInventory) shown = qm_inventory_new (old_profile, manifest);
  g_autoptr(QmInventory) same = qm_inventory_new (old_profile, manifest);
  g_autoptr(QmInventory) newer = qm_inventory_new (new_profile, manifest);
  g_autoptr(QmInventory) cached = NULL;
  g_autoptr(QmProfile) now_profile = NULL;
  g_autoptr(QmInventory) current = NULL;
  g_autoptr(GBytes) now_answer = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = g_date_time_add_seconds (now, 5);
  g_autofree char *stamp = NULL;
  gint64 before;

  g_assert_cmpint (qm_inventory_judge_update (shown, newer), ==, QM_PROFILE_FRESH);
  g_assert_cmpint (qm_inventory_judge_update (newer, shown), ==, QM_PROFILE_OLDER);
  g_assert_cmpint (qm_inventory_judge_update (shown, same), ==, QM_PROFILE_UNCHANGED);

  /* A live profile as old as the cached one shown replaces it. */
  g_assert_true (qm_profile_cache_save (MEMBERSHIP, old_answer, 0, NULL));
  cached = qm_inventory_load_cached (MEMBERSHIP, manifest, NULL);
  g_assert_cmpint (qm_inventory_judge_update (cached, same), ==, QM_PROFILE_FRESH);
  g_assert_cmpint (qm_inventory_judge_update (same, cached), ==, QM_PROFILE_UNCHANGED);

  /* After an item action, profiles minted before it are refused. */
  g_assert_cmpint (qm_inventory_get_last_local_change (shown), ==, 0);
  before = g_get_real_time ();
  qm_inventory_note_local_change (shown, before);
  g_assert_cmpint (qm_inventory_get_last_local_change (shown), ==, before);
  /* An earlier action acknowledged later does not move it back. */
  qm_inventory_note_local_change (shown, before - SECOND);
  g_assert_cmpint (qm_inventory_get_last_local_change (shown), ==, before);
  g_assert_cmpint (qm_inventory_judge_update (shown, newer), ==, QM_PROFILE_BEFORE_LOCAL_CHANGE);

  /* One minted after it is shown. */
  stamp = g_date_time_format_iso8601 (after);
  now_answer = answer_minted (stamp, MEMBERSHIP);
  now_profile = qm_profile_parse_bytes (now_answer, NULL);
  current = qm_inventory_new (now_profile, manifest);
  g_assert_cmpint (qm_inventory_judge_update (shown, current), ==, QM_PROFILE_FRESH);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/profile-cache/freshness", test_freshness);
  g_test_add_func ("/profile-cache/refresh-policy", test_refresh_policy);
  g_test_add_func ("/profile-cache/path", test_path);
  g_test_add_func ("/profile-cache/save-load", test_save_load);
  g_test_add_func ("/profile-cache/save-unwritable", test_save_unwritable);
  g_test_add_func ("/profile-cache/load-cached", test_load_cached);
  g_test_add_func ("/profile-cache/load-cached-damaged", test_load_cached_damaged);
  g_test_add_func ("/profile-cache/judge-update", test_judge_update);

  return g_test_run ();
}
