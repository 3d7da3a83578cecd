"""Resolution of names: which actor a mention is, as a canonical name and a stable identifier.

Within a document, short forms resolve to the full company name they abbreviate (燧原科技 ->
上海燧原科技股份有限公司) and known names to the gazetteer's canonical (甘肃移动 -> 中国移动甘肃公司,
庆阳 -> 庆阳市). Across documents, the identifier depends only on (canonical, type), so the same
actor has the same IRI in every build and every corpus.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Optional

from .lexicon import Lexicon, normalize


def clean_name(surface: str) -> str:
    """NFKC, no white space inside (王 璐 -> 王璐), brackets half-width."""
    return normalize(surface)


def entity_id(canonical: str, label: str) -> str:
    """Stable, IRI-safe identifier of an actor: a function of its canonical name and type only."""
    key = f"{label}\x1f{normalize(canonical)}".encode("utf-8")
    return f"{label.lower()}-{hashlib.sha1(key).hexdigest()[:16]}"


class DocumentResolver:
    """Canonical names for the mentions of one document."""

    def __init__(self, lexicon: Lexicon, text: str, mentions: list[tuple[str, str, Optional[str]]]):
        self.lexicon = lexicon
        # short form -> full company name, for full names found in this document
        from .entities import short_forms  # the same derivation the entity rules use

        self.short_to_full: dict[str, str] = {}
        for surface, label, hint in mentions:
            if label == "ORG":
                full = hint or self._known(surface, label) or clean_name(surface)
                for short in short_forms(surface, lexicon):
                    self.short_to_full.setdefault(normalize(short), full)

    def _known(self, surface: str, label: str) -> Optional[str]:
        entry = self.lexicon.lookup(surface)
        if entry and (entry.label == label or {entry.label, label} <= {"ORG", "PROJECT"}):
            return entry.canonical
        return None

    def canonical(self, surface: str, label: str, hint: Optional[str] = None) -> str:
        if hint:
            return hint
        known = self._known(surface, label)
        if known:
            return known
        if label == "ORG":
            full = self.short_to_full.get(normalize(surface))
            if full:
                return full
        if label == "PRODUCT":
            # DeepSeek-R1671B: a known model name followed by its size
            m = re.match(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z]+\d?)?", unicodedata.normalize("NFKC", surface))
            if m and m.group() != surface:
                known = self._known(m.group(), label)
                if known:
                    return known
        return clean_name(surface)
