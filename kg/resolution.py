"""Resolution of names: which actor a mention is, as a canonical name and a stable identifier.

Within a document, short forms resolve to the full company name they abbreviate (燧原科技 ->
上海燧原科技股份有限公司) and known names to the gazetteer's canonical (甘肃移动 -> 中国移动甘肃公司,
庆阳 -> 庆阳市). A branch is named after its parent's canonical (甘肃移动庆阳分公司 ->
中国移动甘肃公司庆阳分公司), and a likely misprint of a gazetteer name resolves to it (智普 -> 智谱).
Across documents, the identifier depends only on (canonical, type), so the same actor has the
same IRI in every build and every corpus.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Optional

from .lexicon import OPERATORS, Lexicon, name_key, normalize
from .names import LEGAL_FORMS

# administrative suffixes a place is written with or without (闽清县, 闽清)
PLACE_SUFFIXES = ("省", "市", "县", "区", "地区", "新区", "自治州", "自治县", "盟", "旗")
# abbreviations facility names are written with: 成都智算中心 is 成都人工智能计算中心
ABBREVIATIONS = (("智算中心", "人工智能计算中心"), ("超算中心", "超级计算中心"))
# endings of the names of branches, as kg/relations.py reads them (X公司庆阳分公司 -> X公司)
BRANCH_SUFFIXES = ("分公司", "分行", "支行", "分院", "分中心")
_COMPANY_ENDINGS = ("公司", "集团", "银行")


def clean_name(surface: str) -> str:
    """NFKC, no white space inside (王 璐 -> 王璐), brackets half-width."""
    return normalize(surface)


def entity_id(canonical: str, label: str) -> str:
    """Stable, IRI-safe identifier of an actor: a function of its canonical name and type only.

    The name enters as its `name_key`, so spellings that differ only in bracket, dot or dash
    variants or in letter case (中国移动（甘肃·庆阳）数据中心, Deepseek) are one actor."""
    key = f"{label}\x1f{name_key(canonical)}".encode("utf-8")
    return f"{label.lower()}-{hashlib.sha1(key).hexdigest()[:16]}"


class DocumentResolver:
    """Canonical names for the mentions of one document."""

    def __init__(self, lexicon: Lexicon, text: str, mentions: list[tuple[str, str, Optional[str]]]):
        self.lexicon = lexicon
        #: branch canonical -> its parent's canonical, for the branches this document names
        self.parents: dict[str, str] = {}
        # short form -> full company name, for full names found in this document
        from .entities import short_forms  # the same derivation the entity rules use

        fulls: dict[str, set[str]] = {}
        for surface, label, hint in mentions:
            if label == "ORG":
                full = hint or self._known(surface, label) or clean_name(surface)
                shorts = short_forms(surface, lexicon)
                if "附属" in surface:  # 上海交通大学医学院附属瑞金医院 -> 瑞金医院
                    shorts.append(surface.rsplit("附属", 1)[1])
                for short in shorts:
                    if len(short) >= 2:
                        fulls.setdefault(normalize(short), set()).add(full)
        # a short form two companies of the document share (东阳光实业 of 深圳市… and 宜都市…) is neither's
        self.short_to_full: dict[str, str] = {short: next(iter(f)) for short, f in fulls.items() if len(f) == 1}
        # the names this document gives in full, which shorter names of the same thing abbreviate
        self.named = {clean_name(surface) for surface, _label, _hint in mentions}
        self.by_label: dict[str, list[str]] = {}
        for surface, label, hint in mentions:
            self.by_label.setdefault(label, []).append(clean_name(surface))
        self.by_label = {label: sorted(set(names)) for label, names in self.by_label.items()}
        self._resolving: set[tuple[str, str]] = set()

    def _known(self, surface: str, label: str) -> Optional[str]:
        entry = self.lexicon.lookup(surface)
        if entry and (entry.label == label or {entry.label, label} <= {"ORG", "PROJECT"}):
            return entry.canonical
        return None

    def canonical(self, surface: str, label: str, hint: Optional[str] = None) -> str:
        if hint:
            return hint
        # the shapes below resolve through one another (横琴新区 -> its fuller name 珠海市横琴新区,
        # whose place part is 横琴新区 again): a name met again while resolving is its own canonical
        key = (normalize(surface), label)
        if key in self._resolving:
            return clean_name(surface)
        self._resolving.add(key)
        try:
            return self._canonical(surface, label)
        finally:
            self._resolving.discard(key)

    def _canonical(self, surface: str, label: str) -> str:
        known = self._known(surface, label)
        if known:
            return known
        if label == "ORG":
            # the shapes an organisation's name takes, most specific first
            for shape in (self._branch, self._short_form_of, self._government, self._abbreviation):
                found = shape(surface)
                if found:
                    return found
        if label == "LOC":
            place = self._place(surface)
            if place:
                return place
        if label in ("ORG", "PROJECT", "LOC"):
            full = self._fuller_name(surface, label)
            # a place is known by its own name, not with the places above it written before it:
            # 横琴新区 stays, as 珠海市横琴新区 resolves to it (see _place)
            if full and not (label == "LOC" and clean_name(surface) in self._without_leading_places(full)):
                return self.canonical(full, label)
        if label == "PRODUCT":
            # DeepSeek-R1671B: a known model name followed by its size
            m = re.match(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z]+\d?)?", unicodedata.normalize("NFKC", surface))
            if m and m.group() != surface:
                known = self._known(m.group(), label)
                if known:
                    return known
        misprint = self.lexicon.misprint_of(surface, label)
        if misprint:
            return misprint.canonical
        return clean_name(surface)

    # -------------------------------------------------------------------- other name shapes
    def _short_form_of(self, surface: str) -> Optional[str]:
        """燧原科技 -> 上海燧原科技股份有限公司, where this document gives that full name."""
        return self.short_to_full.get(normalize(surface))

    def _government(self, surface: str) -> Optional[str]:
        """庆阳市政府, 北京市门头沟区人民政府, 门头沟区政府 -> <place>人民政府, the place by its
        official name and without the higher levels a writer may put before it."""
        m = re.fullmatch(r"(.+?)(?:人民)?政府", clean_name(surface))
        if not m:
            return None
        place = m.group(1)
        while place:
            entry = self.lexicon.lookup(place)
            if entry is not None and entry.label == "LOC":
                return f"{entry.canonical}人民政府"
            # drop a leading higher-level place (北京市门头沟区 -> 门头沟区)
            for cut in range(min(len(place) - 2, 8), 1, -1):
                head = self.lexicon.lookup(place[:cut])
                if head is not None and head.label == "LOC":
                    place = place[cut:]
                    break
            else:
                return None
        return None

    def _without_leading_places(self, name: str) -> list[str]:
        """珠海市横琴新区 -> [横琴新区, 新区]: what is left as each leading place is dropped."""
        rest, out = clean_name(name), []
        while True:
            cut = next((c for c in range(min(len(rest) - 2, 8), 1, -1)
                        if (e := self.lexicon.lookup(rest[:c])) is not None and e.label == "LOC"), None)
            if cut is None:
                return out
            rest = rest[cut:]
            out.append(rest)

    def _place(self, surface: str) -> Optional[str]:
        """A place the register knows, written after the places that contain it (深圳市福田区,
        内蒙古和林格尔新区), or a region written with 地区 (长三角地区, 华北地区 -> 长三角, 华北)."""
        name = clean_name(surface)
        rest = name
        while True:
            cut = next((c for c in range(min(len(rest) - 2, 8), 1, -1)
                        if (e := self.lexicon.lookup(rest[:c])) is not None and e.label == "LOC"), None)
            if cut is None:
                break
            rest = rest[cut:]
            entry = self.lexicon.lookup(rest)
            if entry is not None and entry.label == "LOC":
                return entry.canonical
            if rest in self.by_label.get("LOC", ()):
                return self.canonical(rest, "LOC")
        if name.endswith("地区") and len(name) >= 4:
            stem = name[:-2]
            entry = self.lexicon.lookup(stem)
            return entry.canonical if entry is not None and entry.label == "LOC" else stem
        return None

    def _fuller_name(self, surface: str, label: str) -> Optional[str]:
        """A name written again without one of the parts of its full name: 鄱阳湖智算中心 for
        中国电信鄱阳湖智算中心, 华韶数据谷 for 韶关市华韶数据谷, 中国移动智算中心 for
        中国移动智算中心(呼和浩特), 市数据局 for 大同市数据局, 福田区 for 深圳市福田区, 闽清 for
        闽清县, and 成都智算中心 for 成都人工智能计算中心.

        Only within the document that gives the full name, with the same type, only when the part
        left out is itself a name (a known actor, a place in brackets, one this document mentions)
        or, for a place, its administrative suffix, and only when one full name fits: two
        operators' 呼和浩特数据中心 leave the short name alone."""
        name = clean_name(surface)
        if len(name) < 2 or (len(name) < 4 and label != "LOC"):
            return None
        candidates = set()
        for full in self.by_label.get(label, ()):
            if full == name:
                continue
            expanded = name
            for short, long in ABBREVIATIONS:
                if short in name and long in full:
                    expanded = name.replace(short, long)
            if expanded == full:
                candidates.add(full)
                continue
            if len(full) <= len(expanded):
                continue
            p = 0
            while p < len(expanded) and expanded[p] == full[p]:
                p += 1
            q = 0
            while q < len(expanded) - p and expanded[-1 - q] == full[-1 - q]:
                q += 1
            if p + q == len(expanded) and self._is_name_part(full[p: len(full) - q], label, at_end=q == 0):
                candidates.add(full)
        return candidates.pop() if len(candidates) == 1 else None

    def _is_name_part(self, part: str, label: str, at_end: bool) -> bool:
        if at_end:
            # what ends a name says what it is: without it, 广东医科大学 is not its
            # 健康医疗大数据工程中心; only a place's suffix or a place in brackets may go
            if label == "LOC" and part in PLACE_SUFFIXES:
                return True
            if not (part.startswith("(") and part.endswith(")")):
                return False
        bare = part.strip("()")
        entry = self.lexicon.lookup(bare)
        return (entry is not None and entry.label in ("ORG", "LOC", "PRODUCT")) or bare in self.named

    def _abbreviation(self, surface: str) -> Optional[str]:
        """The company a short name abbreviates, when this document gives its registered name:
        庆阳云创 for 庆阳云创智慧大数据有限公司, 大名城 for 上海大名城企业股份有限公司,
        深圳东阳光实业 for 深圳市东阳光实业发展有限公司.

        The short name is the start of the name after its leading place, with or without the
        place (or the place's short form) before it; three characters at least, and one full name
        only. Skipping characters is not allowed: 电光科技 is not 浙江电光云科技有限公司, and two
        characters (中兴, 中兴能源有限公司) are too often another company."""
        name = clean_name(surface)
        if len(name) < 3 or name.endswith(LEGAL_FORMS) or name.endswith(BRANCH_SUFFIXES):
            return None
        candidates = set()
        for full in self.by_label.get("ORG", ()):
            if not full.endswith(LEGAL_FORMS) or len(full) <= len(name):
                continue
            forms = {full}
            for cut in range(min(len(full) - 2, 8), 1, -1):
                entry = self.lexicon.lookup(full[:cut])
                if entry is not None and entry.label == "LOC":
                    core = full[cut:]
                    forms |= {core, full[:cut] + core}
                    short = self.lexicon.short_place.get(entry.canonical)
                    if short:
                        forms.add(short + core)
                    break
            if any(form.startswith(name) and len(form) > len(name) for form in forms):
                candidates.add(full)
        return candidates.pop() if len(candidates) == 1 else None

    # -------------------------------------------------------------------- branches
    def _branch(self, surface: str) -> Optional[str]:
        """甘肃移动庆阳分公司 -> 中国移动甘肃公司庆阳分公司: the branch named after its parent's canonical.

        The parent is the longest start of the name that is a known organisation (or a company
        name, or a short form of one this document gives in full); the rest keeps its place in
        the form people write (庆阳市分公司 -> 庆阳分公司). An operator's city branch belongs to
        the operator's company of the city's province (中国移动庆阳分公司 -> 中国移动甘肃公司庆阳分公司).
        A name that comes out as a known actor (中国电信湖南分公司 is 中国电信湖南公司) is that actor."""
        name = clean_name(surface)
        if not name.endswith(BRANCH_SUFFIXES):
            return None
        for cut in range(len(name) - 3, 1, -1):
            prefix, rest = name[:cut], name[cut:]
            entry = self.lexicon.lookup(prefix)
            parent = entry.canonical if entry and entry.label == "ORG" else self.short_to_full.get(normalize(prefix))
            if parent is None and prefix.endswith(_COMPANY_ENDINGS) and len(prefix) >= 4:
                parent = prefix
            if parent is None:
                continue
            rest, province = self._branch_place(rest)
            if parent in OPERATORS and province:
                operator_branch = self.lexicon.lookup(f"{parent}{province}公司")
                if operator_branch is not None:
                    parent = operator_branch.canonical
            composed = parent + rest
            known = self._known(composed, "ORG")
            if known:
                return known
            self.parents[composed] = parent
            return composed
        return None

    def _branch_place(self, rest: str) -> tuple[str, Optional[str]]:
        """(rest with its place in the written form, the short name of the place's province)."""
        suffix = next(s for s in BRANCH_SUFFIXES if rest.endswith(s))
        place = rest[: -len(suffix)]
        entry = self.lexicon.lookup(place) if place else None
        if entry is None or entry.label != "LOC":
            return rest, None
        province = self._province_of(entry.canonical)
        return self.lexicon.short_place.get(entry.canonical, place) + suffix, province

    def _province_of(self, place: str) -> Optional[str]:
        seen = set()
        while place and place not in seen:
            seen.add(place)
            entry = self.lexicon.entry_for_canonical(place)
            if entry is None or entry.label != "LOC":
                return None
            if entry.kind == "province":
                return self.lexicon.short_place.get(entry.canonical, entry.canonical)
            place = entry.parent
        return None

    def parent_chain(self, actor: str) -> list[str]:
        """The organisations an actor's name places it under, nearest first:
        中国移动甘肃公司庆阳分公司 -> [中国移动甘肃公司, 中国移动].

        The first step is the parent its branch name was composed from; further steps follow the
        gazetteer only where the name itself says so: an operator's provincial company (甘肃移动
        is 中国移动's by definition) or a parent whose name the child's contains."""
        chain: list[str] = []
        current = actor
        while True:
            parent = self.parents.get(current)
            if parent is None:
                entry = self.lexicon.entry_for_canonical(current)
                if entry is None or entry.label != "ORG" or not entry.parent:
                    break
                names = self.lexicon.aliases.get(entry.parent, set()) | {entry.parent}
                if entry.kind != "operator-branch" and not any(normalize(n) in normalize(current) for n in names):
                    break
                parent = entry.parent
            if parent in chain or parent == actor:
                break
            chain.append(parent)
            current = parent
        return chain
