/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: fault parsing and matching.
 *
 * The text form is a comma-separated list of key=value items:
 *   status=N [,retry-after=S] [,body=TEXT]   answer N (body= comes last)
 *   drop=BYTES                               cut the connection mid-body
 *   stall=MS                                 answer late (0: never)
 *   reply=TEXT                               answer success with TEXT (last)
 *   job-fails                                the job ends "failed"
 *   no-continue                              never answer 100 Continue
 *   early=N                                  answer N before the body
 *   trickle=MS                               answer a byte every MS ms
 *   hold=BYTES                               read BYTES of body, then stop
 * plus path=PREFIX and count=N in any position before body=/reply=.
 */
#include "symbllocalfaults.h"

#include <gio/gio.h>
#include <string.h>

#define FAULT_MAX_COUNT 10000

typedef struct
{
  SymblFault *fault;
  gboolean have_kind;
  gboolean have_status_option;  /* retry-after= or body= */
  guint64 count;
} FaultParse;

SymblFault *
symbl_fault_copy (const SymblFault * fault)
{
  SymblFault *copy = g_new (SymblFault, 1);

  *copy = *fault;
  copy->path_prefix = g_strdup (fault->path_prefix);
  copy->body = g_strdup (fault->body);
  return copy;
}

void
symbl_fault_free (SymblFault * fault)
{
  if (!fault)
    return;
  g_free ((gchar *) fault->path_prefix);
  g_free ((gchar *) fault->body);
  g_free (fault);
}

