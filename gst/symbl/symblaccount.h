/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symblaccount: what the elements of one process share when they talk to
 * the same account: one HTTP client (one SoupSession, with its
 * connections and TLS sessions), and a bound on the uploads under way at
 * once. Generated tokens are cached per account too (symbltoken).
 *
 * An account is found by a key that the caller derives from the API URL,
 * the credentials and the client's settings, so that elements configured
 * alike share one, and no others do. Knows no GStreamer.
 */
#pragma once

#include "symblclient.h"

G_BEGIN_DECLS

typedef struct _SymblAccount SymblAccount;

/* The account for @key, made with @api_url and @options on first use;
 * @max_uploads (>= 1) bounds its uploads under way at once, as the first
 * element to use it set it. Free with symbl_account_unref (). */
SymblAccount *symbl_account_get (const gchar * key, const gchar * api_url,
    const SymblClientOptions * options, guint max_uploads, GError ** error);
void symbl_account_unref (SymblAccount * account);

SymblClient *symbl_account_get_client (SymblAccount * account);

/* Waits for one of the account's upload places: FALSE only when
 * @cancellable was cancelled first. Give it back with
 * symbl_account_end_upload (). */
gboolean symbl_account_begin_upload (SymblAccount * account,
    GCancellable * cancellable, GError ** error);
void symbl_account_end_upload (SymblAccount * account);

G_END_DECLS
