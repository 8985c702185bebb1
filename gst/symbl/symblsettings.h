/* symblsettings: the properties both sink elements share.
 *
 * Defined once here and installed on symbluploadsink and on symblsink,
 * which forwards them to its inner symbluploadsink by name.
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
} SymblSettings;

/* Installs the shared properties with ids first_id, first_id + 1, ... */
void symbl_settings_install_properties (GObjectClass * klass, guint first_id);
/* TRUE when @pspec is one of the shared properties. */
gboolean symbl_settings_owns (GParamSpec * pspec);

void symbl_settings_clear (SymblSettings * settings);
void symbl_settings_copy (const SymblSettings * from, SymblSettings * to);

/* @id is relative: the property id minus first_id. */
void symbl_settings_set_property (SymblSettings * settings, guint id,
    const GValue * value);
void symbl_settings_get_property (const SymblSettings * settings, guint id,
    GValue * value);

/* The spool directory used when spool-dir is unset. */
gchar *symbl_settings_default_spool_dir (void);

G_END_DECLS
