/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblspool: the recording on disk, written as buffers arrive.
 *
 * Writes are buffered so that a live stream of 10 ms buffers costs one
 * write(2) per SPOOL_BUFFER_SIZE, not one per buffer; but what is buffered
 * never covers more than a second of the stream, so that a process killed
 * while recording (kill -9, OOM killer) loses at most that second, however
 * low the byte rate. The kernel has what was written: no fsync, which
 * would cost a disk round trip per second of every stream. Seeks (byte segments
 * from muxers that rewrite their header at EOS) flush first. The file is
 * created with mode 0600: recordings are private.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SymblSpool SymblSpool;

/* Creates a new, uniquely named file in @dir (made 0700 if missing):
 * "symbl-<date>-<time>-<label>-XXXXXX.<extension>". */
SymblSpool *symbl_spool_create (const gchar * dir, const gchar * label,
    const gchar * extension, GError ** error);

/* @covers_ns: how much of the stream (in nanoseconds) @data holds, 0 when
 * unknown or none (a header). */
gboolean symbl_spool_write (SymblSpool * spool, const guint8 * data,
    gsize size, guint64 covers_ns, GError ** error);
/* Moves the write position, as a byte-format segment asks. */
gboolean symbl_spool_seek (SymblSpool * spool, guint64 offset, GError ** error);
/* Writes out what is buffered and closes the file; the size is final. */
gboolean symbl_spool_close (SymblSpool * spool, GError ** error);
/* Renames the file to end in @extension, once the format is known. */
gboolean symbl_spool_set_extension (SymblSpool * spool,
    const gchar * extension, GError ** error);

const gchar *symbl_spool_get_path (SymblSpool * spool);
/* Where the next byte goes. */
guint64 symbl_spool_get_position (SymblSpool * spool);
/* The file's length: the furthest byte written. */
guint64 symbl_spool_get_size (SymblSpool * spool);

/* Closes if needed; removes the file when @remove is TRUE. */
void symbl_spool_free (SymblSpool * spool, gboolean remove);

G_END_DECLS
