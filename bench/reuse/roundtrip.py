#!/usr/bin/env python3
"""Checks that presswatch keeps the generated texts intact.

Compares the `text` presswatch derives (from `presswatch extract --jsonl CORPUS` or from an
export after ingest) with the text generate.py wrote, per label bucket, and lists what was
removed and why. A copy whose text presswatch changes while its source's text stays intact is
the case that can hurt the provenance figures (the two texts no longer match the labels).

Usage: python3 roundtrip.py CORPUS.jsonl LABELS.jsonl PRESSWATCH.jsonl [--show N]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys


def words(t: str) -> list[str]:
    return re.findall(r"\w+", t.lower())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("labels")
    ap.add_argument("presswatch")
    ap.add_argument("--show", type=int, default=5, help="examples to print per problem")
    a = ap.parse_args(argv)
    corpus = [json.loads(line) for line in open(a.corpus, encoding="utf-8")]
    labels = [json.loads(line) for line in open(a.labels, encoding="utf-8")]
    out: dict[int, dict] = {}
    for line in open(a.presswatch, encoding="utf-8"):
        row = json.loads(line)
        src = row.get("source", "")
        num = src.rsplit("#", 1)[-1]
        if num.isdigit():
            out[int(num)] = row
    per = collections.defaultdict(collections.Counter)
    reasons = collections.Counter()
    diverged, wrapper_left, wrapper_ate = [], [], []
    for n, (rec, lab) in enumerate(zip(corpus, labels), 1):
        key = lab.get("bucket") or f"{lab['role']}" + (f"/{lab['negative_type']}" if lab.get("negative_type") else "")
        row = out.get(n)
        if row is None:
            per[key]["missing"] += 1
            continue
        t = row.get("text", "")
        if t == rec["text"]:
            per[key]["identical"] += 1
        elif words(t) == words(rec["text"]):
            per[key]["same words"] += 1
        else:
            per[key]["changed"] += 1
            for r in row.get("removed", []):
                reasons[r.get("reason")] += 1
        if lab["role"] != "copy":
            continue
        s = lab["source_line"]
        srow = out.get(s)
        if srow is None:
            continue
        src_intact = words(srow["text"]) == words(corpus[s - 1]["text"])
        if lab.get("bucket") == "near/boilerplate":
            a_pars, b_pars = srow["text"].split("\n\n"), t.split("\n\n")
            extra = [p for p in b_pars if p not in a_pars]
            lost = [p for p in a_pars if p not in b_pars]
            if extra:
                wrapper_left.append((n, extra))
            if lost:
                wrapper_ate.append((n, lost, [r for r in row.get("removed", []) if any(r["text"][:40] in p for p in lost)]))
        elif src_intact and words(t) != words(rec["text"]):
            diverged.append((n, key, row.get("removed", [])))

    print("| bucket / role | identical | same words | changed | missing |")
    print("|---|---:|---:|---:|---:|")
    for key in sorted(per):
        c = per[key]
        print(f"| {key} | {c['identical']} | {c['same words']} | {c['changed']} | {c['missing']} |")
    print()
    print("removal reasons in changed texts:", dict(reasons.most_common()))
    print(f"\ncopies changed by presswatch while their source was kept intact: {len(diverged)}")
    for n, key, removed in diverged[: a.show]:
        print(f"  line {n} ({key}): " + "; ".join(f"{r['reason']}: {r['text'][:70]!r}" for r in removed[:3]))
    nb = sum(1 for lab in labels if lab.get("bucket") == "near/boilerplate")
    print(f"\nnear/boilerplate copies: {nb}; wrapper text left in the clean text: {len(wrapper_left)}; "
          f"article text removed with the wrapper: {len(wrapper_ate)}")
    for n, extra in wrapper_left[: a.show]:
        print(f"  left, line {n}: {extra[0][:90]!r}")
    for n, lost, why in wrapper_ate[: a.show]:
        print(f"  lost, line {n}: {lost[0][:70]!r} " + "; ".join(f"({r['reason']})" for r in why[:2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
