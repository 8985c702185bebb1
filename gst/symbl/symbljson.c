/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

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

/* At @i: "\u0000", case aside (zeros have none). */
static gboolean
is_nul_escape (const gchar * data, gsize n, gsize i)
{
  return i + 5 < n && data[i + 1] == 'u' && data[i + 2] == '0'
      && data[i + 3] == '0' && data[i + 4] == '0' && data[i + 5] == '0';
}

gchar *
symbl_json_mark_nul_escapes (const gchar * data, gsize length)
{
  gchar *copy = NULL;
  gsize i;

  /* A backslash starts an escape of two characters or more; outside a
   * string, json-glib refuses the text anyway. */
  for (i = 0; i < length; i++) {
    if (data[i] != '\\')
      continue;
    if (is_nul_escape (data, length, i)) {
      if (!copy) {
        copy = g_malloc (length + 1);
        memcpy (copy, data, length);
        copy[length] = '\0';
      }
      memcpy (copy + i + 2, "fffd", 4);
    }
    i++;
  }
  return copy;
}

gboolean
symbl_json_parse (const gchar * text, const gchar * origin, GQuark domain,
    gint code, JsonNode ** root, gchar ** compact, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree gchar *text_out = NULL;

  if (!symbl_json_depth_ok (text, -1)) {
    g_set_error (error, domain, code,
        "%s nests arrays and objects more than %d deep", origin,
        SYMBL_JSON_MAX_DEPTH);
    return FALSE;
  }
  if (!json_parser_load_from_data (parser, text, -1, &parse_error)) {
    g_set_error (error, domain, code, "%s is not valid JSON: %s", origin,
        parse_error->message);
    return FALSE;
  }
  node = json_parser_steal_root (parser);
  if (node) {
    text_out = json_to_string (node, FALSE);
    if (!g_utf8_validate (text_out, -1, NULL)) {
      g_set_error (error, domain, code, "%s is not valid JSON: a \\u escape "
          "is half of a UTF-16 surrogate pair", origin);
      return FALSE;
    }
  }
  *root = g_steal_pointer (&node);
  *compact = g_steal_pointer (&text_out);
  return TRUE;
}
