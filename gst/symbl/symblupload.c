/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "config.h"
#include "symblupload.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "symblaccount.h"
#include "symbltoken.h"
#include "symblvalues.h"

GQuark
symbl_upload_error_quark (void)
{
  return g_quark_from_static_string ("symbl-upload-error-quark");
}

struct _SymblUpload
{
  SymblAccount *account;        /* shared with the process's elements */
  SymblClient *client;          /* the account's */
  SymblTokenSource *tokens;
  SymblOptions *options;
  SymblRetryPolicy retry;
  gchar *conversation_id;       /* append to it, or NULL */
  gchar *app_id;                /* for manifests; NULL with a token */
  gchar *spool_dir;
  gboolean keep_spool;
  gboolean wait_for_job;
  guint poll_interval_ms;
  guint job_timeout_s;
};

/* *@value, else the environment's @variable, into *@value (NULL when
 * empty). The variable is refused, as a property is by
 * symbl_settings_check, if it holds a control character: it too ends up
 * in a header or a URL. */
static gboolean
setting_or_env (const gchar ** value, const gchar * variable, GError ** error)
{
  gssize at;

  if (!*value) {
    *value = g_getenv (variable);
    if (*value && (at = symbl_values_find_control (*value,
                strlen (*value))) >= 0) {
      g_autofree gchar *shown = symbl_values_describe_control ((*value)[at]);

      g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SETTINGS,
          "The %s environment variable contains a control character (%s) "
          "at position %" G_GSSIZE_FORMAT ", which a request's header or "
          "URL cannot carry", variable, shown, at);
      return FALSE;
    }
  }
  if (*value && !**value)
    *value = NULL;
  return TRUE;
}

/* The access-token property wins; then app credentials set as properties;
 * then the environment's token, then its app credentials, whose id goes
 * to @app_id_used. The credentials also go into @account, the digest that
 * tells one account from another. */
static SymblTokenSource *
resolve_tokens (const SymblSettings * settings, const gchar * api_url,
    gchar ** app_id_used, GChecksum * account, GError ** error)
{
  const gchar *token = settings->access_token;
  const gchar *origin = "access-token";
  const gchar *app_id = settings->app_id, *app_secret = settings->app_secret;

  if (!token && !app_id && !app_secret) {
    if (!setting_or_env (&token, "SYMBL_ACCESS_TOKEN", error))
      return NULL;
    origin = "SYMBL_ACCESS_TOKEN";
  }
  if (token) {
    /* Refuse what would break or forge a header, without echoing it. */
    if (!symbl_values_is_token (token, strlen (token))) {
      g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SETTINGS,
          "The token in %s has spaces or characters that an HTTP header "
          "cannot carry", origin);
      return NULL;
    }
    g_checksum_update (account, (const guchar *) "token", 6);
    g_checksum_update (account, (const guchar *) token, strlen (token) + 1);
    return symbl_token_source_new_fixed (token);
  }

  if (!setting_or_env (&app_id, "SYMBL_APP_ID", error)
      || !setting_or_env (&app_secret, "SYMBL_APP_SECRET", error))
    return NULL;
  if (app_id && app_secret) {
    *app_id_used = g_strdup (app_id);
    g_checksum_update (account, (const guchar *) "app", 4);
    g_checksum_update (account, (const guchar *) app_id, strlen (app_id) + 1);
    g_checksum_update (account, (const guchar *) app_secret,
        strlen (app_secret) + 1);
    return symbl_token_source_new_app (api_url, app_id, app_secret);
  }
  if (app_id || app_secret) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_NO_TOKEN,
        "App credentials need both app-id and app-secret (or SYMBL_APP_ID "
        "and SYMBL_APP_SECRET); only %s is set", app_id ? "the id" :
        "the secret");
    return NULL;
  }
  g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_NO_TOKEN,
      "No Symbl credentials: set the access-token property or the "
      "SYMBL_ACCESS_TOKEN environment variable, or app-id and app-secret "
      "(SYMBL_APP_ID and SYMBL_APP_SECRET)");
  return NULL;
}

static const gchar *
resolve_api_url (const SymblSettings * settings, GError ** error)
{
  const gchar *url = settings->api_url;

  if (!setting_or_env (&url, "SYMBL_API_URL", error))
    return NULL;
  return url ? url : SYMBL_DEFAULT_API_URL;
}

