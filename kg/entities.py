"""Entity recognition from domain knowledge: the gazetteer, name-building patterns, context cues.

Registered as the spaCy component `kg_entities`. It runs after the statistical `ner` when the
pipeline has one and merges with what that found: known names win ties and retype a model's
place that holds one, while the model's edges veto a suffix pattern that swallows two of its names
or cuts one (see _fits); the model adds recall on names no list holds.

Boundaries: rules work on characters, and pkuseg words sometimes straddle an entity's edge
(央广网|发 comes out as 央广 网发). The component splits such tokens so every entity is a span of
whole tokens; the user dictionary built from the lexicon makes this rare for known names.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

from spacy.language import Language
from spacy.tokens import Doc

from . import names as N
from .component import Stateless
from .lexicon import Entry, Lexicon, load_lexicon
from .wordclass import is_distinctive, is_non_name, word_class

if not Doc.has_extension("kg_canonical"):
    # (start_char, end_char) -> the canonical name known for that mention, if any
    Doc.set_extension("kg_canonical", default=None)

# priorities break ties between overlapping candidates of the same length; the statistical model
# loses every tie, so a name the document itself defines (黔云星河, short for 贵州黔云星河科技股份有限公司)
# keeps the type the rules gave it
PRI_STAT, PRI_PATTERN, PRI_CONTEXT, PRI_LEXICON, PRI_USER = 0, 2, 3, 4, 5


@dataclass
class Candidate:
    start: int
    end: int
    label: str
    priority: int
    canonical: Optional[str] = None

    @property
    def length(self) -> int:
        return self.end - self.start


def fold(ch: str) -> str:
    """Per-character matching key: NFKC (full-width to ASCII) and case-folded, length-preserving."""
    n = unicodedata.normalize("NFKC", ch)
    return n.casefold() if len(n) == 1 else ch


class Trie:
    """Longest-match lookup of many names at every position of a text in one pass."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, name: str, value) -> None:
        node = self.root
        for ch in name:
            node = node.setdefault(fold(ch), {})
        node[None] = value

    def matches(self, folded: str) -> Iterable[tuple[int, int, object]]:
        n = len(folded)
        for i in range(n):
            node, j, best = self.root, i, None
            while j < n:
                node = node.get(folded[j])
                if node is None:
                    break
                j += 1
                if None in node:
                    best = (j, node[None])
            if best:
                yield i, best[0], best[1]


