#!/usr/bin/env bash
# Create bench/provenance/.venv with a pinned datatrove (PyPI) and what its MinHash
# pipeline needs at run time. Idempotent: re-running only installs what is missing.
#
#   datatrove      the pipeline itself (core deps: numpy, fsspec, loguru, multiprocess, ...)
#   spacy          English word tokenizer (datatrove uses spacy.blank("en"): rules only, no model download)
#   xxhash<4       default MinHash shingle hash (HashConfig hash_fc="xxhash")
#   regex          text normalisation (simplify_text)
#   orjson         JsonlReader
#   tokenizers     imported by datatrove.pipeline.dedup (exact_substrings); not used by MinHash
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    "datatrove==0.10.1" \
    "spacy==3.8.18" \
    "xxhash==3.8.2" \
    "regex==2026.11.15" \
    "orjson==3.13.0" \
    "tokenizers==0.23.3"
.venv/bin/python -c "import datatrove, spacy, xxhash, orjson, tokenizers; from importlib.metadata import version; print('datatrove', version('datatrove'), 'spacy', spacy.__version__)"
