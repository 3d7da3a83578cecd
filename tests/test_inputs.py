"""Real-world input: legacy encodings, HTML pages, JSON lines corpora, traditional characters, and
each kind of file kg cannot read, each reported with its reason while the rest goes on."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.documents import MAX_BYTES, Document, DocumentError, iter_documents, normalise_date

SIMPLIFIED = "中国移动甘肃公司采购了兰州海红技术股份有限公司的1200架IDC机柜，总价值500多万元。"
TRADITIONAL = "中國移動甘肅公司採購了蘭州海紅技術股份有限公司的1200架IDC機櫃，總價值500多萬元。"


def items(*paths):
    return list(iter_documents(paths))


def by_name(found):
    return {Path(i.source).name + (f":{i.line}" if isinstance(i, DocumentError) and i.line else ""): i for i in found}


# --- encodings and scripts --------------------------------------------------------------------


@pytest.mark.parametrize("text", [TRADITIONAL, TRADITIONAL[:6], "浪潮資訊與華為簽約"])
def test_big5_is_detected_and_not_read_as_gbk(tmp_path, text):
    p = tmp_path / "big5.txt"
    p.write_bytes(text.encode("big5"))
    (doc,) = items(p)
    assert isinstance(doc, Document) and doc.text == text
    assert doc.meta["encoding"] == "big5hkscs"


@pytest.mark.parametrize("text", [SIMPLIFIED, SIMPLIFIED[:6], "浪潮信息与华为签约"])
def test_gbk_is_not_read_as_big5(tmp_path, text):
    p = tmp_path / "gbk.txt"
    p.write_bytes(text.encode("gbk"))
    (doc,) = items(p)
    assert doc.text == text and doc.meta["encoding"] == "gb18030"


def test_a_half_written_file_loses_only_its_last_incomplete_character(tmp_path):
    (tmp_path / "utf8.txt").write_bytes(SIMPLIFIED.encode("utf-8")[:-2])
    (tmp_path / "gbk.txt").write_bytes(SIMPLIFIED.encode("gbk")[:-1])
    found = by_name(items(tmp_path))
    for name in ("utf8.txt", "gbk.txt"):
        assert found[name].text == SIMPLIFIED[:-1], name
        assert found[name].meta["undecodable_bytes"] >= 1


def test_a_corrupted_byte_in_a_utf8_page_is_replaced_not_read_as_another_encoding(tmp_path):
    p = tmp_path / "c.txt"
    p.write_bytes(SIMPLIFIED.encode() * 10 + b"\xff" + SIMPLIFIED.encode() * 10)
    (doc,) = items(p)
    assert doc.text == SIMPLIFIED * 10 + "\ufffd" + SIMPLIFIED * 10
    assert doc.meta == {"undecodable_bytes": 1}


def test_zero_width_and_bidi_characters_do_not_split_names(tmp_path):
    p = tmp_path / "zw.txt"
    p.write_text("中国\u200b移动\u200d甘肃\u202e公司\ufeff采购", encoding="utf-8")
    (doc,) = items(p)
    assert doc.text == "中国移动甘肃公司采购"


def test_traditional_text_is_analysed_in_simplified_and_quoted_in_the_original(nlp):
    from kg.documents import make_document
    from kg.extraction import extract_document

    trad = make_document("t", "t", TRADITIONAL)
    assert trad.meta["script"] == "traditional" and trad.analysis == SIMPLIFIED
    simp = make_document("s", "s", SIMPLIFIED)
    assert simp.analysis is None
    r_trad, r_simp = extract_document(nlp, trad), extract_document(nlp, simp)
    for e in r_trad["entities"]:
        assert TRADITIONAL[e["start"]:e["end"]] == e["text"]
    for r in r_trad["relations"]:
        assert TRADITIONAL[r["evidence_start"]:r["evidence_end"]] == r["evidence"]
    # the same actors and links as the simplified text: the gazetteer matched through the copy
    assert {(e["id"], e["start"]) for e in r_trad["entities"]} == {(e["id"], e["start"]) for e in r_simp["entities"]}
    assert {(r["head_id"], r["relation"], r["tail_id"]) for r in r_trad["relations"]} == {
        (r["head_id"], r["relation"], r["tail_id"]) for r in r_simp["relations"]}
    assert any(e["text"] == "中國移動甘肅公司" for e in r_trad["entities"])
    assert r_trad["relations"], "the supplier link must be found in the traditional text too"


def test_simplified_text_keeps_characters_t2s_would_change():
    from kg.documents import make_document

    doc = make_document("d", "d", "华为昇腾910B芯片已在南京昇腾人工智能计算中心部署。")
    assert doc.analysis is None and "script" not in doc.meta


# --- HTML -------------------------------------------------------------------------------------

ARTICLE = "".join(f"<p>{SIMPLIFIED}浪潮信息与中国联通签署合作协议。</p>" for _ in range(3))
PAGE = f"""<!DOCTYPE html><html><head><meta charset="gbk"><title>甘肃移动采购机柜 &#x1b;- 新闻网</title>
<meta property="og:title" content="甘肃移动采购机柜"><meta name="date" content="2025-05-12">
<link rel="canonical" href="https://news.example.cn/2025/05/12/a.html">
<script>var ad = "阿里巴巴云计算有限公司";</script><style>p {{ color: red }}</style></head>
<body><nav><a href="/">首页</a> | <a href="/x">腾讯科技有限公司专栏</a></nav>
<article><h1>甘肃移动采购机柜</h1>{ARTICLE}</article>
<footer>版权所有 北京字节跳动科技有限公司 &copy; 2025 &#x4e2d;&nbsp;</footer></body></html>"""


