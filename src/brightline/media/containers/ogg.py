"""Ogg (Vorbis, Opus, FLAC-in-Ogg, Speex): the comment header, i.e. the second packet of the first stream.

Pages are read from the start only until that packet is complete; audio pages are never touched.
"""

from __future__ import annotations

import struct
from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register
from brightline.media.containers.flac import parse_vorbis_comments

_PAGE = struct.Struct("<4sBBqIIIB")  # capture, version, type, granule, serial, sequence, crc, segments


@register
class OggReader(ContainerReader):
    """Ogg files."""

    format = "ogg"
    extensions = (".ogg", ".oga", ".opus", ".spx")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] == b"OggS"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        packets: list[bytes] = []
        current = bytearray()
        serial: int | None = None
        pos = 0
        while len(packets) < 2:
            if pos >= src.size:
                raise MediaFormatError(f"Ogg stream ends at offset {pos} before its comment header")
            header = src.read_at(pos, _PAGE.size, "Ogg page header")
            capture, _version, _htype, _granule, page_serial, _seq, _crc, nsegs = _PAGE.unpack(header)
            if capture != b"OggS":
                raise MediaFormatError(f"Ogg page expected at offset {pos}, found {capture!r}")
            ctx.tick("Ogg page")
            lacing = src.read(nsegs, "Ogg segment table")
            body_len = sum(lacing)
            body_pos = pos + _PAGE.size + nsegs
            pos = body_pos + body_len
            if serial is None:
                serial = page_serial
            if page_serial != serial:
                continue  # another multiplexed stream
            ctx.budget(body_len, "Ogg page", body_pos)
            body = src.read_at(body_pos, body_len, "Ogg page body")
            at = 0
            for seg in lacing:
                current += body[at : at + seg]
                at += seg
                if len(current) > ctx.limits.max_bytes:
                    raise MediaFormatError(f"Ogg header packet exceeds the {ctx.limits.max_bytes}-byte metadata cap")
                if seg < 255:
                    packets.append(bytes(current))
                    current.clear()
                    if len(packets) == 2:
                        break
        ident, comment = packets
        if ident.startswith(b"OpusHead"):
            ctx.format = "opus"
            self._comments(comment, b"OpusTags", "opus:vorbis", ctx)
        elif ident.startswith(b"\x01vorbis"):
            self._comments(comment, b"\x03vorbis", "ogg:vorbis", ctx)
        elif ident.startswith(b"\x7fFLAC"):
            # FLAC-in-Ogg: the second packet is a metadata block (4-byte header) holding the comments.
            if comment and comment[0] & 0x7F == 4:
                parse_vorbis_comments(comment[4:], "ogg:vorbis", ctx)
        elif ident.startswith(b"Speex"):
            parse_vorbis_comments(comment, "ogg:vorbis", ctx)
        else:
            ctx.error(f"Ogg stream codec {ident[:8]!r} not recognised: comments not read")

    @staticmethod
    def _comments(packet: bytes, magic: bytes, carrier: str, ctx: ReadContext) -> None:
        if not packet.startswith(magic):
            raise MediaFormatError(f"Ogg comment header does not start with {magic!r}")
        parse_vorbis_comments(packet[len(magic):], carrier, ctx)
