#!/usr/bin/env python3
"""Benchmark of the RDF side at a million triples: Turtle write time, and each saved query's
time with Oxigraph (kg query's default engine) against rdflib, in the same run.

The graph is made by replicating real extraction records (those of `kg extract seeds`, or a
JSON lines file you pass) with fresh names: every actor but the places is renamed per copy, so
the copies are distinct actors and documents, while places stay shared as they are in a real
corpus. rdflib's SPARQL is slow at this size, so by default it runs on a smaller graph built the
same way (--rdflib-triples) and every query has a time limit (--timeout); the output says which
size each figure is for, and `--rdflib-full` also tries rdflib on the full graph.

    python scripts/bench_rdf.py                       # ~1M triples, rdflib at ~100k
    python scripts/bench_rdf.py --records out/extractions.jsonl --triples 2000000 --rdflib-full

Not a test: figures depend on the machine. Run it, read the table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.graph import KnowledgeGraph  # noqa: E402
from kg.query import bind_params, saved_queries, with_prefixes  # noqa: E402
from kg.resolution import entity_id  # noqa: E402
from kg.writers import get_writer  # noqa: E402

# a value for each saved query's parameter that the seed article's actors answer
PARAMS = {"customer": "中国移动甘肃公司", "name": "中国移动甘肃公司", "place": "甘肃"}


def seed_records(path: str | None) -> list[dict]:
    if path:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    from kg.documents import iter_documents
    from kg.extraction import extract
    from kg.pipeline import load_nlp

    return [r for r in extract(load_nlp(), iter_documents([ROOT / "seeds"])) if isinstance(r, dict)]


def replicate(record: dict, copy: int) -> dict:
    """The record with every non-place actor renamed for this copy, and its ids to match."""
    def rename(name: str, label: str) -> str:
        return name if label == "LOC" or copy == 0 else f"{name}·{copy}"

    out = dict(record, doc_id=f"{record['doc_id']}-{copy:06d}")
    out["entities"] = [
        dict(e, text=rename(e["text"], e["label"]), canonical=rename(e["canonical"], e["label"]), actor=rename(e.get("actor", e["canonical"]), e["label"]),
             id=entity_id(rename(e.get("actor", e["canonical"]), e["label"]), e["label"]))
        for e in record.get("entities", [])
    ]
    out["inferred"] = [
        dict(e, canonical=rename(e["canonical"], e["label"]), actor=rename(e.get("actor", e["canonical"]), e["label"]),
             id=entity_id(rename(e.get("actor", e["canonical"]), e["label"]), e["label"]))
        for e in record.get("inferred", [])
    ]
    label_of = {e["id"]: e["label"] for e in record.get("entities", []) + record.get("inferred", [])}
    actor_of = {e["id"]: e.get("actor", e["canonical"]) for e in record.get("entities", []) + record.get("inferred", [])}
    rels = []
    for r in record.get("relations", []):
        r = dict(r)
        for side in ("head", "tail"):
            label = label_of.get(r[f"{side}_id"], r[f"{side}_id"].split("-", 1)[0].upper())
            actor = rename(actor_of.get(r[f"{side}_id"], r[side]), label)
            r[side], r[f"{side}_id"] = rename(r[side], label), entity_id(actor, label)
        rels.append(r)
    out["relations"] = rels
    return out


def build_graph(records: list[dict], copies: int) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    for copy in range(copies):
        for record in records:
            kg.add_record(replicate(record, copy))
    return kg


def triples_per_copy(records: list[dict]) -> int:
    from kg.rdf import to_rdf

    one, two = len(to_rdf(build_graph(records, 1))), len(to_rdf(build_graph(records, 2)))
    return max(two - one, 1)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# -------------------------------------------------------------------- engines in a child process
def _oxigraph(ttl: str, queries: dict[str, str], conn) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    load, _ = timed(lambda: store.bulk_load(path=ttl, format=ox.RdfFormat.TURTLE))
    conn.send(("load", load, len(store)))
    for name, text in queries.items():
        t, rows = timed(lambda: sum(1 for _ in store.query(text)))
        conn.send((name, t, rows))
    conn.send(("done", 0, 0))


def _rdflib(ttl: str, queries: dict[str, str], conn) -> None:
    from rdflib import Graph

    g = Graph()
    load, _ = timed(lambda: g.parse(ttl, format="turtle"))
    conn.send(("load", load, len(g)))
    for name, text in queries.items():
        t, rows = timed(lambda: sum(1 for _ in g.query(text)))
        conn.send((name, t, rows))
    conn.send(("done", 0, 0))


def run_engine(target, ttl: Path, queries: dict[str, str], timeout: float) -> dict[str, tuple]:
    """name -> (seconds, rows), or (None, 'timeout') for a query stopped at the limit. Neither
    engine can be interrupted, so a stopped query's process is killed and a new one loads the
    graph again for the queries after it; the first load's time is the one reported."""
    results: dict[str, tuple] = {}
    remaining = dict(queries)
    while True:
        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=target, args=(str(ttl), remaining, child), daemon=True)
        proc.start()
        child.close()
        pending = ["load", *remaining]
        try:
            while pending:
                limit = max(timeout, 900.0) if pending[0] == "load" else timeout
                if not parent.poll(limit):
                    results.setdefault(pending[0], (None, "timeout"))
                    break
                name, seconds, rows = parent.recv()
                if name == "done":
                    break
                results.setdefault(name, (seconds, rows))
                pending.remove(name)
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
        if not pending or pending[0] == "load":
            return results
        remaining = {name: remaining[name] for name in pending[1:]}
        if not remaining:
            return results


