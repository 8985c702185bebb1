/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblclient.h"

#include "symblbodystream.h"
#include "symbljson.h"
#include "symblvalues.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* Replies are a few hundred bytes; a proxy's error page may be more. Never
 * hold more than this of one in memory. */
#define MAX_REPLY_SIZE (256 * 1024)
/* Detected trackers list every match in the meeting: far more room. */
#define MAX_RESULT_SIZE (64 * 1024 * 1024)
/* Enough of a non-JSON error body to tell what answered. */
#define MAX_MESSAGE_CHARS 200
/* Once an upload's body is out, its whole reply must come within this
 * many times the (idle) timeout: a reply that trickles in never idles. */
#define UPLOAD_REPLY_DEADLINE_FACTOR 2

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
  guint timeout_s;
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

static gboolean
api_url_is_loopback (const gchar * api_url)
{
  g_autoptr (GUri) uri = g_uri_parse (api_url, G_URI_FLAGS_NONE, NULL);

  return uri && host_is_loopback (g_uri_get_host (uri));
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
 * is set: a direct connection. */
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
  client->timeout_s = options->timeout_s;
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
  /* A server on this machine is reached directly, whatever the proxy
   * settings: plain http:// is allowed only there, and a proxy would see
   * the token in clear. */
  if (!api_url_is_loopback (client->api_url))
    resolver = options->proxy ? g_simple_proxy_resolver_new (options->proxy,
        NULL) : proxy_from_environment ();
  /* Not GIO's system resolver: it loads libproxy, libstdc++ and GIO's
   * modules, 2.6 MB per process, for desktop proxy settings a recorder
   * does not need (docs/performance.md). */
  soup_session_set_proxy_resolver (client->session, resolver);
  /* What a process's first upload sets up, here at READY rather than
   * after the meeting: GIO's VFS (it scans GIO's modules, for the spool's
   * GFile) and DNS resolver, 0.7 ms together; and with a proxy, the
   * system resolver that GLib loads all the same, 2 to 3 ms. */
  g_vfs_get_default ();
  g_object_unref (g_resolver_get_default ());
  if (resolver)
    g_proxy_resolver_get_default ();
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
  response->body_sent = FALSE;
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
parse_retry_after (SoupMessageHeaders * headers)
{
  const gchar *value = soup_message_headers_get_one (headers, "Retry-After");
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

/* Reason phrases libsoup 3.2 lacks: it names them "Unknown Error", and
 * HTTP/2 carries none at all. */
static const struct
{
  guint status;
  const gchar *phrase;
} missing_reason_phrases[] = {
  {425, "Too Early"},
  {428, "Precondition Required"},
  {429, "Too Many Requests"},
  {431, "Request Header Fields Too Large"},
  {451, "Unavailable For Legal Reasons"},
  {506, "Variant Also Negotiates"},
  {508, "Loop Detected"},
  {510, "Not Extended"},
  {511, "Network Authentication Required"},
};

/* The standard reason phrase of @status, or the server's own. */
static const gchar *
reason_phrase (guint status, const gchar * server_phrase)
{
  const gchar *known = soup_status_get_phrase (status);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (missing_reason_phrases); i++)
    if (missing_reason_phrases[i].status == status)
      return missing_reason_phrases[i].phrase;
  if (!g_str_equal (known, "Unknown Error") || !server_phrase
      || !*server_phrase)
    return known;
  return server_phrase;
}

/* The error of a status other than 2xx, with the API's own message. */
static void
set_status_error (GError ** error, guint status, const gchar * server_phrase,
    const gchar * api_message)
{
  g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_HTTP_STATUS,
      "HTTP %u %s%s%s", status, reason_phrase (status, server_phrase),
      api_message ? ": " : "", api_message ? api_message : "");
}

static GBytes *
read_reply (GInputStream * stream, gsize max_size, GCancellable * cancellable,
    GError ** error)
{
  g_autoptr (GByteArray) reply = g_byte_array_new ();
  guint8 chunk[8192];

  while (reply->len < max_size) {
    gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable,
        error);
    if (n < 0)
      return NULL;
    if (n == 0)
      break;
    g_byte_array_append (reply, chunk, MIN ((gsize) n, max_size - reply->len));
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&reply));
}

