#!/usr/bin/env python3
"""Training data for the statistical NER: spaCy DocBins tokenised by kg's own pkuseg tokenizer.

    python scripts/ner/prepare.py OUTDIR [--repeat 4] [--dev-articles 12] [--dev-cluener 600]

Writes OUTDIR/train.spacy, OUTDIR/dev.spacy and OUTDIR/stats.json. Sources:

- CLUENER2020 *train* (../shared/data/cluener2020/train.json): company, organization, government
  -> ORG, name -> PERSON, address -> LOC. `end` is inclusive there. `scene` (故宫, 黄山) is a place
  by our guidelines but not by CLUENER's, so its tokens are marked unknown rather than "outside".
- the project's annotated domain articles, `train` split only (scripts/annotations.py), cut into
  paragraphs and sentences, repeated `--repeat` times: they alone carry the genre and the PROJECT
  and PRODUCT labels.

The dev set that `spacy train` uses to pick the best checkpoint is carved out of those same
training sources (the last `--dev-cluener` CLUENER train records and `--dev-articles` domain train
articles), so CLUENER dev, the held-out articles and ../shared/gold stay unseen for measurement.

Entity edges inside a pkuseg word: the NER can only label whole tokens, and at run time it sees
exactly these tokens. Such an entity is dropped and its tokens are marked *missing* (no loss either
way), not expanded: expanding 在北京 -> LOC or 记者张三 -> PERSON would teach wrong edges that the
surface-based scoring then counts as errors twice (a false positive and a false negative).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SHARED = ROOT.parent / "shared"
CLUENER_MAP = {"company": "ORG", "organization": "ORG", "government": "ORG", "name": "PERSON", "address": "LOC"}
CLUENER_UNKNOWN = {"scene"}
MAX_CHUNK = 160  # characters; longer paragraphs are cut at sentence ends


def cluener_records(path: Path):
    """(text, [(start, end_exclusive, label or None)]) per record; None marks tokens as unknown."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            spans = []
            for kind, by_text in rec.get("label", {}).items():
                label = CLUENER_MAP.get(kind)
                if label is None and kind not in CLUENER_UNKNOWN:
                    continue
                for offsets in by_text.values():
                    for s, e in offsets:
                        spans.append((s, e + 1, label))
            yield rec["text"], spans


def chunks(text: str):
    """(start, end) of paragraphs, long ones cut after 。！？； so each piece is a few sentences."""
    for m in re.finditer(r"[^\n]+", text):
        para_start, para = m.start(), m.group()
        if not para.strip():
            continue
        start = 0
        for cut in re.finditer(r"[。！？；!?;]", para):
            if cut.end() - start >= MAX_CHUNK:
                yield para_start + start, para_start + cut.end()
                start = cut.end()
        if start < len(para):
            yield para_start + start, para_start + len(para)


def article_records(records):
    for rec in records:
        text = rec["text"]
        for cs, ce in chunks(text):
            spans = [(e["start"] - cs, e["end"] - cs, e["label"]) for e in rec["entities"] if cs <= e["start"] and e["end"] <= ce]
            piece = text[cs:ce]
            if piece.strip():
                yield piece, spans


def make_doc(nlp, text: str, spans, stats: Counter, source: str) -> Doc:
    doc = nlp.make_doc(text)
    ents, missing = [], []
    for s, e, label in spans:
        strict = doc.char_span(s, e, label=label or "")
        if label is None:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                missing.append(span)
            continue
        stats[f"{source}:entities"] += 1
        if strict is not None:
            ents.append(strict)
            continue
        stats[f"{source}:inside_word"] += 1
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            missing.append(span)
    # overlapping annotations (rare in CLUENER): keep the longest, mark the rest unknown
    ents.sort(key=lambda sp: -(sp.end - sp.start))
    kept, used = [], set()
    for sp in ents:
        if used.isdisjoint(range(sp.start, sp.end)):
            kept.append(sp)
            used.update(range(sp.start, sp.end))
        else:
            stats[f"{source}:overlap"] += 1
    missing = [sp for sp in missing if used.isdisjoint(range(sp.start, sp.end))]
    taken: set[int] = set()
    free_missing = []
    for sp in missing:
        if taken.isdisjoint(range(sp.start, sp.end)):
            free_missing.append(sp)
            taken.update(range(sp.start, sp.end))
    doc.set_ents(kept, missing=free_missing, default="outside")
    return doc


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--repeat", type=int, default=4, help="times each domain training piece is repeated")
    p.add_argument("--dev-articles", type=int, default=12)
    p.add_argument("--dev-cluener", type=int, default=600)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    import annotations as A
    from kg.pipeline import load_nlp

    nlp = load_nlp(ner=False)
    stats: Counter = Counter()
    rng = random.Random(args.seed)

    cluener = list(cluener_records(SHARED / "data" / "cluener2020" / "train.json"))
    articles = list(A.load("train"))
    assert all(r["split"] == "train" for r in articles)
    rng.shuffle(articles)
    dev_articles, train_articles = articles[: args.dev_articles], articles[args.dev_articles:]
    dev_cluener, train_cluener = cluener[-args.dev_cluener:], cluener[: -args.dev_cluener]

    train, dev = DocBin(store_user_data=False), DocBin(store_user_data=False)
    for text, spans in train_cluener:
        train.add(make_doc(nlp, text, spans, stats, "cluener"))
        stats["train:cluener_docs"] += 1
    domain = [make_doc(nlp, t, s, stats, "domain") for t, s in article_records(train_articles)]
    for _ in range(args.repeat):
        for doc in domain:
            train.add(doc)
    stats["train:domain_docs"] = len(domain) * args.repeat
    for text, spans in dev_cluener:
        dev.add(make_doc(nlp, text, spans, Counter(), "dev"))
    for text, spans in article_records(dev_articles):
        dev.add(make_doc(nlp, text, spans, Counter(), "dev"))
        stats["dev:domain_docs"] += 1
    stats["dev:cluener_docs"] = len(dev_cluener)
    stats["train:domain_articles"] = len(train_articles)
    stats["dev:domain_articles"] = len(dev_articles)

    args.out.mkdir(parents=True, exist_ok=True)
    train.to_disk(args.out / "train.spacy")
    dev.to_disk(args.out / "dev.spacy")
    summary = dict(sorted(stats.items()))
    for src in ("cluener", "domain"):
        n = stats[f"{src}:entities"]
        summary[f"{src}:inside_word_share"] = round(stats[f"{src}:inside_word"] / n, 4) if n else 0.0
    (args.out / "stats.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
