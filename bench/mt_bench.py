# SPDX-License-Identifier: MIT
"""bench/mt: mediabridge's translations of NTREX-128 (en->es, fr->es) beside
the same Apertium APy called directly on the same lines, in the same run:
chrF against the reference, words per second both ways, and the time to
translate an item of 600 words. Python 3 standard library only (no PyPI:
chrF is computed here, as sacrebleu computes it).

usage: mt_bench.py --mediabridge BIN --apy URL --corpus DIR [--lines N]
"""

import argparse
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter

# ---- chrF -------------------------------------------------------------------
#
# sacrebleu's CHRF with its defaults (char_order=6, word_order=0, beta=2,
# whitespace not counted): for each n in 1..6 the character n-grams of
# hypothesis and reference (white space removed) are counted, and the
# counts [hyp, ref, matched] are summed over the whole corpus; precision
# and recall are averaged over the orders that have n-grams on both sides;
# the score is 100 * (1 + b^2) P R / (b^2 P + R).


def ngram_stats(hyp, ref, order=6):
    hyp = "".join(hyp.split())
    ref = "".join(ref.split())
    stats = []
    for n in range(1, order + 1):
        h = Counter(hyp[i:i + n] for i in range(len(hyp) - n + 1))
        r = Counter(ref[i:i + n] for i in range(len(ref) - n + 1))
        stats += [sum(h.values()), sum(r.values()), sum((h & r).values())]
    return stats


def chrf_from_stats(stats, order=6, beta=2.0):
    prec = rec = 0.0
    eff = 0
    for i in range(order):
        n_hyp, n_ref, n_match = stats[3 * i:3 * i + 3]
        if n_hyp > 0 and n_ref > 0:
            prec += n_match / n_hyp
            rec += n_match / n_ref
            eff += 1
    if eff == 0:
        return 0.0
    prec /= eff
    rec /= eff
    if prec + rec == 0:
        return 0.0
    b2 = beta * beta
    return 100.0 * (1 + b2) * prec * rec / (b2 * prec + rec)


def chrf(hyps, refs):
    total = [0] * 18
    for h, r in zip(hyps, refs, strict=True):
        for i, v in enumerate(ngram_stats(h, r)):
            total[i] += v
    return chrf_from_stats(total)


def chrf_selfcheck():
    """Against an example computed by hand, so the bench cannot drift.

    hyp "ab", ref "abc": 1-grams hyp {a,b} ref {a,b,c}: 2 matched, P 2/2,
    R 2/3; 2-grams hyp {ab} ref {ab,bc}: P 1/1, R 1/2; 3-grams: hyp has
    none, so orders 3..6 do not count. P = 1, R = (2/3 + 1/2) / 2 = 7/12;
    chrF2 = 100 * 5 * 7/12 / (4 + 7/12) = 100 * 35/55 = 63.6363...
    """
    got = chrf(["ab"], ["abc"])
    assert abs(got - 100 * 7 / 11) < 1e-9, got
    # White space does not count; a perfect match is 100.
    assert chrf(["a b c"], ["abc"]) == 100.0
    # Corpus level: statistics are summed before the score, not averaged.
    two = chrf(["ab", "xyz"], ["abc", "xyz"])
    s = [a + b for a, b in zip(ngram_stats("ab", "abc"),
                               ngram_stats("xyz", "xyz"))]
    assert two == chrf_from_stats(s)
    # hyp "ab", ref "abc" plus "xyz" twice: P 1; R per order: 5/6, 3/4,
    # 1/2 (order 3: hyp n-grams only from "xyz"): R = (5/6+3/4+1/2)/3 =
    # 25/36; F = 5 * 25/36 / (4 + 25/36) = 125/169.
    assert abs(two - 100 * 125 / 169) < 1e-9, two


# ---- the engines ---------------------------------------------------------------


def apy_direct(url, pair, text, fmt="txt"):
    data = urllib.parse.urlencode({"langpair": pair, "q": text,
                                   "markUnknown": "no",
                                   "format": fmt}).encode()
    with urllib.request.urlopen(url + "/translate", data, timeout=600) as r:
        return json.load(r)["responseData"]["translatedText"]


