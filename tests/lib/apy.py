# SPDX-License-Identifier: MIT
"""A real Apertium APy for tests and benches: Debian's apertium-apy with the
installed pairs (apertium-eng-spa, apertium-fr-es, apertium-es-pt), on a
free 127.0.0.1 port, started and waited for until /listPairs answers.

    from apy import Apy, Unavailable
    with Apy(workdir) as apy:        # raises Unavailable when not installed
        apy.url                      # http://127.0.0.1:PORT

From a shell (bench/mt.sh):
    python3 tests/lib/apy.py start DIR   # prints the URL; DIR/apy.pid
    python3 tests/lib/apy.py stop DIR

Python 3 standard library only.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

MODES = "/usr/share/apertium/modes"
# The pairs the tests and benches rely on (Debian packages in parentheses).
WANT = {
    "eng-spa.mode": "apertium-eng-spa",
    "fr-es.mode": "apertium-fr-es",
    "es-pt.mode": "apertium-es-pt",
}


class Unavailable(Exception):
    """APy or one of the pairs is not installed: the caller skips."""


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def check_installed():
    """Raises Unavailable naming what is missing."""
    binary = shutil.which("apertium-apy") or "/usr/bin/apertium-apy"
    if not os.access(binary, os.X_OK):
        raise Unavailable("apertium-apy is not installed "
                          "(scripts/deps.sh test installs it)")
    missing = [pkg for mode, pkg in WANT.items()
               if not os.path.exists(os.path.join(MODES, mode))]
    if missing:
        raise Unavailable("Apertium pairs missing: %s (scripts/deps.sh "
                          "test installs them)" % " ".join(missing))
    return binary


class Apy:
    """One apertium-apy process; a context manager."""

    def __init__(self, workdir, timeout=90):
        self.workdir = workdir
        self.timeout = timeout
        self.proc = None
        self.port = None
        self.log_path = os.path.join(workdir, "apy.log")

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def pairs(self):
        with urllib.request.urlopen(self.url + "/listPairs", timeout=5) as r:
            return json.load(r)["responseData"]

    def start(self):
        binary = check_installed()
        os.makedirs(self.workdir, exist_ok=True)
        # The port may be taken between free_port() and APy's bind: retry.
        for _ in range(3):
            self.port = free_port()
            log = open(self.log_path, "ab")
            # -j1: one HTTP process; it starts a pipeline per pair on the
            # first request to it (about a second). -t 60: APy's own limit
            # per request is 10 s, which a loaded test machine can pass.
            self.proc = subprocess.Popen(
                [binary, "-p", str(self.port), "-j1", "-t", "60", MODES],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
                start_new_session=True)
            log.close()
            end = time.monotonic() + self.timeout
            while time.monotonic() < end and self.proc.poll() is None:
                try:
                    if len(self.pairs()) >= 3:
                        return self
                except (OSError, ValueError, KeyError):
                    pass
                time.sleep(0.2)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError("apertium-apy did not answer /listPairs "
                                   "within %ds; its log: %s" %
                                   (self.timeout, self.log_tail()))
            self.proc = None
        raise RuntimeError("apertium-apy exited at start: " + self.log_tail())

    def log_tail(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return "(no log)"

    def stop(self):
        if self.proc is None:
            return
        # APy starts one apertium pipeline per pair: stop the whole group.
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        sys.stderr.write("usage: apy.py start|stop DIR\n")
        return 2
    d = argv[2]
    pidf = os.path.join(d, "apy.pid")
    if argv[1] == "start":
        try:
            a = Apy(d).start()
        except Unavailable as e:
            sys.stderr.write("apy: %s\n" % e)
            return 77
        with open(pidf, "w") as f:
            f.write("%d\n" % a.proc.pid)
        print(a.url)
        # The process lives on; `stop` ends its group.
        a.proc = None
        return 0
    try:
        with open(pidf) as f:
            pid = int(f.read())
    except (OSError, ValueError):
        return 0
    try:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(50):
            os.killpg(pid, 0)
            time.sleep(0.2)
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.unlink(pidf)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
