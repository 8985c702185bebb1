/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "config.h"
#include "gstsymblsegmentwriter.h"

#include <glib/gstdio.h>

#include "gstsymblsegmenter.h"
#include "symblspool.h"

GST_DEBUG_CATEGORY_STATIC (gst_symbl_segment_writer_debug);
#define GST_CAT_DEFAULT gst_symbl_segment_writer_debug

struct _GstSymblSegmentWriter
{
  GstBin parent;

  SymblAudioFormat format;
  guint channels;
  gboolean preroll;             /* the first segment's file sink prerolls */
  gchar *spool_dir;
  gchar *label;

  GstElement *segmenter;
  /* Streaming thread (and construction): the current segment's. */
  GstElement *encoder;
  GstElement *filesink;
  gchar *path;
  gboolean cutting;             /* an EOS of filesink's is a cut's */
  gboolean write_failed;        /* the segment's file is cut short: kept,
                                 * never closed as complete */
  gint end_refused;             /* atomic: the stream's EOS goes no further */
  guint index;
};

G_DEFINE_TYPE (GstSymblSegmentWriter, gst_symbl_segment_writer, GST_TYPE_BIN);

static void
post_segment (GstSymblSegmentWriter * self, const gchar * name,
    const gchar * path, GstClockTime duration, gboolean last)
{
  GstStructure *s = gst_structure_new (name, "location", G_TYPE_STRING, path,
      "format", G_TYPE_STRING, symbl_audio_format_container (self->format),
      NULL);

  if (g_str_equal (name, GST_SYMBL_SEGMENT_CLOSED))
    gst_structure_set (s, "duration", G_TYPE_UINT64, duration, "last",
        G_TYPE_BOOLEAN, last, NULL);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

/* Before the first data of a segment: its file is about to hold it. */
static GstPadProbeReturn
on_first_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSymblSegmentWriter *self = GST_SYMBL_SEGMENT_WRITER (user_data);

  GST_DEBUG_OBJECT (self, "segment %u begins: %s", self->index, self->path);
  post_segment (self, GST_SYMBL_SEGMENT_STARTED, self->path,
      GST_CLOCK_TIME_NONE, FALSE);
  return GST_PAD_PROBE_REMOVE;
}

/* The end of the stream reaches the last segment's file, complete (the
 * encoder wrote its final header before it; the file is unbuffered). It
 * is closed there, in the streaming thread, before filesink takes the
 * EOS: the parent hands it on and may hold the thread until it is
 * uploaded, so that the EOS message comes after the job's, as a sink's
 * EOS does; if the parent ends the stream otherwise (a failure, nothing
 * recorded), the EOS goes no further. */
static GstPadProbeReturn
on_end (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSymblSegmentWriter *self = GST_SYMBL_SEGMENT_WRITER (user_data);
  g_autofree gchar *path = NULL;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS
      || self->cutting)
    return GST_PAD_PROBE_OK;
  path = g_steal_pointer (&self->path);
  /* Cut short by a write error: no segment to hand on as whole. */
  if (self->write_failed || !path)
    return GST_PAD_PROBE_OK;
  post_segment (self, GST_SYMBL_SEGMENT_CLOSED, path,
      gst_symbl_segmenter_get_segment_position (GST_SYMBL_SEGMENTER
          (self->segmenter)), TRUE);
  return g_atomic_int_get (&self->end_refused) ? GST_PAD_PROBE_DROP :
      GST_PAD_PROBE_OK;
}

