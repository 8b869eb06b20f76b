"""JPEG: the marker segments before the first scan (metadata never follows SOS in practice).

APP1 ``http://ns.adobe.com/xap/1.0/`` = XMP (TC260:AIGC, IPTC), APP1 ``http://ns.adobe.com/xmp/extension/``
= extended XMP (reassembled by GUID), APP1 ``Exif`` = EXIF (UserComment, ImageDescription), any other APPn or
COM segment mentioning ``AIGC`` = a bare blob (Doubao's ``AIGC{…}``). APP11 (JUMBF/C2PA) is left to the C2PA
source. Entropy-coded image data is never read.
"""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register, scan_blob
from brightline.media.containers.tiff import read_exif_block

_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXT = b"http://ns.adobe.com/xmp/extension/\x00"
_EXIF = b"Exif\x00\x00"
_SOS, _EOI, _APP11, _COM = 0xDA, 0xD9, 0xEB, 0xFE
_NO_LENGTH = {0x01, 0xD8, *range(0xD0, 0xD8)}


@register
class JpegReader(ContainerReader):
    """JPEG/JFIF/EXIF files."""

    format = "jpeg"
    extensions = (".jpg", ".jpeg", ".jpe", ".jfif")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:3] == b"\xff\xd8\xff"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        src.seek(2)
        extended: dict[bytes, dict[int, bytes]] = {}
        extended_size: dict[bytes, int] = {}
        while True:
            pos = src.tell()
            if pos >= src.size:
                ctx.error(f"JPEG ends at offset {pos} before image data (no SOS marker)")
                break
            byte = src.read(1, "marker")
            if byte != b"\xff":
                raise MediaFormatError(f"JPEG marker expected at offset {pos}, found byte 0x{byte[0]:02X}")
            marker = src.read(1, "marker")[0]
            while marker == 0xFF:  # fill bytes
                marker = src.read(1, "marker")[0]
            ctx.tick("JPEG segment")
            if marker in _NO_LENGTH:
                continue
            if marker == _EOI:
                break
            (length,) = struct.unpack(">H", src.read(2, "segment length"))
            if length < 2:
                raise MediaFormatError(f"JPEG segment 0xFF{marker:02X} at offset {pos} has impossible length {length}")
            if marker == _SOS:
                break
            if not (0xE0 <= marker <= 0xEF or marker == _COM):
                src.skip(length - 2, f"segment 0xFF{marker:02X}")
                continue
            ctx.budget(length - 2, f"JPEG segment 0xFF{marker:02X}", pos)
            payload = src.read(length - 2, f"segment 0xFF{marker:02X}")
            if marker == 0xE1 and payload.startswith(_XMP):
                ctx.emit("jpeg:xmp", "xmp", "XMP", payload[len(_XMP):])
            elif marker == 0xE1 and payload.startswith(_XMP_EXT):
                self._extended(payload[len(_XMP_EXT):], pos, extended, extended_size, ctx)
            elif marker == 0xE1 and payload.startswith(_EXIF):
                read_exif_block(payload, "jpeg:exif", ctx)
            elif marker != _APP11:
                name = "COM" if marker == _COM else f"APP{marker - 0xE0}"
                scan_blob(f"jpeg:{name}", payload, ctx, "blob")
        for guid, parts in extended.items():
            data = b"".join(parts[k] for k in sorted(parts))
            if len(data) != extended_size[guid]:
                ctx.error(f"extended XMP {guid.decode('ascii', 'replace')} incomplete: "
                          f"{len(data)} of {extended_size[guid]} bytes")
                continue
            ctx.emit("jpeg:xmp-extended", "xmp", "XMP", data)

    @staticmethod
    def _extended(body: bytes, pos: int, parts: dict[bytes, dict[int, bytes]], sizes: dict[bytes, int],
                  ctx: ReadContext) -> None:
        """One extended-XMP chunk: 32-byte GUID, full length, offset, data (XMP spec part 3, 1.1.3.1)."""
        if len(body) < 40:
            ctx.error(f"extended XMP segment at offset {pos} is too short")
            return
        guid = body[:32]
        total, offset = struct.unpack(">II", body[32:40])
        if total > ctx.limits.max_bytes:
            ctx.error(f"extended XMP at offset {pos} declares {total} bytes, above the metadata cap")
            return
        if guid in sizes and sizes[guid] != total:
            ctx.error(f"extended XMP {guid.decode('ascii', 'replace')} chunks disagree on the total length")
            return
        sizes[guid] = total
        parts.setdefault(guid, {})[offset] = body[40:]
