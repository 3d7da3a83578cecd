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


def test_investments_into_a_province_include_those_into_its_cities_and_their_facilities(seed_build):
    ttl = seed_build.outdir / "graph.ttl"
    for engine in ("oxigraph", "rdflib"):
        rows = {}
        for place in ("甘肃", "甘肃省", "庆阳", "天水市", "北京"):
            res = run_query([ttl], "investments-in", params={"place": place}, engine=engine)
            rows[place] = {(r[0], r[1]) for r in res.rows}
        # 燧原 invests in 庆阳市 itself; 龙创智谷 is located in 天水市, which the register puts in 甘肃省
        assert ("燧原科技", "庆阳市") in rows["庆阳"] and not rows["庆阳"] & rows["天水市"], rows
        assert rows["天水市"] == {("中国移动甘肃公司", "龙创智谷")}, rows
        assert rows["甘肃"] == rows["甘肃省"] == rows["庆阳"] | rows["天水市"], rows
        assert rows["北京"] == set()


def test_the_saved_queries_are_listed_with_their_parameters():
    from typer.testing import CliRunner

    from kg.cli import app

    res = CliRunner().invoke(app, ["query", "--list"])
    assert res.exit_code == 0
    listed = {line.split()[0] for line in res.stdout.splitlines()}
    assert {"actors", "deployed-where", "investments", "investments-in", "neighbourhood", "suppliers-of"} <= listed
    assert "--param place=" in next(line for line in res.stdout.splitlines() if line.startswith("investments-in"))
