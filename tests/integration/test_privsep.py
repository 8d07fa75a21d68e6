# SPDX-License-Identifier: MIT
"""Privilege separation with real processes (docs/architecture.md):
serve's process tree, a signer parent that holds the key and a worker
that never sees it (no descriptor of the key file, not a byte of the
secret key in its memory) and runs as an unprivileged user when started
as root; items made through the API signed by the parent and verified;
the worker's death ends the parent with a failure, SIGTERM ends both
cleanly. The media decoder in its own child under a seccomp filter and
resource limits; a decoder killed by SIGSEGV in the middle of an upload
fails that upload only, is started again, and the server goes on
serving."""

import base64
import os
import signal
import struct
import threading
import time
import zlib

from mbtest import (SERVE_UID, check, eq, give_to_serve_user, main, run,
                    wait_for)


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
    """The process that answers HTTP: serve's worker."""
    return c.worker_pid()


def secret_seed(c):
    """The 32-byte Ed25519 seed in DIR/keys/center.key."""
    with open(os.path.join(c.dir, "keys", "center.key")) as f:
        text = f.read().strip()
    check(text.startswith("ed25519-secret:"), "key file", text[:20])
    seed = base64.b64decode(text.split(":", 1)[1])
    eq(len(seed), 32, "seed length")
    return seed


def memory_holds(pid, needle):
    """True when needle is in a readable region of pid's memory
    (/proc/PID/maps, read through /proc/PID/mem)."""
    with open("/proc/%d/maps" % pid) as f:
        regions = f.read().splitlines()
    chunk = 1 << 20
    with open("/proc/%d/mem" % pid, "rb", buffering=0) as mem:
        for line in regions:
            fields = line.split()
            if fields[1][0] != "r" or (len(fields) > 5 and
                                       fields[5] == "[vvar]"):
                continue
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            tail = b""
            for at in range(lo, hi, chunk):
                try:
                    mem.seek(at)
                    data = mem.read(min(chunk, hi - at))
                except OSError:
                    tail = b""
                    continue
                if needle in tail + data:
                    return True
                tail = data[-(len(needle) - 1):]
    return False


def item(headline):
    return {"type": "text", "language": "en",
            "headlines": [{"value": headline}],
            "bodies": [{"value": "<p>%s.</p>" % headline}]}


def test_signer_and_worker(w):
    c, jo = newsroom(w)
    parent, worker = c.proc.pid, c.worker_pid()
    eq(children(parent), [worker], "the signer parent has one child")
    eq(status_field(worker, "PPid"), str(parent), "the worker's parent")
    check(b"media-sandbox" not in cmdline(worker), "the worker serves")
    check(any(b"media-sandbox" in cmdline(p) for p in children(worker)),
          "the media sandbox is the worker's child")
    check("serve: signer=%d worker=%d" % (parent, worker) in c.log(),
          "the log names both", c.log()[-2000:])
    # Items made through the API: signed by the parent, for the worker.
    for i in range(3):
        r = jo.post("/api/v1/items", item("Signed elsewhere %d" % i))
        eq(r.status, 201, "create %d: %r" % (i, r))
        check(len(base64.b64decode(r.json["signature"])) == 64, "signed")
    rc, out, err = c.cli("verify", check_rc=None)
    eq(rc, 0, "verify: %s%s" % (out, err))
    # The key file: no descriptor of it in the worker (nor in the
    # parent, which closed it once read).
    key = os.path.realpath(os.path.join(c.dir, "keys", "center.key"))
    for pid in (worker, parent):
        fds = os.listdir("/proc/%d/fd" % pid) if pid == worker or \
            os.geteuid() == 0 else []
        links = [os.readlink("/proc/%d/fd/%s" % (pid, x)) for x in fds]
        check(key not in links, "no descriptor of the key in %d" % pid,
              links)
    # Not a byte of the secret key in the worker's memory.
    seed = secret_seed(c)
    check(not memory_holds(worker, seed), "the seed in the worker")
    if os.geteuid() == 0:
        # The search finds the key where it is (root may read the
        # parent's memory; the worker may not, it is not dumpable).
        check(memory_holds(parent, seed), "the seed in the parent")
    else:
        try:
            open("/proc/%d/mem" % parent, "rb").close()
            check(False, "the parent's memory is readable by its user")
        except PermissionError:
            pass


