/* qm-sandbox.c: a faithful fake of Bungie.net and the PSN sign-in on loopback
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer on 127.0.0.1 answers two hosts: "127.0.0.1:PORT" is
 * Bungie.net (Platform API, content, OAuth, the PSN sign-in's Bungie end) and
 * "localhost:PORT" is the PSN sign-in, so a cookie jar scopes their cookies
 * apart as browsers do.
 */

#define G_LOG_DOMAIN "qm-sandbox"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "qm-sandbox.h"
#include "qm-sandbox-faults.h"
#include "qm-sandbox-recorder.h"
#include "qm-sandbox-rules.h"
#include "qm-sandbox-world.h"
#include "qm-error.h"
#include "qm-json.h"

#define USEC_PER_SEC               G_GINT64_CONSTANT (1000000)
#define ACCESS_TOKEN_LIFETIME      3600
#define REFRESH_TOKEN_LIFETIME     7776000
#define AUTH_CODE_LIFETIME         300
#define TIMEOUT_FAULT_SECONDS      300
#define DEFAULT_THROTTLE_SECONDS   10
/* Bungie's ThrottleSecondsBetweenActionPerUser, less a little slack for the
 * jitter between a client's send time and our arrival time. */
#define ITEM_ACTION_SPACING_US     (G_GINT64_CONSTANT (100000) - 10000)
#define LOADOUT_ACTION_SPACING_US  (G_GINT64_CONSTANT (1000000) - 10000)
#define JSON_TYPE                  "application/json; charset=utf-8"
#define HTML_TYPE                  "text/html; charset=utf-8"
#define CONTENT_PREFIX             "/common/destiny2_content/"
#define JSON_CONTENT_PREFIX        "/common/destiny2_content/json/"
#define ICON_PREFIX                "/common/destiny2_content/icons/"
#define PSN_SIGN_IN_PATH           "/en/User/SignIn/Psnid"
#define DEFAULT_VENDOR_GROUP_HASH  3227191227u

typedef enum
{
  ROUTE_PLATFORM  = 1 << 0,  /* an envelope API call: needs X-API-Key */
  ROUTE_AUTH      = 1 << 1,  /* needs a signed-in user */
  ROUTE_POST      = 1 << 2,
  ROUTE_ITEM      = 1 << 3,  /* item action: spaced 0.1 s */
  ROUTE_LOADOUT   = 1 << 4,  /* loadout action: spaced 1 s */
} RouteFlags;

typedef struct _Request Request;
typedef void (*RouteHandler) (QmSandbox *self,
                              Request   *req);

typedef struct
{
  const char   *operation;
  RouteHandler  handler;
  RouteFlags    flags;
} Route;

struct _Request
{
  SoupServerMessage  *msg;
  const char         *method;
  const char         *path;
  const char         *query_string;
  GHashTable         *query;
  const char         *host;
  SoupMessageHeaders *headers;
  GBytes             *body;
  const Route        *route;
  /* Path parameters of Destiny2 routes. */
  char               *membership_type;
  char               *membership_id;
  char               *character_id;
  char               *vendor_hash;
  char               *action;
  gboolean            signed_in;
};

typedef struct
{
  gint64  expires_at;   /* monotonic µs */
  char   *csrf;         /* the bungled cookie of a cookie session, or NULL */
  char   *state;        /* PSN sessions: the OAuth state */
} Secret;

typedef struct
{
  QmSandbox         *self;
  SoupServerMessage *msg;
  GSource           *timer;
  gboolean           hold;      /* a timeout fault: no answer is due */
} Pending;

typedef struct
{
  JsonNode *profile;
  char     *minted;
  gint64    taken_at;
} Snapshot;

struct _QmSandbox
{
  GObject            parent_instance;

  guint64            seed;
  char              *data_dir;
  guint              requested_port;
  guint              n_items;
  gboolean           gzip_content;
  gboolean           xur_present;
  double             profile_cache_delay;
  int                throttle_seconds;
  gboolean           no_action_throttle;

  QmSandboxWorld    *world;
  SoupServer        *server;
  GMainContext      *context;         /* where the server runs */
  guint              port;
  char              *bungie_origin;
  char              *psn_origin;

  QmSandboxFaults   *faults;
  QmSandboxRecorder *recorder;
  GRand             *fault_rand;
  GRand             *secret_rand;

  GHashTable        *call_counts;     /* operation -> count */
  GHashTable        *access_tokens;   /* token -> Secret */
  GHashTable        *refresh_tokens;  /* token -> Secret */
  GHashTable        *auth_codes;      /* code -> Secret */
  GHashTable        *psn_sessions;    /* JSESSIONID -> Secret (state) */
  GHashTable        *psn_signed_in;   /* JSESSIONID -> Secret (state) */
  GHashTable        *psn_grants;      /* grant code -> Secret */
  GPtrArray         *issued;          /* every secret handed out, for tests */

  gint64             last_item_action;
  gint64             last_loadout_action;
  gint64             changed_at;      /* real time µs */
  Snapshot          *snapshot;
  GPtrArray         *pending;         /* Pending */
};

G_DEFINE_FINAL_TYPE (QmSandbox, qm_sandbox, G_TYPE_OBJECT)

/* ---------------------------------------------------------------------- */
/* Small helpers                                                           */

static void
secret_free (gpointer data)
{
  Secret *secret = data;

  g_free (secret->csrf);
  g_free (secret->state);
  g_free (secret);
}

static Secret *
secret_new (gint64 lifetime_s)
{
  Secret *secret = g_new0 (Secret, 1);

  secret->expires_at = g_get_monotonic_time () + lifetime_s * USEC_PER_SEC;
  return secret;
}

static gboolean
secret_is_expired (const Secret *secret)
{
  return g_get_monotonic_time () >= secret->expires_at;
}

static void
snapshot_free (Snapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  json_node_unref (snapshot->profile);
  g_free (snapshot->minted);
  g_free (snapshot);
}

static char *
random_token (QmSandbox *self,
              guint      n_words)
{
  GString *text = g_string_sized_new (n_words * 8);

  for (guint i = 0; i < n_words; i++)
    g_string_append_printf (text, "%08x", g_rand_int (self->secret_rand));
  g_ptr_array_add (self->issued, g_strdup (text->str));
  return g_string_free (text, FALSE);
}

static char *
format_timestamp (gint64 real_time_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (real_time_us / USEC_PER_SEC);
  g_autoptr(GDateTime) dt = g_date_time_add (seconds, real_time_us % USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
mark_changed (QmSandbox *self)
{
  gint64 now = g_get_real_time ();

  self->changed_at = MAX (now, self->changed_at + 1);
}

static JsonNode *
node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* Answers share the world's nodes instead of copying them: an answer is
 * serialized before anything can change the world. */
static void
set_shared_member (JsonObject *target,
                   const char *name,
                   JsonNode   *value)
{
  json_object_set_member (target, name, json_node_ref (value));
}

/* Cookie header values by name (a tiny parser: Cookie is "a=b; c=d"). */
static char *
request_cookie (Request    *req,
                const char *name)
{
  const char *header = soup_message_headers_get_one (req->headers, "Cookie");
  g_auto(GStrv) pairs = NULL;

  if (header == NULL)
    return NULL;
  pairs = g_strsplit (header, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *eq = strchr (pair, '=');

      if (eq != NULL && (gsize) (eq - pair) == strlen (name) &&
          strncmp (pair, name, eq - pair) == 0)
        return g_strdup (eq + 1);
    }
  return NULL;
}

static const char *
query_param (Request    *req,
             const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
escape_html (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* ---------------------------------------------------------------------- */
/* Answers                                                                 */

/* The Message Bungie sends with an ErrorCode, for the codes whose wording is
 * on record: the spec gives none but Success's (openapi.json has no
 * messages; bungie-api.md §3), so each entry names the real answer it was
 * copied from. Two spaces after a full stop are Bungie's. Every other code
 * gets generic_message(), worded so nobody takes it for Bungie's. */
typedef struct
{
  int         code;
  const char *message;
} CodeMessage;

static const CodeMessage messages[] = {
  /* bungie-api.md §3: Success means ErrorCode 1, Message "Ok". */
  { 1, "Ok" },
  /* github.com/Bungie-net/api issues #58 and #263 (GetMembershipsForCurrentUser). */
  { 99, "Please sign-in to continue." },
  /* Bungie-net/api #164 (GetProfile) and #590 (GetStats). */
  { 1601, "We were unable to find your Destiny account information.  If you have a valid Destiny Account, let us know." },
  /* Bungie-net/api #400 (SetLockState), #949 and #1936 (TransferItem). */
  { 1623, "The item requested was not found." },
  /* Bungie-net/api #979 (GetVendor for Xûr), #394 and #912 (TransferItem). */
  { 1627, "The Vendor you requested was not found." },
  /* DestinyItemManager/DIM #6757: "Bungie.net message: This item cannot be equipped." */
  { 1640, "This item cannot be equipped." },
  /* DestinyItemManager/DIM #5019 (TransferItem). */
  { 1642, "There are no item slots available to transfer this item." },
  /* Bungie-net/api #595 (GetProfile). */
  { 1643, "We couldn't get your Destiny data right now, something funky's going on.  Try again later." },
  /* Bungie-net/api #770 (TransferItem). */
  { 1656, "You cannot perform this action on an equipped item." },
};

/* For a code whose wording is not on record: plainly the sandbox's. */
static char *
generic_message (int code)
{
  const char *name = qm_platform_error_code_name (code);

  return g_strdup_printf ("Bungie.net error %d (%s); the sandbox has no record of Bungie's message for it.",
                          code, name != NULL ? name : "Unknown");
}

static char *
message_for_code (int code)
{
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (messages[i].code == code)
      return g_strdup (messages[i].message);
  return generic_message (code);
}

static guint
http_status_for_code (int code)
{
  if (code == 1)
    return SOUP_STATUS_OK;
  if (code == 21)
    return SOUP_STATUS_NOT_FOUND;
  if (code == 5 || code == QM_PLATFORM_ERROR_DESTINY_THROTTLED_BY_GAME_SERVER)
    return SOUP_STATUS_SERVICE_UNAVAILABLE;
  if (qm_platform_error_is_throttle (code))
    return 429;
  if (qm_platform_error_is_auth (code) || code == 2101 || code == 2102)
    return SOUP_STATUS_UNAUTHORIZED;
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

static void
reply_bytes (Request    *req,
             guint       status,
             const char *content_type,
             const char *data,
             gsize       length)
{
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY, data, length);
}

static void
reply_json (Request  *req,
            guint     status,
            JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  reply_bytes (req, status, JSON_TYPE, text, strlen (text));
}

/* Takes @response (nullable). Failed calls carry no Response, as Bungie's. */
static void
reply_envelope_full (Request  *req,
                     guint     status,
                     int       code,
                     int       throttle_seconds,
                     JsonNode *response)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = message_for_code (code);
  const char *name = qm_platform_error_code_name (code);

  if (response != NULL)
    json_object_set_member (envelope, "Response", response);
  json_object_set_int_member (envelope, "ErrorCode", code);
  json_object_set_int_member (envelope, "ThrottleSeconds", throttle_seconds);
  json_object_set_string_member (envelope, "ErrorStatus", name != NULL ? name : "Unknown");
  json_object_set_string_member (envelope, "Message", message);
  json_object_set_object_member (envelope, "MessageData", json_object_new ());
  root = node_from_object (json_object_ref (envelope));
  reply_json (req, status, root);
}

static void
reply_success (Request  *req,
               JsonNode *response)
{
  reply_envelope_full (req, SOUP_STATUS_OK, 1, 0, response);
}

static void
reply_error (Request *req,
             int      code)
{
  reply_envelope_full (req, http_status_for_code (code), code, 0, NULL);
}

static void
reply_html (Request    *req,
            guint       status,
            const char *title,
            const char *body_html)
{
  g_autofree char *page = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head>"
                                           "<meta charset=\"utf-8\"><title>%s</title></head>\n"
                                           "<body>\n<h1>%s</h1>\n%s\n</body></html>\n",
                                           title, title, body_html);

  reply_bytes (req, status, HTML_TYPE, page, strlen (page));
}

static void
reply_redirect (Request    *req,
                const char *location)
{
  soup_server_message_set_status (req->msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
}

static void
add_response_header (Request    *req,
                     const char *name,
                     const char *value)
{
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), name, value);
}

static void
reply_oauth_error (Request    *req,
                   guint       status,
                   const char *error,
                   const char *description)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (object, "error", error);
  if (description != NULL)
    json_object_set_string_member (object, "error_description", description);
  node = node_from_object (json_object_ref (object));
  reply_json (req, status, node);
}

