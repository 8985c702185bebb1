/**
 * SECTION:element-symbluploadsink
 * @title: symbluploadsink
 *
 * Uploads an encoded recording (WAV, MP3, AAC, FLAC, Ogg, M4A or MP4) to the
 * Symbl.ai Async API and posts the conversation and job ids on the bus.
 *
 * The stream is written to a file in #GstSymblUploadSink:spool-dir as it
 * arrives. At end of stream the file is sent as it is, byte for byte, to
 * `POST {api-url}/v1/process/audio` (or `/video` for MP4), streamed from
 * disk. Then an element message `symbl-job` carries `conversation-id` and
 * `job-id`, and only after it does EOS reach the bus. When the upload
 * fails, the error names the file that keeps the recording.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e filesrc location=meeting.mp3 ! mpegaudioparse ! symbluploadsink trackers-location=trackers.json
 * ]|
 */
#include "config.h"
#include "gstsymbluploadsink.h"

#include <glib/gstdio.h>

#include "symblmedia.h"
#include "symblmessages.h"
#include "symbloptions.h"
#include "symblsettings.h"
#include "symblspool.h"
#include "symblwavrepair.h"
#include "symblupload.h"
#include "symbluploadqueue.h"
#include "symbltrackers.h"

#define PROGRESS_INTERVAL_US (500 * G_TIME_SPAN_MILLISECOND)

GST_DEBUG_CATEGORY_STATIC (gst_symbl_upload_sink_debug);
#define GST_CAT_DEFAULT gst_symbl_upload_sink_debug

enum
{
  PROP_0,
  PROP_SETTINGS_FIRST,
};

struct _GstSymblUploadSink
{
  GstBaseSink parent;

  SymblSettings settings;       /* object lock */

  SymblUpload *upload;          /* READY and up */

  /* Streaming thread only. */
  SymblSpool *spool;
  SymblOutboxEntry *entry;      /* the spool's manifest; holds its lock */
  gboolean write_failed;        /* the spool is kept; nothing more recorded */
  const SymblMediaFormat *format;       /* NULL until caps or typefinding */
  GstClockTime first_time;
  GstClockTime end_time;
  GstClockTime duration;        /* object lock: as symblsink counted it */
  gint last_percent;            /* of the upload, last reported */
  gint64 last_progress_time;
  const SymblJobIds *job;       /* the job being followed */

  gint input_rate;              /* atomic: the audio's rate before encoding */
  gint channels;                /* atomic: 2 for a call on two channels */
  gchar *channel_metadata;      /* object lock: symblsink's speakers */

  GMutex cancel_lock;
  GCancellable *cancellable;    /* cancel_lock; replaced by unlock_stop */
  SymblUploadQueue *segments;   /* cancel_lock: symblsink's segments */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (SYMBL_MEDIA_CAPS));

