/* qm-inventory.c: sign-in-to-items in one call: memberships, profile, definitions
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "qm-inventory"

#include "config.h"

#include "qm-inventory.h"

#include "qm-error.h"
#include "qm-json.h"
#include "qm-profile-cache.h"

struct _QmInventory
{
  GObject     parent_instance;

  QmProfile  *profile;
  QmManifest *manifest;
  GError     *manifest_error;
  GPtrArray  *memberships;
  gboolean    cached;             /* read from the profile cache */
  gint64      last_local_change;  /* µs since the epoch, 0: none */
};

G_DEFINE_FINAL_TYPE (QmInventory, qm_inventory, G_TYPE_OBJECT)

static void
qm_inventory_finalize (GObject *object)
{
  QmInventory *self = QM_INVENTORY (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->manifest);
  g_clear_error (&self->manifest_error);
  g_clear_pointer (&self->memberships, g_ptr_array_unref);

  G_OBJECT_CLASS (qm_inventory_parent_class)->finalize (object);
}

static void
qm_inventory_class_init (QmInventoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qm_inventory_finalize;
}

static void
qm_inventory_init (QmInventory *self)
{
  self->memberships = g_ptr_array_new_with_free_func ((GDestroyNotify) qm_membership_free);
}

void
qm_membership_free (QmMembership *membership)
{
  if (membership == NULL)
    return;

  g_free (membership->membership_id);
  g_free (membership->display_name);
  g_free (membership);
}

/* The state of one load: the profile's chain and the manifest's update run
 * side by side; the task returns once both are over. */
typedef struct
{
  QmBungieClient *client;
  QmManifest     *manifest;
  GCancellable   *cancellable;           /* the caller's, nullable */
  gulong          cancelled_id;
  GCancellable   *manifest_cancellable;  /* also cancelled on a fatal error */
  GBytes         *profile_answer;        /* GetProfile's body */
  char           *membership_id;         /* the preferred one, nullable */
  char           *chosen_id;             /* the one read */
  GPtrArray      *memberships;
  GError         *error;                 /* the first fatal error */
  GError         *manifest_error;        /* definitions missing: not fatal */
  guint           pending;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_assert (load->cancelled_id == 0);
  g_clear_object (&load->client);
  g_clear_object (&load->manifest);
  g_clear_object (&load->cancellable);
  g_clear_object (&load->manifest_cancellable);
  g_clear_pointer (&load->profile_answer, g_bytes_unref);
  g_free (load->membership_id);
  g_free (load->chosen_id);
  g_clear_pointer (&load->memberships, g_ptr_array_unref);
  g_clear_error (&load->error);
  g_clear_error (&load->manifest_error);
  g_free (load);
}

/**
 * qm_inventory_new:
 *
 * Returns: (transfer full): an inventory of @profile's items with the
 *   definitions of @manifest applied
 */
QmInventory *
qm_inventory_new (QmProfile  *profile,
                  QmManifest *manifest)
{
  QmInventory *self;
  GListModel *items;

  g_return_val_if_fail (QM_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (QM_IS_MANIFEST (manifest), NULL);

  self = g_object_new (QM_TYPE_INVENTORY, NULL);
  self->profile = g_object_ref (profile);
  self->manifest = g_object_ref (manifest);
  items = qm_profile_get_items (profile);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      qm_manifest_apply (manifest, item);
    }
  return self;
}

/**
 * qm_inventory_load_cached:
 * @membership_id: the Destiny membership whose profile to show
 * @manifest: the definitions to apply (as loaded so far)
 *
 * The profile the last live load of @membership_id saved (see
 * qm-profile-cache.h), read and decoded at once (a few milliseconds), to
 * show at start-up while the live load runs. Its memberships are empty and
 * qm_inventory_is_cached() says where it comes from.
 *
 * Returns: (transfer full): the inventory, or %NULL with
 *   G_IO_ERROR_NOT_FOUND (nothing saved), another G_IO_ERROR (unreadable),
 *   or QM_CLIENT_ERROR_MALFORMED (damaged or not this membership's: it is
 *   ignored, and replaced by the next live load)
 */
