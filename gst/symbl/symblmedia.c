/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblmedia.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gst/base/gsttypefindhelper.h>

/* Enough of a file for every typefinder that can tell these formats. */
#define TYPEFIND_BYTES (64 * 1024)
#define WAV_HEADER_SIZE 44
#define OGG_OPUS_MAGIC_AT 28

static const SymblMediaFormat formats[] = {
  {"wav", SYMBL_MEDIA_AUDIO, "audio/wav", "wav"},
  {"mp3", SYMBL_MEDIA_AUDIO, "audio/mpeg", "mp3"},
  {"aac", SYMBL_MEDIA_AUDIO, NULL, "aac"},
  {"flac", SYMBL_MEDIA_AUDIO, NULL, "flac"},
  {"ogg", SYMBL_MEDIA_AUDIO, NULL, "ogg"},
  /* Ogg whose first stream is Opus: what symblsink format=opus makes. */
  {"opus", SYMBL_MEDIA_AUDIO, NULL, "opus"},
  {"m4a", SYMBL_MEDIA_AUDIO, NULL, "m4a"},
  /* The FAQ's other audio formats: no Content-Type, the API detects them. */
  {"amr", SYMBL_MEDIA_AUDIO, NULL, "amr"},
  {"ac3", SYMBL_MEDIA_AUDIO, NULL, "ac3"},
  {"aiff", SYMBL_MEDIA_AUDIO, NULL, "aiff"},
  {"wma", SYMBL_MEDIA_AUDIO, NULL, "wma"},
  {"mp4", SYMBL_MEDIA_VIDEO, "video/mp4", "mp4"},
};

const SymblMediaFormat *
symbl_media_format_from_name (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i].name, name))
      return &formats[i];
  return NULL;
}

/* An Ogg stream's first page carries its codec's header packet: for
 * Opus, "OpusHead" right after the 28-byte page header. */
static gboolean
ogg_head_is_opus (const guint8 * data, gsize size)
{
  return size >= OGG_OPUS_MAGIC_AT + 8
      && memcmp (data + OGG_OPUS_MAGIC_AT, "OpusHead", 8) == 0;
}

const SymblMediaFormat *
symbl_media_format_from_caps (const GstCaps * caps, GError ** error)
{
  const GstStructure *s;
  const gchar *media;
  gint version = 0;

  if (!gst_caps_is_fixed (caps) || gst_caps_get_size (caps) != 1)
    goto unsupported;

  s = gst_caps_get_structure (caps, 0);
  media = gst_structure_get_name (s);

  if (g_str_equal (media, "audio/x-wav"))
    return symbl_media_format_from_name ("wav");
  if (g_str_equal (media, "audio/x-flac"))
    return symbl_media_format_from_name ("flac");
  if (g_str_equal (media, "audio/ogg")
      || g_str_equal (media, "application/ogg"))
    return symbl_media_format_from_name ("ogg");
  if (g_str_equal (media, "audio/x-m4a"))
    return symbl_media_format_from_name ("m4a");
  /* AMR as a file (with its "#!AMR" header), not bare amrnbenc frames. */
  if (g_str_equal (media, "audio/x-amr-nb-sh")
      || g_str_equal (media, "audio/x-amr-wb-sh"))
    return symbl_media_format_from_name ("amr");
  if (g_str_equal (media, "audio/x-ac3"))
    return symbl_media_format_from_name ("ac3");
  if (g_str_equal (media, "audio/x-aiff"))
    return symbl_media_format_from_name ("aiff");
  /* WMA comes in ASF, whose media type says video even for audio only. */
  if (g_str_equal (media, "video/x-ms-asf"))
    return symbl_media_format_from_name ("wma");
  if (g_str_equal (media, "audio/mpeg")
      && gst_structure_get_int (s, "mpegversion", &version)) {
    gint layer = 3;

    gst_structure_get_int (s, "layer", &layer);
    if (version == 1 && layer == 3)
      return symbl_media_format_from_name ("mp3");
    if ((version == 2 || version == 4)
        && g_strcmp0 (gst_structure_get_string (s, "stream-format"),
            "adts") == 0)
      return symbl_media_format_from_name ("aac");
  }
  if (g_str_equal (media, "video/quicktime")
      && g_strcmp0 (gst_structure_get_string (s, "variant"), "iso") == 0)
    return symbl_media_format_from_name ("mp4");

  if (g_str_has_prefix (media, "video/")) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
        "%s is not MP4, and Symbl's video endpoint takes MP4 only. "
        "Use symblsink, which re-encodes: ... ! decodebin ! symblsink", media);
    return NULL;
  }
  if (g_str_has_prefix (media, "audio/x-raw")) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
        "symbluploadsink takes encoded recordings, not raw audio. "
        "Use symblsink, which encodes: ... ! symblsink");
    return NULL;
  }

