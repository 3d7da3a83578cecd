"""A whole build: input paths -> extraction records -> graph -> files in an output folder.

The library entry point behind `kg build`. Documents stream through one at a time; records go to
`extractions.jsonl` as they come, errors to `errors.jsonl`; the graph files are written at the end.
Every file is written under a temporary name and renamed into place, so a build that is killed
leaves the previous build's files as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from spacy.language import Language

from .documents import DocumentError, iter_documents
from .extraction import extract, write_jsonl
from .graph import KnowledgeGraph
from .writers import DEFAULT_FORMATS, atomic_path, get_writer


@dataclass
class BuildResult:
    outdir: Path
    graph: KnowledgeGraph
    errors: list[DocumentError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary_line(self) -> str:
        s = self.graph.summary()
        by_rel = ", ".join(f"{k} {v}" for k, v in s["by_relation"].items()) or "none"
        failed = f", {len(self.errors)} failed" if self.errors else ""
        return (
            f"kg: {s['documents']} documents{failed}, {s['entities']} entities, "
            f"{s['links']} links ({by_rel}) -> {self.outdir}"
        )


def build(
    paths: Sequence[str | Path],
    outdir: str | Path,
    nlp: Language,
    *,
    formats: Iterable[str] = DEFAULT_FORMATS,
    alias_file: Optional[str] = None,
    on_item: Callable[[object], None] = lambda item: None,
) -> BuildResult:
    """Build the graph of `paths` into `outdir`. `on_item` sees each record or error as it passes."""
    outdir = Path(outdir)
    writers = [get_writer(f) for f in formats]  # unknown formats fail before any work is done
    result = BuildResult(outdir, KnowledgeGraph())
    outdir.mkdir(parents=True, exist_ok=True)
    with atomic_path(outdir / "extractions.jsonl") as records_tmp, atomic_path(outdir / "errors.jsonl") as errors_tmp:
        with open(records_tmp, "w", encoding="utf-8") as records_fh, open(errors_tmp, "w", encoding="utf-8") as errors_fh:
            for item in extract(nlp, iter_documents(paths), alias_file):
                if isinstance(item, DocumentError):
                    result.errors.append(item)
                    errors_fh.write(json.dumps({"source": item.source, "reason": item.reason}, ensure_ascii=False) + "\n")
                else:
                    write_jsonl(item, records_fh)
                    result.graph.add_record(item)
                on_item(item)
    result.files += [outdir / "extractions.jsonl", outdir / "errors.jsonl"]
    for writer in writers:
        target = outdir / writer.filename
        writer.write(result.graph, target)
        result.files.append(target)
    return result
