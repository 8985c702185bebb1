/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "config.h"
#include "gstsymblsegmenter.h"

#include <gst/audio/audio.h>
#include <gst/base/gstadapter.h>

#include "symblmedia.h"

GST_DEBUG_CATEGORY_STATIC (gst_symbl_segmenter_debug);
#define GST_CAT_DEFAULT gst_symbl_segmenter_debug

/* Energy is compared over windows this long: a syllable is longer. */
#define WINDOWS_PER_SECOND 100
/* Audio is passed on in pieces this long: one encoder call and one write
 * for many small buffers (a live source sends 10 ms at a time), yet no
 * more than this is held back from the file a crash would leave. */
#define HOLD (500 * GST_MSECOND)

struct _GstSymblSegmenter
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;
  GstClockTime segment_duration;
  GstSymblSegmenterCutFunc cut;
  gpointer user_data;

  gint live;                    /* atomic: see set_live () */

  /* Streaming thread. Positions count samples from the first one. */
  GstAudioInfo info;
  GstSegment segment;           /* upstream's, for running times */
  GstBuffer *piece;             /* received, copied in, not pending yet */
  GstMapInfo piece_map;
  gsize piece_fill;
  GstAdapter *pending;          /* received, not pushed yet */
  guint64 pending_start;        /* position of the adapter's first sample */
  guint64 segment_start;        /* where the current segment began */
  guint64 target;               /* where the next cut should be, about:
                                 * on a grid, so that cuts do not drift */
  GstClockTime origin;          /* the running time of position 0 */
  gint64 shift;                 /* added to the position a time gives */
  gboolean timed;               /* origin is known */
  gboolean rebase;              /* the next time continues the recording */
  gboolean started;             /* the segment event is sent */
  gboolean fresh;               /* nothing pushed yet into this segment */
  gboolean wavenc_downstream;   /* see push_first () */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format=S16LE, layout=interleaved"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format=S16LE, layout=interleaved"));

G_DEFINE_TYPE (GstSymblSegmenter, gst_symbl_segmenter, GST_TYPE_ELEMENT);

static guint64
samples (GstSymblSegmenter * self, GstClockTime time)
{
  return gst_util_uint64_scale (time, GST_AUDIO_INFO_RATE (&self->info),
      GST_SECOND);
}

static GstClockTime
time_of (GstSymblSegmenter * self, guint64 position)
{
  return gst_util_uint64_scale (position, GST_SECOND,
      GST_AUDIO_INFO_RATE (&self->info));
}

/* The length of the windows whose energy is compared, in samples. */
static guint64
window_samples (GstSymblSegmenter * self)
{
  return MAX (GST_AUDIO_INFO_RATE (&self->info) / WINDOWS_PER_SECOND, 1);
}

/* The first buffer of a segment, into a new wavenc. wavenc (1.22) sends
 * its header when its first buffer comes, and if downstream refuses the
 * header (the pipeline stopping just as a segment starts) it returns
 * without dropping that buffer. Holding a ref over the push tells: wavenc
 * copies a buffer it does not own alone before pushing it on, so once the
 * push failed only wavenc can still hold the original, and that ref is
 * the one it lost. */
static GstFlowReturn
push_first (GstSymblSegmenter * self, GstBuffer * buffer)
{
  GstFlowReturn ret;

  gst_buffer_ref (buffer);
  ret = gst_pad_push (self->srcpad, buffer);
  if (ret != GST_FLOW_OK && GST_MINI_OBJECT_REFCOUNT_VALUE (buffer) > 1) {
    GST_DEBUG_OBJECT (self, "dropping the buffer the encoder kept");
    gst_buffer_unref (buffer);
  }
  gst_buffer_unref (buffer);
  return ret;
}

/* Pushes the first @n pending samples, timestamped by their position. */
static GstFlowReturn
push (GstSymblSegmenter * self, guint64 n)
{
  gsize bpf = GST_AUDIO_INFO_BPF (&self->info);
  GstBuffer *buffer;
  gboolean first = self->fresh;

  if (n == 0)
    return GST_FLOW_OK;
  buffer = gst_adapter_take_buffer (self->pending, n * bpf);
  GST_BUFFER_PTS (buffer) = time_of (self, self->pending_start);
  GST_BUFFER_DURATION (buffer) = time_of (self, self->pending_start + n) -
      time_of (self, self->pending_start);
  self->pending_start += n;
  self->fresh = FALSE;
  if (first && self->wavenc_downstream)
    return push_first (self, buffer);
  return gst_pad_push (self->srcpad, buffer);
}

