/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbluploadqueue.h"

#include <glib/gstdio.h>

typedef struct
{
  SymblOutboxEntry *entry;      /* its manifest, claimed */
  const SymblMediaFormat *format;
  GstClockTime duration;
  guint index;
} Segment;

struct _SymblUploadQueue
{
  SymblUpload *upload;          /* the sink's; outlives the queue */
  SymblUploadQueueCallbacks callbacks;
  GCancellable *cancellable;
  GThread *thread;

  GMutex lock;                  /* the fields below */
  GCond changed;
  GQueue pending;               /* of Segment; the head may be uploading */
  Segment *recording;           /* begun, not pushed yet */
  SymblStreamInfo info;         /* the recording's, for each segment */
  gchar *channel_metadata;      /* info's, owned */
  gboolean failed;              /* a segment failed for good: stop there */
  gboolean closed;              /* no more segments will come */
  gboolean finished;            /* finished was called */
  gboolean stopping;
  guint next_index;
  gchar *meeting_id;            /* what the segments' manifests share */
  gchar *conversation_id;       /* the first segment's */
  SymblJobIds last_ids;
};

static void
segment_free (Segment * segment)
{
  if (!segment)
    return;
  symbl_outbox_entry_free (segment->entry);
  g_free (segment);
}

static guint64
file_size (const gchar * path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* The meeting's conversation is known: the manifests of the segments
 * waiting, and of the one being recorded, say so before the first one's
 * goes, so that on disk there is always a way to it. Lock held. */
static void
address_segment (SymblUploadQueue * queue, Segment * segment)
{
  SymblOutboxEntry *entry = segment ? segment->entry : NULL;

  if (!entry || !entry->append_to_meeting)
    return;
  entry->append_to_meeting = FALSE;
  entry->conversation_id = g_strdup (queue->conversation_id);
  symbl_outbox_entry_set_state (entry, entry->state, NULL);
}

static void
address_waiting (SymblUploadQueue * queue)
{
  GList *l;

  for (l = queue->pending.head; l; l = l->next)
    address_segment (queue, l->data);
  address_segment (queue, queue->recording);
}

/* Uploads @segment; lock not held. */
static void
upload_segment (SymblUploadQueue * queue, Segment * segment)
{
  SymblUploadCallbacks *callbacks = &queue->callbacks.upload;
  SymblResponse response = SYMBL_RESPONSE_INIT;
  SymblJobIds ids = { NULL, NULL };
  g_autoptr (GError) error = NULL;
  SymblOutboxEntry *entry = segment->entry;
  gboolean keep = symbl_upload_get_keep_spool (queue->upload);

  if (queue->callbacks.sending)
    queue->callbacks.sending (segment->index, entry->size,
        queue->callbacks.user_data);
  if (symbl_upload_send (queue->upload, entry, callbacks, &ids, &response,
          queue->cancellable, &error)) {
    /* Told before the segment leaves the queue, so that a drain returns
     * only once every job message is posted. */
    queue->callbacks.uploaded (segment->index, &ids, segment->format,
        entry->size, segment->duration, keep ? entry->recording : NULL,
        queue->callbacks.user_data);

    g_mutex_lock (&queue->lock);
    g_queue_pop_head (&queue->pending);
    if (!queue->conversation_id) {
      queue->conversation_id = g_strdup (ids.conversation_id);
      address_waiting (queue);
    }
    symbl_job_ids_clear (&queue->last_ids);
    queue->last_ids.conversation_id = g_strdup (ids.conversation_id);
    queue->last_ids.job_id = g_strdup (ids.job_id);
    g_cond_broadcast (&queue->changed);
    g_mutex_unlock (&queue->lock);
    if (!keep)
      symbl_outbox_entry_remove (entry);
    segment_free (segment);
  } else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    queue->callbacks.failed (segment->index, entry->recording,
        segment->format, entry->conversation_id, error, &response,
        queue->callbacks.user_data);
    g_mutex_lock (&queue->lock);
    queue->failed = TRUE;
    g_cond_broadcast (&queue->changed);
    g_mutex_unlock (&queue->lock);
  }
  symbl_job_ids_clear (&ids);
  symbl_response_clear (&response);
}

static gpointer
run (gpointer data)
{
  SymblUploadQueue *queue = data;

  g_mutex_lock (&queue->lock);
  while (!queue->stopping) {
    Segment *segment = g_queue_peek_head (&queue->pending);
    gboolean done = queue->failed || (queue->closed && !segment);

    if (done && !queue->finished) {
      queue->finished = TRUE;
      g_mutex_unlock (&queue->lock);
      queue->callbacks.finished (!queue->failed, queue->callbacks.user_data);
      g_mutex_lock (&queue->lock);
      continue;
    }
    if (!segment || queue->failed) {
      g_cond_wait (&queue->changed, &queue->lock);
      continue;
    }
    g_mutex_unlock (&queue->lock);
    upload_segment (queue, segment);
    g_mutex_lock (&queue->lock);
  }
  g_mutex_unlock (&queue->lock);
  return NULL;
}

SymblUploadQueue *
symbl_upload_queue_new (SymblUpload * upload,
    const SymblUploadQueueCallbacks * callbacks)
{
  SymblUploadQueue *queue = g_new0 (SymblUploadQueue, 1);

  queue->upload = upload;
  queue->callbacks = *callbacks;
  queue->meeting_id = g_uuid_string_random ();
  queue->cancellable = g_cancellable_new ();
  g_mutex_init (&queue->lock);
  g_cond_init (&queue->changed);
  g_queue_init (&queue->pending);
  queue->thread = g_thread_new ("symbl-segments", run, queue);
  return queue;
}