static gboolean
fault_error (GError ** error, const gchar * format, ...)
G_GNUC_PRINTF (2, 3);

     static gboolean fault_error (GError ** error, const gchar * format, ...)
{
  g_autofree gchar *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
parse_number (const gchar * key, const gchar * value, guint64 min,
    guint64 max, guint64 * number, GError ** error)
{
  if (g_ascii_string_to_unsigned (value, 10, min, max, number, NULL))
    return TRUE;
  return fault_error (error, "fault: %s= needs a whole number from %"
      G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, key, min, max);
}

static gboolean
set_kind (FaultParse * parse, SymblFaultKind kind, GError ** error)
{
  if (parse->have_kind)
    return fault_error (error, "fault: give exactly one of status=, drop=, "
        "stall=, reply=, job-fails, no-continue, early=, trickle= and hold=");
  parse->have_kind = TRUE;
  parse->fault->kind = kind;
  return TRUE;
}

static void
replace_string (const gchar ** field, const gchar * value)
{
  g_free ((gchar *) * field);
  *field = g_strdup (value);
}

static gboolean
parse_item (FaultParse * parse, const gchar * key, const gchar * value,
    GError ** error)
{
  SymblFault *fault = parse->fault;
  guint64 number;

  if (g_str_equal (key, "job-fails")) {
    if (value)
      return fault_error (error, "fault: job-fails takes no value");
    return set_kind (parse, SYMBL_FAULT_JOB_FAILS, error);
  }
  if (g_str_equal (key, "no-continue")) {
    if (value)
      return fault_error (error, "fault: no-continue takes no value");
    return set_kind (parse, SYMBL_FAULT_NO_CONTINUE, error);
  }
  if (!*key)
    return fault_error (error, "fault: empty item");
  if (!value)
    return fault_error (error, "fault: \"%s\" is not key=value", key);

  if (g_str_equal (key, "status")) {
    if (!parse_number (key, value, 200, 599, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_STATUS, error))
      return FALSE;
    fault->status = number;
  } else if (g_str_equal (key, "early")) {
    if (!parse_number (key, value, 400, 599, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_EARLY, error))
      return FALSE;
    fault->status = number;
  } else if (g_str_equal (key, "trickle")) {
    if (!parse_number (key, value, 1, 60000, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_TRICKLE, error))
      return FALSE;
    fault->stall_ms = number;
  } else if (g_str_equal (key, "retry-after")) {
    if (!parse_number (key, value, 0, 86400, &number, error))
      return FALSE;
    fault->retry_after_s = number;
    parse->have_status_option = TRUE;
  } else if (g_str_equal (key, "body")) {
    replace_string (&fault->body, value);
    parse->have_status_option = TRUE;
  } else if (g_str_equal (key, "drop")) {
    if (!parse_number (key, value, 0, G_MAXUINT64, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_DROP, error))
      return FALSE;
    fault->after_bytes = number;
  } else if (g_str_equal (key, "hold")) {
    if (!parse_number (key, value, 0, G_MAXUINT64, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_HOLD, error))
      return FALSE;
    fault->after_bytes = number;
  } else if (g_str_equal (key, "stall")) {
    if (!parse_number (key, value, 0, G_MAXUINT, &number, error) ||
        !set_kind (parse, SYMBL_FAULT_STALL, error))
      return FALSE;
    fault->stall_ms = number;
  } else if (g_str_equal (key, "reply")) {
    if (!set_kind (parse, SYMBL_FAULT_REPLY, error))
      return FALSE;
    replace_string (&fault->body, value);
  } else if (g_str_equal (key, "path")) {
    if (value[0] != '/')
      return fault_error (error, "fault: path= must start with '/'");
    replace_string (&fault->path_prefix, value);
  } else if (g_str_equal (key, "count")) {
    if (!parse_number (key, value, 1, FAULT_MAX_COUNT, &number, error))
      return FALSE;
    parse->count = number;
  } else {
    return fault_error (error, "fault: unknown key \"%s\" (known: status, "
        "retry-after, body, drop, stall, reply, job-fails, no-continue, "
        "early, trickle, hold, path, count)", key);
  }
  return TRUE;
}

SymblFault *
symbl_fault_parse (const gchar * text, guint * count, GError ** error)
{
  g_autoptr (SymblFault) fault = g_new0 (SymblFault, 1);
  FaultParse parse = { fault, FALSE, FALSE, 1 };
  const gchar *item = text;

  if (!text || !*text) {
    fault_error (error, "fault: empty text");
    return NULL;
  }

  while (item) {
    const gchar *comma = strchr (item, ',');
    gsize item_length = comma ? (gsize) (comma - item) : strlen (item);
    const gchar *equals = memchr (item, '=', item_length);
    g_autofree gchar *key = NULL;
    g_autofree gchar *value = NULL;

    key = g_strndup (item, equals ? (gsize) (equals - item) : item_length);
    if (equals && (g_str_equal (key, "body") || g_str_equal (key, "reply"))) {
      /* The rest of the text, commas included: JSON is full of them */
      value = g_strdup (equals + 1);
      item = NULL;
    } else {
      if (equals)
        value = g_strndup (equals + 1, item_length - (equals + 1 - item));
      item = comma ? comma + 1 : NULL;
    }

    if (!parse_item (&parse, key, value, error))
      return NULL;
  }

  if (!parse.have_kind) {
    fault_error (error, "fault: needs one of status=, drop=, stall=, reply=, "
        "job-fails, no-continue, early=, trickle= and hold=");
    return NULL;
  }
  if (parse.have_status_option && fault->kind != SYMBL_FAULT_STATUS) {
    fault_error (error, "fault: retry-after= and body= only go with status=");
    return NULL;
  }

  *count = parse.count;
  return g_steal_pointer (&fault);
}

SymblFault *
symbl_fault_queue_take (GQueue * faults, const gchar * path, gboolean is_upload)
{
  GList *link;

  for (link = faults->head; link; link = link->next) {
    SymblFault *fault = link->data;

    if (fault->path_prefix && !g_str_has_prefix (path, fault->path_prefix))
      continue;
    if (fault->kind == SYMBL_FAULT_JOB_FAILS && !is_upload)
      continue;
    g_queue_delete_link (faults, link);
    return fault;
  }
  return NULL;
}
