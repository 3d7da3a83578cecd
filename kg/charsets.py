"""Chinese text in the encodings crawlers save it in, and traditional characters made matchable.

Decoding. GB18030 (the superset of GB2312 and GBK) and Big5 accept most of each other's byte
sequences, so "decodes without error" does not tell them apart: a Big5 page decodes as GBK into
kana, Greek and rare characters, and a GBK page decodes as Big5 into rare traditional ones. What
does tell them apart is whether the result reads as Chinese: the share of its characters that are
among the common ones of either script (GB2312 level 1, 3,755 characters, and Big5's frequent
range, 5,401) or are CJK punctuation. The best-reading candidate wins.

Traditional characters. The gazetteer, name patterns and cue words are written in simplified
characters, so a traditional document is analysed in a simplified copy (OpenCC's t2s, which
converts phrase by phrase: 頭髮 -> 头发 but 乾隆 stays). Only documents that are mostly traditional
are converted: simplified texts legitimately use characters that t2s would change (华为's 昇腾
would become 升腾). The copy has the same length as the original, character for character, so
every offset found in it is an offset into the original, and evidence is cut from the original.
"""

from __future__ import annotations

import codecs
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import charset_normalizer

#: Legacy Chinese encodings tried when the bytes are not UTF-8, in order of preference on a tie:
#: mainland crawls are GBK far more often than Big5. big5hkscs is Big5 with the Hong Kong
#: additions (and cp950's common extensions), so it reads every Big5 page Big5 reads.
LEGACY = ("gb18030", "big5hkscs")
#: How much of a text a reading is judged on: enough to be sure, little enough to stay fast on a
#: 50 MB file.
SAMPLE_CHARS = 20_000
#: A reading must have at least this share of plausible characters to be accepted.
MIN_PLAUSIBLE = 0.5
#: Bytes that do not decode may be replaced (U+FFFD) only while they are this rare: a few
#: corrupted bytes in a long page, not a file in another encoding.
MAX_REPLACED_SHARE = 0.005
#: A document is converted to simplified when at least this share of its Han characters are
#: traditional-only, and they are at least TRADITIONAL_DISTINCT different characters: traditional
#: running text has 20-30 % and many different ones; a simplified text that names 昇腾 has the
#: one character, however often and however short the text.
TRADITIONAL_SHARE = 0.05
TRADITIONAL_DISTINCT = 3


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    #: bytes that could not be decoded: replaced by U+FFFD, or an incomplete character at the end
    replaced: int = 0


def decode_bytes(data: bytes, declared: Optional[str] = None) -> Decoded:
    """The text of `data`: UTF-8 if it is valid UTF-8; else GB18030 or Big5, whichever reads as
    Chinese (`declared`, an HTML page's charset, on a tie); else the declared or a detected
    encoding. Raises ValueError when no reading is plausible."""
    if not data:
        return Decoded("", "utf-8")
    strict = _decode(data, "utf-8-sig", "strict")
    if strict is not None:
        return strict
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            found = _decode(data[len(bom):], encoding, "replace")
            if found is not None:
                return found
    # a page's declared charset is only a hint: crawled pages often declare one and are saved in
    # another; on a tie it wins
    declared = _codec_name(declared) if declared else None
    readings = []
    for encoding in dict.fromkeys(([declared] if declared in LEGACY else []) + ["utf-8-sig", *LEGACY]):
        found = _decode(data, encoding, "replace")
        if found is not None and found.replaced <= max(1, len(data) * MAX_REPLACED_SHARE):
            # a replaced byte costs as much as an implausible character, so that a clean legacy
            # reading beats a lossy UTF-8 one and vice versa
            score = plausibility(found.text) - found.replaced / max(1, min(len(found.text), SAMPLE_CHARS))
            readings.append((score, -len(readings), found))
    if readings:
        score, _, best = max(readings, key=lambda r: (r[0], r[1]))
        if score >= MIN_PLAUSIBLE:
            return best
    if declared and declared not in LEGACY:
        found = _decode(data, declared, "strict")
        if found is not None:
            return found
    # other encodings (Shift_JIS, EUC-KR, ...) are no Chinese crawl's, but a page in one may
    # still name Chinese companies
    best = charset_normalizer.from_bytes(data[: 1 << 20]).best()
    if best is not None and best.encoding not in {"ascii", "utf_8", "gb18030", "big5", "big5hkscs", "cp950", "gbk", "gb2312"}:
        found = _decode(data, best.encoding, "strict")
        if found is not None:
            return found
    raise ValueError("not text in UTF-8, GB18030, Big5 or another detectable encoding")


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec_name(label: str) -> Optional[str]:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # GB2312 and GBK pages routinely hold characters of their supersets; decoding with the
    # superset loses nothing
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}.get(name, name)


def _decode(data: bytes, encoding: str, errors: str) -> Optional[Decoded]:
    _replaced.n = 0
    try:
        # incremental and not final: a half-written file that stops inside a multi-byte
        # character loses that character, not the whole file
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if errors == "strict" else "kg-count")
        text = decoder.decode(data, final=False)
        pending = len(decoder.getstate()[0])
    except UnicodeDecodeError:
        return None
    return Decoded(text, "utf-8" if encoding == "utf-8-sig" else encoding, _replaced.n + pending)


_replaced = threading.local()


def _count_and_replace(exc: UnicodeDecodeError):
    _replaced.n += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("kg-count", _count_and_replace)


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters (of a sample) that a Chinese text would contain."""
    good = total = 0
    for ch in text[:SAMPLE_CHARS]:
        if ch < "\x80" or ch.isspace():
            continue
        total += 1
        good += _plausible(ch)
    return good / total if total else 1.0


@lru_cache(maxsize=1 << 16)
def _plausible(ch: str) -> bool:
    o = ord(ch)
    if 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F:
        return True  # CJK and full-width punctuation, general punctuation (“”…—)
    try:
        b = ch.encode("gb2312")
        if 0xB0 <= b[0] <= 0xD7:
            return True  # level 1: the 3,755 most common simplified characters
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
        return 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E  # Big5's frequent characters
    except UnicodeEncodeError:
        return False


# --- traditional characters -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def _traditional_only(ch: str) -> bool:
    """A Han character simplified writing does not use: outside GB2312 and changed by t2s."""
    if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"):
        return False
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return _t2s().convert(ch) != ch


def is_traditional(text: str) -> bool:
    han = trad = 0
    distinct = set()
    for ch in text[:SAMPLE_CHARS]:
        if unicodedata.category(ch) == "Lo" and ("\u3400" <= ch <= "\u9fff" or ch >= "\U00020000" or "\uf900" <= ch <= "\ufaff"):
            han += 1
            if _traditional_only(ch):
                trad += 1
                distinct.add(ch)
    return len(distinct) >= TRADITIONAL_DISTINCT and trad / han >= TRADITIONAL_SHARE


def simplified_for_matching(text: str) -> Optional[str]:
    """A simplified copy of a traditional `text`, of the same length; None if `text` is not
    traditional. Lines are converted whole (OpenCC converts by phrase); a line whose conversion
    would change its length is converted character by character instead, so offsets never move."""
    if not is_traditional(text):
        return None
    converter = _t2s()
    out = []
    for line in text.split("\n"):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in line)
        out.append(converted)
    return "\n".join(out)
