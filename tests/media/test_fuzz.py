"""Property-based fuzzing, one seed file per container parser: mutated files never crash a reader.

A mutation flips bytes, truncates, inserts junk or writes a hostile 32-bit length; whatever comes out,
``inspect_file`` returns a report whose errors name the defect (never an internal reader failure).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from brightline.media import inspect_file

from .fixtures import AI_DST, flac_bytes, gif_bytes, mp3_bytes, mp4_bytes, ogg_bytes, record, wav_bytes, xmp_packet


def _pillow(fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, fmt, **kw)
    return buf.getvalue()


def _png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", record())
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(dst=AI_DST), zip=True)
    info.add_text("parameters", "x\nSteps: 2, Sampler: Euler, Seed: 1")
    return _pillow("PNG", pnginfo=info)


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = record()
    return exif


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w/>")
        zf.writestr("docProps/custom.xml", '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'custom-properties"><property name="AIGC"><v>' + record(wrapped=False) + "</v></property></Properties>")
    return buf.getvalue()


SEEDS = {
    "jpeg": lambda: _pillow("JPEG", xmp=xmp_packet(aigc=record(wrapped=False)).encode(), exif=_exif()),
    "png": _png,
    "webp": lambda: _pillow("WEBP", xmp=xmp_packet(aigc=record()).encode(), exif=_exif()),
    "tiff": lambda: _pillow("TIFF", tiffinfo={700: xmp_packet(aigc=record()).encode(), 0x010E: record()}),
    "gif": lambda: gif_bytes(xmp_packet(aigc=record())),
    "mp4": lambda: mp4_bytes(record()),
    "wav": lambda: wav_bytes(record()),
    "mp3": lambda: mp3_bytes(record()),
    "flac": lambda: flac_bytes(record()),
    "ogg": lambda: ogg_bytes(record()),
    "pdf": lambda: _pillow("PDF", title=record()),
    "docx": _docx,
    "md": lambda: ("---\ntitle: t\nAIGC: " + record(wrapped=False) + "\n---\n# body\n").encode(),
}


@st.composite
def mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "truncate", "insert", "length"]))
        pos = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[pos:]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        else:
            data[pos : pos + 4] = draw(st.sampled_from([b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x00",
                                                        b"\x00\x00\x00\x01", b"\x00\x00\x00\x08"]))
    return bytes(data)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_seed_is_read(fmt: str) -> None:
    """Each seed really exercises its parser: the unmutated file yields a record."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"seed.{fmt}"
        path.write_bytes(SEEDS[fmt]())
        report = inspect_file(path, sources=())
        assert report.errors == [], report.errors
        assert report.records, f"{fmt} seed yields no record"


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_files_never_crash(fmt: str, data: st.DataObject) -> None:
    blob = data.draw(mutations(SEEDS[fmt]()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz.{fmt}"
        path.write_bytes(blob)
        report = inspect_file(path, sources=())
    assert not any("reader failed" in e or "could not interpret" in e for e in report.errors), report.errors
    json.dumps(report.to_dict())
