#!/usr/bin/env bash
# presswatch's provenance stage vs datatrove's MinHash dedup pipeline, one core each, on the same
# synthetic ~3 KB documents, in one run. Prints both docs/s and the ratio.
#
#   bench/provenance/compare.sh [N]        (N documents, default 10000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-10000}"
out="$here/out"
mkdir -p "$out"
"$here/setup.sh" >/dev/null
cargo build --release -p presswatch-bench --manifest-path "$root/Cargo.toml" >/dev/null 2>&1
pw="${CARGO_TARGET_DIR:-$root/target}/release/presswatch-bench"
"$pw" provenance --docs "$n" --write-jsonl "$out/docs.jsonl"

echo "== presswatch (provenance stage, core 0)"
taskset -c 0 "$pw" provenance --docs "$n" --add 0 > "$out/presswatch.txt"
cat "$out/presswatch.txt"
pres="$(sed -n 's/.*= \([0-9]*\) docs\/s on one core.*/\1/p' "$out/presswatch.txt")"
echo "== datatrove MinHash (4 stages, core 0)"
(cd "$here" && taskset -c 0 .venv/bin/python datatrove_minhash.py "$out/docs.jsonl" --workdir "$out/datatrove" --json) > "$out/datatrove.txt" 2> "$out/datatrove.log"
grep -v '^{' "$out/datatrove.txt"
dt_json="$(grep '^{' "$out/datatrove.txt" | tail -1)"
echo "$dt_json"
python3 - "$pres" "$dt_json" <<'PY'
import json, sys
pres = float(sys.argv[1])
dt = json.loads(sys.argv[2])
per_cpu = dt.get("docs_per_cpu_s") or dt.get("docs_per_cpu_second") or dt.get("docs_per_s")
print(f"presswatch {pres:.0f} docs/s per core; datatrove {per_cpu:.1f} docs per CPU-second; ratio {pres / per_cpu:.1f}x")
PY
