"""Extraction records: one JSON object per document, the public contract of `kg extract`.

    {"doc_id", "source", "meta",
     "entities":  [{"text", "label", "start", "end", "canonical", "actor", "id"}],
     "inferred":  [{"label", "canonical", "actor", "id"}],  # actors named by no mention (a branch's parent),
                                                         # canonical as written inside other names
     "relations": [{"head", "relation", "tail", "head_id", "tail_id", "head_actor", "tail_actor", "evidence",
                    "evidence_start", "evidence_end", "confidence", "implicit", "amount", "quantity", "date", ...}]}

Offsets are character offsets into the document text as read (after line-end normalisation).
`actor` is the actor's name in the graph (the gazetteer's canonical where kg knows the actor) and
`id` its stable identifier; `canonical` is the name the document's mentions merge to, in the
document's own terms. A relation's `head` and `tail` are its ends as the evidence sentence writes
them (where the link rests on a reference such as 我们, or on a name read inside another, the
document's name); `head_actor`/`tail_actor` are the document's names for those actors, and the
ids tie them to the graph.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import threading
import traceback
from contextlib import contextmanager
from itertools import islice
from typing import IO, Iterable, Iterator, Optional, Union

from spacy.language import Language

from .documents import Document, DocumentError, Item
from .lexicon import load_lexicon, normalize
from .relations import Arg, sentence_index, sentences
from .resolution import DocumentResolver, clean_name, entity_id

Record = dict


def extract_document(nlp: Language, document: Document, alias_file: Optional[str] = None) -> Record:
    record = _extract(nlp, document, alias_file)
    if document.analysis is not None:
        _quote_original(record, document.text)
    for rel in record["relations"]:
        rel.pop("_spans", None)
    return record


def _quote_original(record: Record, text: str) -> None:
    """A traditional document was analysed in its simplified copy, whose offsets are the
    original's: mention texts and evidence are cut again from the original."""
    for ent in record["entities"]:
        ent["text"] = text[ent["start"]:ent["end"]]
    for rel in record["relations"]:
        rel["evidence"] = text[rel["evidence_start"]:rel["evidence_end"]]
        for side, span in zip(("head", "tail"), rel.get("_spans", (None, None))):
            if span:
                rel[side] = text[span[0]:span[1]]


