"""PDF: the record is the Document Information dictionary key ``/AIGC`` (TC260-PG-20258A §6.3), written with pypdf
as an *incremental update*: the original bytes stay as they are and a new Info dictionary is appended, so
existing signatures over the original revision remain checkable.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from brightline.media.writers import LabelWriteError, Placement, RecordEdit

FORMAT = "pdf"


def sniff(head: bytes, path: Path) -> bool:
    """``%PDF-`` header (within the first bytes, as some writers prepend junk)."""
    return b"%PDF-" in head[:64]


def write(src: BinaryIO, dst: BinaryIO, edit: RecordEdit) -> Placement:
    """Copy ``src`` to ``dst`` with ``/AIGC`` set in the Info dictionary (incremental update)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject, TextStringObject

    src.seek(0)
    try:
        reader = PdfReader(src)
        info = reader.metadata or {}
        current = info.get("/AIGC")
        writer = PdfWriter(reader, incremental=True)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise LabelWriteError(f"cannot read the PDF: {exc}") from None
    value, _ = edit.apply(str(current) if current is not None else None)
    writer.add_metadata({NameObject("/AIGC"): TextStringObject(value)})
    writer.write(dst)
    return Placement(FORMAT, "pdf:Info:/AIGC", current is not None)
