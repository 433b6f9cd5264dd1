/* qm-postmaster-notifier.c
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-postmaster-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-postmaster-notifier.h"

#include "qm-destiny.h"
#include "qm-ui-util.h"

struct _QmPostmasterNotifier
{
  GObject       parent_instance;

  GApplication *application;   /* weak */
  GSettings    *settings;      /* nullable */
  QmSession    *session;
  GListModel   *items;         /* the profile's, watched */
  /* Characters told about since their postmaster was last below the mark. */
  GHashTable   *notified;      /* char * set */
  guint         check_id;
};

G_DEFINE_FINAL_TYPE (QmPostmasterNotifier, qm_postmaster_notifier, G_TYPE_OBJECT)

enum {
  SIGNAL_NOTIFIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
postmaster_capacity (QmInventory *inventory)
{
  QmManifest *manifest = qm_inventory_get_manifest (inventory);
  QmDefinition definition = { 0 };

  if (manifest != NULL)
    definition = qm_manifest_get_definition (manifest, QM_TABLE_BUCKET, QM_BUCKET_POSTMASTER);
  return definition.known && definition.value > 0 ? definition.value : QM_POSTMASTER_CAPACITY;
}

static char *
notification_id (const char *character_id)
{
  return g_strconcat ("postmaster-", character_id, NULL);
}

static void
notify_full (QmPostmasterNotifier *self,
             const QmCharacter    *character,
             guint                 count,
             int                   capacity)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Postmaster nearly full"));
  g_autofree char *id = notification_id (character->id);
  g_autofree char *body = NULL;

  /* Translators: the class, then how many items, then how many it holds. */
  body = g_strdup_printf (_("Your %s has %u of %d items at the postmaster. What arrives when it "
                            "is full is lost."),
                          qm_ui_class_name (character->class_type), count, capacity);
  g_notification_set_body (notification, body);
  g_notification_add_button_with_target (notification, _("Pull all"), "app.pull-postmaster",
                                         "s", character->id);
  g_application_send_notification (self->application, id, notification);
}

static gboolean
check_cb (gpointer user_data)
{
  QmPostmasterNotifier *self = user_data;
  QmInventory *inventory = qm_session_get_inventory (self->session);
  QmProfile *profile;
  gboolean enabled;
  int capacity;

  self->check_id = 0;
  if (inventory == NULL || self->application == NULL ||
      !g_application_get_is_registered (self->application))
    return G_SOURCE_REMOVE;

  profile = qm_inventory_get_profile (inventory);
  capacity = postmaster_capacity (inventory);
  enabled = self->settings == NULL || g_settings_get_boolean (self->settings, "notify-postmaster");
  for (guint c = 0; c < qm_profile_get_n_characters (profile); c++)
    {
      const QmCharacter *character = qm_profile_get_character (profile, c);
      GListModel *items = qm_profile_get_items (profile);
      guint count = 0;

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(QmItem) item = g_list_model_get_item (items, i);

          count += qm_item_get_location (item) == QM_ITEM_LOCATION_POSTMASTER &&
                   qm_item_is_held_by (item, character->id);
        }

      if ((int) count < capacity - QM_POSTMASTER_WARN_FREE)
        {
          /* Below the mark: the next fill-up is told again. */
          if (g_hash_table_remove (self->notified, character->id))
            {
              g_autofree char *id = notification_id (character->id);

              g_application_withdraw_notification (self->application, id);
            }
        }
      else if (enabled && !g_hash_table_contains (self->notified, character->id))
        {
          g_hash_table_add (self->notified, g_strdup (character->id));
          notify_full (self, character, count, capacity);
          g_signal_emit (self, signals[SIGNAL_NOTIFIED], 0, character->id);
        }
    }
  return G_SOURCE_REMOVE;
}

/* Once per burst of changes (a move changes several items). */
static void
schedule_check (QmPostmasterNotifier *self)
{
  if (self->check_id == 0)
    self->check_id = g_idle_add (check_cb, self);
}

static void
on_items_changed_cb (GListModel           *items,
                     guint                 position,
                     guint                 removed,
                     guint                 added,
                     QmPostmasterNotifier *self)
{
  schedule_check (self);
}

static void
watch_inventory (QmPostmasterNotifier *self)
{
  QmInventory *inventory = qm_session_get_inventory (self->session);
  GListModel *items = inventory != NULL ? qm_profile_get_items (qm_inventory_get_profile (inventory)) : NULL;

  if (items != self->items)
    {
      if (self->items != NULL)
        g_signal_handlers_disconnect_by_func (self->items, on_items_changed_cb, self);
      g_set_object (&self->items, items);
      if (items != NULL)
        g_signal_connect_object (items, "items-changed", G_CALLBACK (on_items_changed_cb), self, 0);
    }
  schedule_check (self);
}

static void
on_inventory_changed_cb (QmSession            *session,
                         QmPostmasterNotifier *self)
{
  watch_inventory (self);
}

static void
on_signed_out_cb (QmSession            *session,
                  const char           *reason,
                  QmPostmasterNotifier *self)
{
  g_hash_table_remove_all (self->notified);
}

static void
qm_postmaster_notifier_dispose (GObject *object)
{
  QmPostmasterNotifier *self = QM_POSTMASTER_NOTIFIER (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, on_items_changed_cb, self);
  g_clear_object (&self->items);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (qm_postmaster_notifier_parent_class)->dispose (object);
}

static void
qm_postmaster_notifier_finalize (GObject *object)
{
  QmPostmasterNotifier *self = QM_POSTMASTER_NOTIFIER (object);

  g_hash_table_unref (self->notified);

  G_OBJECT_CLASS (qm_postmaster_notifier_parent_class)->finalize (object);
}

static void
qm_postmaster_notifier_class_init (QmPostmasterNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qm_postmaster_notifier_dispose;
  object_class->finalize = qm_postmaster_notifier_finalize;

  signals[SIGNAL_NOTIFIED] =
    g_signal_new ("notified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
qm_postmaster_notifier_init (QmPostmasterNotifier *self)
{
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

QmPostmasterNotifier *
qm_postmaster_notifier_new (GApplication *application,
                            GSettings    *settings,
                            QmSession    *session)
{
  QmPostmasterNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (QM_IS_SESSION (session), NULL);

  self = g_object_new (QM_TYPE_POSTMASTER_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  g_set_object (&self->settings, settings);
  self->session = g_object_ref (session);
  g_signal_connect (session, "inventory-changed", G_CALLBACK (on_inventory_changed_cb), self);
  g_signal_connect (session, "signed-out", G_CALLBACK (on_signed_out_cb), self);
  watch_inventory (self);
  return self;
}
