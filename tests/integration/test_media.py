# SPDX-License-Identifier: MIT
"""Media with real processes over real HTTP: uploads sniffed and sized,
renditions stripped of the place they were taken, serving with Range and
ETag, refused uploads leaving nothing, gc, and a picture and a video
crossing from Cairo to Manama (the video only when first asked for),
and a down origin asked as the backoff says, not once per reader.

The test media are made here with libvips (`vips`), exiftool and ffmpeg
(scripts/deps.sh test); without them the test is skipped (exit 77)."""

import base64
import hashlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

from mbtest import World, check, eq, main, wait_for

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fedlib  # noqa: E402

TOOLS = ("vips", "exiftool", "ffmpeg")
SECRET = "Safehouse-Zamalek"
TMP = tempfile.mkdtemp(prefix="mb-media-files-")


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


def jpeg_with_gps(w=1200, h=900):
    """A noisy JPEG (so it is not trivially small) carrying GPS EXIF."""
    base = os.path.join(TMP, "n%dx%d" % (w, h))
    out = base + ".jpg"
    if not os.path.exists(out):
        sh("vips", "gaussnoise", base + "a.v", str(w), str(h))
        sh("vips", "cast", base + "a.v", base + "b.v", "uchar")
        sh("vips", "bandjoin", "%sb.v %sb.v %sb.v" % (base, base, base),
           base + "c.v")
        sh("vips", "copy", base + "c.v", out)
        sh("exiftool", "-q", "-overwrite_original", "-GPSLatitude=30.0444",
           "-GPSLatitudeRef=N", "-GPSLongitude=31.2357",
           "-GPSLongitudeRef=E", "-XMP-dc:Description=" + SECRET,
           "-Comment=" + SECRET, out)
    with open(out, "rb") as f:
        return f.read()


def video(seconds=1):
    out = os.path.join(TMP, "v%d.mp4" % seconds)
    if not os.path.exists(out):
        sh("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
           "testsrc=size=160x120:rate=10", "-f", "lavfi", "-i",
           "sine=frequency=440", "-t", str(seconds), "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata",
           "title=" + SECRET, "-metadata", "location=+30.0444+031.2357/",
           out)
    with open(out, "rb") as f:
        return f.read()


def av_file(ext, codec):
    """One second of sound (aac) or picture (libx264) in a file of ext."""
    out = os.path.join(TMP, "av-" + codec + ext)
    if not os.path.exists(out):
        if codec == "aac":
            args = ("-f", "lavfi", "-i", "sine=frequency=440", "-c:a", codec)
        else:
            args = ("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
                    "-c:v", codec, "-pix_fmt", "yuv420p")
        sh("ffmpeg", "-v", "error", "-y", *args, "-t", "1", out)
    with open(out, "rb") as f:
        return f.read()


def png_bomb(w, h):
    """A valid PNG header claiming w x h, with a tiny image stream."""
    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data +
                struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def gps_of(data):
    """What exiftool finds about place and the secret in data."""
    p = os.path.join(TMP, "probe.bin")
    with open(p, "wb") as f:
        f.write(data)
    r = subprocess.run(["exiftool", "-a", "-G1", p], capture_output=True,
                       text=True)
    return [l for l in r.stdout.splitlines()
            if "GPS" in l or SECRET in l or "XMP" in l or "EXIF" in l]


def blob_files(c):
    out = []
    for root, _, files in os.walk(os.path.join(c.dir, "blobs")):
        out += [os.path.join(root, f) for f in files]
    return out


def newsroom(w):
    c = w.center("cairo")
    c.user_add("jou", "journalist")
    c.user_add("mem", "member")
    c.serve()
    return c, c.client(c.token_add("jou")), c.client(c.token_add("mem"))


def multipart(field, filename, ctype, data):
    b = "----mbtest%d" % time.monotonic_ns()
    body = ("--%s\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n"
            "a caption\r\n--%s\r\nContent-Disposition: form-data; "
            "name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" %
            (b, b, field, filename, ctype)).encode() + data + \
        ("\r\n--%s--\r\n" % b).encode()
    return body, "multipart/form-data; boundary=" + b


