"""Media provenance: read every label and trace a file carries, judge its GB 45438 implicit label.

The read API::

    from brightline.media import inspect_file
    report = inspect_file("photo.jpg")          # never raises on a bad file
    report.format                                # "jpeg", "png", "mp4", "mov", "wav", "mp3", "pdf", "docx", ...
    report.records                               # [ProvenanceRecord(basis, carrier, data, ai, detail), ...]
    report.gb45438                               # Finding(status, reasons, record, carrier, warnings)
    report.certainty                             # "confirmed" | "suspected" | None  (Art. 6, from the file alone)
    report.errors                                # ["truncated PNG chunk at offset 1234", ...]
    report.to_dict()

How it works: a container reader (one class per format in :mod:`brightline.media.containers`, chosen by
magic bytes) walks the file with seeks and emits raw metadata entries — XMP packets, key/value text fields,
bare blobs. This module turns them into :class:`ProvenanceRecord` objects:

- ``implicit_label``: a GB 45438 Annex E record, from any field whose name contains ``AIGC`` (Annex E a)),
  a wrapped ``{"AIGC":{…}}`` value in a generic text field (EXIF UserComment), or a bare ``AIGC{…}`` blob;
- ``iptc``: ``Iptc4xmpExt:DigitalSourceType`` and the IPTC 2025.1 AI fields in XMP;
- ``generator_metadata``: AUTOMATIC1111 ``parameters``, ComfyUI ``prompt``/``workflow`` and similar;
- further bases (``c2pa``, ``watermark``) from **record sources** registered by other modules.

Adding a record source (C2PA, watermark, anything that needs the whole file rather than a metadata field)::

    from brightline.media import ProvenanceRecord, register_source

    def c2pa_records(path: Path, format: str) -> Iterable[ProvenanceRecord]:
        ...  # may raise: the exception becomes a per-file error, never a crash
    register_source("c2pa", c2pa_records, formats={"jpeg", "png", "mp4"})  # formats=None: every format

Call ``register_source`` at import time of your module. Modules named in :data:`SOURCE_MODULES`
(``brightline.media.c2pa_reader``, ``brightline.media.watermark``) are imported automatically the first
time a file is inspected; a module that is absent, or whose optional dependency is missing, is skipped
(see :func:`source_import_errors`). ``inspect_file(path, sources=())`` reads metadata only;
``sources={"c2pa"}`` runs just those.

Art. 6 certainty from the file alone: **confirmed** when the file's GB 45438 record says ``Label`` "1";
**suspected** when any other record says AI (generator metadata, IPTC AI source type, C2PA, watermark, or
a GB 45438 record whose Label is "2"/"3" or cannot be read); otherwise None. ("possible" needs the user's
declaration, which a file does not have: the ``aigc`` detector adds it.)
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from brightline.media import generators, iptc, xmp
from brightline.media.containers import ByteSource, Entry, Limits, MediaFormatError, ReadContext, choose
from brightline.media.gb45438 import LABELS, Finding, LabelRecord, assess, parse_record

__all__ = [
    "Basis",
    "Finding",
    "Limits",
    "MediaReport",
    "ProvenanceRecord",
    "SOURCE_MODULES",
    "inspect_file",
    "register_source",
    "source_import_errors",
]

Basis = Literal["implicit_label", "iptc", "generator_metadata", "c2pa", "watermark"]
Certainty = Literal["confirmed", "suspected"]

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass
class ProvenanceRecord:
    """One provenance statement found in a file.

    ``basis`` is the kind of evidence; ``carrier`` where it sat (``"jpeg:xmp:TC260:AIGC"``,
    ``"png:iTXt:AIGC"``, ``"mp4:moov/udta/meta:AIGC"``); ``data`` the parsed fields; ``ai`` whether the
    record says the content is AI-generated (None: it does not say, or cannot be read); ``detail`` a
    one-line explanation for people.
    """

    basis: str
    carrier: str
    data: dict[str, Any]
    ai: bool | None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {"basis": self.basis, "carrier": self.carrier, "ai": self.ai, "detail": self.detail, "data": self.data}


@dataclass
class MediaReport:
    """Everything :func:`inspect_file` learnt about one file."""

    path: str
    format: str | None
    records: list[ProvenanceRecord] = field(default_factory=list)
    gb45438: Finding = field(default_factory=lambda: Finding("not_found"))
    errors: list[str] = field(default_factory=list)

    @property
    def certainty(self) -> Certainty | None:
        """Art. 6 category the file alone supports: confirmed, suspected or None."""
        rec = self.gb45438.record
        if rec is not None and rec.get("Label") == "1" and self.gb45438.status != "inconclusive":
            return "confirmed"
        if any(r.ai for r in self.records):
            return "suspected"
        if any(r.basis == "implicit_label" for r in self.records):
            return "suspected"  # an AIGC field is there but says nothing usable: a trace, not a label
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (what ``brightline inspect --json`` prints)."""
        return {
            "path": self.path,
            "format": self.format,
            "certainty": self.certainty,
            "records": [r.to_dict() for r in self.records],
            "gb45438": self.gb45438.to_dict(),
            "errors": list(self.errors),
        }


