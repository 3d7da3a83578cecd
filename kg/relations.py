"""Relations between entities: who supplies, invests in, deploys at, partners with, owns, runs what.

Registered as the spaCy component `kg_relations`; its results are `doc._.kg_relations`, a list of
`Relation`. Three sources, each general to the genre:

1. links implicit in names (中国移动甘肃公司庆阳分公司 subsidiary-of 中国移动甘肃公司; a data centre
   named after its operator; a place in brackets);
2. pattern rules over a *masked* sentence, where each entity mention is one placeholder character
   carrying its type, so that a rule reads like the construction it stands for
   (`{H:ORG|PRODUCT} … 在 {T:PROJECT|LOC} … 落地` -> deployed-at);
3. reference resolution before matching: 我们/我司 inside a quotation is the speaker's organisation,
   该公司/公司 the organisation last introduced.

Every relation carries its evidence sentence (offsets into the document) and the amount, quantity
and date the sentence states.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc

from . import names as N
from .component import Stateless
from .lexicon import Lexicon, load_lexicon

RELATIONS = ("supplier-of", "invested-in", "deployed-at", "partner-of", "subsidiary-of", "located-in", "operates")
SYMMETRIC = {"partner-of"}

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=None)


@dataclass(frozen=True)
class Arg:
    """One side of a relation: a mention in the text, or a name inferred from one (start=end=-1)."""

    text: str
    label: str
    start: int = -1
    end: int = -1
    canonical: Optional[str] = None


@dataclass
class Relation:
    head: Arg
    relation: str
    tail: Arg
    evidence: tuple[int, int]
    confidence: float
    attributes: dict = field(default_factory=dict)
    implicit: bool = False
    rule: str = ""


# ------------------------------------------------------------------------ sentences
_SENT_END = re.compile(r"[。！？!?；;]+[”’\"」』)）]?|\n+")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Sentence offsets; a closing quote after 。 stays with its sentence."""
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            yield _strip(text, start, end)
        start = end
    if text[start:].strip():
        yield _strip(text, start, len(text))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


# ------------------------------------------------------------------------ attributes
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(多|余)?\s*(万亿|亿|千万|百万|万)?\s*(元|美元|人民币)")
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(多|余)?\s*(万|千)?\s*(架|台|卡|张|套|个机柜|个|块|颗|平方米|亩|兆瓦|(?:PFLOPS|P|EFLOPS|E|MW)(?![A-Za-z]))")
# the Latin units must end there (P is not PB), but a Chinese unit may run into a Latin word: 1200架IDC机柜
_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?(?:\s*(\d{1,2})\s*日)?")
_SCALE = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3, None: 1}


def _scaled(number: str, unit: Optional[str]) -> float:
    # decimal arithmetic: 2.3亿 is 230000000, not 229999999.99999997
    return float(Decimal(number) * _SCALE[unit])


def attributes(sentence: str, near: Optional[Iterable[int]] = None, owners: Iterable[int] = ()) -> dict:
    """Amount (in yuan), quantity and date stated in an evidence sentence.

    `near`: offsets in the sentence of the link's ends; where the sentence states several
    quantities (4000卡国产芯片, 服务器500台) the link's is the one closest to them.
    `owners`: offsets of the other firms and products of the sentence; a quantity in a clause that
    names one of them and neither end of the link is theirs (金山云…落地2个集群，A、B等企业也相继落地:
    the two clusters are 金山云's, not A's)."""
    out: dict = {}
    m = _AMOUNT.search(sentence)
    if m:
        out["amount"] = _scaled(m.group(1), m.group(3))
        out["amount_text"] = m.group(0).replace(" ", "")
        out["currency"] = "USD" if m.group(4) == "美元" else "CNY"
    quantities = [q for q in _QUANTITY.finditer(sentence) if not (m and q.start() >= m.start() and q.end() <= m.end())]
    if owners:
        anchors = list(near or ())
        quantities = [q for q in quantities if not _owned_by_another(sentence, q.start(), anchors, owners)]
    if quantities:
        q = quantities[0]
        if near:
            anchors = list(near)
            q = min(quantities, key=lambda x: min(abs(x.start() - a) for a in anchors))
        out["quantity"] = _scaled(q.group(1), q.group(3))
        out["quantity_unit"] = q.group(4)
        out["quantity_text"] = q.group(0).replace(" ", "")
    d = _DATE.search(sentence)
    if d:
        year, month, day = d.group(1), d.group(2), d.group(3)
        out["date"] = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if month and day else "")
    return out


def _owned_by_another(sentence: str, pos: int, ends: list[int], owners: Iterable[int]) -> bool:
    start = max(sentence.rfind(ch, 0, pos) for ch in "，,；;") + 1
    stops = [i for i in (sentence.find(ch, pos) for ch in "，,；;") if i >= 0]
    end = min(stops, default=len(sentence))
    return any(start <= o < end for o in owners) and not any(start <= a < end for a in ends)


# ------------------------------------------------------------------------ masked sentences
_PUA = 0xE000  # placeholders are private-use characters, one per mention
# Each label has its own block of them, so that "an ORG or a PROJECT" is the same character class in
# every sentence and a rule's regex is compiled once, not once per sentence: per-sentence classes
# made re.compile half of the relation stage's time on a long document.
_BLOCK = 0x400
_LABEL_BLOCKS = ("ORG", "PROJECT", "LOC", "PRODUCT", "PERSON")
_OTHER_BLOCK = len(_LABEL_BLOCKS)  # any other label; six blocks end at 0xF800, inside the private-use area


def _block(label: str) -> int:
    return _LABEL_BLOCKS.index(label) if label in _LABEL_BLOCKS else _OTHER_BLOCK


def _block_class(labels: str) -> str:
    """The character class of the placeholders of `labels` ('ORG|PROJECT', or 'ANY')."""
    wanted = labels.split("|")
    blocks = range(_OTHER_BLOCK + 1) if "ANY" in wanted else sorted({_block(label) for label in wanted})
    return "[" + "".join(f"{chr(_PUA + b * _BLOCK)}-{chr(_PUA + (b + 1) * _BLOCK - 1)}" for b in blocks) + "]"


_ALIAS = re.compile(r"[(（](?:以下|下文)?(?:简称|下称)[^()（）]{0,30}[)）]")


class Masked:
    """A sentence with every mention replaced by one placeholder character."""

    def __init__(self, text: str, start: int, end: int, mentions: list[Arg]):
        self.mentions: list[Arg] = []
        self._by_char: dict[str, Arg] = {}
        used = [0] * (_OTHER_BLOCK + 1)
        out, pos = [], start
        for arg in sorted(mentions, key=lambda a: a.start):
            b = _block(arg.label)
            # (a "sentence" of over a thousand names of one type is no prose: the rest are text)
            if arg.start < pos or arg.end > end or used[b] == _BLOCK:
                continue
            out.append(text[pos:arg.start])
            ch = chr(_PUA + b * _BLOCK + used[b])
            used[b] += 1
            out.append(ch)
            self.mentions.append(arg)
            self._by_char[ch] = arg
            pos = arg.end
            # A(简称“甲”)、B(简称“乙”): the short name a text gives goes with its mention, so that a
            # list and a rule read across it
            alias = _ALIAS.match(text, pos, end)
            if alias:
                pos = alias.end()
        out.append(text[pos:end])
        self.string = "".join(out)

    def arg(self, ch: str) -> Arg:
        return self._by_char[ch]

    def is_mention(self, ch: str) -> bool:
        return ch in self._by_char

    def has(self, labels: str) -> bool:
        """Whether the sentence holds a mention whose label is in `labels` (e.g. 'ORG|PROJECT')."""
        wanted = set(labels.split("|"))
        return "ANY" in wanted and bool(self.mentions) or any(a.label in wanted for a in self.mentions)