def _extract(nlp: Language, document: Document, alias_file: Optional[str]) -> Record:
    doc = nlp(document.analysis_text)
    text = doc.text  # spaCy rebuilds doc.text from the tokens on every access
    lexicon = load_lexicon(alias_file)
    hints = doc._.kg_canonical or {}
    resolver = DocumentResolver(
        lexicon, text, [(e.text, e.label_, hints.get((e.start_char, e.end_char))) for e in doc.ents]
    )
    actors = [resolver.canonical(e.text, e.label_, hints.get((e.start_char, e.end_char))) for e in doc.ents]
    local = local_names(text, [(e.text, e.label_, a) for e, a in zip(doc.ents, actors)])
    entities = []
    for ent, actor in zip(doc.ents, actors):
        entities.append({
            "text": ent.text, "label": ent.label_, "start": ent.start_char, "end": ent.end_char,
            "canonical": local[(actor, ent.label_)], "actor": actor, "id": entity_id(actor, ent.label_),
        })
    known = {(e["actor"], e["label"]) for e in entities}
    inferred: dict[tuple[str, str], dict] = {}
    # an organisation the text names only inside other names (中国移动通信集团有限公司 in its
    # 江苏分公司, 中国移动 in 中国移动长三角(扬州)数据中心) goes by the fullest name written there, as a
    # reader knows it; a place by its full name
    written_inside: dict[tuple[str, str], str] = {}
    for rel in doc._.kg_relations or []:
        for arg in (rel.head, rel.tail):
            actor = arg.canonical or resolver.canonical(arg.text, arg.label)
            key = (actor, arg.label)
            if arg.label == "ORG" and key not in known and arg.text in text and len(arg.text) > len(written_inside.get(key, actor)):
                written_inside[key] = arg.text

    def resolve(arg: Arg) -> tuple[str, str]:
        actor = arg.canonical or resolver.canonical(arg.text, arg.label)
        key = (actor, arg.label)
        if key not in known and key not in inferred:
            name = written_inside.get(key, actor)
            inferred[key] = {"label": arg.label, "canonical": name, "actor": actor, "id": entity_id(actor, arg.label)}
        name = local[key] if key in known else inferred[key]["canonical"]
        return name, entity_id(actor, arg.label)

    mentions_of: dict[str, list[tuple[int, int]]] = {}
    for ent in entities:
        mentions_of.setdefault(ent["id"], []).append((ent["start"], ent["end"]))

    def written(actor_id: str, evidence: tuple[int, int]) -> Optional[tuple[int, int]]:
        """Where the evidence writes an end of a link: the actor's fullest mention inside it. None
        where it names the actor only by a reference (我们, 该项目), inside another name, or not at
        all: those ends go by the document's name for the actor."""
        inside = [m for m in mentions_of.get(actor_id, ()) if evidence[0] <= m[0] and m[1] <= evidence[1]]
        return max(inside, key=lambda m: (m[1] - m[0], -m[0])) if inside else None

    relations = []
    for rel in doc._.kg_relations or []:
        head, head_id = resolve(rel.head)
        tail_arg = rel.tail
        if rel.relation == "subsidiary-of" and rel.implicit:
            # the branch's parent is the one resolution composed its canonical from
            chain = resolver.parent_chain(rel.head.canonical or resolver.canonical(rel.head.text, rel.head.label))
            if chain:
                tail_arg = rel.tail if rel.tail.canonical == chain[0] else Arg(chain[0], "ORG", canonical=chain[0])
        tail, tail_id = resolve(tail_arg)
        if head_id == tail_id:
            continue
        s, e = rel.evidence
        ends = (written(head_id, (s, e)), written(tail_id, (s, e)))
        record = {
            "head": text[ends[0][0]:ends[0][1]] if ends[0] else head, "relation": rel.relation,
            "tail": text[ends[1][0]:ends[1][1]] if ends[1] else tail,
            "head_id": head_id, "tail_id": tail_id, "head_actor": head, "tail_actor": tail, "_spans": ends,
            "evidence": text[s:e], "evidence_start": s, "evidence_end": e,
            "confidence": round(rel.confidence, 3), "implicit": rel.implicit,
        }
        record.update(rel.attributes)
        relations.append(record)
    relations += _parent_links(text, entities, resolver, resolve, relations)
    relations.sort(key=lambda r: (r["evidence_start"], r["relation"], r["head"], r["tail"]))
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "meta": dict(document.meta),
        "entities": entities,
        "inferred": sorted(inferred.values(), key=lambda x: (x["label"], x["canonical"])),
        "relations": relations,
    }


def _parent_links(text: str, entities: list[dict], resolver: DocumentResolver, resolve, relations: list[dict]) -> list[dict]:
    """subsidiary-of along each organisation's parent chain (中国移动甘肃公司庆阳分公司 ->
    中国移动甘肃公司 -> 中国移动) where the rules stated no such link: the parents exist as actors
    even when only the branch is named. Evidence is the sentence of the actor's first mention."""
    have = {(r["head_id"], r["relation"], r["tail_id"]) for r in relations}
    sentence_spans = list(sentences(text))
    out = []
    seen: set[str] = set()
    for ent in entities:
        # one chain per actor, from its first mention; later mentions would only repeat it
        if ent["label"] != "ORG" or ent["actor"] in seen:
            continue
        seen.add(ent["actor"])
        child = ent["actor"]
        for parent in resolver.parent_chain(child):
            head, head_id = resolve(Arg(child, "ORG", canonical=child))
            tail, tail_id = resolve(Arg(parent, "ORG", canonical=parent))
            key = (head_id, "subsidiary-of", tail_id)
            if key not in have and head_id != tail_id:
                have.add(key)
                i = sentence_index(sentence_spans, ent["start"])
                s, e = sentence_spans[i] if i is not None else (ent["start"], ent["end"])
                out.append({
                    "head": head, "relation": "subsidiary-of", "tail": tail, "head_id": head_id, "tail_id": tail_id,
                    "head_actor": head, "tail_actor": tail,
                    "evidence": text[s:e], "evidence_start": s, "evidence_end": e,
                    "confidence": 0.85, "implicit": True,
                })
            child = parent
    return out


