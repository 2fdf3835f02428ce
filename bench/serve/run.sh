#!/usr/bin/env bash
# Load on `presswatch serve` (read-only) over loopback with Debian's wrk: p50 / p99 latency and
# throughput of the article, provenance and list endpoints at 50 and 200 connections, and the
# server's peak RSS. Usage: bench/serve/run.sh [STORE] (default: a fresh store of the seeds).
# Needs `apt-get install wrk` and `cargo build --release -p presswatch`.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${CARGO_TARGET_DIR:-target}/release/presswatch
port=${PORT:-18080}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
store=${1:-}
if [ -z "$store" ]; then
  store=$work/store
  "$bin" --store "$store" ingest --quiet tests/fixtures/seeds
fi
"$bin" --store "$store" serve --addr "127.0.0.1:$port" --read-only > "$work/out" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q serving "$work/out" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port/api/v1"
id=$(curl -s "$base/documents?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
for path in "/documents/$id" "/documents/$id/provenance" "/documents?limit=50"; do
  for c in 50 200; do
    echo "$path  connections=$c"
    wrk -t2 -c"$c" -d"${SECONDS_EACH:-8}"s --latency "$base$path" | grep -E "^\s+(50|99)%|Requests/sec"
  done
done
grep VmHWM "/proc/$server/status"
