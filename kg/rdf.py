"""The knowledge graph as RDF, in the terms of ontology/kg.ttl, W3C ORG, schema.org and PROV-O.

Each link is stated twice: as a direct triple (`:a kgo:supplierOf :b`) for simple queries, and as
a qualified `kgo:Link` node that carries what the triple cannot: the evidence sentence, its
offsets, the document (`prov:wasDerivedFrom`), confidence, and the amount, quantity and date.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from .graph import KnowledgeGraph
from .vocab import CLASS_OF_LABEL, KGO, KGR, RELATION_PROPERTY

PREFIXES = {"kgo": KGO._NS, "kgr": KGR, "prov": PROV, "schema": SDO, "skos": SKOS, "dcterms": DCTERMS}


def actor_iri(node_id: str) -> URIRef:
    return KGR[node_id]


def document_iri(doc_id: str) -> URIRef:
    return KGR["doc/" + quote(doc_id, safe="")]


def _date_literal(value: str) -> Literal:
    kind = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(value), XSD.string)
    return Literal(value, datatype=kind)


def _decimal(value: float) -> Literal:
    # xsd:decimal, not double: amounts in yuan must sum exactly and print without exponents
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(float(value), "f")
    number = Decimal(text)
    return Literal(number.to_integral_value() if number == number.to_integral_value() else number, datatype=XSD.decimal)


def to_rdf(kg: KnowledgeGraph) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)

    for doc_id, info in kg.documents.items():
        d = document_iri(doc_id)
        g.add((d, RDF.type, KGO.Document))
        g.add((d, KGO.docId, Literal(doc_id)))
        if info.get("source"):
            g.add((d, KGO.sourcePath, Literal(info["source"])))
        meta = info.get("meta") or {}
        if meta.get("title"):
            g.add((d, DCTERMS.title, Literal(meta["title"], lang="zh")))
        if meta.get("url"):
            g.add((d, SDO.url, Literal(meta["url"], datatype=XSD.anyURI)))
        if meta.get("date"):
            g.add((d, DCTERMS.date, _date_literal(str(meta["date"])[:10])))

    for node_id, data in kg.graph.nodes(data=True):
        a = actor_iri(node_id)
        g.add((a, RDF.type, CLASS_OF_LABEL.get(data["type"], KGO.Actor)))
        g.add((a, RDFS.label, Literal(data["label"], lang="zh")))
        for alias in sorted(data.get("aliases", ())):
            if alias != data["label"]:
                g.add((a, SKOS.altLabel, Literal(alias, lang="zh")))
        g.add((a, KGO.mentionCount, Literal(int(data.get("mentions", 0)))))
        for doc_id in sorted(data.get("documents", ())):
            g.add((a, KGO.mentionedIn, document_iri(doc_id)))

    for head, tail, key, data in kg.graph.edges(keys=True, data=True):
        prop = RELATION_PROPERTY[data["relation"]]
        h, t = actor_iri(head), actor_iri(tail)
        g.add((h, prop, t))
        link = KGR[key]
        g.add((link, RDF.type, KGO.Link))
        g.add((link, KGO.head, h))
        g.add((link, KGO.relation, prop))
        g.add((link, KGO.tail, t))
        g.add((link, PROV.wasDerivedFrom, document_iri(data["document"])))
        if data.get("evidence"):
            g.add((link, KGO.evidence, Literal(data["evidence"], lang="zh")))
        for field, prop_ in (("evidence_start", KGO.evidenceStart), ("evidence_end", KGO.evidenceEnd)):
            if field in data:
                g.add((link, prop_, Literal(int(data[field]))))
        if "confidence" in data:
            g.add((link, KGO.confidence, _decimal(data["confidence"])))
        g.add((link, KGO.implicit, Literal(bool(data.get("implicit", False)))))
        if "amount" in data:
            g.add((link, KGO.amount, _decimal(data["amount"])))
            g.add((link, KGO.currency, Literal(data.get("currency", "CNY"))))
            g.add((link, KGO.amountText, Literal(data.get("amount_text", ""), lang="zh")))
        if "quantity" in data:
            g.add((link, KGO.quantity, _decimal(data["quantity"])))
            g.add((link, KGO.quantityUnit, Literal(data.get("quantity_unit", ""), lang="zh")))
            g.add((link, KGO.quantityText, Literal(data.get("quantity_text", ""), lang="zh")))
        if data.get("date"):
            g.add((link, KGO.date, _date_literal(data["date"])))
    _place_hierarchy(g, kg)
    return g


def _place_hierarchy(g: Graph, kg: KnowledgeGraph) -> None:
    """Each place's enclosing places from the register (庆阳市 schema:containedInPlace 甘肃省),
    up to the province, and the short name people write as an altLabel (庆阳). So a query for
    the investments into 甘肃 finds those into 庆阳市 and into a park located there. These come
    from the register, not from a sentence, so they are plain triples, not evidenced kgo:Links."""
    from .lexicon import load_lexicon
    from .resolution import entity_id

    lexicon = load_lexicon()
    nodes = dict(kg.graph.nodes(data="label"))
    done: set[str] = set()
    todo = [label for node, label in nodes.items() if kg.graph.nodes[node]["type"] == "LOC"]
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        entry = lexicon.entry_for_canonical(name)
        if entry is None or entry.label != "LOC" or entry.kind == "country":
            continue
        place = actor_iri(entity_id(name, "LOC"))
        if (place, RDFS.label, None) not in g:  # an enclosing place no document names
            g.add((place, RDF.type, KGO.Place))
            g.add((place, RDFS.label, Literal(name, lang="zh")))
            g.add((place, KGO.mentionCount, Literal(0)))
        short = lexicon.short_place.get(name)
        if short and short != name:
            g.add((place, SKOS.altLabel, Literal(short, lang="zh")))
        parent = lexicon.entry_for_canonical(entry.parent) if entry.parent else None
        if parent is not None and parent.label == "LOC" and parent.kind != "country":
            g.add((place, SDO.containedInPlace, actor_iri(entity_id(parent.canonical, "LOC"))))
            todo.append(parent.canonical)


__all__ = ["to_rdf", "actor_iri", "document_iri", "PREFIXES"]
