/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Self-test of symbl-local-server: a libsoup client talks to the real
 * server over loopback, the way the plugin and its tests do. */
#include "symbllocalserver.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define TOKEN SYMBL_LOCAL_SERVER_DEFAULT_TOKEN
#define WAIT_MS 10000
#define TRACKERS_JSON "[{\"name\":\"COVID-19\",\"vocabulary\":" \
  "[\"social distancing\",\"vaccination\"]},{\"id\":\"5123033831841280\"}]"

typedef struct
{
  SymblLocalServer *server;
  SoupSession *session;
} Fixture;

typedef struct
{
  const gchar *method;
  const gchar *path;            /* path and query, encoded */
  const gchar *token;           /* sent as Bearer; NULL: no Authorization */
  const gchar *api_key;         /* sent as x-api-key */
  const gchar *content_type;
  GBytes *body;
  GInputStream *stream;         /* streamed body instead of @body */
  gssize stream_length;         /* -1: chunked */
  gboolean expect_continue;
} Request;

typedef struct
{
  guint status;
  gchar *body;
  gchar *retry_after;
  gchar *connection;
  GError *error;
} Reply;

/* Test data */

static void
put_le16 (guint8 * at, guint16 value)
{
  at[0] = value & 0xff;
  at[1] = value >> 8;
}

static void
put_le32 (guint8 * at, guint32 value)
{
  put_le16 (at, value & 0xffff);
  put_le16 (at + 2, value >> 16);
}

/* A canonical 44-byte header of 16 kHz mono 16-bit PCM */
static void
write_wav_header (guint8 * header, guint32 data_size)
{
  memcpy (header, "RIFF", 4);
  put_le32 (header + 4, 36 + data_size);
  memcpy (header + 8, "WAVEfmt ", 8);
  put_le32 (header + 16, 16);
  put_le16 (header + 20, 1);
  put_le16 (header + 22, 1);
  put_le32 (header + 24, 16000);
  put_le32 (header + 28, 32000);
  put_le16 (header + 32, 2);
  put_le16 (header + 34, 16);
  memcpy (header + 36, "data", 4);
  put_le32 (header + 40, data_size);
}

static GBytes *
make_wav (guint n_samples)
{
  gsize size = 44 + (gsize) n_samples * 2;
  guint8 *wav = g_malloc (size);
  guint i;

  write_wav_header (wav, n_samples * 2);
  for (i = 0; i < n_samples; i++)
    put_le16 (wav + 44 + 2 * i, (guint16) ((i * 37) % 2000 - 1000));
  return g_bytes_new_take (wav, size);
}

static GBytes *
make_mp4 (void)
{
  static const guint8 ftyp[] = {
    0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
    'i', 's', 'o', 'm', 'm', 'p', '4', '1'
  };
  guint8 *mp4 = g_malloc0 (4096);

  memcpy (mp4, ftyp, sizeof (ftyp));
  return g_bytes_new_take (mp4, 4096);
}

/* A WAV file of any size, made up as it is read: nothing in memory */
#define TEST_TYPE_WAV_STREAM (test_wav_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestWavStream, test_wav_stream, TEST, WAV_STREAM,
    GInputStream);

struct _TestWavStream
{
  GInputStream parent;
  guint64 size;
  guint64 position;
  guint8 header[44];
};

G_DEFINE_TYPE (TestWavStream, test_wav_stream, G_TYPE_INPUT_STREAM);

static guint8
wav_stream_byte (guint64 position)
{
  return (guint8) ((position % 251) ^ (position >> 16));
}

static gssize
test_wav_stream_read (GInputStream * stream, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  TestWavStream *self = TEST_WAV_STREAM (stream);
  guint8 *out = buffer;
  gsize n = MIN (count, self->size - self->position);
  gsize i;

  for (i = 0; i < n; i++, self->position++)
    out[i] = self->position < 44 ? self->header[self->position] :
        wav_stream_byte (self->position);
  return n;
}

static void
test_wav_stream_class_init (TestWavStreamClass * klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_wav_stream_read;
}

static void
test_wav_stream_init (TestWavStream * self)
{
}

static GInputStream *
test_wav_stream_new (guint64 size)
{
  TestWavStream *self = g_object_new (TEST_TYPE_WAV_STREAM, NULL);

  self->size = size;
  write_wav_header (self->header, (guint32) MIN (size - 44, G_MAXUINT32));
  return G_INPUT_STREAM (self);
}

/* Client */

static SoupSession *
new_session (void)
{
  g_autoptr (GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL,
      NULL);

  return soup_session_new_with_options ("proxy-resolver", no_proxy,
      "max-conns", 100, "max-conns-per-host", 100, "timeout", 60, NULL);
}

static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static gboolean
is_empty (const gchar * text)
{
  return text && strspn (text, " ") == strlen (text);
}

static SoupMessage *
build_message (const gchar * base_url, const Request * request)
{
  g_autofree gchar *url = g_strconcat (base_url, request->path, NULL);
  SoupMessage *msg = soup_message_new (request->method, url);
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (request->token) {
    g_autofree gchar *authorization = g_strconcat ("Bearer ", request->token,
        NULL);

    soup_message_headers_replace (headers, "Authorization", authorization);
  }
  if (request->api_key)
    soup_message_headers_replace (headers, "x-api-key", request->api_key);
  if (request->body)
    soup_message_set_request_body_from_bytes (msg,
        is_empty (request->content_type) ? NULL : request->content_type,
        request->body);
  /* Symbl's Python SDK sends the header with an empty value */
  if (request->content_type && is_empty (request->content_type))
    soup_message_headers_replace (headers, "Content-Type",
        request->content_type);
  if (request->stream) {
    soup_message_set_request_body (msg, request->content_type,
        request->stream, request->stream_length);
    if (request->stream_length < 0)
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  }
  if (request->expect_continue)
    soup_message_headers_set_expectations (headers, SOUP_EXPECTATION_CONTINUE);
  g_signal_connect (msg, "accept-certificate",
      G_CALLBACK (accept_any_certificate), NULL);
  return msg;
}

static void
read_reply (SoupMessage * msg, GBytes * body, GError * error, Reply * reply)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  reply->error = error;
  reply->status = soup_message_get_status (msg);
  reply->body = body ? g_strndup (g_bytes_get_data (body, NULL),
      g_bytes_get_size (body)) : NULL;
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers,
          "Retry-After"));
  reply->connection = g_strdup (soup_message_headers_get_one (headers,
          "Connection"));
}

static void
send_with (SoupSession * session, const gchar * base_url,
    const Request * request, Reply * reply)
{
  g_autoptr (SoupMessage) msg = build_message (base_url, request);
  g_autoptr (GBytes) body = NULL;
  GError *error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  read_reply (msg, body, error, reply);
}

static void
send_request (Fixture * f, const Request * request, Reply * reply)
{
  send_with (f->session, symbl_local_server_get_url (f->server), request,
      reply);
}

static void
reply_clear (Reply * reply)
{
  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply->connection);
  g_clear_error (&reply->error);
  memset (reply, 0, sizeof (*reply));
}

/* The status of a request whose reply does not matter otherwise */
static guint
send_for_status (Fixture * f, const Request * request)
{
  Reply reply = { 0, };
  guint status;

  send_request (f, request, &reply);
  g_assert_no_error (reply.error);
  status = reply.status;
  reply_clear (&reply);
  return status;
}

