/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/**
 * SECTION:element-symblsink
 * @title: symblsink
 *
 * Records a meeting, encodes it for speech recognition and uploads it to
 * the Symbl.ai Async API with the user's trackers. When the upload is
 * done an element message `symbl-job` carries `conversation-id` and
 * `job-id`, and then EOS reaches the bus.
 *
 * Audio of any format, rate and channel count is converted to 16 kHz mono
 * and encoded as #GstSymblSink:format says. With video, audio and video go
 * into an MP4 (H.264 at #GstSymblSink:video-bitrate, at most 720p and
 * 30 fps, and AAC) for Symbl's video endpoint.
 * #GstSymblSink:encoding-profile picks other encoders, through encodebin,
 * and wins over those two. The encoded stream goes to an inner
 * #GstSymblUploadSink, whose properties symblsink shares.
 *
 * Pads: `sink_%u` takes audio or video and learns which from its caps
 * (what gst-launch-1.0 links to); `audio_%u` and `video` are the same,
 * typed from the start. The encoders are set up once the kind of every pad
 * is known, before any data flows. Two audio pads record a call on two
 * channels, one speaker each (#GstSymblSinkPad:speaker-name).
 *
 * With #GstSymblSink:segment-duration, long audio recordings are cut at
 * quiet moments into parts uploaded while recording goes on, appended to
 * one conversation; each part posts its own `symbl-job`. Without it,
 * audio is one upload at the end, cut the same way only past 3 h 55 min,
 * since Symbl refuses files longer than 4 hours.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -e pulsesrc ! symblsink trackers-location=trackers.json
 * gst-launch-1.0 -e filesrc location=meeting.ogg ! decodebin ! symblsink format=flac trackers-location=trackers.json
 * gst-launch-1.0 -e v4l2src ! videoconvert ! symblsink name=s pulsesrc ! s.
 * ]|
 */
#include "config.h"
#include "gstsymblsink.h"

#include <string.h>
#include <glib/gstdio.h>
#include <gst/pbutils/missing-plugins.h>

#include <json-glib/json-glib.h>

#include "gstsymblsegmentwriter.h"
#include "gstsymblsinkpad.h"
#include "gstsymbluploadsink.h"
#include "symblencoding.h"
#include "symblmedia.h"
#include "symblmessages.h"
#include "symblreport.h"
#include "symblsettings.h"
#include "symblstreaminfo.h"
#include "symbluploadqueue.h"

GST_DEBUG_CATEGORY_STATIC (gst_symbl_sink_debug);
#define GST_CAT_DEFAULT gst_symbl_sink_debug

#define DEFAULT_FORMAT SYMBL_AUDIO_FORMAT_WAV
#define DEFAULT_VIDEO_BITRATE_KBPS 1000
/* What Symbl's endpoints take: audio alone (one speaker, or a call with
 * one speaker per channel), or audio and video. */
#define MAX_INPUTS 2
#define MAX_AUDIO 2
/* Room for a pad too many, so that the error says why. */
#define MAX_PADS (MAX_INPUTS + 2)
/* How long live input waits for the other pads' caps: about what a jitter
 * buffer holds, so that little of the live pad is lost waiting. */
#define LIVE_CAPS_WAIT (500 * G_TIME_SPAN_MILLISECOND)
/* The longest segment-duration, and how often audio is cut without one,
 * so that every part stays under Symbl's 4 hours per file: the cut falls
 * within GST_SYMBL_SEGMENTER_SEARCH (2 s) of it, an encoder may add a
 * frame, and a decoder counting priming samples a few more; 5 minutes
 * leave room for all that. */
#define LONG_SEGMENT_SECONDS (SYMBL_MAX_FILE_SECONDS - 5 * 60)
/* Each segment has its own encoder, made from format (the segment writer). */
#define PROFILE_SEGMENT_REFUSAL "segment-duration encodes with format " \
    "only: unset encoding-profile or segment-duration"

enum
{
  PROP_0,
  PROP_FORMAT,
  PROP_VIDEO_BITRATE,
  PROP_SEGMENT_DURATION,
  PROP_ENCODING_PROFILE,
  PROP_SETTINGS_FIRST,
};

typedef enum
{
  INPUT_UNKNOWN,                /* a sink_%u pad before its caps */
  INPUT_AUDIO,
  INPUT_VIDEO,
} InputKind;

typedef struct
{
  GstPad *pad;                  /* the ghost pad, owned by the element */
  InputKind kind;
} Input;

struct _GstSymblSink
{
  GstBin parent;

  /* One upload at EOS: the inner symbluploadsink, a child then. It also
   * keeps the shared properties. */
  GstElement *upload;

  /* Audio alone (decided at NULL to READY): the segments go to
   * symblsink's own queue, as the writer closes them.
   * A sink_%u pad that turns out to carry video brings the upload sink
   * back (record_in_one_upload). */
  SymblSettings settings;       /* object lock: the shared properties */
  gboolean segmenting;          /* READY and up */
  gboolean cut;                 /* queue_lock: segment-duration was set, or
                                 * the 4 hours cap cut the recording: its
                                 * parts are told of as segments */
  SymblUpload *segment_upload;  /* READY and up, when segmenting */
  SymblReport report;
  SymblBackground *background;  /* READY and up, when segmenting */
  GCancellable *cancellable;    /* PAUSED and up: following the last job */
  GMutex queue_lock;
  SymblUploadQueue *queue;      /* queue_lock: from the first segment */
  gint prerolling;              /* atomic: READY to PAUSED until the writer */
  GCond queue_done;             /* queue_lock: finished, or cancelled */
  gboolean finished;            /* queue_lock: the last upload is done */
  gboolean finished_ok;

  GMutex lock;                  /* the fields below */
  GCond encoder_ready;          /* an encoder, an error, or flushing */
  Input inputs[MAX_PADS];
  guint n_inputs;
  guint next_sink_index;
  guint next_audio_index;
  GstElement *encoder;          /* for the inputs; NULL until all are known */
  GstElement *writer;           /* with segment-duration: after encoder */
  gchar *missing;               /* an element the encoder lacks */
  GError *encoder_error;        /* why there is no encoder */
  gchar *pads_error;            /* why the pads can't be recorded */
  gboolean flushing;            /* going down: stop waiting for an encoder */
  gboolean flowing;             /* data went in: the encoder is final */
  guint64 encoded_bytes;        /* the encoder's streaming thread only */
  gboolean told;                /* the encoder's streaming thread: the
                                 * upload sink has the stream's info */
  gint input_rate;              /* lock: of the first audio input */
  SymblAudioFormat format;
  gboolean format_set;          /* format was set: a profile overrides it */
  gchar *profile;               /* encoding-profile, or NULL */
  guint video_bitrate;
  guint segment_duration;       /* seconds; 0: one upload at EOS */
};

static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE ("sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw; video/x-raw"));

static GstStaticPadTemplate audio_template =
GST_STATIC_PAD_TEMPLATE ("audio_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw"));

static GstStaticPadTemplate video_template =
GST_STATIC_PAD_TEMPLATE ("video", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("video/x-raw"));

