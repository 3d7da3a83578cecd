"""Scoring extraction against gold in the format of `../shared/gold/` and by its rules.

Entities: per document, the set of distinct (surface, type) pairs after NFKC and removal of white
space. Relations: per document, the set of (head, relation, tail), heads and tails mapped to the
gold canonical through any gold surface form or canonical; partner-of without direction. Counts are
summed over documents (micro average), overall and per type / relation; "core" is supplier-of,
invested-in and deployed-at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .lexicon import normalize

CORE = ("supplier-of", "invested-in", "deployed-at")
SYMMETRIC = {"partner-of"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, pred: set, gold: set) -> None:
        self.tp += len(pred & gold)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Resolution:
    """One node per real actor: how many graph nodes each gold actor's mentions went to (1.00 is
    perfect; more means the actor was split), and the share of nodes that hold one gold actor
    only (1.00 is perfect; less means two actors were merged). Only mentions found with the gold
    surface and type count, so entity recognition errors do not show here. Within a document the
    gold actor is its canonical there; across documents, the same gold canonical name (gold
    canonicals are chosen per document, so merges across documents are not scored)."""

    actors: int = 0
    nodes: int = 0
    clusters: int = 0
    pure: int = 0
    corpus: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, pred: dict, gold: "GoldDocument") -> None:
        surfaces = {(normalize(e["text"]), e["type"]): (normalize(e["canonical"]), e["type"]) for e in gold.entities if e.get("text")}
        nodes_of: dict[tuple[str, str], set[str]] = {}
        actors_of: dict[str, set[tuple[str, str]]] = {}
        for e in pred.get("entities", []):
            actor = surfaces.get((normalize(e.get("text", "")), e.get("label")))
            if actor is None or not e.get("id"):
                continue
            nodes_of.setdefault(actor, set()).add(e["id"])
            actors_of.setdefault(e["id"], set()).add(actor)
            self.corpus.setdefault(actor, set()).add(e["id"])
        self.actors += len(nodes_of)
        self.nodes += sum(len(n) for n in nodes_of.values())
        self.clusters += len(actors_of)
        self.pure += sum(1 for a in actors_of.values() if len(a) == 1)

    @property
    def nodes_per_actor(self) -> float:
        return self.nodes / self.actors if self.actors else 0.0

    @property
    def merge_precision(self) -> float:
        return self.pure / self.clusters if self.clusters else 0.0

    @property
    def corpus_nodes_per_actor(self) -> float:
        return sum(len(n) for n in self.corpus.values()) / len(self.corpus) if self.corpus else 0.0

    def as_dict(self) -> dict:
        return {
            "nodes_per_actor": round(self.nodes_per_actor, 4), "merge_precision": round(self.merge_precision, 4),
            "actors": self.actors, "nodes": self.nodes,
            "corpus_nodes_per_actor": round(self.corpus_nodes_per_actor, 4), "corpus_actors": len(self.corpus),
        }


@dataclass
class Report:
    entities: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    documents: int = 0
    errors: list[str] = field(default_factory=list)
    resolution: Resolution = field(default_factory=Resolution)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "entities": {k: v.as_dict() for k, v in sorted(self.entities.items())},
            "relations": {k: v.as_dict() for k, v in sorted(self.relations.items())},
            "resolution": self.resolution.as_dict(),
            "errors": self.errors,
        }


@dataclass
class GoldDocument:
    doc_id: str
    text: str
    entities: list[dict]
    relations: list[dict]
    source: str = ""


def load_gold(folder: str | Path) -> Iterator[GoldDocument]:
    """Each `<id>.json` with its `<id>.txt` beside it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such gold folder")
    found = False
    for path in sorted(folder.glob("*.json")):
        txt = path.with_suffix(".txt")
        if not txt.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        found = True
        yield GoldDocument(path.stem, txt.read_text(encoding="utf-8"), data.get("entities", []), data.get("relations", []), str(txt))
    if not found:
        raise FileNotFoundError(f"{folder}: no gold <id>.json files with their <id>.txt")


