#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs every gst-launch-1.0 line of the docs as a user pastes it into a
shell, against a local Symbl server, and fails naming each line that broke.

    run-launch-lines.py SOURCE-ROOT PLUGIN-DIR LOCAL-SERVER [FILE...]

FILEs default to README.md, docs/**/*.md and examples/*.md. Lines are
taken from fenced code blocks, with their backslash continuations. Live
sources become test sources of a few seconds. A code block right after an
HTML comment starting with "<!-- not run" is skipped: keep that for lines
that only illustrate, and say why in the comment.
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

LINE_TIMEOUT_S = 120
NOT_RUN = "<!-- not run"

# What needs a microphone or a camera, and what stands in for it here.
LIVE_SOURCES = {
    "pulsesrc": "audiotestsrc is-live=true num-buffers=300",
    "autoaudiosrc": "audiotestsrc is-live=true num-buffers=300",
    "alsasrc": "audiotestsrc is-live=true num-buffers=300",
    "v4l2src": "videotestsrc is-live=true num-buffers=90",
    "autovideosrc": "videotestsrc is-live=true num-buffers=90",
}
# The element, then any property=value of it (a device, say).
LIVE_RE = re.compile(r"(?<![\w.=/-])(%s)(?:\s+[\w-]+=[^\s!'\"]+)*(?![\w.-])"
                     % "|".join(LIVE_SOURCES))


def launch_lines(path):
    """(line number, command) for each gst-launch-1.0 line of @path."""
    lines = open(path, encoding="utf-8").read().split("\n")
    found = []
    in_block = skip = False
    previous = ""
    i = 0
    while i < len(lines):
        text = lines[i].strip()
        if text.startswith("```"):
            if not in_block:
                skip = previous.startswith(NOT_RUN)
            in_block = not in_block
        elif in_block and not skip and text.startswith("gst-launch-1.0"):
            start = i
            command = text
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            found.append((start + 1, command))
        if text:
            previous = text
        i += 1
    return found


def as_test(command):
    """The line with test sources, printing bus messages (-m)."""
    command = LIVE_RE.sub(lambda m: LIVE_SOURCES[m.group(1)], command)
    if not re.search(r"\s-m\b", command):
        command = command.replace("gst-launch-1.0", "gst-launch-1.0 -m", 1)
    return command


def start_server(server, workdir):
    port_file = os.path.join(workdir, "port")
    process = subprocess.Popen(
        [server, "--quiet", "--port-file", port_file, "--job-step-ms", "100",
         "--store-dir", os.path.join(workdir, "store")],
        stdout=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file):
            return process, open(port_file).read().strip()
        time.sleep(0.05)
    process.kill()
    sys.exit("the local server did not start")


def run(root, env, where, command):
    """None if the line worked, else what went wrong."""
    test = as_test(command)
    try:
        result = subprocess.run(["sh", "-c", test], cwd=root, env=env,
                                stdin=subprocess.DEVNULL,
                                capture_output=True, text=True,
                                timeout=LINE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "%s: timed out after %d s\n  %s" % (where, LINE_TIMEOUT_S, test)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        problem = "exit status %d" % result.returncode
    elif "symbl" in command and "symbl-job," not in output:
        problem = "no symbl-job message"
    elif "WARNING: from element" in output:
        # Pasted as it is, a line of the docs works without a warning.
        problem = "a warning"
    else:
        return None
    tail = "\n".join(output.strip().split("\n")[-15:])
    return "%s: %s\n  %s\n%s" % (where, problem, test, tail)


def main(argv):
    root, plugin_dir, server = argv[1:4]
    files = argv[4:] or (["README.md"]
                         + sorted(glob.glob("docs/**/*.md", root_dir=root,
                                            recursive=True))
                         + sorted(glob.glob("examples/*.md", root_dir=root)))
    lines = []
    for name in files:
        lines += [("%s:%d" % (name, number), command)
                  for number, command in launch_lines(os.path.join(root, name))]

    with tempfile.TemporaryDirectory() as workdir:
        process, port = start_server(server, workdir)
        env = dict(os.environ,
                   GST_PLUGIN_PATH=plugin_dir,
                   SYMBL_API_URL="http://127.0.0.1:" + port,
                   SYMBL_ACCESS_TOKEN="local-dev-token",
                   XDG_CACHE_HOME=os.path.join(workdir, "cache"))
        env.pop("GST_PLUGIN_PATH_1_0", None)  # it would win over the above
        try:
            # One registry scan up front, rather than four at once.
            subprocess.run(["gst-inspect-1.0", "symbl"], env=env, check=True,
                           capture_output=True)
            # Live test sources mostly wait for their clock: run a few at once.
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                problems = [p for p in pool.map(lambda line: run(root, env,
                                                                 *line), lines)
                            if p]
        finally:
            process.terminate()
            process.wait()

    for where, command in lines:
        print("%s: %s" % (where, command))
    print("%d launch lines run, %d failed" % (len(lines), len(problems)))
    for problem in problems:
        print("\nFAILED " + problem, file=sys.stderr)
    return 1 if problems or not lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
