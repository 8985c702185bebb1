/* SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org> */

/* symbl-bench: the measurements bench/bench.py needs that gst-launch-1.0
 * cannot make. Prints key=value pairs on one line; exits 1 on any error.
 *
 *   symbl-bench run PIPELINE...
 *     Runs a gst-launch-1.0 pipeline description to EOS, like
 *     gst-launch-1.0 does. With an element named "s" (a symblsink), also
 *     measures the time from EOS reaching s's sink pad to s's last
 *     symbl-job message (the end-of-meeting latency), and prints the ids
 *     received and how many uploads there were.
 *
 *   symbl-bench pace SPEED PIPELINE...
 *     The same, but the audio reaches s no faster than SPEED times real
 *     time, as from a live meeting sped up: what segment-duration is for.
 *
 *   With SYMBL_BENCH_LINK_BYTES set to a network interface (lo, in a
 *   network namespace of the bench's own), run and pace also print
 *   link_bytes_after_eos: the bytes it sent, from /proc/net/dev (sysfs
 *   shows the first namespace's), between EOS and the last symbl-job: the
 *   bytes still unsent when the meeting ended.
 *
 *   symbl-bench live [--buffer-ms MS] [--parties 2] N SECONDS LATE_MS SINK...
 *     N live recordings at once in this process, each its own pipeline:
 *       audiotestsrc is-live=true, MS ms buffers (10), 16 kHz mono S16 ! SINK
 *     for SECONDS of audio. "{i}" in SINK becomes the recording's number.
 *     With --parties 2, a two-party call: two such sources, each linked
 *     with "! s." to the element SINK names s (symblsink's two audio
 *     pads, or audiointerleave's).
 *     Every buffer's arrival at SINK is compared with the end of the
 *     audio it holds (its running time): a buffer reaching SINK more than
 *     LATE_MS after that is late. A gap in the sample offsets or a missing
 *     buffer is a drop. Reports the process's CPU time while recording
 *     (getrusage), and from when every stream is past its first second
 *     (steady: their start, spool files and manifests, left out), and
 *     whether every upload (symbl-job) or file (EOS) completed.
 *
 * Built by bench/run.sh with cc and pkg-config gstreamer-1.0.
 */
#define _GNU_SOURCE
#include <gst/gst.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define RATE 16000
#define MAX_LATENESS_BINS 10000 /* 1 ms each: up to 10 s */

static gdouble
seconds_of (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

static gdouble
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return seconds_of (&usage.ru_utime) + seconds_of (&usage.ru_stime);
}