# A rule: relation, pattern, confidence. In patterns {H:LABELS} and {T:LABELS} are the head and
# tail placeholders, {E:LABELS} any other mention, `…` a stretch of up to 20 characters inside
# one clause, `‥` up to 4, `⋯` up to 40 that may cross a comma, `⊣` "not after a preposition".
RULES: list[tuple[str, str, float]] = [
    # supply
    ("supplier-of", r"{T:ORG}⋯采购(?:了)?…{H:ORG}的", 0.8),
    ("supplier-of", r"{T:ORG}…向{H:ORG}…(?:采购|购买|订购)", 0.8),
    ("supplier-of", r"{H:ORG}…(?:中标|中选|入围|斩获|拿下|承接)(?:了)?…{T:ORG}", 0.7),
    ("supplier-of", r"{T:ORG}…(?:的)?[^，。]{0,12}(?:项目|采购|集采|招标)…(?:中标(?:单位|人|方|候选人)?|成交(?:供应商|单位)?)(?:为|是|：|:)?{H:ORG}", 0.75),
    ("supplier-of", r"{H:ORG}…(?:为|向|给)…{T:ORG}…(?:提供|供应|交付|供货|配套)", 0.65),
    ("supplier-of", r"⊣{T:ORG}…(?:选用|采用|选择)(?:了)?…{H:ORG}的", 0.6),
    ("supplier-of", r"{H:ORG}…与{T:ORG}…签(?:订|署)(?:了)?…(?:采购|供货|销售|服务|建设|施工|总承包|EPC)合同", 0.6),
    # builders and contractors supply the project they build (由A承建的X, A承建X)
    ("supplier-of", r"由{H:ORG}(?:(?:、|和|及){E:ORG})*…(?:承建|建设|总承包|施工|设计施工)的…{T:PROJECT}", 0.65),
    ("supplier-of", r"{H:ORG}…(?:承建|总承包|中标)(?:了)?…{T:PROJECT}", 0.6),
    # investment
    # (not a title's word: 签署《共建X合作框架协议》 names an agreement, not what its parties built)
    ("invested-in", r"{H:ORG}[^《，,。；;！？!?\n]{0,20}?(?:共建|合建|联合建设|共同建设|共同投资|合资建设)(?:的)?…{T:PROJECT}", 0.6),
    ("invested-in", r"{H:ORG}⋯(?:投资|总投资|加码投资)[^，,。；;]{0,12}?(?:元)?[，,]?在{T:LOC}…(?:建设|打造|布局)", 0.7),
    ("invested-in", r"{H:ORG}…在{T:LOC|PROJECT}…(?:投资|设立|成立|注册|落地|新建|建设)(?:了)?…(?:全资|控股)?(?:子公司|公司|项目|基地|总部)", 0.75),
    # (not a ranking: 湖南投资最大的X项目)
    ("invested-in", r"{H:ORG}…(?:投资|出资|注资|增资|入股|参股|持股|收购|并购|领投|跟投)(?!最)(?:了)?(?:建设)?…{T:ORG|PROJECT|LOC}", 0.7),
    ("invested-in", r"{H:ORG}…(?:向|对){T:ORG|PROJECT}…(?:投资|注资|增资)", 0.75),
    ("invested-in", r"{H:ORG}(?:在|于|落户){T:LOC}…(?:投资|总投资)", 0.65),
    # (not an authority that approved it: A批复建设的X)
    ("invested-in", r"{H:ORG}…(?<!批复)(?<!批准)(?:建设|打造|投建|兴建)的…{T:PROJECT}", 0.55),
    ("invested-in", r"{H:ORG}…(?:搭建|构建)(?:了)?…{T:PROJECT}", 0.6),
    # A与B(、C)共同设立T: every founder invests; the one after 与 is reached by the second rule
    ("invested-in", r"{H:ORG}(?:(?:与|和|、|联合|携手){E:ORG})+…(?:共同|联合|合资|三方|双方)…(?:投资)?(?:设立|成立|组建|出资|发起|注册)(?:了)?(?:的)?…{T:ORG|PROJECT}", 0.65),
    ("invested-in", r"{E:ORG}…(?:与|和|联合|携手){H:ORG}…(?:共同|联合|合资|三方|双方)…(?:投资)?(?:设立|成立|组建|出资|发起|注册)(?:了)?(?:的)?…{T:ORG|PROJECT}", 0.65),
    ("invested-in", r"{H:ORG}…(?:持有|取得|收购)(?:了)?…{T:ORG}(?:的)?[^，,。]{0,10}?股(?:权|份)", 0.7),
    # the passive (X获A投资) and a founder's share of the capital (A认缴出资175万元,占X注册资本的35%;
    # a person may be a founder)
    ("invested-in", r"{T:ORG}[，,]?(?:获|获得)(?:了)?{H:ORG}(?:(?:、|和|及){E:ORG})*(?:等)?(?:的)?[^，,。；;]{0,6}?(?:投资|注资|增资|入股|领投)", 0.7),
    ("invested-in", r"{H:ORG|PERSON}(?:以[^，,。；;]{0,10}?)?(?:认缴|实缴)?出资[^；;。]{0,30}?占{T:ORG}(?:的)?(?:注册资本|股权|股份)", 0.75),
    # T由A(与B)投资建设 / 由A和B共同规划建设T: 与 joins the investors here (see _JOINERS)
    # (a comma may follow the facility, and a government may be among the co-agents: X项目,由A与B区
    # 共同建设运营; building alone is a contractor's word, 共同建设 an owner's; not X落户Y,由A共同建设Z,
    # where the verb has an object of its own)
    ("invested-in", r"{T:PROJECT}…[，,]?由{H:ORG}(?:(?:、|和|与|及){E:ORG|LOC})*‥(?:(?:主体|共同|联合)?(?:规划)?(?:投资|出资|投建|建设运营|投资建设)|(?:共同|联合)(?:规划)?(?:建设|设立|构建|打造|组建))(?!(?:了)?[\ue000-\uf8ff])", 0.65),
    ("invested-in", r"由{H:ORG}(?:(?:、|和|与|及){E:ORG})*‥(?:主体|共同|联合)(?:规划)?(?:投资|出资|投建|建设)(?:建设|运营)?(?:的)?…{T:PROJECT}", 0.65),
    # a company or fund founded by others: X由A和B共同(出资)设立, X由A出资成立
    ("invested-in", r"{T:ORG}[，,]?由{H:ORG}(?:(?:、|和|与|及){E:ORG})*‥(?:(?:共同|联合|合资)(?:出资|投资)?|出资|投资)(?:设立|成立|组建|发起设立)(?!(?:了)?[\ue000-\uf8ff])", 0.65),
    ("invested-in", r"{H:ORG}‥(?:将|拟|计划|决定)?在{T:LOC}(?:布局|投资|投建|新建|兴建)", 0.65),
    # what a firm builds or lands in a place is its investment: A先后在B落地了X、Y等项目, A将在B建设和运营X
    ("invested-in", r"{H:ORG}…在{E:LOC}(?:{E:LOC})*‥(?:落地|建设|打造|布局|新建|投建|兴建|投资建设)(?:和运营|并运营)?(?:了)?‥{T:PROJECT}", 0.6),
    # deployment: the verb follows the place closely (在X落地), and a subsidiary is an investment
    ("deployed-at", r"{H:ORG|PRODUCT}…(?:已|已经|正式|将|成功)?在{T:PROJECT|LOC|ORG}‥(?:落地|部署|上架|上线|投运)(?!(?:了)?(?:全资|控股)?(?:子公司|分公司|公司))", 0.7),
    ("deployed-at", r"{H:PRODUCT|ORG}…(?:部署|落地|落户|入驻|上架)(?:在|于|至|到){T:PROJECT|LOC|ORG}", 0.75),
    ("deployed-at", r"⊣{T:ORG|PROJECT}…(?:部署|接入|上线|引入|搭建|应用)(?:了)?…{H:PRODUCT}", 0.7),
    ("deployed-at", r"⊣{T:ORG|PROJECT}⋯(?:完成|实现|开展|启动)(?:了)?…{H:PRODUCT}[^，,。]{0,8}?(?:部署|上线|接入)", 0.6),
    ("deployed-at", r"^在{T:ORG|PROJECT}⋯(?:部署|接入|上线|引入|搭建|应用|依托)⋯{H:PRODUCT}", 0.6),
    # a place that switches a model on: 深圳…全面启用DeepSeek, 临沂、烟台…政务系统接入DeepSeek
    # the place opens its clause (深圳宣布…); 在庆阳市，X接入… sets the scene for X, the one that
    # deploys, and 庆阳子站接入… names a part of something
    ("deployed-at", r"(?<![\u3400-\u9fff]){T:LOC}(?:(?:、|和|及){E:LOC})*(?:等地)?…(?:部署|接入|上线|启用|引入|应用)(?:了)?…{H:PRODUCT}", 0.6),
    # firms that move into a facility or a zone: 15个生态伙伴签约入驻X
    ("deployed-at", r"{H:ORG}…(?:签约)?(?:入驻|进驻|落户)(?:了)?{T:PROJECT|LOC}", 0.65),
    # a zone or facility that brought firms in: 和林格尔新区已引入中国移动、中国电信…等数据中心项目
    ("deployed-at", r"⊣{T:LOC|PROJECT}…(?:引进|引入|集聚|聚集|汇聚|吸引)(?:了)?(?:包括)?‥{H:ORG}", 0.55),
    # systems a cloud carries: 移动云上现承载有A、B等系统
    ("deployed-at", r"{T:PROJECT|PRODUCT|ORG}上?(?:现|已|目前)?(?:承载|运行|部署)(?:有|了|着)?{H:PROJECT|PRODUCT}", 0.6),
    # partnership (the first party is no object of 与 itself: in 已与A签订…,与B签订…, A and B each
    # partner the subject, not each other)
    ("partner-of", r"⊣{H:ORG}…(?:与|和|同|跟)(?:{E:ORG}、)*{T:ORG}…(?:合作|签约|签署|签订|战略|携手|共建|联合)", 0.7),
    ("partner-of", r"{H:ORG}…(?:联合|携手|牵手|协同){T:ORG}", 0.7),
    ("partner-of", r"⊣{H:ORG}⋯与(?:{E:ORG}、)*{T:ORG}(?:、{E:ORG})*等?…(?:达成|签署|签订)(?:了)?…合作", 0.6),
    # a government and a firm sign: 成都高新区与腾讯集团签署…协议, 省政府与360集团、金山软件签订…
    ("partner-of", r"(?<![\u3400-\u9fff]){H:LOC}(?:人民政府|政府)?(?:与|和|同)(?:{E:ORG}、)*{T:ORG}…(?:签署|签订|签约|携手|合作|共建)", 0.6),
    # and a firm that signs with a place: 浪潮集团与厦门市签署合作协议, A与双流区签订投资合作协议
    ("partner-of", r"{H:ORG}…(?:与|和|同)(?:{E:ORG}、)*{T:LOC}(?:人民政府|政府|管委会)?‥(?:签署|签订|签约|携手|合作|共建)", 0.6),
    # co-agents are partners: A与B、C共同构建…, A和B组成联合体 (与 joins them here, see _JOINERS)
    # (not a meeting's attendees: A、B等人员共同参加)
    ("partner-of", r"由?{H:ORG}(?:与|和|及|、){T:ORG}(?:(?:、|和|及|与){E:ORG})*(?:等)?[^，,。]{0,4}?(?:共同(?!参加|出席|见证)|组成联合体|联合体)", 0.6),
    # ownership
    # the owner is the firm nearest the word: in A与B旗下子公司C, C is B's
    ("subsidiary-of", r"{T:ORG}(?:(?!{E:ORG})[^，,。；;！？!?\n]){0,20}?(?:全资|控股)?(?:子公司|分公司)[—\-–:：]*{H:ORG}", 0.8),
    ("subsidiary-of", r"{T:ORG}(?:旗下|下属|控股|的全资子公司|的子公司)(?:的)?{H:ORG}", 0.8),
    ("subsidiary-of", r"{H:ORG}(?:是|为|系){T:ORG}(?:的)?(?:全资|控股)?子公司", 0.85),
    ("subsidiary-of", r"{H:ORG}(?:隶属于|隶属|归属于)‥{T:ORG}", 0.75),
    ("subsidiary-of", r"{H:ORG}[，,]?由{T:ORG}(?:全资|绝对|相对)?控股", 0.75),
    # location and operation
    ("located-in", r"{H:ORG|PROJECT}…(?:位于|坐落于|地处|落户)(?:在)?{T:LOC}", 0.8),
    ("located-in", r"^在{T:LOC}[，,]⋯{H:PROJECT}", 0.5),
    # the apposition after a comma: X(项目),位于Y境内 (but not X,位于Y的Z: Z is what is there)
    ("located-in", r"{H:ORG|PROJECT}(?:项目)?[，,](?:位于|坐落于|地处)(?:在)?{T:LOC}(?!(?:{E:LOC})*[^，,。；;]{0,12}?的)", 0.75),
    ("located-in", r"位于{T:LOC}(?:{E:LOC})*[^，,。]{0,12}?的{H:PROJECT|ORG}", 0.75),
    ("located-in", r"{H:PROJECT}…(?:选址|布局|分布)(?:在|于)(?:了)?{T:LOC}", 0.7),
    # the facility may stand apart from where its ceremony happened (X项目,20日在Y开工) and the
    # place may be named twice (在A——B开工)
    ("located-in", r"{H:PROJECT}(?:项目)?(?:开工|奠基|揭牌|签约|启动|落成|投产|投运|竣工)?(?:仪式|活动)?…(?:[，,][^，,。在]{0,6}?)?在(?:[^，,。在]{0,16}?——)?{T:LOC}[^，,。]{0,12}?(?:举行|开工|奠基|启动|揭牌|落成|开园|点亮|上线|投运)", 0.7),
    # 在Y为X项目奠基: the ceremony's place is the facility's
    ("located-in", r"在{T:LOC}‥为{H:PROJECT}(?:项目)?(?:举行)?(?:奠基|揭牌|开工|落成|开园)", 0.7),
    ("located-in", r"在{T:LOC}(?:落地|建设|建成|打造|布局|开工建设)(?:了)?‥{H:PROJECT}", 0.65),
    # the facility as the subject that is built in the places: X先期在A、B、C建设起步区 (not a noun:
    # X是东数西算在A的核心布局)
    ("located-in", r"{H:PROJECT}(?:项目)?…(?:将|拟|计划|先期|首期|已|正)?在{T:LOC}(?:(?:、|和|及){E:LOC})*(?:等地)?[^，,。；;的]{0,4}?(?:建设|建成|布局|落地|开工|选址)", 0.6),
    # 在贵安新区腾讯数据中心: a place right before a facility's name
    ("located-in", r"{T:LOC}(?:的)?{H:PROJECT}", 0.6),
    ("operates", r"{H:ORG}…(?:推出|运营|打造|上线|开通)(?:了)?…{T:PROJECT}", 0.6),
    ("operates", r"^在{H:ORG}[，,]⋯{T:PROJECT}", 0.5),
    # X由A、B与C共同建设运营: each organisation of those who run it (not the park X stands in)
    ("operates", r"(?<!位于)(?<!落户)(?<!在){T:PROJECT}⋯由(?:[\ue000-\uf8ff](?:、|和|与|及))*{H:ORG}(?:(?:、|和|与|及)[\ue000-\uf8ff])*‥(?:共同|负责)?(?:投资)?(?:建设)?(?:和)?运营", 0.6),
    # an organisation's name right before a facility's: 中国移动甘肃公司丝绸之路西北大数据产业园
    ("operates", r"{H:ORG}{T:PROJECT}", 0.6),
]

