"""The spaCy pipeline: Chinese with the pkuseg segmenter, then the components named in config.cfg.

The components are registered by name (`kg_entities`, `kg_relations`), so a user's own config can
swap any of them. The trained NER ships without its tokenizer (the pkuseg model is 172 MB): the
tokenizer is always the cached, verified pkuseg model with the domain user dictionary.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Optional

import spacy
from spacy import util
from spacy.language import Language

from . import charvectors as _charvectors  # noqa: F401  (registers the layer of character-vector NERs)
from . import entities as _entities  # noqa: F401  (registers kg_entities)
from . import relations as _relations  # noqa: F401  (registers kg_relations)
from . import relation_model as _relation_model  # noqa: F401  (registers kg_relation_classifier)
from .lexicon import load_lexicon, user_dictionary_words
from .segmentation import cache_dir, ensure_pkuseg_model, write_user_dict


def default_config_path() -> Path:
    return Path(str(resources.files("kg") / "resources" / "config.cfg"))


def shipped_ner_path() -> Optional[Path]:
    """The trained NER shipped in the package, if this build has one."""
    path = Path(str(resources.files("kg") / "models" / "ner"))
    return path if (path / "config.cfg").is_file() else None


def _user_dict(alias_file: Optional[str]) -> Path:
    words = sorted(set(user_dictionary_words(load_lexicon(alias_file))))
    digest = hashlib.sha1("\n".join(words).encode("utf-8")).hexdigest()[:12]
    path = cache_dir() / "userdict" / f"{digest}.txt"
    if not path.is_file():
        write_user_dict(words, path)
    return path


def load_nlp(
    config: Optional[str | Path] = None,
    alias_file: Optional[str] = None,
    ner: Optional[str | Path] | bool = None,
) -> Language:
    """Build the pipeline. `ner=False` leaves the statistical NER out; a path picks another model."""
    cfg = util.load_config(config or default_config_path())
    if alias_file:
        for name in ("kg_entities", "kg_relations", "kg_relation_classifier"):
            if name in cfg["components"]:
                cfg["components"][name]["alias_file"] = str(alias_file)
    nlp = util.load_model_from_config(cfg, auto_fill=True, validate=True)
    model_dir = ensure_pkuseg_model()
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir), pkuseg_user_dict=str(_user_dict(alias_file)))
    ner_path = shipped_ner_path() if ner is None else (Path(ner) if ner else None)
    if ner_path is not None and "ner" not in nlp.pipe_names:
        trained = spacy.load(ner_path, exclude=["tokenizer"])
        first = nlp.pipe_names[0] if nlp.pipe_names else None
        nlp.add_pipe("ner", source=trained, before=first) if first else nlp.add_pipe("ner", source=trained)
    return nlp
