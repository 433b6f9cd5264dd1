/* test-signin-app.c: signing in and out through the app, against the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One QmApplication for the whole program, configured for an in-process
 * sandbox through the environment as a user would (QM_ORIGIN, QM_API_KEY,
 * …). The browser is replaced by a launcher that records the authorize URI;
 * the test approves that page itself and hands the redirect to the app
 * through g_application_open(), as the desktop does.
 */

#define G_LOG_DOMAIN "test-signin-app"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "qm-application.h"
#include "qm-auth-manager.h"
#include "qm-psn-dialog.h"
#include "qm-sandbox-approve.h"
#include "qm-sign-in-page.h"
#include "qm-test-ui.h"
#include "qm-profile-cache.h"
#include "qm-window.h"

#define WAIT_SECONDS 60

static QmSandbox *sandbox;
static QmApplication *app;
static char *launched_uri;

static void start_app (void);

/* GTK and the app start inside the first test: the directories they look up
 * then belong to the isolated test environment. */
static gboolean
require_display (void)
{
  static gboolean started;

  if (!qm_test_require_display ())
    return FALSE;
  if (!started)
    {
      started = TRUE;
      start_app ();
    }
  return TRUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Spin the main loop until @condition holds. */
static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  qm_test_wait_until (condition, data, WAIT_SECONDS, what);
}

static void
record_uri_launcher (QmOAuth2Flow *flow,
                     const char   *uri,
                     gpointer      user_data)
{
  g_free (launched_uri);
  launched_uri = g_strdup (uri);
}

static QmWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (QM_IS_WINDOW (window));
  return QM_WINDOW (window);
}

static QmSignInPage *
get_page (void)
{
  return qm_window_get_sign_in_page (get_window ());
}

static gboolean
page_is (gpointer name)
{
  return g_strcmp0 (qm_window_get_page (get_window ()), name) == 0;
}

static gboolean
sign_in_page_idle (gpointer data)
{
  return page_is ((gpointer) "signed-out") && !qm_sign_in_page_get_busy (get_page ());
}

static gboolean
uri_launched (gpointer data)
{
  return launched_uri != NULL;
}

static gboolean
message_shown (gpointer data)
{
  return !qm_sign_in_page_get_busy (get_page ()) && qm_sign_in_page_get_message (get_page ()) != NULL;
}

static gboolean
auth_state_is (gpointer state)
{
  QmAuthManager *auth = qm_session_get_auth_manager (qm_application_get_session (app));

  return auth != NULL && qm_auth_manager_get_state (auth) == (QmAuthState) GPOINTER_TO_INT (state);
}

static gboolean
action_enabled (const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (app), name);
}

static void
on_loaded_cb (QmWindow *window,
              gboolean *loaded)
{
  *loaded = TRUE;
}

static gboolean
flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/* The app signed in and showing the demo account's inventory. */
static void
wait_for_inventory (void)
{
  gboolean loaded = FALSE;
  gulong id = g_signal_connect (get_window (), "loaded", G_CALLBACK (on_loaded_cb), &loaded);

  wait_until (flag_set, &loaded, "the inventory");
  g_signal_handler_disconnect (get_window (), id);
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "inventory");
  g_assert_cmpuint (g_list_model_get_n_items (qm_window_get_items (get_window ())), >, 0);
  g_assert_true (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)));
  g_assert_true (action_enabled ("sign-out"));
}

static void
on_approved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **redirect = user_data;
  g_autoptr(GError) error = NULL;

  *redirect = qm_sandbox_approve_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
string_set (gpointer slot)
{
  return *(char **) slot != NULL;
}

/* Start "Sign in with Bungie.net" and approve the page the browser would
 * have shown: the redirect Bungie.net then sends. */
