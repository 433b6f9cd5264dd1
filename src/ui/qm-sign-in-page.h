/* qm-sign-in-page.h: the ways to sign in, progress while one runs, and what went wrong
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The buttons activate app.sign-in-bungie, app.sign-in-psn and
 * app.try-sandbox; Cancel activates app.cancel-sign-in.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QM_TYPE_SIGN_IN_PAGE (qm_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (QmSignInPage, qm_sign_in_page, QM, SIGN_IN_PAGE, AdwBin)

QmSignInPage *qm_sign_in_page_new           (void);
/* The ways to sign in. */
void          qm_sign_in_page_show_choices  (QmSignInPage *self);
/* A sign-in is running: a spinner, @title, @hint (nullable) and Cancel. */
void          qm_sign_in_page_show_progress (QmSignInPage *self,
                                             const char   *title,
                                             const char   *hint);
gboolean      qm_sign_in_page_get_busy      (QmSignInPage *self);
/* A sentence shown above the choices, e.g. why the last sign-in failed
 * (NULL: none). */
void          qm_sign_in_page_set_message   (QmSignInPage *self,
                                             const char   *message);
const char   *qm_sign_in_page_get_message   (QmSignInPage *self);
/* The progress title shown while busy (NULL otherwise). */
const char   *qm_sign_in_page_get_progress  (QmSignInPage *self);

G_END_DECLS
