"""ISO BMFF (MP4, MOV, M4A, 3GP, HEIF brands): box headers walked with seeks; ``mdat`` is never read.

Carriers (reference §1.6, §1.9): ``moov/udta/meta`` (and ``moov/meta``) with a ``keys`` box (``mdta`` +
``AIGC``) and an ``ilst`` whose items are numbered by key index — what ``ffmpeg -movflags use_metadata_tags``
writes; iTunes-style ``ilst`` items and ``----`` freeform atoms; QuickTime ``©xxx`` user-data text atoms;
XMP in a ``uuid`` box (BE7ACFCB-97A9-42E8-9C71-999491E3AFAC) or ``udta/XMP_``. ``moov`` may sit at the end.
"""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register

_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
_FTYP_BRANDS = {b"qt  ": "mov", b"M4A ": "m4a", b"M4B ": "m4a", b"heic": "heif", b"heix": "heif", b"mif1": "heif",
                b"avif": "avif", b"3gp4": "3gp", b"3gp5": "3gp", b"3gp6": "3gp"}
_TOP_LEVEL = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"pnot", b"moof", b"mfra",
              b"styp", b"sidx", b"pdin"}
_DATA_TEXT = {1: "utf-8", 2: "utf-16-be", 4: "utf-8", 5: "utf-16-be"}


class _Box:
    __slots__ = ("type", "start", "body", "end")

    def __init__(self, btype: bytes, start: int, body: int, end: int) -> None:
        self.type, self.start, self.body, self.end = btype, start, body, end

    @property
    def name(self) -> str:
        return self.type.decode("latin-1")


def _boxes(src: ByteSource, start: int, end: int, ctx: ReadContext, depth: int) -> list[_Box]:
    """Headers of the boxes between ``start`` and ``end`` (a box past ``end`` is a structural error)."""
    if depth > ctx.limits.max_depth:
        raise MediaFormatError(f"ISO BMFF boxes nested deeper than {ctx.limits.max_depth}")
    out: list[_Box] = []
    pos = start
    while pos + 8 <= end:
        size, btype = struct.unpack(">I4s", src.read_at(pos, 8, "box header"))
        ctx.tick("ISO BMFF box")
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", src.read(8, "64-bit box size"))
            header = 16
        elif size == 0:
            size = end - pos  # "to the end of the file/container"
        name = btype.decode("latin-1")
        if size < header:
            raise MediaFormatError(f"box {name!r} at offset {pos} has impossible size {size}")
        if pos + size > end:
            raise MediaFormatError(f"box {name!r} at offset {pos} declares {size} bytes, past the end of its "
                                   f"container at {end} (truncated or wrong length)")
        out.append(_Box(btype, pos, pos + header, pos + size))
        pos += size
    return out


