/* test-cli-signin.c: quartermaster-cli signin, status and signout against a
 * standalone sandbox, with the sign-in kept in a real keyring
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a session bus with an unlocked Secret Service (CI runs the suite in
 * dbus-run-session with gnome-keyring). Without one it skips, except in CI.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "qm-json.h"
#include "qm-sandbox.h"
#include "qm-test-utils.h"
#include "qm-token.h"

#define DEMO_USER        QM_SANDBOX_DEMO_PSN_USER
#define DEMO_PASSWORD    QM_SANDBOX_DEMO_PSN_PASSWORD
#define WRONG_PASSWORD   "not-the-sandbox-password-4711"

/* The keyring item as the token store writes it; looked up by origin. */
static const SecretSchema token_schema = {
  "io.github.quartermaster.Quartermaster.Token", SECRET_SCHEMA_NONE,
  {
    { "origin", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

typedef struct
{
  char        *dir;         /* temporary: the record file */
  char        *record;
  GSubprocess *sandbox;
  char        *origin;      /* http://127.0.0.1:PORT */
  char        *psn_origin;  /* http://localhost:PORT */
  GString     *transcript;  /* every CLI run's stdout and stderr */
  GPtrArray   *secrets;     /* values that must not leak */
} Fixture;

static void
skip_or_fail (const char *why)
{
  /* CI provides the keyring: a missing one there is a broken setup. */
  if (g_getenv ("CI") != NULL)
    {
      g_test_message ("%s", why);
      g_test_fail ();
    }
  else
    {
      g_test_skip (why);
    }
}

/* A session bus with an unlocked default collection, without prompting. */
static gboolean
require_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      why = g_strdup_printf ("no session bus (%s): run in dbus-run-session with gnome-keyring",
                             error->message);
      skip_or_fail (why);
      return FALSE;
    }
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  if (service != NULL)
    collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                   SECRET_COLLECTION_NONE, NULL, &error);
  if (collection == NULL || secret_collection_get_locked (collection))
    {
      why = g_strdup_printf ("no unlocked keyring on the session bus (%s)",
                             error != NULL ? error->message : "the default collection is missing or locked");
      skip_or_fail (why);
      return FALSE;
    }
  return TRUE;
}

/* In the child: should this test die, the sandbox goes with it (it would
 * otherwise keep the test's stderr, and the runner waiting, open). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_sandbox (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *program = qm_test_build_path ("sandbox", "quartermaster-sandbox");
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;

  g_subprocess_launcher_set_environ (launcher, envp);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->sandbox = g_subprocess_launcher_spawn (launcher, &error, program, "--port", "0",
                                                  "--record", fixture->record, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sandbox));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  fixture->origin = g_strdup (line + strlen ("listening on "));
  port = g_strdup (strrchr (fixture->origin, ':') + 1);
  fixture->psn_origin = g_strconcat ("http://localhost:", port, NULL);
}

static void
stop_sandbox (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->sandbox == NULL)
    return;
  g_subprocess_send_signal (fixture->sandbox, SIGTERM);
  g_subprocess_wait (fixture->sandbox, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->sandbox);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-cli-signin-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->record = g_build_filename (fixture->dir, "record.jsonl", NULL);
  fixture->transcript = g_string_new (NULL);
  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->sandbox != NULL)
    {
      g_subprocess_force_exit (fixture->sandbox);
      g_subprocess_wait (fixture->sandbox, NULL, NULL);
      g_clear_object (&fixture->sandbox);
    }
  if (fixture->record != NULL)
    g_unlink (fixture->record);
  if (fixture->dir != NULL)
    g_rmdir (fixture->dir);
  g_free (fixture->record);
  g_free (fixture->dir);
  g_free (fixture->origin);
  g_free (fixture->psn_origin);
  g_string_free (fixture->transcript, TRUE);
  g_ptr_array_unref (fixture->secrets);
}

/* Run quartermaster-cli --origin ORIGIN ARGS…, with @input on its standard
 * input, logging everything (G_MESSAGES_DEBUG=all). */
