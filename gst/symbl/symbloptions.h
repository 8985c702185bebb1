/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbloptions: the Async API's query parameters, from the settings.
 *
 * Every option the user set is checked (errors name the property) and
 * encoded as FACTS.md says: one parameter each, arrays and objects as one
 * compact JSON text, booleans as true/false. Options left alone are not
 * sent, so that the API's defaults apply. What the API takes but may not
 * act on (trackers against Symbl's best practices, a language tag off the
 * documented list, channel metadata without per-channel recognition)
 * gives advice, not errors. Since everything travels in the URL,
 * its length is measured before anything is recorded.
 */
#pragma once

#include "symblsettings.h"

G_BEGIN_DECLS

#define SYMBL_OPTIONS_ERROR (symbl_options_error_quark ())
GQuark symbl_options_error_quark (void);

typedef enum
{
  SYMBL_OPTIONS_ERROR_INVALID,  /* a property's value is refused */
  SYMBL_OPTIONS_ERROR_TOO_LONG, /* the URL would be too long */
} SymblOptionsError;

typedef struct _SymblOptions SymblOptions;

/* Checks and encodes the options. Advice (warnings) is added to @advice
 * (strings). Trackers errors come in SYMBL_TRACKERS_ERROR. */
SymblOptions *symbl_options_new (const SymblSettings * settings,
    GPtrArray * advice, GError ** error);
void symbl_options_free (SymblOptions * options);

/* Whether the upload asks Symbl to detect trackers: some were sent, or
 * enable-all-trackers is set. Only then is trackers-detected worth a
 * request. */
gboolean symbl_options_asks_for_trackers (SymblOptions * options);

/* Fails when the longest request target (@path, then '?' and the query)
 * would exceed @max_length bytes, with an error that says which
 * parameters make it long and what to do instead. */
gboolean symbl_options_check_length (SymblOptions * options,
    const gchar * path, guint max_length, GError ** error);

/* What is known of a recording only once it is made. */
typedef struct
{
  guint input_rate;             /* Hz of the audio before encoding; 0:
                                 * unknown */
  guint channels;               /* 2: one speaker per channel */
  const gchar *channel_metadata;        /* JSON, from symblsink's pads */
} SymblStreamInfo;

/* The encoded query for a recording: with mode auto, input of 8 kHz or
 * less adds mode=phone; two channels add per-channel recognition and the
 * speakers, unless the user set those options. @info may be NULL. */
gchar *symbl_options_get_query (SymblOptions * options,
    const SymblStreamInfo * info);

/* Symbl's documented language codes, NULL-terminated. */
extern const gchar *const symbl_language_codes[];

G_END_DECLS