def test_upload_strip_and_serve(w):
    c, jo, mem = newsroom(w)
    src = jpeg_with_gps()
    check(any("GPS Latitude" in l for l in gps_of(src)), "input has GPS")
    r = jo.post("/api/v1/media", raw=src,
                headers={"Content-Type": "application/octet-stream"})
    eq(r.status, 201, "upload: %r" % r)
    j = r.json
    eq(j["type"], "picture", "type")
    names = [x["name"] for x in j["renditions"]]
    eq(names, ["thumbnail", "thumbnail-webp", "medium", "medium-webp",
               "large", "large-webp"], "renditions")
    eq((j["renditions"][4]["width"], j["renditions"][4]["height"]),
       (1200, 900), "large: not upscaled")
    eq(j["renditions"][0]["width"], 320, "thumbnail width")
    for rend, url in zip(j["renditions"], j["urls"]):
        h = url.rsplit("/", 1)[1]
        check(rend["href"].startswith("ni:///sha-256;"), "ni href", rend)
        g = jo.get(url, auth=False)
        eq(g.status, 200, "GET " + url)
        eq(hashlib.sha256(g.body).hexdigest(), h, "content hash")
        eq(len(g.body), rend["sizeInBytes"], "size")
        eq(g.headers["content-type"], rend["contentType"], "type")
        eq(g.headers["x-content-type-options"], "nosniff", "nosniff")
        eq(g.headers["etag"], '"%s"' % h, "etag")
        check("immutable" in g.headers["cache-control"], "cache",
              g.headers)
        eq(gps_of(g.body), [], "no metadata left in " + rend["name"])
        check(SECRET.encode() not in g.body, "secret gone")
    url = j["urls"][4]
    size = j["renditions"][4]["sizeInBytes"]
    g = jo.get(url, headers={"Range": "bytes=0-99"}, auth=False)
    eq(g.status, 206, "range")
    eq(len(g.body), 100, "range length")
    eq(g.headers["content-range"], "bytes 0-99/%d" % size, "content-range")
    g = jo.get(url, headers={"Range": "bytes=-10"}, auth=False)
    eq((g.status, len(g.body)), (206, 10), "suffix range")
    g = jo.get(url, headers={"Range": "bytes=%d-" % (size + 5)}, auth=False)
    eq(g.status, 416, "unsatisfiable")
    # An error is not the blob: no ETag, not cached for a year.
    eq(g.headers.get("etag"), None, "416 without ETag")
    check("immutable" not in g.headers.get("cache-control", ""),
          "416 not cached as the blob", g.headers)
    eq(g.headers["content-range"], "bytes */%d" % size, "416 says the size")
    g = jo.get(url, headers={"If-None-Match": '"%s"' % url[-64:]},
               auth=False)
    eq(g.status, 304, "conditional")
    eq(g.headers.get("etag"), '"%s"' % url[-64:], "304 with its ETag")
    eq(jo.get("/media/" + "0" * 64, auth=False).status, 404, "unknown")
    eq(jo.get("/media/..%2f..%2fmediabridge.conf", auth=False).status, 404,
       "no path from a client")
    # The same bytes again: deduplicated.
    n = len(blob_files(c))
    eq(jo.post("/api/v1/media", raw=src).status, 201, "again")
    eq(len(blob_files(c)), n, "deduplicated")
    # Multipart from a form: the file part, its name ignored.
    body, ct = multipart("file", "../../etc/passwd.jpg", "image/jpeg", src)
    r = jo.post("/api/v1/media", raw=body, headers={"Content-Type": ct})
    eq(r.status, 201, "multipart: %r" % r)
    eq(r.json["urls"], j["urls"], "same renditions")
    # Who may upload.
    eq(mem.post("/api/v1/media", raw=src).status, 403, "member")
    eq(c.client().post("/api/v1/media", raw=src).status, 401, "anonymous")


