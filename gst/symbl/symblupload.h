/* symblupload: one recording's way to the Symbl API.
 *
 * Resolves the settings into what an upload needs (checked when the
 * element goes to READY, so bad input fails before anything is recorded)
 * and sends the spooled file. Knows no GStreamer pads.
 */
#pragma once

#include "symblclient.h"
#include "symblmedia.h"
#include "symblsettings.h"

G_BEGIN_DECLS

#define SYMBL_UPLOAD_ERROR (symbl_upload_error_quark ())
GQuark symbl_upload_error_quark (void);

typedef enum
{
  SYMBL_UPLOAD_ERROR_SETTINGS,  /* a property's value is unusable */
  SYMBL_UPLOAD_ERROR_NO_TOKEN,  /* no way to authenticate */
} SymblUploadError;

typedef struct _SymblUpload SymblUpload;

SymblUpload *symbl_upload_new (const SymblSettings * settings,
    GError ** error);
void symbl_upload_free (SymblUpload * upload);

const gchar *symbl_upload_get_spool_dir (SymblUpload * upload);
gboolean symbl_upload_get_keep_spool (SymblUpload * upload);
/* Where a recording of @format goes, for messages (no secrets in it). */
gchar *symbl_upload_describe (SymblUpload * upload,
    const SymblMediaFormat * format);

/* Sends the recording in @file to the endpoint for @format. */
gboolean symbl_upload_run (SymblUpload * upload, const gchar * file,
    guint64 size, const SymblMediaFormat * format, SymblJobIds * ids,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

G_END_DECLS