#define gst_symbl_upload_sink_parent_class parent_class
G_DEFINE_TYPE (GstSymblUploadSink, gst_symbl_upload_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (symbluploadsink, "symbluploadsink",
    GST_RANK_NONE, GST_TYPE_SYMBL_UPLOAD_SINK);

/* Posts an error with structured details (http-status-code, spool-location)
 * that applications read with gst_message_parse_error_details(). Takes
 * @text, @debug and @details. */
#define post_error(self, domain, code, details, text, debug) \
  gst_element_message_full_with_details (GST_ELEMENT (self), \
      GST_MESSAGE_ERROR, domain, code, text, debug, __FILE__, GST_FUNCTION, \
      __LINE__, details)
#define post_warning(self, domain, code, details, text, debug) \
  gst_element_message_full_with_details (GST_ELEMENT (self), \
      GST_MESSAGE_WARNING, domain, code, text, debug, __FILE__, \
      GST_FUNCTION, __LINE__, details)

static GstStructure *
spool_details (const gchar * path)
{
  return gst_structure_new ("details", "spool-location", G_TYPE_STRING, path,
      NULL);
}

static GstResourceError
settings_error_code (const GError * error)
{
  if (g_error_matches (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_NO_TOKEN)
      || g_error_matches (error, SYMBL_UPLOAD_ERROR,
          SYMBL_UPLOAD_ERROR_CREDENTIALS))
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  if (g_error_matches (error, SYMBL_TRACKERS_ERROR, SYMBL_TRACKERS_ERROR_READ))
    return GST_RESOURCE_ERROR_OPEN_READ;
  if (g_error_matches (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SPOOL_DIR))
    return GST_RESOURCE_ERROR_OPEN_WRITE;
  return GST_RESOURCE_ERROR_SETTINGS;
}

/* NULL -> READY: every setting is checked before anything is recorded. */
static gboolean
prepare_upload (GstSymblUploadSink * self)
{
  SymblSettings settings = { 0 };
  g_autoptr (GPtrArray) advice = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  guint i;

  GST_OBJECT_LOCK (self);
  symbl_settings_copy (&self->settings, &settings);
  GST_OBJECT_UNLOCK (self);

  self->upload = symbl_upload_new (&settings, advice, &error);
  symbl_settings_clear (&settings);
  /* Advice does not stop anything: the trackers are still sent. */
  for (i = 0; i < advice->len; i++)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s",
            (gchar *) g_ptr_array_index (advice, i)), (NULL));
  if (!self->upload) {
    post_error (self, GST_RESOURCE_ERROR, settings_error_code (error), NULL,
        g_strdup (error->message), NULL);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* A new stream: nothing known of it yet. */
static void
reset_stream (GstSymblUploadSink * self)
{
  self->format = NULL;
  self->write_failed = FALSE;
  self->last_percent = -1;
  self->last_progress_time = 0;
  self->first_time = GST_CLOCK_TIME_NONE;
  self->end_time = GST_CLOCK_TIME_NONE;
  GST_OBJECT_LOCK (self);
  self->duration = GST_CLOCK_TIME_NONE;
  GST_OBJECT_UNLOCK (self);
}

static void keep_unfinished (GstSymblUploadSink * self);
static gchar *stream_info (GstSymblUploadSink * self, SymblStreamInfo * info);
static GstClockTime recorded_duration (GstSymblUploadSink * self);

/* The manifest beside the spool: where the recording goes and how far it
 * got, from what is known of it now. Saved in @state. */
static gboolean
save_entry (GstSymblUploadSink * self, SymblSpool * spool,
    SymblOutboxState state)
{
  SymblOutboxEntry *entry = self->entry;
  SymblStreamInfo info;
  g_autofree gchar *channel_metadata = stream_info (self, &info);
  g_autoptr (GError) error = NULL;
  GstClockTime duration = recorded_duration (self);

  if (!self->format)
    return FALSE;
  g_free (entry->recording);
  entry->recording = g_strdup (symbl_spool_get_path (spool));
  symbl_upload_address (self->upload, entry, self->format, &info, NULL);
  entry->size = symbl_spool_get_size (spool);
  entry->duration_s = GST_CLOCK_TIME_IS_VALID (duration) ?
      (gdouble) duration / GST_SECOND : -1;
  entry->state = state;
  if (symbl_outbox_entry_save (entry, &error))
    return TRUE;
  GST_WARNING_OBJECT (self, "no manifest beside %s: %s",
      symbl_spool_get_path (spool), error->message);
  return FALSE;
}

/* Lets go of the manifest; removes it with the recording when @remove. */
static void
drop_entry (GstSymblUploadSink * self, gboolean remove)
{
  g_autofree gchar *manifest = NULL;

  if (!self->entry)
    return;
  if (remove) {
    manifest = symbl_outbox_manifest_path (self->entry->recording);
    g_unlink (manifest);
  }
  g_clear_pointer (&self->entry, symbl_outbox_entry_free);
}

/* A stream ends at PAUSED to READY, not at READY to NULL as basesink's
 * stop would have it: a pipeline started again from READY records anew. */
static GstStateChangeReturn
gst_symbl_upload_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !prepare_upload (self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    reset_stream (self);

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    keep_unfinished (self);
  if (transition == GST_STATE_CHANGE_READY_TO_NULL) {
    gst_symbl_upload_sink_end_segments (self, NULL);
    g_clear_pointer (&self->upload, symbl_upload_free);
  }
  return ret;
}

/* The recording never reached an upload: keep it if it holds anything. */
static void
keep_unfinished (GstSymblUploadSink * self)
{
  SymblSpool *spool = g_steal_pointer (&self->spool);
  gboolean keep;

  if (!spool)
    return;

  symbl_spool_close (spool, NULL);
  keep = symbl_spool_get_size (spool) > 0;
  if (keep) {
    if (self->entry && save_entry (self, spool, SYMBL_OUTBOX_READY))
      GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
          ("Stopped before the end of the stream: the recording was not "
              "uploaded and is kept in %s, with what its upload needs "
              "beside it. Upload it later with: symbl-outbox send "
              "--spool-dir %s", symbl_spool_get_path (spool),
              symbl_upload_get_spool_dir (self->upload)), (NULL),
          ("spool-location", G_TYPE_STRING, symbl_spool_get_path (spool),
              NULL));
    else
      GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
          ("Stopped before the end of the stream: the recording was not "
              "uploaded and is kept in %s. Upload it later with: "
              "gst-launch-1.0 filesrc location=%s ! symbluploadsink",
              symbl_spool_get_path (spool), symbl_spool_get_path (spool)),
          (NULL), ("spool-location", G_TYPE_STRING,
              symbl_spool_get_path (spool), NULL));
  }
  drop_entry (self, !keep);
  symbl_spool_free (spool, !keep);
}

