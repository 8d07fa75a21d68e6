#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/links: a branch on a bad link, beside INN's feed over the same
link, and offline bundles beside tar --zstd (issue 22, 5).

(a) HQ holds N text items (bench/gen_items.py) and P pictures; a branch
    reaches it through tests/lib/shaper.py (64 kbit/s each way, 600 ms
    round trips, a reset of every connection every 30 s) with the policy
    `peer set --media all --max-rate 64k`. Measured: the time until the
    text is complete, until every blob is here, and the bytes the link
    carried (TCP payload both ways).
(b) INN: the same N articles (bench/nntp_articles.py) fed by innxmit
    (streaming) into a private innd through the same kind of link, run
    again after each reset until the batch is empty, as nntpsend does.
    Needs inn2 and root (innd drops to news); else reported as not run.
(c) bundle export and import of HQ (items and blobs) beside
    `tar --zstd -c` and `-x` of the same files (the items' NDJSON and the
    blob files).

usage: bench/links.py [N] [P]   (default 1000 100); BUILD=build dir.
Prints one line per figure; the last lines are the comparisons."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
from shaper import Shaper  # noqa: E402

MB = os.path.join(os.environ.get("BUILD", os.path.join(TOP, "build")),
                  "mediabridge")
INNBIN = "/usr/lib/news/bin"
RATE, RTT, RESET = 8000, 0.6, 30.0
ENV = dict(os.environ, MB_LOG=os.environ.get("MB_LOG", "info"),
           MB_SYNC_RESCAN_MS="200", MB_SYNC_BACKOFF_MIN_MS="100",
           MB_SYNC_BACKOFF_MAX_MS="2000", MB_SYNC_REGISTRY_S="5",
           MB_MEDIA_FETCH_MS="500")


def mb(*args):
    return subprocess.run([MB, *args], check=True, capture_output=True,
                          text=True, env=ENV).stdout


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def give(path):
    """serve refuses root: the directory to nobody (bench/serve_user.sh)."""
    if os.geteuid() != 0:
        return
    p = os.path.dirname(path)
    while p not in ("/", "/tmp"):
        os.chmod(p, os.stat(p).st_mode | 0o001)
        p = os.path.dirname(p)
    subprocess.run(["chown", "-R", "65534:65534", path], check=True)


def serve(d, listen=None):
    addr = os.path.join(d, "serve.addr")
    if os.path.exists(addr):
        os.unlink(addr)
    give(d)
    log = open(os.path.join(d, "serve.log"), "a")
    p = subprocess.Popen([MB, "serve", d] + (["--listen", listen] if listen
                                              else []),
                         stdout=log, stderr=log, env=ENV)
    for _ in range(400):
        if os.path.exists(addr) and open(addr).read().strip():
            return p, open(addr).read().strip()
        time.sleep(0.05)
    raise SystemExit("serve %s did not start" % d)


def stop(p):
    p.terminate()
    p.wait(timeout=30)


def listen_of(d):
    for line in open(os.path.join(d, "mediabridge.conf")):
        k, _, v = line.partition("=")
        if k.strip() == "listen":
            return v.strip()
    raise SystemExit("no listen in %s" % d)


def api(addr, path, token, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode()
                                        if body is not None else b"")
    req = urllib.request.Request("http://%s%s" % (addr, path), data=data,
                                 method="POST")
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"{}")


def pictures(hq, addr, p):
    """P picture items at HQ (the flat pictures of the shaped-link test,
    each its own): their blob hashes."""
    from test_shaped_link import flat_png
    mb("user", "add", hq, "edi", "--role", "editor")
    tok = mb("token", "add", hq, "edi").strip()
    hashes = set()
    for i in range(p):
        pic = api(addr, "/api/v1/media", tok,
                  raw=flat_png(640, 480, i % 160))
        r = api(addr, "/api/v1/items", tok, {
            "type": "picture", "language": "en",
            "headlines": [{"value": "Picture %d" % i}],
            "renditions": pic["renditions"]})
        _, _, c, loc = r["item"]["uri"].split(":")
        api(addr, "/api/v1/items/%s/%s/publish" % (c, loc), tok)
        hashes |= {u.rsplit("/", 1)[1] for u in pic["urls"]}
    return hashes


