/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblretry.h"

gboolean
symbl_retry_is_transient (const GError * error, const SymblResponse * response)
{
  guint status = response->status;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_HTTP_STATUS))
    return status == 408 || status == 429 || status >= 500;
  /* A success status with an unreadable reply may have created a job:
   * sending again could create a second one. */
  if (error->domain == SYMBL_CLIENT_ERROR || error->domain == G_TLS_ERROR
      || error->domain == G_FILE_ERROR)
    return FALSE;
  /* Refused, reset, timed out, unreachable, name not resolved: the
   * network's passing troubles. */
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR;
}

gboolean
symbl_retry_allows_another (const SymblRetryPolicy * policy, guint attempt)
{
  return policy->retries < 0 || attempt <= (guint) policy->retries;
}

/* @first * 2^(@n - 1), at most @max */
static gdouble
doubling (gdouble first, guint n, gdouble max)
{
  gdouble delay = first;
  guint i;

  for (i = 1; i < n && delay < max; i++)
    delay *= 2;
  return MIN (delay, max);
}

gdouble
symbl_retry_delay (const SymblRetryPolicy * policy, guint attempt,
    const SymblResponse * response)
{
  if (response->retry_after_s >= 0)
    return response->retry_after_s;
  return doubling (policy->backoff_factor, attempt, policy->backoff_max);
}

gboolean
symbl_retry_is_slots_full (const GError * error, const SymblResponse * response)
{
  return response->status == 429 && g_error_matches (error,
      SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_HTTP_STATUS);
}

gdouble
symbl_retry_slot_delay (const SymblRetryPolicy * policy, guint wait,
    const SymblResponse * response)
{
  gdouble delay;

  if (response->retry_after_s >= 0)
    return response->retry_after_s;
  delay = doubling (SYMBL_RETRY_SLOT_WAIT_FACTORS * policy->backoff_factor,
      wait, policy->backoff_max);
  return delay * g_random_double_range (1 - SYMBL_RETRY_SLOT_JITTER,
      1 + SYMBL_RETRY_SLOT_JITTER);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean cancelled;
} Waiter;

static void
on_cancelled (GCancellable * cancellable, Waiter * waiter)
{
  g_mutex_lock (&waiter->lock);
  waiter->cancelled = TRUE;
  g_cond_signal (&waiter->cond);
  g_mutex_unlock (&waiter->lock);
}

gboolean
symbl_retry_wait (gdouble seconds, GCancellable * cancellable, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  Waiter waiter = { 0 };
  gulong handler;

  g_mutex_init (&waiter.lock);
  g_cond_init (&waiter.cond);
  /* Runs at once, in this thread, if already cancelled. */
  handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
      &waiter, NULL);

  g_mutex_lock (&waiter.lock);
  while (!waiter.cancelled
      && g_cond_wait_until (&waiter.cond, &waiter.lock, deadline));
  g_mutex_unlock (&waiter.lock);

  g_cancellable_disconnect (cancellable, handler);
  g_cond_clear (&waiter.cond);
  g_mutex_clear (&waiter.lock);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
