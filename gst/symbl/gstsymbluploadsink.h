/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#pragma once

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_UPLOAD_SINK (gst_symbl_upload_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblUploadSink, gst_symbl_upload_sink, GST,
    SYMBL_UPLOAD_SINK, GstBaseSink);

GST_ELEMENT_REGISTER_DECLARE (symbluploadsink);

G_END_DECLS