static void
reply_not_found_page (Request *req)
{
  reply_html (req, SOUP_STATUS_NOT_FOUND, "Not Found",
              "<p>The page you requested does not exist.</p>");
}

/* ---------------------------------------------------------------------- */
/* Authentication                                                          */

typedef enum
{
  AUTH_ANONYMOUS,
  AUTH_SIGNED_IN,
  AUTH_FAILED,
} AuthState;

static AuthState
check_token (QmSandbox  *self,
             const char *token,
             const char *csrf,
             int        *error_code)
{
  Secret *secret = g_hash_table_lookup (self->access_tokens, token);

  if (secret == NULL)
    {
      *error_code = QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED;
      return AUTH_FAILED;
    }
  /* A cookie session must echo its bungled cookie in x-csrf. */
  if (secret->csrf != NULL && g_strcmp0 (secret->csrf, csrf) != 0)
    {
      *error_code = QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED;
      return AUTH_FAILED;
    }
  if (secret_is_expired (secret))
    {
      *error_code = QM_PLATFORM_ERROR_ACCESS_TOKEN_HAS_EXPIRED;
      return AUTH_FAILED;
    }
  return AUTH_SIGNED_IN;
}

static AuthState
authenticate (QmSandbox *self,
              Request   *req,
              int       *error_code)
{
  const char *authorization = soup_message_headers_get_one (req->headers, "Authorization");
  g_autofree char *atk = NULL;
  g_autofree char *bungled = NULL;
  const char *csrf;

  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 || authorization[7] == '\0')
        {
          *error_code = QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED;
          return AUTH_FAILED;
        }
      return check_token (self, authorization + 7, NULL, error_code);
    }

  atk = request_cookie (req, "bungleatk");
  if (atk == NULL)
    return AUTH_ANONYMOUS;
  bungled = request_cookie (req, "bungled");
  csrf = soup_message_headers_get_one (req->headers, "x-csrf");
  if (bungled == NULL || g_strcmp0 (bungled, csrf) != 0)
    {
      *error_code = QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED;
      return AUTH_FAILED;
    }
  return check_token (self, atk, csrf, error_code);
}

static char *
issue_access_token (QmSandbox  *self,
                    const char *csrf)
{
  char *token = random_token (self, 8);
  Secret *secret = secret_new (ACCESS_TOKEN_LIFETIME);

  secret->csrf = g_strdup (csrf);
  g_hash_table_insert (self->access_tokens, g_strdup (token), secret);
  return token;
}

/* ---------------------------------------------------------------------- */
/* World accessors                                                         */

static JsonObject *
profile_data (QmSandbox  *self,
              const char *component)
{
  return qm_sandbox_world_component (self->world, component);
}

static gboolean
membership_matches (QmSandbox *self,
                    Request   *req,
                    int       *error_code)
{
  gint64 type;

  if (!qm_json_is_id_string (req->membership_type) || !qm_json_is_id_string (req->membership_id))
    {
      *error_code = 7;
      return FALSE;
    }
  type = g_ascii_strtoll (req->membership_type, NULL, 10);
  if (type != self->world->membership_type ||
      g_strcmp0 (req->membership_id, self->world->membership_id) != 0)
    {
      *error_code = QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND;
      return FALSE;
    }
  return TRUE;
}

static gboolean
has_character (QmSandbox  *self,
               const char *character_id)
{
  JsonObject *characters = profile_data (self, "characters");

  return character_id != NULL && characters != NULL &&
         json_object_has_member (characters, character_id);
}

static gboolean
vendor_is_present (QmSandbox  *self,
                   const char *hash)
{
  g_autofree char *xur = g_strdup_printf ("%u", QM_VENDOR_XUR);
  g_autofree char *xur_gear = g_strdup_printf ("%u", QM_VENDOR_XUR_STRANGE_GEAR);

  if (!g_hash_table_contains (self->world->vendors, hash))
    return FALSE;
  if (!self->xur_present && (g_str_equal (hash, xur) || g_str_equal (hash, xur_gear)))
    return FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Components                                                              */

typedef enum
{
  PRIVACY_PUBLIC,
  PRIVACY_PRIVATE,
  PRIVACY_ITEMS,   /* item components: public for equipped items only */
} Privacy;

typedef struct
{
  int         number;
  const char *name;        /* DestinyComponentType identifier */
  const char *member;      /* DestinyProfileResponse member, NULL: none served */
  const char *item_member; /* itemComponents sub-member */
  Privacy     privacy;
} ComponentInfo;

static const ComponentInfo components[] = {
  { 100, "Profiles", "profile", NULL, PRIVACY_PUBLIC },
  { 101, "VendorReceipts", "vendorReceipts", NULL, PRIVACY_PRIVATE },
  { 102, "ProfileInventories", "profileInventory", NULL, PRIVACY_PRIVATE },
  { 103, "ProfileCurrencies", "profileCurrencies", NULL, PRIVACY_PRIVATE },
  { 104, "ProfileProgression", "profileProgression", NULL, PRIVACY_PUBLIC },
  { 105, "PlatformSilver", "platformSilver", NULL, PRIVACY_PRIVATE },
  { 200, "Characters", "characters", NULL, PRIVACY_PUBLIC },
  { 201, "CharacterInventories", "characterInventories", NULL, PRIVACY_PRIVATE },
  { 202, "CharacterProgressions", "characterProgressions", NULL, PRIVACY_PUBLIC },
  { 203, "CharacterRenderData", "characterRenderData", NULL, PRIVACY_PUBLIC },
  { 204, "CharacterActivities", "characterActivities", NULL, PRIVACY_PUBLIC },
  { 205, "CharacterEquipment", "characterEquipment", NULL, PRIVACY_PUBLIC },
  { 206, "CharacterLoadouts", "characterLoadouts", NULL, PRIVACY_PRIVATE },
  { 300, "ItemInstances", NULL, "instances", PRIVACY_ITEMS },
  { 301, "ItemObjectives", NULL, "objectives", PRIVACY_ITEMS },
  { 302, "ItemPerks", NULL, "perks", PRIVACY_ITEMS },
  { 303, "ItemRenderData", NULL, "renderData", PRIVACY_ITEMS },
  { 304, "ItemStats", NULL, "stats", PRIVACY_ITEMS },
  { 305, "ItemSockets", NULL, "sockets", PRIVACY_ITEMS },
  { 306, "ItemTalentGrids", NULL, "talentGrids", PRIVACY_ITEMS },
  { 307, "ItemCommonData", NULL, "itemComponents", PRIVACY_ITEMS },
  { 308, "ItemPlugStates", NULL, "plugStates", PRIVACY_ITEMS },
  { 309, "ItemPlugObjectives", NULL, "plugObjectives", PRIVACY_ITEMS },
  { 310, "ItemReusablePlugs", NULL, "reusablePlugs", PRIVACY_ITEMS },
  { 400, "Vendors", NULL, NULL, PRIVACY_PUBLIC },
  { 401, "VendorCategories", NULL, NULL, PRIVACY_PUBLIC },
  { 402, "VendorSales", NULL, NULL, PRIVACY_PUBLIC },
  { 500, "Kiosks", "profileKiosks", NULL, PRIVACY_PRIVATE },
  { 600, "CurrencyLookups", NULL, NULL, PRIVACY_PUBLIC },
  { 700, "PresentationNodes", "profilePresentationNodes", NULL, PRIVACY_PUBLIC },
  { 800, "Collectibles", "profileCollectibles", NULL, PRIVACY_PUBLIC },
  { 900, "Records", "profileRecords", NULL, PRIVACY_PUBLIC },
  { 1000, "Transitory", "profileTransitoryData", NULL, PRIVACY_PUBLIC },
  { 1100, "Metrics", "metrics", NULL, PRIVACY_PUBLIC },
  { 1200, "StringVariables", "profileStringVariables", NULL, PRIVACY_PUBLIC },
  { 1300, "Craftables", "characterCraftables", NULL, PRIVACY_PRIVATE },
  { 1400, "SocialCommendations", "profileCommendations", NULL, PRIVACY_PUBLIC },
};

static const ComponentInfo *
find_component (const char *text)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &number, NULL))
    {
      for (guint i = 0; i < G_N_ELEMENTS (components); i++)
        if (components[i].number == (int) number)
          return &components[i];
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (components); i++)
    if (g_ascii_strcasecmp (components[i].name, text) == 0)
      return &components[i];
  return NULL;
}

/* The components= list: NULL with *error_code set when missing or invalid. */
static GPtrArray *
parse_components (Request *req,
                  int     *error_code)
{
  const char *text = query_param (req, "components");
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_auto(GStrv) parts = NULL;

  *error_code = QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  if (text == NULL)
    return NULL;
  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      const ComponentInfo *info;

      if (*part == '\0')
        continue;
      info = find_component (part);
      if (info == NULL)
        return NULL;
      if (!g_ptr_array_find (list, info, NULL))
        g_ptr_array_add (list, (gpointer) info);
    }
  if (list->len == 0)
    return NULL;
  return g_steal_pointer (&list);
}

static gboolean
wants_component (GPtrArray *list,
                 int        number)
{
  for (guint i = 0; i < list->len; i++)
    if (((const ComponentInfo *) g_ptr_array_index (list, i))->number == number)
      return TRUE;
  return FALSE;
}

static JsonObject *
private_wrapper (void)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "privacy", 2);
  return object;
}

/* Instance ids of the equipped items: what anyone may see item details of. */
static GHashTable *
equipped_instance_ids (JsonObject *profile)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *equipment = qm_json_path_object (profile, "characterEquipment", "data", NULL);
  JsonObjectIter iter;
  const char *character_id;
  JsonNode *value;

  if (equipment == NULL)
    return ids;
  json_object_iter_init (&iter, equipment);
  while (json_object_iter_next (&iter, &character_id, &value))
    {
      JsonArray *items = JSON_NODE_HOLDS_OBJECT (value)
                         ? qm_json_get_array (json_node_get_object (value), "items") : NULL;

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          char *id = item != NULL ? qm_json_dup_id (item, "itemInstanceId") : NULL;

          if (id != NULL)
            g_hash_table_add (ids, id);
        }
    }
  return ids;
}

