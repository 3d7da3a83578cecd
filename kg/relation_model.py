"""A trained relation classifier over entity pairs of one sentence: `kg_relation_classifier`.

Runs after `kg_relations`. For every ordered pair of mentions in a sentence whose types some
relation allows (located-in needs a LOC tail, operates an ORG head, ...), it writes the sentence
with the pair marked

    ⁑供 … ⟦◆兰州海红技术股份有限公司⟧ … ⦃◆中国移动甘肃公司⦄ … ◆ …

(head in ⟦⟧, tail in ⦃⦄, the type as the first character inside, other mentions reduced to their
type, and in front the rules' verdict on the pair: ⁑ for head->tail, ⁂ for tail->head) and asks a
spaCy text classifier (exclusive classes: the seven relations, read head->tail, and NONE) which
relation the sentence states. The classifier adds the links it is confident of and drops rule
links it finds unlikely; links read from inside names are the rules' alone.

The textcat model is small and character-based (no pkuseg needed), shipped in `kg/models/rel`,
rebuilt by `scripts/train_relation_model.py` from the config in `scripts/relation_model/`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .component import Stateless
from .lexicon import load_lexicon
from .relations import (RELATIONS, SYMMETRIC, Arg, Relation, actors, attributes, dedupe, not_in_a_country, references,
                        rule_hits, sentences)

NONE = "NONE"
LABELS = RELATIONS + (NONE,)

# which (head type, tail type) each relation can link, from the gold guidelines and the annotations
SIGNATURES: dict[str, set[tuple[str, str]]] = {
    "supplier-of": {("ORG", "ORG"), ("ORG", "PROJECT")},
    "invested-in": {("ORG", "ORG"), ("ORG", "PROJECT"), ("ORG", "LOC"), ("LOC", "PROJECT")},
    "deployed-at": {("ORG", "LOC"), ("ORG", "PROJECT"), ("ORG", "ORG"), ("PRODUCT", "LOC"), ("PRODUCT", "ORG"),
                    ("PRODUCT", "PROJECT"), ("PROJECT", "PROJECT"), ("PROJECT", "LOC")},
    "partner-of": {("ORG", "ORG"), ("ORG", "LOC"), ("LOC", "ORG"), ("ORG", "PROJECT"), ("PROJECT", "ORG")},
    "subsidiary-of": {("ORG", "ORG")},
    "located-in": {("ORG", "LOC"), ("PROJECT", "LOC")},
    "operates": {("ORG", "PROJECT")},
}
PAIR_TYPES = set().union(*SIGNATURES.values())

TYPE_CHAR = {"ORG": "◆", "PROJECT": "▲", "PRODUCT": "●", "LOC": "■", "PERSON": "♦"}
REL_CHAR = {"supplier-of": "供", "invested-in": "投", "deployed-at": "部", "partner-of": "合",
            "subsidiary-of": "属", "located-in": "位", "operates": "营"}
HEAD_OPEN, HEAD_CLOSE, TAIL_OPEN, TAIL_CLOSE = "⟦", "⟧", "⦃", "⦄"
FORWARD, BACKWARD = "⁑", "⁂"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
WINDOW = 40  # characters of context kept on each side of the pair: long sentences list many deals

BETWEEN, AROUND = "⁅", "⁆"
# cue words the classifier is told about (wider than the baseline's triggers below, which stay fixed
# so that the baseline measures the same thing from run to run)
CUES: dict[str, tuple[str, ...]] = {
    "supplier-of": ("供应", "供货", "采购", "中标", "成交", "中选", "提供", "交付", "订单", "销售", "承建",
                    "总承包", "施工", "承接", "合同"),
    "invested-in": ("投资", "注资", "入股", "持股", "持有", "股权", "增持", "出资", "收购", "并购", "设立",
                    "成立", "组建", "投建", "基金", "总投资", "合资"),
    "deployed-at": ("部署", "落地", "上线", "接入", "上架", "入驻", "应用", "启用", "引进", "引入", "承载",
                    "搭载", "集聚", "汇聚"),
    "partner-of": ("合作", "签约", "携手", "联合", "共建", "战略", "协议", "牵手"),
    "subsidiary-of": ("子公司", "分公司", "旗下", "下属", "控股", "隶属"),
    "located-in": ("位于", "坐落", "地处", "落户", "选址", "园区", "境内"),
    "operates": ("运营", "推出", "打造", "开通", "运维", "管理"),
}

# trigger words of the co-occurrence baseline (and nothing else): a relation's word in the sentence
TRIGGERS: dict[str, tuple[str, ...]] = {
    "supplier-of": ("供应", "供货", "采购", "中标", "提供", "交付", "订单", "销售"),
    "invested-in": ("投资", "注资", "入股", "持股", "增持", "出资", "收购", "并购", "设立", "成立"),
    "deployed-at": ("部署", "落地", "上线", "接入", "上架", "入驻", "应用"),
    "partner-of": ("合作", "签约", "携手", "联合", "共建", "战略"),
    "subsidiary-of": ("子公司", "分公司", "旗下", "下属", "控股"),
    "located-in": ("位于", "坐落", "地处", "落户"),
    "operates": ("运营", "推出", "打造", "开通"),
}


def allowed(relation: str, head: str, tail: str) -> bool:
    return (head, tail) in SIGNATURES.get(relation, ())


def resolved(arg: Arg) -> str:
    return arg.canonical or arg.text


def candidate_pairs(mentions: list[Arg]) -> Iterable[tuple[Arg, Arg]]:
    """Ordered pairs of distinct actors whose types some relation links."""
    for h in mentions:
        for t in mentions:
            if h is t or (h.label, t.label) not in PAIR_TYPES or resolved(h) == resolved(t):
                continue
            if h.start < t.end and t.start < h.end:
                continue
            yield h, t


def nearest_occurrences(pairs: Iterable[tuple[Arg, Arg]], keep: int = 2) -> list[tuple[Arg, Arg]]:
    """Of the pairs that join the same two names, the `keep` whose ends stand closest. A sentence
    that repeats names (a list of 60 firms joined by 与 and 和) has quadratically many pairs, and
    the classifier's cost grows with them; a relation is stated where its two names stand close."""
    groups: dict[tuple[str, str], list[tuple[int, int, Arg, Arg]]] = {}
    for i, (h, t) in enumerate(pairs):
        gap = max(h.start, t.start) - min(h.end, t.end)
        groups.setdefault((resolved(h), resolved(t)), []).append((gap, i, h, t))
    kept = [item for group in groups.values() for item in sorted(group, key=lambda x: x[:2])[:keep]]
    return [(h, t) for _, _, h, t in sorted(kept, key=lambda x: x[1])]


