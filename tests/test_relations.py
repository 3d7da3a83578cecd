"""The relation stage on sentences written for the tests (not from the seed)."""

from kg.relations import attributes, sentences


def rels(record):
    """(head, relation, tail) by the actors' graph names (`actor`), whatever the document calls them."""
    names = {e["id"]: e["actor"] for e in record["entities"] + record["inferred"]}
    return {(names[r["head_id"]], r["relation"], names[r["tail_id"]]) for r in record["relations"]}


def test_supplier_is_the_head_when_the_customer_buys(extract_text):
    r = extract_text("2024年,宁夏电信采购了银川星途电子科技有限公司的800台服务器。")
    assert ("银川星途电子科技有限公司", "supplier-of", "中国电信宁夏公司") in rels(r)
    assert ("中国电信宁夏公司", "supplier-of", "银川星途电子科技有限公司") not in rels(r)


def test_bid_winner_supplies_the_buyer(extract_text):
    r = extract_text("近日,江苏云启数据科技有限公司中标中国联通江苏公司智算服务器集采项目,中标金额2.3亿元。")
    assert ("江苏云启数据科技有限公司", "supplier-of", "中国联通江苏公司") in rels(r)
    link = next(x for x in r["relations"] if x["relation"] == "supplier-of" and x["head"] == "江苏云启数据科技有限公司")
    assert link["amount"] == 2.3e8


def test_we_in_a_quotation_is_the_speakers_company(extract_text):
    text = ("“今年,河北移动采购了我们的600架机柜。”保定恒信机电股份有限公司总经理李明介绍。")
    r = extract_text(text)
    assert ("保定恒信机电股份有限公司", "supplier-of", "中国移动河北公司") in rels(r)
    link = next(x for x in r["relations"] if x["relation"] == "supplier-of")
    assert link["quantity"] == 600 and link["quantity_unit"] == "架"
    assert text[link["evidence_start"]:link["evidence_end"]] == link["evidence"]


def test_investment_and_subsidiary_across_a_dash(extract_text):
    r = extract_text("2023年5月,北京星海算力科技股份有限公司在中卫落地全资子公司——星海算力(中卫)有限公司。")
    found = rels(r)
    assert ("北京星海算力科技股份有限公司", "invested-in", "中卫市") in found
    assert ("星海算力(中卫)有限公司", "subsidiary-of", "北京星海算力科技股份有限公司") in found
    assert ("星海算力(中卫)有限公司", "located-in", "中卫市") in found


def test_model_deployed_at_hospital_and_partnership(extract_text):
    r = extract_text("宁夏医科大学总医院联合宁夏移动完成DeepSeek-R1大模型本地化部署。")
    found = rels(r)
    assert ("DeepSeek-R1", "deployed-at", "宁夏医科大学总医院") in found
    assert ("宁夏医科大学总医院", "partner-of", "中国移动宁夏公司") in found or ("中国移动宁夏公司", "partner-of", "宁夏医科大学总医院") in found


def test_firm_lands_cluster_at_a_facility(extract_text):
    r = extract_text("目前,华为云已在中国联通(青海·海东)数据中心落地3个千卡算力集群。")
    assert ("华为云", "deployed-at", "中国联通(青海·海东)数据中心") in rels(r)


def test_links_implicit_in_names(extract_text):
    r = extract_text("中国电信四川公司成都分公司与百度智能云(成都)智算中心签约。")
    found = rels(r)
    assert ("中国电信四川公司成都分公司", "subsidiary-of", "中国电信四川公司") in found
    assert ("百度智能云(成都)智算中心", "located-in", "成都市") in found
    assert any(h in ("百度智能云", "百度") and rel == "operates" for h, rel, t in found)
    implicit = [x for x in r["relations"] if x["relation"] == "subsidiary-of"]
    assert all(x["implicit"] for x in implicit)


def test_attributes_amount_quantity_date():
    a = attributes("2025年3月,双方签署合同,部署4000卡国产芯片,合同金额1.4亿元。")
    assert a["amount"] == 1.4e8 and a["currency"] == "CNY"
    assert a["quantity"] == 4000 and a["quantity_unit"] == "卡"
    assert a["date"] == "2025-03"
    assert attributes("总价值500多万元")["amount"] == 5e6


