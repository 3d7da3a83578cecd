"""Serialisers: one writer per output format, looked up by name (the shape of rdflib's plugins).

Every writer writes to a temporary file beside the target and renames it into place, so an
interrupted build leaves the previous output whole, never half a graph.
"""

from __future__ import annotations

import csv
import math
import os
import re
import shutil
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
    """A temporary path in the target's folder, renamed onto the target when the block succeeds.

    A target that exists and is not a regular file (`-o /dev/null`, a FIFO, /dev/stdout) is written
    to directly: renaming onto it would replace the device with a file."""
    target = Path(target)
    if target.exists() and not target.is_file():
        yield target
        return
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
    boolean), with `label` on every node and edge, colour by type and weight by confidence, and
    each element's IRI in the RDF output so a node found in Gephi can be looked up with SPARQL."""
    import networkx as nx

    from .rdf import actor_iri
    from .vocab import KGR

    out = nx.MultiDiGraph()
    for node, d in sorted(kg.graph.nodes(data=True)):
        r, g, b = TYPE_COLOURS.get(d["type"], (127, 127, 127))
        out.add_node(
            node,
            label=d["label"], type=d["type"], mentions=int(d.get("mentions", 0)),
            aliases="|".join(sorted(d.get("aliases", ()))), documents="|".join(sorted(d.get("documents", ()))),
            r=r, g=g, b=b, iri=str(actor_iri(node)),
        )
    for u, v, key, d in sorted(kg.graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        attrs = {
            "label": d["relation"], "relation": d["relation"], "weight": float(d.get("confidence", 1.0)),
            "evidence": d.get("evidence", ""), "document": d["document"], "implicit": bool(d.get("implicit", False)),
            "iri": str(KGR[key]),
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


GEXF_NS = "http://gexf.net/1.3"
# XML 1.0 forbids most control characters; a stray one in a source text must not void the file
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _gexf_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    return "string"


def _gexf_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return _xml_text(value)


def node_size(mentions: int) -> float:
    """Gephi's default node size is 10; more mentions, bigger, by square root so that one actor
    named 50 times does not dwarf the rest."""
    return round(10.0 + 4.0 * math.sqrt(max(mentions, 0)), 2)


def gexf_tree(kg: KnowledgeGraph):
    """GEXF 1.3 as an ElementTree: the attributes of `gephi_graph`, colour by type, size by mentions.

    The colour and size elements are written in the GEXF namespace, where the 1.3 XSD declares
    them (its node content refers to `color`, `size` of the main namespace), not under a separate
    `viz:` namespace: a file written that way does not validate. Gephi matches these elements by
    local name and graphology looks for them under either name, so both still read the colours.
    networkx's own `write_gexf` is not used: it adds a `name` attribute to `<graph>` that the
    schema rejects."""
    import xml.etree.ElementTree as ET

    g = gephi_graph(kg)
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "kg"
    ET.SubElement(meta, "description").text = (
        "Actors of Chinese digital-economy news and the links between them; node colour by type, "
        "size by mentions; edge label the relation, weight its confidence"
    )
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    node_skip = {"label", "r", "g", "b"}
    edge_skip = {"label", "weight", "id"}

    def declare(cls: str, items, skip) -> dict[str, str]:
        types: dict[str, str] = {}
        for attrs in items:
            for k, v in attrs.items():
                if k not in skip:
                    types.setdefault(k, _gexf_type(v))
        block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        for k, t in types.items():
            ET.SubElement(block, "attribute", {"id": k, "title": k, "type": "anyURI" if k == "iri" else t})
        return types

    node_attrs = declare("node", (d for _, d in g.nodes(data=True)), node_skip)
    edge_attrs = declare("edge", (d for _, _, d in g.edges(data=True)), edge_skip)

    def attvalues(parent, d, declared) -> None:
        values = ET.SubElement(parent, "attvalues")
        for k in declared:
            if k in d:
                ET.SubElement(values, "attvalue", {"for": k, "value": _gexf_value(d[k])})

    nodes = ET.SubElement(graph, "nodes", {"count": str(g.number_of_nodes())})
    for node, d in g.nodes(data=True):
        el = ET.SubElement(nodes, "node", {"id": node, "label": _xml_text(d["label"])})
        attvalues(el, d, node_attrs)
        ET.SubElement(el, "color", {"r": str(d["r"]), "g": str(d["g"]), "b": str(d["b"])})
        ET.SubElement(el, "size", {"value": repr(node_size(d["mentions"]))})
    edges = ET.SubElement(graph, "edges", {"count": str(g.number_of_edges())})
    for u, v, d in g.edges(data=True):
        # `kind` keeps parallel links of different relations apart when Gephi merges parallel edges
        el = ET.SubElement(edges, "edge", {
            "id": d["id"], "source": u, "target": v, "label": d["label"], "kind": d["relation"],
            "weight": repr(d["weight"]),
        })
        attvalues(el, d, edge_attrs)
    ET.indent(root, space=" ")
    return ET.ElementTree(root)


@register("gexf", "graph.gexf", "GEXF 1.3 for Gephi: colour by type, size by mentions, edge label and weight")
def write_gexf(kg: KnowledgeGraph, path: Path) -> None:
    with atomic_path(path) as tmp:
        gexf_tree(kg).write(tmp, encoding="utf-8", xml_declaration=True)


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """A temporary folder beside the target that replaces it when the block succeeds.

    The files of a folder are written together, so a reader never sees new nodes with old edges;
    between the two renames the target is briefly absent, never half written."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    old = None
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        for f in tmp.iterdir():
            os.chmod(f, 0o666 & ~umask)
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


NODE_COLUMNS = ("Id", "Label", "type", "mentions", "aliases", "documents", "iri")
EDGE_COLUMNS = (
    "Source", "Target", "Type", "Id", "Label", "Weight", "relation", "evidence", "document", "implicit",
    "amount", "amount_text", "currency", "quantity", "quantity_unit", "quantity_text", "date", "iri",
)


@register("csv", "graph-csv", "nodes.csv and edges.csv in a folder: Gephi's spreadsheet import, pandas, Neo4j")
def write_csv(kg: KnowledgeGraph, path: Path) -> None:
    # Gephi's spreadsheet import recognises the capitalised Id/Label and Source/Target/Type/Weight
    # columns by name; the rest are attributes
    g = gephi_graph(kg)
    with atomic_dir(path) as tmp:
        with open(tmp / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(NODE_COLUMNS)
            for node, d in g.nodes(data=True):
                w.writerow([node, d["label"], d["type"], d["mentions"], d["aliases"], d["documents"], d["iri"]])
        with open(tmp / "edges.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(EDGE_COLUMNS)
            for u, v, d in g.edges(data=True):
                row = [u, v, "Directed", d["id"], d["label"], repr(d["weight"])]
                for col in EDGE_COLUMNS[6:]:
                    value = d.get(col, "")
                    row.append(("true" if value else "false") if isinstance(value, bool) else value)
                w.writerow(row)


DEFAULT_FORMATS = ("turtle", "graphml", "gexf")