static void
run_cli (Fixture    *fixture,
         QmTestRun        *run,
         const char *input,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = qm_test_child_environ ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, qm_test_build_path ("cli", "quartermaster-cli"));
  g_ptr_array_add (argv, g_strdup ("--origin"));
  g_ptr_array_add (argv, g_strdup (fixture->origin));
  va_start (args, input);
  for (arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "QM_ACCESS_TOKEN");
  envp = g_environ_unsetenv (envp, "QM_ORIGIN");
  envp = g_environ_setenv (envp, "QM_PSN_ORIGIN", fixture->psn_origin, TRUE);
  envp = g_environ_setenv (envp, "QM_API_KEY", QM_SANDBOX_API_KEY, TRUE);
  envp = g_environ_setenv (envp, "QM_OAUTH_CLIENT_ID", QM_SANDBOX_CLIENT_ID, TRUE);
  envp = g_environ_setenv (envp, "QM_OAUTH_CLIENT_SECRET", QM_SANDBOX_CLIENT_SECRET, TRUE);
  envp = g_environ_setenv (envp, "G_MESSAGES_DEBUG", "all", TRUE);

  qm_test_run (run, (const char * const *) argv->pdata, envp, input);
  g_test_message ("%s → %d\nstdout: %s", (char *) argv->pdata[3], run->status, run->out);
  g_string_append (fixture->transcript, run->out);
  g_string_append (fixture->transcript, run->err);
}

/* The sign-in the keyring keeps for the sandbox's origin (NULL: none). */
static QmToken *
lookup_kept_token (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  QmToken *token;

  secret = secret_password_lookup_sync (&token_schema, NULL, &error, "origin", fixture->origin, NULL);
  g_assert_no_error (error);
  if (secret == NULL)
    return NULL;
  token = qm_token_deserialize (secret, &error);
  secret_password_free (secret);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static void
add_secret (Fixture    *fixture,
            const char *value)
{
  if (value != NULL && *value != '\0')
    g_ptr_array_add (fixture->secrets, g_strdup (value));
}

/* Binary-safe: files may hold NUL bytes. */
static gboolean
contains (const char *text,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (text[i] == needle[0] && memcmp (text + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* How many of @secrets @text holds. */
static guint
count_secrets_in (GPtrArray  *secrets,
                  const char *where,
                  const char *text,
                  gsize       length)
{
  guint n = 0;

  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);

      if (contains (text, length, secret))
        {
          g_test_message ("secret #%u (%zu characters) found in %s", i, strlen (secret), where);
          n++;
        }
    }
  return n;
}

static void
assert_no_secret_in (Fixture    *fixture,
                     const char *where,
                     const char *text,
                     gsize       length)
{
  g_assert_cmpuint (count_secrets_in (fixture->secrets, where, text, length), ==, 0);
}

static guint
scan_file (GPtrArray  *secrets,
           const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return 0;
  return count_secrets_in (secrets, path, contents, length);
}

/* Every regular file under @dir: how many secrets they hold; @n_files counts them. */
static guint
scan_tree (GPtrArray  *secrets,
           const char *dir,
           guint      *n_files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (handle == NULL)
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += scan_tree (secrets, path, n_files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          n += scan_file (secrets, path);
          (*n_files)++;
        }
    }
  return n;
}

static guint
scan_dirs (GPtrArray *secrets,
           guint     *n_files)
{
  const char *dirs[] = {
    g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
    g_get_user_cache_dir (), g_get_user_state_dir (), g_get_user_runtime_dir (),
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    n += scan_tree (secrets, dirs[i], n_files);
  return n;
}

static void
assert_status_signed_in (Fixture    *fixture,
                         const char *kind_text)
{
  g_auto(QmTestRun) run = { 0 };
  g_autofree char *heading = g_strdup_printf ("Signed in to %s\n", fixture->origin);

  run_cli (fixture, &run, NULL, "status", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, heading));
  g_assert_nonnull (strstr (run.out, kind_text));
  g_assert_nonnull (strstr (run.out, "Kept in the keyring: yes"));
}

static void
assert_inventory (Fixture *fixture)
{
  g_auto(QmTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *characters;

  run_cli (fixture, &run, NULL, "inventory", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  characters = qm_json_get_array (json_node_get_object (root), "characters");
  g_assert_nonnull (characters);
  /* The demo account's Titan, Hunter and Warlock. */
  g_assert_cmpuint (json_array_get_length (characters), ==, 3);
}

static void
sign_in_oauth (Fixture *fixture)
{
  g_auto(QmTestRun) signin = { 0 };
  g_auto(QmTestRun) status = { 0 };
  g_autoptr(QmToken) token = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  run_cli (fixture, &signin, NULL, "signin", "--oauth", NULL);
  g_assert_cmpint (signin.status, ==, 0);
  g_assert_nonnull (strstr (signin.out, "Signed in to "));

  token = lookup_kept_token (fixture);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_OAUTH);
  g_assert_nonnull (token->access_token);
  g_assert_nonnull (token->refresh_token);
  add_secret (fixture, token->access_token);
  add_secret (fixture, token->refresh_token);

  assert_status_signed_in (fixture, "Bungie.net OAuth");
  /* Expiry as dates, in the JSON too; never the tokens. */
  run_cli (fixture, &status, NULL, "status", "--json", NULL);
  g_assert_cmpint (status.status, ==, 0);
  root = json_from_string (status.out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (object, "signed_in"));
  g_assert_true (json_object_get_boolean_member (object, "keyring"));
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "oauth");
  g_assert_cmpstr (json_object_get_string_member (object, "membership_id"), ==, token->membership_id);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "access_expires"), "Z"));
  g_assert_nonnull (json_object_get_string_member (object, "refresh_expires"));
  assert_no_secret_in (fixture, "status", status.out, strlen (status.out));
}