class DomainEntities(Stateless):
    def __init__(self, nlp: Language, name: str, alias_file: Optional[str] = None):
        self.name = name
        self.lexicon: Lexicon = load_lexicon(alias_file)
        self.trie = Trie()
        for surface, entry in self.lexicon.surfaces():
            # a one-character name would match inside every other word
            if len(surface) >= 2:
                self.trie.add(surface, entry)

    # ---------------------------------------------------------------- spaCy API
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        folded = "".join(fold(c) for c in text)
        known = self._lexicon(text, folded)
        stat = [_retype(_trim_class_noun(Candidate(e.start_char, e.end_char, e.label_, PRI_STAT), known, text), known, text)
                for e in doc.ents]
        stat = [part for c in stat for part in _split_owner(_trim_leading_verb(c, doc, text), text)]
        stat = [part for c in stat for part in _split_place(c, known, text)]
        stat = [_trim_person(_trim_trailing_noun(c, text), text) for c in stat]
        cands: list[Candidate] = stat + known
        cands += [c for c in (_joined(p, stat) for p in self._suffix_names(doc)) if _fits(c, stat, text)]
        cands += self._quoted_names(text)
        cands += self._people(doc)
        cands += self._media(text)
        cands += self._latin_products(text)
        chosen = _select([_trim_trailing_role(c, text) for c in cands])
        chosen = _select(chosen + self._lists(doc, chosen))
        chosen = _select(chosen + self._propagate(text, chosen))
        # list items and propagated names are cut like the model's spans (DeepSeek-V3、R1大模型后)
        chosen = [_trim_word_after_name(c, text) if c.priority < PRI_LEXICON else c for c in chosen]
        return self._assign(doc, [_org_by_ending(c, text) for c in chosen
                                  if not _names_a_kind(c, text) and not _half_bracketed(text[c.start:c.end])
                                  and not self._country_in_a_phrase(c, text)])

    def _country_in_a_phrase(self, c: Candidate, text: str) -> bool:
        """数字中国, 中国式现代化, 华为中国区, 中国智慧, 中国芯: the country named as part of a phrase or a
        slogan, not as a place (中国已有20多座智算中心, 在中国建立数据中心)."""
        if c.label != "LOC" or getattr(self.lexicon.lookup(text[c.start:c.end]), "kind", None) != "country":
            return False
        return text.endswith("数字", 0, c.start) or bool(_AFTER_COUNTRY_IN_A_PHRASE.match(text, c.end))

    # ---------------------------------------------------------------- sources of candidates
    def _lexicon(self, text: str, folded: str) -> list[Candidate]:
        out = []
        for s, e, entry in self.trie.matches(folded):
            assert isinstance(entry, Entry)
            if text[e - 1].isascii() and text[e - 1].isalnum() and e < len(text) and text[e].isascii():
                # Meta inside Metaverse is no match; DeepSeek-R1 inside DeepSeek-R1671B is, with its size
                if text[e].isalpha():
                    continue
                m = N.LATIN_NAME.match(text, s)
                if m and m.end() > e:
                    e = m.end()
            if s > 0 and text[s].isascii() and text[s - 1].isascii() and text[s - 1].isalnum():
                continue
            pri = PRI_USER if entry.kind == "user" else PRI_LEXICON
            out.append(Candidate(s, e, entry.label, pri, entry.canonical))
        return out

    def _suffix_names(self, doc: Doc) -> list[Candidate]:
        """X有限公司, X大学, X数据中心, X产业园...: the suffix, extended left over name-like words."""
        text = doc.text
        starts = _token_starts(doc)
        out = []
        for suffixes, label, longest in (
            (N.ORG_SUFFIXES, "ORG", 30), (N.PROJECT_SUFFIXES, "PROJECT", 30), (_SHORT_SUFFIXES_ALONE, "ORG", 4),
        ):
            for m in _suffix_regex(suffixes).finditer(text):
                start = self._extend_left(doc, text, starts, m.start(), label, longest)
                if start is None or (longest < 30 and _ends_inside_word(doc, starts, m.end())):
                    continue
                if longest < 30 and self._place_and_sector(text[start:m.start()]):
                    continue
                if longest < 30 and _SOURCE_OF_FIGURES.match(text, m.end()):
                    continue  # 工信部数据显示: the ministry's figures, not a firm called 工信部数据
                out.append(Candidate(start, m.end(), label, PRI_PATTERN))
        return out

    def _extend_left(self, doc: Doc, text: str, starts: list[int], pos: int, label: str, longest: int = 30) -> Optional[int]:
        tokens = doc
        start = pos
        words: list[str] = []
        i = bisect_left(starts, pos) - 1  # the last word that starts before the suffix
        # the suffix may begin inside a pkuseg word: the word's left part belongs to the name
        if i >= 0 and tokens[i].idx + len(tokens[i].text) > pos:
            part = text[tokens[i].idx:pos]
            if _name_like(part):
                words.append(part)
                start = tokens[i].idx
            i -= 1
        while i >= 0 and pos - start < longest:
            tok = tokens[i]
            word = tok.text
            if tok.idx + len(word) != start:  # white space between: a name does not span it
                break
            if word and word[-1] in N.CLOSE_BRACKETS:
                open_at = max(text.rfind(b, 0, start) for b in N.OPEN_BRACKETS)
                # a place or qualifier in brackets is part of a name; a photo caption is not
                if open_at < 0 or not re.fullmatch(f"[{N.CJK}A-Za-z0-9·・]{{1,10}}", text[open_at + 1:start - 1]):
                    break
                j = i
                while j >= 0 and doc[j].idx > open_at:
                    j -= 1
                if j < 0 or doc[j].idx != open_at:
                    break
                start, i = open_at, j - 1
                words.append(text[open_at:tok.idx + len(word)])
                continue
            if label == "PROJECT" and any(word.endswith(s) for s in ("公司", "集团")) and words:
                break
            if not _name_like(word) and self.lexicon.lookup(word) is None and not (label == "ORG" and longest >= 30 and word in _BUSINESS_WORDS):
                break
            words.append(word)
            start = tok.idx
            i -= 1
        # 运营腾讯长三角人工智能超算中心, 投资瓴盛科技, 公司宜昌东数三号投资有限责任公司: a verb, a business
        # word or 公司 (the issuer) does not open a name
        while words and (words[-1] in N.LEADING_VERBS or words[-1] in _BUSINESS_WORDS or words[-1] == "公司"):
            start += len(words.pop())
        role = _LEADING_ROLE.match(text, start, pos) if label == "ORG" else None
        if role and pos - role.end() >= 2:  # 合资公司福建数产名商科技有限公司
            while words and start < role.end():  # words run right to left: the last is the leftmost
                start += len(words.pop())
            start = role.end()
        # a name needs one word that is not common vocabulary: 构建区域产业集群 is no name
        core = [
            w for w in words
            if w not in N.GENERIC and not N.NUMBERISH.match(w) and not _bracketed(w)
            and (is_distinctive(w) or self.lexicon.lookup(w) is not None)
        ]
        if not core:
            return None
        return start if pos - start >= 2 else None

    def _place_and_sector(self, left: str) -> bool:
        """北京人工智能, 大同大数据, 松江区信息: a place and its industry, not a firm (firms add a word
        of their own between: 庆阳云创智能)."""
        for rest in ("大", "人工", ""):
            if left.endswith(rest):
                entry = self.lexicon.lookup(left[: len(left) - len(rest)])
                if entry is not None and entry.label == "LOC":
                    return True
        return False

    def _quoted_names(self, text: str) -> list[Candidate]:
        """“龙创智谷”算力集群, 服务平台“红柳易办”, “东数西算”: quoted names next to a project noun."""
        out = []
        for m in re.finditer(r"[“\"「『]([^”\"」』\n]{2,12})[”\"」』]", text):
            inner = m.group(1)
            if re.search(r"[，,。；;：:！!？?、 ]", inner) or not re.search(f"[{N.CJK}A-Za-z]", inner):
                continue
            after, before = text[m.end():m.end() + 6], text[max(0, m.start() - 6):m.start()]
            if any(after.startswith(n) for n in N.PROJECT_CUE_NOUNS) or any(before.endswith(n) for n in N.PROJECT_CUE_NOUNS):
                out.append(Candidate(m.start(1), m.end(1), "PROJECT", PRI_CONTEXT))
        return out

    def _people(self, doc: Doc) -> list[Candidate]:
        text = doc.text
        out = []
        titles = "|".join(sorted(map(re.escape, N.TITLES), key=len, reverse=True))
        for m in re.finditer(f"(?:{titles})", text):
            name = _person_at(text, m.end())
            if name:
                out.append(Candidate(m.end(), m.end() + len(name), "PERSON", PRI_CONTEXT))
        speech = "|".join(map(re.escape, N.SPEECH_VERBS))
        token_starts = {t.idx for t in doc}
        for m in re.finditer(f"([{N.CJK}]{{2,3}})(?:{speech})", text):
            for length in (3, 2):
                s = m.end(1) - length
                cand = text[s:m.end(1)]
                # a name starts a word (not 时还 of 同时还表示) and is no common word (简要介绍)
                if (
                    len(cand) == length and s in token_starts and _surname(cand)
                    and _person_at(text, s) == cand and word_class(cand) in (None, "nr", "nrfg", "nrt")
                ):
                    out.append(Candidate(s, m.end(1), "PERSON", PRI_PATTERN))
                    break
        # bylines: 编辑:王 璐, (央广网发 石强 摄), 记者 张三
        for m in re.finditer(rf"(?:编辑|责编|主编|审核|校对|记者|通讯员|撰文|文|图)[:：]\s*([{N.CJK}](?: ?[{N.CJK}]){{1,2}})(?=$|\s|\n|[,，)）])", text, re.M):
            if _surname(m.group(1)):
                out.append(Candidate(m.start(1), m.end(1), "PERSON", PRI_CONTEXT))
        for m in re.finditer(rf"[\s发]([{N.CJK}]{{2,3}})\s*摄", text):
            if _surname(m.group(1)):
                out.append(Candidate(m.start(1), m.end(1), "PERSON", PRI_CONTEXT))
        return out

    def _media(self, text: str) -> list[Candidate]:
        """来源:央广网; (央广网发 …摄); datelines such as 新华社北京1月1日电."""
        out = []
        for m in re.finditer(rf"(?:来源|出处|稿源)[:：]\s*([{N.CJK}A-Za-z]{{2,12}})", text):
            out.append(Candidate(m.start(1), m.end(1), "ORG", PRI_CONTEXT))
        for m in re.finditer(rf"[(（]([{N.CJK}]{{2,8}}?)发\s", text):
            out.append(Candidate(m.start(1), m.end(1), "ORG", PRI_CONTEXT))
        return out

    def _latin_products(self, text: str) -> list[Candidate]:
        """A Latin-script name right before 大模型/模型/芯片/加速卡 is a product."""
        out = []
        # anchored at a word's start: unanchored, a long run of letters is tried from every position
        for m in re.finditer(r"(?<![A-Za-z0-9.-])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?=\s?(?:大模型|模型|芯片|加速卡|推理卡|训练卡|服务器|GPU))", text):
            if len(m.group()) >= 2 and m.group().upper() not in N.GENERIC_LATIN:
                out.append(Candidate(m.start(), m.end(), "PRODUCT", PRI_PATTERN))
        return out

    def _lists(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """A、B、C等企业: items of a list share the type of its head noun or of their typed siblings.

        Inner items are what stands between two 、; the first item runs left from the first 、 and
        the last one right from the last 、, each over name-like words only, so the verb before a
        list (与…) and the 等 after it stay out."""
        text = doc.text
        out = []
        by_span = {(c.start, c.end): c for c in chosen}
        starts = _token_starts(doc)
        word_starts = set(starts)
        for run in re.finditer(r"[^、，,。；;：:！!？?“”\"\s()（）]{1,14}(?:、[^、，,。；;：:！!？?“”\"\s()（）]{1,14})+", text):
            seps = [run.start() + m.start() for m in re.finditer("、", run.group())]
            items = [(a + 1, b) for a, b in zip(seps, seps[1:])]
            first = self._name_run(doc, starts, seps[0], -1)
            last = self._name_run(doc, starts, seps[-1] + 1, +1)
            if first is None or last is None:
                continue
            items = [first] + items + [last]
            if any(e - s < 2 or e - s > 14 or N.NUMBERISH.match(text[s:e]) for s, e in items):
                continue
            after = text[last[1]:last[1] + 16]
            head = re.match(r"等?(?:\d+余?家|多家|几家|[一二三四五六七八九十]+家)?(?:知名|头部|重点|龙头|优秀|主流|国产|信创|算力|AI)*(" + "|".join(sorted(map(re.escape, N.LIST_HEADS), key=len, reverse=True)) + ")", after)
            label = N.LIST_HEADS[head.group(1)] if head and (after.startswith("等") or head.start(1) == 0) else None
            typed = [by_span[i].label for i in items if i in by_span]
            if not label and typed and len(typed) * 2 >= len(items) and len(set(typed)) == 1:
                label = typed[0]
            if not label:
                continue
            for s, e in items:
                if label == "LOC" and _common_word(text[s:e]):
                    continue  # 互联网综合服务公司、中国最大的…: a common noun is no place
                if label == "PERSON" and not _person_name(text[s:e]):
                    continue  # 杨维俊、雷战奎来到张掖大数据产业园: the last item ran on past the name
                if head and label == "PRODUCT" and (s, e) in by_span and by_span[(s, e)].label == "ORG":
                    by_span[(s, e)].label = "PRODUCT"  # 鲲鹏、飞腾、海光等主流国产芯片: the maker's name is the chip's
                    continue
                # the head noun (等多家企业) says more than the statistical model's guess
                if s in word_starts and ((s, e) not in by_span or (head and by_span[(s, e)].priority == PRI_STAT)):
                    out.append(Candidate(s, e, label, PRI_PATTERN))
        return out

    def _name_run(self, doc: Doc, starts: list[int], pos: int, direction: int) -> Optional[tuple[int, int]]:
        """The name-like words next to a list separator at `pos`, up to 14 characters."""
        first = bisect_left(starts, pos)
        words = (doc[i] for i in range(first - 1, -1, -1)) if direction < 0 else (doc[i] for i in range(first, len(doc)))
        span = None
        for tok in words:
            if (tok.idx + len(tok.text) if direction < 0 else tok.idx) != (pos if span is None else (span[0] if direction < 0 else span[1])):
                break
            # leftwards a verb ends the first item (赴北京); rightwards the last item runs to 等 or
            # a stop word, whatever its words (亿算科技 is 亿|算|科技), but opens on no verb (辐射中部地区)
            if tok.text in N.STOP or not all(ch.isalnum() or ch in "·-" for ch in tok.text) or (
                direction < 0 and (tok.text in N.LEADING_VERBS or is_non_name(tok.text) and word_class(tok.text) != "m"
                                   and self.lexicon.lookup(tok.text) is None)  # 飞腾 is a verb to jieba
            ) or (direction > 0 and span is None and tok.text in N.LEADING_VERBS):
                break
            span = (tok.idx, pos if span is None else span[1]) if direction < 0 else (pos if span is None else span[0], tok.idx + len(tok.text))
            if span[1] - span[0] >= 14:
                break
        return span

    def _propagate(self, text: str, chosen: list[Candidate]) -> list[Candidate]:
        """Every mention of a found name counts, and so do the short forms of full company names."""
        out = []
        forms: dict[str, Candidate] = {}
        for c in chosen:
            surface = text[c.start:c.end]
            forms.setdefault(surface, c)
            if c.label == "ORG":
                full = c.canonical or surface
                for short in short_forms(surface, self.lexicon):
                    forms.setdefault(short, Candidate(0, 0, "ORG", c.priority - 1, full))
        for surface, c in forms.items():
            if len(surface) < 2:
                continue
            for m in re.finditer(re.escape(surface), text):
                out.append(Candidate(m.start(), m.end(), c.label, c.priority - 1 if c.priority > 1 else 1, c.canonical))
        return out

    # ---------------------------------------------------------------- output
    def _assign(self, doc: Doc, chosen: list[Candidate]) -> Doc:
        doc = _split_tokens(doc, {c.start for c in chosen} | {c.end for c in chosen})
        spans, hints = [], {}
        for c in chosen:
            span = doc.char_span(c.start, c.end, label=c.label)
            if span is None:
                continue
            spans.append(span)
            if c.canonical:
                hints[(c.start, c.end)] = c.canonical
        doc.ents = spans
        doc._.kg_canonical = hints
        return doc


@Language.factory(
    "kg_entities",
    default_config={"alias_file": None},
    assigns=["doc.ents", "doc._.kg_canonical"],
)
def make_domain_entities(nlp: Language, name: str, alias_file: Optional[str]) -> DomainEntities:
    return DomainEntities(nlp, name, alias_file)


# -------------------------------------------------------------------- helpers
_SUFFIX_RE: dict[tuple, re.Pattern] = {}


def _suffix_regex(suffixes: tuple) -> re.Pattern:
    if suffixes not in _SUFFIX_RE:
        alts = "|".join(sorted(map(re.escape, suffixes), key=len, reverse=True))
        _SUFFIX_RE[suffixes] = re.compile(f"(?:{alts})")
    return _SUFFIX_RE[suffixes]


_AFTER_COUNTRY_IN_A_PHRASE = re.compile(r"式|区(?!域)|芯|智慧|方案|速度|故事|制造|创造|古")


# the short-name endings that make a name by themselves (燧原科技, 豫能控股); 数据, 智能 and 云 end
# as many phrases of the genre (连云新城大数据, 具身智能, 公有云) as names, which the gazetteer and
# the model find
_SHORT_SUFFIXES_ALONE = tuple(s for s in N.ORG_SHORT_SUFFIXES if s not in ("数据", "智能", "云"))


# 数据/信息 after a name, then a verb of reporting: the source of a figure (工信部数据显示)
_SOURCE_OF_FIGURES = re.compile(r"显示|表明|统计|称|指出")


# what a company does, written into its name before the legal form (黔南大数据产业投资有限公司,
# 中交西部投资建设有限公司): verbs elsewhere, so not name-like on their own
_BUSINESS_WORDS = frozenset("投资 建设 控股 服务 开发 制造 租赁".split())


def _name_like(word: str) -> bool:
    if word in ("·", "・"):  # 环首都·太行山…基地, 甘肃·庆阳
        return True
    if not word or word in N.STOP or word.endswith("的") or is_non_name(word):
        return False
    if any(not (ch.isalnum() or ch in "·-") for ch in word):
        return False
    return not re.fullmatch(r"\d+(?:\.\d+)?[年月日号]?", word)


# words that follow a person's name in the genre (张三在…, 张三等, 张三带领…)
_AFTER_A_NAME = ("在", "等", "和", "与", "也", "还", "带领", "一行", "主持", "出席", "摄", "会见", "来到")


_TITLE_BEFORE_NAME = re.compile("(?:" + "|".join(sorted(map(re.escape, N.TITLES + ("领导",)), key=len, reverse=True)) + f")(?=[{N.CJK}]{{2,3}}$)")
_AFTER_NAME = re.compile(f"^([{N.CJK}]{{2,3}}?)(?:" + "|".join(sorted(map(re.escape, N.SPEECH_VERBS + _AFTER_A_NAME), key=len, reverse=True)) + ")")


_FACILITY_THEN_NOUN = re.compile(f"(.{{2,}}?{_suffix_regex(N.PROJECT_SUFFIXES).pattern})(?:资源|服务|能力|体系|业务|建设|算力|资源池)")


# what no name ends on: a time or place word after it (部署R1大模型后, 广州大学城内, 包括阿里在内),
# a measure of the facility (芜湖产业创新馆总面积), the 讯 of a dateline (北京青年报讯)
_WORD_AFTER_NAME = re.compile(r"(.{2,}?)(?:在内|之后|以后|后|内|总面积|占地面积|建筑面积|面积|(?<=[报网社台刊])讯)")


def _trim_trailing_noun(stat: Candidate, text: str) -> Candidate:
    """庆阳数字政府云资源 -> 庆阳数字政府云: the model ran a facility's name into the noun after it,
    or into a word no name ends on (R1大模型后 -> R1大模型)."""
    if stat.label not in ("ORG", "PROJECT", "PRODUCT"):
        return stat
    m = _FACILITY_THEN_NOUN.fullmatch(text, stat.start, stat.end) if stat.label != "PRODUCT" else None
    if m:
        stat.end, stat.label = m.end(1), "PROJECT"
        return stat
    return _trim_word_after_name(stat, text)


# an organisation's name run into the verb of its clause (与A、中关村发展集团共建的X): a verb of
# joint building, investing or signing is no part of a name that already ended on 集团 or 公司
_ORG_THEN_VERB = re.compile(f"(.{{2,}}?{_suffix_regex(N.ORG_SUFFIXES).pattern})"
                            "(?:共建|合建|共同|联合|投资|出资|签约|签署|签订|合作|携手|牵头|承建|中标)")


def _trim_word_after_name(c: Candidate, text: str) -> Candidate:
    m = _WORD_AFTER_NAME.fullmatch(text, c.start, c.end) if c.label in ("ORG", "PROJECT", "PRODUCT") else None
    m = m or (_ORG_THEN_VERB.fullmatch(text, c.start, c.end) if c.label == "ORG" else None)
    if m:
        c.end = m.end(1)
    return c


def _trim_person(stat: Candidate, text: str) -> Candidate:
    """The model's person spans sometimes take in the title before the name or the verb after it
    (腾讯集团副总裁蔡光忠, 李勇说, 王凤朝会见): a Chinese name is two or three characters."""
    if stat.label != "PERSON" or stat.end - stat.start <= 2:
        return stat
    name = text[stat.start:stat.end].rstrip("，,、。；;：: ")
    stat.end = stat.start + len(name)
    m = _TITLE_BEFORE_NAME.search(name)
    if m:
        stat.start += m.end()
        name = name[m.end():]
    m = _AFTER_NAME.match(name)
    if m and len(name) > 3 or (m and len(name) == 3 and _surname(name[:1]) and name[2:] in N.SPEECH_VERBS):
        stat.end = stat.start + len(m.group(1))
    return stat


def _names_a_kind(c: Candidate, text: str) -> bool:
    """A candidate the gazetteer does not know that names a kind of thing, not one actor: a project
    named by one common word (a scare-quoted term, “合伙人”, “落子”, or a list item of the wrong kind,
    用户、X项目: names of projects are compounds or coinages), a class counted out (八大算力枢纽,
    十大新兴产业集群), a kind of organisation (上市公司, 区政府)."""
    if c.priority >= PRI_LEXICON:
        return False
    name = text[c.start:c.end]
    if c.label == "PROJECT":
        quoted = c.start > 0 and text[c.start - 1] in "“\"「『"
        return _common_word(name) or bool(_COUNTED_CLASS.search(name)) or (not quoted and _sized_kind(name))
    return c.label == "ORG" and _generic_org(name)


# a facility's size or class: 2000P, 千P级, 万卡, 10万架, 100MW
_SIZE = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万亿]+)\s*(?:P|PF|PFLOPS|E|EFLOPS|MW|兆瓦|卡|架|台|机柜|个机柜)?(?:级|规模)?")
# generic words of two characters or more, longest first (a prefix test meets 一体化 before 一体)
_GENERIC_WORDS = tuple(sorted((w for w in N.GENERIC if len(w) >= 2), key=len, reverse=True))
# (东数 and 西算 are generic alone, 东数西算 is a programme; 省级政务云 is the province's own)
_WORDS_OF_KIND = tuple(w for w in _GENERIC_WORDS if w not in ("东数", "西算", "省级", "市级"))
_PROJECT_SUFFIXES_LONGEST_FIRST = tuple(sorted(N.PROJECT_SUFFIXES, key=len, reverse=True))


