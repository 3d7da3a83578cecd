"""The relation classifier stage and link attributes, on sentences written for the tests (not from the seed)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kg.relation_model import (
    AROUND, BETWEEN, HEAD_OPEN, TAIL_OPEN, RelationClassifier, allowed, candidate_pairs, cue_marks, listed_together,
    load_textcat, marked, nearest_occurrences, shipped_model_path,
)
from kg.relations import Arg, attributes


def rels(record):
    names = {e["id"]: e["actor"] for e in record["entities"] + record["inferred"]}
    return {(names[r["head_id"]], r["relation"], names[r["tail_id"]]) for r in record["relations"]}


# ------------------------------------------------------------------------ the shipped model
def test_classifier_loads_from_the_package_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_textcat.cache_clear()
    path = shipped_model_path()
    model = load_textcat(str(path))
    cats = model("⁑供 ⟦◆甲公司⟧向⦃◆乙公司⦄供应服务器").cats
    assert set(cats) >= {"supplier-of", "NONE"} and abs(sum(cats.values()) - 1) < 1e-3
    size = sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
    assert size < 30 * 2**20


def test_the_classifier_adds_to_the_rules_links_with_evidence(nlp):
    text = "2024年,华为与贵州省人民政府签署战略合作协议,双方将在贵安新区共建智算中心。"
    with nlp.select_pipes(disable=["kg_relation_classifier"]):
        doc = nlp(text)
    rules = [(r.head.text, r.relation, r.tail.text) for r in doc._.kg_relations]
    doc = RelationClassifier(nlp, "kg_relation_classifier", None, threshold=0.5, keep_threshold=0.0, rule_weight=0.5)(doc)
    assert set(rules) <= {(r.head.text, r.relation, r.tail.text) for r in doc._.kg_relations}
    for r in doc._.kg_relations:
        assert 0 < r.confidence <= 1 and text[r.evidence[0]:r.evidence[1]]


# ------------------------------------------------------------------------ candidate pairs
def test_a_sentence_that_repeats_names_gives_each_name_pair_its_two_closest_occurrences():
    # 甲公司与乙公司和甲公司与乙公司…: 30 occurrences of two names make 450 ordered pairs of them
    args, pos = [], 0
    for i in range(30):
        name = "甲公司" if i % 2 == 0 else "乙公司"
        args.append(Arg(name, "ORG", pos, pos + 3))
        pos += 4
    pairs = nearest_occurrences(candidate_pairs(args))
    assert sorted({(h.text, t.text) for h, t in pairs}) == [("乙公司", "甲公司"), ("甲公司", "乙公司")]
    assert len(pairs) == 4
    assert all(abs(h.start - t.start) == 4 for h, t in pairs)  # neighbours, not the list's two ends
    # distinct names keep every pair, in the order the sentence gives them
    few = [Arg("甲公司", "ORG", 0, 3), Arg("乙公司", "ORG", 4, 7), Arg("丙公司", "ORG", 8, 11)]
    assert nearest_occurrences(candidate_pairs(few)) == list(candidate_pairs(few))


def test_pairs_follow_the_type_constraints():
    org = Arg("某某科技有限公司", "ORG", 0, 8)
    loc = Arg("银川", "LOC", 9, 11)
    person = Arg("张三", "PERSON", 12, 14)
    pairs = {(h.text, t.text) for h, t in candidate_pairs([org, loc, person])}
    assert ("某某科技有限公司", "银川") in pairs
    assert not any("张三" in p for p in pairs)  # no relation of kg links a person
    assert allowed("located-in", "PROJECT", "LOC") and not allowed("located-in", "LOC", "PROJECT")
    assert allowed("operates", "ORG", "PROJECT") and not allowed("operates", "PROJECT", "ORG")
    assert not allowed("subsidiary-of", "ORG", "LOC")


def test_marked_string_puts_head_and_tail_in_their_markers():
    text = "华北星云公司向河套数据港供应了服务器。"
    h, t = Arg("华北星云公司", "ORG", 0, 6), Arg("河套数据港", "PROJECT", 7, 12)
    s = marked(text, 0, len(text), h, t, [h, t], {("华北星云公司", "河套数据港"): {"supplier-of"}})
    assert s.startswith("⁑供")
    assert s.index(HEAD_OPEN) < s.index("华北星云公司") < s.index(TAIL_OPEN) < s.index("河套数据港")
    back = marked(text, 0, len(text), t, h, [h, t], {("华北星云公司", "河套数据港"): {"supplier-of"}})
    assert back.startswith("⁂供")  # the rule's verdict read from the other side


def test_cue_marks_say_where_a_relations_words_stand_and_which_end_comes_first():
    text = "据悉,华北星云公司向河套数据港供应了服务器,双方还将合作。"
    h, t = Arg("华北星云公司", "ORG", 3, 9), Arg("河套数据港", "PROJECT", 10, 15)
    forward = cue_marks(text, 0, len(text), h, t)
    assert forward.startswith("→")
    assert BETWEEN + "供" not in forward  # 供应 follows the tail: around the pair, not between
    assert AROUND + "供" in forward and AROUND + "合" in forward
    assert cue_marks(text, 0, len(text), t, h).startswith("←")
    text = "华北星云公司投资河套数据港。"
    h, t = Arg("华北星云公司", "ORG", 0, 6), Arg("河套数据港", "PROJECT", 8, 13)
    assert BETWEEN + "投" in cue_marks(text, 0, len(text), h, t)


def test_members_of_one_list_are_no_pair_for_the_classifier():
    text = "甘肃移动与燧原科技、金山云和百度达成合作。"
    names = ["甘肃移动", "燧原科技", "金山云", "百度"]
    args = [Arg(n, "ORG", text.index(n), text.index(n) + len(n)) for n in names]
    by = dict(zip(names, args))
    assert listed_together(text, by["燧原科技"], by["百度"], args)
    assert listed_together(text, by["金山云"], by["燧原科技"], args)
    assert not listed_together(text, by["甘肃移动"], by["燧原科技"], args)
    text = "甘肃移动和燧原科技签署协议。"  # two parties, no list
    a, b = Arg("甘肃移动", "ORG", 0, 4), Arg("燧原科技", "ORG", 5, 9)
    assert not listed_together(text, a, b, [a, b])


def test_the_classifier_refuses_a_relation_it_does_not_know(nlp):
    with pytest.raises(ValueError, match="supplies-to"):
        RelationClassifier(nlp, "c", None, threshold=0.5, keep_threshold=0.0, rule_weight=0.5, adds=["supplies-to"])


# ------------------------------------------------------------------------ attributes
def test_a_chinese_unit_may_run_into_a_latin_word():
    a = attributes("去年,该园区采购了1500架IDC机柜,总价值300多万元。")
    assert a["quantity"] == 1500 and a["quantity_unit"] == "架" and a["amount"] == 3e6


def test_latin_units_still_end_at_a_word_boundary():
    assert "quantity" not in attributes("存储容量达到80PB的集群")


def test_the_quantity_nearest_the_link_is_the_links():
    s = "2026年3月,我们为该中心交付2000卡训练芯片,另交付存储服务器300台,合同金额2.6亿元。"
    assert attributes(s)["quantity_text"] == "2000卡"
    near = attributes(s, near=[s.index("存储服务器")])
    assert near["quantity_text"] == "300台"
    assert near["amount"] == 2.6e8 and near["date"] == "2026-03"


# ------------------------------------------------------------------------ end to end
def test_supplier_is_the_head(extract_text):
    r = extract_text("2025年,中国联通贵州公司向贵阳云岭智算科技有限公司采购了600台AI服务器,合同金额9000万元。")
    found = rels(r)
    supply = {(h, t) for h, rel, t in found if rel == "supplier-of"}
    assert any("云岭" in h and "联通" in t for h, t in supply)
    assert not any("联通" in h and "云岭" in t for h, t in supply)
    link = next(x for x in r["relations"] if x["relation"] == "supplier-of" and "云岭" in x["head"])
    assert link["quantity"] == 600 and link["amount"] == 9e7 and link["date"] == "2025"
    assert r["relations"] and all(0 < x["confidence"] <= 1 for x in r["relations"])


def test_we_in_a_quotation_links_the_speakers_company(extract_text):
    text = ("“去年,广西电信采购了我们的900架服务器机柜。”南宁恒远机电股份有限公司总经理赵刚介绍。")
    r = extract_text(text)
    link = next(x for x in r["relations"] if x["relation"] == "supplier-of" and x["head"] == "南宁恒远机电股份有限公司")
    assert "电信" in link["tail"]
    assert link["quantity"] == 900 and link["quantity_unit"] == "架"
    assert text[link["evidence_start"]:link["evidence_end"]] == link["evidence"]


def test_the_company_refers_back_across_sentences(extract_text):
    text = ("合肥星图算力科技有限公司成立于2019年。2024年6月,该公司为中国电信安徽公司交付了一批推理服务器。")
    r = extract_text(text)
    links = [x for x in r["relations"] if x["head"] == "合肥星图算力科技有限公司" and x["relation"] == "supplier-of"]
    assert links, r["relations"]
    assert all(text[x["evidence_start"]:x["evidence_end"]] == x["evidence"] for x in links)
    assert any(x.get("date") == "2024-06" for x in links)


def scripted_links(monkeypatch, relation, score=lambda string: 0.9):
    """predict() with a model that reads every pair as `relation`, `score(marked string)` sure of it:
    what is left is the combination's doing."""
    import kg.relation_model as RM

    def links(text, spans, existing=()):
        mentions = [Arg(s, label, text.index(s), text.index(s) + len(s)) for s, label in spans]
        clf = RM.RelationClassifier.__new__(RM.RelationClassifier)
        clf.threshold, clf.keep_threshold, clf.rule_weight, clf.adds, clf.model = 0.5, 0.0, 0.5, {relation}, None
        clf.lexicon = RM.load_lexicon(None)
        monkeypatch.setattr(RM, "score_pairs", lambda model, strings: [
            {relation: score(x), "NONE": 1 - score(x)} for x in strings])
        return {(r.head.text, r.relation, r.tail.text) for r in clf.predict(text, mentions, list(existing))}

    return links


