#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/perf_stages.py N HZ: reads `perf script -F comm,tid,ip,sym,dso` of a
run that handled N items, sampled at HZ with --call-graph dwarf, and prints
the CPU microseconds per item by stage (the innermost marked frame of each
sample decides; FTS5 code called back from the tokenizer counts as FTS
insert). Used for the profile in docs/benchmarks.md, "## searchable"."""
import sys, collections
N = int(sys.argv[1]); HZ = float(sys.argv[2])
# (stage, function-name prefixes), checked from the innermost frame out.
MARK = [
    ("stem (Snowball)", ("sb_stemmer_stem",)),
    ("tokenize (mb tokenizer)", ("tok_tokenize", "mb_text_tokens_new", "pretokenize", "replay")),
    ("text of the envelope (HTML to text)", ("mb_ingest_text", "mb_text_from_html")),
    ("parse (envelope JSON)", ("mb_envelope_parse", "mb_json_loadb", "json_loadb", "prepare_item", "mb_item_parse")),
    ("verify (Ed25519)", ("mb_sig_verify",)),
    ("sign (JCS, Ed25519)", ("mb_envelope_sign_dump", "mb_key_sign_as", "mb_jcs_dump")),
    ("commit (WAL write, checkpoint, FTS5 segment flush)", ("mb_sqlite_commit",)),
    ("FTS insert (FTS5 + its content copy)", ("index_item",)),
    ("topics (item_topics)", ("mb_sqlite_search_put",)),
    ("store insert (versions, items, log)", ("mb_sqlite_put", "put_locked", "mb_sqlite_index_next")),
    ("HTTP, zstd, batch", ("pl_pull_once", "curl_", "ZSTD_", "mb_sync_batch")),
]
cnt = collections.Counter(); total = 0
stack = []
def flush():
    global total
    if not stack: return
    total += 1
    if stack and stack[0][1].startswith("libsqlite3") and any(
            f[0].startswith(("tok_tokenize", "replay")) for f in stack):
        cnt["FTS insert (FTS5 + its content copy)"] += 1; return
    if stack and stack[0][1].startswith("libstemmer"):
        cnt["stem (Snowball)"] += 1; return
    for fr, _ in stack:  # innermost first
        for st, pre in MARK:
            if fr.startswith(pre):
                cnt[st] += 1; return
    cnt["other (process start, I/O, reading the input)"] += 1
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush(); stack = []; continue
    if line[0] not in " \t":
        flush(); stack = []; continue
    parts = line.split()
    if len(parts) >= 2:
        dso = parts[-1].strip("()").rsplit("/", 1)[-1]
        stack.append((parts[1].split("+")[0], dso))
flush()
print("| stage | share | us/item |")
print("|---|---|---|")
for st, c in cnt.most_common():
    print("| %s | %.1f %% | %.0f |" % (st, 100.0 * c / total, c / HZ / N * 1e6))
print("| **total CPU** | 100 %% | **%.0f** |" % (total / HZ / N * 1e6))
