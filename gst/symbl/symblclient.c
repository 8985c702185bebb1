#include "symblclient.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* Replies are a few hundred bytes; a proxy's error page may be more. Never
 * hold more than this of one in memory. */
#define MAX_REPLY_SIZE (256 * 1024)
/* Enough of a non-JSON error body to tell what answered. */
#define MAX_MESSAGE_CHARS 200

GQuark
symbl_client_error_quark (void)
{
  return g_quark_from_static_string ("symbl-client-error-quark");
}

struct _SymblClient
{
  gchar *api_url;
  SoupSession *session;
  gboolean ssl_strict;
};

static gboolean
host_is_loopback (const gchar * host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address && g_inet_address_get_is_loopback (address);
}

static gboolean
check_api_url (const gchar * api_url, GError ** error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) parse_error = NULL;
  const gchar *scheme;

  uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, &parse_error);
  if (!uri) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is not a URL: %s", api_url, parse_error->message);
    return FALSE;
  }
  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_userinfo (uri) || g_uri_get_query (uri)
      || g_uri_get_fragment (uri)) {
    /* Don't echo it: user info may be a password. */
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
        "api-url must be a plain base URL such as https://api.symbl.ai, "
        "without user name, password, query or fragment");
    return FALSE;
  }
  if (!g_uri_get_host (uri) || !*g_uri_get_host (uri)
      || (g_ascii_strcasecmp (scheme, "https") != 0
          && g_ascii_strcasecmp (scheme, "http") != 0)) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" must be an http:// or https:// URL with a host",
        api_url);
    return FALSE;
  }
  if (g_ascii_strcasecmp (scheme, "http") == 0
      && !host_is_loopback (g_uri_get_host (uri))) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
        "api-url \"%s\" is plain http:// to another machine, which would "
        "send the access token in clear. Use https://; plain http:// is "
        "only for a server on this machine (localhost, 127.0.0.1, ::1)",
        api_url);
    return FALSE;
  }
  return TRUE;
}

static const gchar *
getenv_either (const gchar * lower, const gchar * upper)
{
  const gchar *value = g_getenv (lower);

  if (!value || !*value)
    value = g_getenv (upper);
  return value && *value ? value : NULL;
}

/* https_proxy, http_proxy and no_proxy as curl reads them. NULL when none
 * is set: libsoup then asks the system (GIO's default resolver). */
static GProxyResolver *
proxy_from_environment (void)
{
  const gchar *https = getenv_either ("https_proxy", "HTTPS_PROXY");
  const gchar *http = getenv_either ("http_proxy", "HTTP_PROXY");
  const gchar *no_proxy = getenv_either ("no_proxy", "NO_PROXY");
  g_auto (GStrv) ignore = NULL;
  GProxyResolver *resolver;
  guint i;

  if (!https && !http)
    return NULL;
  if (no_proxy) {
    ignore = g_strsplit (no_proxy, ",", -1);
    for (i = 0; ignore[i]; i++)
      g_strstrip (ignore[i]);
    if (g_strv_contains ((const gchar * const *) ignore, "*"))
      return g_simple_proxy_resolver_new (NULL, NULL);
  }
  resolver = g_simple_proxy_resolver_new (NULL, ignore);
  if (https)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER
        (resolver), "https", https);
  if (http)
    g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER
        (resolver), "http", http);
  return resolver;
}

