import json

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