/* The start of the quietest window in [@from, @to), all pending; of
 * equally quiet ones, the nearest to the target. */
static guint64
quietest (GstSymblSegmenter * self, guint64 from, guint64 to)
{
  guint channels = GST_AUDIO_INFO_CHANNELS (&self->info);
  guint64 window = window_samples (self);
  gsize bytes = (to - self->pending_start) * GST_AUDIO_INFO_BPF (&self->info);
  const gint16 *data = gst_adapter_map (self->pending, bytes);
  guint64 best = from, w;
  gdouble best_energy = G_MAXDOUBLE;

  for (w = from; w + window <= to; w += window) {
    const gint16 *s = data + (w - self->pending_start) * channels;
    gdouble energy = 0;
    guint64 i;

    for (i = 0; i < window * channels; i++)
      energy += (gdouble) s[i] * s[i];
    if (energy < best_energy || (energy == best_energy
            && ABS ((gint64) (w - self->target)) <
            ABS ((gint64) (best - self->target)))) {
      best_energy = energy;
      best = w;
    }
  }
  gst_adapter_unmap (self->pending);
  return best;
}

/* The first audio goes at once, not held: the first file sink prerolls
 * with it, so that a pipeline that is not live reaches PAUSED with its
 * first buffer, as with any sink. */
static gboolean
is_first (GstSymblSegmenter * self, guint64 available)
{
  return self->pending_start == 0 && available > 0;
}

/* Pushes what can go, cutting where a target's search window is complete.
 * At EOS everything goes. */
static GstFlowReturn
process (GstSymblSegmenter * self, gboolean at_eos)
{
  guint64 search = samples (self, GST_SYMBL_SEGMENTER_SEARCH);
  guint64 window = window_samples (self);
  GstFlowReturn ret = GST_FLOW_OK;

  while (ret == GST_FLOW_OK) {
    guint64 available = gst_adapter_available (self->pending) /
        GST_AUDIO_INFO_BPF (&self->info);
    guint64 end = self->pending_start + available;
    guint64 from = self->target > search ? self->target - search : 0;
    guint64 to = self->target + search;
    guint64 cut;

    if (at_eos)
      return push (self, available);
    /* Nothing before the search window can be the cut: it goes once there
     * is enough of it, or once the window begins. */
    if (self->segment_duration == 0 || self->pending_start < from) {
      guint64 before = self->segment_duration == 0 ? available :
          MIN (available, from - self->pending_start);

      if (before < available || available >= samples (self, HOLD)
          || is_first (self, available))
        ret = push (self, before);
      else
        return GST_FLOW_OK;
      continue;
    }
    if (end < to)
      return GST_FLOW_OK;

    /* In the middle of the quietest 10 ms near the target. */
    cut = quietest (self, MAX (from, self->pending_start), to) + window / 2;
    ret = push (self, cut - self->pending_start);
    if (ret != GST_FLOW_OK)
      break;
    GST_INFO_OBJECT (self, "cut at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (time_of (self, cut)));
    self->cut (self, time_of (self, cut - self->segment_start),
        self->user_data);
    self->segment_start = cut;
    self->fresh = TRUE;
    self->target += samples (self, self->segment_duration);
  }
  return ret;
}

/* Small buffers (a live source sends 10 ms at a time) are copied into a
 * piece of HOLD, which goes into the adapter once full, and go back to
 * the source at once, as a plain encoder's do. Held for half a second
 * instead, 50 buffers per stream, they left a live server's caches
 * colder: more cycles for the same instructions (docs/performance.md,
 * row 8). Buffers as large as a piece, and the first, go in as they
 * are. */
static void
drop_piece (GstSymblSegmenter * self)
{
  if (!self->piece)
    return;
  gst_buffer_unmap (self->piece, &self->piece_map);
  gst_buffer_unref (self->piece);
  self->piece = NULL;
}

/* What the piece holds, into the adapter. */
static void
flush_piece (GstSymblSegmenter * self)
{
  if (!self->piece)
    return;
  gst_buffer_unmap (self->piece, &self->piece_map);
  gst_buffer_set_size (self->piece, self->piece_fill);
  if (self->piece_fill)
    gst_adapter_push (self->pending, self->piece);
  else
    gst_buffer_unref (self->piece);
  self->piece = NULL;
}

static gsize
piece_size (GstSymblSegmenter * self)
{
  return samples (self, HOLD) * GST_AUDIO_INFO_BPF (&self->info);
}

static void
take (GstSymblSegmenter * self, GstBuffer * buffer)
{
  gsize size = gst_buffer_get_size (buffer), offset = 0, n;

  if (size >= piece_size (self) || self->pending_start == 0) {
    flush_piece (self);
    gst_adapter_push (self->pending, buffer);
    return;
  }
  while (offset < size) {
    if (!self->piece) {
      self->piece = gst_buffer_new_allocate (NULL, piece_size (self), NULL);
      gst_buffer_map (self->piece, &self->piece_map, GST_MAP_WRITE);
      self->piece_fill = 0;
    }
    n = gst_buffer_extract (buffer, offset, self->piece_map.data +
        self->piece_fill, MIN (size - offset,
            self->piece_map.size - self->piece_fill));
    offset += n;
    self->piece_fill += n;
    if (self->piece_fill == self->piece_map.size)
      flush_piece (self);
  }
  gst_buffer_unref (buffer);
}

/* Samples received so far, silence included: where the next one goes. */
static guint64
received (GstSymblSegmenter * self)
{
  return self->pending_start + (gst_adapter_available (self->pending) +
      (self->piece ? self->piece_fill : 0)) / GST_AUDIO_INFO_BPF (&self->info);
}

/* Where @buffer's time puts its first sample, in samples from position 0
 * (negative before it). FALSE for a buffer without a running time. */
static gboolean
position_of (GstSymblSegmenter * self, GstBuffer * buffer, gint64 * position)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime time;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || self->segment.format != GST_FORMAT_TIME)
    return FALSE;
  time = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (time))
    return FALSE;
  /* Live, the recording starts with the first sound, as audiointerleave's
   * does; not live, at the start of the stream. */
  if (!self->timed) {
    self->timed = TRUE;
    self->origin = g_atomic_int_get (&self->live) ? time : 0;
  }
  *position = time >= self->origin ? (gint64) samples (self,
      time - self->origin) : -(gint64) samples (self, self->origin - time);
  return TRUE;
}