def received(branch, peer):
    for line in mb("peer", "list", branch).splitlines():
        f = line.split("\t")
        if f[0] == peer:
            kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
            return int(kv.get("received", 0))
    return 0


def here(d, h):
    return os.path.exists(os.path.join(d, "blobs", h[:2], h))


def bench_mediabridge(work, items, n, p):
    hq = os.path.join(work, "hq")
    known = "127.0.0.1:%d" % free_port()
    mb("init", hq, "--id", "hq", "--name", "HQ", "--country", "RU",
       "--languages", "en,ru", "--hq", "--listen", known)
    mb("import", "--quiet", hq, items)
    real = free_port()
    hp, addr = serve(hq, "127.0.0.1:%d" % real)
    try:
        blobs = pictures(hq, addr, p)
        br = os.path.join(work, "branch")
        mb("init", br, "--id", "branch", "--name", "Branch", "--country",
           "EG", "--languages", "ar,en", "--hq-url", "http://" + known,
           "--hq-key", mb("key", hq).strip(), "--listen",
           "127.0.0.1:%d" % free_port())
        mb("center", "add", hq, "--id", "branch", "--url",
           "http://" + listen_of(br), "--key", mb("key", br).strip(),
           "--country", "EG", "--name", "Branch", "--languages", "ar,en")
        mb("peer", "set", br, "hq", "--media", "all", "--max-rate", "64k")
        link = Shaper(int(known.rsplit(":", 1)[1]), real, rate=RATE, rtt=RTT,
                      reset_every=RESET)
        t0 = time.monotonic()
        bp, _ = serve(br)
        want = n + p
        text_at = None
        while time.monotonic() - t0 < 3600:
            if text_at is None and received(br, "hq") >= want:
                text_at = time.monotonic() - t0
            if text_at is not None and all(here(br, h) for h in blobs):
                break
            time.sleep(0.5)
        all_at = time.monotonic() - t0
        stop(bp)
        link.close()
        if text_at is None or not all(here(br, h) for h in blobs):
            raise SystemExit("mediabridge: not everything came in an hour")
        blob_bytes = sum(os.path.getsize(os.path.join(br, "blobs", h[:2], h))
                         for h in blobs)
        return {"text_s": text_at, "all_s": all_at, "down": link.down,
                "up": link.up, "resets": link.resets, "blobs": len(blobs),
                "blob_bytes": blob_bytes, "hq": hq}
    finally:
        stop(hp)


