/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the API's endpoints.
 *
 * What Symbl's Async API answers, given a request whose headers, query and
 * body are in: routing, the checks of each endpoint in the order Symbl's
 * docs suggest, and the JSON answers. The /__local/ control endpoints are
 * here too.
 */
#include "symbllocalapi.h"

#include "symblapinames.h"
#include "symbllocalconversation.h"

#include <string.h>

#define STATUS_TOO_MANY_REQUESTS 429
#define REDACTED "<redacted>"
#define TOKEN_FAILED_MESSAGE "Token validation failed for provided token."
/* The limit an injected 429 names when the account has none */
#define FAULT_JOB_LIMIT 5

/* Routing */

static const gchar *
skip_prefix (const gchar * text, const gchar * prefix)
{
  return g_str_has_prefix (text, prefix) ? text + strlen (prefix) : NULL;
}

/* One non-empty path segment */
static gboolean
is_segment (const gchar * text)
{
  return *text && !strchr (text, '/');
}

static gboolean
peer_is_loopback (SoupServerMessage * msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote) &&
      g_inet_address_get_is_loopback (g_inet_socket_address_get_address
      (G_INET_SOCKET_ADDRESS (remote)));
}

static void
route_upload (SymblLocalRequest * request, const gchar * method,
    const gchar * rest)
{
  const gchar *id;

  if ((id = skip_prefix (rest, "audio")))
    request->is_video = FALSE;
  else if ((id = skip_prefix (rest, "video")))
    request->is_video = TRUE;
  else
    return;

  if (!*id && g_str_equal (method, "POST")) {
    request->route = SYMBL_LOCAL_ROUTE_UPLOAD;
  } else if (id[0] == '/' && is_segment (id + 1) && g_str_equal (method, "PUT")) {
    request->route = SYMBL_LOCAL_ROUTE_UPLOAD;
    request->resource_id = g_strdup (id + 1);
  }
}

/* A documented endpoint this server does not serve: 501, naming it */
static void
leave_out (SymblLocalRequest * request, const gchar * method,
    const gchar * part)
{
  request->route = SYMBL_LOCAL_ROUTE_LEFT_OUT;
  request->left_out = g_strdup_printf ("%s /v1/conversations%s%s", method,
      part ? "/{conversationId}" : "", part ? part : "");
}

/* @rest: what follows /v1/conversations/ */
static void
route_conversation (SymblLocalRequest * request, const gchar * method,
    const gchar * rest)
{
  const gchar *slash = strchr (rest, '/');
  g_autofree gchar *part = slash ? g_strdup (slash + 1) : NULL;
  gchar *sub_slash;

  if (slash == rest || !*rest)
    return;
  request->resource_id = g_strndup (rest,
      slash ? (gsize) (slash - rest) : strlen (rest));
  if (!part) {
    if (g_str_equal (method, "GET"))
      request->route = SYMBL_LOCAL_ROUTE_CONVERSATION;
    else if (g_str_equal (method, "DELETE") || g_str_equal (method, "PUT"))
      leave_out (request, method, "");
    return;
  }
  /* PUT .../members/{memberId} updates a member */
  if ((sub_slash = strchr (part, '/')))
    *sub_slash = '\0';
  if (sub_slash && g_str_equal (part, "members") && is_segment (sub_slash + 1))
    leave_out (request, method, "/members/{memberId}");
  else if (sub_slash)
    return;
  /* /trackers is the deprecated name of /trackers-detected */
  else if (g_str_equal (method, "GET") && (g_str_equal (part,
              "trackers-detected") || g_str_equal (part, "trackers")))
    request->route = SYMBL_LOCAL_ROUTE_TRACKERS;
  else if (g_str_equal (method, "GET")
      && symbl_local_conversation_serves (part)) {
    request->route = SYMBL_LOCAL_ROUTE_CONVERSATION;
    request->conversation_part = g_steal_pointer (&part);
  } else if (symbl_local_conversation_is_left_out (method, part)) {
    g_autofree gchar *named = g_strconcat ("/", part, NULL);

    leave_out (request, method, named);
  }
}

