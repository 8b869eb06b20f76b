"""PNG: every chunk header to IEND (labels may follow IDAT), text and EXIF chunks read, the rest seeked over.

``tEXt`` / ``zTXt`` / ``iTXt`` keyword ``AIGC`` (TC260 image guide Annex B), ``iTXt`` ``XML:com.adobe.xmp``
(XMP with TC260:AIGC and IPTC), A1111 ``parameters`` and ComfyUI ``prompt``/``workflow`` text, ``eXIf``.
Compressed text is inflated with an output cap, so a zTXt bomb costs at most the metadata cap.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register
from brightline.media.containers.tiff import read_exif_block

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf"}
_MAX_CHUNK = 2**31 - 1  # PNG spec: chunk lengths above 2^31-1 are invalid


def inflate(data: bytes, cap: int, what: str) -> bytes:
    """zlib-decompress at most ``cap`` bytes; more is a decompression bomb and an error."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, cap + 1)
    except zlib.error as exc:
        raise ValueError(f"{what}: corrupt compressed data ({exc})") from exc
    if len(out) > cap:
        raise ValueError(f"{what}: decompresses to more than {cap} bytes")
    return out


def _latin_or_utf8(data: bytes) -> str:
    # The PNG spec says Latin-1, but GB 45438 writers put UTF-8 JSON in tEXt; UTF-8 first, Latin-1 otherwise.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@register
class PngReader(ContainerReader):
    """PNG (and APNG) files."""

    format = "png"
    extensions = (".png", ".apng")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:8] == SIGNATURE

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        src.seek(8)
        while True:
            pos = src.tell()
            if pos == src.size:
                ctx.error(f"PNG ends at offset {pos} without an IEND chunk")
                return
            length, ctype = struct.unpack(">I4s", src.read(8, "chunk header"))
            ctx.tick("PNG chunk")
            name = ctype.decode("latin-1")
            if not ctype.isalpha():
                raise MediaFormatError(f"PNG chunk at offset {pos} has an invalid type {ctype!r}")
            if length > _MAX_CHUNK:
                raise MediaFormatError(f"PNG chunk {name} at offset {pos} declares {length} bytes (above 2^31-1)")
            if ctype == b"IEND":
                return
            if ctype not in _TEXT_CHUNKS:
                src.skip(length + 4, f"chunk {name}")
                continue
            ctx.budget(length, f"PNG chunk {name}", pos)
            data = src.read(length, f"chunk {name}")
            src.skip(4, f"chunk {name} CRC")
            try:
                self._chunk(ctype, data, ctx)
            except ValueError as exc:
                ctx.error(f"PNG chunk {name} at offset {pos}: {exc}")

    def _chunk(self, ctype: bytes, data: bytes, ctx: ReadContext) -> None:
        if ctype == b"eXIf":
            read_exif_block(data, "png:exif", ctx)
            return
        keyword, sep, rest = data.partition(b"\x00")
        if not sep:
            raise ValueError("no NUL after the keyword")
        key = keyword.decode("latin-1")
        cap = ctx.limits.max_bytes
        if ctype == b"tEXt":
            ctx.emit("png:tEXt", "text", key, _latin_or_utf8(rest))
        elif ctype == b"zTXt":
            if not rest:
                raise ValueError("no compression method")
            ctx.emit("png:zTXt", "text", key, _latin_or_utf8(inflate(rest[1:], cap, f"zTXt {key}")))
        else:  # iTXt: flag, method, language\0, translated keyword\0, text
            if len(rest) < 2:
                raise ValueError("truncated iTXt header")
            compressed = rest[0] == 1
            parts = rest[2:].split(b"\x00", 2)
            if len(parts) != 3:
                raise ValueError("iTXt without language/translated-keyword terminators")
            text = inflate(parts[2], cap, f"iTXt {key}") if compressed else parts[2]
            if key == "XML:com.adobe.xmp":
                ctx.emit("png:xmp", "xmp", "XMP", text)
            else:
                ctx.emit("png:iTXt", "text", key, text.decode("utf-8", errors="replace"))
