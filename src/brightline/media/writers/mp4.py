"""MP4 / MOV: the record is the ``AIGC`` key of ``moov/udta/meta`` (hdlr ``mdta``, ``keys`` + ``ilst``), as
TC260-PG-20257A §6.1.1 and ``ffmpeg -metadata AIGC=… -movflags use_metadata_tags`` write it.

Only the ``moov`` box is read into memory (capped); ``mdat`` is streamed. When ``moov`` sits before the media
data and changes size, every chunk offset (``stco``/``co64``) is shifted by the difference so the samples are
still found — the same fix-up ffmpeg's faststart does. Fragmented files (``moof``) are refused rather than
risk wrong fragment offsets. Written by hand: no maintained Python library edits ``mdta`` keys in place
(mutagen's MP4 support covers iTunes ``ilst`` atoms only).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit, copy_range

FORMAT = "mp4"
_MAX_MOOV = 64 * 1024 * 1024
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta", b"edts", b"meta", b"ilst"}
_TOP_LEVEL = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"pnot", b"meta", b"moof", b"mfra", b"sidx", b"styp", b"pdin"}
_MDTA_HANDLER = b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + b"mdta" + b"\x00" * 12 + b"\x00"


def sniff(head: bytes, path: Path) -> bool:
    """ISO BMFF / QuickTime: a known box type at offset 4."""
    return len(head) >= 8 and head[4:8] in _TOP_LEVEL


@dataclass
class Box:
    """An ISO BMFF box: ``payload`` for leaves, ``children`` for containers (``prefix`` = full-box header)."""

    type: bytes
    payload: bytes = b""
    children: list[Box] | None = None
    prefix: bytes = b""

    def find(self, btype: bytes) -> Box | None:
        return next((c for c in self.children or () if c.type == btype), None)

    def serialise(self) -> bytes:
        body = self.prefix + (b"".join(c.serialise() for c in self.children) if self.children is not None else self.payload)
        if len(body) + 8 > 0xFFFFFFFF:
            return struct.pack(">I4sQ", 1, self.type, len(body) + 16) + body
        return struct.pack(">I4s", len(body) + 8, self.type) + body


@dataclass
class _TopBox:
    type: bytes
    offset: int
    size: int


def _parse(data: bytes, depth: int = 0) -> list[Box]:
    if depth > 16:
        raise LabelWriteError("MP4 boxes nested too deeply")
    out: list[Box] = []
    pos = 0
    while pos + 8 <= len(data):
        size, btype = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > len(data):
                raise LabelWriteError("truncated MP4 box header")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = len(data) - pos
        if size < header or pos + size > len(data):
            raise LabelWriteError(f"broken MP4 box {btype!r}: size {size}")
        body = data[pos + header : pos + size]
        if btype in _CONTAINERS:
            prefix = b""
            if btype == b"meta" and body[4:8] != b"hdlr":  # ISO meta is a full box; QuickTime's is not
                prefix, body = body[:4], body[4:]
            out.append(Box(btype, children=_parse(body, depth + 1), prefix=prefix))
        else:
            out.append(Box(btype, payload=body))
        pos += size
    if pos != len(data) and len(data) - pos >= 8:
        raise LabelWriteError("trailing bytes inside an MP4 box")
    return out


def _top_level(src: BinaryIO) -> list[_TopBox]:
    src.seek(0, 2)
    end = src.tell()
    pos = 0
    boxes = []
    while pos < end:
        src.seek(pos)
        head = src.read(16)
        if len(head) < 8:
            raise LabelWriteError("truncated MP4 box header at the end of the file")
        size, btype = struct.unpack(">I4s", head[:8])
        if size == 1:
            size = struct.unpack(">Q", head[8:16])[0]
        elif size == 0:
            size = end - pos
        if size < 8 or pos + size > end:
            raise LabelWriteError(f"broken MP4: box {btype!r} at offset {pos} declares {size} bytes")
        boxes.append(_TopBox(btype, pos, size))
        pos += size
        if len(boxes) > 100_000:
            raise LabelWriteError("too many top-level MP4 boxes")
    return boxes


def _keys(box: Box) -> list[bytes]:
    data = box.payload
    count = struct.unpack(">I", data[4:8])[0]
    pos, names = 8, []
    for _ in range(count):
        size = struct.unpack(">I", data[pos : pos + 4])[0]
        if size < 8 or pos + size > len(data):
            raise LabelWriteError("broken MP4 keys box")
        names.append(data[pos + 4 : pos + size])  # namespace (mdta) + name
        pos += size
    return names


def _keys_payload(names: list[bytes]) -> bytes:
    return b"\x00\x00\x00\x00" + struct.pack(">I", len(names)) + b"".join(struct.pack(">I", len(n) + 4) + n for n in names)


def _item_text(item: Box) -> str | None:
    for child in _parse(item.payload):
        if child.type == b"data" and len(child.payload) >= 8:
            return child.payload[8:].decode("utf-8", errors="replace")
    return None


def _item(index: int, value: str) -> Box:
    data = Box(b"data", payload=struct.pack(">II", 1, 0) + value.encode("utf-8"))  # type 1 = UTF-8 text
    return Box(struct.pack(">I", index), payload=data.serialise())


def _meta_with_keys(moov: Box) -> tuple[Box, str] | None:
    """The mdta ``meta`` box (in ``udta`` as ffmpeg writes it, or directly in ``moov`` as QuickTime does)."""
    for parent, where in ((moov.find(b"udta"), "moov/udta/meta"), (moov, "moov/meta")):
        if parent is None:
            continue
        meta = parent.find(b"meta")
        if meta is not None and meta.find(b"keys") is not None and meta.find(b"ilst") is not None:
            return meta, where
    return None


def _set_record(moov: Box, edit: RecordEdit) -> tuple[str, bool]:
    """Update (or add) the AIGC key in moov; return the carrier and whether it was an update."""
    found = _meta_with_keys(moov)
    if found is not None:
        meta, where = found
        keys_box, ilst = meta.find(b"keys"), meta.find(b"ilst")
        assert keys_box is not None and ilst is not None and ilst.children is not None
        names = _keys(keys_box)
        for i, name in enumerate(names, start=1):
            if b"AIGC" in name[4:].upper():
                item_type = struct.pack(">I", i)
                item = next((c for c in ilst.children if c.type == item_type), None)
                current = _item_text(item) if item is not None else None
                value, _ = edit.apply(current)
                new = _item(i, value)
                if item is None:
                    ilst.children.append(new)
                else:
                    ilst.children[ilst.children.index(item)] = new
                return f"mp4:{where}:{name[4:].decode('latin-1')}", current is not None
        value, _ = edit.apply(None)
        names.append(b"mdtaAIGC")
        keys_box.payload = _keys_payload(names)
        ilst.children.append(_item(len(names), value))
        return f"mp4:{where}:AIGC", False
    value, _ = edit.apply(None)
    udta = moov.find(b"udta")
    if udta is None:
        udta = Box(b"udta", children=[])
        moov.children.append(udta)  # type: ignore[union-attr]
    meta = Box(b"meta", prefix=b"\x00\x00\x00\x00", children=[
        Box(b"hdlr", payload=_MDTA_HANDLER),
        Box(b"keys", payload=_keys_payload([b"mdtaAIGC"])),
        Box(b"ilst", children=[_item(1, value)]),
    ])
    udta.children.append(meta)  # type: ignore[union-attr]
    return "mp4:moov/udta/meta:AIGC", False


def _shift_chunk_offsets(box: Box, delta: int) -> None:
    for child in box.children or ():
        if child.type == b"stco":
            count = struct.unpack(">I", child.payload[4:8])[0]
            offsets = struct.unpack(f">{count}I", child.payload[8 : 8 + 4 * count])
            if any(o + delta > 0xFFFFFFFF or o + delta < 0 for o in offsets):
                raise LabelWriteError("chunk offsets would overflow 32 bits after adding the label")
            child.payload = child.payload[:8] + struct.pack(f">{count}I", *(o + delta for o in offsets))
        elif child.type == b"co64":
            count = struct.unpack(">I", child.payload[4:8])[0]
            offsets = struct.unpack(f">{count}Q", child.payload[8 : 8 + 8 * count])
            child.payload = child.payload[:8] + struct.pack(f">{count}Q", *(o + delta for o in offsets))
        elif child.children is not None:
            _shift_chunk_offsets(child, delta)


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the AIGC key of moov/udta/meta set; media data streamed untouched."""
    boxes = _top_level(src)
    moovs = [b for b in boxes if b.type == b"moov"]
    if len(moovs) != 1:
        raise LabelWriteError(f"expected one moov box, found {len(moovs)}")
    if any(b.type == b"moof" for b in boxes):
        raise LabelWriteError("fragmented MP4 (moof boxes) is not supported for implicit labels")
    top = moovs[0]
    if top.size > _MAX_MOOV:
        raise LabelWriteError(f"moov box of {top.size} bytes exceeds the {_MAX_MOOV} byte limit")
    src.seek(top.offset)
    raw = src.read(top.size)
    (moov,) = _parse(raw)
    carrier, updated = _set_record(moov, edit)
    new = moov.serialise()
    data_after = [b for b in boxes if b.type == b"mdat" and b.offset > top.offset]
    if data_after and len(new) != top.size:
        _shift_chunk_offsets(moov, len(new) - top.size)
        new = moov.serialise()
    for box in boxes:
        if box is top:
            dst.write(new)
        else:
            src.seek(box.offset)
            copy_range(src, dst, box.size)
    return Placement(FORMAT, carrier, updated)
