#!/usr/bin/env python3
"""Relation scores of three systems side by side, per relation, core and all:

  (a) baseline: sentence co-occurrence + trigger words (`kg_relation_baseline`);
  (b) rules: kg/relations.py (`kg_relations`);
  (c) classifier + rules (`kg_relation_classifier` after `kg_relations`).

    .venv/bin/python scripts/eval_relations.py --gold ../shared/gold --gold /tmp/heldout --public

Gold folders (../shared/gold; the annotations' heldout split exported with
`python scripts/annotations.py export /tmp/heldout --split heldout`) are scored end to end by
kg.evaluate, the entities found by kg's own pipeline; `--gold-entities` also scores them with the
gold mentions given, which separates relation errors from entity errors. `--public` scores pairs
of gold mentions in the public test splits mapped to kg's relations (FinRE test, FCAR test, the
civil-aircraft human 200). Measurement only: nothing here feeds back into training.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import relation_data as D  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

from kg import evaluate as ev  # noqa: E402
from kg.evaluate import CORE, Score  # noqa: E402
from kg.relation_model import SYMMETRIC, cooccurrence_relations, load_textcat, resolved  # noqa: E402
from kg.relations import RELATIONS, rule_hits  # noqa: E402

SYSTEMS = ("baseline", "rules", "classifier")
PIPES = {"baseline": "kg_relation_baseline", "rules": "kg_relations", "classifier": "kg_relation_classifier"}


def pipeline(classifier_config: dict, ner: bool = True):
    from kg.pipeline import load_nlp

    nlp = load_nlp(ner=None if ner else False)
    if "kg_relation_classifier" not in nlp.pipe_names:
        nlp.add_pipe("kg_relation_classifier", after="kg_relations", config=classifier_config)
    nlp.add_pipe("kg_relation_baseline", after="kg_relations")
    return nlp


def disabled_for(system: str) -> list[str]:
    return {"baseline": ["kg_relation_classifier"], "rules": ["kg_relation_classifier", "kg_relation_baseline"],
            "classifier": ["kg_relation_baseline"]}[system]


class GoldEntities:
    """Stands in for the pipeline with the gold mentions as the entities: only the relation stages run."""

    def __init__(self, nlp, gold: ev.GoldDocument, system: str):
        self.nlp, self.gold, self.system = nlp, gold, system

    def __call__(self, text: str):
        import annotations as A
        from spacy.tokens import Doc

        doc = self.nlp.make_doc(text)
        spans = A.mention_spans(text, [(e["text"], e["type"], e["canonical"]) for e in self.gold.entities])
        ents = [doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand") for s in spans]
        doc.ents = filter_spans([e for e in ents if e is not None])
        if Doc.has_extension("kg_canonical"):
            doc._.kg_canonical = {(e.start_char, e.end_char): None for e in doc.ents}
        for name in ("kg_relations", "kg_relation_baseline" if self.system == "baseline" else None,
                     "kg_relation_classifier" if self.system == "classifier" else None):
            if name:
                doc = self.nlp.get_pipe(name)(doc)
        return doc


def score_gold_folder(nlp, folder: Path, gold_entities: bool) -> dict[str, ev.Report]:
    from kg.documents import Document
    from kg.extraction import extract_document

    docs = list(ev.load_gold(folder))
    out = {}
    for system in SYSTEMS:
        if gold_entities:
            def predict(g, system=system):
                return extract_document(GoldEntities(nlp, g, system), Document(g.doc_id, g.source, g.text))
            out[system] = ev.evaluate(docs, predict)
        else:
            with nlp.select_pipes(disable=disabled_for(system)):
                out[system] = ev.evaluate(docs, ev.pipeline_predictor(nlp))
    return out


def score_public(classifier, sents) -> dict[str, dict[str, Score]]:
    """Pairs of gold mentions, one sentence at a time; partner-of without direction."""
    sents = list(sents)
    gold, pred = set(), {s: set() for s in SYSTEMS}
    for i, sent in enumerate(sents):
        scored = set()
        for h, t, label in D.gold_pairs(sent):
            key = (resolved(h), resolved(t))
            scored.add(key)
            if label != "NONE":
                gold.add(_key(i, key[0], label, key[1]))
        span = [(sent.start, sent.end)]
        rules = rule_hits(sent.text, sent.start, sent.end, sent.mentions)
        base = cooccurrence_relations(sent.text[:sent.end], sent.mentions)
        both = classifier.predict(sent.text, sent.mentions, rules, spans=span)
        for system, rels in (("baseline", base), ("rules", rules), ("classifier", both)):
            for r in rels:
                h, t = resolved(r.head), resolved(r.tail)
                if (h, t) in scored or (r.relation in SYMMETRIC and (t, h) in scored):
                    pred[system].add(_key(i, h, r.relation, t))
    return {system: _scores(pred[system], gold) for system in SYSTEMS}


def _key(i, h, rel, t):
    if rel in SYMMETRIC:
        h, t = sorted((h, t))
    return i, h, rel, t


def _scores(pred: set, gold: set) -> dict[str, Score]:
    out = {}
    for name, rels in [("ALL", RELATIONS), ("core", CORE)] + [(r, (r,)) for r in RELATIONS]:
        s = Score()
        s.add({p for p in pred if p[2] in rels}, {g for g in gold if g[2] in rels})
        out[name] = s
    return out


def table(title: str, by_system: dict[str, dict[str, Score]]) -> str:
    head = f"{title}\n  {'relation':<14}" + "".join(f"{s + ' P/R/F1':>22}{'(tp/fp/fn)':>14}" for s in SYSTEMS)
    lines = [head]
    keys = ["ALL", "core"] + [r for r in RELATIONS]
    for k in keys:
        row = f"  {k:<14}"
        for s in SYSTEMS:
            sc = by_system[s].get(k, Score())
            row += f"{sc.precision:8.3f}{sc.recall:7.3f}{sc.f1:7.3f}{f'({sc.tp}/{sc.fp}/{sc.fn})':>14}"
        lines.append(row)
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gold", type=Path, action="append", default=[], help="a gold folder (repeatable)")
    p.add_argument("--gold-entities", action="store_true", help="also score gold folders with the gold mentions given")
    p.add_argument("--public", action="store_true", help="score the mapped public test splits")
    p.add_argument("--domain-dev", action="store_true", help="score the model-selection fifth of the train split")
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--keep-threshold", type=float, default=None)
    p.add_argument("--adds", default=None, help="comma-separated relations the classifier may add (default: the pipeline's)")
    p.add_argument("--model", type=Path, default=None, help="score this classifier folder instead of the shipped kg/models/rel")
    p.add_argument("--no-ner", action="store_true", help="leave the trained NER out (entities by kg_entities alone)")
    p.add_argument("--json", type=Path, default=None, help="also write all scores here")
    args = p.parse_args(argv)
    adds = args.adds.split(",") if args.adds else None
    config = {k: v for k, v in (("threshold", args.threshold), ("keep_threshold", args.keep_threshold), ("adds", adds),
                                ("model", str(args.model) if args.model else None)) if v is not None}
    nlp = pipeline(config, ner=not args.no_ner)
    if config and "kg_relation_classifier" in nlp.pipe_names:
        comp = nlp.get_pipe("kg_relation_classifier")
        comp.threshold = config.get("threshold", comp.threshold)
        comp.keep_threshold = config.get("keep_threshold", comp.keep_threshold)
        comp.adds = set(config.get("adds", comp.adds))
        if "model" in config:
            comp.path, comp.model = config["model"], load_textcat(config["model"])
    classifier = nlp.get_pipe("kg_relation_classifier")
    results = {}
    for folder in args.gold:
        modes = [False, True] if args.gold_entities else [False]
        for gold_entities in modes:
            reports = score_gold_folder(nlp, folder, gold_entities)
            name = f"{folder} ({'gold mentions' if gold_entities else 'end to end'}, {reports['rules'].documents} docs)"
            results[name] = {s: r.relations for s, r in reports.items()}
            print(table(name, results[name]), "\n", flush=True)
    sets = []
    if args.public:
        sets += [("FinRE test (mapped)", D.finre("test")), ("FCAR test (mapped)", D.fcar("test")),
                 ("civil-aircraft human 200 (mapped)", D.civil("human"))]
    if args.domain_dev:
        sets.append(("annotations train split, model-selection fifth (gold mentions)", D.domain("dev")))
    for name, sents in sets:
        results[name] = score_public(classifier, sents)
        print(table(name, results[name]), "\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps({n: {s: {k: v.as_dict() for k, v in sc.items()} for s, sc in r.items()}
                                         for n, r in results.items()}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
