"""Explicit labels, measured the way an inspector would: text height in pixels, how long the video label
lasts, and the on/off pattern of the audio prompt."""

from __future__ import annotations

import struct
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from brightline.media import explicit

from .conftest import IN_CI, need_tool


def _ink_rows(gray: np.ndarray) -> int:
    """Height in pixels of the white label text on a mid-grey picture (white text, dark box)."""
    rows = np.where((gray > 200).any(axis=1))[0]
    return int(rows.max() - rows.min() + 1) if len(rows) else 0


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        explicit.cjk_font()
    except explicit.ExplicitLabelError as exc:
        if IN_CI:
            pytest.fail(f"{exc}; CI must run `make sysdeps` first")
        pytest.skip(str(exc))


@pytest.mark.parametrize(("size", "suffix"), [((640, 360), "jpg"), ((300, 900), "png"), ((1000, 1000), "webp"), ((120, 80), "png")])
@pytest.mark.parametrize("certainty", ["confirmed", "suspected"])
def test_image_label_text_is_at_least_5_percent_of_the_shortest_side(tmp_path: Path, size, suffix, certainty) -> None:
    src = tmp_path / f"grey.{suffix}"
    Image.new("RGB", size, (128, 128, 128)).save(src)
    dst = tmp_path / f"labelled.{suffix}"
    box = explicit.overlay_image(src, dst, certainty)
    with Image.open(dst) as im:
        assert im.size == size
        gray = np.asarray(im.convert("L"))
    height = _ink_rows(gray)
    assert height >= 0.05 * min(size), (height, size)
    rows = np.where((gray > 200).any(axis=1))[0]
    cols = np.where((gray > 200).any(axis=0))[0]
    # In the bottom-right corner: the text ends near the right and bottom edges.
    assert rows.max() > 0.85 * size[1] and cols.max() > 0.85 * size[0]
    assert rows.min() > size[1] / 2
    assert box.text_height >= 0.05 * min(size)


def test_image_overlay_keeps_the_producer_metadata(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("AIGC", '{"AIGC":{"Label":"1","ContentProducer":"X","ProduceID":"1"}}')
    src = tmp_path / "in.png"
    Image.new("RGB", (200, 100), (128, 128, 128)).save(src, pnginfo=info)
    explicit.overlay_image(src, tmp_path / "out.png", "confirmed", corner="top-left")
    with Image.open(tmp_path / "out.png") as im:
        assert "ContentProducer" in im.text["AIGC"]
        gray = np.asarray(im.convert("L"))
    rows = np.where((gray > 200).any(axis=1))[0]
    assert rows.max() < 50  # top edge


def _frame(path: Path, t: float, w: int, h: int) -> np.ndarray:
    ffmpeg = need_tool("ffmpeg")
    raw = subprocess.run([ffmpeg, "-v", "error", "-ss", f"{t}", "-i", str(path), "-frames:v", "1", "-f", "rawvideo",
                          "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(h, w)


def test_video_starting_label_lasts_two_seconds_and_is_tall_enough(tmp_path: Path) -> None:
    ffmpeg = need_tool("ffmpeg")
    need_tool("ffprobe")
    src = tmp_path / "grey.mp4"
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=320x240:rate=10", "-t", "4",
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-metadata", "title=clip", str(src)], check=True)
    dst = tmp_path / "labelled.mp4"
    explicit.overlay_video(src, dst, "confirmed")
    for t in (0.0, 1.0, 1.9):
        assert _ink_rows(_frame(dst, t, 320, 240)) >= 0.05 * 240, t
    assert _ink_rows(_frame(dst, 2.5, 320, 240)) == 0
    with pytest.raises(ValueError):
        explicit.overlay_video(src, dst, "confirmed", seconds=1.0)


def _segments(path: Path, seconds: float = 2.0) -> list[tuple[float, float]]:
    """(start, length) of each tone burst in the first seconds, from a 10 ms envelope."""
    ffmpeg = need_tool("ffmpeg")
    raw = subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-t", str(seconds), "-ac", "1", "-ar", "8000",
                          "-f", "s16le", "-"], capture_output=True, check=True).stdout
    x = np.abs(np.frombuffer(raw, "<i2").astype(float) / 32768)
    env = x[: len(x) // 80 * 80].reshape(-1, 80).max(axis=1) > 0.1
    out, start = [], None
    for i, on in enumerate(env):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start * 0.01, (i - start) * 0.01))
            start = None
    return out


def _assert_short_long_short_short(segments: list[tuple[float, float]]) -> None:
    assert len(segments) == 4, segments
    lengths = [length for _, length in segments]
    short = min(lengths)
    assert lengths[1] >= 2.5 * short  # 短长短短: the second tone is the long one
    assert all(abs(length - short) < 0.03 for i, length in enumerate(lengths) if i != 1)
    assert segments[0][0] < 0.02  # at the very start, before the content


def test_wav_rhythm_prompt_precedes_the_audio_and_keeps_other_chunks(tmp_path: Path) -> None:
    src = tmp_path / "speech.wav"
    with wave.open(str(src), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x00" * 2 * 22050)
    raw = bytearray(src.read_bytes())
    chunk = b"AIGC" + struct.pack("<I", 4) + b"{}\x00\x00"
    raw += chunk
    raw[4:8] = struct.pack("<I", len(raw) - 8)
    src.write_bytes(bytes(raw))
    dst = tmp_path / "labelled.wav"
    seconds = explicit.prepend_rhythm(src, dst)
    _assert_short_long_short_short(_segments(dst))
    with wave.open(str(dst)) as w:
        assert abs(w.getnframes() / w.getframerate() - (1.0 + seconds)) < 0.01
    assert b"AIGC\x04\x00\x00\x00{}" in dst.read_bytes()


def test_mp3_rhythm_prompt_via_ffmpeg(tmp_path: Path) -> None:
    ffmpeg = need_tool("ffmpeg")
    src = tmp_path / "song.mp3"
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", "1",
                    "-metadata", "title=song", str(src)], check=True)
    dst = tmp_path / "labelled.mp3"
    explicit.prepend_rhythm(src, dst)
    _assert_short_long_short_short(_segments(dst))


def test_text_notice_goes_after_markdown_front_matter(tmp_path: Path) -> None:
    src = tmp_path / "post.md"
    src.write_text("---\ntitle: x\n---\n# 标题\n", encoding="utf-8")
    explicit.label_text_file(src, tmp_path / "out.md", "possible")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == "---\ntitle: x\n---\n【可能为AI生成】\n# 标题\n"
