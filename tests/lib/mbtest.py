# SPDX-License-Identifier: MIT
"""The integration tests' harness: real mediabridge processes over real HTTP.

Python 3 standard library only. A test makes a World (a temp dir), makes
centers in it (init), starts `mediabridge serve` processes on 127.0.0.1
port 0 (the bound address is read from DIR/serve.addr), runs CLI
commands, talks HTTP, kills processes, and waits for conditions with
timeouts. Environment: MEDIABRIDGE (the binary), MB_SRCDIR (the source
tree), MB_KEEP=1 keeps the temp dirs.

    from mbtest import World, main
    def test_x(w):
        c = w.center("cairo")
        c.serve()
        st, body, hdrs = c.http("GET", "/healthz")
    if __name__ == "__main__":
        main(globals())
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

BIN = os.environ.get("MEDIABRIDGE", "build/mediabridge")
SRCDIR = os.environ.get("MB_SRCDIR", os.getcwd())


class TestFailure(AssertionError):
    pass


def check(cond, what, *detail):
    """Fails the test with what (and details) unless cond."""
    if not cond:
        msg = what
        if detail:
            msg += ": " + " ".join(str(d) for d in detail)
        raise TestFailure(msg)


def eq(got, want, what=""):
    check(got == want, "%s: got %r, want %r" % (what or "value", got, want))


def wait_for(fn, timeout=10.0, what="condition", interval=0.02):
    """Calls fn until it returns something true; returns that, or fails."""
    end = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception as e:  # noqa: BLE001 - retried until timeout
            last_exc = e
        time.sleep(interval)
    raise TestFailure("timed out after %.1fs waiting for %s%s" % (
        timeout, what, " (last error: %r)" % last_exc if last_exc else ""))


def run(args, stdin=None, check_rc=0, timeout=120, env=None):
    """Runs BIN with args; returns (rc, stdout, stderr). check_rc None: any."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([BIN] + [str(a) for a in args], input=stdin,
                       capture_output=True, text=True, timeout=timeout, env=e)
    if check_rc is not None and p.returncode != check_rc:
        raise TestFailure("mediabridge %s: exit %d, want %d\nstdout: %s\n"
                          "stderr: %s" % (" ".join(map(str, args)),
                                          p.returncode, check_rc, p.stdout,
                                          p.stderr))
    return p.returncode, p.stdout, p.stderr


class Response:
    """status, headers (lower-case names), body (bytes), json (or None)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self._json = None

    @property
    def json(self):
        if self._json is None and self.body:
            try:
                self._json = json.loads(self.body)
            except ValueError:
                self._json = None
        return self._json

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def error_code(self):
        j = self.json
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            return j["error"].get("code")
        return None

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.body[:300])


class Client:
    """HTTP to one address; keeps one connection alive across requests."""

    def __init__(self, addr, timeout=30):
        self.addr = addr
        self.timeout = timeout
        self.conn = None
        self.token = None
        self.cookie = None
        self.csrf = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, query=None,
                raw=None, auth=True):
        """body: a JSON value; raw: bytes sent as they are."""
        h = {}
        if auth and self.token:
            h["Authorization"] = "Bearer " + self.token
        if auth and self.cookie:
            h["Cookie"] = self.cookie
            if self.csrf and method not in ("GET", "HEAD"):
                h["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        h = {k: v for k, v in h.items() if v is not None}
        if query:
            path += "?" + urllib.parse.urlencode(query)
        for attempt in (0, 1):
            if self.conn is None:
                host, port = self.addr.rsplit(":", 1)
                self.conn = http.client.HTTPConnection(
                    host.strip("[]"), int(port), timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                b = r.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt == 1:
                    raise
                continue
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            if hdrs.get("connection", "").lower() == "close":
                self.close()
            return Response(r.status, hdrs, b)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def login(self, name, password):
        """Signs in with a password: the session cookie and CSRF token."""
        r = self.post("/api/v1/login", {"name": name, "password": password},
                      auth=False)
        if r.status == 200:
            sc = r.headers.get("set-cookie", "")
            self.cookie = sc.split(";", 1)[0]
            self.csrf = r.json["csrf"]
        return r


# serve started as root drops root to the owner of the data directory
# (docs/architecture.md, Privilege separation) and refuses to go on as
# root: run as root (CI), a center's directory is given to this user
# (nobody) before each start.
SERVE_UID = 65534


def give_to_serve_user(path):
    """As root: path (a data directory) to SERVE_UID, and its parents up
    to the temp directory passable, so that serve's worker can run as
    that user. Not root: nothing to do."""
    if os.geteuid() != 0:
        return
    top = tempfile.gettempdir()
    p = os.path.dirname(os.path.abspath(path))
    while p.startswith(top + "/"):
        os.chmod(p, os.stat(p).st_mode | 0o011)
        p = os.path.dirname(p)
    for base, dirs, files in os.walk(path):
        for n in [base] + [os.path.join(base, x) for x in dirs + files]:
            os.lchown(n, SERVE_UID, SERVE_UID)


def worker_of(parent):
    """serve's worker: the one child of the signer parent (pid parent)."""
    def find():
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            if int(st[st.rindex(")") + 2:].split()[1]) == parent:
                return int(d)
        return None
    return wait_for(find, 10, "the worker of serve %d" % parent)