def test_html_page_is_reduced_to_its_article_with_title_date_and_address(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.encode("gbk"))
    (doc,) = items(p)
    assert isinstance(doc, Document) and doc.doc_id == "page"
    assert SIMPLIFIED in doc.text
    for boilerplate in ("阿里巴巴", "腾讯", "字节跳动", "color"):
        assert boilerplate not in doc.text, boilerplate
    assert doc.meta["date"] == "2025-05-12"
    assert doc.meta["url"] == "https://news.example.cn/2025/05/12/a.html"
    assert "甘肃移动采购机柜" in doc.meta["title"] and "\x1b" not in doc.meta["title"]
    assert doc.meta["encoding"] == "gb18030"


def test_a_page_declaring_the_wrong_charset_is_still_read(tmp_path):
    p = tmp_path / "wrong.htm"
    p.write_bytes(f'<html><head><meta charset="gbk"></head><body><p>{TRADITIONAL}</p></body></html>'.encode("big5"))
    (doc,) = items(p)
    assert TRADITIONAL in doc.text


def test_html_entities_declared_in_a_doctype_are_not_expanded_nor_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{laughs}'
            f'<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>{SIMPLIFIED}&l9;&xxe;</p></body></html>')
    p = tmp_path / "evil.html"
    p.write_text(page, encoding="utf-8")
    (doc,) = items(p)
    assert SIMPLIFIED in doc.text
    assert "SECRET-CONTENT" not in doc.text
    assert "lollol" not in doc.text and len(doc.text) < 2000


def test_html_nested_past_the_parser_limit_keeps_its_text(tmp_path):
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * 5000 + SIMPLIFIED + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    (doc,) = items(p)
    assert SIMPLIFIED in doc.text


def test_an_html_page_without_text_is_an_error(tmp_path):
    p = tmp_path / "blank.html"
    p.write_text("<html><head><script>var x = 1;</script></head><body><img src=a.png></body></html>", encoding="utf-8")
    (err,) = items(p)
    assert isinstance(err, DocumentError) and "empty" in err.reason


# --- JSON lines -------------------------------------------------------------------------------