static gboolean
gst_symbl_upload_sink_set_caps (GstBaseSink * sink, GstCaps * caps)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  const SymblMediaFormat *format;
  GError *error = NULL;
  gint rate;

  format = symbl_media_format_from_caps (caps, &error);
  if (!format) {
    post_error (self, error->domain, error->code, NULL,
        g_strdup (error->message), NULL);
    g_error_free (error);
    return FALSE;
  }
  if (self->spool && self->format && format != self->format) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("The format changed from %s to %s in the middle of the recording",
            self->format->name, format->name), (NULL));
    return FALSE;
  }
  GST_DEBUG_OBJECT (self, "recording %s", format->name);
  self->format = format;
  /* Encoded caps often carry the rate; symblsink tells its own. */
  if (gst_structure_get_int (gst_caps_get_structure (caps, 0), "rate", &rate))
    g_atomic_int_set (&self->input_rate, rate);
  return TRUE;
}

/* Files are named after the element the user named: this one, or the
 * sink bin (symblsink) that wraps it. */
static gchar *
spool_label (GstSymblUploadSink * self)
{
  g_autoptr (GstObject) parent = gst_object_get_parent (GST_OBJECT (self));

  if (parent && GST_OBJECT_FLAG_IS_SET (parent, GST_ELEMENT_FLAG_SINK))
    return gst_object_get_name (parent);
  return gst_object_get_name (GST_OBJECT (self));
}

static gboolean
open_spool (GstSymblUploadSink * self)
{
  g_autofree gchar *label = spool_label (self);
  GError *error = NULL;

  self->spool = symbl_spool_create (symbl_upload_get_spool_dir (self->upload),
      label, self->format ? self->format->extension : NULL, &error);
  if (!self->spool) {
    post_error (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        NULL, g_strdup_printf ("%s (spool-dir)", error->message), NULL);
    g_error_free (error);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "recording to %s", symbl_spool_get_path (self->spool));
  self->entry = symbl_outbox_entry_new (symbl_spool_get_path (self->spool),
      &error);
  if (!self->entry) {
    post_error (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        NULL, g_strdup_printf ("%s (spool-dir)", error->message), NULL);
    g_error_free (error);
    symbl_spool_free (g_steal_pointer (&self->spool), TRUE);
    return FALSE;
  }
  self->entry->meeting_id = g_uuid_string_random ();
  save_entry (self, self->spool, SYMBL_OUTBOX_RECORDING);
  return TRUE;
}

static void
post_write_error (GstSymblUploadSink * self, GError * error)
{
  gint code = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ?
      GST_RESOURCE_ERROR_NO_SPACE_LEFT : GST_RESOURCE_ERROR_WRITE;
  const gchar *path = symbl_spool_get_path (self->spool);

  post_error (self, GST_RESOURCE_ERROR, code, spool_details (path),
      g_strdup_printf ("%s. What was recorded so far is kept in %s.",
          error->message, path), NULL);
  /* Sources still send EOS after the error: a truncated recording must
   * not be uploaded then, nor a new one begun. */
  self->write_failed = TRUE;
  drop_entry (self, FALSE);
  symbl_spool_free (g_steal_pointer (&self->spool), FALSE);
}

/* @buffer's running time in a time segment, where a new segment follows
 * on from the last (concat of files: each starts again at 0, with a base
 * where the one before ended); its timestamp in any other. */
static GstClockTime
running_time (GstSymblUploadSink * self, GstBuffer * buffer)
{
  const GstSegment *segment = &GST_BASE_SINK (self)->segment;

  if (segment->format != GST_FORMAT_TIME)
    return GST_BUFFER_PTS (buffer);
  return gst_segment_to_running_time (segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buffer));
}

/* Notes @buffer's times; returns how far it moves the recording's end: its
 * duration, or the time since the previous buffer's end; 0 untimed. */
static GstClockTime
advance_end_time (GstSymblUploadSink * self, GstBuffer * buffer)
{
  GstClockTime pts = running_time (self, buffer);
  GstClockTime previous_end = self->end_time;
  GstClockTime end;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return 0;
  end = pts;
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    end += GST_BUFFER_DURATION (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (self->first_time) || pts < self->first_time)
    self->first_time = pts;
  if (!GST_CLOCK_TIME_IS_VALID (previous_end))
    previous_end = pts;
  else if (end <= previous_end)
    return 0;
  self->end_time = end;
  return end - previous_end;
}

