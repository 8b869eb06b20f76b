"""PNG: the record is ``TC260:AIGC`` in the XMP packet (iTXt ``XML:com.adobe.xmp``) or — TC260-PG-20259A
Annex B — a text chunk (tEXt/zTXt/iTXt) whose keyword contains ``AIGC``. An existing record is updated in its
chunk; a new one is added to the XMP packet (a new XMP iTXt chunk before the first IDAT if there is none).
Image data chunks are streamed; only text chunks (capped) are read into memory.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit, copy_range
from brightline.media.writers.xmp_packet import new_packet, set_aigc, update_existing

FORMAT = "png"
SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEYWORD = b"XML:com.adobe.xmp"
_TEXT_CHUNKS = (b"tEXt", b"zTXt", b"iTXt")
_MAX_TEXT = 16 * 1024 * 1024


def sniff(head: bytes, path: Path) -> bool:
    """PNG signature."""
    return head.startswith(SIGNATURE)


def _chunks(src: BinaryIO) -> list[tuple[bytes, int, int]]:
    """(type, data offset, length) of every chunk, without reading data."""
    src.seek(0)
    if src.read(8) != SIGNATURE:
        raise LabelWriteError("not a PNG file")
    out = []
    while True:
        head = src.read(8)
        if not head:
            raise LabelWriteError("truncated PNG: no IEND chunk")
        if len(head) != 8:
            raise LabelWriteError("truncated PNG chunk header")
        length, ctype = struct.unpack(">I4s", head)
        if length > 0x7FFFFFFF:
            raise LabelWriteError(f"broken PNG: chunk length {length}")
        out.append((ctype, src.tell(), length))
        src.seek(length + 4, 1)
        if ctype == b"IEND":
            return out
        if len(out) > 1_000_000:
            raise LabelWriteError("too many PNG chunks")


def _decode_text(ctype: bytes, data: bytes) -> tuple[bytes, str, bytes]:
    """(keyword, text, header-to-keep) of a text chunk; the header lets iTXt be rebuilt with its language tags."""
    keyword, _, rest = data.partition(b"\x00")
    if ctype == b"tEXt":
        return keyword, rest.decode("latin-1"), b""
    if ctype == b"zTXt":
        return keyword, _inflate(rest[1:]).decode("latin-1"), b""
    comp, rest = rest[:1], rest[2:]
    lang, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    if comp == b"\x01":
        text = _inflate(text)
    return keyword, text.decode("utf-8"), lang + b"\x00" + translated + b"\x00"


def _inflate(data: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(data, _MAX_TEXT)
    if d.unconsumed_tail:
        raise LabelWriteError("compressed PNG text chunk is larger than 16 MiB; refusing to expand it")
    return out


def _encode_text(ctype: bytes, keyword: bytes, text: str, header: bytes) -> tuple[bytes, bytes]:
    if ctype == b"iTXt" or any(ord(c) > 255 for c in text):
        # iTXt keeps UTF-8; a Latin-1-only tEXt/zTXt value that gained other characters becomes iTXt.
        return b"iTXt", keyword + b"\x00\x00\x00" + (header or b"\x00\x00") + text.encode("utf-8")
    if ctype == b"zTXt":
        return ctype, keyword + b"\x00\x00" + zlib.compress(text.encode("latin-1"))
    return ctype, keyword + b"\x00" + text.encode("latin-1")


def _wrapped_record(text: str) -> bool:
    """A text chunk under another keyword that holds the wrapped ``{"AIGC":{…}}`` form (readers count it)."""
    return '"AIGC"' in text and text.lstrip().startswith("{")


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the record set (updated in its chunk, or added to XMP)."""
    chunks = _chunks(src)
    replace: dict[int, bytes] = {}
    xmp_at: tuple[int, str, bytes] | None = None
    placement: Placement | None = None
    for i, (ctype, offset, length) in enumerate(chunks):
        if ctype not in _TEXT_CHUNKS:
            continue
        if length > _MAX_TEXT:
            raise LabelWriteError(f"PNG {ctype.decode()} chunk of {length} bytes is too large to edit")
        src.seek(offset)
        data = src.read(length)
        keyword, text, header = _decode_text(ctype, data)
        if keyword == XMP_KEYWORD:
            xmp_at = (i, text, header)
            updated_packet = update_existing(text, edit)
            if updated_packet is not None:
                replace[i] = _chunk(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00" + (header or b"\x00\x00") + updated_packet)
                placement = Placement(FORMAT, "png:iTXt:XML:com.adobe.xmp:TC260:AIGC", True)
        elif b"AIGC" in keyword.upper() or _wrapped_record(text):
            value, _ = edit.apply(text)
            new_type, new_data = _encode_text(ctype, keyword, value, header)
            replace[i] = _chunk(new_type, new_data)
            placement = Placement(FORMAT, f"png:{new_type.decode()}:{keyword.decode('latin-1')}", True)
    insert_before: int | None = None
    new_chunk = b""
    if placement is None:
        value, _ = edit.apply(None)
        if xmp_at is not None:
            i, text, header = xmp_at
            replace[i] = _chunk(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00" + (header or b"\x00\x00") + set_aigc(text, value))
        else:
            insert_before = next((i for i, c in enumerate(chunks) if c[0] in (b"IDAT", b"IEND")), len(chunks) - 1)
            new_chunk = _chunk(b"iTXt", XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + new_packet(value))
        placement = Placement(FORMAT, "png:iTXt:XML:com.adobe.xmp:TC260:AIGC", False)
    dst.write(SIGNATURE)
    for i, (ctype, offset, length) in enumerate(chunks):
        if i == insert_before:
            dst.write(new_chunk)
        if i in replace:
            dst.write(replace[i])
            continue
        src.seek(offset - 8)
        copy_range(src, dst, length + 12)
    return placement