static JsonNode *
parse_json (const gchar * text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static gchar *
json_string (const gchar * text, const gchar * member)
{
  g_autoptr (JsonNode) root = parse_json (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return g_strdup (json_object_get_string_member (json_node_get_object (root),
          member));
}

/* Checks an error reply: JSON {"message": ...} containing @part */
static void
assert_error_reply (const Reply * reply, guint status, const gchar * part)
{
  g_autofree gchar *message = NULL;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  message = json_string (reply->body, "message");
  g_assert_nonnull (message);
  if (part && !strstr (message, part))
    g_error ("\"%s\" is not in the message \"%s\"", part, message);
}

static gchar *
with_query (const gchar * path, const gchar * name, const gchar * value)
{
  g_autofree gchar *escaped = g_uri_escape_string (value, NULL, FALSE);

  return g_strdup_printf ("%s%c%s=%s", path, strchr (path, '?') ? '&' : '?',
      name, escaped);
}

/* Uploads a small WAV with the default token; returns the reply body */
static gchar *
upload_wav (Fixture * f, const gchar * path)
{
  g_autoptr (GBytes) wav = make_wav (1600);
  Reply reply = { 0, };
  gchar *body;

  /* A path that names a conversation appends to it */
  send_request (f, &(Request) {
      .method = g_str_has_prefix (path, "/v1/process/audio/") ? "PUT" :
        "POST",.path = path,.token = TOKEN,.content_type = "audio/wav",.body =
        wav}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 201);
  body = g_steal_pointer (&reply.body);
  reply_clear (&reply);
  return body;
}

static SymblRecordedRequest *
get_request (Fixture * f, guint index)
{
  g_autoptr (GPtrArray) requests = NULL;

  g_assert_true (symbl_local_server_wait_requests (f->server, index + 1,
          WAIT_MS));
  requests = symbl_local_server_get_requests (f->server);
  return g_ptr_array_steal_index (requests, index);
}

static gboolean
is_conversation_id (const gchar * id)
{
  guint i;

  for (i = 0; id && g_ascii_isdigit (id[i]); i++);
  return id && i == 16 && !id[i];
}

static guint64
file_size (const gchar * path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_size;
}

/* Fixture */

static const SymblLocalServerOptions default_options = {
  .job_step_ms = 50,
  .quiet = TRUE,
};

static void
fixture_set_up (Fixture * f, gconstpointer data)
{
  const SymblLocalServerOptions *options = data ? data : &default_options;
  g_autoptr (GError) error = NULL;

  f->server = symbl_local_server_start (options, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (symbl_local_server_get_url (f->server),
          options->tls_cert_file ? "https://127.0.0.1:" : "http://127.0.0.1:"));
  f->session = new_session ();
}

static void
fixture_tear_down (Fixture * f, gconstpointer data)
{
  g_clear_object (&f->session);
  symbl_local_server_stop (f->server);
}

/* Uploads */

static void
test_upload_audio (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (16000);
  g_autofree gchar *path = with_query ("/v1/process/audio?name=Meeting&"
      "languageCode=en-US&futureParam=1", "trackers", TRACKERS_JSON);
  g_autofree gchar *conversation_id = NULL;
  g_autofree gchar *job_id = NULL;
  g_autofree gchar *stored = NULL;
  g_autofree gchar *basename = NULL;
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };
  gsize stored_length;
  GStatBuf buf;

  send_request (f, &(Request) {
      .method = "POST",.path = path,.token = TOKEN,.content_type =
        "audio/wav",.body = wav}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 201);
  conversation_id = json_string (reply.body, "conversationId");
  job_id = json_string (reply.body, "jobId");
  g_assert_true (is_conversation_id (conversation_id));
  g_assert_true (g_uuid_string_is_valid (job_id));

  recorded = get_request (f, 0);
  g_assert_cmpstr (recorded->method, ==, "POST");
  g_assert_cmpstr (recorded->path, ==, "/v1/process/audio");
  g_assert_cmpstr (recorded->query, ==, strchr (path, '?') + 1);
  g_assert_cmpstr (g_hash_table_lookup (recorded->params, "trackers"), ==,
      TRACKERS_JSON);
  g_assert_cmpstr (g_hash_table_lookup (recorded->params, "futureParam"), ==,
      "1");
  g_assert_cmpstr (g_hash_table_lookup (recorded->headers, "authorization"),
      ==, "Bearer " TOKEN);
  g_assert_cmpstr (g_hash_table_lookup (recorded->headers, "content-type"),
      ==, "audio/wav");
  g_assert_cmpuint (recorded->status, ==, 201);
  g_assert_cmpstr (recorded->reply, ==, reply.body);
  g_assert_cmpuint (recorded->body_length, ==, g_bytes_get_size (wav));

  /* Byte for byte what was sent, in a private file */
  basename = g_path_get_basename (recorded->body_path);
  g_assert_cmpstr (basename, ==, "1-POST-audio.body");
  g_assert_true (g_str_has_prefix (recorded->body_path,
          symbl_local_server_get_store_dir (f->server)));
  g_assert_true (g_file_get_contents (recorded->body_path, &stored,
          &stored_length, NULL));
  g_assert_cmpmem (stored, stored_length, g_bytes_get_data (wav, NULL),
      g_bytes_get_size (wav));
  g_assert_cmpint (g_stat (recorded->body_path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  symbl_recorded_request_free (recorded);
  reply_clear (&reply);
}

static void
test_upload_append (Fixture * f, gconstpointer data)
{
  g_autofree gchar *first = upload_wav (f, "/v1/process/audio");
  g_autofree gchar *conversation_id = json_string (first, "conversationId");
  g_autofree gchar *first_job = json_string (first, "jobId");
  g_autofree gchar *put_audio = g_strconcat ("/v1/process/audio/",
      conversation_id, NULL);
  g_autofree gchar *put_video = g_strconcat ("/v1/process/video/",
      conversation_id, NULL);
  g_autofree gchar *second = upload_wav (f, put_audio);
  g_autofree gchar *second_conversation = json_string (second,
      "conversationId");
  g_autofree gchar *second_job = json_string (second, "jobId");
  g_autoptr (GBytes) mp4 = make_mp4 ();
  g_autoptr (GBytes) wav = make_wav (100);
  Reply reply = { 0, };

  g_assert_cmpstr (second_conversation, ==, conversation_id);
  g_assert_cmpstr (second_job, !=, first_job);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "PUT",.path = put_video,.token =
            TOKEN,.content_type = "video/mp4",.body = mp4}), ==, 201);

  send_request (f, &(Request) {
      .method = "PUT",.path = "/v1/process/audio/1234567890123456",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 404, "1234567890123456");
  reply_clear (&reply);
}

/* A request is on record by the time its client has the answer, refused
 * early, answered late or cut off alike: no waiting needed */
static void
test_recorded_before_answer (Fixture * f, gconstpointer data)
{
  static const gchar *const faults[] = { NULL, "stall=20", "drop=100" };
  g_autoptr (GBytes) wav = make_wav (1000);
  guint i;

  for (i = 0; i < 30; i++) {
    const gchar *fault = faults[i % G_N_ELEMENTS (faults)];
    g_autoptr (GPtrArray) requests = NULL;
    Reply reply = { 0, };

    if (fault)
      g_assert_true (symbl_local_server_add_fault_text (f->server, fault,
              NULL));
    send_request (f, &(Request) {
        .method = "POST",.path = "/v1/process/audio",.token =
          i % 2 ? TOKEN : NULL,.content_type = "audio/wav",.body = wav}
        , &reply);
    reply_clear (&reply);
    requests = symbl_local_server_get_requests (f->server);
    g_assert_cmpuint (requests->len, ==, i + 1);
  }
}

/* Validation */

static void
test_auth (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (100);
  Reply reply = { 0, };

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.content_type =
        "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 401, NULL);
  g_assert_cmpstr (reply.body, ==,
      "{\"message\":\"Token validation failed for provided token.\"}");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        "wrong",.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 401, "Token validation failed");
  reply_clear (&reply);

  /* The deprecated header still works */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.api_key =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/job/x"}), ==, 401);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/conversations/1/trackers-detected"}),
      ==, 401);
}

static void
test_content_length (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (1000);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (wav);
  Reply reply = { 0, };

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.stream = stream,.stream_length =
        -1}, &reply);
  assert_error_reply (&reply, 411, "Content-Length");
  reply_clear (&reply);
}

static void
test_content_type (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) mp4 = make_mp4 ();
  g_autoptr (GBytes) junk = g_bytes_new_static ("not a media file", 16);
  Reply reply = { 0, };

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/ogg",.body = wav}, &reply);
  assert_error_reply (&reply, 415,
      "audio/wav, audio/mpeg, audio/mp3, audio/wave");
  reply_clear (&reply);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "Audio/WAV; codecs=1",.body = wav}), ==, 201);
  /* Audio without Content-Type: the format is detected */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.body = wav}), ==, 201);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/video",.token =
        TOKEN,.body = mp4}, &reply);
  assert_error_reply (&reply, 415, "video/mp4");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/video",.token =
        TOKEN,.content_type = "video/webm",.body = mp4}, &reply);
  assert_error_reply (&reply, 415, "video/mp4");
  reply_clear (&reply);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/video",.token =
            TOKEN,.content_type = "video/mp4",.body = mp4}), ==, 201);

  /* The body must look like what the endpoint takes */
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/video",.token =
        TOKEN,.content_type = "video/mp4",.body = wav}, &reply);
  assert_error_reply (&reply, 400, "Unsupported media format");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = junk}, &reply);
  assert_error_reply (&reply, 400, "Unsupported media format");
  reply_clear (&reply);
}

/* The requests of Symbl's Python SDK (symbl 2.0.6 on its generated REST
 * client), shaped as it shapes them: the token in x-api-key, an empty
 * Content-Type for audio, customVocabulary as repeated keys ("multi"),
 * and channelMetadata without per-channel recognition (its own example). */
