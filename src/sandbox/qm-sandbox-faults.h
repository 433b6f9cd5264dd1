/* qm-sandbox-faults.h: scripted faults for the sandbox
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fault spec is a list of rules separated by ';'. Each rule is
 * "KIND[:ARG][,key=value...]":
 *
 *   maintenance         ErrorCode 5 SystemDisabled, HTTP 503
 *   throttle[:CODE]     a throttle ErrorCode (default 36) with ThrottleSeconds
 *   html502             HTTP 502 with an HTML page, as Cloudflare answers
 *   http500[:CODE]      HTTP 500 with an envelope (default 1626 DestinyInternalError)
 *   reset               the connection is dropped without an answer
 *   delay:MS            the normal answer, MS milliseconds late
 *   timeout             no answer at all
 *   truncate            the normal body cut in half
 *   token-expired       HTTP 401, ErrorCode 2111 AccessTokenHasExpired
 *   refresh-expired     the token endpoint refuses with RefreshTokenExpired
 *   error:CODE          that ErrorCode (a number or a PlatformErrorCodes name)
 *
 * Keys:
 *   endpoint=NAME[|NAME...]  operations the rule applies to (default: every
 *                            Platform call but Token; Token for refresh-expired)
 *   calls=N | calls=N-M      only the Nth..Mth call matching the rule (from 1)
 *   rate=R                   fire with probability R in [0, 1]
 *   times=K                  fire at most K times
 *   seconds=N                ThrottleSeconds of the answer (default 10)
 *
 * Parsing is pure; matching keeps per-rule counters.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  QM_FAULT_NONE,
  QM_FAULT_MAINTENANCE,
  QM_FAULT_THROTTLE,
  QM_FAULT_HTML502,
  QM_FAULT_HTTP500,
  QM_FAULT_RESET,
  QM_FAULT_DELAY,
  QM_FAULT_TIMEOUT,
  QM_FAULT_TRUNCATE,
  QM_FAULT_TOKEN_EXPIRED,
  QM_FAULT_REFRESH_EXPIRED,
  QM_FAULT_ERROR,
} QmFaultKind;

typedef struct
{
  QmFaultKind kind;
  int         error_code;       /* PlatformErrorCodes for envelope faults */
  int         throttle_seconds; /* ThrottleSeconds of the envelope */
  guint       delay_ms;         /* for QM_FAULT_DELAY */
} QmFaultAction;

typedef struct _QmSandboxFaults QmSandboxFaults;

/* Returns an empty rule list for NULL or "". Errors are G_IO_ERROR_INVALID_ARGUMENT
 * naming the offending token. */
QmSandboxFaults *qm_sandbox_faults_parse        (const char       *spec,
                                                 GError          **error);
void             qm_sandbox_faults_free         (QmSandboxFaults  *faults);
guint            qm_sandbox_faults_get_n_rules  (QmSandboxFaults  *faults);
/* Counts the call against every rule that selects @operation and fills
 * @action from the first rule that fires. @platform tells whether the call
 * is in the default scope (a Platform call other than Token). @rand draws
 * the rate= chances. Returns FALSE when no rule fires. */
gboolean         qm_sandbox_faults_match        (QmSandboxFaults  *faults,
                                                 const char       *operation,
                                                 gboolean          platform,
                                                 GRand            *rand,
                                                 QmFaultAction    *action);
/* The operation names endpoint= accepts. */
const char * const *qm_sandbox_faults_operation_names (void);
gboolean         qm_sandbox_faults_is_operation (const char       *name);
const char      *qm_sandbox_fault_kind_name     (QmFaultKind       kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmSandboxFaults, qm_sandbox_faults_free)

G_END_DECLS
