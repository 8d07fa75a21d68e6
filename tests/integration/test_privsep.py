# SPDX-License-Identifier: MIT
"""Privilege separation with real processes (docs/architecture.md):
serve's process tree; the media decoder in its own child under a seccomp
filter and resource limits; a decoder killed by SIGSEGV in the middle of
an upload fails that upload only, is started again, and the server goes
on serving."""

import os
import signal
import struct
import threading
import time
import zlib

from mbtest import check, eq, main, wait_for


def png(w=64, h=48):
    """A small valid grey PNG, made here (no tools needed)."""
    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    rows = b"".join(b"\0" + bytes((x * 4 + y) & 0xff for x in range(w))
                    for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def children(pid):
    """The pids whose parent is pid."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces.
        if int(st[st.rindex(")") + 2:].split()[1]) == pid:
            out.append(int(d))
    return out


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def status_field(pid, name):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    return None


def media_child(server_pid, not_pid=None):
    """The pid of the media sandbox under server_pid (waits for one)."""
    def find():
        for p in children(server_pid):
            if b"media-sandbox" in cmdline(p) and p != not_pid:
                return p
        return None
    return wait_for(find, 10, "the media sandbox of %d" % server_pid)


def newsroom(w):
    c = w.center("cairo")
    c.user_add("jou", "journalist")
    c.serve()
    return c, c.client(c.token_add("jou"))


def upload(cl, data):
    return cl.post("/api/v1/media", raw=data,
                   headers={"Content-Type": "application/octet-stream"})


def server_pid(c):
    """The process that answers HTTP (serve itself, or its worker)."""
    return c.proc.pid


def test_media_child_confined(w):
    c, jo = newsroom(w)
    m = media_child(server_pid(c))
    eq(cmdline(m)[1:3], [b"media-sandbox", b""], "argv of the child")
    # The filter goes on once the decoders have started (a moment).
    wait_for(lambda: status_field(m, "Seccomp") == "2", 10,
             "the seccomp filter (Seccomp: 2) in the child")
    eq(status_field(m, "NoNewPrivs"), "1", "no new privileges")
    with open("/proc/%d/limits" % m) as f:
        limits = f.read()
    check("Max cpu time              300" in limits, "RLIMIT_CPU", limits)
    check("Max core file size        0" in limits, "RLIMIT_CORE", limits)
    # Its descriptors: stdin/out/err and the socket, nothing of serve's.
    fds = sorted(int(x) for x in os.listdir("/proc/%d/fd" % m))
    eq(fds, [0, 1, 2, 3], "descriptors of the child")
    check(os.readlink("/proc/%d/fd/3" % m).startswith("socket:"),
          "fd 3 is the socket")
    r = upload(jo, png())
    eq(r.status, 201, "upload through the sandbox: %r" % r)
    eq([x["name"] for x in r.json["renditions"]],
       ["thumbnail", "thumbnail-webp"], "renditions")
    eq(media_child(server_pid(c)), m, "the same child serves again")


def test_media_child_crash_mid_upload(w):
    c, jo = newsroom(w)
    m = media_child(server_pid(c))
    eq(upload(jo, png()).status, 201, "first upload")
    # Freeze the child so that the next upload is surely in its hands,
    # then SIGSEGV it: it dies holding the request.
    os.kill(m, signal.SIGSTOP)
    got = {}

    def up():
        got["r"] = upload(jo, png(80, 60))
    t = threading.Thread(target=up)
    t.start()
    time.sleep(0.8)
    check("r" not in got, "the upload waits on the frozen decoder")
    os.kill(m, signal.SIGSEGV)
    os.kill(m, signal.SIGCONT)
    t.join(30)
    r = got.get("r")
    check(r is not None, "the upload was answered")
    eq(r.status, 422, "upload whose decoder crashed: %r" % r)
    check("signal 11" in r.json["error"]["message"], "the error says how",
          r.json)
    # The server kept serving, and a new child took over.
    eq(jo.get("/healthz").status, 200, "healthz after the crash")
    m2 = media_child(server_pid(c), not_pid=m)
    check(m2 != m, "a new decoder child")
    r = upload(jo, png(100, 70))
    eq(r.status, 201, "a later upload works: %r" % r)
    check("killed by signal 11" in c.log(), "the crash is logged")


def test_media_child_dead_while_idle(w):
    c, jo = newsroom(w)
    m = media_child(server_pid(c))
    os.kill(m, signal.SIGKILL)
    wait_for(lambda: not os.path.exists("/proc/%d/cmdline" % m) or
             b"media-sandbox" not in cmdline(m) or
             status_field(m, "State").startswith("Z"), 5, "child gone")
    r = upload(jo, png())
    eq(r.status, 201, "an idle decoder's death costs no upload: %r" % r)


if __name__ == "__main__":
    main(globals())
