#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the items of an NDJSON file (from gen_items.py) as Netnews
articles (RFC 5536) for INN, one file per article, so that INN and
mediabridge are fed the same N articles with the same text.

Each article carries the item's headline as Subject (UTF-8), its
language as the newsgroup mb.bench.<lang>, its slugline as Keywords and
its body HTML as a text/html body, one paragraph a line. Also writes OUT/batch: "PATH <message-id>" lines, the batch format of
innxmit(8), and OUT/groups: the newsgroups used, one a line.

usage: nntp_articles.py ITEMS.ndjson OUTDIR"""
import email.utils
import json
import os
import sys
import time


def header_text(s):
    # Raw UTF-8, as RFC 5536 section 2.2 and NNTP (RFC 3977) allow and INN
    # stores unchanged: the same bytes as the item's headline, no
    # RFC 2047 inflation. One line: the headline has no line breaks.
    return " ".join(s.split())


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    run = "%x" % int(time.time())
    date = email.utils.formatdate(localtime=False, usegmt=True)
    groups = set()
    n = 0
    total = 0
    with open(src, encoding="utf-8") as f, \
            open(os.path.join(out, "batch"), "w") as batch:
        for line in f:
            if not line.strip():
                continue
            item = json.loads(line)
            n += 1
            lang = item.get("language", "en").split("-")[0].lower()
            group = "mb.bench." + lang
            groups.add(group)
            msgid = "<%s.%d.%s@bench.mediabridge.invalid>" % (
                item.get("slugline", "item"), n, run)
            body = item["bodies"][0]["value"]
            # Native (LF) format, as INN's tradspool stores it; innxmit
            # turns it into wire format (CRLF, dot-stuffed) when sending.
            # One paragraph a line keeps lines under RFC 5322's 998 octets.
            lines = body.replace("\r\n", "\n").replace(
                "</p><p>", "</p>\n<p>").split("\n")
            art = ("Path: mediabridge-bench!not-for-mail\n"
                   "From: Bench Center <bench@bench.mediabridge.invalid>\n"
                   "Newsgroups: %s\n"
                   "Subject: %s\n"
                   "Date: %s\n"
                   "Message-ID: %s\n"
                   "Keywords: %s\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: text/html; charset=utf-8\n"
                   "Content-Transfer-Encoding: 8bit\n"
                   "\n%s\n") % (group,
                                header_text(item["headlines"][0]["value"]),
                                date, msgid,
                                header_text(item.get("slugline", "")),
                                "\n".join(lines))
            data = art.encode("utf-8")
            total += len(data)
            path = os.path.join(out, "%d" % n)
            with open(path, "wb") as a:
                a.write(data)
            batch.write("%s %s\n" % (path, msgid))
    with open(os.path.join(out, "groups"), "w") as g:
        g.write("".join(x + "\n" for x in sorted(groups)))
    print("%d articles, %d bytes each on average" % (n, total // max(n, 1)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
