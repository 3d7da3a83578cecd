"""kg validate: the seed build conforms to the shapes; planted defects are reported, one per line."""

from decimal import Decimal

import rdflib
from rdflib import namespace as ns
from rdflib.namespace import RDF, RDFS
from typer.testing import CliRunner

from kg.cli import app
from kg.validate import load_graph, validate_files, validate_graph
from kg.vocab import KGO

runner = CliRunner()


def test_the_seed_build_conforms(seed_build):
    report = validate_files([seed_build.outdir / "graph.ttl"])
    assert report.conforms, "\n".join(p.line() for p in report.violations)
    assert report.triples > 100


def test_planted_violations_are_reported_readably(seed_build):
    g = load_graph([seed_build.outdir / "graph.ttl"])
    links = sorted(g.subjects(RDF.type, KGO.Link))
    bad_confidence, no_evidence, no_triple = links[0], links[1], links[2]
    g.set((bad_confidence, KGO.confidence, rdflib.Literal(Decimal("1.5"), datatype=ns.XSD.decimal)))
    g.remove((no_evidence, KGO.evidence, None))
    g.remove((g.value(no_triple, KGO.head), g.value(no_triple, KGO.relation), g.value(no_triple, KGO.tail)))
    actor = sorted(g.subjects(RDF.type, KGO.Organization))[0]
    g.add((actor, RDFS.label, rdflib.Literal("second name")))

    report = validate_graph(g)
    assert not report.conforms
    lines = [p.line() for p in report.violations]
    text = "\n".join(lines)
    assert any("kgo:confidence" in line and "1.5" in line for line in lines), text
    assert any("kgo:evidence" in line for line in lines), text
    assert any("direct triple" in line for line in lines), text
    assert any("rdfs:label" in line and "second name" in line for line in lines), text
    # a link is shown with the names of its two ends, so a reader knows which one it is
    head_name = g.value(g.value(bad_confidence, KGO.head), RDFS.label)
    assert any(str(head_name) in line and "kgo:confidence" in line for line in lines), text


def test_a_wrongly_typed_end_is_a_warning_not_a_violation(seed_build):
    g = load_graph([seed_build.outdir / "graph.ttl"])
    link = sorted(g.subjects(KGO.relation, KGO.locatedIn))[0]
    place = g.value(link, KGO.tail)
    g.set((place, RDF.type, KGO.Person))
    report = validate_graph(g)
    assert report.conforms and report.warnings, [p.line() for p in report.problems]


def test_a_place_may_be_a_partner_but_a_person_may_not(seed_build):
    # a firm that signs with a city (浪潮集团与厦门市签署合作协议) is the city government's partner
    # (a direct triple planted without its kgo:Link is a violation of its own, not looked at here)
    g = load_graph([seed_build.outdir / "graph.ttl"])
    org = sorted(g.subjects(RDF.type, KGO.Organization))[0]
    place = sorted(g.subjects(RDF.type, KGO.Place))[0]
    g.add((org, KGO.partnerOf, place))
    assert not [p.line() for p in validate_graph(g).problems if "partner is expected" in p.line()]
    person = sorted(g.subjects(RDF.type, KGO.Person))[0]
    g.add((org, KGO.partnerOf, person))
    partner = [p for p in validate_graph(g).problems if "partner is expected" in p.line()]
    assert partner and all(p.severity == "warning" for p in partner)


def test_the_command_exits_1_on_violations_and_0_on_a_good_graph(seed_build, tmp_path):
    good = seed_build.outdir / "graph.ttl"
    res = runner.invoke(app, ["validate", str(good)])
    assert res.exit_code == 0, res.output
    assert "conforms" in res.stderr

    g = load_graph([good])
    link = sorted(g.subjects(RDF.type, KGO.Link))[0]
    g.remove((link, KGO.head, None))
    bad = tmp_path / "bad.ttl"
    g.serialize(bad, format="turtle")
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 1
    assert res.stdout.startswith("violation: ") and "kgo:head" in res.stdout

    res = runner.invoke(app, ["validate", str(tmp_path / "missing.ttl")])
    assert res.exit_code == 2
