"""Pair examples for the relation classifier, from the public sets and the project's annotations.

Every source is turned into sentences with typed mentions (`Arg`) and the relations between them
in kg's seven relations; `examples()` then writes one marked string per candidate pair with its
label (a relation read head->tail, or NONE). The mapping of each set's labels is the table in
kg/models/rel/MODEL_CARD.md; pairs whose label has no clear image in kg's relations are left out,
not made NONE.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kg.relation_model import NONE, SYMMETRIC, allowed, candidate_pairs, marked, resolved, sentence_hits  # noqa: E402
from kg.relations import Arg, references, sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data"

# FinRE label -> (kg relation, whether FinRE's head is kg's tail); NONE: none of kg's relations holds
FINRE = {
    "注资": ("invested-in", False), "持股": ("invested-in", False), "入股": ("invested-in", False),
    "增持": ("invested-in", False), "买资": ("invested-in", False), "收购": ("invested-in", False),
    "成立": ("invested-in", False),
    "被注资": ("invested-in", True), "被持股": ("invested-in", True), "被入股": ("invested-in", True),
    "被增持": ("invested-in", True), "被买资": ("invested-in", True), "被收购": ("invested-in", True),
    "被成立": ("invested-in", True),
    "拥有": ("subsidiary-of", True), "被拥有": ("subsidiary-of", False),
    "合作": ("partner-of", False), "合资": ("partner-of", False), "签约": ("partner-of", False),
    "unknown": (NONE, False), "竞争": (NONE, False), "分析": (NONE, False), "被分析": (NONE, False),
    "纠纷": (NONE, False), "欠款": (NONE, False), "被欠款": (NONE, False),
}
# left out: 订单/交易 (FinRE gives them both ways, so who supplies whom is not said), 商讨, 帮助,
# 减持, 拟收购, 转让, 发行, 借壳, 重组, 合并 (no clear image), 自己 (the same actor)

FCAR_TYPES = {"公司企业": "ORG", "地域": "LOC", "产品": "PRODUCT", "人员": "PERSON"}
FCAR = {"投资": ("invested-in", False), "合作": ("partner-of", False), "位于": ("located-in", False),
        "拥有": ("subsidiary-of", True)}  # 拥有 company->company: the owned company is the subsidiary
# 开展/属于/应用于 link to business lines and industries, which are not kg entities

CIVIL_TYPES = {"组织": "ORG", "产品型号": "PRODUCT"}  # 产品/服务 are generic goods (飞控系统), not names
CIVIL = {"供应": ("supplier-of", False), "合作/拟合作": ("partner-of", False),
         "股东/母公司/并购/投资": ("invested-in", False), "其他/无": (NONE, False)}


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    mentions: list[Arg]
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (head, tail) -> relation or NONE
    skip: set[tuple[str, str]] = field(default_factory=set)  # pairs whose label is unclear
    only_labelled: bool = False  # FinRE labels some pairs of a sentence, not all
    source: str = ""


def _label(labels: dict, skip: set, head: str, tail: str, mapped: Optional[tuple[str, bool]]) -> None:
    if mapped is None:
        skip.add((head, tail))
        skip.add((tail, head))
        return
    relation, flip = mapped
    if flip:
        head, tail = tail, head
    if relation == NONE:
        labels.setdefault((head, tail), NONE)
        labels.setdefault((tail, head), NONE)
        return
    labels[(head, tail)] = relation
    if relation in SYMMETRIC:
        labels[(tail, head)] = relation


def finre(split: str) -> Iterator[Sentence]:
    by_text: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for line in (DATA / "finre" / f"{split}.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            by_text[parts[3]].append((parts[0], parts[1], parts[2]))
    for text, rows in by_text.items():
        mentions, labels, skip = {}, {}, set()
        for h, t, rel in rows:
            if h == t or h not in text or t not in text:
                continue
            for name in (h, t):
                if name not in mentions:
                    i = text.find(name)
                    mentions[name] = Arg(name, "ORG", i, i + len(name), name)
            _label(labels, skip, h, t, FINRE.get(rel))
        if len(mentions) >= 2:
            yield Sentence(text, 0, len(text), _no_overlap(mentions.values()), labels, skip, True, "finre")


def _no_overlap(mentions) -> list[Arg]:
    out = []
    for m in sorted(mentions, key=lambda a: (-(a.end - a.start), a.start)):
        if not any(o.start < m.end and m.start < o.end for o in out):
            out.append(m)
    return sorted(out, key=lambda a: a.start)


def fcar(split: str) -> Iterator[Sentence]:
    """train from relation_data (gold entities there); dev/test from entity_data (gold entities)."""
    if split == "train":
        for line in (DATA / "fcar_fin_re" / "relation_data" / "train.json").open(encoding="utf-8"):
            rec = json.loads(line)
            text = rec["text"]
            spans = [(s, e + 1, t) for s, e, t in rec["predict_entity"]]
            rels = [(r["subject"], r["object"], r["predicate"]) for r in rec["spo_list"]]
            yield from _fcar_sentence(text, spans, rels)
    else:
        for line in (DATA / "fcar_fin_re" / "entity_data" / f"{split}.json").open(encoding="utf-8"):
            rec = json.loads(line)
            text = "".join(rec["sentences"][0])
            spans = [(s, e + 1, t) for s, e, t in rec["ner"][0]]
            rels = [(text[a:b + 1], text[c:d + 1], r) for a, b, c, d, r in rec["relations"][0]]
            yield from _fcar_sentence(text, spans, rels)


def _fcar_sentence(text, spans, rels) -> Iterator[Sentence]:
    mentions = _no_overlap({(s, e): Arg(text[s:e], FCAR_TYPES[t], s, e, text[s:e])
                            for s, e, t in spans if t in FCAR_TYPES}.values())
    if len(mentions) < 2:
        return
    labels, skip = {}, set()
    for h, t, rel in rels:
        if rel in FCAR:
            _label(labels, skip, h, t, FCAR[rel])
    yield Sentence(text, 0, len(text), mentions, labels, skip, False, "fcar")


def civil(name: str) -> Iterator[Sentence]:
    """name: human (the 200 human-annotated), silver (LLM labels: exact 200, and the 5-LLM file by majority)."""
    folder = DATA / "civil_aircraft_supply_chain_re"
    if name == "human":
        for line in (folder / "Annotation-data-samples-200.jsonl").open(encoding="utf-8"):
            yield from _civil_record(json.loads(line), None)
        return
    for line in (folder / "5LLMs-exact-consistent-samples-200.jsonl").open(encoding="utf-8"):
        yield from _civil_record(json.loads(line), None)
    votes: dict[int, list[dict]] = defaultdict(list)
    for line in (folder / "5LLMs_high_consistency_samples.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        votes[rec["id"]].append(rec)
    human = {json.loads(l)["text"] for l in (folder / "Annotation-data-samples-200.jsonl").open(encoding="utf-8")}
    for recs in votes.values():
        if recs[0]["text"] in human:
            continue  # the human 200 are the evaluation set
        yield from _civil_record(recs[0], recs)


def _civil_record(rec: dict, versions: Optional[list[dict]]) -> Iterator[Sentence]:
    text = rec["text"]
    ents = {e["id"]: e for e in rec["entities"]}
    mentions = _no_overlap({(e["start_offset"], e["end_offset"]): Arg(
        text[e["start_offset"]:e["end_offset"]], CIVIL_TYPES[e["label"]], e["start_offset"], e["end_offset"],
        text[e["start_offset"]:e["end_offset"]]) for e in rec["entities"] if e["label"] in CIVIL_TYPES}.values())
    if len(mentions) < 2:
        return
    if versions is None:
        rels = [(ents[r["from_id"]], ents[r["to_id"]], r["type"]) for r in rec["relations"]
                if r["from_id"] in ents and r["to_id"] in ents]
    else:  # a relation three of the five LLMs agree on
        count: Counter = Counter()
        for v in versions:
            es = {e["id"]: e for e in v["entities"]}
            count.update({(es[r["from_id"]]["start_offset"], es[r["from_id"]]["end_offset"], es[r["to_id"]]["start_offset"],
                           es[r["to_id"]]["end_offset"], r["type"]) for r in v["relations"]
                          if r["from_id"] in es and r["to_id"] in es})
        rels = [({"start_offset": a, "end_offset": b}, {"start_offset": c, "end_offset": d}, t)
                for (a, b, c, d, t), n in count.items() if n >= 3]
    labels, skip = {}, set()
    for f, t, rel in rels:
        h, tl = text[f["start_offset"]:f["end_offset"]], text[t["start_offset"]:t["end_offset"]]
        if rel == "共指":
            skip.update({(h, tl), (tl, h)})
        elif rel in CIVIL:
            _label(labels, skip, h, tl, CIVIL[rel])
    yield Sentence(text, 0, len(text), mentions, labels, skip, False, "civil")


def domain_split(doc_id: str) -> str:
    """The annotations' train split, cut once more: a fifth of it to choose the model and thresholds on."""
    return "dev" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def domain(part: str) -> Iterator[Sentence]:
    """part: train or dev, both inside the annotations' train split (the heldout split is never read)."""
    import annotations as A

    for rec in A.load("train"):
        if domain_split(rec["doc_id"]) != part:
            continue
        text = rec["text"]
        mentions = [Arg(text[e["start"]:e["end"]], e["label"], e["start"], e["end"], e["canonical"]) for e in rec["entities"]]
        mentions += references(text, mentions)
        facts = [r for r in rec["relations"] if not r["implicit"]]
        for s, e in sentences(text):
            inside = [m for m in mentions if s <= m.start and m.end <= e]
            if len(inside) < 2:
                continue
            labels, skip = {}, set()
            for r in facts:
                ev = r["evidence"]
                here = ev is not None and ev[0] < e and s < ev[1]
                if here:
                    _label(labels, skip, r["head"], r["tail"], (r["relation"], False))
                else:  # stated in another sentence; this one may say it too
                    skip.update({(r["head"], r["tail"]), (r["tail"], r["head"])})
            for k in list(skip):
                if k in labels:
                    skip.discard(k)
            yield Sentence(text, s, e, inside, labels, skip, False, f"domain:{rec['doc_id']}")


def gold_pairs(sent: Sentence) -> Iterator[tuple[Arg, Arg, str]]:
    """Every candidate pair of the sentence with its gold label (pairs left out are not yielded)."""
    listed = {frozenset(k) for k in sent.labels} if sent.only_labelled else None
    for h, t in candidate_pairs(sent.mentions):
        key = (resolved(h), resolved(t))
        if key in sent.skip or (listed is not None and frozenset(key) not in listed):
            continue
        label = sent.labels.get(key, NONE)
        if label != NONE and not allowed(label, h.label, t.label):
            continue  # a relation of the source's scheme between types kg does not link that way
        yield h, t, label


def examples(sents) -> Iterator[tuple[str, str, Sentence, Arg, Arg]]:
    for sent in sents:
        hits = sentence_hits(sent.text, sent.start, sent.end, sent.mentions)
        for h, t, label in gold_pairs(sent):
            yield marked(sent.text, sent.start, sent.end, h, t, sent.mentions, hits), label, sent, h, t
