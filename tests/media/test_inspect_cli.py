"""``brightline inspect``: human and JSON output, exit status 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, PngImagePlugin
from typer.testing import CliRunner

from brightline.cli import app

from .fixtures import record, wav_bytes

runner = CliRunner()


def _labelled_png(path: Path) -> Path:
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", record())
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    return path


def test_human_output_shows_records_certainty_and_finding(tmp_path: Path) -> None:
    png = _labelled_png(tmp_path / "a.png")
    result = runner.invoke(app, ["inspect", str(png)])
    assert result.exit_code == 0, result.output
    assert "Art. 6 certainty: confirmed" in result.output
    assert "GB 45438: compliant" in result.output
    assert "png:tEXt:AIGC" in result.output and "implicit_label" in result.output


def test_json_output_for_one_and_several_files(tmp_path: Path) -> None:
    png = _labelled_png(tmp_path / "a.png")
    wav = tmp_path / "plain.wav"
    wav.write_bytes(wav_bytes("nothing to see")[:-24])  # no AIGC chunk left… and a cut-off tail
    one = runner.invoke(app, ["inspect", "--json", str(png)])
    assert one.exit_code == 0
    doc = json.loads(one.stdout)
    assert doc["certainty"] == "confirmed" and doc["records"][0]["carrier"] == "png:tEXt:AIGC"
    assert doc["gb45438"]["record"]["Label"] == "1"
    both = runner.invoke(app, ["inspect", "--json", "--metadata-only", str(png), str(wav)])
    docs = json.loads(both.stdout)
    assert [d["format"] for d in docs] == ["png", "wav"]
    assert docs[1]["errors"], "the damaged WAV reports its error in the JSON"


def test_exit_status_says_whether_anything_was_found(tmp_path: Path) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(plain)
    none = runner.invoke(app, ["inspect", str(plain)])
    assert none.exit_code == 1
    assert "no provenance records" in none.output
    assert runner.invoke(app, ["inspect", str(tmp_path / "missing.png")]).exit_code == 2
    assert runner.invoke(app, ["inspect"]).exit_code == 2
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00" * 10)
    result = runner.invoke(app, ["inspect", str(garbage)])
    assert result.exit_code == 1 and "unrecognised file format" in result.output
