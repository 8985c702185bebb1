/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblspool.h"
#include "symblfileerror.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define SPOOL_BUFFER_SIZE (64 * 1024)
/* At most this much of the stream waits in memory */
#define SPOOL_MAX_UNWRITTEN_NS (G_GUINT64_CONSTANT (1000000000))

struct _SymblSpool
{
  gchar *path;
  gint fd;
  guint8 *buffer;               /* SPOOL_BUFFER_SIZE bytes, or NULL once closed */
  gsize buffered;
  guint64 buffered_ns;          /* stream time the buffered bytes cover */
  guint64 position;             /* where the next byte goes */
  guint64 size;
};

/* Element names may hold anything; file names get a safe subset. */
static gchar *
safe_label (const gchar * label)
{
  gchar *safe = g_strdup (label ? label : "recording");

  g_strcanon (safe, G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "-_", '_');
  return safe;
}

SymblSpool *
symbl_spool_create (const gchar * dir, const gchar * label,
    const gchar * extension, GError ** error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree gchar *safe = safe_label (label);
  g_autofree gchar *name = NULL;
  g_autofree gchar *path = NULL;
  SymblSpool *spool;
  gint fd;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    symbl_file_error (error, errno, "create the spool directory", dir);
    return NULL;
  }

  name = g_strdup_printf ("symbl-%s-%s-XXXXXX%s%s", stamp, safe,
      extension ? "." : "", extension ? extension : "");
  path = g_build_filename (dir, name, NULL);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    symbl_file_error (error, errno, "create a recording file in", dir);
    return NULL;
  }

  spool = g_new0 (SymblSpool, 1);
  spool->path = g_steal_pointer (&path);
  spool->fd = fd;
  spool->buffer = g_malloc (SPOOL_BUFFER_SIZE);
  return spool;
}

static gboolean
write_all (SymblSpool * spool, const guint8 * data, gsize size, GError ** error)
{
  while (size > 0) {
    gssize n = write (spool->fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return symbl_file_error (error, errno, "write the recording to",
          spool->path);
    data += n;
    size -= n;
  }
  return TRUE;
}

static gboolean
flush (SymblSpool * spool, GError ** error)
{
  gsize buffered = spool->buffered;

  spool->buffered = 0;
  spool->buffered_ns = 0;
  return write_all (spool, spool->buffer, buffered, error);
}

gboolean
symbl_spool_write (SymblSpool * spool, const guint8 * data, gsize size,
    guint64 covers_ns, GError ** error)
{
  g_return_val_if_fail (spool->buffer != NULL, FALSE);

  spool->position += size;
  spool->size = MAX (spool->size, spool->position);

  if (spool->buffered + size > SPOOL_BUFFER_SIZE && !flush (spool, error))
    return FALSE;
  /* Large buffers go straight to the file, without a copy. */
  if (size >= SPOOL_BUFFER_SIZE)
    return write_all (spool, data, size, error);

  memcpy (spool->buffer + spool->buffered, data, size);
  spool->buffered += size;
  spool->buffered_ns += covers_ns;
  if (spool->buffered_ns >= SPOOL_MAX_UNWRITTEN_NS)
    return flush (spool, error);
  return TRUE;
}

gboolean
symbl_spool_seek (SymblSpool * spool, guint64 offset, GError ** error)
{
  g_return_val_if_fail (spool->buffer != NULL, FALSE);

  if (offset == spool->position)
    return TRUE;
  if (!flush (spool, error))
    return FALSE;
  if (lseek (spool->fd, offset, SEEK_SET) < 0)
    return symbl_file_error (error, errno, "seek in", spool->path);
  spool->position = offset;
  return TRUE;
}

gboolean
symbl_spool_close (SymblSpool * spool, GError ** error)
{
  gboolean ok;

  if (!spool->buffer)
    return TRUE;
  ok = flush (spool, error);
  g_clear_pointer (&spool->buffer, g_free);
  if (close (spool->fd) != 0 && ok)
    ok = symbl_file_error (error, errno, "close", spool->path);
  spool->fd = -1;
  return ok;
}

gboolean
symbl_spool_set_extension (SymblSpool * spool, const gchar * extension,
    GError ** error)
{
  g_autofree gchar *path = g_strdup_printf ("%s.%s", spool->path, extension);

  if (g_rename (spool->path, path) != 0)
    return symbl_file_error (error, errno, "rename", spool->path);
  g_free (spool->path);
  spool->path = g_steal_pointer (&path);
  return TRUE;
}

const gchar *
symbl_spool_get_path (SymblSpool * spool)
{
  return spool->path;
}

guint64
symbl_spool_get_position (SymblSpool * spool)
{
  return spool->position;
}

guint64
symbl_spool_get_size (SymblSpool * spool)
{
  return spool->size;
}

void
symbl_spool_free (SymblSpool * spool, gboolean remove)
{
  if (!spool)
    return;
  symbl_spool_close (spool, NULL);
  if (remove)
    g_unlink (spool->path);
  g_free (spool->path);
  g_free (spool);
}