void
symbl_local_request_route (SymblLocalRequest * request)
{
  const gchar *method = request->record->method;
  const gchar *path = request->record->path;
  gboolean is_get = g_str_equal (method, "GET");
  const gchar *rest;

  if ((rest = skip_prefix (path, "/__local/"))) {
    request->is_local = TRUE;
    if (!peer_is_loopback (request->msg))
      return;
    if (g_str_equal (rest, "faults") && g_str_equal (method, "POST"))
      request->route = SYMBL_LOCAL_ROUTE_LOCAL_FAULTS;
    else if (g_str_equal (rest, "requests") && (is_get ||
            g_str_equal (method, "DELETE")))
      request->route = SYMBL_LOCAL_ROUTE_LOCAL_REQUESTS;
  } else if ((rest = skip_prefix (path, "/v1/process/"))) {
    route_upload (request, method, rest);
  } else if ((rest = skip_prefix (path, "/v1/job/"))) {
    if (is_get && is_segment (rest)) {
      request->route = SYMBL_LOCAL_ROUTE_JOB;
      request->resource_id = g_strdup (rest);
    }
  } else if ((rest = skip_prefix (path, "/v1/conversations/"))) {
    route_conversation (request, method, rest);
  } else if (g_str_equal (path, "/v1/conversations")) {
    leave_out (request, method, NULL);
  } else if (g_str_equal (path, "/oauth2/token:generate") &&
      g_str_equal (method, "POST")) {
    request->route = SYMBL_LOCAL_ROUTE_TOKEN;
  }
}

/* Answers */

/* Symbl's own words for a 429, with the account's limit */
static gchar *
too_many_jobs_message (guint limit)
{
  return g_strdup_printf ("This API has a limit of maximum of %u number of "
      "concurrent jobs per account. If you are looking to scale, and need "
      "more concurrent jobs than this limit, please contact us at "
      "support@symbl.ai", limit);
}

static void
set_retry_after (SymblLocalRequest * request, guint seconds)
{
  g_autofree gchar *text = g_strdup_printf ("%u", seconds);

  if (seconds)
    soup_message_headers_replace (soup_server_message_get_response_headers
        (request->msg), "Retry-After", text);
}

static void
answer (SymblLocalRequest * request, guint status, const gchar * content_type,
    const gchar * body)
{
  soup_server_message_set_status (request->msg, status, NULL);
  if (body)
    soup_server_message_set_response (request->msg, content_type,
        SOUP_MEMORY_COPY, body, strlen (body));
  if (request->record) {
    g_free (request->record->reply);
    request->record->reply = g_strdup (body);
  }
}

static void
answer_json (SymblLocalRequest * request, guint status, JsonNode * root)
{
  g_autofree gchar *text = json_to_string (root, FALSE);

  answer (request, status, "application/json", text);
}

void
symbl_local_request_refuse (SymblLocalRequest * request, guint status,
    const gchar * message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (status == STATUS_TOO_MANY_REQUESTS) {
    json_builder_set_member_name (builder, "statusCode");
    json_builder_add_int_value (builder, status);
  }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  answer_json (request, status, root);
}

void
symbl_local_request_answer_fault (SymblLocalRequest * request)
{
  SymblFault *fault = request->fault;
  g_autofree gchar *message = NULL;

  if (fault->kind == SYMBL_FAULT_REPLY) {
    answer (request, request->route == SYMBL_LOCAL_ROUTE_UPLOAD ?
        SOUP_STATUS_CREATED : SOUP_STATUS_OK, "application/json", fault->body);
    return;
  }

  g_return_if_fail (fault->kind == SYMBL_FAULT_STATUS);
  set_retry_after (request, fault->retry_after_s);
  if (fault->body) {
    answer (request, fault->status, "application/json", fault->body);
  } else if (fault->status == STATUS_TOO_MANY_REQUESTS) {
    guint limit = symbl_local_account_get_max_concurrent_jobs
        (request->account);

    message = too_many_jobs_message (limit ? limit : FAULT_JOB_LIMIT);
    symbl_local_request_refuse (request, fault->status, message);
  } else {
    message = g_strdup_printf ("injected %u", fault->status);
    symbl_local_request_refuse (request, fault->status, message);
  }
}

/* Checks */

static gboolean
request_is_authorized (SymblLocalRequest * request)
{
  SymblLocalAccount *account = request->account;
  SoupMessageHeaders *headers =
      soup_server_message_get_request_headers (request->msg);
  const gchar *authorization =
      soup_message_headers_get_one (headers, "Authorization");
  const gchar *api_key = soup_message_headers_get_one (headers, "x-api-key");

  if (authorization && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0
      && symbl_local_account_check_token (account, authorization + 7))
    return TRUE;
  /* The deprecated header of older clients */
  return api_key && symbl_local_account_check_token (account, api_key);
}