static void gst_symbl_sink_child_proxy_init (GstChildProxyInterface * iface);

#define gst_symbl_sink_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstSymblSink, gst_symbl_sink, GST_TYPE_BIN,
    G_IMPLEMENT_INTERFACE (GST_TYPE_CHILD_PROXY,
        gst_symbl_sink_child_proxy_init));
GST_ELEMENT_REGISTER_DEFINE (symblsink, "symblsink", GST_RANK_NONE,
    GST_TYPE_SYMBL_SINK);

static const gchar *
input_kind_name (InputKind kind)
{
  return kind == INPUT_VIDEO ? "video" : "audio";
}

static guint
count_inputs (GstSymblSink * self, InputKind kind)
{
  guint i, n = 0;

  for (i = 0; i < self->n_inputs; i++)
    n += self->inputs[i].kind == kind;
  return n;
}

static Input *
find_input (GstSymblSink * self, GstPad * pad)
{
  guint i;

  for (i = 0; i < self->n_inputs; i++)
    if (self->inputs[i].pad == pad)
      return &self->inputs[i];
  return NULL;
}

/* GstBin takes its sink flag away when its last sink child goes (the
 * upload sink in segment mode, the writer between recordings); its
 * parent then no longer waits for its EOS. symblsink is a sink, always. */
static void
keep_sink_flag (GstSymblSink * self)
{
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
remove_encoder (GstSymblSink * self)
{
  guint i;

  for (i = 0; i < self->n_inputs; i++) {
    gst_ghost_pad_set_target (GST_GHOST_PAD (self->inputs[i].pad), NULL);
    symbl_encoding_drop_input (GST_GHOST_PAD (self->inputs[i].pad));
  }
  if (self->writer) {
    /* Before data flowed, or once end_recording took the segment being
     * recorded: its file, if any, is empty and goes. */
    g_free (gst_symbl_segment_writer_close (GST_SYMBL_SEGMENT_WRITER
            (self->writer)));
    gst_bin_remove (GST_BIN (self), self->writer);
    keep_sink_flag (self);
    self->writer = NULL;
  }
  if (!self->encoder)
    return;
  gst_element_set_state (self->encoder, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), self->encoder);
  self->encoder = NULL;
}

/* segment-duration: the inputs feed a writer that cuts the speech into
 * files; symblsink uploads them as the writer closes them. Lock held. */
static GstElement *
build_segments (GstSymblSink * self, guint n_audio)
{
  g_autofree gchar *spool_dir = NULL;
  g_autoptr (GstPad) speech = NULL;
  GstElement *inputs;

  spool_dir = g_strdup (symbl_upload_get_spool_dir (self->segment_upload));
  self->writer = gst_symbl_segment_writer_new (self->format, n_audio,
      (self->segment_duration ? self->segment_duration :
          LONG_SEGMENT_SECONDS) * GST_SECOND,
      GST_STATE (self) < GST_STATE_PAUSED, spool_dir, GST_OBJECT_NAME (self),
      &self->missing, &self->encoder_error);
  if (!self->writer)
    return NULL;
  gst_bin_add (GST_BIN (self), self->writer);
  gst_object_unref (self->writer);      /* the bin holds it now */
  speech = gst_symbl_segment_writer_get_input (GST_SYMBL_SEGMENT_WRITER
      (self->writer));
  inputs = symbl_encoding_new_inputs (n_audio, speech, &self->missing,
      &self->encoder_error);
  return inputs;
}

/* With two audio inputs, who speaks on which channel: JSON for
 * channelMetadata, from the pads' speaker-name and speaker-email. */
static gchar *
channel_metadata (GstSymblSink * self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  guint i, channel = 0, named = 0;

  json_builder_begin_array (builder);
  for (i = 0; i < self->n_inputs; i++) {
    g_autofree gchar *name = NULL;
    g_autofree gchar *email = NULL;

    if (self->inputs[i].kind != INPUT_AUDIO)
      continue;
    channel++;
    gst_symbl_sink_pad_get_speaker (GST_SYMBL_SINK_PAD (self->inputs[i].pad),
        &name, &email);
    if (!name)
      continue;
    named++;
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "channel");
    json_builder_add_int_value (builder, channel);
    json_builder_set_member_name (builder, "speaker");
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "name");
    json_builder_add_string_value (builder, name);
    if (email) {
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
    }
    json_builder_end_object (builder);
    json_builder_end_object (builder);
  }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return named ? json_to_string (root, FALSE) : NULL;
}

/* What symblsink knows of the recording that the encoded stream does not
 * say: the input's rate, the channels and who speaks on each. Copies the
 * metadata into @metadata, to free. */
static void
get_stream_info (GstSymblSink * self, SymblStreamInfo * info, gchar ** metadata)
{
  guint audio;

  g_mutex_lock (&self->lock);
  audio = count_inputs (self, INPUT_AUDIO);
  *metadata = audio == 2 ? channel_metadata (self) : NULL;
  info->input_rate = self->input_rate;
  info->channels = audio == 2 ? 2 : 1;
  info->channel_metadata = *metadata;
  g_mutex_unlock (&self->lock);
}

/* The upload sink is told the stream's info (symblstreaminfo.h) before
 * its first buffer, for the manifest that a crash would leave, and again
 * at EOS, with the speakers final and the length of the encoded audio:
 * the samples that went into the encoder, whatever the timestamps said.
 * From the encoder's streaming thread. */
static GstPadProbeReturn
tell_stream_info (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);
  gboolean eos = (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
      && GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS;
  GstClockTime duration = GST_CLOCK_TIME_NONE;
  g_autofree gchar *metadata = NULL;
  SymblStreamInfo stream;

  if (!eos && (self->told || !(info->type & GST_PAD_PROBE_TYPE_BUFFER)))
    return GST_PAD_PROBE_OK;
  self->told = TRUE;
  get_stream_info (self, &stream, &metadata);
  if (eos && self->encoded_bytes)
    duration = gst_util_uint64_scale (self->encoded_bytes /
        (2 * stream.channels), GST_SECOND, SYMBL_SPEECH_RATE);
  gst_pad_send_event (pad, symbl_stream_info_event_new (&stream, duration));
  return GST_PAD_PROBE_OK;
}

/* One add per buffer, into the audio encoder. */
static GstPadProbeReturn
count_encoded_samples (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);

  self->encoded_bytes += gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

static void
watch_encoded_samples (GstSymblSink * self, GstElement * encoder)
{
  GstElement *audio = g_object_get_data (G_OBJECT (encoder),
      SYMBL_ENCODING_AUDIO_ENCODER);
  g_autoptr (GstPad) pad = NULL;

  self->encoded_bytes = 0;
  if (!audio)
    return;
  pad = gst_element_get_static_pad (audio, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_encoded_samples,
      self, NULL);
}

/* A sink_%u pad carries video, which cannot be cut: one upload at EOS
 * through the upload sink, which refuses it past 4 hours. It prerolls
 * when symblsink is still on its way to PAUSED (see start_preroll); added
 * while the pipeline may be playing already, it must not ask it to
 * preroll again. Lock held. */
