/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblencoding.h"

#include <string.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/missing-plugins.h>

#include "gstsymblsegmenter.h"
#include "symblmedia.h"

/* Speech needs little: these keep uploads small and encoding cheap. */
#define MP3_BITRATE_KBPS 32
#define OPUS_BITRATE_BPS 24000
#define AAC_BITRATE_BPS 32000
/* In frames: 2 s at 30 fps, so that fragments start close to a keyframe. */
#define VIDEO_KEYFRAME_INTERVAL 60
#define MP4_FRAGMENT_MS 1000
#define PROFILE_PROPERTY "encoding-profile"
/* What Symbl takes, for the errors of encoding-profile (SYMBL_MEDIA_CAPS). */
#define SYMBL_TAKES "WAV (audio/x-wav), MP3 (audio/mpeg,mpegversion=1," \
    "layer=3), AAC in ADTS, FLAC (audio/x-flac), Ogg (application/ogg), " \
    "M4A (audio/x-m4a), AMR, AC3, AIFF, WMA (video/x-ms-asf) and MP4 " \
    "(video/quicktime,variant=iso), the only one with video"

GType
symbl_audio_format_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {SYMBL_AUDIO_FORMAT_WAV, "WAV: 16-bit PCM, 16 kHz mono (largest, exact)",
        "wav"},
    {SYMBL_AUDIO_FORMAT_FLAC, "FLAC: lossless, about half of WAV", "flac"},
    {SYMBL_AUDIO_FORMAT_MP3, "MP3 at 32 kbit/s", "mp3"},
    {SYMBL_AUDIO_FORMAT_OPUS, "Opus in Ogg at 24 kbit/s (smallest)", "opus"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSymblSinkFormat", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static const struct
{
  const gchar *factory;
  const gchar *package;
} packages[] = {
  {"audioconvert", "gstreamer1.0-plugins-base"},
  {"audioresample", "gstreamer1.0-plugins-base"},
  {"audiorate", "gstreamer1.0-plugins-base"},
  {"audiointerleave", "gstreamer1.0-plugins-bad"},
  {"videoconvert", "gstreamer1.0-plugins-base"},
  {"videoscale", "gstreamer1.0-plugins-base"},
  {"opusenc", "gstreamer1.0-plugins-base"},
  {"oggmux", "gstreamer1.0-plugins-base"},
  {"wavenc", "gstreamer1.0-plugins-good"},
  {"flacenc", "gstreamer1.0-plugins-good"},
  {"lamemp3enc", "gstreamer1.0-plugins-good"},
  {"mp4mux", "gstreamer1.0-plugins-good"},
  {"x264enc", "gstreamer1.0-plugins-ugly"},
  {"avenc_aac", "gstreamer1.0-libav"},
};

static const gchar *
package_of (const gchar * factory)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (packages); i++)
    if (g_str_equal (packages[i].factory, factory))
      return packages[i].package;
  return "gstreamer1.0-plugins-base";
}

typedef struct
{
  GstBin *bin;
  gchar **missing;
  GError **error;
} Builder;

static GstElement *
make (Builder * b, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (!element) {
    *b->missing = g_strdup (factory);
    g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "symblsink needs the GStreamer element %s, which is not installed. "
        "On Debian or Ubuntu: sudo apt-get install %s", factory,
        package_of (factory));
    return NULL;
  }
  gst_bin_add (b->bin, element);
  return element;
}

static gboolean
link_pair (Builder * b, GstElement * from, GstElement * to)
{
  if (gst_element_link (from, to))
    return TRUE;
  g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
      "Could not link %s to %s", GST_OBJECT_NAME (from), GST_OBJECT_NAME (to));
  return FALSE;
}

/* Speech into what takes it, which may be in another bin (the inputs of
 * a recording in segments feed the segment writer's first element): no
 * hierarchy check, and the caps are the same on both sides. */
static gboolean
link_speech (GstPad * from, GstPad * to)
{
  return gst_pad_link_full (from, to, GST_PAD_LINK_CHECK_NOTHING) ==
      GST_PAD_LINK_OK;
}

/* Makes @factories and links them in a row, into @elements. */
static gboolean
chain (Builder * b, const gchar * const *factories, GstElement ** elements)
{
  guint i;

  for (i = 0; factories[i]; i++) {
    elements[i] = make (b, factories[i]);
    if (!elements[i] || (i > 0 && !link_pair (b, elements[i - 1], elements[i])))
      return FALSE;
  }
  return TRUE;
}

static void
expose (Builder * b, GstElement * element, const gchar * pad_name,
    const gchar * ghost_name)
{
  g_autoptr (GstPad) target = gst_element_get_static_pad (element, pad_name);

  gst_element_add_pad (GST_ELEMENT (b->bin), gst_ghost_pad_new (ghost_name,
          target));
}

/* Live: the recording starts with the first sound, as audiointerleave's
 * does. Not live: at the start of the stream. */
static void
set_gap_filler_live (GstElement * rate, gboolean live)
{
  g_object_set (rate, "skip-to-first", live, NULL);
}