def _project_suffix(name: str) -> Optional[str]:
    """The longest facility or project suffix `name` ends with (数据中心 rather than 中心)."""
    return next((x for x in _PROJECT_SUFFIXES_LONGEST_FIRST if name.endswith(x)), None)


def _sized_kind(name: str) -> bool:
    """2000P智算中心, 千P级智算中心, 全国产化智算中心: a facility described by its size and kind, which
    says what it is and how big, not which one (哈密市2000P智算中心 names one by its place). The
    suffix rule asks the same of the names it builds; this holds the model's spans to it. A long run
    of such words is an official designation (全国一体化算力网络国家枢纽节点), not a description."""
    suffix = _project_suffix(name)
    if suffix is None or len(name) == len(suffix):
        return False
    rest, kinds = name[: -len(suffix)], 0
    while rest:
        word = next((w for w in _WORDS_OF_KIND if rest.startswith(w)), None)  # 一体化 before 一
        if word is not None:
            kinds += 1
        else:
            size = _SIZE.match(rest)  # None unless rest opens on a number
            if size is None:
                return False
            word = size.group()
        rest = rest[len(word):]
    return kinds <= 2


# kinds of organisation, not names: 上市公司, 区政府, 省委省政府, 大学
_GENERIC_ORG = re.compile(r"(?:上市|关联|合资|母|总|分|子)?公司|(?:省委)?(?:[省市区县](?:委|人民政府|政府))+|大学|上市")


