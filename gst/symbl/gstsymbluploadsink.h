#pragma once

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_UPLOAD_SINK (gst_symbl_upload_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblUploadSink, gst_symbl_upload_sink, GST,
    SYMBL_UPLOAD_SINK, GstBaseSink);

GST_ELEMENT_REGISTER_DECLARE (symbluploadsink);

void gst_symbl_upload_sink_set_duration (GstSymblUploadSink * self,
    GstClockTime duration);
void gst_symbl_upload_sink_set_input_rate (GstSymblUploadSink * self,
    gint rate);
void gst_symbl_upload_sink_set_channels (GstSymblUploadSink * self,
    gint channels, const gchar * channel_metadata);
void gst_symbl_upload_sink_queue_segment (GstSymblUploadSink * self,
    const gchar * path, const gchar * format, GstClockTime duration);
void gst_symbl_upload_sink_interrupt (GstSymblUploadSink * self);
void gst_symbl_upload_sink_end_segments (GstSymblUploadSink * self,
    const gchar * unfinished);

G_END_DECLS
