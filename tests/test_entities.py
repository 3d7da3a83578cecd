"""The entity stage on sentences written for the tests (not from the seed) and on public data."""

from conftest import SHARED, needs_shared


def ents(record):
    return {(e["text"], e["label"]) for e in record["entities"]}


def test_company_names_by_suffix_with_bracketed_place(extract_text):
    r = extract_text("2024年6月,浙江云川数据科技有限公司在湖州设立全资子公司云川智算(湖州)有限公司。")
    found = ents(r)
    assert ("浙江云川数据科技有限公司", "ORG") in found
    assert ("云川智算(湖州)有限公司", "ORG") in found
    assert ("湖州", "LOC") in found


def test_short_form_of_a_full_company_name_is_the_same_actor(extract_text):
    r = extract_text("贵州黔云星河科技股份有限公司今年中标了一批服务器订单。黔云星河表示将扩大产能。")
    by_text = {e["text"]: e for e in r["entities"]}
    assert by_text["黔云星河"]["label"] == "ORG"
    assert by_text["黔云星河"]["id"] == by_text["贵州黔云星河科技股份有限公司"]["id"]


def test_facilities_platforms_and_quoted_programme_names_are_projects(extract_text):
    r = extract_text("中国电信(宁夏·中卫)智算中心已投入运营,中卫市同时上线了政务服务平台“宁易办”。")
    found = ents(r)
    assert ("中国电信(宁夏·中卫)智算中心", "PROJECT") in found
    assert ("宁易办", "PROJECT") in found
    assert ("中卫市", "LOC") in found


def test_a_firm_named_in_full_before_its_own_facility_is_two_names():
    from kg.entities import Candidate, _split_owner

    text = "项目落在华北星云科技有限公司燕山云谷大数据产业园。"
    s = text.index("华北")
    parts = _split_owner(Candidate(s, len(text) - 1, "PROJECT", 1), text)
    assert [(text[c.start:c.end], c.label) for c in parts] == [("华北星云科技有限公司", "ORG"), ("燕山云谷大数据产业园", "PROJECT")]
    # a brand's facility, or a firm's unnamed data centre, is one name
    for name in ("中国联通(内蒙古·呼和浩特)数据中心", "中国电信集团数据中心"):
        assert len(_split_owner(Candidate(0, len(name), "PROJECT", 1), name)) == 1


def test_generic_phrases_are_not_names(extract_text):
    r = extract_text("该公司将规划建设国产大规模智算集群,构建区域产业集群,加速推进数据中心建设。")
    labels = {label for _, label in ents(r)}
    assert "PROJECT" not in labels and "ORG" not in labels


def test_people_after_titles_and_in_bylines(extract_text):
    r = extract_text("浪潮信息副总裁刘海涛表示,公司将加大投入。\n编辑:孙 悦")
    found = ents(r)
    assert ("刘海涛", "PERSON") in found
    assert ("孙 悦", "PERSON") in found
    assert ("浪潮信息", "ORG") in found


def test_list_items_take_the_type_of_their_head_noun(extract_text):
    r = extract_text("项目吸引了星河云端、极光算力、北辰智联等多家企业入驻。")
    found = ents(r)
    for name in ("星河云端", "极光算力", "北辰智联"):
        assert (name, "ORG") in found


def test_products_and_models(extract_text):
    r = extract_text("该医院本地化部署了DeepSeek-R1和通义千问大模型,并采购了昇腾910B芯片。")
    found = ents(r)
    assert ("DeepSeek-R1", "PRODUCT") in found
    assert ("昇腾910B", "PRODUCT") in found
    assert any(t.startswith("通义千问") and l == "PRODUCT" for t, l in found)


