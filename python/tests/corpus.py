"""A small test corpus with copies of every kind, made from the seeds (tests/fixtures/seeds).

Deterministic (a seeded generator). Writes into DIR:

- `a/feed.jsonl`: originals (each seed's paragraphs, and synthetic articles), and copies of
  them: exact (same words, another outlet and case), near (a sentence or paragraph dropped),
  partial (a few paragraphs among new text), reordered (paragraphs shuffled), spun (synonyms
  and misspellings), copies of copies, a copy dated before its original; an outlet whose
  articles all end with the same "about us" paragraph (outlet boilerplate); a record with no
  text (rejected); a record repeated byte for byte (one document).
- `a/more.jsonl.gz`: more of the same, gzip-compressed.
- `b/crawl.warc`: HTML pages (WARC response records) holding copies.
- `b/page.html`, `c/notes.txt`: single documents.

    python3 python/tests/corpus.py DIR [--docs N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

SYNONYMS = {
    "said": "stated", "big": "large", "large": "big", "country": "nation", "countries": "nations",
    "president": "leader", "talks": "negotiations", "war": "conflict", "help": "assist",
    "important": "crucial", "officials": "authorities", "new": "fresh", "start": "begin",
    "began": "started", "warned": "cautioned", "strong": "powerful", "military": "armed",
    "border": "frontier", "threat": "danger", "support": "backing", "meeting": "gathering",
    "security": "safety", "major": "key", "clear": "plain", "week": "seven days",
    "economic": "financial", "government": "administration", "however": "but",
    "also": "additionally", "would": "could", "people": "citizens", "leaders": "heads",
}


def paragraphs_of(path: Path) -> list[str]:
    """The seed's prose as paragraphs of three sentences (markup, front matter and short
    lines such as headings, datelines and teasers left out)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?s)^---.*?---", " ", text)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    prose = " ".join(line for line in lines if len(line) > 80)
    sentences = [s for s in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", prose) if len(s) > 30]
    return [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)][:12]


def prose(rng: random.Random, words: list[str], sentences: int) -> list[str]:
    out = []
    for _ in range(sentences):
        n = rng.randint(12, 24)
        s = " ".join(rng.choice(words) for _ in range(n))
        out.append(s[0].upper() + s[1:] + ".")
    paras, i = [], 0
    while i < len(out):
        k = rng.randint(2, 4)
        paras.append(" ".join(out[i:i + k]))
        i += k
    return paras


def spin(rng: random.Random, para: str, share: float) -> str:
    words = para.split(" ")
    for i, w in enumerate(words):
        core = w.strip(".,;:“”\"'’")
        if core.lower() in SYNONYMS and rng.random() < share * 3:
            words[i] = w.replace(core, SYNONYMS[core.lower()])
        elif len(core) >= 7 and core.isalpha() and rng.random() < share / 4:
            j = rng.randrange(1, len(core) - 1)
            words[i] = w.replace(core, core[:j] + core[j + 1:])
    return " ".join(words)


def drop_sentence(rng: random.Random, paras: list[str]) -> list[str]:
    paras = list(paras)
    i = rng.randrange(len(paras))
    sentences = re.split(r"(?<=[.!?”]) ", paras[i])
    if len(sentences) > 1:
        sentences.pop(rng.randrange(len(sentences)))
        paras[i] = " ".join(sentences)
    else:
        paras.pop(i)
    return paras