/* Where no segmenter does it (MP4, encoding-profile), audiorate fills a
 * gap in time (buffers missing, timestamps that jump ahead) with silence,
 * so that speech after it stays where it was in time; timestamps that
 * jump back are pushed forward before it (see keep_every_sample). Within
 * the tolerance (capture clocks, RTP jitter) a buffer is only re-timed,
 * which inserts no click of silence into speech. */
static void
configure_gap_filler (GstElement * rate)
{
  g_object_set (rate, "tolerance", (guint64) GST_SYMBL_SEGMENTER_TOLERANCE,
      NULL);
  set_gap_filler_live (rate, TRUE);
}

/* One speaker's timeline, in running time, ahead of audiorate. */
typedef struct
{
  GstSegment segment;
  GstAudioInfo info;
  GstClockTime end;             /* where the last buffer ended, shifted */
  GstClockTimeDiff shift;       /* how far later audio is moved */
  GstPadChainFunction chain;    /* audiorate's own */
  GstPadEventFunction event;
} Timeline;

static Timeline *
timeline_new (void)
{
  Timeline *line = g_new0 (Timeline, 1);

  gst_segment_init (&line->segment, GST_FORMAT_UNDEFINED);
  gst_audio_info_init (&line->info);
  line->end = GST_CLOCK_TIME_NONE;
  return line;
}

static void
timeline_follow_event (Timeline * line, GstEvent * event)
{
  GstCaps *caps;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
      gst_event_parse_caps (event, &caps);
      gst_audio_info_from_caps (&line->info, caps);
      break;
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &line->segment);
      break;
    case GST_EVENT_FLUSH_STOP:
      line->end = GST_CLOCK_TIME_NONE;
      line->shift = 0;
      break;
    default:
      break;
  }
}

/* A buffer that starts before the previous one ended, by more than
 * audiorate's tolerance, and every buffer after it, are pushed forward by
 * the difference; one that starts more than Symbl's longest file after
 * it (a clock that jumped, as the segmenter sees it) is brought back to
 * where it ended. Only the timestamp changes (recordings play at rate 1,
 * where a running time and a timestamp move alike): the buffer is made
 * writable, a copy of its metadata at most, only when it moves. */
static GstBuffer *
timeline_place_buffer (Timeline * line, GstBuffer * buffer)
{
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime start;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || !GST_AUDIO_INFO_BPF (&line->info)
      || line->segment.format != GST_FORMAT_TIME)
    return buffer;
  start = gst_segment_to_running_time (&line->segment, GST_FORMAT_TIME, pts);
  if (!GST_CLOCK_TIME_IS_VALID (start))
    return buffer;
  start += line->shift;
  if (GST_CLOCK_TIME_IS_VALID (line->end)
      && (start + GST_SYMBL_SEGMENTER_TOLERANCE < line->end
          || start > line->end + SYMBL_MAX_FILE_DURATION)) {
    line->shift += GST_CLOCK_DIFF (start, line->end);
    start = line->end;
  }
  if (line->shift) {
    buffer = gst_buffer_make_writable (buffer);
    GST_BUFFER_PTS (buffer) = pts + line->shift;
  }
  line->end = start + gst_util_uint64_scale (gst_buffer_get_size (buffer)
      / GST_AUDIO_INFO_BPF (&line->info), GST_SECOND,
      GST_AUDIO_INFO_RATE (&line->info));
  return buffer;
}

/* Timestamps that jump back would make audiorate drop what overlaps audio
 * already recorded: every sample is kept, in order, instead. In
 * audiorate's own pad functions, not a probe: a pad with probes runs them
 * for every buffer. */
static GstFlowReturn
keep_every_sample (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  Timeline *line = gst_pad_get_element_private (pad);

  return line->chain (pad, parent, timeline_place_buffer (line, buffer));
}

static gboolean
follow_timeline (GstPad * pad, GstObject * parent, GstEvent * event)
{
  Timeline *line = gst_pad_get_element_private (pad);

  timeline_follow_event (line, event);
  return line->event (pad, parent, event);
}

/* An input's conversion, left out while the input already is what it
 * gives: three fewer elements for every buffer. */
typedef struct
{
  GstCaps *speech;              /* what the conversion gives */
  GstPad *convert;              /* audioconvert's sink pad */
  GstPad *converted;            /* the capsfilter's src pad */
  GstPad *next;                 /* what takes the speech, linked to either
                                 * the input or the capsfilter */
  gboolean bypassed;            /* the input's streaming thread */
} Conversion;

/* On the input's pads: its own, and the one that feeds it straight. */
#define CONVERSION_KEY "symbl-conversion"

static void
conversion_clear (Conversion * conversion)
{
  gst_caps_unref (conversion->speech);
  gst_object_unref (conversion->convert);
  gst_object_unref (conversion->converted);
  gst_object_unref (conversion->next);
}

static void
conversion_unref (Conversion * conversion)
{
  g_atomic_rc_box_release_full (conversion, (GDestroyNotify) conversion_clear);
}

/* A new link sends the stream's segment again, the same: audiorate (where
 * it fills gaps) would take it for a new one and fill the time from its
 * start with silence. Once, after a change of path. */