static void
test_python_sdk_requests (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (1600);
  g_autoptr (GBytes) mp4 = make_mp4 ();
  g_autofree gchar *channel_metadata = with_query ("/v1/process/audio?"
      "name=Business%20Meeting", "channelMetadata",
      "[{\"channel\":1,\"speaker\":{\"name\":\"Robert Bartheon\","
      "\"email\":\"robertbartheon@example.com\"}},{\"channel\":2,"
      "\"speaker\":{\"email\":\"jonsnow@example.com\"}}]");
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.api_key =
            TOKEN,.content_type = "",.body = wav}), ==, 201);
  recorded = get_request (f, 0);
  g_assert_cmpstr (g_hash_table_lookup (recorded->headers, "content-type"),
      ==, "");
  symbl_recorded_request_free (recorded);
  /* Empty is absent: video still needs video/mp4 */
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/video",.api_key =
        TOKEN,.content_type = "",.body = mp4}, &reply);
  assert_error_reply (&reply, 415, "Content-Type is required for video");
  reply_clear (&reply);

  /* Repeated keys, and one key with one phrase; the JSON text still works */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio?customVocabulary="
            "Symbl&customVocabulary=GStreamer%20plugin&customVocabulary="
            "%5Bbracketed%5D",.api_key = TOKEN,.content_type = "",.body =
            wav}), ==, 201);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio?customVocabulary="
            "Symbl",.api_key = TOKEN,.content_type = "",.body = wav}), ==, 201);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio?customVocabulary="
            "%5B%22Symbl%22%5D",.api_key = TOKEN,.body = wav}), ==, 201);

  /* Taken and ignored, with a note in the log */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = channel_metadata,.api_key =
            TOKEN,.content_type = "",.body = wav}), ==, 201);
  recorded = get_request (f, 5);
  g_assert_cmpstr (recorded->notes, ==, "  note: channelMetadata ignored: "
      "enableSeparateRecognitionPerChannel is not true");
  symbl_recorded_request_free (recorded);

  /* A tag off the 2022 list, in any case, is noted and taken */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path =
            "/v1/process/audio?languageCode=sw-ke",.api_key =
            TOKEN,.content_type = "",.body = wav}), ==, 201);
  recorded = get_request (f, 6);
  g_assert_nonnull (strstr (recorded->notes, "languageCode \"sw-ke\" is "
          "not on the documented list"));
  symbl_recorded_request_free (recorded);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path =
            "/v1/process/audio?languageCode=EN-us",.api_key =
            TOKEN,.content_type = "",.body = wav}), ==, 201);
  recorded = get_request (f, 7);
  g_assert_null (recorded->notes);
  symbl_recorded_request_free (recorded);
}

static JsonNode *get_trackers (Fixture * f, const gchar * conversation_id,
    const gchar * name);

/* GET @path as Symbl's Python SDK does (the token in x-api-key): checks
 * the status and returns the JSON reply */
static JsonNode *
sdk_get (Fixture * f, const gchar * path, guint status)
{
  Reply reply = { 0, };
  JsonNode *root;

  send_request (f, &(Request) {
      .method = "GET",.path = path,.api_key = TOKEN}, &reply);
  g_assert_no_error (reply.error);
  if (reply.status != status)
    g_error ("GET %s: %u, not %u: %s", path, reply.status, status, reply.body);
  root = parse_json (reply.body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  reply_clear (&reply);
  return root;
}

/* GET /v1/conversations/{@id}/@part, and the array named @list in it */
static JsonNode *
sdk_get_list (Fixture * f, const gchar * id, const gchar * part,
    const gchar * list, JsonArray ** array)
{
  g_autofree gchar *path = g_strdup_printf ("/v1/conversations/%s/%s", id,
      part);
  JsonNode *root = sdk_get (f, path, 200);
  JsonObject *object = json_node_get_object (root);

  g_assert_true (json_object_has_member (object, list));
  *array = json_object_get_array_member (object, list);
  g_assert_nonnull (*array);
  return root;
}

static void
assert_iso_time (JsonObject * object, const gchar * member)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_iso8601
      (json_object_get_string_member (object, member), NULL);

  g_assert_nonnull (time);
}

/* An insight of @type about one of the messages (@message_ids) */
static void
assert_insight (JsonArray * insights, const gchar * type,
    GHashTable * message_ids)
{
  JsonObject *insight;
  JsonArray *refs;

  g_assert_cmpuint (json_array_get_length (insights), ==, 1);
  insight = json_array_get_object_element (insights, 0);
  g_assert_true (is_conversation_id (json_object_get_string_member (insight,
              "id")));
  g_assert_cmpstr (json_object_get_string_member (insight, "type"), ==, type);
  g_assert_nonnull (strstr (json_object_get_string_member (insight, "text"),
          "social distancing"));
  g_assert_cmpfloat (json_object_get_double_member (insight, "score"), >, 0);
  refs = json_object_get_array_member (insight, "messageIds");
  g_assert_cmpuint (json_array_get_length (refs), ==, 1);
  g_assert_true (g_hash_table_contains (message_ids,
          json_array_get_string_element (refs, 0)));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member
          (insight, "from"), "name"), ==, "Robert Bartheon");
}

/* The Conversation API, as Symbl's Python SDK calls it after an upload:
 * each endpoint in Symbl's documented shape, made of the trackers'
 * phrases (the same message ids as trackers-detected), 401 without a
 * token, 404 for an unknown conversation, 501 naming what is left out. */
static void
test_python_sdk_conversation_api (Fixture * f, gconstpointer data)
{
  static const gchar *const parts[] = {
    "", "/messages", "/topics", "/questions", "/action-items", "/follow-ups",
    "/members", "/entities", "/analytics",
  };
  g_autoptr (GBytes) wav = make_wav (1600);
  g_autofree gchar *speakers = with_query ("/v1/process/audio?"
      "name=Business%20Meeting&enableSeparateRecognitionPerChannel=true",
      "channelMetadata", "[{\"channel\":1,\"speaker\":{\"name\":"
      "\"Robert Bartheon\",\"email\":\"robert@example.com\"}},"
      "{\"channel\":2,\"speaker\":{\"email\":\"jon@example.com\"}}]");
  g_autofree gchar *upload = with_query (speakers, "trackers",
      TRACKERS_JSON);
  g_autoptr (GHashTable) message_ids = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, NULL);
  g_autoptr (JsonNode) conversation = NULL;
  g_autoptr (JsonNode) messages = NULL;
  g_autoptr (JsonNode) topics = NULL;
  g_autoptr (JsonNode) questions = NULL;
  g_autoptr (JsonNode) action_items = NULL;
  g_autoptr (JsonNode) follow_ups = NULL;
  g_autoptr (JsonNode) members = NULL;
  g_autoptr (JsonNode) entities = NULL;
  g_autoptr (JsonNode) analytics = NULL;
  g_autoptr (JsonNode) left_out = NULL;
  g_autoptr (JsonNode) detected = NULL;
  g_autofree gchar *conversation_id = NULL;
  g_autofree gchar *path = NULL;
  JsonObject *object, *message;
  JsonArray *array, *metrics;
  Reply reply = { 0, };
  guint i;

  send_request (f, &(Request) {
      .method = "POST",.path = upload,.api_key = TOKEN,.content_type =
        "",.body = wav}, &reply);
  g_assert_cmpuint (reply.status, ==, 201);
  conversation_id = json_string (reply.body, "conversationId");
  reply_clear (&reply);

  path = g_strconcat ("/v1/conversations/", conversation_id, NULL);
  conversation = sdk_get (f, path, 200);
  object = json_node_get_object (conversation);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==,
      conversation_id);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==,
      "meeting");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==,
      "Business Meeting");
  assert_iso_time (object, "startTime");
  assert_iso_time (object, "endTime");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object,
              "metadata")));
  array = json_object_get_array_member (object, "members");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  /* The messages are what trackers-detected refers to */
  messages = sdk_get_list (f, conversation_id,
      "messages?sentiment=false&verbose=false", "messages", &array);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (i = 0; i < 2; i++) {
    message = json_array_get_object_element (array, i);
    g_hash_table_add (message_ids,
        g_strdup (json_object_get_string_member (message, "id")));
    g_assert_cmpstr (json_object_get_string_member (message,
            "conversationId"), ==, conversation_id);
    g_assert_cmpstr (json_object_get_string_member
        (json_object_get_object_member (message, "from"), "name"), ==,
        "Robert Bartheon");
    assert_iso_time (message, "startTime");
    assert_iso_time (message, "endTime");
    g_assert_cmpfloat (json_object_get_double_member (message, "timeOffset"),
        ==, 3.0 * i);
    g_assert_cmpfloat (json_object_get_double_member (message, "duration"),
        >, 0);
    g_assert_nonnull (json_object_get_array_member (message, "phrases"));
  }
  g_assert_cmpstr (json_object_get_string_member
      (json_array_get_object_element (array, 0), "text"), ==,
      "social distancing");
  detected = get_trackers (f, conversation_id, "trackers-detected");
  g_assert_true (g_hash_table_contains (message_ids,
          json_object_get_string_member (json_array_get_object_element
              (json_object_get_array_member (json_array_get_object_element
                      (json_object_get_array_member
                          (json_array_get_object_element (json_node_get_array
                                  (detected), 0), "matches"), 0),
                      "messageRefs"), 0), "id")));

  topics = sdk_get_list (f, conversation_id, "topics", "topics", &array);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==,
      "COVID-19");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "topic");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (object, "messageIds")), ==, 2);
  g_assert_nonnull (json_object_get_array_member (object, "parentRefs"));

  questions = sdk_get_list (f, conversation_id, "questions", "questions",
      &array);
  assert_insight (array, "question", message_ids);
  action_items = sdk_get_list (f, conversation_id, "action-items",
      "actionItems", &array);
  assert_insight (array, "action_item", message_ids);
  g_assert_true (json_object_get_boolean_member
      (json_array_get_object_element (array, 0), "definitive"));
  follow_ups = sdk_get_list (f, conversation_id, "follow-ups", "followUps",
      &array);
  assert_insight (array, "follow_up", message_ids);

  /* The speakers of channelMetadata, e-mail as given, names optional */
  members = sdk_get_list (f, conversation_id, "members", "members", &array);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_true (is_conversation_id (json_object_get_string_member (object,
              "id")));
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==,
      "robert@example.com");
  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==,
      "Speaker 2");
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==,
      "jon@example.com");

  entities = sdk_get_list (f, conversation_id, "entities", "entities", &array);

  analytics = sdk_get_list (f, conversation_id, "analytics", "members", &array);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpfloat (json_object_get_double_member
      (json_object_get_object_member (object, "talkTime"), "seconds"), ==, 6.0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member
          (object, "pace"), "wpm"), ==, 30);
  metrics = json_object_get_array_member (json_node_get_object (analytics),
      "metrics");
  g_assert_cmpuint (json_array_get_length (metrics), ==, 3);
  g_assert_cmpstr (json_object_get_string_member
      (json_array_get_object_element (metrics, 1), "type"), ==,
      "total_talk_time");

  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    g_autofree gchar *part_path = g_strconcat (path, parts[i], NULL);
    g_autofree gchar *unknown = g_strconcat ("/v1/conversations/"
        "1234567890123456", parts[i], NULL);

    send_request (f, &(Request) {
        .method = "GET",.path = part_path}
        , &reply);
    assert_error_reply (&reply, 401, "Token validation failed");
    reply_clear (&reply);
    send_request (f, &(Request) {
        .method = "GET",.path = unknown,.api_key = TOKEN}
        , &reply);
    assert_error_reply (&reply, 404, "1234567890123456");
    reply_clear (&reply);
  }

  /* What stays out says so, and what it is */
  g_free (path);
  path = g_strdup_printf ("/v1/conversations/%s/summary", conversation_id);
  left_out = sdk_get (f, path, 501);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object
              (left_out), "message"),
          "GET /v1/conversations/{conversationId}/summary is not served"));
  g_free (path);
  path = g_strconcat ("/v1/conversations/", conversation_id, NULL);
  send_request (f, &(Request) {
      .method = "DELETE",.path = path,.api_key = TOKEN}
      , &reply);
  assert_error_reply (&reply, 501, "DELETE /v1/conversations/"
      "{conversationId} is not served");
  reply_clear (&reply);
  send_request (f, &(Request) {
      .method = "DELETE",.path = path}
      , &reply);
  assert_error_reply (&reply, 401, NULL);
  reply_clear (&reply);
}

