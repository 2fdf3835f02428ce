#!/usr/bin/env python3
"""Scores `presswatch export` against bench/stories labels, the way the held-out set is scored:
the `story` of each exported article ({id, label}) against the labelled story of its corpus line
(the export's `source` ends in `#<line>`). Pairwise and B-cubed precision, recall, F1.

    python3 bench/stories/score.py EXPORT.jsonl LABELS.jsonl [--split dev|test|all]
"""

import argparse
import itertools
import json
import sys
from collections import defaultdict


def scores(pred: dict, gold: dict) -> dict:
    docs = list(gold)
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for d in docs:
        by_pred[pred.get(d, ("alone", d))].add(d)
        by_gold[gold[d]].add(d)
    bp = br = 0.0
    for d in docs:
        p, g = by_pred[pred.get(d, ("alone", d))], by_gold[gold[d]]
        both = len(p & g)
        bp += both / len(p)
        br += both / len(g)
    n = len(docs)
    bp, br = bp / n, br / n
    pairs = lambda groups: sum(len(m) * (len(m) - 1) // 2 for m in groups)  # noqa: E731
    tp = sum(
        sum(len(list(g)) * (len(list(g)) - 1) // 2 for _, g in [(k, [x for x in m if gold[x] == k]) for k in {gold[x] for x in m}])
        for m in by_pred.values()
    )
    pp_n, gp_n = pairs(by_pred.values()), pairs(by_gold.values())
    pp = tp / pp_n if pp_n else 1.0
    pr = tp / gp_n if gp_n else 1.0
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"docs": n, "pairwise": [pp, pr, f(pp, pr)], "bcubed": [bp, br, f(bp, br)]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("export")
    ap.add_argument("labels")
    ap.add_argument("--split", default="test")
    args = ap.parse_args()
    labels = {}
    for line in open(args.labels, encoding="utf-8"):
        lab = json.loads(line)
        if args.split in ("all", lab["split"]):
            labels[lab["line"]] = lab["story"]
    pred, missing = {}, 0
    for line in open(args.export, encoding="utf-8"):
        row = json.loads(line)
        ln = int(str(row.get("source", "")).rsplit("#", 1)[-1]) if "#" in str(row.get("source", "")) else None
        if ln not in labels:
            continue
        story = row.get("story")
        if story is None:
            missing += 1
        else:
            pred[ln] = story["id"]
    gold = {ln: s for ln, s in labels.items()}
    out = scores(pred, gold)
    out["without_story"] = missing
    print(json.dumps(out))
    pp, pr, pf = out["pairwise"]
    bp, br, bf = out["bcubed"]
    print(f"{out['docs']} documents: pairwise P {pp:.3f} R {pr:.3f} F1 {pf:.3f} | B-cubed P {bp:.3f} R {br:.3f} F1 {bf:.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
