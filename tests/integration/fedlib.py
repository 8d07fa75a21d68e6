# SPDX-License-Identifier: MIT
"""Small helpers for the exchange's integration tests: centers as real
processes on 127.0.0.1 (port 0, the bound address read from DIR/serve.addr)."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

MB = os.environ.get("MEDIABRIDGE", "build/mediabridge")

# On the PostgreSQL variant (mbtest.pg_backend()) each center gets a
# database of its own on the test server, dropped at exit.
_databases = []


def _database_args():
    import atexit
    import sys
    import mbtest
    if not mbtest.pg_backend():
        return []
    if not os.environ.get("MB_TEST_PG"):
        print("skipped: MB_TEST_BACKEND=postgresql but no MB_TEST_PG")
        sys.exit(77)
    name, url = mbtest.pg_new_database()
    if not _databases:
        atexit.register(_drop_databases)
    _databases.append(name)
    return ["--database", url]


def _drop_databases():
    import mbtest
    for name in _databases:
        try:
            mbtest.pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
        except (OSError, subprocess.CalledProcessError):
            pass

# Small batches and quick retries keep the suite fast.
ENV = dict(os.environ, MB_SYNC_RESCAN_MS="200", MB_SYNC_BACKOFF_MIN_MS="100",
           MB_SYNC_BACKOFF_MAX_MS="1000", MB_SYNC_REGISTRY_S="2",
           MB_SYNC_WAIT="5", MB_LOG=os.environ.get("MB_LOG", "info"))


def mb(*args, check=True, env=None, full=False):
    """Runs mediabridge; its stdout (the CompletedProcess when full)."""
    p = subprocess.run([MB, *args], capture_output=True, text=True,
                       env=env or ENV)
    if check and p.returncode != 0:
        raise AssertionError("mediabridge %s: %s" % (" ".join(args),
                                                     p.stderr.strip()))
    return p if full else p.stdout


class Center:
    def __init__(self, root, cid, country, langs, hq=None):
        self.id = cid
        self.dir = os.path.join(root, cid)
        self.proc = None
        self.worker = None
        self.addr = None
        args = ["init", self.dir, "--id", cid, "--name", cid.title(),
                "--country", country, "--languages", langs,
                "--listen", "127.0.0.1:%d" % free_port()]
        if hq is None:
            args.append("--hq")
        else:
            args += ["--hq-url", hq.url, "--hq-key", hq.key()]
        mb(*(args + _database_args()))

    def key(self):
        return mb("key", self.dir).strip()

    @property
    def url(self):
        return "http://" + self.addr

    def start(self, env=None, wait=True, listen=None):
        """Starts serve; listen (host:port) overrides the configured one,
        e.g. to put a relay at the address peers know."""
        addr = os.path.join(self.dir, "serve.addr")
        if os.path.exists(addr):
            os.unlink(addr)
        import mbtest
        mbtest.wait_worker_gone(self.worker)   # a kill that bypassed stop
        self.worker = None
        mbtest.give_to_serve_user(self.dir)
        log = open(os.path.join(self.dir, "serve.log"), "a")
        extra = ["--listen", listen] if listen else []
        self.proc = subprocess.Popen([MB, "serve", self.dir] + extra,
                                     stdout=log, stderr=log, env=env or ENV)
        log.close()
        if not wait:
            return
        # Up to 20 s: a restart after SIGKILL on a loaded CI machine
        # (WAL recovery, the worker's start) took longer than the 4 s
        # this waited before; a start that succeeds returns at once.
        for _ in range(1000):
            if self.proc.poll() is not None:
                break
            if os.path.exists(addr):
                with open(addr) as f:
                    self.addr = f.read().strip()
                if self.addr:
                    self.worker = self.worker_pid()
                    return
            time.sleep(0.02)
        with open(os.path.join(self.dir, "serve.log"), errors="replace") as f:
            tail = f.read()[-2000:]
        raise AssertionError("%s: no serve.addr (serve %s):\n%s" % (
            self.id, "exited %d" % self.proc.returncode
            if self.proc.poll() is not None else "still starting", tail))

    def worker_pid(self):
        """serve's worker, the process that serves (mbtest.worker_of)."""
        import mbtest
        return mbtest.worker_of(self.proc.pid)

    def stop(self, sig=signal.SIGTERM):
        if self.proc is not None:
            import mbtest
            self.proc.send_signal(sig)
            self.proc.wait(timeout=20)
            self.proc = None
            mbtest.wait_worker_gone(self.worker)
            self.worker = None

    def publish(self, items, audience=None):
        path = os.path.join(self.dir, "in-%d.ndjson" % time.monotonic_ns())
        with open(path, "w") as f:
            for it in items:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        args = ["import", self.dir, path]
        if audience:
            args[2:2] = ["--audience", audience]
        mb(*args)

    def versions(self):
        """Every (uri, version) stored, as a list (duplicates would show)."""
        out = []
        for line in mb("export", self.dir).splitlines():
            if line.strip():
                item = json.loads(line)["item"]
                out.append((item["uri"], item["version"]))
        return out

    def headlines(self):
        """The first headline of every stored version, in log order."""
        return [json.loads(line)["item"]["headlines"][0]["value"]
                for line in mb("export", self.dir).splitlines()
                if line.strip()]

    def peers(self):
        res = {}
        for line in mb("peer", "list", self.dir).splitlines():
            f = line.split("\t")
            kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
            res[f[0]] = kv
        return res


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def admit(hq, c):
    mb("center", "add", hq.dir, "--id", c.id, "--url", c.url, "--key",
       c.key(), "--country", "EG", "--name", c.id.title(),
       "--languages", "ar,en")


def http_get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_for(what, pred, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def item(text, lang="en"):
    return {"headlines": [{"value": text}], "language": lang, "type": "text",
            "bodies": [{"value": "<p>%s</p>" % text}]}