void
symbl_upload_queue_begin (SymblUploadQueue * queue, const gchar * path,
    const SymblMediaFormat * format, const SymblStreamInfo * info)
{
  Segment *segment = g_new0 (Segment, 1);
  g_autoptr (GError) error = NULL;
  SymblOutboxEntry *entry;

  g_mutex_lock (&queue->lock);
  g_free (queue->channel_metadata);
  queue->info = *info;
  queue->channel_metadata = g_strdup (info->channel_metadata);
  queue->info.channel_metadata = queue->channel_metadata;
  segment->index = queue->next_index++;
  entry = segment->entry = symbl_outbox_entry_new (path, &error);
  if (entry) {
    /* Where it goes is known now; its size and length once it is
     * complete. */
    symbl_upload_address (queue->upload, entry, format, &queue->info,
        queue->conversation_id);
    entry->append_to_meeting = segment->index > 0 && !entry->conversation_id;
    entry->meeting_id = g_strdup (queue->meeting_id);
    entry->segment_index = segment->index;
    symbl_outbox_entry_set_state (entry, SYMBL_OUTBOX_RECORDING, NULL);
  } else {
    g_warning ("segment %u has no manifest: %s", segment->index,
        error->message);
  }
  segment_free (queue->recording);
  queue->recording = segment;
  g_mutex_unlock (&queue->lock);
}

gboolean
symbl_upload_queue_push (SymblUploadQueue * queue,
    const SymblMediaFormat * format, GstClockTime duration)
{
  SymblResponse no_response = SYMBL_RESPONSE_INIT;
  g_autoptr (GError) error = NULL;
  SymblOutboxEntry *entry;
  Segment *segment;

  g_mutex_lock (&queue->lock);
  segment = g_steal_pointer (&queue->recording);
  if (!segment) {
    g_mutex_unlock (&queue->lock);
    return FALSE;
  }
  segment->format = format;
  segment->duration = duration;
  entry = segment->entry;
  if (entry) {
    entry->size = file_size (entry->recording);
    entry->duration_s = GST_CLOCK_TIME_IS_VALID (duration) ?
        (gdouble) duration / GST_SECOND : -1;
    entry->state = SYMBL_OUTBOX_READY;
  }
  if (entry && symbl_outbox_entry_save (entry, &error)) {
    g_queue_push_tail (&queue->pending, segment);
  } else {
    /* Nothing is sent out of order: the segments after it wait too. */
    if (!error)
      g_set_error (&error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_MANIFEST,
          "segment %u has no manifest", segment->index);
    queue->failed = TRUE;
    g_mutex_unlock (&queue->lock);
    queue->callbacks.failed (segment->index, entry ? entry->recording :
        "(none)", format, queue->conversation_id, error, &no_response,
        queue->callbacks.user_data);
    g_mutex_lock (&queue->lock);
    segment_free (segment);
  }
  g_cond_broadcast (&queue->changed);
  g_mutex_unlock (&queue->lock);
  return TRUE;
}

void
symbl_upload_queue_close (SymblUploadQueue * queue)
{
  g_mutex_lock (&queue->lock);
  queue->closed = TRUE;
  g_cond_broadcast (&queue->changed);
  g_mutex_unlock (&queue->lock);
}

gboolean
symbl_upload_queue_get_last_ids (SymblUploadQueue * queue, SymblJobIds * ids)
{
  gboolean known;

  g_mutex_lock (&queue->lock);
  known = queue->last_ids.job_id != NULL;
  if (known) {
    ids->conversation_id = g_strdup (queue->last_ids.conversation_id);
    ids->job_id = g_strdup (queue->last_ids.job_id);
  }
  g_mutex_unlock (&queue->lock);
  return known;
}

void
symbl_upload_queue_cancel (SymblUploadQueue * queue)
{
  g_mutex_lock (&queue->lock);
  queue->stopping = TRUE;
  g_cond_broadcast (&queue->changed);
  g_mutex_unlock (&queue->lock);
  g_cancellable_cancel (queue->cancellable);
}

gchar **
symbl_upload_queue_free (SymblUploadQueue * queue)
{
  GPtrArray *kept = g_ptr_array_new ();
  Segment *segment;

  symbl_upload_queue_cancel (queue);
  g_thread_join (queue->thread);

  while ((segment = g_queue_pop_head (&queue->pending))) {
    g_ptr_array_add (kept, g_strdup (segment->entry->recording));
    segment_free (segment);
  }
  /* The one being recorded stays if it holds anything, to go as it is. */
  segment = g_steal_pointer (&queue->recording);
  if (segment && segment->entry) {
    SymblOutboxEntry *entry = segment->entry;

    if (file_size (entry->recording) > 0) {
      entry->size = file_size (entry->recording);
      symbl_outbox_entry_set_state (entry, SYMBL_OUTBOX_READY, NULL);
      g_ptr_array_add (kept, g_strdup (entry->recording));
    } else {
      symbl_outbox_entry_remove (entry);
    }
  }
  segment_free (segment);
  g_ptr_array_add (kept, NULL);

  symbl_job_ids_clear (&queue->last_ids);
  g_free (queue->conversation_id);
  g_free (queue->channel_metadata);
  g_free (queue->meeting_id);
  g_object_unref (queue->cancellable);
  g_cond_clear (&queue->changed);
  g_mutex_clear (&queue->lock);
  g_free (queue);
  return (gchar **) g_ptr_array_free (kept, FALSE);
}
