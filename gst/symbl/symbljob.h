/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbljob: following a job to its end.
 *
 * Polls GET /v1/job/{jobId} every poll interval until the job is
 * "completed" or "failed", telling each change of status. A failed look
 * (the network, 429, 5xx) waits longer before the next, as retries do; a
 * 401 renews a generated token once. Ends at once when cancelled.
 */
#pragma once

#include "symblclient.h"
#include "symblretry.h"
#include "symbltoken.h"

G_BEGIN_DECLS

#define SYMBL_JOB_ERROR (symbl_job_error_quark ())
GQuark symbl_job_error_quark (void);

typedef enum
{
  SYMBL_JOB_ERROR_FAILED,       /* the job ended as "failed" */
  SYMBL_JOB_ERROR_TIMEOUT,      /* not done within the job timeout */
} SymblJobError;

typedef struct
{
  SymblClient *client;
  SymblTokenSource *tokens;
  const SymblRetryPolicy *retry;        /* for failed looks */
  guint poll_interval_ms;
  guint timeout_s;              /* 0: no limit */
} SymblJobWatch;

/* Called from the waiting thread on every new status. */
typedef void (*SymblJobStatusFunc) (const gchar * status, gpointer user_data);

/* Waits for @job_id to complete. FALSE on "failed", on timeout, on a look
 * that failed for good, or when cancelled. */
gboolean symbl_job_wait (const SymblJobWatch * watch, const gchar * job_id,
    SymblJobStatusFunc on_status, gpointer user_data,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

G_END_DECLS