def test_a_quantity_in_a_clause_of_another_firm_is_not_the_links():
    sentence = "目前,星云科技已在遂宁数据中心落地3个算力集群,云帆科技等企业项目也相继落地。"
    other, firm = sentence.index("星云科技"), sentence.index("云帆科技")
    # 云帆科技's link: the clusters are 星云科技's
    assert "quantity" not in attributes(sentence, near=[firm], owners=[other])
    # 星云科技's link keeps them, and without owners nothing changes
    assert attributes(sentence, near=[other], owners=[firm])["quantity"] == 3
    assert attributes(sentence, near=[firm])["quantity"] == 3
    # a deal's clause that names only the facility it goes into stays the deal's (4000卡 of the seed)
    deal = "我们与甲公司合作,在乙数据中心建设4000卡国产芯片,合同金额1.4亿元。"
    a = attributes(deal, near=[0, deal.index("甲公司")], owners=[])
    assert a["quantity"] == 4000 and a["amount"] == 1.4e8


def test_sentences_keep_a_closing_quote():
    text = "“我们很满意。”他说。\n新段落"
    spans = [text[s:e] for s, e in sentences(text)]
    assert spans == ["“我们很满意。”", "他说。", "新段落"]


def test_bid_notice_winners_supply_the_buyer_named_sentences_earlier(extract_text):
    # the buyer is named once, as such; the winners come lot by lot, sentences later
    text = ("该项目招标人为中国电信股份有限公司贵州分公司,预算3亿元。"
            "评标结果已公示。"
            "包一中标的是贵州云海数据科技有限公司,成交金额1.2亿元;包二由遵义星辰信息技术有限公司中标。")
    found = rels(extract_text(text))
    assert ("贵州云海数据科技有限公司", "supplier-of", "中国电信贵州公司") in found
    assert ("遵义星辰信息技术有限公司", "supplier-of", "中国电信贵州公司") in found
    assert ("中国电信贵州公司", "supplier-of", "贵州云海数据科技有限公司") not in found


def test_no_bid_links_without_a_buyer(extract_text):
    # a firm's own report of a win names no buyer: nothing to link it to
    r = extract_text("西安华辰电子股份有限公司发布公告称,公司中标一项服务器采购项目。")
    assert not [x for x in r["relations"] if x["relation"] == "supplier-of"]


def test_every_co_founder_invests(extract_text):
    text = "湖北楚天算力科技有限公司与武汉光谷投资有限公司、长江数智集团有限公司共同投资设立荆州楚算数据有限公司。"
    found = rels(extract_text(text))
    for investor in ("湖北楚天算力科技有限公司", "武汉光谷投资有限公司", "长江数智集团有限公司"):
        assert (investor, "invested-in", "荆州楚算数据有限公司") in found


def test_founders_of_a_company_or_fund_named_before_them_invest(extract_text):
    found = rels(extract_text("星河数据有限公司由云启科技有限公司与华辰电子有限公司共同出资设立。"))
    assert ("云启科技有限公司", "invested-in", "星河数据有限公司") in found
    assert ("华辰电子有限公司", "invested-in", "星河数据有限公司") in found
    # 该基金 is the fund last named, not the firm named after it
    text = "岷江算力产业基金日前成立,华辰电子有限公司到场祝贺。该基金由成都市锦江区人民政府和云启科技有限公司共同设立。"
    found = rels(extract_text(text))
    assert ("云启科技有限公司", "invested-in", "岷江算力产业基金") in found
    assert ("云启科技有限公司", "invested-in", "华辰电子有限公司") not in found


def test_place_switching_a_model_on_and_firms_moving_in(extract_text):
    found = rels(extract_text("3月5日,绵阳宣布全市政务系统全面启用DeepSeek大模型。"))
    assert ("DeepSeek", "deployed-at", "绵阳市") in found
    found = rels(extract_text("活动现场,重庆星图科技有限公司、重庆云帆科技有限公司签约入驻重庆西部算力产业园。"))
    assert ("重庆星图科技有限公司", "deployed-at", "重庆西部算力产业园") in found
    assert ("重庆云帆科技有限公司", "deployed-at", "重庆西部算力产业园") in found


def test_a_facility_of_an_article_about_one_place_is_located_there(extract_text):
    text = ("近日,遂宁市数字经济发展大会召开。遂宁市将加快建设云栖智算中心。"
            "会上,遂宁市还发布了人才政策。专家认为,遂宁市已具备算力产业基础。")
    found = rels(extract_text(text))
    assert ("云栖智算中心", "located-in", "遂宁市") in found
    # two places named as often: the article is about neither
    text = "绵阳市和德阳市签署协议。绵阳市、德阳市将共建云栖智算中心。绵阳市与德阳市还将互认资质。"
    assert not {r for r in rels(extract_text(text)) if r[1] == "located-in" and r[0] == "云栖智算中心"}


