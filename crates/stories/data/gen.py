#!/usr/bin/env python3
"""Regenerates background.tsv, the stories stage's background word frequencies.

Why: a story's terms are weighed by how rare they are (IDF). In a corpus of five articles every
word is about as rare as every other, so "Ukraine" counts no more than "testament"; the
background frequencies of everyday language say which words are common before the corpus can.

Source (downloaded with pip, never at build or test time): wordfreq 3.1.1 (PyPI; code
Apache-2.0, word lists CC BY-SA 4.0, built from Wikipedia, subtitles, news, books, the web and
social media; see its README). This file is derived from those lists and is CC BY-SA 4.0 too.

Output: one line per word, sorted by its UTF-8 bytes: the word as the stage reads it (lower
case, letters only, 3+ characters), a tab, and its Zipf frequency times ten (log10 of its
frequency per billion words) in the most frequent of English, German, French, Russian and
Ukrainian. Words below a Zipf frequency of 3.5 (3 in a million words) are left out: the stage
counts them as rare.

Usage:
  python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1
  /tmp/wf/bin/python gen.py > background.tsv
"""
import sys

import wordfreq

LANGUAGES = ["en", "de", "fr", "ru", "uk"]
MIN_ZIPF = 3.5

best = {}
for lang in LANGUAGES:
    for word in wordfreq.get_frequency_dict(lang):
        zipf = wordfreq.zipf_frequency(word, lang)
        if zipf < MIN_ZIPF:
            continue
        # The stage lower-cases and splits on anything but letters and digits.
        if len(word) < 3 or not all(c.isalpha() for c in word) or word != word.lower():
            continue
        tenths = round(zipf * 10)
        if tenths > best.get(word, 0):
            best[word] = tenths

out = sys.stdout
for word in sorted(best, key=lambda w: w.encode("utf-8")):
    out.write(f"{word}\t{best[word]}\n")
