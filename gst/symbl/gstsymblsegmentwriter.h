/* GstSymblSegmentWriter: records raw speech as a series of files, one per
 * segment of about segment-duration, cut at quiet moments. Inside
 * symblsink, for meetings uploaded while they happen; not a public
 * element.
 *
 * raw audio -> segmenter -> encoder -> filesink (segment n's file)
 *
 * At a cut the segment's encoder gets EOS (so that wavenc or flacenc
 * finish its header), the finished file is handed on, and a new encoder
 * and file take over, from the streaming thread, before the next sample.
 */
#pragma once

#include <gst/gst.h>

#include "symblencoding.h"

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_SEGMENT_WRITER (gst_symbl_segment_writer_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblSegmentWriter, gst_symbl_segment_writer, GST,
    SYMBL_SEGMENT_WRITER, GstBin);

/* A finished segment's file; @last for the one the stream's end closed.
 * Called from the streaming thread. */
typedef void (*GstSymblSegmentFunc) (const gchar * path, const gchar * format,
    GstClockTime duration, gboolean last, gpointer user_data);

/* Files go to @spool_dir, named after @label. NULL with @error (and
 * *missing, a factory name) when an encoder is not installed. */
GstElement *gst_symbl_segment_writer_new (SymblAudioFormat format,
    guint channels, GstClockTime segment_duration, const gchar * spool_dir,
    const gchar * label, GstSymblSegmentFunc func, gpointer user_data,
    gchar ** missing, GError ** error);

/* Stops the writer (to NULL, which closes its file). Returns the path of
 * the segment the stream was cut short in, or NULL (its empty file is
 * removed) when the last segment was finished and handed on or nothing
 * was written yet. */
gchar *gst_symbl_segment_writer_close (GstSymblSegmentWriter * self);

G_END_DECLS
