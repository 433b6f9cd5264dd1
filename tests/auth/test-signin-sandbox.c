/* test-signin-sandbox.c: `quartermaster --sandbox`: every sign-in goes to the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application is run as the command line runs it, with --sandbox: the
 * steps run inside its main loop, driving it through its actions and the
 * dialogs it opens, as a user would. Any CRITICAL or WARNING fails them.
 */

#define G_LOG_DOMAIN "test-signin-sandbox"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "qm-application.h"
#include "qm-psn-dialog.h"
#include "qm-sandbox.h"
#include "qm-sign-in-page.h"
#include "qm-test-ui.h"
#include "qm-test-utils.h"
#include "qm-window.h"

#define WAIT_SECONDS 60

static QmApplication *app;

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static QmWindow *
get_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  for (GList *l = windows; l != NULL; l = l->next)
    if (QM_IS_WINDOW (l->data))
      return QM_WINDOW (l->data);
  g_assert_not_reached ();
}

static QmSession *
get_session (void)
{
  return qm_application_get_session (app);
}

static QmSignInPage *
get_page (void)
{
  return qm_window_get_sign_in_page (get_window ());
}

static gboolean
inventory_shown (gpointer data)
{
  return g_strcmp0 (qm_window_get_page (get_window ()), "inventory") == 0 &&
         qm_window_get_items (get_window ()) != NULL &&
         g_list_model_get_n_items (qm_window_get_items (get_window ())) > 0 &&
         qm_session_get_state (get_session ()) == QM_SESSION_STATE_READY;
}

static gboolean
message_shown (gpointer data)
{
  return !qm_sign_in_page_get_busy (get_page ()) && qm_sign_in_page_get_message (get_page ()) != NULL;
}

static gboolean
signed_out (gpointer data)
{
  return g_strcmp0 (qm_window_get_page (get_window ()), "signed-out") == 0 &&
         !qm_sign_in_page_get_busy (get_page ()) &&
         qm_session_get_state (get_session ()) == QM_SESSION_STATE_SIGNED_OUT;
}

/* The visible dialog of @type over the window, if any. */
static GtkWindow *
find_dialog (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_dialog (ADW_TYPE_MESSAGE_DIALOG) == NULL;
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

/* Click the dialog's button labelled @label, as a user would. */
static void
click (GtkWindow  *dialog,
       const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_until (no_message_dialog, NULL, "the dialog to close");
}

/* The sandbox in use: loopback, with the sandbox's API key. */
static void
assert_on_sandbox (void)
{
  const QmConfig *config = qm_session_get_config (get_session ());

  g_assert_true (qm_session_get_sandbox (get_session ()));
  g_assert_nonnull (config);
  g_assert_true (qm_origin_is_loopback (config->origin));
  g_assert_true (qm_origin_is_loopback (config->psn_origin));
  g_assert_cmpstr (config->api_key, ==, QM_SANDBOX_API_KEY);
}

/* "Sign Out", confirmed (or not) in its dialog. */
static void
sign_out (const char *button)
{
  AdwMessageDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  dialog = ADW_MESSAGE_DIALOG (find_dialog (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_false (QM_IS_PSN_DIALOG (dialog));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_true (adw_message_dialog_has_response (dialog, "sign-out"));
  /* Nothing is dropped before the answer. */
  g_assert_true (qm_session_get_signed_in (get_session ()));
  click (GTK_WINDOW (dialog), button);
}

static QmPsnDialog *
open_psn_dialog (void)
{
  QmPsnDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in-psn", NULL);
  dialog = QM_PSN_DIALOG (find_dialog (QM_TYPE_PSN_DIALOG));
  g_assert_nonnull (dialog);
  return dialog;
}

/* Fill the PSN dialog in and press Enter in the password field. */
static void
sign_in_psn (const char *user,
             const char *password)
{
  QmPsnDialog *dialog = open_psn_dialog ();
  GtkEditable *password_entry = qm_psn_dialog_get_password_entry (dialog);
  GtkEditable *text;

  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign-in") &&
                  *gtk_editable_get_text (password_entry) == '\0');
  gtk_editable_set_text (qm_psn_dialog_get_user_entry (dialog), user);
  gtk_editable_set_text (password_entry, password);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign-in"));
  gtk_widget_grab_focus (GTK_WIDGET (password_entry));
  /* What Enter does: the text widget inside the entry says "activate". */
  text = gtk_editable_get_delegate (password_entry);
  g_assert_true (GTK_IS_TEXT (text));
  g_object_ref (password_entry);
  g_signal_emit_by_name (text, "activate");
  wait_until (no_message_dialog, NULL, "the PSN dialog to close");
  /* The password is not left in the entry. */
  g_assert_cmpstr (gtk_editable_get_text (password_entry), ==, "");
  g_object_unref (password_entry);
  /* Whatever the entry's handlers still had queued. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_demo (void)
{
  wait_until (inventory_shown, NULL, "the demo account's inventory");
  assert_on_sandbox ();
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));
}

/* Sign Out asks first: cancelling keeps everything. */
static void
test_sign_out_cancelled (void)
{
  wait_until (inventory_shown, NULL, "the inventory");
  sign_out ("_Cancel");
  g_assert_true (qm_session_get_signed_in (get_session ()));
  g_assert_cmpstr (qm_window_get_page (get_window ()), ==, "inventory");
  g_assert_nonnull (qm_session_get_inventory (get_session ()));
}

/* After Sign Out, PSN goes to the sandbox: its answers, not "Could not
 * reach Bungie.net". Enter in the password field signs in, quietly. */
static void
test_psn_after_sign_out (void)
{
  const char *message;

  wait_until (inventory_shown, NULL, "the inventory");
  sign_out ("_Sign Out");
  wait_until (signed_out, NULL, "the sign-in page");
  g_assert_null (qm_window_get_client (get_window ()));

  sign_in_psn (QM_SANDBOX_DEMO_PSN_USER, "not the password");
  wait_until (message_shown, NULL, "the wrong-password message");
  message = qm_sign_in_page_get_message (get_page ());
  g_test_message ("The page says: %s", message);
  g_assert_nonnull (strstr (message, "password is wrong"));
  assert_on_sandbox ();

  sign_in_psn (QM_SANDBOX_DEMO_PSN_USER, QM_SANDBOX_DEMO_PSN_PASSWORD);
  wait_until (inventory_shown, NULL, "the inventory after the PSN sign-in");
  assert_on_sandbox ();
  g_assert_cmpint (qm_auth_manager_get_token (qm_session_get_auth_manager (get_session ()))->kind, ==,
                   QM_TOKEN_KIND_PSN_COOKIES);
}

/* The e-mail address is offered again; the password never is. */
static void
test_psn_keeps_email (void)
{
  QmPsnDialog *dialog = open_psn_dialog ();

  g_assert_cmpstr (gtk_editable_get_text (qm_psn_dialog_get_user_entry (dialog)), ==,
                   QM_SANDBOX_DEMO_PSN_USER);
  g_assert_cmpstr (gtk_editable_get_text (qm_psn_dialog_get_password_entry (dialog)), ==, "");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "sign-in"));
  click (GTK_WINDOW (dialog), "_Cancel");
}

/* The Bungie.net sign-in after Sign Out goes to the sandbox too. */
static void
test_oauth_after_sign_out (void)
{
  wait_until (inventory_shown, NULL, "the inventory");
  sign_out ("_Sign Out");
  wait_until (signed_out, NULL, "the sign-in page");
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in-bungie", NULL);
  wait_until (inventory_shown, NULL, "the inventory after the Bungie.net sign-in");
  assert_on_sandbox ();
  g_assert_cmpint (qm_auth_manager_get_token (qm_session_get_auth_manager (get_session ()))->kind, ==,
                   QM_TOKEN_KIND_OAUTH);
}

static gboolean
find_label (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, needle))
      return TRUE;
  return FALSE;
}

