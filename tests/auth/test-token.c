/* test-token.c: token responses, the keyring's form, expiry; the configuration
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-config.h"
#include "qm-error.h"
#include "qm-test-utils.h"
#include "qm-token.h"

#define NOW G_GINT64_CONSTANT (1700000000)

static QmToken *
parse (const char  *text,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return qm_token_new_from_response (bytes, NOW, error);
}

static void
test_response_normal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"access_token\":\"AT-1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                 "\"refresh_token\":\"RT-1\",\"refresh_expires_in\":7776000,"
                 "\"membership_id\":\"4611686018467284386\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (token->kind, ==, QM_TOKEN_KIND_OAUTH);
  g_assert_cmpstr (token->access_token, ==, "AT-1");
  g_assert_cmpint (token->access_expires, ==, NOW + 3600);
  g_assert_cmpstr (token->refresh_token, ==, "RT-1");
  g_assert_cmpint (token->refresh_expires, ==, NOW + 7776000);
  g_assert_cmpstr (token->membership_id, ==, "4611686018467284386");
  g_assert_null (token->bungled);
  g_assert_null (token->bungleatk);
}

static void
test_response_numeric_membership (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"access_token\":\"AT\",\"expires_in\":\"600\",\"membership_id\":12345}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->membership_id, ==, "12345");
  g_assert_cmpint (token->access_expires, ==, NOW + 600);
}

static void
test_response_optional_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  /* A public client gets no refresh token; no expiry means "unknown". */
  token = parse ("{\"access_token\":\"AT-2\",\"token_type\":\"bearer\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->access_token, ==, "AT-2");
  g_assert_cmpint (token->access_expires, ==, 0);
  g_assert_null (token->refresh_token);
  g_assert_cmpint (token->refresh_expires, ==, 0);
  g_assert_null (token->membership_id);
  g_assert_false (qm_token_access_expired (token, NOW + 100000000));
}

static void
test_response_missing_access_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"RT\"}", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  token = parse ("{\"access_token\":\"\"}", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_clear_error (&error);

  token = parse ("{\"access_token\":42}", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_response_oauth_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"error\":\"invalid_grant\",\"error_description\":\"RefreshTokenExpired\"}", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_nonnull (strstr (error->message, "RefreshTokenExpired"));
}

static void
test_response_not_json (void)
{
  const char *bodies[] = { "access_token=AT&expires_in=3600", "{\"access_token\":\"AT\"", "",
                           "[\"access_token\"]", "\"AT\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QmToken) token = parse (bodies[i], &error);

      g_assert_null (token);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
    }
}

static void
test_response_html (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("\n  <!DOCTYPE html><html><head><title>bungie.net | 502: Bad gateway</title>"
                 "</head><body>access_token</body></html>", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_HTML_PAGE);
}

static void
test_response_unsupported_type (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"access_token\":\"AT\",\"token_type\":\"mac\"}", &error);
  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
}

static void
test_response_hostile_expiry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  /* No signed overflow (UBSan would stop the test), a far but finite expiry. */
  token = parse ("{\"access_token\":\"AT\",\"expires_in\":9223372036854775807,"
                 "\"refresh_token\":\"RT\",\"refresh_expires_in\":-5}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (token->access_expires, >, NOW);
  g_assert_cmpint (token->refresh_expires, ==, 0);
}

/* expires_in as a huge double: the far but finite expiry, as for the
 * largest integer (the cast used to wrap it to "no expiry"). */
static void
test_response_huge_expiry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = NULL;

  token = parse ("{\"access_token\":\"AT\",\"expires_in\":1e300,"
                 "\"refresh_token\":\"RT\",\"refresh_expires_in\":-1e300}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (token->access_expires, ==, NOW + G_MAXINT32);
  g_assert_cmpint (token->refresh_expires, ==, 0);
}