static void
test_query_validation (Fixture * f, gconstpointer data)
{
  static const struct
  {
    const gchar *name;
    const gchar *value;
    const gchar *part;          /* expected in the message */
  } bad[] = {
    {"trackers", "[{\"name\":\"A\",\"vocabulary\":[\"a\"]},{\"name\":\"B\"}]",
        "trackers[1]"},
    {"trackers", "[{\"name\":\"A\",\"vocabulary\":[\"a\"]},{\"id\":\"\"}]",
        "trackers[1]"},
    {"trackers", "[{\"name\":\"A\",\"vocabulary\":[]}]", "trackers[0]"},
    {"trackers", "[\"A\"]", "trackers[0]"},
    {"trackers", "[{", "trackers"},
    {"trackers", "{\"name\":\"A\"}", "trackers must be a JSON array"},
    {"detectPhrases", "yes", "detectPhrases"},
    {"enableSummary", "1", "enableSummary"},
    {"languageCode", "en_US", "languageCode"},
    {"languageCode", "en-US-", "languageCode"},
    {"customVocabulary", "[\"a\", 2]", "customVocabulary[1]"},
    {"channelMetadata", "[{\"channel\":1,\"speaker\":\"A\"}]",
        "channelMetadata[0]"},
    {"confidenceThreshold", "0.4", "confidenceThreshold"},
    {"confidenceThreshold", "1.5", "confidenceThreshold"},
    {"confidenceThreshold", "high", "confidenceThreshold"},
    {"mode", "studio", "mode"},
    {"diarizationSpeakerCount", "0", "diarizationSpeakerCount"},
    {"customVocabulary", "[1]", "customVocabulary[0]"},
    {"entities", "[{\"customType\":\"X\"}]", "entities[0]"},
  };
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree gchar *good = NULL;
  g_autofree gchar *bad_channel = NULL;
  g_autofree gchar *too_long = NULL;
  Reply reply = { 0, };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autofree gchar *path = with_query ("/v1/process/audio", bad[i].name,
        bad[i].value);

    send_request (f, &(Request) {
        .method = "POST",.path = path,.token = TOKEN,.content_type =
          "audio/wav",.body = wav}
        , &reply);
    assert_error_reply (&reply, 400, bad[i].part);
    reply_clear (&reply);
  }

  /* Every parameter at once, all valid, plus one this server ignores */
  good = with_query ("/v1/process/audio?name=A&detectPhrases=true&"
      "detectEntities=false&enableSeparateRecognitionPerChannel=true&"
      "enableSpeakerDiarization=false&enableAllTrackers=true&"
      "enableSummary=false&confidenceThreshold=0.7&languageCode=fr-FR&"
      "mode=phone&diarizationSpeakerCount=2&webhookUrl=http%3A%2F%2Fx%2Fy&"
      "unknownParameter=42&customVocabulary=%5B%22a%22%5D&"
      "entities=%5B%7B%22customType%22%3A%22X%22%2C%22text%22%3A%22y%22%7D%5D",
      "channelMetadata", "[{\"channel\":1,\"speaker\":{\"name\":\"A\","
      "\"email\":\"a@example.com\"}},{\"channel\":2,\"speaker\":"
      "{\"name\":\"B\"}}]");
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = good,.token = TOKEN,.content_type =
            "audio/wav",.body = wav}
      ), ==, 201);

  bad_channel = with_query ("/v1/process/audio?"
      "enableSeparateRecognitionPerChannel=true", "channelMetadata",
      "[{\"channel\":0,\"speaker\":{\"name\":\"A\"}}]");
  send_request (f, &(Request) {
      .method = "POST",.path = bad_channel,.token = TOKEN,.content_type =
        "audio/wav",.body = wav}
      , &reply);
  assert_error_reply (&reply, 400, "channelMetadata[0]");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = empty}
      , &reply);
  assert_error_reply (&reply, 400, "empty");
  reply_clear (&reply);

  too_long = g_strdup_printf ("/v1/process/audio?name=%0*d", 9000, 0);
  send_request (f, &(Request) {
      .method = "POST",.path = too_long,.token = TOKEN,.content_type =
        "audio/wav",.body = wav}
      , &reply);
  assert_error_reply (&reply, 414, "8192");
  reply_clear (&reply);
}

/* An early refusal: libsoup still reads (and the server drops) the body
 * of a client that did not ask "Expect: 100-continue"; one that did never
 * sends it. Both get the answer, and the session goes on working. */
static void
test_early_refusal (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (2 * 1024 * 1024);
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.content_type =
        "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 401, NULL);
  g_assert_cmpstr (reply.connection, ==, "close");
  reply_clear (&reply);
  recorded = get_request (f, 0);
  g_assert_cmpuint (recorded->body_length, ==, g_bytes_get_size (wav));
  g_assert_null (recorded->body_path);
  symbl_recorded_request_free (recorded);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.content_type =
        "audio/wav",.body = wav,.expect_continue = TRUE}, &reply);
  assert_error_reply (&reply, 401, NULL);
  reply_clear (&reply);
  recorded = get_request (f, 1);
  g_assert_cmpuint (recorded->body_length, ==, 0);
  symbl_recorded_request_free (recorded);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav,.expect_continue =
            TRUE}), ==, 201);
}

static void
test_not_found (Fixture * f, gconstpointer data)
{
  Reply reply = { 0, };
  SymblRecordedRequest *recorded;

  send_request (f, &(Request) {
      .method = "GET",.path = "/v2/nothing",.token = TOKEN}, &reply);
  assert_error_reply (&reply, 404, "/v2/nothing");
  reply_clear (&reply);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/process/audio",.token = TOKEN}),
      ==, 404);

  recorded = get_request (f, 1);
  g_assert_cmpuint (recorded->status, ==, 404);
  symbl_recorded_request_free (recorded);
}

/* Tokens */