static void
record_in_one_upload (GstSymblSink * self)
{
  GST_INFO_OBJECT (self, "video: one upload at the end, not cut");
  self->segmenting = FALSE;
  g_object_set (self->upload, "async", GST_STATE (self) < GST_STATE_PAUSED,
      NULL);
  gst_bin_add (GST_BIN (self), self->upload);
  gst_element_sync_state_with_parent (self->upload);
}

/* Puts the encoders for the inputs and format in front of the upload sink,
 * once the kind of every input is known. A missing element is not an error
 * yet: it is reported at READY, or when the last caps arrive. Lock held. */
static void
rebuild_encoder (GstSymblSink * self)
{
  SymblEncodingPlan plan = {
    .n_audio = count_inputs (self, INPUT_AUDIO),
    .video = count_inputs (self, INPUT_VIDEO) > 0,
    .audio_format = self->format,
    .video_bitrate_kbps = self->video_bitrate,
    .profile = self->profile,
  };
  GstElement *encoder;
  guint i, audio_index = 0;

  remove_encoder (self);
  g_clear_pointer (&self->missing, g_free);
  g_clear_error (&self->encoder_error);
  if (count_inputs (self, INPUT_UNKNOWN) > 0 || (!plan.n_audio && !plan.video)
      || self->pads_error)
    return;

  if (self->segment_duration && plan.video) {
    g_set_error (&self->encoder_error, GST_CORE_ERROR, GST_CORE_ERROR_PAD,
        "segment-duration cuts audio only: record video without it");
    return;
  }
  if (self->segment_duration && self->profile) {
    g_set_error (&self->encoder_error, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, "%s", PROFILE_SEGMENT_REFUSAL);
    return;
  }
  if (plan.video && self->segmenting)
    record_in_one_upload (self);
  encoder = self->segmenting ? build_segments (self, plan.n_audio) :
      symbl_encoding_new (&plan, &self->missing, &self->encoder_error);
  if (!encoder) {
    GST_WARNING_OBJECT (self, "no encoder: %s", self->encoder_error->message);
    g_cond_broadcast (&self->encoder_ready);
    return;
  }
  GST_DEBUG_OBJECT (self, "encoding %u audio, video %d", plan.n_audio,
      plan.video);

  if (!self->segmenting)
    watch_encoded_samples (self, encoder);
  gst_bin_add (GST_BIN (self), encoder);
  gst_object_unref (encoder);   /* the bin holds it now */
  self->encoder = encoder;
  if (!self->writer && !gst_element_link_pads (encoder, "src", self->upload,
          "sink"))
    g_set_error (&self->encoder_error, GST_CORE_ERROR,
        GST_CORE_ERROR_NEGOTIATION, "Could not link the encoder");
  for (i = 0; i < self->n_inputs; i++) {
    g_autoptr (GstPad) target = NULL;
    g_autofree gchar *name = NULL;

    /* Audio inputs take channels in the order they were requested. */
    if (self->inputs[i].kind == INPUT_VIDEO)
      name = g_strdup ("video");
    else
      name = g_strdup_printf ("audio_%u", audio_index++);
    /* Segmenting, straight into the conversion: a ghost pad fewer. */
    if (self->writer && symbl_encoding_take_input (encoder, name,
            GST_GHOST_PAD (self->inputs[i].pad)))
      continue;
    target = gst_element_get_static_pad (encoder, name);
    gst_ghost_pad_set_target (GST_GHOST_PAD (self->inputs[i].pad), target);
  }
  gst_element_sync_state_with_parent (encoder);
  if (self->writer)
    gst_element_sync_state_with_parent (self->writer);
  g_cond_broadcast (&self->encoder_ready);
}

/* Posts the missing-plugin message, if any (with which an application
 * can offer to install it), and @error, if any. */
static void
post_encoding_error (GstSymblSink * self, const gchar * missing,
    const GError * error)
{
  if (missing)
    gst_element_post_message (GST_ELEMENT (self),
        symbl_encoding_missing_message (GST_ELEMENT (self), missing));
  /* Its own code: MISSING_PLUGIN, NEGOTIATION, SETTINGS, or PAD for a
   * choice of pads that cannot be recorded. */
  if (error)
    gst_element_message_full (GST_ELEMENT (self), GST_MESSAGE_ERROR,
        error->domain, error->code, g_strdup (error->message), NULL,
        __FILE__, GST_FUNCTION, __LINE__);
}

/* Posts why there is no encoder. Lock held. */
static gboolean
report_encoder_error (GstSymblSink * self)
{
  if (self->pads_error) {
    GST_ELEMENT_ERROR (self, CORE, PAD, ("%s", self->pads_error), (NULL));
    return FALSE;
  }
  post_encoding_error (self, self->missing, self->encoder_error);
  return self->encoder_error == NULL;
}

/* Why @total inputs, of which @audio are audio and @video video, cannot
 * be recorded together, or NULL. */
static const gchar *
refusal (guint audio, guint video, guint total)
{
  if (video > 1)
    return "symblsink takes one video stream";
  if (audio > MAX_AUDIO || total > MAX_INPUTS)
    return "symblsink takes at most two audio streams (one speaker per "
        "channel), or one audio and one video stream: Symbl takes mono or "
        "two-channel audio. For more speakers, mix them with audiomixer "
        "and set enable-speaker-diarization=true";
  if (audio > 1 && video > 0)
    return "symblsink takes two audio streams without video only";
  return NULL;
}


/* Segment mode: symblsink is a sink, so the pipeline reaches PAUSED once
 * data reached it, as with any sink: until the writer is in place (its
 * first file sink then prerolls), symblsink itself holds READY to PAUSED,
 * as decodebin does. A sink that never prerolls would let the element
 * that prerolls last commit the pipeline to PAUSED from its streaming
 * thread, unserialized with the application's set_state (PLAYING); GstBin
 * (1.22 to this day) may then record the PAUSED after the PLAYING, and
 * never post the pipeline's EOS: the hang docs/reliability.md tells of. */
static void
start_preroll (GstSymblSink * self)
{
  g_atomic_int_set (&self->prerolling, TRUE);
  GST_BIN_CLASS (parent_class)->handle_message (GST_BIN (self),
      gst_message_new_async_start (GST_OBJECT (self)));
}

static void
end_preroll (GstSymblSink * self)
{
  if (g_atomic_int_compare_and_exchange (&self->prerolling, TRUE, FALSE))
    GST_BIN_CLASS (parent_class)->handle_message (GST_BIN (self),
        gst_message_new_async_done (GST_OBJECT (self), GST_CLOCK_TIME_NONE));
}

/* A sink_%u pad that ends, or stays silent, without caps is a speaker who
 * never spoke: a silent channel, so that the channels stay where the user
 * put them, rather than a pad that holds the others back for good. @pad:
 * that one pad, or NULL for every pad still unknown. Lock held. */