_GAP = {
    "…": r"[^，,。；;！？!?\n]{0,20}?",
    "⋯": r"[^。；;！？!?\n]{0,40}?",
    "‥": r"[^，,。；;！？!?\n]{0,4}?",
    # the mention that follows is not the object of a preposition: in A联合B搭建X, B is not the host
    "⊣": r"(?<!与)(?<!和)(?<!同)(?<!跟)(?<!联合)(?<!携手)(?<!依托)(?<!协助)(?<!通过)",
}


class RelationRules(Stateless):
    def __init__(self, nlp: Language, name: str, alias_file: Optional[str] = None):
        self.name = name
        self.lexicon: Lexicon = load_lexicon(alias_file)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        mentions = [Arg(e.text, e.label_, e.start_char, e.end_char, (doc._.kg_canonical or {}).get((e.start_char, e.end_char))) for e in doc.ents]
        mentions = actors(text, mentions)
        spans = list(sentences(text))
        rels: list[Relation] = []
        rels += self._implicit(text, spans, mentions)
        references = self._references(text, mentions)
        by_sentence: dict[int, list[Arg]] = {}
        for m in mentions + references:
            i = sentence_index(spans, m.start)
            if i is not None and m.end <= spans[i][1]:
                by_sentence.setdefault(i, []).append(m)
        for i, inside in sorted(by_sentence.items()):
            if len(inside) >= 2:
                rels += self._match(text, spans[i][0], spans[i][1], inside, self.lexicon)
        rels += tender_links(text, spans, by_sentence)
        rels += owner_links(text, spans, mentions)
        rels += address_links(text, spans, mentions, self.lexicon)
        place = focal_place(mentions, self.lexicon)
        if place is not None:
            rels += focal_place_links(spans, mentions, rels, place)
        # firms listed as brought in say the article is local news: a place counted inside names
        # is enough there, while it placed too many facilities wrongly (kg/models/rel/MODEL_CARD.md)
        host = focal_place(mentions, self.lexicon, inside_names=True)
        if host is not None:
            rels += brought_in_links(text, spans, mentions, rels, host)
        doc._.kg_relations = _dedupe(not_in_its_own_jurisdiction(not_in_a_country(rels, self.lexicon), self.lexicon))
        return doc

    # -------------------------------------------------------------------- names
    def _implicit(self, text: str, spans: list[tuple[int, int]], mentions: list[Arg]) -> list[Relation]:
        """Links stated inside a name: branches, operators of facilities, places in brackets."""
        out = []
        by_text: dict[str, Arg] = {}
        for m in mentions:
            by_text.setdefault(m.text, m)
        orgs = [m for m in mentions if m.label == "ORG"]
        for m in mentions:
            if by_text.get(m.text) is not m:
                continue  # one inference per distinct name
            i = sentence_index(spans, m.start)
            sent = spans[i] if i is not None else (0, len(text))
            name = m.text
            parent = None
            if m.label == "ORG":
                parent = branch_parent(name, self.lexicon)
                if parent is None and m.canonical:
                    # the gazetteer knows the parent; the text states it only if the name contains it
                    entry = self.lexicon.entry_for_canonical(m.canonical)
                    if entry and entry.parent and entry.label == "ORG" and any(
                        alias in name for alias in self.lexicon.aliases.get(entry.parent, {entry.parent})
                    ):
                        parent = Arg(entry.parent, "ORG", canonical=entry.parent)
                if parent:
                    out.append(Relation(m, "subsidiary-of", parent, sent, 0.9, implicit=True, rule="name:branch"))
            in_brackets = bracketed_place(name, self.lexicon) if m.label in ("PROJECT", "ORG") else None
            if in_brackets:
                out.append(Relation(m, "located-in", in_brackets, sent, 0.85, implicit=True, rule="name:bracket-place"))
            if m.label == "PROJECT":
                operator = (leading_org(name, self.lexicon) or mentioned_operator(name, orgs, self.lexicon)
                            or platform_operator(m, self.lexicon))
                if operator:
                    out.append(Relation(operator, "operates", m, sent, 0.8, implicit=True, rule="name:operator"))
                if not in_brackets:
                    # 兴业银行贵安新区数据中心: the place may follow the operator's name, and in a
                    # facility's name any other prefix (国家超算济南中心, 并行科技内蒙古新型算力基地)
                    place = leading_place(name, self.lexicon) or (
                        operator and name.startswith(operator.text) and leading_place(name[len(operator.text):], self.lexicon)) or (
                        name.endswith(_FACILITY_ENDINGS) and inner_place(name, self.lexicon))
                    if place and _is_province(place, self.lexicon):
                        # 甘肃庆阳数据中心 is in 庆阳 and 中国农业银行内蒙古数据中心 in 内蒙古 (the most specific
                        # place its name gives, as the annotations mark it), but 四川省核酸检测系统 is a
                        # province's own system, not a building in it
                        after = name[name.find(place.text) + len(place.text):]
                        facility = name.endswith(_FACILITY_ENDINGS) and not name.endswith("大数据中心")  # a data bureau
                        place = leading_place(after, self.lexicon) or (place if facility else None)
                    if place:
                        rule = "name:leading-place" if name.startswith(place.text) else "name:inner-place"
                        out.append(Relation(m, "located-in", place, sent, 0.7, implicit=True, rule=rule))
        return out

    # -------------------------------------------------------------------- references
    @staticmethod
    def _references(text: str, mentions: list[Arg]) -> list[Arg]:
        """我们 in a quotation -> the speaker's organisation; 该公司 -> the last organisation named."""
        orgs = [m for m in mentions if m.label == "ORG"]
        people = [m for m in mentions if m.label == "PERSON"]
        affiliation = person_affiliations(text, orgs, people)
        out = []
        for q in re.finditer(r"“([^”]{4,})”", text):
            speaker = _speaker(text, q, people)
            org = affiliation.get(speaker.text) if speaker else None
            if not org:
                continue
            for r in re.finditer(r"我们公司|我们|我司|本公司", q.group(1)):
                s = q.start(1) + r.start()
                out.append(Arg(r.group(), "ORG", s, s + len(r.group()), org.canonical or org.text))
        for r in re.finditer(r"该公司|该企业|该集团|该基金", text):
            # a fund is the last fund named: the firms around it are its backers
            before = [o for o in orgs if o.end <= r.start() and (r.group() != "该基金" or o.text.endswith("基金"))]
            if before:
                ref = before[-1]
                out.append(Arg(r.group(), "ORG", r.start(), r.end(), ref.canonical or ref.text))
        # 该项目/该中心, and 项目 opening a sentence (项目位于…, 项目总投资…): the facility last named,
        # not a programme (东数西算) named in between
        projects = [m for m in mentions if m.label == "PROJECT" and m.text.endswith(_FACILITY_ENDINGS + N.PROJECT_SUFFIXES)]
        for r in _PROJECT_REFERENCE.finditer(text):
            before = [p for p in projects if p.end <= r.start()]
            if before:
                ref = before[-1]
                out.append(Arg(r.group(), "PROJECT", r.start(), r.end(), ref.canonical or ref.text))
        out += _issuer_references(text, orgs)
        out += _carried_subjects(text, mentions)
        taken = {(m.start, m.end) for m in mentions}
        return [a for a in out if (a.start, a.end) not in taken and not any(m.start < a.end and a.start < m.end for m in mentions)]

    # -------------------------------------------------------------------- rules
    @staticmethod
    def _match(text: str, s: int, e: int, inside: list[Arg], lexicon: Optional[Lexicon] = None) -> list[Relation]:
        masked = Masked(text, s, e, inside)
        sentence = text[s:e]
        attrs = attributes(sentence)
        out = []
        for relation, pattern, confidence in RULES:
            rx = _compile(pattern, masked)
            if rx is None:
                continue
            # a rule that opens on a mention is tried where mentions start, an anchored one (^在…)
            # at the start, one that opens on a word (由…承建) everywhere
            if pattern.startswith("^"):
                starts = [0]
            elif pattern.startswith(("{", "⊣")):
                starts = [i for i, ch in enumerate(masked.string) if masked.is_mention(ch)]
            else:
                starts = range(len(masked.string))
            for start in starts:
                m = rx.match(masked.string, start)
                if not m:
                    continue
                head, tail = masked.arg(m.group("H")), masked.arg(m.group("T"))
                if relation != "subsidiary-of" and _OWNER_OF_NEXT.match(masked.string, m.end("H")) and m.end("H") < m.start("T"):
                    continue  # A控股子公司B与C签约: B acts, A only owns it
                if relation in ("deployed-at", "invested-in", "located-in") and tail.label in ("ORG", "LOC"):
                    # 部署在中国移动甘肃公司丝绸之路西北大数据产业园: the place is the facility, not its owner
                    nxt = m.end("T")
                    if nxt < len(masked.string) and masked.is_mention(masked.string[nxt]) and masked.arg(masked.string[nxt]).label == "PROJECT":
                        tail = masked.arg(masked.string[nxt])
                tpos = m.start("T")
                if relation in _MOST_SPECIFIC and tail.label == "LOC":
                    # 在山东青岛崂山区举行: a run of places narrows down; the link is to the last
                    # (for located-in, to the wider ones too)
                    run = [tpos]
                    while tpos + 1 < len(masked.string) and masked.is_mention(masked.string[tpos + 1]) and masked.arg(masked.string[tpos + 1]).label == "LOC":
                        tpos += 1
                        run.append(tpos)
                    tail = masked.arg(masked.string[tpos])
                    if relation == "located-in":
                        # 位于济南历城区: in the city as well as in the district; a province says little
                        wider = [masked.arg(masked.string[p]) for p in run[:-1]]
                        wider = [a for a in wider if not _is_province(a, lexicon or load_lexicon(None))]
                        for h in _coordinated(masked, m.start("H"), head):
                            out += [Relation(h, relation, t, (s, e), confidence, dict(attrs), rule=pattern)
                                    for t in wider if _resolved(h) != _resolved(t)]
                joiners = _JOINERS if "由" in pattern or "共同" in pattern else "、和及"
                for h in _coordinated(masked, m.start("H"), head, joiners):
                    for t in _coordinated(masked, tpos, tail):
                        if h.start != t.start and _resolved(h) != _resolved(t):
                            out.append(Relation(h, relation, t, (s, e), confidence, dict(attrs), rule=pattern))
        return out


