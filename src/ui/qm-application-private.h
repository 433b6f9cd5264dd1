/* qm-application-private.h: what the application's files share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qm-application.h"
#include "qm-window.h"
#include "qm-postmaster-notifier.h"
#include "qm-xur-notifier.h"

G_BEGIN_DECLS

struct _QmApplication
{
  AdwApplication  parent_instance;

  /* --sandbox[=DIR]: every sign-in goes to the sandbox, started once. */
  gboolean        use_sandbox;
  char           *sandbox_dir;
  GObject        *sandbox;         /* QmSandbox (qm-application-sign-in.c) */
  char           *origin;

  GSettings      *settings;
  QmSession      *session;
  QmXurNotifier  *xur_notifier;
  QmPostmasterNotifier *postmaster_notifier;
  gboolean        xur_check;

  /* The browser's stand-in for the Bungie.net sign-in page (tests). */
  QmUriLauncher   launcher;
  gpointer        launcher_data;
  GDestroyNotify  launcher_destroy;

  /* QM_TEST_QUIT_AFTER_LOAD_MS: quit this long after the first load (0: never). */
  guint           test_quit_ms;
  gboolean        test_reported;
  guint           test_quit_id;
};

/* qm-application.c */
QmWindow *_qm_application_get_window          (QmApplication *self);
/* Test mode (QM_TEST_QUIT_AFTER_LOAD_MS): say what happened on stdout once,
 * then quit after a while. */
void      _qm_application_test_report         (QmApplication *self,
                                               const char    *line);

/* qm-application-sign-in.c: the sign-in actions, the sandbox mode, and what
 * the window shows of the session. */
void      _qm_application_add_sign_in_actions (QmApplication *self);
void      _qm_application_watch_session       (QmApplication *self);
/* A new window: the sandbox's demo account, the account signed in, or the
 * one kept in the keyring. */
void      _qm_application_show_account        (QmApplication *self,
                                               QmWindow      *window);
/* Without a window (--xur-check): FALSE when no sign-in can start. */
gboolean  _qm_application_sign_in_quietly     (QmApplication *self);
/* A quartermaster:// URI from the desktop. */
void      _qm_application_handle_redirect     (QmApplication *self,
                                               const char    *uri);
void      _qm_application_stop_sandbox        (QmApplication *self);

/* qm-application-actions.c: refresh, show-view, move-item, pull-postmaster
 * and the rest that other programs call (gapplication action). */
void      _qm_application_add_desktop_actions (QmApplication *self);
/* A notification that says why an action was not done. */
void      _qm_application_notify_refused      (QmApplication *self,
                                               const char    *title,
                                               const char    *reason);
/* Plan and run @requests on the account's move queue; refusals and
 * failures are told in a notification. */
void      _qm_application_run_moves           (QmApplication       *self,
                                               const QmMoveRequest *requests,
                                               guint                n_requests);

G_END_DECLS
