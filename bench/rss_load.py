#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/rss_load: a mixed reader load on a serving center, with the
serve processes' memory sampled from /proc/PID/smaps_rollup.

usage: rss_load.py BASE_URL SECONDS CLIENTS URIS_FILE WORDS_FILE PID...

Each client (a thread with one keep-alive connection) loops over a fixed
mix: item pages (URIs from URIS_FILE, walked in a random order, so the
response cache keeps filling as it would under a crawler), fronts in
four languages, searches (words drawn from WORDS_FILE, one a line, or a
short built-in list when it is "-"; with a page number, so that most
miss the response cache), the center's page and Atom feeds. Prints requests
per second per page type and the memory of each PID at the start, every
10 s and at the end: Rss, Pss, anonymous and file-backed Rss (file-backed
pages of the store's mmap are reclaimable page cache, but they count in
Rss, which is the figure the issue sets a target for).
"""
import http.client
import random
import sys
import threading
import time
import urllib.parse

base = urllib.parse.urlsplit(sys.argv[1])
secs = float(sys.argv[2])
nclients = int(sys.argv[3])
with open(sys.argv[4]) as f:
    uris = [line.strip() for line in f if line.strip()]
words_file = sys.argv[5]
pids = sys.argv[6:]

WORDS = ["minister", "after", "nuclear", "water", "plan", "government",
         "year", "people", "police", "president", "market", "court",
         "health", "school", "election", "storm", "oil", "football",
         "%D0%BF%D0%BB%D0%B0%D0%BD", "%D9%85%D9%8A%D8%A7%D9%87"]
LANGS = ["en", "ar", "fr", "ru"]
if words_file != "-":
    with open(words_file) as f:
        WORDS = [urllib.parse.quote(w.strip()) for w in f if w.strip()]


def mem(pid):
    out = {}
    try:
        with open("/proc/%s/smaps_rollup" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("Rss", "Pss", "Pss_Anon", "Pss_File", "Anonymous",
                         "Pss_Shmem"):
                    out[k] = int(v.split()[0]) // 1024
    except OSError:
        return None
    # Rss split: anonymous pages vs the rest (file-backed, shmem).
    out["Anon"] = out.get("Anonymous", 0)
    out["File"] = out.get("Rss", 0) - out["Anon"]
    return out


def show(label):
    # Requests done so far: on a shared machine the rate varies several
    # times between runs, and the memory follows the work, not the clock.
    parts = ["%6d req" % done[0]]
    for p in pids:
        m = mem(p)
        if m is None:
            continue
        parts.append("pid %s Rss %d MiB (anon %d, file/shmem %d) Pss %d MiB"
                     % (p, m["Rss"], m["Anon"], m["File"], m["Pss"]))
    print("%-8s %s" % (label, "; ".join(parts)), flush=True)


counts = {}
lock = threading.Lock()
stop = time.monotonic() + secs
errors = [0]
done = [0]


def client(seed):
    rnd = random.Random(seed)
    order = uris[:]
    rnd.shuffle(order)
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    i = 0
    local = {}
    while time.monotonic() < stop:
        i += 1
        k = i % 10
        if k < 5:
            kind = "item"
            u = order[i % len(order)]
            center, _, ident = u.rpartition(":")
            center = center.rpartition(":")[2]
            path = "/%s/items/%s/%s" % (rnd.choice(LANGS), center, ident)
        elif k < 7:
            kind = "search"
            path = "/%s/search?q=%s&page=%d" % (rnd.choice(LANGS),
                                                rnd.choice(WORDS),
                                                rnd.randint(1, 3))
        elif k < 8:
            kind = "front"
            path = "/%s/" % rnd.choice(LANGS)
        elif k < 9:
            kind = "feed"
            path = "/feeds/%s.atom" % rnd.choice(LANGS)
        else:
            kind = "center"
            path = "/%s/centers/cairo" % rnd.choice(LANGS)
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            r = conn.getresponse()
            r.read()
            if r.status >= 500:
                errors[0] += 1
        except (OSError, http.client.HTTPException):
            errors[0] += 1
            conn.close()
            conn = http.client.HTTPConnection(base.hostname, base.port,
                                              timeout=30)
        local[kind] = local.get(kind, 0) + 1
        done[0] += 1  # under the GIL; a lost increment is noise
    with lock:
        for k, v in local.items():
            counts[k] = counts.get(k, 0) + v


show("start")
threads = [threading.Thread(target=client, args=(n,)) for n in
           range(nclients)]
t0 = time.monotonic()
for t in threads:
    t.start()
while time.monotonic() < stop:
    time.sleep(min(10, max(0.1, stop - time.monotonic())))
    if time.monotonic() < stop:
        show("%3.0f s" % (time.monotonic() - t0))
for t in threads:
    t.join()
el = time.monotonic() - t0
show("end")
total = sum(counts.values())
print("requests: %d in %.0f s (%.0f/s), %s; server errors %d" % (
    total, el, total / el, ", ".join("%s %.0f/s" % (k, v / el) for k, v in
                                      sorted(counts.items())), errors[0]))
