"""RIFF chunk walking shared by the WAV and WebP writers (and the WAV rhythm prompt): list chunks without
reading their data, build a chunk, copy one with its pad byte."""

from __future__ import annotations

import struct
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, copy_range

MAX_CHUNKS = 100_000


def chunks(src: BinaryIO, form: bytes) -> list[tuple[bytes, int, int]]:
    """(id, data offset, size) of every top-level chunk of a RIFF file of type ``form`` (b"WAVE", b"WEBP")."""
    src.seek(0, 2)
    file_end = src.tell()
    src.seek(0)
    head = src.read(12)
    if len(head) != 12 or head[:4] != b"RIFF" or head[8:12] != form:
        raise LabelWriteError(f"not a RIFF/{form.decode()} file")
    end = min(8 + struct.unpack("<I", head[4:8])[0], file_end)
    out = []
    pos = 12
    while pos + 8 <= end:
        src.seek(pos)
        h = src.read(8)
        cid, size = h[:4], struct.unpack("<I", h[4:8])[0]
        if pos + 8 + size > file_end:
            raise LabelWriteError(f"{form.decode()} chunk {cid!r} declares {size} bytes, past the end of the file")
        out.append((cid, pos + 8, size))
        pos += 8 + size + (size & 1)
        if len(out) > MAX_CHUNKS:
            raise LabelWriteError(f"too many {form.decode()} chunks")
    return out


def chunk_bytes(cid: bytes, data: bytes) -> bytes:
    """A RIFF chunk with its pad byte."""
    return cid + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def copy_chunk(src: BinaryIO, dst: BinaryIO, offset: int, size: int) -> None:
    """Stream one chunk (header, data, pad) from ``src`` to ``dst``; a missing final pad byte is supplied."""
    src.seek(offset - 8)
    copy_range(src, dst, 8 + size)
    if size & 1:
        dst.write(src.read(1) or b"\x00")


def padded(size: int) -> int:
    """Bytes a chunk of ``size`` data bytes takes in the file, header and pad included."""
    return 8 + size + (size & 1)
