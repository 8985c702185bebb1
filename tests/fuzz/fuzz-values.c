/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* libFuzzer target: the checks of symblvalues.c, which keep a value from
 * changing a request, on arbitrary bytes (nul bytes included): the
 * control-character check of settings that become headers and URLs (and
 * symbl_settings_check, which applies it), the token check, and the check
 * of ids from Symbl's replies before they go into a URL path. */
#include "symblsettings.h"
#include "symblvalues.h"

#include <string.h>
#include <gio/gio.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static gboolean
is_control (guchar c)
{
  return c < 0x20 || c == 0x7f;
}

/* The first control character, or -1: nothing before it is one. */
static void
check_find_control (const gchar * text, gsize size)
{
  gssize at = symbl_values_find_control (text, size);
  g_autofree gchar *shown = NULL;
  gssize i;

  g_assert_cmpint (at, >=, -1);
  g_assert_cmpint (at, <, (gssize) size);
  for (i = 0; i < (at < 0 ? (gssize) size : at); i++)
    g_assert_false (is_control (text[i]));
  if (at < 0)
    return;
  g_assert_true (is_control (text[at]));
  /* Error texts carry its description: visible ASCII, never the byte. */
  shown = symbl_values_describe_control (text[at]);
  g_assert_true (symbl_values_is_token (shown, strlen (shown)));
}

/* A setting that becomes a header passes only without control
 * characters; its value never shows in the error. */
static void
check_settings (const gchar * text, gsize size)
{
  SymblSettings settings;
  g_autoptr (GError) error = NULL;
  gsize length = strnlen (text, size);
  gboolean accepted;

  symbl_settings_init (&settings);
  settings.user_agent = g_strndup (text, length);
  accepted = symbl_settings_check (&settings, &error);
  g_assert_true (accepted == (symbl_values_find_control (text, length) < 0));
  if (!accepted) {
    g_assert_error (error, SYMBL_SETTINGS_ERROR, SYMBL_SETTINGS_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "user-agent "));
  }
  symbl_settings_clear (&settings);
}

/* An accepted id is visible ASCII, bounded, and stays the one last segment
 * of the path it goes into, as the client builds it. */
static void
check_id (const gchar * id, gsize size)
{
  g_autofree gchar *copy = NULL;
  g_autofree gchar *escaped = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *url = NULL;
  g_autoptr (GUri) uri = NULL;

  if (!symbl_values_is_id (id, size))
    return;
  g_assert_cmpuint (size, >=, 1);
  g_assert_cmpuint (size, <=, SYMBL_VALUES_MAX_ID_LENGTH);
  g_assert_true (symbl_values_is_token (id, size));
  g_assert_cmpint (symbl_values_find_control (id, size), ==, -1);
  copy = g_strndup (id, size);
  g_assert_cmpuint (strlen (copy), ==, size);
  g_assert_null (strpbrk (copy, "/?#%\\ "));

  escaped = g_uri_escape_string (copy, NULL, FALSE);
  path = g_strconcat ("/v1/job/", escaped, NULL);
  url = g_strconcat ("https://api.symbl.ai", path, NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_path (uri), ==, path);
  g_assert_null (g_uri_get_query (uri));
  g_assert_null (g_uri_get_fragment (uri));
}

static void
check_token (const gchar * text, gsize size)
{
  gsize i;

  if (!symbl_values_is_token (text, size))
    return;
  g_assert_cmpuint (size, >, 0);
  for (i = 0; i < size; i++)
    g_assert_true (text[i] > ' ' && text[i] <= '~');
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  const gchar *text = (const gchar *) data;

  check_find_control (text, size);
  check_settings (text, size);
  check_token (text, size);
  check_id (text, size);
  return 0;
}
