"""The rules kg/resources/README.md sets for the shipped gazetteer and region register, checked on
the files as shipped: one actor per surface, parents that exist, labels kg knows."""

import csv
from collections import Counter, defaultdict
from importlib import resources

from conftest import load_script

from kg.lexicon import LABELS, name_key


def rows(name):
    with (resources.files("kg") / "resources" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def surfaces(row):
    return [row["canonical"]] + [a for a in row["aliases"].split("|") if a.strip()]


def test_every_gazetteer_surface_names_one_actor():
    # spellings of one actor that fold to the same key (DeepSeek R1, DeepSeekR1) are harmless
    actors = defaultdict(set)
    for row in rows("gazetteer.csv"):
        for surface in surfaces(row):
            actors[name_key(surface)].add(row["canonical"])
    assert {key: names for key, names in actors.items() if len(names) > 1} == {}


def test_gazetteer_labels_and_parents_are_known():
    gazetteer = rows("gazetteer.csv")
    canonicals = {row["canonical"] for row in gazetteer}
    assert {row["label"] for row in gazetteer} <= set(LABELS)
    assert [row["canonical"] for row in gazetteer if row["parent"] and row["parent"] not in canonicals] == []
    assert all(row["kind"] for row in gazetteer)


def test_region_names_are_unique_and_their_parents_present():
    regions = rows("regions.csv")
    names = Counter(row["name"] for row in regions)
    assert [n for n, c in names.items() if c > 1] == []
    assert [row["name"] for row in regions if row["parent"] and row["parent"] not in names] == []
    assert {row["level"] for row in regions} <= {"country", "province", "prefecture", "county", "area"}


def test_counties_are_taken_from_a_code_table_only_where_their_name_is_unique():
    codes = [
        ("140000000000", "山西省"), ("140200000000", "大同市"), ("140221000000", "阳高县"),
        ("140202000000", "平城区"), ("140203000000", "城区"),  # two characters: a common word
        ("320106000000", "鼓楼区"), ("350102000000", "鼓楼区"),  # two divisions share it
        ("420000000000", "湖北省"), ("429000000000", "省直辖县级行政区划"), ("429004000000", "仙桃市"),
        ("110000000000", "北京市"), ("110101000000", "东城区"),  # a municipality's district
        ("140221100000", "龙泉镇"),  # a town: below county level
        ("610000000000", "陕西省"), ("610100000000", "西安市"), ("610102000000", "新城区"),
    ]
    regions = {"山西省": "province", "大同市": "prefecture", "湖北省": "province", "北京市": "province",
               "陕西省": "province", "西安市": "prefecture"}
    rows = load_script("regions_counties", "scripts/regions_counties.py").county_rows(codes, regions, taken={"平城区"})
    assert [(r["name"], r["parent"], r["level"], r["short"]) for r in rows] == [
        ("东城区", "北京市", "county", ""),
        ("阳高县", "大同市", "county", ""),
        ("仙桃市", "湖北省", "county", ""),
        ("新城区", "西安市", "county", ""),
    ]


def test_the_shipped_register_knows_counties_beyond_the_articles():
    from kg.lexicon import load_lexicon

    lexicon = load_lexicon(None)
    for name, parent in (("阳高县", "大同市"), ("竹溪县", "十堰市"), ("仙桃市", "湖北省")):
        entry = lexicon.lookup(name)
        assert (entry.canonical, entry.kind, entry.parent) == (name, "county", parent)
    assert lexicon.lookup("城区") is None and lexicon.lookup("鼓楼区") is None
