/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symbltoken.h"

#include <string.h>

/* Renew this long before expiry: a tenth of the lifetime, at most 5 min. */
#define MAX_RENEW_MARGIN_US (300 * G_TIME_SPAN_SECOND)
/* How often a waiter looks at its cancellable. */

typedef struct
{
  gchar *token;                 /* NULL: none yet, or refused */
  gint64 renew_at;              /* monotonic time */
  gboolean generating;          /* one caller is asking the API */
} CachedToken;

struct _SymblTokenSource
{
  gchar *fixed;                 /* a token given by the user */
  gchar *key;                   /* api url, app id and secret digest */
  gchar *app_id;
  gchar *app_secret;
};

static GMutex cache_lock;
static GCond cache_changed;
static GHashTable *cache;       /* key -> CachedToken */

static void
cached_token_free (CachedToken * cached)
{
  g_free (cached->token);
  g_free (cached);
}

SymblTokenSource *
symbl_token_source_new_fixed (const gchar * token)
{
  SymblTokenSource *source = g_new0 (SymblTokenSource, 1);

  source->fixed = g_strdup (token);
  return source;
}

SymblTokenSource *
symbl_token_source_new_app (const gchar * api_url, const gchar * app_id,
    const gchar * app_secret)
{
  SymblTokenSource *source = g_new0 (SymblTokenSource, 1);
  /* The secret is part of the key, so that a wrong one is not hidden by a
   * token that the right one got; a digest, so that the key holds no
   * secret. */
  g_autofree gchar *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      app_secret, -1);

  source->key = g_strjoin ("\n", api_url, app_id, digest, NULL);
  source->app_id = g_strdup (app_id);
  source->app_secret = g_strdup (app_secret);
  return source;
}

/* A token or secret leaves no copy in freed memory. */
static void
wipe_and_free (gchar * secret)
{
  if (secret)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
symbl_token_source_free (SymblTokenSource * source)
{
  if (!source)
    return;
  wipe_and_free (source->fixed);
  g_free (source->key);
  g_free (source->app_id);
  wipe_and_free (source->app_secret);
  g_free (source);
}

/* The cache entry for @key, made on first use. cache_lock held. */
static CachedToken *
lookup (const gchar * key)
{
  CachedToken *cached;

  if (!cache)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) cached_token_free);
  cached = g_hash_table_lookup (cache, key);
  if (!cached) {
    cached = g_new0 (CachedToken, 1);
    g_hash_table_insert (cache, g_strdup (key), cached);
  }
  return cached;
}

/* Asks the API, without the lock: the others wait for this answer. */
static gchar *
generate (SymblTokenSource * source, SymblClient * client,
    CachedToken * cached, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  gchar *token = NULL;
  gint64 expires_in_s = 0;
  gint64 lifetime, margin;
  gboolean ok;

  cached->generating = TRUE;
  g_mutex_unlock (&cache_lock);
  ok = symbl_client_generate_token (client, source->app_id,
      source->app_secret, &token, &expires_in_s, response, cancellable, error);
  g_mutex_lock (&cache_lock);
  cached->generating = FALSE;
  g_cond_broadcast (&cache_changed);
  if (!ok)
    return NULL;

  /* Trust the API's expiresIn: a cached token may have little left. */
  lifetime = MAX (expires_in_s, 0) * G_TIME_SPAN_SECOND;
  margin = MIN (lifetime / 10, MAX_RENEW_MARGIN_US);
  g_free (cached->token);
  cached->token = token;
  cached->renew_at = g_get_monotonic_time () + lifetime - margin;
  return g_strdup (token);
}

/* Wakes those who wait for another's answer, so that they see it. */
static void
on_cancelled (GCancellable * cancellable, gpointer user_data)
{
  g_mutex_lock (&cache_lock);
  g_cond_broadcast (&cache_changed);
  g_mutex_unlock (&cache_lock);
}

gchar *
symbl_token_source_get (SymblTokenSource * source, SymblClient * client,
    SymblResponse * response, GCancellable * cancellable, GError ** error)
{
  CachedToken *cached;
  gchar *token = NULL;
  gulong handler;

  symbl_response_clear (response);
  if (source->fixed)
    return g_strdup (source->fixed);

  /* Before the lock: a cancellable cancelled already calls it at once. */
  handler = cancellable ? g_cancellable_connect (cancellable,
      G_CALLBACK (on_cancelled), NULL, NULL) : 0;
  g_mutex_lock (&cache_lock);
  cached = lookup (source->key);
  for (;;) {
    if (cached->token && g_get_monotonic_time () < cached->renew_at) {
      token = g_strdup (cached->token);
      break;
    }
    if (!cached->generating) {
      token = generate (source, client, cached, response, cancellable, error);
      break;
    }
    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      break;
    g_cond_wait (&cache_changed, &cache_lock);
  }
  g_mutex_unlock (&cache_lock);
  g_cancellable_disconnect (cancellable, handler);
  return token;
}

gboolean
symbl_token_source_renew (SymblTokenSource * source, const gchar * token)
{
  CachedToken *cached;

  if (source->fixed)
    return FALSE;
  g_mutex_lock (&cache_lock);
  cached = lookup (source->key);
  /* Another pipeline may have renewed it already. */
  if (g_strcmp0 (cached->token, token) == 0)
    g_clear_pointer (&cached->token, g_free);
  g_mutex_unlock (&cache_lock);
  return TRUE;
}

gboolean
symbl_token_source_call (SymblTokenSource * source, SymblClient * client,
    SymblTokenCall call, gpointer user_data, SymblResponse * response,
    GCancellable * cancellable, GError ** error)
{
  gboolean renewed = FALSE;

  for (;;) {
    g_autofree gchar *token = NULL;
    GError *call_error = NULL;

    token = symbl_token_source_get (source, client, response, cancellable,
        error);
    if (!token)
      return FALSE;
    if (call (token, user_data, response, cancellable, &call_error))
      return TRUE;
    if (renewed || response->status != 401
        || !symbl_token_source_renew (source, token)) {
      g_propagate_error (error, call_error);
      return FALSE;
    }
    g_error_free (call_error);
    renewed = TRUE;
  }
}
