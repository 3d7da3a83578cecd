"""Word classes of common Chinese words, from the dictionary jieba ships (349k words, MIT).

pkuseg segments but does not tag, and no tagger model can be fetched here. The entity rules need
one fact per word: is it a common word of some class (a verb, a pronoun, a time word), or a
proper or unknown one that can carry a name? jieba's dictionary answers that without a model.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Optional

# classes that never occur inside an organisation or project name
NON_NAME = frozenset({"v", "vd", "p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "rr", "rz", "d", "t", "tg", "m", "mq", "q", "s", "e", "y", "o", "zg", "ad", "ag"})
# classes of proper nouns and abbreviations: a word of these makes a phrase a name
PROPER = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "l", "eng"})


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    words: dict[str, str] = {}
    ref = resources.files("jieba") / "dict.txt"
    with ref.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and len(parts[0]) <= 8:
                words[parts[0]] = parts[2]
    return words


def word_class(word: str) -> Optional[str]:
    """jieba's class of a common word, or None for a word it does not know."""
    return _dictionary().get(word)


def is_non_name(word: str) -> bool:
    return word_class(word) in NON_NAME


def is_distinctive(word: str) -> bool:
    """Unknown to the dictionary, or a proper noun: the part of a phrase that makes it a name."""
    if any("a" <= ch.lower() <= "z" for ch in word):
        return True
    cls = word_class(word)
    return cls is None or cls in PROPER