/* @n samples of silence, a piece at a time, so that no more is held than
 * for audio. */
static GstFlowReturn
fill (GstSymblSegmenter * self, guint64 n)
{
  gsize bpf = GST_AUDIO_INFO_BPF (&self->info);
  GstFlowReturn ret = GST_FLOW_OK;

  flush_piece (self);
  while (n > 0 && ret == GST_FLOW_OK) {
    guint64 piece = MIN (n, samples (self, HOLD));
    GstBuffer *silence = gst_buffer_new_allocate (NULL, piece * bpf, NULL);

    gst_buffer_memset (silence, 0, 0, piece * bpf);
    gst_adapter_push (self->pending, silence);
    n -= piece;
    ret = process (self, FALSE);
  }
  return ret;
}

/* A gap in time (buffers lost, timestamps that jump ahead) is filled with
 * silence, so that speech after it stays where it was in time. Time that
 * jumps back pushes this buffer and every later one forward: every sample
 * is kept, in order. Within GST_SYMBL_SEGMENTER_TOLERANCE (capture clocks,
 * RTP jitter) a buffer only goes where the last one ended: no click of
 * silence in speech, and the timeline never drifts by more than that. */
static GstFlowReturn
follow_time (GstSymblSegmenter * self, GstBuffer * buffer)
{
  gint64 tolerance = samples (self, GST_SYMBL_SEGMENTER_TOLERANCE);
  gint64 end = received (self);
  gint64 position;

  if (!position_of (self, buffer, &position))
    return GST_FLOW_OK;
  if (self->rebase) {
    self->rebase = FALSE;
    self->shift = end - position;
  }
  position += self->shift;
  /* Symbl takes no file this long: a clock that jumped, not a gap. */
  if (position - end > (gint64) samples (self, SYMBL_MAX_FILE_DURATION)) {
    GST_WARNING_OBJECT (self, "time jumps %" GST_TIME_FORMAT " ahead: not "
        "filled", GST_TIME_ARGS (time_of (self, position - end)));
    self->shift -= position - end;
    return GST_FLOW_OK;
  }
  if (position > end + tolerance)
    return fill (self, position - end);
  if (position + tolerance < end)
    self->shift += end - position;
  return GST_FLOW_OK;
}