static JsonObject *
public_item_component (JsonObject *wrapper,
                       GHashTable *public_ids)
{
  JsonObject *out = json_object_new ();
  JsonObject *filtered = json_object_new ();
  JsonObject *data = qm_json_get_object (wrapper, "data");
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;

  if (data != NULL)
    {
      json_object_iter_init (&iter, data);
      while (json_object_iter_next (&iter, &id, &value))
        if (g_hash_table_contains (public_ids, id))
          set_shared_member (filtered, id, value);
    }
  json_object_set_object_member (out, "data", filtered);
  json_object_set_int_member (out, "privacy", 1);
  return out;
}

static void
add_item_component (JsonObject          *out,
                    JsonObject          *source,
                    const ComponentInfo *info,
                    gboolean             signed_in,
                    GHashTable          *public_ids)
{
  JsonObject *items = qm_json_get_object (source, "itemComponents");
  JsonObject *wrapper = qm_json_get_object (items, info->item_member);
  JsonObject *target;

  if (wrapper == NULL)
    return;
  if (!json_object_has_member (out, "itemComponents"))
    json_object_set_object_member (out, "itemComponents", json_object_new ());
  target = json_object_get_object_member (out, "itemComponents");
  if (signed_in)
    set_shared_member (target, info->item_member, json_object_get_member (items, info->item_member));
  else
    json_object_set_object_member (target, info->item_member,
                                   public_item_component (wrapper, public_ids));
}

static JsonNode *
build_profile_response (JsonObject *source,
                        GPtrArray  *list,
                        gboolean    signed_in,
                        GHashTable *withheld,
                        const char *minted)
{
  JsonObject *out = json_object_new ();
  g_autoptr(GHashTable) public_ids = equipped_instance_ids (source);

  json_object_set_string_member (out, "responseMintedTimestamp", minted);
  json_object_set_string_member (out, "secondaryComponentsMintedTimestamp", minted);
  for (guint i = 0; i < list->len; i++)
    {
      const ComponentInfo *info = g_ptr_array_index (list, i);
      JsonNode *value;

      if (info->item_member != NULL)
        {
          add_item_component (out, source, info, signed_in, public_ids);
          continue;
        }
      if (info->member == NULL || !json_object_has_member (source, info->member))
        continue;
      value = json_object_get_member (source, info->member);
      if ((info->privacy == PRIVACY_PRIVATE && !signed_in) ||
          (withheld != NULL && g_hash_table_contains (withheld, info->member)))
        json_object_set_object_member (out, info->member, private_wrapper ());
      else
        set_shared_member (out, info->member, value);
    }
  return node_from_object (out);
}

/* The profile as served now: live, or the cached copy Bungie would serve. */
static JsonObject *
served_profile (QmSandbox   *self,
                const char **minted,
                char       **minted_owned)
{
  gint64 now = g_get_monotonic_time ();

  if (self->profile_cache_delay <= 0)
    {
      *minted_owned = format_timestamp (self->changed_at);
      *minted = *minted_owned;
      return json_node_get_object (self->world->profile);
    }
  if (self->snapshot == NULL ||
      now - self->snapshot->taken_at > (gint64) (self->profile_cache_delay * USEC_PER_SEC))
    {
      snapshot_free (self->snapshot);
      self->snapshot = g_new0 (Snapshot, 1);
      self->snapshot->profile = qm_json_node_deep_copy (self->world->profile);
      self->snapshot->minted = format_timestamp (self->changed_at);
      self->snapshot->taken_at = now;
    }
  *minted_owned = NULL;
  *minted = self->snapshot->minted;
  return json_node_get_object (self->snapshot->profile);
}

/* ---------------------------------------------------------------------- */
/* Platform handlers                                                       */

/* Per language, as Bungie lists them: one JSON file per table
 * (jsonWorldComponentContentPaths), the aggregate of them all
 * (jsonWorldContentPaths) and the SQLite database (mobileWorldContentPaths,
 * not served). */
static void
add_content_paths (JsonObject         *manifest,
                   const char * const *tables,
                   const char         *version)
{
  const char * const *languages = qm_sandbox_world_get_languages ();
  JsonObject *component_paths = json_object_new ();
  JsonObject *world_paths = json_object_new ();
  JsonObject *mobile_paths = json_object_new ();

  for (guint l = 0; languages[l] != NULL; l++)
    {
      const char *language = languages[l];
      JsonObject *language_tables = json_object_new ();
      g_autofree char *aggregate = g_strdup_printf (JSON_CONTENT_PREFIX "%s/aggregate-%s.json",
                                                    language, version);
      g_autofree char *sqlite = g_strdup_printf (CONTENT_PREFIX "sqlite/%s/world_sql_content_%s.content",
                                                 language, version);

      for (guint i = 0; tables[i] != NULL; i++)
        {
          g_autofree char *path = g_strdup_printf (JSON_CONTENT_PREFIX "%s/%s-%s.json",
                                                   language, tables[i], version);

          json_object_set_string_member (language_tables, tables[i], path);
        }
      json_object_set_object_member (component_paths, language, language_tables);
      json_object_set_string_member (world_paths, language, aggregate);
      json_object_set_string_member (mobile_paths, language, sqlite);
    }
  json_object_set_object_member (manifest, "mobileWorldContentPaths", mobile_paths);
  json_object_set_object_member (manifest, "jsonWorldContentPaths", world_paths);
  json_object_set_object_member (manifest, "jsonWorldComponentContentPaths", component_paths);
}

static JsonNode *
build_manifest (QmSandbox *self)
{
  const char *version = self->world->content_version;
  g_auto(GStrv) tables = qm_sandbox_world_dup_table_names (self->world);
  JsonObject *manifest = json_object_new ();
  JsonObject *gear_cdn = json_object_new ();
  JsonArray *gear_dbs = json_array_new ();
  JsonObject *gear_db = json_object_new ();
  g_autofree char *asset = g_strdup_printf (CONTENT_PREFIX "sqlite/asset/asset_sql_content_%s.content",
                                            version);
  g_autofree char *banner = g_strdup_printf (CONTENT_PREFIX "clanbanner/clanbanner_sql_content_%s.content",
                                             version);

  json_object_set_string_member (manifest, "version", version);
  json_object_set_string_member (manifest, "mobileAssetContentPath", asset);
  json_object_set_int_member (gear_db, "version", 2);
  json_object_set_string_member (gear_db, "path", asset);
  json_array_add_object_element (gear_dbs, gear_db);
  json_object_set_array_member (manifest, "mobileGearAssetDataBases", gear_dbs);
  add_content_paths (manifest, (const char * const *) tables, version);
  json_object_set_string_member (manifest, "mobileClanBannerDatabasePath", banner);
  json_object_set_string_member (gear_cdn, "Geometry", CONTENT_PREFIX "geometry/platform/mobile/geometry");
  json_object_set_string_member (gear_cdn, "Texture", CONTENT_PREFIX "geometry/platform/mobile/textures");
  json_object_set_string_member (gear_cdn, "PlateRegion", CONTENT_PREFIX "geometry/platform/mobile/plated_textures");
  json_object_set_string_member (gear_cdn, "Gear", CONTENT_PREFIX "geometry/gear");
  json_object_set_string_member (gear_cdn, "Shader", CONTENT_PREFIX "geometry/platform/mobile/shaders");
  json_object_set_object_member (manifest, "mobileGearCDN", gear_cdn);
  json_object_set_array_member (manifest, "iconImagePyramidInfo", json_array_new ());
  return node_from_object (manifest);
}

static void
handle_manifest (QmSandbox *self,
                 Request   *req)
{
  reply_success (req, build_manifest (self));
}

static void
handle_memberships (QmSandbox *self,
                    Request   *req)
{
  reply_success (req, json_node_copy (self->world->memberships));
}

static void
handle_get_profile (QmSandbox *self,
                    Request   *req)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *minted_owned = NULL;
  const char *minted = NULL;
  JsonObject *source;
  int code = 0;

  if (!membership_matches (self, req, &code))
    {
      reply_error (req, code);
      return;
    }
  list = parse_components (req, &code);
  if (list == NULL)
    {
      reply_error (req, code);
      return;
    }
  source = served_profile (self, &minted, &minted_owned);
  reply_success (req, build_profile_response (source, list, req->signed_in, self->world->withheld, minted));
}

typedef struct
{
  int         number;
  const char *member;
  gboolean    item;
} VendorComponent;

static const VendorComponent vendor_components[] = {
  { 400, "vendor", FALSE },
  { 401, "categories", FALSE },
  { 402, "sales", FALSE },
  { 600, "currencyLookups", FALSE },
  { 1200, "stringVariables", FALSE },
  { 300, "instances", TRUE },
  { 301, "objectives", TRUE },
  { 302, "perks", TRUE },
  { 303, "renderData", TRUE },
  { 304, "stats", TRUE },
  { 305, "sockets", TRUE },
  { 306, "talentGrids", TRUE },
  { 307, "itemComponents", TRUE },
  { 308, "plugStates", TRUE },
  { 309, "plugObjectives", TRUE },
  { 310, "reusablePlugs", TRUE },
};

static JsonNode *
filter_vendor (JsonObject *source,
               GPtrArray  *list)
{
  JsonObject *out = json_object_new ();
  JsonObject *source_items = qm_json_get_object (source, "itemComponents");
  JsonObject *items = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (vendor_components); i++)
    {
      const VendorComponent *vc = &vendor_components[i];
      JsonObject *from = vc->item ? source_items : source;
      JsonObject *to = vc->item ? items : out;

      if (!wants_component (list, vc->number) || from == NULL ||
          !json_object_has_member (from, vc->member))
        continue;
      set_shared_member (to, vc->member, json_object_get_member (from, vc->member));
    }
  if (json_object_get_size (items) > 0)
    json_object_set_object_member (out, "itemComponents", items);
  else
    json_object_unref (items);
  return node_from_object (out);
}

static gboolean
check_vendor_request (QmSandbox  *self,
                      Request    *req,
                      GPtrArray **list)
{
  int code = 0;

  if (!membership_matches (self, req, &code))
    {
      reply_error (req, code);
      return FALSE;
    }
  if (!has_character (self, req->character_id))
    {
      reply_error (req, QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND);
      return FALSE;
    }
  *list = parse_components (req, &code);
  if (*list == NULL)
    {
      reply_error (req, code);
      return FALSE;
    }
  return TRUE;
}

static void
handle_get_vendor (QmSandbox *self,
                   Request   *req)
{
  g_autoptr(GPtrArray) list = NULL;
  guint64 hash;
  JsonNode *vendor;

  if (!check_vendor_request (self, req, &list))
    return;
  if (!g_ascii_string_to_unsigned (req->vendor_hash, 10, 0, G_MAXUINT32, &hash, NULL))
    {
      reply_error (req, 7);
      return;
    }
  if (!vendor_is_present (self, req->vendor_hash))
    {
      reply_error (req, QM_PLATFORM_ERROR_DESTINY_VENDOR_NOT_FOUND);
      return;
    }
  vendor = g_hash_table_lookup (self->world->vendors, req->vendor_hash);
  reply_success (req, filter_vendor (json_node_get_object (vendor), list));
}

