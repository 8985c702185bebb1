/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the server, its thread and the life of a request.
 *
 * A request goes through three steps on the server thread:
 *  - its headers are in (early handler): route it, take a fault, check
 *    everything the headers and query decide, and open the file its body
 *    streams into;
 *  - each body chunk (got-chunk): append to the file, or cut the
 *    connection for a DROP fault;
 *  - its body is in (handler): check the body, then answer, or stall.
 * It is recorded exactly once: when its answer's headers are written
 * (wrote-headers), so before its client can have read the answer; or,
 * unanswered, when it is dropped or its client goes (request-aborted).
 * What the API checks and answers is symbllocalapi.c's business.
 */
#include "symbllocalserver.h"

#include "symbllocalapi.h"
#include "symbllocalfaults.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define REQUEST_KEY "symbl-local-request"
/* Bodies of the JSON and text endpoints are kept in memory up to this */
#define SMALL_BODY_LIMIT (1024 * 1024)
/* Fifty clients connecting at once must not overflow the accept queue */
#define LISTEN_BACKLOG 128

struct _SymblLocalServer
{
  /* Set by start, read-only while serving */
  gchar *address;
  guint port;
  gchar *url;
  gchar *store_dir;
  gboolean own_store_dir;
  gsize max_url_length;
  guint jobs_retry_after_s;
  gchar *tls_cert_file;
  gchar *tls_key_file;
  gboolean quiet;
  gboolean discard_bodies;

  /* The server thread's own */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  GSocket *listener;
  GSource *accept_source;
  GTlsCertificate *certificate;
  SymblLocalAccount *account;
  GList *stalled;               /* StalledRequest */
  GList *raw_answers;           /* RawAnswer */
  guint body_counter;

  /* Shared between threads, under lock */
  GMutex lock;
  guint uploads_in_flight;      /* from their headers to their answer */
  guint peak_uploads;
  GCond started_cond;
  gboolean started;
  GError *start_error;
  GQueue faults;                /* SymblFault, oldest first */
  GPtrArray *requests;          /* SymblRecordedRequest, in finishing order */
  GCond requests_cond;
};

typedef struct
{
  SymblLocalServer *server;
  SoupServerMessage *msg;
  GSource *timeout;             /* NULL: stalled until the server stops */
} StalledRequest;

/* An answer written on a connection taken from libsoup: early, before
 * the body is read (the connection then stays open), or a byte at a
 * time */
typedef struct
{
  SymblLocalServer *server;
  GIOStream *stream;
  gchar *text;
  gsize written;
  GSource *timer;               /* NULL: all of it at once */
} RawAnswer;

/* Recorded requests */

static GHashTable *
new_string_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
copy_string_table (GHashTable * table)
{
  GHashTable *copy = new_string_table ();
  GHashTableIter iter;
  gpointer key, value;

  if (table) {
    g_hash_table_iter_init (&iter, table);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  }
  return copy;
}

void
symbl_recorded_request_free (SymblRecordedRequest * request)
{
  if (!request)
    return;
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->params, g_hash_table_unref);
  g_clear_pointer (&request->headers, g_hash_table_unref);
  g_free (request->body_path);
  g_free (request->reply);
  g_free (request->notes);
  g_free (request);
}

static SymblRecordedRequest *
recorded_request_copy (const SymblRecordedRequest * request)
{
  SymblRecordedRequest *copy = g_new0 (SymblRecordedRequest, 1);

  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->query = g_strdup (request->query);
  copy->params = copy_string_table (request->params);
  copy->headers = copy_string_table (request->headers);
  copy->body_path = g_strdup (request->body_path);
  copy->body_length = request->body_length;
  copy->status = request->status;
  copy->reply = g_strdup (request->reply);
  copy->notes = g_strdup (request->notes);
  return copy;
}

static void
add_header (const char *name, const char *value, gpointer user_data)
{
  GHashTable *headers = user_data;
  gchar *key = g_ascii_strdown (name, -1);
  const gchar *previous = g_hash_table_lookup (headers, key);

  /* A repeated header reads as one comma-separated list, as HTTP says */
  g_hash_table_replace (headers, key, previous ?
      g_strconcat (previous, ", ", value, NULL) : g_strdup (value));
}

