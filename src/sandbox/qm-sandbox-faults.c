/* qm-sandbox-faults.c: the fault spec parser and matcher
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sandbox-faults"

#include "config.h"

#include <gio/gio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qm-sandbox-faults.h"
#include "qm-error.h"

#define DEFAULT_THROTTLE_SECONDS 10

typedef struct
{
  QmFaultAction action;
  GStrv         endpoints;   /* NULL: the default scope */
  guint         first_call;  /* 0: no calls= restriction */
  guint         last_call;
  double        rate;        /* 1.0: always */
  guint         max_hits;    /* 0: unlimited */
  guint         seen;        /* matching calls so far */
  guint         hits;        /* times fired so far */
} FaultRule;

struct _QmSandboxFaults
{
  GPtrArray *rules;
};

typedef struct
{
  const char  *name;
  QmFaultKind  kind;
  gboolean     needs_arg;
  gboolean     takes_arg;
  int          default_code;
} KindInfo;

static const KindInfo kinds[] = {
  { "maintenance",     QM_FAULT_MAINTENANCE,     FALSE, FALSE, 5 },
  { "throttle",        QM_FAULT_THROTTLE,        FALSE, TRUE,  36 },
  { "html502",         QM_FAULT_HTML502,         FALSE, FALSE, 0 },
  { "http500",         QM_FAULT_HTTP500,         FALSE, TRUE,  1626 },
  { "reset",           QM_FAULT_RESET,           FALSE, FALSE, 0 },
  { "delay",           QM_FAULT_DELAY,           TRUE,  TRUE,  0 },
  { "timeout",         QM_FAULT_TIMEOUT,         FALSE, FALSE, 0 },
  { "truncate",        QM_FAULT_TRUNCATE,        FALSE, FALSE, 0 },
  { "token-expired",   QM_FAULT_TOKEN_EXPIRED,   FALSE, FALSE, 2111 },
  { "refresh-expired", QM_FAULT_REFRESH_EXPIRED, FALSE, FALSE, 2118 },
  { "error",           QM_FAULT_ERROR,           TRUE,  TRUE,  0 },
};

static const char * const operation_names[] = {
  "Manifest",
  "Content",
  "Icon",
  "GetMembershipsForCurrentUser",
  "GetProfile",
  "GetVendor",
  "GetVendors",
  "TransferItem",
  "PullFromPostmaster",
  "EquipItem",
  "EquipItems",
  "SetLockState",
  "EquipLoadout",
  "SnapshotLoadout",
  "UpdateLoadoutIdentifiers",
  "ClearLoadout",
  "Token",
  "Authorize",
  "PsnSignIn",
  "PsnAuthorize",
  "PsnSignInPage",
  "PsnLogin",
  "PsnGrant",
  "Home",
  "NotFound",
  NULL
};

const char * const *
qm_sandbox_faults_operation_names (void)
{
  return operation_names;
}

gboolean
qm_sandbox_faults_is_operation (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return g_strv_contains (operation_names, name);
}

const char *
qm_sandbox_fault_kind_name (QmFaultKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  return "none";
}

static void
fault_rule_free (gpointer data)
{
  FaultRule *rule = data;

  g_strfreev (rule->endpoints);
  g_free (rule);
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  char *end = NULL;
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *what,
         const char *token,
         const char *rule)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Invalid fault spec: %s “%s” in rule “%s”", what, token, rule);
  return FALSE;
}

/* A PlatformErrorCodes value written as a number or a name. */
static gboolean
parse_error_code (const char *text,
                  int        *out)
{
  guint64 number;
  int code;

  if (parse_uint (text, G_MAXINT32, &number))
    {
      if (number == 0 || qm_platform_error_code_name ((int) number) == NULL)
        return FALSE;
      *out = (int) number;
      return TRUE;
    }
  code = qm_platform_error_code_from_name (text);
  if (code <= 0)
    return FALSE;
  *out = code;
  return TRUE;
}

static const KindInfo *
find_kind (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      return &kinds[i];
  return NULL;
}

