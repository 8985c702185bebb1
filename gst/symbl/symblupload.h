/* symblupload: one recording's way to the Symbl API.
 *
 * Resolves the settings into what an upload needs (checked when the
 * element goes to READY, so bad input fails before anything is recorded)
 * and sends the spooled file. Knows no GStreamer pads.
 */
#pragma once

#include "symblclient.h"
#include "symblmedia.h"
#include "symblretry.h"
#include "symblsettings.h"

G_BEGIN_DECLS

#define SYMBL_UPLOAD_ERROR (symbl_upload_error_quark ())
GQuark symbl_upload_error_quark (void);

typedef enum
{
  SYMBL_UPLOAD_ERROR_SETTINGS,  /* a property's value is unusable */
  SYMBL_UPLOAD_ERROR_NO_TOKEN,  /* no way to authenticate */
  SYMBL_UPLOAD_ERROR_SPOOL_DIR, /* recordings cannot be written there */
} SymblUploadError;

typedef struct _SymblUpload SymblUpload;

/* Told before each wait between attempts, from the uploading thread:
 * @attempt (from 1) failed with @error, and the next one starts in
 * @delay seconds. @max_attempts is 0 when retries are unbounded. */
typedef void (*SymblRetryFunc) (guint attempt, guint max_attempts,
    const GError * error, const SymblResponse * response, gdouble delay,
    gpointer user_data);

SymblUpload *symbl_upload_new (const SymblSettings * settings,
    GError ** error);
void symbl_upload_free (SymblUpload * upload);

const gchar *symbl_upload_get_spool_dir (SymblUpload * upload);
gboolean symbl_upload_get_keep_spool (SymblUpload * upload);
/* Where a recording of @format goes, for messages (no secrets in it). */
gchar *symbl_upload_describe (SymblUpload * upload,
    const SymblMediaFormat * format);

/* Sends the recording in @file to the endpoint for @format, retrying as
 * the settings say: each attempt sends the whole file from its start. On
 * failure @response holds what the last attempt got. */
gboolean symbl_upload_run (SymblUpload * upload, const gchar * file,
    guint64 size, const SymblMediaFormat * format, SymblRetryFunc on_retry,
    gpointer user_data, SymblJobIds * ids, SymblResponse * response,
    GCancellable * cancellable, GError ** error);

G_END_DECLS
