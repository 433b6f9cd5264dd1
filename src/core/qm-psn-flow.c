/* qm-psn-flow.c: the classic PSN redirect chain to Bungie's cookies
 *
 * SPDX-FileCopyrightText: 2026 Quartermaster contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request goes out with SOUP_MESSAGE_NO_REDIRECT and redirects are
 * followed here, so that each hop is checked before anything is sent to it:
 * only the configured Bungie and PSN origins (scheme, host and port), at most
 * MAX_REDIRECTS hops per navigation. Each sign-in runs on a fresh SoupSession
 * and SoupCookieJar, apart from the API session.
 */

#define G_LOG_DOMAIN "qm-psn-flow"

#include "config.h"

#include "qm-psn-flow.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "qm-auth-manager.h"
#include "qm-error.h"

#define MAX_REDIRECTS  10
#define TIMEOUT_S      30
#define SIGN_IN_PATH   "/en/User/SignIn/Psnid"
#define LOGIN_PATH     "/login.do"
#define FORM_TYPE      "application/x-www-form-urlencoded"

struct _QmPsnFlow
{
  GObject   parent_instance;

  QmConfig *config;
};

G_DEFINE_FINAL_TYPE (QmPsnFlow, qm_psn_flow, G_TYPE_OBJECT)

/* Where a navigation ends: the last answer, not a redirect that was followed. */
typedef void (*Step) (GTask       *task,
                      SoupMessage *message);

typedef struct
{
  SoupSession   *session;
  SoupCookieJar *jar;
  GUri          *bungie;       /* the configured origins */
  GUri          *psn;
  char          *user;
  char          *password;     /* wiped as soon as the login form holds it */
  SoupMessage   *message;      /* the request in flight */
  Step           step;
  gboolean       follow;
  guint          hops;
} Chain;

/* ---------------------------------------------------------------------- */
/* Secrets                                                                 */


static void
append_escaped (GString    *form,
                const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  /* By hand, into a buffer sized beforehand: no temporary copies of the
   * password are left behind in freed memory. */
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '*')
        g_string_append_c (form, (char) *p);
      else if (*p == ' ')
        g_string_append_c (form, '+');
      else
        {
          g_string_append_c (form, '%');
          g_string_append_c (form, hex[*p >> 4]);
          g_string_append_c (form, hex[*p & 0xf]);
        }
    }
}

static void
append_field (GString    *form,
              const char *name,
              const char *value)
{
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  append_escaped (form, value);
}

/* The login form, in bytes that are wiped when the last reference goes. */
static GBytes *
login_form (const char *user,
            const char *password,
            const char *params)
{
  gsize size = 3 * (strlen (user) + strlen (password) + strlen (params)) + 64;
  GString *form = g_string_sized_new (size);
  gsize len;
  char *text;

  append_field (form, "j_username", user);
  append_field (form, "j_password", password);
  append_field (form, "params", params);
  g_assert (form->len < size);
  len = form->len;
  text = g_string_free (form, FALSE);
  return g_bytes_new_with_free_func (text, len, (GDestroyNotify) qm_secret_free, text);
}

/* ---------------------------------------------------------------------- */
/* Navigation                                                              */

static void
chain_free (Chain *chain)
{
  g_clear_pointer (&chain->password, qm_secret_free);
  g_clear_pointer (&chain->user, g_free);
  g_clear_object (&chain->message);
  g_clear_pointer (&chain->bungie, g_uri_unref);
  g_clear_pointer (&chain->psn, g_uri_unref);
  g_clear_object (&chain->jar);
  g_clear_object (&chain->session);
  g_free (chain);
}

static int
effective_port (GUri *uri)
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
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

static gboolean
is_allowed (Chain *chain,
            GUri  *uri)
{
  return g_uri_get_host (uri) != NULL &&
         (same_origin (uri, chain->bungie) || same_origin (uri, chain->psn));
}

