"""FLAC metadata blocks and Vorbis comments (``AIGC=`` per the audio guide's annexes); audio frames untouched."""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register

_VORBIS_COMMENT, _INVALID = 4, 127


def parse_vorbis_comments(data: bytes, carrier: str, ctx: ReadContext) -> None:
    """Emit each ``NAME=value`` of a Vorbis comment block (vendor string, count, length-prefixed comments)."""
    pos = 0

    def take(n: int, what: str) -> bytes:
        nonlocal pos
        if n < 0 or pos + n > len(data):
            raise MediaFormatError(f"{carrier}: {what} at byte {pos} runs past the comment block (wrong length)")
        out = data[pos : pos + n]
        pos += n
        return out

    (vendor_len,) = struct.unpack("<I", take(4, "vendor length"))
    take(vendor_len, "vendor string")
    (count,) = struct.unpack("<I", take(4, "comment count"))
    if count > len(data) // 4:
        raise MediaFormatError(f"{carrier}: {count} comments cannot fit in {len(data)} bytes")
    for _ in range(count):
        ctx.tick("Vorbis comment")
        (n,) = struct.unpack("<I", take(4, "comment length"))
        name, sep, value = take(n, "comment").decode("utf-8", errors="replace").partition("=")
        if sep:
            ctx.emit(carrier, "text", name, value)


def read_flac(src: ByteSource, start: int, ctx: ReadContext) -> None:
    """Walk the metadata blocks after the ``fLaC`` marker at ``start``."""
    pos = start + 4
    while True:
        header = src.read_at(pos, 4, "metadata block header")
        last, btype = header[0] & 0x80, header[0] & 0x7F
        length = int.from_bytes(header[1:4], "big")
        ctx.tick("FLAC metadata block")
        if btype == _INVALID:
            raise MediaFormatError(f"FLAC metadata block at offset {pos} has the invalid type 127")
        if btype == _VORBIS_COMMENT:
            ctx.budget(length, "FLAC Vorbis comment", pos)
            parse_vorbis_comments(src.read_at(pos + 4, length, "Vorbis comment block"), "flac:vorbis", ctx)
        elif pos + 4 + length > src.size:
            raise MediaFormatError(f"FLAC metadata block type {btype} at offset {pos} declares {length} bytes, "
                                   "past the end of the file (truncated)")
        pos += 4 + length
        if last:
            return


@register
class FlacReader(ContainerReader):
    """Native FLAC files (``fLaC`` first; FLAC behind an ID3 tag is handled by the ID3 reader)."""

    format = "flac"
    extensions = (".flac",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] == b"fLaC"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        read_flac(src, 0, ctx)
