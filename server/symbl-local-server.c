/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-local-server: run the local Symbl-compatible server until
 * SIGINT or SIGTERM. See docs/local-server.md.
 *
 * The server runs on its own thread, exactly as it does inside tests; the
 * main thread only waits for a signal.
 */
#include "symbllocalserver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <glib-unix.h>

typedef struct
{
  gchar *address;
  gint port;
  gchar **access_tokens;
  gchar *app_id;
  gchar *app_secret;
  gint token_lifetime_s;
  gchar *store_dir;
  gint job_step_ms;
  gint max_concurrent_jobs;
  gint jobs_retry_after_s;
  gint64 max_url_length;
  gchar *tls_cert_file;
  gchar *tls_key_file;
  gchar **faults;
  gchar *port_file;
  gboolean quiet;
  gboolean discard_bodies;
} Arguments;

static void
arguments_clear (Arguments * arguments)
{
  g_free (arguments->address);
  g_strfreev (arguments->access_tokens);
  g_free (arguments->app_id);
  g_free (arguments->app_secret);
  g_free (arguments->store_dir);
  g_free (arguments->tls_cert_file);
  g_free (arguments->tls_key_file);
  g_strfreev (arguments->faults);
  g_free (arguments->port_file);
}

static gboolean
parse_arguments (Arguments * arguments, gint * argc, gchar *** argv,
    GError ** error)
{
  const GOptionEntry entries[] = {
    {"address", 0, 0, G_OPTION_ARG_STRING, &arguments->address,
        "IP address to listen on (default 127.0.0.1)", "ADDRESS"},
    {"port", 0, 0, G_OPTION_ARG_INT, &arguments->port,
        "Port to listen on (default 0: the kernel chooses)", "PORT"},
    {"access-token", 0, 0, G_OPTION_ARG_STRING_ARRAY,
          &arguments->access_tokens,
        "Accept this bearer token (repeatable; replaces the default "
          SYMBL_LOCAL_SERVER_DEFAULT_TOKEN ")", "TOKEN"},
    {"app-id", 0, 0, G_OPTION_ARG_STRING, &arguments->app_id,
        "appId accepted by /oauth2/token:generate (default "
          SYMBL_LOCAL_SERVER_DEFAULT_APP_ID ")", "ID"},
    {"app-secret", 0, 0, G_OPTION_ARG_STRING, &arguments->app_secret,
        "appSecret accepted by /oauth2/token:generate (default "
          SYMBL_LOCAL_SERVER_DEFAULT_APP_SECRET ")", "SECRET"},
    {"token-lifetime", 0, 0, G_OPTION_ARG_INT, &arguments->token_lifetime_s,
        "Lifetime of generated tokens in seconds (default 86400)", "S"},
    {"store-dir", 0, 0, G_OPTION_ARG_FILENAME, &arguments->store_dir,
        "Keep request bodies here (default: a temporary directory "
          "removed on exit)", "DIR"},
    {"job-step-ms", 0, 0, G_OPTION_ARG_INT, &arguments->job_step_ms,
        "Time a job spends in scheduled and in in_progress each "
          "(default 500)", "MS"},
    {"max-concurrent-jobs", 0, 0, G_OPTION_ARG_INT,
          &arguments->max_concurrent_jobs,
        "Jobs scheduled or in progress at once; an upload beyond gets 429 "
          "(default 0: unlimited)", "N"},
    {"jobs-retry-after", 0, 0, G_OPTION_ARG_INT,
          &arguments->jobs_retry_after_s,
        "Retry-After of the 429 for full job slots (default 0: none, as "
          "Symbl documents none)", "S"},
    {"max-url-length", 0, 0, G_OPTION_ARG_INT64, &arguments->max_url_length,
        "Longer request targets get 414 (default 8192)", "N"},
    {"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &arguments->tls_cert_file,
        "PEM certificate: serve HTTPS (needs --tls-key)", "FILE"},
    {"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &arguments->tls_key_file,
        "PEM private key of --tls-cert", "FILE"},
    {"fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &arguments->faults,
        "Inject a fault, e.g. status=503,count=2 (repeatable)", "TEXT"},
    {"port-file", 0, 0, G_OPTION_ARG_FILENAME, &arguments->port_file,
        "Write the port number here once listening", "FILE"},
    {"discard-bodies", 0, 0, G_OPTION_ARG_NONE, &arguments->discard_bodies,
        "Count request bodies but keep none (benchmarks: writing them "
          "would cost more than the upload being measured)", NULL},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &arguments->quiet,
        "No access log on stderr", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) context =
      g_option_context_new ("- a local Symbl-compatible Async API server");

  g_option_context_set_summary (context, "Serves the parts of the Symbl "
      "Async API that a file-uploading client uses, records every request, "
      "and injects faults on demand. Runs until SIGINT or SIGTERM.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (arguments->port < 0 || arguments->port > 65535 ||
      arguments->token_lifetime_s < 0 || arguments->job_step_ms < 0 ||
      arguments->max_url_length < 0 || arguments->max_concurrent_jobs < 0 ||
      arguments->jobs_retry_after_s < 0) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "ports, times, counts and lengths cannot be negative (nor ports "
        "above 65535)");
    return FALSE;
  }
  return TRUE;
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* g_file_set_contents () writes a temporary file and renames it, so a
 * script polling for the file never reads half of it */
