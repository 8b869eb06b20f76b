"""TIFF files and EXIF blocks (a TIFF structure inside JPEG APP1, PNG eXIf, WebP ``EXIF``).

Read: IFD0 ``ImageDescription`` (0x010E), ``XMP`` (0x02BC, the TC260 image guide's TIFF carrier), and in the
Exif IFD ``UserComment`` (0x9286, the guide's Annex B carrier and A1111's JPEG/WebP carrier). Values are read
with seeks, so a large TIFF costs only its IFDs; IFD loops, huge counts and out-of-file offsets are errors.
"""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register

_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_IMAGE_DESCRIPTION, _XMP, _EXIF_IFD, _USER_COMMENT = 0x010E, 0x02BC, 0x8769, 0x9286
_MAX_ENTRIES = 4096


def decode_user_comment(raw: bytes, little_endian: bool) -> str:
    """Decode EXIF UserComment: an 8-byte character-code prefix, then the text."""
    code, body = raw[:8], raw[8:]
    if code.startswith(b"UNICODE"):
        # Writers disagree on the byte order (TIFF order vs. always big-endian): take the reading that
        # yields more ASCII, since the payloads we look for (JSON, infotext) are mostly ASCII.
        body = body[: len(body) // 2 * 2]
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return body.decode("utf-16", errors="replace").rstrip("\x00")
        first = "utf-16-le" if little_endian else "utf-16-be"
        second = "utf-16-be" if little_endian else "utf-16-le"
        a = body.decode(first, errors="replace")
        b = body.decode(second, errors="replace")
        score = lambda s: sum(1 for ch in s if ch < "\x80")  # noqa: E731
        return (a if score(a) >= score(b) else b).rstrip("\x00")
    if code.startswith(b"JIS"):
        return body.decode("shift_jis", errors="replace").rstrip("\x00")
    if code.startswith(b"ASCII") or code == b"\x00" * 8:
        text = body
    else:
        text = raw  # no valid prefix: some writers put the text directly
    try:
        return text.decode("utf-8").rstrip("\x00 ")
    except UnicodeDecodeError:
        return text.decode("latin-1").rstrip("\x00 ")


def read_tiff(src: ByteSource, base: int, carrier: str, ctx: ReadContext) -> None:
    """Read the TIFF structure starting at ``base`` in ``src``; emit under ``carrier`` (e.g. ``"jpeg:exif"``)."""
    header = src.read_at(base, 8, "TIFF header")
    if header[:4] == b"II*\x00":
        end = "<"
    elif header[:4] == b"MM\x00*":
        end = ">"
    elif header[:4] in (b"II+\x00", b"MM\x00+"):
        raise MediaFormatError(f"{carrier}: BigTIFF is not supported")
    else:
        raise MediaFormatError(f"{carrier}: bad TIFF header {header[:4].hex(' ')} at offset {base}")
    (ifd0,) = struct.unpack(end + "I", header[4:8])
    prefix = carrier.split(":", 1)[0]
    seen: set[int] = set()
    for tag, value, le in _ifd(src, base, ifd0, end, carrier, ctx, seen):
        if tag == _IMAGE_DESCRIPTION:
            ctx.emit(carrier, "text", "ImageDescription", value.rstrip(b"\x00"))
        elif tag == _XMP:
            ctx.emit(f"{prefix}:xmp", "xmp", "XMP", value)
        elif tag == _EXIF_IFD:
            (exif_off,) = struct.unpack(end + "I", value[:4]) if len(value) >= 4 else (0,)
            if exif_off:
                for sub, subval, le2 in _ifd(src, base, exif_off, end, carrier, ctx, seen):
                    if sub == _USER_COMMENT:
                        ctx.emit(carrier, "text", "UserComment", decode_user_comment(subval, le2))


def _ifd(src: ByteSource, base: int, offset: int, end: str, carrier: str, ctx: ReadContext,
         seen: set[int]) -> list[tuple[int, bytes, bool]]:
    """Entries of interest in one IFD as (tag, raw value bytes, little_endian)."""
    if offset in seen:
        raise MediaFormatError(f"{carrier}: IFD loop at offset {offset}")
    seen.add(offset)
    ctx.tick("TIFF IFD")
    (count,) = struct.unpack(end + "H", src.read_at(base + offset, 2, "IFD entry count"))
    if count > _MAX_ENTRIES:
        raise MediaFormatError(f"{carrier}: IFD at offset {offset} declares {count} entries")
    table = src.read(12 * count, "IFD entries")
    wanted = []
    for i in range(count):
        tag, typ, n, raw = struct.unpack(end + "HHI4s", table[12 * i : 12 * i + 12])
        if tag not in (_IMAGE_DESCRIPTION, _XMP, _EXIF_IFD, _USER_COMMENT):
            continue
        size = _TYPE_SIZE.get(typ, 1) * n
        if size <= 4:
            value = raw[:size]
        else:
            (voff,) = struct.unpack(end + "I", raw)
            ctx.budget(size, f"{carrier} tag 0x{tag:04X}", base + voff)
            value = src.read_at(base + voff, size, f"tag 0x{tag:04X} value")
        wanted.append((tag, value, end == "<"))
    return wanted


def read_exif_block(data: bytes, carrier: str, ctx: ReadContext) -> None:
    """Read an in-memory EXIF block (optionally starting with ``Exif\\0\\0``); errors are non-fatal for the file."""
    if data.startswith(b"Exif\x00\x00"):
        data = data[6:]
    try:
        read_tiff(ByteSource.from_bytes(data, "EXIF"), 0, carrier, ctx)
    except MediaFormatError as exc:
        ctx.error(f"{carrier}: {exc}")


@register
class TiffReader(ContainerReader):
    """TIFF (and DNG): IFD0 and the Exif IFD, read by offset."""

    format = "tiff"
    extensions = (".tif", ".tiff", ".dng")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] in (b"II*\x00", b"MM\x00*")

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        read_tiff(src, 0, "tiff:exif", ctx)
