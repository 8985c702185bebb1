#include "config.h"
#include "symblupload.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "symbltrackers.h"

GQuark
symbl_upload_error_quark (void)
{
  return g_quark_from_static_string ("symbl-upload-error-quark");
}

struct _SymblUpload
{
  SymblClient *client;
  SymblRetryPolicy retry;
  gchar *token;
  gchar *query;
  gchar *spool_dir;
  gboolean keep_spool;
};

/* A token goes into a header: refuse what would break or forge one,
 * without echoing the value. */
static gboolean
token_is_valid (const gchar * token)
{
  for (; *token; token++)
    if (*token <= ' ' || *token > '~')
      return FALSE;
  return TRUE;
}

static gchar *
resolve_token (const SymblSettings * settings, GError ** error)
{
  const gchar *token = settings->access_token;
  const gchar *origin = "access-token";

  if (!token) {
    token = g_getenv ("SYMBL_ACCESS_TOKEN");
    origin = "SYMBL_ACCESS_TOKEN";
  }
  if (!token || !*token) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_NO_TOKEN,
        "No Symbl access token: set the access-token property or the "
        "SYMBL_ACCESS_TOKEN environment variable");
    return NULL;
  }
  if (!token_is_valid (token)) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SETTINGS,
        "The token in %s has spaces or characters that an HTTP header "
        "cannot carry", origin);
    return NULL;
  }
  return g_strdup (token);
}

static const gchar *
resolve_api_url (const SymblSettings * settings)
{
  const gchar *url = settings->api_url;

  if (!url)
    url = g_getenv ("SYMBL_API_URL");
  return url && *url ? url : SYMBL_DEFAULT_API_URL;
}

static gboolean
build_query (const SymblSettings * settings, GString * query, GError ** error)
{
  g_autofree gchar *trackers = NULL;
  g_autoptr (GError) trackers_error = NULL;

  if (settings->trackers && settings->trackers_location) {
    g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SETTINGS,
        "Both trackers and trackers-location are set; set one of them");
    return FALSE;
  }
  if (settings->trackers)
    trackers = symbl_trackers_normalise (settings->trackers,
        "the trackers property", &trackers_error);
  else if (settings->trackers_location)
    trackers = symbl_trackers_load_file (settings->trackers_location,
        &trackers_error);
  if (trackers_error) {
    g_propagate_error (error, g_steal_pointer (&trackers_error));
    return FALSE;
  }
  if (trackers)
    symbl_client_append_query (query, "trackers", trackers);
  return TRUE;
}

/* Fails now, before recording, rather than at the first buffer. */
static gboolean
check_spool_dir (const gchar * dir, GError ** error)
{
  g_autofree gchar *probe = g_build_filename (dir, ".symbl-probe-XXXXXX",
      NULL);
  gint fd;

  if (g_mkdir_with_parents (dir, 0700) == 0) {
    fd = g_mkstemp_full (probe, O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) {
      close (fd);
      g_unlink (probe);
      return TRUE;
    }
  }
  g_set_error (error, SYMBL_UPLOAD_ERROR, SYMBL_UPLOAD_ERROR_SPOOL_DIR,
      "spool-dir %s cannot hold recordings: %s", dir, g_strerror (errno));
  return FALSE;
}

SymblUpload *
symbl_upload_new (const SymblSettings * settings, GError ** error)
{
  g_autoptr (GString) query = g_string_new (NULL);
  SymblClientOptions options = {
    .user_agent = symbl_settings_get_user_agent (settings),
    .timeout_s = settings->timeout,
    .ssl_strict = settings->ssl_strict,
    .ssl_ca_file = settings->ssl_ca_file,
    .proxy = settings->proxy,
  };
  g_autofree gchar *spool_dir = NULL;
  SymblUpload *upload;
  SymblClient *client;
  gchar *token;

  token = resolve_token (settings, error);
  if (!token)
    return NULL;
  if (!build_query (settings, query, error)) {
    g_free (token);
    return NULL;
  }
  spool_dir = settings->spool_dir ? g_strdup (settings->spool_dir) :
      symbl_settings_default_spool_dir ();
  if (!check_spool_dir (spool_dir, error)) {
    g_free (token);
    return NULL;
  }
  client = symbl_client_new (resolve_api_url (settings), &options, error);
  if (!client) {
    g_free (token);
    return NULL;
  }

  upload = g_new0 (SymblUpload, 1);
  upload->client = client;
  upload->token = token;
  upload->query = g_string_free (g_steal_pointer (&query), FALSE);
  upload->spool_dir = g_steal_pointer (&spool_dir);
  upload->keep_spool = settings->keep_spool;
  upload->retry.retries = settings->retries;
  upload->retry.backoff_factor = settings->retry_backoff_factor;
  upload->retry.backoff_max = settings->retry_backoff_max;
  return upload;
}

void
symbl_upload_free (SymblUpload * upload)
{
  if (!upload)
    return;
  symbl_client_free (upload->client);
  g_free (upload->token);
  g_free (upload->query);
  g_free (upload->spool_dir);
  g_free (upload);
}

const gchar *
symbl_upload_get_spool_dir (SymblUpload * upload)
{
  return upload->spool_dir;
}

gboolean
symbl_upload_get_keep_spool (SymblUpload * upload)
{
  return upload->keep_spool;
}

static void
fill_submission (SymblUpload * upload, const SymblMediaFormat * format,
    const gchar * file, guint64 size, SymblSubmission * submission)
{
  submission->endpoint = symbl_media_kind_to_string (format->kind);
  submission->conversation_id = NULL;
  submission->query = upload->query;
  submission->token = upload->token;
  submission->content_type = format->content_type;
  submission->file = file;
  submission->size = size;
}

gchar *
symbl_upload_describe (SymblUpload * upload, const SymblMediaFormat * format)
{
  SymblSubmission submission;

  fill_submission (upload, format, NULL, 0, &submission);
  return symbl_client_describe (upload->client, &submission);
}

gboolean
symbl_upload_run (SymblUpload * upload, const gchar * file, guint64 size,
    const SymblMediaFormat * format, SymblRetryFunc on_retry,
    gpointer user_data, SymblJobIds * ids, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  guint max_attempts = upload->retry.retries < 0 ? 0 :
      upload->retry.retries + 1;
  SymblSubmission submission;
  guint attempt;

  fill_submission (upload, format, file, size, &submission);
  for (attempt = 1;; attempt++) {
    GError *attempt_error = NULL;
    gdouble delay;

    if (symbl_client_submit (upload->client, &submission, NULL, NULL, ids,
            response, cancellable, &attempt_error))
      return TRUE;
    if (!symbl_retry_is_transient (attempt_error, response)
        || !symbl_retry_allows_another (&upload->retry, attempt)) {
      g_propagate_error (error, attempt_error);
      return FALSE;
    }

    delay = symbl_retry_delay (&upload->retry, attempt, response);
    if (on_retry)
      on_retry (attempt, max_attempts, attempt_error, response, delay,
          user_data);
    g_error_free (attempt_error);
    if (!symbl_retry_wait (delay, cancellable, error))
      return FALSE;
  }
}
