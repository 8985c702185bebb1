/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbltrackers: the trackers a user attaches to a conversation.
 *
 * Parses the documented JSON shape (an array of {"name", "vocabulary"} or
 * {"id"} objects), rejects anything else with an error that names the
 * tracker, and gives back the compact JSON text sent in the query.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYMBL_TRACKERS_ERROR (symbl_trackers_error_quark ())
GQuark symbl_trackers_error_quark (void);

typedef enum
{
  SYMBL_TRACKERS_ERROR_READ,    /* the file could not be read */
  SYMBL_TRACKERS_ERROR_SYNTAX,  /* not JSON */
  SYMBL_TRACKERS_ERROR_SHAPE,   /* JSON, but not trackers */
} SymblTrackersError;

/* @origin names where the text came from in errors, e.g. "the trackers
 * property" or "trackers-location /home/me/trackers.json".
 * Returns the trackers as compact JSON, or NULL with *error unset when
 * there are none (an empty array). */
gchar *symbl_trackers_normalise (const gchar * text, const gchar * origin,
    GError ** error);

/* Adds to @advice (strings) what in the normalised @trackers goes against
 * Symbl's best practices: fewer than 5 or more than 50 phrases, a phrase
 * repeated, punctuation other than . ' - */
void symbl_trackers_advise (const gchar * trackers, GPtrArray * advice);

/* Reads a trackers file and normalises it. */
gchar *symbl_trackers_load_file (const gchar * path, GError ** error);

G_END_DECLS
