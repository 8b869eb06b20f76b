"""Documents: PDF (Pillow + exiftool), OOXML custom properties, Markdown front matter."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PIL import Image

from brightline.media import inspect_file

from .fixtures import record, run

CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="AIGC"><vt:lpwstr>{value}</vt:lpwstr>'
    "</property></Properties>"
)


def write_docx(path: Path, custom: str | None) -> None:
    """A minimal OOXML package the way Office lays it out (content types, a main part, custom props)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
        if custom is not None:
            zf.writestr("docProps/custom.xml", custom)


def test_pdf_info_and_xmp_written_by_exiftool(tmp_path: Path, exiftool: str, exiftool_tc260_config: Path) -> None:
    path = tmp_path / "doc.pdf"
    Image.new("RGB", (16, 16)).save(path)  # Pillow writes the PDF, exiftool adds an incremental update
    run(exiftool, "-config", exiftool_tc260_config, "-q", "-overwrite_original", f"-PDF:AIGC={record()}",
        f"-XMP-TC260:AIGC={record(wrapped=False)}", path)
    report = inspect_file(path)
    assert report.format == "pdf" and report.errors == []
    assert [r.carrier for r in report.records] == ["pdf:Info:AIGC", "pdf:xmp:TC260:AIGC"]
    assert report.gb45438.status == "compliant" and report.certainty == "confirmed"


def test_pdf_without_label_and_with_a_bad_xref(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    Image.new("RGB", (16, 16)).save(path)
    assert inspect_file(path).gb45438.status == "not_found"
    # Shift every byte: the xref offsets are now wrong, the reader falls back to scanning for objects.
    data = path.read_bytes().replace(b"%PDF-1.4", b"%PDF-1.4\n% padding to break offsets\n", 1)
    data = data.replace(b"/Title", b"/AIGC (" + record().encode() + b") /Title", 1)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data)
    report = inspect_file(broken)
    assert [r.carrier for r in report.records] == ["pdf:Info:AIGC"]
    assert any("cross-reference" in e for e in report.errors)


def test_ooxml_custom_property(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    write_docx(path, CUSTOM_XML.format(value=record(wrapped=False)))
    report = inspect_file(path)
    assert report.format == "docx"
    assert [r.carrier for r in report.records] == ["docx:docProps/custom.xml:AIGC"]
    assert report.gb45438.status == "compliant"
    plain = tmp_path / "plain.docx"
    write_docx(plain, None)
    assert inspect_file(plain).gb45438.status == "not_found"


def test_markdown_front_matter_variants(tmp_path: Path) -> None:
    iflow = tmp_path / "iflow.md"
    iflow.write_text('---\nAIGC: {"Label": "1", "ContentProducer": "001191330101MA27WPYJ18xliu", "ProduceID": "x1",'
                     ' "ReserveCode1": "iflow", "ContentPropagator": "001191330101MA27WPYJ18xliu",'
                     ' "PropagateID": "x1", "ReserveCode2": ""}\n---\n# Title\n', encoding="utf-8")
    report = inspect_file(iflow)
    assert report.format == "markdown"
    assert report.gb45438.status == "compliant"
    assert report.gb45438.record is not None and report.gb45438.record["ReservedCode1"] == "iflow"
    assert any("26" in w or "27-character" in w for w in report.gb45438.warnings)
    block = tmp_path / "block.md"
    block.write_text("---\ntitle: Notes\nAIGC:\n  Label: 1\n  ContentProducer: 001191110102MAD55U9H0F10002\n"
                     "  ProduceID: n-1\n---\nBody\n", encoding="utf-8")
    assert inspect_file(block).certainty == "confirmed"
    none = tmp_path / "none.md"
    none.write_text("# Just a heading\n", encoding="utf-8")
    assert inspect_file(none).gb45438.status == "not_found"
