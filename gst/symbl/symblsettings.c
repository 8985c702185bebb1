#include "symblsettings.h"

#include <string.h>
#include <gst/gst.h>

enum
{
  SETTING_API_URL,
  SETTING_ACCESS_TOKEN,
  SETTING_TRACKERS,
  SETTING_TRACKERS_LOCATION,
  SETTING_SPOOL_DIR,
  SETTING_KEEP_SPOOL,
  N_SETTINGS
};

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)
/* Secrets can be set, never read back: nothing can print them. */
#define SECRET_FLAGS (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

static GQuark settings_quark;

static GParamSpec *
make_pspec (guint setting)
{
  switch (setting) {
    case SETTING_API_URL:
      return g_param_spec_string ("api-url", "API URL",
          "Base URL of the Symbl API: https://, or http:// to a server on "
          "this machine (such as symbl-local-server); unset: the "
          "SYMBL_API_URL environment variable, else " SYMBL_DEFAULT_API_URL,
          SYMBL_DEFAULT_API_URL, FLAGS);
    case SETTING_ACCESS_TOKEN:
      return g_param_spec_string ("access-token", "Access token",
          "Symbl access token, sent as 'Authorization: Bearer'; "
          "unset: the SYMBL_ACCESS_TOKEN environment variable (write-only)",
          NULL, SECRET_FLAGS);
    case SETTING_TRACKERS:
      return g_param_spec_string ("trackers", "Trackers",
          "Trackers as JSON: [{\"name\": \"...\", \"vocabulary\": "
          "[\"...\"]}, {\"id\": \"...\"}]", NULL, FLAGS);
    case SETTING_TRACKERS_LOCATION:
      return g_param_spec_string ("trackers-location", "Trackers location",
          "Path of a JSON file of trackers, in the shape of the trackers "
          "property", NULL, FLAGS);
    case SETTING_SPOOL_DIR:
      return g_param_spec_string ("spool-dir", "Spool directory",
          "Directory the recording is written to before its upload; "
          "unset: $XDG_CACHE_HOME/symbl (~/.cache/symbl)", NULL, FLAGS);
    case SETTING_KEEP_SPOOL:
      return g_param_spec_boolean ("keep-spool", "Keep spool file",
          "Keep the recording on disk after a successful upload "
          "(a failed upload always keeps it)", FALSE, FLAGS);
    default:
      g_assert_not_reached ();
  }
}

void
symbl_settings_install_properties (GObjectClass * klass, guint first_id)
{
  guint i;

  if (!settings_quark)
    settings_quark = g_quark_from_static_string ("symbl-settings");

  for (i = 0; i < N_SETTINGS; i++) {
    GParamSpec *pspec = make_pspec (i);
    g_param_spec_set_qdata (pspec, settings_quark, GINT_TO_POINTER (1));
    g_object_class_install_property (klass, first_id + i, pspec);
  }
}

gboolean
symbl_settings_owns (GParamSpec * pspec)
{
  return g_param_spec_get_qdata (pspec, settings_quark) != NULL;
}

void
symbl_settings_clear (SymblSettings * settings)
{
  g_free (settings->api_url);
  g_free (settings->access_token);
  g_free (settings->trackers);
  g_free (settings->trackers_location);
  g_free (settings->spool_dir);
  memset (settings, 0, sizeof *settings);
}

void
symbl_settings_copy (const SymblSettings * from, SymblSettings * to)
{
  to->api_url = g_strdup (from->api_url);
  to->access_token = g_strdup (from->access_token);
  to->trackers = g_strdup (from->trackers);
  to->trackers_location = g_strdup (from->trackers_location);
  to->spool_dir = g_strdup (from->spool_dir);
  to->keep_spool = from->keep_spool;
}

/* An empty string means unset, as gst-launch users write location="". */
static void
set_string (gchar ** field, const GValue * value)
{
  const gchar *text = g_value_get_string (value);

  g_free (*field);
  *field = (text && *text) ? g_strdup (text) : NULL;
}

void
symbl_settings_set_property (SymblSettings * settings, guint id,
    const GValue * value)
{
  switch (id) {
    case SETTING_API_URL:
      set_string (&settings->api_url, value);
      break;
    case SETTING_ACCESS_TOKEN:
      set_string (&settings->access_token, value);
      break;
    case SETTING_TRACKERS:
      set_string (&settings->trackers, value);
      break;
    case SETTING_TRACKERS_LOCATION:
      set_string (&settings->trackers_location, value);
      break;
    case SETTING_SPOOL_DIR:
      set_string (&settings->spool_dir, value);
      break;
    case SETTING_KEEP_SPOOL:
      settings->keep_spool = g_value_get_boolean (value);
      break;
    default:
      g_assert_not_reached ();
  }
}

void
symbl_settings_get_property (const SymblSettings * settings, guint id,
    GValue * value)
{
  switch (id) {
    case SETTING_API_URL:
      g_value_set_string (value, settings->api_url ? settings->api_url :
          SYMBL_DEFAULT_API_URL);
      break;
    case SETTING_TRACKERS:
      g_value_set_string (value, settings->trackers);
      break;
    case SETTING_TRACKERS_LOCATION:
      g_value_set_string (value, settings->trackers_location);
      break;
    case SETTING_SPOOL_DIR:
      g_value_set_string (value, settings->spool_dir);
      break;
    case SETTING_KEEP_SPOOL:
      g_value_set_boolean (value, settings->keep_spool);
      break;
    default:
      g_assert_not_reached ();
  }
}

gchar *
symbl_settings_default_spool_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "symbl", NULL);
}