# A news outlet in its dateline (本报讯, 科技日报讯(记者…), 中新网宜昌9月20日电) reports the story and
# is no party to it; the names that open the story after it would read as its partners or investments.
_DATELINE = re.compile(r"讯\s*[(（:：\s]|(?:客户端)?\s*[\u4e00-\u9fff]{0,6}\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*电")


def actors(text: str, mentions: list[Arg]) -> list[Arg]:
    """The mentions that may be a relation's ends: not an outlet named in a dateline."""
    return [m for m in mentions if not (m.label == "ORG" and (
        _DATELINE.match(text, m.end) or (m.text.endswith(("报讯", "网讯", "社讯")) and _DATELINE.match(text, m.end - 1))))]


# ------------------------------------------------------------------------ the article's place
# Where a firm or facility is, what is deployed where and what a firm invests in name a region, a
# city or a zone: a country there is the firm's nationality (美国亚马逊将在中卫投资) or the whole
# market (苹果落户中国的第二个数据中心), not the place of the link.
_PLACE_TAILS = ("located-in", "deployed-at", "invested-in")


def not_in_a_country(rels: list[Relation], lexicon: Lexicon) -> list[Relation]:
    def country(arg: Arg) -> bool:
        entry = lexicon.lookup(arg.text) or (arg.canonical and lexicon.lookup(arg.canonical))
        return arg.label == "LOC" and bool(entry) and entry.kind == "country"
    return [r for r in rels if not (r.relation in _PLACE_TAILS and country(r.tail))]


