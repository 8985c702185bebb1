#include "config.h"
#include "symblsettings.h"

#include <string.h>
#include <gst/gst.h>

#define DEFAULT_TIMEOUT_S 60
#define DEFAULT_RETRIES 3
#define DEFAULT_BACKOFF_FACTOR 1.0
#define DEFAULT_BACKOFF_MAX 60.0
#define DEFAULT_USER_AGENT "GStreamer symblsink/" VERSION

typedef enum
{
  KIND_STRING,
  KIND_SECRET,                  /* a string that can be set, never read */
  KIND_BOOLEAN,
  KIND_INT,
  KIND_UINT,
  KIND_DOUBLE,
} SettingKind;

typedef struct
{
  const gchar *name;
  const gchar *nick;
  const gchar *blurb;
  SettingKind kind;
  gsize offset;                 /* of the field in SymblSettings */
  const gchar *default_string;
  gdouble minimum, maximum, default_number;
} SettingSpec;

#define FIELD(f) G_STRUCT_OFFSET (SymblSettings, f)

static const SettingSpec specs[] = {
  {"api-url", "API URL",
        "Base URL of the Symbl API: https://, or http:// to a server on this "
        "machine (such as symbl-local-server); unset: the SYMBL_API_URL "
        "environment variable, else " SYMBL_DEFAULT_API_URL,
      KIND_STRING, FIELD (api_url), SYMBL_DEFAULT_API_URL},
  {"access-token", "Access token",
        "Symbl access token, sent as 'Authorization: Bearer'; unset: the "
        "SYMBL_ACCESS_TOKEN environment variable (write-only)",
      KIND_SECRET, FIELD (access_token)},
  {"trackers", "Trackers",
        "Trackers as JSON: [{\"name\": \"...\", \"vocabulary\": [\"...\"]}, "
        "{\"id\": \"...\"}]",
      KIND_STRING, FIELD (trackers)},
  {"trackers-location", "Trackers location",
        "Path of a JSON file of trackers, in the shape of the trackers "
        "property",
      KIND_STRING, FIELD (trackers_location)},
  {"spool-dir", "Spool directory",
        "Directory the recording is written to before its upload; unset: "
        "$XDG_CACHE_HOME/symbl (~/.cache/symbl)",
      KIND_STRING, FIELD (spool_dir)},
  {"keep-spool", "Keep spool file",
        "Keep the recording on disk after a successful upload (a recording "
        "that was not uploaded is always kept)",
      KIND_BOOLEAN, FIELD (keep_spool), NULL, 0, 1, FALSE},
  {"timeout", "Timeout",
        "Seconds without any progress after which a request is abandoned "
        "and retried (0: never)",
      KIND_UINT, FIELD (timeout), NULL, 0, 3600, DEFAULT_TIMEOUT_S},
  {"retries", "Retries",
        "How many times a failed upload is retried (-1: until it succeeds "
        "or the element stops)",
      KIND_INT, FIELD (retries), NULL, -1, G_MAXINT, DEFAULT_RETRIES},
  {"retry-backoff-factor", "Retry backoff factor",
        "Seconds before the first retry; each next one waits twice as long",
        KIND_DOUBLE, FIELD (retry_backoff_factor), NULL, 0, 3600,
      DEFAULT_BACKOFF_FACTOR},
  {"retry-backoff-max", "Retry backoff maximum",
        "The longest wait between two attempts, in seconds",
        KIND_DOUBLE, FIELD (retry_backoff_max), NULL, 0, 86400,
      DEFAULT_BACKOFF_MAX},
  {"ssl-strict", "SSL strict",
        "Refuse a server whose TLS certificate does not check out",
      KIND_BOOLEAN, FIELD (ssl_strict), NULL, 0, 1, TRUE},
  {"ssl-ca-file", "SSL CA file",
        "PEM file of the certificate authorities to trust instead of the "
        "system's",
      KIND_STRING, FIELD (ssl_ca_file)},
  {"proxy", "Proxy",
        "HTTP proxy URL, such as http://proxy:3128; unset: the https_proxy, "
        "http_proxy and no_proxy environment variables",
      KIND_STRING, FIELD (proxy)},
  {"user-agent", "User agent",
        "The User-Agent header of every request",
      KIND_STRING, FIELD (user_agent), DEFAULT_USER_AGENT},
};

#define N_SPECS G_N_ELEMENTS (specs)
G_STATIC_ASSERT (N_SPECS <= 64);

#define FLAGS (G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)

static GParamSpec *
make_pspec (const SettingSpec * s)
{
  switch (s->kind) {
    case KIND_STRING:
      return g_param_spec_string (s->name, s->nick, s->blurb,
          s->default_string, G_PARAM_READWRITE | FLAGS);
    case KIND_SECRET:
      /* Nothing can print what nothing can read. */
      return g_param_spec_string (s->name, s->nick, s->blurb, NULL,
          G_PARAM_WRITABLE | FLAGS);
    case KIND_BOOLEAN:
      return g_param_spec_boolean (s->name, s->nick, s->blurb,
          s->default_number != 0, G_PARAM_READWRITE | FLAGS);
    case KIND_INT:
      return g_param_spec_int (s->name, s->nick, s->blurb, s->minimum,
          s->maximum, s->default_number, G_PARAM_READWRITE | FLAGS);
    case KIND_UINT:
      return g_param_spec_uint (s->name, s->nick, s->blurb, s->minimum,
          s->maximum, s->default_number, G_PARAM_READWRITE | FLAGS);
    case KIND_DOUBLE:
      return g_param_spec_double (s->name, s->nick, s->blurb, s->minimum,
          s->maximum, s->default_number, G_PARAM_READWRITE | FLAGS);
  }
  g_assert_not_reached ();
}

