"""kg query cannot be turned against the machine: no writes, no network, no other files, and
no query runs past its time limit, on either engine and through the command."""

from __future__ import annotations

import http.server
import os
import threading
import time

import pytest
from typer.testing import CliRunner

from kg import query as q
from kg.cli import app
from kg.query import QueryError, QueryTimeout, run_query

GRAPH = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:p ex:a .
"""

UPDATES = [
    "LOAD <http://127.0.0.1:1/x.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://g>",
    "CLEAR ALL",
    "DROP GRAPH <http://g>",
    "CREATE GRAPH <http://g>",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ADD DEFAULT TO <http://g>",
    "COPY DEFAULT TO <http://g>",
    "MOVE DEFAULT TO <http://g>",
]

SERVICES = {
    "top": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "lower case": "select * where { service <{url}> { ?s ?p ?o } }",
    "optional": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?q ?r } } }",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "union": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "exists": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "not exists": "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "minus": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "graph": "SELECT * WHERE { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }",
    "variable": "SELECT * WHERE { BIND(<{url}> AS ?svc) SERVICE ?svc { ?s ?p ?o } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "ask": "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
}

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture()
def graph(tmp_path):
    path = tmp_path / "g.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


@pytest.fixture()
def endpoint():
    """A SPARQL endpoint on the loopback address that counts the requests it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[]}}')

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_the_graph_file_is_unchanged(graph, update):
    before = graph.read_bytes()
    with pytest.raises(QueryError, match="Update is refused"):
        run_query([graph], update)
    assert graph.read_bytes() == before


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("form", sorted(SERVICES))
def test_service_is_refused_wherever_it_is_nested_and_nothing_is_sent(graph, endpoint, form, engine):
    url, hits = endpoint
    with pytest.raises(QueryError, match="SERVICE is refused"):
        run_query([graph], SERVICES[form].replace("{url}", url), engine=engine)
    assert hits == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("clause", ["FROM <{url}>", "FROM NAMED <{url}>", "FROM <file:///etc/passwd>"])
def test_from_clauses_are_refused(graph, endpoint, clause, engine):
    url, hits = endpoint
    with pytest.raises(QueryError, match="FROM and FROM NAMED are refused"):
        run_query([graph], f"SELECT * {clause.replace('{url}', url)} WHERE {{ ?s ?p ?o }}", engine=engine)
    assert hits == []


def test_the_query_process_has_no_network_even_past_the_checks(graph, endpoint, monkeypatch):
    url, hits = endpoint
    host, port = url.split("/")[2].split(":")

    def probe(paths, text):
        import socket

        socket.create_connection((host, int(port)), timeout=2)

    monkeypatch.setitem(q.ENGINES, "probe", probe)
    with pytest.raises(QueryError, match="no network access"):
        run_query([graph], "SELECT * WHERE { ?s ?p ?o }", engine="probe")
    assert hits == []


def test_a_query_process_that_dies_is_a_clear_error(graph, monkeypatch):
    monkeypatch.setitem(q.ENGINES, "dies", lambda paths, text: os._exit(9))
    with pytest.raises(QueryError, match=r"ended without an answer \(exit code 9\)"):
        run_query([graph], "SELECT * WHERE { ?s ?p ?o }", engine="dies")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_is_stopped_at_its_time_limit_on_either_engine(seed_build, engine):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        run_query([seed_build.outdir / "graph.ttl"], SLOW, engine=engine, timeout=1.0)
    assert time.monotonic() - started < 15


def test_the_command_refuses_update_and_service_and_stops_at_the_time_limit(seed_build, endpoint):
    url, hits = endpoint
    ttl = str(seed_build.outdir / "graph.ttl")
    runner = CliRunner()
    res = runner.invoke(app, ["query", ttl, "DELETE WHERE { ?s ?p ?o }"])
    assert res.exit_code == 2 and "kg: error: SPARQL Update is refused" in res.stderr
    res = runner.invoke(app, ["query", ttl, f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }}"])
    assert res.exit_code == 2 and "kg: error: SERVICE is refused" in res.stderr
    started = time.monotonic()
    res = runner.invoke(app, ["query", ttl, SLOW, "--timeout", "1"])
    assert res.exit_code == 2 and "kg: error: query stopped at its time limit of 1 s" in res.stderr
    assert time.monotonic() - started < 15
    assert hits == []
    assert "Traceback" not in res.output
