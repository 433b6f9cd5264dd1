/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "quartermaster"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(QmApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = qm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