/* "scheme://host[:port]", for messages: a change of scheme alone is foreign too. */
static char *
describe_host (GUri *uri)
{
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : "?",
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* URLs in the log carry no query: queries hold grants and states. */
static char *
uri_for_log (GUri *uri)
{
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

static void
chain_fail (GTask      *task,
            int         code,
            const char *message)
{
  g_task_return_new_error (task, QM_AUTH_ERROR, code, "%s", message);
}

static GError *
map_transport_error (const GError *error,
                     GUri         *uri)
{
  g_autofree char *host = describe_host (uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_TIMEOUT,
                        "%s did not answer within %u seconds", host, TIMEOUT_S);
  return g_error_new (QM_CLIENT_ERROR, QM_CLIENT_ERROR_NETWORK,
                      "Could not reach %s: %s", host, error->message);
}

static void send_message (GTask *task);

/* Send @method to @uri; with @follow, redirects are followed (checked, counted
 * from @hops) and @step gets the last answer. */
static void
request (GTask      *task,
         const char *method,
         GUri       *uri,
         GBytes     *form,
         gboolean    follow,
         guint       hops,
         Step        step)
{
  Chain *chain = g_task_get_task_data (task);

  g_assert (is_allowed (chain, uri));

  g_clear_object (&chain->message);
  chain->message = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (chain->message, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    soup_message_set_request_body_from_bytes (chain->message, FORM_TYPE, form);
  chain->follow = follow;
  chain->step = step;
  chain->hops = hops;
  send_message (task);
}

GUri *
qm_psn_check_redirect (GUri        *bungie,
                       GUri        *psn,
                       GUri        *base,
                       const char  *location,
                       GError     **error)
{
  g_autoptr(GUri) target = NULL;

  g_return_val_if_fail (bungie != NULL && psn != NULL && base != NULL, NULL);

  if (location != NULL)
    target = g_uri_parse_relative (base, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL)
    {
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                           _("The PlayStation Network sign-in sent an unreadable redirect."));
      return NULL;
    }
  if (g_uri_get_host (target) == NULL || (!same_origin (target, bungie) && !same_origin (target, psn)))
    {
      g_autofree char *host = describe_host (target);

      g_debug ("refused a redirect to %s", host);
      g_set_error (error, QM_AUTH_ERROR, QM_AUTH_ERROR_FOREIGN_REDIRECT,
                   "A redirect to %s, neither Bungie.net nor PlayStation Network, was refused", host);
      return NULL;
    }
  return g_steal_pointer (&target);
}

static void
follow_location (GTask       *task,
                 SoupMessage *message,
                 Step         step)
{
  Chain *chain = g_task_get_task_data (task);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                       "Location");
  g_autoptr(GUri) target = NULL;
  GError *error = NULL;

  target = qm_psn_check_redirect (chain->bungie, chain->psn, soup_message_get_uri (message), location, &error);
  if (target == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (chain->hops >= MAX_REDIRECTS)
    {
      chain_fail (task, QM_AUTH_ERROR_TOO_MANY_REDIRECTS,
                  "The sign-in went through too many redirects");
      return;
    }

  request (task, "GET", target, NULL, TRUE, chain->hops + 1, step);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Chain *chain = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = g_object_ref (chain->message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (error, soup_message_get_uri (message)));
      return;
    }

  status = soup_message_get_status (message);
  if (chain->follow && SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    follow_location (task, message, chain->step);
  else
    chain->step (task, message);
}

static void
send_message (GTask *task)
{
  Chain *chain = g_task_get_task_data (task);
  g_autofree char *text = uri_for_log (soup_message_get_uri (chain->message));

  g_debug ("%s %s", soup_message_get_method (chain->message), text);
  soup_session_send_and_read_async (chain->session, chain->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_sent_cb, g_object_ref (task));
}

/* ---------------------------------------------------------------------- */
/* The chain                                                               */

static const char *
cookie_value (GSList     *cookies,
              const char *name)
{
  for (GSList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      return soup_cookie_get_value (l->data);
  return NULL;
}

static GSList *
cookies_for (Chain *chain,
             GUri  *origin)
{
  g_autoptr(GUri) root = g_uri_parse_relative (origin, "/", SOUP_HTTP_URI_FLAGS, NULL);

  return soup_cookie_jar_get_cookie_list (chain->jar, root, TRUE);
}

static gint64
cookie_expiry (GSList     *cookies,
               const char *name)
{
  for (GSList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name) && soup_cookie_get_expires (l->data) != NULL)
      return g_date_time_to_unix (soup_cookie_get_expires (l->data));
  return 0;
}

QmToken *
qm_psn_token_from_cookies (GSList  *cookies,
                           GError **error)
{
  const char *bungled = cookie_value (cookies, "bungled");
  const char *bungleatk = cookie_value (cookies, "bungleatk");
  const char *bungledid = cookie_value (cookies, "bungledid");
  QmToken *token;

  if (bungled == NULL || bungleatk == NULL || bungledid == NULL)
    {
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                           _("Bungie.net did not complete the PlayStation Network sign-in. Please try again later."));
      return NULL;
    }

  token = qm_token_new (QM_TOKEN_KIND_PSN_COOKIES);
  token->bungled = g_strdup (bungled);
  token->bungleatk = g_strdup (bungleatk);
  token->bungledid = g_strdup (bungledid);
  token->access_expires = cookie_expiry (cookies, "bungleatk");
  return token;
}

/* Step 4: Bungie's sign-in took the grant and set its cookies. */
static void
on_signed_in (GTask       *task,
              SoupMessage *message)
{
  Chain *chain = g_task_get_task_data (task);
  GSList *cookies = cookies_for (chain, chain->bungie);
  GError *error = NULL;
  QmToken *token = qm_psn_token_from_cookies (cookies, &error);

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  if (token == NULL)
    {
      g_debug ("the chain ended with HTTP %u without Bungie's cookies", soup_message_get_status (message));
      g_task_return_error (task, error);
      return;
    }
  g_debug ("signed in through PlayStation Network");
  g_task_return_pointer (task, token, (GDestroyNotify) qm_token_free);
}

gboolean
qm_psn_check_login_answer (guint        status,
                           const char  *location,
                           GError     **error)
{
  if (!SOUP_STATUS_IS_REDIRECTION (status) || location == NULL)
    {
      g_debug ("login.do answered HTTP %u", status);
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_PROTOCOL,
                           _("PlayStation Network did not accept the sign-in form. Please try again later."));
      return FALSE;
    }
  if (strstr (location, "authentication_error") != NULL)
    {
      g_set_error_literal (error, QM_AUTH_ERROR, QM_AUTH_ERROR_WRONG_CREDENTIALS,
                           "PlayStation Network refused the e-mail or password (authentication_error)");
      return FALSE;
    }
  return TRUE;
}

