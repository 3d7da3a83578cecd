"""The `kg` command: parses arguments and calls the library; no pipeline logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Chinese digital-economy news to a knowledge graph (RDF/Turtle, GraphML), with evidence for every link.",
)

PathsArg = Annotated[List[Path], typer.Argument(help=".txt, .html/.htm and .jsonl files, or folders of them", show_default=False)]
AliasOpt = Annotated[Optional[Path], typer.Option("--aliases", help="CSV alias file (alias,canonical,label) that overrides the gazetteer")]
TimeLimitOpt = Annotated[float, typer.Option("--time-limit", help="seconds one document may take before it is reported as an error (0: none)")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-j", min=1, help="processes that extract documents (each loads the pipeline; output order and content are the same)")]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


def _check_workers(workers: int) -> None:
    import multiprocessing

    if workers > 1 and "fork" not in multiprocessing.get_all_start_methods():
        _fail("--workers above 1 needs processes started by fork (Linux); run with one worker")


def _nlp(aliases: Optional[Path]):
    from .lexicon import read_alias_file
    from .pipeline import load_nlp
    from .segmentation import ModelUnavailable

    if aliases is not None:
        try:
            list(read_alias_file(aliases))
        except (OSError, ValueError) as exc:
            _fail(str(exc))
    try:
        return load_nlp(alias_file=str(aliases) if aliases else None)
    except ModelUnavailable as exc:
        _fail(str(exc))


@app.command()
def build(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    formats: Annotated[Optional[List[str]], typer.Option("--format", "-f", help="output format, repeatable: turtle, graphml, gexf, csv, jsonld (default: turtle, graphml, gexf)")] = None,
    aliases: AliasOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    time_limit: TimeLimitOpt = 300.0,
    workers: WorkersOpt = 1,
) -> None:
    """Build the graph of PATHS into OUT: graph.ttl, graph.graphml, graph.gexf, extractions.jsonl."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from . import build as build_mod
    from .documents import DocumentError, count_documents
    from .writers import DEFAULT_FORMATS, WRITERS

    _check_workers(workers)
    fmts = formats or list(DEFAULT_FORMATS)
    unknown = [f for f in fmts if f not in WRITERS]
    if unknown:
        _fail(f"unknown format {', '.join(unknown)}; known: {', '.join(sorted(WRITERS))}")
    nlp = _nlp(aliases)
    progress = Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        transient=True, disable=quiet, console=Console(stderr=True),
    )

    def on_item(item) -> None:
        if isinstance(item, DocumentError):
            progress.console.print(f"kg: error: {item}", markup=False, highlight=False, soft_wrap=True)
        progress.advance(task)

    with progress:
        task = progress.add_task("extracting", total=None if quiet else count_documents(paths))
        result = build_mod.build(paths, out, nlp, formats=fmts, alias_file=str(aliases) if aliases else None, on_item=on_item,
                                 time_limit=time_limit or None, workers=workers)
    typer.echo(result.summary_line(), err=True)
    if result.errors:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: PathsArg,
    output: Annotated[str, typer.Option("-o", "--output", help="JSON lines file, or - for standard output")] = "-",
    aliases: AliasOpt = None,
    time_limit: TimeLimitOpt = 300.0,
    workers: WorkersOpt = 1,
) -> None:
    """Write one JSON object per document: entities and relations with evidence."""
    from .documents import DocumentError, iter_documents
    from .extraction import extract as run, write_jsonl
    from .writers import atomic_path

    _check_workers(workers)
    nlp = _nlp(aliases)
    failed = 0

    def emit(fh) -> None:
        nonlocal failed
        for item in run(nlp, iter_documents(paths), str(aliases) if aliases else None, time_limit or None, workers):
            if isinstance(item, DocumentError):
                failed += 1
                typer.echo(f"kg: error: {item}", err=True)
            else:
                write_jsonl(item, fh)
                fh.flush()

    if output == "-":
        emit(sys.stdout)
    else:
        with atomic_path(Path(output)) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            emit(fh)
    if failed:
        raise typer.Exit(1)


@app.command()
def query(
    graph: Annotated[Optional[List[Path]], typer.Argument(help="Turtle file(s), then the query", show_default=False)] = None,
    params: Annotated[Optional[List[str]], typer.Option("--param", "-p", help="NAME=VALUE binding for a saved query")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    engine: Annotated[str, typer.Option(help="oxigraph (fast) or rdflib")] = "oxigraph",
    timeout: Annotated[float, typer.Option(help="seconds before the query is stopped")] = 60.0,
    list_: Annotated[bool, typer.Option("--list", help="list the saved queries")] = False,
) -> None:
    """Run SPARQL (text, a .rq file, or a saved query's name) over GRAPH.ttl: kg query GRAPH.ttl QUERY."""
    from .query import QueryError, format_result, run_query, saved_queries

    if list_:
        for q in saved_queries().values():
            args = " ".join(f"--param {p}=…" for p in q.params)
            typer.echo(f"{q.name:<16} {q.title}" + (f"  [{args}]" if args else ""))
        return
    items = [str(g) for g in graph or []]
    if len(items) < 2:
        _fail("usage: kg query GRAPH.ttl [GRAPH.ttl ...] QUERY  (or kg query --list)")
    files, text = items[:-1], items[-1]
    bindings = {}
    for p in params or []:
        if "=" not in p:
            _fail(f"--param {p!r}: expected NAME=VALUE")
        k, v = p.split("=", 1)
        bindings[k] = v
    try:
        result = run_query(files, text, params=bindings, engine=engine, timeout=timeout)
        typer.echo(format_result(result, fmt))
    except QueryError as exc:
        _fail(str(exc))


@app.command()
def validate(
    graph: Annotated[List[Path], typer.Argument(help="Turtle file(s) written by kg build", show_default=False)],
    limit: Annotated[Optional[int], typer.Option(help="print at most this many problems")] = None,
) -> None:
    """Check GRAPH.ttl against kg's SHACL shapes and ontology; exit 1 if it has violations."""
    from .validate import GraphUnreadable, format_problems, validate_files

    try:
        report = validate_files(graph)
    except GraphUnreadable as exc:
        _fail(str(exc))
    for line in format_problems(report, limit):
        typer.echo(line)
    typer.echo(f"kg: {', '.join(map(str, graph))} {report.summary()}", err=True)
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="folder of gold <id>.json with <id>.txt")],
    predictions: Annotated[Optional[Path], typer.Option(help="score a kg extract JSON lines file instead of running the pipeline")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
    aliases: AliasOpt = None,
) -> None:
    """Score entities and relations against gold (P/R/F1 per type and relation)."""
    from . import evaluate as ev
    from .extraction import read_jsonl

    try:
        docs = list(ev.load_gold(gold))
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    predict = ev.records_predictor(read_jsonl(predictions)) if predictions else ev.pipeline_predictor(_nlp(aliases), str(aliases) if aliases else None)
    report = ev.evaluate(docs, predict)
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1) if as_json else ev.format_report(report, str(gold)))


if __name__ == "__main__":  # python -m kg.cli
    app()