SymblClient *
symbl_client_new (const gchar * api_url, const SymblClientOptions * options,
    GError ** error)
{
  g_autoptr (GProxyResolver) resolver = NULL;
  SymblClient *client;
  gsize length;

  if (!check_api_url (api_url, error))
    return NULL;

  client = g_new0 (SymblClient, 1);
  client->api_url = g_strdup (api_url);
  length = strlen (client->api_url);
  while (length > 0 && client->api_url[length - 1] == '/')
    client->api_url[--length] = '\0';

  client->ssl_strict = options->ssl_strict;
  client->session = soup_session_new_with_options ("user-agent",
      options->user_agent, "timeout", options->timeout_s, NULL);

  if (options->ssl_ca_file) {
    g_autoptr (GError) tls_error = NULL;
    g_autoptr (GTlsDatabase) database =
        g_tls_file_database_new (options->ssl_ca_file, &tls_error);
    if (!database) {
      g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
          "Could not use ssl-ca-file %s: %s", options->ssl_ca_file,
          tls_error->message);
      symbl_client_free (client);
      return NULL;
    }
    soup_session_set_tls_database (client->session, database);
  }

  if (options->proxy && !g_uri_is_valid (options->proxy, G_URI_FLAGS_NONE,
          NULL)) {
    /* Not echoed: it may hold a password. */
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_SETTINGS,
        "proxy is not a URL such as http://proxy.example.com:3128");
    symbl_client_free (client);
    return NULL;
  }
  resolver = options->proxy ? g_simple_proxy_resolver_new (options->proxy,
      NULL) : proxy_from_environment ();
  if (resolver)
    soup_session_set_proxy_resolver (client->session, resolver);
  return client;
}

void
symbl_client_free (SymblClient * client)
{
  if (!client)
    return;
  g_clear_object (&client->session);
  g_free (client->api_url);
  g_free (client);
}

const gchar *
symbl_client_get_api_url (SymblClient * client)
{
  return client->api_url;
}

void
symbl_client_append_query (GString * query, const gchar * name,
    const gchar * value)
{
  g_autofree gchar *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
}

void
symbl_response_clear (SymblResponse * response)
{
  g_clear_pointer (&response->api_message, g_free);
  response->status = 0;
  response->retry_after_s = -1;
}

void
symbl_job_ids_clear (SymblJobIds * ids)
{
  g_clear_pointer (&ids->conversation_id, g_free);
  g_clear_pointer (&ids->job_id, g_free);
}

static gchar *
submission_path (const SymblSubmission * submission)
{
  g_autofree gchar *id = NULL;

  if (!submission->conversation_id)
    return g_strdup_printf ("/v1/process/%s", submission->endpoint);
  id = g_uri_escape_string (submission->conversation_id, NULL, FALSE);
  return g_strdup_printf ("/v1/process/%s/%s", submission->endpoint, id);
}

gchar *
symbl_client_describe (SymblClient * client, const SymblSubmission * submission)
{
  g_autofree gchar *path = submission_path (submission);

  return g_strconcat (client->api_url, path, NULL);
}

/* Retry-After is seconds or an HTTP date. */
static gint
parse_retry_after (SoupMessage * msg)
{
  const gchar *value =
      soup_message_headers_get_one (soup_message_get_response_headers (msg),
      "Retry-After");
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = NULL;
  GTimeSpan wait;
  gchar *end;
  gint64 seconds;

  if (!value)
    return -1;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0')
    return CLAMP (seconds, 0, G_MAXINT);
  when = soup_date_time_new_from_http_string (value);
  if (!when)
    return -1;
  now = g_date_time_new_now_utc ();
  wait = g_date_time_difference (when, now);
  return CLAMP (wait / G_TIME_SPAN_SECOND, 0, G_MAXINT);
}

static GBytes *
read_reply (GInputStream * stream, GCancellable * cancellable, GError ** error)
{
  g_autoptr (GByteArray) reply = g_byte_array_new ();
  guint8 chunk[8192];

  while (reply->len < MAX_REPLY_SIZE) {
    gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable,
        error);
    if (n < 0)
      return NULL;
    if (n == 0)
      break;
    g_byte_array_append (reply, chunk, MIN ((gsize) n,
            MAX_REPLY_SIZE - reply->len));
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&reply));
}

static JsonNode *
parse_json (GBytes * reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length;
  const gchar *data = g_bytes_get_data (reply, &length);
  JsonNode *root;

  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_copy (root) : NULL;
}

/* The API's own words: the "message" of a JSON error, or the start of
 * whatever else answered (a proxy's page, say). */
