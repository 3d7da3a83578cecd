"""The NER's training-data readers (scripts/ner/prepare.py) and the CFSC company-only rule of
scripts/eval_ner.py, on small files written by the tests (no shared corpora needed)."""

import json

from conftest import load_script
from spacy.lang.zh import Chinese

prepare = load_script("ner_prepare", "scripts/ner/prepare.py")
eval_ner = load_script("eval_ner", "scripts/eval_ner.py")


def test_bio_and_bmes_tags_give_the_same_spans():
    assert prepare.bio_spans(["B-ORG", "I-ORG", "O", "B-PER", "B-PER", "I-PER"]) == [(0, 2, "ORG"), (3, 4, "PER"), (4, 6, "PER")]
    assert prepare.bio_spans(["B-ORG", "M-ORG", "E-ORG", "S-NAME", "O", "B-NAME", "E-NAME"]) == [(0, 3, "ORG"), (3, 4, "NAME"), (5, 7, "NAME")]
    assert prepare.bio_spans(["I-LOC", "I-LOC", "O"]) == [(0, 2, "LOC")]  # a span that starts without B-


def test_weibo_named_mentions_are_labels_and_nominal_ones_unknown(tmp_path):
    rows = [("张0", "B-PER.NAM"), ("三1", "I-PER.NAM"), ("老0", "B-PER.NOM"), ("师1", "I-PER.NOM"),
            ("在0", "O"), ("北0", "B-GPE.NAM"), ("京1", "I-GPE.NAM")]
    path = tmp_path / "weibo.conll"
    path.write_text("\n".join(f"{c}\t{t}" for c, t in rows) + "\n\n" + "好0\tO\n", encoding="utf-8")
    records = list(prepare.weibo_records(path))
    assert records[0] == ("张三老师在北京", [(0, 2, "PERSON"), (2, 4, None), (5, 7, "LOC")])
    assert records[1] == ("好", [])


def test_resume_generic_organisations_are_unknown(tmp_path):
    text = "任本公司董事，曾任清华大学教授"
    tags = ["O"] + ["B-ORG", "M-ORG", "E-ORG"] + ["O"] * 5 + ["B-ORG", "M-ORG", "M-ORG", "E-ORG"] + ["O", "O"]
    path = tmp_path / "resume.bmes"
    path.write_text("\n".join(f"{c} {t}" for c, t in zip(text, tags)) + "\n", encoding="utf-8")
    assert list(prepare.resume_records(path)) == [(text, [(1, 4, None), (9, 13, "ORG")])]


def test_unknown_spans_and_a_missing_default_leave_tokens_unlabelled():
    nlp = Chinese()  # character tokens: every span is aligned
    stats = prepare.Counter()
    doc = prepare.make_doc(nlp, "欣旺达发布公告", [(0, 3, "ORG")], stats, "cfsc", default="missing")
    assert [t.ent_iob_ for t in doc] == ["B", "I", "I", "", "", "", ""]
    doc = prepare.make_doc(nlp, "张三老师来了", [(0, 2, "PERSON"), (2, 4, None)], stats, "weibo")
    assert [t.ent_iob_ for t in doc] == ["B", "I", "", "", "O", "O"]


