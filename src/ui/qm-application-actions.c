/* qm-application-actions.c: the actions other programs call on the running app
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `gapplication action <app id> NAME [PARAMETER]`, a keyboard shortcut or a
 * desktop action reaches these through org.freedesktop.Application:
 *
 *   refresh                              reload the inventory
 *   show-view 'inventory'|'xur'|'loadouts'   open the window on that view
 *   move-item ('INSTANCE_ID', 'vault'|'CHARACTER_ID')
 *   equip-loadout ('CHARACTER_ID', INDEX)    an in-game loadout (0-based)
 *   apply-loadout ('NAME', 'CHARACTER_ID')   a saved loadout, by name or id
 *   pull-postmaster 'CHARACTER_ID'       everything the postmaster can give
 *
 * Moves go through the session's move queue, planned as the window's are.
 * An action the app cannot do now (nobody signed in, the inventory still
 * loading, another move running, an item that is not there) answers with a
 * desktop notification that says why: whoever called it may not see the
 * window.
 */

#define G_LOG_DOMAIN "qm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "qm-application-private.h"

#include "qm-error.h"
#include "qm-loadout-apply.h"
#include "qm-move-executor.h"

#define REFUSED_ID "action-refused"

/* The one notification for every refusal: a new one replaces the last. */
void
_qm_application_notify_refused (QmApplication *self,
                                const char    *title,
                                const char    *reason)
{
  g_autoptr(GNotification) notification = NULL;

  g_debug ("%s: %s", title, reason);
  /* Quitting: nobody to tell. */
  if (!g_application_get_is_registered (G_APPLICATION (self)))
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, reason);
  g_application_send_notification (G_APPLICATION (self), REFUSED_ID, notification);
}

static void
refuse (QmApplication *self,
        const char    *reason)
{
  _qm_application_notify_refused (self, _("Quartermaster could not do that"), reason);
}

/* NULL when the account can take a move now, else why not. */
static const char *
why_not_ready (QmApplication *self,
               gboolean       moving)
{
  QmSessionState state = qm_session_get_state (self->session);
  QmMoveExecutor *executor;

  if (state == QM_SESSION_STATE_SIGNING_IN)
    return _("Quartermaster is still signing in. Try again in a moment.");
  if (!qm_session_get_signed_in (self->session))
    return _("Nobody is signed in. Open Quartermaster and sign in first.");
  if (!moving)
    return state == QM_SESSION_STATE_LOADING ?
           _("Quartermaster is loading your inventory already.") : NULL;
  executor = qm_session_get_inventory (self->session) != NULL ?
             qm_session_get_executor (self->session) : NULL;
  if (executor == NULL)
    return _("Quartermaster is still loading your inventory. Try again in a moment.");
  if (qm_move_executor_get_running (executor))
    return _("Another move is still running. Try again when it is done.");
  return NULL;
}

/* ---------------------------------------------------------------------- */

static void
refresh_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *why = why_not_ready (self, FALSE);
  QmWindow *window;

  if (why != NULL)
    {
      refuse (self, why);
      return;
    }
  window = _qm_application_get_window (self);
  if (window == NULL)
    {
      /* A new window loads the inventory by itself. */
      g_application_activate (G_APPLICATION (self));
      return;
    }
  qm_window_refresh (window);
}

static const char * const views[] = { "inventory", "xur", "loadouts", NULL };

static void
show_view_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *view = g_variant_get_string (parameter, NULL);
  g_autofree char *reason = NULL;
  QmWindow *window;

  if (!g_strv_contains (views, view))
    {
      /* Translators: %s is what was asked for, e.g. "armory". */
      reason = g_strdup_printf (_("There is no view called “%s”."), view);
      refuse (self, reason);
      return;
    }
  g_application_activate (G_APPLICATION (self));
  window = _qm_application_get_window (self);
  if (window != NULL)
    qm_window_show_view (window, view);
}

/* The desktop file's action (its actions take no parameter). */
static void
show_loadouts_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "show-view",
                                  g_variant_new_string ("loadouts"));
}

/* ---------------------------------------------------------------------- */
/* Moves                                                                  */

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *reason = NULL;

  if (qm_move_executor_run_finish (QM_MOVE_EXECUTOR (source), result, &notice, &error))
    {
      g_debug ("Move done%s%s", notice != NULL ? ": " : "", notice != NULL ? notice : "");
      return;
    }
  if (qm_error_is_cancelled (error))
    return;
  reason = qm_error_describe (error);
  _qm_application_notify_refused (self, _("The move did not go through"), reason);
}

static QmMovePolicy
move_policy (QmApplication *self)
{
  QmMovePolicy policy = QM_MOVE_POLICY_DEFAULT;

  if (self->settings != NULL)
    policy.make_space = g_settings_get_boolean (self->settings, "make-space");
  return policy;
}

/* Plan and run @requests on the account's queue; a refusal or a failure
 * is told in a notification. */
