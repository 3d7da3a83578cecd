"""One node per real actor: name variants, places, branches, misprints and user aliases."""

import json

import pytest
from typer.testing import CliRunner

from kg.lexicon import load_lexicon, name_key
from kg.resolution import DocumentResolver, entity_id


def resolver(*mentions, alias_file=None):
    return DocumentResolver(load_lexicon(alias_file), "", [(m, label, None) for m, label in mentions])


def test_ids_depend_only_on_canonical_name_and_type():
    assert entity_id("中国移动", "ORG") == entity_id("中国移动", "ORG")
    assert entity_id("中国移动", "ORG") != entity_id("中国移动", "PROJECT")
    assert entity_id("中国移动", "ORG") != entity_id("中国联通", "ORG")
    assert entity_id("中国移动", "ORG").startswith("org-")


@pytest.mark.parametrize("variant", [
    "中国移动（甘肃·庆阳）数据中心", "中国移动(甘肃・庆阳)数据中心", "中国移动【甘肃•庆阳】数据中心", "中国移动 (甘肃·庆阳) 数据中心",
])
def test_bracket_dot_and_width_variants_are_one_actor(variant):
    assert entity_id(variant, "PROJECT") == entity_id("中国移动(甘肃·庆阳)数据中心", "PROJECT")


def test_letter_case_is_one_actor_but_different_names_are_not():
    assert entity_id("Deepseek满意度质检平台", "PROJECT") == entity_id("DeepSeek满意度质检平台", "PROJECT")
    assert name_key("中国移动(甘肃·庆阳)数据中心") != name_key("中国移动(甘肃·庆阳)智算中心")


def test_both_writings_in_one_text_give_one_node(extract_text):
    rec = extract_text("中国移动（甘肃·庆阳）数据中心位于庆阳市。中国移动(甘肃·庆阳)数据中心已投入运营。")
    ids = {e["id"] for e in rec["entities"] if e["label"] == "PROJECT"}
    assert ids == {entity_id("中国移动(甘肃·庆阳)数据中心", "PROJECT")}, rec["entities"]


def test_places_with_and_without_their_suffix_are_one_place():
    r = resolver()
    assert r.canonical("庆阳", "LOC") == r.canonical("庆阳市", "LOC") == "庆阳市"
    assert r.canonical("甘肃", "LOC") == r.canonical("甘肃省", "LOC") == "甘肃省"


@pytest.mark.parametrize("name", ["中国移动甘肃公司庆阳分公司", "甘肃移动庆阳分公司", "中国移动庆阳分公司", "中国移动甘肃公司庆阳市分公司"])
def test_a_branch_is_named_after_its_parents_canonical(name):
    r = resolver((name, "ORG"))
    assert r.canonical(name, "ORG") == "中国移动甘肃公司庆阳分公司"
    assert r.parent_chain("中国移动甘肃公司庆阳分公司") == ["中国移动甘肃公司", "中国移动"]


def test_a_branch_name_that_is_a_known_actor_resolves_to_it():
    r = resolver()
    assert r.canonical("中国电信股份有限公司湖南分公司", "ORG") == "中国电信湖南公司"
    assert r.canonical("中国移动通信集团内蒙古有限公司", "ORG") == "中国移动内蒙古公司"


def test_an_unknown_companys_branch_keeps_the_company_as_parent():
    r = resolver(("兰州海红技术股份有限公司兰州分公司", "ORG"))
    assert r.canonical("兰州海红技术股份有限公司兰州分公司", "ORG") == "兰州海红技术股份有限公司兰州分公司"
    assert r.parent_chain("兰州海红技术股份有限公司兰州分公司") == ["兰州海红技术股份有限公司"]


def test_parents_are_created_when_only_the_branch_is_named(extract_text):
    rec = extract_text("2025年,甘肃移动庆阳分公司与兰州海红技术股份有限公司签署合作协议。")
    branch = next(e for e in rec["entities"] if e["text"] == "甘肃移动庆阳分公司")
    assert branch["id"] == entity_id("中国移动甘肃公司庆阳分公司", "ORG")
    inferred = {e["id"] for e in rec["inferred"]}
    province, group = entity_id("中国移动甘肃公司", "ORG"), entity_id("中国移动", "ORG")
    assert {province, group} <= inferred
    links = {(r["head_id"], r["relation"], r["tail_id"]) for r in rec["relations"]}
    assert (branch["id"], "subsidiary-of", province) in links
    assert (province, "subsidiary-of", group) in links
    assert (branch["id"], "subsidiary-of", group) not in links


def test_government_names_resolve_to_the_place_and_renmin_zhengfu():
    r = resolver()
    assert r.canonical("庆阳市政府", "ORG") == r.canonical("庆阳市人民政府", "ORG") == "庆阳市人民政府"
    assert r.canonical("北京市门头沟区人民政府", "ORG") == r.canonical("门头沟区政府", "ORG")
    assert r.canonical("某某政府", "ORG") == "某某政府"


def test_a_facility_named_again_without_its_owner_is_the_same_facility():
    r = resolver(("中国电信鄱阳湖智算中心", "PROJECT"), ("鄱阳湖智算中心", "PROJECT"), ("成都人工智能计算中心", "PROJECT"))
    assert r.canonical("鄱阳湖智算中心", "PROJECT") == "中国电信鄱阳湖智算中心"
    assert r.canonical("成都智算中心", "PROJECT") == "成都人工智能计算中心"
    # two operators' data centres in one city: the short name could be either, so it stays
    r = resolver(("中国移动呼和浩特数据中心", "PROJECT"), ("中国电信呼和浩特数据中心", "PROJECT"))
    assert r.canonical("呼和浩特数据中心", "PROJECT") == "呼和浩特数据中心"


