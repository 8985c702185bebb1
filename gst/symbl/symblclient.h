/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblclient: the Symbl REST API over HTTP (libsoup 3).
 *
 * Knows URLs, headers and Symbl's JSON; knows nothing of GStreamer pads.
 * A client is created and configured in one thread; since libsoup 3.2 its
 * requests may then be sent from any thread (the streaming thread at EOS).
 * Every call takes a GCancellable: cancelling it ends the call at once.
 * No secret reaches a log line or an error text.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SYMBL_CLIENT_ERROR (symbl_client_error_quark ())
GQuark symbl_client_error_quark (void);

typedef enum
{
  SYMBL_CLIENT_ERROR_SETTINGS,        /* api-url, proxy or TLS settings unusable */
  SYMBL_CLIENT_ERROR_HTTP_STATUS,     /* the API answered an error status */
  SYMBL_CLIENT_ERROR_MALFORMED_REPLY, /* a success status, a reply we can't use */
} SymblClientError;

typedef struct _SymblClient SymblClient;

typedef struct
{
  const gchar *user_agent;
  guint timeout_s;              /* idle I/O timeout; 0: none */
  gboolean ssl_strict;          /* refuse certificates that fail checks */
  const gchar *ssl_ca_file;     /* trust these CAs instead of the system's */
  const gchar *proxy;           /* NULL: the environment's settings */
} SymblClientOptions;

/* Checks @api_url (https, or http to a loopback host only: a token never
 * travels in clear over a network) and prepares a session. */
SymblClient *symbl_client_new (const gchar * api_url,
    const SymblClientOptions * options, GError ** error);
void symbl_client_free (SymblClient * client);

/* The API's base URL as the user gave it, without a trailing slash. */
const gchar *symbl_client_get_api_url (SymblClient * client);

/* Appends name=value to an encoded query string. */
void symbl_client_append_query (GString * query, const gchar * name,
    const gchar * value);

/* What the server said, for errors and retries. */
typedef struct
{
  guint status;                 /* 0: no response arrived */
  gchar *api_message;           /* the "message" of an error reply */
  gint retry_after_s;           /* Retry-After in seconds, -1: absent */
  gboolean body_sent;           /* an upload's whole body went out */
} SymblResponse;

/* What a SymblResponse starts as: no answer yet. */
#define SYMBL_RESPONSE_INIT { 0, NULL, -1, FALSE }

void symbl_response_clear (SymblResponse * response);

/* One file upload to POST /v1/process/{audio,video}, or PUT .../{id}. */
typedef struct
{
  const gchar *endpoint;        /* "audio" or "video" */
  const gchar *conversation_id; /* non-NULL: append with PUT */
  const gchar *query;           /* encoded query, without '?', or NULL */
  const gchar *token;
  const gchar *content_type;    /* NULL: no Content-Type header */
  const gchar *file;            /* the body, streamed from disk */
  guint64 size;
} SymblSubmission;

typedef struct
{
  gchar *conversation_id;
  gchar *job_id;
} SymblJobIds;

void symbl_job_ids_clear (SymblJobIds * ids);

/* Called from the sending thread as the body goes out: @sent counts the
 * bytes taken to be written, so @sent == @total comes just before the
 * last of them are (symblbodystream.h). */
typedef void (*SymblProgressFunc) (guint64 sent, guint64 total,
    gpointer user_data);

gboolean symbl_client_submit (SymblClient * client,
    const SymblSubmission * submission, SymblProgressFunc progress,
    gpointer progress_data, SymblJobIds * ids, SymblResponse * response,
    GCancellable * cancellable, GError ** error);

/* The two readings symbl_client_submit makes of a reply body of @length
 * bytes (not nul-terminated), public so that the fuzzers drive them.
 * The ids of an upload's reply; FALSE with SYMBL_CLIENT_ERROR_MALFORMED_REPLY
 * and @ids left unset when it has none. */
gboolean symbl_client_parse_job_reply (const gchar * data, gsize length,
    SymblJobIds * ids, GError ** error);
/* What an error reply says: its JSON "message", or the start of the body
 * as valid UTF-8 on one line; NULL for an empty body. */
gchar *symbl_client_reply_message (const gchar * data, gsize length);

/* The readings of the token and job replies, public for the fuzzers too:
 * FALSE with SYMBL_CLIENT_ERROR_MALFORMED_REPLY when a member is missing,
 * of the wrong type, or a token that cannot go into a header. */
gboolean symbl_client_parse_token_reply (const gchar * data, gsize length,
    gchar ** token, gint64 * expires_in_s, GError ** error);
gboolean symbl_client_parse_job_status_reply (const gchar * data,
    gsize length, gchar ** status, GError ** error);

/* POST /oauth2/token:generate with app credentials. */
gboolean symbl_client_generate_token (SymblClient * client,
    const gchar * app_id, const gchar * app_secret, gchar ** token,
    gint64 * expires_in_s, SymblResponse * response,
    GCancellable * cancellable, GError ** error);

/* GET /v1/job/{jobId}: "scheduled", "in_progress", "completed" or
 * "failed". */
gboolean symbl_client_get_job_status (SymblClient * client,
    const gchar * token, const gchar * job_id, gchar ** status,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

/* GET /v1/conversations/{conversationId}/trackers-detected: the JSON array
 * as the API returned it. */
gboolean symbl_client_get_trackers_detected (SymblClient * client,
    const gchar * token, const gchar * conversation_id, gchar ** trackers,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

/* Whether the API can be reached: its name resolved, a connection made
 * (through the proxy, if any) and, for https, its certificate taken. No
 * request is sent. */
gboolean symbl_client_probe (SymblClient * client, GCancellable * cancellable,
    GError ** error);

/* The URL a submission goes to, without its query: for messages. */
gchar *symbl_client_describe (SymblClient * client,
    const SymblSubmission * submission);

G_END_DECLS