static void
sign_in_psn (Fixture *fixture)
{
  g_auto(QmTestRun) wrong = { 0 };
  g_auto(QmTestRun) right = { 0 };
  g_autoptr(QmToken) before = lookup_kept_token (fixture);
  g_autoptr(QmToken) token = NULL;

  run_cli (fixture, &wrong, WRONG_PASSWORD "\n", "signin", "--psn", "--user", DEMO_USER, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "password is wrong"));
  /* A failed sign-in leaves the kept one alone. */
  token = lookup_kept_token (fixture);
  g_assert_nonnull (token);
  g_assert_cmpstr (token->access_token, ==, before->access_token);
  g_clear_pointer (&token, qm_token_free);

  run_cli (fixture, &right, DEMO_PASSWORD "\n", "signin", "--psn", "--user", DEMO_USER, NULL);
  g_assert_cmpint (right.status, ==, 0);
  token = lookup_kept_token (fixture);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_PSN_COOKIES);
  g_assert_nonnull (token->bungleatk);
  add_secret (fixture, token->bungleatk);
  add_secret (fixture, token->bungled);
  assert_status_signed_in (fixture, "PlayStation Network");
}

static void
sign_out (Fixture *fixture)
{
  g_auto(QmTestRun) signout = { 0 };
  g_auto(QmTestRun) status = { 0 };
  g_auto(QmTestRun) inventory = { 0 };
  g_autoptr(QmToken) token = NULL;
  g_autofree char *expected = NULL;

  run_cli (fixture, &signout, NULL, "signout", NULL);
  g_assert_cmpint (signout.status, ==, 0);
  g_assert_nonnull (strstr (signout.out, "Signed out of "));
  token = lookup_kept_token (fixture);
  g_assert_null (token);

  run_cli (fixture, &status, NULL, "status", NULL);
  g_assert_cmpint (status.status, ==, 0);
  expected = g_strdup_printf ("Not signed in to %s.\n", fixture->origin);
  g_assert_true (g_str_has_prefix (status.out, expected));

  run_cli (fixture, &inventory, NULL, "inventory", "--json", NULL);
  g_assert_cmpint (inventory.status, ==, 1);
  g_assert_nonnull (strstr (inventory.err, "signin"));
}