QmInventory *
qm_inventory_load_cached (const char  *membership_id,
                          QmManifest  *manifest,
                          GError     **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(QmProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  const char *owner;
  QmInventory *inventory;

  g_return_val_if_fail (QM_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  answer = qm_profile_cache_load (membership_id, error);
  if (answer == NULL)
    return NULL;
  path = qm_profile_cache_get_path (membership_id);
  profile = qm_profile_parse_bytes (answer, &local_error);
  if (profile == NULL)
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The profile saved in %s is damaged and was ignored: %s",
                   path, local_error->message);
      return NULL;
    }
  owner = qm_profile_get_membership_id (profile);
  if (owner != NULL && !g_str_equal (owner, membership_id))
    {
      g_set_error (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                   "The profile saved in %s is membership %s’s, not %s’s: it was ignored",
                   path, owner, membership_id);
      return NULL;
    }

  inventory = qm_inventory_new (profile, manifest);
  inventory->cached = TRUE;
  return inventory;
}

static QmInventory *
build_inventory (LoadData  *load,
                 GError   **error)
{
  g_autoptr(QmProfile) profile = qm_profile_parse_bytes (load->profile_answer, error);
  g_autoptr(GError) save_error = NULL;
  QmInventory *inventory;

  if (profile == NULL)
    return NULL;
  /* For the next start; a failure costs only that (a start without it). */
  if (!qm_profile_cache_save (load->chosen_id, load->profile_answer,
                              qm_profile_get_minted (profile), &save_error))
    g_debug ("The profile could not be saved for the next start: %s", save_error->message);
  inventory = qm_inventory_new (profile, load->manifest);
  inventory->manifest_error = g_steal_pointer (&load->manifest_error);
  if (load->memberships != NULL)
    {
      g_ptr_array_unref (inventory->memberships);
      inventory->memberships = g_steal_pointer (&load->memberships);
    }
  return inventory;
}

/* One of the two branches is over: return once both are. */
static void
branch_done (GTask *task)
{
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;
  QmInventory *inventory;

  g_assert (load->pending > 0);
  if (--load->pending > 0)
    return;

  /* A plain signal handler: disconnecting it never waits for an emission. */
  g_clear_signal_handler (&load->cancelled_id, load->cancellable);
  if (load->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&load->error));
      return;
    }
  inventory = build_inventory (load, &error);
  if (inventory == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, inventory, g_object_unref);
}

/* A fatal error: without a profile there is nothing to show definitions on. */
static void
fail (GTask  *task,
      GError *error)
{
  LoadData *load = g_task_get_task_data (task);

  if (load->error == NULL)
    load->error = error;
  else
    g_error_free (error);
  g_cancellable_cancel (load->manifest_cancellable);
}

static void
on_manifest_updated_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!qm_manifest_update_finish (QM_MANIFEST (source), result, NULL, &error) &&
      !qm_error_is_cancelled (error))
    {
      g_debug ("Item definitions are not available: %s", error->message);
      load->manifest_error = g_steal_pointer (&error);
    }
  branch_done (task);
}

static void
on_profile_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->profile_answer = qm_bungie_client_get_profile_bytes_finish (QM_BUNGIE_CLIENT (source),
                                                                    result, &error);
  if (load->profile_answer == NULL)
    fail (task, error);
  branch_done (task);
}

static void
on_memberships_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(JsonNode) response = NULL;
  QmMembership *chosen;
  GCancellable *cancellable;
  GError *error = NULL;

  response = qm_bungie_client_get_memberships_finish (QM_BUNGIE_CLIENT (source), result, &error);
  if (response != NULL)
    load->memberships = qm_memberships_list (response, &error);
  if (load->memberships == NULL)
    {
      fail (task, error);
      branch_done (task);
      return;
    }

  chosen = qm_memberships_choose (load->memberships, load->membership_id);
  load->chosen_id = g_strdup (chosen->membership_id);
  cancellable = g_task_get_cancellable (task);
  /* Read in place from the bytes, which also go to the cache as they came. */
  qm_bungie_client_get_profile_bytes_async (load->client, chosen->membership_type,
                                            chosen->membership_id, QM_PROFILE_COMPONENTS,
                                            cancellable, on_profile_cb, g_steal_pointer (&task));
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 GCancellable *manifest_cancellable)
{
  g_cancellable_cancel (manifest_cancellable);
}

/**
 * qm_inventory_load_with_manifest_async:
 * @manifest: (nullable): definitions to bring up to date and use; a new
 *   manifest when %NULL. Reusing one skips the download while the content
 *   version stays the same.
 *
 * Like qm_inventory_load_async().
 */
void
qm_inventory_load_with_manifest_async (QmBungieClient      *client,
                                       QmManifest          *manifest,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  qm_inventory_load_for_membership_async (client, manifest, NULL, cancellable,
                                          callback, user_data);
}

