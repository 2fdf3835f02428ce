#!/usr/bin/env bash
# Side by side on one core: Python trafilatura (installed from PyPI into a venv here) and
# presswatch, same pages in memory, same run. Prints both speeds, their ratio, and both F1 scores.
#
# usage: bench/extraction/compare.sh [BENCH_DIR]   (default ../shared/bench/article-extraction)
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=${1:-../shared/bench/article-extraction}
venv=bench/extraction/.venv
out=$(mktemp -d)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet trafilatura lxml_html_clean
fi
cargo build --release --quiet -p presswatch -p presswatch-bench
bin=${CARGO_TARGET_DIR:-target}/release
pin="taskset -c 0"
command -v taskset >/dev/null || pin=""

"$bin/presswatch" extract --jsonl "$bench/html" > "$out/presswatch.jsonl"
pw=$($pin "$bin/presswatch-bench" extract "$bench/html" --rounds 5 | tee /dev/stderr | awk '/pages\/s/ {print $1; exit}')
tr=$($pin "$venv/bin/python" bench/extraction/trafilatura_speed.py "$bench/html" "$out/trafilatura.jsonl" 1 | tee /dev/stderr | awk '{print $NF}')
echo "presswatch: $pw pages/s   trafilatura: $tr pages/s   ratio: $(python3 -c "print(f'{$pw/$tr:.1f}x')")"
python3 "$bench/evaluate.py" "$out/presswatch.jsonl" --n-bootstrap 200 | tail -1
python3 "$bench/evaluate.py" "$out/trafilatura.jsonl" --n-bootstrap 200 | tail -1