/* The scan finds what it looks for, deep in the directories too. */
static void
check_scanner (void)
{
  g_autoptr(GPtrArray) canary = g_ptr_array_new ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "canary", "deeper", NULL);
  g_autofree char *path = g_build_filename (dir, "file.bin", NULL);
  static const char contents[] = "\0binary\0 then canary-7f3a9c";
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  g_ptr_array_add (canary, (char *) "canary-7f3a9c");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, sizeof contents, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan_dirs (canary, &n_files), ==, 1);
  g_assert_cmpuint (n_files, >=, 1);
  g_unlink (path);
}

/* Neither the tokens nor the password anywhere the program could write. */
static void
scan_for_secrets (Fixture *fixture)
{
  guint n_files = 0;

  add_secret (fixture, DEMO_PASSWORD);
  add_secret (fixture, WRONG_PASSWORD);
  g_assert_cmpuint (fixture->secrets->len, >=, 8);
  check_scanner ();
  g_assert_cmpuint (scan_dirs (fixture->secrets, &n_files), ==, 0);
  g_test_message ("%u files scanned in HOME and the XDG directories", n_files);
  g_assert_cmpuint (scan_file (fixture->secrets, fixture->record), ==, 0);
  assert_no_secret_in (fixture, "the programs' output", fixture->transcript->str,
                       fixture->transcript->len);
  /* The debug log did run. */
  g_assert_nonnull (strstr (fixture->transcript->str, "qm-"));
}

static void keep_token (Fixture       *fixture,
                        const QmToken *token);

/* The kept access token expired: the next command refreshes it, and keeps
 * the new pair. */
static void
refresh_oauth (Fixture *fixture)
{
  g_autoptr(QmToken) kept = lookup_kept_token (fixture);
  g_autoptr(QmToken) refreshed = NULL;

  g_assert_nonnull (kept);
  g_assert_cmpint (kept->kind, ==, QM_TOKEN_KIND_OAUTH);
  kept->access_expires = g_get_real_time () / G_USEC_PER_SEC - 60;
  keep_token (fixture, kept);
  assert_inventory (fixture);
  refreshed = lookup_kept_token (fixture);
  g_assert_nonnull (refreshed);
  g_assert_cmpstr (refreshed->access_token, !=, kept->access_token);
  g_assert_cmpstr (refreshed->refresh_token, !=, kept->refresh_token);
  add_secret (fixture, refreshed->access_token);
  add_secret (fixture, refreshed->refresh_token);
}

static void
test_cli_signin (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *output = NULL;

  if (!require_keyring ())
    return;

  start_sandbox (fixture);
  sign_in_oauth (fixture);
  /* The next process finds the sign-in in the keyring: as after a restart. */
  assert_inventory (fixture);
  refresh_oauth (fixture);
  sign_in_psn (fixture);
  assert_inventory (fixture);
  sign_out (fixture);
  stop_sandbox (fixture);

  scan_for_secrets (fixture);
  g_assert_true (qm_test_contract_check (fixture->record, NULL, &output));
}

static void
test_cli_sandbox_signin (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *program = qm_test_build_path ("cli", "quartermaster-cli");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = qm_test_child_environ ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  /* The in-process sandbox: a sign-in for the length of the command, and no
   * keyring needed. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, envp);
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--sandbox", "signin", "--oauth", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "Signed in to http://127.0.0.1:"));
  g_assert_nonnull (strstr (out, "afresh"));
}

/* @token in the keyring for the sandbox's origin, as kept by an earlier run. */
static void
keep_token (Fixture       *fixture,
            const QmToken *token)
{
  g_autofree char *secret = qm_token_serialize (token);
  g_autoptr(QmToken) kept = NULL;
  g_autoptr(GError) error = NULL;

  /* The item as QmTokenStore writes it (generation 1). */
  secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, "Quartermaster sign-in (test)",
                              secret, NULL, &error,
                              "origin", fixture->origin,
                              "kind", token->kind == QM_TOKEN_KIND_PSN_COOKIES ? "psn" : "oauth",
                              "generation", "1",
                              NULL);
  g_assert_no_error (error);
  kept = lookup_kept_token (fixture);
  g_assert_nonnull (kept);
}