static gboolean
spool_dir_refused (const gchar * dir, const gchar * why, gint saved_errno,
    GError ** error)
{
  g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SPOOL_DIR,
      "spool-dir %s cannot hold recordings: %s (%s)", dir, why,
      g_strerror (saved_errno));
  return FALSE;
}

/* Fails now, before recording, rather than at the first buffer. Says
 * which step failed: an errno alone can mislead (/proc exists, yet a file
 * made in it fails with ENOENT). */
static gboolean
check_spool_dir (const gchar * dir, GError ** error)
{
  g_autofree gchar *probe = g_build_filename (dir, ".symbl-probe-XXXXXX",
      NULL);
  gint fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return spool_dir_refused (dir, "it cannot be made a directory", errno,
        error);
  fd = g_mkstemp_full (probe, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return spool_dir_refused (dir, "no file can be created in it", errno,
        error);
  close (fd);
  g_unlink (probe);
  return TRUE;
}

/* The longest path a request of this upload takes, for the URL check. */
static gchar *
longest_path (SymblUpload * upload)
{
  g_autofree gchar *escaped = upload->conversation_id ?
      g_uri_escape_string (upload->conversation_id, NULL, FALSE) : NULL;
  g_autoptr (GUri) base = g_uri_parse (symbl_client_get_api_url
      (upload->client), G_URI_FLAGS_NONE, NULL);

  return g_strconcat (g_uri_get_path (base), "/v1/process/video",
      escaped ? "/" : "", escaped ? escaped : "", NULL);
}

/* What else makes elements' HTTP alike, after the credentials. */
static void
add_client_options (GChecksum * account, const gchar * api_url,
    const SymblClientOptions * options)
{
  g_autofree gchar *text = g_strdup_printf ("%s\n%s\n%u\n%d\n%s\n%s",
      api_url, options->user_agent, options->timeout_s, options->ssl_strict,
      options->ssl_ca_file ? options->ssl_ca_file : "",
      options->proxy ? options->proxy : "");

  g_checksum_update (account, (const guchar *) text, -1);
}

SymblUpload *
symbl_upload_new (const SymblSettings * settings, GPtrArray * advice,
    GError ** error)
{
  SymblClientOptions client_options = {
    .user_agent = symbl_settings_get_user_agent (settings),
    .timeout_s = settings->timeout,
    .ssl_strict = settings->ssl_strict,
    .ssl_ca_file = settings->ssl_ca_file,
    .proxy = settings->proxy,
  };
  const gchar *api_url = resolve_api_url (settings, error);
  SymblUpload *upload = g_new0 (SymblUpload, 1);
  g_autoptr (GChecksum) account = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree gchar *path = NULL;

  upload->conversation_id = g_strdup (settings->conversation_id);
  upload->keep_spool = settings->keep_spool;
  upload->wait_for_job = settings->wait_for_job;
  upload->poll_interval_ms = settings->poll_interval;
  upload->job_timeout_s = settings->job_timeout;
  upload->retry.retries = settings->retries;
  upload->retry.backoff_factor = settings->retry_backoff_factor;
  upload->retry.backoff_max = settings->retry_backoff_max;
  upload->retry.queue_timeout_s = settings->queue_timeout;
  upload->spool_dir = settings->spool_dir ? g_strdup (settings->spool_dir) :
      symbl_settings_default_spool_dir ();

  if (!api_url || !symbl_settings_check (settings, error)
      || !(upload->tokens = resolve_tokens (settings, api_url,
              &upload->app_id, account, error))
      || !(upload->options = symbl_options_new (settings, advice, error))
      || !check_spool_dir (upload->spool_dir, error))
    goto failed;
  add_client_options (account, api_url, &client_options);
  upload->account = symbl_account_get (g_checksum_get_string (account),
      api_url, &client_options, settings->max_concurrent_uploads, error);
  if (!upload->account)
    goto failed;
  upload->client = symbl_account_get_client (upload->account);

  path = longest_path (upload);
  if (!symbl_options_check_length (upload->options, path,
          settings->max_url_length, error))
    goto failed;
  return upload;

failed:
  symbl_upload_free (upload);
  return NULL;
}

void
symbl_upload_free (SymblUpload * upload)
{
  if (!upload)
    return;
  symbl_account_unref (upload->account);
  symbl_token_source_free (upload->tokens);
  symbl_options_free (upload->options);
  g_free (upload->conversation_id);
  g_free (upload->app_id);
  g_free (upload->spool_dir);
  g_free (upload);
}

gboolean
symbl_upload_check (SymblUpload * upload, GCancellable * cancellable,
    GError ** error)
{
  SymblResponse response = SYMBL_RESPONSE_INIT;
  g_autoptr (GError) check_error = NULL;
  g_autofree gchar *token = NULL;
  gboolean refused;

  /* App credentials are checked the way an upload will use them. */
  if (!upload->app_id) {
    if (symbl_client_probe (upload->client, cancellable, &check_error))
      return TRUE;
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_UNREACHABLE,
        "Symbl at %s cannot be reached now (%s); recording goes on, and the "
        "upload tries again at the end", symbl_client_get_api_url
        (upload->client), check_error->message);
    return FALSE;
  }
  token = symbl_token_source_get (upload->tokens, upload->client, &response,
      cancellable, &check_error);
  refused = response.status >= 400 && response.status < 500
      && response.status != 408 && response.status != 429;
  symbl_response_clear (&response);
  if (token)
    return TRUE;
  if (refused)
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_CREDENTIALS,
        "Symbl refused the app credentials (app-id, app-secret): %s",
        check_error->message);
  else
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_UNREACHABLE,
        "Could not check the app credentials now (%s); recording goes on, "
        "and the token is asked for again at upload", check_error->message);
  return FALSE;
}

