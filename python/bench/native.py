"""Rows per second of the Python extension on one Arrow batch (not a test: prints figures).

    python python/bench/native.py [--docs 2000] [--rounds 3] [--threads 1]

The batch is the JSON Lines records of the test corpus generator (python/tests/corpus.py:
the seeds' prose, synthetic articles and copies of them, ~2 KB each), one record per row.
Times `process` (the per-document pipeline), `key_rows` and `link_components` (one
component holding every document: the worst case for the corpus step).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
import corpus  # noqa: E402

from presswatch_spark import _native  # noqa: E402


def best(rounds: int, f):
    times, out = [], None
    for _ in range(rounds):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        corpus.build(Path(d), docs=args.docs)
        lines = (Path(d) / "a" / "feed.jsonl").read_bytes().splitlines()
    batch = pa.RecordBatch.from_pydict(
        {
            "source": [f"feed.jsonl#{i + 1}" for i in range(len(lines))],
            "format": ["json"] * len(lines),
            "content": lines,
        },
        schema=pa.schema([("source", pa.string()), ("format", pa.string()), ("content", pa.binary())]),
    )
    mb = sum(len(x) for x in lines) / 1e6
    secs, (articles, rejected) = best(args.rounds, lambda: _native.process(batch, args.threads))
    n = articles.num_rows
    print(f"process: {len(lines)} records ({mb:.1f} MB) -> {n} articles, {len(rejected)} rejected: "
          f"{secs:.2f} s, {len(lines) / secs:,.0f} rows/s on {args.threads} thread(s)")
    secs, keys = best(args.rounds, lambda: _native.key_rows(articles))
    print(f"key_rows: {keys.num_rows} keys of {n} articles: {secs:.2f} s, {n / secs:,.0f} rows/s")
    comp = articles.append_column("component", pa.array([0] * n, pa.int64()))
    comp = comp.append_column("seen", pa.array(range(n), pa.int64()))
    comp = comp.append_column("saturated", pa.array([[]] * n, pa.list_(pa.int64())))
    secs, linked = best(args.rounds, lambda: _native.link_components(comp))
    linked_docs = sum(1 for d in linked.column("derived_from").to_pylist() if d)
    print(f"link_components: {n} articles in one component, {linked_docs} with sources: "
          f"{secs:.2f} s, {n / secs:,.0f} rows/s")


if __name__ == "__main__":
    main()