static GstFlowReturn
gst_symbl_upload_sink_render (GstBaseSink * sink, GstBuffer * buffer)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  GError *error = NULL;
  GstMapInfo map;
  gboolean written;

  if (self->write_failed || (!self->spool && !open_spool (self)))
    return GST_FLOW_ERROR;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("could not map a buffer"));
    return GST_FLOW_ERROR;
  }
  written = symbl_spool_write (self->spool, map.data, map.size,
      advance_end_time (self, buffer), &error);
  gst_buffer_unmap (buffer, &map);
  if (!written) {
    post_write_error (self, error);
    g_error_free (error);
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

/* Muxers that rewrite their header at EOS (wavenc, flacenc, mp4mux) send a
 * byte-format segment to move the write position, as to filesink. */
static gboolean
handle_segment (GstSymblUploadSink * self, GstEvent * event)
{
  const GstSegment *segment;
  GError *error = NULL;

  gst_event_parse_segment (event, &segment);
  if (segment->format != GST_FORMAT_BYTES || self->write_failed)
    return TRUE;
  if (!self->spool && segment->start == 0)
    return TRUE;
  if (!self->spool && !open_spool (self))
    return FALSE;
  GST_DEBUG_OBJECT (self, "seeking to byte %" G_GUINT64_FORMAT, segment->start);
  if (!symbl_spool_seek (self->spool, segment->start, &error)) {
    post_write_error (self, error);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* Muxers rewrite their headers only where downstream says it can seek. */
static gboolean
gst_symbl_upload_sink_query (GstBaseSink * sink, GstQuery * query)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  GstFormat format;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_SEEKING:
      gst_query_parse_seeking (query, &format, NULL, NULL, NULL);
      if (format != GST_FORMAT_BYTES)
        break;
      gst_query_set_seeking (query, GST_FORMAT_BYTES, TRUE, 0, -1);
      return TRUE;
    case GST_QUERY_POSITION:
      gst_query_parse_position (query, &format, NULL);
      if (format != GST_FORMAT_BYTES || !self->spool)
        break;
      gst_query_set_position (query, GST_FORMAT_BYTES,
          symbl_spool_get_position (self->spool));
      return TRUE;
    default:
      break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->query (sink, query);
}

static GCancellable *
current_cancellable (GstSymblUploadSink * self)
{
  GCancellable *cancellable;

  g_mutex_lock (&self->cancel_lock);
  cancellable = g_object_ref (self->cancellable);
  g_mutex_unlock (&self->cancel_lock);
  return cancellable;
}

static void
post (GstSymblUploadSink * self, GstMessage * message)
{
  gst_element_post_message (GST_ELEMENT (self), message);
}

static GstResourceError
upload_error_code (const GError * error, guint status)
{
  if (status == 401 || status == 403)
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  if (status == 404)
    return GST_RESOURCE_ERROR_NOT_FOUND;
  if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_MALFORMED_REPLY))
    return GST_RESOURCE_ERROR_FAILED;
  if (status == 0 && error->domain != G_FILE_ERROR)
    return GST_RESOURCE_ERROR_OPEN_WRITE;
  return GST_RESOURCE_ERROR_WRITE;
}

/* How to send kept segments, in order, to the meeting's conversation. */
static gchar *
append_advice (const gchar * conversation_id)
{
  if (conversation_id)
    return g_strdup_printf ("Append each, in order, with: gst-launch-1.0 "
        "filesrc location=FILE ! symbluploadsink conversation-id=%s",
        conversation_id);
  return g_strdup ("Upload the first with: gst-launch-1.0 -m filesrc "
      "location=FILE ! symbluploadsink, then append each of the others, in "
      "order, with conversation-id set to the conversation-id it printed");
}

/* A failed upload: of the whole recording (@segment NULL), or of one
 * segment of it, which was to be appended to @conversation_id. */
typedef struct
{
  guint index;
  const gchar *conversation_id;
} FailedSegment;

static void
post_upload_error (GstSymblUploadSink * self,
    const SymblMediaFormat * format, const gchar * path,
    const FailedSegment * segment, const GError * error,
    const SymblResponse * response)
{
  g_autofree gchar *request = symbl_upload_describe (self->upload, format,
      segment ? segment->conversation_id : NULL);
  g_autofree gchar *what = NULL;
  g_autofree gchar *kept = NULL;
  g_autofree gchar *advice = NULL;
  GstStructure *details = spool_details (path);
  gchar *text;

  if (segment) {
    what = g_strdup_printf ("segment %u of the recording", segment->index);
    advice = append_advice (segment->conversation_id ?
        segment->conversation_id :
        symbl_upload_get_conversation_id (self->upload));
    kept = g_strdup_printf ("It is kept in %s, and the segments after it "
        "beside it (their names end in -segment-NNN). %s", path, advice);
  } else {
    what = g_strdup ("the recording");
    kept = g_strdup_printf ("The recording is kept in %s.", path);
  }
  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  if (response->api_message)
    gst_structure_set (details, "api-message", G_TYPE_STRING,
        response->api_message, NULL);

  if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_HTTP_STATUS))
    text = g_strdup_printf ("Symbl refused %s: %s. %s", what,
        error->message, kept);
  else if (g_error_matches (error, SYMBL_CLIENT_ERROR,
          SYMBL_CLIENT_ERROR_MALFORMED_REPLY))
    text = g_strdup_printf ("Symbl took %s, but %s. %s", what,
        error->message, kept);
  else
    text = g_strdup_printf ("Could not upload %s (%s): %s. %s", what,
        request, error->message, kept);

  post_error (self, GST_RESOURCE_ERROR, upload_error_code (error,
          response->status), details, text, g_strdup (request));
}

