"""The rules kg/resources/README.md sets for the shipped gazetteer and region register, checked on
the files as shipped: one actor per surface, parents that exist, labels kg knows."""

import csv
from collections import Counter, defaultdict
from importlib import resources

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
