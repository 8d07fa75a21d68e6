#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes N ninjs items as NDJSON for the benchmarks: real news text from
../shared/corpus (NTREX-128, 9 languages) when it is there, generated text
otherwise. Items are about 3.4 KB, like the anchors in ANCHORS.md.

usage: gen_items.py N OUT [--with-uri CENTER]"""
import json
import os
import random
import sys

LANGS = {"arb_Arab": "ar", "eng_Latn": "en", "fra_Latn": "fr",
         "spa_Latn": "es", "por_Latn": "pt", "rus_Cyrl": "ru",
         "swa_Latn": "sw", "hin_Deva": "hi", "zho_Hans": "zh"}


def corpus_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.environ.get("MB_CORPUS"),
              os.path.join(here, "..", "..", "shared", "corpus"),
              os.path.join(here, "..", "shared", "corpus")):
        if d and os.path.isdir(d):
            return d
    return None


def load_sentences():
    d = corpus_dir()
    out = {}
    if d:
        for stem, lang in LANGS.items():
            p = os.path.join(d, f"ntrex128.{stem}.txt")
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    out[lang] = [s.strip() for s in f if s.strip()]
    if out:
        return out, "corpus"
    rng = random.Random(1)
    words = ["media", "center", "news", "exchange", "network", "report",
             "conference", "minister", "press", "training", "journalist",
             "region", "election", "economy", "health", "culture", "youth"]
    return {"en": [" ".join(rng.choice(words) for _ in range(18)).capitalize()
                   + "." for _ in range(1000)]}, "generated"


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    sents, source = load_sentences()
    langs = sorted(sents)
    rng = random.Random(42)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            lang = langs[i % len(langs)]
            s = sents[lang]
            j = rng.randrange(len(s))
            body = []
            size = 0
            k = j
            while size < 3000:
                k = (k + 1) % len(s)
                body.append(s[k])
                size += len(s[k].encode())
            item = {"type": "text", "language": lang, "slugline": f"bench-{i}",
                    "headlines": [{"value": s[j][:200]}],
                    "bodies": [{"value": "<p>" + "</p><p>".join(body) +
                                "</p>"}],
                    "subjects": [{"uri": "http://cv.iptc.org/newscodes/"
                                  "mediatopic/11000000", "name": "politics"}]}
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{n} items from {source} text", file=sys.stderr)


if __name__ == "__main__":
    main()
