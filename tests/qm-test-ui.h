/* qm-test-ui.h: what the tests that open windows share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qm-test-utils.h"

G_BEGIN_DECLS

/* GTK and libadwaita, started inside the first test that needs them (the
 * directories they look up then belong to the isolated test environment).
 * FALSE, with the test skipped, when there is no display. */
gboolean        qm_test_require_display    (void);
#define QM_TEST_REQUIRE_DISPLAY()            \
  G_STMT_START {                             \
    if (!qm_test_require_display ())         \
      return;                                \
  } G_STMT_END
/* The app's style sheet on the display, as AdwApplication loads it. */
void            qm_test_load_app_style     (void);
/* Destroy @window and run what that leaves pending. */
void            qm_test_close_window       (GtkWindow    *window);
/* The app's settings; NULL, with the test skipped, when the schema is not
 * compiled (GSETTINGS_SCHEMA_DIR). */
GSettings      *qm_test_settings_new_or_skip (void);
/* Icons are recognised through the system's MIME database, which the
 * isolated test directories would hide: point GIO at the system's MIME
 * directories. Call before qm_test_init(). Returns the system's data
 * directories (XDG_DATA_DIRS, or the default), for programs the test runs. */
char           *qm_test_use_system_mime    (void);

G_END_DECLS
