#!/usr/bin/env python3
"""A labelled multilingual set for language identification, built from Debian's translated
manual pages: paragraphs whose language is the one the package is for.

    python3 bench/lang/build_manpages.py OUT.jsonl [--per-lang 120] [--work DIR]

Needs a Debian machine (`apt-get download`, `dpkg-deb`, `groff`); writes one JSON line per
paragraph: {"lang": ISO 639-1, "source": "<package> <page>", "text": ...}.

Why man pages: every package is one language, labelled by its maintainers (manpages-l10n and
the Japanese, Chinese and Turkish projects), public, and in a registry this machine may use.
Whatlang's trigram profiles come from the Universal Declaration of Human Rights (through
franc), so the UDHR would flatter it; man pages are text it has not been fitted to.

The catch is that a translated page keeps untranslated English where a translation is missing:
a paragraph that also stands in the English pages (`manpages`), after white space and case
are collapsed, is dropped, and so is one holding three or more of eleven English function words
that no other language of the set writes ("the", "and", "of", "with", "that", "are", "which",
"this", "from", "by", "is": English left in a page of another project); so is one that is mostly
options, paths or code, or names a copyright, a licence, an address. What is left is
running text: 150 to 600 characters, at least two sentence or clause marks, letters for at
least 60% of its characters. Pages are taken in name order (man1 first), paragraphs in page
order, at most 4 a page, until `--per-lang` paragraphs; the packages are the versions of
Debian 12 (bookworm), so the set is the same on every run.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys

# ISO 639-1 code -> Debian package (bookworm).
PACKAGES = {
    "en": "manpages", "cs": "manpages-cs", "da": "manpages-da", "de": "manpages-de",
    "el": "manpages-el", "es": "manpages-es", "fi": "manpages-fi", "fr": "manpages-fr",
    "hu": "manpages-hu", "id": "manpages-id", "it": "manpages-it", "ja": "manpages-ja",
    "mk": "manpages-mk", "nb": "manpages-nb", "nl": "manpages-nl", "pl": "manpages-pl",
    "pt": "manpages-pt-br", "ro": "manpages-ro", "ru": "manpages-ru", "sr": "manpages-sr",
    "sv": "manpages-sv", "tr": "manpages-tr", "uk": "manpages-uk", "vi": "manpages-vi",
    "zh": "manpages-zh",
}
PER_PAGE = 4
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def fetch(package, work):
    """The package's files under work/<package>."""
    root = os.path.join(work, package)
    if not os.path.isdir(root):
        os.makedirs(work, exist_ok=True)
        subprocess.run(["apt-get", "download", "-q", package], cwd=work, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deb = next(f for f in sorted(os.listdir(work)) if f.startswith(package + "_") and f.endswith(".deb"))
        subprocess.run(["dpkg-deb", "-x", os.path.join(work, deb), root], check=True)
    return root


def pages(root, lang):
    """Paths of the package's pages, man1 first, then by name."""
    found = []
    for dirpath, _, files in os.walk(os.path.join(root, "usr", "share", "man")):
        section = os.path.basename(dirpath)
        if not section.startswith("man"):
            continue
        # The English package holds only English; translated ones hold /usr/share/man/<lang>*/.
        for f in files:
            if f.endswith(".gz"):
                found.append((section != "man1", section, f, os.path.join(dirpath, f)))
    return [p for *_, p in sorted(found)]


def render(path):
    """The page as plain UTF-8 text (groff with preconv for the source's encoding)."""
    try:
        src = gzip.open(path).read()
    except OSError:
        return ""
    # One line a paragraph (a very long line length) and no hyphenation: no words cut in two.
    out = subprocess.run(["groff", "-k", "-man", "-Tutf8", "-rLL=20000n", "-rHY=0", "-P-c", "-P-b", "-P-u"],
                         input=src, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return out.stdout.decode("utf-8", "replace")


def paragraphs(text):
    """Indented body paragraphs (blank-line separated), joined to one line each; hyphenated line
    breaks undone."""
    out, cur = [], []
    for line in text.splitlines():
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
            cur = []
        elif line.startswith(" "):
            cur.append(line.strip())
        else:  # a heading or the page's header line
            if cur:
                out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return [" ".join(p.split()) for p in out]


def key(p):
    return " ".join(p.casefold().split())


def is_running_text(p):
    if not 150 <= len(p) <= 600 or "\ufffd" in p:
        return False
    if CJK.search(p):
        marks = len(re.findall(r"[。，、；：！？]", p))
    else:
        marks = len(re.findall(r"[.,;:!?](?:\s|$)", p))
    letters = sum(c.isalpha() for c in p)
    code = len(re.findall(r"(?:^|\s)(?:--?\w|/\w|\w+\(\d\)|\$\w)", p))
    boilerplate = re.search(r"copyright|gpl|https?:|www\.|@", p, re.IGNORECASE)
    return marks >= 2 and letters >= 0.6 * len(p) and code <= 2 and not boilerplate


# English function words that no other language of the set writes as words: three of them in
# a paragraph of a translated package mark English left untranslated.
ENGLISH = {"the", "and", "of", "with", "that", "are", "which", "this", "from", "by", "is"}


def left_in_english(p):
    return len(ENGLISH & set(re.findall(r"[a-z]+", p.lower()))) >= 3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--per-lang", type=int, default=120)
    ap.add_argument("--work", default="/tmp/presswatch-manpages")
    args = ap.parse_args()
    english = set()
    for path in pages(fetch(PACKAGES["en"], args.work), "en"):
        english.update(key(p) for p in paragraphs(render(path)))
    with open(args.out, "w", encoding="utf-8") as out:
        for lang, package in PACKAGES.items():
            taken = 0
            for path in pages(fetch(package, args.work), lang):
                if taken >= args.per_lang:
                    break
                n = 0
                for p in paragraphs(render(path)):
                    if n == PER_PAGE or taken >= args.per_lang:
                        break
                    if not is_running_text(p) or (lang != "en" and (key(p) in english or left_in_english(p))):
                        continue
                    source = f"{package} {os.path.basename(path)}"
                    out.write(json.dumps({"lang": lang, "source": source, "text": p}, ensure_ascii=False) + "\n")
                    n += 1
                    taken += 1
            print(f"{lang}: {taken} paragraphs", file=sys.stderr)


if __name__ == "__main__":
    main()