static gboolean
write_port_file (const gchar * port_file, const gchar * url, GError ** error)
{
  const gchar *port = strrchr (url, ':') + 1;
  g_autofree gchar *contents = g_strdup_printf ("%s\n", port);

  return g_file_set_contents (port_file, contents, -1, error);
}

int
main (int argc, char **argv)
{
  Arguments arguments = { NULL, };
  SymblLocalServerOptions options = { NULL, };
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  SymblLocalServer *server;
  gchar **fault;
  int status = EXIT_SUCCESS;

  if (!parse_arguments (&arguments, &argc, &argv, &error)) {
    g_printerr ("symbl-local-server: %s\n", error->message);
    arguments_clear (&arguments);
    return 2;
  }

  options.address = arguments.address;
  options.port = arguments.port;
  options.access_tokens = (const gchar * const *) arguments.access_tokens;
  options.app_id = arguments.app_id;
  options.app_secret = arguments.app_secret;
  options.token_lifetime_s = arguments.token_lifetime_s;
  options.store_dir = arguments.store_dir;
  options.job_step_ms = arguments.job_step_ms;
  options.max_url_length = arguments.max_url_length;
  options.max_concurrent_jobs = arguments.max_concurrent_jobs;
  options.jobs_retry_after_s = arguments.jobs_retry_after_s;
  options.tls_cert_file = arguments.tls_cert_file;
  options.tls_key_file = arguments.tls_key_file;
  options.quiet = arguments.quiet;
  options.discard_bodies = arguments.discard_bodies;

  server = symbl_local_server_start (&options, &error);
  if (!server) {
    g_printerr ("symbl-local-server: %s\n", error->message);
    arguments_clear (&arguments);
    return EXIT_FAILURE;
  }

  /* Faults are in place before anyone learns the port */
  for (fault = arguments.faults; fault && *fault; fault++) {
    if (!symbl_local_server_add_fault_text (server, *fault, &error))
      goto fail;
  }
  if (arguments.port_file &&
      !write_port_file (arguments.port_file, symbl_local_server_get_url
          (server), &error))
    goto fail;

  printf ("symbl-local-server listening on %s\n",
      symbl_local_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  goto done;

fail:
  g_printerr ("symbl-local-server: %s\n", error->message);
  status = EXIT_FAILURE;
done:
  symbl_local_server_stop (server);
  arguments_clear (&arguments);
  return status;
}