def focal_place(mentions: list[Arg], lexicon: Lexicon, inside_names: bool = False) -> Optional[Arg]:
    """The place an article is about: named most often, at least three times and twice as often as
    any other (a country or a province says little of where a facility is). With `inside_names`, a
    place that opens a facility's or a local body's name (韶关数据中心集群, 庆阳市人民政府) counts
    too: a conference's news names its host city once and the city's projects many times."""
    counts: dict[str, int] = {}
    first: dict[str, Arg] = {}
    for m in mentions:
        if m.label == "LOC":
            place = m
        elif inside_names and m.label in ("PROJECT", "ORG"):
            place = leading_place(m.text, lexicon)
        else:
            continue
        if place is None:
            continue
        entry = lexicon.lookup(place.text)
        if entry is not None and entry.kind in ("country", "province"):
            continue
        key = _resolved(place)
        counts[key] = counts.get(key, 0) + 1
        # the link's end is the place where the text names it; one read inside a name stands in
        if key not in first or (first[key].start < 0 <= place.start):
            first[key] = place
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return first[ranked[0][0]]


# a jurisdiction's own government system (庆阳数字政府云, 东莞市“数字政府”建设项目, 芜湖城市大脑) is
# named after the area it serves, not the place it stands in: the seed's gold does not place it there
_GOVERNMENT_SYSTEM = re.compile(r"政务|数字政府|政府云|城市大脑|一网通办|一网统管")


def not_in_its_own_jurisdiction(rels: list[Relation], lexicon: Lexicon) -> list[Relation]:
    """The links less a government system located in the area its name says it serves."""
    def own(r: Relation) -> bool:
        if r.relation != "located-in" or not _GOVERNMENT_SYSTEM.search(r.head.text):
            return False
        names = {r.tail.text, _resolved(r.tail)} | set(lexicon.aliases.get(_resolved(r.tail), ()))
        return any(len(n) >= 2 and n in r.head.text for n in names)
    return [r for r in rels if not own(r)]


_FACILITY_ENDINGS = ("中心", "园", "园区", "基地", "集群", "数据港", "云谷", "机房", "大楼", "项目", "工程")


def focal_place_links(spans: list[tuple[int, int]], mentions: list[Arg], rels: list[Relation],
                      place: Arg) -> list[Relation]:
    """A facility of an article about one `place` (focal_place), whose location the text does not
    state otherwise, is located there: local news names the city once and its projects many
    times. Weak (0.4)."""
    placed = {_resolved(r.head) for r in rels if r.relation == "located-in"}
    out, seen = [], set()
    for m in mentions:
        key = _resolved(m)
        if m.label != "PROJECT" or key in placed or key in seen or not m.text.endswith(_FACILITY_ENDINGS):
            continue  # programmes and platforms (东数西算, 红柳易办) are not anywhere
        seen.add(key)
        i = sentence_index(spans, m.start)
        if i is not None:
            out.append(Relation(m, "located-in", place, spans[i], 0.4, rule="document:focal-place"))
    return out


# Regional news lists the firms a place brought in without naming the place in that sentence
# (憨猴科技、首都在线等企业智算项目也相继落地; 已引进抖音、京东、科大讯飞等近70家数据企业;
# 阿里、腾讯等一批领军企业加速在该市布局): the place is the one the article is about.
_BROUGHT_IN = re.compile(
    r"引进|引入|招引|吸引|落地|落户|入驻|进驻|建成投运|建成投用|建成投产|落地运营|投入运营"
    r"|在(?:该市|该县|该区|该地|当地|本地|这里|此)(?:加速|加快)?布局"
)
# and the firms whose projects it signed (A、B等15个重点项目集中签约) invest there
_SIGNED_PROJECTS = re.compile(r"项目[^，,；;。！？!?\n]{0,6}?签约")
_CLAUSE = re.compile(r"[^，,；;。！？!?\n]+")


