"""SPARQL over the Turtle output: saved queries, read-only checks, a time limit, two engines.

Oxigraph (pyoxigraph) is the default engine: rdflib's SPARQL is single-threaded Python and slow on
millions of triples. rdflib stays available (`engine="rdflib"`) and must give the same rows.
A query is refused before it runs if it is an update, calls a remote SERVICE or names other graphs
with FROM: a query over a graph file must never write, nor read anything but the files given. It
runs in a child process that is killed at the time limit, since neither engine can be interrupted
from within.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence

from rdflib.namespace import RDF, RDFS, XSD

from .rdf import PREFIXES

QUERY_PREFIXES = {**PREFIXES, "rdf": RDF._NS, "rdfs": RDFS._NS, "xsd": XSD._NS}


class QueryError(ValueError):
    """A query that is refused, malformed, or failed."""


class QueryTimeout(QueryError):
    pass


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    text: str
    params: tuple[str, ...]


@dataclass
class Result:
    variables: list[str]
    rows: list[list[Optional[str]]]


def saved_queries() -> dict[str, SavedQuery]:
    out = {}
    for ref in sorted(resources.files("kg").joinpath("resources", "queries").iterdir(), key=lambda r: r.name):
        if not ref.name.endswith(".rq"):
            continue
        text = ref.read_text(encoding="utf-8")
        title = re.search(r"^#\s*title:\s*(.+)$", text, re.M)
        params = re.search(r"^#\s*params:\s*(.+)$", text, re.M)
        out[ref.name[:-3]] = SavedQuery(
            ref.name[:-3], title.group(1).strip() if title else "", text,
            tuple(p.strip() for p in params.group(1).split(",")) if params else (),
        )
    return out


def resolve_query(query: str) -> str:
    """A saved query's name, a path to a .rq file, or the SPARQL text itself."""
    saved = saved_queries()
    if query in saved:
        return saved[query].text
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", query, re.I):
        raise QueryError(f"{query!r} is neither a saved query ({', '.join(saved) or 'none'}), a .rq file, nor SPARQL")
    return query


def with_prefixes(text: str) -> str:
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([A-Za-z][\w-]*)?:", text, re.I)}
    extra = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items() if p not in declared)
    return extra + text


def bind_params(text: str, params: dict[str, str]) -> str:
    """Bind variables to Chinese names with a trailing VALUES clause (SPARQL 1.1 allows one after
    the solution modifiers). The value goes in as an escaped RDF literal, never as query text, and
    both engines read VALUES the same way."""
    from rdflib import Literal

    for name, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
        if not re.search(rf"\?{name}\b", text):
            raise QueryError(f"the query has no variable ?{name} to bind")
        text += f"\nVALUES ?{name} {{ {Literal(value, lang='zh').n3()} }}"
    return text


def check_query(text: str) -> None:
    """Refuse SPARQL Update and SERVICE; raise QueryError with the reason."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import algebra, parser

    try:
        parsed = parser.parseQuery(text)
    except ParseException as exc:
        try:
            parser.parseUpdate(text)
        except ParseException:
            raise QueryError(f"not valid SPARQL: {exc.msg} (line {exc.lineno}, column {exc.col})") from None
        raise QueryError("SPARQL Update is refused: kg query only reads (SELECT, ASK, CONSTRUCT, DESCRIBE)") from None
    query = algebra.translateQuery(parsed)
    if query.algebra.get("datasetClause"):
        # rdflib loads a FROM graph it does not hold from its IRI: a file or a web address
        raise QueryError("FROM and FROM NAMED are refused: a query reads the graph files it is given, nothing else")

    def visit(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryError("SERVICE is refused: a query over a graph file may not reach the network")
        return None

    algebra.traverse(query.algebra, visitPre=visit)


def _literal_value(term) -> Optional[str]:
    if term is None:
        return None
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def _run_oxigraph(paths: Sequence[str], text: str) -> Result:
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        with open(path, "rb") as fh:
            store.bulk_load(fh, format=ox.RdfFormat.TURTLE)
    results = store.query(text)
    if isinstance(results, bool) or type(results).__name__ == "QueryBoolean":
        return Result(["result"], [[str(bool(results)).lower()]])
    if not hasattr(results, "variables"):  # CONSTRUCT / DESCRIBE
        return Result(["subject", "predicate", "object"], [[_literal_value(t.subject), _literal_value(t.predicate), _literal_value(t.object)] for t in results])
    variables = [v.value for v in results.variables]
    return Result(variables, [[_literal_value(sol[v]) for v in variables] for sol in results])


def _run_rdflib(paths: Sequence[str], text: str) -> Result:
    from rdflib import Graph

    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    res = g.query(text)
    if res.type == "ASK":
        return Result(["result"], [[str(bool(res.askAnswer)).lower()]])
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return Result(["subject", "predicate", "object"], [[str(s), str(p), str(o)] for s, p, o in res.graph])
    variables = [str(v) for v in res.vars]
    return Result(variables, [[None if row[i] is None else str(row[i]) for i in range(len(variables))] for row in res])


ENGINES = {"oxigraph": _run_oxigraph, "rdflib": _run_rdflib}


def _child(conn, engine: str, paths, text) -> None:
    # a second line of defence behind check_query, in the child only: no Python-level socket
    # (rdflib's SERVICE and graph loading use urllib) and no loading of graphs named in a query
    import socket

    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

    def no_network(*args, **kwargs):
        raise OSError("kg query: no network access")

    socket.socket = no_network  # type: ignore[assignment,misc]
    try:
        conn.send(("ok", ENGINES[engine](paths, text)))
    except Exception as exc:  # sent to the parent, which raises it as a QueryError
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_query(
    paths: Iterable[str | Path],
    query: str,
    *,
    params: Optional[dict[str, str]] = None,
    engine: str = "oxigraph",
    timeout: Optional[float] = 60.0,
) -> Result:
    """Run a read-only query over Turtle files; `params` bind saved-query variables to names."""
    paths = [str(p) for p in paths]
    for p in paths:
        if not Path(p).is_file():
            raise QueryError(f"{p}: no such graph file")
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    text = bind_params(with_prefixes(resolve_query(query)), params or {})
    check_query(text)
    if timeout is None:
        return ENGINES[engine](paths, text)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, engine, paths, text), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryTimeout(f"query stopped at its time limit of {timeout:g} s")
        try:
            status, payload = parent.recv()
        except EOFError:
            # the child died without answering: killed for memory, or crashed in an engine
            proc.join(5)
            raise QueryError(f"the query process ended without an answer (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status != "ok":
        raise QueryError(payload)
    return payload


def format_result(result: Result, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps([dict(zip(result.variables, row)) for row in result.rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown output format {fmt!r}; use table, csv or json")
    cells = [result.variables] + [["" if v is None else v for v in row] for row in result.rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(result.variables))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
