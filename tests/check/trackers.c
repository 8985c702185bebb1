/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* The trackers JSON users write: what is accepted, what is sent, and the
 * error each mistake gets. */
#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include "symbltrackers.h"

static gchar *
normalise (const gchar * text, GError ** error)
{
  return symbl_trackers_normalise (text, "the trackers property", error);
}

/* Asserts that @text is refused with an error containing each needle. */
static void
expect_refused (const gchar * text, const gchar * needle, const gchar * needle2)
{
  GError *error = NULL;
  gchar *result = normalise (text, &error);

  fail_unless (result == NULL, "accepted %s", text);
  fail_unless (error != NULL);
  fail_unless (strstr (error->message, needle) != NULL,
      "\"%s\" lacks \"%s\"", error->message, needle);
  if (needle2)
    fail_unless (strstr (error->message, needle2) != NULL,
        "\"%s\" lacks \"%s\"", error->message, needle2);
  g_error_free (error);
}

GST_START_TEST (test_inline_and_stored_trackers_are_sent_compact)
{
  GError *error = NULL;
  gchar *json = normalise ("[\n {\"name\": \"COVID-19\",\n"
      "  \"vocabulary\": [\"social distancing\", \"vaccination\"]},\n"
      " {\"id\": \"5123033831841280\"}\n]", &error);

  fail_unless (error == NULL);
  fail_unless_equals_string (json, "[{\"name\":\"COVID-19\",\"vocabulary\":"
      "[\"social distancing\",\"vaccination\"]},{\"id\":\"5123033831841280\"}]");
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_unicode_survives)
{
  GError *error = NULL;
  gchar *json = normalise ("[{\"name\": \"Café\", \"vocabulary\": "
      "[\"crème brûlée\", \"naïve \\\"quote\\\"\"]}]", &error);

  fail_unless (error == NULL);
  fail_unless (strstr (json, "crème brûlée") != NULL, "%s", json);
  fail_unless (strstr (json, "naïve \\\"quote\\\"") != NULL, "%s", json);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_empty_array_means_no_trackers)
{
  GError *error = NULL;

  fail_unless (normalise ("[]", &error) == NULL);
  fail_unless (error == NULL);
}

GST_END_TEST;

GST_START_TEST (test_each_mistake_names_the_tracker)
{
  expect_refused ("[{\"name\": \"A\", \"vocabulary\": [\"x\"]",
      "the trackers property is not valid JSON", NULL);
  expect_refused ("", "the trackers property", NULL);
  expect_refused ("{\"name\": \"A\", \"vocabulary\": [\"x\"]}",
      "is an object, but trackers are a JSON array", NULL);
  expect_refused ("[\"COVID-19\"]", "tracker 1 in the trackers property",
      "is a string, not an object");
  expect_refused ("[{\"name\": \"A\", \"vocabulary\": [\"x\"]}, "
      "{\"vocabulary\": [\"y\"]}]", "tracker 2 in the trackers property",
      "has no \"name\"");
  expect_refused ("[{\"name\": \"\", \"vocabulary\": [\"y\"]}]",
      "tracker 1", "\"name\" that is not a non-empty string");
  expect_refused ("[{\"name\": \"COVID-19\"}]",
      "tracker 1 (\"COVID-19\")", "has no \"vocabulary\"");
  expect_refused ("[{\"name\": \"COVID-19\", \"vocabulary\": []}]",
      "tracker 1 (\"COVID-19\")", "has an empty \"vocabulary\"");
  expect_refused ("[{\"name\": \"COVID-19\", \"vocabulary\": \"mask\"}]",
      "tracker 1 (\"COVID-19\")", "is a string, not an array");
  expect_refused ("[{\"name\": \"COVID-19\", \"vocabulary\": [\"a\", \"\"]}]",
      "tracker 1 (\"COVID-19\")", "phrase 2 that is empty");
  expect_refused ("[{\"name\": \"COVID-19\", \"vocabulary\": [\"a\", 3]}]",
      "tracker 1 (\"COVID-19\")", "phrase 2 that is a number");
  expect_refused ("[{\"name\": \"A\", \"vocabulary\": [\"x\"], "
      "\"vocabulary_\": 1}]", "tracker 1 (\"A\")",
      "unknown member \"vocabulary_\"");
  expect_refused ("[{\"name\": \"A\", \"vocabulary\": [\"x\"]}, "
      "{\"name\": \"A\", \"vocabulary\": [\"y\"]}]", "tracker 2 (\"A\")",
      "same name");
  expect_refused ("[{\"id\": 5123033831841280}]", "tracker 1",
      "write \"5123033831841280\" in quotes");
  expect_refused ("[{\"id\": \"\"}]", "tracker 1",
      "\"id\" that is not a non-empty string");
  expect_refused ("[{\"id\": \"1\", \"name\": \"A\"}]", "tracker 1",
      "has \"id\" and other members");
}

GST_END_TEST;

GST_START_TEST (test_file_errors_name_the_file)
{
  GError *error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("symbl-trackers-XXXXXX", NULL);
  g_autofree gchar *good = g_build_filename (dir, "good.json", NULL);
  g_autofree gchar *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree gchar *missing = g_build_filename (dir, "missing.json", NULL);
  gchar *json;

  g_file_set_contents (good, "[{\"id\": \"42\"}]", -1, NULL);
  g_file_set_contents (bad, "[{\"name\": \"Sales\"}]", -1, NULL);

  json = symbl_trackers_load_file (good, &error);
  fail_unless (error == NULL);
  fail_unless_equals_string (json, "[{\"id\":\"42\"}]");
  g_free (json);

  fail_unless (symbl_trackers_load_file (bad, &error) == NULL);
  fail_unless (g_str_has_prefix (error->message, "tracker 1 (\"Sales\") in "
          "trackers-location "), "%s", error->message);
  fail_unless (strstr (error->message, bad) != NULL);
  g_clear_error (&error);

  fail_unless (symbl_trackers_load_file (missing, &error) == NULL);
  fail_unless (g_error_matches (error, SYMBL_TRACKERS_ERROR,
          SYMBL_TRACKERS_ERROR_READ));
  fail_unless (strstr (error->message, missing) != NULL, "%s", error->message);
  g_clear_error (&error);

  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

GST_END_TEST;

static Suite *
trackers_suite (void)
{
  Suite *s = suite_create ("trackers");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_inline_and_stored_trackers_are_sent_compact);
  tcase_add_test (tc, test_unicode_survives);
  tcase_add_test (tc, test_empty_array_means_no_trackers);
  tcase_add_test (tc, test_each_mistake_names_the_tracker);
  tcase_add_test (tc, test_file_errors_name_the_file);
  return s;
}

GST_CHECK_MAIN (trackers);
