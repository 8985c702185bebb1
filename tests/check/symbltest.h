/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* Helpers shared by the gst-check tests: a local Symbl server per test,
 * pipelines pointed at it, the messages they post, and decoding what the
 * server received with GStreamer's own demuxers and decoders. */
#pragma once

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include "symbllocalserver.h"

G_BEGIN_DECLS

#define TEST_TOKEN SYMBL_LOCAL_SERVER_DEFAULT_TOKEN

typedef struct
{
  SymblLocalServer *server;
  gchar *spool_dir;             /* a fresh, empty directory */
} SymblTest;

/* Starts a quiet local server on loopback and makes a spool directory. */
void symbl_test_setup (SymblTest * t);
/* The same, with the server's options as given (made quiet). */
void symbl_test_setup_with (SymblTest * t, SymblLocalServerOptions * options);
void symbl_test_teardown (SymblTest * t);
/* Runs symbl_test_setup (@t) before each test of @tc and
 * symbl_test_teardown (@t) after it: the fixture most suites want. */
void symbl_test_add_fixture (TCase * tc, SymblTest * t);

/* gst_parse_launch with printf-style formatting; fails the test on error. */
GstElement *symbl_test_pipeline (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

/* Three seconds of 320x240 test video at 30 fps and of 16 kHz audio,
 * into a symblsink named s. */
#define SYMBL_TEST_VIDEO_3S "videotestsrc num-buffers=90 ! " \
    "video/x-raw,width=320,height=240,framerate=30/1 ! s.video "
#define SYMBL_TEST_AUDIO_3S "audiotestsrc samplesperbuffer=1600 " \
    "num-buffers=30 ! audio/x-raw,rate=16000,channels=1 ! s. "

/* The properties every test sets: api-url, access-token, spool-dir. */
gchar *symbl_test_sink_props (SymblTest * t);

/* Runs @sources into a symblsink named s with the properties every test
 * sets and @extra, as symbl_test_run does (60 s at most). */
GList *symbl_test_record (SymblTest * t, const gchar * sources,
    const gchar * extra);

/* Runs @pipeline to EOS or an error (or until @timeout_s) and returns the
 * messages a user watches, in bus order: EOS, ERROR, WARNING and element
 * messages. Sets the pipeline to NULL before returning. */
GList *symbl_test_run (GstElement * pipeline, guint timeout_s);
/* The same, collecting messages of the @extra types too. */
GList *symbl_test_run_with (GstElement * pipeline, guint timeout_s,
    GstMessageType extra);
void symbl_test_messages_free (GList * messages);

/* The text of every warning among @messages, one a line. */
gchar *symbl_test_warnings (GList * messages);
/* How many warnings among @messages contain @needle. */
guint symbl_test_count_warnings (GList * messages, const gchar * needle);
/* The first message of @type (and structure name, for element messages). */
GstMessage *symbl_test_find (GList * messages, GstMessageType type,
    const gchar * name);
/* Index of that message in the list, -1 if absent. */
gint symbl_test_index (GList * messages, GstMessageType type,
    const gchar * name);

/* Fails the test unless @messages holds an error whose text contains
 * @needle; returns that error message. */
GstMessage *symbl_test_expect_error (GList * messages, const gchar * needle);

/* Fails the test unless taking @pipeline to READY fails with an error
 * message; returns its error, once @pipeline is back in NULL. */
GError *symbl_test_error_at_ready (GstElement * pipeline);

/* Takes @pipeline to READY, which must not wait on the network (under
 * 100 ms), then waits for the warning that says what is wrong and
 * returns it (to free), once @pipeline is back in NULL. */
GError *symbl_test_warning_after_ready (GstElement * pipeline);

/* The requests the server recorded; asserts there are exactly @n. */
GPtrArray *symbl_test_requests (SymblTest * t, guint n);
/* The one request the server recorded (asserts there was one); free it
 * with symbl_recorded_request_free (). */
SymblRecordedRequest *symbl_test_the_request (SymblTest * t);

/* Decodes @path to 16 kHz mono S16LE with decodebin. */
GBytes *symbl_test_decode (const gchar * path);
/* The duration GstDiscoverer finds in @path, and its container caps. */
GstClockTime symbl_test_discover (const gchar * path, gchar ** container);

/* One elementary stream of an MP4, as qtdemux finds it. */
typedef struct
{
  GstCaps *caps;
  GstClockTime start;           /* first PTS */
  GstClockTime end;             /* last PTS + duration */
  guint buffers;
} SymblTestStream;

/* The streams of the MP4 at @path, video first, then audio. */
GPtrArray *symbl_test_mp4_streams (const gchar * path);

/* Reference audio: what audiotestsrc makes for @n_samples samples of a
 * @freq Hz sine at 16 kHz mono S16LE. */
GBytes *symbl_test_reference_sine (gdouble freq, guint n_samples);
/* Estimates the frequency of a 16 kHz mono S16LE signal from its zero
 * crossings. */
gdouble symbl_test_estimate_frequency (GBytes * samples);

/* Pushes @seconds of a @freq Hz tone, 16 kHz mono S16LE, timestamped at
 * @start seconds, into @src in one buffer. */
void symbl_test_push_tone (GstAppSrc * src, gdouble freq, gdouble start,
    gdouble seconds);
/* The samples of 16 kHz mono S16LE @samples from @from to @to seconds. */
GBytes *symbl_test_span (GBytes * samples, gdouble from, gdouble to);
/* Root mean square of 16-bit @samples. */
gdouble symbl_test_rms (GBytes * samples);
/* Asserts that @samples from @from to @to seconds are silent (@freq 0) or
 * a tone of about @freq Hz; @what names the stretch in the failure. */
void symbl_test_expect_span (GBytes * samples, gdouble from, gdouble to,
    gdouble freq, const gchar * what);

/* A TCP port on 127.0.0.1 where nothing listens: connections are refused. */
guint symbl_test_closed_port (void);

/* Number of recordings in the spool directory (manifests aside). */
guint symbl_test_count_spool_files (SymblTest * t);

/* @us microseconds, stretched for slow runs (valgrind, sanitizers) by the
 * SYMBL_TEST_TIME_FACTOR environment variable (1 when unset): for waits,
 * and for bounds on how long something may take. */
gint64 symbl_test_us (gint64 us);

/* Peak resident memory of this process, in KiB. */
glong symbl_test_peak_rss_kib (void);

G_END_DECLS
