/* fuzz-psn-chain.c: the PSN chain's replies (Location, login answer with the
 * grant code, Bungie's cookies)
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing the reply, then its text: a Location header, a
 * login.do answer's Location (with the status from the next byte), or
 * Set-Cookie lines. A redirect let through must stay on the two origins.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "fuzz-target.h"
#include "qm-auth-manager.h"
#include "qm-error.h"
#include "qm-psn-flow.h"

static int
port_of (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         port_of (a) == port_of (b);
}

/* @line with each attribute's first occurrence only: libsoup 3.2 leaks the
 * earlier value of a repeated attribute ("a=b; Path=/x; Path=/y"), which
 * is its bug, not one to find here again and again. */
static char *
first_attributes (const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, ";", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (parts[i], strcspn (parts[i], "="));

      g_strstrip (name);
      if (i == 0 || g_hash_table_add (seen, g_steal_pointer (&name)))
        g_ptr_array_add (kept, parts[i]);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (";", (char **) kept->pdata);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const bungies[] = { "https://www.bungie.net", "http://127.0.0.1:8080" };
  static const char * const psns[] = { "https://auth.api.sonyentertainmentnetwork.com", "http://localhost:8080" };
  g_autoptr(GUri) bungie = NULL;
  g_autoptr(GUri) psn = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint8 pick;

  if (size < 2)
    return 0;
  pick = data[0];
  bungie = g_uri_parse (bungies[pick >> 7], SOUP_HTTP_URI_FLAGS, NULL);
  psn = g_uri_parse (psns[pick >> 7], SOUP_HTTP_URI_FLAGS, NULL);
  base = g_uri_parse_relative (pick & 0x40 ? psn : bungie, "/en/User/SignIn/Psnid?x=1", SOUP_HTTP_URI_FLAGS, NULL);
  text = g_strndup ((const char *) data + 2, size - 2);

  switch (pick % 3)
    {
    case 0:
      {
        g_autoptr(GUri) target = qm_psn_check_redirect (bungie, psn, base, text, &error);

        FUZZ_CHECK ((target == NULL) != (error == NULL));
        if (target != NULL)
          FUZZ_CHECK (same_origin (target, bungie) || same_origin (target, psn));
        else
          FUZZ_CHECK (g_error_matches (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL) ||
                      g_error_matches (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT));
      }
      break;
    case 1:
      {
        guint status = 200 + data[1] * 2 % 400;
        gboolean onward = qm_psn_check_login_answer (status, *text != '\0' ? text : NULL, &error);

        FUZZ_CHECK (onward == (error == NULL));
        if (onward)
          {
            g_autoptr(GUri) target = qm_psn_check_redirect (bungie, psn, base, text, NULL);

            if (target != NULL)
              FUZZ_CHECK (same_origin (target, bungie) || same_origin (target, psn));
          }
      }
      break;
    default:
      {
        g_auto(GStrv) lines = g_strsplit (text, "\n", 16);
        GSList *cookies = NULL;
        g_autoptr(QmToken) token = NULL;

        for (guint i = 0; lines[i] != NULL; i++)
          {
            g_autofree char *header = first_attributes (lines[i]);
            SoupCookie *cookie = soup_cookie_parse (header, bungie);

            if (cookie != NULL)
              cookies = g_slist_prepend (cookies, cookie);
          }
        token = qm_psn_token_from_cookies (cookies, &error);
        FUZZ_CHECK ((token == NULL) != (error == NULL));
        if (token != NULL)
          FUZZ_CHECK (token->bungled != NULL && token->bungleatk != NULL && token->bungledid != NULL);
        g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
      }
    }
  return 0;
}