/* One warning per retry, so that a person watching sees why it waits. */
static void
on_retry (guint attempt, guint max_attempts, const GError * error,
    const SymblResponse * response, gdouble delay, gpointer user_data)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (user_data);
  g_autofree gchar *of = max_attempts ?
      g_strdup_printf (" of %u", max_attempts) : g_strdup ("");
  GstStructure *details = gst_structure_new ("details",
      "attempt", G_TYPE_UINT, attempt,
      "retry-delay", G_TYPE_DOUBLE, delay,
      "reason", G_TYPE_STRING, error->message, NULL);

  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  post_warning (self, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE, details,
      g_strdup_printf ("Upload attempt %u%s failed (%s); retrying in %.1f s",
          attempt, of, error->message, delay), NULL);
}

/* A WAV cut short by a crash (a kept recording fed back through filesrc)
 * still has wavenc's placeholder sizes: Symbl would hear what they say,
 * not what the file holds. */
static gboolean
repair_cut_short_wav (GstSymblUploadSink * self, GError ** error)
{
  const gchar *path = symbl_spool_get_path (self->spool);
  gboolean repaired;

  if (self->format != symbl_media_format_from_name ("wav"))
    return TRUE;
  if (!symbl_wav_repair (path, &repaired, error))
    return FALSE;
  if (repaired)
    GST_ELEMENT_INFO (self, STREAM, FORMAT, ("The WAV header did not match "
            "the recording's length, as after a crash: its sizes were "
            "repaired from the file's size before the upload"), (NULL));
  return TRUE;
}

/* Closes the spool and works out what it holds. FALSE: nothing to upload
 * (an error is posted). */
static gboolean
finish_recording (GstSymblUploadSink * self)
{
  const gchar *path;
  GError *error = NULL;

  if (!self->spool) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("The stream ended before any data arrived: nothing was recorded "
            "and nothing was uploaded"), (NULL));
    return FALSE;
  }

  if (!symbl_spool_close (self->spool, &error))
    goto failed;
  path = symbl_spool_get_path (self->spool);

  if (!self->format) {
    self->format = symbl_media_format_from_file (path, &error);
    if (!self->format)
      goto failed;
    if (!g_str_has_suffix (path, self->format->extension)
        && !symbl_spool_set_extension (self->spool, self->format->extension,
            &error))
      goto failed;
  }

  if (!repair_cut_short_wav (self, &error))
    goto failed;

  if (symbl_media_is_empty (self->format, symbl_spool_get_size (self->spool))) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED,
        ("The stream ended without any media (%" G_GUINT64_FORMAT
            " bytes of %s container): nothing was uploaded",
            symbl_spool_get_size (self->spool), self->format->name), (NULL));
    drop_entry (self, TRUE);
    symbl_spool_free (g_steal_pointer (&self->spool), TRUE);
    return FALSE;
  }
  save_entry (self, self->spool, SYMBL_OUTBOX_READY);
  return TRUE;

failed:
  path = symbl_spool_get_path (self->spool);
  post_error (self, error->domain == GST_STREAM_ERROR ? GST_STREAM_ERROR :
      GST_RESOURCE_ERROR, error->domain == GST_STREAM_ERROR ? error->code :
      GST_RESOURCE_ERROR_WRITE, spool_details (path),
      g_strdup_printf ("%s. The recording is kept in %s.", error->message,
          path), NULL);
  g_error_free (error);
  drop_entry (self, FALSE);
  symbl_spool_free (g_steal_pointer (&self->spool), FALSE);
  return FALSE;
}

/* Progress that gst-launch-1.0 prints: at most twice a second, and 100%. */
static void
on_progress (guint64 sent, guint64 total, gpointer user_data)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (user_data);
  gint percent = total ? (gint) (sent * 100 / total) : 100;
  gint64 now = g_get_monotonic_time ();

  if (percent == self->last_percent || (percent < 100
          && now - self->last_progress_time < PROGRESS_INTERVAL_US))
    return;
  self->last_percent = percent;
  self->last_progress_time = now;
  post (self, symbl_message_progress (GST_OBJECT (self),
          GST_PROGRESS_TYPE_CONTINUE, "upload", percent, "Uploading: %d%%",
          percent));
}

static void
on_job_status (const gchar * status, gpointer user_data)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (user_data);

  post (self, symbl_message_job_status (GST_OBJECT (self), self->job, status));
  post (self, symbl_message_progress (GST_OBJECT (self),
          GST_PROGRESS_TYPE_CONTINUE, "job", -1, "Job %s: %s",
          self->job->job_id, status));
}

