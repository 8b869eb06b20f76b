"""Property test: whatever bytes a file of a supported format holds, labelling it either writes a file that
still holds exactly one record or raises LabelWriteError — no other exception, no partial output."""

from __future__ import annotations

import io
import json
import struct
import tempfile
import wave
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from brightline.media import inspect_file
from brightline.media.writers import LabelWriteError, RecordEdit, write_implicit_label

RECORD = json.dumps({"AIGC": {"Label": "1", "ContentProducer": "P", "ProduceID": "1"}})


def _seeds() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", RECORD)
    for fmt, suffix in (("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")):
        buf = io.BytesIO()
        Image.new("RGB", (16, 16), (9, 99, 199)).save(buf, fmt, **({"pnginfo": info} if fmt == "PNG" else {}))
        out[suffix] = buf.getvalue()
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * 64)
    out["wav"] = buf.getvalue()
    value = b'{"Label":"1","ContentProducer":"P","ProduceID":"1"}'
    data_box = struct.pack(">I4sII", 16 + len(value), b"data", 1, 0) + value
    ilst_item = struct.pack(">I4s", 8 + len(data_box), b"\x00\x00\x00\x01") + data_box
    keys = struct.pack(">I4sII", 16 + 12, b"keys", 0, 1) + struct.pack(">I4s", 12, b"mdta") + b"AIGC"
    ilst = struct.pack(">I4s", 8 + len(ilst_item), b"ilst") + ilst_item
    hdlr = struct.pack(">I4s", 33, b"hdlr") + b"\x00" * 8 + b"mdta" + b"\x00" * 13
    meta = struct.pack(">I4s", 12 + len(hdlr) + len(keys) + len(ilst), b"meta") + b"\x00" * 4 + hdlr + keys + ilst
    udta = struct.pack(">I4s", 8 + len(meta), b"udta") + meta
    moov = struct.pack(">I4s", 8 + len(udta), b"moov") + udta
    out["mp4"] = struct.pack(">I4s", 16, b"ftyp") + b"isom\x00\x00\x02\x00" + moov + struct.pack(">I4s", 12, b"mdat") + b"abcd"
    return out


SEEDS = _seeds()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "length"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "length" and pos + 4 <= len(data):
            data[pos : pos + 4] = struct.pack(">I", draw(st.sampled_from([0, 1, 7, 0x7FFFFFFF, 0xFFFFFFFF])))
    return suffix, bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_labelling_a_damaged_file_writes_one_record_or_fails_cleanly(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / f"in.{suffix}", Path(tmp) / f"out.{suffix}"
        src.write_bytes(data)
        try:
            write_implicit_label(src, dst, RecordEdit("PLATFORM", "id-1", new_label="3"))
        except LabelWriteError:
            assert not dst.exists()
            assert [p.name for p in Path(tmp).iterdir()] == [src.name]  # no temp file left behind
            return
        assert src.read_bytes() == data
        before = _labels(src)
        report = inspect_file(dst, sources=())
        after = [r.data for r in report.records if r.basis == "implicit_label"]
        assert len(after) <= max(len(before), 1)  # never a second record
        if not report.errors:
            assert any(r.get("PropagateID") == "id-1" for r in after)


def _labels(path: Path) -> list[dict]:
    return [r.data for r in inspect_file(path, sources=()).records if r.basis == "implicit_label"]


def test_every_seed_is_labelled_with_exactly_one_record(tmp_path: Path) -> None:
    for suffix, data in SEEDS.items():
        src, dst = tmp_path / f"in.{suffix}", tmp_path / f"out.{suffix}"
        src.write_bytes(data)
        write_implicit_label(src, dst, RecordEdit("PLATFORM", "id-1", new_label="3"))
        (record,) = _labels(dst)
        assert record["PropagateID"] == "id-1", suffix