/* Its own segment, from 0 at the first sample: what goes out is timed by
 * position, whatever the time upstream did. */
static void
start (GstSymblSegmenter * self)
{
  GstSegment segment;

  self->started = TRUE;
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
}

static GstFlowReturn
gst_symbl_segmenter_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstSymblSegmenter *self = GST_SYMBL_SEGMENTER (parent);
  GstFlowReturn ret;

  if (!GST_AUDIO_INFO_IS_VALID (&self->info)) {
    gst_buffer_unref (buffer);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!self->started)
    start (self);
  if ((ret = follow_time (self, buffer)) != GST_FLOW_OK) {
    gst_buffer_unref (buffer);
    return ret;
  }
  take (self, buffer);
  return process (self, FALSE);
}

static gboolean
gst_symbl_segmenter_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstSymblSegmenter *self = GST_SYMBL_SEGMENTER (parent);
  GstCaps *caps;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
      if (GST_AUDIO_INFO_IS_VALID (&self->info))
        flush_piece (self);
      gst_event_parse_caps (event, &caps);
      if (!gst_audio_info_from_caps (&self->info, caps)) {
        gst_event_unref (event);
        return FALSE;
      }
      self->target = self->segment_start + samples (self,
          self->segment_duration);
      break;
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &self->segment);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_EOS:
      flush_piece (self);
      if (GST_AUDIO_INFO_IS_VALID (&self->info))
        process (self, TRUE);
      break;
    case GST_EVENT_FLUSH_STOP:
      /* What comes after a flush continues the recording, in a segment
       * sent again: the flush took it from downstream. */
      drop_piece (self);
      gst_adapter_clear (self->pending);
      self->rebase = TRUE;
      self->started = FALSE;
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

GstClockTime
gst_symbl_segmenter_get_segment_position (GstSymblSegmenter * self)
{
  if (!GST_AUDIO_INFO_IS_VALID (&self->info))
    return 0;
  return time_of (self, received (self) - self->segment_start);
}

GstElement *
gst_symbl_segmenter_new (GstClockTime segment_duration,
    GstSymblSegmenterCutFunc cut, gpointer user_data)
{
  GstSymblSegmenter *self = g_object_new (GST_TYPE_SYMBL_SEGMENTER, NULL);

  self->segment_duration = segment_duration;
  self->cut = cut;
  self->user_data = user_data;
  return GST_ELEMENT (self);
}

void
gst_symbl_segmenter_set_live (GstSymblSegmenter * self, gboolean live)
{
  g_atomic_int_set (&self->live, live);
}

void
gst_symbl_segmenter_set_wavenc_downstream (GstSymblSegmenter * self)
{
  self->wavenc_downstream = TRUE;
}

static GstStateChangeReturn
gst_symbl_segmenter_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSymblSegmenter *self = GST_SYMBL_SEGMENTER (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_audio_info_init (&self->info);
    drop_piece (self);
    gst_adapter_clear (self->pending);
    gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
    self->pending_start = self->segment_start = 0;
    self->shift = 0;
    self->started = self->timed = self->rebase = FALSE;
    self->fresh = TRUE;
  }
  return GST_ELEMENT_CLASS (gst_symbl_segmenter_parent_class)->change_state
      (element, transition);
}

static void
gst_symbl_segmenter_finalize (GObject * object)
{
  GstSymblSegmenter *self = GST_SYMBL_SEGMENTER (object);

  drop_piece (self);
  g_object_unref (self->pending);
  G_OBJECT_CLASS (gst_symbl_segmenter_parent_class)->finalize (object);
}

static void
gst_symbl_segmenter_class_init (GstSymblSegmenterClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = gst_symbl_segmenter_finalize;
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_symbl_segmenter_change_state);
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Symbl segmenter",
      "Filter/Audio", "Cuts audio into segments at quiet moments",
      "gst-symbl developers <gst-symbl@example.org>");
  GST_DEBUG_CATEGORY_INIT (gst_symbl_segmenter_debug, "symblsegmenter", 0,
      "Symbl segmenter");
}

static void
gst_symbl_segmenter_init (GstSymblSegmenter * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_symbl_segmenter_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_symbl_segmenter_sink_event));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->pending = gst_adapter_new ();
  gst_audio_info_init (&self->info);
  gst_segment_init (&self->segment, GST_FORMAT_UNDEFINED);
  self->live = TRUE;
}
