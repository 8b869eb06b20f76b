"""Image containers: JPEG, PNG, WebP, TIFF, GIF — fixtures written by Pillow and exiftool."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from PIL import Image, PngImagePlugin

from brightline.media import inspect_file
from .fixtures import AI_DST, record, run, xmp_packet

A1111 = ("a lighthouse at dusk, oil painting\nNegative prompt: blurry\n"
         "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x512, Model hash: 6ce0161689, "
         "Model: v1-5-pruned-emaonly, Version: v1.6.0")


def _carriers(path: Path) -> dict[str, object]:
    return {r.carrier: r for r in inspect_file(path).records}


def test_png_text_chunks_written_by_pillow(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", record())
    info.add_text("parameters", A1111)
    info.add_text("prompt", json.dumps({"3": {"class_type": "KSampler", "inputs": {"seed": 1}},
                                        "4": {"class_type": "CheckpointLoaderSimple",
                                              "inputs": {"ckpt_name": "sdxl.safetensors"}}}))
    path = tmp_path / "gen.png"
    Image.new("RGB", (16, 16)).save(path, pnginfo=info)
    report = inspect_file(path)
    assert report.format == "png" and report.errors == []
    assert report.certainty == "confirmed"
    assert report.gb45438.status == "compliant"
    assert report.gb45438.carrier == "png:tEXt:AIGC"
    by = {r.carrier: r for r in report.records}
    a1111 = by["png:tEXt:parameters"]
    assert a1111.basis == "generator_metadata" and a1111.data["seed"] == "1234"
    assert a1111.data["negative_prompt"] == "blurry"
    comfy = by["png:tEXt:prompt"]
    assert comfy.data["tool"] == "ComfyUI" and comfy.data["models"] == ["sdxl.safetensors"]


def test_png_compressed_itxt_xmp_after_idat(tmp_path: Path) -> None:
    """A label placed after the pixel data (iTXt, compressed) is still found: the reader walks to IEND."""
    plain = tmp_path / "plain.png"
    Image.new("RGB", (16, 16)).save(plain)
    data = plain.read_bytes()
    xmp = xmp_packet(aigc=record(wrapped=False), dst=AI_DST).encode()
    body = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(xmp)
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    iend = data.rindex(b"IEND") - 4
    path = tmp_path / "late.png"
    path.write_bytes(data[:iend] + chunk + data[iend:])
    report = inspect_file(path)
    assert report.errors == []
    assert {r.carrier for r in report.records} == {"png:xmp:TC260:AIGC", "png:xmp:Iptc4xmpExt:DigitalSourceType"}
    assert report.certainty == "confirmed"


def test_jpeg_xmp_and_exif_written_by_exiftool(tmp_path: Path, exiftool: str, exiftool_tc260_config: Path) -> None:
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (32, 32), "white").save(path)
    run(exiftool, "-config", exiftool_tc260_config, "-q", "-overwrite_original",
        f"-XMP-TC260:AIGC={record(wrapped=False)}", f"-XMP-iptcExt:DigitalSourceType={AI_DST}",
        "-XMP-iptcExt:AISystemUsed=Example Diffusion", f"-EXIF:UserComment={record()}", path)
    report = inspect_file(path)
    by = {r.carrier: r for r in report.records}
    assert set(by) == {"jpeg:xmp:TC260:AIGC", "jpeg:xmp:Iptc4xmpExt:DigitalSourceType", "jpeg:exif:UserComment"}
    assert by["jpeg:xmp:Iptc4xmpExt:DigitalSourceType"].ai is True
    assert by["jpeg:xmp:Iptc4xmpExt:DigitalSourceType"].data["AISystemUsed"] == "Example Diffusion"
    assert by["jpeg:exif:UserComment"].data["ProduceID"] == "20250901abc123"
    assert report.gb45438.status == "compliant"  # same record twice: a warning, not a defect
    assert report.certainty == "confirmed"


def test_jpeg_a1111_usercomment_unicode_is_suspected(tmp_path: Path, exiftool: str) -> None:
    path = tmp_path / "a1111.jpg"
    Image.new("RGB", (32, 32)).save(path)
    # exiftool writes UserComment as UNICODE when the text is not ASCII, like piexif does for A1111.
    run(exiftool, "-q", "-overwrite_original", "-charset", "UTF8", f"-EXIF:UserComment={A1111} 灯塔", path)
    report = inspect_file(path)
    (rec,) = report.records
    assert rec.basis == "generator_metadata" and rec.carrier == "jpeg:exif:UserComment"
    assert rec.data["model"] == "v1-5-pruned-emaonly"
    assert report.certainty == "suspected"
    assert report.gb45438.status == "not_found"


def test_algorithmic_media_is_not_ai(tmp_path: Path) -> None:
    path = tmp_path / "fractal.jpg"
    xmp = xmp_packet(dst="http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia")
    Image.new("RGB", (8, 8)).save(path, xmp=xmp.encode())
    report = inspect_file(path)
    (rec,) = report.records
    assert rec.basis == "iptc" and rec.ai is False
    assert report.certainty is None


def test_jpeg_bare_aigc_blob_in_app_segment(tmp_path: Path) -> None:
    """Doubao-style ``AIGC{…}`` in a non-standard APP segment."""
    plain = tmp_path / "p.jpg"
    Image.new("RGB", (8, 8)).save(plain)
    data = plain.read_bytes()
    blob = b"AIGC" + record(wrapped=False).encode()
    seg = b"\xff\xea" + struct.pack(">H", len(blob) + 2) + blob
    path = tmp_path / "blob.jpg"
    path.write_bytes(data[:2] + seg + data[2:])
    report = inspect_file(path)
    assert [r.carrier for r in report.records] == ["jpeg:APP10:blob"]
    assert report.certainty == "confirmed"


def test_webp_xmp_and_exif_written_by_pillow(tmp_path: Path) -> None:
    path = tmp_path / "img.webp"
    exif = Image.Exif()
    exif[0x010E] = record()  # ImageDescription: the Tencent-style location of a wrapped record
    Image.new("RGB", (16, 16)).save(path, xmp=xmp_packet(dst=AI_DST).encode(), exif=exif)
    report = inspect_file(path)
    assert report.format == "webp" and report.errors == []
    carriers = {r.carrier for r in report.records}
    assert carriers == {"webp:xmp:Iptc4xmpExt:DigitalSourceType", "webp:exif:ImageDescription"}
    assert report.certainty == "confirmed"


def test_tiff_and_gif_xmp_written_by_exiftool(tmp_path: Path, exiftool: str, exiftool_tc260_config: Path) -> None:
    for name in ("img.tif", "img.gif"):
        path = tmp_path / name
        Image.new("RGB", (16, 16)).save(path)
        run(exiftool, "-config", exiftool_tc260_config, "-q", "-overwrite_original",
            f"-XMP-TC260:AIGC={record(wrapped=False)}", path)
        report = inspect_file(path)
        fmt = "tiff" if name.endswith("tif") else "gif"
        assert report.format == fmt and report.errors == []
        assert [r.carrier for r in report.records] == [f"{fmt}:xmp:TC260:AIGC"]
        assert report.gb45438.status == "compliant"


def test_jpeg_extended_xmp_is_reassembled(tmp_path: Path) -> None:
    """A TC260 label in extended XMP (split over two APP1 segments) is found."""
    import hashlib

    big = xmp_packet(aigc=record(wrapped=False), extra="<dc:padding xmlns:dc='http://purl.org/dc/elements/1.1/'>"
                     + "x" * 70000 + "</dc:padding>").encode()
    guid = hashlib.md5(big).hexdigest().upper().encode()
    segs = b""
    for off in range(0, len(big), 60000):
        part = big[off : off + 60000]
        body = b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", len(big), off) + part
        segs += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    plain = tmp_path / "p.jpg"
    Image.new("RGB", (8, 8)).save(plain)
    data = plain.read_bytes()
    path = tmp_path / "ext.jpg"
    path.write_bytes(data[:2] + segs + data[2:])
    report = inspect_file(path)
    assert [r.carrier for r in report.records] == ["jpeg:xmp-extended:TC260:AIGC"]