static QmToken *
sample_oauth (void)
{
  QmToken *token = qm_token_new (QM_TOKEN_KIND_OAUTH);

  token->access_token = g_strdup ("access \"quoted\" \\ token");
  token->access_expires = NOW + 3600;
  token->refresh_token = g_strdup ("refresh-token-é");
  token->refresh_expires = NOW + 7776000;
  token->membership_id = g_strdup ("4611686018467284386");
  return token;
}

static QmToken *
sample_psn (void)
{
  QmToken *token = qm_token_new (QM_TOKEN_KIND_PSN_COOKIES);

  token->bungled = g_strdup ("csrf-123");
  token->bungleatk = g_strdup ("atk-456");
  token->bungledid = g_strdup ("4611686018467284386");
  return token;
}

static void
assert_tokens_equal (const QmToken *a,
                     const QmToken *b)
{
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

static void
round_trip (QmToken *token)
{
  g_autofree char *text = qm_token_serialize (token);
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) back = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "generation"), ==, 1);

  back = qm_token_deserialize (text, &error);
  g_assert_no_error (error);
  assert_tokens_equal (token, back);
}

static void
test_serialize_round_trip (void)
{
  g_autoptr(QmToken) oauth = sample_oauth ();
  g_autoptr(QmToken) psn = sample_psn ();
  g_autoptr(QmToken) bare = qm_token_new (QM_TOKEN_KIND_OAUTH);

  round_trip (oauth);
  round_trip (psn);
  bare->access_token = g_strdup ("only-this");
  round_trip (bare);
}

static void
test_serialize_kind (void)
{
  g_autoptr(QmToken) psn = sample_psn ();
  g_autofree char *text = qm_token_serialize (psn);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  JsonObject *object = json_node_get_object (root);

  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "psn");
  g_assert_false (json_object_has_member (object, "access_token"));
  g_assert_cmpstr (json_object_get_string_member (object, "bungleatk"), ==, "atk-456");
}

static void
assert_deserialize_fails (const char *text,
                          const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QmToken) token = qm_token_deserialize (text, &error);

  g_assert_null (token);
  g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
  if (needle != NULL)
    g_assert_nonnull (strstr (error->message, needle));
}

static void
test_deserialize_generation (void)
{
  assert_deserialize_fails ("{\"generation\":2,\"kind\":\"oauth\",\"access_token\":\"AT\"}",
                            "generation 2");
  assert_deserialize_fails ("{\"generation\":0,\"kind\":\"oauth\",\"access_token\":\"AT\"}",
                            "generation 0");
  assert_deserialize_fails ("{\"kind\":\"oauth\",\"access_token\":\"AT\"}", "generation");
  assert_deserialize_fails ("{\"generation\":\"1\",\"kind\":\"oauth\",\"access_token\":\"AT\"}",
                            "generation");
}

static void
test_deserialize_invalid (void)
{
  assert_deserialize_fails ("", NULL);
  assert_deserialize_fails ("not json", NULL);
  assert_deserialize_fails ("[1]", NULL);
  assert_deserialize_fails ("{\"generation\":1,\"kind\":\"kerberos\",\"access_token\":\"AT\"}", "kind");
  assert_deserialize_fails ("{\"generation\":1,\"access_token\":\"AT\"}", "kind");
  assert_deserialize_fails ("{\"generation\":1,\"kind\":\"oauth\"}", "credentials");
  assert_deserialize_fails ("{\"generation\":1,\"kind\":\"psn\",\"bungled\":\"x\"}", "credentials");
}

/* Credentials go into HTTP headers: what JSON escapes can put into a string
 * (control characters, line breaks, bytes that are not UTF-8, as json-glib
 * reads "\611" as an octal escape) is refused, from the keyring and from the
 * token endpoint. Found by fuzz-token: such a token was read, but its
 * serialization could not be read back. */
