/* qm-test-utils.h: helpers shared by the test programs
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-bungie-client.h"
#include "qm-sandbox.h"
#include "qm-sandbox-world.h"

G_BEGIN_DECLS

/* g_test_init with G_TEST_OPTION_ISOLATE_DIRS and the test environment. */
void            qm_test_init               (int          *argc,
                                            char       ***argv);
/* Spin the default main context until *done is TRUE (fails after @timeout_s seconds). */
void            qm_test_wait               (gboolean     *done,
                                            guint         timeout_s);
/* Spin until an async call hands back its result: use qm_test_result_cb as the
 * callback with a QmTestResult as user data. */
typedef struct
{
  GAsyncResult *result;
} QmTestResult;
void            qm_test_result_cb          (GObject      *source,
                                            GAsyncResult *result,
                                            gpointer      user_data);
GAsyncResult   *qm_test_wait_result        (QmTestResult *res);   /* borrowed; cleared by qm_test_result_clear */
void            qm_test_result_clear       (QmTestResult *res);
/* A started in-process sandbox with the demo account (seed 0) and a client
 * signed in to it. @options may be NULL. */
QmSandbox      *qm_test_sandbox_new        (const QmSandboxOptions *options);
QmBungieClient *qm_test_client_new         (QmSandbox    *sandbox,
                                            gboolean      signed_in);
/* Path of a file in tests/fixtures/. */
char           *qm_test_fixture_path       (const char   *name);
GBytes         *qm_test_load_fixture       (const char   *name);
/* Check @path against Bungie's spec with tests/contract/qm-contract-check: a
 * recording, or with @definition_table a definition table. Returns TRUE when
 * it conforms; @output (nullable) receives what the checker printed. */
gboolean        qm_test_contract_check     (const char   *path,
                                            const char   *definition_table,
                                            char        **output);

void          qm_test_add_bucket_definition (QmSandboxWorld *world,
                                             guint32         hash,
                                             guint32         like,
                                             const char     *name);

G_END_DECLS