def _jsonl(lines) -> bytes:
    return b"\n".join(line if isinstance(line, bytes) else json.dumps(line, ensure_ascii=False).encode() for line in lines) + b"\n"


def test_jsonl_lines_are_documents_and_bad_lines_are_errors_with_their_line_numbers(tmp_path):
    p = tmp_path / "corpus.jsonl"
    p.write_bytes(_jsonl([
        {"id": "a-1", "title": "甘肃移动采购机柜", "text": SIMPLIFIED, "url": "https://x.cn/a", "date": "2025年5月12日"},
        b"",
        b'{"id": "b", "text": ',  # line 3: cut off
        {"id": "c", "title": 7, "text": SIMPLIFIED},  # 4: title not a string
        {"text": SIMPLIFIED},  # 5: no id
        {"id": "a-1", "text": SIMPLIFIED},  # 6: duplicate id
        [1, 2],  # 7
        {"id": 8, "text": "  \u200b "},  # 8: no text once cleaned
        b"[" * 100_000 + b"]" * 100_000,  # 9: nested past the parser's recursion
        json.dumps({"id": 10, "text": "\ud800" + TRADITIONAL, "date": "某日"}).encode(),  # 10: lone surrogate, traditional, bad date
        b"\xff\xfe\x00garbage",  # 11
    ]))
    found = items(p)
    docs = [i for i in found if isinstance(i, Document)]
    errors = {i.line: i.reason for i in found if isinstance(i, DocumentError)}
    assert [d.doc_id for d in docs] == ["a-1", "10"]
    a, ten = docs
    assert a.meta == {"line": 1, "title": "甘肃移动采购机柜", "url": "https://x.cn/a", "date": "2025-05-12"}
    assert a.source == str(p) and a.text == SIMPLIFIED
    assert ten.text == "\ufffd" + TRADITIONAL and ten.meta["date_text"] == "某日" and ten.meta["script"] == "traditional"
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 11}
    assert "not JSON" in errors[3] and '"title"' in errors[4] and '"id"' in errors[5]
    assert "line 1" in errors[6] and "list" in errors[7] and "empty" in errors[8] and "deeply" in errors[9]


def test_jsonl_line_over_the_limit_is_refused_and_the_next_line_still_read(tmp_path):
    p = tmp_path / "big.jsonl"
    with open(p, "wb") as fh:
        fh.write(_jsonl([{"id": "first", "text": SIMPLIFIED}]))
        fh.truncate(fh.tell() + MAX_BYTES + 10)  # a sparse run of NULs with no line end: one huge line
        fh.seek(0, os.SEEK_END)
        fh.write(b"\n" + _jsonl([{"id": "last", "text": SIMPLIFIED}]))
    found = items(p)
    assert [i.doc_id for i in found if isinstance(i, Document)] == ["first", "last"]
    (err,) = [i for i in found if isinstance(i, DocumentError)]
    assert err.line == 2 and "limit" in err.reason


@pytest.mark.parametrize("value,expected", [
    ("2025-05-12", "2025-05-12"), ("2025/5/1", "2025-05-01"), ("2025年5月", "2025-05"), ("2025", "2025"),
    ("2025-05-12T08:00:00+08:00", "2025-05-12"), ("２０２５年５月１２日", "2025-05-12"),
    ("2025-02-30", None), ("2025-13", None), ("昨天", None), ("12/05/2025", None),
])
def test_dates_of_exports_are_normalised(value, expected):
    assert normalise_date(value) == expected


# --- files that cannot be read ----------------------------------------------------------------


def test_a_folder_yields_txt_html_and_jsonl_and_nothing_else(tmp_path):
    (tmp_path / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "b.HTML").write_text(f"<html><body><p>{SIMPLIFIED}</p></body></html>", encoding="utf-8")
    (tmp_path / "c.htm").write_text(f"<p>{SIMPLIFIED}</p>", encoding="utf-8")
    (tmp_path / "d.jsonl").write_bytes(_jsonl([{"id": "d1", "text": SIMPLIFIED}, {"id": "d2", "text": SIMPLIFIED}]))
    for ignored in ("e.json", "f.md", ".hidden.txt", "g.txt~"):
        (tmp_path / ignored).write_text(SIMPLIFIED, encoding="utf-8")
    assert [i.doc_id for i in items(tmp_path)] == ["a", "b", "c", "d1", "d2"]