static JsonNode *
parse_json (const gchar * data, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *marked = symbl_json_mark_nul_escapes (data, length);
  JsonNode *root;

  if (length == 0 || !symbl_json_depth_ok (data, length)
      || !json_parser_load_from_data (parser, marked ? marked : data, length,
          NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_copy (root) : NULL;
}

/* The API's own words: the "message" of a JSON error, or the start of
 * whatever else answered (a proxy's page, say). */
gchar *
symbl_client_reply_message (const gchar * data, gsize length)
{
  g_autoptr (JsonNode) root = parse_json (data, length);
  gchar *text;

  if (root && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *object = json_node_get_object (root);
    JsonNode *message = json_object_get_member (object, "message");
    /* An unpaired surrogate escape ("\ud800") decodes to bytes that are
     * not UTF-8: it goes into error texts, which must be UTF-8 */
    if (message && JSON_NODE_HOLDS_VALUE (message)
        && json_node_get_value_type (message) == G_TYPE_STRING)
      return g_utf8_make_valid (json_node_get_string (message), -1);
  }

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
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

/* The id @name of a reply, checked before it goes into a URL path: one
 * that would poll another job, or another path, is refused. */
static gboolean
take_id (JsonObject * object, const gchar * name, gchar ** id, GError ** error)
{
  g_autofree gchar *start = NULL;
  g_autofree gchar *shown = NULL;

  *id = id_member (object, name);
  if (!*id) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the reply lacks a %s", name);
    return FALSE;
  }
  if (symbl_values_is_id (*id, strlen (*id)))
    return TRUE;
  /* Escaped: it reaches error texts, which must be UTF-8 on one line. */
  start = g_strndup (*id, SYMBL_VALUES_MAX_ID_LENGTH / 2);
  shown = g_strescape (start, NULL);
  g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
      "the reply has an unusable %s \"%s\"%s: an id is 1 to %d visible "
      "ASCII characters, without '/', '?', '#', '%%' or '\\', and not a "
      "dot segment", name, shown,
      strlen (*id) > strlen (start) ? "..." : "", SYMBL_VALUES_MAX_ID_LENGTH);
  g_clear_pointer (id, g_free);
  return FALSE;
}

static JsonObject *
reply_object (const gchar * data, gsize length, GError ** error)
{
  g_autoptr (JsonNode) root = parse_json (data, length);

  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the reply is not a JSON object");
    return NULL;
  }
  return json_node_dup_object (root);
}

gboolean
symbl_client_parse_job_reply (const gchar * data, gsize length,
    SymblJobIds * ids, GError ** error)
{
  g_autoptr (JsonObject) object = reply_object (data, length, error);

  if (!object)
    return FALSE;
  if (!take_id (object, "conversationId", &ids->conversation_id, error)
      || !take_id (object, "jobId", &ids->job_id, error)) {
    symbl_job_ids_clear (ids);
    return FALSE;
  }
  return TRUE;
}

static gboolean
on_accept_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

/* An upload's connection, watched from a thread of its own. libsoup 3.2
 * reads nothing until it has written the whole body: an answer sent
 * while the body goes out (a 401 or 413 from a server that does not read
 * the body) would wait for the idle timeout, and a reply that trickles in
 * a byte at a time is never given up on. The watcher reads such an early
 * answer itself and stops the request; once the body is out, it gives the
 * reply a deadline. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GCancellable *request;        /* stops libsoup: the caller's cancel, an
                                 * early answer or the deadline */
  GCancellable *caller;
  gulong caller_handler;
  GCancellable *watching;       /* stops the watch for an early answer */
  GIOStream *connection;
  GThread *thread;
  gint64 reply_deadline_us;     /* from the end of the body; 0: none */
  guint64 body_written;         /* bytes of body libsoup wrote */
  gboolean body_sent;
  gboolean early_watch_over;
  gboolean finished;
  gboolean deadline_passed;
  GByteArray *early_answer;     /* what came before the body was out */
} UploadWatch;