def wait_worker_gone(pid):
    """The worker dies with its parent (SIGKILL when the parent dies):
    waits until it has, so that nothing of it (a port, a lock) outlives
    a stop or a kill. None: nothing to wait for."""
    if pid is not None:
        wait_for(lambda: _pid_gone(pid), 10, "the worker %d to end" % pid)


def _pid_gone(pid):
    """True when pid has exited (gone, or a zombie nobody reaps)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return True
    return st[st.rindex(")") + 2:].split()[0] in ("Z", "X")


class Center:
    """One center's data dir, and its serve process when running."""

    def __init__(self, world, cid, dir_, **init):
        self.world = world
        self.id = cid
        self.dir = dir_
        self.proc = None
        self.worker = None
        self.addr = None
        self.log_path = os.path.join(dir_ + ".log")

    def worker_pid(self):
        """serve's worker: the process that serves."""
        return worker_of(self.proc.pid)

    def _wait_worker(self):
        wait_worker_gone(self.worker)
        self.worker = None

    # -- processes --
    def serve(self, extra=(), env=None, timeout=15, give=True):
        """Starts serve on 127.0.0.1:0 and waits for DIR/serve.addr.
        give: as root, DIR is given to SERVE_UID first."""
        addr_file = os.path.join(self.dir, "serve.addr")
        if os.path.exists(addr_file):
            os.unlink(addr_file)
        e = dict(os.environ)
        if env:
            e.update(env)
        self._wait_worker()     # a kill that bypassed stop()
        if give:
            give_to_serve_user(self.dir)
        logf = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", self.dir, "--listen", "127.0.0.1:0"] +
            list(extra), stdout=logf, stderr=logf, env=e)
        logf.close()

        def ready():
            if self.proc.poll() is not None:
                raise TestFailure("serve %s exited with %d:\n%s" % (
                    self.id, self.proc.returncode, self.log()))
            if os.path.exists(addr_file):
                with open(addr_file) as f:
                    a = f.read().strip()
                return a or None
            return None
        self.addr = wait_for(ready, timeout, "serve %s to listen" % self.id)
        self.worker = self.worker_pid()
        return self

    def url(self):
        return "http://" + self.addr

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Signals serve and waits; returns its exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise TestFailure("serve %s did not stop in %ss" % (self.id,
                                                                timeout))
        self.proc = None
        self._wait_worker()
        return rc

    def kill9(self):
        """SIGKILL: the crash case."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            self._wait_worker()

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    # -- CLI --
    def cli(self, cmd, *args, stdin=None, check_rc=0):
        """Runs `mediabridge CMD DIR ARGS...`."""
        return run([cmd, self.dir] + list(args), stdin=stdin,
                   check_rc=check_rc)

    def user_add(self, name, role, password=None):
        args = ["user", "add", self.dir, name, "--role", role]
        if password is not None:
            args.append("--password-stdin")
        run(args, stdin=(password + "\n") if password is not None else None)

    def token_add(self, name):
        return run(["token", "add", self.dir, name])[1].strip()

    # -- HTTP --
    def client(self, token=None):
        c = Client(self.addr)
        c.token = token
        self.world.clients.append(c)
        return c

    def metric(self, name):
        """A gauge or counter of /metrics, as a number (None: absent)."""
        r = Client(self.addr).get("/metrics")
        for line in r.text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None


def pg_backend():
    """True when this run puts every center on PostgreSQL.

    MB_TEST_BACKEND=postgresql (the -pg variants in meson.build) with
    MB_TEST_PG, the URL of the private server tests/run.sh starts
    (tests/lib/pgtest.sh); each center then gets a database of its own.
    """
    return os.environ.get("MB_TEST_BACKEND") == "postgresql"


_pg_seq = [0]


def pg_admin(sql):
    """Runs sql on the test server's maintenance database (psql)."""
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    os.environ["MB_TEST_PG"], "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def pg_new_database():
    """A fresh, empty database on the test server: (name, URL)."""
    _pg_seq[0] += 1
    name = "mbi_%d_%d" % (os.getpid(), _pg_seq[0])
    pg_admin("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'" % name)
    base = os.environ["MB_TEST_PG"].rsplit("/", 1)[0]
    return name, base + "/" + name