def test_worker_drops_root(w):
    c, jo = newsroom(w)
    worker = c.worker_pid()
    uids = status_field(worker, "Uid").split()
    gids = status_field(worker, "Gid").split()
    if os.geteuid() != 0:
        eq(uids[0], str(os.geteuid()), "not root: the worker stays")
        print("test_worker_drops_root: not root, the drop not tried")
        return
    eq(uids, [str(SERVE_UID)] * 4, "the worker's uids: the dir's owner")
    eq(gids, [str(SERVE_UID)] * 4, "the worker's gids")
    eq(status_field(worker, "Groups"), str(SERVE_UID), "its groups")
    check("running as uid=%d" % SERVE_UID in c.log(), "logged")
    eq(status_field(c.proc.pid, "Uid").split()[0], "0",
       "the signer parent keeps root (to start afresh on reload)")
    r = jo.post("/api/v1/items", item("Written as nobody"))
    eq(r.status, 201, "the worker writes the store: %r" % r)
    eq(c.stop(), 0, "stop")
    # A data directory of root's with no [server] user: refused.
    d = os.path.join(w.root, "rooted")
    run(["init", d, "--id", "rooted", "--name", "Rooted", "--country",
         "EG", "--languages", "en", "--hq"])
    rc, out, err = run(["serve", d, "--listen", "127.0.0.1:0"],
                       check_rc=None, timeout=30)
    check(rc != 0, "served as root", rc, err)
    check("will not run as root" in err and "[server] user" in err,
          "the error says how", err)
    check(not os.path.exists(os.path.join(d, "serve.addr")),
          "never listened")
    # With [server] user it goes on, as that user.
    conf = os.path.join(d, "mediabridge.conf")
    with open(conf) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text.replace("[server]\n", "[server]\nuser = nobody\n"))
    give_to_serve_user(d)
    # Owned by root (open to all): only [server] user can say who.
    os.chown(d, 0, 0)
    os.chmod(d, 0o777)
    import mbtest
    r2 = mbtest.Center(w, "rooted", d)
    w.centers.append(r2)
    r2.serve(give=False)
    eq(status_field(r2.worker_pid(), "Uid").split()[0], str(SERVE_UID),
       "[server] user")
    eq(r2.stop(), 0, "stop")


def test_key_checked_by_the_signer(w):
    c, jo = newsroom(w)
    parent, worker = c.proc.pid, c.worker_pid()
    kf = os.path.join(c.dir, "keys", "center.key")
    # A key gone bad meanwhile: the signer refuses the reload, the same
    # worker goes on serving.
    os.chmod(kf, 0o640)
    os.kill(parent, signal.SIGHUP)
    wait_for(lambda: "reload refused" in c.log(), 10, "the refusal")
    check("chmod 600" in c.log(), "the fix named", c.log()[-2000:])
    eq(jo.get("/healthz").status, 200, "still serving")
    eq(c.worker_pid(), worker, "the same worker")
    # Mended: the worker stops, the signer starts afresh (same pid), a
    # new worker serves.
    os.chmod(kf, 0o600)
    first = c.addr
    os.kill(parent, signal.SIGHUP)

    def new_addr():
        try:
            with open(os.path.join(c.dir, "serve.addr")) as f:
                a = f.read().strip()
        except OSError:
            return None
        return a if a and a != first else None
    c.addr = wait_for(new_addr, 15, "serve.addr after the reload")
    eq(c.proc.pid, parent, "the signer keeps its pid")
    check(c.proc.poll() is None, "the signer runs")
    check(c.worker_pid() != worker, "a new worker")
    r = c.client(jo.token).post("/api/v1/items", item("After a reload"))
    eq(r.status, 201, "the new worker signs through the signer: %r" % r)
    eq(c.stop(), 0, "stop")
    # A key readable by others: refused before anything listens.
    os.chmod(kf, 0o644)
    rc, out, err = run(["serve", c.dir, "--listen", "127.0.0.1:0"],
                       check_rc=None, timeout=30)
    eq(rc, 1, "serve with a key others may read: %s" % err)
    check("chmod 600 " in err and "center.key" in err, "the fix", err)
    check(not os.path.exists(os.path.join(c.dir, "serve.addr")),
          "never listened")


def test_worker_killed(w):
    c, jo = newsroom(w)
    worker = c.worker_pid()
    os.kill(worker, signal.SIGKILL)
    rc = c.proc.wait(10)
    eq(rc, 128 + 9, "the parent's status after its worker was killed")
    check("the worker was killed by signal 9" in c.log(), "logged",
          c.log()[-2000:])
    c.proc = None


def test_sigterm_stops_both(w):
    c, jo = newsroom(w)
    parent, worker = c.proc.pid, c.worker_pid()
    sandbox = media_child(worker)
    eq(c.stop(), 0, "exit status after SIGTERM")
    for pid in (worker, sandbox):
        wait_for(lambda: not os.path.exists("/proc/%d" % pid) or
                 status_field(pid, "State").startswith("Z"), 10,
                 "%d gone" % pid)
    log = c.log()
    check("serve: signal=TERM stopping" in log, "the worker stopped",
          log[-2000:])
    check(" error " not in log, "no error", log[-2000:])
    check(not os.path.exists(os.path.join(c.dir, "serve.addr")),
          "serve.addr removed")
    # And the parent killed outright takes the worker with it.
    c.serve()
    worker = c.worker_pid()
    os.kill(c.proc.pid, signal.SIGKILL)
    c.proc.wait(10)
    c.proc = None
    wait_for(lambda: not os.path.exists("/proc/%d" % worker) or
             status_field(worker, "State").startswith("Z"), 10,
             "the worker dies with its signer")


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
    # The codecs (libvips, FFmpeg and the ~160 libraries they bring) are
    # a module only the child loads: the worker that answers HTTP never
    # maps them, even after an upload (src/media/codec.h).
    def maps(pid):
        with open("/proc/%d/maps" % pid) as f:
            return f.read()
    worker = server_pid(c)
    for lib in ("libvips", "libavcodec", "libmagic", "mediabridge-codecs"):
        check(lib not in maps(worker), "%s not mapped in the worker" % lib)
        check(lib in maps(m), "%s mapped in the media child" % lib)


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
