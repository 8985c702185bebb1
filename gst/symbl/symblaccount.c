/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

#include "symblaccount.h"

struct _SymblAccount
{
  gchar *key;
  SymblClient *client;
  guint max_uploads;
  gint refs;                    /* accounts_lock */
  guint uploads;                /* under way; accounts_lock */
};

/* Every account of the process, by key. */
static GMutex accounts_lock;
static GCond upload_ended;
static GHashTable *accounts;

SymblAccount *
symbl_account_get (const gchar * key, const gchar * api_url,
    const SymblClientOptions * options, guint max_uploads, GError ** error)
{
  SymblAccount *account;
  SymblClient *client;

  g_mutex_lock (&accounts_lock);
  if (!accounts)
    accounts = g_hash_table_new (g_str_hash, g_str_equal);
  account = g_hash_table_lookup (accounts, key);
  if (account) {
    account->refs++;
    g_mutex_unlock (&accounts_lock);
    return account;
  }
  g_mutex_unlock (&accounts_lock);

  /* Made without the lock: another element may make the same one
   * meanwhile, and the first one in wins. */
  client = symbl_client_new (api_url, options, error);
  if (!client)
    return NULL;

  g_mutex_lock (&accounts_lock);
  account = g_hash_table_lookup (accounts, key);
  if (account) {
    account->refs++;
  } else {
    account = g_new0 (SymblAccount, 1);
    account->key = g_strdup (key);
    account->client = g_steal_pointer (&client);
    account->max_uploads = MAX (max_uploads, 1);
    account->refs = 1;
    g_hash_table_insert (accounts, account->key, account);
  }
  g_mutex_unlock (&accounts_lock);
  symbl_client_free (client);
  return account;
}

void
symbl_account_unref (SymblAccount * account)
{
  if (!account)
    return;
  g_mutex_lock (&accounts_lock);
  if (--account->refs > 0) {
    g_mutex_unlock (&accounts_lock);
    return;
  }
  g_hash_table_remove (accounts, account->key);
  g_mutex_unlock (&accounts_lock);

  symbl_client_free (account->client);
  g_free (account->key);
  g_free (account);
}

SymblClient *
symbl_account_get_client (SymblAccount * account)
{
  return account->client;
}

static void
on_cancelled (GCancellable * cancellable, gpointer user_data)
{
  /* Under the lock, so that the waiter cannot miss it between its check
   * and its wait. */
  g_mutex_lock (&accounts_lock);
  g_cond_broadcast (&upload_ended);
  g_mutex_unlock (&accounts_lock);
}

gboolean
symbl_account_begin_upload (SymblAccount * account,
    GCancellable * cancellable, GError ** error)
{
  gulong handler = cancellable ? g_cancellable_connect (cancellable,
      G_CALLBACK (on_cancelled), NULL, NULL) : 0;
  gboolean cancelled;

  g_mutex_lock (&accounts_lock);
  while (account->uploads >= account->max_uploads
      && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&upload_ended, &accounts_lock);
  cancelled = g_cancellable_is_cancelled (cancellable);
  if (!cancelled)
    account->uploads++;
  g_mutex_unlock (&accounts_lock);
  g_cancellable_disconnect (cancellable, handler);
  if (cancelled)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return !cancelled;
}

void
symbl_account_end_upload (SymblAccount * account)
{
  g_mutex_lock (&accounts_lock);
  account->uploads--;
  g_cond_broadcast (&upload_ended);
  g_mutex_unlock (&accounts_lock);
}