static void
test_hostile_credentials (void)
{
  static const char * const values[] = {
    "a\\6116818$467248386", "a\\r\\nX-Injected: 1", "a\\tb", "a\\u007fb", "a\\u001bb", "\\377", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *saved = g_strdup_printf ("{\"generation\":1,\"kind\":\"oauth\",\"access_token\":\"%s\"}",
                                                values[i]);
      g_autofree char *cookies = g_strdup_printf ("{\"generation\":1,\"kind\":\"psn\",\"bungled\":\"c\","
                                                  "\"bungleatk\":\"%s\"}", values[i]);
      g_autofree char *answer = g_strdup_printf ("{\"access_token\":\"AT\",\"token_type\":\"Bearer\","
                                                 "\"refresh_token\":\"%s\"}", values[i]);
      g_autoptr(QmToken) token = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", values[i]);
      assert_deserialize_fails (saved, NULL);
      assert_deserialize_fails (cookies, NULL);
      token = parse (answer, &error);
      g_assert_null (token);
      g_assert_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED);
    }
}

static void
test_expiry_margins (void)
{
  g_autoptr(QmToken) token = qm_token_new (QM_TOKEN_KIND_OAUTH);

  token->access_expires = NOW + 61;
  token->refresh_expires = NOW + 1000;
  g_assert_false (qm_token_access_expired (token, NOW));
  g_assert_true (qm_token_access_expired (token, NOW + 1));
  g_assert_true (qm_token_access_expired (token, NOW + 61));
  g_assert_true (qm_token_access_expired (token, NOW + 5000));

  g_assert_false (qm_token_refresh_expired (token, NOW + 939));
  g_assert_true (qm_token_refresh_expired (token, NOW + 940));

  /* Unknown expiry: never expires. */
  token->access_expires = 0;
  token->refresh_expires = 0;
  g_assert_false (qm_token_access_expired (token, G_MAXINT32));
  g_assert_false (qm_token_refresh_expired (token, G_MAXINT32));
}

static void
test_copy (void)
{
  g_autoptr(QmToken) token = sample_oauth ();
  g_autoptr(QmToken) psn = sample_psn ();
  QmToken *copy = g_boxed_copy (QM_TYPE_TOKEN, token);
  g_autoptr(QmToken) psn_copy = qm_token_copy (psn);

  assert_tokens_equal (token, copy);
  g_assert_true (copy->access_token != token->access_token);
  g_boxed_free (QM_TYPE_TOKEN, copy);
  assert_tokens_equal (psn, psn_copy);
}

/* ---------------------------------------------------------------------- */
/* Configuration                                                           */

static void
test_origin_trusted (void)
{
  const char *trusted[] = { "https://www.bungie.net", "HTTPS://www.bungie.net/", "https://example.com:8443",
                            "http://127.0.0.1:8080", "http://localhost:1234", "http://LocalHost",
                            "http://[::1]:9000" };
  const char *untrusted[] = { "http://www.bungie.net", "http://127.0.0.2", "http://localhost.example.com",
                              "ftp://localhost", "file:///etc/passwd", "www.bungie.net", "", "https://",
                              "quartermaster://oauth-callback", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (trusted); i++)
    g_assert_true (qm_origin_is_trusted (trusted[i]));
  for (guint i = 0; i < G_N_ELEMENTS (untrusted); i++)
    g_assert_false (qm_origin_is_trusted (untrusted[i]));

  g_assert_true (qm_origin_is_loopback ("http://127.0.0.1:1"));
  g_assert_true (qm_origin_is_loopback ("https://localhost"));
  g_assert_false (qm_origin_is_loopback ("https://www.bungie.net"));
  g_assert_false (qm_origin_is_loopback (NULL));
}

