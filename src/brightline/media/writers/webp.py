"""WebP: the record is ``TC260:AIGC`` in the RIFF ``XMP `` chunk (TC260-PG-20259A), or ``{"AIGC":{…}}`` in the
EXIF chunk's UserComment (Annex B). Updated where it is; otherwise added to the XMP chunk, creating it — and
the ``VP8X`` header with its XMP flag that extended-format WebP needs — when the file has none.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit
from brightline.media.writers.riff import chunk_bytes, copy_chunk, padded
from brightline.media.writers.riff import chunks as riff_chunks
from brightline.media.writers.jpeg import EXIF_HEADER, _exif_comment_update
from brightline.media.writers.xmp_packet import new_packet, set_aigc, update_existing

FORMAT = "webp"
_XMP_FLAG = 0x04
_ALPHA_FLAG = 0x10
_MAX_META = 16 * 1024 * 1024


def sniff(head: bytes, path: Path) -> bool:
    """RIFF container with form type WEBP."""
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


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


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the record set in XMP (or the EXIF UserComment where it already is)."""
    chunks = riff_chunks(src, b"WEBP")
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
        updated_packet = update_existing(packet, edit)
        if updated_packet is not None:
            replace[xmp_index] = chunk_bytes(b"XMP ", updated_packet)
            placement = Placement(FORMAT, "webp:XMP:TC260:AIGC", True)
    if placement is None:
        for i, (ctype, offset, size) in enumerate(chunks):
            if ctype == b"EXIF" and size <= _MAX_META:
                src.seek(offset)
                data = src.read(size)
                bare = not data.startswith(EXIF_HEADER)
                updated = _exif_comment_update(EXIF_HEADER + data if bare else data, edit)
                if updated is not None:
                    replace[i] = chunk_bytes(b"EXIF", updated[len(EXIF_HEADER):] if bare else updated)
                    placement = Placement(FORMAT, "webp:EXIF:UserComment", True)
    add_vp8x: bytes | None = None
    append: bytes | None = None
    if placement is None:
        value, _ = edit.apply(None)
        if xmp_index is not None:
            replace[xmp_index] = chunk_bytes(b"XMP ", set_aigc(packet, value))
        else:
            append = chunk_bytes(b"XMP ", new_packet(value))
        placement = Placement(FORMAT, "webp:XMP:TC260:AIGC", False)
        vp8x = next((i for i, c in enumerate(chunks) if c[0] == b"VP8X"), None)
        if vp8x is None:
            w, h, alpha = _canvas(src, chunks)
            flags = _XMP_FLAG | (_ALPHA_FLAG if alpha else 0)
            add_vp8x = chunk_bytes(b"VP8X", bytes((flags, 0, 0, 0)) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little"))
        else:
            _, offset, size = chunks[vp8x]
            src.seek(offset)
            data = bytearray(src.read(size))
            data[0] |= _XMP_FLAG
            replace[vp8x] = chunk_bytes(b"VP8X", bytes(data))
    body_size = 4  # "WEBP"
    body_size += len(add_vp8x or b"") + len(append or b"")
    for i, (ctype, offset, size) in enumerate(chunks):
        body_size += len(replace[i]) if i in replace else padded(size)
    if body_size > 0xFFFFFFFF:
        raise LabelWriteError("WebP would exceed the 4 GiB RIFF limit")
    dst.write(b"RIFF" + struct.pack("<I", body_size) + b"WEBP")
    if add_vp8x:
        dst.write(add_vp8x)
    for i, (ctype, offset, size) in enumerate(chunks):
        if i in replace:
            dst.write(replace[i])
        else:
            copy_chunk(src, dst, offset, size)
    if append:
        dst.write(append)
    return placement

