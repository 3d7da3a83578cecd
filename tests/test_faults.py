"""Output safety: a build that is killed or fails leaves the previous outputs as they were, a
re-run completes, and two builds of the same mixed corpus are byte-identical."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import STAGING_PREFIX, build
from kg.writers import WRITERS

SENTENCES = [
    "{c}采购了兰州海红技术股份有限公司的{n}架IDC机柜，总价值{n}万元。",
    "浪潮信息与{c}签署战略合作协议，共建智算中心。",
    "华为云已在中国联通(青海·海东)数据中心落地{n}个千卡算力集群。",
    "2024年5月，北京星海算力科技股份有限公司在中卫落地全资子公司——星海算力(中卫)有限公司。",
]
CUSTOMERS = ["中国移动甘肃公司", "宁夏电信", "中国联通江苏公司", "甘肃移动"]


def article(i: int) -> str:
    return "\n".join(s.format(c=CUSTOMERS[(i + k) % 4], n=100 + i + k) for k, s in enumerate(SENTENCES))


def mixed_corpus(folder: Path) -> Path:
    """txt in UTF-8, GBK and Big5 (traditional), HTML, and a JSON lines export with a bad line."""
    import opencc

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-utf8.txt").write_text(article(0), encoding="utf-8")
    (folder / "b-gbk.txt").write_bytes(article(1).encode("gbk"))
    (folder / "c-big5.txt").write_bytes(opencc.OpenCC("s2t").convert(article(2)).encode("big5", "replace"))
    paragraphs = "".join(f"<p>{line}</p>" for line in article(3).splitlines())
    (folder / "d-page.html").write_text(
        f"<html><head><title>标题</title><meta name='date' content='2025-01-02'></head><body><nav>首页</nav>"
        f"<article>{paragraphs}</article><script>x()</script></body></html>", encoding="utf-8")
    lines = [json.dumps({"id": f"j{i}", "title": f"第{i}篇", "text": article(i), "url": f"https://x.cn/{i}", "date": "2025-03"},
                        ensure_ascii=False) for i in range(4, 8)]
    lines.insert(2, '{"id": "broken", "text": "截断')
    (folder / "e-export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def snapshot(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()}


def test_two_builds_of_a_mixed_corpus_are_byte_identical(nlp, tmp_path):
    corpus = mixed_corpus(tmp_path / "in")
    formats = sorted(WRITERS)
    a = build([corpus], tmp_path / "a", nlp, formats=formats)
    b = build([corpus], tmp_path / "b", nlp, formats=formats)
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert first == second
    assert {"extractions.jsonl", "errors.jsonl", "graph.ttl", "graph.graphml"} <= set(first)
    records = [json.loads(l) for l in first["extractions.jsonl"].decode("utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["a-utf8", "b-gbk", "c-big5", "d-page", "j4", "j5", "j6", "j7"]
    assert all(r["relations"] for r in records), [r["doc_id"] for r in records if not r["relations"]]
    assert [(e.line, e.reason[:8]) for e in a.errors] == [(3, "not JSON")] and len(b.errors) == 1


def test_a_build_that_fails_while_writing_leaves_the_previous_outputs(nlp, tmp_path, monkeypatch):
    corpus = mixed_corpus(tmp_path / "in")
    out = tmp_path / "out"
    build([corpus], out, nlp)
    before = snapshot(out)
    writer = WRITERS["graphml"]

    def half_then_fail(graph, path):
        Path(path).write_text("<graphml>half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(WRITERS, "graphml", writer.__class__(writer.name, writer.filename, half_then_fail, writer.description))
    (corpus / "f-new.txt").write_text(article(9), encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        build([corpus], out, nlp)
    assert snapshot(out) == before
    assert not list(out.glob(f"{STAGING_PREFIX}*")) and not list(out.glob(".*.tmp"))


def test_a_build_killed_mid_way_leaves_the_previous_outputs_and_the_rerun_completes(nlp, tmp_path):
    out = tmp_path / "out"
    build([mixed_corpus(tmp_path / "small")], out, nlp)
    before = snapshot(out)
    assert before["extractions.jsonl"]

    big = tmp_path / "big"
    big.mkdir()
    n = 150
    with open(big / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"d{i:03d}", "text": article(i) * 3}, ensure_ascii=False) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(big), "-o", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 240
        records = 0
        while time.monotonic() < deadline and proc.poll() is None:
            staged = list(out.glob(f"{STAGING_PREFIX}*/extractions.jsonl"))
            records = sum(f.read_bytes().count(b"\n") for f in staged)
            if records >= 1:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the build ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
        assert 1 <= records < n, records
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # the killed build's work is in its staging folder only; every published file is the old one
    assert list(out.glob(f"{STAGING_PREFIX}*"))
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(STAGING_PREFIX)} == before

    result = build([big], out, nlp)
    assert not result.errors
    records = [json.loads(l) for l in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == [f"d{i:03d}" for i in range(n)]
    assert result.graph.summary()["documents"] == n
    assert not list(out.glob(f"{STAGING_PREFIX}*")), "the killed build's staging folder is cleared by the next build"


def test_output_to_a_fifo_or_device_is_written_through_not_replaced(tmp_path):
    """`kg extract -o /dev/null` once replaced the device node with a file: an atomic rename onto
    anything that is not a regular file must not happen."""
    import stat
    import threading

    from kg.writers import atomic_path

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    with atomic_path(fifo) as path, open(path, "wb") as fh:
        fh.write(b"records\n")
    reader.join(timeout=10)
    assert got == [b"records\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
