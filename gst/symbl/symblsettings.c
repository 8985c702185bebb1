/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "config.h"
#include "symblsettings.h"
#include "symblapinames.h"
#include "symblvalues.h"

#include <string.h>
#include <gst/gst.h>

#define DEFAULT_TIMEOUT_S 60
#define DEFAULT_RETRIES 3
#define DEFAULT_BACKOFF_FACTOR 1.0
#define DEFAULT_BACKOFF_MAX 60.0
/* As job-timeout: a slot frees when an earlier job ends, and a job is
 * given an hour to end */
#define DEFAULT_QUEUE_TIMEOUT_S 3600
#define DEFAULT_USER_AGENT "GStreamer symblsink/" VERSION
#define DEFAULT_MAX_URL_LENGTH 8000
#define DEFAULT_POLL_INTERVAL_MS 2000
/* Four uploads fill an uplink as well as forty do, and each upload asks
 * for one of the account's job slots (2 on a trial account): more at once
 * would mostly wait on 429s (docs/media-server.md). */
#define DEFAULT_MAX_CONCURRENT_UPLOADS 4
#define DEFAULT_JOB_TIMEOUT_S 3600

GType
symbl_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {SYMBL_MODE_AUTO, "phone for input of 8 kHz or less, else not sent",
        "auto"},
    {SYMBL_MODE_DEFAULT, "default: audio of 16 kHz and more", "default"},
    {SYMBL_MODE_PHONE, "phone: narrowband calls (about 8 kHz)", "phone"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSymblMode", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* Every string that goes into a request's header or URL is a KIND_STRING
 * or a KIND_SECRET, refused at READY if it holds a control character: a
 * CR LF in it would add a header, or a request. Only strings that never
 * reach a request as they are written have a kind of their own. */
typedef enum
{
  KIND_STRING,
  KIND_SECRET,                  /* a string that can be set, never read */
  KIND_PATH,                    /* a local file or directory, never sent */
  KIND_JSON,                    /* sent re-encoded, compact and escaped */
  KIND_BOOLEAN,
  KIND_INT,
  KIND_UINT,
  KIND_DOUBLE,
  KIND_MODE,
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
  /**
   * GstSymblUploadSink:api-url:
   *
   * Base URL of the Symbl API. Only `https://`, or plain `http://` to this
   * machine (`localhost`, `127.0.0.0/8`, `::1`), such as symbl-local-server:
   * the token would otherwise cross a network in clear. Unset: the
   * `SYMBL_API_URL` environment variable, else https://api.symbl.ai.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"api-url", "API URL",
        "Base URL of the Symbl API: https://, or http:// to a server on this "
        "machine (such as symbl-local-server); unset: the SYMBL_API_URL "
        "environment variable, else " SYMBL_DEFAULT_API_URL,
      KIND_STRING, FIELD (api_url), SYMBL_DEFAULT_API_URL},
  /**
   * GstSymblUploadSink:access-token:
   *
   * Symbl access token, sent as `Authorization: Bearer`. Write-only, so that
   * no tool can print it. Unset: the app credentials, then
   * `SYMBL_ACCESS_TOKEN`, then `SYMBL_APP_ID` and `SYMBL_APP_SECRET`.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"access-token", "Access token",
        "Symbl access token, sent as 'Authorization: Bearer'; unset: the "
        "SYMBL_ACCESS_TOKEN environment variable (write-only)",
      KIND_SECRET, FIELD (access_token)},
  /**
   * GstSymblUploadSink:trackers:
   *
   * Conversation trackers as a JSON array: `{"name", "vocabulary"}` objects,
   * or `{"id"}` for trackers stored with Symbl's Management API. Checked when
   * the element goes to READY.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"trackers", "Trackers",
        "Trackers as JSON: [{\"name\": \"...\", \"vocabulary\": [\"...\"]}, "
        "{\"id\": \"...\"}]",
      KIND_JSON, FIELD (trackers)},
  /**
   * GstSymblUploadSink:trackers-location:
   *
   * Path of a JSON file holding trackers in the shape of
   * #GstSymblUploadSink:trackers. Set one of the two, not both.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"trackers-location", "Trackers location",
        "Path of a JSON file of trackers, in the shape of the trackers "
        "property",
      KIND_PATH, FIELD (trackers_location)},
  /**
   * GstSymblUploadSink:spool-dir:
   *
   * Directory the recording is written to as it arrives, before its upload.
   * Created with mode 0700 if missing. Unset: `$XDG_CACHE_HOME/symbl`.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"spool-dir", "Spool directory",
        "Directory the recording is written to before its upload; unset: "
        "$XDG_CACHE_HOME/symbl (~/.cache/symbl)",
      KIND_PATH, FIELD (spool_dir)},
  /**
   * GstSymblUploadSink:keep-spool:
   *
   * Keep the recording on disk after a successful upload; the `symbl-job`
   * message then names it in `location`. A recording that was not uploaded is
   * always kept.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"keep-spool", "Keep spool file",
        "Keep the recording on disk after a successful upload (a recording "
        "that was not uploaded is always kept)",
      KIND_BOOLEAN, FIELD (keep_spool), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:timeout:
   *
   * Seconds without progress after which a request is abandoned, and retried.
   * 0: never.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"timeout", "Timeout",
        "Seconds without any progress after which a request is abandoned "
        "and retried (0: never)",
      KIND_UINT, FIELD (timeout), NULL, 0, 3600, DEFAULT_TIMEOUT_S},
  /**
   * GstSymblUploadSink:retries:
   *
   * Retries after a failed attempt; -1 retries until the upload succeeds or
   * the element stops. Only failures that may pass are retried (network, 408,
   * 5xx). An upload's 429 (the account's job slots are full) is waited out
   * apart, up to #GstSymblUploadSink:queue-timeout.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"retries", "Retries",
        "How many times a failed upload is retried (-1: until it succeeds "
        "or the element stops)",
      KIND_INT, FIELD (retries), NULL, -1, G_MAXINT, DEFAULT_RETRIES},
  /**
   * GstSymblUploadSink:retry-backoff-factor:
   *
   * Seconds to wait before the first retry; each next wait doubles, up to
   * #GstSymblUploadSink:retry-backoff-max. A `Retry-After` from the server
   * takes precedence.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"retry-backoff-factor", "Retry backoff factor",
        "Seconds before the first retry; each next one waits twice as long",
        KIND_DOUBLE, FIELD (retry_backoff_factor), NULL, 0, 3600,
      DEFAULT_BACKOFF_FACTOR},
  /**
   * GstSymblUploadSink:retry-backoff-max:
   *
   * The longest wait between two attempts, in seconds.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"retry-backoff-max", "Retry backoff maximum",
        "The longest wait between two attempts, in seconds",
        KIND_DOUBLE, FIELD (retry_backoff_max), NULL, 0, 86400,
      DEFAULT_BACKOFF_MAX},
  /**
   * GstSymblUploadSink:queue-timeout:
   *
   * Seconds to keep waiting while the account's job slots at Symbl are full
   * (HTTP 429: a trial account runs 2 jobs at once, a paid one 50), counted
   * from the first 429 of the upload. A slot frees when an earlier job ends,
   * often minutes later, so these waits do not count against
   * #GstSymblUploadSink:retries: they start at 5 ×
   * #GstSymblUploadSink:retry-backoff-factor seconds and double up to
   * #GstSymblUploadSink:retry-backoff-max, with a `Retry-After` from the
   * server taking precedence. When the time runs out, the error says so and
   * the recording is kept, ready for `symbl-outbox send`. 0: wait until a slot
   * frees or the element stops.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"queue-timeout", "Queue timeout",
        "Seconds to keep waiting for a free job slot while Symbl answers "
        "429 (the account's concurrent jobs are all running); these waits "
        "do not count against retries (0: wait until a slot frees)",
        KIND_UINT, FIELD (queue_timeout), NULL, 0, 7 * 86400,
      DEFAULT_QUEUE_TIMEOUT_S},
  /**
   * GstSymblUploadSink:ssl-strict:
   *
   * Refuse servers whose TLS certificate does not check out. Set to %FALSE for
   * testing only.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"ssl-strict", "SSL strict",
        "Refuse a server whose TLS certificate does not check out",
      KIND_BOOLEAN, FIELD (ssl_strict), NULL, 0, 1, TRUE},
  /**
   * GstSymblUploadSink:ssl-ca-file:
   *
   * PEM file of certificate authorities to trust instead of the system's.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"ssl-ca-file", "SSL CA file",
        "PEM file of the certificate authorities to trust instead of the "
        "system's",
      KIND_PATH, FIELD (ssl_ca_file)},
  /**
   * GstSymblUploadSink:proxy:
   *
   * HTTP proxy URL. Unset: `https_proxy`, `http_proxy` and `no_proxy`, else
   * GIO's system proxy settings.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"proxy", "Proxy",
        "HTTP proxy URL, such as http://proxy:3128; unset: the https_proxy, "
        "http_proxy and no_proxy environment variables",
      KIND_STRING, FIELD (proxy)},
  /**
   * GstSymblUploadSink:user-agent:
   *
   * The User-Agent header of every request.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"user-agent", "User agent",
        "The User-Agent header of every request",
      KIND_STRING, FIELD (user_agent), DEFAULT_USER_AGENT},
  /**
   * GstSymblUploadSink:app-id:
   *
   * Symbl app ID. With #GstSymblUploadSink:app-secret, tokens are generated
   * when the element goes to READY, shared by every element of the process and
   * renewed before they expire. Unset: `SYMBL_APP_ID`.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"app-id", "App ID",
        "Symbl app ID, used with app-secret to generate access tokens; unset: "
        "the SYMBL_APP_ID environment variable",
      KIND_STRING, FIELD (app_id)},
  /**
   * GstSymblUploadSink:app-secret:
   *
   * Symbl app secret, used with #GstSymblUploadSink:app-id. Write-only. Unset:
   * `SYMBL_APP_SECRET`.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"app-secret", "App secret",
        "Symbl app secret; unset: the SYMBL_APP_SECRET environment variable "
        "(write-only)",
      KIND_SECRET, FIELD (app_secret)},
  /**
   * GstSymblUploadSink:conversation-id:
   *
   * Append the recording to this existing conversation (`PUT`) instead of
   * creating one: a meeting recorded in parts.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"conversation-id", "Conversation ID",
        "Append the recording to this existing conversation (PUT) instead "
        "of creating a new one",
      KIND_STRING, FIELD (conversation_id)},
  /**
   * GstSymblUploadSink:conversation-name:
   *
   * Name of the conversation (API parameter `name`; the property has a longer
   * name because `name` is every element's own). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"conversation-name", "Conversation name",
        "Name of the conversation; unset: its id (API: " SYMBL_API_NAME ")",
      KIND_STRING, FIELD (name)},
  /**
   * GstSymblUploadSink:webhook-url:
   *
   * An http(s) URL that Symbl calls when the job's status changes (API
   * parameter `webhookUrl`). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"webhook-url", "Webhook URL",
        "URL that receives the job's status changes (API: "
        SYMBL_API_WEBHOOK_URL ")",
      KIND_STRING, FIELD (webhook_url)},
  /**
   * GstSymblUploadSink:custom-vocabulary:
   *
   * Words that help recognition, as a JSON array of non-empty strings (API
   * parameter `customVocabulary`). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"custom-vocabulary", "Custom vocabulary",
        "Recognition hints as a JSON array of strings (API: "
        SYMBL_API_CUSTOM_VOCABULARY ")",
      KIND_JSON, FIELD (custom_vocabulary)},
  /**
   * GstSymblUploadSink:confidence-threshold:
   *
   * Minimum confidence of insights, from 0.5 to 1.0 (API parameter
   * `confidenceThreshold`); 0, the default, leaves it unset and Symbl uses
   * 0.5. A value between 0 and 0.5 is refused at READY.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"confidence-threshold", "Confidence threshold",
        "Minimum confidence of insights, from 0.5 to 1.0; 0: unset, Symbl "
        "uses 0.5 (API: " SYMBL_API_CONFIDENCE_THRESHOLD ")",
      KIND_DOUBLE, FIELD (confidence_threshold), NULL, 0.0, 1.0, 0.0},
  /**
   * GstSymblUploadSink:detect-phrases:
   *
   * Detect actionable phrases (API parameter `detectPhrases`). Sent only when
   * set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"detect-phrases", "Detect phrases",
        "Detect actionable phrases (API: " SYMBL_API_DETECT_PHRASES ")",
      KIND_BOOLEAN, FIELD (detect_phrases), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:detect-entities:
   *
   * Detect entities (API parameter `detectEntities`). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"detect-entities", "Detect entities",
        "Detect entities (API: " SYMBL_API_DETECT_ENTITIES ")",
      KIND_BOOLEAN, FIELD (detect_entities), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:entities:
   *
   * Custom entities as a JSON array of `{"customType", "text"}` objects (API
   * parameter `entities`). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"entities", "Entities",
        "Custom entities as JSON: [{\"customType\": \"...\", \"text\": "
        "\"...\"}] (API: " SYMBL_API_ENTITIES ")",
      KIND_JSON, FIELD (entities)},
  /**
   * GstSymblUploadSink:language-code:
   *
   * Language of the recording, a BCP-47 tag such as `en-US` (API
   * parameter `languageCode`), in any case: it is sent in BCP-47's usual
   * case. A tag off the list Symbl documents gets a warning. Sent only
   * when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"language-code", "Language code",
        "BCP-47 language of the recording, such as en-US (API: "
        SYMBL_API_LANGUAGE_CODE ")",
      KIND_STRING, FIELD (language_code)},
  /**
   * GstSymblUploadSink:mode:
   *
   * Recognition mode (API parameter `mode`). `auto` sends `phone` when the
   * audio came in at 8 kHz or less, and nothing otherwise.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"mode", "Mode",
        "Recognition mode (API: " SYMBL_API_MODE ")",
      KIND_MODE, FIELD (mode), NULL, 0, 0, SYMBL_MODE_AUTO},
  /**
   * GstSymblUploadSink:enable-separate-recognition-per-channel:
   *
   * Recognise each channel as one speaker (API parameter
   * `enableSeparateRecognitionPerChannel`). Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"enable-separate-recognition-per-channel",
        "Separate recognition per channel",
        "One speaker per channel (API: "
        SYMBL_API_ENABLE_SEPARATE_RECOGNITION_PER_CHANNEL ")",
        KIND_BOOLEAN, FIELD (enable_separate_recognition_per_channel), NULL, 0,
      1, FALSE},
  /**
   * GstSymblUploadSink:channel-metadata:
   *
   * The speaker of each channel, as a JSON array of `{"channel", "speaker":
   * {"name", "email"}}` (API parameter `channelMetadata`); the name and
   * the e-mail are optional. Symbl uses it only with
   * #GstSymblUploadSink:enable-separate-recognition-per-channel: without
   * it, a warning, and it is sent all the same.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"channel-metadata", "Channel metadata",
        "Speakers of the channels as JSON: [{\"channel\": 1, \"speaker\": "
        "{\"name\": \"...\", \"email\": \"...\"}}] (API: "
        SYMBL_API_CHANNEL_METADATA "; used with "
        "enable-separate-recognition-per-channel)",
      KIND_JSON, FIELD (channel_metadata)},
  /**
   * GstSymblUploadSink:enable-speaker-diarization:
   *
   * Tell speakers apart (API parameter `enableSpeakerDiarization`). Sent only
   * when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"enable-speaker-diarization", "Speaker diarization",
        "Tell speakers apart, English and Spanish only (API: "
        SYMBL_API_ENABLE_SPEAKER_DIARIZATION ")",
      KIND_BOOLEAN, FIELD (enable_speaker_diarization), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:diarization-speaker-count:
   *
   * How many people speak (API parameter `diarizationSpeakerCount`); 0, the
   * default, leaves it unset.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"diarization-speaker-count", "Diarization speaker count",
        "How many people speak; 0: unset (API: "
        SYMBL_API_DIARIZATION_SPEAKER_COUNT ")",
      KIND_UINT, FIELD (diarization_speaker_count), NULL, 0, 1000, 0},
  /**
   * GstSymblUploadSink:enable-all-trackers:
   *
   * Also detect every tracker stored on the account (API parameter
   * `enableAllTrackers`). Sent only when set. Trackers listed by id
   * (`{"id"}`) may be detected only with it, as one page of Symbl's docs
   * says. With #GstSymblUploadSink:wait-for-job, the detected trackers
   * are fetched only when trackers were sent or this is set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"enable-all-trackers", "Enable all trackers",
        "Also detect every tracker stored on the account (API: "
        SYMBL_API_ENABLE_ALL_TRACKERS ")",
      KIND_BOOLEAN, FIELD (enable_all_trackers), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:enable-summary:
   *
   * Ask for a summary of the conversation (API parameter `enableSummary`).
   * Sent only when set.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"enable-summary", "Enable summary",
        "Ask for a summary (API: " SYMBL_API_ENABLE_SUMMARY ")",
      KIND_BOOLEAN, FIELD (enable_summary), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:max-url-length:
   *
   * Longest request target (path and query) the element sends. The options
   * travel in the URL, and servers and proxies refuse lines over about 8 KiB:
   * a longer one is an error at READY, which says what to shorten.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"max-url-length", "Maximum URL length",
        "Longest request URL (path and query) allowed: the options travel "
        "in the URL, which servers and proxies cap at about 8 KiB",
        KIND_UINT, FIELD (max_url_length), NULL, 256, G_MAXINT,
      DEFAULT_MAX_URL_LENGTH},
  /**
   * GstSymblUploadSink:wait-for-job:
   *
   * After the upload, follow the job until it ends, posting `symbl-job-status`
   * at each change, then `symbl-trackers` with the detected trackers, before
   * EOS.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"wait-for-job", "Wait for the job",
        "After the upload, follow the job until it completes and post the "
        "detected trackers before EOS",
      KIND_BOOLEAN, FIELD (wait_for_job), NULL, 0, 1, FALSE},
  /**
   * GstSymblUploadSink:poll-interval:
   *
   * Milliseconds between two looks at the job's status, with
   * #GstSymblUploadSink:wait-for-job.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"poll-interval", "Poll interval",
        "Milliseconds between two looks at the job's status",
        KIND_UINT, FIELD (poll_interval), NULL, 100, 3600000,
      DEFAULT_POLL_INTERVAL_MS},
  /**
   * GstSymblUploadSink:job-timeout:
   *
   * Seconds to wait for the job to end, with #GstSymblUploadSink:wait-for-job;
   * then an error. 0: no limit.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.1
   */
  {"job-timeout", "Job timeout",
        "Seconds to wait for the job to complete (0: no limit)",
        KIND_UINT, FIELD (job_timeout), NULL, 0, G_MAXINT,
      DEFAULT_JOB_TIMEOUT_S},
  /**
   * GstSymblUploadSink:max-concurrent-uploads:
   *
   * Uploads under way at once, for all the elements of the process that use
   * the same account (API URL, credentials and HTTP settings); the others
   * wait for a place. The first element of an account sets it.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.2
   */
  {"max-concurrent-uploads", "Maximum concurrent uploads",
        "Uploads under way at once for all the elements of this process "
        "that use the same account; the others wait for a place",
        KIND_UINT, FIELD (max_concurrent_uploads), NULL, 1, 1000,
      DEFAULT_MAX_CONCURRENT_UPLOADS},
  /**
   * GstSymblUploadSink:resume-pending:
   *
   * From READY, send in the background what a crash or a stop left in
   * #GstSymblUploadSink:spool-dir for this element's API (as `symbl-outbox
   * send` does), and post a `symbl-job` message with `resumed=true` for each.
   * Recordings sent but never answered are left alone.
   *
   * #GstSymblSink has it too, and passes it to its inner symbluploadsink.
   *
   * Since: 0.2
   */
  {"resume-pending", "Resume pending uploads",
        "From READY, send in the background the recordings that a crash or "
        "a stop left in spool-dir, as symbl-outbox send does",
      KIND_BOOLEAN, FIELD (resume_pending), NULL, 0, 1, FALSE},
};

#define N_SPECS G_N_ELEMENTS (specs)
G_STATIC_ASSERT (N_SPECS <= 64);

#define FLAGS (G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)

static GParamSpec *
make_pspec (const SettingSpec * s)
{
  switch (s->kind) {
    case KIND_STRING:
    case KIND_PATH:
    case KIND_JSON:
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
    case KIND_MODE:
      return g_param_spec_enum (s->name, s->nick, s->blurb, SYMBL_TYPE_MODE,
          s->default_number, G_PARAM_READWRITE | FLAGS);
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
  return s->kind == KIND_STRING || s->kind == KIND_SECRET
      || s->kind == KIND_PATH || s->kind == KIND_JSON;
}

/* Frees a string field; a secret's bytes are wiped first, as
 * symbltoken.c does with its copies. */
static void
clear_string (const SettingSpec * s, gchar ** field)
{
  if (s->kind == KIND_SECRET && *field)
    memset (*field, 0, strlen (*field));
  g_clear_pointer (field, g_free);
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
      case KIND_MODE:
        *AT (settings, s, SymblMode) = s->default_number;
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
      clear_string (&specs[i], AT (settings, &specs[i], gchar *));
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
  const SettingSpec *s;

  g_return_if_fail (id < N_SPECS);
  s = &specs[id];

  switch (s->kind) {
    case KIND_STRING:
    case KIND_SECRET:
    case KIND_PATH:
    case KIND_JSON:{
      const gchar *text = g_value_get_string (value);
      gchar **field = AT (settings, s, gchar *);

      clear_string (s, field);
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
    case KIND_MODE:
      *AT (settings, s, SymblMode) = g_value_get_enum (value);
      break;
  }
  settings->set |= G_GUINT64_CONSTANT (1) << id;
}

void
symbl_settings_get_property (const SymblSettings * settings, guint id,
    GValue * value)
{
  const SettingSpec *s;

  g_return_if_fail (id < N_SPECS);
  s = &specs[id];

  switch (s->kind) {
    case KIND_STRING:
    case KIND_PATH:
    case KIND_JSON:{
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
    case KIND_MODE:
      g_value_set_enum (value, *AT (settings, s, SymblMode));
      break;
  }
}

GQuark
symbl_settings_error_quark (void)
{
  return g_quark_from_static_string ("symbl-settings-error-quark");
}

gboolean
symbl_settings_check (const SymblSettings * settings, GError ** error)
{
  guint i;

  for (i = 0; i < N_SPECS; i++) {
    const SettingSpec *s = &specs[i];
    const gchar *text;
    gssize at;
    g_autofree gchar *shown = NULL;

    if (s->kind != KIND_STRING && s->kind != KIND_SECRET)
      continue;
    text = *AT (settings, s, gchar *);
    if (!text || (at = symbl_values_find_control (text, strlen (text))) < 0)
      continue;
    /* Where, and which character: never the value, which may be secret. */
    shown = symbl_values_describe_control (text[at]);
    g_set_error (error, SYMBL_SETTINGS_ERROR, SYMBL_SETTINGS_ERROR_INVALID,
        "%s contains a control character (%s) at position %" G_GSSIZE_FORMAT
        ", which a request's header or URL cannot carry", s->name, shown, at);
    return FALSE;
  }
  return TRUE;
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
