#!/usr/bin/env python3
"""Training data for the statistical NER: spaCy DocBins tokenised by kg's own pkuseg tokenizer.

    python scripts/ner/prepare.py OUTDIR [--repeat 4] [--dev-articles 12] [--dev-cluener 600]
                                         [--weibo] [--weibo-dev] [--cfsc] [--resume]
                                         [--msra N [--msra-labels ORG,PERSON]] [--swap] [--seed 0]

Writes OUTDIR/train.spacy, OUTDIR/dev.spacy and OUTDIR/stats.json. Sources:

- CLUENER2020 *train* (../shared/data/cluener2020/train.json): company, organization, government
  -> ORG, name -> PERSON, address -> LOC. `end` is inclusive there. `scene` (故宫, 黄山) is a place
  by our guidelines but not by CLUENER's, so its tokens are marked unknown rather than "outside".
- the project's annotated domain articles, `train` split only (scripts/annotations.py), cut into
  paragraphs and sentences, repeated `--repeat` times: they alone carry the genre and the PROJECT
  and PRODUCT labels.
- optionally (--weibo) Weibo NER *train* (../shared/data/weibo_ner/weiboNER_2nd_conll.train, annotations CC BY-SA 3.0):
  named mentions only, PER.NAM -> PERSON, ORG.NAM -> ORG, GPE.NAM and LOC.NAM -> LOC; nominal
  mentions (*.NOM: 老师, 公司) are no names by our guidelines but are marked unknown, not "outside",
  so the model is not taught that a word its annotators marked is certainly nothing. Its *dev*
  split joins the checkpoint-choice set only with --weibo-dev; its test split is never trained on.
- optionally (--cfsc) CFSC-NER *val* (../shared/data/cfsc_ner/val.json; there is no train split): Corporate -> ORG,
  and every other token unknown. CFSC labels only companies, and labels a listed company as Stock
  where it is spoken of as a share (拼多多 涨 3%), so its unlabelled words are no evidence of
  "not an ORG"; only its company names (stock-style short names: 欣旺达, 恒瑞医药) are used.
  Its test split is never trained on.
- optionally (--resume) Resume NER *train*: ORG -> ORG, NAME -> PERSON, CONT and LOC -> LOC.
- optionally (--msra N) N sentences of dh_msra (../shared/data/dh_msra/dh_msra.zip, MSRA-style
  People's Daily text, no licence stated; research use), drawn with --seed from its distinct
  sentences: ORG -> ORG, PER -> PERSON, LOC -> LOC, but only the labels in --msra-labels (default
  ORG,PERSON) are taught; the others are marked unknown, as for Weibo. MSRA's LOC is not ours: it
  labels one-character abbreviations as places (日 in 日机, 中 in 中美), and its conventions were
  never checked against ours.
  dh_msra holds most of msra_ner val/test and people_daily_ner, so those sets are no evaluation
  for a model trained with it (eval_ner.py does not score them).

With --swap the domain pieces are not repeated identically: the original is kept once and each
of the other `--repeat - 1` copies has every mention replaced by a surface form of the same label
drawn with --seed (mention replacement, Dai & Adel 2020, "An Analysis of Simple Data Augmentation
for Named Entity Recognition"). The forms come from the mentions of the domain training articles
(not the checkpoint-choice ones; a frequent name is drawn more often) and, for ORG, PROJECT and
PRODUCT, once each from the names and aliases of kg/resources/gazetteer.csv. The new text is
tokenised afresh, so a form that lands inside a pkuseg word is dropped and marked missing as any
other. Meant to teach contexts rather than the ~135 articles' names (issue #3). --seed also picks
the checkpoint-choice articles: to compare draws on one split, vary spaCy's seed instead.

The four optional sources and --swap are off by default: the shipped model was built without
them; what they did when tried is in kg/models/ner/MODEL_CARD.md ("Tried").

Evaluation splits are read only for their texts: a training record whose text is also an evaluation
sentence is dropped (`evaluation_texts`; Weibo repeats 38 test messages in train).

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
import csv
import json
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from spacy.tokens import Doc, DocBin

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SHARED = ROOT.parent / "shared"
CLUENER_MAP = {"company": "ORG", "organization": "ORG", "government": "ORG", "name": "PERSON", "address": "LOC"}
CLUENER_UNKNOWN = {"scene"}
WEIBO_MAP = {"PER.NAM": "PERSON", "ORG.NAM": "ORG", "GPE.NAM": "LOC", "LOC.NAM": "LOC"}  # *.NOM -> unknown
RESUME_MAP = {"ORG": "ORG", "NAME": "PERSON", "CONT": "LOC", "LOC": "LOC"}  # TITLE, EDU, PRO, RACE: outside
MSRA_MAP = {"ORG": "ORG", "PER": "PERSON", "LOC": "LOC"}
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


def bio_spans(tags: list[str], scheme: str = "BIO"):
    """(start, end_exclusive, type) from per-character BIO or BMES tags."""
    spans, start, kind = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        continues = start is not None and t == kind and prefix in ("I", "M", "E")
        if start is not None and not continues:
            spans.append((start, i, kind))
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "M", "E") and start is None):
            start, kind = i, t
        if start is not None and prefix in ("E", "S"):
            spans.append((start, i + 1, kind))
            start = None
    return spans


def conll_records(path: Path, mapping: dict[str, str], unknown=lambda kind: False, weibo: bool = False):
    """(text, spans) per blank-line-separated sentence of a char-per-line file. Weibo's chars carry
    a trailing word-position digit (科0); kinds `unknown(kind)` accepts become None (unknown)."""
    return conll_text_records(path.read_text(encoding="utf-8"), mapping, unknown, weibo)


def conll_text_records(text: str, mapping: dict[str, str], unknown=lambda kind: False, weibo: bool = False):
    chars: list[str] = []
    tags: list[str] = []
    for line in text.splitlines() + [""]:
        if not line.strip():
            if chars:
                spans = []
                for s, e, kind in bio_spans(tags):
                    if kind in mapping:
                        spans.append((s, e, mapping[kind]))
                    elif unknown(kind):
                        spans.append((s, e, None))
                yield "".join(chars), spans
            chars, tags = [], []
            continue
        tok, tag = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
        chars.append((tok[:-1] or tok) if weibo else tok)
        tags.append(tag.strip())


def weibo_records(path: Path):
    return conll_records(path, WEIBO_MAP, unknown=lambda kind: kind.endswith(".NOM"), weibo=True)


RESUME_GENERIC = re.compile(r"^(本.*|.{1,2}|(销售|子|分|总|母|控股|投资|财务|贸易|证券|信托|实业)(公司|集团))$")


def resume_records(path: Path):
    """Resume NER also labels generic mentions as ORG (公司, 本公司, 本行, 集团, 销售公司: about
    one in ten); no names by our guidelines, they are marked unknown."""
    for text, spans in conll_records(path, RESUME_MAP):
        yield text, [(s, e, None if label == "ORG" and RESUME_GENERIC.match(text[s:e]) else label) for s, e, label in spans]


def only_labels(spans, keep):
    """Spans whose label is in `keep`; every other labelled span becomes None (unknown): a source
    whose convention for a label differs from ours teaches nothing about it, either way."""
    return [(s, e, label if label in keep else None) for s, e, label in spans]


def msra_records(path: Path, keep=frozenset(MSRA_MAP.values())):
    """(text, spans) per distinct sentence of dh_msra.zip (char<TAB>IOB2 tag), in file order;
    labels outside `keep` are unknown. The zip is read as given (one member, dh_msra.txt)."""
    with zipfile.ZipFile(path) as zf:
        [member] = zf.namelist()
        text = zf.read(member).decode("utf-8")
    seen: set[str] = set()
    for sentence, spans in conll_text_records(text, MSRA_MAP):
        if sentence not in seen:
            seen.add(sentence)
            yield sentence, only_labels(spans, keep)


def cfsc_records(path: Path):
    """Corporate spans only; the caller marks every other token unknown."""
    for rec in json.loads(path.read_text(encoding="utf-8")):
        yield rec["text"], [(l["from"], l["to"], "ORG") for l in rec["labels"] if l["Level 1 Aspect"] == "Corporate"]


def evaluation_texts(data: Path) -> set[str]:
    """Texts of every sentence-level evaluation split (CLUENER dev, CFSC test, Weibo dev and test).
    The public sets repeat messages across their splits (38 of Weibo test's 270 messages are also
    in Weibo train, 40 of its dev; one CFSC test sentence is in val): a training record with the
    same text as an evaluation one is dropped, so no scored sentence is ever trained on."""
    texts = {json.loads(line)["text"] for line in (data / "cluener2020" / "dev.json").open(encoding="utf-8")}
    texts |= {rec["text"] for rec in json.loads((data / "cfsc_ner" / "test.json").read_text(encoding="utf-8"))}
    for split in ("dev", "test"):
        texts |= {t for t, _ in weibo_records(data / "weibo_ner" / f"weiboNER_2nd_conll.{split}")}
    return texts


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


def mention_pool(records, gazetteer: Path | None = None) -> dict[str, list[str]]:
    """Surface forms per label: every mention of `records` (repeats kept) and, once each, the
    gazetteer's names and aliases of the labels the records use."""
    pool: dict[str, list[str]] = defaultdict(list)
    for rec in records:
        for e in rec["entities"]:
            pool[e["label"]].append(rec["text"][e["start"]:e["end"]])
    if gazetteer is not None:
        with gazetteer.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["label"] in pool:
                    names = [row["canonical"], *(row["aliases"] or "").split("|")]
                    pool[row["label"]].extend(n.strip() for n in names if n.strip())
    return dict(pool)