/* What symblsink counted, or else the span of the timestamps. */
static GstClockTime
recorded_duration (GstSymblUploadSink * self)
{
  GstClockTime counted;

  GST_OBJECT_LOCK (self);
  counted = self->duration;
  GST_OBJECT_UNLOCK (self);
  if (GST_CLOCK_TIME_IS_VALID (counted))
    return counted;
  if (!GST_CLOCK_TIME_IS_VALID (self->first_time)
      || !GST_CLOCK_TIME_IS_VALID (self->end_time))
    return GST_CLOCK_TIME_NONE;
  return self->end_time - self->first_time;
}

static GstProgressType
progress_end (gboolean ok, const GError * error)
{
  if (ok)
    return GST_PROGRESS_TYPE_COMPLETE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return GST_PROGRESS_TYPE_CANCELED;
  return GST_PROGRESS_TYPE_ERROR;
}

static void
post_job_error (GstSymblUploadSink * self, const SymblJobIds * ids,
    const GError * error, const SymblResponse * response)
{
  GstStructure *details = gst_structure_new ("details",
      "conversation-id", G_TYPE_STRING, ids->conversation_id,
      "job-id", G_TYPE_STRING, ids->job_id, NULL);

  if (response->status)
    gst_structure_set (details, "http-status-code", G_TYPE_UINT,
        response->status, NULL);
  post_error (self, GST_RESOURCE_ERROR, response->status == 401 ||
      response->status == 403 ? GST_RESOURCE_ERROR_NOT_AUTHORIZED :
      GST_RESOURCE_ERROR_FAILED, details, g_strdup_printf ("The recording "
          "was uploaded (conversation %s), but following its job failed: %s",
          ids->conversation_id, error->message), NULL);
}

/* wait-for-job: the job's statuses, then its trackers, before EOS. */
static gboolean
follow_job (GstSymblUploadSink * self, const SymblJobIds * ids,
    GCancellable * cancellable)
{
  SymblUploadCallbacks callbacks = { on_retry, NULL, on_job_status, self };
  SymblResponse response = { 0, NULL, -1 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *trackers = NULL;
  gboolean ok;

  self->job = ids;
  post (self, symbl_message_progress (GST_OBJECT (self),
          GST_PROGRESS_TYPE_START, "job", -1, "Waiting for job %s",
          ids->job_id));
  ok = symbl_upload_wait_for_job (self->upload, ids, &callbacks, &trackers,
      &response, cancellable, &error);
  if (ok)
    post (self, symbl_message_trackers (GST_OBJECT (self), ids, trackers));
  post (self, symbl_message_progress (GST_OBJECT (self), progress_end (ok,
              error), "job", -1, "Job %s %s", ids->job_id, ok ? "completed" :
          "not completed"));
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    post_job_error (self, ids, error, &response);
  symbl_response_clear (&response);
  self->job = NULL;
  return ok;
}

/* What symblsink told of the recording; returns the metadata to free. */
static gchar *
stream_info (GstSymblUploadSink * self, SymblStreamInfo * info)
{
  gchar *channel_metadata;

  GST_OBJECT_LOCK (self);
  channel_metadata = g_strdup (self->channel_metadata);
  GST_OBJECT_UNLOCK (self);
  info->input_rate = g_atomic_int_get (&self->input_rate);
  info->channels = g_atomic_int_get (&self->channels);
  info->channel_metadata = channel_metadata;
  return channel_metadata;
}

/* Runs in the streaming thread, inside EOS: EOS goes on only once the
 * job message (or the error) is posted. */
static gboolean
upload_recording (GstSymblUploadSink * self)
{
  SymblUploadCallbacks callbacks = { on_retry, on_progress, NULL, self };
  g_autoptr (GCancellable) cancellable = NULL;
  g_autoptr (GError) error = NULL;
  SymblResponse response = { 0, NULL, -1 };
  SymblJobIds ids = { NULL, NULL };
  SymblSpool *spool;
  const gchar *path;
  guint64 size;
  gboolean keep, ok;

  if (!finish_recording (self))
    return FALSE;

  spool = g_steal_pointer (&self->spool);
  path = symbl_spool_get_path (spool);
  size = symbl_spool_get_size (spool);
  cancellable = current_cancellable (self);

  GST_INFO_OBJECT (self, "uploading %s (%" G_GUINT64_FORMAT " bytes)", path,
      size);
  post (self, symbl_message_progress (GST_OBJECT (self),
          GST_PROGRESS_TYPE_START, "upload", 0, "Uploading %.1f MB to Symbl",
          size / 1e6));
  ok = symbl_upload_send (self->upload, self->entry, &callbacks, &ids,
      &response, cancellable, &error);
  post (self, symbl_message_progress (GST_OBJECT (self), progress_end (ok,
              error), "upload", ok ? 100 : -1, "Upload %s", ok ? "complete" :
          "failed"));

  if (ok) {
    keep = symbl_upload_get_keep_spool (self->upload);
    post (self, symbl_message_job (GST_OBJECT (self), &ids, self->format,
            size, recorded_duration (self), keep ? path : NULL));
  } else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    keep = TRUE;
    GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
        ("The upload was interrupted; the recording is kept in %s", path),
        (NULL), ("spool-location", G_TYPE_STRING, path, NULL));
  } else {
    keep = TRUE;
    post_upload_error (self, self->format, path, NULL, error, &response);
  }
  /* Uploaded: Symbl has it, whatever becomes of the job. */
  drop_entry (self, !keep);
  symbl_spool_free (spool, !keep);

  if (ok && symbl_upload_get_wait_for_job (self->upload))
    ok = follow_job (self, &ids, cancellable);

  symbl_job_ids_clear (&ids);
  symbl_response_clear (&response);
  return ok;
}