static void
cancel_request (GCancellable * caller, GCancellable * request)
{
  g_cancellable_cancel (request);
}

static void
upload_watch_init (UploadWatch * watch, GCancellable * caller, guint timeout_s)
{
  g_mutex_init (&watch->lock);
  g_cond_init (&watch->cond);
  watch->request = g_cancellable_new ();
  watch->watching = g_cancellable_new ();
  watch->reply_deadline_us = (gint64) timeout_s *UPLOAD_REPLY_DEADLINE_FACTOR
      * G_USEC_PER_SEC;
  if (caller) {
    watch->caller = g_object_ref (caller);
    watch->caller_handler = g_cancellable_connect (caller,
        G_CALLBACK (cancel_request), watch->request, NULL);
  }
}

/* The end of the headers and the whole body that Content-Length gives,
 * or the most a reply may hold. */
static gboolean
early_answer_complete (GByteArray * answer)
{
  const gchar *data = (const gchar *) answer->data;
  const gchar *end;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  goffset body_length;

  if (answer->len >= MAX_REPLY_SIZE)
    return TRUE;
  if (answer->len == 0 || !(end = g_strstr_len (data, answer->len, "\r\n\r\n")))
    return FALSE;
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (!soup_headers_parse_response (data, end + 2 - data, headers, NULL,
          NULL, NULL))
    return TRUE;
  body_length = soup_message_headers_get_content_length (headers);
  return answer->len >= (gsize) (end + 4 - data) + body_length;
}

/* Reads an answer that arrives while the body is still going out, into
 * early_answer; nothing when the body went out first. An idle timeout on
 * a quiet connection is no answer. */
static void
read_early_answer (UploadWatch * watch)
{
  GInputStream *input = g_io_stream_get_input_stream (watch->connection);
  g_autoptr (GByteArray) answer = g_byte_array_new ();
  guint8 chunk[8192];

  while (!early_answer_complete (answer)) {
    g_autoptr (GError) error = NULL;
    gssize n = g_input_stream_read (input, chunk, sizeof chunk,
        answer->len ? NULL : watch->watching, &error);

    if (n < 0 && answer->len == 0 && g_error_matches (error, G_IO_ERROR,
            G_IO_ERROR_TIMED_OUT))
      continue;
    if (n <= 0)
      break;
    g_byte_array_append (answer, chunk, MIN ((gsize) n,
            MAX_REPLY_SIZE - answer->len));
  }
  if (answer->len > 0)
    watch->early_answer = g_steal_pointer (&answer);
}

static gpointer
watch_upload (gpointer data)
{
  UploadWatch *watch = data;
  gint64 deadline;

  read_early_answer (watch);
  g_mutex_lock (&watch->lock);
  watch->early_watch_over = TRUE;
  g_cond_broadcast (&watch->cond);
  if (watch->early_answer) {
    g_mutex_unlock (&watch->lock);
    g_cancellable_cancel (watch->request);
    return NULL;
  }
  while (!watch->finished && !watch->body_sent)
    g_cond_wait (&watch->cond, &watch->lock);
  deadline = g_get_monotonic_time () + watch->reply_deadline_us;
  while (!watch->finished && watch->reply_deadline_us
      && !watch->deadline_passed)
    watch->deadline_passed = !g_cond_wait_until (&watch->cond, &watch->lock,
        deadline);
  g_mutex_unlock (&watch->lock);
  if (watch->deadline_passed)
    g_cancellable_cancel (watch->request);
  return NULL;
}

/* HTTP/1.1 only: libsoup 3.2 has no public call for it, but it offers
 * "h2" in ALPN from a TLS connection that is ours to change before its
 * handshake. */
static void
on_network_event (SoupMessage * msg, GSocketClientEvent event,
    GIOStream * connection, UploadWatch * watch)
{
  static const gchar *const http1_only[] = { "http/1.1", NULL };

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING
      && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection),
        http1_only);
  if (event == G_SOCKET_CLIENT_COMPLETE && !watch->connection)
    watch->connection = g_object_ref (connection);
}

static void
on_wrote_headers (SoupMessage * msg, UploadWatch * watch)
{
  if (watch->connection && !watch->thread)
    watch->thread = g_thread_new ("symbl-upload-watch", watch_upload, watch);
}