/* Requests */

static SymblLocalRequest *
request_new (SymblLocalServer * server, SoupServerMessage * msg,
    const gchar * path, GHashTable * query)
{
  SymblLocalRequest *request = g_new0 (SymblLocalRequest, 1);
  SymblRecordedRequest *record = g_new0 (SymblRecordedRequest, 1);

  record->method = g_strdup (soup_server_message_get_method (msg));
  record->path = g_strdup (path);
  record->query = g_strdup (g_uri_get_query (soup_server_message_get_uri
          (msg)));
  record->params = copy_string_table (query);
  record->headers = new_string_table ();
  soup_message_headers_foreach (soup_server_message_get_request_headers
      (msg), add_header, record->headers);

  request->server = server;
  request->account = server->account;
  request->max_url_length = server->max_url_length;
  request->jobs_retry_after_s = server->jobs_retry_after_s;
  request->msg = msg;
  request->record = record;
  request->body_fd = -1;
  symbl_local_request_route (request);
  if (request->route != SYMBL_LOCAL_ROUTE_UPLOAD)
    request->small_body = g_byte_array_new ();
  return request;
}

static void
close_body_file (SymblLocalRequest * request)
{
  if (request->body_fd >= 0) {
    close (request->body_fd);
    request->body_fd = -1;
  }
}

static void
request_free (SymblLocalRequest * request)
{
  close_body_file (request);
  symbl_recorded_request_free (request->record);
  g_free (request->resource_id);
  g_free (request->conversation_part);
  g_free (request->left_out);
  symbl_fault_free (request->fault);
  g_clear_pointer (&request->trackers, json_node_unref);
  g_free (request->deferred_message);
  g_clear_pointer (&request->small_body, g_byte_array_unref);
  g_free (request);
}

static SymblLocalRequest *
get_request (SoupServerMessage * msg)
{
  return g_object_get_data (G_OBJECT (msg), REQUEST_KEY);
}

/* Records @request once, whatever ends it first */
static void
finish_request (SymblLocalRequest * request, guint status)
{
  SymblLocalServer *server = request->server;
  SymblRecordedRequest *record = request->record;

  if (!record)
    return;
  request->record = NULL;
  close_body_file (request);
  record->status = status;

  /* Method and path only: tokens travel in headers, never logged */
  if (!server->quiet)
    g_printerr ("%s %s -> %u (%" G_GUINT64_FORMAT " bytes)\n%s%s",
        record->method, record->path, status, record->body_length,
        record->notes ? record->notes : "", record->notes ? "\n" : "");

  if (request->is_local) {
    symbl_recorded_request_free (record);
    return;
  }
  g_mutex_lock (&server->lock);
  if (request->route == SYMBL_LOCAL_ROUTE_UPLOAD)
    server->uploads_in_flight--;
  g_ptr_array_add (server->requests, record);
  g_cond_broadcast (&server->requests_cond);
  g_mutex_unlock (&server->lock);
}

/* Bodies */