def test_refused_leave_nothing(w):
    c, jo, _ = newsroom(w)
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body>"
    body, ct = multipart("file", "holiday.jpg", "image/jpeg", html)
    r = jo.post("/api/v1/media", raw=body, headers={"Content-Type": ct})
    eq((r.status, r.error_code()), (415, "unsupported_media_type"),
       "html named .jpg")
    check("text/html" in r.json["error"]["message"], "says what it is", r)
    # M4A and Matroska are not taken, and said so by name (they used to
    # be taken for MP4 and WebM, then fail: "no video stream",
    # "remuxing: Invalid argument").
    for ext, codec, what in ((".m4a", "aac", "m4a"),
                             (".mkv", "libx264", "matroska")):
        r = jo.post("/api/v1/media", raw=av_file(ext, codec))
        eq((r.status, r.error_code()), (415, "unsupported_media_type"),
           "%s: %r" % (ext, r))
        check(what in r.json["error"]["message"], "names it", r)
    src = jpeg_with_gps(800, 600)
    r = jo.post("/api/v1/media", raw=src[:len(src) // 2])
    eq((r.status, r.error_code()), (422, "bad_media"), "truncated: %r" % r)
    r = jo.post("/api/v1/media", raw=png_bomb(100000, 100000))
    eq((r.status, r.error_code()), (413, "too_large"), "bomb: %r" % r)
    r = jo.post("/api/v1/media", raw=png_bomb(12000, 12000))
    eq(r.status, 413, "bomb under the side limit")
    eq(blob_files(c), [], "nothing written")
    # The server did not spend the memory the bombs asked for.
    with open("/proc/%d/status" % c.worker_pid()) as f:
        hwm = [int(l.split()[1]) for l in f if l.startswith("VmHWM")][0]
    check(hwm < 400 * 1024, "peak memory %d KiB" % hwm)
    # An upload cut off halfway: the connection drops, nothing stays.
    host, port = c.addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    s.sendall(("POST /api/v1/media HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer %s\r\nContent-Length: %d\r\n"
               "Content-Type: image/jpeg\r\n\r\n" %
               (jo.token, len(src))).encode() + src[:len(src) // 2])
    time.sleep(0.3)
    s.close()
    time.sleep(0.3)
    eq(blob_files(c), [], "nothing after the cut")
    eq(jo.get("/healthz").status, 200, "still serving")
    eq(jo.post("/api/v1/media", raw=src).status, 201, "whole one works")


def test_codecs_missing(w):
    """Without its codec module the server says the fault is its own:
    every upload used to be 422 "the media decoder failed on this file",
    blaming the file."""
    c = w.center("cairo")
    c.user_add("jou", "journalist")
    c.serve(env={"MEDIABRIDGE_CODECS": os.path.join(c.dir, "none.so")})
    jo = c.client(c.token_add("jou"))
    r = jo.post("/api/v1/media", raw=jpeg_with_gps(640, 480))
    eq(r.status, 500, "the server's fault: %r" % r)
    msg = r.json["error"]["message"]
    check("codecs" in msg and "this file" not in msg, "says so", msg)
    check("cannot load the media codecs" in c.log(), "the log says why",
          c.log()[-2000:])
    eq(blob_files(c), [], "nothing stored")


def test_newsroom_page(w):
    c = w.center("cairo")
    c.user_add("jou", "journalist", password="correct horse battery")
    c.serve()
    cl = c.client()
    eq(cl.get("/newsroom/media").status, 303, "login first")
    eq(cl.login("jou", "correct horse battery").status, 200, "login")
    g = cl.get("/newsroom/media")
    eq(g.status, 200, "the page")
    check('enctype="multipart/form-data"' in g.text, "a file form", g.text)
    csrf = cl.csrf
    check(csrf in g.text, "the form carries the CSRF token")
    src = jpeg_with_gps(640, 480)
    b = "----mbform"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
            "%s\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"IMG_0001.JPG\"\r\nContent-Type: image/jpeg\r\n\r\n" %
            (b, csrf, b)).encode() + src + ("\r\n--%s--\r\n" % b).encode()
    cl.csrf = None      # the token travels in the form only
    r = cl.post("/newsroom/media", raw=body, headers={
        "Content-Type": "multipart/form-data; boundary=" + b})
    eq(r.status, 201, "form upload: %r" % r)
    check("thumbnail" in r.text and "ni:///sha-256;" in r.text,
          "the renditions shown", r.text[:500])
    bad = body.replace(csrf.encode(), b"x" * len(csrf))
    r = cl.post("/newsroom/media", raw=bad, headers={
        "Content-Type": "multipart/form-data; boundary=" + b})
    eq(r.status, 403, "a wrong CSRF token")


def test_video(w):
    c, jo, _ = newsroom(w)
    src = video()
    check(SECRET.encode() in src, "input has the title")
    r = jo.post("/api/v1/media", raw=src)
    eq(r.status, 201, "video: %r" % r)
    j = r.json
    eq(j["type"], "video", "type")
    eq([x["name"] for x in j["renditions"]],
       ["original", "poster", "poster-webp"], "renditions")
    o = j["renditions"][0]
    eq((o["contentType"], o["videoCodec"], o["width"], o["height"]),
       ("video/mp4", "h264", 160, 120), "facts")
    check(0.9 < o["duration"] < 1.2, "duration", o)
    eq(j["renditions"][1]["width"], 160, "poster")
    g = jo.get(j["urls"][0], auth=False)
    eq(g.status, 200, "GET video")
    check(SECRET.encode() not in g.body, "metadata gone from the video")
    p = os.path.join(TMP, "back.mp4")
    with open(p, "wb") as f:
        f.write(g.body)
    pr = subprocess.run(["ffmpeg", "-v", "error", "-i", p, "-f", "null",
                         "-"], capture_output=True, text=True)
    eq(pr.returncode, 0, "the stripped video decodes: " + pr.stderr)


def test_large_ranges(w):
    """A player's "bytes=0-" on a large file gets a piece, not the file."""
    c = w.center("cairo")
    conf = os.path.join(c.dir, "mediabridge.conf")
    with open(conf) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text.replace("max_body = 8388608", "max_body = 33554432"))
    c.user_add("jou", "journalist")
    c.serve()
    jo = c.client(c.token_add("jou"))
    n = 8000 * 2 * 600          # ten minutes of 8 kHz mono: 9.6 MB
    wav = (b"RIFF" + struct.pack("<I", 36 + n) + b"WAVEfmt " +
           struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" +
           struct.pack("<I", n) + bytes(range(256)) * (n // 256))
    r = jo.post("/api/v1/media", raw=wav)
    eq(r.status, 201, "large WAV: %r" % r)
    o = r.json["renditions"][0]
    check(599 < o["duration"] < 601, "duration", o)
    size = o["sizeInBytes"]
    g = jo.get(r.json["urls"][0], headers={"Range": "bytes=0-"})
    eq(g.status, 206, "open range")
    eq(len(g.body), 8 * 1024 * 1024, "a piece")
    eq(g.headers["content-range"], "bytes 0-%d/%d" % (8 * 1024 * 1024 - 1,
                                                     size), "says so")
    g2 = jo.get(r.json["urls"][0], headers={"Range": "bytes=%d-" %
                                            (8 * 1024 * 1024)})
    eq(g2.status, 206, "the rest")
    eq(hashlib.sha256(g.body + g2.body).hexdigest(),
       r.json["urls"][0].rsplit("/", 1)[1], "pieces make the whole")


def test_gc(w):
    c, jo, _ = newsroom(w)
    ed = c
    ed.user_add("edi", "editor")
    edc = c.client(c.token_add("edi"))
    a = jo.post("/api/v1/media", raw=jpeg_with_gps(640, 480)).json
    b = jo.post("/api/v1/media", raw=jpeg_with_gps(800, 600)).json
    r = edc.post("/api/v1/items", {
        "type": "picture", "language": "en",
        "headlines": [{"value": "Kept"}],
        "renditions": a["renditions"][:2]})
    eq(r.status, 201, "item with renditions: %r" % r)
    before = len(blob_files(c))
    out = c.cli("gc")[1]
    check("removed 0 blobs" in out, "grace keeps new uploads", out)
    out = c.cli("gc", "--grace", "0", "--dry-run")[1]
    eq(len(blob_files(c)), before, "dry run")
    out = c.cli("gc", "--grace", "0")[1]
    left = {os.path.basename(p) for p in blob_files(c)}
    want = {u.rsplit("/", 1)[1] for u in a["urls"][:2]}
    eq(left, want, "only what the item refers to is kept (%s)" % out)
    eq(jo.get(a["urls"][0]).status, 200, "kept one served")
    eq(jo.get(b["urls"][0]).status, 404, "collected one gone")


def test_gc_keeps_every_rendition(w):
    """An item's every rendition is indexed, however many: the index used
    to keep the first 64, so gc removed the 11th picture's large ones
    while the item still showed them."""
    c, jo, _ = newsroom(w)
    c.user_add("edi", "editor")
    edc = c.client(c.token_add("edi"))
    rends, urls = [], []
    for i in range(11):
        up = jo.post("/api/v1/media", raw=jpeg_with_gps(1200 + i, 900))
        eq(up.status, 201, "upload %d: %r" % (i, up))
        rends += up.json["renditions"]
        urls += up.json["urls"]
    check(len(set(urls)) > 64, "more than 64 renditions (%d)" % len(urls))
    r = edc.post("/api/v1/items", {
        "type": "picture", "language": "en",
        "headlines": [{"value": "Eleven pictures"}], "renditions": rends})
    eq(r.status, 201, "item with %d renditions: %r" % (len(rends), r))
    out = c.cli("gc", "--grace", "0")[1]
    left = {os.path.basename(p) for p in blob_files(c)}
    gone = [u for u in urls if u.rsplit("/", 1)[1] not in left]
    eq(gone, [], "gc kept what the item refers to (%s)" % out)
    for u in urls:
        eq(jo.get(u).status, 200, "served " + u)


def peak_rss(pid):
    """The process's peak resident memory (VmHWM), in bytes."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM for %d" % pid)


def test_crosses_two_centers(w):
    """Cairo (HQ here) publishes a picture and a video; Manama gets the
    picture's renditions at once and the video when first asked for."""
    root = w.root
    env = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200",
               MB_MEDIA_EAGER_BYTES="1000")
    cairo = fedlib.Center(root, "cairo", "EG", "ar,en")
    cairo.start(env=env)
    manama = fedlib.Center(root, "manama", "BH", "ar,en", hq=cairo)
    manama.start(env=env)
    try:
        fedlib.admit(cairo, manama)
        fedlib.mb("user", "add", cairo.dir, "edi", "--role", "editor")
        tok = fedlib.mb("token", "add", cairo.dir, "edi").strip()
        from mbtest import Client
        cc = Client(cairo.addr)
        cc.token = tok
        pic = cc.post("/api/v1/media", raw=jpeg_with_gps(1000, 750)).json
        vid = cc.post("/api/v1/media", raw=video()).json
        r = cc.post("/api/v1/items", {
            "type": "picture", "language": "ar",
            "headlines": [{"value": "صورة من القاهرة"}],
            "renditions": pic["renditions"] + vid["renditions"]})
        eq(r.status, 201, "item: %r" % r)
        _, _, center, local = r.json["item"]["uri"].split(":")
        eq(cc.post("/api/v1/items/%s/%s/publish" % (center, local)).status,
           200, "publish")
        mc = Client(manama.addr)
        # The item arrives, and with it every picture rendition.
        for u in pic["urls"]:
            h = u.rsplit("/", 1)[1]
            path = os.path.join(manama.dir, "blobs", h[:2], h)
            wait_for(lambda: os.path.exists(path), 30,
                     "Manama to hold " + h[:12])
            g = mc.get(u)
            eq(g.status, 200, "Manama serves it")
            eq(hashlib.sha256(g.body).hexdigest(), h, "intact")
        # The video is not fetched eagerly...
        vh = vid["urls"][0].rsplit("/", 1)[1]
        time.sleep(1.0)
        check(not os.path.exists(os.path.join(manama.dir, "blobs", vh[:2],
                                              vh)), "video not eager")
        # ...but on the first request for it.
        g = mc.get(vid["urls"][0])
        eq(g.status, 200, "video on demand: %r" % g)
        eq(hashlib.sha256(g.body).hexdigest(), vh, "video intact")
        eq(mc.get(vid["urls"][0], headers={"Range": "bytes=0-9"}).status,
           206, "then served with ranges")
        exp = fedlib.mb("export", manama.dir)
        check(pic["renditions"][0]["href"] in exp, "renditions in the item")
        # Manama's page shows the picture from its own /media/.
        page = mc.get("/ar/items/%s/%s" % (center, local))
        eq(page.status, 200, "the item's page")
        check(any(u in page.text for u in pic["urls"]), "img from /media/",
              page.text[:2000])
        # Blobs of any size are streamed from the file: serving a 64 MiB
        # one whole and in a range raises Cairo's peak memory by far less
        # than the blob (it used to be read whole into memory, twice).
        big = os.urandom(1 << 20) * 64
        bh = hashlib.sha256(big).hexdigest()
        os.makedirs(os.path.join(cairo.dir, "blobs", bh[:2]), exist_ok=True)
        with open(os.path.join(cairo.dir, "blobs", bh[:2], bh), "wb") as f:
            f.write(big)
        before = peak_rss(cairo.worker_pid())
        url = cairo.url + "/federation/v1/blobs/" + bh
        for rng, want in ((None, big), ("bytes=1000-", big[1000:])):
            hdrs = dict(line.split(": ", 1) for line in fedlib.mb(
                "sync", manama.dir, "--sign-get", url).splitlines())
            if rng:
                hdrs["Range"] = rng
            st, body = fedlib.http_get(url, hdrs)
            eq(st, 206 if rng else 200, "big blob %s" % rng)
            check(body == want, "big blob %s intact" % rng)
        grew = peak_rss(cairo.worker_pid()) - before
        # A range past the end is a 416 that no cache may keep as the
        # blob: no ETag and no year-long caching on it (they used to be
        # set before the range was looked at).
        hdrs = dict(line.split(": ", 1) for line in fedlib.mb(
            "sync", manama.dir, "--sign-get", url).splitlines())
        hdrs["Range"] = "bytes=%d-" % (len(big) + 10)
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=hdrs),
                                   timeout=10)
            check(False, "a range past the end was answered")
        except urllib.error.HTTPError as e:
            eq(e.code, 416, "a range past the end")
            check(e.headers.get("ETag") is None and
                  "immutable" not in (e.headers.get("Cache-Control") or ""),
                  "416 with the blob's caching headers: %s" % e.headers)
        check(grew < len(big) // 2, "peak memory grew by %d bytes serving "
              "a %d-byte blob" % (grew, len(big)))
    except Exception:
        for c in (cairo, manama):
            with open(os.path.join(c.dir, "serve.log"), errors="replace") as f:
                sys.stderr.write("---- %s ----\n%s\n" % (c.id,
                                                       f.read()[-4000:]))
        raise
    finally:
        cairo.stop()
        manama.stop()


def test_fetched_served_as_allowed(w):
    """A fetched blob is served as an allowlisted type its bytes bear
    out, never as what a peer's item claims: Manama used to serve a PDF
    whose body is HTML as text/html because the item said so."""
    root = w.root
    env = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200")
    cairo = fedlib.Center(root, "cairo", "EG", "ar,en")
    cairo.start(env=env)
    manama = fedlib.Center(root, "manama", "BH", "ar,en", hq=cairo)
    manama.start(env=env)
    try:
        fedlib.admit(cairo, manama)
        fedlib.mb("user", "add", cairo.dir, "edi", "--role", "editor")
        tok = fedlib.mb("token", "add", cairo.dir, "edi").strip()
        from mbtest import Client
        cc = Client(cairo.addr)
        cc.token = tok
        claims = ("text/html", "image/svg+xml", "image/png",
                  "application/pdf")
        rends, urls = [], []
        for i, ct in enumerate(claims):
            pdf = (b"%%PDF-1.4\n<html><body><script>alert(%d)</script>"
                   b"</body></html>\n%%%%EOF\n" % i)
            up = cc.post("/api/v1/media", raw=pdf)
            eq(up.status, 201, "upload: %r" % up)
            eq(up.json["contentType"], "application/pdf", "sniffed")
            h = up.json["urls"][0].rsplit("/", 1)[1]
            b64 = base64.urlsafe_b64encode(bytes.fromhex(h)).decode()
            rends.append({"name": "r%d" % i, "contentType": ct,
                          "href": "ni:///sha-256;%s?ct=%s" %
                          (b64.rstrip("="), ct), "sizeInBytes": len(pdf)})
            urls.append(up.json["urls"][0])
        r = cc.post("/api/v1/items", {
            "type": "text", "language": "en", "headlines": [{"value": "x"}],
            "bodies": [{"value": "<p>x</p>"}], "renditions": rends})
        eq(r.status, 201, "item: %r" % r)
        _, _, center, local = r.json["item"]["uri"].split(":")
        eq(cc.post("/api/v1/items/%s/%s/publish" % (center, local)).status,
           200, "publish")
        mc = Client(manama.addr)
        for u, ct in zip(urls, claims):
            h = u.rsplit("/", 1)[1]
            path = os.path.join(manama.dir, "blobs", h[:2], h)
            wait_for(lambda: os.path.exists(path), 30,
                     "Manama to hold " + h[:12])
            g = mc.get(u)
            eq(g.status, 200, "Manama serves it")
            want = ("application/pdf" if ct == "application/pdf" else
                    "application/octet-stream")
            eq(g.headers.get("content-type"), want,
               "claimed %s: served as %s" % (ct, want))
            eq(g.headers.get("content-disposition"), "attachment",
               "claimed %s: a download" % ct)
    finally:
        cairo.stop()
        manama.stop()


class CountingOrigin:
    """Listens where a center was, counts the blob requests it gets, and
    closes each without an answer (a center that is down)."""

    def __init__(self, addr):
        import threading
        host, port = addr.rsplit(":", 1)
        self.blob_requests = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, int(port)))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                c.settimeout(2)
                if b"/federation/v1/blobs/" in c.recv(65536):
                    self.blob_requests += 1
            except OSError:
                pass
            c.close()

    def close(self):
        self.stop = True
        self.t.join()
        self.sock.close()