/**
 * qm_inventory_load_for_membership_async:
 * @manifest: (nullable): as for qm_inventory_load_with_manifest_async()
 * @membership_id: (nullable): the Destiny membership to read; %NULL, or one
 *   the account does not have, reads the cross-save primary (else the first)
 *
 * Like qm_inventory_load_async().
 */
void
qm_inventory_load_for_membership_async (QmBungieClient      *client,
                                        QmManifest          *manifest,
                                        const char          *membership_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (QM_IS_BUNGIE_CLIENT (client));
  g_return_if_fail (manifest == NULL || QM_IS_MANIFEST (manifest));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_inventory_load_async);
  load = g_new0 (LoadData, 1);
  load->client = g_object_ref (client);
  load->manifest = manifest != NULL ? g_object_ref (manifest) : qm_manifest_new (NULL);
  load->manifest_cancellable = g_cancellable_new ();
  load->membership_id = g_strdup (membership_id);
  load->pending = 2;
  g_task_set_task_data (task, load, load_data_free);
  if (cancellable != NULL)
    {
      load->cancellable = g_object_ref (cancellable);
      load->cancelled_id = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_cancelled_cb),
                                             load->manifest_cancellable);
      if (g_cancellable_is_cancelled (cancellable))
        g_cancellable_cancel (load->manifest_cancellable);
    }

  /* The definitions do not depend on the account: fetch them meanwhile. */
  qm_manifest_update_async (load->manifest, client, load->manifest_cancellable,
                            on_manifest_updated_cb, g_object_ref (task));
  qm_bungie_client_get_memberships_async (client, cancellable, on_memberships_cb,
                                          g_steal_pointer (&task));
}

/**
 * qm_inventory_load_async:
 *
 * Picks the account's Destiny membership, reads its profile and brings the
 * item definitions up to date, all at once. Failing definitions are not
 * fatal: the items then show as unknown.
 */
void
qm_inventory_load_async (QmBungieClient      *client,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  qm_inventory_load_with_manifest_async (client, NULL, cancellable, callback, user_data);
}

/**
 * qm_inventory_load_finish:
 *
 * Returns: (transfer full): the inventory, or %NULL with the error of the
 *   memberships or profile call
 */
QmInventory *
qm_inventory_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_inventory_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

QmProfile *
qm_inventory_get_profile (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), NULL);
  return self->profile;
}

/**
 * qm_inventory_get_memberships:
 *
 * Returns: (transfer none) (element-type QmMembership): the account's
 *   memberships in display order, as seen on load
 */
GPtrArray *
qm_inventory_get_memberships (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), NULL);
  return self->memberships;
}

QmManifest *
qm_inventory_get_manifest (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), NULL);
  return self->manifest;
}

/**
 * qm_inventory_is_cached:
 *
 * Returns: whether the inventory was read from the profile cache
 *   (qm_inventory_load_cached()) rather than loaded live
 */
gboolean
qm_inventory_is_cached (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), FALSE);
  return self->cached;
}

/**
 * qm_inventory_note_local_change:
 * @sent_at: g_get_real_time() when the action's request was sent
 *
 * Records that the app changed an item of this inventory (a move, equip or
 * lock that Bungie acknowledged, patched into the items), so that profiles
 * minted before it are not shown over the change: see
 * qm_inventory_judge_update(). The time the request left, not the time the
 * answer came: every profile minted before that lacks the change, while
 * one Bungie mints after applying it (between the two) has it.
 */
void
qm_inventory_note_local_change (QmInventory *self,
                                gint64       sent_at)
{
  g_return_if_fail (QM_IS_INVENTORY (self));
  g_return_if_fail (sent_at > 0);

  self->last_local_change = MAX (self->last_local_change, sent_at);
}

/**
 * qm_inventory_get_last_local_change:
 *
 * Returns: when qm_inventory_note_local_change() was last called, µs since
 *   the epoch; 0 when never
 */
gint64
qm_inventory_get_last_local_change (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), 0);
  return self->last_local_change;
}

/**
 * qm_inventory_judge_update:
 * @self: the inventory shown
 * @fetched: one just loaded
 *
 * Whether @fetched may replace @self (qm_profile_judge_freshness() on their
 * profiles' minted times and @self's last local change). A live profile
 * minted at the same time as a cached one shown is %QM_PROFILE_FRESH: the
 * same items, but with the account's memberships and the load's news.
 *
 * Returns: %QM_PROFILE_FRESH when @fetched should be shown instead of @self
 */
