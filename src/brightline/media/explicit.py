"""Explicit (visible/audible) AI labels the platform adds to content — GB 45438-2025 chapter 5
(reference/aigc-labelling.md §1.3):

* text (5.1): a notice at the start or end — :func:`label_text_file` (uses :mod:`brightline.media.visible`);
* image (5.2): a text prompt on an edge or corner, text height ≥ 5 % of the shortest side — :func:`overlay_image`;
* video (5.4): the same prompt in the starting frames for at least 2 s — :func:`overlay_video` (ffmpeg drawtext);
* audio (5.3): the rhythm prompt 短长短短 (Morse "AI", ·− ··) before the content — :func:`prepend_rhythm`.

Text is rendered in a CJK-capable font (``make sysdeps`` installs fonts-wqy-microhei; ``BRIGHTLINE_CJK_FONT``
overrides). The font size is chosen by measuring the rendered glyphs' ink height, not assumed from the point
size, so the 5 % rule holds for whatever font is installed. Every function writes to a new file atomically and
never modifies its input.
"""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from brightline.media.visible import add_text_notice, notice_text
from brightline.media.writers import LabelWriteError, atomic_output, copy_range

#: GB 45438 5.2 e) / 5.4: text height at least 5 % of the shortest side; a small margin absorbs rounding.
MIN_HEIGHT_RATIO = 0.05
_MARGIN = 1.2  # anti-aliased edges: measured ink height must stay above 5 % at any threshold
#: Below this many pixels the glyphs blur into a smudge ("字型和颜色清晰可辨"), so small images get larger text.
MIN_LEGIBLE_PX = 12
#: GB 45438 5.4: the starting-frame label lasts at least 2 s at normal speed.
MIN_VIDEO_SECONDS = 2.0
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
)


class ExplicitLabelError(LabelWriteError):
    """The explicit label cannot be rendered (no CJK font, no ffmpeg, unreadable media)."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Path of a font that can render Chinese; raises :class:`ExplicitLabelError` naming the fix."""
    env = os.environ.get("BRIGHTLINE_CJK_FONT")
    if env:
        if not Path(env).is_file():
            raise ExplicitLabelError(f"BRIGHTLINE_CJK_FONT={env} does not exist")
        return env
    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            return path
    fc_list = shutil.which("fc-list")
    if fc_list:
        out = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            path = line.split(":", 1)[0].strip()
            if path and Path(path).is_file():
                return path
    raise ExplicitLabelError("no CJK-capable font found: run `make sysdeps` (fonts-wqy-microhei) or set BRIGHTLINE_CJK_FONT")


def font_size_for(text: str, min_ink_height: float, font_path: str | None = None) -> int:
    """Smallest font size whose rendered ``text`` has an ink height of at least ``min_ink_height`` pixels."""
    from PIL import ImageFont

    path = font_path or cjk_font()
    size = max(4, math.ceil(min_ink_height))
    for _ in range(200):
        left, top, right, bottom = ImageFont.truetype(path, size).getbbox(text)
        if bottom - top >= min_ink_height:
            return size
        size = max(size + 1, math.ceil(size * min_ink_height / max(bottom - top, 1)))
    return size


@dataclass(frozen=True, slots=True)
class OverlayBox:
    """Where the label was drawn and how tall its text is, in pixels (for the record and for tests)."""

    x: int
    y: int
    width: int
    height: int
    text_height: int
    font_size: int


def _layout(w: int, h: int, text: str, corner: str) -> tuple[int, int, int, int, int, int, int]:
    """Font size, text box and padding for a label in ``corner`` of a ``w``×``h`` picture."""
    from PIL import ImageFont

    if corner not in CORNERS:
        raise ValueError(f"corner must be one of {', '.join(CORNERS)}")
    target = max(MIN_HEIGHT_RATIO * min(w, h) * _MARGIN, min(MIN_LEGIBLE_PX, 0.4 * min(w, h)))
    size = font_size_for(text, target)
    font = ImageFont.truetype(cjk_font(), size)
    left, top, right, bottom = font.getbbox(text)
    tw, th = right - left, bottom - top
    pad = max(2, round(th * 0.25))
    margin = max(2, round(min(w, h) * 0.02))
    x = margin if corner.endswith("left") else w - tw - 2 * pad - margin
    y = margin if corner.startswith("top") else h - th - 2 * pad - margin
    return size, max(0, x), max(0, y), tw, th, pad, top