def _generic_org(name: str) -> bool:
    return name in N.GENERIC or name in N.STOP or name.upper() in N.GENERIC_LATIN or bool(_GENERIC_ORG.fullmatch(name))


_COUNTED_CLASS = re.compile(r"[两三四五六七八九十百千]大")


# what only a facility's name ends on: 国家超级计算长沙中心, 广州超算中心, 润泽国际信息港 (a region's
# 大数据中心 may be its data bureau: 四川省大数据中心)
_FACILITY_ENDING = re.compile(r"(?:(?:超级计算|超算|智算|算力|计算)[^，,。、]{0,4}中心|(?<!大)数据中心|信息港|数据港|产业园区?|科技园|算力基地)$")


def _org_by_ending(c: Candidate, text: str) -> Candidate:
    """A "project" whose name ends like an organisation's (…管理局, …银行) and not like a facility's is
    the organisation: list items and propagated names take the type of their neighbours. And an
    "organisation" named like a data centre or a park is the facility: the model reads the place or
    operator that opens such a name (广州超算中心) as an organisation's."""
    name = text[c.start:c.end]
    if c.priority >= PRI_LEXICON:
        return c
    if c.label == "PROJECT" and name.endswith(N.ORG_SUFFIXES + ("局",)) and not name.endswith(N.PROJECT_SUFFIXES):
        c.label = "ORG"
    elif c.label == "ORG" and _FACILITY_ENDING.search(name):
        c.label = "PROJECT"
    return c


