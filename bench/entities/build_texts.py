#!/usr/bin/env python3
"""Builds the unlabelled texts of bench/entities (texts.jsonl) from public text: the start of
article bodies (whole paragraphs, about 900 characters) from ../shared/bench/article-extraction's
ground truth (English news, 18 bodies: the first by id of the English ones of 1,500+ characters), the
French and German pages of ../shared/bench/extraction-dev/readability, paragraphs of the
bundled seeds (tests/fixtures/seeds), and the German, French and Russian texts of
bench/quotes (written for that set). The gold labels (gold_dev.jsonl, gold_test.jsonl) were
made from these by hand (see README.md).

    python3 bench/entities/build_texts.py /work/shared > bench/entities/texts.jsonl
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def excerpt(body, limit=900):
    paras = [" ".join(p.split()) for p in body.replace("\r", "").split("\n") if p.strip()]
    out = []
    for p in paras:
        if out and sum(len(x) + 2 for x in out) + len(p) > limit:
            break
        out.append(p)
    return "\n\n".join(out)[: limit * 2]


def main(shared):
    docs = []
    truth = json.load(open(os.path.join(shared, "bench/article-extraction/ground-truth.json")))
    english = lambda t: t.count(" the ") >= 8
    picked = [k for k in sorted(truth) if len(truth[k]["articleBody"]) >= 1500 and english(truth[k]["articleBody"])][:18]
    for i, k in enumerate(picked):
        docs.append({"id": f"en-body-{i + 1:02d}", "lang": "en", "source": f"article-extraction {k[:12]}",
                     "text": excerpt(truth[k]["articleBody"])})
    rd = json.load(open(os.path.join(shared, "bench/extraction-dev/readability/ground-truth.json")))
    for k, lang in [("readability-liberation-1", "fr"), ("readability-lemonde-1", "fr"),
                    ("readability-videos-2", "fr"), ("readability-heise", "de")]:
        docs.append({"id": f"{lang}-{k.split('-', 1)[1]}", "lang": lang, "source": k, "text": excerpt(rd[k]["articleBody"])})
    seeds = sorted(os.listdir(os.path.join(ROOT, "tests/fixtures/seeds")))
    for name, needle in [("001", "G7 Foreign Ministers"), ("003", "Meanwhile, Russian Deputy"), ("004", "Secretary of State Antony")]:
        path = [s for s in seeds if s.startswith(name)][0]
        text = open(os.path.join(ROOT, "tests/fixtures/seeds", path)).read()
        at = text.find(needle)
        para = text[at:].split("\n\n")[0] if at >= 0 else ""
        docs.append({"id": f"en-seed-{name}", "lang": "en", "source": f"seed {path}", "text": " ".join(para.split())[:1200]})
    for split in ["dev", "test"]:
        for line in open(os.path.join(ROOT, f"bench/quotes/gold_{split}.jsonl")):
            d = json.loads(line)
            if d["lang"] in ("de", "fr", "ru"):
                docs.append({"id": f"q-{d['id']}", "lang": d["lang"], "source": f"bench/quotes {d['id']}", "text": d["text"]})
    for d in docs:
        print(json.dumps(d, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
