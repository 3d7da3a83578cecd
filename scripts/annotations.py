#!/usr/bin/env python3
"""The project's own annotations of ../shared/corpus, kept as stand-off records (no article text).

`scripts/annotations/corpus.jsonl` holds one record per annotated article:

    {"doc_id", "text_sha256", "split": "train"|"heldout",
     "entities": [{"start", "end", "label", "canonical"}],          # every mention
     "relations": [{"head", "relation", "tail", "evidence": [start, end], "implicit"}]}

Offsets are into the article as stored in ../shared/corpus/<doc_id>.txt; `text_sha256` detects an
article that changed under its annotation. Head, tail and canonical are actor names (facts, not
text). The held-out split (`heldout.txt`) is never read while writing rules or training.

    python scripts/annotations.py standoff            # drafts/ (gold format, with text) -> corpus.jsonl
    python scripts/annotations.py export DIR --split heldout   # corpus.jsonl + texts -> gold folder for kg evaluate
    python scripts/annotations.py stats
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Iterator, Optional

HERE = Path(__file__).resolve().parent / "annotations"
ROOT = HERE.parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
STANDOFF = HERE / "corpus.jsonl"
DRAFTS = HERE / "drafts"


def heldout_ids() -> set[str]:
    return {line.strip() for line in (HERE / "heldout.txt").read_text(encoding="utf-8").splitlines() if line.strip()}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mention_spans(text: str, surfaces: list[tuple[str, str, str]]) -> list[dict]:
    """Every occurrence of every annotated surface form, longest first, without overlaps."""
    taken = bytearray(len(text))
    spans = []
    for surface, label, canonical in sorted(surfaces, key=lambda s: -len(s[0])):
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                spans.append({"start": start, "end": end, "label": label, "canonical": canonical})
            start = text.find(surface, start + 1)
    return sorted(spans, key=lambda s: s["start"])


def to_standoff(draft: dict, text: str, split: str) -> dict:
    surfaces = [(e["text"], e["type"], e["canonical"]) for e in draft["entities"] if e["text"] in text]
    relations = []
    for r in draft["relations"]:
        ev = r.get("evidence") or ""
        s = text.find(ev) if ev else -1
        relations.append({
            "head": r["head"], "relation": r["relation"], "tail": r["tail"],
            "evidence": [s, s + len(ev)] if s >= 0 else None, "implicit": bool(r.get("implicit", False)),
        })
    return {"doc_id": draft["id"], "text_sha256": sha256(text), "split": split,
            "entities": mention_spans(text, surfaces), "relations": relations}


def load(split: Optional[str] = None, corpus: Path = DEFAULT_CORPUS) -> Iterator[dict]:
    """Records rehydrated with their text (`text`) and gold-format entities (`surfaces`)."""
    with STANDOFF.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if split and rec["split"] != split:
                continue
            path = corpus / f"{rec['doc_id']}.txt"
            text = path.read_text(encoding="utf-8")
            if sha256(text) != rec["text_sha256"]:
                raise ValueError(f"{path} changed since it was annotated")
            rec["text"] = text
            seen = {}
            for e in rec["entities"]:
                seen.setdefault((text[e["start"]:e["end"]], e["label"]), e["canonical"])
            rec["surfaces"] = [{"text": t, "type": l, "canonical": c} for (t, l), c in seen.items()]
            for r in rec["relations"]:
                r["evidence_text"] = text[r["evidence"][0]:r["evidence"][1]] if r["evidence"] else ""
            yield rec


def cmd_standoff(args) -> None:
    held = heldout_ids()
    records = []
    for path in sorted(DRAFTS.glob("*.json")):
        draft = json.loads(path.read_text(encoding="utf-8"))
        text = (args.corpus / f"{draft['id']}.txt").read_text(encoding="utf-8")
        records.append(to_standoff(draft, text, "heldout" if draft["id"] in held else "train"))
    STANDOFF.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"{len(records)} records -> {STANDOFF}")


def cmd_export(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for rec in load(args.split, args.corpus):
        (out / f"{rec['doc_id']}.txt").write_text(rec["text"], encoding="utf-8")
        gold = {"id": rec["doc_id"], "entities": rec["surfaces"],
                "relations": [{"head": r["head"], "relation": r["relation"], "tail": r["tail"],
                               "evidence": r["evidence_text"], **({"implicit": True} if r["implicit"] else {})}
                              for r in rec["relations"]]}
        (out / f"{rec['doc_id']}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        n += 1
    print(f"{n} {args.split or 'all'} documents -> {out}")


def cmd_stats(args) -> None:
    from collections import Counter

    docs, ents, rels = Counter(), Counter(), Counter()
    with STANDOFF.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs[rec["split"]] += 1
            ents.update(f"{rec['split']}:{e['label']}" for e in rec["entities"])
            rels.update(f"{rec['split']}:{r['relation']}" for r in rec["relations"])
    print("documents", dict(docs))
    print("mentions", dict(sorted(ents.items())))
    print("relations", dict(sorted(rels.items())))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("standoff").set_defaults(fn=cmd_standoff)
    e = sub.add_parser("export")
    e.add_argument("out")
    e.add_argument("--split", choices=["train", "heldout"])
    e.set_defaults(fn=cmd_export)
    sub.add_parser("stats").set_defaults(fn=cmd_stats)
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: the shared corpus is not there", file=sys.stderr)
        return 2
    args.fn(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