static guint32
vendor_group_hash (QmSandbox *self)
{
  JsonNode *table = g_hash_table_lookup (self->world->definitions, "DestinyVendorGroupDefinition");
  JsonObjectIter iter;
  const char *key;
  guint64 hash;

  if (table != NULL && JSON_NODE_HOLDS_OBJECT (table))
    {
      json_object_iter_init (&iter, json_node_get_object (table));
      if (json_object_iter_next (&iter, &key, NULL) &&
          g_ascii_string_to_unsigned (key, 10, 0, G_MAXUINT32, &hash, NULL))
        return (guint32) hash;
    }
  return DEFAULT_VENDOR_GROUP_HASH;
}

static GPtrArray *
present_vendor_hashes (QmSandbox *self)
{
  GPtrArray *hashes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->world->vendors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (vendor_is_present (self, key))
      g_ptr_array_add (hashes, key);
  g_ptr_array_sort (hashes, compare_strings);
  return hashes;
}

static JsonObject *
dictionary_wrapper (JsonObject *data)
{
  JsonObject *wrapper = json_object_new ();

  json_object_set_object_member (wrapper, "data", data);
  json_object_set_int_member (wrapper, "privacy", 1);
  return wrapper;
}

static JsonObject *
vendor_groups (QmSandbox *self,
               GPtrArray *hashes)
{
  JsonObject *data = json_object_new ();
  JsonArray *groups = json_array_new ();
  JsonObject *group = json_object_new ();
  JsonArray *members = json_array_new ();
  JsonObject *wrapper = json_object_new ();

  for (guint i = 0; i < hashes->len; i++)
    json_array_add_int_element (members, g_ascii_strtoll (g_ptr_array_index (hashes, i), NULL, 10));
  json_object_set_int_member (group, "vendorGroupHash", vendor_group_hash (self));
  json_object_set_array_member (group, "vendorHashes", members);
  json_array_add_object_element (groups, group);
  json_object_set_array_member (data, "groups", groups);
  json_object_set_object_member (wrapper, "data", data);
  json_object_set_int_member (wrapper, "privacy", 1);
  return wrapper;
}

static void
collect_vendor (JsonObject *vendors,
                JsonObject *categories,
                JsonObject *sales,
                JsonObject *items,
                const char *hash,
                JsonObject *filtered)
{
  JsonObject *vendor = qm_json_get_object (filtered, "vendor");
  JsonObject *category = qm_json_get_object (filtered, "categories");
  JsonObject *sale = qm_json_get_object (filtered, "sales");
  JsonObject *item_components = qm_json_get_object (filtered, "itemComponents");

  if (vendor != NULL && json_object_has_member (vendor, "data"))
    set_shared_member (vendors, hash, json_object_get_member (vendor, "data"));
  if (category != NULL && json_object_has_member (category, "data"))
    set_shared_member (categories, hash, json_object_get_member (category, "data"));
  if (sale != NULL && qm_json_get_object (sale, "data") != NULL)
    {
      JsonObject *set = json_object_new ();

      json_object_set_object_member (set, "saleItems", json_object_ref (qm_json_get_object (sale, "data")));
      json_object_set_object_member (sales, hash, set);
    }
  if (item_components != NULL)
    json_object_set_object_member (items, hash, json_object_ref (item_components));
}

static JsonNode *
build_vendors_response (QmSandbox *self,
                        GPtrArray *list)
{
  g_autoptr(GPtrArray) hashes = present_vendor_hashes (self);
  JsonObject *out = json_object_new ();
  JsonObject *vendors = json_object_new ();
  JsonObject *categories = json_object_new ();
  JsonObject *sales = json_object_new ();
  JsonObject *items = json_object_new ();

  for (guint i = 0; i < hashes->len; i++)
    {
      const char *hash = g_ptr_array_index (hashes, i);
      JsonNode *vendor = g_hash_table_lookup (self->world->vendors, hash);
      g_autoptr(JsonNode) filtered = filter_vendor (json_node_get_object (vendor), list);

      collect_vendor (vendors, categories, sales, items, hash, json_node_get_object (filtered));
    }

  if (wants_component (list, 400))
    {
      json_object_set_object_member (out, "vendorGroups", vendor_groups (self, hashes));
      json_object_set_object_member (out, "vendors", dictionary_wrapper (vendors));
    }
  else
    json_object_unref (vendors);
  if (wants_component (list, 401))
    json_object_set_object_member (out, "categories", dictionary_wrapper (categories));
  else
    json_object_unref (categories);
  if (wants_component (list, 402))
    json_object_set_object_member (out, "sales", dictionary_wrapper (sales));
  else
    json_object_unref (sales);
  if (json_object_get_size (items) > 0)
    json_object_set_object_member (out, "itemComponents", items);
  else
    json_object_unref (items);
  return node_from_object (out);
}

static void
handle_get_vendors (QmSandbox *self,
                    Request   *req)
{
  g_autoptr(GPtrArray) list = NULL;

  if (!check_vendor_request (self, req, &list))
    return;
  reply_success (req, build_vendors_response (self, list));
}

/* ---------------------------------------------------------------------- */
/* Actions                                                                 */

static gboolean
is_integer_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/* An int32 field: a JSON number (or a string of digits, as ids are sent). */
static gboolean
get_int_field (JsonObject *body,
               const char *name,
               gint64      min,
               gint64      max,
               gint64     *out)
{
  JsonNode *node = json_object_get_member (body, name);
  gint64 value;

  if (node == NULL)
    return FALSE;
  if (is_integer_node (node))
    value = json_node_get_int (node);
  else if (!qm_json_node_get_id (node, &value))
    return FALSE;
  if (value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* A nullable uint32 hash: 0 when null or absent. */
static gboolean
get_optional_hash (JsonObject *body,
                   const char *name,
                   guint32    *out)
{
  JsonNode *node = json_object_get_member (body, name);
  gint64 value;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!get_int_field (body, name, 0, G_MAXUINT32, &value))
    return FALSE;
  *out = (guint32) value;
  return TRUE;
}

static gboolean
get_bool_field (JsonObject *body,
                const char *name,
                gboolean   *out)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

static int
action_transfer (QmSandbox  *self,
                 JsonObject *body,
                 const char *character_id,
                 gboolean    postmaster)
{
  g_autofree char *item_id = qm_json_dup_id (body, "itemId");
  QmTransferRequest request = { 0 };
  gint64 hash, stack;

  if (!get_int_field (body, "itemReferenceHash", 0, G_MAXUINT32, &hash) ||
      !get_int_field (body, "stackSize", 0, G_MAXINT32, &stack) || item_id == NULL)
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  if (!postmaster && !get_bool_field (body, "transferToVault", &request.to_vault))
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;

  request.item_hash = (guint32) hash;
  request.item_id = item_id;
  request.stack_size = (int) stack;
  request.character_id = character_id;
  if (postmaster)
    return qm_sandbox_rules_pull_from_postmaster (self->world, &request);
  return qm_sandbox_rules_transfer (self->world, &request);
}

static int
action_equip_items (QmSandbox   *self,
                    JsonObject  *body,
                    const char  *character_id,
                    JsonNode   **response)
{
  JsonArray *ids = qm_json_get_array (body, "itemIds");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) results = json_array_new ();
  JsonObject *object;
  int code;

  if (ids == NULL)
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      char *id = qm_json_node_dup_id (json_array_get_element (ids, i));

      if (id == NULL)
        return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
      g_ptr_array_add (list, id);
    }
  g_ptr_array_add (list, NULL);

  code = qm_sandbox_rules_equip_items (self->world, (const char * const *) list->pdata,
                                       character_id, results);
  if (code != QM_PLATFORM_ERROR_SUCCESS)
    return code;
  object = json_object_new ();
  json_object_set_array_member (object, "equipResults", json_array_ref (results));
  *response = node_from_object (object);
  return code;
}

static int
action_loadout (QmSandbox  *self,
                const char *action,
                JsonObject *body,
                const char *character_id)
{
  gint64 index;
  guint32 color = 0, icon = 0, name = 0;

  if (!get_int_field (body, "loadoutIndex", 0, G_MAXINT32, &index))
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  if (g_str_equal (action, "EquipLoadout"))
    return qm_sandbox_rules_equip_loadout (self->world, (int) index, character_id);
  if (g_str_equal (action, "ClearLoadout"))
    return qm_sandbox_rules_clear_loadout (self->world, (int) index, character_id);
  if (!get_optional_hash (body, "colorHash", &color) ||
      !get_optional_hash (body, "iconHash", &icon) ||
      !get_optional_hash (body, "nameHash", &name))
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  if (g_str_equal (action, "SnapshotLoadout"))
    return qm_sandbox_rules_snapshot_loadout (self->world, (int) index, character_id,
                                              color, icon, name);
  return qm_sandbox_rules_update_loadout_identifiers (self->world, (int) index, character_id,
                                                      color, icon, name);
}

static int
run_action (QmSandbox   *self,
            const char  *action,
            JsonObject  *body,
            const char  *character_id,
            JsonNode   **response)
{
  g_autofree char *item_id = NULL;
  gboolean state;

  if (g_str_equal (action, "TransferItem"))
    return action_transfer (self, body, character_id, FALSE);
  if (g_str_equal (action, "PullFromPostmaster"))
    return action_transfer (self, body, character_id, TRUE);
  if (g_str_equal (action, "EquipItems"))
    return action_equip_items (self, body, character_id, response);
  if (g_str_has_suffix (action, "Loadout") || g_str_equal (action, "UpdateLoadoutIdentifiers"))
    return action_loadout (self, action, body, character_id);

  item_id = qm_json_dup_id (body, "itemId");
  if (item_id == NULL)
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  if (g_str_equal (action, "EquipItem"))
    return qm_sandbox_rules_equip_item (self->world, item_id, character_id);
  if (!get_bool_field (body, "state", &state))
    return QM_PLATFORM_ERROR_INVALID_PARAMETERS;
  return qm_sandbox_rules_set_lock_state (self->world, item_id, character_id, state);
}

/* The JSON object body of an action, or an error code. */
static JsonObject *
parse_action_body (Request *req,
                   int     *error_code)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = req->body != NULL ? g_bytes_get_data (req->body, &size) : NULL;
  JsonNode *root;

  if (size == 0)
    {
      *error_code = 26;
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *error_code = 30;
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Per-user spacing of actions, start to start, as Bungie enforces it. */
static gboolean
action_too_soon (QmSandbox  *self,
                 RouteFlags  flags)
{
  gint64 now = g_get_monotonic_time ();
  gint64 *last = (flags & ROUTE_LOADOUT) ? &self->last_loadout_action : &self->last_item_action;
  gint64 spacing = (flags & ROUTE_LOADOUT) ? LOADOUT_ACTION_SPACING_US : ITEM_ACTION_SPACING_US;

  if (self->no_action_throttle)
    return FALSE;
  if (*last != 0 && now - *last < spacing)
    return TRUE;
  *last = now;
  return FALSE;
}

static void
handle_action (QmSandbox *self,
               Request   *req)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *character_id = NULL;
  JsonNode *response = NULL;
  gint64 membership_type;
  int code = 0;

  if (action_too_soon (self, req->route->flags))
    {
      reply_envelope_full (req, http_status_for_code (36), 36,
                           self->throttle_seconds > 0 ? self->throttle_seconds
                                                      : DEFAULT_THROTTLE_SECONDS,
                           NULL);
      return;
    }
  body = parse_action_body (req, &code);
  if (body == NULL)
    {
      reply_error (req, code);
      return;
    }
  character_id = qm_json_dup_id (body, "characterId");
  if (!get_int_field (body, "membershipType", G_MININT32, G_MAXINT32, &membership_type) ||
      character_id == NULL)
    {
      reply_error (req, QM_PLATFORM_ERROR_INVALID_PARAMETERS);
      return;
    }
  if (membership_type != self->world->membership_type)
    {
      reply_error (req, QM_PLATFORM_ERROR_DESTINY_ACCOUNT_NOT_FOUND);
      return;
    }
  if (!has_character (self, character_id))
    {
      reply_error (req, QM_PLATFORM_ERROR_DESTINY_CHARACTER_NOT_FOUND);
      return;
    }

  code = run_action (self, req->action, body, character_id, &response);
  if (code != QM_PLATFORM_ERROR_SUCCESS)
    {
      g_clear_pointer (&response, json_node_unref);
      reply_error (req, code);
      return;
    }
  mark_changed (self);
  if (response == NULL)
    {
      response = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (response, 0);
    }
  reply_success (req, response);
}

