# -*- coding: utf-8 -*-
"""Contamination audit of the seed material (种子素材查重).

Every string block of seed_lexicon.py, seed_extra.py, seed_more.py and
seed_local.py, and every string literal written directly in gen_seed.py's
frames, is compared with every text of a labelled evaluation file by
character-bigram containment (share of the block's bigrams found in the
text). Blocks at or above the threshold are printed, most similar first: they
must be rewritten or removed, because the seed set must never copy or
paraphrase evaluation texts.

The cue phrases of the Rust lexicons (emergency, sentiment) are short, so
containment says little about them; instead, a cue of four or more
characters that occurs in exactly one evaluation text is listed for a person
to look at (a phrase lifted from one appeal is usually that specific). This
list does not fail the audit: general phrases can be rare too.

    python3 crates/text/tools/audit_seed.py ../shared/data/appeals-dev.jsonl [0.6]
"""
import ast
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


HERE = os.path.dirname(os.path.abspath(__file__))

# Formulae that any letter or call opens with, reviewed by a person: they
# match evaluation texts because everybody writes them, not because they
# were copied.
FORMULAE = {"尊敬的局长：您好！我是"}


def literal_strings(path):
    """String constants written in a Python file (read, not run)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    name = os.path.basename(path)
    return [
        (f"{name}:{node.lineno}", node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 8
    ]


def rust_cues(path):
    """The Chinese string literals of a Rust lexicon file (its cue phrases)."""
    text = open(path, encoding="utf-8").read()
    name = os.path.basename(path)
    return [(name, m.group(1)) for m in re.finditer(r'"([\u4e00-\u9fff]+)"', text)]


def rare_cues(texts):
    """Cues of 4+ characters found in exactly one text: (cue, file, text)."""
    src = os.path.join(HERE, "..", "src")
    out = []
    for f in ("emergency.rs", "sentiment.rs"):
        for where, cue in rust_cues(os.path.join(src, f)):
            if len(cue) < 4:
                continue
            found = [t for t in texts if cue in t]
            if len(found) == 1:
                out.append((cue, where, found[0][:60]))
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
    blocks = strings([seed_lexicon, seed_extra, seed_more, seed_local])
    blocks += literal_strings(os.path.join(HERE, "gen_seed.py"))
    for where, s in blocks:
        if s in seen or s in FORMULAE:
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
    for cue, where, t in rare_cues(texts):
        print(f"review\t{where}\t{cue}\t|| {t}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