static void
on_wrote_body_bytes (SoupMessage * msg, guint chunk_size, UploadWatch * watch)
{
  watch->body_written += chunk_size;
}

/* The body is out: the reply is libsoup's to read, once the watcher no
 * longer reads the connection (two readers would clash). */
static void
on_wrote_body (SoupMessage * msg, UploadWatch * watch)
{
  g_cancellable_cancel (watch->watching);
  g_mutex_lock (&watch->lock);
  watch->body_sent = TRUE;
  g_cond_broadcast (&watch->cond);
  while (watch->thread && !watch->early_watch_over)
    g_cond_wait (&watch->cond, &watch->lock);
  g_mutex_unlock (&watch->lock);
}

static void
upload_watch_finish (UploadWatch * watch)
{
  g_mutex_lock (&watch->lock);
  watch->finished = TRUE;
  g_cond_broadcast (&watch->cond);
  g_mutex_unlock (&watch->lock);
  g_cancellable_cancel (watch->watching);
  if (watch->thread)
    g_thread_join (watch->thread);
  if (watch->caller)
    g_cancellable_disconnect (watch->caller, watch->caller_handler);
  g_clear_object (&watch->caller);
  g_clear_object (&watch->request);
  g_clear_object (&watch->watching);
  g_clear_object (&watch->connection);
  g_mutex_clear (&watch->lock);
  g_cond_clear (&watch->cond);
}

/* The answer the watcher read before the body was out: its status,
 * Retry-After and message into @response, and for a 2xx its body. */
static GBytes *
take_early_answer (GByteArray * answer, gboolean body_complete,
    SymblResponse * response, GError ** error)
{
  const gchar *data = (const gchar *) answer->data;
  const gchar *end = g_strstr_len (data, answer->len, "\r\n\r\n");
  g_autoptr (SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree gchar *server_phrase = NULL;
  gsize body_offset, body_length;
  guint status;

  if (!end || !soup_headers_parse_response (data, end + 2 - data, headers,
          NULL, &status, &server_phrase)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "the server answered before the whole recording was sent, with "
        "something that is not an HTTP answer");
    return NULL;
  }
  body_offset = end + 4 - data;
  body_length = answer->len - body_offset;
  response->status = status;
  response->retry_after_s = parse_retry_after (headers);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_bytes_new (data + body_offset, body_length);
  response->api_message = symbl_client_reply_message (data + body_offset,
      body_length);
  set_status_error (error, status, server_phrase, response->api_message);
  /* Otherwise an answer that merely beat libsoup's own "wrote-body" */
  if (!body_complete)
    g_prefix_error (error, "answered before the whole recording was sent: ");
  return NULL;
}

/* A request to the API: no redirects (an upload's body cannot be sent
 * twice), JSON replies, and the token when there is one. */
static SoupMessage *
new_message (SymblClient * client, const gchar * method, const gchar * url,
    const gchar * token)
{
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token) {
    g_autofree gchar *authorization = g_strconcat ("Bearer ", token, NULL);
    soup_message_headers_replace (headers, "Authorization", authorization);
  }
  if (!client->ssl_strict)
    g_signal_connect (msg, "accept-certificate",
        G_CALLBACK (on_accept_certificate), NULL);
  return msg;
}

/* Sends @msg and reads at most @max_reply bytes of its reply into @response
 * (status, Retry-After) and the result. A status other than 2xx is an
 * error carrying the API's own message. */
/* GIO says "Unacceptable TLS certificate"; the user needs to know why,
 * and what to do about the commonest reason. */