static glong
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Busy time (user, system, interrupts, and the hypervisor's steal) of the
 * CPUs this process may run on, from /proc/stat: with our own CPU time,
 * it tells how much of "our" core other processes took. */
static gdouble
busy_seconds_of_our_cpus (guint * n_cpus)
{
  g_autofree gchar *stat = NULL;
  g_auto (GStrv) lines = NULL;
  cpu_set_t set;
  guint64 ticks = 0;
  guint i;

  *n_cpus = 0;
  if (sched_getaffinity (0, sizeof set, &set) != 0
      || !g_file_get_contents ("/proc/stat", &stat, NULL, NULL))
    return 0;
  lines = g_strsplit (stat, "\n", -1);
  for (i = 0; lines[i]; i++) {
    guint64 user, nice, system, idle, iowait, irq, softirq, steal;
    guint cpu;

    if (sscanf (lines[i], "cpu%u %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
            " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
            " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
            &cpu, &user, &nice, &system, &idle, &iowait, &irq, &softirq,
            &steal) != 9 || !CPU_ISSET (cpu, &set))
      continue;
    ticks += user + nice + system + irq + softirq + steal;
    (*n_cpus)++;
  }
  return (gdouble) ticks / sysconf (_SC_CLK_TCK);
}

/* The bytes sent by the interface SYMBL_BENCH_LINK_BYTES names, or 0. */
static guint64
link_bytes (void)
{
  const gchar *name = g_getenv ("SYMBL_BENCH_LINK_BYTES");
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint i;

  if (!name || !g_file_get_contents ("/proc/net/dev", &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++) {
    g_auto (GStrv) sides = g_strsplit (lines[i], ":", 2);
    guint64 field[9];

    /* Received: bytes packets errs drop fifo frame compressed multicast;
     * then sent: bytes. */
    if (sides[0] && sides[1] && g_str_equal (g_strstrip (sides[0]), name)
        && sscanf (sides[1], "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
            " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
            " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
            " %" G_GUINT64_FORMAT, &field[0], &field[1], &field[2],
            &field[3], &field[4], &field[5], &field[6], &field[7],
            &field[8]) == 9)
      return field[8];
  }
  return 0;
}

static gdouble
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static G_GNUC_NORETURN void
fail (const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  fputs ("symbl-bench: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

static void
fail_on_error (GstMessage * message)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  gst_message_parse_error (message, &error, &debug);
  fail ("error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
      error->message, debug ? debug : "");
}

static GstElement *
parse (const gchar * description)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  if (!pipeline || error)
    fail ("cannot parse \"%s\": %s", description, error ? error->message : "?");
  return pipeline;
}

/* ---- run ---------------------------------------------------------------- */

typedef struct
{
  gint64 eos_us;                /* EOS reached s */
  gint64 job_us;                /* the last symbl-job posted */
  gdouble eos_cpu, job_cpu;     /* the process's CPU time then */
  guint64 eos_link, job_link;   /* link_bytes () then */
  GstStructure *job;            /* the first symbl-job message's fields */
  guint jobs;                   /* symbl-job messages */
  gdouble speed;                /* pace: times real time; 0: as fast as can be */
  gint64 start_us;              /* pace: when the first buffer reached s */
} Run;

/* Holds each buffer back until its audio's end, sped up, is due. */
static GstPadProbeReturn
on_buffer_at_sink (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint64 due;

  if (!run->start_us)
    run->start_us = g_get_monotonic_time ();
  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  due = run->start_us + (GST_BUFFER_PTS (buffer) +
      GST_BUFFER_DURATION (buffer)) / GST_USECOND / run->speed;
  if (due > g_get_monotonic_time ())
    g_usleep (due - g_get_monotonic_time ());
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_eos_at_sink (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;

  /* Read after the EOS message: the bus orders the two. */
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    run->eos_us = g_get_monotonic_time ();
    run->eos_cpu = cpu_seconds ();
    run->eos_link = link_bytes ();
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
probe_eos (GstElement * element, GstPad * pad, gpointer user_data)
{
  Run *run = user_data;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_eos_at_sink, run, NULL);
  if (run->speed > 0)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer_at_sink,
        run, NULL);
  return TRUE;
}

/* In the posting thread: the time the message was posted, not read. */
static GstBusSyncReply
on_run_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Run *run = user_data;
  const GstStructure *s = gst_message_get_structure (message);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT && s
      && gst_structure_has_name (s, "symbl-job")) {
    run->job_us = g_get_monotonic_time ();
    run->job_cpu = cpu_seconds ();
    run->job_link = link_bytes ();
    if (!run->jobs++)
      run->job = gst_structure_copy (s);
  }
  return GST_BUS_PASS;
}

static int
run_pipeline (gint argc, gchar ** argv, gdouble speed)
{
  g_autofree gchar *description = g_strjoinv (" ", argv);
  GstElement *pipeline = parse (description);
  g_autoptr (GstElement) s = gst_bin_get_by_name (GST_BIN (pipeline), "s");
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  Run run = { 0, 0, 0, 0, 0, 0, NULL, 0, speed, 0 };
  GstMessage *message;
  gdouble start;
  guint64 size = 0;

  if (s)
    gst_element_foreach_sink_pad (s, probe_eos, &run);
  gst_bus_set_sync_handler (bus, on_run_message, &run, NULL);

  start = now_s ();
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    fail ("cannot start \"%s\"", description);
  message = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    fail_on_error (message);
  gst_message_unref (message);
  printf ("wall_s=%.4f", now_s () - start);

  if (s) {
    if (!run.job || !run.eos_us)
      fail ("no symbl-job message from s");
    gst_structure_get_uint64 (run.job, "size", &size);
    /* job_at_s: CLOCK_MONOTONIC, as Python's time.monotonic(). */
    printf (" eos_to_job_s=%.4f eos_to_job_cpu_s=%.4f job_at_s=%.4f "
        "conversation_id=%s job_id=%s size=%" G_GUINT64_FORMAT " jobs=%u",
        (run.job_us - run.eos_us) / 1e6, run.job_cpu - run.eos_cpu,
        run.job_us / 1e6,
        gst_structure_get_string (run.job, "conversation-id"),
        gst_structure_get_string (run.job, "job-id"), size, run.jobs);
    if (g_getenv ("SYMBL_BENCH_LINK_BYTES"))
      printf (" link_bytes_after_eos=%" G_GUINT64_FORMAT,
          run.job_link - run.eos_link);
    gst_structure_free (run.job);
  }
  printf ("\n");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return 0;
}