static void
take_unknown_as_silent_audio (GstSymblSink * self, GstPad * pad)
{
  guint i;
  gboolean changed = FALSE;

  for (i = 0; i < self->n_inputs; i++) {
    Input *input = &self->inputs[i];

    if (input->kind != INPUT_UNKNOWN || (pad && input->pad != pad)
        || count_inputs (self, INPUT_AUDIO) == MAX_AUDIO)
      continue;
    GST_INFO_OBJECT (input->pad, "no caps: recorded as a silent channel");
    input->kind = INPUT_AUDIO;
    changed = TRUE;
  }
  if (changed && !self->flowing) {
    rebuild_encoder (self);
    report_encoder_error (self);
  }
}

static gboolean
upstream_is_live (GstPad * pad)
{
  g_autoptr (GstQuery) latency = gst_query_new_latency ();
  gboolean live = FALSE;

  if (gst_pad_peer_query (pad, latency))
    gst_query_parse_latency (latency, &live, NULL, NULL);
  return live;
}

/* Until every pad's kind is known. Live, for LIVE_CAPS_WAIT at most: a
 * leg of a call whose RTP never arrives must not stop the other one from
 * being recorded, so the pads still unknown are taken as silent speakers.
 * Lock held. */
static void
wait_for_encoder (GstSymblSink * self, gboolean live)
{
  gint64 deadline = g_get_monotonic_time () + LIVE_CAPS_WAIT;

  while (!self->encoder && !self->encoder_error && !self->flushing) {
    if (!live)
      g_cond_wait (&self->encoder_ready, &self->lock);
    else if (!g_cond_wait_until (&self->encoder_ready, &self->lock, deadline))
      take_unknown_as_silent_audio (self, NULL);
  }
}

/* A sink_%u pad learns its kind from its caps. The caps (and any data
 * after them) wait here until every pad's kind is known and the encoder is
 * built, so that nothing reaches a pad without a target. */
static gboolean
on_input_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstSymblSink *self = GST_SYMBL_SINK (parent);
  gboolean ret = TRUE;
  GstElement *encoder;
  Input *input;
  GstCaps *caps;
  InputKind kind;
  gboolean live;
  gint rate;

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    g_mutex_lock (&self->lock);
    take_unknown_as_silent_audio (self, pad);
    g_mutex_unlock (&self->lock);
    end_preroll (self);
  }
  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return gst_pad_event_default (pad, parent, event);
  live = upstream_is_live (pad);
  gst_event_parse_caps (event, &caps);
  kind = gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "video/x-raw") ? INPUT_VIDEO : INPUT_AUDIO;
  g_mutex_lock (&self->lock);
  if (kind == INPUT_AUDIO && gst_structure_get_int (gst_caps_get_structure
          (caps, 0), "rate", &rate))
    self->input_rate = rate;
  input = find_input (self, pad);
  if (input && input->kind == INPUT_UNKNOWN) {
    const gchar *why = refusal (count_inputs (self, INPUT_AUDIO) +
        (kind == INPUT_AUDIO), count_inputs (self, INPUT_VIDEO) +
        (kind == INPUT_VIDEO), self->n_inputs);

    if (why) {
      GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("%s (%s carries %s)", why,
              GST_PAD_NAME (pad), input_kind_name (kind)), (NULL));
      g_mutex_unlock (&self->lock);
      gst_event_unref (event);
      return FALSE;
    }
    GST_DEBUG_OBJECT (pad, "carries %s", input_kind_name (kind));
    input->kind = kind;
    rebuild_encoder (self);
    if (!report_encoder_error (self))
      ret = FALSE;
  }
  wait_for_encoder (self, live);
  encoder = self->encoder ? gst_object_ref (self->encoder) : NULL;
  if (self->writer)
    gst_symbl_segment_writer_set_live (GST_SYMBL_SEGMENT_WRITER
        (self->writer), live);
  g_mutex_unlock (&self->lock);
  end_preroll (self);

  if (encoder) {
    symbl_encoding_set_live (encoder, live);
    gst_object_unref (encoder);
  }
  if (!ret) {
    gst_event_unref (event);
    return FALSE;
  }
  symbl_encoding_follow_caps (GST_GHOST_PAD (pad), caps);
  return gst_pad_event_default (pad, parent, event);
}

/* What a pad offers before the encoder is there: the formats the encoders
 * take first, so that upstream picks them now and needs no renegotiation
 * (and drops no frame) once the encoder is in place. */
static gboolean
on_input_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  g_autoptr (GstPad) target = NULL;
  gboolean result;
  g_autoptr (GstCaps) preferred = NULL;
  g_autoptr (GstCaps) allowed = NULL;
  GstCaps *filter, *caps;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CAPS
      && GST_QUERY_TYPE (query) != GST_QUERY_ACCEPT_CAPS)
    return gst_pad_query_default (pad, parent, query);
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
  if (target && symbl_encoding_query_input (GST_GHOST_PAD (pad), query,
          &result))
    return result;
  if (target)
    return gst_pad_query_default (pad, parent, query);

  allowed = gst_caps_from_string ("video/x-raw, format=I420; "
      "audio/x-raw, format=S16LE, rate=16000, channels=1; "
      "video/x-raw; audio/x-raw");
  preferred = gst_caps_intersect_full (allowed,
      GST_PAD_TEMPLATE_CAPS (GST_PAD_PAD_TEMPLATE (pad)),
      GST_CAPS_INTERSECT_FIRST);
  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS) {
    gst_query_parse_accept_caps (query, &caps);
    gst_query_set_accept_caps_result (query, gst_caps_can_intersect (caps,
            preferred));
    return TRUE;
  }
  gst_query_parse_caps (query, &filter);
  caps = filter ? gst_caps_intersect_full (filter, preferred,
      GST_CAPS_INTERSECT_FIRST) : gst_caps_ref (preferred);
  gst_query_set_caps_result (query, caps);
  gst_caps_unref (caps);
  return TRUE;
}

/* Once data flows, the encoder can no longer change. Removes itself. */
static GstPadProbeReturn
on_first_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);

  g_mutex_lock (&self->lock);
  self->flowing = TRUE;
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_REMOVE;
}

static InputKind
template_kind (GstPadTemplate * templ)
{
  if (g_str_equal (GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), "video"))
    return INPUT_VIDEO;
  if (g_str_equal (GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), "audio_%u"))
    return INPUT_AUDIO;
  return INPUT_UNKNOWN;
}

static gchar *
pad_name (GstSymblSink * self, InputKind kind, const gchar * requested)
{
  if (requested)
    return g_strdup (requested);
  if (kind == INPUT_VIDEO)
    return g_strdup ("video");
  if (kind == INPUT_AUDIO)
    return g_strdup_printf ("audio_%u", self->next_audio_index++);
  return g_strdup_printf ("sink_%u", self->next_sink_index++);
}

/* Inputs that cannot be recorded together are an error when the element
 * goes to READY, where gst-launch-1.0 shows it, rather than a link that
 * merely fails. Lock held. */
static void
check_inputs (GstSymblSink * self)
{
  const gchar *why = refusal (count_inputs (self, INPUT_AUDIO),
      count_inputs (self, INPUT_VIDEO), self->n_inputs);

  g_free (self->pads_error);
  self->pads_error = g_strdup (why);
}