static gboolean
open_body_file (SymblLocalRequest * request, GError ** error)
{
  SymblLocalServer *server = request->server;
  guint attempt;

  if (server->discard_bodies)
    return TRUE;
  /* A store directory given by the user may hold the files of an earlier
   * run: skip their names rather than overwrite them */
  for (attempt = 0; attempt < 100000; attempt++) {
    g_autofree gchar *name = g_strdup_printf ("%u-%s-%s.body",
        ++server->body_counter, request->record->method,
        request->is_video ? "video" : "audio");
    g_autofree gchar *path = g_build_filename (server->store_dir, name, NULL);
    gint fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    gint saved_errno = errno;

    if (fd >= 0) {
      request->body_fd = fd;
      request->record->body_path = g_steal_pointer (&path);
      return TRUE;
    }
    if (saved_errno != EEXIST) {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
          "cannot create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
      "no free body file name in %s", server->store_dir);
  return FALSE;
}

static gboolean
write_all (gint fd, const guint8 * data, gsize length)
{
  while (length > 0) {
    gssize written = write (fd, data, length);

    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return FALSE;
    data += written;
    length -= written;
  }
  return TRUE;
}

static void
keep_body_bytes (SymblLocalRequest * request, const guint8 * data, gsize length)
{
  SymblRecordedRequest *record = request->record;

  if (record->body_length < sizeof (request->head))
    memcpy (request->head + record->body_length, data,
        MIN (length, sizeof (request->head) - record->body_length));

  if (request->body_fd >= 0) {
    if (!write_all (request->body_fd, data, length)) {
      request->body_write_failed = TRUE;
      close_body_file (request);
    }
  } else if (request->small_body &&
      request->small_body->len + length <= SMALL_BODY_LIMIT) {
    g_byte_array_append (request->small_body, data, length);
  }
  record->body_length += length;
}

/* Cuts the connection under the client's feet (DROP faults, stop) */
static void
drop_connection (SymblLocalRequest * request)
{
  g_autoptr (SoupServerMessage) msg = g_object_ref (request->msg);
  GIOStream *stream;

  finish_request (request, 0);
  /* From here @request may go with the message */
  stream = soup_server_message_steal_connection (msg);
  if (stream) {
    g_io_stream_close (stream, NULL, NULL);
    g_object_unref (stream);
  }
}

static void
on_got_chunk (SoupServerMessage * msg, GBytes * chunk,
    SymblLocalRequest * request)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);
  gboolean drop_now = FALSE;

  if (!request->record)
    return;
  if (request->fault && request->fault->kind == SYMBL_FAULT_DROP) {
    guint64 room = request->fault->after_bytes - request->record->body_length;

    if (length >= room) {
      length = room;
      drop_now = TRUE;
    }
  }
  keep_body_bytes (request, data, length);
  if (drop_now)
    drop_connection (request);
  else if (request->fault && request->fault->kind == SYMBL_FAULT_HOLD
      && request->record->body_length >= request->fault->after_bytes
      && !request->held) {
    /* Read no more: the client's writes fill the socket's buffers and
     * wait there, until the connection goes. */
    request->held = TRUE;
    soup_server_message_pause (msg);
  }
}

/* Raw answers */

static void
raw_answer_free (RawAnswer * raw)
{
  if (raw->timer) {
    g_source_destroy (raw->timer);
    g_source_unref (raw->timer);
  }
  g_io_stream_close (raw->stream, NULL, NULL);
  g_object_unref (raw->stream);
  g_free (raw->text);
  g_free (raw);
}

static void
raw_answer_done (RawAnswer * raw)
{
  raw->server->raw_answers = g_list_remove (raw->server->raw_answers, raw);
  raw_answer_free (raw);
}

/* Writes the next byte, or what is left: FALSE once written or failed */
static gboolean
write_raw_answer (RawAnswer * raw)
{
  GOutputStream *output = g_io_stream_get_output_stream (raw->stream);
  gsize length = strlen (raw->text) - raw->written;
  gsize written = 0;

  if (raw->timer)
    length = MIN (length, 1);
  if (!g_output_stream_write_all (output, raw->text + raw->written, length,
          &written, NULL, NULL))
    return FALSE;
  raw->written += written;
  return raw->written < strlen (raw->text);
}

static gboolean
on_raw_answer_tick (gpointer user_data)
{
  RawAnswer *raw = user_data;

  if (write_raw_answer (raw))
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&raw->timer, g_source_unref);
  raw_answer_done (raw);
  return G_SOURCE_REMOVE;
}

/* Takes @request's connection from libsoup and writes the answer the API
 * gave it (status and body, already set) on it: at once, or a byte every
 * @interval_ms. Recorded now, as it starts. */
