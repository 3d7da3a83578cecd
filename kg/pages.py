"""A saved news page (HTML) reduced to its article text, with the title, date and address it states.

trafilatura finds the article in a page (it drops navigation, footers, comment threads and
"related news" lists, which would otherwise add their own companies and links to the graph) and
reads the page's metadata; it is maintained, deterministic and runs offline. lxml alone parses
but cannot tell the article from the rest of the page.

The page is parsed here, not by trafilatura, so that the parser's settings are ours: libxml2's
HTML parser, never the network, no processing instructions, and its default limits (huge_tree
off), so a hostile page cannot make it build an unbounded tree. The HTML parser does not expand
entities declared in a DOCTYPE (no "billion laughs") nor load external ones. A page nested
deeper than libxml2's limit, or one in which trafilatura finds no article, still gives its text:
the standard library's tokenizer, which keeps no tree, reads the text outside scripts and styles.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field
from typing import Optional

from .charsets import decode_bytes

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class Page:
    text: str
    meta: dict = field(default_factory=dict)
    encoding: str = "utf-8"
    replaced: int = 0


def declared_charset(data: bytes) -> Optional[str]:
    """The charset a page's <meta> declares, looked for where browsers look: its first 1,024 bytes."""
    m = _CHARSET.search(data[:1024])
    return m.group(1).decode("ascii") if m else None


def read_page(data: bytes) -> Page:
    decoded = decode_bytes(data, declared=declared_charset(data))
    text, meta = page_text(decoded.text)
    return Page(text, meta, decoded.encoding, decoded.replaced)


def page_text(markup: str) -> tuple[str, dict]:
    """(article text, {"title", "date", "url"} as far as the page states them)."""
    import lxml.html
    import trafilatura
    from lxml import etree

    parser = lxml.html.HTMLParser(
        no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
        collect_ids=False, default_doctype=False, encoding="utf-8",
    )
    # given as UTF-8 bytes with the parser's encoding fixed, so a page's own charset declaration
    # (already honoured when decoding) cannot make libxml2 decode it a second time
    data = markup.encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        tree = None
    truncated = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    meta: dict = {}
    text = None
    if tree is not None:
        found = trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False, fast=False,
        )
        if found is not None:
            meta = {k: v for k, v in (("title", found.title), ("date", found.date), ("url", found.url)) if v}
            text = found.text
    if truncated or not (text and text.strip()):
        text = _all_text(markup)
    return text or "", meta


class _TextOnly(html.parser.HTMLParser):
    """Text outside <script>, <style> and the like, a line per block element; no tree is kept."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"}
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "header", "footer", "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _all_text(markup: str) -> str:
    reader = _TextOnly()
    reader.feed(markup)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)