static GBytes *
credentials (const gchar * type, const gchar * app_id, const gchar * secret)
{
  gchar *text = g_strdup_printf ("{\"type\":\"%s\",\"appId\":\"%s\","
      "\"appSecret\":\"%s\"}", type, app_id, secret);

  return g_bytes_new_take (text, strlen (text));
}

static gchar *
generate_token (Fixture * f, guint * expires_in)
{
  g_autoptr (GBytes) body = credentials ("application",
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET);
  g_autoptr (JsonNode) root = NULL;
  Reply reply = { 0, };
  gchar *token;

  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.content_type =
        "application/json",.body = body}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 200);
  root = parse_json (reply.body);
  token = g_strdup (json_object_get_string_member (json_node_get_object
          (root), "accessToken"));
  *expires_in = json_object_get_int_member (json_node_get_object (root),
      "expiresIn");
  reply_clear (&reply);
  g_assert_true (token && *token);
  return token;
}

static void
test_token (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) bad_secret = credentials ("application",
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, "nope");
  g_autoptr (GBytes) bad_type = credentials ("user",
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET);
  g_autoptr (GBytes) missing = g_bytes_new_static ("{\"type\":"
      "\"application\"}", 22);
  g_autoptr (GBytes) not_json = g_bytes_new_static ("appId=x", 7);
  g_autofree gchar *token = NULL;
  g_autofree gchar *other = NULL;
  guint expires_in;
  Reply reply = { 0, };

  token = generate_token (f, &expires_in);
  g_assert_cmpuint (expires_in, ==, 86400);
  other = generate_token (f, &expires_in);
  g_assert_cmpstr (token, !=, other);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            token,.content_type = "audio/wav",.body = wav}), ==, 201);

  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.body =
        bad_secret}, &reply);
  assert_error_reply (&reply, 401, NULL);
  g_assert_null (strstr (reply.body, "nope"));
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.body = bad_type},
      &reply);
  assert_error_reply (&reply, 400, "type");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.body = missing},
      &reply);
  assert_error_reply (&reply, 400, "appSecret");
  reply_clear (&reply);

  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.body = not_json},
      &reply);
  assert_error_reply (&reply, 400, "JSON");
  reply_clear (&reply);
}

static const SymblLocalServerOptions short_token_options = {
  .token_lifetime_s = 1,
  .quiet = TRUE,
};

static void
test_token_expiry (Fixture * f, gconstpointer data)
{
  guint expires_in;
  g_autofree gchar *token = generate_token (f, &expires_in);

  g_assert_cmpuint (expires_in, ==, 1);
  /* 404, not 401: the token got through */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/job/unknown",.token = token}), ==, 404);
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/job/unknown",.token = token}), ==, 401);
}

/* Jobs */

static gchar *
job_status (Fixture * f, const gchar * job_id)
{
  g_autofree gchar *path = g_strconcat ("/v1/job/", job_id, NULL);
  g_autofree gchar *id = NULL;
  Reply reply = { 0, };
  gchar *status;

  send_request (f, &(Request) {
      .method = "GET",.path = path,.token = TOKEN}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 200);
  id = json_string (reply.body, "id");
  g_assert_cmpstr (id, ==, job_id);
  status = json_string (reply.body, "status");
  reply_clear (&reply);
  return status;
}

/* Polls until the job ends; returns the statuses seen, each once */
static gchar *
follow_job (Fixture * f, const gchar * job_id)
{
  GString *seen = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < deadline) {
    g_autofree gchar *status = job_status (f, job_id);

    if (!g_str_has_suffix (seen->str, status))
      g_string_append_printf (seen, "%s%s", seen->len ? " " : "", status);
    if (g_str_equal (status, "completed") || g_str_equal (status, "failed"))
      break;
    g_usleep (5 * G_TIME_SPAN_MILLISECOND);
  }
  return g_string_free (seen, FALSE);
}

static void
test_job_status (Fixture * f, gconstpointer data)
{
  g_autofree gchar *first = upload_wav (f, "/v1/process/audio");
  g_autofree gchar *first_job = json_string (first, "jobId");
  g_autofree gchar *progress = follow_job (f, first_job);
  g_autofree gchar *failing = NULL;
  g_autofree gchar *failing_job = NULL;
  g_autofree gchar *failed_progress = NULL;
  g_autofree gchar *status = NULL;
  Reply reply = { 0, };

  g_assert_cmpstr (progress, ==, "scheduled in_progress completed");

  g_assert_true (symbl_local_server_add_fault_text (f->server, "job-fails",
          NULL));
  /* Only uploads take a job-fails fault */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/job/unknown",.token = TOKEN}), ==, 404);
  failing = upload_wav (f, "/v1/process/audio");
  failing_job = json_string (failing, "jobId");
  failed_progress = follow_job (f, failing_job);
  g_assert_cmpstr (failed_progress, ==, "scheduled in_progress failed");
  status = job_status (f, first_job);
  g_assert_cmpstr (status, ==, "completed");

  send_request (f, &(Request) {
      .method = "GET",.path = "/v1/job/unknown",.token = TOKEN}, &reply);
  assert_error_reply (&reply, 404, "unknown");
  reply_clear (&reply);
}

/* Job slots: a job holds one from its upload until it completes (two
 * job steps); an upload beyond the limit is read whole, then refused
 * with Symbl's 429, and makes no job */
/* Jobs of 3 s: the three uploads fit in that even under valgrind */
static const SymblLocalServerOptions two_slots_options = {
  .job_step_ms = 1500,
  .max_concurrent_jobs = 2,
  .quiet = TRUE,
};

static void
test_job_slots (Fixture * f, gconstpointer data)
{
  g_autofree gchar *first = upload_wav (f, "/v1/process/audio");
  g_autofree gchar *conversation_id = json_string (first, "conversationId");
  g_autofree gchar *first_job = json_string (first, "jobId");
  g_autofree gchar *put = g_strconcat ("/v1/process/audio/", conversation_id,
      NULL);
  g_autofree gchar *second = upload_wav (f, put);
  g_autofree gchar *second_job = json_string (second, "jobId");
  g_autofree gchar *first_progress = NULL;
  g_autofree gchar *second_progress = NULL;
  g_autoptr (GBytes) wav = make_wav (100000);
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };

  /* Both slots taken, by a POST and a PUT */
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 429,
      "limit of maximum of 2 number of concurrent jobs per account");
  g_assert_nonnull (strstr (reply.body, "\"statusCode\":429"));
  g_assert_null (reply.retry_after);
  reply_clear (&reply);
  recorded = get_request (f, 2);
  g_assert_cmpuint (recorded->status, ==, 429);
  g_assert_cmpuint (recorded->body_length, ==, g_bytes_get_size (wav));
  symbl_recorded_request_free (recorded);

  /* Free again once the jobs have completed */
  first_progress = follow_job (f, first_job);
  second_progress = follow_job (f, second_job);
  g_assert_true (g_str_has_suffix (first_progress, "completed"));
  g_assert_true (g_str_has_suffix (second_progress, "completed"));
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
}

static const SymblLocalServerOptions one_slot_retry_after_options = {
  .job_step_ms = 5000,
  .max_concurrent_jobs = 1,
  .jobs_retry_after_s = 3,
  .quiet = TRUE,
};

static void
test_job_slots_retry_after (Fixture * f, gconstpointer data)
{
  g_autofree gchar *first = upload_wav (f, "/v1/process/audio");
  g_autoptr (GBytes) wav = make_wav (100);
  Reply reply = { 0, };

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 429, "maximum of 1 number");
  g_assert_cmpstr (reply.retry_after, ==, "3");
  reply_clear (&reply);
}

/* Trackers */

static JsonNode *
get_trackers (Fixture * f, const gchar * conversation_id, const gchar * name)
{
  g_autofree gchar *path = g_strconcat ("/v1/conversations/", conversation_id,
      "/", name, NULL);
  Reply reply = { 0, };
  JsonNode *root;

  send_request (f, &(Request) {
      .method = "GET",.path = path,.token = TOKEN}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 200);
  root = parse_json (reply.body);
  reply_clear (&reply);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return root;
}

static void
assert_vocabulary_match (JsonObject * match, const gchar * phrase)
{
  JsonArray *refs = json_object_get_array_member (match, "messageRefs");
  JsonObject *ref;

  g_assert_cmpstr (json_object_get_string_member (match, "type"), ==,
      "vocabulary");
  g_assert_cmpstr (json_object_get_string_member (match, "value"), ==, phrase);
  g_assert_cmpuint (json_array_get_length (refs), ==, 1);
  ref = json_array_get_object_element (refs, 0);
  g_assert_true (json_object_has_member (ref, "id"));
  g_assert_cmpstr (json_object_get_string_member (ref, "text"), ==, phrase);
  g_assert_cmpint (json_object_get_int_member (ref, "offset"), ==, -1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (match, "insightRefs")), ==, 0);
}

