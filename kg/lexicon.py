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
# the registered names of their provincial companies, {p} the province's short name:
# 中国移动通信集团甘肃有限公司, 中国电信股份有限公司湖南分公司, 中国联合网络通信有限公司四川省分公司
OPERATOR_LEGAL_BRANCHES = {
    "中国移动": ("中国移动通信集团{p}有限公司", "中国移动通信集团有限公司{p}分公司", "中国移动通信集团有限公司{p}公司"),
    "中国电信": ("中国电信股份有限公司{p}分公司", "中国电信集团有限公司{p}分公司", "中国电信股份有限公司{p}公司"),
    "中国联通": ("中国联合网络通信有限公司{p}分公司", "中国联合网络通信集团有限公司{p}分公司", "中国联合网络通信有限公司{p}省分公司"),
}


@dataclass(frozen=True)
class Entry:
    canonical: str
    label: str
    parent: str = ""
    kind: str = ""


def normalize(text: str) -> str:
    """A name as compared in scoring: NFKC (full-width to half-width), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# variants NFKC leaves apart but a name's writers use interchangeably: 中国移动【甘肃·庆阳】,
# 中国移动(甘肃・庆阳), DeepSeek–R1
_NAME_FOLD = str.maketrans({
    "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "〖": "(", "〗": ")",
    "・": "·", "•": "·", "‧": "·", "∙": "·", "⋅": "·",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})


def name_key(text: str) -> str:
    """The identity of a name: `normalize`, brackets, middle dots and dashes folded to one form
    each, case folded. Two names with the same key are the same name (and so the same IRI)."""
    return normalize(text).translate(_NAME_FOLD).casefold()


class Lexicon:
    """Surface form -> entry, keyed by `normalize`d surface."""

    def __init__(self) -> None:
        self._by_surface: dict[str, Entry] = {}
        self._by_canonical: dict[str, Entry] = {}
        self.aliases: dict[str, set[str]] = {}
        #: canonical name of a place -> the form people write (庆阳市 -> 庆阳)
        self.short_place: dict[str, str] = {}
        self._gazetteer: set[str] = set()  # surfaces from gazetteer.csv, the only misprint targets
        self._near: Optional[dict[tuple[int, str], list[tuple[str, Entry]]]] = None

    def add(self, surface: str, entry: Entry, *, override: bool = False) -> None:
        key = name_key(surface)
        if not key:
            return
        owner = self._by_surface.get(key)
        if owner is not None and owner != entry:
            if not override:
                # the surface is another actor's (a user alias wins over the gazetteer): it must
                # not reach the entity matcher as this actor's name too, through `surfaces`
                return
            self.aliases.get(owner.canonical, set()).difference_update(
                {n for n in self.aliases.get(owner.canonical, ()) if name_key(n) == key})
        self._by_surface[key] = entry
        self._by_canonical.setdefault(name_key(entry.canonical), entry)
        if override:
            self._by_canonical[name_key(entry.canonical)] = entry
        self.aliases.setdefault(entry.canonical, set()).add(surface)

    def lookup(self, surface: str) -> Optional[Entry]:
        return self._by_surface.get(name_key(surface))

    def entry_for_canonical(self, canonical: str) -> Optional[Entry]:
        return self._by_canonical.get(name_key(canonical))

    def surfaces(self) -> Iterator[tuple[str, Entry]]:
        for canonical, names in self.aliases.items():
            entry = self._by_canonical[name_key(canonical)]
            for name in names:
                yield name, entry

    def misprint_of(self, surface: str, label: str) -> Optional[Entry]:
        """The gazetteer actor a name is a likely misprint of (智普 -> 智谱), or None.

        Conservative on purpose, since merging two real actors is worse than leaving one
        duplicate: only ORG and PRODUCT, only against gazetteer names, only short names (no
        legal-form suffix: 华为科技有限公司 and 华维科技有限公司 are both real), the same length,
        exactly one Chinese character different, and that character a homophone of the
        gazetteer's (same pinyin with tone, any reading). A name the lexicon knows is no misprint,
        and a misprint that could be of two different actors is left alone."""
        if label not in ("ORG", "PRODUCT") or self.lookup(surface) is not None:
            return None
        name = normalize(surface)
        if not 2 <= len(name) <= 8 or name.endswith(MISPRINT_EXCLUDED_ENDINGS):
            return None
        found: dict[str, Entry] = {}
        for i, ch in enumerate(name):
            if not _is_han(ch):
                continue
            for known, entry in self._near_index().get((i, name[:i] + "\x00" + name[i + 1:]), ()):
                if entry.label == label and _homophones(ch, known[i]):
                    found[entry.canonical] = entry
        return next(iter(found.values())) if len(found) == 1 else None

    def _near_index(self) -> dict[tuple[int, str], list[tuple[str, Entry]]]:
        """(position, name with that character blanked) -> gazetteer names: one-substitution
        neighbours are found by lookup, not by comparing against every name."""
        if self._near is None:
            near: dict[tuple[int, str], list[tuple[str, Entry]]] = {}
            for surface, entry in self.surfaces():
                name = normalize(surface)
                if name not in self._gazetteer or entry.label not in ("ORG", "PRODUCT") or len(name) < 2:
                    continue
                if name.endswith(MISPRINT_EXCLUDED_ENDINGS):
                    continue
                for i, ch in enumerate(name):
                    if _is_han(ch):
                        near.setdefault((i, name[:i] + "\x00" + name[i + 1:]), []).append((name, entry))
            self._near = near
        return self._near

    def __len__(self) -> int:
        return len(self._by_surface)


# names ending so are registered names, written with care and often one character apart from
# another real company's; a misprint is looked for only in the short names news uses
MISPRINT_EXCLUDED_ENDINGS = ("公司", "集团", "银行", "大学", "学院", "医院", "研究院", "研究所", "中心", "局", "厅", "委员会")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.TONE3, heteronym=True)[0])


def _homophones(a: str, b: str) -> bool:
    return a != b and bool(_readings(a) & _readings(b))


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
            lex.short_place[name] = short
    return rows


def _load_gazetteer(lex: Lexicon) -> None:
    for row in _resource_rows("gazetteer.csv"):
        label = row["label"].strip()
        if label not in LABELS:
            continue
        entry = Entry(row["canonical"].strip(), label, (row.get("parent") or "").strip(), (row.get("kind") or "").strip())
        lex.add(entry.canonical, entry)
        lex._gazetteer.add(normalize(entry.canonical))
        for alias in (row.get("aliases") or "").split("|"):
            if alias.strip():
                lex.add(alias.strip(), entry)
                lex._gazetteer.add(normalize(alias.strip()))


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
                *(form.format(p=p) for form in OPERATOR_LEGAL_BRANCHES[operator] for p in dict.fromkeys((short, full))),
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