/* ---------------------------------------------------------------------- */
/* OAuth                                                                   */

static gboolean
client_authenticated (Request    *req,
                      GHashTable *form)
{
  const char *authorization = soup_message_headers_get_one (req->headers, "Authorization");
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *secret = g_hash_table_lookup (form, "client_secret");
  g_autofree char *decoded = NULL;
  g_autofree char *basic = NULL;
  gsize length = 0;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      decoded = (char *) g_base64_decode (authorization + 6, &length);
      basic = g_strndup (decoded, length);
      return g_strcmp0 (basic, QM_SANDBOX_CLIENT_ID ":" QM_SANDBOX_CLIENT_SECRET) == 0 &&
             (client_id == NULL || g_str_equal (client_id, QM_SANDBOX_CLIENT_ID));
    }
  return g_strcmp0 (client_id, QM_SANDBOX_CLIENT_ID) == 0 &&
         g_strcmp0 (secret, QM_SANDBOX_CLIENT_SECRET) == 0;
}

static void
reply_tokens (QmSandbox *self,
              Request   *req)
{
  g_autofree char *access = issue_access_token (self, NULL);
  g_autofree char *refresh = random_token (self, 8);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_hash_table_insert (self->refresh_tokens, g_strdup (refresh), secret_new (REFRESH_TOKEN_LIFETIME));
  json_object_set_string_member (object, "access_token", access);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_int_member (object, "expires_in", ACCESS_TOKEN_LIFETIME);
  json_object_set_string_member (object, "refresh_token", refresh);
  json_object_set_int_member (object, "refresh_expires_in", REFRESH_TOKEN_LIFETIME);
  json_object_set_string_member (object, "membership_id", self->world->bungie_net_id);
  node = node_from_object (json_object_ref (object));
  reply_json (req, SOUP_STATUS_OK, node);
  add_response_header (req, "Cache-Control", "no-store");
}

static void
token_from_code (QmSandbox  *self,
                 Request    *req,
                 const char *code)
{
  Secret *secret = code != NULL ? g_hash_table_lookup (self->auth_codes, code) : NULL;
  gboolean valid = secret != NULL && !secret_is_expired (secret);

  if (code != NULL)
    g_hash_table_remove (self->auth_codes, code);
  if (!valid)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "AuthorizationCodeInvalid");
      return;
    }
  reply_tokens (self, req);
}

static void
token_from_refresh (QmSandbox  *self,
                    Request    *req,
                    const char *refresh)
{
  Secret *secret = refresh != NULL ? g_hash_table_lookup (self->refresh_tokens, refresh) : NULL;

  if (secret == NULL)
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "ProvidedTokenNotValidRefreshToken");
      return;
    }
  if (secret_is_expired (secret))
    {
      reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "RefreshTokenExpired");
      return;
    }
  /* Refresh tokens rotate: the one just used is spent. */
  g_hash_table_remove (self->refresh_tokens, refresh);
  reply_tokens (self, req);
}

static GHashTable *
request_form (Request *req)
{
  gsize size = 0;
  const char *data = req->body != NULL ? g_bytes_get_data (req->body, &size) : NULL;
  g_autofree char *text = g_strndup (data != NULL ? data : "", size);

  return soup_form_decode (text);
}

static void
handle_token (QmSandbox *self,
              Request   *req)
{
  g_autoptr(GHashTable) form = request_form (req);
  const char *grant_type = g_hash_table_lookup (form, "grant_type");

  if (!g_str_equal (req->method, "POST"))
    {
      reply_oauth_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request", NULL);
      return;
    }
  if (!client_authenticated (req, form))
    {
      reply_oauth_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_client", "ClientAuthenticationFailed");
      return;
    }
  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    token_from_code (self, req, g_hash_table_lookup (form, "code"));
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    token_from_refresh (self, req, g_hash_table_lookup (form, "refresh_token"));
  else
    reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", NULL);
}

static const char *
authorize_problem (GHashTable *params)
{
  const char *redirect = g_hash_table_lookup (params, "redirect_uri");

  if (g_hash_table_contains (params, "scope"))
    return "Scopes are set when the application is registered: the scope parameter is not allowed.";
  if (g_strcmp0 (g_hash_table_lookup (params, "client_id"), QM_SANDBOX_CLIENT_ID) != 0)
    return "The client_id is not a registered application.";
  if (redirect != NULL && !g_str_equal (redirect, QM_SANDBOX_REDIRECT_URI))
    return "The redirect_uri does not match the registered redirect URL.";
  return NULL;
}

static void
show_authorize_page (Request *req)
{
  g_autofree char *state = escape_html (query_param (req, "state"));
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<p>Quartermaster would like to access your Bungie.net account, "
                          "signed in as the demo guardian.</p>\n"
                          "<form method=\"post\" action=\"/en/OAuth/Authorize/\">\n"
                          "<input type=\"hidden\" name=\"client_id\" value=\"%s\">\n"
                          "<input type=\"hidden\" name=\"state\" value=\"%s\">\n"
                          "<button type=\"submit\" name=\"approve\" value=\"1\">Approve</button>\n"
                          "<button type=\"submit\" name=\"approve\" value=\"0\">Cancel</button>\n"
                          "</form>",
                          QM_SANDBOX_CLIENT_ID, state);
  reply_html (req, SOUP_STATUS_OK, "Authorize Quartermaster", body);
}

static void
approve_authorization (QmSandbox *self,
                       Request   *req)
{
  g_autoptr(GHashTable) form = request_form (req);
  const char *state = g_hash_table_lookup (form, "state");
  g_autofree char *escaped_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);
  g_autofree char *code = NULL;
  g_autofree char *location = NULL;

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), QM_SANDBOX_CLIENT_ID) != 0)
    {
      reply_html (req, SOUP_STATUS_BAD_REQUEST, "Error",
                  "<p>The client_id is not a registered application.</p>");
      return;
    }
  if (g_strcmp0 (g_hash_table_lookup (form, "approve"), "1") != 0)
    {
      location = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?error=access_denied&state=%s",
                                  escaped_state);
      reply_redirect (req, location);
      return;
    }
  code = random_token (self, 4);
  g_hash_table_insert (self->auth_codes, g_strdup (code), secret_new (AUTH_CODE_LIFETIME));
  location = g_strdup_printf (QM_SANDBOX_REDIRECT_URI "?code=%s&state=%s", code, escaped_state);
  reply_redirect (req, location);
}

static void
handle_authorize (QmSandbox *self,
                  Request   *req)
{
  const char *problem;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;

  if (g_str_equal (req->method, "POST"))
    {
      approve_authorization (self, req);
      return;
    }
  problem = req->query != NULL ? authorize_problem (req->query) : "The request is missing its parameters.";
  if (problem == NULL && g_strcmp0 (query_param (req, "response_type"), "code") != 0)
    problem = "The response_type must be code.";
  if (problem != NULL)
    {
      escaped = escape_html (problem);
      body = g_strdup_printf ("<p class=\"error\">%s</p>", escaped);
      reply_html (req, SOUP_STATUS_BAD_REQUEST, "Error", body);
      return;
    }
  show_authorize_page (req);
}

/* ---------------------------------------------------------------------- */
/* PSN sign-in                                                             */

static char *
psn_sign_in_url (QmSandbox *self)
{
  return g_strconcat (self->bungie_origin, PSN_SIGN_IN_PATH, NULL);
}

static void
set_cookie (Request    *req,
            const char *name,
            const char *value,
            gboolean    http_only)
{
  g_autofree char *header = g_strdup_printf ("%s=%s; Path=/%s", name, value,
                                             http_only ? "; HttpOnly" : "");

  add_response_header (req, "Set-Cookie", header);
}

static void
finish_psn_sign_in (QmSandbox  *self,
                    Request    *req,
                    const char *grant)
{
  Secret *secret = g_hash_table_lookup (self->psn_grants, grant);
  gboolean valid = secret != NULL && !secret_is_expired (secret);
  g_autofree char *csrf = NULL;
  g_autofree char *token = NULL;
  g_autofree char *home = NULL;

  g_hash_table_remove (self->psn_grants, grant);
  if (!valid)
    {
      reply_html (req, SOUP_STATUS_BAD_REQUEST, "Sign-in failed",
                  "<p>PlayStation Network did not confirm the sign-in.</p>");
      return;
    }
  csrf = random_token (self, 4);
  token = issue_access_token (self, csrf);
  home = g_strconcat (self->bungie_origin, "/en/", NULL);
  set_cookie (req, "bungled", csrf, FALSE);
  set_cookie (req, "bungleatk", token, TRUE);
  set_cookie (req, "bungledid", self->world->bungie_net_id, FALSE);
  reply_redirect (req, home);
}

static void
handle_psn_sign_in (QmSandbox *self,
                    Request   *req)
{
  const char *grant = query_param (req, "code");
  g_autofree char *state = NULL;
  g_autofree char *sign_in = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *location = NULL;

  if (grant != NULL)
    {
      finish_psn_sign_in (self, req, grant);
      return;
    }
  state = random_token (self, 4);
  sign_in = psn_sign_in_url (self);
  redirect = g_uri_escape_string (sign_in, NULL, FALSE);
  location = g_strdup_printf ("%s/2.0/oauth/authorize?response_type=code&client_id="
                              QM_SANDBOX_PSN_CLIENT_ID "&redirect_uri=%s&state=%s",
                              self->psn_origin, redirect, state);
  reply_redirect (req, location);
}

static void
handle_psn_authorize (QmSandbox *self,
                      Request   *req)
{
  g_autofree char *sign_in = psn_sign_in_url (self);
  g_autofree char *session = NULL;
  g_autofree char *location = NULL;
  Secret *secret;

  if (g_strcmp0 (query_param (req, "client_id"), QM_SANDBOX_PSN_CLIENT_ID) != 0 ||
      g_strcmp0 (query_param (req, "redirect_uri"), sign_in) != 0 ||
      g_strcmp0 (query_param (req, "response_type"), "code") != 0)
    {
      reply_html (req, SOUP_STATUS_BAD_REQUEST, "Error", "<p>invalid_request</p>");
      return;
    }
  session = random_token (self, 8);
  secret = secret_new (AUTH_CODE_LIFETIME);
  secret->state = g_strdup (query_param (req, "state"));
  g_hash_table_insert (self->psn_sessions, g_strdup (session), secret);
  location = g_strdup_printf ("%s/signin/?%s", self->psn_origin, req->query_string);
  set_cookie (req, "JSESSIONID", session, TRUE);
  reply_redirect (req, location);
}

