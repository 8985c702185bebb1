#include "symbljson.h"

#include <string.h>

/* Follows json-glib's scanner far enough to know which brackets it will
 * see: those outside "strings" (with \ escapes), 'strings' and comments.
 * Checked against json-glib 1.6 (Debian 12) in tests/fuzz.
 * Where the text stops being JSON, json-glib stops parsing; what this
 * makes of the rest does not matter. */
gboolean
symbl_json_depth_ok (const gchar * data, gssize length)
{
  gsize n = length < 0 ? strlen (data) : (gsize) length;
  guint depth = 0;
  gsize i;

  for (i = 0; i < n; i++) {
    switch (data[i]) {
      case '[':
      case '{':
        if (++depth > SYMBL_JSON_MAX_DEPTH)
          return FALSE;
        break;
      case ']':
      case '}':
        if (depth > 0)
          depth--;
        break;
      case '"':
        for (i++; i < n && data[i] != '"'; i++)
          if (data[i] == '\\')
            i++;
        break;
      case '\'':
        for (i++; i < n && data[i] != '\''; i++);
        break;
      case '/':
        /* json-glib 1.6 takes anything from a '/' to the next one as a
         * comment ("//" ... "\n" read as a pair of characters) */
        for (i++; i < n && data[i] != '/'; i++);
        break;
      default:
        break;
    }
  }
  return TRUE;
}