/* ---- live --------------------------------------------------------------- */

typedef struct
{
  GstElement *pipeline;
  gboolean done;                /* lock */
  gboolean uploaded;            /* lock */
} Recorder;

/* One source's edge into a recorder. */
typedef struct
{
  GstElement *pipeline;
  /* Streaming thread only, from here. The segment and base time are read
   * once: a live source's do not change, and reading them for every
   * buffer would add to what is measured. */
  GstSegment segment;
  GstClockTime base_time;
  guint64 buffers;
  guint64 next_offset;
  guint64 drops;
  guint64 late;
  GstClockTimeDiff max_lateness;
} Recording;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint n;                      /* edges: recordings times parties */
  guint64 buffers_each;
  GstClockTime late_threshold;
  GstClock *clock;
  guint finished_recording;     /* atomic: streams that got every buffer */
  guint64 buffers_first_second;
  guint past_first_second;      /* atomic: streams past their first second */
  gdouble steady_start_cpu;     /* once every stream is past its first second */
  gdouble steady_start_time;
  gdouble record_end_cpu;
  gdouble record_end_time;
  gdouble record_end_busy;
  guint done;                   /* lock: pipelines at EOS or error */
  guint uploads;                /* lock: symbl-job messages */
  gchar *error;                 /* lock: the first error */
  guint lateness_hist[MAX_LATENESS_BINS + 1];   /* atomic, 1 ms bins */
} Live;

static Live live;

/* At the boundary between the source and the recorder: the buffer's
 * arrival against the end of the audio it holds. */
static GstPadProbeReturn
on_live_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Recording *rec = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime end, now;
  GstClockTimeDiff lateness;
  guint bin;

  if (G_UNLIKELY (rec->buffers == 0)) {
    g_autoptr (GstEvent) event = gst_pad_get_sticky_event (pad,
        GST_EVENT_SEGMENT, 0);
    const GstSegment *segment;

    gst_event_parse_segment (event, &segment);
    gst_segment_copy_into (segment, &rec->segment);
    rec->base_time = gst_element_get_base_time (rec->pipeline);
  }
  end = gst_segment_to_running_time (&rec->segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer));
  now = gst_clock_get_time (live.clock) - rec->base_time;
  lateness = GST_CLOCK_DIFF (end, now);
  if (lateness > rec->max_lateness)
    rec->max_lateness = lateness;
  if (lateness > (GstClockTimeDiff) live.late_threshold)
    rec->late++;
  bin = lateness <= 0 ? 0 : MIN (lateness / GST_MSECOND, MAX_LATENESS_BINS);
  g_atomic_int_inc (&live.lateness_hist[bin]);

  if (rec->buffers > 0 && (GST_BUFFER_OFFSET (buffer) != rec->next_offset
          || GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DISCONT)))
    rec->drops++;
  rec->next_offset = GST_BUFFER_OFFSET_END (buffer);
  rec->buffers++;

  /* Every stream started (its spool file, its manifest): from here on the
   * recording's steady cost. */
  if (rec->buffers == live.buffers_first_second
      && (guint) g_atomic_int_add (&live.past_first_second, 1) + 1 == live.n) {
    live.steady_start_cpu = cpu_seconds ();
    live.steady_start_time = now_s ();
  }
  /* The last buffer of the last stream: recording is over, uploads start. */
  if (rec->buffers == live.buffers_each
      && (guint) g_atomic_int_add (&live.finished_recording, 1) + 1 == live.n) {
    guint n_cpus;

    live.record_end_cpu = cpu_seconds ();
    live.record_end_time = now_s ();
    live.record_end_busy = busy_seconds_of_our_cpus (&n_cpus);
  }
  return GST_PAD_PROBE_OK;
}