def test_names_written_again_without_a_part_are_the_same_actor_in_that_document():
    r = resolver(("大同市数据局", "ORG"), ("市数据局", "ORG"), ("闽清县", "LOC"), ("闽清", "LOC"),
                 ("中国移动智算中心(呼和浩特)", "PROJECT"), ("中国移动智算中心", "PROJECT"),
                 ("广东医科大学", "ORG"), ("广东医科大学健康医疗大数据工程中心", "ORG"), ("健康医疗大数据工程中心", "ORG"))
    assert r.canonical("市数据局", "ORG") == "大同市数据局"
    assert r.canonical("闽清", "LOC") == r.canonical("闽清县", "LOC")
    assert r.canonical("中国移动智算中心", "PROJECT") == "中国移动智算中心(呼和浩特)"
    assert r.canonical("健康医疗大数据工程中心", "ORG") == "广东医科大学健康医疗大数据工程中心"
    # the end of a name says what it is: the university is not its own engineering centre
    assert r.canonical("广东医科大学", "ORG") == "广东医科大学"


def test_a_company_short_name_is_the_company_this_document_names_in_full():
    r = resolver(("庆阳云创智慧大数据有限公司", "ORG"), ("庆阳云创", "ORG"), ("深圳市东阳光实业发展有限公司", "ORG"),
                 ("深圳东阳光实业", "ORG"), ("浙江电光云科技有限公司", "ORG"), ("电光科技", "ORG"))
    assert r.canonical("庆阳云创", "ORG") == "庆阳云创智慧大数据有限公司"
    assert r.canonical("深圳东阳光实业", "ORG") == "深圳市东阳光实业发展有限公司"
    assert r.canonical("电光科技", "ORG") == "电光科技"  # skips 云: another company
    # the short name of either of two companies of the document is left alone
    r = resolver(("深圳市东阳光实业发展有限公司", "ORG"), ("广州市东阳光实业发展有限公司", "ORG"), ("东阳光实业", "ORG"))
    assert r.canonical("东阳光实业", "ORG") == "东阳光实业"


def test_places_written_after_their_enclosing_places_or_with_diqu():
    r = resolver(("深圳市福田区", "LOC"), ("福田区", "LOC"))
    assert r.canonical("深圳市福田区", "LOC") == r.canonical("福田区", "LOC")
    assert r.canonical("长三角地区", "LOC") == r.canonical("长三角", "LOC") == "长三角"


def test_a_likely_misprint_of_a_gazetteer_name_resolves_to_it():
    r = resolver()
    assert r.canonical("智普", "ORG") == "智谱"  # 普 and 谱 are both pǔ
    assert r.canonical("文心一研", "PRODUCT") == "文心一言"


@pytest.mark.parametrize("name,label", [
    ("智晋", "ORG"),              # 晋 is not a homophone of 谱
    ("志普", "ORG"),              # two characters differ from 智谱
    ("智普", "LOC"),              # places are never corrected
    ("智普", "PERSON"),
    ("华为记术有限公司", "ORG"),    # one homophone from 华为技术有限公司, but registered names are never corrected
])
def test_misprint_correction_is_conservative(name, label):
    assert load_lexicon().misprint_of(name, label) is None
    assert resolver().canonical(name, label) == name


def test_the_user_alias_file_overrides_the_gazetteer(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical,label\n甘肃移动,甘肃移动通信有限责任公司,ORG\n智普,智普科技,ORG\n", encoding="utf-8")
    r = resolver(alias_file=str(aliases))
    assert r.canonical("甘肃移动", "ORG") == "甘肃移动通信有限责任公司"
    assert r.canonical("智普", "ORG") == "智普科技"  # the user's word beats the misprint rule


def test_the_aliases_option_overrides_the_gazetteer_in_a_run(tmp_path):
    from kg.cli import app

    text = tmp_path / "t.txt"
    text.write_text("2025年,甘肃移动与兰州海红技术股份有限公司签署合作协议。", encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical,label\n甘肃移动,甘肃移动通信有限责任公司,ORG\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(text), "--aliases", str(aliases)])
    assert res.exit_code == 0, res.output
    rec = json.loads(res.stdout)
    ent = next(e for e in rec["entities"] if e["text"] == "甘肃移动")
    assert ent["actor"] == "甘肃移动通信有限责任公司"
    assert ent["id"] == entity_id("甘肃移动通信有限责任公司", "ORG")


def test_a_place_written_with_and_without_its_city_resolves_without_recursing():
    # 横琴新区's fuller name is 珠海市横琴新区, whose place part is 横琴新区 again: this looped
    # until the recursion limit and lost the document
    from kg.lexicon import load_lexicon
    from kg.resolution import DocumentResolver

    text = "珠海市横琴新区与某研究所签约。横琴新区将建设智算中心。"
    resolver = DocumentResolver(load_lexicon(), text, [("珠海市横琴新区", "LOC", None), ("横琴新区", "LOC", None)])
    assert resolver.canonical("横琴新区", "LOC") == resolver.canonical("珠海市横琴新区", "LOC")