_LIST_GLUE = re.compile(r"[、和及\s]*")


def listed_together(text: str, a: Arg, b: Arg, mentions: list[Arg]) -> bool:
    """True if a and b are members of one list (A、B和C): only 、/和/及 and other mentions between
    them, and a 、 among or next to them (A和B签约 are two parties, not a list). The rules link
    co-agents of such lists (由A与B共同…) where the text says so."""
    first, last = (a, b) if a.start <= b.start else (b, a)
    pos, rest = first.end, []
    for m in sorted(mentions, key=lambda x: x.start):
        if first.end <= m.start and m.end <= last.start:
            rest.append(text[pos:m.start])
            pos = m.end
    rest.append(text[pos:last.start])
    glue = "".join(rest)
    if _LIST_GLUE.fullmatch(glue) is None:
        return False
    return "、" in glue or text[first.start - 1:first.start] == "、" or text[last.end:last.end + 1] == "、"


def marked(text: str, s: int, e: int, head: Arg, tail: Arg, mentions: list[Arg], hits: dict) -> str:
    """The classifier's input for one pair: see the module docstring."""
    lo = max(s, min(head.start, tail.start) - WINDOW)
    hi = min(e, max(head.end, tail.end) + WINDOW)
    out, pos = [], lo
    for m in sorted(mentions, key=lambda a: (a.start, -a.end)):
        if m.start < pos or m.end > hi or m.start < lo:
            continue
        out.append(text[pos:m.start])
        if m is head:
            out.append(HEAD_OPEN + TYPE_CHAR.get(m.label, "?") + m.text + HEAD_CLOSE)
        elif m is tail:
            out.append(TAIL_OPEN + TYPE_CHAR.get(m.label, "?") + m.text + TAIL_CLOSE)
        else:
            out.append(TYPE_CHAR.get(m.label, "?"))
        pos = m.end
    out.append(text[pos:hi])
    key_f, key_b = (resolved(head), resolved(tail)), (resolved(tail), resolved(head))
    prefix = "".join(FORWARD + REL_CHAR[r] for r in sorted(hits.get(key_f, ())))
    prefix += "".join(BACKWARD + REL_CHAR[r] for r in sorted(hits.get(key_b, ())))
    return prefix + cue_marks(text, lo, hi, head, tail) + " " + "".join(out).replace("\n", " ")