def _common_word(word: str) -> bool:
    cls = word_class(word)
    return cls is not None and not is_distinctive(word)


def _token_starts(doc: Doc) -> list[int]:
    """Character offsets of the words, for bisecting: rules look up the word at an offset many
    times per document, and a scan each time made long documents quadratic."""
    return [t.idx for t in doc]


def _ends_inside_word(doc: Doc, starts: list[int], end: int) -> bool:
    """True if a pkuseg word runs on past `end`: 科技 in 科技园 does not end a name."""
    i = bisect_right(starts, end) - 1
    return i >= 0 and doc[i].idx < end < doc[i].idx + len(doc[i].text)


# quotation marks and title marks pair as brackets do: 芜湖造”精品的产业创新馆 is cut out of a sentence
_PAIRED_OPEN, _PAIRED_CLOSE = N.OPEN_BRACKETS + "“《「", N.CLOSE_BRACKETS + "”》」"


def _half_bracketed(name: str) -> bool:
    """河南)科技有限公司, 中国移动(: a span that opens or closes a bracket or a quotation it does not
    hold whole is cut out of a longer name, and no name as it stands."""
    depth = 0
    for ch in name:
        if ch in _PAIRED_OPEN:
            depth += 1
        elif ch in _PAIRED_CLOSE:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def _bracketed(word: str) -> bool:
    return word[:1] in N.OPEN_BRACKETS