/* 414 and 401, for every endpoint but /__local/ */
static guint
check_api_request (SymblLocalRequest * request, gchar ** message)
{
  SymblRecordedRequest *record = request->record;
  gsize target_length = strlen (record->path) +
      (record->query ? strlen (record->query) + 1 : 0);

  if (target_length > request->max_url_length) {
    *message = g_strdup_printf ("The request target has %" G_GSIZE_FORMAT
        " bytes; this server takes at most %" G_GSIZE_FORMAT, target_length,
        request->max_url_length);
    return SOUP_STATUS_REQUEST_URI_TOO_LONG;
  }
  if ((request->route == SYMBL_LOCAL_ROUTE_UPLOAD ||
          request->route == SYMBL_LOCAL_ROUTE_JOB ||
          request->route == SYMBL_LOCAL_ROUTE_TRACKERS ||
          request->route == SYMBL_LOCAL_ROUTE_CONVERSATION ||
          request->route == SYMBL_LOCAL_ROUTE_LEFT_OUT) &&
      !request_is_authorized (request)) {
    *message = g_strdup (TOKEN_FAILED_MESSAGE);
    return SOUP_STATUS_UNAUTHORIZED;
  }
  return 0;
}

/* The lines the server logs of @record, after its status line */
static void
add_notes (SymblRecordedRequest * record, GPtrArray * notes)
{
  g_autoptr (GString) text = g_string_new (record->notes);
  guint i;

  for (i = 0; i < notes->len; i++)
    g_string_append_printf (text, "%s  note: %s", text->len ? "\n" : "",
        (const gchar *) g_ptr_array_index (notes, i));
  g_free (record->notes);
  record->notes = text->len ? g_string_free (g_steal_pointer (&text), FALSE)
      : NULL;
}

guint
symbl_local_request_check_upload (SymblLocalRequest * request, gchar ** message)
{
  SoupMessageHeaders *headers =
      soup_server_message_get_request_headers (request->msg);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  guint status;

  if ((status = check_api_request (request, message)))
    return status;
  if (soup_message_headers_get_encoding (headers) !=
      SOUP_ENCODING_CONTENT_LENGTH) {
    *message = g_strdup ("Content-Length is required: the length of the "
        "body must be known before the upload (no chunked transfer)");
    return SOUP_STATUS_LENGTH_REQUIRED;
  }
  if (soup_message_headers_get_content_length (headers) == 0) {
    *message = g_strdup ("The request body is empty");
    return SOUP_STATUS_BAD_REQUEST;
  }
  if ((*message = symbl_local_check_content_type (request->is_video,
              soup_message_headers_get_one (headers, "Content-Type"))))
    return SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
  if ((*message = symbl_local_check_upload_params (request->record->params,
              request->record->query, &request->trackers, notes)))
    return SOUP_STATUS_BAD_REQUEST;
  add_notes (request->record, notes);
  if (request->resource_id &&
      !symbl_local_account_has_conversation (request->account,
          request->resource_id)) {
    *message = g_strdup_printf ("Conversation %s was not found",
        request->resource_id);
    return SOUP_STATUS_NOT_FOUND;
  }
  return 0;
}

/* Endpoints */

/* The speakers of a new conversation: channelMetadata (validated), when
 * per-channel recognition makes it count */
static JsonNode *
speakers_of (GHashTable * params)
{
  const gchar *channel_metadata = g_hash_table_lookup (params,
      SYMBL_API_CHANNEL_METADATA);

  if (!channel_metadata || g_strcmp0 (g_hash_table_lookup (params,
              SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL), "true") != 0)
    return NULL;
  return json_from_string (channel_metadata, NULL);
}

static void
answer_upload (SymblLocalRequest * request)
{
  SymblRecordedRequest *record = request->record;
  goffset content_length =
      soup_message_headers_get_content_length
      (soup_server_message_get_request_headers (request->msg));
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *conversation_id = NULL;
  g_autofree gchar *job_id = NULL;
  g_autofree gchar *message = NULL;
  g_autoptr (JsonNode) channel_metadata = NULL;

  if (request->body_write_failed) {
    symbl_local_request_refuse (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
        "The server could not store the body");
    return;
  }
  if (record->body_length != (guint64) content_length) {
    message = g_strdup_printf ("The body has %" G_GUINT64_FORMAT " bytes, "
        "Content-Length says %" G_GOFFSET_FORMAT, record->body_length,
        content_length);
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST, message);
    return;
  }
  if (!symbl_local_body_is_media (request->is_video, request->head,
          MIN (record->body_length, sizeof (request->head)))) {
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST,
        request->is_video ? "Unsupported media format: video must be MP4" :
        "Unsupported media format: audio must be WAV, MP3, FLAC, Ogg, "
        "AAC (ADTS), M4A, AMR, AC3, AIFF or WMA");
    return;
  }
  /* As Symbl: the account's job slots are counted once the body is in */
  if (!symbl_local_account_has_free_job_slot (request->account)) {
    message = too_many_jobs_message
        (symbl_local_account_get_max_concurrent_jobs (request->account));
    set_retry_after (request, request->jobs_retry_after_s);
    symbl_local_request_refuse (request, STATUS_TOO_MANY_REQUESTS, message);
    return;
  }

  if (!request->resource_id)
    channel_metadata = speakers_of (record->params);
  symbl_local_account_add_job (request->account, request->resource_id,
      g_hash_table_lookup (record->params, SYMBL_API_NAME), channel_metadata,
      request->trackers, request->fault &&
      request->fault->kind == SYMBL_FAULT_JOB_FAILS, &conversation_id, &job_id);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "conversationId");
  json_builder_add_string_value (builder, conversation_id);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  answer_json (request, SOUP_STATUS_CREATED, root);
}

