#!/usr/bin/env python3
"""Copy a trained pipeline into the package without its tokenizer.

    python scripts/ner/package.py /tmp/kg-ner/output/model-best kg/models/ner [--stats stats.json]

The pkuseg model (172 MB) is part of what `spacy train` saves; kg attaches the cached, verified
copy at load time instead (kg/pipeline.py), so only the ner (with its own tok2vec) ships. The absolute
pkuseg paths of the training machine are cleared from the shipped config: they would point
nowhere on a user's machine. The model card (MODEL_CARD.md) in the target folder is kept.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import spacy
from spacy import util

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import kg.charvectors  # noqa: E402,F401  (registers the embedding layer of CHAR_VECTORS=1 models)


def resolve_dangling(path: Path, source) -> None:
    """Replace ${section.key} references that the stripped config no longer defines by their values.

    replace_listeners copies the tok2vec's raw config into the ner, references included
    (${components.tok2vec.model.encode.width}); with the tok2vec removed they would not load."""
    text = path.read_text(encoding="utf-8")

    def value(m: re.Match) -> str:
        node = source
        for part in m.group(1).split("."):
            node = node[part]
        return json.dumps(node)

    path.write_text(re.sub(r"\$\{(components\.tok2vec\.[^}]+)\}", value, text), encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path)
    p.add_argument("target", type=Path)
    p.add_argument("--stats", type=Path, help="prepare.py's stats.json, copied beside the model")
    args = p.parse_args(argv)

    nlp = spacy.load(args.model, exclude=["tokenizer"])
    # kg sources only the `ner` component into its own pipeline: a ner that listens to a separate
    # tok2vec would receive no vectors there, so it gets its own copy of the tok2vec layers
    if "tok2vec" in nlp.pipe_names:
        nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        nlp.remove_pipe("tok2vec")
    nlp.config["initialize"]["tokenizer"]["pkuseg_model"] = None
    nlp.config["initialize"]["tokenizer"]["pkuseg_user_dict"] = "default"
    # (a character-vector model carries its table in its weights: the table's path would point nowhere)
    for key in ("train", "dev", "char_vectors"):
        if key in nlp.config["paths"]:
            nlp.config["paths"][key] = None
    card = args.target / "MODEL_CARD.md"
    kept = card.read_text(encoding="utf-8") if card.is_file() else None
    if args.target.exists():
        shutil.rmtree(args.target)
    nlp.to_disk(args.target, exclude=["tokenizer"])
    # the string store lists every word of the training texts; the model looks features up by
    # hash and needs only its labels (same predictions checked on CLUENER dev), so ship no word list
    labels = list(nlp.get_pipe("ner").labels)
    (args.target / "vocab" / "strings.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    resolve_dangling(args.target / "config.cfg", util.load_config(args.model / "config.cfg", interpolate=True))
    if kept is not None:
        card.write_text(kept, encoding="utf-8")
    if args.stats and args.stats.is_file():
        shutil.copy(args.stats, args.target / "training-data.json")
    meta = json.loads((args.target / "meta.json").read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in args.target.rglob("*") if f.is_file())
    print(f"{args.target}: {size / 1e6:.1f} MB; dev scores {json.dumps(meta.get('performance', {}).get('ents_per_type', {}), ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
