#!/usr/bin/env python3
"""Scores `presswatch entities --jsonl FILE...` on the hand-labelled gold sets of this directory.

    python3 bench/entities/score.py [--split dev|test|all] [--bin PATH] [--show]

Mentions: precision/recall/F1 at exact span and type, and at exact span whatever the type
(untyped); per type too. Alias resolution: of the gold mentions found at their exact span
whose surface is not the entity's canonical name ("Blinken", "Kiev", "Киеве", "VW"), the
share whose predicted entity has the gold canonical name (case aside): the mention was
resolved to the right entity. Offsets are code points of the text as written to the file.
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import gold as goldsets  # noqa: E402  (bench/gold.py)


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs, predicted, show=False):
    typed = {"tp": 0, "pred": 0, "gold": 0}
    untyped = {"tp": 0, "pred": 0, "gold": 0}
    by_type = {}
    alias_ok = alias_n = 0
    for d in docs:
        text = d["text"]
        gold = {(a, b): (e["type"], e["name"]) for e in d["entities"] for a, b in e["mentions"]}
        pred = {(a, b): (e["type"], e["name"]) for e in predicted.get(d["id"], []) for a, b in e["mentions"]}
        for counts, key in [(typed, lambda s, v: (s, v[0])), (untyped, lambda s, v: s)]:
            g = {key(s, v) for s, v in gold.items()}
            p = {key(s, v) for s, v in pred.items()}
            counts["tp"] += len(g & p)
            counts["pred"] += len(p)
            counts["gold"] += len(g)
        for t in {"person", "organisation", "place"}:
            c = by_type.setdefault(t, {"tp": 0, "pred": 0, "gold": 0})
            g = {s for s, v in gold.items() if v[0] == t}
            p = {s for s, v in pred.items() if v[0] == t}
            c["tp"] += len(g & p)
            c["pred"] += len(p)
            c["gold"] += len(g)
        for span, (kind, name) in gold.items():
            surface = text[span[0]:span[1]]
            if span in pred and surface.casefold() != name.casefold():
                alias_n += 1
                ok = pred[span][1].casefold() == name.casefold()
                alias_ok += ok
                if show and not ok:
                    print(f"  {d['id']}: {surface!r} resolved to {pred[span][1]!r}, gold {name!r}")
        if show:
            for span, (kind, name) in sorted(gold.items()):
                if pred.get(span, (None,))[0] != kind:
                    got = pred.get(span)
                    print(f"  {d['id']}: missed {kind} {text[span[0]:span[1]]!r}" + (f" (typed {got[0]})" if got else ""))
            for span, (kind, name) in sorted(pred.items()):
                if span not in gold:
                    print(f"  {d['id']}: spurious {kind} {text[span[0]:span[1]]!r}")
    return {
        "documents": len(docs),
        "typed": prf(typed["tp"], typed["pred"], typed["gold"]),
        "untyped": prf(untyped["tp"], untyped["pred"], untyped["gold"]),
        "gold": typed["gold"],
        "predicted": typed["pred"],
        "by_type": {t: prf(c["tp"], c["pred"], c["gold"]) + (c["gold"],) for t, c in sorted(by_type.items())},
        "alias": (alias_ok / alias_n if alias_n else 0.0, alias_n),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--bin", default=os.environ.get("PRESSWATCH", "target/release/presswatch"))
    ap.add_argument("--show", action="store_true", help="print every miss, spurious mention and wrong resolution")
    args = ap.parse_args()
    docs = goldsets.load(HERE, args.split)
    s = score(docs, goldsets.run(args.bin, "entities", docs), args.show)
    fmt = lambda x: f"P {x[0]:.3f}  R {x[1]:.3f}  F1 {x[2]:.3f}"
    print(f"{args.split}: {s['documents']} documents, {s['gold']} gold mentions, {s['predicted']} predicted")
    print(f"  mentions, exact span + type: {fmt(s['typed'])}")
    print(f"  mentions, exact span only:   {fmt(s['untyped'])}")
    for t, x in s["by_type"].items():
        print(f"    {t:<13} {fmt(x)}  ({x[3]} gold)")
    print(f"  alias resolution accuracy:   {s['alias'][0]:.3f} of {s['alias'][1]} mentions not written as the canonical name")


if __name__ == "__main__":
    main()