static void
answer_raw (SymblLocalRequest * request, guint interval_ms, gboolean keep_open)
{
  SymblLocalServer *server = request->server;
  g_autoptr (SoupServerMessage) msg = g_object_ref (request->msg);
  guint status = soup_server_message_get_status (msg);
  const gchar *reply = request->record->reply ? request->record->reply : "";
  RawAnswer *raw;
  GIOStream *stream;

  raw = g_new0 (RawAnswer, 1);
  raw->server = server;
  raw->text = g_strdup_printf ("HTTP/1.1 %u %s\r\nServer: symbl-local-server"
      "\r\nContent-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
      "\r\nConnection: %s\r\n\r\n%s", status, soup_status_get_phrase (status),
      strlen (reply), keep_open ? "keep-alive" : "close", reply);
  finish_request (request, status);
  /* From here @request may go with the message */
  stream = soup_server_message_steal_connection (msg);
  if (!stream) {
    g_free (raw->text);
    g_free (raw);
    return;
  }
  raw->stream = stream;
  server->raw_answers = g_list_prepend (server->raw_answers, raw);
  if (interval_ms) {
    raw->timer = g_timeout_source_new (interval_ms);
    g_source_set_callback (raw->timer, on_raw_answer_tick, raw, NULL);
    g_source_attach (raw->timer, server->context);
  } else if (!write_raw_answer (raw) && !keep_open) {
    raw_answer_done (raw);
  }
}

static void
close_raw_answers (SymblLocalServer * server)
{
  g_list_free_full (g_steal_pointer (&server->raw_answers),
      (GDestroyNotify) raw_answer_free);
}

/* Stalls */

static void
stalled_request_free (StalledRequest * stalled)
{
  if (stalled->timeout) {
    g_source_destroy (stalled->timeout);
    g_source_unref (stalled->timeout);
  }
  g_object_unref (stalled->msg);
  g_free (stalled);
}

static gboolean
end_stall (gpointer user_data)
{
  StalledRequest *stalled = user_data;
  SymblLocalRequest *request = get_request (stalled->msg);

  stalled->server->stalled = g_list_remove (stalled->server->stalled, stalled);
  /* The client may have gone meanwhile */
  if (request->record) {
    symbl_local_request_answer (request);
    soup_server_message_unpause (stalled->msg);
  }
  stalled_request_free (stalled);
  return G_SOURCE_REMOVE;
}

static void
stall_request (SymblLocalRequest * request)
{
  StalledRequest *stalled = g_new0 (StalledRequest, 1);

  stalled->server = request->server;
  stalled->msg = g_object_ref (request->msg);
  soup_server_message_pause (request->msg);
  if (request->fault->stall_ms) {
    stalled->timeout = g_timeout_source_new (request->fault->stall_ms);
    g_source_set_callback (stalled->timeout, end_stall, stalled, NULL);
    g_source_attach (stalled->timeout, request->server->context);
  }
  request->server->stalled = g_list_prepend (request->server->stalled, stalled);
}

static void
drop_stalled_requests (SymblLocalServer * server)
{
  GList *stalled = g_steal_pointer (&server->stalled);
  GList *link;

  for (link = stalled; link; link = link->next) {
    StalledRequest *stalled_request = link->data;
    SymblLocalRequest *request = get_request (stalled_request->msg);

    if (request->record)
      drop_connection (request);
    stalled_request_free (stalled_request);
  }
  g_list_free (stalled);
}

/* libsoup callbacks, all on the server thread */

static gboolean
fault_replaces_answer (const SymblFault * fault)
{
  return fault->kind == SYMBL_FAULT_STATUS ||
      fault->kind == SYMBL_FAULT_REPLY || fault->kind == SYMBL_FAULT_DROP;
}

static void
on_wrote_headers (SoupServerMessage * msg, SymblLocalRequest * request)
{
  finish_request (request, soup_server_message_get_status (msg));
}

