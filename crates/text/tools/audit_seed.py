# -*- coding: utf-8 -*-
"""Contamination audit of the seed material (种子素材查重).

Every string block of seed_lexicon.py, seed_extra.py, seed_more.py and
seed_local.py is
compared with every text of a labelled evaluation file by character-bigram
containment (share of the block's bigrams found in the text). Blocks at or
above the threshold are printed, most similar first: they must be rewritten
or removed, because the seed set must never copy or paraphrase evaluation
texts.

    python3 crates/text/tools/audit_seed.py ../shared/data/appeals-dev.jsonl [0.6]
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed_lexicon  # noqa: E402
import seed_extra  # noqa: E402
import seed_more  # noqa: E402
import seed_local  # noqa: E402


def strings(mods):
    out = []

    def walk(o, where):
        if isinstance(o, str):
            if len(o) >= 8:
                out.append((where, o))
        elif isinstance(o, dict):
            for k, v in o.items():
                walk(v, f"{where}.{k}")
        elif isinstance(o, (list, tuple)):
            for v in o:
                walk(v, where)

    for m in mods:
        for name in dir(m):
            if not name.startswith("_"):
                walk(getattr(m, name), m.__name__ + "." + name)
    return out


def bigrams(s):
    s = re.sub(r"[^\u4e00-\u9fff0-9a-z]", "", s.lower())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def main():
    path = sys.argv[1]
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.6
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    tb = [bigrams(t) for t in texts]
    hits = []
    seen = set()
    for where, s in strings([seed_lexicon, seed_extra, seed_more, seed_local]):
        if s in seen:
            continue
        seen.add(s)
        b = bigrams(s)
        if len(b) < 6:
            continue
        best = max(range(len(texts)), key=lambda i: len(b & tb[i]))
        c = len(b & tb[best]) / len(b)
        if c >= threshold:
            hits.append((c, where, s, texts[best][:60]))
    for c, where, s, t in sorted(hits, reverse=True):
        print(f"{c:.2f}\t{where}\t{s}\t|| {t}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
