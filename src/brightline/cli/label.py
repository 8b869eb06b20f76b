"""``brightline label IN OUT``: the platform's labels on a file — explicit notice plus GB 45438 propagation record.

Measures Art. 6: the platform shows a notice matching its certainty and writes its propagation elements
(``ContentPropagator``, ``PropagateID``) into the file's metadata; GB 45438 6.1 c): one record per file. The
command reads IN, decides the certainty (``--certainty`` or what the file itself says), renders the explicit
label (image corner overlay, first 2 s of video, 短长短短 rhythm before audio, text notice), writes the implicit
record, re-reads the result and only then moves it to OUT. IN is never modified.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from brightline.cli.app import app, err, fail


class CertaintyChoice(str, Enum):
    confirmed = "confirmed"
    possible = "possible"
    suspected = "suspected"


_IMAGE = {"jpeg", "png", "webp"}
_VIDEO = {"mp4"}
_AUDIO = {"wav", "mp3"}
_TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


def _kind(path: Path) -> tuple[str | None, Any]:
    """(format, writer module) for IN; format "text" for plain text, which has no metadata container."""
    from brightline.media.writers import writer_for

    mod = writer_for(path)
    if mod is not None:
        return mod.FORMAT, mod
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return "text", None
    return None, None


def _certainty(given: CertaintyChoice | None, report: Any) -> str | None:
    from brightline.media.visible import CERTAINTY_OF_LABEL

    if given is not None:
        return given.value
    record = report.gb45438.record
    if record is not None:
        return CERTAINTY_OF_LABEL.get(str(record.get("Label")), "suspected")
    return report.certainty  # "suspected" from traces (C2PA, IPTC, generator metadata, watermark) or None


@app.command()
def label(
    src: Annotated[Path, typer.Argument(metavar="IN", help="The file to label (never modified).")],
    dst: Annotated[Path, typer.Argument(metavar="OUT", help="Where to write the labelled copy.")],
    producer: Annotated[str, typer.Option("--producer", help="The platform's service code (ContentPropagator; 27-char code per 网安秘字〔2025〕29号).")],
    propagate_id: Annotated[str, typer.Option("--propagate-id", help="The platform's unique ID for this content (PropagateID).")],
    explicit: Annotated[bool, typer.Option("--explicit/--no-explicit", help="Also add the visible/audible label.")] = True,
    certainty: Annotated[Optional[CertaintyChoice], typer.Option("--certainty", help="Art. 6 category the platform concluded; default: what the file's own label or traces say.")] = None,
    language: Annotated[str, typer.Option("--language", help="Notice language: zh or en.")] = "zh",
    corner: Annotated[str, typer.Option("--corner", help="Image/video corner: bottom-right, bottom-left, top-right, top-left.")] = "bottom-right",
    seconds: Annotated[float, typer.Option("--seconds", help="How long the video's starting label stays (≥ 2).")] = 2.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON on stdout.")] = False,
) -> None:
    """Write the explicit label and the GB 45438 propagation record of IN to OUT.

    An existing record keeps every producer field; only ContentPropagator and PropagateID are set. A file with
    no record gets one (Label 1/2/3 for confirmed/possible/suspected) only when the certainty is known.
    Exit status: 0 written, 2 bad input or unsupported file, 1 the result failed verification.
    """
    from brightline.media import explicit as explicit_labels
    from brightline.media import inspect_file
    from brightline.media.visible import LABEL_VALUE
    from brightline.media.writers import LabelWriteError, RecordEdit, dump_record

    if not src.is_file():
        fail(f"input file {str(src)!r} does not exist or is not a file")
    if language not in ("zh", "en"):
        fail("--language must be zh or en")
    if seconds < explicit_labels.MIN_VIDEO_SECONDS:
        fail(f"--seconds must be at least {explicit_labels.MIN_VIDEO_SECONDS} (GB 45438 5.4)")
    fmt, writer = _kind(src)
    if fmt is None:
        fail(f"unsupported file type for labelling: {src.name}")
    report = inspect_file(src)
    level = _certainty(certainty, report)
    original = report.gb45438.record
    if level is None:
        fail("nothing in the file says it is AI-generated and no --certainty was given; pass --certainty "
             "possible (the uploader declared it) or suspected (the platform detected traces)")
    assert level is not None
    notes: list[str] = []
    if any(r.basis == "c2pa" and r.ai is not None for r in report.records):
        notes.append("the file's C2PA manifest will no longer match the changed file (its hard binding covers the bytes)")
    staged: list[Path] = []

    def stage(tag: str) -> Path:
        path = dst.parent / f".{dst.name}.{tag}{src.suffix}"
        staged.append(path)
        return path

    current = src
    result: dict[str, Any] = {"input": str(src), "output": str(dst), "format": fmt, "certainty": level}
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        if explicit:
            out = stage("explicit")
            if fmt in _IMAGE:
                box = explicit_labels.overlay_image(current, out, level, language, corner)
                result["explicit"] = {"type": "image_overlay", "corner": corner, "text_height_px": box.text_height}
            elif fmt in _VIDEO:
                box = explicit_labels.overlay_video(current, out, level, language, corner, seconds)
                result["explicit"] = {"type": "video_overlay", "seconds": seconds, "text_height_px": box.text_height}
            elif fmt in _AUDIO:
                result["explicit"] = {"type": "rhythm_prompt", "seconds": explicit_labels.prepend_rhythm(current, out)}
            elif fmt in ("markdown", "text"):
                explicit_labels.label_text_file(current, out, level, language)
                result["explicit"] = {"type": "text_notice"}
            else:
                out = current
                notes.append(f"no explicit label is rendered into {fmt} files; show the notice next to the content")
            current = out
        if writer is not None:
            edit = RecordEdit(producer, propagate_id, new_label=LABEL_VALUE[level],
                              original=dump_record(original) if original else None)
            out = stage("implicit")
            placement = _write(writer, current, out, edit)
            current = out
            result["implicit"] = {"carrier": placement.carrier, "updated": placement.updated}
            notes.extend(placement.notes)
        else:
            notes.append("plain text has no metadata container: only the explicit notice was added")
        problems = _verify(current, original, producer, propagate_id) if writer is not None else []
        if problems:
            err.print("[bold red]verification failed:[/] " + "; ".join(problems))
            raise typer.Exit(1)
        if current == src:
            notes.append("nothing to change")
        else:
            current.replace(dst)  # every stage was written atomically beside OUT, so this rename is too
    except LabelWriteError as exc:
        fail(str(exc))
    finally:
        for path in staged:
            path.unlink(missing_ok=True)
    result["notes"] = notes
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        err.print(f"[bold]{dst}[/]: {level} ({fmt})")
        if "explicit" in result:
            err.print(f"  explicit: {result['explicit']}")
        if "implicit" in result:
            action = "updated" if result["implicit"]["updated"] else "added"
            err.print(f"  implicit: {action} {result['implicit']['carrier']}")
        for note in notes:
            err.print(f"  [yellow]note:[/] {note}")


def _write(writer: Any, src: Path, dst: Path, edit: Any) -> Any:
    from brightline.media.writers import atomic_output

    with open(src, "rb") as fin, atomic_output(dst) as fout:
        return writer.write(fin, fout, edit)


def _verify(path: Path, original: dict[str, Any] | None, producer: str, propagate_id: str) -> list[str]:
    """Re-read the result (reference §8.4): one record, producer fields unchanged, our fields present."""
    from brightline.media import inspect_file

    report = inspect_file(path, sources=())
    if report.format is None:
        return []  # a format the readers cannot parse yet: the writer's own checks are all there is
    records = [r.data for r in report.records if r.basis == "implicit_label"]
    problems = []
    if len(records) != 1:
        problems.append(f"expected exactly one GB 45438 record, found {len(records)}")
    if records:
        got = records[0]
        for key in ("Label", "ContentProducer", "ProduceID", "ReservedCode1"):
            if original is not None and original.get(key) != got.get(key):
                problems.append(f"producer field {key} changed: {original.get(key)!r} -> {got.get(key)!r}")
        if got.get("ContentPropagator") != producer or got.get("PropagateID") != propagate_id:
            problems.append("the propagator fields were not written")
    return problems
