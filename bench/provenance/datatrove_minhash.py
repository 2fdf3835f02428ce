#!/usr/bin/env python3
"""Run datatrove's 4-stage MinHash deduplication on one core and print throughput.

Baseline for presswatch's near-duplicate / provenance stage. Input: a JSON Lines
file whose lines are {"id": "...", "text": "..."}.

Stages (as in datatrove's examples/minhash_deduplication.py, run with
LocalPipelineExecutor, workers=1, one after the other):
  1 signatures  JsonlReader -> MinhashDedupSignature            tasks=1
  2 buckets     MinhashDedupBuckets                             tasks=num_buckets (14)
  3 clustering  MinhashDedupCluster                             tasks=1
  4 filtering   JsonlReader -> MinhashDedupFilter(+exclusion JsonlWriter) -> JsonlWriter   tasks=1

Config: MinhashConfig defaults = 5-gram word shingles, 14 buckets x 8 hashes = 112
hashes, 64-bit xxhash, default TextNormConfig; language English, whose word
tokenizer is spaCy's blank "en" tokenizer (rule-based, ships with the spacy wheel,
needs no download). Stage 2 must have tasks == num_buckets (datatrove asserts
world_size % num_buckets == 0); with workers=1 they run sequentially in this process.
The example's TokensCounter step is left out of stage 4: it downloads a GPT-2
tokenizer from the Hugging Face Hub, which is not reachable here.

Usage (pin to one core):
  taskset -c 0 .venv/bin/python datatrove_minhash.py INPUT.jsonl [--workdir DIR] [--limit N]
"""

import os

# Nothing here may touch the network; make the HF hub client fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402


