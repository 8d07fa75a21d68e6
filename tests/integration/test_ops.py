# SPDX-License-Identifier: MIT
"""Operating a center as a Debian service (issue 24): the configuration in
/etc/mediabridge/NAME.conf for /var/lib/mediabridge/NAME, sd_notify
(readiness, watchdog, reload on SIGHUP, stopping), backup and restore,
doctor. The system directories are stood in for by MEDIABRIDGE_CONFDIR and
MEDIABRIDGE_STATEDIR under the test's own temp dir."""

import json
import os
import socket
import struct
import subprocess
import threading
import time
import zlib

from mbtest import (Center, check, eq, main, pg_backend, pg_new_database,
                    run, wait_for)


def packaged(w, cid="cairo"):
    """A center laid out as the package lays it out: (center, env)."""
    conf = os.path.join(w.root, "etc")
    state = os.path.join(w.root, "var")
    os.makedirs(conf)
    os.makedirs(state)
    env = {"MEDIABRIDGE_CONFDIR": conf, "MEDIABRIDGE_STATEDIR": state}
    os.environ.update(env)
    d = os.path.join(state, cid)
    run(["init", d, "--id", cid, "--name", cid.title(), "--country", "EG",
         "--languages", "ar,en", "--hq"] + w.database_args())
    c = Center(w, cid, d)
    w.centers.append(c)
    return c, conf


def test_configuration_in_confdir(w):
    try:
        configuration_in_confdir(w)
    finally:
        for k in ("MEDIABRIDGE_CONFDIR", "MEDIABRIDGE_STATEDIR"):
            os.environ.pop(k, None)


def configuration_in_confdir(w):
    c, conf = packaged(w)
    f = os.path.join(conf, "cairo.conf")
    check(os.path.exists(f), "init wrote", f)
    check(not os.path.exists(os.path.join(c.dir, "mediabridge.conf")),
          "no mediabridge.conf in the data dir")
    eq(os.stat(os.path.join(c.dir, "keys", "center.key")).st_mode & 0o777,
       0o600, "key mode")
    # Every command finds it; an edit there is what serve reads.
    with open(f) as fh:
        text = fh.read()
    with open(f, "w") as fh:
        fh.write(text.replace("name = Cairo", "name = Cairo Two"))
    c.serve()
    r = c.client().get("/federation/v1/center")
    eq(r.json["name"], "Cairo Two", "name from " + f)
    c.stop()
    # A second init of the same name is refused and changes nothing.
    rc, _, err = run(["init", c.dir, "--id", "cairo", "--name", "X",
                      "--country", "EG", "--languages", "en", "--hq"],
                     check_rc=1)
    check("already holds a center" in err and f in err, "refusal", err)
    # A data dir elsewhere keeps its own mediabridge.conf (development).
    other = w.center("giza")
    check(os.path.exists(os.path.join(other.dir, "mediabridge.conf")),
          "development layout")
    check(not os.path.exists(os.path.join(conf, "giza.conf")), "no leak")
    # A missing configuration names the file expected.
    rc, _, err = run(["verify", os.path.join(w.root, "var", "nowhere")],
                     check_rc=1)
    check(os.path.join(conf, "nowhere.conf") in err and "init" in err,
          "missing conf", err)
    rc, _, err = run(["verify", os.path.join(w.root, "nowhere")],
                     check_rc=1)
    check("nowhere/mediabridge.conf" in err, "missing conf", err)


