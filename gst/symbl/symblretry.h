/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblretry: when to try a request again, and how long to wait first.
 *
 * Connection failures, resets, timeouts, 408, 429 and 5xx are transient;
 * other statuses, TLS failures and replies that cannot be read are not.
 * Waits grow exponentially, honour Retry-After, and end at once when the
 * cancellable is cancelled.
 *
 * An upload's 429 is apart: the account's job slots are full, and one
 * frees only when an earlier job finishes, often minutes later. It is
 * waited out, up to queue_timeout_s, with longer waits than a passing
 * fault gets, and with jitter so that the uploads of one account that
 * wait together do not all come back at once.
 */
#pragma once

#include "symblclient.h"

G_BEGIN_DECLS

typedef struct
{
  gint retries;                 /* -1: forever */
  gdouble backoff_factor;       /* seconds before the first retry */
  gdouble backoff_max;          /* seconds, the longest wait */
  guint queue_timeout_s;        /* how long to wait for a job slot; 0:
                                 * until one frees */
} SymblRetryPolicy;

/* The first wait for a job slot, in units of backoff_factor: 5 s by
 * default, and as much shorter as tests make the factor. */
#define SYMBL_RETRY_SLOT_WAIT_FACTORS 5.0
/* Each wait for a job slot is that much shorter or longer, at random */
#define SYMBL_RETRY_SLOT_JITTER 0.2

/* Whether a request that failed so is worth sending again. */
gboolean symbl_retry_is_transient (const GError * error,
    const SymblResponse * response);

/* Whether attempt number @attempt (from 1) may be followed by another. */
gboolean symbl_retry_allows_another (const SymblRetryPolicy * policy,
    guint attempt);

/* The wait, in seconds, after failed attempt @attempt: Retry-After when the
 * server sent one, else factor * 2^(attempt - 1), at most backoff_max. */
gdouble symbl_retry_delay (const SymblRetryPolicy * policy, guint attempt,
    const SymblResponse * response);

/* Whether an upload failed so because the account's job slots are full
 * (429): waited out apart from the retries. */
gboolean symbl_retry_is_slots_full (const GError * error,
    const SymblResponse * response);

/* The wait, in seconds, after the @wait-th (from 1) answer that the job
 * slots are full: Retry-After when the server sent one, else
 * SYMBL_RETRY_SLOT_WAIT_FACTORS * factor * 2^(wait - 1), at most
 * backoff_max, give or take SYMBL_RETRY_SLOT_JITTER. */
gdouble symbl_retry_slot_delay (const SymblRetryPolicy * policy, guint wait,
    const SymblResponse * response);

/* Sleeps @seconds; FALSE with G_IO_ERROR_CANCELLED when cancelled first. */
gboolean symbl_retry_wait (gdouble seconds, GCancellable * cancellable,
    GError ** error);

G_END_DECLS