def overlay_image(src: Path, dst: Path, certainty: str, language: str = "zh", corner: str = "bottom-right") -> OverlayBox:
    """Draw the notice in a corner of the image at ``src`` and save it to ``dst`` in the same format.

    EXIF, ICC profile, XMP and PNG text chunks are carried over, so the producer's metadata (including its
    GB 45438 record) survives the re-encoding; a C2PA manifest cannot (its hash no longer matches the pixels).
    """
    from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

    text = notice_text(certainty, language)
    try:
        im = Image.open(src)
        im.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ExplicitLabelError(f"cannot open image {src.name}: {exc}") from None
    fmt = im.format or "PNG"
    w, h = im.size
    size, x, y, tw, th, pad, top = _layout(w, h, text, corner)
    font = ImageFont.truetype(cjk_font(), size)
    base = im.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rectangle([x, y, x + tw + 2 * pad, y + th + 2 * pad], fill=(0, 0, 0, 150))
    left = font.getbbox(text)[0]
    draw.text((x + pad - left, y + pad - top), text, font=font, fill=(255, 255, 255, 255))
    out = Image.alpha_composite(base, layer)
    out = out if im.mode in ("RGBA", "LA", "P") and fmt != "JPEG" else out.convert("RGB")
    params: dict[str, object] = {}
    for key in ("exif", "icc_profile", "dpi"):
        if im.info.get(key):
            params[key] = im.info[key]
    xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if fmt == "JPEG":
        params.update(quality=95, subsampling=0)
        if xmp:
            params["xmp"] = xmp if isinstance(xmp, bytes) else xmp.encode("utf-8")
    elif fmt == "WEBP":
        params.update(quality=95)
        if xmp:
            params["xmp"] = xmp if isinstance(xmp, bytes) else xmp.encode("utf-8")
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        for key, value in (getattr(im, "text", None) or {}).items():
            info.add_itxt(key, value) if any(ord(c) > 255 for c in value) or key == "XML:com.adobe.xmp" else info.add_text(key, value)
        params["pnginfo"] = info
    with atomic_output(dst) as fh:
        out.save(fh, format=fmt, **params)
    return OverlayBox(x, y, tw + 2 * pad, th + 2 * pad, th, size)


def _ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise ExplicitLabelError("ffmpeg is not installed: run `make sysdeps`")
    return path


