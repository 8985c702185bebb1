/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbluploadqueue: a meeting's segments, uploaded in order in the
 * background while the recording goes on.
 *
 * Each segment gets its manifest when it starts being recorded, so that a
 * crash leaves what its upload needs. The first segment creates the
 * conversation (or appends to the conversation-id setting); each later
 * one appends to it with PUT, after the one before it succeeded: requests
 * for one conversation are processed in order, so they must be sent in
 * order. A failing segment is retried as any upload is; the ones behind
 * it wait. A segment's file is deleted once it is uploaded (unless kept),
 * never before. Knows no GStreamer element.
 */
#pragma once

#include "symblupload.h"

G_BEGIN_DECLS

typedef struct _SymblUploadQueue SymblUploadQueue;

typedef struct
{
  /* From the queue's thread. @index counts segments from 0. Before each
   * segment of @size bytes is sent (may be NULL): */
  void (*sending) (guint index, guint64 size, gpointer user_data);
  void (*uploaded) (guint index, const SymblJobIds * ids,
      const SymblMediaFormat * format, guint64 size, GstClockTime duration,
      const gchar * kept_path, gpointer user_data);
  /* @conversation_id: where it was to be appended, NULL for the first.
   * From the queue's thread, or from the caller of push. */
  void (*failed) (guint index, const gchar * path,
      const SymblMediaFormat * format, const gchar * conversation_id,
      const GError * error, const SymblResponse * response,
      gpointer user_data);
  /* Once, after close: every segment uploaded (TRUE), or one failed for
   * good (FALSE). From the queue's thread. Not called when cancelled. */
  void (*finished) (gboolean ok, gpointer user_data);
  gpointer user_data;
  /* Those of each upload, with their own user data: retries, progress. */
  SymblUploadCallbacks upload;
} SymblUploadQueueCallbacks;

SymblUploadQueue *symbl_upload_queue_new (SymblUpload * upload,
    const SymblUploadQueueCallbacks * callbacks);

/* Segment @path starts being recorded, in @format: its manifest, in
 * state recording, with what @info (copied) tells of the recording. */
void symbl_upload_queue_begin (SymblUploadQueue * queue, const gchar * path,
    const SymblMediaFormat * format, const SymblStreamInfo * info);

/* The segment begun last is complete: to upload after the ones before.
 * FALSE when none was begun (a segment that got no data). */
gboolean symbl_upload_queue_push (SymblUploadQueue * queue,
    const SymblMediaFormat * format, GstClockTime duration);

/* No more segments: finished is called once the last is uploaded. */
void symbl_upload_queue_close (SymblUploadQueue * queue);

/* Copies into @ids those of the last segment uploaded; FALSE when none
 * was. A copy, taken under the queue's lock: the queue's thread replaces
 * its own as segments go. */
gboolean symbl_upload_queue_get_last_ids (SymblUploadQueue * queue,
    SymblJobIds * ids);

/* Stops: cancels an upload under way, uploads no more. Any thread. */
void symbl_upload_queue_cancel (SymblUploadQueue * queue);

/* Stops (cancelling an upload under way) and frees. The files not
 * uploaded stay, with their manifests; their paths are returned, in
 * order, NULL-terminated, the one being recorded last. */
gchar **symbl_upload_queue_free (SymblUploadQueue * queue);

G_END_DECLS
