/* qm-psn-dialog.h: the PlayStation Network sign-in's e-mail and password
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QM_TYPE_PSN_DIALOG (qm_psn_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QmPsnDialog, qm_psn_dialog, QM, PSN_DIALOG, AdwMessageDialog)

/* Signal "sign-in" (const char *user, const char *password): "Sign In" was
 * chosen (or Enter pressed with both fields filled). The password is wiped
 * from the entry right after the signal. */

/* @user (nullable): the e-mail address to offer, e.g. the last one used. */
QmPsnDialog *qm_psn_dialog_new                (GtkWindow   *parent,
                                               const char  *user);
GtkEditable *qm_psn_dialog_get_user_entry     (QmPsnDialog *self);
GtkEditable *qm_psn_dialog_get_password_entry (QmPsnDialog *self);

G_END_DECLS