static GstPad *
gst_symbl_sink_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstSymblSink *self = GST_SYMBL_SINK (element);
  InputKind kind = template_kind (templ);
  g_autofree gchar *pad_name_str = NULL;
  GstPad *pad;

  g_mutex_lock (&self->lock);
  if (self->flowing || self->n_inputs == MAX_PADS) {
    g_mutex_unlock (&self->lock);
    GST_ELEMENT_WARNING (self, CORE, PAD, ("symblsink takes new pads only "
            "before data flows, and at most two"), (NULL));
    return NULL;
  }

  pad_name_str = pad_name (self, kind, name);
  pad = gst_ghost_pad_new_no_target_from_template (pad_name_str, templ);
  /* Functions, not probes: a pad with probes runs them for every buffer.
   * A ghost pad's own are the defaults, which they call on. */
  gst_pad_set_event_function (pad, on_input_event);
  gst_pad_set_query_function (pad, on_input_query);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, on_first_buffer, self, NULL);
  self->inputs[self->n_inputs].pad = pad;
  self->inputs[self->n_inputs].kind = kind;
  self->n_inputs++;

  check_inputs (self);
  rebuild_encoder (self);
  /* Past READY (a pad decodebin adds), nothing else will report it. */
  if (GST_STATE (self) >= GST_STATE_READY)
    report_encoder_error (self);
  g_mutex_unlock (&self->lock);

  gst_element_add_pad (element, pad);
  /* gst-launch-1.0 sets audio_0::speaker-name once the pad exists. */
  gst_child_proxy_child_added (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  return pad;
}

static void
gst_symbl_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstSymblSink *self = GST_SYMBL_SINK (element);
  Input *input;

  g_mutex_lock (&self->lock);
  input = find_input (self, pad);
  if (input) {
    /* Keep the order: it is the order of the channels. */
    memmove (input, input + 1, (self->inputs + self->n_inputs - input - 1) *
        sizeof (Input));
    self->n_inputs--;
    check_inputs (self);
    /* While disposing, GstBin has already removed the encoder. */
    if (self->encoder)
      rebuild_encoder (self);
  }
  g_mutex_unlock (&self->lock);
  gst_child_proxy_child_removed (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  gst_element_remove_pad (element, pad);
}

/* encoding-profile is checked at READY even before any pad: parsed, and
 * what it makes one that Symbl takes. Lock held. */
static gboolean
check_profile (GstSymblSink * self)
{
  g_autoptr (GstEncodingProfile) profile = NULL;
  g_autofree gchar *missing = NULL;
  g_autoptr (GError) error = NULL;

  if (!self->profile)
    return TRUE;
  if (self->segment_duration) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, (PROFILE_SEGMENT_REFUSAL),
        (NULL));
    return FALSE;
  }
  profile = symbl_encoding_profile_parse (self->profile, &missing, &error);
  if (!profile) {
    post_encoding_error (self, missing, error);
    return FALSE;
  }
  if (self->format_set)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("format is not used: "
            "encoding-profile decides the encoding"), (NULL));
  return TRUE;
}

/* NULL -> READY: a missing encoder fails here, before anything records. */
static gboolean
check_encoder (GstSymblSink * self)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = check_profile (self) && report_encoder_error (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

static void
set_flushing (GstSymblSink * self, gboolean flushing)
{
  g_mutex_lock (&self->lock);
  self->flushing = flushing;
  if (!flushing)
    self->flowing = FALSE;
  g_cond_broadcast (&self->encoder_ready);
  g_mutex_unlock (&self->lock);
}

/* A recording under the 4 hours cap, without segment-duration, is one
 * upload, told of as the upload sink tells of one. */
static gboolean
is_cut (GstSymblSink * self)
{
  gboolean cut;

  g_mutex_lock (&self->queue_lock);
  cut = self->cut;
  g_mutex_unlock (&self->queue_lock);
  return cut;
}

static void
on_segment_sending (guint index, guint64 size, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);
  g_autofree gchar *what = is_cut (self) ?
      g_strdup_printf ("segment %u", index) : g_strdup ("the recording");

  symbl_report_upload_start (&self->report, what, size);
}

static void
on_segment_uploaded (guint index, const SymblJobIds * ids,
    const SymblMediaFormat * format, guint64 size, GstClockTime duration,
    const gchar * kept_path, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);
  GstMessage *job = symbl_message_job (GST_OBJECT (self), ids, format, size,
      duration, kept_path);

  symbl_report_upload_end (&self->report, TRUE, ids, NULL);
  if (is_cut (self))
    gst_structure_set (gst_message_writable_structure (job), "segment",
        G_TYPE_UINT, index, NULL);
  gst_element_post_message (GST_ELEMENT (self), job);
}

static void
on_segment_failed (guint index, const gchar * path,
    const SymblMediaFormat * format, const gchar * conversation_id,
    const GError * error, const SymblResponse * response, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);
  SymblReportSegment segment = { index, conversation_id };

  GST_WARNING_OBJECT (self, "segment %u failed: %s", index, error->message);
  symbl_report_upload_end (&self->report, FALSE, NULL, error);
  symbl_report_upload_error (&self->report, format, path,
      is_cut (self) ? &segment : NULL, error, response);
}

/* Every segment is uploaded (or one failed): the end of the stream, which
 * waits for it, goes on, once the last job is followed with wait-for-job.
 * From the queue's thread. */
static void
on_segments_finished (gboolean ok, gpointer user_data)
{
  GstSymblSink *self = GST_SYMBL_SINK (user_data);
  SymblJobIds last = { NULL, NULL };

  if (ok && symbl_upload_get_wait_for_job (self->segment_upload)
      && symbl_upload_queue_get_last_ids (self->queue, &last))
    ok = symbl_report_follow_job (&self->report, &last, self->cancellable);
  symbl_job_ids_clear (&last);

  g_mutex_lock (&self->queue_lock);
  self->finished = TRUE;
  self->finished_ok = ok;
  g_cond_broadcast (&self->queue_done);
  g_mutex_unlock (&self->queue_lock);
}

static void
on_stopping (GCancellable * cancellable, GstSymblSink * self)
{
  g_mutex_lock (&self->queue_lock);
  g_cond_broadcast (&self->queue_done);
  g_mutex_unlock (&self->queue_lock);
}

/* The writer's EOS, in the streaming thread: it goes on once the last
 * segment is uploaded, as an upload sink's EOS does, so that symbl-job
 * comes before EOS; after a failure (its error is the stream's end) or a
 * stop, it does not. Queue lock held. */
static gboolean
wait_for_the_uploads (GstSymblSink * self)
{
  gulong handler;

  symbl_upload_queue_close (self->queue);
  g_mutex_unlock (&self->queue_lock);
  handler = g_cancellable_connect (self->cancellable,
      G_CALLBACK (on_stopping), self, NULL);
  g_mutex_lock (&self->queue_lock);
  while (!self->finished && !g_cancellable_is_cancelled (self->cancellable))
    g_cond_wait (&self->queue_done, &self->queue_lock);
  g_mutex_unlock (&self->queue_lock);
  g_cancellable_disconnect (self->cancellable, handler);
  g_mutex_lock (&self->queue_lock);
  GST_DEBUG_OBJECT (self, "uploads %s", self->finished ? (self->finished_ok ?
          "done" : "failed") : "stopped");
  return self->finished && self->finished_ok;
}

