#!/usr/bin/env python3
"""Self-check of evaluate.py on fake exports built from labels (python3 bench/reuse/test_evaluate.py).

A perfect predictor must score 1.0 everywhere; linking negatives, missing copies, wrong kinds
and pointing at a sibling copy must each lower exactly the figures they should.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import evaluate  # noqa: E402
from generate import BUCKETS, CLUSTER_KINDS, accept_kinds, bucket_name  # noqa: E402


def synthetic_labels(originals: int = 3) -> list[dict]:
    """Each original gets one copy per bucket; plus a same-topic pair and a boilerplate trio."""
    labels: list[dict] = []

    def add(**kw) -> int:
        n = len(labels) + 1
        lab = {"line": n, "kind": None, "operation": None, "strength": None, "reused_share": None,
               "source_line": None, "chars": 1000, **kw}
        lab["cluster"] = n
        labels.append(lab)
        return n

    for _ in range(originals):
        o = add(role="original")
        for kind, op, strength in BUCKETS:
            n = add(role="copy", kind=kind, operation=op, strength=strength, bucket=bucket_name(kind, op, strength),
                    reused_share=0.4 if kind == "partial" else 1.0, source_line=o,
                    accept_kinds=accept_kinds(kind, op))
            if kind in CLUSTER_KINDS:
                labels[n - 1]["cluster"] = o
    add(role="negative", negative_type="same_topic", negative_group="topic0")
    add(role="negative", negative_type="same_topic", negative_group="topic0")
    for _ in range(3):
        add(role="negative", negative_type="shared_boilerplate", negative_group="outlet0")
    return labels


def perfect_export(labels: list[dict]) -> list[dict]:
    members: dict[int, int] = {}
    for lab in labels:
        members[lab["cluster"]] = members.get(lab["cluster"], 0) + 1
    rows = []
    for lab in labels:
        n = lab["line"]
        row = {"id": f"id{n:04d}", "source": f"out/corpus.jsonl#{n}", "text": "x" * lab["chars"],
               "dup_cluster": f"id{lab['cluster']:04d}" if members[lab["cluster"]] >= 2 else None,
               "derived_from": []}
        if lab["role"] == "copy":
            row["derived_from"].append({"id": f"id{lab['source_line']:04d}", "kind": lab["kind"],
                                        "reused_share": lab["reused_share"],
                                        "evidence": [{"source": [0, 10], "copy": [5, 15], "similarity": 1.0}]})
        rows.append(row)
    return rows


def run(export: list[dict], labels: list[dict]) -> dict:
    return evaluate.evaluate(export, labels)


def bucket(s: dict, name: str) -> dict:
    return next(r for r in s["buckets"] if r["bucket"] == name)


class EvaluateTest(unittest.TestCase):
    def setUp(self):
        self.labels = synthetic_labels()
        self.export = perfect_export(self.labels)

    def test_perfect_predictor_scores_one(self):
        s = run(self.export, self.labels)
        for r in s["buckets"]:
            if r["kind"] == "none":
                self.assertEqual(r["false_positives"], 0, r)
                continue
            self.assertEqual((r["precision"], r["recall"], r["share_mae"]), (1.0, 1.0, 0.0), r)
            self.assertEqual(r["ari"], 1.0, r)
        for k, v in s["kinds"].items():
            self.assertEqual((v["precision"], v["recall"]), (1.0, 1.0), k)
        self.assertEqual(s["ari"], 1.0)
        self.assertTrue(s["all_targets_pass"])
        self.assertEqual(s["evidence"].get("invalid spans", 0), 0)

    def test_linking_negatives_costs_precision(self):
        ex = copy.deepcopy(self.export)
        topic = [r for r, lab in zip(ex, self.labels) if lab.get("negative_type") == "same_topic"]
        topic[1]["derived_from"] = [{"id": topic[0]["id"], "kind": "near", "reused_share": 0.3}]
        bp = [r for r, lab in zip(ex, self.labels) if lab.get("negative_type") == "shared_boilerplate"]
        for r in bp:
            r["dup_cluster"] = bp[0]["id"]
        s = run(ex, self.labels)
        self.assertEqual(bucket(s, "none/negative/same_topic")["false_positives"], 1)
        self.assertEqual(bucket(s, "none/negative/same_topic")["precision"], 0.0)
        self.assertLess(s["kinds"]["near"]["precision"], 1.0)
        self.assertEqual(s["kinds"]["near"]["recall"], 1.0)
        self.assertEqual(s["negatives"]["same_topic pairs linked"], 1)
        self.assertEqual(s["negatives"]["shared_boilerplate pairs linked"], 3)
        self.assertLess(s["ari"], 1.0)
        self.assertFalse(s["all_targets_pass"])

    def test_missed_and_mislabelled_copies(self):
        ex = copy.deepcopy(self.export)
        by_bucket = {}
        for r, lab in zip(ex, self.labels):
            by_bucket.setdefault(lab.get("bucket"), []).append(r)
        by_bucket["spun/typos/5%"][0]["derived_from"] = []  # missed
        by_bucket["reordered/sentences"][0]["derived_from"][0]["kind"] = "partial"  # wrong kind
        by_bucket["near/format"][0]["derived_from"][0]["kind"] = "exact"  # accepted alternative
        by_bucket["partial/mix/40%"][0]["derived_from"][0]["reused_share"] = 0.7
        s = run(ex, self.labels)
        typo = bucket(s, "spun/typos/5%")
        self.assertAlmostEqual(typo["recall"], 2 / 3)
        self.assertEqual(typo["precision"], 1.0)
        ro = bucket(s, "reordered/sentences")
        self.assertEqual((ro["tp"], ro["source_right_kind_wrong"]), (2, 1))
        self.assertAlmostEqual(s["kinds"]["partial"]["precision"], 12 / 13)
        fm = bucket(s, "near/format")
        self.assertEqual((fm["recall"], fm["accepted_alt_kind"]), (1.0, 1))
        self.assertAlmostEqual(bucket(s, "partial/mix/40%")["share_mae"], 0.1)

    def test_sibling_and_missing_rows(self):
        ex = copy.deepcopy(self.export)
        ids = {lab["line"]: r["id"] for r, lab in zip(ex, self.labels)}
        lab = next(x for x in self.labels if x.get("bucket") == "spun/synonyms/10%")
        sib = next(x for x in self.labels if x.get("bucket") == "exact/identical" and x["source_line"] == lab["source_line"])
        ex[lab["line"] - 1]["derived_from"] = [{"id": ids[sib["line"]], "kind": "spun", "reused_share": 1.0}]
        gone = next(x for x in self.labels if x.get("bucket") == "partial/truncate/50-70%")
        del ex[gone["line"] - 1]
        s = run(ex, self.labels)
        b = bucket(s, "spun/synonyms/10%")
        self.assertEqual((b["tp"], b["sibling_entries"]), (2, 1))
        self.assertEqual(s["missing_rows"], 1)
        self.assertAlmostEqual(bucket(s, "partial/truncate/50-70%")["recall"], 2 / 3)

    def test_invalid_evidence_is_counted(self):
        ex = copy.deepcopy(self.export)
        r = next(r for r in ex if r["derived_from"])
        r["derived_from"][0]["evidence"] = [{"source": [0, 99999], "copy": [0, 5], "similarity": 1.0}]
        s = run(ex, self.labels)
        self.assertEqual(s["evidence"]["invalid spans"], 1)

    def test_ari_known_values(self):
        self.assertEqual(evaluate.ari([0, 0, 1, 1], [5, 5, 6, 6]), 1.0)
        self.assertAlmostEqual(evaluate.ari([0, 0, 1, 1], [0, 1, 0, 1]), -0.5)
        self.assertEqual(evaluate.ari([1, 2, 3], [1, 2, 3]), 1.0)

    def test_cli_exit_codes(self):
        with tempfile.TemporaryDirectory() as d:
            e, lab = Path(d, "e.jsonl"), Path(d, "l.jsonl")
            e.write_text("".join(json.dumps(r) + "\n" for r in self.export))
            lab.write_text("".join(json.dumps(x) + "\n" for x in self.labels))
            buf = io.StringIO()
            with redirect_stdout(buf):
                self.assertEqual(evaluate.main([str(e), str(lab)]), 0)
            self.assertIn("PASS", buf.getvalue())
            self.assertNotIn("FAIL", buf.getvalue())
            buf = io.StringIO()
            with redirect_stdout(buf):
                self.assertEqual(evaluate.main([str(e), str(lab), "--json"]), 0)
            self.assertTrue(json.loads(buf.getvalue())["all_targets_pass"])
            e.write_text('{"id": "x", "source": "no-line-number"}\n')
            with redirect_stderr(io.StringIO()):
                self.assertEqual(evaluate.main([str(e), str(lab)]), 2)
            e.write_text("not json\n")
            with redirect_stderr(io.StringIO()):
                self.assertEqual(evaluate.main([str(e), str(lab)]), 2)

    def test_generated_labels_if_present(self):
        path = HERE / "out" / "labels.jsonl"
        if not path.exists():
            self.skipTest("no bench/reuse/out/labels.jsonl (run generate.py)")
        labels = [json.loads(x) for x in path.open(encoding="utf-8")]
        s = run(perfect_export(labels), labels)
        self.assertTrue(s["all_targets_pass"])
        self.assertEqual(s["ari"], 1.0)
        self.assertTrue(all(r["recall"] == 1.0 for r in s["buckets"] if r["kind"] != "none"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