/**
 * gst_symbl_upload_sink_set_duration: (skip)
 *
 * For symblsink, before EOS: how long the recording is, from the samples
 * it encoded, which timestamps may not tell (gaps, new segments).
 */
void
gst_symbl_upload_sink_set_duration (GstSymblUploadSink * self,
    GstClockTime duration)
{
  GST_OBJECT_LOCK (self);
  self->duration = duration;
  GST_OBJECT_UNLOCK (self);
}

/**
 * gst_symbl_upload_sink_set_input_rate: (skip)
 *
 * For symblsink: the rate of the audio before it was encoded, for mode
 * auto. Any thread.
 */
void
gst_symbl_upload_sink_set_input_rate (GstSymblUploadSink * self, gint rate)
{
  g_atomic_int_set (&self->input_rate, rate);
}

/**
 * gst_symbl_upload_sink_set_channels: (skip)
 *
 * For symblsink: a call recorded on two channels, and who speaks on each
 * (JSON for channelMetadata, or NULL). Any thread.
 */
void
gst_symbl_upload_sink_set_channels (GstSymblUploadSink * self, gint channels,
    const gchar * channel_metadata)
{
  g_atomic_int_set (&self->channels, channels);
  GST_OBJECT_LOCK (self);
  g_free (self->channel_metadata);
  self->channel_metadata = g_strdup (channel_metadata);
  GST_OBJECT_UNLOCK (self);
}

static void
on_segment_uploaded (guint index, const SymblJobIds * ids,
    const SymblMediaFormat * format, guint64 size, GstClockTime duration,
    const gchar * kept_path, gpointer user_data)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (user_data);
  GstMessage *job = symbl_message_job (GST_OBJECT (self), ids, format, size,
      duration, kept_path);

  gst_structure_set (gst_message_writable_structure (job), "segment",
      G_TYPE_UINT, index, NULL);
  post (self, job);
}

static void
on_segment_failed (guint index, const gchar * path,
    const SymblMediaFormat * format, const gchar * conversation_id,
    const GError * error, const SymblResponse * response, gpointer user_data)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (user_data);
  FailedSegment segment = { index, conversation_id };

  GST_WARNING_OBJECT (self, "segment %u failed: %s", index, error->message);
  post_upload_error (self, format, path, &segment, error, response);
}

/**
 * gst_symbl_upload_sink_queue_segment: (skip)
 *
 * For symblsink: a finished segment of the recording, to upload in the
 * background, after the segments before it. Any thread, READY and up.
 */
void
gst_symbl_upload_sink_queue_segment (GstSymblUploadSink * self,
    const gchar * path, const gchar * format, GstClockTime duration)
{
  SymblUploadQueueCallbacks callbacks = { on_segment_uploaded,
    on_segment_failed, on_retry, self
  };
  SymblStreamInfo info;
  g_autofree gchar *channel_metadata = stream_info (self, &info);

  g_mutex_lock (&self->cancel_lock);
  if (!self->segments)
    self->segments = symbl_upload_queue_new (self->upload, &callbacks);
  symbl_upload_queue_push (self->segments, path,
      symbl_media_format_from_name (format), duration, &info);
  g_mutex_unlock (&self->cancel_lock);
}

/* The end of a recording made of segments: every one uploaded, in order,
 * then (with wait-for-job) the last job followed. */
static gboolean
finish_segments (GstSymblUploadSink * self)
{
  g_autoptr (GCancellable) cancellable = current_cancellable (self);
  const SymblJobIds *last;

  if (!symbl_upload_queue_drain (self->segments, cancellable))
    return FALSE;
  last = symbl_upload_queue_get_last_ids (self->segments);
  if (last && symbl_upload_get_wait_for_job (self->upload))
    return follow_job (self, last, cancellable);
  return TRUE;
}

/**
 * gst_symbl_upload_sink_end_segments: (skip)
 * @unfinished: (nullable): the segment the stream was cut short in
 *
 * For symblsink, once stopped (in READY): ends the recording made of
 * segments. What was not uploaded stays, and the warning says where and
 * how to append it, in order, to the meeting's conversation.
 */
