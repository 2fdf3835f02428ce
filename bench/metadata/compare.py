#!/usr/bin/env python3
"""Page metadata: presswatch vs Python trafilatura, field by field, on the 181 benchmark pages.

usage (from the repository root):
    bench/extraction/.venv/bin/python bench/metadata/compare.py [BENCH_DIR] [--out DIR] [--no-build]

BENCH_DIR defaults to /work/shared/bench/article-extraction (html/*.html.gz + ground-truth.json).
Writes into --out (default bench/metadata/out/):
    trafilatura.jsonl   trafilatura.extract_metadata(html) per page (cached; delete to recompute)
    ours.jsonl          `presswatch extract --jsonl` (the full export record, after `clean`)
    draft.jsonl         our Draft.meta (before `clean`), read from the debug_page example
    disagreements.jsonl one line per (page, field) where the two disagree, with both raw values
and prints the agreement table.

Sources compared
    ours, title/published/authors/outlet/url: the export record (what a user of presswatch sees).
    ours, image: Draft.meta.image (the page's og:image-like main image) taken from
        `target/release/examples/debug_page PAGE 0` ("--- meta: Metadata {...}" line), because the
        export has no main-image field (its `images` are the in-body figures).
    theirs: trafilatura.extract_metadata(html) with no default_url (both sides see only the HTML).

Normalization before comparing (a value that normalizes to "" counts as empty)
    title     Unicode NFKC, curly quotes -> straight, dashes (– — ‒ −) -> "-", "…" -> "...",
              whitespace collapsed, case folded, trailing " ." stripped.
    published the calendar day: the first YYYY-MM-DD in the string (ours is ISO 8601 after clean;
              trafilatura/htmldate gives YYYY-MM-DD). A time/zone is ignored.
    authors   set of names, each NFKC + whitespace-collapsed + case-folded, dots and a leading
              "by " dropped; trafilatura's "A; B" string is split on ";". Equal sets agree.
    outlet    NFKC, case folded, a leading "@" / "www." and a trailing TLD-looking ".com" style
              suffix dropped, then only letters and digits kept ("The Verge" == "theverge").
    url/image scheme dropped, host lower-cased, leading "www." dropped, fragment dropped, tracking
              query parameters (utm_*, fbclid, gclid, ocid, ref, cmpid, mc_cid, mc_eid) dropped,
              trailing "/" dropped. Relative image URLs are kept as they are.
Categories: agree (both non-empty and equal after normalization), both empty, only ours,
only theirs, differ.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit

FIELDS = ["title", "published", "authors", "outlet", "url", "image"]
TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|ocid|ref|cmpid|mc_cid|mc_eid|cmp|src)$", re.I)


def nfkc(s):
    return unicodedata.normalize("NFKC", s or "")


def norm_title(s):
    s = nfkc(s)
    for a, b in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"),
                 ("‒", "-"), ("−", "-"), ("…", "...")):
        s = s.replace(a, b)
    s = " ".join(s.split()).casefold()
    return s.rstrip(" .")


def norm_date(s):
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", s or "")
    return "-".join(m.groups()) if m else ""


def norm_person(s):
    s = " ".join(nfkc(s).replace(".", " ").split()).casefold()
    if s.startswith("by "):
        s = s[3:]
    return s


def norm_authors(v):
    if isinstance(v, str):
        v = v.split(";")
    return frozenset(p for p in (norm_person(x) for x in (v or [])) if p)


def norm_outlet(s):
    s = nfkc(s).casefold().strip().lstrip("@")
    if s.startswith("www."):
        s = s[4:]
    s = re.sub(r"\.(com|org|net|co\.uk|co|io|news|de|fr|ru|pl)$", "", s)
    return "".join(ch for ch in s if ch.isalnum())


def norm_url(s):
    s = (s or "").strip()
    if not s:
        return ""
    if s.startswith("//"):
        s = "https:" + s
    p = urlsplit(s)
    host = p.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    q = urlencode([(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True) if not TRACKING.match(k)])
    out = host + p.path + ("?" + q if q else "")
    return out.rstrip("/")


NORM = {
    "title": norm_title,
    "published": norm_date,
    "authors": norm_authors,
    "outlet": norm_outlet,
    "url": norm_url,
    "image": norm_url,
}


# ---- reading Rust `{:?}` output of presswatch_model::Metadata ------------------------------------

def parse_rust_debug_meta(line):
    """Parses `Metadata { title: Some("x"), authors: ["a", "b"], url: None, ... }`."""
    out, i, n = {}, line.find("{") + 1, len(line)

    def read_str(i):
        assert line[i] == '"'
        i += 1
        buf = []
        while i < n and line[i] != '"':
            c = line[i]
            if c == "\\":
                e = line[i + 1]
                if e == "u":
                    j = line.index("}", i)
                    buf.append(chr(int(line[i + 3:j], 16)))
                    i = j + 1
                    continue
                buf.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e, e))
                i += 2
                continue
            buf.append(c)
            i += 1
        return "".join(buf), i + 1

    while i < n:
        m = re.compile(r"\s*(\w+): ").match(line, i)
        if not m:
            break
        key, i = m.group(1), m.end()
        if line.startswith("None", i):
            out[key], i = None, i + 4
        elif line.startswith('Some("', i):
            out[key], i = read_str(i + 5)
            i += 1  # ")"
        elif line[i] == "[":
            i += 1
            items = []
            while line[i] != "]":
                if line[i] == '"':
                    s, i = read_str(i)
                    items.append(s)
                else:
                    i += 1
            out[key], i = items, i + 1
        else:
            break
        if line.startswith(", ", i):
            i += 2
    return out


# ---- running both sides --------------------------------------------------------------------------

def run_trafilatura(pages, path):
    cache = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                d = json.loads(line)
                cache[d["id"]] = d
    missing = [p for p in pages if p not in cache]
    if missing:
        import trafilatura  # noqa: imported late so --help works without the venv
        for pid in missing:
            html = gzip.open(pages[pid], "rt", encoding="utf-8", errors="replace").read()
            m = trafilatura.extract_metadata(html)
            cache[pid] = {
                "id": pid,
                "title": m.title, "published": m.date, "authors": m.author, "outlet": m.sitename,
                "url": m.url, "image": m.image,
            }
        with open(path, "w") as f:
            for pid in sorted(cache):
                f.write(json.dumps(cache[pid], ensure_ascii=False) + "\n")
    return cache


def run_ours(bench, out, build):
    if build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "presswatch"], check=True)
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "presswatch-extract",
                        "--example", "debug_page"], check=True)
    res = subprocess.run(["./target/release/presswatch", "extract", "--jsonl", "-q",
                          os.path.join(bench, "html")], capture_output=True, text=True)
    ours = {}
    with open(os.path.join(out, "ours.jsonl"), "w") as f:
        for line in res.stdout.splitlines():
            d = json.loads(line)
            d.pop("blocks", None)
            d.pop("removed", None)
            d.pop("text", None)
            ours[d["id"]] = d
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return ours


def run_draft(pages, out):
    draft = {}
    with open(os.path.join(out, "draft.jsonl"), "w") as f:
        for pid, path in sorted(pages.items()):
            res = subprocess.run(["./target/release/examples/debug_page", path, "0"],
                                 capture_output=True, text=True)
            line = next((x for x in res.stdout.splitlines() if x.startswith("--- meta: ")), "")
            d = parse_rust_debug_meta(line[len("--- meta: "):])
            d["id"] = pid
            draft[pid] = d
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return draft


def classify(a, b):
    if not a and not b:
        return "both empty"
    if a and not b:
        return "only ours"
    if b and not a:
        return "only theirs"
    return "agree" if a == b else "differ"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("bench", nargs="?", default="/work/shared/bench/article-extraction")
    ap.add_argument("--out", default="bench/metadata/out")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    hdir = os.path.join(args.bench, "html")
    pages = {f[:-len(".html.gz")]: os.path.join(hdir, f) for f in os.listdir(hdir) if f.endswith(".html.gz")}
    truth = json.load(open(os.path.join(args.bench, "ground-truth.json")))

    theirs = run_trafilatura(pages, os.path.join(args.out, "trafilatura.jsonl"))
    ours = run_ours(args.bench, args.out, not args.no_build)
    draft = run_draft(pages, args.out)

    cats = ["agree", "both empty", "only ours", "only theirs", "differ"]
    table = {f: dict.fromkeys(cats, 0) for f in FIELDS}
    with open(os.path.join(args.out, "disagreements.jsonl"), "w") as dis:
        for pid in sorted(pages):
            o, t, d = ours.get(pid, {}), theirs.get(pid, {}), draft.get(pid, {})
            for field in FIELDS:
                ov = d.get("image") if field == "image" else o.get(field)
                tv = t.get(field)
                c = classify(NORM[field](ov), NORM[field](tv))
                table[field][c] += 1
                if c not in ("agree", "both empty"):
                    dis.write(json.dumps({
                        "id": pid, "field": field, "class": c, "ours": ov, "theirs": tv,
                        "ours_draft": d.get(field), "page_url": truth.get(pid, {}).get("url"),
                    }, ensure_ascii=False) + "\n")

    n = len(pages)
    print(f"pages: {n}  (ours: export record; image: Draft.meta.image; theirs: trafilatura.extract_metadata)")
    print(f"| field | {' | '.join(cats)} | agree+both empty |")
    print("|---" * (len(cats) + 2) + "|")
    for f in FIELDS:
        r = table[f]
        ok = r["agree"] + r["both empty"]
        print(f"| {f} | {' | '.join(str(r[c]) for c in cats)} | {ok}/{n} ({100 * ok / n:.0f}%) |")
    print(f"disagreements: {os.path.join(args.out, 'disagreements.jsonl')}", file=sys.stderr)


if __name__ == "__main__":
    main()
