"""WAV: the record is a RIFF sub-chunk with id ``AIGC`` whose data is the JSON (TC260-PG-202510A), padded to an
even length with NUL. An existing ``AIGC`` chunk is rewritten in place; otherwise one is appended after the
last chunk. Audio data is streamed; only the ``AIGC`` chunk is read.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit, copy_range

FORMAT = "wav"
_MAX_RECORD = 1024 * 1024


def sniff(head: bytes, path: Path) -> bool:
    """RIFF container with form type WAVE."""
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def chunks(src: BinaryIO) -> list[tuple[bytes, int, int]]:
    """(id, data offset, size) of every top-level chunk of a RIFF/WAVE file, without reading data."""
    src.seek(0, 2)
    file_end = src.tell()
    src.seek(0)
    head = src.read(12)
    if len(head) != 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise LabelWriteError("not a RIFF/WAVE file")
    end = min(8 + struct.unpack("<I", head[4:8])[0], file_end)
    out = []
    pos = 12
    while pos + 8 <= end:
        src.seek(pos)
        h = src.read(8)
        cid, size = h[:4], struct.unpack("<I", h[4:8])[0]
        if pos + 8 + size > file_end:
            raise LabelWriteError(f"WAV chunk {cid!r} declares {size} bytes, past the end of the file")
        out.append((cid, pos + 8, size))
        pos += 8 + size + (size & 1)
        if len(out) > 100_000:
            raise LabelWriteError("too many WAV chunks")
    return out


def chunk_bytes(cid: bytes, data: bytes) -> bytes:
    """A RIFF chunk with its pad byte."""
    return cid + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) & 1 else b"")


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the ``AIGC`` chunk set."""
    found = chunks(src)
    index = next((i for i, c in enumerate(found) if c[0].upper() == b"AIGC"), None)
    current = None
    if index is not None:
        _, offset, size = found[index]
        if size > _MAX_RECORD:
            raise LabelWriteError("AIGC chunk larger than 1 MiB; refusing to read it")
        src.seek(offset)
        current = src.read(size).rstrip(b"\x00").decode("utf-8", errors="replace")
    value, _ = edit.apply(current)
    new_chunk = chunk_bytes(found[index][0] if index is not None else b"AIGC", value.encode("utf-8") + b"\x00")
    total = 4 + sum(len(new_chunk) if i == index else 8 + s + (s & 1) for i, (_, _, s) in enumerate(found))
    if index is None:
        total += len(new_chunk)
    if total > 0xFFFFFFFF:
        raise LabelWriteError("WAV would exceed the 4 GiB RIFF limit")
    dst.write(b"RIFF" + struct.pack("<I", total) + b"WAVE")
    for i, (cid, offset, size) in enumerate(found):
        if i == index:
            dst.write(new_chunk)
            continue
        src.seek(offset - 8)
        copy_range(src, dst, 8 + size)
        if size & 1:
            dst.write(src.read(1) or b"\x00")
    if index is None:
        dst.write(new_chunk)
    return Placement(FORMAT, "wav:RIFF:AIGC", index is not None)
