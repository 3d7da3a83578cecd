from kg.evaluate import GoldDocument, Report, score_document


def _gold():
    return GoldDocument(
        "d", "", [
            {"text": "甘肃移动", "type": "ORG", "canonical": "中国移动甘肃公司"},
            {"text": "海红公司", "type": "ORG", "canonical": "海红公司"},
            {"text": "庆阳", "type": "LOC", "canonical": "庆阳市"},
        ],
        [
            {"head": "海红公司", "relation": "supplier-of", "tail": "中国移动甘肃公司"},
            {"head": "海红公司", "relation": "partner-of", "tail": "中国移动甘肃公司"},
        ],
    )


def test_scoring_maps_surface_forms_and_ignores_partner_direction():
    pred = {
        "entities": [{"text": "甘肃移动", "label": "ORG"}, {"text": "海红公司", "label": "ORG"}, {"text": "庆阳", "label": "ORG"}],
        "relations": [
            {"head": "海红公司", "relation": "supplier-of", "tail": "甘肃移动"},  # surface form maps to canonical
            {"head": "中国移动甘肃公司", "relation": "partner-of", "tail": "海红公司"},  # reversed partner-of
            {"head": "中国移动甘肃公司", "relation": "supplier-of", "tail": "海红公司"},  # wrong direction
        ],
    }
    report = Report()
    score_document(pred, _gold(), report)
    ents, rels = report.entities, report.relations
    assert (ents["ALL"].tp, ents["ALL"].fp, ents["ALL"].fn) == (2, 1, 1)
    assert (rels["ALL"].tp, rels["ALL"].fp, rels["ALL"].fn) == (2, 1, 0)
    assert rels["core"].tp == 1 and rels["core"].fp == 1
    assert round(rels["ALL"].f1, 3) == 0.8


def test_nfkc_and_white_space_do_not_count():
    gold = GoldDocument("d", "", [{"text": "王 璐", "type": "PERSON", "canonical": "王璐"}, {"text": "(甘肃)", "type": "LOC", "canonical": "x"}], [])
    pred = {"entities": [{"text": "王璐", "label": "PERSON"}, {"text": "（甘肃）", "label": "LOC"}], "relations": []}
    report = Report()
    score_document(pred, gold, report)
    assert report.entities["ALL"].tp == 2


def test_resolution_counts_split_and_merged_actors():
    gold = GoldDocument("d", "", [
        {"text": "甘肃移动", "type": "ORG", "canonical": "中国移动甘肃公司"},
        {"text": "中国移动甘肃公司", "type": "ORG", "canonical": "中国移动甘肃公司"},
        {"text": "海红公司", "type": "ORG", "canonical": "海红公司"},
        {"text": "庆阳", "type": "LOC", "canonical": "庆阳市"},
    ], [])
    pred = {"entities": [
        {"text": "甘肃移动", "label": "ORG", "id": "org-1"},
        {"text": "中国移动甘肃公司", "label": "ORG", "id": "org-2"},  # the same actor split in two nodes
        {"text": "海红公司", "label": "ORG", "id": "org-1"},          # another actor merged into org-1
        {"text": "庆阳", "label": "ORG", "id": "org-3"},              # wrong type: an NER error, not counted
    ], "relations": []}
    report = Report()
    score_document(pred, gold, report)
    r = report.resolution
    assert (r.actors, r.nodes) == (2, 3) and r.nodes_per_actor == 1.5
    assert (r.clusters, r.pure) == (2, 1) and r.merge_precision == 0.5
    score_document({"entities": [{"text": "甘肃移动", "label": "ORG", "id": "org-4"}], "relations": []}, gold, report)
    assert report.resolution.corpus_nodes_per_actor == 2.0  # org-1, org-2 and org-4 over two actors
    assert report.as_dict()["resolution"]["merge_precision"] == 0.6667
