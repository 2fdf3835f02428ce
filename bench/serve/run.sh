#!/usr/bin/env bash
# Load on `presswatch serve` (read-only) over loopback with Debian's wrk: p50 / p99 latency and
# throughput of the article, provenance (copies), search-with-facets and list endpoints at 50 and
# 200 connections, and the server's peak RSS. Every request asks for another document, query or
# page, drawn at random from 2,000 documents sampled across the whole store (and words of their
# titles), so the figures are not one cached row's.
# Usage: bench/serve/run.sh [STORE] (default: a fresh store of the seeds); SECONDS_EACH=8.
# Needs `apt-get install wrk` and `cargo build --release -p presswatch`.
# A 1,000,000-document store: `presswatch-bench search --docs 1000000 --keep DIR`, then
# `bench/serve/run.sh DIR`.
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
for _ in $(seq 600); do grep -q serving "$work/out" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port/api/v1"

# Sample documents across the store (pages at random offsets) and words of their titles, and
# write them into the wrk script that draws one per request.
python3 - "$base" "$work/sample.lua" <<'PY'
import json, random, re, sys, urllib.request
base, out = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(base + path))
total = get("/stats")["documents"]
rng = random.Random(7)
ids, words, offsets = [], set(), []
for _ in range(40):
    offset = rng.randrange(max(total - 50, 1))
    offsets.append(offset)
    for item in get(f"/documents?offset={offset}&limit=50")["items"]:
        ids.append(item["id"])
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{4,}", item.get("title") or ""))
words = sorted(words)[:500] or ["the"]
lua = lambda xs: "{" + ",".join(json.dumps(str(x)) for x in xs) + "}"
with open(out, "w") as f:
    f.write(f"ids = {lua(ids)}\nwords = {lua(words)}\noffsets = {lua(offsets)}\n")
print(f"store: {total} documents; sampled {len(ids)} documents, {len(words)} title words")
PY

run() { # NAME LUA-EXPRESSION-FOR-THE-PATH
  cat "$work/sample.lua" > "$work/$1.lua"
  cat >> "$work/$1.lua" <<LUA
init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
request = function() return wrk.format("GET", "/api/v1" .. $2) end
LUA
  for c in 50 200; do
    echo "$1  connections=$c"
    wrk -t2 -c"$c" -d"${SECONDS_EACH:-8}"s --latency -s "$work/$1.lua" "http://127.0.0.1:$port" \
      | grep -E "^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors"
  done
}
run article '"/documents/" .. ids[math.random(#ids)]'
run copies '"/documents/" .. ids[math.random(#ids)] .. "/provenance"'
run search '"/search?q=" .. words[math.random(#words)] .. "&facets=outlet,language,month,copies"'
run list '"/documents?limit=50&offset=" .. offsets[math.random(#offsets)]'
grep VmHWM "/proc/$server/status"
