/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_SINK (gst_symbl_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblSink, gst_symbl_sink, GST, SYMBL_SINK, GstBin);

GST_ELEMENT_REGISTER_DECLARE (symblsink);

G_END_DECLS