/* A new segment: its encoder, and a private (0600) file for it. */
static gboolean
start_segment (GstSymblSegmentWriter * self, gchar ** missing, GError ** error)
{
  const gchar *extension = symbl_audio_format_container (self->format);
  /* Segment n's file ends in -segment-NNN: names sort in order. */
  g_autofree gchar *label = g_strdup_printf ("%s-segment-%03u", self->label,
      self->index);
  SymblSpool *spool = symbl_spool_create (self->spool_dir, label, extension,
      error);
  g_autofree gchar *name = NULL;
  g_autoptr (GstPad) encoder_sink = NULL;
  g_autoptr (GstPad) file_sink = NULL;

  if (!spool)
    return FALSE;
  self->path = g_strdup (symbl_spool_get_path (spool));
  symbl_spool_free (spool, FALSE);

  self->encoder = symbl_encoding_new_audio_encoder (self->format,
      self->channels, missing, error);
  if (!self->encoder)
    return FALSE;
  name = g_strdup_printf ("file%u", self->index);
  self->filesink = gst_element_factory_make ("filesink", name);
  /* The first may preroll, as any sink does (see the header); one added
   * while playing must not ask the pipeline to preroll again. What
   * reaches it is written at once: the segmenter sends half a second at a
   * time (one write for many small buffers), and a crash must find it on
   * disk. */
  g_object_set (self->filesink, "location", self->path, "sync", FALSE,
      "async", self->preroll && self->index == 0, NULL);
  gst_util_set_object_arg (G_OBJECT (self->filesink), "buffer-mode",
      "unbuffered");

  gst_bin_add_many (GST_BIN (self), self->encoder, self->filesink, NULL);
  gst_object_unref (self->encoder);     /* the bin holds it */
  encoder_sink = gst_element_get_static_pad (self->encoder, "sink");
  gst_pad_add_probe (encoder_sink, GST_PAD_PROBE_TYPE_BUFFER, on_first_data,
      self, NULL);
  file_sink = gst_element_get_static_pad (self->filesink, "sink");
  gst_pad_add_probe (file_sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_end,
      self, NULL);
  if (!gst_element_link_pads (self->encoder, "src", self->filesink, "sink")
      || !gst_element_link_pads (self->segmenter, "src", self->encoder, "sink")) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "Could not link segment %u's encoder", self->index);
    return FALSE;
  }
  return TRUE;
}

static void
drop_segment (GstSymblSegmentWriter * self)
{
  gst_element_unlink (self->segmenter, self->encoder);
  /* The bin may be setting its children's states right now (the pipeline
   * going to PLAYING as the first cut comes), and would then play them
   * again once stopped: locked, it leaves them alone. */
  gst_element_set_locked_state (self->encoder, TRUE);
  gst_element_set_locked_state (self->filesink, TRUE);
  gst_element_set_state (self->encoder, GST_STATE_NULL);
  gst_element_set_state (self->filesink, GST_STATE_NULL);
  gst_bin_remove_many (GST_BIN (self), self->encoder, self->filesink, NULL);
  self->encoder = self->filesink = NULL;
}

/* From the segmenter, in the streaming thread, between the last sample of
 * a segment and the first of the next. */
static void
on_cut (GstSymblSegmenter * segmenter, GstClockTime duration,
    gpointer user_data)
{
  GstSymblSegmentWriter *self = GST_SYMBL_SEGMENT_WRITER (user_data);
  g_autoptr (GstPad) encoder_sink = gst_element_get_static_pad (self->encoder,
      "sink");
  g_autofree gchar *path = NULL;
  g_autofree gchar *missing = NULL;
  GError *error = NULL;

  /* EOS finishes the file (wavenc writes its final header); filesink's
   * EOS message is the cut's, not the recording's end. */
  self->cutting = TRUE;
  gst_pad_send_event (encoder_sink, gst_event_new_eos ());
  self->cutting = FALSE;

  path = g_steal_pointer (&self->path);
  drop_segment (self);
  GST_INFO_OBJECT (self, "segment %u done: %s", self->index, path);
  if (!self->write_failed)
    post_segment (self, GST_SYMBL_SEGMENT_CLOSED, path, duration, FALSE);

  self->index++;
  if (!start_segment (self, &missing, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE, ("Could not start segment "
            "%u of the recording: %s", self->index, error->message), (NULL));
    g_error_free (error);
    return;
  }
  gst_element_sync_state_with_parent (self->encoder);
  gst_element_sync_state_with_parent (self->filesink);
}

/* wavenc stopped before EOS warns that its header is unfinished: the
 * segment is kept, symblsink says where, and its header is mended from
 * its size when it is sent (symblwavrepair.h). */
static gboolean
is_unfinished_wav_warning (GstMessage * message)
{
  g_autoptr (GError) error = NULL;
  GstElementFactory *factory;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_WARNING
      || !GST_IS_ELEMENT (GST_MESSAGE_SRC (message)))
    return FALSE;
  factory = gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC (message)));
  gst_message_parse_warning (message, &error, NULL);
  return factory && g_str_equal (GST_OBJECT_NAME (factory), "wavenc")
      && g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_MUX);
}

/* The end of the stream closes the last segment's file. */
/* A filesink's write error (a full disk): what the user needs is where
 * the recording so far is kept. */
