/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-outbox: lists and finishes the uploads that a crash, a kill or a
 * stop left in a spool directory, from the manifests beside them
 * (gst/symbl/symbloutbox.h).
 *
 *   symbl-outbox list [--spool-dir D]
 *   symbl-outbox send [--spool-dir D] [--api-url URL] [--resend-unanswered]
 *   symbl-outbox forget FILE
 *
 * Credentials come from the environment, as for the elements:
 * SYMBL_ACCESS_TOKEN, or SYMBL_APP_ID and SYMBL_APP_SECRET. The API's URL
 * is the manifest's, unless --api-url or SYMBL_API_URL names one.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "symbloutbox.h"
#include "symblresume.h"
#include "symblsettings.h"

static gchar *spool_dir;
static gchar *api_url;
static gboolean resend_unanswered;

static GOptionEntry options[] = {
  {"spool-dir", 'd', 0, G_OPTION_ARG_FILENAME, &spool_dir,
      "The spool directory (default: the elements' default)", "DIR"},
  {"api-url", 0, 0, G_OPTION_ARG_STRING, &api_url,
      "Send to this API instead of the manifests' (or SYMBL_API_URL)", "URL"},
  {"resend-unanswered", 0, 0, G_OPTION_ARG_NONE, &resend_unanswered,
      "Also send again what was sent but never answered (Symbl may have "
        "made a job of it: a second one would be billed)", NULL},
  {NULL},
};

static void
print_entry (const SymblOutboxEntry * entry)
{
  g_autofree gchar *duration = entry->duration_s >= 0 ?
      g_strdup_printf ("%.1f s", entry->duration_s) : g_strdup ("?");

  printf ("%s\t%" G_GUINT64_FORMAT " bytes\t%s\t%s\t%u attempt%s%s%s\n",
      entry->recording, entry->size, duration,
      symbl_outbox_state_to_string (entry->state), entry->attempts,
      entry->attempts == 1 ? "" : "s", entry->last_error ? "\t" : "",
      entry->last_error ? entry->last_error : "");
}

static GPtrArray *
list_entries (void)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = symbl_outbox_list (spool_dir, problems, &error);
  guint i;

  if (!entries)
    g_printerr ("symbl-outbox: %s\n", error->message);
  for (i = 0; i < problems->len; i++)
    g_printerr ("symbl-outbox: skipped: %s\n",
        (gchar *) g_ptr_array_index (problems, i));
  return entries;
}

static gint
list (void)
{
  g_autoptr (GPtrArray) entries = list_entries ();
  guint i;

  if (!entries)
    return 1;
  for (i = 0; i < entries->len; i++) {
    SymblOutboxEntry *entry = g_ptr_array_index (entries, i);

    if (entry->state != SYMBL_OUTBOX_DONE)
      print_entry (entry);
  }
  return 0;
}

typedef struct
{
  GHashTable *uploaders;        /* by API URL */
} Sender;

/* One uploader per API: the settings are the environment's. */
static SymblUpload *
uploader_for (const gchar * manifest_url, gpointer user_data, gchar ** why)
{
  Sender *sender = user_data;
  const gchar *env_url = g_getenv ("SYMBL_API_URL");
  const gchar *url = api_url ? api_url : env_url && *env_url ? env_url :
      manifest_url;
  SymblUpload *upload = g_hash_table_lookup (sender->uploaders, url);
  g_autoptr (GPtrArray) advice = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  SymblSettings settings;
  guint i;

  if (upload)
    return upload;
  symbl_settings_init (&settings);
  settings.api_url = g_strdup (url);
  settings.spool_dir = g_strdup (spool_dir);
  upload = symbl_upload_new (&settings, advice, &error);
  symbl_settings_clear (&settings);
  for (i = 0; i < advice->len; i++)
    g_printerr ("symbl-outbox: %s\n", (gchar *) g_ptr_array_index (advice, i));
  if (!upload) {
    *why = g_strdup_printf ("cannot send to %s: %s", url, error->message);
    return NULL;
  }
  g_hash_table_insert (sender->uploaders, g_strdup (url), upload);
  return upload;
}

static void
on_sending (const SymblOutboxEntry * entry, gboolean repaired,
    gpointer user_data)
{
  if (repaired)
    printf ("repaired the WAV header of %s from its size\n", entry->recording);
  printf ("sending %s (%" G_GUINT64_FORMAT " bytes)\n", entry->recording,
      entry->size);
}

static void
on_sent (const SymblOutboxEntry * entry, const SymblJobIds * ids,
    gpointer user_data)
{
  printf ("conversation-id=%s job-id=%s %s\n", ids->conversation_id,
      ids->job_id, entry->recording);
}

static void
on_failed (const SymblOutboxEntry * entry, const GError * error,
    gpointer user_data)
{
  g_printerr ("symbl-outbox: %s: %s\n", entry->recording, error->message);
}

/* A long wait (full job slots can last minutes) says why it waits. */
static void
on_retry (guint attempt, guint max_attempts, const GError * error,
    const SymblResponse * response, gdouble delay, gboolean slots_full,
    gpointer user_data)
{
  g_printerr ("symbl-outbox: %s (%s); trying again in %.1f s\n",
      slots_full ? "the account's job slots are full" : "an attempt failed",
      error->message, delay);
}

static void
on_skipped (const gchar * why, gpointer user_data)
{
  g_printerr ("symbl-outbox: skipped: %s\n", why);
}

static gint
send_all (void)
{
  Sender sender = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) symbl_upload_free)
  };
  SymblResumeCallbacks callbacks = { uploader_for, on_sending, on_sent,
    on_failed, on_skipped, &sender, {on_retry, NULL, NULL, NULL}
  };
  g_autoptr (GError) error = NULL;
  gint failed = symbl_resume (spool_dir, resend_unanswered, &callbacks, NULL,
      &error);

  g_hash_table_unref (sender.uploaders);
  if (failed < 0)
    g_printerr ("symbl-outbox: %s\n", error->message);
  return failed == 0 ? 0 : 1;
}

static gint
forget (const gchar * recording)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *manifest = symbl_outbox_manifest_path (recording);
  g_autoptr (SymblOutboxEntry) entry = symbl_outbox_entry_load (manifest,
      &error);

  if (!entry || !symbl_outbox_entry_claim (entry, &error)) {
    g_printerr ("symbl-outbox: %s\n", error->message);
    return 1;
  }
  symbl_outbox_entry_remove (entry);
  printf ("forgot %s\n", recording);
  return 0;
}

gint
main (gint argc, gchar ** argv)
{
  g_autoptr (GOptionContext) context =
      g_option_context_new ("list | send | forget FILE");
  g_autoptr (GError) error = NULL;
  const gchar *command;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, options, NULL);
  g_option_context_set_summary (context, "Lists and finishes the uploads "
      "that a crash, a kill or a stop left in a spool directory.");
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("symbl-outbox: %s\n", error->message);
    return 2;
  }
  command = argc > 1 ? argv[1] : "";
  if (!spool_dir)
    spool_dir = symbl_settings_default_spool_dir ();

  if (g_str_equal (command, "list") && argc == 2)
    return list ();
  if (g_str_equal (command, "send") && argc == 2)
    return send_all ();
  if (g_str_equal (command, "forget") && argc == 3)
    return forget (argv[2]);
  g_printerr ("%s", g_option_context_get_help (context, TRUE, NULL));
  return 2;
}