/* The writer's messages (gstsymblsegmentwriter.h), from its streaming
 * thread: a segment begins (its manifest is written), a segment is
 * complete (it goes to the queue), the stream ended (its EOS waits for
 * the uploads). TRUE when @message was taken. */
static gboolean
handle_segment_message (GstSymblSink * self, GstMessage * message)
{
  SymblUploadQueueCallbacks callbacks = { on_segment_sending,
    on_segment_uploaded, on_segment_failed, on_segments_finished, self,
    symbl_report_callbacks (&self->report)
  };
  GstSymblSegmentWriter *writer = GST_IS_SYMBL_SEGMENT_WRITER
      (GST_MESSAGE_SRC (message)) ? GST_SYMBL_SEGMENT_WRITER
      (GST_MESSAGE_SRC (message)) : NULL;
  gboolean started = gst_message_has_name (message, GST_SYMBL_SEGMENT_STARTED);
  gboolean closed = gst_message_has_name (message, GST_SYMBL_SEGMENT_CLOSED);
  const GstStructure *s = gst_message_get_structure (message);
  guint64 duration = GST_CLOCK_TIME_NONE;
  gboolean last = FALSE;
  g_autofree gchar *metadata = NULL;
  const SymblMediaFormat *format;
  SymblStreamInfo info;

  if (!writer || !(started || closed))
    return FALSE;
  format = symbl_media_format_from_name (gst_structure_get_string (s,
          "format"));
  if (started)
    get_stream_info (self, &info, &metadata);

  g_mutex_lock (&self->queue_lock);
  if (started) {
    if (!self->queue)
      self->queue = symbl_upload_queue_new (self->segment_upload, &callbacks);
    symbl_upload_queue_begin (self->queue, gst_structure_get_string (s,
            "location"), format, &info);
  } else {
    /* A segment that got no data (the stream ended before anything came,
     * or right after a cut) was never begun: its empty file goes. */
    gst_structure_get_uint64 (s, "duration", &duration);
    gst_structure_get_boolean (s, "last", &last);
    self->cut |= !last;
    if (!self->queue || !symbl_upload_queue_push (self->queue, format,
            duration))
      g_unlink (gst_structure_get_string (s, "location"));
  }
  /* The end of the stream, in its streaming thread: it goes on once every
   * segment is uploaded; after a failure (its error ends the stream), or
   * when nothing was recorded, it goes no further. */
  if (last && !self->queue) {
    symbl_report_nothing_recorded (&self->report);
    gst_symbl_segment_writer_refuse_end (writer);
  } else if (last && !wait_for_the_uploads (self)) {
    gst_symbl_segment_writer_refuse_end (writer);
  }
  g_mutex_unlock (&self->queue_lock);
  gst_message_unref (message);
  return TRUE;
}

/* Stopped: segments not uploaded, and the one being recorded, are kept
 * with their manifests, and told of. The encoders go: a pipeline started
 * again from READY records anew, with new ones (wavenc, for one, sends no
 * segment when it starts a second stream). */
static void
end_recording (GstSymblSink * self)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *unfinished = NULL;
  g_autofree gchar *conversation_id = NULL;
  SymblJobIds last = { NULL, NULL };
  SymblUploadQueue *queue;
  gchar **paths, **path;

  g_mutex_lock (&self->lock);
  if (self->writer)
    unfinished = gst_symbl_segment_writer_close (GST_SYMBL_SEGMENT_WRITER
        (self->writer));
  remove_encoder (self);
  g_mutex_unlock (&self->lock);

  g_mutex_lock (&self->queue_lock);
  queue = g_steal_pointer (&self->queue);
  self->finished = FALSE;
  g_mutex_unlock (&self->queue_lock);
  if (!queue)
    return;
  if (symbl_upload_queue_get_last_ids (queue, &last))
    conversation_id = g_steal_pointer (&last.conversation_id);
  symbl_job_ids_clear (&last);
  paths = symbl_upload_queue_free (queue);
  for (path = paths; *path; path++)
    g_ptr_array_add (kept, *path);
  g_free (paths);
  symbl_report_kept_segments (&self->report, kept, conversation_id);
}

/* NULL -> READY: audio goes to segments that symblsink uploads itself
 * (one only, without segment-duration, unless it passes 3 h 55 min), with
 * the settings checked now, before anything is recorded; a video pad, or
 * an encoding-profile (whose encoders make one file), one upload at EOS
 * through the upload sink. */
