"""Hostile input, generated here: hundreds of files of every kind kg meets in real corpora and
worse, built in one run. Each case is a document (a file, or a line of a JSON lines file) with what
must become of it; the run is judged by three figures: cases run, crashes (the build raising, or a
document whose extraction raised) and documents lost (in neither extractions.jsonl nor
errors.jsonl). Then property-based tests with hypothesis over ingestion and extraction."""

from __future__ import annotations

import codecs
import json
import os
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.documents import MAX_BYTES, Document, DocumentError, iter_documents, make_document

LABELS = {"ORG", "PROJECT", "PRODUCT", "LOC", "PERSON"}
ORGS = ["中国移动甘肃公司", "兰州海红技术股份有限公司", "浪潮信息", "华为云", "宁夏电信", "中国联通江苏公司",
        "北京星海算力科技股份有限公司", "燧原科技", "甘肃移动", "江苏云启数据科技有限公司"]
PLACES = ["庆阳", "中卫", "兰州", "天水市", "宁夏", "贵州", "和林格尔"]
PHRASES = [
    "{a}采购了{b}的{n}架IDC机柜，总价值{n}万元。", "{a}与{b}签署战略合作协议。", "{a}中标{b}智算服务器集采项目。",
    "{a}在{p}落地全资子公司。", "{a}已在{p}数据中心部署{n}台服务器。", "“今年，{b}采购了我们的{n}架机柜。”{a}总经理介绍。",
    "记者从{p}获悉，东数西算工程进展顺利。", "{a}副总裁刘海涛表示，公司将加大投入。",
]


def sentence(rng: random.Random) -> str:
    a, b = rng.sample(ORGS, 2)
    return rng.choice(PHRASES).format(a=a, b=b, p=rng.choice(PLACES), n=rng.randint(1, 5000))


def article(rng: random.Random, sentences: int = 4) -> str:
    return "\n".join(sentence(rng) for _ in range(sentences))


# --- the generated corpus ---------------------------------------------------------------------


@dataclass
class Case:
    kind: str
    path: Path
    #: "doc": must be read and extracted; "error": must be refused; "either": may be either
    expect: str
    line: int | None = None
    #: the exact text kg must read, where the case knows it
    text: str | None = None


class Corpus:
    def __init__(self, root: Path, seed: int = 20250612):
        self.root = root
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        self.vanishing: list[Path] = []
        self.n = 0

    def file(self, kind: str, suffix: str, data: bytes, expect: str, text: str | None = None, folder: str = "") -> Path:
        self.n += 1
        path = self.root / kind / folder / f"{self.n:04d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.cases.append(Case(kind, path, expect, text=text))
        return path

    def jsonl(self, kind: str, lines: list[tuple[bytes, str]], ending: bytes = b"\n") -> None:
        """`lines`: (raw line, expectation); blank lines are no documents and no cases."""
        self.n += 1
        path = self.root / kind / f"{self.n:04d}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(ending.join(raw for raw, _ in lines) + ending)
        for number, (raw, expect) in enumerate(lines, 1):
            if raw.strip():
                self.cases.append(Case(kind, path, expect, line=number))