void
_qm_application_run_moves (QmApplication       *self,
                           const QmMoveRequest *requests,
                           guint                n_requests)
{
  QmMoveExecutor *executor = qm_session_get_executor (self->session);
  QmMovePolicy policy = move_policy (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) steps = NULL;
  g_autofree char *reason = NULL;

  /* Refused before anything runs: said at once. */
  steps = qm_move_executor_plan (executor, requests, n_requests, &policy, &error);
  if (steps == NULL)
    {
      reason = qm_error_describe (error);
      refuse (self, reason);
      return;
    }
  qm_move_executor_run_async (executor, requests, n_requests, &policy, NULL,
                              on_run_done_cb, g_object_ref (self));
}

static void
move_item_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *why = why_not_ready (self, TRUE);
  g_autoptr(QmMoveState) state = NULL;
  g_autofree char *reason = NULL;
  QmMoveRequest request = { .kind = QM_MOVE_REQUEST_MOVE };
  const char *item_id, *destination;
  const QmMoveItem *item;
  guint64 instance_id = 0;
  guint64 character_id = 0;
  int index = -1;

  if (why != NULL)
    {
      refuse (self, why);
      return;
    }
  g_variant_get (parameter, "(&s&s)", &item_id, &destination);
  state = qm_move_executor_dup_state (qm_session_get_executor (self->session));
  if (g_ascii_string_to_unsigned (item_id, 10, 1, G_MAXUINT64, &instance_id, NULL))
    index = qm_move_state_find_instance (state, instance_id);
  if (index < 0)
    {
      reason = g_strdup_printf (_("This account has no item with the instance ID %s"), item_id);
      refuse (self, reason);
      return;
    }
  item = &g_array_index (state->items, QmMoveItem, index);

  request.target = QM_MOVE_VAULT;
  if (g_strcmp0 (destination, "vault") != 0 &&
      (!g_ascii_string_to_unsigned (destination, 10, 1, G_MAXUINT64, &character_id, NULL) ||
       (request.target = qm_move_state_find_character (state, character_id)) < 0))
    {
      /* Translators: %s is what was given as the destination. */
      reason = g_strdup_printf (_("“%s” is neither “vault” nor a character of this account."),
                                destination);
      refuse (self, reason);
      return;
    }
  request.instance_id = item->instance_id;
  request.hash = item->hash;
  request.place = item->place;
  request.owner = item->owner;
  _qm_application_run_moves (self, &request, 1);
}

/* Every item at @character_id's postmaster that can be pulled without a
 * side effect: the "Pull all" of the postmaster notification. */
static void
pull_postmaster_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *why = why_not_ready (self, TRUE);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(QmMoveState) state = NULL;
  g_autoptr(GArray) requests = g_array_new (FALSE, TRUE, sizeof (QmMoveRequest));
  guint64 character_id = 0;
  int owner = -1;

  if (why != NULL)
    {
      refuse (self, why);
      return;
    }
  state = qm_move_executor_dup_state (qm_session_get_executor (self->session));
  if (g_ascii_string_to_unsigned (id, 10, 1, G_MAXUINT64, &character_id, NULL))
    owner = qm_move_state_find_character (state, character_id);
  for (guint i = 0; owner >= 0 && i < state->items->len; i++)
    {
      const QmMoveItem *item = &g_array_index (state->items, QmMoveItem, i);
      QmMoveRequest request = { .kind = QM_MOVE_REQUEST_PULL };

      if (item->place != QM_MOVE_PLACE_POSTMASTER || item->owner != owner ||
          (item->flags & (QM_MOVE_ITEM_PULL_SIDE_EFFECTS | QM_MOVE_ITEM_NOT_TRANSFERABLE)) != 0)
        continue;
      request.instance_id = item->instance_id;
      request.hash = item->hash;
      request.place = item->place;
      request.owner = item->owner;
      request.target = owner;
      g_array_append_val (requests, request);
    }
  if (owner < 0)
    refuse (self, _("That character is not part of this account."));
  else if (requests->len == 0)
    refuse (self, _("The postmaster has nothing that can be pulled."));
  else
    /* One run each, queued: an item Bungie keeps does not stop the rest. */
    for (guint i = 0; i < requests->len; i++)
      _qm_application_run_moves (self, &g_array_index (requests, QmMoveRequest, i), 1);
}

/* ---------------------------------------------------------------------- */
/* Loadouts                                                               */

static void
on_loadout_equipped_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  g_autoptr(QmLoadouts) loadouts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *reason = NULL;

  loadouts = qm_loadout_manager_action_finish (QM_LOADOUT_MANAGER (source), result, &notice, &error);
  if (loadouts != NULL || qm_error_is_cancelled (error))
    return;
  reason = qm_error_describe (error);
  _qm_application_notify_refused (self, _("The loadout was not equipped"), reason);
}

static void
on_loadouts_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GVariant) parameter = user_data;
  QmApplication *self = g_object_get_data (G_OBJECT (source), "qm-application");
  g_autoptr(QmLoadouts) loadouts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  loadouts = qm_loadout_manager_refresh_finish (QM_LOADOUT_MANAGER (source), result, &error);
  if (self == NULL)
    return;
  if (loadouts == NULL)
    {
      reason = qm_error_describe (error);
      refuse (self, reason);
      return;
    }
  g_action_group_activate_action (G_ACTION_GROUP (self), "equip-loadout", parameter);
}