def video_at_branch(cairo, manama, headline):
    """Admits Manama, publishes a video item at Cairo and waits until it is
    in Manama's store; returns Cairo's answer for the uploaded video."""
    from mbtest import Client
    fedlib.admit(cairo, manama)
    fedlib.mb("user", "add", cairo.dir, "edi", "--role", "editor")
    cc = Client(cairo.addr)
    cc.token = fedlib.mb("token", "add", cairo.dir, "edi").strip()
    vid = cc.post("/api/v1/media", raw=video()).json
    r = cc.post("/api/v1/items", {
        "type": "video", "language": "ar",
        "headlines": [{"value": headline}],
        "renditions": vid["renditions"]})
    eq(r.status, 201, "item: %r" % r)
    _, _, center, local = r.json["item"]["uri"].split(":")
    eq(cc.post("/api/v1/items/%s/%s/publish" % (center, local)).status,
       200, "publish")
    href = vid["renditions"][0]["href"]
    wait_for(lambda: href in fedlib.mb("export", manama.dir), 30,
             "the item to reach Manama")
    return vid


def test_fresh_item_media_found(w):
    """A reader following a just-arrived item's video link before the media
    poller has looked at the item gets the video, not a 404: serve indexes
    what is new when it does not know a hash (CI saw the 404 under load)."""
    root = w.root
    cairo = fedlib.Center(root, "cairo3", "EG", "ar,en")
    cairo.start(env=dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200"))
    manama = fedlib.Center(root, "manama3", "BH", "ar,en", hq=cairo)
    # Manama's media poller runs once at start, then not for an hour.
    manama.start(env=dict(fedlib.ENV, MB_MEDIA_FETCH_MS="3600000",
                          MB_MEDIA_EAGER_BYTES="1000"))
    try:
        vid = video_at_branch(cairo, manama, "فيديو وصل للتو")
        from mbtest import Client
        vh = vid["urls"][0].rsplit("/", 1)[1]
        g = Client(manama.addr).get(vid["urls"][0])
        eq(g.status, 200, "the fresh item's video: %r" % g)
        eq(hashlib.sha256(g.body).hexdigest(), vh, "video intact")
        unknown = "/media/" + "0" * 64
        eq(Client(manama.addr).get(unknown).status, 404,
           "a hash no item names is still 404")
    finally:
        manama.stop()
        cairo.stop()


def test_origin_down_backs_off(w):
    """Readers asking Manama for a video whose origin is down: the first
    request tries Cairo, the next ones answer 503 at once without asking
    it again until the backoff says (issue 14: blob fetches back off as
    pulls do; it used to be one connection per reader's request)."""
    root = w.root
    env = dict(fedlib.ENV, MB_MEDIA_FETCH_MS="200",
               MB_MEDIA_EAGER_BYTES="1000")
    cairo = fedlib.Center(root, "cairo2", "EG", "ar,en")
    cairo.start(env=env)
    manama = fedlib.Center(root, "manama2", "BH", "ar,en", hq=cairo)
    manama.start(env=env)
    origin = None
    try:
        vid = video_at_branch(cairo, manama, "فيديو من القاهرة")
        from mbtest import Client
        cairo.stop()
        origin = CountingOrigin(cairo.addr)
        mc = Client(manama.addr)
        t0 = time.monotonic()
        answers = []
        while time.monotonic() - t0 < 5:
            answers.append(mc.get(vid["urls"][0]).status)
            time.sleep(0.2)
        eq(set(answers), {503}, "not here yet, every time: %r" % answers)
        # Up to 25 in 5 s; a loaded CI machine answers more slowly, and
        # eight are already far more than the tries allowed below.
        check(len(answers) >= 8, "%d requests" % len(answers))
        # 2 s, then 4 s: two or three tries in 5 s, not one per request.
        n = origin.blob_requests
        check(1 <= n <= 3, "%d blob requests to the down origin for %d "
              "readers' requests" % (n, len(answers)))
        with open(os.path.join(manama.dir, "serve.log")) as f:
            log = f.read()
        said = log.count("gave no answer, backing off")
        check(said == 1, "the origin's failure logged %d times" % said)
        check(log.count("on-demand fetch") <= n, "a log line per try at "
              "most")
    except Exception:
        for c in (cairo, manama):
            with open(os.path.join(c.dir, "serve.log"), errors="replace") as f:
                sys.stderr.write("---- %s ----\n%s\n" % (c.id,
                                                       f.read()[-4000:]))
        raise
    finally:
        if origin is not None:
            origin.close()
        cairo.stop()
        manama.stop()


if __name__ == "__main__":
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        print("skipped: %s not installed (scripts/deps.sh test)" %
              ", ".join(missing))
        sys.exit(77)
    try:
        main(globals())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