@register
class Mp4Reader(ContainerReader):
    """MP4 / MOV / M4A and other ISO base media files."""

    format = "mp4"
    extensions = (".mp4", ".m4v", ".m4a", ".mov", ".3gp", ".heic", ".heif", ".avif")

    def sniff(self, head: bytes, path: Path) -> bool:
        if head[4:8] == b"ftyp":
            return True
        # Old QuickTime files may start with moov/mdat/wide/free; trust that only with a matching suffix.
        return head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip") and path.suffix.lower() in self.extensions

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        top = _boxes(src, 0, src.size, ctx, 0)
        for box in top:
            if box.type == b"ftyp":
                brand = src.read_at(box.body, 4, "ftyp brand")
                ctx.format = _FTYP_BRANDS.get(brand, "mp4")
        if not top or top[0].type not in _TOP_LEVEL:
            raise MediaFormatError(f"not an ISO BMFF file: first box is {top[0].name!r}" if top else "no boxes")
        fmt = ctx.format or "mp4"
        for box in top:
            if box.type == b"moov":
                self._moov(src, box, ctx, fmt)
            elif box.type == b"uuid":
                self._uuid(src, box, ctx, fmt, "uuid")
            elif box.type == b"meta":
                self._meta(src, box, ctx, f"{fmt}:meta", 1)

    def _moov(self, src: ByteSource, moov: _Box, ctx: ReadContext, fmt: str) -> None:
        for box in _boxes(src, moov.body, moov.end, ctx, 1):
            if box.type == b"udta":
                self._udta(src, box, ctx, fmt)
            elif box.type == b"meta":
                self._meta(src, box, ctx, f"{fmt}:moov/meta", 2)
            elif box.type == b"uuid":
                self._uuid(src, box, ctx, fmt, "moov/uuid")

    def _udta(self, src: ByteSource, udta: _Box, ctx: ReadContext, fmt: str) -> None:
        for box in _boxes(src, udta.body, udta.end, ctx, 2):
            if box.type == b"meta":
                self._meta(src, box, ctx, f"{fmt}:moov/udta/meta", 3)
            elif box.type == b"XMP_":
                ctx.emit(f"{fmt}:xmp", "xmp", "XMP", self._payload(src, box, ctx))
            elif box.type[0] == 0xA9 or box.type == b"AIGC":
                # QuickTime user-data text: (16-bit length, 16-bit language, text)+
                data = self._payload(src, box, ctx)
                if len(data) >= 4 and box.type[0] == 0xA9:
                    (n,) = struct.unpack(">H", data[:2])
                    data = data[4 : 4 + n]
                ctx.emit(f"{fmt}:moov/udta", "text", box.name, data)

    def _uuid(self, src: ByteSource, box: _Box, ctx: ReadContext, fmt: str, where: str) -> None:
        if box.end - box.body >= 16 and src.read_at(box.body, 16, "uuid") == _XMP_UUID:
            ctx.budget(box.end - box.body - 16, "XMP uuid box", box.start)
            ctx.emit(f"{fmt}:xmp", "xmp", "XMP", src.read_at(box.body + 16, box.end - box.body - 16, "XMP"))

    def _payload(self, src: ByteSource, box: _Box, ctx: ReadContext) -> bytes:
        ctx.budget(box.end - box.body, f"box {box.name!r}", box.start)
        return src.read_at(box.body, box.end - box.body, f"box {box.name!r}")

    def _meta(self, src: ByteSource, meta: _Box, ctx: ReadContext, carrier: str, depth: int) -> None:
        body = meta.body
        # ISO 'meta' is a full box (4 bytes version+flags); QuickTime's is not. Zero there means a full box.
        if meta.end - body >= 4 and src.read_at(body, 4, "meta header") == b"\x00\x00\x00\x00":
            body += 4
        keys: list[str] = []
        ilsts: list[_Box] = []
        for box in _boxes(src, body, meta.end, ctx, depth):
            if box.type == b"keys":
                keys = self._keys(src, box, ctx)
            elif box.type == b"ilst":
                ilsts.append(box)
        for ilst in ilsts:
            self._ilst(src, ilst, keys, ctx, carrier, depth + 1)

    def _keys(self, src: ByteSource, box: _Box, ctx: ReadContext) -> list[str]:
        data = self._payload(src, box, ctx)
        if len(data) < 8:
            raise MediaFormatError(f"keys box at offset {box.start} is too short")
        (count,) = struct.unpack(">I", data[4:8])
        if count > len(data) // 8:
            raise MediaFormatError(f"keys box at offset {box.start} declares {count} keys in {len(data)} bytes")
        keys, pos = [], 8
        for _ in range(count):
            if pos + 8 > len(data):
                raise MediaFormatError(f"keys box at offset {box.start} is truncated")
            (size,) = struct.unpack(">I", data[pos : pos + 4])
            if size < 8 or pos + size > len(data):
                raise MediaFormatError(f"key entry at offset {box.start + 8 + pos} has wrong size {size}")
            keys.append(data[pos + 8 : pos + size].decode("utf-8", errors="replace"))
            pos += size
        return keys

    def _ilst(self, src: ByteSource, ilst: _Box, keys: list[str], ctx: ReadContext, carrier: str, depth: int) -> None:
        for item in _boxes(src, ilst.body, ilst.end, ctx, depth):
            (index,) = struct.unpack(">I", item.type)
            if item.type == b"----":
                name, values = self._freeform(src, item, ctx, depth + 1)
            else:
                if 1 <= index <= len(keys):
                    name = keys[index - 1]
                elif item.type.isascii() and item.type[:1].isalpha() or item.type[0] == 0xA9:
                    name = item.type.decode("latin-1")
                else:
                    ctx.error(f"ilst item {index} at offset {item.start} has no matching key")
                    name = f"#{index}"
                values = [self._data(src, d, ctx) for d in _boxes(src, item.body, item.end, ctx, depth + 1)
                          if d.type == b"data"]
            for value in values:
                if value is not None:
                    ctx.emit(carrier, "text", name, value)

    def _freeform(self, src: ByteSource, item: _Box, ctx: ReadContext, depth: int) -> tuple[str, list[str | None]]:
        name, values = "----", []
        for d in _boxes(src, item.body, item.end, ctx, depth):
            if d.type == b"name":
                name = self._payload(src, d, ctx)[4:].decode("utf-8", errors="replace")
            elif d.type == b"data":
                values.append(self._data(src, d, ctx))
        return name, values

    def _data(self, src: ByteSource, box: _Box, ctx: ReadContext) -> str | None:
        data = self._payload(src, box, ctx)
        if len(data) < 8:
            return None
        type_code = int.from_bytes(data[1:4], "big")
        codec = _DATA_TEXT.get(type_code)
        if codec is None:
            return None  # pictures, integers: not text
        return data[8:].decode(codec, errors="replace")
