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
#include "qm-loadout-store.h"
#include "qm-move-planner.h"
#include "qm-sandbox.h"
#include "qm-session.h"

G_BEGIN_DECLS

#define QM_CLI_PROGRAM_NAME "quartermaster-cli"

enum {
  QM_CLI_EXIT_FAILED = 1,
  QM_CLI_EXIT_USAGE = 2,
  /* The output is printed but incomplete: Bungie withheld components for
   * privacy. Not 0, so a script does not take an empty vault for a real
   * one; not 1, since what is printed is right. */
  QM_CLI_EXIT_WITHHELD = 3,
};

/* The options only some commands take. */
typedef enum
{
  QM_CLI_OPTION_JSON       = 1 << 0,  /* --json */
  QM_CLI_OPTION_HTML       = 1 << 1,  /* --html FILE */
  QM_CLI_OPTION_MEMBERSHIP = 1 << 2,  /* --membership ID */
  QM_CLI_OPTION_LANGUAGE   = 1 << 3,  /* --language CODE */
  QM_CLI_OPTION_SIGN_IN    = 1 << 4,  /* --oauth, --psn, --user EMAIL */
  QM_CLI_OPTION_ITEM       = 1 << 5,  /* an INSTANCE_ID argument, --dry-run */
  QM_CLI_OPTION_TO         = 1 << 6,  /* --to vault|CHARACTER_ID, --equip, --amount N */
  QM_CLI_OPTION_CHARACTER  = 1 << 7,  /* --character ID */
  QM_CLI_OPTION_IDENTIFIERS = 1 << 8, /* --name HASH, --color HASH, --icon HASH */
  QM_CLI_OPTION_DRY_RUN    = 1 << 9,  /* --dry-run without an INSTANCE_ID */
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
  char           *item_id;    /* move, equip, lock, unlock, pull: INSTANCE_ID */
  char           *to;         /* move --to vault|CHARACTER_ID */
  gboolean        equip;      /* move --equip */
  int             amount;     /* move --amount N (0: all) */
  char           *character;  /* equip --character ID */
  gboolean        dry_run;    /* --dry-run */
  char           *name_hash;  /* loadout-snapshot --name HASH */
  char           *color_hash; /* loadout-snapshot --color HASH */
  char           *icon_hash;  /* loadout-snapshot --icon HASH */
  /* The command's own arguments after its name (QmCliCommand.arguments). */
  char          **arguments;

  /* What the command connected to: the account is the session's, as in
   * the app; @client is its client, or one with the API key only. */
  QmSandbox      *server;
  QmConfig       *config;
  QmSession      *session;
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
  /* Its arguments after the name, for the messages ("CHARACTER_ID INDEX"),
   * and how many it takes; 0 for none (or the INSTANCE_ID of the item
   * commands, QM_CLI_OPTION_ITEM). */
  const char   *arguments;
  guint         n_arguments;
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
gboolean    qm_cli_sign_in_oauth      (QmCli         *cli,
                                       GError       **error);

/* Moving items (qm-cli-move.c): load the account, build the request with
 * @build over the account as the planner sees it, print the plan, run it
 * unless --dry-run, print the result. The exit status. */
typedef gboolean (*QmCliMoveBuilder) (QmCli             *cli,
                                      const QmMoveState *state,
                                      QmMoveRequest     *request,
                                      GError           **error);
int         qm_cli_run_move           (QmCli            *cli,
                                       QmCliMoveBuilder  build);
/* The index of INSTANCE_ID's item in @state, or -1 with an error. */
int         qm_cli_find_item          (const QmMoveState *state,
                                       const char        *item_id,
                                       GError           **error);

/* The saved loadouts of the account connected (qm-cli-loadout-save.c):
 * NULL with an error when the file is damaged. */
QmLoadoutStore *qm_cli_open_loadouts  (QmCli         *cli,
                                       GError       **error);
/* CHARACTER_ID's index in @state, or -1 with an error. */
int         qm_cli_find_character     (const QmMoveState *state,
                                       const char        *character_id,
                                       GError           **error);

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

/* In-game loadouts (qm-cli-loadouts.c) */
typedef struct _QmLoadouts QmLoadouts;
QmLoadouts *qm_cli_load_loadouts      (QmCli         *cli,
                                       GError       **error);
gboolean    qm_cli_parse_slot         (QmCli         *cli,
                                       const char   **character_id,
                                       int           *index,
                                       GError       **error);
int         qm_cli_finish_loadout_action (QmCli      *cli,
                                       QmLoadouts    *loadouts,
                                       const char    *notice,
                                       const GError  *failure);

G_END_DECLS