def cue_marks(text: str, lo: int, hi: int, head: Arg, tail: Arg) -> str:
    """Which relations' cue words stand between the pair (⁅) or only around it (⁆), and whether the
    head comes first (→) or last (←): few annotated pairs per relation, so the model is handed the
    facts a reader of the construction looks at instead of having to find them in the characters."""
    first, last = (head, tail) if head.start <= tail.start else (tail, head)
    between = text[first.end:last.start]
    around = text[lo:first.start] + text[last.end:hi]
    marks = ["→" if first is head else "←"]
    for relation, words in CUES.items():
        if any(w in between for w in words):
            marks.append(BETWEEN + REL_CHAR[relation])
        elif any(w in around for w in words):
            marks.append(AROUND + REL_CHAR[relation])
    return "".join(marks)


def sentence_hits(text: str, s: int, e: int, inside: list[Arg]) -> dict[tuple[str, str], set[str]]:
    """(head, tail) -> relations the rules find in the sentence, symmetric ones both ways."""
    out: dict[tuple[str, str], set[str]] = {}
    # the rules mask mentions with private-use characters; one already in the text would read as a mention
    text = _PRIVATE_USE.sub(" ", text[:e]) if _PRIVATE_USE.search(text, s, e) else text
    for r in rule_hits(text, s, e, inside):
        h, t = resolved(r.head), resolved(r.tail)
        out.setdefault((h, t), set()).add(r.relation)
        if r.relation in SYMMETRIC:
            out.setdefault((t, h), set()).add(r.relation)
    return out


def doc_mentions(doc: Doc) -> list[Arg]:
    hints = doc._.kg_canonical if Doc.has_extension("kg_canonical") else None
    return [Arg(e.text, e.label_, e.start_char, e.end_char, (hints or {}).get((e.start_char, e.end_char))) for e in doc.ents]


def link_attributes(text: str, s: int, e: int, head: Arg, tail: Arg, mentions: Iterable[Arg] = ()) -> dict:
    """The sentence's amount, quantity and date for one link; `mentions` (the sentence's) tell
    whose a quantity is where several firms or products are named."""
    near = [a.start - s for a in (tail, head) if a.start >= 0]
    ends = {(head.start, head.end), (tail.start, tail.end)}
    owners = [m.start - s for m in mentions
              if m.label in ("ORG", "PRODUCT") and s <= m.start < e and (m.start, m.end) not in ends
              and resolved(m) not in (resolved(head), resolved(tail))]
    return attributes(text[s:e], near=near, owners=owners)


