"""A mixed corpus for the Spark-against-embedded benchmark (not a test).

    python python/bench/mixed_corpus.py OUT --docs 100000 [--copies 0.1] [--files 20]

Writes OUT/part-NNN.jsonl: the test corpus generator's originals and copies of every kind
(python/tests/corpus.py) for `--copies` of the documents, and distinct articles for the rest
(prose from the seeds' vocabulary, 8-14 paragraphs, 40 outlets, dates over a year), shuffled
and spread over `--files` files so Spark reads them in parallel.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
import corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--copies", type=float, default=0.1)
    ap.add_argument("--files", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(17)
    with tempfile.TemporaryDirectory() as d:
        corpus.build(Path(d), docs=max(300, int(args.docs * args.copies)))
        lines = (Path(d) / "a" / "feed.jsonl").read_text().splitlines()
    seeds = [corpus.paragraphs_of(p) for p in sorted(corpus.SEEDS.glob("*.txt"))]
    words = [w.strip(".,;:“”\"'’()").lower() for s in seeds for p in s for w in p.split()]
    words = [w for w in words if w.isalpha() and len(w) > 2]
    while len(lines) < args.docs:
        i = len(lines)
        paras = corpus.prose(rng, words, rng.randint(8, 14))
        lines.append(json.dumps({
            "url": f"https://outlet{i % 40}.example/{i}",
            "title": " ".join(paras[0].split()[:8]),
            "outlet": f"outlet{i % 40}.example",
            "published": f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "text": "\n\n".join(paras),
        }))
    rng.shuffle(lines)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    per = -(-len(lines) // args.files)
    for f in range(args.files):
        chunk = lines[f * per:(f + 1) * per]
        if chunk:
            (out / f"part-{f:03d}.jsonl").write_text("\n".join(chunk) + "\n")
    mb = sum(len(x) for x in lines) / 1e6
    print(f"{len(lines)} documents ({mb:.0f} MB) in {args.files} files -> {out}")


if __name__ == "__main__":
    main()