static gboolean
parse_kind (FaultRule  *rule,
            const char *token,
            const char *text,
            GError    **error)
{
  g_auto(GStrv) parts = g_strsplit (token, ":", 2);
  const char *arg = parts[1];
  const KindInfo *info = find_kind (g_strstrip (parts[0]));
  guint64 ms;

  if (info == NULL)
    return invalid (error, "unknown fault kind", parts[0], text);
  if (arg != NULL)
    arg = g_strstrip (parts[1]);
  if (info->needs_arg && (arg == NULL || *arg == '\0'))
    return invalid (error, "missing argument to", info->name, text);
  if (!info->takes_arg && arg != NULL)
    return invalid (error, "unexpected argument to", token, text);

  rule->action.kind = info->kind;
  rule->action.error_code = info->default_code;
  rule->action.throttle_seconds = 0;
  if (info->kind == QM_FAULT_THROTTLE)
    rule->action.throttle_seconds = DEFAULT_THROTTLE_SECONDS;

  if (arg == NULL)
    return TRUE;
  if (info->kind == QM_FAULT_DELAY)
    {
      if (!parse_uint (arg, 600000, &ms))
        return invalid (error, "bad delay", arg, text);
      rule->action.delay_ms = (guint) ms;
      return TRUE;
    }
  if (!parse_error_code (arg, &rule->action.error_code))
    return invalid (error, "unknown error code", arg, text);
  return TRUE;
}

static gboolean
parse_calls (FaultRule  *rule,
             const char *value,
             const char *text,
             GError    **error)
{
  g_auto(GStrv) range = g_strsplit (value, "-", 2);
  guint64 first, last;

  if (!parse_uint (range[0], G_MAXUINT, &first) || first == 0)
    return invalid (error, "bad calls", value, text);
  last = first;
  if (range[1] != NULL && !parse_uint (range[1], G_MAXUINT, &last))
    return invalid (error, "bad calls", value, text);
  if (last < first)
    return invalid (error, "bad calls", value, text);
  rule->first_call = (guint) first;
  rule->last_call = (guint) last;
  return TRUE;
}

static gboolean
parse_endpoints (FaultRule  *rule,
                 const char *value,
                 const char *text,
                 GError    **error)
{
  g_auto(GStrv) names = g_strsplit (value, "|", -1);

  for (guint i = 0; names[i] != NULL; i++)
    if (!qm_sandbox_faults_is_operation (g_strstrip (names[i])))
      return invalid (error, "unknown endpoint", names[i], text);
  if (names[0] == NULL)
    return invalid (error, "empty endpoint", value, text);
  g_strfreev (rule->endpoints);
  rule->endpoints = g_steal_pointer (&names);
  return TRUE;
}

static gboolean
parse_rate (FaultRule  *rule,
            const char *value,
            const char *text,
            GError    **error)
{
  char *end = NULL;
  double rate = g_ascii_strtod (value, &end);

  if (end == value || *end != '\0' || !(rate >= 0.0 && rate <= 1.0))
    return invalid (error, "bad rate", value, text);
  rule->rate = rate;
  return TRUE;
}

static gboolean
parse_key (FaultRule  *rule,
           const char *token,
           const char *text,
           GError    **error)
{
  g_auto(GStrv) kv = g_strsplit (token, "=", 2);
  const char *key = g_strstrip (kv[0]);
  const char *value = kv[1] != NULL ? g_strstrip (kv[1]) : NULL;
  guint64 number;

  if (value == NULL || *value == '\0')
    return invalid (error, "missing value in", token, text);
  if (g_str_equal (key, "endpoint"))
    return parse_endpoints (rule, value, text, error);
  if (g_str_equal (key, "calls"))
    return parse_calls (rule, value, text, error);
  if (g_str_equal (key, "rate"))
    return parse_rate (rule, value, text, error);
  if (g_str_equal (key, "times"))
    {
      if (!parse_uint (value, G_MAXUINT, &number) || number == 0)
        return invalid (error, "bad times", value, text);
      rule->max_hits = (guint) number;
      return TRUE;
    }
  if (g_str_equal (key, "seconds"))
    {
      if (!parse_uint (value, 3600, &number))
        return invalid (error, "bad seconds", value, text);
      rule->action.throttle_seconds = (int) number;
      return TRUE;
    }
  return invalid (error, "unknown key", key, text);
}