/* The CLI says the sign-in expired, and by the time it has exited the kept
 * sign-in is gone: the next `status` does not report it. */
static void
assert_expired_and_removed (Fixture    *fixture,
                            const char *what)
{
  g_auto(QmTestRun) inventory = { 0 };
  g_auto(QmTestRun) status = { 0 };
  g_autoptr(QmToken) left = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *expected = g_strdup_printf ("Not signed in to %s.\n", fixture->origin);

  g_test_message ("%s", what);
  run_cli (fixture, &inventory, NULL, "inventory", "--json", NULL);
  g_assert_cmpint (inventory.status, ==, 1);
  g_assert_cmpstr (inventory.out, ==, "");
  lower = g_ascii_strdown (inventory.err, -1);
  g_assert_nonnull (strstr (lower, "sign in again"));

  left = lookup_kept_token (fixture);
  g_assert_null (left);
  run_cli (fixture, &status, NULL, "status", NULL);
  g_assert_cmpint (status.status, ==, 0);
  g_assert_true (g_str_has_prefix (status.out, expected));
}

/* A kept sign-in found expired (on restore, by a refused refresh, or as PSN
 * cookies Bungie.net no longer takes) is removed before the CLI exits. */
static void
test_cli_expired_removed (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(QmToken) dead = qm_token_new (QM_TOKEN_KIND_OAUTH);
  g_autoptr(QmToken) refused = qm_token_new (QM_TOKEN_KIND_OAUTH);
  g_autoptr(QmToken) cookies = qm_token_new (QM_TOKEN_KIND_PSN_COOKIES);

  if (!require_keyring ())
    return;
  start_sandbox (fixture);

  /* Both tokens past their expiry: removed when restored. */
  dead->access_token = g_strdup ("expired-access-token");
  dead->access_expires = now - 7200;
  dead->refresh_token = g_strdup ("expired-refresh-token");
  dead->refresh_expires = now - 3600;
  dead->membership_id = g_strdup ("20000001");
  keep_token (fixture, dead);
  assert_expired_and_removed (fixture, "refresh token expired");

  /* The access token expired, and the sandbox does not know the refresh
   * token: the refresh is refused. */
  refused->access_token = g_strdup ("expired-access-token");
  refused->access_expires = now - 60;
  refused->refresh_token = g_strdup ("refresh-token-nobody-issued");
  refused->refresh_expires = now + 30 * 24 * 3600;
  refused->membership_id = g_strdup ("20000001");
  keep_token (fixture, refused);
  assert_expired_and_removed (fixture, "refresh refused");

  /* Cookies the sandbox never issued: Bungie.net refuses them, and PSN
   * cookies cannot be refreshed. */
  cookies->bungled = g_strdup ("csrf-nobody-issued");
  cookies->bungleatk = g_strdup ("cookie-nobody-issued");
  cookies->bungledid = g_strdup ("20000001");
  cookies->access_expires = now + 3600;
  cookies->membership_id = g_strdup ("20000001");
  keep_token (fixture, cookies);
  assert_expired_and_removed (fixture, "PSN cookies refused");

  stop_sandbox (fixture);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add ("/cli-signin/keyring", Fixture, NULL, fixture_set_up, test_cli_signin, fixture_tear_down);
  g_test_add ("/cli-signin/sandbox", Fixture, NULL, fixture_set_up, test_cli_sandbox_signin,
              fixture_tear_down);
  g_test_add ("/cli-signin/expired-removed", Fixture, NULL, fixture_set_up, test_cli_expired_removed,
              fixture_tear_down);

  return g_test_run ();
}
