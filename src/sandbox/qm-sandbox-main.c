/* qm-sandbox-main.c: quartermaster-sandbox, the fake Bungie.net as a program
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-sandbox-main"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "qm-sandbox.h"

static const char fault_help[] =
  "Faults (--faults): rules separated by ';', each KIND[:ARG][,key=value...]\n"
  "  maintenance        ErrorCode 5 SystemDisabled (HTTP 503)\n"
  "  throttle[:CODE]    a throttle ErrorCode (default 36) with ThrottleSeconds\n"
  "  html502            HTTP 502 with a Cloudflare-like HTML page\n"
  "  http500[:CODE]     HTTP 500 with an envelope (default 1626 DestinyInternalError)\n"
  "  reset              drop the connection without an answer\n"
  "  delay:MS           the normal answer, MS milliseconds late\n"
  "  timeout            never answer\n"
  "  truncate           the normal body cut in half\n"
  "  token-expired      HTTP 401, ErrorCode 2111 AccessTokenHasExpired\n"
  "  refresh-expired    the token endpoint answers invalid_grant RefreshTokenExpired\n"
  "  error:CODE         that ErrorCode (a number or a PlatformErrorCodes name)\n"
  "Keys:\n"
  "  endpoint=NAME[|NAME]  GetProfile, TransferItem, Token, Manifest, Content, ...\n"
  "                        (default: every Platform call but Token)\n"
  "  calls=N | calls=N-M   only the Nth..Mth matching call\n"
  "  rate=R                fire with probability R (seeded by --seed)\n"
  "  times=K               fire at most K times\n"
  "  seconds=N             ThrottleSeconds (default 10)\n"
  "Example: --faults 'throttle,endpoint=TransferItem,calls=2,seconds=1;html502,rate=0.05'\n"
  "\n"
  "Demo account: PSN " QM_SANDBOX_DEMO_PSN_USER " / " QM_SANDBOX_DEMO_PSN_PASSWORD
  ", API key " QM_SANDBOX_API_KEY ", OAuth client " QM_SANDBOX_CLIENT_ID ".";

typedef struct
{
  char     *data_dir;
  char     *record;
  char     *faults;
  int       port;
  gint64    seed;
  int       items;
  int       profile_items;
  gboolean  xur_absent;
  double    cache_delay;
} Args;

static void
args_clear (Args *args)
{
  g_clear_pointer (&args->data_dir, g_free);
  g_clear_pointer (&args->record, g_free);
  g_clear_pointer (&args->faults, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_options (int              *argc,
               char           ***argv,
               Args             *args,
               QmSandboxOptions *options,
               GError          **error)
{
  const GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &args->data_dir, "Serve recorded data from DIR", "DIR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &args->port, "Listen on PORT (0: any free port)", "N" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &args->record,
      "Append each exchange to FILE as JSON lines", "FILE" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &args->faults, "Scripted faults (see below)", "SPEC" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &args->seed, "Demo account and fault seed", "N" },
    { "items", 0, 0, G_OPTION_ARG_INT, &args->items, "Grow the item definition table to N entries", "N" },
    { "profile-items", 0, 0, G_OPTION_ARG_INT, &args->profile_items,
      "Grow the demo account to N items (more gear in the vault and inventories)", "N" },
    { "xur-absent", 0, 0, G_OPTION_ARG_NONE, &args->xur_absent, "Xûr is not at the tower", NULL },
    { "profile-cache-delay", 0, 0, G_OPTION_ARG_DOUBLE, &args->cache_delay,
      "Serve GetProfile from a copy up to S seconds old", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a fake Bungie.net for Quartermaster");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, fault_help);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (args->port < 0 || args->port > 65535)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--port takes a port number from 0 to 65535, not %d", args->port);
      return FALSE;
    }
  if (args->items < 0 || args->seed < 0 || args->cache_delay < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--items, --seed and --profile-cache-delay take non-negative values");
      return FALSE;
    }
  if (args->profile_items < 0 || args->profile_items > QM_SANDBOX_MAX_PROFILE_ITEMS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--profile-items takes a number from 0 to %d (what the account's buckets hold), "
                   "not %d", QM_SANDBOX_MAX_PROFILE_ITEMS, args->profile_items);
      return FALSE;
    }
  if (args->profile_items > 0 && args->data_dir != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--profile-items grows the demo account: it cannot be used with --data");
      return FALSE;
    }

  options->data_dir = args->data_dir;
  options->port = (guint) args->port;
  options->record_path = args->record;
  options->faults = args->faults;
  options->seed = (guint64) args->seed;
  options->n_items = (guint) args->items;
  options->profile_items = (guint) args->profile_items;
  options->xur_absent = args->xur_absent;
  options->profile_cache_delay = args->cache_delay;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  QmSandboxOptions options = { 0 };
  g_auto(Args) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(QmSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigterm_id, sigint_id;

  setlocale (LC_ALL, "");
  if (!parse_options (&argc, &argv, &args, &options, &error))
    {
      g_printerr ("quartermaster-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }

  sandbox = qm_sandbox_new (&options, &error);
  if (sandbox == NULL || !qm_sandbox_start (sandbox, &error))
    {
      g_printerr ("quartermaster-sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The first line tells a parent process where to connect. */
  printf ("listening on %s\n", qm_sandbox_get_bungie_origin (sandbox));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  qm_sandbox_stop (sandbox);
  /* Dropping the sandbox closes (and so flushes) the record file. */
  g_clear_object (&sandbox);
  return EXIT_SUCCESS;
}