static void
test_trackers_detected (Fixture * f, gconstpointer data)
{
  g_autofree gchar *path = with_query ("/v1/process/audio", "trackers",
      TRACKERS_JSON);
  g_autofree gchar *first = upload_wav (f, path);
  g_autofree gchar *conversation_id = json_string (first, "conversationId");
  g_autofree gchar *put = g_strconcat ("/v1/process/audio/", conversation_id,
      NULL);
  g_autofree gchar *put_path = with_query (put, "trackers",
      "[{\"name\":\"COVID-19\",\"vocabulary\":[\"other\"]},"
      "{\"name\":\"Budget\",\"vocabulary\":[\"price\"]}]");
  g_autofree gchar *appended = upload_wav (f, put_path);
  g_autofree gchar *other = upload_wav (f, path);
  g_autofree gchar *other_id = json_string (other, "conversationId");
  g_autoptr (JsonNode) detected = get_trackers (f, conversation_id,
      "trackers-detected");
  g_autoptr (JsonNode) deprecated = get_trackers (f, conversation_id,
      "trackers");
  g_autoptr (JsonNode) detected_elsewhere = get_trackers (f, other_id,
      "trackers-detected");
  JsonArray *trackers = json_node_get_array (detected);
  JsonObject *covid, *by_id, *budget;
  JsonArray *matches;
  Reply reply = { 0, };

  /* Each tracker once, the first upload's definition winning */
  g_assert_cmpuint (json_array_get_length (trackers), ==, 3);
  covid = json_array_get_object_element (trackers, 0);
  by_id = json_array_get_object_element (trackers, 1);
  budget = json_array_get_object_element (trackers, 2);

  g_assert_true (is_conversation_id (json_object_get_string_member (covid,
              "id")));
  g_assert_cmpstr (json_object_get_string_member (covid, "name"), ==,
      "COVID-19");
  matches = json_object_get_array_member (covid, "matches");
  g_assert_cmpuint (json_array_get_length (matches), ==, 2);
  assert_vocabulary_match (json_array_get_object_element (matches, 0),
      "social distancing");
  assert_vocabulary_match (json_array_get_object_element (matches, 1),
      "vaccination");

  g_assert_cmpstr (json_object_get_string_member (by_id, "id"), ==,
      "5123033831841280");
  g_assert_cmpstr (json_object_get_string_member (by_id, "name"), ==,
      "5123033831841280");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member
          (by_id, "matches")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (budget, "name"), ==,
      "Budget");

  /* Ids depend on the name only, and the old path gives the same */
  g_assert_cmpstr (json_object_get_string_member (covid, "id"), ==,
      json_object_get_string_member (json_array_get_object_element
          (json_node_get_array (detected_elsewhere), 0), "id"));
  g_assert_true (json_node_equal (detected, deprecated));

  send_request (f, &(Request) {
      .method = "GET",.path =
        "/v1/conversations/1234567890123456/trackers-detected",.token =
        TOKEN}, &reply);
  assert_error_reply (&reply, 404, "1234567890123456");
  reply_clear (&reply);
}

/* Faults */

static void
test_fault_status (Fixture * f, gconstpointer data)
{
  const SymblFault unavailable = {
    .kind = SYMBL_FAULT_STATUS,.path_prefix = "/v1/process",.status = 503,
    .retry_after_s = 7,
  };
  g_autoptr (GBytes) wav = make_wav (100000);
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };

  symbl_local_server_add_fault (f->server, &unavailable);
  /* Not an upload: the fault waits */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/v1/job/x",.token = TOKEN}), ==, 404);

  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 503, "injected 503");
  g_assert_cmpstr (reply.retry_after, ==, "7");
  reply_clear (&reply);
  /* The whole upload went through before the answer */
  recorded = get_request (f, 1);
  g_assert_cmpuint (recorded->status, ==, 503);
  g_assert_cmpuint (recorded->body_length, ==, g_bytes_get_size (wav));
  g_assert_cmpuint (file_size (recorded->body_path), ==,
      g_bytes_get_size (wav));
  symbl_recorded_request_free (recorded);

  g_assert_true (symbl_local_server_add_fault_text (f->server, "status=429",
          NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 429, "concurrent jobs");
  g_assert_nonnull (strstr (reply.body, "\"statusCode\":429"));
  g_assert_null (reply.retry_after);
  reply_clear (&reply);

  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "status=500,retry-after=2,body={\"message\":\"boom\",\"a\":[1,2]}",
          NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  g_assert_cmpuint (reply.status, ==, 500);
  g_assert_cmpstr (reply.body, ==, "{\"message\":\"boom\",\"a\":[1,2]}");
  g_assert_cmpstr (reply.retry_after, ==, "2");
  reply_clear (&reply);

  /* Used up */
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
}

static void
test_fault_drop (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (512 * 1024);
  SymblRecordedRequest *recorded;
  Reply reply = { 0, };

  g_assert_true (symbl_local_server_add_fault_text (f->server, "drop=4096",
          NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  g_assert_nonnull (reply.error);
  g_test_message ("client error after a drop: %s", reply.error->message);
  reply_clear (&reply);

  recorded = get_request (f, 0);
  g_assert_cmpuint (recorded->status, ==, 0);
  g_assert_null (recorded->reply);
  g_assert_cmpuint (recorded->body_length, ==, 4096);
  g_assert_cmpuint (file_size (recorded->body_path), ==, 4096);
  symbl_recorded_request_free (recorded);

  /* Before any body byte, on a request without body too */
  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "drop=0,path=/v1/job/", NULL));
  send_request (f, &(Request) {
      .method = "GET",.path = "/v1/job/x",.token = TOKEN}, &reply);
  g_assert_nonnull (reply.error);
  reply_clear (&reply);

  /* A body shorter than the limit: dropped once it is all in */
  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "drop=100000000", NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  g_assert_nonnull (reply.error);
  reply_clear (&reply);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
  g_assert_true (symbl_local_server_wait_requests (f->server, 4, WAIT_MS));
  recorded = get_request (f, 2);
  g_assert_cmpuint (recorded->status, ==, 0);
  g_assert_cmpuint (recorded->body_length, ==, g_bytes_get_size (wav));
  symbl_recorded_request_free (recorded);
}

static void
test_fault_stall (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (1000);
  gint64 start;
  Reply reply = { 0, };

  g_assert_true (symbl_local_server_add_fault_text (f->server, "stall=300",
          NULL));
  start = g_get_monotonic_time ();
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpint (g_get_monotonic_time () - start, >=,
      300 * G_TIME_SPAN_MILLISECOND);
  reply_clear (&reply);

  /* A refusal is stalled as much */
  g_assert_true (symbl_local_server_add_fault_text (f->server, "stall=200",
          NULL));
  start = g_get_monotonic_time ();
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.content_type =
        "audio/wav",.body = wav}, &reply);
  assert_error_reply (&reply, 401, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, >=,
      200 * G_TIME_SPAN_MILLISECOND);
  reply_clear (&reply);
}

typedef struct
{
  gchar *url;
  Reply reply;
} StalledClient;

static gpointer
stalled_client_thread (gpointer data)
{
  StalledClient *client = data;
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) wav = make_wav (1000);

  send_with (session, client->url, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &client->reply);
  return NULL;
}

/* stall=0 never answers; stopping the server must not wait for it */
static void
test_fault_stall_until_stop (Fixture * f, gconstpointer data)
{
  StalledClient client = { 0, };
  g_autofree gchar *body_path = NULL;
  GThread *thread;
  gint64 deadline, start;

  g_assert_true (symbl_local_server_add_fault_text (f->server, "stall=0",
          NULL));
  client.url = g_strdup (symbl_local_server_get_url (f->server));
  thread = g_thread_new ("stalled-client", stalled_client_thread, &client);

  /* Wait until the whole body is in, then a little for the handler */
  body_path = g_build_filename (symbl_local_server_get_store_dir (f->server),
      "1-POST-audio.body", NULL);
  deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (!(g_file_test (body_path, G_FILE_TEST_EXISTS) &&
          file_size (body_path) == 2044) && g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (symbl_local_server_wait_requests (f->server, 1, 0));

  start = g_get_monotonic_time ();
  symbl_local_server_stop (f->server);
  f->server = NULL;
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);

  g_thread_join (thread);
  g_assert_nonnull (client.reply.error);
  reply_clear (&client.reply);
  g_free (client.url);
}

static void
test_fault_reply (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) body = credentials ("application", "x", "y");
  Reply reply = { 0, };

  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "reply={\"conversationId\": 12, \"jobId\"", NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav}, &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 201);
  g_assert_cmpstr (reply.body, ==, "{\"conversationId\": 12, \"jobId\"");
  reply_clear (&reply);

  /* Elsewhere the success status is 200 */
  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "path=/oauth2/,reply={\"expiresIn\": 60}", NULL));
  send_request (f, &(Request) {
      .method = "POST",.path = "/oauth2/token:generate",.body = body}, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (reply.body, ==, "{\"expiresIn\": 60}");
  reply_clear (&reply);
}