const gchar *
symbl_upload_get_api_url (SymblUpload * upload)
{
  return symbl_client_get_api_url (upload->client);
}

const gchar *
symbl_upload_get_spool_dir (SymblUpload * upload)
{
  return upload->spool_dir;
}

gboolean
symbl_upload_get_keep_spool (SymblUpload * upload)
{
  return upload->keep_spool;
}

gboolean
symbl_upload_get_wait_for_job (SymblUpload * upload)
{
  return upload->wait_for_job;
}

const gchar *
symbl_upload_get_conversation_id (SymblUpload * upload)
{
  return upload->conversation_id;
}

gchar *
symbl_upload_describe (SymblUpload * upload, const SymblMediaFormat * format,
    const gchar * conversation_id)
{
  SymblSubmission submission = {
    .endpoint = symbl_media_kind_to_string (format->kind),
    .conversation_id = conversation_id ? conversation_id :
        upload->conversation_id,
  };
  g_autofree gchar *url = symbl_client_describe (upload->client, &submission);

  return g_strdup_printf ("%s %s", submission.conversation_id ? "PUT" :
      "POST", url);
}

void
symbl_upload_address (SymblUpload * upload, SymblOutboxEntry * entry,
    const SymblMediaFormat * format, const SymblStreamInfo * info,
    const gchar * conversation_id)
{
  g_free (entry->api_url);
  entry->api_url = g_strdup (symbl_client_get_api_url (upload->client));
  g_free (entry->app_id);
  entry->app_id = g_strdup (upload->app_id);
  g_free (entry->endpoint);
  entry->endpoint = g_strdup (symbl_media_kind_to_string (format->kind));
  g_free (entry->conversation_id);
  entry->conversation_id = g_strdup (conversation_id ? conversation_id :
      upload->conversation_id);
  g_free (entry->query);
  entry->query = symbl_options_get_query (upload->options, info);
  g_free (entry->content_type);
  entry->content_type = g_strdup (format->content_type);
}

typedef struct
{
  SymblUpload *upload;
  SymblOutboxEntry *entry;
  SymblSubmission submission;
  const SymblUploadCallbacks *callbacks;
  SymblJobIds *ids;
} SubmitCall;

/* The last bytes are going out: from now on Symbl may have a job for it.
 * The manifest says so before the server can have them all, so that a
 * crash while they go or while waiting for the reply never leads to a
 * second job (at worst, a recording whose end did not go is left for
 * symbl-outbox send --resend-unanswered). */
static void
on_body_progress (guint64 sent, guint64 total, gpointer user_data)
{
  SubmitCall *call = user_data;

  if (sent == total)
    symbl_outbox_entry_set_state (call->entry, SYMBL_OUTBOX_SENT_NO_REPLY,
        NULL);
  if (call->callbacks->on_progress)
    call->callbacks->on_progress (sent, total, call->callbacks->user_data);
}

/* The whole body went out and what came back, if anything, is no answer:
 * Symbl may have made a job of it. An error status is an answer. */