static void
handle_psn_sign_in_page (QmSandbox *self,
                         Request   *req)
{
  g_autofree char *sign_in = psn_sign_in_url (self);
  g_autofree char *redirect = g_uri_escape_string (sign_in, NULL, FALSE);
  g_autofree char *params = g_base64_encode ((const guchar *) (req->query_string != NULL
                                                               ? req->query_string : ""),
                                             req->query_string != NULL ? strlen (req->query_string) : 0);
  const char *error = query_param (req, "authentication_error") != NULL
                      ? "<p class=\"error\">The sign-in ID or password is not correct.</p>\n" : "";
  g_autofree char *body = NULL;

  body = g_strdup_printf ("%s<form method=\"post\" action=\"/login.do?redirect_uri=%s\">\n"
                          "<input type=\"email\" name=\"j_username\">\n"
                          "<input type=\"password\" name=\"j_password\">\n"
                          "<input type=\"hidden\" name=\"params\" value=\"%s\">\n"
                          "<button type=\"submit\">Sign In</button>\n</form>",
                          error, redirect, params);
  reply_html (req, SOUP_STATUS_OK, "Sign In to PlayStation Network", body);
}

static void
psn_login_failed (QmSandbox *self,
                  Request   *req)
{
  g_autofree char *sign_in = psn_sign_in_url (self);
  g_autofree char *redirect = g_uri_escape_string (sign_in, NULL, FALSE);
  g_autofree char *location = g_strdup_printf ("%s/signin/?authentication_error=true&response_type=code"
                                               "&client_id=" QM_SANDBOX_PSN_CLIENT_ID "&redirect_uri=%s",
                                               self->psn_origin, redirect);

  reply_redirect (req, location);
}

static void
handle_psn_login (QmSandbox *self,
                  Request   *req)
{
  g_autoptr(GHashTable) form = request_form (req);
  g_autofree char *session = request_cookie (req, "JSESSIONID");
  g_autofree char *signed_in = NULL;
  g_autofree char *escaped_state = NULL;
  g_autofree char *location = NULL;
  Secret *secret = session != NULL ? g_hash_table_lookup (self->psn_sessions, session) : NULL;
  Secret *next;

  if (!g_str_equal (req->method, "POST") || secret == NULL || secret_is_expired (secret) ||
      g_strcmp0 (g_hash_table_lookup (form, "j_username"), QM_SANDBOX_DEMO_PSN_USER) != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "j_password"), QM_SANDBOX_DEMO_PSN_PASSWORD) != 0)
    {
      psn_login_failed (self, req);
      return;
    }

  signed_in = random_token (self, 8);
  next = secret_new (AUTH_CODE_LIFETIME);
  next->state = g_strdup (secret->state);
  escaped_state = g_uri_escape_string (secret->state != NULL ? secret->state : "", NULL, FALSE);
  g_hash_table_insert (self->psn_signed_in, g_strdup (signed_in), next);
  g_hash_table_remove (self->psn_sessions, session);
  location = g_strdup_printf ("%s/2.0/oauth/authorize/grant?state=%s", self->psn_origin, escaped_state);
  set_cookie (req, "JSESSIONID", signed_in, TRUE);
  reply_redirect (req, location);
}

static void
handle_psn_grant (QmSandbox *self,
                  Request   *req)
{
  g_autofree char *session = request_cookie (req, "JSESSIONID");
  Secret *secret = session != NULL ? g_hash_table_lookup (self->psn_signed_in, session) : NULL;
  g_autofree char *grant = NULL;
  g_autofree char *location = NULL;

  if (secret == NULL || secret_is_expired (secret))
    {
      psn_login_failed (self, req);
      return;
    }
  grant = random_token (self, 4);
  g_hash_table_insert (self->psn_grants, g_strdup (grant), secret_new (AUTH_CODE_LIFETIME));
  g_hash_table_remove (self->psn_signed_in, session);
  location = g_strdup_printf ("%s" PSN_SIGN_IN_PATH "?code=%s", self->bungie_origin, grant);
  add_response_header (req, "X-NP-GRANT-CODE", grant);
  reply_redirect (req, location);
}

static void
handle_home (QmSandbox *self,
             Request   *req)
{
  g_autofree char *name = escape_html (self->world->display_name);
  g_autofree char *body = g_strdup_printf ("<p>Signed in as %s.</p>", name);

  reply_html (req, SOUP_STATUS_OK, "Bungie.net", body);
}

/* ---------------------------------------------------------------------- */
/* Content                                                                 */

static GBytes *
aggregate_bytes (QmSandbox  *self,
                 const char *language)
{
  g_auto(GStrv) tables = qm_sandbox_world_dup_table_names (self->world);
  GString *text = g_string_new ("{");

  for (guint i = 0; tables[i] != NULL; i++)
    {
      const char *table = tables[i];
      g_autoptr(GBytes) bytes = qm_sandbox_world_get_localized_table_bytes (self->world, table,
                                                                             language);
      gsize size = 0;
      const char *data;

      if (bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &size);
      if (text->len > 1)
        g_string_append_c (text, ',');
      g_string_append_printf (text, "\"%s\":", table);
      g_string_append_len (text, data, size);
    }
  g_string_append_c (text, '}');
  return g_string_free_to_bytes (text);
}

/* /common/destiny2_content/json/LANGUAGE/TABLE-VERSION.json (the query, such
 * as a client's cache-busting one, is ignored as a CDN would). */
static void
handle_content (QmSandbox *self,
                Request   *req)
{
  g_autofree char *suffix = g_strdup_printf ("-%s.json", self->world->content_version);
  g_autofree char *language = NULL;
  g_autofree char *table = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *accepted = soup_message_headers_get_list (req->headers, "Accept-Encoding");
  gboolean gzip = self->gzip_content && accepted != NULL && soup_header_contains (accepted, "gzip");
  const char *rest;
  const char *slash;

  if (!g_str_has_prefix (req->path, JSON_CONTENT_PREFIX) || !g_str_has_suffix (req->path, suffix))
    {
      reply_not_found_page (req);
      return;
    }
  rest = req->path + strlen (JSON_CONTENT_PREFIX);
  slash = strchr (rest, '/');
  if (slash == NULL || (gsize) (slash - rest) + 1 + strlen (suffix) > strlen (rest))
    {
      reply_not_found_page (req);
      return;
    }
  language = g_strndup (rest, slash - rest);
  rest = slash + 1;
  table = g_strndup (rest, strlen (rest) - strlen (suffix));
  if (!g_strv_contains (qm_sandbox_world_get_languages (), language) || strchr (table, '/') != NULL)
    bytes = NULL;
  else if (g_str_equal (table, "aggregate"))
    bytes = aggregate_bytes (self, language);
  else if (gzip)
    bytes = qm_sandbox_world_get_compressed_table_bytes (self->world, table, language);
  else
    bytes = qm_sandbox_world_get_localized_table_bytes (self->world, table, language);
  if (bytes == NULL)
    {
      reply_not_found_page (req);
      return;
    }
  /* Tables reach 100 MB: handed to libsoup without a copy. */
  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (req->msg),
                                         "application/json", NULL);
  if (gzip && !g_str_equal (table, "aggregate"))
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                  "Content-Encoding", "gzip");
  soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), bytes);
}

static void
handle_icon (QmSandbox *self,
             Request   *req)
{
  const char *rest = req->path + strlen (ICON_PREFIX);
  const char *dot = strrchr (rest, '.');
  g_autofree char *name = NULL;
  g_autoptr(GBytes) png = NULL;
  gsize size = 0;
  const char *data;

  if (dot == NULL || dot == rest || strstr (rest, "..") != NULL ||
      (g_ascii_strcasecmp (dot, ".png") != 0 && g_ascii_strcasecmp (dot, ".jpg") != 0))
    {
      reply_not_found_page (req);
      return;
    }
  name = g_strndup (rest, dot - rest);
  png = qm_sandbox_world_draw_icon (name);
  if (png == NULL)
    {
      reply_not_found_page (req);
      return;
    }
  data = g_bytes_get_data (png, &size);
  reply_bytes (req, SOUP_STATUS_OK, "image/png", data, size);
  add_response_header (req, "Cache-Control", "public, max-age=31536000");
}

static void
handle_platform_not_found (QmSandbox *self,
                           Request   *req)
{
  reply_error (req, 21);
}

static void
handle_page_not_found (QmSandbox *self,
                       Request   *req)
{
  reply_not_found_page (req);
}

/* ---------------------------------------------------------------------- */
/* Routing                                                                 */

static const Route route_manifest = { "Manifest", handle_manifest, ROUTE_PLATFORM };
static const Route route_memberships = { "GetMembershipsForCurrentUser", handle_memberships,
                                         ROUTE_PLATFORM | ROUTE_AUTH };
static const Route route_profile = { "GetProfile", handle_get_profile, ROUTE_PLATFORM };
static const Route route_vendor = { "GetVendor", handle_get_vendor, ROUTE_PLATFORM | ROUTE_AUTH };
static const Route route_vendors = { "GetVendors", handle_get_vendors, ROUTE_PLATFORM | ROUTE_AUTH };
static const Route route_platform_not_found = { "NotFound", handle_platform_not_found, ROUTE_PLATFORM };
static const Route route_token = { "Token", handle_token, 0 };
static const Route route_content = { "Content", handle_content, 0 };
static const Route route_icon = { "Icon", handle_icon, 0 };
static const Route route_authorize = { "Authorize", handle_authorize, 0 };
static const Route route_psn_sign_in = { "PsnSignIn", handle_psn_sign_in, 0 };
static const Route route_home = { "Home", handle_home, 0 };
static const Route route_page_not_found = { "NotFound", handle_page_not_found, 0 };
static const Route route_psn_authorize = { "PsnAuthorize", handle_psn_authorize, 0 };
static const Route route_psn_sign_in_page = { "PsnSignInPage", handle_psn_sign_in_page, 0 };
static const Route route_psn_login = { "PsnLogin", handle_psn_login, 0 };
static const Route route_psn_grant = { "PsnGrant", handle_psn_grant, 0 };

static const Route action_routes[] = {
  { "TransferItem", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_ITEM },
  { "PullFromPostmaster", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_ITEM },
  { "EquipItem", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_ITEM },
  { "EquipItems", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_ITEM },
  { "SetLockState", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_ITEM },
  { "EquipLoadout", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_LOADOUT },
  { "SnapshotLoadout", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_LOADOUT },
  { "UpdateLoadoutIdentifiers", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_LOADOUT },
  { "ClearLoadout", handle_action, ROUTE_PLATFORM | ROUTE_AUTH | ROUTE_POST | ROUTE_LOADOUT },
};

static gboolean
path_is (const char *path,
         const char *expected)
{
  gsize n = strlen (expected);

  /* Bungie's web paths are case-insensitive, with or without a final '/'. */
  return g_ascii_strncasecmp (path, expected, n) == 0 &&
         (path[n] == '\0' || (path[n] == '/' && path[n + 1] == '\0'));
}

static gboolean
seg_is (const char *segment,
        const char *name)
{
  return g_ascii_strcasecmp (segment, name) == 0;
}

static const Route *
route_action (Request    *req,
              const char *group,
              const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_routes); i++)
    {
      gboolean loadout = (action_routes[i].flags & ROUTE_LOADOUT) != 0;

      if (seg_is (name, action_routes[i].operation) &&
          seg_is (group, loadout ? "Loadouts" : "Items"))
        {
          req->action = g_strdup (action_routes[i].operation);
          return &action_routes[i];
        }
    }
  return &route_platform_not_found;
}

