#include "symblencoding.h"

#include <gst/pbutils/missing-plugins.h>

/* Speech needs little: these keep uploads small and encoding cheap. */
#define MP3_BITRATE_KBPS 32
#define OPUS_BITRATE_BPS 24000

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
  {"opusenc", "gstreamer1.0-plugins-base"},
  {"oggmux", "gstreamer1.0-plugins-base"},
  {"wavenc", "gstreamer1.0-plugins-good"},
  {"flacenc", "gstreamer1.0-plugins-good"},
  {"lamemp3enc", "gstreamer1.0-plugins-good"},
};

static const gchar *
package_of (const gchar * factory)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (packages); i++)
    if (g_str_equal (packages[i].factory, factory))
      return packages[i].package;
  return "gstreamer1.0-plugins-good";
}

static GstElement *
make (GstBin * bin, const gchar * factory, GstElement * owner, GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (!element) {
    gst_element_post_message (owner,
        gst_missing_element_message_new (owner, factory));
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "symblsink needs the GStreamer element %s, which is not installed. "
        "On Debian or Ubuntu: sudo apt-get install %s", factory,
        package_of (factory));
    return NULL;
  }
  gst_bin_add (bin, element);
  return element;
}

static gboolean
add_ghost (GstBin * bin, GstElement * element, const gchar * pad_name,
    const gchar * ghost_name)
{
  g_autoptr (GstPad) target = gst_element_get_static_pad (element, pad_name);

  return gst_element_add_pad (GST_ELEMENT (bin),
      gst_ghost_pad_new (ghost_name, target));
}

/* Makes each factory in @factories and links them in a row. */
static gboolean
add_chain (GstBin * bin, const gchar * const *factories, GstElement * owner,
    GstElement ** first, GstElement ** last, GError ** error)
{
  GstElement *previous = NULL;
  guint i;

  for (i = 0; factories[i]; i++) {
    GstElement *element = make (bin, factories[i], owner, error);
    if (!element)
      return FALSE;
    if (previous && !gst_element_link (previous, element)) {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
          "Could not link %s to %s", factories[i - 1], factories[i]);
      return FALSE;
    }
    if (!previous)
      *first = element;
    previous = element;
  }
  *last = previous;
  return TRUE;
}

GstElement *
symbl_encoding_new_audio (SymblAudioFormat format, GstElement * owner,
    GError ** error)
{
  g_autoptr (GstCaps) speech = gst_caps_new_simple ("audio/x-raw",
      "format", G_TYPE_STRING, "S16LE",
      "rate", G_TYPE_INT, SYMBL_SPEECH_RATE, "channels", G_TYPE_INT, 1, NULL);
  const gchar *convert[] = { "audioconvert", "audioresample", "capsfilter",
    NULL
  };
  const gchar *wav[] = { "wavenc", NULL };
  const gchar *flac[] = { "flacenc", NULL };
  const gchar *mp3[] = { "lamemp3enc", NULL };
  const gchar *opus[] = { "opusenc", "oggmux", NULL };
  const gchar *const *encode[] = { wav, flac, mp3, opus };
  GstElement *bin = gst_object_ref_sink (gst_bin_new ("encoder"));
  GstElement *first, *filter, *encoder, *last;

  if (!add_chain (GST_BIN (bin), convert, owner, &first, &filter, error)
      || !add_chain (GST_BIN (bin), encode[format], owner, &encoder, &last,
          error))
    goto failed;

  g_object_set (filter, "caps", speech, NULL);
  if (format == SYMBL_AUDIO_FORMAT_MP3)
    g_object_set (encoder, "target", 1 /* bitrate */ ,
        "bitrate", MP3_BITRATE_KBPS, "cbr", TRUE, NULL);
  else if (format == SYMBL_AUDIO_FORMAT_OPUS) {
    gst_util_set_object_arg (G_OBJECT (encoder), "audio-type", "voice");
    g_object_set (encoder, "bitrate", OPUS_BITRATE_BPS, NULL);
  }

  if (!gst_element_link (filter, encoder)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "Could not link the audio converter to the encoder");
    goto failed;
  }
  add_ghost (GST_BIN (bin), first, "sink", "audio");
  add_ghost (GST_BIN (bin), last, "src", "src");
  return bin;                   /* not floating: the caller owns it */

failed:
  gst_object_unref (bin);
  return NULL;
}
