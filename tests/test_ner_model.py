"""The shipped statistical NER: loads offline, small, and finds names in sentences it never saw."""

import json
import socket
from pathlib import Path

import pytest

from conftest import SHARED, needs_shared

from kg.pipeline import load_nlp, shipped_ner_path

pytestmark = pytest.mark.skipif(shipped_ner_path() is None, reason="no trained NER in kg/models/ner")


def ner_ents(nlp, text):
    with nlp.select_pipes(enable=["ner"]):
        doc = nlp(text)
    return {(e.text, e.label_) for e in doc.ents}


def test_shipped_model_is_small_and_has_no_tokenizer():
    path = shipped_ner_path()
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 30_000_000
    assert not (path / "tokenizer").exists()
    assert set(json.loads((path / "meta.json").read_text(encoding="utf-8"))["labels"]["ner"]) == {
        "ORG", "PERSON", "LOC", "PROJECT", "PRODUCT"}


def test_loading_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access during load")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    nlp = load_nlp()
    assert nlp.pipe_names[0] == "ner"
    assert "kg_entities" in nlp.pipe_names


def test_ner_sits_before_the_rules_and_uses_kg_tokens(nlp):
    assert nlp.pipe_names.index("ner") < nlp.pipe_names.index("kg_entities")
    assert nlp.tokenizer.segmenter == "pkuseg"


def test_unseen_sentences_written_for_the_test(nlp):
    # names invented for the test, so neither the gazetteer nor any training set holds them
    found = ner_ents(nlp, "记者从青海省西宁市获悉，鸿蒙算云科技有限公司董事长周立伟表示，公司将在当地建设算力中心。")
    labels = {label for _, label in found}
    assert {"ORG", "PERSON", "LOC"} <= labels
    assert ("周立伟", "PERSON") in found
    assert any(text.startswith("鸿蒙算云") and label == "ORG" for text, label in found)


@needs_shared
def test_cluener_dev_sentences_it_never_trained_on(nlp):
    mapping = {"company": "ORG", "organization": "ORG", "government": "ORG", "name": "PERSON", "address": "LOC"}
    tp = total = 0
    with (SHARED / "data" / "cluener2020" / "dev.json").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 60:
                break
            rec = json.loads(line)
            gold = {(name, mapping[k]) for k, by in rec["label"].items() if k in mapping for name in by}
            found = ner_ents(nlp, rec["text"])
            tp += len(gold & found)
            total += len(gold)
    # a model that learnt nothing finds none; the trained one finds most (measured recall ~0.7)
    assert total > 50 and tp / total > 0.5