/* /Platform/Destiny2/{type}/Profile/{id}/[Character/{cid}/Vendors/[{hash}/]] */
static const Route *
route_destiny_profile (Request  *req,
                       GStrv     seg,
                       guint     n)
{
  if (n < 4 || !seg_is (seg[2], "Profile"))
    return &route_platform_not_found;
  req->membership_type = g_strdup (seg[1]);
  req->membership_id = g_strdup (seg[3]);
  if (n == 4)
    return &route_profile;
  if ((n != 7 && n != 8) || !seg_is (seg[4], "Character") || !seg_is (seg[6], "Vendors"))
    return &route_platform_not_found;
  req->character_id = g_strdup (seg[5]);
  if (n == 7)
    return &route_vendors;
  req->vendor_hash = g_strdup (seg[7]);
  return &route_vendor;
}

static const Route *
route_platform (Request *req)
{
  const char *rest = req->path + strlen ("/Platform/");
  g_auto(GStrv) seg = NULL;
  guint n;

  if (path_is (req->path, "/Platform/App/OAuth/token"))
    return &route_token;
  if (!g_str_has_suffix (rest, "/"))
    return &route_platform_not_found;

  seg = g_strsplit (rest, "/", -1);
  n = g_strv_length (seg) - 1;   /* the last piece is the empty one after '/' */
  if (n == 2 && seg_is (seg[0], "Destiny2") && seg_is (seg[1], "Manifest"))
    return &route_manifest;
  if (n == 2 && seg_is (seg[0], "User") && seg_is (seg[1], "GetMembershipsForCurrentUser"))
    return &route_memberships;
  if (n == 4 && seg_is (seg[0], "Destiny2") && seg_is (seg[1], "Actions"))
    return route_action (req, seg[2], seg[3]);
  if (n >= 4 && seg_is (seg[0], "Destiny2"))
    return route_destiny_profile (req, seg, n);
  return &route_platform_not_found;
}

static const Route *
route_bungie (Request *req)
{
  if (g_ascii_strncasecmp (req->path, "/Platform/", strlen ("/Platform/")) == 0)
    return route_platform (req);
  if (g_str_has_prefix (req->path, ICON_PREFIX))
    return &route_icon;
  if (g_str_has_prefix (req->path, CONTENT_PREFIX))
    return &route_content;
  if (path_is (req->path, "/en/OAuth/Authorize"))
    return &route_authorize;
  if (path_is (req->path, PSN_SIGN_IN_PATH))
    return &route_psn_sign_in;
  if (g_str_equal (req->path, "/") || path_is (req->path, "/en"))
    return &route_home;
  return &route_page_not_found;
}

static const Route *
route_psn (Request *req)
{
  if (path_is (req->path, "/2.0/oauth/authorize"))
    return &route_psn_authorize;
  if (path_is (req->path, "/2.0/oauth/authorize/grant"))
    return &route_psn_grant;
  if (path_is (req->path, "/signin"))
    return &route_psn_sign_in_page;
  if (path_is (req->path, "/login.do"))
    return &route_psn_login;
  return &route_page_not_found;
}

static gboolean
is_platform_call (const Route *route)
{
  return (route->flags & ROUTE_PLATFORM) != 0;
}

/* ---------------------------------------------------------------------- */
/* Faults                                                                  */

static void
reply_html502 (Request *req)
{
  static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"en-US\"><head><title>bungie.net | 502: Bad gateway</title>"
    "<meta charset=\"UTF-8\"></head>\n<body><div id=\"cf-wrapper\">"
    "<h1>Bad gateway <span>Error code 502</span></h1>\n"
    "<p>The web server reported a bad gateway error.</p>\n"
    "<p>Performance &amp; security by Cloudflare</p></div></body></html>\n";

  reply_bytes (req, SOUP_STATUS_BAD_GATEWAY, HTML_TYPE, page, strlen (page));
}

static void
reply_fault_to_token (Request             *req,
                      const QmFaultAction *action)
{
  const char *name = qm_platform_error_code_name (action->error_code);

  if (action->kind == QM_FAULT_REFRESH_EXPIRED)
    reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant", "RefreshTokenExpired");
  else
    reply_oauth_error (req, action->kind == QM_FAULT_MAINTENANCE ? SOUP_STATUS_SERVICE_UNAVAILABLE
                                                                : SOUP_STATUS_BAD_REQUEST,
                       "server_error", name != NULL ? name : "UnhandledException");
}

/* Answers a fault that replaces the normal answer. Returns FALSE for the
 * faults that change the normal answer instead (delay, truncate). */
static gboolean
reply_fault (Request             *req,
             const QmFaultAction *action)
{
  gboolean envelope = action->kind == QM_FAULT_MAINTENANCE || action->kind == QM_FAULT_THROTTLE ||
                      action->kind == QM_FAULT_HTTP500 || action->kind == QM_FAULT_ERROR ||
                      action->kind == QM_FAULT_TOKEN_EXPIRED || action->kind == QM_FAULT_REFRESH_EXPIRED;

  if (envelope && req->route == &route_token)
    {
      reply_fault_to_token (req, action);
      return TRUE;
    }
  switch (action->kind)
    {
    case QM_FAULT_MAINTENANCE:
    case QM_FAULT_TOKEN_EXPIRED:
    case QM_FAULT_ERROR:
      reply_envelope_full (req, http_status_for_code (action->error_code), action->error_code, 0, NULL);
      return TRUE;
    case QM_FAULT_REFRESH_EXPIRED:
      reply_envelope_full (req, SOUP_STATUS_UNAUTHORIZED, action->error_code, 0, NULL);
      return TRUE;
    case QM_FAULT_THROTTLE:
      reply_envelope_full (req, http_status_for_code (action->error_code), action->error_code,
                           action->throttle_seconds, NULL);
      return TRUE;
    case QM_FAULT_HTTP500:
      reply_envelope_full (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, action->error_code, 0, NULL);
      return TRUE;
    case QM_FAULT_HTML502:
      reply_html502 (req);
      return TRUE;
    case QM_FAULT_RESET:
    case QM_FAULT_TIMEOUT:
      return TRUE;
    case QM_FAULT_NONE:
    case QM_FAULT_DELAY:
    case QM_FAULT_TRUNCATE:
    default:
      return FALSE;
    }
}

static void
truncate_response (Request *req)
{
  SoupMessageBody *body = soup_server_message_get_response_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *type = g_strdup (soup_message_headers_get_content_type (
                                      soup_server_message_get_response_headers (req->msg), NULL));
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  /* set_response() appends to the body: empty it first. */
  soup_message_body_truncate (body);
  soup_server_message_set_response (req->msg, type, SOUP_MEMORY_COPY, data, size / 2);
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_source_destroy (pending->timer);
  g_source_unref (pending->timer);
  g_object_unref (pending->msg);
  g_free (pending);
}

static void
release_pending (Pending *pending)
{
  QmSandbox *self = pending->self;

  /* A held message gets an answer only so that its connection can close. */
  if (pending->hold)
    soup_server_message_set_status (pending->msg, SOUP_STATUS_GATEWAY_TIMEOUT, NULL);
  soup_server_message_unpause (pending->msg);
  g_ptr_array_remove_fast (self->pending, pending);
}

static gboolean
on_pending_timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;

  release_pending (pending);
  return G_SOURCE_REMOVE;
}

static void
hold_message (QmSandbox         *self,
              SoupServerMessage *msg,
              guint              delay_ms,
              gboolean           hold)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->hold = hold;
  pending->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (pending->timer, on_pending_timeout_cb, pending, NULL);
  g_source_attach (pending->timer, self->context);
  g_ptr_array_add (self->pending, pending);
  soup_server_message_pause (msg);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* ---------------------------------------------------------------------- */
/* The request cycle                                                       */

static void
count_call (QmSandbox  *self,
            const char *operation)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->call_counts, operation));

  g_hash_table_insert (self->call_counts, g_strdup (operation), GUINT_TO_POINTER (count + 1));
}

/* API key, sign-in: what every Platform call checks before its handler. */
static gboolean
check_platform_access (QmSandbox *self,
                       Request   *req)
{
  const char *api_key = soup_message_headers_get_one (req->headers, "X-API-Key");
  RouteFlags flags = req->route->flags;
  AuthState state;
  int code = 0;

  if (api_key == NULL || *api_key == '\0')
    {
      reply_error (req, QM_PLATFORM_ERROR_API_KEY_MISSING_FROM_REQUEST);
      return FALSE;
    }
  if (req->route == &route_platform_not_found || req->route == &route_manifest)
    return TRUE;
  if (((flags & ROUTE_POST) != 0) != g_str_equal (req->method, "POST"))
    {
      reply_error (req, 21);
      return FALSE;
    }
  state = authenticate (self, req, &code);
  if (state == AUTH_FAILED || (state == AUTH_ANONYMOUS && (flags & ROUTE_AUTH)))
    {
      reply_error (req, state == AUTH_FAILED ? code : QM_PLATFORM_ERROR_WEB_AUTH_REQUIRED);
      return FALSE;
    }
  req->signed_in = state == AUTH_SIGNED_IN;
  return TRUE;
}

static void
record_exchange (QmSandbox *self,
                 Request   *req,
                 guint      status,
                 gboolean   truncated)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (req->msg);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  QmSandboxExchange exchange = { 0 };

  if (self->recorder == NULL)
    return;
  if (status != 0)
    response = soup_message_body_flatten (soup_server_message_get_response_body (req->msg));

  exchange.method = req->method;
  exchange.path = req->path;
  exchange.query = req->query_string;
  exchange.host = is_platform_call (req->route) ? NULL : req->host;
  exchange.headers = req->headers;
  exchange.request_body = req->body;
  exchange.request_type = soup_message_headers_get_content_type (req->headers, NULL);
  exchange.status = status;
  exchange.response_body = response;
  exchange.response_type = soup_message_headers_get_content_type (response_headers, NULL);
  /* A compressed table is not JSON as sent. */
  exchange.response_is_json = !truncated &&
                              soup_message_headers_get_one (response_headers, "Content-Encoding") == NULL;
  if (!qm_sandbox_recorder_write (self->recorder, &exchange, &error))
    g_warning ("%s", error->message);
}

static void
request_clear (Request *req)
{
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->membership_type, g_free);
  g_clear_pointer (&req->membership_id, g_free);
  g_clear_pointer (&req->character_id, g_free);
  g_clear_pointer (&req->vendor_hash, g_free);
  g_clear_pointer (&req->action, g_free);
}

static void
request_init (Request           *req,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  GUri *uri = soup_server_message_get_uri (msg);

  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->path = path;
  req->query = query;
  req->query_string = g_uri_get_query (uri);
  req->host = g_uri_get_host (uri);
  req->headers = soup_server_message_get_request_headers (msg);
  req->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_strcmp0 (req->host, "localhost") == 0)
    req->route = route_psn (req);
  else
    req->route = route_bungie (req);
}