static gboolean
is_unanswered (const GError * error, const SymblResponse * response)
{
  return response->body_sent && (response->status == 0
      || SOUP_STATUS_IS_SUCCESSFUL (response->status))
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, SYMBL_CLIENT_ERROR,
      SYMBL_CLIENT_ERROR_MALFORMED_REPLY);
}

static gboolean
submit (const gchar * token, gpointer user_data, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  SubmitCall *call = user_data;
  GError *submit_error = NULL;

  gboolean ok;

  if (!symbl_account_begin_upload (call->upload->account, cancellable, error))
    return FALSE;
  call->entry->attempts++;
  symbl_outbox_entry_set_state (call->entry, SYMBL_OUTBOX_SENDING, NULL);
  call->submission.token = token;
  ok = symbl_client_submit (call->upload->client, &call->submission,
      on_body_progress, call, call->ids, response, cancellable, &submit_error);
  symbl_account_end_upload (call->upload->account);
  if (ok)
    return TRUE;
  /* An answer, even a refusal, says no job was made: it may go again. */
  if (response->status && !SOUP_STATUS_IS_SUCCESSFUL (response->status))
    symbl_outbox_entry_set_state (call->entry, SYMBL_OUTBOX_READY, NULL);
  if (is_unanswered (submit_error, response)) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_UNANSWERED,
        "the whole recording was sent, but no usable reply came back (%s): "
        "Symbl may have created a job for it, so it is not sent again "
        "automatically (a second job would be billed)", submit_error->message);
    g_error_free (submit_error);
  } else {
    g_propagate_error (error, submit_error);
  }
  return FALSE;
}

/* Waits for a job slot of the account: how many waits so far, and until
 * when (0: no deadline yet, or none). */
typedef struct
{
  guint waits;
  gint64 deadline;
} SlotWait;

/* The wait after another answer that the job slots are full, or FALSE
 * with SYMBL_UPLOAD_ERROR_SLOTS_FULL once queue-timeout has run out.
 * The last wait ends at the deadline, for one last try. */
static gboolean
next_slot_wait (SymblUpload * upload, SlotWait * wait,
    const GError * slots_error, const SymblResponse * response,
    gdouble * delay, GError ** error)
{
  guint queue_timeout_s = upload->retry.queue_timeout_s;
  gint64 now = g_get_monotonic_time ();

  if (wait->waits++ == 0 && queue_timeout_s)
    wait->deadline = now + queue_timeout_s * G_TIME_SPAN_SECOND;
  if (wait->deadline && now >= wait->deadline) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SLOTS_FULL,
        "the account's job slots at Symbl stayed full for %u s "
        "(queue-timeout) after %u tries (%s)", queue_timeout_s, wait->waits,
        slots_error->message);
    return FALSE;
  }
  *delay = symbl_retry_slot_delay (&upload->retry, wait->waits, response);
  if (wait->deadline)
    *delay = MIN (*delay, (wait->deadline - now) /
        (gdouble) G_TIME_SPAN_SECOND);
  return TRUE;
}

/* Runs @call until it succeeds, fails for good, or the retries run out,
 * waiting between attempts as the policy says. With @waits_for_slots (an
 * upload), a 429 is a wait for a job slot, which the retries do not
 * count. */
static gboolean
call_with_retries (SymblUpload * upload, SymblTokenCall call,
    gpointer call_data, gboolean waits_for_slots,
    const SymblUploadCallbacks * callbacks, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  guint max_attempts = upload->retry.retries < 0 ? 0 :
      upload->retry.retries + 1;
  SlotWait slot_wait = { 0, 0 };
  guint failures = 0;

  for (;;) {
    GError *attempt_error = NULL;
    gboolean slots_full;
    gdouble delay;

    if (symbl_token_source_call (upload->tokens, upload->client, call,
            call_data, response, cancellable, &attempt_error))
      return TRUE;
    slots_full = waits_for_slots &&
        symbl_retry_is_slots_full (attempt_error, response);
    if (slots_full) {
      if (!next_slot_wait (upload, &slot_wait, attempt_error, response,
              &delay, error)) {
        g_error_free (attempt_error);
        return FALSE;
      }
    } else if (!symbl_retry_is_transient (attempt_error, response)
        || !symbl_retry_allows_another (&upload->retry, ++failures)) {
      g_propagate_error (error, attempt_error);
      return FALSE;
    } else {
      delay = symbl_retry_delay (&upload->retry, failures, response);
    }

    if (callbacks->on_retry)
      callbacks->on_retry (slots_full ? slot_wait.waits : failures,
          slots_full ? 0 : max_attempts, attempt_error, response, delay,
          slots_full, callbacks->user_data);
    g_error_free (attempt_error);
    if (!symbl_retry_wait (delay, cancellable, error))
      return FALSE;
  }
}