static void
unset_config_env (void)
{
  const char *names[] = { "QM_ORIGIN", "QM_PSN_ORIGIN", "QM_API_KEY", "QM_OAUTH_CLIENT_ID",
                          "QM_OAUTH_CLIENT_SECRET" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
}

/* Plain http only to this computer, whatever the spelling; no origin that
 * carries user information or that parsers read apart. */
static void
test_origin_spellings (void)
{
  static const char * const refused[] = {
    "HTTP://www.bungie.net", "hTtP://www.bungie.net", "http://www.bungie.net:443", "http://www.bungie.net:80",
    "http://127.0.0.1.evil.example", "http://localhost@evil.example", "http://127.0.0.1:80@evil.example",
    "http://127.0.0.1%40evil.example", "http://0x7f000001", "http://2130706433", "http://127.1",
    "http://[::ffff:127.0.0.1]", " http://127.0.0.1", "http://127.0.0.1\t", "http:/www.bungie.net",
    "http:www.bungie.net", "//www.bungie.net", "http://www.bungie.net\\@127.0.0.1",
    "https://www.bungie.net\\@evil.example", "https:\\\\www.bungie.net", "http://localhost.",
    "http://user:pw@127.0.0.1:8080", "https://www.bungie.net@evil.example", "https://user@www.bungie.net",
    "http://evil.example#@127.0.0.1", "http://evil.example?@127.0.0.1", "ws://127.0.0.1", "http://::1",
  };
  static const char * const trusted[] = {
    "http://LOCALHOST:8080", "http://[::1]", "http://127.0.0.1/", "HTTPS://www.bungie.net",
    "https://www.bungie.net:443",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    if (qm_origin_is_trusted (refused[i]))
      g_error ("%s is trusted", refused[i]);
  for (guint i = 0; i < G_N_ELEMENTS (trusted); i++)
    if (!qm_origin_is_trusted (trusted[i]))
      g_error ("%s is not trusted", trusted[i]);
}

static void
test_config_defaults (void)
{
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmConfig) copy = NULL;

  unset_config_env ();
  g_setenv ("QM_API_KEY", "", TRUE);   /* empty: does not count */
  config = qm_config_new_default ();
  g_assert_cmpstr (config->origin, ==, QM_DEFAULT_ORIGIN);
  g_assert_cmpstr (config->psn_origin, ==, QM_DEFAULT_PSN_ORIGIN);
  g_assert_cmpstr (config->api_key, ==, QM_DEFAULT_API_KEY);
  g_assert_cmpstr (config->client_id, ==, QM_DEFAULT_CLIENT_ID);
  g_assert_cmpstr (config->client_secret, ==, QM_DEFAULT_CLIENT_SECRET);
  g_assert_cmpstr (config->redirect_uri, ==, "quartermaster://oauth-callback");

  copy = qm_config_copy (config);
  g_assert_true (copy->origin != config->origin);
  g_assert_cmpstr (copy->origin, ==, config->origin);
  g_assert_cmpstr (copy->redirect_uri, ==, config->redirect_uri);
  unset_config_env ();
}

static void
test_config_environment (void)
{
  g_autoptr(QmConfig) config = NULL;

  g_setenv ("QM_ORIGIN", "http://127.0.0.1:4242/", TRUE);
  g_setenv ("QM_PSN_ORIGIN", "http://localhost:4242", TRUE);
  g_setenv ("QM_API_KEY", "my-key", TRUE);
  g_setenv ("QM_OAUTH_CLIENT_ID", "12345", TRUE);
  g_setenv ("QM_OAUTH_CLIENT_SECRET", "my-secret", TRUE);
  config = qm_config_new_default ();
  g_assert_cmpstr (config->origin, ==, "http://127.0.0.1:4242");
  g_assert_cmpstr (config->psn_origin, ==, "http://localhost:4242");
  g_assert_cmpstr (config->api_key, ==, "my-key");
  g_assert_cmpstr (config->client_id, ==, "12345");
  g_assert_cmpstr (config->client_secret, ==, "my-secret");
  unset_config_env ();
}

static void
test_config_overrides (void)
{
  g_autoptr(QmConfig) config = NULL;

  unset_config_env ();
  config = qm_config_new_default ();
  /* NULL and empty values keep what is there. */
  qm_config_apply_overrides (config, NULL, "", NULL);
  g_assert_cmpstr (config->api_key, ==, QM_DEFAULT_API_KEY);
  g_assert_cmpstr (config->client_id, ==, QM_DEFAULT_CLIENT_ID);
  g_assert_cmpstr (config->client_secret, ==, QM_DEFAULT_CLIENT_SECRET);

  qm_config_apply_overrides (config, "pref-key", "777", "");
  g_assert_cmpstr (config->api_key, ==, "pref-key");
  g_assert_cmpstr (config->client_id, ==, "777");
  g_assert_cmpstr (config->client_secret, ==, QM_DEFAULT_CLIENT_SECRET);
  qm_config_apply_overrides (config, NULL, NULL, "pref-secret");
  g_assert_cmpstr (config->api_key, ==, "pref-key");
  g_assert_cmpstr (config->client_secret, ==, "pref-secret");
  g_assert_cmpstr (config->redirect_uri, ==, "quartermaster://oauth-callback");
}

/* Environment > preferences > build options. */
static void
test_config_precedence (void)
{
  g_autoptr(QmConfig) prefs = NULL;
  g_autoptr(QmConfig) env = NULL;

  unset_config_env ();
  prefs = qm_config_new_with_preferences ("pref-key", "", "pref-secret");
  g_assert_cmpstr (prefs->api_key, ==, "pref-key");
  g_assert_cmpstr (prefs->client_id, ==, QM_DEFAULT_CLIENT_ID);
  g_assert_cmpstr (prefs->client_secret, ==, "pref-secret");

  g_setenv ("QM_API_KEY", "env-key", TRUE);
  g_setenv ("QM_OAUTH_CLIENT_ID", "", TRUE);
  env = qm_config_new_with_preferences ("pref-key", "777", NULL);
  g_assert_cmpstr (env->api_key, ==, "env-key");
  g_assert_cmpstr (env->client_id, ==, "777");
  g_assert_cmpstr (env->client_secret, ==, QM_DEFAULT_CLIENT_SECRET);
  unset_config_env ();
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/token/response/normal", test_response_normal);
  g_test_add_func ("/token/response/numeric-membership", test_response_numeric_membership);
  g_test_add_func ("/token/response/optional-fields", test_response_optional_fields);
  g_test_add_func ("/token/response/missing-access-token", test_response_missing_access_token);
  g_test_add_func ("/token/response/oauth-error", test_response_oauth_error);
  g_test_add_func ("/token/response/not-json", test_response_not_json);
  g_test_add_func ("/token/response/html", test_response_html);
  g_test_add_func ("/token/response/unsupported-type", test_response_unsupported_type);
  g_test_add_func ("/token/response/hostile-expiry", test_response_hostile_expiry);
  g_test_add_func ("/token/response/huge-expiry", test_response_huge_expiry);
  g_test_add_func ("/token/serialize/round-trip", test_serialize_round_trip);
  g_test_add_func ("/token/serialize/kind", test_serialize_kind);
  g_test_add_func ("/token/deserialize/generation", test_deserialize_generation);
  g_test_add_func ("/token/deserialize/invalid", test_deserialize_invalid);
  g_test_add_func ("/token/hostile-credentials", test_hostile_credentials);
  g_test_add_func ("/token/expiry-margins", test_expiry_margins);
  g_test_add_func ("/token/copy", test_copy);
  g_test_add_func ("/config/origin-trusted", test_origin_trusted);
  g_test_add_func ("/config/origin-spellings", test_origin_spellings);
  g_test_add_func ("/config/defaults", test_config_defaults);
  g_test_add_func ("/config/environment", test_config_environment);
  g_test_add_func ("/config/overrides", test_config_overrides);
  g_test_add_func ("/config/precedence", test_config_precedence);

  return g_test_run ();
}