static void
explain_certificate (GTlsCertificateFlags flags, GError ** error)
{
  const gchar *why;
  gchar *text;

  if (!error || !*error || !g_error_matches (*error, G_TLS_ERROR,
          G_TLS_ERROR_BAD_CERTIFICATE) || !flags)
    return;
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    why = "it was issued by an authority this machine does not trust (for "
        "a server of your own, give its CA in ssl-ca-file)";
  else if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    why = "it is for another host name than api-url's";
  else if (flags & (G_TLS_CERTIFICATE_EXPIRED |
          G_TLS_CERTIFICATE_NOT_ACTIVATED))
    why = "it has expired, or is not valid yet (is this machine's clock "
        "right?)";
  else if (flags & G_TLS_CERTIFICATE_REVOKED)
    why = "it was revoked";
  else
    why = "it is unusable";
  text = g_strdup_printf ("%s: the server's certificate was refused: %s",
      (*error)->message, why);
  g_free ((*error)->message);
  (*error)->message = text;
}

static void
explain_tls_error (SoupMessage * msg, GError ** error)
{
  explain_certificate (soup_message_get_tls_peer_certificate_errors (msg),
      error);
}

static GBytes *
send_message (SymblClient * client, SoupMessage * msg, gsize max_reply,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  g_autoptr (GInputStream) reply_stream = NULL;
  g_autoptr (GBytes) reply = NULL;
  const gchar *data;
  gsize length;
  guint status;

  symbl_response_clear (response);
  reply_stream = soup_session_send (client->session, msg, cancellable, error);
  if (!reply_stream) {
    explain_tls_error (msg, error);
    return NULL;
  }
  /* Known from the status line, even if the body then breaks off. */
  status = soup_message_get_status (msg);
  response->status = status;
  response->retry_after_s =
      parse_retry_after (soup_message_get_response_headers (msg));
  reply = read_reply (reply_stream, max_reply, cancellable, error);
  if (!reply)
    return NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_steal_pointer (&reply);

  data = g_bytes_get_data (reply, &length);
  response->api_message = symbl_client_reply_message (data, length);
  set_status_error (error, status, soup_message_get_reason_phrase (msg),
      response->api_message);
  return NULL;
}

/* What the watcher saw replaces what libsoup made of the stopped
 * request; the caller's own cancel stays a cancel. */
static GBytes *
upload_watch_outcome (UploadWatch * watch, GBytes * reply, guint timeout_s,
    guint64 body_size, SymblResponse * response, GCancellable * caller,
    GError ** error)
{
  if (g_cancellable_is_cancelled (caller)
      || !(watch->early_answer || watch->deadline_passed))
    return reply;
  g_clear_pointer (&reply, g_bytes_unref);
  g_clear_error (error);
  symbl_response_clear (response);
  if (watch->early_answer)
    return take_early_answer (watch->early_answer,
        watch->body_written >= body_size, response, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
      "no complete reply within %u s of sending the whole recording "
      "(twice the timeout)", timeout_s * UPLOAD_REPLY_DEADLINE_FACTOR);
  return NULL;
}

gboolean
symbl_client_submit (SymblClient * client, const SymblSubmission * submission,
    SymblProgressFunc progress_func, gpointer progress_data, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  g_autoptr (GFile) file = g_file_new_for_path (submission->file);
  g_autoptr (GFileInputStream) file_stream = NULL;
  g_autoptr (GInputStream) body = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autofree gchar *endpoint = symbl_client_describe (client, submission);
  g_autofree gchar *url = NULL;
  UploadWatch watch = { 0, };
  const gchar *data;
  gsize length;

  symbl_response_clear (response);
  file_stream = g_file_read (file, cancellable, error);
  if (!file_stream)
    return FALSE;
  /* Progress as libsoup takes the body: the last bytes are told of before
   * they are written (symblbodystream.h). */
  body = symbl_body_stream_new (G_INPUT_STREAM (file_stream),
      submission->size, progress_func, progress_data);

  if (submission->query && *submission->query)
    url = g_strconcat (endpoint, "?", submission->query, NULL);
  else
    url = g_strdup (endpoint);
  msg = new_message (client, submission->conversation_id ? "PUT" : "POST",
      url, submission->token);
  /* No "Expect: 100-continue": libsoup 3.2 waits for the 100 with no
   * fallback, so a front end that ignores the header would stall every
   * attempt until the timeout. An early refusal is read by the watcher.
   * A connection of its own, so that the watcher sees it, over HTTP/1.1
   * (docs/reliability.md). */
  soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  /* An empty Content-Type means none (a manifest may hold one): never
   * send the header empty. */
  soup_message_set_request_body (msg, submission->content_type
      && *submission->content_type ? submission->content_type : NULL,
      body, submission->size);
  upload_watch_init (&watch, cancellable, client->timeout_s);
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event),
      &watch);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers),
      &watch);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_bytes),
      &watch);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), &watch);

  reply = send_message (client, msg, MAX_REPLY_SIZE, response, watch.request,
      error);
  upload_watch_finish (&watch);
  reply = upload_watch_outcome (&watch, reply, client->timeout_s,
      submission->size, response, cancellable, error);
  response->body_sent = watch.body_sent || (submission->size > 0
      && watch.body_written >= submission->size);
  g_clear_pointer (&watch.early_answer, g_byte_array_unref);
  if (!reply)
    return FALSE;
  data = g_bytes_get_data (reply, &length);
  return symbl_client_parse_job_reply (data, length, ids, error);
}