static GstPadProbeReturn
skip_segment_again (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  g_autoptr (GstEvent) current = NULL;
  const GstSegment *again, *before;

  if (GST_EVENT_TYPE (event) != GST_EVENT_SEGMENT)
    return GST_PAD_PROBE_OK;
  current = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  if (!current)
    return GST_PAD_PROBE_REMOVE;
  gst_event_parse_segment (event, &again);
  gst_event_parse_segment (current, &before);
  if (!gst_segment_is_equal (again, before))
    return GST_PAD_PROBE_REMOVE;
  gst_pad_remove_probe (pad, info->id);
  return GST_PAD_PROBE_DROP;
}

/* On each caps event, in the streaming thread, before the event goes on:
 * the input goes straight to what takes the speech when its caps are the
 * speech's, through the conversion otherwise. Sticky events are sent
 * again on a new link, so the element now in the path gets the stream's
 * start and segment before this caps. An event function, not a probe: a
 * pad with probes runs them for every buffer. */
static void
follow_caps (Conversion * conversion, GstGhostPad * input, GstCaps * caps)
{
  gboolean fits = gst_caps_is_fixed (caps)
      && gst_caps_is_subset (caps, conversion->speech);

  if (fits == conversion->bypassed)
    return;
  GST_DEBUG_OBJECT (input, "%s the conversion for %" GST_PTR_FORMAT,
      fits ? "leaving out" : "back to", caps);
  if (fits) {
    gst_pad_unlink (conversion->converted, conversion->next);
    gst_ghost_pad_set_target (input, conversion->next);
  } else {
    gst_ghost_pad_set_target (input, conversion->convert);
    link_speech (conversion->converted, conversion->next);
  }
  conversion->bypassed = fits;
  gst_pad_add_probe (conversion->next, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      skip_segment_again, NULL, NULL);
}

static gboolean
input_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  Conversion *conversion = gst_pad_get_element_private (pad);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    gst_event_parse_caps (event, &caps);
    follow_caps (conversion, GST_GHOST_PAD (pad), caps);
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Whatever the input's path, it takes what the conversion takes. */
static gboolean
query_conversion (Conversion * conversion, GstQuery * query, gboolean * result)
{
  if (!conversion || !conversion->bypassed
      || (GST_QUERY_TYPE (query) != GST_QUERY_CAPS
          && GST_QUERY_TYPE (query) != GST_QUERY_ACCEPT_CAPS))
    return FALSE;
  *result = gst_pad_query (conversion->convert, query);
  return TRUE;
}

static gboolean
input_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  Conversion *conversion = gst_pad_get_element_private (pad);
  gboolean result;

  if (query_conversion (conversion, query, &result))
    return result;
  return gst_pad_query_default (pad, parent, query);
}

gboolean
symbl_encoding_take_input (GstElement * inputs, const gchar * name,
    GstGhostPad * outer)
{
  g_autoptr (GstPad) inner = gst_element_get_static_pad (inputs, name);
  g_autoptr (GstPad) target = NULL;
  Conversion *conversion;

  if (!inner || !(conversion = gst_pad_get_element_private (inner)))
    return FALSE;
  target = gst_ghost_pad_get_target (GST_GHOST_PAD (inner));
  gst_ghost_pad_set_target (GST_GHOST_PAD (inner), NULL);
  gst_ghost_pad_set_target (outer, target);
  g_object_set_data_full (G_OBJECT (outer), CONVERSION_KEY,
      g_atomic_rc_box_acquire (conversion), (GDestroyNotify) conversion_unref);
  return TRUE;
}

void
symbl_encoding_drop_input (GstGhostPad * outer)
{
  g_object_set_data (G_OBJECT (outer), CONVERSION_KEY, NULL);
}

/* The conversion @outer feeds, held: a new pad's rebuild can drop it from
 * another thread while this one's event or query is under way. */
static gpointer
acquire_conversion (gpointer conversion, gpointer user_data)
{
  return conversion ? g_atomic_rc_box_acquire (conversion) : NULL;
}

static Conversion *
conversion_of (GstGhostPad * outer)
{
  return g_object_dup_data (G_OBJECT (outer), CONVERSION_KEY,
      acquire_conversion, NULL);
}

void
symbl_encoding_follow_caps (GstGhostPad * outer, GstCaps * caps)
{
  Conversion *conversion = conversion_of (outer);

  if (!conversion)
    return;
  follow_caps (conversion, outer, caps);
  conversion_unref (conversion);
}

gboolean
symbl_encoding_query_input (GstGhostPad * outer, GstQuery * query,
    gboolean * result)
{
  Conversion *conversion = conversion_of (outer);
  gboolean answered = query_conversion (conversion, query, result);

  if (conversion)
    conversion_unref (conversion);
  return answered;
}

/* Two converters and a capsfilter of @caps (and @format, if given),
 * exposed as @pad_name: returns the capsfilter. */
static GstElement *
add_converted_input (Builder * b, const gchar * const *factories,
    GstCaps * caps, const gchar * format, const gchar * pad_name)
{
  GstElement *elements[3];

  if (format)
    gst_caps_set_simple (caps, "format", G_TYPE_STRING, format, NULL);
  if (!chain (b, factories, elements))
    return NULL;
  g_object_set (elements[2], "caps", caps, NULL);
  expose (b, elements[0], "sink", pad_name);
  return elements[2];
}

/* audioconvert ! audioresample ! 16 kHz mono into @next, exposed as
 * @pad_name, and left out while the input needs none of it. */