static void
test_fault_text (Fixture * f, gconstpointer data)
{
  static const gchar *const bad[] = {
    "", "status", "status=abc", "status=99", "status=600", "drop=1,stall=2",
    "retry-after=3", "status=503,retry-after=x", "count=0,drop=1",
    "count=2", "nonsense=1", "job-fails=1", "path=v1,drop=1",
    "stall=5,body=x", "drop=1,,count=2", "drop=-1",
    "no-continue=1", "early=200", "early=600", "trickle=0",
    "early=413,body=x", "no-continue,trickle=5",
  };
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) body = credentials ("application",
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET);
  const Request upload = {.method = "POST",.path =
        "/v1/process/audio",.token = TOKEN,.content_type =
        "audio/wav",.body = wav
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;

    g_assert_false (symbl_local_server_add_fault_text (f->server, bad[i],
            &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  /* reply= takes the rest of the text, commas and all */
  g_assert_true (symbl_local_server_add_fault_text (f->server, "reply=x,"
          "status=500", NULL));
  g_assert_cmpuint (send_for_status (f, &upload), ==, 201);

  g_assert_true (symbl_local_server_add_fault_text (f->server,
          "status=503,count=2,path=/v1/process", NULL));
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/oauth2/token:generate",.body = body}
      ), ==, 200);
  g_assert_cmpuint (send_for_status (f, &upload), ==, 503);
  g_assert_cmpuint (send_for_status (f, &upload), ==, 503);
  g_assert_cmpuint (send_for_status (f, &upload), ==, 201);
}

/* Control endpoints */

static void
test_local_endpoints (Fixture * f, gconstpointer data)
{
  g_autoptr (GBytes) wav = make_wav (100);
  g_autoptr (GBytes) fault = g_bytes_new_static ("status=502\n", 11);
  g_autoptr (GBytes) bad_fault = g_bytes_new_static ("status=1", 8);
  g_autoptr (GBytes) token_body = credentials ("application",
      SYMBL_LOCAL_SERVER_DEFAULT_APP_ID, SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET);
  g_autoptr (JsonNode) listing = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autofree gchar *token = NULL;
  JsonObject *first, *headers;
  guint expires_in;
  Reply reply = { 0, };

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/__local/faults",.body = fault}), ==, 204);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 502);
  send_request (f, &(Request) {
      .method = "POST",.path = "/__local/faults",.body = bad_fault}, &reply);
  assert_error_reply (&reply, 400, "status=");
  reply_clear (&reply);

  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.api_key =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
  token = generate_token (f, &expires_in);
  g_assert_true (symbl_local_server_wait_requests (f->server, 3, WAIT_MS));

  send_request (f, &(Request) {
      .method = "GET",.path = "/__local/requests"}, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  /* No secret leaves the server */
  g_assert_null (strstr (reply.body, TOKEN));
  g_assert_null (strstr (reply.body, token));
  listing = parse_json (reply.body);
  reply_clear (&reply);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (listing)), ==,
      3);
  first = json_array_get_object_element (json_node_get_array (listing), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (first, "path"), ==,
      "/v1/process/audio");
  g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 502);
  g_assert_cmpint (json_object_get_int_member (first, "bodyLength"), ==,
      g_bytes_get_size (wav));
  g_assert_true (json_object_has_member (first, "bodyPath"));
  g_assert_true (json_object_has_member (first, "params"));
  g_assert_true (json_object_has_member (first, "query"));
  g_assert_true (json_object_has_member (first, "reply"));
  headers = json_object_get_object_member (first, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "authorization"),
      ==, "<redacted>");
  headers = json_object_get_object_member (json_array_get_object_element
      (json_node_get_array (listing), 1), "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "x-api-key"), ==,
      "<redacted>");

  /* /__local/ requests are not recorded; DELETE forgets the others */
  requests = symbl_local_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "DELETE",.path = "/__local/requests"}), ==, 204);
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "GET",.path = "/__local/nothing"}), ==, 404);
  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = symbl_local_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 0);
}

/* Scale */

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* A 300 MB upload streams through: neither side's memory grows */
static void
test_big_upload (Fixture * f, gconstpointer data)
{
  const gchar *size_mb = g_getenv ("SYMBL_TEST_BIG_UPLOAD_MB");
  guint64 size = (size_mb ? g_ascii_strtoull (size_mb, NULL, 10) : 300) *
      1000 * 1000;
  g_autoptr (GInputStream) stream = test_wav_stream_new (size);
  g_autoptr (GFile) body_file = NULL;
  g_autoptr (GFileInputStream) body_stream = NULL;
  SymblRecordedRequest *recorded;
  glong rss_before, rss_after;
  guint64 offsets[] = { 44, 1 << 20, size / 2 + 3, size - 1 };
  gint64 start;
  guint i;

  rss_before = peak_rss_kb ();
  start = g_get_monotonic_time ();
  g_assert_cmpuint (send_for_status (f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.stream =
            stream,.stream_length = size}), ==, 201);
  rss_after = peak_rss_kb ();
  g_test_message ("%" G_GUINT64_FORMAT " bytes in %.1f s; peak RSS %ld kB "
      "-> %ld kB (+%ld kB)", size, (g_get_monotonic_time () - start) / 1e6,
      rss_before, rss_after, rss_after - rss_before);
  /* Valgrind's own memory would count too */
  if (!RUNNING_ON_VALGRIND && !SYMBL_UNDER_ASAN)
    g_assert_cmpint (rss_after - rss_before, <, 20 * 1024);

  recorded = get_request (f, 0);
  g_assert_cmpuint (recorded->body_length, ==, size);
  g_assert_cmpuint (file_size (recorded->body_path), ==, size);
  body_file = g_file_new_for_path (recorded->body_path);
  body_stream = g_file_read (body_file, NULL, NULL);
  for (i = 0; i < G_N_ELEMENTS (offsets); i++) {
    guint8 byte;

    g_assert_true (g_seekable_seek (G_SEEKABLE (body_stream), offsets[i],
            G_SEEK_SET, NULL, NULL));
    g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (body_stream), &byte,
            1, NULL, NULL), ==, 1);
    g_assert_cmpuint (byte, ==, wav_stream_byte (offsets[i]));
  }
  g_unlink (recorded->body_path);
  symbl_recorded_request_free (recorded);
}

typedef struct
{
  guint pending;
  guint created;
  GHashTable *conversations;
  GMainLoop *loop;
} Concurrent;

static void
on_concurrent_reply (GObject * source, GAsyncResult * result,
    gpointer user_data)
{
  Concurrent *concurrent = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION
      (source), result);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
      &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) == 201) {
    g_autofree gchar *text = g_strndup (g_bytes_get_data (body, NULL),
        g_bytes_get_size (body));

    concurrent->created++;
    g_hash_table_add (concurrent->conversations, json_string (text,
            "conversationId"));
  }
  if (--concurrent->pending == 0)
    g_main_loop_quit (concurrent->loop);
}

/* Fifty clients upload at once, each on its own connection */
static void
test_concurrent_uploads (Fixture * f, gconstpointer data)
{
  const guint n_clients = 50;
  g_autoptr (GBytes) wav = make_wav (512 * 1024);
  Concurrent concurrent = { n_clients, 0, NULL, NULL };
  guint i;

  concurrent.conversations = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  concurrent.loop = g_main_loop_new (NULL, FALSE);
  for (i = 0; i < n_clients; i++) {
    g_autoptr (SoupMessage) msg = build_message (symbl_local_server_get_url
        (f->server), &(Request) {
        .method = "POST",.path = "/v1/process/audio",.token =
          TOKEN,.content_type = "audio/wav",.body = wav}
    );

    soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT,
        NULL, on_concurrent_reply, &concurrent);
  }
  g_main_loop_run (concurrent.loop);

  g_assert_cmpuint (concurrent.created, ==, n_clients);
  g_assert_cmpuint (g_hash_table_size (concurrent.conversations), ==,
      n_clients);
  g_assert_true (symbl_local_server_wait_requests (f->server, n_clients,
          WAIT_MS));
  g_main_loop_unref (concurrent.loop);
  g_hash_table_unref (concurrent.conversations);
}

static guint
count_open_files (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

/* Clients that come and go leave no descriptor behind (libsoup 3.2 keeps
 * idle keep-alive connections its client closed; the server closes every
 * connection after its answer instead) */
static void
test_no_descriptor_leak (Fixture * f, gconstpointer data)
{
  guint before, i;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR)) {
    g_test_skip ("no /proc/self/fd");
    return;
  }
  before = count_open_files ();
  for (i = 0; i < 40; i++) {
    g_autoptr (SoupSession) session = new_session ();
    Reply reply = { 0, };

    send_with (session, symbl_local_server_get_url (f->server), &(Request) {
        .method = "GET",.path = "/v1/job/x",.token = TOKEN}
        , &reply);
    g_assert_cmpuint (reply.status, ==, 404);
    reply_clear (&reply);
  }
  g_assert_true (symbl_local_server_wait_requests (f->server, 40, WAIT_MS));
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (count_open_files (), <, before + 10);
}