/* Where the manifest is left once sending failed for good. A reply of
 * success that makes no sense, or none at all once the body went out,
 * may stand for a job. */
static SymblOutboxState
state_after_failure (const GError * error, const SymblResponse * response)
{
  if (g_error_matches (error, SYMBL_UPLOAD_ERROR,
          SYMBL_UPLOAD_ERROR_UNANSWERED) || g_error_matches (error,
          SYMBL_CLIENT_ERROR, SYMBL_CLIENT_ERROR_MALFORMED_REPLY)
      || (response->body_sent && g_error_matches (error, G_IO_ERROR,
              G_IO_ERROR_CANCELLED)))
    return SYMBL_OUTBOX_SENT_NO_REPLY;
  /* Full job slots refuse nothing: it can be sent once one is free */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, SYMBL_UPLOAD_ERROR,
          SYMBL_UPLOAD_ERROR_SLOTS_FULL))
    return SYMBL_OUTBOX_READY;
  return SYMBL_OUTBOX_FAILED;
}

gboolean
symbl_upload_send (SymblUpload * upload, SymblOutboxEntry * entry,
    const SymblUploadCallbacks * callbacks, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  SubmitCall call = { upload, entry, {
          .endpoint = entry->endpoint,
          .conversation_id = entry->conversation_id,
          .query = entry->query,
          .content_type = entry->content_type,
          .file = entry->recording,
          .size = entry->size,
      }, callbacks, ids
  };
  GError *send_error = NULL;

  if (call_with_retries (upload, submit, &call, TRUE, callbacks, response,
          cancellable, &send_error)) {
    g_free (entry->result_conversation_id);
    entry->result_conversation_id = g_strdup (ids->conversation_id);
    g_free (entry->result_job_id);
    entry->result_job_id = g_strdup (ids->job_id);
    symbl_outbox_entry_set_state (entry, SYMBL_OUTBOX_DONE, NULL);
    return TRUE;
  }
  symbl_outbox_entry_set_state (entry, state_after_failure (send_error,
          response), send_error->message);
  g_propagate_error (error, send_error);
  return FALSE;
}

typedef struct
{
  SymblClient *client;
  const gchar *conversation_id;
  gchar *trackers;
} TrackersCall;

static gboolean
get_trackers (const gchar * token, gpointer user_data,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  TrackersCall *call = user_data;

  return symbl_client_get_trackers_detected (call->client, token,
      call->conversation_id, &call->trackers, response, cancellable, error);
}

gboolean
symbl_upload_wait_for_job (SymblUpload * upload, const SymblJobIds * ids,
    const SymblUploadCallbacks * callbacks, gchar ** trackers,
    gchar ** warning, SymblResponse * response, GCancellable * cancellable,
    GError ** error)
{
  SymblJobWatch watch = {
    .client = upload->client,
    .tokens = upload->tokens,
    .retry = &upload->retry,
    .poll_interval_ms = upload->poll_interval_ms,
    .timeout_s = upload->job_timeout_s,
  };
  TrackersCall call = { upload->client, ids->conversation_id, NULL };
  GError *trackers_error = NULL;

  *trackers = NULL;
  *warning = NULL;
  if (!symbl_job_wait (&watch, ids->job_id, callbacks->on_job_status,
          callbacks->user_data, response, cancellable, error))
    return FALSE;
  if (!symbl_options_asks_for_trackers (upload->options))
    return TRUE;
  if (call_with_retries (upload, get_trackers, &call, FALSE, callbacks,
          response, cancellable, &trackers_error)) {
    *trackers = call.trackers;
    return TRUE;
  }
  /* The job completed all the same: an odd reply (its shape is not
   * documented for every case) is no reason to say otherwise. */
  if (g_error_matches (trackers_error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_MALFORMED_REPLY)) {
    *warning = g_strdup_printf ("Job %s completed, but its detected "
        "trackers could not be read: %s", ids->job_id, trackers_error->message);
    g_error_free (trackers_error);
    return TRUE;
  }
  g_propagate_error (error, trackers_error);
  return FALSE;
}
