"""The NER's character-vector layer (kg/charvectors.py), on a small table written here."""

import numpy as np
import pytest
import spacy
from thinc.api import Adam

from kg.charvectors import CharVectorHashEmbed, CharVectors, save_table

ATTRS, ROWS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"], [100, 100, 100, 10]


@pytest.fixture
def table(tmp_path):
    chars = ["局", "厅", "万", "A"]
    vectors = np.arange(len(chars) * 4, dtype="float32").reshape(len(chars), 4) + 1
    path = tmp_path / "chars.npz"
    save_table(path, chars, vectors, {"萬": "万", "Ａ": "A"})
    return path, dict(zip(chars, vectors))


def _docs(*texts):
    nlp = spacy.blank("zh")  # one token per character unless words are given
    return [spacy.tokens.Doc(nlp.vocab, words=words) for words in texts]


def test_token_gets_mean_first_and_last_of_its_characters(table):
    path, vec = table
    layer = CharVectors(str(path), width=4)
    docs = _docs(["局厅", "x局"], ["萬", "Ａ"])
    layer.initialize(X=docs)
    out, _ = layer(docs, is_train=False)
    rows = out.data
    assert list(out.lengths) == [2, 2]
    np.testing.assert_allclose(rows[0], np.concatenate([(vec["局"] + vec["厅"]) / 2, vec["局"], vec["厅"]]))
    # an unknown character counts as a zero vector: it pulls the mean down, and is the first one
    np.testing.assert_allclose(rows[1], np.concatenate([vec["局"] / 2, np.zeros(4), vec["局"]]))
    # traditional and full-width forms read as the character LAC reads them as
    np.testing.assert_allclose(rows[2], np.concatenate([vec["万"]] * 3))
    np.testing.assert_allclose(rows[3], np.concatenate([vec["A"]] * 3))


def test_table_is_not_trained_and_travels_with_the_weights(table):
    path, _ = table
    model = CharVectorHashEmbed(8, ATTRS, ROWS, str(path), char_width=4)
    docs = _docs(["局厅", "万"], ["A"])
    model.initialize(X=docs)
    layer = next(node for node in model.walk() if node.name == "kg_char_vectors")
    before = layer.get_param("E").copy()
    out, backprop = model.begin_update(docs)
    backprop([np.ones_like(y) for y in out])
    model.finish_update(Adam(0.1))
    np.testing.assert_array_equal(layer.get_param("E"), before)
    assert not np.allclose(model.predict(docs)[0], out[0])  # the other layers did learn

    # a trained model is loaded without the table's file: no path, the weights carry it
    loaded = CharVectorHashEmbed(8, ATTRS, ROWS, None, char_width=4).from_bytes(model.to_bytes())
    np.testing.assert_allclose(loaded.predict(docs)[0], model.predict(docs)[0])


def test_training_without_the_table_says_how_to_make_it(tmp_path):
    layer = CharVectors(str(tmp_path / "missing.npz"), width=4)
    with pytest.raises(FileNotFoundError, match="char_vectors.py"):
        layer.initialize(X=_docs(["局"]))


def test_table_of_another_width_is_refused(table):
    path, _ = table
    with pytest.raises(ValueError, match="expected"):
        CharVectors(str(path), width=8).initialize(X=_docs(["局"]))
