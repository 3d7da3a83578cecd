#!/usr/bin/env python3
"""Throughput of whole-document extraction (the stage `kg build` and `kg extract` spend their time
in), one process against `--workers` processes, on the same documents in the same run.

    python scripts/bench_extract.py [--corpus ../shared/corpus] [--docs 120] [--workers 2]
    python scripts/bench_extract.py --long 10000,30000,100000

Prints documents/s and characters/s for each, the speed-up, and whether the records are the
same (they must be: the workers change how fast, never what). `--long` instead times one
document made of the corpus's first N characters, for each N, and prints characters/s against
the smallest: a stage whose cost grows faster than the text (a scan of the whole document per
mention) shows as a falling ratio long before a user's 10^5-character report stalls. The pipeline is loaded and warmed
up once, before the clock starts; the worker pool's start-up is inside the timed run, as a user pays it.
Threads are pinned to one (OMP/OpenBLAS) so that a process is one core.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    p.add_argument("--docs", type=int, default=120, help="the first DOCS articles of the corpus, sorted")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--long", help="comma-separated document lengths in characters (one long document each)")
    args = p.parse_args(argv)
    if args.long:
        return long_documents(args.corpus, [int(n) for n in args.long.split(",")])

    from kg.documents import iter_documents
    from kg.extraction import extract
    from kg.pipeline import load_nlp

    paths = sorted(args.corpus.glob("*.txt"))[: args.docs]
    if not paths:
        raise SystemExit(f"no *.txt under {args.corpus}")
    docs = list(iter_documents(paths))
    chars = sum(len(d.text) for d in docs if hasattr(d, "text"))
    nlp = load_nlp()
    list(extract(nlp, docs[:1]))  # warm-up: caches (lexicon, word classes) filled before either run
    print(f"{len(docs)} documents, {chars} characters, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)")
    runs = {}
    for workers in (1, args.workers):
        start = time.perf_counter()
        records = [json.dumps(r, ensure_ascii=False, default=str) for r in extract(nlp, docs, workers=workers)]
        seconds = time.perf_counter() - start
        runs[workers] = (seconds, records)
        print(f"workers={workers}: {seconds:7.1f} s  {len(docs) / seconds:6.2f} documents/s  {chars / seconds:9.0f} chars/s")
    base, par = runs[1][0], runs[args.workers][0]
    print(f"speed-up with {args.workers} workers: {base / par:.2f}x; records identical: {runs[1][1] == runs[args.workers][1]}")
    return 0


def long_documents(corpus: Path, lengths: list[int]) -> int:
    from kg.documents import Document
    from kg.extraction import extract_document
    from kg.pipeline import load_nlp

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    nlp = load_nlp()
    extract_document(nlp, Document("warm-up", "", text[:500]))
    base = None
    for n in sorted(lengths):
        start = time.perf_counter()
        record = extract_document(nlp, Document(f"long-{n}", "", text[:n]))
        seconds = time.perf_counter() - start
        rate = min(n, len(text)) / seconds
        base = base or rate
        print(f"{min(n, len(text)):7d} chars: {seconds:6.1f} s  {rate:7.0f} chars/s  ({rate / base:.2f} of the shortest)"
              f"  {len(record['entities'])} entities, {len(record['relations'])} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