def _person_name(name: str) -> bool:
    """What a list item must look like to be a person: a surname and two or three characters, or a
    name written with a middle dot (吾拉木江·热依木)."""
    return "·" in name or (2 <= len(name) <= 3 and _surname(name))


def _surname(name: str) -> bool:
    return name[:1] in N.SURNAMES or name[:2] in N.SURNAMES


def _person_at(text: str, pos: int) -> Optional[str]:
    """A 2-3 character name starting at pos, if it starts with a surname and is followed by a break."""
    for length in (3, 2):
        cand = text[pos:pos + length]
        if len(cand) != length or not re.fullmatch(f"[{N.CJK}]+", cand) or not _surname(cand):
            continue
        rest = text[pos + length:pos + length + 4]
        if length == 3 and any((cand[2] + rest).startswith(v) for v in N.SPEECH_VERBS + _AFTER_A_NAME):
            continue  # 刘洋说: the third character starts the verb after a two-character name
        if (
            not rest
            or rest[0] in "，,。、；;：:！!？?”\"’)） \n（("
            or any(rest.startswith(v) for v in N.SPEECH_VERBS + _AFTER_A_NAME)
        ):
            return cand
    return None


def _fits(pattern: Candidate, stat: list[Candidate], text: str) -> bool:
    """A suffix-pattern name, grown leftwards over name-like words, may not swallow two names the
    statistical model separated (合盈数据(怀来)智谷算力产业园|廊坊市|合盈数据(廊坊)…产业园, 周英杰|代表|
    中建八局西南公司) nor cut through one: there the model's edges are the better ones. A place in
    brackets is a qualifier of the name, not a second name: 百度智能云(成都)智算中心."""
    inside = 0
    for s in stat:
        if s.end <= pattern.start or s.start >= pattern.end:
            continue
        if s.start < pattern.start or s.end > pattern.end:
            return False
        if s.start > pattern.start and text[s.start - 1] in N.OPEN_BRACKETS and text[s.end:s.end + 1] in N.CLOSE_BRACKETS:
            continue
        inside += 1
    return inside < 2


