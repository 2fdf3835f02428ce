#!/usr/bin/env python3
"""Write N synthetic ~3 KB English-like documents as JSON Lines {"id", "text"}.

For local testing of the provenance / near-duplicate benchmarks only (the Rust
bench writes its own input in the same shape).

Text model: sentences of 6-28 tokens; each token is a real English function word
(~45%) or a pseudo-word drawn from a Zipf-Mandelbrot-distributed vocabulary (~55%).
About --dup-rate of the documents (default 5%) are near-duplicates of an earlier
document: a few words substituted, sometimes a sentence dropped or one appended.
Deterministic for a given --seed. Prints a summary on stderr.

Usage: make_docs.py N OUT.jsonl [--seed S] [--dup-rate R] [--vocab V]
"""

import argparse
import itertools
import json
import random
import sys

FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they "
    "which one you were her all she there would their we him been has when who will more no if out so said what up "
    "its about into than them can only other new some could time these two may then do first any my now such like "
    "our over man me even most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world still own see men work "
    "long get here between both life being under never day same another know while last might us great old year "
    "off come since against go came right used take three"
).split()

SYLLABLES = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go gu ha he hi ho la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi ya yo za ze "
    "tion ment ing er est ly al ous ive ber ter ston land ford ham"
).split()


def build_vocab(rng: random.Random, size: int) -> list[str]:
    seen = set(FUNCTION_WORDS)
    vocab = []
    while len(vocab) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            vocab.append(word)
    return vocab


def zipf_cum_weights(n: int, exponent: float, offset: float = 0.0) -> list[float]:
    """Zipf-Mandelbrot weights 1 / (rank + offset)^exponent, cumulated for random.choices."""
    return list(itertools.accumulate(1.0 / ((rank + offset) ** exponent) for rank in range(1, n + 1)))


class TextModel:
    def __init__(self, rng: random.Random, vocab_size: int):
        self.rng = rng
        self.vocab = build_vocab(rng, vocab_size)
        self.vocab_cw = zipf_cum_weights(len(self.vocab), 1.05, offset=20.0)
        self.func_cw = zipf_cum_weights(len(FUNCTION_WORDS), 0.9)

    def words(self, k: int) -> list[str]:
        rng = self.rng
        content = rng.choices(self.vocab, cum_weights=self.vocab_cw, k=k)
        func = rng.choices(FUNCTION_WORDS, cum_weights=self.func_cw, k=k)
        return [f if rng.random() < 0.45 else c for f, c in zip(func, content)]

    def sentence(self) -> str:
        rng = self.rng
        words = self.words(rng.randint(6, 28))
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] += ","
        if rng.random() < 0.1:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 2030)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ".", "?", "!"))

    def document(self, target_bytes: int) -> list[list[str]]:
        """Paragraphs of sentences, about target_bytes long."""
        rng = self.rng
        paragraphs: list[list[str]] = []
        size = 0
        while size < target_bytes:
            para = []
            for _ in range(rng.randint(2, 6)):
                s = self.sentence()
                para.append(s)
                size += len(s) + 1
                if size >= target_bytes:
                    break
            paragraphs.append(para)
        return paragraphs

    def near_duplicate(self, paragraphs: list[list[str]]) -> list[list[str]]:
        """Copy with ~0.5-2% of the words substituted and sometimes a sentence dropped/added."""
        rng = self.rng
        paras = [list(p) for p in paragraphs]
        sentences = [(pi, si) for pi, p in enumerate(paras) for si in range(len(p))]
        n_words = sum(len(paras[pi][si].split()) for pi, si in sentences)
        for _ in range(max(1, int(n_words * rng.uniform(0.005, 0.02)))):
            pi, si = rng.choice(sentences)
            words = paras[pi][si].split()
            words[rng.randrange(len(words))] = self.words(1)[0]
            paras[pi][si] = " ".join(words)
        r = rng.random()
        if r < 0.25 and len(sentences) > 1:
            pi, si = rng.choice(sentences)
            if len(paras[pi]) > 1:
                del paras[pi][si]
        elif r < 0.5:
            paras[-1].append(self.sentence())
        return paras


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--dup-rate", type=float, default=0.05)
    ap.add_argument("--vocab", type=int, default=50_000)
    ap.add_argument("--bytes", type=int, default=3000, help="mean document size (default 3000)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    model = TextModel(rng, args.vocab)
    # Bounded reservoir of earlier originals, so memory stays flat for 1M documents.
    reservoir: list[list[list[str]]] = []
    reservoir_cap = 5000
    originals = 0
    dups = 0
    total_bytes = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.n):
            if reservoir and rng.random() < args.dup_rate:
                paras = model.near_duplicate(rng.choice(reservoir))
                dups += 1
            else:
                paras = model.document(int(args.bytes * rng.uniform(0.8, 1.2)))
                originals += 1
                if len(reservoir) < reservoir_cap:
                    reservoir.append(paras)
                else:
                    reservoir[rng.randrange(reservoir_cap)] = paras
            text = "\n\n".join(" ".join(p) for p in paras)
            total_bytes += len(text.encode("utf-8"))
            out.write(json.dumps({"id": f"doc-{i:08d}", "text": text}, ensure_ascii=False))
            out.write("\n")
    print(
        f"wrote {args.n} docs to {args.out}: {originals} originals, {dups} near-duplicates, "
        f"mean text {total_bytes / max(args.n, 1):.0f} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