static void
on_request_headers (SoupServer * soup, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  SymblLocalServer *server = user_data;
  SymblLocalRequest *request = request_new (server, msg, path, query);
  g_autofree gchar *message = NULL;
  g_autoptr (GError) error = NULL;
  guint status;

  g_object_set_data_full (G_OBJECT (msg), REQUEST_KEY, request,
      (GDestroyNotify) request_free);
  /* Bodies never pile up in memory: chunks go to a file as they come */
  soup_message_body_set_accumulate (soup_server_message_get_request_body
      (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), request);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers),
      request);
  /* No keep-alive: libsoup 3.2 never closes an idle connection that its
   * client closed, so each would hold a descriptor until the server
   * stops. It also keeps a client that sends its body after an early
   * refusal from having that body read as its next request. */
  soup_message_headers_replace (soup_server_message_get_response_headers
      (msg), "Connection", "close");
  if (request->is_local)
    return;

  g_mutex_lock (&server->lock);
  request->fault = symbl_fault_queue_take (&server->faults, path,
      request->route == SYMBL_LOCAL_ROUTE_UPLOAD);
  if (request->route == SYMBL_LOCAL_ROUTE_UPLOAD) {
    server->uploads_in_flight++;
    server->peak_uploads = MAX (server->peak_uploads,
        server->uploads_in_flight);
  }
  g_mutex_unlock (&server->lock);

  if (request->fault && request->fault->kind == SYMBL_FAULT_EARLY) {
    g_autofree gchar *early = g_strdup_printf ("injected %u before the "
        "body", request->fault->status);

    symbl_local_request_refuse (request, request->fault->status, early);
    answer_raw (request, 0, TRUE);
    return;
  }
  if (request->fault && request->fault->kind == SYMBL_FAULT_NO_CONTINUE &&
      (soup_message_headers_get_expectations
          (soup_server_message_get_request_headers (msg)) &
          SOUP_EXPECTATION_CONTINUE)) {
    /* libsoup answers 100 by itself once this handler returns, unless
     * the message is paused: it never is unpaused, and the body a client
     * sends anyway is never read (docs/local-server.md) */
    stall_request (request);
    return;
  }
  if (request->fault && fault_replaces_answer (request->fault)) {
    /* No checks, but keep what arrives as for any upload */
    if (request->route == SYMBL_LOCAL_ROUTE_UPLOAD &&
        !open_body_file (request, &error))
      g_warning ("symbl-local-server: %s", error->message);
    if (request->fault->kind == SYMBL_FAULT_DROP &&
        request->fault->after_bytes == 0)
      drop_connection (request);
    return;
  }
  if (request->route != SYMBL_LOCAL_ROUTE_UPLOAD)
    return;                     /* decided once the (small) body is in */

  status = symbl_local_request_check_upload (request, &message);
  if (status && request->fault && request->fault->kind == SYMBL_FAULT_STALL) {
    /* A stalled refusal comes late too */
    request->deferred_status = status;
    request->deferred_message = g_steal_pointer (&message);
  } else if (status) {
    /* Refused before the body: libsoup still reads (and we drop) the body
     * of a client that did not send "Expect: 100-continue"; one that did
     * never sends it */
    symbl_local_request_refuse (request, status, message);
  } else if (!open_body_file (request, &error)) {
    symbl_local_request_refuse (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
        error->message);
  }
}

static void
on_request_body (SoupServer * soup, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  SymblLocalRequest *request = get_request (msg);

  g_return_if_fail (request != NULL);
  close_body_file (request);

  switch (request->fault ? request->fault->kind : SYMBL_FAULT_JOB_FAILS) {
    case SYMBL_FAULT_STATUS:
    case SYMBL_FAULT_REPLY:
      symbl_local_request_answer_fault (request);
      break;
    case SYMBL_FAULT_DROP:
      /* The body ended before after_bytes */
      drop_connection (request);
      break;
    case SYMBL_FAULT_STALL:
    case SYMBL_FAULT_HOLD:     /* the body was shorter than the hold */
      stall_request (request);
      break;
    case SYMBL_FAULT_TRICKLE:
      symbl_local_request_answer (request);
      answer_raw (request, request->fault->stall_ms, FALSE);
      break;
    case SYMBL_FAULT_EARLY:    /* answered at the headers */
    case SYMBL_FAULT_NO_CONTINUE:
    case SYMBL_FAULT_JOB_FAILS:
      symbl_local_request_answer (request);
      break;
  }
}

static void
on_request_aborted (SoupServer * soup, SoupServerMessage * msg,
    gpointer user_data)
{
  SymblLocalRequest *request = get_request (msg);

  if (request)
    finish_request (request, 0);
}

/* Lifecycle */

static GInetAddress *
parse_address (const gchar * text, GError ** error)
{
  GInetAddress *address;

  if (g_str_equal (text, "localhost"))
    return g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_address_new_from_string (text);
  if (!address)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "\"%s\" is not an IP address", text);
  return address;
}