def test_firms_listed_as_brought_in_are_deployed_at_the_articles_place(extract_text):
    opening = "近日,遂宁市召开算力大会。遂宁市算力规模居全省前列。专家认为,遂宁市已具备产业基础。"
    found = rels(extract_text(opening + "目前,星图科技、云帆科技等企业算力项目相继落地,发展势头强劲。"))
    assert ("星图科技", "deployed-at", "遂宁市") in found
    assert ("云帆科技", "deployed-at", "遂宁市") in found
    found = rels(extract_text(opening + "全市已引进星图科技、云帆科技等12家数据企业。"))
    assert ("云帆科技", "deployed-at", "遂宁市") in found
    found = rels(extract_text(opening + "今年,星图科技、云帆科技等企业的算力项目建成投用。"))
    assert ("星图科技", "deployed-at", "遂宁市") in found
    # one firm beside the verb may be the one that brings others in; a list without 等 is no roll-call
    found = rels(extract_text(opening + "星图科技引进了大批人才。星图科技和云帆科技落地签约了框架协议。"))
    assert not {r for r in found if r[1] == "deployed-at"}
    # an article about no one place places nobody
    found = rels(extract_text("目前,星图科技、云帆科技等企业算力项目相继落地。"))
    assert not {r for r in found if r[1] == "deployed-at"}


def test_a_conference_host_named_in_its_projects_names_is_where_signed_firms_invest(extract_text):
    # the host city is named once on its own and then only inside its facilities' names
    text = ("近日,算力产业大会在遂宁市召开。会上,星图科技、云帆科技等20个重大项目集中签约。"
            "遂宁数据中心集群已建成遂宁云栖智算中心和遂宁天府算力园。")
    found = rels(extract_text(text))
    assert ("星图科技", "invested-in", "遂宁市") in found
    assert ("云帆科技", "invested-in", "遂宁市") in found
    # counted inside names, a place still does not place an article's other facilities
    assert ("天数云智算中心", "located-in", "遂宁市") not in rels(extract_text(text + "另建天数云智算中心。"))


def test_a_place_written_inside_a_facilitys_name(extract_text):
    found = rels(extract_text("国家超算洛阳中心正式投入运营。"))
    assert ("国家超算洛阳中心", "located-in", "洛阳市") in found
    found = rels(extract_text("并行科技甘肃新型算力基地开工。"))
    assert ("并行科技甘肃新型算力基地", "located-in", "甘肃省") in found
    # inside a name a county's short form may be a word: only its full name places
    found = rels(extract_text("星图科技陵水智算中心开工。星图科技陵水黎族自治县智算中心开工。"))
    assert ("星图科技陵水智算中心", "located-in", "陵水黎族自治县") not in found
    assert ("星图科技陵水黎族自治县智算中心", "located-in", "陵水黎族自治县") in found


def test_a_cloud_computing_centre_is_its_firms_not_a_cloud_brands(extract_text):
    found = rels(extract_text("百度云计算(宜宾)中心项目正式落户宜宾。"))
    assert ("百度", "operates", "百度云计算(宜宾)中心") in found
    assert ("百度智能云", "operates", "百度云计算(宜宾)中心") not in found


def test_a_place_in_apposition_after_a_comma(extract_text):
    found = rels(extract_text("全省首个液冷算力项目雅安云栖智算中心,位于荥经县境内,总投资20亿元。"))
    assert ("雅安云栖智算中心", "located-in", "荥经县") in found
    # X,位于Y的Z: Z is what stands in Y
    found = rels(extract_text("星图科技有限公司,位于荥经县的云栖智算中心正式投运。"))
    assert ("星图科技有限公司", "located-in", "荥经县") not in found


def test_the_project_named_before_is_what_a_later_sentence_places(extract_text):
    text = "中国电信将建设天数云智算中心。该项目位于雅安市经开区,总投资20亿元。"
    found = rels(extract_text(text))
    assert ("天数云智算中心", "located-in", "雅安市经开区") in found


def test_the_project_a_later_sentence_places_is_a_facility_not_a_programme(extract_text):
    text = "星图科技将建设云栖智算中心,服务“东数西算”工程。该项目位于荥经县,总投资20亿元。"
    found = rels(extract_text(text))
    assert ("云栖智算中心", "located-in", "荥经县") in found
    assert ("东数西算", "located-in", "荥经县") not in found


