/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblresume.h"

#include <unistd.h>
#include <glib/gstdio.h>

#include "symblwavrepair.h"

typedef struct
{
  gboolean resend_unanswered;
  const SymblResumeCallbacks *callbacks;
  GCancellable *cancellable;
  GPtrArray *entries;
  GHashTable *stalled;          /* meetings that wait for the next run */
  GHashTable *sent;             /* entries sent by this run */
} Resume;

static gboolean
should_send (Resume * resume, const SymblOutboxEntry * entry)
{
  return entry->state != SYMBL_OUTBOX_DONE
      && (entry->state != SYMBL_OUTBOX_SENT_NO_REPLY
      || resume->resend_unanswered);
}

/* The conversation that segment 0 of @entry's meeting got: from this
 * run, or from its manifest, which another process may have updated. */
static gchar *
meeting_conversation (Resume * resume, const SymblOutboxEntry * entry)
{
  guint i;

  for (i = 0; i < resume->entries->len; i++) {
    SymblOutboxEntry *first = g_ptr_array_index (resume->entries, i);
    g_autofree gchar *manifest = NULL;
    g_autoptr (SymblOutboxEntry) on_disk = NULL;

    if (first->segment_index != 0
        || g_strcmp0 (first->meeting_id, entry->meeting_id) != 0)
      continue;
    if (first->state == SYMBL_OUTBOX_DONE)
      return g_strdup (first->result_conversation_id);
    manifest = symbl_outbox_manifest_path (first->recording);
    on_disk = symbl_outbox_entry_load (manifest, NULL);
    if (on_disk && on_disk->state == SYMBL_OUTBOX_DONE)
      return g_strdup (on_disk->result_conversation_id);
  }
  return NULL;
}

static guint64
file_size (const gchar * path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Sends @entry, claimed, with @upload. */
static gboolean
send_entry (Resume * resume, SymblUpload * upload, SymblOutboxEntry * entry,
    SymblJobIds * ids, GError ** error)
{
  SymblResponse response = SYMBL_RESPONSE_INIT;
  gboolean ok, repaired;

  if (entry->append_to_meeting) {
    entry->conversation_id = meeting_conversation (resume, entry);
    if (!entry->conversation_id) {
      g_set_error (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_MANIFEST,
          "segment %u of meeting %s is appended to the conversation of its "
          "segment 0, which has none yet", entry->segment_index,
          entry->meeting_id);
      return FALSE;
    }
    entry->append_to_meeting = FALSE;
  }
  /* What is on disk is what goes, even if a crash cut it short: then a
   * WAV's header still holds wavenc's placeholder sizes. */
  if (!symbl_wav_repair (entry->recording, &repaired, error))
    return FALSE;
  entry->size = file_size (entry->recording);
  if (resume->callbacks->sending)
    resume->callbacks->sending (entry, repaired, resume->callbacks->user_data);
  ok = symbl_upload_send (upload, entry, &resume->callbacks->upload, ids,
      &response, resume->cancellable, error);
  symbl_response_clear (&response);
  return ok;
}

/* Claims @entry if it is still to be sent. A recording gone, or done by
 * now, is someone else's success: left without a word. */
static gboolean
claim (Resume * resume, SymblOutboxEntry * entry, gboolean * busy)
{
  g_autoptr (GError) error = NULL;

  *busy = FALSE;
  if (symbl_outbox_entry_claim (entry, &error))
    return should_send (resume, entry);
  *busy = g_error_matches (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_BUSY);
  if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
      && resume->callbacks->skipped)
    resume->callbacks->skipped (error->message, resume->callbacks->user_data);
  return FALSE;
}

