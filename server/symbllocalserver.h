/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: a Symbl-compatible Async API server on loopback.
 *
 * It implements the parts of the Symbl Async API a file-uploading client
 * touches (see docs/local-server.md), is strict where Symbl's docs are, and
 * records every request so that tests can check exactly what arrived.
 * Request bodies stream to files in the store directory: memory stays flat
 * however large the upload.
 *
 * The server runs in a thread of its own with its own GMainContext, so it
 * answers whatever the calling thread does (gst_bus_poll, a blocking
 * pipeline). Every function here may be called from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SymblLocalServer SymblLocalServer;

typedef struct
{
  const gchar *address;         /* default "127.0.0.1" */
  guint port;                   /* 0: the kernel chooses */
  /* Bearer tokens accepted as they are (NULL-terminated); NULL: accept
   * only SYMBL_LOCAL_SERVER_DEFAULT_TOKEN. */
  const gchar *const *access_tokens;
  /* Credentials accepted by POST /oauth2/token:generate; NULL: the defaults
   * SYMBL_LOCAL_SERVER_DEFAULT_APP_ID / _APP_SECRET. */
  const gchar *app_id;
  const gchar *app_secret;
  guint token_lifetime_s;       /* expiresIn of generated tokens; 0: 86400 */
  const gchar *store_dir;       /* bodies go here; NULL: a new temporary
                                 * directory, removed when the server stops */
  guint job_step_ms;            /* time a job spends in scheduled and in
                                 * in_progress each; 0: 500 */
  guint max_concurrent_jobs;    /* jobs scheduled or in progress at once;
                                 * an upload beyond is answered 429 once its
                                 * body is in; 0: unlimited */
  guint jobs_retry_after_s;     /* Retry-After of that 429; 0: none, as
                                 * Symbl documents none */
  gsize max_url_length;         /* longer request targets get 414; 0: 8192 */
  const gchar *tls_cert_file;   /* PEM certificate and key: serve HTTPS */
  const gchar *tls_key_file;
  gboolean quiet;               /* no access log on stderr */
  gboolean discard_bodies;      /* count bodies, keep none: benchmarks */
} SymblLocalServerOptions;

#define SYMBL_LOCAL_SERVER_DEFAULT_TOKEN "local-dev-token"
#define SYMBL_LOCAL_SERVER_DEFAULT_APP_ID "local-app-id"
#define SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET "local-app-secret"

/* Starts listening and returns once the port is bound. */
SymblLocalServer *symbl_local_server_start (const SymblLocalServerOptions * options,
    GError ** error);
/* Stops, closes every connection (stalled ones too) and frees. */
void symbl_local_server_stop (SymblLocalServer * server);

/* "http://127.0.0.1:PORT" (or https); no trailing slash. */
const gchar *symbl_local_server_get_url (SymblLocalServer * server);
const gchar *symbl_local_server_get_store_dir (SymblLocalServer * server);

/* Faults: each is consumed by the next request whose path starts with
 * path_prefix (NULL: any request), in the order they were added. */
typedef enum
{
  SYMBL_FAULT_STATUS,           /* answer status, Retry-After, body */
  SYMBL_FAULT_DROP,             /* close the connection after after_bytes
                                 * bytes of request body */
  SYMBL_FAULT_STALL,            /* read the request, then answer nothing for
                                 * stall_ms (0: until the server stops) */
  SYMBL_FAULT_REPLY,            /* answer success (201 for uploads, 200
                                 * elsewhere) with body as it is
                                 * (malformed JSON, missing ids...) */
  SYMBL_FAULT_JOB_FAILS,        /* the job the request creates ends in
                                 * "failed" */
  SYMBL_FAULT_NO_CONTINUE,      /* never answer "Expect: 100-continue":
                                 * such a request stalls; one without
                                 * the header is served as usual */
  SYMBL_FAULT_EARLY,            /* answer status as soon as the headers
                                 * are in, read no body, keep the
                                 * connection open */
  SYMBL_FAULT_TRICKLE,          /* send the usual answer one byte every
                                 * stall_ms */
  SYMBL_FAULT_HOLD,             /* read after_bytes bytes of request body,
                                 * then read no more and answer nothing:
                                 * the client stays in the middle of its
                                 * upload */
} SymblFaultKind;

typedef struct
{
  SymblFaultKind kind;
  const gchar *path_prefix;
  guint status;                 /* STATUS, EARLY */
  guint retry_after_s;          /* STATUS: 0 means no Retry-After header */
  const gchar *body;            /* STATUS, REPLY: NULL gives a JSON
                                 * {"message": ...} for STATUS */
  guint64 after_bytes;          /* DROP */
  guint stall_ms;               /* STALL; TRICKLE: between bytes */
} SymblFault;

void symbl_local_server_add_fault (SymblLocalServer * server,
    const SymblFault * fault);
/* Parses the text form used by the program's --fault option and by
 * POST /__local/faults, e.g. "status=503,count=2,path=/v1/process",
 * "drop=4096", "stall=0", "reply={}", "job-fails", "no-continue",
 * "early=413", "trickle=500". */
gboolean symbl_local_server_add_fault_text (SymblLocalServer * server,
    const gchar * text, GError ** error);

/* What the server saw of one request. */
typedef struct
{
  gchar *method;
  gchar *path;                  /* decoded path, without the query */
  gchar *query;                 /* raw (still percent-encoded) query or NULL */
  GHashTable *params;           /* decoded query: name -> value */
  GHashTable *headers;          /* lower-case name -> value */
  gchar *body_path;             /* file holding the body as received, or
                                 * NULL when no body was read */
  guint64 body_length;          /* bytes received */
  guint status;                 /* status answered (0: none, dropped) */
  gchar *reply;                 /* body answered */
  gchar *notes;                 /* what the server logged of it: what it
                                 * took but ignored, one line each; or NULL */
} SymblRecordedRequest;

/* A snapshot of every request so far, in the order they finished
 * (answered or dropped; for requests that do not overlap, the order they
 * were sent): an array of SymblRecordedRequest that owns its elements.
 * Requests to /__local/ are not recorded. */
GPtrArray *symbl_local_server_get_requests (SymblLocalServer * server);
/* Waits until at least n requests have been answered or dropped;
 * FALSE on timeout. */
gboolean symbl_local_server_wait_requests (SymblLocalServer * server,
    guint n, guint timeout_ms);
/* The most uploads (POST or PUT of a recording) that were under way at
 * once, from their headers to their answer. */
guint symbl_local_server_get_peak_uploads (SymblLocalServer * server);
/* Forgets the requests recorded so far (as DELETE /__local/requests
 * does): get_requests and wait_requests count from here on. */
void symbl_local_server_clear_requests (SymblLocalServer * server);
void symbl_recorded_request_free (SymblRecordedRequest * request);

G_END_DECLS
