#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Measures symblsink against the two-step way (record a file, then upload
it with curl), as issue 6 asks, and prints one table: figure, target, PASS
or MISS. Run through bench/run.sh, which builds and installs what this
needs; docs/performance.md explains every row.

Each comparison alternates A (symblsink) and B (the baseline) over ROUNDS
rounds, swapping which goes first, and reports medians: one run on a
shared machine is noise. Clients run on core 0, the local server on core 1,
so that the server never competes with what is measured. CPU time and peak
RSS come from wait4() on each process.

Standard library only: Debian's /usr/bin/python3, no gi.
"""
import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave

TOKEN = "local-dev-token"
PRIORITY = -10

# The encoders symblsink builds (gst/symbl/symblencoding.c), into filesink:
# the best a two-step user can do with gst-launch-1.0. The input is already
# 16 kHz mono S16, so no conversion is needed.
FORMATS = {
    "wav": ("wavenc", "wav", "audio/wav"),
    "flac": ("flacenc", "flac", None),
    "mp3": ("lamemp3enc target=bitrate bitrate=32 cbr=true", "mp3",
            "audio/mpeg"),
    "opus": ("opusenc audio-type=voice bitrate=24000 ! oggmux", "ogg", None),
}

# Recording lengths in seconds: full run, and --smoke.
LENGTHS = {"1 min": (60, 2), "1 h": (3600, 10), "4 h": (14400, 20)}

# 5 again, through a link of this rate: the loopback of a network namespace
# of the bench's own (unshare -n), shaped with tc's tbf; the machine's
# loopback is never touched.
LINK_RATE = "10gbit"

# 8: live CPU against the bare pipeline, (buffer ms, parties): 50 streams
# of 10 ms and of 64 ms buffers, and 50 two-party calls of 10 ms buffers.
LIVE_CPU_VARIANTS = ((10, 1), (64, 1), (10, 2))
LIVE_CPU_TARGET = 1.05

# 6: the 1 h recording cut into segments of this many seconds, reaching
# symblsink this many times faster than real time (full run, --smoke).
SEGMENT = (600, 2)
SPEED = (120, 10)

# 7: EOS to the ids over an uplink, in a namespace as 5: a meeting of this
# many seconds (full run, --smoke) in every format, over links of these
# rates, as one upload (0) and in segments of these lengths (s). Segmented
# runs reach symblsink at these multiples of real time, chosen so that the
# link keeps up while recording (WAV is 256 kbit/s: 60x is 15.4 Mbit/s)
# and the encoder too (Opus encodes 1 h in about 42 s of one core); one
# upload runs as fast as it can, its whole file being unsent at EOS anyway.
# --smoke runs a tiny version, and skips it without root, tc or unshare.
UPLINK_SECONDS = (3600, 20)
UPLINK_RATES = (("20mbit", "100mbit"), ("20mbit",))
UPLINK_SEGMENTS = ((0, 300, 900), (0, 5, 10))
UPLINK_SPEED = ({"wav": 60, "flac": 100, "mp3": 120, "opus": 60},
                {"wav": 10, "flac": 10, "mp3": 10, "opus": 10})
# A burst of two 64 KB loopback packets, not megabytes that would send the
# first 1.6 s of a 20 Mbit/s upload at once; a queue of 400 ms, in which
# no packet was dropped on this machine (the table counts drops).
UPLINK_BURST, UPLINK_LATENCY = "128kb", "400ms"
# The interface whose sent bytes are the link's: the namespace's loopback.
LINK_COUNTER = "lo"


def log(*words):
    print(*words, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


def ratio(a, b):
    """a / b, NaN (a MISS) when b rounds to nothing, as CPU times in
    --smoke may."""
    return a / b if b > 0 else float("nan")


def parse_pairs(text):
    """The key=value pairs of symbl-bench's last line of output."""
    lines = [line for line in text.splitlines() if "=" in line]
    if not lines:
        return {}
    return dict(pair.split("=", 1) for pair in lines[-1].split())


class Broken(Exception):
    """Something failed to run: not a missed target."""