static gboolean
prepare_uploads (GstSymblSink * self)
{
  g_autoptr (GstObject) parent = gst_object_get_parent (GST_OBJECT
      (self->upload));
  SymblSettings settings;

  g_mutex_lock (&self->lock);
  self->segmenting = self->segment_duration > 0
      || (count_inputs (self, INPUT_VIDEO) == 0 && !self->profile);
  g_mutex_unlock (&self->lock);
  if (!self->segmenting) {
    g_object_set (self->upload, "async", TRUE, NULL);
    if (!parent)
      gst_bin_add (GST_BIN (self), self->upload);
    return TRUE;
  }
  if (parent)
    gst_bin_remove (GST_BIN (self), self->upload);
  keep_sink_flag (self);

  GST_OBJECT_LOCK (self);
  symbl_settings_copy (&self->settings, &settings);
  GST_OBJECT_UNLOCK (self);
  self->segment_upload = symbl_report_prepare (GST_ELEMENT (self), &settings);
  if (self->segment_upload) {
    symbl_report_init (&self->report, GST_ELEMENT (self), self->segment_upload);
    self->background = symbl_background_start (GST_ELEMENT (self),
        self->segment_upload, settings.resume_pending);
  }
  symbl_settings_clear (&settings);
  if (!self->segment_upload)
    return FALSE;
  /* Pads requested in NULL fed the upload sink: the writer now. */
  g_mutex_lock (&self->lock);
  if (self->encoder)
    rebuild_encoder (self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* GstBin gives each child the base time as it sets it to PLAYING, the
 * upload sink first. Live, the upload sink holds audiointerleave's thread
 * in preroll until then; released, that thread would run with the base
 * time of 0 it had in PAUSED until its own turn came: every deadline long
 * past, it would output silence as fast as it can, seconds of it, and drop
 * the speech that then came "late". Every child gets the base time before
 * any of them plays. */
static void
share_base_time (GstSymblSink * self)
{
  GstClockTime base_time = gst_element_get_base_time (GST_ELEMENT (self));
  g_autoptr (GstIterator) children = gst_bin_iterate_recurse (GST_BIN (self));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (children, &item) == GST_ITERATOR_OK) {
    gst_element_set_base_time (g_value_get_object (&item), base_time);
    g_value_reset (&item);
  }
  g_value_unset (&item);
}

/* A meeting may last the four hours Symbl takes: say so at READY if
 * spool-dir could not hold them (video takes more still). */
static void
warn_if_spool_dir_is_small (GstSymblSink * self)
{
  g_autofree gchar *dir = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInfo) info = NULL;
  guint64 needed, free_bytes;

  GST_OBJECT_LOCK (self);
  dir = self->settings.spool_dir ? g_strdup (self->settings.spool_dir) :
      symbl_settings_default_spool_dir ();
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->lock);
  needed = 4 * symbl_audio_format_bytes_per_hour (self->format);
  g_mutex_unlock (&self->lock);
  file = g_file_new_for_path (dir);
  info = g_file_query_filesystem_info (file,
      G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (!info || !g_file_info_has_attribute (info,
          G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return;
  free_bytes = g_file_info_get_attribute_uint64 (info,
      G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes < needed)
    GST_ELEMENT_WARNING (self, RESOURCE, NO_SPACE_LEFT, ("spool-dir %s has "
            "%.1f MB free, less than the %.1f MB that four hours of one "
            "speaker take as %s: a long meeting would fill it", dir,
            free_bytes / 1e6, needed / 1e6, symbl_audio_format_container
            (self->format)), (NULL));
}

/* Back in NULL, as when made: pads requested now feed the upload sink
 * until prepare_uploads decides. */
static void
record_to_upload_sink (GstSymblSink * self)
{
  g_autoptr (GstObject) parent = gst_object_get_parent (GST_OBJECT
      (self->upload));

  g_mutex_lock (&self->lock);
  self->segmenting = FALSE;
  g_mutex_unlock (&self->lock);
  if (!parent)
    gst_bin_add (GST_BIN (self), self->upload);
}

static GstStateChangeReturn
gst_symbl_sink_change_state (GstElement * element, GstStateChange transition)
{
  GstSymblSink *self = GST_SYMBL_SINK (element);
  GstStateChangeReturn ret;
  gboolean preroll;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!check_encoder (self) || !prepare_uploads (self))
        return GST_STATE_CHANGE_FAILURE;
      warn_if_spool_dir_is_small (self);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      self->cancellable = g_cancellable_new ();
      self->told = FALSE;
      g_mutex_lock (&self->queue_lock);
      self->cut = self->segment_duration > 0;
      g_mutex_unlock (&self->queue_lock);
      g_mutex_lock (&self->lock);
      if (!self->encoder)
        rebuild_encoder (self);
      /* No data flows before the chain-up activates the pads. */
      preroll = self->segmenting && !self->writer;
      g_mutex_unlock (&self->lock);
      set_flushing (self, FALSE);
      if (preroll)
        start_preroll (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      share_base_time (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      set_flushing (self, TRUE);
      /* Following the last job, in the queue's thread, ends now too. */
      g_cancellable_cancel (self->cancellable);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    if (ret == GST_STATE_CHANGE_FAILURE || ret == GST_STATE_CHANGE_NO_PREROLL)
      end_preroll (self);
    else if (g_atomic_int_get (&self->prerolling))
      ret = GST_STATE_CHANGE_ASYNC;
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    end_preroll (self);
    end_recording (self);
    g_clear_object (&self->cancellable);
  }
  if (transition == GST_STATE_CHANGE_READY_TO_NULL) {
    g_clear_pointer (&self->background, symbl_background_stop);
    g_clear_pointer (&self->segment_upload, symbl_upload_free);
    record_to_upload_sink (self);
  }
  return ret;
}

/* What the inner upload sink tells the application: its results, its
 * progress, warnings and errors, not its states. */
static gboolean
is_told (GstMessage * message)
{
  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_INFO:
    case GST_MESSAGE_PROGRESS:
      return TRUE;
    case GST_MESSAGE_ELEMENT:
      return g_str_has_prefix (gst_structure_get_name
          (gst_message_get_structure (message)), "symbl-");
    default:
      return FALSE;
  }
}

/* Applications see what the inner upload sink tells as symblsink's own,
 * from the element they named. */
static void
gst_symbl_sink_handle_message (GstBin * bin, GstMessage * message)
{
  GstSymblSink *self = GST_SYMBL_SINK (bin);

  if (self->segmenting && handle_segment_message (self, message))
    return;
  if (GST_MESSAGE_SRC (message) == GST_OBJECT (self->upload)
      && is_told (message)) {
    GstMessage *own = gst_message_new_custom (GST_MESSAGE_TYPE (message),
        GST_OBJECT (self), gst_structure_copy (gst_message_get_structure
            (message)));

    gst_message_set_seqnum (own, gst_message_get_seqnum (message));
    gst_message_unref (message);
    message = own;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

/* Format and bitrate shape the encoder: rebuild it if nothing flows yet. */
static void
set_encoding_property (GstSymblSink * self, guint prop_id, const GValue * value)
{
  g_mutex_lock (&self->lock);
  if (prop_id == PROP_FORMAT) {
    self->format = g_value_get_enum (value);
    self->format_set = TRUE;
  } else if (prop_id == PROP_ENCODING_PROFILE) {
    g_free (self->profile);
    /* "" unsets it, as gst-launch-1.0 users can type. */
    self->profile = g_value_get_string (value)
        && *g_value_get_string (value) ? g_value_dup_string (value) : NULL;
  } else if (prop_id == PROP_VIDEO_BITRATE)
    self->video_bitrate = g_value_get_uint (value);
  else
    self->segment_duration = g_value_get_uint (value);
  if (self->encoder && !self->flowing)
    rebuild_encoder (self);
  g_mutex_unlock (&self->lock);
}

static void
gst_symbl_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  if (prop_id >= PROP_SETTINGS_FIRST) {
    g_object_set_property (G_OBJECT (self->upload), pspec->name, value);
    GST_OBJECT_LOCK (self);
    symbl_settings_set_property (&self->settings,
        prop_id - PROP_SETTINGS_FIRST, value);
    GST_OBJECT_UNLOCK (self);
    return;
  }
  switch (prop_id) {
    case PROP_FORMAT:
    case PROP_VIDEO_BITRATE:
    case PROP_SEGMENT_DURATION:
    case PROP_ENCODING_PROFILE:
      set_encoding_property (self, prop_id, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_symbl_sink_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  if (prop_id >= PROP_SETTINGS_FIRST) {
    g_object_get_property (G_OBJECT (self->upload), pspec->name, value);
    return;
  }
  g_mutex_lock (&self->lock);
  switch (prop_id) {
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_VIDEO_BITRATE:
      g_value_set_uint (value, self->video_bitrate);
      break;
    case PROP_SEGMENT_DURATION:
      g_value_set_uint (value, self->segment_duration);
      break;
    case PROP_ENCODING_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  g_mutex_unlock (&self->lock);
}

static void
gst_symbl_sink_dispose (GObject * object)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  /* GstBin disposes the children before GstElement releases the request
   * pads: by then the encoder is gone. */
  g_mutex_lock (&self->lock);
  self->encoder = NULL;
  self->writer = NULL;
  g_mutex_unlock (&self->lock);
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_symbl_sink_finalize (GObject * object)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  g_free (self->missing);
  g_free (self->profile);
  g_free (self->pads_error);
  g_clear_error (&self->encoder_error);
  symbl_settings_clear (&self->settings);
  gst_object_unref (self->upload);
  g_cond_clear (&self->encoder_ready);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->queue_lock);
  g_cond_clear (&self->queue_done);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Children are the bin's elements, then its pads, so that gst-launch-1.0
 * lines can say audio_0::speaker-name=Agent, as compositor's do. */
static GstChildProxyInterface *bin_child_proxy;

static GObject *
gst_symbl_sink_get_child_by_name (GstChildProxy * proxy, const gchar * name)
{
  GstPad *pad = gst_element_get_static_pad (GST_ELEMENT (proxy), name);

  if (pad)
    return G_OBJECT (pad);
  return bin_child_proxy->get_child_by_name (proxy, name);
}

static GObject *
gst_symbl_sink_get_child_by_index (GstChildProxy * proxy, guint index)
{
  guint elements = bin_child_proxy->get_children_count (proxy);
  GObject *pad = NULL;

  if (index < elements)
    return bin_child_proxy->get_child_by_index (proxy, index);
  GST_OBJECT_LOCK (proxy);
  pad = g_list_nth_data (GST_ELEMENT (proxy)->sinkpads, index - elements);
  if (pad)
    gst_object_ref (pad);
  GST_OBJECT_UNLOCK (proxy);
  return pad;
}

static guint
gst_symbl_sink_get_children_count (GstChildProxy * proxy)
{
  guint pads;

  GST_OBJECT_LOCK (proxy);
  pads = GST_ELEMENT (proxy)->numsinkpads;
  GST_OBJECT_UNLOCK (proxy);
  return bin_child_proxy->get_children_count (proxy) + pads;
}

static void
gst_symbl_sink_child_proxy_init (GstChildProxyInterface * iface)
{
  bin_child_proxy = g_type_interface_peek_parent (iface);
  iface->get_child_by_name = gst_symbl_sink_get_child_by_name;
  iface->get_child_by_index = gst_symbl_sink_get_child_by_index;
  iface->get_children_count = gst_symbl_sink_get_children_count;
}

static void
gst_symbl_sink_class_init (GstSymblSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  gobject_class->set_property = gst_symbl_sink_set_property;
  gobject_class->get_property = gst_symbl_sink_get_property;
  gobject_class->dispose = gst_symbl_sink_dispose;
  gobject_class->finalize = gst_symbl_sink_finalize;

  /**
   * GstSymblSink:format:
   *
   * How audio alone is encoded before upload: WAV (default), FLAC, MP3 or
   * Opus in Ogg. With a video input the upload is MP4 (H.264 and AAC) and
   * this is not used.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_FORMAT,
      g_param_spec_enum ("format", "Format",
          "How audio alone is encoded for upload (with video, the upload is "
          "MP4 with AAC audio)", SYMBL_TYPE_AUDIO_FORMAT, DEFAULT_FORMAT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstSymblSink:video-bitrate:
   *
   * The H.264 bitrate, in kbit/s, of a recording with video.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_VIDEO_BITRATE,
      g_param_spec_uint ("video-bitrate", "Video bitrate",
          "H.264 bitrate in kbit/s, when there is video", 1, 100000,
          DEFAULT_VIDEO_BITRATE_KBPS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstSymblSink:segment-duration:
   *
   * In seconds. Non-zero cuts a long audio recording into parts of about
   * this length, at the quietest 10 ms within two seconds of each cut, and
   * uploads each part while recording goes on: the first with POST, the
   * others appended to its conversation with PUT. Each part posts its own
   * symbl-job message, with a segment field. 0 (the default) uploads the
   * whole recording at EOS as one file, and cuts audio the same way only
   * every 3 h 55 min, since Symbl refuses files longer than 4 hours.
   * Audio only: a recording with video is always one file, which Symbl
   * refuses past 4 hours (the recording is then kept, and the error says
   * where).
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SEGMENT_DURATION,
      g_param_spec_uint ("segment-duration", "Segment duration",
          "Seconds: cut the recording at a quiet moment about this often and "
          "upload each part while recording goes on, appended to one "
          "conversation (0: one upload at the end, cut only past 3 h 55 min; "
          "audio only)", 0,
          LONG_SEGMENT_SECONDS, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstSymblSink:encoding-profile:
   *
   * An encoding profile, serialized as encodebin's profile property takes
   * it, such as `application/ogg:audio/x-opus` or
   * `video/quicktime,variant=iso:openh264enc:audio/mpeg,mpegversion=4`:
   * another encoder (a hardware H.264 one, say) or other settings. When
   * set, it wins over #GstSymblSink:format and
   * #GstSymblSink:video-bitrate. What it makes must be a format Symbl
   * takes (MP4 with video), or going to READY fails; not with
   * #GstSymblSink:segment-duration. The recording is then one file, never
   * cut: Symbl refuses it past 4 hours (it is kept, and the error says
   * where).
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_ENCODING_PROFILE,
      g_param_spec_string ("encoding-profile", "Encoding profile",
          "Encoding profile as encodebin takes it, e.g. "
          "application/ogg:audio/x-opus; wins over format and video-bitrate "
          "(NULL: format decides)", NULL, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  symbl_settings_install_properties (gobject_class, PROP_SETTINGS_FIRST);

  /* sink_%u first: gst-launch-1.0 links to the first template that fits,
   * and only sink_%u fits both audio and video. */
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &sink_template, GST_TYPE_SYMBL_SINK_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &audio_template, GST_TYPE_SYMBL_SINK_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &video_template, GST_TYPE_SYMBL_SINK_PAD);
  gst_element_class_set_static_metadata (element_class,
      "Symbl sink", "Sink/Network",
      "Records audio (and video), uploads it to the Symbl.ai Async API with "
      "conversation trackers and posts the conversation and job ids",
      "gst-symbl developers <gst-symbl@example.org>");

  element_class->change_state = GST_DEBUG_FUNCPTR (gst_symbl_sink_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_symbl_sink_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_symbl_sink_release_pad);
  bin_class->handle_message = GST_DEBUG_FUNCPTR (gst_symbl_sink_handle_message);

  gst_type_mark_as_plugin_api (SYMBL_TYPE_AUDIO_FORMAT, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_SYMBL_SINK_PAD, 0);
  GST_DEBUG_CATEGORY_INIT (gst_symbl_sink_debug, "symblsink", 0, "Symbl sink");
}

static void
gst_symbl_sink_init (GstSymblSink * self)
{
  g_autoptr (GstPad) upload_pad = NULL;

  g_mutex_init (&self->lock);
  g_cond_init (&self->encoder_ready);
  self->format = DEFAULT_FORMAT;
  self->video_bitrate = DEFAULT_VIDEO_BITRATE_KBPS;
  g_mutex_init (&self->queue_lock);
  g_cond_init (&self->queue_done);
  symbl_settings_init (&self->settings);
  /* symblsink's own reference: in segment mode it is no child. */
  self->upload = gst_object_ref (gst_element_factory_make ("symbluploadsink",
          "upload"));
  gst_bin_add (GST_BIN (self), self->upload);
  upload_pad = gst_element_get_static_pad (self->upload, "sink");
  gst_pad_add_probe (upload_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, tell_stream_info, self, NULL);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}
