"""What the hand-labelled gold sets of bench/quotes and bench/entities share: reading a split,
and running one `presswatch SUBCOMMAND --jsonl FILE...` over its texts."""

import json
import os
import subprocess
import tempfile

SPLITS = {"dev": ["gold_dev.jsonl"], "test": ["gold_test.jsonl"], "all": ["gold_dev.jsonl", "gold_test.jsonl"]}


def load(folder, split):
    """The gold documents of `split` in `folder` (one JSON object a line)."""
    docs = []
    for name in SPLITS[split]:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f if line.strip())
    return docs


def run(binary, subcommand, docs):
    """Each document's text written to a file named by its id, `binary SUBCOMMAND --jsonl` run
    over all of them at once, and its rows by id: {id: row[subcommand]}."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for d in docs:
            path = os.path.join(tmp, d["id"] + ".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(d["text"])
            paths.append(path)
        out = subprocess.run([binary, subcommand, "--jsonl", *paths], capture_output=True, text=True, check=True)
    return {row["id"]: row[subcommand] for row in map(json.loads, out.stdout.splitlines())}