static void
test_about_trademark (void)
{
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_dialog (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (find_label (GTK_WIDGET (about), "Destiny is a trademark of Bungie"));
  g_assert_true (find_label (GTK_WIDGET (about), "not affiliated with"));
  gtk_window_destroy (about);
}

typedef struct
{
  const char *name;
  void      (*run) (void);
} Step;

static const Step steps[] = {
  { "demo", test_demo },
  { "sign-out-cancelled", test_sign_out_cancelled },
  { "psn-after-sign-out", test_psn_after_sign_out },
  { "psn-keeps-email", test_psn_keeps_email },
  { "oauth-after-sign-out", test_oauth_after_sign_out },
  { "about-trademark", test_about_trademark },
};

static gboolean
run_steps_cb (gpointer user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_test_message ("%s", steps[i].name);
      steps[i].run ();
    }
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* One test: the application runs once, as the command line runs it, and
 * the steps run inside its main loop, one after the other. GTK starts
 * inside the test, so that the directories it looks up are the test's. */
static void
test_sandbox_mode (void)
{
  char *app_argv[] = { (char *) "quartermaster", (char *) "--sandbox", NULL };

  if (!gtk_init_check ())
    {
      g_test_skip ("no display to open windows on");
      return;
    }
  adw_init ();

  app = g_object_new (QM_TYPE_APPLICATION,
                      "application-id", "io.github.quartermaster.Quartermaster.SandboxTest",
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", RESOURCE_BASE,
                      NULL);
  g_idle_add (run_steps_cb, NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (app_argv) - 1, app_argv),
                   ==, 0);
  g_clear_object (&app);
}

int
main (int   argc,
      char *argv[])
{

  g_free (qm_test_use_system_mime ());
  qm_test_init (&argc, &argv);
  /* Xûr away: no notification to send (there is no notification server). */
  g_setenv ("QM_SANDBOX_XUR_ABSENT", "1", TRUE);

  g_test_add_func ("/signin-sandbox/sandbox-mode", test_sandbox_mode);
  return g_test_run ();
}
