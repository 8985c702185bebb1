/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblupload: one recording's way to Symbl, and its job's to the end.
 *
 * Resolves the settings into what an upload needs (checked when the
 * element goes to READY, so that bad input fails before anything is
 * recorded), sends the spooled file with retries, and follows the job to
 * its detected trackers. Knows no GStreamer pads.
 */
#pragma once

#include "symblclient.h"
#include "symbljob.h"
#include "symblmedia.h"
#include "symbloptions.h"
#include "symbloutbox.h"
#include "symblretry.h"
#include "symblsettings.h"

G_BEGIN_DECLS

#define SYMBL_UPLOAD_ERROR (symbl_upload_error_quark ())
GQuark symbl_upload_error_quark (void);

typedef enum
{
  SYMBL_UPLOAD_ERROR_SETTINGS,  /* a property's value is unusable */
  SYMBL_UPLOAD_ERROR_NO_TOKEN,  /* no way to authenticate */
  SYMBL_UPLOAD_ERROR_SPOOL_DIR, /* recordings cannot be written there */
  SYMBL_UPLOAD_ERROR_CREDENTIALS,       /* the API refused the app's */
  SYMBL_UPLOAD_ERROR_UNANSWERED,        /* the whole body went out, and no
                                         * usable reply came back */
  SYMBL_UPLOAD_ERROR_UNREACHABLE,       /* the API does not answer now */
  SYMBL_UPLOAD_ERROR_SLOTS_FULL,        /* the account's job slots stayed
                                         * full for queue-timeout */
} SymblUploadError;

typedef struct _SymblUpload SymblUpload;

/* Told before each wait between attempts, from the uploading thread:
 * @attempt (from 1) failed with @error, and the next one starts in
 * @delay seconds. @max_attempts is 0 when retries are unbounded. With
 * @slots_full, the account's job slots were full (429): @attempt counts
 * those waits instead, which the retries do not bound, and
 * @max_attempts is 0. */
typedef void (*SymblRetryFunc) (guint attempt, guint max_attempts,
    const GError * error, const SymblResponse * response, gdouble delay,
    gboolean slots_full, gpointer user_data);

typedef struct
{
  SymblRetryFunc on_retry;
  SymblProgressFunc on_progress;        /* bytes of the body sent */
  SymblJobStatusFunc on_job_status;
  gpointer user_data;
} SymblUploadCallbacks;

/* Checks the settings, without the network: @advice (strings) gets what
 * is only advice. */
SymblUpload *symbl_upload_new (const SymblSettings * settings,
    GPtrArray * advice, GError ** error);
void symbl_upload_free (SymblUpload * upload);

/* What can be known before the recording ends: that the API answers
 * (DNS, TCP, TLS), and that it takes the app credentials (a token is
 * generated, and cached for the upload). SYMBL_UPLOAD_ERROR_CREDENTIALS
 * or _UNREACHABLE. Blocks: never from a state change. */
gboolean symbl_upload_check (SymblUpload * upload, GCancellable * cancellable,
    GError ** error);

const gchar *symbl_upload_get_api_url (SymblUpload * upload);
const gchar *symbl_upload_get_spool_dir (SymblUpload * upload);
gboolean symbl_upload_get_keep_spool (SymblUpload * upload);
gboolean symbl_upload_get_wait_for_job (SymblUpload * upload);
/* The conversation-id setting: the conversation to append to, or NULL. */
const gchar *symbl_upload_get_conversation_id (SymblUpload * upload);
/* Where a recording of @format goes (appended to @conversation_id, or to
 * the conversation-id setting), for messages: "POST https://...", with no
 * secret in it. */
gchar *symbl_upload_describe (SymblUpload * upload,
    const SymblMediaFormat * format, const gchar * conversation_id);

/* Writes into @entry, the manifest of a recording of @format, where it
 * goes (the endpoint; a PUT when appending to @conversation_id, or to
 * the conversation-id setting) and the query exactly as it will be sent,
 * from what @info tells of the recording. Saves nothing. */
void symbl_upload_address (SymblUpload * upload, SymblOutboxEntry * entry,
    const SymblMediaFormat * format, const SymblStreamInfo * info,
    const gchar * conversation_id);

/* Sends @entry's recording as its manifest says, retrying as the
 * settings say: each attempt sends the whole file from its start. While
 * the account's job slots are full (429), it waits for one apart from
 * the retries, up to queue-timeout: SYMBL_UPLOAD_ERROR_SLOTS_FULL then,
 * and the manifest is left ready, to be sent later. The
 * manifest follows: sending (with the attempts), then done with the ids,
 * failed with the error, or sent-no-reply. A failure once the whole body
 * went out (no reply, or a reply broken off) may have left a job at
 * Symbl: it is SYMBL_UPLOAD_ERROR_UNANSWERED and is never sent again
 * here, since a second job would be billed. On failure @response holds
 * what the last attempt got. */
gboolean symbl_upload_send (SymblUpload * upload, SymblOutboxEntry * entry,
    const SymblUploadCallbacks * callbacks, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

/* Follows the job in @ids until it completes, then, if the upload asked
 * for trackers (some sent, or enable-all-trackers), fetches the detected
 * ones: @trackers gets the JSON array as the API returned it, else NULL.
 * A reply that is not an array leaves the job completed: TRUE, with
 * @warning saying so. */
gboolean symbl_upload_wait_for_job (SymblUpload * upload,
    const SymblJobIds * ids, const SymblUploadCallbacks * callbacks,
    gchar ** trackers, gchar ** warning, SymblResponse * response,
    GCancellable * cancellable, GError ** error);

G_END_DECLS
