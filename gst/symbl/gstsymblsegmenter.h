/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* GstSymblSegmenter: cuts raw S16 audio into segments of about a given
 * length, at the quietest 10 ms within a few seconds of each target, so
 * that no word is split, and fills gaps in time with silence. Used inside
 * symblsink; not a public element.
 *
 * At each cut it has pushed everything before the cut; it then calls the
 * cut function, which ends the current segment downstream (an EOS into
 * the branch it feeds) and links a new one; then it pushes the rest. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_SEGMENTER (gst_symbl_segmenter_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblSegmenter, gst_symbl_segmenter, GST,
    SYMBL_SEGMENTER, GstElement);

/* Called from the streaming thread at a cut; @duration is the length of
 * the segment that just ended. */
typedef void (*GstSymblSegmenterCutFunc) (GstSymblSegmenter * segmenter,
    GstClockTime duration, gpointer user_data);

/* Below this, a jump in time is jitter, not a gap. */
#define GST_SYMBL_SEGMENTER_TOLERANCE (30 * GST_MSECOND)

/* How far on each side of the target the quietest moment is looked for. */
#define GST_SYMBL_SEGMENTER_SEARCH (2 * GST_SECOND)

GstElement *gst_symbl_segmenter_new (GstClockTime segment_duration,
    GstSymblSegmenterCutFunc cut, gpointer user_data);

/* Live (the default until told), the recording starts with the first
 * buffer; not live, at the start of the stream, silence before it. Any
 * thread, before the first buffer. */
void gst_symbl_segmenter_set_live (GstSymblSegmenter * segmenter,
    gboolean live);

/* Each segment goes into a new wavenc: see push_first (). */
void gst_symbl_segmenter_set_wavenc_downstream (GstSymblSegmenter * segmenter);

/* The length of the segment being recorded so far. */
GstClockTime gst_symbl_segmenter_get_segment_position (GstSymblSegmenter * segmenter);

G_END_DECLS