void
gst_symbl_upload_sink_end_segments (GstSymblUploadSink * self,
    const gchar * unfinished)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *list = NULL;
  g_autofree gchar *conversation_id = NULL;
  g_autofree gchar *advice = NULL;
  const SymblJobIds *last;
  gchar **paths, **path;

  g_mutex_lock (&self->cancel_lock);
  if (self->segments) {
    last = symbl_upload_queue_get_last_ids (self->segments);
    conversation_id = g_strdup (last ? last->conversation_id :
        symbl_upload_get_conversation_id (self->upload));
    paths = symbl_upload_queue_free (g_steal_pointer (&self->segments));
    for (path = paths; *path; path++)
      g_ptr_array_add (kept, *path);
    g_free (paths);
  }
  g_mutex_unlock (&self->cancel_lock);
  if (unfinished)
    g_ptr_array_add (kept, g_strdup (unfinished));
  if (kept->len == 0)
    return;
  g_ptr_array_add (kept, NULL);
  list = g_strjoinv (" ", (gchar **) kept->pdata);
  advice = append_advice (conversation_id);
  GST_ELEMENT_WARNING_WITH_DETAILS (self, RESOURCE, WRITE,
      ("Stopped before every segment was uploaded. These are kept, in "
          "order: %s. %s", list, advice), (NULL), ("spool-location",
          G_TYPE_STRING, kept->pdata[0], NULL));
}

static gboolean
gst_symbl_upload_sink_event (GstBaseSink * sink, GstEvent * event)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);
  gboolean ok = TRUE;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:
      ok = handle_segment (self, event);
      break;
    case GST_EVENT_EOS:
      if (self->write_failed)
        break;
      ok = self->segments ? finish_segments (self) : upload_recording (self);
      break;
    default:
      break;
  }
  if (!ok) {
    gst_event_unref (event);
    return FALSE;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

static gboolean
gst_symbl_upload_sink_unlock (GstBaseSink * sink)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);

  g_mutex_lock (&self->cancel_lock);
  g_cancellable_cancel (self->cancellable);
  /* An upload of a segment under way ends now too. */
  if (self->segments)
    symbl_upload_queue_cancel (self->segments);
  g_mutex_unlock (&self->cancel_lock);
  return TRUE;
}

/**
 * gst_symbl_upload_sink_interrupt: (skip)
 *
 * Ends an upload (or a wait) under way at once, as unlock does: for
 * symblsink, whose segment writer's thread may be waiting in this sink's
 * EOS when the pipeline stops. Any thread.
 */
void
gst_symbl_upload_sink_interrupt (GstSymblUploadSink * self)
{
  gst_symbl_upload_sink_unlock (GST_BASE_SINK (self));
}

static gboolean
gst_symbl_upload_sink_unlock_stop (GstBaseSink * sink)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (sink);

  g_mutex_lock (&self->cancel_lock);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_mutex_unlock (&self->cancel_lock);
  return TRUE;
}

static void
gst_symbl_upload_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  if (prop_id < PROP_SETTINGS_FIRST) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  symbl_settings_set_property (&self->settings,
      prop_id - PROP_SETTINGS_FIRST, value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_symbl_upload_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  if (prop_id < PROP_SETTINGS_FIRST) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  symbl_settings_get_property (&self->settings,
      prop_id - PROP_SETTINGS_FIRST, value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_symbl_upload_sink_finalize (GObject * object)
{
  GstSymblUploadSink *self = GST_SYMBL_UPLOAD_SINK (object);

  symbl_settings_clear (&self->settings);
  g_free (self->channel_metadata);
  symbl_upload_free (self->upload);
  symbl_spool_free (self->spool, FALSE);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->cancel_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_symbl_upload_sink_class_init (GstSymblUploadSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);

  gobject_class->set_property = gst_symbl_upload_sink_set_property;
  gobject_class->get_property = gst_symbl_upload_sink_get_property;
  gobject_class->finalize = gst_symbl_upload_sink_finalize;

  /* Their doc blocks (GstSymblUploadSink:...) are in symblsettings.c. */
  symbl_settings_install_properties (gobject_class, PROP_SETTINGS_FIRST);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Symbl upload sink", "Sink/Network",
      "Uploads an encoded recording to the Symbl.ai Async API and posts the "
      "conversation and job ids", "gst-symbl developers");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_change_state);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_set_caps);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_render);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_event);
  basesink_class->query = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_query);
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_unlock);
  basesink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_symbl_upload_sink_unlock_stop);

  gst_type_mark_as_plugin_api (SYMBL_TYPE_MODE, 0);
  GST_DEBUG_CATEGORY_INIT (gst_symbl_upload_sink_debug, "symbluploadsink", 0,
      "Symbl upload sink");
}

static void
gst_symbl_upload_sink_init (GstSymblUploadSink * self)
{
  symbl_settings_init (&self->settings);
  g_mutex_init (&self->cancel_lock);
  self->cancellable = g_cancellable_new ();
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}
