/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblbodystream.h"

struct _SymblBodyStream
{
  GFilterInputStream parent;

  guint64 taken;
  guint64 total;
  SymblBodyTakenFunc func;
  gpointer user_data;
};

G_DEFINE_TYPE (SymblBodyStream, symbl_body_stream, G_TYPE_FILTER_INPUT_STREAM);

static gssize
symbl_body_stream_read (GInputStream * stream, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  SymblBodyStream *self = SYMBL_BODY_STREAM (stream);
  gssize n = g_input_stream_read (G_FILTER_INPUT_STREAM (stream)->base_stream,
      buffer, count, cancellable, error);

  if (n > 0) {
    self->taken += n;
    if (self->func)
      self->func (self->taken, self->total, self->user_data);
  }
  return n;
}

static void
symbl_body_stream_class_init (SymblBodyStreamClass * klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = symbl_body_stream_read;
}

static void
symbl_body_stream_init (SymblBodyStream * self)
{
}

GInputStream *
symbl_body_stream_new (GInputStream * base, guint64 total,
    SymblBodyTakenFunc taken, gpointer user_data)
{
  SymblBodyStream *self = g_object_new (SYMBL_TYPE_BODY_STREAM,
      "base-stream", base, NULL);

  self->total = total;
  self->func = taken;
  self->user_data = user_data;
  return G_INPUT_STREAM (self);
}