static GstMessage *
write_error (GstSymblSegmentWriter * self, GstMessage * message)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;
  g_autofree gchar *text = NULL;
  GstMessage *own;

  gst_message_parse_error (message, &error, &debug);
  text = g_strdup_printf ("Could not write the recording (%s%s%s). What was "
      "recorded so far is kept in %s.", error->message, debug ? ": " : "",
      debug ? debug : "", self->path);
  g_free (error->message);
  error->message = g_steal_pointer (&text);
  own = gst_message_new_error_with_details (GST_OBJECT (self), error, NULL,
      gst_structure_new ("details", "spool-location", G_TYPE_STRING,
          self->path, NULL));
  gst_message_unref (message);
  return own;
}

static void
gst_symbl_segment_writer_handle_message (GstBin * bin, GstMessage * message)
{
  GstSymblSegmentWriter *self = GST_SYMBL_SEGMENT_WRITER (bin);

  if (is_unfinished_wav_warning (message)) {
    gst_message_unref (message);
    return;
  }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR
      && GST_MESSAGE_SRC (message) == GST_OBJECT (self->filesink)
      && self->path && !self->write_failed) {
    self->write_failed = TRUE;
    message = write_error (self, message);
  }
  /* A cut's EOS is no end of the stream. */
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS && self->cutting) {
    gst_message_unref (message);
    return;
  }
  GST_BIN_CLASS (gst_symbl_segment_writer_parent_class)->handle_message (bin,
      message);
}

GstElement *
gst_symbl_segment_writer_new (SymblAudioFormat format, guint channels,
    GstClockTime segment_duration, gboolean preroll, const gchar * spool_dir,
    const gchar * label, gchar ** missing, GError ** error)
{
  GstSymblSegmentWriter *self =
      g_object_new (GST_TYPE_SYMBL_SEGMENT_WRITER, "name", "segments", NULL);

  gst_object_ref_sink (self);
  self->format = format;
  self->channels = channels;
  self->preroll = preroll;
  self->spool_dir = g_strdup (spool_dir);
  self->label = g_strdup (label);

  self->segmenter = gst_symbl_segmenter_new (segment_duration, on_cut, self);
  if (format == SYMBL_AUDIO_FORMAT_WAV)
    gst_symbl_segmenter_set_wavenc_downstream (GST_SYMBL_SEGMENTER
        (self->segmenter));
  gst_bin_add (GST_BIN (self), self->segmenter);

  if (!start_segment (self, missing, error)) {
    gst_object_unref (self);
    return NULL;
  }
  return GST_ELEMENT (self);    /* not floating: the caller owns it */
}

GstPad *
gst_symbl_segment_writer_get_input (GstSymblSegmentWriter * self)
{
  return gst_element_get_static_pad (self->segmenter, "sink");
}

void
gst_symbl_segment_writer_set_live (GstSymblSegmentWriter * self, gboolean live)
{
  gst_symbl_segmenter_set_live (GST_SYMBL_SEGMENTER (self->segmenter), live);
}

void
gst_symbl_segment_writer_refuse_end (GstSymblSegmentWriter * self)
{
  g_atomic_int_set (&self->end_refused, TRUE);
}

gchar *
gst_symbl_segment_writer_close (GstSymblSegmentWriter * self)
{
  gchar *path;
  GStatBuf st;

  gst_element_set_state (GST_ELEMENT (self), GST_STATE_NULL);
  path = g_steal_pointer (&self->path);
  if (path && g_stat (path, &st) == 0 && st.st_size > 0)
    return path;
  if (path)
    g_unlink (path);
  g_free (path);
  return NULL;
}

static void
gst_symbl_segment_writer_finalize (GObject * object)
{
  GstSymblSegmentWriter *self = GST_SYMBL_SEGMENT_WRITER (object);
  GStatBuf st;

  /* A writer that never recorded leaves no empty file behind. */
  if (self->path && g_stat (self->path, &st) == 0 && st.st_size == 0)
    g_unlink (self->path);
  g_free (self->spool_dir);
  g_free (self->label);
  g_free (self->path);
  G_OBJECT_CLASS (gst_symbl_segment_writer_parent_class)->finalize (object);
}

static void
gst_symbl_segment_writer_class_init (GstSymblSegmentWriterClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_symbl_segment_writer_finalize;
  GST_BIN_CLASS (klass)->handle_message =
      GST_DEBUG_FUNCPTR (gst_symbl_segment_writer_handle_message);
  GST_DEBUG_CATEGORY_INIT (gst_symbl_segment_writer_debug,
      "symblsegmentwriter", 0, "Symbl segment writer");
}

static void
gst_symbl_segment_writer_init (GstSymblSegmentWriter * self)
{
}
