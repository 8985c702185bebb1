/* symblencoding: the encoders between symblsink's raw pads and its
 * symbluploadsink, chosen for speech and for Symbl's accepted formats. */
#pragma once

#include <gst/gst.h>

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

/* What every recording is converted to before encoding: Symbl's default
 * mode wants 16 kHz or more, and speech needs no more. */
#define SYMBL_SPEECH_RATE 16000

/* A bin with a sink pad "audio" (any raw audio) and a src pad "src"
 * (the encoded recording). A missing encoder gets a missing-plugin message
 * posted on @owner and an error that names the Debian package. */
GstElement *symbl_encoding_new_audio (SymblAudioFormat format,
    GstElement * owner, GError ** error);

G_END_DECLS