void
symbl_settings_install_properties (GObjectClass * klass, guint first_id)
{
  guint i;

  for (i = 0; i < N_SPECS; i++)
    g_object_class_install_property (klass, first_id + i,
        make_pspec (&specs[i]));
}

#define AT(settings, s, type) \
    ((type *) G_STRUCT_MEMBER_P (settings, (s)->offset))

static gboolean
is_string (const SettingSpec * s)
{
  return s->kind == KIND_STRING || s->kind == KIND_SECRET;
}

void
symbl_settings_init (SymblSettings * settings)
{
  guint i;

  memset (settings, 0, sizeof *settings);
  for (i = 0; i < N_SPECS; i++) {
    const SettingSpec *s = &specs[i];

    switch (s->kind) {
      case KIND_BOOLEAN:
        *AT (settings, s, gboolean) = s->default_number != 0;
        break;
      case KIND_INT:
        *AT (settings, s, gint) = s->default_number;
        break;
      case KIND_UINT:
        *AT (settings, s, guint) = s->default_number;
        break;
      case KIND_DOUBLE:
        *AT (settings, s, gdouble) = s->default_number;
        break;
      default:
        break;                  /* strings start unset */
    }
  }
}

void
symbl_settings_clear (SymblSettings * settings)
{
  guint i;

  for (i = 0; i < N_SPECS; i++)
    if (is_string (&specs[i]))
      g_clear_pointer (AT (settings, &specs[i], gchar *), g_free);
  memset (settings, 0, sizeof *settings);
}

void
symbl_settings_copy (const SymblSettings * from, SymblSettings * to)
{
  guint i;

  *to = *from;
  for (i = 0; i < N_SPECS; i++)
    if (is_string (&specs[i]))
      *AT (to, &specs[i], gchar *) = g_strdup (*AT (from, &specs[i], gchar *));
}

void
symbl_settings_set_property (SymblSettings * settings, guint id,
    const GValue * value)
{
  const SettingSpec *s = &specs[id];

  g_return_if_fail (id < N_SPECS);

  switch (s->kind) {
    case KIND_STRING:
    case KIND_SECRET:{
      const gchar *text = g_value_get_string (value);
      gchar **field = AT (settings, s, gchar *);

      g_free (*field);
      /* An empty string means unset, as gst-launch users write "". */
      *field = (text && *text) ? g_strdup (text) : NULL;
      if (!*field) {
        settings->set &= ~(G_GUINT64_CONSTANT (1) << id);
        return;
      }
      break;
    }
    case KIND_BOOLEAN:
      *AT (settings, s, gboolean) = g_value_get_boolean (value);
      break;
    case KIND_INT:
      *AT (settings, s, gint) = g_value_get_int (value);
      break;
    case KIND_UINT:
      *AT (settings, s, guint) = g_value_get_uint (value);
      break;
    case KIND_DOUBLE:
      *AT (settings, s, gdouble) = g_value_get_double (value);
      break;
  }
  settings->set |= G_GUINT64_CONSTANT (1) << id;
}

void
symbl_settings_get_property (const SymblSettings * settings, guint id,
    GValue * value)
{
  const SettingSpec *s = &specs[id];

  g_return_if_fail (id < N_SPECS);

  switch (s->kind) {
    case KIND_STRING:{
      const gchar *text = *AT (settings, s, gchar *);
      g_value_set_string (value, text ? text : s->default_string);
      break;
    }
    case KIND_SECRET:
      g_assert_not_reached ();  /* not readable */
    case KIND_BOOLEAN:
      g_value_set_boolean (value, *AT (settings, s, gboolean));
      break;
    case KIND_INT:
      g_value_set_int (value, *AT (settings, s, gint));
      break;
    case KIND_UINT:
      g_value_set_uint (value, *AT (settings, s, guint));
      break;
    case KIND_DOUBLE:
      g_value_set_double (value, *AT (settings, s, gdouble));
      break;
  }
}

gboolean
symbl_settings_is_set (const SymblSettings * settings, const gchar * name)
{
  guint i;

  for (i = 0; i < N_SPECS; i++)
    if (g_str_equal (specs[i].name, name))
      return (settings->set >> i) & 1;
  g_return_val_if_reached (FALSE);
}

const gchar *
symbl_settings_get_user_agent (const SymblSettings * settings)
{
  return settings->user_agent ? settings->user_agent : DEFAULT_USER_AGENT;
}

gchar *
symbl_settings_default_spool_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "symbl", NULL);
}