def test_a_deployment_at_a_host_drops_the_place_the_sentence_is_set_in(monkeypatch):
    links = scripted_links(monkeypatch, "deployed-at")

    found = links("甘肃首个星河大模型部署在云谷产业园。", [("甘肃", "LOC"), ("星河大模型", "PRODUCT"), ("云谷产业园", "PROJECT")])
    assert ("星河大模型", "deployed-at", "云谷产业园") in found
    assert ("星河大模型", "deployed-at", "甘肃") not in found
    # with no host in the sentence, the place is where it runs
    assert ("星河大模型", "deployed-at", "甘肃") in links("星河大模型已在甘肃上线。", [("星河大模型", "PRODUCT"), ("甘肃", "LOC")])


def test_the_classifier_states_a_one_way_link_in_one_direction(monkeypatch):
    from kg.relations import Relation

    text = "星河数据公司获北辰资本投资。"
    spans = [("星河数据公司", "ORG"), ("北辰资本", "ORG")]
    investor, target = Arg("北辰资本", "ORG", 7, 11), Arg("星河数据公司", "ORG", 0, 6)
    rule = Relation(investor, "invested-in", target, (0, len(text)), 0.7)
    found = scripted_links(monkeypatch, "invested-in")(text, spans, [rule])
    assert ("北辰资本", "invested-in", "星河数据公司") in found
    assert ("星河数据公司", "invested-in", "北辰资本") not in found  # the rules read the passive
    # without a rule, the reading the classifier is surer of
    surer = scripted_links(monkeypatch, "invested-in", lambda x: 0.8 if x.index("⟦") > x.index("⦃") else 0.6)
    assert surer(text, spans) == {("北辰资本", "invested-in", "星河数据公司")}
    # a symmetric relation holds both ways: the partnership stays
    assert len(scripted_links(monkeypatch, "partner-of")("星河数据公司与北辰资本签约。", spans)) == 1


def test_an_investment_in_a_run_of_places_is_in_the_last(monkeypatch):
    found = scripted_links(monkeypatch, "invested-in")(
        "北辰资本将在福州市长乐新区投资建设数据中心。", [("北辰资本", "ORG"), ("福州市", "LOC"), ("长乐新区", "LOC")])
    assert ("北辰资本", "invested-in", "长乐新区") in found
    assert ("北辰资本", "invested-in", "福州市") not in found


def test_a_users_alias_file_reaches_the_classifier_as_it_reaches_the_rules(tmp_path):
    # the classifier drops links to countries by the same register the rules read: a user who
    # makes 新加坡 a firm's short name must not see the classifier still treat it as a country
    from kg.pipeline import load_nlp

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical,label\n新加坡,新加坡星河数据有限公司,ORG\n", encoding="utf-8")
    nlp = load_nlp(alias_file=str(aliases), ner=False)
    for name in ("kg_entities", "kg_relations", "kg_relation_classifier"):
        entry = nlp.get_pipe(name).lexicon.lookup("新加坡")
        assert (entry.canonical, entry.label, entry.kind) == ("新加坡星河数据有限公司", "ORG", "user"), name
