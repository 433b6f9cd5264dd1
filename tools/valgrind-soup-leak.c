/* valgrind-soup-leak.c: libsoup 3.2's own socket leaks in SoupServer, with
 * nothing else
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why tools/valgrind.supp holds its two entries: a server that listens,
 * answers four requests over parallel connections and is disconnected and
 * freed still loses the GSocketAddress that listening asked its socket for
 * (40 bytes direct) and the GSockets it accepted (2 × 40 bytes direct), all
 * "definitely lost" inside libsoup.
 *
 *   cc tools/valgrind-soup-leak.c $(pkg-config --cflags --libs libsoup-3.0) -o /tmp/soup-leak
 *   valgrind --leak-check=full --suppressions=/usr/share/glib-2.0/valgrind/glib.supp /tmp/soup-leak
 */
#include <libsoup/soup.h>

static int pending;

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
  soup_server_message_set_status (msg, 200, NULL);
}

static void
on_read (GObject *session, GAsyncResult *result, gpointer data)
{
  g_bytes_unref (soup_session_send_and_read_finish (SOUP_SESSION (session), result, NULL));
  pending--;
}

int
main (void)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  SoupSession *session = soup_session_new ();
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL);
  uris = soup_server_get_uris (server);
  for (pending = 0; pending < 4; pending++)
    {
      SoupMessage *msg = soup_message_new_from_uri ("GET", uris->data);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, NULL);
      g_object_unref (msg);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_disconnect (server);
  g_object_unref (server);
  g_object_unref (session);
  return 0;
}
