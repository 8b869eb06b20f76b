"""JPEG: the record lives in the XMP packet of an APP1 segment (``TC260:AIGC``), or — TC260-PG-20259A Annex B —
as ``{"AIGC":{…}}`` in EXIF UserComment. An existing record is updated where it is; a new one goes into the
XMP packet (added to an existing packet, or a new APP1 segment after APP0/EXIF). Marker segments are at most
64 KiB each; the entropy-coded image data after SOS is streamed, never held in memory.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit
from brightline.media.writers.xmp_packet import new_packet, set_aigc, update_existing

FORMAT = "jpeg"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_HEADER = b"Exif\x00\x00"
_MAX_SEGMENT = 0xFFFF - 2
_USER_COMMENT = 0x9286
_EXIF_IFD = 0x8769


def sniff(head: bytes, path: Path) -> bool:
    """JPEG files start with SOI followed by a marker."""
    return head[:3] == b"\xff\xd8\xff"


def _segments(src: BinaryIO) -> tuple[list[tuple[int, bytes]], int]:
    """Marker segments up to (not including) SOS: [(marker, payload)], and the offset where SOS starts."""
    if src.read(2) != b"\xff\xd8":
        raise LabelWriteError("not a JPEG file (no SOI marker)")
    segments: list[tuple[int, bytes]] = []
    while True:
        pos = src.tell()
        b = src.read(1)
        while b == b"\xff":  # fill bytes before a marker are allowed
            nxt = src.read(1)
            if nxt != b"\xff":
                b = b"\xff" + nxt
                break
        if len(b) != 2 or b[0] != 0xFF:
            raise LabelWriteError(f"broken JPEG: expected a marker at offset {pos}")
        marker = b[1]
        if marker == 0xDA or marker == 0xD9:  # SOS or EOI: the rest is copied as is
            return segments, src.tell() - 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            segments.append((marker, b""))
            continue
        raw_len = src.read(2)
        if len(raw_len) != 2:
            raise LabelWriteError("truncated JPEG segment header")
        (length,) = struct.unpack(">H", raw_len)
        if length < 2:
            raise LabelWriteError(f"broken JPEG: segment length {length} at offset {pos}")
        payload = src.read(length - 2)
        if len(payload) != length - 2:
            raise LabelWriteError("truncated JPEG segment")
        segments.append((marker, payload))
        if len(segments) > 10_000:
            raise LabelWriteError("too many JPEG segments before the image data")


def _emit(dst: BinaryIO, marker: int, payload: bytes) -> None:
    if len(payload) > _MAX_SEGMENT:
        raise LabelWriteError("the XMP packet would exceed one JPEG segment (64 KiB); extended XMP is not written")
    dst.write(bytes((0xFF, marker)))
    if payload or not (0xD0 <= marker <= 0xD7 or marker == 0x01):
        dst.write(struct.pack(">H", len(payload) + 2) + payload)


def _exif_comment_update(payload: bytes, edit: RecordEdit) -> bytes | None:
    """Rewrite an EXIF UserComment that holds a record; None if this EXIF has no record."""
    if b"AIGC" not in payload:
        return None
    from PIL import Image

    exif = Image.Exif()
    exif.load(payload)
    ifd = exif.get_ifd(_EXIF_IFD)
    raw = ifd.get(_USER_COMMENT)
    if raw is None:
        return None
    data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    prefix, body = (data[:8], data[8:]) if data[:8] in (b"ASCII\x00\x00\x00", b"UNICODE\x00", b"\x00" * 8) else (b"", data)
    encoding = "utf-16-be" if prefix == b"UNICODE\x00" else "utf-8"
    text = body.decode(encoding, errors="replace")
    if "AIGC" not in text:
        return None
    value, _ = edit.apply(text.strip("\x00 "))
    ifd[_USER_COMMENT] = (prefix or b"UNICODE\x00") + value.encode("utf-16-be" if prefix in (b"UNICODE\x00", b"") else "utf-8")
    data = exif.tobytes()
    return data if data.startswith(EXIF_HEADER) else EXIF_HEADER + data


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with the record set in XMP (or EXIF UserComment where it already is)."""
    segments, sos_at = _segments(src)
    xmp_index = next((i for i, (m, p) in enumerate(segments) if m == 0xE1 and p.startswith(XMP_HEADER)), None)
    placement: Placement | None = None
    out = list(segments)
    if xmp_index is not None:
        updated_packet = update_existing(segments[xmp_index][1][len(XMP_HEADER):], edit)
        if updated_packet is not None:
            out[xmp_index] = (0xE1, XMP_HEADER + updated_packet)
            placement = Placement(FORMAT, "jpeg:xmp:TC260:AIGC", True)
    if placement is None:
        for i, (marker, payload) in enumerate(segments):
            if marker == 0xE1 and payload.startswith(EXIF_HEADER):
                updated = _exif_comment_update(payload, edit)
                if updated is not None:
                    out[i] = (0xE1, updated)
                    placement = Placement(FORMAT, "jpeg:exif:UserComment", True, ["EXIF block re-serialised by Pillow"])
                    break
    if placement is None:
        value, _ = edit.apply(None)
        if xmp_index is not None:
            packet = segments[xmp_index][1][len(XMP_HEADER):]
            out[xmp_index] = (0xE1, XMP_HEADER + set_aigc(packet, value))
        else:
            at = 0
            while at < len(out) and out[at][0] in (0xE0, 0xE1):  # after JFIF/EXIF, as readers expect
                at += 1
            out.insert(at, (0xE1, XMP_HEADER + new_packet(value)))
        placement = Placement(FORMAT, "jpeg:xmp:TC260:AIGC", False)
    dst.write(b"\xff\xd8")
    for marker, payload in out:
        _emit(dst, marker, payload)
    src.seek(sos_at)
    while chunk := src.read(1 << 20):
        dst.write(chunk)
    return placement

