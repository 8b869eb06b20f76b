"""Implicit-label writers for MP4, WAV, MP3, PDF and Markdown. Producer records are written by ffmpeg, mutagen,
pypdf or by hand (WAV chunk, front matter); the output is read back by inspect_file and, for media, decoded by
ffmpeg to prove the audio/video payload is unchanged."""

from __future__ import annotations

import json
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from brightline.media import inspect_file
from brightline.media.writers import LabelWriteError, RecordEdit, write_implicit_label

from .conftest import PLATFORM, PRODUCER_RECORD, need_tool

RECORD = json.dumps(PRODUCER_RECORD, separators=(",", ":"))


def _label(src: Path, dst: Path, label: str | None = None):
    return write_implicit_label(src, dst, RecordEdit(PLATFORM, "post-42", new_label=label))


def _records(path: Path) -> list[dict]:
    report = inspect_file(path, sources=())
    assert report.format is not None, report.errors
    return [r.data for r in report.records if r.basis == "implicit_label"]


def _assert_propagated(src: Path, dst: Path) -> None:
    (before,) = _records(src)
    (after,) = _records(dst)  # exactly one record
    for key in ("Label", "ContentProducer", "ProduceID", "ReservedCode1"):
        assert after.get(key) == before.get(key), key
    assert after["ContentPropagator"] == PLATFORM and after["PropagateID"] == "post-42"


def _framemd5(path: Path) -> str:
    ffmpeg = need_tool("ffmpeg")
    return subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-map", "0", "-f", "framemd5", "-"],
                          capture_output=True, text=True, check=True).stdout


def _video(tmp_path: Path, name: str, *extra: str) -> Path:
    ffmpeg = need_tool("ffmpeg")
    base = tmp_path / "base.mp4"
    if not base.exists():
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1",
                        "-pix_fmt", "yuv420p", "-c:v", "libx264", str(base)], check=True)
    out = tmp_path / name
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(base), "-c", "copy", *extra, str(out)], check=True)
    return out


@pytest.mark.parametrize("faststart", [False, True], ids=["moov-at-end", "moov-first"])
def test_mp4_record_from_ffmpeg_is_updated_and_frames_unchanged(tmp_path: Path, faststart: bool) -> None:
    flags = "use_metadata_tags+faststart" if faststart else "use_metadata_tags"
    src = _video(tmp_path, "producer.mp4", "-metadata", f"AIGC={RECORD}", "-metadata", "title=clip", "-movflags", flags)
    dst = tmp_path / "labelled.mp4"
    placement = _label(src, dst)
    assert placement.updated and placement.carrier == "mp4:moov/udta/meta:AIGC"
    _assert_propagated(src, dst)
    assert _framemd5(dst) == _framemd5(src)


def test_mp4_without_metadata_gets_one_record_and_shifted_chunk_offsets(tmp_path: Path) -> None:
    src = _video(tmp_path, "plain.mp4", "-movflags", "faststart")  # moov before mdat: offsets must move
    dst = tmp_path / "labelled.mp4"
    _label(src, dst, label="3")
    (record,) = _records(dst)
    assert record["Label"] == "3" and record["ContentPropagator"] == PLATFORM
    assert _framemd5(dst) == _framemd5(src)
    ffprobe = need_tool("ffprobe")
    tags = json.loads(subprocess.run([ffprobe, "-v", "error", "-show_entries", "format_tags", "-of", "json", str(dst)],
                                     capture_output=True, text=True, check=True).stdout)["format"]["tags"]
    assert json.loads(tags["AIGC"])["PropagateID"] == "post-42"


def _wav(path: Path, aigc: str | None = None) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(struct.pack("<800h", *([1000, -1000] * 400)))
    if aigc is not None:  # append the AIGC chunk by hand, as TC260-PG-202510A describes it
        data = aigc.encode() + b"\x00"
        chunk = b"AIGC" + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")
        raw = bytearray(path.read_bytes() + chunk)
        raw[4:8] = struct.pack("<I", len(raw) - 8)
        path.write_bytes(bytes(raw))


def test_wav_chunk_is_updated_and_audio_unchanged(tmp_path: Path) -> None:
    src = tmp_path / "producer.wav"
    _wav(src, RECORD)
    dst = tmp_path / "labelled.wav"
    assert _label(src, dst).updated
    _assert_propagated(src, dst)
    with wave.open(str(src)) as a, wave.open(str(dst)) as b:
        assert a.readframes(10_000) == b.readframes(10_000)
    plain = tmp_path / "plain.wav"
    _wav(plain)
    _label(plain, tmp_path / "new.wav", label="3")
    assert _records(tmp_path / "new.wav")[0]["Label"] == "3"


def test_mp3_txxx_from_mutagen_is_updated_and_other_frames_kept(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, TIT2, TXXX

    ffmpeg = need_tool("ffmpeg")
    src = tmp_path / "producer.mp3"
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-b:a", "64k", str(src)], check=True)
    tags = ID3(src)
    tags.add(TXXX(encoding=3, desc="AIGC", text=[RECORD]))
    tags.add(TIT2(encoding=3, text=["song"]))
    tags.save()
    dst = tmp_path / "labelled.mp3"
    _label(src, dst)
    _assert_propagated(src, dst)
    assert str(ID3(dst)["TIT2"]) == "song"
    assert len(ID3(dst).getall("TXXX")) == 1


def test_pdf_info_is_updated_incrementally(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    src = tmp_path / "producer.pdf"
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.add_metadata({"/Title": "report", "/AIGC": RECORD})
    w.write(src)
    dst = tmp_path / "labelled.pdf"
    _label(src, dst)
    _assert_propagated(src, dst)
    assert dst.read_bytes().startswith(src.read_bytes())  # incremental update: the original revision is intact
    assert PdfReader(dst).metadata["/Title"] == "report"


def test_markdown_front_matter_block_is_updated_and_the_rest_kept(tmp_path: Path) -> None:
    src = tmp_path / "producer.md"
    block = "\n".join(f"  {k}: {json.dumps(v)}" for k, v in PRODUCER_RECORD.items())
    src.write_text(f"---\ntitle: 报告\nAIGC:\n{block}\ntags: [a, b]\n---\n# 正文\n\n内容\n", encoding="utf-8")
    dst = tmp_path / "labelled.md"
    _label(src, dst)
    _assert_propagated(src, dst)
    text = dst.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 报告\n") and "tags: [a, b]\n---\n# 正文\n\n内容\n" in text
    assert '  ReserveCode1: "sig-abc"' in text  # the producer's key spelling is theirs
    body = tmp_path / "body.md"
    body.write_text("# only a body\n", encoding="utf-8")
    _label(body, tmp_path / "new.md", label="2")
    assert (tmp_path / "new.md").read_text(encoding="utf-8").endswith("---\n# only a body\n")
    assert _records(tmp_path / "new.md")[0]["Label"] == "2"


def test_broken_containers_are_refused_without_output(tmp_path: Path) -> None:
    bad_mp4 = tmp_path / "bad.mp4"
    bad_mp4.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x7f\xff\xff\xffmdat")
    with pytest.raises(LabelWriteError):
        _label(bad_mp4, tmp_path / "out.mp4", label="3")
    bad_wav = tmp_path / "bad.wav"
    bad_wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \xff\xff\xff\x7f")
    with pytest.raises(LabelWriteError):
        _label(bad_wav, tmp_path / "out.wav", label="3")
    assert not list(tmp_path.glob("out.*")) and not list(tmp_path.glob(".out.*"))
