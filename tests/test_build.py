"""The whole build on the seed article: files, parsers, stable identifiers."""

import json

from conftest import SEEDS


def test_build_writes_its_files_and_a_summary(seed_build):
    out = seed_build.outdir
    for name in ("graph.ttl", "graph.graphml", "graph.gexf", "extractions.jsonl", "errors.jsonl"):
        assert (out / name).is_file(), name
    s = seed_build.graph.summary()
    assert s["documents"] == 1 and s["entities"] > 20 and s["links"] > 10
    assert "1 documents" in seed_build.summary_line()


def test_every_link_has_its_evidence_in_the_source_text(seed_build):
    rec = json.loads((seed_build.outdir / "extractions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    assert rec["relations"]
    for r in rec["relations"]:
        assert text[r["evidence_start"]:r["evidence_end"]] == r["evidence"]
        assert 0 < r["confidence"] <= 1
    names = {e["canonical"] for e in rec["entities"]} | {e["canonical"] for e in rec["inferred"]}
    for r in rec["relations"]:
        assert r["head_actor"] in names and r["tail_actor"] in names
        # an end is named as its evidence writes it, or by the document's name for the actor
        for side in ("head", "tail"):
            assert r[side] in r["evidence"] or r[side] == r[f"{side}_actor"]


def test_two_builds_are_byte_identical_and_ids_stable(nlp, tmp_path):
    from kg.build import build

    a, b = tmp_path / "a", tmp_path / "b"
    build([SEEDS], a, nlp)
    build([SEEDS], b, nlp)
    for name in ("graph.ttl", "graph.graphml", "graph.gexf", "extractions.jsonl"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_cabinet_supplier_is_found_with_its_sentence(seed_build):
    from kg.query import run_query

    res = run_query([seed_build.outdir / "graph.ttl"], "suppliers-of", params={"customer": "中国移动甘肃公司"})
    rows = [dict(zip(res.variables, r)) for r in res.rows]
    assert any("海红" in r["supplier"] and "机柜" in r["evidence"] for r in rows), rows


def test_workers_give_the_records_and_errors_of_one_process_in_input_order(nlp, monkeypatch):
    import kg.extraction as X
    from kg.documents import Document, DocumentError

    monkeypatch.setattr(X, "BATCH_PER_WORKER", 2)  # several batches from a few documents
    texts = ["宁夏电信采购了银川星途电子科技有限公司的800台服务器。", "星河智算中心位于成都市双流区。",
             "华为与贵州省人民政府签署战略合作协议。", "DeepSeek大模型已在中卫云基地上线。", "北辰科技在遵义设立全资子公司。"]
    items = [Document(f"d{i}", f"d{i}.txt", t) for i, t in enumerate(texts)]
    items.insert(2, DocumentError("bad.txt", "not UTF-8"))
    one = list(X.extract(nlp, items, workers=1))
    two = list(X.extract(nlp, items, workers=2))
    assert [getattr(r, "source", None) or r["doc_id"] for r in two] == ["d0", "d1", "bad.txt", "d2", "d3", "d4"]
    assert [r if isinstance(r, DocumentError) else json.dumps(r, ensure_ascii=False) for r in two] == \
           [r if isinstance(r, DocumentError) else json.dumps(r, ensure_ascii=False) for r in one]