def mb_translate(binary, center, frm, to, text, extra=()):
    t0 = time.monotonic()
    p = subprocess.run([binary, "translate-text", center, "--from", frm,
                        "--to", to] + list(extra), input=text,
                       capture_output=True, text=True)
    took = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("mediabridge translate-text failed: " + p.stderr)
    return p.stdout, took


def as_document(lines):
    return "".join("<p>%s</p>\n" % html.escape(l, quote=False)
                   for l in lines)


def from_document(doc, n):
    parts = re.findall(r"<p>(.*?)</p>", doc, re.S)
    if len(parts) != n:
        sys.exit("mediabridge gave %d paragraphs for %d" % (len(parts), n))
    return [html.unescape(p) for p in parts]


def words(lines):
    return sum(len(l.split()) for l in lines)


def article(lines, want=600):
    """An item of at least want words: a headline, paragraphs of three
    sentences, links and emphasis, as a newsroom writes them."""
    esc = [html.escape(s, quote=False) for s in lines]
    body, n, i = [], 0, 1
    while n < want:
        para = esc[i:i + 3]
        n += words(lines[i:i + 3])
        i += 3
        if len(body) % 2 == 0:
            w = para[0].split(" ", 3)
            if len(w) == 4:
                para[0] = "%s <a href=\"https://example.org/%d\">%s %s</a>" \
                    " %s" % (w[0], len(body), w[1], w[2], w[3])
        else:
            para[0] = "<strong>%s</strong>" % para[0]
        body.append("<p>%s</p>" % " ".join(para))
    return ("<h1>%s</h1>\n" % esc[0] + "\n".join(body) + "\n",
            n + words(lines[:1]))


def read_lines(corpus, name, n):
    with open(os.path.join(corpus, name), encoding="utf-8") as f:
        return [next(f).rstrip("\n") for _ in range(n)]