def test_empty_binary_huge_special_and_vanished_files_are_each_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"\n \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with open(tmp_path / "huge.txt", "wb") as fh:
        fh.truncate(51 * 2**20)  # sparse: takes no disk space, and is never read
    with open(tmp_path / "huge.html", "wb") as fh:
        fh.truncate(60 * 2**20)
    os.mkfifo(tmp_path / "fifo.txt")  # opening it for reading would wait for a writer forever
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone")
    (tmp_path / "ok.txt").write_text(SIMPLIFIED, encoding="utf-8")
    found = by_name(items(tmp_path, tmp_path / "missing.txt"))
    reasons = {name: i.reason for name, i in found.items() if isinstance(i, DocumentError)}
    assert isinstance(found["ok.txt"], Document)
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["empty.jsonl"]
    assert "binary" in reasons["binary.txt"] and "binary" in reasons["binary.html"]
    assert "51 MB, over the 50 MB limit" in reasons["huge.txt"] and "60 MB" in reasons["huge.html"]
    assert reasons["fifo.txt"] == reasons["zero.txt"] == "not a regular file"
    assert "No such file" in reasons["dangling.txt"] and "no such file" in reasons["missing.txt"]
    assert len(found) == 11


def _read_as_nobody(folder: str, conn) -> None:
    os.setgid(65534)
    os.setuid(65534)
    conn.send([(type(i).__name__, Path(i.source).name, getattr(i, "reason", "")) for i in iter_documents([folder])])


def test_unreadable_files_and_folders_are_each_an_error():
    # root reads any file whatever its mode, so the reading is done by a process that has given
    # up root for the unprivileged user, as a real user's would be refused
    folder = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    try:
        os.chmod(folder, 0o755)
        (folder / "a-ok.txt").write_text(SIMPLIFIED, encoding="utf-8")
        (folder / "b-locked.txt").write_text(SIMPLIFIED, encoding="utf-8")
        (folder / "b-locked.txt").chmod(0)
        (folder / "c-locked-dir").mkdir()
        (folder / "c-locked-dir" / "x.txt").write_text(SIMPLIFIED, encoding="utf-8")
        (folder / "c-locked-dir").chmod(0)
        (folder / "d-ok.jsonl").write_bytes(_jsonl([{"id": "d", "text": SIMPLIFIED}]))
        (folder / "d-ok.jsonl").chmod(0o644)
        (folder / "a-ok.txt").chmod(0o644)
        if os.geteuid() == 0:
            parent, child = mp.get_context("fork").Pipe(duplex=False)
            proc = mp.get_context("fork").Process(target=_read_as_nobody, args=(str(folder), child))
            proc.start()
            got = parent.recv()
            proc.join()
        else:
            got = [(type(i).__name__, Path(i.source).name, getattr(i, "reason", "")) for i in iter_documents([folder])]
    finally:
        for p in (folder / "c-locked-dir", folder / "b-locked.txt"):
            p.chmod(0o755)
        shutil.rmtree(folder)
    assert got == [
        ("Document", "a-ok.txt", ""),
        ("DocumentError", "b-locked.txt", "cannot read: Permission denied"),
        ("Document", "d-ok.jsonl", ""),
        ("DocumentError", "c-locked-dir", "cannot read folder: Permission denied"),
    ]


