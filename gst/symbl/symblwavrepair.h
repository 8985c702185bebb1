/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblwavrepair: repair a WAV header from the file's size.
 *
 * wavenc writes its header first, with placeholder sizes (0x7fff0000
 * bytes of data), and rewrites it at EOS. A recording cut short by a
 * crash (kill -9, power loss) keeps the placeholders: sox reads it as
 * 18 hours long, other readers stop early or refuse it. symbluploadsink
 * repairs such a file before uploading it; so can anything that resumes
 * a kept recording.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* If @path is a WAV file whose RIFF or data chunk claims more bytes than
 * the file holds, or whose data chunk claims none though audio follows,
 * rewrites both sizes in place from the file's size: RIFF = file size - 8,
 * data = the bytes after the data chunk's header, in whole frames.
 * @repaired says whether it did. Files that are not WAV, or whose header
 * agrees with their size, are left as they are. FALSE (with @error naming
 * the file) only when the file cannot be read or written. */
gboolean symbl_wav_repair (const gchar * path, gboolean * repaired,
    GError ** error);

G_END_DECLS
