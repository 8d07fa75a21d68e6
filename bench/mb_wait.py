#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Waits until a serving branch has received N items from its peer PEER
and until it has indexed them, polling its /metrics every 20 ms. Prints
two wall-clock times (seconds since the epoch): when
mediabridge_peer_received_total{peer=PEER} reached N, and when
mediabridge_unindexed was 0 after that. Exit 1 on timeout.

usage: mb_wait.py ADDR_FILE PEER N TIMEOUT_S"""
import sys
import time
import urllib.request


def metrics(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        out = {}
        for line in r.read().decode().splitlines():
            if line and not line.startswith("#"):
                k, _, v = line.rpartition(" ")
                out[k] = float(v)
        return out


def main():
    addr_file, peer, n, limit = (sys.argv[1], sys.argv[2], int(sys.argv[3]),
                                 float(sys.argv[4]))
    end = time.time() + limit
    addr = ""
    while not addr and time.time() < end:
        try:
            with open(addr_file) as f:
                addr = f.read().strip()
        except OSError:
            pass
        if not addr:
            time.sleep(0.01)
    url = "http://%s/metrics" % addr
    key = 'mediabridge_peer_received_total{peer="%s"}' % peer
    applied = None
    while time.time() < end:
        try:
            m = metrics(url)
        except OSError:
            m = {}
        t = time.time()
        if applied is None and m.get(key, 0) >= n:
            applied = t
        if applied is not None and m.get("mediabridge_unindexed", 1) == 0:
            print("%.3f %.3f" % (applied, t))
            return 0
        time.sleep(0.02)
    print("timed out: %s" % (m if m else "no metrics"), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