static char *
start_and_approve (void)
{
  char *redirect = NULL;

  g_clear_pointer (&launched_uri, g_free);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in-bungie", NULL);
  g_assert_true (qm_sign_in_page_get_busy (get_page ()));
  g_assert_cmpstr (qm_sign_in_page_get_progress (get_page ()), ==, "Waiting for the browser…");
  g_assert_true (action_enabled ("cancel-sign-in"));
  wait_until (uri_launched, NULL, "the authorize page to be opened");
  g_assert_true (g_str_has_prefix (launched_uri, qm_sandbox_get_bungie_origin (sandbox)));

  qm_sandbox_approve_async (launched_uri, TRUE, NULL, on_approved_cb, &redirect);
  wait_until (string_set, &redirect, "the approval");
  g_assert_true (g_str_has_prefix (redirect, "quartermaster://oauth-callback?"));
  return redirect;
}

/* What the desktop does with a quartermaster:// URI: GApplication::open. */
static void
open_uri (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  g_application_open (G_APPLICATION (app), &file, 1, "");
}

/* @redirect with another state. */
static char *
forge_state (const char *redirect)
{
  const char *state = strstr (redirect, "state=");
  const char *rest;

  g_assert_nonnull (state);
  rest = strchr (state, '&');
  return g_strdup_printf ("%.*sstate=forged-state%s", (int) (state - redirect), redirect,
                          rest != NULL ? rest : "");
}

static void
test_signed_out_page (void)
{
  const char *actions[] = { "app.sign-in-bungie", "app.sign-in-psn", "app.try-sandbox" };

  if (!require_display ())
    return;

  wait_until (sign_in_page_idle, NULL, "the sign-in page");
  g_assert_true (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_OUT)));
  g_assert_false (action_enabled ("sign-out"));
  g_assert_false (action_enabled ("cancel-sign-in"));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gboolean found = FALSE;
      GtkWidget *widget = GTK_WIDGET (get_page ());
      g_autoptr(GPtrArray) stack = g_ptr_array_new ();

      /* Depth-first through the page for a visible button with the action. */
      g_ptr_array_add (stack, widget);
      while (stack->len > 0 && !found)
        {
          widget = g_ptr_array_steal_index (stack, stack->len - 1);
          if (GTK_IS_BUTTON (widget) &&
              g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), actions[i]) == 0)
            found = gtk_widget_is_visible (widget);
          for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
            g_ptr_array_add (stack, c);
        }
      g_assert_true (found);
    }
}

static void
test_state_mismatch (void)
{
  g_autofree char *redirect = NULL;
  g_autofree char *forged = NULL;
  const char *message;

  if (!require_display ())
    return;

  redirect = start_and_approve ();
  forged = forge_state (redirect);
  open_uri (forged);
  wait_until (message_shown, NULL, "the mismatch message");
  message = qm_sign_in_page_get_message (get_page ());
  g_test_message ("The page says: %s", message);
  g_assert_nonnull (strstr (message, "does not match"));
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "signed-out");
  g_assert_false (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)));

  /* The genuine answer, now that no sign-in waits for it, is refused too. */
  qm_sign_in_page_set_message (get_page (), NULL);
  open_uri (redirect);
  wait_until (message_shown, NULL, "the refusal");
  g_assert_nonnull (strstr (qm_sign_in_page_get_message (get_page ()), "does not match"));
  g_assert_false (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)));
}

/* @redirect with a code Bungie.net never issued, and its own state. */
static char *
forge_code (const char *redirect)
{
  const char *code = strstr (redirect, "code=");
  const char *rest;

  g_assert_nonnull (code);
  rest = strchr (code, '&');
  return g_strdup_printf ("%.*scode=not-a-code%s", (int) (code - redirect), redirect,
                          rest != NULL ? rest : "");
}

/* The right state with a code Bungie.net refuses: the page says the sign-in
 * was refused, not that it expired. */
static void
test_refused_code (void)
{
  g_autofree char *redirect = NULL;
  g_autofree char *forged = NULL;
  const char *message;

  if (!require_display ())
    return;

  qm_sign_in_page_set_message (get_page (), NULL);
  redirect = start_and_approve ();
  forged = forge_code (redirect);
  open_uri (forged);
  wait_until (message_shown, NULL, "the refusal");
  message = qm_sign_in_page_get_message (get_page ());
  g_test_message ("The page says: %s", message);
  g_assert_cmpstr (message, ==, "Bungie.net refused the sign-in: it did not accept the sign-in "
                   "code. Start the sign-in again.");
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "signed-out");
  g_assert_false (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)));
  g_assert_false (qm_sign_in_page_get_busy (get_page ()));
}