static void
answer_token (SymblLocalRequest * request)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autofree gchar *token = NULL;
  JsonNode *credentials = NULL;
  const gchar *app_id, *app_secret;
  guint expires_in;

  if (request->small_body->len > 0 &&
      json_parser_load_from_data (parser,
          (const gchar *) request->small_body->data, request->small_body->len,
          NULL))
    credentials = json_parser_get_root (parser);
  if (!credentials || !JSON_NODE_HOLDS_OBJECT (credentials)) {
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST,
        "The body must be a JSON object: {\"type\": \"application\", "
        "\"appId\": \"...\", \"appSecret\": \"...\"}");
    return;
  }
  if (g_strcmp0 (symbl_local_json_string_member (credentials, "type"),
          "application") != 0) {
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST,
        "\"type\" must be \"application\"");
    return;
  }
  app_id = symbl_local_json_string_member (credentials, "appId");
  app_secret = symbl_local_json_string_member (credentials, "appSecret");
  if (!app_id || !app_secret) {
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST,
        "\"appId\" and \"appSecret\" are required strings");
    return;
  }
  if (!symbl_local_account_check_credentials (request->account, app_id,
          app_secret)) {
    symbl_local_request_refuse (request, SOUP_STATUS_UNAUTHORIZED,
        "Invalid appId or appSecret");
    return;
  }

  token = symbl_local_account_new_token (request->account, &expires_in);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accessToken");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expiresIn");
  json_builder_add_int_value (builder, expires_in);
  json_builder_end_object (builder);
  reply = json_builder_get_root (builder);
  answer_json (request, SOUP_STATUS_OK, reply);
}

static void
answer_job (SymblLocalRequest * request)
{
  const gchar *status = symbl_local_account_get_job_status
      (request->account, request->resource_id);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *message = NULL;

  if (!status) {
    message = g_strdup_printf ("Job %s was not found", request->resource_id);
    symbl_local_request_refuse (request, SOUP_STATUS_NOT_FOUND, message);
    return;
  }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, request->resource_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  answer_json (request, SOUP_STATUS_OK, root);
}

static void
answer_trackers_detected (SymblLocalRequest * request)
{
  g_autoptr (JsonNode) detected =
      symbl_local_account_get_trackers_detected (request->account,
      request->resource_id);
  g_autofree gchar *message = NULL;

  if (!detected) {
    message = g_strdup_printf ("Conversation %s was not found",
        request->resource_id);
    symbl_local_request_refuse (request, SOUP_STATUS_NOT_FOUND, message);
    return;
  }
  answer_json (request, SOUP_STATUS_OK, detected);
}

static void
answer_conversation (SymblLocalRequest * request)
{
  g_autoptr (JsonNode) reply =
      symbl_local_account_get_conversation_reply (request->account,
      request->resource_id, request->conversation_part);
  g_autofree gchar *message = NULL;

  if (!reply) {
    message = g_strdup_printf ("Conversation %s was not found",
        request->resource_id);
    symbl_local_request_refuse (request, SOUP_STATUS_NOT_FOUND, message);
    return;
  }
  answer_json (request, SOUP_STATUS_OK, reply);
}

