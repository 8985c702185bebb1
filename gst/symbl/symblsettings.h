/* symblsettings: the properties both sink elements share.
 *
 * Described once, in a table, installed on symbluploadsink and on
 * symblsink (which forwards them to its inner symbluploadsink by name).
 * The settings remember which properties the user set, so that API
 * options left alone are not sent and the API's defaults apply.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SYMBL_DEFAULT_API_URL "https://api.symbl.ai"

/* NULL strings are unset. */
typedef struct
{
  gchar *api_url;
  gchar *access_token;
  gchar *trackers;
  gchar *trackers_location;
  gchar *spool_dir;
  gboolean keep_spool;

  /* The HTTP side, named as souphttpsrc names them. */
  guint timeout;
  gint retries;
  gdouble retry_backoff_factor;
  gdouble retry_backoff_max;
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  gchar *proxy;
  gchar *user_agent;

  guint64 set;                  /* bit i: setting i was set by the user */
} SymblSettings;

/* Installs the shared properties with ids first_id, first_id + 1, ... */
void symbl_settings_install_properties (GObjectClass * klass, guint first_id);

void symbl_settings_init (SymblSettings * settings);
void symbl_settings_clear (SymblSettings * settings);
void symbl_settings_copy (const SymblSettings * from, SymblSettings * to);

/* @id is relative: the property id minus first_id. */
void symbl_settings_set_property (SymblSettings * settings, guint id,
    const GValue * value);
void symbl_settings_get_property (const SymblSettings * settings, guint id,
    GValue * value);
/* TRUE when the user set the property @name. */
gboolean symbl_settings_is_set (const SymblSettings * settings,
    const gchar * name);

/* The User-Agent to send: the property, or "GStreamer symblsink/<version>". */
const gchar *symbl_settings_get_user_agent (const SymblSettings * settings);

/* The spool directory used when spool-dir is unset. */
gchar *symbl_settings_default_spool_dir (void);

G_END_DECLS