class Bench:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.rounds = 1 if self.smoke else int(os.environ.get("ROUNDS", "3"))
        self.build = os.path.abspath(args.build)
        self.harness = os.path.join(self.build, "bench", "symbl-bench")
        self.two_cores = len(os.sched_getaffinity(0)) >= 2
        self.work = tempfile.mkdtemp(prefix="symbl-bench-", dir=self.build)
        self.spool = os.path.join(self.work, "spool")
        os.makedirs(self.spool)
        self.results = {}

    # ---- the local server -------------------------------------------------

    @staticmethod
    def raise_priority():
        """In a child, in a session of its own: runs it at nice -10 when
        allowed, so that other work on a shared machine disturbs what is
        measured less. With autogroups the session's group is what counts."""
        try:
            with open("/proc/self/autogroup", "w") as f:
                f.write(str(PRIORITY))
        except OSError:
            pass
        try:
            os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)
        except OSError:
            pass

    def on_client_core(self):
        self.raise_priority()
        if self.two_cores:
            os.sched_setaffinity(0, {0})

    def on_server_core(self):
        self.raise_priority()
        if self.two_cores:
            os.sched_setaffinity(0, {1})

    def start_server(self):
        port_file = os.path.join(self.work, "port")
        self.server = subprocess.Popen(
            # Bodies are counted, not kept: the server must not be what
            # limits an upload, and writing 460 MB, even to tmpfs, took it
            # from 0.25 to 1.3 s on this VM (docs/performance.md).
            [os.path.join(self.build, "server", "symbl-local-server"),
             "--quiet", "--discard-bodies", "--port-file", port_file],
            stdout=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=self.on_server_core)
        for _ in range(100):
            if os.path.exists(port_file):
                break
            if self.server.poll() is not None:
                raise Broken("the local server did not start")
            time.sleep(0.1)
        else:
            raise Broken("the local server wrote no port file in 10 s")
        with open(port_file) as f:
            self.url = "http://127.0.0.1:%d" % int(f.read())
        os.environ.update({
            "GST_PLUGIN_PATH": os.path.join(self.build, "gst", "symbl"),
            # Our own registry, brought up to date before anything is
            # measured: the run that rebuilds it takes more memory.
            "GST_REGISTRY": os.path.join(self.build, "bench-registry.bin"),
            "SYMBL_API_URL": self.url,
            "SYMBL_ACCESS_TOKEN": TOKEN,
        })
        subprocess.run(["gst-inspect-1.0", "symblsink"], check=True,
                       stdout=subprocess.DEVNULL)

    def server_cpu_seconds(self):
        with open("/proc/%d/stat" % self.server.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if getattr(self, "child", None):
            self.child.kill()
            self.child.wait()
        if getattr(self, "server", None):
            self.server.terminate()
            self.server.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    # ---- running things ---------------------------------------------------

    def timed(self, argv):
        """Runs argv on the client core: its wall and CPU time (s), peak RSS
        (MB), from wait4(), and the key=value pairs it printed."""
        with tempfile.TemporaryFile("w+") as out, \
                tempfile.TemporaryFile("w+") as err:
            start = time.monotonic()
            proc = subprocess.Popen(argv, stdout=out, stderr=err,
                                    start_new_session=True,
                                    preexec_fn=self.on_client_core)
            self.child = proc
            _, status, usage = os.wait4(proc.pid, 0)
            self.child = None
            wall = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            text = out.read()
            if proc.returncode != 0:
                raise Broken("%s failed:\n%s%s" % (" ".join(argv), text,
                                                   err.read()))
        return {"start": start, "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss": usage.ru_maxrss / 1024, "out": text,
                **parse_pairs(text)}

    def pipeline(self, description):
        return self.timed([self.harness, "run"] + description.split())

    def curl(self, path, content_type):
        """Uploads path as the two-step user would; checks the ids came."""
        headers = ["-H", "Authorization: Bearer " + TOKEN]
        if content_type:
            headers += ["-H", "Content-Type: " + content_type]
        server_before = self.server_cpu_seconds()
        result = self.timed(
            ["curl", "-sS", "-X", "POST", "-T", path, "-w",
             "\ntime_total=%{time_total} http_code=%{http_code}"] + headers +
            [self.url + "/v1/process/audio"])
        result["server_cpu"] = self.server_cpu_seconds() - server_before
        reply = json.loads(result["out"].splitlines()[0])
        if result["http_code"] != "201" or "jobId" not in reply:
            raise Broken("curl's upload failed: " + result["out"])
        return result

    # ---- the audio --------------------------------------------------------

    def audio(self, seconds):
        """A WAV of speech, 16 kHz mono S16: examples/meeting.ogg (21 s of
        espeak) repeated. Made once, kept in the data directory."""
        data = os.environ.get("BENCH_DATA",
                              os.path.join(self.build, "bench-data"))
        os.makedirs(data, exist_ok=True)
        raw = os.path.join(data, "speech.raw")
        if not os.path.exists(raw):
            subprocess.run(
                ["gst-launch-1.0", "-q", "filesrc",
                 "location=examples/meeting.ogg", "!", "decodebin", "!",
                 "audioconvert", "!", "audioresample", "!",
                 "audio/x-raw,format=S16LE,rate=16000,channels=1", "!",
                 "filesink", "location=" + raw + ".part"], check=True)
            os.rename(raw + ".part", raw)
        path = os.path.join(data, "speech-%ds.wav" % seconds)
        if os.path.exists(path):
            return path
        size = seconds * 16000 * 2
        if shutil.disk_usage(data).free < 4 * size + (1 << 30):
            raise Broken("not enough free disk in %s for %d s of audio"
                         % (data, seconds))
        with open(raw, "rb") as f:
            speech = f.read()
        with wave.open(path + ".part", "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            left = size
            while left > 0:
                w.writeframesraw(speech[:left])
                left -= min(left, len(speech))
        os.rename(path + ".part", path)
        return path

    # ---- 1, 2, 3, 5: a recording from a file ------------------------------

    def record(self, label, seconds, fmt):
        """One round of A (symblsink) and B (encoder into filesink, then
        curl), in an order that alternates from round to round."""
        source = "filesrc location=%s ! wavparse" % self.audio(seconds)
        encoder, extension, content_type = FORMATS[fmt]
        out = os.path.join(self.work, "two-step." + extension)

        def a():
            r = self.pipeline("%s ! symblsink name=s format=%s spool-dir=%s"
                              % (source, fmt, self.spool))
            if not r.get("job_id"):
                raise Broken("symblsink posted no job id")
            # Up to the ids, as for curl: not the teardown after them.
            r["to_ids"] = float(r["job_at_s"]) - r["start"]
            return r

        def b():
            rec = self.pipeline("%s ! %s ! filesink location=%s"
                                % (source, encoder, out))
            up = self.curl(out, content_type)
            return {"record": rec, "upload": up, "size": os.path.getsize(out)}

        key = (label, fmt)
        runs = self.results.setdefault(key, {"a": [], "b": []})
        first_a = len(runs["a"]) % 2 == 0
        for side in ("ab" if first_a else "ba"):
            runs[side].append(a() if side == "a" else b())
        os.unlink(out)
        ra, rb = runs["a"][-1], runs["b"][-1]
        log("  %-5s %-4s symblsink %.2f s, two-step %.2f + %.2f s"
            % (label, fmt, ra["to_ids"], rb["record"]["wall"],
               rb["upload"]["wall"]))

    def recordings(self):
        # Runs of a second or less are repeated within each round: their
        # medians need more samples than the minute-long ones.
        plan = [("1 min", "wav", 5), ("1 h", "wav", 5), ("4 h", "wav", 2),
                ("1 h", "flac", 2), ("1 h", "mp3", 1), ("1 h", "opus", 1)]
        for r in range(self.rounds):
            log("round %d of %d: recordings" % (r + 1, self.rounds))
            for label, fmt, repeats in plan:
                for _ in range(1 if self.smoke else repeats):
                    self.record(label, LENGTHS[label][self.smoke], fmt)

    # ---- 5 and 7 on a link: what loopback leaves out ---------------------

    @staticmethod
    def shape(rate, burst, latency):
        """Limits this namespace's loopback to rate with tc's token bucket,
        as a network interface would."""
        subprocess.run(["tc", "qdisc", "replace", "dev", "lo", "root", "tbf",
                        "rate", rate, "burst", burst, "latency", latency],
                       check=True)

    @staticmethod
    def link_drops():
        shown = subprocess.run(["tc", "-s", "qdisc", "show", "dev", "lo"],
                               capture_output=True, text=True).stdout
        words = shown.replace(",", " ").split()
        return int(words[words.index("dropped") + 1]) \
            if "dropped" in words else 0

    def in_namespace(self, row):
        """Runs row (a method's name) in a bench of its own, in a network
        namespace of its own (unshare -n) with its own local server: its
        results, or None when this cannot be done here (logged)."""
        if os.geteuid() != 0:
            why = "needs root"
        elif not all(shutil.which(t) for t in ("tc", "ip", "unshare")):
            why = "needs tc, ip and unshare"
        elif subprocess.run(
                ["unshare", "-n", "tc", "qdisc", "add", "dev", "lo", "root",
                 "tbf", "rate", "1mbit", "burst", "32kb", "latency", "50ms"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode != 0:
            # A container may refuse namespaces, or lack sch_tbf.
            why = "cannot shape a network namespace's loopback here"
        else:
            why = None
        if why:
            log("%s: skipped (%s)" % (row, why))
            return None
        child = subprocess.run(
            ["unshare", "-n", sys.executable, os.path.abspath(__file__),
             "--build", self.build, "--netns", row] +
            (["--smoke"] if self.smoke else []), stdout=subprocess.PIPE,
            text=True)
        if child.returncode != 0:
            raise Broken("the %s row failed in its network namespace" % row)
        return json.loads(child.stdout)

    def linked(self):
        """Row 5's 1 h comparison again through a LINK_RATE link."""
        self.shape(LINK_RATE, "4mb", "50ms")
        runs = {"a": [], "b": []}
        seconds = LENGTHS["1 h"][self.smoke]
        path = self.audio(seconds)
        for r in range(self.rounds):
            log("round %d of %d: 1 h through a %s link"
                % (r + 1, self.rounds, LINK_RATE))
            for side in ("ab" if r % 2 == 0 else "ba"):
                if side == "a":
                    runs["a"].append(self.pipeline(
                        "filesrc location=%s ! wavparse ! symblsink name=s "
                        "format=wav spool-dir=%s" % (path, self.spool)))
                else:
                    runs["b"].append(self.curl(path, "audio/wav"))
        return runs

    def uplink(self):
        """7: EOS to the ids against the physical floor, the bytes still
        unsent at EOS over the link's rate, for every rate, format and
        segment-duration."""
        seconds = UPLINK_SECONDS[self.smoke]
        path = self.audio(seconds)
        os.environ["SYMBL_BENCH_LINK_BYTES"] = LINK_COUNTER
        rounds = 1 if self.smoke else int(os.environ.get("UPLINK_ROUNDS",
                                                         "1"))
        runs = []
        for rate in UPLINK_RATES[self.smoke]:
            self.shape(rate, UPLINK_BURST, UPLINK_LATENCY)
            bits = float(rate[:-len("mbit")]) * 1e6
            for fmt in FORMATS:
                for segment in UPLINK_SEGMENTS[self.smoke]:
                    speed = UPLINK_SPEED[self.smoke][fmt] if segment else 0
                    sink = ("filesrc location=%s ! wavparse ! symblsink "
                            "name=s format=%s segment-duration=%d "
                            "spool-dir=%s" % (path, fmt, segment,
                                              self.spool)).split()
                    for _ in range(rounds):
                        drops = self.link_drops()
                        r = self.timed(
                            [self.harness] + (["pace", str(speed)] if speed
                                              else ["run"]) + sink)
                        if not r.get("job_id"):
                            raise Broken("symblsink posted no job id")
                        unsent = int(r["link_bytes_after_eos"])
                        run = {"rate": rate, "format": fmt,
                               "segment": segment, "speed": speed,
                               "seconds": seconds,
                               "eos_to_ids": float(r["eos_to_job_s"]),
                               "unsent_bytes": unsent,
                               "floor": unsent * 8 / bits,
                               "jobs": int(r["jobs"]), "cpu": r["cpu"],
                               "wall": r["wall"],
                               "drops": self.link_drops() - drops}
                        runs.append(run)
                        log("  %-7s %-4s %-8s %.2f s to the ids, floor "
                            "%.2f s (%.1f MB unsent), %d uploads, %.1f s "
                            "CPU, %d drops" % (
                                rate, fmt, "%d s" % segment if segment
                                else "one", run["eos_to_ids"], run["floor"],
                                unsent / 1e6, run["jobs"], run["cpu"],
                                run["drops"]))
        return runs

    # ---- 6: a long meeting uploaded while it happens ---------------------

    def segmented(self):
        """A (symblsink segment-duration, paced as a sped-up live meeting:
        uploads overlap the recording) against B (curl uploading one
        segment's length of WAV): the wait after the meeting should be one
        segment's upload, not the whole meeting's."""
        seconds = LENGTHS["1 h"][self.smoke]
        segment, speed = SEGMENT[self.smoke], SPEED[self.smoke]
        runs = self.results.setdefault("segments", {"a": [], "b": []})
        for r in range(self.rounds):
            log("round %d of %d: 1 h in %d s segments at %dx real time"
                % (r + 1, self.rounds, segment, speed))
            for side in ("ab" if r % 2 == 0 else "ba"):
                if side == "a":
                    result = self.timed(
                        [self.harness, "pace", str(speed)] +
                        ("filesrc location=%s ! wavparse ! symblsink name=s "
                         "format=wav segment-duration=%d spool-dir=%s"
                         % (self.audio(seconds), segment,
                            self.spool)).split())
                    if int(result.get("jobs", 0)) < seconds // segment - 1:
                        raise Broken("expected about %d segments: %s"
                                     % (seconds // segment, result["out"]))
                else:
                    result = self.curl(self.audio(segment), "audio/wav")
                runs[side].append(result)

    # ---- 4: live recordings -----------------------------------------------

    def live(self, side, n, buffer_ms=10, parties=1, seconds=None):
        """n live recordings in one process for LIVE_SECONDS: of one
        source each, or of a two-party call (parties=2)."""
        if side == "a":
            sink = "symblsink name=s format=wav spool-dir=" + self.spool
        elif parties == 1:
            sink = "wavenc ! filesink location=%s/live-{i}.wav" % self.work
        else:
            sink = ("audiointerleave name=s ! wavenc ! filesink "
                    "location=%s/live-{i}.wav" % self.work)
        seconds = self.live_seconds if seconds is None else seconds
        r = self.timed([self.harness, "live", "--buffer-ms", str(buffer_ms),
                        "--parties", str(parties), str(n), str(seconds),
                        str(self.late_ms)] + sink.split())
        for name in os.listdir(self.work):
            if name.startswith("live-"):
                os.unlink(os.path.join(self.work, name))
        if r.get("error") != "no":
            raise Broken("a live recording failed: " + r["out"])
        r["ok"] = (r["dropped"] == "0" and r["late"] == "0" and
                   (side == "b" or r["uploads"] == str(n)))
        # CPU per stream, as a fraction of one core.
        r["per_stream"] = float(r["record_cpu_s"]) / (
            n * float(r["record_wall_s"]))
        log("  live %s %4d %s, %d ms: %s, %.3f%% of a core each, max %s ms "
            "late, others took %.0f%% of the core" % (
                "symblsink" if side == "a" else "bare     ", n,
                "calls  " if parties > 1 else "streams", buffer_ms,
                "ok  " if r["ok"] else "LATE", 100 * r["per_stream"],
                r["max_late_ms"], 100 * float(r["others_share"])))
        return r

    def search(self, side, start, limit):
        """The largest number of streams that stays on time: bracket from
        start, then bisect to 3 %. A generator, so that the two sides can
        take turns. A failure is tried once more: on this shared VM a
        stall of a few hundred ms now and then (other work, page faults,
        writeback) is not the recorder falling behind; overload fails twice."""
        passed, failed, n, retried = 0, None, start, False
        trials = []
        while True:
            r = self.live(side, n)
            r["streams"] = n
            trials.append(r)
            if not r["ok"] and not retried:
                retried = True
                yield
                continue
            retried = False
            if r["ok"]:
                passed = n
            else:
                failed = n
            if passed >= limit:
                break
            if failed is None:
                n = min(limit, int(n * 1.15 / 5 + 1) * 5)
            elif passed == 0 and failed <= 2:
                break
            elif passed == 0:
                n = max(1, int(failed * 0.75 / 5) * 5 or failed // 2)
            elif failed - passed <= max(5, passed * 0.03):
                break
            else:
                n = (passed + failed) // 2
            if len(trials) >= 10:
                break
            yield
        self.results[("capacity", side)] = {"streams": passed,
                                             "trials": trials,
                                             "limit": limit}

    def live_settings(self):
        self.live_seconds = float(os.environ.get(
            "LIVE_SECONDS", "3" if self.smoke else "60"))
        self.late_ms = float(os.environ.get("LATE_MS", "200"))

    def live_cpu(self):
        """8: the CPU time of LIVE_CPU_N (50) live recordings in one process
        against the bare pipeline's, alternating, for each variant."""
        self.live_settings()
        n = 2 if self.smoke else int(os.environ.get("LIVE_CPU_N", "50"))
        seconds = 1 if self.smoke else self.live_seconds
        for r in range(self.rounds):
            log("round %d of %d: live CPU, %d recordings" % (
                r + 1, self.rounds, n))
            for buffer_ms, parties in LIVE_CPU_VARIANTS:
                runs = self.results.setdefault(
                    ("live cpu", buffer_ms, parties),
                    {"a": [], "b": [], "n": n, "seconds": seconds})
                for side in ("ab" if r % 2 == 0 else "ba"):
                    runs[side].append(self.live(side, n, buffer_ms, parties,
                                                seconds))

    def lives(self):
        self.live_settings()
        n = 2 if self.smoke else int(os.environ.get("LIVE_CPU_STREAMS", "100"))
        runs = self.results.setdefault("live", {"a": [], "b": [], "n": n})
        for r in range(self.rounds):
            log("round %d of %d: %d live recordings, CPU" % (
                r + 1, self.rounds, n))
            for side in ("ab" if r % 2 == 0 else "ba"):
                runs[side].append(self.live(side, n))
        # Start each search a little below what the CPU figure predicts.
        searches = []
        for side in "ab":
            if self.smoke:
                start, limit = 2, 4
            else:
                per_stream = median(x["per_stream"] for x in runs[side])
                start = max(5, int(0.85 / per_stream / 5) * 5)
                limit = int(os.environ.get("LIVE_MAX_STREAMS", "2000"))
            searches.append(self.search(side, start, limit))
        log("live capacity: alternating symblsink and bare")
        while searches:
            for s in list(searches):
                try:
                    next(s)
                except StopIteration:
                    searches.remove(s)

    # ---- the table --------------------------------------------------------

    def table(self):
        rows = []

        def row(number, what, a, b, ratio, target, ok):
            rows.append((number, what, a, b, ratio, target,
                         "PASS" if ok else "MISS"))

        sizes = {} if self.args.only else self.main_rows(row)
        self.live_cpu_rows(row)
        header = ("#", "measure", "symblsink", "baseline", "ratio", "target",
                  "")
        widths = [max(len(str(r[i])) for r in rows + [header])
                  for i in range(len(header))]
        lines = []
        for r in [header] + rows:
            lines.append("  ".join(str(cell).ljust(w) if i < 2 else
                                   str(cell).rjust(w) if i < 6 else str(cell)
                                   for i, (cell, w) in
                                   enumerate(zip(r, widths))).rstrip())
        return lines, sizes

    def live_cpu_rows(self, row):
        """8: CPU time while recording, symblsink / bare."""
        for buffer_ms, parties in LIVE_CPU_VARIANTS:
            runs = self.results[("live cpu", buffer_ms, parties)]
            a = median(float(x["record_cpu_s"]) for x in runs["a"])
            b = median(float(x["record_cpu_s"]) for x in runs["b"])
            what = ("%d two-party calls" % runs["n"] if parties > 1 else
                    "%d live streams" % runs["n"])
            row("8", "CPU, %s, %d ms buffers (s)" % (what, buffer_ms),
                "%.2f" % a, "%.2f" % b, "%.3f" % ratio(a, b),
                "<= %.2f" % LIVE_CPU_TARGET, ratio(a, b) <= LIVE_CPU_TARGET)

    def main_rows(self, row):
        res = self.results
        wall_a = lambda key: median(x["to_ids"] for x in res[key]["a"])
        wall_b = lambda key: median(x["record"]["wall"] + x["upload"]["wall"]
                                    for x in res[key]["b"])
        sizes = {}
        for fmt in FORMATS:
            key = ("1 h", fmt)
            a, b = wall_a(key), wall_b(key)
            sizes[fmt] = int(res[key]["a"][0]["size"])
            row("1", "1 h to ids, %s (s)" % fmt, "%.2f" % a, "%.2f" % b,
                "%.2f" % ratio(a, b), "<= 1.00", ratio(a, b) <= 1.0)

        rss = {label: median(x["rss"] for x in res[(label, "wav")]["a"])
               for label in LENGTHS}
        rss_b = {label: median(x["record"]["rss"]
                               for x in res[(label, "wav")]["b"])
                 for label in LENGTHS}
        spread = max(rss.values()) - min(rss.values())
        row("2", "peak RSS 1 min/1 h/4 h (MB)",
            "/".join("%.1f" % rss[label] for label in LENGTHS),
            "/".join("%.1f" % rss_b[label] for label in LENGTHS),
            "+%.1f MB" % spread, "spread <= 2 MB", spread <= 2)
        worst = max(ratio(rss[label], rss_b[label]) for label in LENGTHS)
        row("2", "peak RSS vs wavenc ! filesink", "%.1f" % rss["4 h"],
            "%.1f" % rss_b["4 h"], "%.2f" % worst, "<= 1.50", worst <= 1.5)

        for fmt in FORMATS:
            key = ("1 h", fmt)
            a = median(x["cpu"] for x in res[key]["a"])
            b = median(x["record"]["cpu"] for x in res[key]["b"])
            row("3", "CPU per hour, %s (s)" % fmt, "%.2f" % a, "%.2f" % b,
                "%+.0f%%" % (100 * (ratio(a, b) - 1)), "<= +10%",
                ratio(a, b) <= 1.10)

        live = res["live"]
        per_a = median(x["per_stream"] for x in live["a"])
        per_b = median(x["per_stream"] for x in live["b"])
        row("4", "CPU per live stream (% core)", "%.3f" % (100 * per_a),
            "%.3f" % (100 * per_b), "%.2f" % ratio(per_a, per_b), "(info)",
            True)
        cap_a = res[("capacity", "a")]["streams"]
        cap_b = res[("capacity", "b")]["streams"]
        target = 4 if self.smoke else 300
        row("4", "live streams on one core", "%d" % cap_a, "%d" % cap_b,
            "%.2f" % ratio(cap_a, cap_b), ">= %d, >= 0.90" % target,
            cap_a >= target and ratio(cap_a, cap_b) >= 0.9)

        for label in ("1 min", "1 h"):
            key = (label, "wav")
            a = median(float(x["eos_to_job_s"]) for x in res[key]["a"])
            b = median(float(x["upload"]["time_total"])
                       for x in res[key]["b"])
            row("5", "EOS to symbl-job, %s (ms)" % label, "%.0f" % (1000 * a),
                "%.0f" % (1000 * b), "%.2f" % ratio(a, b), "<= 1.10",
                ratio(a, b) <= 1.1)

        link = res["link"]
        if link["a"]:
            a = median(float(x["eos_to_job_s"]) for x in link["a"])
            b = median(float(x["time_total"]) for x in link["b"])
            row("5", "EOS to symbl-job, 1 h, %s link (ms)" % LINK_RATE,
                "%.0f" % (1000 * a), "%.0f" % (1000 * b), "%.2f" % ratio(a, b),
                "<= 1.10", ratio(a, b) <= 1.1)
        else:
            row("5", "EOS to symbl-job, 1 h, %s link" % LINK_RATE, "-", "-",
                "-", "needs root", True)

        seg = res["segments"]
        a = median(float(x["eos_to_job_s"]) for x in seg["a"])
        b = median(float(x["time_total"]) for x in seg["b"])
        row("6", "EOS to last symbl-job, 1 h in %s s segments (ms)"
            % SEGMENT[self.smoke], "%.0f" % (1000 * a), "%.0f" % (1000 * b),
            "%.2f" % ratio(a, b), "<= 1.10", ratio(a, b) <= 1.1)
        return sizes

    def uplink_table(self):
        """Row 7's lines: one per rate, format and segment-duration."""
        runs = self.results.get("uplink")
        seconds = UPLINK_SECONDS[self.smoke]
        if not runs:
            return ["7  EOS to ids over a 20/100 Mbit/s uplink: skipped "
                    "(needs root, tc, ip, unshare and sch_tbf)"]
        lines = ["7  EOS to the ids over an uplink, %s meeting (%s), "
                 "medians: floor = bytes unsent at EOS / link rate" % (
                     "%d s" % seconds if self.smoke else "1 h",
                     "SMOKE" if self.smoke else "full"),
                 "   %-7s %-4s %-6s %5s %4s %8s %8s %6s %8s %4s %6s %5s" % (
                     "link", "fmt", "upload", "speed", "jobs", "to ids s",
                     "floor s", "ratio", "target", "", "<= 5 s",
                     "%core")]
        keys = []
        for run in runs:
            key = (run["rate"], run["format"], run["segment"])
            if key not in keys:
                keys.append(key)
        for key in keys:
            same = [x for x in runs
                    if (x["rate"], x["format"], x["segment"]) == key]
            to_ids = median(x["eos_to_ids"] for x in same)
            floor = median(x["floor"] for x in same)
            r = ratio(to_ids, floor)
            # CPU per stream: the whole run's, over the meeting's length,
            # as a share of one core when it is recorded live.
            core = median(x["cpu"] for x in same) / same[0]["seconds"]
            lines.append(
                "   %-7s %-4s %-6s %5s %4d %8.2f %8.2f %6.2f %8s %4s %6s "
                "%5.2f" % (
                    key[0], key[1], "%d s" % key[2] if key[2] else "one",
                    "%dx" % same[0]["speed"] if same[0]["speed"] else "-",
                    same[0]["jobs"], to_ids, floor, r, "<= 1.10",
                    "PASS" if r <= 1.1 else "MISS",
                    "yes" if to_ids <= 5 else "no", 100 * core))
        drops = sum(x["drops"] for x in runs)
        lines.append("   speed: multiple of real time the audio reached "
                     "symblsink at (- as fast as it could); %%core: the "
                     "run's CPU over the meeting's length; %d packets "
                     "dropped by the links" % drops)
        return lines

    def save(self):
        """Every measurement, for a closer look: bench-results.json."""
        path = os.path.join(self.build, "bench-results.json")
        with open(path, "w") as f:
            json.dump({" / ".join(map(str, k)) if isinstance(k, tuple) else k:
                       v for k, v in self.results.items()}, f, indent=1,
                      default=str)
        log("raw figures: " + path)

    def live_cpu_notes(self):
        runs = self.results[("live cpu",) + LIVE_CPU_VARIANTS[0]]
        print("8 %g s of audio per run, CPU time while recording (getrusage,"
              " the test sources' included on both sides); baselines:"
              " audiotestsrc is-live=true ! wavenc ! filesink, and for a call"
              " two of them into audiointerleave ! wavenc ! filesink"
              % runs["seconds"])
        for buffer_ms, parties in LIVE_CPU_VARIANTS:
            runs = self.results[("live cpu", buffer_ms, parties)]
            a = median(float(x["steady_cpu_s"]) for x in runs["a"])
            b = median(float(x["steady_cpu_s"]) for x in runs["b"])
            print("  %d ms, %s: after the first second (every stream "
                  "started) %.2f/%.2f s, %.3f; peak RSS %.1f/%.1f MB, max "
                  "late %s/%s ms, late or dropped buffers %d/%d, uploads %s"
                  % (buffer_ms, "calls" if parties > 1 else "streams",
                      a, b, ratio(a, b),
                      median(x["rss"] for x in runs["a"]),
                      median(x["rss"] for x in runs["b"]),
                      max(float(x["max_late_ms"]) for x in runs["a"]),
                      max(float(x["max_late_ms"]) for x in runs["b"]),
                      sum(int(x["late"]) + int(x["dropped"])
                          for x in runs["a"]),
                      sum(int(x["late"]) + int(x["dropped"])
                          for x in runs["b"]),
                      "/".join(x["uploads"] for x in runs["a"])))

    def report(self):
        self.save()
        lines, sizes = self.table()
        res = self.results
        if self.args.only:
            print()
            print("symblsink, live CPU: %d cores, %s, medians of %d round%s%s"
                  % (os.cpu_count(), time.strftime("%Y-%m-%d"), self.rounds,
                     "s" * (self.rounds > 1), "; SMOKE" if self.smoke
                     else ""))
            print("\n".join(lines))
            print()
            self.live_cpu_notes()
            return
        hour = res[("1 h", "wav")]["b"]
        speed = median(ratio(x["size"] / 1e6,
                             float(x["upload"]["time_total"])) for x in hour)
        busy = median(ratio(x["upload"]["server_cpu"],
                            float(x["upload"]["time_total"])) for x in hour)
        length = lambda label: ("%d s" % LENGTHS[label][1] if self.smoke
                                else label)
        upload_cpu = ", ".join(
            "%s %.3f/%.3f" % (fmt, median(float(x["eos_to_job_cpu_s"])
                                          for x in res[("1 h", fmt)]["a"]),
                              median(x["upload"]["cpu"]
                                     for x in res[("1 h", fmt)]["b"]))
            for fmt in FORMATS)
        live = res["live"]
        trials = [t for side in "ab" for t in res[("capacity", side)]["trials"]]
        print()
        print("symblsink against the two-step way: %d cores, %s, medians of "
              "%d round%s%s" % (os.cpu_count(), time.strftime("%Y-%m-%d"),
                                self.rounds, "s" * (self.rounds > 1),
                                "; SMOKE: %s stand for 1 min, 1 h, 4 h" % (
                                    ", ".join(length(label)
                                              for label in LENGTHS))
                                if self.smoke else ""))
        print("\n".join(lines))
        print("\n".join(self.uplink_table()))
        print("""
baselines: 1 wavparse ! encoder ! filesink, then curl -X POST -T file (both
  to the ids); 2 wavparse ! wavenc ! filesink; 3 wavparse ! encoder !
  filesink; 4 audiotestsrc is-live=true ! wavenc ! filesink; 5 curl's
  time_total for the same file; 6 curl's time_total for one segment's
  length of WAV.""")
        print("1 upload sizes, %s: %s" % (length("1 h"), ", ".join(
            "%s %.2f MB" % (f, size / 1e6) for f, size in sizes.items())))
        print("3 CPU of the upload, symblsink from EOS to the ids / the whole "
              "curl process (s): " + upload_cpu)
        seg = res["segments"]["a"]
        print("6 %s uploads per recording; the recording reached symblsink at "
              "%dx real time; curl took %.0f ms for the whole %s WAV" % (
                  "/".join(sorted({x["jobs"] for x in seg})),
                  SPEED[self.smoke], 1000 * median(
                      float(x["upload"]["time_total"]) for x in hour),
                  length("1 h")))
        print("4 %g s per trial; late = reaching the recorder over %g ms "
              "after its capture time; %s" % (
                  self.live_seconds, self.late_ms, "capped at 4 streams"
                  if self.smoke else "searched to 3 %, a failure tried twice"))
        for side, name in (("a", "symblsink"), ("b", "bare")):
            best = [t for t in res[("capacity", side)]["trials"]
                    if t["ok"] and t["streams"] == res[("capacity",
                                                        side)]["streams"]]
            if best:
                t = best[-1]
                print("  %s at %d streams: %.3f%% of a core each, max %s ms "
                      "late, p99 %s ms, peak RSS %.0f MB" % (
                          name, t["streams"], 100 * t["per_stream"],
                          t["max_late_ms"], t["p99_late_ms"], t["rss"]))
        print("  other processes took up to %.0f%% of core 0 during a trial"
              % (100 * max(float(t["others_share"]) for t in trials)))
        self.live_cpu_notes()
        print("server: took the %s WAV from curl at %.0f MB/s, busy %.0f%% "
              "of its core meanwhile%s" % (
                  length("1 h"), speed, 100 * busy,
                  ": about %.0f MB/s at 100%%" % (speed / busy) if busy > 0
                  else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True,
                        help="a build directory of this project")
    parser.add_argument("--smoke", action="store_true",
                        help="seconds, not minutes: checks that it all runs")
    parser.add_argument("--only", choices=("uplink", "live-cpu"),
                        help="run and print this row alone (uplink: row 7, "
                        "live-cpu: row 8)")
    parser.add_argument("--netns", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.netns:
        # A child of in_namespace(): in a namespace of our own, whose
        # loopback is ours to bring up and shape.
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    def child(bench):
        bench.start_server()
        print(json.dumps(getattr(bench, args.netns)()))

    def only(bench):
        if args.only == "live-cpu":
            bench.start_server()
            bench.live_cpu()
            bench.report()
            return
        bench.results["uplink"] = bench.in_namespace("uplink")
        bench.save()
        print("\n".join(bench.uplink_table()))

    def everything(bench):
        bench.start_server()
        bench.recordings()
        bench.results["link"] = bench.in_namespace("linked") or \
            {"a": [], "b": []}
        bench.segmented()
        bench.results["uplink"] = bench.in_namespace("uplink")
        bench.lives()
        bench.live_cpu()
        bench.report()

    bench = Bench(args)
    # Stopped: still stop the server and remove the work directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        (child if args.netns else only if args.only else everything)(bench)
    except Broken as error:
        log("bench: BROKEN: %s" % error)
        return 1
    finally:
        bench.stop()
    return 0

if __name__ == "__main__":
    sys.exit(main())
