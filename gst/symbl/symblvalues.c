/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblvalues.h"

#include <string.h>

/* Would change what the server reads as the path. */
#define PATH_CHARACTERS "/?#%\\"

gssize
symbl_values_find_control (const gchar * text, gsize length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if ((guchar) text[i] < 0x20 || (guchar) text[i] == 0x7f)
      return i;
  return -1;
}

gchar *
symbl_values_describe_control (guchar c)
{
  switch (c) {
    case '\r':
      return g_strdup ("\\r");
    case '\n':
      return g_strdup ("\\n");
    case '\t':
      return g_strdup ("\\t");
    case '\0':
      return g_strdup ("\\0");
    default:
      return g_strdup_printf ("\\x%02x", c);
  }
}

static gboolean
is_visible_ascii (guchar c)
{
  return c > ' ' && c <= '~';
}

gboolean
symbl_values_is_token (const gchar * text, gsize length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if (!is_visible_ascii (text[i]))
      return FALSE;
  return length > 0;
}

gboolean
symbl_values_is_id (const gchar * id, gsize length)
{
  gsize i;

  if (length == 0 || length > SYMBL_VALUES_MAX_ID_LENGTH)
    return FALSE;
  /* A dot segment: the URL's path would lose it, or its parent. */
  if ((length == 1 && id[0] == '.') || (length == 2 && id[0] == '.'
          && id[1] == '.'))
    return FALSE;
  for (i = 0; i < length; i++)
    if (!is_visible_ascii (id[i]) || strchr (PATH_CHARACTERS, id[i]))
      return FALSE;
  return TRUE;
}
