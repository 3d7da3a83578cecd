"""Reading documents: paths in, a stream of `Document`s (or `DocumentError`s) out.

Corpora run to 10^5 articles, so nothing here holds more than one document in memory: folders are
walked lazily, each file is read when the consumer asks for it, and a JSON lines corpus is read a
line at a time. A document that cannot be read is not an exception that stops the run but an item
of the stream that says which file (and line) and why.

Inputs: `.txt` (UTF-8, GB18030 or Big5, see kg/charsets.py), `.html`/`.htm` (the article text, see
kg/pages.py) and `.jsonl` (one document per line: {"id", "text", "title", "url", "date"}).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

from .charsets import Decoded, decode_bytes, simplified_for_matching

#: Files (and JSON lines) larger than this are refused rather than read into memory.
MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
#: The metadata a JSON line may carry besides its id and text; the graph's provenance shows them.
JSONL_META = ("title", "url", "date")


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    #: the text as read; every offset kg reports refers to it
    text: str
    meta: dict = field(default_factory=dict, compare=False)
    #: a copy of `text` in simplified characters, of the same length, when `text` is traditional
    analysis: Optional[str] = field(default=None, compare=False)

    @property
    def analysis_text(self) -> str:
        """What the pipeline reads: `text`, or its simplified copy (offsets are the same)."""
        return self.text if self.analysis is None else self.analysis


@dataclass(frozen=True)
class DocumentError:
    source: str
    reason: str
    #: the line of a JSON lines file the document was on
    line: Optional[int] = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict:
        out: dict = {"source": self.source}
        if self.line is not None:
            out["line"] = self.line
        out["reason"] = self.reason
        return out


Item = Union[Document, DocumentError]


class Unreadable(Exception):
    """A file kg will not read; the message is the reason given to the user."""


def iter_documents(paths: Iterable[str | os.PathLike]) -> Iterator[Item]:
    """Yield one item per input document, in a stable order (paths as given, folders sorted)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = False
            for entry in _walk(path):
                found = True
                if isinstance(entry, DocumentError):
                    yield entry
                else:
                    yield from read_path(entry)
            if not found:
                yield DocumentError(str(path), f"folder holds no {'/'.join(SUPPORTED_SUFFIXES)} files")
        elif path.exists():
            yield from read_path(path)
        else:
            yield DocumentError(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Union[Path, DocumentError]]:
    # os.walk with sorted names keeps the order (and so the output) the same on every machine;
    # a sub-folder it cannot list is reported, not skipped in silence
    failures: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=failures.append):
        while failures:
            exc = failures.pop(0)
            yield DocumentError(str(exc.filename or root), f"cannot read folder: {exc.strerror or exc}")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUPPORTED_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name
    for exc in failures:
        yield DocumentError(str(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}")


def read_path(path: Path) -> Iterator[Item]:
    """The documents of one file: one for a text or HTML file, one per line of a JSON lines file."""
    if path.name.lower().endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path)
    else:
        yield read_file(path)


def read_file(path: Path) -> Item:
    """A text or HTML file as one document."""
    source = str(path)
    try:
        with _open_regular(path) as fh:
            data = _read_limited(fh, MAX_BYTES, f"file is {{size}} MB, over the {MAX_BYTES // 2**20} MB limit")
    except Unreadable as exc:
        return DocumentError(source, str(exc))
    except OSError as exc:
        return DocumentError(source, f"cannot read: {exc.strerror or exc}")
    if b"\x00" in data[:8192] and not _has_wide_bom(data):
        return DocumentError(source, "binary file, not text")
    meta: dict = {}
    try:
        if path.name.lower().endswith(HTML_SUFFIXES):
            from .pages import read_page

            page = read_page(data)
            text, decoded = page.text, Decoded("", page.encoding, page.replaced)
            # a page's title is as untrusted as its text: no control characters into the graph
            meta = {k: " ".join(clean_text(str(v)).split()) for k, v in page.meta.items()}
            meta = {k: v for k, v in meta.items() if v and (k != "date" or normalise_date(v))}
        else:
            decoded = decode_bytes(data)
            text = decoded.text
    except ValueError as exc:
        return DocumentError(source, str(exc))
    meta.update(_decoding_meta(decoded))
    return make_document(path.stem, source, text, meta)


def read_jsonl(path: Path) -> Iterator[Item]:
    """One document per line: {"id", "text"} and optionally "title", "url", "date".

    A line that is not such an object is an error naming the line; the other lines go on. The
    file may be any size: each line is read, checked and handed on before the next."""
    source = str(path)
    try:
        fh = _open_regular(path)
    except Unreadable as exc:
        yield DocumentError(source, str(exc))
        return
    except OSError as exc:
        yield DocumentError(source, f"cannot read: {exc.strerror or exc}")
        return
    seen: dict[str, int] = {}
    yielded = False
    with fh:
        number = 0
        while True:
            number += 1
            try:
                raw = _read_line(fh)
            except Unreadable as exc:
                yielded = True
                yield DocumentError(source, str(exc), number)
                continue
            except OSError as exc:
                yield DocumentError(source, f"cannot read on from here: {exc.strerror or exc}", number)
                return
            if raw is None:
                break
            if not raw.strip():
                continue
            yielded = True
            yield _jsonl_item(raw, source, number, seen)
    if not yielded:
        yield DocumentError(source, "empty: no JSON lines")


