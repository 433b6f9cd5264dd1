/* qm-sandbox.h: a faithful fake of Bungie.net and the PSN sign-in on loopback
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qm-config.h"

G_BEGIN_DECLS

#define QM_TYPE_SANDBOX (qm_sandbox_get_type ())
G_DECLARE_FINAL_TYPE (QmSandbox, qm_sandbox, QM, SANDBOX, GObject)

/* Where a character is, for the "equip only in orbit" rule. */
typedef enum
{
  QM_SANDBOX_LOCATION_ORBIT,      /* orbit or a social space: equips allowed */
  QM_SANDBOX_LOCATION_ACTIVITY,   /* in an activity: 1671 DestinyCannotPerformActionAtThisLocation */
  QM_SANDBOX_LOCATION_NOT_IN_TOWER, /* legacy answer: 1634 DestinyCharacterNotInTower */
} QmSandboxLocation;

typedef struct
{
  guint64     seed;                /* demo account seed (0 = the default account) */
  const char *data_dir;            /* serve recorded data from here instead of the demo account */
  guint       port;                /* 0 = any free port */
  const char *record_path;         /* append each exchange as a JSON line here */
  const char *faults;              /* fault spec, see qm_sandbox_set_faults() */
  guint       n_items;             /* grow the item definition table to this many entries */
  guint       profile_items;       /* grow the demo profile to this many items (0: as built;
                                    * at most QM_SANDBOX_MAX_PROFILE_ITEMS) */
  gboolean    xur_absent;          /* Xûr is not at the tower this week */
  gboolean    gzip_content;        /* gzip the definition tables for clients that accept it */
  double      profile_cache_delay; /* seconds GetProfile answers stay cached (Bungie: ~30-60) */
  int         throttle_seconds;    /* ThrottleSeconds when a client is too fast (0 = 10) */
  gboolean    no_action_throttle;  /* do not enforce per-action spacing */
} QmSandboxOptions;

/* Items a grown demo profile always has room for: its buckets (vault 700,
 * ten per character slot) hold a few more. */
#define QM_SANDBOX_MAX_PROFILE_ITEMS 1100

/* The demo account's credentials, documented in the README. */
#define QM_SANDBOX_DEMO_PSN_USER     "guardian@example.com"
#define QM_SANDBOX_DEMO_PSN_PASSWORD "sandbox-demo"
#define QM_SANDBOX_API_KEY           "sandbox-api-key"
#define QM_SANDBOX_CLIENT_ID         "40000"
#define QM_SANDBOX_CLIENT_SECRET     "sandbox-client-secret"
/* The redirect URL registered for QM_SANDBOX_CLIENT_ID. */
#define QM_SANDBOX_REDIRECT_URI      "quartermaster://oauth-callback"
/* The PSN sign-in's own OAuth client, as Bungie.net uses it. */
#define QM_SANDBOX_PSN_CLIENT_ID     "bungie-psn"

QmSandbox  *qm_sandbox_new                   (const QmSandboxOptions *options,
                                              GError                **error);
/*
 * The sandbox as the app and the CLI use it: created from @options (NULL:
 * the demo account), started, and with @config (optional) set to what talks
 * to it: its Bungie.net and PSN origins, API key and OAuth client. Free the
 * config with qm_config_free(); stop the sandbox with qm_sandbox_stop().
 */
QmSandbox  *qm_sandbox_start_for_app         (const QmSandboxOptions *options,
                                              QmConfig              **config,
                                              GError                **error);
/* A new config for the started sandbox @self, as qm_sandbox_start_for_app()
 * gives (each sign-in owns one). */
QmConfig   *qm_sandbox_dup_config            (QmSandbox              *self);
/* Listen on 127.0.0.1 (Bungie) and answer "localhost" (PSN) on the same port. */
gboolean    qm_sandbox_start                 (QmSandbox              *self,
                                              GError                **error);
void        qm_sandbox_stop                  (QmSandbox              *self);
guint       qm_sandbox_get_port              (QmSandbox              *self);
/* "http://127.0.0.1:PORT" */
const char *qm_sandbox_get_bungie_origin     (QmSandbox              *self);
/* "http://localhost:PORT" */
const char *qm_sandbox_get_psn_origin        (QmSandbox              *self);
/*
 * Fault spec: rules separated by ';', each "KIND[:ARG][,key=value...]".
 * KIND: maintenance | throttle[:CODE] | html502 | http500[:CODE] | reset |
 *       delay:MS | timeout | truncate | token-expired | refresh-expired |
 *       error:CODE (a number or a PlatformErrorCodes name)
 * keys: endpoint=NAME (operation name such as GetProfile, TransferItem,
 *       Token, Manifest, Content; default every Platform call),
 *       calls=N or calls=N-M (the Nth..Mth matching call, counted from 1),
 *       rate=0.25 (seeded), times=K (at most K hits), seconds=N (ThrottleSeconds).
 * An empty spec clears the faults.
 */
gboolean    qm_sandbox_set_faults            (QmSandbox              *self,
                                              const char             *spec,
                                              GError                **error);
void        qm_sandbox_set_character_location (QmSandbox             *self,
                                              const char             *character_id,
                                              QmSandboxLocation       location);
void        qm_sandbox_set_xur_present       (QmSandbox              *self,
                                              gboolean                present);
void        qm_sandbox_set_profile_cache_delay (QmSandbox            *self,
                                              double                  seconds);
/* Record each exchange served into @path (NULL stops recording). */
gboolean    qm_sandbox_set_record_path       (QmSandbox              *self,
                                              const char             *path,
                                              GError                **error);
/* Sign the demo account in without a browser: a valid access token. */
char       *qm_sandbox_issue_access_token    (QmSandbox              *self);
/* Make every access token issued so far expire now. */
void        qm_sandbox_expire_access_tokens  (QmSandbox              *self);
GStrv       qm_sandbox_dup_issued_secrets    (QmSandbox              *self);
/* How many requests an operation (e.g. "TransferItem") has received. */
guint       qm_sandbox_get_call_count        (QmSandbox              *self,
                                              const char             *operation);
/* The demo account's ids (for tests). */
const char *qm_sandbox_get_membership_id     (QmSandbox              *self);
int         qm_sandbox_get_membership_type   (QmSandbox              *self);
GStrv       qm_sandbox_dup_character_ids     (QmSandbox              *self);
/* The full current profile as Bungie's DestinyProfileResponse (every component), for tests. */
char       *qm_sandbox_dup_profile_json      (QmSandbox              *self);
/* The QmSandboxWorld (qm-sandbox-world.h) being served, for tests that
 * look up definitions or edit the state directly. */
gpointer    qm_sandbox_get_world             (QmSandbox              *self);
/* The world was edited directly (as the game changes an account between
 * two requests, e.g. drops sent to the postmaster): profiles minted from now
 * on are newer than those served before. */
void        qm_sandbox_note_world_changed    (QmSandbox              *self);

G_END_DECLS