static gboolean
add_speech_input (Builder * b, const gchar * pad_name,
    const gchar * sample_format, GstPad * next)
{
  const gchar *convert[] = { "audioconvert", "audioresample", "capsfilter",
    NULL
  };
  g_autoptr (GstCaps) caps = gst_caps_new_simple ("audio/x-raw",
      "rate", G_TYPE_INT, SYMBL_SPEECH_RATE, "channels", G_TYPE_INT, 1, NULL);
  g_autoptr (GstPad) converted = NULL;
  g_autoptr (GstPad) input = NULL;
  GstElement *filter;
  Conversion *conversion;

  if (sample_format)
    gst_caps_set_simple (caps, "layout", G_TYPE_STRING, "interleaved", NULL);
  if (!(filter = add_converted_input (b, convert, caps, sample_format,
              pad_name)))
    return FALSE;
  converted = gst_element_get_static_pad (filter, "src");
  if (!link_speech (converted, next)) {
    g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "Could not link %s's conversion", pad_name);
    return FALSE;
  }
  /* Any sample format (video's AAC takes floats) has no fixed caps to
   * compare with: always converted. */
  if (!sample_format)
    return TRUE;
  input = gst_element_get_static_pad (GST_ELEMENT (b->bin), pad_name);
  conversion = g_atomic_rc_box_new0 (Conversion);
  conversion->speech = gst_caps_ref (caps);
  conversion->convert = gst_ghost_pad_get_target (GST_GHOST_PAD (input));
  conversion->converted = g_steal_pointer (&converted);
  conversion->next = gst_object_ref (next);
  gst_pad_set_element_private (input, conversion);
  g_object_set_data_full (G_OBJECT (input), CONVERSION_KEY, conversion,
      (GDestroyNotify) conversion_unref);
  gst_pad_set_event_function (input, input_event);
  gst_pad_set_query_function (input, input_query);
  return TRUE;
}

/* The speech of one speaker alone, gaps filled with silence: returns the
 * audiorate that gives it (two speakers have audiointerleave for that). */
static GstElement *
add_lone_speech_input (Builder * b, const gchar * sample_format)
{
  GstElement *rate = make (b, "audiorate");
  g_autoptr (GstPad) pad = NULL;
  Timeline *line;

  if (!rate)
    return NULL;
  configure_gap_filler (rate);
  pad = gst_element_get_static_pad (rate, "sink");
  line = timeline_new ();
  line->chain = GST_PAD_CHAINFUNC (pad);
  line->event = GST_PAD_EVENTFUNC (pad);
  gst_pad_set_element_private (pad, line);
  g_object_set_data_full (G_OBJECT (pad), "symbl-timeline", line, g_free);
  gst_pad_set_chain_function (pad, keep_every_sample);
  gst_pad_set_event_function (pad, follow_timeline);
  if (!add_speech_input (b, "audio_0", sample_format, pad))
    return NULL;
  return rate;
}

/* Live, an aggregator that starts at zero can time out before any caps
 * arrived, which 1.22's audioaggregator takes for an error: starting at the
 * first buffer waits for data. Not live, the first buffer to arrive may be
 * the later speaker's: start at zero. Live until told otherwise, since the
 * timeout can come before anything else. */
static void
set_interleave_live (GstElement * interleave, gboolean live)
{
  gst_util_set_object_arg (G_OBJECT (interleave), "start-time-selection",
      live ? "first" : "zero");
}

/* Two speakers, one per channel: audio_0 on the left (channel 1), audio_1
 * on the right. audiointerleave aligns them in time and fills a late or
 * silent input with silence. */
static GstElement *
add_interleave (Builder * b)
{
  GstAudioChannelPosition sides[] = { GST_AUDIO_CHANNEL_POSITION_FRONT_LEFT,
    GST_AUDIO_CHANNEL_POSITION_FRONT_RIGHT
  };
  GstElement *interleave = make (b, "audiointerleave");
  GValue positions = G_VALUE_INIT;
  GValue position = G_VALUE_INIT;
  guint i;

  if (!interleave)
    return NULL;
  gst_object_set_name (GST_OBJECT (interleave), "interleave");
  set_interleave_live (interleave, TRUE);

  gst_value_array_init (&positions, 2);
  g_value_init (&position, GST_TYPE_AUDIO_CHANNEL_POSITION);
  for (i = 0; i < G_N_ELEMENTS (sides); i++) {
    g_value_set_enum (&position, sides[i]);
    gst_value_array_append_value (&positions, &position);
  }
  g_object_set_property (G_OBJECT (interleave), "channel-positions",
      &positions);
  /* A gap (a side that went quiet, no data) is a gap at once, filled with
   * silence, rather than after a second of drift. */
  g_object_set (interleave, "channel-positions-from-input", FALSE,
      "discont-wait", G_GUINT64_CONSTANT (0), NULL);
  g_value_unset (&position);
  g_value_unset (&positions);
  return interleave;
}

