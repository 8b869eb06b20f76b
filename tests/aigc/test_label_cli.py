"""`brightline label IN OUT`: round trip label → inspect → producer fields unchanged, exactly one record."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from brightline.cli import app
from brightline.media import inspect_file

from .conftest import PLATFORM, PRODUCER_RECORD, exiftool

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["label", *args, "--producer", PLATFORM, "--propagate-id", "post-42", "--json"])


def test_jpeg_round_trip_with_overlay(tmp_path: Path) -> None:
    src = tmp_path / "producer.jpg"
    Image.new("RGB", (400, 300), (128, 128, 128)).save(src, quality=95)
    exiftool("-q", "-overwrite_original", f"-XMP-TC260:AIGC={json.dumps(PRODUCER_RECORD)}", "-XMP-dc:Creator=alice", str(src), cwd=tmp_path)
    before = src.read_bytes()
    dst = tmp_path / "out" / "labelled.jpg"
    result = _run(str(src), str(dst))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["certainty"] == "confirmed"  # from the producer's Label "1"
    assert summary["implicit"] == {"carrier": "jpeg:xmp:TC260:AIGC", "updated": True}
    assert src.read_bytes() == before
    report = inspect_file(dst, sources=())
    records = [r.data for r in report.records if r.basis == "implicit_label"]
    assert len(records) == 1
    for key in ("Label", "ContentProducer", "ProduceID"):
        assert records[0][key] == PRODUCER_RECORD[key]
    assert records[0]["ContentPropagator"] == PLATFORM and records[0]["PropagateID"] == "post-42"
    assert json.loads(exiftool("-j", "-XMP-dc:Creator", str(dst), cwd=tmp_path))[0]["Creator"] == "alice"
    gray = np.asarray(Image.open(dst).convert("L"))
    rows = np.where((gray > 200).any(axis=1))[0]
    assert rows.max() - rows.min() + 1 >= 0.05 * 300  # the explicit label is there and tall enough


def test_unlabelled_png_needs_a_certainty_then_gets_one_record(tmp_path: Path) -> None:
    src = tmp_path / "plain.png"
    Image.new("RGB", (64, 64), (10, 10, 10)).save(src)
    dst = tmp_path / "labelled.png"
    refused = _run(str(src), str(dst))
    assert refused.exit_code == 2 and "--certainty" in refused.output
    assert not dst.exists()
    ok = _run(str(src), str(dst), "--certainty", "suspected", "--no-explicit")
    assert ok.exit_code == 0, ok.output
    assert "explicit" not in json.loads(ok.stdout)
    record = inspect_file(dst, sources=()).gb45438.record
    assert record["Label"] == "3" and record["ContentPropagator"] == PLATFORM
    again = _run(str(dst), str(tmp_path / "twice.png"), "--no-explicit")
    assert again.exit_code == 0, again.output
    assert len([r for r in inspect_file(tmp_path / "twice.png", sources=()).records if r.basis == "implicit_label"]) == 1


def test_plain_text_gets_the_notice_only(tmp_path: Path) -> None:
    src = tmp_path / "post.txt"
    src.write_text("模型写的段落。\n", encoding="utf-8")
    result = _run(str(src), str(tmp_path / "out.txt"), "--certainty", "possible")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").startswith("【可能为AI生成】\n")
    assert any("no metadata container" in n for n in json.loads(result.stdout)["notes"])


def test_missing_or_unsupported_input_is_a_clear_error(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "nope.png"), str(tmp_path / "o.png")).exit_code == 2
    odd = tmp_path / "data.bin"
    odd.write_bytes(b"\x00" * 32)
    result = _run(str(odd), str(tmp_path / "o.bin"), "--certainty", "suspected")
    assert result.exit_code == 2 and "unsupported" in result.output
