/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

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

/* Symbl's recognition mode: phone for narrowband (8 kHz) calls. */
typedef enum
{
  SYMBL_MODE_AUTO,              /* phone when the input is 8 kHz or less */
  SYMBL_MODE_DEFAULT,
  SYMBL_MODE_PHONE,
} SymblMode;

#define SYMBL_TYPE_MODE (symbl_mode_get_type ())
GType symbl_mode_get_type (void);

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
  guint queue_timeout;          /* s to wait for a job slot, 0: forever */
  gboolean ssl_strict;
  gchar *ssl_ca_file;
  gchar *proxy;
  gchar *user_agent;

  /* Authentication by app credentials, and appending. */
  gchar *app_id;
  gchar *app_secret;
  gchar *conversation_id;

  /* The Async API's options, sent only when set. */
  gchar *name;
  gchar *webhook_url;
  gchar *custom_vocabulary;     /* JSON array of strings */
  gdouble confidence_threshold;
  gboolean detect_phrases;
  gboolean detect_entities;
  gchar *entities;              /* JSON array of objects */
  gchar *language_code;
  SymblMode mode;
  gboolean enable_separate_recognition_per_channel;
  gchar *channel_metadata;      /* JSON array of objects */
  gboolean enable_speaker_diarization;
  guint diarization_speaker_count;
  gboolean enable_all_trackers;
  gboolean enable_summary;
  guint max_url_length;

  /* Following the job after the upload. */
  gboolean wait_for_job;
  guint poll_interval;          /* ms */
  guint job_timeout;            /* s, 0: none */

  /* Shared with the process's other elements of the same account. */
  guint max_concurrent_uploads;
  gboolean resume_pending;      /* send what spool-dir holds, from READY */

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
#define SYMBL_SETTINGS_ERROR (symbl_settings_error_quark ())
GQuark symbl_settings_error_quark (void);

typedef enum
{
  SYMBL_SETTINGS_ERROR_INVALID, /* a property's value is refused */
} SymblSettingsError;

/* Fails, naming the property (never echoing its value), when a setting
 * that goes into a request's header or URL holds a control character. */
gboolean symbl_settings_check (const SymblSettings * settings,
    GError ** error);

/* TRUE when the user set the property @name. */
gboolean symbl_settings_is_set (const SymblSettings * settings,
    const gchar * name);

/* The User-Agent to send: the property, or "GStreamer symblsink/<version>". */
const gchar *symbl_settings_get_user_agent (const SymblSettings * settings);

/* The spool directory used when spool-dir is unset. */
gchar *symbl_settings_default_spool_dir (void);

G_END_DECLS
