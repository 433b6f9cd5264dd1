/* test-token-store.c: sign-ins in the real keyring, and without one
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CI runs this inside dbus-run-session with an unlocked gnome-keyring (see
 * tools/run-tests). Where no Secret Service is running the keyring tests
 * skip, except in CI where they fail.
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "qm-auth-manager.h"
#include "qm-error.h"
#include "qm-test-utils.h"
#include "qm-token-store.h"

#define SECRETS_NAME "org.freedesktop.secrets"

/* The store's schema, as any other program (seahorse, secret-tool) sees it. */
static const SecretSchema test_schema = {
  "io.github.quartermaster.Quartermaster.Token", SECRET_SCHEMA_NONE,
  {
    { "origin", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "generation", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* Without a bus address GDBus would try to autolaunch one: never do that. */
static gboolean
secret_service_running (char **why)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      *why = g_strdup ("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)");
      return FALSE;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      *why = g_strdup_printf ("no D-Bus session bus (%s)", error->message);
      return FALSE;
    }
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", SECRETS_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  if (!owned)
    *why = g_strdup ("no Secret Service on the session bus (start gnome-keyring-daemon --unlock)");
  return owned;
}

/* A default collection that is locked (or missing) would bring up a prompt:
 * tests only use a keyring that is ready. */
static gboolean
default_collection_unlocked (char **why)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *path = "/";

  alias = g_dbus_connection_call_sync (bus, SECRETS_NAME, "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "ReadAlias",
                                       g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, NULL);
  if (alias != NULL)
    g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    {
      *why = g_strdup ("the keyring has no default collection (start gnome-keyring-daemon --unlock)");
      return FALSE;
    }
  locked = g_dbus_connection_call_sync (bus, SECRETS_NAME, path, "org.freedesktop.DBus.Properties",
                                        "Get",
                                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection",
                                                       "Locked"),
                                        G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                        NULL, NULL);
  if (locked != NULL)
    g_variant_get (locked, "(v)", &value);
  if (value == NULL || g_variant_get_boolean (value))
    {
      *why = g_strdup ("the keyring's default collection is locked (start gnome-keyring-daemon --unlock)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_keyring (void)
{
  g_autofree char *why = NULL;

  if (secret_service_running (&why) && default_collection_unlocked (&why))
    return TRUE;
  if (g_getenv ("CI") != NULL)
    {
      g_test_message ("The keyring tests must run in CI: %s", why);
      g_test_fail ();
    }
  else
    g_test_skip (why);
  return FALSE;
}

/* An origin of this run alone, so runs never see each other's items. */
static char *
unique_origin (const char *scheme_host)
{
  return g_strdup_printf ("%s-%u-%08x.invalid", scheme_host, (guint) getpid (), g_random_int ());
}

static QmToken *
sample_token (const char *tag)
{
  QmToken *token = qm_token_new (QM_TOKEN_KIND_OAUTH);

  token->access_token = g_strdup_printf ("access-%s-%08x", tag, g_random_int ());
  token->access_expires = g_get_real_time () / G_USEC_PER_SEC + 3600;
  token->refresh_token = g_strdup_printf ("refresh-%s-%08x", tag, g_random_int ());
  token->refresh_expires = g_get_real_time () / G_USEC_PER_SEC + 7776000;
  token->membership_id = g_strdup ("4611686018467284386");
  return token;
}

static QmToken *
sample_psn (void)
{
  QmToken *token = qm_token_new (QM_TOKEN_KIND_PSN_COOKIES);

  token->bungled = g_strdup_printf ("csrf-%08x", g_random_int ());
  token->bungleatk = g_strdup_printf ("atk-%08x", g_random_int ());
  token->bungledid = g_strdup ("4611686018467284386");
  return token;
}

static void
assert_tokens_equal (const QmToken *a,
                     const QmToken *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->access_token, ==, b->access_token);
  g_assert_cmpint (a->access_expires, ==, b->access_expires);
  g_assert_cmpstr (a->refresh_token, ==, b->refresh_token);
  g_assert_cmpint (a->refresh_expires, ==, b->refresh_expires);
  g_assert_cmpstr (a->membership_id, ==, b->membership_id);
  g_assert_cmpstr (a->bungled, ==, b->bungled);
  g_assert_cmpstr (a->bungleatk, ==, b->bungleatk);
  g_assert_cmpstr (a->bungledid, ==, b->bungledid);
}

static gboolean
save (QmTokenStore  *store,
      const char    *origin,
      const QmToken *token,
      GError       **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_token_store_save_async (store, origin, token, NULL, qm_test_result_cb, &res);
  ok = qm_token_store_save_finish (store, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

static QmToken *
load (QmTokenStore *store,
      const char   *origin,
      GError      **error)
{
  QmTestResult res = { 0 };
  QmToken *token;

  qm_token_store_load_async (store, origin, NULL, qm_test_result_cb, &res);
  token = qm_token_store_load_finish (store, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return token;
}

static gboolean
clear (QmTokenStore *store,
       const char   *origin,
       GError      **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_token_store_clear_async (store, origin, NULL, qm_test_result_cb, &res);
  ok = qm_token_store_clear_finish (store, qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

static GVariant *
call_secrets (const char         *path,
              const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  g_assert_nonnull (bus);
  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, path, interface, method, parameters,
                                       reply_type, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* The object paths of the items the Secret Service holds for @origin, of any
 * kind, asked over D-Bus as any other program would. */
static GStrv
keyring_items (const char *origin)
{
  g_autoptr(GVariantBuilder) attributes = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;
  GPtrArray *paths = g_ptr_array_new ();

  g_variant_builder_add (attributes, "{ss}", "xdg:schema", test_schema.name);
  g_variant_builder_add (attributes, "{ss}", "origin", origin);
  reply = call_secrets ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "SearchItems",
                        g_variant_new ("(a{ss})", attributes), G_VARIANT_TYPE ("(aoao)"));
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);
  for (guint i = 0; unlocked[i] != NULL; i++)
    g_ptr_array_add (paths, g_strdup (unlocked[i]));
  for (guint i = 0; locked[i] != NULL; i++)
    g_ptr_array_add (paths, g_strdup (locked[i]));
  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (paths, FALSE);
}

static GVariant *
item_property (const char *path,
               const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = call_secrets (path, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", "org.freedesktop.Secret.Item", name),
                        G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  return value;
}

static void
test_round_trip (void)
{
  g_autofree char *origin = unique_origin ("https://round-trip");
  g_autoptr(QmToken) token = sample_token ("round-trip");
  g_autoptr(QmTokenStore) first = NULL;
  g_autoptr(QmTokenStore) second = NULL;
  g_autoptr(QmTokenStore) third = NULL;
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(QmToken) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = NULL;

  if (!require_keyring ())
    return;

  first = qm_token_store_new ();
  g_assert_true (save (first, origin, token, &error));
  g_assert_no_error (error);
  g_assert_true (qm_token_store_get_persistent (first));
  g_assert_null (qm_token_store_get_error (first));

  /* A second store reads the keyring, not the first one's memory. */
  second = qm_token_store_new ();
  loaded = load (second, origin, &error);
  g_assert_no_error (error);
  assert_tokens_equal (token, loaded);

  g_assert_true (clear (second, origin, &error));
  g_assert_no_error (error);
  third = qm_token_store_new ();
  gone = load (third, origin, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  items = keyring_items (origin);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
}

static void
test_item_shape (void)
{
  g_autofree char *origin = unique_origin ("https://shape");
  g_autoptr(GVariant) label = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(QmToken) token = sample_token ("shape");
  g_autoptr(QmToken) psn = sample_psn ();
  g_autoptr(QmTokenStore) store = qm_token_store_new ();
  g_autoptr(QmTokenStore) other = qm_token_store_new ();
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *value = NULL;

  if (!require_keyring ())
    return;

  /* Saving again replaces: one item per origin, even across kinds. */
  g_assert_true (save (store, origin, token, &error));
  g_assert_true (save (store, origin, token, &error));
  g_assert_true (save (store, origin, psn, &error));
  g_assert_no_error (error);

  items = keyring_items (origin);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  attributes = item_property (items[0], "Attributes");
  g_assert_true (g_variant_lookup (attributes, "origin", "&s", &value));
  g_assert_cmpstr (value, ==, origin);
  g_assert_true (g_variant_lookup (attributes, "kind", "&s", &value));
  g_assert_cmpstr (value, ==, "psn");
  g_assert_true (g_variant_lookup (attributes, "generation", "&s", &value));
  g_assert_cmpstr (value, ==, "1");
  label = item_property (items[0], "Label");
  g_assert_true (g_str_has_prefix (g_variant_get_string (label, NULL), "Quartermaster sign-in ("));
  g_assert_nonnull (strstr (g_variant_get_string (label, NULL), origin));

  loaded = load (other, origin, &error);
  g_assert_no_error (error);
  assert_tokens_equal (psn, loaded);
  g_assert_true (clear (store, origin, &error));
  g_assert_no_error (error);
}

typedef struct
{
  guint    pending;
  gboolean done;
} Pending;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;

  pending->done = --pending->pending == 0;
}

/* Operations asked for together reach the keyring in order. */
static void
test_in_order (void)
{
  g_autofree char *origin = unique_origin ("https://in-order");
  g_autoptr(QmToken) token = sample_token ("in-order");
  g_autoptr(QmToken) psn = sample_psn ();
  g_autoptr(QmTokenStore) store = qm_token_store_new ();
  g_autoptr(QmTokenStore) other = qm_token_store_new ();
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = NULL;
  Pending pending = { 3, FALSE };

  if (!require_keyring ())
    return;

  qm_token_store_save_async (store, origin, token, NULL, on_done_cb, &pending);
  qm_token_store_save_async (store, origin, psn, NULL, on_done_cb, &pending);
  qm_token_store_clear_async (store, origin, NULL, on_done_cb, &pending);
  qm_test_wait (&pending.done, 60);
  items = keyring_items (origin);
  g_assert_cmpuint (g_strv_length (items), ==, 0);

  pending = (Pending) { 2, FALSE };
  qm_token_store_save_async (store, origin, token, NULL, on_done_cb, &pending);
  qm_token_store_save_async (store, origin, psn, NULL, on_done_cb, &pending);
  qm_test_wait (&pending.done, 60);
  loaded = load (other, origin, &error);
  g_assert_no_error (error);
  assert_tokens_equal (psn, loaded);
  g_strfreev (items);
  items = keyring_items (origin);
  g_assert_cmpuint (g_strv_length (items), ==, 1);
  g_assert_true (clear (store, origin, &error));
}

static void
test_loopback_apart (void)
{
  g_autofree char *real = unique_origin ("https://account");
  g_autofree char *sandbox = g_strdup_printf ("http://127.0.0.1:%u", 1024 + g_random_int_range (0, 60000));
  g_autoptr(QmToken) real_token = sample_token ("real");
  g_autoptr(QmToken) sandbox_token = sample_token ("sandbox");
  g_autoptr(QmTokenStore) store = qm_token_store_new ();
  g_autoptr(QmTokenStore) restarted = qm_token_store_new ();
  g_autoptr(QmToken) real_back = NULL;
  g_autoptr(QmToken) sandbox_back = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (save (store, real, real_token, &error));
  g_assert_true (save (store, sandbox, sandbox_token, &error));
  g_assert_no_error (error);

  real_back = load (restarted, real, &error);
  g_assert_no_error (error);
  assert_tokens_equal (real_token, real_back);
  sandbox_back = load (restarted, sandbox, &error);
  g_assert_no_error (error);
  assert_tokens_equal (sandbox_token, sandbox_back);

  /* Signing out of the sandbox leaves the account alone. */
  g_assert_true (clear (restarted, sandbox, &error));
  g_clear_pointer (&real_back, qm_token_free);
  real_back = load (restarted, real, &error);
  g_assert_no_error (error);
  assert_tokens_equal (real_token, real_back);
  g_assert_true (clear (restarted, real, &error));
  g_assert_no_error (error);
}

static void
test_malformed_item (void)
{
  g_autofree char *origin = unique_origin ("https://malformed");
  g_autoptr(QmTokenStore) store = qm_token_store_new ();
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  /* An item of a future format generation is refused, with a reason. */
  secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT, "future item",
                              "{\"generation\":2,\"kind\":\"oauth\",\"access_token\":\"x\"}", NULL, &error,
                              "origin", origin, "kind", "oauth", "generation", "2", NULL);
  g_assert_no_error (error);
  loaded = load (store, origin, &error);
  g_assert_null (loaded);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "generation 2"));
  g_assert_true (qm_token_store_get_persistent (store));
  g_clear_error (&error);
  g_assert_true (clear (store, origin, &error));
  g_assert_no_error (error);
}

static void
test_app_restart (void)
{
  g_autoptr(QmConfig) config = qm_config_new_default ();
  g_autoptr(QmToken) token = sample_token ("restart");
  g_autoptr(QmAuthManager) before = NULL;
  g_autoptr(QmAuthManager) after = NULL;
  g_autoptr(QmTokenStore) store1 = NULL;
  g_autoptr(QmTokenStore) store2 = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = NULL;
  QmTestResult res = { 0 };

  if (!require_keyring ())
    return;

  g_free (config->origin);
  config->origin = unique_origin ("https://restart");
  store1 = qm_token_store_new ();
  before = qm_auth_manager_new (config, store1);
  qm_auth_manager_sign_in_async (before, token, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_in_finish (before, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_clear_object (&before);
  g_clear_object (&store1);

  store2 = qm_token_store_new ();
  after = qm_auth_manager_new (config, store2);
  g_assert_cmpint (qm_auth_manager_get_state (after), ==, QM_AUTH_STATE_SIGNED_OUT);
  qm_auth_manager_restore_async (after, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_restore_finish (after, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (after), ==, QM_AUTH_STATE_SIGNED_IN);
  assert_tokens_equal (token, qm_auth_manager_get_token (after));
  g_assert_cmpstr (qm_auth_manager_get_membership_id (after), ==, "4611686018467284386");

  /* Signing out removes the item. */
  qm_auth_manager_sign_out_async (after, NULL, qm_test_result_cb, &res);
  g_assert_true (qm_auth_manager_sign_out_finish (after, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  items = keyring_items (config->origin);
  g_assert_cmpuint (g_strv_length (items), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* No Secret Service                                                       */

static void
list_files (const char *path,
            GPtrArray  *out)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        list_files (child, out);
      g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Every file under the user's directories, sorted and without repeats. */
static GPtrArray *
snapshot_user_dirs (void)
{
  const char *roots[] = { g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
                          g_get_user_cache_dir (), g_get_user_state_dir (), g_get_user_runtime_dir () };
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *unique = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    list_files (roots[i], files);
  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    if (unique->len == 0 || !g_str_equal (g_ptr_array_index (unique, unique->len - 1),
                                          g_ptr_array_index (files, i)))
      g_ptr_array_add (unique, g_strdup (g_ptr_array_index (files, i)));
  g_ptr_array_unref (files);
  return unique;
}

static void
assert_file_lacks (const char *path,
                   const char *secret)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  g_assert_null (g_strstr_len (contents, length, secret));
}

static void
no_secret_service_child (void)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(QmToken) token = sample_token ("memory");
  g_autoptr(QmToken) other = sample_token ("memory-2");
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(QmTokenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *origin = "https://www.bungie.net";

  /* A bus that is not there: libsecret can reach no Secret Service. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quartermaster-test-bus", TRUE);
  before = snapshot_user_dirs ();

  store = qm_token_store_new ();
  g_assert_true (qm_token_store_get_persistent (store));
  g_assert_false (save (store, origin, token, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The keyring is not available: you will have to sign in again "
                                   "next time ("));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (qm_token_store_get_persistent (store));
  g_assert_error (qm_token_store_get_error (store), G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  /* The session goes on in memory, for this process. */
  loaded = load (store, origin, &error);
  g_assert_no_error (error);
  assert_tokens_equal (token, loaded);
  g_assert_false (save (store, origin, other, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_pointer (&loaded, qm_token_free);
  loaded = load (store, origin, &error);
  assert_tokens_equal (other, loaded);
  g_assert_true (clear (store, origin, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, qm_token_free);
  loaded = load (store, origin, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  /* Nothing was written to disk instead. */
  after = snapshot_user_dirs ();
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (after, i), ==, g_ptr_array_index (before, i));
      assert_file_lacks (g_ptr_array_index (after, i), token->refresh_token);
      assert_file_lacks (g_ptr_array_index (after, i), other->access_token);
    }
}

static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      no_secret_service_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_secret_service_manager_child (void)
{
  g_autoptr(QmConfig) config = qm_config_new_default ();
  g_autoptr(QmTokenStore) store = NULL;
  g_autoptr(QmAuthManager) manager = NULL;
  g_autoptr(QmToken) token = sample_token ("manager");
  g_autoptr(GError) error = NULL;
  QmTestResult res = { 0 };

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/quartermaster-test-bus", TRUE);
  store = qm_token_store_new ();
  manager = qm_auth_manager_new (config, store);

  /* Restoring finds the keyring missing. */
  qm_auth_manager_restore_async (manager, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_auth_manager_restore_finish (manager, qm_test_wait_result (&res), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  qm_test_result_clear (&res);

  /* A sign-in says the keyring could not keep it, and the session goes on. */
  qm_auth_manager_sign_in_async (manager, token, NULL, qm_test_result_cb, &res);
  g_assert_false (qm_auth_manager_sign_in_finish (manager, qm_test_wait_result (&res), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  qm_test_result_clear (&res);
  g_assert_cmpint (qm_auth_manager_get_state (manager), ==, QM_AUTH_STATE_SIGNED_IN);
  assert_tokens_equal (token, qm_auth_manager_get_token (manager));
}

static void
test_no_secret_service_manager (void)
{
  if (g_test_subprocess ())
    {
      test_no_secret_service_manager_child ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_in_memory (void)
{
  g_autoptr(QmTokenStore) store = qm_token_store_new_in_memory ();
  g_autoptr(QmToken) token = sample_token ("in-memory");
  g_autoptr(QmToken) loaded = NULL;
  g_autoptr(QmToken) gone = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (qm_token_store_get_persistent (store));
  g_assert_true (save (store, "http://127.0.0.1:1/", token, &error));
  g_assert_no_error (error);
  g_assert_null (qm_token_store_get_error (store));

  /* Origins are compared without their trailing slash. */
  loaded = load (store, "http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  assert_tokens_equal (token, loaded);
  g_assert_true (clear (store, "http://127.0.0.1:1", &error));
  gone = load (store, "http://127.0.0.1:1/", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/token-store/round-trip", test_round_trip);
  g_test_add_func ("/token-store/item-shape", test_item_shape);
  g_test_add_func ("/token-store/in-order", test_in_order);
  g_test_add_func ("/token-store/loopback-apart", test_loopback_apart);
  g_test_add_func ("/token-store/malformed-item", test_malformed_item);
  g_test_add_func ("/token-store/app-restart", test_app_restart);
  g_test_add_func ("/token-store/no-secret-service", test_no_secret_service);
  g_test_add_func ("/token-store/no-secret-service-manager", test_no_secret_service_manager);
  g_test_add_func ("/token-store/in-memory", test_in_memory);

  return g_test_run ();
}
