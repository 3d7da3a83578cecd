"""Extraction records: one JSON object per document, the public contract of `kg extract`.

    {"doc_id", "source", "meta",
     "entities":  [{"text", "label", "start", "end", "canonical", "actor", "id"}],
     "inferred":  [{"label", "canonical", "actor", "id"}],  # actors named by no mention (a branch's parent)
     "relations": [{"head", "relation", "tail", "head_id", "tail_id", "evidence", "evidence_start",
                    "evidence_end", "confidence", "implicit", "amount", "quantity", "date", ...}]}

Offsets are character offsets into the document text as read (after line-end normalisation).
`actor` is the actor's name in the graph (the gazetteer's canonical where kg knows the actor) and
`id` its stable identifier; `canonical` is the name the document's mentions merge to, in the
document's own terms, and relations name their ends by it.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import IO, Iterable, Iterator, Optional, Union

from spacy.language import Language

from .documents import Document, DocumentError, Item
from .lexicon import load_lexicon, normalize
from .relations import Arg
from .resolution import DocumentResolver, clean_name, entity_id

Record = dict


def extract_document(nlp: Language, document: Document, alias_file: Optional[str] = None) -> Record:
    doc = nlp(document.text)
    lexicon = load_lexicon(alias_file)
    hints = doc._.kg_canonical or {}
    resolver = DocumentResolver(
        lexicon, doc.text, [(e.text, e.label_, hints.get((e.start_char, e.end_char))) for e in doc.ents]
    )
    actors = [resolver.canonical(e.text, e.label_, hints.get((e.start_char, e.end_char))) for e in doc.ents]
    local = local_names(doc.text, [(e.text, e.label_, a) for e, a in zip(doc.ents, actors)])
    entities = []
    for ent, actor in zip(doc.ents, actors):
        entities.append({
            "text": ent.text, "label": ent.label_, "start": ent.start_char, "end": ent.end_char,
            "canonical": local[(actor, ent.label_)], "actor": actor, "id": entity_id(actor, ent.label_),
        })
    known = {(e["actor"], e["label"]) for e in entities}
    inferred: dict[tuple[str, str], dict] = {}

    def resolve(arg: Arg) -> tuple[str, str]:
        actor = arg.canonical or resolver.canonical(arg.text, arg.label)
        if (actor, arg.label) not in known and (actor, arg.label) not in inferred:
            inferred[(actor, arg.label)] = {"label": arg.label, "canonical": actor, "actor": actor, "id": entity_id(actor, arg.label)}
        return local.get((actor, arg.label), actor), entity_id(actor, arg.label)

    relations = []
    for rel in doc._.kg_relations or []:
        head, head_id = resolve(rel.head)
        tail, tail_id = resolve(rel.tail)
        if head_id == tail_id:
            continue
        s, e = rel.evidence
        record = {
            "head": head, "relation": rel.relation, "tail": tail, "head_id": head_id, "tail_id": tail_id,
            "evidence": doc.text[s:e], "evidence_start": s, "evidence_end": e,
            "confidence": round(rel.confidence, 3), "implicit": rel.implicit,
        }
        record.update(rel.attributes)
        relations.append(record)
    relations.sort(key=lambda r: (r["evidence_start"], r["relation"], r["head"], r["tail"]))
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "meta": dict(document.meta),
        "entities": entities,
        "inferred": sorted(inferred.values(), key=lambda x: (x["label"], x["canonical"])),
        "relations": relations,
    }


def local_names(text: str, mentions: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """(actor, label) -> the name this document uses for the actor.

    That is the actor's canonical name where the document writes it (or for places, whose canonical
    adds 市/省 to what texts write), and otherwise the document's fullest form of it: a reader of
    the record, like a gold annotator, knows the actor by names the text contains."""
    folded = normalize(text)
    out: dict[tuple[str, str], str] = {}
    for surface, label, actor in mentions:
        key = (actor, label)
        if label == "LOC" or normalize(actor) in folded:
            out[key] = actor
        elif key not in out or len(surface) > len(out[key]):
            out[key] = clean_name(surface)
    return out


def extract(
    nlp: Language, items: Iterable[Item], alias_file: Optional[str] = None
) -> Iterator[Union[Record, DocumentError]]:
    """Records in input order; a document that fails is reported as an error and the stream goes on."""
    for item in items:
        if isinstance(item, DocumentError):
            yield item
            continue
        try:
            yield extract_document(nlp, item, alias_file)
        except Exception as exc:  # one bad document must not end a run over 10^5 of them
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            yield DocumentError(item.source, f"extraction failed: {detail}")


def write_jsonl(record: Record, fh: IO[str]) -> None:
    fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


def read_jsonl(path) -> Iterator[Record]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def print_error(error: DocumentError, stream: IO[str] = sys.stderr) -> None:
    print(f"kg: error: {error}", file=stream, flush=True)


__all__ = ["extract", "extract_document", "write_jsonl", "read_jsonl", "clean_name"]
