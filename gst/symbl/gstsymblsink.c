/**
 * SECTION:element-symblsink
 * @title: symblsink
 *
 * Records raw audio, encodes it for speech recognition and uploads it to
 * the Symbl.ai Async API with the user's trackers. When the upload is
 * done an element message `symbl-job` carries `conversation-id` and
 * `job-id`, and then EOS reaches the bus.
 *
 * Audio of any format, rate and channel count is converted to 16 kHz mono
 * and encoded as #GstSymblSink:format says; the encoded stream goes to an
 * inner #GstSymblUploadSink, whose properties symblsink shares.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -e pulsesrc ! symblsink trackers-location=trackers.json
 * gst-launch-1.0 -e filesrc location=meeting.ogg ! decodebin ! symblsink format=flac trackers-location=trackers.json
 * ]|
 */
#include "config.h"
#include "gstsymblsink.h"

#include "gstsymbluploadsink.h"
#include "symblencoding.h"
#include "symblsettings.h"

GST_DEBUG_CATEGORY_STATIC (gst_symbl_sink_debug);
#define GST_CAT_DEFAULT gst_symbl_sink_debug

#define DEFAULT_FORMAT SYMBL_AUDIO_FORMAT_WAV

enum
{
  PROP_0,
  PROP_FORMAT,
  PROP_SETTINGS_FIRST,
};

struct _GstSymblSink
{
  GstBin parent;

  GstElement *upload;           /* the inner symbluploadsink, always there */

  GMutex pads_lock;             /* the fields below */
  GstElement *encoder;          /* NULL until a pad is requested */
  GstPad *audio_pad;
  SymblAudioFormat format;
};

static GstStaticPadTemplate audio_template =
GST_STATIC_PAD_TEMPLATE ("audio_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/x-raw"));

#define gst_symbl_sink_parent_class parent_class
G_DEFINE_TYPE (GstSymblSink, gst_symbl_sink, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (symblsink, "symblsink", GST_RANK_NONE,
    GST_TYPE_SYMBL_SINK);

static void
remove_encoder (GstSymblSink * self)
{
  if (!self->encoder)
    return;
  gst_element_set_state (self->encoder, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), self->encoder);
  self->encoder = NULL;
}

/* Puts the encoders for the current pads and format in front of the upload
 * sink. pads_lock held. */
static gboolean
build_encoder (GstSymblSink * self)
{
  g_autoptr (GstPad) target = NULL;
  GError *error = NULL;
  GstElement *encoder;

  remove_encoder (self);
  encoder = symbl_encoding_new_audio (self->format, GST_ELEMENT (self), &error);
  if (!encoder) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("%s", error->message),
        (NULL));
    g_error_free (error);
    return FALSE;
  }

  gst_bin_add (GST_BIN (self), encoder);
  self->encoder = encoder;
  gst_object_unref (encoder);   /* the bin holds it now */
  if (!gst_element_link_pads (encoder, "src", self->upload, "sink")) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("could not link the encoder to the upload sink"));
    remove_encoder (self);
    return FALSE;
  }

  target = gst_element_get_static_pad (encoder, "audio");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->audio_pad), target);
  gst_element_sync_state_with_parent (encoder);
  return TRUE;
}

static GstPad *
gst_symbl_sink_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstSymblSink *self = GST_SYMBL_SINK (element);
  GstPad *pad;

  g_mutex_lock (&self->pads_lock);
  if (self->audio_pad) {
    g_mutex_unlock (&self->pads_lock);
    GST_ELEMENT_WARNING (self, CORE, PAD,
        ("symblsink records one audio stream; a second audio pad was "
            "refused. Mix the streams first (audiomixer)"), (NULL));
    return NULL;
  }

  pad = gst_ghost_pad_new_no_target_from_template (name ? name : "audio_0",
      templ);
  self->audio_pad = pad;
  if (!build_encoder (self)) {
    self->audio_pad = NULL;
    g_mutex_unlock (&self->pads_lock);
    gst_object_unref (pad);
    return NULL;
  }
  g_mutex_unlock (&self->pads_lock);

  gst_element_add_pad (element, pad);
  return pad;
}

