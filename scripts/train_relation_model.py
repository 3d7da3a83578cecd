#!/usr/bin/env python3
"""Rebuild the relation classifier shipped in kg/models/rel, in one go:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/train_relation_model.py [--work build/relation_model]

1. writes the pair examples (scripts/relation_data.py) as DocBins under the work folder (they hold
   text of ../shared, so they stay out of the repository);
2. runs `spacy train` with scripts/relation_model/config.cfg on one CPU core;
3. copies the best model to kg/models/rel.

Training data: a random 30 % (--public-share) of the pairs of FinRE train, FCAR train and the
civil-aircraft LLM silver, and four fifths of the annotations' train split (three times over,
--domain-copies: it is the genre kg reads). Model selection: the other
fifth. Never read: the public test splits, the civil-aircraft human 200, the annotations' heldout
split, ../shared/gold.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import relation_data as D  # noqa: E402
import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from kg.relation_model import LABELS, NONE  # noqa: E402

CONFIG = HERE / "relation_model" / "config.cfg"
TARGET = ROOT / "kg" / "models" / "rel"
# the public sets are mostly pairs with no relation; keeping a part of them keeps the classes in proportion
NONE_KEEP = {"fcar": 0.4, "civil": 0.25, "finre": 0.6}
DOMAIN_COPIES = 3
PUBLIC_SHARE = 0.3  # the public sets teach constructions; the annotations teach the genre, and weigh more


def docbin(nlp, rows) -> DocBin:
    db = DocBin(store_user_data=False)
    for string, label in rows:
        doc = nlp.make_doc(string)
        doc.cats = {l: float(l == label) for l in LABELS}
        db.add(doc)
    return db


def build_data(work: Path, seed: int = 0, public_share: float = PUBLIC_SHARE, domain_copies: int = DOMAIN_COPIES) -> dict:
    rng = random.Random(seed)
    nlp = spacy.blank("zh")
    train, stats = [], Counter()
    for source, sents in (("finre", D.finre("train")), ("fcar", D.fcar("train")), ("civil", D.civil("silver"))):
        if public_share <= 0:
            break
        for string, label, *_ in D.examples(sents):
            if label == NONE and rng.random() > NONE_KEEP[source]:
                continue
            if public_share < 1 and rng.random() > public_share:
                continue
            train.append((string, label))
            stats[f"{source}:{label}"] += 1
    for string, label, *_ in D.examples(D.domain("train")):
        train.extend([(string, label)] * domain_copies)
        stats[f"domain:{label}"] += 1
    dev = [(s, l) for s, l, *_ in D.examples(D.domain("dev"))]
    stats.update(f"domain-dev:{l}" for _, l in dev)
    rng.shuffle(train)
    work.mkdir(parents=True, exist_ok=True)
    docbin(nlp, train).to_disk(work / "train.spacy")
    docbin(nlp, dev).to_disk(work / "dev.spacy")
    (work / "data-stats.json").write_text(json.dumps(dict(sorted(stats.items())), ensure_ascii=False, indent=1))
    return dict(stats)


def train(work: Path, max_steps: int | None) -> float:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "spacy", "train", str(CONFIG), "--output", str(work / "out"),
           "--paths.train", str(work / "train.spacy"), "--paths.dev", str(work / "dev.spacy")]
    if max_steps:
        cmd += ["--training.max_steps", str(max_steps)]
    t0 = time.time()
    subprocess.run(cmd, check=True, env=env)
    return time.time() - t0


def install(work: Path) -> None:
    best = work / "out" / "model-best"
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(best, TARGET)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", type=Path, default=ROOT / "build" / "relation_model")
    p.add_argument("--max-steps", type=int, default=None, help="override the config's cap")
    p.add_argument("--skip-data", action="store_true", help="reuse the DocBins already in --work")
    p.add_argument("--public-share", type=float, default=PUBLIC_SHARE,
                   help="share of the public sets' pairs kept (0: the annotations alone)")
    p.add_argument("--domain-copies", type=int, default=DOMAIN_COPIES, help="times each annotated pair is repeated")
    p.add_argument("--no-install", action="store_true", help="leave kg/models/rel as it is")
    args = p.parse_args(argv)
    if not args.skip_data:
        print(json.dumps(build_data(args.work, public_share=args.public_share, domain_copies=args.domain_copies),
                         ensure_ascii=False), flush=True)
    seconds = train(args.work, args.max_steps)
    if not args.no_install:
        install(args.work)
    print(f"trained in {seconds / 60:.1f} min -> {TARGET if not args.no_install else args.work / 'out' / 'model-best'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
