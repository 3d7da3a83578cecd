"""ontology/kg.ttl declares every term kg writes, in two languages, aligned to ORG, schema.org, PROV."""

import rdflib
from rdflib import namespace as ns
from rdflib.namespace import OWL, RDF, RDFS

from kg.vocab import KGO, ontology_file, ontology_graph, shapes_graph

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")


def _kgo_terms():
    return {KGO[name] for name in KGO.__annotations__}


def test_the_loader_finds_both_files_beside_or_inside_the_package():
    assert ontology_file("kg.ttl").name == "kg.ttl"
    assert len(ontology_graph()) > 100
    assert any(shapes_graph().subjects(RDF.type, ns.SH.NodeShape))


def test_every_vocab_term_is_declared_with_zh_and_en_labels_and_an_english_comment():
    g = ontology_graph()
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for term in _kgo_terms():
        assert set(g.objects(term, RDF.type)) & kinds, f"{term} is not declared"
        langs = {label.language for label in g.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, f"{term} lacks a zh or en label"
        assert any(c.language == "en" for c in g.objects(term, RDFS.comment)), f"{term} lacks an English comment"


def test_every_kgo_term_a_seed_build_writes_is_declared(seed_build):
    declared = set(ontology_graph().subjects(RDF.type, None))
    data = rdflib.Graph().parse(seed_build.outdir / "graph.ttl", format="turtle")
    used = {t for triple in data for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(str(KGO._NS))}
    assert used, "the build wrote no kgo: term"
    assert used <= declared, sorted(used - declared)


def test_alignment_to_org_schema_and_prov():
    g = ontology_graph()
    for cls, parents in {
        KGO.Organization: {ORG.Organization, ns.SDO.Organization},
        KGO.Project: {ns.SDO.Project},
        KGO.Product: {ns.SDO.Product},
        KGO.Place: {ns.SDO.Place},
        KGO.Person: {ns.SDO.Person},
        KGO.Document: {ns.PROV.Entity, ns.SDO.CreativeWork},
        KGO.Link: {ns.PROV.Entity},
    }.items():
        assert parents <= set(g.objects(cls, RDFS.subClassOf)), cls
    assert ORG.subOrganizationOf in set(g.objects(KGO.subsidiaryOf, RDFS.subPropertyOf))
    for prop in (KGO.supplierOf, KGO.investedIn, KGO.partnerOf):
        assert (prop, RDFS.subPropertyOf, ORG.linkedTo) in g, prop
    assert (KGO.partnerOf, RDF.type, OWL.SymmetricProperty) in g
    assert (KGO.locatedIn, RDFS.subPropertyOf, ns.SDO.location) in g
    for prop in (KGO.supplierOf, KGO.head, KGO.amount, KGO.mentionCount):
        assert g.value(prop, RDFS.domain) is not None and g.value(prop, RDFS.range) is not None, prop
