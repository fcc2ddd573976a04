#!/usr/bin/env python3
"""Polls an HTTP app on 127.0.0.1:PORT every 10 ms until SIGTERM and then until the app
answers once more (at most 30 s), so an outage still open at SIGTERM is counted whole;
writes to OUT the longest time between two answered requests (the outage, in ms) and
how many polls went unanswered. Used by Benchmarks/upgrade.sh to measure an upgrade step's downtime.

    downtime-poller.py PORT OUT
"""
import signal
import socket
import sys
import time

port, out = int(sys.argv[1]), sys.argv[2]
stopping_since = None


def stop(*_):
    global stopping_since
    stopping_since = time.monotonic()


signal.signal(signal.SIGTERM, stop)


def answered():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.settimeout(0.2)
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            head = s.recv(64)
            return head.startswith(b"HTTP/1.") and b" 200 " in head
    except OSError:
        return False


last_ok = None
longest = 0.0
missed = 0
while True:
    began = time.monotonic()
    if answered():
        now = time.monotonic()
        if last_ok is not None:
            longest = max(longest, now - last_ok)
        else:
            # The caller starts the step only after this: an outage is measured from an answer.
            open(out + ".ready", "w").close()
        last_ok = now
        if stopping_since is not None:
            break
    else:
        missed += 1
        if stopping_since is not None and began - stopping_since > 30:
            longest = max(longest, began - (last_ok or began))
            break
    time.sleep(max(0.0, 0.010 - (time.monotonic() - began)))
with open(out, "w") as f:
    f.write("%.1f %d\n" % (longest * 1000, missed))