def brought_in_links(text: str, spans: list[tuple[int, int]], mentions: list[Arg], rels: list[Relation],
                     place: Arg) -> list[Relation]:
    """Firms listed in a clause that brings them in (A、B等…落地, 引进A、B), with no place or
    facility in that clause, are deployed at the article's `place` (focal_place); those listed
    with the projects it signed invest in it. Weak (0.45), and
    only for lists: one firm beside such a verb is as often the one that does the bringing in."""
    hosted = {_resolved(r.head) for r in rels if r.relation in ("deployed-at", "located-in", "invested-in")}
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    out = []
    for clause in _CLAUSE.finditer(text):
        cs, ce = clause.span()
        inside = [m for m in ordered[bisect_left(starts, cs):bisect_left(starts, ce)] if m.end <= ce]
        if any(m.label in ("LOC", "PROJECT") for m in inside):
            continue  # the clause names its own place or host: the sentence rules read it
        verb, relation = _BROUGHT_IN.search(text, cs, ce), "deployed-at"
        if verb is None:
            verb, relation = _SIGNED_PROJECTS.search(text, cs, ce), "invested-in"
        if verb is None:
            continue
        orgs = [m for m in inside if m.label == "ORG"]
        listed = [m for m in orgs if any(
            o is not m and (text[o.end:m.start] in ("、", "和", "及", "与") or text[m.end:o.start] in ("、", "和", "及", "与"))
            for o in orgs)]
        if len(listed) < 2:
            continue
        before = all(m.end <= verb.start() for m in listed)
        after = all(m.start >= verb.end() for m in listed)
        if before and "等" not in text[listed[-1].end:verb.start()]:
            continue  # A、B落地… without 等 is seldom a list of newcomers
        if not (before or after):
            continue
        i = sentence_index(spans, cs)
        for m in listed:
            if _resolved(m) in hosted or _resolved(m) == _resolved(place):
                continue
            out.append(Relation(m, relation, place, spans[i] if i is not None else (cs, ce), 0.45,
                                rule="document:brought-in"))
    return out


# ------------------------------------------------------------------------ bid notices
# A bid notice names its buyer once (招标人：X; X发布…招标公告; 收到X发出的中标通知书) and its winners
# wherever it lists them, often sentences later and one per lot: each winner supplies that buyer.
# {B} is the buyer, {W} a winner; the winners of a list (A、B和C) all count.
TENDER_BUYERS = [
    r"(?:采购人|招标人|采购单位|招标单位|建设单位|业主单位|招标方|采购方)(?:名称)?(?:为|是|：|:)?{B:ORG}",
    r"收到{B:ORG}…(?:发出|发来|下发|签发)的…中标通知书",
    # X发布《…》中标候选人: not X发布公告称…中标, where X is the winner's parent reporting the win
    r"{B:ORG}…(?:发布|发出|公布|公示|启动)(?:了)?[^，,。；;]{0,10}?(?:《[^》]{0,60}》)?(?:的)?(?:招标|采购|集采|集中采购|比选|遴选|磋商|询价|中标|成交)",
    # the buyer before its procurement's quoted name: X“2024年大模型服务能力采购项目”中标候选人
    r"{B:ORG}(?:的)?[“《][^”》]{2,60}?(?:采购|招标|集采|比选|遴选)[^”》]{0,12}[”》]",
]
TENDER_WINNERS = [
    r"(?:中标|成交|中选)(?:单位|人|方|厂商|供应商|候选人)?(?:分别)?(?:为|是|的是|：|:)‥{W:ORG}",
    r"{W:ORG}…(?:中标|中选|成交|入围)",
    r"由{W:ORG}…(?:中标|承建|施工|总承包)",
    r"{W:ORG}…(?:为|是|确定为|列为)⋯(?:第一|第二|第三)?(?:中标|成交|中选)(?:候选)?(?:人|单位|供应商)",
    r"{W:ORG}⋯负责…(?:施工|设计|建设|运维|供应|集成|实施)",
    r"{W:ORG}…收到…中标通知书",
    r"{W:ORG}(?:综合)?(?:排名|得分)(?:仍然)?(?:位列)?第[一二三1-3](?![0-9十])",
    # 标包1被新华三、中兴、超聚变瓜分; 新华三和河南昆仑,两家均中标6个标包
    r"被{W:ORG}…(?:瓜分|包揽|拿下|斩获|收入囊中)",
    r"{W:ORG}(?:(?:、|和|及){E:ORG})*[，,]?(?:两家|三家|四家|五家)?(?:均|都|各|共计|分别)中标",
]


# the venue that publishes a notice for the buyer is not the buyer
_TRADING_VENUE = re.compile(r"交易(?:服务)?中心|交易所|交易平台|招标代理|代理机构")


def tender_links(text: str, spans: list[tuple[int, int]], by_sentence: dict[int, list[Arg]]) -> list[Relation]:
    """supplier-of from each winner of a bid notice to its buyer: the buyer named last before the
    winner's sentence, or, when the buyer is named only after it, the document's one buyer."""
    found: list[list[tuple[int, Arg]]] = [[] for _ in TENDER_BUYERS]
    winners: list[tuple[int, Arg]] = []
    for i, inside in sorted(by_sentence.items()):
        masked = Masked(text, spans[i][0], spans[i][1], inside)
        for k, pattern in enumerate(TENDER_BUYERS):
            found[k] += [(i, a) for a in _tender_args(masked, [pattern], "B") if not _TRADING_VENUE.search(a.text)]
        winners += [(i, a) for a in _tender_args(masked, TENDER_WINNERS, "W")]
    # the buyer named as such (招标人：X) outranks the one read from who published the notice
    buyers = next((b for b in found if b), [])
    if not buyers:
        return []
    buyer_names = {_resolved(b) for _, b in buyers}
    out = []
    for i, w in winners:
        if _resolved(w) in buyer_names:
            continue  # a buyer that announces its own tender is no winner of it
        before = [(j, b) for j, b in buyers if j <= i]
        if before:
            last = before[-1][0]
            chosen = [b for j, b in before if j == last]
        elif len(buyer_names) == 1:
            chosen = [buyers[0][1]]
        else:
            continue
        s, e = spans[i]
        for b in chosen:
            near = [a.start - s for a in (w, b) if s <= a.start < e]
            out.append(Relation(w, "supplier-of", b, (s, e), 0.6, attributes(text[s:e], near=near or None), rule="tender"))
    return out


# an announcement names the company it speaks for as 其 or 公司 before its subsidiary:
# 世纪华通发布公告,公司控股子公司X…; 电光科技公告,其控股子公司Y…
_OWNER_REFERENCE = re.compile(r"(?<![\u3400-\u9fff])(?:其|公司)(?:的)?(?:全资|控股)?(?:子公司|孙公司)[—\-–:：]*")


_ANNOUNCER = re.compile(r"\s*(?:[(（](?:[A-Z]{2}|\d{6})|(?:于|在)?[^，,。]{0,8}?(?:发布|披露)?公告)")


def owner_links(text: str, spans: list[tuple[int, int]], mentions: list[Arg]) -> list[Relation]:
    """The subsidiary right after 其/公司…子公司 belongs to the company the announcement speaks for:
    the last one named with its stock code or 公告 before, else the last one named earlier in the
    sentence. Only this link: the reference stands for no one in the sentence's other rules."""
    orgs = sorted((m for m in mentions if m.label == "ORG"), key=lambda m: m.start)
    starts = [m.start for m in orgs]
    out = []
    for r in _OWNER_REFERENCE.finditer(text):
        i = bisect_right(starts, r.end() - 1)
        k = sentence_index(spans, r.start())
        if i >= len(orgs) or orgs[i].start != r.end() or k is None:
            continue
        child = orgs[i]
        announcers = [o for o in orgs[:i] if _ANNOUNCER.match(text, o.end)]
        earlier = [o for o in orgs[:i] if o.start >= spans[k][0]]
        owner = (announcers or earlier or [None])[-1]
        if owner is None or _resolved(child) == _resolved(owner):
            continue
        out.append(Relation(child, "subsidiary-of", owner, spans[k], 0.75, rule="reference:owner"))
    return out