/* Step 3: login.do answered; a redirect is the only good answer. */
static void
on_login_answer (GTask       *task,
                 SoupMessage *message)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                       "Location");
  GError *error = NULL;

  if (!qm_psn_check_login_answer (soup_message_get_status (message), location, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The grant (X-NP-GRANT-CODE) leads back to Bungie's sign-in. */
  follow_location (task, message, on_signed_in);
}

static gboolean
has_cookie (Chain      *chain,
            GUri       *origin,
            const char *name)
{
  GSList *cookies = cookies_for (chain, origin);
  gboolean found = cookie_value (cookies, name) != NULL;

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  return found;
}

static GUri *
login_uri (Chain *chain)
{
  g_autofree char *return_to = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (chain->bungie), NULL,
                                           g_uri_get_host (chain->bungie), g_uri_get_port (chain->bungie),
                                           SIGN_IN_PATH, NULL, NULL);
  g_autofree char *escaped = g_uri_escape_string (return_to, NULL, FALSE);
  g_autofree char *relative = g_strconcat (LOGIN_PATH "?redirect_uri=", escaped, NULL);

  return g_uri_parse_relative (chain->psn, relative, SOUP_HTTP_URI_FLAGS, NULL);
}

/* Step 2: the PSN login page. Its query, base64-encoded, is the form's params. */
static void
on_login_page (GTask       *task,
               SoupMessage *message)
{
  Chain *chain = g_task_get_task_data (task);
  GUri *page = soup_message_get_uri (message);
  const char *query = g_uri_get_query (page) != NULL ? g_uri_get_query (page) : "";
  g_autofree char *params = NULL;
  g_autoptr(GBytes) form = NULL;
  g_autoptr(GUri) login = NULL;

  if (soup_message_get_status (message) != SOUP_STATUS_OK || !same_origin (page, chain->psn) ||
      !has_cookie (chain, chain->psn, "JSESSIONID"))
    {
      g_debug ("the sign-in page answered HTTP %u", soup_message_get_status (message));
      chain_fail (task, QM_AUTH_ERROR_PROTOCOL,
                  _("The PlayStation Network sign-in page did not open. Please try again later."));
      return;
    }

  params = g_base64_encode ((const guchar *) query, strlen (query));
  form = login_form (chain->user, chain->password, params);
  g_clear_pointer (&chain->password, qm_secret_free);
  login = login_uri (chain);
  request (task, "POST", login, form, FALSE, 0, on_login_answer);
}

