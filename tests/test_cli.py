import json

from typer.testing import CliRunner

from kg.cli import app
from conftest import SEEDS, SHARED, needs_shared

runner = CliRunner()


def test_build_reports_bad_files_in_one_line_and_processes_the_rest(tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "latin1.txt").write_bytes(bytes(range(0x80, 0x100)) * 3)
    (bad / "ok.txt").write_text("浪潮信息与中国移动甘肃公司签署合作协议。", encoding="utf-8")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", str(bad), str(nothing), "-o", str(out), "--quiet"])
    assert res.exit_code == 1
    err_lines = [l for l in res.stderr.splitlines() if l.startswith("kg: error:")]
    assert len(err_lines) == 3, res.stderr
    assert any("empty.txt" in l for l in err_lines) and any("nothing" in l for l in err_lines)
    assert "Traceback" not in res.output + res.stderr
    assert "1 documents, 3 failed" in res.stderr
    recs = (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(recs) == 1 and json.loads(recs[0])["doc_id"] == "ok"
    assert len((out / "errors.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_extract_to_stdout_is_one_json_object_per_document():
    res = runner.invoke(app, ["extract", str(SEEDS), "-o", "-"])
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert set(rec) >= {"doc_id", "source", "entities", "relations"}
    e = rec["entities"][0]
    assert set(e) >= {"text", "label", "start", "end", "canonical", "id"}
    r = rec["relations"][0]
    assert set(r) >= {"head", "relation", "tail", "evidence", "confidence"}


def test_query_command_table_csv_json_and_list(seed_build):
    ttl = str(seed_build.outdir / "graph.ttl")
    res = runner.invoke(app, ["query", ttl, "suppliers-of", "--param", "customer=甘肃移动", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)
    assert any("海红" in r["supplier"] for r in rows)
    res = runner.invoke(app, ["query", ttl, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == "n"
    res = runner.invoke(app, ["query", "--list"])
    assert "suppliers-of" in res.stdout
    res = runner.invoke(app, ["query", ttl, "DROP ALL"])
    assert res.exit_code == 2 and "refused" in res.stderr


@needs_shared
def test_evaluate_prints_scores_on_the_shared_gold():
    res = runner.invoke(app, ["evaluate", str(SHARED / "gold"), "--json"])
    assert res.exit_code == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["documents"] >= 1
    assert report["entities"]["ALL"]["f1"] > 0.5
    assert "core" in report["relations"]
    assert report["resolution"]["nodes_per_actor"] <= 1.05 and report["resolution"]["merge_precision"] >= 0.95


def test_workers_where_processes_cannot_fork_is_a_one_line_error(monkeypatch, tmp_path):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    for command in (["extract", str(SEEDS), "-o", "-"], ["build", str(SEEDS), "-o", str(tmp_path / "out")]):
        res = runner.invoke(app, command + ["-j", "2"])
        assert res.exit_code == 2, res.output
        assert res.stderr.startswith("kg: error: --workers above 1 needs processes started by fork")
        assert "Traceback" not in res.stderr