def swap_mentions(text: str, spans, pool: dict[str, list[str]], rng: random.Random):
    """(text, spans) with each labelled mention replaced by a form of its label from `pool`.
    Domain spans never overlap (annotations.mention_spans keeps the longest)."""
    out, new_spans, pos, at = [], [], 0, 0
    for s, e, label in sorted(spans):
        surface = rng.choice(pool[label]) if pool.get(label) else text[s:e]
        out += [text[pos:s], surface]
        at += s - pos
        new_spans.append((at, at + len(surface), label))
        at += len(surface)
        pos = e
    out.append(text[pos:])
    return "".join(out), new_spans


def make_doc(nlp, text: str, spans, stats: Counter, source: str, default: str = "outside") -> Doc:
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
    doc.set_ents(kept, missing=free_missing, default=default)
    return doc


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--repeat", type=int, default=4, help="times each domain training piece is repeated")
    p.add_argument("--dev-articles", type=int, default=12)
    p.add_argument("--dev-cluener", type=int, default=600)
    p.add_argument("--seed", type=int, default=0, help="picks the checkpoint-choice articles; draws --msra and --swap")
    p.add_argument("--weibo", action="store_true", help="add Weibo NER train")
    p.add_argument("--weibo-labels", default="ORG,PERSON,LOC", help="Weibo named mentions used as labels; the others are marked unknown")
    p.add_argument("--weibo-dev", action="store_true", help="add Weibo dev to the checkpoint-choice set")
    p.add_argument("--cfsc", action="store_true", help="add CFSC-NER val's company names")
    p.add_argument("--cfsc-repeat", type=int, default=1)
    p.add_argument("--resume", action="store_true", help="add Resume NER train")
    p.add_argument("--msra", type=int, default=0, metavar="N", help="add N sentences of dh_msra, drawn with --seed")
    p.add_argument("--msra-labels", default="ORG,PERSON", help="dh_msra labels taught (of ORG,PERSON,LOC); the others are marked unknown")
    p.add_argument("--swap", action="store_true",
                   help="keep each domain piece once and fill the other --repeat - 1 copies with its mentions "
                        "replaced by other forms of the same label (domain training mentions, gazetteer), drawn with --seed")
    args = p.parse_args(argv)
    for option, value in (("--weibo-labels", args.weibo_labels), ("--msra-labels", args.msra_labels)):
        if not set(value.split(",")) <= {"ORG", "PERSON", "LOC"}:
            p.error(f"{option}: labels are ORG, PERSON, LOC")

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

    data = SHARED / "data"
    scored = evaluation_texts(data)

    def unscored(records, source: str):
        for text, spans in records:
            if text in scored:
                stats[f"{source}:dropped_as_evaluation_text"] += 1
            else:
                yield text, spans

    train, dev = DocBin(store_user_data=False), DocBin(store_user_data=False)
    for text, spans in unscored(train_cluener, "cluener"):
        train.add(make_doc(nlp, text, spans, stats, "cluener"))
        stats["train:cluener_docs"] += 1
    pieces = list(article_records(train_articles))
    domain = [make_doc(nlp, t, s, stats, "domain") for t, s in pieces]
    if args.swap:
        for doc in domain:
            train.add(doc)
        pool = mention_pool(train_articles, ROOT / "kg" / "resources" / "gazetteer.csv")
        swap_rng = random.Random(args.seed)
        for _ in range(args.repeat - 1):
            for text, spans in pieces:
                # counted apart so domain:inside_word_share stays that of the annotations
                train.add(make_doc(nlp, *swap_mentions(text, spans, pool, swap_rng), stats, "swapped"))
        stats.update({f"swap:pool_{label}": len(forms) for label, forms in pool.items()})
    else:
        for _ in range(args.repeat):
            for doc in domain:
                train.add(doc)
    stats["train:domain_docs"] = len(domain) * args.repeat
    if args.weibo:
        keep = set(args.weibo_labels.split(","))
        for text, spans in unscored(weibo_records(data / "weibo_ner" / "weiboNER_2nd_conll.train"), "weibo"):
            spans = only_labels(spans, keep)
            train.add(make_doc(nlp, text, spans, stats, "weibo"))
            stats["train:weibo_docs"] += 1
        test = {t for t, _ in weibo_records(data / "weibo_ner" / "weiboNER_2nd_conll.test")}
        dev_weibo = weibo_records(data / "weibo_ner" / "weiboNER_2nd_conll.dev") if args.weibo_dev else ()
        for text, spans in ((t, s) for t, s in dev_weibo if t not in test):
            dev.add(make_doc(nlp, text, spans, Counter(), "dev"))
            stats["dev:weibo_docs"] += 1
    if args.cfsc:
        cfsc = [make_doc(nlp, t, s, stats, "cfsc", default="missing") for t, s in unscored(cfsc_records(data / "cfsc_ner" / "val.json"), "cfsc") if s]
        for _ in range(args.cfsc_repeat):
            for doc in cfsc:
                train.add(doc)
        stats["train:cfsc_docs"] = len(cfsc) * args.cfsc_repeat
    if args.resume:
        for text, spans in unscored(resume_records(data / "resume_ner" / "train.char.bmes"), "resume"):
            train.add(make_doc(nlp, text, spans, stats, "resume"))
            stats["train:resume_docs"] += 1
    if args.msra:
        # evaluation sentences are dropped from the whole file first, then N drawn from the rest
        msra = list(unscored(msra_records(data / "dh_msra" / "dh_msra.zip", set(args.msra_labels.split(","))), "msra"))
        stats["msra:distinct_unscored_sentences"] = len(msra)
        for text, spans in random.Random(args.seed).sample(msra, min(args.msra, len(msra))):
            train.add(make_doc(nlp, text, spans, stats, "msra"))
            stats["train:msra_docs"] += 1
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
    for src in ("cluener", "domain", "weibo", "cfsc", "resume", "msra") + (("swapped",) if args.swap else ()):
        n = stats[f"{src}:entities"]
        summary[f"{src}:inside_word_share"] = round(stats[f"{src}:inside_word"] / n, 4) if n else 0.0
    (args.out / "stats.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