static void
test_cancel (void)
{
  g_autofree char *redirect = NULL;

  if (!require_display ())
    return;

  redirect = start_and_approve ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "cancel-sign-in", NULL);
  g_assert_false (qm_sign_in_page_get_busy (get_page ()));
  g_assert_null (qm_sign_in_page_get_message (get_page ()));
  g_assert_false (action_enabled ("cancel-sign-in"));
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "signed-out");
}

static void
test_oauth_sign_in (void)
{
  g_autofree char *redirect = NULL;

  if (!require_display ())
    return;

  redirect = start_and_approve ();
  open_uri (redirect);
  wait_for_inventory ();
  g_assert_false (action_enabled ("cancel-sign-in"));
  g_assert_false (qm_sign_in_page_get_busy (get_page ()));
}

static gboolean
signed_out_with_message (gpointer data)
{
  return page_is ((gpointer) "signed-out") && qm_sign_in_page_get_message (get_page ()) != NULL;
}

/* The refresh token expired mid-session: back to the sign-in page, saying so. */
static void
test_refresh_expired (void)
{
  if (!require_display ())
    return;
  if (!page_is ((gpointer) "inventory"))
    {
      g_test_skip ("needs the sign-in of /signin-app/oauth");
      return;
    }

  g_assert_true (qm_sandbox_set_faults (sandbox, "refresh-expired,endpoint=Token", NULL));
  qm_sandbox_expire_access_tokens (sandbox);
  qm_window_refresh (get_window ());
  wait_until (signed_out_with_message, NULL, "the sign-in page after the expiry");
  g_test_message ("The page says: %s", qm_sign_in_page_get_message (get_page ()));
  g_assert_nonnull (strstr (qm_sign_in_page_get_message (get_page ()), "expired"));
  g_assert_false (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)));
  g_assert_true (qm_sandbox_set_faults (sandbox, "", NULL));
}

static AdwMessageDialog *
find_psn_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child, label);

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* "Sign Out", confirmed in the dialog it opens. */
static void
sign_out (void)
{
  AdwMessageDialog *dialog;
  GtkWidget *button;

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  dialog = find_psn_dialog ();
  g_assert_nonnull (dialog);
  button = find_button (GTK_WIDGET (dialog), "_Sign Out");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
psn_dialog_gone (gpointer data)
{
  return find_psn_dialog () == NULL;
}

/* Fill the PSN dialog in and press "Sign In". */
static void
sign_in_psn (const char *user,
             const char *password)
{
  AdwMessageDialog *dialog;
  GtkEditable *user_entry;
  GtkEditable *password_entry;

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in-psn", NULL);
  dialog = find_psn_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (QM_IS_PSN_DIALOG (dialog));
  user_entry = qm_psn_dialog_get_user_entry (QM_PSN_DIALOG (dialog));
  password_entry = qm_psn_dialog_get_password_entry (QM_PSN_DIALOG (dialog));
  g_assert_true (GTK_IS_EDITABLE (user_entry));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (password_entry));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "sign-in"));
  gtk_editable_set_text (user_entry, user);
  gtk_editable_set_text (password_entry, password);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "sign-in"));
  /* Enter in the password field activates the default response's button. */
  g_assert_nonnull (gtk_window_get_default_widget (GTK_WINDOW (dialog)));
  g_assert_true (gtk_widget_activate (gtk_window_get_default_widget (GTK_WINDOW (dialog))));
  g_object_ref (password_entry);
  wait_until (psn_dialog_gone, NULL, "the dialog to close");
  /* The password is not left in the entry. */
  g_assert_cmpstr (gtk_editable_get_text (password_entry), ==, "");
  g_object_unref (password_entry);
}

