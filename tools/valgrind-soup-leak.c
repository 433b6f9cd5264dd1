/* valgrind-soup-leak.c: libsoup 3.2's own leak in SoupServer, with nothing else
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why tools/valgrind.supp holds "libsoup-3.2-server-listen-local-address":
 * a server that listens, answers one request and is disconnected and freed
 * still loses the GSocketAddress that soup_server_listen*() asked its socket
 * for (40 bytes direct, 104 indirect, "definitely lost").
 *
 *   cc tools/valgrind-soup-leak.c $(pkg-config --cflags --libs libsoup-3.0) -o /tmp/soup-leak
 *   valgrind --leak-check=full --suppressions=/usr/share/glib-2.0/valgrind/glib.supp /tmp/soup-leak
 */
#include <libsoup/soup.h>

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
  soup_server_message_set_status (msg, 200, NULL);
}

int
main (void)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  SoupSession *session = soup_session_new ();
  GSList *uris;
  SoupMessage *msg;

  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL);
  uris = soup_server_get_uris (server);
  msg = soup_message_new_from_uri ("GET", uris->data);
  g_bytes_unref (soup_session_send_and_read (session, msg, NULL, NULL));
  g_object_unref (msg);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_object_unref (session);
  soup_server_disconnect (server);
  g_object_unref (server);
  return 0;
}