def test_entity_spans_are_whole_tokens_and_offsets_point_into_the_text(extract_text, nlp):
    text = "(新华网发 张三 摄)中国移动(内蒙古·和林格尔)数据中心"
    r = extract_text(text)
    for e in r["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert ("新华网", "ORG") in ents(r)


@needs_shared
def test_recall_of_organisations_named_in_finre_sentences(extract_text):
    """FinRE gives the two organisations of each sentence: a floor on how many the rules find."""
    lines = (SHARED / "data" / "finre" / "test.txt").read_text(encoding="utf-8").splitlines()[:150]
    found = total = 0
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        head, tail, _rel, sentence = parts[:4]
        names = {e["text"] for e in extract_text(sentence)["entities"] if e["label"] == "ORG"}
        for name in (head, tail):
            total += 1
            found += any(name in n or n in name for n in names)
    assert total > 100
    assert found / total >= 0.35, f"only {found}/{total} FinRE organisation names found"


def test_a_verb_before_a_facility_is_not_part_of_its_name(extract_text):
    r = extract_text("星河集团将在安顺建设和运营星河西南人工智能超算中心,并莅临乌江数字经济产业园考察。")
    found = {text for text, label in ents(r) if label == "PROJECT"}
    assert "星河西南人工智能超算中心" in found and not any(t.startswith(("运营", "和运营")) for t in found)
    assert not any(t.startswith(("莅临", "临")) for t in found)
    # nor of the first item of a list: 建成投用A、B、C等万卡集群
    r = extract_text("园区已建成投用星河智算、北辰科技、南岭云等多家企业的算力集群。")
    assert not any(t.startswith(("投用", "建成")) for t, _ in ents(r))


def test_a_model_span_that_takes_in_the_verb_before_a_name_is_trimmed(nlp):
    from kg.entities import Candidate, _trim_leading_verb

    doc = nlp.make_doc("公司已投用火山引擎的算力。")
    s = doc.text.index("投用")
    trimmed = _trim_leading_verb(Candidate(s, doc.text.index("的"), "ORG", 0), doc, doc.text)
    assert doc.text[trimmed.start:trimmed.end] == "火山引擎"
    # a one-character first word may be the name's own (一网统管): never trimmed
    doc = nlp.make_doc("推行一网统管改革。")
    s = doc.text.index("一")
    kept = _trim_leading_verb(Candidate(s, s + 4, "PROJECT", 0), doc, doc.text)
    assert doc.text[kept.start:kept.end] == "一网统管"


def test_a_scare_quoted_common_word_is_no_project(extract_text):
    r = extract_text("产业园要当好企业的创新服务“合伙人”,为入驻企业提供一站式服务平台“云上易办”。")
    found = ents(r)
    assert ("合伙人", "PROJECT") not in found
    assert ("云上易办", "PROJECT") in found


def test_a_quoted_slogan_before_a_service_is_no_project(extract_text):
    # “X”服务 names the kind of service a firm offers (普惠, 贴心): a slogan, not a platform
    found = ents(extract_text("星河科技以“算力普惠”服务推动企业上云,并上线了服务平台“星河易办”。"))
    assert ("算力普惠", "PROJECT") not in found
    assert ("星河易办", "PROJECT") in found


def test_a_place_and_its_industry_is_no_firm(extract_text):
    r = extract_text("方案提出支持吕梁大数据产业发展,推动西宁人工智能产业聚集,华辰科技也将入驻。")
    orgs = {text for text, label in ents(r) if label == "ORG"}
    assert not orgs & {"吕梁大数据", "西宁人工智能"}
    assert "华辰科技" in orgs


def test_a_known_place_the_model_runs_on_is_cut_back():
    from kg.entities import Candidate, _split_place

    text = "新华网西宁5月17日电 青海数字经济产业规模持续扩大,成渝地区双城经济圈建设提速。"
    known = [Candidate(text.index("西宁"), text.index("西宁") + 2, "LOC", 4),
             Candidate(text.index("青海"), text.index("青海") + 2, "LOC", 4),
             Candidate(text.index("成渝"), text.index("成渝") + 2, "LOC", 4)]

    def split(surface, label):
        s = text.index(surface)
        return [(text[c.start:c.end], c.label) for c in _split_place(Candidate(s, s + len(surface), label, 0), known, text)]

    assert split("新华网西宁", "ORG") == [("新华网", "ORG"), ("西宁", "LOC")]  # an outlet and its dateline's city
    assert split("青海数字经济", "LOC") == [("青海", "LOC")]  # a place and its economy
    assert split("成渝地区双城经济圈", "LOC") == [("成渝地区双城经济圈", "LOC")]  # a region's own name
    assert split("青海数字经济产业规模", "ORG") == [("青海数字经济产业规模", "ORG")]  # no dateline: left alone


def test_a_kind_of_facility_is_no_name(extract_text):
    r = extract_text("园区将建设灾备数据中心和万卡级国产算力集群,打造零碳数据中心标杆,星河智算中心同步开工。")
    projects = {text for text, label in ents(r) if label == "PROJECT"}
    assert projects.isdisjoint({"灾备数据中心", "万卡级国产算力集群", "零碳数据中心"})
    assert "星河智算中心" in projects


def test_a_facility_described_by_its_size_is_no_name(extract_text):
    from kg.entities import _sized_kind

    r = extract_text("宁州将建设2000P智算中心和千P级智算中心,全国产化智算中心同步投运。")
    projects = {text for text, label in ents(r) if label == "PROJECT"}
    assert projects.isdisjoint({"2000P智算中心", "千P级智算中心", "全国产化智算中心"})
    assert all(_sized_kind(w) for w in ("2000P智算中心", "10万架数据中心", "百P级算力集群", "新型数据中心", "一体化数据中心"))
    # a place, a brand or a programme makes it one facility
    assert not any(_sized_kind(w) for w in ("石河子2000P智算中心", "星河智算中心", "东数西算产业园", "省级政务云", "智算中心",
                                            "三峡数据中心", "全国一体化算力网络国家枢纽节点"))


def test_a_counted_class_is_no_project_and_a_bureau_is_an_organisation(extract_text):
    r = extract_text("该市围绕八大算力枢纽布局十大新兴产业集群。签约项目包括宁州市大数据发展管理局、星河智算中心等项目。")
    found = ents(r)
    assert not {t for t, label in found if label == "PROJECT"} & {"八大算力枢纽", "十大新兴产业集群"}
    assert ("宁州市大数据发展管理局", "PROJECT") not in found


def test_a_persons_name_stops_before_the_verb_after_it(extract_text):
    r = extract_text("星河智算科技有限公司总裁刘洋说,一期投资12亿元。项目总经理蒲定说。")
    people = {t for t, label in ents(r) if label == "PERSON"}
    assert {"刘洋", "蒲定"} <= people and not people & {"刘洋说", "蒲定说"}


def test_a_model_person_span_loses_the_title_before_and_the_verb_after():
    from kg.entities import Candidate, _trim_person

    for span, name in (("腾讯集团副总裁蔡光忠", "蔡光忠"), ("王凤朝会见", "王凤朝"), ("李谦,", "李谦"), ("欧阳文说", "欧阳文"), ("刘洋", "刘洋")):
        c = _trim_person(Candidate(0, len(span), "PERSON", 0), span)
        assert span[c.start:c.end] == name


def test_a_lists_last_item_opens_on_no_verb_and_a_common_noun_is_no_place(extract_text):
    r = extract_text("打造立足宁夏、辐射西北地区的算力基地。星河是一家综合服务公司、中国领先的云厂商。")
    places = {t for t, label in ents(r) if label == "LOC"}
    assert not any(t.startswith("辐射") for t in places)
    assert "公司" not in places


def test_kinds_of_organisation_are_no_names():
    from kg.entities import _generic_org

    assert all(_generic_org(w) for w in ("上市公司", "关联公司", "区政府", "省委省政府", "大学", "AI", "大数据"))
    assert not any(_generic_org(w) for w in ("浪潮", "庆阳市人民政府", "兰州大学", "星河科技有限公司"))


def test_a_chip_makers_name_in_a_list_of_chips_is_the_chip(extract_text):
    r = extract_text("平台适配飞腾、海光、龙芯等主流国产芯片。飞腾信息技术有限公司表示将扩大产能。")
    found = ents(r)
    assert {("飞腾", "PRODUCT"), ("海光", "PRODUCT")} <= found
    assert ("飞腾信息技术有限公司", "ORG") in found  # the company itself stays an organisation


def test_an_address_the_model_reads_as_a_place_stays_whole():
    from kg.entities import Candidate, _split_place

    text = "公司位于上海市漕溪北路88号。"
    s = text.index("上海市")
    known = [Candidate(s, s + 3, "LOC", 4)]
    whole = Candidate(s, text.index("。"), "LOC", 0)
    assert [(c.start, c.end) for c in _split_place(whole, known, text)] == [(whole.start, whole.end)]


def test_a_model_span_that_runs_a_facility_into_the_next_noun_is_cut_at_the_facility():
    from kg.entities import Candidate, _trim_trailing_noun

    text = "结合遵义数字政府云资源,接入了大模型。"
    s = text.index("遵义")
    c = _trim_trailing_noun(Candidate(s, text.index(","), "ORG", 0), text)
    assert (text[c.start:c.end], c.label) == ("遵义数字政府云", "PROJECT")
    c = _trim_trailing_noun(Candidate(s, text.index(","), "LOC", 0), text)
    assert text[c.start:c.end] == "遵义数字政府云资源"  # only organisation and project spans


def test_a_model_span_loses_a_word_no_name_ends_on():
    from kg.entities import Candidate, _trim_trailing_noun

    def trimmed(text, name, label):
        s = text.index(name)
        c = _trim_trailing_noun(Candidate(s, s + len(name), label, 0), text)
        return text[c.start:c.end]

    assert trimmed("部署千问大模型后,效率提升。", "千问大模型后", "PRODUCT") == "千问大模型"
    assert trimmed("位于珠海大学城内的数据中心。", "珠海大学城内", "ORG") == "珠海大学城"
    assert trimmed("黔东展览馆总面积3万平方米。", "黔东展览馆总面积", "PROJECT") == "黔东展览馆"
    assert trimmed("昆明日报讯 近日,", "昆明日报讯", "ORG") == "昆明日报"
    # 讯 ends a name where it is not a dateline's (华讯, 通讯): only after an outlet's 报/网/社/台/刊
    assert trimmed("深圳华讯方舟公司。", "深圳华讯", "ORG") == "深圳华讯"
    # places and people are left alone (比利时 is no time word)
    assert trimmed("来自比利时。", "比利时", "LOC") == "比利时"
    # an organisation run into its clause's verb; a name that goes on past the suffix is kept
    assert trimmed("与市政府、星河算力集团共建的智算中心。", "星河算力集团共建", "ORG") == "星河算力集团"
    assert trimmed("甲方科技有限公司投资3亿元。", "甲方科技有限公司投资", "ORG") == "甲方科技有限公司"
    assert trimmed("星河集团联合体中标。", "星河集团联合体", "ORG") == "星河集团联合体"
    assert trimmed("由星河集团共建的园区。", "星河集团共建", "PROJECT") == "星河集团共建"


def test_an_organisation_named_like_a_data_centre_or_park_is_the_facility():
    from kg.entities import Candidate, _org_by_ending

    def typed(name, label):
        text = f"参观了{name}。"
        return _org_by_ending(Candidate(3, 3 + len(name), label, 0), text).label

    assert typed("昆明超算中心", "ORG") == "PROJECT"
    assert typed("国家超级计算昆明中心", "ORG") == "PROJECT"
    assert typed("滇中信息港", "ORG") == "PROJECT"
    # a region's 大数据中心 is often its data bureau, and a research centre is an organisation
    assert typed("云南省大数据中心", "ORG") == "ORG"
    assert typed("云南省科技创新研究中心", "ORG") == "ORG"
    # and the other way: a "project" named like a bureau is the organisation
    assert typed("昆明市数据局", "PROJECT") == "ORG"


def test_an_organisation_loses_the_role_written_before_its_name(nlp):
    from kg.entities import Candidate, _trim_leading_verb

    text = "双方共同设立的合资公司贵州云岭算力科技有限公司已完成注册,普通合伙人黔南创投基金管理有限公司出资。"
    doc = nlp.make_doc(text)
    for name, expected in (("合资公司贵州云岭算力科技有限公司", "贵州云岭算力科技有限公司"),
                           ("普通合伙人黔南创投基金管理有限公司", "黔南创投基金管理有限公司")):
        s = text.index(name)
        c = _trim_leading_verb(Candidate(s, s + len(name), "ORG", 0), doc, text)
        assert text[c.start:c.end] == expected
    # a role word too close to the end is the whole name (子公司 is no name, and neither is its rest)
    s = text.index("合资公司")
    c = _trim_leading_verb(Candidate(s, s + 6, "ORG", 0), doc, text)
    assert (c.start, c.end) == (s, s + 6)


def test_a_company_name_found_by_its_suffix_starts_after_the_role_before_it(extract_text):
    found = ents(extract_text("公司与黔南创投共同投资设立的合资公司华蓝智算科技有限公司已完成工商注册。"))
    assert ("华蓝智算科技有限公司", "ORG") in found
    assert not {t for t, _ in found if t.startswith("合资公司")}


def test_a_full_company_name_runs_over_the_business_it_names(extract_text):
    found = ents(extract_text("公司与黔南大数据产业投资有限公司共同设立合资公司。"))
    assert ("黔南大数据产业投资有限公司", "ORG") in found
    found = ents(extract_text("中标单位为遵义南方通信建设有限公司。"))
    assert ("遵义南方通信建设有限公司", "ORG") in found
    # but a verb before a name is not part of it (投资瓴盛科技), nor is 公司 (the issuer) before another
    found = ents(extract_text("公司黔东数三号投资有限责任公司成立于2024年。"))
    assert not {t for t, _ in found if t.startswith("公司")}


def test_government_departments_are_found_by_their_ending_but_not_a_layout(extract_text):
    assert ("遵义市经信局", "ORG") in ents(extract_text("遵义市经信局21日在其官方网站上披露了消息。"))
    assert ("黔东南州商务局", "ORG") in ents(extract_text("黔东南州商务局21日披露了消息。"))
    # 局 alone is no ending: 产业布局, 新格局
    found = ents(extract_text("华为加快产业布局,形成新格局。"))
    assert not {t for t, _ in found if t.endswith("局")}


def test_the_source_of_a_figure_is_no_firm_named_after_its_data(extract_text):
    found = ents(extract_text("据工信部数据显示,贵州算力规模持续增长。"))
    assert ("工信部", "ORG") in found
    assert not {t for t, _ in found if t.endswith("数据")}
    # a firm whose short name ends on 数据 is still one
    assert ("秦淮数据", "ORG") in ents(extract_text("秦淮数据在大同建设了数据中心。"))


def test_a_span_holding_half_a_bracket_is_no_name():
    from kg.entities import _half_bracketed

    assert _half_bracketed("河南)科技有限公司") and _half_bracketed("中国移动(") and _half_bracketed("V2(训练型")
    assert not _half_bracketed("先天算力(河南)科技有限公司") and not _half_bracketed("中国移动(甘肃·庆阳)数据中心")
    assert not _half_bracketed("燧原科技")
    # quotation and title marks pair the same way
    assert _half_bracketed("星河造”精品的展示馆") and _half_bracketed("《数字丝路")
    assert not _half_bracketed("“东数西算”工程") and not _half_bracketed("《算力基础设施发展报告》")


def test_a_phrase_ending_on_a_sector_word_is_no_short_company_name(extract_text):
    found = ents(extract_text("双方将在具身智能和公有云领域合作,共建连云新城大数据产业。"))
    assert not {t for t, l in found if l == "ORG"}
    # the endings that make a name by themselves still do
    assert ("黔云数智科技", "ORG") in ents(extract_text("黔云数智科技中标了该项目。"))


def test_policy_slogans_are_no_projects_but_the_named_programme_is(extract_text):
    # the annotated articles never mark 新基建, 信创, 数字中国 or 人工智能+ (0 of 32 mentions), and
    # mark 东数西算 (33 of 35): a policy area is not a programme one can invest in or run
    found = ents(extract_text("贵州抢抓新基建和信创机遇,服务数字中国建设,实施“东数西算”工程。"))
    assert ("东数西算", "PROJECT") in found
    assert not {t for t, _ in found if t in ("新基建", "信创", "数字中国", "数字中国建设")}


def test_list_items_lose_a_word_no_name_ends_on_too(extract_text):
    found = ents(extract_text("该校本地化部署通义千问、盘古大模型后,面向全校开放。"))
    assert not {t for t, _ in found if t.endswith("后")}


def test_the_country_in_a_phrase_is_no_place_but_the_country_itself_is(extract_text):
    found = ents(extract_text("为数字中国建设注入动能,谱写中国式现代化新篇章,华为中国区副总裁出席。"))
    assert ("中国", "LOC") not in found
    assert ("中国", "LOC") in ents(extract_text("目前中国已有20多座智算中心。"))


def test_a_model_place_that_ends_like_a_company_or_data_centre_is_retyped():
    from kg.entities import Candidate, _retype

    for name, expected in (("上海大名城企业股份有限公司", "ORG"), ("深圳证券交易所", "ORG"),
                           ("昌吉顺惠信息科技服务有限公司智算中心", "PROJECT"), ("成渝地区双城经济圈", "LOC")):
        text = f"位于{name}。"
        c = _retype(Candidate(2, 2 + len(name), "LOC", 0), [], text)
        assert c.label == expected, name


def test_a_list_of_people_stops_at_the_last_name(extract_text):
    found = ents(extract_text("座谈结束后,杨维俊、雷战奎来到张掖大数据产业园,共同见证项目开工。"))
    assert ("雷战奎", "PERSON") in found
    assert not {t for t, l in found if l == "PERSON" and len(t) > 3}


def test_a_subsidiary_named_after_its_owner_and_role_is_two_names(extract_text):
    # the owner ends at its legal suffix; the role (控股子公司) belongs to neither name
    found = ents(extract_text("湖南星沙智能股份有限公司全资子公司长沙星算科技有限公司中标该项目。"))
    assert ("湖南星沙智能股份有限公司", "ORG") in found
    assert ("长沙星算科技有限公司", "ORG") in found
    assert not any(text.endswith("子公司") for text, _ in found)


def test_a_suffix_name_stopped_by_a_bad_word_split_takes_the_models_left_edge():
    from kg.entities import Candidate, _joined

    text = "由甲建工集团承建的星河能投天府云数据产业基地项目完工。"
    model = Candidate(text.index("星河"), text.index("数据"), "PROJECT", 0)
    pattern = Candidate(text.index("投天府云"), text.index("项目"), "PROJECT", 2)
    c = _joined(pattern, [model])
    assert text[c.start:c.end] == "星河能投天府云数据产业基地" and c.priority == 2
    # a model span of another type, or one that is not cut by the pattern's edge, changes nothing
    person = Candidate(model.start, model.end, "PERSON", 0)
    assert _joined(pattern, [person]) is pattern
    before = Candidate(text.index("甲建工"), text.index("承建"), "ORG", 0)
    assert _joined(pattern, [before]) is pattern