static void
test_sign_out (void)
{
  g_autofree char *membership_id = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (!require_display ())
    return;
  if (!auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)))
    {
      g_autofree char *redirect = start_and_approve ();

      open_uri (redirect);
      wait_for_inventory ();
    }

  /* The inventory shown was saved for the next start... */
  membership_id = g_strdup (qm_profile_get_membership_id (
    qm_inventory_get_profile (qm_window_get_inventory (get_window ()))));
  saved = qm_profile_cache_get_path (membership_id);
  g_assert_true (g_file_test (saved, G_FILE_TEST_EXISTS));
  settings = g_settings_new ("io.github.quartermaster.Quartermaster");
  shown = g_settings_get_string (settings, "shown-membership-id");
  g_assert_cmpstr (shown, ==, membership_id);

  sign_out ();
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "signed-out");
  wait_until (auth_state_is, GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_OUT), "the sign-out");
  g_assert_false (action_enabled ("sign-out"));
  g_assert_null (qm_window_get_client (get_window ()));
  /* ...and goes with the account. */
  g_assert_false (g_file_test (saved, G_FILE_TEST_EXISTS));
  g_free (shown);
  shown = g_settings_get_string (settings, "shown-membership-id");
  g_assert_cmpstr (shown, ==, "");
}

static void
test_psn (void)
{
  const char *message;

  if (!require_display ())
    return;
  if (auth_state_is (GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_IN)))
    sign_out ();
  wait_until (sign_in_page_idle, NULL, "the sign-in page");

  sign_in_psn (QM_SANDBOX_DEMO_PSN_USER, "not the password");
  wait_until (message_shown, NULL, "the wrong-password message");
  message = qm_sign_in_page_get_message (get_page ());
  g_test_message ("The page says: %s", message);
  g_assert_nonnull (strstr (message, "password is wrong"));

  sign_in_psn (QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD);
  wait_for_inventory ();
  g_assert_cmpint (qm_auth_manager_get_token (qm_session_get_auth_manager (qm_application_get_session (app)))->kind, ==,
                   QM_TOKEN_KIND_PSN_COOKIES);

  sign_out ();
  wait_until (auth_state_is, GINT_TO_POINTER (QM_AUTH_STATE_SIGNED_OUT), "the sign-out");
}

/* The app pointed at the sandbox the way a user would point it at their own
 * Bungie application: through the environment. */
static void
start_app (void)
{
  g_autoptr(GError) error = NULL;

  sandbox = qm_test_sandbox_new (NULL);
  g_setenv ("QM_ORIGIN", qm_sandbox_get_bungie_origin (sandbox), TRUE);
  g_setenv ("QM_PSN_ORIGIN", qm_sandbox_get_psn_origin (sandbox), TRUE);
  g_setenv ("QM_API_KEY", QM_SANDBOX_API_KEY, TRUE);
  g_setenv ("QM_OAUTH_CLIENT_ID", QM_SANDBOX_CLIENT_ID, TRUE);
  g_setenv ("QM_OAUTH_CLIENT_SECRET", QM_SANDBOX_CLIENT_SECRET, TRUE);

  app = g_object_new (QM_TYPE_APPLICATION,
                      "application-id", "io.github.quartermaster.Quartermaster.SignInTest",
                      "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  qm_application_set_uri_launcher (app, record_uri_launcher, NULL, NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
}

static void
stop_app (void)
{
  g_autoptr(GList) windows = NULL;

  if (app == NULL)
    return;
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&app);
  qm_sandbox_stop (sandbox);
  g_clear_object (&sandbox);
  g_clear_pointer (&launched_uri, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);

  g_test_add_func ("/signin-app/signed-out-page", test_signed_out_page);
  g_test_add_func ("/signin-app/state-mismatch", test_state_mismatch);
  g_test_add_func ("/signin-app/refused-code", test_refused_code);
  g_test_add_func ("/signin-app/cancel", test_cancel);
  g_test_add_func ("/signin-app/oauth", test_oauth_sign_in);
  g_test_add_func ("/signin-app/refresh-expired", test_refresh_expired);
  g_test_add_func ("/signin-app/sign-out", test_sign_out);
  g_test_add_func ("/signin-app/psn", test_psn);

  status = g_test_run ();
  stop_app ();
  return status;
}
