"""The output formats read back in independent readers with every attribute they carry."""

import csv
import shutil
import subprocess

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from defusedxml import ElementTree as SafeET

from conftest import SHARED, needs_shared
from kg.writers import DEFAULT_FORMATS, GEXF_NS, TYPE_COLOURS, WRITERS, get_writer, node_size

FORMATS = ("turtle", "graphml", "gexf", "csv", "jsonld")


@pytest.fixture(scope="module")
def outputs(seed_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    for name in FORMATS:
        writer = get_writer(name)
        writer.write(seed_build.graph, out / writer.filename)
    return out


def test_formats_are_registered_and_the_build_default_includes_gexf():
    assert set(FORMATS) <= set(WRITERS)
    assert DEFAULT_FORMATS == ("turtle", "graphml", "gexf")


def test_turtle_triple_counts_agree_in_rdflib_oxigraph_and_serdi(outputs):
    ttl = outputs / "graph.ttl"
    n_rdflib = len(rdflib.Graph().parse(ttl, format="turtle"))
    store = ox.Store()
    store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    assert n_rdflib > 100 and len(store) == n_rdflib
    serdi = shutil.which("serdi")
    if serdi is None:
        pytest.skip("serdi (Debian package serdi) not installed; .ci/run installs it")
    proc = subprocess.run([serdi, "-i", "turtle", "-o", "ntriples", str(ttl)], capture_output=True, text=True, check=True)
    assert len([l for l in proc.stdout.splitlines() if l.strip()]) == n_rdflib


def test_jsonld_holds_the_same_triples_as_the_turtle(outputs):
    a = rdflib.Graph().parse(outputs / "graph.ttl", format="turtle")
    b = rdflib.Graph().parse(outputs / "graph.jsonld", format="json-ld")
    assert len(a) == len(b)


def _gexf(outputs):
    root = SafeET.parse(outputs / "graph.gexf").getroot()
    ns = {"g": GEXF_NS}
    return root, ns


def test_gexf_carries_labels_colour_by_type_size_by_mentions_and_edge_weights(outputs, seed_build):
    root, ns = _gexf(outputs)
    assert root.get("version") == "1.3"
    graph = root.find("g:graph", ns)
    assert "name" not in graph.attrib  # networkx's write_gexf puts one there; the schema rejects it
    titles = {a.get("id"): a.get("type") for a in graph.iterfind("g:attributes[@class='node']/g:attribute", ns)}
    assert titles["type"] == "string" and titles["mentions"] == "integer"
    nodes = graph.findall("g:nodes/g:node", ns)
    assert len(nodes) == seed_build.graph.graph.number_of_nodes()
    for node in nodes:
        data = seed_build.graph.graph.nodes[node.get("id")]
        assert node.get("label") == data["label"]
        values = {v.get("for"): v.get("value") for v in node.iterfind("g:attvalues/g:attvalue", ns)}
        assert values["type"] == data["type"] and int(values["mentions"]) == data["mentions"]
        colour = node.find("g:color", ns)
        assert tuple(int(colour.get(c)) for c in "rgb") == TYPE_COLOURS[data["type"]]
        assert float(node.find("g:size", ns).get("value")) == node_size(data["mentions"])
    edges = graph.findall("g:edges/g:edge", ns)
    assert len(edges) == seed_build.graph.graph.number_of_edges()
    for edge in edges:
        data = seed_build.graph.graph.edges[edge.get("source"), edge.get("target"), edge.get("id")]
        assert edge.get("label") == data["relation"]
        assert float(edge.get("weight")) == data["confidence"]
        values = {v.get("for"): v.get("value") for v in edge.iterfind("g:attvalues/g:attvalue", ns)}
        assert values["evidence"] == data["evidence"]


@needs_shared
def test_gexf_validates_against_the_gexf_1_3_schema(outputs):
    xmllint = shutil.which("xmllint")
    if xmllint is None:
        pytest.skip("xmllint (Debian package libxml2-utils) not installed; .ci/run installs it")
    schema = SHARED / "schemas" / "gexf" / "1.3" / "gexf.xsd"
    proc = subprocess.run([xmllint, "--noout", "--schema", str(schema), str(outputs / "graph.gexf")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_gexf_reads_back_in_networkx(outputs, seed_build):
    g = nx.read_gexf(outputs / "graph.gexf", version="1.3")
    assert g.number_of_nodes() == seed_build.graph.graph.number_of_nodes()
    assert g.number_of_edges() == seed_build.graph.graph.number_of_edges()
    for node, d in g.nodes(data=True):
        assert d["label"] == seed_build.graph.graph.nodes[node]["label"]
        assert d["type"] == seed_build.graph.graph.nodes[node]["type"]


def test_graphml_reads_back_in_networkx_and_igraph_with_every_attribute(outputs, seed_build):
    ig = pytest.importorskip("igraph")
    path = outputs / "graph.graphml"
    node_keys = {"label", "type", "mentions", "aliases", "documents", "r", "g", "b", "iri"}
    edge_keys = {"label", "relation", "weight", "evidence", "document", "implicit", "iri"}
    g = nx.read_graphml(path)
    assert g.number_of_edges() == seed_build.graph.graph.number_of_edges()
    for _, d in g.nodes(data=True):
        assert node_keys <= set(d)
    for _, _, d in g.edges(data=True):
        assert edge_keys <= set(d)
    i = ig.Graph.Read_GraphML(str(path))
    assert i.vcount() == seed_build.graph.graph.number_of_nodes()
    assert i.ecount() == seed_build.graph.graph.number_of_edges()
    assert node_keys <= set(i.vs.attributes()) and edge_keys <= set(i.es.attributes())
    labels = {v["id"]: v["label"] for v in i.vs}
    assert labels == {n: d["label"] for n, d in seed_build.graph.graph.nodes(data=True)}
    with_amount = [e for e in i.es if e["amount"] == e["amount"]]  # igraph fills a missing double with NaN
    assert len(with_amount) == sum(1 for *_, d in seed_build.graph.graph.edges(data=True) if "amount" in d)


def test_csv_nodes_and_edges_read_back_and_refer_to_each_other(outputs, seed_build):
    folder = outputs / get_writer("csv").filename
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(folder / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == seed_build.graph.graph.number_of_nodes()
    assert len(edges) == seed_build.graph.graph.number_of_edges()
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)
    for e in edges:
        data = seed_build.graph.graph.edges[e["Source"], e["Target"], e["Id"]]
        assert e["Label"] == data["relation"] and float(e["Weight"]) == data["confidence"]
        assert e["evidence"] == data["evidence"]


def test_a_rewrite_replaces_the_csv_folder_whole(seed_build, tmp_path):
    writer = get_writer("csv")
    target = tmp_path / writer.filename
    target.mkdir()
    (target / "stale.csv").write_text("old", encoding="utf-8")
    writer.write(seed_build.graph, target)
    assert sorted(p.name for p in target.iterdir()) == ["edges.csv", "nodes.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
