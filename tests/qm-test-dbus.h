/* qm-test-dbus.h: stand-ins for desktop services on the test's session bus
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A notification server (org.freedesktop.Notifications, as GLib's
 * GNotification reaches it outside Flatpak) and the desktop portal's
 * Background and OpenURI interfaces (org.freedesktop.portal.Desktop). Each
 * owns its name on the session bus of the test (dbus-run-session) and
 * records what it was asked; without a session bus the constructors skip
 * the test and return NULL.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  guint      id;        /* what Notify answered */
  char      *app_name;
  char      *summary;
  char      *body;
  GStrv      actions;   /* key, label, key, label… */
} QmFakeNotification;

typedef struct
{
  GDBusConnection *bus;
  guint            owner_id;
  guint            object_id;
  gboolean         acquired;
  GPtrArray       *notifications;   /* of QmFakeNotification, in the order sent */
  GPtrArray       *summaries;       /* of char *, the same order */
  GPtrArray       *bodies;          /* of char *, the same order */
} QmFakeNotifications;

QmFakeNotifications *qm_fake_notifications_new     (void);
void                 qm_fake_notifications_free    (QmFakeNotifications *fake);
/* Wait up to @timeout_ms for at least @n notifications. */
gboolean             qm_fake_notifications_wait    (QmFakeNotifications *fake,
                                                    guint                n,
                                                    guint                timeout_ms);
/* The notifications whose summary is @summary. */
guint                qm_fake_notifications_count   (QmFakeNotifications *fake,
                                                    const char          *summary);
/* The button of @notification labelled @label, as a user's click:
 * ActionInvoked(id, key). FALSE when it has no such button. */
gboolean             qm_fake_notifications_click   (QmFakeNotifications *fake,
                                                    const QmFakeNotification *notification,
                                                    const char          *label);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmFakeNotifications, qm_fake_notifications_free)

/* The portal answers from a thread of its own: GLib makes some portal
 * calls synchronously (GIO's OpenURI proxy loads its properties), which
 * would otherwise wait for the test's own main loop. Lock @lock to read
 * what it recorded while it runs. */
typedef struct
{
  GDBusConnection *bus;
  guint            owner_id;
  guint            object_id[2];
  gboolean         acquired;
  GMutex           lock;
  GCond            cond;
  GMainContext    *context;
  GMainLoop       *loop;
  GThread         *thread;
  /* The answer to the next request: 0 granted, 1 refused by the user, 2
   * failed. */
  guint            response;
  /* Background.RequestBackground: each call's options (a{sv}). */
  GPtrArray       *background_requests;   /* of GVariant */
  /* OpenURI.OpenURI: each URI asked for. */
  GPtrArray       *opened_uris;           /* of char * */
} QmFakePortal;

QmFakePortal        *qm_fake_portal_new            (void);
/* How many URIs were opened so far. */
guint                qm_fake_portal_n_opened       (QmFakePortal *fake);
void                 qm_fake_portal_free           (QmFakePortal *fake);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmFakePortal, qm_fake_portal_free)

G_END_DECLS
