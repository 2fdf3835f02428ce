#!/usr/bin/env python3
"""Page metadata: presswatch vs the expected metadata of Mozilla Readability's test pages.

usage (from the repository root, after `cargo build --release -p presswatch`):
    python3 bench/metadata/readability.py [SET_DIR] [--ours FILE] [--out DIR]

SET_DIR defaults to ../shared/bench/extraction-dev/readability (html/*.html.gz and
ground-truth.json, whose entries carry `title`, `byline`, `siteName`, `publishedTime`, `lang`
where Readability's tests state them). Runs `target/release/presswatch extract --jsonl` over the
pages (or reads --ours), prints agreement per field and writes every disagreement, one JSON line
each, to OUT/readability-disagreements.jsonl (id, field, ours, expected).

Fields compared (only on pages whose ground truth states the field; a stated empty value counts
as "expected empty"):
    title      ours `title` vs `title`: NFKC, quotes/dashes unified, whitespace collapsed, case
               folded. Readability keeps the whole <title> minus a site suffix when it can, so a
               title that is a prefix/suffix of theirs (or the reverse) at a " - " / " | "
               boundary is counted as "near".
    byline     ours `authors` (joined) vs `byline`: agree when every name we give occurs in
               the byline text (case-folded), and the byline names no person we miss ("near":
               some overlap).
    siteName   ours `outlet` vs `siteName`: letters and digits only, case folded.
    published  ours `published` vs `publishedTime`: the calendar day (first YYYY-MM-DD).
    lang       ours `language` vs `lang`: the primary subtag (`en-US` -> `en`).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

FIELDS = ["title", "byline", "siteName", "publishedTime", "lang"]


def norm_text(s):
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", s)
    s = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb]", '"', s)
    s = re.sub(r"[\u2012\u2013\u2014\u2015\u2212]", "-", s)
    s = s.replace("\u2026", "...")
    s = re.sub(r"\s+", " ", s).strip().casefold()
    return s


def alnum(s):
    return "".join(c for c in norm_text(s) if c.isalnum())


def day(s):
    m = re.search(r"\d{4}-\d{2}-\d{2}", s or "")
    return m.group(0) if m else ""


def compare(field, ours, want):
    """-> 'agree' | 'near' | 'both empty' | 'only ours' | 'only expected' | 'differ'"""
    if field == "title":
        a, b = norm_text(ours), norm_text(want)
    elif field == "byline":
        a = norm_text(", ".join(ours or []))
        b = norm_text(want)
    elif field == "siteName":
        a, b = alnum(ours), alnum(want)
    elif field == "publishedTime":
        a, b = day(ours), day(want)
        if not b and want:
            b = norm_text(want)  # not a machine date: compare as text (will differ)
    else:  # lang
        a = (ours or "").split("-")[0].lower()
        b = (want or "").split("-")[0].lower()
    if not a and not b:
        return "both empty"
    if not b:
        return "only ours"
    if not a:
        return "only expected"
    if a == b:
        return "agree"
    if field == "title":
        for sep in (" - ", " | ", " — ", " : ", " · "):
            if b.startswith(a + sep.strip()) or b.startswith(a + sep) or b.endswith(sep + a) or a.startswith(b + sep) or a.endswith(sep + b):
                return "near"
    if field == "byline":
        names = [norm_text(n) for n in (ours or [])]
        hit = [n for n in names if n and n in b]
        if hit and len(hit) == len(names):
            return "agree"
        if hit:
            return "near"
    return "differ"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set_dir", nargs="?", default="../shared/bench/extraction-dev/readability")
    ap.add_argument("--ours", help="an existing `presswatch extract --jsonl` output")
    ap.add_argument("--out", default="bench/metadata/out")
    args = ap.parse_args()

    truth = json.load(open(os.path.join(args.set_dir, "ground-truth.json")))
    if args.ours:
        lines = open(args.ours, encoding="utf-8").read().splitlines()
    else:
        run = subprocess.run(
            ["target/release/presswatch", "extract", "--jsonl", os.path.join(args.set_dir, "html")],
            capture_output=True, text=True, check=False)
        lines = run.stdout.splitlines()
    ours = {}
    for line in lines:
        rec = json.loads(line)
        ours[rec["id"]] = rec

    key_of = {"title": "title", "byline": "authors", "siteName": "outlet", "publishedTime": "published", "lang": "language"}
    table = {f: {} for f in FIELDS}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "readability-disagreements.jsonl"), "w", encoding="utf-8") as dis:
        for pid, gt in sorted(truth.items()):
            rec = ours.get(pid, {})
            for f in FIELDS:
                if f not in gt:
                    continue
                got = rec.get(key_of[f])
                cls = compare(f, got, gt[f])
                table[f][cls] = table[f].get(cls, 0) + 1
                if cls not in ("agree", "both empty"):
                    dis.write(json.dumps({"id": pid, "field": f, "class": cls, "ours": got, "expected": gt[f]}, ensure_ascii=False) + "\n")

    classes = ["agree", "near", "both empty", "only ours", "only expected", "differ"]
    print("| field | pages | " + " | ".join(classes) + " | agree+both empty |")
    print("|---|---" + "|---" * len(classes) + "|---|")
    for f in FIELDS:
        n = sum(table[f].values())
        ok = table[f].get("agree", 0) + table[f].get("both empty", 0)
        cells = " | ".join(str(table[f].get(c, 0)) for c in classes)
        print(f"| {f} | {n} | {cells} | {ok}/{n} ({100 * ok / max(n, 1):.0f}%) |")


if __name__ == "__main__":
    sys.exit(main())
