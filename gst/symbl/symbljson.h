/* symbljson: a check on JSON from outside (a user's trackers, the API's
 * replies) before json-glib parses it.
 *
 * json-glib 1.6 parses recursively, a stack frame per level of nesting:
 * some 80 KB of "[[[[..." exhaust an 8 MB thread stack and crash the
 * process. Trackers and replies nest a handful of levels.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYMBL_JSON_MAX_DEPTH 128

/* FALSE if arrays and objects in @data (@length bytes, or nul-terminated
 * when -1) nest deeper than SYMBL_JSON_MAX_DEPTH. */
gboolean symbl_json_depth_ok (const gchar * data, gssize length);

G_END_DECLS
