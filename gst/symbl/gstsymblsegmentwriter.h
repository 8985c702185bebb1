/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* GstSymblSegmentWriter: records raw speech as a series of files, one per
 * segment of about segment-duration, cut at quiet moments. Inside
 * symblsink, for meetings uploaded while they happen; not a public
 * element.
 *
 * raw audio -> segmenter -> encoder -> filesink (segment n's file)
 *
 * The raw audio goes straight into the segmenter's pad (a ghost pad would
 * cost a pad push for every buffer), with its gaps in time: the segmenter
 * fills them.
 *
 * At a cut the segment's encoder gets EOS (so that wavenc or flacenc
 * finish its header), and a new encoder and file take over, from the
 * streaming thread, before the next sample.
 *
 * It tells its parent, as element messages from the streaming thread
 * (which a bin's handle_message sees before they go on):
 *   symbl-segment-started: location (string), format (string), as the
 *     first data of a segment is about to be written;
 *   symbl-segment-closed: location, format, duration (guint64, ns) and
 *     last (boolean, the segment that the stream's end closed), once its
 *     file is complete. The last one is posted before its filesink takes
 *     the EOS: a parent that holds the thread in handle_message holds the
 *     writer's EOS message until it returns, and one that calls
 *     gst_symbl_segment_writer_refuse_end() then keeps the EOS from going
 *     any further.
 */
#pragma once

#include <gst/gst.h>

#include "symblencoding.h"

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_SEGMENT_WRITER (gst_symbl_segment_writer_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblSegmentWriter, gst_symbl_segment_writer, GST,
    SYMBL_SEGMENT_WRITER, GstBin);

#define GST_SYMBL_SEGMENT_STARTED "symbl-segment-started"
#define GST_SYMBL_SEGMENT_CLOSED "symbl-segment-closed"

/* Files go to @spool_dir, named after @label. With @preroll, the first
 * segment's file sink prerolls: a writer in place before its parent
 * reaches PAUSED holds the pipeline's PAUSED until data reached it, as
 * any sink does. NULL with @error (and *missing, a factory name) when an
 * encoder is not installed. */
GstElement *gst_symbl_segment_writer_new (SymblAudioFormat format,
    guint channels, GstClockTime segment_duration, gboolean preroll,
    const gchar * spool_dir, const gchar * label, gchar ** missing,
    GError ** error);

/* The pad that takes the raw audio, to unref. */
GstPad *gst_symbl_segment_writer_get_input (GstSymblSegmentWriter * self);

/* Whether the audio is live: see gst_symbl_segmenter_set_live(). */
void gst_symbl_segment_writer_set_live (GstSymblSegmentWriter * self,
    gboolean live);

/* From the handling of the last symbl-segment-closed: the stream ends
 * otherwise (an error said why), and its EOS goes no further. */
void gst_symbl_segment_writer_refuse_end (GstSymblSegmentWriter * self);

/* Stops the writer (to NULL, which closes its file). Returns the path of
 * the segment the stream was cut short in, or NULL (its empty file is
 * removed) when the last segment was closed or nothing was written yet. */
gchar *gst_symbl_segment_writer_close (GstSymblSegmentWriter * self);

G_END_DECLS