static gchar *
make_url (GInetAddress * address, guint port, gboolean https)
{
  GSocketFamily family = g_inet_address_get_family (address);
  g_autoptr (GInetAddress) loopback = NULL;
  g_autofree gchar *host = NULL;

  /* Clients cannot connect to "any": point them at loopback */
  if (g_inet_address_get_is_any (address))
    address = loopback = g_inet_address_new_loopback (family);
  host = g_inet_address_to_string (address);
  return g_strdup_printf (family == G_SOCKET_FAMILY_IPV6 ? "%s://[%s]:%u" :
      "%s://%s:%u", https ? "https" : "http", host, port);
}

/* Connections are accepted here and handed to libsoup, rather than by
 * soup_server_listen_socket (): libsoup 3.2's listener keeps a reference
 * to every socket it accepts, and a connection whose close fails (an
 * operation is still pending on it, as after "Expect: 100-continue")
 * closes its socket only when the last reference goes. Each such
 * connection stayed in CLOSE-WAIT until the server stopped. */
static GIOStream *
new_connection_stream (SymblLocalServer * server, GSocket * socket,
    GError ** error)
{
  GIOStream *plain = G_IO_STREAM
      (g_socket_connection_factory_create_connection (socket));
  GIOStream *tls;

  if (!server->certificate)
    return plain;
  tls = g_tls_server_connection_new (plain, server->certificate, error);
  g_object_unref (plain);
  if (tls)
    g_object_set (tls, "require-close-notify", FALSE, NULL);
  return tls;
}

static gboolean
accept_connection (SymblLocalServer * server, GError ** error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSocketAddress) remote = NULL;

  if (!(socket = g_socket_accept (server->listener, NULL, error)))
    return FALSE;
  /* As libsoup's own listener does: answers go out as they are written */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  return (stream = new_connection_stream (server, socket, error)) &&
      (local = g_socket_get_local_address (socket, error)) &&
      (remote = g_socket_get_remote_address (socket, error)) &&
      soup_server_accept_iostream (server->soup, stream, local, remote, error);
}

