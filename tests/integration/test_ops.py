# SPDX-License-Identifier: MIT
"""Operating a center as a Debian service (issue 24): the configuration in
/etc/mediabridge/NAME.conf for /var/lib/mediabridge/NAME, sd_notify
(readiness, watchdog, reload on SIGHUP, stopping), backup and restore,
doctor. The system directories are stood in for by MEDIABRIDGE_CONFDIR and
MEDIABRIDGE_STATEDIR under the test's own temp dir."""

import os
import socket
import time

from mbtest import BIN, Center, check, eq, main, run, wait_for


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


if __name__ == "__main__":
    main(globals())
