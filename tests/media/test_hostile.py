"""Hostile files: a clear per-file error, no crash, bounded memory and time."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from brightline.media import Limits, inspect_file

from .fixtures import box, flac_bytes, mp3_bytes, mp4_bytes, ogg_bytes, record, wav_bytes, xmp_packet

GIGA = 2**31 - 1
FTYP = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    return buf.getvalue()


def _jpeg_with_xmp(xmp: bytes) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG", xmp=xmp)
    return buf.getvalue()


def _inspect_bytes(tmp_path: Path, name: str, data: bytes, **kw: object):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return inspect_file(path, **kw)  # type: ignore[arg-type]


def _png_chunk(ctype: bytes, data: bytes, declared: int | None = None) -> bytes:
    n = len(data) if declared is None else declared
    return struct.pack(">I", n) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


CASES = {
    "png-2gb-chunk.png": lambda: _png()[:33] + struct.pack(">I", GIGA) + b"tEXt" + b"AIGC\x00{",
    "png-over-2gb.png": lambda: _png()[:33] + struct.pack(">I", 0xFFFFFFF0) + b"IDAT" + b"\x00" * 8,
    "png-truncated.png": lambda: _png()[:-20],
    "jpeg-truncated.jpg": lambda: _jpeg_with_xmp(xmp_packet(aigc=record()).encode())[:60],
    "jpeg-bad-length.jpg": lambda: b"\xff\xd8\xff\xe1\x00\x01",
    "mp4-2gb-mdat.mp4": lambda: FTYP + struct.pack(">I", GIGA) + b"mdat" + b"\x00" * 16,
    "mp4-64bit-huge.mp4": lambda: FTYP + struct.pack(">I4sQ", 1, b"mdat", 2**62),
    "mp4-tiny-box.mp4": lambda: FTYP + struct.pack(">I", 4) + b"moov",
    "wav-2gb-chunk.wav": lambda: wav_bytes(record())[:36] + b"AIGC" + struct.pack("<I", GIGA) + b"{}",
    "mp3-huge-tag.mp3": lambda: b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + b"\x00" * 32,
    "mp3-bad-frame.mp3": lambda: mp3_bytes(record())[:10] + b"TXXX" + b"\x7f\x7f\x7f\x7f\x00\x00" + b"\x03AIGC",
    "flac-truncated.flac": lambda: flac_bytes(record())[:60],
    "ogg-truncated.ogg": lambda: ogg_bytes(record())[:70],
    "gif-truncated.gif": lambda: b"GIF89a\x08\x00\x08\x00\x80\x00\x00" + b"\x00" * 6 + b"\x21\xff\x0bXMP DataXMP\x40abc",
    "pdf-garbage.pdf": lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstartxref\n999999\n%%EOF",
    "pdf-deep.pdf": lambda: (b"%PDF-1.7\n1 0 obj\n" + b"[" * 5000 + b"]" * 5000 + b"\nendobj\ntrailer\n<< /Info 1 0 R >>\n"
                             b"startxref\n0\n%%EOF"),
    "docx-not-zip.docx": lambda: b"PK\x03\x04" + b"\x00" * 40,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_gives_a_clear_error(tmp_path: Path, name: str) -> None:
    t0 = time.perf_counter()
    report = _inspect_bytes(tmp_path, name, CASES[name]())
    assert time.perf_counter() - t0 < 5
    assert report.errors, f"{name}: expected an error"
    assert not any("reader failed" in e for e in report.errors), report.errors  # a named defect, not a bug
    assert report.gb45438.status in ("inconclusive", "not_found", "noncompliant")
    assert report.to_dict()["errors"] == report.errors


def test_declared_2gb_chunk_is_named_in_the_error(tmp_path: Path) -> None:
    report = _inspect_bytes(tmp_path, "big.png", CASES["png-2gb-chunk.png"]())
    assert any("declares 2147483647 bytes" in e for e in report.errors), report.errors
    assert report.gb45438.status == "inconclusive"
    report = _inspect_bytes(tmp_path, "big.mp4", CASES["mp4-2gb-mdat.mp4"]())
    assert any("mdat" in e and "past the end" in e for e in report.errors), report.errors


def test_billion_laughs_xmp_is_refused_not_expanded(tmp_path: Path) -> None:
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
           + b']><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"><TC260:AIGC>&lol9;</TC260:AIGC>'
           b"</rdf:Description></rdf:RDF></x:xmpmeta>")
    tracemalloc.start()
    report = _inspect_bytes(tmp_path, "lol.jpg", _jpeg_with_xmp(lol))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert any("refused" in e and "jpeg:xmp" in e for e in report.errors), report.errors
    assert report.records == []
    assert peak < 20 * 1024 * 1024


def test_ztxt_decompression_bomb(tmp_path: Path) -> None:
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)  # 64 MiB of zeros in ~64 KiB
    png = _png()
    data = png[:33] + _png_chunk(b"zTXt", b"AIGC\x00\x00" + bomb) + png[33:]
    tracemalloc.start()
    report = _inspect_bytes(tmp_path, "bomb.png", data, max_bytes=1024 * 1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert any("decompresses to more than" in e for e in report.errors), report.errors
    assert peak < 16 * 1024 * 1024


def test_ooxml_zip_bomb_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w/>")
        zf.writestr("docProps/custom.xml", b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>")
    report = inspect_file(path)
    assert any("above the cap" in e for e in report.errors), report.errors
    ratio = inspect_file(path, limits=Limits(max_bytes=64 * 1024 * 1024, max_zip_ratio=100))
    assert any("zip bomb" in e for e in ratio.errors), ratio.errors


def test_yaml_alias_bomb_in_front_matter(tmp_path: Path) -> None:
    text = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nAIGC: [*b, *b]\n---\n"
    report = _inspect_bytes(tmp_path, "bomb.md", text.encode())
    assert any("aliases are not allowed" in e for e in report.errors), report.errors


def test_big_sparse_video_is_read_in_bounded_memory_and_time(tmp_path: Path) -> None:
    """A 3 GB (sparse) MP4 with moov after mdat: the reader seeks over mdat and finds the label at the end."""
    path = tmp_path / "huge.mp4"
    head = box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    moov = mp4_bytes(record())[len(FTYP) + 72 :]  # after ftyp and the 72-byte mdat
    mdat_size = 3 * 1024**3
    with path.open("wb") as fh:
        fh.write(head + struct.pack(">I4sQ", 1, b"mdat", mdat_size))
        fh.seek(len(head) + mdat_size)
        fh.write(moov)
    tracemalloc.start()
    t0 = time.perf_counter()
    report = inspect_file(path)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.errors == [] and report.certainty == "confirmed"
    assert elapsed < 1 and peak < 4 * 1024 * 1024


def test_deeply_nested_boxes_do_not_recurse(tmp_path: Path) -> None:
    nested = b"AIGC"
    for _ in range(2000):
        nested = box(b"moov", nested)
    report = _inspect_bytes(tmp_path, "nested.mp4", box(b"ftyp", b"isom\x00\x00\x02\x00") + nested)
    assert not any("reader failed" in e for e in report.errors)
    deep_meta = box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"moov", box(b"udta", box(b"meta", b"\x00" * 4)))
    assert _inspect_bytes(tmp_path, "meta.mp4", deep_meta).errors == []


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    missing = inspect_file(tmp_path / "nope.png")
    assert missing.errors and "cannot open" in missing.errors[0]
    unknown = _inspect_bytes(tmp_path, "x.bin", b"\x00\x01\x02 not a format")
    assert unknown.format is None and "unrecognised file format" in unknown.errors[0]
    assert unknown.gb45438.status == "inconclusive"
    assert inspect_file(tmp_path).errors  # a directory


def test_ooxml_with_member_offsets_before_the_file_start(tmp_path: Path) -> None:
    # Found by the fuzz test: an end record whose central-directory offset is too large makes zipfile shift every
    # member's header offset below byte 0, and opening docProps/custom.xml then seeks to a negative position
    # (OSError EINVAL). It must be a clear per-file error, not a reader failure.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w/>")
        zf.writestr("docProps/custom.xml", "<Properties/>")
    blob = bytearray(buf.getvalue())
    eocd = blob.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", blob, eocd + 16)[0]
    struct.pack_into("<I", blob, eocd + 16, cd_offset + 4096)
    path = tmp_path / "bad.docx"
    path.write_bytes(bytes(blob))
    report = inspect_file(path)
    assert report.errors, "a broken package must be reported"
    assert not any("reader failed" in e for e in report.errors), report.errors
    assert any("broken zip package" in e for e in report.errors), report.errors
