"""The aigc detector and the packs' rules on real files made at test time by independent writers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from brightline.detectors.aigc import AigcDetector
from brightline.engine import Engine
from brightline.media import watermark
from brightline.model import Post
from brightline.registries import Registries

from .conftest import IN_CI, PRODUCER_RECORD, exiftool

IPTC_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine("cn-cac-2025")


def _jpeg(tmp_path: Path, name: str = "plain.jpg") -> Path:
    path = tmp_path / name
    Image.new("RGB", (96, 64), (20, 90, 160)).save(path, quality=90)
    return path


def _post(*paths: str, **fields) -> Post:
    return Post(id="p1", text=fields.pop("text", "看看这张图"), media=[{"path": p} for p in paths], **fields)


def test_exiftool_written_implicit_label_is_confirmed(tmp_path: Path, engine: Engine) -> None:
    src = _jpeg(tmp_path)
    exiftool("-q", "-overwrite_original", f"-XMP-TC260:AIGC={json.dumps(PRODUCER_RECORD)}", str(src), cwd=tmp_path)
    decision = engine.screen(_post("plain.jpg"), base_path=tmp_path)
    assert decision.verdict == "label"
    label = next(a for a in decision.actions if a.type == "label")
    assert label.params == {"label": "ai_generated", "certainty": "confirmed", "text": "AI生成"}
    sig = next(s for s in decision.signals if s.evidence["basis"] == "implicit_label")
    assert sig.evidence["carrier"] == "jpeg:xmp:TC260:AIGC"
    assert sig.evidence["producer"] == PRODUCER_RECORD["ContentProducer"]
    assert sig.evidence["media"] == "plain.jpg" and sig.evidence["media_index"] == 0
    assert PRODUCER_RECORD["ContentProducer"] in decision.statement


def test_iptc_digital_source_type_is_a_trace(tmp_path: Path, engine: Engine) -> None:
    src = _jpeg(tmp_path)
    exiftool("-q", "-overwrite_original", f"-XMP-iptcExt:DigitalSourceType={IPTC_AI}", str(src), cwd=tmp_path)
    decision = engine.screen(_post("plain.jpg"), base_path=tmp_path)
    assert {s.evidence["basis"] for s in decision.signals} == {"iptc"}
    assert "aigc.unlabelled.exclude" in decision.rules
    assert decision.distribution.recommendation is False


def test_c2pa_trust_anchor_option_reaches_the_evidence(tmp_path: Path, c2pa_signer, make_jpeg) -> None:
    signed = c2pa_signer.sign(make_jpeg(), "image/jpeg", [{"action": "c2pa.created", "digitalSourceType": IPTC_AI}])
    (tmp_path / "ai.jpg").write_bytes(signed)
    post = _post("ai.jpg")
    registries = Registries.load()
    ctx = Engine("cn-cac-2025").context(base_path=tmp_path)
    plain = list(AigcDetector(registries, {}).detect(post, ctx))
    trusted = list(AigcDetector(registries, {"trust_anchors": c2pa_signer.root_pem}).detect(post, ctx))
    assert [s.evidence["c2pa_status"] for s in plain] == ["valid_untrusted"]
    assert [s.evidence["c2pa_status"] for s in trusted] == ["trusted"]
    assert list(AigcDetector(registries, {"c2pa": False}).detect(post, ctx)) == []


@pytest.mark.skipif(not watermark.available() and not IN_CI, reason="invisible-watermark extra not installed")
def test_sd_watermark_is_a_trace(tmp_path: Path, engine: Engine) -> None:
    rng = np.random.default_rng(7)
    photo = np.asarray(Image.fromarray((rng.random((320, 320, 3)) * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2)))
    stamped = watermark.encode_bits(np.ascontiguousarray(photo[:, :, ::-1]), watermark.SD_MESSAGES["sdxl"])
    Image.fromarray(np.ascontiguousarray(stamped[:, :, ::-1])).save(tmp_path / "sdxl.png")
    decision = engine.screen(_post("sdxl.png"), base_path=tmp_path)
    (sig,) = decision.signals
    assert sig.evidence["basis"] == "watermark" and sig.evidence["certainty"] == "suspected"
    assert "sdxl" in sig.evidence["detail"]


def test_every_aigc_signal_names_basis_and_certainty_from_the_contract(tmp_path: Path, engine: Engine) -> None:
    src = _jpeg(tmp_path)
    exiftool("-q", "-overwrite_original", f"-XMP-iptcExt:DigitalSourceType={IPTC_AI}", str(src), cwd=tmp_path)
    decision = engine.screen(_post("plain.jpg", text="AI生成的图", declared_ai=True), base_path=tmp_path)
    bases = {s.evidence["basis"] for s in decision.signals}
    assert bases == {"iptc", "declaration", "visible_mark"}
    for s in decision.signals:
        assert s.detector == "aigc"
        assert s.evidence["certainty"] in ("confirmed", "possible", "suspected")
    assert decision.rules[:1] == ["aigc.possible.label"]


def test_screen_command_resolves_media_relative_to_the_input(tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    _jpeg(media, "a.jpg")
    exiftool("-q", "-overwrite_original", f"-XMP-TC260:AIGC={json.dumps(PRODUCER_RECORD)}", str(media / "a.jpg"), cwd=tmp_path)
    lines = [
        {"kind": "post", "id": "p1", "text": "图", "media": [{"path": "media/a.jpg"}]},
        {"kind": "post", "id": "p2", "text": "图", "media": [{"path": "media/missing.png"}]},
        {"kind": "post", "id": "p3", "text": "普通文字"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "brightline", "screen", str(src), "-o", str(out), "-q"],
                          capture_output=True, text=True, cwd="/")
    assert proc.returncode == 0, proc.stderr
    got = {d["subject"]["id"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    # Only the aigc part is asserted: other detectors' rules may add to these decisions.
    assert "aigc.confirmed.label" in got["p1"]["rules"]
    assert {"type": "label", "label": "ai_generated", "certainty": "confirmed", "text": "AI生成"} in got["p1"]["actions"]
    assert got["p2"]["verdict"] == "review" and "aigc.unverifiable.review" in got["p2"]["rules"]
    assert "missing.png" in got["p2"]["statement"]
    assert not [s for s in got["p3"]["signals"] if s["detector"] == "aigc"]


def test_hostile_media_is_evidence_not_a_crash_and_media_per_post_is_capped(tmp_path: Path) -> None:
    # A PNG whose first chunk declares 2 GB, a zero-byte "image" and a directory named like an image.
    (tmp_path / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x7f\xff\xff\xffIHDR" + b"\x00" * 32)
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "folder.png").mkdir()
    post = _post("huge.png", "empty.jpg", "folder.png")
    decision = Engine("cn-cac-2025").screen(post, base_path=tmp_path)
    assert decision.verdict == "review" and not decision.errors
    media = sorted(s.evidence["media"] for s in decision.signals if s.evidence.get("gb45438") == "inconclusive")
    assert media == ["empty.jpg", "folder.png", "huge.png"]
    capped = AigcDetector(Registries.load(), {"max_media": 2})
    ctx = Engine("cn-cac-2025").context(base_path=tmp_path)
    assert len(list(capped.detect(post, ctx))) == 2