static void
equip_loadout_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *why = why_not_ready (self, TRUE);
  QmLoadoutManager *manager = qm_session_get_loadout_manager (self->session);
  QmLoadouts *loadouts = manager != NULL ? qm_loadout_manager_get_loadouts (manager) : NULL;
  g_autofree char *reason = NULL;
  QmLoadout *loadout = NULL;
  const char *character_id;
  int index;

  if (why == NULL && manager != NULL && qm_loadout_manager_get_busy (manager))
    why = _("Another loadout action is still running. Try again when it is done.");
  if (why != NULL)
    {
      refuse (self, why);
      return;
    }
  /* Not read yet (the Loadouts view was never shown): read, then equip. */
  if (loadouts == NULL)
    {
      g_object_set_data (G_OBJECT (manager), "qm-application", self);
      qm_loadout_manager_refresh_async (manager, NULL, on_loadouts_read_cb, g_variant_ref (parameter));
      return;
    }
  g_variant_get (parameter, "(&si)", &character_id, &index);
  if (loadouts != NULL)
    loadout = qm_loadouts_get_loadout (loadouts, character_id, index);
  if (loadout == NULL || qm_loadout_is_empty (loadout))
    {
      /* Translators: the loadout's number (from 1), then the character's id. */
      reason = g_strdup_printf (_("There is no loadout %d on the character %s."), index + 1, character_id);
      refuse (self, reason);
      return;
    }
  qm_loadout_manager_equip_async (manager, character_id, index, NULL, on_loadout_equipped_cb,
                                  g_object_ref (self));
}

/* ---------------------------------------------------------------------- */
/* Saved loadouts                                                         */

static void
on_saved_loadout_applied_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(QmApplication) self = user_data;
  QmLoadoutApply *apply = QM_LOADOUT_APPLY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (qm_loadout_apply_run_finish (apply, result, &error))
    {
      g_autofree char *summary = qm_loadout_apply_dup_summary (apply);

      g_debug ("Loadout “%s” applied: %s", qm_loadout_apply_get_name (apply), summary);
      return;
    }
  if (qm_error_is_cancelled (error))
    return;
  reason = qm_error_describe (error);
  _qm_application_notify_refused (self, _("The loadout was not applied"), reason);
}

/* A saved loadout (qm-loadout-store.h), read from its file now so that
 * one saved by quartermaster-cli a moment ago is there, applied in DIM's
 * order as the CLI's loadout-apply does. */
static void
apply_loadout_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  QmApplication *self = QM_APPLICATION (user_data);
  const char *why = why_not_ready (self, TRUE);
  g_autoptr(QmLoadoutStore) store = NULL;
  g_autoptr(QmLoadoutApply) apply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  QmSavedLoadout *loadout;
  QmInventory *inventory;
  const char *name, *character_text;
  guint64 character_id = 0;

  if (why != NULL)
    {
      refuse (self, why);
      return;
    }
  g_variant_get (parameter, "(&s&s)", &name, &character_text);
  inventory = qm_session_get_inventory (self->session);
  path = qm_loadout_store_get_default_path (qm_profile_get_membership_id (qm_inventory_get_profile (inventory)));
  if (path == NULL)
    {
      refuse (self, _("The account has no Destiny membership to keep loadouts for."));
      return;
    }
  store = qm_loadout_store_new_for_path (path);
  if (qm_loadout_store_get_damaged (store))
    {
      refuse (self, qm_loadout_store_get_damage_message (store));
      return;
    }
  loadout = qm_loadout_store_find (store, name);
  if (loadout == NULL)
    {
      reason = g_strdup_printf (_("There is no saved loadout named “%s”."), name);
      refuse (self, reason);
      return;
    }
  if (!g_ascii_string_to_unsigned (character_text, 10, 1, G_MAXUINT64, &character_id, NULL))
    {
      refuse (self, _("That character is not part of this account."));
      return;
    }
  apply = qm_loadout_apply_new (qm_session_get_executor (self->session), store, loadout,
                                character_id, &error);
  if (apply == NULL)
    {
      reason = qm_error_describe (error);
      refuse (self, reason);
      return;
    }
  qm_loadout_apply_run_async (apply, NULL, on_saved_loadout_applied_cb, g_object_ref (self));
}

static const GActionEntry actions[] = {
  { "equip-loadout", equip_loadout_action, "(si)", NULL, NULL },
  { "apply-loadout", apply_loadout_action, "(ss)", NULL, NULL },
  { "refresh", refresh_action, NULL, NULL, NULL },
  { "show-view", show_view_action, "s", NULL, NULL },
  { "show-loadouts", show_loadouts_action, NULL, NULL, NULL },
  { "move-item", move_item_action, "(ss)", NULL, NULL },
  { "pull-postmaster", pull_postmaster_action, "s", NULL, NULL },
};

void
_qm_application_add_desktop_actions (QmApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}