/* Two speakers, each through its conversion into audiointerleave. */
static GstElement *
add_call_inputs (Builder * b)
{
  GstElement *interleave = add_interleave (b);
  guint i;

  if (!interleave)
    return NULL;
  for (i = 0; i < 2; i++) {
    g_autofree gchar *name = g_strdup_printf ("audio_%u", i);
    g_autoptr (GstPad) side = gst_element_request_pad_simple (interleave,
        i == 0 ? "sink_0" : "sink_1");

    if (!side) {
      g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
          "Could not link the speakers to audiointerleave");
      return NULL;
    }
    if (!add_speech_input (b, name, "S16LE", side))
      return NULL;
  }
  return interleave;
}

/* The speech of @n_audio speakers, 16-bit (what every audio encoder here
 * takes, and the depth FLAC keeps): returns the element whose src pad
 * gives it, one channel per speaker. */
static GstElement *
add_audio_inputs (Builder * b, guint n_audio)
{
  return n_audio == 1 ? add_lone_speech_input (b, "S16LE") :
      add_call_inputs (b);
}

/* The encoder of @format for @channels of speech: @first takes it raw,
 * @last gives it encoded. */
static gboolean
add_audio_encoder (Builder * b, SymblAudioFormat format, guint channels,
    GstElement ** first, GstElement ** last)
{
  const gchar *wav[] = { "wavenc", NULL };
  const gchar *flac[] = { "flacenc", NULL };
  const gchar *mp3[] = { "lamemp3enc", NULL };
  const gchar *opus[] = { "opusenc", "oggmux", NULL };
  const gchar *const *encoders[] = { wav, flac, mp3, opus };
  GstElement *elements[2] = { NULL, NULL };

  if (!chain (b, encoders[format], elements))
    return FALSE;
  *first = elements[0];
  *last = elements[1] ? elements[1] : elements[0];

  /* Each channel gets the bitrate one speaker needs. */
  if (format == SYMBL_AUDIO_FORMAT_MP3) {
    gst_util_set_object_arg (G_OBJECT (*first), "target", "bitrate");
    g_object_set (*first, "bitrate", MP3_BITRATE_KBPS * channels, "cbr",
        TRUE, NULL);
  } else if (format == SYMBL_AUDIO_FORMAT_OPUS) {
    gst_util_set_object_arg (G_OBJECT (*first), "audio-type", "voice");
    g_object_set (*first, "bitrate", OPUS_BITRATE_BPS * channels, NULL);
  }
  return TRUE;
}

static gboolean
build_audio_only (Builder * b, SymblAudioFormat format, guint n_audio)
{
  GstElement *speech, *first, *last;

  if (!(speech = add_audio_inputs (b, n_audio))
      || !add_audio_encoder (b, format, n_audio, &first, &last)
      || !link_pair (b, speech, first))
    return FALSE;
  /* Named once in the bin, GStreamer elements cannot be renamed. */
  g_object_set_data (G_OBJECT (b->bin), SYMBL_ENCODING_AUDIO_ENCODER, first);
  expose (b, last, "src", "src");
  return TRUE;
}

/* videoconvert ! videoscale ! at most 720p (and @format, if given),
 * exposed as "video": returns the capsfilter, whose src pad gives it. */