def one_direction(added: list[Relation], existing: list[Relation]) -> list[Relation]:
    """The classifier's links less those whose reverse the rules state, or the classifier states
    with more confidence: it reads a pair both ways and may see a deal's verb in both (X获A投资,
    B与A共同设立X), but one party of a one-way relation is the investor, owner or supplier."""
    ruled = {(r.relation, resolved(r.head), resolved(r.tail)) for r in existing}
    best: dict[tuple[str, str, str], float] = {}
    for r in added:
        key = (r.relation, resolved(r.head), resolved(r.tail))
        best[key] = max(best.get(key, 0.0), r.confidence)
    out = []
    for r in added:
        reverse = (r.relation, resolved(r.tail), resolved(r.head))
        if r.relation not in SYMMETRIC and (reverse in ruled or best.get(reverse, 0.0) > r.confidence):
            continue
        out.append(r)
    return out


def shipped_model_path() -> Path:
    return Path(str(resources.files("kg") / "models" / "rel"))


@lru_cache(maxsize=4)
def load_textcat(path: str) -> Language:
    if not (Path(path) / "config.cfg").is_file():
        raise FileNotFoundError(f"{path}: no relation model here; build it with scripts/train_relation_model.py")
    return spacy.load(path)


def score_pairs(model: Language, strings: list[str], batch_size: int = 256) -> list[dict[str, float]]:
    return [dict(d.cats) for d in model.pipe(strings, batch_size=batch_size)]


class RelationClassifier(Stateless):
    def __init__(self, nlp: Language, name: str, model: Optional[str], threshold: float, keep_threshold: float,
                 rule_weight: float, adds: Optional[list[str]] = None, alias_file: Optional[str] = None):
        self.name = name
        # the places it must not link to are the ones the rules read, a user's aliases included
        self.lexicon = load_lexicon(alias_file)
        self.path = str(model or shipped_model_path())
        self.threshold = threshold
        unknown = set(adds or ()) - set(RELATIONS)
        if unknown:
            raise ValueError(f"kg_relation_classifier: adds names no relation kg knows: {', '.join(sorted(unknown))}")
        self.adds = set(RELATIONS if adds is None else adds)
        self.keep_threshold = keep_threshold
        self.rule_weight = rule_weight
        self.model = load_textcat(self.path)

    def __call__(self, doc: Doc) -> Doc:
        mentions = actors(doc.text, doc_mentions(doc))
        mentions = mentions + references(doc.text, mentions)
        doc._.kg_relations = self.predict(doc.text, mentions, list(doc._.kg_relations or []))
        return doc

    def predict(self, text: str, mentions: list[Arg], existing: list[Relation],
                spans: Optional[list[tuple[int, int]]] = None) -> list[Relation]:
        """The rules' links `existing`, vetted, plus the classifier's, over the sentences `spans`."""
        pairs, strings = [], []
        for s, e in spans if spans is not None else sentences(text):
            inside = [m for m in mentions if s <= m.start and m.end <= e]
            if len(inside) < 2:
                continue
            hits = sentence_hits(text, s, e, inside)
            for h, t in nearest_occurrences(candidate_pairs(inside)):
                if listed_together(text, h, t, inside):
                    continue  # 与A、B、C达成合作: A and B are partners of the subject, not of each other
                pairs.append((s, e, h, t))
                strings.append(marked(text, s, e, h, t, inside, hits))
        scores = score_pairs(self.model, strings) if strings else []
        verdict: dict[tuple, dict[str, float]] = {}
        added: list[Relation] = []
        for (s, e, h, t), cats in zip(pairs, scores):
            key = (s, e, resolved(h), resolved(t))
            # a name met twice in a sentence: the pair holds if either occurrence states it
            verdict[key] = {k: max(v, verdict.get(key, {}).get(k, 0.0)) for k, v in cats.items()}
            label = max(cats, key=cats.get)
            if label not in self.adds or cats[label] < self.threshold or not allowed(label, h.label, t.label):
                continue
            added.append(Relation(h, label, t, (s, e), round(cats[label], 4), link_attributes(text, s, e, h, t, mentions),
                                  rule="model"))
        added = not_in_a_country(one_direction(added, existing), self.lexicon)
        # an investment in a run of places (在A市B区投资) is in the last, which narrows it down, as the
        # rules read it (a deployment is annotated at the wider place as well: measured, it is kept)
        places = {m.start for m in mentions if m.label == "LOC"}
        added = [r for r in added if not (r.relation == "invested-in" and r.tail.label == "LOC" and r.tail.end in places)]
        # deployed at a facility or organisation of the sentence, not also at the place the sentence
        # is set in (甘肃首个DeepSeek大模型部署在X产业园): the host is the most specific one written
        hosted = {(r.evidence, resolved(r.head)) for r in existing + added if r.relation == "deployed-at" and r.tail.label != "LOC"}
        added = [r for r in added if not (r.relation == "deployed-at" and r.tail.label == "LOC" and (r.evidence, resolved(r.head)) in hosted)]
        kept = []
        for r in existing:
            cats = verdict.get((r.evidence[0], r.evidence[1], resolved(r.head), resolved(r.tail)))
            if r.implicit or cats is None:
                kept.append(r)
                continue
            p = cats.get(r.relation, 0.0)
            if r.relation in SYMMETRIC:
                back = verdict.get((r.evidence[0], r.evidence[1], resolved(r.tail), resolved(r.head)), {})
                p = max(p, back.get(r.relation, 0.0))
            if p < self.keep_threshold:
                continue  # the classifier read this sentence and does not see the rule's link in it
            r.confidence = round(self.rule_weight * r.confidence + (1 - self.rule_weight) * p, 4)
            r.attributes = link_attributes(text, r.evidence[0], r.evidence[1], r.head, r.tail, mentions)
            kept.append(r)
        return dedupe(kept + added)


