"""MP3 (and anything else with an ID3v2 tag in front): ``TXXX`` frames, description ``AIGC`` (audio guide).

Hand-written rather than mutagen because mutagen is the independent writer of the test fixtures and has no
size caps on what it loads; frames other than TXXX/COMM (pictures, GEOB) are seeked over, never read.
A FLAC stream after the tag is handed to the FLAC reader.
"""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register
from brightline.media.containers.flac import read_flac

_TEXT_FRAMES = {b"TXXX", b"TXX", b"COMM", b"COM"}
_ENCODINGS = {0: "latin-1", 1: "utf-16", 2: "utf-16-be", 3: "utf-8"}


def _syncsafe(b: bytes) -> int:
    if any(x & 0x80 for x in b):
        raise MediaFormatError(f"ID3 size {b.hex(' ')} is not a sync-safe integer")
    return (b[0] << 21) | (b[1] << 14) | (b[2] << 7) | b[3]


def _unsync(data: bytes) -> bytes:
    return data.replace(b"\xff\x00", b"\xff")


def _split_text(enc: int, data: bytes) -> tuple[str, str]:
    """(description, value) of a TXXX body after its encoding byte."""
    codec = _ENCODINGS.get(enc)
    if codec is None:
        raise ValueError(f"unknown text encoding {enc}")
    if enc in (1, 2):
        # find a 2-byte aligned NUL terminator
        i = 0
        while i + 1 < len(data) and data[i : i + 2] != b"\x00\x00":
            i += 2
        desc_raw, value_raw = data[:i], data[i + 2 :]
        if enc == 1 and value_raw[:2] not in (b"\xff\xfe", b"\xfe\xff") and desc_raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            value_raw = desc_raw[:2] + value_raw  # a BOM only on the description: reuse it
    else:
        desc_raw, _, value_raw = data.partition(b"\x00")
    desc = desc_raw.decode(codec, errors="replace") if desc_raw else ""
    value = value_raw.decode(codec, errors="replace") if value_raw else ""
    return desc, value.rstrip("\x00")


def read_id3(src: ByteSource, ctx: ReadContext, carrier: str) -> int:
    """Read the ID3v2 tag at the current position; return the offset just after it."""
    start = src.tell()
    header = src.read(10, "ID3 header")
    if header[:3] != b"ID3":
        raise MediaFormatError(f"no ID3 tag at offset {start}")
    major, flags = header[3], header[5]
    if major not in (2, 3, 4):
        raise MediaFormatError(f"unsupported ID3v2.{major} tag at offset {start}")
    size = _syncsafe(header[6:10])
    end = start + 10 + size + (10 if major == 4 and flags & 0x10 else 0)
    if start + 10 + size > src.size:
        raise MediaFormatError(f"ID3 tag at offset {start} declares {size} bytes but the file ends first (truncated)")
    body_start = start + 10
    if flags & 0x80 and major < 4:
        # Whole-tag unsynchronisation (v2.2/2.3): the frames can only be read after undoing it.
        ctx.budget(size, "unsynchronised ID3 tag", start)
        body = ByteSource.from_bytes(_unsync(src.read(size, "ID3 tag")), "ID3")
        _frames(body, 0, body.size, major, ctx, carrier)
    else:
        if flags & 0x40:  # extended header
            ext = src.read(4, "ID3 extended header")
            ext_size = _syncsafe(ext) if major == 4 else struct.unpack(">I", ext)[0] + 4
            body_start += ext_size
        _frames(src, body_start, start + 10 + size, major, ctx, carrier)
    return end


def _frames(src: ByteSource, pos: int, end: int, major: int, ctx: ReadContext, carrier: str) -> None:
    head_len = 6 if major == 2 else 10
    while pos + head_len <= end:
        head = src.read_at(pos, head_len, "ID3 frame header")
        if head[0] == 0:
            return  # padding
        if major == 2:
            fid, size, fflags = head[:3], int.from_bytes(head[3:6], "big"), 0
        else:
            fid = head[:4]
            size = _syncsafe(head[4:8]) if major == 4 else struct.unpack(">I", head[4:8])[0]
            fflags = struct.unpack(">H", head[8:10])[0]
        ctx.tick("ID3 frame")
        if not fid.isalnum():
            raise MediaFormatError(f"ID3 frame at offset {pos} has an invalid id {fid!r}")
        if pos + head_len + size > end:
            raise MediaFormatError(f"ID3 frame {fid.decode('latin-1')} at offset {pos} declares {size} bytes, "
                                   "past the end of the tag (wrong length)")
        if fid in _TEXT_FRAMES and size > 0:
            ctx.budget(size, f"ID3 frame {fid.decode('latin-1')}", pos)
            data = src.read_at(pos + head_len, size, "ID3 frame")
            if major == 4 and fflags & 0x000C:
                ctx.error(f"ID3 frame {fid.decode('latin-1')} at offset {pos} is compressed or encrypted: not read")
            else:
                if major == 4 and fflags & 0x0002:
                    data = _unsync(data)
                if major == 4 and fflags & 0x0001:
                    data = data[4:]  # data-length indicator
                try:
                    _emit(fid, data, ctx, carrier)
                except ValueError as exc:
                    ctx.error(f"ID3 frame {fid.decode('latin-1')} at offset {pos}: {exc}")
        pos += head_len + size


def _emit(fid: bytes, data: bytes, ctx: ReadContext, carrier: str) -> None:
    enc = data[0]
    if fid in (b"TXXX", b"TXX"):
        desc, value = _split_text(enc, data[1:])
        ctx.emit(f"{carrier}:TXXX", "text", desc, value)
    else:  # COMM: encoding, 3-byte language, description\0, text
        desc, value = _split_text(enc, data[4:])
        ctx.emit(f"{carrier}:COMM", "text", desc or "comment", value)


@register
class Id3Reader(ContainerReader):
    """MP3 files (with or without an ID3v2 tag), and FLAC files that start with an ID3 tag."""

    format = "mp3"
    extensions = (".mp3",)

    def sniff(self, head: bytes, path: Path) -> bool:
        if head[:3] == b"ID3":
            return True
        # A bare MPEG audio frame sync (no tag): only trust it with the right suffix.
        return len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and path.suffix.lower() == ".mp3"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        header = src.read_at(0, 10, "header") if src.size >= 10 else b""
        if header[:3] != b"ID3":
            return
        tag_end = 10 + _syncsafe(header[6:10]) + (10 if header[3] == 4 and header[5] & 0x10 else 0)
        is_flac = tag_end + 4 <= src.size and src.read_at(tag_end, 4, "stream marker") == b"fLaC"
        if is_flac:
            ctx.format = "flac"
        src.seek(0)
        after = read_id3(src, ctx, f"{ctx.format}:id3")
        if is_flac:
            read_flac(src, after, ctx)
