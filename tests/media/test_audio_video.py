"""Audio and video containers — fixtures written by ffmpeg and mutagen (independent of brightline)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TXXX
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from brightline.media import inspect_file

from .fixtures import record, run


def _one_label(path: Path, carrier: str) -> None:
    report = inspect_file(path)
    assert report.errors == [], report.errors
    labels = [r for r in report.records if r.basis == "implicit_label"]
    assert [r.carrier for r in labels] == [carrier]
    assert labels[0].data["ProduceID"] == "20250901abc123"
    assert report.gb45438.status == "compliant"
    assert report.certainty == "confirmed"


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("av")


@pytest.mark.parametrize("moov_first", [False, True], ids=["moov-at-end", "faststart"])
def test_mp4_udta_meta_key_written_by_ffmpeg(media_dir: Path, ffmpeg: str, moov_first: bool) -> None:
    path = media_dir / f"clip-{moov_first}.mp4"
    flags = "+faststart+use_metadata_tags" if moov_first else "use_metadata_tags"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=32x32:d=0.2", "-c:v", "mpeg4",
        "-movflags", flags, "-metadata", f"AIGC={record(wrapped=False)}", path)
    _one_label(path, "mp4:moov/udta/meta:AIGC")


def test_mov_written_by_ffmpeg(media_dir: Path, ffmpeg: str) -> None:
    path = media_dir / "clip.mov"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=green:s=32x32:d=0.2", "-c:v", "mpeg4",
        "-movflags", "use_metadata_tags", "-metadata", f"AIGC={record()}", path)
    report = inspect_file(path)
    assert report.format == "mov"
    _one_label(path, "mov:moov/udta/meta:AIGC")


def test_mp4_without_use_metadata_tags_has_no_label(media_dir: Path, ffmpeg: str) -> None:
    """The guide's pitfall: ffmpeg silently drops the AIGC key without -movflags use_metadata_tags."""
    path = media_dir / "dropped.mp4"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=32x32:d=0.2", "-c:v", "mpeg4",
        "-metadata", f"AIGC={record()}", path)
    report = inspect_file(path)
    assert report.records == [] and report.gb45438.status == "not_found" and report.certainty is None


def test_mp3_id3_txxx_written_by_mutagen(media_dir: Path, ffmpeg: str) -> None:
    path = media_dir / "voice.mp3"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-c:a", "libmp3lame", path)
    tags = ID3()
    tags.add(TXXX(encoding=3, desc="AIGC", text=[record()]))
    tags.add(TXXX(encoding=1, desc="note", text=["人工合成"]))
    tags.save(path)
    _one_label(path, "mp3:id3:TXXX:AIGC")


def test_mp3_id3v23_utf16(media_dir: Path, ffmpeg: str) -> None:
    path = media_dir / "v23.mp3"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-c:a", "libmp3lame", path)
    tags = ID3()
    tags.add(TXXX(encoding=1, desc="AIGC", text=[record()]))
    tags.save(path, v2_version=3)
    _one_label(path, "mp3:id3:TXXX:AIGC")


def test_flac_vorbis_comment_written_by_mutagen(media_dir: Path, ffmpeg: str) -> None:
    path = media_dir / "song.flac"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", path)
    audio = FLAC(path)
    audio["AIGC"] = record()
    audio.save()
    _one_label(path, "flac:vorbis:AIGC")


def test_ogg_vorbis_and_opus_comments_written_by_mutagen(media_dir: Path, ffmpeg: str) -> None:
    vorbis = media_dir / "song.ogg"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-c:a", "libvorbis", vorbis)
    audio = OggVorbis(vorbis)
    audio["AIGC"] = record()
    audio.save()
    _one_label(vorbis, "ogg:vorbis:AIGC")
    opus = media_dir / "song.opus"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-c:a", "libopus", opus)
    audio = OggOpus(opus)
    audio["aigc"] = record(wrapped=False)
    audio.save()
    assert inspect_file(opus).format == "opus"
    _one_label(opus, "opus:vorbis:aigc")


def _riff_chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def test_wav_aigc_chunk_after_audio_data(media_dir: Path, ffmpeg: str) -> None:
    """WAV written by ffmpeg, AIGC chunk appended after ``data`` (NUL-padded, as the audio guide shows)."""
    base = media_dir / "base.wav"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", base)
    raw = base.read_bytes()
    extra = _riff_chunk(b"AIGC", record().encode() + b"\x00")
    body = raw[12:] + extra
    path = media_dir / "labelled.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body)
    _one_label(path, "wav:riff:AIGC")


def test_wav_info_comment_written_by_ffmpeg(media_dir: Path, ffmpeg: str) -> None:
    """ffmpeg writes ``-metadata comment=`` as LIST/INFO ICMT; a wrapped record there is still found."""
    path = media_dir / "info.wav"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-metadata", f"comment={record()}", path)
    _one_label(path, "wav:LIST/INFO:ICMT")


def test_wav_id3_chunk_written_by_mutagen(media_dir: Path, ffmpeg: str) -> None:
    from mutagen.wave import WAVE

    path = media_dir / "tagged.wav"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TXXX(encoding=3, desc="AIGC", text=[record()]))
    audio.save()
    _one_label(path, "wav:id3:TXXX:AIGC")


def test_avi_info_aigc_subchunk(media_dir: Path, ffmpeg: str) -> None:
    """AVI from ffmpeg with an ``AIGC`` sub-chunk added to LIST/INFO (stock ffmpeg cannot write it)."""
    base = media_dir / "base.avi"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=32x32:d=0.2", "-c:v", "mjpeg", base)
    raw = base.read_bytes()
    info = _riff_chunk(b"LIST", b"INFO" + _riff_chunk(b"AIGC", record().encode()))
    body = raw[12:] + info
    path = media_dir / "labelled.avi"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body) + 4) + b"AVI " + body)
    report = inspect_file(path)
    assert report.format == "avi"
    _one_label(path, "avi:LIST/INFO:AIGC")


def test_mp4_xmp_written_by_exiftool(media_dir: Path, ffmpeg: str, exiftool: str, exiftool_tc260_config: Path) -> None:
    path = media_dir / "xmp.mp4"
    run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:s=32x32:d=0.2", "-c:v", "mpeg4", path)
    run(exiftool, "-config", exiftool_tc260_config, "-q", "-overwrite_original",
        f"-XMP-TC260:AIGC={record(wrapped=False)}", path)
    _one_label(path, "mp4:xmp:TC260:AIGC")
