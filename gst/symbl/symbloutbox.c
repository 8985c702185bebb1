/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbloutbox.h"
#include "symblfileerror.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "symbljson.h"

#define MANIFEST_SUFFIX ".json"
#define MANIFEST_VERSION 1
/* A query holds the trackers, which may be large (1 MiB is the file
 * limit), escaped: room enough, and a bound on what is read. */
#define MAX_MANIFEST_SIZE (8 * 1024 * 1024)

GQuark
symbl_outbox_error_quark (void)
{
  return g_quark_from_static_string ("symbl-outbox-error-quark");
}

static const gchar *const state_names[] = {
  "recording", "ready", "sending", "sent-no-reply", "done", "failed",
};

const gchar *
symbl_outbox_state_to_string (SymblOutboxState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "unknown");
  return state_names[state];
}

static gboolean
state_from_string (const gchar * name, SymblOutboxState * state)
{
  guint i;

  for (i = 0; name && i < G_N_ELEMENTS (state_names); i++) {
    if (g_str_equal (name, state_names[i])) {
      *state = i;
      return TRUE;
    }
  }
  return FALSE;
}

gchar *
symbl_outbox_manifest_path (const gchar * recording)
{
  return g_strconcat (recording, MANIFEST_SUFFIX, NULL);
}

static SymblOutboxEntry *
entry_alloc (void)
{
  SymblOutboxEntry *entry = g_new0 (SymblOutboxEntry, 1);

  entry->lock_fd = -1;
  entry->duration_s = -1;
  return entry;
}

SymblOutboxEntry *
symbl_outbox_entry_new (const gchar * recording, GError ** error)
{
  SymblOutboxEntry *entry = entry_alloc ();

  entry->recording = g_strdup (recording);
  if (!symbl_outbox_entry_claim (entry, error)) {
    symbl_outbox_entry_free (entry);
    return NULL;
  }
  return entry;
}

static void
add_string (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  if (!value)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static gchar *
to_json (SymblOutboxEntry * entry)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *name = g_path_get_basename (entry->recording);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, MANIFEST_VERSION);
  add_string (builder, "recording", name);
  add_string (builder, "state", symbl_outbox_state_to_string (entry->state));
  add_string (builder, "api-url", entry->api_url);
  add_string (builder, "app-id", entry->app_id);
  add_string (builder, "endpoint", entry->endpoint);
  add_string (builder, "method", entry->conversation_id
      || entry->append_to_meeting ? "PUT" : "POST");
  add_string (builder, "conversation-id", entry->conversation_id);
  json_builder_set_member_name (builder, "append-to-meeting");
  json_builder_add_boolean_value (builder, entry->append_to_meeting);
  add_string (builder, "query", entry->query);
  add_string (builder, "content-type", entry->content_type);
  add_string (builder, "meeting-id", entry->meeting_id);
  json_builder_set_member_name (builder, "segment-index");
  json_builder_add_int_value (builder, entry->segment_index);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, entry->size);
  if (entry->duration_s >= 0) {
    json_builder_set_member_name (builder, "duration");
    json_builder_add_double_value (builder, entry->duration_s);
  }
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, entry->attempts);
  add_string (builder, "last-error", entry->last_error);
  add_string (builder, "result-conversation-id", entry->result_conversation_id);
  add_string (builder, "result-job-id", entry->result_job_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static gboolean
write_all (gint fd, const gchar * data, gsize length)
{
  while (length > 0) {
    gssize n = write (fd, data, length);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    data += n;
    length -= n;
  }
  return TRUE;
}

/* The rename is durable only once the directory is synced too. */
static void
sync_directory (const gchar * path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  gint fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  fsync (fd);
  close (fd);
}

gboolean
symbl_outbox_entry_save (SymblOutboxEntry * entry, GError ** error)
{
  g_autofree gchar *path = symbl_outbox_manifest_path (entry->recording);
  g_autofree gchar *temp = g_strconcat (path, ".XXXXXX", NULL);
  g_autofree gchar *json = to_json (entry);
  gint fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);

  if (fd < 0)
    return symbl_file_error (error, errno, "create", temp);
  if (!write_all (fd, json, strlen (json)) || fsync (fd) != 0) {
    symbl_file_error (error, errno, "write", temp);
    close (fd);
    g_unlink (temp);
    return FALSE;
  }
  close (fd);
  if (g_rename (temp, path) != 0) {
    symbl_file_error (error, errno, "rename the manifest to", path);
    g_unlink (temp);
    return FALSE;
  }
  sync_directory (path);
  return TRUE;
}

