"""The knowledge graph: extraction records merged into one networkx MultiDiGraph.

A node per actor (keyed by its stable id), an edge per (relation, document, evidence sentence).
Records are added one at a time, so a corpus of any size streams through; only the graph itself
is held in memory.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from .resolution import entity_id


# a link's ends are its edge's nodes, not attributes of it
_ENDS = ("head", "tail", "head_id", "tail_id", "head_actor", "tail_actor")


def link_id(head_id: str, relation: str, tail_id: str, doc_id: str, evidence_start: int) -> str:
    key = "\x1f".join((head_id, relation, tail_id, doc_id, str(evidence_start))).encode("utf-8")
    return "link-" + hashlib.sha1(key).hexdigest()[:16]


@dataclass
class KnowledgeGraph:
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    #: doc_id -> {"source", "meta"}: provenance of every document that contributed
    documents: dict[str, dict] = field(default_factory=dict)

    def add_record(self, record: dict) -> None:
        doc_id = record["doc_id"]
        self.documents[doc_id] = {"source": record.get("source", ""), "meta": record.get("meta") or {}}
        g = self.graph
        for ent in record.get("entities", []):
            node = self._node(ent["id"], ent.get("actor", ent["canonical"]), ent["label"])
            node["mentions"] += 1
            node["aliases"].add(ent["text"])
            node["documents"].add(doc_id)
        for ent in record.get("inferred", []):
            node = self._node(ent["id"], ent.get("actor", ent["canonical"]), ent["label"])
            if ent["canonical"] != node["label"]:
                node["aliases"].add(ent["canonical"])  # the name written inside another one
        for rel in record.get("relations", []):
            for side in ("head", "tail"):
                if rel[f"{side}_id"] not in g:  # a record from an older kg without "inferred"
                    self._node(rel[f"{side}_id"], rel.get(f"{side}_actor", rel[side]), rel[f"{side}_id"].split("-", 1)[0].upper())
            key = link_id(rel["head_id"], rel["relation"], rel["tail_id"], doc_id, rel.get("evidence_start", 0))
            attrs = {k: v for k, v in rel.items() if k not in _ENDS and v is not None}
            attrs["document"] = doc_id
            g.add_edge(rel["head_id"], rel["tail_id"], key=key, **attrs)

    def _node(self, node_id: str, canonical: str, label: str) -> dict:
        g = self.graph
        if node_id not in g:
            g.add_node(node_id, label=canonical, type=label, mentions=0, aliases=set(), documents=set())
        return g.nodes[node_id]

    def summary(self) -> dict:
        rels = Counter(d["relation"] for _, _, d in self.graph.edges(data=True))
        return {
            "documents": len(self.documents),
            "entities": self.graph.number_of_nodes(),
            "links": self.graph.number_of_edges(),
            "by_relation": dict(sorted(rels.items())),
        }


def build_graph(records: Iterable[dict]) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    for record in records:
        kg.add_record(record)
    return kg


__all__ = ["KnowledgeGraph", "build_graph", "link_id", "entity_id"]