def fmt(result: tuple | None) -> str:
    if result is None:
        return "not run"
    seconds, rows = result
    return "> limit" if seconds is None else f"{seconds:8.2f} s ({rows} rows)"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--records", help="extraction records (JSON lines); default: kg extract seeds")
    p.add_argument("--triples", type=int, default=1_000_000, help="size of the big graph (at least)")
    p.add_argument("--rdflib-triples", type=int, default=100_000, help="size of the graph rdflib is timed on")
    p.add_argument("--rdflib-full", action="store_true", help="also time rdflib on the big graph")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per query before it is stopped")
    p.add_argument("--keep", help="folder to keep the Turtle files in (default: a temporary folder)")
    args = p.parse_args(argv)

    records = seed_records(args.records)
    per_copy = triples_per_copy(records)
    big_copies = -(-args.triples // per_copy)
    small_copies = max(1, -(-args.rdflib_triples // per_copy))
    queries = {}
    for name, q in saved_queries().items():
        queries[name] = bind_params(with_prefixes(q.text), {k: PARAMS[k] for k in q.params})

    folder = Path(args.keep or tempfile.mkdtemp(prefix="kg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"records: {len(records)} documents, ~{per_copy} triples per copy")
    sizes = {}
    for tag, copies in (("big", big_copies), ("small", small_copies)):
        t_graph, kg = timed(lambda: build_graph(records, copies))
        ttl = folder / f"graph-{tag}.ttl"
        t_write, _ = timed(lambda: get_writer("turtle").write(kg, ttl))
        sizes[tag] = ttl
        s = kg.summary()
        print(f"{tag:>5} graph: {copies} copies, {s['documents']} documents, {s['entities']} actors, {s['links']} links; "
              f"networkx {t_graph:.1f} s; Turtle write (longturtle, kg's writer) {t_write:.1f} s, "
              f"{ttl.stat().st_size / 1e6:.0f} MB")
        if tag == "big":
            for fmt_name in ("graphml", "gexf"):
                writer = get_writer(fmt_name)
                t, _ = timed(lambda: writer.write(kg, folder / writer.filename))
                print(f"        {fmt_name} write {t:.1f} s")
        del kg

    runs = {
        "oxigraph@big": run_engine(_oxigraph, sizes["big"], queries, args.timeout),
        "oxigraph@small": run_engine(_oxigraph, sizes["small"], queries, args.timeout),
        "rdflib@small": run_engine(_rdflib, sizes["small"], queries, args.timeout),
    }
    if args.rdflib_full:
        runs["rdflib@big"] = run_engine(_rdflib, sizes["big"], queries, args.timeout)

    print()
    for run, results in runs.items():
        load = results.get("load")
        triples = "?" if load is None or load[0] is None else f"{load[1]:,}"
        print(f"{run:<15} {triples:>10} triples, load {fmt(load).split(' (')[0].strip()}")
    print(f"(query time limit {args.timeout:g} s; a query past it is stopped, and the graph reloaded for the queries after it)")
    print()
    print(f"{'query':<16}" + "".join(f"{run:>28}" for run in runs))
    for name in queries:
        print(f"{name:<16}" + "".join(f"{fmt(results.get(name)):>28}" for results in runs.values()))
    if not args.keep:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
