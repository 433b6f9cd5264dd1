/* test-sandbox-approve.c: approving the sandbox's authorize page without a browser
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qm-sandbox-approve.h"
#include "qm-test-utils.h"

static void
test_parse_form (void)
{
  static const char page[] =
    "<html><body><p>Approve?</p>\n"
    "<FORM method=\"post\" action=\"/en/OAuth/Authorize/?a=1&amp;b=2\">\n"
    "<input type=\"hidden\" name=\"client_id\" value=\"40000\">\n"
    "<input name=\"state\" type=\"hidden\" value=\"a&amp;b&lt;c&#39;d&#x41;\">\n"
    "<input type=\"text\" name=\"visible\" value=\"not sent\">\n"
    "<input type=\"hidden\" name=\"empty\">\n"
    "<button type=\"submit\" name=\"approve\" value=\"1\">Approve</button>\n"
    "</form>\n"
    "<form action=\"/second\"><input type=\"hidden\" name=\"other\" value=\"x\"></form>";
  g_autofree char *action = NULL;
  g_autoptr(GHashTable) fields = NULL;

  g_assert_true (qm_sandbox_parse_authorize_form (page, &action, &fields));
  g_assert_cmpstr (action, ==, "/en/OAuth/Authorize/?a=1&b=2");
  g_assert_cmpuint (g_hash_table_size (fields), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (fields, "client_id"), ==, "40000");
  g_assert_cmpstr (g_hash_table_lookup (fields, "state"), ==, "a&b<c'dA");
  g_assert_cmpstr (g_hash_table_lookup (fields, "empty"), ==, "");
  g_assert_false (g_hash_table_contains (fields, "visible"));
  g_assert_false (g_hash_table_contains (fields, "other"));
}

static void
test_parse_no_form (void)
{
  g_autofree char *action = NULL;
  g_autoptr(GHashTable) fields = NULL;

  g_assert_false (qm_sandbox_parse_authorize_form ("<p class=\"error\">The client_id is not "
                                                   "a registered application.</p>", &action, &fields));
  g_assert_null (action);
  g_assert_null (fields);
  g_assert_false (qm_sandbox_parse_authorize_form ("", &action, &fields));
}

static char *
authorize_uri (QmSandbox  *sandbox,
               const char *client_id,
               const char *state)
{
  return g_strdup_printf ("%s/en/OAuth/Authorize?client_id=%s&response_type=code&state=%s",
                          qm_sandbox_get_bungie_origin (sandbox), client_id, state);
}

static char *
approve (const char  *uri,
         gboolean     approve,
         GError     **error)
{
  QmTestResult res = { 0 };
  char *redirect;

  qm_sandbox_approve_async (uri, approve, NULL, qm_test_result_cb, &res);
  redirect = qm_sandbox_approve_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return redirect;
}

static void
test_approve (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autofree char *uri = authorize_uri (sandbox, QM_SANDBOX_CLIENT_ID, "s-1_x");
  g_autofree char *redirect = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(GError) error = NULL;

  redirect = approve (uri, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (redirect, QM_SANDBOX_REDIRECT_URI "?code="));
  g_assert_true (g_str_has_suffix (redirect, "&state=s-1_x"));

  /* The player says no: Bungie's refusal, with the state. */
  refused = approve (uri, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (refused, ==, QM_SANDBOX_REDIRECT_URI "?error=access_denied&state=s-1_x");
  qm_sandbox_stop (sandbox);
}

static void
test_approve_errors (void)
{
  g_autoptr(QmSandbox) sandbox = qm_test_sandbox_new (NULL);
  g_autofree char *unknown_client = authorize_uri (sandbox, "12345", "s");
  g_autofree char *redirect = NULL;
  g_autoptr(GError) error = NULL;

  /* The sandbox shows an error page, not its form. */
  redirect = approve (unknown_client, TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (redirect);
  g_clear_error (&error);

  /* Only loopback: nothing is sent elsewhere. */
  redirect = approve ("https://www.bungie.net/en/OAuth/Authorize?client_id=1", TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_null (redirect);
  qm_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  qm_test_init (&argc, &argv);

  g_test_add_func ("/sandbox-approve/parse-form", test_parse_form);
  g_test_add_func ("/sandbox-approve/parse-no-form", test_parse_no_form);
  g_test_add_func ("/sandbox-approve/approve", test_approve);
  g_test_add_func ("/sandbox-approve/errors", test_approve_errors);

  return g_test_run ();
}
