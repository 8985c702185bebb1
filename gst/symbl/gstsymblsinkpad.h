/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* GstSymblSinkPad: symblsink's request pads, which know who speaks on
 * them (for a call recorded on two channels). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SYMBL_SINK_PAD (gst_symbl_sink_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstSymblSinkPad, gst_symbl_sink_pad, GST,
    SYMBL_SINK_PAD, GstGhostPad);

/* The speaker's name and e-mail (either may be NULL); free them. */
void gst_symbl_sink_pad_get_speaker (GstSymblSinkPad * pad, gchar ** name,
    gchar ** email);

G_END_DECLS
