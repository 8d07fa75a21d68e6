#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Uploads spooled to disk as they arrive (issue 23): a media upload's
body goes to an unlinked file in the center's directory and is read back
mapped, so serve's peak resident set (VmHWM) grows by a small part of a
body close to max_body, not by the body; a body that passes max_body as
it streams is answered 413 and leaves no file and no open descriptor;
an upload through the file is what the pipeline makes renditions of."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.environ.get("MB_SRCDIR", "."),
                                "tests", "lib"))
from mbtest import check, eq, main, wait_for  # noqa: E402
from test_hardening import hwm_kb, send, setup  # noqa: E402

MIB = 1024 * 1024


def no_leftovers(c, what):
    """The spool file is closed after the answer is sent: wait for it."""
    wait_for(lambda: leftovers(c) == [], 5, what)


def leftovers(c):
    """Spool files still on disk, or still open in serve's worker."""
    out = [f for f in os.listdir(c.dir) if f.startswith(".upload-")]
    fds = "/proc/%d/fd" % c.worker_pid()
    for fd in os.listdir(fds):
        try:
            target = os.readlink(os.path.join(fds, fd))
        except OSError:
            continue
        if ".upload-" in target:
            out.append(target)
    return out


def noise(n):
    """n bytes no sniffer takes for a picture, video or sound."""
    return hashlib.sha256(b"seed").digest() * (n // 32)


def test_large_upload_not_held(w):
    c, ed = setup(w, conf=("threads = 1", "max_body = %d" % (64 * MIB)))
    auth = {"Authorization": "Bearer " + ed.token,
            "Content-Type": "application/octet-stream"}
    # Warm up: a refusal of a small body and of a spooled one.
    st, _, _ = send(c, "POST", "/api/v1/media", noise(1024), headers=auth)
    check(st in (415, 422), "small junk refused", st)
    st, _, _ = send(c, "POST", "/api/v1/media", noise(2 * MIB),
                    headers=auth)
    check(st in (415, 422), "2 MiB junk refused", st)
    body = noise(60 * MIB)
    for chunked in (False, True):
        base = hwm_kb(c, reset=True)
        st, ans, sent = send(c, "POST", "/api/v1/media", body,
                             headers=auth, chunked=chunked, piece=MIB)
        eq(sent, len(body), "all of it sent (chunked=%s)" % chunked)
        # Not a picture: refused by the pipeline reading the file, after
        # the body was all in (not 413: it is within max_body).
        check(st in (415, 422), "60 MiB junk, chunked=%s" % chunked, st,
              ans[:200])
        grew = hwm_kb(c) - base
        # Held in memory it grew by 60 MiB at least (the buffer, doubled
        # as it grew); spooled, by what the pipeline touched.
        check(grew < 12 * 1024, "VmHWM grew by %d KiB for a 60 MiB body "
              "(chunked=%s)" % (grew, chunked))
        no_leftovers(c, "no spool file left")


def test_oversize_413_leaves_nothing(w):
    c, ed = setup(w, conf=("threads = 1", "max_body = %d" % (4 * MIB)))
    auth = {"Authorization": "Bearer " + ed.token,
            "Content-Type": "application/octet-stream"}
    body = noise(6 * MIB)
    # Chunked: the limit is met as the body streams (into the spool),
    # the rest read and dropped so that the client reads the answer.
    st, ans, _ = send(c, "POST", "/api/v1/media", body, headers=auth,
                      chunked=True, piece=MIB // 4)
    eq(st, 413, "6 MiB chunked over a 4 MiB max_body: %r" % ans[:200])
    check(b"max_body" in ans, "names the limit", ans[:200])
    no_leftovers(c, "no spool file after the 413")
    # Announced: refused before a byte is read.
    st, ans, _ = send(c, "POST", "/api/v1/media", body, headers=auth,
                      piece=MIB)
    eq(st, 413, "6 MiB announced")
    no_leftovers(c, "nothing after the announced one")
    # The server still takes an upload within the limit.
    st, _, _ = send(c, "POST", "/api/v1/media", noise(3 * MIB),
                    headers=auth, piece=MIB)
    check(st in (415, 422), "3 MiB junk: read whole, refused as junk", st)
    no_leftovers(c, "nothing after it")


if __name__ == "__main__":
    main(globals())