def _jsonl_item(raw: bytes, source: str, number: int, seen: dict[str, int]) -> Item:
    def bad(reason: str) -> DocumentError:
        return DocumentError(source, reason, number)

    if b"\x00" in raw:
        return bad("binary data, not a JSON line")
    try:
        decoded = decode_bytes(raw)
        obj = json.loads(decoded.text)
    except RecursionError:
        return bad("not JSON: nested too deeply")
    except ValueError as exc:  # json.JSONDecodeError, and ints too long to convert
        return bad(f"not JSON: {exc}")
    if not isinstance(obj, dict):
        return bad(f"not a JSON object but {type(obj).__name__}")
    doc_id = obj.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not clean_text(doc_id).strip():
        return bad('no "id" (a non-empty string or integer)')
    doc_id = clean_text(doc_id).strip()
    text = obj.get("text")
    if not isinstance(text, str):
        return bad('no "text" string')
    if doc_id in seen:
        return bad(f"id {doc_id!r} is also the id of line {seen[doc_id]}")
    meta: dict = {"line": number}
    for key in JSONL_META:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return bad(f'"{key}" is not a string')
        value = " ".join(clean_text(value).split())
        if not value:
            continue
        if key == "date":
            date = normalise_date(value)
            if date is None:
                meta["date_text"] = value
                continue
            value = date
        meta[key] = value
    meta.update(_decoding_meta(decoded))
    item = make_document(doc_id, source, text, meta, line=number)
    if isinstance(item, Document):
        seen[doc_id] = number
    return item


def make_document(doc_id: str, source: str, text: str, meta: Optional[dict] = None, line: Optional[int] = None) -> Item:
    """A Document of cleaned text, with its simplified copy if it is traditional; or why not."""
    text = clean_text(text)
    if not text.strip():
        return DocumentError(source, "empty: no text to extract from", line)
    meta = dict(meta or {})
    analysis = simplified_for_matching(text)
    if analysis is not None:
        meta["script"] = "traditional"
    return Document(doc_id=doc_id, source=source, text=text, meta=meta, analysis=analysis)


def _decoding_meta(decoded: Decoded) -> dict:
    out: dict = {}
    if decoded.encoding != "utf-8":
        out["encoding"] = decoded.encoding
    if decoded.replaced:
        out["undecodable_bytes"] = decoded.replaced
    return out


def _has_wide_bom(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _open_regular(path: Path) -> IO[bytes]:
    # O_NONBLOCK: opening a FIFO named like a document must not hang the run; the check after it
    # refuses FIFOs, devices (/dev/zero would never end) and sockets before anything is read
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_limited(fh: IO[bytes], limit: int, message: str) -> bytes:
    """At most `limit` bytes; a larger file is refused (its size is checked again while reading,
    since a file may grow between the check and the read)."""
    size = os.fstat(fh.fileno()).st_size
    if size > limit:
        raise Unreadable(message.format(size=f"{size / 2**20:.0f}"))
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(message.format(size=f"over {limit // 2**20}"))
    return data


def _read_line(fh: IO[bytes]) -> Optional[bytes]:
    """The next line (None at the end); a line over MAX_BYTES is skipped and refused."""
    line = fh.readline(MAX_BYTES + 1)
    if not line:
        return None
    if len(line) > MAX_BYTES and not line.endswith(b"\n"):
        while True:
            rest = fh.readline(1 << 20)
            if not rest or rest.endswith(b"\n"):
                break
        raise Unreadable(f"line is over the {MAX_BYTES // 2**20} MB limit")
    return line


_DATE = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?(?:[T\s].*)?$")


def normalise_date(value: str) -> Optional[str]:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` from the ways exports write dates (2024-05-01,
    2024/5/1, 2024年5月1日, 2024-05-01T08:00:00+08:00); None if it is no valid date."""
    m = _DATE.match(unicodedata.normalize("NFKC", value))
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def count_documents(paths: Iterable[str | os.PathLike]) -> int:
    """How many items iter_documents will yield, near enough for a progress bar, without reading
    more than the JSON lines files' line ends."""
    total = 0
    for path in map(Path, paths):
        files = [f for f in _walk(path) if isinstance(f, Path)] if path.is_dir() else [path]
        for f in files:
            if f.name.lower().endswith(JSONL_SUFFIXES):
                total += max(1, _count_lines(f))
            else:
                total += 1
        if path.is_dir() and not files:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with _open_regular(path) as fh:
            return sum(1 for line in iter(lambda: fh.readline(1 << 20), b"") if line.strip())
    except (OSError, Unreadable):
        return 1


def clean_text(text: str) -> str:
    """Normalise line ends; drop control characters and invisible format characters (zero-width
    spaces and joiners, BOMs, bidirectional overrides), which split names without showing; turn
    lone surrogates (from JSON's \\ud800 escapes) into U+FFFD so the text can be written as UTF-8.
    Character offsets refer to the text this returns."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    dropped, surrogates = _invisible()
    return surrogates.sub("\ufffd", dropped.sub("", text))


@lru_cache(maxsize=1)
def _invisible() -> tuple[re.Pattern, re.Pattern]:
    import sys

    chars = [chr(c) for c in range(sys.maxunicode + 1)
             if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c) not in "\n\t"]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]"), re.compile("[\ud800-\udfff]")
