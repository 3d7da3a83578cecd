"""Serialisers: one writer per output format, looked up by name (the shape of rdflib's plugins).

Every writer writes to a temporary file beside the target and renames it into place, so an
interrupted build leaves the previous output whole, never half a graph.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .graph import KnowledgeGraph

# colour per type, shared by GraphML and GEXF so the two look alike in Gephi
TYPE_COLOURS = {
    "ORG": (31, 119, 180),
    "PROJECT": (255, 127, 14),
    "PRODUCT": (44, 160, 44),
    "LOC": (148, 103, 189),
    "PERSON": (140, 86, 75),
}


@dataclass(frozen=True)
class Writer:
    name: str
    filename: str
    write: Callable[[KnowledgeGraph, Path], None]
    description: str


WRITERS: dict[str, Writer] = {}


def register(name: str, filename: str, description: str):
    def wrap(fn: Callable[[KnowledgeGraph, Path], None]):
        WRITERS[name] = Writer(name, filename, fn, description)
        return fn

    return wrap


def get_writer(name: str) -> Writer:
    try:
        return WRITERS[name]
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; known: {', '.join(sorted(WRITERS))}") from None


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path in the target's folder, renamed onto the target when the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private; outputs are ordinary files, readable as the umask allows
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@register("turtle", "graph.ttl", "RDF/Turtle, sorted and diff-friendly (rdflib longturtle)")
def write_turtle(kg: KnowledgeGraph, path: Path) -> None:
    from .rdf import to_rdf

    with atomic_path(path) as tmp:
        to_rdf(kg).serialize(destination=str(tmp), format="longturtle", encoding="utf-8")


@register("jsonld", "graph.jsonld", "RDF as JSON-LD")
def write_jsonld(kg: KnowledgeGraph, path: Path) -> None:
    from .rdf import PREFIXES, to_rdf

    with atomic_path(path) as tmp:
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        to_rdf(kg).serialize(destination=str(tmp), format="json-ld", context=context, sort_keys=True, indent=1, ensure_ascii=False)


def gephi_graph(kg: KnowledgeGraph):
    """A copy of the graph whose attributes are all of the types Gephi reads (string, int, double,
    boolean), with `label` on every node and edge, colour by type and weight by confidence."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for node, d in sorted(kg.graph.nodes(data=True)):
        r, g, b = TYPE_COLOURS.get(d["type"], (127, 127, 127))
        out.add_node(
            node,
            label=d["label"], type=d["type"], mentions=int(d.get("mentions", 0)),
            aliases="|".join(sorted(d.get("aliases", ()))), documents="|".join(sorted(d.get("documents", ()))),
            r=r, g=g, b=b,
        )
    for u, v, key, d in sorted(kg.graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        attrs = {
            "label": d["relation"], "relation": d["relation"], "weight": float(d.get("confidence", 1.0)),
            "evidence": d.get("evidence", ""), "document": d["document"], "implicit": bool(d.get("implicit", False)),
        }
        for name in ("amount", "quantity"):
            if name in d:
                attrs[name] = float(d[name])
        for name in ("amount_text", "currency", "quantity_unit", "quantity_text", "date"):
            if name in d:
                attrs[name] = str(d[name])
        out.add_edge(u, v, key=key, id=key, **attrs)
    return out


@register("graphml", "graph.graphml", "GraphML for Gephi, networkx, igraph, yEd")
def write_graphml(kg: KnowledgeGraph, path: Path) -> None:
    import networkx as nx

    with atomic_path(path) as tmp:
        nx.write_graphml(gephi_graph(kg), tmp, encoding="utf-8", prettyprint=True)


DEFAULT_FORMATS = ("turtle", "graphml")
