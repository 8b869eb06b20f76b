"""C2PA manifests signed at test time with c2pa-python's Builder and a throw-away certificate chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from brightline.media.c2pa_reader import C2paReader, classify_store, is_ai_source_type

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.fixture(scope="module")
def reader() -> C2paReader:
    return C2paReader()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_ai_source_types() -> None:
    assert is_ai_source_type(IPTC + "trainedAlgorithmicMedia")
    assert is_ai_source_type("https://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic")
    assert is_ai_source_type(IPTC + "compositeWithTrainedAlgorithmicMedia")
    assert not is_ai_source_type(IPTC + "algorithmicMedia")  # made by an algorithm without training data
    assert not is_ai_source_type(IPTC + "digitalCapture")
    assert not is_ai_source_type(None)


def test_signed_ai_image_is_ai_and_valid_but_untrusted(tmp_path, c2pa_signer, make_jpeg, reader) -> None:
    signed = c2pa_signer.sign(make_jpeg(), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}])
    finding = reader.read(_write(tmp_path, "ai.jpg", signed))
    assert finding.ai and finding.present
    assert finding.status == "valid_untrusted"
    assert "signingCredential.untrusted" in finding.failures
    assert finding.ai_sources[0].role == "active"
    assert finding.claim_generator == "brightline-test/1"


def test_trust_anchor_makes_the_same_file_trusted(tmp_path, c2pa_signer, make_jpeg) -> None:
    signed = c2pa_signer.sign(make_jpeg(), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}])
    path = _write(tmp_path, "ai.jpg", signed)
    anchors = tmp_path / "anchors.pem"
    anchors.write_text(c2pa_signer.root_pem)
    assert C2paReader(trust_anchors=anchors).read(path).status == "trusted"
    assert C2paReader(trust_anchors=c2pa_signer.root_pem).read(path).status == "trusted"


def test_algorithmic_media_is_not_ai(tmp_path, c2pa_signer, make_jpeg, reader) -> None:
    signed = c2pa_signer.sign(make_jpeg(), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC + "algorithmicMedia"}])
    finding = reader.read(_write(tmp_path, "algo.jpg", signed))
    assert finding.present and not finding.ai


def test_ai_origin_in_an_ingredient_manifest_counts(tmp_path, c2pa_signer, make_jpeg, reader) -> None:
    parent = c2pa_signer.sign(make_jpeg(color=(1, 2, 3)), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}])
    child = c2pa_signer.sign(
        make_jpeg(color=(9, 9, 9)),
        "image/jpeg",
        [{"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}}],
        ingredient=(parent, "image/jpeg"),
    )
    finding = reader.read(_write(tmp_path, "edit.jpg", child))
    assert finding.manifests == 2
    assert finding.ai
    assert [s.role for s in finding.ai_sources] == ["ingredient"]


def test_edited_after_signing_is_invalid(tmp_path, c2pa_signer, make_jpeg, reader) -> None:
    signed = bytearray(c2pa_signer.sign(make_jpeg(), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}]))
    signed[-200] ^= 0xFF  # flip a byte of the image data, which the manifest's hash covers
    finding = reader.read(_write(tmp_path, "tampered.jpg", bytes(signed)))
    assert finding.status == "invalid"
    assert any("dataHash" in f for f in finding.failures)
    assert finding.ai  # still a trace of AI origin, even if no longer verifiable


def test_no_manifest_unsupported_and_broken_files_do_not_raise(tmp_path, make_jpeg, reader) -> None:
    assert reader.read(_write(tmp_path, "plain.jpg", make_jpeg())).status == "absent"
    assert reader.read(_write(tmp_path, "notes.txt", b"hello")).status == "unsupported"
    assert reader.read(tmp_path / "missing.jpg").status == "error"
    broken = reader.read(_write(tmp_path, "broken.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\xff" * 40))
    assert broken.status in ("error", "absent")


def test_classify_store_without_state_infers_from_failures() -> None:
    store = {"active_manifest": "m", "manifests": {"m": {"assertions": []}},
             "validation_status": [{"code": "assertion.dataHash.mismatch"}]}
    assert classify_store(store).status == "invalid"
