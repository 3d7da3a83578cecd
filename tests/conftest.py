"""Shared fixtures. Tests that need ../shared (public corpora, gold) skip with a reason without it."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
SEEDS = ROOT / "seeds"


def load_script(name: str, path: str):
    """A module of scripts/ (not a package), imported from its file: `path` is relative to the root."""
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


needs_shared = pytest.mark.skipif(
    not (SHARED / "gold").is_dir() or not (SHARED / "data").is_dir(),
    reason=f"needs the shared corpora and gold beside the checkout ({SHARED} not found; set KG_SHARED)",
)


@pytest.fixture(scope="session")
def nlp():
    from kg.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extract_text(nlp):
    """Run the pipeline on a text; return the extraction record."""
    from kg.documents import Document
    from kg.extraction import extract_document

    def run(text: str, doc_id: str = "t") -> dict:
        return extract_document(nlp, Document(doc_id, doc_id, text))

    return run


@pytest.fixture(scope="session")
def seed_build(nlp, tmp_path_factory):
    from kg.build import build

    out = tmp_path_factory.mktemp("seed-out")
    return build([SEEDS], out, nlp)
