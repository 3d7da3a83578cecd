import pytest

from kg.query import QueryError, QueryTimeout, check_query, run_query, saved_queries, with_prefixes


def test_saved_queries_run_on_both_engines_with_the_same_rows(seed_build):
    ttl = seed_build.outdir / "graph.ttl"
    for name, q in saved_queries().items():
        params = {p: "中国移动甘肃公司" for p in q.params}
        a = run_query([ttl], name, params=params, engine="oxigraph")
        b = run_query([ttl], name, params=params, engine="rdflib")
        assert a.variables == b.variables, name
        assert sorted(map(tuple, a.rows), key=str) == sorted(map(tuple, b.rows), key=str), name


def test_update_is_refused():
    with pytest.raises(QueryError, match="Update is refused"):
        check_query(with_prefixes("DELETE WHERE { ?s ?p ?o }"))
    with pytest.raises(QueryError, match="Update is refused"):
        check_query("INSERT DATA { <http://a> <http://b> <http://c> }")


def test_service_is_refused():
    with pytest.raises(QueryError, match="SERVICE is refused"):
        check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_query_is_stopped_at_its_time_limit(seed_build):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeout):
        run_query([seed_build.outdir / "graph.ttl"], slow, engine="rdflib", timeout=1.0)


def test_parameter_values_cannot_inject_sparql(seed_build):
    evil = '中国移动" } ; DROP ALL ; SELECT * WHERE { "'
    res = run_query([seed_build.outdir / "graph.ttl"], "suppliers-of", params={"customer": evil})
    assert res.rows == []
