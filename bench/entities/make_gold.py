#!/usr/bin/env python3
"""Turns the hand labels (labels.txt) of the texts (texts.jsonl) into gold_dev.jsonl and
gold_test.jsonl: each text with its entities and their mentions as [start, end] code-point
offsets. Surfaces are found at word boundaries, longest surfaces first, each taking the first
occurrences no longer mention has taken (or the K-th free one with `@K`).

    python3 bench/entities/make_gold.py
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_labels(path):
    blocks, cur = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("= "):
            doc_id, split = line[2:].split()
            cur = blocks[doc_id] = {"split": split, "entities": []}
            continue
        kind, name, mentions = [x.strip() for x in line.split("|")]
        surfaces = []
        for m in mentions.split(";"):
            m = m.strip()
            at = None
            count = 1
            mm = re.fullmatch(r"(.+?) x(\d+)", m)
            if mm:
                m, count = mm.group(1), int(mm.group(2))
            mm = re.fullmatch(r"(.+?)@(\d+)", m)
            if mm:
                m, at = mm.group(1), int(mm.group(2))
            surfaces.extend([(m, at)] * count)
        cur["entities"].append({"type": kind, "name": name, "surfaces": surfaces})
    return blocks


def occurrences(text, surface):
    out = []
    for m in re.finditer(re.escape(surface), text):
        a, b = m.start(), m.end()
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < len(text) else " "
        if before.isalnum() or after.isalnum():
            continue
        out.append((a, b))
    return out


def main():
    texts = {d["id"]: d for d in map(json.loads, open(os.path.join(HERE, "texts.jsonl"), encoding="utf-8"))}
    labels = parse_labels(os.path.join(HERE, "labels.txt"))
    out = {"dev": [], "test": []}
    for doc_id, block in labels.items():
        d = texts[doc_id]
        text = d["text"]
        taken = []
        wanted = [(len(s), i, j, s, at) for i, e in enumerate(block["entities"]) for j, (s, at) in enumerate(e["surfaces"])]
        spans = {}
        for _, i, j, s, at in sorted(wanted, key=lambda w: (-w[0], w[1], w[2])):
            # Occurrences no other (longer) surface took; `@K` counts among them.
            free = [o for o in occurrences(text, s) if all(o[1] <= a or o[0] >= b for (a, b), t in taken if t != s)]
            if at is not None:
                pick = free[at - 1] if len(free) >= at else None
            else:
                pick = next((o for o in free if (o, s) not in taken), None)
            if pick is None or (pick, s) in taken:
                sys.exit(f"{doc_id}: no free occurrence of {s!r}")
            taken.append((pick, s))
            spans[(i, j)] = pick
        entities = []
        for i, e in enumerate(block["entities"]):
            mentions = sorted(spans[(i, j)] for j in range(len(e["surfaces"])))
            entities.append({"name": e["name"], "type": e["type"], "mentions": [list(m) for m in mentions]})
        out[block["split"]].append({"id": doc_id, "lang": d["lang"], "source": d["source"], "text": text, "entities": entities})
    for split, docs in out.items():
        with open(os.path.join(HERE, f"gold_{split}.jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{split}: {len(docs)} texts, {sum(len(e['mentions']) for d in docs for e in d['entities'])} mentions")


if __name__ == "__main__":
    main()