static GstBusSyncReply
on_live_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Recorder *rec = user_data;
  const GstStructure *s = gst_message_get_structure (message);
  g_autoptr (GError) error = NULL;

  g_mutex_lock (&live.lock);
  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ELEMENT:
      if (s && gst_structure_has_name (s, "symbl-job") && !rec->uploaded) {
        rec->uploaded = TRUE;
        live.uploads++;
      }
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      if (!live.error)
        live.error = g_strdup (error->message);
      /* fall through */
    case GST_MESSAGE_EOS:
      if (!rec->done) {
        rec->done = TRUE;
        live.done++;
        g_cond_signal (&live.cond);
      }
      break;
    default:
      break;
  }
  g_mutex_unlock (&live.lock);
  gst_message_unref (message);
  return GST_BUS_DROP;
}

static gchar *
replace_index (const gchar * sink, guint i)
{
  g_auto (GStrv) parts = g_strsplit (sink, "{i}", -1);
  g_autofree gchar *number = g_strdup_printf ("%u", i);

  return g_strjoinv (number, parts);
}

static guint64
lateness_percentile_ms (guint64 total, gdouble fraction)
{
  guint64 seen = 0;
  guint bin;

  for (bin = 0; bin <= MAX_LATENESS_BINS; bin++) {
    seen += live.lateness_hist[bin];
    if (seen >= fraction * total)
      return bin;
  }
  return MAX_LATENESS_BINS;
}

