"""WAV: the record is a RIFF sub-chunk with id ``AIGC`` whose data is the JSON (TC260-PG-202510A), padded to an
even length with NUL. An existing ``AIGC`` chunk is rewritten in place; otherwise one is appended after the
last chunk. Audio data is streamed; only the ``AIGC`` chunk is read.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit
from brightline.media.writers.riff import chunk_bytes, chunks, copy_chunk, padded

FORMAT = "wav"
_MAX_RECORD = 1024 * 1024


def sniff(head: bytes, path: Path) -> bool:
    """RIFF container with form type WAVE."""
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the ``AIGC`` chunk set."""
    found = chunks(src, b"WAVE")
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
    total = 4 + sum(len(new_chunk) if i == index else padded(s) for i, (_, _, s) in enumerate(found))
    if index is None:
        total += len(new_chunk)
    if total > 0xFFFFFFFF:
        raise LabelWriteError("WAV would exceed the 4 GiB RIFF limit")
    dst.write(b"RIFF" + struct.pack("<I", total) + b"WAVE")
    for i, (cid, offset, size) in enumerate(found):
        if i == index:
            dst.write(new_chunk)
            continue
        copy_chunk(src, dst, offset, size)
    if index is None:
        dst.write(new_chunk)
    return Placement(FORMAT, "wav:RIFF:AIGC", index is not None)
