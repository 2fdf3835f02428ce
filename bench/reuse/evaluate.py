#!/usr/bin/env python3
"""Scores presswatch's provenance output (`derived_from`, `dup_cluster`) against generate.py's labels.

Usage: python3 evaluate.py EXPORT.jsonl LABELS.jsonl [--json]

EXPORT.jsonl is `presswatch export` output; each row's `source` ends in `#<line>` (the corpus
line it came from), which is how rows are matched to labels. Prints a Markdown report (or, with
--json, a JSON summary). Exit status 0 whatever the scores; 2 when an input is malformed.

Definitions (README.md has the long form):
- A copy is a true positive when its `derived_from` holds an entry whose id is its true source's
  id and whose kind is one of the label's `accept_kinds` (the true kind; near copies that differ
  only in case/punctuation/whitespace or by a boilerplate wrapper also accept `exact`).
- Bucket precision: correct entries / all entries predicted on the bucket's rows. Entries on
  originals and negatives are all false positives (the `none` rows).
- Kind precision: correct entries predicted with kind K / all entries predicted with kind K.
- reused_share MAE: mean |predicted - true| over true-positive entries.
- ARI: Adjusted Rand Index of `dup_cluster` (null = singleton) against the true clusters (an
  original with its exact/near/reordered/spun copies; partial copies and negatives singletons);
  per bucket on the sub-corpus of that bucket's copies and their sources.
- cluster right: share of a bucket's copies whose dup_cluster relation to the source is right
  (same non-null cluster for exact/near/reordered/spun copies, not the same for partial ones).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys

KINDS = ("exact", "near", "partial", "reordered", "spun")
TARGET_KINDS = ("exact", "near", "partial", "reordered")
TARGET_P, TARGET_R = 0.98, 0.95
SPUN_TARGET_P, SPUN_TARGET_R = 0.95, 0.90
SPUN_EXCLUDED = {"spun/synonyms/50%"}  # the spun target covers substitution up to 30%


class Malformed(Exception):
    pass


def read_jsonl(path: str, what: str) -> list[dict]:
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    v = json.loads(line)
                except json.JSONDecodeError as e:
                    raise Malformed(f"{what} {path}:{n}: not JSON ({e})") from None
                if not isinstance(v, dict):
                    raise Malformed(f"{what} {path}:{n}: not a JSON object")
                rows.append(v)
    except OSError as e:
        raise Malformed(f"cannot read {what} {path}: {e}") from None
    return rows


def line_of_source(source) -> int | None:
    if not isinstance(source, str) or "#" not in source:
        return None
    tail = source.rsplit("#", 1)[1]
    return int(tail) if tail.isdigit() else None


def validate_labels(labels: list[dict]) -> None:
    for i, lab in enumerate(labels, 1):
        if lab.get("line") != i:
            raise Malformed(f"labels line {i}: 'line' is {lab.get('line')!r}, expected {i}")
        role = lab.get("role")
        if role not in ("original", "copy", "negative"):
            raise Malformed(f"labels line {i}: bad role {role!r}")
        if role == "copy":
            sl = lab.get("source_line")
            if not isinstance(sl, int) or not 1 <= sl <= len(labels):
                raise Malformed(f"labels line {i}: bad source_line {sl!r}")
            if lab.get("kind") not in KINDS or not isinstance(lab.get("bucket"), str):
                raise Malformed(f"labels line {i}: bad kind/bucket")
            if not isinstance(lab.get("reused_share"), (int, float)):
                raise Malformed(f"labels line {i}: bad reused_share")
        if not isinstance(lab.get("cluster"), int):
            raise Malformed(f"labels line {i}: bad cluster")


def validate_row(row: dict, n: int) -> None:
    if not isinstance(row.get("id"), str):
        raise Malformed(f"export row {n}: no string 'id'")
    dc = row.get("dup_cluster")
    if dc is not None and not isinstance(dc, str):
        raise Malformed(f"export row {n}: dup_cluster is neither string nor null")
    df = row.get("derived_from", [])
    if not isinstance(df, list):
        raise Malformed(f"export row {n}: derived_from is not a list")
    for e in df:
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not isinstance(e.get("kind"), str):
            raise Malformed(f"export row {n}: derived_from entry without string id/kind: {e!r}")


def comb2(x: int) -> int:
    return x * (x - 1) // 2


def ari(true: list, pred: list) -> float:
    """Adjusted Rand Index of two labelings of the same items (1.0 when both are trivial alike)."""
    n = len(true)
    if n < 2:
        return 1.0
    cont = collections.Counter(zip(true, pred))
    a = collections.Counter(true)
    b = collections.Counter(pred)
    index = sum(comb2(v) for v in cont.values())
    sa = sum(comb2(v) for v in a.values())
    sb = sum(comb2(v) for v in b.values())
    expected = sa * sb / comb2(n)
    top = (sa + sb) / 2
    if top == expected:
        return 1.0 if index == expected else 0.0
    return (index - expected) / (top - expected)


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def fmt(x, digits=3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def evaluate(export: list[dict], labels: list[dict]) -> dict:
    validate_labels(labels)
    row_of: dict[int, dict] = {}
    for n, row in enumerate(export, 1):
        validate_row(row, n)
        ln = line_of_source(row.get("source"))
        if ln is None or not 1 <= ln <= len(labels):
            raise Malformed(f"export row {n}: source {row.get('source')!r} does not end in #<label line>")
        row_of.setdefault(ln, row)
    line_of_id: dict[str, int] = {}
    for ln, row in row_of.items():
        line_of_id.setdefault(row["id"], ln)
    text_of_id = {row["id"]: row.get("text") for row in row_of.values()}

    buckets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    share_err: dict[str, list[float]] = collections.defaultdict(list)
    bucket_kind: dict[str, str] = {}
    kind_pred = collections.Counter()  # entries predicted with kind K
    kind_pred_ok = collections.Counter()  # ... that are correct
    spun_sub = collections.Counter()
    evidence = collections.Counter()
    missing = 0

    def check_evidence(e: dict, copy_text) -> None:
        ev = e.get("evidence")
        if ev is None:
            evidence["entries without evidence"] += 1
            return
        src_text = text_of_id.get(e["id"])
        for item in ev if isinstance(ev, list) else [None]:
            evidence["spans"] += 1
            try:
                (s0, s1), (c0, c1) = item["source"], item["copy"]
                ok = all(isinstance(x, int) for x in (s0, s1, c0, c1)) and 0 <= s0 <= s1 and 0 <= c0 <= c1
                if ok and isinstance(src_text, str):
                    ok = s1 <= len(src_text)
                if ok and isinstance(copy_text, str):
                    ok = c1 <= len(copy_text)
            except (TypeError, ValueError, KeyError):
                ok = False
            if not ok:
                evidence["invalid spans"] += 1

    for lab in labels:
        ln = lab["line"]
        row = row_of.get(ln)
        if lab["role"] == "copy":
            key = lab["bucket"]
            bucket_kind[key] = lab["kind"]
        else:
            key = "none/" + (lab["role"] if lab["role"] == "original" else f"negative/{lab.get('negative_type')}")
            bucket_kind[key] = "none"
        c = buckets[key]
        c["n"] += 1
        if row is None:
            missing += 1
            c["missing"] += 1
            continue
        entries = row.get("derived_from") or []
        for e in entries:
            check_evidence(e, row.get("text"))
        in_spun_sub = lab["role"] == "copy" and lab["kind"] == "spun" and key not in SPUN_EXCLUDED
        if lab["role"] != "copy":
            c["entries"] += len(entries)
            c["fp"] += len(entries)
            for e in entries:
                kind_pred[e["kind"]] += 1
                if e["kind"] == "spun":
                    spun_sub["pred"] += 1
            continue
        src_row = row_of.get(lab["source_line"])
        src_id = src_row["id"] if src_row else None
        accept = lab.get("accept_kinds") or [lab["kind"]]
        tp_entry = None
        src_seen = False
        for e in entries:
            c["entries"] += 1
            kind_pred[e["kind"]] += 1
            if e["kind"] == "spun" and key not in SPUN_EXCLUDED:
                spun_sub["pred"] += 1
            if src_id is not None and e["id"] == src_id:
                src_seen = True
                if e["kind"] in accept and tp_entry is None:
                    tp_entry = e
                    c["correct"] += 1
                    kind_pred_ok[e["kind"]] += 1
                    if e["kind"] == "spun" and in_spun_sub:
                        spun_sub["pred_ok"] += 1
                    if e["kind"] != lab["kind"]:
                        c["alt_kind"] += 1
                    continue
            other = line_of_id.get(e["id"])
            if other is not None and labels[other - 1].get("source_line") == lab["source_line"]:
                c["sibling"] += 1
            c["fp"] += 1
        if tp_entry is not None:
            c["tp"] += 1
            if in_spun_sub:
                spun_sub["tp"] += 1
            rs = tp_entry.get("reused_share")
            if isinstance(rs, (int, float)) and not isinstance(rs, bool):
                share_err[key].append(abs(float(rs) - float(lab["reused_share"])))
            else:
                c["tp_without_share"] += 1
        elif src_seen:
            c["kind_wrong"] += 1
        if in_spun_sub:
            spun_sub["n"] += 1
        # Clustering against the source.
        if src_row is not None:
            same = row.get("dup_cluster") is not None and row.get("dup_cluster") == src_row.get("dup_cluster")
            c["cluster_right"] += int(same == (labels[ln - 1]["cluster"] == lab["source_line"]))

    # ARI, global and per bucket.
    def pred_cluster(ln: int):
        row = row_of.get(ln)
        dc = row.get("dup_cluster") if row else None
        return ("c", dc) if dc is not None else ("s", ln)

    all_lines = [lab["line"] for lab in labels]
    global_ari = ari([labels[ln - 1]["cluster"] for ln in all_lines], [pred_cluster(ln) for ln in all_lines])
    bucket_ari = {}
    for key in buckets:
        if key.startswith("none/"):
            continue
        lines = set()
        for lab in labels:
            if lab.get("bucket") == key:
                lines |= {lab["line"], lab["source_line"]}
        ls = sorted(lines)
        bucket_ari[key] = ari([labels[ln - 1]["cluster"] for ln in ls], [pred_cluster(ln) for ln in ls])

    # Negatives: pairs/groups that were linked (derived_from between them or one cluster).
    groups = collections.defaultdict(list)
    for lab in labels:
        if lab["role"] == "negative":
            groups[(lab.get("negative_type"), lab.get("negative_group"))].append(lab["line"])
    neg = collections.Counter()
    for (ntype, _), lines in groups.items():
        for i in range(len(lines)):
            for j in range(i + 1, len(lines)):
                a, b = row_of.get(lines[i]), row_of.get(lines[j])
                neg[f"{ntype} pairs"] += 1
                if a is None or b is None:
                    continue
                linked = any(e["id"] == b["id"] for e in a.get("derived_from") or []) or any(
                    e["id"] == a["id"] for e in b.get("derived_from") or [])
                clustered = a.get("dup_cluster") is not None and a.get("dup_cluster") == b.get("dup_cluster")
                neg[f"{ntype} pairs linked"] += int(linked or clustered)

    # Tables.
    rows = []
    def order(k: str):
        parts = k.split("/")
        strength = parts[2] if len(parts) > 2 else ""
        num = float(strength.split("-")[0].rstrip("%")) if strength[:1].isdigit() else -1.0
        return (KINDS.index(bucket_kind[k]) if bucket_kind[k] in KINDS else 99, parts[1], num, k)

    for key in sorted(buckets, key=order):
        c = buckets[key]
        copy = bucket_kind[key] != "none"
        errs = share_err.get(key, [])
        rows.append({
            "bucket": key, "kind": bucket_kind[key], "n": c["n"], "missing": c["missing"],
            "entries": c["entries"], "tp": c["tp"] if copy else None,
            "precision": ratio(c["correct"], c["entries"]) if copy else (None if c["entries"] == 0 else 0.0),
            "recall": ratio(c["tp"], c["n"]) if copy else None,
            "false_positives": c["fp"], "source_right_kind_wrong": c["kind_wrong"] if copy else None,
            "accepted_alt_kind": c["alt_kind"] if copy else None, "sibling_entries": c["sibling"] if copy else None,
            "share_mae": (sum(errs) / len(errs)) if errs else None,
            "ari": bucket_ari.get(key),
            "cluster_right": ratio(c["cluster_right"], c["n"]) if copy else None,
        })
    per_kind = {}
    for k in KINDS:
        n = sum(buckets[b]["n"] for b in buckets if bucket_kind[b] == k)
        tp = sum(buckets[b]["tp"] for b in buckets if bucket_kind[b] == k)
        errs = [x for b in buckets if bucket_kind[b] == k for x in share_err.get(b, [])]
        per_kind[k] = {"n": n, "tp": tp, "recall": ratio(tp, n), "predicted": kind_pred[k],
                       "precision": ratio(kind_pred_ok[k], kind_pred[k]),
                       "share_mae": (sum(errs) / len(errs)) if errs else None}
    targets = []
    for k in TARGET_KINDS:
        p, r = per_kind[k]["precision"], per_kind[k]["recall"]
        ok = p is not None and r is not None and p >= TARGET_P and r >= TARGET_R
        targets.append({"target": f"{k}: P>={TARGET_P} R>={TARGET_R}", "precision": p, "recall": r, "pass": ok})
    sp, sr = ratio(spun_sub["pred_ok"], spun_sub["pred"]), ratio(spun_sub["tp"], spun_sub["n"])
    targets.append({"target": f"spun up to 30% substitution: R>={SPUN_TARGET_R} at P>={SPUN_TARGET_P}",
                    "precision": sp, "recall": sr,
                    "pass": sp is not None and sr is not None and sp >= SPUN_TARGET_P and sr >= SPUN_TARGET_R})
    return {
        "documents": len(labels), "export_rows": len(export), "missing_rows": missing,
        "buckets": rows, "kinds": per_kind, "ari": global_ari, "negatives": dict(neg),
        "evidence": dict(evidence), "targets": targets,
        "all_targets_pass": all(t["pass"] for t in targets),
    }


def markdown(s: dict) -> str:
    out = ["# presswatch provenance: reuse benchmark", ""]
    out.append(f"{s['documents']} labelled documents, {s['export_rows']} export rows, {s['missing_rows']} labelled "
               f"documents without an export row.")
    out.append("")
    out.append("| kind | bucket | n | TP | P | R | src right, kind wrong | FP entries | of which sibling copies | "
               "share MAE | ARI | cluster right |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in s["buckets"]:
        b = r["bucket"].split("/", 1)[1] if r["kind"] != "none" else r["bucket"][len("none/"):]
        out.append(
            f"| {r['kind']} | {b} | {r['n']} | {'-' if r['tp'] is None else r['tp']} | {fmt(r['precision'])} | "
            f"{fmt(r['recall'])} | {'-' if r['source_right_kind_wrong'] is None else r['source_right_kind_wrong']} | "
            f"{r['false_positives']} | {'-' if r['sibling_entries'] is None else r['sibling_entries']} | "
            f"{fmt(r['share_mae'])} | {fmt(r['ari'])} | {fmt(r['cluster_right'])} |")
    out += ["", "Per kind (precision over every entry predicted with that kind, anywhere):", "",
            "| kind | n | TP | R | predicted | P | share MAE |", "|---|---:|---:|---:|---:|---:|---:|"]
    for k, v in s["kinds"].items():
        out.append(f"| {k} | {v['n']} | {v['tp']} | {fmt(v['recall'])} | {v['predicted']} | {fmt(v['precision'])} | "
                   f"{fmt(v['share_mae'])} |")
    out += ["", f"Adjusted Rand Index of dup_cluster over all documents: {fmt(s['ari'])}", ""]
    neg = s["negatives"]
    parts = [f"{k.split(' ')[0]}: {neg.get(k + ' linked', 0)} of {v} pairs linked"
             for k, v in sorted(neg.items()) if not k.endswith("linked")]
    out.append("Hard negatives (linked = derived_from between them or one dup_cluster): " + "; ".join(parts))
    ev = s["evidence"]
    out.append(f"Evidence spans: {ev.get('spans', 0)}, invalid (out of range or malformed): {ev.get('invalid spans', 0)}; "
               f"entries without evidence: {ev.get('entries without evidence', 0)}")
    out += ["", "Targets:", ""]
    for t in s["targets"]:
        out.append(f"- {t['target']}: P={fmt(t['precision'])} R={fmt(t['recall'])} "
                   f"{'PASS' if t['pass'] else 'FAIL'}")
    out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("export", help="presswatch export JSON Lines")
    ap.add_argument("labels", help="labels.jsonl from generate.py")
    ap.add_argument("--json", action="store_true", help="print a JSON summary instead of Markdown")
    a = ap.parse_args(argv)
    try:
        summary = evaluate(read_jsonl(a.export, "export"), read_jsonl(a.labels, "labels"))
    except Malformed as e:
        print(f"evaluate.py: {e}", file=sys.stderr)
        return 2
    if a.json:
        print(json.dumps(summary, indent=1))
    else:
        print(markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
