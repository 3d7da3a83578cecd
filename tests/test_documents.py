from pathlib import Path

from kg.documents import Document, DocumentError, iter_documents

TEXT = "甘肃移动采购了兰州海红技术股份有限公司的机柜。"


def _items(*paths):
    return list(iter_documents(paths))


def test_utf8_with_and_without_bom(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    items = _items(tmp_path)
    assert [i.doc_id for i in items] == ["a", "b"]
    assert all(isinstance(i, Document) and i.text == TEXT for i in items)


def test_gb18030_is_detected(tmp_path: Path):
    p = tmp_path / "gbk.txt"
    p.write_bytes((TEXT * 3).encode("gb18030"))
    (item,) = _items(p)
    assert isinstance(item, Document)
    assert item.text == TEXT * 3


def test_empty_binary_missing_and_empty_folder_are_errors_and_others_go_on(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    items = _items(tmp_path, nothing, tmp_path / "missing.txt")
    errors = {Path(i.source).name: i.reason for i in items if isinstance(i, DocumentError)}
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.doc_id for d in docs] == ["good"]
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["binary.txt"]
    assert "no .txt" in errors["nothing"]
    assert "no such file" in errors["missing.txt"]


def test_line_ends_are_normalised(tmp_path: Path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("第一段。\r\n第二段。\r".encode("utf-8"))
    (item,) = _items(p)
    assert item.text == "第一段。\n第二段。\n"
