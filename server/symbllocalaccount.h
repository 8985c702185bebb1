/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: the account behind the API (private).
 *
 * Tokens, conversations, jobs and the trackers each conversation was
 * asked to detect. Only the server thread touches an account, so it has
 * no lock of its own.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SymblLocalAccount SymblLocalAccount;

SymblLocalAccount *symbl_local_account_new (const gchar * const
    *access_tokens, const gchar * app_id, const gchar * app_secret,
    guint token_lifetime_s, guint job_step_ms, guint max_concurrent_jobs);
void symbl_local_account_free (SymblLocalAccount * account);

gboolean symbl_local_account_check_token (SymblLocalAccount * account,
    const gchar * token);
gboolean symbl_local_account_check_credentials (SymblLocalAccount * account,
    const gchar * app_id, const gchar * app_secret);
/* A new token valid for the account's token lifetime */
gchar *symbl_local_account_new_token (SymblLocalAccount * account,
    guint * expires_in_s);

/* Whether one more job may start: fewer than max_concurrent_jobs are
 * scheduled or in progress (always, when that is 0) */
gboolean symbl_local_account_has_free_job_slot (SymblLocalAccount * account);
guint symbl_local_account_get_max_concurrent_jobs (SymblLocalAccount * account);

gboolean symbl_local_account_has_conversation (SymblLocalAccount * account,
    const gchar * conversation_id);
/* Records an accepted upload: a new conversation when @conversation_id is
 * NULL (named @name, or its id when NULL; its members are the speakers of
 * @channel_metadata, a validated array, or NULL for one unknown speaker),
 * and a new job whose clock starts now. @trackers is the validated
 * `trackers` parameter or NULL. */
void symbl_local_account_add_job (SymblLocalAccount * account,
    const gchar * conversation_id, const gchar * name,
    JsonNode * channel_metadata, JsonNode * trackers, gboolean job_fails,
    gchar ** new_conversation_id, gchar ** new_job_id);
/* "scheduled", "in_progress", "completed" or "failed"; NULL if unknown */
const gchar *symbl_local_account_get_job_status (SymblLocalAccount * account,
    const gchar * job_id);
/* The synthetic trackers-detected array; NULL for an unknown conversation */
JsonNode *symbl_local_account_get_trackers_detected (SymblLocalAccount * account,
    const gchar * conversation_id);

/* The Conversation API's reply for GET /v1/conversations/{id}[/@part];
 * NULL for an unknown conversation */
JsonNode *symbl_local_account_get_conversation_reply (SymblLocalAccount * account,
    const gchar * conversation_id, const gchar * part);

/* 16 decimal digits that depend on @text only, like Symbl's ids */
gchar *symbl_local_stable_id (const gchar * text);

G_END_DECLS
