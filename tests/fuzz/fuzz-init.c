/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* What every fuzz target does once, before libFuzzer's first input. */
#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* GSlice's own slabs would hide leaks from LeakSanitizer */
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  /* A critical or a warning is a bug found, as a crash is. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL |
      G_LOG_LEVEL_WARNING);
  return 0;
}
