#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 gst-symbl developers <gst-symbl@example.org>
"""How libsoup writes an upload's body, against curl (docs/performance.md,
"Upload writes"): the system calls that send 1 hour of WAV, CPU time and
peak RSS, on raw loopback and, as root, on a loopback shaped to 1 Gbit/s
in a network namespace of its own (the machine's loopback is not touched).

  bench/upload-writes.py [--build DIR] [--rounds N]

Needs a build of this project (the local server), cc, libsoup's headers,
curl, GNU time and, for the counts, strace."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

LINK_RATE = "1gbit"
MODES = ("stream", "mapped", "buffered")


def run(command, rounds):
    """Median wall and CPU (s) and the largest peak RSS (MB) of rounds runs.
    CPU from wait4(); peak RSS from GNU time, as wait4() would give at least
    Python's own: a forked child keeps its parent's peak across exec()."""
    walls, cpus, rss = [], [], []
    with tempfile.NamedTemporaryFile("r") as peak:
        for _ in range(rounds):
            start = time.monotonic()
            child = subprocess.Popen(
                ["/usr/bin/time", "-f", "%M", "-o", peak.name, "--"]
                + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.monotonic() - start)
            if status != 0:
                raise bench.Broken("%s failed: %s" % (
                    command[0], child.stderr.read().decode()))
            child.stderr.close()
            cpus.append(usage.ru_utime + usage.ru_stime)
            peak.seek(0)
            rss.append(int(peak.read().split()[-1]) / 1024)
    return bench.median(walls), bench.median(cpus), max(rss)


def syscalls(command):
    """sendto and read calls of one run, or None without strace."""
    if not shutil.which("strace"):
        return None
    out = subprocess.run(["strace", "-f", "-c", "-e", "trace=sendto,read",
                          "-o", "/dev/stdout"] + command,
                         capture_output=True, text=True, check=True).stdout
    counts = {"sendto": 0, "read": 0}
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[-1] in counts:
            counts[fields[-1]] = int(fields[3])
    return counts


def measure(args, link):
    b = bench.Bench(argparse.Namespace(build=args.build, smoke=False))
    try:
        wav = b.audio(3600)
        b.start_server()
        url = b.url + "/v1/process/audio"
        clients = [("libsoup, " + mode, [args.program, mode, wav, url,
                                         bench.TOKEN]) for mode in MODES]
        clients.append(("curl", ["curl", "-s", "-f", "-o", "/dev/null",
                                 "-H", "Authorization: Bearer " + bench.TOKEN,
                                 "-H", "Content-Type: audio/wav",
                                 "-X", "POST", "-T", wav, url]))
        b.on_client_core()
        for name, command in clients:
            wall, cpu, rss = run(command, args.rounds)
            counts = syscalls(command)
            print("%-10s %-18s %7s %7s %8.0f %8.1f %8.1f" % (
                link, name, counts["sendto"] if counts else "-",
                counts["read"] if counts else "-", wall * 1e3, cpu * 1e3,
                rss), flush=True)
    finally:
        b.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build-bench",
                        help="a build directory of this project")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--link", help=argparse.SUPPRESS)
    parser.add_argument("--program", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    if args.link:
        # In our own network namespace: its loopback, shaped.
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        subprocess.run(["tc", "qdisc", "add", "dev", "lo", "root", "tbf",
                        "rate", args.link, "burst", "4mb", "latency", "50ms"],
                       check=True)
        measure(args, args.link)
        return 0

    if not os.path.exists(os.path.join(args.build, "server",
                                       "symbl-local-server")):
        subprocess.run(["meson", "setup", args.build,
                        "--buildtype=release"], check=True)
    subprocess.run(["meson", "compile", "-C", args.build], check=True,
                   stdout=subprocess.DEVNULL)
    args.program = os.path.join(args.build, "bench", "upload-writes")
    os.makedirs(os.path.dirname(args.program), exist_ok=True)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs",
                            "libsoup-3.0"], capture_output=True, text=True,
                           check=True).stdout.split()
    subprocess.run(["cc", "-O2", "-Wall", "-o", args.program,
                    os.path.join(os.path.dirname(__file__),
                                 "upload-writes.c")] + flags, check=True)

    print("1 h of WAV (115 MB) to the local server, medians of %d runs"
          % args.rounds)
    print("%-10s %-18s %7s %7s %8s %8s %8s" % (
        "link", "client (body)", "sendto", "read", "wall ms", "CPU ms",
        "RSS MB"))
    try:
        measure(args, "loopback")
        if os.geteuid() == 0 and shutil.which("tc") \
                and shutil.which("unshare"):
            subprocess.run(["unshare", "-n", sys.executable,
                            os.path.abspath(__file__), "--build", args.build,
                            "--rounds", str(args.rounds), "--link", LINK_RATE,
                            "--program", args.program], check=True)
        else:
            print("%s link: skipped (needs root, tc and unshare)" % LINK_RATE)
    except bench.Broken as error:
        bench.log("upload-writes: BROKEN: %s" % error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
