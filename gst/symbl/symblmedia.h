/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblmedia: which encoded formats go to which Symbl endpoint, and how.
 *
 * FACTS.md: audio takes Content-Type only from a short list (anything else
 * is left out so that the API detects the format); video takes MP4 only,
 * always as video/mp4.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  SYMBL_MEDIA_AUDIO,
  SYMBL_MEDIA_VIDEO,
} SymblMediaKind;

typedef struct
{
  const gchar *name;            /* "wav", "mp3", ... */
  SymblMediaKind kind;
  const gchar *content_type;    /* NULL: let the API detect the format */
  const gchar *extension;       /* for the spool file */
} SymblMediaFormat;

/* Symbl refuses a file longer than this (FACTS.md: "Maximum duration 4
 * hours"). */
#define SYMBL_MAX_FILE_SECONDS (4 * 3600)
#define SYMBL_MAX_FILE_DURATION (SYMBL_MAX_FILE_SECONDS * GST_SECOND)

/* The caps symbluploadsink's sink pad accepts. */
#define SYMBL_MEDIA_CAPS \
    "audio/x-wav; " \
    "audio/mpeg, mpegversion = (int) 1, layer = (int) 3; " \
    "audio/mpeg, mpegversion = (int) { 2, 4 }, stream-format = (string) adts; " \
    "audio/x-flac; " \
    "audio/ogg; application/ogg; " \
    "audio/x-m4a; " \
    "audio/x-amr-nb-sh; audio/x-amr-wb-sh; " \
    "audio/x-ac3; " \
    "audio/x-aiff; " \
    "video/x-ms-asf; " \
    "video/quicktime, variant = (string) iso"

/* The format of a stream with these caps, or NULL with an error that says
 * what to do instead. */
const SymblMediaFormat *symbl_media_format_from_caps (const GstCaps * caps,
    GError ** error);

/* Recognises a recording that arrived without caps (filesrc straight into
 * symbluploadsink) by its first bytes. */
const SymblMediaFormat *symbl_media_format_from_file (const gchar * path,
    GError ** error);

/* TRUE when a recording of @size bytes holds no media, only a container, as wavenc
 * leaves after a stream with no audio. */
/* Whether the file at @path is text (a README fed to symbluploadsink by
 * mistake): no recording at all. */
/* @format, or "opus" when it is Ogg whose first stream (in the file at
 * @path) is Opus: caps and typefinding say only Ogg. */
const SymblMediaFormat *symbl_media_format_refine (const SymblMediaFormat * format,
    const gchar * path);
gboolean symbl_media_file_is_text (const gchar * path);

gboolean symbl_media_is_empty (const SymblMediaFormat * format,
    guint64 size);

/* The format called @name ("wav", "mp3", ...), or NULL. */
const SymblMediaFormat *symbl_media_format_from_name (const gchar * name);

const gchar *symbl_media_kind_to_string (SymblMediaKind kind);

G_END_DECLS