unsupported:
  {
    g_autofree gchar *text = gst_caps_to_string (caps);
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
        "Symbl does not take %s. symbluploadsink takes WAV, MP3, AAC, FLAC, "
        "Ogg, M4A, AMR, AC3, AIFF, WMA and MP4; for anything else use symblsink, which "
        "re-encodes: ... ! decodebin ! symblsink", text);
    return NULL;
  }
}

/* What the first bytes of the file at @path look like, or NULL. */
static GstCaps *
typefind_file (const gchar * path, GError ** error)
{
  g_autoptr (GstBuffer) head = NULL;
  g_autofree gchar *data = g_malloc (TYPEFIND_BYTES);
  gssize got;
  FILE *file;

  file = fopen (path, "rb");
  if (!file) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
        "Could not read back the recording %s: %s", path, g_strerror (errno));
    return NULL;
  }
  got = fread (data, 1, TYPEFIND_BYTES, file);
  fclose (file);

  head = gst_buffer_new_wrapped (g_steal_pointer (&data), got);
  return gst_type_find_helper_for_buffer (NULL, head, NULL);
}

const SymblMediaFormat *
symbl_media_format_from_file (const gchar * path, GError ** error)
{
  GError *read_error = NULL;
  g_autoptr (GstCaps) caps = typefind_file (path, &read_error);

  if (read_error) {
    g_propagate_error (error, read_error);
    return NULL;
  }
  if (!caps) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND,
        "Could not tell the format of the recording %s. Give "
        "symbluploadsink caps (a parser such as mpegaudioparse, or typefind) "
        "or use symblsink, which encodes", path);
    return NULL;
  }
  return symbl_media_format_from_caps (caps, error);
}

const SymblMediaFormat *
symbl_media_format_refine (const SymblMediaFormat * format, const gchar * path)
{
  guint8 head[OGG_OPUS_MAGIC_AT + 8];
  gsize got = 0;
  FILE *file;

  if (!g_str_equal (format->name, "ogg"))
    return format;
  file = fopen (path, "rb");
  if (file) {
    got = fread (head, 1, sizeof head, file);
    fclose (file);
  }
  return ogg_head_is_opus (head, got) ?
      symbl_media_format_from_name ("opus") : format;
}

gboolean
symbl_media_file_is_text (const gchar * path)
{
  g_autoptr (GstCaps) caps = typefind_file (path, NULL);

  return caps && g_str_has_prefix (gst_structure_get_name
      (gst_caps_get_structure (caps, 0)), "text/");
}

gboolean
symbl_media_is_empty (const SymblMediaFormat * format, guint64 size)
{
  if (size == 0)
    return TRUE;
  /* wavenc writes its 44-byte header even for a stream without samples. */
  if (g_str_equal (format->name, "wav"))
    return size <= WAV_HEADER_SIZE;
  return FALSE;
}

const gchar *
symbl_media_kind_to_string (SymblMediaKind kind)
{
  return kind == SYMBL_MEDIA_VIDEO ? "video" : "audio";
}