static guint
count_open_sockets (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const gchar *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *path = g_build_filename ("/proc/self/fd", name, NULL);
    g_autofree gchar *target = g_file_read_link (path, NULL);

    if (target && g_str_has_prefix (target, "socket:"))
      n++;
  }
  return n;
}

/* One upload the way symbluploadsink sends it: a session of its own,
 * "Expect: 100-continue", and the session gone once the answer is in */
static void
upload_in_own_session (Fixture * f)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) wav = make_wav (160);
  Reply reply = { 0, };

  send_with (session, symbl_local_server_get_url (f->server), &(Request) {
      .method = "POST",.path = "/v1/process/audio",.token =
        TOKEN,.content_type = "audio/wav",.body = wav,.expect_continue = TRUE}
      , &reply);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 201);
  reply_clear (&reply);
}

/* A development server runs for days: a thousand uploads leave it with
 * no more sockets than it had after the first fifty */
static void
test_sockets_stay_bounded (Fixture * f, gconstpointer data)
{
  guint after_first, i;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR)) {
    g_test_skip ("no /proc/self/fd");
    return;
  }
  for (i = 0; i < 50; i++)
    upload_in_own_session (f);
  g_assert_true (symbl_local_server_wait_requests (f->server, 50, WAIT_MS));
  after_first = count_open_sockets ();
  for (; i < 1000; i++)
    upload_in_own_session (f);
  g_assert_true (symbl_local_server_wait_requests (f->server, 1000, WAIT_MS));
  g_assert_cmpuint (count_open_sockets (), <=, after_first + 5);
}

/* Start options */

static void
test_start_errors (void)
{
  SymblLocalServerOptions options = {.quiet = TRUE };
  g_autoptr (GError) error = NULL;
  SymblLocalServer *server;
  SymblLocalServer *taken;
  g_autofree gchar *port = NULL;

  options.address = "not-an-address";
  g_assert_null (symbl_local_server_start (&options, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  options.address = NULL;
  options.tls_cert_file = "cert.pem";
  g_assert_null (symbl_local_server_start (&options, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A port that is taken */
  options.tls_cert_file = NULL;
  taken = symbl_local_server_start (&options, &error);
  g_assert_no_error (error);
  port = g_strdup (strrchr (symbl_local_server_get_url (taken), ':') + 1);
  options.port = atoi (port);
  server = symbl_local_server_start (&options, &error);
  g_assert_null (server);
  g_assert_nonnull (error);
  symbl_local_server_stop (taken);
  symbl_local_server_stop (NULL);
}

/* A store directory of the user's: earlier files stay, and so does it */
static void
test_user_store_dir (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("test-local-server-XXXXXX", NULL);
  g_autofree gchar *earlier = g_build_filename (dir, "1-POST-audio.body",
      NULL);
  g_autofree gchar *next = g_build_filename (dir, "2-POST-audio.body", NULL);
  SymblLocalServerOptions options = {.quiet = TRUE,.store_dir = dir };
  Fixture f = { NULL, };
  SymblRecordedRequest *recorded;
  g_autofree gchar *reply = NULL;

  g_assert_true (g_file_set_contents (earlier, "keep", -1, NULL));
  fixture_set_up (&f, &options);
  g_assert_cmpstr (symbl_local_server_get_store_dir (f.server), ==, dir);
  reply = upload_wav (&f, "/v1/process/audio");
  recorded = get_request (&f, 0);
  g_assert_cmpstr (recorded->body_path, ==, next);
  symbl_recorded_request_free (recorded);
  fixture_tear_down (&f, NULL);

  g_assert_true (g_file_test (earlier, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (next, G_FILE_TEST_EXISTS));
  g_unlink (earlier);
  g_unlink (next);
  g_rmdir (dir);

  /* A temporary one goes with its server, bodies and all */
  options.store_dir = NULL;
  fixture_set_up (&f, &options);
  g_free (reply);
  reply = upload_wav (&f, "/v1/process/audio");
  g_free (dir);
  dir = g_strdup (symbl_local_server_get_store_dir (f.server));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  fixture_tear_down (&f, NULL);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Bodies counted, none written: what the benchmark runs */
static void
test_discard_bodies (void)
{
  SymblLocalServerOptions options = {.quiet = TRUE,.discard_bodies = TRUE };
  Fixture f = { NULL, };
  SymblRecordedRequest *recorded;
  g_autofree gchar *reply = NULL;
  g_autoptr (GDir) store = NULL;

  fixture_set_up (&f, &options);
  reply = upload_wav (&f, "/v1/process/audio");
  g_assert_nonnull (strstr (reply, "jobId"));
  recorded = get_request (&f, 0);
  g_assert_cmpuint (recorded->status, ==, 201);
  g_assert_cmpuint (recorded->body_length, >, 44);
  g_assert_null (recorded->body_path);
  store = g_dir_open (symbl_local_server_get_store_dir (f.server), 0, NULL);
  g_assert_nonnull (store);
  g_assert_null (g_dir_read_name (store));
  symbl_recorded_request_free (recorded);
  fixture_tear_down (&f, NULL);
}

/* HTTPS with a self-signed certificate made for the test */
static void
test_tls (void)
{
  g_autofree gchar *openssl = g_find_program_in_path ("openssl");
  g_autofree gchar *dir = NULL;
  g_autofree gchar *cert = NULL;
  g_autofree gchar *key = NULL;
  g_autoptr (GBytes) wav = make_wav (100000);
  g_autoptr (GError) error = NULL;
  SymblLocalServerOptions options = {.quiet = TRUE };
  Fixture f = { NULL, };
  gint wait_status;

  if (!openssl) {
    g_test_skip ("openssl is not installed");
    return;
  }
  dir = g_dir_make_tmp ("test-local-server-tls-XXXXXX", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);
  {
    const gchar *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048",
      "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key,
      "-out", cert, NULL
    };

    g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL,
            G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
            NULL, NULL, NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }

  options.tls_cert_file = cert;
  options.tls_key_file = key;
  fixture_set_up (&f, &options);
  g_assert_cmpuint (send_for_status (&f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.token =
            TOKEN,.content_type = "audio/wav",.body = wav}), ==, 201);
  g_assert_cmpuint (send_for_status (&f, &(Request) {
          .method = "POST",.path = "/v1/process/audio",.content_type =
            "audio/wav",.body = wav}), ==, 401);
  fixture_tear_down (&f, NULL);

  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* GIO's debug lines would drown the test's own */
  g_log_set_debug_enabled (FALSE);

#define ADD(name, options, test) \
  g_test_add ("/server/" name, Fixture, options, fixture_set_up, test, \
      fixture_tear_down)

  /* First, while the process's peak RSS is still low */
  ADD ("big-upload", NULL, test_big_upload);
  ADD ("upload/audio", NULL, test_upload_audio);
  ADD ("upload/append", NULL, test_upload_append);
  ADD ("upload/recorded-before-answer", NULL, test_recorded_before_answer);
  ADD ("validation/auth", NULL, test_auth);
  ADD ("validation/content-length", NULL, test_content_length);
  ADD ("validation/content-type", NULL, test_content_type);
  ADD ("validation/query", NULL, test_query_validation);
  ADD ("python-sdk/requests", NULL, test_python_sdk_requests);
  ADD ("python-sdk/conversation-api", NULL, test_python_sdk_conversation_api);
  ADD ("validation/early-refusal", NULL, test_early_refusal);
  ADD ("not-found", NULL, test_not_found);
  ADD ("token", NULL, test_token);
  ADD ("token/expiry", &short_token_options, test_token_expiry);
  ADD ("job-status", NULL, test_job_status);
  ADD ("job-slots", &two_slots_options, test_job_slots);
  ADD ("job-slots/retry-after", &one_slot_retry_after_options,
      test_job_slots_retry_after);
  ADD ("trackers-detected", NULL, test_trackers_detected);
  ADD ("fault/status", NULL, test_fault_status);
  ADD ("fault/drop", NULL, test_fault_drop);
  ADD ("fault/stall", NULL, test_fault_stall);
  ADD ("fault/stall-until-stop", NULL, test_fault_stall_until_stop);
  ADD ("fault/reply", NULL, test_fault_reply);
  ADD ("fault/text", NULL, test_fault_text);
  ADD ("local-endpoints", NULL, test_local_endpoints);
  ADD ("concurrent-uploads", NULL, test_concurrent_uploads);
  ADD ("no-descriptor-leak", NULL, test_no_descriptor_leak);
  ADD ("sockets-stay-bounded", NULL, test_sockets_stay_bounded);
#undef ADD
  g_test_add_func ("/server/start-errors", test_start_errors);
  g_test_add_func ("/server/user-store-dir", test_user_store_dir);
  g_test_add_func ("/server/discard-bodies", test_discard_bodies);
  g_test_add_func ("/server/tls", test_tls);

  return g_test_run ();
}