def test_a_link_names_its_ends_as_the_evidence_writes_them(extract_text):
    text = "中国移动通信集团甘肃有限公司今年在兰州开会。甘肃移动采购了兰州星辰电子有限公司的500台服务器。"
    r = extract_text(text)
    link = next(x for x in r["relations"] if x["relation"] == "supplier-of")
    assert link["tail"] == "甘肃移动" and link["tail"] in link["evidence"]
    # the actor keeps the document's one name for it, whatever each sentence calls it
    assert link["tail_actor"] != "甘肃移动"
    assert link["tail_actor"] in {e["canonical"] for e in r["entities"]}


def test_a_parent_named_only_inside_its_branchs_name_goes_by_that_name(extract_text):
    r = extract_text("中国移动通信集团有限公司江苏分公司近日在南京开工建设智算中心。")
    link = next(x for x in r["relations"] if x["relation"] == "subsidiary-of")
    # as the text writes it, not as the gazetteer calls the actor (中国移动), whose id it keeps
    assert link["tail"] == "中国移动通信集团有限公司"
    parent = next(e for e in r["inferred"] if e["id"] == link["tail_id"])
    assert parent["canonical"] == link["tail_actor"] == "中国移动通信集团有限公司"
    assert parent["actor"] == "中国移动"
    assert link["tail_id"] == next(e for e in extract_text("中国移动在南京开工。")["entities"] if e["label"] == "ORG")["id"]


def test_an_organisation_goes_by_its_own_written_name_not_a_part_of_it(extract_text):
    # the gazetteer calls the actor 阿里巴巴, which this text writes only inside 阿里巴巴集团
    r = extract_text("阿里巴巴集团在上海投资建设智算中心。阿里集团表示,项目将于明年投运。")
    assert {e["canonical"] for e in r["entities"] if e["label"] == "ORG"} == {"阿里巴巴集团"}
    r = extract_text("阿里巴巴在上海投资建设智算中心。阿里巴巴集团表示,项目将于明年投运。")
    assert {e["canonical"] for e in r["entities"] if e["label"] == "ORG"} == {"阿里巴巴"}


def test_lots_shared_out_among_winners_of_a_buyers_procurement(extract_text):
    text = ("中国联通公布了2025年服务器集中采购的中标结果。"
            "标包1被紫光恒越技术有限公司、宁畅信息产业(北京)有限公司瓜分。"
            "曙光信息产业股份有限公司和长城超云(北京)科技有限公司,两家均中标2个标包。")
    found = rels(extract_text(text))
    # (actors by their graph names: the gazetteer knows 宁畅 and 中科曙光 by their full names)
    for winner in ("紫光恒越技术有限公司", "宁畅", "中科曙光", "长城超云(北京)科技有限公司"):
        assert (winner, "supplier-of", "中国联通") in found, found


def partners(found):
    """partner-of pairs without direction."""
    return {frozenset((h, t)) for h, rel, t in found if rel == "partner-of"}


def test_a_clause_opening_on_yu_takes_the_subject_of_the_clauses_before(extract_text):
    text = ("会上,贵州云智科技有限公司与遵义市人民政府签署协议。"
            "同时与黔南数联科技有限公司、安顺星河数据有限公司签署了战略合作协议。")
    found = partners(rels(extract_text(text)))
    assert frozenset(("贵州云智科技有限公司", "黔南数联科技有限公司")) in found
    assert frozenset(("贵州云智科技有限公司", "安顺星河数据有限公司")) in found
    # the listed parties signed with the subject, not with each other
    assert frozenset(("黔南数联科技有限公司", "安顺星河数据有限公司")) not in found


def test_a_place_carried_as_subject_partners_the_firms_after_yu(extract_text):
    text = "近年来,绵阳市加快布局算力产业;积极推动与四川星海数据有限公司、成都蓝云科技有限公司等达成合作协议。"
    found = partners(rels(extract_text(text)))
    assert frozenset(("绵阳市", "四川星海数据有限公司")) in found
    assert frozenset(("绵阳市", "成都蓝云科技有限公司")) in found


def test_no_subject_carried_into_a_clause_whose_yu_joins_nouns(extract_text):
    # 对接与洽谈: 与 between two nouns, no party after it
    text = "会上,贵州云智科技有限公司发布了新产品。通过对接与洽谈,黔南数联科技有限公司加入了联盟。"
    found = partners(rels(extract_text(text)))
    assert frozenset(("贵州云智科技有限公司", "黔南数联科技有限公司")) not in found