/* Sends @entry if it may go now; FALSE when it failed. */
static gboolean
resume_entry (Resume * resume, SymblOutboxEntry * entry)
{
  const SymblResumeCallbacks *callbacks = resume->callbacks;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *why = NULL;
  SymblJobIds ids = { NULL, NULL };
  SymblUpload *upload;
  gboolean busy, ok;

  /* A meeting's segments go in order: none after one that did not. */
  if (!should_send (resume, entry) || (entry->meeting_id
          && g_hash_table_contains (resume->stalled, entry->meeting_id)))
    return TRUE;
  /* Symbl would refuse it once the whole body went out. */
  if (entry->duration_s > SYMBL_MAX_FILE_SECONDS) {
    why = g_strdup_printf ("%s is not sent: it is %.0f s long, and Symbl "
        "refuses files longer than 4 hours. Cut it into parts under 4 "
        "hours, e.g. by recording its audio again through symblsink",
        entry->recording, entry->duration_s);
    if (callbacks->skipped)
      callbacks->skipped (why, callbacks->user_data);
    return FALSE;
  }
  upload = callbacks->uploader (entry->api_url, callbacks->user_data, &why);
  if (!upload) {
    if (why && callbacks->skipped)
      callbacks->skipped (why, callbacks->user_data);
    ok = why == NULL;
  } else if (!claim (resume, entry, &busy)) {
    ok = TRUE;
    if (!busy)
      return TRUE;
  } else {
    ok = send_entry (resume, upload, entry, &ids, &error);
    if (ok) {
      g_hash_table_add (resume->sent, entry);
      if (callbacks->sent)
        callbacks->sent (entry, &ids, callbacks->user_data);
    } else if (callbacks->failed) {
      callbacks->failed (entry, error, callbacks->user_data);
    }
    /* Let go at once: the next may be another process's to send. */
    close (g_steal_fd (&entry->lock_fd));
    symbl_job_ids_clear (&ids);
    if (ok)
      return TRUE;
  }
  if (entry->meeting_id)
    g_hash_table_add (resume->stalled, entry->meeting_id);
  return ok;
}

/* What this run sent goes, with its manifest; but a meeting's segment 0
 * keeps its manifest while later ones may need its conversation. */
static void
remove_sent (Resume * resume)
{
  guint i, j;

  for (i = 0; i < resume->entries->len; i++) {
    SymblOutboxEntry *entry = g_ptr_array_index (resume->entries, i);
    gboolean needed = FALSE;

    if (!g_hash_table_contains (resume->sent, entry))
      continue;
    for (j = 0; entry->meeting_id && j < resume->entries->len; j++) {
      SymblOutboxEntry *other = g_ptr_array_index (resume->entries, j);

      needed |= other != entry && other->state != SYMBL_OUTBOX_DONE
          && g_strcmp0 (other->meeting_id, entry->meeting_id) == 0;
    }
    if (needed)
      g_unlink (entry->recording);
    else
      symbl_outbox_entry_remove (entry);
  }
}

static void
report_problem (gpointer problem, gpointer user_data)
{
  const SymblResumeCallbacks *callbacks = user_data;

  if (callbacks->skipped)
    callbacks->skipped (problem, callbacks->user_data);
}

gint
symbl_resume (const gchar * dir, gboolean resend_unanswered,
    const SymblResumeCallbacks * callbacks, GCancellable * cancellable,
    GError ** error)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  Resume resume = { resend_unanswered, callbacks, cancellable };
  guint i;
  gint failed = 0;

  resume.entries = symbl_outbox_list (dir, problems, error);
  if (!resume.entries)
    return -1;
  g_ptr_array_foreach (problems, report_problem, (gpointer) callbacks);
  resume.stalled = g_hash_table_new (g_str_hash, g_str_equal);
  resume.sent = g_hash_table_new (NULL, NULL);
  for (i = 0; i < resume.entries->len
      && !g_cancellable_is_cancelled (cancellable); i++)
    failed += !resume_entry (&resume, g_ptr_array_index (resume.entries, i));
  remove_sent (&resume);
  g_hash_table_unref (resume.sent);
  g_hash_table_unref (resume.stalled);
  g_ptr_array_unref (resume.entries);
  return failed;
}
