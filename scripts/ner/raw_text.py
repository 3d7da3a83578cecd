#!/usr/bin/env python3
"""Unlabelled text for `spacy pretrain`: one sentence or paragraph per JSON line ({"text": ...}).

    python scripts/ner/raw_text.py OUT.jsonl

The NER has no pretrained vectors (none fit the size budget, and no Chinese spaCy pipeline can be
downloaded here); pretraining its tok2vec on raw text of the same genres (`spacy pretrain`, the
characters objective) gives the hashed word embeddings a start from more words than the labelled
sentences hold. Sources, training splits only:

- CLUENER2020 train (the labelled NER data; no licence stated, research data), minus the records
  `prepare.py` keeps for checkpoint choice;
- FinRE train (MIT) and FCAR train (MIT): financial news and listed companies' reports, rich in
  company names and the verbs around them;
- the project's domain articles, `train` split, minus the articles `prepare.py` sets aside for
  checkpoint choice (same shuffle), so that choice stays on text the model never saw.

A sentence that is also an evaluation text (CLUENER dev, CFSC test, Weibo dev/test, FinRE
valid/test, FCAR dev/test) is left out. `spacy pretrain` tokenises the text with the tokenizer of
scripts/ner/config.cfg, initialised (train.sh) with kg's pkuseg model and domain user dictionary:
the words kg sees in training and in use.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "scripts" / "ner"))

from prepare import SHARED, article_records, cluener_records, evaluation_texts  # noqa: E402


def finre_texts(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                yield parts[3]


def fcar_texts(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"]


def fcar_entity_texts(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield "".join(json.loads(line)["sentences"][0])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--dev-articles", type=int, default=12, help="as prepare.py: articles kept for checkpoint choice")
    p.add_argument("--dev-cluener", type=int, default=600, help="as prepare.py: the last CLUENER train records, kept for checkpoint choice")
    p.add_argument("--seed", type=int, default=0, help="as prepare.py: the shuffle that picks the articles")
    args = p.parse_args(argv)

    import annotations as A

    data = SHARED / "data"
    scored = evaluation_texts(data)
    scored |= set(finre_texts(data / "finre" / "valid.txt")) | set(finre_texts(data / "finre" / "test.txt"))
    for split in ("dev", "test"):
        scored |= set(fcar_texts(data / "fcar_fin_re" / "relation_data" / f"{split}.json"))
        scored |= set(fcar_entity_texts(data / "fcar_fin_re" / "entity_data" / f"{split}.json"))

    articles = list(A.load("train"))
    random.Random(args.seed).shuffle(articles)  # the same shuffle as prepare.py
    texts = {
        "cluener": (t for t, _ in list(cluener_records(data / "cluener2020" / "train.json"))[: -args.dev_cluener]),
        "finre": finre_texts(data / "finre" / "train.txt"),
        "fcar": fcar_texts(data / "fcar_fin_re" / "relation_data" / "train.json"),
        "domain": (t for t, _ in article_records(articles[args.dev_articles:])),
    }
    stats: Counter = Counter()
    seen: set[str] = set()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for source, stream in texts.items():
            for text in stream:
                text = text.strip()
                if not text or text in seen:
                    continue
                seen.add(text)
                if text in scored:
                    stats[f"{source}:dropped_as_evaluation_text"] += 1
                    continue
                fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                stats[f"{source}:texts"] += 1
                stats[f"{source}:chars"] += len(text)
    print(json.dumps(dict(sorted(stats.items())), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
