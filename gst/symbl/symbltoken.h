/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbltoken: where an upload's access token comes from.
 *
 * Either a token the user gave, or one generated from app credentials with
 * POST /oauth2/token:generate. Generated tokens are cached for the whole
 * process, per API URL and app: forty pipelines in one media server share
 * one token and ask for it once (the others wait for that one answer). A
 * token is renewed before the expiresIn the API gave runs out, and at once
 * when the API refuses it.
 */
#pragma once

#include "symblclient.h"

G_BEGIN_DECLS

typedef struct _SymblTokenSource SymblTokenSource;

SymblTokenSource *symbl_token_source_new_fixed (const gchar * token);
SymblTokenSource *symbl_token_source_new_app (const gchar * api_url,
    const gchar * app_id, const gchar * app_secret);
void symbl_token_source_free (SymblTokenSource * source);

/* A token to use now. May ask the API for one (through @client); on a
 * failure @response holds what the API said. */
gchar *symbl_token_source_get (SymblTokenSource * source,
    SymblClient * client, SymblResponse * response,
    GCancellable * cancellable, GError ** error);

/* The API refused @token (401): forget it, so that the next get asks for a
 * new one. FALSE for a fixed token, which nothing can renew. */
gboolean symbl_token_source_renew (SymblTokenSource * source,
    const gchar * token);

/* A request that needs a token. */
typedef gboolean (*SymblTokenCall) (const gchar * token, gpointer user_data,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

/* Gets a token and runs @call with it. When the API answers 401 and the
 * token was generated, renews it once and runs @call again. */
gboolean symbl_token_source_call (SymblTokenSource * source,
    SymblClient * client, SymblTokenCall call, gpointer user_data,
    SymblResponse * response, GCancellable * cancellable, GError ** error);

G_END_DECLS