static FaultRule *
parse_rule (const char *text,
            GError    **error)
{
  g_auto(GStrv) tokens = g_strsplit (text, ",", -1);
  FaultRule *rule = g_new0 (FaultRule, 1);

  rule->rate = 1.0;
  if (!parse_kind (rule, tokens[0], text, error))
    goto fail;
  for (guint i = 1; tokens[i] != NULL; i++)
    {
      if (*g_strstrip (tokens[i]) == '\0')
        continue;
      if (!parse_key (rule, tokens[i], text, error))
        goto fail;
    }
  if (rule->endpoints == NULL && rule->action.kind == QM_FAULT_REFRESH_EXPIRED)
    rule->endpoints = g_strsplit ("Token", "|", -1);
  return rule;

fail:
  fault_rule_free (rule);
  return NULL;
}

/**
 * qm_sandbox_faults_parse:
 * @spec: (nullable): a fault spec
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the rules, or %NULL on a syntax error.
 */
QmSandboxFaults *
qm_sandbox_faults_parse (const char  *spec,
                         GError     **error)
{
  g_autoptr(QmSandboxFaults) faults = g_new0 (QmSandboxFaults, 1);
  g_auto(GStrv) rules = NULL;

  faults->rules = g_ptr_array_new_with_free_func (fault_rule_free);
  if (spec == NULL)
    return g_steal_pointer (&faults);

  rules = g_strsplit (spec, ";", -1);
  for (guint i = 0; rules[i] != NULL; i++)
    {
      const char *text = g_strstrip (rules[i]);
      FaultRule *rule;

      if (*text == '\0')
        continue;
      rule = parse_rule (text, error);
      if (rule == NULL)
        return NULL;
      g_ptr_array_add (faults->rules, rule);
    }
  return g_steal_pointer (&faults);
}

void
qm_sandbox_faults_free (QmSandboxFaults *faults)
{
  if (faults == NULL)
    return;
  g_ptr_array_unref (faults->rules);
  g_free (faults);
}

guint
qm_sandbox_faults_get_n_rules (QmSandboxFaults *faults)
{
  g_return_val_if_fail (faults != NULL, 0);

  return faults->rules->len;
}

static gboolean
rule_selects (const FaultRule *rule,
              const char      *operation,
              gboolean         platform)
{
  if (rule->endpoints == NULL)
    return platform;
  return g_strv_contains ((const char * const *) rule->endpoints, operation);
}

static gboolean
rule_fires (FaultRule *rule,
            GRand     *rand)
{
  if (rule->first_call != 0 &&
      (rule->seen < rule->first_call || rule->seen > rule->last_call))
    return FALSE;
  if (rule->max_hits != 0 && rule->hits >= rule->max_hits)
    return FALSE;
  if (rule->rate < 1.0 && (rule->rate <= 0.0 || g_rand_double (rand) >= rule->rate))
    return FALSE;
  return TRUE;
}

gboolean
qm_sandbox_faults_match (QmSandboxFaults *faults,
                         const char      *operation,
                         gboolean         platform,
                         GRand           *rand,
                         QmFaultAction   *action)
{
  FaultRule *fired = NULL;

  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (operation != NULL, FALSE);
  g_return_val_if_fail (rand != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  for (guint i = 0; i < faults->rules->len; i++)
    {
      FaultRule *rule = g_ptr_array_index (faults->rules, i);

      if (!rule_selects (rule, operation, platform))
        continue;
      rule->seen++;
      if (fired == NULL && rule_fires (rule, rand))
        fired = rule;
    }

  if (fired == NULL)
    {
      *action = (QmFaultAction) { .kind = QM_FAULT_NONE };
      return FALSE;
    }
  fired->hits++;
  *action = fired->action;
  return TRUE;
}