def build(out: Path, docs: int = 300, seed: int = 16) -> int:
    rng = random.Random(seed)
    seeds = [paragraphs_of(p) for p in sorted(SEEDS.glob("*.txt"))]
    words = [w.strip(".,;:“”\"'’()").lower() for s in seeds for p in s for w in p.split()]
    words = [w for w in words if w.isalpha() and len(w) > 2]
    originals: list[dict] = []
    for i, paras in enumerate(seeds):
        originals.append({"paras": paras, "outlet": f"seed{i}.example", "day": 10 + i})
    for i in range(10):
        originals.append({"paras": prose(rng, words, rng.randint(10, 18)), "outlet": f"wire{i % 3}.example", "day": 1 + i})

    records: list[dict] = []

    def add(paras, outlet, day, title, month=3):
        records.append(
            {
                "url": f"https://{outlet}/{len(records)}",
                "title": title,
                "outlet": outlet,
                "published": f"2022-{month:02d}-{day:02d}",
                "text": "\n\n".join(paras),
            }
        )

    for n, o in enumerate(originals):
        add(o["paras"], o["outlet"], o["day"], f"Original {n}")
    kinds = ["exact", "near", "partial", "reordered", "spun", "spun_hard", "copy_of_copy", "earlier"]
    n = 0
    while len(records) < docs - 20:
        o = originals[n % len(originals)]
        kind = kinds[(n // len(originals)) % len(kinds)]
        n += 1
        paras = o["paras"]
        outlet = f"copier{n % 7}.example"
        day, month = min(o["day"] + 1 + n % 5, 28), 3
        if kind == "exact":
            new = [p.upper() if n % 2 else p for p in paras]
        elif kind == "near":
            new = drop_sentence(rng, paras)
        elif kind == "partial":
            k = max(2, len(paras) // 3)
            start = rng.randrange(0, max(1, len(paras) - k))
            new = prose(rng, words, 8) + paras[start:start + k] + prose(rng, words, 6)
        elif kind == "reordered":
            new = list(paras)
            rng.shuffle(new)
        elif kind == "spun":
            new = [spin(rng, p, 0.08) for p in paras]
        elif kind == "spun_hard":
            new = [spin(rng, p, 0.2) for p in paras]
        elif kind == "copy_of_copy":
            new = drop_sentence(rng, drop_sentence(rng, paras))
        else:  # a copy dated before the original: the source by published day
            new = list(paras)
            month = 2
        add(new, outlet, day, f"{kind} {n}", month)
    # One outlet's standing "about us" paragraph under every article.
    about = (
        "Standing Desk Review is an independent newsroom funded by its readers. We publish "
        "analysis of security policy in Europe and beyond, and we never take money from governments."
    )
    for i in range(8):
        add(prose(rng, words, 8) + [about], "standing.example", 1 + i, f"Standing {i}", 4)
    # Rejected: no text. Repeated bytes: one document.
    records.append({"url": "https://empty.example/1", "title": "Empty", "text": "   "})
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.append(lines[3])

    (out / "a").mkdir(parents=True, exist_ok=True)
    (out / "b").mkdir(parents=True, exist_ok=True)
    (out / "c").mkdir(parents=True, exist_ok=True)
    half = len(lines) * 2 // 3
    (out / "a" / "feed.jsonl").write_text("\n".join(lines[:half]) + "\n", encoding="utf-8")
    with gzip.open(out / "a" / "more.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines[half:]) + "\n")

    # WARC: HTML pages copying originals (exact and reordered), each a response record.
    warc = bytearray()
    for i, o in enumerate(originals[:8]):
        paras = list(o["paras"])
        if i % 2:
            rng.shuffle(paras)
        body = "".join(f"<p>{p}</p>" for p in paras)
        html = (
            f"<!doctype html><html><head><title>Page {i}</title>"
            f'<meta property="og:site_name" content="Crawled {i}">'
            f'<meta property="article:published_time" content="2022-03-{20 + i:02d}"></head>'
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>Page {i}</h1>{body}</article><footer>© Crawled {i}</footer></body></html>"
        ).encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Target-URI: https://crawled{i}.example/story/{i}\r\n"
            f"WARC-Date: 2022-03-{20 + i:02d}T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{i:012d}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n"
        ).encode()
        warc += head + http + b"\r\n\r\n"
    (out / "b" / "crawl.warc").write_bytes(bytes(warc))
    page = "".join(f"<p>{p}</p>" for p in drop_sentence(rng, originals[1]["paras"]))
    (out / "b" / "page.html").write_text(
        f"<html><head><title>A page</title></head><body><article><h1>A page</h1>{page}</article></body></html>",
        encoding="utf-8",
    )
    (out / "c" / "notes.txt").write_text(
        "Notes\n\n" + "\n\n".join(spin(rng, p, 0.05) for p in originals[2]["paras"]) + "\n", encoding="utf-8"
    )
    return len(lines) + 8 + 2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=300)
    args = ap.parse_args()
    n = build(Path(args.out), args.docs)
    print(f"{n} records in {args.out}")


if __name__ == "__main__":
    main()