QmProfileFreshness
qm_inventory_judge_update (QmInventory *self,
                           QmInventory *fetched)
{
  QmProfileFreshness freshness;

  g_return_val_if_fail (QM_IS_INVENTORY (self), QM_PROFILE_FRESH);
  g_return_val_if_fail (QM_IS_INVENTORY (fetched), QM_PROFILE_FRESH);

  freshness = qm_profile_judge_freshness (qm_profile_get_minted (fetched->profile),
                                          qm_profile_get_minted (self->profile),
                                          self->last_local_change, g_get_real_time ());
  if (freshness == QM_PROFILE_UNCHANGED && self->cached && !fetched->cached)
    return QM_PROFILE_FRESH;
  return freshness;
}

/**
 * qm_inventory_get_manifest_error:
 *
 * Returns: (nullable): why the item definitions could not be brought up to
 *   date on load (the items then show as unknown, or with older definitions)
 */
const GError *
qm_inventory_get_manifest_error (QmInventory *self)
{
  g_return_val_if_fail (QM_IS_INVENTORY (self), NULL);
  return self->manifest_error;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_item (JsonBuilder *builder,
          QmItem      *item,
          QmManifest  *manifest)
{
  g_autofree char *bucket_name = qm_bucket_dup_name (manifest, qm_item_get_bucket_hash (item));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_int_value (builder, qm_item_get_hash (item));
  add_nullable_string (builder, "instance_id", qm_item_get_instance_id (item));
  add_nullable_string (builder, "name", qm_item_get_name (item));
  json_builder_set_member_name (builder, "bucket");
  json_builder_add_int_value (builder, qm_item_get_bucket_hash (item));
  add_nullable_string (builder, "bucket_name", bucket_name);
  json_builder_set_member_name (builder, "location");
  json_builder_add_string_value (builder, qm_item_location_to_string (qm_item_get_location (item)));
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, qm_item_get_quantity (item));
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, qm_item_get_locked (item));
  json_builder_set_member_name (builder, "power");
  if (qm_item_get_power (item) >= 0)
    json_builder_add_int_value (builder, qm_item_get_power (item));
  else
    json_builder_add_null_value (builder);
  add_nullable_string (builder, "tier", qm_item_get_tier_name (item));
  json_builder_end_object (builder);
}

typedef gboolean (*ItemMatch) (QmItem     *item,
                               const char *character_id);

static gboolean
belongs_to_character (QmItem     *item,
                     const char *character_id)
{
  return qm_item_is_held_by (item, character_id);
}

static gboolean
is_in_vault (QmItem     *item,
             const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_VAULT;
}

static gboolean
is_account_wide (QmItem     *item,
                 const char *unused)
{
  return qm_item_get_location (item) == QM_ITEM_LOCATION_ACCOUNT;
}

static void
add_items (JsonBuilder *builder,
           const char  *member,
           GListModel  *items,
           QmManifest  *manifest,
           ItemMatch    match,
           const char  *character_id)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(QmItem) item = g_list_model_get_item (items, i);

      if (match (item, character_id))
        add_item (builder, item, manifest);
    }
  json_builder_end_array (builder);
}

static void
add_character (JsonBuilder       *builder,
               const QmCharacter *character,
               GListModel        *items,
               QmManifest        *manifest)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, character->id);
  json_builder_set_member_name (builder, "class");
  json_builder_add_string_value (builder, qm_class_type_to_string (character->class_type));
  json_builder_set_member_name (builder, "light");
  json_builder_add_int_value (builder, character->light);
  add_items (builder, "items", items, manifest, belongs_to_character, character->id);
  json_builder_end_object (builder);
}

/**
 * qm_inventory_to_json:
 *
 * Returns: (transfer full): the document `quartermaster-cli inventory --json` prints
 */
