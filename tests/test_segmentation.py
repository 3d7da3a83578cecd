import shutil

import pytest

from kg import segmentation as seg


def test_cached_model_is_verified_and_loads_without_network(nlp, monkeypatch):
    # a loaded pipeline must not reach for pip again: any attempt to run it fails the test
    monkeypatch.setattr(seg, "_download_sdist", lambda dest: pytest.fail("tried to download"))
    path = seg.ensure_pkuseg_model()
    assert seg.verify_model_dir(path) == []
    assert not (path / "features.pkl").exists(), "the pickle must not be kept in the cache"


def test_tampered_model_file_is_detected(tmp_path):
    src = seg.pkuseg_model_dir()
    copy = tmp_path / "default"
    shutil.copytree(src, copy)
    with (copy / "features.msgpack").open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00\x01\x02")
    assert seg.verify_model_dir(copy) == ["features.msgpack"]
    (copy / "manifest.json").unlink()
    assert set(seg.verify_model_dir(copy)) == {"features.msgpack", "weights.npz"}


def test_user_dictionary_keeps_known_names_whole(nlp):
    doc = nlp.make_doc("浪潮信息与中国移动甘肃公司签约")
    words = [t.text for t in doc]
    assert "浪潮信息" in words
    assert "中国移动甘肃公司" in words or "中国移动" in words
