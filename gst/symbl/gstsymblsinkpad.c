/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/**
 * SECTION:element-symblsink-pad
 * @title: GstSymblSinkPad
 *
 * A request pad of symblsink. With two audio pads, symblsink records a
 * call on two channels (audio_0 on channel 1, audio_1 on channel 2) and
 * tells Symbl who speaks on each, from these pads' properties:
 *
 * |[
 * gst-launch-1.0 -e symblsink name=s audio_0::speaker-name=Agent audio_1::speaker-name=Customer ...
 * ]|
 */
#include "config.h"
#include "gstsymblsinkpad.h"

enum
{
  PROP_0,
  PROP_SPEAKER_NAME,
  PROP_SPEAKER_EMAIL,
};

struct _GstSymblSinkPad
{
  GstGhostPad parent;

  gchar *speaker_name;          /* object lock */
  gchar *speaker_email;
};

G_DEFINE_TYPE (GstSymblSinkPad, gst_symbl_sink_pad, GST_TYPE_GHOST_PAD);

void
gst_symbl_sink_pad_get_speaker (GstSymblSinkPad * pad, gchar ** name,
    gchar ** email)
{
  GST_OBJECT_LOCK (pad);
  *name = g_strdup (pad->speaker_name);
  *email = g_strdup (pad->speaker_email);
  GST_OBJECT_UNLOCK (pad);
}

static void
gst_symbl_sink_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstSymblSinkPad *pad = GST_SYMBL_SINK_PAD (object);
  const gchar *text = g_value_get_string (value);
  gchar **field;

  switch (prop_id) {
    case PROP_SPEAKER_NAME:
      field = &pad->speaker_name;
      break;
    case PROP_SPEAKER_EMAIL:
      field = &pad->speaker_email;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  GST_OBJECT_LOCK (pad);
  g_free (*field);
  *field = text && *text ? g_strdup (text) : NULL;
  GST_OBJECT_UNLOCK (pad);
}

static void
gst_symbl_sink_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstSymblSinkPad *pad = GST_SYMBL_SINK_PAD (object);

  GST_OBJECT_LOCK (pad);
  switch (prop_id) {
    case PROP_SPEAKER_NAME:
      g_value_set_string (value, pad->speaker_name);
      break;
    case PROP_SPEAKER_EMAIL:
      g_value_set_string (value, pad->speaker_email);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (pad);
}

static void
gst_symbl_sink_pad_finalize (GObject * object)
{
  GstSymblSinkPad *pad = GST_SYMBL_SINK_PAD (object);

  g_free (pad->speaker_name);
  g_free (pad->speaker_email);
  G_OBJECT_CLASS (gst_symbl_sink_pad_parent_class)->finalize (object);
}

static void
gst_symbl_sink_pad_class_init (GstSymblSinkPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;

  gobject_class->set_property = gst_symbl_sink_pad_set_property;
  gobject_class->get_property = gst_symbl_sink_pad_get_property;
  gobject_class->finalize = gst_symbl_sink_pad_finalize;

  /**
   * GstSymblSinkPad:speaker-name:
   *
   * Who speaks on this pad's channel, sent as channelMetadata when
   * symblsink records two audio pads.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SPEAKER_NAME,
      g_param_spec_string ("speaker-name", "Speaker name",
          "Who speaks on this pad (channelMetadata, with two audio pads)",
          NULL, flags));
  /**
   * GstSymblSinkPad:speaker-email:
   *
   * The e-mail of who speaks on this pad's channel.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SPEAKER_EMAIL,
      g_param_spec_string ("speaker-email", "Speaker e-mail",
          "E-mail of who speaks on this pad (channelMetadata)", NULL, flags));
}

static void
gst_symbl_sink_pad_init (GstSymblSinkPad * pad)
{
}
