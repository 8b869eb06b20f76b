"""OOXML (docx/xlsx/pptx …): ``docProps/custom.xml`` property named ``AIGC`` (text guide §6.1).

Zip bombs are refused before inflating: the central directory's size and entry count are checked from the
end record, the part's declared uncompressed size and compression ratio are checked, and the actual
output is read with a cap (declared sizes can lie).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from brightline.media.containers import ByteSource, ContainerReader, MediaFormatError, ReadContext, register

_CUSTOM = "docProps/custom.xml"
_PROPERTY = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
_MAX_ENTRIES = 100_000
_KINDS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"), ("visio/", "vsdx"))


def _check_central_directory(src: ByteSource) -> None:
    tail_len = min(src.size, 65_557)  # EOCD (22 bytes) + the longest comment
    tail = src.read_at(src.size - tail_len, tail_len, "zip end record")
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise MediaFormatError("zip end-of-central-directory record not found (truncated file?)")
    entries, cd_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries > _MAX_ENTRIES or cd_size > 64 * 1024 * 1024:
        raise MediaFormatError(f"zip central directory too large ({entries} entries, {cd_size} bytes)")


@register
class OoxmlReader(ContainerReader):
    """Office Open XML packages (and other zips, which carry nothing we read)."""

    format = "ooxml"
    extensions = (".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".dotx", ".potx", ".xltx", ".vsdx")

    def sniff(self, head: bytes, path: Path) -> bool:
        return head[:4] == b"PK\x03\x04"

    def read(self, src: ByteSource, ctx: ReadContext) -> None:
        _check_central_directory(src)
        try:
            with zipfile.ZipFile(src.fh) as zf:
                names = zf.namelist()
                if "[Content_Types].xml" not in names:
                    ctx.format = "zip"
                    return
                ctx.format = next((kind for prefix, kind in _KINDS if any(n.startswith(prefix) for n in names)),
                                  "ooxml")
                if _CUSTOM not in names:
                    return
                data = self._read_part(zf, zf.getinfo(_CUSTOM), ctx)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error, struct.error,
                ValueError, OSError) as exc:
            # OSError/ValueError: a corrupt offset makes zipfile seek before the start of the file.
            raise MediaFormatError(f"broken zip package: {exc}") from exc
        try:
            root = fromstring(data, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise MediaFormatError(f"{_CUSTOM} refused: {type(exc).__name__} (DTD/entities not allowed)") from exc
        except Exception as exc:  # noqa: BLE001 — ParseError and friends: a broken part, not a crash
            raise MediaFormatError(f"{_CUSTOM} is not well-formed XML: {exc}") from exc
        for prop in root.iter(_PROPERTY):
            name = prop.get("name")
            if name is None or len(prop) == 0:
                continue
            ctx.emit(f"{ctx.format}:{_CUSTOM}", "text", name, prop[0].text or "")

    @staticmethod
    def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ReadContext) -> bytes:
        cap = ctx.limits.max_bytes
        if info.file_size > cap:
            raise MediaFormatError(f"{info.filename} declares {info.file_size} bytes uncompressed, above the cap")
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > ctx.limits.max_zip_ratio and info.file_size > 1024 * 1024:
            raise MediaFormatError(f"{info.filename} compresses {ratio:.0f}:1: refused as a zip bomb")
        ctx.budget(info.file_size, info.filename, info.header_offset)
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
        if len(data) > cap:
            raise MediaFormatError(f"{info.filename} inflates beyond the {cap}-byte cap (declared size was false)")
        return data
