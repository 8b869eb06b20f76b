"""Implicit-label writers for JPEG, PNG and WebP: producer records written by exiftool / Pillow, updated by
brightline, read back by brightline.media.inspect_file and by exiftool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from brightline.media import inspect_file
from brightline.media.writers import LabelWriteError, RecordEdit, write_implicit_label

from .conftest import PLATFORM, PRODUCER_RECORD, exiftool

RECORD_JSON = json.dumps(PRODUCER_RECORD, separators=(",", ":"))


def _xmp_packet(value: str) -> bytes:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/" TC260:AIGC="{escaped}">'
        "<dc:creator><rdf:Seq><rdf:li>alice</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _producer_file(tmp_path: Path, kind: str) -> Path:
    """A labelled file made by an independent writer."""
    base = tmp_path / f"plain.{kind.split('-')[0]}"
    Image.new("RGB", (120, 90), (30, 160, 90)).save(base)
    out = tmp_path / f"producer-{kind}.{kind.split('-')[0]}"
    if kind in ("jpg", "png"):
        exiftool("-q", f"-XMP-TC260:AIGC={RECORD_JSON}", "-XMP-dc:Creator=alice", "-o", str(out), str(base), cwd=tmp_path)
    elif kind == "png-text":
        info = PngImagePlugin.PngInfo()
        info.add_text("AIGC", json.dumps({"AIGC": PRODUCER_RECORD}))
        info.add_text("Author", "alice")
        Image.open(base).save(out, pnginfo=info)
    elif kind == "webp":
        Image.open(base).save(out, xmp=_xmp_packet(RECORD_JSON))
    return out


def _records(path: Path) -> list[dict]:
    """Every GB 45438 record brightline's reader finds in the file."""
    report = inspect_file(path, sources=())
    assert report.format is not None, report.errors
    return [r.data for r in report.records if r.basis == "implicit_label"]


def _label(src: Path, dst: Path, label: str | None = None):
    edit = RecordEdit(PLATFORM, "post-42", new_label=label)
    return write_implicit_label(src, dst, edit)


@pytest.mark.parametrize("kind", ["jpg", "png", "png-text", "webp"])
def test_propagator_fields_added_to_the_producer_record(tmp_path: Path, kind: str) -> None:
    src = _producer_file(tmp_path, kind)
    before = src.read_bytes()
    dst = tmp_path / f"labelled-{src.name}"
    placement = _label(src, dst)
    assert placement.updated
    assert src.read_bytes() == before  # the input is never modified
    labels = _records(dst)
    assert len(labels) == 1, "exactly one GB 45438 record after labelling"
    data = labels[0]
    (original,) = _records(src)
    for key in ("Label", "ContentProducer", "ProduceID"):
        assert data[key] == original[key]
    assert data.get("ReservedCode1", data.get("ReserveCode1")) == "sig-abc"
    assert data["ContentPropagator"] == PLATFORM and data["PropagateID"] == "post-42"
    assert data["ProduceIDExtra"] == "kept"  # unknown producer keys survive
    with Image.open(dst) as im:
        im.load()  # still a valid image


@pytest.mark.parametrize("kind", ["jpg", "png"])
def test_exiftool_reads_the_same_record_and_keeps_other_xmp(tmp_path: Path, kind: str) -> None:
    src = _producer_file(tmp_path, kind)
    dst = tmp_path / f"labelled.{kind}"
    _label(src, dst)
    got = json.loads(exiftool("-j", "-XMP-TC260:AIGC", "-XMP-dc:Creator", str(dst), cwd=tmp_path))[0]
    record = json.loads(got["AIGC"])
    assert record["ReserveCode1"] == "sig-abc"  # the producer's misspelt key is theirs to keep
    assert record["PropagateID"] == "post-42"
    assert got["Creator"] == "alice"


@pytest.mark.parametrize("suffix", ["jpg", "png", "webp"])
def test_new_record_when_the_platform_concludes_suspected(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"plain.{suffix}"
    Image.new("RGBA" if suffix == "webp" else "RGB", (64, 64), (200, 0, 0, 255) if suffix == "webp" else (200, 0, 0)).save(src)
    dst = tmp_path / f"out.{suffix}"
    placement = _label(src, dst, label="3")
    assert not placement.updated
    (record,) = _records(dst)
    assert record["Label"] == "3"
    assert record["ContentProducer"] == record["ContentPropagator"] == PLATFORM  # Annex E Note 1
    # Labelling the output again updates that record instead of adding a second one.
    again = tmp_path / f"again.{suffix}"
    _label(dst, again, label="3")
    assert len(_records(again)) == 1
    with Image.open(again) as im:
        im.load()


def test_no_record_and_no_certainty_is_refused_without_writing(tmp_path: Path) -> None:
    src = tmp_path / "plain.png"
    Image.new("RGB", (10, 10)).save(src)
    dst = tmp_path / "out.png"
    with pytest.raises(LabelWriteError, match="certainty"):
        _label(src, dst)
    assert not dst.exists() and not list(tmp_path.glob(".out.png.*"))


def test_unparseable_producer_value_is_not_overwritten(tmp_path: Path) -> None:
    src = tmp_path / "bad.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", "{not json")
    Image.new("RGB", (10, 10)).save(src, pnginfo=info)
    with pytest.raises(LabelWriteError, match="not valid JSON"):
        _label(src, tmp_path / "out.png", label="3")


def test_truncated_jpeg_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "cut.jpg"
    Image.new("RGB", (32, 32)).save(src)
    src.write_bytes(src.read_bytes()[:30])
    with pytest.raises(LabelWriteError):
        _label(src, tmp_path / "out.jpg", label="3")
    assert not (tmp_path / "out.jpg").exists()


def test_exif_usercomment_record_is_updated_where_it_is(tmp_path: Path) -> None:
    base = tmp_path / "plain.jpg"
    Image.new("RGB", (64, 48), (1, 2, 3)).save(base)
    src = tmp_path / "uc.jpg"
    wrapped = json.dumps({"AIGC": PRODUCER_RECORD}, separators=(",", ":"))
    exiftool("-q", f"-EXIF:UserComment={wrapped}", "-EXIF:Make=Canon", "-o", str(src), str(base), cwd=tmp_path)
    dst = tmp_path / "out.jpg"
    placement = _label(src, dst)
    assert placement.carrier == "jpeg:exif:UserComment" and placement.updated
    (record,) = _records(dst)  # no XMP record added beside it
    assert record["ProduceID"] == PRODUCER_RECORD["ProduceID"] and record["PropagateID"] == "post-42"
    got = json.loads(exiftool("-j", "-UserComment", "-Make", str(dst), cwd=tmp_path))[0]
    assert got["Make"] == "Canon" and json.loads(got["UserComment"])["AIGC"]["ContentPropagator"] == PLATFORM