def notify_socket(w):
    path = os.path.join(w.root, "notify.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.2)
    return s, path


def messages(s, want, timeout=15):
    """Reads notify datagrams until one holds want; returns them all."""
    got = []

    def seen():
        try:
            got.append(s.recv(4096).decode())
        except socket.timeout:
            pass
        return any(want in m for m in got)
    wait_for(seen, timeout, "sd_notify %s (got %r)" % (want, got))
    return got


def test_notify_watchdog_reload(w):
    c = w.center("cairo")
    s, path = notify_socket(w)
    c.serve(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
    first = c.addr
    got = messages(s, "READY=1")
    check(any("STATUS=serving on " + first in m for m in got), "status",
          got)
    messages(s, "WATCHDOG=1", timeout=3)
    pid = c.proc.pid
    # SIGHUP with a broken configuration: refused, still serving.
    conf = os.path.join(c.dir, "mediabridge.conf")
    with open(conf) as fh:
        good = fh.read()
    with open(conf, "w") as fh:
        fh.write(good.replace("[server]", "[server]\nthreads = many"))
    os.kill(pid, 1)
    wait_for(lambda: "reload refused" in c.log(), 5, "the refusal")
    eq(c.client().get("/healthz").status, 200, "still serving")
    # A good one: same process, started afresh, ready again.
    with open(conf, "w") as fh:
        fh.write(good.replace("name = Cairo", "name = Cairo Reloaded"))
    os.kill(pid, 1)
    got = messages(s, "RELOADING=1")
    messages(s, "READY=1")

    def new_addr():
        with open(os.path.join(c.dir, "serve.addr")) as fh:
            a = fh.read().strip()
        return a if a and a != first else None
    c.addr = wait_for(new_addr, 10, "serve.addr after the reload")
    eq(c.proc.pid, pid, "same process")
    check(c.proc.poll() is None, "still running")
    eq(c.client().get("/federation/v1/center").json["name"],
       "Cairo Reloaded", "the new configuration")
    eq(c.stop(), 0, "exit status")
    messages(s, "STOPPING=1")


def png(w=64, h=48):
    """A small real PNG, made with the standard library."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    rows = b"".join(b"\0" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 90))
                                     for x in range(w)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def item(headline):
    return {"type": "text", "language": "en",
            "headlines": [{"value": headline}],
            "bodies": [{"value": "<p>%s.</p>" % headline}]}


def uris_of(dir_):
    """(uri, version) of every stored version, read back with export."""
    _, out, _ = run(["export", dir_])
    got = set()
    for line in out.splitlines():
        it = json.loads(line)["item"]
        got.add((it["uri"], it["version"]))
    return got


def test_backup_restore_under_load(w):
    c = w.center("cairo")
    c.user_add("jou", "journalist")
    c.serve()
    jo = c.client(c.token_add("jou"))
    r = jo.post("/api/v1/media", raw=png(),
                headers={"Content-Type": "application/octet-stream"})
    eq(r.status, 201, "upload")
    blobs = [u.rsplit("/", 1)[-1] for u in r.json["urls"]]
    # Writers acknowledge items (201) while the backup runs.
    acked, stop = [], threading.Event()

    def writer(k):
        cl = c.client(c.token_add("jou"))
        i = 0
        while not stop.is_set():
            r = cl.post("/api/v1/items", item("w%d item %d" % (k, i)))
            check(r.status == 201, "create under load", r.status)
            acked.append((time.monotonic(), r.json["item"]["uri"]))
            i += 1
    ts = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    for t in ts:
        t.start()
    # A setting and a comment the operator wrote by hand: restore (which
    # points a PostgreSQL copy at its new database) keeps them.
    with open(os.path.join(c.dir, "mediabridge.conf"), "a") as f:
        f.write("\n# set by hand\n[server]\ntrusted_proxies = 127.0.0.1\n")
    wait_for(lambda: len(acked) >= 30, 30, "items before the backup")
    started = time.monotonic()
    out = os.path.join(w.root, "cairo.tar.zst")
    rc, text, err = run(["backup", c.dir, "-o", out])
    time.sleep(0.3)
    stop.set()
    for t in ts:
        t.join()
    backend = "postgresql" if pg_backend() else "sqlite"
    check("backup: center cairo (%s)" % backend in text, "summary", text)
    before = {u for t, u in acked if t < started}
    check(len(before) >= 30, "acknowledged before", len(before))
    check(any(t > started for t, _ in acked), "written during the backup")
    eq(os.stat(out).st_mode & 0o077, 0, "archive is private")
    listing = subprocess.run(["tar", "--zstd", "-tvf", out],
                             capture_output=True, text=True,
                             check=True).stdout
    check("-rw------- " in [l for l in listing.splitlines()
                            if l.endswith("keys/center.key")][0][:11],
          "key mode kept", listing)

    # Restored elsewhere: every item acknowledged before the backup began,
    # the media blobs, the keys; restore verified it, and so does verify.
    new = os.path.join(w.root, "elsewhere", "cairo")
    extra = []
    if pg_backend():
        # A PostgreSQL backup goes into an empty database named here.
        rc, _, err = run(["restore", out, new], check_rc=1)
        check("--database" in err, "asks for a database", err)
        check(not os.path.exists(new), "nothing made")
        name, url = pg_new_database()
        w.databases.append(name)
        extra = ["--database", url]
    rc, text, err = run(["restore", out, new] + extra)
    check("verified" in text and "all signatures good" in text, "restore",
          text, err)
    with open(os.path.join(new, "mediabridge.conf")) as f:
        conf = f.read()
    check("# set by hand" in conf and "trusted_proxies = 127.0.0.1" in conf,
          "the operator's lines kept", conf)
    got = {u for u, _ in uris_of(new)}
    missing = before - got
    check(not missing, "acknowledged items missing", sorted(missing)[:3])
    manifest = json.loads(subprocess.run(
        ["tar", "--zstd", "-xOf", out, "MEDIABRIDGE-BACKUP"],
        capture_output=True, check=True).stdout)
    if pg_backend():
        # Counted just before pg_dump's snapshot: at least those.
        check(len(uris_of(new)) >= manifest["versions"], "versions",
              manifest)
    else:
        eq(len(uris_of(new)), manifest["versions"], "versions as recorded")
    for h in blobs:
        check(os.path.exists(os.path.join(new, "blobs", h[:2], h)),
              "blob restored", h)
    eq(os.stat(os.path.join(new, "keys", "center.key")).st_mode & 0o777,
       0o600, "restored key mode")
    with open(os.path.join(c.dir, "keys", "center.pub")) as a, \
            open(os.path.join(new, "keys", "center.pub")) as b:
        eq(b.read(), a.read(), "same key")
    run(["verify", new])
    c.stop()
    r2 = Center(w, "cairo", new)
    w.centers.append(r2)
    r2.serve()
    eq(r2.client().get("/healthz").status, 200, "the restored center serves")
    r2.stop()

    # A non-empty target is refused without --force and left as it was.
    mark = os.path.join(new, "keep-me")
    open(mark, "w").close()
    rc, _, err = run(["restore", out, new], check_rc=1)
    check("not empty" in err and "--force" in err, "refusal", err)
    check(os.path.exists(mark), "untouched")
    # With --force the old one is moved aside, not lost.
    if pg_backend():
        name, url = pg_new_database()
        w.databases.append(name)
        extra = ["--database", url]
    rc, text, err = run(["restore", out, new, "--force"] + extra)
    aside = [d for d in os.listdir(os.path.dirname(new))
             if d.startswith("cairo.before-restore-")]
    eq(len(aside), 1, "moved aside")
    check(os.path.exists(os.path.join(os.path.dirname(new), aside[0],
                                      "keep-me")), "old data kept")

    # A damaged archive restores nothing.
    bad = os.path.join(w.root, "bad.tar.zst")
    with open(out, "rb") as f, open(bad, "wb") as g:
        g.write(f.read()[:-2000])
    target = os.path.join(w.root, "third")
    rc, _, err = run(["restore", bad, target], check_rc=1)
    check(not os.path.exists(target), "nothing left behind", err)
    check(not [d for d in os.listdir(w.root) if ".restore-" in d],
          "no staging left")
    # A backup never overwrites, nor writes into the data directory.
    rc, _, err = run(["backup", c.dir, "-o", out], check_rc=1)
    check("exists" in err, "no overwrite", err)
    rc, _, err = run(["backup", c.dir, "-o", os.path.join(c.dir, "b.tar")],
                     check_rc=1)
    check("inside the data directory" in err, "not inside", err)


def test_restore_packaged(w):
    try:
        restore_packaged(w)
    finally:
        for k in ("MEDIABRIDGE_CONFDIR", "MEDIABRIDGE_STATEDIR"):
            os.environ.pop(k, None)


def restore_packaged(w):
    """A packaged center restored on a new machine: its configuration back
    in CONFDIR/NAME.conf (none left in the data dir), the dir 0750, and
    as root the files the mediabridge user's (when there is one)."""
    c, conf = packaged(w)
    f = os.path.join(conf, "cairo.conf")
    with open(f, "a") as fh:
        fh.write("\n# set by hand\n")
    os.chmod(f, 0o640)
    out = os.path.join(w.root, "cairo.tar.zst")
    run(["backup", c.dir, "-o", out])

    def extra():
        if not pg_backend():
            return []
        name, url = pg_new_database()
        w.databases.append(name)
        return ["--database", url]
    # The new machine: neither the data dir nor the configuration. DIR/
    # is DIR.
    os.rename(c.dir, c.dir + ".old")
    os.rename(f, f + ".old")
    rc, text, err = run(["restore", out, c.dir + "/"] + extra())
    check("verified" in text, "restore", text, err)
    check(os.path.exists(f), "configuration in CONFDIR", os.listdir(conf))
    with open(f) as fh:
        check("# set by hand" in fh.read(), "the restored configuration")
    eq(os.stat(f).st_mode & 0o777, 0o640, "its mode as backed up")
    check(not os.path.exists(os.path.join(c.dir, "mediabridge.conf")),
          "none in the data dir", os.listdir(c.dir))
    eq(os.stat(c.dir).st_mode & 0o777, 0o750, "data dir mode")
    check(not [d for d in os.listdir(os.path.dirname(c.dir))
               if ".restore-" in d], "no staging left")
    try:
        import pwd
        mb = pwd.getpwnam("mediabridge")
    except KeyError:
        mb = None
    if os.geteuid() == 0 and mb is not None:
        for top, dirs, files in os.walk(c.dir):
            for n in [top] + [os.path.join(top, x) for x in files]:
                eq(os.lstat(n).st_uid, mb.pw_uid, "handed over: " + n)
    run(["verify", c.dir])
    # --force over it: the configuration moved aside and a new one
    # written, not left missing.
    rc, text, err = run(["restore", out, c.dir, "--force"] + extra())
    check(os.path.exists(f), "configuration after --force", os.listdir(conf))
    check([x for x in os.listdir(conf)
           if x.startswith("cairo.conf.before-restore-")], "old one aside")
    check(not os.path.exists(os.path.join(c.dir, "mediabridge.conf")),
          "none in the data dir after --force")
    run(["verify", c.dir])


def test_backup_symlinked_blobs(w):
    """blobs/ on another disk (a symbolic link) is backed up as the
    center's own; a backup without the store's blobs does not restore;
    a link to nothing fails the backup."""
    c = w.center("cairo")
    c.user_add("jou", "journalist")
    c.serve()
    r = c.client(c.token_add("jou")).post(
        "/api/v1/media", raw=png(),
        headers={"Content-Type": "application/octet-stream"})
    eq(r.status, 201, "upload")
    hashes = [u.rsplit("/", 1)[-1] for u in r.json["urls"]]
    c.stop()
    big = os.path.join(w.root, "bigdisk-blobs")
    os.rename(os.path.join(c.dir, "blobs"), big)
    os.symlink(big, os.path.join(c.dir, "blobs"))
    out = os.path.join(w.root, "cairo.tar.zst")
    run(["backup", c.dir, "-o", out])
    listing = subprocess.run(["tar", "--zstd", "-tf", out],
                             capture_output=True, text=True,
                             check=True).stdout.split()
    for h in hashes:
        check("blobs/%s/%s" % (h[:2], h) in listing, "blob backed up", h,
              listing)
    extra = []
    if pg_backend():
        name, url = pg_new_database()
        w.databases.append(name)
        extra = ["--database", url]
    new = os.path.join(w.root, "restored")
    run(["restore", out, new] + extra)
    for h in hashes:
        check(os.path.isfile(os.path.join(new, "blobs", h[:2], h)),
              "blob restored", h)

    # An archive without them (as a backup that skipped the link made):
    # refused, naming a missing file, nothing made.
    x = os.path.join(w.root, "x")
    os.makedirs(x)
    subprocess.run(["tar", "--zstd", "-xf", out, "-C", x], check=True)
    names = [n for n in listing if not n.startswith("blobs")]
    bad = os.path.join(w.root, "noblobs.tar.zst")
    subprocess.run(["tar", "--zstd", "-cf", bad, "-C", x,
                    "--no-recursion"] + names, check=True)
    if pg_backend():
        name, url = pg_new_database()
        w.databases.append(name)
        extra = ["--database", url]
    target = os.path.join(w.root, "third")
    rc, _, err = run(["restore", bad, target] + extra, check_rc=1)
    check("lacks" in err and "blobs/" in err, "refusal", err)
    check(not os.path.exists(target), "nothing made")

    # A link to nothing: the backup fails and says which.
    os.rename(big, big + ".gone")
    rc, _, err = run(["backup", c.dir, "-o", out + "2"], check_rc=1)
    check("blobs" in err and "symbolic link" in err, "dangling", err)
    check(not os.path.exists(out + "2"), "no archive left")


def lines(out, level):
    """The doctor's lines of one level ("ok", "WARN", "FAIL"), by check."""
    got = {}
    for l in out.splitlines():
        parts = l.split(None, 1)
        if len(parts) == 2 and parts[0] == level:
            what, _, text = parts[1].partition(": ")
            got.setdefault(what, []).append(text)
    return got


def test_doctor(w):
    hq = w.center("hq")
    hq.serve()
    key = run(["key", hq.dir])[1].strip()
    b = os.path.join(w.root, "cairo")
    run(["init", b, "--id", "cairo", "--name", "Cairo", "--country", "EG",
         "--languages", "ar", "--hq-url", hq.url(), "--hq-key", key] +
        w.database_args())
    run(["peer", "add", b, hq.url()])
    rc, out, _ = run(["doctor", b])
    ok = lines(out, "ok")
    for what in ("config", "key", "public key", "disk", "store",
                 "peer hq", "clock", "media codecs"):
        check(what in ok, "doctor ok: " + what, out)
    check("against HQ" in ok["clock"][0], "clock line", out)
    check("doctor: 0 problems" in out, "summary", out)

    # The media codecs module missing (a broken install): said, and how.
    rc, out, _ = run(["doctor", b, "--offline"], check_rc=1,
                     env={"MEDIABRIDGE_CODECS": os.path.join(w.root,
                                                             "none.so")})
    fail = lines(out, "FAIL")
    check("media codecs" in fail and "none.so" in fail["media codecs"][0]
          and "reinstall" in fail["media codecs"][0], "codecs missing", out)
    eq(len(fail), 1, "one problem: %r" % fail)

    # The key readable by others: a problem, with the fix.
    kf = os.path.join(b, "keys", "center.key")
    os.chmod(kf, 0o644)
    rc, out, _ = run(["doctor", b, "--offline"], check_rc=1)
    fail = lines(out, "FAIL")
    check("key" in fail and "chmod 600 " + kf in fail["key"][0], "key",
          out)
    eq(len(fail), 1, "one problem, said once: %r" % fail)
    os.chmod(kf, 0o600)

    # A public key that is not the secret key's.
    pf = os.path.join(b, "keys", "center.pub")
    with open(pf) as f:
        good = f.read()
    with open(pf, "w") as f:
        f.write(key + "\n")
    rc, out, _ = run(["doctor", b, "--offline"], check_rc=1)
    check("public key" in lines(out, "FAIL"), "pub mismatch", out)
    with open(pf, "w") as f:
        f.write(good)

    # HQ gone: the peer and the clock check say so, and what to check.
    hq.stop()
    rc, out, _ = run(["doctor", b], check_rc=1)
    fail = lines(out, "FAIL")
    check("peer hq" in fail and "does not answer" in fail["peer hq"][0],
          "peer down", out)
    check("hq" in fail, "hq down", out)
    # Offline, the same center is fine.
    run(["doctor", b, "--offline"])

    # A damaged store.
    db = os.path.join(b, "store.db")
    if os.path.exists(db):
        with open(db, "r+b") as f:
            f.seek(0)
            f.write(b"garbage" * 20)
        rc, out, err = run(["doctor", b, "--offline"], check_rc=1)
        check("store" in lines(out, "FAIL"), "store damage", out, err)
    # No configuration at all.
    rc, out, _ = run(["doctor", os.path.join(w.root, "none")], check_rc=1)
    check("config" in lines(out, "FAIL"), "no config", out)

    # An HQ whose clock is ten minutes ahead: signed requests would fail.
    import email.utils
    import http.server

    class Skewed(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response_only(200)
            self.send_header("Date", email.utils.formatdate(
                time.time() + 600, usegmt=True))
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a):
            pass
    srv = http.server.HTTPServer(("127.0.0.1", 0), Skewed)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        g = os.path.join(w.root, "giza")
        run(["init", g, "--id", "giza", "--name", "Giza", "--country", "EG",
             "--languages", "ar", "--hq-url",
             "http://127.0.0.1:%d" % srv.server_address[1], "--hq-key",
             key] + w.database_args())
        rc, out, _ = run(["doctor", g], check_rc=1)
        fail = lines(out, "FAIL")
        check("clock" in fail and "time service" in fail["clock"][0],
              "skew", out)
        check(598 <= int(fail["clock"][0].split()[0]) <= 602, "seconds",
              out)
    finally:
        srv.shutdown()


if __name__ == "__main__":
    main(globals())