def test_an_announcements_company_is_its_issuer(extract_text):
    text = ("四川星海数据股份有限公司(以下简称“公司”)于2024年5月10日召开董事会。"
            "公司拟与成都蓝云科技有限公司签署合资协议,共同建设智算平台。")
    found = partners(rels(extract_text(text)))
    assert frozenset(("四川星海数据股份有限公司", "成都蓝云科技有限公司")) in found


def test_the_owner_named_before_a_subsidiary_does_not_act(extract_text):
    text = "江西云岭科技股份有限公司控股子公司赣州云岭数据有限公司与赣州市章贡区人民政府签署合作协议。"
    found = partners(rels(extract_text(text)))
    # a government's actor is its place's own name (the register knows 章贡区)
    assert frozenset(("赣州云岭数据有限公司", "章贡区人民政府")) in found
    assert not any("江西云岭" in name for pair in found for name in pair)


def test_a_facility_named_after_an_organisation_the_text_names_is_run_by_it(extract_text):
    # the gazetteer does not know 黔云科技; the text names it on its own, and the facility after it
    text = "近日,黔云科技在遵义投资建设的数据中心开工。据悉,遵义黔云科技智算中心一期将部署5000台服务器。"
    found = rels(extract_text(text))
    assert ("黔云科技", "operates", "遵义黔云科技智算中心") in found
    assert ("遵义黔云科技智算中心", "located-in", "遵义市") in found


def test_a_run_of_places_places_a_facility_in_the_last(extract_text):
    found = rels(extract_text("6月3日,星海智算中心项目在四川宜宾市开工。"))
    assert ("星海智算中心", "located-in", "宜宾市") in found
    assert ("星海智算中心", "located-in", "四川省") not in found


def test_a_province_in_a_name_places_a_facility_but_not_a_bureau(extract_text):
    # a province's 大数据中心 is its data bureau, which the province's name does not place
    found = rels(extract_text("甘肃省大数据中心负责人表示,平台已接入全省政务系统。"))
    assert not [r for r in found if r[1] == "located-in"]
    # the most specific place a facility's name gives, a province where it gives no other
    found = rels(extract_text("中国农业银行内蒙古数据中心已开工,兴业银行四川成都数据中心同步投运。"))
    assert ("中国农业银行内蒙古数据中心", "located-in", "内蒙古自治区") in found
    assert ("兴业银行四川成都数据中心", "located-in", "成都市") in found
    assert ("兴业银行四川成都数据中心", "located-in", "四川省") not in found
    # a firm's place in brackets is where it is registered
    found = rels(extract_text("近日,联想(北京)有限公司与天水市签署协议。"))
    assert ("联想", "located-in", "北京市") in found  # the gazetteer's name for the firm


def test_a_firm_signs_with_a_place(extract_text):
    found = partners(rels(extract_text("2024年6月,云栖数据科技有限公司与天水市签署算力产业合作协议。")))
    assert frozenset(("云栖数据科技有限公司", "天水市")) in found


def test_a_short_name_in_brackets_does_not_break_a_list(extract_text):
    text = ("江西云岭科技股份有限公司与南昌星河投资有限公司(简称“星河投资”)、赣州数联科技有限公司(简称“赣州数联”)"
            "签署合资协议,三方共同投资设立赣州云数科技有限公司。")
    found = rels(extract_text(text))
    assert frozenset(("江西云岭科技股份有限公司", "赣州数联科技有限公司")) in partners(found)
    for investor in ("江西云岭科技股份有限公司", "南昌星河投资有限公司", "赣州数联科技有限公司"):
        assert (investor, "invested-in", "赣州云数科技有限公司") in found


def test_a_facility_is_in_each_place_of_a_run_but_the_province(extract_text):
    found = rels(extract_text("云栖智算中心位于成都市双流区,总投资20亿元。"))
    assert ("云栖智算中心", "located-in", "双流区") in found
    assert ("云栖智算中心", "located-in", "成都市") in found


def test_a_facility_switched_on_in_a_place_is_there(extract_text):
    found = rels(extract_text("8月8日,云栖智算中心在宜宾市正式点亮。"))
    assert ("云栖智算中心", "located-in", "宜宾市") in found