gboolean
symbl_client_parse_token_reply (const gchar * data, gsize length,
    gchar ** token, gint64 * expires_in_s, GError ** error)
{
  g_autoptr (JsonObject) object = reply_object (data, length, error);
  JsonNode *access_token, *expires_in;

  if (!object)
    return FALSE;
  access_token = json_object_get_member (object, "accessToken");
  expires_in = json_object_get_member (object, "expiresIn");
  if (!access_token || !JSON_NODE_HOLDS_VALUE (access_token)
      || json_node_get_value_type (access_token) != G_TYPE_STRING
      || !symbl_values_is_token (json_node_get_string (access_token),
          strlen (json_node_get_string (access_token)))
      || !expires_in || !JSON_NODE_HOLDS_VALUE (expires_in)
      || json_node_get_value_type (expires_in) != G_TYPE_INT64) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the token reply lacks an accessToken or an expiresIn");
    return FALSE;
  }
  *token = g_strdup (json_node_get_string (access_token));
  *expires_in_s = json_node_get_int (expires_in);
  return TRUE;
}

gboolean
symbl_client_generate_token (SymblClient * client, const gchar * app_id,
    const gchar * app_secret, gchar ** token, gint64 * expires_in_s,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  g_autofree gchar *url = g_strconcat (client->api_url,
      "/oauth2/token:generate", NULL);
  g_autoptr (SoupMessage) msg = new_message (client, "POST", url, NULL);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) credentials = NULL;
  g_autoptr (GBytes) reply = NULL;
  const gchar *data;
  gsize length;
  gchar *body;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "application");
  json_builder_set_member_name (builder, "appId");
  json_builder_add_string_value (builder, app_id);
  json_builder_set_member_name (builder, "appSecret");
  json_builder_add_string_value (builder, app_secret);
  json_builder_end_object (builder);
  credentials = json_builder_get_root (builder);
  body = json_to_string (credentials, FALSE);
  {
    g_autoptr (GBytes) bytes = g_bytes_new_take (body, strlen (body));
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  }

  reply = send_message (client, msg, MAX_REPLY_SIZE, response, cancellable,
      error);
  if (!reply)
    return FALSE;
  data = g_bytes_get_data (reply, &length);
  return symbl_client_parse_token_reply (data, length, token, expires_in_s,
      error);
}

/* GET {api}@path: the reply, checked to be JSON of @type. */
static GBytes *
get_json (SymblClient * client, const gchar * token, const gchar * path,
    JsonNodeType type, gsize max_reply, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  g_autofree gchar *url = g_strconcat (client->api_url, path, NULL);
  g_autoptr (SoupMessage) msg = new_message (client, "GET", url, token);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonNode) root = NULL;
  const gchar *data;
  gsize length;

  reply = send_message (client, msg, max_reply, response, cancellable, error);
  if (!reply)
    return NULL;
  data = g_bytes_get_data (reply, &length);
  root = parse_json (data, length);
  if (!root || JSON_NODE_TYPE (root) != type) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the reply to GET %s is not a JSON %s", path,
        type == JSON_NODE_ARRAY ? "array" : "object");
    return NULL;
  }
  return g_steal_pointer (&reply);
}