class World:
    """A temp dir holding the test's centers; cleaned up at the end."""

    def __init__(self, name="test"):
        self.root = tempfile.mkdtemp(prefix="mb-%s-" % name)
        if os.geteuid() == 0:
            # serve's worker and the demo run as SERVE_UID: passable.
            os.chmod(self.root, 0o711)
        self.centers = []
        self.clients = []
        self.databases = []

    def database_args(self):
        """`init` arguments for one more center: its own PostgreSQL
        database when the run is on PostgreSQL, else none (SQLite)."""
        if not pg_backend():
            return []
        name, url = pg_new_database()
        self.databases.append(name)
        return ["--database", url]

    def center(self, cid, country="EG", languages="ar,en", hq=True,
               extra=()):
        d = os.path.join(self.root, cid)
        args = ["init", d, "--id", cid, "--name", cid.title(),
                "--country", country, "--languages", languages]
        if hq:
            args.append("--hq")
        run(args + self.database_args() + list(extra))
        c = Center(self, cid, d)
        self.centers.append(c)
        return c

    def close(self, failed=False):
        for cl in self.clients:
            cl.close()
        for c in self.centers:
            if c.proc is not None:
                c.kill9()
        if failed:
            for c in self.centers:
                sys.stderr.write("---- log of %s ----\n%s\n" % (c.id,
                                                            c.log()[-6000:]))
        if os.environ.get("MB_KEEP") != "1":
            shutil.rmtree(self.root, ignore_errors=True)
            for name in self.databases:
                try:
                    pg_admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" %
                             name)
                except (OSError, subprocess.CalledProcessError):
                    pass


def main(namespace, only=None):
    """Runs every test_* function of namespace, each with a fresh World.

    Exit 0 when all pass. `python3 test_x.py NAME...` runs some only."""
    if pg_backend() and not os.environ.get("MB_TEST_PG"):
        print("skipped: MB_TEST_BACKEND=postgresql but no MB_TEST_PG "
              "(tests/run.sh starts a server)")
        sys.exit(77)
    names = sorted(n for n in namespace if n.startswith("test_") and
                   callable(namespace[n]))
    if len(sys.argv) > 1:
        names = [n for n in names if n in sys.argv[1:] or
                 n[5:] in sys.argv[1:]]
    failed = 0
    for n in names:
        w = World(n[5:])
        t0 = time.monotonic()
        ok = False
        try:
            namespace[n](w)
            ok = True
        except Exception:  # noqa: BLE001 - every failure is reported
            traceback.print_exc()
        finally:
            w.close(failed=not ok)
        print("%s %s (%.2fs)" % ("ok  " if ok else "FAIL", n,
                                 time.monotonic() - t0), flush=True)
        failed += not ok
    print("%d passed, %d failed" % (len(names) - failed, failed))
    sys.exit(1 if failed else 0)