def run_pair(a, center, frm, to, apy_pair, src_file, n):
    src = read_lines(a.corpus, src_file, n)
    ref = read_lines(a.corpus, "ntrex128.spa_Latn.txt", n)
    w = words(src)
    # Warm both paths (APy starts a pipeline per pair on first use).
    apy_direct(a.apy, apy_pair, src[0])
    mb_translate(a.mediabridge, center, frm, to, as_document(src[:2]))

    t0 = time.monotonic()
    direct = [apy_direct(a.apy, apy_pair, l) for l in src]
    t_line = time.monotonic() - t0

    # The direct engine at its best: the same lines as one HTML document
    # in requests of the same size mediabridge sends (max_chars). It and
    # mediabridge run in turn, a.runs times each, and the medians count:
    # on a shared machine one run of either can take half as long again.
    doc = as_document(src)
    chunks, cur = [], ""
    for l in src:
        p = "<p>%s</p>\n" % html.escape(l, quote=False)
        if cur and len(cur) + len(p) > a.max_chars:
            chunks.append(cur)
            cur = ""
        cur += p
    chunks.append(cur)
    t_docs, t_mbs = [], []
    for _ in range(a.runs):
        t0 = time.monotonic()
        direct_doc = "".join(apy_direct(a.apy, apy_pair, c, "html")
                             for c in chunks)
        t_docs.append(time.monotonic() - t0)
        out, took = mb_translate(a.mediabridge, center, frm, to, doc)
        t_mbs.append(took)
    t_doc = statistics.median(t_docs)
    t_mb = statistics.median(t_mbs)
    direct_doc_lines = [html.unescape(p) for p in
                        re.findall(r"<p>(.*?)</p>", direct_doc, re.S)]
    mine = from_document(out, n)
    r = {
        "pair": "%s→%s" % (frm, to), "words": w,
        "chrf_mb": chrf(mine, ref), "chrf_direct": chrf(direct, ref),
        "chrf_direct_doc": chrf(direct_doc_lines, ref)
        if len(direct_doc_lines) == n else float("nan"),
        "wps_mb": w / t_mb, "wps_line": w / t_line, "wps_doc": w / t_doc,
        "same": sum(1 for x, y in zip(mine, direct)
                    if x.strip() == y.strip()),
        "t_docs": t_docs, "t_mbs": t_mbs,
    }
    r["chrf_ratio"] = r["chrf_mb"] / r["chrf_direct"]
    r["wps_ratio"] = r["wps_mb"] / max(r["wps_line"], r["wps_doc"])
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mediabridge", required=True)
    ap.add_argument("--apy", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--lines", type=int, default=500)
    ap.add_argument("--max-chars", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    chrf_selfcheck()

    work = tempfile.mkdtemp(prefix="mb-bench-mt-")
    try:
        run(a, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(a, work):
    center = os.path.join(work, "c")
    subprocess.run([a.mediabridge, "init", center, "--id", "bench",
                    "--name", "Bench", "--country", "EG", "--languages",
                    "en,es", "--hq"], check=True, capture_output=True)
    subprocess.run([a.mediabridge, "engine", "add", center, "--name", "apy",
                    "--kind", "apertium-apy", "--url", a.apy,
                    "--max-chars", str(a.max_chars)], check=True,
                   capture_output=True)

    print("mt: NTREX-128, first %d lines; Debian's Apertium APy on "
          "127.0.0.1, called directly and through mediabridge in the same "
          "run; chrF (n=6, beta=2, as sacrebleu) against the Spanish "
          "reference" % a.lines)
    rs = [run_pair(a, center, "en", "es", "eng|spa",
                   "ntrex128.eng_Latn.txt", a.lines),
          run_pair(a, center, "fr", "es", "fra|spa",
                   "ntrex128.fra_Latn.txt", a.lines)]
    for r in rs:
        print("%s: chrF mediabridge %.2f, direct per line %.2f (as one "
              "document %.2f); %d of %d lines the same as direct" %
              (r["pair"], r["chrf_mb"], r["chrf_direct"],
               r["chrf_direct_doc"], r["same"], a.lines))
        print("%s: words/s mediabridge %.0f, direct per line %.0f, direct "
              "as documents of %d bytes %.0f (%d words; medians of %d, "
              "in turn: direct %s s, mediabridge %s s)" %
              (r["pair"], r["wps_mb"], r["wps_line"], a.max_chars,
               r["wps_doc"], r["words"], a.runs,
               "/".join("%.1f" % t for t in r["t_docs"]),
               "/".join("%.1f" % t for t in r["t_mbs"])))

    src = read_lines(a.corpus, "ntrex128.eng_Latn.txt", 200)
    item, nw = article(src[100:])
    times, walls = [], []
    for _ in range(3):
        out, took = mb_translate(a.mediabridge, center, "en", "es", item,
                                 ["--json"])
        times.append(json.loads(out)["ms"] / 1000.0)
        walls.append(took)
    med = statistics.median(times)
    t0 = time.monotonic()
    apy_direct(a.apy, "eng|spa", item, "html")
    t_direct = time.monotonic() - t0
    print("item of %d words (%d bytes of HTML, links and emphasis) en→es: "
          "%.2f s median of 3 in mediabridge (%s), %.2f s with the "
          "command's start; the same HTML to APy directly %.2f s" %
          (nw, len(item.encode()), med, ", ".join("%.2f" % t for t in times),
           statistics.median(walls), t_direct))
    print("chrF ratio (mediabridge / direct): %s (target >= 0.99)" %
          ", ".join("%s %.3f" % (r["pair"], r["chrf_ratio"]) for r in rs))
    print("throughput ratio (mediabridge / best direct): %s (target >= "
          "0.80)" % ", ".join("%s %.2fx" % (r["pair"], r["wps_ratio"])
                              for r in rs))
    print("mt ratio: chrF %s of direct APy, words/s %s, 600-word item %.2f s"
          " (targets >= 0.99, >= 0.80, < 2 s)" %
          ("/".join("%.3f" % r["chrf_ratio"] for r in rs),
           "/".join("%.2fx" % r["wps_ratio"] for r in rs), med))


if __name__ == "__main__":
    main()