def inn_setup(d, groups):
    os.makedirs(d)
    for sub in ("etc", "db", "spool/articles", "spool/overview",
                "spool/incoming/tmp", "spool/outgoing", "spool/archive",
                "log", "run", "http"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for f in os.listdir("/etc/news"):
        src = os.path.join("/etc/news", f)
        if os.path.isfile(src) and f not in ("inn.conf", "inn-secrets.conf",
                                             "passwd.nntp",
                                             "inn-radius.conf"):
            shutil.copy(src, os.path.join(d, "etc"))
    port = free_port()
    keep = [ln for ln in open("/etc/news/inn.conf") if not ln.split(":")[0]
            .strip() in ("domain", "pathhost", "port", "bindaddress",
                         "bindaddress6") and not ln.strip().startswith(
                             "path")]
    paths = {"pathetc": "etc", "pathdb": "db", "pathspool": "spool",
             "patharticles": "spool/articles",
             "pathoverview": "spool/overview",
             "pathincoming": "spool/incoming",
             "pathtmp": "spool/incoming/tmp",
             "pathoutgoing": "spool/outgoing",
             "patharchive": "spool/archive", "pathlog": "log",
             "pathrun": "run", "pathhttp": "http"}
    with open(os.path.join(d, "etc", "inn.conf"), "w") as f:
        f.writelines(keep)
        f.write("\n# bench/links.py: a private instance (as bench/inn.sh)\n"
                "domain: localdomain\npathhost: inn-links.localdomain\n"
                "port: %d\nbindaddress: 127.0.0.1\npathnews: /usr/lib/news\n"
                "pathbin: /usr/lib/news/bin\n"
                "pathcontrol: /usr/lib/news/bin/control\n"
                "pathfilter: /etc/news/filter\n" % port)
        for k, v in paths.items():
            f.write("%s: %s\n" % (k, os.path.join(d, v)))
    shutil.copy("/usr/lib/news/examples/active", os.path.join(d, "db"))
    shutil.copy("/usr/lib/news/examples/newsgroups", os.path.join(d, "db"))
    with open(os.path.join(d, "db", "active"), "a") as f:
        for g in groups:
            f.write("%s 0000000000 0000000001 y\n" % g)
    for f in ("history", "active.times"):
        open(os.path.join(d, "db", f), "a").close()
    subprocess.run(["chown", "-R", "news:news", d], check=True)
    conf = os.path.join(d, "etc", "inn.conf")
    subprocess.run(["setpriv", "--reuid=news", "--regid=news",
                    "--init-groups", "env", "INNCONF=" + conf,
                    INNBIN + "/makedbz", "-i", "-o", "-s", "300000"],
                   check=True, capture_output=True)
    return conf, port


def bench_inn(work, arts, n):
    if not os.path.exists(INNBIN + "/innd") or not os.path.isdir(
            "/etc/news"):
        return "inn2 is not installed (scripts/deps.sh bench installs it)"
    if os.geteuid() != 0:
        return "INN's innd must be started as root (it drops to news)"
    groups = [g.strip() for g in open(os.path.join(arts, "groups"))
              if g.strip()]
    d = os.path.join(work, "inn")
    conf, port = inn_setup(d, groups)
    env = dict(os.environ, INNCONF=conf)
    innd = subprocess.Popen([INNBIN + "/innd", "-f"], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if b"running" in subprocess.run(
                    [INNBIN + "/ctlinnd", "-t", "1", "mode"], env=env,
                    capture_output=True).stdout:
                break
            time.sleep(0.1)
        lport = free_port()
        link = Shaper(lport, port, rate=RATE, rtt=RTT, reset_every=RESET)
        # innxmit rewrites its batch beside it: a directory of news's.
        q = os.path.join(work, "innq")
        os.makedirs(q)
        batch = os.path.join(q, "batch")
        shutil.copy(os.path.join(arts, "batch"), batch)
        subprocess.run(["chown", "-R", "news:news", q], check=True)
        os.chmod(arts, 0o755)
        t0 = time.monotonic()
        runs = 0
        # innxmit leaves what it did not send in the batch: run it again
        # until nothing is left, as nntpsend would.
        while os.path.exists(batch) and os.path.getsize(batch) > 0 and \
                runs < 200:
            runs += 1
            subprocess.run(["setpriv", "--reuid=news", "--regid=news",
                            "--init-groups", "env", "INNCONF=" + conf,
                            INNBIN + "/innxmit", "-P", str(lport),
                            "127.0.0.1", batch], capture_output=True)
        took = time.monotonic() - t0
        link.close()
        stored = subprocess.run(["sh", "-c", "grep -c . " + os.path.join(
            d, "db", "history") + " || true"], capture_output=True,
            text=True).stdout.strip()
        return {"s": took, "down": link.down, "up": link.up,
                "resets": link.resets, "runs": runs, "stored": stored}
    finally:
        subprocess.run([INNBIN + "/ctlinnd", "-t", "10", "shutdown",
                        "bench"], env=env, capture_output=True)
        try:
            innd.wait(timeout=20)
        except subprocess.TimeoutExpired:
            innd.kill()


def bench_bundle(work, hq, n):
    out = os.path.join(work, "hq.mbb")
    t0 = time.monotonic()
    vols = mb("bundle", "export", hq, "--media", "all", "-o", out).split()
    t_exp = time.monotonic() - t0
    size = sum(os.path.getsize(v) for v in vols)
    fresh = os.path.join(work, "offline")
    mb("init", fresh, "--id", "offline", "--name", "Offline", "--country",
       "EG", "--languages", "ar,en", "--hq-url", "http://127.0.0.1:1",
       "--hq-key", mb("key", hq).strip(), "--listen", "127.0.0.1:1")
    t0 = time.monotonic()
    mb("bundle", "import", fresh, *vols)
    t_imp = time.monotonic() - t0
    # The same files by tar: the items as NDJSON and the blob files.
    src = os.path.join(work, "tarsrc")
    os.makedirs(src)
    with open(os.path.join(src, "items.ndjson"), "w") as f:
        f.write(mb("export", hq))
    shutil.copytree(os.path.join(hq, "blobs"), os.path.join(src, "blobs"))
    tz = os.path.join(work, "same.tar.zst")
    t0 = time.monotonic()
    subprocess.run(["tar", "--zstd", "-cf", tz, "-C", src, "."], check=True)
    t_tc = time.monotonic() - t0
    dst = os.path.join(work, "tardst")
    os.makedirs(dst)
    t0 = time.monotonic()
    subprocess.run(["tar", "--zstd", "-xf", tz, "-C", dst], check=True)
    t_tx = time.monotonic() - t0
    return {"exp": t_exp, "imp": t_imp, "size": size, "vols": len(vols),
            "tar_c": t_tc, "tar_x": t_tx, "tar_size": os.path.getsize(tz)}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    p = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    work = tempfile.mkdtemp(prefix="mb-bench-links.")
    os.chmod(work, 0o755)
    try:
        items = os.path.join(work, "items.ndjson")
        subprocess.run(["/usr/bin/python3", TOP + "/bench/gen_items.py",
                        str(n), items], check=True, capture_output=True)
        arts = os.path.join(work, "articles")
        subprocess.run(["/usr/bin/python3", TOP + "/bench/nntp_articles.py",
                        items, arts], check=True, capture_output=True)
        m = bench_mediabridge(work, items, n, p)
        print("link: %d bit/s each way, %.0f ms round trips, a reset every "
              "%.0f s (tests/lib/shaper.py)" % (RATE * 8, RTT * 1000, RESET))
        print("mediabridge: %d text items + %d pictures (%d blobs, %d "
              "bytes): text complete in %.1f s, everything in %.1f s; "
              "link bytes down %d, up %d (%d resets)" % (
                  n, p, m["blobs"], m["blob_bytes"], m["text_s"],
                  m["all_s"], m["down"], m["up"], m["resets"]))
        print("mediabridge bytes per text item on the link (all bytes less "
              "the blobs' own, over %d items): %.0f" % (
                  n + p, (m["down"] + m["up"] - m["blob_bytes"]) / (n + p)))
        i = bench_inn(work, arts, n)
        if isinstance(i, str):
            print("INN: not run: %s" % i)
        else:
            print("INN innxmit -> innd over the same link: %d articles in "
                  "%.1f s (%d innxmit runs, %d resets); link bytes down %d, "
                  "up %d; %.0f bytes per article; history lines %s" % (
                      n, i["s"], i["runs"], i["resets"], i["down"], i["up"],
                      (i["down"] + i["up"]) / n, i["stored"]))
            print("text: mediabridge %.1f s vs INN %.1f s (%.2fx); bytes "
                  "per text item %.2fx INN's" % (
                      m["text_s"], i["s"], i["s"] / m["text_s"],
                      ((m["down"] + m["up"] - m["blob_bytes"]) / (n + p)) /
                      ((i["down"] + i["up"]) / n)))
        b = bench_bundle(work, m["hq"], n)
        mib = b["size"] / 1048576.0
        print("bundle: %d items + blobs, %d volume(s), %.1f MiB: export "
              "%.2f s (%.1f MiB/s, %.0f items/s), import %.2f s (%.1f "
              "MiB/s, %.0f items/s)" % (
                  n + p, b["vols"], mib, b["exp"], mib / b["exp"],
                  (n + p) / b["exp"], b["imp"], mib / b["imp"],
                  (n + p) / b["imp"]))
        print("tar --zstd of the same files (%.1f MiB): create %.2f s, "
              "extract %.2f s; bundle export %.1fx tar's time, import "
              "%.1fx (import verifies every signature and stores)" % (
                  b["tar_size"] / 1048576.0, b["tar_c"], b["tar_x"],
                  b["exp"] / b["tar_c"], b["imp"] / b["tar_x"]))
    finally:
        if os.environ.get("MB_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