# A company profile (an announcement's 合作方基本情况, a new venture's registration) gives the
# company's name and then its address as a field: 名称:X … 住所:Y市Z区…; 设立的X完成注册,注册地址:Y
_ADDRESS_FIELD = re.compile(r"(?:注册地址|注册地|住所|(?:主要)?经营场所|办公地址|公司地址)\s*[:：]\s*")
_NAME_FIELD = re.compile(r"名称\s*[:：]\s*$")


def address_links(text: str, spans: list[tuple[int, int]], mentions: list[Arg], lexicon: Lexicon) -> list[Relation]:
    """located-in from the company a profile is about to the place its address field starts with:
    the company after the last 名称: of the profile (its paragraphs above), else the last one named
    before the field in its sentence."""
    orgs = sorted((m for m in mentions if m.label == "ORG"), key=lambda m: m.start)
    places = {m.start: m for m in mentions if m.label == "LOC"}
    out = []
    for f in _ADDRESS_FIELD.finditer(text):
        run, pos = [], f.end()
        while pos in places:
            run.append(places[pos])
            pos = places[pos].end
        run = [p for p in run if not _is_province(p, lexicon)]
        k = sentence_index(spans, f.start())
        if not run or k is None:
            continue
        before = [o for o in orgs if o.end <= f.start() and f.start() - o.end <= 400]
        named = [o for o in before if _NAME_FIELD.search(text, max(0, o.start - 12), o.start)]
        in_sentence = [o for o in before if o.start >= spans[k][0]]
        head = (named or in_sentence or [None])[-1]
        if head is None:
            continue
        # an address narrows down to the street: the link is to the most specific place named
        if _resolved(run[-1]) != _resolved(head):
            out.append(Relation(head, "located-in", run[-1], spans[k], 0.7, rule="profile:address"))
    return out


def _tender_args(masked: Masked, patterns: list[str], role: str) -> list[Arg]:
    found: list[Arg] = []
    for pattern in patterns:
        rx = _compile(pattern.replace("{" + role + ":", "{H:"), masked)
        if rx is None:
            continue
        for m in rx.finditer(masked.string):
            arg = masked.arg(m.group("H"))
            found += [a for a in _coordinated(masked, m.start("H"), arg) if a not in found]
    return found


@Language.factory(
    "kg_relations",
    default_config={"alias_file": None},
    requires=["doc.ents"],
    assigns=["doc._.kg_relations"],
)
def make_relation_rules(nlp: Language, name: str, alias_file: Optional[str]) -> RelationRules:
    return RelationRules(nlp, name, alias_file)


# ------------------------------------------------------------------------ helpers
_SLOT = re.compile(r"\{([HTE]):([A-Z|]+)\}")


def _compile(pattern: str, masked: Masked) -> Optional[re.Pattern]:
    """The rule's regex, or None if the sentence has no mention that could be its head or tail."""
    if not all(masked.has(labels) for labels in _ends(pattern)):
        return None
    return _rule_regex(pattern)


@lru_cache(maxsize=None)  # asked for every rule in every sentence: read each pattern once
def _ends(pattern: str) -> tuple[str, ...]:
    """The labels its head and its tail may have, as written in the pattern ('ORG|PROJECT')."""
    return tuple(m.group(2) for m in _SLOT.finditer(pattern) if m.group(1) in "HT")


@lru_cache(maxsize=None)  # one per rule: the placeholder classes are the same in every sentence
def _rule_regex(pattern: str) -> re.Pattern:
    out, pos = [], 0
    for m in _SLOT.finditer(pattern):
        out.append(pattern[pos:m.start()])
        cls = _block_class(m.group(2))
        out.append(f"(?P<{m.group(1)}>{cls})" if m.group(1) in "HT" else cls)
        pos = m.end()
    out.append(pattern[pos:])
    rx = "".join(out)
    for k, v in _GAP.items():
        rx = rx.replace(k, v)
    return re.compile(rx)


_MOST_SPECIFIC = ("located-in", "invested-in", "deployed-at")

# a mention that only names the owner of the next one: A控股子公司B, A旗下的B
_OWNER_OF_NEXT = re.compile("(?:的)?(?:(?:全资|控股)?(?:子公司|孙公司)|旗下(?:的)?|下属(?:的)?)[\ue000-\uf8ff]")

# 与 usually marks a partner (A与B签约), but after 由 or before 共同 it joins co-agents: 由A与B共同建设
_JOINERS = "、和及与"


def _coordinated(masked: Masked, pos: int, arg: Arg, joiners: str = "、和及") -> list[Arg]:
    """A mention and the mentions listed with it (A、B、C等): a rule on one applies to all."""
    s = masked.string
    group = [pos]
    i = pos
    while i + 2 < len(s) and s[i + 1] in joiners and masked.is_mention(s[i + 2]):
        i += 2
        group.append(i)
    i = pos
    while i - 2 >= 0 and s[i - 1] == "、" and masked.is_mention(s[i - 2]):
        i -= 2
        group.append(i)
    args = [masked.arg(s[j]) for j in sorted(group)]
    return [a for a in args if a.label == arg.label]


def _resolved(arg: Arg) -> str:
    return arg.canonical or arg.text


def _dedupe(rels: list[Relation]) -> list[Relation]:
    best: dict[tuple, Relation] = {}
    for r in rels:
        h, t = _resolved(r.head), _resolved(r.tail)
        key = (r.relation,) + (tuple(sorted((h, t))) if r.relation in SYMMETRIC else (h, t))
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return list(best.values())


