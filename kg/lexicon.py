"""Domain knowledge: the gazetteer of the field's national actors and the register of places.

Both are CSV files in `kg/resources/` (see its README) that users extend; a user alias file
(`alias,canonical,label`) overrides both. Operators' provincial branches are generated from the
register of provinces by rule instead of being listed: 31 x 3 rows that would only drift.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Optional

LABELS = ("ORG", "PROJECT", "PRODUCT", "LOC", "PERSON")

# the three national operators: full name, the short form used in "甘肃移动"
OPERATORS = {"中国移动": "移动", "中国电信": "电信", "中国联通": "联通"}


@dataclass(frozen=True)
class Entry:
    canonical: str
    label: str
    parent: str = ""
    kind: str = ""


def normalize(text: str) -> str:
    """The matching key of a name: NFKC (full-width to half-width), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


class Lexicon:
    """Surface form -> entry, keyed by `normalize`d surface."""

    def __init__(self) -> None:
        self._by_surface: dict[str, Entry] = {}
        self._by_canonical: dict[str, Entry] = {}
        self.aliases: dict[str, set[str]] = {}

    def add(self, surface: str, entry: Entry, *, override: bool = False) -> None:
        key = normalize(surface)
        if not key:
            return
        if override or key not in self._by_surface:
            self._by_surface[key] = entry
        self._by_canonical.setdefault(normalize(entry.canonical), entry)
        if override:
            self._by_canonical[normalize(entry.canonical)] = entry
        self.aliases.setdefault(entry.canonical, set()).add(surface)

    def lookup(self, surface: str) -> Optional[Entry]:
        return self._by_surface.get(normalize(surface))

    def entry_for_canonical(self, canonical: str) -> Optional[Entry]:
        return self._by_canonical.get(normalize(canonical))

    def surfaces(self) -> Iterator[tuple[str, Entry]]:
        for canonical, names in self.aliases.items():
            entry = self._by_canonical[normalize(canonical)]
            for name in names:
                yield name, entry

    def __len__(self) -> int:
        return len(self._by_surface)


def _resource_rows(name: str) -> list[dict[str, str]]:
    ref = resources.files("kg") / "resources" / name
    if not ref.is_file():
        return []
    with ref.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load_regions(lex: Lexicon) -> list[dict[str, str]]:
    rows = _resource_rows("regions.csv")
    for row in rows:
        name = row["name"].strip()
        entry = Entry(name, "LOC", row.get("parent", "").strip(), row.get("level", "").strip())
        lex.add(name, entry)
        short = (row.get("short") or "").strip()
        if short and len(short) >= 2:
            lex.add(short, entry)
    return rows


def _load_gazetteer(lex: Lexicon) -> None:
    for row in _resource_rows("gazetteer.csv"):
        label = row["label"].strip()
        if label not in LABELS:
            continue
        entry = Entry(row["canonical"].strip(), label, (row.get("parent") or "").strip(), (row.get("kind") or "").strip())
        lex.add(entry.canonical, entry)
        for alias in (row.get("aliases") or "").split("|"):
            if alias.strip():
                lex.add(alias.strip(), entry)


def _add_operator_branches(lex: Lexicon, regions: list[dict[str, str]]) -> None:
    for row in regions:
        if row.get("level") != "province":
            continue
        full, short = row["name"].strip(), (row.get("short") or "").strip() or row["name"].strip()
        for operator, op_short in OPERATORS.items():
            entry = Entry(f"{operator}{short}公司", "ORG", operator, "operator-branch")
            for surface in (
                entry.canonical,
                f"{short}{op_short}",
                f"{operator}{short}分公司",
                f"{operator}{full}公司",
                f"{operator}{full}分公司",
            ):
                lex.add(surface, entry)


def read_alias_file(path: str | Path) -> Iterator[tuple[str, Entry]]:
    """A user's alias file: CSV with columns alias,canonical,label (label optional)."""
    with Path(path).open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "canonical"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: alias file needs columns alias,canonical[,label]; missing {sorted(missing)}")
        for n, row in enumerate(reader, start=2):
            label = (row.get("label") or "ORG").strip().upper()
            if label not in LABELS:
                raise ValueError(f"{path}:{n}: unknown label {label!r}; use one of {', '.join(LABELS)}")
            yield row["alias"].strip(), Entry(row["canonical"].strip(), label, "", "user")


@lru_cache(maxsize=8)
def load_lexicon(alias_file: Optional[str] = None) -> Lexicon:
    lex = Lexicon()
    # user aliases first and with override: they win over everything shipped
    if alias_file:
        for alias, entry in read_alias_file(alias_file):
            lex.add(alias, entry, override=True)
            lex.add(entry.canonical, entry, override=True)
    _load_gazetteer(lex)
    regions = _load_regions(lex)
    _add_operator_branches(lex, regions)
    return lex


def user_dictionary_words(lex: Lexicon) -> Iterable[str]:
    """Names the segmenter must keep whole."""
    for surface, _entry in lex.surfaces():
        if 2 <= len(surface) <= 20:
            yield surface