def _joined(pattern: Candidate, stat: list[Candidate]) -> Candidate:
    """四川能投天府云 (the model's) and 投天府云数据产业基地 (the suffix grown left until pkuseg's 四川|能|
    投天府云 stopped it) are one name: where the model's span opens left of the pattern's and ends
    inside it, the pattern takes the model's left edge."""
    for s in stat:
        if s.start < pattern.start < s.end < pattern.end and s.label in ("ORG", "PROJECT") and s.label == pattern.label:
            return Candidate(s.start, pattern.end, pattern.label, pattern.priority, pattern.canonical)
    return pattern


HARDWARE_NOUNS = ("芯片", "加速卡", "推理卡", "训练卡", "服务器")


def _trim_class_noun(stat: Candidate, known: list[Candidate], text: str) -> Candidate:
    """昇腾910B芯片 -> 昇腾910B: the product is the known name; 芯片 says what kind of thing it is."""
    if stat.label != "PRODUCT":
        return stat
    for k in known:
        if k.label == "PRODUCT" and k.start == stat.start and k.end < stat.end and text[k.end:stat.end] in HARDWARE_NOUNS:
            stat.end = k.end
            break
    return stat


# the role a company plays, written before its name: 合资公司福建数产名商科技有限公司, 普通合伙人X
_LEADING_ROLE = re.compile(r"(?:合资公司|全资子公司|控股子公司|全资孙公司|子公司|孙公司|参股公司|有限合伙人|普通合伙人|控股股东|概念股)")


# ... and after it, before the subsidiary's name: X股份有限公司控股子公司Y
_TRAILING_ROLE = re.compile(r"(.{2,}(?:公司|集团))(?:的)?(?:全资|控股)?(?:子公司|孙公司)")


def _trim_trailing_role(c: Candidate, text: str) -> Candidate:
    m = _TRAILING_ROLE.fullmatch(text, c.start, c.end) if c.label == "ORG" else None
    if m:
        c.end = m.end(1)
    return c


def _trim_leading_verb(stat: Candidate, doc: Doc, text: str) -> Candidate:
    """投用火山引擎 -> 火山引擎: the model sometimes takes in the verb before a name, or the role the
    company plays (合资公司X, 普通合伙人X)."""
    if stat.label == "PERSON":
        return stat
    # (text, not doc.text: spaCy joins the tokens anew on every doc.text, a cost per call that grows with the document)
    role = _LEADING_ROLE.match(text, stat.start, stat.end) if stat.label == "ORG" else None
    if role and stat.end - role.end() >= 4:
        stat.start = role.end()
    span = doc.char_span(stat.start, stat.end, alignment_mode="expand") or ()
    for tok, nxt in zip(span, span[1:]):
        word = tok.text
        # a one-character word (一网统管, 有孚网络) or a next word of one (运营|商) is too often a name's own start
        if (tok.idx != stat.start or len(word) < 2 or len(nxt.text) < 2 or stat.end - nxt.idx < 2
                or not (word in N.LEADING_VERBS or (word in N.STOP and is_non_name(word)))):
            break
        stat.start = nxt.idx
    return stat


_OWNED_FACILITY = re.compile(r"(.{2,}?(?:分公司|公司|集团))(.{4,})")


def _split_owner(stat: Candidate, text: str) -> list[Candidate]:
    """中国移动甘肃公司丝绸之路西北大数据产业园 -> the company, then its park: a facility with a name of
    its own, run by a firm named in full before it. A facility named after a brand (中国移动(甘肃·
    庆阳)数据中心, 百度智能云(济南)智算中心) is one name, and stays one."""
    if stat.label != "PROJECT":
        return [stat]
    m = _OWNED_FACILITY.fullmatch(text, stat.start, stat.end)
    if not m or not m.group(2).endswith(N.PROJECT_SUFFIXES) or m.group(2)[0] in N.OPEN_BRACKETS + "“\"":
        return [stat]
    own = m.group(2)
    own = own[: -len(_project_suffix(own))]  # the endswith test above guarantees one
    if len(own) < 2 or own in N.GENERIC:
        return [stat]  # 中国电信集团数据中心: the company's data centre, not a named one
    cut = m.end(1)
    return [Candidate(stat.start, cut, "ORG", stat.priority), Candidate(cut, stat.end, "PROJECT", stat.priority)]


