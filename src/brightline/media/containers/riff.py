"""RIFF: WAV and AVI. Chunk headers are walked and payloads (``data``, ``movi``) seeked over.

Carriers (reference §1.6): WAV RIFF sub-chunk ``AIGC`` (JSON, NUL-padded), AVI ``LIST/INFO`` sub-chunk
``AIGC``; also ``LIST/INFO`` text (ICMT comments may hold the wrapped record), ``_PMX`` XMP, and an ``id3 ``
chunk holding an ID3v2 tag (WAV files tagged by mutagen and others).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register
from brightline.media.containers.id3 import read_id3

_FORMS = {b"WAVE": "wav", b"AVI ": "avi", b"AVIX": "avi"}


def iter_chunks(src: ByteSource, start: int, end: int, ctx: ReadContext, what: str) -> Iterator[tuple[bytes, int, int]]:
    """(fourcc, data offset, data size) of each chunk between ``start`` and ``end``; pads odd sizes.

    A chunk that runs past ``end`` is an error, except the last one of a file cut short, which is reported
    and ends the walk (a truncated recording still has its header chunks).
    """
    pos = start
    while pos + 8 <= end:
        fourcc, size = struct.unpack("<4sI", src.read_at(pos, 8, f"{what} chunk header"))
        ctx.tick(f"{what} chunk")
        if pos + 8 + size > end:
            raise MediaFormatError(f"{what} chunk {fourcc.decode('latin-1')!r} at offset {pos} declares {size} bytes, "
                                   f"past the end of its container at {end} (truncated or wrong length)")
        yield fourcc, pos + 8, size
        pos += 8 + size + (size & 1)


def riff_bounds(src: ByteSource, ctx: ReadContext) -> int:
    """End offset of the RIFF form, clamped to the file (the declared size is often wrong in the wild)."""
    (riff_size,) = struct.unpack("<I", src.read_at(4, 4, "RIFF size"))
    end = 8 + riff_size
    if end > src.size:
        ctx.error(f"RIFF header declares {riff_size} bytes but the file has {src.size - 8} after it (truncated)")
        end = src.size
    return end


@register
class RiffReader(ContainerReader):
    """WAV and AVI files."""

    format = "wav"
    extensions = (".wav", ".avi")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] == b"RIFF" and head[8:12] in _FORMS

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        form = src.read_at(8, 4, "RIFF form")
        fmt = _FORMS[form]
        ctx.format = fmt
        self._walk(src, 12, riff_bounds(src, ctx), ctx, fmt, 0)

    def _walk(self, src: ByteSource, start: int, end: int, ctx: ReadContext, fmt: str, depth: int) -> None:
        if depth > ctx.limits.max_depth:
            raise MediaFormatError(f"RIFF lists nested deeper than {ctx.limits.max_depth}")
        for fourcc, off, size in iter_chunks(src, start, end, ctx, "RIFF"):
            if fourcc == b"LIST" and size >= 4:
                kind = src.read_at(off, 4, "LIST type")
                if kind == b"INFO":
                    self._info(src, off + 4, off + size, ctx, fmt)
                elif kind not in (b"movi", b"rec "):  # media payload lists are never read
                    self._walk(src, off + 4, off + size, ctx, fmt, depth + 1)
            elif fourcc.upper() == b"AIGC":
                ctx.budget(size, "RIFF chunk AIGC", off)
                ctx.emit(f"{fmt}:riff", "text", "AIGC", src.read_at(off, size, "AIGC chunk").rstrip(b"\x00"))
            elif fourcc == b"_PMX":
                ctx.budget(size, "RIFF chunk _PMX", off)
                ctx.emit(f"{fmt}:xmp", "xmp", "XMP", src.read_at(off, size, "_PMX chunk"))
            elif fourcc in (b"id3 ", b"ID3 "):
                ctx.budget(size, "RIFF chunk id3", off)
                inner = ByteSource.from_bytes(src.read_at(off, size, "id3 chunk"), "ID3")
                try:
                    read_id3(inner, ctx, f"{fmt}:id3")
                except MediaFormatError as exc:
                    ctx.error(f"id3 chunk at offset {off}: {exc}")

    def _info(self, src: ByteSource, start: int, end: int, ctx: ReadContext, fmt: str) -> None:
        for fourcc, off, size in iter_chunks(src, start, end, ctx, "LIST/INFO"):
            ctx.budget(size, "INFO sub-chunk", off)
            value = src.read_at(off, size, "INFO sub-chunk").rstrip(b"\x00")
            ctx.emit(f"{fmt}:LIST/INFO", "text", fourcc.decode("latin-1").strip(), value)