# --- record sources -------------------------------------------------------------------------------------------

SourceFn = Callable[[Path, str], Iterable[ProvenanceRecord]]

#: Modules imported on first use so that they can register their record sources.
SOURCE_MODULES: tuple[str, ...] = ("brightline.media.c2pa_reader", "brightline.media.watermark")


@dataclass(frozen=True)
class _Source:
    name: str
    fn: SourceFn
    formats: frozenset[str] | None


_SOURCES: dict[str, _Source] = {}
_IMPORT_ERRORS: dict[str, str] = {}
_sources_loaded = False


def register_source(name: str, fn: SourceFn, formats: Collection[str] | None = None) -> None:
    """Add (or replace) a record source run on every inspected file of the given formats (None: all)."""
    _SOURCES[name] = _Source(name, fn, frozenset(formats) if formats is not None else None)


def _load_sources() -> None:
    global _sources_loaded
    if _sources_loaded:
        return
    _sources_loaded = True
    for module in SOURCE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # the module exists but an optional dependency does not
                _IMPORT_ERRORS[module] = f"{type(exc).__name__}: {exc}"
        except ImportError as exc:
            _IMPORT_ERRORS[module] = f"{type(exc).__name__}: {exc}"


def source_import_errors() -> dict[str, str]:
    """Record-source modules that exist but could not be imported (e.g. a missing optional dependency)."""
    _load_sources()
    return dict(_IMPORT_ERRORS)


# --- turning entries into records -----------------------------------------------------------------------------


def _text(value: bytes | str) -> str:
    if isinstance(value, str):
        return value
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _label_record(label: LabelRecord) -> ProvenanceRecord:
    value = label.label
    if label.fields:
        data = label.canonical()
    else:
        data = {"raw": label.raw[:500]}
    if value:
        detail = f"GB 45438 label {value}: {LABELS[value]}"
    elif label.fields:
        detail = "GB 45438 record without a valid Label"
    else:
        detail = "AIGC field that is not a readable GB 45438 record"
    detail += " (wrapped)" if label.wrapped else (" (bare)" if label.fields else "")
    if label.problems:
        detail += f"; {len(label.problems)} defect(s): {label.problems[0]}"
    return ProvenanceRecord("implicit_label", label.carrier, data, True if value else None, detail)


def _extract_json_object(data: str, start: int) -> str | None:
    """The balanced ``{…}`` starting at ``start`` (strings and escapes respected), or None."""
    depth, in_str, esc = 0, False, False
    for i in range(start, min(len(data), start + DEFAULT_MAX_BYTES)):
        c = data[i]
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return data[start : i + 1]
    return None