def sentence_index(spans: list[tuple[int, int]], pos: int) -> Optional[int]:
    """Index of the sentence holding offset `pos` (spans sorted, as `sentences` yields them)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i if i >= 0 and spans[i][0] <= pos < spans[i][1] else None


_PROJECT_REFERENCE = re.compile(
    r"该(?:项目|中心|基地|园区|产业园|平台|数据中心|智算中心|算力中心|集群)|本项目|(?:^|(?<=[。；;！？!?\n]))项目(?=[^，,。的]{0,4}(?:位于|选址|坐落|地处|总投资|计划投资|规划|建成|占地|由))",
    re.M,
)


# an announcement calls its own company 公司: 锦龙发展(下称“公司”), 世纪华通(002602.SZ)发布公告
_ISSUER = re.compile(
    r"[(（](?:以下|下文)?(?:简称|下称)[:：]?[“\"](?:本)?公司[”\"]"
    r"|[(（](?:\d{6}\.S[HZ]|(?:证券|股票)代码[:：]?\s*\d{6})[)）]"
    r"|\s*(?:关于[^。\n]{0,60})?(?:的)?公告\s*\n"
)
_BARE_COMPANY = re.compile(r"(?:^|(?<=[，,。；;：:\n]))(?:本)?公司(?=拟|将|已|于|与|和|控股|全资|持有|作为|在|及|本次|此次|通过|向|对|同|正|还|也|披露|发布|召开|审议|决定|计划)", re.M)


def _issuer_references(text: str, orgs: list[Arg]) -> list[Arg]:
    """公司 opening a clause of an announcement: the company that issues it, where the text names it so."""
    issuer = next((o for o in orgs if _ISSUER.match(text, o.end)), None)
    if issuer is None:
        return []
    name = issuer.canonical or issuer.text
    return [Arg(r.group(), "ORG", r.start(), r.end(), name) for r in _BARE_COMPANY.finditer(text) if r.start() > issuer.end]


# A clause that opens on 与 has no subject of its own (会上,A与B签署…。同时与C、D签署…; 庆阳市…；积极
# 推动与E、F达成合作): its subject is the one of the clauses before it, in the paragraph
_SUBJECTLESS = re.compile(
    r"(?:^|(?<=[，,。；;！？!?\n]))(?:目前|同时|此外|另外|随后|此次|今年|去年|近年来)?"
    r"(?:已经|已|还|也|并|将|拟|又|再|正|先后|相继|分别|积极|主动|推动|成功|多次|逐一|率先|正式|深入)*(?=与)",
    re.M,
)
# what may stand before a clause's subject: a date, a time, a connective
_CLAUSE_OPENING = re.compile(r"(?:[”\"」』]|\d{1,4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|上午|下午|当天|会上|目前|同时|此外|另外|随后|其中|据悉|据了解|近日|日前|近年来|今年|去年|此次|\s)*")


def _carried_subjects(text: str, mentions: list[Arg]) -> list[Arg]:
    """The subject a clause opening on 与 leaves out, as a mention standing where it would be."""
    starts = {m.start: m for m in mentions}
    ordered = sorted(mentions, key=lambda m: m.start)
    out = []
    for r in _SUBJECTLESS.finditer(text):
        k = r.end()
        after = starts.get(k + 1)
        if after is None or after.label not in ("ORG", "LOC"):
            continue  # 与 joins nouns (对接与洽谈) unless a party follows it
        subject = _subject_before(text, r.start(), ordered)
        if subject is not None:
            out.append(Arg(r.group(), subject.label, r.start(), k, subject.canonical or subject.text))
    return out


def _subject_before(text: str, pos: int, ordered: list[Arg]) -> Optional[Arg]:
    """The last clause subject before `pos` in its paragraph: a mention opening a clause (after a date
    or connective at most) that is not a modifier or a list member."""
    para = text.rfind("\n", 0, pos) + 1
    for m in reversed([m for m in ordered if para <= m.start and m.end <= pos]):
        b = max(text.rfind(ch, para, m.start) for ch in "，,。；;！？!?：:")
        opening = text[max(b + 1, para):m.start]
        if not _CLAUSE_OPENING.fullmatch(opening):
            continue
        # a place before a place is the wider one (安徽省芜湖市): the subject is the last of the run
        run = m
        nxt = [x for x in ordered if x.start == run.end]
        while nxt and nxt[0].label == run.label == "LOC":
            run = nxt[0]
            nxt = [x for x in ordered if x.start == run.end]
        if text[run.end:run.end + 1] in ("的", "、", "等") or (nxt and nxt[0].start == run.end):
            continue
        return run if run.label in ("ORG", "LOC") else None  # a person or a facility ends the search
    return None


def person_affiliations(text: str, orgs: list[Arg], people: list[Arg]) -> dict[str, Arg]:
    """兰州海红技术股份有限公司副总经理王多文: the organisation right before a title and a name."""
    out: dict[str, Arg] = {}
    for p in people:
        before = [o for o in orgs if o.end <= p.start and p.start - o.end <= 14]
        if not before:
            continue
        o = before[-1]
        gap = text[o.end:p.start]
        if re.search(r"[，,。；;！？!?“”\n]", gap) or not any(gap.endswith(t) for t in N.TITLES):
            continue
        out.setdefault(p.text, o)
    return out


def _speaker(text: str, quote: re.Match, people: list[Arg]) -> Optional[Arg]:
    after = [p for p in people if 0 <= p.start - quote.end() <= 40]
    for p in after:
        gap = text[quote.end():p.start]
        if "“" not in gap and "。" not in gap:
            return p
    before = [p for p in people if 0 <= quote.start() - p.end <= 12]
    if before and re.search(rf"(?:{'|'.join(N.SPEECH_VERBS)})[:：,，]?$", text[before[-1].end:quote.start()]):
        return before[-1]
    return None


def branch_parent(name: str, lexicon: Lexicon) -> Optional[Arg]:
    """X公司庆阳分公司 -> X公司: the longest known or company-shaped name the branch starts with."""
    if not name.endswith(("分公司", "分行", "分院", "分中心", "支行")):
        return None
    for cut in range(len(name) - 3, 1, -1):
        prefix = name[:cut]
        entry = lexicon.lookup(prefix)
        if entry and entry.label == "ORG":
            return Arg(prefix, "ORG", canonical=entry.canonical)
        if prefix.endswith(("公司", "集团", "银行")) and len(prefix) >= 4:
            return Arg(prefix, "ORG", canonical=prefix)
    return None


def bracketed_place(name: str, lexicon: Lexicon) -> Optional[Arg]:
    """中国移动(甘肃·庆阳)数据中心 -> 庆阳市: the most specific place named in brackets."""
    m = re.search(r"[(（]([^)）]{2,12})[)）]", name)
    if not m:
        return None
    for part in reversed(re.split(r"[·・,，、\s]", m.group(1))):
        entry = lexicon.lookup(part)
        # 百度(中国)有限公司: the country says which legal entity, not where anything is
        if entry and entry.label == "LOC" and entry.kind != "country":
            return Arg(part, "LOC", canonical=entry.canonical)
    return None


def leading_org(name: str, lexicon: Lexicon) -> Optional[Arg]:
    """百度智能云(济南)智算中心 -> 百度智能云: a facility named after the organisation that runs it. A
    bank's or group's name (中国农业银行内蒙古数据中心) is one too, where a facility name of its own
    follows."""
    for cut in range(len(name) - 2, 1, -1):
        head = name[:cut]
        if head.endswith("云") and name.startswith("计算", cut):
            continue  # 百度云计算(顺德)中心 is 百度's 云计算 centre, not a 百度云 facility
        entry = lexicon.lookup(head)
        if entry and entry.label == "ORG":
            return Arg(head, "ORG", canonical=entry.canonical)
        if head.endswith(("银行", "集团", "公司")) and len(head) >= 4 and len(name) - cut >= 4:
            return Arg(head, "ORG", canonical=head)
    return None


def mentioned_operator(name: str, orgs: list[Arg], lexicon: Lexicon) -> Optional[Arg]:
    """贵安华为云数据中心, where the text names 华为 on its own: an organisation of the document that the
    facility's name starts with, after a place (the gazetteer does not know every operator)."""
    place = leading_place(name, lexicon)
    for rest in (name, name[len(place.text):] if place else ""):
        found = [o for o in orgs if len(o.text) >= 2 and rest.startswith(o.text) and len(rest) > len(o.text)]
        if found:
            o = max(found, key=lambda o: len(o.text))
            return Arg(o.text, "ORG", canonical=o.canonical)
    return None


def platform_operator(mention: Arg, lexicon: Lexicon) -> Optional[Arg]:
    """移动云 is 中国移动's, 天翼云 中国电信's: a platform the gazetteer names its operator for, as the
    brand in its name says to a reader of the genre."""
    entry = lexicon.entry_for_canonical(mention.canonical) if mention.canonical else None
    if entry is None or entry.label != "PROJECT" or not entry.parent:
        return None
    return Arg(entry.parent, "ORG", canonical=entry.parent)


def _is_province(place: Arg, lexicon: Lexicon) -> bool:
    """A province (or a city of that rank): beside a narrower place (位于山东济南历城区, an address) it
    adds nothing a link should carry, and alone in the name of a system it says whom the system
    serves (四川省政务云), not where it stands."""
    entry = lexicon.lookup(place.text)
    return entry is not None and entry.kind == "province"


def leading_place(name: str, lexicon: Lexicon) -> Optional[Arg]:
    for cut in range(min(len(name) - 2, 8), 1, -1):
        entry = lexicon.lookup(name[:cut])
        if entry and entry.label == "LOC" and entry.kind != "country":
            return Arg(name[:cut], "LOC", canonical=entry.canonical)
    return None


def inner_place(name: str, lexicon: Lexicon) -> Optional[Arg]:
    """The first place written inside a name after its first character (国家超算济南中心 -> 济南). A
    short form there must be a province's, a city's or a region's: two characters of a county's
    short form inside a name are as often part of a word or a brand."""
    for i in range(1, len(name) - 2):
        for cut in range(min(len(name) - i - 1, 8), 1, -1):
            part = name[i:i + cut]
            entry = lexicon.lookup(part)
            if entry is None or entry.label != "LOC" or entry.kind == "country":
                continue
            if entry.kind == "county" and part != entry.canonical:
                continue
            return Arg(part, "LOC", canonical=entry.canonical)
    return None


# hooks for kg.relation_model, which reads the rules' hits as features and resolves 我们/该公司 the same way
rule_hits = RelationRules._match
references = RelationRules._references
dedupe = _dedupe