static void
answer_local_faults (SymblLocalRequest * request)
{
  g_autofree gchar *text = g_strndup ((const gchar *) request->small_body->data,
      request->small_body->len);
  g_autoptr (GError) error = NULL;

  /* `curl --data-binary @file` keeps the file's last newline */
  g_strchomp (text);
  if (!symbl_local_server_add_fault_text (request->server, text, &error))
    symbl_local_request_refuse (request, SOUP_STATUS_BAD_REQUEST,
        error->message);
  else
    answer (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

static gboolean
is_secret_header (const gchar * name)
{
  return g_str_equal (name, "authorization") || g_str_equal (name, "x-api-key");
}

static void
add_string_table (JsonBuilder * builder, GHashTable * table,
    gboolean redact_secrets)
{
  GList *names = g_list_sort (g_hash_table_get_keys (table),
      (GCompareFunc) strcmp);
  GList *link;

  json_builder_begin_object (builder);
  for (link = names; link; link = link->next) {
    const gchar *name = link->data;

    json_builder_set_member_name (builder, name);
    json_builder_add_string_value (builder, redact_secrets &&
        is_secret_header (name) ? REDACTED :
        (const gchar *) g_hash_table_lookup (table, name));
  }
  json_builder_end_object (builder);
  g_list_free (names);
}

/* Generated tokens are secrets too */
static gchar *
redact_reply (const gchar * reply)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!reply || !json_parser_load_from_data (parser, reply, -1, NULL) ||
      !(root = json_parser_get_root (parser)) ||
      !symbl_local_json_string_member (root, "accessToken"))
    return g_strdup (reply);
  json_object_set_string_member (json_node_get_object (root), "accessToken",
      REDACTED);
  return json_to_string (root, FALSE);
}

static void
add_recorded_request (JsonBuilder * builder,
    const SymblRecordedRequest * recorded)
{
  g_autofree gchar *reply = redact_reply (recorded->reply);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, recorded->method);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, recorded->path);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, recorded->query);
  json_builder_set_member_name (builder, "params");
  add_string_table (builder, recorded->params, FALSE);
  json_builder_set_member_name (builder, "headers");
  add_string_table (builder, recorded->headers, TRUE);
  json_builder_set_member_name (builder, "bodyPath");
  json_builder_add_string_value (builder, recorded->body_path);
  json_builder_set_member_name (builder, "bodyLength");
  json_builder_add_int_value (builder, recorded->body_length);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, recorded->status);
  json_builder_set_member_name (builder, "reply");
  json_builder_add_string_value (builder, reply);
  json_builder_set_member_name (builder, "notes");
  json_builder_add_string_value (builder, recorded->notes);
  json_builder_end_object (builder);
}

static void
answer_local_requests (SymblLocalRequest * request)
{
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  guint i;

  if (g_str_equal (request->record->method, "DELETE")) {
    symbl_local_server_clear_requests (request->server);
    answer (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    return;
  }

  requests = symbl_local_server_get_requests (request->server);
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (i = 0; i < requests->len; i++)
    add_recorded_request (builder, g_ptr_array_index (requests, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  answer_json (request, SOUP_STATUS_OK, root);
}

void
symbl_local_request_answer (SymblLocalRequest * request)
{
  g_autofree gchar *message = NULL;
  guint status;

  if (request->deferred_status) {
    symbl_local_request_refuse (request, request->deferred_status,
        request->deferred_message);
    return;
  }
  if (request->small_body &&
      request->record->body_length > request->small_body->len) {
    symbl_local_request_refuse (request,
        SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "The request body is too large");
    return;
  }
  if (!request->is_local && request->route != SYMBL_LOCAL_ROUTE_UPLOAD &&
      (status = check_api_request (request, &message))) {
    symbl_local_request_refuse (request, status, message);
    return;
  }

  switch (request->route) {
    case SYMBL_LOCAL_ROUTE_UPLOAD:
      answer_upload (request);
      break;
    case SYMBL_LOCAL_ROUTE_TOKEN:
      answer_token (request);
      break;
    case SYMBL_LOCAL_ROUTE_JOB:
      answer_job (request);
      break;
    case SYMBL_LOCAL_ROUTE_TRACKERS:
      answer_trackers_detected (request);
      break;
    case SYMBL_LOCAL_ROUTE_CONVERSATION:
      answer_conversation (request);
      break;
    case SYMBL_LOCAL_ROUTE_LEFT_OUT:
      message = g_strdup_printf ("%s is not served by symbl-local-server "
          "(docs/local-server.md lists what is)", request->left_out);
      symbl_local_request_refuse (request, SOUP_STATUS_NOT_IMPLEMENTED,
          message);
      break;
    case SYMBL_LOCAL_ROUTE_LOCAL_FAULTS:
      answer_local_faults (request);
      break;
    case SYMBL_LOCAL_ROUTE_LOCAL_REQUESTS:
      answer_local_requests (request);
      break;
    case SYMBL_LOCAL_ROUTE_NOT_FOUND:
      message = g_strdup_printf ("No endpoint for %s %s",
          request->record->method, request->record->path);
      symbl_local_request_refuse (request, SOUP_STATUS_NOT_FOUND, message);
      break;
  }
}
