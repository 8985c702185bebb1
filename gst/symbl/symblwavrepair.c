/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblwavrepair.h"
#include "symblfileerror.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* wavenc's header, and any chunk a writer puts before the data, fit */
#define HEADER_READ_SIZE 4096

typedef struct
{
  guint32 riff_size;
  guint16 block_align;          /* bytes per frame, all channels */
  guint64 data_offset;          /* first byte of audio */
  guint32 data_size;
} WavLayout;

static guint16
read_le16 (const guint8 * at)
{
  return at[0] | (at[1] << 8);
}

static guint32
read_le32 (const guint8 * at)
{
  return read_le16 (at) | ((guint32) read_le16 (at + 2) << 16);
}

static void
write_le32 (guint8 * at, guint32 value)
{
  at[0] = value & 0xff;
  at[1] = (value >> 8) & 0xff;
  at[2] = (value >> 16) & 0xff;
  at[3] = value >> 24;
}

/* Finds the fmt and data chunks; FALSE when @head is no WAV header */
static gboolean
parse_layout (const guint8 * head, gsize length, WavLayout * layout)
{
  guint64 pos = 12;

  if (length < 12 || memcmp (head, "RIFF", 4) != 0 ||
      memcmp (head + 8, "WAVE", 4) != 0)
    return FALSE;
  layout->riff_size = read_le32 (head + 4);
  layout->block_align = 0;
  while (pos + 8 <= length) {
    const guint8 *chunk = head + pos;
    guint32 size = read_le32 (chunk + 4);

    if (memcmp (chunk, "fmt ", 4) == 0 && size >= 14 && pos + 8 + 14 <= length)
      layout->block_align = read_le16 (chunk + 8 + 12);
    if (memcmp (chunk, "data", 4) == 0) {
      layout->data_offset = pos + 8;
      layout->data_size = size;
      return layout->block_align > 0;
    }
    /* Chunks are padded to an even size */
    pos += 8 + (guint64) size + (size & 1);
  }
  return FALSE;
}

static gboolean
header_disagrees (const WavLayout * layout, guint64 file_size)
{
  guint64 riff_end = (guint64) layout->riff_size + 8;
  guint64 data_end = layout->data_offset + layout->data_size;
  gboolean audio_left_out = layout->data_size == 0 &&
      file_size > layout->data_offset && riff_end != file_size;

  return riff_end > file_size || data_end > file_size || audio_left_out;
}

static gboolean
write_size (gint fd, guint64 offset, guint32 size, const gchar * path,
    GError ** error)
{
  guint8 bytes[4];

  write_le32 (bytes, size);
  if (pwrite (fd, bytes, sizeof (bytes), offset) != sizeof (bytes))
    return symbl_file_error (error, errno ? errno : EIO, "repair the header of",
        path);
  return TRUE;
}

static gboolean
rewrite_sizes (gint fd, const WavLayout * layout, guint64 file_size,
    const gchar * path, GError ** error)
{
  /* A RIFF file cannot say more than 4 GiB */
  guint64 riff_size = MIN (file_size - 8, G_MAXUINT32);
  guint64 data_size = MIN (file_size - layout->data_offset, G_MAXUINT32);

  data_size -= data_size % layout->block_align;
  return write_size (fd, 4, riff_size, path, error) &&
      write_size (fd, layout->data_offset - 4, data_size, path, error);
}

gboolean
symbl_wav_repair (const gchar * path, gboolean * repaired, GError ** error)
{
  guint8 head[HEADER_READ_SIZE];
  WavLayout layout;
  struct stat st;
  gssize length;
  gboolean ok;
  gint fd;

  *repaired = FALSE;
  fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  if (fd < 0)
    return symbl_file_error (error, errno, "open", path);
  if (fstat (fd, &st) != 0) {
    ok = symbl_file_error (error, errno, "read the size of", path);
  } else if ((length = pread (fd, head, sizeof (head), 0)) < 0) {
    ok = symbl_file_error (error, errno, "read", path);
  } else if (!parse_layout (head, length, &layout) ||
      !header_disagrees (&layout, st.st_size)) {
    ok = TRUE;
  } else {
    ok = *repaired = rewrite_sizes (fd, &layout, st.st_size, path, error);
  }
  close (fd);
  return ok;
}
