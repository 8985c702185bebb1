/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblencoding: the encoders between symblsink's raw pads and its
 * symbluploadsink, chosen for speech and for the formats Symbl takes.
 *
 * Audio alone is encoded as the user's format says (16 kHz mono, or two
 * channels for a two-party call). With a video pad, both go into a
 * fragmented MP4 (H.264 and AAC): Symbl's video endpoint takes MP4 only,
 * and fragments keep the muxer's memory flat however long the meeting.
 * An encoding profile (symblsink's encoding-profile) replaces both with
 * encodebin.
 */
#pragma once

#include <gst/gst.h>
#include <gst/pbutils/encoding-profile.h>

G_BEGIN_DECLS

typedef enum
{
  SYMBL_AUDIO_FORMAT_WAV,
  SYMBL_AUDIO_FORMAT_FLAC,
  SYMBL_AUDIO_FORMAT_MP3,
  SYMBL_AUDIO_FORMAT_OPUS,
} SymblAudioFormat;

#define SYMBL_TYPE_AUDIO_FORMAT (symbl_audio_format_get_type ())
GType symbl_audio_format_get_type (void);

/* What every recording's audio is converted to: Symbl's default mode
 * wants 16 kHz or more, and speech needs no more. */
#define SYMBL_SPEECH_RATE 16000
/* Data of symbl_encoding_new's audio-only bin: the encoder, whose sink pad
 * takes the speech as it goes into the file (16-bit, a channel a speaker). */
#define SYMBL_ENCODING_AUDIO_ENCODER "audio-encoder"

/* Video is scaled down to fit in this, never up. */
#define SYMBL_VIDEO_MAX_WIDTH 1280
#define SYMBL_VIDEO_MAX_HEIGHT 720

typedef struct
{
  guint n_audio;                /* sink pads "audio_0" (and "audio_1", for
                                 * a call on two channels) */
  gboolean video;               /* a sink pad "video": MP4 */
  SymblAudioFormat audio_format;        /* without video */
  guint video_bitrate_kbps;
  /* symblsink's encoding-profile, or NULL. When set, encodebin encodes as
   * it says, and audio_format and video_bitrate_kbps are not used. */
  const gchar *profile;
} SymblEncodingPlan;

/* A bin with the sink pads the plan asks for and a src pad "src" (the
 * encoded recording). When an element is not installed, returns NULL with
 * *missing set to its factory name (or, with a profile, to the caps that
 * no installed encoder makes) and an error that says what to install. */
GstElement *symbl_encoding_new (const SymblEncodingPlan * plan,
    gchar ** missing, GError ** error);

/* For recordings cut into segments: the speech inputs alone, "audio_0"
 * (and "audio_1") in, raw 16 kHz S16 into @speech, a pad of another
 * element that fills the gaps in time (the segmenter)... */
GstElement *symbl_encoding_new_inputs (guint n_audio, GstPad * speech,
    gchar ** missing, GError ** error);
/* An input of symbl_encoding_new_inputs() fed straight from @outer, a
 * ghost pad of the element holding @inputs, rather than through @inputs'
 * own ghost pad: @outer then targets the conversion, or what follows it
 * when the caps need none, as symbl_encoding_follow_caps() says. FALSE
 * when @name has no such conversion. */
gboolean symbl_encoding_take_input (GstElement * inputs, const gchar * name,
    GstGhostPad * outer);
/* @outer no longer feeds an input, which is going. */
void symbl_encoding_drop_input (GstGhostPad * outer);
/* On each caps event at @outer, before it goes on. */
void symbl_encoding_follow_caps (GstGhostPad * outer, GstCaps * caps);
/* Answers caps queries at @outer as the conversion would, when it is left
 * out; FALSE when @query is not one of those. */
gboolean symbl_encoding_query_input (GstGhostPad * outer, GstQuery * query,
    gboolean * result);
/* ... and one segment's encoder, raw in "sink", encoded out of "src". */
GstElement *symbl_encoding_new_audio_encoder (SymblAudioFormat format,
    guint channels, gchar ** missing, GError ** error);
/* What @format's encoder makes: "wav", "flac", "mp3" or "opus" (in Ogg), as
 * symblmedia names formats. */
const gchar *symbl_audio_format_container (SymblAudioFormat format);

/* The most an hour of one speaker takes in @format, in bytes
 * (docs/media-server.md measures them). */
guint64 symbl_audio_format_bytes_per_hour (SymblAudioFormat format);

/* Parses @text, an encoding profile serialized as encodebin takes it, and
 * checks that Symbl takes what it makes. Otherwise NULL, with an error
 * that names the encoding-profile property, and *missing set as for
 * symbl_encoding_new when an encoder or muxer is not installed. */
GstEncodingProfile *symbl_encoding_profile_parse (const gchar * text,
    gchar ** missing, GError ** error);

/* The missing-plugin message for what symbl_encoding_new set *missing to. */
GstMessage *symbl_encoding_missing_message (GstElement * element,
    const gchar * missing);

/* Tells the encoder (or inputs) whether its inputs are live, before data
 * flows. */
void symbl_encoding_set_live (GstElement * encoder, gboolean live);

G_END_DECLS
