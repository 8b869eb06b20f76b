"""GIF: XMP in the ``XMP DataXMP`` application extension (image guide carrier) and comment extensions.

GIF has no lengths above 255 bytes, so the only way through is sub-block by sub-block; image data
sub-blocks are seeked over one at a time (bounded memory, time linear in the file).
"""

from __future__ import annotations

from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register, scan_blob

_XMP_APP = b"XMP DataXMP"


def _skip_subblocks(src: ByteSource, ctx: ReadContext) -> None:
    while True:
        n = src.read(1, "sub-block length")[0]
        if n == 0:
            return
        ctx.tick("GIF sub-block")
        src.skip(n, "sub-block")


def _read_subblocks(src: ByteSource, ctx: ReadContext, raw: bool) -> bytes:
    """Concatenate sub-blocks; ``raw`` keeps the length bytes (XMP is stored as raw bytes, not sub-blocks)."""
    out = bytearray()
    while True:
        n = src.read(1, "sub-block length")[0]
        if raw:
            out.append(n)
        if n == 0:
            return bytes(out)
        ctx.tick("GIF sub-block")
        out += src.read(n, "sub-block")
        if len(out) > ctx.limits.max_bytes:
            raise MediaFormatError(f"GIF extension exceeds the {ctx.limits.max_bytes}-byte metadata cap")


@register
class GifReader(ContainerReader):
    """GIF87a / GIF89a files."""

    format = "gif"
    extensions = (".gif",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:6] in (b"GIF87a", b"GIF89a")

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        screen = src.read_at(6, 7, "logical screen descriptor")
        if screen[4] & 0x80:
            src.skip(3 * (2 ** ((screen[4] & 7) + 1)), "global colour table")
        while True:
            pos = src.tell()
            if pos >= src.size:
                ctx.error(f"GIF ends at offset {pos} without a trailer")
                return
            block = src.read(1, "block introducer")[0]
            ctx.tick("GIF block")
            if block == 0x3B:
                return
            if block == 0x2C:  # image descriptor, optional local colour table, LZW data
                desc = src.read(9, "image descriptor")
                if desc[8] & 0x80:
                    src.skip(3 * (2 ** ((desc[8] & 7) + 1)), "local colour table")
                src.skip(1, "LZW code size")
                _skip_subblocks(src, ctx)
            elif block == 0x21:
                label = src.read(1, "extension label")[0]
                if label == 0xFF:
                    size = src.read(1, "application block size")[0]
                    ident = src.read(size, "application identifier")
                    if ident == _XMP_APP:
                        data = _read_subblocks(src, ctx, raw=True)
                        ctx.emit("gif:xmp", "xmp", "XMP", data)
                    else:
                        _skip_subblocks(src, ctx)
                elif label == 0xFE:
                    scan_blob("gif:comment", _read_subblocks(src, ctx, raw=False), ctx, "blob")
                else:
                    _skip_subblocks(src, ctx)
            else:
                raise MediaFormatError(f"GIF block introducer 0x{block:02X} at offset {pos} is invalid")
