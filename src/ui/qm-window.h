/* qm-window.h: the main window: sign-in state, loading, errors and the inventory
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-inventory-view.h"
#include "qm-move-controller.h"
#include "qm-search-bar.h"
#include "qm-session.h"
#include "qm-xur-page.h"
#include "qm-sign-in-page.h"

G_BEGIN_DECLS

#define QM_TYPE_WINDOW (qm_window_get_type ())
G_DECLARE_FINAL_TYPE (QmWindow, qm_window, QM, WINDOW, AdwApplicationWindow)

/* Signals: "loaded" () after an inventory is shown, "load-failed" (const char
 * *message) when a load fails (the message is the one the window shows; not
 * for a failed automatic refresh, which keeps what is shown quietly),
 * "inventory-painted" () once the first frame showing an inventory is drawn.
 * Keyboard: Ctrl+F searches, Ctrl+R and F5 refresh. While the window is
 * focused, the inventory refreshes by itself now and then. */

/* @session (nullable: one of the window's own): the account shown, its
 * definitions and chosen membership (the "session" property). */
QmWindow       *qm_window_new               (GtkApplication *application,
                                             QmSession      *session);
QmSession      *qm_window_get_session       (QmWindow       *self);
QmMoveController *qm_window_get_move_controller (QmWindow     *self);
/* The panel that shows a run of moves as it goes (a QmMoveProgress), and
 * the toast with the last run's result (NULL once dismissed). After a run
 * that went through, the toast offers Undo ("win.undo-move"). A run that
 * ends while the window is not active also sends a desktop notification
 * (unless the "notify-moves" setting is off). */
GtkWidget      *qm_window_get_move_progress  (QmWindow      *self);
AdwToast       *qm_window_get_move_toast     (QmWindow      *self);
/* Load and show the inventory of the account @client is signed in to
 * (NULL: signed out). @account_name is shown under the title. */
void            qm_window_set_client        (QmWindow       *self,
                                             QmBungieClient *client,
                                             const char     *account_name);
QmBungieClient *qm_window_get_client        (QmWindow       *self);
/* Reload the inventory (the "win.refresh" action). */
void            qm_window_refresh           (QmWindow       *self);
/* Show the loading page while the account is being set up. */
void            qm_window_show_loading      (QmWindow       *self);
/* Show a failure that happened before anything could load. */
void            qm_window_show_error        (QmWindow       *self,
                                             const char     *message);
/* "signed-out", "loading", "error" or "inventory". */
const char     *qm_window_get_page          (QmWindow       *self);
/* The message on the error page (NULL when none was shown). */
const char     *qm_window_get_error_message (QmWindow       *self);
QmInventory    *qm_window_get_inventory     (QmWindow       *self);
/* The definitions the window loads items with (the session's). */
QmManifest     *qm_window_get_manifest      (QmWindow       *self);
/* The list of QmItem the inventory page shows, after the search (NULL
 * before a load). */
GListModel     *qm_window_get_items         (QmWindow       *self);
QmInventoryView *qm_window_get_inventory_view (QmWindow     *self);
QmSearchBar    *qm_window_get_search_bar    (QmWindow       *self);
/* The page shown while nobody is signed in ("signed-out"). */
QmSignInPage   *qm_window_get_sign_in_page  (QmWindow       *self);
/* Forget the account shown and show the sign-in page. */
void            qm_window_show_sign_in      (QmWindow       *self);
/* A passing note over whatever is shown. */
void            qm_window_show_toast        (QmWindow       *self,
                                             const char     *text);
/* Xûr's view, and which view shows: "inventory" or "xur". */
QmXurPage      *qm_window_get_xur_page      (QmWindow       *self);
void            qm_window_show_view         (QmWindow       *self,
                                             const char     *view);
const char     *qm_window_get_view          (QmWindow       *self);

G_END_DECLS