static void
gst_symbl_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstSymblSink *self = GST_SYMBL_SINK (element);

  g_mutex_lock (&self->pads_lock);
  if (pad == self->audio_pad) {
    remove_encoder (self);
    self->audio_pad = NULL;
  }
  g_mutex_unlock (&self->pads_lock);
  gst_element_remove_pad (element, pad);
}

/* Results come from the inner upload sink; applications see them as
 * symblsink's own, from the element they named. */
static void
gst_symbl_sink_handle_message (GstBin * bin, GstMessage * message)
{
  GstSymblSink *self = GST_SYMBL_SINK (bin);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
      && GST_MESSAGE_SRC (message) == GST_OBJECT (self->upload)
      && g_str_has_prefix (gst_structure_get_name
          (gst_message_get_structure (message)), "symbl-")) {
    GstMessage *own = gst_message_new_element (GST_OBJECT (self),
        gst_structure_copy (gst_message_get_structure (message)));
    gst_message_set_seqnum (own, gst_message_get_seqnum (message));
    gst_message_unref (message);
    message = own;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, message);
}

static void
set_format (GstSymblSink * self, SymblAudioFormat format)
{
  GstState state;

  g_mutex_lock (&self->pads_lock);
  self->format = format;
  /* A pad requested before the format was set gets the right encoder,
   * as long as nothing has started flowing. */
  state = GST_STATE (self);
  if (self->audio_pad && state <= GST_STATE_READY)
    build_encoder (self);
  g_mutex_unlock (&self->pads_lock);
}

static void
gst_symbl_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  if (prop_id >= PROP_SETTINGS_FIRST) {
    g_object_set_property (G_OBJECT (self->upload), pspec->name, value);
    return;
  }
  switch (prop_id) {
    case PROP_FORMAT:
      set_format (self, g_value_get_enum (value));
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
  switch (prop_id) {
    case PROP_FORMAT:
      g_mutex_lock (&self->pads_lock);
      g_value_set_enum (value, self->format);
      g_mutex_unlock (&self->pads_lock);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_symbl_sink_dispose (GObject * object)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  /* GstBin disposes the children before GstElement releases the request
   * pads: by then the encoder is gone. */
  g_mutex_lock (&self->pads_lock);
  self->encoder = NULL;
  g_mutex_unlock (&self->pads_lock);
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_symbl_sink_finalize (GObject * object)
{
  GstSymblSink *self = GST_SYMBL_SINK (object);

  g_mutex_clear (&self->pads_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
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

  g_object_class_install_property (gobject_class, PROP_FORMAT,
      g_param_spec_enum ("format", "Format",
          "How the recording is encoded for upload", SYMBL_TYPE_AUDIO_FORMAT,
          DEFAULT_FORMAT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  symbl_settings_install_properties (gobject_class, PROP_SETTINGS_FIRST);

  gst_element_class_add_static_pad_template (element_class, &audio_template);
  gst_element_class_set_static_metadata (element_class,
      "Symbl sink", "Sink/Network",
      "Records audio, uploads it to the Symbl.ai Async API with conversation "
      "trackers and posts the conversation and job ids",
      "gst-symbl developers");

  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_symbl_sink_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_symbl_sink_release_pad);
  bin_class->handle_message = GST_DEBUG_FUNCPTR (gst_symbl_sink_handle_message);

  gst_type_mark_as_plugin_api (SYMBL_TYPE_AUDIO_FORMAT, 0);
  GST_DEBUG_CATEGORY_INIT (gst_symbl_sink_debug, "symblsink", 0, "Symbl sink");
}

static void
gst_symbl_sink_init (GstSymblSink * self)
{
  g_mutex_init (&self->pads_lock);
  self->format = DEFAULT_FORMAT;
  self->upload = gst_element_factory_make ("symbluploadsink", "upload");
  gst_bin_add (GST_BIN (self), self->upload);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}
