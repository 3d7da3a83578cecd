#!/usr/bin/env python3
"""Copy a trained pipeline into the package without its tokenizer.

    python scripts/ner/package.py /tmp/kg-ner/output/model-best kg/models/ner [--stats stats.json]

The pkuseg model (172 MB) is part of what `spacy train` saves; kg attaches the cached, verified
copy at load time instead (kg/pipeline.py), so only tok2vec + ner are shipped. The absolute
pkuseg paths of the training machine are cleared from the shipped config: they would point
nowhere on a user's machine. The model card (MODEL_CARD.md) in the target folder is kept.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", type=Path)
    p.add_argument("target", type=Path)
    p.add_argument("--stats", type=Path, help="prepare.py's stats.json, copied beside the model")
    args = p.parse_args(argv)

    nlp = spacy.load(args.model, exclude=["tokenizer"])
    nlp.config["initialize"]["tokenizer"]["pkuseg_model"] = None
    nlp.config["initialize"]["tokenizer"]["pkuseg_user_dict"] = "default"
    for key in ("train", "dev"):
        nlp.config["paths"][key] = None
    card = args.target / "MODEL_CARD.md"
    kept = card.read_text(encoding="utf-8") if card.is_file() else None
    if args.target.exists():
        shutil.rmtree(args.target)
    nlp.to_disk(args.target, exclude=["tokenizer"])
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
