/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblresume: finishes the recordings that a crash, a kill or a stop
 * left in a spool directory, from their manifests (symbloutbox): in
 * order, a meeting's segments after its segment 0 and into its
 * conversation. Used by symbl-outbox and by the elements'
 * resume-pending. Knows no GStreamer.
 */
#pragma once

#include "symbloutbox.h"
#include "symblupload.h"

G_BEGIN_DECLS

typedef struct
{
  /* The uploader for recordings that go to @api_url; NULL to leave them
   * (@why says why, or stays NULL to leave them without a word). */
  SymblUpload *(*uploader) (const gchar * api_url, gpointer user_data,
      gchar ** why);
  /* @repaired: its WAV header was mended from its size first. */
  void (*sending) (const SymblOutboxEntry * entry, gboolean repaired,
      gpointer user_data);
  void (*sent) (const SymblOutboxEntry * entry, const SymblJobIds * ids,
      gpointer user_data);
  void (*failed) (const SymblOutboxEntry * entry, const GError * error,
      gpointer user_data);
  /* Left this time: another process holds it, or its manifest is unusable. */
  void (*skipped) (const gchar * why, gpointer user_data);
  gpointer user_data;
  /* Those of each upload, with their own user data: retries, progress. */
  SymblUploadCallbacks upload;
} SymblResumeCallbacks;

/* Sends what is not done in @dir; sent-no-reply only with
 * @resend_unanswered. Returns how many failed; -1 (with @error) when @dir
 * cannot be read. Stops between two recordings when @cancellable is
 * cancelled (and the one under way is cancelled too). */
gint symbl_resume (const gchar * dir, gboolean resend_unanswered,
    const SymblResumeCallbacks * callbacks, GCancellable * cancellable,
    GError ** error);

G_END_DECLS
