"""The RDF vocabulary kg emits, as an rdflib `DefinedNamespace` (terms defined in ontology/kg.ttl).

A misspelt term is an AttributeError here, not a silent new IRI in the output.
"""

from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/kg-zh/ontology"
#: Base of every actor, link and document IRI kg mints.
RESOURCE_BASE = "https://w3id.org/kg-zh/id/"


class KGO(DefinedNamespace):
    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Actor: URIRef
    Organization: URIRef
    Project: URIRef
    Product: URIRef
    Place: URIRef
    Person: URIRef
    Document: URIRef
    Link: URIRef

    # relations between actors
    supplierOf: URIRef
    investedIn: URIRef
    deployedAt: URIRef
    partnerOf: URIRef
    subsidiaryOf: URIRef
    locatedIn: URIRef
    operates: URIRef

    # a qualified link: which relation, between whom, proven by which sentence
    head: URIRef
    tail: URIRef
    relation: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    confidence: URIRef
    implicit: URIRef
    amount: URIRef
    amountText: URIRef
    currency: URIRef
    quantity: URIRef
    quantityUnit: URIRef
    quantityText: URIRef
    date: URIRef

    # actors and documents
    mentionCount: URIRef
    mentionedIn: URIRef
    docId: URIRef
    sourcePath: URIRef


KGR = Namespace(RESOURCE_BASE)

RELATION_PROPERTY = {
    "supplier-of": KGO.supplierOf,
    "invested-in": KGO.investedIn,
    "deployed-at": KGO.deployedAt,
    "partner-of": KGO.partnerOf,
    "subsidiary-of": KGO.subsidiaryOf,
    "located-in": KGO.locatedIn,
    "operates": KGO.operates,
}
PROPERTY_RELATION = {v: k for k, v in RELATION_PROPERTY.items()}

CLASS_OF_LABEL = {
    "ORG": KGO.Organization,
    "PROJECT": KGO.Project,
    "PRODUCT": KGO.Product,
    "LOC": KGO.Place,
    "PERSON": KGO.Person,
}


def ontology_file(name: str = "kg.ttl") -> Path:
    """A file of the project's `ontology/` folder (kg.ttl, shapes.ttl).

    A wheel carries the folder inside the package (`kg/ontology/`, see pyproject's force-include);
    a source checkout, and so an editable install, has it beside the package."""
    package = Path(__file__).resolve().parent
    for folder in (package / "ontology", package.parent / "ontology"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"ontology/{name} is neither in the installed package nor beside it ({package})")


def ontology_graph() -> Graph:
    """The OWL ontology of every kgo: term (ontology/kg.ttl)."""
    return Graph().parse(ontology_file("kg.ttl"), format="turtle")


def shapes_graph() -> Graph:
    """The SHACL shapes of the graphs kg writes (ontology/shapes.ttl)."""
    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")