def test_co_agents_are_partners_but_co_attendees_are_not(extract_text):
    found = partners(rels(extract_text("黔南数联科技有限公司与安顺星河数据有限公司共同建设遵义智算中心。")))
    assert frozenset(("黔南数联科技有限公司", "安顺星河数据有限公司")) in found
    found = partners(rels(extract_text("会上,黔南数联科技有限公司、安顺星河数据有限公司等共同参加了调研。")))
    assert not found


def test_building_in_a_place_is_no_deployment(extract_text):
    # a firm that builds in a city invests there; what it lands or deploys there is deployed
    found = rels(extract_text("去年,华为在贵阳建成了一座数据中心。"))
    assert ("华为", "deployed-at", "贵阳市") not in found
    found = rels(extract_text("目前,华为云已在贵阳落地3个千卡算力集群。"))
    assert ("华为云", "deployed-at", "贵阳市") in found


def test_an_agreements_title_is_not_what_its_parties_built(extract_text):
    text = "会上,黔南数联科技有限公司与安顺星河数据有限公司签署了《共建遵义智算中心战略合作框架协议》。"
    assert ("安顺星河数据有限公司", "invested-in", "遵义智算中心") not in rels(extract_text(text))
    text = "黔南数联科技有限公司将与安顺星河数据有限公司共建遵义智算中心。"
    assert ("安顺星河数据有限公司", "invested-in", "遵义智算中心") in rels(extract_text(text))


def test_a_buyer_before_its_procurements_quoted_name_and_the_top_three(extract_text):
    text = ("近日,中国联通江苏公司“2025年智算服务器集中采购项目”中标候选人名单公示。经评审,"
            "南京云启信息科技有限公司综合排名第一、苏州星途数据有限公司综合排名第二、无锡华辰电子有限公司综合排名第四。")
    found = rels(extract_text(text))
    assert ("南京云启信息科技有限公司", "supplier-of", "中国联通江苏公司") in found
    assert ("苏州星途数据有限公司", "supplier-of", "中国联通江苏公司") in found
    # fourth is no candidate to win
    assert ("无锡华辰电子有限公司", "supplier-of", "中国联通江苏公司") not in found


def test_those_who_build_and_run_a_facility_operate_it(extract_text):
    found = rels(extract_text("天水智算中心位于秦州数字产业园,由天水市与黔云科技共同建设运营。"))
    assert ("黔云科技", "operates", "天水智算中心") in found
    # the park it stands in is not what they run
    assert ("黔云科技", "operates", "秦州数字产业园") not in found


def test_a_bank_or_group_leading_a_facility_name_runs_it_and_the_place_after_it_locates_it(extract_text):
    r = extract_text("兴业银行在贵安投资建设数据中心。兴业银行贵安新区数据中心位于马场产业新城。"
                     "中国农业银行内蒙古数据中心已开工。")
    found = rels(r)
    assert ("兴业银行", "operates", "兴业银行贵安新区数据中心") in found
    assert ("兴业银行贵安新区数据中心", "located-in", "贵安新区") in found  # the place after the operator
    assert ("中国农业银行", "operates", "中国农业银行内蒙古数据中心") in found  # a bank's name, known or not


def test_an_announcements_subsidiary_belongs_to_the_company_it_speaks_for(extract_text):
    r = extract_text("星辰科技(300123)发布公告,公司控股子公司星辰云算科技有限公司与北方算力有限公司签订合同。"
                     "另据披露,其全资子公司星辰智联有限公司将在银川设立数据中心。")
    found = rels(r)
    assert ("星辰云算科技有限公司", "subsidiary-of", "星辰科技") in found
    assert ("星辰智联有限公司", "subsidiary-of", "星辰科技") in found
    # 公司 stands for the owner in this link only: the owner signs nothing with the counterparty
    assert not any("星辰科技" in (h, t) and "北方算力有限公司" in (h, t) for h, _, t in found)


def test_belonging_and_control_are_subsidiary_links(extract_text):
    r = extract_text("云图数智科技(北京)有限公司隶属于中国星网集团。上市公司华芯清科,由川投集团全资控股。")
    found = rels(r)
    assert ("云图数智科技(北京)有限公司", "subsidiary-of", "中国星网集团") in found
    assert ("华芯清科", "subsidiary-of", "川投集团") in found


def test_a_facility_is_where_its_groundbreaking_is_held_across_a_comma(extract_text):
    assert ("星海智算中心", "located-in", "宜宾市") in rels(extract_text("星海智算中心项目,在四川宜宾市正式开工建设。"))
    found = rels(extract_text("6日,云栖算力中心项目在宜宾市临港经济技术开发区——宜宾三江新区正式开工。"))
    assert ("云栖算力中心", "located-in", "宜宾三江新区") in found
    found = rels(extract_text("黔云科技今天将在遵义市新蒲新区为云栖智算中心项目奠基。"))
    assert any(h == "云栖智算中心" and rel == "located-in" and t.startswith("遵义市") for h, rel, t in found)


