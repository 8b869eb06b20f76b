"""Record sources plugged in with ``register_source`` (how the C2PA and watermark modules attach)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from brightline.media import ProvenanceRecord, _SOURCES, inspect_file, register_source


def test_registered_source_adds_records_errors_and_respects_formats(tmp_path: Path) -> None:
    png, gif = tmp_path / "a.png", tmp_path / "b.gif"
    Image.new("RGB", (4, 4)).save(png)
    Image.new("P", (4, 4)).save(gif)
    seen: list[str] = []

    def fake_watermark(path: Path, fmt: str) -> Iterator[ProvenanceRecord]:
        seen.append(fmt)
        yield ProvenanceRecord("watermark", f"{fmt}:pixels:test", {"bits": "1011"}, True, "test mark")

    def broken(path: Path, fmt: str) -> list[ProvenanceRecord]:
        raise RuntimeError("decoder exploded")

    register_source("test-mark", fake_watermark, formats={"png"})
    register_source("test-broken", broken)
    try:
        report = inspect_file(png, sources={"test-mark", "test-broken"})
        assert [r.carrier for r in report.records] == ["png:pixels:test"]
        assert report.certainty == "suspected"  # a trace, not a label
        assert "test-broken: RuntimeError: decoder exploded" in report.errors
        assert inspect_file(gif, sources={"test-mark"}).records == []  # not a format it asked for
        assert seen == ["png"]
        assert inspect_file(png, sources=()).records == []  # metadata only
    finally:
        _SOURCES.pop("test-mark", None)
        _SOURCES.pop("test-broken", None)