JsonNode *
qm_inventory_to_json (QmInventory *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GListModel *items;

  g_return_val_if_fail (QM_IS_INVENTORY (self), NULL);

  items = qm_profile_get_items (self->profile);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "characters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < qm_profile_get_n_characters (self->profile); i++)
    add_character (builder, qm_profile_get_character (self->profile, i), items, self->manifest);
  json_builder_end_array (builder);
  add_items (builder, "vault", items, self->manifest, is_in_vault, NULL);
  add_items (builder, "account", items, self->manifest, is_account_wide, NULL);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Cross save hides a platform's membership by overriding it with another's. */
static gboolean
membership_is_hidden (JsonObject *membership)
{
  gint64 type = qm_json_get_int (membership, "membershipType", 0);
  gint64 override = qm_json_get_int (membership, "crossSaveOverride", 0);

  return override != 0 && override != type;
}

static QmMembership *
membership_parse (JsonObject *object,
                  const char *primary_id)
{
  g_autofree char *id = qm_json_dup_id (object, "membershipId");
  QmMembership *membership;
  const char *name;

  if (id == NULL || membership_is_hidden (object))
    return NULL;
  name = qm_json_get_string (object, "bungieGlobalDisplayName");
  if (name == NULL || *name == '\0')
    name = qm_json_get_string (object, "displayName");

  membership = g_new0 (QmMembership, 1);
  membership->membership_type = (int) qm_json_get_int (object, "membershipType", 0);
  membership->is_primary = primary_id != NULL && g_str_equal (id, primary_id);
  membership->membership_id = g_steal_pointer (&id);
  membership->display_name = g_strdup (name);
  return membership;
}

static void
add_memberships (GPtrArray  *list,
                 JsonArray  *memberships,
                 const char *primary_id)
{
  for (guint i = 0; memberships != NULL && i < json_array_get_length (memberships); i++)
    {
      JsonNode *node = json_array_get_element (memberships, i);
      QmMembership *membership;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      membership = membership_parse (json_node_get_object (node), primary_id);
      if (membership == NULL)
        continue;
      if (membership->is_primary)
        g_ptr_array_insert (list, 0, membership);
      else
        g_ptr_array_add (list, membership);
    }
}

/**
 * qm_memberships_list:
 * @response: a UserMembershipData node (GetMembershipsForCurrentUser)
 *
 * Pure: the Destiny memberships to offer, the cross-save primary first, then
 * the others in the answer's order, without those cross save hides.
 *
 * Returns: (transfer full) (element-type QmMembership): a non-empty array;
 *   %NULL with QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND (no Destiny
 *   membership) or QM_CLIENT_ERROR_MALFORMED
 */
GPtrArray *
qm_memberships_list (JsonNode  *response,
                     GError   **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *primary_id = NULL;
  JsonObject *root;

  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    {
      g_set_error_literal (error, QM_CLIENT_ERROR, QM_CLIENT_ERROR_MALFORMED,
                           "The memberships answer is not a JSON object");
      return NULL;
    }

  root = json_node_get_object (response);
  primary_id = qm_json_dup_id (root, "primaryMembershipId");
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) qm_membership_free);
  add_memberships (list, qm_json_get_array (root, "destinyMemberships"), primary_id);
  if (list->len == 0)
    {
      g_set_error_literal (error, QM_PLATFORM_ERROR, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND,
                           "This Bungie.net account has no Destiny 2 account");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * qm_memberships_choose:
 * @memberships: (element-type QmMembership): as from qm_memberships_list()
 * @membership_id: (nullable): the preferred membership
 *
 * Returns: (transfer none) (nullable): the membership with @membership_id
 *   when listed, else the first one
 */
QmMembership *
qm_memberships_choose (GPtrArray  *memberships,
                       const char *membership_id)
{
  g_return_val_if_fail (memberships != NULL, NULL);

  for (guint i = 0; membership_id != NULL && i < memberships->len; i++)
    {
      QmMembership *membership = g_ptr_array_index (memberships, i);

      if (g_str_equal (membership->membership_id, membership_id))
        return membership;
    }
  return memberships->len > 0 ? g_ptr_array_index (memberships, 0) : NULL;
}

/**
 * qm_memberships_pick:
 * @response: a UserMembershipData node (GetMembershipsForCurrentUser)
 * @membership_type: (out): the chosen membership's BungieMembershipType
 * @membership_id: (out) (transfer full): the chosen Destiny membership id
 *
 * Pure: the first of qm_memberships_list(): primaryMembershipId's membership
 * when it is set and listed, else the first of destinyMemberships that cross
 * save does not hide.
 *
 * Returns: %TRUE when a membership was found; otherwise the errors of
 *   qm_memberships_list()
 */
gboolean
qm_memberships_pick (JsonNode  *response,
                     int       *membership_type,
                     char     **membership_id,
                     GError   **error)
{
  g_autoptr(GPtrArray) list = NULL;
  QmMembership *chosen;

  g_return_val_if_fail (membership_type != NULL, FALSE);
  g_return_val_if_fail (membership_id != NULL, FALSE);

  list = qm_memberships_list (response, error);
  if (list == NULL)
    return FALSE;
  chosen = g_ptr_array_index (list, 0);
  *membership_type = chosen->membership_type;
  *membership_id = g_strdup (chosen->membership_id);
  return TRUE;
}