gboolean
symbl_client_parse_job_status_reply (const gchar * data, gsize length,
    gchar ** status, GError ** error)
{
  g_autoptr (JsonObject) object = reply_object (data, length, error);
  JsonNode *node;

  if (!object)
    return FALSE;
  node = json_object_get_member (object, "status");
  /* It reaches the bus and error texts: UTF-8 only */
  if (!node || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL)) {
    g_set_error (error, SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY,
        "the job reply lacks a status");
    return FALSE;
  }
  *status = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
symbl_client_get_job_status (SymblClient * client, const gchar * token,
    const gchar * job_id, gchar ** status, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  g_autofree gchar *escaped = g_uri_escape_string (job_id, NULL, FALSE);
  g_autofree gchar *path = g_strconcat ("/v1/job/", escaped, NULL);
  g_autoptr (GBytes) reply = get_json (client, token, path, JSON_NODE_OBJECT,
      MAX_REPLY_SIZE, response, cancellable, error);
  const gchar *data;
  gsize length;

  if (!reply)
    return FALSE;
  data = g_bytes_get_data (reply, &length);
  return symbl_client_parse_job_status_reply (data, length, status, error);
}

gboolean
symbl_client_get_trackers_detected (SymblClient * client, const gchar * token,
    const gchar * conversation_id, gchar ** trackers,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  g_autofree gchar *escaped = g_uri_escape_string (conversation_id, NULL,
      FALSE);
  g_autofree gchar *path = g_strconcat ("/v1/conversations/", escaped,
      "/trackers-detected", NULL);
  g_autoptr (GBytes) reply = get_json (client, token, path, JSON_NODE_ARRAY,
      MAX_RESULT_SIZE, response, cancellable, error);
  gsize length;
  const gchar *data;

  if (!reply)
    return FALSE;
  /* As the API returned it. */
  data = g_bytes_get_data (reply, &length);
  *trackers = g_strstrip (g_strndup (data, length));
  return TRUE;
}

/* Hands the connection's TLS check what the session's would have. */
static void
on_probe_event (GSocketClient * socket_client, GSocketClientEvent event,
    GSocketConnectable * connectable, GIOStream * connection,
    gpointer user_data)
{
  SymblClient *client = user_data;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING
      || !G_IS_TLS_CLIENT_CONNECTION (connection))
    return;
  if (soup_session_get_tls_database (client->session))
    g_tls_connection_set_database (G_TLS_CONNECTION (connection),
        soup_session_get_tls_database (client->session));
  g_object_set_data_full (G_OBJECT (socket_client), "symbl-tls",
      g_object_ref (connection), g_object_unref);
}

gboolean
symbl_client_probe (SymblClient * client, GCancellable * cancellable,
    GError ** error)
{
  g_autoptr (GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr (GUri) uri = g_uri_parse (client->api_url, G_URI_FLAGS_NONE, NULL);
  gboolean https = g_str_equal (g_uri_get_scheme (uri), "https");
  GProxyResolver *proxies = soup_session_get_proxy_resolver (client->session);
  g_autoptr (GSocketConnection) connection = NULL;
  GTlsConnection *tls;

  g_socket_client_set_timeout (socket_client, client->timeout_s);
  g_socket_client_set_enable_proxy (socket_client, proxies != NULL);
  if (proxies)
    g_socket_client_set_proxy_resolver (socket_client, proxies);
  if (https) {
    g_socket_client_set_tls (socket_client, TRUE);
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
        g_socket_client_set_tls_validation_flags (socket_client,
        client->ssl_strict ? G_TLS_CERTIFICATE_VALIDATE_ALL : 0);
  G_GNUC_END_IGNORE_DEPRECATIONS}
  g_signal_connect (socket_client, "event", G_CALLBACK (on_probe_event),
      client);
  connection = g_socket_client_connect_to_uri (socket_client,
      client->api_url, https ? 443 : 80, cancellable, error);
  if (connection) {
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    return TRUE;
  }
  tls = g_object_get_data (G_OBJECT (socket_client), "symbl-tls");
  if (tls)
    explain_certificate (g_tls_connection_get_peer_certificate_errors (tls),
        error);
  return FALSE;
}