_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日(?:消息|电|讯)")
# what the last character of a place's name can be: 成渝地区双城经济圈 is a place, 庆阳数字经济 is not
_PLACE_ENDS = "省市县区镇乡村州盟旗岛湾圈带港路街道山河湖江海城谷园口原坝峡堂馆场楼厦站桥"


_SECTORS = _GENERIC_WORDS + ("经济", "发展")


def _split_place(stat: Candidate, known: list[Candidate], text: str) -> list[Candidate]:
    """Known places the model ran into the next words: 央广网兰州5月17日消息 is the outlet and the
    dateline's city; 庆阳数字经济产业 is the place and its economy."""
    if stat.label not in ("ORG", "LOC"):
        return [stat]
    places = [k for k in known if k.label == "LOC" and stat.start <= k.start and k.end <= stat.end]
    if stat.label == "ORG":
        last = next((k for k in places if k.end == stat.end and k.start - stat.start >= 2), None)
        if last and _DATELINE.match(text, stat.end):
            return [Candidate(stat.start, last.start, "ORG", stat.priority), Candidate(last.start, last.end, "LOC", stat.priority)]
        return [stat]
    first = next((k for k in places if k.start == stat.start and k.end < stat.end), None)
    rest = text[first.end:stat.end] if first else ""
    # only a sector after the place (庆阳数字经济, 贵州大数据): an address (…路88号) or a firm's or
    # facility's name the model took for a place is left to the other stages
    if (first and rest.startswith(_SECTORS) and rest[-1] not in _PLACE_ENDS
            and not rest.endswith(N.ORG_SUFFIXES + N.PROJECT_SUFFIXES) and not any(k.start >= first.end for k in places)):
        return [Candidate(first.start, first.end, "LOC", stat.priority)]
    return [stat]


def _retype(stat: Candidate, known: list[Candidate], text: str) -> Candidate:
    """A place or person does not hold a known organisation, project or product name: the model
    read 通义千问大模型 as a place, the gazetteer knows 通义千问 is a model. Places do sit inside
    names of every type (甘肃庆阳市东数西算产业园), so only LOC and PERSON spans are retyped."""
    if stat.label not in ("LOC", "PERSON"):
        return stat
    held = {k.label for k in known if stat.start <= k.start and k.end <= stat.end and k.label not in ("LOC", stat.label)}
    if len(held) == 1:
        stat.label = held.pop()
    elif stat.label == "LOC" and stat.end - stat.start > 4:
        # 上海大名城企业股份有限公司, 上海证券交易所, X科技服务有限公司智算中心 read as places: the
        # ending says what they are
        name = text[stat.start:stat.end]
        if _FACILITY_ENDING.search(name):
            stat.label = "PROJECT"
        elif name.endswith(N.ORG_SUFFIXES + ("交易所",)):
            stat.label = "ORG"
    return stat


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Greedy choice of non-overlapping candidates: longest first, then by priority, then leftmost."""
    taken: list[Candidate] = []
    occupied = bytearray(max((c.end for c in cands), default=0) + 1)
    for c in sorted(cands, key=lambda c: (-c.length, -c.priority, c.start)):
        if c.length <= 0 or any(occupied[c.start:c.end]):
            continue
        occupied[c.start:c.end] = b"\x01" * c.length
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def short_forms(full: str, lexicon: Lexicon) -> list[str]:
    """上海燧原科技股份有限公司 -> 燧原科技, 燧原: the forms a company is called by after first mention."""
    if not full.endswith(N.LEGAL_FORMS):
        return []
    name = full
    for form in N.LEGAL_FORMS:
        if name.endswith(form):
            name = name[: -len(form)]
            break
    name = re.sub(r"[(（][^)）]{1,10}[)）]", "", name)
    # drop leading place names: 上海燧原 -> 燧原
    changed = True
    while changed:
        changed = False
        for n in range(min(6, len(name) - 2), 1, -1):
            entry = lexicon.lookup(name[:n])
            if entry and entry.label == "LOC":
                name, changed = name[n:], True
                break
    out = []
    if len(name) >= 2 and name != full:
        out.append(name)
    for word in N.INDUSTRY_WORDS:
        if name.endswith(word) and len(name) - len(word) >= 2:
            out.append(name[: -len(word)])
            break
    return [s for s in out if s not in N.GENERIC]


def _split_tokens(doc: Doc, boundaries: set[int]) -> Doc:
    """Split pkuseg words so that every boundary falls between tokens."""
    ordered = sorted(boundaries)
    with doc.retokenize() as retok:
        for tok in doc:
            end = tok.idx + len(tok.text)
            inner = ordered[bisect_right(ordered, tok.idx):bisect_left(ordered, end)]
            cuts = [b - tok.idx for b in inner]
            if not cuts:
                continue
            pieces = [tok.text[i:j] for i, j in zip([0] + cuts, cuts + [len(tok.text)])]
            retok.split(tok, pieces, heads=[(tok, k) for k in range(len(pieces))])
    return doc