def local_names(text: str, mentions: list[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """(actor, label) -> the name this document uses for the actor.

    That is the actor's canonical name where the document writes it (or for places, whose canonical
    adds 市/省 to what texts write), and otherwise the document's fullest form of it: a reader of
    the record, like a gold annotator, knows the actor by names the text contains."""
    folded = normalize(text)
    written = {(normalize(surface), label) for surface, label, _ in mentions}
    out: dict[tuple[str, str], str] = {}
    for surface, label, actor in mentions:
        key = (actor, label)
        # 庆阳 -> 庆阳市: a place's canonical that completes what the text writes is the one readers
        # use; one that replaces it (成都高新区 -> 成都高新技术产业开发区) is not. An organisation's
        # canonical counts as written only as a name of its own: 阿里巴巴 inside 阿里巴巴集团 is not
        if (normalize(actor), label) in written or (
                label == "LOC" and (normalize(actor) in folded or actor.startswith(surface))):
            out[key] = actor
        elif key not in out or len(surface) > len(out[key]):
            out[key] = clean_name(surface)
    return out


def extract(
    nlp: Language, items: Iterable[Item], alias_file: Optional[str] = None, time_limit: Optional[float] = None,
    workers: int = 1,
) -> Iterator[Union[Record, DocumentError]]:
    """Records in input order; a document that fails, or takes longer than `time_limit` seconds,
    is reported as an error and the stream goes on. With `workers` > 1 the documents are extracted
    in that many processes, a bounded batch at a time, so a stream of any length stays a stream."""
    if workers > 1:
        yield from _extract_in_workers(nlp, items, alias_file, time_limit, workers)
        return
    for item in items:
        yield item if isinstance(item, DocumentError) else _extract_one(nlp, item, alias_file, time_limit)


def _extract_one(nlp: Language, item: Document, alias_file: Optional[str], time_limit: Optional[float]) -> Union[Record, DocumentError]:
    line = item.meta.get("line")
    try:
        with _time_limit(time_limit):
            return extract_document(nlp, item, alias_file)
    except _TimeLimit:
        return DocumentError(item.source, f"extraction stopped at its time limit of {time_limit:g} s "
                             f"({len(item.text)} characters)", line)
    except Exception as exc:  # one bad document must not end a run over 10^5 of them
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return DocumentError(item.source, f"extraction failed: {detail}", line)


# what a worker process extracts with: set before the pool forks, so each worker has the loaded
# pipeline without unpickling it (a pipeline with its models does not pickle cheaply)
_WORKER: dict = {}
BATCH_PER_WORKER = 16


def _work(item: Document) -> Union[Record, DocumentError]:
    return _extract_one(_WORKER["nlp"], item, _WORKER["alias_file"], _WORKER["time_limit"])


def _extract_in_workers(nlp: Language, items: Iterable[Item], alias_file: Optional[str], time_limit: Optional[float],
                        workers: int) -> Iterator[Union[Record, DocumentError]]:
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ValueError("extraction in several processes needs the fork start method (Linux); use one worker")
    _WORKER.update(nlp=nlp, alias_file=alias_file, time_limit=time_limit)
    items = iter(items)
    # Pool.imap would read the whole input ahead into its task queue: batches keep memory bounded
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        while batch := list(islice(items, BATCH_PER_WORKER * workers)):
            done = pool.imap(_work, [i for i in batch if not isinstance(i, DocumentError)])
            for item in batch:
                yield item if isinstance(item, DocumentError) else next(done)


class _TimeLimit(BaseException):
    """Raised in the pipeline when a document's time is up; a BaseException so that no
    component's `except Exception` can swallow it and go on."""


@contextmanager
def _time_limit(seconds: Optional[float]):
    # one document that makes a stage slow (a long run of text without punctuation) must not
    # hold a run of 10^5 documents for hours; a timer signal interrupts the pure-Python stages
    # where they are, which only the main thread can receive
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_jsonl(record: Record, fh: IO[str]) -> None:
    fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


def read_jsonl(path) -> Iterator[Record]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)



__all__ = ["extract", "extract_document", "write_jsonl", "read_jsonl", "clean_name"]