void
symbl_outbox_entry_set_state (SymblOutboxEntry * entry,
    SymblOutboxState state, const gchar * error_text)
{
  g_autoptr (GError) error = NULL;

  entry->state = state;
  if (error_text) {
    g_free (entry->last_error);
    entry->last_error = g_strdup (error_text);
  }
  if (!symbl_outbox_entry_save (entry, &error))
    g_warning ("The manifest of %s was not updated: %s", entry->recording,
        error->message);
}

static gchar *
dup_member (JsonObject * object, const gchar * name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!node || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gint64
int_member (JsonObject * object, const gchar * name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!node || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return MAX (json_node_get_int (node), 0);
}

static gboolean
from_json (SymblOutboxEntry * entry, const gchar * manifest_path,
    const gchar * data, gsize length, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *name = NULL;
  g_autofree gchar *state = NULL;
  g_autofree gchar *dir = NULL;
  JsonObject *object;
  JsonNode *root, *duration;

  if (!symbl_json_depth_ok (data, length)
      || !json_parser_load_from_data (parser, data, length, NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT
      (root))
    goto malformed;
  object = json_node_get_object (root);
  name = dup_member (object, "recording");
  state = dup_member (object, "state");
  /* The recording is beside its manifest, whatever the manifest says. */
  if (!name || strchr (name, '/') || !state_from_string (state, &entry->state))
    goto malformed;

  dir = g_path_get_dirname (manifest_path);
  g_free (entry->recording);
  entry->recording = g_build_filename (dir, name, NULL);
#define REPLACE(field, member) \
  g_free (entry->field); entry->field = dup_member (object, member)
  REPLACE (api_url, "api-url");
  REPLACE (app_id, "app-id");
  REPLACE (endpoint, "endpoint");
  REPLACE (conversation_id, "conversation-id");
  REPLACE (query, "query");
  REPLACE (content_type, "content-type");
  REPLACE (meeting_id, "meeting-id");
  REPLACE (last_error, "last-error");
  REPLACE (result_conversation_id, "result-conversation-id");
  REPLACE (result_job_id, "result-job-id");
#undef REPLACE
  entry->append_to_meeting = json_object_get_boolean_member_with_default
      (object, "append-to-meeting", FALSE);
  entry->segment_index = int_member (object, "segment-index");
  entry->size = int_member (object, "size");
  entry->attempts = int_member (object, "attempts");
  duration = json_object_get_member (object, "duration");
  entry->duration_s = duration && JSON_NODE_HOLDS_VALUE (duration) ?
      json_node_get_double (duration) : -1;
  if (!entry->endpoint || (!g_str_equal (entry->endpoint, "audio")
          && !g_str_equal (entry->endpoint, "video")))
    goto malformed;
  return TRUE;

malformed:
  g_set_error (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_MANIFEST,
      "%s is not a symbl manifest", manifest_path);
  return FALSE;
}

static gboolean
read_manifest (SymblOutboxEntry * entry, const gchar * manifest_path,
    GError ** error)
{
  g_autofree gchar *data = NULL;
  gsize length;
  GStatBuf st;

  if (g_stat (manifest_path, &st) != 0)
    return symbl_file_error (error, errno, "read", manifest_path);
  if (st.st_size > MAX_MANIFEST_SIZE) {
    g_set_error (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_MANIFEST,
        "%s is larger than a manifest can be", manifest_path);
    return FALSE;
  }
  if (!g_file_get_contents (manifest_path, &data, &length, error))
    return FALSE;
  return from_json (entry, manifest_path, data, length, error);
}

SymblOutboxEntry *
symbl_outbox_entry_load (const gchar * manifest_path, GError ** error)
{
  SymblOutboxEntry *entry = entry_alloc ();

  if (!read_manifest (entry, manifest_path, error)) {
    symbl_outbox_entry_free (entry);
    return NULL;
  }
  return entry;
}

gboolean
symbl_outbox_entry_claim (SymblOutboxEntry * entry, GError ** error)
{
  g_autofree gchar *manifest = NULL;
  gint fd;

  if (entry->lock_fd >= 0)
    return TRUE;
  fd = open (entry->recording, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return symbl_file_error (error, errno, "open", entry->recording);
  if (flock (fd, LOCK_EX | LOCK_NB) != 0) {
    gint saved_errno = errno;

    close (fd);
    if (saved_errno == EWOULDBLOCK) {
      g_set_error (error, SYMBL_OUTBOX_ERROR, SYMBL_OUTBOX_ERROR_BUSY,
          "%s is being recorded or sent by another element or process",
          entry->recording);
      return FALSE;
    }
    errno = saved_errno;
    return symbl_file_error (error, errno, "lock", entry->recording);
  }
  entry->lock_fd = fd;

  manifest = symbl_outbox_manifest_path (entry->recording);
  if (g_file_test (manifest, G_FILE_TEST_EXISTS)
      && !read_manifest (entry, manifest, error)) {
    close (g_steal_fd (&entry->lock_fd));
    return FALSE;
  }
  return TRUE;
}

void
symbl_outbox_entry_remove (SymblOutboxEntry * entry)
{
  g_autofree gchar *manifest = symbl_outbox_manifest_path (entry->recording);

  /* The manifest last: a recording is never left without one. */
  g_unlink (entry->recording);
  g_unlink (manifest);
}

void
symbl_outbox_entry_free (SymblOutboxEntry * entry)
{
  if (!entry)
    return;
  if (entry->lock_fd >= 0)
    close (entry->lock_fd);
  g_free (entry->recording);
  g_free (entry->api_url);
  g_free (entry->app_id);
  g_free (entry->endpoint);
  g_free (entry->conversation_id);
  g_free (entry->query);
  g_free (entry->content_type);
  g_free (entry->meeting_id);
  g_free (entry->last_error);
  g_free (entry->result_conversation_id);
  g_free (entry->result_job_id);
  g_free (entry);
}

static gint
compare_entries (gconstpointer a, gconstpointer b)
{
  const SymblOutboxEntry *x = *(SymblOutboxEntry **) a;
  const SymblOutboxEntry *y = *(SymblOutboxEntry **) b;
  gint by_meeting = g_strcmp0 (x->meeting_id, y->meeting_id);

  if (by_meeting)
    return by_meeting;
  if (x->segment_index != y->segment_index)
    return x->segment_index < y->segment_index ? -1 : 1;
  return g_strcmp0 (x->recording, y->recording);
}

GPtrArray *
symbl_outbox_list (const gchar * dir, GPtrArray * problems, GError ** error)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, error);
  GPtrArray *entries;
  const gchar *name;

  if (!listing)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
      symbl_outbox_entry_free);
  while ((name = g_dir_read_name (listing))) {
    g_autofree gchar *path = NULL;
    g_autoptr (GError) load_error = NULL;
    SymblOutboxEntry *entry;

    if (!g_str_has_suffix (name, MANIFEST_SUFFIX))
      continue;
    path = g_build_filename (dir, name, NULL);
    entry = symbl_outbox_entry_load (path, &load_error);
    if (entry)
      g_ptr_array_add (entries, entry);
    else if (problems)
      g_ptr_array_add (problems, g_strdup (load_error->message));
  }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}
