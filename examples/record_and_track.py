#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shows an application in Python (PyGObject) embedding symblsink: record a
meeting, wait for Symbl's job, and print the trackers it detected.

    python3 examples/record_and_track.py [MEETING-FILE [TRACKERS-FILE]]

Credentials and the API come from the environment: SYMBL_ACCESS_TOKEN (or
SYMBL_APP_ID and SYMBL_APP_SECRET) and, for the local server, SYMBL_API_URL.
Needs the Debian packages python3-gi and gir1.2-gstreamer-1.0.
"""
import json
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402


def main(argv):
    meeting = argv[1] if len(argv) > 1 else "examples/meeting.ogg"
    trackers = argv[2] if len(argv) > 2 else "examples/trackers.json"
    Gst.init(None)

    pipeline = Gst.parse_launch(
        "filesrc name=file ! decodebin ! symblsink name=symbl wait-for-job=true")
    pipeline.get_by_name("file").set_property("location", meeting)
    pipeline.get_by_name("symbl").set_property("trackers-location", trackers)

    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    status = 1
    while True:
        msg = bus.timed_pop(Gst.CLOCK_TIME_NONE)
        if msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s.has_name("symbl-job"):
                print("conversation-id:", s.get_string("conversation-id"))
                print("job-id:", s.get_string("job-id"))
            elif s.has_name("symbl-job-status"):
                print("job status:", s.get_string("status"))
            elif s.has_name("symbl-trackers"):
                for tracker in json.loads(s.get_string("trackers")):
                    phrases = [m["value"] for m in tracker.get("matches", [])]
                    print("tracker %s: %s" % (tracker["name"], ", ".join(phrases)))
        elif msg.type == Gst.MessageType.ERROR:
            error, _ = msg.parse_error()
            print("error:", error.message, file=sys.stderr)
            details = msg.parse_error_details()
            # Nothing is lost: the recording waits on disk for a later try.
            if details and details.has_field("spool-location"):
                print("recording kept in", details.get_string("spool-location"),
                      file=sys.stderr)
            break
        elif msg.type == Gst.MessageType.EOS:
            status = 0
            break

    pipeline.set_state(Gst.State.NULL)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