static gboolean
on_incoming_connection (GSocket * listener, GIOCondition condition,
    gpointer user_data)
{
  SymblLocalServer *server = user_data;
  g_autoptr (GError) error = NULL;

  /* A client that gave up before its turn is no one's business */
  if (!accept_connection (server, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    g_warning ("symbl-local-server: cannot accept a connection: %s",
        error->message);
  return G_SOURCE_CONTINUE;
}

static gboolean
listen_on (SymblLocalServer * server, GInetAddress * inet_address,
    GError ** error)
{
  g_autoptr (GSocketAddress) address =
      g_inet_socket_address_new (inet_address, server->port);

  server->listener = g_socket_new (g_inet_address_get_family (inet_address),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (!server->listener)
    return FALSE;
  g_socket_set_blocking (server->listener, FALSE);
  g_socket_set_listen_backlog (server->listener, LISTEN_BACKLOG);
  if (!g_socket_bind (server->listener, address, TRUE, error) ||
      !g_socket_listen (server->listener, error))
    return FALSE;

  server->accept_source = g_socket_create_source (server->listener, G_IO_IN,
      NULL);
  g_source_set_callback (server->accept_source,
      (GSourceFunc) G_CALLBACK (on_incoming_connection), server, NULL);
  g_source_attach (server->accept_source, server->context);
  return TRUE;
}

static gboolean
start_listening (SymblLocalServer * server, GError ** error)
{
  g_autoptr (GInetAddress) inet_address = NULL;
  g_autoptr (GSocketAddress) bound = NULL;

  if (server->tls_cert_file) {
    server->certificate =
        g_tls_certificate_new_from_files (server->tls_cert_file,
        server->tls_key_file, error);
    if (!server->certificate)
      return FALSE;
  }
  if (!(inet_address = parse_address (server->address, error)))
    return FALSE;

  server->soup = soup_server_new ("server-header", "symbl-local-server ", NULL);
  soup_server_add_early_handler (server->soup, NULL, on_request_headers,
      server, NULL);
  soup_server_add_handler (server->soup, NULL, on_request_body, server, NULL);
  g_signal_connect (server->soup, "request-aborted",
      G_CALLBACK (on_request_aborted), server);

  if (!listen_on (server, inet_address, error) ||
      !(bound = g_socket_get_local_address (server->listener, error)))
    return FALSE;

  server->url = make_url (inet_address,
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
      server->certificate != NULL);
  return TRUE;
}

static void
stop_serving (SymblLocalServer * server)
{
  drop_stalled_requests (server);
  close_raw_answers (server);
  if (server->accept_source) {
    g_source_destroy (server->accept_source);
    g_clear_pointer (&server->accept_source, g_source_unref);
  }
  if (server->listener) {
    g_socket_close (server->listener, NULL);
    g_clear_object (&server->listener);
  }
  g_clear_object (&server->certificate);
  if (server->soup) {
    soup_server_disconnect (server->soup);
    g_clear_object (&server->soup);
  }
  /* Closed connections still have callbacks queued on this context */
  while (g_main_context_iteration (server->context, FALSE));
}

static gpointer
server_thread (gpointer data)
{
  SymblLocalServer *server = data;
  GError *error = NULL;
  gboolean listening;

  /* Every source libsoup creates from here on belongs to this thread */
  g_main_context_push_thread_default (server->context);
  listening = start_listening (server, &error);

  g_mutex_lock (&server->lock);
  server->started = TRUE;
  server->start_error = error;
  g_cond_broadcast (&server->started_cond);
  g_mutex_unlock (&server->lock);

  if (listening)
    g_main_loop_run (server->loop);
  stop_serving (server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static gboolean
prepare_store_dir (SymblLocalServer * server, const gchar * store_dir,
    GError ** error)
{
  gint saved_errno;

  if (!store_dir) {
    server->store_dir = g_dir_make_tmp ("symbl-local-server-XXXXXX", error);
    server->own_store_dir = server->store_dir != NULL;
    return server->own_store_dir;
  }

  /* Absolute, so that recorded body paths survive a chdir () */
  server->store_dir = g_canonicalize_filename (store_dir, NULL);
  if (g_mkdir_with_parents (server->store_dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
      "cannot create the store directory %s: %s", server->store_dir,
      g_strerror (saved_errno));
  return FALSE;
}

static void
remove_store_dir (const gchar * store_dir)
{
  g_autoptr (GDir) dir = g_dir_open (store_dir, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *path = g_build_filename (store_dir, name, NULL);

    g_unlink (path);
  }
  g_rmdir (store_dir);
}

static void
server_free (SymblLocalServer * server)
{
  if (server->own_store_dir)
    remove_store_dir (server->store_dir);
  g_free (server->address);
  g_free (server->url);
  g_free (server->store_dir);
  g_free (server->tls_cert_file);
  g_free (server->tls_key_file);
  g_clear_pointer (&server->loop, g_main_loop_unref);
  g_clear_pointer (&server->context, g_main_context_unref);
  symbl_local_account_free (server->account);
  g_clear_error (&server->start_error);
  g_queue_clear_full (&server->faults, (GDestroyNotify) symbl_fault_free);
  g_ptr_array_unref (server->requests);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->started_cond);
  g_cond_clear (&server->requests_cond);
  g_free (server);
}

SymblLocalServer *
symbl_local_server_start (const SymblLocalServerOptions * options,
    GError ** error)
{
  static const gchar *const default_tokens[] = {
    SYMBL_LOCAL_SERVER_DEFAULT_TOKEN, NULL
  };
  const SymblLocalServerOptions no_options = { NULL, };
  SymblLocalServer *server;
  GError *start_error;

  if (!options)
    options = &no_options;
  if (!options->tls_cert_file != !options->tls_key_file) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "HTTPS needs both a certificate and a key file");
    return NULL;
  }

  server = g_new0 (SymblLocalServer, 1);
  g_mutex_init (&server->lock);
  g_cond_init (&server->started_cond);
  g_cond_init (&server->requests_cond);
  g_queue_init (&server->faults);
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify)
      symbl_recorded_request_free);
  server->address = g_strdup (options->address ? options->address :
      "127.0.0.1");
  server->port = options->port;
  server->max_url_length = options->max_url_length ?
      options->max_url_length : 8192;
  server->tls_cert_file = g_strdup (options->tls_cert_file);
  server->tls_key_file = g_strdup (options->tls_key_file);
  server->quiet = options->quiet;
  server->discard_bodies = options->discard_bodies;
  server->account = symbl_local_account_new (options->access_tokens ?
      options->access_tokens : default_tokens,
      options->app_id ? options->app_id : SYMBL_LOCAL_SERVER_DEFAULT_APP_ID,
      options->app_secret ? options->app_secret :
      SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET,
      options->token_lifetime_s ? options->token_lifetime_s : 86400,
      options->job_step_ms ? options->job_step_ms : 500,
      options->max_concurrent_jobs);
  server->jobs_retry_after_s = options->jobs_retry_after_s;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  if (!prepare_store_dir (server, options->store_dir, error)) {
    server_free (server);
    return NULL;
  }

  server->thread = g_thread_new ("symbl-local-server", server_thread, server);
  g_mutex_lock (&server->lock);
  while (!server->started)
    g_cond_wait (&server->started_cond, &server->lock);
  start_error = g_steal_pointer (&server->start_error);
  g_mutex_unlock (&server->lock);

  if (start_error) {
    g_thread_join (server->thread);
    g_propagate_error (error, start_error);
    server_free (server);
    return NULL;
  }
  return server;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
symbl_local_server_stop (SymblLocalServer * server)
{
  GSource *source;

  if (!server)
    return;

  /* A source rather than a direct quit: it cannot run before the loop
   * does, so a stop right after start cannot be lost */
  source = g_idle_source_new ();
  g_source_set_callback (source, quit_loop, server->loop, NULL);
  g_source_attach (source, server->context);
  g_source_unref (source);

  g_thread_join (server->thread);
  server_free (server);
}

const gchar *
symbl_local_server_get_url (SymblLocalServer * server)
{
  return server->url;
}

const gchar *
symbl_local_server_get_store_dir (SymblLocalServer * server)
{
  return server->store_dir;
}

void
symbl_local_server_add_fault (SymblLocalServer * server,
    const SymblFault * fault)
{
  g_return_if_fail (server != NULL && fault != NULL);

  g_mutex_lock (&server->lock);
  g_queue_push_tail (&server->faults, symbl_fault_copy (fault));
  g_mutex_unlock (&server->lock);
}

gboolean
symbl_local_server_add_fault_text (SymblLocalServer * server,
    const gchar * text, GError ** error)
{
  g_autoptr (SymblFault) fault = NULL;
  guint count, i;

  g_return_val_if_fail (server != NULL, FALSE);

  if (!(fault = symbl_fault_parse (text, &count, error)))
    return FALSE;
  g_mutex_lock (&server->lock);
  for (i = 0; i < count; i++)
    g_queue_push_tail (&server->faults, symbl_fault_copy (fault));
  g_mutex_unlock (&server->lock);
  return TRUE;
}

GPtrArray *
symbl_local_server_get_requests (SymblLocalServer * server)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify)
      symbl_recorded_request_free);
  guint i;

  g_mutex_lock (&server->lock);
  for (i = 0; i < server->requests->len; i++)
    g_ptr_array_add (requests,
        recorded_request_copy (g_ptr_array_index (server->requests, i)));
  g_mutex_unlock (&server->lock);
  return requests;
}

gboolean
symbl_local_server_wait_requests (SymblLocalServer * server, guint n,
    guint timeout_ms)
{
  gint64 end_time = g_get_monotonic_time () +
      (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean reached;

  g_mutex_lock (&server->lock);
  while (server->requests->len < n &&
      g_cond_wait_until (&server->requests_cond, &server->lock, end_time));
  reached = server->requests->len >= n;
  g_mutex_unlock (&server->lock);
  return reached;
}

guint
symbl_local_server_get_peak_uploads (SymblLocalServer * server)
{
  guint peak;

  g_mutex_lock (&server->lock);
  peak = server->peak_uploads;
  g_mutex_unlock (&server->lock);
  return peak;
}

void
symbl_local_server_clear_requests (SymblLocalServer * server)
{
  g_mutex_lock (&server->lock);
  g_ptr_array_set_size (server->requests, 0);
  g_mutex_unlock (&server->lock);
}