@Language.factory(
    "kg_relation_classifier",
    default_config={"model": None, "threshold": 0.5, "keep_threshold": 0.0, "rule_weight": 0.5, "adds": None,
                    "alias_file": None},
    requires=["doc.ents", "doc._.kg_relations"],
    assigns=["doc._.kg_relations"],
)
def make_relation_classifier(nlp: Language, name: str, model: Optional[str], threshold: float,
                             keep_threshold: float, rule_weight: float, adds: Optional[list[str]],
                             alias_file: Optional[str]) -> RelationClassifier:
    return RelationClassifier(nlp, name, model, threshold, keep_threshold, rule_weight, adds, alias_file)


# ------------------------------------------------------------------------ the baseline
def cooccurrence_relations(text: str, mentions: list[Arg]) -> list[Relation]:
    """Baseline (a): every pair of one sentence whose types fit, linked by each relation whose trigger
    word the sentence contains, the earlier mention as head (Chinese states the agent first)."""
    out = []
    for s, e in sentences(text):
        sentence = text[s:e]
        inside = [m for m in mentions if s <= m.start and m.end <= e]
        for h, t in candidate_pairs(inside):
            if h.start > t.start:
                continue
            for relation, words in TRIGGERS.items():
                if allowed(relation, h.label, t.label) and any(w in sentence for w in words):
                    out.append(Relation(h, relation, t, (s, e), 0.5, link_attributes(text, s, e, h, t), rule="baseline"))
    return dedupe(out)


class CooccurrenceBaseline:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc_mentions(doc)
        doc._.kg_relations = cooccurrence_relations(doc.text, mentions + references(doc.text, mentions))
        return doc


@Language.factory("kg_relation_baseline", requires=["doc.ents"], assigns=["doc._.kg_relations"])
def make_cooccurrence_baseline(nlp: Language, name: str) -> CooccurrenceBaseline:
    return CooccurrenceBaseline(name)