static GstElement *
add_video_input (Builder * b, const gchar * format)
{
  const gchar *video[] = { "videoconvert", "videoscale", "capsfilter", NULL };
  g_autoptr (GstCaps) caps = gst_caps_new_simple ("video/x-raw",
      "width", GST_TYPE_INT_RANGE, 1, SYMBL_VIDEO_MAX_WIDTH,
      "height", GST_TYPE_INT_RANGE, 1, SYMBL_VIDEO_MAX_HEIGHT,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

  return add_converted_input (b, video, caps, format, "video");
}

/* Watchable but cheap: at most 720p, 8-bit 4:2:0 (which every H.264
 * decoder plays), x264's superfast preset without lookahead (a few MB of
 * memory per stream rather than a hundred). The frame rate stays as it
 * is: videorate's capping drops frames from 30 fps sources whose
 * timestamps are rounded to milliseconds (WebM, Matroska). */
static gboolean
add_video (Builder * b, GstElement * mux, guint bitrate_kbps)
{
  GstElement *video = add_video_input (b, "I420");
  GstElement *x264 = video ? make (b, "x264enc") : NULL;

  if (!x264 || !link_pair (b, video, x264) || !link_pair (b, x264, mux))
    return FALSE;
  gst_util_set_object_arg (G_OBJECT (x264), "speed-preset", "superfast");
  gst_util_set_object_arg (G_OBJECT (x264), "tune", "zerolatency");
  g_object_set (x264, "bitrate", bitrate_kbps,
      "key-int-max", VIDEO_KEYFRAME_INTERVAL, NULL);
  return TRUE;
}

static gboolean
build_mp4 (Builder * b, const SymblEncodingPlan * plan)
{
  GstElement *mux = make (b, "mp4mux");
  GstElement *aac, *speech;

  if (!mux)
    return FALSE;
  g_object_set (mux, "fragment-duration", MP4_FRAGMENT_MS, NULL);
  expose (b, mux, "src", "src");

  if (!add_video (b, mux, plan->video_bitrate_kbps))
    return FALSE;
  if (plan->n_audio == 0)
    return TRUE;

  aac = make (b, "avenc_aac");
  if (!aac || !link_pair (b, aac, mux)
      || !(speech = add_lone_speech_input (b, NULL)))
    return FALSE;
  g_object_set (aac, "bitrate", AAC_BITRATE_BPS, NULL);
  return link_pair (b, speech, aac);
}

/* encoding-profile: encodebin's serialized GstEncodingProfile, a list of
 * parts split at unescaped colons, each "restriction->caps+preset|props"
 * where caps may be an element's name (gst-plugins-base's
 * encoding-profile.c). 1.22's parser fails alike for a typo and for an
 * encoder that is not installed, with criticals for text that is no caps:
 * each part is checked first, so that the error says which. */
static gboolean
profile_error (GError ** error, gboolean missing, const gchar * text,
    const gchar * why)
{
  g_set_error (error, missing ? GST_CORE_ERROR : GST_RESOURCE_ERROR,
      missing ? (gint) GST_CORE_ERROR_MISSING_PLUGIN :
      (gint) GST_RESOURCE_ERROR_SETTINGS, PROFILE_PROPERTY " \"%s\": %s",
      text, why);
  return FALSE;
}

static GstCaps *
profile_part_caps (const gchar * part)
{
  const gchar *arrow = strstr (part, "->");
  g_autofree gchar *caps = g_strdup (arrow ? arrow + 2 : part);

  caps[strcspn (caps, "+|")] = '\0';
  return *caps ? gst_caps_from_string (caps) : NULL;
}

/* Whether an encoder or muxer that encodebin may use makes @caps. */
static gboolean
is_made (const GstCaps * caps)
{
  GList *all = gst_element_factory_list_get_elements
      (GST_ELEMENT_FACTORY_TYPE_ENCODER | GST_ELEMENT_FACTORY_TYPE_MUXER,
      GST_RANK_MARGINAL);
  GList *makers = gst_element_factory_list_filter (all, caps, GST_PAD_SRC,
      FALSE);
  gboolean made = makers != NULL;

  gst_plugin_feature_list_free (makers);
  gst_plugin_feature_list_free (all);
  return made;
}

static gboolean
check_profile_part (const gchar * text, const gchar * part, gchar ** missing,
    GError ** error)
{
  g_autoptr (GstCaps) caps = profile_part_caps (part);
  g_autoptr (GstElementFactory) factory = NULL;
  g_autofree gchar *why = NULL;
  const gchar *name;

  if (!caps || gst_caps_get_size (caps) != 1) {
    why = g_strdup_printf ("\"%s\" is neither caps nor an element's name",
        part);
    return profile_error (error, FALSE, text, why);
  }
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (strchr (name, '/')) {
    /* Raw streams go to the muxer as they are: no encoder. */
    if (g_str_has_suffix (name, "/x-raw") || is_made (caps))
      return TRUE;
    *missing = gst_caps_to_string (caps);
    why = g_strdup_printf ("no installed encoder or muxer makes %s. Install "
        "the GStreamer plugin that does (on Debian, most are in "
        "gstreamer1.0-plugins-good, -bad, -ugly or gstreamer1.0-libav)",
        *missing);
    return profile_error (error, TRUE, text, why);
  }
  factory = gst_element_factory_find (name);
  if (!factory) {
    *missing = g_strdup (name);
    why = g_strdup_printf ("the element %s is not installed", name);
    return profile_error (error, TRUE, text, why);
  }
  if (gst_element_factory_list_is_type (factory,
          GST_ELEMENT_FACTORY_TYPE_ENCODER | GST_ELEMENT_FACTORY_TYPE_MUXER))
    return TRUE;
  why = g_strdup_printf ("%s is neither an encoder nor a muxer", name);
  return profile_error (error, FALSE, text, why);
}

static gboolean
check_profile_parts (const gchar * text, gchar ** missing, GError ** error)
{
  g_auto (GStrv) parts = g_regex_split_simple ("(?<!\\\\)(?:\\\\\\\\)*:",
      text, 0, 0);
  guint i;

  if (!parts || !parts[0])
    return profile_error (error, FALSE, text, "empty");
  for (i = 0; parts[i]; i++) {
    g_autofree gchar *part = g_strcompress (parts[i]);

    if (!check_profile_part (text, part, missing, error))
      return FALSE;
  }
  return TRUE;
}

/* What @profile's muxer (or lone encoder) makes: when it is named by its
 * element, what that element's src pad can make. */
static GstCaps *
profile_output (GstEncodingProfile * profile)
{
  const gchar *name = gst_encoding_profile_get_preset_name (profile);
  g_autoptr (GstElementFactory) factory = name ?
      gst_element_factory_find (name) : NULL;
  const GList *l;

  for (l = factory ? gst_element_factory_get_static_pad_templates (factory) :
      NULL; l; l = l->next) {
    GstStaticPadTemplate *templ = l->data;

    if (templ->direction == GST_PAD_SRC)
      return gst_static_pad_template_get_caps (templ);
  }
  return gst_encoding_profile_get_format (profile);
}

/* @profile's first stream of @type (itself, with no container), or
 * NULL. */
static GstEncodingProfile *
find_stream (GstEncodingProfile * profile, GType type)
{
  const GList *l;

  if (!GST_IS_ENCODING_CONTAINER_PROFILE (profile))
    return G_TYPE_CHECK_INSTANCE_TYPE (profile, type) ? profile : NULL;
  for (l = gst_encoding_container_profile_get_profiles
      (GST_ENCODING_CONTAINER_PROFILE (profile)); l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

/* Symbl takes what @profile makes: caps wholly within SYMBL_MEDIA_CAPS; a
 * muxer named by its element, when it can make one of them; and MP4 only
 * for video. */
static gboolean
check_profile_output (const gchar * text, GstEncodingProfile * profile,
    GError ** error)
{
  g_autoptr (GstCaps) made = profile_output (profile);
  g_autoptr (GstCaps) taken = gst_caps_from_string (SYMBL_MEDIA_CAPS);
  g_autoptr (GstCaps) mp4 = gst_caps_from_string ("video/quicktime, "
      "variant = (string) iso");
  GstEncodingProfile *video = find_stream (profile,
      GST_TYPE_ENCODING_VIDEO_PROFILE);
  gboolean named = gst_encoding_profile_get_preset_name (profile) != NULL;
  g_autofree gchar *made_text = gst_caps_to_string (made);
  g_autofree gchar *why = NULL;

  if (video && !(named ? gst_caps_can_intersect (made, mp4) :
          gst_caps_is_subset (made, mp4)))
    why = g_strdup_printf ("with video it must make MP4 "
        "(video/quicktime,variant=iso), the only video Symbl takes, not %s",
        made_text);
  else if (!(named ? gst_caps_can_intersect (made, taken) :
          gst_caps_is_subset (made, taken)))
    why = g_strdup_printf ("Symbl does not take %s. It takes " SYMBL_TAKES,
        made_text);
  return !why || profile_error (error, FALSE, text, why);
}

GstEncodingProfile *
symbl_encoding_profile_parse (const gchar * text, gchar ** missing,
    GError ** error)
{
  GValue value = G_VALUE_INIT;
  GstEncodingProfile *profile = NULL;

  if (!check_profile_parts (text, missing, error))
    return NULL;
  g_value_init (&value, GST_TYPE_ENCODING_PROFILE);
  if (gst_value_deserialize (&value, text))
    profile = g_value_dup_object (&value);
  g_value_unset (&value);
  if (!profile)
    profile_error (error, FALSE, text, "not an "
        "encoding profile, such as application/ogg:audio/x-opus or "
        "video/quicktime,variant=iso:video/x-h264:audio/mpeg,mpegversion=4");
  else if (!check_profile_output (text, profile, error))
    g_clear_object (&profile);
  return profile;
}

GstMessage *
symbl_encoding_missing_message (GstElement * element, const gchar * missing)
{
  g_autoptr (GstCaps) caps = NULL;

  /* Media types have a slash, element names never. */
  if (!strchr (missing, '/'))
    return gst_missing_element_message_new (element, missing);
  caps = gst_caps_from_string (missing);
  return gst_missing_encoder_message_new (element, caps);
}

/* Links @from to encodebin's pad for a stream of @type: its own for a
 * profile without a container, else a new request pad, which it does not
 * give when the profile has no stream of @type, or when no encoder it may
 * use (of rank marginal and up) makes that stream. */
static gboolean
link_to_profile (Builder * b, GstElement * from, GstElement * encodebin,
    GType type, const SymblEncodingPlan * plan, GstEncodingProfile * profile)
{
  const gchar *kind = type == GST_TYPE_ENCODING_VIDEO_PROFILE ? "video" :
      "audio";
  g_autofree gchar *own = g_strdup_printf ("%s_0", kind);
  g_autofree gchar *templ = g_strdup_printf ("%s_%%u", kind);
  g_autoptr (GstPad) src = gst_element_get_static_pad (from, "src");
  g_autoptr (GstPad) sink = gst_element_get_static_pad (encodebin, own);
  GstEncodingProfile *stream = find_stream (profile, type);
  g_autoptr (GstCaps) format = NULL;
  const gchar *named;

  if (!sink)
    sink = gst_element_request_pad_simple (encodebin, templ);
  if (sink && gst_pad_link (src, sink) == GST_PAD_LINK_OK)
    return TRUE;
  if (sink) {
    g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "Could not link the %s to encodebin", kind);
    return FALSE;
  }
  if (!stream) {
    g_set_error (b->error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        PROFILE_PROPERTY " \"%s\" has no %s stream, and the recording has %s",
        plan->profile, kind, kind);
    return FALSE;
  }
  format = gst_encoding_profile_get_format (stream);
  named = gst_encoding_profile_get_preset_name (stream);
  *b->missing = gst_caps_to_string (format);
  g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
      PROFILE_PROPERTY " \"%s\": encodebin found no encoder for %s%s%s%s: "
      "it takes only installed encoders of rank marginal and up whose output "
      "its muxer accepts", plan->profile, *b->missing, named ? " (" : "",
      named ? named : "", named ? ")" : "");
  return FALSE;
}

/* encodebin, as plan->profile says, after the same inputs as without it. */
static gboolean
build_with_profile (Builder * b, const SymblEncodingPlan * plan)
{
  g_autoptr (GstEncodingProfile) profile =
      symbl_encoding_profile_parse (plan->profile, b->missing, b->error);
  GstElement *encodebin = profile ? make (b, "encodebin") : NULL;
  GstElement *video, *speech, *samples;

  if (!encodebin)
    return FALSE;
  g_object_set (encodebin, "profile", profile, NULL);
  expose (b, encodebin, "src", "src");
  if (plan->video && (!(video = add_video_input (b, NULL))
          || !link_to_profile (b, video, encodebin,
              GST_TYPE_ENCODING_VIDEO_PROFILE, plan, profile)))
    return FALSE;
  if (!plan->n_audio)
    return TRUE;
  /* A capsfilter that lets all through: its sink pad is where the speech
   * goes into the encoder, for SYMBL_ENCODING_AUDIO_ENCODER. */
  if (!(speech = add_audio_inputs (b, plan->n_audio))
      || !(samples = make (b, "capsfilter"))
      || !link_pair (b, speech, samples))
    return FALSE;
  g_object_set_data (G_OBJECT (b->bin), SYMBL_ENCODING_AUDIO_ENCODER, samples);
  return link_to_profile (b, samples, encodebin,
      GST_TYPE_ENCODING_AUDIO_PROFILE, plan, profile);
}

void
symbl_encoding_set_live (GstElement * encoder, gboolean live)
{
  g_autoptr (GstElement) interleave = gst_bin_get_by_name (GST_BIN (encoder),
      "interleave");
  g_autoptr (GstIterator) elements = gst_bin_iterate_recurse (GST_BIN
      (encoder));
  GValue item = G_VALUE_INIT;

  if (interleave)
    set_interleave_live (interleave, live);
  while (gst_iterator_next (elements, &item) == GST_ITERATOR_OK) {
    GstElement *element = g_value_get_object (&item);
    GstElementFactory *factory = gst_element_get_factory (element);

    if (factory && g_str_equal (GST_OBJECT_NAME (factory), "audiorate"))
      set_gap_filler_live (element, live);
    g_value_reset (&item);
  }
  g_value_unset (&item);
}

/* The speech, with gaps in time, into @speech, which fills them: one
 * speaker's conversion, or the call's audiointerleave. */
static gboolean
build_inputs (Builder * b, guint n_audio, GstPad * speech)
{
  GstElement *interleave;
  g_autoptr (GstPad) src = NULL;

  if (n_audio == 1)
    return add_speech_input (b, "audio_0", "S16LE", speech);
  if (!(interleave = add_call_inputs (b)))
    return FALSE;
  src = gst_element_get_static_pad (interleave, "src");
  if (link_speech (src, speech))
    return TRUE;
  g_set_error (b->error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
      "Could not link audiointerleave to the segments");
  return FALSE;
}

static gboolean
build_audio_encoder (Builder * b, SymblAudioFormat format, guint channels)
{
  GstElement *first, *last;

  if (!add_audio_encoder (b, format, channels, &first, &last))
    return FALSE;
  expose (b, first, "sink", "sink");
  expose (b, last, "src", "src");
  return TRUE;
}

/* A new bin called @name, or NULL and the bin freed when @ok is FALSE. */
static GstElement *
finish (Builder * b, gboolean ok)
{
  if (!ok) {
    gst_object_unref (b->bin);
    return NULL;
  }
  return GST_ELEMENT (b->bin);  /* not floating: the caller owns it */
}

GstElement *
symbl_encoding_new (const SymblEncodingPlan * plan, gchar ** missing,
    GError ** error)
{
  Builder b = { NULL, missing, error };

  g_return_val_if_fail (plan->n_audio > 0 || plan->video, NULL);
  g_return_val_if_fail (plan->n_audio <= 2, NULL);
  g_return_val_if_fail (!plan->video || plan->n_audio <= 1, NULL);

  b.bin = GST_BIN (gst_object_ref_sink (gst_bin_new ("encoder")));
  if (plan->profile)
    return finish (&b, build_with_profile (&b, plan));
  return finish (&b, plan->video ? build_mp4 (&b, plan) :
      build_audio_only (&b, plan->audio_format, plan->n_audio));
}

GstElement *
symbl_encoding_new_inputs (guint n_audio, GstPad * speech, gchar ** missing,
    GError ** error)
{
  Builder b = { NULL, missing, error };

  g_return_val_if_fail (n_audio == 1 || n_audio == 2, NULL);
  b.bin = GST_BIN (gst_object_ref_sink (gst_bin_new ("inputs")));
  return finish (&b, build_inputs (&b, n_audio, speech));
}

GstElement *
symbl_encoding_new_audio_encoder (SymblAudioFormat format, guint channels,
    gchar ** missing, GError ** error)
{
  Builder b = { NULL, missing, error };

  b.bin = GST_BIN (gst_object_ref_sink (gst_bin_new (NULL)));
  return finish (&b, build_audio_encoder (&b, format, channels));
}

guint64
symbl_audio_format_bytes_per_hour (SymblAudioFormat format)
{
  /* WAV exactly; FLAC of noise, its worst case; MP3 at its constant
   * bitrate; Opus at the most its variable bitrate reaches. */
  const guint64 per_hour[] = { 115200000, 95500000, 14400000, 11300000 };

  return per_hour[format];
}

const gchar *
symbl_audio_format_container (SymblAudioFormat format)
{
  const gchar *containers[] = { "wav", "flac", "mp3", "opus" };

  return containers[format];
}