static SoupSession *
chain_session_new (SoupCookieJar *jar,
                   gboolean       loopback)
{
  g_autofree char *user_agent = g_strdup_printf ("Quartermaster/%s", PACKAGE_VERSION);
  SoupSession *session = soup_session_new_with_options ("user-agent", user_agent,
                                                        "timeout", TIMEOUT_S,
                                                        NULL);

  soup_session_add_feature (session, SOUP_SESSION_FEATURE (jar));
  /* No proxy between two ends of this computer. */
  if (loopback)
    soup_session_set_proxy_resolver (session, NULL);
  return session;
}

static gboolean
is_loopback (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

static GUri *
parse_origin (const char *origin)
{
  GUri *uri;

  if (origin == NULL || !qm_origin_is_trusted (origin))
    return NULL;
  uri = g_uri_parse (origin, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    return uri;
  g_clear_pointer (&uri, g_uri_unref);
  return NULL;
}

static Chain *
chain_new (const QmConfig *config,
           const char     *user,
           const char     *password)
{
  Chain *chain = g_new0 (Chain, 1);

  chain->user = g_strdup (user);
  chain->password = g_strdup (password);
  chain->bungie = parse_origin (config->origin);
  chain->psn = parse_origin (config->psn_origin);
  chain->jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (chain->jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  chain->session = chain_session_new (chain->jar,
                                      chain->bungie != NULL && chain->psn != NULL &&
                                      is_loopback (chain->bungie) && is_loopback (chain->psn));
  return chain;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                 */

static void
qm_psn_flow_finalize (GObject *object)
{
  QmPsnFlow *self = QM_PSN_FLOW (object);

  g_clear_pointer (&self->config, qm_config_free);

  G_OBJECT_CLASS (qm_psn_flow_parent_class)->finalize (object);
}

static void
qm_psn_flow_class_init (QmPsnFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qm_psn_flow_finalize;
}

static void
qm_psn_flow_init (QmPsnFlow *self)
{
}

/* ---------------------------------------------------------------------- */
/* Public API                                                              */

QmPsnFlow *
qm_psn_flow_new (const QmConfig *config)
{
  QmPsnFlow *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (QM_TYPE_PSN_FLOW, NULL);
  self->config = qm_config_copy (config);
  return self;
}

void
qm_psn_flow_sign_in_async (QmPsnFlow           *self,
                           const char          *user,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) start = NULL;
  Chain *chain;

  g_return_if_fail (QM_IS_PSN_FLOW (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qm_psn_flow_sign_in_async);
  chain = chain_new (self->config, user, password);
  g_task_set_task_data (task, chain, (GDestroyNotify) chain_free);

  if (chain->bungie == NULL || chain->psn == NULL)
    {
      g_task_return_new_error (task, QM_CLIENT_ERROR, QM_CLIENT_ERROR_INSECURE_ORIGIN,
                               "Refusing to sign in at %s and %s: only https "
                               "or this computer’s own address is allowed",
                               self->config->origin != NULL ? self->config->origin : "(none)",
                               self->config->psn_origin != NULL ? self->config->psn_origin : "(none)");
      return;
    }

  /* Step 1: Bungie's PSN sign-in sends the browser to Sony's login page,
   * which sets JSESSIONID on the way. */
  start = g_uri_parse_relative (chain->bungie, SIGN_IN_PATH, SOUP_HTTP_URI_FLAGS, NULL);
  request (task, "GET", start, NULL, TRUE, 0, on_login_page);
}

QmToken *
qm_psn_flow_sign_in_finish (QmPsnFlow     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (QM_IS_PSN_FLOW (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == qm_psn_flow_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
