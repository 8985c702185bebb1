/* symblretry: when to try a request again, and how long to wait first.
 *
 * Connection failures, resets, timeouts, 408, 429 and 5xx are transient;
 * other statuses, TLS failures and replies that cannot be read are not.
 * Waits grow exponentially, honour Retry-After, and end at once when the
 * cancellable is cancelled.
 */
#pragma once

#include "symblclient.h"

G_BEGIN_DECLS

typedef struct
{
  gint retries;                 /* -1: forever */
  gdouble backoff_factor;       /* seconds before the first retry */
  gdouble backoff_max;          /* seconds, the longest wait */
} SymblRetryPolicy;

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

/* Sleeps @seconds; FALSE with G_IO_ERROR_CANCELLED when cancelled first. */
gboolean symbl_retry_wait (gdouble seconds, GCancellable * cancellable,
    GError ** error);

G_END_DECLS