static int
run_live (gint argc, gchar ** argv)
{
  guint buffer_ms = 10, parties = 1, n, i, j;
  gdouble seconds, start_cpu, start_time, end_time, end_cpu, start_busy, others;
  guint n_cpus, samples_per_buffer;
  g_autofree gchar *sink = NULL;
  Recorder *recorders;
  Recording *recs;
  guint64 buffers = 0, drops = 0, late = 0, total;
  GstClockTimeDiff max_lateness = 0;

  for (; argc >= 2 && g_str_has_prefix (argv[0], "--"); argc -= 2, argv += 2)
    if (g_str_equal (argv[0], "--buffer-ms"))
      buffer_ms = atoi (argv[1]);
    else if (g_str_equal (argv[0], "--parties"))
      parties = atoi (argv[1]);
    else
      fail ("unknown option %s", argv[0]);
  if (argc < 4 || buffer_ms == 0 || parties == 0 || parties > 2)
    fail ("usage: live [--buffer-ms MS] [--parties 1|2] N SECONDS LATE_MS "
        "SINK...");
  n = atoi (argv[0]);
  seconds = g_ascii_strtod (argv[1], NULL);
  sink = g_strjoinv (" ", argv + 3);
  samples_per_buffer = RATE * buffer_ms / 1000;

  g_mutex_init (&live.lock);
  g_cond_init (&live.cond);
  live.n = n * parties;
  live.buffers_each = (guint64) (seconds * RATE / samples_per_buffer);
  live.buffers_first_second = RATE / samples_per_buffer;
  live.late_threshold = g_ascii_strtod (argv[2], NULL) * GST_MSECOND;
  live.clock = gst_system_clock_obtain ();
  recorders = g_new0 (Recorder, n);
  recs = g_new0 (Recording, n * parties);

  for (i = 0; i < n; i++) {
    g_autofree gchar *recorder = replace_index (sink, i);
    g_autoptr (GString) description = g_string_new (NULL);
    g_autoptr (GstBus) bus = NULL;

    for (j = 0; j < parties; j++)
      g_string_append_printf (description, "audiotestsrc is-live=true "
          "samplesperbuffer=%u num-buffers=%" G_GUINT64_FORMAT " freq=%u"
          " ! capsfilter name=edge%u caps=audio/x-raw,format=S16LE,rate=%u,"
          "channels=1 ! %s ", samples_per_buffer, live.buffers_each,
          440 + 220 * j, j, RATE, parties > 1 ? "s." : "");
    g_string_append (description, recorder);
    recorders[i].pipeline = parse (description->str);
    for (j = 0; j < parties; j++) {
      g_autofree gchar *name = g_strdup_printf ("edge%u", j);
      g_autoptr (GstElement) edge = NULL;
      g_autoptr (GstPad) pad = NULL;
      Recording *rec = &recs[i * parties + j];

      rec->pipeline = recorders[i].pipeline;
      rec->max_lateness = G_MININT64;
      edge = gst_bin_get_by_name (GST_BIN (rec->pipeline), name);
      pad = gst_element_get_static_pad (edge, "src");
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_live_buffer,
          rec, NULL);
    }
    bus = gst_element_get_bus (recorders[i].pipeline);
    gst_bus_set_sync_handler (bus, on_live_message, &recorders[i], NULL);
    /* Set up (spool, HTTP client) before the clock starts for anyone. */
    if (gst_element_set_state (recorders[i].pipeline, GST_STATE_PAUSED) ==
        GST_STATE_CHANGE_FAILURE)
      fail ("cannot start recording %u: %s", i, live.error ? live.error :
          description->str);
  }

  start_busy = busy_seconds_of_our_cpus (&n_cpus);
  start_cpu = cpu_seconds ();
  start_time = now_s ();
  for (i = 0; i < n; i++)
    gst_element_set_state (recorders[i].pipeline, GST_STATE_PLAYING);

  g_mutex_lock (&live.lock);
  while (live.done < n)
    g_cond_wait (&live.cond, &live.lock);
  g_mutex_unlock (&live.lock);
  end_time = now_s ();
  end_cpu = cpu_seconds ();

  for (i = 0; i < n * parties; i++) {
    buffers += recs[i].buffers;
    /* Buffers that never came are dropped too. */
    drops += recs[i].drops + (live.buffers_each - MIN (recs[i].buffers,
            live.buffers_each));
    late += recs[i].late;
    max_lateness = MAX (max_lateness, recs[i].max_lateness);
  }
  for (i = 0; i < n; i++) {
    gst_element_set_state (recorders[i].pipeline, GST_STATE_NULL);
    gst_object_unref (recorders[i].pipeline);
  }
  total = buffers ? buffers : 1;
  if (live.finished_recording < live.n) {
    live.record_end_cpu = end_cpu;
    live.record_end_time = end_time;
    live.record_end_busy = busy_seconds_of_our_cpus (&n_cpus);
  }
  /* The share of our CPUs that others used while we recorded. */
  others = n_cpus ? ((live.record_end_busy - start_busy) -
      (live.record_end_cpu - start_cpu)) / (n_cpus *
      (live.record_end_time - start_time)) : 0;

  printf ("streams=%u seconds=%g buffers=%" G_GUINT64_FORMAT " expected=%"
      G_GUINT64_FORMAT " dropped=%" G_GUINT64_FORMAT " late=%"
      G_GUINT64_FORMAT " late_ms=%s max_late_ms=%.1f p99_late_ms=%"
      G_GUINT64_FORMAT " uploads=%u record_wall_s=%.3f record_cpu_s=%.3f"
      " total_wall_s=%.3f total_cpu_s=%.3f steady_wall_s=%.3f"
      " steady_cpu_s=%.3f max_rss_kb=%ld others_share=%.3f error=%s\n", n,
      seconds, buffers, live.buffers_each * live.n, drops, late, argv[2],
      max_lateness / 1e6, lateness_percentile_ms (total, 0.99), live.uploads,
      live.record_end_time - start_time, live.record_end_cpu - start_cpu,
      end_time - start_time, end_cpu - start_cpu,
      live.steady_start_time ? live.record_end_time - live.steady_start_time
      : 0, live.steady_start_cpu ? live.record_end_cpu - live.steady_start_cpu
      : 0, max_rss_kb (), MAX (others, 0), live.error ? "yes" : "no");
  if (live.error)
    fprintf (stderr, "symbl-bench: first error: %s\n", live.error);
  g_free (recs);
  g_free (recorders);
  return 0;
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  if (argc >= 3 && g_str_equal (argv[1], "run"))
    return run_pipeline (argc - 2, argv + 2, 0);
  if (argc >= 4 && g_str_equal (argv[1], "pace"))
    return run_pipeline (argc - 3, argv + 3, g_ascii_strtod (argv[2], NULL));
  if (argc >= 3 && g_str_equal (argv[1], "live"))
    return run_live (argc - 2, argv + 2);
  fprintf (stderr, "usage: symbl-bench run PIPELINE...\n"
      "       symbl-bench pace SPEED PIPELINE...\n"
      "       symbl-bench live [--buffer-ms MS] [--parties 2] N SECONDS "
      "LATE_MS SINK...\n");
  return 2;
}