def test_a_file_that_vanishes_mid_run_is_an_error_and_the_rest_go_on(nlp, tmp_path):
    from kg.build import build

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"{i}.txt").write_text(SIMPLIFIED, encoding="utf-8")

    def vanish(item):
        if isinstance(item, dict) and item["doc_id"] == "0":
            (corpus / "2.txt").unlink()

    result = build([corpus], tmp_path / "out", nlp, formats=["turtle"], on_item=vanish)
    assert [Path(e.source).name for e in result.errors] == ["2.txt"]
    assert "No such file" in result.errors[0].reason
    assert sorted(result.graph.documents) == ["0", "1", "3"]


# --- the command ------------------------------------------------------------------------------


def test_build_reports_jsonl_line_numbers_on_stderr_and_in_errors_jsonl_and_exits_1(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "c.jsonl").write_bytes(_jsonl([{"id": "ok", "text": SIMPLIFIED}, b"{oops", {"id": "ok2", "text": SIMPLIFIED}]))
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["build", str(corpus), "-o", str(out), "--quiet", "-f", "turtle"])
    assert res.exit_code == 1, res.output
    assert f"kg: error: {corpus / 'c.jsonl'}:2: not JSON" in res.stderr
    assert "2 documents, 1 failed" in res.stderr
    (err,) = [json.loads(l) for l in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert err["source"] == str(corpus / "c.jsonl") and err["line"] == 2 and err["reason"].startswith("not JSON")
    records = [json.loads(l) for l in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["ok", "ok2"] and records[1]["meta"]["line"] == 3


def test_build_exits_0_when_every_document_was_read(tmp_path):
    (tmp_path / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    res = CliRunner().invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--quiet", "-f", "turtle"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "errors.jsonl").read_bytes() == b""


def test_html_and_jsonl_metadata_reach_the_graphs_provenance(nlp, tmp_path):
    from kg.build import build
    from kg.query import run_query

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "page.html").write_bytes(PAGE.encode("gbk"))
    (corpus / "c.jsonl").write_bytes(_jsonl([{"id": "j1", "title": "标题二", "text": SIMPLIFIED, "url": "https://x.cn/j1", "date": "2024/3/9"}]))
    build([corpus], tmp_path / "out", nlp, formats=["turtle"])
    res = run_query([tmp_path / "out" / "graph.ttl"],
                    "SELECT ?id ?title ?url ?date WHERE { ?d kgo:docId ?id ; dcterms:title ?title ; schema:url ?url ; dcterms:date ?date } ORDER BY ?id")
    rows = [tuple(r) for r in res.rows]
    assert rows[0] == ("j1", "标题二", "https://x.cn/j1", "2024-03-09")
    assert rows[1][0] == "page" and rows[1][2] == "https://news.example.cn/2025/05/12/a.html" and rows[1][3] == "2025-05-12"


def test_a_document_past_the_time_limit_is_an_error_and_the_run_goes_on(nlp, tmp_path, monkeypatch):
    import time

    from kg import extraction
    from kg.build import build

    real = extraction._extract

    def slow_on_a(nlp_, document, alias_file):
        # one document that takes far longer than the limit, whatever the speed of the stages
        if document.doc_id == "a-slow":
            time.sleep(30)
        return real(nlp_, document, alias_file)

    monkeypatch.setattr(extraction, "_extract", slow_on_a)
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a-slow.txt").write_text("数据" * 8000, encoding="utf-8")
    (corpus / "b-ok.jsonl").write_bytes(_jsonl([{"id": "b", "text": SIMPLIFIED}]))
    started = time.monotonic()
    result = build([corpus], tmp_path / "out", nlp, formats=["turtle"], time_limit=1.0)
    assert time.monotonic() - started < 20
    (err,) = result.errors
    assert err.source.endswith("a-slow.txt") and err.reason == "extraction stopped at its time limit of 1 s (16000 characters)"
    assert list(result.graph.documents) == ["b"]
    res = CliRunner().invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out2"), "--quiet", "-f", "turtle", "--time-limit", "1"])
    assert res.exit_code == 1 and "a-slow.txt: extraction stopped at its time limit of 1 s" in res.stderr