static void
serve (QmSandbox *self,
       Request   *req)
{
  QmFaultAction action = { QM_FAULT_NONE };
  gboolean platform = is_platform_call (req->route);

  count_call (self, req->route->operation);
  qm_sandbox_faults_match (self->faults, req->route->operation, platform,
                           self->fault_rand, &action);

  if (!reply_fault (req, &action) && (!platform || check_platform_access (self, req)))
    req->route->handler (self, req);

  switch (action.kind)
    {
    case QM_FAULT_TRUNCATE:
      truncate_response (req);
      break;
    case QM_FAULT_RESET:
    case QM_FAULT_TIMEOUT:
      record_exchange (self, req, 0, FALSE);
      if (action.kind == QM_FAULT_RESET)
        drop_connection (req->msg);
      else
        hold_message (self, req->msg, TIMEOUT_FAULT_SECONDS * 1000, TRUE);
      return;
    default:
      break;
    }

  record_exchange (self, req, soup_server_message_get_status (req->msg),
                   action.kind == QM_FAULT_TRUNCATE);
  if (action.kind == QM_FAULT_DELAY)
    hold_message (self, req->msg, action.delay_ms, FALSE);
}

static void
on_server_request_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  QmSandbox *self = user_data;
  Request req = { 0 };

  request_init (&req, msg, path, query);
  serve (self, &req);
  request_clear (&req);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
qm_sandbox_finalize (GObject *object)
{
  QmSandbox *self = (QmSandbox *) object;

  qm_sandbox_stop (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->world, qm_sandbox_world_free);
  g_clear_pointer (&self->faults, qm_sandbox_faults_free);
  g_clear_pointer (&self->recorder, qm_sandbox_recorder_free);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->secret_rand, g_rand_free);
  g_clear_pointer (&self->call_counts, g_hash_table_unref);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->refresh_tokens, g_hash_table_unref);
  g_clear_pointer (&self->auth_codes, g_hash_table_unref);
  g_clear_pointer (&self->psn_sessions, g_hash_table_unref);
  g_clear_pointer (&self->psn_signed_in, g_hash_table_unref);
  g_clear_pointer (&self->psn_grants, g_hash_table_unref);
  g_clear_pointer (&self->issued, g_ptr_array_unref);
  g_clear_pointer (&self->snapshot, snapshot_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->bungie_origin, g_free);
  g_clear_pointer (&self->psn_origin, g_free);

  G_OBJECT_CLASS (qm_sandbox_parent_class)->finalize (object);
}

static void
qm_sandbox_class_init (QmSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_sandbox_finalize;
}

static GHashTable *
secret_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, secret_free);
}

static void
qm_sandbox_init (QmSandbox *self)
{
  self->secret_rand = g_rand_new ();
  self->call_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->access_tokens = secret_table ();
  self->refresh_tokens = secret_table ();
  self->auth_codes = secret_table ();
  self->psn_sessions = secret_table ();
  self->psn_signed_in = secret_table ();
  self->psn_grants = secret_table ();
  self->issued = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_ptr_array_new_with_free_func (pending_free);
  self->changed_at = g_get_real_time ();
}

/**
 * qm_sandbox_new:
 * @options: how to set the sandbox up
 * @error: return location for a #GError
 *
 * Builds the world (the demo account, or recorded data from
 * @options->data_dir) and parses the fault spec. Nothing listens until
 * qm_sandbox_start().
 *
 * Returns: (transfer full) (nullable): a new sandbox
 */
QmSandbox *
qm_sandbox_new (const QmSandboxOptions  *options,
                GError                 **error)
{
  g_autoptr(QmSandbox) self = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (QM_TYPE_SANDBOX, NULL);
  self->seed = options->seed;
  self->data_dir = g_strdup (options->data_dir);
  self->requested_port = options->port;
  self->n_items = options->n_items;
  self->gzip_content = options->gzip_content;
  self->xur_present = !options->xur_absent;
  self->profile_cache_delay = options->profile_cache_delay;
  self->throttle_seconds = options->throttle_seconds;
  self->no_action_throttle = options->no_action_throttle;
  self->fault_rand = g_rand_new_with_seed ((guint32) (options->seed ^ (options->seed >> 32)));

  self->faults = qm_sandbox_faults_parse (options->faults, error);
  if (self->faults == NULL)
    return NULL;
  if (options->record_path != NULL && !qm_sandbox_set_record_path (self, options->record_path, error))
    return NULL;

  /* Xûr is always built and hidden while away, so that he can come back. */
  if (self->data_dir != NULL)
    self->world = qm_sandbox_world_new_from_dir (self->data_dir, error);
  else
    self->world = qm_sandbox_world_new_demo_sized (self->seed, self->n_items,
                                                   options->profile_items, TRUE);
  if (self->world == NULL)
    return NULL;
  if (self->world->locations == NULL)
    self->world->locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return g_steal_pointer (&self);
}

gboolean
qm_sandbox_start (QmSandbox  *self,
                  GError    **error)
{
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (QM_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  /* The server, and the timers of delayed answers, run in the caller's context. */
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "quartermaster-sandbox", NULL);
  soup_server_add_handler (self->server, NULL, on_server_request_cb, self, NULL);
  if (!soup_server_listen_local (self->server, self->requested_port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : 0;
  g_free (self->bungie_origin);
  g_free (self->psn_origin);
  self->bungie_origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->psn_origin = g_strdup_printf ("http://localhost:%u", self->port);
  g_debug ("listening on %s", self->bungie_origin);
  return TRUE;
}

void
qm_sandbox_stop (QmSandbox *self)
{
  g_return_if_fail (QM_IS_SANDBOX (self));

  while (self->pending != NULL && self->pending->len > 0)
    release_pending (g_ptr_array_index (self->pending, self->pending->len - 1));
  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

guint
qm_sandbox_get_port (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), 0);

  return self->port;
}

const char *
qm_sandbox_get_bungie_origin (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  return self->bungie_origin;
}

const char *
qm_sandbox_get_psn_origin (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  return self->psn_origin;
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

QmConfig *
qm_sandbox_dup_config (QmSandbox *self)
{
  QmConfig *config;

  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);
  g_return_val_if_fail (self->bungie_origin != NULL, NULL);

  /* Every field the Bungie application has is the sandbox's: nothing of the
   * environment's or the preferences' is left. */
  config = qm_config_new_default ();
  replace_string (&config->origin, self->bungie_origin);
  replace_string (&config->psn_origin, self->psn_origin);
  replace_string (&config->api_key, QM_SANDBOX_API_KEY);
  replace_string (&config->client_id, QM_SANDBOX_CLIENT_ID);
  replace_string (&config->client_secret, QM_SANDBOX_CLIENT_SECRET);
  replace_string (&config->redirect_uri, QM_SANDBOX_REDIRECT_URI);
  return config;
}

QmSandbox *
qm_sandbox_start_for_app (const QmSandboxOptions  *options,
                          QmConfig               **config,
                          GError                 **error)
{
  static const QmSandboxOptions defaults = { 0 };
  g_autoptr(QmSandbox) sandbox = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sandbox = qm_sandbox_new (options != NULL ? options : &defaults, error);
  if (sandbox == NULL || !qm_sandbox_start (sandbox, error))
    return NULL;
  g_debug ("Sandbox listening at %s", sandbox->bungie_origin);
  if (config != NULL)
    *config = qm_sandbox_dup_config (sandbox);
  return g_steal_pointer (&sandbox);
}

gboolean
qm_sandbox_set_faults (QmSandbox   *self,
                       const char  *spec,
                       GError     **error)
{
  QmSandboxFaults *faults;

  g_return_val_if_fail (QM_IS_SANDBOX (self), FALSE);

  faults = qm_sandbox_faults_parse (spec, error);
  if (faults == NULL)
    return FALSE;
  qm_sandbox_faults_free (self->faults);
  self->faults = faults;
  return TRUE;
}

void
qm_sandbox_set_character_location (QmSandbox         *self,
                                   const char        *character_id,
                                   QmSandboxLocation  location)
{
  g_return_if_fail (QM_IS_SANDBOX (self));
  g_return_if_fail (character_id != NULL);

  g_hash_table_insert (self->world->locations, g_strdup (character_id), GINT_TO_POINTER (location));
}

void
qm_sandbox_set_xur_present (QmSandbox *self,
                            gboolean   present)
{
  g_return_if_fail (QM_IS_SANDBOX (self));

  self->xur_present = !!present;
}

void
qm_sandbox_set_profile_cache_delay (QmSandbox *self,
                                    double     seconds)
{
  g_return_if_fail (QM_IS_SANDBOX (self));

  self->profile_cache_delay = seconds;
  g_clear_pointer (&self->snapshot, snapshot_free);
}

gboolean
qm_sandbox_set_record_path (QmSandbox   *self,
                            const char  *path,
                            GError     **error)
{
  QmSandboxRecorder *recorder = NULL;

  g_return_val_if_fail (QM_IS_SANDBOX (self), FALSE);

  if (path != NULL)
    {
      recorder = qm_sandbox_recorder_new (path, error);
      if (recorder == NULL)
        return FALSE;
    }
  qm_sandbox_recorder_free (self->recorder);
  self->recorder = recorder;
  return TRUE;
}

char *
qm_sandbox_issue_access_token (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  return issue_access_token (self, NULL);
}

void
qm_sandbox_expire_access_tokens (QmSandbox *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (QM_IS_SANDBOX (self));

  g_hash_table_iter_init (&iter, self->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Secret *) value)->expires_at = 0;
}

/**
 * qm_sandbox_dup_issued_secrets:
 * @self: a #QmSandbox
 *
 * Every secret the sandbox has handed out so far, spent or not: access and
 * refresh tokens, authorization codes, the PSN chain's session, CSRF and
 * auth cookies, grant codes and states. For tests that look for them where
 * they must not be.
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
GStrv
qm_sandbox_dup_issued_secrets (QmSandbox *self)
{
  GStrv secrets;

  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  secrets = g_new0 (char *, self->issued->len + 1);
  for (guint i = 0; i < self->issued->len; i++)
    secrets[i] = g_strdup (g_ptr_array_index (self->issued, i));
  return secrets;
}

guint
qm_sandbox_get_call_count (QmSandbox  *self,
                           const char *operation)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), 0);
  g_return_val_if_fail (operation != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->call_counts, operation));
}

const char *
qm_sandbox_get_membership_id (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  return self->world->membership_id;
}

int
qm_sandbox_get_membership_type (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), 0);

  return self->world->membership_type;
}

GStrv
qm_sandbox_dup_character_ids (QmSandbox *self)
{
  JsonObject *profile = NULL;
  JsonArray *ids = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  profile = profile_data (self, "profile");
  ids = qm_json_get_array (profile, "characterIds");
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      g_autofree char *id = qm_json_node_dup_id (json_array_get_element (ids, i));

      if (id != NULL)
        g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

char *
qm_sandbox_dup_profile_json (QmSandbox *self)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *minted = NULL;
  JsonObject *object;

  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  copy = qm_json_node_deep_copy (self->world->profile);
  minted = format_timestamp (self->changed_at);
  object = json_node_get_object (copy);
  json_object_set_string_member (object, "responseMintedTimestamp", minted);
  json_object_set_string_member (object, "secondaryComponentsMintedTimestamp", minted);
  return json_to_string (copy, FALSE);
}

gpointer
qm_sandbox_get_world (QmSandbox *self)
{
  g_return_val_if_fail (QM_IS_SANDBOX (self), NULL);

  return self->world;
}

void
qm_sandbox_note_world_changed (QmSandbox *self)
{
  g_return_if_fail (QM_IS_SANDBOX (self));

  mark_changed (self);
}