static gchar *
reply_message (GBytes * reply)
{
  g_autoptr (JsonNode) root = parse_json (reply);
  gsize length;
  const gchar *data;
  gchar *text;

  if (root && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *object = json_node_get_object (root);
    JsonNode *message = json_object_get_member (object, "message");
    if (message && JSON_NODE_HOLDS_VALUE (message)
        && json_node_get_value_type (message) == G_TYPE_STRING)
      return g_strdup (json_node_get_string (message));
  }

  data = g_bytes_get_data (reply, &length);
  if (length == 0)
    return NULL;
  text = g_utf8_make_valid (data, MIN (length, MAX_MESSAGE_CHARS * 4));
  if (g_utf8_strlen (text, -1) > MAX_MESSAGE_CHARS)
    *g_utf8_offset_to_pointer (text, MAX_MESSAGE_CHARS) = '\0';
  return g_strstrip (g_strdelimit (text, "\r\n\t", ' '));
}

/* Ids are strings in the docs; a numeric conversationId is taken too. */
static gchar *
id_member (JsonObject * object, const gchar * name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!node || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING
      && *json_node_get_string (node))
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static gboolean
parse_job_ids (GBytes * reply, SymblJobIds * ids, GError ** error)
{
  g_autoptr (JsonNode) root = parse_json (reply);
  JsonObject *object;

  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the reply is not a JSON object");
    return FALSE;
  }
  object = json_node_get_object (root);
  ids->conversation_id = id_member (object, "conversationId");
  ids->job_id = id_member (object, "jobId");
  if (!ids->conversation_id || !ids->job_id) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the reply lacks %s", !ids->conversation_id ?
        "a conversationId" : "a jobId");
    symbl_job_ids_clear (ids);
    return FALSE;
  }
  return TRUE;
}

typedef struct
{
  SymblProgressFunc func;
  gpointer data;
  guint64 sent;
  guint64 total;
} Progress;

static void
on_wrote_body_data (SoupMessage * msg, guint chunk_size, Progress * progress)
{
  progress->sent += chunk_size;
  progress->func (progress->sent, progress->total, progress->data);
}

static gboolean
on_accept_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static SoupMessage *
build_message (SymblClient * client, const SymblSubmission * submission,
    GInputStream * body)
{
  g_autofree gchar *endpoint = symbl_client_describe (client, submission);
  g_autofree gchar *url = NULL;
  g_autofree gchar *authorization = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;

  if (submission->query && *submission->query)
    url = g_strconcat (endpoint, "?", submission->query, NULL);
  else
    url = g_strdup (endpoint);
  msg = soup_message_new (submission->conversation_id ? "PUT" : "POST", url);

  /* A redirect would need the body again; say so instead of following. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", submission->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* A refused token or format is answered before the body goes out. */
  soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
  soup_message_set_request_body (msg, submission->content_type, body,
      submission->size);

  if (!client->ssl_strict)
    g_signal_connect (msg, "accept-certificate",
        G_CALLBACK (on_accept_certificate), NULL);
  return msg;
}

gboolean
symbl_client_submit (SymblClient * client, const SymblSubmission * submission,
    SymblProgressFunc progress_func, gpointer progress_data, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  g_autoptr (GFile) file = g_file_new_for_path (submission->file);
  g_autoptr (GFileInputStream) body = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GInputStream) reply_stream = NULL;
  g_autoptr (GBytes) reply = NULL;
  Progress progress = { progress_func, progress_data, 0, submission->size };
  guint status;

  symbl_response_clear (response);

  body = g_file_read (file, cancellable, error);
  if (!body)
    return FALSE;

  msg = build_message (client, submission, G_INPUT_STREAM (body));
  if (progress_func)
    g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data),
        &progress);

  reply_stream = soup_session_send (client->session, msg, cancellable, error);
  if (!reply_stream)
    return FALSE;
  reply = read_reply (reply_stream, cancellable, error);
  if (!reply)
    return FALSE;

  status = soup_message_get_status (msg);
  response->status = status;
  response->retry_after_s = parse_retry_after (msg);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
    response->api_message = reply_message (reply);
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_HTTP_STATUS,
        "HTTP %u %s%s%s", status, soup_message_get_reason_phrase (msg),
        response->api_message ? ": " : "",
        response->api_message ? response->api_message : "");
    return FALSE;
  }
  return parse_job_ids (reply, ids, error);
}
