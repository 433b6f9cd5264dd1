/* qm-cli-manifest.c: quartermaster-cli manifest, the item definitions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-cli"

#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "qm-cli-private.h"

typedef struct
{
  gboolean tty;
  int      shown;     /* the percentage last shown, -1: none */
} Progress;

/* On a terminal, one line rewritten; elsewhere a line every 10 %. */
static void
on_download_progress_cb (QmManifest *manifest,
                         GParamSpec *pspec,
                         Progress   *progress)
{
  guint64 total = qm_manifest_get_bytes_total (manifest);
  int percent = (int) (qm_manifest_get_fraction (manifest) * 100.0);

  if (qm_manifest_get_state (manifest) != QM_MANIFEST_STATE_DOWNLOADING || total == 0)
    return;
  if (progress->tty)
    {
      g_autofree char *done = g_format_size (qm_manifest_get_bytes_downloaded (manifest));
      g_autofree char *size = g_format_size (total);

      g_printerr ("\r");
      /* Translators: a progress line; %d is the percentage, then sizes such as “41.2 MB”. */
      g_printerr (_("Downloading item definitions: %3d%% (%s of %s)"), percent, done, size);
      progress->shown = percent;
    }
  else if (percent / 10 != progress->shown / 10 || progress->shown < 0)
    {
      /* Translators: a progress line; %d is the percentage. */
      g_printerr (_("Downloading item definitions: %d%%"), percent / 10 * 10);
      g_printerr ("\n");
      progress->shown = percent;
    }
}

static gboolean
print_manifest_json (QmManifest  *manifest,
                     gboolean     downloaded,
                     gboolean     current,
                     GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char * const *languages = qm_manifest_get_languages (manifest);

  json_builder_begin_object (builder);
  qm_cli_set_optional_string (builder, "version", qm_manifest_get_version (manifest));
  qm_cli_set_optional_string (builder, "language", qm_manifest_get_effective_language (manifest));
  json_builder_set_member_name (builder, "languages");
  json_builder_begin_array (builder);
  for (guint i = 0; languages != NULL && languages[i] != NULL; i++)
    json_builder_add_string_value (builder, languages[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "downloaded");
  json_builder_add_boolean_value (builder, downloaded);
  json_builder_set_member_name (builder, "up_to_date");
  json_builder_add_boolean_value (builder, current);
  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint t = 0; t < QM_N_TABLES; t++)
    {
      json_builder_set_member_name (builder, qm_table_get_name (t));
      json_builder_add_int_value (builder, qm_manifest_get_n_definitions (manifest, t));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  qm_cli_set_optional_string (builder, "path", qm_manifest_get_cache_path (manifest));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) qm_manifest_get_cache_size (manifest));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return qm_cli_write_json (root, error);
}

static gboolean
print_manifest_text (QmManifest  *manifest,
                     gboolean     downloaded,
                     gboolean     current,
                     GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *language = qm_manifest_get_effective_language (manifest);
  const char *path = qm_manifest_get_cache_path (manifest);
  g_autofree char *size = g_format_size (qm_manifest_get_cache_size (manifest));
  const char *state = downloaded ? _("downloaded now") : current ? _("up to date") : _("cached");

  /* Translators: the content version, then whether it was downloaded now,
   * is up to date or could only be read from the cache. */
  g_string_append_printf (out, _("Version:  %s (%s)\n"), qm_manifest_get_version (manifest), state);
  g_string_append_printf (out, _("Language: %s (%s)\n"), language,
                          qm_manifest_get_language_name (language));
  if (path != NULL)
    /* Translators: the cache file, then its size such as “4.1 MB”. */
    g_string_append_printf (out, _("Cache:    %s (%s)\n"), path, size);
  g_string_append_printf (out, "%s\n", _("Definitions:"));
  for (guint t = 0; t < QM_N_TABLES; t++)
    g_string_append_printf (out, "  %-36s %7u\n", qm_table_get_name (t),
                            qm_manifest_get_n_definitions (manifest, t));
  return qm_cli_write_stdout (out->str, error);
}

/* --language names a language Bungie's definitions come in, or is empty
 * (the desktop's): an unknown code is refused before anything is asked. */
static gboolean
check_manifest (QmCli   *cli,
                GError **error)
{
  const char * const *known = qm_manifest_get_known_languages ();
  g_autofree char *list = NULL;

  if (!qm_cli_has_text (cli->language) || g_strv_contains (known, cli->language))
    return TRUE;
  list = g_strjoinv (", ", (char **) known);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: the code given, then the known ones, e.g. “de, en, es”. */
               _("Unknown language “%s”: use one of %s"), cli->language, list);
  return FALSE;
}

/* Check for new definitions, download them if needed, say what is cached. */
static int
run_manifest (QmCli *cli)
{
  g_autoptr(QmManifest) manifest = qm_manifest_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) update_error = NULL;
  Progress progress = { .tty = isatty (STDERR_FILENO), .shown = -1 };
  gboolean downloaded = FALSE;
  gboolean current;

  if (!qm_cli_connect_content (cli, &error))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, error);
  if (cli->language != NULL && *cli->language != '\0')
    qm_manifest_set_language (manifest, cli->language);
  g_signal_connect (manifest, "notify::fraction", G_CALLBACK (on_download_progress_cb), &progress);
  qm_manifest_update_async (manifest, cli->client, NULL, qm_cli_on_done_cb, cli);
  current = qm_manifest_update_finish (manifest, qm_cli_wait (cli), &downloaded, &update_error);
  qm_cli_clear_result (cli);
  g_signal_handlers_disconnect_by_data (manifest, &progress);
  if (progress.tty && progress.shown >= 0)
    g_printerr ("\n");

  if (!current && !qm_manifest_is_loaded (manifest))
    return qm_cli_fail_with (QM_CLI_EXIT_FAILED, update_error);
  /* A language known here that this manifest does not offer: the update fell
   * back to another one. */
  if (current && qm_cli_has_text (cli->language) &&
      g_strcmp0 (qm_manifest_get_effective_language (manifest), cli->language) != 0)
    {
      const char * const *offered = qm_manifest_get_languages (manifest);
      g_autofree char *list = offered != NULL ? g_strjoinv (", ", (char **) offered) : g_strdup ("");
      g_autofree char *message = NULL;

      /* Translators: the code given, then the codes offered, e.g. “de, en, es”. */
      message = g_strdup_printf (_("Bungie.net offers no item definitions in “%s”: use one of %s"),
                                 cli->language, list);
      return qm_cli_fail (QM_CLI_EXIT_USAGE, message);
    }
  if (!current)
    {
      g_autofree char *reason = qm_error_describe (update_error);

      /* Translators: %s says why Bungie.net could not be asked, a sentence. */
      g_printerr ("%s: %s: ", QM_CLI_PROGRAM_NAME, _("warning"));
      g_printerr (_("%s Showing the cached definitions."), reason);
      g_printerr ("\n");
    }
  if (!(cli->json ? print_manifest_json (manifest, downloaded, current, &error)
                 : print_manifest_text (manifest, downloaded, current, &error)))
    return qm_cli_fail_output (error);
  return EXIT_SUCCESS;
}

const QmCliCommand qm_cli_command_manifest = {
  .name = "manifest",
  .summary = N_("check for new item definitions and download them"),
  .options = QM_CLI_OPTION_JSON | QM_CLI_OPTION_LANGUAGE,
  .check = check_manifest,
  .run = run_manifest,
};
