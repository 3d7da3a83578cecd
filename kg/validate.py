"""Validation of a graph file against the SHACL shapes of what kg writes (ontology/shapes.ttl).

The library behind `kg validate`. pyshacl checks the data with the ontology mixed in (so
`sh:class kgo:Actor` sees that a kgo:Organization is one) and without inference, so that a
count constraint sees the triples the file holds, not what a reasoner would add. Each result
becomes one readable line: severity, the node (with its name, or a link's ends), the property,
the message and the offending value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .rdf import PREFIXES
from .vocab import KGO, ontology_graph, shapes_graph

SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


class GraphUnreadable(ValueError):
    """The file is missing or is not Turtle."""


@dataclass(frozen=True, order=True)
class Problem:
    severity: str
    focus: str
    path: str
    message: str
    value: str = ""

    def line(self) -> str:
        where = f"{self.focus}: {self.path}: " if self.path else f"{self.focus}: "
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}{self.message}{value}"


@dataclass
class ValidationReport:
    triples: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def conforms(self) -> bool:
        """Warnings do not fail a graph: they flag likely extraction mistakes, not broken output."""
        return not self.violations

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {len(self.violations)} violations, {len(self.warnings)} warnings in {self.triples} triples"


def load_graph(paths: Sequence[str | Path]) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for path in paths:
        if not Path(path).is_file():
            raise GraphUnreadable(f"{path}: no such graph file")
        try:
            g.parse(str(path), format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise GraphUnreadable(f"{path}: not readable as Turtle: {exc}") from None
    return g


def validate_graph(data: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate

    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", allow_warnings=True,
    )
    if not isinstance(results, Graph):  # pyshacl's ValidationFailure: the shapes themselves are wrong
        raise RuntimeError(f"the SHACL shapes could not be applied: {getattr(results, 'message', results)}")
    report = ValidationReport(triples=len(data))
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITY.get(results.value(result, SH.resultSeverity), "violation")
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        message = "; ".join(messages) or _short(data, component)
        report.problems.append(Problem(
            severity, _describe(data, focus), _short(data, path) if path is not None else "", message,
            _short(data, value) if value is not None and value != focus else "",
        ))
    # several constraints on one value (count, datatype, language) can word the same line twice
    report.problems = sorted(set(report.problems), key=lambda p: (p.severity != "violation", p))
    return report


def validate_files(paths: Sequence[str | Path]) -> ValidationReport:
    return validate_graph(load_graph(paths))


def format_problems(report: ValidationReport, limit: Optional[int] = None) -> Iterable[str]:
    shown = report.problems if limit is None else report.problems[:limit]
    for problem in shown:
        yield problem.line()
    if limit is not None and len(report.problems) > limit:
        yield f"… and {len(report.problems) - limit} more"


def _short(g: Graph, term: Optional[Node]) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return g.namespace_manager.curie(term, generate=False)
        except (ValueError, KeyError):
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(g.namespace_manager)
    return "[]" if not isinstance(term, Node) else str(term)


def _describe(g: Graph, node: Optional[Node]) -> str:
    """A node as a reader recognises it: its IRI with its name, or for a link its two ends."""
    text = _short(g, node)
    label = g.value(node, RDFS.label) if node is not None else None
    if label is not None:
        return f"{text} ({label})"
    head, relation, tail = (g.value(node, p) for p in (KGO.head, KGO.relation, KGO.tail))
    if head is not None or tail is not None:
        ends = [str(g.value(x, RDFS.label) or _short(g, x)) if x is not None else "?" for x in (head, tail)]
        rel = _short(g, relation).split(":")[-1] if relation is not None else "?"
        return f"{text} ({ends[0]} {rel} {ends[1]})"
    return text


__all__ = ["validate_files", "validate_graph", "load_graph", "format_problems", "ValidationReport", "Problem", "GraphUnreadable"]
