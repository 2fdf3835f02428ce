#!/usr/bin/env python3
"""Time Python trafilatura on the benchmark pages held in memory (one thread), write its output.

usage: trafilatura_speed.py HTML_DIR OUT.jsonl [ROUNDS]
Prints `trafilatura pages/s: N` and writes {"id","text"} lines for evaluate.py.
"""
import gzip
import json
import os
import sys
import time

import trafilatura

html_dir, out_path = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
pages = []
for name in sorted(os.listdir(html_dir)):
    if not (name.endswith(".html.gz") or name.endswith(".html")):
        continue
    path = os.path.join(html_dir, name)
    raw = gzip.open(path).read() if name.endswith(".gz") else open(path, "rb").read()
    pages.append((name.split(".")[0], raw.decode("utf-8", "replace")))

outputs = {}
for page_id, html in pages:  # warm-up pass, also the scored output
    outputs[page_id] = trafilatura.extract(html, include_comments=False) or ""
start = time.perf_counter()
for _ in range(rounds):
    for _, html in pages:
        trafilatura.extract(html, include_comments=False)
secs = time.perf_counter() - start
with open(out_path, "w", encoding="utf-8") as f:
    for page_id, text in outputs.items():
        f.write(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n")
print(f"trafilatura pages/s: {len(pages) * rounds / secs:.1f}")