def test_what_a_firm_lands_or_builds_in_a_place_is_its_investment(extract_text):
    found = rels(extract_text("去年以来,黔云科技先后在遵义落地了遵义智算中心、黔北数据港等项目。"))
    assert ("黔云科技", "invested-in", "遵义智算中心") in found
    assert ("黔云科技", "invested-in", "黔北数据港") in found


def test_who_builds_a_platform_invests_in_it_and_who_launches_one_runs_it(extract_text):
    found = rels(extract_text("黔云科技与宁州电信合作搭建“云工”平台,赋能工业企业1000余家。"))
    assert ("黔云科技", "invested-in", "云工") in found
    assert ("黔云科技", "operates", "云工") not in found
    assert ("宁州电信", "operates", "云工") in rels(extract_text("宁州电信推出“云工”平台。"))


def test_co_builders_after_a_comma_invest_but_a_contractor_does_not(extract_text):
    found = rels(extract_text("据了解,当天开工的遵义智算中心项目,由黔云科技与遵义市新蒲新区共同建设运营。"))
    assert ("黔云科技", "invested-in", "遵义智算中心") in found
    found = rels(extract_text("遵义智算中心由中建八局建设,预计明年投用。"))
    assert ("中建八局", "invested-in", "遵义智算中心") not in found


def test_a_company_profile_places_the_company_at_its_address(extract_text):
    text = ("二、合作方基本情况\n1、公司名称:遵义黔云数据科技有限公司\n2、注册资本:800万元\n"
            "3、住所:遵义市新蒲新区科技路8号\n")
    found = rels(extract_text(text))
    assert any(h == "遵义黔云数据科技有限公司" and rel == "located-in" and t.startswith("遵义市") for h, rel, t in found)


def test_firms_whose_projects_a_place_signed_invest_there(extract_text):
    # the place is the article's own, named in other sentences than the list
    text = ("近年来,遵义市大力发展算力产业,遵义市的数据中心集群初具规模。今年以来,已有黔云科技、星海数据等12个重点项目"
            "完成签约,总投资超过80亿元。遵义市还将继续优化营商环境。")
    found = rels(extract_text(text))
    assert {("黔云科技", "invested-in", "遵义市"), ("星海数据", "invested-in", "遵义市")} <= found


def test_a_facility_built_in_a_list_of_places_is_in_each(extract_text):
    found = rels(extract_text("据悉,黔北数据中心集群先期在遵义市、铜仁市建设起步区。"))
    assert ("黔北数据中心集群", "located-in", "遵义市") in found
    assert ("黔北数据中心集群", "located-in", "铜仁市") in found
    # 布局 as a noun says what a facility stands for, not where
    found = rels(extract_text("黔北智算中心是东数西算在贵州的核心布局。"))
    assert not [r for r in found if r[1] == "located-in" and r[0] == "东数西算"]


def test_the_passive_and_a_share_of_the_capital_state_investment(extract_text):
    found = rels(extract_text("专注存算一体芯片的遵义芯云科技,获黔北创投基金投资。"))
    assert ("黔北创投基金", "invested-in", "遵义芯云科技") in found
    text = ("遵义黔云数据科技有限公司注册资本为1000万元,其中星海科技有限公司认缴出资600万元,"
            "占遵义黔云数据科技有限公司注册资本的60%。")
    assert ("星海科技有限公司", "invested-in", "遵义黔云数据科技有限公司") in rels(extract_text(text))


def test_a_country_is_no_place_of_a_firm_a_deployment_or_an_investment(extract_text):
    # the country is the market (落户中国) or the firm's nationality, not where the link is
    found = rels(extract_text("北辰云计算公司落户中国已有十年。据悉,日本星野株式会社已在中国部署了该系统。"))
    assert not [x for x in found if x[1] in ("located-in", "deployed-at", "invested-in") and x[2] == "中国"], found


def test_a_subsidiary_belongs_to_the_firm_nearest_the_word(extract_text):
    r = extract_text("星河数据有限公司由北辰投资有限公司与南山产业集团有限公司旗下全资子公司云岭科技有限公司共同出资设立。")
    owners = {t for h, rel, t in rels(r) if h == "云岭科技有限公司" and rel == "subsidiary-of"}
    assert owners == {"南山产业集团有限公司"}


