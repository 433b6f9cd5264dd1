/* qm-test-notifications.h: a notification server on the test's session bus
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the server was sent: each Notify's summary and body, in order. */
typedef struct
{
  GDBusConnection *bus;
  guint            owner_id;
  guint            object_id;
  gboolean         acquired;
  GPtrArray       *summaries;
  GPtrArray       *bodies;
} QmTestNotifications;

/* Own org.freedesktop.Notifications (waiting up to a minute for another
 * test to let it go). NULL, with the test skipped, without a session bus. */
QmTestNotifications *qm_test_notifications_new  (void);
void                 qm_test_notifications_free (QmTestNotifications *fake);
/* Spin until @n notifications arrived; FALSE after @timeout_ms. */
gboolean             qm_test_notifications_wait (QmTestNotifications *fake,
                                                 guint                n,
                                                 guint                timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QmTestNotifications, qm_test_notifications_free)

G_END_DECLS