def entity_set(entities: Iterable[dict], type_key: str) -> set[tuple[str, str]]:
    return {(normalize(e["text"]), e[type_key]) for e in entities if e.get("text")}


def relation_key(head: str, relation: str, tail: str) -> tuple[str, str, str]:
    if relation in SYMMETRIC:
        head, tail = sorted((head, tail))
    return head, relation, tail


def gold_name_map(gold: GoldDocument) -> dict[str, str]:
    mapping = {}
    for e in gold.entities:
        mapping[normalize(e["text"])] = e["canonical"]
        mapping.setdefault(normalize(e["canonical"]), e["canonical"])
    return mapping


def score_document(pred: dict, gold: GoldDocument, report: Report) -> None:
    """Add one document's counts to the report. `pred` is a `kg extract` record."""
    report.documents += 1
    p_ents = entity_set(pred.get("entities", []), "label")
    g_ents = entity_set(gold.entities, "type")
    labels = {t for _, t in p_ents | g_ents}
    report.entities.setdefault("ALL", Score()).add(p_ents, g_ents)
    for label in labels:
        report.entities.setdefault(label, Score()).add({x for x in p_ents if x[1] == label}, {x for x in g_ents if x[1] == label})

    names = gold_name_map(gold)

    def mapped(name: str) -> str:
        return names.get(normalize(name), normalize(name))

    p_rels = {relation_key(mapped(r["head"]), r["relation"], mapped(r["tail"])) for r in pred.get("relations", [])}
    g_rels = {relation_key(r["head"], r["relation"], r["tail"]) for r in gold.relations}
    g_rels = {relation_key(mapped(h), rel, mapped(t)) for h, rel, t in g_rels}
    report.relations.setdefault("ALL", Score()).add(p_rels, g_rels)
    report.relations.setdefault("core", Score()).add({r for r in p_rels if r[1] in CORE}, {r for r in g_rels if r[1] in CORE})
    for rel in {r[1] for r in p_rels | g_rels}:
        report.relations.setdefault(rel, Score()).add({r for r in p_rels if r[1] == rel}, {r for r in g_rels if r[1] == rel})
    report.resolution.add(pred, gold)


def evaluate(gold_docs: Iterable[GoldDocument], predict) -> Report:
    """`predict(gold_document) -> record`; documents whose prediction fails are counted as empty."""
    report = Report()
    for gold in gold_docs:
        try:
            pred = predict(gold)
        except Exception as exc:  # scored as an empty prediction, and said
            report.errors.append(f"{gold.doc_id}: {exc}")
            pred = {"entities": [], "relations": []}
        score_document(pred, gold, report)
    return report


def format_report(report: Report, title: str = "") -> str:
    lines = [f"{title} ({report.documents} documents)" if title else f"{report.documents} documents"]
    for section, scores in (("entities", report.entities), ("relations", report.relations)):
        lines.append(f"  {section:<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        order = sorted(scores, key=lambda k: (k not in ("ALL", "core"), k != "ALL", k))
        for key in order:
            s = scores[key]
            lines.append(f"    {key:<12}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:6d}{s.fp:6d}{s.fn:6d}")
    r = report.resolution
    lines.append(f"  {'resolution':<14}{'nodes/actor':>12}{'merge-P':>9}{'actors':>8}")
    lines.append(f"    {'documents':<12}{r.nodes_per_actor:12.3f}{r.merge_precision:9.3f}{r.actors:8d}")
    lines.append(f"    {'corpus':<12}{r.corpus_nodes_per_actor:12.3f}{'':>9}{len(r.corpus):8d}")
    for err in report.errors:
        lines.append(f"  error: {err}")
    return "\n".join(lines)


def pipeline_predictor(nlp, alias_file: Optional[str] = None):
    from .documents import Document
    from .extraction import extract_document

    def predict(gold: GoldDocument) -> dict:
        return extract_document(nlp, Document(gold.doc_id, gold.source, gold.text), alias_file)

    return predict


def records_predictor(records: Iterable[dict]):
    by_id = {r["doc_id"]: r for r in records}

    def predict(gold: GoldDocument) -> dict:
        return by_id.get(gold.doc_id, {"entities": [], "relations": []})

    return predict