def test_two_firms_a_subject_signs_with_in_turn_are_not_partners(extract_text):
    found = rels(extract_text(
        "目前,银川市已与星河科技有限公司等企业签订框架协议,与北辰数据有限公司、南山云计算有限公司签订战略合作协议。"))
    assert partners(found) & {frozenset(("银川市", "北辰数据有限公司")), frozenset(("银川市", "南山云计算有限公司"))}
    assert not partners(found) & {frozenset(("星河科技有限公司", "北辰数据有限公司")),
                                  frozenset(("星河科技有限公司", "南山云计算有限公司"))}


def test_an_outlet_in_its_dateline_is_no_party(extract_text):
    found = rels(extract_text("星城日报讯(记者 王明)北辰数据有限公司与南山云计算有限公司近日签署战略合作协议。"))
    assert frozenset(("北辰数据有限公司", "南山云计算有限公司")) in partners(found)
    assert not [x for x in found if "星城日报" in (x[0], x[2])], found


def rule_links(text, spans):
    """The sentence rules alone, on mentions given as (text, label)."""
    from kg.relations import Arg, rule_hits
    mentions = [Arg(s, label, text.index(s), text.index(s) + len(s)) for s, label in spans]
    return {(r.head.text, r.relation, r.tail.text) for r in rule_hits(text, 0, len(text), mentions)}


def test_a_ranking_or_an_approval_states_no_investment():
    found = rule_links("星河建工集团在全省投资最大的北辰云计算中心施工。", [("星河建工集团", "ORG"), ("北辰云计算中心", "PROJECT")])
    assert ("星河建工集团", "invested-in", "北辰云计算中心") not in found
    found = rule_links("银川市是星河部批复建设的北辰算力枢纽。", [("银川市", "LOC"), ("星河部", "ORG"), ("北辰算力枢纽", "PROJECT")])
    assert ("星河部", "invested-in", "北辰算力枢纽") not in found
    # the verbs themselves still state it
    found = rule_links("星河集团投资建设的北辰云计算中心投运。", [("星河集团", "ORG"), ("北辰云计算中心", "PROJECT")])
    assert ("星河集团", "invested-in", "北辰云计算中心") in found


def test_a_rule_is_compiled_once_whatever_the_sentence(extract_text):
    # placeholders of a label share one character class in every sentence: a long document does not
    # compile a regex per sentence and rule (it once spent half its relation time in re.compile)
    from kg.relations import _rule_regex

    extract_text("星河数据有限公司与北辰云计算有限公司签署协议,在遵义市共建遵义智算中心。")
    compiled = _rule_regex.cache_info().currsize
    # the same kinds of names, in other numbers and orders
    extract_text("遵义市、铜仁市与南山科技有限公司、星河数据有限公司、北辰云计算有限公司签约,黔北智算中心在铜仁市开工。")
    assert compiled > 0 and _rule_regex.cache_info().currsize == compiled


def test_a_government_system_is_not_located_in_the_area_it_is_named_for():
    from kg.lexicon import load_lexicon
    from kg.relations import Arg, Relation, not_in_its_own_jurisdiction

    city = Arg("遂宁市", "LOC", 0, 3, "遂宁市")

    def located(name: str) -> Relation:
        return Relation(Arg(name, "PROJECT", 4, 4 + len(name)), "located-in", city, (0, 20), 0.7)

    # the register knows 遂宁 for 遂宁市: the system serves the city it is named after
    kept = not_in_its_own_jurisdiction([located("遂宁数字政府云"), located("遂宁市城市大脑"), located("星河政务云"),
                                        located("遂宁星河数据中心")], load_lexicon(None))
    assert [r.head.text for r in kept] == ["星河政务云", "遂宁星河数据中心"]


def test_an_operators_cloud_is_a_platform_it_operates(extract_text):
    r = extract_text("会上,星河市政务服务平台宣布迁移至天翼云,天翼云科技有限公司负责运维。")
    labels = {e["text"]: e["label"] for e in r["entities"]}
    assert labels.get("天翼云") == "PROJECT" and labels.get("天翼云科技有限公司") == "ORG"
    assert ("中国电信", "operates", "天翼云") in rels(r)
    # the company of the same brand is no platform, and nothing says it runs this one
    assert not any(h == "天翼云科技有限公司" and rel == "operates" for h, rel, _ in rels(r))