def test_cfsc_company_rule_ignores_stock_spans_and_public_bodies_only(tmp_path, monkeypatch):
    rec = {"text": "国家统计局称，拼多多涨3%，欣旺达中标。",
           "labels": [{"text": "拼多多", "Level 1 Aspect": "Stock", "from": 7, "to": 10},
                      {"text": "欣旺达", "Level 1 Aspect": "Corporate", "from": 14, "to": 17}]}
    (tmp_path / "cfsc_ner").mkdir()
    (tmp_path / "cfsc_ner" / "test.json").write_text(json.dumps([rec], ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(eval_ner, "DATA", tmp_path)
    [(text, gold, ignored)] = list(eval_ner.cfsc_test_companies())
    assert gold == {(14, 17, "ORG")}
    assert ignored((0, 5, "ORG"))  # 国家统计局: a public body
    assert ignored((7, 10, "ORG"))  # on a Stock span
    assert not ignored((11, 14, "ORG"))  # anything else still counts as a false positive


def test_training_records_that_are_evaluation_sentences_are_known(tmp_path):
    (tmp_path / "cluener2020").mkdir()
    (tmp_path / "cluener2020" / "dev.json").write_text(json.dumps({"text": "华为在深圳", "label": {}}, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "cfsc_ner").mkdir()
    (tmp_path / "cfsc_ner" / "test.json").write_text(json.dumps([{"text": "欣旺达中标", "labels": []}], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "weibo_ner").mkdir()
    for split, text in (("dev", "好"), ("test", "我在北京")):
        rows = "\n".join(f"{c}0\tO" for c in text)
        (tmp_path / "weibo_ner" / f"weiboNER_2nd_conll.{split}").write_text(rows + "\n", encoding="utf-8")
    assert prepare.evaluation_texts(tmp_path) == {"华为在深圳", "欣旺达中标", "好", "我在北京"}


def test_only_the_kept_labels_are_taught_and_the_others_unknown():
    spans = [(0, 2, "ORG"), (3, 5, "PERSON"), (6, 8, "LOC")]
    assert prepare.only_labels(spans, {"ORG", "PERSON"}) == [(0, 2, "ORG"), (3, 5, "PERSON"), (6, 8, None)]
    assert prepare.only_labels(spans, {"ORG", "PERSON", "LOC"}) == spans


def test_msra_tags_map_to_our_labels_and_repeated_sentences_come_once(tmp_path):
    import zipfile

    def sentence(text, tags):
        return "\n".join(f"{c}\t{t}" for c, t in zip(text, tags)) + "\n\n"

    first = sentence("新华社记者张三在中美会谈", ["B-ORG", "I-ORG", "I-ORG", "O", "O", "B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O", "O"])
    path = tmp_path / "dh_msra.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("dh_msra.txt", first + sentence("好", ["O"]) + first)
    assert list(prepare.msra_records(path, {"ORG", "PERSON"})) == [
        ("新华社记者张三在中美会谈", [(0, 3, "ORG"), (5, 7, "PERSON"), (8, 9, None), (9, 10, None)]),
        ("好", []),
    ]
    assert [spans for _, spans in prepare.msra_records(path)][0][2:] == [(8, 9, "LOC"), (9, 10, "LOC")]


def test_swapped_mentions_keep_their_labels_and_cover_exactly_the_new_surface(tmp_path):
    records = [{"text": "华为在深圳发布昇腾", "entities": [{"start": 0, "end": 2, "label": "ORG"},
                                                    {"start": 3, "end": 5, "label": "LOC"},
                                                    {"start": 7, "end": 9, "label": "PRODUCT"}]}]
    gazetteer = tmp_path / "gazetteer.csv"
    gazetteer.write_text("canonical,label,aliases,parent,kind\n中国移动,ORG,中移动|CMCC,,operator\n"
                         "某计划,PROJECT,,,programme\n", encoding="utf-8")
    pool = prepare.mention_pool(records, gazetteer)
    # a label the training mentions never use gets no gazetteer forms either
    assert pool == {"ORG": ["华为", "中国移动", "中移动", "CMCC"], "LOC": ["深圳"], "PRODUCT": ["昇腾"]}

    spans = [(s["start"], s["end"], s["label"]) for s in records[0]["entities"]]
    rng = prepare.random.Random(0)
    for _ in range(20):
        text, new = prepare.swap_mentions(records[0]["text"], spans, pool, rng)
        assert [label for *_, label in new] == ["ORG", "LOC", "PRODUCT"]
        assert text[new[0][0]:new[0][1]] in pool["ORG"]
        assert text[new[0][1]:new[1][0]] == "在" and text[new[1][1]:new[2][0]] == "发布"
        assert new[2][1] == len(text)
        doc = prepare.make_doc(Chinese(), text, new, prepare.Counter(), "swapped")
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == new
    assert prepare.swap_mentions("好", [], pool, rng) == ("好", [])
