"""A whole build: input paths -> extraction records -> graph -> files in an output folder.

The library entry point behind `kg build`. Documents stream through one at a time; records go to
`extractions.jsonl` as they come, errors to `errors.jsonl`; the graph files are written at the end.
All of them are written into a staging folder inside the output folder and renamed into place
together at the very end: a build that is killed at any point before leaves the previous build's
files as they were, all of them from the same build (never new records beside an old graph).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from spacy.language import Language

from .documents import DocumentError, iter_documents
from .extraction import extract, write_jsonl
from .graph import KnowledgeGraph
from .writers import DEFAULT_FORMATS, get_writer


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
    time_limit: Optional[float] = None,
    workers: int = 1,
) -> BuildResult:
    """Build the graph of `paths` into `outdir`. `on_item` sees each record or error as it passes;
    a document whose extraction takes over `time_limit` seconds is an error; `workers` processes
    extract (records still arrive in input order)."""
    outdir = Path(outdir)
    writers = [get_writer(f) for f in formats]  # unknown formats fail before any work is done
    result = BuildResult(outdir, KnowledgeGraph())
    outdir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(outdir)
    staging = Path(tempfile.mkdtemp(dir=outdir, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    try:
        names = ["extractions.jsonl", "errors.jsonl"]
        with open(staging / names[0], "w", encoding="utf-8") as records_fh, open(staging / names[1], "w", encoding="utf-8") as errors_fh:
            for item in extract(nlp, iter_documents(paths), alias_file, time_limit, workers):
                if isinstance(item, DocumentError):
                    result.errors.append(item)
                    errors_fh.write(json.dumps(item.as_dict(), ensure_ascii=False) + "\n")
                else:
                    write_jsonl(item, records_fh)
                    result.graph.add_record(item)
                on_item(item)
            for fh in (records_fh, errors_fh):
                fh.flush()
                os.fsync(fh.fileno())
        for writer in writers:
            writer.write(result.graph, staging / writer.filename)
            names.append(writer.filename)
        _publish(staging, outdir, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.files += [outdir / name for name in names]
    return result


STAGING_PREFIX = ".kg-build-"


def _publish(staging: Path, outdir: Path, names: list[str]) -> None:
    """Rename each staged output onto its place; a folder output (graph-csv) by moving the old one
    aside first, since a rename cannot replace a folder that has files."""
    umask = os.umask(0)
    os.umask(umask)
    for name in names:
        src, dst = staging / name, outdir / name
        if src.is_dir():
            if dst.exists():
                os.replace(dst, staging / f"{name}.old")
            os.replace(src, dst)
        else:
            os.chmod(src, 0o666 & ~umask)
            os.replace(src, dst)
    fd = os.open(outdir, os.O_RDONLY)
    try:
        os.fsync(fd)  # the renames themselves reach the disk
    finally:
        os.close(fd)


def _remove_abandoned_staging(outdir: Path) -> None:
    """Staging folders of builds that were killed: their process is gone. A folder of a build
    still running (another process, same output folder) is left alone."""
    for entry in outdir.glob(f"{STAGING_PREFIX}*"):
        try:
            pid = int(entry.name[len(STAGING_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
