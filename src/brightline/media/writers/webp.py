"""WebP: the record is ``TC260:AIGC`` in the RIFF ``XMP `` chunk (TC260-PG-20259A), or ``{"AIGC":{…}}`` in the
EXIF chunk's UserComment (Annex B). Updated where it is; otherwise added to the XMP chunk, creating it — and
the ``VP8X`` header with its XMP flag that extended-format WebP needs — when the file has none.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit, copy_range
from brightline.media.writers.jpeg import EXIF_HEADER, _exif_comment_update
from brightline.media.writers.xmp_packet import XmpEditError, new_packet, read_aigc, set_aigc

FORMAT = "webp"
_XMP_FLAG = 0x04
_ALPHA_FLAG = 0x10
_MAX_META = 16 * 1024 * 1024


def sniff(head: bytes, path: Path) -> bool:
    """RIFF container with form type WEBP."""
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _chunks(src: BinaryIO) -> list[tuple[bytes, int, int]]:
    src.seek(0)
    head = src.read(12)
    if len(head) != 12 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        raise LabelWriteError("not a WebP file")
    riff_size = struct.unpack("<I", head[4:8])[0]
    end = 8 + riff_size
    out = []
    pos = 12
    while pos + 8 <= end:
        src.seek(pos)
        h = src.read(8)
        if len(h) != 8:
            raise LabelWriteError("truncated WebP chunk header")
        ctype, size = h[:4], struct.unpack("<I", h[4:8])[0]
        if pos + 8 + size > end:
            raise LabelWriteError(f"WebP chunk {ctype!r} runs past the end of the file")
        out.append((ctype, pos + 8, size))
        pos += 8 + size + (size & 1)
        if len(out) > 100_000:
            raise LabelWriteError("too many WebP chunks")
    return out


def _canvas(src: BinaryIO, chunks: list[tuple[bytes, int, int]]) -> tuple[int, int, bool]:
    """Width, height and alpha of a simple-format WebP, read from its VP8/VP8L bitstream header."""
    for ctype, offset, size in chunks:
        src.seek(offset)
        data = src.read(min(size, 32))
        if ctype == b"VP8 " and len(data) >= 10 and data[3:6] == b"\x9d\x01\x2a":
            w, h = struct.unpack("<HH", data[6:10])
            return w & 0x3FFF, h & 0x3FFF, False
        if ctype == b"VP8L" and len(data) >= 5 and data[0] == 0x2F:
            bits = int.from_bytes(data[1:5], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
    raise LabelWriteError("WebP has no VP8/VP8L image data to take the canvas size from")


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return ctype + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the record set in XMP (or the EXIF UserComment where it already is)."""
    chunks = _chunks(src)
    replace: dict[int, bytes] = {}
    placement: Placement | None = None
    xmp_index = next((i for i, c in enumerate(chunks) if c[0] == b"XMP "), None)
    packet = b""
    if xmp_index is not None:
        _, offset, size = chunks[xmp_index]
        if size > _MAX_META:
            raise LabelWriteError("WebP XMP chunk is too large to edit")
        src.seek(offset)
        packet = src.read(size)
        try:
            current = read_aigc(packet)
        except XmpEditError as exc:
            raise LabelWriteError(f"the file's XMP packet cannot be edited safely: {exc}") from None
        if current is not None:
            value, _ = edit.apply(current)
            replace[xmp_index] = _chunk(b"XMP ", set_aigc(packet, value))
            placement = Placement(FORMAT, "webp:XMP:TC260:AIGC", True)
    if placement is None:
        for i, (ctype, offset, size) in enumerate(chunks):
            if ctype == b"EXIF" and size <= _MAX_META:
                src.seek(offset)
                data = src.read(size)
                bare = not data.startswith(EXIF_HEADER)
                updated = _exif_comment_update(EXIF_HEADER + data if bare else data, edit)
                if updated is not None:
                    replace[i] = _chunk(b"EXIF", updated[len(EXIF_HEADER):] if bare else updated)
                    placement = Placement(FORMAT, "webp:EXIF:UserComment", True)
    add_vp8x: bytes | None = None
    append: bytes | None = None
    if placement is None:
        value, _ = edit.apply(None)
        if xmp_index is not None:
            replace[xmp_index] = _chunk(b"XMP ", set_aigc(packet, value))
        else:
            append = _chunk(b"XMP ", new_packet(value))
        placement = Placement(FORMAT, "webp:XMP:TC260:AIGC", False)
        vp8x = next((i for i, c in enumerate(chunks) if c[0] == b"VP8X"), None)
        if vp8x is None:
            w, h, alpha = _canvas(src, chunks)
            flags = _XMP_FLAG | (_ALPHA_FLAG if alpha else 0)
            add_vp8x = _chunk(b"VP8X", bytes((flags, 0, 0, 0)) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little"))
        else:
            _, offset, size = chunks[vp8x]
            src.seek(offset)
            data = bytearray(src.read(size))
            data[0] |= _XMP_FLAG
            replace[vp8x] = _chunk(b"VP8X", bytes(data))
    body_size = 4  # "WEBP"
    body_size += len(add_vp8x or b"") + len(append or b"")
    for i, (ctype, offset, size) in enumerate(chunks):
        body_size += len(replace[i]) if i in replace else 8 + size + (size & 1)
    if body_size > 0xFFFFFFFF:
        raise LabelWriteError("WebP would exceed the 4 GiB RIFF limit")
    dst.write(b"RIFF" + struct.pack("<I", body_size) + b"WEBP")
    if add_vp8x:
        dst.write(add_vp8x)
    for i, (ctype, offset, size) in enumerate(chunks):
        if i in replace:
            dst.write(replace[i])
        else:
            src.seek(offset - 8)
            copy_range(src, dst, 8 + size)
            if size & 1:  # RIFF pads odd chunks; some writers omit the pad byte of the last one
                dst.write(src.read(1) or b"\x00")
    if append:
        dst.write(append)
    return placement

