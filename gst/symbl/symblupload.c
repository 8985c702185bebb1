#include "config.h"
#include "symblupload.h"

#include "symbltrackers.h"

#define USER_AGENT "GStreamer symblsink/" VERSION
#define DEFAULT_TIMEOUT_S 60

GQuark
symbl_upload_error_quark (void)
{
  return g_quark_from_static_string ("symbl-upload-error-quark");
}

struct _SymblUpload
{
  SymblClient *client;
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

SymblUpload *
symbl_upload_new (const SymblSettings * settings, GError ** error)
{
  g_autoptr (GString) query = g_string_new (NULL);
  SymblClientOptions options = {
    .user_agent = USER_AGENT,
    .timeout_s = DEFAULT_TIMEOUT_S,
    .ssl_strict = TRUE,
  };
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
  client = symbl_client_new (resolve_api_url (settings), &options, error);
  if (!client) {
    g_free (token);
    return NULL;
  }

  upload = g_new0 (SymblUpload, 1);
  upload->client = client;
  upload->token = token;
  upload->query = g_string_free (g_steal_pointer (&query), FALSE);
  upload->spool_dir = settings->spool_dir ? g_strdup (settings->spool_dir) :
      symbl_settings_default_spool_dir ();
  upload->keep_spool = settings->keep_spool;
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
    const SymblMediaFormat * format, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  SymblSubmission submission;

  fill_submission (upload, format, file, size, &submission);
  return symbl_client_submit (upload->client, &submission, NULL, NULL, ids,
      response, cancellable, error);
}