def generate(root: Path) -> Corpus:
    c = Corpus(root)
    rng = c.rng
    import opencc

    s2t = opencc.OpenCC("s2t")

    # encodings: the same articles in every encoding a crawler saves; the text must come back exact
    for i in range(24):
        text = article(rng, rng.randint(1, 6))
        trad = s2t.convert(text)
        for enc, t in [("utf-8", text), ("utf-8-sig", text), ("gbk", text), ("gb18030", text), ("big5", trad),
                       ("utf-16", text), ("utf-16-be", None), ("utf-32", text)]:
            if t is None:  # UTF-16 without a BOM: refused as binary where it has NUL bytes (digits do)
                c.file("encodings", ".txt", text.encode("utf-16-be"), "either")
                continue
            try:
                data = t.encode(enc)
            except UnicodeEncodeError:
                continue
            c.file("encodings", ".txt", data, "doc", text=t)

    # files cut off inside a multi-byte character, as a crawler killed mid-write leaves them
    for i in range(40):
        text = article(rng, rng.randint(1, 4))
        enc = ["utf-8", "gbk", "big5"][i % 3]
        t = s2t.convert(text) if enc == "big5" else text
        data = t.encode(enc, "replace")
        last = len(t[-1].encode(enc, "replace"))
        cut = rng.randint(1, last - 1) if last > 1 else 0
        c.file("truncated", ".txt", data[: len(data) - cut] if cut else data[:-1], "doc")

    # a few corrupted bytes in the middle of long UTF-8 and GBK pages
    for i in range(30):
        text = article(rng, 30)
        data = bytearray(text.encode("utf-8" if i % 2 else "gbk"))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randint(0x80, 0xFF)
        c.file("corrupted", ".txt", bytes(data), "doc")

    # control characters, NUL past the binary check, C1 controls, DEL, form feeds, bare CRs
    controls = [chr(x) for x in list(range(1, 9)) + [11, 12, 14, 27, 127] + list(range(0x80, 0xA0))] + ["\r"]
    for i in range(30):
        text = article(rng, 4)
        chars = list(text)
        for _ in range(rng.randint(1, 20)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(controls))
        data = "".join(chars).encode("utf-8")
        if i % 5 == 0:
            data = ("。" * 3000).encode() + b"\x00" + data  # a NUL after the first 8 KB
        c.file("controls", ".txt", data, "doc")

    # zero-width and bidirectional characters inside names
    invisible = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202a", "\u2066", "\u00ad", "\u180e"]
    for i in range(30):
        name = rng.choice(ORGS)
        cut = rng.randrange(1, len(name))
        hidden = name[:cut] + rng.choice(invisible) + name[cut:]
        c.file("invisible", ".txt", f"{hidden}与华为云签署合作协议。\n{sentence(rng)}".encode("utf-8"), "doc")

    # mixed scripts, emoji, astral characters, combining marks, full-width forms
    extras = ["Ж", "ش", "ह", "한국", "カタカナ", "😀", "👩‍💻", "𠀀𪚥", "e\u0301", "Ω≈∑", "ＡＢＣ１２３", "（甘肃）", "ｈｔｔｐ：／／",
              "\U0001F1E8\U0001F1F3", "ﬁ", "Ⅻ", "①②", "\u3000", "\ue000", "\ufffd", "\U000E0041"]
    for i in range(50):
        parts = [sentence(rng) for _ in range(3)]
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(len(parts))
            parts[k] = parts[k][: len(parts[k]) // 2] + rng.choice(extras) + parts[k][len(parts[k]) // 2:]
        c.file("scripts", ".txt", "".join(parts).encode("utf-8"), "doc")
    for i in range(20):
        text = unicodedata.normalize("NFKC", article(rng, 3))
        wide = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
        c.file("scripts", ".txt", wide.encode("utf-8"), "doc")

    # very long lines: with punctuation, without line ends, runs with no punctuation at all, and
    # two the entity stage takes minutes over (its time grows with the square of a run's length):
    # those must end at the per-document time limit, reported, while the build goes on
    c.file("long", ".txt", "".join(sentence(rng) for _ in range(150)).encode("utf-8"), "doc")
    c.file("long", ".txt", ("数据" * 1500 + "。").encode("utf-8"), "doc")
    c.file("long", ".txt", "".join(rng.choice(ORGS) + rng.choice("与和及") for _ in range(60)).encode("utf-8"), "doc")
    c.file("long", ".txt", (" " * 200_000 + sentence(rng)).encode("utf-8"), "doc")
    c.file("long", ".txt", ("\n" * 100_000 + sentence(rng)).encode("utf-8"), "doc")
    c.file("long", ".txt", ("QUJD" * 25_000 + sentence(rng)).encode("utf-8"), "either")  # a base64 blob
    c.file("long", ".txt", ("数据" * 15_000 + "。").encode("utf-8"), "either")

    # empty, blank, binary, huge, special
    for data in (b"", b" \n\t\r\n", b"\xef\xbb\xbf", "\u200b\u3000".encode(), b"\x00" * 100, bytes(range(256)),
                 b"\x89PNG\r\n\x1a\n\x00\x00", b"\x1f\x8b\x08\x00" + os.urandom(200).replace(b"\x00", b"\x01") + b"\x00",
                 b"%PDF-1.7\n\x00\x00\xff"):
        c.file("unreadable", ".txt", data, "error")
    for data in (os.urandom(4000).replace(b"\x00", b"\x01") for _ in range(6)):
        c.file("unreadable", ".txt", data, "either")  # random bytes: refused, or read as what they decode to
    for suffix in (".txt", ".html", ".htm"):
        path = c.file("unreadable", suffix, b"", "error")
        with open(path, "wb") as fh:
            fh.truncate(MAX_BYTES + 4096)
    special = c.root / "unreadable"
    os.mkfifo(special / "fifo.txt")
    c.cases.append(Case("unreadable", special / "fifo.txt", "error"))
    (special / "devnull.html").symlink_to("/dev/null")
    c.cases.append(Case("unreadable", special / "devnull.html", "error"))
    (special / "dangling.jsonl").symlink_to(special / "nowhere")
    c.cases.append(Case("unreadable", special / "dangling.jsonl", "error"))
    c.file("unreadable", ".txt", article(rng).encode(), "doc", folder="folder-named.txt")

    # HTML: scripts, entities, nesting, broken markup, wrong charsets, entity bombs
    for i in range(70):
        body = "".join(f"<p>{sentence(rng)}</p>" for _ in range(rng.randint(1, 5)))
        variant = i % 14
        if variant == 0:
            page = f"<html><head><script>var n='阿里云';{'x' * 5000}</script></head><body>{body}<script>document.write('<p>腾讯</p>')</script></body></html>"
        elif variant == 1:
            page = f"<html><body>{body}&amp;&lt;&gt;&nbsp;&#x4e2d;&#20013;&#xFFFFFFFF;&#0;&bogus;&#x110000;&#55296;</body></html>"
        elif variant == 2:
            depth = rng.choice([300, 3000, 20000])
            page = "<html><body>" + "<div><span>" * depth + body + "</span></div>" * depth + "</body></html>"
        elif variant == 3:
            page = f"<html><body><p>{sentence(rng)}<div><table><tr><td>{sentence(rng)}<p><b><i>{sentence(rng)}</b></i>"
        elif variant == 4:
            page = f"<!-- {sentence(rng)} --><html><body>{body}<!-- unclosed comment {sentence(rng)}"
        elif variant == 5:
            laughs = "".join(f'<!ENTITY l{k} "{("&l%d;" % (k - 1)) * 10}">' for k in range(1, 10))
            page = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{laughs}<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body>{body}&l9;&x;</body></html>'
        elif variant == 6:
            page = f"<html><head><meta charset='iso-8859-1'></head><body>{body}</body></html>"
            c.file("html", ".html", page.encode("gbk"), "doc")
            continue
        elif variant == 7:
            page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>{s2t.convert(body)}</body></html>'
            c.file("html", ".htm", page.encode("big5", "replace"), "doc")
            continue
        elif variant == 8:
            page = f"<html><body><svg><text>{sentence(rng)}</text></svg><iframe src='http://127.0.0.1:1/'></iframe><object data='file:///etc/passwd'></object>{body}</body></html>"
        elif variant == 9:
            page = f"<html><body><textarea>{body}</textarea><noscript>{body}</noscript><template>{body}</template></body></html>"
            c.file("html", ".html", page.encode(), "either")
            continue
        elif variant == 10:
            page = "<html><body>" + "<b>" * 50_000 + body + "</body></html>"
        elif variant == 11:
            page = f"<html><body>{body}<![CDATA[{sentence(rng)}]]><?php echo 1; ?><x:y xmlns:x='urn:x'>{sentence(rng)}</x:y></body></html>"
        elif variant == 12:
            page = f"<html><body><p a=\"<\" b='>' c=x\"y>{sentence(rng)}</p><p =>{body}</body></html>"
        else:
            page = f"\ufeff<html><body><script>{body}</script><style>{body}</style></body></html>"
            c.file("html", ".html", page.encode(), "error")
            continue
        c.file("html", ".html", page.encode("utf-8"), "doc")

    # JSON lines: good lines among every way a line can be bad
    def good(doc_id) -> bytes:
        obj = {"id": doc_id, "text": article(rng, rng.randint(1, 3))}
        for key, value in (("title", sentence(rng)[:12]), ("url", f"https://x.cn/{doc_id}"), ("date", rng.choice(["2025-01-02", "2024年3月", "昨天", "2025/13/40"]))):
            if rng.random() < 0.7:
                obj[key] = value
        return json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode("utf-8")

    bad_lines = [
        b'{"id": "x", "text": "\xe6\x88', b'{"id": "x"', b"{", b"}", b"null", b"[]", b'"text"', b"42", b"NaN",
        b'{"id": "x", "text": 5}', b'{"id": "", "text": "abc"}', b'{"id": true, "text": "abc"}', b'{"id": 1.5, "text": "abc"}',
        b'{"id": null, "text": "abc"}', b'{"id": ["a"], "text": "abc"}', b'{"text": "\xe4\xb8\xad"}', b'{"id": "x"}',
        b'{"id": "x", "text": "   "}', b'{"id": "x", "text": "\\u0000\\u200b"}', b'{"id": "x", "text": "abc", "title": {"a": 1}}',
        b'{"id": "x", "text": "abc", "url": ["u"]}', b'{"id": "x", "text": "abc", "date": 20250101}',
        b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 30_000 + b"1" + b"}" * 30_000, b'{"id": "x", "text": "a", "n": ' + b"9" * 5000 + b"}",
        b'{"id": "x", "text": "abc"} trailing', b"\x00\x01\x02", b"\xff\xfe\xfd", b"'single quotes'", b"{'id': 'x'}",
    ]
    tricky_good = [
        b'{"id": "t1", "text": "\\ud800\\udc00\\ud800 \xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8"}',
        b'{"id": "t2", "text": "\\u4e2d\\u56fd\\u79fb\\u52a8\\u7518\\u8083\\u516c\\u53f8\\u91c7\\u8d2d\\u4e86\\u670d\\u52a1\\u5668"}',
        b'\xef\xbb\xbf{"id": "t3", "text": "\xe6\xb5\xaa\xe6\xbd\xae\xe4\xbf\xa1\xe6\x81\xaf"}',
        '{"id": "t4", "text": "浪潮信息与中国移动甘肃公司签约。", "extra": {"deep": [1, 2, {"x": null}]}}'.encode("gbk"),
        b'{"id": 12345678901234567890, "text": "\\u6d6a\\u6f6e"}',
        b'{"id": "t6", "text": "a\\r\\nb\\u2028c\\u0085d", "title": "\\u0000t\\u200bitle", "date": "\\uff12\\uff10\\uff12\\uff15-05"}',
    ]
    for f in range(24):
        lines: list[tuple[bytes, str]] = []
        for k in range(rng.randint(6, 14)):
            roll = rng.random()
            if roll < 0.45:
                lines.append((good(f"f{f}-{k}"), "doc"))
            elif roll < 0.85:
                lines.append((rng.choice(bad_lines), "error"))
            elif roll < 0.92:
                lines.append((rng.choice([b"", b"   ", b"\t"]), "blank"))
            else:
                lines.append((good(f"f{f}-dup"), "either"))  # a second one is a duplicate id
        lines.append((good(f"f{f}-last"), "doc"))
        c.jsonl("jsonl", lines, ending=b"\r\n" if f % 4 == 0 else b"\n")
    c.jsonl("jsonl", [(line, "doc") for line in tricky_good])
    huge = c.root / "jsonl" / "huge.jsonl"
    with open(huge, "wb") as fh:
        fh.write(good("h-first") + b"\n")
        fh.truncate(fh.tell() + MAX_BYTES + 100)
        fh.seek(0, os.SEEK_END)
        fh.write(b"\n" + good("h-last") + b"\n")
    c.cases += [Case("jsonl", huge, "doc", line=1), Case("jsonl", huge, "error", line=2), Case("jsonl", huge, "doc", line=3)]
    for data in (b"", b"\n\n  \n"):
        c.n += 1
        path = c.root / "jsonl" / f"{c.n:04d}.jsonl"
        path.write_bytes(data)
        c.cases.append(Case("jsonl", path, "error"))

    # files that vanish mid-run: listed with their folder, deleted when the first of them has
    # been read, so the others are gone by the time their turn comes
    for i in range(12):
        suffix = [".txt", ".html", ".jsonl"][i % 3]
        data = json.dumps({"id": f"v{i}", "text": sentence(rng)}, ensure_ascii=False) if suffix == ".jsonl" else sentence(rng)
        path = c.file("zz-vanishing", suffix, data.encode(), "doc" if i == 0 else "error")
        c.vanishing.append(path)
    return c


#: seconds per document: the longest ordinary case takes about one
TIME_LIMIT = 8.0


def test_hostile_corpus_no_crash_no_document_lost(nlp, tmp_path_factory):
    from kg.build import build

    root = tmp_path_factory.mktemp("hostile")
    corpus = generate(root / "in")
    out = root / "out"

    def vanish(item):
        if isinstance(item, dict) and item["source"] == str(corpus.vanishing[0]):
            for path in corpus.vanishing[1:]:
                path.unlink()

    crashes: list[str] = []
    try:
        build([corpus.root], out, nlp, formats=["turtle", "graphml"], on_item=vanish, time_limit=TIME_LIMIT)
    except Exception as exc:  # the figure must count it, not the test runner
        crashes.append(f"build raised {type(exc).__name__}: {exc}")
    records = [json.loads(l) for l in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()] if not crashes else []
    errors = [json.loads(l) for l in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()] if not crashes else []
    crashes += [f"{e['source']}:{e.get('line')}: {e['reason']}" for e in errors if "extraction failed" in e["reason"]]
    stopped = [e["source"] for e in errors if "time limit" in e["reason"]]

    by_key = {(r["source"], r["meta"].get("line")): r for r in records}
    errs = {(e["source"], e.get("line")): e for e in errors}
    lost, wrong, misread, contract = [], [], [], []
    for case in corpus.cases:
        key = (str(case.path), case.line)
        is_doc = key in by_key
        is_err = key in errs or (case.line is not None and (str(case.path), None) in errs)
        if not is_doc and not is_err:
            lost.append(f"{case.kind}: {key}")
        elif (case.expect == "doc" and not is_doc) or (case.expect == "error" and not is_err):
            wrong.append(f"{case.kind}: {key} expected {case.expect}: {errs.get(key, {}).get('reason')}")
    expected = {(str(case.path), case.line) for case in corpus.cases}
    unexpected = sorted(str(k) for k in set(by_key) | set(errs) if k not in expected)

    texts = {}
    for item in iter_documents([c.path for c in corpus.cases if c.text is not None]):
        texts[item.source] = item
    for case in corpus.cases:
        if case.text is not None:
            got = texts.get(str(case.path))
            if not isinstance(got, Document) or got.text != case.text.replace("\r\n", "\n"):
                misread.append(f"{case.path.name}")
    for rec in records:
        item = _reread(rec, corpus)
        names = {e["canonical"] for e in rec["entities"]} | {e["canonical"] for e in rec["inferred"]}
        for e in rec["entities"]:
            if item.text[e["start"]:e["end"]] != e["text"] or e["label"] not in LABELS:
                contract.append(f"{rec['source']}: entity {e['text']!r} at {e['start']}")
        for r in rec["relations"]:
            if item.text[r["evidence_start"]:r["evidence_end"]] != r["evidence"] or r["head_actor"] not in names or r["tail_actor"] not in names \
                    or any(r[side] not in r["evidence"] and r[side] != r[f"{side}_actor"] for side in ("head", "tail")):
                contract.append(f"{rec['source']}: relation {r['head']} {r['relation']} {r['tail']}")

    cases = len(corpus.cases)
    print(f"\nhostile inputs: {cases} cases run / {len(crashes)} crashes / {len(lost)} documents lost "
          f"({len(records)} documents extracted, {len(errors)} refused, {len(stopped)} of them at the time limit)")
    assert cases >= 500
    assert crashes == [] and lost == []
    assert wrong == [] and unexpected == []
    assert misread == [] and contract == []
    assert all(Path(s).parent.name == "long" for s in stopped), stopped
    assert len(records) + len(errors) == len(by_key) + len(errs), "one item per document, no more"


def _reread(record: dict, corpus: Corpus) -> Document:
    """The document as kg reads it again, to check a record's offsets against."""
    line = record["meta"].get("line")
    for item in iter_documents([record["source"]]):
        if isinstance(item, Document) and (line is None or item.meta.get("line") == line):
            return item
    raise AssertionError(f"{record['source']}:{line} reads differently the second time")


# --- properties -------------------------------------------------------------------------------

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PIPELINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

domain_text = st.lists(
    st.one_of(
        st.sampled_from(ORGS + PLACES + ["采购了", "签署", "合作协议", "的", "架机柜", "万元", "。", "，", "\n", "“", "”", "——", "(", ")"]),
        st.integers(0, 10**6).map(str),
        st.text(min_size=1, max_size=6),  # anything Unicode has: controls, marks, astral, format characters
    ),
    max_size=40,
).map("".join)


def _clean(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cf", "Cs") or (unicodedata.category(ch) == "Cc" and ch not in "\n\t") for ch in text)


@PROPERTY
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".htm"]))
def test_any_bytes_give_exactly_one_item_and_only_clean_text(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"x{suffix}"
    path.write_bytes(data)
    items = list(iter_documents([path]))
    assert len(items) == 1
    (item,) = items
    if isinstance(item, Document):
        assert item.text.strip() and _clean(item.text)
        item.text.encode("utf-8")
        assert item.analysis is None or len(item.analysis) == len(item.text)
    else:
        assert isinstance(item, DocumentError) and item.reason and item.source == str(path)


jsonl_line = st.one_of(
    st.builds(lambda i, t, extra: json.dumps({"id": i, "text": t, **extra}, ensure_ascii=False),
              st.one_of(st.text(max_size=8), st.integers()), domain_text,
              st.dictionaries(st.sampled_from(["title", "url", "date", "x"]), st.one_of(st.none(), st.text(max_size=10), st.integers()), max_size=3)),
    st.text(max_size=40),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
).map(lambda s: s.replace("\n", " ").replace("\r", " "))


@PROPERTY
@given(lines=st.lists(jsonl_line, max_size=12))
def test_any_jsonl_file_gives_one_item_per_non_blank_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    items = list(iter_documents([path]))
    numbered = [n for n, line in enumerate(lines, 1) if line.encode("utf-8", "surrogatepass").strip()]
    if not numbered:
        assert len(items) == 1 and isinstance(items[0], DocumentError) and "empty" in items[0].reason
        return
    assert [i.meta["line"] if isinstance(i, Document) else i.line for i in items] == numbered
    ids = [i.doc_id for i in items if isinstance(i, Document)]
    assert len(ids) == len(set(ids))
    for item in items:
        if isinstance(item, Document):
            assert _clean(item.text) and item.text.strip()
            json.dumps(item.meta, ensure_ascii=False).encode("utf-8")


readable_chinese = st.lists(
    st.one_of(st.sampled_from(ORGS + PLACES + ["采购了", "签署合作协议", "项目", "数据中心", "服务器", "记者", "今年"]),
              st.sampled_from(["。", "，", "：", "、", "“", "”", " ", "\n", "2025年", "1200", "IDC"])),
    min_size=3, max_size=30,
).map("".join).filter(lambda t: sum("\u4e00" <= ch <= "\u9fff" for ch in t) >= 8)


@PROPERTY
@given(text=readable_chinese, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16"]))
def test_chinese_text_comes_back_exactly_from_every_encoding_that_holds_it(tmp_path_factory, text, encoding):
    import opencc

    if encoding == "big5":
        text = opencc.OpenCC("s2t").convert(text)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    path = tmp_path_factory.mktemp("enc") / "t.txt"
    path.write_bytes(data)
    (item,) = iter_documents([path])
    if not text.strip():
        return
    assert isinstance(item, Document), item
    assert item.text == text


@PIPELINE
@given(text=domain_text, traditional=st.booleans())
def test_extraction_keeps_its_contract_on_any_text(nlp, text, traditional):
    from kg.extraction import extract_document

    if traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    doc = make_document("p", "p", text)
    if isinstance(doc, DocumentError):
        assert not doc.source or "empty" in doc.reason
        return
    assert doc.analysis is None or len(doc.analysis) == len(doc.text)
    rec = extract_document(nlp, doc)
    json.dumps(rec, ensure_ascii=False).encode("utf-8")
    names = {e["canonical"] for e in rec["entities"]} | {e["canonical"] for e in rec["inferred"]}
    for e in rec["entities"]:
        assert doc.text[e["start"]:e["end"]] == e["text"] and e["label"] in LABELS
    for r in rec["relations"]:
        assert doc.text[r["evidence_start"]:r["evidence_end"]] == r["evidence"]
        assert r["head_actor"] in names and r["tail_actor"] in names and r["head_id"] != r["tail_id"]
        assert all(r[side] in r["evidence"] or r[side] == r[f"{side}_actor"] for side in ("head", "tail"))