def _ffprobe(path: Path, stream: str, entries: str) -> list[int]:
    """Integer stream properties from ffprobe, e.g. ``_ffprobe(p, "v:0", "width,height")``."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise ExplicitLabelError("ffprobe is not installed: run `make sysdeps`")
    proc = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", stream, "-show_entries", f"stream={entries}", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    try:
        values = [int(v) for v in proc.stdout.strip().splitlines()[0].split(",")]
    except (ValueError, IndexError):
        kind = "video" if stream.startswith("v") else "audio"
        raise ExplicitLabelError(f"no {kind} stream in {path.name}: {proc.stderr.strip()[:200]}") from None
    return values


def _ffmpeg_to(dst: Path, args: list[str], what: str, timeout: float) -> None:
    """Run ffmpeg with ``args`` into a temporary file beside ``dst``, then move it into place atomically."""
    suffix = dst.suffix.lower()
    tmp = dst.with_name(f".{dst.name}.ffmpeg{suffix}")
    try:
        proc = subprocess.run([_ffmpeg(), "-v", "error", "-y", *args, str(tmp)], capture_output=True, text=True,
                              check=False, timeout=timeout)
        if proc.returncode != 0:
            raise ExplicitLabelError(f"ffmpeg could not {what}: {proc.stderr.strip()[-400:]}")
        with open(tmp, "rb") as fin, atomic_output(dst) as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
    finally:
        tmp.unlink(missing_ok=True)


def _escape_drawtext(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'").replace("%", "\\%")


def overlay_video(src: Path, dst: Path, certainty: str, language: str = "zh", corner: str = "bottom-right",
                  seconds: float = MIN_VIDEO_SECONDS, timeout: float = 3600) -> OverlayBox:
    """Burn the notice into the first ``seconds`` (≥ 2) of the video with ffmpeg drawtext; audio is copied.

    Container metadata is mapped across (``-map_metadata 0``, mdta keys kept), so the producer's record can be
    updated afterwards by the implicit-label writer.
    """
    if seconds < MIN_VIDEO_SECONDS:
        raise ValueError(f"GB 45438 5.4 needs the starting label for at least {MIN_VIDEO_SECONDS} s")
    w, h = _ffprobe(src, "v:0", "width,height")[:2]
    text = notice_text(certainty, language)
    size, x, y, tw, th, pad, _top = _layout(w, h, text, corner)
    draw = (
        f"drawtext=fontfile='{_escape_drawtext(cjk_font())}':text='{_escape_drawtext(text)}':fontsize={size}"
        f":fontcolor=white:box=1:boxcolor=black@0.6:boxborderw={pad}:x={x + pad}:y={y + pad}"
        f":enable='lt(t,{seconds:.3f})'"
    )
    args = ["-i", str(src), "-map", "0:v:0", "-map", "0:a?", "-vf", draw, "-c:a", "copy", "-map_metadata", "0"]
    if dst.suffix.lower() in (".mp4", ".mov", ".m4v"):
        args += ["-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "use_metadata_tags"]
    _ffmpeg_to(dst, args, "overlay the label", timeout)
    return OverlayBox(x, y, tw + 2 * pad, th + 2 * pad, th, size)


# --- audio: the 短长短短 rhythm prompt ------------------------------------------------------------------------

#: Morse "AI" (·− ··): (tone seconds, silence seconds) — short, long, short, short; then a pause before content.
RHYTHM: tuple[tuple[float, float], ...] = ((0.12, 0.12), (0.36, 0.24), (0.12, 0.12), (0.12, 0.40))
TONE_HZ = 1000.0


def rhythm_samples(rate: int, amplitude: float = 0.5) -> list[float]:
    """The rhythm prompt as float samples in [-1, 1] (5 ms fades so the tones do not click)."""
    import numpy as np

    parts = []
    fade = max(1, int(rate * 0.005))
    for tone, silence in RHYTHM:
        n = int(rate * tone)
        t = np.arange(n) / rate
        wave = amplitude * np.sin(2 * np.pi * TONE_HZ * t)
        env = np.ones(n)
        env[:fade] = np.linspace(0, 1, fade)
        env[-fade:] = np.linspace(1, 0, fade)
        parts.append(wave * env)
        parts.append(np.zeros(int(rate * silence)))
    return np.concatenate(parts).tolist()


def rhythm_seconds() -> float:
    """Length of the rhythm prompt including the pause before the content."""
    return sum(t + s for t, s in RHYTHM)


def _pcm(samples: list[float], fmt_tag: int, channels: int, bits: int) -> bytes:
    import numpy as np

    x = np.repeat(np.asarray(samples, dtype=np.float64)[:, None], channels, axis=1).reshape(-1)
    if fmt_tag == 3 and bits == 32:
        return x.astype("<f4").tobytes()
    if fmt_tag == 3 and bits == 64:
        return x.astype("<f8").tobytes()
    if bits == 8:
        return (x * 127 + 128).astype(np.uint8).tobytes()
    if bits == 16:
        return (x * 32767).astype("<i2").tobytes()
    if bits == 24:
        v = (x * 8388607).astype("<i4")
        return b"".join(int(s).to_bytes(3, "little", signed=True) for s in v)
    if bits == 32:
        return (x * 2147483647).astype("<i4").tobytes()
    raise ExplicitLabelError(f"unsupported PCM sample size {bits} bits")


def prepend_rhythm(src: Path, dst: Path) -> float:
    """Put the 短长短短 rhythm prompt before the audio; returns its length in seconds.

    WAV (PCM or float) is rewritten at the RIFF level: the tones are prepended to the ``data`` chunk in the
    file's own sample format and every other chunk (the producer's ``AIGC``, ``LIST``…) is kept. Other audio
    formats go through ffmpeg (tones generated by ``aevalsrc``, joined with ``concat``, tags mapped across).
    """
    with open(src, "rb") as fh:
        head = fh.read(12)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _prepend_wav(src, dst)
    return _prepend_ffmpeg(src, dst)


def _prepend_wav(src: Path, dst: Path) -> float:
    from brightline.media.writers.riff import chunks, copy_chunk, padded

    with open(src, "rb") as fin:
        found = chunks(fin, b"WAVE")
        fmt = next((c for c in found if c[0] == b"fmt "), None)
        if fmt is None or not any(c[0] == b"data" for c in found):
            raise ExplicitLabelError("WAV without fmt/data chunks")
        fin.seek(fmt[1])
        raw = fin.read(min(fmt[2], 64))
        tag, channels, rate, _, align, bits = struct.unpack("<HHIIHH", raw[:16])
        if tag == 0xFFFE and len(raw) >= 26:  # WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the tag
            tag = struct.unpack("<H", raw[24:26])[0]
        if tag not in (1, 3) or channels < 1 or rate < 1:
            raise ExplicitLabelError(f"WAV format tag {tag} is not PCM/float; cannot add the rhythm prompt")
        tones = _pcm(rhythm_samples(rate), tag, channels, bits)
        sizes = [s + len(tones) if cid == b"data" else s for cid, _, s in found]
        total = 4 + sum(padded(s) for s in sizes)
        if total > 0xFFFFFFFF:
            raise ExplicitLabelError("WAV would exceed the 4 GiB RIFF limit")
        with atomic_output(dst) as fout:
            fout.write(b"RIFF" + struct.pack("<I", total) + b"WAVE")
            for cid, offset, size in found:
                if cid == b"data":
                    new_size = size + len(tones)
                    fout.write(b"data" + struct.pack("<I", new_size) + tones)
                    fin.seek(offset)
                    copy_range(fin, fout, size)
                    if new_size & 1:
                        fout.write(b"\x00")
                    continue
                copy_chunk(fin, fout, offset, size)
    return rhythm_seconds()


def _prepend_ffmpeg(src: Path, dst: Path, timeout: float = 3600) -> float:
    rate, channels = _ffprobe(src, "a:0", "sample_rate,channels")[:2]
    # Commas inside a filter argument are escaped so the filtergraph parser keeps the expression whole.
    gate = "+".join(f"between(t\\,{start:.3f}\\,{start + tone:.3f})" for start, tone in _tone_starts())
    expr = f"0.5*sin(2*PI*{TONE_HZ:.0f}*t)*({gate})"
    layout = "|".join(["c0"] * channels) if channels > 2 else ("mono" if channels == 1 else "stereo")
    graph = (
        f"aevalsrc='{expr}':s={rate}:d={rhythm_seconds():.3f},aformat=channel_layouts={layout}[tones];"
        "[tones][0:a]concat=n=2:v=0:a=1[a]"
    )
    args = ["-i", str(src), "-filter_complex", graph, "-map", "[a]", "-map_metadata", "0"]
    if dst.suffix.lower() == ".mp3":
        args += ["-id3v2_version", "3"]
    _ffmpeg_to(dst, args, "add the rhythm prompt", timeout)
    return rhythm_seconds()


def _tone_starts() -> list[tuple[float, float]]:
    out, t = [], 0.0
    for tone, silence in RHYTHM:
        out.append((t, tone))
        t += tone + silence
    return out


def label_text_file(src: Path, dst: Path, certainty: str, language: str = "zh", position: str = "start") -> None:
    """GB 45438 5.1: add the text notice at the start (or end) of a UTF-8 text file."""
    try:
        text = src.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ExplicitLabelError(f"{src.name} is not UTF-8 text: {exc}") from None
    from brightline.media.writers.markdown import split_front_matter

    head, body = split_front_matter(text) if src.suffix.lower() in (".md", ".markdown") else ("", text)
    with atomic_output(dst) as fh:  # the notice goes after any front matter, which must stay first
        fh.write((head + add_text_notice(body, certainty, language, position)).encode("utf-8"))