def maxrss_mib(who: int) -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(who).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process and its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def count_jsonl_gz(folder: Path) -> int:
    n = 0
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rb") as f:
            n += sum(1 for _ in f)
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="JSON Lines file of {id, text}")
    ap.add_argument("--workdir", help="where signatures, buckets, outputs and logs go (wiped first; default: a temp dir)")
    ap.add_argument("--limit", type=int, default=-1, help="read only the first N documents")
    ap.add_argument("--keep", action="store_true", help="keep the temp workdir")
    ap.add_argument("--json", action="store_true", help="also print one JSON line with all figures")
    args = ap.parse_args()

    affinity = sorted(os.sched_getaffinity(0))
    if len(affinity) != 1:
        print(
            f"warning: process may run on CPUs {affinity}; run it under `taskset -c 0` for a one-core figure",
            file=sys.stderr,
        )

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.typeshelper import Languages

    input_path = Path(args.input).resolve()
    if not input_path.is_file():
        print(f"no such file: {input_path}", file=sys.stderr)
        return 2

    temp = args.workdir is None
    work = Path(args.workdir or tempfile.mkdtemp(prefix="datatrove_minhash_")).resolve()
    # Stale outputs would be reused (skip_completed / existing sig files): start clean.
    for sub in ("signatures", "buckets", "remove_ids", "removed", "deduplicated", "logs"):
        shutil.rmtree(work / sub, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)

    config = MinhashConfig(
        n_grams=5,
        num_buckets=14,
        hashes_per_bucket=8,
        hash_config=HashConfig(precision=64, hash_fc="xxhash"),
    )

    def reader():
        # Same reader (same file, same limit, tasks=1) in stages 1 and 4: doc indices must line up.
        return JsonlReader(
            str(input_path.parent),
            glob_pattern=input_path.name,
            recursive=False,
            text_key="text",
            id_key="id",
            limit=args.limit,
        )

    stages = [
        (
            "signatures",
            LocalPipelineExecutor(
                pipeline=[
                    reader(),
                    MinhashDedupSignature(
                        output_folder=str(work / "signatures"), config=config, language=Languages.english
                    ),
                ],
                tasks=1,
                workers=1,
                logging_dir=str(work / "logs/signatures"),
                skip_completed=False,
            ),
        ),
        (
            "buckets",
            LocalPipelineExecutor(
                pipeline=[
                    MinhashDedupBuckets(
                        input_folder=str(work / "signatures"),
                        output_folder=str(work / "buckets"),
                        config=config,
                    ),
                ],
                tasks=config.num_buckets,
                workers=1,
                logging_dir=str(work / "logs/buckets"),
                skip_completed=False,
            ),
        ),
        (
            "clustering",
            LocalPipelineExecutor(
                pipeline=[
                    MinhashDedupCluster(
                        input_folder=str(work / "buckets"),
                        output_folder=str(work / "remove_ids"),
                        config=config,
                    ),
                ],
                tasks=1,
                workers=1,
                logging_dir=str(work / "logs/clustering"),
                skip_completed=False,
            ),
        ),
        (
            "filtering",
            LocalPipelineExecutor(
                pipeline=[
                    reader(),
                    MinhashDedupFilter(
                        input_folder=str(work / "remove_ids"),
                        exclusion_writer=JsonlWriter(str(work / "removed")),
                    ),
                    JsonlWriter(output_folder=str(work / "deduplicated")),
                ],
                tasks=1,
                workers=1,
                logging_dir=str(work / "logs/filtering"),
                skip_completed=False,
            ),
        ),
    ]

    # Wall time is the headline; CPU time is also kept because the core may be shared
    # with other processes (then wall > CPU and docs per CPU-second is the fairer figure).
    timings = {}
    cpu = {}
    t_all = time.perf_counter()
    c_all = cpu_seconds()
    for name, executor in stages:
        t0 = time.perf_counter()
        c0 = cpu_seconds()
        executor.run()
        timings[name] = time.perf_counter() - t0
        cpu[name] = cpu_seconds() - c0
    total = time.perf_counter() - t_all
    total_cpu = cpu_seconds() - c_all

    # Documents with shingles get a signature; count them from bucket 0's record size.
    sig_bytes = struct.calcsize(f"<{config.hashes_per_bucket}{config.hash_config.struct_format}I")
    signed = (work / "signatures/bucket_000/00000.minhash.sig").stat().st_size // sig_bytes
    remove_file = work / "remove_ids/000000.remove"
    to_remove = remove_file.stat().st_size // 4 if remove_file.exists() else 0
    removed = count_jsonl_gz(work / "removed")
    kept = count_jsonl_gz(work / "deduplicated")
    documents = removed + kept

    rss_self = maxrss_mib(resource.RUSAGE_SELF)
    rss_children = maxrss_mib(resource.RUSAGE_CHILDREN)
    result = {
        "datatrove": version("datatrove"),
        "input": str(input_path),
        "cpus": affinity,
        "config": str(config),
        "documents": documents,
        "signed_documents": signed,
        "removed_duplicates": removed,
        "remove_ids": to_remove,
        "kept": kept,
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "total_seconds": round(total, 3),
        "docs_per_s": round(documents / total, 1) if total > 0 else None,
        "cpu_seconds": {k: round(v, 3) for k, v in cpu.items()},
        "total_cpu_seconds": round(total_cpu, 3),
        "docs_per_cpu_s": round(documents / total_cpu, 1) if total_cpu > 0 else None,
        "peak_rss_mib_self": round(rss_self, 1),
        "peak_rss_mib_children": round(rss_children, 1),
    }

    print()
    print(f"datatrove {result['datatrove']} MinHash dedup, config {result['config']}, CPUs {affinity}")
    print(f"input                 {input_path}")
    print(f"documents             {documents} (signed {signed})")
    print("  stage                  wall s     CPU s   docs/s (wall)")
    for name, secs in timings.items():
        rate = f"{documents / secs:,.0f}" if secs > 0 else "-"
        print(f"  {name:<18}  {secs:9.2f} {cpu[name]:9.2f}   {rate}")
    print(f"  {'total':<18}  {total:9.2f} {total_cpu:9.2f}")
    print(f"end to end            {result['docs_per_s']:,.1f} docs/s wall, {result['docs_per_cpu_s']:,.1f} docs per CPU-second, on {len(affinity)} core(s)")
    print(f"removed as duplicates {removed} ({100.0 * removed / max(documents, 1):.2f}%), kept {kept}")
    print(f"peak RSS              {rss_self:.1f} MiB (process), {rss_children:.1f} MiB (largest child)")
    if args.json:
        print(json.dumps(result))

    if temp and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"workdir               {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
