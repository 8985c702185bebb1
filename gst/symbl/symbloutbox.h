/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbloutbox: what is needed to finish a recording's upload, on disk
 * beside it, so that a crash, a kill or a stop loses nothing.
 *
 * Each recording in spool-dir gets a manifest, "<recording>.json":
 * where it goes (endpoint, method, the conversation to append to), the
 * query and Content-Type exactly as they are sent, its place in a
 * meeting, its state, attempts, last error and ids. A manifest never
 * holds a secret. It is written atomically (temporary file, fsync,
 * rename) at every change of state.
 *
 * Whoever works on a recording (an element recording or uploading it, or
 * symbl-outbox sending it) holds an exclusive flock(2) on the recording
 * file, so that no two processes, and no two elements, send it twice.
 * Knows no GStreamer.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYMBL_OUTBOX_ERROR (symbl_outbox_error_quark ())
GQuark symbl_outbox_error_quark (void);

typedef enum
{
  SYMBL_OUTBOX_ERROR_BUSY,      /* another process or element holds it */
  SYMBL_OUTBOX_ERROR_MANIFEST,  /* unreadable or not a manifest */
} SymblOutboxError;

typedef enum
{
  SYMBL_OUTBOX_RECORDING,       /* still being written (or cut short) */
  SYMBL_OUTBOX_READY,           /* complete, not sent yet */
  SYMBL_OUTBOX_SENDING,         /* an attempt is under way */
  SYMBL_OUTBOX_SENT_NO_REPLY,   /* the whole body went out, no usable
                                 * reply came: Symbl may have a job */
  SYMBL_OUTBOX_DONE,
  SYMBL_OUTBOX_FAILED,          /* refused for good */
} SymblOutboxState;

typedef struct
{
  gchar *recording;             /* the file's path */
  gchar *api_url;
  gchar *app_id;                /* for information; never the secret */
  gchar *endpoint;              /* "audio" or "video" */
  /* Appended with PUT to @conversation_id; or, with @append_to_meeting,
   * to the conversation that segment 0 of @meeting_id got; else POST. */
  gchar *conversation_id;
  gboolean append_to_meeting;
  gchar *query;                 /* encoded, without '?'; may be NULL */
  gchar *content_type;          /* NULL: no Content-Type header */
  gchar *meeting_id;
  guint segment_index;
  guint64 size;
  gdouble duration_s;           /* < 0: unknown */
  SymblOutboxState state;
  guint attempts;
  gchar *last_error;
  gchar *result_conversation_id;
  gchar *result_job_id;

  gint lock_fd;                 /* -1: not claimed */
} SymblOutboxEntry;

const gchar *symbl_outbox_state_to_string (SymblOutboxState state);

/* "<recording>.json". */
gchar *symbl_outbox_manifest_path (const gchar * recording);

/* A new entry for @recording, claimed, in state recording. */
SymblOutboxEntry *symbl_outbox_entry_new (const gchar * recording,
    GError ** error);
/* Reads the manifest at @manifest_path (not claimed). */
SymblOutboxEntry *symbl_outbox_entry_load (const gchar * manifest_path,
    GError ** error);
/* Takes the recording's lock without waiting: SYMBL_OUTBOX_ERROR_BUSY
 * when someone else holds it. The manifest is read again once locked,
 * since the one who held it may have changed it. */
gboolean symbl_outbox_entry_claim (SymblOutboxEntry * entry,
    GError ** error);
/* Writes the manifest atomically. */
gboolean symbl_outbox_entry_save (SymblOutboxEntry * entry, GError ** error);
/* Sets the state (and @error_text as the last error when not NULL) and
 * saves; a failure to save is logged, not fatal: the recording is
 * still there. */
void symbl_outbox_entry_set_state (SymblOutboxEntry * entry,
    SymblOutboxState state, const gchar * error_text);
/* Removes the recording and its manifest. */
void symbl_outbox_entry_remove (SymblOutboxEntry * entry);
/* Releases the lock and frees. */
void symbl_outbox_entry_free (SymblOutboxEntry * entry);

/* Every manifest in @dir, sorted for sending: by meeting, then segment;
 * recordings of no meeting by name. Unreadable manifests are skipped
 * with a warning in @problems (strings), if given. */
GPtrArray *symbl_outbox_list (const gchar * dir, GPtrArray * problems,
    GError ** error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SymblOutboxEntry, symbl_outbox_entry_free);

G_END_DECLS
