#!/usr/bin/env python3
"""Builds the `bodies`, `bodies2` and `bodies3` splits of bench/quotes from public article bodies:
the cut texts, and with --labels the gold file (the texts with their hand-written labels).

    python3 bench/quotes/build_bodies.py /work/shared > /tmp/bodies.jsonl          # texts only
    python3 bench/quotes/build_bodies.py /work/shared --labels bench/quotes/bodies_labels.txt \\
        > bench/quotes/gold_bodies.jsonl
    python3 bench/quotes/build_bodies.py /work/shared --split bodies2 \\
        --labels bench/quotes/bodies2_labels.txt > bench/quotes/gold_bodies2.jsonl
    python3 bench/quotes/build_bodies.py /work/shared --split bodies3 \\
        --labels bench/quotes/bodies3_labels.txt > bench/quotes/gold_bodies3.jsonl

Selection (fixed before any text was read; presswatch's output plays no part): the ground-truth
bodies of ../shared/bench/article-extraction (first 25 by id) and of
../shared/bench/extraction-dev/dragnet (first 20 by id) that are English (" the " 8+ times),
have no U+FFFD (the dragnet pages whose quotation marks were lost in decoding) and have a
paragraph of at most 1,500 characters with a speech cue (the word said, says, told or
"according to"). `bodies2` (--split bodies2): the same rule, the next qualifying texts by id
(article-extraction 26-50, dragnet 21-40: those after the ones `bodies` took) and the first 10
of ../shared/bench/extraction-dev/readability (same `articleBody` field). `bodies3` (--split
bodies3): the next again (article-extraction 51-75, dragnet 41-60, readability 11-20). The cut:
whole paragraphs (white space inside each collapsed), from the paragraph before the first cue
paragraph (when it has 80+ characters: prose, not a dateline or headline) or else the cue
paragraph itself, on while the text stays within 1,500 characters.
"""
import json
import os
import re
import sys

LIMIT = 1500
CUE = re.compile(r"\b(said|says|told|according to)\b")
# split: [(name, ground truth under the shared folder, id prefix, qualifying texts skipped, taken)]
SPLITS = {
    "bodies": [("article-extraction", "bench/article-extraction/ground-truth.json", "ae", 0, 25),
               ("dragnet", "bench/extraction-dev/dragnet/ground-truth.json", "dn", 0, 20)],
    "bodies2": [("article-extraction", "bench/article-extraction/ground-truth.json", "ae", 25, 25),
                ("dragnet", "bench/extraction-dev/dragnet/ground-truth.json", "dn", 20, 20),
                ("readability", "bench/extraction-dev/readability/ground-truth.json", "rd", 0, 10)],
    "bodies3": [("article-extraction", "bench/article-extraction/ground-truth.json", "ae", 50, 25),
                ("dragnet", "bench/extraction-dev/dragnet/ground-truth.json", "dn", 40, 20),
                ("readability", "bench/extraction-dev/readability/ground-truth.json", "rd", 10, 10)],
}


def paragraphs(body):
    return [" ".join(p.split()) for p in body.replace("\r", "").split("\n") if p.strip()]


def cut(body):
    """The excerpt of `body` (paragraphs joined by a blank line), or None if it has no cue."""
    paras = paragraphs(body)
    first = next((i for i, p in enumerate(paras) if len(p) <= LIMIT and CUE.search(p)), None)
    if first is None:
        return None
    start = first - 1 if first > 0 and len(paras[first - 1]) >= 80 and len(paras[first - 1]) + 2 + len(paras[first]) <= LIMIT else first
    out = []
    for p in paras[start:]:
        if out and sum(len(x) + 2 for x in out) + len(p) > LIMIT:
            break
        out.append(p)
    return "\n\n".join(out)


def texts(shared, split="bodies"):
    """The split's texts: per source, the qualifying bodies by id, the first `skip` passed over,
    the next `n` taken; ids number the qualifying bodies (ae26 is the 26th)."""
    docs = []
    for name, path, short, skip, n in SPLITS[split]:
        truth = json.load(open(os.path.join(shared, path), encoding="utf-8"))
        seen = 0
        for k in sorted(truth):
            body = truth[k]["articleBody"] or ""
            if seen == skip + n or body.count(" the ") < 8 or "\ufffd" in body:
                continue
            text = cut(body)
            if text is None:
                continue
            seen += 1
            if seen > skip:
                docs.append({"id": f"{short}{seen:02d}", "lang": "en", "source": f"{name} {k}", "text": text})
    return docs


def read_labels(path):
    """The labels file: `# ID` opens a text; then one quote a line, `KIND | SPEAKER | PIECE || PIECE`
    (KIND d, i or m; SPEAKER a name or -, for null); blank lines and `%` comments are skipped."""
    labels, cur = {}, None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("%"):
            continue
        if line.startswith("# "):
            cur = line[2:].strip()
            labels[cur] = []
            continue
        kind, speaker, pieces = (x.strip() for x in line.split("|", 2))
        kind = {"d": "direct", "i": "indirect", "m": "mixed"}[kind]
        labels[cur].append({"content": [p.strip() for p in pieces.split("||")],
                            "speaker": None if speaker == "-" else speaker, "kind": kind})
    return labels


def main():
    args = sys.argv[1:]
    split = args[args.index("--split") + 1] if "--split" in args else "bodies"
    docs = texts(args[0], split)
    if "--labels" in args:
        labels = read_labels(args[args.index("--labels") + 1])
        for d in docs:
            d["quotes"] = labels.pop(d["id"])
            for q in d["quotes"]:
                for c in q["content"]:
                    if c not in d["text"]:
                        sys.exit(f"{d['id']}: not in the text: {c!r}")
        if labels:
            sys.exit(f"labels for no text: {sorted(labels)}")
    for d in docs:
        print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    main()
