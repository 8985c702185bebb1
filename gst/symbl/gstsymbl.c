/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* The symbl plugin: sinks that upload recordings to the Symbl.ai Async API. */
#include "config.h"

#include "gstsymblsink.h"
#include "gstsymbluploadsink.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ok = FALSE;

  ok |= GST_ELEMENT_REGISTER (symbluploadsink, plugin);
  ok |= GST_ELEMENT_REGISTER (symblsink, plugin);
  return ok;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, symbl,
    "Upload recordings to the Symbl.ai Async API with conversation trackers",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
