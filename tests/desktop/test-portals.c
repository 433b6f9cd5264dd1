/* test-portals.c: the login item and the browser through the desktop portal
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run as inside Flatpak: GTK_USE_PORTAL=1 (which GLib and GTK read as
 * /.flatpak-info) with a fake org.freedesktop.portal.Desktop on the test's
 * session bus. GLib decides once per process whether it uses portals, so
 * these tests have a program of their own.
 */

#define G_LOG_DOMAIN "test-portals"

#include "config.h"

#include <string.h>

#include "qm-autostart.h"
#include "qm-preferences-window.h"
#include "qm-sandbox-approve.h"
#include "qm-session.h"
#include "qm-test-dbus.h"
#include "qm-test-ui.h"

static void
assert_no_autostart_file (void)
{
  g_autofree char *path = qm_xur_autostart_path ();

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static gboolean
request (gboolean   enabled,
         GError   **error)
{
  QmTestResult res = { 0 };
  gboolean ok;

  qm_xur_autostart_request_async (enabled, NULL, qm_test_result_cb, &res);
  ok = qm_xur_autostart_request_finish (qm_test_wait_result (&res), error);
  qm_test_result_clear (&res);
  return ok;
}

/* RequestBackground with autostart and the command line, and what the
 * portal answers. */
static void
test_background (void)
{
  g_autoptr(QmFakePortal) portal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree const char **commandline = NULL;
  gboolean autostart = FALSE;
  gboolean activatable = TRUE;
  GVariant *options;

  if ((portal = qm_fake_portal_new ()) == NULL)
    return;
  g_assert_true (qm_xur_autostart_uses_portal ());

  g_assert_true (request (TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal->background_requests->len, ==, 1);
  options = g_ptr_array_index (portal->background_requests, 0);
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_true (autostart);
  g_assert_true (g_variant_lookup (options, "commandline", "^a&s", &commandline));
  g_assert_cmpuint (g_strv_length ((char **) commandline), ==, 2);
  g_assert_cmpstr (commandline[0], ==, "quartermaster");
  g_assert_cmpstr (commandline[1], ==, "--xur-check");
  g_assert_true (g_variant_lookup (options, "dbus-activatable", "b", &activatable));
  g_assert_false (activatable);
  g_assert_true (g_variant_lookup (options, "reason", "s", &reason));
  g_assert_cmpstr (reason, ==, "Tells you when Xûr arrives");
  /* The portal writes the entry, not the app (its own folder is private). */
  assert_no_autostart_file ();

  /* Off again. */
  g_assert_true (request (FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (portal->background_requests->len, ==, 2);
  options = g_ptr_array_index (portal->background_requests, 1);
  g_assert_true (g_variant_lookup (options, "autostart", "b", &autostart));
  g_assert_false (autostart);

  /* The user says no. */
  portal->response = 1;
  g_assert_false (request (TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  /* The dialog is closed some other way. */
  portal->response = 2;
  g_assert_false (request (TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  assert_no_autostart_file ();
}

/* No portal on the bus: a clear error, nothing written. */
static void
test_background_missing (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (request (TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "cannot start Quartermaster at log-in"));
  assert_no_autostart_file ();
}

static gboolean
switch_settled (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

/* The Preferences switch asks the portal, and follows its answer. */
static void
test_background_preferences (void)
{
  g_autoptr(QmFakePortal) portal = NULL;
  g_autoptr(GSettings) settings = NULL;
  QmPreferencesWindow *preferences;
  GtkSwitch *toggle;

  QM_TEST_REQUIRE_DISPLAY ();
  if ((settings = qm_test_settings_new_or_skip ()) == NULL)
    return;
  if ((portal = qm_fake_portal_new ()) == NULL)
    return;
  g_settings_set_boolean (settings, "xur-background-check", FALSE);

  preferences = qm_preferences_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  toggle = qm_preferences_window_get_background_switch (preferences);
  g_assert_false (gtk_switch_get_active (toggle));

  gtk_switch_set_active (toggle, TRUE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (toggle)));
  qm_test_wait_until (switch_settled, toggle, 30, "the portal's answer");
  g_assert_cmpuint (portal->background_requests->len, ==, 1);
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "xur-background-check"));
  assert_no_autostart_file ();

  /* Refused: the switch goes back, the setting stays as it was. */
  portal->response = 1;
  gtk_switch_set_active (toggle, FALSE);
  qm_test_wait_until (switch_settled, toggle, 30, "the portal's answer");
  g_assert_cmpuint (portal->background_requests->len, ==, 2);
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (g_settings_get_boolean (settings, "xur-background-check"));
  qm_test_close_window (GTK_WINDOW (preferences));

  /* A new window shows the setting: the entry itself is out of reach. */
  preferences = qm_preferences_window_new (NULL, NULL);
  g_assert_true (gtk_switch_get_active (qm_preferences_window_get_background_switch (preferences)));
  qm_test_close_window (GTK_WINDOW (preferences));
}

/* ---------------------------------------------------------------------- */

typedef struct
{
  QmFakePortal *portal;
  guint         n_seen;
  char         *uri;
} OpenState;

static gboolean
uri_opened (gpointer data)
{
  OpenState *state = data;

  return qm_fake_portal_n_opened (state->portal) > state->n_seen;
}

/* The session's OAuth sign-in with the default launcher (the app's, when
 * not on the sandbox): GIO hands the authorize page to the OpenURI portal;
 * approving that page completes the sign-in. */
static void
test_open_uri (void)
{
  g_autoptr(QmFakePortal) portal = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(QmConfig) config = NULL;
  g_autoptr(QmSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *redirect = NULL;
  QmTestResult res = { 0 };
  QmTestResult approved = { 0 };
  OpenState state = { 0 };
  const char *uri;

  if ((portal = qm_fake_portal_new ()) == NULL)
    return;
  state.portal = portal;
  sandbox = qm_test_sandbox_new (NULL);
  config = qm_sandbox_dup_config (sandbox);
  session = qm_session_new (NULL);
  qm_session_set_account (session, config, NULL, FALSE);

  qm_session_sign_in_oauth_async (session, NULL, qm_test_result_cb, &res);
  qm_test_wait_until (uri_opened, &state, 30, "the OpenURI call");
  uri = g_ptr_array_index (portal->opened_uris, 0);
  expected = g_strconcat (qm_sandbox_get_bungie_origin (sandbox), "/en/OAuth/Authorize?", NULL);
  g_assert_true (g_str_has_prefix (uri, expected));
  g_assert_nonnull (strstr (uri, "client_id=" QM_SANDBOX_CLIENT_ID));

  /* The player approves in the browser; the redirect comes back. */
  qm_sandbox_approve_async (uri, TRUE, NULL, qm_test_result_cb, &approved);
  redirect = qm_sandbox_approve_finish (qm_test_wait_result (&approved), &error);
  g_assert_no_error (error);
  qm_test_result_clear (&approved);
  g_assert_true (qm_session_handle_redirect (session, redirect, &error));
  g_assert_no_error (error);
  g_assert_true (qm_session_sign_in_finish (session, qm_test_wait_result (&res), &error));
  g_assert_no_error (error);
  qm_test_result_clear (&res);
  g_assert_true (qm_session_get_signed_in (session));
  g_assert_cmpuint (portal->opened_uris->len, ==, 1);
  qm_sandbox_stop (sandbox);
}

int
main (int   argc,
      char *argv[])
{
  /* As inside Flatpak; before anything asks GLib. */
  g_autofree char *data_dirs = NULL;

  g_setenv ("GTK_USE_PORTAL", "1", TRUE);
  /* GTK's icons need the system's MIME types; the isolated data dirs keep
   * every application away, as inside Flatpak, where no browser is. */
  data_dirs = qm_test_use_system_mime ();
  qm_test_init (&argc, &argv);

  g_test_add_func ("/portals/background", test_background);
  g_test_add_func ("/portals/background-missing", test_background_missing);
  g_test_add_func ("/portals/background-preferences", test_background_preferences);
  g_test_add_func ("/portals/open-uri", test_open_uri);
  return g_test_run ();
}
