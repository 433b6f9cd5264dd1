/* qm-test-utils.h: helpers shared by the test programs
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "qm-bungie-client.h"
#include "qm-profile.h"
#include "qm-sandbox.h"
#include "qm-sandbox-world.h"

G_BEGIN_DECLS

/* g_test_init with G_TEST_OPTION_ISOLATE_DIRS and the test environment. */
void            qm_test_init               (int          *argc,
                                            char       ***argv);
/* Spin the default main context until *done is TRUE (fails after @timeout_s seconds). */
void            qm_test_wait               (gboolean     *done,
                                            guint         timeout_s);
/* Spin the default main context until @condition (@data) holds; fails after
 * @timeout_s seconds, naming @what. */
void            qm_test_wait_until         (gboolean    (*condition) (gpointer data),
                                            gpointer      data,
                                            guint         timeout_s,
                                            const char   *what);
/* Run the default main context for @ms milliseconds (frames, idle callbacks). */
void            qm_test_spin               (guint         ms);
/* A GSourceFunc that sets the gboolean @flag points to and removes itself:
 * g_timeout_add (ms, qm_test_flag_cb, &timed_out). */
gboolean        qm_test_flag_cb            (gpointer      flag);
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
/* A session for raw requests to a sandbox on loopback (no proxy). */
SoupSession    *qm_test_soup_session_new   (void);
/* From now on, every message logged (debug included: its domain and text,
 * one line each) is appended to the string returned, for tests that look
 * for secrets in the log; debug and info messages are not printed. The
 * string stays until the program exits. */
GString        *qm_test_capture_log        (void);
/* Path of a file in tests/fixtures/. */
char           *qm_test_fixture_path       (const char   *name);
GBytes         *qm_test_load_fixture       (const char   *name);
/* A fixture parsed as JSON. */
JsonNode       *qm_test_load_json_fixture  (const char   *name);
/* Check @path against Bungie's spec with tests/contract/qm-contract-check: a
 * recording, or with @definition_table a definition table. Returns TRUE when
 * it conforms; @output (nullable) receives what the checker printed. */
gboolean        qm_test_contract_check     (const char   *path,
                                            const char   *definition_table,
                                            char        **output);

/* The account's items as one sorted text, a line each: every instance with
 * where it is, whose and its lock; every stack's total per place. Two
 * profiles with the same signature show the same account. */
char           *qm_test_profile_signature  (QmProfile    *profile);
/* What no move may change: the sorted instance ids, then each uninstanced
 * item's total over the whole account. */
char           *qm_test_profile_holdings   (QmProfile    *profile);
/* The sandbox's current profile (every component), parsed. */
QmProfile      *qm_test_sandbox_profile    (QmSandbox    *sandbox);
char           *qm_test_sandbox_signature  (QmSandbox    *sandbox);
char           *qm_test_sandbox_holdings   (QmSandbox    *sandbox);

void          qm_test_add_bucket_definition (QmSandboxWorld *world,
                                             guint32         hash,
                                             guint32         like,
                                             const char     *name);
/* Write @node to @dir/@name (@dir NULL: @name is the path), making the
 * directories on the way. */
void            qm_test_write_json         (const char   *dir,
                                            const char   *name,
                                            JsonNode     *node);
/* Remove @path and, for a directory, everything below it. */
void            qm_test_remove_tree        (const char   *path);
/* @text (one JSON document and a newline, as the CLI prints it) parsed:
 * its object, owned by *@root. */
JsonObject     *qm_test_parse_document     (const char   *text,
                                            JsonNode    **root);

/* Programs the tests run */

/* What a program run by qm_test_run() did. */
typedef struct
{
  char *out;      /* its standard output ("" when none) */
  char *err;      /* its standard error ("" when none) */
  int   status;   /* the exit code; -1 when a signal ended it */
} QmTestRun;
void            qm_test_run_clear          (QmTestRun    *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QmTestRun, qm_test_run_clear)

/* The program built as src/@dir/@name (@dir NULL: src/@name) under QM_BUILD_ROOT. */
char           *qm_test_build_path         (const char   *dir,
                                            const char   *name);
/* Our environment for the programs a test runs. Their leaks are still
 * checked, with ASan's fast unwinder: the slow one makes each run about ten
 * times slower. */
char          **qm_test_child_environ      (void);
/* @envp with LeakSanitizer options for a GTK program a test runs: the
 * project's suppressions plus GTK 4.8's lost icon names (a direct leak inside
 * gtk_icon_theme_lookup_icon). */
char          **qm_test_environ_gtk_lsan   (char        **envp);
/* Run @argv (NULL-terminated) in @envp (NULL: qm_test_child_environ()) with
 * @input on its standard input (NULL: nothing), while the default main
 * context runs: an in-process sandbox keeps answering. */
void            qm_test_run                (QmTestRun           *run,
                                            const char * const  *argv,
                                            char               **envp,
                                            const char          *input);
/* Run the built quartermaster-cli with the NULL-terminated arguments after
 * @first, the same way. */
void            qm_test_run_cli            (QmTestRun    *run,
                                            char        **envp,
                                            const char   *input,
                                            const char   *first,
                                            ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
