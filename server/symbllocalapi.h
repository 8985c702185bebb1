/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the API's endpoints (private).
 *
 * Routing, checks and answers of one request. How its body travels, what
 * faults do to it and how it is recorded is symbllocalserver.c's job.
 * Everything here runs on the server thread.
 */
#pragma once

#include "symbllocalaccount.h"
#include "symbllocalserver.h"
#include "symbllocalvalidate.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  SYMBL_LOCAL_ROUTE_NOT_FOUND,
  SYMBL_LOCAL_ROUTE_UPLOAD,     /* POST /v1/process/{audio,video},
                                 * PUT /v1/process/{audio,video}/{id} */
  SYMBL_LOCAL_ROUTE_TOKEN,
  SYMBL_LOCAL_ROUTE_JOB,
  SYMBL_LOCAL_ROUTE_TRACKERS,
  SYMBL_LOCAL_ROUTE_CONVERSATION, /* GET /v1/conversations/{id}[/part] */
  SYMBL_LOCAL_ROUTE_LEFT_OUT,   /* Symbl's, not served here: 501 */
  SYMBL_LOCAL_ROUTE_LOCAL_FAULTS,
  SYMBL_LOCAL_ROUTE_LOCAL_REQUESTS,
} SymblLocalRoute;

/* One request, from its headers to its answer; it lives on its
 * SoupServerMessage as object data */
typedef struct
{
  SymblLocalServer *server;     /* for the /__local/ endpoints */
  SymblLocalAccount *account;
  gsize max_url_length;
  guint jobs_retry_after_s;     /* Retry-After of a 429 for full slots */
  SoupServerMessage *msg;
  /* Filled in as the request goes; NULL once recorded */
  SymblRecordedRequest *record;
  SymblLocalRoute route;
  gboolean is_local;            /* /__local/: served, never recorded */
  gboolean is_video;
  gchar *resource_id;           /* conversation or job id from the path */
  gchar *conversation_part;     /* "messages", ...; NULL: the conversation */
  gchar *left_out;              /* the endpoint a 501 names */
  SymblFault *fault;
  JsonNode *trackers;           /* the validated `trackers` parameter */
  guint deferred_status;        /* a refusal that waits for a stall */
  gchar *deferred_message;
  gint body_fd;                 /* the upload's body file, or -1 */
  gboolean body_write_failed;
  gboolean held;                /* a hold fault stopped reading it */
  GByteArray *small_body;       /* the body of any other endpoint */
  guint8 head[SYMBL_LOCAL_MEDIA_HEAD_SIZE];
} SymblLocalRequest;

/* Sets route, is_local, is_video and resource_id from the recorded
 * method and path */
void symbl_local_request_route (SymblLocalRequest * request);

/* What an upload's headers and query decide: 414, 401, 411, 400, 415 or
 * 404 with its message, or 0 when the body may come */
guint symbl_local_request_check_upload (SymblLocalRequest * request,
    gchar ** message);

/* The API's answer once the body is in, faults aside */
void symbl_local_request_answer (SymblLocalRequest * request);

/* The answer of the request's STATUS or REPLY fault */
void symbl_local_request_answer_fault (SymblLocalRequest * request);

/* An error answer: JSON {"message": ...}, with "statusCode" for a 429 */
void symbl_local_request_refuse (SymblLocalRequest * request,
    guint status, const gchar * message);

G_END_DECLS