class _Interpreter:
    """Collects records and GB 45438 label candidates from a file's entries."""

    def __init__(self, errors: list[str]) -> None:
        self.records: list[ProvenanceRecord] = []
        self.labels: list[LabelRecord] = []
        self.errors = errors

    def add_label(self, label: LabelRecord) -> None:
        self.labels.append(label)
        self.records.append(_label_record(label))

    def entry(self, e: Entry) -> None:
        if e.kind == "xmp":
            self.xmp(e.carrier, e.value)
        elif e.kind == "text":
            self.text(e.carrier, e.key, _text(e.value))
        else:
            self.blob(e.carrier, e.key, _text(e.value))

    def xmp(self, carrier: str, value: bytes | str) -> None:
        try:
            props = xmp.parse(value)
        except xmp.XmpError as exc:
            self.errors.append(f"{carrier}: {exc}")
            return
        for p in props:
            if "AIGC" in p.name.upper():
                self.add_label(parse_record(p.value, f"{carrier}:{p.qname}"))
        found = iptc.interpret(props)
        if found:
            data, ai, detail = found
            name = "DigitalSourceType" if "DigitalSourceType" in data else "AI"
            self.records.append(ProvenanceRecord("iptc", f"{carrier}:Iptc4xmpExt:{name}", data, ai, detail))

    def text(self, carrier: str, key: str, value: str) -> None:
        where = f"{carrier}:{key}"
        if "AIGC" in key.upper():
            self.add_label(parse_record(value, where))
            return
        gen = generators.interpret(key, value)
        if gen:
            data, ai, detail = gen
            self.records.append(ProvenanceRecord("generator_metadata", where, data, ai, detail))
            return
        if "AIGC" in value:
            # A generic field (EXIF UserComment, a comment atom) holding the wrapped form {"AIGC":{…}}.
            start = value.find("{")
            body = _extract_json_object(value, start) if start >= 0 else None
            if body:
                label = parse_record(body, where)
                if label.wrapped and label.fields:
                    self.add_label(label)

    def blob(self, carrier: str, key: str, value: str) -> None:
        at = value.find("AIGC")
        while at >= 0:
            if value[max(at - 2, 0) : at] == '{"':
                start = at - 2  # the wrapped form {"AIGC":{…}} embedded in binary
            else:
                brace = value.find("{", at, at + 12)  # Doubao's bare 'AIGC{…}' (maybe with a separator)
                start = brace
            body = _extract_json_object(value, start) if start >= 0 else None
            if body:
                self.add_label(parse_record(body, f"{carrier}:{key}"))
                return
            at = value.find("AIGC", at + 4)


def inspect_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: Limits | None = None,
    sources: Collection[str] | None = None,
) -> MediaReport:
    """Read every provenance record in the file at ``path``; never raises on a bad or hostile file.

    ``max_bytes`` caps each metadata payload read into memory (``limits`` sets every cap at once);
    ``sources`` picks registered record sources by name (None: all, ``()``: metadata only).
    """
    p = Path(path)
    lim = limits or Limits(max_bytes=max_bytes)
    report = MediaReport(str(path), None)
    try:
        fh = p.open("rb")
    except OSError as exc:
        report.errors.append(f"cannot open {p}: {exc.strerror or exc}")
        report.gb45438 = Finding("inconclusive", ["file could not be read"])
        return report
    complete = True
    with fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(64)
        except OSError as exc:  # a directory, a device that refuses reads
            report.errors.append(f"cannot read {p}: {exc.strerror or exc}")
            report.gb45438 = Finding("inconclusive", ["file could not be read"])
            return report
        reader = choose(head, p)
        if reader is None:
            report.errors.append(f"unrecognised file format (starts with {head[:8].hex(' ')})" if head
                                 else "empty file")
            report.gb45438 = assess([], unsupported=True)
            return report
        ctx = ReadContext(lim, format=reader.format)
        fh.seek(0)
        try:
            reader.read(ByteSource(fh, size, reader.format.upper()), ctx)
        except MediaFormatError as exc:
            complete = False
            ctx.error(str(exc))
        except Exception as exc:  # noqa: BLE001
            # A reader bug or an OS failure must cost this file only, with a message saying so.
            complete = False
            ctx.error(f"{reader.format} reader failed: {type(exc).__name__}: {exc}")
    report.format = ctx.format
    report.errors.extend(ctx.errors)
    interp = _Interpreter(report.errors)
    for entry in ctx.entries:
        try:
            interp.entry(entry)
        except Exception as exc:  # noqa: BLE001 — one odd field must not cost the other records
            report.errors.append(f"{entry.carrier}:{entry.key}: could not interpret ({type(exc).__name__}: {exc})")
    report.records = interp.records
    report.gb45438 = assess(interp.labels, complete=complete)
    _run_sources(p, report, sources)
    return report


def _run_sources(path: Path, report: MediaReport, wanted: Collection[str] | None) -> None:
    if wanted is not None and not wanted:
        return
    _load_sources()
    fmt = report.format or ""
    for src in list(_SOURCES.values()):
        if wanted is not None and src.name not in wanted:
            continue
        if src.formats is not None and fmt not in src.formats:
            continue
        try:
            report.records.extend(src.fn(path, fmt))
        except Exception as exc:  # noqa: BLE001 — a plug-in's failure on one file is that file's error
            report.errors.append(f"{src.name}: {type(exc).__name__}: {exc}")
