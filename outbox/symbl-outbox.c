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
#include <unistd.h>
#include <glib/gstdio.h>

#include "symbloutbox.h"
#include "symblsettings.h"
#include "symblupload.h"
#include "symblwavrepair.h"

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

/* One uploader per API: the settings are the environment's. */
static SymblUpload *
uploader_for (GHashTable * uploaders, const gchar * url, GError ** error)
{
  SymblUpload *upload = g_hash_table_lookup (uploaders, url);
  g_autoptr (GPtrArray) advice = g_ptr_array_new_with_free_func (g_free);
  SymblSettings settings;
  guint i;

  if (upload)
    return upload;
  symbl_settings_init (&settings);
  settings.api_url = g_strdup (url);
  settings.spool_dir = g_strdup (spool_dir);
  upload = symbl_upload_new (&settings, advice, error);
  symbl_settings_clear (&settings);
  for (i = 0; i < advice->len; i++)
    g_printerr ("symbl-outbox: %s\n", (gchar *) g_ptr_array_index (advice, i));
  if (upload)
    g_hash_table_insert (uploaders, g_strdup (url), upload);
  return upload;
}

/* The conversation that segment 0 of @entry's meeting got: from this
 * run, or from its manifest, which another process may have updated. */
static gchar *
meeting_conversation (GPtrArray * entries, const SymblOutboxEntry * entry)
{
  guint i;

  for (i = 0; i < entries->len; i++) {
    SymblOutboxEntry *first = g_ptr_array_index (entries, i);
    g_autofree gchar *manifest = NULL;
    g_autoptr (SymblOutboxEntry) on_disk = NULL;

    if (first->segment_index != 0
        || g_strcmp0 (first->meeting_id, entry->meeting_id) != 0)
      continue;
    if (first->state == SYMBL_OUTBOX_DONE)
      return g_strdup (first->result_conversation_id);
    manifest = symbl_outbox_manifest_path (first->recording);
    on_disk = symbl_outbox_entry_load (manifest, NULL);
    if (on_disk && on_disk->state == SYMBL_OUTBOX_DONE)
      return g_strdup (on_disk->result_conversation_id);
  }
  return NULL;
}

static gboolean
should_send (const SymblOutboxEntry * entry)
{
  return entry->state != SYMBL_OUTBOX_DONE
      && (entry->state != SYMBL_OUTBOX_SENT_NO_REPLY || resend_unanswered);
}

static guint64
file_size (const gchar * path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

/* Sends one recording, claimed; FALSE with @error when it failed. */
static gboolean
send_entry (GHashTable * uploaders, GPtrArray * entries,
    SymblOutboxEntry * entry, GError ** error)
{
  const gchar *url = api_url ? api_url : g_getenv ("SYMBL_API_URL");
  SymblUploadCallbacks callbacks = { NULL, NULL, NULL, NULL };
  SymblResponse response = { 0, NULL, -1 };
  SymblJobIds ids = { NULL, NULL };
  SymblUpload *upload;
  gboolean ok, repaired;

  if (entry->append_to_meeting) {
    entry->conversation_id = meeting_conversation (entries, entry);
    if (!entry->conversation_id) {
      g_set_error (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_MANIFEST,
          "segment %u of meeting %s is appended to the conversation of its "
          "segment 0, which has none yet", entry->segment_index,
          entry->meeting_id);
      return FALSE;
    }
    entry->append_to_meeting = FALSE;
  }
  upload = uploader_for (uploaders, url && *url ? url : entry->api_url, error);
  if (!upload)
    return FALSE;
  /* What is on disk is what goes, even if a crash cut it short: then a
   * WAV's header still holds wavenc's placeholder sizes. */
  if (!symbl_wav_repair (entry->recording, &repaired, error))
    return FALSE;
  if (repaired)
    printf ("repaired the WAV header of %s from its size\n",
        entry->recording);
  entry->size = file_size (entry->recording);
  printf ("sending %s (%" G_GUINT64_FORMAT " bytes)\n", entry->recording,
      entry->size);
  ok = symbl_upload_send (upload, entry, &callbacks, &ids, &response, NULL,
      error);
  if (ok)
    printf ("conversation-id=%s job-id=%s %s\n", ids.conversation_id,
        ids.job_id, entry->recording);
  symbl_job_ids_clear (&ids);
  symbl_response_clear (&response);
  return ok;
}

/* Claims @entry if it is still to be sent. A recording gone, or done by
 * now, is someone else's success: skipped without a word. */
static gboolean
claim (SymblOutboxEntry * entry, gboolean * busy)
{
  g_autoptr (GError) error = NULL;

  *busy = FALSE;
  if (symbl_outbox_entry_claim (entry, &error))
    return should_send (entry);
  if (g_error_matches (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_BUSY)) {
    *busy = TRUE;
    g_printerr ("symbl-outbox: skipped: %s\n", error->message);
  } else if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    g_printerr ("symbl-outbox: %s\n", error->message);
  }
  return FALSE;
}

/* What this run sent goes, with its manifest; but a meeting's segment 0
 * keeps its manifest while later ones may need its conversation. */
static void
remove_sent (GPtrArray * entries, GHashTable * sent)
{
  guint i, j;

  for (i = 0; i < entries->len; i++) {
    SymblOutboxEntry *entry = g_ptr_array_index (entries, i);
    gboolean needed = FALSE;

    if (!g_hash_table_contains (sent, entry))
      continue;
    for (j = 0; entry->meeting_id && j < entries->len; j++) {
      SymblOutboxEntry *other = g_ptr_array_index (entries, j);

      needed |= other != entry && other->state != SYMBL_OUTBOX_DONE
          && g_strcmp0 (other->meeting_id, entry->meeting_id) == 0;
    }
    if (needed)
      g_unlink (entry->recording);
    else
      symbl_outbox_entry_remove (entry);
  }
}

static gint
send_all (void)
{
  g_autoptr (GPtrArray) entries = list_entries ();
  g_autoptr (GHashTable) uploaders = g_hash_table_new_full (g_str_hash,
      g_str_equal, g_free, (GDestroyNotify) symbl_upload_free);
  g_autoptr (GHashTable) stalled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) sent = g_hash_table_new (NULL, NULL);
  guint i, failed = 0;

  if (!entries)
    return 1;
  for (i = 0; i < entries->len; i++) {
    SymblOutboxEntry *entry = g_ptr_array_index (entries, i);
    g_autoptr (GError) error = NULL;
    gboolean busy, ok;

    /* A meeting's segments go in order: none after one that did not. */
    if (!should_send (entry) || (entry->meeting_id
            && g_hash_table_contains (stalled, entry->meeting_id)))
      continue;
    if (!claim (entry, &busy)) {
      if (busy && entry->meeting_id)
        g_hash_table_add (stalled, entry->meeting_id);
      continue;
    }
    ok = send_entry (uploaders, entries, entry, &error);
    if (ok)
      g_hash_table_add (sent, entry);
    else {
      g_printerr ("symbl-outbox: %s: %s\n", entry->recording, error->message);
      failed++;
      if (entry->meeting_id)
        g_hash_table_add (stalled, entry->meeting_id);
    }
    /* Let go at once: the next may be another process's to send. */
    close (g_steal_fd (&entry->lock_fd));
  }
  remove_sent (entries, sent);
  return failed ? 1 : 0;
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
