/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbljob.h"

GQuark
symbl_job_error_quark (void)
{
  return g_quark_from_static_string ("symbl-job-error-quark");
}

typedef struct
{
  SymblClient *client;
  const gchar *job_id;
  gchar *status;
} StatusCall;

static gboolean
get_status (const gchar * token, gpointer user_data, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  StatusCall *call = user_data;

  g_clear_pointer (&call->status, g_free);
  return symbl_client_get_job_status (call->client, token, call->job_id,
      &call->status, response, cancellable, error);
}

gboolean
symbl_job_wait (const SymblJobWatch * watch, const gchar * job_id,
    SymblJobStatusFunc on_status, gpointer user_data,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  StatusCall call = { watch->client, job_id, NULL };
  g_autofree gchar *last = NULL;
  gint64 deadline = watch->timeout_s ?
      g_get_monotonic_time () + watch->timeout_s * G_TIME_SPAN_SECOND : 0;
  guint failures = 0;
  gboolean done = FALSE, ok = FALSE;

  while (!done) {
    GError *look_error = NULL;
    gdouble delay;
    gint64 now;

    if (!symbl_token_source_call (watch->tokens, watch->client, get_status,
            &call, response, cancellable, &look_error)) {
      failures++;
      if (!symbl_retry_is_transient (look_error, response)
          || !symbl_retry_allows_another (watch->retry, failures)) {
        g_propagate_error (error, look_error);
        break;
      }
      g_error_free (look_error);
      delay = symbl_retry_delay (watch->retry, failures, response);
    } else {
      failures = 0;
      if (g_strcmp0 (call.status, last) != 0) {
        g_free (last);
        last = g_strdup (call.status);
        if (on_status)
          on_status (last, user_data);
      }
      if (g_str_equal (last, "completed")) {
        ok = TRUE;
        break;
      }
      if (g_str_equal (last, "failed")) {
        g_set_error (error, SYMBL_JOB_ERROR, SYMBL_JOB_ERROR_FAILED,
            "Symbl's job %s failed", job_id);
        break;
      }
      delay = watch->poll_interval_ms / 1000.0;
    }

    now = g_get_monotonic_time ();
    if (deadline && now >= deadline) {
      g_set_error (error, SYMBL_JOB_ERROR, SYMBL_JOB_ERROR_TIMEOUT,
          "Symbl's job %s was not completed within job-timeout (%u s); its "
          "last status was %s", job_id, watch->timeout_s,
          last ? last : "unknown");
      break;
    }
    /* One last look at the deadline rather than a wait past it. */
    if (deadline)
      delay = MIN (delay, (deadline - now) / (gdouble) G_TIME_SPAN_SECOND);
    done = !symbl_retry_wait (delay, cancellable, error);
  }
  g_free (call.status);
  return ok;
}
