"""Reading documents: paths in, a stream of `Document`s (or `DocumentError`s) out.

Corpora run to 10^5 articles, so nothing here holds more than one document in memory: folders are
walked lazily and each file is read when the consumer asks for it. A file that cannot be read is
not an exception that stops the run but an item of the stream that says which file and why.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Union

import charset_normalizer

#: Files larger than this are refused rather than read into memory.
MAX_BYTES = 50 * 1024 * 1024
SUPPORTED_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    text: str
    meta: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class DocumentError:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Item = Union[Document, DocumentError]


def iter_documents(paths: Iterable[str | os.PathLike]) -> Iterator[Item]:
    """Yield one item per input document, in a stable order (paths as given, folders sorted)."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield read_file(file)
            if not found:
                yield DocumentError(str(path), f"folder holds no {'/'.join(SUPPORTED_SUFFIXES)} files")
        elif path.is_file():
            yield read_file(path)
        elif path.exists():
            yield DocumentError(str(path), "not a regular file")
        else:
            yield DocumentError(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk with sorted names keeps the order (and so the output) the same on every machine
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUPPORTED_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def read_file(path: Path) -> Item:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return DocumentError(source, f"file is {size / 2**20:.0f} MB, over the {MAX_BYTES // 2**20} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        return DocumentError(source, f"cannot read: {exc.strerror or exc}")
    try:
        text = decode(data)
    except ValueError as exc:
        return DocumentError(source, str(exc))
    text = clean_text(text)
    if not text.strip():
        return DocumentError(source, "empty: no text to extract from")
    return Document(doc_id=path.stem, source=source, text=text)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise a detected Chinese legacy encoding."""
    if not data:
        return ""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding in {"ascii", "utf_8"}:
        raise ValueError("not UTF-8 and no other text encoding could be detected")
    encoding = best.encoding
    # GB2312 and GBK are subsets of GB18030; decoding with the superset loses nothing
    if encoding in {"gb2312", "gbk"}:
        encoding = "gb18030"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8; detected {encoding} but it does not decode: {exc.reason}") from exc


def clean_text(text: str) -> str:
    """Normalise line ends and drop control characters; character offsets refer to this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
