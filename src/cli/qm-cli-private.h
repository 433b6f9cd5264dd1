/* qm-cli-private.h: what the commands of quartermaster-cli share
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command lives in a file of its own (qm-cli-COMMAND.c) and describes
 * itself with a QmCliCommand; qm-cli.c lists them in its table, parses the
 * options into a QmCli and hands it to the command chosen.
 */

#pragma once

#include <glib/gi18n.h>

#include "qm-auth-manager.h"
#include "qm-bungie-client.h"
#include "qm-inventory.h"
#include "qm-sandbox.h"

G_BEGIN_DECLS

#define QM_CLI_PROGRAM_NAME "quartermaster-cli"

enum {
  QM_CLI_EXIT_FAILED = 1,
  QM_CLI_EXIT_USAGE = 2,
};

/* The options only some commands take. */
typedef enum
{
  QM_CLI_OPTION_JSON       = 1 << 0,  /* --json */
  QM_CLI_OPTION_HTML       = 1 << 1,  /* --html FILE */
  QM_CLI_OPTION_MEMBERSHIP = 1 << 2,  /* --membership ID */
  QM_CLI_OPTION_LANGUAGE   = 1 << 3,  /* --language CODE */
  QM_CLI_OPTION_SIGN_IN    = 1 << 4,  /* --oauth, --psn, --user EMAIL */
} QmCliOptions;

typedef struct
{
  /* The options */
  gboolean        sandbox;
  char           *data_dir;   /* --sandbox=DIR */
  char           *origin;
  char           *record_path;
  gboolean        json;
  char           *html_path;  /* xur --html FILE */
  gboolean        oauth;
  gboolean        psn;
  char           *user;
  char           *membership; /* inventory, xur --membership ID */
  char           *language;   /* manifest --language CODE */

  /* What the command connected to */
  QmSandbox      *server;
  QmConfig       *config;
  QmTokenStore   *store;
  QmAuthManager  *auth;
  QmBungieClient *client;

  /* Waiting for one asynchronous call at a time */
  GMainLoop      *loop;
  GAsyncResult   *result;
} QmCli;

typedef struct
{
  const char   *name;
  /* One line for --help. */
  const char   *summary;
  /* Which of the options only some commands take this one takes. */
  QmCliOptions  options;
  /* More checks of the options, before anything is started; NULL: none. */
  gboolean    (*check) (QmCli   *cli,
                        GError **error);
  /* The exit status. */
  int         (*run)   (QmCli   *cli);
} QmCliCommand;

/* Errors: one line on standard error, the exit status returned. */
int         qm_cli_fail               (int           status,
                                       const char   *message);
int         qm_cli_fail_with          (int           status,
                                       const GError *error);
void        qm_cli_warn               (const char   *message);
gboolean    qm_cli_usage_error        (GError      **error,
                                       const char   *message);

/* Waiting: pass qm_cli_on_done_cb and @cli as the callback of an
 * asynchronous call, then qm_cli_wait() returns its result, which stays
 * valid until qm_cli_clear_result(). */
void          qm_cli_on_done_cb       (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data);
GAsyncResult *qm_cli_wait             (QmCli        *cli);
void          qm_cli_clear_result     (QmCli        *cli);

/* Connecting */
gboolean    qm_cli_prepare_auth       (QmCli         *cli,
                                       GError       **error);
gboolean    qm_cli_restore            (QmCli         *cli,
                                       GError       **error);
gboolean    qm_cli_connect_account    (QmCli         *cli,
                                       GError       **error);
gboolean    qm_cli_connect_content    (QmCli         *cli,
                                       GError       **error);
QmInventory *qm_cli_load_inventory    (QmCli         *cli,
                                       GError       **error);
QmToken    *qm_cli_sign_in_oauth      (QmCli         *cli,
                                       GError       **error);

/* Output */
gboolean    qm_cli_write_stdout       (const char    *text,
                                       GError       **error);
int         qm_cli_fail_output        (const GError  *error);
gboolean    qm_cli_write_json         (JsonNode      *root,
                                       GError       **error);
void        qm_cli_set_optional_string (JsonBuilder  *builder,
                                        const char   *name,
                                        const char   *value);
const char *qm_cli_token_kind_name    (const QmToken *token);
gboolean    qm_cli_has_text           (const char    *value);

G_END_DECLS
