"""WebP: RIFF chunks ``XMP `` (TC260 image guide carrier) and ``EXIF`` (Annex B UserComment), in any position."""

from __future__ import annotations

from pathlib import Path

from brightline.media.containers import ByteSource, ContainerReader, ReadContext, register, scan_blob
from brightline.media.containers.riff import iter_chunks, riff_bounds
from brightline.media.containers.tiff import read_exif_block

_IMAGE = {b"VP8 ", b"VP8L", b"VP8X", b"ANIM", b"ANMF", b"ALPH", b"ICCP", b"C2PA"}


@register
class WebpReader(ContainerReader):
    """WebP images (lossy, lossless, extended)."""

    format = "webp"
    extensions = (".webp",)

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        for fourcc, off, size in iter_chunks(src, 12, riff_bounds(src, ctx), ctx, "WebP"):
            if fourcc in _IMAGE:
                continue
            ctx.budget(size, f"WebP chunk {fourcc!r}", off)
            data = src.read_at(off, size, f"chunk {fourcc.decode('latin-1')}")
            if fourcc == b"XMP ":
                ctx.emit("webp:xmp", "xmp", "XMP", data)
            elif fourcc == b"EXIF":
                read_exif_block(data, "webp:exif", ctx)
            else:
                scan_blob("webp:" + fourcc.decode("latin-1").strip(), data, ctx, "blob")
